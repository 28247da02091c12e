//! `accord seeds`: each estimate's spread across seeds beside its reported error.

use std::fmt::Write;

use super::{line, prob, short_names};
use crate::analysis::seeds::SeedsReport;
use crate::text::thousands;

pub(super) fn table(r: &SeedsReport) -> String {
    let mut out = String::new();
    line(&mut out, &r.scenario);
    let first = r.seeds.first().copied().unwrap_or(0);
    let last = r.seeds.last().copied().unwrap_or(0);
    line(
        &mut out,
        &format!(
            "{}, {} rounds per seed, {} seeds ({first} … {last})",
            r.protocol,
            thousands(r.rounds),
            r.seeds.len()
        ),
    );
    line(
        &mut out,
        "spread = SD of the estimates across seeds; se = mean reported standard error",
    );
    let mut subject = "";
    for e in &r.estimates {
        if e.proposal != subject {
            subject = &e.proposal;
            let _ = writeln!(out);
            // A long subject (a sweep point's coordinates) gets a line of its own rather
            // than a cut that could make two read the same.
            let head = if subject.chars().count() <= 26 {
                subject
            } else {
                line(&mut out, subject);
                ""
            };
            let _ = writeln!(
                out,
                "{:<26} {:>7} {:>8} {:>8} {:>6}  verdict",
                head, "mean", "spread", "se", "ratio"
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
            short_names(&[&e.estimate], 24)[0],
            prob(e.mean),
            e.spread,
            e.mean_se,
            ratio,
            e.verdict.text()
        );
    }
    let _ = writeln!(out);
    if let Some(e) = r.estimates.first() {
        line(
            &mut out,
            &format!(
                "consistent: ratio inside [{:.2}, {:.2}], the central 99% for {} seeds",
                e.band[0],
                e.band[1],
                r.seeds.len()
            ),
        );
    }
    out
}
