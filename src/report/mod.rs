//! Reports: one exporter per output format ([`table`], [`json`], [`csv`]), chosen in one
//! place ([`Format::exporter`]), charts ([`plot`]), and the self-contained HTML report of
//! `accord report` ([`html`]).

pub mod csv;
pub mod html;
pub mod json;
pub mod outcomes;
pub mod plot;
pub mod table;

use std::path::Path;

use crate::analysis::calibrate::CalibrationReport;
use crate::analysis::seeds::SeedsReport;
use crate::analysis::sensitivity::SensitivityReport;
use crate::request::RunResult;

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Aligned text for a terminal (80 columns).
    Table,
    /// Pretty-printed JSON.
    Json,
    /// Comma-separated values (RFC 4180) with a header row.
    Csv,
}

impl Format {
    /// The format a file's extension names: `.json`, `.csv`, and a table for anything else
    /// (`.txt`, no extension).
    pub fn from_path(path: &Path) -> Format {
        match path.extension().and_then(|e| e.to_str()) {
            Some(e) if e.eq_ignore_ascii_case("json") => Format::Json,
            Some(e) if e.eq_ignore_ascii_case("csv") => Format::Csv,
            _ => Format::Table,
        }
    }

    /// `table`, `json` or `csv`.
    pub fn name(self) -> &'static str {
        match self {
            Format::Table => "table",
            Format::Json => "json",
            Format::Csv => "csv",
        }
    }

    /// The exporter that writes this format.
    pub fn exporter(self) -> &'static dyn Exporter {
        match self {
            Format::Table => &table::Table,
            Format::Json => &json::Json,
            Format::Csv => &csv::Csv,
        }
    }
}

/// Writes results in one format.
pub trait Exporter {
    /// A request's result: proposals, a sweep, or a dynamic protocol's play.
    fn run(&self, result: &RunResult) -> String;
    /// A comparison across seeds.
    fn seeds(&self, report: &SeedsReport) -> String;
    /// A sensitivity analysis (`accord sensitivity`).
    fn sensitivity(&self, report: &SensitivityReport) -> String;
    /// A calibration (`accord calibrate`).
    fn calibration(&self, report: &CalibrationReport) -> String;
}
