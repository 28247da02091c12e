//! Exact, order-independent sums of real numbers.
//!
//! Each value is cut to a multiple of 2⁻⁴⁰ ("units") and summed as an integer, so a total is
//! the same whatever order it is added in: across thread counts and shard splits. Utilities
//! are computed in units too, which makes a utility a sum of per-clause terms that is exact,
//! so a deal's utility is the same bits however its terms are grouped (a sweep that reuses
//! the unchanged clauses' sum agrees exactly with a single run).

use serde::{Deserialize, Serialize};

const SCALE: f64 = 1_099_511_627_776.0; // 2^40

/// `x` in units of 2⁻⁴⁰, rounded to nearest (`+ 0.5`, then toward zero: monotone in `x`
/// and cheaper than `f64::round`); saturates at ±∞; NaN → 0.
#[inline(always)]
pub fn to_units(x: f64) -> i64 {
    (x * SCALE + 0.5) as i64
}

/// A number of units as a float.
#[inline]
pub fn from_units(u: i64) -> f64 {
    u as f64 / SCALE
}

/// A sum of values, each kept to 2⁻⁴⁰ (about 10⁻¹²).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FixedSum(pub i128);

impl FixedSum {
    /// Adds `x` (NaN counts as 0).
    #[inline(always)]
    pub fn add(&mut self, x: f64) {
        self.0 += to_units(x) as i128;
    }

    /// Adds a value already in units.
    #[inline(always)]
    pub fn add_units(&mut self, u: i64) {
        self.0 += u as i128;
    }

    /// Adds another sum.
    #[inline]
    pub fn merge(&mut self, other: FixedSum) {
        self.0 += other.0;
    }

    /// The sum as a float.
    pub fn value(self) -> f64 {
        self.0 as f64 / SCALE
    }

    /// The mean over `n` values (NaN when `n` is 0).
    pub fn mean(self, n: u64) -> f64 {
        if n == 0 { f64::NAN } else { self.value() / n as f64 }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_does_not_matter() {
        let xs = [0.1, 0.7, 1e-3, 0.333333, 0.9999, -0.25];
        let mut a = FixedSum::default();
        for x in xs {
            a.add(x);
        }
        let mut b = FixedSum::default();
        for x in xs.iter().rev() {
            b.add(*x);
        }
        assert_eq!(a, b);
        assert!((a.value() - xs.iter().sum::<f64>()).abs() < 1e-8);
    }
}
