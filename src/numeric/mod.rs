//! Numeric kernels under the engine: SIMD lane dispatch, branch-free `exp`/`ln`, the normal
//! CDF and quantile, and the random stream with its normal sampler. No domain types;
//! everything above may use them.

pub mod fastmath;
pub mod lanes;
pub mod normal;
pub mod stream;
pub mod ziggurat;

/// Helpers for the unit tests of the sampling code (the integration tests have their own in
/// `tests/common`).
#[cfg(test)]
pub(crate) mod testing {
    /// The Kolmogorov–Smirnov distance between `samples` (sorted here) and `cdf`.
    pub fn ks_distance(samples: &mut [f64], cdf: impl Fn(f64) -> f64) -> f64 {
        samples.sort_by(f64::total_cmp);
        let n = samples.len() as f64;
        samples
            .iter()
            .enumerate()
            .map(|(i, &x)| {
                let c = cdf(x);
                (c - i as f64 / n).max((i + 1) as f64 / n - c)
            })
            .fold(0.0, f64::max)
    }

    /// The distance KS exceeds with probability about 10⁻⁶ for `n` samples.
    pub fn ks_critical(n: usize) -> f64 {
        2.7 / (n as f64).sqrt()
    }
}
