//! Sampling a world: every uncertain parameter of every party for one round, plus the
//! random part of each party's acceptance rule.

use rand::{Rng, RngExt};
use rand_distr::{Distribution, StandardNormal};

use crate::model::{AcceptRule, Scenario};

/// The concrete parameters of one round. Reused across rounds: sampling overwrites it.
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
    normals: Vec<f64>,
}

impl World {
    /// Party `p`'s normalised weights.
    #[inline(always)]
    pub fn weights_of(&self, p: usize) -> &[f64] {
        &self.weights[p * self.clauses..(p + 1) * self.clauses]
    }
}

/// Draws worlds for a scenario in a fixed order of random numbers: independent parameters
/// by slot, then correlation groups, then acceptance draws by party.
#[derive(Debug, Clone)]
pub struct WorldSampler<'a> {
    scenario: &'a Scenario,
    independent: Vec<usize>,
    /// Parties whose weights are uncertain, so must be renormalised every round (the others'
    /// are normalised once, in [`WorldSampler::empty_world`]).
    uncertain_weights: Vec<usize>,
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
        WorldSampler {
            scenario,
            independent,
            uncertain_weights,
        }
    }

    /// A world sized for this scenario, to be filled by [`WorldSampler::sample`].
    pub fn empty_world(&self) -> World {
        let s = self.scenario;
        let parties = s.parties.len();
        let largest_group = s
            .correlations
            .iter()
            .map(|c| c.slots.len())
            .max()
            .unwrap_or(0);
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
            clauses: s.clauses.len(),
            normals: vec![0.0; largest_group],
        }
    }

    /// Fills `world` with the next round's draws from `rng`.
    #[inline]
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R, world: &mut World) {
        let s = self.scenario;
        for &slot in &self.independent {
            world.slots[slot] = s.uncertain[slot].dist.sample(rng);
        }
        for group in &s.correlations {
            let k = group.slots.len();
            for z in world.normals[..k].iter_mut() {
                *z = StandardNormal.sample(rng);
            }
            for i in 0..k {
                let row = &group.cholesky[i * k..i * k + i + 1];
                let z: f64 = row.iter().zip(&world.normals).map(|(l, e)| l * e).sum();
                let slot = group.slots[i];
                world.slots[slot] = s.uncertain[slot].dist.from_normal(z);
            }
        }
        let c = s.clauses.len();
        for &p in &self.uncertain_weights {
            s.parties[p].normalised_weights(&world.slots, &mut world.weights[p * c..(p + 1) * c]);
        }
        for (p, party) in s.parties.iter().enumerate() {
            world.reservation[p] = party.reservation.get(&world.slots);
            world.accept_cut[p] = match &party.accept {
                AcceptRule::Threshold => 0.0,
                AcceptRule::Logit { temperature } => {
                    let u: f64 = rng.random();
                    temperature.get(&world.slots) * (u / (1.0 - u)).ln()
                }
            };
        }
    }

    /// How many random draws a round takes at least (one per independent parameter, one per
    /// correlated parameter, one per logit party): the size of the random-number bound.
    pub fn draws_per_round(&self) -> usize {
        let s = self.scenario;
        let logit = s
            .parties
            .iter()
            .filter(|p| matches!(p.accept, AcceptRule::Logit { .. }))
            .count();
        s.uncertain.len() + logit
    }
}
