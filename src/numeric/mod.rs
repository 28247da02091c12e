//! Numeric kernels under the engine: SIMD lane dispatch, branch-free `exp`/`ln`, and the
//! normal CDF and quantile. No domain types; everything above may use them.

pub mod fastmath;
pub mod lanes;
pub mod normal;
