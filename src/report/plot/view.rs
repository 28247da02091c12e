//! Results as the charts read them: a sweep or a dynamic protocol's play together with the
//! header of its result (scenario, protocol, seed, rounds) for titles and notes. A view holds
//! the header's fields and dereferences to the body, so a chart reads both as one record
//! (`view.rounds` beside `view.steps`, `meta.seed` beside `meta.axes`).

use std::ops::{Deref, DerefMut};

use crate::job::Header;
use crate::protocol::dynamic::DynamicResult;
use crate::sweep::{SweepInfo, SweepPoint, SweepResult};

/// A sweep and its header.
#[derive(Debug, Clone, PartialEq)]
pub struct SweepView {
    pub meta: Meta,
    pub points: Vec<SweepPoint>,
}

/// What a sweep chart says about its run, and what was swept.
#[derive(Debug, Clone, PartialEq)]
pub struct Meta {
    pub scenario: String,
    pub protocol: String,
    pub seed: u64,
    pub rounds: u64,
    pub info: SweepInfo,
}

impl Deref for Meta {
    type Target = SweepInfo;
    fn deref(&self) -> &SweepInfo {
        &self.info
    }
}

impl DerefMut for Meta {
    fn deref_mut(&mut self) -> &mut SweepInfo {
        &mut self.info
    }
}

impl SweepView {
    pub fn new(header: &Header, sweep: &SweepResult) -> Self {
        SweepView {
            meta: Meta {
                scenario: header.scenario.clone(),
                protocol: header.protocol.clone(),
                seed: header.seed,
                rounds: header.rounds,
                info: sweep.info.clone(),
            },
            points: sweep.points.clone(),
        }
    }
}

/// A dynamic protocol's play and its header.
#[derive(Debug, Clone, PartialEq)]
pub struct DynamicView {
    pub scenario: String,
    pub protocol: String,
    pub seed: u64,
    pub rounds: u64,
    pub result: DynamicResult,
}

impl DynamicView {
    pub fn new(header: &Header, result: &DynamicResult) -> Self {
        DynamicView {
            scenario: header.scenario.clone(),
            protocol: header.protocol.clone(),
            seed: header.seed,
            rounds: header.rounds,
            result: result.clone(),
        }
    }
}

impl Deref for DynamicView {
    type Target = DynamicResult;
    fn deref(&self) -> &DynamicResult {
        &self.result
    }
}

impl DerefMut for DynamicView {
    fn deref_mut(&mut self) -> &mut DynamicResult {
        &mut self.result
    }
}
