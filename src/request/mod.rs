//! What a command asks to evaluate — proposals put to the parties, a sweep, a dynamic
//! protocol's play — turned into a [`Job`], played whole, to a precision or as one shard, and
//! reported as one [`RunResult`]: a shared [`Header`] and a body particular to the request.
//! Partial results record the request, so [`merge`] rebuilds the same job from them.

mod result;
pub mod seeds;

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

pub use result::{Body, RunResult};

use crate::error::{About, Error, Invalid};
use crate::job::{self, Given, Job, Mode, Partial, PartialError, Played, Variants};
use crate::model::{ProtocolSpec, Scenario};
use crate::protocol::dynamic::TraceWriter;
use crate::scenario::Source;
use crate::scenario::suggest::did_you_mean;
use crate::sim::RunOptions;
use crate::sweep::{self, SweepInfo, SweepPoint, SweepResult, SweepSpec};

/// What to evaluate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Request {
    /// Put these proposals, by name, to every party (the ratify protocol), given the
    /// observed decisions, if any.
    Proposals {
        proposals: Vec<String>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        given: Vec<Given>,
    },
    /// Sweep a proposal (ratify) or the protocol's parameters (dynamic protocols).
    Sweep(SweepSpec),
    /// Play the scenario's dynamic protocol; a mediated text starts from proposal `start`
    /// (default: the scenario's).
    Dynamic { start: Option<String> },
}

impl std::fmt::Display for Request {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Request::Proposals { proposals, .. } => {
                write!(f, "proposals {}", proposals.join(", "))
            }
            Request::Sweep(spec) => {
                let axes: Vec<String> = spec
                    .axes
                    .iter()
                    .map(|a| match a {
                        sweep::AxisSpec::Clause { name, .. } => format!("clause {name}"),
                        sweep::AxisSpec::Path { from, to, .. } => format!("path {from}..{to}"),
                        sweep::AxisSpec::Reservation { party, .. } => {
                            format!("reservation of {party}")
                        }
                        sweep::AxisSpec::Param { name, .. } => format!("parameter {name}"),
                    })
                    .collect();
                write!(f, "a sweep of {}", axes.join(" × "))
            }
            Request::Dynamic { start: Some(s) } => write!(f, "the play from {s}"),
            Request::Dynamic { start: None } => write!(f, "the protocol's play"),
        }
    }
}

impl Request {
    /// This request conditioned on observed decisions. They apply to proposals put to the
    /// parties (ratify) only: a dynamic protocol plays its own deals.
    pub fn given(self, given: Vec<Given>) -> Result<Request, Invalid> {
        if given.is_empty() {
            return Ok(self);
        }
        match self {
            Request::Proposals { proposals, .. } => Ok(Request::Proposals { proposals, given }),
            Request::Sweep(spec) => Ok(Request::Sweep(SweepSpec { given, ..spec })),
            other => Err(Invalid::new(
                About::Given(0),
                "observed decisions apply to proposals put to the parties (ratify); a dynamic protocol plays its own deals",
            )
            .help(format!("this scenario asks for {other}"))),
        }
    }

    /// What `accord run` evaluates: under `ratify` the named proposals (default: the
    /// `[protocol] proposals` list, else all); under a dynamic protocol its play, a mediated
    /// text starting from the one proposal named, if any.
    pub fn run(s: &Scenario, proposals: &[String]) -> Result<Request, Invalid> {
        for (i, name) in proposals.iter().enumerate() {
            proposal_index(s, i, name)?;
        }
        match &s.protocol {
            ProtocolSpec::Ratify {
                proposals: listed, ..
            } => {
                let names = if proposals.is_empty() {
                    let chosen: Vec<usize> = if listed.is_empty() {
                        (0..s.proposals.len()).collect()
                    } else {
                        listed.clone()
                    };
                    chosen
                        .iter()
                        .map(|&i| s.proposals[i].name.clone())
                        .collect()
                } else {
                    proposals.to_vec()
                };
                Ok(Request::Proposals {
                    proposals: names,
                    given: Vec::new(),
                })
            }
            ProtocolSpec::Mediated { .. } => match proposals {
                [] => Ok(Request::Dynamic { start: None }),
                [one] => Ok(Request::Dynamic {
                    start: Some(one.clone()),
                }),
                _ => Err(Invalid::new(
                    About::Proposal(1),
                    "the mediated protocol starts from one text; name one proposal",
                )),
            },
            other => match proposals {
                [] => Ok(Request::Dynamic { start: None }),
                _ => Err(Invalid::new(
                    About::Proposal(0),
                    format!("the {} protocol has no proposal to evaluate", other.name()),
                )
                .help("proposals apply to ratify, and to mediated (the text it starts from)")),
            },
        }
    }

    /// Checks the request against `s` and lays out its job.
    pub fn prepare<'s>(&self, s: &'s Scenario, options: RunOptions) -> Result<Prepared<'s>, Error> {
        let (job, shape) = match self {
            Request::Proposals { proposals, given } => {
                if s.protocol.dynamic().is_some() {
                    return Err(Invalid::new(
                        About::Request,
                        format!(
                            "the {} protocol negotiates its own deal; there are no proposals to put to the parties",
                            s.protocol.name()
                        ),
                    )
                    .into());
                }
                let indices = proposals
                    .iter()
                    .enumerate()
                    .map(|(i, name)| proposal_index(s, i, name))
                    .collect::<Result<Vec<_>, _>>()?;
                let deals = indices
                    .iter()
                    .map(|&i| s.proposals[i].deal.clone())
                    .collect();
                let variants = Variants::Deals {
                    deals,
                    reservation: None,
                };
                let job = Job::new(Cow::Borrowed(s), variants, options)?.given(given)?;
                (job, Shape::Proposals(proposals.clone()))
            }
            Request::Sweep(spec) => {
                let plan = sweep::plan(s, spec)?;
                let job = Job::new(plan.worlds, plan.variants, options)?.given(&spec.given)?;
                (job, Shape::Sweep(plan.info, plan.coords))
            }
            Request::Dynamic { start } => {
                if s.protocol.dynamic().is_none() {
                    return Err(Invalid::new(
                        About::Request,
                        "the ratify protocol has no play over steps: it puts proposals to the parties",
                    )
                    .into());
                }
                let mut point = s.clone();
                if let Some(name) = start {
                    let at = proposal_index(s, 0, name)?;
                    match &mut point.protocol {
                        ProtocolSpec::Mediated { start, .. } => *start = at,
                        other => {
                            return Err(Invalid::new(
                                About::Proposal(0),
                                format!("the {} protocol starts from no proposal", other.name()),
                            )
                            .into());
                        }
                    }
                }
                let job = Job::new(Cow::Borrowed(s), Variants::Scenarios(vec![point]), options)?;
                (job, Shape::Dynamic)
            }
        };
        Ok(Prepared {
            request: self.clone(),
            job,
            shape,
        })
    }
}

/// The index of proposal `name`, the `i`-th named.
fn proposal_index(s: &Scenario, i: usize, name: &str) -> Result<usize, Invalid> {
    s.proposal_index(name).ok_or_else(|| {
        let known: Vec<&str> = s.proposals.iter().map(|p| p.name.as_str()).collect();
        let hint = did_you_mean(name, known.iter().copied())
            .map(|s| format!("did you mean `{s}`? "))
            .unwrap_or_default();
        Invalid::new(
            About::Proposal(i),
            format!("the scenario has no proposal `{name}`"),
        )
        .help(format!("{hint}proposals: {}", known.join(", ")))
    })
}

/// How a request's estimates are labelled.
#[derive(Debug, Clone)]
enum Shape {
    Proposals(Vec<String>),
    Sweep(SweepInfo, Vec<Vec<f64>>),
    Dynamic,
}

/// A request checked against its scenario, with its job.
#[derive(Debug, Clone)]
pub struct Prepared<'s> {
    request: Request,
    job: Job<'s>,
    shape: Shape,
}

/// What playing a request gives: its result, or — for one shard — a partial result.
#[derive(Debug, Clone)]
pub enum Outcome {
    Result(Box<RunResult>),
    Partial(Box<Partial<Request>>),
}

impl Prepared<'_> {
    /// The job the request plays.
    pub fn job(&self) -> &Job<'_> {
        &self.job
    }

    /// Plays every round and reports the result.
    pub fn run(&self, progress: &(dyn Fn(u64) + Sync)) -> Result<RunResult, Error> {
        let played = self.job.play(Mode::Whole, progress)?;
        self.job.check_kept(&played)?;
        self.result(&played)
    }

    /// Plays the request as `mode` says: its result, or one shard's partial result (which
    /// carries `source`).
    pub fn play(
        &self,
        source: &Source,
        mode: Mode,
        progress: &(dyn Fn(u64) + Sync),
    ) -> Result<Outcome, Error> {
        let played = self.job.play(mode, progress)?;
        Ok(match mode {
            Mode::Shard(shard) => Outcome::Partial(Box::new(Partial::new(
                source,
                &self.job,
                shard,
                self.request.clone(),
                played,
            ))),
            Mode::Whole | Mode::Precision { .. } => {
                self.job.check_kept(&played)?;
                Outcome::Result(Box::new(self.result(&played)?))
            }
        })
    }

    /// The result of a played job of this request.
    pub fn result(&self, played: &Played) -> Result<RunResult, Error> {
        let header = self.job.header(played);
        let body = match &self.shape {
            Shape::Proposals(names) => Body::Proposals {
                results: self.job.deal_results(&played.tally, names)?,
            },
            Shape::Sweep(info, coords) => {
                let points = match self.job.variants() {
                    Variants::Deals { .. } => {
                        let names: Vec<String> = (0..coords.len()).map(|k| k.to_string()).collect();
                        self.job
                            .deal_results(&played.tally, &names)?
                            .into_iter()
                            .zip(coords)
                            .map(|(r, x)| SweepPoint::of_deal(x.clone(), r))
                            .collect()
                    }
                    Variants::Scenarios(_) => self
                        .job
                        .dynamic_results(&played.tally)?
                        .iter()
                        .zip(coords)
                        .map(|(r, x)| SweepPoint::of_dynamic(x.clone(), r))
                        .collect(),
                };
                Body::Sweep(SweepResult {
                    info: info.clone(),
                    points,
                })
            }
            Shape::Dynamic => {
                let mut results = self.job.dynamic_results(&played.tally)?;
                Body::Dynamic(Box::new(results.remove(0)))
            }
        };
        Ok(RunResult { header, body })
    }

    /// Writes the step-by-step play of the first `n` rounds (at most the job's rounds) of a
    /// dynamic protocol's play as JSON lines to `out`, as it goes.
    pub fn trace(&self, n: u64, out: &mut dyn std::io::Write) -> Result<(), TraceError> {
        let Some(dynamic) = self
            .job
            .dynamic(0)
            .filter(|_| matches!(self.shape, Shape::Dynamic))
        else {
            return Err(TraceError::NoSteps);
        };
        let mut writer = TraceWriter::new(self.job.worlds(), out);
        let rounds = n.min(self.job.options().rounds);
        self.job.replay(0..rounds, |round, world| {
            writer.start_round(round);
            dynamic.trace_round(world, &mut writer);
        });
        writer.finish().map_err(TraceError::Write)
    }
}

/// Why a trace could not be written.
#[derive(Debug, thiserror::Error)]
pub enum TraceError {
    #[error("only a dynamic protocol's play has steps to trace")]
    NoSteps,
    #[error("the trace could not be written: {0}")]
    Write(std::io::Error),
}

/// Checks that `parts` are the shards of one run and reports the run: the same result, bit
/// for bit, as playing it whole.
pub fn merge(parts: Vec<(String, Partial<Request>)>) -> Result<RunResult, Error> {
    let first_name = parts.first().map(|(n, _)| n.clone()).unwrap_or_default();
    let merged = job::merge(parts)?;
    let scenario = merged.source.parse()?;
    let options = RunOptions {
        rounds: merged.rounds,
        seed: merged.seed,
        threads: None,
    };
    let prepared = merged.request.prepare(&scenario, options)?;
    if !prepared.job.new_tally().same_shape(&merged.tally) {
        return Err(PartialError::Shape { name: first_name }.into());
    }
    let played = Played {
        rounds: merged.tally.rounds(),
        tally: merged.tally,
        blocks: 0..crate::sim::seed::block_count(merged.rounds),
        precision: None,
    };
    prepared.result(&played)
}
