//! A readable account of a dynamic protocol's settings, for `accord check`.

use std::fmt::Write;

use crate::model::{EventKind, Mediator, Param, ProtocolSpec, Respond, Scenario, TacticKind};

fn param(s: &Scenario, p: Param) -> String {
    match p {
        Param::Fixed(v) => format!("{v}"),
        Param::Slot(i) => s.uncertain[i].dist.dist.describe(),
    }
}

fn opt(s: &Scenario, p: Option<Param>, default: &str) -> String {
    p.map_or_else(|| default.to_string(), |p| param(s, p))
}

/// Lines describing the agreement rule (when it is not the default) and the dynamic protocol
/// of `s` (nothing more for ratify), each ending in a newline.
pub fn describe(s: &Scenario) -> String {
    let mut o = String::new();
    let rule = s.protocol.rule();
    if !rule.is_unanimity() {
        let voters = s.protocol.voters(s.parties.len());
        let _ = writeln!(o, "  rule: {}", rule.describe(&s.parties, voters));
    }
    let Some(b) = s.protocol.dynamic() else {
        return o;
    };
    let name = |p: usize| s.parties[p].name.as_str();
    if let ProtocolSpec::BaronFerejohn(bf) = &s.protocol {
        let recognition: Vec<String> = bf
            .recognition
            .iter()
            .enumerate()
            .map(|(p, r)| format!("{} {}", name(p), crate::text::decimal(*r)))
            .collect();
        let _ = writeln!(
            o,
            "  members recognised with probability {}; discount {}; a pie of {}",
            recognition.join(", "),
            crate::text::decimal(bf.discount),
            crate::text::decimal(bf.pie.size)
        );
        return o;
    }
    let outcomes = b.outcomes();
    let _ = writeln!(
        o,
        "  deadline {} steps, breakdown {} per step, range clauses at {} points ({} outcomes)",
        b.deadline(),
        b.breakdown(),
        b.resolution(),
        outcomes
    );
    match &s.protocol {
        ProtocolSpec::Mediated {
            start, mediator, ..
        } => {
            let m = match mediator {
                Mediator::Party(p) => name(*p).to_string(),
                Mediator::Neutral => "neutral".into(),
            };
            let every = !s.protocol.rule().is_unanimity();
            let voters: Vec<&str> = s
                .parties
                .iter()
                .filter(|p| p.veto || every)
                .map(|p| p.name.as_str())
                .collect();
            let _ = writeln!(
                o,
                "  mediator {m}, starting from {}; voting: {}",
                s.proposals[*start].name,
                voters.join(", ")
            );
        }
        _ => {
            let order: Vec<&str> = b.order().iter().map(|&p| name(p)).collect();
            let _ = writeln!(o, "  turn order: {}", order.join(", "));
        }
    }
    let dynamic_tactics = matches!(s.protocol, ProtocolSpec::Alternating { .. });
    for (p, party) in s.parties.iter().enumerate() {
        let agent = &party.negotiation;
        let mut line = format!("  {}: discount {}", name(p), param(s, agent.discount()));
        if dynamic_tactics {
            let tactic = match *agent.tactic().kind() {
                TacticKind::Time { e, k, min, max } => format!(
                    "time(e {}, k {}, min {}, max {})",
                    param(s, e),
                    param(s, k),
                    opt(s, min, "reservation"),
                    opt(s, max, "best")
                ),
                TacticKind::TitForTat { factor, min, max } => {
                    format!(
                        "tit_for_tat(factor {}, min {}, max {})",
                        param(s, factor),
                        opt(s, min, "reservation"),
                        opt(s, max, "best")
                    )
                }
                TacticKind::Hardliner { level } => {
                    format!("hardliner(level {})", opt(s, level, "best"))
                }
            };
            let respond = match *agent.respond() {
                Respond::Next => "next".to_string(),
                Respond::Threshold(t) => format!("threshold {}", param(s, t)),
                Respond::ReservationNearDeadline(k) => format!("reservation in the last {k} steps"),
            };
            let _ = write!(line, ", tactic {tactic}, respond {respond}");
        }
        let _ = writeln!(o, "{line}");
    }
    for e in b.schedule() {
        let what = match e.kind {
            EventKind::ShiftReservation { party, by } => {
                format!("{}'s reservation moves by {}", name(party), param(s, by))
            }
            EventKind::Leave { party } => format!("{} leaves", name(party)),
            EventKind::Deadline { steps } => format!("the deadline becomes {steps} steps"),
        };
        let _ = writeln!(o, "  event at step {}: {what}", e.step);
    }
    o
}
