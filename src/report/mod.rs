//! Exporters: one module per output format.

pub mod bargain;
pub mod csv;
pub mod json;
pub mod outcomes;
pub mod plot;
pub mod table;

/// Output formats of `run` and `sweep`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Aligned text for a terminal (80 columns).
    Table,
    /// Pretty-printed JSON.
    Json,
    /// Comma-separated values with a header row.
    Csv,
}

/// A probability as `0.123`, or `-` when undefined.
pub(crate) fn prob(p: f64) -> String {
    if p.is_nan() {
        "-".into()
    } else {
        format!("{p:.3}")
    }
}
