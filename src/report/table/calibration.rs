//! `accord calibrate` as a table: the estimates with their intervals, the observations against
//! the fit, the goodness of fit.

use std::fmt::Write;

use super::{fit, line, prob, short_names};
use crate::analysis::calibrate::{CalibrationReport, number};
use crate::text::thousands;

/// An interval end (`-` when the data do not bound it).
fn end(x: f64) -> String {
    if x.is_nan() { "-".into() } else { short(x) }
}

/// Four significant digits.
fn short(x: f64) -> String {
    if !x.is_finite() || x == 0.0 {
        return number(x);
    }
    let digits = (3 - x.abs().log10().floor() as i32).max(0) as usize;
    number(format!("{x:.digits$}").parse().unwrap_or(x))
}

pub(super) fn table(r: &CalibrationReport) -> String {
    let mut out = String::new();
    line(&mut out, &r.scenario);
    line(
        &mut out,
        &format!(
            "maximum likelihood on {} rounds, seed {}, {} evaluations",
            thousands(r.rounds),
            r.seed,
            thousands(r.evaluations as u64)
        ),
    );
    let _ = writeln!(out);
    line(
        &mut out,
        &format!(
            "{:<36} {:>10} {:>23} {:>8}",
            "parameter", "estimate", "95% profile interval", "was"
        ),
    );
    for e in &r.estimates {
        let interval = format!("[{}, {}]", end(e.lo), end(e.hi));
        line(
            &mut out,
            &format!(
                "{:<36} {:>10} {:>23} {:>8}",
                fit(&e.name, 36),
                short(e.value),
                interval,
                short(e.start)
            ),
        );
    }
    // Labels are shortened together, so that no two read the same in either block.
    let labels: Vec<&str> = r.observations.iter().map(|o| o.label.as_str()).collect();
    let labels = short_names(&labels, 26);
    for (held_out, head, value) in [
        (false, "observation", "fitted"),
        (true, "held out", "predicted"),
    ] {
        let rows: Vec<_> = r
            .observations
            .iter()
            .zip(&labels)
            .filter(|(o, _)| o.held_out == held_out)
            .collect();
        if rows.is_empty() {
            continue;
        }
        let _ = writeln!(out);
        line(
            &mut out,
            &format!(
                "{:<26} {:>6} {:>20} {:>9} {:>15}",
                head, "n", "observed [95%]", value, "range for n"
            ),
        );
        for (o, label) in rows {
            line(
                &mut out,
                &format!(
                    "{:<26} {:>6} {:>20} {:>9} {:>15}",
                    label,
                    thousands(o.n),
                    format!(
                        "{} [{}, {}]",
                        prob(o.observed),
                        prob(o.observed_lo),
                        prob(o.observed_hi)
                    ),
                    prob(o.fitted.p),
                    format!("[{}, {}]", prob(o.expected_lo), prob(o.expected_hi)),
                ),
            );
        }
    }
    let _ = writeln!(out);
    line(
        &mut out,
        &match r.p_value {
            Some(p) => format!(
                "deviance G² = {:.2} on {} df, p {}; −2 log-likelihood {:.2}",
                r.deviance,
                r.df,
                crate::text::p_value(p),
                r.minus_two_log_likelihood
            ),
            None => format!(
                "deviance G² = {:.2}, no degree of freedom left; −2 log-likelihood {:.2}",
                r.deviance, r.minus_two_log_likelihood
            ),
        },
    );
    if let Some(h) = &r.held_out {
        line(
            &mut out,
            &format!(
                "held out: G² = {:.2} on {} df, p {}; {} of {} outside the range for n",
                h.deviance,
                h.df,
                crate::text::p_value(h.p_value),
                h.outside,
                h.shares
            ),
        );
    }
    for n in &r.notes {
        super::wrap(&mut out, n);
    }
    out
}
