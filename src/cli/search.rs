//! `accord search`.

use super::settings::Search;
use crate::error::Error;
use crate::request::Request;

pub(super) fn search(s: Search) -> Result<(), Error> {
    let request = Request::Search(s.spec);
    super::write::request(&s.file, request, &s.sim, &s.out, s.chart.as_ref())
}
