//! `mediated`: a mediator holds a single negotiating text (Raiffa's single-text procedure),
//! starting from a named proposal, and amends it one clause at a time until every veto party
//! accepts it.
//!
//! At step `s` (from 1): the step's events happen, talks may break down, then every veto
//! party at the table votes on the text: it accepts when the text, discounted, is worth at
//! least its reservation (plus its logit draw under `accept = { logit }`). If all accept, the
//! text is the deal. Under a quota or weighted rule every party at the table votes and the
//! text is the deal when the votes meet the rule (every veto holder among the acceptors).
//! Otherwise the mediator amends one clause — a range clause by one grid step, a choice to
//! any other option, a bool flipped, always to a negotiable value — toward the rejecting
//! parties: among
//! the amendments that raise at least one rejecting party's believed utility and the
//! rejecting parties' believed utility in total, it picks the one with the largest gain per
//! unit of loss, where the loss is its own (a party mediator knows its utility; a neutral
//! one has none) plus the accepting parties' believed losses. Beliefs are every uncertain
//! parameter at its mean. A party mediator never makes an amendment that takes the text,
//! discounted to the next step, below its own reservation; when no amendment is left the
//! talks stall.
//!
//! The tally records which clauses were amended, in what order and how far, and the text's
//! utility at each step to every voter and to a party mediator (the mediated analogue of a
//! concession path).

use super::space::OutcomeTable;
use super::tally::{DynamicTally, TallyLayout};
use super::trace::{Amendment, NoRecord, Recorder, Response, TextStep};
use super::{Course, EndKind, Ending, PartyTables, breakdown_step, discount_at};
use crate::model::{ClauseKind, DynamicSpec, Mediator, Scenario};
use crate::sim::{Experiment, World};

/// Below this loss an amendment counts as free: keeps the gain-per-loss ratio finite.
const FREE: f64 = 1e-9;

/// The mediated protocol of a scenario, ready to run.
pub struct Mediated<'a> {
    scenario: &'a Scenario,
    spec: &'a DynamicSpec,
    start: usize,
    mediator: Mediator,
    space: OutcomeTable,
    pub(super) layout: TallyLayout,
    tables: PartyTables,
    /// Every party's terms at the mean parameters: the mediator's beliefs.
    beliefs: PartyTables,
    /// The voting parties: the veto parties (every party under a quota or weighted rule).
    voters: Vec<usize>,
    /// The start proposal's grid positions.
    start_text: Vec<usize>,
    /// Parties whose utility of the text is tallied per step: the voters, then a party
    /// mediator without a vote.
    watched: Vec<usize>,
}

/// Per-thread working memory.
#[derive(Debug, Clone)]
pub struct MedScratch {
    tables: PartyTables,
    course: Course,
    text: Vec<usize>,
    deal: Vec<f64>,
    votes: Vec<Response>,
    /// This round: amendments per clause, position of each clause's first amendment (0 if
    /// none), distance moved, and the first amendment (clause, new grid position).
    count: Vec<u64>,
    first_position: Vec<u64>,
    moved: Vec<f64>,
    first: Option<(usize, usize)>,
    amendments: u64,
    /// The text's utility to each watched party and its reservation, by step then party
    /// (NaN when the party was no longer at the table).
    seen: Vec<(f64, f64)>,
}

impl<'a> Mediated<'a> {
    pub fn new(
        scenario: &'a Scenario,
        spec: &'a DynamicSpec,
        start: usize,
        mediator: Mediator,
    ) -> Self {
        let space = OutcomeTable::new(scenario, spec.resolution());
        let layout = TallyLayout::new(
            space.grids(),
            spec.max_deadline() as usize,
            scenario.parties.len(),
        );
        let mean = scenario.mean_slots();
        let tables = PartyTables::new(scenario, &space, &mean);
        let beliefs = tables.clone();
        // Under the default rule the veto parties vote (the others' votes could not change
        // anything); under a quota or weighted rule every party does.
        let voters: Vec<usize> = (0..scenario.parties.len())
            .filter(|&p| scenario.parties[p].veto || !spec.rule().is_unanimity())
            .collect();
        let mut watched = voters.clone();
        if let Mediator::Party(m) = mediator
            && !watched.contains(&m)
        {
            watched.push(m);
        }
        let layout = layout.with_paths(watched.clone());
        let start_text = scenario.proposals[start]
            .deal
            .iter()
            .enumerate()
            .map(|(c, &x)| space.nearest(c, x))
            .collect();
        Mediated {
            scenario,
            spec,
            start,
            mediator,
            space,
            layout,
            tables,
            beliefs,
            voters,
            start_text,
            watched,
        }
    }

    pub(super) fn scenario(&self) -> &'a Scenario {
        self.scenario
    }

    pub(super) fn spec(&self) -> &'a DynamicSpec {
        self.spec
    }

    /// The parties that vote on the text.
    pub fn voters(&self) -> Vec<usize> {
        self.voters.clone()
    }

    pub fn mediator(&self) -> Mediator {
        self.mediator
    }

    /// Index of the start proposal.
    pub fn start(&self) -> usize {
        self.start
    }

    #[inline]
    fn breakdown_at(&self, world: &World) -> u32 {
        self.spec.breakdown_slot().map_or(u32::MAX, |slot| {
            breakdown_step(world.slots[slot], self.spec.breakdown())
        })
    }

    /// The amendment the mediator makes at step `s`, if any: clause and new grid position.
    fn amend(&self, s: u32, world: &World, sc: &MedScratch) -> Option<(usize, usize)> {
        let text = &sc.text;
        let me = match self.mediator {
            Mediator::Party(m) => Some(m),
            Mediator::Neutral => None,
        };
        // A party mediator: how far it may still fall (its utility of the text minus what it
        // needs, undiscounted, at the next step).
        let slack = me.map(|m| {
            let d = discount_at(
                self.scenario.parties[m]
                    .negotiation
                    .discount()
                    .get(&world.slots),
                s + 1,
            );
            let need = if d > 0.0 {
                sc.course.reservation(m, world.reservation[m]) / d
            } else {
                f64::INFINITY
            };
            self.space.utility_at(sc.tables.terms(m), text) - need
        });
        if slack.is_some_and(|x| x < 0.0) {
            return None;
        }
        let mut best: Option<(f64, usize, usize)> = None;
        for (c, clause) in self.scenario.clauses.iter().enumerate() {
            let g = text[c];
            let n = self.space.grid(c).len();
            let mut consider = |to: usize| {
                // Only to what may be offered (a start text may hold anything).
                if !self.space.is_value_offerable(c, to) {
                    return;
                }
                let (mut gain, mut toward, mut loss) = (0.0, false, 0.0);
                let at = self.space.offset(c);
                for v in &sc.votes {
                    // The mediator knows its own utility; it believes the others'.
                    let terms = if Some(v.party) == me {
                        sc.tables.terms(v.party)
                    } else {
                        self.beliefs.terms(v.party)
                    };
                    let delta = terms[at + to] - terms[at + g];
                    if v.accept {
                        if Some(v.party) != me {
                            loss += (-delta).max(0.0);
                        }
                    } else {
                        gain += delta;
                        toward |= delta > 0.0;
                    }
                }
                if let Some(m) = me {
                    let t = sc.tables.terms(m);
                    let own = t[at + g] - t[at + to];
                    if slack.is_some_and(|x| own > x) {
                        return;
                    }
                    loss += own.max(0.0);
                }
                if !toward || gain <= 0.0 {
                    return;
                }
                let score = gain / (loss + FREE);
                if best.is_none_or(|(b, _, _)| score > b) {
                    best = Some((score, c, to));
                }
            };
            match *clause.kind() {
                ClauseKind::Range { .. } => {
                    if g > 0 {
                        consider(g - 1);
                    }
                    if g + 1 < n {
                        consider(g + 1);
                    }
                }
                _ => (0..n).filter(|&k| k != g).for_each(&mut consider),
            }
        }
        best.map(|(_, c, to)| (c, to))
    }

    /// Plays one round. Allocates nothing.
    pub(super) fn play_round<R: Recorder>(
        &self,
        world: &World,
        sc: &mut MedScratch,
        breakdown_at: u32,
        rec: &mut R,
    ) -> Ending {
        sc.course.reset(self.spec.deadline());
        sc.text.copy_from_slice(&self.start_text);
        sc.count.fill(0);
        sc.first_position.fill(0);
        sc.moved.fill(0.0);
        sc.first = None;
        sc.amendments = 0;
        let mut s = 1u32;
        loop {
            if s > sc.course.deadline {
                return Ending::new(EndKind::Deadline, s - 1);
            }
            sc.course
                .apply(s, self.spec.schedule(), &world.slots, |e, v| {
                    rec.event(s, e, v)
                });
            if !self.voters.iter().any(|&q| sc.course.active[q]) {
                return Ending::new(EndKind::Deserted, s);
            }
            if s >= breakdown_at {
                return Ending::new(EndKind::Breakdown, s);
            }
            sc.votes.clear();
            let mut all = true;
            for &q in &self.voters {
                if !sc.course.active[q] {
                    continue;
                }
                let u = self.space.utility_at(sc.tables.terms(q), &sc.text);
                let value = u * discount_at(
                    self.scenario.parties[q]
                        .negotiation
                        .discount()
                        .get(&world.slots),
                    s,
                );
                let accept =
                    value - sc.course.reservation(q, world.reservation[q]) >= world.accept_cut[q];
                all &= accept;
                sc.votes.push(Response {
                    party: q,
                    utility: u,
                    accept,
                });
            }
            if !self.spec.rule().is_unanimity() {
                let votes = &sc.votes;
                all = self.spec.rule().agrees(
                    &self.scenario.parties,
                    votes.iter().map(|v| v.party),
                    |q| votes.iter().any(|v| v.party == q && v.accept),
                );
            }
            self.watch(s, world, sc);
            for (c, x) in sc.deal.iter_mut().enumerate() {
                *x = self.space.grid(c)[sc.text[c]];
            }
            if all {
                rec.text(&TextStep {
                    step: s,
                    text: &sc.deal,
                    votes: &sc.votes,
                    amendment: None,
                });
                return Ending {
                    kind: EndKind::Agreement,
                    step: s,
                    outcome: self.space.outcome_of(&sc.text) as u32,
                };
            }
            let Some((c, to)) = self.amend(s, world, sc) else {
                rec.text(&TextStep {
                    step: s,
                    text: &sc.deal,
                    votes: &sc.votes,
                    amendment: None,
                });
                return Ending::new(EndKind::Stalled, s);
            };
            let (from_x, to_x) = (self.space.grid(c)[sc.text[c]], self.space.grid(c)[to]);
            rec.text(&TextStep {
                step: s,
                text: &sc.deal,
                votes: &sc.votes,
                amendment: Some(Amendment {
                    clause: c,
                    from: from_x,
                    to: to_x,
                }),
            });
            sc.amendments += 1;
            sc.count[c] += 1;
            if sc.first_position[c] == 0 {
                sc.first_position[c] = sc.amendments;
            }
            if sc.first.is_none() {
                sc.first = Some((c, to));
            }
            sc.moved[c] += (to_x - from_x).abs();
            sc.text[c] = to;
            s += 1;
        }
    }

    /// Notes the text's utility to each watched party at step `s`.
    #[inline]
    fn watch(&self, s: u32, world: &World, sc: &mut MedScratch) {
        let w = self.watched.len();
        let at = (s as usize - 1) * w;
        let Some(row) = sc.seen.get_mut(at..at + w) else {
            return;
        };
        for (k, &p) in self.watched.iter().enumerate() {
            row[k] = if !sc.course.active[p] {
                (f64::NAN, f64::NAN)
            } else {
                let u = match sc.votes.iter().find(|v| v.party == p) {
                    Some(v) => v.utility,
                    None => self.space.utility_at(sc.tables.terms(p), &sc.text),
                };
                (u, sc.course.reservation(p, world.reservation[p]))
            };
        }
    }

    fn record(&self, ending: Ending, world: &World, sc: &mut MedScratch, tally: &mut DynamicTally) {
        tally.end(ending.kind, ending.step);
        let w = self.watched.len();
        for s in 1..=ending.last_move() {
            let at = (s as usize - 1) * w;
            for (k, &(u, r)) in sc.seen[at..at + w].iter().enumerate() {
                if !u.is_nan() {
                    tally.path(&self.layout, k, s, u, r);
                }
            }
        }
        for (p, r) in tally.reservation.iter_mut().enumerate() {
            r.add(world.reservation[p]);
        }
        for c in 0..self.space.clauses() {
            tally.amendments[c] += sc.count[c];
            if sc.count[c] > 0 {
                tally.amended_rounds[c] += 1;
                tally.first_position[c] += sc.first_position[c];
                tally.movement[c].add(sc.moved[c]);
            }
        }
        if let Some((c, g)) = sc.first {
            tally.first[self.layout.offset(c) + g] += 1;
        }
        if ending.kind != EndKind::Agreement {
            return;
        }
        for (c, x) in sc.deal.iter_mut().enumerate() {
            *x = self.space.grid(c)[sc.text[c]];
        }
        tally.deal(&self.layout, &sc.deal, Some(&sc.text));
        for (p, party) in self.scenario.parties.iter().enumerate() {
            let u = self.space.utility_at(sc.tables.terms(p), &sc.text);
            let value =
                u * discount_at(party.negotiation.discount().get(&world.slots), ending.step);
            tally.party(p, u, value, sc.tables.best(p) - u);
        }
    }

    /// Plays one round with `rec` watching (for traces); the same play as the runner's.
    pub fn trace_round<R: Recorder>(&self, world: &World, rec: &mut R) {
        let mut sc = self.new_scratch();
        sc.tables.refresh(self.scenario, &self.space, world);
        let ending = self.play_round(world, &mut sc, self.breakdown_at(world), rec);
        if ending.kind == EndKind::Agreement {
            rec.end(&ending, Some(&sc.deal));
        } else {
            rec.end(&ending, None);
        }
    }
}

impl Experiment for Mediated<'_> {
    type Tally = DynamicTally;
    type Scratch = MedScratch;

    fn new_tally(&self) -> DynamicTally {
        DynamicTally::new(&self.layout)
    }

    fn new_scratch(&self) -> MedScratch {
        let c = self.space.clauses();
        MedScratch {
            tables: self.tables.clone(),
            course: Course::new(self.scenario.parties.len(), self.spec.deadline()),
            text: self.start_text.clone(),
            deal: vec![0.0; c],
            votes: Vec::with_capacity(self.voters.len()),
            count: vec![0; c],
            first_position: vec![0; c],
            moved: vec![0.0; c],
            first: None,
            amendments: 0,
            seen: vec![(f64::NAN, f64::NAN); self.layout.steps * self.watched.len()],
        }
    }

    fn play(&self, world: &World, sc: &mut MedScratch, tally: &mut DynamicTally) {
        sc.tables.refresh(self.scenario, &self.space, world);
        let ending = self.play_round(world, sc, self.breakdown_at(world), &mut NoRecord);
        self.record(ending, world, sc, tally);
    }

    fn merge(&self, into: &mut DynamicTally, from: DynamicTally) {
        into.merge(from);
    }

    fn max_half_width(&self, tally: &DynamicTally) -> Option<f64> {
        Some(super::run::agreement_half_width(tally))
    }
}
