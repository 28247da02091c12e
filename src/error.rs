//! Errors and their exit codes: 2 for bad input or usage, 1 for failures at run time.

use std::path::PathBuf;

use miette::{Diagnostic, NamedSource, SourceSpan};

/// A problem in a scenario file, pointing at the offending text.
#[derive(Debug, thiserror::Error, Diagnostic)]
#[error("{message}")]
#[diagnostic(code(accord::scenario))]
pub struct ScenarioError {
    /// `file:line:column: what is wrong`.
    pub message: String,
    #[source_code]
    pub src: NamedSource<String>,
    #[label("{label}")]
    pub span: Option<SourceSpan>,
    pub label: String,
    #[help]
    pub help: Option<String>,
    /// Dotted key path the error is about (empty for syntax errors).
    pub key: String,
}

/// Everything that can go wrong in accord.
#[derive(Debug, thiserror::Error, Diagnostic)]
pub enum Error {
    #[error(transparent)]
    #[diagnostic(transparent)]
    Scenario(Box<ScenarioError>),
    /// A command-line value that cannot be used; the message names the flag.
    #[error("{message}")]
    Usage {
        message: String,
        #[help]
        help: Option<String>,
    },
    #[error("cannot read {}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot write {}", path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl Error {
    /// A usage error about a flag, with an optional hint of what is valid.
    pub fn usage(message: impl Into<String>, help: Option<String>) -> Error {
        Error::Usage {
            message: message.into(),
            help,
        }
    }

    /// The process exit code for this error.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Scenario(_) | Error::Usage { .. } | Error::Read { .. } => 2,
            Error::Write { .. } => 1,
        }
    }
}

/// A number as messages show it: the shortest text that reads back to the same `f64`, in
/// scientific notation when its magnitude is at least 1e15 or below 1e-4 (so `1e300` is not
/// printed with 300 digits).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Num(pub f64);

impl std::fmt::Display for Num {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let x = self.0;
        let a = x.abs();
        if x.is_finite() && a != 0.0 && !(1e-4..1e15).contains(&a) {
            write!(f, "{x:e}")
        } else {
            write!(f, "{x}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Num;

    #[test]
    fn numbers_in_messages_are_compact_and_exact() {
        for (x, text) in [
            (0.1, "0.1"),
            (-2.5, "-2.5"),
            (0.0, "0"),
            (200_000.0, "200000"),
            (1e300, "1e300"),
            (-1.5e-7, "-1.5e-7"),
            (f64::NAN, "NaN"),
            (f64::NEG_INFINITY, "-inf"),
        ] {
            assert_eq!(Num(x).to_string(), text);
        }
        for x in [
            1e15,
            123456789.123,
            1e-4,
            3.3e-5,
            f64::MAX,
            f64::MIN_POSITIVE,
        ] {
            assert_eq!(Num(x).to_string().parse::<f64>().unwrap(), x);
        }
    }
}
