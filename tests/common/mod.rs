//! Helpers shared by the integration tests: running the binary, running the engine through the
//! library, exact reference distributions and far-tail statistical checks.

use std::path::{Path, PathBuf};
use std::process::Command;

use accord::job::Header;
use accord::model::Scenario;
use accord::protocol::dynamic::DynamicResult;
use accord::protocol::{DealResult, Ratify, RatifyTally};
use accord::request::{Request, RunResult};
use accord::scenario::{Format, parse};
use accord::sim::{RunOptions, Runner};
use serde_json::Value;
use statrs::distribution::{Beta, ContinuousCDF, LogNormal, Normal};

/// What a run of the binary produced.
#[derive(Debug)]
pub struct Output {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `accord ARGS` in `dir`.
pub fn accord_in(dir: &Path, args: &[&str]) -> Output {
    accord_in_env(dir, args, &[])
}

/// Runs `accord ARGS` in `dir` with the variables `env` set (and `ACCORD_SIMD` unset
/// unless `env` sets it).
pub fn accord_in_env(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let out = Command::new(env!("CARGO_BIN_EXE_accord"))
        .args(args)
        .current_dir(dir)
        .env_remove("ACCORD_SIMD")
        .envs(env.iter().copied())
        .env("NO_COLOR", "1")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("FORCE_COLOR")
        .output()
        .expect("the accord binary runs");
    Output {
        code: out
            .status
            .code()
            .expect("accord exits normally, not by a signal"),
        stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
    }
}

/// Runs `accord ARGS` in the crate's folder.
pub fn accord(args: &[&str]) -> Output {
    accord_in(Path::new(env!("CARGO_MANIFEST_DIR")), args)
}

/// A path to a file under the crate's folder.
pub fn repo_file(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// A file of the project's shared data (third-party data sets, never copied into the
/// repository): `$ACCORD_SHARED_DATA/rel`. `None` when the variable is unset — the caller
/// skips, saying so on stderr — so that a fresh clone's `cargo test` passes; a failure when
/// the variable is set but the file is missing, so that CI cannot skip by accident.
pub fn shared_data(rel: &str) -> Option<PathBuf> {
    let Some(root) = std::env::var_os("ACCORD_SHARED_DATA") else {
        eprintln!("skipped: ACCORD_SHARED_DATA is unset, so {rel} is not read");
        return None;
    };
    let root = Path::new(&root);
    let root = if root.is_relative() {
        // Relative to the crate's folder, whatever folder the test runs in.
        repo_file("").join(root)
    } else {
        root.to_path_buf()
    };
    let path = root.join(rel);
    assert!(
        path.exists(),
        "ACCORD_SHARED_DATA is set ({}) but {} does not exist",
        root.display(),
        path.display()
    );
    Some(path)
}

/// A file under tests/fixtures.
pub fn fixture(rel: &str) -> PathBuf {
    repo_file(&format!("tests/fixtures/{rel}"))
}

/// stderr with miette's frame and line wrapping undone, for substring checks.
pub fn flat(stderr: &str) -> String {
    stderr
        .replace(['│', '╭', '╰', '─', '·'], " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// A temporary folder holding one file `name` with `contents`.
pub fn temp_with(name: &str, contents: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary folder");
    std::fs::write(dir.path().join(name), contents).expect("writing a fixture");
    dir
}

/// 1-based line and column of the first occurrence of `needle` in `source` (ASCII fixtures).
pub fn location(source: &str, needle: &str) -> (usize, usize) {
    let at = source
        .find(needle)
        .unwrap_or_else(|| panic!("fixture lacks {needle:?}"));
    assert_eq!(
        source.matches(needle).count(),
        1,
        "{needle:?} must be unique in the fixture"
    );
    let before = &source[..at];
    let line = before.matches('\n').count() + 1;
    let col = at - before.rfind('\n').map_or(0, |i| i + 1) + 1;
    (line, col)
}

/// Parses TOML scenario text, panicking with the diagnostic if it is invalid.
pub fn scenario(source: &str) -> Scenario {
    parse(source, "inline.toml", Format::Toml).unwrap_or_else(|e| panic!("fixture is invalid: {e}"))
}

/// The distribution of uncertain parameter `path` (e.g. `ukraine.reservation`) in the
/// bundled scenario `file` (under `scenarios/`), so tests follow the file when it is
/// re-calibrated instead of copying its numbers.
pub fn bundled_dist(file: &str, path: &str) -> accord::model::dist::Dist {
    let text = std::fs::read_to_string(repo_file(&format!("scenarios/{file}"))).expect(file);
    scenario(&text)
        .uncertain
        .iter()
        .find(|u| u.path == path)
        .unwrap_or_else(|| panic!("{file} has no uncertain {path}"))
        .dist
        .dist
        .clone()
}

/// Runs the ratify protocol over every proposal of `s` through the library.
pub fn simulate(
    s: &Scenario,
    rounds: u64,
    seed: u64,
    threads: Option<usize>,
) -> (RatifyTally, Vec<DealResult>) {
    let deals = s.proposals.iter().map(|p| p.deal.clone()).collect();
    let names: Vec<String> = s.proposals.iter().map(|p| p.name.clone()).collect();
    let experiment = Ratify::new(s, deals);
    let tally = Runner::new(
        s,
        RunOptions {
            rounds,
            seed,
            threads,
        },
    )
    .run(&experiment, &|_| {});
    let results = experiment.summarise(&tally, &names);
    (tally, results)
}

/// The header and body of a dynamic protocol's JSON result, as `accord run` prints it.
pub fn dynamic_json(text: &str) -> (Header, DynamicResult) {
    let r: RunResult =
        serde_json::from_str(text).unwrap_or_else(|e| panic!("not a result ({e}):\n{text}"));
    let d = r
        .dynamic()
        .unwrap_or_else(|| panic!("not a dynamic protocol's play:\n{text}"));
    (r.header.clone(), d.clone())
}

/// Plays `s`'s dynamic protocol through the library.
pub fn dynamic_run(s: &Scenario, options: RunOptions) -> DynamicResult {
    let r = Request::Dynamic { start: None }
        .prepare(s, options)
        .and_then(|p| p.run(&|_| {}))
        .unwrap_or_else(|e| panic!("{e}"));
    r.dynamic().expect("a dynamic protocol's play").clone()
}

/// How many rounds party `party` accepted deal `deal` in (from the summarised estimate, which
/// does not depend on the tally's memory layout).
pub fn accepted(results: &[DealResult], deal: usize, party: usize) -> u64 {
    let e = &results[deal].parties[party].accept;
    (e.p * e.n as f64).round() as u64
}

/// Asserts that `k` successes in `n` trials are within 6 standard errors of probability `p`
/// (exactly `p·n` when `p` is 0 or 1).
pub fn assert_binomial(k: u64, n: u64, p: f64, what: &str) {
    let est = k as f64 / n as f64;
    let se = (p * (1.0 - p) / n as f64).sqrt();
    let z = if se > 0.0 {
        (est - p) / se
    } else {
        f64::INFINITY
    };
    assert!(
        (est - p).abs() <= 6.0 * se + 1e-12,
        "{what}: estimate {est} ({k}/{n}) vs exact {p}: {z:.2} standard errors apart"
    );
}

/// Kolmogorov–Smirnov statistic of `samples` (sorted in place) against `cdf`.
pub fn ks_statistic(samples: &mut [f64], cdf: impl Fn(f64) -> f64) -> f64 {
    samples.sort_by(f64::total_cmp);
    let n = samples.len() as f64;
    samples
        .iter()
        .enumerate()
        .map(|(i, &x)| {
            let f = cdf(x);
            (f - i as f64 / n).abs().max(((i + 1) as f64 / n - f).abs())
        })
        .fold(0.0, f64::max)
}

/// The KS critical value at significance 1e-6 for `n` samples (asymptotic:
/// `sqrt(-ln(α/2)/2) / sqrt(n)`).
pub fn ks_critical(n: usize) -> f64 {
    (-(1e-6_f64 / 2.0).ln() / 2.0).sqrt() / (n as f64).sqrt()
}

/// Standard normal CDF.
pub fn phi(z: f64) -> f64 {
    Normal::standard().cdf(z)
}

/// Standard normal quantile.
pub fn phi_inv(p: f64) -> f64 {
    Normal::standard().inverse_cdf(p)
}

/// Bivariate standard normal `P(X <= h, Y <= k)` with correlation `rho`, by Simpson's rule on
/// `∫_{-∞}^{h} φ(x) Φ((k − ρx)/√(1 − ρ²)) dx`.
pub fn bivariate_normal_cdf(h: f64, k: f64, rho: f64) -> f64 {
    let lo = -12.0;
    let steps = 20_000;
    let width = (h - lo) / steps as f64;
    let s = (1.0 - rho * rho).sqrt();
    let f = |x: f64| {
        (-0.5 * x * x).exp() / (2.0 * std::f64::consts::PI).sqrt() * phi((k - rho * x) / s)
    };
    let mut total = f(lo) + f(h);
    for i in 1..steps {
        let x = lo + i as f64 * width;
        total += if i % 2 == 1 { 4.0 } else { 2.0 } * f(x);
    }
    total * width / 3.0
}

/// A distribution family with parameters, as a scenario writes it, with an exact CDF that is
/// independent of accord's own code.
#[derive(Debug, Clone, Copy)]
pub enum Law {
    Normal(f64, f64),
    Uniform(f64, f64),
    Triangular(f64, f64, f64),
    /// a, b, min, max
    Beta(f64, f64, f64, f64),
    LogNormal(f64, f64),
}

impl Law {
    /// The parameter as TOML.
    pub fn toml(self) -> String {
        match self {
            Law::Normal(m, s) => format!("{{ normal = {{ mean = {m:?}, sd = {s:?} }} }}"),
            Law::Uniform(lo, hi) => format!("{{ uniform = [{lo:?}, {hi:?}] }}"),
            Law::Triangular(lo, mode, hi) => {
                format!("{{ triangular = [{lo:?}, {mode:?}, {hi:?}] }}")
            }
            Law::Beta(a, b, lo, hi) => {
                format!("{{ beta = {{ a = {a:?}, b = {b:?}, min = {lo:?}, max = {hi:?} }} }}")
            }
            Law::LogNormal(mu, s) => format!("{{ lognormal = {{ mu = {mu:?}, sigma = {s:?} }} }}"),
        }
    }

    /// `(P(X <= x), P(X > x))` of the untruncated law, each computed directly so that tails
    /// keep their precision.
    fn cdf_sf(self, x: f64) -> (f64, f64) {
        match self {
            Law::Normal(m, s) => {
                let d = Normal::new(m, s).expect("valid normal");
                (d.cdf(x), d.sf(x))
            }
            Law::Uniform(lo, hi) => {
                let c = ((x - lo) / (hi - lo)).clamp(0.0, 1.0);
                (c, 1.0 - c)
            }
            Law::Triangular(lo, mode, hi) => {
                let c = if x <= lo {
                    0.0
                } else if x >= hi {
                    1.0
                } else if x <= mode {
                    (x - lo) * (x - lo) / ((hi - lo) * (mode - lo))
                } else {
                    1.0 - (hi - x) * (hi - x) / ((hi - lo) * (hi - mode))
                };
                (c, 1.0 - c)
            }
            Law::Beta(a, b, lo, hi) => {
                let d = Beta::new(a, b).expect("valid beta");
                let t = ((x - lo) / (hi - lo)).clamp(0.0, 1.0);
                (d.cdf(t), d.sf(t))
            }
            Law::LogNormal(mu, s) => {
                if x <= 0.0 {
                    (0.0, 1.0)
                } else {
                    let d = LogNormal::new(mu, s).expect("valid lognormal");
                    (d.cdf(x), d.sf(x))
                }
            }
        }
    }

    /// `P(a < X <= b)`, from whichever tail is more precise.
    fn mass(self, a: f64, b: f64) -> f64 {
        let (ca, sa) = self.cdf_sf(a);
        let (cb, sb) = self.cdf_sf(b);
        if ca > 0.5 { sa - sb } else { cb - ca }
    }

    /// CDF of the law truncated to `[0, 1]`.
    pub fn unit_cdf(self, x: f64) -> f64 {
        if x <= 0.0 {
            return 0.0;
        }
        if x >= 1.0 {
            return 1.0;
        }
        self.mass(0.0, x) / self.mass(0.0, 1.0)
    }

    /// Mean and variance of the law truncated to `[0, 1]`, by Simpson's rule on
    /// `E[X] = ∫ (1 − F)`, `E[X²] = ∫ 2x (1 − F)`.
    pub fn unit_moments(self) -> (f64, f64) {
        let steps = 20_000;
        let h = 1.0 / steps as f64;
        let (mut m1, mut m2) = (0.0, 0.0);
        for i in 0..=steps {
            let x = i as f64 * h;
            let w = if i == 0 || i == steps {
                1.0
            } else if i % 2 == 1 {
                4.0
            } else {
                2.0
            };
            let tail = 1.0 - self.unit_cdf(x);
            m1 += w * tail;
            m2 += w * 2.0 * x * tail;
        }
        let (m1, m2) = (m1 * h / 3.0, m2 * h / 3.0);
        (m1, m2 - m1 * m1)
    }
}

/// Pearson correlation of two equally long samples.
pub fn correlation(x: &[f64], y: &[f64]) -> f64 {
    let n = x.len() as f64;
    let (mx, my) = (x.iter().sum::<f64>() / n, y.iter().sum::<f64>() / n);
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (a, b) in x.iter().zip(y) {
        sxy += (a - mx) * (b - my);
        sxx += (a - mx) * (a - mx);
        syy += (b - my) * (b - my);
    }
    sxy / (sxx * syy).sqrt()
}

/// The text of every `<text>` element of an SVG chart, unescaped.
pub fn svg_texts(svg: &str) -> Vec<String> {
    svg.split("<text")
        .skip(1)
        .filter_map(|t| Some(t.split_once('>')?.1.split_once("</text>")?.0.trim()))
        .map(|t| t.replace("&apos;", "'").replace("&amp;", "&"))
        .collect()
}

/// Whether `text` is a number written with float noise: a run of five zeros or nines among its
/// decimals (`0.30000000000000004`, `0.19999999`), or two or more decimals that are all zero
/// (`70000.0000`).
pub fn float_noise(text: &str) -> bool {
    let digits = text.trim_start_matches('-').replace(',', "");
    let Some((int, frac)) = digits.split_once('.') else {
        return false;
    };
    let numeric = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    numeric(int)
        && numeric(frac)
        && (frac.contains("00000")
            || frac.contains("99999")
            || (frac.len() >= 2 && frac.chars().all(|c| c == '0')))
}

/// Runs accord in `dir` and returns stdout, failing the test on a non-zero exit.
pub fn ok(dir: &Path, args: &[&str]) -> String {
    let out = accord_in(dir, args);
    assert_eq!(out.code, 0, "accord {args:?} failed:\n{}", out.stderr);
    out.stdout
}

/// Runs accord in `dir` and parses its stdout as JSON.
pub fn ok_json(dir: &Path, args: &[&str]) -> Value {
    let text = ok(dir, args);
    serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("accord {args:?}: not JSON ({e}):\n{text}"))
}

/// The names of the files in `dir`, sorted.
pub fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("readable folder")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Checks a rejected command: exit code 2, nothing on stdout, every one of `expect` in the
/// message, and no file other than `keep` left in `dir` (no output, chart or temporary file).
pub fn assert_rejected(dir: &Path, args: &[&str], expect: &[&str], keep: &[&str]) -> Output {
    let out = accord_in(dir, args);
    let text = flat(&out.stderr);
    assert_eq!(
        out.code, 2,
        "accord {args:?}: exit code; stderr:\n{}",
        out.stderr
    );
    assert!(
        out.stdout.is_empty(),
        "accord {args:?}: nothing on stdout, got {}",
        out.stdout
    );
    for e in expect {
        assert!(
            text.contains(e),
            "accord {args:?}: the message should contain {e:?}:\n{}",
            out.stderr
        );
    }
    let mut keep: Vec<String> = keep.iter().map(|s| s.to_string()).collect();
    keep.sort();
    assert_eq!(
        files_in(dir),
        keep,
        "accord {args:?} left files behind (stderr: {})",
        out.stderr
    );
    out
}

/// The bytes of file `name` in `dir`.
pub fn read(dir: &Path, name: &str) -> Vec<u8> {
    std::fs::read(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// Asserts that `accord run` refuses scenario `source` with exit code 2, pointing at the
/// first occurrence of `needle` (its column moved by `shift`) and saying each of `expect`,
/// without a panic or an output file.
pub fn rejects_at(source: &str, needle: &str, shift: usize, expect: &[&str]) {
    let dir = temp_with("bad.toml", source);
    let out = accord_in(
        dir.path(),
        &["run", "bad.toml", "--rounds", "10", "-o", "out.json"],
    );
    let flat = flat(&out.stderr);
    assert_eq!(out.code, 2, "exit code for {expect:?}:\n{}", out.stderr);
    let (line, col) = location(source, needle);
    let at = format!("bad.toml:{line}:{}:", col + shift);
    assert!(flat.contains(&at), "expected `{at}` in:\n{}", out.stderr);
    for e in expect {
        assert!(flat.contains(e), "expected `{e}` in:\n{}", out.stderr);
    }
    assert!(!out.stderr.contains("panicked"));
    assert!(!dir.path().join("out.json").exists());
}

/// `accord ARGS` run on scenario text `source` (written as `s.toml`, which ARGS name), its
/// JSON output parsed; panics unless it exits with 0.
pub fn run_json(source: &str, args: &[&str]) -> Value {
    let dir = temp_with("s.toml", source);
    let out = accord_in(dir.path(), args);
    assert_eq!(out.code, 0, "{}", out.stderr);
    serde_json::from_str(&out.stdout).unwrap_or_else(|e| panic!("not JSON ({e}):\n{}", out.stdout))
}

/// A small ratify scenario for `concessions` and `search`: a range, a choice and a bool;
/// a logit party with an uncertain weight, a threshold party with an uncertain table entry,
/// and a party without a veto. Proposals `start` and `other`.
pub const THREE_CLAUSES: &str = r#"[scenario]
name = "three clauses"

[clauses.level]
kind = "range"
min = 0
max = 1

[clauses.mode]
kind = "choice"
options = ["a", "b", "c"]

[clauses.flag]
kind = "bool"

[proposals.start]
level = 0.5
mode = "b"
flag = false

[proposals.other]
level = 1
mode = "c"
flag = true

[parties.x]
veto = true
weights = { level = 0.5, mode = { uniform = [0.2, 0.4] }, flag = 0.2 }
values.level = { linear = { worst = 0, best = 1 } }
values.mode = { table = { a = 0.0, b = 0.5, c = 1.0 } }
values.flag = { table = { true = 1.0, false = 0.0 } }
reservation = { normal = { mean = 0.45, sd = 0.15 } }
accept = { logit = { temperature = 0.05 } }

[parties.y]
veto = true
weights = { level = 0.4, mode = 0.3, flag = 0.3 }
values.level = { linear = { worst = 1, best = 0 } }
values.mode = { table = { a = 1.0, b = { uniform = [0.3, 0.6] }, c = 0.0 } }
values.flag = { table = { true = 0.2, false = 1.0 } }
reservation = { normal = { mean = 0.5, sd = 0.1 } }

[parties.z]
veto = false
weights = { level = 0.8, mode = 0.1, flag = 0.1 }
values.level = { linear = { worst = 0, best = 1 } }
values.mode = { table = { a = 0.0, b = 1.0, c = 0.5 } }
values.flag = { table = { true = 1.0, false = 0.0 } }
reservation = 0.3

[protocol]
kind = "ratify"
"#;

/// The estimates of `deal` put to the parties of `s` alone, as a proposal: the run the
/// explorations are checked against.
pub fn alone(s: &Scenario, deal: &[f64], options: RunOptions) -> DealResult {
    let mut s = s.clone();
    s.proposals.truncate(1);
    s.proposals[0].deal = deal.to_vec();
    let name = s.proposals[0].name.clone();
    let r = Request::run(&s, &[name])
        .expect("a ratify request")
        .prepare(&s, options)
        .and_then(|p| p.run(&|_| {}))
        .unwrap_or_else(|e| panic!("{e}"));
    match r.body {
        accord::request::Body::Proposals { mut results } => results.remove(0),
        _ => panic!("a ratify run"),
    }
}
