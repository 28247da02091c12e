//! Dynamic bargaining protocols: deals reached over steps rather than ratified as written.
//!
//! - [`alternating`]: stacked alternating offers among n parties with concession tactics.
//! - [`mediated`]: a mediator amends a single negotiating text until the veto parties accept.
//! - [`equilibrium`]: the subgame-perfect equilibrium of finite-horizon alternating offers.
//! - [`baron_ferejohn`]: Baron–Ferejohn legislative bargaining by its stationary equilibrium.
//!
//! Every protocol is an [`crate::sim::Experiment`] run by the same seeded parallel runner as
//! `ratify`; its tally ([`tally::DynamicTally`]) holds only integers, so results are
//! bit-identical for any thread count. The parts they share live here: the discretised deal
//! space ([`space`]), per-party term tables, the per-round course of events, and how a round
//! ends.

pub mod alternating;
pub mod baron_ferejohn;
pub mod book;
pub mod describe;
pub mod equilibrium;
pub mod mediated;
pub mod result;
pub mod run;
pub mod space;
pub mod tally;
pub mod trace;

pub use alternating::Alternating;
pub use baron_ferejohn::BaronFerejohnPlay;
pub use equilibrium::Equilibrium;
pub use mediated::Mediated;
pub use result::DynamicResult;
pub use run::{Dynamic, DynamicScratch, agreement_half_width};
pub use tally::DynamicTally;
pub use trace::TraceWriter;

use crate::model::{DynamicSpec, Event, EventKind, Param, Scenario};
use crate::sim::World;
use space::{OutcomeTable, utility_is_uncertain};

/// How a round of a dynamic protocol ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EndKind {
    /// Every (remaining) party accepted the deal on the table.
    Agreement,
    /// Talks collapsed by accident (the per-step breakdown draw).
    Breakdown,
    /// The deadline passed without agreement.
    Deadline,
    /// The mediator had no amendment left that it could make.
    Stalled,
    /// Too few parties remained to reach a deal.
    Deserted,
}

impl EndKind {
    /// The name used in reports and traces.
    pub fn name(self) -> &'static str {
        match self {
            EndKind::Agreement => "agreement",
            EndKind::Breakdown => "breakdown",
            EndKind::Deadline => "deadline",
            EndKind::Stalled => "stalled",
            EndKind::Deserted => "deserted",
        }
    }
}

/// The end of a round: how, at which step (from 1), and for an agreement, which outcome of
/// the deal space.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ending {
    pub kind: EndKind,
    pub step: u32,
    pub outcome: u32,
}

impl Ending {
    fn new(kind: EndKind, step: u32) -> Self {
        Ending {
            kind,
            step,
            outcome: 0,
        }
    }

    /// The last step whose breakdown draw was made: talks that end this way at step `s` went
    /// through the draws of steps `1..=last_draw()`.
    pub fn last_draw(&self) -> u32 {
        match self.kind {
            // Desertion is found before the step's draw; everything else after it.
            EndKind::Deserted => self.step.saturating_sub(1),
            _ => self.step,
        }
    }

    /// The last step at which a move (an offer, a vote on the text) was made: talks that end
    /// this way at step `s` made one at each of the steps `1..=last_move()`.
    pub fn last_move(&self) -> u32 {
        match self.kind {
            // Found before the step's offer or vote.
            EndKind::Breakdown | EndKind::Deserted => self.step.saturating_sub(1),
            // A deadline ending is counted at the last step played.
            EndKind::Agreement | EndKind::Deadline | EndKind::Stalled => self.step,
        }
    }

    /// The same play cut short by a breakdown drawn at step `b` (from 1).
    pub fn with_breakdown(self, b: u32) -> Self {
        if b <= self.last_draw() {
            Ending::new(EndKind::Breakdown, b)
        } else {
            self
        }
    }
}

/// The first step at which talks break down, given the round's uniform draw `u` in `[0, 1)`
/// and per-step probability `p`: geometric, so talks are still open after step `s` with
/// probability `(1 − p)^s`. `u32::MAX` when `p` is 0.
#[inline]
pub fn breakdown_step(u: f64, p: f64) -> u32 {
    if p <= 0.0 {
        return u32::MAX;
    }
    // 1 − u is in (0, 1]: ln is finite and ≤ 0.
    let k = ((1.0 - u).ln() / (1.0 - p).ln()).floor();
    if k.is_finite() && k < (u32::MAX - 1) as f64 {
        1 + k as u32
    } else {
        u32::MAX
    }
}

/// Every party's weighted clause terms on the deal space: computed once for the parties whose
/// utility never varies, refreshed every round for the others.
#[derive(Debug, Clone)]
pub struct PartyTables {
    uncertain: Vec<bool>,
    /// Per party: its terms (`space.terms_len` long) and best utility; for uncertain parties,
    /// their values at the scenario's mean parameters until a round overwrites them.
    terms: Vec<Vec<f64>>,
    best: Vec<f64>,
}

impl PartyTables {
    /// Tables of every party of `scenario`; uncertain parties start at `slots` (beliefs).
    pub fn new(scenario: &Scenario, space: &OutcomeTable, slots: &[f64]) -> Self {
        let c = scenario.clauses.len();
        let mut weights = vec![0.0; c];
        let mut terms = Vec::with_capacity(scenario.parties.len());
        let mut best = Vec::with_capacity(scenario.parties.len());
        for party in &scenario.parties {
            party.normalised_weights(slots, &mut weights);
            let mut t = vec![0.0; space.terms_len];
            space.fill_terms(party, &weights, slots, &mut t);
            best.push(space.best(&t));
            terms.push(t);
        }
        PartyTables {
            uncertain: scenario.parties.iter().map(utility_is_uncertain).collect(),
            terms,
            best,
        }
    }

    /// Overwrites the uncertain parties' tables with their values in `world`.
    pub fn refresh(&mut self, scenario: &Scenario, space: &OutcomeTable, world: &World) {
        for (p, party) in scenario.parties.iter().enumerate() {
            if self.uncertain[p] {
                space.fill_terms(party, world.weights_of(p), &world.slots, &mut self.terms[p]);
                self.best[p] = space.best(&self.terms[p]);
            }
        }
    }

    /// Whether party `p`'s tables change between rounds.
    pub fn is_uncertain(&self, p: usize) -> bool {
        self.uncertain[p]
    }

    /// Party `p`'s term table.
    #[inline]
    pub fn terms(&self, p: usize) -> &[f64] {
        &self.terms[p]
    }

    /// Party `p`'s best utility over the deal space.
    #[inline]
    pub fn best(&self, p: usize) -> f64 {
        self.best[p]
    }
}

/// The course of one round: deadline, who is still at the table and how far reservations
/// have moved, as events happen. Reused across rounds.
#[derive(Debug, Clone)]
pub struct Course {
    pub deadline: u32,
    pub active: Vec<bool>,
    /// Reservation shift per party so far.
    pub shift: Vec<f64>,
    /// How many distinct event steps have passed: the index of the current phase.
    pub phase: usize,
    next_event: usize,
}

impl Course {
    pub fn new(parties: usize, deadline: u32) -> Self {
        Course {
            deadline,
            active: vec![true; parties],
            shift: vec![0.0; parties],
            phase: 0,
            next_event: 0,
        }
    }

    /// Back to the start of a round.
    pub fn reset(&mut self, deadline: u32) {
        self.deadline = deadline;
        self.active.fill(true);
        self.shift.fill(0.0);
        self.phase = 0;
        self.next_event = 0;
    }

    /// Applies the events of `step`, calling `seen` for each with the value it applied (the
    /// shift, or 0). Returns whether any happened.
    pub fn apply(
        &mut self,
        step: u32,
        events: &[Event],
        slots: &[f64],
        mut seen: impl FnMut(&Event, f64),
    ) -> bool {
        let mut any = false;
        while let Some(e) = events.get(self.next_event) {
            if e.step != step {
                break;
            }
            let mut value = 0.0;
            match e.kind {
                EventKind::ShiftReservation { party, by } => {
                    value = by.get(slots);
                    self.shift[party] += value;
                }
                EventKind::Leave { party } => self.active[party] = false,
                EventKind::Deadline { steps } => self.deadline = steps,
            }
            seen(e, value);
            self.next_event += 1;
            any = true;
        }
        if any {
            self.phase += 1;
        }
        any
    }

    /// The step of the next event not yet applied, if any.
    #[inline]
    pub fn next_event_step(&self, events: &[Event]) -> Option<u32> {
        events.get(self.next_event).map(|e| e.step)
    }

    /// Party `p`'s reservation now, given its sampled one.
    #[inline]
    pub fn reservation(&self, p: usize, sampled: f64) -> f64 {
        (sampled + self.shift[p]).clamp(0.0, 1.0)
    }
}

/// The distinct steps at which events happen: phase `k` starts at `phase_steps[k − 1]`.
pub fn phase_steps(events: &[Event]) -> Vec<u32> {
    let mut steps: Vec<u32> = events.iter().map(|e| e.step).collect();
    steps.dedup();
    steps
}

/// The course at the start of every phase, played with the parameters `slots` (the
/// beliefs, for the precomputed offer books).
pub fn phase_courses(b: &DynamicSpec, parties: usize, slots: &[f64]) -> Vec<Course> {
    let mut course = Course::new(parties, b.deadline());
    let mut out = vec![course.clone()];
    for s in phase_steps(b.schedule()) {
        course.apply(s, b.schedule(), slots, |_, _| {});
        out.push(course.clone());
    }
    out
}

/// A world with every uncertain parameter at `slots` and no logit draws: the world the
/// beliefs describe, and the one fixed plays are computed in.
pub fn world_at(scenario: &Scenario, slots: &[f64]) -> World {
    let sampler = crate::sim::WorldSampler::new(scenario);
    let mut world = sampler.empty_world();
    world.slots.copy_from_slice(slots);
    let c = scenario.clauses.len();
    for (p, party) in scenario.parties.iter().enumerate() {
        party.normalised_weights(slots, &mut world.weights[p * c..(p + 1) * c]);
        world.reservation[p] = party.reservation.get(slots);
        world.accept_cut[p] = 0.0;
    }
    world
}

/// Whether a parameter is the same in every round.
pub fn fixed(p: Param) -> bool {
    !p.is_uncertain()
}

/// `d^(s − 1)`: the discount of a deal agreed at step `s`.
#[inline]
pub fn discount_at(d: f64, step: u32) -> f64 {
    if d == 1.0 {
        1.0
    } else {
        d.powi(step.saturating_sub(1).min(i32::MAX as u32) as i32)
    }
}

/// What the protocols' tests of random cases share.
#[cfg(test)]
pub(crate) mod testing {
    use std::fmt::Write;

    /// xorshift64: the random cases' own generator.
    pub struct Rng(pub u64);

    impl Rng {
        pub fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }

        pub fn below(&mut self, n: u64) -> u64 {
            self.next() % n
        }
    }

    /// Writes 1 to 3 choice clauses of 2 to 5 options into `text`; their option counts.
    pub fn choice_clauses(rng: &mut Rng, text: &mut String) -> Vec<usize> {
        let clauses = 1 + rng.below(3) as usize;
        let options: Vec<usize> = (0..clauses).map(|_| 2 + rng.below(4) as usize).collect();
        for (c, &k) in options.iter().enumerate() {
            let names: Vec<String> = (0..k).map(|i| format!("\"o{i}\"")).collect();
            let _ = writeln!(
                text,
                "[clauses.c{c}]\nkind = \"choice\"\noptions = [{}]\n",
                names.join(", ")
            );
        }
        options
    }

    /// Writes a party's value tables over those clauses: coarse values (quarters), so that
    /// ties between outcomes are common.
    pub fn value_tables(rng: &mut Rng, options: &[usize], text: &mut String) {
        for (c, &k) in options.iter().enumerate() {
            let cells: Vec<String> = (0..k)
                .map(|i| format!("o{i} = {}", rng.below(5) as f64 / 4.0))
                .collect();
            let _ = writeln!(
                text,
                "values.c{c} = {{ table = {{ {} }} }}",
                cells.join(", ")
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn breakdown_is_geometric() {
        assert_eq!(breakdown_step(0.3, 0.0), u32::MAX);
        // Talks break down at step 1 exactly when u < p (then ln(1 − u)/ln(1 − p) < 1).
        assert_eq!(breakdown_step(0.0, 0.1), 1);
        assert_eq!(breakdown_step(0.099, 0.1), 1);
        assert_eq!(breakdown_step(0.101, 0.1), 2);
        assert_eq!(
            breakdown_step(0.95, 0.1),
            1 + (0.05f64.ln() / 0.9f64.ln()).floor() as u32
        );
        assert!(breakdown_step(0.999_999, 0.5) > 10);
    }

    #[test]
    fn breakdown_cuts_a_play_short() {
        let agree = Ending {
            kind: EndKind::Agreement,
            step: 5,
            outcome: 3,
        };
        assert_eq!(agree.with_breakdown(6), agree);
        assert_eq!(agree.with_breakdown(5).kind, EndKind::Breakdown);
        let deserted = Ending::new(EndKind::Deserted, 4);
        assert_eq!(deserted.with_breakdown(4), deserted);
        assert_eq!(
            deserted.with_breakdown(3),
            Ending::new(EndKind::Breakdown, 3)
        );
        assert_eq!(agree.last_move(), 5);
        assert_eq!(deserted.last_move(), 3);
        assert_eq!(agree.with_breakdown(2).last_move(), 1);
        assert_eq!(Ending::new(EndKind::Deadline, 7).last_move(), 7);
    }
}
