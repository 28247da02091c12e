//! `accord concessions`.

use super::settings::Concessions;
use crate::error::Error;
use crate::request::Request;

pub(super) fn concessions(s: Concessions) -> Result<(), Error> {
    let request = Request::Concessions(s.spec);
    super::write::request(&s.file, request, &s.sim, &s.out, s.chart.as_ref())
}
