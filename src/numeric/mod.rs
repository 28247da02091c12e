//! Numeric kernels under the engine: SIMD lane dispatch, branch-free `exp`/`ln`, the normal
//! CDF and quantile, and the random stream with its normal sampler. No domain types;
//! everything above may use them.

pub mod fastmath;
pub mod lanes;
pub mod normal;
pub mod stream;
pub mod ziggurat;
