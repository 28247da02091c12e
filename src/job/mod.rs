//! Jobs: variants of a scenario played side by side on the same sampled worlds — whole, to a
//! precision, or as one shard of a cluster run — and the tallies, partial results and merges
//! that go with them.
//!
//! A [`Job`] is a scenario (the one its worlds are drawn from), its [`Variants`] and the run
//! options. Every protocol is played through the same few functions here: the ratify
//! protocol's variants are deals (a run's proposals, a sweep's points), a dynamic protocol's
//! are copies of the scenario (its own play, or a parameter sweep's points). What a command
//! asks for (proposals, a sweep, a dynamic protocol's play) is turned into a job one layer up,
//! in [`crate::request`].

mod error;
mod experiment;
pub mod given;
pub mod merge;
pub mod partial;
pub mod shard;
mod tally;

use std::borrow::Cow;
use std::ops::Range;

use serde::{Deserialize, Serialize};

pub use error::JobError;
pub use given::{Conditioning, Given, MIN_KEPT};
pub use merge::{Merged, merge};
pub use partial::{PARTIAL_FORMAT, Partial, PartialError};
pub use shard::Shard;
pub use tally::Tally;

use experiment::Prepared;

use crate::error::{About, Invalid};
use crate::model::{Deal, MAX_ROUNDS, Scenario};
use crate::protocol::dynamic::DynamicResult;
use crate::protocol::ratify::{Change, DealResult, Detail, Observation};
use crate::protocol::{Dynamic, ReservationAxis};
use crate::sim::seed::block_count;
use crate::sim::{RunOptions, Runner, World};

/// What a job plays in every sampled world, side by side (common random numbers).
#[derive(Debug, Clone, PartialEq)]
pub enum Variants {
    /// Texts put to every party (the ratify protocol), with an optional outside option that
    /// moves from deal to deal.
    Deals {
        deals: Vec<Deal>,
        reservation: Option<ReservationAxis>,
    },
    /// Copies of the scenario that differ only in their dynamic protocol's parameters (or a
    /// mediated text's start), each played by its own protocol.
    Scenarios(Vec<Scenario>),
}

impl Variants {
    /// How many variants there are.
    pub fn len(&self) -> usize {
        match self {
            Variants::Deals { deals, .. } => deals.len(),
            Variants::Scenarios(s) => s.len(),
        }
    }

    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// How much of a job to play.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Mode {
    /// Every round.
    Whole,
    /// Blocks in order until every agreement probability's 95% half-width is at most
    /// `target` (`0 < target < 0.5`), or the job's rounds (the cap) are played.
    Precision { target: f64 },
    /// One shard's blocks.
    Shard(Shard),
}

/// The outcome of precision mode.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Precision {
    /// The half-width asked for.
    pub target: f64,
    /// The largest half-width of an agreement probability at the end.
    pub achieved: f64,
    /// Whether `achieved <= target` (otherwise the cap on rounds ended the run).
    pub reached: bool,
}

/// A played job's totals.
#[derive(Debug, Clone, PartialEq)]
pub struct Played {
    pub tally: Tally,
    /// Rounds the tally holds.
    pub rounds: u64,
    /// The blocks played.
    pub blocks: Range<u64>,
    /// Set in precision mode.
    pub precision: Option<Precision>,
}

/// What every result starts with: which scenario, protocol, seed and rounds it is of, and
/// the seed contract its rounds were drawn under.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Header {
    pub scenario: String,
    pub protocol: String,
    pub seed: u64,
    pub rounds: u64,
    /// [`crate::sim::seed::SEED_CONTRACT`]: the same seed gives other numbers under another
    /// contract. Absent from results written before contracts were recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed_contract: Option<u32>,
    /// Present in precision mode: the target and whether it was reached.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub precision: Option<Precision>,
    /// Present when the estimates are conditioned on observed decisions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conditioning: Option<Conditioning>,
    /// The agreement rule, when it is not the default (unanimity of the veto holders), as
    /// [`crate::model::Rule::describe`] words it: "quota 2 of 3", ….
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
}

/// A scenario's variants, ready to play.
#[derive(Debug, Clone)]
pub struct Job<'s> {
    worlds: Cow<'s, Scenario>,
    variants: Variants,
    options: RunOptions,
    /// Round-by-round accounting: observations (whose proposals follow the reported deals)
    /// and pairing.
    detail: Option<Detail>,
    /// The observations as written.
    given: Vec<Given>,
    /// How many deals are reported (the rest are only observed).
    reported: usize,
}

impl<'s> Job<'s> {
    /// A job drawing its worlds from `worlds`. The variants must fit its protocol: deals of
    /// the scenario's clauses for `ratify`, scenarios with a dynamic protocol drawing the same
    /// uncertain parameters otherwise; rounds from 1 to [`MAX_ROUNDS`].
    pub fn new(
        worlds: Cow<'s, Scenario>,
        variants: Variants,
        options: RunOptions,
    ) -> Result<Self, JobError> {
        if options.rounds == 0 || options.rounds > MAX_ROUNDS {
            return Err(JobError::Rounds(options.rounds));
        }
        if variants.is_empty() {
            return Err(JobError::NoVariants);
        }
        let dynamic = worlds.protocol.dynamic().is_some();
        match &variants {
            Variants::Deals { deals, reservation } => {
                if dynamic {
                    return Err(JobError::Protocol(worlds.protocol.name()));
                }
                let clauses = worlds.clauses.len();
                if deals.iter().any(|d| d.len() != clauses) {
                    return Err(JobError::DealLength { clauses });
                }
                if let Some(axis) = reservation
                    && (axis.party >= worlds.parties.len() || axis.values.len() != deals.len())
                {
                    return Err(JobError::ReservationAxis);
                }
            }
            Variants::Scenarios(points) => {
                let fits = |s: &Scenario| {
                    s.protocol.dynamic().is_some()
                        && s.uncertain.len() == worlds.uncertain.len()
                        && s.parties.len() == worlds.parties.len()
                };
                if !points.iter().all(fits) {
                    return Err(JobError::Protocol(worlds.protocol.name()));
                }
            }
        }
        let reported = variants.len();
        Ok(Job {
            worlds,
            variants,
            options,
            detail: None,
            given: Vec::new(),
            reported,
        })
    }

    /// The same job, conditioned on observed decisions: only rounds whose sampled worlds
    /// agree with every one count. The observed proposals are evaluated beside the deals
    /// (and not reported). Ratify only, and not with a swept outside option (the observation
    /// would be made at every swept value).
    pub fn given(mut self, given: &[Given]) -> Result<Self, Invalid> {
        if given.is_empty() {
            return Ok(self);
        }
        let protocol = self.worlds.protocol.name();
        let Variants::Deals { deals, reservation } = &mut self.variants else {
            return Err(Invalid::new(
                About::Given(0),
                format!(
                    "the {protocol} protocol plays its own deals; observed decisions apply to proposals put to the parties (ratify)"
                ),
            ));
        };
        if reservation.is_some() {
            return Err(Invalid::new(
                About::Given(0),
                "observed decisions do not combine with a sweep of an outside option: each swept value would need its own observation",
            ));
        }
        let s = &*self.worlds;
        let mut observations = Vec::with_capacity(given.len());
        for (i, g) in given.iter().enumerate() {
            let party = s.party_index(&g.party).ok_or_else(|| {
                let known: Vec<&str> = s.parties.iter().map(|p| p.name.as_str()).collect();
                Invalid::new(
                    About::Given(i),
                    format!("the scenario has no party `{}`", g.party),
                )
                .help(format!("parties: {}", known.join(", ")))
            })?;
            let proposal = s.proposal_index(&g.proposal).ok_or_else(|| {
                let known: Vec<&str> = s.proposals.iter().map(|p| p.name.as_str()).collect();
                Invalid::new(
                    About::Given(i),
                    format!("the scenario has no proposal `{}`", g.proposal),
                )
                .help(format!("proposals: {}", known.join(", ")))
            })?;
            deals.push(s.proposals[proposal].deal.clone());
            observations.push(Observation {
                deal: deals.len() - 1,
                party,
                accepts: g.accepts,
            });
        }
        self.detail.get_or_insert_with(Detail::default).observations = observations;
        self.given = given.to_vec();
        Ok(self)
    }

    /// The same job, counting for every deal the rounds where it and deal `base` differ, for
    /// paired changes ([`Job::changes`]). Ratify only.
    pub fn paired_with(mut self, base: usize) -> Self {
        if base < self.reported {
            self.detail.get_or_insert_with(Detail::default).paired_with = Some(base);
        }
        self
    }

    /// Checks that enough rounds agree with the observations to estimate from.
    pub fn check_kept(&self, played: &Played) -> Result<(), Invalid> {
        let Some(c) = self.header(played).conditioning else {
            return Ok(());
        };
        if c.kept < MIN_KEPT {
            return Err(Invalid::new(
                About::Given(0),
                format!(
                    "only {} of {} rounds agree with the observations ({}): under the scenario's assumptions they are (almost) impossible, and so few rounds estimate nothing",
                    crate::text::thousands(c.kept),
                    crate::text::thousands(c.played),
                    c.given.join("; ")
                ),
            )
            .help(format!(
                "at least {MIN_KEPT} rounds must agree: play more rounds, or revisit the assumptions the observations contradict"
            )));
        }
        Ok(())
    }

    /// The scenario the worlds are drawn from.
    pub fn worlds(&self) -> &Scenario {
        &self.worlds
    }

    /// What is played in each world.
    pub fn variants(&self) -> &Variants {
        &self.variants
    }

    /// Rounds (the cap, in precision mode), seed and threads.
    pub fn options(&self) -> RunOptions {
        self.options
    }

    /// The header of a result of this job.
    pub fn header(&self, played: &Played) -> Header {
        let conditioning = match (&played.tally, self.given.is_empty()) {
            (Tally::Deals(t), false) => Some(Conditioning {
                given: self.given.iter().map(|g| g.to_string()).collect(),
                kept: t.detail.as_ref().map_or(0, |d| d.kept),
                played: played.rounds,
            }),
            _ => None,
        };
        Header {
            scenario: self.worlds.name.clone(),
            protocol: self.worlds.protocol.name().to_string(),
            seed: self.options.seed,
            rounds: played.rounds,
            seed_contract: Some(crate::sim::seed::SEED_CONTRACT),
            precision: played.precision,
            conditioning,
            rule: rule_description(&self.worlds),
        }
    }

    /// An empty tally of this job.
    pub fn new_tally(&self) -> Tally {
        self.prepare().new_tally()
    }

    /// Plays the job as `mode` says; `progress` gets the rounds done so far.
    pub fn play(&self, mode: Mode, progress: &(dyn Fn(u64) + Sync)) -> Result<Played, JobError> {
        let all = 0..block_count(self.options.rounds);
        let (blocks, target) = match mode {
            Mode::Whole => (all, None),
            Mode::Precision { target } => {
                if !(target > 0.0 && target < 0.5) {
                    return Err(JobError::Precision(target));
                }
                (all, Some(target))
            }
            Mode::Shard(shard) => (shard.blocks(self.options.rounds)?, None),
        };
        let runner = Runner::new(&self.worlds, self.options);
        let prepared = self.prepare();
        let (tally, rounds) = prepared.play(&runner, blocks.clone(), target, progress);
        let precision = target.map(|target| {
            let achieved = prepared.max_half_width(&tally);
            Precision {
                target,
                achieved,
                reached: achieved <= target,
            }
        });
        Ok(Played {
            tally,
            rounds,
            blocks,
            precision,
        })
    }

    /// Estimates for each deal of a `Deals` job, labelled with `names`.
    pub fn deal_results(
        &self,
        tally: &Tally,
        names: &[String],
    ) -> Result<Vec<DealResult>, JobError> {
        match (self.prepare(), tally) {
            (Prepared::Deals(ratify), Tally::Deals(t)) if names.len() == self.reported => {
                Ok(ratify.summarise(t, names))
            }
            _ => Err(JobError::TallyKind),
        }
    }

    /// Each reported deal's change from the base deal of [`Job::paired_with`]: agreement,
    /// then each party's acceptance, with paired intervals.
    pub fn changes(&self, tally: &Tally) -> Result<Vec<(Change, Vec<Change>)>, JobError> {
        match (self.prepare(), tally) {
            (Prepared::Deals(ratify), Tally::Deals(t)) => {
                let mut all = ratify.changes(t).ok_or(JobError::TallyKind)?;
                all.truncate(self.reported);
                Ok(all)
            }
            _ => Err(JobError::TallyKind),
        }
    }

    /// Estimates for each scenario of a `Scenarios` job.
    pub fn dynamic_results(&self, tally: &Tally) -> Result<Vec<DynamicResult>, JobError> {
        match (self.prepare(), tally) {
            (Prepared::Scenarios(points), Tally::Scenarios(t)) if t.len() == points.len() => {
                Ok(points.summarise(t))
            }
            _ => Err(JobError::TallyKind),
        }
    }

    /// The dynamic protocol of variant `k`, for traces.
    pub fn dynamic(&self, k: usize) -> Option<Dynamic<'_>> {
        match &self.variants {
            Variants::Scenarios(points) => points.get(k).and_then(Dynamic::new),
            Variants::Deals { .. } => None,
        }
    }

    /// Replays the worlds of rounds `rounds` in order, one by one, as the runner draws them.
    pub fn replay(&self, rounds: Range<u64>, visit: impl FnMut(u64, &World)) {
        Runner::new(&self.worlds, self.options).replay(rounds, visit);
    }

    fn prepare(&self) -> Prepared<'_> {
        Prepared::new(&self.worlds, &self.variants, self.detail.as_ref())
    }
}

/// How a result names the scenario's rule: `None` for the default.
fn rule_description(s: &Scenario) -> Option<String> {
    let rule = s.protocol.rule();
    (!rule.is_unanimity()).then(|| rule.describe(&s.parties, s.protocol.voters(s.parties.len())))
}

#[cfg(test)]
mod dynamic_checks;
#[cfg(test)]
mod tests;
