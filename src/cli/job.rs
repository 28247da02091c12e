//! What `run`, `sweep`, `seeds` and `merge` share: a resolved job (the scenario, what to
//! evaluate, the run options) played whole, in precision mode, or as one shard of a cluster
//! run; and the partial results that `merge` combines. Every protocol goes through it:
//! ratification of proposals, a dynamic protocol's play, and sweeps of either.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::args::{OutputArgs, SimArgs};
use super::progress::Progress;
use super::proposal_indices;
use crate::error::Error;
use crate::model::{ProtocolSpec, Scenario};
use crate::output::write_output;
use crate::protocol::bargain::{BargainResult, BargainTally, Dynamic};
use crate::protocol::{Precision, Ratify, RatifyResult, RatifyTally};
use crate::report::plot::draw_sweep;
use crate::report::{self, Format};
use crate::scenario::Format as SourceFormat;
use crate::sim::seed::block_count;
use crate::sim::{Experiment, Finished, RunOptions, Runner};
use crate::sweep::{self, DynamicPoints, ParamPlan, Plan, SweepResult, SweepSpec};

/// What a job evaluates; recorded in partial results so `merge` can rebuild the job.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Selection {
    /// Ratification of these proposals (by index).
    Run { proposals: Vec<usize> },
    /// A sweep: of a proposal (ratify), or of a dynamic protocol's parameters.
    Sweep { spec: SweepSpec },
    /// The play of a dynamic protocol (alternating, mediated, equilibrium); a mediated text
    /// starts from proposal `start` (by index) instead of the scenario's.
    Bargain { start: Option<usize> },
}

/// A selection checked against the scenario's protocol.
enum Resolved {
    Run(Vec<usize>),
    Sweep(Box<Plan>),
    Params(Box<ParamPlan>),
    Bargain(Option<usize>),
}

/// A job resolved against its scenario.
pub struct Job<'s> {
    pub scenario: &'s Scenario,
    pub options: RunOptions,
    pub selection: Selection,
    resolved: Resolved,
}

/// The experiment a job plays.
enum Prepared<'j> {
    Ratify(Ratify<'j>),
    Bargain(Box<Dynamic<'j>>),
    Points(DynamicPoints<'j>),
}

/// The running totals of any job: what a shard writes and `merge` adds up. Integers only,
/// so totals merge exactly.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Tally {
    /// Ratification of proposals, or of a sweep's points.
    Ratify(RatifyTally),
    /// A dynamic protocol's play.
    Bargain(Box<BargainTally>),
    /// A parameter sweep of a dynamic protocol: one tally per point.
    Points(Vec<BargainTally>),
}

impl Tally {
    fn kind(&self) -> &'static str {
        match self {
            Tally::Ratify(_) => "ratify",
            Tally::Bargain(_) => "bargain",
            Tally::Points(_) => "points",
        }
    }
}

/// A finished job's report.
pub enum Report {
    Run(RatifyResult),
    Sweep(SweepResult),
    Bargain(Box<BargainResult>),
}

impl Report {
    fn precision(&self) -> Option<Precision> {
        match self {
            Report::Run(r) => r.precision,
            Report::Sweep(s) => s.meta.precision,
            Report::Bargain(b) => b.precision,
        }
    }

    /// Rounds played.
    pub fn rounds(&self) -> u64 {
        match self {
            Report::Run(r) => r.rounds,
            Report::Sweep(s) => s.meta.rounds,
            Report::Bargain(b) => b.rounds,
        }
    }
}

/// Plays `range` of `experiment`'s blocks, stopping at the first block boundary where every
/// agreement probability's half-width is at most `target` (if given).
fn play_blocks<E: Experiment>(
    runner: &Runner,
    experiment: &E,
    range: std::ops::Range<u64>,
    target: Option<f64>,
    progress: &(dyn Fn(u64) + Sync),
) -> Finished<E::Tally> {
    let Some(h) = target else {
        return runner.run_all(experiment, range, progress);
    };
    let stop = |t: &E::Tally| experiment.max_half_width(t).is_some_and(|w| w <= h);
    runner.run_blocks(experiment, range, &stop, progress)
}

impl Prepared<'_> {
    fn new_tally(&self) -> Tally {
        match self {
            Prepared::Ratify(e) => Tally::Ratify(e.new_tally()),
            Prepared::Bargain(e) => Tally::Bargain(Box::new(e.new_tally())),
            Prepared::Points(e) => Tally::Points(e.new_tally()),
        }
    }

    fn play(
        &self,
        runner: &Runner,
        range: std::ops::Range<u64>,
        target: Option<f64>,
        progress: &(dyn Fn(u64) + Sync),
    ) -> (Tally, u64) {
        match self {
            Prepared::Ratify(e) => {
                let done = play_blocks(runner, e, range, target, progress);
                (Tally::Ratify(done.tally), done.rounds)
            }
            Prepared::Bargain(e) => {
                let done = play_blocks(runner, e.as_ref(), range, target, progress);
                (Tally::Bargain(Box::new(done.tally)), done.rounds)
            }
            Prepared::Points(e) => {
                let done = play_blocks(runner, e, range, target, progress);
                (Tally::Points(done.tally), done.rounds)
            }
        }
    }

    fn max_half_width(&self, tally: &Tally) -> Option<f64> {
        match (self, tally) {
            (Prepared::Ratify(e), Tally::Ratify(t)) => e.max_half_width(t),
            (Prepared::Bargain(e), Tally::Bargain(t)) => e.max_half_width(t),
            (Prepared::Points(e), Tally::Points(t)) => e.max_half_width(t),
            _ => None,
        }
    }

    /// Adds `from` into `into`; `false` if it is not a tally of this experiment.
    fn merge(&self, into: &mut Tally, from: Tally) -> bool {
        match (self, into, from) {
            (Prepared::Ratify(e), Tally::Ratify(a), Tally::Ratify(b)) => e.merge(a, b),
            (Prepared::Bargain(e), Tally::Bargain(a), Tally::Bargain(b)) => e.merge(a, *b),
            (Prepared::Points(e), Tally::Points(a), Tally::Points(b)) => e.merge(a, b),
            _ => return false,
        }
        true
    }
}

impl<'s> Job<'s> {
    /// Resolves `selection` against `scenario` (validating a sweep's axes).
    pub fn new(
        scenario: &'s Scenario,
        options: RunOptions,
        selection: Selection,
    ) -> Result<Self, Error> {
        let dynamic = scenario.protocol.bargaining().is_some();
        let proposals = scenario.proposals.len();
        let resolved = match (&selection, dynamic) {
            (Selection::Run { proposals: chosen }, false)
                if chosen.iter().all(|&i| i < proposals) =>
            {
                Resolved::Run(chosen.clone())
            }
            (Selection::Sweep { spec }, false) => {
                Resolved::Sweep(Box::new(sweep::plan(scenario, spec, &options)?))
            }
            (Selection::Sweep { spec }, true) => {
                Resolved::Params(Box::new(sweep::param::plan(scenario, spec, &options)?))
            }
            (Selection::Bargain { start }, true) if start.is_none_or(|i| i < proposals) => {
                Resolved::Bargain(*start)
            }
            _ => {
                return Err(Error::usage(
                    format!(
                        "the job {selection:?} does not fit the scenario's {} protocol",
                        scenario.protocol.name()
                    ),
                    None,
                ));
            }
        };
        Ok(Job {
            scenario,
            options,
            selection,
            resolved,
        })
    }

    fn prepare(&self) -> Prepared<'_> {
        match &self.resolved {
            Resolved::Run(proposals) => Prepared::Ratify(Ratify::new(
                self.scenario,
                proposals
                    .iter()
                    .map(|&i| self.scenario.proposals[i].deal.clone())
                    .collect(),
            )),
            Resolved::Sweep(plan) => Prepared::Ratify(sweep::experiment(self.scenario, plan)),
            Resolved::Params(plan) => Prepared::Points(DynamicPoints::new(plan)),
            Resolved::Bargain(start) => Prepared::Bargain(Box::new(
                Dynamic::starting_from(self.scenario, *start)
                    .expect("Job::new resolves Bargain for dynamic protocols only"),
            )),
        }
    }

    /// The scenario the job's worlds are drawn from.
    fn worlds(&self) -> &Scenario {
        match &self.resolved {
            Resolved::Params(plan) => &plan.worlds,
            _ => self.scenario,
        }
    }

    fn runner(&self) -> Runner<'_> {
        Runner::new(self.worlds(), self.options)
    }

    /// The dynamic protocol a `Bargain` job plays (for traces).
    pub fn dynamic(&self) -> Option<Dynamic<'_>> {
        match &self.resolved {
            Resolved::Bargain(start) => Dynamic::starting_from(self.scenario, *start),
            _ => None,
        }
    }

    /// The report for `tally` (of `prepared`) over `rounds` rounds.
    fn report(
        &self,
        prepared: &Prepared,
        tally: &Tally,
        rounds: u64,
        precision: Option<Precision>,
    ) -> Report {
        match (&self.resolved, prepared, tally) {
            (Resolved::Run(proposals), Prepared::Ratify(e), Tally::Ratify(t)) => {
                let names: Vec<String> = proposals
                    .iter()
                    .map(|&i| self.scenario.proposals[i].name.clone())
                    .collect();
                Report::Run(RatifyResult {
                    scenario: self.scenario.name.clone(),
                    protocol: self.scenario.protocol.name().to_string(),
                    seed: self.options.seed,
                    rounds,
                    precision,
                    results: e.summarise(t, &names),
                })
            }
            (Resolved::Sweep(plan), Prepared::Ratify(e), Tally::Ratify(t)) => {
                let mut result = sweep::result(plan, e, t, rounds);
                result.meta.precision = precision;
                Report::Sweep(result)
            }
            (Resolved::Params(plan), Prepared::Points(e), Tally::Points(t)) => {
                let mut result = sweep::param::result(plan, e, t, rounds);
                result.meta.precision = precision;
                Report::Sweep(result)
            }
            (Resolved::Bargain(_), Prepared::Bargain(e), Tally::Bargain(t)) => {
                let mut result = e.summarise(t, self.options.seed);
                result.precision = precision;
                Report::Bargain(Box::new(result))
            }
            _ => unreachable!("a job's tally comes from its own experiment"),
        }
    }

    /// Adds up shards' tallies and reports them. Refuses tallies of another kind or shape
    /// than this job's (a partial file that was altered).
    pub fn merge(&self, tallies: impl IntoIterator<Item = Tally>) -> Result<Report, Error> {
        let prepared = self.prepare();
        let mut total = prepared.new_tally();
        let shape = tally_shape(&total);
        for t in tallies {
            let kind = t.kind();
            if tally_shape(&t) != shape || !prepared.merge(&mut total, t) {
                return Err(Error::usage(
                    format!(
                        "a partial's tally ({kind}) does not have the shape of this job's ({}); the file was altered or written for another job",
                        total.kind()
                    ),
                    None,
                ));
            }
        }
        Ok(self.report(&prepared, &total, self.options.rounds, None))
    }

    /// Plays the whole job and reports it.
    pub fn play(&self, progress: &(dyn Fn(u64) + Sync)) -> Report {
        let prepared = self.prepare();
        let blocks = block_count(self.options.rounds);
        let (tally, rounds) = prepared.play(&self.runner(), 0..blocks, None, progress);
        self.report(&prepared, &tally, rounds, None)
    }

    /// Plays blocks until every agreement probability's half-width is at most `target`, or
    /// all of `options.rounds` (the maximum) are played.
    pub fn play_to_precision(&self, target: f64, progress: &(dyn Fn(u64) + Sync)) -> Report {
        let prepared = self.prepare();
        let blocks = block_count(self.options.rounds);
        let (tally, rounds) = prepared.play(&self.runner(), 0..blocks, Some(target), progress);
        let achieved = prepared.max_half_width(&tally).unwrap_or(f64::NAN);
        let precision = Precision {
            target,
            achieved,
            reached: achieved <= target,
        };
        self.report(&prepared, &tally, rounds, Some(precision))
    }

    /// Plays shard `k` of `n` (1-based): a contiguous slice of the blocks.
    pub fn play_shard(
        &self,
        k: u64,
        n: u64,
        source: &Source,
        progress: &(dyn Fn(u64) + Sync),
    ) -> Partial {
        let total = block_count(self.options.rounds);
        let range = shard_range(total, k, n);
        let prepared = self.prepare();
        let (tally, _) = prepared.play(&self.runner(), range.clone(), None, progress);
        Partial {
            accord_partial: PARTIAL_FORMAT,
            version: env!("CARGO_PKG_VERSION").to_string(),
            scenario: source.name.clone(),
            scenario_format: source.format_name().to_string(),
            scenario_source: source.text.clone(),
            seed: self.options.seed,
            rounds: self.options.rounds,
            shard: [k, n],
            blocks: [range.start, range.end],
            selection: self.selection.clone(),
            tally,
        }
    }
}

/// The lengths of every list in a tally, in order: two tallies of one job have the same.
fn tally_shape(t: &Tally) -> Vec<usize> {
    fn walk(v: &serde_json::Value, out: &mut Vec<usize>) {
        match v {
            serde_json::Value::Array(a) => {
                out.push(a.len());
                a.iter().for_each(|x| walk(x, out));
            }
            serde_json::Value::Object(o) => o.values().for_each(|x| walk(x, out)),
            _ => {}
        }
    }
    // Through text: exact sums are 128-bit integers, which a `Value` cannot hold but reads
    // back (as floats, which is all a shape needs).
    let text = serde_json::to_string(t).expect("a tally serialises");
    let value: serde_json::Value = serde_json::from_str(&text).expect("JSON reads back");
    let mut out = Vec::new();
    walk(&value, &mut out);
    out
}

/// Blocks of shard `k` of `n` (1-based) out of `total`: contiguous, as even as possible.
pub fn shard_range(total: u64, k: u64, n: u64) -> std::ops::Range<u64> {
    let at = |i: u64| (total as u128 * i as u128 / n as u128) as u64;
    at(k - 1)..at(k)
}

/// A scenario's text, kept so a partial result carries everything `merge` needs.
pub struct Source {
    pub name: String,
    pub text: String,
    pub format: SourceFormat,
}

impl Source {
    /// Reads the scenario file at `path`.
    pub fn read(path: &Path) -> Result<Source, Error> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::Read {
            path: path.to_path_buf(),
            source: e,
        })?;
        Ok(Source {
            name: path.display().to_string(),
            text,
            format: SourceFormat::from_path(path),
        })
    }

    /// Validates the scenario.
    pub fn scenario(&self) -> Result<Scenario, Error> {
        crate::scenario::parse(&self.text, &self.name, self.format)
    }

    fn format_name(&self) -> &'static str {
        match self.format {
            SourceFormat::Toml => "toml",
            SourceFormat::Json => "json",
        }
    }
}

/// Version of the partial-result file format. 2: the tally names its kind (`{"ratify": …}`,
/// `{"bargain": …}`, `{"points": […]}`), and dynamic protocols shard too.
pub const PARTIAL_FORMAT: u32 = 2;

/// One shard's result: the tally of its blocks and everything needed to check and combine it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Partial {
    pub accord_partial: u32,
    /// accord's version: partials of different versions are not combined.
    pub version: String,
    pub scenario: String,
    pub scenario_format: String,
    pub scenario_source: String,
    pub seed: u64,
    pub rounds: u64,
    /// `[k, n]`: shard k of n.
    pub shard: [u64; 2],
    /// `[start, end)` block indices played.
    pub blocks: [u64; 2],
    pub selection: Selection,
    pub tally: Tally,
}

/// Plays `job` as the flags say (whole, to a precision, or one shard) and writes its output.
pub fn execute(
    job: &Job,
    source: &Source,
    sim: &SimArgs,
    out: &OutputArgs,
    plot: Option<(&Path, (u32, u32))>,
) -> Result<(), Error> {
    match play_as_flagged(job, source, sim, out)? {
        Some(report) => write_report(&report, out, plot),
        None => Ok(()),
    }
}

/// Plays `job` as the flags say: whole, to a precision, or one shard — whose partial result
/// it writes to the output, returning `None`.
pub fn play_as_flagged(
    job: &Job,
    source: &Source,
    sim: &SimArgs,
    out: &OutputArgs,
) -> Result<Option<Report>, Error> {
    if let Some((k, n)) = sim.shard {
        let total = block_count(job.options.rounds);
        if n > total {
            return Err(Error::usage(
                format!(
                    "--shard {k}/{n}: {} rounds make only {total} block{s} of 1024, so at most {total} shard{s}",
                    job.options.rounds,
                    s = if total == 1 { "" } else { "s" }
                ),
                None,
            ));
        }
        let range = shard_range(total, k, n);
        let progress = Progress::new((range.end - range.start) * crate::sim::BLOCK_SIZE);
        let partial = job.play_shard(k, n, source, &|d| progress.update(d));
        progress.finish();
        write_output(
            out.output.as_deref(),
            report::json::to_json(&partial).as_bytes(),
        )?;
        return Ok(None);
    }
    let progress = Progress::new(job.options.rounds);
    let report = match sim.precision {
        Some(target) => job.play_to_precision(target, &|d| progress.update(d)),
        None => job.play(&|d| progress.update(d)),
    };
    progress.finish();
    Ok(Some(report))
}

/// Writes a report in the chosen format (and a sweep's chart, if asked for).
pub fn write_report(
    report: &Report,
    out: &OutputArgs,
    plot: Option<(&Path, (u32, u32))>,
) -> Result<(), Error> {
    if let Some(p) = report.precision() {
        let rounds = report.rounds();
        if p.reached {
            eprintln!(
                "precision {} reached after {} rounds (largest half-width {:.5})",
                p.target, rounds, p.achieved
            );
        } else {
            eprintln!(
                "warning: precision {} not reached: largest half-width {:.5} after {} rounds (--max-rounds)",
                p.target, p.achieved, rounds
            );
        }
    }
    let text = match (report, Format::from(out.format)) {
        (Report::Run(r), Format::Table) => report::table::ratify_table(r),
        (Report::Run(r), Format::Json) => report::json::to_json(r),
        (Report::Run(r), Format::Csv) => report::csv::ratify_csv(r),
        (Report::Sweep(s), Format::Table) => report::table::sweep_table(s),
        (Report::Sweep(s), Format::Json) => report::json::to_json(s),
        (Report::Sweep(s), Format::Csv) => report::csv::sweep_csv(s),
        (Report::Bargain(b), Format::Table) => report::bargain::bargain_table(b),
        (Report::Bargain(b), Format::Json) => report::json::to_json(b),
        (Report::Bargain(b), Format::Csv) => report::bargain::bargain_csv(b),
    };
    if let (Report::Sweep(s), Some((path, size))) = (report, plot) {
        draw_sweep(s, path, size)?;
    }
    write_output(out.output.as_deref(), text.as_bytes())
}

/// What `run` (or `seeds`) plays on a dynamic protocol: `--proposal` names the text a
/// mediated protocol starts from; the other dynamic protocols take no proposal.
pub fn bargain_selection(scenario: &Scenario, proposals: &[String]) -> Result<Selection, Error> {
    if proposals.is_empty() {
        return Ok(Selection::Bargain { start: None });
    }
    let protocol = scenario.protocol.name();
    let chosen = proposal_indices(scenario, proposals)?;
    match (&scenario.protocol, chosen.as_slice()) {
        (ProtocolSpec::Mediated { .. }, [one]) => Ok(Selection::Bargain { start: Some(*one) }),
        (ProtocolSpec::Mediated { .. }, _) => Err(Error::usage(
            "--proposal: the mediated protocol starts from one text; give --proposal once",
            None,
        )),
        _ => Err(Error::usage(
            format!("--proposal: the {protocol} protocol has no proposal to evaluate"),
            Some("--proposal applies to ratify, and to mediated (the text it starts from)".into()),
        )),
    }
}

/// The proposals a `run` evaluates: the flags', else the `[protocol]` list, else all.
pub fn run_selection(scenario: &Scenario, flagged: Vec<usize>) -> Selection {
    let proposals = if !flagged.is_empty() {
        flagged
    } else {
        match &scenario.protocol {
            ProtocolSpec::Ratify { proposals } if !proposals.is_empty() => proposals.clone(),
            _ => (0..scenario.proposals.len()).collect(),
        }
    };
    Selection::Run { proposals }
}
