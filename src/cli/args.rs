//! The command line as typed: clap's types, the raw values of every flag. [`parse`] also
//! pairs each `--from`, `--to` and `--points` with the sweep axis written before it — the
//! one thing that needs clap's `ArgMatches`, which never leaves this file. Checking and
//! resolving the values is [`super::settings`]'s work.

use std::path::PathBuf;

use clap::{
    ArgAction, ArgMatches, Args, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum,
};

const EXAMPLES: &str = "\
Examples:
  accord run scenarios/peace-plan-2025.toml
  accord run scenarios/peace-plan-2025.toml --proposal plan_19 --rounds 1000000 --seed 7
  accord run scenarios/fearon.toml -o fearon.json
  accord run scenarios/peace-plan-2025-alternating.toml --plot talks.png --trace 5
  accord check scenarios/labour-contract.toml

Output: a table, or JSON or CSV by -o's extension (.json, .csv) or --format.
Exit codes: 0 success, 1 runtime failure (I/O), 2 bad input or usage.";

/// Negotiation game-theory simulator: how likely each party, and all veto holders together,
/// are to accept a deal, by seeded parallel Monte Carlo.
#[derive(Debug, Parser)]
#[command(name = "accord", version, about, after_help = EXAMPLES, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Simulate a scenario's protocol: put its proposals to the parties (ratify), or play its
    /// dynamic protocol, and report acceptance probabilities.
    #[command(after_help = EXAMPLES)]
    Run(RunArgs),
    /// Vary a proposal along a clause, a concession path or an outside option — or a dynamic
    /// protocol's parameters — every point on the same sampled worlds; two axes make a grid.
    #[command(after_help = SWEEP_EXAMPLES)]
    Sweep(SweepArgs),
    /// Every single-clause change of a proposal (ratify), ranked by the gain in agreement or in
    /// one party's acceptance, with paired 95% intervals and what each costs whom.
    #[command(after_help = CONCESSIONS_EXAMPLES)]
    Concessions(ConcessionsArgs),
    /// The deals that maximise an objective over the negotiable deal space (ratify): agreement,
    /// a party's expected value of proposing, or its acceptance; under constraints.
    #[command(after_help = SEARCH_EXAMPLES)]
    Search(SearchArgs),
    /// Redraw a saved sweep, dynamic run, concessions or search (its JSON result) without simulating
    /// again.
    Plot(PlotArgs),
    /// Write one self-contained HTML report — results with their intervals, the sweeps'
    /// charts, the scenario in words (facts, assumptions, sources) and how to reproduce it —
    /// that opens offline, on a phone, and prints.
    #[command(after_help = REPORT_EXAMPLES)]
    Report(ReportArgs),
    /// Run the same scenario under many seeds and compare the spread of the estimates with
    /// their reported intervals.
    Seeds(SeedsArgs),
    /// Combine the partial results of a sharded run (`--shard K/N`) into the full result.
    Merge(MergeArgs),
    /// Validate a scenario and print what it contains.
    Check(CheckArgs),
    /// Turn another tool's negotiation domain into an accord scenario file.
    #[command(subcommand)]
    Import(ImportCommand),
    /// The outcome space of a scenario, or of a GENIUS domain and its profiles: the Pareto
    /// frontier and the Nash, Kalai–Smorodinsky (textbook and GENIUS) and maximum-welfare
    /// deals, over the veto parties' utilities.
    #[command(visible_alias = "analyze", after_help = ANALYSE_EXAMPLES)]
    Analyse(AnalyseArgs),
    /// Which assumptions drive a result: Sobol first-order and total-effect indices of every
    /// uncertain parameter (and of named groups) for agreement on a proposal or one party's
    /// acceptance, with bootstrap intervals, and a tornado of each parameter at its 5% and
    /// 95% quantiles (ratify protocol).
    #[command(after_help = SENSITIVITY_EXAMPLES)]
    Sensitivity(SensitivityArgs),
    /// Fit hyperparameters of uncertain parameters (e.g. ukraine.reservation.mean) to observed
    /// shares and decisions by maximum likelihood, with profile-likelihood intervals, and
    /// write the scenario with the fitted values (ratify protocol).
    #[command(after_help = CALIBRATE_EXAMPLES)]
    Calibrate(CalibrateArgs),
}

const CALIBRATE_EXAMPLES: &str = "\
Examples:
  accord calibrate scenarios/peace-plan-2025.toml --data scenarios/kiis-2025.toml \\
      --fit ukraine.reservation.mean --fit ukraine.reservation.sd -o calibrated.toml

  accord calibrate scenarios/peace-plan-2025.toml --data scenarios/kiis-2025.toml \\
      --fit ukraine.reservation.mean --fit ukraine.reservation.sd --hold-out sep-oct-2025 \\
      --plot fit.png

The data file holds [[share]] tables (party, proposal, accept = the share accepting, n) and
[[decision]] tables (party, proposal, accepted = true/false), each with an optional
with = { clause = value } (a variant of the proposal) and wave; see the README. The report (a
table, or --format json/csv) goes to stdout; -o writes the scenario with the fitted values
and a comment recording the data and the fit. A calibration keeps its worlds in memory:
--rounds is at most 2,000,000.";

/// `accord calibrate`.
#[derive(Debug, Args)]
pub struct CalibrateArgs {
    /// Scenario file (.toml, or .json without -o); ratify protocol.
    pub file: PathBuf,
    /// The observations: a TOML file of [[share]] and [[decision]] tables.
    #[arg(long = "data", value_name = "OBS.toml", required = true)]
    pub data: PathBuf,
    /// A hyperparameter to fit, PATH.FIELD (e.g. ukraine.reservation.mean,
    /// russia.weights.donetsk_withdrawal.lo); repeat for several.
    #[arg(long = "fit", value_name = "PARAM", required = true)]
    pub fit: Vec<String>,
    /// Keep the observations of this wave (their `wave = "…"`) out of the fit and report how
    /// well the fit predicts them; repeat for several.
    #[arg(long = "hold-out", value_name = "WAVE")]
    pub hold_out: Vec<String>,
    /// Rounds (the worlds every candidate is judged on, at most 2,000,000), seed and threads.
    #[command(flatten)]
    pub draw: DrawArgs,
    /// Write the scenario with the fitted values here (TOML, replaced atomically).
    #[arg(short = 'o', long = "output", value_name = "PATH")]
    pub output: Option<PathBuf>,
    /// Format of the report on stdout.
    #[arg(long, value_enum)]
    pub format: Option<FormatArg>,
    /// The observed shares against the fitted (and held-out predicted) ones.
    #[command(flatten)]
    pub chart: ChartArgs,
}

const SENSITIVITY_EXAMPLES: &str = "\
Examples:
  accord sensitivity scenarios/peace-plan-2025.toml --proposal plan_19
  accord sensitivity scenarios/peace-plan-2025.toml --proposal plan_28 --outcome accept:ukraine
  accord sensitivity scenarios/peace-plan-2025.toml --proposal plan_19 --group russia --group ukraine.weights --plot sobol.png
  accord sensitivity scenarios/peace-plan-2025.toml --proposal plan_19 --precision 0.02 -o sobol.json

Indices: first order S_i (Saltelli 2010), the share of Var(Y) that parameter i explains
alone; total effect ST_i (Jansen 1999), its share with every interaction. Correlated
parameters form one factor; a logit party's random acceptance draw is the factor PARTY.accept.
Evaluations: rounds x (2 + factors + groups + 2 x parameters).";

/// `accord sensitivity`.
#[derive(Debug, Args)]
pub struct SensitivityArgs {
    /// Scenario file (.toml, or .json); ratify protocol.
    pub file: PathBuf,
    /// The proposal whose outcome is analysed.
    #[arg(short = 'p', long = "proposal", value_name = "NAME", required = true)]
    pub proposal: String,
    /// The outcome Y analysed: `agreement`, or `accept:PARTY` for one party's acceptance
    /// (`-o`/`--output` is, as everywhere, the file the result is written to).
    #[arg(long = "outcome", value_name = "Y", default_value = "agreement")]
    pub outcome: String,
    /// Also the indices of every uncertain parameter at or under this path, together (e.g.
    /// `russia.weights`, `ukraine`); repeat for several.
    #[arg(long = "group", value_name = "PATH")]
    pub groups: Vec<String>,
    /// Rounds (in each of the two sample sets), seed and threads.
    #[command(flatten)]
    pub draw: DrawArgs,
    /// Add rounds until every total-effect interval's half-width is at most H (0 < H < 0.5),
    /// or --max-rounds is reached.
    #[arg(
        long,
        value_name = "H",
        allow_negative_numbers = true,
        conflicts_with = "rounds"
    )]
    pub precision: Option<f64>,
    /// The most rounds precision mode may play.
    #[arg(long, value_name = "N", value_parser = parse_rounds, requires = "precision", default_value = "10000000")]
    pub max_rounds: u64,
    #[command(flatten)]
    pub chart: ChartArgs,
    #[command(flatten)]
    pub out: OutputArgs,
}

const IMPORT_EXAMPLES: &str = "\
Examples:
  accord import genius Laptop-C-domain.xml Laptop-C-prof1.xml Laptop-C-prof2.xml -o laptop.toml
  accord import genius party.json party1.json party2.json --protocol alternating --deadline 180

The scenario gets one clause per issue, one veto party per profile, and up to four proposals:
the Nash, Kalai–Smorodinsky, GENIUS Kalai–Smorodinsky and maximum-welfare deals over every
outcome (see `accord analyse --help`).";

const ANALYSE_EXAMPLES: &str = "\
Examples:
  accord analyse laptop.toml
  accord analyse Laptop-C-domain.xml Laptop-C-prof1.xml Laptop-C-prof2.xml --frontier
  accord analyse scenarios/labour-contract.toml --resolution 21 --format json
  accord analyse scenarios/fearon.toml --power a=0.3,b=0.7

Solution points, over the parties whose acceptance is needed (the veto holders), with d their
reservations and a their ideals (best individually rational utilities):
  nash               maximises Π (u_i − d_i)^α_i, every u_i ≥ d_i (powers α from --power)
  kalai_smorodinsky  the largest smallest fraction (u_i − d_i)/(a_i − d_i) (equal fractions on
                     a continuous frontier)
  genius_ks          the Pareto outcome with the smallest Σ_{i<j} |u_i − u_j| (GENIUS)
  max_welfare        the largest Σ u_i, every u_i ≥ d_i
When the only clause on a grid is linear for every veto party, the points are exact off the
grid; otherwise they are the best grid points at --resolution.";

/// Formats an import reads.
#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// A GENIUS (ANAC) domain XML and two or more profile XMLs (or GeniusWeb JSON).
    #[command(after_help = IMPORT_EXAMPLES)]
    Genius(GeniusImportArgs),
}

#[derive(Debug, Args)]
pub struct GeniusImportArgs {
    /// The domain file (.xml, or GeniusWeb .json).
    #[arg(value_name = "DOMAIN")]
    pub domain: PathBuf,
    /// The profiles (utility spaces), one per party.
    #[arg(value_name = "PROFILE", required = true)]
    pub profiles: Vec<PathBuf>,
    /// Write the scenario to this file (replaced atomically) [default: stdout].
    #[arg(short = 'o', long = "output", value_name = "PATH")]
    pub output: Option<PathBuf>,
    /// The protocol written into the scenario.
    #[arg(long, value_enum, default_value_t = ImportProtocolArg::Ratify)]
    pub protocol: ImportProtocolArg,
    /// Steps before alternating offers end [default: 100]; GENIUS discount factors are spread
    /// over them.
    #[arg(long, value_name = "N")]
    pub deadline: Option<u32>,
    /// Grid points per real issue when finding the solution-point proposals.
    #[arg(long, value_name = "K", default_value_t = crate::model::space::DEFAULT_RESOLUTION)]
    pub resolution: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ImportProtocolArg {
    /// Put the solution-point proposals to every party.
    Ratify,
    /// Alternating offers with time-dependent concession over every outcome.
    Alternating,
}

#[derive(Debug, Args)]
pub struct AnalyseArgs {
    /// A scenario (.toml or .json), or a GENIUS domain followed by its profiles.
    #[arg(value_name = "FILE", required = true)]
    pub files: Vec<PathBuf>,
    /// Grid points per range clause, from 2 to 100001 (integer ranges of at most 1001 values
    /// are enumerated value by value instead).
    #[arg(long, value_name = "K", default_value_t = crate::model::space::DEFAULT_RESOLUTION)]
    pub resolution: usize,
    /// Bargaining powers in the Nash product Π (u_i − d_i)^α_i, as PARTY=α pairs for every
    /// veto party (positive; normalised to sum to 1) [default: equal].
    #[arg(long, value_name = "PARTY=α,...")]
    pub power: Option<String>,
    /// List every Pareto-optimal outcome (table format; JSON and CSV always do).
    #[arg(long)]
    pub frontier: bool,
    #[command(flatten)]
    pub out: OutputArgs,
}

const SWEEP_EXAMPLES: &str = "\
Examples:
  accord sweep scenarios/peace-plan-2025.toml --proposal plan_19 \\
      --clause troop_cap --from 600000 --to 800000 --points 21 --plot troop-cap.png
  accord sweep scenarios/peace-plan-2025.toml --path plan_28..plan_19 --beyond 0.25 --plot path.svg
  accord sweep scenarios/peace-plan-2025.toml --proposal plan_19 \\
      --reservation ukraine --from 0.6 --to 0.2 -o pressure.csv
  accord sweep scenarios/peace-plan-2025.toml --proposal plan_19 \\
      --clause troop_cap --points 11 --clause nato --plot grid.png
  accord sweep scenarios/peace-plan-2025-alternating.toml --param deadline --from 4 --to 28
  accord sweep scenarios/rubinstein.toml --param first.discount --from 0.5 --to 0.99 --plot d.svg

--from, --to and --points apply to the --clause, --reservation or --param (or, for --points,
--path) written before them.";

const CONCESSIONS_EXAMPLES: &str = "\
Examples:
  accord concessions scenarios/peace-plan-2025.toml --proposal plan_19 --for russia
  accord concessions scenarios/peace-plan-2025.toml --proposal plan_19 --depth 2 --plot gains.png
  accord concessions scenarios/fearon.toml --proposal split -o split.csv

Each change is played on the same sampled worlds as the proposal: its interval is the paired
difference's (Newcombe's method 10), narrower than two independent intervals. Choices move to
each other option, bools flip, ranges move to each other point of their grid (--resolution).
--depth 2 adds pairs among the 8 best single changes (by the ranking gain) that move two
different clauses. Ratify only: a dynamic protocol negotiates its own deal.";

#[derive(Debug, Args)]
pub struct ConcessionsArgs {
    /// Scenario file (.toml, or .json).
    pub file: PathBuf,
    /// The proposal whose clauses are changed.
    #[arg(short = 'p', long = "proposal", value_name = "NAME", required = true)]
    pub proposal: String,
    /// Rank by this party's acceptance [default: by agreement].
    #[arg(long = "for", value_name = "PARTY")]
    pub for_party: Option<String>,
    /// 1: single changes; 2: also pairs among the 8 best single changes.
    #[arg(long, value_name = "D", default_value_t = 1)]
    pub depth: u8,
    /// Grid points per range clause, from 2 to 100001 (integer ranges of at most 1001 values
    /// take every value).
    #[arg(long, value_name = "K", default_value_t = crate::model::space::DEFAULT_RESOLUTION)]
    pub resolution: usize,
    /// Condition every estimate on an observed decision, e.g. "ukraine accepts plan_19"
    /// (repeat for several): only rounds that agree with all of them count.
    #[arg(long = "given", value_name = "OBSERVATION")]
    pub given: Vec<String>,
    /// Draw the ranked gains with their intervals.
    #[command(flatten)]
    pub chart: ChartArgs,
    #[command(flatten)]
    pub sim: SimArgs,
    #[command(flatten)]
    pub out: OutputArgs,
}

const SEARCH_EXAMPLES: &str = "\
Examples:
  accord search scenarios/peace-plan-2025.toml --resolution 9 --top 10 --plot best.png
  accord search scenarios/peace-plan-2025.toml --objective value:united_states \\
      --constraint agreement>=0.3 --top 3
  accord search scenarios/peace-plan-2025.toml --objective accept:russia \\
      --within plan_28..plan_19 --constraint troop_cap<=800000 --constraint nato=deferred

Objectives: agreement (default); value:PARTY, the party's expected value of proposing the deal,
P(agree)·u + (1 − P(agree))·r (u its mean utility, r its mean reservation); accept:PARTY.
Constraints on estimates (met by the point estimate): utility:PARTY>=x, agreement>=p,
accept:PARTY>=p (or <=). On clauses: NAME<=v, NAME>=v, NAME=v (a choice by its options' order).
Spaces of at most 100,000 deals are searched exactly: every deal on every round, the same worlds.
Larger ones (up to 10^7) are raced: successive halving, a quarter kept at each stage, each on
four times the rounds of the last, the finalists on every round.";

#[derive(Debug, Args)]
pub struct SearchArgs {
    /// Scenario file (.toml, or .json).
    pub file: PathBuf,
    /// What to maximise: agreement, value:PARTY or accept:PARTY.
    #[arg(long, value_name = "OBJECTIVE", default_value = "agreement")]
    pub objective: String,
    /// A constraint (repeat for several): utility:PARTY>=x, agreement>=p, accept:PARTY>=p,
    /// CLAUSE<=v, CLAUSE>=v, CLAUSE=v.
    #[arg(long = "constraint", value_name = "C", allow_hyphen_values = true)]
    pub constraints: Vec<String>,
    /// Keep every clause between its values in two proposals, e.g. plan_28..plan_19.
    #[arg(long, value_name = "A..B")]
    pub within: Option<String>,
    /// How many of the best deals to report.
    #[arg(long, value_name = "K", default_value_t = crate::explore::DEFAULT_TOP)]
    pub top: usize,
    /// Grid points per range clause, from 2 to 100001, besides the proposals' values (integer
    /// ranges of at most 1001 values take every value).
    #[arg(long, value_name = "K", default_value_t = crate::model::space::DEFAULT_RESOLUTION)]
    pub resolution: usize,
    /// Condition every estimate on an observed decision, e.g. "ukraine accepts plan_19"
    /// (repeat for several): only rounds that agree with all of them count.
    #[arg(long = "given", value_name = "OBSERVATION")]
    pub given: Vec<String>,
    /// Draw the deals found, ranked, with their objective's intervals.
    #[command(flatten)]
    pub chart: ChartArgs,
    #[command(flatten)]
    pub sim: SimArgs,
    #[command(flatten)]
    pub out: OutputArgs,
}

/// How many rounds to draw, from which seed, on how many threads.
#[derive(Debug, Clone, Args)]
pub struct DrawArgs {
    /// Monte Carlo rounds, at most 10^12 [default: the scenario's [simulation] rounds, else
    /// 100000].
    #[arg(long, value_name = "N", value_parser = parse_rounds, allow_negative_numbers = true)]
    pub rounds: Option<u64>,
    /// Master seed [default: the scenario's [simulation] seed, else 1].
    #[arg(long, value_name = "S")]
    pub seed: Option<u64>,
    /// Worker threads [default: all cores]. Results do not depend on it.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=1024))]
    pub threads: Option<u16>,
}

/// Flags shared by commands that simulate.
#[derive(Debug, Clone, Args)]
pub struct SimArgs {
    #[command(flatten)]
    pub draw: DrawArgs,
    /// Add blocks of 1024 rounds until every agreement probability's 95% half-width is at
    /// most H (0 < H < 0.5), or --max-rounds is reached.
    #[arg(long, value_name = "H", allow_negative_numbers = true, conflicts_with_all = ["rounds", "shard"])]
    pub precision: Option<f64>,
    /// The most rounds precision mode may play.
    #[arg(long, value_name = "N", value_parser = parse_rounds, requires = "precision", default_value = "10000000")]
    pub max_rounds: u64,
    /// Play only the K-th of N contiguous slices of the blocks and write a partial result for
    /// `accord merge` (K from 1 to N).
    #[arg(long, value_name = "K/N", value_parser = parse_shard, allow_hyphen_values = true)]
    pub shard: Option<(u64, u64)>,
}

/// Where a result goes, and in which format.
#[derive(Debug, Clone, Args)]
pub struct OutputArgs {
    /// Output format [default: by -o's extension (.json, .csv; a table otherwise), else a
    /// table].
    #[arg(long, value_enum)]
    pub format: Option<FormatArg>,
    /// Write to this file instead of stdout (a regular file is replaced atomically).
    #[arg(short = 'o', long = "output", value_name = "PATH")]
    pub output: Option<PathBuf>,
}

/// A chart to draw.
#[derive(Debug, Clone, Args)]
pub struct ChartArgs {
    /// Draw a chart to this file: .png or .svg.
    #[arg(long = "plot", value_name = "PATH")]
    pub plot: Option<PathBuf>,
    /// Chart size in pixels.
    #[arg(long = "size", value_name = "WxH", default_value = "1200x750", value_parser = parse_size)]
    pub size: (u32, u32),
}

#[derive(Debug, Args)]
pub struct RunArgs {
    /// Scenario file (.toml, or .json).
    pub file: PathBuf,
    /// Evaluate only this proposal (repeat for several) [default: the [protocol] list, else
    /// all]; mediated: the text the mediator starts from.
    #[arg(short = 'p', long = "proposal", value_name = "NAME")]
    pub proposals: Vec<String>,
    /// Dynamic protocols: write the step-by-step play of the first N rounds as JSON lines
    /// (to --trace-file, else to stderr).
    #[arg(long, value_name = "N")]
    pub trace: Option<u64>,
    /// Where --trace writes its JSON lines [default: stderr].
    #[arg(long = "trace-file", value_name = "PATH", requires = "trace")]
    pub trace_file: Option<PathBuf>,
    /// Dynamic protocols: draw agreement by step and each party's offer path.
    /// Condition every estimate on an observed decision, e.g. "ukraine accepts plan_19"
    /// (repeat for several; ratify only): only rounds that agree with all of them count.
    #[arg(long = "given", value_name = "OBSERVATION")]
    pub given: Vec<String>,
    #[command(flatten)]
    pub chart: ChartArgs,
    #[command(flatten)]
    pub sim: SimArgs,
    #[command(flatten)]
    pub out: OutputArgs,
}

#[derive(Debug, Args)]
pub struct SweepArgs {
    /// Scenario file (.toml, or .json).
    pub file: PathBuf,
    /// The proposal to vary [default: the path's start, else the first proposal]; mediated:
    /// the text the mediator starts from.
    #[arg(short = 'p', long = "proposal", value_name = "NAME")]
    pub proposal: Option<String>,
    /// Condition every estimate on an observed decision, e.g. "ukraine accepts plan_19"
    /// (repeat for several; ratify only): only rounds that agree with all of them count.
    #[arg(long = "given", value_name = "OBSERVATION")]
    pub given: Vec<String>,
    #[command(flatten)]
    pub axes: AxisArgs,
    #[command(flatten)]
    pub chart: ChartArgs,
    #[command(flatten)]
    pub sim: SimArgs,
    #[command(flatten)]
    pub out: OutputArgs,
}

/// The axes of a sweep.
#[derive(Debug, Clone, Args)]
pub struct AxisArgs {
    /// Sweep this clause: a range from --from to --to, or every option of a choice or bool.
    #[arg(long = "clause", value_name = "NAME")]
    pub clause: Vec<String>,
    /// Sweep the concession path between two proposals (x = 0 at FROM, 1 at TO).
    #[arg(long = "path", value_name = "FROM..TO")]
    pub path: Vec<String>,
    /// Sweep this party's outside option (its mean, when uncertain) from --from to --to.
    #[arg(long = "reservation", value_name = "PARTY")]
    pub reservation: Vec<String>,
    /// Dynamic protocols: sweep a protocol or tactic parameter from --from to --to:
    /// `deadline`, `breakdown`, `PARTY.discount`, `PARTY.tactic.e` (also k, min, max, factor,
    /// level) or `PARTY.respond.threshold`.
    #[arg(long = "param", value_name = "NAME")]
    pub param: Vec<String>,
    /// Of the preceding --reservation axis: sweep shifts from the party's own reservation
    /// (its mean, when uncertain) from A to B, e.g. `--shift -0.2..0`, instead of --from/--to.
    #[arg(long = "shift", value_name = "A..B", allow_hyphen_values = true)]
    pub shift: Vec<String>,
    /// Start of the preceding axis [default: the clause's minimum; reservation 0].
    #[arg(long = "from", value_name = "A", allow_negative_numbers = true)]
    pub from: Vec<f64>,
    /// End of the preceding axis [default: the clause's maximum; reservation 1].
    #[arg(long = "to", value_name = "B", allow_negative_numbers = true)]
    pub to: Vec<f64>,
    /// Points on the preceding axis, 2 to 100000 [default: 21].
    #[arg(long = "points", value_name = "K")]
    pub points: Vec<usize>,
    /// Extend the path past both ends by this share of its length.
    #[arg(long = "beyond", value_name = "F", allow_negative_numbers = true)]
    pub beyond: Option<f64>,
}

const REPORT_EXAMPLES: &str = "\
Examples:
  accord report scenarios/peace-plan-2025.toml -o report.html
  accord report scenarios/peace-plan-2025.toml --proposal plan_28 --proposal plan_19 \\
      --sweep --path plan_28..plan_19 --beyond 0.25 --points 31 \\
      --sweep --clause troop_cap --from 400000 --to 1000000 --points 25 -o report.html

Each --sweep starts a sweep: the axes written after it (up to the next --sweep) are its axes,
with the syntax of `accord sweep` (two axes make a grid). A sweep varies the first --proposal,
else its default base.";

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Scenario file (.toml, or .json).
    pub file: PathBuf,
    /// Put this proposal to the parties (repeat for several) [default: the [protocol] list,
    /// else all]; the first is also the proposal each sweep varies. Mediated: the text the
    /// mediator starts from.
    #[arg(short = 'p', long = "proposal", value_name = "NAME")]
    pub proposals: Vec<String>,
    /// Start a sweep (repeat for several): the --clause, --path, --reservation or --param
    /// axes written after it, each with its --from, --to and --points, as for `accord sweep`.
    // Appended (one empty value each) rather than counted: clap records where each
    // occurrence stands only for values, and the axes are grouped by those positions.
    #[arg(long = "sweep", action = ArgAction::Append, num_args = 0, default_missing_value = "")]
    pub sweep: Vec<String>,
    #[command(flatten)]
    pub axes: AxisArgs,
    #[command(flatten)]
    pub sim: SimArgs,
    /// The HTML file to write (.html or .htm; a regular file is replaced atomically).
    #[arg(short = 'o', long = "output", value_name = "PATH", required = true)]
    pub output: PathBuf,
    /// The charts' size in pixels (their coordinates: the page scales them to its width).
    #[arg(long = "size", value_name = "WxH", default_value = "900x560", value_parser = parse_size)]
    pub size: (u32, u32),
}

#[derive(Debug, Args)]
pub struct PlotArgs {
    /// A result written as JSON by `accord sweep`, `accord concessions` or by `accord run` of
    /// a dynamic protocol.
    pub result: PathBuf,
    /// The chart to write: .png or .svg.
    #[arg(long = "plot", value_name = "PATH", required = true)]
    pub plot: PathBuf,
    /// Chart size in pixels.
    #[arg(long = "size", value_name = "WxH", default_value = "1200x750", value_parser = parse_size)]
    pub size: (u32, u32),
}

#[derive(Debug, Args)]
pub struct SeedsArgs {
    /// Scenario file (.toml, or .json).
    pub file: PathBuf,
    /// Seeds to run (at least 2): a range `A..=B` or `A..B`, or a list `1,5,9`.
    #[arg(long, value_name = "RANGE", required = true)]
    pub seeds: String,
    /// Evaluate only this proposal (repeat for several); with sweep axes, the proposal to vary;
    /// mediated: the text the mediator starts from.
    #[arg(short = 'p', long = "proposal", value_name = "NAME")]
    pub proposals: Vec<String>,
    /// Sweep axes, as for `accord sweep`: then the spread is reported per point.
    /// Condition every estimate on an observed decision, e.g. "ukraine accepts plan_19"
    /// (repeat for several; ratify only): only rounds that agree with all of them count.
    #[arg(long = "given", value_name = "OBSERVATION")]
    pub given: Vec<String>,
    #[command(flatten)]
    pub axes: AxisArgs,
    /// Monte Carlo rounds per seed [default: the scenario's].
    #[arg(long, value_name = "N", value_parser = parse_rounds, allow_negative_numbers = true)]
    pub rounds: Option<u64>,
    /// Worker threads [default: all cores].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=1024))]
    pub threads: Option<u16>,
    /// Draw each seed's estimates with their intervals.
    #[command(flatten)]
    pub chart: ChartArgs,
    #[command(flatten)]
    pub out: OutputArgs,
}

#[derive(Debug, Args)]
pub struct MergeArgs {
    /// Partial results written by `accord run|sweep --shard K/N -o PART`.
    #[arg(required = true, value_name = "PART")]
    pub parts: Vec<PathBuf>,
    /// Draw the merged sweep or dynamic run.
    #[command(flatten)]
    pub chart: ChartArgs,
    #[command(flatten)]
    pub out: OutputArgs,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Scenario file (.toml, or .json).
    pub file: PathBuf,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    Table,
    Json,
    Csv,
}

impl From<FormatArg> for crate::report::Format {
    fn from(f: FormatArg) -> Self {
        match f {
            FormatArg::Table => crate::report::Format::Table,
            FormatArg::Json => crate::report::Format::Json,
            FormatArg::Csv => crate::report::Format::Csv,
        }
    }
}

/// What a sweep axis sweeps, as flagged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AxisFlag {
    Clause,
    Path,
    Reservation,
    Param,
}

impl AxisFlag {
    /// The flag, e.g. `--clause`.
    pub fn flag(self) -> &'static str {
        match self {
            AxisFlag::Clause => "--clause",
            AxisFlag::Path => "--path",
            AxisFlag::Reservation => "--reservation",
            AxisFlag::Param => "--param",
        }
    }
}

/// A sweep axis as typed: its flag and value, and the `--from`, `--to` and `--points`
/// written after it (before the next axis).
#[derive(Debug, Clone, PartialEq)]
pub struct RawAxis {
    pub kind: AxisFlag,
    pub value: String,
    pub from: Option<f64>,
    pub to: Option<f64>,
    pub points: Option<usize>,
    /// `--shift A..B`: a reservation axis's shifts, as written.
    pub shift: Option<String>,
}

/// The parsed command line, with the sweep axes (of `sweep`, `seeds` or `report`) in the
/// order typed; for `report`, how many of them each `--sweep` has, in order.
#[derive(Debug)]
pub struct Parsed {
    pub cli: Cli,
    pub axes: Vec<RawAxis>,
    pub sweeps: Vec<usize>,
}

/// Parses the process's arguments (clap prints usage errors and exits with code 2 itself);
/// a `--from`, `--to` or `--points` with no axis before it, or given twice for one axis, is
/// an error that names it.
pub fn parse() -> Result<Parsed, crate::error::Error> {
    parse_from(std::env::args_os())
}

/// [`parse`] of the given arguments (the first is the program's name).
pub fn parse_from<I, T>(args: I) -> Result<Parsed, crate::error::Error>
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let matches = Cli::command().get_matches_from(args);
    let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    let (axes, sweeps) = match (&cli.command, matches.subcommand()) {
        (Command::Sweep(a), Some((_, m))) => (strip(axes_in_order(&a.axes, m)?), Vec::new()),
        (Command::Seeds(a), Some((_, m))) => (strip(axes_in_order(&a.axes, m)?), Vec::new()),
        (Command::Report(a), Some((_, m))) => sweeps_in_order(&a.axes, m)?,
        _ => (Vec::new(), Vec::new()),
    };
    Ok(Parsed { cli, axes, sweeps })
}

/// The axes without their positions.
fn strip(axes: Vec<(usize, RawAxis)>) -> Vec<RawAxis> {
    axes.into_iter().map(|(_, a)| a).collect()
}

/// `accord report`'s axes in order, and how many belong to each `--sweep`: those written
/// after it and before the next. An axis before any `--sweep`, or a `--sweep` with no axis,
/// is an error that says so.
fn sweeps_in_order(
    args: &AxisArgs,
    m: &ArgMatches,
) -> Result<(Vec<RawAxis>, Vec<usize>), crate::error::Error> {
    let axes = axes_in_order(args, m)?;
    let starts: Vec<usize> = m
        .indices_of("sweep")
        .map(|i| i.collect())
        .unwrap_or_default();
    let mut counts = vec![0; starts.len()];
    for (at, a) in &axes {
        let Some(k) = starts.iter().rposition(|s| s < at) else {
            return Err(crate::error::Error::usage(
                format!("{} {}: comes before any --sweep", a.kind.flag(), a.value),
                Some(
                    "each sweep starts with --sweep, then its axes: --sweep --clause NAME …".into(),
                ),
            ));
        };
        counts[k] += 1;
    }
    if let Some(k) = counts.iter().position(|&c| c == 0) {
        return Err(crate::error::Error::usage(
            format!("--sweep (the {}): has no axis after it", ordinal(k + 1)),
            Some("follow each --sweep with --clause, --path, --reservation or --param".into()),
        ));
    }
    Ok((strip(axes), counts))
}

/// `1st`, `2nd`, `3rd`, `4th`, … `11th`, `21st`.
fn ordinal(n: usize) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// Pairs each `--from`, `--to` and `--points` with the axis flag written before it; each axis
/// with its position on the command line.
fn axes_in_order(
    args: &AxisArgs,
    m: &ArgMatches,
) -> Result<Vec<(usize, RawAxis)>, crate::error::Error> {
    let positions =
        |id: &str| -> Vec<usize> { m.indices_of(id).map(|i| i.collect()).unwrap_or_default() };
    let mut axes: Vec<(usize, RawAxis)> = Vec::new();
    for (id, kind, values) in [
        ("clause", AxisFlag::Clause, &args.clause),
        ("path", AxisFlag::Path, &args.path),
        ("reservation", AxisFlag::Reservation, &args.reservation),
        ("param", AxisFlag::Param, &args.param),
    ] {
        let pos = positions(id);
        for (i, v) in values.iter().enumerate() {
            let at = pos.get(i).copied().unwrap_or(i);
            axes.push((
                at,
                RawAxis {
                    kind,
                    value: v.clone(),
                    from: None,
                    to: None,
                    points: None,
                    shift: None,
                },
            ));
        }
    }
    axes.sort_by_key(|a| a.0);
    /// The axis each value belongs to: the last one written before it.
    fn owners<T: std::fmt::Display>(
        flag: &str,
        values: &[T],
        pos: &[usize],
        axes: &[(usize, RawAxis)],
    ) -> Result<Vec<usize>, crate::error::Error> {
        let mut seen = Vec::new();
        values
            .iter()
            .enumerate()
            .map(|(i, v)| {
                let at = pos.get(i).copied().unwrap_or(usize::MAX);
                let owner = axes.iter().rposition(|a| a.0 < at).ok_or_else(|| {
                    crate::error::Error::usage(
                        format!("{flag} {v}: comes before any --clause, --path, --reservation or --param"),
                        Some(format!("write {flag} after the axis it applies to")),
                    )
                })?;
                if seen.contains(&owner) {
                    let a = &axes[owner].1;
                    return Err(crate::error::Error::usage(
                        format!("{flag} {v}: the axis {} {} already has a {flag}", a.kind.flag(), a.value),
                        None,
                    ));
                }
                seen.push(owner);
                Ok(owner)
            })
            .collect()
    }
    for (v, k) in args
        .from
        .iter()
        .zip(owners("--from", &args.from, &positions("from"), &axes)?)
    {
        axes[k].1.from = Some(*v);
    }
    for (v, k) in args
        .to
        .iter()
        .zip(owners("--to", &args.to, &positions("to"), &axes)?)
    {
        axes[k].1.to = Some(*v);
    }
    for (v, k) in args
        .shift
        .iter()
        .zip(owners("--shift", &args.shift, &positions("shift"), &axes)?)
    {
        axes[k].1.shift = Some(v.clone());
    }
    for (v, k) in args.points.iter().zip(owners(
        "--points",
        &args.points,
        &positions("points"),
        &axes,
    )?) {
        axes[k].1.points = Some(*v);
    }
    Ok(axes)
}

fn parse_rounds(s: &str) -> Result<u64, String> {
    let cleaned: String = s.chars().filter(|c| *c != '_' && *c != ',').collect();
    match cleaned.parse::<u64>() {
        Ok(0) => Err("must be at least 1".into()),
        Ok(n) if n > crate::model::MAX_ROUNDS => Err(format!(
            "{} rounds: at most {} (10^12)",
            crate::text::thousands(n),
            crate::text::thousands(crate::model::MAX_ROUNDS)
        )),
        Ok(n) => Ok(n),
        Err(_) => Err(format!(
            "`{s}` is not a whole number of rounds (for example 100000)"
        )),
    }
}

fn parse_shard(s: &str) -> Result<(u64, u64), String> {
    let bad = || format!("`{s}` is not a shard K/N with 1 <= K <= N, for example 3/8");
    let (k, n) = s.split_once('/').ok_or_else(bad)?;
    let (k, n): (u64, u64) = (
        k.trim().parse().map_err(|_| bad())?,
        n.trim().parse().map_err(|_| bad())?,
    );
    crate::job::Shard::new(k, n).map_err(|_| bad())?;
    Ok((k, n))
}

/// The seeds named by `1..=20`, `1..20` or `1,5,9`: at most 10,000, none repeated.
pub fn seed_list(s: &str) -> Result<Vec<u64>, String> {
    let bad = || format!("`{s}` is not a seed range like 1..=20 or 1..21, or a list like 1,5,9");
    let seeds: Vec<u64> = if let Some((a, b)) = s.split_once("..") {
        let (inclusive, b) = match b.strip_prefix('=') {
            Some(b) => (true, b),
            None => (false, b),
        };
        let (a, b): (u64, u64) = (
            a.trim().parse().map_err(|_| bad())?,
            b.trim().parse().map_err(|_| bad())?,
        );
        let end = if inclusive {
            b.checked_add(1).ok_or_else(bad)?
        } else {
            b
        };
        if end <= a {
            return Err(format!(
                "`{s}` is an empty or reversed range: it names no seed"
            ));
        }
        if end - a > 10_000 {
            return Err(format!("`{s}` names {} seeds; at most 10000", end - a));
        }
        (a..end).collect()
    } else {
        s.split(',')
            .map(|x| x.trim().parse::<u64>().map_err(|_| bad()))
            .collect::<Result<_, _>>()?
    };
    if seeds.is_empty() {
        return Err(bad());
    }
    for (i, x) in seeds.iter().enumerate() {
        if seeds[..i].contains(x) {
            return Err(format!("`{s}` names seed {x} twice"));
        }
    }
    Ok(seeds)
}

fn parse_size(s: &str) -> Result<(u32, u32), String> {
    let bad = || format!("`{s}` is not a size like 1200x750 (each side 200 to 8000 pixels)");
    let (w, h) = s.split_once(['x', 'X']).ok_or_else(bad)?;
    let (w, h): (u32, u32) = (
        w.trim().parse().map_err(|_| bad())?,
        h.trim().parse().map_err(|_| bad())?,
    );
    if !(200..=8000).contains(&w) || !(200..=8000).contains(&h) {
        return Err(bad());
    }
    Ok((w, h))
}
