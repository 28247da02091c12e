//! Solution concepts over the utilities of the parties whose acceptance is needed, with `d`
//! their reservation (disagreement) utilities:
//!
//! - **Nash** with bargaining powers `α` (positive, summing to 1): maximises
//!   `Π_i (u_i − d_i)^α_i` over the individually rational outcomes (every `u_i ≥ d_i`).
//! - **Kalai–Smorodinsky** (textbook): the Pareto point where every party has the same
//!   fraction `(u_i − d_i)/(a_i − d_i)` of its possible gain, `a_i` its *ideal*: the best
//!   utility it gets in any individually rational outcome. A discrete frontier may hold no
//!   point with exactly equal fractions, so the rule is: maximise the smallest fraction over
//!   the individually rational outcomes (on a continuous frontier that is the equal-fraction
//!   point). A party whose ideal equals its reservation has fraction 1 everywhere it is
//!   rational.
//! - **GENIUS Kalai–Smorodinsky** (`genius_ks`): the Pareto outcome with the smallest
//!   `Σ_{i<j} |u_i − u_j|` on raw utilities, whether or not it is individually rational.
//! - **Maximum welfare**: the largest `Σ_i u_i` over the individually rational outcomes.
//!
//! Ties (within a relative 10⁻¹²) go to the higher welfare, then to the earlier candidate.
//! Each maximiser of a strictly increasing criterion is Pareto-optimal, so every point is
//! read off the frontier in one pass.

use std::cmp::Ordering;

/// Utilities closer than this count as equal for individual rationality and ties.
pub const TOL: f64 = 1e-12;

/// Whether `u` gives every party at least its reservation (within [`TOL`]).
pub fn rational(u: &[f64], d: &[f64]) -> bool {
    u.iter().zip(d).all(|(u, d)| *u >= d - TOL)
}

/// `Σ_i u_i`.
pub fn welfare(u: &[f64]) -> f64 {
    u.iter().sum()
}

/// `Σ_{i<j} |u_i − u_j|`.
pub fn gap(u: &[f64]) -> f64 {
    let mut g = 0.0;
    for i in 0..u.len() {
        for j in i + 1..u.len() {
            g += (u[i] - u[j]).abs();
        }
    }
    g
}

/// `Σ_i α_i ln(u_i − d_i)` (−∞ when a gain is 0), or `None` when `u` is not rational.
pub fn nash_log(u: &[f64], d: &[f64], power: &[f64]) -> Option<f64> {
    rational(u, d).then(|| {
        u.iter()
            .zip(d)
            .zip(power)
            .map(|((u, d), a)| a * (u - d).max(0.0).ln())
            .sum()
    })
}

/// `Π_i (u_i − d_i)`, the plain product of gains.
pub fn product(u: &[f64], d: &[f64]) -> f64 {
    u.iter().zip(d).map(|(u, d)| (u - d).max(0.0)).product()
}

/// The smallest fraction of its possible gain any party gets, or `None` when `u` is not
/// rational. `ideal` is every party's best rational utility.
pub fn min_fraction(u: &[f64], d: &[f64], ideal: &[f64]) -> Option<f64> {
    rational(u, d).then(|| {
        u.iter()
            .zip(d)
            .zip(ideal)
            .map(|((u, d), a)| {
                if a - d <= TOL {
                    1.0
                } else {
                    ((u - d) / (a - d)).max(0.0)
                }
            })
            .fold(f64::INFINITY, f64::min)
    })
}

/// The best utility each party gets over the rational candidates; `None` when none is
/// rational.
pub fn ideal<'a>(candidates: impl Iterator<Item = &'a [f64]>, d: &[f64]) -> Option<Vec<f64>> {
    let mut best: Option<Vec<f64>> = None;
    for u in candidates.filter(|u| rational(u, d)) {
        match &mut best {
            None => best = Some(u.to_vec()),
            Some(b) => {
                for (b, u) in b.iter_mut().zip(u) {
                    *b = b.max(*u);
                }
            }
        }
    }
    best
}

/// Compares two criterion values, equal within a relative [`TOL`] (infinities of one sign
/// are equal).
pub fn compare(a: f64, b: f64) -> Ordering {
    if a == b {
        return Ordering::Equal;
    }
    let scale = a.abs().max(b.abs()).max(1.0);
    if a.is_finite() && b.is_finite() && (a - b).abs() <= TOL * scale {
        Ordering::Equal
    } else {
        a.total_cmp(&b)
    }
}

/// The running best of a criterion: higher (or lower) values win, ties go to the higher
/// welfare, then to the earlier candidate.
#[derive(Debug, Clone, Copy)]
pub struct Best {
    maximise: bool,
    /// `(candidate, criterion, welfare)` of the best so far.
    pub best: Option<(usize, f64, f64)>,
}

impl Best {
    /// A criterion to maximise (`true`) or minimise.
    pub fn new(maximise: bool) -> Best {
        Best {
            maximise,
            best: None,
        }
    }

    /// Offers candidate `i` with criterion `value` and welfare `w`.
    pub fn offer(&mut self, i: usize, value: f64, w: f64) {
        let take = match self.best {
            None => true,
            Some((_, v, bw)) => match compare(value, v) {
                Ordering::Equal => compare(w, bw) == Ordering::Greater,
                o => (o == Ordering::Greater) == self.maximise,
            },
        };
        if take {
            self.best = Some((i, value, w));
        }
    }
}

/// The four solution points over candidate utility vectors (of the needed parties): indices
/// of the winners with their criterion values, and the ideal point.
#[derive(Debug, Clone, PartialEq)]
pub struct Picks {
    /// Each party's best utility over the rational candidates.
    pub ideal: Option<Vec<f64>>,
    /// `(candidate, Π (u_i − d_i))`: the plain product of gains at the point that maximises
    /// the weighted one.
    pub nash: Option<(usize, f64)>,
    /// `(candidate, smallest fraction of the possible gain)`.
    pub kalai_smorodinsky: Option<(usize, f64)>,
    /// `(candidate, Σ_{i<j} |u_i − u_j|)`.
    pub genius_ks: Option<(usize, f64)>,
    /// `(candidate, Σ u_i)`.
    pub max_welfare: Option<(usize, f64)>,
}

/// Reads the solution points off `candidates` (Pareto-optimal utility vectors, in order),
/// with reservations `d` and powers `power` (summing to 1).
pub fn pick(candidates: &[&[f64]], d: &[f64], power: &[f64]) -> Picks {
    let ideal = ideal(candidates.iter().copied(), d);
    let (mut nash, mut ks, mut genius, mut sw) = (
        Best::new(true),
        Best::new(true),
        Best::new(false),
        Best::new(true),
    );
    // With equal powers the plain product ranks outcomes as the weighted one does, without
    // a logarithm per party.
    let equal = power.windows(2).all(|w| w[0] == w[1]);
    for (i, u) in candidates.iter().enumerate() {
        let w = welfare(u);
        genius.offer(i, gap(u), w);
        if !rational(u, d) {
            continue;
        }
        let score = if equal {
            product(u, d)
        } else {
            nash_log(u, d, power).unwrap_or(f64::NEG_INFINITY)
        };
        nash.offer(i, score, w);
        if let Some(a) = &ideal
            && let Some(f) = min_fraction(u, d, a)
        {
            ks.offer(i, f, w);
        }
        sw.offer(i, w, w);
    }
    Picks {
        ideal,
        nash: nash.best.map(|(i, _, _)| (i, product(candidates[i], d))),
        kalai_smorodinsky: ks.best.map(|(i, f, _)| (i, f)),
        genius_ks: genius.best.map(|(i, g, _)| (i, g)),
        max_welfare: sw.best.map(|(i, w, _)| (i, w)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_on_a_small_frontier() {
        // (1, 0), (0.8, 0.5), (0.5, 0.8), (0, 1) with d = (0, 0.6): only the last two are
        // rational; ideal (0.5, 1).
        let us: [&[f64]; 4] = [&[1.0, 0.0], &[0.8, 0.5], &[0.5, 0.8], &[0.0, 1.0]];
        let p = pick(&us, &[0.0, 0.6], &[0.5, 0.5]);
        assert_eq!(p.ideal, Some(vec![0.5, 1.0]));
        // Nash: 0.5·0.2 against 0·0.4.
        let (i, v) = p.nash.unwrap();
        assert_eq!(i, 2);
        assert!((v - 0.1).abs() < 1e-15);
        // KS fractions: (1, 0.5) and (0, 1): the first.
        let (i, f) = p.kalai_smorodinsky.unwrap();
        assert_eq!(i, 2);
        assert!((f - 0.5).abs() < 1e-15);
        // GENIUS gaps 1, 0.3, 0.3, 1: a tie at equal welfare goes to the earlier.
        assert_eq!(p.genius_ks.unwrap().0, 1);
        // Welfare among the rational: 1.3 against 1.
        assert_eq!(p.max_welfare.unwrap().0, 2);
    }

    #[test]
    fn powers_move_the_nash_point() {
        // A linear pie on a grid: u = (x, 1 − x), d = 0; with α = (0.3, 0.7) the product
        // x^0.3 (1 − x)^0.7 peaks at x = 0.3.
        let us: Vec<Vec<f64>> = (0..=10)
            .map(|k| vec![k as f64 / 10.0, 1.0 - k as f64 / 10.0])
            .collect();
        let refs: Vec<&[f64]> = us.iter().map(|u| u.as_slice()).collect();
        let p = pick(&refs, &[0.0, 0.0], &[0.3, 0.7]);
        assert_eq!(p.nash.unwrap().0, 3);
        let p = pick(&refs, &[0.0, 0.0], &[0.5, 0.5]);
        assert_eq!(p.nash.unwrap().0, 5);
    }

    #[test]
    fn nothing_rational_means_no_nash_ks_or_welfare_point() {
        let us: [&[f64]; 2] = [&[1.0, 0.0], &[0.0, 1.0]];
        let p = pick(&us, &[0.9, 0.9], &[0.5, 0.5]);
        assert!(p.ideal.is_none() && p.nash.is_none());
        assert!(p.kalai_smorodinsky.is_none() && p.max_welfare.is_none());
        assert!(p.genius_ks.is_some());
    }

    #[test]
    fn ties_go_to_the_higher_welfare() {
        // Both have the smallest fraction 0.5 (ideal (1, 1)); the second has more welfare.
        let us: [&[f64]; 3] = [&[0.5, 0.5], &[0.5, 0.9], &[1.0, 0.0]];
        let p = pick(&us, &[0.0, 0.0], &[0.5, 0.5]);
        assert_eq!(p.kalai_smorodinsky.unwrap().0, 1);
        assert_eq!(compare(1.0, 1.0 + 1e-14), Ordering::Equal);
        assert_eq!(
            compare(f64::NEG_INFINITY, f64::NEG_INFINITY),
            Ordering::Equal
        );
        assert_eq!(compare(f64::NEG_INFINITY, -1.0), Ordering::Less);
    }
}
