//! Numeric party parameters that may be uncertain.
//!
//! A fixed parameter is stored inline; an uncertain one is a slot in the round's sampled
//! parameter vector, so reading a parameter in the hot loop is a branch and an index.

use super::dist::Truncated;

/// A numeric parameter of a party: a constant, or the index of an uncertain parameter whose
/// value each round samples.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Param {
    Fixed(f64),
    Slot(usize),
}

impl Param {
    /// The parameter's value in a round whose sampled values are `slots`.
    #[inline(always)]
    pub fn get(self, slots: &[f64]) -> f64 {
        match self {
            Param::Fixed(v) => v,
            Param::Slot(i) => slots[i],
        }
    }

    /// Whether the value varies between rounds.
    pub fn is_uncertain(self) -> bool {
        matches!(self, Param::Slot(_))
    }
}

/// What values a kind of parameter may take; distributions are truncated to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamDomain {
    /// Weights: `[0, ∞)` (renormalised to sum to 1 after sampling).
    Weight,
    /// Utilities and reservation values: `[0, 1]`.
    Unit,
    /// Strictly positive numbers (temperatures, exponents).
    Positive,
    /// Non-negative numbers (a tit-for-tat factor).
    NonNegative,
    /// Loss aversion: `[0, 8]` ([`super::party::MAX_LOSS_AVERSION`]).
    LossAversion,
    /// Any finite number (points on a clause's axis).
    Real,
}

impl ParamDomain {
    /// The closed range `[lo, hi]` values are truncated to.
    pub fn bounds(self) -> (f64, f64) {
        match self {
            ParamDomain::Weight | ParamDomain::NonNegative => (0.0, f64::INFINITY),
            ParamDomain::Unit => (0.0, 1.0),
            ParamDomain::Positive => (f64::MIN_POSITIVE, f64::INFINITY),
            ParamDomain::Real => (f64::NEG_INFINITY, f64::INFINITY),
            ParamDomain::LossAversion => (0.0, super::party::MAX_LOSS_AVERSION),
        }
    }

    /// How the range reads in an error message.
    pub fn describe(self) -> &'static str {
        match self {
            ParamDomain::Weight | ParamDomain::NonNegative => "a number >= 0",
            ParamDomain::Unit => "a number in [0, 1]",
            ParamDomain::Positive => "a number > 0",
            ParamDomain::Real => "a finite number",
            ParamDomain::LossAversion => "a number in [0, 8]",
        }
    }

    /// Whether a fixed value is allowed.
    pub fn admits(self, v: f64) -> bool {
        let (lo, hi) = self.bounds();
        v.is_finite() && v >= lo && v <= hi
    }
}

/// An uncertain parameter: where it sits in the scenario and how it is drawn.
#[derive(Debug, Clone, PartialEq)]
pub struct UncertainParam {
    /// Dotted path under `parties`, e.g. `ukraine.reservation` (how correlation groups name it).
    pub path: String,
    pub dist: Truncated,
}

/// A group of uncertain parameters drawn jointly through a Gaussian copula.
#[derive(Debug, Clone, PartialEq)]
pub struct Correlation {
    /// Slots of the parameters, in the matrix's order.
    pub slots: Vec<usize>,
    /// Lower-triangular Cholesky factor of the correlation matrix, row-major `k × k`.
    pub cholesky: Vec<f64>,
}
