//! Sweeps: a scenario's proposal varied along one or two axes — a clause, the concession path
//! between two proposals, a party's outside option — or, for the dynamic protocols, their own
//! parameters ([`param`]); every point played on the same sampled worlds (common random
//! numbers).

pub mod axis;
pub mod param;
pub mod path;
pub mod result;

pub use axis::{AxisSpec, SweepSpec};
pub use param::{DynamicPoints, ParamPlan};
pub use result::{AxisInfo, Marker, PointParty, SweepMeta, SweepPoint, SweepResult};

use crate::error::Error;
use crate::model::{Deal, Scenario};
use crate::protocol::{Ratify, RatifyTally, ReservationAxis};
use crate::sim::{RunOptions, Runner};

/// The points of a sweep, ready to play.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub meta: SweepMeta,
    /// Coordinates of each point (one per axis), row-major.
    pub coords: Vec<Vec<f64>>,
    pub deals: Vec<Deal>,
    pub reservation: Option<ReservationAxis>,
}

/// Validates `spec` against `scenario` and lays out its points.
pub fn plan(scenario: &Scenario, spec: &SweepSpec, options: &RunOptions) -> Result<Plan, Error> {
    axis::plan(scenario, spec, options)
}

/// The experiment that plays every point of `plan` on the same worlds.
pub fn experiment<'a>(scenario: &'a Scenario, plan: &Plan) -> Ratify<'a> {
    let experiment = Ratify::new(scenario, plan.deals.clone());
    match &plan.reservation {
        Some(axis) => experiment.with_reservation(axis.clone()),
        None => experiment,
    }
}

/// The sweep's result from the experiment's tally over `rounds` rounds.
pub fn result(plan: &Plan, experiment: &Ratify, tally: &RatifyTally, rounds: u64) -> SweepResult {
    let names: Vec<String> = (0..plan.deals.len()).map(|k| k.to_string()).collect();
    let points = experiment
        .summarise(tally, &names)
        .into_iter()
        .zip(&plan.coords)
        .map(|(r, x)| SweepPoint {
            x: x.clone(),
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
        })
        .collect();
    let mut meta = plan.meta.clone();
    meta.rounds = rounds;
    SweepResult { meta, points }
}

/// Plays every point of `plan` on the same worlds; `progress` gets the rounds done so far.
pub fn run(
    scenario: &Scenario,
    plan: &Plan,
    options: RunOptions,
    progress: &(dyn Fn(u64) + Sync),
) -> SweepResult {
    let experiment = experiment(scenario, plan);
    let tally = Runner::new(scenario, options).run(&experiment, progress);
    result(plan, &experiment, &tally, options.rounds)
}
