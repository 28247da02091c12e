//! Estimates of probabilities with their 95% Wilson score intervals.

use serde::{Deserialize, Serialize};

/// Reads a number that JSON may hold as `null` (how serde_json writes NaN) back as NaN.
pub fn null_as_nan<'de, D: serde::Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    Ok(Option::<f64>::deserialize(d)?.unwrap_or(f64::NAN))
}

/// z for a two-sided 95% interval.
pub const Z95: f64 = 1.959963984540054;

/// A proportion `k / n` with its 95% Wilson score interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Estimate {
    #[serde(deserialize_with = "null_as_nan")]
    pub p: f64,
    pub lo: f64,
    pub hi: f64,
    pub n: u64,
}

impl Estimate {
    /// The estimate from `k` successes in `n` trials.
    pub fn from_counts(k: u64, n: u64) -> Estimate {
        let (lo, hi) = wilson(k, n, Z95);
        let p = if n == 0 {
            f64::NAN
        } else {
            k as f64 / n as f64
        };
        Estimate { p, lo, hi, n }
    }

    /// Half the width of the interval.
    pub fn half_width(&self) -> f64 {
        0.5 * (self.hi - self.lo)
    }
}

/// Wilson score interval for `k` successes in `n` trials at normal quantile `z`
/// (`(0, 1)` when `n` is 0: nothing is known).
pub fn wilson(k: u64, n: u64, z: f64) -> (f64, f64) {
    if n == 0 {
        return (0.0, 1.0);
    }
    let (k, n) = (k as f64, n as f64);
    let z2 = z * z;
    let centre = (k + z2 / 2.0) / (n + z2);
    let half = z * (k * (n - k) / n + z2 / 4.0).sqrt() / (n + z2);
    ((centre - half).max(0.0), (centre + half).min(1.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wilson_matches_published_values() {
        // Newcombe (1998), Table I: 81/263 → 0.2553 to 0.3662; 15/148 → 0.0624 to 0.1605.
        let (lo, hi) = wilson(81, 263, Z95);
        assert!(
            (lo - 0.2553).abs() < 5e-5 && (hi - 0.3662).abs() < 5e-5,
            "{lo} {hi}"
        );
        let (lo, hi) = wilson(15, 148, Z95);
        assert!(
            (lo - 0.0624).abs() < 5e-5 && (hi - 0.1605).abs() < 5e-5,
            "{lo} {hi}"
        );
        // 0/10 → 0 to 0.2775; 10/10 → 0.7225 to 1.
        let (lo, hi) = wilson(0, 10, Z95);
        assert!(lo == 0.0 && (hi - 0.2775).abs() < 5e-5);
        let (lo, hi) = wilson(10, 10, Z95);
        assert!((lo - 0.7225).abs() < 5e-5 && hi == 1.0);
    }

    #[test]
    fn wilson_formula_exact() {
        let (k, n) = (37.0_f64, 120.0_f64);
        let z2 = Z95 * Z95;
        let c = (k + z2 / 2.0) / (n + z2);
        let h = Z95 * (k * (n - k) / n + z2 / 4.0).sqrt() / (n + z2);
        let (lo, hi) = wilson(37, 120, Z95);
        assert!((lo - (c - h)).abs() < 1e-15 && (hi - (c + h)).abs() < 1e-15);
    }
}
