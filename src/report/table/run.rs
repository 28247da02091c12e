//! Proposals put to the parties: a block per proposal, a row per party.

use std::fmt::Write;

use super::{prob, short_names};
use crate::protocol::DealResult;

/// Width of the name column.
const NAME: usize = 24;

/// `rule` names a rule other than the default (unanimity of the veto holders).
pub(super) fn proposals(out: &mut String, results: &[DealResult], rule: Option<&str>) {
    if let Some(rule) = rule {
        let _ = writeln!(out, "rule: {rule}");
    }
    let label = if rule.is_some() {
        "agreement (by the rule)"
    } else {
        "agreement (all vetoes)"
    };
    for r in results {
        let names: Vec<&str> = r.parties.iter().map(|p| p.party.as_str()).collect();
        let names = short_names(&names, NAME);
        let _ = writeln!(out);
        let _ = writeln!(
            out,
            "{:<w$}       accept   95% interval     utility   margin",
            short_names(&[&r.proposal], NAME + 2)[0],
            w = NAME + 2
        );
        let a = &r.agreement;
        let _ = writeln!(
            out,
            "  {:<NAME$}       {:>6}   [{}, {}]",
            label,
            prob(a.p),
            prob(a.lo),
            prob(a.hi)
        );
        for (p, name) in r.parties.iter().zip(&names) {
            let _ = writeln!(
                out,
                "  {:<NAME$} {:<4}  {:>6}   [{}, {}]   {:>7.3}  {:>7.3}",
                name,
                if p.veto { "veto" } else { "" },
                prob(p.accept.p),
                prob(p.accept.lo),
                prob(p.accept.hi),
                p.mean_utility,
                p.mean_margin
            );
        }
    }
}
