//! `accord run` for the dynamic protocols (alternating, mediated, equilibrium).
//!
//! `--trace N` replays the first N rounds one by one and writes their step-by-step play as
//! JSON lines to `--trace-file PATH` (atomically) or, without it, to stderr — stdout keeps
//! the results, so `accord run … --format json --trace 5 > result.json` still parses.
//! `--plot PATH` draws agreement by step and each party's concession path (PNG or SVG by
//! extension, checked before the run).

use std::io::Write;

use super::args::RunArgs;
use super::job::{self, Job, Source};
use crate::error::Error;
use crate::model::Scenario;
use crate::output::write_output;
use crate::report::plot::{ImageFormat, draw_bargain};
use crate::sim::RunOptions;

/// The most rounds `--trace` writes (a trace is kept in memory until written).
const MAX_TRACE: u64 = 1_000;

pub fn run(
    args: &RunArgs,
    source: &Source,
    scenario: &Scenario,
    options: RunOptions,
) -> Result<(), Error> {
    if let Some(n) = args.trace
        && n > MAX_TRACE
    {
        return Err(Error::usage(
            format!("--trace {n}: at most {MAX_TRACE} rounds can be traced"),
            None,
        ));
    }
    if args.trace.is_some() && args.sim.shard.is_some() {
        return Err(Error::usage(
            "--trace: a shard writes a partial result; trace the unsharded run",
            None,
        ));
    }
    if let Some(path) = &args.plot {
        ImageFormat::from_path(path)?;
        if args.sim.shard.is_some() {
            return Err(Error::usage(
                "--plot: a shard writes a partial result; plot the merged one",
                None,
            ));
        }
    }
    let selection = job::bargain_selection(scenario, &args.proposals)?;
    let job = Job::new(scenario, options, selection)?;
    // Whole, to a precision, or one shard (whose partial result is all it writes).
    let Some(report) = job::play_as_flagged(&job, source, &args.sim, &args.out)? else {
        return Ok(());
    };
    if let (Some(n), Some(dynamic)) = (args.trace, job.dynamic()) {
        let lines = dynamic.trace(options.seed, n.min(report.rounds()));
        let mut text = lines.join("\n");
        if !text.is_empty() {
            text.push('\n');
        }
        match &args.trace_file {
            Some(path) => write_output(Some(path), text.as_bytes())?,
            None => {
                let mut err = std::io::stderr().lock();
                let _ = err.write_all(text.as_bytes());
            }
        }
    }
    if let (Some(path), job::Report::Bargain(result)) = (&args.plot, &report) {
        draw_bargain(result, path, args.size)?;
    }
    job::write_report(&report, &args.out, None)
}
