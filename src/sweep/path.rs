//! The concession path between two proposals.

use crate::model::{ClauseKind, Deal, Scenario};

/// The deal at position `x` on the path from proposal `from` (x = 0) to `to` (x = 1).
///
/// A range clause moves linearly (rounded for whole-number clauses, kept inside its range).
/// A choice or bool clause follows the value function of the party with most at stake in it
/// (largest mean weight × value change between the ends, at mean parameters): its value is
/// interpolated linearly and the clause takes the option whose value is nearest — so a bool
/// switches at the midpoint, and a choice passes through intermediate options in order.
pub fn path_deal(s: &Scenario, from: usize, to: usize, x: f64, mean_slots: &[f64]) -> Deal {
    let (a, b) = (&s.proposals[from].deal, &s.proposals[to].deal);
    s.clauses
        .iter()
        .enumerate()
        .map(|(i, c)| {
            if a[i] == b[i] {
                return a[i];
            }
            match c.kind() {
                ClauseKind::Range {
                    min, max, integer, ..
                } => {
                    // (1 − x)·a + x·b is exactly a at x = 0 and exactly b at x = 1.
                    let v = ((1.0 - x) * a[i] + x * b[i]).clamp(*min, *max);
                    if *integer { v.round() } else { v }
                }
                ClauseKind::Bool => discrete_step(s, i, a[i], b[i], 2, x, mean_slots),
                ClauseKind::Choice { options } => {
                    discrete_step(s, i, a[i], b[i], options.len(), x, mean_slots)
                }
            }
        })
        .collect()
}

fn discrete_step(
    s: &Scenario,
    i: usize,
    a: f64,
    b: f64,
    n: usize,
    x: f64,
    mean_slots: &[f64],
) -> f64 {
    // The party with most at stake in this clause between the two ends.
    let judge = s
        .parties
        .iter()
        .map(|p| {
            let w = p.weights[i].get(mean_slots);
            let stake =
                w * (p.clause_term(i, b, mean_slots) - p.clause_term(i, a, mean_slots)).abs();
            (stake, p)
        })
        .max_by(|l, r| l.0.total_cmp(&r.0))
        .map(|(_, p)| p);
    let Some(judge) = judge else {
        return if x < 0.5 { a } else { b };
    };
    let value = |o: f64| judge.clause_term(i, o, mean_slots);
    let (va, vb) = (value(a), value(b));
    if va == vb {
        return if x < 0.5 { a } else { b };
    }
    let target = (1.0 - x) * va + x * vb;
    let (lo, hi) = (va.min(vb), va.max(vb));
    // Options whose value lies between the ends'; nearest to the target. Ties go to the end
    // the path is nearer to (`a` before the midpoint, `b` from it on), then to the lower index.
    let near = if x < 0.5 { a } else { b };
    let far = if x < 0.5 { b } else { a };
    let rank = |o: f64| {
        if o == near {
            0
        } else if o == far {
            1
        } else {
            2
        }
    };
    (0..n)
        .map(|o| o as f64)
        .filter(|&o| o == a || o == b || (value(o) >= lo && value(o) <= hi))
        .min_by(|&p, &q| {
            let dp = (value(p) - target).abs();
            let dq = (value(q) - target).abs();
            dp.total_cmp(&dq).then_with(|| rank(p).cmp(&rank(q)))
        })
        .unwrap_or(a)
}
