//! What `run` and `sweep` share: a resolved job (the scenario, what to evaluate, the run
//! options) played whole, in precision mode, or as one shard of a cluster run; and the
//! partial results that `merge` combines.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::args::{OutputArgs, SimArgs};
use super::progress::Progress;
use crate::error::Error;
use crate::model::{ProtocolSpec, Scenario};
use crate::output::write_output;
use crate::protocol::{Precision, Ratify, RatifyResult, RatifyTally};
use crate::report::plot::draw_sweep;
use crate::report::{self, Format};
use crate::scenario::Format as SourceFormat;
use crate::sim::seed::block_count;
use crate::sim::{Experiment, RunOptions, Runner};
use crate::sweep::{self, Plan, SweepResult, SweepSpec};

/// What a job evaluates; recorded in partial results so `merge` can rebuild the job.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Selection {
    /// Ratification of these proposals (by index).
    Run { proposals: Vec<usize> },
    /// A sweep.
    Sweep { spec: SweepSpec },
}

/// A job resolved against its scenario.
pub struct Job<'s> {
    pub scenario: &'s Scenario,
    pub options: RunOptions,
    pub selection: Selection,
    plan: Option<Plan>,
}

/// A finished job's report.
pub enum Report {
    Run(RatifyResult),
    Sweep(SweepResult),
}

impl<'s> Job<'s> {
    /// Resolves `selection` against `scenario` (validating a sweep's axes).
    pub fn new(
        scenario: &'s Scenario,
        options: RunOptions,
        selection: Selection,
    ) -> Result<Self, Error> {
        let plan = match &selection {
            Selection::Sweep { spec } => Some(sweep::plan(scenario, spec, &options)?),
            Selection::Run { .. } => None,
        };
        Ok(Job {
            scenario,
            options,
            selection,
            plan,
        })
    }

    fn experiment(&self) -> Ratify<'s> {
        match (&self.selection, &self.plan) {
            (_, Some(plan)) => sweep::experiment(self.scenario, plan),
            (Selection::Run { proposals }, None) => Ratify::new(
                self.scenario,
                proposals
                    .iter()
                    .map(|&i| self.scenario.proposals[i].deal.clone())
                    .collect(),
            ),
            (Selection::Sweep { .. }, None) => unreachable!("a sweep job always has a plan"),
        }
    }

    /// The report for `tally` over `rounds` rounds.
    pub fn report(&self, tally: &RatifyTally, rounds: u64, precision: Option<Precision>) -> Report {
        let experiment = self.experiment();
        match (&self.selection, &self.plan) {
            (_, Some(plan)) => {
                let mut result = sweep::result(plan, &experiment, tally, rounds);
                result.meta.precision = precision;
                Report::Sweep(result)
            }
            (Selection::Run { proposals }, None) => {
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
                    results: experiment.summarise(tally, &names),
                })
            }
            (Selection::Sweep { .. }, None) => unreachable!("a sweep job always has a plan"),
        }
    }

    /// Adds up shards' tallies.
    pub fn merge_tallies(&self, tallies: impl IntoIterator<Item = RatifyTally>) -> RatifyTally {
        let experiment = self.experiment();
        let mut total = experiment.new_tally();
        for t in tallies {
            experiment.merge(&mut total, t);
        }
        total
    }

    /// Plays the whole job and reports it.
    pub fn play(&self, progress: &(dyn Fn(u64) + Sync)) -> Report {
        let experiment = self.experiment();
        let tally = Runner::new(self.scenario, self.options).run(&experiment, progress);
        self.report(&tally, self.options.rounds, None)
    }

    /// Plays blocks until every agreement probability's half-width is at most `target`, or
    /// all of `options.rounds` (the maximum) are played.
    pub fn play_to_precision(&self, target: f64, progress: &(dyn Fn(u64) + Sync)) -> Report {
        let experiment = self.experiment();
        let blocks = block_count(self.options.rounds);
        let stop = |t: &RatifyTally| experiment.max_half_width(t).is_some_and(|h| h <= target);
        let done = Runner::new(self.scenario, self.options).run_blocks(
            &experiment,
            0..blocks,
            &stop,
            progress,
        );
        let achieved = experiment.max_half_width(&done.tally).unwrap_or(f64::NAN);
        let precision = Precision {
            target,
            achieved,
            reached: achieved <= target,
        };
        self.report(&done.tally, done.rounds, Some(precision))
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
        let experiment = self.experiment();
        let done = Runner::new(self.scenario, self.options).run_blocks(
            &experiment,
            range.clone(),
            &|_| false,
            progress,
        );
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
            tally: done.tally,
        }
    }
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

/// Version of the partial-result file format.
pub const PARTIAL_FORMAT: u32 = 1;

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
    pub tally: RatifyTally,
}

/// Plays `job` as the flags say (whole, to a precision, or one shard) and writes its output.
pub fn execute(
    job: &Job,
    source: &Source,
    sim: &SimArgs,
    out: &OutputArgs,
    plot: Option<(&Path, (u32, u32))>,
) -> Result<(), Error> {
    if let Some((k, n)) = sim.shard {
        let total = block_count(job.options.rounds);
        if n > total {
            return Err(Error::usage(
                format!(
                    "--shard {k}/{n}: {} rounds make only {total} blocks of 1024, so at most {total} shards",
                    job.options.rounds
                ),
                None,
            ));
        }
        let range = shard_range(total, k, n);
        let progress = Progress::new((range.end - range.start) * crate::sim::BLOCK_SIZE);
        let partial = job.play_shard(k, n, source, &|d| progress.update(d));
        progress.finish();
        return write_output(
            out.output.as_deref(),
            report::json::to_json(&partial).as_bytes(),
        );
    }
    let report = match sim.precision {
        Some(target) => {
            let progress = Progress::new(job.options.rounds);
            let r = job.play_to_precision(target, &|d| progress.update(d));
            progress.finish();
            r
        }
        None => {
            let progress = Progress::new(job.options.rounds);
            let r = job.play(&|d| progress.update(d));
            progress.finish();
            r
        }
    };
    write_report(&report, out, plot)
}

/// Writes a report in the chosen format (and a sweep's chart, if asked for).
pub fn write_report(
    report: &Report,
    out: &OutputArgs,
    plot: Option<(&Path, (u32, u32))>,
) -> Result<(), Error> {
    let precision = match report {
        Report::Run(r) => r.precision,
        Report::Sweep(s) => s.meta.precision,
    };
    if let Some(p) = precision {
        let rounds = match report {
            Report::Run(r) => r.rounds,
            Report::Sweep(s) => s.meta.rounds,
        };
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
    };
    if let (Report::Sweep(s), Some((path, size))) = (report, plot) {
        draw_sweep(s, path, size)?;
    }
    write_output(out.output.as_deref(), text.as_bytes())
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
