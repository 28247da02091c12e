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
/// weighted by `loss_aversion` (1 = no extra weight; at most [`MAX_LOSS_AVERSION`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Reference {
    /// Name of the proposal anchoring the party.
    pub proposal: String,
    pub deal: Deal,
    pub loss_aversion: Param,
}

/// Loss aversion when a reference point gives none: losses weigh as much as gains.
pub const DEFAULT_LOSS_AVERSION: f64 = 1.0;

/// The largest loss aversion: utilities then stay above `1 − 8 = −7`, so a block's exact sum
/// of utilities in units (1,024 rounds of at most 8·2⁴⁰ units each) stays below 2⁵³, where
/// floating-point sums of whole numbers are exact (see `sim::fixed`).
pub const MAX_LOSS_AVERSION: f64 = 8.0;

/// A clause's term under reference dependence: the standard gain–loss utility
/// (Tversky & Kahneman 1991; Kőszegi & Rabin 2006) against the reference deal's value
/// `anchor` of the clause, `anchor + g(value − anchor)` with `g(x) = x` for a gain or no
/// change and `g(x) = λ·x` for a loss. So a gain counts as it is (`value`), a loss `λ` times
/// (`anchor − λ·(anchor − value)`), strictly, with no floor: a larger loss is always worse,
/// and a term can fall below 0 (to `1 − λ` at worst, values being on [0, 1]). With `λ = 1`
/// the term is the value itself.
#[inline(always)]
pub fn loss_term(value: f64, anchor: f64, lambda: f64) -> f64 {
    // With λ = 1 a loss weighs as a gain: the term is the value itself, to the bit.
    if value >= anchor || lambda == 1.0 {
        value
    } else {
        anchor - lambda * (anchor - value)
    }
}

/// One party to the negotiation.
#[derive(Debug, Clone, PartialEq)]
pub struct Party {
    pub name: String,
    /// Free text from the scenario file, for reports.
    pub description: Option<String>,
    /// Whether agreement needs this party's acceptance.
    pub veto: bool,
    /// Salience per clause, in clause order (0 where the party does not care); renormalised to
    /// sum to 1 each round.
    pub weights: Vec<Param>,
    /// Value function per clause, in clause order (`None` only where the weight is 0).
    pub values: Vec<Option<ValueFn>>,
    /// Utility of no deal (the outside option), in `[0, 1]`, compared with the deal's
    /// utility on the same scale (which reference dependence can take below 0).
    pub reservation: Param,
    pub accept: AcceptRule,
    pub reference: Option<Reference>,
    /// Its behaviour in a dynamic protocol: tactic, discount, response rule.
    pub negotiation: Negotiation,
}

impl Party {
    /// Utility of `deal` given this party's normalised weights for the round and the round's
    /// sampled parameters: `Σ w_i · term_i(x_i)`: on `[0, 1]` without a reference point, on
    /// `[1 − λ, 1]` with one.
    #[inline]
    pub fn utility(&self, deal: &[f64], weights: &[f64], slots: &[f64]) -> f64 {
        (0..deal.len())
            .map(|i| weights[i] * self.clause_term(i, deal[i], slots))
            .sum()
    }

    /// What clause `i` at value `x` contributes before weighting: its value, or with a
    /// reference point, its gain–loss term against the reference deal ([`loss_term`]).
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_larger_loss_is_always_worse() {
        for lambda in [0.5, 1.0, 2.0, 2.5, MAX_LOSS_AVERSION] {
            let mut last = f64::INFINITY;
            // From a gain down through losses that a floor at 0 would have flattened.
            for i in (0..=100).rev() {
                let v = i as f64 / 100.0;
                let t = loss_term(v, 0.6, lambda);
                assert!(t < last, "λ = {lambda}, v = {v}: {t} after {last}");
                last = t;
            }
        }
        assert_eq!(loss_term(0.0, 1.0, 2.0), -1.0);
        assert_eq!(loss_term(0.25, 1.0, 2.0), -0.5);
        assert_eq!(loss_term(0.7, 0.6, 2.0), 0.7);
        assert_eq!(loss_term(0.35, 0.6, 1.0), 0.35);
    }
}
