//! Errors and their exit codes: 2 for bad input or usage, 1 for failures at run time.

use std::path::PathBuf;

use miette::{Diagnostic, NamedSource, SourceSpan};

/// A problem in a scenario file, pointing at the offending text.
#[derive(Debug, thiserror::Error, Diagnostic)]
#[error("{message}")]
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

/// The part of a request an [`Invalid`] is about, so whoever took the request can name it
/// in its own words: the command line by its flag, Python by its keyword.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum About {
    /// The request as a whole.
    Request,
    /// The `i`-th proposal named (from 0).
    Proposal(usize),
    /// The proposal a sweep starts from.
    Base,
    /// The `i`-th sweep axis (from 0): what it sweeps.
    Axis(usize),
    /// Where the `i`-th axis starts.
    From(usize),
    /// Where the `i`-th axis ends.
    To(usize),
    /// How many points the `i`-th axis has.
    Points(usize),
    /// How far a path sweep extends past its ends.
    Beyond,
    /// The number of rounds.
    Rounds,
    /// The precision target.
    Precision,
    /// The shard.
    Shard,
    /// The seeds of a comparison across seeds.
    Seeds,
    /// The rounds to trace.
    Trace,
    /// The `i`-th observed decision (from 0).
    Given(usize),
    /// The `i`-th value (from 0) of a command's other setting, by its neutral name: `for`,
    /// `depth`, `resolution`, `objective`, `constraint`, `within`, `top`.
    Setting(&'static str, usize),
}

/// A request that cannot be carried out, worded without naming flags: the message says what
/// is wrong with the part it is [`About`].
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{message}")]
pub struct Invalid {
    pub about: About,
    pub message: String,
    pub help: Option<String>,
}

impl Invalid {
    /// An error about `about`.
    pub fn new(about: About, message: impl Into<String>) -> Self {
        Invalid {
            about,
            message: message.into(),
            help: None,
        }
    }

    /// The same error with a hint of what would be valid.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
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
    /// A request (proposals, a sweep, run options) that does not fit the scenario.
    #[error("{0}")]
    Invalid(Invalid),
    /// A partial result that cannot be read or merged.
    #[error(transparent)]
    Partial(#[from] crate::job::PartialError),
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

impl From<Invalid> for Error {
    fn from(e: Invalid) -> Self {
        Error::Invalid(e)
    }
}

impl From<crate::job::JobError> for Error {
    fn from(e: crate::job::JobError) -> Self {
        Error::Invalid(e.into())
    }
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
            Error::Scenario(_)
            | Error::Usage { .. }
            | Error::Invalid(_)
            | Error::Partial(_)
            | Error::Read { .. } => 2,
            Error::Write { .. } => 1,
        }
    }
}
