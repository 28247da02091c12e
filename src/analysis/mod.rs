//! Analyses over several runs, and over the outcome space of one scenario.

pub mod outcomes;
pub mod seeds;
