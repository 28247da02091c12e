//! Validation of the dynamic protocols' settings: `[protocol]` keys of `alternating`,
//! `mediated` and `equilibrium`, each party's `discount`, `tactic` and `respond`, and
//! `[[events]]`. Errors carry key paths like the rest of [`super`].

use super::{BuildError, Builder, Result, Target, err, key_err, unknown};
use crate::model::space::{DEFAULT_RESOLUTION, MAX_RESOLUTION, MIN_RESOLUTION};
use crate::model::*;
use crate::scenario::raw::*;

/// Protocol kinds that move over steps and are built here.
pub const DYNAMIC_KINDS: [&str; 3] = ["alternating", "mediated", "equilibrium"];

/// Every dynamic protocol kind: those above and `baron_ferejohn` ([`super::voting`]).
pub const ALL_DYNAMIC_KINDS: [&str; 4] =
    ["alternating", "mediated", "equilibrium", "baron_ferejohn"];

const TACTICS: [&str; 3] = ["time", "tit_for_tat", "hardliner"];

/// Each party's discount, tactic and response rule, in party order. Built for every
/// scenario, so these keys are checked whatever the protocol (ratify ignores them).
pub(super) fn negotiations(b: &mut Builder, raw: &RawScenario) -> Result<Vec<Negotiation>> {
    raw.parties
        .iter()
        .map(|(name, p)| negotiation(b, name, p))
        .collect()
}

/// A party-level [`DynamicError`] at the key it is about.
fn party_err(name: &str, e: DynamicError) -> BuildError {
    fn at<'a>(name: &'a str, k: &[&'a str]) -> Vec<&'a str> {
        [&["parties", name][..], k].concat()
    }
    let at = |k: &[&'static str]| at(name, k);
    let path = match &e {
        DynamicError::Discount(_) => at(&["discount"]),
        DynamicError::Threshold(_) => at(&["respond", "threshold"]),
        DynamicError::NearDeadline(_) => at(&["respond", "reservation_near_deadline"]),
        DynamicError::TacticParam { key, .. } => at(&["tactic", key]),
        _ => at(&["tactic", "min"]),
    };
    let help = matches!(e, DynamicError::Discount(_))
        .then(|| "1 means no discounting; 0.95 loses 5% of a deal's value per step".to_string());
    err(&path, e.to_string()).with_help(help)
}

fn negotiation(b: &mut Builder, name: &str, p: &RawParty) -> Result<Negotiation> {
    let discount = p
        .discount
        .as_ref()
        .map(|d| b.param(d, ParamDomain::Unit, &["parties", name, "discount"]))
        .transpose()?;
    let tactic = p.tactic.as_ref().map(|t| tactic(b, name, t)).transpose()?;
    let respond = match &p.respond {
        None => None,
        Some(RawRespond::Next) => Some(Respond::Next),
        Some(RawRespond::Threshold(u)) => Some(Respond::Threshold(b.param(
            u,
            ParamDomain::Unit,
            &["parties", name, "respond", "threshold"],
        )?)),
        Some(RawRespond::ReservationNearDeadline(n)) => Some(Respond::ReservationNearDeadline(
            u32::try_from(*n).map_err(|_| party_err(name, DynamicError::NearDeadline(*n)))?,
        )),
    };
    Negotiation::new(tactic, discount, respond).map_err(|e| party_err(name, e))
}

fn tactic(b: &mut Builder, name: &str, t: &RawTactic) -> Result<Tactic> {
    let path = |k: &'static str| ["parties", name, "tactic", k];
    let allowed: &[&str] = match t.kind.as_str() {
        "time" => &["e", "k", "min", "max"],
        "tit_for_tat" => &["factor", "min", "max"],
        "hardliner" => &["level"],
        other => {
            return Err(
                unknown(&path("kind"), "tactic", other, &TACTICS).with_target(Target::Value)
            );
        }
    };
    let given = [
        ("e", t.e.is_some()),
        ("k", t.k.is_some()),
        ("min", t.min.is_some()),
        ("max", t.max.is_some()),
        ("level", t.level.is_some()),
        ("factor", t.factor.is_some()),
    ];
    for (key, present) in given {
        if present && !allowed.contains(&key) {
            return Err(key_err(
                &path(key),
                format!("`{key}` is not a parameter of the {} tactic", t.kind),
                Some(format!(
                    "the {} tactic takes: {}",
                    t.kind,
                    allowed.join(", ")
                )),
            ));
        }
    }
    let opt = |b: &mut Builder,
               raw: &Option<RawParam>,
               domain: ParamDomain,
               key: &'static str|
     -> Result<Option<Param>> {
        raw.as_ref()
            .map(|r| b.param(r, domain, &path(key)))
            .transpose()
    };
    let min = opt(b, &t.min, ParamDomain::Unit, "min")?;
    let max = opt(b, &t.max, ParamDomain::Unit, "max")?;
    match t.kind.as_str() {
        "time" => {
            let e = opt(b, &t.e, ParamDomain::Positive, "e")?;
            let k = opt(b, &t.k, ParamDomain::Unit, "k")?;
            Tactic::time(e, k, min, max)
        }
        "tit_for_tat" => {
            let factor = opt(b, &t.factor, ParamDomain::NonNegative, "factor")?;
            Tactic::tit_for_tat(factor, min, max)
        }
        _ => Tactic::hardliner(opt(b, &t.level, ParamDomain::Unit, "level")?),
    }
    .map_err(|e| party_err(name, e))
}

/// Rejects party keys that the scenario's protocol does not use (they would otherwise be
/// silently ignored), as [`check_ratify`] and [`protocol`] do for `[protocol]` keys.
/// An unknown protocol kind is left to the protocol's own error.
pub(super) fn check_party_keys(raw: &RawScenario) -> Result<()> {
    let kind = raw.protocol.as_ref().map_or("ratify", |p| p.kind.as_str());
    // Which protocols each party key applies to.
    const APPLIES: [(&str, &[&str]); 3] = [
        ("discount", &["alternating", "mediated", "equilibrium"]),
        ("tactic", &["alternating"]),
        ("respond", &["alternating"]),
    ];
    if kind != "ratify" && kind != "baron_ferejohn" && !DYNAMIC_KINDS.contains(&kind) {
        return Ok(());
    }
    for (name, p) in &raw.parties {
        let given = [
            p.discount.is_some(),
            p.tactic.is_some(),
            p.respond.is_some(),
        ];
        for ((key, kinds), present) in APPLIES.iter().zip(given) {
            if present && !kinds.contains(&kind) {
                let why = match *key {
                    "discount" if kind == "baron_ferejohn" => {
                        "its members share one discount, [protocol] discount"
                    }
                    "discount" => "ratification has no steps to discount over",
                    "tactic" => "only proposers in alternating offers concede by a tactic",
                    _ => "only alternating offers are answered by a response rule",
                };
                return Err(key_err(
                    &["parties", name, key],
                    format!("`{key}` does not apply to the {kind} protocol: {why}"),
                    Some(format!(
                        "`{key}` applies to kind = {}; remove it here",
                        quoted(kinds)
                    )),
                ));
            }
        }
    }
    Ok(())
}

/// Rejects dynamic-protocol keys under `ratify`, which would otherwise be silently ignored.
pub(super) fn check_ratify(raw: &RawScenario) -> Result<()> {
    if let Some(p) = &raw.protocol {
        let keys = [
            ("order", p.order.is_some()),
            ("deadline", p.deadline.is_some()),
            ("breakdown", p.breakdown.is_some()),
            ("resolution", p.resolution.is_some()),
            ("start", p.start.is_some()),
            ("mediator", p.mediator.is_some()),
            ("discount", p.discount.is_some()),
            ("recognition", p.recognition.is_some()),
            ("pie", p.pie.is_some()),
        ];
        if let Some((key, _)) = keys.iter().find(|k| k.1) {
            return Err(key_err(
                &["protocol", key],
                format!("`{key}` does not apply to the ratify protocol"),
                Some(format!(
                    "`{key}` belongs to the dynamic protocols: kind = {}",
                    quoted(&ALL_DYNAMIC_KINDS)
                )),
            ));
        }
    }
    if !raw.events.is_empty() {
        return Err(key_err(
            &["events"],
            "events apply to the alternating and mediated protocols, not ratify",
            Some(
                "set [protocol] kind = \"alternating\" or \"mediated\", or remove the [[events]]"
                    .into(),
            ),
        ));
    }
    Ok(())
}

fn quoted(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("\"{n}\""))
        .collect::<Vec<_>>()
        .join(" | ")
}

/// Builds a dynamic protocol (its breakdown risk is set on the finished scenario, so the
/// breakdown draw's slot comes last and no correlation can name it: see [`breakdown`]).
pub(super) fn protocol(
    b: &mut Builder,
    raw: &RawScenario,
    clauses: &[Clause],
    proposals: &[Proposal],
    parties: &[Party],
    rule: Rule,
) -> Result<ProtocolSpec> {
    let Some(p) = raw.protocol.as_ref() else {
        return Err(err(&["protocol"], "no protocol"));
    };
    let kind = p.kind.as_str();
    let names: Vec<&str> = parties.iter().map(|q| q.name.as_str()).collect();
    let only = |key: &str, present: bool, kinds: &[&str]| -> Result<()> {
        if present && !kinds.contains(&kind) {
            return Err(key_err(
                &["protocol", key],
                format!("`{key}` does not apply to the {kind} protocol"),
                Some(format!("`{key}` applies to kind = {}", quoted(kinds))),
            ));
        }
        Ok(())
    };
    only("proposals", p.proposals.is_some(), &["ratify"])?;
    only("order", p.order.is_some(), &["alternating", "equilibrium"])?;
    only(
        "breakdown",
        p.breakdown.is_some(),
        &["alternating", "mediated"],
    )?;
    only("start", p.start.is_some(), &["mediated"])?;
    only("mediator", p.mediator.is_some(), &["mediated"])?;
    only("discount", p.discount.is_some(), &["baron_ferejohn"])?;
    only("recognition", p.recognition.is_some(), &["baron_ferejohn"])?;
    only("pie", p.pie.is_some(), &["equilibrium"])?;
    if kind == "equilibrium" && !rule.is_unanimity() {
        return Err(key_err(
            &["protocol", "rule"],
            format!(
                "the equilibrium protocol is not defined under a {} rule: in stacked alternating offers the proposer may buy any cheapest set of acceptors, and the others' continuation values depend on which set it picks",
                rule.name()
            ),
            Some(
                "use the default rule (unanimity), or kind = \"baron_ferejohn\" for a quota with random recognition"
                    .into(),
            ),
        ));
    }
    if kind == "equilibrium" && !raw.events.is_empty() {
        return Err(key_err(
            &["events"],
            "events apply to the alternating and mediated protocols, not equilibrium",
            Some("the equilibrium is solved for a fixed game; remove the [[events]]".into()),
        ));
    }

    let order = match &p.order {
        Some(list) => {
            let mut order = Vec::with_capacity(list.len());
            for (i, n) in list.iter().enumerate() {
                let at = i.to_string();
                let path = ["protocol", "order", at.as_str()];
                let idx = names
                    .iter()
                    .position(|q| q == n)
                    .ok_or_else(|| unknown(&path, "party", n, &names).with_target(Target::Value))?;
                if order.contains(&idx) {
                    return Err(err(
                        &path,
                        format!("party `{n}` is named twice in the turn order"),
                    ));
                }
                order.push(idx);
            }
            order
        }
        // Under a quota or weighted rule every party negotiates by default (vetoes are then
        // the exception, not the rule).
        None if !rule.is_unanimity() => (0..parties.len()).collect(),
        None => (0..parties.len()).filter(|&i| parties[i].veto).collect(),
    };
    let order_key = if p.order.is_some() { "order" } else { "kind" };
    if kind != "mediated" && order.len() < 2 {
        return Err(err(
            &["protocol", order_key],
            format!(
                "{} need at least two negotiators; the turn order has {}",
                if kind == "equilibrium" {
                    "the equilibrium's alternating offers"
                } else {
                    "alternating offers"
                },
                order.len()
            ),
        )
        .with_help(Some(
            "list them: order = [\"a\", \"b\"] (by default, the veto parties)".into(),
        )));
    }
    if kind == "alternating"
        && let Rule::Quota { quota } = rule
        && quota > order.len()
    {
        return Err(err(
            &["protocol", "rule", "quota"],
            format!(
                "`quota` is {quota}, but only {} negotiate: no offer could pass",
                order.len()
            ),
        ));
    }
    let pie = match p.pie {
        Some(true) => {
            if order.len() != parties.len() {
                return Err(err(
                    &["protocol", order_key],
                    "a pie is divided among every party: each must negotiate (list them all in `order`)",
                ));
            }
            Some(super::voting::pie(
                clauses,
                parties,
                "the equilibrium over a pie",
            )?)
        }
        _ => None,
    };

    let resolution = match p.resolution {
        None => DEFAULT_RESOLUTION,
        Some(r) => usize::try_from(r).unwrap_or(0),
    };
    // Where a deal-space error points: the resolution when it is given.
    let space_path = [
        "protocol",
        if p.resolution.is_some() {
            "resolution"
        } else {
            "kind"
        },
    ];
    let space = DealSpace::new(clauses, resolution, proposals).map_err(|e| match e {
        SpaceError::Resolution(_) => err(
            &["protocol", "resolution"],
            format!(
                "`resolution` must be a number of grid points from {MIN_RESOLUTION} to {MAX_RESOLUTION}, got {}",
                p.resolution.unwrap_or(0)
            ),
        ),
        other => err(&space_path, other.to_string()),
    })?;
    let deadline = p.deadline.unwrap_or(DEFAULT_DEADLINE.into());
    let mut dynamic = DynamicSpec::new(order, &space, deadline, kind == "equilibrium")
        .map(|d| d.with_rule(rule))
        .map_err(|e| match e {
            DynamicError::Outcomes(_) => err(&space_path, e.to_string()).with_help(Some(
                "lower `resolution` (grid points per range clause)".into(),
            )),
            DynamicError::Work { .. } => err(
                &[
                    "protocol",
                    if p.deadline.is_some() {
                        "deadline"
                    } else {
                        "kind"
                    },
                ],
                e.to_string(),
            )
            .with_help(Some("lower `resolution` or `deadline`".into())),
            _ => err(&["protocol", "deadline"], e.to_string()),
        })?;
    let events = events(b, raw, &names)?;
    dynamic.set_events(events).map_err(event_err)?;
    let mediator = match &p.mediator {
        None => Mediator::Neutral,
        Some(m) if m == "neutral" => Mediator::Neutral,
        Some(m) => {
            let mut known = names.clone();
            known.push("neutral");
            let i = names.iter().position(|q| q == m).ok_or_else(|| {
                unknown(&["protocol", "mediator"], "mediator", m, &known).with_target(Target::Value)
            })?;
            Mediator::Party(i)
        }
    };
    if let Mediator::Party(m) = mediator {
        for e in dynamic.events() {
            if e.kind == (EventKind::Leave { party: m }) {
                return Err(err(
                    &["protocol", "mediator"],
                    format!(
                        "the mediator `{}` leaves at step {}: a mediator cannot leave",
                        names[m], e.step
                    ),
                ));
            }
        }
    }
    Ok(match kind {
        "alternating" => ProtocolSpec::Alternating { dynamic },
        "equilibrium" => ProtocolSpec::Equilibrium { dynamic, pie },
        _ => {
            let pnames: Vec<&str> = proposals.iter().map(|q| q.name.as_str()).collect();
            let start = match &p.start {
                Some(s) => proposals.iter().position(|q| &q.name == s).ok_or_else(|| {
                    unknown(&["protocol", "start"], "proposal", s, &pnames)
                        .with_target(Target::Value)
                })?,
                None => {
                    return Err(err(&["protocol"], "the mediated protocol needs `start`: the proposal the single text starts from")
                        .with_help(Some(match pnames.first() {
                            Some(n) => format!("for example start = \"{n}\""),
                            None => "add a [proposals.NAME] table and start = \"NAME\"".into(),
                        })));
                }
            };
            ProtocolSpec::Mediated {
                dynamic,
                start,
                mediator,
            }
        }
    })
}

/// Sets the file's breakdown risk on the finished scenario: its draw is the scenario's last
/// uncertain parameter.
pub(super) fn breakdown(raw: &RawScenario, scenario: &mut Scenario) -> Result<()> {
    let Some(x) = raw.protocol.as_ref().and_then(|p| p.breakdown) else {
        return Ok(());
    };
    scenario.set_breakdown(x).map_err(|e| {
        err(&["protocol", "breakdown"], e.to_string()).with_help(Some(
            "it is the chance that talks collapse at each step; 0 means never".into(),
        ))
    })
}

/// An event's [`DynamicError`] at the key it is about.
fn event_err(e: DynamicError) -> BuildError {
    let (i, key, help) = match &e {
        DynamicError::EventStep { event, .. } => (*event, vec!["step"], None),
        DynamicError::EventPastDeadline { event, .. } => (
            *event,
            vec!["step"],
            Some("move the event earlier, or extend the deadline (in [protocol] or by an earlier deadline event)".to_string()),
        ),
        DynamicError::EventDeadline { event, .. } => (*event, vec!["deadline"], None),
        DynamicError::EventShift { event, .. } => (*event, vec!["shift_reservation", "by"], None),
        _ => (0, vec![], None),
    };
    let at = i.to_string();
    let path: Vec<&str> = ["events", at.as_str()].into_iter().chain(key).collect();
    err(&path, e.to_string()).with_help(help)
}

fn events(b: &mut Builder, raw: &RawScenario, names: &[&str]) -> Result<Vec<Event>> {
    let mut out = Vec::with_capacity(raw.events.len());
    for (i, e) in raw.events.iter().enumerate() {
        let at = i.to_string();
        let base = ["events", at.as_str()];
        let step = u32::try_from(e.step).map_err(|_| {
            event_err(DynamicError::EventStep {
                event: i,
                step: e.step,
            })
        })?;
        let kinds = [
            e.shift_reservation.is_some(),
            e.leave.is_some(),
            e.deadline.is_some(),
        ];
        let count = kinds.iter().filter(|k| **k).count();
        if count != 1 {
            return Err(err(&base, format!("an event needs exactly one of `shift_reservation`, `leave`, `deadline`; this one has {count}"))
                .with_help(Some("for example { step = 3, shift_reservation = { party = \"a\", by = -0.1 } }".into())));
        }
        let party = |key: &'static str, sub: Option<&'static str>, n: &str| -> Result<usize> {
            names.iter().position(|q| *q == n).ok_or_else(|| {
                let p: Vec<&str> = match sub {
                    Some(s) => vec![base[0], base[1], key, s],
                    None => vec![base[0], base[1], key],
                };
                unknown(&p, "party", n, names).with_target(Target::Value)
            })
        };
        let kind = if let Some(s) = &e.shift_reservation {
            let p = party("shift_reservation", Some("party"), &s.party)?;
            let by = b.param(
                &s.by,
                ParamDomain::Real,
                &[base[0], base[1], "shift_reservation", "by"],
            )?;
            EventKind::ShiftReservation { party: p, by }
        } else if let Some(n) = &e.leave {
            EventKind::Leave {
                party: party("leave", None, n)?,
            }
        } else {
            let d = e.deadline.unwrap_or(0);
            let steps = u32::try_from(d).map_err(|_| {
                event_err(DynamicError::EventDeadline {
                    event: i,
                    step,
                    steps: d,
                })
            })?;
            EventKind::Deadline { steps }
        };
        out.push(Event { step, kind });
    }
    Ok(out)
}

/// A fresh slot holding a uniform draw on `[0, 1]` each round, recorded at `path`, for a
/// protocol's own randomness (so it comes from the round's seeded world like every other
/// draw).
pub(super) fn uniform_draw_slot(b: &mut Builder, path: &str) -> usize {
    let dist = crate::model::dist::Truncated::new(Dist::Uniform { lo: 0.0, hi: 1.0 }, 0.0, 1.0)
        .expect("the unit uniform has all its mass in [0, 1]");
    b.uncertain.push(UncertainParam {
        path: path.to_string(),
        dist,
    });
    b.uncertain.len() - 1
}
