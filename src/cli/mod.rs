//! The command line: arguments → validated settings → library calls → reports.

mod analyse;
pub mod args;
mod bargain;
mod check;
mod import;
mod job;
mod merge;
mod plot;
mod progress;
mod run;
mod seeds;
mod sweep;

pub use args::Cli;
pub use merge::merge_texts;

use crate::error::Error;
use crate::model::Scenario;
use crate::scenario::suggest::did_you_mean;
use crate::sim::RunOptions;
use args::{Command, SimArgs};

/// Parses the process's arguments and executes them (clap prints usage errors and exits
/// with code 2 itself).
pub fn main_with_args() -> Result<(), Error> {
    use clap::{CommandFactory, FromArgMatches};
    let matches = Cli::command().get_matches();
    let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    execute(cli, &matches)
}

/// Executes a parsed command line; `matches` gives the order of repeated sweep flags.
pub fn execute(cli: Cli, matches: &clap::ArgMatches) -> Result<(), Error> {
    match cli.command {
        Command::Run(a) => run::run(a),
        Command::Sweep(a) => sweep::sweep(a, matches.subcommand_matches("sweep")),
        Command::Plot(a) => plot::plot(a),
        Command::Seeds(a) => seeds::seeds(a, matches.subcommand_matches("seeds")),
        Command::Merge(a) => merge::merge(a),
        Command::Check(a) => check::check(a),
        Command::Import(args::ImportCommand::Genius(a)) => import::genius(a),
        Command::Analyse(a) => analyse::analyse(a),
    }
}

/// Rounds, seed and threads: the flags where given, else the scenario's `[simulation]`. In
/// precision mode the rounds are the cap, `--max-rounds`.
fn run_options(scenario: &Scenario, sim: &SimArgs) -> RunOptions {
    let rounds = match sim.precision {
        Some(_) => sim.max_rounds,
        None => sim.rounds.unwrap_or(scenario.simulation.rounds),
    };
    RunOptions {
        rounds,
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
                let hint = did_you_mean(n, known.iter().copied())
                    .map(|s| format!("did you mean `{s}`? "))
                    .unwrap_or_default();
                Error::usage(
                    format!("--proposal {n}: the scenario has no proposal `{n}`"),
                    Some(format!("{hint}proposals: {}", known.join(", "))),
                )
            })
        })
        .collect()
}
