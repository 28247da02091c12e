//! accord: a negotiation game-theory simulator.
//!
//! Parties are agents with utilities over the clauses of a deal and an outside option; their
//! parameters are uncertain. A bargaining engine plays many seeded Monte Carlo rounds in
//! parallel under a protocol and reports how likely each party, and all veto holders
//! together, is to accept.
//!
//! Layers, from the bottom: [`model`] (validated domain), [`scenario`] (files → model),
//! [`protocol`] (one round's play), [`sim`] (seeding, sampling, parallel runs, estimates),
//! [`report`] (tables, JSON, CSV), [`cli`] (the command line).

pub mod analysis;
pub mod cli;
pub mod error;
pub mod explore;
pub mod fuzzing;
pub mod job;
pub mod model;
pub mod numeric;
pub mod output;
pub mod protocol;
pub mod report;
pub mod request;
pub mod scenario;
pub mod sim;
pub mod sweep;
pub mod text;

pub use error::Error;
