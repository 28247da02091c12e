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

/// The byte-order mark some editors put at the start of a UTF-8 file.
const BOM: char = '\u{feff}';

/// Validates scenario text; `name` is what diagnostics call the file. A leading byte-order
/// mark is allowed in either format.
pub fn parse(source: &str, name: &str, format: Format) -> Result<Scenario, Error> {
    let raw: raw::RawScenario = match format {
        Format::Toml => toml::from_str(source).map_err(|e| {
            let message = e.message().trim().to_string();
            diagnostic(source, name, e.span(), message)
        })?,
        Format::Json => {
            // serde_json rejects a BOM; parse what follows it and shift its positions back.
            let body = source.strip_prefix(BOM).unwrap_or(source);
            let shift = source.len() - body.len();
            serde_json::from_str(body).map_err(|e| {
                let offset = line_col_to_offset(body, e.line(), e.column()).map(|o| o + shift);
                let message = crate::text::without_position(&e.to_string());
                diagnostic(source, name, offset.map(|o| o..o), message)
            })?
        }
    };
    build::build(raw).map_err(|e| {
        let span = match format {
            Format::Toml => locate::toml_span(source, &e.path, e.target),
            Format::Json => locate::json_span(source, &e.path, e.target),
        };
        let help = e
            .help
            .or_else(|| suggest::suggest_for_serde_message(&e.message));
        let mut d = located(source, name, span, e.message, help);
        if let Error::Scenario(s) = &mut d {
            s.key = e.path.join(".");
        }
        d
    })
}

fn diagnostic(source: &str, name: &str, span: Option<Range<usize>>, message: String) -> Error {
    let help = suggest::suggest_for_serde_message(&message);
    located(source, name, span, message, help)
}

/// A scenario error about the file called `name` with text `source`, at byte range `span`
/// when known: the message starts `name:line:col:`. The one place where offsets become
/// lines and columns, for scenarios and GENIUS files alike. User text in the message, the
/// help and the quoted source is shown with control characters escaped, so a file cannot
/// drive the terminal.
pub(crate) fn located(
    source: &str,
    name: &str,
    span: Option<Range<usize>>,
    message: String,
    help: Option<String>,
) -> Error {
    // Parsers report byte offsets that may fall inside a character (serde_json counts bytes
    // on a line; a stray byte read as Latin-1 is two bytes of UTF-8): move both ends back to
    // the start of their character so that every slice below is valid.
    let span = span.map(|r| {
        let start = char_floor(source, r.start);
        start..char_floor(source, r.end).max(start)
    });
    let location = match &span {
        Some(r) => {
            let (line, col) = offset_to_line_col(source, r.start);
            format!("{name}:{line}:{col}")
        }
        None => name.to_string(),
    };
    // The quoted text leaves out a byte-order mark, which miette would count as columns.
    let bom = if source.starts_with(BOM) {
        BOM.len_utf8()
    } else {
        0
    };
    let span = span.map(|r| r.start.max(bom) - bom..r.end.max(bom) - bom);
    let (shown, span) = crate::text::escape_source(&source[bom..], span);
    Error::Scenario(Box::new(ScenarioError {
        message: crate::text::escape_controls(&format!("{location}: {message}")).into_owned(),
        src: NamedSource::new(crate::text::escape_controls(name), shown),
        span: span.map(SourceSpan::from),
        label: "here".to_string(),
        help: help.map(|h| crate::text::escape_controls(&h).into_owned()),
        key: String::new(),
    }))
}

/// The largest character boundary of `source` at or before byte `offset`.
fn char_floor(source: &str, offset: usize) -> usize {
    let mut o = offset.min(source.len());
    while !source.is_char_boundary(o) {
        o -= 1;
    }
    o
}

/// 1-based line and column (in characters) of a byte offset; an offset inside a character
/// counts as that character. A byte-order mark at the start of the text takes no column
/// (editors do not show it).
pub fn offset_to_line_col(source: &str, offset: usize) -> (usize, usize) {
    let before = &source[..char_floor(source, offset)];
    let line = before.matches('\n').count() + 1;
    let last = before.rsplit('\n').next().unwrap_or("");
    let last = if line == 1 {
        last.strip_prefix(BOM).unwrap_or(last)
    } else {
        last
    };
    (line, last.chars().count() + 1)
}

/// The byte offset of serde_json's 1-based line and column (columns count bytes).
pub(crate) fn line_col_to_offset(source: &str, line: usize, col: usize) -> Option<usize> {
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
