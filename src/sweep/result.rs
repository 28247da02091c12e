//! The body of a sweep's result: what was swept, and the estimates at every point.

use serde::{Deserialize, Serialize};

use crate::protocol::DealResult;
use crate::protocol::dynamic::DynamicResult;
use crate::sim::Estimate;

/// One swept dimension.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AxisInfo {
    /// `clause`, `path`, `reservation` or `param`.
    pub kind: String,
    /// Column name: the clause name, `path`, `reservation_<party>` or the parameter's name.
    pub name: String,
    /// Axis title for a chart, e.g. `troop_cap (troops)`.
    pub label: String,
    /// Unit of a range clause (or `steps` for a deadline), if any.
    pub unit: Option<String>,
    /// Whether values are whole numbers (thousands separators on the ticks).
    pub integer: bool,
    /// Option names, for a choice or bool clause (values are then option indices).
    pub options: Option<Vec<String>>,
    /// The values swept, in order.
    pub values: Vec<f64>,
}

/// A named proposal (or the scenario's own value) that sits on a 1-D axis, for a marker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Marker {
    pub name: String,
    pub x: f64,
}

/// Everything about a sweep except its estimates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SweepInfo {
    /// The proposal the sweep starts from (a mediated text's start; empty when none).
    pub base: String,
    /// Human description, e.g. `troop_cap from 600,000 to 800,000 in 21 points on plan_28`.
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
    /// NaN (`null` in JSON) when undefined: a dynamic protocol's point without agreement.
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
    pub info: SweepInfo,
    /// Points in row-major order of the axes (the last axis varies fastest).
    pub points: Vec<SweepPoint>,
}

impl SweepPoint {
    /// A ratify point: each party's acceptance, mean utility and margin of the point's deal.
    pub fn of_deal(x: Vec<f64>, r: DealResult) -> Self {
        SweepPoint {
            x,
            agreement: r.agreement,
            parties: r
                .parties
                .into_iter()
                .map(|p| PointParty {
                    party: p.party,
                    accept: p.accept,
                    mean_utility: p.mean_utility,
                    mean_margin: p.mean_margin,
                })
                .collect(),
        }
    }

    /// A dynamic protocol's point: `agreement` is the protocol's agreement probability, and
    /// so is each party's `accept` (at an agreement every party at the table has accepted
    /// the deal); `mean_utility` is the mean utility of the agreed deal (undiscounted, over
    /// rounds that agreed) and `mean_margin` that minus the party's mean reservation (over all
    /// rounds); both NaN (`null`) at a point with no agreement.
    pub fn of_dynamic(x: Vec<f64>, r: &DynamicResult) -> Self {
        let nan = |v: Option<f64>| v.unwrap_or(f64::NAN);
        SweepPoint {
            x,
            agreement: r.agreement,
            parties: r
                .parties
                .iter()
                .map(|p| PointParty {
                    party: p.party.clone(),
                    accept: r.agreement,
                    mean_utility: nan(p.mean_utility),
                    mean_margin: nan(p.mean_utility) - nan(p.mean_reservation),
                })
                .collect(),
        }
    }
}
