//! `exp` and `ln` written out as polynomials, for loops over a block of draws.
//!
//! The library `exp` and `ln` are calls, which keep the compiler from vectorising a loop
//! that uses them. These are branch-free straight-line code (integer tricks for the powers
//! of two, a polynomial for the rest), so loops over them vectorise (see [`super::lanes`]),
//! and they are exact to within a couple of units in the last place over the ranges the
//! sampler uses.
//! Being ordinary float arithmetic, they give the same bits on every platform.

/// 1.5 · 2⁵²: adding it rounds a float below 2⁵¹ to an integer held in the low mantissa bits.
const MAGIC: f64 = 6_755_399_441_055_744.0;
/// ln 2 split in two (fdlibm's): the high part has trailing zero bits, so k · LN2_HI is
/// exact for the k that occur.
const LN2_HI: f64 = 0.6931471803691238;
const LN2_LO: f64 = 1.9082149292705877e-10;

/// `c[0] + c[1]·x + … + c[N−1]·x^(N−1)` by Estrin's scheme: neighbouring terms paired,
/// then the pairs paired, and so on (`x`, `x²`, `x⁴`, … as the multipliers), so the
/// operations form a tree of depth log₂ N instead of Horner's chain of N, and overlap.
/// The loops unroll completely, N being a constant.
#[inline(always)]
pub fn polynomial<const N: usize>(x: f64, c: [f64; N]) -> f64 {
    let mut terms = c;
    let (mut len, mut power) = (N, x);
    while len > 1 {
        let half = len.div_ceil(2);
        for i in 0..half {
            // An odd count leaves the last term unpaired, carried up as it is.
            terms[i] = if 2 * i + 1 < len {
                terms[2 * i] + terms[2 * i + 1] * power
            } else {
                terms[2 * i]
            };
        }
        len = half;
        power *= power;
    }
    terms[0]
}

/// e^x for x in [−708, 709] (below, the result is clamped to e^−708; above, to e^709).
#[inline(always)]
pub fn exp(x: f64) -> f64 {
    let x = x.clamp(-708.0, 709.0);
    // x = k·ln 2 + r with |r| <= ln 2 / 2.
    let t = x * std::f64::consts::LOG2_E + MAGIC;
    let k = t - MAGIC;
    let r = (x - k * LN2_HI) - k * LN2_LO;
    // Taylor series to r¹³ (the next term is below 5e-18 relative on |r| <= 0.347).
    const C: [f64; 14] = [
        1.0,
        1.0,
        1.0 / 2.0,
        1.0 / 6.0,
        1.0 / 24.0,
        1.0 / 120.0,
        1.0 / 720.0,
        1.0 / 5_040.0,
        1.0 / 40_320.0,
        1.0 / 362_880.0,
        1.0 / 3_628_800.0,
        1.0 / 39_916_800.0,
        1.0 / 479_001_600.0,
        1.0 / 6_227_020_800.0,
    ];
    let p = polynomial(r, C);
    // 2^k from the low bits of t (which hold 2⁵¹ + k): shifted into the exponent field,
    // the 2⁵¹ falls off the top.
    let two_k = f64::from_bits((t.to_bits().wrapping_add(1023)) << 52);
    p * two_k
}

/// ln x for x > 0 (normal, not subnormal) and finite; −∞ at 0.
#[inline(always)]
pub fn ln(x: f64) -> f64 {
    const SQRT_2: f64 = std::f64::consts::SQRT_2;
    let bits = x.to_bits();
    // x = 2^e · m with m in [1, 2), then m moved into [√½, √2).
    let m = f64::from_bits((bits & 0x000f_ffff_ffff_ffff) | 0x3ff0_0000_0000_0000);
    let e_bits = (bits >> 52) as i64 - 1023;
    let high = m > SQRT_2;
    let m = if high { m * 0.5 } else { m };
    let e_bits = e_bits + high as i64;
    // e as a float without an integer conversion instruction (none for packed i64 on SSE2).
    let e = f64::from_bits(MAGIC.to_bits().wrapping_add(e_bits as u64)) - MAGIC;
    // ln m = 2·atanh(s) = 2(s + s³/3 + s⁵/5 + …), s = (m − 1)/(m + 1), |s| <= 0.172.
    let s = (m - 1.0) / (m + 1.0);
    let s2 = s * s;
    const C: [f64; 11] = [
        1.0,
        1.0 / 3.0,
        1.0 / 5.0,
        1.0 / 7.0,
        1.0 / 9.0,
        1.0 / 11.0,
        1.0 / 13.0,
        1.0 / 15.0,
        1.0 / 17.0,
        1.0 / 19.0,
        1.0 / 21.0,
    ];
    let p = polynomial(s2, C);
    let ln_m = 2.0 * s * p;
    let y = e * LN2_HI + (ln_m + e * LN2_LO);
    if x == 0.0 { f64::NEG_INFINITY } else { y }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ulps(a: f64, b: f64) -> f64 {
        ((a - b) / b).abs() / f64::EPSILON
    }

    #[test]
    fn exp_agrees_with_the_library() {
        for i in -70_800..70_899 {
            let x = i as f64 * 0.01 + 0.003;
            let (a, b) = (exp(x), x.exp());
            assert!(ulps(a, b) <= 3.0, "exp({x}) = {a}, library {b}");
        }
        assert_eq!(exp(0.0), 1.0);
    }

    #[test]
    fn polynomial_is_the_sum_of_its_terms() {
        // Small integers: every product and sum is exact, so any order of evaluation gives
        // the same; lengths 1 to 14 cover odd and even counts at every level.
        let horner = |x: f64, c: &[f64]| c.iter().rev().fold(0.0, |acc, k| acc * x + k);
        macro_rules! check {
            ($($n:literal)*) => {$(
                let c: [f64; $n] = std::array::from_fn(|i| (i as f64 * 7.0) % 5.0 - 2.0);
                for x in [-2.0, -1.0, 0.0, 0.5, 1.0, 3.0] {
                    assert_eq!(polynomial(x, c), horner(x, &c), "{} terms at {x}", $n);
                }
            )*};
        }
        check!(1 2 3 4 5 6 7 8 9 10 11 12 13 14);
    }

    #[test]
    fn ln_agrees_with_the_library() {
        let mut x = 1e-300;
        while x < 1e300 {
            for f in [1.0, 1.1, 1.41, 1.42, 1.9, 2.9, 7.3] {
                let y = x * f;
                let (a, b) = (ln(y), y.ln());
                assert!(
                    (a - b).abs() <= 3.0 * f64::EPSILON * b.abs().max(1.0),
                    "ln({y}) = {a}, library {b}"
                );
            }
            x *= 10.0;
        }
        assert_eq!(ln(1.0), 0.0);
        assert_eq!(ln(0.0), f64::NEG_INFINITY);
        for i in 1..2000 {
            let u = i as f64 / 2000.0;
            let y = u / (1.0 - u);
            assert!((ln(y) - y.ln()).abs() <= 4.0 * f64::EPSILON * y.ln().abs().max(1.0));
        }
    }
}
