//! `accord search`: the deals that maximise an objective over the negotiable deal space.
//!
//! The space is every combination of each clause's values — every option of a choice, both
//! values of a bool, a range's grid at `resolution` points plus the named proposals' values —
//! less what the clause constraints (`troop_cap<=800000`, `nato=deferred`) and `within`
//! (each clause between its values in two proposals) rule out. Objectives:
//! - `agreement`: the probability that the deal is agreed (every veto holder accepts, or the
//!   scenario's rule passes it);
//! - `value:PARTY`: the party's expected value of proposing the deal,
//!   P(agree)·u + (1 − P(agree))·r, with u its mean utility of the deal and r its mean
//!   reservation;
//! - `accept:PARTY`: the probability that the party accepts it.
//!
//! Constraints on estimates (`utility:PARTY>=x`, `agreement>=p`, `accept:PARTY>=p`) are
//! met by the point estimates; deals that meet them all rank before those that do not.
//!
//! **Exact** (spaces of at most [`MAX_EXACT`] deals): every deal is played on every round, on
//! the same worlds — one job, so each deal's estimates are, bit for bit, those of the deal put
//! to the parties alone as a proposal at the same rounds and seed — and ranked; ties go to
//! the deal enumerated first (clauses in file order, the last varying fastest).
//!
//! **Racing** (larger spaces, up to [`MAX_RACED`] deals): successive halving on common
//! random numbers. Stage 0 plays every deal on the first r₀ rounds; each stage keeps the best
//! quarter ([`ETA`]) and plays them on four times the rounds — always the first rounds of the
//! same worlds, whole blocks of 1,024 — until at most `max(4·top, 64)` deals remain, which
//! are played on all the rounds. r₀ = rounds / 4^stages (rounded down to whole blocks, at
//! least one block). Deterministic for a seed; the finalists' estimates are exact at the full
//! rounds, but a deal dropped early on few rounds is not revisited: the optimum is found when
//! it is among the best quarter at each stage.
//!
//! How sure the ranking is: the best and the second are played again, paired, on the same
//! rounds, and the paired 95% interval of their difference says whether they are
//! distinguishable.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use super::{move_label, offer_values, ratify_only};
use crate::error::{About, Error, Invalid};
use crate::job::{Given, Job, Mode, Played, Variants};
use crate::model::space::DEFAULT_RESOLUTION;
use crate::model::{ClauseKind, Deal, DealSpace, Scenario};
use crate::protocol::ratify::Change;
use crate::protocol::{DealResult, PartyResult};
use crate::sim::{BLOCK_SIZE, Estimate, RunOptions};

/// Spaces of at most this many deals are searched exactly.
pub const MAX_EXACT: u64 = 100_000;

/// The largest space a search races over.
pub const MAX_RACED: u64 = 10_000_000;

/// The share racing keeps at each stage: one in `ETA`, played on `ETA` times the rounds.
pub const ETA: u64 = 4;

/// Deals shown when `top` is not given.
pub const DEFAULT_TOP: usize = 5;

/// The most deals shown.
pub const MAX_TOP: usize = 1000;

/// What `accord search` asks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchSpec {
    /// `agreement`, `value:PARTY` or `accept:PARTY`.
    pub objective: String,
    /// `utility:PARTY>=x`, `agreement>=p`, `accept:PARTY>=p` (or `<=`), `CLAUSE<=v`,
    /// `CLAUSE>=v`, `CLAUSE=v`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub constraints: Vec<String>,
    /// `A..B`: every clause between its values in proposals A and B.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub within: Option<String>,
    /// How many deals to report.
    pub top: usize,
    /// Grid points per range clause.
    pub resolution: usize,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub given: Vec<Given>,
    /// Spaces of at most this many deals are searched exactly ([`MAX_EXACT`]; a lower limit
    /// races smaller spaces, which tests use).
    #[serde(default = "max_exact")]
    pub exact_limit: u64,
}

fn max_exact() -> u64 {
    MAX_EXACT
}

impl Default for SearchSpec {
    fn default() -> Self {
        SearchSpec {
            objective: "agreement".into(),
            constraints: Vec::new(),
            within: None,
            top: DEFAULT_TOP,
            resolution: DEFAULT_RESOLUTION,
            given: Vec::new(),
            exact_limit: MAX_EXACT,
        }
    }
}

/// What is maximised.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Objective {
    Agreement,
    /// A party's expected value of proposing the deal.
    Value(usize),
    /// A party's acceptance.
    Accept(usize),
}

/// `<=`, `>=` or `=`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Le,
    Ge,
    Eq,
}

impl Op {
    fn holds(self, x: f64, bound: f64) -> bool {
        match self {
            Op::Le => x <= bound,
            Op::Ge => x >= bound,
            Op::Eq => x == bound,
        }
    }
}

/// A constraint on an estimate, met by its point estimate.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Bound {
    Utility(usize, Op, f64),
    Agreement(Op, f64),
    Accept(usize, Op, f64),
}

/// A search checked against its scenario: the space and how deals are scored.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchPlan {
    pub objective: Objective,
    /// Each clause's values in the space.
    pub axes: Vec<Vec<f64>>,
    /// Deals in the space.
    pub size: u64,
    /// Whether every deal is played on every round.
    pub exact: bool,
    pub top: usize,
    bounds: Vec<Bound>,
    spec: SearchSpec,
}

impl SearchSpec {
    /// Checks the search against `s` and lays out its space.
    pub fn plan(&self, s: &Scenario) -> Result<SearchPlan, Invalid> {
        ratify_only(s, "a search of the deal space")?;
        let objective = objective(s, &self.objective)?;
        if !(1..=MAX_TOP).contains(&self.top) {
            return Err(Invalid::new(
                About::Setting("top", 0),
                format!("{} deals: give 1 to {MAX_TOP}", self.top),
            ));
        }
        let space = DealSpace::new(&s.clauses, self.resolution, &s.proposals)
            .map_err(|e| Invalid::new(About::Setting("resolution", 0), e.to_string()))?;
        let mut axes: Vec<Vec<f64>> = s
            .clauses
            .iter()
            .enumerate()
            .map(|(i, c)| offer_values(c, space.axis(i)))
            .collect();
        if let Some(w) = &self.within {
            let bad = || {
                Invalid::new(
                    About::Setting("within", 0),
                    format!("`{w}` is not two proposals A..B"),
                )
                .help("for example --within plan_28..plan_19")
            };
            let (a, b) = w.split_once("..").ok_or_else(bad)?;
            let find = |name: &str| {
                s.proposal_index(name.trim()).ok_or_else(|| {
                    let known: Vec<&str> = s.proposals.iter().map(|p| p.name.as_str()).collect();
                    Invalid::new(
                        About::Setting("within", 0),
                        format!("the scenario has no proposal `{}`", name.trim()),
                    )
                    .help(format!("proposals: {}", known.join(", ")))
                })
            };
            let (a, b) = (&s.proposals[find(a)?].deal, &s.proposals[find(b)?].deal);
            for (i, values) in axes.iter_mut().enumerate() {
                let (lo, hi) = (a[i].min(b[i]), a[i].max(b[i]));
                values.retain(|&x| lo <= x && x <= hi);
            }
        }
        let mut bounds = Vec::new();
        for (k, text) in self.constraints.iter().enumerate() {
            match constraint(s, k, text)? {
                Constraint::Estimate(b) => bounds.push(b),
                Constraint::Clause(i, op, v) => axes[i].retain(|&x| op.holds(x, v)),
            }
        }
        if let Some(i) = axes.iter().position(|v| v.is_empty()) {
            return Err(Invalid::new(
                About::Request,
                format!(
                    "no value of clause `{}` meets the constraints: the space is empty",
                    s.clauses[i].name
                ),
            )
            .help("relax a clause constraint or --within"));
        }
        let size = axes
            .iter()
            .fold(1u64, |n, a| n.saturating_mul(a.len() as u64));
        if size > MAX_RACED {
            return Err(Invalid::new(
                About::Request,
                format!(
                    "{} deals: the largest space searched is {}",
                    crate::text::thousands(size as i128),
                    crate::text::thousands(MAX_RACED as i128)
                ),
            )
            .help("fix or bound clauses (--constraint), keep them --within two proposals, or lower --resolution"));
        }
        Ok(SearchPlan {
            objective,
            axes,
            size,
            exact: size <= self.exact_limit,
            top: self.top,
            bounds,
            spec: self.clone(),
        })
    }
}

/// The objective named by `text`.
fn objective(s: &Scenario, text: &str) -> Result<Objective, Invalid> {
    let about = About::Setting("objective", 0);
    let party = |name: &str| {
        s.party_index(name).ok_or_else(|| {
            let known: Vec<&str> = s.parties.iter().map(|p| p.name.as_str()).collect();
            Invalid::new(about, format!("the scenario has no party `{name}`"))
                .help(format!("parties: {}", known.join(", ")))
        })
    };
    match text.split_once(':') {
        None if text == "agreement" => Ok(Objective::Agreement),
        Some(("value", p)) => Ok(Objective::Value(party(p)?)),
        Some(("accept", p)) => Ok(Objective::Accept(party(p)?)),
        _ => Err(Invalid::new(
            about,
            format!("`{text}` is not an objective: agreement, value:PARTY or accept:PARTY"),
        )),
    }
}

enum Constraint {
    Estimate(Bound),
    Clause(usize, Op, f64),
}

/// The `k`-th constraint, `text`.
fn constraint(s: &Scenario, k: usize, text: &str) -> Result<Constraint, Invalid> {
    let about = About::Setting("constraint", k);
    let fail = |m: String| Invalid::new(about, m);
    let (lhs, op, rhs) = [("<=", Op::Le), (">=", Op::Ge), ("=", Op::Eq)]
        .iter()
        .find_map(|&(sym, op)| {
            text.split_once(sym)
                .map(|(l, r)| (l.trim(), op, r.trim()))
        })
        .ok_or_else(|| {
            fail(format!(
                "`{text}` is not a constraint like utility:PARTY>=0.5, agreement>=0.3, accept:PARTY>=0.5, troop_cap<=800000 or nato=deferred"
            ))
        })?;
    let number = |what: &str| {
        rhs.replace('_', "")
            .parse::<f64>()
            .ok()
            .filter(|x| x.is_finite())
            .ok_or_else(|| fail(format!("`{rhs}` is not a number ({what})")))
    };
    let probability = || {
        let p = number("a probability")?;
        if (0.0..=1.0).contains(&p) {
            Ok(p)
        } else {
            Err(fail(format!("{p} is not a probability from 0 to 1")))
        }
    };
    let party = |name: &str| {
        s.party_index(name).ok_or_else(|| {
            let known: Vec<&str> = s.parties.iter().map(|p| p.name.as_str()).collect();
            fail(format!("the scenario has no party `{name}`"))
                .help(format!("parties: {}", known.join(", ")))
        })
    };
    if let Some(p) = lhs.strip_prefix("utility:") {
        return Ok(Constraint::Estimate(Bound::Utility(
            party(p)?,
            op,
            number("a utility")?,
        )));
    }
    if let Some(p) = lhs.strip_prefix("accept:") {
        return Ok(Constraint::Estimate(Bound::Accept(
            party(p)?,
            op,
            probability()?,
        )));
    }
    if lhs == "agreement" {
        return Ok(Constraint::Estimate(Bound::Agreement(op, probability()?)));
    }
    let i = s.clause_index(lhs).ok_or_else(|| {
        let known: Vec<&str> = s.clauses.iter().map(|c| c.name.as_str()).collect();
        fail(format!(
            "`{lhs}` is neither a clause nor utility:PARTY, accept:PARTY or agreement"
        ))
        .help(format!("clauses: {}", known.join(", ")))
    })?;
    let value = match s.clauses[i].kind() {
        ClauseKind::Range { .. } => number("a value of the clause")?,
        ClauseKind::Bool => match rhs {
            "true" | "yes" | "1" => 1.0,
            "false" | "no" | "0" => 0.0,
            _ => return Err(fail(format!("`{rhs}` is not yes or no"))),
        },
        ClauseKind::Choice { options } => {
            options.iter().position(|o| o == rhs).ok_or_else(|| {
                fail(format!("`{lhs}` has no option `{rhs}`"))
                    .help(format!("options, in order: {}", options.join(", ")))
            })? as f64
        }
    };
    Ok(Constraint::Clause(i, op, value))
}

impl SearchPlan {
    /// Deal number `index` of the space: clauses in file order, the last varying fastest.
    pub fn deal(&self, mut index: u64) -> Deal {
        let mut deal = vec![0.0; self.axes.len()];
        for (x, values) in deal.iter_mut().zip(&self.axes).rev() {
            let n = values.len() as u64;
            *x = values[(index % n) as usize];
            index /= n;
        }
        deal
    }

    /// The deals numbered `ids`.
    pub fn deals(&self, ids: &[u64]) -> Vec<Deal> {
        ids.iter().map(|&k| self.deal(k)).collect()
    }

    /// A deal's objective, and whether it meets every constraint on estimates.
    pub fn score(&self, r: &DealResult) -> (bool, f64) {
        let value = match self.objective {
            Objective::Agreement => r.agreement.p,
            Objective::Accept(p) => r.parties[p].accept.p,
            Objective::Value(p) => {
                let (a, q) = (r.agreement.p, &r.parties[p]);
                let reservation = q.mean_utility - q.mean_margin;
                a * q.mean_utility + (1.0 - a) * reservation
            }
        };
        let ok = self.bounds.iter().all(|b| match *b {
            Bound::Utility(p, op, x) => op.holds(r.parties[p].mean_utility, x),
            Bound::Agreement(op, x) => op.holds(r.agreement.p, x),
            Bound::Accept(p, op, x) => op.holds(r.parties[p].accept.p, x),
        });
        (ok, value)
    }

    /// Positions of `results` best first: deals meeting the constraints before the others,
    /// then by objective, then by their number in `ids`.
    pub fn rank(&self, results: &[DealResult], ids: &[u64]) -> Vec<usize> {
        let scores: Vec<(bool, f64)> = results.iter().map(|r| self.score(r)).collect();
        let mut order: Vec<usize> = (0..results.len()).collect();
        order.sort_by(|&a, &b| {
            let (sa, sb) = (scores[a], scores[b]);
            sb.0.cmp(&sa.0)
                .then(sb.1.total_cmp(&sa.1))
                .then(ids[a].cmp(&ids[b]))
        });
        order
    }

    /// A ratify job of the deals numbered `ids`, conditioned as the search asks.
    pub fn job<'s>(
        &self,
        s: &'s Scenario,
        ids: &[u64],
        options: RunOptions,
    ) -> Result<Job<'s>, Error> {
        let variants = Variants::Deals {
            deals: self.deals(ids),
            reservation: None,
        };
        Ok(Job::new(Cow::Borrowed(s), variants, options)?.given(&self.spec.given)?)
    }

    /// Every deal's number, in order (the exact search's variants).
    pub fn all(&self) -> Vec<u64> {
        (0..self.size).collect()
    }

    /// The stages a race of this space plays on `rounds` rounds (see the module
    /// documentation): how many deals each plays, on how many rounds; the last plays the
    /// finalists on every round.
    pub fn stages(&self, rounds: u64) -> Vec<Stage> {
        let keep = (ETA as usize * self.top).max(64) as u64;
        // Survivors at each stage, down to `keep`.
        let mut counts = vec![self.size];
        while *counts.last().expect("one") > keep {
            let n = *counts.last().expect("one");
            counts.push(n.div_ceil(ETA).max(keep));
        }
        let last = counts.len() - 1;
        let blocks = rounds / BLOCK_SIZE;
        let rounds_at = |j: usize| {
            if j == last {
                return rounds;
            }
            let shrink = ETA.saturating_pow((last - j) as u32);
            ((blocks / shrink).max(1) * BLOCK_SIZE).min(rounds)
        };
        counts
            .iter()
            .enumerate()
            .map(|(j, &deals)| Stage {
                deals,
                rounds: rounds_at(j),
            })
            .collect()
    }

    /// The deal-rounds a race on `rounds` rounds plays, its stages' deals times their rounds
    /// (what its progress counts to).
    pub fn race_work(&self, rounds: u64) -> u64 {
        self.stages(rounds).iter().fold(0u64, |w, s| {
            w.saturating_add(s.deals.saturating_mul(s.rounds))
        })
    }

    /// Races the space (see the module documentation): the finalists' numbers, their job
    /// and its play on every round, and the stages. `progress` gets the deal-rounds played
    /// so far, out of [`race_work`](SearchPlan::race_work).
    pub fn race<'s>(
        &self,
        s: &'s Scenario,
        options: RunOptions,
        progress: &(dyn Fn(u64) + Sync),
    ) -> Result<(Vec<u64>, Job<'s>, Played, Vec<Stage>), Error> {
        let stages = self.stages(options.rounds);
        let mut ids = self.all();
        let mut done = 0u64;
        let mut log = Vec::new();
        for pair in stages.windows(2) {
            let (stage, next) = (pair[0], pair[1].deals);
            let rounds = stage.rounds;
            let mut scored: Vec<(bool, f64, u64)> = Vec::with_capacity(ids.len());
            for batch in ids.chunks(MAX_EXACT as usize) {
                let job = self.job(s, batch, RunOptions { rounds, ..options })?;
                let width = batch.len() as u64;
                let played = job.play(Mode::Whole, &|d| progress(done + d * width))?;
                done += rounds * width;
                let names: Vec<String> = (0..batch.len()).map(|k| k.to_string()).collect();
                for (r, &k) in job.deal_results(&played.tally, &names)?.iter().zip(batch) {
                    let (ok, v) = self.score(r);
                    scored.push((ok, v, k));
                }
            }
            log.push(stage);
            scored.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.total_cmp(&a.1)).then(a.2.cmp(&b.2)));
            ids = scored.iter().take(next as usize).map(|x| x.2).collect();
            ids.sort_unstable();
        }
        let job = self.job(s, &ids, options)?;
        let width = ids.len() as u64;
        let played = job.play(Mode::Whole, &|d| progress(done + d * width))?;
        job.check_kept(&played)?;
        log.push(Stage {
            deals: width,
            rounds: played.rounds,
        });
        Ok((ids, job, played, log))
    }

    /// The result of a played job of the deals numbered `ids` (`stages` when raced).
    pub fn result(
        &self,
        s: &Scenario,
        job: &Job,
        played: &Played,
        ids: &[u64],
        stages: Vec<Stage>,
    ) -> Result<SearchResult, Error> {
        let names: Vec<String> = ids.iter().map(|k| k.to_string()).collect();
        let results = job.deal_results(&played.tally, &names)?;
        let order = self.rank(&results, ids);
        let feasible = results.iter().filter(|r| self.score(r).0).count() as u64;
        let deals: Vec<Found> = order
            .iter()
            .take(self.top)
            .enumerate()
            .map(|(rank, &at)| self.found(s, rank + 1, ids[at], &results[at]))
            .collect();
        let confidence = match order.as_slice() {
            [a, b, ..] => {
                // The best against the second, paired, on the same rounds.
                let options = RunOptions {
                    rounds: played.rounds,
                    ..job.options()
                };
                let pair = self.job(s, &[ids[*b], ids[*a]], options)?.paired_with(0);
                let played = pair.play(Mode::Whole, &|_| {})?;
                let changes = pair.changes(&played.tally)?;
                let (agreement, parties) = &changes[1];
                let target = match self.objective {
                    Objective::Agreement => Some(*agreement),
                    Objective::Accept(p) => Some(parties[p]),
                    Objective::Value(_) => None,
                };
                Some(Confidence {
                    agreement: *agreement,
                    objective: target,
                    distinguishable: target.map(|c| c.lo > 0.0 || c.hi < 0.0),
                })
            }
            _ => None,
        };
        let proposals = self.named(s, job, played, ids, &results)?;
        Ok(SearchResult {
            objective: self.spec.objective.clone(),
            constraints: self.spec.constraints.clone(),
            within: self.spec.within.clone(),
            resolution: self.spec.resolution,
            space: self.size,
            method: if self.exact { "exact" } else { "racing" }.into(),
            stages,
            evaluated: ids.len() as u64,
            feasible,
            deals,
            confidence,
            proposals,
        })
    }

    /// The number of `deal` in the space, if every clause's value is one of the space's.
    pub fn index_of(&self, deal: &[f64]) -> Option<u64> {
        deal.iter()
            .zip(&self.axes)
            .try_fold(0u64, |index, (x, values)| {
                let k = values.iter().position(|v| v == x)?;
                Some(index * values.len() as u64 + k as u64)
            })
    }

    /// The scenario's named proposals that are deals of the space, scored as the deals found
    /// are: from `results` (of the deals numbered `ids`) when they were played, else played
    /// on the same rounds (a raced search drops most deals), which gives the same estimates.
    fn named(
        &self,
        s: &Scenario,
        job: &Job,
        played: &Played,
        ids: &[u64],
        results: &[DealResult],
    ) -> Result<Vec<Named>, Error> {
        let inside: Vec<(usize, u64)> = s
            .proposals
            .iter()
            .enumerate()
            .filter_map(|(i, p)| Some((i, self.index_of(&p.deal)?)))
            .collect();
        let mut missing: Vec<u64> = inside
            .iter()
            .map(|&(_, id)| id)
            .filter(|id| !ids.contains(id))
            .collect();
        missing.sort_unstable();
        missing.dedup();
        let extra = if missing.is_empty() {
            Vec::new()
        } else {
            let options = RunOptions {
                rounds: played.rounds,
                ..job.options()
            };
            let more = self.job(s, &missing, options)?;
            let played = more.play(Mode::Whole, &|_| {})?;
            let names: Vec<String> = missing.iter().map(|k| k.to_string()).collect();
            more.deal_results(&played.tally, &names)?
        };
        Ok(inside
            .iter()
            .map(|&(i, id)| {
                let r = match ids.iter().position(|&k| k == id) {
                    Some(at) => &results[at],
                    None => &extra[missing.binary_search(&id).expect("played")],
                };
                let (meets_constraints, objective) = self.score(r);
                Named {
                    proposal: s.proposals[i].name.clone(),
                    objective,
                    meets_constraints,
                }
            })
            .collect())
    }

    /// Deal number `id` at rank `rank`, with its estimates and how it differs from the
    /// scenario's proposals.
    fn found(&self, s: &Scenario, rank: usize, id: u64, r: &DealResult) -> Found {
        let deal = self.deal(id);
        let differs = s
            .proposals
            .iter()
            .map(|p| Difference {
                proposal: p.name.clone(),
                changes: s
                    .clauses
                    .iter()
                    .enumerate()
                    .filter(|&(i, _)| p.deal[i] != deal[i])
                    .map(|(i, c)| move_label(c, p.deal[i], deal[i]))
                    .collect(),
            })
            .collect();
        Found {
            rank,
            objective: self.score(r).1,
            meets_constraints: self.score(r).0,
            clauses: s
                .clauses
                .iter()
                .zip(&deal)
                .map(|(c, &x)| ClauseValue {
                    clause: c.name.clone(),
                    value: c.format_value(x),
                })
                .collect(),
            values: deal,
            agreement: r.agreement,
            parties: r.parties.clone(),
            differs,
        }
    }
}

/// One stage of a race: how many deals were played, on how many rounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stage {
    pub deals: u64,
    pub rounds: u64,
}

/// A clause's value in words.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClauseValue {
    pub clause: String,
    pub value: String,
}

/// How a found deal differs from a named proposal: each clause moved, in words (empty: the
/// same deal).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Difference {
    pub proposal: String,
    pub changes: Vec<String>,
}

/// A deal found, with its estimates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Found {
    pub rank: usize,
    /// The objective's value.
    pub objective: f64,
    /// Whether its estimates meet every constraint on them.
    pub meets_constraints: bool,
    pub clauses: Vec<ClauseValue>,
    /// The deal as stored (option index, 0/1, the number), clause by clause.
    pub values: Vec<f64>,
    pub agreement: Estimate,
    pub parties: Vec<PartyResult>,
    pub differs: Vec<Difference>,
}

/// A named proposal in the space searched, scored as the deals found are: what they are
/// measured against.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Named {
    pub proposal: String,
    /// The objective's value.
    pub objective: f64,
    /// Whether its estimates meet every constraint on them.
    pub meets_constraints: bool,
}

impl Found {
    /// The objective's estimate with its 95% interval when the objective (`agreement` or
    /// `accept:PARTY`, as a result names it) is a probability; `None` for a party's expected
    /// value, which has no interval here.
    pub fn objective_estimate(&self, objective: &str) -> Option<Estimate> {
        match objective.split_once(':') {
            None if objective == "agreement" => Some(self.agreement),
            Some(("accept", party)) => self
                .parties
                .iter()
                .find(|p| p.party == party)
                .map(|p| p.accept),
            _ => None,
        }
    }

    /// How the deal differs from the nearest named proposal (the one with fewest clauses
    /// changed; the first of those), in words: `plan_28` (the same deal) or
    /// `plan_28 + troop_cap: 600,000 → 775,000`; the deal's clauses when the scenario names
    /// no proposal.
    pub fn label(&self) -> String {
        match self.differs.iter().min_by_key(|d| d.changes.len()) {
            Some(d) if d.changes.is_empty() => d.proposal.clone(),
            Some(d) => format!("{} + {}", d.proposal, d.changes.join(", ")),
            None => self
                .clauses
                .iter()
                .map(|c| format!("{} {}", c.clause, c.value))
                .collect::<Vec<_>>()
                .join(", "),
        }
    }
}

/// Whether the best deal is distinguishable from the second: the paired differences (best
/// minus second) on the same rounds.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Confidence {
    /// In agreement.
    pub agreement: Change,
    /// In the objective, when it is a probability (agreement, a party's acceptance); a
    /// party's expected value has no paired interval here (see `agreement`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub objective: Option<Change>,
    /// Whether the objective's paired interval excludes 0 (not judged for `value:PARTY`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub distinguishable: Option<bool>,
}

/// `accord search`'s result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchResult {
    pub objective: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub constraints: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub within: Option<String>,
    /// Grid points per range clause.
    pub resolution: usize,
    /// Deals in the space searched.
    pub space: u64,
    /// `exact` or `racing`.
    pub method: String,
    /// Racing's stages, the last on every round.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stages: Vec<Stage>,
    /// Deals played on every round (the whole space when exact; the finalists when raced).
    pub evaluated: u64,
    /// Of those, how many meet every constraint on estimates.
    pub feasible: u64,
    /// The best deals, best first.
    pub deals: Vec<Found>,
    /// The best against the second.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confidence: Option<Confidence>,
    /// The named proposals that are deals of the space, scored the same way.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub proposals: Vec<Named>,
}
