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
//!
//! Otherwise each round is played with work that follows the offers actually made, not the
//! steps or the domain:
//! - a target is computed once per seat and step (a responder's "my next offer" is the
//!   proposer's own target one step later), and the offer is found by walking the skyline
//!   from the seat's previous offer ([`Book::index_near`]);
//! - runs of repeated steps are skipped ([`Alternating::horizon`]). Once every negotiator has
//!   made the same offer for a whole turn of the table, every later step repeats the one a
//!   turn earlier — and is rejected like it — until some negotiator's offer changes, an event
//!   happens, the deadline or the breakdown step comes, or an answer rule's condition on the
//!   step flips. A time tactic's target falls monotonically with the step, so the step at
//!   which it reaches the utility of the next skyline offer is found by inverting it and
//!   checking the exact target on either side ([`Alternating::time_change`]); the steps up
//!   to there are played in one go, their moves added to the tally as strided runs
//!   ([`DynamicTally::path_every`]). Each skipped step would have made exactly the same
//!   offer and answers as the step a turn before, so endings and tallies are the same bits
//!   as playing every step (a test compares with a plain step-by-step player). Tit-for-tat
//!   negotiators, whose targets follow the others' concessions, are always played step by
//!   step.

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
    /// Whether runs of repeated steps may be skipped: no negotiator plays tit-for-tat.
    skips: bool,
}

/// One negotiator's plan within a round: its latest target and offer, and when it changes.
#[derive(Debug, Clone, Copy)]
struct SeatPlan {
    /// The step the cached target is for (0: none) and the target.
    at: u32,
    target: f64,
    /// Skyline position of the offer for that target (`usize::MAX`: none yet this phase),
    /// and the first step at which it was found: it holds from there to `at` and beyond.
    index: usize,
    since: u32,
    /// The first step after `at` at which the offer changes (`u32::MAX`: never this phase;
    /// 0: not computed, or not computable).
    change: u32,
    /// Its latest move: its utility of its offer and its reservation then.
    own: f64,
    reservation: f64,
    /// Its time tactic's parameters in this round and phase, once looked up.
    time: Option<TimeParams>,
}

impl SeatPlan {
    const NONE: SeatPlan = SeatPlan {
        at: 0,
        target: f64::NAN,
        index: usize::MAX,
        since: 0,
        change: 0,
        own: 0.0,
        reservation: 0.0,
        time: None,
    };
}

/// A time tactic's parameters in a round and phase.
#[derive(Debug, Clone, Copy)]
struct TimeParams {
    e: f64,
    k: f64,
    pmin: f64,
    pmax: f64,
}

/// Moves repeated at steps `first, first + stride, …, last` by one seat: its utility of its
/// offer and its reservation.
#[derive(Debug, Clone, Copy)]
struct Run {
    seat: usize,
    first: u32,
    last: u32,
    stride: u32,
    own: f64,
    reservation: f64,
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
    /// Per seat: its target, offer and when the offer changes.
    plan: Vec<SeatPlan>,
    /// The proposer's seat at recent steps, at `step mod m` for `m` negotiators at the table.
    recent: Vec<usize>,
    /// This round's moves, in step order, as runs of repeated moves.
    runs: Vec<Run>,
    /// The latest step at which some seat's offer changed: no run can be skipped until two
    /// turns after it, so the search is not even started before.
    changed: u32,
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
        let skips = spec.order().iter().all(|&p| {
            !matches!(
                scenario.parties[p].negotiation.tactic().kind(),
                TacticKind::TitForTat { .. }
            )
        });
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
            skips,
        };
        if alt.play_is_fixed() {
            let world = super::world_at(scenario, &mean);
            let mut scratch = alt.new_scratch();
            let ending = alt.play_round(&world, &mut scratch, u32::MAX, &mut NoRecord);
            // Every step's move, by step (runs of a skip interleave their seats).
            let mut moves = vec![(0, 0.0, 0.0); ending.last_move() as usize];
            for r in &scratch.runs {
                for step in (r.first..=r.last).step_by(r.stride as usize) {
                    moves[step as usize - 1] = (r.seat, r.own, r.reservation);
                }
            }
            alt.precomputed = Some(ending);
            alt.precomputed_moves = FixedMoves::new(&moves);
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

    /// Seat `seat`'s time tactic in this round and phase, if it has one: `e`, `k` and the
    /// bounds `Pmin ≤ Pmax` its targets run between.
    #[inline]
    fn time_params(&self, seat: usize, world: &World, sc: &AltScratch) -> Option<TimeParams> {
        let p = self.spec.order()[seat];
        let TacticKind::Time { e, k, min, max } =
            *self.scenario.parties[p].negotiation.tactic().kind()
        else {
            return None;
        };
        let slots = &world.slots;
        let pmax = max.map_or(sc.books[seat].best(), |m| m.get(slots));
        let reservation = sc.course.reservation(p, world.reservation[p]);
        let pmin = min.map_or(reservation, |m| m.get(slots)).min(pmax);
        Some(TimeParams {
            e: e.get(slots),
            k: k.get(slots),
            pmin,
            pmax,
        })
    }

    /// Seat `seat`'s target at step `s`, from its tactic (tit-for-tat: its current target).
    fn target(&self, seat: usize, s: u32, world: &World, sc: &mut AltScratch) -> f64 {
        let p = self.spec.order()[seat];
        let slots = &world.slots;
        let best = sc.books[seat].best();
        match *self.scenario.parties[p].negotiation.tactic().kind() {
            TacticKind::Time { .. } => {
                // The parameters (the reservation of the phase included) hold for the
                // phase: looked up once.
                let t = match sc.plan[seat].time {
                    Some(t) => t,
                    None => {
                        let t = self.time_params(seat, world, sc).expect("a time tactic");
                        sc.plan[seat].time = Some(t);
                        t
                    }
                };
                time_target(Self::time(s, sc.course.deadline), t.e, t.k, t.pmin, t.pmax)
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

    /// Seat `seat`'s offer at step `s`: its skyline position and the outcome, and its target.
    /// Targets are kept per seat and step, so a responder's look at its next offer and its
    /// own offer at that step compute the target once.
    #[inline]
    fn offer_at(&self, seat: usize, s: u32, world: &World, sc: &mut AltScratch) -> (u32, f64) {
        let cached = sc.plan[seat];
        let target = if cached.at == s {
            cached.target
        } else {
            self.target(seat, s, world, sc)
        };
        let phase = sc.course.phase;
        let book = &sc.books[seat];
        let i = book.index_near(phase, target, cached.index);
        let plan = &mut sc.plan[seat];
        plan.at = s;
        plan.target = target;
        if i != plan.index {
            plan.index = i;
            plan.since = s;
            plan.change = 0;
            sc.changed = sc.changed.max(s);
        }
        (book.outcome(phase, i), target)
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

    /// The step at which seat `seat`'s next offer is due, when the current proposer sits at
    /// `proposer` and the step is `s`.
    #[inline]
    fn next_turn(&self, seat: usize, proposer: usize, s: u32, sc: &AltScratch) -> u32 {
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
        s + ahead
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
        sc: &mut AltScratch,
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
        let at_least_next = |sc: &mut AltScratch| {
            let next = self.next_turn(seat, proposer, s, sc);
            let (mine, _) = self.offer_at(seat, next, world, sc);
            u >= sc.books[seat].utils[mine as usize]
        };
        let accept = match *agent.respond() {
            Respond::Next => at_least_next(sc),
            Respond::Threshold(t) => u >= t.get(slots),
            Respond::ReservationNearDeadline(k) => {
                sc.course.deadline.saturating_sub(s) < k || at_least_next(sc)
            }
        };
        (accept, u)
    }

    /// Plays one round until agreement, breakdown (at step `breakdown_at`), the deadline, or
    /// desertion. Allocates nothing. With a quiet recorder, runs of repeated steps are
    /// played in one go ([`Alternating::horizon`]).
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
        sc.plan.fill(SeatPlan::NONE);
        sc.runs.clear();
        sc.changed = 0;
        let skips = R::QUIET && self.skips;
        // The step at which the current phase (the same events applied) began.
        let mut phase_start = 1u32;
        let mut turn = 0usize;
        let mut s = 1u32;
        loop {
            if s > sc.course.deadline {
                return Ending::new(EndKind::Deadline, s - 1);
            }
            if sc
                .course
                .apply(s, self.spec.schedule(), &world.slots, |e, v| {
                    rec.event(s, e, v)
                })
            {
                // A new phase: targets, offers and their changes are recomputed in it.
                sc.plan.fill(SeatPlan::NONE);
                phase_start = s;
            }
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
                // Its target moved: a look at its next offer made before is stale.
                sc.plan[turn].at = 0;
            }
            let (o, target) = self.offer_at(turn, s, world, sc);
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
            Self::remember(turn, o, sc);
            let own = sc.books[turn].utils[o as usize];
            let p = order[turn];
            let reservation = sc.course.reservation(p, world.reservation[p]);
            let plan = &mut sc.plan[turn];
            (plan.own, plan.reservation) = (own, reservation);
            sc.runs.push(Run {
                seat: turn,
                first: s,
                last: s,
                stride: 1,
                own,
                reservation,
            });
            sc.recent[s as usize % at_table] = turn;
            if !R::QUIET {
                self.space.write_deal(o as usize, &mut sc.deal);
                rec.offer(&OfferStep {
                    step: s,
                    proposer: p,
                    target,
                    deal: &sc.deal,
                    proposer_utility: own,
                    responses: &sc.responses,
                });
            }
            // Under a quota or weighted rule the negotiators at the table vote, the proposer
            // for its own offer; under the default every one of them must accept.
            let agreed = if self.spec.rule().is_unanimity() {
                all
            } else {
                let responses = &sc.responses;
                self.spec.rule().agrees(
                    &self.scenario.parties,
                    order.iter().copied().filter(|&q| sc.course.active[q]),
                    |q| q == p || responses.iter().any(|r| r.party == q && r.accept),
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
            // `horizon` asks for every seat's offer unchanged since two turns back.
            if skips && sc.changed.saturating_add(2 * at_table as u32) <= s {
                let m = at_table as u32;
                if let Some(h) = self.horizon(s, m, phase_start, breakdown_at, world, sc) {
                    self.skip(s, h, m, sc);
                    turn = sc.recent[(h + 1) as usize % at_table];
                    s = h + 1;
                }
            }
        }
    }

    /// Counts seat `turn`'s offer `o` and keeps what it is worth to every seat (and what its
    /// previous offer was), for tit-for-tat.
    #[inline]
    fn remember(turn: usize, o: u32, sc: &mut AltScratch) {
        let n = sc.offers.len();
        for seat in 0..n {
            let i = turn * n + seat;
            sc.prev[i] = sc.last[i];
            sc.last[i] = sc.books[seat].utils[o as usize];
        }
        sc.offers[turn] += 1;
    }

    /// With step `next` about to be played by `m` negotiators at the table: the last step
    /// `h ≥ next` up to which every step repeats the step a turn (`m` steps) before it, if
    /// there is one. The steps `next − m … next − 1` (the template) were all rejected, so
    /// then are those up to `h`:
    /// - no event happens, and the deadline and breakdown step are not reached;
    /// - every negotiator's offer is the same from the template's first step to `h + m − 1`
    ///   (a responder looks at its next offer, up to `m − 1` steps ahead), so each step makes
    ///   the template's offer and the answer rules compare the same utilities;
    /// - `reservation_near_deadline`'s condition on the step does not flip;
    /// - discounting can only turn an acceptance into a rejection: with a discount `d < 1`
    ///   a deal's computed value `u·d^(s−1)` falls with `s` (for `u ≥ 0`, `d ≤ 1 − 2⁻²⁰` and
    ///   values far from underflow the rounding of `powi`, about `s` ulps, is far below the
    ///   factor `d` between steps), and the agreement rules only need more acceptors.
    fn horizon(
        &self,
        next: u32,
        m: u32,
        phase_start: u32,
        breakdown_at: u32,
        world: &World,
        sc: &mut AltScratch,
    ) -> Option<u32> {
        let first = next.checked_sub(m)?;
        if first < phase_start {
            return None;
        }
        let course = &sc.course;
        let mut h = course.deadline.min(breakdown_at.saturating_sub(1));
        if let Some(e) = course.next_event_step(self.spec.schedule()) {
            h = h.min(e.saturating_sub(1));
        }
        for (seat, &p) in self.spec.order().iter().enumerate() {
            if !course.active[p] {
                continue;
            }
            // The template needs one turn of unchanged offers; looking for the next change
            // only after a second one keeps short-lived offers (a short deadline, where
            // offers change every turn or two) from paying for a search that finds nothing
            // to skip.
            let plan = &sc.plan[seat];
            if plan.at == 0 || plan.since.saturating_add(m) > first {
                return None;
            }
            let agent = &self.scenario.parties[p].negotiation;
            if let Respond::ReservationNearDeadline(k) = *agent.respond()
                && course.deadline.saturating_sub(first) >= k
            {
                h = h.min(course.deadline - k);
            }
            let d = agent.discount().get(&world.slots);
            if d != 1.0 {
                let trusted = d > 0.0 && d <= 1.0 - 1.0 / (1u64 << 20) as f64;
                if !(trusted && sc.books[seat].is_nonnegative()) {
                    return None;
                }
                // d^(s − 1) stays above e^−690 (about 2^−995), clear of underflow.
                let exponent = (690.0 / -d.ln()).floor().min(u32::MAX as f64 / 2.0);
                h = h.min(1 + exponent as u32);
            }
            if h < next {
                return None;
            }
        }
        for seat in 0..self.spec.order().len() {
            if !sc.course.active[self.spec.order()[seat]] {
                continue;
            }
            let c = self.change_step(seat, world, sc);
            if c == 0 {
                return None;
            }
            h = h.min(c.saturating_sub(m));
            if h < next {
                return None;
            }
        }
        Some(h)
    }

    /// Plays steps `next..=h` as repeats of the template (see [`Alternating::horizon`]):
    /// each negotiator's move recurs every `m` steps.
    fn skip(&self, next: u32, h: u32, m: u32, sc: &mut AltScratch) {
        for j in 0..m {
            let step = next - m + j;
            let seat = sc.recent[step as usize % m as usize];
            let first = step + m;
            if first > h {
                continue;
            }
            let last = first + (h - first) / m * m;
            let plan = sc.plan[seat];
            sc.runs.push(Run {
                seat,
                first,
                last,
                stride: m,
                own: plan.own,
                reservation: plan.reservation,
            });
            sc.offers[seat] += (last - first) / m + 1;
        }
    }

    /// The first step after its latest target at which seat `seat`'s offer changes
    /// (`u32::MAX`: not in this phase; 0: unknown), kept until its offer changes.
    fn change_step(&self, seat: usize, world: &World, sc: &mut AltScratch) -> u32 {
        let plan = sc.plan[seat];
        if plan.change != 0 {
            return plan.change;
        }
        let p = self.spec.order()[seat];
        let change = if plan.index == 0 {
            // The lowest skyline offer: no lower target changes it.
            u32::MAX
        } else {
            // The offer changes when the target reaches the next lower skyline utility.
            let below = sc.books[seat].skyline(sc.course.phase)[plan.index - 1];
            match *self.scenario.parties[p].negotiation.tactic().kind() {
                TacticKind::Hardliner { .. } => u32::MAX,
                TacticKind::Time { .. } => {
                    let t = match plan.time {
                        Some(t) => t,
                        None => self.time_params(seat, world, sc).expect("a time tactic"),
                    };
                    Self::time_change(t, plan.at, below, sc.course.deadline)
                }
                TacticKind::TitForTat { .. } => 0,
            }
        };
        sc.plan[seat].change = change;
        change
    }

    /// The first step after `from` at which the time tactic `t` under deadline `deadline`
    /// targets at most `below`, given that its target at `from` is above it (`u32::MAX`:
    /// never; 0: the tactic is outside the range where its targets provably fall with the
    /// step). Exact: the inverse of the tactic gives a guess, and the exact targets at the
    /// guess and beside it (or a bisection, should the guess be off) settle the step.
    ///
    /// The targets fall monotonically: `t = (s − 1)/(T − 1)` rises with `s` (one correctly
    /// rounded division), `t^(1/e)` with `t` when consecutive powers differ by far more than
    /// `pow`'s rounding (below 1 ulp): true for `e ≤ 10⁹` as `t` steps by at least
    /// `1/(T − 1) ≥ 10⁻⁵`; the rest (`k ∈ [0, 1]`, `Pmax ≥ Pmin`) are rounded products and sums
    /// with non-negative factors, which keep the order.
    fn time_change(t: TimeParams, from: u32, below: f64, deadline: u32) -> u32 {
        let provable = t.e > 0.0
            && t.e <= 1e9
            && (0.0..=1.0).contains(&t.k)
            && t.pmin.is_finite()
            && t.pmax.is_finite()
            && t.pmin <= t.pmax
            && below.is_finite();
        if !provable {
            return 0;
        }
        // From the deadline on the time is 1: the target no longer moves.
        if deadline <= 1 || from >= deadline {
            return u32::MAX;
        }
        let at = |s: u32| time_target(Self::time(s, deadline), t.e, t.k, t.pmin, t.pmax);
        // Invert Pmin + (Pmax − Pmin)(1 − f(t)) = below for t, then the step.
        let span = t.pmax - t.pmin;
        let guess = if span > 0.0 && t.k < 1.0 {
            let f = 1.0 - (below - t.pmin) / span;
            let r = (f - t.k) / (1.0 - t.k);
            let time = if r <= 0.0 {
                0.0
            } else if r >= 1.0 {
                1.0
            } else {
                r.powf(t.e)
            };
            1.0 + time * (deadline - 1) as f64
        } else {
            deadline as f64
        };
        let g = if guess.is_finite() {
            guess.ceil().clamp((from + 1) as f64, deadline as f64) as u32
        } else {
            deadline
        };
        // Bracket: the target at `lo` is above `below`, at `hi` at most `below`.
        let (mut lo, mut hi);
        if at(g) <= below {
            (lo, hi) = (from, g);
            if g - 1 > from {
                if at(g - 1) > below {
                    lo = g - 1;
                } else {
                    hi = g - 1;
                }
            }
        } else {
            if g == deadline {
                return u32::MAX;
            }
            if at(g + 1) <= below {
                return g + 1;
            }
            lo = g + 1;
            if lo == deadline || at(deadline) > below {
                return u32::MAX;
            }
            hi = deadline;
        }
        while hi - lo > 1 {
            let mid = lo + (hi - lo) / 2;
            if at(mid) <= below {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        hi
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
            plan: vec![SeatPlan::NONE; n],
            recent: vec![0; n],
            runs: Vec::with_capacity(self.layout.steps.min(1 << 16)),
            changed: 0,
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
                for r in &sc.runs {
                    if r.first == r.last {
                        tally.path(&self.layout, r.seat, r.first, r.own, r.reservation);
                    } else {
                        let steps = (r.first, r.last, r.stride);
                        tally.path_every(&self.layout, r.seat, steps, r.own, r.reservation);
                    }
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

/// A plain step-by-step player, written as the protocol reads — every step computes each
/// target from the tactic and finds the offer by a binary search — to check the player
/// against (on random scenarios: `job/dynamic_checks.rs`, where scenarios can be parsed).
#[cfg(test)]
pub(crate) mod plain {
    use super::*;

    /// A move: seat, its utility of its offer, its reservation (as bits, to compare exactly).
    type Move = (usize, u64, u64);

    fn target(a: &Alternating, seat: usize, s: u32, world: &World, sc: &AltScratch) -> f64 {
        let p = a.spec.order()[seat];
        let slots = &world.slots;
        let best = sc.books[seat].best();
        let reservation = sc.course.reservation(p, world.reservation[p]);
        match *a.scenario.parties[p].negotiation.tactic().kind() {
            TacticKind::Time { e, k, min, max } => {
                let pmax = max.map_or(best, |m| m.get(slots));
                let pmin = min.map_or(reservation, |m| m.get(slots)).min(pmax);
                let t = Alternating::time(s, sc.course.deadline);
                let power = t.clamp(0.0, 1.0).powf(1.0 / e.get(slots));
                let f = k.get(slots) + (1.0 - k.get(slots)) * power;
                pmin + (pmax - pmin) * (1.0 - f)
            }
            TacticKind::TitForTat { max, .. } if sc.tft[seat].is_nan() => {
                max.map_or(best, |m| m.get(slots))
            }
            TacticKind::TitForTat { .. } => sc.tft[seat],
            TacticKind::Hardliner { level } => level.map_or(best, |l| l.get(slots)),
        }
    }

    /// Plays a round step by step: its ending and every step's move.
    fn reference(
        a: &Alternating,
        world: &World,
        sc: &mut AltScratch,
        b: u32,
    ) -> (Ending, Vec<Move>) {
        let order = &a.spec.order();
        let n = order.len();
        let mut moves = Vec::new();
        sc.course.reset(a.spec.deadline());
        sc.tft.fill(f64::NAN);
        sc.offers.fill(0);
        let mut turn = 0;
        let mut s = 1u32;
        let reservation =
            |sc: &AltScratch, p: usize| sc.course.reservation(p, world.reservation[p]);
        loop {
            if s > sc.course.deadline {
                return (Ending::new(EndKind::Deadline, s - 1), moves);
            }
            sc.course
                .apply(s, a.spec.schedule(), &world.slots, |_, _| {});
            let at_table = order.iter().filter(|&&p| sc.course.active[p]).count();
            let needed = match *a.spec.rule() {
                Rule::Quota { quota } => quota.max(2),
                _ => 2,
            };
            if at_table < needed {
                return (Ending::new(EndKind::Deserted, s), moves);
            }
            if s >= b {
                return (Ending::new(EndKind::Breakdown, s), moves);
            }
            while !sc.course.active[order[turn]] {
                turn = (turn + 1) % n;
            }
            if matches!(
                a.scenario.parties[order[turn]].negotiation.tactic().kind(),
                TacticKind::TitForTat { .. }
            ) {
                sc.tft[turn] = a.tit_for_tat(turn, world, sc);
            }
            let phase = sc.course.phase;
            let o = sc.books[turn].offer(phase, target(a, turn, s, world, sc));
            let mut accepted = Vec::new();
            let mut all = true;
            for (seat, &q) in order.iter().enumerate() {
                if seat == turn || !sc.course.active[q] {
                    continue;
                }
                let agent = &a.scenario.parties[q].negotiation;
                let u = sc.books[seat].utils[o as usize];
                let value = u * discount_at(agent.discount().get(&world.slots), s);
                let next = a.next_turn(seat, turn, s, sc);
                let mine = sc.books[seat].offer(phase, target(a, seat, next, world, sc));
                let next_ok = u >= sc.books[seat].utils[mine as usize];
                let accept = value - reservation(sc, q) >= world.accept_cut[q]
                    && match *agent.respond() {
                        Respond::Next => next_ok,
                        Respond::Threshold(t) => u >= t.get(&world.slots),
                        Respond::ReservationNearDeadline(k) => {
                            sc.course.deadline.saturating_sub(s) < k || next_ok
                        }
                    };
                all &= accept;
                if accept {
                    accepted.push(q);
                }
            }
            Alternating::remember(turn, o, sc);
            let own = sc.books[turn].utils[o as usize];
            let r = reservation(sc, order[turn]);
            moves.push((turn, own.to_bits(), r.to_bits()));
            let proposer = order[turn];
            let agreed = if a.spec.rule().is_unanimity() {
                all
            } else {
                a.spec.rule().agrees(
                    &a.scenario.parties,
                    order.iter().copied().filter(|&q| sc.course.active[q]),
                    |q| q == proposer || accepted.contains(&q),
                )
            };
            if agreed {
                let ending = Ending {
                    kind: EndKind::Agreement,
                    step: s,
                    outcome: o,
                };
                return (ending, moves);
            }
            turn = (turn + 1) % n;
            s += 1;
        }
    }

    /// Plays `world`'s round with the player (scratch `fast`) and the plain player
    /// (`slow`): an error saying how they differ, or the steps played and how many runs of
    /// them the player skipped through.
    pub(crate) fn check_round(
        a: &Alternating,
        world: &World,
        fast: &mut AltScratch,
        slow: &mut AltScratch,
    ) -> Result<(usize, usize), String> {
        let b = a.breakdown_at(world);
        a.prepare(world, fast);
        a.prepare(world, slow);
        let ending = a.play_round(world, fast, b, &mut NoRecord);
        let (expected, moves) = reference(a, world, slow, b);
        if ending != expected {
            return Err(format!("ending {ending:?}, expected {expected:?}"));
        }
        let mut got = vec![None; moves.len()];
        let mut skipped = 0;
        for r in &fast.runs {
            for step in (r.first..=r.last).step_by(r.stride as usize) {
                let m = (r.seat, r.own.to_bits(), r.reservation.to_bits());
                match got.get_mut(step as usize - 1) {
                    Some(slot @ None) => *slot = Some(m),
                    _ => return Err(format!("a move at step {step} twice or past the end")),
                }
            }
            skipped += usize::from(r.first != r.last);
        }
        let got: Vec<Option<Move>> = got;
        let expected: Vec<Option<Move>> = moves.iter().copied().map(Some).collect();
        if got != expected {
            return Err(format!("moves {got:?}, expected {expected:?}"));
        }
        Ok((moves.len(), skipped))
    }
}
