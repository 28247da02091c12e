//! A dynamic protocol's play: agreement and how talks ended, the agreed deal's distribution,
//! each party's means (saying over which rounds each is taken), the mediator's amendments,
//! and the survival curve by step.

use std::fmt::Write;

use super::{line, list, mean, prob, short_names, value};
use crate::job::Header;
use crate::protocol::dynamic::DynamicResult;
use crate::text::{decimal, thousands};

/// Rows of the survival curve a table shows at most (every k-th step, and the last).
const STEP_ROWS: usize = 20;

/// Width of a clause or party name.
const NAME: usize = 22;

pub(super) fn play(out: &mut String, h: &Header, r: &DynamicResult) {
    line(
        out,
        &format!(
            "{}, {} rounds, seed {}, deadline {} steps, breakdown {}/step",
            h.protocol,
            thousands(h.rounds),
            h.seed,
            r.deadline,
            decimal(r.breakdown)
        ),
    );
    let who = if r.mediator.is_some() {
        "voters"
    } else {
        "negotiators"
    };
    list(out, &format!("{who}:"), &r.negotiators, 2);
    if let (Some(m), Some(s)) = (&r.mediator, &r.start) {
        line(out, &format!("mediator: {m}, starting from {s}"));
    }
    if let Some(rule) = &h.rule {
        line(out, &format!("rule: {rule}"));
    }
    let _ = writeln!(out);
    let a = &r.agreement;
    let agreed = (a.p * a.n as f64).round() as u64;
    let _ = writeln!(
        out,
        "agreement {:>6}  [{}, {}]   mean step {}",
        prob(a.p),
        prob(a.lo),
        prob(a.hi),
        r.mean_agreement_step
            .map_or_else(|| "-".into(), |s| format!("{s:.2}"))
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
    if let Some(bf) = &r.baron_ferejohn {
        baron_ferejohn(out, bf);
    }
    deal(out, r, agreed);
    parties(out, r, agreed, h.rounds);
    amendments(out, r);
    steps(out, r);
}

/// The agreed deal: mean and quantiles of range clauses, shares of the options of the others
/// (largest first, so a cut never hides the most agreed option).
fn deal(out: &mut String, r: &DynamicResult, agreed: u64) {
    let _ = writeln!(out);
    line(
        out,
        &format!(
            "agreed deal, over the {} rounds that agreed:",
            thousands(agreed)
        ),
    );
    let _ = writeln!(
        out,
        "  {:<NAME$} {:>12} {:>12} {:>12} {:>12}",
        "", "mean", "5%", "50%", "95%"
    );
    let names: Vec<&str> = r.deal.iter().map(|c| c.clause.as_str()).collect();
    for (c, name) in r.deal.iter().zip(short_names(&names, NAME)) {
        match &c.shares {
            None => {
                let cell = |x: Option<f64>| x.map_or("-".to_string(), value);
                let _ = writeln!(
                    out,
                    "  {name:<NAME$} {:>12} {:>12} {:>12} {:>12}",
                    cell(c.mean),
                    cell(c.q05),
                    cell(c.q50),
                    cell(c.q95)
                );
            }
            Some(shares) => {
                // Options never agreed on are left out (the JSON lists every option); the
                // most agreed comes first, and the list wraps rather than hides any.
                let mut agreed: Vec<(&String, f64)> = shares
                    .iter()
                    .filter(|(_, v)| **v > 0.0)
                    .map(|(k, v)| (k, *v))
                    .collect();
                agreed.sort_by(|a, b| b.1.total_cmp(&a.1));
                let items: Vec<String> = agreed
                    .iter()
                    .map(|(option, share)| format!("{option} {}", prob(*share)))
                    .collect();
                list(out, &format!("  {name:<NAME$} "), &items, NAME + 3);
            }
        }
    }
}

/// Each party's means, with the rounds each is taken over.
fn parties(out: &mut String, r: &DynamicResult, agreed: u64, rounds: u64) {
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "{:<24} {:>6} {:>5} {:>9} {:>9} {:>10} {:>11}",
        "party", "talks", "veto", "utility", "value", "shortfall", "reservation"
    );
    let names: Vec<&str> = r.parties.iter().map(|p| p.party.as_str()).collect();
    for (p, name) in r.parties.iter().zip(short_names(&names, NAME)) {
        let _ = writeln!(
            out,
            "  {name:<NAME$} {:>6} {:>5} {:>9} {:>9} {:>10} {:>11}",
            if p.negotiator { "yes" } else { "" },
            if p.veto { "yes" } else { "" },
            mean(p.mean_utility),
            mean(p.mean_value),
            mean(p.mean_shortfall),
            mean(p.mean_reservation)
        );
    }
    line(
        out,
        "  utility, value (discounted to the agreement step) and shortfall (below the",
    );
    line(
        out,
        &format!(
            "  party's best deal): means over the {} rounds that agreed; reservation: over",
            thousands(agreed)
        ),
    );
    line(
        out,
        &format!("  all {} rounds, as drawn before events", thousands(rounds)),
    );
}

/// The mediator's amendments, clause by clause.
fn amendments(out: &mut String, r: &DynamicResult) {
    let Some(c) = &r.amendments else {
        return;
    };
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "amendments: {:.2} per round, over all rounds",
        c.mean_amendments
    );
    let _ = writeln!(
        out,
        "{:<24} {:>8} {:>11} {:>14} {:>10}",
        "clause", "amended", "per round", "moved/round", "first at"
    );
    let names: Vec<&str> = c.clauses.iter().map(|k| k.clause.as_str()).collect();
    for (k, name) in c.clauses.iter().zip(short_names(&names, NAME)) {
        let moved = if k.mean_movement.abs() >= 1000.0 {
            thousands(k.mean_movement.round() as i64)
        } else {
            format!("{:.3}", k.mean_movement)
        };
        let _ = writeln!(
            out,
            "  {name:<NAME$} {:>8} {:>11.3} {:>14} {:>10}",
            prob(k.amended),
            k.mean_amendments,
            moved,
            k.mean_first_position
                .map_or_else(|| "-".into(), |s| format!("{s:.2}"))
        );
    }
    if !c.order.is_empty() {
        list(out, "order of first amendments:", &c.order, 2);
    }
    for f in &c.first {
        let to = match &f.to {
            serde_json::Value::String(s) => s.clone(),
            serde_json::Value::Number(n) => n.as_f64().map_or_else(|| n.to_string(), value),
            other => other.to_string(),
        };
        line(
            out,
            &format!("  first amendment {} → {to}: {}", f.clause, prob(f.share)),
        );
    }
}

/// The survival curve: at most [`STEP_ROWS`] rows, up to the last step where talks ended.
fn steps(out: &mut String, r: &DynamicResult) {
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "{:>6} {:>8} {:>10} {:>10} {:>8}   (shares of all rounds)",
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
}

/// Baron–Ferejohn's stationary equilibrium: the division by role and each member's figures.
fn baron_ferejohn(
    out: &mut String,
    bf: &crate::protocol::dynamic::baron_ferejohn::BaronFerejohnResult,
) {
    let _ = writeln!(out);
    line(
        out,
        &format!(
            "equilibrium (quota {}, discount {}): proposer keeps {:.4}, a partner gets {:.4}",
            bf.quota,
            decimal(bf.discount),
            bf.expected_division.proposer,
            bf.expected_division.partner
        ),
    );
    let _ = writeln!(
        out,
        "{:<w$}  recognised counted  expected proposer  partner  picked",
        "member",
        w = NAME - 2
    );
    for m in &bf.members {
        let _ = writeln!(
            out,
            "  {:<w$}  {:>8.4}  {:>7.4}  {:>8.4}  {:>8.4}  {:>7.4}  {:>6.3}",
            short_names(&[&m.party], NAME - 4)[0],
            m.recognition,
            m.proposed,
            m.expected_share,
            m.as_proposer,
            m.as_partner,
            m.partner_probability,
            w = NAME - 4
        );
    }
}
