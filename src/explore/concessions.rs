//! `accord concessions`: every single-clause change of a proposal — each other option of a
//! choice, the flip of a bool, a range clause moved to each other point of its grid — and
//! what it does: the change in agreement and in each party's acceptance, with paired 95%
//! intervals (every change is played on the same worlds as the proposal itself, so the
//! interval of the difference comes from the rounds where the two disagree: Newcombe's
//! method 10, [`Change::paired`]), and the change in each party's mean utility (what the
//! concession costs whom). Ranked by the gain in agreement, or in one party's acceptance.
//!
//! At depth 2, pairs of changes are added, pruned to pairs among the [`PAIRS_AMONG`] best
//! single changes (by the same gain) that change two different clauses: at most
//! `PAIRS_AMONG · (PAIRS_AMONG − 1) / 2` = 28 pairs, played on the same worlds as the singles.

use serde::{Deserialize, Serialize};

use super::{move_label, offer_values, ratify_only};
use crate::error::{About, Invalid};
use crate::job::Given;
use crate::model::space::DEFAULT_RESOLUTION;
use crate::model::{Deal, DealSpace, Scenario};
use crate::protocol::DealResult;
use crate::protocol::ratify::Change;

/// At depth 2, pairs are formed among this many best single changes.
pub const PAIRS_AMONG: usize = 8;

/// What `accord concessions` asks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConcessionSpec {
    /// The proposal whose clauses are changed.
    pub proposal: String,
    /// Rank by this party's acceptance instead of agreement.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub for_party: Option<String>,
    /// 1: single changes; 2: also pairs of them.
    pub depth: u8,
    /// Grid points per range clause (integer ranges of at most 1001 values: every value).
    pub resolution: usize,
    /// Observed decisions every estimate is conditioned on.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub given: Vec<Given>,
}

impl ConcessionSpec {
    /// Single changes of `proposal`, ranked by agreement, at the default resolution.
    pub fn new(proposal: impl Into<String>) -> ConcessionSpec {
        ConcessionSpec {
            proposal: proposal.into(),
            for_party: None,
            depth: 1,
            resolution: DEFAULT_RESOLUTION,
            given: Vec::new(),
        }
    }

    /// Checks the request against `s` and lists the single changes.
    pub fn plan(&self, s: &Scenario) -> Result<ConcessionPlan, Invalid> {
        ratify_only(s, "a concession")?;
        let base = s.proposal_index(&self.proposal).ok_or_else(|| {
            let known: Vec<&str> = s.proposals.iter().map(|p| p.name.as_str()).collect();
            Invalid::new(
                About::Proposal(0),
                format!("the scenario has no proposal `{}`", self.proposal),
            )
            .help(format!("proposals: {}", known.join(", ")))
        })?;
        let target = match &self.for_party {
            None => None,
            Some(name) => Some(s.party_index(name).ok_or_else(|| {
                let known: Vec<&str> = s.parties.iter().map(|p| p.name.as_str()).collect();
                Invalid::new(
                    About::Setting("for", 0),
                    format!("the scenario has no party `{name}`"),
                )
                .help(format!("parties: {}", known.join(", ")))
            })?),
        };
        if !(1..=2).contains(&self.depth) {
            return Err(Invalid::new(
                About::Setting("depth", 0),
                format!(
                    "depth {}: 1 (single changes) or 2 (also pairs among the {PAIRS_AMONG} best)",
                    self.depth
                ),
            ));
        }
        let space = DealSpace::new(&s.clauses, self.resolution, &[])
            .map_err(|e| Invalid::new(About::Setting("resolution", 0), e.to_string()))?;
        let base_deal = s.proposals[base].deal.clone();
        let mut moves = Vec::new();
        for (i, clause) in s.clauses.iter().enumerate() {
            for x in offer_values(clause, space.axis(i)) {
                if x != base_deal[i] {
                    moves.push(vec![(i, x)]);
                }
            }
        }
        if moves.is_empty() {
            return Err(Invalid::new(
                About::Proposal(0),
                format!(
                    "no clause of `{}` can be changed: every clause takes one value",
                    self.proposal
                ),
            ));
        }
        Ok(ConcessionPlan {
            proposal: self.proposal.clone(),
            base_deal,
            moves,
            target,
            depth: self.depth,
            resolution: self.resolution,
        })
    }
}

/// The changes of one proposal to play, each a list of clause moves.
#[derive(Debug, Clone, PartialEq)]
pub struct ConcessionPlan {
    pub proposal: String,
    pub base_deal: Deal,
    /// Each change: `(clause, new value)` for every clause it moves.
    pub moves: Vec<Vec<(usize, f64)>>,
    /// The party whose acceptance ranks the changes (agreement when `None`).
    pub target: Option<usize>,
    pub depth: u8,
    pub resolution: usize,
}

impl ConcessionPlan {
    /// The proposal, then each changed deal: the job's variants (the proposal is deal 0, the
    /// base every change is paired with).
    pub fn deals(&self) -> Vec<Deal> {
        let mut deals = Vec::with_capacity(self.moves.len() + 1);
        deals.push(self.base_deal.clone());
        for m in &self.moves {
            let mut d = self.base_deal.clone();
            for &(i, x) in m {
                d[i] = x;
            }
            deals.push(d);
        }
        deals
    }

    /// The same plan with pairs of the best single changes of `ranked` (ranked singles of
    /// this plan) instead of its singles: among the first [`PAIRS_AMONG`], every two that
    /// move different clauses, in rank order.
    pub fn pairs(&self, ranked: &[Concession]) -> ConcessionPlan {
        let top: Vec<&Vec<(usize, f64)>> = ranked
            .iter()
            .take(PAIRS_AMONG)
            .map(|c| &self.moves[c.index])
            .collect();
        let mut moves = Vec::new();
        for (a, first) in top.iter().enumerate() {
            for second in &top[a + 1..] {
                if first[0].0 != second[0].0 {
                    moves.push(vec![first[0], second[0]]);
                }
            }
        }
        ConcessionPlan {
            moves,
            ..self.clone()
        }
    }

    /// Each change's estimates from the played job: `changes` and `results` are the job's
    /// [`crate::job::Job::changes`] and deal results (deal 0 the proposal). `offset` numbers
    /// the changes after those of an earlier plan. Unranked, in plan order.
    pub fn concessions(
        &self,
        s: &Scenario,
        changes: &[(Change, Vec<Change>)],
        results: &[DealResult],
        offset: usize,
    ) -> Vec<Concession> {
        let base = &results[0];
        self.moves
            .iter()
            .enumerate()
            .map(|(j, m)| {
                let k = j + 1;
                let (agreement, accept) = &changes[k];
                let clauses: Vec<ClauseChange> = m
                    .iter()
                    .map(|&(i, x)| {
                        let c = &s.clauses[i];
                        ClauseChange {
                            clause: c.name.clone(),
                            from: c.format_value(self.base_deal[i]),
                            to: c.format_value(x),
                            value: x,
                        }
                    })
                    .collect();
                let label = m
                    .iter()
                    .map(|&(i, x)| move_label(&s.clauses[i], self.base_deal[i], x))
                    .collect::<Vec<_>>()
                    .join(" + ");
                Concession {
                    label,
                    clauses,
                    index: offset + j,
                    agreement: *agreement,
                    agreement_after: results[k].agreement,
                    parties: results[k]
                        .parties
                        .iter()
                        .zip(&base.parties)
                        .zip(accept)
                        .map(|((after, before), change)| PartyChange {
                            party: after.party.clone(),
                            veto: after.veto,
                            accept: *change,
                            utility: crate::text::clean(after.mean_utility - before.mean_utility),
                        })
                        .collect(),
                }
            })
            .collect()
    }

    /// Ranks `all` by the gain: in the target party's acceptance, else in agreement;
    /// ties keep plan order.
    pub fn rank(&self, all: &mut [Concession]) {
        let key = |c: &Concession| match self.target {
            Some(p) => c.parties[p].accept.delta,
            None => c.agreement.delta,
        };
        all.sort_by(|a, b| key(b).total_cmp(&key(a)).then(a.index.cmp(&b.index)));
    }

    /// What the ranking is by, in words: `agreement`, `acceptance by russia`.
    pub fn ranked_by(&self, s: &Scenario) -> String {
        match self.target {
            Some(p) => format!("acceptance by {}", s.parties[p].name),
            None => "agreement".to_string(),
        }
    }
}

/// One clause moved by a concession.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClauseChange {
    pub clause: String,
    /// The proposal's value, in words.
    pub from: String,
    /// The changed value, in words.
    pub to: String,
    /// The changed value as stored (option index, 0/1, the number).
    pub value: f64,
}

/// One party's side of a concession.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PartyChange {
    pub party: String,
    pub veto: bool,
    /// The change in its acceptance, with its paired interval.
    pub accept: Change,
    /// The change in its mean utility (negative: what the concession costs it).
    pub utility: f64,
}

/// One concession and what it does.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Concession {
    /// In words: `nato: renounced → deferred` (pairs joined by ` + `).
    pub label: String,
    pub clauses: Vec<ClauseChange>,
    /// Its number in the order the changes were laid out (clause by clause, value by
    /// value; pairs after the singles).
    pub index: usize,
    /// The change in agreement, with its paired interval.
    pub agreement: Change,
    /// Agreement at the changed deal.
    pub agreement_after: crate::sim::Estimate,
    pub parties: Vec<PartyChange>,
}

/// `accord concessions`' result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConcessionsResult {
    /// The proposal changed.
    pub proposal: String,
    /// `agreement` or `acceptance by PARTY`.
    pub ranked_by: String,
    /// Grid points per range clause.
    pub resolution: usize,
    pub depth: u8,
    /// At depth 2: the pairs are among this many best single changes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pairs_among: Option<usize>,
    /// The proposal's own estimates.
    pub base: DealResult,
    /// Every change, best first.
    pub concessions: Vec<Concession>,
}
