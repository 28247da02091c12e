//! Sampling worlds: every uncertain parameter of every party for each round of a block, plus
//! the random part of each party's acceptance rule.
//!
//! A block's worlds are drawn together, parameter by parameter ([`WorldSampler::fill`]), so
//! the choice of distribution and method is made once per block rather than once per draw.
//! A round then reads its world out of the block ([`WorldSampler::load`]), or an experiment
//! that evaluates many rounds side by side reads the block parameter by parameter
//! ([`WorldSampler::rounds`]).

use super::seed::BLOCK_SIZE;
use crate::model::{AcceptRule, Param, Scenario};
use crate::numeric::fastmath::ln;
use crate::numeric::lanes::map_in_place;
use crate::numeric::stream::Stream;
use crate::numeric::ziggurat::normals;

/// Rounds per block, as an index bound.
const BLOCK: usize = BLOCK_SIZE as usize;

/// Distance between parameters in a [`WorldBlock`]: a block plus one cache line, so the
/// parameters a round reads do not all fall in the same cache sets (a multiple of 4 KiB
/// would put them there).
const STRIDE: usize = BLOCK + 8;

/// The concrete parameters of one round. Reused across rounds: loading overwrites it.
#[derive(Debug, Clone)]
pub struct World {
    /// Sampled value of each uncertain parameter, by slot.
    pub slots: Vec<f64>,
    /// Normalised weights, party-major: party `p`'s weights are `weights[p*C..(p+1)*C]`.
    pub weights: Vec<f64>,
    /// Reservation utility per party.
    pub reservation: Vec<f64>,
    /// A party accepts a deal when its margin is at least this: 0 under the threshold rule,
    /// `T·ln(u/(1-u))` for a uniform `u` under the logit rule (which makes
    /// `P(accept) = 1/(1+exp(-margin/T))`). Drawn once per round, so every deal in a round
    /// faces the same draw (common random numbers).
    pub accept_cut: Vec<f64>,
    clauses: usize,
}

impl World {
    /// Party `p`'s normalised weights.
    #[inline(always)]
    pub fn weights_of(&self, p: usize) -> &[f64] {
        &self.weights[p * self.clauses..(p + 1) * self.clauses]
    }
}

/// The draws of one block of rounds, parameter-major.
#[derive(Debug, Clone)]
pub struct WorldBlock {
    /// Slot `s` of round `r` at `s * STRIDE + r`.
    slots: Vec<f64>,
    /// Party `p`'s acceptance cut in round `r` at `p * STRIDE + r` (logit parties only).
    cuts: Vec<f64>,
    /// The reciprocal of the `q`-th party with uncertain weights' weight total in round `r`,
    /// at `q * STRIDE + r`: its weights, normalised, are the sampled ones times this.
    inverse_total: Vec<f64>,
    /// A correlation group's standard normals, then its correlated normals; a weight total.
    normals: Vec<f64>,
    mixed: Vec<f64>,
    scratch: Vec<f64>,
}

/// Draws worlds for a scenario in a fixed order of random numbers. Within a block: each
/// independent parameter for every round (by slot), then each correlation group (its first
/// normal for every round, then its second, in matrix order), then each logit party's
/// acceptance draws.
#[derive(Debug, Clone)]
pub struct WorldSampler<'a> {
    scenario: &'a Scenario,
    independent: Vec<usize>,
    /// Parties whose weights are uncertain, so must be renormalised every round (the others'
    /// are normalised once, in [`WorldSampler::new`]).
    uncertain_weights: Vec<usize>,
    /// Logit parties and their temperatures.
    logit: Vec<(usize, Param)>,
    /// Normalised weights of the parties whose weights are fixed (party-major, one row per
    /// party; zeros for the others).
    fixed_weights: Vec<f64>,
}

impl<'a> WorldSampler<'a> {
    pub fn new(scenario: &'a Scenario) -> Self {
        let grouped: Vec<usize> = scenario
            .correlations
            .iter()
            .flat_map(|c| c.slots.iter().copied())
            .collect();
        let independent = (0..scenario.uncertain.len())
            .filter(|s| !grouped.contains(s))
            .collect();
        let uncertain_weights: Vec<usize> = (0..scenario.parties.len())
            .filter(|&p| scenario.parties[p].weights.iter().any(|w| w.is_uncertain()))
            .collect();
        let logit = scenario
            .parties
            .iter()
            .enumerate()
            .filter_map(|(p, party)| match party.accept {
                AcceptRule::Logit { temperature } => Some((p, temperature)),
                AcceptRule::Threshold => None,
            })
            .collect();
        let c = scenario.clauses.len();
        let mut fixed_weights = vec![0.0; scenario.parties.len() * c];
        for (p, party) in scenario.parties.iter().enumerate() {
            if !uncertain_weights.contains(&p) {
                party.normalised_weights(&[], &mut fixed_weights[p * c..(p + 1) * c]);
            }
        }
        WorldSampler {
            scenario,
            independent,
            uncertain_weights,
            logit,
            fixed_weights,
        }
    }

    /// A world sized for this scenario, to be filled by [`WorldSampler::load`].
    pub fn empty_world(&self) -> World {
        let s = self.scenario;
        let parties = s.parties.len();
        World {
            slots: vec![0.0; s.uncertain.len()],
            weights: self.fixed_weights.clone(),
            reservation: vec![0.0; parties],
            accept_cut: vec![0.0; parties],
            clauses: s.clauses.len(),
        }
    }

    /// Storage for one block's draws.
    pub fn empty_block(&self) -> WorldBlock {
        let s = self.scenario;
        let largest_group = s
            .correlations
            .iter()
            .map(|c| c.slots.len())
            .max()
            .unwrap_or(0);
        WorldBlock {
            slots: vec![0.0; s.uncertain.len() * STRIDE],
            cuts: vec![0.0; s.parties.len() * STRIDE],
            inverse_total: vec![0.0; self.uncertain_weights.len() * STRIDE],
            normals: vec![0.0; largest_group * STRIDE],
            mixed: vec![0.0; largest_group.max(1) * STRIDE],
            scratch: vec![0.0; BLOCK],
        }
    }

    /// Draws the worlds of the first `rounds` rounds (at most a block) of `block` from `rng`.
    pub fn fill(&self, rng: &mut Stream, rounds: usize, block: &mut WorldBlock) {
        assert!(rounds <= BLOCK, "a block holds at most {BLOCK} rounds");
        let s = self.scenario;
        for &slot in &self.independent {
            let out = &mut block.slots[slot * STRIDE..slot * STRIDE + rounds];
            s.uncertain[slot].dist.fill(rng, out);
        }
        for group in &s.correlations {
            let k = group.slots.len();
            for j in 0..k {
                normals(rng, &mut block.normals[j * STRIDE..j * STRIDE + rounds]);
            }
            for i in 0..k {
                let mixed = &mut block.mixed[..rounds];
                mixed.fill(0.0);
                for j in 0..=i {
                    let l = group.cholesky[i * k + j];
                    let z = &block.normals[j * STRIDE..j * STRIDE + rounds];
                    for (m, &z) in mixed.iter_mut().zip(z) {
                        *m += l * z;
                    }
                }
                let slot = group.slots[i];
                let out = &mut block.slots[slot * STRIDE..slot * STRIDE + rounds];
                let scratch = &mut block.scratch[..rounds];
                s.uncertain[slot]
                    .dist
                    .fill_from_normal(&block.mixed[..rounds], out, scratch);
            }
        }
        for &(p, temperature) in &self.logit {
            let cuts = &mut block.cuts[p * STRIDE..p * STRIDE + rounds];
            rng.uniforms(cuts);
            match temperature {
                Param::Fixed(t) => map_in_place(cuts, move |u| ln(u / (1.0 - u)) * t),
                Param::Slot(slot) => {
                    map_in_place(cuts, |u| ln(u / (1.0 - u)));
                    let ts = &block.slots[slot * STRIDE..slot * STRIDE + rounds];
                    cuts.iter_mut().zip(ts).for_each(|(c, t)| *c *= t);
                }
            }
        }
        self.derive(rounds, block);
    }

    /// What follows from the draws: the factor that normalises each uncertain party's weights
    /// (as [`crate::model::Party::normalised_weights`] computes it, adding in the same
    /// order), for every round at once. The normalised weights themselves are the products,
    /// formed where they are read.
    fn derive(&self, rounds: usize, block: &mut WorldBlock) {
        let s = self.scenario;
        let WorldBlock {
            slots,
            inverse_total,
            ..
        } = block;
        let param = |p: Param| match p {
            Param::Fixed(v) => PerRound::Fixed(v),
            Param::Slot(slot) => PerRound::Each(&slots[slot * STRIDE..slot * STRIDE + rounds]),
        };
        for (q, &p) in self.uncertain_weights.iter().enumerate() {
            let total = &mut inverse_total[q * STRIDE..q * STRIDE + rounds];
            total.fill(0.0);
            for &w in &s.parties[p].weights {
                param(w).add_to(total);
            }
            for t in total.iter_mut() {
                // Sampling can drive every weight to 0; the party then cares about nothing.
                *t = if *t > 0.0 { 1.0 / *t } else { 0.0 };
            }
        }
    }

    /// Sets `world` to round `r` of a block filled by [`WorldSampler::fill`].
    #[inline]
    pub fn load(&self, block: &WorldBlock, r: usize, world: &mut World) {
        let gather = |out: &mut [f64], from: &[f64]| {
            for (i, o) in out.iter_mut().enumerate() {
                *o = from[i * STRIDE + r];
            }
        };
        gather(&mut world.slots, &block.slots);
        for (res, party) in world.reservation.iter_mut().zip(&self.scenario.parties) {
            *res = party.reservation.get(&world.slots);
        }
        let c = self.scenario.clauses.len();
        for (q, &p) in self.uncertain_weights.iter().enumerate() {
            let inverse = block.inverse_total[q * STRIDE + r];
            let raw = &self.scenario.parties[p].weights;
            for (o, w) in world.weights[p * c..(p + 1) * c].iter_mut().zip(raw) {
                *o = w.get(&world.slots) * inverse;
            }
        }
        for &(p, _) in &self.logit {
            world.accept_cut[p] = block.cuts[p * STRIDE + r];
        }
    }

    /// Round `round` of a run under `seed`, by the runner's contract (block
    /// `round / BLOCK_SIZE`, position `round % BLOCK_SIZE`). Draws the whole block: for
    /// tests and one-off replays, not for loops over rounds.
    pub fn world_of(&self, seed: u64, round: u64) -> World {
        let mut block = self.empty_block();
        let mut rng = super::seed::block_rng(seed, round / BLOCK_SIZE);
        self.fill(&mut rng, BLOCK, &mut block);
        let mut world = self.empty_world();
        self.load(&block, (round % BLOCK_SIZE) as usize, &mut world);
        world
    }

    /// How many random draws a round takes at least (one per independent parameter, one per
    /// correlated parameter, one per logit party): the size of the random-number bound.
    pub fn draws_per_round(&self) -> usize {
        self.scenario.uncertain.len() + self.logit.len()
    }
}

/// Where a recombined block's parameter comes from ([`WorldSampler::remix`]).
#[derive(Debug, Clone, Copy)]
pub enum Column<'b> {
    /// The same parameter's draws in another block (filled by the same sampler).
    From(&'b WorldBlock),
    /// One value in every round (a parameter held at a quantile).
    Value(f64),
    /// These values, one per round (draws transformed by the caller).
    Each(&'b [f64]),
}

/// Recombining blocks: the hook for analyses that need worlds which differ from the sampled
/// ones in chosen parameters only — Sobol's mixed matrices (parameter `i` from a second,
/// independent block), a parameter held at a quantile on common random numbers, or draws
/// moved to another distribution by their quantiles (calibration).
impl WorldSampler<'_> {
    /// Makes `out` the first `rounds` rounds of `base` with the uncertain parameters in
    /// `slots` taken from their [`Column`]s and the logit acceptance draws of the parties in
    /// `cuts` taken from other blocks, then derives what follows from the draws (each party's
    /// weight normaliser). A logit party's cut is its log-odds draw times the round's
    /// temperature, so when the temperature is uncertain the cut is rescaled to the
    /// temperature `out` ends up with: the log-odds draw stays the one of its block.
    pub fn remix(
        &self,
        base: &WorldBlock,
        rounds: usize,
        slots: &[(usize, Column)],
        cuts: &[(usize, &WorldBlock)],
        out: &mut WorldBlock,
    ) {
        assert!(rounds <= BLOCK, "a block holds at most {BLOCK} rounds");
        let s = self.scenario;
        for slot in 0..s.uncertain.len() {
            let at = slot * STRIDE..slot * STRIDE + rounds;
            out.slots[at.clone()].copy_from_slice(&base.slots[at]);
        }
        for &(slot, column) in slots {
            let at = slot * STRIDE..slot * STRIDE + rounds;
            match column {
                Column::From(other) => out.slots[at.clone()].copy_from_slice(&other.slots[at]),
                Column::Value(v) => out.slots[at].fill(v),
                Column::Each(values) => out.slots[at].copy_from_slice(&values[..rounds]),
            }
        }
        for &(p, temperature) in &self.logit {
            let at = p * STRIDE..p * STRIDE + rounds;
            let source = cuts
                .iter()
                .find(|(q, _)| *q == p)
                .map_or(base, |(_, block)| *block);
            out.cuts[at.clone()].copy_from_slice(&source.cuts[at.clone()]);
            if let Param::Slot(t) = temperature {
                let was = &source.slots[t * STRIDE..t * STRIDE + rounds];
                let now = &out.slots[t * STRIDE..t * STRIDE + rounds];
                for ((c, &was), &now) in out.cuts[at].iter_mut().zip(was).zip(now) {
                    if was != now {
                        *c = *c / was * now;
                    }
                }
            }
        }
        self.derive(rounds, out);
    }
}

/// Column-by-column views of a block's worlds, for experiments that evaluate many rounds
/// at once ([`crate::sim::Experiment::play_block`]).
impl WorldSampler<'_> {
    /// The first `len` rounds of a block filled by [`WorldSampler::fill`].
    pub fn rounds<'b>(&'b self, block: &'b WorldBlock, len: usize) -> Rounds<'b> {
        Rounds {
            source: Source::Block {
                sampler: self,
                block,
            },
            len,
        }
    }
}

/// Some rounds' worlds seen parameter by parameter: each parameter's values over the rounds,
/// as one value when it is fixed.
#[derive(Clone, Copy)]
pub struct Rounds<'b> {
    source: Source<'b>,
    len: usize,
}

#[derive(Clone, Copy)]
enum Source<'b> {
    Block {
        sampler: &'b WorldSampler<'b>,
        block: &'b WorldBlock,
    },
    One(&'b World),
}

impl<'b> Rounds<'b> {
    /// A single round's world as a run of one round.
    pub fn one(world: &'b World) -> Self {
        Rounds {
            source: Source::One(world),
            len: 1,
        }
    }

    /// How many rounds.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether there are no rounds.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Uncertain parameter `slot` in every round.
    #[inline]
    pub fn slot(&self, slot: usize) -> &'b [f64] {
        match self.source {
            Source::Block { block, .. } => &block.slots[slot * STRIDE..slot * STRIDE + self.len],
            Source::One(world) => std::slice::from_ref(&world.slots[slot]),
        }
    }

    /// A parameter in every round.
    #[inline]
    pub fn param(&self, p: Param) -> PerRound<'b> {
        match p {
            Param::Fixed(v) => PerRound::Fixed(v),
            Param::Slot(slot) => PerRound::Each(self.slot(slot)),
        }
    }

    /// Party `p`'s normalised weight on clause `i` in every round.
    #[inline]
    pub fn weight(&self, p: usize, i: usize) -> Weight<'b> {
        match self.source {
            Source::Block { sampler, block } => {
                match sampler.uncertain_weights.iter().position(|&q| q == p) {
                    Some(q) => Weight::Scaled(
                        self.param(sampler.scenario.parties[p].weights[i]),
                        &block.inverse_total[q * STRIDE..q * STRIDE + self.len],
                    ),
                    None => {
                        let c = sampler.scenario.clauses.len();
                        Weight::Fixed(sampler.fixed_weights[p * c + i])
                    }
                }
            }
            Source::One(world) => Weight::Fixed(world.weights_of(p)[i]),
        }
    }

    /// Party `p`'s reservation utility in every round.
    #[inline]
    pub fn reservation(&self, p: usize) -> PerRound<'b> {
        match self.source {
            Source::Block { sampler, .. } => self.param(sampler.scenario.parties[p].reservation),
            Source::One(world) => PerRound::Each(std::slice::from_ref(&world.reservation[p])),
        }
    }

    /// Party `p`'s acceptance cut (see [`World::accept_cut`]) in every round.
    #[inline]
    pub fn cut(&self, p: usize) -> PerRound<'b> {
        match self.source {
            Source::Block { sampler, block } => match sampler.scenario.parties[p].accept {
                AcceptRule::Logit { .. } => {
                    PerRound::Each(&block.cuts[p * STRIDE..p * STRIDE + self.len])
                }
                AcceptRule::Threshold => PerRound::Fixed(0.0),
            },
            Source::One(world) => PerRound::Each(std::slice::from_ref(&world.accept_cut[p])),
        }
    }

    /// The sampled values of round `r` by slot, gathered into `buf` when they are not
    /// stored together.
    pub fn slots_at<'s>(&self, r: usize, buf: &'s mut [f64]) -> &'s [f64]
    where
        'b: 's,
    {
        match self.source {
            Source::Block { block, .. } => {
                for (s, b) in buf.iter_mut().enumerate() {
                    *b = block.slots[s * STRIDE + r];
                }
                buf
            }
            Source::One(world) => &world.slots,
        }
    }
}

/// A normalised weight over some rounds.
#[derive(Debug, Clone, Copy)]
pub enum Weight<'b> {
    /// The same in every round.
    Fixed(f64),
    /// A sampled weight (fixed or per round) times the round's normalising factor: the
    /// normalised weight is the product, `raw · factor`.
    Scaled(PerRound<'b>, &'b [f64]),
}

impl<'b> Weight<'b> {
    /// The rounds in `range` only.
    #[inline]
    pub fn range(self, range: std::ops::Range<usize>) -> Weight<'b> {
        match self {
            Weight::Fixed(w) => Weight::Fixed(w),
            Weight::Scaled(raw, factor) => Weight::Scaled(raw.range(range.clone()), &factor[range]),
        }
    }
}

/// A parameter over some rounds: one value, or one per round.
#[derive(Debug, Clone, Copy)]
pub enum PerRound<'b> {
    Fixed(f64),
    Each(&'b [f64]),
}

impl<'b> PerRound<'b> {
    /// The rounds in `range` only.
    #[inline]
    pub fn range(self, range: std::ops::Range<usize>) -> PerRound<'b> {
        match self {
            PerRound::Fixed(v) => PerRound::Fixed(v),
            PerRound::Each(xs) => PerRound::Each(&xs[range]),
        }
    }

    fn add_to(&self, out: &mut [f64]) {
        match self {
            PerRound::Fixed(v) => out.iter_mut().for_each(|o| *o += v),
            PerRound::Each(xs) => out.iter_mut().zip(*xs).for_each(|(o, x)| *o += x),
        }
    }
}
