//! Round by round: ratification conditioned on observed decisions, and paired changes
//! against a base deal.
//!
//! The fast path of [`super::Ratify`] adds up each party's acceptances deal by deal and
//! forgets the rounds. Two questions need the rounds themselves:
//! - *given what was observed* ("Ukraine accepted plan_19"): only the rounds whose sampled
//!   world agrees with every observation count. Each party's acceptance is decided by its
//!   sampled world — its utilities, its reservation and, for a logit rule, the round's
//!   acceptance cut, which is one draw per party and round shared by every deal — so a
//!   round either agrees with an observation or not, and the conditional estimates are the
//!   estimates over the agreeing rounds: exact integers, deterministic, and right for the
//!   observed party's other decisions too (its cut is the same in them).
//! - *what a change does* (a concession): in every round, whether the changed deal is
//!   accepted where the base deal is not, or the reverse. The paired difference's interval
//!   comes from these discordant counts, narrower than two independent intervals when the
//!   two deals' outcomes are correlated (they are: same worlds).
//!
//! Per chunk of rounds, the detailed path keeps the rounds every party accepts every deal in
//! (as a `Mask`, see `mask.rs`) and its utility in each, then adds them up over the rounds the
//! observations keep.

use serde::{Deserialize, Serialize};

use super::CHUNK;
use super::mask::Mask;

/// A decision observed: `party` accepted (or rejected) deal number `deal` of the job.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Observation {
    pub deal: usize,
    pub party: usize,
    pub accepts: bool,
}

/// What the detailed path records.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Detail {
    /// Only rounds that agree with every observation count.
    pub observations: Vec<Observation>,
    /// Count, for every deal, the rounds where it and deal `paired_with` differ.
    pub paired_with: Option<usize>,
}

/// The detailed path's totals, beside the usual ones (which count only the kept rounds).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DetailTally {
    /// Rounds that agree with every observation (all rounds when there is none).
    pub kept: u64,
    /// Per deal: kept rounds with agreement on it but not on the base deal, and the reverse.
    pub agree_gain: Vec<u64>,
    pub agree_loss: Vec<u64>,
    /// Per party and deal (party-major): the same for the party's acceptance.
    pub accept_gain: Vec<u64>,
    pub accept_loss: Vec<u64>,
}

impl DetailTally {
    pub(super) fn new(deals: usize, parties: usize) -> Self {
        DetailTally {
            kept: 0,
            agree_gain: vec![0; deals],
            agree_loss: vec![0; deals],
            accept_gain: vec![0; deals * parties],
            accept_loss: vec![0; deals * parties],
        }
    }

    pub(super) fn merge(&mut self, from: DetailTally) {
        self.kept += from.kept;
        let add = |a: &mut Vec<u64>, b: Vec<u64>| a.iter_mut().zip(b).for_each(|(a, b)| *a += b);
        add(&mut self.agree_gain, from.agree_gain);
        add(&mut self.agree_loss, from.agree_loss);
        add(&mut self.accept_gain, from.accept_gain);
        add(&mut self.accept_loss, from.accept_loss);
    }

    pub(super) fn shape(&self) -> [usize; 4] {
        [
            self.agree_gain.len(),
            self.agree_loss.len(),
            self.accept_gain.len(),
            self.accept_loss.len(),
        ]
    }

    /// Checks the counts against `rounds` (a tally read from a file).
    pub(super) fn check(&self, rounds: u64) -> Result<(), String> {
        if self.kept > rounds {
            return Err(format!("it keeps {} of its {rounds} rounds", self.kept));
        }
        let lists = [
            &self.agree_gain,
            &self.agree_loss,
            &self.accept_gain,
            &self.accept_loss,
        ];
        if lists.iter().any(|v| v.iter().any(|&k| k > self.kept)) {
            return Err(format!(
                "a paired count is above its {} kept rounds",
                self.kept
            ));
        }
        Ok(())
    }
}

/// Rows of one chunk and block-local totals of the detailed path.
#[derive(Debug, Clone)]
pub(super) struct DetailScratch {
    /// The rounds in which each party accepted each deal: `[k · parties + p]`. Paired with
    /// deal 0 on the fast path, only deal 0's (the first `parties`) are kept.
    pub(super) accepted: Vec<Mask>,
    /// The party's utility of the deal in units, per round: `[(k · parties + p) · CHUNK + r]`.
    pub(super) utils: Vec<f64>,
    /// The rounds in which each deal was agreed: `[k]` (on the fast path, deal 0's only).
    pub(super) agreed: Vec<Mask>,
    /// The party's reservation in units: `[p · CHUNK + r]`.
    pub(super) reservation: Vec<i64>,
    /// Block-local totals.
    pub(super) totals: DetailTally,
}

impl DetailScratch {
    pub(super) fn new(deals: usize, parties: usize) -> Self {
        DetailScratch {
            accepted: vec![Mask::default(); deals * parties],
            utils: vec![0.0; deals * parties * CHUNK],
            agreed: vec![Mask::default(); deals],
            reservation: vec![0; parties * CHUNK],
            totals: DetailTally::new(deals, parties),
        }
    }

    /// Party `p`'s utility row at deal `k` (of `parties`), over a chunk of `len` rounds.
    #[inline(always)]
    pub(super) fn utility_row(
        &mut self,
        k: usize,
        p: usize,
        parties: usize,
        len: usize,
    ) -> &mut [f64] {
        let at = (k * parties + p) * CHUNK;
        &mut self.utils[at..at + len]
    }

    /// Pairs party `p`'s `accepted` rounds of deal `k` (cell `cell` of the totals) with deal
    /// 0's on the fast path (see [`pair_with_deal0`]).
    #[inline(always)]
    pub(super) fn pair(&mut self, p: usize, k: usize, cell: usize, accepted: Mask) {
        let t = &mut self.totals;
        let counts = (&mut t.accept_gain[cell], &mut t.accept_loss[cell]);
        pair_with_deal0(&mut self.accepted[p], k, accepted, counts);
    }

    /// [`DetailScratch::pair`] for the rounds deal `k` is agreed in.
    #[inline(always)]
    pub(super) fn pair_agreement(&mut self, k: usize, agreed: Mask) {
        let t = &mut self.totals;
        let counts = (&mut t.agree_gain[k], &mut t.agree_loss[k]);
        pair_with_deal0(&mut self.agreed[0], k, agreed, counts);
    }

    /// Adds a chunk of `len` rounds to the block's totals, counting only the rounds that
    /// agree with `detail`'s observations: into `agree`, `accept` and `utility` (per party
    /// and deal, party-major) and `reservation` (per party).
    #[allow(clippy::too_many_arguments)]
    pub(super) fn settle(
        &mut self,
        detail: &Detail,
        deals: usize,
        parties: usize,
        len: usize,
        agree: &mut [u64],
        accept: &mut [u64],
        utility: &mut [f64],
        reservation: &mut [i64],
    ) {
        let all = Mask::first(len);
        let kept = detail.observations.iter().fold(all, |kept, o| {
            let accepted = self.accepted[o.deal * parties + o.party];
            kept.and(if o.accepts {
                accepted
            } else {
                all.minus(accepted)
            })
        });
        self.totals.kept += kept.count();
        let kept_rounds = || (0..len).filter(move |&r| kept.has(r));
        for (p, total) in reservation.iter_mut().enumerate().take(parties) {
            let res = &self.reservation[p * CHUNK..p * CHUNK + len];
            *total += kept_rounds().map(|r| res[r]).sum::<i64>();
        }
        for (k, total) in agree.iter_mut().enumerate().take(deals) {
            *total += self.agreed[k].and(kept).count();
            for p in 0..parties {
                let at = (k * parties + p) * CHUNK;
                let cell = p * deals + k;
                accept[cell] += self.accepted[k * parties + p].and(kept).count();
                let us = &self.utils[at..at + len];
                utility[cell] += kept_rounds().map(|r| us[r]).sum::<f64>();
            }
        }
        let Some(base) = detail.paired_with else {
            return;
        };
        // Discordant rounds against the base deal, among the kept ones.
        let discordant =
            |a: Mask, b: Mask| (a.minus(b).and(kept).count(), b.minus(a).and(kept).count());
        for k in 0..deals {
            let (g, l) = discordant(self.agreed[k], self.agreed[base]);
            self.totals.agree_gain[k] += g;
            self.totals.agree_loss[k] += l;
            for p in 0..parties {
                let (g, l) = discordant(
                    self.accepted[k * parties + p],
                    self.accepted[base * parties + p],
                );
                let cell = p * deals + k;
                self.totals.accept_gain[cell] += g;
                self.totals.accept_loss[cell] += l;
            }
        }
    }
}

/// Pairs the rounds of deal `k` in `rounds` with deal 0's as the chunk is played: deal 0,
/// which comes first, keeps its rounds in `deal0`; every other deal gains the rounds only it
/// has and loses those only deal 0 has (`(gain, loss)`).
#[inline(always)]
fn pair_with_deal0(deal0: &mut Mask, k: usize, rounds: Mask, (gain, loss): (&mut u64, &mut u64)) {
    if k == 0 {
        *deal0 = rounds;
    } else {
        *gain += rounds.minus(*deal0).count();
        *loss += deal0.minus(rounds).count();
    }
}

/// A change of a probability from a base deal to another, measured on the same rounds, with
/// its paired 95% interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Change {
    /// The probability at the changed deal minus at the base.
    pub delta: f64,
    pub lo: f64,
    pub hi: f64,
    /// Rounds where the changed deal succeeds and the base does not, and the reverse.
    pub gained: u64,
    pub lost: u64,
    pub n: u64,
}

impl Change {
    /// The same difference as if the two proportions came from independent samples of `n`
    /// rounds each: Newcombe's method 10 with no correlation (φ = 0), the square-and-add of
    /// the two Wilson intervals. What the paired interval is compared with: on the same
    /// worlds the outcomes are positively correlated and the paired interval is narrower.
    pub fn independent(base: u64, changed: u64, n: u64) -> Change {
        let z = crate::sim::estimate::Z95;
        let (p1, p0) = (
            changed as f64 / n.max(1) as f64,
            base as f64 / n.max(1) as f64,
        );
        let delta = if n == 0 { f64::NAN } else { p1 - p0 };
        let (l1, u1) = crate::sim::estimate::wilson(changed, n, z);
        let (l0, u0) = crate::sim::estimate::wilson(base, n, z);
        let low = ((p1 - l1).powi(2) + (u0 - p0).powi(2)).sqrt();
        let high = ((u1 - p1).powi(2) + (p0 - l0).powi(2)).sqrt();
        Change {
            delta,
            lo: (delta - low).max(-1.0),
            hi: (delta + high).min(1.0),
            gained: 0,
            lost: 0,
            n,
        }
    }

    /// The change from `base` successes to `changed` successes in `n` rounds, `gained` and
    /// `lost` of them discordant, with Newcombe's (1998, method 10) score interval for a
    /// difference of paired proportions: Wilson intervals of the two proportions combined
    /// with the correlation of the pairs (φ).
    pub fn paired(base: u64, changed: u64, gained: u64, lost: u64, n: u64) -> Change {
        let z = crate::sim::estimate::Z95;
        let (nf, p1, p0) = (
            n as f64,
            changed as f64 / n.max(1) as f64,
            base as f64 / n.max(1) as f64,
        );
        let delta = if n == 0 { f64::NAN } else { p1 - p0 };
        let (l1, u1) = crate::sim::estimate::wilson(changed, n, z);
        let (l0, u0) = crate::sim::estimate::wilson(base, n, z);
        // The 2×2 table of (changed, base): both, changed only, base only, neither.
        let both = changed as f64 - gained as f64;
        let (b, c) = (gained as f64, lost as f64);
        let neither = nf - both - b - c;
        let denom = (both + b) * (c + neither) * (both + c) * (b + neither);
        let phi = if denom > 0.0 {
            // Newcombe's correction: the numerator is reduced toward zero by n/2 when positive.
            let num = both * neither - b * c;
            let num = if num > 0.0 {
                (num - nf / 2.0).max(0.0)
            } else {
                num
            };
            num / denom.sqrt()
        } else {
            0.0
        };
        let low = ((p1 - l1).powi(2) - 2.0 * phi * (p1 - l1) * (u0 - p0) + (u0 - p0).powi(2))
            .max(0.0)
            .sqrt();
        let high = ((u1 - p1).powi(2) - 2.0 * phi * (u1 - p1) * (p0 - l0) + (p0 - l0).powi(2))
            .max(0.0)
            .sqrt();
        Change {
            delta,
            lo: (delta - low).max(-1.0),
            hi: (delta + high).min(1.0),
            gained,
            lost,
            n,
        }
    }
}
