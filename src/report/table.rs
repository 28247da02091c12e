//! Text tables for an 80-column terminal.

use std::fmt::Write;

use super::prob;
use crate::model::clause::group_thousands;
use crate::protocol::RatifyResult;
use crate::sweep::SweepResult;

const NAME: usize = 24;
/// Terminal width the tables fit.
const WIDTH: usize = 80;

/// `ratify, 100,000 rounds, seed 2025, 95% Wilson intervals` (at most 71 characters).
fn run_line(protocol: &str, rounds: u64, seed: u64) -> String {
    fit(&format!("{protocol}, {} rounds, seed {seed}, 95% Wilson intervals", group_thousands(rounds)), WIDTH)
}

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
    let _ = writeln!(out, "{}", fit(&result.scenario, WIDTH));
    let _ = writeln!(out, "{}", run_line(&result.protocol, result.rounds, result.seed));
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

/// A sweep as a table: one row per point, the acceptance probability of every party.
pub fn sweep_table(result: &SweepResult) -> String {
    let m = &result.meta;
    let mut out = String::new();
    let _ = writeln!(out, "{}", fit(&m.scenario, WIDTH));
    let _ = writeln!(out, "{}", fit(&format!("sweep {}", m.description), WIDTH));
    let _ = writeln!(out, "{}", run_line(&m.protocol, m.rounds, m.seed));
    let _ = writeln!(out);
    let xw = 16;
    let mut header = String::new();
    for a in &m.axes {
        let _ = write!(header, "{:>xw$} ", fit(&a.name, xw));
    }
    let _ = write!(header, "{:>22}", "agreement [95%]");
    for p in &m.parties {
        let _ = write!(header, " {:>8}", fit(p, 8));
    }
    let _ = writeln!(out, "{}", header.trim_end());
    for point in &result.points {
        let mut line = String::new();
        for (a, x) in m.axes.iter().zip(&point.x) {
            let text = match &a.options {
                Some(opts) => opts.get(*x as usize).cloned().unwrap_or_default(),
                None if a.integer => group_thousands(x.round() as i64),
                None => format!("{x:.4}"),
            };
            let _ = write!(line, "{:>xw$} ", fit(&text, xw));
        }
        let g = &point.agreement;
        let _ = write!(line, "{:>22}", format!("{} [{}, {}]", prob(g.p), prob(g.lo), prob(g.hi)));
        for p in &point.parties {
            let _ = write!(line, " {:>8}", prob(p.accept.p));
        }
        let _ = writeln!(out, "{line}");
    }
    out
}
