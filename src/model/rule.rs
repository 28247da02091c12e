//! Agreement rules: which sets of accepting parties make a deal, in every protocol.
//!
//! The voters are the parties whose answers count: in `ratify` every party; in `mediated`
//! the veto parties under unanimity and every party at the table otherwise; in the offer
//! protocols (`alternating`, `equilibrium`, `baron_ferejohn`) the negotiators at the table,
//! the proposer counting as accepting its own offer. Under every rule each veto holder among
//! the voters must accept.

use super::party::Party;

/// A weighted rule's threshold counts as met when the accepting weight falls short of it by
/// at most this share of the total weight: so a threshold of two thirds written as
/// 0.6666666666666666 is met by two of three equal weights, whatever the rounding of the sum.
pub const WEIGHT_TOLERANCE: f64 = 1e-9;

/// When the parties' answers make an agreement.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Rule {
    /// Every veto holder accepts (in the offer protocols: every negotiator at the table).
    /// accord's original rule and the default: it costs nothing beyond the veto checks.
    #[default]
    Unanimity,
    /// At least `quota` voters accept (the proposer of an offer among them), every veto
    /// holder among them.
    Quota { quota: usize },
    /// The accepting voters hold at least `threshold` (in `(0, 1]`) of the voters' total
    /// vote weight, every veto holder among them. `weights` has one entry per party, in party
    /// order (each at least 0; 1 unless the file says otherwise).
    Weighted { weights: Vec<f64>, threshold: f64 },
}

impl Rule {
    /// The rule's name as written in scenario files (`rule = { quota = … }`).
    pub fn name(&self) -> &'static str {
        match self {
            Rule::Unanimity => "unanimity",
            Rule::Quota { .. } => "quota",
            Rule::Weighted { .. } => "weighted",
        }
    }

    /// Whether this is the default rule (every veto holder accepts).
    pub fn is_unanimity(&self) -> bool {
        matches!(self, Rule::Unanimity)
    }

    /// Party `p`'s vote: its weight under a weighted rule, 1 otherwise.
    #[inline(always)]
    pub fn vote(&self, p: usize) -> f64 {
        match self {
            Rule::Weighted { weights, .. } => weights[p],
            _ => 1.0,
        }
    }

    /// Whether accepting votes `accepted` out of the voters' `total` pass (the veto holders
    /// are checked apart). Unanimity needs every vote.
    #[inline(always)]
    pub fn passes(&self, accepted: f64, total: f64) -> bool {
        match self {
            Rule::Unanimity => accepted >= total,
            Rule::Quota { quota } => accepted >= *quota as f64,
            // Voters without any weight between them (negotiators of weight 0 only) pass
            // nothing.
            Rule::Weighted { threshold, .. } => {
                total > 0.0 && accepted >= (threshold - WEIGHT_TOLERANCE) * total
            }
        }
    }

    /// Whether the voters `voters` pass when `accepts(p)` says who accepts: the rule's count
    /// or weight, and every veto holder among the voters.
    pub fn agrees(
        &self,
        parties: &[Party],
        voters: impl Iterator<Item = usize>,
        accepts: impl Fn(usize) -> bool,
    ) -> bool {
        let (mut yes, mut total) = (0.0, 0.0);
        for p in voters {
            let v = self.vote(p);
            total += v;
            if accepts(p) {
                yes += v;
            } else if parties[p].veto {
                return false;
            }
        }
        self.passes(yes, total)
    }

    /// How results name the rule: "unanimity of the veto holders", "quota 2 of 3", "weighted
    /// majority: 0.5 of the vote weight", with the veto holders when a quota or weighted rule
    /// has any. `voters` is how many parties vote.
    pub fn describe(&self, parties: &[Party], voters: usize) -> String {
        let vetoes: Vec<&str> = parties
            .iter()
            .filter(|p| p.veto)
            .map(|p| p.name.as_str())
            .collect();
        let with_vetoes = |s: String| {
            if vetoes.is_empty() {
                s
            } else {
                format!("{s}, vetoes: {}", vetoes.join(", "))
            }
        };
        match self {
            Rule::Unanimity => "unanimity of the veto holders".to_string(),
            Rule::Quota { quota } => with_vetoes(format!("quota {quota} of {voters}")),
            Rule::Weighted { threshold, .. } => with_vetoes(format!(
                "weighted: {} of the vote weight",
                crate::text::Num(*threshold)
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{AcceptRule, Param};

    fn party(name: &str, veto: bool) -> Party {
        Party {
            name: name.into(),
            description: None,
            veto,
            weights: vec![Param::Fixed(1.0)],
            values: vec![None],
            reservation: Param::Fixed(0.0),
            accept: AcceptRule::Threshold,
            reference: None,
            negotiation: Default::default(),
        }
    }

    #[test]
    fn quota_counts_acceptors_and_vetoes_bind() {
        let ps = [party("a", true), party("b", false), party("c", false)];
        let q = Rule::Quota { quota: 2 };
        assert!(q.agrees(&ps, 0..3, |p| p != 2));
        assert!(!q.agrees(&ps, 0..3, |p| p == 1));
        // Two of three, but the veto holder says no.
        assert!(!q.agrees(&ps, 0..3, |p| p != 0));
    }

    #[test]
    fn weighted_threshold_is_a_share_of_the_voters_weight() {
        let ps = [party("a", false), party("b", false), party("c", false)];
        let w = Rule::Weighted {
            weights: vec![1.0, 1.0, 1.0],
            threshold: 2.0 / 3.0,
        };
        assert!(w.agrees(&ps, 0..3, |p| p != 2));
        assert!(!w.agrees(&ps, 0..3, |p| p == 0));
        let w = Rule::Weighted {
            weights: vec![3.0, 1.0, 1.0],
            threshold: 0.6,
        };
        // 3 of 5 is exactly the threshold; 2 of 5 is not.
        assert!(w.agrees(&ps, 0..3, |p| p == 0));
        assert!(!w.agrees(&ps, 0..3, |p| p != 0));
    }
}
