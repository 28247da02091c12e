//! Fast standard normal CDF and quantile for the sampling hot path (Gaussian copula,
//! truncated normals), accurate to about 1e-15 (CDF) and 1e-9 relative (quantile).

use super::fastmath::{exp, ln, polynomial};
use super::lanes::map_into;

/// Below this |z|, Hart's rational form; above, a continued fraction.
const NEAR: f64 = 7.071_067_811_865_47;

/// Φ(z), by Hart's algorithm 5666 as given by West (2005), "Better approximations to
/// cumulative normal functions": absolute error below 1e-14.
#[inline]
pub fn cdf(z: f64) -> f64 {
    let x = z.abs();
    let tail = if x < NEAR { tail_near(x) } else { tail_far(x) };
    if z > 0.0 { 1.0 - tail } else { tail }
}

/// [`cdf`] of each of `zs` into `out`, the same bits, in a loop the compiler vectorises
/// (the rare |z| >= 7.07 are redone one by one).
pub fn cdf_fill(zs: &[f64], out: &mut [f64]) {
    map_into(zs, out, |z| {
        let tail = tail_near(z.abs().min(NEAR));
        if z > 0.0 { 1.0 - tail } else { tail }
    });
    for (o, &z) in out.iter_mut().zip(zs) {
        if z.abs() >= NEAR {
            *o = cdf(z);
        }
    }
}

/// Φ(−x) for 0 <= x < 7.07.
#[inline(always)]
fn tail_near(x: f64) -> f64 {
    // Coefficients here and below: lowest power first.
    const N: [f64; 7] = [
        220.206_867_912_376,
        221.213_596_169_931,
        112.079_291_497_871,
        33.912_866_078_383,
        6.373_962_203_531_65,
        0.700_383_064_443_688,
        3.526_249_659_989_11e-2,
    ];
    const M: [f64; 8] = [
        440.413_735_824_752,
        793.826_512_519_948,
        637.333_633_378_831,
        296.564_248_779_674,
        86.780_732_202_946_1,
        16.064_177_579_207,
        1.755_667_163_182_64,
        8.838_834_764_831_84e-2,
    ];
    exp(-0.5 * x * x) * polynomial(x, N) / polynomial(x, M)
}

/// Φ(−x) for x >= 7.07.
#[cold]
fn tail_far(x: f64) -> f64 {
    if x > 37.0 {
        return 0.0;
    }
    let b = x + 1.0 / (x + 2.0 / (x + 3.0 / (x + 4.0 / (x + 0.65))));
    exp(-0.5 * x * x) / b / 2.506_628_274_631
}

const LOW: f64 = 0.02425;

/// Φ⁻¹(p) for p in (0, 1) by Acklam's rational approximation (relative error below
/// 1.15e-9); ±∞ at 0 and 1.
#[inline]
pub fn quantile(p: f64) -> f64 {
    if p <= 0.0 {
        return f64::NEG_INFINITY;
    }
    if p >= 1.0 {
        return f64::INFINITY;
    }
    if p < LOW {
        quantile_tail((-2.0 * ln(p)).sqrt())
    } else if p > 1.0 - LOW {
        -quantile_tail((-2.0 * ln(1.0 - p)).sqrt())
    } else {
        quantile_central(p)
    }
}

/// [`quantile`] of each of `ps` into `out`, the same bits, in a loop the compiler
/// vectorises (the tails, about 5% of draws, are redone one by one).
pub fn quantile_fill(ps: &[f64], out: &mut [f64]) {
    map_into(ps, out, |p| quantile_central(p.clamp(LOW, 1.0 - LOW)));
    for (o, &p) in out.iter_mut().zip(ps) {
        if !(LOW..=1.0 - LOW).contains(&p) {
            *o = quantile(p);
        }
    }
}

#[inline(always)]
fn quantile_central(p: f64) -> f64 {
    const A: [f64; 6] = [
        2.506_628_277_459_239,
        -3.066_479_806_614_716e1,
        1.383_577_518_672_69e2,
        -2.759_285_104_469_687e2,
        2.209_460_984_245_205e2,
        -3.969_683_028_665_376e1,
    ];
    const B: [f64; 6] = [
        1.0,
        -1.328_068_155_288_572e1,
        6.680_131_188_771_972e1,
        -1.556_989_798_598_866e2,
        1.615_858_368_580_409e2,
        -5.447_609_879_822_406e1,
    ];
    let q = p - 0.5;
    let r = q * q;
    polynomial(r, A) * q / polynomial(r, B)
}

#[inline(always)]
fn quantile_tail(q: f64) -> f64 {
    const C: [f64; 6] = [
        2.938_163_982_698_783,
        4.374_664_141_464_968,
        -2.549_732_539_343_734,
        -2.400_758_277_161_838,
        -3.223_964_580_411_365e-1,
        -7.784_894_002_430_293e-3,
    ];
    const D: [f64; 5] = [
        1.0,
        3.754_408_661_907_416,
        2.445_134_137_142_996,
        3.224_671_290_700_398e-1,
        7.784_695_709_041_462e-3,
    ];
    polynomial(q, C) / polynomial(q, D)
}

#[cfg(test)]
mod tests {
    use super::*;
    use statrs::distribution::{ContinuousCDF, Normal};

    /// Φ(z) by its Taylor series, exact to rounding for |z| <= 3.
    fn series(z: f64) -> f64 {
        let (mut term, mut sum, mut n) = (z, z, 0.0);
        while term.abs() > 1e-30 {
            n += 1.0;
            term *= z * z / (2.0 * n + 1.0);
            sum += term;
        }
        0.5 + (-0.5 * z * z).exp() / (2.0 * std::f64::consts::PI).sqrt() * sum
    }

    /// Φ(z) for z <= -3 by the continued fraction of the Mills ratio.
    fn tail(z: f64) -> f64 {
        let x = -z;
        let mut f = x;
        for k in (1..200).rev() {
            f = x + k as f64 / f;
        }
        (-0.5 * x * x).exp() / (2.0 * std::f64::consts::PI).sqrt() / f
    }

    #[test]
    fn cdf_is_accurate() {
        for i in -300..=300 {
            let z = i as f64 * 0.01;
            assert!(
                (cdf(z) - series(z)).abs() < 1e-15,
                "z = {z}: {} vs {}",
                cdf(z),
                series(z)
            );
        }
        for i in 300..=1000 {
            let z = -(i as f64) * 0.01;
            assert!(
                ((cdf(z) - tail(z)) / tail(z)).abs() < 1e-8,
                "z = {z}: {} vs {}",
                cdf(z),
                tail(z)
            );
        }
        assert_eq!(cdf(-40.0), 0.0);
        assert_eq!(cdf(40.0), 1.0);
    }

    #[test]
    fn block_versions_give_the_same_bits() {
        let zs: Vec<f64> = (-9000..9000).map(|i| i as f64 * 0.001 + 1e-4).collect();
        let mut out = vec![0.0; zs.len()];
        cdf_fill(&zs, &mut out);
        for (z, o) in zs.iter().zip(&out) {
            assert_eq!(o.to_bits(), cdf(*z).to_bits(), "cdf({z})");
        }
        let mut ps: Vec<f64> = (0..=10_000).map(|i| i as f64 / 10_000.0).collect();
        ps.extend([1e-300, 1e-12, LOW, 1.0 - LOW, f64::NAN]);
        let mut out = vec![0.0; ps.len()];
        quantile_fill(&ps, &mut out);
        for (p, o) in ps.iter().zip(&out) {
            assert_eq!(o.to_bits(), quantile(*p).to_bits(), "quantile({p})");
        }
    }

    #[test]
    fn quantile_agrees_with_statrs() {
        let n = Normal::standard();
        for i in 1..1000 {
            let p = i as f64 / 1000.0;
            let (a, b) = (quantile(p), n.inverse_cdf(p));
            assert!(
                (a - b).abs() <= 1.2e-9 * b.abs().max(1e-3),
                "p = {p}: {a} vs {b}"
            );
        }
        for p in [1e-12, 1e-6, 1e-3, 1.0 - 1e-6] {
            let (a, b) = (quantile(p), n.inverse_cdf(p));
            assert!((a - b).abs() <= 1.2e-9 * b.abs(), "p = {p}: {a} vs {b}");
        }
    }
}
