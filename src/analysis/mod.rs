//! Analyses over several runs.

pub mod seeds;
