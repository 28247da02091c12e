//! Combining shards: every partial must come from one run (the same scenario text, seed,
//! rounds, request and shard count), every shard must be there exactly once, and their
//! tallies must have one shape; their sum is then the single run's tally, bit for bit.

use super::{Partial, PartialError, Tally};
use crate::scenario::Source;

/// The run the partials make up.
#[derive(Debug, Clone, PartialEq)]
pub struct Merged<R> {
    pub source: Source,
    pub seed: u64,
    pub rounds: u64,
    pub request: R,
    pub tally: Tally,
}

/// Checks that `parts` (each named as errors should call it) are the shards of one run, each
/// exactly once, and adds up their tallies.
pub fn merge<R: PartialEq + std::fmt::Display>(
    parts: Vec<(String, Partial<R>)>,
) -> Result<Merged<R>, PartialError> {
    let Some((first_name, first)) = parts.first() else {
        return Err(PartialError::Nothing);
    };
    for (name, p) in &parts {
        let differs = |what, a: String, b: String| PartialError::Differ {
            name: name.clone(),
            first: first_name.clone(),
            what,
            a,
            b,
        };
        if p.source.text != first.source.text {
            return Err(differs(
                "scenario",
                p.source.name.clone(),
                first.source.name.clone(),
            ));
        }
        if p.seed != first.seed {
            return Err(differs("seed", p.seed.to_string(), first.seed.to_string()));
        }
        if p.rounds != first.rounds {
            return Err(differs(
                "rounds",
                p.rounds.to_string(),
                first.rounds.to_string(),
            ));
        }
        if p.request != first.request {
            return Err(differs(
                "what they evaluate",
                p.request.to_string(),
                first.request.to_string(),
            ));
        }
        if p.shard.n() != first.shard.n() {
            return Err(differs(
                "shard count",
                format!("/{}", p.shard.n()),
                format!("/{}", first.shard.n()),
            ));
        }
        if !p.tally.same_shape(&first.tally) {
            return Err(PartialError::Shape { name: name.clone() });
        }
    }
    check_coverage(&parts, first.shard.n())?;
    let mut parts = parts;
    parts.sort_by_key(|(_, p)| p.shard.k());
    let mut tallies = parts.iter().map(|(_, p)| p.tally.clone());
    let mut total = tallies.next().expect("at least one partial");
    tallies.for_each(|t| total.merge(t));
    let (_, first) = parts.swap_remove(0);
    Ok(Merged {
        source: first.source,
        seed: first.seed,
        rounds: first.rounds,
        request: first.request,
        tally: total,
    })
}

/// Shards 1..=n each exactly once.
fn check_coverage<R>(parts: &[(String, Partial<R>)], n: u64) -> Result<(), PartialError> {
    let mut problems = Vec::new();
    for k in 1..=n {
        let holders: Vec<&str> = parts
            .iter()
            .filter(|(_, p)| p.shard.k() == k)
            .map(|(name, _)| name.as_str())
            .collect();
        match holders.len() {
            0 => problems.push(format!("shard {k}/{n} is missing")),
            1 => {}
            many => problems.push(format!(
                "shard {k}/{n} is given {many} times ({})",
                holders.join(", ")
            )),
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(PartialError::Coverage { problems, n })
    }
}
