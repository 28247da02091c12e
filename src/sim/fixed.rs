//! Exact, order-independent sums of real numbers.
//!
//! Each value is cut to a multiple of 2⁻⁴⁰ ("units") and summed as an integer, so a total is
//! the same whatever order it is added in: across thread counts and shard splits. Utilities
//! are computed in units too, which makes a utility a sum of per-clause terms that is exact,
//! so a deal's utility is the same bits however its terms are grouped (a sweep that reuses
//! the unchanged clauses' sum agrees exactly with a single run).

use serde::{Deserialize, Serialize};

const SCALE: f64 = 1_099_511_627_776.0; // 2^40

/// Adding 1.5·2⁵² to a float smaller than 2⁵¹ in magnitude leaves its value, rounded to the
/// nearest integer, in the low bits of the sum's representation.
const MAGIC: f64 = 6_755_399_441_055_744.0;

/// Largest magnitude [`to_units`] takes: larger values are clamped (utilities, reservations
/// and margins live in `[-1, 2]`, so clamping at ±1024 changes no comparison).
pub const UNITS_LIMIT: f64 = 1024.0;

/// `x` in units of 2⁻⁴⁰, rounded to nearest (ties to even): monotone in `x`, exact to
/// reproduce, branch-free. `x` is clamped to `±UNITS_LIMIT`; NaN gives 0.
#[inline(always)]
pub fn to_units(x: f64) -> i64 {
    unit_bits(in_units_range(x))
}

/// [`to_units`] as a float, computed in floats (the same integer, exactly: see
/// [`scaled_units_exact`]), so loops over many values vectorise.
#[inline(always)]
pub fn units_float(x: f64) -> f64 {
    scaled_units_exact(SCALE, in_units_range(x))
}

/// `x` clamped to `±UNITS_LIMIT`, NaN taken as 0.
#[inline(always)]
fn in_units_range(x: f64) -> f64 {
    if x.is_nan() {
        0.0
    } else {
        x.clamp(-UNITS_LIMIT, UNITS_LIMIT)
    }
}

#[inline(always)]
fn unit_bits(x: f64) -> i64 {
    ((x * SCALE + MAGIC).to_bits() as i64).wrapping_sub(MAGIC.to_bits() as i64)
}

/// One unit (2⁻⁴⁰) as a factor: `w · UNIT_SCALE` is a weight ready for
/// [`scaled_units_exact`].
pub const UNIT_SCALE: f64 = SCALE;

/// `to_units(w · t)` for `ws = w · UNIT_SCALE` and `w · t` within `±UNITS_LIMIT`, held in a
/// float: the same integer, exactly. Scaling by a power of two commutes with rounding, so
/// `(w · 2⁴⁰) · t` and `(w · t) · 2⁴⁰` are the same float; floats hold integers below 2⁵³
/// exactly, so sums of such values are exact too, in any order, while they stay below that —
/// and float lanes compare two at a time on baseline x86-64, where 64-bit integers do not.
#[inline(always)]
pub fn scaled_units_exact(ws: f64, t: f64) -> f64 {
    (ws * t + MAGIC) - MAGIC
}

/// A number of units as a float.
#[inline]
pub fn from_units(u: i64) -> f64 {
    u as f64 / SCALE
}

/// A mean of values kept in units as results report it: to 10 decimals. Each value is cut to
/// a unit (2⁻⁴⁰, within 5·10⁻¹³ of it), so digits beyond are the units' rounding, not
/// information: a constant 0.171 averages to 0.1709999999994, reported 0.171.
pub fn reported(mean: f64) -> f64 {
    (mean * 1e10).round() / 1e10
}

/// A sum of values, each kept to 2⁻⁴⁰ (about 10⁻¹²).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FixedSum(pub i128);

impl FixedSum {
    /// Adds `x` (NaN counts as 0).
    #[inline(always)]
    pub fn add(&mut self, x: f64) {
        // Any magnitude up to about 8·10⁶ (a clause value such as a troop cap, not only
        // utilities), so the saturating conversion rather than `to_units`.
        self.0 += (x * SCALE).round() as i64 as i128;
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
        if n == 0 {
            f64::NAN
        } else {
            self.value() / n as f64
        }
    }

    /// Whether this could be the sum of `n` values each at most `limit` in magnitude (a check
    /// on sums read from files: [`FixedSum::add`] saturates each value at 2⁶³ units).
    pub fn is_possible(self, n: u64, limit: f64) -> bool {
        let per_value = (limit * SCALE).min(i64::MAX as f64) as i128;
        per_value
            .checked_mul(n as i128)
            .is_none_or(|most| self.0.unsigned_abs() <= most.unsigned_abs())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_round_to_nearest_and_clamp() {
        assert_eq!(to_units(0.0), 0);
        assert_eq!(to_units(1.0), 1 << 40);
        assert_eq!(to_units(-0.5), -(1 << 39));
        assert_eq!(to_units(1.4 / SCALE), 1);
        assert_eq!(to_units(1.6 / SCALE), 2);
        assert_eq!(to_units(-1.6 / SCALE), -2);
        assert_eq!(to_units(f64::INFINITY), to_units(UNITS_LIMIT));
        assert_eq!(to_units(f64::NEG_INFINITY), to_units(-UNITS_LIMIT));
        assert_eq!(to_units(f64::NAN), 0);
        let mut last = i64::MIN;
        for i in -1000..=1000 {
            let u = to_units(i as f64 * 1e-3 + 1e-13);
            assert!(u > last);
            last = u;
        }
    }

    #[test]
    fn scaled_float_units_are_the_units_of_the_product() {
        for i in 0..=200 {
            for j in 0..=200 {
                let (w, t) = (i as f64 / 200.0 * 0.37 + 1e-9, j as f64 / 200.0);
                let x = scaled_units_exact(w * UNIT_SCALE, t);
                assert_eq!(x as i64, to_units(w * t), "w = {w}, t = {t}");
                assert_eq!(x.fract(), 0.0);
            }
        }
    }

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

    #[test]
    fn units_in_floats_are_the_integer_units() {
        let mut xs = vec![
            0.0,
            -0.0,
            1.0,
            -1.0,
            0.5 / SCALE,
            1.5 / SCALE,
            2.5 / SCALE,
            -2.5 / SCALE,
            UNITS_LIMIT,
            -UNITS_LIMIT,
            1e9,
            -1e300,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NAN,
            f64::MIN_POSITIVE,
        ];
        xs.extend((0..20_000).map(|i| (i as f64 * 0.618_033_988_7).fract() * 3.0 - 1.0));
        for x in xs {
            assert_eq!(units_float(x), to_units(x) as f64, "x = {x}");
        }
    }
}
