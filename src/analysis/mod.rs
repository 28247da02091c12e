//! Analyses over several runs, and over the outcome space of one scenario.

pub mod bnb;
pub mod calibrate;
pub mod exact;
pub mod outcomes;
pub mod pareto;
pub mod seeds;
pub mod sensitivity;
pub mod solution;
pub mod space;

/// An analysis request that cannot be carried out, with the part of the request it is about
/// (`P`: each analysis says what its parts are), so the caller can name it in its own words.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{message}")]
pub struct Problem<P: std::fmt::Debug> {
    pub part: P,
    pub message: String,
    pub help: Option<String>,
}

impl<P: std::fmt::Debug> Problem<P> {
    /// A problem with `part`.
    pub fn new(part: P, message: impl Into<String>) -> Self {
        Problem {
            part,
            message: message.into(),
            help: None,
        }
    }

    /// The same problem with a hint of what would be valid.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}
