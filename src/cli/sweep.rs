//! `accord sweep`.

use clap::ArgMatches;

use super::args::{AxisArgs, SweepArgs};
use super::job::{self, Job, Selection, Source};
use super::run_options;
use crate::error::Error;
use crate::report::plot::ImageFormat;
use crate::sweep::{AxisSpec, SweepSpec};

pub fn sweep(args: SweepArgs, matches: Option<&ArgMatches>) -> Result<(), Error> {
    // Check what can be checked before reading the scenario or simulating.
    if let Some(p) = &args.plot {
        ImageFormat::from_path(p)?;
    }
    let axes = axes_in_order(&args.axes, matches)?;
    let source = Source::read(&args.file)?;
    let scenario = source.scenario()?;
    let options = run_options(&scenario, &args.sim);
    let spec = SweepSpec {
        base: args.proposal.clone(),
        axes,
    };
    let job = Job::new(&scenario, options, Selection::Sweep { spec })?;
    let plot = args.plot.as_deref().map(|p| (p, args.size));
    job::execute(&job, &source, &args.sim, &args.out, plot)
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Clause,
    Path,
    Reservation,
    Param,
}

/// Pairs each --from, --to and --steps with the axis flag written before it.
pub(super) fn axes_in_order(
    args: &AxisArgs,
    matches: Option<&ArgMatches>,
) -> Result<Vec<AxisSpec>, Error> {
    let positions = |id: &str| -> Vec<usize> {
        matches
            .and_then(|m| m.indices_of(id))
            .map(|i| i.collect())
            .unwrap_or_default()
    };
    let mut axes: Vec<(usize, Kind, String)> = Vec::new();
    for (id, kind, values) in [
        ("clause", Kind::Clause, &args.clause),
        ("path", Kind::Path, &args.path),
        ("reservation", Kind::Reservation, &args.reservation),
        ("param", Kind::Param, &args.param),
    ] {
        let pos = positions(id);
        for (i, v) in values.iter().enumerate() {
            axes.push((pos.get(i).copied().unwrap_or(i), kind, v.clone()));
        }
    }
    axes.sort_by_key(|a| a.0);
    let mut from = vec![None; axes.len()];
    let mut to = vec![None; axes.len()];
    let mut steps = vec![None; axes.len()];
    fn assign<T: Copy + std::fmt::Display>(
        flag: &str,
        values: &[T],
        pos: &[usize],
        axes: &[(usize, Kind, String)],
        slot: &mut [Option<T>],
    ) -> Result<(), Error> {
        for (i, v) in values.iter().enumerate() {
            let at = pos.get(i).copied().unwrap_or(usize::MAX);
            let owner = axes.iter().rposition(|a| a.0 < at).ok_or_else(|| {
                Error::usage(
                    format!(
                        "{flag} {v}: comes before any --clause, --path, --reservation or --param"
                    ),
                    Some(format!("write {flag} after the axis it applies to")),
                )
            })?;
            if slot[owner].is_some() {
                return Err(Error::usage(
                    format!(
                        "{flag} {v}: the axis `{}` already has a {flag}",
                        axes[owner].2
                    ),
                    None,
                ));
            }
            slot[owner] = Some(*v);
        }
        Ok(())
    }
    assign("--from", &args.from, &positions("from"), &axes, &mut from)?;
    assign("--to", &args.to, &positions("to"), &axes, &mut to)?;
    assign(
        "--steps",
        &args.steps,
        &positions("steps"),
        &axes,
        &mut steps,
    )?;
    if args.beyond.is_some() && !axes.iter().any(|a| a.1 == Kind::Path) {
        return Err(Error::usage(
            "--beyond applies to a --path sweep only".to_string(),
            None,
        ));
    }
    axes.iter()
        .enumerate()
        .map(|(i, (_, kind, name))| {
            Ok(match kind {
                Kind::Clause => AxisSpec::Clause { name: name.clone(), from: from[i], to: to[i], steps: steps[i] },
                Kind::Reservation => AxisSpec::Reservation { party: name.clone(), from: from[i], to: to[i], steps: steps[i] },
                Kind::Param => AxisSpec::Param { name: name.clone(), from: from[i], to: to[i], steps: steps[i] },
                Kind::Path => {
                    if from[i].is_some() || to[i].is_some() {
                        return Err(Error::usage(format!("--path {name}: a path runs from x = 0 to 1; use --beyond to extend it, not --from or --to"), None));
                    }
                    let (a, b) = name.split_once("..").ok_or_else(|| {
                        Error::usage(format!("--path {name}: expected FROM..TO, two proposal names"), Some("for example --path plan_28..plan_19".into()))
                    })?;
                    AxisSpec::Path { from: a.to_string(), to: b.to_string(), beyond: args.beyond.unwrap_or(0.0), steps: steps[i] }
                }
            })
        })
        .collect()
}
