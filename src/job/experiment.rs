//! A job's variants as one experiment of the parallel runner, whatever the protocol: every
//! way of playing a job (whole, to a precision, one shard) is written once, generically, and
//! dispatched here once per call — never per round.

use std::ops::Range;

use super::{Tally, Variants};
use crate::model::Scenario;
use crate::protocol::dynamic::{DynamicResult, DynamicScratch, DynamicTally};
use crate::protocol::ratify::Detail;
use crate::protocol::{Dynamic, Ratify};
use crate::sim::{Experiment, Runner, World};

/// The experiment a job plays.
pub(super) enum Prepared<'j> {
    Deals(Ratify<'j>),
    Scenarios(Points<'j>),
}

impl<'j> Prepared<'j> {
    pub(super) fn new(
        worlds: &'j Scenario,
        variants: &'j Variants,
        detail: Option<&Detail>,
    ) -> Self {
        match variants {
            Variants::Deals { deals, reservation } => {
                let mut ratify = Ratify::new(worlds, deals.clone());
                if let Some(axis) = reservation {
                    ratify = ratify.with_reservation(axis.clone());
                }
                if let Some(d) = detail {
                    ratify = ratify.with_detail(d.clone());
                }
                Prepared::Deals(ratify)
            }
            Variants::Scenarios(points) => Prepared::Scenarios(Points {
                points: points.iter().filter_map(Dynamic::new).collect(),
            }),
        }
    }

    pub(super) fn new_tally(&self) -> Tally {
        match self {
            Prepared::Deals(e) => Tally::Deals(e.new_tally()),
            Prepared::Scenarios(e) => Tally::Scenarios(e.new_tally()),
        }
    }

    /// Plays `blocks`, stopping at the first block boundary where every agreement
    /// probability's half-width is at most `target` (if given); the tally and its rounds.
    pub(super) fn play(
        &self,
        runner: &Runner,
        blocks: Range<u64>,
        target: Option<f64>,
        progress: &(dyn Fn(u64) + Sync),
    ) -> (Tally, u64) {
        match self {
            Prepared::Deals(e) => {
                let (t, n) = play_blocks(runner, e, blocks, target, progress);
                (Tally::Deals(t), n)
            }
            Prepared::Scenarios(e) => {
                let (t, n) = play_blocks(runner, e, blocks, target, progress);
                (Tally::Scenarios(t), n)
            }
        }
    }

    /// The largest 95% half-width of an agreement probability in `tally` (NaN for a tally
    /// of another kind).
    pub(super) fn max_half_width(&self, tally: &Tally) -> f64 {
        let width = match (self, tally) {
            (Prepared::Deals(e), Tally::Deals(t)) => e.max_half_width(t),
            (Prepared::Scenarios(e), Tally::Scenarios(t)) => e.max_half_width(t),
            _ => None,
        };
        width.unwrap_or(f64::NAN)
    }
}

/// Plays `blocks` of `experiment` with the runner's fold for the stopping rule asked for.
fn play_blocks<E: Experiment>(
    runner: &Runner,
    experiment: &E,
    blocks: Range<u64>,
    target: Option<f64>,
    progress: &(dyn Fn(u64) + Sync),
) -> (E::Tally, u64) {
    let done = match target {
        None => runner.run_all(experiment, blocks, progress),
        Some(h) => {
            let stop = |t: &E::Tally| experiment.max_half_width(t).is_some_and(|w| w <= h);
            runner.run_blocks(experiment, blocks, &stop, progress)
        }
    };
    (done.tally, done.rounds)
}

/// Several dynamic protocols (a parameter sweep's points, or one scenario's own play), each
/// played in every world.
pub(super) struct Points<'j> {
    points: Vec<Dynamic<'j>>,
}

impl Points<'_> {
    pub(super) fn len(&self) -> usize {
        self.points.len()
    }

    /// Each point's estimates.
    pub(super) fn summarise(&self, tallies: &[DynamicTally]) -> Vec<DynamicResult> {
        self.points
            .iter()
            .zip(tallies)
            .map(|(d, t)| d.summarise(t))
            .collect()
    }
}

impl Experiment for Points<'_> {
    type Tally = Vec<DynamicTally>;
    type Scratch = Vec<DynamicScratch>;

    fn new_tally(&self) -> Vec<DynamicTally> {
        self.points.iter().map(|d| d.new_tally()).collect()
    }

    fn new_scratch(&self) -> Vec<DynamicScratch> {
        self.points.iter().map(|d| d.new_scratch()).collect()
    }

    fn play(
        &self,
        world: &World,
        scratch: &mut Vec<DynamicScratch>,
        tally: &mut Vec<DynamicTally>,
    ) {
        for ((d, sc), t) in self.points.iter().zip(scratch).zip(tally) {
            d.play(world, sc, t);
        }
    }

    fn merge(&self, into: &mut Vec<DynamicTally>, from: Vec<DynamicTally>) {
        for (a, b) in into.iter_mut().zip(from) {
            a.merge(b);
        }
    }

    fn max_half_width(&self, tally: &Vec<DynamicTally>) -> Option<f64> {
        tally
            .iter()
            .zip(&self.points)
            .filter_map(|(t, d)| d.max_half_width(t))
            .reduce(f64::max)
    }
}
