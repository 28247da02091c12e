//! Protocols: how a deal is reached inside one round, given a sampled world.

pub mod dynamic;
pub mod ratify;

pub use dynamic::Dynamic;
pub use ratify::{DealResult, PartyResult, Ratify, RatifyTally, ReservationAxis, RoundOutcomes};
