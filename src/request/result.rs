//! One result type for every request: the header every result shares, and a body particular
//! to what was asked. As JSON the two are one object, header fields first:
//! `{"scenario", "protocol", "seed", "rounds", "precision"?, …body}`.

use serde::{Deserialize, Serialize};

use crate::explore::{ConcessionsResult, SearchResult};
use crate::job::Header;
use crate::protocol::DealResult;
use crate::protocol::dynamic::DynamicResult;
use crate::sweep::SweepResult;

/// A request's result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunResult {
    #[serde(flatten)]
    pub header: Header,
    #[serde(flatten)]
    pub body: Body,
}

/// What a result holds besides its header.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Body {
    /// Proposals put to the parties: `{"results": [{"proposal", "agreement", "parties"}]}`.
    Proposals { results: Vec<DealResult> },
    /// A sweep: what was swept and the estimates at each point.
    Sweep(SweepResult),
    /// A dynamic protocol's play.
    Dynamic(Box<DynamicResult>),
    /// A proposal's single-clause changes, ranked.
    Concessions(ConcessionsResult),
    /// The best deals of the deal space.
    Search(SearchResult),
}

impl RunResult {
    /// The sweep this result holds, if it is one.
    pub fn sweep(&self) -> Option<&SweepResult> {
        match &self.body {
            Body::Sweep(s) => Some(s),
            _ => None,
        }
    }

    /// The dynamic protocol's play this result holds, if it is one.
    pub fn dynamic(&self) -> Option<&DynamicResult> {
        match &self.body {
            Body::Dynamic(d) => Some(d),
            _ => None,
        }
    }
}
