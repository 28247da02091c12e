//! `ratify`: fixed texts are put to every party; agreement when every veto party accepts.
//!
//! Several deals (a run's proposals, a sweep's points) are evaluated on the same worlds
//! (common random numbers). Utilities are sums of per-clause terms in exact integer units
//! (see [`crate::sim::fixed`]), so the clauses the deals share are summed once per party and
//! round, and only the clauses that vary are evaluated per deal — with the same result, to
//! the bit, as evaluating each deal alone.

use serde::{Deserialize, Serialize};

use crate::model::{Deal, Param, Scenario};
use crate::sim::{Estimate, Experiment, FixedSum, UNIT_SCALE, World, to_units};

/// A swept outside option: party `party`'s reservation utility at each deal.
#[derive(Debug, Clone, PartialEq)]
pub struct ReservationAxis {
    pub party: usize,
    /// The reservation (its mean, when uncertain) at each deal.
    pub values: Vec<f64>,
}

mod columns;

use columns::{LANES, Lanes, PartyPlan, chunks, deal_at};

/// Ratification of several deals on the same worlds.
pub struct Ratify<'a> {
    scenario: &'a Scenario,
    deals: Vec<Deal>,
    /// Per party: its clause terms laid out for the hot loop.
    plans: Vec<PartyPlan>,
    /// Lane groups the deals fill.
    groups: usize,
    reservation: Option<ReservationAxis>,
    /// Centre of the swept party's reservation: the fixed value, or the distribution's mean.
    reservation_base: Option<(bool, f64)>,
}

/// Counts and sums over rounds, party-major (`[party * deals + deal]`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RatifyTally {
    pub rounds: u64,
    /// Rounds in which every veto party accepted, per deal.
    pub agree: Vec<u64>,
    /// Rounds in which the party accepted, per party and deal.
    pub accept: Vec<u64>,
    /// Sum of the party's utility, per party and deal.
    pub utility: Vec<FixedSum>,
    /// Sum of the party's sampled reservation utility, per party.
    pub reservation: Vec<FixedSum>,
}

/// Per-thread working memory: block-local counts and sums in lane groups, moved into the
/// tally at each block's end.
#[derive(Debug, Clone)]
pub struct RatifyScratch {
    /// 1 while every veto party so far accepts each deal, this round.
    agreed: Vec<Lanes<u64>>,
    /// Rounds in which every veto party accepted, per deal.
    agree: Vec<Lanes<u64>>,
    /// Rounds in which the party accepted, per party and deal (party-major).
    accept: Vec<Lanes<u64>>,
    /// Sum of each party's utility at each deal, in units (party-major), held exactly in
    /// floats: at most 1024 · 2⁴⁰ per block, below 2⁵³.
    utility: Vec<Lanes<f64>>,
    /// Sum of each party's sampled reservation, in units.
    reservation: Vec<i64>,
    /// Rounds played in this block.
    rounds: u64,
    /// The utility of the party being evaluated at every deal, this round.
    round_utility: Vec<Lanes<f64>>,
}

impl<'a> Ratify<'a> {
    /// Ratification of `deals` (each a value per clause of `scenario`).
    pub fn new(scenario: &'a Scenario, deals: Vec<Deal>) -> Self {
        let clauses = scenario.clauses.len();
        let varying: Vec<usize> = (0..clauses)
            .filter(|&i| deals.iter().any(|d| d[i] != deals[0][i]))
            .collect();
        let means = scenario.mean_slots();
        let centre_of = |p: Param| p.get(&means);
        let plans = scenario
            .parties
            .iter()
            .map(|p| PartyPlan::new(p, &deals, &varying, &centre_of))
            .collect();
        Ratify {
            scenario,
            groups: chunks(deals.len()),
            deals,
            plans,
            reservation: None,
            reservation_base: None,
        }
    }

    /// Moves one party's outside option per deal: to the value itself when the reservation
    /// is fixed, and by the value minus the distribution's mean when it is uncertain.
    pub fn with_reservation(mut self, axis: ReservationAxis) -> Self {
        let party = &self.scenario.parties[axis.party];
        self.reservation_base = Some(match party.reservation {
            crate::model::Param::Fixed(v) => (true, v),
            crate::model::Param::Slot(s) => (false, self.scenario.uncertain[s].dist.dist.mean()),
        });
        self.reservation = Some(axis);
        self
    }

    /// The deals evaluated, in order.
    pub fn deals(&self) -> &[Deal] {
        &self.deals
    }

    /// The reservation of party `p` at deal `k`, given the sampled one.
    #[inline(always)]
    fn reservation_at(&self, p: usize, k: usize, sampled: f64) -> f64 {
        match (&self.reservation, self.reservation_base) {
            (Some(axis), Some((fixed, base))) if axis.party == p => {
                if fixed {
                    axis.values[k]
                } else {
                    sampled + (axis.values[k] - base)
                }
            }
            _ => sampled,
        }
    }

    /// Estimates from a tally, with `names` labelling the deals.
    pub fn summarise(&self, tally: &RatifyTally, names: &[String]) -> Vec<DealResult> {
        let parties = &self.scenario.parties;
        let n = tally.rounds;
        let k_all = self.deals.len();
        names
            .iter()
            .enumerate()
            .map(|(k, name)| DealResult {
                proposal: name.clone(),
                agreement: Estimate::from_counts(tally.agree[k], n),
                parties: parties
                    .iter()
                    .enumerate()
                    .map(|(p, party)| {
                        let i = p * k_all + k;
                        let mean_utility = tally.utility[i].mean(n);
                        let mean_reservation = match (&self.reservation, self.reservation_base) {
                            (Some(axis), Some((fixed, base))) if axis.party == p => {
                                if fixed {
                                    // As a run with this fixed reservation would sum it.
                                    FixedSum(to_units(axis.values[k]) as i128 * n as i128).mean(n)
                                } else {
                                    tally.reservation[p].mean(n) + axis.values[k] - base
                                }
                            }
                            _ => tally.reservation[p].mean(n),
                        };
                        PartyResult {
                            party: party.name.clone(),
                            veto: party.veto,
                            accept: Estimate::from_counts(tally.accept[i], n),
                            mean_utility: to_precision(mean_utility),
                            mean_margin: to_precision(mean_utility - mean_reservation),
                        }
                    })
                    .collect(),
            })
            .collect()
    }
}

impl Experiment for Ratify<'_> {
    type Tally = RatifyTally;
    type Scratch = RatifyScratch;

    fn new_tally(&self) -> RatifyTally {
        let cells = self.deals.len() * self.scenario.parties.len();
        RatifyTally {
            rounds: 0,
            agree: vec![0; self.deals.len()],
            accept: vec![0; cells],
            utility: vec![FixedSum::default(); cells],
            reservation: vec![FixedSum::default(); self.scenario.parties.len()],
        }
    }

    fn new_scratch(&self) -> RatifyScratch {
        let parties = self.scenario.parties.len();
        let cells = parties * self.groups;
        RatifyScratch {
            agreed: vec![[1; LANES]; self.groups],
            agree: vec![[0; LANES]; self.groups],
            accept: vec![[0; LANES]; cells],
            utility: vec![[0.0; LANES]; cells],
            reservation: vec![0; parties],
            round_utility: vec![[0.0; LANES]; self.groups],
            rounds: 0,
        }
    }

    fn end_block(&self, scratch: &mut RatifyScratch, tally: &mut RatifyTally) {
        let k_all = self.deals.len();
        for k in 0..k_all {
            let (c, l) = (k / LANES, k % LANES);
            tally.agree[k] += std::mem::take(&mut scratch.agree[c][l]);
            for (p, plan) in self.plans.iter().enumerate() {
                let cell = p * self.groups + c;
                tally.accept[p * k_all + k] += std::mem::take(&mut scratch.accept[cell][l]);
                let sum = &mut tally.utility[p * k_all + k];
                if plan.constant {
                    let units = plan.base[c][l] as i128;
                    sum.merge(FixedSum(units * scratch.rounds as i128));
                } else {
                    sum.add_units(std::mem::take(&mut scratch.utility[cell][l]) as i64);
                }
            }
        }
        scratch.rounds = 0;
        for (sum, r) in tally.reservation.iter_mut().zip(&mut scratch.reservation) {
            sum.add_units(std::mem::take(r));
        }
        // Padding lanes hold copies of the last deal: clear them too.
        for lanes in scratch.agree.iter_mut() {
            *lanes = [0; LANES];
        }
        for lanes in scratch.accept.iter_mut() {
            *lanes = [0; LANES];
        }
        for lanes in scratch.utility.iter_mut() {
            *lanes = [0.0; LANES];
        }
    }

    #[inline]
    fn play(&self, world: &World, scratch: &mut RatifyScratch, tally: &mut RatifyTally) {
        let k_all = self.deals.len();
        let slots = &world.slots;
        tally.rounds += 1;
        scratch.rounds += 1;
        let RatifyScratch {
            agreed,
            agree,
            accept,
            utility,
            reservation,
            round_utility,
            ..
        } = scratch;
        agreed.fill([1; LANES]);
        for (p, (party, plan)) in self.scenario.parties.iter().zip(&self.plans).enumerate() {
            let w = world.weights_of(p);
            let sampled_r = world.reservation[p];
            let r_units = to_units(sampled_r);
            reservation[p] += r_units;
            let cut = to_units(world.accept_cut[p]);
            // Both at most 2⁵⁰ in magnitude (see `to_units`), so no sum or difference below
            // overflows.
            let threshold = (r_units + cut) as f64;
            let live = |i: usize, k: usize| party.clause_term(i, self.deals[k][i], slots);
            let lambda = plan.loss_aversion.get(slots);
            let mut shared = 0.0;
            for col in &plan.shared {
                let mut one = [[0.0; LANES]];
                let factor = col.round_factor(lambda, slots);
                let ws = w[col.clause] * UNIT_SCALE;
                col.add(ws, factor, slots, &mut one, |_, _| live(col.clause, 0));
                shared += one[0][0];
            }
            // The utility at every deal, clause by clause over all deals (a party whose
            // utilities never change has them in its plan, and their sums are made at the
            // block's end).
            let u: &[Lanes<f64>] = if plan.constant {
                &plan.base
            } else {
                let u = &mut round_utility[..];
                for (u, b) in u.iter_mut().zip(&plan.base) {
                    *u = b.map(|b| b + shared);
                }
                plan.fixed.add_fixed(w, u);
                plan.loss.add_loss(w, lambda, u);
                for col in &plan.columns {
                    let factor = col.round_factor(lambda, slots);
                    let ws = w[col.clause] * UNIT_SCALE;
                    col.add(ws, factor, slots, u, |c, l| {
                        live(col.clause, deal_at(c, l, k_all))
                    });
                }
                let sums = &mut utility[p * self.groups..(p + 1) * self.groups];
                for (sum, u) in sums.iter_mut().zip(u.iter()) {
                    *sum = std::array::from_fn(|l| sum[l] + u[l]);
                }
                u
            };
            let swept = self.reservation.as_ref().filter(|axis| axis.party == p);
            let counts = &mut accept[p * self.groups..(p + 1) * self.groups];
            for (c, ((acc_count, ok_all), u)) in
                counts.iter_mut().zip(agreed.iter_mut()).zip(u).enumerate()
            {
                let thresholds: Lanes<f64> = match swept {
                    Some(_) => std::array::from_fn(|l| {
                        let k = deal_at(c, l, k_all);
                        (to_units(self.reservation_at(p, k, sampled_r)) + cut) as f64
                    }),
                    None => [threshold; LANES],
                };
                let ok: Lanes<u64> = std::array::from_fn(|l| (u[l] >= thresholds[l]) as u64);
                *acc_count = std::array::from_fn(|l| acc_count[l] + ok[l]);
                if party.veto {
                    *ok_all = std::array::from_fn(|l| ok_all[l] & ok[l]);
                }
            }
        }
        for (a, ok) in agree.iter_mut().zip(agreed.iter()) {
            for l in 0..LANES {
                a[l] += ok[l];
            }
        }
    }

    fn max_half_width(&self, tally: &RatifyTally) -> Option<f64> {
        tally
            .agree
            .iter()
            .map(|&k| Estimate::from_counts(k, tally.rounds).half_width())
            .reduce(f64::max)
    }

    fn merge(&self, into: &mut RatifyTally, from: RatifyTally) {
        into.rounds += from.rounds;
        for (a, b) in into.agree.iter_mut().zip(from.agree) {
            *a += b;
        }
        for (a, b) in into.accept.iter_mut().zip(from.accept) {
            *a += b;
        }
        for (a, b) in into.utility.iter_mut().zip(from.utility) {
            a.merge(b);
        }
        for (a, b) in into.reservation.iter_mut().zip(from.reservation) {
            a.merge(b);
        }
    }
}

/// Rounds a mean utility to 12 decimals: the units utilities are computed in are 2⁻⁴⁰
/// (about 10⁻¹²), so further digits are noise.
fn to_precision(x: f64) -> f64 {
    (x * 1e12).round() / 1e12
}

/// The result of a ratify run: the JSON shape users' scripts read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RatifyResult {
    pub scenario: String,
    pub protocol: String,
    pub seed: u64,
    pub rounds: u64,
    /// Present in precision mode: the target and whether it was reached.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub precision: Option<Precision>,
    pub results: Vec<DealResult>,
}

/// The outcome of precision mode (`--precision H`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Precision {
    /// The half-width asked for.
    pub target: f64,
    /// The largest half-width of an agreement probability at the end.
    pub achieved: f64,
    /// Whether `achieved <= target` (otherwise `--max-rounds` ended the run).
    pub reached: bool,
}

/// One proposal's estimates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DealResult {
    pub proposal: String,
    /// Probability that every veto party accepts.
    pub agreement: Estimate,
    pub parties: Vec<PartyResult>,
}

/// One party's estimates for one proposal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PartyResult {
    pub party: String,
    pub veto: bool,
    pub accept: Estimate,
    pub mean_utility: f64,
    /// Mean utility minus mean reservation utility.
    pub mean_margin: f64,
}
