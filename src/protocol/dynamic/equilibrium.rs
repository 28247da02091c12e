//! `equilibrium`: the subgame-perfect equilibrium of finite-horizon alternating offers
//! between two parties, by backward induction (Rubinstein 1982; Ståhl 1972).
//!
//! The first party of the turn order proposes at odd steps, the second at even steps; there
//! are `T` = `deadline` steps and nothing after them, where each party gets its reservation.
//! A deal agreed at step `s` is worth `u · d^(s − 1)`. Going backward from step `T`, the
//! proposer at step `s` offers the deal it likes best among those the responder accepts —
//! worth, discounted, at least what the responder gets from step `s + 1` on — and makes it
//! only if it is worth, discounted, at least its own value from `s + 1` on (else it waits).
//! The responder accepts when indifferent. The round's outcome is the first agreement on the
//! equilibrium path.
//!
//! The best acceptable deal is searched over the discretised deal space (what may be
//! offered of it), and then exactly along every range clause's negotiable range: between consecutive kinks of the two value functions both
//! utilities are monotone in the clause, so the optimum on a segment lies at an end or where
//! the responder's constraint binds, which is found by bisection to the last floating-point
//! bit. With one range clause (and any number of discrete ones) the solution is exact; with
//! several, each is solved exactly with the others on their grids. On a pie with linear
//! utilities this reproduces Rubinstein's finite-horizon shares to rounding error.
//!
//! Each round solves the game with that round's parameters (complete information); when
//! neither party's utility, reservation or discount is uncertain it is solved once per run.
//! The only offer on the equilibrium path is the agreed one: it is the round's whole
//! concession path (the proposer's utility of it, at its step).

use super::space::OutcomeTable;
use super::tally::{DynamicTally, TallyLayout};
use super::trace::{OfferStep, Recorder, Response};
use super::{EndKind, Ending, PartyTables, discount_at, fixed};
use crate::model::{ClauseKind, DynamicSpec, Party, Scenario, ValueFn};
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
    /// Utilities of every grid outcome to the two negotiators.
    utils: [Vec<f64>; 2],
    solution: Solution,
    /// Best deal found at the current step, and a line being searched.
    best: Vec<f64>,
    line: Vec<f64>,
    kinks: Vec<f64>,
}

impl<'a> Equilibrium<'a> {
    pub fn new(scenario: &'a Scenario, spec: &'a DynamicSpec) -> Self {
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
            .with_paths(spec.order().to_vec());
        let mean = scenario.mean_slots();
        let tables = PartyTables::new(scenario, &space, &mean);
        let ranges = scenario
            .clauses
            .iter()
            .enumerate()
            .filter(|(_, c)| matches!(c.kind(), ClauseKind::Range { .. }))
            .map(|(i, _)| i)
            .collect();
        let mut eq = Equilibrium {
            scenario,
            spec,
            space,
            layout,
            tables,
            ranges,
            fixed: None,
        };
        let is_fixed = spec.order().iter().all(|&p| {
            let party = &scenario.parties[p];
            !eq.tables.is_uncertain(p)
                && fixed(party.reservation)
                && fixed(scenario.parties[p].negotiation.discount())
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
            let need = if fr > 0.0 {
                value[ri] / fr
            } else if value[ri] <= 0.0 {
                f64::NEG_INFINITY
            } else {
                f64::INFINITY
            };
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
            let lines = (0..self.space.outcomes).filter(|&o| {
                self.space.grid_index(o, j) == 0
                    && (0..self.space.clauses()).all(|i| {
                        i == j
                            || self
                                .space
                                .is_value_offerable(i, self.space.grid_index(o, i))
                    })
            });
            for o in lines {
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
        let proposer = if solution.step % 2 == 1 { 0 } else { 1 };
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
        let (pi, ri) = if sol.step % 2 == 1 { (0, 1) } else { (1, 0) };
        let (p, r) = (self.spec.order()[pi], self.spec.order()[ri]);
        let u = |q: usize| {
            self.scenario.parties[q].utility(&sol.deal, world.weights_of(q), &world.slots)
        };
        let responses = [Response {
            party: r,
            utility: u(r),
            accept: true,
        }];
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
        EqScratch {
            tables: self.tables.clone(),
            utils: [
                vec![0.0; self.space.outcomes],
                vec![0.0; self.space.outcomes],
            ],
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
