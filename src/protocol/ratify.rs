//! `ratify`: fixed texts are put to every party; agreement when every veto party accepts.
//!
//! Several deals (a run's proposals, a sweep's points) are evaluated on the same worlds
//! (common random numbers). Utilities are sums of per-clause terms in exact integer units
//! (see [`crate::sim::fixed`]), so the clauses the deals share are summed once per party and
//! round, and only the clauses that vary are evaluated per deal — with the same result, to
//! the bit, as evaluating each deal alone.

use serde::{Deserialize, Serialize};

use crate::model::{Deal, Param, Party, Scenario, ValueFn};
use crate::sim::{Estimate, Experiment, FixedSum, World, term_units, to_units};

/// A swept outside option: party `party`'s reservation utility at each deal.
#[derive(Debug, Clone, PartialEq)]
pub struct ReservationAxis {
    pub party: usize,
    /// The reservation (its mean, when uncertain) at each deal.
    pub values: Vec<f64>,
}

/// Ratification of several deals on the same worlds.
pub struct Ratify<'a> {
    scenario: &'a Scenario,
    deals: Vec<Deal>,
    /// Clauses whose value differs between deals.
    varying: Vec<usize>,
    /// Per party: how its clause terms are found.
    party_terms: Vec<PartyTerms>,
    reservation: Option<ReservationAxis>,
    /// Centre of the swept party's reservation: the fixed value, or the distribution's mean.
    reservation_base: Option<(bool, f64)>,
}

/// A party's clause terms, laid out for the hot loop.
struct PartyTerms {
    /// The terms of each varying clause (in `varying` order) at every deal.
    columns: Vec<Terms>,
    /// Shared clauses with a fixed term: clause index and term.
    shared_fixed: Vec<(usize, f64)>,
    /// Shared clauses whose term changes between rounds.
    shared_dynamic: Vec<(usize, Terms)>,
}

impl PartyTerms {
    fn new(
        party: &Party,
        deals: &[Deal],
        varying: &[usize],
        shared: &[usize],
        centre_of: &dyn Fn(Param) -> f64,
    ) -> Self {
        let columns = varying
            .iter()
            .map(|&i| Terms::new(party, i, deals.iter().map(|d| d[i]), centre_of))
            .collect();
        let mut shared_fixed = Vec::new();
        let mut shared_dynamic = Vec::new();
        for &i in shared {
            match Terms::new(party, i, std::iter::once(deals[0][i]), centre_of) {
                Terms::Fixed(t) => shared_fixed.push((i, t[0])),
                other => shared_dynamic.push((i, other)),
            }
        }
        PartyTerms {
            columns,
            shared_fixed,
            shared_dynamic,
        }
    }
}

/// How a party's term for one clause is found at each deal.
enum Terms {
    /// The same every round: the term at each deal.
    Fixed(Vec<f64>),
    /// A fixed value function under an uncertain loss aversion: the value at each deal and
    /// the reference deal's value; only the loss is weighed in the round.
    Loss { values: Vec<f64>, anchor: f64 },
    /// A logistic value function whose midpoint m is uncertain and scale s fixed:
    /// σ((x − m)/s) = 1 / (1 + a·b) with a = exp(−(x − c)/s) fixed per deal and
    /// b = exp((m − c)/s) drawn per round, so a sweep pays one exponential per round, not
    /// one per point (c, the midpoint's mean, keeps both factors moderate).
    Logistic {
        a: Vec<f64>,
        centre: f64,
        scale: f64,
        midpoint: Param,
    },
    /// Depends on uncertain value-function parameters: evaluated in the round.
    Live,
}

impl Terms {
    fn new(
        party: &Party,
        i: usize,
        xs: impl Iterator<Item = f64>,
        centre_of: impl Fn(Param) -> f64,
    ) -> Terms {
        let f = party.values[i].as_ref();
        let value_fixed = f.is_none_or(|f| !f.is_uncertain());
        match (&party.reference, value_fixed, f) {
            (
                None,
                false,
                Some(ValueFn::Logistic {
                    midpoint,
                    scale: Param::Fixed(scale),
                }),
            ) if midpoint.is_uncertain() => {
                let centre = centre_of(*midpoint);
                Terms::Logistic {
                    a: xs.map(|x| (-(x - centre) / scale).exp()).collect(),
                    centre,
                    scale: *scale,
                    midpoint: *midpoint,
                }
            }
            (_, false, _) => Terms::Live,
            (Some(r), true, _) if r.loss_aversion.is_uncertain() => {
                let eval = |x: f64| f.map_or(0.0, |f| f.eval(x, &[]));
                Terms::Loss {
                    values: xs.map(eval).collect(),
                    anchor: eval(r.deal[i]),
                }
            }
            _ => Terms::Fixed(xs.map(|x| party.clause_term(i, x, &[])).collect()),
        }
    }

    /// The part of the term that depends only on the round (computed once per party and
    /// round): the loss aversion, or the logistic factor b.
    #[inline(always)]
    fn round_factor(&self, party: &Party, slots: &[f64]) -> f64 {
        match self {
            Terms::Loss { .. } => party
                .reference
                .as_ref()
                .map_or(1.0, |r| r.loss_aversion.get(slots)),
            Terms::Logistic {
                centre,
                scale,
                midpoint,
                ..
            } => ((midpoint.get(slots) - centre) / scale).exp(),
            Terms::Fixed(_) | Terms::Live => 0.0,
        }
    }

    /// Adds `weight × term` (in units) at every deal to `utility`; `live(k)` evaluates the
    /// term directly. One loop per kind, so the match is outside the loop over deals.
    #[inline(always)]
    fn add_to(&self, utility: &mut [i64], weight: f64, factor: f64, live: impl Fn(usize) -> f64) {
        match self {
            Terms::Fixed(t) => {
                for (u, &term) in utility.iter_mut().zip(t) {
                    *u += term_units(weight * term);
                }
            }
            Terms::Loss { values, anchor } => {
                for (u, &v) in utility.iter_mut().zip(values) {
                    let term = if v >= *anchor {
                        v
                    } else {
                        (anchor - factor * (anchor - v)).max(0.0)
                    };
                    *u += term_units(weight * term);
                }
            }
            Terms::Logistic { a, .. } => {
                for (k, (u, &ak)) in utility.iter_mut().zip(a).enumerate() {
                    let ab = ak * factor;
                    let term = if ab.is_nan() {
                        live(k)
                    } else {
                        1.0 / (1.0 + ab)
                    };
                    *u += term_units(weight * term);
                }
            }
            Terms::Live => {
                for (k, u) in utility.iter_mut().enumerate() {
                    *u += term_units(weight * live(k));
                }
            }
        }
    }

    /// The term at deal `k`, whose clause value is `x`, given the round's factor.
    #[inline(always)]
    fn term(&self, party: &Party, i: usize, k: usize, x: f64, slots: &[f64], factor: f64) -> f64 {
        match self {
            Terms::Fixed(t) => t[k],
            Terms::Loss { values, anchor } => {
                let v = values[k];
                if v >= *anchor {
                    v
                } else {
                    (anchor - factor * (anchor - v)).max(0.0)
                }
            }
            Terms::Logistic { a, .. } => {
                let ab = a[k] * factor;
                // inf·0 (a far-off point meeting an extreme draw): evaluate directly.
                if ab.is_nan() {
                    party.clause_term(i, x, slots)
                } else {
                    1.0 / (1.0 + ab)
                }
            }
            Terms::Live => party.clause_term(i, x, slots),
        }
    }
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

/// Per-thread working memory.
#[derive(Debug, Clone)]
pub struct RatifyScratch {
    /// 1 while every veto party so far accepts each deal (u64 so the loops vectorise).
    agreed: Vec<u64>,
    /// One party's utility at each deal, in units.
    utility: Vec<i64>,
    /// Sum over the block's rounds of each party's utility at each deal (party-major).
    block_utility: Vec<i64>,
}

impl<'a> Ratify<'a> {
    /// Ratification of `deals` (each a value per clause of `scenario`).
    pub fn new(scenario: &'a Scenario, deals: Vec<Deal>) -> Self {
        let clauses = scenario.clauses.len();
        let varying: Vec<usize> = (0..clauses)
            .filter(|&i| deals.iter().any(|d| d[i] != deals[0][i]))
            .collect();
        let shared: Vec<usize> = (0..clauses).filter(|i| !varying.contains(i)).collect();
        let means = scenario.mean_slots();
        let centre_of = |p: Param| p.get(&means);
        let party_terms = scenario
            .parties
            .iter()
            .map(|p| PartyTerms::new(p, &deals, &varying, &shared, &centre_of))
            .collect();
        Ratify {
            scenario,
            deals,
            varying,
            party_terms,
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
                                    FixedSum::repeated(axis.values[k], n).mean(n)
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
        RatifyScratch {
            agreed: vec![1; self.deals.len()],
            utility: vec![0; self.deals.len()],
            block_utility: vec![0; self.deals.len() * self.scenario.parties.len()],
        }
    }

    fn end_block(&self, scratch: &mut RatifyScratch, tally: &mut RatifyTally) {
        for (sum, block) in tally
            .utility
            .iter_mut()
            .zip(scratch.block_utility.iter_mut())
        {
            sum.add_units(*block);
            *block = 0;
        }
    }

    #[inline]
    fn play(&self, world: &World, scratch: &mut RatifyScratch, tally: &mut RatifyTally) {
        let k_all = self.deals.len();
        let base = &self.deals[0];
        let slots = &world.slots;
        tally.rounds += 1;
        scratch.agreed.fill(1);
        for (p, (party, terms)) in self
            .scenario
            .parties
            .iter()
            .zip(&self.party_terms)
            .enumerate()
        {
            let w = world.weights_of(p);
            let sampled_r = world.reservation[p];
            tally.reservation[p].add(sampled_r);
            let mut shared = 0i64;
            for &(i, t) in &terms.shared_fixed {
                shared += term_units(w[i] * t);
            }
            for (i, t) in &terms.shared_dynamic {
                let factor = t.round_factor(party, slots);
                shared += term_units(w[*i] * t.term(party, *i, 0, base[*i], slots, factor));
            }
            // Utility at every deal: the shared part, then the varying clauses column by column
            // (each column's round factor computed once).
            scratch.utility.fill(shared);
            for (t, &i) in terms.columns.iter().zip(&self.varying) {
                let (wj, factor) = (w[i], t.round_factor(party, slots));
                t.add_to(&mut scratch.utility, wj, factor, |k| {
                    party.clause_term(i, self.deals[k][i], slots)
                });
            }
            let cut = to_units(world.accept_cut[p]);
            let RatifyScratch {
                agreed,
                utility,
                block_utility,
            } = scratch;
            // Utility sums stay in i64 within a block (at most 1024 · 2⁴⁰) and move into the
            // exact i128 tally at the block's end.
            for (sum, &u) in block_utility[p * k_all..(p + 1) * k_all]
                .iter_mut()
                .zip(utility.iter())
            {
                *sum += u;
            }
            let accept = &mut tally.accept[p * k_all..(p + 1) * k_all];
            match &self.reservation {
                Some(axis) if axis.party == p => {
                    for (k, ((acc, ok_all), &u)) in accept
                        .iter_mut()
                        .zip(agreed.iter_mut())
                        .zip(utility.iter())
                        .enumerate()
                    {
                        let ok =
                            u >= to_units(self.reservation_at(p, k, sampled_r)).saturating_add(cut);
                        *acc += ok as u64;
                        *ok_all &= (ok || !party.veto) as u64;
                    }
                }
                _ => {
                    let threshold = to_units(sampled_r).saturating_add(cut);
                    if party.veto {
                        for ((acc, ok_all), &u) in
                            accept.iter_mut().zip(agreed.iter_mut()).zip(utility.iter())
                        {
                            let ok = (u >= threshold) as u64;
                            *acc += ok;
                            *ok_all &= ok;
                        }
                    } else {
                        for (acc, &u) in accept.iter_mut().zip(utility.iter()) {
                            *acc += (u >= threshold) as u64;
                        }
                    }
                }
            }
        }
        for (a, &ok) in tally.agree.iter_mut().zip(&scratch.agreed) {
            *a += ok;
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
