//! `accord merge`: combine the partial results of a sharded run.

use super::settings::Merge;
use super::write;
use crate::error::Error;
use crate::job::Partial;
use crate::request::{self, Request};

pub(super) fn merge(s: Merge) -> Result<(), Error> {
    let mut parts = Vec::with_capacity(s.parts.len());
    for path in &s.parts {
        let text = std::fs::read_to_string(path).map_err(|e| Error::Read {
            path: path.clone(),
            source: e,
        })?;
        let name = path.display().to_string();
        let partial = Partial::<Request>::from_json(&text, &name)?;
        parts.push((name, partial));
    }
    let result = request::merge(parts)?;
    write::result(&result, &s.out, s.chart.as_ref())
}
