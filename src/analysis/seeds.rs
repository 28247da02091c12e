//! Comparing seeds: is the spread of an estimate across seeds what its intervals claim?
//!
//! Under honest intervals each seed's estimate is roughly normal with the reported standard
//! error σ, so with S seeds, (S − 1)·(sd / σ)² follows a χ² law with S − 1 degrees of
//! freedom. The verdict is "consistent" when sd / σ lies inside the central 99% of that law.

use serde::{Deserialize, Serialize};
use statrs::distribution::{ChiSquared, ContinuousCDF};

use crate::sim::Estimate;

/// The report of `accord seeds`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SeedsReport {
    pub scenario: String,
    pub protocol: String,
    pub rounds: u64,
    pub seeds: Vec<u64>,
    /// One entry per proposal (or sweep point) and estimate: agreement, then each party's
    /// acceptance under ratify; agreement only for a dynamic protocol.
    pub estimates: Vec<SeedSummary>,
}

/// One estimate across seeds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SeedSummary {
    pub proposal: String,
    /// `agreement`, or the party whose acceptance this is.
    pub estimate: String,
    /// Each seed's estimate, in seed order.
    pub per_seed: Vec<Estimate>,
    /// Mean of the estimates.
    pub mean: f64,
    /// Standard deviation of the estimates across seeds.
    pub spread: f64,
    /// Mean reported standard error (95% half-width / z).
    pub mean_se: f64,
    /// `spread / mean_se` (1 when the intervals are honest; NaN, `null` in JSON, when the
    /// estimate never varies).
    #[serde(deserialize_with = "crate::sim::estimate::null_as_nan")]
    pub ratio: f64,
    /// Central 99% range of the ratio for this many seeds.
    pub band: [f64; 2],
    pub verdict: Verdict,
}

/// Whether the spread across seeds agrees with the intervals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// The spread is what the intervals claim.
    Consistent,
    /// The estimates vary more than the intervals claim: the intervals are too narrow.
    SpreadTooWide,
    /// The estimates vary less than the intervals claim: the intervals are too wide.
    SpreadTooNarrow,
    /// No variation at all (a probability of exactly 0 or 1).
    Exact,
    /// Fewer than 3 seeds.
    TooFewSeeds,
}

impl Verdict {
    /// Short text for tables.
    pub fn text(self) -> &'static str {
        match self {
            Verdict::Consistent => "consistent",
            Verdict::SpreadTooWide => "spread too wide",
            Verdict::SpreadTooNarrow => "spread too narrow",
            Verdict::Exact => "exact",
            Verdict::TooFewSeeds => "too few seeds",
        }
    }
}

/// One probability a run estimates, named by what it is about (a proposal, a sweep point, a
/// protocol's play) and which estimate it is (`agreement`, or a party's acceptance).
#[derive(Debug, Clone, PartialEq)]
pub struct Named {
    pub subject: String,
    pub estimate: String,
    pub value: Estimate,
}

impl Named {
    pub fn new(subject: impl Into<String>, estimate: impl Into<String>, value: Estimate) -> Self {
        Named {
            subject: subject.into(),
            estimate: estimate.into(),
            value,
        }
    }
}

/// Summaries of every estimate of runs that differ only in their seed: `runs[i]` holds run
/// `i`'s estimates, every run the same ones in the same order (the first run's names are
/// used). `z` is the normal quantile the intervals were made with.
pub fn summarise(runs: &[Vec<Named>], z: f64) -> Vec<SeedSummary> {
    let Some(first) = runs.first() else {
        return Vec::new();
    };
    first
        .iter()
        .enumerate()
        .map(|(i, named)| {
            let per_seed: Vec<Estimate> = runs.iter().map(|r| r[i].value).collect();
            summary(&named.subject, &named.estimate, per_seed, z)
        })
        .collect()
}

fn summary(proposal: &str, estimate: &str, per_seed: Vec<Estimate>, z: f64) -> SeedSummary {
    let s = per_seed.len();
    let mean = per_seed.iter().map(|e| e.p).sum::<f64>() / s as f64;
    let spread = if s > 1 {
        (per_seed.iter().map(|e| (e.p - mean).powi(2)).sum::<f64>() / (s - 1) as f64).sqrt()
    } else {
        0.0
    };
    // The binomial standard error of each seed's estimate, averaged.
    let mean_se = per_seed
        .iter()
        .map(|e| (e.p * (1.0 - e.p) / e.n as f64).sqrt())
        .sum::<f64>()
        / s as f64;
    let band = ratio_band(s);
    let ratio = if mean_se > 0.0 {
        spread / mean_se
    } else {
        f64::NAN
    };
    let verdict = if mean_se == 0.0 && spread == 0.0 {
        Verdict::Exact
    } else if s < 3 {
        Verdict::TooFewSeeds
    } else if ratio > band[1] {
        Verdict::SpreadTooWide
    } else if ratio < band[0] {
        Verdict::SpreadTooNarrow
    } else {
        Verdict::Consistent
    };
    let _ = z;
    SeedSummary {
        proposal: proposal.to_string(),
        estimate: estimate.to_string(),
        per_seed,
        mean,
        spread,
        mean_se,
        ratio,
        band,
        verdict,
    }
}

/// Central 99% range of sd/σ for `s` seeds: `sqrt(χ²_{s−1}(q) / (s − 1))` at q = 0.005, 0.995.
pub fn ratio_band(s: usize) -> [f64; 2] {
    if s < 2 {
        return [0.0, f64::INFINITY];
    }
    let k = (s - 1) as f64;
    match ChiSquared::new(k) {
        Ok(chi) => [
            (chi.inverse_cdf(0.005) / k).sqrt(),
            (chi.inverse_cdf(0.995) / k).sqrt(),
        ],
        Err(_) => [0.0, f64::INFINITY],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn band_matches_chi_square_tables() {
        // χ²₁₉: 0.5% quantile 6.844, 99.5% quantile 38.582.
        let [lo, hi] = ratio_band(20);
        assert!((lo - (6.844_f64 / 19.0).sqrt()).abs() < 1e-3, "{lo}");
        assert!((hi - (38.582_f64 / 19.0).sqrt()).abs() < 1e-3, "{hi}");
    }

    fn est(p: f64, n: u64) -> Estimate {
        Estimate { p, lo: p, hi: p, n }
    }

    #[test]
    fn verdicts() {
        let honest: Vec<Estimate> = [0.50, 0.51, 0.49, 0.505, 0.495, 0.5]
            .iter()
            .map(|&p| est(p, 2500))
            .collect();
        assert_eq!(summary("x", "a", honest, 1.96).verdict, Verdict::Consistent);
        let wild: Vec<Estimate> = [0.3, 0.7, 0.4, 0.6, 0.5]
            .iter()
            .map(|&p| est(p, 100_000))
            .collect();
        assert_eq!(
            summary("x", "a", wild, 1.96).verdict,
            Verdict::SpreadTooWide
        );
        let flat: Vec<Estimate> = [0.5; 6].iter().map(|&p| est(p, 100)).collect();
        assert_eq!(
            summary("x", "a", flat, 1.96).verdict,
            Verdict::SpreadTooNarrow
        );
        let exact: Vec<Estimate> = [1.0; 6].iter().map(|&p| est(p, 100)).collect();
        assert_eq!(summary("x", "a", exact, 1.96).verdict, Verdict::Exact);
    }
}
