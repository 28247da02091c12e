//! The same request under many seeds, and whether the spread of its estimates across seeds
//! is what the intervals each run reports claim ([`crate::analysis::seeds`]).

use super::{Body, Request, RunResult};
use crate::analysis::seeds::{Named, SeedsReport, summarise};
use crate::error::{About, Error, Invalid};
use crate::job::Mode;
use crate::model::Scenario;
use crate::scenario::Source;
use crate::sim::RunOptions;
use crate::sim::estimate::Z95;
use crate::text::thousands;

/// Plays `request` once per seed in `seeds` (at least 2), each with `options`' rounds and
/// threads, and compares the estimates; `progress` gets the rounds done over all seeds.
pub fn seeds(
    source: &Source,
    scenario: &Scenario,
    request: &Request,
    seeds: &[u64],
    options: RunOptions,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<SeedsReport, Error> {
    if seeds.len() < 2 {
        return Err(Invalid::new(
            About::Seeds,
            "a comparison across seeds needs at least 2 seeds (3 or more for a verdict)",
        )
        .into());
    }
    let mut runs = Vec::with_capacity(seeds.len());
    for (i, &seed) in seeds.iter().enumerate() {
        let prepared = request.prepare(scenario, RunOptions { seed, ..options })?;
        let before = i as u64 * options.rounds;
        let outcome = prepared.play(source, Mode::Whole, &|d| progress(before + d))?;
        let super::Outcome::Result(result) = outcome else {
            unreachable!("a whole run gives a result, not a partial")
        };
        runs.push(estimates(&result));
    }
    Ok(SeedsReport {
        scenario: scenario.name.clone(),
        protocol: scenario.protocol.name().to_string(),
        rounds: options.rounds,
        seeds: seeds.to_vec(),
        estimates: summarise(&runs, Z95),
    })
}

/// A result's probabilities, named: per proposal (or sweep point), agreement, then each
/// party's acceptance under ratify; agreement only for a dynamic protocol (where a party's
/// acceptance is the agreement).
pub fn estimates(r: &RunResult) -> Vec<Named> {
    let mut out = Vec::new();
    match &r.body {
        Body::Proposals { results } => {
            for deal in results {
                out.push(Named::new(&deal.proposal, "agreement", deal.agreement));
                for party in &deal.parties {
                    out.push(Named::new(&deal.proposal, &party.party, party.accept));
                }
            }
        }
        Body::Sweep(s) => {
            let ratify = r.header.protocol == "ratify";
            for p in &s.points {
                let subject = point_name(s, &p.x);
                out.push(Named::new(&subject, "agreement", p.agreement));
                if ratify {
                    for q in &p.parties {
                        out.push(Named::new(&subject, &q.party, q.accept));
                    }
                }
            }
        }
        Body::Dynamic(d) => {
            let subject = match &d.start {
                Some(start) => format!("{} from {start}", r.header.protocol),
                None => r.header.protocol.clone(),
            };
            out.push(Named::new(subject, "agreement", d.agreement));
        }
        Body::Concessions(c) => {
            // In the order the changes were laid out: their ranks differ from seed to seed.
            let mut all: Vec<_> = c.concessions.iter().collect();
            all.sort_by_key(|x| x.index);
            for x in all {
                out.push(Named::new(&x.label, "agreement", x.agreement_after));
            }
        }
        Body::Search(sr) => {
            // The best deals can differ from seed to seed: each is named by its rank.
            for d in &sr.deals {
                out.push(Named::new(
                    format!("rank {}", d.rank),
                    "agreement",
                    d.agreement,
                ));
            }
        }
    }
    out
}

/// A sweep point named by its coordinates: `troop_cap=600,000 nato=deferred`.
fn point_name(s: &crate::sweep::SweepResult, x: &[f64]) -> String {
    s.info
        .axes
        .iter()
        .zip(x)
        .map(|(a, v)| {
            let value = match &a.options {
                Some(o) => o.get(*v as usize).cloned().unwrap_or_default(),
                None if a.integer => thousands(v.round() as i64),
                None => crate::text::decimal(*v),
            };
            format!("{}={value}", a.name)
        })
        .collect::<Vec<_>>()
        .join(" ")
}
