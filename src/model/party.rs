//! Parties: agents with a utility over deals, an outside option and an acceptance rule.

use super::Deal;
use super::dynamic::Negotiation;
use super::param::Param;
use super::value_fn::ValueFn;

/// How a party decides on a deal, given its margin (utility minus reservation).
#[derive(Debug, Clone, PartialEq)]
pub enum AcceptRule {
    /// Accept exactly when the margin is at least zero.
    Threshold,
    /// Accept with probability `1 / (1 + exp(-margin / temperature))`.
    Logit { temperature: Param },
}

/// Reference dependence: clause values worse than the reference deal's count as losses,
/// weighted by `loss_aversion` (1 = no extra weight).
#[derive(Debug, Clone, PartialEq)]
pub struct Reference {
    /// Name of the proposal anchoring the party.
    pub proposal: String,
    pub deal: Deal,
    pub loss_aversion: Param,
}

/// Loss aversion when a reference point gives none: losses weigh as much as gains.
pub const DEFAULT_LOSS_AVERSION: f64 = 1.0;

/// A clause's term under reference dependence: `value` itself when it is at least the
/// reference deal's `anchor`, otherwise the anchor less `lambda` times the loss, at least 0.
#[inline(always)]
pub fn loss_term(value: f64, anchor: f64, lambda: f64) -> f64 {
    if value >= anchor {
        value
    } else {
        (anchor - lambda * (anchor - value)).max(0.0)
    }
}

/// One party to the negotiation.
#[derive(Debug, Clone, PartialEq)]
pub struct Party {
    pub name: String,
    /// Whether agreement needs this party's acceptance.
    pub veto: bool,
    /// Salience per clause, in clause order (0 where the party does not care); renormalised to
    /// sum to 1 each round.
    pub weights: Vec<Param>,
    /// Value function per clause, in clause order (`None` only where the weight is 0).
    pub values: Vec<Option<ValueFn>>,
    /// Utility of no deal (the outside option), on the utility scale `[0, 1]`.
    pub reservation: Param,
    pub accept: AcceptRule,
    pub reference: Option<Reference>,
    /// Its behaviour in a dynamic protocol: tactic, discount, response rule.
    pub negotiation: Negotiation,
}

impl Party {
    /// Utility of `deal` given this party's normalised weights for the round and the round's
    /// sampled parameters: `Σ w_i · term_i(x_i)`, on `[0, 1]`.
    #[inline]
    pub fn utility(&self, deal: &[f64], weights: &[f64], slots: &[f64]) -> f64 {
        (0..deal.len())
            .map(|i| weights[i] * self.clause_term(i, deal[i], slots))
            .sum()
    }

    /// What clause `i` at value `x` contributes before weighting: its value, or with a
    /// reference point, the value with losses against the reference multiplied by the loss
    /// aversion (a loss can at most take the term to 0, keeping utility on `[0, 1]`).
    #[inline]
    pub fn clause_term(&self, i: usize, x: f64, slots: &[f64]) -> f64 {
        let Some(f) = &self.values[i] else { return 0.0 };
        let v = f.eval(x, slots);
        match &self.reference {
            None => v,
            Some(r) => {
                let anchor = f.eval(r.deal[i], slots);
                loss_term(v, anchor, r.loss_aversion.get(slots))
            }
        }
    }

    /// The party's loss aversion ([`DEFAULT_LOSS_AVERSION`] without a reference point).
    pub fn loss_aversion(&self) -> Param {
        self.reference
            .as_ref()
            .map_or(Param::Fixed(DEFAULT_LOSS_AVERSION), |r| r.loss_aversion)
    }

    /// Whether [`Party::clause_term`] for clause `i` varies between rounds at a fixed `x`.
    pub fn term_is_uncertain(&self, i: usize) -> bool {
        let f_unc = self.values[i].as_ref().is_some_and(|f| f.is_uncertain());
        f_unc
            || self
                .reference
                .as_ref()
                .is_some_and(|r| r.loss_aversion.is_uncertain())
    }

    /// Writes this party's weights for the round, normalised to sum to 1, into `out`.
    #[inline]
    pub fn normalised_weights(&self, slots: &[f64], out: &mut [f64]) {
        let mut total = 0.0;
        for (o, w) in out.iter_mut().zip(&self.weights) {
            *o = w.get(slots);
            total += *o;
        }
        // Sampling can drive every weight to 0; the party then cares about nothing.
        let scale = if total > 0.0 { 1.0 / total } else { 0.0 };
        for o in out.iter_mut() {
            *o *= scale;
        }
    }
}
