//! `accord concessions` and `accord search`: a block per concession or found deal.

use std::fmt::Write;

use super::{list, prob};
use crate::explore::ConcessionsResult;
use crate::protocol::ratify::Change;

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
