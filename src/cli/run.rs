//! `accord run`, for every protocol: the proposals put to the parties under `ratify`, the
//! play of a dynamic protocol otherwise — whole, to a precision, or as one shard.
//!
//! `--trace N` replays the first N rounds of a dynamic protocol and writes their step-by-step
//! play as JSON lines to `--trace-file PATH` or, without it, to stderr — stdout keeps the
//! results, so `accord run … --format json --trace 5 > result.json` still parses.

use std::io::Write;

use super::settings::Run;
use super::{run_options, write};
use crate::error::Error;
use crate::output::stream_to;
use crate::request::{Request, TraceError};
use crate::scenario::Source;

pub(super) fn run(s: Run) -> Result<(), Error> {
    let source = Source::read(&s.file)?;
    let scenario = source.parse()?;
    if scenario.protocol.dynamic().is_none() {
        if s.trace.is_some() {
            return Err(Error::usage(
                "--trace: the ratify protocol has no steps to trace",
                Some(
                    "--trace applies to kind = \"alternating\", \"mediated\" or \"equilibrium\""
                        .into(),
                ),
            ));
        }
        if s.chart.is_some() {
            return Err(Error::usage(
                "--plot: a ratify run has no steps to chart",
                Some(
                    "to chart acceptance of a ratified text, sweep a clause, a path between \
                     proposals or a reservation: `accord sweep FILE --clause NAME --plot PATH`"
                        .into(),
                ),
            ));
        }
    }
    let request = Request::run(&scenario, &s.proposals)?.given(s.given)?;
    let prepared = request.prepare(&scenario, run_options(&scenario, &s.sim))?;
    let Some(result) = write::play(&prepared, &source, &s.sim, &s.out)? else {
        return Ok(());
    };
    if let Some((n, path)) = &s.trace {
        let rounds = (*n).min(result.header.rounds);
        match path {
            // Streamed as the rounds are replayed: a long trace never sits in memory.
            Some(path) => {
                let mut failure = None;
                stream_to(path, |w| {
                    prepared.trace(rounds, w).map_err(|e| match e {
                        TraceError::Write(io) => io,
                        other => {
                            let text = other.to_string();
                            failure = Some(other);
                            std::io::Error::other(text)
                        }
                    })
                })
                .map_err(|e| failure.map_or(e, trace_error))?;
            }
            None => {
                let mut err = std::io::BufWriter::new(std::io::stderr().lock());
                prepared.trace(rounds, &mut err).map_err(trace_error)?;
                err.flush().map_err(|e| Error::Write {
                    path: "<stderr>".into(),
                    source: e,
                })?;
            }
        }
    }
    write::result(&result, &s.out, s.chart.as_ref())
}

fn trace_error(e: TraceError) -> Error {
    match e {
        TraceError::NoSteps => Error::usage(format!("--trace: {e}"), None),
        TraceError::Write(source) => Error::Write {
            path: "the trace".into(),
            source,
        },
    }
}
