//! Divisions of a pie: a divisible good split among the parties, one range clause per party's
//! share. The deals a pie protocol agrees on give every share clause a value and the shares
//! add up to the pie; each party's utility is its own share (`linear` from 0 to the pie), so a
//! share is a utility and the bargaining models' closed forms apply as written.

use super::dynamic::DynamicSpec;

/// Which clause holds each party's share, and the pie's size.
#[derive(Debug, Clone, PartialEq)]
pub struct Pie {
    /// Per party, in party order: the index of its share clause.
    pub shares: Vec<usize>,
    /// The pie: every share clause runs from 0 to it, and the shares add up to it.
    pub size: f64,
}

/// Baron–Ferejohn (1989) legislative bargaining under a closed rule: each step one member is
/// recognised (member `i` with probability `recognition[i]`) and proposes a division of the
/// pie; it passes with the votes of `quota` members (the proposer's among them); otherwise a
/// new step starts, and everything is worth `discount` times as much one step later.
#[derive(Debug, Clone, PartialEq)]
pub struct BaronFerejohn {
    /// The steps' common settings: every party is a member, in party order; the rule is the
    /// quota; the deadline is 1 (the stationary equilibrium agrees at once).
    pub dynamic: DynamicSpec,
    /// Votes needed to pass a proposal, the proposer's included (1 to the members).
    pub quota: usize,
    /// The members' common per-step discount, in `(0, 1]`.
    pub discount: f64,
    /// Each member's probability of being recognised, in party order; they add up to 1.
    pub recognition: Vec<f64>,
    pub pie: Pie,
    /// The uncertain-parameter slots of the round's two uniform draws: who is recognised,
    /// and which equally cheap partners a proposer picks.
    pub recognition_slot: usize,
    pub partners_slot: usize,
}

/// Why a Baron–Ferejohn game has no unique stationary equilibrium payoffs, if it has not.
/// With a discount below 1 the payoffs are unique (Eraslan 2002); without discounting, a
/// unanimity quota lets any division be stationary, and so does a member who is never
/// recognised (it can be paid any price below the others' without changing anyone's
/// choice).
pub fn baron_ferejohn_undefined(
    quota: usize,
    discount: f64,
    recognition: &[f64],
) -> Option<&'static str> {
    if discount < 1.0 {
        return None;
    }
    if quota >= recognition.len() && recognition.len() > 1 {
        return Some(
            "with discount 1 and a unanimity quota every division is a stationary equilibrium",
        );
    }
    if quota > 1 && recognition.iter().any(|&p| p <= 0.0) {
        return Some(
            "with discount 1 a member who is never recognised can be paid any small price: the stationary payoffs are not unique",
        );
    }
    None
}
