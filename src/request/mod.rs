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
use crate::explore::{ConcessionPlan, ConcessionSpec, ConcessionsResult, SearchPlan, SearchSpec};
use crate::job::{self, Given, Job, Mode, Partial, PartialError, Played, Variants};
use crate::model::{ProtocolSpec, Scenario};
use crate::protocol::DealResult;
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
    /// Every single-clause change of a proposal (ratify), with paired changes.
    Concessions(ConcessionSpec),
    /// The deals maximising an objective over the deal space (ratify).
    Search(SearchSpec),
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
            Request::Concessions(c) => write!(f, "the concessions of {}", c.proposal),
            Request::Search(c) => write!(f, "a search for the best {}", c.objective),
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
            Request::Concessions(spec) => {
                Ok(Request::Concessions(ConcessionSpec { given, ..spec }))
            }
            Request::Search(spec) => Ok(Request::Search(SearchSpec { given, ..spec })),
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
            Request::Concessions(spec) => {
                let plan = spec.plan(s)?;
                let job = concessions_job(s, &plan, &spec.given, options)?;
                (job, Shape::Concessions(Box::new(plan)))
            }
            Request::Search(spec) => {
                let plan = spec.plan(s)?;
                // A race lays out its jobs as it goes; its job here only names the run.
                let ids = if plan.exact { plan.all() } else { vec![0] };
                let job = plan.job(s, &ids, options)?;
                (job, Shape::Search(Box::new(plan)))
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

/// A ratify job of `plan`'s deals (the proposal first), conditioned on `given` and paired
/// with the proposal.
fn concessions_job<'s>(
    s: &'s Scenario,
    plan: &ConcessionPlan,
    given: &[Given],
    options: RunOptions,
) -> Result<Job<'s>, Error> {
    let variants = Variants::Deals {
        deals: plan.deals(),
        reservation: None,
    };
    Ok(Job::new(Cow::Borrowed(s), variants, options)?
        .given(given)?
        .paired_with(0))
}

/// How a request's estimates are labelled.
#[derive(Debug, Clone)]
enum Shape {
    Proposals(Vec<String>),
    Sweep(SweepInfo, Vec<Vec<f64>>),
    Dynamic,
    Concessions(Box<ConcessionPlan>),
    Search(Box<SearchPlan>),
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
        if let Some(raced) = self.race(Mode::Whole, progress) {
            return raced;
        }
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
        if let Some(raced) = self.race(mode, progress) {
            return Ok(Outcome::Result(Box::new(raced?)));
        }
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

    /// The deal-rounds a search too large to play exactly races through, which its progress
    /// counts (rather than rounds); `None` for any other request.
    pub fn raced_work(&self) -> Option<u64> {
        match &self.shape {
            Shape::Search(plan) if !plan.exact => Some(plan.race_work(self.job.options().rounds)),
            _ => None,
        }
    }

    /// A search too large to play exactly, raced (whole runs only; `progress` gets the
    /// deal-rounds played); `None` for any other request.
    fn race(
        &self,
        mode: Mode,
        progress: &(dyn Fn(u64) + Sync),
    ) -> Option<Result<RunResult, Error>> {
        let Shape::Search(plan) = &self.shape else {
            return None;
        };
        if plan.exact {
            return None;
        }
        let refuse = |about: About| {
            Some(Err(Invalid::new(
                about,
                format!(
                    "a search over {} deals races them in stages, each chosen from the last: it is played whole, not in shards or to a precision",
                    crate::text::thousands(plan.size as i128)
                ),
            )
            .help(format!(
                "spaces of at most {} deals are searched exactly, and those shard",
                crate::text::thousands(crate::explore::MAX_EXACT as i128)
            ))
            .into()))
        };
        match mode {
            Mode::Shard(_) => return refuse(About::Shard),
            Mode::Precision { .. } => return refuse(About::Precision),
            Mode::Whole => {}
        }
        let s = self.job.worlds();
        Some((|| {
            let (ids, job, played, stages) = plan.race(s, self.job.options(), progress)?;
            let body = Body::Search(plan.result(s, &job, &played, &ids, stages)?);
            Ok(RunResult {
                header: job.header(&played),
                body,
            })
        })())
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
            Shape::Concessions(plan) => Body::Concessions(self.concessions(plan, played)?),
            Shape::Search(plan) => {
                let s = self.job.worlds();
                Body::Search(plan.result(s, &self.job, played, &plan.all(), Vec::new())?)
            }
        };
        Ok(RunResult { header, body })
    }

    /// The ranked concessions of a played job of `plan`'s singles; at depth 2, pairs of the
    /// best of them are played on the same rounds (the same worlds) and ranked with them.
    fn concessions(
        &self,
        plan: &ConcessionPlan,
        played: &Played,
    ) -> Result<ConcessionsResult, Error> {
        let s = self.job.worlds();
        let names = |n: usize| (0..n).map(|k| k.to_string()).collect::<Vec<_>>();
        let deals = plan.moves.len() + 1;
        let changes = self.job.changes(&played.tally)?;
        let results = self.job.deal_results(&played.tally, &names(deals))?;
        let mut all = plan.concessions(s, &changes, &results, 0);
        plan.rank(&mut all);
        let mut pairs_among = None;
        if plan.depth == 2 {
            let pairs = plan.pairs(&all);
            if !pairs.moves.is_empty() {
                let Request::Concessions(spec) = &self.request else {
                    unreachable!("a concessions shape comes from a concessions request")
                };
                let options = RunOptions {
                    rounds: played.rounds,
                    ..self.job.options()
                };
                let job = concessions_job(s, &pairs, &spec.given, options)?;
                let more = job.play(Mode::Whole, &|_| {})?;
                let changes = job.changes(&more.tally)?;
                let results = job.deal_results(&more.tally, &names(pairs.moves.len() + 1))?;
                all.extend(pairs.concessions(s, &changes, &results, plan.moves.len()));
                plan.rank(&mut all);
            }
            pairs_among = Some(crate::explore::PAIRS_AMONG);
        }
        Ok(ConcessionsResult {
            proposal: plan.proposal.clone(),
            ranked_by: plan.ranked_by(s),
            resolution: plan.resolution,
            depth: plan.depth,
            pairs_among,
            base: DealResult {
                proposal: plan.proposal.clone(),
                ..results.into_iter().next().expect("the proposal is deal 0")
            },
            concessions: all,
        })
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
