//! `accord sensitivity`: Sobol indices against indices worked out by hand, a parameter with no
//! effect, a correlation group as one factor, the tornado against its closed form, the same
//! bits for any thread count, and bad requests refused with nothing written.

use serde_json::Value;

use crate::common::{accord_in, assert_binomial, assert_rejected, ok, ok_json, read, temp_with};

/// One party whose utility of the deal is the mean of two independent uniform values against a
/// fixed reservation of 1/2 (threshold rule): `Y = 1{(X₁ + X₂)/2 ≥ 1/2} = 1{X₂ ≥ 1 − X₁}`.
///
/// By hand, with `X₁, X₂ ~ U(0, 1)` independent:
/// - `p = P(X₁ + X₂ ≥ 1) = 1/2`, so `V = Var(Y) = p(1 − p) = 1/4`.
/// - `E[Y | X₁ = x] = P(X₂ ≥ 1 − x) = x`, so `Var(E[Y | X₁]) = Var(X₁) = 1/12` and
///   `S₁ = (1/12)/(1/4) = 1/3`; by symmetry `S₂ = 1/3`.
/// - `ST₁ = E[Var(Y | X₂)]/V`: given `X₂ = x`, `Y` is Bernoulli(`x`), variance `x(1 − x)`,
///   whose mean over `x ~ U(0, 1)` is `1/2 − 1/3 = 1/6`; `ST₁ = (1/6)/(1/4) = 2/3`, and
///   `ST₂ = 2/3`. The missing third (`1 − S₁ − S₂`) is the interaction.
/// - The value of clause `b` when it is *not* in the deal (`false`) is uncertain too, and
///   never matters: `S = ST = 0`.
/// - Tornado: `X₁` held at its 5% quantile 0.05 gives `P(X₂ ≥ 0.95) = 0.05`; at its 95%
///   quantile 0.95, `P(X₂ ≥ 0.05) = 0.95`.
fn two_uniforms() -> String {
    two_values("{ uniform = [0, 1] }", "")
}

/// The scenario above with the value of `b = false` given as `b_false` and `extra` appended.
fn two_values(b_false: &str, extra: &str) -> String {
    format!(
        r#"
[scenario]
name = "mean of two uniform values"

[clauses.a]
kind = "bool"

[clauses.b]
kind = "bool"

[proposals.deal]
a = true
b = true

[parties.p]
veto = true
weights = {{ a = 1, b = 1 }}
values.a = {{ table = {{ true = {{ uniform = [0, 1] }}, false = 0 }} }}
values.b = {{ table = {{ true = {{ uniform = [0, 1] }}, false = {b_false} }} }}
reservation = 0.5
{extra}"#
    )
}

/// The two values correlated through a Gaussian copula: they form one factor, and as it holds
/// every source of variance its indices are 1.
fn correlated() -> String {
    two_values(
        "0",
        r#"
[[correlation]]
params = ["p.values.a.table.true", "p.values.b.table.true"]
matrix = [[1.0, 0.5], [0.5, 1.0]]
"#,
    )
}

fn factor<'a>(v: &'a Value, name: &str) -> &'a Value {
    v["factors"]
        .as_array()
        .expect("factors")
        .iter()
        .find(|f| f["name"] == name)
        .unwrap_or_else(|| panic!("no factor {name} in {v:#}"))
}

/// Asserts an index is within 6 standard errors (the bootstrap interval's half-width / 1.96)
/// of `exact`, and that the interval is narrow enough for that to mean something.
fn assert_index(i: &Value, exact: f64, what: &str) {
    let (value, lo, hi) = (
        i["value"].as_f64().expect("value"),
        i["lo"].as_f64().expect("lo"),
        i["hi"].as_f64().expect("hi"),
    );
    let se = (hi - lo) / 2.0 / 1.959964;
    assert!(se < 0.02, "{what}: interval [{lo}, {hi}] too wide to test");
    assert!(
        (value - exact).abs() <= 6.0 * se,
        "{what}: {value} vs {exact} by hand ({:.1} standard errors)",
        (value - exact) / se
    );
    assert!(lo <= value && value <= hi, "{what}: {lo} ≤ {value} ≤ {hi}");
}

#[test]
fn indices_of_the_mean_of_two_uniforms_match_the_hand_worked_ones() {
    let dir = temp_with("s.toml", &two_uniforms());
    let v = ok_json(
        dir.path(),
        &[
            "sensitivity",
            "s.toml",
            "--proposal",
            "deal",
            "--outcome",
            "accept:p",
            "--rounds",
            "200000",
            "--seed",
            "11",
            "--format",
            "json",
        ],
    );
    for x in ["p.values.a.table.true", "p.values.b.table.true"] {
        let f = factor(&v, x);
        assert_eq!(f["kind"], "parameter");
        assert_index(&f["first_order"], 1.0 / 3.0, &format!("S of {x}"));
        assert_eq!(f["total"]["includes_zero"], false);
        assert_index(&f["total"], 2.0 / 3.0, &format!("ST of {x}"));
    }
    let p = &v["p"];
    assert_binomial(
        (p["p"].as_f64().unwrap() * 200_000.0).round() as u64,
        200_000,
        0.5,
        "p",
    );
    // The value of an option the deal does not take has no effect: exactly 0, interval on 0.
    let none = factor(&v, "p.values.b.table.false");
    for which in ["first_order", "total"] {
        let i = &none[which];
        assert_eq!(i["value"].as_f64(), Some(0.0), "{which}: {i}");
        assert!(i["lo"].as_f64().unwrap() <= 0.0 && i["hi"].as_f64().unwrap() >= 0.0);
        assert_eq!(i["includes_zero"], true);
    }
    // The tornado: X₁ at 0.05 and 0.95 gives P = 0.05 and 0.95.
    let row = v["tornado"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["param"] == "p.values.a.table.true")
        .expect("a tornado row for a");
    assert!((row["low_value"].as_f64().unwrap() - 0.05).abs() < 1e-12);
    assert!((row["high_value"].as_f64().unwrap() - 0.95).abs() < 1e-12);
    for (end, exact) in [("at_low", 0.05), ("at_high", 0.95)] {
        let e = &row[end];
        let n = e["n"].as_u64().unwrap();
        let k = (e["p"].as_f64().unwrap() * n as f64).round() as u64;
        assert_binomial(k, n, exact, end);
    }
    // The table says which intervals include 0 and names the estimators.
    let table = ok(
        dir.path(),
        &[
            "sensitivity",
            "s.toml",
            "-p",
            "deal",
            "--outcome",
            "accept:p",
            "--rounds",
            "20000",
        ],
    );
    let zero_row = table
        .lines()
        .find(|l| l.starts_with("p.values.b.table.false"))
        .expect("a row for the idle parameter");
    assert!(zero_row.ends_with('*'), "{zero_row}");
    assert!(table.contains("* interval includes 0") && table.contains("Jansen"));
    assert!(table.lines().all(|l| l.chars().count() <= 80), "{table}");
}

#[test]
fn a_correlation_group_is_one_factor_and_a_named_group_swaps_the_same_draws() {
    let dir = temp_with("c.toml", &correlated());
    let v = ok_json(
        dir.path(),
        &[
            "sensitivity",
            "c.toml",
            "-p",
            "deal",
            "--rounds",
            "100000",
            "--group",
            "p.values",
            "--format",
            "json",
        ],
    );
    let factors = v["factors"].as_array().unwrap();
    // One factor for the pair (plus the named group), not one per parameter.
    assert_eq!(factors.len(), 2, "{v:#}");
    let pair = factor(&v, "p.values.a.table.true + p.values.b.table.true");
    assert_eq!(pair["kind"], "correlated");
    assert_index(&pair["first_order"], 1.0, "S of the pair");
    assert_index(&pair["total"], 1.0, "ST of the pair");
    // The group `p.values` holds exactly the pair's draws: the same counts, the same bits.
    let group = factor(&v, "p.values");
    assert_eq!(group["kind"], "group");
    assert_eq!(group["first_order"], pair["first_order"]);
    assert_eq!(group["total"], pair["total"]);
    let notes = v["notes"].to_string();
    assert!(
        notes.contains("correlated: one factor, swapped jointly"),
        "{notes}"
    );
}

#[test]
fn the_base_probability_is_the_runs_and_threads_do_not_change_a_bit() {
    let file = crate::common::repo_file("scenarios/peace-plan-2025.toml");
    let file = file.to_str().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let args = |threads: &'static str, out: &'static str| {
        vec![
            "sensitivity",
            file,
            "-p",
            "plan_28",
            "--rounds",
            "20000",
            "--group",
            "russia",
            "--threads",
            threads,
            "-o",
            out,
        ]
    };
    ok(dir.path(), &args("1", "one.json"));
    ok(dir.path(), &args("4", "four.json"));
    let (one, four) = (read(dir.path(), "one.json"), read(dir.path(), "four.json"));
    assert!(one == four, "1 and 4 threads differ");
    let v: Value = serde_json::from_slice(&one).unwrap();
    // A is the run's own worlds: the same estimate as `accord run` with the same seed.
    let run = ok_json(
        dir.path(),
        &[
            "run", file, "-p", "plan_28", "--rounds", "20000", "--format", "json",
        ],
    );
    assert_eq!(v["p"], run["results"][0]["agreement"]);
    // Every logit party's acceptance draw is a factor; evaluations are counted as documented.
    for name in ["ukraine.accept", "russia.accept"] {
        assert_eq!(factor(&v, name)["kind"], "acceptance");
    }
    let factors = v["factors"].as_array().unwrap().len() as u64;
    let params = v["tornado"].as_array().unwrap().len() as u64;
    assert_eq!(
        v["evaluations"].as_u64(),
        Some(20_000 * (2 + factors + 2 * params))
    );
}

#[test]
fn csv_and_charts_come_from_the_shared_exporters() {
    let dir = temp_with("s.toml", &two_uniforms());
    ok(
        dir.path(),
        &[
            "sensitivity",
            "s.toml",
            "-p",
            "deal",
            "--rounds",
            "5000",
            "-o",
            "s.csv",
            "--plot",
            "s.svg",
        ],
    );
    let csv = String::from_utf8(read(dir.path(), "s.csv")).unwrap();
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some("measure,name,kind,value,estimate,lo,hi"));
    // Three factors × two indices, then two parameters × two tornado ends.
    assert_eq!(lines.clone().count(), 3 * 2 + 3 * 2, "{csv}");
    assert!(csv.contains("at_low,p.values.a.table.true,parameter,0.05,"));
    let svg = String::from_utf8(read(dir.path(), "s.svg")).unwrap();
    let texts = crate::common::svg_texts(&svg);
    for t in [
        "Sobol indices",
        "Tornado: 5% and 95% quantiles",
        "p.values.a.table.true",
    ] {
        assert!(texts.iter().any(|x| x == t), "{t} in {texts:?}");
    }
}

#[test]
fn bad_requests_are_refused_naming_the_flag_and_nothing_is_written() {
    let dir = temp_with("s.toml", &two_uniforms());
    let base = ["sensitivity", "s.toml", "-o", "out.json"];
    let with = |extra: &[&'static str]| -> Vec<&str> {
        base.iter().copied().chain(extra.iter().copied()).collect()
    };
    for (extra, expect) in [
        (
            &["-p", "nope"][..],
            &["--proposal nope", "no proposal `nope`", "deal"][..],
        ),
        (
            &["-p", "deal", "--outcome", "accept:q"],
            &["--outcome accept:q", "no party `q`"],
        ),
        (
            &["-p", "deal", "--outcome", "agree"],
            &["--outcome", "agreement` or `accept:PARTY"],
        ),
        (
            &["-p", "deal", "--group", "p.weights"],
            &["--group p.weights", "names no uncertain"],
        ),
        (
            &["-p", "deal", "--precision", "0.7"],
            &["--precision 0.7", "between 0 and 0.5"],
        ),
        (
            &["-p", "deal", "--plot", "x.gif"],
            &["x.gif", ".png or .svg"],
        ),
    ] {
        assert_rejected(dir.path(), &with(extra), expect, &["s.toml"]);
    }
    // A dynamic protocol is refused by name; an output that never varies is explained.
    let rubinstein = crate::common::repo_file("scenarios/rubinstein.toml");
    let out = accord_in(
        dir.path(),
        &[
            "sensitivity",
            rubinstein.to_str().unwrap(),
            "-p",
            "x",
            "-o",
            "r.json",
        ],
    );
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.contains("supports the ratify protocol"),
        "{}",
        out.stderr
    );
    assert!(!dir.path().join("r.json").exists());
    let never = two_uniforms().replace("reservation = 0.5", "reservation = 1");
    let dir = temp_with("n.toml", &never);
    assert_rejected(
        dir.path(),
        &[
            "sensitivity",
            "n.toml",
            "-p",
            "deal",
            "--rounds",
            "2000",
            "-o",
            "o.json",
        ],
        &[
            "agreement is 0 in every one of the 2,000 rounds",
            "no variance",
        ],
        &["n.toml"],
    );
}
