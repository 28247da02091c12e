//! The command line: raw flags ([`args`]) → checked settings ([`settings`]) → library calls
//! → reports. Only this layer knows flag names; library errors name what they are about
//! ([`crate::error::About`]) and [`settings::Flags`] words them.

mod analyse;
pub mod args;
mod calibrate;
mod check;
mod concessions;
mod import;
mod merge;
mod plot;
mod progress;
mod report;
mod run;
mod search;
mod seeds;
mod sensitivity;
pub mod settings;
mod sweep;
mod write;

use crate::error::Error;
use crate::model::Scenario;
use crate::sim::RunOptions;
use settings::{Mode, Settings, Sim};

/// Parses the process's arguments and executes them (clap prints usage errors and exits
/// with code 2 itself).
pub fn main_with_args() -> Result<(), Error> {
    let (settings, flags) = settings::resolve(args::parse()?)?;
    // Every destination is checked before any work: a long run to a missing folder fails at
    // once, and no output is written when another cannot be.
    for path in settings.destinations() {
        crate::output::check_destination(path)?;
    }
    execute(settings).map_err(|e| flags.word(e))
}

/// Executes checked settings.
pub fn execute(settings: Settings) -> Result<(), Error> {
    match settings {
        Settings::Run(s) => run::run(s),
        Settings::Sweep(s) => sweep::sweep(s),
        Settings::Concessions(s) => concessions::concessions(s),
        Settings::Search(s) => search::search(s),
        Settings::Plot(s) => plot::plot(s),
        Settings::Report(s) => report::report(s),
        Settings::Seeds(s) => seeds::seeds(s),
        Settings::Merge(s) => merge::merge(s),
        Settings::Check(file) => check::check(&file),
        Settings::Import(a) => import::genius(a),
        Settings::Analyse(a, out) => analyse::analyse(a, out),
        Settings::Sensitivity(s) => sensitivity::sensitivity(s),
        Settings::Calibrate(c) => calibrate::calibrate(c),
    }
}

/// Rounds, seed and threads: the flags where given, else the scenario's `[simulation]`. In
/// precision mode the rounds are the cap, `--max-rounds`.
fn run_options(scenario: &Scenario, sim: &Sim) -> RunOptions {
    let rounds = match sim.mode {
        Mode::Precision { max_rounds, .. } => max_rounds,
        _ => sim.rounds.unwrap_or(scenario.simulation.rounds),
    };
    RunOptions {
        rounds,
        seed: sim.seed.unwrap_or(scenario.simulation.seed),
        threads: sim.threads,
    }
}

/// The library's mode for the settings'.
fn job_mode(mode: Mode) -> crate::job::Mode {
    match mode {
        Mode::Whole => crate::job::Mode::Whole,
        Mode::Precision { target, .. } => crate::job::Mode::Precision { target },
        Mode::Shard(s) => crate::job::Mode::Shard(s),
    }
}
