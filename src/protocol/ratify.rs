//! `ratify`: fixed texts are put to every party; agreement when every veto party accepts.

use serde::{Deserialize, Serialize};

use crate::model::{Deal, Scenario};
use crate::sim::{Estimate, Experiment, FixedSum, World};

/// Ratification of several deals on the same worlds (common random numbers): the proposals
/// of a `run`, or the points of a sweep.
pub struct Ratify<'a> {
    scenario: &'a Scenario,
    deals: Vec<Deal>,
}

/// Counts and sums over rounds, deal-major (`[deal * parties + party]`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RatifyTally {
    pub rounds: u64,
    /// Rounds in which every veto party accepted, per deal.
    pub agree: Vec<u64>,
    /// Rounds in which the party accepted, per deal and party.
    pub accept: Vec<u64>,
    /// Sum of the party's utility, per deal and party.
    pub utility: Vec<FixedSum>,
    /// Sum of the party's reservation utility, per party.
    pub reservation: Vec<FixedSum>,
}

impl<'a> Ratify<'a> {
    /// Ratification of `deals` (each a value per clause of `scenario`).
    pub fn new(scenario: &'a Scenario, deals: Vec<Deal>) -> Self {
        Ratify { scenario, deals }
    }

    /// The deals evaluated, in order.
    pub fn deals(&self) -> &[Deal] {
        &self.deals
    }

    /// Estimates from a tally, with `names` labelling the deals.
    pub fn summarise(&self, tally: &RatifyTally, names: &[String]) -> Vec<DealResult> {
        let parties = &self.scenario.parties;
        let n = tally.rounds;
        names
            .iter()
            .enumerate()
            .map(|(d, name)| DealResult {
                proposal: name.clone(),
                agreement: Estimate::from_counts(tally.agree[d], n),
                parties: parties
                    .iter()
                    .enumerate()
                    .map(|(p, party)| {
                        let i = d * parties.len() + p;
                        let mean_utility = tally.utility[i].mean(n);
                        PartyResult {
                            party: party.name.clone(),
                            veto: party.veto,
                            accept: Estimate::from_counts(tally.accept[i], n),
                            mean_utility,
                            mean_margin: mean_utility - tally.reservation[p].mean(n),
                        }
                    })
                    .collect(),
            })
            .collect()
    }
}

impl Experiment for Ratify<'_> {
    type Tally = RatifyTally;
    type Scratch = ();

    fn new_tally(&self) -> RatifyTally {
        let cells = self.deals.len() * self.scenario.parties.len();
        RatifyTally {
            rounds: 0,
            agree: vec![0; self.deals.len()],
            accept: vec![0; cells],
            utility: vec![FixedSum::default(); cells],
            reservation: vec![FixedSum::default(); self.scenario.parties.len()],
        }
    }

    fn new_scratch(&self) {}

    #[inline]
    fn play(&self, world: &World, _: &mut (), tally: &mut RatifyTally) {
        let parties = &self.scenario.parties;
        tally.rounds += 1;
        for (p, r) in world.reservation.iter().enumerate() {
            tally.reservation[p].add(*r);
        }
        for (d, deal) in self.deals.iter().enumerate() {
            let mut agreed = true;
            for (p, party) in parties.iter().enumerate() {
                let u = party.utility(deal, world.weights_of(p), &world.slots);
                let accepts = u - world.reservation[p] >= world.accept_cut[p];
                let i = d * parties.len() + p;
                tally.utility[i].add(u);
                tally.accept[i] += accepts as u64;
                agreed &= accepts || !party.veto;
            }
            tally.agree[d] += agreed as u64;
        }
    }

    fn merge(&self, into: &mut RatifyTally, from: RatifyTally) {
        into.rounds += from.rounds;
        for (a, b) in into.agree.iter_mut().zip(from.agree) {
            *a += b;
        }
        for (a, b) in into.accept.iter_mut().zip(from.accept) {
            *a += b;
        }
        for (a, b) in into.utility.iter_mut().zip(from.utility) {
            a.merge(b);
        }
        for (a, b) in into.reservation.iter_mut().zip(from.reservation) {
            a.merge(b);
        }
    }
}

/// The result of a ratify run: the JSON shape users' scripts read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RatifyResult {
    pub scenario: String,
    pub protocol: String,
    pub seed: u64,
    pub rounds: u64,
    pub results: Vec<DealResult>,
}

/// One proposal's estimates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DealResult {
    pub proposal: String,
    /// Probability that every veto party accepts.
    pub agreement: Estimate,
    pub parties: Vec<PartyResult>,
}

/// One party's estimates for one proposal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PartyResult {
    pub party: String,
    pub veto: bool,
    pub accept: Estimate,
    pub mean_utility: f64,
    /// Mean utility minus mean reservation utility.
    pub mean_margin: f64,
}
