//! The command line, checked and resolved in one step: from the raw flags of [`super::args`]
//! to typed settings — the output format from `-o`'s extension or `--format` (resolved once),
//! chart files and their format, run modes, sweep axes as the library takes them. Nothing
//! after this step looks at a flag again, except to name one in an error ([`Flags`]).

use std::path::PathBuf;

use super::args::{
    AnalyseArgs, AxisFlag, ChartArgs, Cli, Command, GeniusImportArgs, ImportCommand, OutputArgs,
    Parsed, RawAxis, SimArgs, seed_list,
};
use crate::error::{About, Error};
use crate::explore::{ConcessionSpec, SearchSpec};
use crate::job::{Given, Shard};
use crate::report::Format;
use crate::report::plot::ImageFormat;
use crate::sweep::AxisSpec;

/// What to do, checked.
#[derive(Debug)]
pub enum Settings {
    Run(Run),
    Sweep(Sweep),
    Concessions(Concessions),
    Search(Search),
    Seeds(Seeds),
    Merge(Merge),
    Plot(Plot),
    Report(Report),
    Check(PathBuf),
    Import(GeniusImportArgs),
    Analyse(AnalyseArgs, Output),
    Sensitivity(Sensitivity),
    Calibrate(Calibrate),
}

/// Where a result goes, in which format.
#[derive(Debug, Clone, PartialEq)]
pub struct Output {
    /// `None` (or `-`): stdout.
    pub path: Option<PathBuf>,
    pub format: Format,
}

/// A chart to draw.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    pub path: PathBuf,
    pub format: ImageFormat,
    pub size: (u32, u32),
}

/// How much of a run to play.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Mode {
    Whole,
    /// Until every agreement probability's half-width is at most `target`, within
    /// `max_rounds`.
    Precision {
        target: f64,
        max_rounds: u64,
    },
    Shard(Shard),
}

/// Rounds, seed and threads (each `None` when the scenario's or the machine's default
/// applies), and the mode.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sim {
    pub rounds: Option<u64>,
    pub seed: Option<u64>,
    pub threads: Option<usize>,
    pub mode: Mode,
}

/// `accord run`.
#[derive(Debug)]
pub struct Run {
    pub file: PathBuf,
    pub proposals: Vec<String>,
    pub given: Vec<Given>,
    /// `--trace N` and where it goes (`None`: stderr).
    pub trace: Option<(u64, Option<PathBuf>)>,
    pub chart: Option<Chart>,
    pub sim: Sim,
    pub out: Output,
}

/// `accord sweep`.
#[derive(Debug)]
pub struct Sweep {
    pub file: PathBuf,
    pub base: Option<String>,
    pub axes: Vec<AxisSpec>,
    pub given: Vec<Given>,
    pub chart: Option<Chart>,
    pub sim: Sim,
    pub out: Output,
}

/// `accord concessions`.
#[derive(Debug)]
pub struct Concessions {
    pub file: PathBuf,
    pub spec: ConcessionSpec,
    pub chart: Option<Chart>,
    pub sim: Sim,
    pub out: Output,
}

/// `accord search`.
#[derive(Debug)]
pub struct Search {
    pub file: PathBuf,
    pub spec: SearchSpec,
    pub chart: Option<Chart>,
    pub sim: Sim,
    pub out: Output,
}

/// `accord seeds`.
#[derive(Debug)]
pub struct Seeds {
    pub file: PathBuf,
    pub seeds: Vec<u64>,
    pub proposals: Vec<String>,
    pub given: Vec<Given>,
    pub axes: Vec<AxisSpec>,
    pub rounds: Option<u64>,
    pub threads: Option<usize>,
    pub chart: Option<Chart>,
    pub out: Output,
}

/// `accord sensitivity`.
#[derive(Debug)]
pub struct Sensitivity {
    pub file: PathBuf,
    pub proposal: String,
    pub outcome: crate::analysis::sensitivity::OutputSpec,
    pub groups: Vec<String>,
    /// Rounds, seed and threads (`None`: the scenario's or the machine's default).
    pub rounds: Option<u64>,
    pub seed: Option<u64>,
    pub threads: Option<usize>,
    /// A total-effect half-width target and the rounds it may take.
    pub precision: Option<(f64, u64)>,
    pub chart: Option<Chart>,
    pub out: Output,
}

/// `accord calibrate`.
#[derive(Debug)]
pub struct Calibrate {
    pub file: PathBuf,
    pub data: PathBuf,
    pub fit: Vec<String>,
    /// Waves kept out of the fit.
    pub hold_out: Vec<String>,
    pub rounds: Option<u64>,
    pub seed: Option<u64>,
    pub threads: Option<usize>,
    /// Where the calibrated scenario goes.
    pub scenario_out: Option<PathBuf>,
    /// The report's format (on stdout).
    pub format: Format,
    pub chart: Option<Chart>,
}

/// `accord merge`.
#[derive(Debug)]
pub struct Merge {
    pub parts: Vec<PathBuf>,
    pub chart: Option<Chart>,
    pub out: Output,
}

/// `accord report`.
#[derive(Debug)]
pub struct Report {
    pub file: PathBuf,
    /// The proposals put to the parties (the first is each sweep's base).
    pub proposals: Vec<String>,
    /// Each sweep's axes, in order; their raw flags are [`Flags::axes`], one after another.
    pub sweeps: Vec<Vec<AxisSpec>>,
    pub sim: Sim,
    /// The HTML file, or `None` for stdout (`-o -`).
    pub out: Option<PathBuf>,
    pub chart_size: (u32, u32),
}

/// `accord plot`.
#[derive(Debug)]
pub struct Plot {
    pub result: PathBuf,
    pub chart: Chart,
}

/// The flags as typed, to name the one an error is [`About`].
#[derive(Debug, Clone, Default)]
pub struct Flags {
    pub proposals: Vec<String>,
    pub axes: Vec<RawAxis>,
    pub beyond: Option<f64>,
    pub rounds: Option<u64>,
    pub precision: Option<f64>,
    pub shard: Option<(u64, u64)>,
    pub seeds: Option<String>,
    pub trace: Option<u64>,
    pub given: Vec<String>,
    /// Other settings as typed: the flag's neutral name (`for`, `depth`, …) and the value.
    pub settings: Vec<(&'static str, String)>,
}

impl Flags {
    /// The flag (with its value) that `about` refers to, if it was given.
    pub fn name(&self, about: About) -> Option<String> {
        let axis = |i: usize| self.axes.get(i);
        let show = |x: f64| crate::text::decimal(x);
        match about {
            About::Request => None,
            About::Proposal(i) => self.proposals.get(i).map(|p| format!("--proposal {p}")),
            About::Base => self.proposals.first().map(|p| format!("--proposal {p}")),
            About::Axis(i) => axis(i).map(|a| format!("{} {}", a.kind.flag(), a.value)),
            About::From(i) | About::To(i) if axis(i).is_some_and(|a| a.shift.is_some()) => axis(i)
                .map(|a| {
                    format!(
                        "--shift {} (of {} {})",
                        a.shift.as_deref().unwrap_or(""),
                        a.kind.flag(),
                        a.value
                    )
                }),
            About::From(i) => axis(i).map(|a| match a.from {
                Some(v) => format!("--from {} (of {} {})", show(v), a.kind.flag(), a.value),
                None => format!("{} {} (no --from)", a.kind.flag(), a.value),
            }),
            About::To(i) => axis(i).map(|a| match a.to {
                Some(v) => format!("--to {} (of {} {})", show(v), a.kind.flag(), a.value),
                None => format!("{} {} (no --to)", a.kind.flag(), a.value),
            }),
            About::Points(i) => axis(i).map(|a| match a.points {
                Some(v) => format!("--points {v} (of {} {})", a.kind.flag(), a.value),
                None => format!("{} {}", a.kind.flag(), a.value),
            }),
            About::Beyond => self.beyond.map(|b| format!("--beyond {}", show(b))),
            About::Rounds => self.rounds.map(|r| format!("--rounds {r}")),
            About::Precision => self.precision.map(|p| format!("--precision {}", show(p))),
            About::Shard => self.shard.map(|(k, n)| format!("--shard {k}/{n}")),
            About::Seeds => self.seeds.as_ref().map(|s| format!("--seeds {s}")),
            About::Trace => self.trace.map(|t| format!("--trace {t}")),
            About::Given(i) => self.given.get(i).map(|g| format!("--given \"{g}\"")),
            About::Setting(name, i) => self
                .settings
                .iter()
                .filter(|(n, _)| *n == name)
                .nth(i)
                .map(|(n, v)| format!("--{n} {v}")),
        }
    }

    /// `e` in the command line's words: an [`Error::Invalid`] names its flag.
    pub fn word(&self, e: Error) -> Error {
        match e {
            Error::Invalid(inv) => {
                let message = match self.name(inv.about) {
                    Some(flag) => format!("{flag}: {}", inv.message),
                    None => inv.message,
                };
                Error::Usage {
                    message,
                    help: inv.help,
                }
            }
            other => other,
        }
    }
}

impl Settings {
    /// Every file the command will write: its output, chart and trace.
    pub fn destinations(&self) -> Vec<&std::path::Path> {
        let (out, chart, trace) = match self {
            Settings::Run(s) => (
                Some(&s.out),
                s.chart.as_ref(),
                s.trace.as_ref().and_then(|t| t.1.as_deref()),
            ),
            Settings::Sweep(s) => (Some(&s.out), s.chart.as_ref(), None),
            Settings::Concessions(s) => (Some(&s.out), s.chart.as_ref(), None),
            Settings::Search(s) => (Some(&s.out), s.chart.as_ref(), None),
            Settings::Seeds(s) => (Some(&s.out), s.chart.as_ref(), None),
            Settings::Merge(s) => (Some(&s.out), s.chart.as_ref(), None),
            Settings::Plot(s) => (None, Some(&s.chart), None),
            Settings::Report(s) => return s.out.iter().map(|p| p.as_path()).collect(),
            Settings::Analyse(_, out) => (Some(out), None, None),
            Settings::Sensitivity(s) => (Some(&s.out), s.chart.as_ref(), None),
            Settings::Calibrate(c) => {
                return c
                    .scenario_out
                    .iter()
                    .map(|p| p.as_path())
                    .chain(c.chart.as_ref().map(|c| c.path.as_path()))
                    .collect();
            }
            Settings::Import(a) => {
                return a.output.iter().map(|p| p.as_path()).collect();
            }
            Settings::Check(_) => (None, None, None),
        };
        out.and_then(|o| o.path.as_deref())
            .into_iter()
            .chain(chart.map(|c| c.path.as_path()))
            .chain(trace)
            .collect()
    }
}

/// Checks the parsed command line and resolves it into settings, with the flags to name in
/// errors.
pub fn resolve(parsed: Parsed) -> Result<(Settings, Flags), Error> {
    let Parsed { cli, axes, sweeps } = parsed;
    let Cli { command } = cli;
    let mut flags = Flags {
        axes: axes.clone(),
        ..Flags::default()
    };
    let settings = match command {
        Command::Run(a) => {
            flags.proposals = a.proposals.clone();
            flags.given = a.given.clone();
            flags.trace = a.trace;
            let sim = sim(&a.sim, &mut flags)?;
            if let Some(n) = a.trace
                && n > MAX_TRACE
            {
                return Err(Error::usage(
                    format!(
                        "--trace {n}: at most {} rounds can be traced",
                        crate::text::thousands(MAX_TRACE)
                    ),
                    None,
                ));
            }
            if let Mode::Shard(_) = sim.mode {
                for (given, flag) in [
                    (a.trace.is_some(), "--trace"),
                    (a.chart.plot.is_some(), "--plot"),
                ] {
                    if given {
                        return Err(Error::usage(
                            format!(
                                "{flag}: a shard writes a partial result; {} the merged run",
                                &flag[2..]
                            ),
                            None,
                        ));
                    }
                }
            }
            Settings::Run(Run {
                file: a.file,
                proposals: a.proposals,
                given: observations(&a.given)?,
                trace: a.trace.map(|n| (n, a.trace_file)),
                chart: chart(&a.chart)?,
                out: output(&a.out, sim.mode)?,
                sim,
            })
        }
        Command::Sweep(a) => {
            flags.proposals = a.proposal.iter().cloned().collect();
            flags.given = a.given.clone();
            flags.beyond = a.axes.beyond;
            let sim = sim(&a.sim, &mut flags)?;
            if let (Mode::Shard(_), Some(_)) = (sim.mode, &a.chart.plot) {
                return Err(Error::usage(
                    "--plot: a shard writes a partial result; plot the merged sweep",
                    Some("accord merge PART… --plot PATH".into()),
                ));
            }
            Settings::Sweep(Sweep {
                file: a.file,
                base: a.proposal,
                axes: axis_specs(&axes, a.axes.beyond)?,
                given: observations(&a.given)?,
                chart: chart(&a.chart)?,
                out: output(&a.out, sim.mode)?,
                sim,
            })
        }
        Command::Concessions(a) => {
            flags.proposals = vec![a.proposal.clone()];
            flags.given = a.given.clone();
            if let Some(p) = &a.for_party {
                flags.settings.push(("for", p.clone()));
            }
            flags.settings.push(("depth", a.depth.to_string()));
            flags
                .settings
                .push(("resolution", a.resolution.to_string()));
            let sim = sim(&a.sim, &mut flags)?;
            no_plot_of_shard(sim.mode, &a.chart, "concessions")?;
            Settings::Concessions(Concessions {
                file: a.file,
                spec: ConcessionSpec {
                    proposal: a.proposal,
                    for_party: a.for_party,
                    depth: a.depth,
                    resolution: a.resolution,
                    given: observations(&a.given)?,
                },
                chart: chart(&a.chart)?,
                out: output(&a.out, sim.mode)?,
                sim,
            })
        }
        Command::Search(a) => {
            flags.given = a.given.clone();
            flags.settings.push(("objective", a.objective.clone()));
            for c in &a.constraints {
                flags.settings.push(("constraint", c.clone()));
            }
            if let Some(w) = &a.within {
                flags.settings.push(("within", w.clone()));
            }
            flags.settings.push(("top", a.top.to_string()));
            flags
                .settings
                .push(("resolution", a.resolution.to_string()));
            let sim = sim(&a.sim, &mut flags)?;
            no_plot_of_shard(sim.mode, &a.chart, "search")?;
            Settings::Search(Search {
                file: a.file,
                spec: SearchSpec {
                    objective: a.objective,
                    constraints: a.constraints,
                    within: a.within,
                    top: a.top,
                    resolution: a.resolution,
                    given: observations(&a.given)?,
                    ..SearchSpec::default()
                },
                chart: chart(&a.chart)?,
                out: output(&a.out, sim.mode)?,
                sim,
            })
        }
        Command::Seeds(a) => {
            flags.proposals = a.proposals.clone();
            flags.given = a.given.clone();
            flags.beyond = a.axes.beyond;
            flags.rounds = a.rounds;
            flags.seeds = Some(a.seeds.clone());
            let seeds =
                seed_list(&a.seeds).map_err(|m| Error::usage(format!("--seeds {m}"), None))?;
            let specs = axis_specs(&axes, a.axes.beyond)?;
            if !specs.is_empty() && a.proposals.len() > 1 {
                return Err(Error::usage(
                    "--proposal: a sweep varies one proposal; give at most one",
                    None,
                ));
            }
            Settings::Seeds(Seeds {
                file: a.file,
                seeds,
                proposals: a.proposals,
                given: observations(&a.given)?,
                axes: specs,
                rounds: a.rounds,
                threads: a.threads.map(usize::from),
                chart: chart(&a.chart)?,
                out: output(&a.out, Mode::Whole)?,
            })
        }
        Command::Merge(a) => Settings::Merge(Merge {
            parts: a.parts,
            chart: chart(&a.chart)?,
            out: output(&a.out, Mode::Whole)?,
        }),
        Command::Plot(a) => Settings::Plot(Plot {
            result: a.result,
            chart: Chart {
                format: ImageFormat::from_path(&a.plot)?,
                path: a.plot,
                size: a.size,
            },
        }),
        Command::Report(a) => {
            flags.proposals = a.proposals.clone();
            flags.beyond = a.axes.beyond;
            let sim = sim(&a.sim, &mut flags)?;
            if let Mode::Shard(_) = sim.mode {
                return Err(Error::usage(
                    "--shard: a report needs the whole run",
                    Some(
                        "merge the shards (accord merge) for the numbers; report the whole run"
                            .into(),
                    ),
                ));
            }
            let specs = axis_specs(&axes, a.axes.beyond)?;
            let mut grouped = Vec::with_capacity(sweeps.len());
            let mut rest = specs.as_slice();
            for n in sweeps {
                let (this, next) = rest.split_at(n);
                grouped.push(this.to_vec());
                rest = next;
            }
            Settings::Report(Report {
                file: a.file,
                proposals: a.proposals,
                sweeps: grouped,
                sim,
                out: html_output(&a.output)?,
                chart_size: a.size,
            })
        }
        Command::Check(a) => Settings::Check(a.file),
        Command::Import(ImportCommand::Genius(a)) => Settings::Import(a),
        Command::Analyse(a) => {
            let out = output(&a.out, Mode::Whole)?;
            Settings::Analyse(a, out)
        }
        Command::Sensitivity(a) => {
            let outcome = a
                .outcome
                .parse()
                .map_err(|m| Error::usage(format!("--outcome: {m}"), None))?;
            if let Some(h) = a.precision
                && !(h > 0.0 && h < 0.5)
            {
                return Err(Error::usage(
                    format!(
                        "--precision {}: a half-width target is between 0 and 0.5",
                        crate::text::decimal(h)
                    ),
                    None,
                ));
            }
            Settings::Sensitivity(Sensitivity {
                file: a.file,
                proposal: a.proposal,
                outcome,
                groups: a.groups,
                rounds: a.draw.rounds,
                seed: a.draw.seed,
                threads: a.draw.threads.map(usize::from),
                precision: a.precision.map(|h| (h, a.max_rounds)),
                chart: chart(&a.chart)?,
                out: output(&a.out, Mode::Whole)?,
            })
        }
        Command::Calibrate(a) => {
            if let Some(p) = &a.output
                && !p
                    .extension()
                    .is_some_and(|e| e.eq_ignore_ascii_case("toml"))
            {
                return Err(Error::usage(
                    format!(
                        "-o {}: the calibrated scenario is written as TOML; use a .toml path",
                        p.display()
                    ),
                    None,
                ));
            }
            Settings::Calibrate(Calibrate {
                file: a.file,
                data: a.data,
                fit: a.fit,
                hold_out: a.hold_out,
                rounds: a.draw.rounds,
                seed: a.draw.seed,
                threads: a.draw.threads.map(usize::from),
                scenario_out: a.output,
                format: a.format.map_or(Format::Table, Format::from),
                chart: chart(&a.chart)?,
            })
        }
    };
    Ok((settings, flags))
}

/// The report's file: `.html` or `.htm`, or `-` for stdout.
fn html_output(path: &std::path::Path) -> Result<Option<PathBuf>, Error> {
    if path.as_os_str() == "-" {
        return Ok(None);
    }
    let html = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("html") || e.eq_ignore_ascii_case("htm"));
    if !html {
        return Err(Error::usage(
            format!(
                "-o {}: a report is one HTML file; name it .html or .htm",
                path.display()
            ),
            Some("for JSON or CSV results use accord run or accord sweep -o".into()),
        ));
    }
    Ok(Some(path.to_path_buf()))
}

/// Refuses `--plot` with `--shard`: a shard writes a partial result, which has no chart.
fn no_plot_of_shard(mode: Mode, chart: &ChartArgs, what: &str) -> Result<(), Error> {
    if let (Mode::Shard(_), Some(_)) = (mode, &chart.plot) {
        return Err(Error::usage(
            format!("--plot: a shard writes a partial result; plot the merged {what}"),
            Some("accord merge PART… --plot PATH".into()),
        ));
    }
    Ok(())
}

/// The observed decisions of `--given`, read.
fn observations(given: &[String]) -> Result<Vec<Given>, Error> {
    given
        .iter()
        .map(|g| {
            g.parse()
                .map_err(|m| Error::usage(format!("--given: {m}"), None))
        })
        .collect()
}

/// The most rounds `--trace` writes.
pub const MAX_TRACE: u64 = 1_000_000;

fn sim(a: &SimArgs, flags: &mut Flags) -> Result<Sim, Error> {
    flags.rounds = a.draw.rounds;
    flags.precision = a.precision;
    flags.shard = a.shard;
    let mode = match (a.precision, a.shard) {
        (Some(target), _) => Mode::Precision {
            target,
            max_rounds: a.max_rounds,
        },
        (None, Some((k, n))) => Mode::Shard(Shard::new(k, n).map_err(|e| flags.word(e.into()))?),
        (None, None) => Mode::Whole,
    };
    Ok(Sim {
        rounds: a.draw.rounds,
        seed: a.draw.seed,
        threads: a.draw.threads.map(usize::from),
        mode,
    })
}

/// The output: its format from `--format`, else from `-o`'s extension, else a table; a
/// `--format` that contradicts the extension is an error. A shard writes a partial result,
/// which is JSON.
fn output(a: &OutputArgs, mode: Mode) -> Result<Output, Error> {
    let path = a.output.clone().filter(|p| p.as_os_str() != "-");
    if let Mode::Shard(_) = mode {
        if let Some(f) = a.format.filter(|f| Format::from(*f) != Format::Json) {
            return Err(Error::usage(
                format!(
                    "--format {}: a shard writes a partial result, which is JSON",
                    Format::from(f).name()
                ),
                None,
            ));
        }
        return Ok(Output {
            path,
            format: Format::Json,
        });
    }
    let by_extension = path.as_deref().map(Format::from_path);
    let format = match (a.format.map(Format::from), by_extension) {
        (Some(f), Some(e)) if f != e && has_known_extension(path.as_deref()) => {
            return Err(Error::usage(
                format!(
                    "--format {} contradicts -o {}, whose extension says {}",
                    f.name(),
                    path.as_deref()
                        .map(|p| p.display().to_string())
                        .unwrap_or_default(),
                    e.name()
                ),
                Some("drop --format (the extension decides) or change the file's extension".into()),
            ));
        }
        (Some(f), _) => f,
        (None, Some(e)) => e,
        (None, None) => Format::Table,
    };
    Ok(Output { path, format })
}

/// Whether the path ends in an extension that names a format (`.json`, `.csv`, `.txt`).
fn has_known_extension(path: Option<&std::path::Path>) -> bool {
    path.and_then(|p| p.extension())
        .and_then(|e| e.to_str())
        .is_some_and(|e| {
            ["json", "csv", "txt"]
                .iter()
                .any(|k| e.eq_ignore_ascii_case(k))
        })
}

fn chart(a: &ChartArgs) -> Result<Option<Chart>, Error> {
    a.plot
        .as_ref()
        .map(|p| {
            Ok(Chart {
                format: ImageFormat::from_path(p)?,
                path: p.clone(),
                size: a.size,
            })
        })
        .transpose()
}

/// The two ends of `--shift A..B` on axis `a` (which must not also have --from or --to).
fn shift_range(text: &str, a: &RawAxis) -> Result<(f64, f64), Error> {
    let flag = format!("--shift {text} (of {} {})", a.kind.flag(), a.value);
    if a.from.is_some() || a.to.is_some() {
        return Err(Error::usage(
            format!("{flag}: give either --shift or --from/--to, not both"),
            Some("--shift A..B sweeps shifts from the party's own reservation; --from/--to sweep reservation utilities".into()),
        ));
    }
    let ends = text.split_once("..").and_then(|(a, b)| {
        let a: f64 = a.trim().parse().ok()?;
        let b: f64 = b.trim().parse().ok()?;
        (a.is_finite() && b.is_finite()).then_some((a, b))
    });
    ends.ok_or_else(|| {
        Error::usage(
            format!("{flag}: not two numbers A..B"),
            Some("for example --shift -0.2..0".into()),
        )
    })
}

/// The sweep axes as the library takes them.
fn axis_specs(axes: &[RawAxis], beyond: Option<f64>) -> Result<Vec<AxisSpec>, Error> {
    if beyond.is_some() && !axes.iter().any(|a| a.kind == AxisFlag::Path) {
        return Err(Error::usage(
            "--beyond applies to a --path sweep only",
            None,
        ));
    }
    if let Some(a) = axes
        .iter()
        .find(|a| a.shift.is_some() && a.kind != AxisFlag::Reservation)
    {
        return Err(Error::usage(
            format!(
                "--shift {}: applies to a --reservation axis, not to {} {}",
                a.shift.as_deref().unwrap_or(""),
                a.kind.flag(),
                a.value
            ),
            Some("write --shift A..B after --reservation PARTY".into()),
        ));
    }
    axes.iter()
        .map(|a| {
            Ok(match a.kind {
                AxisFlag::Clause => AxisSpec::Clause {
                    name: a.value.clone(),
                    from: a.from,
                    to: a.to,
                    points: a.points,
                },
                AxisFlag::Reservation => match &a.shift {
                    None => AxisSpec::Reservation {
                        party: a.value.clone(),
                        from: a.from,
                        to: a.to,
                        points: a.points,
                        shift: false,
                    },
                    Some(text) => {
                        let (from, to) = shift_range(text, a)?;
                        AxisSpec::Reservation {
                            party: a.value.clone(),
                            from: Some(from),
                            to: Some(to),
                            points: a.points,
                            shift: true,
                        }
                    }
                },
                AxisFlag::Param => AxisSpec::Param {
                    name: a.value.clone(),
                    from: a.from,
                    to: a.to,
                    points: a.points,
                },
                AxisFlag::Path => {
                    if a.from.is_some() || a.to.is_some() {
                        return Err(Error::usage(
                            format!(
                                "--path {}: a path runs from x = 0 to 1; use --beyond to extend it, not --from or --to",
                                a.value
                            ),
                            None,
                        ));
                    }
                    let (from, to) = a.value.split_once("..").ok_or_else(|| {
                        Error::usage(
                            format!("--path {}: expected FROM..TO, two proposal names", a.value),
                            Some("for example --path plan_28..plan_19".into()),
                        )
                    })?;
                    AxisSpec::Path {
                        from: from.to_string(),
                        to: to.to_string(),
                        beyond: beyond.unwrap_or(0.0),
                        points: a.points,
                    }
                }
            })
        })
        .collect()
}
