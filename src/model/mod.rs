//! The validated domain: clauses, deals, value functions, parties, distributions and the
//! scenario that holds them. Nothing here does I/O; `crate::scenario` builds these types from
//! files and is the only place that checks user input.

pub mod basis;
pub mod clause;
pub mod dist;
pub mod dynamic;
pub mod param;
pub mod party;
pub mod pie;
pub mod rule;
pub mod scenario;
pub mod space;
pub mod value_fn;

pub use basis::{Basis, Note, PartyBasis, Standing};
pub use clause::{Clause, ClauseError, ClauseKind, Negotiable};
pub use dist::Dist;
pub use dynamic::{
    DEFAULT_DEADLINE, DynamicError, DynamicSpec, Event, EventKind, MAX_DEADLINE,
    MAX_EQUILIBRIUM_WORK, MAX_OUTCOMES, Mediator, Negotiation, Respond, Tactic, TacticKey,
    TacticKind,
};
pub use param::{Correlation, Param, ParamDomain, UncertainParam};
pub use party::{AcceptRule, Party, Reference};
pub use pie::{BaronFerejohn, Pie};
pub use rule::Rule;
pub use scenario::{BREAKDOWN_DRAW, MAX_ROUNDS, Proposal, ProtocolSpec, Scenario, SimulationSpec};
pub use space::{DealSpace, SpaceError};
pub use value_fn::ValueFn;

/// A deal: one value per clause, indexed by clause position (choice = option index,
/// bool = 0 or 1).
pub type Deal = Vec<f64>;
