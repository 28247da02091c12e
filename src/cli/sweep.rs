//! `accord sweep`.

use super::settings::Sweep;
use super::{run_options, write};
use crate::error::Error;
use crate::request::Request;
use crate::scenario::Source;
use crate::sweep::SweepSpec;

pub(super) fn sweep(s: Sweep) -> Result<(), Error> {
    let source = Source::read(&s.file)?;
    let scenario = source.parse()?;
    let request = Request::Sweep(SweepSpec {
        base: s.base,
        axes: s.axes,
        given: s.given,
    });
    let prepared = request.prepare(&scenario, run_options(&scenario, &s.sim))?;
    match write::play(&prepared, &source, &s.sim, &s.out)? {
        Some(result) => write::result(&result, &s.out, s.chart.as_ref()),
        None => Ok(()),
    }
}
