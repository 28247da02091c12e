//! Sweeps: a scenario varied along one or two axes, every point played on the same sampled
//! worlds (common random numbers). Under `ratify` an axis varies the proposal put to the
//! parties — a clause, the concession path between two proposals — or a party's outside
//! option; under a dynamic protocol it varies one of the protocol's parameters ([`knob`]).
//! Either way [`plan`] checks the request and lays out the points as a job's variants.

pub mod axis;
pub mod knob;
pub mod path;
pub mod plan;
pub mod result;

pub use axis::{AxisSpec, DEFAULT_POINTS, SweepSpec};
pub use plan::{MAX_DYNAMIC_POINTS, MAX_POINTS, Plan, plan};
pub use result::{AxisInfo, Marker, PointParty, SweepInfo, SweepPoint, SweepResult};
