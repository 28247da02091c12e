//! Sweeps of a dynamic protocol's own parameters: the deadline, the breakdown risk, a party's
//! discount, its tactic's parameters (`e`, `k`, `min`, `max`, `factor`, `level`) and its
//! acceptance threshold.
//!
//! Each point is a copy of the scenario with the swept parameters set, played by its own
//! protocol; every point is played on the same sampled worlds (common random numbers), drawn
//! from one scenario whose uncertain parameters all points share:
//!
//! - A swept parameter that is a fixed number in the file is simply replaced, so a point is
//!   exactly the scenario a file with that value written in would give, and its estimates are
//!   those of a single run of that file under the same seed and rounds.
//! - A swept parameter that is uncertain in the file (a distribution) is fixed at each swept
//!   value, but its slot is kept and still drawn every round, so every other draw stays
//!   aligned with the base run's. (A file with the value written in would draw one number
//!   fewer per round: the same model, on different worlds.)
//! - A breakdown axis needs the breakdown draw: when the file's breakdown is 0 (no draw), the
//!   draw is added as the last slot, as the file's parser would add it for a positive
//!   breakdown, and every point draws it — a point at breakdown 0 then never breaks down but
//!   still draws, so it is the breakdown-free game on the sweep's worlds.
//!
//! A point's estimates in a [`SweepResult`]: `agreement` is the protocol's agreement
//! probability; each party's `accept` is that same estimate (at an agreement every party at
//! the table has accepted the deal), its `mean_utility` the mean utility of the agreed deal
//! (undiscounted, over rounds that agreed) and its `mean_margin` that minus its mean
//! reservation utility (over all rounds); both are NaN (`null`) at a point with no agreement.

use super::axis::{self, AxisSpec, SweepSpec, linspace, steps_of, usage};
use super::result::{AxisInfo, Marker, PointParty, SweepMeta, SweepPoint, SweepResult};
use crate::error::Error;
use crate::model::dynamic::MAX_DEADLINE;
use crate::model::{DynamicSpec, EventKind, Param, ProtocolSpec, Respond, Scenario, Tactic};
use crate::protocol::dynamic::{Dynamic, DynamicScratch, DynamicTally};
use crate::scenario::build::bargaining::{
    BREAKDOWN_DRAW, MAX_EQUILIBRIUM_WORK, deal_space_size, uniform_draw,
};
use crate::scenario::suggest::did_you_mean;
use crate::sim::{Experiment, RunOptions, Runner, World};

/// The most points a sweep of a dynamic protocol may have: each point prepares its own
/// protocol (deal space, offer books, per-step tallies).
pub const MAX_POINTS: usize = 2_000;

/// The points of a parameter sweep, ready to play.
#[derive(Debug, Clone, PartialEq)]
pub struct ParamPlan {
    pub meta: SweepMeta,
    /// Coordinates of each point (one per axis), row-major.
    pub coords: Vec<Vec<f64>>,
    /// The scenario every point's worlds are drawn from: the base (with the breakdown draw
    /// added when a breakdown axis needs it).
    pub worlds: Scenario,
    /// The scenario at each point.
    pub scenarios: Vec<Scenario>,
}

/// A parameter of one tactic.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TacticKey {
    E,
    K,
    Min,
    Max,
    Factor,
    Level,
}

impl TacticKey {
    const ALL: [TacticKey; 6] = [
        TacticKey::E,
        TacticKey::K,
        TacticKey::Min,
        TacticKey::Max,
        TacticKey::Factor,
        TacticKey::Level,
    ];

    fn name(self) -> &'static str {
        match self {
            TacticKey::E => "e",
            TacticKey::K => "k",
            TacticKey::Min => "min",
            TacticKey::Max => "max",
            TacticKey::Factor => "factor",
            TacticKey::Level => "level",
        }
    }

    /// The keys a tactic takes, as in scenario files.
    fn of(t: &Tactic) -> &'static [TacticKey] {
        match t {
            Tactic::Time { .. } => &[TacticKey::E, TacticKey::K, TacticKey::Min, TacticKey::Max],
            Tactic::TitForTat { .. } => &[TacticKey::Factor, TacticKey::Min, TacticKey::Max],
            Tactic::Hardliner { .. } => &[TacticKey::Level],
        }
    }

    /// The tactic's parameter, `None` where the file leaves it to its default.
    fn get(self, t: &Tactic) -> Option<Param> {
        match (t, self) {
            (Tactic::Time { e, .. }, TacticKey::E) => Some(*e),
            (Tactic::Time { k, .. }, TacticKey::K) => Some(*k),
            (Tactic::Time { min, .. } | Tactic::TitForTat { min, .. }, TacticKey::Min) => *min,
            (Tactic::Time { max, .. } | Tactic::TitForTat { max, .. }, TacticKey::Max) => *max,
            (Tactic::TitForTat { factor, .. }, TacticKey::Factor) => Some(*factor),
            (Tactic::Hardliner { level }, TacticKey::Level) => *level,
            _ => None,
        }
    }

    fn set(self, t: &mut Tactic, v: f64) {
        let v = Param::Fixed(v);
        match (t, self) {
            (Tactic::Time { e, .. }, TacticKey::E) => *e = v,
            (Tactic::Time { k, .. }, TacticKey::K) => *k = v,
            (Tactic::Time { min, .. } | Tactic::TitForTat { min, .. }, TacticKey::Min) => {
                *min = Some(v)
            }
            (Tactic::Time { max, .. } | Tactic::TitForTat { max, .. }, TacticKey::Max) => {
                *max = Some(v)
            }
            (Tactic::TitForTat { factor, .. }, TacticKey::Factor) => *factor = v,
            (Tactic::Hardliner { level }, TacticKey::Level) => *level = Some(v),
            _ => unreachable!("keys are checked against the tactic when the axis is resolved"),
        }
    }
}

/// A sweepable parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Knob {
    Deadline,
    Breakdown,
    Discount(usize),
    Tactic(usize, TacticKey),
    Threshold(usize),
}

/// The values a parameter may take.
struct Domain {
    lo: f64,
    lo_open: bool,
    hi: f64,
    hi_open: bool,
    integer: bool,
    text: &'static str,
}

impl Domain {
    fn admits(&self, v: f64) -> bool {
        v.is_finite()
            && if self.lo_open {
                v > self.lo
            } else {
                v >= self.lo
            }
            && if self.hi_open {
                v < self.hi
            } else {
                v <= self.hi
            }
    }
}

const UNIT: Domain = Domain {
    lo: 0.0,
    lo_open: false,
    hi: 1.0,
    hi_open: false,
    integer: false,
    text: "a number in [0, 1]",
};

impl Knob {
    fn domain(self) -> Domain {
        match self {
            Knob::Deadline => Domain {
                lo: 1.0,
                lo_open: false,
                hi: MAX_DEADLINE as f64,
                hi_open: false,
                integer: true,
                text: "a whole number of steps from 1 to 100000",
            },
            Knob::Breakdown => Domain {
                hi_open: true,
                text: "a probability in [0, 1)",
                ..UNIT
            },
            Knob::Discount(_) => Domain {
                lo_open: true,
                text: "a number in (0, 1]",
                ..UNIT
            },
            Knob::Tactic(_, TacticKey::E) => Domain {
                lo_open: true,
                hi: f64::INFINITY,
                hi_open: true,
                text: "a finite number > 0",
                ..UNIT
            },
            Knob::Tactic(_, TacticKey::Factor) => Domain {
                hi: f64::INFINITY,
                hi_open: true,
                text: "a finite number >= 0",
                ..UNIT
            },
            Knob::Tactic(..) | Knob::Threshold(_) => UNIT,
        }
    }

    /// The parameter's value in `b`, `None` when it is left to a default.
    fn get(self, b: &DynamicSpec) -> Option<Param> {
        match self {
            Knob::Deadline => Some(Param::Fixed(b.deadline as f64)),
            Knob::Breakdown => Some(Param::Fixed(b.breakdown)),
            Knob::Discount(p) => Some(b.agents[p].discount),
            Knob::Tactic(p, key) => key.get(&b.agents[p].tactic),
            Knob::Threshold(p) => match b.agents[p].respond {
                Respond::Threshold(t) => Some(t),
                _ => None,
            },
        }
    }

    fn set(self, b: &mut DynamicSpec, v: f64) {
        match self {
            Knob::Deadline => b.deadline = v as u32,
            Knob::Breakdown => b.breakdown = v,
            Knob::Discount(p) => b.agents[p].discount = Param::Fixed(v),
            Knob::Tactic(p, key) => key.set(&mut b.agents[p].tactic, v),
            Knob::Threshold(p) => b.agents[p].respond = Respond::Threshold(Param::Fixed(v)),
        }
    }

    /// Axis title for a chart.
    fn label(self, s: &Scenario) -> String {
        let name = |p: usize| s.parties[p].name.as_str();
        match self {
            Knob::Deadline => "deadline (steps)".into(),
            Knob::Breakdown => "breakdown probability per step".into(),
            Knob::Discount(p) => format!("{} discount per step", name(p)),
            Knob::Tactic(p, TacticKey::E) => format!("{} concession exponent e", name(p)),
            Knob::Tactic(p, TacticKey::K) => format!("{} initial concession k", name(p)),
            Knob::Tactic(p, TacticKey::Min) => format!("{} tactic's lowest target", name(p)),
            Knob::Tactic(p, TacticKey::Max) => format!("{} tactic's highest target", name(p)),
            Knob::Tactic(p, TacticKey::Factor) => format!("{} tit-for-tat factor", name(p)),
            Knob::Tactic(p, TacticKey::Level) => format!("{} hardliner level", name(p)),
            Knob::Threshold(p) => format!("{} acceptance threshold", name(p)),
        }
    }
}

fn dynamic(p: &ProtocolSpec) -> &DynamicSpec {
    p.dynamic()
        .expect("a parameter sweep is planned for dynamic protocols only")
}

fn bargaining_mut(p: &mut ProtocolSpec) -> &mut DynamicSpec {
    match p {
        ProtocolSpec::Alternating { dynamic }
        | ProtocolSpec::Mediated { dynamic, .. }
        | ProtocolSpec::Equilibrium { dynamic } => dynamic,
        ProtocolSpec::Ratify { .. } => {
            unreachable!("a parameter sweep is planned for dynamic protocols only")
        }
    }
}

/// The parties whose discount matters to the protocol's play.
fn discounted(s: &Scenario) -> Vec<usize> {
    match &s.protocol {
        ProtocolSpec::Mediated { mediator, .. } => {
            let mut v: Vec<usize> = (0..s.parties.len())
                .filter(|&p| s.parties[p].veto)
                .collect();
            if let crate::model::Mediator::Party(m) = mediator
                && !v.contains(m)
            {
                v.push(*m);
                v.sort_unstable();
            }
            v
        }
        other => dynamic(other).order.clone(),
    }
}

/// Every parameter of the scenario's protocol that can be swept, with its `--param` name.
fn knobs(s: &Scenario) -> Vec<(String, Knob)> {
    let b = dynamic(&s.protocol);
    let mut out = vec![("deadline".to_string(), Knob::Deadline)];
    if !matches!(s.protocol, ProtocolSpec::Equilibrium { .. }) {
        out.push(("breakdown".into(), Knob::Breakdown));
    }
    let alternating = matches!(s.protocol, ProtocolSpec::Alternating { .. });
    for p in discounted(s) {
        let name = &s.parties[p].name;
        out.push((format!("{name}.discount"), Knob::Discount(p)));
        if alternating {
            for &key in TacticKey::of(&b.agents[p].tactic) {
                out.push((
                    format!("{name}.tactic.{}", key.name()),
                    Knob::Tactic(p, key),
                ));
            }
            if let Respond::Threshold(_) = b.agents[p].respond {
                out.push((format!("{name}.respond.threshold"), Knob::Threshold(p)));
            }
        }
    }
    out
}

/// Why `name` is not a sweepable parameter of this scenario, as helpfully as can be said.
fn unknown(s: &Scenario, name: &str, known: &[(String, Knob)]) -> Error {
    let protocol = s.protocol.name();
    let flag = format!("--param {name}");
    let names: Vec<&str> = known.iter().map(|k| k.0.as_str()).collect();
    let listing = format!("parameters of this scenario: {}", names.join(", "));
    let why = |what: String| usage(format!("{flag}: {what}"), Some(listing.clone()));
    if name == "breakdown" {
        return why(format!(
            "the {protocol} protocol has no breakdown risk (it plays the equilibrium of a fixed game)"
        ));
    }
    if let Some((party, rest)) = name.split_once('.')
        && let Some(p) = s.party_index(party)
    {
        let b = dynamic(&s.protocol);
        let at_table = discounted(s).contains(&p);
        match rest.split_once('.') {
            _ if rest == "reservation" => {
                return usage(
                    format!(
                        "{flag}: outside options are swept with --reservation PARTY, for the ratify protocol"
                    ),
                    Some(format!(
                        "in the {protocol} protocol, move `{party}`'s outside option during the talks with an [[events]] shift_reservation; {listing}"
                    )),
                );
            }
            _ if !at_table && (rest == "discount" || rest.starts_with("tactic.")) => {
                return why(format!(
                    "`{party}` does not negotiate in this {protocol} protocol, so its {} never matters",
                    if rest == "discount" {
                        "discount"
                    } else {
                        "tactic"
                    }
                ));
            }
            Some(("tactic", key)) => {
                if protocol != "alternating" {
                    return why(format!(
                        "the {protocol} protocol does not use tactics (alternating offers do)"
                    ));
                }
                let tactic = &b.agents[p].tactic;
                if let Some(k) = TacticKey::ALL.iter().find(|k| k.name() == key) {
                    let takes: Vec<&str> = TacticKey::of(tactic).iter().map(|k| k.name()).collect();
                    return why(format!(
                        "`{party}` plays the {} tactic, which has no `{}`; it takes {}",
                        tactic.name(),
                        k.name(),
                        takes.join(", ")
                    ));
                }
            }
            Some(("respond", "threshold")) => {
                if protocol != "alternating" {
                    return why(format!(
                        "the {protocol} protocol does not use response rules (alternating offers do)"
                    ));
                }
                return why(format!(
                    "`{party}` answers by AC_next, not by a threshold (respond = {{ threshold = U }})"
                ));
            }
            _ => {}
        }
    }
    let hint = did_you_mean(name, names.iter().copied())
        .map(|s| format!("did you mean `{s}`? "))
        .unwrap_or_default();
    usage(
        format!("{flag}: the {protocol} protocol has no sweepable parameter `{name}`"),
        Some(format!("{hint}{listing}")),
    )
}

/// An axis checked against the scenario.
struct Resolved {
    name: String,
    knob: Knob,
    values: Vec<f64>,
}

fn resolve(s: &Scenario, known: &[(String, Knob)], axis: &AxisSpec) -> Result<Resolved, Error> {
    let (name, from, to, steps) = match axis {
        AxisSpec::Param {
            name,
            from,
            to,
            steps,
        } => (name, from, to, steps),
        AxisSpec::Clause { .. } | AxisSpec::Path { .. } | AxisSpec::Reservation { .. } => {
            let flag = match axis {
                AxisSpec::Clause { name, .. } => format!("--clause {name}"),
                AxisSpec::Path { from, to, .. } => format!("--path {from}..{to}"),
                AxisSpec::Reservation { party, .. } => format!("--reservation {party}"),
                AxisSpec::Param { .. } => unreachable!(),
            };
            return Err(usage(
                format!(
                    "{flag}: the {} protocol negotiates its own deal, so there is no fixed text to vary",
                    s.protocol.name()
                ),
                Some(format!(
                    "sweep its parameters with --param: {}",
                    known
                        .iter()
                        .map(|k| k.0.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            ));
        }
    };
    let knob = known
        .iter()
        .find(|k| &k.0 == name)
        .map(|k| k.1)
        .ok_or_else(|| unknown(s, name, known))?;
    let domain = knob.domain();
    let (Some(from), Some(to)) = (*from, *to) else {
        return Err(usage(
            format!("--param {name}: give the range to sweep with --from and --to"),
            Some(format!(
                "for example --param {name} --from A --to B --steps 11 ({name} is {})",
                domain.text
            )),
        ));
    };
    for (flag, v) in [("--from", from), ("--to", to)] {
        axis::finite(flag, v)?;
        if !domain.admits(v) {
            return Err(usage(
                format!("{flag} {v}: outside the range of {name}"),
                Some(format!("{name} is {}", domain.text)),
            ));
        }
    }
    let (from, to) = if domain.integer {
        (from.round(), to.round())
    } else {
        (from, to)
    };
    if from == to {
        return Err(usage(
            format!("--from and --to are both {from}: nothing to sweep"),
            None,
        ));
    }
    let mut values = linspace(from, to, steps_of("--param", *steps)?);
    if domain.integer {
        values.iter_mut().for_each(|v| *v = v.round());
        // Rounding may repeat a value when there are more steps than whole numbers.
        values.dedup();
    }
    Ok(Resolved {
        name: name.clone(),
        knob,
        values,
    })
}

/// Whether a point's scenario is one the scenario file's checks would accept.
fn check_point(s: &Scenario) -> Result<(), String> {
    let b = dynamic(&s.protocol);
    // Events must happen before the deadline in force at their step.
    let mut current = b.deadline;
    for e in &b.events {
        if e.step > current {
            return Err(format!(
                "the event at step {} would be past the deadline (talks end after step {current})",
                e.step
            ));
        }
        if let EventKind::Deadline { steps } = e.kind {
            current = steps;
        }
    }
    for (p, agent) in b.agents.iter().enumerate() {
        if let Tactic::Time { min, max, .. } | Tactic::TitForTat { min, max, .. } = agent.tactic
            && let (Some(Param::Fixed(lo)), Some(Param::Fixed(hi))) = (min, max)
            && lo > hi
        {
            return Err(format!(
                "`{}`'s tactic would have `min` ({lo}) above `max` ({hi})",
                s.parties[p].name
            ));
        }
    }
    if let ProtocolSpec::Equilibrium { .. } = s.protocol {
        let outcomes = deal_space_size(&s.clauses, &s.proposals, b.resolution);
        if outcomes * b.deadline as f64 > MAX_EQUILIBRIUM_WORK {
            return Err(format!(
                "backward induction over {outcomes:.0} outcomes and {} steps is too large (at most {MAX_EQUILIBRIUM_WORK:.0} outcome-steps)",
                b.deadline
            ));
        }
    }
    Ok(())
}

fn fmt_value(v: f64, integer: bool) -> String {
    if integer {
        crate::model::clause::group_thousands(v.round() as i64)
    } else {
        format!("{v}")
    }
}

/// Validates a parameter sweep of a dynamic protocol and lays out its points (row-major,
/// last axis fastest). `spec.base` names the proposal a mediated text starts from.
pub fn plan(s: &Scenario, spec: &SweepSpec, options: &RunOptions) -> Result<ParamPlan, Error> {
    let protocol = s.protocol.name();
    let known = knobs(s);
    if spec.axes.is_empty() {
        return Err(usage(
            "nothing to sweep: give --param NAME --from A --to B".into(),
            Some(format!(
                "parameters of this scenario: {}",
                known
                    .iter()
                    .map(|k| k.0.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        ));
    }
    if spec.axes.len() > 2 {
        return Err(usage(
            format!(
                "{} axes given: a sweep has one axis, or two for a grid",
                spec.axes.len()
            ),
            None,
        ));
    }
    let axes = spec
        .axes
        .iter()
        .map(|a| resolve(s, &known, a))
        .collect::<Result<Vec<_>, _>>()?;
    if let [a, b] = &axes[..]
        && a.knob == b.knob
    {
        return Err(usage(
            format!(
                "--param {} is given twice: the two axes of a grid must differ",
                a.name
            ),
            None,
        ));
    }
    let mut worlds = s.clone();
    match (&spec.base, &mut worlds.protocol) {
        (None, _) => {}
        (Some(name), ProtocolSpec::Mediated { start, .. }) => {
            let names: Vec<&str> = s.proposals.iter().map(|p| p.name.as_str()).collect();
            *start = axis::lookup("--proposal", "proposal", name, &names)?;
        }
        (Some(_), _) => {
            return Err(usage(
                format!("--proposal: the {protocol} protocol has no proposal to vary"),
                Some(
                    "--proposal applies to ratify, and to mediated (the text it starts from)"
                        .into(),
                ),
            ));
        }
    }
    if axes.iter().any(|a| a.knob == Knob::Breakdown) {
        let b = bargaining_mut(&mut worlds.protocol);
        if b.breakdown_slot.is_none() {
            worlds.uncertain.push(uniform_draw(BREAKDOWN_DRAW));
            b.breakdown_slot = Some(worlds.uncertain.len() - 1);
        }
    }

    let sizes: Vec<usize> = axes.iter().map(|a| a.values.len()).collect();
    let total: usize = sizes.iter().product();
    if total > MAX_POINTS {
        return Err(usage(
            format!(
                "{total} points: a sweep of the {protocol} protocol has at most {MAX_POINTS} points; lower --steps"
            ),
            None,
        ));
    }
    let mut coords = Vec::with_capacity(total);
    let mut scenarios = Vec::with_capacity(total);
    for flat in 0..total {
        let idx: Vec<usize> = if sizes.len() == 2 {
            vec![flat / sizes[1], flat % sizes[1]]
        } else {
            vec![flat]
        };
        let mut point = worlds.clone();
        let x: Vec<f64> = axes.iter().zip(&idx).map(|(a, &i)| a.values[i]).collect();
        for (a, &v) in axes.iter().zip(&x) {
            a.knob.set(bargaining_mut(&mut point.protocol), v);
        }
        check_point(&point).map_err(|problem| {
            let at: Vec<String> = axes
                .iter()
                .zip(&x)
                .map(|(a, &v)| format!("{} = {}", a.name, fmt_value(v, a.knob.domain().integer)))
                .collect();
            let names: Vec<&str> = axes.iter().map(|a| a.name.as_str()).collect();
            usage(
                format!(
                    "--param {}: at {}, {problem}",
                    names.join(", --param "),
                    at.join(", ")
                ),
                Some("narrow the range with --from and --to".into()),
            )
        })?;
        coords.push(x);
        scenarios.push(point);
    }

    let mean = s.mean_slots();
    let base_bargaining = dynamic(&s.protocol);
    let infos: Vec<AxisInfo> = axes
        .iter()
        .map(|a| {
            let domain = a.knob.domain();
            let uncertain = a
                .knob
                .get(base_bargaining)
                .is_some_and(|p| p.is_uncertain());
            let mut label = a.knob.label(s);
            if uncertain {
                label.push_str(" (fixed; uncertain in the scenario)");
            }
            AxisInfo {
                kind: "param".into(),
                name: a.name.clone(),
                label,
                unit: (a.knob == Knob::Deadline).then(|| "steps".to_string()),
                integer: domain.integer,
                options: None,
                values: a.values.clone(),
            }
        })
        .collect();
    let markers = match &axes[..] {
        [a] => {
            let (lo, hi) = (
                a.values[0].min(a.values[a.values.len() - 1]),
                a.values[0].max(a.values[a.values.len() - 1]),
            );
            match a.knob.get(base_bargaining) {
                Some(Param::Fixed(v)) if v >= lo && v <= hi => vec![Marker {
                    name: "baseline".into(),
                    x: v,
                }],
                Some(Param::Slot(k)) if mean[k] >= lo && mean[k] <= hi => vec![Marker {
                    name: "baseline (mean)".into(),
                    x: mean[k],
                }],
                _ => Vec::new(),
            }
        }
        _ => Vec::new(),
    };
    let parts: Vec<String> = axes
        .iter()
        .map(|a| {
            let integer = a.knob.domain().integer;
            format!(
                "{} from {} to {} in {} steps",
                a.name,
                fmt_value(a.values[0], integer),
                fmt_value(a.values[a.values.len() - 1], integer),
                a.values.len()
            )
        })
        .collect();
    let base = match &worlds.protocol {
        ProtocolSpec::Mediated { start, .. } => s.proposals[*start].name.clone(),
        _ => String::new(),
    };
    let description = if base.is_empty() {
        format!("{} ({protocol})", parts.join(" × "))
    } else {
        format!("{} ({protocol} from {base})", parts.join(" × "))
    };
    Ok(ParamPlan {
        meta: SweepMeta {
            scenario: s.name.clone(),
            protocol: protocol.to_string(),
            seed: options.seed,
            rounds: options.rounds,
            precision: None,
            base,
            description,
            axes: infos,
            markers,
            parties: s.parties.iter().map(|p| p.name.clone()).collect(),
            veto: s.parties.iter().map(|p| p.veto).collect(),
        },
        coords,
        worlds,
        scenarios,
    })
}

/// Every point's protocol, played on the same worlds.
pub struct DynamicPoints<'a> {
    points: Vec<Dynamic<'a>>,
}

impl<'a> DynamicPoints<'a> {
    /// Prepares the protocol of every point of `plan`.
    pub fn new(plan: &'a ParamPlan) -> Self {
        DynamicPoints {
            points: plan
                .scenarios
                .iter()
                .map(|s| Dynamic::new(s).expect("a parameter sweep's points are dynamic"))
                .collect(),
        }
    }

    /// The prepared protocols, in point order.
    pub fn points(&self) -> &[Dynamic<'a>] {
        &self.points
    }
}

impl Experiment for DynamicPoints<'_> {
    type Tally = Vec<DynamicTally>;
    type Scratch = Vec<DynamicScratch>;

    fn new_tally(&self) -> Vec<DynamicTally> {
        self.points.iter().map(|d| d.new_tally()).collect()
    }

    fn new_scratch(&self) -> Vec<DynamicScratch> {
        self.points.iter().map(|d| d.new_scratch()).collect()
    }

    fn play(
        &self,
        world: &World,
        scratch: &mut Vec<DynamicScratch>,
        tally: &mut Vec<DynamicTally>,
    ) {
        for ((d, sc), t) in self.points.iter().zip(scratch).zip(tally) {
            d.play(world, sc, t);
        }
    }

    fn merge(&self, into: &mut Vec<DynamicTally>, from: Vec<DynamicTally>) {
        for (a, b) in into.iter_mut().zip(from) {
            a.merge(b);
        }
    }

    fn max_half_width(&self, tally: &Vec<DynamicTally>) -> Option<f64> {
        tally
            .iter()
            .zip(&self.points)
            .filter_map(|(t, d)| d.max_half_width(t))
            .reduce(f64::max)
    }
}

/// The sweep's result from the points' tallies over `rounds` rounds.
pub fn result(
    plan: &ParamPlan,
    points: &DynamicPoints,
    tallies: &[DynamicTally],
    rounds: u64,
) -> SweepResult {
    let nan = |x: Option<f64>| x.unwrap_or(f64::NAN);
    let points = points
        .points
        .iter()
        .zip(tallies)
        .zip(&plan.coords)
        .map(|((d, t), x)| {
            let r = d.summarise(t, plan.meta.seed);
            SweepPoint {
                x: x.clone(),
                agreement: r.agreement,
                parties: r
                    .parties
                    .iter()
                    .map(|p| PointParty {
                        party: p.party.clone(),
                        accept: r.agreement,
                        mean_utility: nan(p.mean_utility),
                        mean_margin: nan(p.mean_utility) - nan(p.mean_reservation),
                    })
                    .collect(),
            }
        })
        .collect();
    let mut meta = plan.meta.clone();
    meta.rounds = rounds;
    SweepResult { meta, points }
}

/// Plays every point of `plan` on the same worlds; `progress` gets the rounds done so far.
pub fn run(plan: &ParamPlan, options: RunOptions, progress: &(dyn Fn(u64) + Sync)) -> SweepResult {
    let points = DynamicPoints::new(plan);
    let tallies = Runner::new(&plan.worlds, options).run(&points, progress);
    result(plan, &points, &tallies, options.rounds)
}
