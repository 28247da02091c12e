//! The analyst's questions over the deals a scenario allows (ratify only): which single
//! concession buys the most acceptance ([`concessions`]), and which deals maximise an
//! objective over the whole negotiable space ([`search`]). Both lay out deals as a job's
//! variants, so every deal is played on the same sampled worlds (common random numbers) and
//! gives, to the bit, the estimates it would give put to the parties as a proposal.
//!
//! The values a clause may be offered at come from one place, [`offer_values`].

pub mod concessions;
pub mod search;

pub use concessions::{
    ClauseChange, Concession, ConcessionPlan, ConcessionSpec, ConcessionsResult, PAIRS_AMONG,
    PartyChange,
};
pub use search::{
    Confidence, DEFAULT_TOP, Found, MAX_EXACT, MAX_RACED, Named, Objective, SearchPlan,
    SearchResult, SearchSpec, Stage,
};

use crate::error::{About, Invalid};
use crate::model::space::Axis;
use crate::model::{Clause, Scenario};

/// The values clause `clause` may be offered at, of those its deal-space axis enumerates
/// (every option, both values of a bool, a range's grid at the asked resolution).
///
/// Only what the clause says is negotiable ([`Clause::is_offerable`]): a proposal's value
/// outside it is on the axis (so that the proposal is a deal of the space) but is never a
/// candidate. This is the one place concessions and search take a clause's candidate
/// values from.
pub fn offer_values(clause: &Clause, axis: &Axis) -> Vec<f64> {
    axis.values()
        .iter()
        .copied()
        .filter(|&x| clause.is_offerable(x))
        .collect()
}

/// Checks that `s` puts proposals to its parties: `what` (a command's question) is asked
/// of deals put to the parties, and a dynamic protocol negotiates its own.
pub(crate) fn ratify_only(s: &Scenario, what: &str) -> Result<(), Invalid> {
    match s.protocol.dynamic() {
        None => Ok(()),
        Some(_) => Err(Invalid::new(
            About::Request,
            format!(
                "{what} applies to deals put to the parties (the ratify protocol); the {} protocol negotiates its own deal",
                s.protocol.name()
            ),
        )
        .help("give the scenario `[protocol] kind = \"ratify\"` (or use a copy of it that does) to ask it of its clauses")),
    }
}

/// `clause: from → to` in words ("nato: renounced → deferred").
pub fn move_label(clause: &Clause, from: f64, to: f64) -> String {
    format!(
        "{}: {} → {}",
        clause.name,
        clause.format_value(from),
        clause.format_value(to)
    )
}
