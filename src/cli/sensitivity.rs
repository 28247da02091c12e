//! `accord sensitivity`: Sobol indices and a tornado for one proposal's outcome (see
//! [`crate::analysis::sensitivity`]).

use super::progress::Progress;
use super::settings::Sensitivity;
use crate::analysis::sensitivity::{self, Part, Problem, Spec};
use crate::error::Error;
use crate::output::write_output;
use crate::scenario::Source;
use crate::sim::RunOptions;

pub(super) fn sensitivity(s: Sensitivity) -> Result<(), Error> {
    let source = Source::read(&s.file)?;
    let scenario = source.parse()?;
    let rounds = match s.precision {
        Some((_, max)) => max,
        None => s.rounds.unwrap_or(scenario.simulation.rounds),
    };
    let spec = Spec {
        proposal: s.proposal.clone(),
        output: s.outcome.clone(),
        groups: s.groups.clone(),
        options: RunOptions {
            rounds,
            seed: s.seed.unwrap_or(scenario.simulation.seed),
            threads: s.threads,
        },
        precision: s.precision.map(|(h, _)| h),
    };
    let progress = Progress::new(rounds);
    let report = sensitivity::analyse(&scenario, &spec, &|d| progress.update(d));
    progress.finish();
    let report = report.map_err(|p| word(&s, p))?;
    if let Some((target, _)) = s.precision {
        let widest = report
            .factors
            .iter()
            .map(|f| f.total.half_width())
            .fold(0.0, f64::max);
        if widest > target {
            crate::output::note(format_args!(
                "warning: precision {} not reached: largest total-effect half-width {widest:.4} after {} rounds (--max-rounds)",
                crate::text::decimal(target),
                crate::text::thousands(report.rounds)
            ));
        }
    }
    if let Some(c) = &s.chart {
        crate::report::plot::draw_sensitivity(&report, &c.path, c.size)?;
    }
    let text = s.out.format.exporter().sensitivity(&report);
    write_output(s.out.path.as_deref(), text.as_bytes())
}

/// A problem in the command line's words: the flag it is about.
fn word(s: &Sensitivity, p: Problem) -> Error {
    let flag = match p.part {
        Part::Proposal => Some(format!("--proposal {}", s.proposal)),
        Part::Output => Some(format!("--outcome {}", s.outcome)),
        Part::Group(i) => s.groups.get(i).map(|g| format!("--group {g}")),
        Part::Rounds => s.rounds.map(|r| format!("--rounds {r}")),
        Part::Scenario => Some(s.file.display().to_string()),
    };
    let message = match flag {
        Some(f) => format!("{f}: {}", p.message),
        None => p.message,
    };
    Error::usage(message, p.help)
}
