//! The Monte Carlo engine: seeding, world sampling, the parallel block runner and estimates.

pub mod estimate;
pub mod fixed;
pub mod runner;
pub mod seed;
pub mod world;

pub use estimate::Estimate;
pub use fixed::{FixedSum, UNIT_SCALE, from_units, scaled_units_exact, to_units, units_float};
pub use runner::{Experiment, Finished, RunOptions, Runner};
pub use seed::{BLOCK_SIZE, block_rng};
pub use world::{Column, PerRound, Rounds, Weight, World, WorldBlock, WorldSampler};
