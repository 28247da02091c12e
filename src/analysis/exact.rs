//! Solution points off the grid, when the only gridded clause is a range on which every
//! needed party's utility is affine (a linear pie, Fearon's split).
//!
//! Fix the other clauses at a point `r` of their own frontier: the utilities along the range
//! are a segment `u(t) = c_r + g·t`, `t = x − min ∈ [0, max − min]`, with the same direction
//! `g` for every `r`. Only points of the rest's frontier matter (a dominated `r` gives a
//! dominated segment), so each criterion is optimised on each of these segments in closed
//! form and the best segment wins:
//!
//! - Nash: `Σ α_i ln(u_i(t) − d_i)` is concave in `t`; its stationary point is
//!   `t = −(α_1 g_1 G_2 + α_2 g_2 G_1) / ((α_1 + α_2) g_1 g_2)` for two parties (`G_i` the
//!   gain at `t = 0`), found by bisection on the derivative for more; clipped to the
//!   individually rational interval.
//! - Kalai–Smorodinsky: the smallest fraction of the possible gain is a minimum of affine
//!   functions, so it peaks at an end of the rational interval or where two fractions cross.
//!   The ideal point itself is exact: each party's best on the ends of the rational intervals.
//! - GENIUS KS: `Σ |u_i − u_j|` is convex and piecewise linear, smallest at an end or where
//!   two utilities cross; candidates are taken from the smallest up until one is not
//!   dominated by any segment (at most [`MAX_GAP_CHECKS`]; past that, none is returned and
//!   the best grid point stands, marked inexact).
//! - Maximum welfare: linear in `t`, so at an end of the rational interval.
//!
//! On an integer clause, each candidate is replaced by the whole numbers on either side
//! (the criteria are concave, or convex for the gap, so the best whole number is next to
//! the best real one).

use super::solution::{Best, TOL, gap, min_fraction, nash_log, rational, welfare};

/// The most GENIUS KS candidates checked for dominance before giving up on an exact point.
pub const MAX_GAP_CHECKS: usize = 64;

/// A point off the grid: point `rest` of the other clauses' frontier, with the range clause
/// at `min + t`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Exact {
    /// The point of the other clauses' frontier.
    pub rest: usize,
    /// The range clause's distance from its `min`.
    pub t: f64,
}

/// The exact solution points (see the module documentation).
#[derive(Debug, Clone, PartialEq)]
pub struct Refined {
    /// Each party's best rational utility (`None`: nothing is rational, as for the next
    /// two and welfare).
    pub ideal: Option<Vec<f64>>,
    /// The weighted Nash product's maximum.
    pub nash: Option<Exact>,
    /// The largest smallest fraction of the possible gain.
    pub kalai_smorodinsky: Option<Exact>,
    /// `None` when no candidate within [`MAX_GAP_CHECKS`] is undominated.
    pub genius_ks: Option<Exact>,
    /// The largest rational welfare.
    pub max_welfare: Option<Exact>,
}

/// The segments: `base[r]` the needed parties' utilities at `t = 0` for rest point `r`,
/// `slope` their common direction, `t ∈ [0, len]`, whole steps only when `integer`.
pub struct Segments<'a> {
    /// Per rest point, the parties' utilities at `t = 0`.
    pub base: &'a [Vec<f64>],
    /// The utilities' rate of change with `t`, the same on every segment.
    pub slope: &'a [f64],
    /// `max − min` of the range.
    pub len: f64,
    /// Whether `t` takes whole steps only.
    pub integer: bool,
}

impl Segments<'_> {
    fn at(&self, r: usize, t: f64) -> Vec<f64> {
        self.base[r]
            .iter()
            .zip(self.slope)
            .map(|(c, g)| c + g * t)
            .collect()
    }

    /// The `t` where every party gets at least its reservation, or `None`. The bounds are
    /// where a utility meets its reservation exactly (a tolerance here would move the ideal
    /// point and every point pinned to a bound).
    fn rational_interval(&self, r: usize, d: &[f64]) -> Option<(f64, f64)> {
        let (mut lo, mut hi) = (0.0f64, self.len);
        for ((c, g), d) in self.base[r].iter().zip(self.slope).zip(d) {
            let need = d - c;
            if *g > 0.0 {
                lo = lo.max(need / g);
            } else if *g < 0.0 {
                hi = hi.min(need / g);
            } else if need > TOL {
                return None;
            }
        }
        let (lo, hi) = self.whole(lo, hi)?;
        (lo <= hi).then_some((lo, hi))
    }

    /// `[lo, hi]` shrunk to whole steps on an integer clause.
    fn whole(&self, lo: f64, hi: f64) -> Option<(f64, f64)> {
        if self.integer {
            let (lo, hi) = (lo.ceil(), hi.floor());
            (lo <= hi).then_some((lo, hi))
        } else {
            (lo <= hi).then_some((lo, hi))
        }
    }

    /// `t` itself, or the whole numbers on either side of it within `[lo, hi]`.
    fn snap(&self, t: f64, lo: f64, hi: f64, out: &mut Vec<f64>) {
        if !(t >= lo && t <= hi) {
            return;
        }
        if self.integer {
            out.push(t.floor().max(lo));
            out.push(t.ceil().min(hi));
        } else {
            out.push(t);
        }
    }

    /// Where parties `i` and `j`'s affine values `a + b·t` cross, if they do.
    fn crossing(a: (f64, f64), b: (f64, f64)) -> Option<f64> {
        let ds = a.1 - b.1;
        (ds != 0.0).then(|| (b.0 - a.0) / ds)
    }

    /// Whether some point of some segment strictly dominates `p`.
    fn dominated(&self, p: &[f64]) -> bool {
        (0..self.base.len()).any(|r| {
            // The `t` where segment `r` is at least `p` for every party.
            let Some((lo, hi)) = self.rational_interval(r, p) else {
                return false;
            };
            [lo, hi].iter().any(|&t| {
                let q = self.at(r, t);
                q.iter().zip(p).any(|(a, b)| *a > b + TOL)
            })
        })
    }
}

/// The exact solution points on `segments` with reservations `d` and powers `power`.
pub fn refine(s: &Segments, d: &[f64], power: &[f64]) -> Refined {
    let n = s.base.len();
    let np = d.len();
    let intervals: Vec<Option<(f64, f64)>> = (0..n).map(|r| s.rational_interval(r, d)).collect();

    // The ideal: each party's best over the ends of the rational intervals.
    let mut ideal: Option<Vec<f64>> = None;
    for (r, iv) in intervals.iter().enumerate() {
        let Some((lo, hi)) = iv else { continue };
        for t in [*lo, *hi] {
            let u = s.at(r, t);
            match &mut ideal {
                None => ideal = Some(u),
                Some(a) => a.iter_mut().zip(&u).for_each(|(a, u)| *a = a.max(*u)),
            }
        }
    }

    let (mut nash, mut ks, mut sw) = (Best::new(true), Best::new(true), Best::new(true));
    let mut points: Vec<Exact> = Vec::new();
    let mut offer = |best: &mut Best, r: usize, t: f64, value: f64, w: f64| {
        points.push(Exact { rest: r, t });
        best.offer(points.len() - 1, value, w);
    };
    let mut ts: Vec<f64> = Vec::new();
    for (r, iv) in intervals.iter().enumerate() {
        let Some((lo, hi)) = *iv else { continue };
        // Nash.
        ts.clear();
        ts.extend([lo, hi]);
        if let Some(t) = nash_stationary(s, r, d, power, lo, hi) {
            s.snap(t, lo, hi, &mut ts);
        }
        for &t in &ts {
            let u = s.at(r, t);
            if let Some(log) = nash_log(&u, d, power) {
                offer(&mut nash, r, t, log, welfare(&u));
            }
        }
        // Kalai–Smorodinsky: ends and crossings of the fractions.
        if let Some(a) = &ideal {
            let frac = |k: usize| {
                let span = a[k] - d[k];
                if span <= TOL {
                    (1.0, 0.0)
                } else {
                    ((s.base[r][k] - d[k]) / span, s.slope[k] / span)
                }
            };
            ts.clear();
            ts.extend([lo, hi]);
            for i in 0..np {
                for j in i + 1..np {
                    if let Some(t) = Segments::crossing(frac(i), frac(j)) {
                        s.snap(t, lo, hi, &mut ts);
                    }
                }
            }
            for &t in &ts {
                let u = s.at(r, t);
                if let Some(f) = min_fraction(&u, d, a) {
                    offer(&mut ks, r, t, f, welfare(&u));
                }
            }
        }
        // Welfare: linear, so an end.
        for t in [lo, hi] {
            let u = s.at(r, t);
            if rational(&u, d) {
                let w = welfare(&u);
                offer(&mut sw, r, t, w, w);
            }
        }
    }
    let get = |b: Best, points: &[Exact]| b.best.map(|(i, _, _)| points[i]);
    let (nash, ks, sw) = (get(nash, &points), get(ks, &points), get(sw, &points));

    // GENIUS KS: candidates by gap (then welfare), the first one not dominated.
    let mut cands: Vec<(f64, f64, Exact)> = Vec::new();
    for r in 0..n {
        let Some((lo, hi)) = s.whole(0.0, s.len) else {
            continue;
        };
        ts.clear();
        ts.extend([lo, hi]);
        for i in 0..np {
            for j in i + 1..np {
                let ui = (s.base[r][i], s.slope[i]);
                let uj = (s.base[r][j], s.slope[j]);
                if let Some(t) = Segments::crossing(ui, uj) {
                    s.snap(t, lo, hi, &mut ts);
                }
            }
        }
        for &t in &ts {
            let u = s.at(r, t);
            cands.push((gap(&u), welfare(&u), Exact { rest: r, t }));
        }
    }
    cands.sort_by(|a, b| a.0.total_cmp(&b.0).then(b.1.total_cmp(&a.1)));
    // Each check scans every segment: after MAX_GAP_CHECKS dominated candidates, give up
    // (the caller keeps the best grid point).
    let genius_ks = cands
        .iter()
        .take(MAX_GAP_CHECKS)
        .find(|(_, _, e)| !s.dominated(&s.at(e.rest, e.t)))
        .map(|c| c.2);

    Refined {
        ideal,
        nash,
        kalai_smorodinsky: ks,
        genius_ks,
        max_welfare: sw,
    }
}

/// Where the weighted log-product of gains stops rising on segment `r` within `[lo, hi]`.
fn nash_stationary(
    s: &Segments,
    r: usize,
    d: &[f64],
    power: &[f64],
    lo: f64,
    hi: f64,
) -> Option<f64> {
    let c = &s.base[r];
    let g = s.slope;
    if d.len() == 2 {
        let (g1, g2) = (g[0], g[1]);
        if g1 * g2 >= 0.0 {
            return None; // both gains rise (or fall) together: an end is best
        }
        let (a1, a2) = (power[0], power[1]);
        let (e1, e2) = (c[0] - d[0], c[1] - d[1]);
        return Some(-(a1 * g1 * e2 + a2 * g2 * e1) / ((a1 + a2) * g1 * g2));
    }
    // The derivative Σ α_i g_i / (u_i − d_i) falls with t; find where it crosses 0.
    let slope_at = |t: f64| -> f64 {
        c.iter()
            .zip(g)
            .zip(d)
            .zip(power)
            .map(|(((c, g), d), a)| a * g / (c + g * t - d))
            .sum()
    };
    let (mut a, mut b) = (lo, hi);
    let (fa, fb) = (slope_at(a), slope_at(b));
    if !(fa > 0.0 && fb < 0.0) {
        return None;
    }
    for _ in 0..200 {
        let m = 0.5 * (a + b);
        if m <= a || m >= b {
            break;
        }
        if slope_at(m) > 0.0 {
            a = m;
        } else {
            b = m;
        }
    }
    Some(0.5 * (a + b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn linear_pie_with_power_is_the_closed_form() {
        // u = (x, 1 − x) on [0, 1], d = (0.2, 0.1): x₁ = d₁ + α₁(1 − d₁ − d₂).
        let base = vec![vec![0.0, 1.0]];
        let s = Segments {
            base: &base,
            slope: &[1.0, -1.0],
            len: 1.0,
            integer: false,
        };
        for a1 in [0.5, 0.3, 0.9] {
            let r = refine(&s, &[0.2, 0.1], &[a1, 1.0 - a1]);
            let x = r.nash.unwrap().t;
            assert!((x - (0.2 + a1 * 0.7)).abs() < 1e-12, "α₁ = {a1}: {x}");
        }
        // KS on a linear pie equals Nash with equal powers; ideal (0.9, 0.8).
        let r = refine(&s, &[0.2, 0.1], &[0.5, 0.5]);
        let ideal = r.ideal.unwrap();
        assert!((ideal[0] - 0.9).abs() < 1e-12 && (ideal[1] - 0.8).abs() < 1e-12);
        assert!((r.kalai_smorodinsky.unwrap().t - 0.55).abs() < 1e-12);
        // GENIUS KS: equal raw utilities at x = 0.5.
        assert!((r.genius_ks.unwrap().t - 0.5).abs() < 1e-12);
    }

    #[test]
    fn three_parties_solve_by_bisection() {
        // u = (x, 1 − x, 0.5) with d = 0 and equal powers: the product x(1 − x)·0.5 peaks
        // at 0.5; with powers (0.5, 0.25, 0.25), x^0.5 (1 − x)^0.25 at x = 2/3.
        let base = vec![vec![0.0, 1.0, 0.5]];
        let s = Segments {
            base: &base,
            slope: &[1.0, -1.0, 0.0],
            len: 1.0,
            integer: false,
        };
        let r = refine(&s, &[0.0; 3], &[1.0 / 3.0; 3]);
        assert!((r.nash.unwrap().t - 0.5).abs() < 1e-12);
        let r = refine(&s, &[0.0; 3], &[0.5, 0.25, 0.25]);
        assert!((r.nash.unwrap().t - 2.0 / 3.0).abs() < 1e-12);
    }

    #[test]
    fn integer_clauses_take_the_best_whole_number() {
        // u = (t/10, 1 − t/10), t whole in [0, 10], α = (0.34, 0.66): real optimum 3.4.
        let base = vec![vec![0.0, 1.0]];
        let s = Segments {
            base: &base,
            slope: &[0.1, -0.1],
            len: 10.0,
            integer: true,
        };
        let r = refine(&s, &[0.0, 0.0], &[0.34, 0.66]);
        assert_eq!(r.nash.unwrap().t, 3.0);
    }

    #[test]
    fn the_best_segment_wins_and_dominated_gap_points_are_skipped() {
        // The first segment's equal-utility point (0.4, 0.4) has the smallest gap, but the
        // second segment's (1, 0.9) dominates it: GENIUS KS is (1, 0.9), gap 0.1.
        let base = vec![vec![0.0, 0.8], vec![1.0, 0.9]];
        let s = Segments {
            base: &base,
            slope: &[1.0, -1.0],
            len: 0.8,
            integer: false,
        };
        let r = refine(&s, &[0.0, 0.0], &[0.5, 0.5]);
        let g = r.genius_ks.unwrap();
        assert_eq!(g.rest, 1);
        assert_eq!(g.t, 0.0);
        assert_eq!(r.nash.unwrap().rest, 1);
        assert_eq!(r.max_welfare.unwrap().rest, 1);
    }
}
