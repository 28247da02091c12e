//! The parallel runner: blocks of rounds on a rayon pool, tallies merged exactly.
//!
//! Tallies hold only integers (counts and [`super::FixedSum`]s), so merging is associative
//! and the result is bit-identical for any thread count or shard split. Blocks are handed out
//! in chunks and folded in block order, so memory stays flat however many rounds are asked
//! for, and a stopping rule (precision mode) can end the run at the first block boundary
//! where it holds — the same boundary whatever the thread count.

use rayon::prelude::*;

use super::seed::{block_count, block_rng, rounds_in_block};
use super::world::{World, WorldBlock, WorldSampler};
use crate::model::Scenario;

/// What to do in each round and how to add it up.
pub trait Experiment: Sync {
    /// Running totals; must merge exactly (integers only).
    type Tally: Send;
    /// Per-thread working memory reused across rounds.
    type Scratch: Send;
    fn new_tally(&self) -> Self::Tally;
    fn new_scratch(&self) -> Self::Scratch;
    /// Plays one round in `world` and adds its outcome to `tally`.
    fn play(&self, world: &World, scratch: &mut Self::Scratch, tally: &mut Self::Tally);
    /// Adds `from` into `into`.
    fn merge(&self, into: &mut Self::Tally, from: Self::Tally);
    /// Called after the last round of each block: an experiment that keeps narrow running
    /// sums in its scratch (cheaper in the hot loop) moves them into the tally here.
    fn end_block(&self, _scratch: &mut Self::Scratch, _tally: &mut Self::Tally) {}
    /// The largest 95% half-width among the agreement probabilities in `tally`, for
    /// precision mode; `None` if the experiment does not report one.
    fn max_half_width(&self, _tally: &Self::Tally) -> Option<f64> {
        None
    }
}

/// How many rounds, under which seed, on how many threads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RunOptions {
    pub rounds: u64,
    pub seed: u64,
    /// Worker threads; `None` uses every core.
    pub threads: Option<usize>,
}

/// Runs an experiment over the sampled worlds of a scenario.
pub struct Runner<'a> {
    pub scenario: &'a Scenario,
    pub options: RunOptions,
}

/// Blocks per thread handed out between progress reports and stopping checks.
const CHUNK_PER_THREAD: u64 = 8;

/// A finished run: the merged tally and how many rounds it holds.
pub struct Finished<T> {
    pub tally: T,
    pub rounds: u64,
}

impl<'a> Runner<'a> {
    pub fn new(scenario: &'a Scenario, options: RunOptions) -> Self {
        Runner { scenario, options }
    }

    /// Plays every round and returns the merged tally. `progress` is called with the rounds
    /// done so far after each chunk of blocks.
    pub fn run<E: Experiment>(&self, experiment: &E, progress: &(dyn Fn(u64) + Sync)) -> E::Tally {
        let blocks = block_count(self.options.rounds);
        self.run_blocks(experiment, 0..blocks, &|_| false, progress)
            .tally
    }

    /// Plays the blocks in `range` in order (a shard, or the whole run) and stops after the
    /// first block whose running total satisfies `stop`.
    pub fn run_blocks<E: Experiment>(
        &self,
        experiment: &E,
        range: std::ops::Range<u64>,
        stop: &(dyn Fn(&E::Tally) -> bool + Sync),
        progress: &(dyn Fn(u64) + Sync),
    ) -> Finished<E::Tally> {
        let work = || {
            let sampler = WorldSampler::new(self.scenario);
            let chunk = CHUNK_PER_THREAD * rayon::current_num_threads() as u64;
            let mut total = experiment.new_tally();
            let mut done = 0;
            let mut start = range.start;
            while start < range.end {
                let end = (start + chunk).min(range.end);
                let parts: Vec<E::Tally> = (start..end)
                    .into_par_iter()
                    .map_init(
                        || {
                            let worlds = (sampler.empty_world(), sampler.empty_block());
                            (worlds, experiment.new_scratch())
                        },
                        |(worlds, scratch), block| {
                            let mut tally = experiment.new_tally();
                            self.play_block(
                                experiment, &sampler, block, worlds, scratch, &mut tally,
                            );
                            tally
                        },
                    )
                    .collect();
                for (block, part) in (start..end).zip(parts) {
                    experiment.merge(&mut total, part);
                    done += rounds_in_block(self.options.rounds, block);
                    if stop(&total) {
                        progress(done);
                        return Finished {
                            tally: total,
                            rounds: done,
                        };
                    }
                }
                progress(done);
                start = end;
            }
            Finished {
                tally: total,
                rounds: done,
            }
        };
        match self.options.threads {
            Some(n) => match rayon::ThreadPoolBuilder::new().num_threads(n).build() {
                Ok(pool) => pool.install(work),
                Err(_) => work(),
            },
            None => work(),
        }
    }

    fn play_block<E: Experiment>(
        &self,
        experiment: &E,
        sampler: &WorldSampler,
        block: u64,
        (world, draws): &mut (World, WorldBlock),
        scratch: &mut E::Scratch,
        tally: &mut E::Tally,
    ) {
        let mut rng = block_rng(self.options.seed, block);
        let rounds = rounds_in_block(self.options.rounds, block) as usize;
        sampler.fill(&mut rng, rounds, draws);
        for r in 0..rounds {
            sampler.load(draws, r, world);
            experiment.play(world, scratch, tally);
        }
        experiment.end_block(scratch, tally);
    }
}
