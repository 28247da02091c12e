//! The parameters of a dynamic protocol that a sweep can vary ("knobs"): the deadline, the
//! breakdown risk, a party's discount, its tactic's parameters (`e`, `k`, `min`, `max`,
//! `factor`, `level`) and its acceptance threshold, the rule's quota or weighted threshold,
//! and Baron–Ferejohn's common discount — by name, with the values each may take, and how to
//! set one on a copy of the scenario.
//!
//! A knob that is a fixed number in the file is simply replaced, so a point is exactly the
//! scenario a file with that value written in would give. A knob that is uncertain in the
//! file (a distribution) is fixed at each swept value, but its slot is kept and still drawn
//! every round, so every other draw stays aligned with the base run's.

use super::axis::{bounds, linspace, point_count};
use crate::error::{About, Invalid};
use crate::model::dynamic::MAX_DEADLINE;
use crate::model::pie::baron_ferejohn_undefined;
use crate::model::{DynamicSpec, EventKind, Param, ProtocolSpec, Respond, Rule, Scenario, Tactic};
use crate::scenario::build::bargaining::{MAX_EQUILIBRIUM_WORK, deal_space_size};
use crate::scenario::suggest::did_you_mean;

/// A parameter of one tactic.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum TacticKey {
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
pub(super) enum Knob {
    Deadline,
    Breakdown,
    Discount(usize),
    Tactic(usize, TacticKey),
    Threshold(usize),
    /// `rule.quota`: the votes an offer or text needs.
    Quota,
    /// `rule.threshold`: a weighted rule's share of the vote weight.
    RuleThreshold,
    /// `discount`: Baron–Ferejohn's common discount.
    CommonDiscount,
}

/// The values a parameter may take.
pub(super) struct Domain {
    lo: f64,
    lo_open: bool,
    hi: f64,
    hi_open: bool,
    pub(super) integer: bool,
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
    pub(super) fn domain(self) -> Domain {
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
            Knob::Discount(_) | Knob::CommonDiscount => Domain {
                lo_open: true,
                text: "a number in (0, 1]",
                ..UNIT
            },
            Knob::RuleThreshold => Domain {
                lo_open: true,
                text: "a share of the vote weight in (0, 1]",
                ..UNIT
            },
            Knob::Quota => Domain {
                lo: 1.0,
                lo_open: false,
                hi: 1e6,
                hi_open: false,
                integer: true,
                text: "a whole number of votes from 1 to the voters",
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

    /// The parameter's value in `protocol`, `None` when it is left to a default.
    pub(super) fn get(self, protocol: &ProtocolSpec) -> Option<Param> {
        let b = dynamic(protocol);
        match self {
            Knob::Quota => match protocol.rule() {
                Rule::Quota { quota } => Some(Param::Fixed(*quota as f64)),
                _ => None,
            },
            Knob::RuleThreshold => match protocol.rule() {
                Rule::Weighted { threshold, .. } => Some(Param::Fixed(*threshold)),
                _ => None,
            },
            Knob::CommonDiscount => match protocol {
                ProtocolSpec::BaronFerejohn(bf) => Some(Param::Fixed(bf.discount)),
                _ => None,
            },
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

    pub(super) fn set(self, protocol: &mut ProtocolSpec, v: f64) {
        match (self, &mut *protocol) {
            (Knob::Quota, ProtocolSpec::BaronFerejohn(bf)) => bf.quota = v as usize,
            (Knob::CommonDiscount, ProtocolSpec::BaronFerejohn(bf)) => {
                bf.discount = v;
                return;
            }
            _ => {}
        }
        let b = dynamic_mut(protocol);
        match self {
            Knob::Quota => b.rule = Rule::Quota { quota: v as usize },
            Knob::RuleThreshold => {
                if let Rule::Weighted { threshold, .. } = &mut b.rule {
                    *threshold = v;
                }
            }
            Knob::CommonDiscount => {}
            Knob::Deadline => b.deadline = v as u32,
            Knob::Breakdown => b.breakdown = v,
            Knob::Discount(p) => b.agents[p].discount = Param::Fixed(v),
            Knob::Tactic(p, key) => key.set(&mut b.agents[p].tactic, v),
            Knob::Threshold(p) => b.agents[p].respond = Respond::Threshold(Param::Fixed(v)),
        }
    }

    /// Axis title for a chart.
    pub(super) fn label(self, s: &Scenario) -> String {
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
            Knob::Quota => "quota (votes needed)".into(),
            Knob::RuleThreshold => "share of the vote weight needed".into(),
            Knob::CommonDiscount => "discount per step".into(),
        }
    }
}

pub(super) fn dynamic(p: &ProtocolSpec) -> &DynamicSpec {
    p.dynamic()
        .expect("a parameter sweep is planned for dynamic protocols only")
}

pub(super) fn dynamic_mut(p: &mut ProtocolSpec) -> &mut DynamicSpec {
    match p {
        ProtocolSpec::Alternating { dynamic }
        | ProtocolSpec::Mediated { dynamic, .. }
        | ProtocolSpec::Equilibrium { dynamic, .. } => dynamic,
        ProtocolSpec::BaronFerejohn(bf) => &mut bf.dynamic,
        ProtocolSpec::Ratify { .. } => {
            unreachable!("a parameter sweep is planned for dynamic protocols only")
        }
    }
}

/// The parties whose discount (and tactic) matters to the protocol's play.
fn negotiators(s: &Scenario) -> Vec<usize> {
    match &s.protocol {
        // Baron–Ferejohn's members share one discount: no party's own matters.
        ProtocolSpec::BaronFerejohn(_) => Vec::new(),
        ProtocolSpec::Mediated { mediator, .. } => {
            let every = !s.protocol.rule().is_unanimity();
            let mut v: Vec<usize> = (0..s.parties.len())
                .filter(|&p| s.parties[p].veto || every)
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
    let bf = matches!(s.protocol, ProtocolSpec::BaronFerejohn(_));
    let mut out = Vec::new();
    // Baron–Ferejohn's stationary play has no deadline and no breakdown.
    if !bf {
        out.push(("deadline".to_string(), Knob::Deadline));
    }
    if !matches!(
        s.protocol,
        ProtocolSpec::Equilibrium { .. } | ProtocolSpec::BaronFerejohn(_)
    ) {
        out.push(("breakdown".into(), Knob::Breakdown));
    }
    match s.protocol.rule() {
        Rule::Quota { .. } => out.push(("rule.quota".into(), Knob::Quota)),
        Rule::Weighted { .. } => out.push(("rule.threshold".into(), Knob::RuleThreshold)),
        Rule::Unanimity => {}
    }
    if bf {
        out.push(("discount".into(), Knob::CommonDiscount));
    }
    let alternating = matches!(s.protocol, ProtocolSpec::Alternating { .. });
    for p in negotiators(s) {
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

/// Why `name` is not a sweepable parameter of this scenario (axis `i`), as helpfully as can
/// be said.
fn unknown(s: &Scenario, i: usize, name: &str, known: &[(String, Knob)]) -> Invalid {
    let protocol = s.protocol.name();
    let names: Vec<&str> = known.iter().map(|k| k.0.as_str()).collect();
    let listing = format!("parameters of this scenario: {}", names.join(", "));
    let why = |what: String| Invalid::new(About::Axis(i), what).help(listing.clone());
    if name == "breakdown" {
        return why(format!(
            "the {protocol} protocol has no breakdown risk (it plays the equilibrium of a fixed game)"
        ));
    }
    if let Some((party, rest)) = name.split_once('.')
        && let Some(p) = s.party_index(party)
    {
        let b = dynamic(&s.protocol);
        let at_table = negotiators(s).contains(&p);
        match rest.split_once('.') {
            _ if rest == "reservation" => {
                return Invalid::new(
                    About::Axis(i),
                    "outside options are swept as a reservation axis, under the ratify protocol",
                )
                .help(format!(
                    "in the {protocol} protocol, move `{party}`'s outside option during the talks with an [[events]] shift_reservation; {listing}"
                ));
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
    Invalid::new(
        About::Axis(i),
        format!("the {protocol} protocol has no sweepable parameter `{name}`"),
    )
    .help(format!("{hint}{listing}"))
}

/// A knob axis checked against the scenario.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct KnobAxis {
    pub(super) name: String,
    pub(super) knob: Knob,
    pub(super) values: Vec<f64>,
}

/// Checks axis `i`, `name` from `from` to `to` in `points` points, against the scenario's
/// dynamic protocol.
pub(super) fn resolve(
    s: &Scenario,
    i: usize,
    name: &str,
    from: Option<f64>,
    to: Option<f64>,
    points: Option<usize>,
) -> Result<KnobAxis, Invalid> {
    let known = knobs(s);
    let knob = known
        .iter()
        .find(|k| k.0 == name)
        .map(|k| k.1)
        .ok_or_else(|| unknown(s, i, name, &known))?;
    let domain = knob.domain();
    let (Some(from), Some(to)) = (from, to) else {
        let about = if from.is_none() {
            About::From(i)
        } else {
            About::To(i)
        };
        return Err(Invalid::new(
            about,
            format!("give the range of {name} to sweep: where it starts and ends"),
        )
        .help(format!("{name} is {}", domain.text)));
    };
    for (about, v) in [(About::From(i), from), (About::To(i), to)] {
        if v.is_finite() && !domain.admits(v) {
            return Err(Invalid::new(
                about,
                format!("{} is outside the range of {name}", crate::text::decimal(v)),
            )
            .help(format!("{name} is {}", domain.text)));
        }
    }
    let (from, to) = if domain.integer {
        (from.round(), to.round())
    } else {
        (from, to)
    };
    let (from, to) = bounds(i, from, to)?;
    let mut values = linspace(from, to, point_count(i, points)?);
    if domain.integer {
        values.iter_mut().for_each(|v| *v = v.round());
        // Rounding may repeat a value when there are more points than whole numbers.
        values.dedup();
    }
    Ok(KnobAxis {
        name: name.to_string(),
        knob,
        values,
    })
}

/// The knobs of the scenario's dynamic protocol, by name, for messages.
pub(super) fn names(s: &Scenario) -> Vec<String> {
    knobs(s).into_iter().map(|k| k.0).collect()
}

/// Whether a point's scenario is one the scenario file's checks would accept.
pub(super) fn check_point(s: &Scenario) -> Result<(), String> {
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
    if let Rule::Quota { quota } = b.rule {
        let voters = s.protocol.voters(s.parties.len());
        if quota > voters {
            return Err(format!(
                "the quota ({quota}) would be above the {voters} voters: no offer could pass"
            ));
        }
    }
    if let ProtocolSpec::BaronFerejohn(bf) = &s.protocol
        && let Some(why) = baron_ferejohn_undefined(bf.quota, bf.discount, &bf.recognition)
    {
        return Err(format!("baron_ferejohn would not be defined: {why}"));
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
