//! The parallel runner: blocks of rounds on a rayon pool, tallies merged exactly.
//!
//! Tallies hold only integers (counts and [`super::FixedSum`]s), so merging is associative
//! and commutative and the result is bit-identical for any thread count or shard split.
//! Without a stopping rule ([`Runner::run_all`]) each worker folds whichever blocks it takes
//! and the workers' tallies are added at the end. With one (precision mode,
//! [`Runner::run_blocks`]) blocks are handed out in chunks and folded in block order, so the
//! run ends at the first block boundary where the rule holds — the same boundary whatever the
//! thread count. Either way memory stays flat however many rounds are asked for.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use rayon::prelude::*;

use super::seed::{BLOCK_SIZE, block_count, block_rng, rounds_in_block};
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
    /// Plays every round of a block, `sampler`'s draws in `draws`: by default round by round
    /// through `world`. An experiment that can evaluate rounds side by side reads them from
    /// [`WorldSampler::rounds`] instead; the tally must be what `play` would make.
    fn play_block(
        &self,
        sampler: &WorldSampler,
        draws: &WorldBlock,
        rounds: usize,
        world: &mut World,
        scratch: &mut Self::Scratch,
        tally: &mut Self::Tally,
    ) {
        for r in 0..rounds {
            sampler.load(draws, r, world);
            self.play(world, scratch, tally);
        }
    }
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
        self.run_all(experiment, 0..blocks, progress).tally
    }

    /// Plays every block in `range` (a shard, or the whole run) with no stopping rule.
    ///
    /// Tallies merge exactly, so blocks need not be folded in order: each worker folds the
    /// blocks it takes into one tally and the workers' tallies are added at the end. No
    /// thread waits for another until then, and memory holds one tally per worker.
    /// `progress` may be called from any worker, with a running total that only grows.
    pub fn run_all<E: Experiment>(
        &self,
        experiment: &E,
        range: std::ops::Range<u64>,
        progress: &(dyn Fn(u64) + Sync),
    ) -> Finished<E::Tally> {
        let done = AtomicU64::new(0);
        let work = || {
            let sampler = WorldSampler::new(self.scenario);
            let fresh = || {
                let worlds = (sampler.empty_world(), sampler.empty_block());
                (experiment.new_tally(), worlds, experiment.new_scratch())
            };
            range
                .clone()
                .into_par_iter()
                .fold(fresh, |(mut tally, mut worlds, mut scratch), block| {
                    self.play_block(
                        experiment,
                        &sampler,
                        block,
                        &mut worlds,
                        &mut scratch,
                        &mut tally,
                    );
                    let n = rounds_in_block(self.options.rounds, block);
                    progress(done.fetch_add(n, Ordering::Relaxed) + n);
                    (tally, worlds, scratch)
                })
                .map(|(tally, _, _)| tally)
                .reduce(
                    || experiment.new_tally(),
                    |mut into, from| {
                        experiment.merge(&mut into, from);
                        into
                    },
                )
        };
        let tally = self.on_pool(work);
        Finished {
            tally,
            rounds: done.into_inner(),
        }
    }

    /// Runs `work` on a pool of the requested size (pools are built once per size and kept,
    /// so repeated runs do not pay for starting threads); analyses that play blocks their own
    /// way (sensitivity, calibration) run their parallel loops inside it.
    pub fn on_pool<T: Send>(&self, work: impl FnOnce() -> T + Send) -> T {
        match self.options.threads.and_then(pool) {
            Some(pool) => pool.install(work),
            None => work(),
        }
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
        self.on_pool(work)
    }

    /// Replays the worlds of `rounds`, one by one in order, exactly as a run draws them
    /// (for traces): `visit` gets each round's index and world. `rounds` must lie within the
    /// run's rounds. Draws one block at a time, so memory stays flat however many rounds are
    /// replayed.
    pub fn replay(&self, rounds: std::ops::Range<u64>, mut visit: impl FnMut(u64, &World)) {
        let sampler = WorldSampler::new(self.scenario);
        let mut world = sampler.empty_world();
        let mut draws = sampler.empty_block();
        let mut filled = None;
        for round in rounds {
            let block = round / BLOCK_SIZE;
            if filled != Some(block) {
                // As many rounds as the run's block holds: a short last block draws each
                // parameter for fewer rounds, which moves the later parameters' draws.
                let n = rounds_in_block(self.options.rounds, block) as usize;
                let mut rng = block_rng(self.options.seed, block);
                sampler.fill(&mut rng, n, &mut draws);
                filled = Some(block);
            }
            sampler.load(&draws, (round % BLOCK_SIZE) as usize, &mut world);
            visit(round, &world);
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
        experiment.play_block(sampler, draws, rounds, world, scratch, tally);
        experiment.end_block(scratch, tally);
    }
}

/// The pool of `threads` workers, built on first use (`None` if it cannot be built: the
/// caller then runs on the current pool).
fn pool(threads: usize) -> Option<Arc<rayon::ThreadPool>> {
    static POOLS: OnceLock<Mutex<HashMap<usize, Arc<rayon::ThreadPool>>>> = OnceLock::new();
    let mut pools = POOLS.get_or_init(Default::default).lock().ok()?;
    if let Some(p) = pools.get(&threads) {
        return Some(Arc::clone(p));
    }
    let built = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .ok()?;
    let p = Arc::new(built);
    pools.insert(threads, Arc::clone(&p));
    Some(p)
}
