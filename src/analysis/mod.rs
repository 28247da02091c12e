//! Analyses over several runs, and over the outcome space of one scenario.

pub mod bnb;
pub mod exact;
pub mod outcomes;
pub mod pareto;
pub mod seeds;
pub mod sensitivity;
pub mod solution;
pub mod space;
