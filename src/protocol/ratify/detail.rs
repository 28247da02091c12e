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
//! Per chunk of rounds, the detailed path keeps every deal's and party's acceptance flag and
//! utility, then adds them up over the rounds the observations keep.

use serde::{Deserialize, Serialize};

use super::CHUNK;

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
    /// Whether the party accepted the deal, per round: `[(k · parties + p) · CHUNK + r]`.
    pub(super) flags: Vec<u64>,
    /// The party's utility of the deal in units, same layout.
    pub(super) utils: Vec<f64>,
    /// Whether every veto party accepted the deal: `[k · CHUNK + r]`.
    pub(super) agreed: Vec<u64>,
    /// The party's reservation in units: `[p · CHUNK + r]`.
    pub(super) reservation: Vec<i64>,
    /// Whether the round agrees with every observation.
    mask: Vec<u64>,
    /// Paired with deal 0 on the fast path: each party's acceptances of deal 0 in the
    /// chunk (its flags are the first party rows of `flags`).
    pub(super) base_accepted: Vec<u64>,
    /// Paired with deal 0 on the fast path: the rounds of the chunk agreed at deal 0 (its
    /// flags are the first row of `agreed`).
    pub(super) base_agreed: u64,
    /// Block-local totals.
    pub(super) totals: DetailTally,
}

impl DetailScratch {
    pub(super) fn new(deals: usize, parties: usize) -> Self {
        DetailScratch {
            flags: vec![0; deals * parties * CHUNK],
            utils: vec![0.0; deals * parties * CHUNK],
            agreed: vec![0; deals * CHUNK],
            reservation: vec![0; parties * CHUNK],
            mask: vec![0; CHUNK],
            base_accepted: vec![0; parties],
            base_agreed: 0,
            totals: DetailTally::new(deals, parties),
        }
    }

    /// The rows of party `p` at deal `k`: acceptance flags and utilities.
    #[inline(always)]
    pub(super) fn party_rows(
        &mut self,
        k: usize,
        p: usize,
        parties: usize,
        len: usize,
    ) -> (&mut [u64], &mut [f64]) {
        let at = (k * parties + p) * CHUNK;
        (&mut self.flags[at..at + len], &mut self.utils[at..at + len])
    }

    /// Pairs party `p`'s `accepted` rounds of deal `k` (cell `cell` of the totals) with deal
    /// 0's on the fast path, `both` of them accepted at deal 0 too: deal 0's count is kept
    /// for the chunk, and every other deal gains the rounds only it accepts and loses those
    /// only deal 0 accepts.
    #[inline(always)]
    pub(super) fn pair(&mut self, p: usize, k: usize, cell: usize, accepted: u64, both: u64) {
        if k == 0 {
            self.base_accepted[p] = accepted;
        } else {
            self.totals.accept_gain[cell] += accepted - both;
            self.totals.accept_loss[cell] += self.base_accepted[p] - both;
        }
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
        let mask = &mut self.mask[..len];
        mask.fill(1);
        for o in &detail.observations {
            let at = (o.deal * parties + o.party) * CHUNK;
            let flags = &self.flags[at..at + len];
            let want = o.accepts as u64;
            mask.iter_mut()
                .zip(flags)
                .for_each(|(m, &f)| *m &= (f == want) as u64);
        }
        let mask = &self.mask[..len];
        self.totals.kept += mask.iter().sum::<u64>();
        let masked_count =
            |row: &[u64]| -> u64 { row.iter().zip(mask).map(|(&f, &m)| f & m).sum() };
        for (p, total) in reservation.iter_mut().enumerate().take(parties) {
            let res = &self.reservation[p * CHUNK..p * CHUNK + len];
            *total += res
                .iter()
                .zip(mask)
                .map(|(&r, &m)| if m == 1 { r } else { 0 })
                .sum::<i64>();
        }
        for (k, total) in agree.iter_mut().enumerate().take(deals) {
            let agreed = &self.agreed[k * CHUNK..k * CHUNK + len];
            *total += masked_count(agreed);
            for p in 0..parties {
                let at = (k * parties + p) * CHUNK;
                let cell = p * deals + k;
                accept[cell] += masked_count(&self.flags[at..at + len]);
                utility[cell] += self.utils[at..at + len]
                    .iter()
                    .zip(mask)
                    .map(|(&u, &m)| if m == 1 { u } else { 0.0 })
                    .sum::<f64>();
            }
        }
        let Some(base) = detail.paired_with else {
            return;
        };
        // Discordant rounds against the base deal, among the kept ones.
        let discordant = |a: &[u64], b: &[u64]| -> (u64, u64) {
            a.iter()
                .zip(b)
                .zip(mask)
                .fold((0, 0), |(g, l), ((&a, &b), &m)| {
                    (g + (a & (1 - b) & m), l + ((1 - a) & b & m))
                })
        };
        let base_agreed = &self.agreed[base * CHUNK..base * CHUNK + len];
        for k in 0..deals {
            let agreed = &self.agreed[k * CHUNK..k * CHUNK + len];
            let (g, l) = discordant(agreed, base_agreed);
            self.totals.agree_gain[k] += g;
            self.totals.agree_loss[k] += l;
            for p in 0..parties {
                let at = (k * parties + p) * CHUNK;
                let b = (base * parties + p) * CHUNK;
                let (g, l) = discordant(&self.flags[at..at + len], &self.flags[b..b + len]);
                let cell = p * deals + k;
                self.totals.accept_gain[cell] += g;
                self.totals.accept_loss[cell] += l;
            }
        }
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
