//! `accord run` for the dynamic protocols (alternating, mediated, equilibrium).
//!
//! `--trace N` replays the first N rounds one by one and writes their step-by-step play as
//! JSON lines to `--trace-file PATH` (atomically) or, without it, to stderr — stdout keeps
//! the results, so `accord run … --format json --trace 5 > result.json` still parses.

use std::io::Write;

use super::args::RunArgs;
use super::progress::Progress;
use super::proposal_indices;
use crate::error::Error;
use crate::model::{ProtocolSpec, Scenario};
use crate::output::write_output;
use crate::protocol::bargain::Dynamic;
use crate::report::{self, Format};
use crate::sim::RunOptions;

/// The most rounds `--trace` writes (a trace is kept in memory until written).
const MAX_TRACE: u64 = 1_000;

pub fn run(args: &RunArgs, scenario: &Scenario, options: RunOptions) -> Result<(), Error> {
    let protocol = scenario.protocol.name();
    if args.sim.precision.is_some() {
        return Err(Error::usage(
            format!("--precision: not available for the {protocol} protocol yet"),
            Some("give --rounds instead".into()),
        ));
    }
    if args.sim.shard.is_some() {
        return Err(Error::usage(
            format!("--shard: not available for the {protocol} protocol yet"),
            None,
        ));
    }
    if let Some(n) = args.trace
        && n > MAX_TRACE
    {
        return Err(Error::usage(
            format!("--trace {n}: at most {MAX_TRACE} rounds can be traced"),
            None,
        ));
    }
    let mut scenario = scenario.clone();
    if !args.proposals.is_empty() {
        let chosen = proposal_indices(&scenario, &args.proposals)?;
        match (&mut scenario.protocol, chosen.as_slice()) {
            (ProtocolSpec::Mediated { start, .. }, [one]) => *start = *one,
            (ProtocolSpec::Mediated { .. }, _) => {
                return Err(Error::usage(
                    "--proposal: the mediated protocol starts from one text; give --proposal once",
                    None,
                ));
            }
            _ => {
                return Err(Error::usage(
                    format!("--proposal: the {protocol} protocol has no proposal to evaluate"),
                    Some(
                        "--proposal applies to ratify, and to mediated (the text it starts from)"
                            .into(),
                    ),
                ));
            }
        }
    }
    let Some(dynamic) = Dynamic::new(&scenario) else {
        return Err(Error::usage("not a dynamic protocol", None));
    };
    let progress = Progress::new(options.rounds);
    let result = dynamic.run(options, &|done| progress.update(done));
    progress.finish();
    if let Some(n) = args.trace {
        let lines = dynamic.trace(options.seed, n.min(options.rounds));
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
    let text = match Format::from(args.out.format) {
        Format::Table => report::bargain::bargain_table(&result),
        Format::Json => report::json::to_json(&result),
        Format::Csv => report::bargain::bargain_csv(&result),
    };
    write_output(args.out.output.as_deref(), text.as_bytes())
}
