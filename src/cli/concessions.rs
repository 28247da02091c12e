//! `accord concessions`.

use super::settings::Concessions;
use super::{run_options, write};
use crate::error::Error;
use crate::request::Request;
use crate::scenario::Source;

pub(super) fn concessions(s: Concessions) -> Result<(), Error> {
    let source = Source::read(&s.file)?;
    let scenario = source.parse()?;
    let request = Request::Concessions(s.spec);
    let prepared = request.prepare(&scenario, run_options(&scenario, &s.sim))?;
    match write::play(&prepared, &source, &s.sim, &s.out)? {
        Some(result) => write::result(&result, &s.out, s.chart.as_ref()),
        None => Ok(()),
    }
}
