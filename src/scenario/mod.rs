//! Scenario files (TOML or JSON) → validated [`Scenario`], with diagnostics that name the
//! file, line and column.

pub mod build;
pub mod genius;
pub mod locate;
pub mod raw;
mod source;
pub mod suggest;

pub use source::Source;

use std::ops::Range;
use std::path::Path;

use miette::{NamedSource, SourceSpan};

use crate::error::{Error, ScenarioError};
use crate::model::Scenario;

/// The syntax of a scenario file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Toml,
    Json,
}

impl Format {
    /// JSON for a `.json` extension, TOML otherwise.
    pub fn from_path(path: &Path) -> Format {
        match path.extension().and_then(|e| e.to_str()) {
            Some(e) if e.eq_ignore_ascii_case("json") => Format::Json,
            _ => Format::Toml,
        }
    }
}

/// Reads and validates the scenario at `path`.
pub fn load(path: &Path) -> Result<Scenario, Error> {
    let source = std::fs::read_to_string(path).map_err(|e| Error::Read {
        path: path.to_path_buf(),
        source: e,
    })?;
    parse(
        &source,
        &path.display().to_string(),
        Format::from_path(path),
    )
}

/// Validates scenario text; `name` is what diagnostics call the file.
pub fn parse(source: &str, name: &str, format: Format) -> Result<Scenario, Error> {
    let raw: raw::RawScenario = match format {
        Format::Toml => toml::from_str(source).map_err(|e| {
            let message = e.message().trim().to_string();
            diagnostic(source, name, e.span(), message)
        })?,
        Format::Json => serde_json::from_str(source).map_err(|e| {
            let offset = line_col_to_offset(source, e.line(), e.column());
            let message = crate::text::without_position(&e.to_string());
            diagnostic(source, name, offset.map(|o| o..o), message)
        })?,
    };
    build::build(raw).map_err(|e| {
        let span = match format {
            Format::Toml => locate::toml_span(source, &e.path, e.target),
            Format::Json => locate::json_span(source, &e.path, e.target),
        };
        let mut d = diagnostic(source, name, span, e.message);
        if let Error::Scenario(s) = &mut d {
            s.key = e.path.join(".");
            if e.help.is_some() {
                s.help = e.help;
            }
        }
        d
    })
}

fn diagnostic(source: &str, name: &str, span: Option<Range<usize>>, message: String) -> Error {
    let help = suggest::suggest_for_serde_message(&message);
    let (line, col) = match &span {
        Some(r) => offset_to_line_col(source, r.start),
        None => (0, 0),
    };
    let location = if line > 0 {
        format!("{name}:{line}:{col}")
    } else {
        name.to_string()
    };
    Error::Scenario(Box::new(ScenarioError {
        message: format!("{location}: {message}"),
        src: NamedSource::new(name, source.to_string()),
        span: span.map(|r| SourceSpan::from(r.start..r.end.max(r.start))),
        label: "here".to_string(),
        help,
        key: String::new(),
    }))
}

/// 1-based line and column (in characters) of a byte offset.
pub fn offset_to_line_col(source: &str, offset: usize) -> (usize, usize) {
    let before = &source[..offset.min(source.len())];
    let line = before.matches('\n').count() + 1;
    let col = before
        .rsplit('\n')
        .next()
        .map(|l| l.chars().count())
        .unwrap_or(0)
        + 1;
    (line, col)
}

fn line_col_to_offset(source: &str, line: usize, col: usize) -> Option<usize> {
    if line == 0 {
        return None;
    }
    let start: usize = source
        .split_inclusive('\n')
        .take(line - 1)
        .map(str::len)
        .sum();
    Some((start + col.saturating_sub(1)).min(source.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_are_one_based() {
        let s = "ab\ncd\n";
        assert_eq!(offset_to_line_col(s, 0), (1, 1));
        assert_eq!(offset_to_line_col(s, 4), (2, 2));
        assert_eq!(line_col_to_offset(s, 2, 2), Some(4));
    }
}
