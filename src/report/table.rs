//! Text tables for an 80-column terminal.

use std::fmt::Write;

use super::prob;
use crate::model::clause::group_thousands;
use crate::protocol::RatifyResult;

const NAME: usize = 24;

/// Fits `s` into `width` characters, marking a cut with `…`.
fn fit(s: &str, width: usize) -> String {
    if s.chars().count() <= width {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(width - 1).collect();
        t.push('…');
        t
    }
}

/// The run's estimates, a block per proposal.
pub fn ratify_table(result: &RatifyResult) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", result.scenario);
    let _ = writeln!(
        out,
        "protocol {} · {} rounds · seed {} · 95% Wilson intervals",
        result.protocol,
        group_thousands(result.rounds as i64),
        result.seed
    );
    for r in &result.results {
        let _ = writeln!(out);
        let _ = writeln!(out, "{:<w$}       accept   95% interval     utility   margin", fit(&r.proposal, NAME + 2), w = NAME + 2);
        let a = &r.agreement;
        let _ = writeln!(out, "  {:<NAME$}       {:>6}   [{}, {}]", "agreement (all vetoes)", prob(a.p), prob(a.lo), prob(a.hi));
        for p in &r.parties {
            let _ = writeln!(
                out,
                "  {:<NAME$} {:<4}  {:>6}   [{}, {}]   {:>7.3}  {:>7.3}",
                fit(&p.party, NAME),
                if p.veto { "veto" } else { "" },
                prob(p.accept.p),
                prob(p.accept.lo),
                prob(p.accept.hi),
                p.mean_utility,
                p.mean_margin
            );
        }
    }
    out
}
