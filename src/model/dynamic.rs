//! Dynamic bargaining settings: the turn order, deadline, breakdown risk and events of a
//! protocol that moves over steps ([`DynamicSpec`]), and each party's behaviour in it — its
//! concession tactic, discount and response rule ([`Negotiation`], held by the party).
//!
//! Every type here keeps its invariants: constructors and setters return a
//! [`DynamicError`], so a scenario file and a sweep that sets a value get the same check and
//! the same words.

use super::param::Param;
use super::rule::Rule;
use super::space::DealSpace;
use crate::text::Num;

/// The largest deadline a scenario may set: per-step tallies grow with it.
pub const MAX_DEADLINE: u32 = 100_000;

/// Steps before talks end when a dynamic protocol gives no deadline.
pub const DEFAULT_DEADLINE: u32 = 100;

/// The most outcomes a discretised deal space may have.
pub const MAX_OUTCOMES: usize = 1 << 20;

/// The most outcomes times steps an equilibrium may search: backward induction searches the
/// whole space at every step, so this keeps a run to seconds.
pub const MAX_EQUILIBRIUM_WORK: f64 = 1e8;

/// Why a dynamic setting is refused. Worded for any caller: a scenario file locates it at
/// its key, a sweep at its point.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DynamicError {
    #[error("`deadline` must be a number of steps from 1 to {MAX_DEADLINE}, got {0}")]
    Deadline(i64),
    #[error("`breakdown` must be a probability in [0, 1), got {}", Num(*.0))]
    Breakdown(f64),
    #[error("the discretised deal space has {0} outcomes; at most {MAX_OUTCOMES} are allowed")]
    Outcomes(u128),
    #[error(
        "backward induction over {outcomes} outcomes and {} is too large (at most {MAX_EQUILIBRIUM_WORK:.0} outcome-steps)",
        crate::text::count(*steps, "step", "steps")
    )]
    Work { outcomes: u128, steps: u32 },
    #[error("`step` must be a step number from 1 to {MAX_DEADLINE}, got {step}")]
    EventStep { event: usize, step: i64 },
    #[error("the event at step {step} is past the deadline: talks end after step {deadline}")]
    EventPastDeadline {
        event: usize,
        step: u32,
        deadline: u32,
    },
    #[error("a new deadline must be from the event's step ({step}) to {MAX_DEADLINE}, got {steps}")]
    EventDeadline { event: usize, step: u32, steps: i64 },
    #[error("`by` must be a finite number, got {}", Num(*by))]
    EventShift { event: usize, by: f64 },
    #[error("there is no event {0}")]
    NoEvent(usize),
    #[error("event {0} does not shift a reservation")]
    NotAShift(usize),
    #[error("`discount` must be in (0, 1], got {}", Num(*.0))]
    Discount(f64),
    #[error("`threshold` must be a utility in [0, 1], got {}", Num(*.0))]
    Threshold(f64),
    #[error(
        "`reservation_near_deadline` must be a number of steps from 0 to {MAX_DEADLINE}, got {0}"
    )]
    NearDeadline(i64),
    #[error("`{key}` must be {domain}, got {}", Num(*value))]
    TacticParam {
        key: &'static str,
        domain: &'static str,
        value: f64,
    },
    #[error("`{key}` is not a parameter of the {tactic} tactic")]
    NotATacticParam {
        key: &'static str,
        tactic: &'static str,
    },
    #[error("`min` ({}) must not exceed `max` ({})", Num(*min), Num(*max))]
    TacticBounds { min: f64, max: f64 },
    #[error("the {0} protocol has no steps")]
    NotDynamic(&'static str),
    #[error("`quota` must be a whole number of votes from 1 to the voters, got {}", Num(*.0))]
    Quota(f64),
    #[error("`threshold` must be a share of the vote weight in (0, 1], got {}", Num(*.0))]
    RuleThreshold(f64),
}

impl DynamicError {
    /// Whether the value itself is outside what its parameter takes (as opposed to clashing
    /// with another setting, such as an event past a shorter deadline).
    pub fn is_out_of_range(&self) -> bool {
        matches!(
            self,
            DynamicError::Deadline(_)
                | DynamicError::Breakdown(_)
                | DynamicError::EventStep { .. }
                | DynamicError::EventShift { .. }
                | DynamicError::Discount(_)
                | DynamicError::Threshold(_)
                | DynamicError::NearDeadline(_)
                | DynamicError::TacticParam { .. }
                | DynamicError::Quota(_)
                | DynamicError::RuleThreshold(_)
        )
    }
}

/// A parameter of a tactic, by its name in scenario files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TacticKey {
    E,
    K,
    Min,
    Max,
    Factor,
    Level,
}

impl TacticKey {
    /// Every key, in the order files list them.
    pub const ALL: [TacticKey; 6] = [
        TacticKey::E,
        TacticKey::K,
        TacticKey::Min,
        TacticKey::Max,
        TacticKey::Factor,
        TacticKey::Level,
    ];

    /// The key as written in scenario files.
    pub fn name(self) -> &'static str {
        match self {
            TacticKey::E => "e",
            TacticKey::K => "k",
            TacticKey::Min => "min",
            TacticKey::Max => "max",
            TacticKey::Factor => "factor",
            TacticKey::Level => "level",
        }
    }

    /// The values a fixed parameter may take, and how they read.
    fn domain(self) -> (fn(f64) -> bool, &'static str) {
        match self {
            TacticKey::E => (|v| v.is_finite() && v > 0.0, "a finite number > 0"),
            TacticKey::Factor => (|v| v.is_finite() && v >= 0.0, "a finite number >= 0"),
            _ => (|v| (0.0..=1.0).contains(&v), "a number in [0, 1]"),
        }
    }
}

/// The tactics' parameters, by kind; read through [`Tactic::kind`].
#[derive(Debug, Clone, PartialEq)]
pub enum TacticKind {
    /// Time-dependent concession (Faratin, Sierra & Jennings 1998, as in GENIUS): at
    /// normalised time `t`, target `Pmin + (Pmax − Pmin)(1 − f(t))` with
    /// `f(t) = k + (1 − k)·t^(1/e)`. `e < 1` is Boulware, `e = 1` linear, `e > 1` Conceder.
    /// `min` and `max` default to the party's reservation and its best utility.
    Time {
        e: Param,
        k: Param,
        min: Option<Param>,
        max: Option<Param>,
    },
    /// Relative tit-for-tat: opens at `max` and concedes, in its own utility, `factor` times
    /// what the other parties' last offers conceded to it (a hardening raises the target),
    /// never below `min` or above `max`.
    TitForTat {
        factor: Param,
        min: Option<Param>,
        max: Option<Param>,
    },
    /// Never concedes: always demands `level` (default: the party's best utility).
    Hardliner { level: Option<Param> },
}

/// How a party sets the utility it demands from its own offers: a [`TacticKind`] whose
/// fixed parameters are in range (`e > 0` and finite, `k`, `min`, `max`, `level` in [0, 1],
/// `factor ≥ 0`) and whose `min` does not exceed its `max` when both are fixed. Uncertain
/// parameters are kept in range by their distributions' truncation.
#[derive(Debug, Clone, PartialEq)]
pub struct Tactic(TacticKind);

impl Default for Tactic {
    /// The default tactic: a linear time-dependent concession (`e = 1`, `k = 0`) from the
    /// party's best utility down to its reservation.
    fn default() -> Self {
        Tactic(TacticKind::Time {
            e: Param::Fixed(1.0),
            k: Param::Fixed(0.0),
            min: None,
            max: None,
        })
    }
}

impl Tactic {
    /// A time-dependent tactic; `k` defaults to 0 and `e` to 1 (linear) when `None`.
    pub fn time(
        e: Option<Param>,
        k: Option<Param>,
        min: Option<Param>,
        max: Option<Param>,
    ) -> Result<Tactic, DynamicError> {
        let TacticKind::Time { e: e0, k: k0, .. } = Tactic::default().0 else {
            unreachable!("the default tactic is time-dependent")
        };
        Tactic(TacticKind::Time {
            e: e.unwrap_or(e0),
            k: k.unwrap_or(k0),
            min,
            max,
        })
        .checked()
    }

    /// A tit-for-tat tactic; `factor` defaults to 1 (mirror the concession exactly).
    pub fn tit_for_tat(
        factor: Option<Param>,
        min: Option<Param>,
        max: Option<Param>,
    ) -> Result<Tactic, DynamicError> {
        Tactic(TacticKind::TitForTat {
            factor: factor.unwrap_or(Param::Fixed(1.0)),
            min,
            max,
        })
        .checked()
    }

    /// A hardliner demanding `level` (default: its best utility).
    pub fn hardliner(level: Option<Param>) -> Result<Tactic, DynamicError> {
        Tactic(TacticKind::Hardliner { level }).checked()
    }

    /// The tactic's parameters.
    pub fn kind(&self) -> &TacticKind {
        &self.0
    }

    /// The tactic's name as written in scenario files.
    pub fn name(&self) -> &'static str {
        match self.0 {
            TacticKind::Time { .. } => "time",
            TacticKind::TitForTat { .. } => "tit_for_tat",
            TacticKind::Hardliner { .. } => "hardliner",
        }
    }

    /// The keys this tactic takes, as in scenario files.
    pub fn keys(&self) -> &'static [TacticKey] {
        match self.0 {
            TacticKind::Time { .. } => {
                &[TacticKey::E, TacticKey::K, TacticKey::Min, TacticKey::Max]
            }
            TacticKind::TitForTat { .. } => &[TacticKey::Factor, TacticKey::Min, TacticKey::Max],
            TacticKind::Hardliner { .. } => &[TacticKey::Level],
        }
    }

    /// The parameter `key`, `None` where it is left to its default (or the tactic has none).
    pub fn get(&self, key: TacticKey) -> Option<Param> {
        match (&self.0, key) {
            (TacticKind::Time { e, .. }, TacticKey::E) => Some(*e),
            (TacticKind::Time { k, .. }, TacticKey::K) => Some(*k),
            (TacticKind::Time { min, .. } | TacticKind::TitForTat { min, .. }, TacticKey::Min) => {
                *min
            }
            (TacticKind::Time { max, .. } | TacticKind::TitForTat { max, .. }, TacticKey::Max) => {
                *max
            }
            (TacticKind::TitForTat { factor, .. }, TacticKey::Factor) => Some(*factor),
            (TacticKind::Hardliner { level }, TacticKey::Level) => *level,
            _ => None,
        }
    }

    /// Sets parameter `key` to the fixed value `v`, keeping the invariants (the tactic is
    /// unchanged on an error).
    pub fn set(&mut self, key: TacticKey, v: f64) -> Result<(), DynamicError> {
        let mut t = self.0.clone();
        let v = Param::Fixed(v);
        match (&mut t, key) {
            (TacticKind::Time { e, .. }, TacticKey::E) => *e = v,
            (TacticKind::Time { k, .. }, TacticKey::K) => *k = v,
            (TacticKind::Time { min, .. } | TacticKind::TitForTat { min, .. }, TacticKey::Min) => {
                *min = Some(v)
            }
            (TacticKind::Time { max, .. } | TacticKind::TitForTat { max, .. }, TacticKey::Max) => {
                *max = Some(v)
            }
            (TacticKind::TitForTat { factor, .. }, TacticKey::Factor) => *factor = v,
            (TacticKind::Hardliner { level }, TacticKey::Level) => *level = Some(v),
            _ => {
                return Err(DynamicError::NotATacticParam {
                    key: key.name(),
                    tactic: self.name(),
                });
            }
        }
        *self = Tactic(t).checked()?;
        Ok(())
    }

    /// Every numeric parameter of the tactic.
    pub fn params(&self) -> Vec<Param> {
        TacticKey::ALL.iter().filter_map(|&k| self.get(k)).collect()
    }

    fn checked(self) -> Result<Tactic, DynamicError> {
        for &key in self.keys() {
            if let Some(Param::Fixed(v)) = self.get(key) {
                let (admits, domain) = key.domain();
                if !admits(v) {
                    return Err(DynamicError::TacticParam {
                        key: key.name(),
                        domain,
                        value: v,
                    });
                }
            }
        }
        if let (Some(Param::Fixed(min)), Some(Param::Fixed(max))) =
            (self.get(TacticKey::Min), self.get(TacticKey::Max))
            && min > max
        {
            return Err(DynamicError::TacticBounds { min, max });
        }
        Ok(self)
    }
}

/// How a party answers an offer in the `alternating` protocol. Whatever the rule, a party
/// never accepts a deal whose discounted utility is below its reservation (plus its logit
/// draw when its `accept` rule is `logit`).
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Respond {
    /// AC_next (the default): accept an offer worth at least what the party would offer next.
    #[default]
    Next,
    /// Accept an offer worth at least this utility.
    Threshold(Param),
    /// AC_next, and in the last `steps` steps before the deadline anything worth at least
    /// the reservation.
    ReservationNearDeadline(u32),
}

/// One party's behaviour in a dynamic protocol: its tactic, its per-step discount in
/// `(0, 1]` (a deal agreed at step `s`, from 1, is worth `u · discount^(s − 1)`) and its
/// response rule (a fixed threshold in [0, 1]).
#[derive(Debug, Clone, PartialEq)]
pub struct Negotiation {
    tactic: Tactic,
    discount: Param,
    respond: Respond,
}

impl Default for Negotiation {
    /// The default tactic ([`Tactic::default`]), no discount (1), AC_next.
    fn default() -> Self {
        Negotiation {
            tactic: Tactic::default(),
            discount: Param::Fixed(1.0),
            respond: Respond::Next,
        }
    }
}

impl Negotiation {
    /// The default behaviour with `tactic`, `discount` and `respond` where given.
    pub fn new(
        tactic: Option<Tactic>,
        discount: Option<Param>,
        respond: Option<Respond>,
    ) -> Result<Negotiation, DynamicError> {
        let mut n = Negotiation::default();
        if let Some(t) = tactic {
            n.tactic = t;
        }
        if let Some(d) = discount {
            check_discount(d)?;
            n.discount = d;
        }
        if let Some(r) = respond {
            match r {
                Respond::Threshold(Param::Fixed(t)) if !(0.0..=1.0).contains(&t) => {
                    return Err(DynamicError::Threshold(t));
                }
                Respond::ReservationNearDeadline(k) if k > MAX_DEADLINE => {
                    return Err(DynamicError::NearDeadline(k as i64));
                }
                _ => {}
            }
            n.respond = r;
        }
        Ok(n)
    }

    /// The concession tactic.
    pub fn tactic(&self) -> &Tactic {
        &self.tactic
    }

    /// The per-step discount.
    pub fn discount(&self) -> Param {
        self.discount
    }

    /// The response rule.
    pub fn respond(&self) -> &Respond {
        &self.respond
    }

    /// Sets the discount to the fixed value `v` in `(0, 1]`.
    pub fn set_discount(&mut self, v: f64) -> Result<(), DynamicError> {
        let d = Param::Fixed(v);
        check_discount(d)?;
        self.discount = d;
        Ok(())
    }

    /// Sets tactic parameter `key` to the fixed value `v` (see [`Tactic::set`]).
    pub fn set_tactic(&mut self, key: TacticKey, v: f64) -> Result<(), DynamicError> {
        self.tactic.set(key, v)
    }

    /// Answers by a fixed threshold `v` in [0, 1].
    pub fn set_threshold(&mut self, v: f64) -> Result<(), DynamicError> {
        if !(0.0..=1.0).contains(&v) {
            return Err(DynamicError::Threshold(v));
        }
        self.respond = Respond::Threshold(Param::Fixed(v));
        Ok(())
    }
}

fn check_discount(d: Param) -> Result<(), DynamicError> {
    match d {
        Param::Fixed(v) if !(v > 0.0 && v <= 1.0) => Err(DynamicError::Discount(v)),
        _ => Ok(()),
    }
}

/// What happens at an event's step.
#[derive(Debug, Clone, PartialEq)]
pub enum EventKind {
    /// The party's reservation utility moves by `by` (clamped to `[0, 1]`) from this step on.
    ShiftReservation { party: usize, by: Param },
    /// The party leaves: it no longer offers, answers or votes.
    Leave { party: usize },
    /// The deadline becomes `steps` (at least the event's step).
    Deadline { steps: u32 },
}

/// A change to the game at the start of a step (before that step's breakdown draw and offer).
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// The step (from 1) at whose start the event happens.
    pub step: u32,
    pub kind: EventKind,
}

/// Who holds the single negotiating text in the `mediated` protocol.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mediator {
    /// One of the parties (by index): it weighs its own losses and will not amend the text
    /// below its own reservation.
    Party(usize),
    /// An outsider with no stake: it weighs only the accepting parties' losses.
    Neutral,
}

/// The settings every dynamic protocol shares: the turn order, the deadline (within
/// `1..=`[`MAX_DEADLINE`]), the breakdown risk (in [0, 1), with the round's breakdown draw
/// when positive), the deal space's resolution, and the events, each before the deadline in
/// force at its step. For a protocol that searches the whole deal space at every step
/// (backward induction), outcomes times steps stay within [`MAX_EQUILIBRIUM_WORK`].
#[derive(Debug, Clone, PartialEq)]
pub struct DynamicSpec {
    order: Vec<usize>,
    deadline: u32,
    breakdown: f64,
    breakdown_slot: Option<usize>,
    resolution: usize,
    /// As given (file order).
    events: Vec<Event>,
    /// The same events by step (stable: file order for equal steps), as they are played.
    schedule: Vec<Event>,
    /// Outcomes of the deal space, and whether the protocol searches all of them each step.
    outcomes: u128,
    backward_induction: bool,
    /// When an offer or a text is agreed (see [`Rule`] for who votes).
    rule: Rule,
}

impl DynamicSpec {
    /// Settings for negotiators `order` (party indices, in turn order) over `space`, with
    /// `deadline` steps, no breakdown risk and no events. `backward_induction` bounds the
    /// deadline by the equilibrium's work.
    pub fn new(
        order: Vec<usize>,
        space: &DealSpace,
        deadline: i64,
        backward_induction: bool,
    ) -> Result<DynamicSpec, DynamicError> {
        let outcomes = space.outcome_count();
        if outcomes > MAX_OUTCOMES as u128 {
            return Err(DynamicError::Outcomes(outcomes));
        }
        let mut spec = DynamicSpec {
            order,
            deadline: DEFAULT_DEADLINE,
            breakdown: 0.0,
            breakdown_slot: None,
            resolution: space.resolution(),
            events: Vec::new(),
            schedule: Vec::new(),
            outcomes,
            backward_induction,
            rule: Rule::default(),
        };
        spec.set_deadline(deadline)?;
        Ok(spec)
    }

    /// Settings for a game played by its stationary equilibrium (Baron–Ferejohn): members
    /// `order`, agreement at once (deadline 1), no breakdown risk, no events and no deal space
    /// searched (a pie's divisions are solved in closed form).
    pub fn stationary(order: Vec<usize>, rule: Rule) -> DynamicSpec {
        DynamicSpec {
            order,
            deadline: 1,
            breakdown: 0.0,
            breakdown_slot: None,
            resolution: super::space::DEFAULT_RESOLUTION,
            events: Vec::new(),
            schedule: Vec::new(),
            outcomes: 0,
            backward_induction: false,
            rule,
        }
    }

    /// The same settings agreed by `rule` (see [`Rule`] for who votes).
    pub fn with_rule(mut self, rule: Rule) -> DynamicSpec {
        self.rule = rule;
        self
    }

    /// When an offer or a text is agreed.
    pub fn rule(&self) -> &Rule {
        &self.rule
    }

    /// Sets the agreement rule (a sweep's `rule.quota` or `rule.threshold`; the rule checks
    /// its own values).
    pub fn set_rule(&mut self, rule: Rule) {
        self.rule = rule;
    }

    /// The negotiating parties (by index) in turn order.
    pub fn order(&self) -> &[usize] {
        &self.order
    }

    /// Steps before talks end without agreement (events may move it).
    pub fn deadline(&self) -> u32 {
        self.deadline
    }

    /// Probability in `[0, 1)` that talks collapse at the start of any step.
    pub fn breakdown(&self) -> f64 {
        self.breakdown
    }

    /// The uncertain-parameter slot holding the round's uniform breakdown draw (present
    /// whenever `breakdown > 0`; a sweep may add it at breakdown 0 too).
    pub fn breakdown_slot(&self) -> Option<usize> {
        self.breakdown_slot
    }

    /// Grid points per gridded range clause of the deal space ([`DealSpace`]).
    pub fn resolution(&self) -> usize {
        self.resolution
    }

    /// Outcomes of the deal space.
    pub fn outcomes(&self) -> u128 {
        self.outcomes
    }

    /// The events as given (file order).
    pub fn events(&self) -> &[Event] {
        &self.events
    }

    /// The events in the order they happen: by step, file order for equal steps.
    pub fn schedule(&self) -> &[Event] {
        &self.schedule
    }

    /// The largest deadline any event can set: the length of per-step tallies.
    pub fn max_deadline(&self) -> u32 {
        self.events
            .iter()
            .filter_map(|e| match e.kind {
                EventKind::Deadline { steps } => Some(steps),
                _ => None,
            })
            .fold(self.deadline, u32::max)
    }

    /// Sets the deadline to `steps`, keeping every event before the deadline in force and
    /// an equilibrium's search within its work bound.
    pub fn set_deadline(&mut self, steps: i64) -> Result<(), DynamicError> {
        if !(1..=MAX_DEADLINE as i64).contains(&steps) {
            return Err(DynamicError::Deadline(steps));
        }
        let steps = steps as u32;
        if self.backward_induction && self.outcomes as f64 * steps as f64 > MAX_EQUILIBRIUM_WORK {
            return Err(DynamicError::Work {
                outcomes: self.outcomes,
                steps,
            });
        }
        let schedule = schedule(&self.events, steps)?;
        self.deadline = steps;
        self.schedule = schedule;
        Ok(())
    }

    /// Sets the events (each party index must name a party of the scenario), each at a
    /// step from 1 before the deadline in force then; an error names the event by its
    /// position in `events`.
    pub fn set_events(&mut self, events: Vec<Event>) -> Result<(), DynamicError> {
        for (i, e) in events.iter().enumerate() {
            check_event(i, e)?;
        }
        self.schedule = schedule(&events, self.deadline)?;
        self.events = events;
        Ok(())
    }

    /// Moves event `i` (file order) to step `step`.
    pub fn set_event_step(&mut self, i: usize, step: i64) -> Result<(), DynamicError> {
        let mut events = self.events.clone();
        let e = events.get_mut(i).ok_or(DynamicError::NoEvent(i))?;
        if !(1..=MAX_DEADLINE as i64).contains(&step) {
            return Err(DynamicError::EventStep { event: i, step });
        }
        e.step = step as u32;
        self.set_events(events)
    }

    /// Sets the size of reservation shift `i` (file order) to the fixed value `by`.
    pub fn set_event_by(&mut self, i: usize, by: f64) -> Result<(), DynamicError> {
        let mut events = self.events.clone();
        match events.get_mut(i).map(|e| &mut e.kind) {
            None => return Err(DynamicError::NoEvent(i)),
            Some(EventKind::ShiftReservation { by: b, .. }) => *b = Param::Fixed(by),
            Some(_) => return Err(DynamicError::NotAShift(i)),
        }
        self.set_events(events)
    }

    /// Sets the breakdown risk; the slot of the round's draw must be there when it is
    /// positive (see [`super::Scenario::set_breakdown`]).
    pub(super) fn set_breakdown(&mut self, p: f64) -> Result<(), DynamicError> {
        if !(p.is_finite() && (0.0..1.0).contains(&p)) {
            return Err(DynamicError::Breakdown(p));
        }
        debug_assert!(p == 0.0 || self.breakdown_slot.is_some());
        self.breakdown = p;
        Ok(())
    }

    /// Records the slot of the round's breakdown draw.
    pub(super) fn set_breakdown_slot(&mut self, slot: usize) {
        self.breakdown_slot = Some(slot);
    }
}

fn check_event(i: usize, e: &Event) -> Result<(), DynamicError> {
    if !(1..=MAX_DEADLINE).contains(&e.step) {
        return Err(DynamicError::EventStep {
            event: i,
            step: e.step as i64,
        });
    }
    match e.kind {
        EventKind::Deadline { steps } if steps < e.step || steps > MAX_DEADLINE => {
            Err(DynamicError::EventDeadline {
                event: i,
                step: e.step,
                steps: steps as i64,
            })
        }
        EventKind::ShiftReservation {
            by: Param::Fixed(by),
            ..
        } if !by.is_finite() => Err(DynamicError::EventShift { event: i, by }),
        _ => Ok(()),
    }
}

/// `events` by step (stable), each checked against the deadline in force at its step.
fn schedule(events: &[Event], deadline: u32) -> Result<Vec<Event>, DynamicError> {
    let mut order: Vec<usize> = (0..events.len()).collect();
    order.sort_by_key(|&i| (events[i].step, i));
    let mut current = deadline;
    for &i in &order {
        let e = &events[i];
        if e.step > current {
            return Err(DynamicError::EventPastDeadline {
                event: i,
                step: e.step,
                deadline: current,
            });
        }
        if let EventKind::Deadline { steps } = e.kind {
            current = steps;
        }
    }
    Ok(order.into_iter().map(|i| events[i].clone()).collect())
}

/// Normalised time-dependent target (Faratin et al. 1998, GENIUS convention):
/// `pmin + (pmax − pmin)(1 − f(t))`, `f(t) = k + (1 − k)·t^(1/e)`, for `t` in `[0, 1]`.
///
/// ```
/// use accord::model::dynamic::time_target;
/// assert_eq!(time_target(0.5, 0.2, 0.0, 0.0, 1.0), 0.96875);
/// ```
#[inline]
pub fn time_target(t: f64, e: f64, k: f64, pmin: f64, pmax: f64) -> f64 {
    let t = t.clamp(0.0, 1.0);
    // `t^1` is `t` exactly and `pow` is within 0.52 ulp, so it returns `t` itself: skipping
    // the call changes no bit and saves its cost for the default, linear tactic (`e = 1`).
    let power = if e == 1.0 { t } else { t.powf(1.0 / e) };
    let f = k + (1.0 - k) * power;
    pmin + (pmax - pmin) * (1.0 - f)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_linear_target_skips_pow_without_changing_a_bit() {
        // The shortcut for e = 1 relies on the platform's pow returning x^1 = x exactly.
        let mut x = 0x9E37_79B9_7F4A_7C15u64;
        for i in 0..200_000u32 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let t = match i % 4 {
                0 => (x >> 11) as f64 / (1u64 << 53) as f64,
                1 => f64::from_bits(x % f64::MIN_POSITIVE.to_bits()),
                _ => (i as f64) / 199_999.0,
            };
            assert_eq!(t.powf(1.0).to_bits(), t.to_bits(), "pow({t:e}, 1)");
            let (k, pmin, pmax) = (0.1, 0.2, 0.9);
            let slow = pmin + (pmax - pmin) * (1.0 - (k + (1.0 - k) * t.powf(1.0)));
            assert_eq!(time_target(t, 1.0, k, pmin, pmax).to_bits(), slow.to_bits());
        }
    }
}
