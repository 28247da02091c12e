//! Exact, order-independent sums of real numbers.
//!
//! Each value is rounded to a multiple of 2⁻³² and summed as an integer, so a total is the
//! same whatever order blocks are combined in: across thread counts and shard splits.

use serde::{Deserialize, Serialize};

const SCALE: f64 = 4_294_967_296.0; // 2^32

/// A sum of values, each kept to 2⁻³² (about 2·10⁻¹⁰).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FixedSum(pub i128);

impl FixedSum {
    /// Adds `x` (NaN counts as 0).
    #[inline(always)]
    pub fn add(&mut self, x: f64) {
        self.0 += (x * SCALE) as i64 as i128;
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
