//! The command line: arguments → validated settings → library calls → reports.

pub mod args;
mod check;
mod progress;
mod run;

pub use args::Cli;

use crate::error::Error;
use crate::model::Scenario;
use crate::scenario::suggest::did_you_mean;
use crate::sim::RunOptions;
use args::{Command, SimArgs};

/// Executes a parsed command line.
pub fn execute(cli: Cli) -> Result<(), Error> {
    match cli.command {
        Command::Run(a) => run::run(a),
        Command::Check(a) => check::check(a),
    }
}

/// Rounds, seed and threads: the flags where given, else the scenario's `[simulation]`.
fn run_options(scenario: &Scenario, sim: &SimArgs) -> RunOptions {
    RunOptions {
        rounds: sim.rounds.unwrap_or(scenario.simulation.rounds),
        seed: sim.seed.unwrap_or(scenario.simulation.seed),
        threads: sim.threads.map(usize::from),
    }
}

/// Indices of the proposals named by `--proposal` flags.
fn proposal_indices(scenario: &Scenario, names: &[String]) -> Result<Vec<usize>, Error> {
    names
        .iter()
        .map(|n| {
            scenario.proposal_index(n).ok_or_else(|| {
                let known: Vec<&str> = scenario.proposals.iter().map(|p| p.name.as_str()).collect();
                let hint = did_you_mean(n, known.iter().copied()).map(|s| format!("did you mean `{s}`? ")).unwrap_or_default();
                Error::usage(
                    format!("--proposal {n}: the scenario has no proposal `{n}`"),
                    Some(format!("{hint}proposals: {}", known.join(", "))),
                )
            })
        })
        .collect()
}
