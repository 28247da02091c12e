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
