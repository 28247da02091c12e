//! Playing a prepared request with a progress bar, and writing what it gives: a partial
//! result, or a result in the chosen format with its chart.

use super::progress::Progress;
use super::settings::{Chart, Output, Sim};
use crate::error::Error;
use crate::output::write_output;
use crate::request::{Outcome, Prepared, RunResult};
use crate::scenario::Source;

/// Plays `prepared` as `sim` says. A shard's partial result is written to `out` at once
/// (`None` is returned); otherwise the result is returned for the caller to write.
pub(super) fn play(
    prepared: &Prepared,
    source: &Source,
    sim: &Sim,
    out: &Output,
) -> Result<Option<RunResult>, Error> {
    let mode = super::job_mode(sim.mode);
    let total = match mode {
        crate::job::Mode::Shard(s) => {
            let blocks = s.blocks(prepared.job().options().rounds)?;
            (blocks.end - blocks.start) * crate::sim::BLOCK_SIZE
        }
        _ => prepared.job().options().rounds,
    };
    // A raced search plays its stages one after another, each on some of the deals: its
    // progress counts deal-rounds.
    let progress = match prepared.raced_work() {
        Some(work) => Progress::counting(work, "deal-rounds"),
        None => Progress::new(total),
    };
    let outcome = prepared.play(source, mode, &|d| progress.update(d));
    progress.finish();
    match outcome? {
        Outcome::Partial(partial) => {
            write_output(out.path.as_deref(), partial.to_json().as_bytes())?;
            Ok(None)
        }
        Outcome::Result(result) => {
            if let Some(p) = result.header.precision {
                let rounds = crate::text::thousands(result.header.rounds);
                if p.reached {
                    crate::output::note(format_args!(
                        "precision {} reached after {rounds} rounds (largest half-width {:.5})",
                        crate::text::decimal(p.target),
                        p.achieved
                    ));
                } else {
                    crate::output::note(format_args!(
                        "warning: precision {} not reached: largest half-width {:.5} after {rounds} rounds (--max-rounds)",
                        crate::text::decimal(p.target),
                        p.achieved
                    ));
                }
            }
            Ok(Some(*result))
        }
    }
}

/// Writes `result` in `out`'s format, and its chart if one is asked for.
pub(super) fn result(result: &RunResult, out: &Output, chart: Option<&Chart>) -> Result<(), Error> {
    if let Some(c) = chart {
        crate::report::plot::draw(result, &c.path, c.size)?;
    }
    let text = out.format.exporter().run(result);
    write_output(out.path.as_deref(), text.as_bytes())
}

/// Reads the scenario `file`, plays `request` on it as `sim` says and writes what it gives:
/// a partial result, or the result with its chart.
pub(super) fn request(
    file: &std::path::Path,
    request: crate::request::Request,
    sim: &Sim,
    out: &Output,
    chart: Option<&Chart>,
) -> Result<(), Error> {
    let source = Source::read(file)?;
    let scenario = source.parse()?;
    let prepared = request.prepare(&scenario, super::run_options(&scenario, sim))?;
    match play(&prepared, &source, sim, out)? {
        Some(r) => result(&r, out, chart),
        None => Ok(()),
    }
}
