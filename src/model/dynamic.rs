//! Dynamic bargaining settings: the turn order, deadline and breakdown risk of a protocol
//! that moves over steps, each party's concession tactic, discount and response rule, and
//! the events that change the game at a given step.

use super::param::Param;
use super::rule::Rule;

/// How a party sets the utility it demands from its own offers.
#[derive(Debug, Clone, PartialEq)]
pub enum Tactic {
    /// Time-dependent concession (Faratin, Sierra & Jennings 1998, as in GENIUS): at
    /// normalised time `t`, target `Pmin + (Pmax − Pmin)(1 − f(t))` with
    /// `f(t) = k + (1 − k)·t^(1/e)`. `e < 1` is Boulware, `e = 1` linear, `e > 1` Conceder.
    /// `min` and `max` default to the party's reservation and its best utility.
    Time {
        e: Param,
        k: Param,
        min: Option<Param>,
        max: Option<Param>,
    },
    /// Relative tit-for-tat: opens at `max` and concedes, in its own utility, `factor` times
    /// what the other parties' last offers conceded to it (a hardening raises the target),
    /// never below `min` or above `max`.
    TitForTat {
        factor: Param,
        min: Option<Param>,
        max: Option<Param>,
    },
    /// Never concedes: always demands `level` (default: the party's best utility).
    Hardliner { level: Option<Param> },
}

impl Tactic {
    /// The tactic's name as written in scenario files.
    pub fn name(&self) -> &'static str {
        match self {
            Tactic::Time { .. } => "time",
            Tactic::TitForTat { .. } => "tit_for_tat",
            Tactic::Hardliner { .. } => "hardliner",
        }
    }

    /// Every numeric parameter of the tactic.
    pub fn params(&self) -> Vec<Param> {
        match self {
            Tactic::Time { e, k, min, max } => [Some(*e), Some(*k), *min, *max]
                .into_iter()
                .flatten()
                .collect(),
            Tactic::TitForTat { factor, min, max } => {
                [Some(*factor), *min, *max].into_iter().flatten().collect()
            }
            Tactic::Hardliner { level } => level.iter().copied().collect(),
        }
    }
}

/// How a party answers an offer in the `alternating` protocol. Whatever the rule, a party
/// never accepts a deal whose discounted utility is below its reservation (plus its logit
/// draw when its `accept` rule is `logit`).
#[derive(Debug, Clone, PartialEq)]
pub enum Respond {
    /// AC_next: accept an offer worth at least what the party would offer next.
    Next,
    /// Accept an offer worth at least this utility.
    Threshold(Param),
    /// AC_next, and in the last `steps` steps before the deadline anything worth at least
    /// the reservation.
    ReservationNearDeadline(u32),
}

/// One party's behaviour in a dynamic protocol.
#[derive(Debug, Clone, PartialEq)]
pub struct Agent {
    pub tactic: Tactic,
    /// Per-step discount in `(0, 1]`: a deal agreed at step `s` (from 1) is worth
    /// `u · discount^(s − 1)`.
    pub discount: Param,
    pub respond: Respond,
}

impl Default for Agent {
    /// A linear time-dependent concession, no discount, AC_next.
    fn default() -> Self {
        Agent {
            tactic: Tactic::Time {
                e: Param::Fixed(1.0),
                k: Param::Fixed(0.0),
                min: None,
                max: None,
            },
            discount: Param::Fixed(1.0),
            respond: Respond::Next,
        }
    }
}

/// What happens at an event's step.
#[derive(Debug, Clone, PartialEq)]
pub enum EventKind {
    /// The party's reservation utility moves by `by` (clamped to `[0, 1]`) from this step on.
    ShiftReservation { party: usize, by: Param },
    /// The party leaves: it no longer offers, answers or votes.
    Leave { party: usize },
    /// The deadline becomes `steps` (at least the event's step).
    Deadline { steps: u32 },
}

/// A change to the game at the start of a step (before that step's breakdown draw and offer).
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// The step (from 1) at whose start the event happens.
    pub step: u32,
    pub kind: EventKind,
}

/// Who holds the single negotiating text in the `mediated` protocol.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mediator {
    /// One of the parties (by index): it weighs its own losses and will not amend the text
    /// below its own reservation.
    Party(usize),
    /// An outsider with no stake: it weighs only the accepting parties' losses.
    Neutral,
}

/// The settings every dynamic protocol shares.
#[derive(Debug, Clone, PartialEq)]
pub struct DynamicSpec {
    /// The negotiating parties (by index) in turn order.
    pub order: Vec<usize>,
    /// Steps before talks end without agreement (events may move it).
    pub deadline: u32,
    /// Probability in `[0, 1)` that talks collapse at the start of any step.
    pub breakdown: f64,
    /// The uncertain-parameter slot holding the round's uniform breakdown draw (when
    /// `breakdown > 0`).
    pub breakdown_slot: Option<usize>,
    /// Grid points per gridded range clause of the deal space ([`super::DealSpace`]).
    pub resolution: usize,
    /// Behaviour of every party, in party order.
    pub agents: Vec<Agent>,
    /// Events, by step (stable for equal steps: file order).
    pub events: Vec<Event>,
    /// When an offer or a text is agreed (see [`Rule`] for who votes).
    pub rule: Rule,
}

impl DynamicSpec {
    /// The largest deadline any event can set: the length of per-step tallies.
    pub fn max_deadline(&self) -> u32 {
        self.events
            .iter()
            .filter_map(|e| match e.kind {
                EventKind::Deadline { steps } => Some(steps),
                _ => None,
            })
            .fold(self.deadline, u32::max)
    }
}

/// The largest deadline a scenario may set: per-step tallies grow with it.
pub const MAX_DEADLINE: u32 = 100_000;

/// The most outcomes a discretised deal space may have.
pub const MAX_OUTCOMES: usize = 1 << 20;

/// Normalised time-dependent target (Faratin et al. 1998, GENIUS convention):
/// `pmin + (pmax − pmin)(1 − f(t))`, `f(t) = k + (1 − k)·t^(1/e)`, for `t` in `[0, 1]`.
///
/// ```
/// use accord::model::dynamic::time_target;
/// assert_eq!(time_target(0.5, 0.2, 0.0, 0.0, 1.0), 0.96875);
/// ```
#[inline]
pub fn time_target(t: f64, e: f64, k: f64, pmin: f64, pmax: f64) -> f64 {
    let t = t.clamp(0.0, 1.0);
    // `t^1` is `t` exactly and `pow` is within 0.52 ulp, so it returns `t` itself: skipping
    // the call changes no bit and saves its cost for the default, linear tactic (`e = 1`).
    let power = if e == 1.0 { t } else { t.powf(1.0 / e) };
    let f = k + (1.0 - k) * power;
    pmin + (pmax - pmin) * (1.0 - f)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_linear_target_skips_pow_without_changing_a_bit() {
        // The shortcut for e = 1 relies on the platform's pow returning x^1 = x exactly.
        let mut x = 0x9E37_79B9_7F4A_7C15u64;
        for i in 0..200_000u32 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let t = match i % 4 {
                0 => (x >> 11) as f64 / (1u64 << 53) as f64,
                1 => f64::from_bits(x % f64::MIN_POSITIVE.to_bits()),
                _ => (i as f64) / 199_999.0,
            };
            assert_eq!(t.powf(1.0).to_bits(), t.to_bits(), "pow({t:e}, 1)");
            let (k, pmin, pmax) = (0.1, 0.2, 0.9);
            let slow = pmin + (pmax - pmin) * (1.0 - (k + (1.0 - k) * t.powf(1.0)));
            assert_eq!(time_target(t, 1.0, k, pmin, pmax).to_bits(), slow.to_bits());
        }
    }
}
