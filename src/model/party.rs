//! Parties: agents with a utility over deals, an outside option and an acceptance rule.

use super::param::Param;
use super::value_fn::ValueFn;
use super::Deal;

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
}

impl Party {
    /// Utility of `deal` given this party's normalised weights for the round and the round's
    /// sampled parameters. On `[0, 1]`: a loss against the reference can at most take a
    /// clause's value to 0.
    #[inline]
    pub fn utility(&self, deal: &[f64], weights: &[f64], slots: &[f64]) -> f64 {
        let mut u = 0.0;
        match &self.reference {
            None => {
                for ((f, &w), &x) in self.values.iter().zip(weights).zip(deal) {
                    if let Some(f) = f {
                        u += w * f.eval(x, slots);
                    }
                }
            }
            Some(r) => {
                let lambda = r.loss_aversion.get(slots);
                for (((f, &w), &x), &rx) in self.values.iter().zip(weights).zip(deal).zip(&r.deal) {
                    if let Some(f) = f {
                        let v = f.eval(x, slots);
                        let anchor = f.eval(rx, slots);
                        let term = if v >= anchor { v } else { (anchor - lambda * (anchor - v)).max(0.0) };
                        u += w * term;
                    }
                }
            }
        }
        u
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
