//! accord's errors as Python exceptions.
//!
//! - a scenario that does not validate: [`ScenarioError`] (a `ValueError`), whose text is the
//!   library's `file:line:col: message`, with the parts as attributes;
//! - an option that does not fit (a bad keyword value, a proposal the scenario lacks, an axis
//!   out of range): [`OptionError`] (a `ValueError`) naming the keyword, the way the command
//!   line names the flag;
//! - partial results that cannot be read or merged: [`PartialError`] (a `ValueError`);
//! - a file that cannot be read or written: `OSError` (`FileNotFoundError`, …).

use accord::error::{Error, ScenarioError as CoreScenarioError};
use pyo3::exceptions::{PyFileNotFoundError, PyOSError, PyPermissionError, PyValueError};
use pyo3::prelude::*;

use crate::options::Words;

pyo3::create_exception!(
    accord,
    ScenarioError,
    PyValueError,
    "A scenario that does not validate.\n\n\
     ``str(e)`` is accord's ``file:line:col: message``; the attributes ``path``, ``line``,\n\
     ``column`` (both 0 when unknown), ``key`` (the dotted key the problem is about, or\n\
     ``''``) and ``help`` (what would be valid, or ``None``) give its parts.\n\n\
     >>> accord.Scenario.from_toml('[scenario]\\nnam = \"x\"\\n')\n\
     Traceback (most recent call last):\n\
     accord.ScenarioError: <toml>:2:1: unknown field `nam`, expected one of `name`, `description`, `sources`"
);

pyo3::create_exception!(
    accord,
    OptionError,
    PyValueError,
    "A keyword argument whose value does not fit the scenario or the run.\n\n\
     The message starts with the keyword and its value (``rounds=0: ...``,\n\
     ``proposals[1]='plan_9': ...``, ``axes[0][\"from\"]=5: ...``); ``keyword`` is the bare\n\
     keyword (``'rounds'``, ``'proposals'``, ``'axes'``, or ``None`` when the problem is the\n\
     request as a whole) and ``help`` what would be valid, or ``None``."
);

pyo3::create_exception!(
    accord,
    PartialError,
    PyValueError,
    "Partial results (of ``shard=(k, n)`` runs) that cannot be read or merged: altered,\n\
     of another run or accord version, or a shard missing or given twice."
);

/// An [`OptionError`] about `keyword` (its words start the message), with `help`.
pub fn option_error(
    py: Python<'_>,
    named: Option<(&str, String)>,
    message: &str,
    help: Option<&str>,
) -> PyErr {
    let mut text = match &named {
        Some((_, words)) => format!("{words}: {message}"),
        None => message.to_string(),
    };
    if let Some(h) = help {
        text.push_str("\nhelp: ");
        text.push_str(h);
    }
    let err = OptionError::new_err(text);
    let value = err.value(py);
    // Setting attributes on a fresh exception instance cannot fail but for memory; the
    // exception is raised either way.
    let _ = value.setattr("keyword", named.map(|(k, _)| k.to_string()));
    let _ = value.setattr("help", help.map(str::to_string));
    err
}

/// A [`ScenarioError`] carrying the library's message and its parts.
fn scenario_error(py: Python<'_>, e: &CoreScenarioError) -> PyErr {
    let text = e.src.inner();
    let (line, column) = match e.span {
        Some(span) => accord::scenario::offset_to_line_col(text, span.offset()),
        None => (0, 0),
    };
    let err = ScenarioError::new_err(e.message.clone());
    let value = err.value(py);
    let _ = value.setattr("path", e.src.name().to_string());
    let _ = value.setattr("line", line);
    let _ = value.setattr("column", column);
    let _ = value.setattr("key", e.key.clone());
    let _ = value.setattr("help", e.help.clone());
    err
}

/// `std::io::Error` as the matching `OSError` subclass, with accord's words first.
fn io_error(what: String, source: &std::io::Error) -> PyErr {
    let text = format!("{what}: {source}");
    match source.kind() {
        std::io::ErrorKind::NotFound => PyFileNotFoundError::new_err(text),
        std::io::ErrorKind::PermissionDenied => PyPermissionError::new_err(text),
        _ => PyOSError::new_err(text),
    }
}

/// An accord error as a Python exception; `words` names the keyword an invalid option came
/// from.
pub fn to_py(py: Python<'_>, e: Error, words: &Words) -> PyErr {
    match e {
        Error::Scenario(s) => scenario_error(py, &s),
        Error::Invalid(inv) => {
            option_error(py, words.name(inv.about), &inv.message, inv.help.as_deref())
        }
        Error::Partial(p) => PartialError::new_err(p.to_string()),
        Error::Read { path, source } => {
            io_error(format!("cannot read {}", path.display()), &source)
        }
        Error::Write { path, source } => {
            io_error(format!("cannot write {}", path.display()), &source)
        }
        // Usage errors belong to the command line; anything else the library grows is shown
        // by its own message.
        other => option_error(py, None, &other.to_string(), None),
    }
}
