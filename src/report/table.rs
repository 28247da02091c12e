//! Text tables for an 80-column terminal.

use std::fmt::Write;

use super::prob;
use crate::analysis::seeds::SeedsReport;
use crate::model::clause::group_thousands;
use crate::protocol::RatifyResult;
use crate::sweep::SweepResult;

const NAME: usize = 24;
/// Terminal width the tables fit.
const WIDTH: usize = 80;

/// `ratify, 100,000 rounds, seed 2025, 95% Wilson intervals` (at most 71 characters).
fn run_line(protocol: &str, rounds: u64, seed: u64) -> String {
    fit(
        &format!(
            "{protocol}, {} rounds, seed {seed}, 95% Wilson intervals",
            group_thousands(rounds)
        ),
        WIDTH,
    )
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
    let _ = writeln!(
        out,
        "{}",
        run_line(&result.protocol, result.rounds, result.seed)
    );
    for r in &result.results {
        let _ = writeln!(out);
        let _ = writeln!(
            out,
            "{:<w$}       accept   95% interval     utility   margin",
            fit(&r.proposal, NAME + 2),
            w = NAME + 2
        );
        let a = &r.agreement;
        let _ = writeln!(
            out,
            "  {:<NAME$}       {:>6}   [{}, {}]",
            "agreement (all vetoes)",
            prob(a.p),
            prob(a.lo),
            prob(a.hi)
        );
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

/// A sweep as a table: one row per point, the acceptance probability of every party — or,
/// for a dynamic protocol (where every party accepts exactly the agreed deals), every
/// party's mean utility of the agreed deal.
pub fn sweep_table(result: &SweepResult) -> String {
    let m = &result.meta;
    let dynamic = m.protocol != "ratify";
    let mut out = String::new();
    let _ = writeln!(out, "{}", fit(&m.scenario, WIDTH));
    let _ = writeln!(out, "{}", fit(&format!("sweep {}", m.description), WIDTH));
    let _ = writeln!(out, "{}", run_line(&m.protocol, m.rounds, m.seed));
    if dynamic {
        let _ = writeln!(out, "party columns: mean utility of the agreed deal");
    }
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
        let _ = write!(
            line,
            "{:>22}",
            format!("{} [{}, {}]", prob(g.p), prob(g.lo), prob(g.hi))
        );
        for p in &point.parties {
            if dynamic {
                let u = if p.mean_utility.is_finite() {
                    format!("{:.3}", p.mean_utility)
                } else {
                    "-".to_string()
                };
                let _ = write!(line, " {u:>8}");
            } else {
                let _ = write!(line, " {:>8}", prob(p.accept.p));
            }
        }
        let _ = writeln!(out, "{line}");
    }
    out
}

/// `accord seeds`: each estimate's spread across seeds beside its reported error.
pub fn seeds_table(r: &SeedsReport) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", fit(&r.scenario, WIDTH));
    let first = r.seeds.first().copied().unwrap_or(0);
    let last = r.seeds.last().copied().unwrap_or(0);
    let _ = writeln!(
        out,
        "{}",
        fit(
            &format!(
                "{}, {} rounds per seed, {} seeds ({first} … {last})",
                r.protocol,
                group_thousands(r.rounds),
                r.seeds.len()
            ),
            WIDTH
        )
    );
    let _ = writeln!(
        out,
        "spread = SD of the estimates across seeds; se = mean reported standard error"
    );
    let mut proposal = "";
    for e in &r.estimates {
        if e.proposal != proposal {
            proposal = &e.proposal;
            let _ = writeln!(out);
            let _ = writeln!(
                out,
                "{:<26} {:>7} {:>8} {:>8} {:>6}  verdict",
                fit(proposal, 26),
                "mean",
                "spread",
                "se",
                "ratio"
            );
        }
        let ratio = if e.ratio.is_nan() {
            "-".to_string()
        } else {
            format!("{:.2}", e.ratio)
        };
        let _ = writeln!(
            out,
            "  {:<24} {:>7} {:>8.5} {:>8.5} {:>6}  {}",
            fit(&e.estimate, 24),
            prob(e.mean),
            e.spread,
            e.mean_se,
            ratio,
            e.verdict.text()
        );
    }
    let _ = writeln!(out);
    let band = r.estimates.first().map(|e| e.band).unwrap_or([0.0, 0.0]);
    let _ = writeln!(
        out,
        "{}",
        fit(
            &format!(
                "consistent: ratio inside [{:.2}, {:.2}], the central 99% for {} seeds",
                band[0],
                band[1],
                r.seeds.len()
            ),
            WIDTH
        )
    );
    out
}
