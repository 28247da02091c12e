//! `alternating`: stacked alternating offers among n parties (the protocol of GENIUS and
//! NegMAS), with time-dependent, tit-for-tat and hardliner tactics.
//!
//! At step `s` (from 1) the next party at the table in turn order proposes; every other party
//! at the table answers; agreement when all of them accept (under a quota or weighted rule:
//! when the proposer and the accepting parties meet the rule, veto holders among them). Before the offer, the step's
//! events happen, and then talks may break down (probability `breakdown` per step). A deal
//! agreed at step `s` is worth `u · d^(s − 1)` to a party with discount `d`.
//!
//! - Target: the time tactic demands `Pmin + (Pmax − Pmin)(1 − f(t))`,
//!   `f(t) = k + (1 − k)·t^(1/e)`, at normalised time `t = (s − 1)/(T − 1)` (0 at the first
//!   step, 1 at the deadline `T`); tit-for-tat opens at `Pmax` and then lowers its target by
//!   `factor` times the mean improvement, to it, of the other parties' last offers over their
//!   previous ones; a hardliner always demands its `level`.
//! - Offer: among the outcomes that may be offered (every clause at a negotiable value)
//!   worth at least the target to the proposer, the one its beliefs
//!   (every uncertain parameter at its mean) rate best for the others: the largest smallest
//!   believed margin among the other parties at the table ([`super::book`]).
//! - Answer: never below the reservation (discounted utility minus reservation at least the
//!   party's logit draw, 0 under the threshold rule); then AC_next (at least what I would
//!   offer at my next turn), a fixed threshold, or AC_next with any deal above the
//!   reservation accepted in the last steps before the deadline.
//!
//! Speed: the deal space and every fixed utility are computed once per run. When nothing the
//! play depends on is uncertain, the whole offer/answer sequence is the same in every round,
//! so it is played once and each round only draws its breakdown step; its concession path
//! (each offer's utility to its proposer) is then added per block of rounds, weighted by the
//! number of rounds still going at each step, when the block's tally is merged.

use super::book::{Book, belief_order, belief_scores};
use super::space::OutcomeTable;
use super::tally::{DynamicTally, FixedMoves, TallyLayout};
use super::trace::{NoRecord, OfferStep, Recorder, Response};
use super::{
    Course, EndKind, Ending, PartyTables, breakdown_step, discount_at, fixed, phase_courses,
};
use crate::model::dynamic::time_target;
use crate::model::{AcceptRule, DynamicSpec, EventKind, Respond, Rule, Scenario, TacticKind};
use crate::sim::{Experiment, World};

/// The alternating-offers protocol of a scenario, ready to run.
pub struct Alternating<'a> {
    scenario: &'a Scenario,
    spec: &'a DynamicSpec,
    pub(super) space: OutcomeTable,
    pub(super) layout: TallyLayout,
    /// Outcomes in belief order, per seat (position in turn order) and phase.
    orders: Vec<Vec<Vec<u32>>>,
    tables: PartyTables,
    /// Offer books per seat, exact for parties with fixed utilities.
    books: Vec<Book>,
    /// The play when it is the same in every round (before breakdown), and its moves: per
    /// step, the proposer's seat, its utility of its offer and its reservation.
    precomputed: Option<Ending>,
    precomputed_moves: FixedMoves,
}

/// Per-thread working memory.
#[derive(Debug, Clone)]
pub struct AltScratch {
    tables: PartyTables,
    books: Vec<Book>,
    course: Course,
    /// Tit-for-tat: each seat's current target (NaN before its first offer).
    tft: Vec<f64>,
    /// `last[p * n + q]`: utility to seat `q` of seat `p`'s last offer; `prev` the one before.
    last: Vec<f64>,
    prev: Vec<f64>,
    offers: Vec<u32>,
    responses: Vec<Response>,
    deal: Vec<f64>,
    bins: Vec<usize>,
    /// This round's offers by step (index `s − 1`): proposer's seat, its utility of the
    /// offer, its reservation then.
    moves: Vec<(usize, f64, f64)>,
}

impl<'a> Alternating<'a> {
    /// Prepares the protocol: the deal space, beliefs and every fixed utility.
    pub fn new(scenario: &'a Scenario, spec: &'a DynamicSpec) -> Self {
        let space = OutcomeTable::new(scenario, spec.resolution());
        let layout = TallyLayout::new(
            space.grids(),
            spec.max_deadline() as usize,
            scenario.parties.len(),
        )
        .with_paths(spec.order().to_vec());
        let mean = scenario.mean_slots();
        let tables = PartyTables::new(scenario, &space, &mean);
        // Beliefs: every party's utility of every outcome at the mean parameters.
        let believed: Vec<Vec<f64>> = (0..scenario.parties.len())
            .map(|p| {
                if spec.order().contains(&p) {
                    let mut u = vec![0.0; space.outcomes];
                    space.fill_utilities(tables.terms(p), &mut u);
                    u
                } else {
                    Vec::new()
                }
            })
            .collect();
        let courses = phase_courses(spec, scenario.parties.len(), &mean);
        let mut orders = Vec::with_capacity(spec.order().len());
        for &p in spec.order() {
            let per_phase: Vec<Vec<u32>> = courses
                .iter()
                .map(|course| {
                    let at_table: Vec<usize> = spec
                        .order()
                        .iter()
                        .copied()
                        .filter(|&q| course.active[q])
                        .collect();
                    let reservation: Vec<f64> = (0..scenario.parties.len())
                        .map(|q| course.reservation(q, scenario.parties[q].reservation.get(&mean)))
                        .collect();
                    let mut s = vec![0.0; space.outcomes];
                    belief_scores(p, &at_table, &believed, &reservation, &mut s);
                    // Only what may be offered is ever offered.
                    let mut order = belief_order(&s);
                    order.retain(|&o| space.is_offerable(o as usize));
                    order
                })
                .collect();
            orders.push(per_phase);
        }
        let books = spec
            .order()
            .iter()
            .enumerate()
            .map(|(seat, &p)| {
                let mut b = Book::new(space.outcomes, courses.len());
                b.rebuild(&space, tables.terms(p), &orders[seat]);
                b
            })
            .collect();
        let mut alt = Alternating {
            scenario,
            spec,
            space,
            layout,
            orders,
            tables,
            books,
            precomputed: None,
            precomputed_moves: FixedMoves::default(),
        };
        if alt.play_is_fixed() {
            let world = super::world_at(scenario, &mean);
            let mut scratch = alt.new_scratch();
            let ending = alt.play_round(&world, &mut scratch, u32::MAX, &mut NoRecord);
            scratch.moves.truncate(ending.last_move() as usize);
            alt.precomputed = Some(ending);
            alt.precomputed_moves = FixedMoves::new(&scratch.moves);
        }
        alt
    }

    pub(super) fn scenario(&self) -> &'a Scenario {
        self.scenario
    }

    pub(super) fn spec(&self) -> &'a DynamicSpec {
        self.spec
    }

    /// Plays every round in full, even when the play is the same in every round (for tests
    /// and benchmarks of the general path).
    pub fn without_precomputation(mut self) -> Self {
        self.precomputed = None;
        self
    }

    /// Whether every round plays the same sequence of offers and answers.
    pub fn is_precomputed(&self) -> bool {
        self.precomputed.is_some()
    }

    /// Whether nothing the offers and answers depend on varies between rounds.
    fn play_is_fixed(&self) -> bool {
        let s = self.scenario;
        let negotiators_fixed = self.spec.order().iter().all(|&p| {
            let party = &s.parties[p];
            let agent = &self.scenario.parties[p].negotiation;
            !self.tables.is_uncertain(p)
                && fixed(party.reservation)
                && matches!(party.accept, AcceptRule::Threshold)
                && fixed(agent.discount())
                && agent.tactic().params().into_iter().all(fixed)
                && match *agent.respond() {
                    Respond::Threshold(t) => fixed(t),
                    _ => true,
                }
        });
        let events_fixed = self.spec.schedule().iter().all(|e| match e.kind {
            EventKind::ShiftReservation { by, .. } => fixed(by),
            _ => true,
        });
        negotiators_fixed && events_fixed
    }

    /// The first step at which this round's talks break down.
    #[inline]
    fn breakdown_at(&self, world: &World) -> u32 {
        self.spec.breakdown_slot().map_or(u32::MAX, |slot| {
            breakdown_step(world.slots[slot], self.spec.breakdown())
        })
    }

    /// Refreshes the round's uncertain utilities and offer books.
    fn prepare(&self, world: &World, sc: &mut AltScratch) {
        sc.tables.refresh(self.scenario, &self.space, world);
        for (seat, &p) in self.spec.order().iter().enumerate() {
            if sc.tables.is_uncertain(p) {
                sc.books[seat].rebuild(&self.space, sc.tables.terms(p), &self.orders[seat]);
            }
        }
    }

    /// Normalised time of step `s` under deadline `t_end`: 0 at the first step, 1 at the last.
    #[inline]
    fn time(s: u32, t_end: u32) -> f64 {
        if t_end <= 1 {
            0.0
        } else {
            ((s - 1) as f64 / (t_end - 1) as f64).min(1.0)
        }
    }

    /// Seat `seat`'s target at step `s`, from its tactic (tit-for-tat: its current target).
    fn target(&self, seat: usize, s: u32, world: &World, sc: &AltScratch) -> f64 {
        let p = self.spec.order()[seat];
        let slots = &world.slots;
        let best = sc.books[seat].best();
        let reservation = sc.course.reservation(p, world.reservation[p]);
        match *self.scenario.parties[p].negotiation.tactic().kind() {
            TacticKind::Time { e, k, min, max } => {
                let pmax = max.map_or(best, |m| m.get(slots));
                let pmin = min.map_or(reservation, |m| m.get(slots)).min(pmax);
                time_target(
                    Self::time(s, sc.course.deadline),
                    e.get(slots),
                    k.get(slots),
                    pmin,
                    pmax,
                )
            }
            TacticKind::TitForTat { max, .. } => {
                let t = sc.tft[seat];
                if t.is_nan() {
                    max.map_or(best, |m| m.get(slots))
                } else {
                    t
                }
            }
            TacticKind::Hardliner { level } => level.map_or(best, |l| l.get(slots)),
        }
    }

    /// Tit-for-tat: the new target of `seat` at its turn, from the other seats' last
    /// concessions to it.
    fn tit_for_tat(&self, seat: usize, world: &World, sc: &AltScratch) -> f64 {
        let p = self.spec.order()[seat];
        let slots = &world.slots;
        let TacticKind::TitForTat { factor, min, max } =
            *self.scenario.parties[p].negotiation.tactic().kind()
        else {
            return f64::NAN;
        };
        let pmax = max.map_or(sc.books[seat].best(), |m| m.get(slots));
        let pmin = min
            .map_or(sc.course.reservation(p, world.reservation[p]), |m| {
                m.get(slots)
            })
            .min(pmax);
        let current = sc.tft[seat];
        if current.is_nan() {
            return pmax;
        }
        let n = self.spec.order().len();
        let (mut total, mut count) = (0.0, 0u32);
        for q in 0..n {
            if q != seat && sc.offers[q] >= 2 && sc.course.active[self.spec.order()[q]] {
                total += sc.last[q * n + seat] - sc.prev[q * n + seat];
                count += 1;
            }
        }
        let conceded = if count > 0 { total / count as f64 } else { 0.0 };
        (current - factor.get(slots) * conceded).clamp(pmin, pmax)
    }

    /// What seat `seat`'s next offer would be worth to it, when the current proposer sits at
    /// `proposer` and the step is `s`.
    fn next_offer_utility(
        &self,
        seat: usize,
        proposer: usize,
        s: u32,
        world: &World,
        sc: &AltScratch,
    ) -> f64 {
        let n = self.spec.order().len();
        let mut ahead = 0;
        let mut i = proposer;
        loop {
            i = (i + 1) % n;
            if sc.course.active[self.spec.order()[i]] {
                ahead += 1;
            }
            if i == seat || i == proposer {
                break;
            }
        }
        let target = self.target(seat, s + ahead, world, sc);
        let book = &sc.books[seat];
        book.utils[book.offer(sc.course.phase, target) as usize]
    }

    /// Whether seat `seat` accepts outcome `o` offered by seat `proposer` at step `s`; also
    /// its utility of `o`.
    fn answer(
        &self,
        seat: usize,
        proposer: usize,
        o: u32,
        s: u32,
        world: &World,
        sc: &AltScratch,
    ) -> (bool, f64) {
        let p = self.spec.order()[seat];
        let agent = &self.scenario.parties[p].negotiation;
        let slots = &world.slots;
        let u = sc.books[seat].utils[o as usize];
        let value = u * discount_at(agent.discount().get(slots), s);
        let reservation = sc.course.reservation(p, world.reservation[p]);
        if value - reservation < world.accept_cut[p] {
            return (false, u);
        }
        let accept = match *agent.respond() {
            Respond::Next => u >= self.next_offer_utility(seat, proposer, s, world, sc),
            Respond::Threshold(t) => u >= t.get(slots),
            Respond::ReservationNearDeadline(k) => {
                sc.course.deadline.saturating_sub(s) < k
                    || u >= self.next_offer_utility(seat, proposer, s, world, sc)
            }
        };
        (accept, u)
    }

    /// Plays one round until agreement, breakdown (at step `breakdown_at`), the deadline, or
    /// desertion. Allocates nothing.
    pub(super) fn play_round<R: Recorder>(
        &self,
        world: &World,
        sc: &mut AltScratch,
        breakdown_at: u32,
        rec: &mut R,
    ) -> Ending {
        let order = &self.spec.order();
        let n = order.len();
        sc.course.reset(self.spec.deadline());
        sc.tft.fill(f64::NAN);
        sc.offers.fill(0);
        let mut turn = 0usize;
        let mut s = 1u32;
        loop {
            if s > sc.course.deadline {
                return Ending::new(EndKind::Deadline, s - 1);
            }
            sc.course
                .apply(s, self.spec.schedule(), &world.slots, |e, v| {
                    rec.event(s, e, v)
                });
            let at_table = order.iter().filter(|&&p| sc.course.active[p]).count();
            // Under a quota, fewer negotiators than the quota can pass nothing.
            let needed = match *self.spec.rule() {
                Rule::Quota { quota } => quota.max(2),
                _ => 2,
            };
            if at_table < needed {
                return Ending::new(EndKind::Deserted, s);
            }
            if s >= breakdown_at {
                return Ending::new(EndKind::Breakdown, s);
            }
            while !sc.course.active[order[turn]] {
                turn = (turn + 1) % n;
            }
            if matches!(
                self.scenario.parties[order[turn]]
                    .negotiation
                    .tactic()
                    .kind(),
                TacticKind::TitForTat { .. }
            ) {
                sc.tft[turn] = self.tit_for_tat(turn, world, sc);
            }
            let target = self.target(turn, s, world, sc);
            let o = sc.books[turn].offer(sc.course.phase, target);
            let mut all = true;
            sc.responses.clear();
            for (seat, &q) in order.iter().enumerate() {
                if seat == turn || !sc.course.active[q] {
                    continue;
                }
                let (accept, u) = self.answer(seat, turn, o, s, world, sc);
                all &= accept;
                sc.responses.push(Response {
                    party: q,
                    utility: u,
                    accept,
                });
            }
            for seat in 0..n {
                let i = turn * n + seat;
                sc.prev[i] = sc.last[i];
                sc.last[i] = sc.books[seat].utils[o as usize];
            }
            sc.offers[turn] += 1;
            if let Some(m) = sc.moves.get_mut(s as usize - 1) {
                let own = sc.books[turn].utils[o as usize];
                let p = order[turn];
                *m = (turn, own, sc.course.reservation(p, world.reservation[p]));
            }
            self.space.write_deal(o as usize, &mut sc.deal);
            rec.offer(&OfferStep {
                step: s,
                proposer: order[turn],
                target,
                deal: &sc.deal,
                proposer_utility: sc.books[turn].utils[o as usize],
                responses: &sc.responses,
            });
            // Under a quota or weighted rule the negotiators at the table vote, the proposer
            // for its own offer; under the default every one of them must accept.
            let agreed = if self.spec.rule().is_unanimity() {
                all
            } else {
                let proposer = order[turn];
                let responses = &sc.responses;
                self.spec.rule().agrees(
                    &self.scenario.parties,
                    order.iter().copied().filter(|&q| sc.course.active[q]),
                    |q| q == proposer || responses.iter().any(|r| r.party == q && r.accept),
                )
            };
            if agreed {
                return Ending {
                    kind: EndKind::Agreement,
                    step: s,
                    outcome: o,
                };
            }
            turn = (turn + 1) % n;
            s += 1;
        }
    }

    /// Adds a round's ending to the tally.
    fn record(&self, ending: Ending, world: &World, sc: &mut AltScratch, tally: &mut DynamicTally) {
        tally.end(ending.kind, ending.step);
        for (p, r) in tally.reservation.iter_mut().enumerate() {
            r.add(world.reservation[p]);
        }
        if ending.kind != EndKind::Agreement {
            return;
        }
        let o = ending.outcome as usize;
        for c in 0..self.space.clauses() {
            sc.bins[c] = self.space.grid_index(o, c);
            sc.deal[c] = self.space.grid(c)[sc.bins[c]];
        }
        tally.deal(&self.layout, &sc.deal, Some(&sc.bins));
        for (p, party) in self.scenario.parties.iter().enumerate() {
            let u = self.space.utility(sc.tables.terms(p), o);
            let value =
                u * discount_at(party.negotiation.discount().get(&world.slots), ending.step);
            tally.party(p, u, value, sc.tables.best(p) - u);
        }
    }

    /// Plays one round with `rec` watching (for traces); the same play as the runner's.
    pub fn trace_round<R: Recorder>(&self, world: &World, rec: &mut R) {
        let mut sc = self.new_scratch();
        self.prepare(world, &mut sc);
        let ending = self.play_round(world, &mut sc, self.breakdown_at(world), rec);
        if ending.kind == EndKind::Agreement {
            self.space.write_deal(ending.outcome as usize, &mut sc.deal);
            rec.end(&ending, Some(&sc.deal));
        } else {
            rec.end(&ending, None);
        }
    }
}

impl Experiment for Alternating<'_> {
    type Tally = DynamicTally;
    type Scratch = AltScratch;

    fn new_tally(&self) -> DynamicTally {
        let mut t = DynamicTally::new(&self.layout);
        t.fixed_moves = self.precomputed_moves.clone();
        t
    }

    fn new_scratch(&self) -> AltScratch {
        let n = self.spec.order().len();
        let c = self.space.clauses();
        AltScratch {
            tables: self.tables.clone(),
            books: self.books.clone(),
            course: Course::new(self.scenario.parties.len(), self.spec.deadline()),
            tft: vec![f64::NAN; n],
            last: vec![0.0; n * n],
            prev: vec![0.0; n * n],
            offers: vec![0; n],
            responses: Vec::with_capacity(n),
            deal: vec![0.0; c],
            bins: vec![0; c],
            moves: vec![(0, 0.0, 0.0); self.layout.steps],
        }
    }

    #[inline]
    fn play(&self, world: &World, sc: &mut AltScratch, tally: &mut DynamicTally) {
        let b = self.breakdown_at(world);
        let ending = match self.precomputed {
            Some(pre) => {
                sc.tables.refresh(self.scenario, &self.space, world);
                let ending = pre.with_breakdown(b);
                // The concession path is the precomputed one, up to this round's last offer.
                tally.fixed_round(ending.last_move());
                ending
            }
            None => {
                self.prepare(world, sc);
                let ending = self.play_round(world, sc, b, &mut NoRecord);
                for s in 1..=ending.last_move() {
                    let (seat, own, reservation) = sc.moves[s as usize - 1];
                    tally.path(&self.layout, seat, s, own, reservation);
                }
                ending
            }
        };
        self.record(ending, world, sc, tally);
    }

    fn merge(&self, into: &mut DynamicTally, from: DynamicTally) {
        into.merge(from);
    }

    fn max_half_width(&self, tally: &DynamicTally) -> Option<f64> {
        Some(super::run::agreement_half_width(tally))
    }
}
