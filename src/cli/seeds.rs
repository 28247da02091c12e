//! `accord seeds`: the same run (or sweep) under many seeds, and whether the spread of the
//! estimates across seeds matches the intervals each run reports.

use clap::ArgMatches;

use super::args::{SeedsArgs, seed_list};
use super::job::{self, Job, Report, Selection, Source};
use super::progress::Progress;
use super::proposal_indices;
use super::sweep::axes_in_order;
use crate::analysis::seeds::{Named, SeedsReport, ratify_estimates, summarise};
use crate::error::Error;
use crate::output::write_output;
use crate::report::plot::{ImageFormat, draw_seeds};
use crate::report::{self, Format};
use crate::sim::RunOptions;
use crate::sim::estimate::Z95;
use crate::sweep::{SweepResult, SweepSpec};

pub fn seeds(args: SeedsArgs, matches: Option<&ArgMatches>) -> Result<(), Error> {
    let seeds = seed_list(&args.seeds).map_err(|m| Error::usage(format!("--seeds {m}"), None))?;
    if let Some(p) = &args.plot {
        ImageFormat::from_path(p)?;
    }
    let axes = axes_in_order(&args.axes, matches)?;
    let source = Source::read(&args.file)?;
    let scenario = source.scenario()?;
    let dynamic = scenario.protocol.dynamic().is_some();
    let selection = if axes.is_empty() {
        if dynamic {
            job::bargain_selection(&scenario, &args.proposals)?
        } else {
            let flagged = proposal_indices(&scenario, &args.proposals)?;
            job::run_selection(&scenario, flagged)
        }
    } else {
        if args.proposals.len() > 1 {
            return Err(Error::usage(
                "--proposal: a sweep varies one proposal; give at most one".to_string(),
                None,
            ));
        }
        Selection::Sweep {
            spec: SweepSpec {
                base: args.proposals.first().cloned(),
                axes,
            },
        }
    };
    let rounds = args.rounds.unwrap_or(scenario.simulation.rounds);
    let progress = Progress::new(rounds * seeds.len() as u64);
    let mut runs = Vec::with_capacity(seeds.len());
    for (i, &seed) in seeds.iter().enumerate() {
        let options = RunOptions {
            rounds,
            seed,
            threads: args.threads.map(usize::from),
        };
        let job = Job::new(&scenario, options, selection.clone())?;
        let before = i as u64 * rounds;
        runs.push(match job.play(&|d| progress.update(before + d)) {
            Report::Run(r) => ratify_estimates(&r),
            Report::Sweep(s) => point_estimates(&s),
            Report::Bargain(b) => {
                let subject = match &b.start {
                    Some(start) => format!("{} from {start}", b.protocol),
                    None => b.protocol.clone(),
                };
                vec![Named::new(subject, "agreement", b.agreement)]
            }
        });
    }
    progress.finish();
    let report = SeedsReport {
        scenario: scenario.name.clone(),
        protocol: scenario.protocol.name().to_string(),
        rounds,
        seeds: seeds.clone(),
        estimates: summarise(&runs, Z95),
    };
    let text = match Format::from(args.out.format) {
        Format::Table => report::table::seeds_table(&report),
        Format::Json => report::json::to_json(&report),
        Format::Csv => report::csv::seeds_csv(&report),
    };
    if let Some(p) = &args.plot {
        draw_seeds(&report, p, args.size)?;
    }
    write_output(args.out.output.as_deref(), text.as_bytes())
}

/// A sweep's estimates per point, named by its coordinates (`troop_cap=600,000`), so the
/// spread is reported per point: agreement, then (ratify) each party's acceptance. A dynamic
/// protocol's party columns repeat its agreement estimate, so only agreement is compared.
fn point_estimates(s: &SweepResult) -> Vec<Named> {
    let name = |x: &[f64]| -> String {
        s.meta
            .axes
            .iter()
            .zip(x)
            .map(|(a, v)| {
                let value = match &a.options {
                    Some(o) => o.get(*v as usize).cloned().unwrap_or_default(),
                    None if a.integer => crate::model::clause::group_thousands(v.round() as i64),
                    // Ten significant decimals: enough to tell points apart, free of float noise.
                    None => format!("{}", (v * 1e10).round() / 1e10),
                };
                format!("{}={value}", a.name)
            })
            .collect::<Vec<_>>()
            .join(" ")
    };
    let ratify = s.meta.protocol == "ratify";
    let mut out = Vec::new();
    for p in &s.points {
        let subject = name(&p.x);
        out.push(Named::new(&subject, "agreement", p.agreement));
        if ratify {
            for q in &p.parties {
                out.push(Named::new(&subject, &q.party, q.accept));
            }
        }
    }
    out
}
