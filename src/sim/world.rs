//! Sampling worlds: every uncertain parameter of every party for each round of a block, plus
//! the random part of each party's acceptance rule.
//!
//! A block's worlds are drawn together, parameter by parameter ([`WorldSampler::fill`]), so
//! the choice of distribution and method is made once per block rather than once per draw;
//! each round then reads its world out of the block ([`WorldSampler::load`]).

use rand::{Rng, RngExt};
use rand_distr::{Distribution, StandardNormal};

use super::seed::BLOCK_SIZE;
use crate::model::fastmath::ln;
use crate::model::{AcceptRule, Param, Scenario};

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
    /// Normalised weight `i` of the `q`-th party with uncertain weights in round `r`, at
    /// `(q * C + i) * STRIDE + r`.
    weights: Vec<f64>,
    /// Party `p`'s reservation in round `r` at `p * STRIDE + r`.
    reservation: Vec<f64>,
    /// A correlation group's standard normals, then its correlated normals; a weight total.
    normals: Vec<f64>,
    mixed: Vec<f64>,
    scratch: Vec<f64>,
}

/// Draws worlds for a scenario in a fixed order of random numbers. Within a block: each
/// independent parameter for every round (by slot), then each correlation group (round by
/// round, the group's normals in matrix order), then each logit party's acceptance draws.
#[derive(Debug, Clone)]
pub struct WorldSampler<'a> {
    scenario: &'a Scenario,
    independent: Vec<usize>,
    /// Parties whose weights are uncertain, so must be renormalised every round (the others'
    /// are normalised once, in [`WorldSampler::empty_world`]).
    uncertain_weights: Vec<usize>,
    /// Logit parties and their temperatures.
    logit: Vec<(usize, Param)>,
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
        let uncertain_weights = (0..scenario.parties.len())
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
        WorldSampler {
            scenario,
            independent,
            uncertain_weights,
            logit,
        }
    }

    /// A world sized for this scenario, to be filled by [`WorldSampler::load`].
    pub fn empty_world(&self) -> World {
        let s = self.scenario;
        let parties = s.parties.len();
        let c = s.clauses.len();
        let mut weights = vec![0.0; parties * c];
        for (p, party) in s.parties.iter().enumerate() {
            if !self.uncertain_weights.contains(&p) {
                party.normalised_weights(&[], &mut weights[p * c..(p + 1) * c]);
            }
        }
        World {
            slots: vec![0.0; s.uncertain.len()],
            weights,
            reservation: vec![0.0; parties],
            accept_cut: vec![0.0; parties],
            clauses: c,
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
            weights: vec![0.0; self.uncertain_weights.len() * s.clauses.len() * STRIDE],
            reservation: vec![0.0; s.parties.len() * STRIDE],
            normals: vec![0.0; largest_group * STRIDE],
            mixed: vec![0.0; largest_group.max(1) * STRIDE],
            scratch: vec![0.0; BLOCK],
        }
    }

    /// Draws the worlds of the first `rounds` rounds (at most a block) of `block` from `rng`.
    pub fn fill<R: Rng + ?Sized>(&self, rng: &mut R, rounds: usize, block: &mut WorldBlock) {
        assert!(rounds <= BLOCK, "a block holds at most {BLOCK} rounds");
        let s = self.scenario;
        for &slot in &self.independent {
            let out = &mut block.slots[slot * STRIDE..slot * STRIDE + rounds];
            s.uncertain[slot].dist.fill(rng, out);
        }
        for group in &s.correlations {
            let k = group.slots.len();
            // Round by round, the group's k normals in matrix order (stored normal-major).
            for r in 0..rounds {
                for j in 0..k {
                    block.normals[j * STRIDE + r] = StandardNormal.sample(rng);
                }
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
            for cut in cuts.iter_mut() {
                *cut = rng.random();
            }
            for cut in cuts.iter_mut() {
                *cut = ln(*cut / (1.0 - *cut));
            }
            match temperature {
                Param::Fixed(t) => cuts.iter_mut().for_each(|c| *c *= t),
                Param::Slot(slot) => {
                    let ts = &block.slots[slot * STRIDE..slot * STRIDE + rounds];
                    cuts.iter_mut().zip(ts).for_each(|(c, t)| *c *= t);
                }
            }
        }
        self.derive(rounds, block);
    }

    /// The parameters that follow from the draws: normalised weights (as
    /// [`crate::model::Party::normalised_weights`] computes them, in the same order) and
    /// reservations, for every round at once.
    fn derive(&self, rounds: usize, block: &mut WorldBlock) {
        let s = self.scenario;
        let c = s.clauses.len();
        let WorldBlock {
            slots,
            weights,
            reservation,
            mixed,
            ..
        } = block;
        let param = |p: Param| match p {
            Param::Fixed(v) => PerRound::Fixed(v),
            Param::Slot(slot) => PerRound::Slot(&slots[slot * STRIDE..slot * STRIDE + rounds]),
        };
        for (q, &p) in self.uncertain_weights.iter().enumerate() {
            let party = &s.parties[p];
            let total = &mut mixed[..rounds];
            total.fill(0.0);
            for &w in &party.weights {
                param(w).add_to(total);
            }
            for t in total.iter_mut() {
                // Sampling can drive every weight to 0; the party then cares about nothing.
                *t = if *t > 0.0 { 1.0 / *t } else { 0.0 };
            }
            for (i, &w) in party.weights.iter().enumerate() {
                let at = (q * c + i) * STRIDE;
                let out = &mut weights[at..at + rounds];
                param(w).write_to(out);
                out.iter_mut().zip(total.iter()).for_each(|(o, s)| *o *= s);
            }
        }
        for (p, party) in s.parties.iter().enumerate() {
            let out = &mut reservation[p * STRIDE..p * STRIDE + rounds];
            param(party.reservation).write_to(out);
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
        gather(&mut world.reservation, &block.reservation);
        let c = self.scenario.clauses.len();
        for (q, &p) in self.uncertain_weights.iter().enumerate() {
            let from = &block.weights[q * c * STRIDE..(q + 1) * c * STRIDE];
            gather(&mut world.weights[p * c..(p + 1) * c], from);
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

/// A parameter over a block's rounds: one value, or one per round.
enum PerRound<'b> {
    Fixed(f64),
    Slot(&'b [f64]),
}

impl PerRound<'_> {
    fn add_to(&self, out: &mut [f64]) {
        match self {
            PerRound::Fixed(v) => out.iter_mut().for_each(|o| *o += v),
            PerRound::Slot(xs) => out.iter_mut().zip(*xs).for_each(|(o, x)| *o += x),
        }
    }

    fn write_to(&self, out: &mut [f64]) {
        match self {
            PerRound::Fixed(v) => out.fill(*v),
            PerRound::Slot(xs) => out.copy_from_slice(xs),
        }
    }
}
