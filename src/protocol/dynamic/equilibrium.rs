//! `equilibrium`: the subgame-perfect equilibrium of finite-horizon stacked alternating
//! offers under unanimity, by backward induction (Rubinstein 1982; Ståhl 1972; for n parties
//! the stacked extension, as in Shaked's game cut at a deadline).
//!
//! The negotiators propose in turn order — at step `s` the one at position `(s − 1) mod n` —
//! and every other negotiator answers; there are `T` = `deadline` steps and nothing after
//! them, where each party gets its reservation. A deal agreed at step `s` is worth
//! `u · d^(s − 1)`. Going backward from step `T`, the proposer at step `s` offers the deal it
//! likes best among those every responder accepts — worth, discounted, at least what that
//! responder gets from step `s + 1` on (its discounted continuation value) — and makes it
//! only if it is worth, discounted, at least its own value from `s + 1` on (else it waits).
//! A responder accepts when indifferent. The round's outcome is the first agreement on the
//! equilibrium path.
//!
//! The continuation is unique where the proposer's best acceptable offer leaves each
//! responder one utility: always on a pie (below), and generically over a deal space. Where
//! the proposer is indifferent between offers that treat the others differently, backward
//! induction has several subgame-perfect paths; accord takes the first such offer in the
//! deal space's order (as for two parties), and the README says so. Under a quota or
//! weighted rule the proposer may buy any cheapest set of acceptors and the others'
//! continuation depends on which: the scenario loader refuses it (Baron–Ferejohn is the
//! quota game with a defined equilibrium).
//!
//! **A pie** (`pie = true`): the clauses are the negotiators' shares of one pie and each
//! one's utility is its share. Then a proposer offers each responder exactly its need (its
//! continuation value over its discount), keeps the rest when that is worth its own
//! continuation, and the recursion is exact arithmetic on shares: with a common discount `d`,
//! no reservations and `T` steps, the negotiator at position `r` gets
//! `Σ (1 − d)·d^(s − 1)` over its proposing steps `s < T`, plus `d^(T − 1)` if it proposes
//! at `T` — the n-party analogue of Rubinstein's finite-horizon shares, converging to the
//! stationary `(1 − d)·d^r / (1 − d^n)` as `T` grows.
//!
//! The best acceptable deal is searched over what may be offered of the discretised deal
//! space (every clause at a negotiable value), and then exactly along every range clause's
//! negotiable range: between consecutive kinks of the two value functions both
//! utilities are monotone in the clause, so the optimum on a segment lies at an end or where
//! the responder's constraint binds, which is found by bisection to the last floating-point
//! bit. With one range clause (and any number of discrete ones) the solution is exact; with
//! several, each is solved exactly with the others on their grids. On a pie with linear
//! utilities this reproduces Rubinstein's finite-horizon shares to rounding error.
//!
//! Each round solves the game with that round's parameters (complete information); when
//! neither party's utility, reservation or discount is uncertain it is solved once per run.
//!
//! **Two negotiators with fixed utilities over a discrete space** (no range clause), with
//! discounts or reservations drawn per round: the proposer's best acceptable offer is a
//! point of the "staircase" of the space — its best outcome among those worth at least the
//! responder's need, for every need — which lies on the Pareto frontier (bar the ties the
//! order rule keeps). The staircase is built once per run, over the outcomes that may be
//! offered (every clause at a negotiable value), by one sort of them by
//! the responder's utility and one sweep ([`Staircase`]); each round's backward induction is
//! then one binary search per step, `O(T log |P|)`, instead of a pass over every outcome per
//! step. The answers are those of the pass: the first outcome in the deal space's order
//! among the proposer's best acceptable ones, so results do not change (a test compares
//! with brute-force induction over every outcome that may be offered).
//! The only offer on the equilibrium path is the agreed one: it is the round's whole
//! concession path (the proposer's utility of it, at its step).

use super::space::OutcomeTable;
use super::tally::{DynamicTally, TallyLayout};
use super::trace::{OfferStep, Recorder, Response};
use super::{EndKind, Ending, PartyTables, discount_at, fixed};
use crate::model::{ClauseKind, DynamicSpec, Party, Pie, Scenario, ValueFn};
use crate::sim::{Experiment, World};

/// Histogram points per range clause for the agreed deal's quantiles.
const FINE_AXIS: usize = 1001;

/// The equilibrium protocol of a scenario, ready to run.
pub struct Equilibrium<'a> {
    scenario: &'a Scenario,
    spec: &'a DynamicSpec,
    space: OutcomeTable,
    pub(super) layout: TallyLayout,
    tables: PartyTables,
    /// Clauses solved exactly (the range clauses).
    ranges: Vec<usize>,
    /// The solution when it is the same in every round.
    fixed: Option<Solution>,
    /// The pie the clauses divide, when they do.
    pie: Option<&'a Pie>,
    /// Two negotiators with fixed utilities over a discrete space: each one's staircase
    /// as proposer (by seat), built once per run.
    stairs: Option<[Staircase; 2]>,
}

/// A proposer's best acceptable offers over a discrete deal space, for every need of the
/// responder: steps of the responder's utility, descending, each with the proposer's best
/// outcome among those worth at least it to the responder (the first in the deal space's
/// order among equally good ones).
#[derive(Debug, Clone)]
pub struct Staircase {
    /// The responder's utility at each step, descending.
    responder: Vec<f64>,
    /// At each step: the outcome, its utility to the proposer and to the responder.
    best: Vec<(u32, f64, f64)>,
}

impl Staircase {
    /// The staircase of a proposer with utilities `up` against a responder with `ur` (by
    /// outcome index): one sort and one sweep, `O(N log N)`.
    pub fn new(up: &[f64], ur: &[f64]) -> Self {
        Self::among(up, ur, (0..ur.len() as u32).collect())
    }

    /// The staircase over the outcomes `order` alone (the ones that may be offered).
    pub fn among(up: &[f64], ur: &[f64], mut order: Vec<u32>) -> Self {
        // By the responder's utility, descending: a need admits a prefix.
        order.sort_unstable_by(|&a, &b| ur[b as usize].total_cmp(&ur[a as usize]));
        let mut stairs = Staircase {
            responder: Vec::new(),
            best: Vec::new(),
        };
        let mut current: Option<(u32, f64)> = None;
        let mut i = 0;
        while i < order.len() {
            // Outcomes of equal utility to the responder are admitted together.
            let level = ur[order[i] as usize];
            let mut changed = false;
            while i < order.len() && ur[order[i] as usize].total_cmp(&level).is_eq() {
                let o = order[i];
                let u = up[o as usize];
                let better = current.is_none_or(|(c, cu)| u > cu || (u == cu && o < c));
                if better {
                    current = Some((o, u));
                    changed = true;
                }
                i += 1;
            }
            // A need down to the next level keeps this best: one step per change.
            if let Some((o, u)) = current
                && changed
            {
                stairs.responder.push(level);
                stairs.best.push((o, u, ur[o as usize]));
            }
        }
        stairs
    }

    /// Steps on the staircase.
    pub fn len(&self) -> usize {
        self.best.len()
    }

    /// Whether no outcome is on it (an empty deal space).
    pub fn is_empty(&self) -> bool {
        self.best.is_empty()
    }

    /// The proposer's best outcome among those worth at least `need` to the responder, with
    /// its utility to each: `None` when none is (or `need` is NaN).
    #[inline]
    pub fn offer(&self, need: f64) -> Option<(u32, f64, f64)> {
        // Steps whose level admits the need; the last of them holds the best so far.
        let admitted = self.responder.partition_point(|&r| r >= need);
        admitted.checked_sub(1).map(|i| self.best[i])
    }
}

/// The equilibrium outcome: agreement at `step` on `deal`, or none (`step` is 0).
#[derive(Debug, Clone, PartialEq)]
pub struct Solution {
    pub step: u32,
    pub deal: Vec<f64>,
}

/// Per-thread working memory.
#[derive(Debug, Clone)]
pub struct EqScratch {
    tables: PartyTables,
    /// Utilities of every grid outcome to each negotiator, in turn order.
    utils: Vec<Vec<f64>>,
    /// Each negotiator's value from the next step on, and what a responder needs now.
    value: Vec<f64>,
    need: Vec<f64>,
    solution: Solution,
    /// Best deal found at the current step, and a line being searched.
    best: Vec<f64>,
    line: Vec<f64>,
    kinks: Vec<f64>,
}

impl<'a> Equilibrium<'a> {
    /// The equilibrium protocol of `scenario` with settings `spec`, over the divisions of
    /// `pie` when the clauses are one.
    pub fn new(scenario: &'a Scenario, spec: &'a DynamicSpec, pie: Option<&'a Pie>) -> Self {
        let space = OutcomeTable::new(scenario, spec.resolution());
        let axes = scenario
            .clauses
            .iter()
            .zip(space.grids())
            .map(|(c, grid)| match *c.kind() {
                ClauseKind::Range { min, max, .. } => {
                    let mut a: Vec<f64> = (0..FINE_AXIS)
                        .map(|i| min + (max - min) * i as f64 / (FINE_AXIS - 1) as f64)
                        .collect();
                    a.extend(grid);
                    a.sort_by(f64::total_cmp);
                    a.dedup();
                    a
                }
                _ => grid,
            })
            .collect();
        let layout = TallyLayout::new(axes, spec.deadline() as usize, scenario.parties.len())
            .with_paths(spec.order().to_vec())
            .with_exact_ranges(&scenario.clauses);
        let mean = scenario.mean_slots();
        let tables = PartyTables::new(scenario, &space, &mean);
        let ranges: Vec<usize> = scenario
            .clauses
            .iter()
            .enumerate()
            .filter(|(_, c)| matches!(c.kind(), ClauseKind::Range { .. }))
            .map(|(i, _)| i)
            .collect();
        let discrete_pair = pie.is_none()
            && ranges.is_empty()
            && spec.order().len() == 2
            && spec.order().iter().all(|&p| !tables.is_uncertain(p));
        let stairs = discrete_pair.then(|| {
            let utils: Vec<Vec<f64>> = spec
                .order()
                .iter()
                .map(|&p| {
                    let mut u = vec![0.0; space.outcomes];
                    space.fill_utilities(tables.terms(p), &mut u);
                    u
                })
                .collect();
            // Only what may be offered is ever offered (in the deal space's order).
            let offerable: Vec<u32> = (0..space.outcomes)
                .filter(|&o| space.is_offerable(o))
                .map(|o| o as u32)
                .collect();
            [
                Staircase::among(&utils[0], &utils[1], offerable.clone()),
                Staircase::among(&utils[1], &utils[0], offerable),
            ]
        });
        let mut eq = Equilibrium {
            scenario,
            spec,
            space,
            layout,
            tables,
            ranges,
            fixed: None,
            pie,
            stairs,
        };
        let is_fixed = spec.order().iter().all(|&p| {
            let party = &scenario.parties[p];
            !eq.tables.is_uncertain(p)
                && fixed(party.reservation)
                && fixed(party.negotiation.discount())
        });
        if is_fixed {
            let world = super::world_at(scenario, &mean);
            let mut sc = eq.new_scratch();
            eq.solve(&world, &mut sc);
            eq.fixed = Some(sc.solution);
        }
        eq
    }

    pub(super) fn scenario(&self) -> &'a Scenario {
        self.scenario
    }

    pub(super) fn spec(&self) -> &'a DynamicSpec {
        self.spec
    }

    /// The equilibrium in `world` (the fixed one when it never varies).
    pub fn solution(&self, world: &World) -> Solution {
        match &self.fixed {
            Some(s) => s.clone(),
            None => {
                let mut sc = self.new_scratch();
                self.solve(world, &mut sc);
                sc.solution
            }
        }
    }

    /// Backward induction from the deadline; leaves the path's outcome in `sc.solution`.
    fn solve(&self, world: &World, sc: &mut EqScratch) {
        if let Some(pie) = self.pie {
            return self.solve_pie(pie, world, sc);
        }
        if self.spec.order().len() > 2 {
            return self.solve_stacked(world, sc);
        }
        if let Some(stairs) = &self.stairs {
            return self.solve_on_stairs(stairs, world, sc);
        }
        sc.tables.refresh(self.scenario, &self.space, world);
        let seats = [self.spec.order()[0], self.spec.order()[1]];
        for (i, &p) in seats.iter().enumerate() {
            self.space
                .fill_utilities(sc.tables.terms(p), &mut sc.utils[i]);
        }
        let discount = seats.map(|p| {
            self.scenario.parties[p]
                .negotiation
                .discount()
                .get(&world.slots)
        });
        // Values from step s on, in step-1 terms: after the deadline, the reservations.
        let mut value = seats.map(|p| world.reservation[p]);
        sc.solution.step = 0;
        for s in (1..=self.spec.deadline()).rev() {
            let (pi, ri) = if s % 2 == 1 { (0, 1) } else { (1, 0) };
            let (fp, fr) = (discount_at(discount[pi], s), discount_at(discount[ri], s));
            // What the responder must get, undiscounted, to accept now.
            let need = Self::need_of(value[ri], fr);
            let Some((up, ur)) = self.best_offer(pi, ri, need, world, sc) else {
                continue;
            };
            if up * fp >= value[pi] {
                value[pi] = up * fp;
                value[ri] = ur * fr;
                sc.solution.step = s;
                sc.solution.deal.copy_from_slice(&sc.best);
            }
        }
    }

    /// The grid outcomes with range clause `j` at its first grid point and every other clause
    /// at a negotiable value: the lines along `j` an exact search walks.
    fn lines(&self, j: usize) -> impl Iterator<Item = usize> + '_ {
        (0..self.space.outcomes).filter(move |&o| {
            self.space.grid_index(o, j) == 0
                && (0..self.space.clauses()).all(|i| {
                    i == j
                        || self
                            .space
                            .is_value_offerable(i, self.space.grid_index(o, i))
                })
        })
    }

    /// [`Equilibrium::solve`] for two negotiators with fixed utilities over a discrete space:
    /// the same induction, each step's best acceptable offer read from the proposer's
    /// staircase by one binary search.
    fn solve_on_stairs(&self, stairs: &[Staircase; 2], world: &World, sc: &mut EqScratch) {
        // Only the other parties' tables can change (their shortfalls are tallied): a pass
        // over their terms, not the outcomes.
        sc.tables.refresh(self.scenario, &self.space, world);
        let seats = [self.spec.order()[0], self.spec.order()[1]];
        let discount = seats.map(|p| {
            self.scenario.parties[p]
                .negotiation
                .discount()
                .get(&world.slots)
        });
        let mut value = seats.map(|p| world.reservation[p]);
        sc.solution.step = 0;
        let mut agreed = 0;
        for s in (1..=self.spec.deadline()).rev() {
            let (pi, ri) = if s % 2 == 1 { (0, 1) } else { (1, 0) };
            let (fp, fr) = (discount_at(discount[pi], s), discount_at(discount[ri], s));
            let Some((o, up, ur)) = stairs[pi].offer(Self::need_of(value[ri], fr)) else {
                continue;
            };
            if up * fp >= value[pi] {
                value[pi] = up * fp;
                value[ri] = ur * fr;
                sc.solution.step = s;
                agreed = o;
            }
        }
        if sc.solution.step > 0 {
            self.space
                .write_deal(agreed as usize, &mut sc.solution.deal);
        }
    }

    /// The deal (into `sc.best`) best for seat `pi` among those worth at least `need` to seat
    /// `ri`, with both utilities; `None` if no deal is.
    fn best_offer(
        &self,
        pi: usize,
        ri: usize,
        need: f64,
        world: &World,
        sc: &mut EqScratch,
    ) -> Option<(f64, f64)> {
        let mut best: Option<(f64, f64)> = None;
        let mut best_o = usize::MAX;
        for o in (0..self.space.outcomes).filter(|&o| self.space.is_offerable(o)) {
            let ur = sc.utils[ri][o];
            if ur >= need {
                let up = sc.utils[pi][o];
                if best.is_none_or(|(b, _)| up > b) {
                    best = Some((up, ur));
                    best_o = o;
                }
            }
        }
        if best_o != usize::MAX {
            self.space.write_deal(best_o, &mut sc.best);
        }
        if self.ranges.is_empty() {
            return best;
        }
        let (p, r) = (self.spec.order()[pi], self.spec.order()[ri]);
        let (party_p, party_r) = (&self.scenario.parties[p], &self.scenario.parties[r]);
        let (wp, wr) = (world.weights_of(p), world.weights_of(r));
        let slots = &world.slots;
        let up = |d: &[f64]| party_p.utility(d, wp, slots);
        let ur = |d: &[f64]| party_r.utility(d, wr, slots);
        for &j in &self.ranges {
            // Exactly along what may be offered of the clause.
            let Some((min, max)) = self.scenario.clauses[j].offer_bounds() else {
                continue;
            };
            sc.kinks.clear();
            sc.kinks.extend([min, max]);
            for party in [party_p, party_r] {
                kinks(party, j, slots, &mut sc.kinks);
            }
            sc.kinks.retain(|&x| x >= min && x <= max);
            sc.kinks.sort_by(f64::total_cmp);
            sc.kinks.dedup();
            // Every combination of the other clauses' negotiable grid values: the outcomes
            // with clause j at its first grid point.
            for o in self.lines(j) {
                self.space.write_deal(o, &mut sc.line);
                for k in 1..sc.kinks.len() {
                    let (a, b) = (sc.kinks[k - 1], sc.kinks[k]);
                    sc.line[j] = a;
                    let ra = ur(&sc.line);
                    sc.line[j] = b;
                    let rb = ur(&sc.line);
                    let mut consider = |x: f64, line: &mut Vec<f64>, best_deal: &mut Vec<f64>| {
                        line[j] = x;
                        let (p_u, r_u) = (up(line), ur(line));
                        if r_u >= need && best.is_none_or(|(bu, _)| p_u > bu) {
                            best = Some((p_u, r_u));
                            best_deal.copy_from_slice(line);
                        }
                    };
                    if ra >= need {
                        consider(a, &mut sc.line, &mut sc.best);
                    }
                    if rb >= need {
                        consider(b, &mut sc.line, &mut sc.best);
                    }
                    if (ra >= need) != (rb >= need) {
                        let (mut ok, mut bad) = if ra >= need { (a, b) } else { (b, a) };
                        for _ in 0..200 {
                            let mid = 0.5 * (ok + bad);
                            if mid == ok || mid == bad {
                                break;
                            }
                            sc.line[j] = mid;
                            if ur(&sc.line) >= need {
                                ok = mid;
                            } else {
                                bad = mid;
                            }
                        }
                        consider(ok, &mut sc.line, &mut sc.best);
                    }
                }
            }
        }
        best
    }

    fn record(
        &self,
        solution: &Solution,
        world: &World,
        sc: &mut EqScratch,
        tally: &mut DynamicTally,
    ) {
        for (p, r) in tally.reservation.iter_mut().enumerate() {
            r.add(world.reservation[p]);
        }
        if solution.step == 0 {
            tally.end(EndKind::Deadline, self.spec.deadline());
            return;
        }
        tally.end(EndKind::Agreement, solution.step);
        tally.deal(&self.layout, &solution.deal, None);
        if self.fixed.is_some() {
            sc.tables.refresh(self.scenario, &self.space, world);
        }
        // The path's one offer: the agreed deal, made by the step's proposer.
        let proposer = self.seat_at(solution.step);
        for (p, party) in self.scenario.parties.iter().enumerate() {
            let u = party.utility(&solution.deal, world.weights_of(p), &world.slots);
            let value = u * discount_at(
                self.scenario.parties[p]
                    .negotiation
                    .discount()
                    .get(&world.slots),
                solution.step,
            );
            tally.party(p, u, value, sc.tables.best(p) - u);
            if p == self.spec.order()[proposer] {
                tally.path(
                    &self.layout,
                    proposer,
                    solution.step,
                    u,
                    world.reservation[p],
                );
            }
        }
    }

    /// Plays one round with `rec` watching: the agreed offer of the equilibrium path.
    pub fn trace_round<R: Recorder>(&self, world: &World, rec: &mut R) {
        let sol = self.solution(world);
        if sol.step == 0 {
            rec.end(&Ending::new(EndKind::Deadline, self.spec.deadline()), None);
            return;
        }
        let p = self.spec.order()[self.seat_at(sol.step)];
        let u = |q: usize| {
            self.scenario.parties[q].utility(&sol.deal, world.weights_of(q), &world.slots)
        };
        let responses: Vec<Response> = self
            .spec
            .order()
            .iter()
            .filter(|&&r| r != p)
            .map(|&r| Response {
                party: r,
                utility: u(r),
                accept: true,
            })
            .collect();
        rec.offer(&OfferStep {
            step: sol.step,
            proposer: p,
            target: f64::NAN,
            deal: &sol.deal,
            proposer_utility: u(p),
            responses: &responses,
        });
        rec.end(&Ending::new(EndKind::Agreement, sol.step), Some(&sol.deal));
    }
}

impl Equilibrium<'_> {
    /// The seat (position in turn order) proposing at step `step` (from 1).
    #[inline]
    fn seat_at(&self, step: u32) -> usize {
        (step.max(1) as usize - 1) % self.spec.order().len()
    }

    /// What a responder with discount factor `f` at this step needs, undiscounted, to accept
    /// rather than take its continuation value `value` (as for two parties).
    #[inline]
    fn need_of(value: f64, f: f64) -> f64 {
        if f > 0.0 {
            value / f
        } else if value <= 0.0 {
            f64::NEG_INFINITY
        } else {
            f64::INFINITY
        }
    }

    /// Backward induction over the divisions of `pie`: each responder is offered exactly its
    /// need (never a negative share), the proposer keeps the rest when that is worth its own
    /// continuation; a step whose needs exceed the pie has no acceptable division.
    fn solve_pie(&self, pie: &Pie, world: &World, sc: &mut EqScratch) {
        let order = self.spec.order();
        let n = order.len();
        let d = |seat: usize| {
            self.scenario.parties[order[seat]]
                .negotiation
                .discount()
                .get(&world.slots)
        };
        for (i, &p) in order.iter().enumerate() {
            sc.value[i] = world.reservation[p];
        }
        sc.solution.step = 0;
        for s in (1..=self.spec.deadline()).rev() {
            let pi = self.seat_at(s);
            let mut total = 0.0;
            for r in (0..n).filter(|&r| r != pi) {
                let need = Self::need_of(sc.value[r], discount_at(d(r), s)).max(0.0);
                sc.need[r] = need;
                total += need;
            }
            // NaN included: no offer meets every need.
            if total.is_nan() || total > 1.0 {
                continue;
            }
            let keep = 1.0 - total;
            let fp = discount_at(d(pi), s);
            if keep * fp >= sc.value[pi] {
                sc.value[pi] = keep * fp;
                sc.solution.step = s;
                for (r, &o) in order.iter().enumerate().take(n) {
                    let share = if r == pi { keep } else { sc.need[r] };
                    if r != pi {
                        sc.value[r] = share * discount_at(d(r), s);
                    }
                    sc.solution.deal[pie.shares[o]] = share * pie.size;
                }
            }
        }
    }

    /// Backward induction among three or more negotiators over the deal space: at each step
    /// the proposer's best deal that every responder accepts.
    fn solve_stacked(&self, world: &World, sc: &mut EqScratch) {
        sc.tables.refresh(self.scenario, &self.space, world);
        let order = self.spec.order();
        let n = order.len();
        for (i, &p) in order.iter().enumerate() {
            self.space
                .fill_utilities(sc.tables.terms(p), &mut sc.utils[i]);
            sc.value[i] = world.reservation[p];
        }
        let d = |seat: usize| {
            self.scenario.parties[order[seat]]
                .negotiation
                .discount()
                .get(&world.slots)
        };
        sc.solution.step = 0;
        for s in (1..=self.spec.deadline()).rev() {
            let pi = self.seat_at(s);
            for r in 0..n {
                sc.need[r] = if r == pi {
                    f64::NEG_INFINITY
                } else {
                    Self::need_of(sc.value[r], discount_at(d(r), s))
                };
            }
            let Some((up, grid)) = self.best_offer_stacked(pi, world, sc) else {
                continue;
            };
            let fp = discount_at(d(pi), s);
            if up * fp >= sc.value[pi] {
                for (r, &q) in order.iter().enumerate() {
                    let u = if r == pi {
                        up
                    } else {
                        match grid {
                            Some(o) => sc.utils[r][o],
                            None => self.scenario.parties[q].utility(
                                &sc.best,
                                world.weights_of(q),
                                &world.slots,
                            ),
                        }
                    };
                    sc.value[r] = u * discount_at(d(r), s);
                }
                sc.solution.step = s;
                sc.solution.deal.copy_from_slice(&sc.best);
            }
        }
    }

    /// The deal (into `sc.best`) best for seat `pi` among those worth at least `sc.need[r]`
    /// to every other seat `r`: its utility to `pi`, and its grid outcome when it is one.
    /// Over the grid, then exactly along each range clause: between consecutive kinks of
    /// every negotiator's value function each utility is monotone in the clause, so each
    /// responder's constraint holds on a prefix or a suffix of the segment (its end found by
    /// bisection), and the proposer's best point of their intersection is one of its ends.
    fn best_offer_stacked(
        &self,
        pi: usize,
        world: &World,
        sc: &mut EqScratch,
    ) -> Option<(f64, Option<usize>)> {
        let order = self.spec.order();
        let n = order.len();
        let EqScratch {
            utils,
            need,
            best: best_deal,
            line,
            kinks: kink_buf,
            ..
        } = sc;
        let mut best: Option<f64> = None;
        let mut grid: Option<usize> = None;
        for (o, &up) in utils[pi].iter().enumerate().take(self.space.outcomes) {
            if self.space.is_offerable(o)
                && (0..n).all(|r| utils[r][o] >= need[r])
                && best.is_none_or(|b| up > b)
            {
                best = Some(up);
                grid = Some(o);
            }
        }
        if let Some(o) = grid {
            self.space.write_deal(o, best_deal);
        }
        if self.ranges.is_empty() {
            return best.map(|b| (b, grid));
        }
        let slots = &world.slots;
        let u = |seat: usize, d: &[f64]| {
            let q = order[seat];
            self.scenario.parties[q].utility(d, world.weights_of(q), slots)
        };
        let feasible = |d: &[f64]| (0..n).all(|r| r == pi || u(r, d) >= need[r]);
        for &j in &self.ranges {
            // Exactly along what may be offered of the clause.
            let Some((min, max)) = self.scenario.clauses[j].offer_bounds() else {
                continue;
            };
            kink_buf.clear();
            kink_buf.extend([min, max]);
            for &q in order {
                kinks(&self.scenario.parties[q], j, slots, kink_buf);
            }
            kink_buf.retain(|&x| x >= min && x <= max);
            kink_buf.sort_by(f64::total_cmp);
            kink_buf.dedup();
            for o in self.lines(j) {
                self.space.write_deal(o, line);
                'segment: for k in 1..kink_buf.len() {
                    let (a, b) = (kink_buf[k - 1], kink_buf[k]);
                    let (mut lo, mut hi) = (a, b);
                    for r in (0..n).filter(|&r| r != pi) {
                        line[j] = a;
                        let fa = u(r, line) >= need[r];
                        line[j] = b;
                        let fb = u(r, line) >= need[r];
                        if !fa && !fb {
                            continue 'segment;
                        }
                        if fa != fb {
                            let (mut ok, mut bad) = if fa { (a, b) } else { (b, a) };
                            for _ in 0..200 {
                                let mid = 0.5 * (ok + bad);
                                if mid == ok || mid == bad {
                                    break;
                                }
                                line[j] = mid;
                                if u(r, line) >= need[r] {
                                    ok = mid;
                                } else {
                                    bad = mid;
                                }
                            }
                            if fa {
                                hi = hi.min(ok);
                            } else {
                                lo = lo.max(ok);
                            }
                        }
                    }
                    if lo > hi {
                        continue;
                    }
                    let ends = [
                        (lo == a).then_some(a),
                        (hi == b).then_some(b),
                        (lo != a).then_some(lo),
                        (hi != b).then_some(hi),
                    ];
                    for x in ends.into_iter().flatten() {
                        line[j] = x;
                        if !feasible(line) {
                            continue;
                        }
                        let p_u = u(pi, line);
                        if best.is_none_or(|bu| p_u > bu) {
                            best = Some(p_u);
                            grid = None;
                            best_deal.copy_from_slice(line);
                        }
                    }
                }
            }
        }
        best.map(|b| (b, grid))
    }
}

/// Points of clause `j` where `party`'s term may change direction or slope: the ends of a
/// linear or power function, a piecewise function's points, and a reference point.
fn kinks(party: &Party, j: usize, slots: &[f64], out: &mut Vec<f64>) {
    match &party.values[j] {
        Some(ValueFn::Linear { worst, best }) | Some(ValueFn::Power { worst, best, .. }) => {
            out.extend([worst.get(slots), best.get(slots)]);
        }
        Some(ValueFn::Piecewise { xs, .. }) => out.extend(xs.iter().copied()),
        _ => {}
    }
    if let Some(r) = &party.reference {
        out.push(r.deal[j]);
    }
}

impl Experiment for Equilibrium<'_> {
    type Tally = DynamicTally;
    type Scratch = EqScratch;

    fn new_tally(&self) -> DynamicTally {
        DynamicTally::new(&self.layout)
    }

    fn new_scratch(&self) -> EqScratch {
        let c = self.space.clauses();
        let n = self.spec.order().len();
        // The pie's recursion, and the staircases' (built once per run), need no utilities
        // of the grid's outcomes per round.
        let outcomes = if self.pie.is_some() || self.stairs.is_some() {
            0
        } else {
            self.space.outcomes
        };
        EqScratch {
            tables: self.tables.clone(),
            utils: vec![vec![0.0; outcomes]; n],
            value: vec![0.0; n],
            need: vec![0.0; n],
            solution: Solution {
                step: 0,
                deal: vec![0.0; c],
            },
            best: vec![0.0; c],
            line: vec![0.0; c],
            kinks: Vec::with_capacity(16),
        }
    }

    fn play(&self, world: &World, sc: &mut EqScratch, tally: &mut DynamicTally) {
        match &self.fixed {
            Some(sol) => self.record(sol, world, sc, tally),
            None => {
                self.solve(world, sc);
                let sol = std::mem::replace(
                    &mut sc.solution,
                    Solution {
                        step: 0,
                        deal: Vec::new(),
                    },
                );
                self.record(&sol, world, sc, tally);
                sc.solution = sol;
            }
        }
    }

    fn merge(&self, into: &mut DynamicTally, from: DynamicTally) {
        into.merge(from);
    }

    fn max_half_width(&self, tally: &DynamicTally) -> Option<f64> {
        Some(super::run::agreement_half_width(tally))
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::Rng;
    use super::*;

    /// The first outcome (by index) among the best for the proposer of those worth at least
    /// `need` to the responder: a pass over every outcome.
    pub(super) fn brute_offer(up: &[f64], ur: &[f64], need: f64) -> Option<(u32, f64, f64)> {
        brute_offer_among(up, ur, need, |_| true)
    }

    /// [`brute_offer`] over the outcomes `allowed` accepts.
    pub(super) fn brute_offer_among(
        up: &[f64],
        ur: &[f64],
        need: f64,
        allowed: impl Fn(usize) -> bool,
    ) -> Option<(u32, f64, f64)> {
        let mut best: Option<(u32, f64, f64)> = None;
        for o in 0..up.len() {
            if allowed(o) && ur[o] >= need && best.is_none_or(|(_, b, _)| up[o] > b) {
                best = Some((o as u32, up[o], ur[o]));
            }
        }
        best
    }

    #[test]
    fn a_staircase_answers_every_need_as_a_pass_over_the_outcomes() {
        let mut rng = Rng(0x0DDB_A11C_AFE0_0017);
        for case in 0..200 {
            let n = 1 + rng.below(60) as usize;
            // Few distinct values, so that ties in either utility are common.
            let levels = 1 + rng.below(8);
            let mut draw = || (rng.below(levels) as f64 / levels as f64) - 0.25;
            let up: Vec<f64> = (0..n).map(|_| draw()).collect();
            let ur: Vec<f64> = (0..n).map(|_| draw()).collect();
            let stairs = Staircase::new(&up, &ur);
            assert!(stairs.len() <= n && !stairs.is_empty());
            let mut needs: Vec<f64> = ur.clone();
            needs.extend([
                f64::NEG_INFINITY,
                f64::INFINITY,
                -1.0,
                2.0,
                0.1,
                f64::NAN,
                -0.0,
            ]);
            for need in needs {
                assert_eq!(
                    stairs.offer(need),
                    brute_offer(&up, &ur, need),
                    "case {case}, need {need}: {up:?} {ur:?}"
                );
            }
        }
    }
}

/// Checks of the staircase induction against brute force, on random scenarios parsed where
/// that is allowed (`job/dynamic_checks.rs`).
#[cfg(test)]
pub(crate) mod plain {
    use super::tests::brute_offer_among;
    use super::*;

    /// Backward induction over every outcome of the deal space, as the protocol defines it:
    /// the agreement step and outcome.
    fn brute_force(eq: &Equilibrium, world: &World) -> Option<(u32, u32)> {
        let seats = [eq.spec.order()[0], eq.spec.order()[1]];
        let utils = seats.map(|p| {
            let mut u = vec![0.0; eq.space.outcomes];
            eq.space.fill_utilities(eq.tables.terms(p), &mut u);
            u
        });
        let d = seats.map(|p| {
            eq.scenario.parties[p]
                .negotiation
                .discount()
                .get(&world.slots)
        });
        let mut value = seats.map(|p| world.reservation[p]);
        let mut agreed = None;
        for s in (1..=eq.spec.deadline()).rev() {
            let (pi, ri) = if s % 2 == 1 { (0, 1) } else { (1, 0) };
            let (fp, fr) = (discount_at(d[pi], s), discount_at(d[ri], s));
            let need = if fr > 0.0 {
                value[ri] / fr
            } else if value[ri] <= 0.0 {
                f64::NEG_INFINITY
            } else {
                f64::INFINITY
            };
            let offer =
                brute_offer_among(&utils[pi], &utils[ri], need, |o| eq.space.is_offerable(o));
            if let Some((o, up, ur)) = offer
                && up * fp >= value[pi]
            {
                value[pi] = up * fp;
                value[ri] = ur * fr;
                agreed = Some((s, o));
            }
        }
        agreed
    }

    /// Whether `eq` solves on staircases.
    pub(crate) fn on_stairs(eq: &Equilibrium) -> bool {
        eq.stairs.is_some()
    }

    /// Solves `world`'s game with the staircases and by brute force: an error saying how
    /// they differ, or whether it agreed.
    pub(crate) fn check_round(eq: &Equilibrium, world: &World) -> Result<bool, String> {
        let fast = eq.solution(world);
        match brute_force(eq, world) {
            None if fast.step == 0 => Ok(false),
            None => Err(format!("agreement {fast:?}, expected none")),
            Some((step, o)) => {
                let mut deal = vec![0.0; eq.space.clauses()];
                eq.space.write_deal(o as usize, &mut deal);
                if (fast.step, &fast.deal) == (step, &deal) {
                    Ok(true)
                } else {
                    Err(format!("{fast:?}, expected step {step} deal {deal:?}"))
                }
            }
        }
    }
}
