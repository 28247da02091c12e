//! Which assumption drives a result: variance-based (Sobol) indices of every uncertain
//! parameter for one output of the ratify protocol, and a local one-at-a-time tornado.
//!
//! **Output.** `Y` is, round by round, 1 when the proposal is agreed (or when one party
//! accepts it) and 0 otherwise, so `Var(Y) = p(1 − p)`. The rounds' outcomes come from
//! [`Ratify::outcomes`], the same decisions `accord run` counts; the ratify protocol is the
//! one supported (the dynamic protocols' outcomes are not yet reported round by round).
//!
//! **Factors.** Each independent uncertain parameter is a factor, named by its scenario path
//! (`russia.reservation`, `ukraine.weights.crimea_luhansk_donetsk`). Parameters drawn jointly
//! through a copula (`[[correlation]]`) are one factor, swapped together: Sobol indices of
//! dependent inputs are not defined one by one, and a group's are. A logit party's
//! acceptance draw (the randomness of its decision beyond the modelled terms) is a factor too,
//! `PARTY.accept`, so the indices account for every source of variance. A named group
//! (`--group russia.weights`) is the union of the factors with a parameter at or under that
//! path (a correlated factor joins whole).
//!
//! **Estimators.** Two independent sets of worlds: `A`, the run's own worlds (block `b` from
//! the run seed, so `p` is what `accord run` reports), and `B`, from a seed derived from it.
//! For each factor `i`, `A_B^i` is `A` with factor `i`'s draws taken from `B`
//! ([`crate::sim::WorldSampler::remix`]). With `V` the variance of the outputs of `A` and `B`
//! together,
//!   first order (Saltelli et al. 2010):  `S_i  = mean(y_B · (y_ABi − y_A)) / V`,
//!   total effect (Jansen 1999):          `ST_i = mean((y_A − y_ABi)²) / (2V)`.
//! As `y` is 0 or 1, both depend only on how many rounds show each of the eight patterns of
//! `(y_A, y_B, y_ABi)`: the tallies are those counts, integers, so the result is the same to
//! the bit for any number of threads. The bootstrap resamples rounds with replacement; for one
//! factor that is a multinomial draw of its eight counts, made exactly by successive binomials
//! from one seeded stream ([`BOOTSTRAP`] replicates, 95% percentile intervals).
//!
//! **Tornado.** Each uncertain parameter held at its 5% and 95% quantiles (its truncated
//! distribution's) while everything else keeps its draws in `A` (common random numbers); the
//! change from `p` has Newcombe's paired interval. A correlated parameter held fixed keeps
//! its partners' unconditional draws: the tornado is one at a time by design.

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Binomial, Distribution};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::model::{AcceptRule, Scenario};
use crate::protocol::ratify::{Change, RatifyScratch};
use crate::protocol::{Ratify, RoundOutcomes};
use crate::sim::seed::{block_count, block_rng, rounds_in_block};
use crate::sim::{Column, Estimate, RunOptions, Runner, WorldBlock, WorldSampler};

/// Bootstrap replicates behind every interval.
pub const BOOTSTRAP: usize = 1000;

/// Blocks played between checks of a precision target (the same for any thread count).
const CHECK_BLOCKS: u64 = 16;

/// The quantiles a tornado holds each parameter at.
pub const TORNADO_QUANTILES: (f64, f64) = (0.05, 0.95);

/// What `Y` is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum OutputSpec {
    /// Every veto party (or the scenario's rule) agrees.
    Agreement,
    /// This party accepts.
    Accept(String),
}

impl std::str::FromStr for OutputSpec {
    type Err = String;

    /// `agreement` or `accept:PARTY`.
    fn from_str(s: &str) -> Result<OutputSpec, String> {
        match s.split_once(':') {
            None if s == "agreement" => Ok(OutputSpec::Agreement),
            Some(("accept", party)) if !party.is_empty() => {
                Ok(OutputSpec::Accept(party.to_string()))
            }
            _ => Err(format!(
                "`{s}` is not an output: use `agreement` or `accept:PARTY`"
            )),
        }
    }
}

impl std::fmt::Display for OutputSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OutputSpec::Agreement => write!(f, "agreement"),
            OutputSpec::Accept(p) => write!(f, "accept:{p}"),
        }
    }
}

/// A sensitivity analysis asked for.
#[derive(Debug, Clone, PartialEq)]
pub struct Spec {
    pub proposal: String,
    pub output: OutputSpec,
    /// Path prefixes naming groups of factors.
    pub groups: Vec<String>,
    /// Rounds (the cap, with a precision target), seed and threads.
    pub options: RunOptions,
    /// Stop once every total-effect interval's half-width is at most this.
    pub precision: Option<f64>,
}

/// The part of a [`Spec`] a [`Problem`] is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Proposal,
    Output,
    /// The `i`-th group.
    Group(usize),
    Rounds,
    /// The scenario (its protocol, or an output that never varies).
    Scenario,
}

/// A sensitivity analysis that cannot be done, with the part of the request it is about.
pub type Problem = super::Problem<Part>;

fn problem(part: Part, message: impl Into<String>) -> Problem {
    Problem::new(part, message)
}

/// What a factor is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FactorKind {
    /// One independent uncertain parameter.
    Parameter,
    /// A correlation group, swapped jointly.
    Correlated,
    /// A logit party's acceptance draw.
    Acceptance,
    /// A group named on the command line.
    Group,
}

/// A set of draws swapped together: uncertain parameters (slots) and logit acceptance draws
/// (parties).
#[derive(Debug, Clone, PartialEq)]
pub struct Factor {
    pub name: String,
    pub kind: FactorKind,
    /// The scenario paths it holds (`PARTY.accept` for an acceptance draw).
    pub members: Vec<String>,
    pub slots: Vec<usize>,
    pub cuts: Vec<usize>,
}

/// The factors of a scenario: independent parameters, correlation groups, logit acceptance
/// draws, in that order (parameters that never vary are left out).
pub fn factors(s: &Scenario) -> Vec<Factor> {
    let grouped: Vec<usize> = s
        .correlations
        .iter()
        .flat_map(|c| c.slots.iter().copied())
        .collect();
    let varies = |slot: usize| !s.uncertain[slot].dist.is_point();
    let mut out: Vec<Factor> = (0..s.uncertain.len())
        .filter(|&slot| !grouped.contains(&slot) && varies(slot))
        .map(|slot| Factor {
            name: s.uncertain[slot].path.clone(),
            kind: FactorKind::Parameter,
            members: vec![s.uncertain[slot].path.clone()],
            slots: vec![slot],
            cuts: vec![],
        })
        .collect();
    for c in &s.correlations {
        let members: Vec<String> = c
            .slots
            .iter()
            .map(|&i| s.uncertain[i].path.clone())
            .collect();
        out.push(Factor {
            name: members.join(" + "),
            kind: FactorKind::Correlated,
            members,
            slots: c.slots.clone(),
            cuts: vec![],
        });
    }
    for (p, party) in s.parties.iter().enumerate() {
        if let AcceptRule::Logit { .. } = party.accept {
            let name = format!("{}.accept", party.name);
            out.push(Factor {
                name: name.clone(),
                kind: FactorKind::Acceptance,
                members: vec![name],
                slots: vec![],
                cuts: vec![p],
            });
        }
    }
    out
}

/// The group of the factors with a member at or under `path`.
fn group(path: &str, singles: &[Factor]) -> Option<Factor> {
    let under = |m: &String| m == path || m.starts_with(&format!("{path}."));
    let picked: Vec<&Factor> = singles
        .iter()
        .filter(|f| f.members.iter().any(under))
        .collect();
    if picked.is_empty() {
        return None;
    }
    Some(Factor {
        name: path.to_string(),
        kind: FactorKind::Group,
        members: picked.iter().flat_map(|f| f.members.clone()).collect(),
        slots: picked.iter().flat_map(|f| f.slots.clone()).collect(),
        cuts: picked.iter().flat_map(|f| f.cuts.clone()).collect(),
    })
}

/// An index with its bootstrap interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Index {
    pub value: f64,
    pub lo: f64,
    pub hi: f64,
    /// Whether the interval includes 0: the rounds do not show an effect.
    pub includes_zero: bool,
}

impl Index {
    /// The index `value` with its interval `[lo, hi]`.
    pub fn new(value: f64, lo: f64, hi: f64) -> Index {
        Index {
            value,
            lo,
            hi,
            includes_zero: lo <= 0.0 && hi >= 0.0,
        }
    }

    /// Whether the interval includes 0: the rounds do not show an effect.
    pub fn includes_zero(&self) -> bool {
        self.includes_zero
    }

    /// Half the interval's width.
    pub fn half_width(&self) -> f64 {
        0.5 * (self.hi - self.lo)
    }
}

/// One factor's indices.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FactorResult {
    pub name: String,
    pub kind: FactorKind,
    pub members: Vec<String>,
    pub first_order: Index,
    pub total: Index,
}

impl FactorResult {
    /// A short label: a correlation group by its first member and how many more it holds, a
    /// named group in brackets.
    pub fn label(&self) -> String {
        match self.kind {
            FactorKind::Correlated if self.members.len() > 1 => {
                format!("{} +{} corr.", self.members[0], self.members.len() - 1)
            }
            FactorKind::Group => format!("[{}]", self.name),
            _ => self.name.clone(),
        }
    }
}

/// One parameter held at its low and high quantiles.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TornadoRow {
    pub param: String,
    /// The parameter's 5% and 95% quantiles.
    pub low_value: f64,
    pub high_value: f64,
    /// The output's probability with the parameter held there.
    pub at_low: Estimate,
    pub at_high: Estimate,
    /// The changes from the base probability, with paired intervals.
    pub low_change: Change,
    pub high_change: Change,
}

impl TornadoRow {
    /// How far apart the two ends are.
    pub fn swing(&self) -> f64 {
        (self.at_high.p - self.at_low.p).abs()
    }
}

/// A sensitivity analysis's result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SensitivityReport {
    pub scenario: String,
    pub protocol: String,
    pub proposal: String,
    pub output: String,
    pub seed: u64,
    /// Rounds in each of the sample sets `A` and `B`.
    pub rounds: u64,
    /// Model evaluations: rounds × (2 + factors and groups + 2 × tornado parameters).
    pub evaluations: u64,
    pub bootstrap: usize,
    /// The output's probability in the run's own worlds (`A`).
    pub p: Estimate,
    /// `Var(Y)` from `A` and `B` together.
    pub variance: f64,
    /// Factors, most influential (total effect) first; then the named groups.
    pub factors: Vec<FactorResult>,
    /// Parameters by swing, largest first.
    pub tornado: Vec<TornadoRow>,
    /// How to read the result (correlated groups, the estimators).
    pub notes: Vec<String>,
}

/// The counts a sensitivity run adds up, integers only.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Tally {
    rounds: u64,
    /// Rounds with `y_A = 1`.
    base: u64,
    /// Per factor: rounds with each pattern `4·y_A + 2·y_B + y_ABi`.
    patterns: Vec<[u64; 8]>,
    /// Per tornado parameter and end (low, high): rounds with `y = 1`, then rounds where
    /// `y = 1, y_A = 0` and the reverse.
    tornado: Vec<[u64; 3]>,
}

impl Tally {
    fn new(factors: usize, tornado: usize) -> Tally {
        Tally {
            rounds: 0,
            base: 0,
            patterns: vec![[0; 8]; factors],
            tornado: vec![[0; 3]; 2 * tornado],
        }
    }

    fn merge(mut self, other: Tally) -> Tally {
        self.rounds += other.rounds;
        self.base += other.base;
        for (a, b) in self.patterns.iter_mut().zip(other.patterns) {
            a.iter_mut().zip(b).for_each(|(a, b)| *a += b);
        }
        for (a, b) in self.tornado.iter_mut().zip(other.tornado) {
            a.iter_mut().zip(b).for_each(|(a, b)| *a += b);
        }
        self
    }
}

/// The indices from one factor's eight pattern counts: (first order, total effect), NaN when
/// the output does not vary.
pub fn indices(c: &[u64; 8]) -> (f64, f64) {
    let n: u64 = c.iter().sum();
    if n == 0 {
        return (f64::NAN, f64::NAN);
    }
    let at = |a: usize, b: usize, m: usize| c[4 * a + 2 * b + m] as f64;
    let nf = n as f64;
    let ones_a: f64 = (0..2)
        .flat_map(|b| (0..2).map(move |m| (b, m)))
        .map(|(b, m)| at(1, b, m))
        .sum();
    let ones_b: f64 = (0..2)
        .flat_map(|a| (0..2).map(move |m| (a, m)))
        .map(|(a, m)| at(a, 1, m))
        .sum();
    let p = (ones_a + ones_b) / (2.0 * nf);
    let v = p * (1.0 - p);
    if v <= 0.0 {
        return (f64::NAN, f64::NAN);
    }
    // Σ y_B (y_ABi − y_A): rounds with y_B = 1 where y_ABi = 1, y_A = 0, less the reverse.
    let first = (at(0, 1, 1) - at(1, 1, 0)) / nf / v;
    // Σ (y_A − y_ABi)²: rounds where they differ.
    let differ: f64 = (0..2).map(|b| at(0, b, 1) + at(1, b, 0)).sum();
    let total = differ / (2.0 * nf) / v;
    (first, total)
}

/// The bootstrap intervals of one factor's indices: `replicates` multinomial resamples of its
/// counts from `rng`, 95% percentile intervals.
fn bootstrap(c: &[u64; 8], replicates: usize, rng: &mut ChaCha8Rng) -> ((f64, f64), (f64, f64)) {
    let n: u64 = c.iter().sum();
    let mut firsts = Vec::with_capacity(replicates);
    let mut totals = Vec::with_capacity(replicates);
    for _ in 0..replicates {
        let mut draw = [0u64; 8];
        let (mut left, mut mass) = (n, n);
        for j in 0..8 {
            if left == 0 || mass == 0 {
                break;
            }
            draw[j] = if j == 7 || c[j] == mass {
                left
            } else {
                let p = c[j] as f64 / mass as f64;
                Binomial::new(left, p).map_or(0, |b| b.sample(rng))
            };
            left -= draw[j];
            mass -= c[j];
        }
        let (f, t) = indices(&draw);
        if f.is_finite() && t.is_finite() {
            firsts.push(f);
            totals.push(t);
        }
    }
    (percentiles(&mut firsts), percentiles(&mut totals))
}

/// The 2.5% and 97.5% percentiles (NaN when there is nothing).
fn percentiles(xs: &mut [f64]) -> (f64, f64) {
    if xs.is_empty() {
        return (f64::NAN, f64::NAN);
    }
    xs.sort_by(f64::total_cmp);
    let at = |q: f64| xs[((q * (xs.len() - 1) as f64).round() as usize).min(xs.len() - 1)];
    (at(0.025), at(0.975))
}

/// SplitMix64: the derived seeds of the second world stream and the bootstrap.
pub fn derive_seed(seed: u64, salt: u64) -> u64 {
    let mut z = seed ^ salt.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Salts of the derived seeds.
const SALT_B: u64 = 0x0050_B01B;
const SALT_BOOT: u64 = 0xB007;

/// Everything a block's play needs.
struct Plan<'s> {
    scenario: &'s Scenario,
    ratify: Ratify<'s>,
    /// Which row of the outcomes is `Y`: `None` for agreement, else the party.
    party: Option<usize>,
    /// Factors, then groups.
    factors: Vec<Factor>,
    /// Tornado parameters (slots) and their low and high values.
    tornado: Vec<(usize, f64, f64)>,
    seed_a: u64,
    seed_b: u64,
    rounds: u64,
}

/// Working memory of one thread.
struct Work {
    a: WorldBlock,
    b: WorldBlock,
    mixed: WorldBlock,
    scratch: RatifyScratch,
    outcomes: RoundOutcomes,
    ya: Vec<u8>,
    yb: Vec<u8>,
}

impl Plan<'_> {
    fn work(&self, sampler: &WorldSampler) -> Work {
        use crate::sim::Experiment;
        Work {
            a: sampler.empty_block(),
            b: sampler.empty_block(),
            mixed: sampler.empty_block(),
            scratch: self.ratify.new_scratch(),
            outcomes: RoundOutcomes::default(),
            ya: Vec::new(),
            yb: Vec::new(),
        }
    }

    /// `Y` in the first `n` rounds of `block`, into `y`.
    #[allow(clippy::too_many_arguments)]
    fn eval(
        &self,
        sampler: &WorldSampler,
        block: &WorldBlock,
        n: usize,
        scratch: &mut RatifyScratch,
        outcomes: &mut RoundOutcomes,
        y: &mut Vec<u8>,
    ) {
        self.ratify
            .outcomes(&sampler.rounds(block, n), scratch, outcomes);
        let row = match self.party {
            None => outcomes.agreement(0),
            Some(p) => outcomes.acceptance(0, p, self.scenario.parties.len()),
        };
        y.clear();
        y.extend_from_slice(row);
    }

    /// Plays block `index` into `tally`.
    fn play(&self, sampler: &WorldSampler, index: u64, work: &mut Work, tally: &mut Tally) {
        let n = rounds_in_block(self.rounds, index) as usize;
        sampler.fill(&mut block_rng(self.seed_a, index), n, &mut work.a);
        sampler.fill(&mut block_rng(self.seed_b, index), n, &mut work.b);
        let Work {
            a,
            b,
            mixed,
            scratch,
            outcomes,
            ya,
            yb,
        } = work;
        self.eval(sampler, a, n, scratch, outcomes, ya);
        self.eval(sampler, b, n, scratch, outcomes, yb);
        let mut y = Vec::with_capacity(n);
        tally.rounds += n as u64;
        tally.base += ya.iter().map(|&v| v as u64).sum::<u64>();
        for (f, factor) in self.factors.iter().enumerate() {
            let slots: Vec<(usize, Column)> =
                factor.slots.iter().map(|&s| (s, Column::From(b))).collect();
            let cuts: Vec<(usize, &WorldBlock)> = factor.cuts.iter().map(|&p| (p, &*b)).collect();
            sampler.remix(a, n, &slots, &cuts, mixed);
            self.eval(sampler, mixed, n, scratch, outcomes, &mut y);
            let counts = &mut tally.patterns[f];
            for r in 0..n {
                counts[(4 * ya[r] + 2 * yb[r] + y[r]) as usize] += 1;
            }
        }
        for (t, &(slot, low, high)) in self.tornado.iter().enumerate() {
            for (end, value) in [low, high].into_iter().enumerate() {
                sampler.remix(a, n, &[(slot, Column::Value(value))], &[], mixed);
                self.eval(sampler, mixed, n, scratch, outcomes, &mut y);
                let cell = &mut tally.tornado[2 * t + end];
                for r in 0..n {
                    let (now, was) = (y[r] as u64, ya[r] as u64);
                    cell[0] += now;
                    cell[1] += now & (1 - was);
                    cell[2] += (1 - now) & was;
                }
            }
        }
    }

    fn new_tally(&self) -> Tally {
        Tally::new(self.factors.len(), self.tornado.len())
    }

    /// Plays blocks `range` in parallel and adds them up (integers: any order, same bits).
    fn play_range(&self, range: std::ops::Range<u64>) -> Tally {
        let sampler = WorldSampler::new(self.scenario);
        range
            .into_par_iter()
            .fold(
                || (self.new_tally(), self.work(&sampler)),
                |(mut tally, mut work), index| {
                    self.play(&sampler, index, &mut work, &mut tally);
                    (tally, work)
                },
            )
            .map(|(tally, _)| tally)
            .reduce(|| self.new_tally(), Tally::merge)
    }
}

/// Checks `spec` against the scenario: the protocol, proposal, output and groups.
fn plan<'s>(s: &'s Scenario, spec: &Spec) -> Result<Plan<'s>, Problem> {
    if s.protocol.dynamic().is_some() {
        return Err(problem(
            Part::Scenario,
            format!(
                "sensitivity analysis supports the ratify protocol; this scenario plays {}",
                s.protocol.name()
            ),
        ));
    }
    let k = s.proposal_index(&spec.proposal).ok_or_else(|| {
        let known: Vec<&str> = s.proposals.iter().map(|p| p.name.as_str()).collect();
        problem(
            Part::Proposal,
            format!("the scenario has no proposal `{}`", spec.proposal),
        )
        .with_help(format!("proposals: {}", known.join(", ")))
    })?;
    let party = match &spec.output {
        OutputSpec::Agreement => None,
        OutputSpec::Accept(name) => Some(s.party_index(name).ok_or_else(|| {
            let known: Vec<&str> = s.parties.iter().map(|p| p.name.as_str()).collect();
            problem(Part::Output, format!("the scenario has no party `{name}`"))
                .with_help(format!("parties: {}", known.join(", ")))
        })?),
    };
    if spec.options.rounds == 0 || spec.options.rounds > crate::model::MAX_ROUNDS {
        return Err(problem(
            Part::Rounds,
            format!(
                "rounds must be from 1 to {}",
                crate::text::thousands(crate::model::MAX_ROUNDS)
            ),
        ));
    }
    let mut all = factors(s);
    if all.is_empty() {
        return Err(problem(
            Part::Scenario,
            "the scenario has no uncertain parameter and no logit party: nothing varies",
        ));
    }
    let singles = all.clone();
    for (i, g) in spec.groups.iter().enumerate() {
        let found = group(g, &singles).ok_or_else(|| {
            let known: Vec<&str> = singles
                .iter()
                .flat_map(|f| f.members.iter().map(String::as_str))
                .collect();
            problem(
                Part::Group(i),
                format!("`{g}` names no uncertain parameter (nor a path above one)"),
            )
            .with_help(format!("uncertain parameters: {}", known.join(", ")))
        })?;
        all.push(found);
    }
    let (qlo, qhi) = TORNADO_QUANTILES;
    let tornado = (0..s.uncertain.len())
        .filter(|&slot| !s.uncertain[slot].dist.is_point())
        .map(|slot| {
            let d = &s.uncertain[slot].dist;
            (slot, d.from_uniform(qlo), d.from_uniform(qhi))
        })
        .collect();
    Ok(Plan {
        scenario: s,
        ratify: Ratify::round_by_round(s, vec![s.proposals[k].deal.clone()]),
        party,
        factors: all,
        tornado,
        seed_a: spec.options.seed,
        seed_b: derive_seed(spec.options.seed, SALT_B),
        rounds: spec.options.rounds,
    })
}

/// Runs the analysis `spec` asks of scenario `s`; `progress` gets the rounds done.
pub fn analyse(
    s: &Scenario,
    spec: &Spec,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<SensitivityReport, Problem> {
    let plan = plan(s, spec)?;
    let runner = Runner::new(s, spec.options);
    let blocks = block_count(spec.options.rounds);
    let boot_seed = derive_seed(spec.options.seed, SALT_BOOT);
    let tally = runner.on_pool(|| match spec.precision {
        None => {
            let t = plan.play_range(0..blocks);
            progress(t.rounds);
            t
        }
        Some(target) => {
            let mut total = plan.new_tally();
            let mut start = 0;
            while start < blocks {
                let end = (start + CHECK_BLOCKS).min(blocks);
                total = total.merge(plan.play_range(start..end));
                progress(total.rounds);
                start = end;
                let widest = plan.factors.iter().enumerate().map(|(f, _)| {
                    let c = &total.patterns[f];
                    let mut rng = boot_rng(boot_seed);
                    let (_, (lo, hi)) = bootstrap(c, BOOTSTRAP, &mut rng);
                    0.5 * (hi - lo)
                });
                if widest.fold(
                    0.0,
                    |m: f64, h| if h.is_nan() { f64::INFINITY } else { m.max(h) },
                ) <= target
                {
                    break;
                }
            }
            total
        }
    });
    report(s, spec, &plan, &tally, boot_seed)
}

/// The bootstrap's random stream. Every factor resamples with the same stream (common random
/// numbers, as if the rounds were resampled once for all), so two factors with the same
/// counts get the same intervals.
fn boot_rng(seed: u64) -> ChaCha8Rng {
    ChaCha8Rng::seed_from_u64(seed)
}

fn report(
    s: &Scenario,
    spec: &Spec,
    plan: &Plan,
    tally: &Tally,
    boot_seed: u64,
) -> Result<SensitivityReport, Problem> {
    let n = tally.rounds;
    let p = Estimate::from_counts(tally.base, n);
    let (ones_b, rounds_b) = match tally.patterns.first() {
        Some(c) => ((0..8).filter(|j| j & 2 != 0).map(|j| c[j]).sum::<u64>(), n),
        None => (0, n),
    };
    let pooled = (tally.base + ones_b) as f64 / (n + rounds_b).max(1) as f64;
    let variance = pooled * (1.0 - pooled);
    if variance <= 0.0 {
        let what = if pooled >= 1.0 { 1 } else { 0 };
        return Err(problem(
            Part::Scenario,
            format!(
                "{} is {what} in every one of the {} rounds of both sample sets: there is no variance to apportion",
                spec.output,
                crate::text::thousands(n)
            ),
        ));
    }
    let mut singles = Vec::new();
    let mut groups = Vec::new();
    for (f, factor) in plan.factors.iter().enumerate() {
        let c = &tally.patterns[f];
        let (first, total) = indices(c);
        let mut rng = boot_rng(boot_seed);
        let ((flo, fhi), (tlo, thi)) = bootstrap(c, BOOTSTRAP, &mut rng);
        let result = FactorResult {
            name: factor.name.clone(),
            kind: factor.kind,
            members: factor.members.clone(),
            first_order: Index::new(first, flo, fhi),
            total: Index::new(total, tlo, thi),
        };
        if factor.kind == FactorKind::Group {
            groups.push(result);
        } else {
            singles.push(result);
        }
    }
    singles.sort_by(|a, b| b.total.value.total_cmp(&a.total.value));
    let mut tornado: Vec<TornadoRow> = plan
        .tornado
        .iter()
        .enumerate()
        .map(|(t, &(slot, low, high))| {
            let end = |e: usize| {
                let [k, gained, lost] = tally.tornado[2 * t + e];
                (
                    Estimate::from_counts(k, n),
                    Change::paired(tally.base, k, gained, lost, n),
                )
            };
            let ((at_low, low_change), (at_high, high_change)) = (end(0), end(1));
            TornadoRow {
                param: s.uncertain[slot].path.clone(),
                low_value: low,
                high_value: high,
                at_low,
                at_high,
                low_change,
                high_change,
            }
        })
        .collect();
    tornado.sort_by(|a, b| b.swing().total_cmp(&a.swing()));
    let mut notes = vec![format!(
        "first order: Saltelli (2010); total effect: Jansen (1999); {BOOTSTRAP} bootstrap resamples of the rounds, 95% percentile intervals"
    )];
    for c in &s.correlations {
        let names: Vec<&str> = c
            .slots
            .iter()
            .map(|&i| s.uncertain[i].path.as_str())
            .collect();
        notes.push(format!(
            "{} are correlated: one factor, swapped jointly",
            names.join(", ")
        ));
    }
    if s.parties
        .iter()
        .any(|p| matches!(p.accept, AcceptRule::Logit { .. }))
    {
        notes.push("PARTY.accept is a logit party's random acceptance draw".into());
    }
    let per_round = 2 + plan.factors.len() as u64 + 2 * plan.tornado.len() as u64;
    Ok(SensitivityReport {
        scenario: s.name.clone(),
        protocol: s.protocol.name().to_string(),
        proposal: spec.proposal.clone(),
        output: spec.output.to_string(),
        seed: spec.options.seed,
        rounds: n,
        evaluations: n * per_round,
        bootstrap: BOOTSTRAP,
        p,
        variance,
        factors: singles.into_iter().chain(groups).collect(),
        tornado,
        notes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `WorldSampler::remix` keeps a logit party's log-odds draw with its block and rescales
    /// it to the temperature the mixed world ends up with; with nothing replaced it is the
    /// base block, to the bit.
    #[test]
    fn remixing_rescales_logit_draws_to_the_mixed_temperature() {
        use crate::sim::{PerRound, Rounds};
        let s = crate::scenario::parse(
            r#"
[scenario]
name = "t"
[clauses.x]
kind = "range"
min = 0
max = 1
[proposals.d]
x = 0.5
[parties.p]
weights = { x = 1 }
values.x = { linear = { worst = 0, best = 1 } }
reservation = { uniform = [0.3, 0.7] }
accept = { logit = { temperature = { uniform = [0.02, 0.2] } } }
"#,
            "t.toml",
            crate::scenario::Format::Toml,
        )
        .expect("a valid scenario");
        let t = s
            .uncertain
            .iter()
            .position(|u| u.path.ends_with("temperature"))
            .unwrap();
        let sampler = WorldSampler::new(&s);
        let n = 300;
        let (mut a, mut b, mut out) = (
            sampler.empty_block(),
            sampler.empty_block(),
            sampler.empty_block(),
        );
        sampler.fill(&mut block_rng(1, 0), n, &mut a);
        sampler.fill(&mut block_rng(2, 0), n, &mut b);
        let cuts = |r: &Rounds| match r.cut(0) {
            PerRound::Each(c) => c.to_vec(),
            PerRound::Fixed(_) => panic!("a logit party's cuts vary"),
        };
        let (ra, rb) = (sampler.rounds(&a, n), sampler.rounds(&b, n));
        let (ca, cb) = (cuts(&ra), cuts(&rb));
        let (ta, tb) = (ra.slot(t).to_vec(), rb.slot(t).to_vec());
        // The temperature from B, the draw from A: A's log-odds at B's temperature.
        sampler.remix(&a, n, &[(t, Column::From(&b))], &[], &mut out);
        let got = cuts(&sampler.rounds(&out, n));
        for r in 0..n {
            let want = ca[r] / ta[r] * tb[r];
            assert!((got[r] - want).abs() <= 1e-12 * want.abs().max(1.0), "{r}");
        }
        // The draw from B, the temperature from A.
        sampler.remix(&a, n, &[], &[(0, &b)], &mut out);
        let got = cuts(&sampler.rounds(&out, n));
        for r in 0..n {
            let want = cb[r] / tb[r] * ta[r];
            assert!((got[r] - want).abs() <= 1e-12 * want.abs().max(1.0), "{r}");
        }
        // Nothing replaced: A itself.
        sampler.remix(&a, n, &[], &[], &mut out);
        let same = sampler.rounds(&out, n);
        assert_eq!(cuts(&same), ca);
        for slot in 0..s.uncertain.len() {
            assert_eq!(same.slot(slot), ra.slot(slot));
        }
    }

    #[test]
    fn indices_from_pattern_counts() {
        // y_ABi = y_B in every round (the factor carries all the variance): S = ST = 1.
        // Patterns 4a + 2b + m with m = b: (0,0,0) 25, (0,1,1) 25, (1,0,0) 25, (1,1,1) 25.
        let mut c = [0u64; 8];
        c[0] = 25;
        c[3] = 25;
        c[4] = 25;
        c[7] = 25;
        let (s, t) = indices(&c);
        assert!(
            (s - 1.0).abs() < 1e-12 && (t - 1.0).abs() < 1e-12,
            "{s} {t}"
        );
        // y_ABi = y_A (no effect): S = ST = 0.
        let mut c = [0u64; 8];
        c[0] = 25;
        c[2] = 25;
        c[5] = 25;
        c[7] = 25;
        assert_eq!(indices(&c), (0.0, 0.0));
        // No variance: undefined.
        assert!(indices(&[0, 0, 0, 0, 0, 0, 0, 9]).0.is_nan());
    }

    #[test]
    fn outputs_read_as_written() {
        assert_eq!("agreement".parse(), Ok(OutputSpec::Agreement));
        assert_eq!(
            "accept:ukraine".parse(),
            Ok(OutputSpec::Accept("ukraine".into()))
        );
        for bad in ["accept:", "agree", "reject:x", ""] {
            assert!(bad.parse::<OutputSpec>().is_err(), "{bad}");
        }
        assert_eq!(OutputSpec::Accept("a".into()).to_string(), "accept:a");
    }

    #[test]
    fn the_bootstrap_is_seeded_and_brackets_the_estimate() {
        let c = [300, 100, 50, 150, 120, 30, 60, 190];
        let run = || bootstrap(&c, 500, &mut boot_rng(9));
        let ((flo, fhi), (tlo, thi)) = run();
        assert_eq!(run(), ((flo, fhi), (tlo, thi)));
        let (f, t) = indices(&c);
        assert!(
            flo < f && f < fhi && tlo < t && t < thi,
            "{flo} {f} {fhi} {tlo} {t} {thi}"
        );
    }
}
