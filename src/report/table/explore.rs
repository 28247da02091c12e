//! `accord concessions` and `accord search`: a block per concession or found deal.

use std::fmt::Write;

use super::{list, prob};
use crate::explore::{ConcessionsResult, SearchResult};
use crate::protocol::ratify::Change;
use crate::text::thousands;

/// A change of a probability in percentage points with its paired interval:
/// `+12.3 [+11.9, +12.7]`.
pub(super) fn change(c: &Change) -> String {
    let pts = |x: f64| {
        if x.is_nan() {
            "-".to_string()
        } else {
            format!("{:+.2}", x * 100.0)
        }
    };
    format!("{} [{}, {}]", pts(c.delta), pts(c.lo), pts(c.hi))
}

/// The concessions, best first: the change in agreement, in each party's acceptance and in
/// its mean utility.
pub(super) fn concessions(out: &mut String, r: &ConcessionsResult) {
    let b = &r.base;
    let head = format!(
        "{}: agreement {} [{}, {}]; acceptance:",
        r.proposal,
        prob(b.agreement.p),
        prob(b.agreement.lo),
        prob(b.agreement.hi),
    );
    let accept: Vec<String> = b
        .parties
        .iter()
        .map(|p| format!("{} {}", p.party, prob(p.accept.p)))
        .collect();
    list(out, &head, &accept, 2);
    let pairs = match r.pairs_among {
        Some(k) => format!("; pairs among the {k} best single changes"),
        None => String::new(),
    };
    let _ = writeln!(
        out,
        "{} changes ranked by {}{pairs}",
        r.concessions.len(),
        r.ranked_by
    );
    let _ = writeln!(
        out,
        "changes in percentage points, with paired 95% intervals (the same worlds)"
    );
    for (rank, c) in r.concessions.iter().enumerate() {
        let _ = writeln!(out);
        let _ = writeln!(out, "{:>3}  {}", rank + 1, super::fit(&c.label, 74));
        let _ = writeln!(out, "     agreement {}", change(&c.agreement));
        let accept: Vec<String> = c
            .parties
            .iter()
            .map(|p| format!("{} {}", p.party, change(&p.accept)))
            .collect();
        list(out, "     acceptance:", &accept, 7);
        let utility: Vec<String> = c
            .parties
            .iter()
            .map(|p| format!("{} {:+.3}", p.party, p.utility))
            .collect();
        list(out, "     mean utility:", &utility, 7);
    }
}

/// The best deals found, best first (after the named proposals' objective, for comparison):
/// objective, agreement and each party's acceptance with their intervals, the deal's clauses,
/// how it differs from each named proposal; then how sure the ranking is.
pub(super) fn search(out: &mut String, r: &SearchResult) {
    let mut how = format!(
        "search for the best {} over {} deals ({})",
        r.objective,
        thousands(r.space as i128),
        r.method
    );
    if let Some(w) = &r.within {
        how.push_str(&format!(", within {w}"));
    }
    let _ = writeln!(out, "{}", super::fit(&how, super::WIDTH));
    if !r.constraints.is_empty() {
        list(out, "constraints:", &r.constraints, 2);
    }
    if !r.stages.is_empty() {
        let stages: Vec<String> = r
            .stages
            .iter()
            .map(|s| {
                format!(
                    "{} on {}",
                    thousands(s.deals as i128),
                    thousands(s.rounds as i128)
                )
            })
            .collect();
        list(out, "stages (deals on rounds):", &stages, 2);
    }
    let _ = writeln!(
        out,
        "{} of {} deals played on every round meet the constraints",
        thousands(r.feasible as i128),
        thousands(r.evaluated as i128)
    );
    if !r.proposals.is_empty() {
        let named: Vec<String> = r
            .proposals
            .iter()
            .map(|p| {
                let miss = if p.meets_constraints {
                    ""
                } else {
                    " (misses a constraint)"
                };
                format!("{} {:.3}{miss}", p.proposal, p.objective)
            })
            .collect();
        let head = format!("named proposals in the space, {}:", r.objective);
        list(out, &head, &named, 2);
    }
    for d in &r.deals {
        let _ = writeln!(out);
        let a = &d.agreement;
        let flag = if d.meets_constraints {
            ""
        } else {
            "  (misses a constraint)"
        };
        let _ = writeln!(
            out,
            "{:>3}  {} {:.3}   agreement {} [{}, {}]{flag}",
            d.rank,
            r.objective,
            d.objective,
            prob(a.p),
            prob(a.lo),
            prob(a.hi)
        );
        let clauses: Vec<String> = d
            .clauses
            .iter()
            .map(|c| format!("{} {}", c.clause, c.value))
            .collect();
        list(out, "     deal:", &clauses, 7);
        let accept: Vec<String> = d
            .parties
            .iter()
            .map(|p| {
                format!(
                    "{} {} [{}, {}] u {:.3}",
                    p.party,
                    prob(p.accept.p),
                    prob(p.accept.lo),
                    prob(p.accept.hi),
                    p.mean_utility
                )
            })
            .collect();
        list(out, "     acceptance:", &accept, 7);
        for diff in &d.differs {
            let head = format!("     vs {}:", diff.proposal);
            if diff.changes.is_empty() {
                let _ = writeln!(out, "{head} the same deal");
            } else {
                list(out, &head, &diff.changes, 7);
            }
        }
    }
    if let Some(c) = &r.confidence {
        let _ = writeln!(out);
        let verdict = match c.distinguishable {
            Some(true) => "distinguishable",
            Some(false) => "not distinguishable at 95%",
            None => "agreement only: the expected value has no paired interval",
        };
        let what = match &c.objective {
            Some(o) => change(o),
            None => change(&c.agreement),
        };
        // Wrapped, not cut: the verdict is the line's point.
        super::wrap(
            out,
            &format!("best − second (paired, points): {what} — {verdict}"),
        );
    }
}
