//! The result of a dynamic protocol's run: the JSON shape users' scripts read.
//!
//! ```text
//! {
//!   "scenario": "...", "protocol": "alternating" | "mediated" | "equilibrium" | "baron_ferejohn",
//!   "rule": "quota 2 of 3",                     // a rule other than the default only
//!   "seed": 1, "rounds": 100000, "deadline": 100, "breakdown": 0.01,
//!   "precision": {"target", "achieved", "reached"},   // precision mode only
//!   "negotiators": ["a", "b"],                 // turn order (mediated: the voting veto parties)
//!   "mediator": "united_states" | "neutral",   // mediated only
//!   "start": "plan_28",                        // mediated only
//!   "agreement": {"p", "lo", "hi", "n"},       // probability of agreement, Wilson 95%
//!   "mean_agreement_step": 12.5 | null,        // over agreements
//!   "endings": {"agreement", "breakdown", "deadline", "stalled", "deserted"},  // each {"p","lo","hi","n"}
//!   "steps": [{"step": 1, "agreed", "broke_down", "ended", "agreement_by_step", "open"}, ...],
//!   "deal": [{"clause", "kind", "mean"?, "q05"?, "q50"?, "q95"?, "shares"?}, ...],  // over agreements
//!   "parties": [{"party", "negotiator", "veto", "mean_utility", "mean_value",
//!                "mean_shortfall", "mean_reservation"}, ...],
//!   "amendments": { ... },                    // mediated only, see [`Amendments`]
//!   "offers": [{"party", "steps": [{"step", "mean_own_utility", "mean_reservation", "n"}, ...]}, ...],
//!                                              // alternating and equilibrium: offer paths
//!   "text": [{"party", "steps": [{"step", "mean_utility", "mean_reservation", "n"}, ...]}, ...]
//!                                              // mediated: the text's utility to each party
//!   "baron_ferejohn": {"quota", "discount", "pie",
//!       "expected_division": {"proposer", "partner", "excluded"},
//!       "members": [{"party", "recognition", "proposed", "expected_share", "as_proposer",
//!                    "as_partner", "partner_probability"}, ...]}   // baron_ferejohn only
//! }
//! ```
//!
//! Per-step figures are shares of all rounds: `agreed` (agreement at this step), `broke_down`
//! (breakdown at this step), `ended` (deadline, stall or desertion at this step),
//! `agreement_by_step` (agreement at this step or earlier) and `open` (talks still going after
//! this step: the survival curve). Deal quantiles are exact: on the deal space's grid they
//! come from integer histograms over it; the equilibrium's and Baron–Ferejohn's range
//! values, which fall off the grid, are counted exactly by value (up to 4,096 distinct values
//! per clause, else from a histogram over a finer grid of 1001 points, to within one of its
//! steps); means come from exact sums; range clauses get `mean` and quantiles, choice and bool clauses the share of
//! each option. Party means are over rounds that agreed (`mean_reservation`: over all rounds,
//! as sampled before events); `mean_value` is the discounted utility `u·d^(s−1)`;
//! `mean_shortfall` is the party's best utility in the deal space minus the deal's.
//!
//! Offer paths: `offers` has one entry per negotiator (in turn order) listing the steps
//! at which it made an offer in at least one round; `mean_own_utility` is the mean over the
//! `n` rounds in which it made an offer at that step (the rounds still going then) of the
//! offer's utility to the proposer itself, and `mean_reservation` the mean of its reservation
//! at that step (after events, so a shift shows where it happened). The equilibrium path has
//! one offer, the agreed one. `text` (mediated) has one entry per voter, then the mediator if
//! it is a party without a vote: at each step, over the `n` rounds in which the text was put
//! to a vote while the party was at the table, the mean utility of the text to the party and
//! its mean reservation. Both are new in this version; readers of older results see them
//! missing.

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

use super::baron_ferejohn::BaronFerejohnResult;
use super::tally::{DynamicTally, TallyLayout};
use super::trace::clause_json;
use crate::model::{ClauseKind, Scenario};
use crate::sim::Estimate;
use crate::sim::fixed::reported;

/// A dynamic protocol's estimates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DynamicResult {
    pub deadline: u32,
    pub breakdown: f64,
    pub negotiators: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mediator: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<String>,
    pub agreement: Estimate,
    pub mean_agreement_step: Option<f64>,
    pub endings: Endings,
    pub steps: Vec<StepResult>,
    pub deal: Vec<ClauseResult>,
    pub parties: Vec<DynamicParty>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amendments: Option<Amendments>,
    /// Alternating and equilibrium: each negotiator's offer path.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offers: Option<Vec<OfferPath>>,
    /// Mediated: the text's utility to each voter (and a party mediator) by step.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<Vec<TextPath>>,
    /// Baron–Ferejohn: the stationary equilibrium's figures and the counted proposers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baron_ferejohn: Option<BaronFerejohnResult>,
}

/// One negotiator's offer path: its offers' mean utility to itself by step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OfferPath {
    pub party: String,
    /// Steps at which it made an offer in at least one round, ascending.
    pub steps: Vec<OfferMean>,
}

/// A negotiator's offers at one step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OfferMean {
    pub step: u32,
    /// Mean utility of the offer to its proposer, over the rounds that made it.
    pub mean_own_utility: f64,
    /// Mean reservation of the proposer at this step, over the same rounds.
    pub mean_reservation: f64,
    /// Rounds in which the party made an offer at this step.
    pub n: u64,
}

/// The mediator's text as one party saw it, by step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TextPath {
    pub party: String,
    /// Steps at which the text was put to a vote in at least one round, ascending.
    pub steps: Vec<TextMean>,
}

/// The text's value to one party at one step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TextMean {
    pub step: u32,
    /// Mean utility of the text to the party, over the rounds that voted at this step.
    pub mean_utility: f64,
    /// Mean reservation of the party at this step, over the same rounds.
    pub mean_reservation: f64,
    /// Rounds in which the text was put to a vote at this step with the party at the table.
    pub n: u64,
}

/// Share of rounds ending each way.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Endings {
    pub agreement: Estimate,
    pub breakdown: Estimate,
    pub deadline: Estimate,
    pub stalled: Estimate,
    pub deserted: Estimate,
}

/// One step of the survival curve.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StepResult {
    pub step: u32,
    pub agreed: f64,
    pub broke_down: f64,
    pub ended: f64,
    pub agreement_by_step: f64,
    pub open: f64,
}

/// The distribution of one clause of the agreed deal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClauseResult {
    pub clause: String,
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mean: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub q05: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub q50: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub q95: Option<f64>,
    /// Choice and bool clauses: share of agreements with each option.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shares: Option<IndexMap<String, f64>>,
}

/// One party's means.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DynamicParty {
    pub party: String,
    pub negotiator: bool,
    pub veto: bool,
    pub mean_utility: Option<f64>,
    pub mean_value: Option<f64>,
    pub mean_shortfall: Option<f64>,
    pub mean_reservation: Option<f64>,
}

/// The mediator's amendments (mediated only).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Amendments {
    /// Mean number of amendments per round.
    pub mean_amendments: f64,
    /// Per clause, in clause order.
    pub clauses: Vec<ClauseAmendment>,
    /// Clauses ever amended, by the mean position of their first amendment in a round.
    pub order: Vec<String>,
    /// The most common first amendments of a round (at most five), most common first.
    pub first: Vec<FirstAmendment>,
}

/// How often and how far one clause was amended.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClauseAmendment {
    pub clause: String,
    /// Share of rounds in which the clause was amended.
    pub amended: f64,
    /// Mean amendments of the clause per round.
    pub mean_amendments: f64,
    /// Mean total distance moved per round (clause units; option steps for choices).
    pub mean_movement: f64,
    /// Mean position (from 1) of the clause's first amendment, over rounds that amended it.
    pub mean_first_position: Option<f64>,
}

/// A first amendment and how often it came first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FirstAmendment {
    pub clause: String,
    pub to: serde_json::Value,
    pub share: f64,
}

/// What a summary needs to know about the protocol besides its tally.
pub struct Context<'a> {
    pub scenario: &'a Scenario,
    pub protocol: &'static str,
    pub deadline: u32,
    pub breakdown: f64,
    pub negotiators: Vec<usize>,
    pub mediator: Option<String>,
    pub start: Option<String>,
    pub amendments: bool,
}

/// A mean as reported ([`reported`]), or `None` when undefined.
fn num(x: f64) -> Option<f64> {
    x.is_finite().then(|| reported(x))
}

fn share(k: u64, n: u64) -> f64 {
    if n == 0 { 0.0 } else { k as f64 / n as f64 }
}

/// Estimates from a tally.
pub fn summarise(h: Context<'_>, layout: &TallyLayout, t: &DynamicTally) -> DynamicResult {
    // A tally straight from the rounds may still hold rounds of a fixed play to add.
    let settled;
    let t = if t.pending.iter().any(|&k| k > 0) {
        let mut c = t.clone();
        c.settle();
        settled = c;
        &settled
    } else {
        t
    };
    let s = h.scenario;
    let n = t.rounds;
    let agreed = t.endings[0];
    let est = |k: u64| Estimate::from_counts(k, n);
    let mut cumulative = 0u64;
    let mut closed = 0u64;
    let steps = (0..layout.steps)
        .map(|i| {
            cumulative += t.agreed_at[i];
            closed += t.agreed_at[i] + t.broke_at[i] + t.ended_at[i];
            StepResult {
                step: i as u32 + 1,
                agreed: share(t.agreed_at[i], n),
                broke_down: share(t.broke_at[i], n),
                ended: share(t.ended_at[i], n),
                agreement_by_step: share(cumulative, n),
                open: share(n - closed.min(n), n),
            }
        })
        .collect();
    let step_total: u128 = t
        .agreed_at
        .iter()
        .enumerate()
        .map(|(i, &k)| (i as u128 + 1) * k as u128)
        .sum();
    let mean_agreement_step = (agreed > 0).then(|| step_total as f64 / agreed as f64);
    let deal = s
        .clauses
        .iter()
        .enumerate()
        .map(|(c, clause)| {
            let axis = &layout.axes[c];
            let hist = &t.hist[layout.offset(c)..layout.offset(c) + axis.len()];
            let mut r = ClauseResult {
                clause: clause.name.clone(),
                kind: String::new(),
                mean: None,
                q05: None,
                q50: None,
                q95: None,
                shares: None,
            };
            match clause.kind() {
                ClauseKind::Range { .. } => {
                    r.kind = "range".into();
                    if agreed > 0 {
                        r.mean = num(t.deal_sum[c].mean(agreed));
                        // Exact where the agreed values were counted exactly, else from
                        // the histogram (whose values are the deals' own on a grid).
                        let q = |q: f64| {
                            t.exact
                                .get(c)
                                .and_then(|e| e.quantile(agreed, q))
                                .unwrap_or_else(|| quantile(axis, hist, agreed, q))
                        };
                        r.q05 = Some(q(0.05));
                        r.q50 = Some(q(0.50));
                        r.q95 = Some(q(0.95));
                    }
                }
                ClauseKind::Bool | ClauseKind::Choice { .. } => {
                    r.kind = if matches!(clause.kind(), ClauseKind::Bool) {
                        "bool"
                    } else {
                        "choice"
                    }
                    .into();
                    let shares = axis
                        .iter()
                        .zip(hist)
                        .map(|(&x, &k)| {
                            let name = match clause_json(s, c, x) {
                                serde_json::Value::String(v) => v,
                                other => other.to_string(),
                            };
                            (name, share(k, agreed))
                        })
                        .collect();
                    r.shares = Some(shares);
                }
            }
            r
        })
        .collect();
    let parties = s
        .parties
        .iter()
        .enumerate()
        .map(|(p, party)| DynamicParty {
            party: party.name.clone(),
            negotiator: h.negotiators.contains(&p),
            veto: party.veto,
            mean_utility: num(t.utility[p].mean(agreed)),
            mean_value: num(t.value[p].mean(agreed)),
            mean_shortfall: num(t.shortfall[p].mean(agreed)),
            mean_reservation: num(t.reservation[p].mean(n)),
        })
        .collect();
    let amendments = h.amendments.then(|| amendments(s, layout, t));
    let paths = paths(s, layout, t);
    let (offers, text) = if h.protocol == "mediated" {
        let text = paths
            .into_iter()
            .map(|(party, steps)| TextPath {
                party,
                steps: steps
                    .into_iter()
                    .map(|(step, mean_utility, mean_reservation, n)| TextMean {
                        step,
                        mean_utility,
                        mean_reservation,
                        n,
                    })
                    .collect(),
            })
            .collect();
        (None, Some(text))
    } else {
        let offers = paths
            .into_iter()
            .map(|(party, steps)| OfferPath {
                party,
                steps: steps
                    .into_iter()
                    .map(|(step, mean_own_utility, mean_reservation, n)| OfferMean {
                        step,
                        mean_own_utility,
                        mean_reservation,
                        n,
                    })
                    .collect(),
            })
            .collect();
        (Some(offers), None)
    };
    DynamicResult {
        deadline: h.deadline,
        breakdown: h.breakdown,
        negotiators: h
            .negotiators
            .iter()
            .map(|&p| s.parties[p].name.clone())
            .collect(),
        mediator: h.mediator,
        start: h.start,
        agreement: est(agreed),
        mean_agreement_step,
        endings: Endings {
            agreement: est(t.endings[0]),
            breakdown: est(t.endings[1]),
            deadline: est(t.endings[2]),
            stalled: est(t.endings[3]),
            deserted: est(t.endings[4]),
        },
        steps,
        deal,
        parties,
        amendments,
        offers,
        text,
        baron_ferejohn: None,
    }
}

/// Each tracked party's steps with at least one move: (step, mean utility, mean reservation,
/// rounds).
type PathMeans = Vec<(u32, f64, f64, u64)>;

fn paths(s: &Scenario, layout: &TallyLayout, t: &DynamicTally) -> Vec<(String, PathMeans)> {
    layout
        .paths
        .iter()
        .enumerate()
        .map(|(k, &p)| {
            let steps = (1..=layout.steps as u32)
                .filter_map(|step| {
                    let i = layout.path_index(k, step);
                    let n = *t.path_n.get(i)?;
                    (n > 0).then(|| {
                        (
                            step,
                            num(t.path_utility[i].mean(n)).unwrap_or(f64::NAN),
                            num(t.path_reservation[i].mean(n)).unwrap_or(f64::NAN),
                            n,
                        )
                    })
                })
                .collect();
            (s.parties[p].name.clone(), steps)
        })
        .collect()
}

/// The smallest axis value whose cumulative count reaches `q` of `n`.
fn quantile(axis: &[f64], hist: &[u64], n: u64, q: f64) -> f64 {
    let need = ((q * n as f64).ceil() as u64).max(1);
    let mut total = 0;
    for (&x, &k) in axis.iter().zip(hist) {
        total += k;
        if total >= need {
            return x;
        }
    }
    axis.last().copied().unwrap_or(f64::NAN)
}

fn amendments(s: &Scenario, layout: &TallyLayout, t: &DynamicTally) -> Amendments {
    let n = t.rounds;
    let clauses: Vec<ClauseAmendment> = s
        .clauses
        .iter()
        .enumerate()
        .map(|(c, clause)| ClauseAmendment {
            clause: clause.name.clone(),
            amended: share(t.amended_rounds[c], n),
            mean_amendments: share(t.amendments[c], n),
            mean_movement: num(t.movement[c].mean(n)).unwrap_or(0.0),
            mean_first_position: (t.amended_rounds[c] > 0)
                .then(|| t.first_position[c] as f64 / t.amended_rounds[c] as f64),
        })
        .collect();
    let mut order: Vec<(f64, usize)> = clauses
        .iter()
        .enumerate()
        .filter_map(|(c, r)| r.mean_first_position.map(|m| (m, c)))
        .collect();
    order.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let mut first: Vec<(u64, usize, usize)> = Vec::new();
    for (c, axis) in layout.axes.iter().enumerate() {
        for g in 0..axis.len() {
            let k = t.first[layout.offset(c) + g];
            if k > 0 {
                first.push((k, c, g));
            }
        }
    }
    first.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    Amendments {
        mean_amendments: share(t.amendments.iter().sum(), n),
        order: order
            .into_iter()
            .map(|(_, c)| s.clauses[c].name.clone())
            .collect(),
        first: first
            .into_iter()
            .take(5)
            .map(|(k, c, g)| FirstAmendment {
                clause: s.clauses[c].name.clone(),
                to: clause_json(s, c, layout.axes[c][g]),
                share: share(k, n),
            })
            .collect(),
        clauses,
    }
}
