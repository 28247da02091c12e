//! A scenario's text as read from its file, kept whole so a partial result carries
//! everything `merge` needs to rebuild the run.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::Format;
use crate::error::Error;
use crate::model::Scenario;

/// A scenario file's name, syntax and text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    /// What messages call the file (its path as given).
    #[serde(rename = "scenario")]
    pub name: String,
    #[serde(rename = "scenario_format")]
    pub format: Format,
    #[serde(rename = "scenario_source")]
    pub text: String,
}

impl Source {
    /// Reads the scenario file at `path` (TOML, or JSON for a `.json` extension).
    pub fn read(path: &Path) -> Result<Source, Error> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::Read {
            path: path.to_path_buf(),
            source: e,
        })?;
        Ok(Source {
            name: path.display().to_string(),
            text,
            format: Format::from_path(path),
        })
    }

    /// Validates the scenario.
    pub fn parse(&self) -> Result<Scenario, Error> {
        super::parse(&self.text, &self.name, self.format)
    }
}
