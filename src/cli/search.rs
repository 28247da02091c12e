//! `accord search`.

use super::settings::Search;
use crate::error::Error;
use crate::request::Request;

pub(super) fn search(s: Search) -> Result<(), Error> {
    super::write::request(&s.file, Request::Search(s.spec), &s.sim, &s.out, None)
}
