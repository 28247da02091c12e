//! A scenario's dynamic protocol, whichever it is: chosen from the scenario, played as an
//! experiment of the parallel runner, summarised, and traced round by round.

use super::alternating::AltScratch;
use super::baron_ferejohn::BfScratch;
use super::equilibrium::EqScratch;
use super::mediated::MedScratch;
use super::result::{Context, DynamicResult, summarise};
use super::tally::DynamicTally;
use super::trace::TraceWriter;
use super::{Alternating, BaronFerejohnPlay, Equilibrium, Mediated};
use crate::model::{DynamicSpec, Mediator, ProtocolSpec, Scenario};
use crate::sim::{Estimate, Experiment, World};

/// The dynamic protocol of a scenario, ready to run.
pub enum Dynamic<'a> {
    Alternating(Alternating<'a>),
    Mediated(Mediated<'a>),
    Equilibrium(Equilibrium<'a>),
    BaronFerejohn(BaronFerejohnPlay<'a>),
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
            ProtocolSpec::Equilibrium { dynamic, pie } => {
                Dynamic::Equilibrium(Equilibrium::new(scenario, dynamic, pie.as_ref()))
            }
            ProtocolSpec::BaronFerejohn(bf) => {
                Dynamic::BaronFerejohn(BaronFerejohnPlay::new(scenario, bf))
            }
        })
    }

    fn scenario(&self) -> &'a Scenario {
        match self {
            Dynamic::Alternating(a) => a.scenario(),
            Dynamic::Mediated(m) => m.scenario(),
            Dynamic::Equilibrium(e) => e.scenario(),
            Dynamic::BaronFerejohn(b) => b.scenario(),
        }
    }

    fn spec(&self) -> &'a DynamicSpec {
        match self {
            Dynamic::Alternating(a) => a.spec(),
            Dynamic::Mediated(m) => m.spec(),
            Dynamic::Equilibrium(e) => e.spec(),
            Dynamic::BaronFerejohn(b) => &b.spec().dynamic,
        }
    }

    /// Estimates from a tally of this protocol.
    pub fn summarise(&self, tally: &DynamicTally) -> DynamicResult {
        let scenario = self.scenario();
        let spec = self.spec();
        let (protocol, negotiators, mediator, start, layout) = match self {
            Dynamic::Alternating(a) => {
                ("alternating", spec.order().to_vec(), None, None, &a.layout)
            }
            Dynamic::Equilibrium(e) => {
                ("equilibrium", spec.order().to_vec(), None, None, &e.layout)
            }
            Dynamic::BaronFerejohn(b) => (
                "baron_ferejohn",
                spec.order().to_vec(),
                None,
                None,
                &b.layout,
            ),
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
        let context = Context {
            scenario,
            protocol,
            deadline: spec.deadline(),
            breakdown: spec.breakdown(),
            negotiators,
            mediator,
            start,
            amendments: matches!(self, Dynamic::Mediated(_)),
        };
        let result = summarise(context, layout, tally);
        match self {
            Dynamic::BaronFerejohn(b) => result.with_baron_ferejohn(b.summary(tally)),
            _ => result,
        }
    }

    /// Plays one round in `world`, writing its steps to `trace`.
    pub fn trace_round(&self, world: &World, trace: &mut TraceWriter<'_>) {
        match self {
            Dynamic::Alternating(a) => a.trace_round(world, trace),
            Dynamic::Mediated(m) => m.trace_round(world, trace),
            Dynamic::Equilibrium(e) => e.trace_round(world, trace),
            Dynamic::BaronFerejohn(b) => b.trace_round(world, trace),
        }
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
    BaronFerejohn(BfScratch),
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
            Dynamic::BaronFerejohn(b) => b.new_tally(),
        }
    }

    fn new_scratch(&self) -> DynamicScratch {
        match self {
            Dynamic::Alternating(a) => DynamicScratch::Alternating(a.new_scratch()),
            Dynamic::Mediated(m) => DynamicScratch::Mediated(m.new_scratch()),
            Dynamic::Equilibrium(e) => DynamicScratch::Equilibrium(e.new_scratch()),
            Dynamic::BaronFerejohn(b) => DynamicScratch::BaronFerejohn(b.new_scratch()),
        }
    }

    #[inline]
    fn play(&self, world: &World, scratch: &mut DynamicScratch, tally: &mut DynamicTally) {
        match (self, scratch) {
            (Dynamic::Alternating(a), DynamicScratch::Alternating(s)) => a.play(world, s, tally),
            (Dynamic::Mediated(m), DynamicScratch::Mediated(s)) => m.play(world, s, tally),
            (Dynamic::Equilibrium(e), DynamicScratch::Equilibrium(s)) => e.play(world, s, tally),
            (Dynamic::BaronFerejohn(b), DynamicScratch::BaronFerejohn(s)) => {
                b.play(world, s, tally)
            }
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
