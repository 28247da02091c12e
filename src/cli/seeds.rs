//! `accord seeds`: the same run (or sweep) under many seeds, and whether the spread of the
//! estimates across seeds matches the intervals each run reports.

use super::progress::Progress;
use super::settings::Seeds;
use crate::error::Error;
use crate::output::write_output;
use crate::request::{Request, seeds};
use crate::scenario::Source;
use crate::sim::RunOptions;
use crate::sweep::SweepSpec;

pub(super) fn seeds(s: Seeds) -> Result<(), Error> {
    let source = Source::read(&s.file)?;
    let scenario = source.parse()?;
    let request = if s.axes.is_empty() {
        Request::run(&scenario, &s.proposals)?.given(s.given)?
    } else {
        Request::Sweep(SweepSpec {
            base: s.proposals.first().cloned(),
            axes: s.axes,
            given: s.given,
        })
    };
    let options = RunOptions {
        rounds: s.rounds.unwrap_or(scenario.simulation.rounds),
        seed: 0,
        threads: s.threads,
    };
    let progress = Progress::new(options.rounds.saturating_mul(s.seeds.len() as u64));
    let report = seeds::seeds(&source, &scenario, &request, &s.seeds, options, &|d| {
        progress.update(d)
    });
    progress.finish();
    let report = report?;
    if let Some(c) = &s.chart {
        crate::report::plot::draw_seeds(&report, &c.path, c.size)?;
    }
    let text = s.out.format.exporter().seeds(&report);
    write_output(s.out.path.as_deref(), text.as_bytes())
}
