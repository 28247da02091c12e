//! `accord sweep`.

use super::settings::Sweep;
use crate::error::Error;
use crate::request::Request;
use crate::sweep::SweepSpec;

pub(super) fn sweep(s: Sweep) -> Result<(), Error> {
    let request = Request::Sweep(SweepSpec {
        base: s.base,
        axes: s.axes,
        given: s.given,
    });
    super::write::request(&s.file, request, &s.sim, &s.out, s.chart.as_ref())
}
