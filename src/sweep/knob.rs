//! The parameters of a dynamic protocol that a sweep can vary ("knobs"): the deadline, the
//! breakdown risk, a party's discount, its tactic's parameters (`e`, `k`, `min`, `max`,
//! `factor`, `level`), its acceptance threshold, an event's step and size, the rule's quota
//! or weighted threshold, and Baron–Ferejohn's common discount — by name, and how to set
//! one on a copy of the scenario. Values are set through the model's
//! setters, so a point gets exactly the checks (and the words) a scenario file would.
//!
//! A knob that is a fixed number in the file is simply replaced, so a point is exactly the
//! scenario a file with that value written in would give. A knob that is uncertain in the
//! file (a distribution) is fixed at each swept value, but its slot is kept and still drawn
//! every round, so every other draw stays aligned with the base run's.

use super::axis::{bounds, linspace, point_count};
use crate::error::{About, Invalid};
use crate::model::pie::baron_ferejohn_undefined;
use crate::model::{
    DynamicError, DynamicSpec, EventKind, Param, ProtocolSpec, Respond, Rule, Scenario, TacticKey,
};
use crate::scenario::suggest::did_you_mean;

/// A sweepable parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Knob {
    Deadline,
    Breakdown,
    Discount(usize),
    Tactic(usize, TacticKey),
    Threshold(usize),
    /// The step of event `i` (file order).
    EventStep(usize),
    /// The size of reservation shift `i` (file order).
    EventBy(usize),
    /// `rule.quota`: the votes an offer or text needs.
    Quota,
    /// `rule.threshold`: a weighted rule's share of the vote weight.
    RuleThreshold,
    /// `discount`: Baron–Ferejohn's common discount.
    CommonDiscount,
}

impl Knob {
    /// Whether the parameter takes whole numbers (swept values are rounded).
    pub(super) fn integer(self) -> bool {
        matches!(self, Knob::Deadline | Knob::EventStep(_) | Knob::Quota)
    }

    /// The parameter's value in `s`, `None` when it is left to a default.
    pub(super) fn get(self, s: &Scenario) -> Option<Param> {
        let b = dynamic(&s.protocol);
        let n = |p: usize| &s.parties[p].negotiation;
        match self {
            Knob::Quota => match s.protocol.rule() {
                Rule::Quota { quota } => Some(Param::Fixed(*quota as f64)),
                _ => None,
            },
            Knob::RuleThreshold => match s.protocol.rule() {
                Rule::Weighted { threshold, .. } => Some(Param::Fixed(*threshold)),
                _ => None,
            },
            Knob::CommonDiscount => match &s.protocol {
                ProtocolSpec::BaronFerejohn(bf) => Some(Param::Fixed(bf.discount)),
                _ => None,
            },
            Knob::Deadline => Some(Param::Fixed(b.deadline() as f64)),
            Knob::Breakdown => Some(Param::Fixed(b.breakdown())),
            Knob::Discount(p) => Some(n(p).discount()),
            Knob::Tactic(p, key) => n(p).tactic().get(key),
            Knob::Threshold(p) => match n(p).respond() {
                Respond::Threshold(t) => Some(*t),
                _ => None,
            },
            Knob::EventStep(i) => Some(Param::Fixed(b.events()[i].step as f64)),
            Knob::EventBy(i) => match b.events()[i].kind {
                EventKind::ShiftReservation { by, .. } => Some(by),
                _ => None,
            },
        }
    }

    /// Sets the parameter to `v` in `s`, with the model's checks (what only clashes with
    /// another knob's value is left to [`check_point`]).
    pub(super) fn set(self, s: &mut Scenario, v: f64) -> Result<(), DynamicError> {
        fn b(s: &mut Scenario) -> &mut DynamicSpec {
            s.protocol
                .dynamic_mut()
                .expect("a parameter sweep is planned for dynamic protocols only")
        }
        match self {
            Knob::Deadline => b(s).set_deadline(v as i64),
            Knob::Breakdown => s.set_breakdown(v),
            Knob::Discount(p) => s.parties[p].negotiation.set_discount(v),
            Knob::Tactic(p, key) => s.parties[p].negotiation.set_tactic(key, v),
            Knob::Threshold(p) => s.parties[p].negotiation.set_threshold(v),
            Knob::EventStep(i) => b(s).set_event_step(i, v as i64),
            Knob::EventBy(i) => b(s).set_event_by(i, v),
            Knob::Quota => {
                if !(v.is_finite() && v >= 1.0 && v.fract() == 0.0 && v <= 1e6) {
                    return Err(DynamicError::Quota(v));
                }
                let quota = v as usize;
                if let ProtocolSpec::BaronFerejohn(bf) = &mut s.protocol {
                    bf.quota = quota;
                }
                b(s).set_rule(Rule::Quota { quota });
                Ok(())
            }
            Knob::RuleThreshold => {
                if !(v.is_finite() && v > 0.0 && v <= 1.0) {
                    return Err(DynamicError::RuleThreshold(v));
                }
                let mut rule = b(s).rule().clone();
                if let Rule::Weighted { threshold, .. } = &mut rule {
                    *threshold = v;
                }
                b(s).set_rule(rule);
                Ok(())
            }
            Knob::CommonDiscount => {
                if !(v.is_finite() && v > 0.0 && v <= 1.0) {
                    return Err(DynamicError::Discount(v));
                }
                if let ProtocolSpec::BaronFerejohn(bf) = &mut s.protocol {
                    bf.discount = v;
                }
                Ok(())
            }
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
            Knob::EventStep(i) => format!("step of event {i}"),
            Knob::EventBy(i) => match dynamic(&s.protocol).events()[i].kind {
                EventKind::ShiftReservation { party, .. } => {
                    format!("{} reservation shift (event {i})", name(party))
                }
                _ => format!("size of event {i}"),
            },
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
        other => dynamic(other).order().to_vec(),
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
        let n = &s.parties[p].negotiation;
        out.push((format!("{name}.discount"), Knob::Discount(p)));
        if alternating {
            for &key in n.tactic().keys() {
                out.push((
                    format!("{name}.tactic.{}", key.name()),
                    Knob::Tactic(p, key),
                ));
            }
            if let Respond::Threshold(_) = n.respond() {
                out.push((format!("{name}.respond.threshold"), Knob::Threshold(p)));
            }
        }
    }
    for (i, e) in b.events().iter().enumerate() {
        out.push((format!("events.{i}.step"), Knob::EventStep(i)));
        if let EventKind::ShiftReservation { .. } = e.kind {
            out.push((format!("events.{i}.by"), Knob::EventBy(i)));
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
                let tactic = s.parties[p].negotiation.tactic();
                if let Some(k) = TacticKey::ALL.iter().find(|k| k.name() == key) {
                    let takes: Vec<&str> = tactic.keys().iter().map(|k| k.name()).collect();
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
        .help(match knob.get(s) {
            Some(Param::Fixed(v)) => {
                format!("the scenario has {name} = {}", crate::text::decimal(v))
            }
            _ => format!("{name} is left to its default in the scenario"),
        }));
    };
    let (from, to) = if knob.integer() {
        (from.round(), to.round())
    } else {
        (from, to)
    };
    // Each end alone, on a copy of the scenario: a value its parameter cannot take is the
    // end's fault; a clash with another setting is reported at the point that has it.
    for (about, v) in [(About::From(i), from), (About::To(i), to)] {
        if let Err(e) = knob.set(&mut s.clone(), v)
            && v.is_finite()
            && e.is_out_of_range()
        {
            return Err(Invalid::new(
                about,
                format!("{} is outside the range of {name}", crate::text::decimal(v)),
            )
            .help(e.to_string()));
        }
    }
    let (from, to) = bounds(i, from, to)?;
    let mut values = linspace(from, to, point_count(i, points)?);
    if knob.integer() {
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

/// What only clashes once every knob of a point is set: a quota above the voters, or a
/// Baron–Ferejohn game without a unique stationary equilibrium.
pub(super) fn check_point(s: &Scenario) -> Result<(), String> {
    if let Rule::Quota { quota } = *s.protocol.rule() {
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
    Ok(())
}
