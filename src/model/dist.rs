//! Probability distributions of uncertain parameters, truncated to a parameter's valid range.
//!
//! Sampling is exact: a draw outside the valid range is rejected and drawn again when most of
//! the mass lies inside it, and otherwise the truncated quantile is inverted. Correlated
//! parameters are driven by a standard normal through the same truncated quantile
//! (a Gaussian copula).

use rand_distr::Distribution;
use statrs::distribution::{Beta as BetaCdf, ContinuousCDF};

use crate::numeric::fastmath::exp;
use crate::numeric::lanes::{map_in_place, map_into, select};
use crate::numeric::stream::Stream;
use crate::numeric::ziggurat::{normal, normals};
use crate::text::Num;

/// A distribution family with its parameters, as written in a scenario.
#[derive(Debug, Clone, PartialEq)]
pub enum Dist {
    /// Gaussian with mean and standard deviation (`sd` = 0 is a point mass).
    Normal { mean: f64, sd: f64 },
    /// Uniform on `[lo, hi]`.
    Uniform { lo: f64, hi: f64 },
    /// Triangular on `[lo, hi]` with its peak at `mode`.
    Triangular { lo: f64, mode: f64, hi: f64 },
    /// Beta(a, b) rescaled from `[0, 1]` to `[lo, hi]`.
    Beta { a: f64, b: f64, lo: f64, hi: f64 },
    /// `exp(N(mu, sigma))`.
    LogNormal { mu: f64, sigma: f64 },
}

impl Dist {
    /// The family's name as written in scenario files.
    pub fn family(&self) -> &'static str {
        match self {
            Dist::Normal { .. } => "normal",
            Dist::Uniform { .. } => "uniform",
            Dist::Triangular { .. } => "triangular",
            Dist::Beta { .. } => "beta",
            Dist::LogNormal { .. } => "lognormal",
        }
    }

    /// Checks the parameters; the message says what would be valid.
    pub fn validate(&self) -> Result<(), String> {
        let finite = |name: &str, v: f64| {
            if v.is_finite() {
                Ok(())
            } else {
                Err(format!("{name} must be a finite number, not {}", Num(v)))
            }
        };
        match *self {
            Dist::Normal { mean, sd } => {
                finite("mean", mean)?;
                finite("sd", sd)?;
                if sd < 0.0 {
                    return Err(format!("normal sd must be >= 0, got {}", Num(sd)));
                }
            }
            Dist::Uniform { lo, hi } => {
                finite("lo", lo)?;
                finite("hi", hi)?;
                if lo > hi {
                    return Err(format!(
                        "uniform needs lo <= hi, got [{}, {}]",
                        Num(lo),
                        Num(hi)
                    ));
                }
            }
            Dist::Triangular { lo, mode, hi } => {
                finite("lo", lo)?;
                finite("mode", mode)?;
                finite("hi", hi)?;
                if !(lo <= mode && mode <= hi) || lo == hi {
                    return Err(format!(
                        "triangular needs lo <= mode <= hi with lo < hi, got [{}, {}, {}]",
                        Num(lo),
                        Num(mode),
                        Num(hi)
                    ));
                }
            }
            Dist::Beta { a, b, lo, hi } => {
                finite("a", a)?;
                finite("b", b)?;
                finite("min", lo)?;
                finite("max", hi)?;
                if a <= 0.0 || b <= 0.0 {
                    return Err(format!(
                        "beta needs a > 0 and b > 0, got a = {}, b = {}",
                        Num(a),
                        Num(b)
                    ));
                }
                if lo >= hi {
                    return Err(format!(
                        "beta needs min < max, got [{}, {}]",
                        Num(lo),
                        Num(hi)
                    ));
                }
            }
            Dist::LogNormal { mu, sigma } => {
                finite("mu", mu)?;
                finite("sigma", sigma)?;
                if sigma < 0.0 {
                    return Err(format!("lognormal sigma must be >= 0, got {}", Num(sigma)));
                }
            }
        }
        Ok(())
    }

    /// The mean of the untruncated distribution.
    pub fn mean(&self) -> f64 {
        match *self {
            Dist::Normal { mean, .. } => mean,
            Dist::Uniform { lo, hi } => 0.5 * (lo + hi),
            Dist::Triangular { lo, mode, hi } => (lo + mode + hi) / 3.0,
            Dist::Beta { a, b, lo, hi } => lo + (hi - lo) * a / (a + b),
            Dist::LogNormal { mu, sigma } => (mu + 0.5 * sigma * sigma).exp(),
        }
    }

    /// Short text such as `normal(mean 0.45, sd 0.08)`.
    pub fn describe(&self) -> String {
        // Numbers as messages show them: `1e300`, not 301 digits.
        let n = Num;
        match *self {
            Dist::Normal { mean, sd } => format!("normal(mean {}, sd {})", n(mean), n(sd)),
            Dist::Uniform { lo, hi } => format!("uniform[{}, {}]", n(lo), n(hi)),
            Dist::Triangular { lo, mode, hi } => {
                format!("triangular[{}, {}, {}]", n(lo), n(mode), n(hi))
            }
            Dist::Beta { a, b, lo, hi } => {
                if lo == 0.0 && hi == 1.0 {
                    format!("beta(a {}, b {})", n(a), n(b))
                } else {
                    format!("beta(a {}, b {}) on [{}, {}]", n(a), n(b), n(lo), n(hi))
                }
            }
            Dist::LogNormal { mu, sigma } => format!("lognormal(mu {}, sigma {})", n(mu), n(sigma)),
        }
    }

    /// A point mass, if the distribution is degenerate.
    fn point(&self) -> Option<f64> {
        match *self {
            Dist::Normal { mean, sd: 0.0 } => Some(mean),
            Dist::Uniform { lo, hi } if lo == hi => Some(lo),
            Dist::LogNormal { mu, sigma: 0.0 } => Some(mu.exp()),
            _ => None,
        }
    }

    /// Cumulative distribution function (for non-degenerate distributions).
    fn cdf(&self, x: f64) -> f64 {
        match *self {
            Dist::Normal { mean, sd } => std_normal_cdf((x - mean) / sd),
            Dist::Uniform { lo, hi } => ((x - lo) / (hi - lo)).clamp(0.0, 1.0),
            Dist::Triangular { lo, mode, hi } => {
                if x <= lo {
                    0.0
                } else if x >= hi {
                    1.0
                } else if x <= mode {
                    (x - lo).powi(2) / ((hi - lo) * (mode - lo))
                } else {
                    1.0 - (hi - x).powi(2) / ((hi - lo) * (hi - mode))
                }
            }
            Dist::Beta { a, b, lo, hi } => match BetaCdf::new(a, b) {
                Ok(d) => d.cdf(((x - lo) / (hi - lo)).clamp(0.0, 1.0)),
                Err(_) => f64::NAN,
            },
            Dist::LogNormal { mu, sigma } => {
                if x <= 0.0 {
                    0.0
                } else {
                    std_normal_cdf((x.ln() - mu) / sigma)
                }
            }
        }
    }

    /// Inverse of [`Dist::cdf`] for `p` in `[0, 1]`.
    fn quantile(&self, p: f64) -> f64 {
        let p = p.clamp(0.0, 1.0);
        match *self {
            Dist::Normal { mean, sd } => mean + sd * std_normal_quantile(p),
            Dist::Uniform { lo, hi } => lo + (hi - lo) * p,
            Dist::Triangular { lo, mode, hi } => {
                let split = (mode - lo) / (hi - lo);
                if p <= split {
                    lo + ((hi - lo) * (mode - lo) * p).sqrt()
                } else {
                    hi - ((hi - lo) * (hi - mode) * (1.0 - p)).sqrt()
                }
            }
            Dist::Beta { a, b, lo, hi } => match BetaCdf::new(a, b) {
                Ok(d) => lo + (hi - lo) * d.inverse_cdf(p),
                Err(_) => f64::NAN,
            },
            Dist::LogNormal { mu, sigma } => (mu + sigma * std_normal_quantile(p)).exp(),
        }
    }
}

/// Standard normal CDF Φ.
pub fn std_normal_cdf(z: f64) -> f64 {
    crate::numeric::normal::cdf(z)
}

/// Standard normal quantile Φ⁻¹.
pub fn std_normal_quantile(p: f64) -> f64 {
    crate::numeric::normal::quantile(p)
}

/// How a truncated distribution is drawn.
#[derive(Debug, Clone, PartialEq)]
enum Method {
    /// Always the same value.
    Point(f64),
    /// Draw and reject outside `[lo, hi]` (most of the mass is inside).
    Reject,
    /// Invert the truncated CDF (little of the mass is inside).
    Invert,
}

/// A distribution truncated to `[lo, hi]`, ready to sample.
#[derive(Debug, Clone, PartialEq)]
pub struct Truncated {
    pub dist: Dist,
    pub lo: f64,
    pub hi: f64,
    method: Method,
    cdf_lo: f64,
    cdf_hi: f64,
    beta: Option<rand_distr::Beta<f64>>,
}

/// Below this share of mass inside the valid range, rejection would be slow: invert instead.
const REJECT_MIN_MASS: f64 = 0.25;
/// Below this share of mass, the truncation is almost surely a mistake in the scenario.
const MIN_MASS: f64 = 1e-9;

impl Truncated {
    /// Truncates `dist` to `[lo, hi]` (either may be infinite). Fails when the distribution
    /// puts (almost) no mass in the range.
    pub fn new(dist: Dist, lo: f64, hi: f64) -> Result<Self, String> {
        dist.validate()?;
        let beta = match dist {
            Dist::Beta { a, b, .. } => {
                Some(rand_distr::Beta::new(a, b).map_err(|e| e.to_string())?)
            }
            _ => None,
        };
        if let Some(x) = dist.point() {
            if x < lo || x > hi {
                return Err(format!(
                    "{} is a point mass at {}, outside the valid range {}",
                    dist.describe(),
                    Num(x),
                    range_text(lo, hi)
                ));
            }
            return Ok(Truncated {
                dist,
                lo,
                hi,
                method: Method::Point(x),
                cdf_lo: 0.0,
                cdf_hi: 1.0,
                beta,
            });
        }
        let cdf_lo = if lo == f64::NEG_INFINITY {
            0.0
        } else {
            dist.cdf(lo)
        };
        let cdf_hi = if hi == f64::INFINITY {
            1.0
        } else {
            dist.cdf(hi)
        };
        let mass = cdf_hi - cdf_lo;
        // NaN (a CDF that failed) counts as no mass.
        if mass.is_nan() || mass < MIN_MASS {
            return Err(format!(
                "{} puts no mass in the valid range {}",
                dist.describe(),
                range_text(lo, hi)
            ));
        }
        let method = if mass >= REJECT_MIN_MASS {
            Method::Reject
        } else {
            Method::Invert
        };
        Ok(Truncated {
            dist,
            lo,
            hi,
            method,
            cdf_lo,
            cdf_hi,
            beta,
        })
    }

    /// Whether the value never varies.
    pub fn is_point(&self) -> bool {
        matches!(self.method, Method::Point(_))
    }

    /// One draw from the untruncated distribution.
    #[inline]
    fn draw_raw(&self, rng: &mut Stream) -> f64 {
        match self.dist {
            Dist::Normal { mean, sd } => mean + sd * normal(rng),
            Dist::Uniform { lo, hi } => lo + (hi - lo) * rng.uniform(),
            Dist::Triangular { .. } => self.dist.quantile(rng.uniform()),
            Dist::Beta { lo, hi, .. } => match &self.beta {
                Some(b) => lo + (hi - lo) * b.sample(rng),
                None => f64::NAN,
            },
            Dist::LogNormal { mu, sigma } => exp(mu + sigma * normal(rng)),
        }
    }

    /// One draw from the truncated distribution.
    #[inline]
    pub fn sample(&self, rng: &mut Stream) -> f64 {
        match self.method {
            Method::Point(x) => x,
            Method::Reject => self.draw_inside(rng),
            Method::Invert => self.from_uniform(rng.uniform()),
        }
    }

    /// Untruncated draws until one falls inside the range.
    fn draw_inside(&self, rng: &mut Stream) -> f64 {
        loop {
            let x = self.draw_raw(rng);
            if x >= self.lo && x <= self.hi {
                return x;
            }
        }
    }

    /// The truncated quantile at `u` in `[0, 1]`.
    pub fn from_uniform(&self, u: f64) -> f64 {
        match self.method {
            Method::Point(x) => x,
            _ => {
                let x = self
                    .dist
                    .quantile(self.cdf_lo + u * (self.cdf_hi - self.cdf_lo));
                x.clamp(self.lo, self.hi)
            }
        }
    }

    /// The truncated CDF at `x`: where `x` falls among the draws, in `[0, 1]` (the inverse
    /// of [`Truncated::from_uniform`]; 1/2 for a point mass). With it a draw can be moved to
    /// another distribution by its quantile.
    pub fn to_uniform(&self, x: f64) -> f64 {
        match self.method {
            Method::Point(_) => 0.5,
            _ => {
                let mass = self.cdf_hi - self.cdf_lo;
                ((self.dist.cdf(x) - self.cdf_lo) / mass).clamp(0.0, 1.0)
            }
        }
    }

    /// The value whose truncated quantile is Φ(z): the marginal of a Gaussian copula.
    pub fn from_normal(&self, z: f64) -> f64 {
        self.from_uniform(std_normal_cdf(z))
    }

    /// Fills `out` with draws. Rejection sampling draws every element once in bulk (the
    /// normals by [`normals`], the others from [`Stream::uniforms`]), in vector loops, then
    /// draws again, in order and one at a time, each element that fell outside the range
    /// until it falls inside. Inversion maps bulk uniforms through the truncated quantile.
    pub fn fill(&self, rng: &mut Stream, out: &mut [f64]) {
        match (&self.method, &self.dist) {
            (Method::Point(x), _) => out.fill(*x),
            (Method::Invert, _) => {
                rng.uniforms(out);
                out.iter_mut().for_each(|u| *u = self.from_uniform(*u));
            }
            (Method::Reject, &Dist::Normal { mean, sd }) => {
                normals(rng, out);
                map_in_place(out, move |z| mean + sd * z);
                self.redraw_outside(rng, out);
            }
            (Method::Reject, &Dist::LogNormal { mu, sigma }) => {
                normals(rng, out);
                map_in_place(out, move |z| exp(mu + sigma * z));
                self.redraw_outside(rng, out);
            }
            (Method::Reject, &Dist::Uniform { lo: a, hi: b }) => {
                rng.uniforms(out);
                map_in_place(out, move |u| a + (b - a) * u);
                self.redraw_outside(rng, out);
            }
            (Method::Reject, &Dist::Triangular { lo: a, mode, hi: b }) => {
                rng.uniforms(out);
                let quantile = triangular_quantile(a, mode, b);
                map_in_place(out, quantile);
                self.redraw_outside(rng, out);
            }
            (Method::Reject, Dist::Beta { .. }) => {
                for o in out {
                    *o = self.draw_inside(rng);
                }
            }
        }
    }

    /// Replaces each element of `out` outside the range, in order, by a fresh draw inside it.
    fn redraw_outside(&self, rng: &mut Stream, out: &mut [f64]) {
        let (lo, hi) = (self.lo, self.hi);
        for o in out {
            if !(*o >= lo && *o <= hi) {
                *o = self.draw_inside(rng);
            }
        }
    }

    /// Writes [`Truncated::from_normal`] of each of `zs` into `out` (`scratch` as long);
    /// normal and triangular marginals in loops the compiler vectorises.
    pub fn fill_from_normal(&self, zs: &[f64], out: &mut [f64], scratch: &mut [f64]) {
        let (lo, hi) = (self.lo, self.hi);
        let (base, mass) = (self.cdf_lo, self.cdf_hi - self.cdf_lo);
        match (&self.method, &self.dist) {
            (Method::Point(x), _) => out.fill(*x),
            // Untruncated: Φ⁻¹(Φ(z)) = z, without the round trip's error.
            (_, &Dist::Normal { mean, sd }) if self.cdf_lo == 0.0 && self.cdf_hi == 1.0 => {
                map_into(zs, out, move |z| (mean + sd * z).clamp(lo, hi));
            }
            (_, &Dist::Normal { mean, sd }) => {
                let ps = &mut scratch[..zs.len()];
                crate::numeric::normal::cdf_fill(zs, ps);
                map_in_place(ps, move |p| (base + p * mass).clamp(0.0, 1.0));
                crate::numeric::normal::quantile_fill(ps, out);
                map_in_place(out, move |x| (mean + sd * x).clamp(lo, hi));
            }
            (_, &Dist::Triangular { lo: a, mode, hi: b }) => {
                crate::numeric::normal::cdf_fill(zs, out);
                let quantile = triangular_quantile(a, mode, b);
                map_in_place(out, move |x| {
                    quantile((base + x * mass).clamp(0.0, 1.0)).clamp(lo, hi)
                });
            }
            _ => {
                for (o, &z) in out.iter_mut().zip(zs) {
                    *o = self.from_normal(z);
                }
            }
        }
    }
}

/// The triangular quantile as [`Dist::quantile`] computes it, for `p` in `[0, 1]`, without
/// branches, so loops over it vectorise.
#[inline(always)]
fn triangular_quantile(a: f64, mode: f64, b: f64) -> impl Fn(f64) -> f64 {
    let split = (mode - a) / (b - a);
    let (left, right) = ((b - a) * (mode - a), (b - a) * (b - mode));
    move |p| {
        // One square root, of the branch's argument (the same bits as either branch).
        let rising = p <= split;
        let root = select(rising, left * p, right * (1.0 - p)).sqrt();
        select(rising, a + root, b - root)
    }
}

/// `[0, 1]`, `[0, ∞)` and so on.
pub fn range_text(lo: f64, hi: f64) -> String {
    let l = if lo == f64::NEG_INFINITY {
        "(-∞".to_string()
    } else {
        format!("[{}", Num(lo))
    };
    let h = if hi == f64::INFINITY {
        "∞)".to_string()
    } else {
        format!("{}]", Num(hi))
    };
    format!("{l}, {h}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::numeric::testing::{ks_critical, ks_distance};

    fn laws() -> Vec<Truncated> {
        let normal = Dist::Normal { mean: 0.4, sd: 0.3 };
        vec![
            Truncated::new(normal.clone(), 0.0, 1.0).unwrap(),
            Truncated::new(normal, f64::NEG_INFINITY, f64::INFINITY).unwrap(),
            Truncated::new(Dist::Normal { mean: 3.0, sd: 1.0 }, 0.0, 1.0).unwrap(),
            Truncated::new(Dist::Uniform { lo: -0.5, hi: 0.5 }, 0.0, 1.0).unwrap(),
            Truncated::new(Dist::Uniform { lo: 0.2, hi: 0.7 }, 0.0, 1.0).unwrap(),
            Truncated::new(
                Dist::Triangular {
                    lo: 0.1,
                    mode: 0.2,
                    hi: 0.6,
                },
                0.0,
                1.0,
            )
            .unwrap(),
            Truncated::new(
                Dist::LogNormal {
                    mu: 0.0,
                    sigma: 1.0,
                },
                0.0,
                2.0,
            )
            .unwrap(),
        ]
    }

    #[test]
    fn fill_draws_the_truncated_law() {
        // Kolmogorov–Smirnov against the truncated CDF on 10⁵ draws per law (critical value
        // about 2.7/√n at p = 10⁻⁶), every draw inside the range.
        let n = 100_000;
        for law in laws() {
            let mut rng = Stream::new(7, 0);
            let mut xs = vec![0.0; n];
            law.fill(&mut rng, &mut xs);
            assert!(xs.iter().all(|&x| x >= law.lo && x <= law.hi));
            let d = ks_distance(&mut xs, |x| law.to_uniform(x));
            assert!(d < ks_critical(n), "{}: KS {d}", law.dist.describe());
        }
    }

    #[test]
    fn fill_without_redraws_is_one_draw_per_element() {
        // Laws whose every draw lands inside: the bulk draws are the one-at-a-time ones.
        for law in laws().into_iter().filter(|l| {
            matches!(l.dist, Dist::Uniform { lo, .. } | Dist::Triangular { lo, .. } if lo >= 0.0)
        }) {
            let mut a = Stream::new(5, 2);
            let mut b = a.clone();
            let mut filled = vec![0.0; 500];
            law.fill(&mut a, &mut filled);
            let one_by_one: Vec<f64> = (0..500).map(|_| law.sample(&mut b)).collect();
            assert_eq!(filled, one_by_one, "{}", law.dist.describe());
        }
    }

    #[test]
    fn fill_from_normal_is_the_copula_marginal() {
        let zs: Vec<f64> = (-400..=400).map(|i| i as f64 * 0.01).collect();
        for law in laws() {
            let mut out = vec![0.0; zs.len()];
            law.fill_from_normal(&zs, &mut out, &mut vec![0.0; zs.len()]);
            for (&z, &x) in zs.iter().zip(&out) {
                let want = law.from_normal(z);
                let untruncated = law.lo == f64::NEG_INFINITY && law.hi == f64::INFINITY;
                if !untruncated {
                    assert_eq!(x.to_bits(), want.to_bits(), "{}", law.dist.describe());
                }
                assert!(
                    (x - want).abs() <= 1e-8 * want.abs().max(1.0),
                    "{} at z = {z}: {x} vs {want}",
                    law.dist.describe()
                );
                assert!(x >= law.lo && x <= law.hi);
            }
        }
    }

    #[test]
    fn impossible_parameters_are_rejected() {
        assert!(
            Dist::Normal {
                mean: 0.0,
                sd: -1.0
            }
            .validate()
            .is_err()
        );
        assert!(Dist::Uniform { lo: 2.0, hi: 1.0 }.validate().is_err());
        assert!(
            Dist::Beta {
                a: 0.0,
                b: 1.0,
                lo: 0.0,
                hi: 1.0
            }
            .validate()
            .is_err()
        );
        assert!(
            Dist::Triangular {
                lo: 0.0,
                mode: 2.0,
                hi: 1.0
            }
            .validate()
            .is_err()
        );
        assert!(
            Dist::Normal {
                mean: f64::NAN,
                sd: 1.0
            }
            .validate()
            .is_err()
        );
    }

    #[test]
    fn truncation_without_mass_is_rejected() {
        assert!(Truncated::new(Dist::Uniform { lo: 2.0, hi: 3.0 }, 0.0, 1.0).is_err());
        assert!(Truncated::new(Dist::Normal { mean: 5.0, sd: 0.0 }, 0.0, 1.0).is_err());
    }

    #[test]
    fn quantile_inverts_cdf() {
        let dists = [
            Dist::Normal { mean: 0.3, sd: 0.2 },
            Dist::Uniform { lo: -1.0, hi: 2.0 },
            Dist::Triangular {
                lo: 0.0,
                mode: 0.2,
                hi: 1.0,
            },
            Dist::Beta {
                a: 2.0,
                b: 5.0,
                lo: 0.0,
                hi: 1.0,
            },
            Dist::LogNormal {
                mu: 0.0,
                sigma: 0.5,
            },
        ];
        for d in dists {
            for p in [0.01, 0.2, 0.5, 0.9, 0.99] {
                let x = d.quantile(p);
                assert!(
                    (d.cdf(x) - p).abs() < 1e-9,
                    "{d:?} p={p} x={x} cdf={}",
                    d.cdf(x)
                );
            }
        }
    }

    #[test]
    fn normal_cdf_matches_known_values() {
        assert!((std_normal_cdf(0.0) - 0.5).abs() < 1e-15);
        let c = std_normal_cdf(1.959963984540054);
        assert!((c - 0.975).abs() < 1e-11, "{c}");
        assert!((std_normal_quantile(0.975) - 1.959963984540054).abs() < 3e-9);
    }
}
