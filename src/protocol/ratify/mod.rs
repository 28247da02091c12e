//! `ratify`: fixed texts are put to every party; agreement when every veto party accepts.
//!
//! Several deals (a run's proposals, a sweep's points) are evaluated on the same worlds
//! (common random numbers). Utilities are sums of per-clause terms in exact integer units
//! (see [`crate::sim::fixed`]), so the clauses the deals share are summed once per party and
//! round, and only the clauses that vary are evaluated per deal — with the same result, to
//! the bit, as evaluating each deal alone.
//!
//! A block is evaluated a chunk of rounds at a time, each clause's term over all the chunk's
//! rounds in one loop (see [`columns`]), so the work per round is vector arithmetic with
//! no per-round dispatch; [`Experiment::play`] is the same evaluation over one round.

use serde::{Deserialize, Serialize};

use crate::model::{Deal, Param, Rule, Scenario};
use crate::numeric::lanes::{self, Kernel};
use crate::sim::fixed::{UNITS_LIMIT, reported};
use crate::sim::{
    Estimate, Experiment, FixedSum, PerRound, Rounds, Weight, World, WorldBlock, WorldSampler,
    to_units, units_float,
};

/// A swept outside option: party `party`'s reservation utility at each deal.
#[derive(Debug, Clone, PartialEq)]
pub struct ReservationAxis {
    pub party: usize,
    /// The reservation (its mean, when uncertain) at each deal.
    pub values: Vec<f64>,
}

mod columns;
pub mod detail;
mod differences;
mod mask;

use Terms::{At, ChangeTo};
use columns::{Column, Own, PartyPlan, RoundInputs, Shifted, Start, Zero};
use detail::DetailScratch;
pub use detail::{Change, Detail, DetailTally, Observation};
use differences::{Build, DEAL0_ROWS, Deal0Rows, row_offsets};
use mask::Mask;

/// Rounds evaluated side by side: long enough for the loops over rounds to run at full
/// speed, short enough that a deal's rows stay in the first-level cache.
const CHUNK: usize = 256;

/// Ratification of several deals on the same worlds.
pub struct Ratify<'a> {
    scenario: &'a Scenario,
    deals: Vec<Deal>,
    /// Per party: its clause terms laid out for the hot loop.
    plans: Vec<PartyPlan>,
    /// How many per-round factor rows the plans use.
    factor_rows: usize,
    /// Where each party's rows of deal 0's utility start, and how many rows there are (see
    /// [`differences`]).
    deal0_offsets: Vec<usize>,
    deal0_rows: usize,
    reservation: Option<ReservationAxis>,
    /// Centre of the swept party's reservation: the fixed value, or the distribution's mean.
    reservation_base: Option<(bool, f64)>,
    /// Round-by-round accounting (observations, paired changes), when asked for.
    detail: Option<Detail>,
    /// The agreement rule, and every party's vote summed (the voters are all the parties).
    /// Under the default rule only the veto checks run, as before rules existed.
    rule: Rule,
    total_votes: f64,
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
    /// With observations or pairing: the kept rounds and the paired counts (the counts and
    /// sums above are then over the kept rounds only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<DetailTally>,
}

/// Per-thread working memory: block-local counts and sums, moved into the tally at each
/// block's end, and rows of per-round values for one chunk of rounds.
#[derive(Debug, Clone)]
pub struct RatifyScratch {
    /// Rounds in which every veto party accepted, per deal.
    agree: Vec<u64>,
    /// Rounds in which the party accepted, per party and deal (party-major).
    accept: Vec<u64>,
    /// Sum of each party's utility at each deal, in units (party-major), held exactly in
    /// floats: at most 1024 · 2⁴⁰ per block, below 2⁵³.
    utility: Vec<f64>,
    /// Sum of each party's sampled reservation, in units.
    reservation: Vec<i64>,
    /// Rounds played in this block.
    rounds: u64,
    rows: Rows,
    /// One round's sampled values, gathered for terms evaluated round by round.
    slots: Vec<f64>,
    /// The detailed path's rows and totals.
    detail: Option<DetailScratch>,
}

/// Per-round rows for one chunk of rounds.
#[derive(Debug, Clone)]
struct Rows {
    /// Per party: the utility, in units, the party's margin must reach (its reservation
    /// plus its acceptance cut).
    threshold: Vec<f64>,
    /// Per party: the units of the clauses every deal shares.
    shared: Vec<f64>,
    /// Per-round factors of logistic columns.
    factors: Vec<f64>,
    /// Deal 0's terms, for deals built from them.
    deal0: Deal0Rows,
    /// The utility of the party being evaluated at the deal being evaluated.
    utility: Vec<f64>,
    /// The swept party's threshold at the deal being evaluated.
    swept: Vec<f64>,
    /// Under a quota or weighted rule: the votes of the parties so far that accept it.
    votes: Vec<f64>,
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
        let mut factor_rows = 0;
        let plans = scenario
            .parties
            .iter()
            .map(|p| PartyPlan::new(p, &deals, &varying, &centre_of, &mut factor_rows))
            .collect::<Vec<PartyPlan>>();
        let (deal0_offsets, deal0_rows) = row_offsets(plans.iter().map(|p| p.builds.from_deal0));
        let rule = scenario.protocol.rule().clone();
        let total_votes = (0..scenario.parties.len()).map(|p| rule.vote(p)).sum();
        Ratify {
            scenario,
            deals,
            plans,
            factor_rows,
            deal0_offsets,
            deal0_rows,
            reservation: None,
            reservation_base: None,
            detail: None,
            rule,
            total_votes,
        }
    }

    /// Keeps the rounds round by round as `detail` asks: only those agreeing with its
    /// observations count, and every deal is paired with its base (see [`detail`]).
    pub fn with_detail(mut self, detail: Detail) -> Self {
        self.detail = Some(detail);
        self
    }

    /// Whether rounds are kept one by one and settled per chunk (observations, or a base
    /// other than the first deal). Pairing alone with deal 0 as the base is counted on the
    /// fast path instead: deal 0 is evaluated first in every chunk, the rounds each party
    /// accepts it in and it is agreed in kept, and every other deal compared with them as it
    /// is tallied.
    fn settles_by_round(&self) -> bool {
        self.detail
            .as_ref()
            .is_some_and(|d| !d.observations.is_empty() || d.paired_with != Some(0))
    }

    /// The rounds a tally's estimates are over: those kept by the observations.
    pub fn counted(&self, tally: &RatifyTally) -> u64 {
        tally.detail.as_ref().map_or(tally.rounds, |d| d.kept)
    }

    /// Each deal's change from the paired base deal: agreement, then each party's
    /// acceptance, with paired intervals (`None` without pairing).
    pub fn changes(&self, tally: &RatifyTally) -> Option<Vec<(Change, Vec<Change>)>> {
        let base = self.detail.as_ref()?.paired_with?;
        let d = tally.detail.as_ref()?;
        let k_all = self.deals.len();
        let n = d.kept;
        Some(
            (0..k_all)
                .map(|k| {
                    let agreement = Change::paired(
                        tally.agree[base],
                        tally.agree[k],
                        d.agree_gain[k],
                        d.agree_loss[k],
                        n,
                    );
                    let parties = (0..self.scenario.parties.len())
                        .map(|p| {
                            let (cell, b) = (p * k_all + k, p * k_all + base);
                            Change::paired(
                                tally.accept[b],
                                tally.accept[cell],
                                d.accept_gain[cell],
                                d.accept_loss[cell],
                                n,
                            )
                        })
                        .collect();
                    (agreement, parties)
                })
                .collect(),
        )
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
        let n = self.counted(tally);
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
                            mean_utility: reported(mean_utility),
                            mean_margin: reported(mean_utility - mean_reservation),
                        }
                    })
                    .collect(),
            })
            .collect()
    }
}

/// Every round's outcome ([`Ratify::outcomes`]): for each of `rounds` rounds, whether each
/// deal was agreed and whether each party accepted it, as 1 or 0.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RoundOutcomes {
    /// How many rounds (the stride of the rows below).
    pub rounds: usize,
    /// Agreement on deal `k` in round `r` at `k * rounds + r`.
    pub agreed: Vec<u8>,
    /// Party `p`'s acceptance of deal `k` in round `r` at `(k * parties + p) * rounds + r`.
    pub accepted: Vec<u8>,
}

impl RoundOutcomes {
    /// Agreement on deal `k`, round by round.
    pub fn agreement(&self, k: usize) -> &[u8] {
        &self.agreed[k * self.rounds..(k + 1) * self.rounds]
    }

    /// Party `p`'s acceptance of deal `k` (of a scenario with `parties` parties), round by
    /// round.
    pub fn acceptance(&self, k: usize, p: usize, parties: usize) -> &[u8] {
        let at = (k * parties + p) * self.rounds;
        &self.accepted[at..at + self.rounds]
    }
}

impl<'a> Ratify<'a> {
    /// Ratification of `deals` that can report every round's outcome ([`Ratify::outcomes`]):
    /// the detailed path, with no observations.
    pub fn round_by_round(scenario: &'a Scenario, deals: Vec<Deal>) -> Self {
        Ratify::new(scenario, deals).with_detail(Detail::default())
    }
}

impl Ratify<'_> {
    /// Plays `rounds` and writes every round's outcome to `out` — the same decisions the
    /// tallies count, round by round, for analyses that pair outputs with the worlds that
    /// produced them (sensitivity, calibration). `self` must come from
    /// [`Ratify::round_by_round`]; the block sums `scratch` gathers are discarded.
    pub fn outcomes(&self, rounds: &Rounds, scratch: &mut RatifyScratch, out: &mut RoundOutcomes) {
        assert!(
            self.detail.is_some() && scratch.detail.is_some(),
            "Ratify::outcomes needs Ratify::round_by_round"
        );
        let n = rounds.len();
        let (deals, parties) = (self.deals.len(), self.plans.len());
        out.rounds = n;
        out.agreed.resize(deals * n, 0);
        out.accepted.resize(deals * parties * n, 0);
        for lo in (0..n).step_by(CHUNK) {
            let hi = (lo + CHUNK).min(n);
            self.play_chunk(rounds, lo..hi, scratch);
            let Some(d) = scratch.detail.as_ref() else {
                return;
            };
            let write = |to: &mut [u8], from: Mask| {
                to.iter_mut()
                    .enumerate()
                    .for_each(|(r, t)| *t = u8::from(from.has(r)))
            };
            for k in 0..deals {
                write(&mut out.agreed[k * n + lo..k * n + hi], d.agreed[k]);
                for p in 0..parties {
                    let row = (k * parties + p) * n;
                    let from = d.accepted[k * parties + p];
                    write(&mut out.accepted[row + lo..row + hi], from);
                }
            }
        }
        let mut discard = self.new_tally();
        self.end_block(scratch, &mut discard);
    }
}

impl Ratify<'_> {
    /// Plays the rounds of `rounds` chunk by chunk into the block-local sums of `scratch`.
    fn play_rounds(&self, rounds: &Rounds, scratch: &mut RatifyScratch) {
        let n = rounds.len();
        for lo in (0..n).step_by(CHUNK) {
            self.play_chunk(rounds, lo..(lo + CHUNK).min(n), scratch);
        }
        scratch.rounds += n as u64;
    }

    /// Plays the rounds in `range`: per party, the rows every deal shares; then per deal
    /// and party, the utility in every round and what follows from it.
    fn play_chunk(
        &self,
        rounds: &Rounds,
        range: std::ops::Range<usize>,
        scratch: &mut RatifyScratch,
    ) {
        // Four lanes wide where the CPU allows, with the same bits.
        lanes::run(PlayChunk {
            ratify: self,
            rounds,
            range,
            scratch,
        })
    }

    // Inlined, with every helper it calls, into both versions `lanes::run` compiles.
    #[inline(always)]
    fn play_chunk_here(
        &self,
        rounds: &Rounds,
        range: std::ops::Range<usize>,
        scratch: &mut RatifyScratch,
    ) {
        let len = range.len();
        let k_all = self.deals.len();
        let RatifyScratch {
            agree,
            accept,
            utility,
            reservation,
            rows,
            slots,
            detail,
            ..
        } = scratch;
        let parties = self.plans.len();
        let row = |p: usize| p * len..(p + 1) * len;
        let param = |p: Param| rounds.param(p).range(range.clone());
        let round_by_round = self.settles_by_round();
        for (p, plan) in self.plans.iter().enumerate() {
            let res = rounds.reservation(p).range(range.clone());
            match detail.as_mut().filter(|_| round_by_round) {
                // Summed over the kept rounds only, once the chunk is settled.
                Some(d) => {
                    let row = &mut d.reservation[p * CHUNK..p * CHUNK + len];
                    match res {
                        PerRound::Fixed(r) => row.fill(to_units(r)),
                        PerRound::Each(rs) => {
                            row.iter_mut().zip(rs).for_each(|(o, &r)| *o = to_units(r))
                        }
                    }
                }
                None => {
                    reservation[p] += match res {
                        PerRound::Fixed(r) => to_units(r) * len as i64,
                        PerRound::Each(rs) => rs.iter().map(|&r| to_units(r)).sum(),
                    };
                }
            }
            let cut = rounds.cut(p).range(range.clone());
            write_threshold(res, cut, &mut rows.threshold[row(p)]);
            for col in plan.all_columns() {
                col.write_factor(&param, &mut rows.factors, len);
            }
        }
        let chunk = Chunk {
            rounds,
            range: range.clone(),
            factors: &rows.factors,
            slots: std::cell::RefCell::new(slots),
        };
        for (p, plan) in self.plans.iter().enumerate() {
            let shared = &mut rows.shared[row(p)];
            self.add_columns(&chunk, p, &plan.shared, At(0), Zero, shared);
            if plan.builds.from_deal0 {
                self.write_deal0_rows(&chunk, p, &rows.shared[row(p)], &mut rows.deal0);
            }
        }
        // A quota or weighted rule counts every party's vote; the default rule needs none.
        let voting = !self.rule.is_unanimity();
        for (k, agree) in agree.iter_mut().enumerate() {
            let mut agreed = Mask::first(len);
            if voting {
                rows.votes[..len].fill(0.0);
            }
            for (p, (party, plan)) in self.scenario.parties.iter().zip(&self.plans).enumerate() {
                let threshold = match self.reservation.as_ref().filter(|axis| axis.party == p) {
                    Some(_) => {
                        let res = rounds.reservation(p).range(range.clone());
                        let cut = rounds.cut(p).range(range.clone());
                        let swept = &mut rows.swept[..len];
                        write_swept_threshold(res, cut, swept, |r| self.reservation_at(p, k, r));
                        &rows.swept[..len]
                    }
                    None => &rows.threshold[row(p)],
                };
                let cell = p * k_all + k;
                let shared = &rows.shared[row(p)];
                let accepted = match detail.as_mut() {
                    // Round by round: utilities and acceptances kept for the chunk's settling.
                    Some(d) if round_by_round => {
                        let us = d.utility_row(k, p, parties, len);
                        if plan.constant {
                            us.fill(plan.base[k]);
                        } else {
                            self.deal_row(&chunk, p, k, shared, &rows.deal0, us);
                        }
                        let (_, accepted) = mask::tally(us, threshold);
                        d.accepted[k * parties + p] = accepted;
                        accepted
                    }
                    // Counted as the chunk is played; paired with deal 0 when there is
                    // detail (deal 0 comes first: its acceptances are kept for the others).
                    detail => {
                        let accepted = if plan.constant {
                            // The block's end sums a constant utility once per round.
                            mask::reaching(plan.base[k], threshold)
                        } else {
                            let u: &[f64] = match self.deal0_row(p, k, &rows.deal0, len) {
                                Some(u) => u,
                                None => {
                                    let u = &mut rows.utility[..len];
                                    self.deal_row(&chunk, p, k, shared, &rows.deal0, u);
                                    u
                                }
                            };
                            let (sum, accepted) = mask::tally(u, threshold);
                            utility[cell] += sum;
                            accepted
                        };
                        accept[cell] += accepted.count();
                        if let Some(d) = detail {
                            d.pair(p, k, cell, accepted);
                        }
                        accepted
                    }
                };
                if party.veto {
                    agreed = agreed.and(accepted);
                }
                if voting {
                    let votes = rows.votes[..len].iter_mut();
                    add_votes(votes, (0..len).map(|r| accepted.has(r)), p, &self.rule);
                }
            }
            if voting {
                let votes = &rows.votes[..len];
                let passes = Mask::from_fn(len, |r| self.rule.passes(votes[r], self.total_votes));
                agreed = agreed.and(passes);
            }
            match detail.as_mut() {
                Some(d) if round_by_round => d.agreed[k] = agreed,
                Some(d) => {
                    *agree += agreed.count();
                    d.pair_agreement(k, agreed);
                }
                None => *agree += agreed.count(),
            }
        }
        if let Some(d) = detail.as_mut().filter(|_| !round_by_round) {
            d.totals.kept += len as u64;
        }
        if let (Some(d), Some(spec), true) = (detail.as_mut(), &self.detail, round_by_round) {
            d.settle(
                spec,
                k_all,
                parties,
                len,
                agree,
                accept,
                utility,
                reservation,
            );
        }
    }

    /// Writes party `p`'s deal 0 rows for the chunk into `rows` (see [`differences`]): from
    /// `shared` and deal 0's base, every column's term but the last's, then the last's.
    #[inline(always)]
    fn write_deal0_rows(&self, chunk: &Chunk, p: usize, shared: &[f64], rows: &mut Deal0Rows) {
        let plan = &self.plans[p];
        let len = shared.len();
        let at = self.deal0_offsets[p] * len;
        let (before, whole) = rows.sums[at..at + DEAL0_ROWS * len].split_at_mut(len);
        let (last, rest) = plan
            .columns
            .split_last()
            .expect("a deal 0 build has columns");
        let start = Shifted(shared, plan.base[0]);
        self.add_columns(chunk, p, rest, At(0), start, before);
        let one = std::slice::from_ref(last);
        self.add_columns(chunk, p, one, At(0), Shifted(before, 0.0), whole);
    }

    /// Party `p`'s rows of deal 0 over a chunk of `len` rounds: its utility without the
    /// last column's term, and with it.
    #[inline(always)]
    fn deal0_sums<'r>(&self, p: usize, deal0: &'r Deal0Rows, len: usize) -> [&'r [f64]; 2] {
        let at = self.deal0_offsets[p] * len;
        [
            &deal0.sums[at..at + len],
            &deal0.sums[at + len..at + 2 * len],
        ]
    }

    /// Party `p`'s utility at deal `k` over the chunk when it is deal 0's row as it stands
    /// (the same columns and base): that row, with no pass to copy it.
    #[inline(always)]
    fn deal0_row<'r>(
        &self,
        p: usize,
        k: usize,
        deal0: &'r Deal0Rows,
        len: usize,
    ) -> Option<&'r [f64]> {
        let plan = &self.plans[p];
        let same = matches!(plan.builds.per_deal[k], Build::Same)
            && plan.base[k].to_bits() == plan.base[0].to_bits();
        same.then(|| self.deal0_sums(p, deal0, len)[1])
    }

    /// Writes party `p`'s utility at deal `k` over the chunk into `u`, as the plan's build
    /// for the deal says: from the shared terms (`shared`) or from deal 0's rows.
    #[inline(always)]
    fn deal_row(
        &self,
        chunk: &Chunk,
        p: usize,
        k: usize,
        shared: &[f64],
        deal0: &Deal0Rows,
        u: &mut [f64],
    ) {
        let plan = &self.plans[p];
        let base = plan.base[k];
        let shift = base - plan.base[0];
        let last = plan.columns.len() - 1;
        let one = |j: usize| std::slice::from_ref(&plan.columns[j]);
        match &plan.builds.per_deal[k] {
            Build::Every => {
                self.add_columns(chunk, p, &plan.columns, At(k), Shifted(shared, base), u)
            }
            Build::Same => {
                let [_, whole] = self.deal0_sums(p, deal0, u.len());
                self.add_columns(chunk, p, &[], At(k), Shifted(whole, shift), u)
            }
            Build::Differs(changed) => {
                let [before, whole] = self.deal0_sums(p, deal0, u.len());
                let others = match changed.split_last() {
                    // Deal 0's utility without the last column's term is the row before it.
                    Some((&j, others)) if j == last => {
                        self.add_columns(chunk, p, one(last), At(k), Shifted(before, shift), u);
                        others
                    }
                    _ => {
                        let (&first, others) = changed.split_first().expect("a change");
                        let from = Shifted(whole, shift);
                        self.add_columns(chunk, p, one(first), ChangeTo(k), from, u);
                        others
                    }
                };
                for &j in others {
                    self.add_columns(chunk, p, one(j), ChangeTo(k), Own, u);
                }
            }
        }
    }

    /// Adds party `p`'s `terms` of `columns` over the chunk to `from` (see [`Start`]), in
    /// `u`.
    #[inline(always)]
    fn add_columns(
        &self,
        chunk: &Chunk,
        p: usize,
        columns: &[Column],
        terms: Terms,
        from: impl Start,
        u: &mut [f64],
    ) {
        let Some((first, rest)) = columns.split_first() else {
            let from = from.fit(u.len());
            u.iter_mut()
                .enumerate()
                .for_each(|(r, u)| *u = from.at(r, *u));
            return;
        };
        let party = &self.scenario.parties[p];
        let live = |i: usize, x: f64, r: usize| {
            let mut buf = chunk.slots.borrow_mut();
            let slots = chunk.rounds.slots_at(chunk.range.start + r, &mut buf);
            party.clause_term(i, x, slots)
        };
        let param = |q: Param| chunk.param(q);
        let inputs = RoundInputs {
            lambda: chunk.param(self.plans[p].loss_aversion),
            factors: chunk.factors,
            param: &param,
            live: &live,
        };
        terms.add(first, chunk.weight(p, first), &inputs, from, u);
        for col in rest {
            terms.add(col, chunk.weight(p, col), &inputs, Own, u);
        }
    }
}

/// Which terms [`Ratify::add_columns`] adds.
#[derive(Clone, Copy)]
enum Terms {
    /// The columns' terms at deal `k`.
    At(usize),
    /// Each column's change from deal 0 to deal `k` (see [`Column::add_change`]).
    ChangeTo(usize),
}

impl Terms {
    /// Adds `col`'s terms, weighed by `w` (see [`Column::add`]).
    #[inline(always)]
    fn add(self, col: &Column, w: Weight, inputs: &RoundInputs, from: impl Start, u: &mut [f64]) {
        match self {
            Terms::At(k) => col.add(k, w, inputs, from, u),
            Terms::ChangeTo(k) => col.add_change(k, w, inputs, from, u),
        }
    }
}

/// [`Ratify::play_chunk`]'s work, for [`lanes::run`].
struct PlayChunk<'a, 'b, 's> {
    ratify: &'a Ratify<'s>,
    rounds: &'a Rounds<'b>,
    range: std::ops::Range<usize>,
    scratch: &'a mut RatifyScratch,
}

impl Kernel for PlayChunk<'_, '_, '_> {
    #[inline(always)]
    fn run(self) {
        let PlayChunk {
            ratify,
            rounds,
            range,
            scratch,
        } = self;
        ratify.play_chunk_here(rounds, range, scratch)
    }
}

/// The rounds of one chunk, as the column loops read them.
struct Chunk<'a, 'b> {
    rounds: &'a Rounds<'b>,
    range: std::ops::Range<usize>,
    /// The logistic columns' factor rows (see [`columns::RoundInputs`]).
    factors: &'a [f64],
    /// Where the slow path gathers a round's sampled values.
    slots: std::cell::RefCell<&'a mut Vec<f64>>,
}

impl<'b> Chunk<'_, 'b> {
    /// Parameter `p` over the chunk.
    #[inline(always)]
    fn param(&self, p: Param) -> PerRound<'b> {
        self.rounds.param(p).range(self.range.clone())
    }

    /// Party `p`'s weight on `col`'s clause over the chunk.
    #[inline(always)]
    fn weight(&self, p: usize, col: &Column) -> Weight<'b> {
        self.rounds.weight(p, col.clause).range(self.range.clone())
    }
}

/// The threshold in units in every round: the reservation's units plus the cut's (both at
/// most 2⁵⁰ in magnitude, so their sum is exact).
#[inline(always)]
fn write_threshold(res: PerRound, cut: PerRound, out: &mut [f64]) {
    match (res, cut) {
        (PerRound::Fixed(r), PerRound::Fixed(c)) => out.fill(units_float(r) + units_float(c)),
        (PerRound::Fixed(r), PerRound::Each(cs)) => {
            let r = units_float(r);
            out.iter_mut()
                .zip(cs)
                .for_each(|(o, &c)| *o = r + units_float(c));
        }
        (PerRound::Each(rs), PerRound::Fixed(c)) => {
            let c = units_float(c);
            out.iter_mut()
                .zip(rs)
                .for_each(|(o, &r)| *o = units_float(r) + c);
        }
        (PerRound::Each(rs), PerRound::Each(cs)) => {
            for ((o, &r), &c) in out.iter_mut().zip(rs).zip(cs) {
                *o = units_float(r) + units_float(c);
            }
        }
    }
}

/// [`write_threshold`] for a swept party: `at` moves the sampled reservation to the deal's.
#[inline(always)]
fn write_swept_threshold(res: PerRound, cut: PerRound, out: &mut [f64], at: impl Fn(f64) -> f64) {
    for (r, o) in out.iter_mut().enumerate() {
        let pick = |x: PerRound| match x {
            PerRound::Fixed(v) => v,
            PerRound::Each(xs) => xs[r],
        };
        *o = units_float(at(pick(res))) + units_float(pick(cut));
    }
}

/// Adds party `p`'s vote under `rule` to `votes` in the rounds where it accepts (a second,
/// cheap pass over a row, made only under a quota or weighted rule).
#[inline(always)]
fn add_votes<'a>(
    votes: impl Iterator<Item = &'a mut f64>,
    accepts: impl Iterator<Item = bool>,
    p: usize,
    rule: &Rule,
) {
    let vote = rule.vote(p);
    for (v, ok) in votes.zip(accepts) {
        if ok {
            *v += vote;
        }
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
            detail: self
                .detail
                .as_ref()
                .map(|_| DetailTally::new(self.deals.len(), self.scenario.parties.len())),
        }
    }

    fn new_scratch(&self) -> RatifyScratch {
        let parties = self.scenario.parties.len();
        let cells = parties * self.deals.len();
        RatifyScratch {
            agree: vec![0; self.deals.len()],
            accept: vec![0; cells],
            utility: vec![0.0; cells],
            reservation: vec![0; parties],
            rounds: 0,
            slots: vec![0.0; self.scenario.uncertain.len()],
            detail: self
                .detail
                .as_ref()
                .map(|_| DetailScratch::new(self.deals.len(), parties)),
            rows: Rows {
                threshold: vec![0.0; parties * CHUNK],
                shared: vec![0.0; parties * CHUNK],
                factors: vec![0.0; self.factor_rows * CHUNK],
                deal0: Deal0Rows {
                    sums: vec![0.0; self.deal0_rows * CHUNK],
                },
                utility: vec![0.0; CHUNK],
                swept: vec![0.0; CHUNK],
                votes: vec![0.0; CHUNK],
            },
        }
    }

    fn end_block(&self, scratch: &mut RatifyScratch, tally: &mut RatifyTally) {
        let block_rounds = std::mem::take(&mut scratch.rounds);
        tally.rounds += block_rounds;
        let k_all = self.deals.len();
        for (a, b) in tally.agree.iter_mut().zip(&mut scratch.agree) {
            *a += std::mem::take(b);
        }
        for (a, b) in tally.accept.iter_mut().zip(&mut scratch.accept) {
            *a += std::mem::take(b);
        }
        for (p, plan) in self.plans.iter().enumerate() {
            for k in 0..k_all {
                let cell = p * k_all + k;
                let sum = std::mem::take(&mut scratch.utility[cell]);
                // The detailed path sums constant utilities round by round (kept rounds only).
                if plan.constant && !(scratch.detail.is_some() && self.settles_by_round()) {
                    let units = plan.base[k] as i128;
                    tally.utility[cell].merge(FixedSum(units * block_rounds as i128));
                } else {
                    tally.utility[cell].add_units(sum as i64);
                }
            }
        }
        for (sum, r) in tally.reservation.iter_mut().zip(&mut scratch.reservation) {
            sum.add_units(std::mem::take(r));
        }
        if let (Some(d), Some(t)) = (scratch.detail.as_mut(), tally.detail.as_mut()) {
            let parties = self.scenario.parties.len();
            let block = std::mem::replace(&mut d.totals, DetailTally::new(k_all, parties));
            t.merge(block);
        }
    }

    #[inline]
    fn play(&self, world: &World, scratch: &mut RatifyScratch, _tally: &mut RatifyTally) {
        // One round as a run of one; its sums reach the tally at the block's end.
        self.play_rounds(&Rounds::one(world), scratch);
    }

    fn play_block(
        &self,
        sampler: &WorldSampler,
        draws: &WorldBlock,
        rounds: usize,
        _world: &mut World,
        scratch: &mut RatifyScratch,
        _tally: &mut RatifyTally,
    ) {
        self.play_rounds(&sampler.rounds(draws, rounds), scratch);
    }

    fn max_half_width(&self, tally: &RatifyTally) -> Option<f64> {
        let n = self.counted(tally);
        tally
            .agree
            .iter()
            .map(|&k| Estimate::from_counts(k, n).half_width())
            .reduce(f64::max)
    }

    fn merge(&self, into: &mut RatifyTally, from: RatifyTally) {
        into.merge(from);
    }
}

impl RatifyTally {
    /// Adds `from`, a tally of the same deals and parties.
    pub fn merge(&mut self, from: RatifyTally) {
        self.rounds += from.rounds;
        for (a, b) in self.agree.iter_mut().zip(from.agree) {
            *a += b;
        }
        for (a, b) in self.accept.iter_mut().zip(from.accept) {
            *a += b;
        }
        for (a, b) in self.utility.iter_mut().zip(from.utility) {
            a.merge(b);
        }
        for (a, b) in self.reservation.iter_mut().zip(from.reservation) {
            a.merge(b);
        }
        if let (Some(a), Some(b)) = (self.detail.as_mut(), from.detail) {
            a.merge(b);
        }
    }

    /// The lengths of its lists: two tallies of one job have the same.
    pub fn shape(&self) -> Vec<usize> {
        let mut shape = vec![
            self.agree.len(),
            self.accept.len(),
            self.utility.len(),
            self.reservation.len(),
        ];
        if let Some(d) = &self.detail {
            shape.extend(d.shape());
        }
        shape
    }

    /// Checks that the tally could come from `rounds` rounds (a tally read from a file).
    pub fn check(&self, rounds: u64) -> Result<(), String> {
        if let Some(d) = &self.detail {
            d.check(rounds)?;
        }
        if self.rounds != rounds {
            return Err(format!(
                "it counts {} rounds where its blocks hold {rounds}",
                self.rounds
            ));
        }
        if self.agree.iter().chain(&self.accept).any(|&k| k > rounds) {
            return Err(format!("a count is above its {rounds} rounds"));
        }
        let possible = |s: &FixedSum| s.is_possible(rounds, UNITS_LIMIT);
        if !self.utility.iter().chain(&self.reservation).all(possible) {
            return Err(format!(
                "a sum of utilities is beyond what {rounds} rounds can add up to"
            ));
        }
        Ok(())
    }
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
