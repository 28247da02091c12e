//! Value functions: how much a party values each value of one clause, on `[0, 1]`.

use super::param::Param;

/// A party's value function over one clause.
#[derive(Debug, Clone, PartialEq)]
pub enum ValueFn {
    /// 0 at `worst`, 1 at `best`, linear between, flat outside.
    Linear { worst: Param, best: Param },
    /// Like `Linear`, with the fraction raised to `exponent`: below 1 concave (each early
    /// gain counts most), above 1 convex.
    Power {
        worst: Param,
        best: Param,
        exponent: Param,
    },
    /// `1 / (1 + exp(-(x - midpoint) / scale))`: a soft threshold; a negative scale falls.
    Logistic { midpoint: Param, scale: Param },
    /// Linear interpolation through points `(x, v)` with strictly increasing x, flat beyond.
    Piecewise { xs: Vec<f64>, vs: Vec<Param> },
    /// One value per option (choice) or per `false`, `true` (bool).
    Table { values: Vec<Param> },
}

impl ValueFn {
    /// The value of clause value `x` given the round's sampled parameters.
    #[inline]
    pub fn eval(&self, x: f64, slots: &[f64]) -> f64 {
        match self {
            ValueFn::Linear { worst, best } => fraction(x, worst.get(slots), best.get(slots)),
            ValueFn::Power {
                worst,
                best,
                exponent,
            } => fraction(x, worst.get(slots), best.get(slots)).powf(exponent.get(slots)),
            ValueFn::Logistic { midpoint, scale } => {
                1.0 / (1.0 + (-(x - midpoint.get(slots)) / scale.get(slots)).exp())
            }
            ValueFn::Piecewise { xs, vs } => piecewise(x, xs, vs, slots),
            ValueFn::Table { values } => values[x as usize].get(slots),
        }
    }

    /// Whether any parameter is uncertain.
    pub fn is_uncertain(&self) -> bool {
        match self {
            ValueFn::Linear { worst, best } => worst.is_uncertain() || best.is_uncertain(),
            ValueFn::Power {
                worst,
                best,
                exponent,
            } => worst.is_uncertain() || best.is_uncertain() || exponent.is_uncertain(),
            ValueFn::Logistic { midpoint, scale } => {
                midpoint.is_uncertain() || scale.is_uncertain()
            }
            ValueFn::Piecewise { vs, .. } => vs.iter().any(|p| p.is_uncertain()),
            ValueFn::Table { values } => values.iter().any(|p| p.is_uncertain()),
        }
    }

    /// Whether the function is affine (a straight line, possibly flat) on `[lo, hi]` given
    /// the parameters in `slots`: no kink, bend or step strictly inside the interval.
    pub fn is_affine_on(&self, lo: f64, hi: f64, slots: &[f64]) -> bool {
        let inside = |x: f64| x > lo && x < hi;
        match self {
            ValueFn::Linear { worst, best } => {
                let (w, b) = (worst.get(slots), best.get(slots));
                // Kinks where the clamp starts; a step at `best` when the two coincide.
                if w == b {
                    !(b > lo && b <= hi)
                } else {
                    !inside(w) && !inside(b)
                }
            }
            ValueFn::Power {
                worst,
                best,
                exponent,
            } => {
                let (w, b, e) = (worst.get(slots), best.get(slots), exponent.get(slots));
                let (a, z) = (w.min(b), w.max(b));
                if w == b {
                    !(b > lo && b <= hi)
                } else if e == 1.0 {
                    !inside(w) && !inside(b)
                } else {
                    // Curved between worst and best: affine only where clamped flat.
                    hi <= a || lo >= z
                }
            }
            ValueFn::Logistic { .. } => false,
            ValueFn::Piecewise { xs, .. } => !xs.iter().any(|&x| inside(x)),
            ValueFn::Table { .. } => false,
        }
    }

    /// The family's name as written in scenario files.
    pub fn family(&self) -> &'static str {
        match self {
            ValueFn::Linear { .. } => "linear",
            ValueFn::Power { .. } => "power",
            ValueFn::Logistic { .. } => "logistic",
            ValueFn::Piecewise { .. } => "piecewise",
            ValueFn::Table { .. } => "table",
        }
    }
}

/// Position of `x` from `worst` (0) to `best` (1), clamped; a step when they coincide.
#[inline(always)]
fn fraction(x: f64, worst: f64, best: f64) -> f64 {
    let span = best - worst;
    if span == 0.0 {
        return if x >= best { 1.0 } else { 0.0 };
    }
    ((x - worst) / span).clamp(0.0, 1.0)
}

#[inline]
fn piecewise(x: f64, xs: &[f64], vs: &[Param], slots: &[f64]) -> f64 {
    let last = xs.len() - 1;
    if x <= xs[0] {
        return vs[0].get(slots);
    }
    if x >= xs[last] {
        return vs[last].get(slots);
    }
    // Few points: a linear scan beats a binary search.
    let mut i = 1;
    while xs[i] < x {
        i += 1;
    }
    let (x0, x1) = (xs[i - 1], xs[i]);
    let (v0, v1) = (vs[i - 1].get(slots), vs[i].get(slots));
    v0 + (v1 - v0) * (x - x0) / (x1 - x0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use Param::Fixed;

    #[test]
    fn linear_rises_and_falls() {
        let up = ValueFn::Linear {
            worst: Fixed(200.0),
            best: Fixed(1000.0),
        };
        assert_eq!(up.eval(600.0, &[]), 0.5);
        assert_eq!(up.eval(0.0, &[]), 0.0);
        assert_eq!(up.eval(2000.0, &[]), 1.0);
        let down = ValueFn::Linear {
            worst: Fixed(1000.0),
            best: Fixed(200.0),
        };
        assert_eq!(down.eval(400.0, &[]), 0.75);
    }

    #[test]
    fn power_bends_the_line() {
        let concave = ValueFn::Power {
            worst: Fixed(0.0),
            best: Fixed(1.0),
            exponent: Fixed(0.5),
        };
        assert!((concave.eval(0.25, &[]) - 0.5).abs() < 1e-15);
    }

    #[test]
    fn logistic_is_half_at_midpoint() {
        let f = ValueFn::Logistic {
            midpoint: Fixed(700.0),
            scale: Fixed(50.0),
        };
        assert_eq!(f.eval(700.0, &[]), 0.5);
        assert!(f.eval(900.0, &[]) > 0.98);
        let falling = ValueFn::Logistic {
            midpoint: Fixed(700.0),
            scale: Fixed(-50.0),
        };
        assert!(falling.eval(900.0, &[]) < 0.02);
    }

    #[test]
    fn piecewise_interpolates() {
        let f = ValueFn::Piecewise {
            xs: vec![0.0, 10.0, 20.0],
            vs: vec![Fixed(0.0), Fixed(1.0), Fixed(0.5)],
        };
        assert_eq!(f.eval(-5.0, &[]), 0.0);
        assert_eq!(f.eval(5.0, &[]), 0.5);
        assert_eq!(f.eval(15.0, &[]), 0.75);
        assert_eq!(f.eval(25.0, &[]), 0.5);
    }

    #[test]
    fn affine_pieces_are_recognised() {
        let line = |w: f64, b: f64| ValueFn::Linear {
            worst: Fixed(w),
            best: Fixed(b),
        };
        assert!(line(0.0, 1.0).is_affine_on(0.0, 1.0, &[]));
        assert!(line(1.0, 0.0).is_affine_on(0.2, 0.8, &[]));
        // The clamp's kink at 0.5 lies inside [0, 1].
        assert!(!line(0.5, 1.0).is_affine_on(0.0, 1.0, &[]));
        assert!(line(0.5, 1.0).is_affine_on(0.0, 0.5, &[]));
        let power = |e: f64| ValueFn::Power {
            worst: Fixed(0.0),
            best: Fixed(1.0),
            exponent: Fixed(e),
        };
        assert!(power(1.0).is_affine_on(0.0, 1.0, &[]));
        assert!(!power(0.5).is_affine_on(0.0, 1.0, &[]));
        assert!(power(0.5).is_affine_on(1.0, 2.0, &[]));
        let piecewise = ValueFn::Piecewise {
            xs: vec![0.0, 10.0, 20.0],
            vs: vec![Fixed(0.0), Fixed(1.0), Fixed(0.5)],
        };
        assert!(!piecewise.is_affine_on(0.0, 20.0, &[]));
        assert!(piecewise.is_affine_on(10.0, 20.0, &[]));
        let logistic = ValueFn::Logistic {
            midpoint: Fixed(0.5),
            scale: Fixed(0.1),
        };
        assert!(!logistic.is_affine_on(0.0, 1.0, &[]));
    }

    #[test]
    fn table_reads_slots() {
        let f = ValueFn::Table {
            values: vec![Fixed(0.1), Param::Slot(0)],
        };
        assert_eq!(f.eval(1.0, &[0.7]), 0.7);
        assert_eq!(f.eval(0.0, &[0.7]), 0.1);
    }
}
