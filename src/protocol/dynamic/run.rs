//! Running a scenario's dynamic protocol: the protocol chosen from the scenario, played on the
//! parallel runner, summarised; and traces of its first rounds.

use super::alternating::AltScratch;
use super::equilibrium::EqScratch;
use super::mediated::MedScratch;
use super::result::{DynamicResult, Header, summarise};
use super::tally::DynamicTally;
use super::trace::TraceWriter;
use super::{Alternating, Equilibrium, Mediated};
use crate::model::{DynamicSpec, Mediator, ProtocolSpec, Scenario};
use crate::sim::{
    BLOCK_SIZE, Estimate, Experiment, RunOptions, Runner, World, WorldSampler, block_rng,
};

/// The dynamic protocol of a scenario, ready to run.
pub enum Dynamic<'a> {
    Alternating(Alternating<'a>),
    Mediated(Mediated<'a>),
    Equilibrium(Equilibrium<'a>),
}

impl<'a> Dynamic<'a> {
    /// The scenario's protocol, if it is a dynamic one.
    pub fn new(scenario: &'a Scenario) -> Option<Self> {
        Some(match &scenario.protocol {
            ProtocolSpec::Ratify { .. } => return None,
            ProtocolSpec::Alternating { dynamic } => {
                Dynamic::Alternating(Alternating::new(scenario, dynamic))
            }
            ProtocolSpec::Mediated {
                dynamic,
                start,
                mediator,
            } => Dynamic::Mediated(Mediated::new(scenario, dynamic, *start, *mediator)),
            ProtocolSpec::Equilibrium { dynamic } => {
                Dynamic::Equilibrium(Equilibrium::new(scenario, dynamic))
            }
        })
    }

    /// The scenario's protocol, if it is a dynamic one; a mediated text starts from proposal
    /// `start` instead of the scenario's `start` (other protocols ignore it).
    pub fn starting_from(scenario: &'a Scenario, start: Option<usize>) -> Option<Self> {
        match (&scenario.protocol, start) {
            (
                ProtocolSpec::Mediated {
                    dynamic, mediator, ..
                },
                Some(start),
            ) => Some(Dynamic::Mediated(Mediated::new(
                scenario, dynamic, start, *mediator,
            ))),
            _ => Self::new(scenario),
        }
    }

    fn scenario(&self) -> &'a Scenario {
        match self {
            Dynamic::Alternating(a) => a.scenario(),
            Dynamic::Mediated(m) => m.scenario(),
            Dynamic::Equilibrium(e) => e.scenario(),
        }
    }

    fn spec(&self) -> &'a DynamicSpec {
        match self {
            Dynamic::Alternating(a) => a.spec(),
            Dynamic::Mediated(m) => m.spec(),
            Dynamic::Equilibrium(e) => e.spec(),
        }
    }

    /// Plays every round and returns the merged tally.
    pub fn tally(&self, options: RunOptions, progress: &(dyn Fn(u64) + Sync)) -> DynamicTally {
        let runner = Runner::new(self.scenario(), options);
        match self {
            Dynamic::Alternating(a) => runner.run(a, progress),
            Dynamic::Mediated(m) => runner.run(m, progress),
            Dynamic::Equilibrium(e) => runner.run(e, progress),
        }
    }

    /// Plays every round and summarises them.
    pub fn run(&self, options: RunOptions, progress: &(dyn Fn(u64) + Sync)) -> DynamicResult {
        let tally = self.tally(options, progress);
        self.summarise(&tally, options.seed)
    }

    /// Estimates from a tally of this protocol.
    pub fn summarise(&self, tally: &DynamicTally, seed: u64) -> DynamicResult {
        let scenario = self.scenario();
        let spec = self.spec();
        let (protocol, negotiators, mediator, start, layout) = match self {
            Dynamic::Alternating(a) => ("alternating", spec.order.clone(), None, None, &a.layout),
            Dynamic::Equilibrium(e) => ("equilibrium", spec.order.clone(), None, None, &e.layout),
            Dynamic::Mediated(m) => (
                "mediated",
                m.voters(),
                Some(match m.mediator() {
                    Mediator::Party(p) => scenario.parties[p].name.clone(),
                    Mediator::Neutral => "neutral".to_string(),
                }),
                Some(scenario.proposals[m.start()].name.clone()),
                &m.layout,
            ),
        };
        let header = Header {
            scenario,
            protocol,
            seed,
            deadline: spec.deadline,
            breakdown: spec.breakdown,
            negotiators,
            mediator,
            start,
            concessions: matches!(self, Dynamic::Mediated(_)),
        };
        summarise(header, layout, tally)
    }

    /// The step-by-step play of the first `n` rounds (at most `rounds`) under `seed`, as
    /// JSON lines.
    pub fn trace(&self, seed: u64, n: u64) -> Vec<String> {
        let scenario = self.scenario();
        trace_rounds(scenario, seed, n, |world, rec| match self {
            Dynamic::Alternating(a) => a.trace_round(world, rec),
            Dynamic::Mediated(m) => m.trace_round(world, rec),
            Dynamic::Equilibrium(e) => e.trace_round(world, rec),
        })
    }
}

/// 95% half-width of the agreement probability in `tally` (Wilson; 0.5 before any round).
pub fn agreement_half_width(tally: &DynamicTally) -> f64 {
    Estimate::from_counts(tally.endings[0], tally.rounds).half_width()
}

/// Working memory of whichever protocol a [`Dynamic`] holds.
pub enum DynamicScratch {
    Alternating(AltScratch),
    Mediated(MedScratch),
    Equilibrium(EqScratch),
}

/// A dynamic protocol as an experiment of the parallel runner, whichever it is (precision
/// mode, shards and sweeps drive it through this; each round dispatches once on the kind).
impl Experiment for Dynamic<'_> {
    type Tally = DynamicTally;
    type Scratch = DynamicScratch;

    fn new_tally(&self) -> DynamicTally {
        match self {
            Dynamic::Alternating(a) => a.new_tally(),
            Dynamic::Mediated(m) => m.new_tally(),
            Dynamic::Equilibrium(e) => e.new_tally(),
        }
    }

    fn new_scratch(&self) -> DynamicScratch {
        match self {
            Dynamic::Alternating(a) => DynamicScratch::Alternating(a.new_scratch()),
            Dynamic::Mediated(m) => DynamicScratch::Mediated(m.new_scratch()),
            Dynamic::Equilibrium(e) => DynamicScratch::Equilibrium(e.new_scratch()),
        }
    }

    #[inline]
    fn play(&self, world: &World, scratch: &mut DynamicScratch, tally: &mut DynamicTally) {
        match (self, scratch) {
            (Dynamic::Alternating(a), DynamicScratch::Alternating(s)) => a.play(world, s, tally),
            (Dynamic::Mediated(m), DynamicScratch::Mediated(s)) => m.play(world, s, tally),
            (Dynamic::Equilibrium(e), DynamicScratch::Equilibrium(s)) => e.play(world, s, tally),
            _ => unreachable!("scratch made by new_scratch of the same protocol"),
        }
    }

    fn merge(&self, into: &mut DynamicTally, from: DynamicTally) {
        into.merge(from);
    }

    fn max_half_width(&self, tally: &DynamicTally) -> Option<f64> {
        Some(agreement_half_width(tally))
    }
}

/// Replays the worlds of rounds `0..n` under `seed` in order (the runner's seed contract:
/// block `r / BLOCK_SIZE`, position `r % BLOCK_SIZE`) and lets `play` trace each.
pub fn trace_rounds(
    scenario: &Scenario,
    seed: u64,
    n: u64,
    play: impl Fn(&World, &mut TraceWriter<'_>),
) -> Vec<String> {
    let sampler = WorldSampler::new(scenario);
    let mut world = sampler.empty_world();
    let mut draws = sampler.empty_block();
    let mut lines = Vec::new();
    for round in 0..n {
        if round % BLOCK_SIZE == 0 {
            let mut rng = block_rng(seed, round / BLOCK_SIZE);
            sampler.fill(&mut rng, BLOCK_SIZE as usize, &mut draws);
        }
        sampler.load(&draws, (round % BLOCK_SIZE) as usize, &mut world);
        let mut rec = TraceWriter {
            scenario,
            round,
            lines: &mut lines,
        };
        play(&world, &mut rec);
    }
    lines
}
