//! The result of a sweep: what was swept, and the estimates at every point. Serialised as the
//! JSON output and (its metadata) in the CSV header comment, so `accord plot` can redraw it.

use serde::{Deserialize, Serialize};

use crate::sim::Estimate;

/// One swept dimension.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AxisInfo {
    /// `clause`, `path` or `reservation`.
    pub kind: String,
    /// Column name: the clause name, `path`, or `reservation_<party>`.
    pub name: String,
    /// Axis title for a chart, e.g. `troop_cap (troops)`.
    pub label: String,
    /// Unit of a range clause, if any.
    pub unit: Option<String>,
    /// Whether values are whole numbers (thousands separators on the ticks).
    pub integer: bool,
    /// Option names, for a choice or bool clause (values are then option indices).
    pub options: Option<Vec<String>>,
    /// The values swept, in order.
    pub values: Vec<f64>,
}

/// A named proposal that sits on a 1-D axis, for a vertical marker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Marker {
    pub name: String,
    pub x: f64,
}

/// Everything about a sweep except its estimates (the CSV carries this as a comment line).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SweepMeta {
    pub scenario: String,
    pub protocol: String,
    pub seed: u64,
    pub rounds: u64,
    /// Present in precision mode: the target and whether it was reached.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub precision: Option<crate::protocol::Precision>,
    /// The proposal the sweep starts from.
    pub base: String,
    /// Human description, e.g. `troop_cap from 600000 to 800000 in 21 steps on plan_28`.
    pub description: String,
    pub axes: Vec<AxisInfo>,
    pub markers: Vec<Marker>,
    /// Party names, in scenario order, and whether each holds a veto.
    pub parties: Vec<String>,
    pub veto: Vec<bool>,
}

/// One party's estimates at one point.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PointParty {
    pub party: String,
    pub accept: Estimate,
    /// NaN (`null` in JSON) when read back from a CSV, which does not carry it.
    #[serde(deserialize_with = "crate::sim::estimate::null_as_nan")]
    pub mean_utility: f64,
    #[serde(deserialize_with = "crate::sim::estimate::null_as_nan")]
    pub mean_margin: f64,
}

/// Estimates at one point of the sweep.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SweepPoint {
    /// One coordinate per axis.
    pub x: Vec<f64>,
    pub agreement: Estimate,
    pub parties: Vec<PointParty>,
}

/// A whole sweep.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SweepResult {
    #[serde(flatten)]
    pub meta: SweepMeta,
    /// Points in row-major order of the axes (the last axis varies fastest).
    pub points: Vec<SweepPoint>,
}
