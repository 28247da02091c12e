//! `accord check`: validate a scenario and describe it.

use std::fmt::Write;

use crate::error::Error;
use crate::model::{AcceptRule, Param, Scenario};
use crate::output::write_output;
use crate::scenario;
use crate::text::escape_controls;

pub(super) fn check(file: &std::path::Path) -> Result<(), Error> {
    let s = scenario::load(file)?;
    write_output(None, escape_controls(&describe(&s)).as_bytes())
}

fn param(s: &Scenario, p: Param) -> String {
    match p {
        Param::Fixed(v) => format!("{v}"),
        Param::Slot(i) => s.uncertain[i].dist.dist.describe(),
    }
}

/// A readable account of everything the scenario contains.
pub fn describe(s: &Scenario) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "{} — valid", s.name);
    if let Some(d) = &s.description {
        let _ = writeln!(o, "{d}");
    }
    let _ = writeln!(o, "\nclauses ({}):", s.clauses.len());
    for c in &s.clauses {
        let _ = writeln!(o, "  {:<20} {}", c.name, c.describe_domain());
        if let Some(n) = c.describe_negotiable() {
            let _ = writeln!(o, "  {:<20} negotiable: {n}", "");
        }
    }
    let _ = writeln!(o, "\nproposals ({}):", s.proposals.len());
    for p in &s.proposals {
        let values: Vec<String> = s
            .clauses
            .iter()
            .zip(&p.deal)
            .map(|(c, x)| format!("{}={}", c.name, c.format_value(*x)))
            .collect();
        let _ = writeln!(o, "  {:<20} {}", p.name, values.join(", "));
    }
    let _ = writeln!(o, "\nparties ({}):", s.parties.len());
    for p in &s.parties {
        let rule = match &p.accept {
            AcceptRule::Threshold => "threshold".to_string(),
            AcceptRule::Logit { temperature } => {
                format!("logit(temperature {})", param(s, *temperature))
            }
        };
        let _ = writeln!(
            o,
            "  {}{}: reservation {}, accept {}{}",
            p.name,
            if p.veto { " (veto)" } else { "" },
            param(s, p.reservation),
            rule,
            match &p.reference {
                Some(r) => format!(
                    ", reference {} (loss aversion {})",
                    r.proposal,
                    param(s, r.loss_aversion)
                ),
                None => String::new(),
            }
        );
        for (i, c) in s.clauses.iter().enumerate() {
            if p.weights[i] != Param::Fixed(0.0) {
                let f = p.values[i].as_ref().map(|f| f.family()).unwrap_or("-");
                let _ = writeln!(
                    o,
                    "    {:<18} weight {:<28} value {f}",
                    c.name,
                    param(s, p.weights[i])
                );
            }
        }
    }
    let _ = writeln!(o, "\nuncertain parameters: {}", s.uncertain.len());
    for u in &s.uncertain {
        let _ = writeln!(o, "  {:<40} {}", u.path, u.dist.dist.describe());
    }
    for (i, c) in s.correlations.iter().enumerate() {
        let names: Vec<&str> = c
            .slots
            .iter()
            .map(|&k| s.uncertain[k].path.as_str())
            .collect();
        let _ = writeln!(o, "correlation group {}: {}", i + 1, names.join(", "));
    }
    let _ = writeln!(o, "\nprotocol: {}", s.protocol.name());
    o.push_str(&crate::protocol::dynamic::describe::describe(s));
    let _ = writeln!(
        o,
        "simulation: {} rounds, seed {}",
        s.simulation.rounds, s.simulation.seed
    );
    o
}
