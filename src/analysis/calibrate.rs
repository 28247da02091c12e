//! What the data say about the assumptions: fitting hyperparameters of a scenario's uncertain
//! parameters (`ukraine.reservation.mean`, a weight's bounds) to observed decisions by maximum
//! likelihood (ratify protocol).
//!
//! **Observations** ([`Observations`], a TOML file): shares with their sample size ("of 1,023
//! respondents, 17% accept plan_28", read as the party's acceptance of the proposal) and single
//! decisions ("ukraine accepted plan_19"). A share of `n` contributes the binomial
//! log-likelihood `k ln p + (n − k) ln(1 − p)` (`k` = share × n, rounded), a decision `ln p`
//! or `ln(1 − p)`, where `p` is the model's acceptance probability.
//!
//! **Probabilities on common random numbers.** `p(θ)` is the share of the run's own worlds
//! (seed, rounds) in which the party accepts. The worlds are drawn once; a candidate `θ`
//! changes only the fitted parameters' draws, each moved to its new distribution by its
//! quantile (`x' = F_θ⁻¹(F₀(x))`, [`crate::model::dist::Truncated::to_uniform`]), which is
//! exactly how the engine would draw it from the same random numbers (for a correlated
//! parameter, from the same copula normal). So `p(θ)` moves with `θ` monotonically, round by
//! round, with no resampling noise between candidates: a step function with steps of
//! `1/rounds`, smooth enough for a derivative-free search.
//!
//! **Search.** Nelder–Mead (reflection 1, expansion 2, contraction ½, shrink ½) from the
//! scenario's values with initial steps of a quarter of each value (at least 0.05), stopping
//! when the simplex's deviances agree to 10⁻⁶ or after [`MAX_EVALUATIONS`]; deterministic.
//! Candidates outside a family's domain (a negative sd, lo > hi, no mass in the parameter's
//! range) are infeasible.
//!
//! **Intervals.** 95% profile-likelihood intervals: for each parameter, the values where the
//! deviance, minimised over the other parameters, rises 3.84 (χ²₁, 95%) above its minimum,
//! found by bracketing and bisection. They ignore the Monte Carlo error of `p(θ)` (at 100,000
//! rounds, a few tenths of a percentage point), which is small next to a survey's.
//!
//! **Goodness of fit.** The deviance `G² = 2 Σ [k ln(k / np) + (n − k) ln((n − k) / n(1 − p))]`
//! over the shares, on (shares − parameters) degrees of freedom, with its χ² p-value; with no
//! degree of freedom left the fit is exact by construction and nothing is tested. Single
//! decisions enter the likelihood but not `G²`.
//!
//! **Held-out waves.** An observation may name its `wave` (a survey and its dates); the waves
//! named in [`Spec::hold_out`] stay out of the likelihood and are predicted by the fit: each
//! held-out share beside the 95% range of a share of `n` under the fitted probability, and
//! their deviance on as many degrees of freedom as there are held-out shares (nothing was
//! fitted to them). The prediction takes the estimates as known, so it is a little too sure
//! of itself; a held-out share outside its range is a miss all the same.
//!
//! **Variants.** An observation's `with` table changes clauses of the named proposal
//! (`proposal = "plan_19"`, `with = { donetsk_withdrawal = true }`): a poll item about one
//! concession read as the party's acceptance of that variant.

use indexmap::IndexMap;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use statrs::distribution::{ChiSquared, ContinuousCDF};

use crate::model::dist::{Dist, Truncated};
use crate::model::{Deal, Scenario};
use crate::protocol::ratify::RatifyScratch;
use crate::protocol::{Ratify, RoundOutcomes};
use crate::scenario::raw::RawScalar;
use crate::sim::seed::{block_count, block_rng, rounds_in_block};
use crate::sim::{Column, Estimate, Experiment, RunOptions, Runner, WorldBlock, WorldSampler};

/// The most objective evaluations one search makes.
pub const MAX_EVALUATIONS: usize = 400;

/// The most bracketing steps and bisections a profile interval's end takes.
const PROFILE_STEPS: usize = 30;
const PROFILE_BISECTIONS: usize = 20;

/// The most objective evaluations a calibration of `parameters` parameters makes: the
/// search, then for each parameter two interval ends, each point of which is a search over
/// the other parameters (a single evaluation when there are none). A search of `d`
/// parameters may pass its budget by its last step's `d + 2` evaluations at most.
pub fn max_evaluations(parameters: usize) -> usize {
    let search = |budget: usize, d: usize| budget + d + 2;
    let per_point = if parameters > 1 {
        search(MAX_EVALUATIONS / 4, parameters - 1)
    } else {
        1
    };
    search(MAX_EVALUATIONS, parameters)
        + parameters * 2 * (PROFILE_STEPS + PROFILE_BISECTIONS) * per_point
}

/// The deviance rise that bounds a 95% profile interval (χ²₁ at 0.95).
const CHI2_95: f64 = 3.841458820694124;

/// The most rounds a calibration holds in memory (its worlds are drawn once and kept).
pub const MAX_CALIBRATION_ROUNDS: u64 = 2_000_000;

/// A share observed: `accept` of `n` (a fraction) accept the proposal, read as the party's
/// acceptance.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Share {
    pub party: String,
    pub proposal: String,
    /// Clauses changed from the proposal (a poll item about one concession).
    #[serde(default)]
    pub with: IndexMap<String, RawScalar>,
    /// The share accepting, in [0, 1].
    pub accept: f64,
    /// The sample size.
    pub n: u64,
    /// What the figure is (a poll and its dates), for the report.
    #[serde(default)]
    pub label: Option<String>,
    /// The survey wave it belongs to, which `--hold-out` can keep out of the fit.
    #[serde(default)]
    pub wave: Option<String>,
}

/// A single decision observed.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Decision {
    pub party: String,
    pub proposal: String,
    /// Clauses changed from the proposal.
    #[serde(default)]
    pub with: IndexMap<String, RawScalar>,
    pub accepted: bool,
    #[serde(default)]
    pub label: Option<String>,
    /// The wave it belongs to (see [`Share::wave`]).
    #[serde(default)]
    pub wave: Option<String>,
}

/// An observations file: `[[share]]` and `[[decision]]` tables.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Observations {
    #[serde(default)]
    pub share: Vec<Share>,
    #[serde(default)]
    pub decision: Vec<Decision>,
}

/// What a problem in a calibration request is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    /// The observations file, at a key path (`share.0.party`).
    Data(Vec<String>),
    /// The `i`-th parameter to fit.
    Fit(usize),
    /// The `i`-th wave held out.
    HoldOut(usize),
    Rounds,
    Scenario,
}

/// A calibration that cannot be done.
pub type Problem = super::Problem<Part>;

fn problem(part: Part, message: impl Into<String>) -> Problem {
    Problem::new(part, message)
}

/// A hyperparameter to fit: field `field` of uncertain parameter `slot`'s distribution.
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    /// As asked: `ukraine.reservation.mean`.
    pub name: String,
    pub slot: usize,
    pub field: Field,
}

/// A distribution's parameter, by family.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Mean,
    Sd,
    Lo,
    Mode,
    Hi,
    A,
    B,
    Mu,
    Sigma,
}

impl Field {
    /// The fields of `dist`'s family, by the names they are written with.
    fn of(dist: &Dist) -> &'static [(&'static str, Field)] {
        match dist {
            Dist::Normal { .. } => &[("mean", Field::Mean), ("sd", Field::Sd)],
            Dist::Uniform { .. } => &[("lo", Field::Lo), ("hi", Field::Hi)],
            Dist::Triangular { .. } => {
                &[("lo", Field::Lo), ("mode", Field::Mode), ("hi", Field::Hi)]
            }
            Dist::Beta { .. } => &[
                ("a", Field::A),
                ("b", Field::B),
                ("min", Field::Lo),
                ("max", Field::Hi),
            ],
            Dist::LogNormal { .. } => &[("mu", Field::Mu), ("sigma", Field::Sigma)],
        }
    }

    /// The key under the family where a scenario file writes this field: a name, or an
    /// array index (`uniform = [lo, hi]`).
    pub fn key(self, dist: &Dist) -> String {
        match (dist, self) {
            (Dist::Uniform { .. }, Field::Lo) | (Dist::Triangular { .. }, Field::Lo) => "0".into(),
            (Dist::Uniform { .. }, Field::Hi) => "1".into(),
            (Dist::Triangular { .. }, Field::Mode) => "1".into(),
            (Dist::Triangular { .. }, Field::Hi) => "2".into(),
            (Dist::Beta { .. }, Field::Lo) => "min".into(),
            (Dist::Beta { .. }, Field::Hi) => "max".into(),
            _ => Field::of(dist)
                .iter()
                .find(|(_, f)| *f == self)
                .map_or_else(String::new, |(n, _)| n.to_string()),
        }
    }

    fn get(self, d: &Dist) -> f64 {
        match (d.clone(), self) {
            (Dist::Normal { mean, .. }, Field::Mean) => mean,
            (Dist::Normal { sd, .. }, Field::Sd) => sd,
            (Dist::Uniform { lo, .. }, Field::Lo)
            | (Dist::Triangular { lo, .. }, Field::Lo)
            | (Dist::Beta { lo, .. }, Field::Lo) => lo,
            (Dist::Uniform { hi, .. }, Field::Hi)
            | (Dist::Triangular { hi, .. }, Field::Hi)
            | (Dist::Beta { hi, .. }, Field::Hi) => hi,
            (Dist::Triangular { mode, .. }, Field::Mode) => mode,
            (Dist::Beta { a, .. }, Field::A) => a,
            (Dist::Beta { b, .. }, Field::B) => b,
            (Dist::LogNormal { mu, .. }, Field::Mu) => mu,
            (Dist::LogNormal { sigma, .. }, Field::Sigma) => sigma,
            _ => f64::NAN,
        }
    }

    fn set(self, d: &mut Dist, v: f64) {
        match (d, self) {
            (Dist::Normal { mean, .. }, Field::Mean) => *mean = v,
            (Dist::Normal { sd, .. }, Field::Sd) => *sd = v,
            (Dist::Uniform { lo, .. }, Field::Lo)
            | (Dist::Triangular { lo, .. }, Field::Lo)
            | (Dist::Beta { lo, .. }, Field::Lo) => *lo = v,
            (Dist::Uniform { hi, .. }, Field::Hi)
            | (Dist::Triangular { hi, .. }, Field::Hi)
            | (Dist::Beta { hi, .. }, Field::Hi) => *hi = v,
            (Dist::Triangular { mode, .. }, Field::Mode) => *mode = v,
            (Dist::Beta { a, .. }, Field::A) => *a = v,
            (Dist::Beta { b, .. }, Field::B) => *b = v,
            (Dist::LogNormal { mu, .. }, Field::Mu) => *mu = v,
            (Dist::LogNormal { sigma, .. }, Field::Sigma) => *sigma = v,
            _ => {}
        }
    }
}

/// Resolves `name` (`PATH.FIELD`, e.g. `ukraine.reservation.mean`) against the scenario's
/// uncertain parameters.
pub fn target(s: &Scenario, name: &str, i: usize) -> Result<Target, Problem> {
    let known = || {
        let list: Vec<String> = s
            .uncertain
            .iter()
            .filter(|u| !u.dist.is_point())
            .flat_map(|u| {
                Field::of(&u.dist.dist)
                    .iter()
                    .map(move |(f, _)| format!("{}.{f}", u.path))
            })
            .collect();
        format!("parameters that can be fitted: {}", list.join(", "))
    };
    let bad = |m: String| problem(Part::Fit(i), m).with_help(known());
    let (path, field) = name.rsplit_once('.').ok_or_else(|| {
        bad(format!(
            "`{name}` is not PATH.FIELD, e.g. ukraine.reservation.mean"
        ))
    })?;
    let slot = s
        .uncertain
        .iter()
        .position(|u| u.path == path)
        .ok_or_else(|| {
            bad(format!(
                "`{path}` is not an uncertain parameter of the scenario"
            ))
        })?;
    let dist = &s.uncertain[slot].dist;
    if dist.is_point() {
        return Err(bad(format!(
            "`{path}` is a point mass ({}): give it a spread to fit from",
            dist.dist.describe()
        )));
    }
    let field = Field::of(&dist.dist)
        .iter()
        .find(|(n, _)| *n == field)
        .map(|(_, f)| *f)
        .ok_or_else(|| {
            bad(format!(
                "`{path}` is {}, which has no parameter `{field}`",
                dist.dist.describe()
            ))
        })?;
    Ok(Target {
        name: name.to_string(),
        slot,
        field,
    })
}

/// A calibration asked for.
#[derive(Debug, Clone, PartialEq)]
pub struct Spec {
    pub fit: Vec<String>,
    /// Waves kept out of the fit and predicted by it.
    pub hold_out: Vec<String>,
    pub options: RunOptions,
}

/// One fitted parameter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Estimated {
    pub name: String,
    /// The scenario's value, where the search started.
    pub start: f64,
    pub value: f64,
    /// The 95% profile-likelihood interval (an end is `null` when the deviance never rises
    /// 3.84 within the family's domain on that side).
    pub lo: f64,
    pub hi: f64,
}

/// One observation against the fit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Compared {
    pub label: String,
    pub party: String,
    /// The proposal, with the clauses the observation changes (`plan_19 with amnesty = true`).
    pub proposal: String,
    pub wave: Option<String>,
    /// Kept out of the fit (`--hold-out`): the fitted value is a prediction.
    pub held_out: bool,
    /// The share observed (1 or 0 for a decision) and its sample size (1 for a decision).
    pub observed: f64,
    pub n: u64,
    /// The observed share's 95% Wilson interval (a decision: 0–1).
    pub observed_lo: f64,
    pub observed_hi: f64,
    /// The fitted probability, its Monte Carlo interval, and the 95% range of a share of `n`
    /// under it (binomial quantiles divided by `n`).
    pub fitted: Estimate,
    pub expected_lo: f64,
    pub expected_hi: f64,
}

/// A calibration's result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CalibrationReport {
    pub scenario: String,
    pub seed: u64,
    pub rounds: u64,
    pub estimates: Vec<Estimated>,
    pub observations: Vec<Compared>,
    /// −2 log-likelihood at the fit.
    pub minus_two_log_likelihood: f64,
    /// The shares' deviance, its degrees of freedom and χ² p-value (`null` with none left).
    pub deviance: f64,
    pub df: i64,
    pub p_value: Option<f64>,
    /// The held-out shares' deviance under the fit, on one degree of freedom per share
    /// (`None` when nothing is held out or only decisions are).
    pub held_out: Option<Predicted>,
    /// Objective evaluations made (search and profiles).
    pub evaluations: usize,
    pub notes: Vec<String>,
}

/// How well the fit predicts the held-out shares.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Predicted {
    pub waves: Vec<String>,
    pub deviance: f64,
    pub df: i64,
    pub p_value: f64,
    /// Held-out shares outside the 95% range of a share of their `n` under the fit.
    pub outside: usize,
    pub shares: usize,
}

/// One observation as the model sees it: a (party, deal) cell, successes of trials.
#[derive(Debug, Clone)]
struct Obs {
    party: usize,
    deal: usize,
    k: u64,
    n: u64,
    share: bool,
    held_out: bool,
}

/// The model on fixed worlds: `p(θ)` for every observed cell.
struct Model<'s> {
    scenario: &'s Scenario,
    ratify: Ratify<'s>,
    targets: Vec<Target>,
    /// The fitted slots, each once, with its base distribution.
    slots: Vec<usize>,
    /// The run's worlds, block by block, with each fitted slot's draws as quantiles
    /// (`[slot index][round]`).
    blocks: Vec<(WorldBlock, usize, Vec<Vec<f64>>)>,
    cells: Vec<(usize, usize)>,
}

impl<'s> Model<'s> {
    fn new(
        s: &'s Scenario,
        targets: Vec<Target>,
        deals: Vec<crate::model::Deal>,
        cells: Vec<(usize, usize)>,
        options: RunOptions,
    ) -> Model<'s> {
        let mut slots: Vec<usize> = targets.iter().map(|t| t.slot).collect();
        slots.sort_unstable();
        slots.dedup();
        let sampler = WorldSampler::new(s);
        let blocks = (0..block_count(options.rounds))
            .into_par_iter()
            .map(|b| {
                let n = rounds_in_block(options.rounds, b) as usize;
                let mut block = sampler.empty_block();
                sampler.fill(&mut block_rng(options.seed, b), n, &mut block);
                let rounds = sampler.rounds(&block, n);
                let us = slots
                    .iter()
                    .map(|&slot| {
                        let d = &s.uncertain[slot].dist;
                        rounds.slot(slot).iter().map(|&x| d.to_uniform(x)).collect()
                    })
                    .collect();
                (block, n, us)
            })
            .collect();
        Model {
            scenario: s,
            ratify: Ratify::round_by_round(s, deals),
            targets,
            slots,
            blocks,
            cells,
        }
    }

    /// The fitted slots' distributions at `theta`, or `None` when `theta` is outside a
    /// family's domain.
    fn dists(&self, theta: &[f64]) -> Option<Vec<Truncated>> {
        self.slots
            .iter()
            .map(|&slot| {
                let base = &self.scenario.uncertain[slot].dist;
                let mut d = base.dist.clone();
                for (t, &v) in self.targets.iter().zip(theta) {
                    if t.slot == slot {
                        t.field.set(&mut d, v);
                    }
                }
                Truncated::new(d, base.lo, base.hi).ok()
            })
            .collect()
    }

    /// Acceptances in every observed cell at `theta` (of [`Model::rounds`]), or `None`.
    fn counts(&self, theta: &[f64]) -> Option<Vec<u64>> {
        let dists = self.dists(theta)?;
        let sampler = WorldSampler::new(self.scenario);
        let parties = self.scenario.parties.len();
        let counts = self
            .blocks
            .par_iter()
            .map_init(
                || {
                    let scratch: RatifyScratch = self.ratify.new_scratch();
                    (
                        sampler.empty_block(),
                        scratch,
                        RoundOutcomes::default(),
                        Vec::new(),
                    )
                },
                |(mixed, scratch, outcomes, columns), (block, n, us)| {
                    let n = *n;
                    columns.clear();
                    for (d, u) in dists.iter().zip(us) {
                        columns.push(u.iter().map(|&u| d.from_uniform(u)).collect::<Vec<f64>>());
                    }
                    let slots: Vec<(usize, Column)> = self
                        .slots
                        .iter()
                        .zip(columns.iter())
                        .map(|(&s, c)| (s, Column::Each(c)))
                        .collect();
                    sampler.remix(block, n, &slots, &[], mixed);
                    self.ratify
                        .outcomes(&sampler.rounds(mixed, n), scratch, outcomes);
                    self.cells
                        .iter()
                        .map(|&(p, k)| {
                            outcomes
                                .acceptance(k, p, parties)
                                .iter()
                                .map(|&a| a as u64)
                                .sum::<u64>()
                        })
                        .collect::<Vec<u64>>()
                },
            )
            .reduce(
                || vec![0; self.cells.len()],
                |a, b| a.iter().zip(b).map(|(a, b)| a + b).collect(),
            );
        Some(counts)
    }

    fn rounds(&self) -> u64 {
        self.blocks.iter().map(|b| b.1 as u64).sum()
    }
}

/// −2 log-likelihood of the fitted (not held-out) `obs` under probabilities `p` (clamped half
/// a round from 0 and 1).
fn minus_two_ll(obs: &[Obs], cell_of: &[usize], counts: &[u64], rounds: u64) -> f64 {
    let floor = 0.5 / rounds as f64;
    -2.0 * obs
        .iter()
        .zip(cell_of)
        .filter(|(o, _)| !o.held_out)
        .map(|(o, &c)| {
            let p = (counts[c] as f64 / rounds as f64).clamp(floor, 1.0 - floor);
            o.k as f64 * p.ln() + (o.n - o.k) as f64 * (1.0 - p).ln()
        })
        .sum::<f64>()
}

/// The objective: −2 log-likelihood at `theta` (∞ when infeasible), counting evaluations.
struct Objective<'m, 's> {
    model: &'m Model<'s>,
    obs: &'m [Obs],
    cell_of: &'m [usize],
    evaluations: std::cell::Cell<usize>,
}

impl Objective<'_, '_> {
    fn at(&self, theta: &[f64]) -> f64 {
        self.evaluations.set(self.evaluations.get() + 1);
        match self.model.counts(theta) {
            Some(c) => minus_two_ll(self.obs, self.cell_of, &c, self.model.rounds()),
            None => f64::INFINITY,
        }
    }
}

/// Nelder–Mead from `start` with initial steps `steps`; returns the best point and value.
fn nelder_mead(
    f: &dyn Fn(&[f64]) -> f64,
    start: &[f64],
    steps: &[f64],
    max: usize,
) -> (Vec<f64>, f64) {
    let d = start.len();
    if d == 0 {
        return (vec![], f(start));
    }
    let mut simplex: Vec<(Vec<f64>, f64)> = (0..=d)
        .map(|i| {
            let mut x = start.to_vec();
            if i > 0 {
                x[i - 1] += steps[i - 1];
            }
            let v = f(&x);
            (x, v)
        })
        .collect();
    let mut used = d + 1;
    while used < max {
        simplex.sort_by(|a, b| a.1.total_cmp(&b.1));
        let (best, worst) = (simplex[0].1, simplex[d].1);
        let size = (1..=d)
            .map(|i| {
                simplex[i]
                    .0
                    .iter()
                    .zip(&simplex[0].0)
                    .zip(steps)
                    .map(|((a, b), s)| ((a - b) / s).abs())
                    .fold(0.0, f64::max)
            })
            .fold(0.0, f64::max);
        if (worst - best).abs() < 1e-6 && size < 1e-3 {
            break;
        }
        let centroid: Vec<f64> = (0..d)
            .map(|j| simplex[..d].iter().map(|p| p.0[j]).sum::<f64>() / d as f64)
            .collect();
        let towards = |t: f64| -> Vec<f64> {
            centroid
                .iter()
                .zip(&simplex[d].0)
                .map(|(c, w)| c + t * (w - c))
                .collect()
        };
        let reflected = towards(-1.0);
        let fr = f(&reflected);
        used += 1;
        if fr < simplex[0].1 {
            let expanded = towards(-2.0);
            let fe = f(&expanded);
            used += 1;
            simplex[d] = if fe < fr {
                (expanded, fe)
            } else {
                (reflected, fr)
            };
        } else if fr < simplex[d - 1].1 {
            simplex[d] = (reflected, fr);
        } else {
            let contracted = if fr < simplex[d].1 {
                towards(-0.5)
            } else {
                towards(0.5)
            };
            let fc = f(&contracted);
            used += 1;
            if fc < fr.min(simplex[d].1) {
                simplex[d] = (contracted, fc);
            } else {
                let best = simplex[0].0.clone();
                for p in simplex.iter_mut().skip(1) {
                    p.0 =
                        p.0.iter()
                            .zip(&best)
                            .map(|(x, b)| b + 0.5 * (x - b))
                            .collect();
                    p.1 = f(&p.0);
                    used += 1;
                }
            }
        }
    }
    simplex.sort_by(|a, b| a.1.total_cmp(&b.1));
    simplex.swap_remove(0)
}

/// Reads an observations file's text; errors name the file, line and column.
pub fn read_observations(source: &str, name: &str) -> Result<Observations, crate::error::Error> {
    toml::from_str(source).map_err(|e| {
        let message = e.message().trim().to_string();
        crate::scenario::located(source, name, e.span(), message, None)
    })
}

/// One observation checked against the scenario: the model's view, its label, the deal it is
/// about and that deal in words, its wave.
struct Checked {
    obs: Obs,
    label: String,
    deal: Deal,
    proposal: String,
    wave: Option<String>,
}

/// Checks the observations against the scenario: every party, proposal and changed clause
/// exists, shares in [0, 1] with n ≥ 1, at least one observation; marks the observations of
/// the `hold_out` waves.
fn check(s: &Scenario, data: &Observations, hold_out: &[String]) -> Result<Vec<Checked>, Problem> {
    let at = |kind: &str, i: usize, key: &[&str]| {
        let mut path = vec![kind.to_string(), i.to_string()];
        path.extend(key.iter().map(|k| k.to_string()));
        Part::Data(path)
    };
    let party = |kind: &str, i: usize, name: &str| {
        s.party_index(name).ok_or_else(|| {
            let known: Vec<&str> = s.parties.iter().map(|p| p.name.as_str()).collect();
            problem(
                at(kind, i, &["party"]),
                format!("the scenario has no party `{name}`"),
            )
            .with_help(format!("parties: {}", known.join(", ")))
        })
    };
    // The proposal's deal with the `with` changes made, and the variant in words.
    let deal = |kind: &str, i: usize, name: &str, with: &IndexMap<String, RawScalar>| {
        let k = s.proposal_index(name).ok_or_else(|| {
            let known: Vec<&str> = s.proposals.iter().map(|p| p.name.as_str()).collect();
            problem(
                at(kind, i, &["proposal"]),
                format!("the scenario has no proposal `{name}`"),
            )
            .with_help(format!("proposals: {}", known.join(", ")))
        })?;
        let mut deal = s.proposals[k].deal.clone();
        let mut changes = Vec::new();
        for (clause, raw) in with {
            let Some(c) = s.clauses.iter().position(|c| &c.name == clause) else {
                let known: Vec<&str> = s.clauses.iter().map(|c| c.name.as_str()).collect();
                return Err(problem(
                    at(kind, i, &["with", clause]),
                    format!("the scenario has no clause `{clause}`"),
                )
                .with_help(format!("clauses: {}", known.join(", "))));
            };
            let v =
                crate::scenario::build::clause_value(&s.clauses[c], raw).map_err(|(m, help)| {
                    let p = problem(at(kind, i, &["with", clause]), m);
                    match help {
                        Some(h) => p.with_help(h),
                        None => p,
                    }
                })?;
            deal[c] = v;
            changes.push(format!("{clause} = {}", s.clauses[c].format_value(v)));
        }
        let words = if changes.is_empty() {
            name.to_string()
        } else {
            format!("{name} with {}", changes.join(", "))
        };
        Ok::<_, Problem>((deal, words))
    };
    let mut out = Vec::new();
    for (i, sh) in data.share.iter().enumerate() {
        let p = party("share", i, &sh.party)?;
        let (d, words) = deal("share", i, &sh.proposal, &sh.with)?;
        if !(0.0..=1.0).contains(&sh.accept) {
            return Err(problem(
                at("share", i, &["accept"]),
                format!(
                    "a share is between 0 and 1, not {}",
                    crate::text::decimal(sh.accept)
                ),
            ));
        }
        if sh.n == 0 {
            return Err(problem(
                at("share", i, &["n"]),
                "a share needs a sample size n of at least 1",
            ));
        }
        let label = sh
            .label
            .clone()
            .unwrap_or_else(|| format!("{} accepts {words}", sh.party));
        let obs = Obs {
            party: p,
            deal: 0,
            k: (sh.accept * sh.n as f64).round() as u64,
            n: sh.n,
            share: true,
            held_out: sh.wave.as_ref().is_some_and(|w| hold_out.contains(w)),
        };
        out.push(Checked {
            obs,
            label,
            deal: d,
            proposal: words,
            wave: sh.wave.clone(),
        });
    }
    for (i, dec) in data.decision.iter().enumerate() {
        let p = party("decision", i, &dec.party)?;
        let (d, words) = deal("decision", i, &dec.proposal, &dec.with)?;
        let verb = if dec.accepted { "accepted" } else { "rejected" };
        let label = dec
            .label
            .clone()
            .unwrap_or_else(|| format!("{} {verb} {words}", dec.party));
        let obs = Obs {
            party: p,
            deal: 0,
            k: dec.accepted as u64,
            n: 1,
            share: false,
            held_out: dec.wave.as_ref().is_some_and(|w| hold_out.contains(w)),
        };
        out.push(Checked {
            obs,
            label,
            deal: d,
            proposal: words,
            wave: dec.wave.clone(),
        });
    }
    if out.is_empty() {
        return Err(problem(
            Part::Data(vec![]),
            "no observations: add [[share]] or [[decision]] tables",
        ));
    }
    let mut waves: Vec<&str> = Vec::new();
    for w in out.iter().filter_map(|c| c.wave.as_deref()) {
        if !waves.contains(&w) {
            waves.push(w);
        }
    }
    for (i, w) in hold_out.iter().enumerate() {
        if !waves.contains(&w.as_str()) {
            let help = if waves.is_empty() {
                "no observation names a wave: add `wave = \"…\"` to the [[share]] and [[decision]] tables".to_string()
            } else {
                let quoted: Vec<String> = waves.iter().map(|w| format!("\"{w}\"")).collect();
                format!("waves: {}", quoted.join(", "))
            };
            return Err(problem(
                Part::HoldOut(i),
                format!("no observation belongs to wave \"{w}\""),
            )
            .with_help(help));
        }
    }
    if out.iter().all(|c| c.obs.held_out) {
        return Err(problem(
            Part::HoldOut(0),
            "every observation is held out: nothing is left to fit",
        ));
    }
    Ok(out)
}

/// A share's deviance term `2 [k ln(k / np) + (n − k) ln((n − k) / n(1 − p))]`, with `p`
/// clamped half a round from 0 and 1.
fn share_deviance(k: u64, n: u64, p: f64, rounds: u64) -> f64 {
    let p = p.clamp(0.5 / rounds as f64, 1.0 - 0.5 / rounds as f64);
    let (k, n) = (k as f64, n as f64);
    let term = |a: f64, b: f64| if a > 0.0 { a * (a / b).ln() } else { 0.0 };
    2.0 * (term(k, n * p) + term(n - k, n * (1.0 - p)))
}

/// The 95% range of `k/n` for `k ~ Binomial(n, p)`.
fn binomial_range(n: u64, p: f64) -> (f64, f64) {
    use statrs::distribution::{Binomial, DiscreteCDF};
    match Binomial::new(p.clamp(0.0, 1.0), n) {
        Ok(b) => (
            b.inverse_cdf(0.025) as f64 / n as f64,
            b.inverse_cdf(0.975) as f64 / n as f64,
        ),
        Err(_) => (f64::NAN, f64::NAN),
    }
}

/// Fits `spec.fit` to `data` under scenario `s`; `progress` gets the evaluations made.
pub fn calibrate(
    s: &Scenario,
    data: &Observations,
    spec: &Spec,
    progress: &(dyn Fn(usize) + Sync),
) -> Result<(CalibrationReport, Vec<(Target, f64)>), Problem> {
    if s.protocol.dynamic().is_some() {
        return Err(problem(
            Part::Scenario,
            format!(
                "calibration supports the ratify protocol; this scenario plays {}",
                s.protocol.name()
            ),
        ));
    }
    if spec.options.rounds == 0 || spec.options.rounds > MAX_CALIBRATION_ROUNDS {
        return Err(problem(
            Part::Rounds,
            format!(
                "a calibration keeps its worlds in memory: from 1 to {} rounds",
                crate::text::thousands(MAX_CALIBRATION_ROUNDS)
            ),
        ));
    }
    if spec.fit.is_empty() {
        return Err(problem(Part::Fit(0), "name at least one parameter to fit"));
    }
    let targets = spec
        .fit
        .iter()
        .enumerate()
        .map(|(i, n)| target(s, n, i))
        .collect::<Result<Vec<_>, _>>()?;
    for (i, t) in targets.iter().enumerate() {
        if targets[..i]
            .iter()
            .any(|u| u.slot == t.slot && u.field == t.field)
        {
            return Err(problem(
                Part::Fit(i),
                format!("`{}` is named twice", t.name),
            ));
        }
    }
    let checked = check(s, data, &spec.hold_out)?;
    // The observed deals, each once, and the cells (party, deal) observed.
    let mut deals: Vec<Deal> = Vec::new();
    let mut cells: Vec<(usize, usize)> = Vec::new();
    let mut obs = Vec::new();
    let mut cell_of = Vec::new();
    let mut about = Vec::new();
    for c in checked {
        let Checked {
            obs: mut o,
            label,
            deal,
            proposal,
            wave,
        } = c;
        o.deal = match deals.iter().position(|d| *d == deal) {
            Some(d) => d,
            None => {
                deals.push(deal);
                deals.len() - 1
            }
        };
        let cell = match cells.iter().position(|&c| c == (o.party, o.deal)) {
            Some(c) => c,
            None => {
                cells.push((o.party, o.deal));
                cells.len() - 1
            }
        };
        cell_of.push(cell);
        about.push((label, proposal, wave));
        obs.push(o);
    }
    let runner = Runner::new(s, spec.options);
    let start: Vec<f64> = targets
        .iter()
        .map(|t| t.field.get(&s.uncertain[t.slot].dist.dist))
        .collect();
    let steps: Vec<f64> = start.iter().map(|v| (v.abs() * 0.25).max(0.05)).collect();
    runner.on_pool(|| {
        let model = Model::new(s, targets.clone(), deals, cells.clone(), spec.options);
        let objective = Objective {
            model: &model,
            obs: &obs,
            cell_of: &cell_of,
            evaluations: std::cell::Cell::new(0),
        };
        let f = |x: &[f64]| {
            let v = objective.at(x);
            progress(objective.evaluations.get());
            v
        };
        let (best, min) = nelder_mead(&f, &start, &steps, MAX_EVALUATIONS);
        // Profile intervals, parameter by parameter.
        let estimates: Vec<Estimated> = targets
            .iter()
            .enumerate()
            .map(|(j, t)| {
                let profile = |v: f64| -> f64 {
                    if targets.len() == 1 {
                        return f(&[v]);
                    }
                    let others: Vec<usize> = (0..targets.len()).filter(|&i| i != j).collect();
                    let x0: Vec<f64> = others.iter().map(|&i| best[i]).collect();
                    let st: Vec<f64> = others.iter().map(|&i| steps[i] * 0.25).collect();
                    let g = |y: &[f64]| {
                        let mut x = best.clone();
                        x[j] = v;
                        for (&i, &yi) in others.iter().zip(y) {
                            x[i] = yi;
                        }
                        f(&x)
                    };
                    nelder_mead(&g, &x0, &st, MAX_EVALUATIONS / 4).1
                };
                let bound = |dir: f64| -> f64 {
                    let mut inner = best[j];
                    let mut step = steps[j] * 0.1;
                    let mut outer = f64::NAN;
                    for _ in 0..PROFILE_STEPS {
                        let x = inner + dir * step;
                        let v = profile(x);
                        if v.is_infinite() {
                            // Left the domain: no bound on this side within it.
                            return f64::NAN;
                        }
                        if v - min >= CHI2_95 {
                            outer = x;
                            break;
                        }
                        inner = x;
                        step *= 2.0;
                    }
                    if outer.is_nan() {
                        return f64::NAN;
                    }
                    for _ in 0..PROFILE_BISECTIONS {
                        let mid = 0.5 * (inner + outer);
                        if profile(mid) - min >= CHI2_95 {
                            outer = mid;
                        } else {
                            inner = mid;
                        }
                        if (outer - inner).abs() < steps[j] * 1e-3 {
                            break;
                        }
                    }
                    0.5 * (inner + outer)
                };
                Estimated {
                    name: t.name.clone(),
                    start: start[j],
                    value: best[j],
                    lo: bound(-1.0),
                    hi: bound(1.0),
                }
            })
            .collect();
        let counts = model.counts(&best).unwrap_or_else(|| vec![0; cells.len()]);
        let rounds = model.rounds();
        let (mut deviance, mut predicted) = (0.0, 0.0);
        let mut outside = 0;
        let observations = obs
            .iter()
            .zip(&cell_of)
            .zip(&about)
            .map(|((o, &c), (label, proposal, wave))| {
                let fitted = Estimate::from_counts(counts[c], rounds);
                let (elo, ehi) = binomial_range(o.n, fitted.p);
                let (olo, ohi) = crate::sim::estimate::wilson(o.k, o.n, crate::sim::estimate::Z95);
                if o.share {
                    let g = share_deviance(o.k, o.n, fitted.p, rounds);
                    if o.held_out {
                        predicted += g;
                        let observed = o.k as f64 / o.n as f64;
                        outside += usize::from(observed < elo || observed > ehi);
                    } else {
                        deviance += g;
                    }
                }
                Compared {
                    label: label.clone(),
                    party: s.parties[cells[c].0].name.clone(),
                    proposal: proposal.clone(),
                    wave: wave.clone(),
                    held_out: o.held_out,
                    observed: o.k as f64 / o.n as f64,
                    n: o.n,
                    observed_lo: olo,
                    observed_hi: ohi,
                    fitted,
                    expected_lo: elo,
                    expected_hi: ehi,
                }
            })
            .collect();
        // G² ≥ 0; a sum of terms that cancel can round a hair below it.
        let deviance = deviance.max(0.0);
        let shares = obs.iter().filter(|o| o.share && !o.held_out).count() as i64;
        let df = shares - targets.len() as i64;
        let p_value = (df > 0)
            .then(|| ChiSquared::new(df as f64).ok().map(|c| 1.0 - c.cdf(deviance)))
            .flatten();
        let held_shares = obs.iter().filter(|o| o.share && o.held_out).count();
        let held_out = (held_shares > 0).then(|| Predicted {
            waves: spec.hold_out.clone(),
            deviance: predicted.max(0.0),
            df: held_shares as i64,
            p_value: ChiSquared::new(held_shares as f64)
                .map(|c| 1.0 - c.cdf(predicted))
                .unwrap_or(f64::NAN),
            outside,
            shares: held_shares,
        });
        let mut notes = vec![
            "maximum likelihood (Nelder–Mead) on common random numbers: every candidate moves the fitted draws by their quantiles".to_string(),
            "95% profile-likelihood intervals (deviance rise 3.84); Monte Carlo error of the probabilities not included".to_string(),
        ];
        if df <= 0 {
            notes.push(format!(
                "{shares} share(s) for {} parameter(s): no degree of freedom left, the fit is exact by construction and tests nothing",
                targets.len()
            ));
        }
        if held_out.is_some() {
            notes.push("held-out shares are predictions: the range for n takes the estimates as known, so it is a little narrow".into());
        }
        if estimates.iter().any(|e| e.lo.is_nan() || e.hi.is_nan()) {
            notes.push("an interval end marked - is not reached within the parameter's domain: the data do not bound it on that side".into());
        }
        let fitted = targets.iter().cloned().zip(best.iter().copied()).collect();
        let report = CalibrationReport {
            scenario: s.name.clone(),
            seed: spec.options.seed,
            rounds,
            estimates,
            observations,
            minus_two_log_likelihood: min,
            deviance,
            df,
            p_value,
            held_out,
            evaluations: objective.evaluations.get(),
            notes,
        };
        Ok((report, fitted))
    })
}

/// The scenario text with fitted values written in: each fitted field's number replaced where
/// the file writes it (located by key path, the rest of the text untouched), and `comment`
/// (lines starting `# `) put at the top. Fails when a field is not written in the file (a
/// default, such as a beta's range) or the file is not TOML.
pub fn write_fitted(
    source: &str,
    s: &Scenario,
    fitted: &[(Target, f64)],
    comment: &str,
) -> Result<String, String> {
    let mut edits: Vec<(std::ops::Range<usize>, String)> = Vec::new();
    for (t, v) in fitted {
        let dist = &s.uncertain[t.slot].dist.dist;
        let mut path: Vec<String> = vec!["parties".into()];
        path.extend(s.uncertain[t.slot].path.split('.').map(str::to_string));
        path.push(dist.family().into());
        path.push(t.field.key(dist));
        let span = crate::scenario::locate::toml_span(
            source,
            &path,
            crate::scenario::build::Target::Value,
        )
        .filter(|r| {
            // The span must be the number itself, not an enclosing table.
            source[r.clone()].trim().parse::<f64>().is_ok()
                || source[r.clone()]
                    .replace('_', "")
                    .trim()
                    .parse::<f64>()
                    .is_ok()
        })
        .ok_or_else(|| {
            format!(
                "{} is not written in the file as a number at {}",
                t.name,
                path.join(".")
            )
        })?;
        edits.push((span, number(*v)));
    }
    edits.sort_by_key(|e| std::cmp::Reverse(e.0.start));
    let mut text = source.to_string();
    for (span, v) in edits {
        text.replace_range(span, &v);
    }
    // A file calibrated before keeps one record, the latest: its "was" values are the
    // previous fit's.
    let previous = previous_record_len(&text);
    text.replace_range(..previous, "");
    Ok(format!("{comment}{text}"))
}

/// The first words of the comment a calibrated scenario starts with (after `# `).
pub const CALIBRATED: &str = "CALIBRATED by `accord calibrate`";

/// The length of the record of an earlier calibration at the top of `text`: its comment
/// lines up to and including the lone `#` that closes it; 0 without one.
fn previous_record_len(text: &str) -> usize {
    if !text.starts_with(&format!("# {CALIBRATED}")) {
        return 0;
    }
    let mut len = 0;
    for line in text.split_inclusive('\n') {
        len += line.len();
        if line.trim_end() == "#" {
            return len;
        }
        if !line.starts_with('#') {
            // Not closed as `accord calibrate` closes it: edited by hand, so kept.
            return 0;
        }
    }
    0
}

/// A fitted value as written into a scenario: six significant digits, no float noise.
pub fn number(v: f64) -> String {
    if v == 0.0 || !v.is_finite() {
        return crate::text::decimal(v);
    }
    let digits = (6 - 1 - v.abs().log10().floor() as i32).max(0) as usize;
    let s = format!("{v:.digits$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nelder_mead_finds_a_quadratics_minimum() {
        let f = |x: &[f64]| (x[0] - 1.5).powi(2) + 3.0 * (x[1] + 0.5).powi(2) + 2.0;
        let (x, v) = nelder_mead(&f, &[0.0, 0.0], &[0.5, 0.5], 400);
        assert!(
            (x[0] - 1.5).abs() < 1e-2 && (x[1] + 0.5).abs() < 1e-2,
            "{x:?}"
        );
        assert!((v - 2.0).abs() < 1e-5);
        // Deterministic: the same path twice.
        assert_eq!(nelder_mead(&f, &[0.0, 0.0], &[0.5, 0.5], 400), (x, v));
    }

    #[test]
    fn numbers_are_written_short() {
        assert_eq!(number(0.371234567), "0.371235");
        assert_eq!(number(700000.4), "700000");
        assert_eq!(number(2.5), "2.5");
        assert_eq!(number(-0.05), "-0.05");
    }

    #[test]
    fn binomial_ranges_bracket_the_mean() {
        let (lo, hi) = binomial_range(1000, 0.2);
        assert!(lo < 0.2 && hi > 0.2 && hi - lo < 0.06, "{lo} {hi}");
    }
}
