//! The running totals of any job: what a shard writes and `merge` adds up. Integers only, so
//! totals merge exactly, in any order.

use serde::{Deserialize, Serialize};

use crate::protocol::dynamic::DynamicTally;
use crate::protocol::ratify::RatifyTally;

/// A job's totals: one ratify tally over all its deals, or one dynamic tally per scenario.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Tally {
    Deals(RatifyTally),
    Scenarios(Vec<DynamicTally>),
}

impl Tally {
    /// `deals` or `scenarios`, as in partial files.
    pub fn kind(&self) -> &'static str {
        match self {
            Tally::Deals(_) => "deals",
            Tally::Scenarios(_) => "scenarios",
        }
    }

    /// Rounds the tally holds.
    pub fn rounds(&self) -> u64 {
        match self {
            Tally::Deals(t) => t.rounds,
            // Every point plays every round.
            Tally::Scenarios(t) => t.first().map_or(0, |t| t.rounds),
        }
    }

    /// Whether `other` is a tally of the same job: the same kind and every list of the same
    /// length.
    pub fn same_shape(&self, other: &Tally) -> bool {
        match (self, other) {
            (Tally::Deals(a), Tally::Deals(b)) => a.shape() == b.shape(),
            (Tally::Scenarios(a), Tally::Scenarios(b)) => {
                a.len() == b.len() && a.iter().zip(b).all(|(a, b)| a.shape() == b.shape())
            }
            _ => false,
        }
    }

    /// Adds `from` (a tally of the same shape: check with [`Tally::same_shape`] first).
    pub fn merge(&mut self, from: Tally) {
        match (self, from) {
            (Tally::Deals(a), Tally::Deals(b)) => a.merge(b),
            (Tally::Scenarios(a), Tally::Scenarios(b)) => {
                for (a, b) in a.iter_mut().zip(b) {
                    a.merge(b);
                }
            }
            // Refused by `same_shape`; adding nothing is the only sound answer left.
            _ => {}
        }
    }

    /// Checks that the tally could come from playing `rounds` rounds: that many rounds, no
    /// count above them, no sum beyond what so many rounds can add up to.
    pub fn check(&self, rounds: u64) -> Result<(), String> {
        match self {
            Tally::Deals(t) => t.check(rounds),
            Tally::Scenarios(ts) => ts.iter().enumerate().try_for_each(|(i, t)| {
                t.check(rounds).map_err(|e| format!("point {}: {e}", i + 1))
            }),
        }
    }
}
