//! Table and CSV output of the dynamic protocols ([`DynamicResult`]); JSON is the result
//! itself (see [`crate::protocol::dynamic::result`] for its shape).

use std::fmt::Write;

use super::prob;
use crate::model::clause::group_thousands;
use crate::protocol::dynamic::DynamicResult;

/// Rows of the survival curve a table shows at most (every k-th step, and the last).
const STEP_ROWS: usize = 20;

fn opt(x: Option<f64>, digits: usize) -> String {
    match x {
        Some(v) => format!("{v:.digits$}"),
        None => "-".into(),
    }
}

/// Fits `s` into `width` characters, marking a cut with `…`.
fn fit(s: &str, width: usize) -> String {
    if s.chars().count() <= width {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(width.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

/// A clause value: large or whole numbers grouped by thousands, others to 4 decimals.
fn value(x: f64) -> String {
    if (x.fract() == 0.0 || x.abs() >= 1000.0) && x.abs() < 1e15 {
        group_thousands(x.round() as i64)
    } else {
        format!("{x:.4}")
    }
}

/// A JSON clause value (a number, an option name or a bool) as text.
fn json_value(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Number(n) => n.as_f64().map_or_else(|| n.to_string(), value),
        other => other.to_string(),
    }
}

/// The run's estimates for a terminal (80 columns).
pub fn bargain_table(r: &DynamicResult) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", fit(&r.scenario, 80));
    let _ = writeln!(
        out,
        "{}",
        fit(
            &format!(
                "{}, {} rounds, seed {}, deadline {} steps, breakdown {}/step",
                r.protocol,
                group_thousands(r.rounds as i64),
                r.seed,
                r.deadline,
                r.breakdown
            ),
            80
        )
    );
    let who = if r.mediator.is_some() {
        "voters"
    } else {
        "negotiators"
    };
    let _ = writeln!(
        out,
        "{}",
        fit(&format!("{who}: {}", r.negotiators.join(", ")), 80)
    );
    if let (Some(m), Some(s)) = (&r.mediator, &r.start) {
        let _ = writeln!(
            out,
            "{}",
            fit(&format!("mediator: {m}, starting from {s}"), 80)
        );
    }
    let _ = writeln!(out);
    let a = &r.agreement;
    let _ = writeln!(
        out,
        "agreement {:>6}  [{}, {}]   mean step {}",
        prob(a.p),
        prob(a.lo),
        prob(a.hi),
        opt(r.mean_agreement_step, 2)
    );
    let e = &r.endings;
    let _ = writeln!(
        out,
        "no deal: breakdown {}, deadline {}, stalled {}, deserted {}",
        prob(e.breakdown.p),
        prob(e.deadline.p),
        prob(e.stalled.p),
        prob(e.deserted.p)
    );

    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "{:<24} {:>12} {:>12} {:>12} {:>12}",
        "agreed deal", "mean", "5%", "50%", "95%"
    );
    for c in &r.deal {
        match &c.shares {
            None => {
                let cell = |x: Option<f64>| x.map_or("-".to_string(), value);
                let _ = writeln!(
                    out,
                    "  {:<22} {:>12} {:>12} {:>12} {:>12}",
                    fit(&c.clause, 22),
                    cell(c.mean),
                    cell(c.q05),
                    cell(c.q50),
                    cell(c.q95)
                );
            }
            Some(shares) => {
                // Options never agreed on are left out (the JSON lists every option).
                let text: Vec<String> = shares
                    .iter()
                    .filter(|(_, v)| **v > 0.0)
                    .map(|(k, v)| format!("{k} {}", prob(*v)))
                    .collect();
                let _ = writeln!(
                    out,
                    "  {:<22} {}",
                    fit(&c.clause, 22),
                    fit(&text.join(", "), 54)
                );
            }
        }
    }

    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "{:<24} {:>6} {:>5} {:>9} {:>9} {:>11} {:>11}",
        "party", "talks", "veto", "utility", "value", "concession", "reservation"
    );
    for p in &r.parties {
        let _ = writeln!(
            out,
            "  {:<22} {:>6} {:>5} {:>9} {:>9} {:>11} {:>11}",
            fit(&p.party, 22),
            if p.negotiator { "yes" } else { "" },
            if p.veto { "yes" } else { "" },
            opt(p.mean_utility, 3),
            opt(p.mean_value, 3),
            opt(p.mean_concession, 3),
            opt(p.mean_reservation, 3)
        );
    }
    let _ = writeln!(
        out,
        "  (means over agreements; value = utility discounted to the agreement step)"
    );

    if let Some(c) = &r.concessions {
        let _ = writeln!(out);
        let _ = writeln!(
            out,
            "concessions: {:.2} amendments per round",
            c.mean_amendments
        );
        let _ = writeln!(
            out,
            "{:<24} {:>8} {:>11} {:>14} {:>10}",
            "clause", "amended", "per round", "moved/round", "first at"
        );
        for k in &c.clauses {
            let _ = writeln!(
                out,
                "  {:<22} {:>8} {:>11.3} {:>14} {:>10}",
                fit(&k.clause, 22),
                prob(k.amended),
                k.mean_amendments,
                value_short(k.mean_movement),
                opt(k.mean_first_position, 2)
            );
        }
        if !c.order.is_empty() {
            let _ = writeln!(
                out,
                "{}",
                fit(
                    &format!("order of first amendments: {}", c.order.join(", ")),
                    80
                )
            );
        }
        for f in &c.first {
            let to = json_value(&f.to);
            let _ = writeln!(
                out,
                "{}",
                fit(
                    &format!("  first amendment {} → {}: {}", f.clause, to, prob(f.share)),
                    80
                )
            );
        }
    }

    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "{:>6} {:>8} {:>10} {:>10} {:>8}",
        "step", "agreed", "by step", "breakdown", "open"
    );
    let last = r
        .steps
        .iter()
        .rposition(|s| s.agreed > 0.0 || s.broke_down > 0.0 || s.ended > 0.0)
        .map_or(0, |i| i + 1);
    let shown = &r.steps[..last.max(1).min(r.steps.len())];
    let every = shown.len().div_ceil(STEP_ROWS).max(1);
    for (i, s) in shown.iter().enumerate() {
        if i % every == 0 || i + 1 == shown.len() {
            let _ = writeln!(
                out,
                "{:>6} {:>8} {:>10} {:>10} {:>8}",
                s.step,
                prob(s.agreed),
                prob(s.agreement_by_step),
                prob(s.broke_down),
                prob(s.open)
            );
        }
    }
    out
}

fn value_short(x: f64) -> String {
    if x.abs() >= 1000.0 {
        group_thousands(x.round() as i64)
    } else {
        format!("{x:.3}")
    }
}

/// The survival curve as CSV: `step, agreed, broke_down, ended, agreement_by_step, open`
/// (shares of all rounds), one row per step up to the largest deadline.
pub fn bargain_csv(r: &DynamicResult) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record([
        "step",
        "agreed",
        "broke_down",
        "ended",
        "agreement_by_step",
        "open",
    ]);
    for s in &r.steps {
        let _ = w.write_record([
            s.step.to_string(),
            s.agreed.to_string(),
            s.broke_down.to_string(),
            s.ended.to_string(),
            s.agreement_by_step.to_string(),
            s.open.to_string(),
        ]);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}
