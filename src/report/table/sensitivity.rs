//! `accord sensitivity` as a table: the Sobol indices with their intervals, then the tornado.

use std::fmt::Write;

use super::{fit, line, prob, short_names, value};
use crate::analysis::sensitivity::{Index, SensitivityReport};
use crate::text::thousands;

/// Width of the name column.
const NAME: usize = 32;

/// An index as `0.512 [0.498, 0.527]`, starred when its interval includes 0.
fn index(i: &Index) -> String {
    let star = if i.includes_zero() { "*" } else { " " };
    format!(
        "{} [{}, {}]{star}",
        signed(i.value),
        signed(i.lo),
        signed(i.hi)
    )
}

/// A number as `0.512` or `-0.004` (`-` when undefined).
fn signed(x: f64) -> String {
    if x.is_nan() {
        "-".into()
    } else if x.abs() < 0.0005 {
        "0.000".into()
    } else {
        format!("{x:.3}")
    }
}

pub(super) fn table(r: &SensitivityReport) -> String {
    let mut out = String::new();
    line(&mut out, &r.scenario);
    line(
        &mut out,
        &format!(
            "{} of {}: p = {} [{}, {}], Var(Y) = {:.4}",
            r.output,
            r.proposal,
            prob(r.p.p),
            prob(r.p.lo),
            prob(r.p.hi),
            r.variance
        ),
    );
    line(
        &mut out,
        &format!(
            "{}, {} rounds per sample set, seed {}, {} model evaluations",
            r.protocol,
            thousands(r.rounds),
            r.seed,
            thousands(r.evaluations)
        ),
    );
    let _ = writeln!(out);
    line(
        &mut out,
        &format!(
            "Sobol indices, 95% bootstrap intervals ({} resamples); * interval includes 0",
            thousands(r.bootstrap as u64)
        ),
    );
    let head = format!(
        "{:<NAME$} {:<23} {}",
        "factor", "first order", "total effect"
    );
    line(&mut out, &head);
    let labels: Vec<String> = r.factors.iter().map(|f| f.label()).collect();
    let names: Vec<&str> = labels.iter().map(String::as_str).collect();
    for (f, name) in r.factors.iter().zip(short_names(&names, NAME)) {
        let row = format!(
            "{:<NAME$} {:<23} {}",
            fit(&name, NAME),
            index(&f.first_order),
            index(&f.total)
        );
        line(&mut out, row.trim_end());
    }
    let first_sum: f64 = r
        .factors
        .iter()
        .filter(|f| f.kind != crate::analysis::sensitivity::FactorKind::Group)
        .map(|f| f.first_order.value)
        .sum();
    line(
        &mut out,
        &format!("sum of first-order indices {first_sum:.3} (1 − sum: the share in interactions)"),
    );
    let _ = writeln!(out);
    line(
        &mut out,
        "Tornado: each parameter at its 5% and 95% quantiles, the rest as drawn",
    );
    let _ = writeln!(
        out,
        "{:<NAME$} {:<18} {:<18} {:>6}",
        "parameter", "at 5%: value → p", "at 95%: value → p", "swing"
    );
    let names: Vec<&str> = r.tornado.iter().map(|t| t.param.as_str()).collect();
    for (t, name) in r.tornado.iter().zip(short_names(&names, NAME)) {
        let end = |v: f64, p: f64| format!("{} → {}", value(v), prob(p));
        let row = format!(
            "{:<NAME$} {:<18} {:<18} {:>6}",
            name,
            end(t.low_value, t.at_low.p),
            end(t.high_value, t.at_high.p),
            prob(t.swing())
        );
        line(&mut out, row.trim_end());
    }
    let _ = writeln!(out);
    for n in &r.notes {
        super::wrap(&mut out, n);
    }
    out
}
