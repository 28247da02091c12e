//! Command-line arguments (clap). Values are checked here or in the command that uses them;
//! every rejection names the flag.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

const EXAMPLES: &str = "\
Examples:
  accord run scenarios/peace-plan-2025.toml
  accord run scenarios/peace-plan-2025.toml --proposal plan_19 --rounds 1000000 --seed 7
  accord run scenarios/fearon.toml --format json -o fearon.json
  accord check scenarios/labour-contract.toml

Exit codes: 0 success, 1 runtime failure (I/O), 2 bad input or usage.";

/// Negotiation game-theory simulator: how likely each party, and all veto holders together,
/// are to accept a deal, by seeded parallel Monte Carlo.
#[derive(Debug, Parser)]
#[command(name = "accord", version, about, after_help = EXAMPLES, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Simulate a scenario's protocol and report acceptance probabilities.
    #[command(after_help = EXAMPLES)]
    Run(RunArgs),
    /// Validate a scenario and print what it contains.
    Check(CheckArgs),
}

/// Flags shared by commands that simulate.
#[derive(Debug, Clone, Args)]
pub struct SimArgs {
    /// Monte Carlo rounds [default: the scenario's [simulation] rounds, else 100000].
    #[arg(long, value_name = "N", value_parser = parse_rounds)]
    pub rounds: Option<u64>,
    /// Master seed [default: the scenario's [simulation] seed, else 1].
    #[arg(long, value_name = "S")]
    pub seed: Option<u64>,
    /// Worker threads [default: all cores]. Results do not depend on it.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=1024))]
    pub threads: Option<u16>,
}

/// Output flags.
#[derive(Debug, Clone, Args)]
pub struct OutputArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = FormatArg::Table)]
    pub format: FormatArg,
    /// Write to this file instead of stdout (replaced atomically).
    #[arg(short = 'o', long = "output", value_name = "PATH")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct RunArgs {
    /// Scenario file (.toml, or .json).
    pub file: PathBuf,
    /// Evaluate only this proposal (repeat for several) [default: the [protocol] list, else all].
    #[arg(short = 'p', long = "proposal", value_name = "NAME")]
    pub proposals: Vec<String>,
    #[command(flatten)]
    pub sim: SimArgs,
    #[command(flatten)]
    pub out: OutputArgs,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Scenario file (.toml, or .json).
    pub file: PathBuf,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    Table,
    Json,
    Csv,
}

impl From<FormatArg> for crate::report::Format {
    fn from(f: FormatArg) -> Self {
        match f {
            FormatArg::Table => crate::report::Format::Table,
            FormatArg::Json => crate::report::Format::Json,
            FormatArg::Csv => crate::report::Format::Csv,
        }
    }
}

fn parse_rounds(s: &str) -> Result<u64, String> {
    let cleaned: String = s.chars().filter(|c| *c != '_' && *c != ',').collect();
    match cleaned.parse::<u64>() {
        Ok(0) => Err("must be at least 1".into()),
        Ok(n) => Ok(n),
        Err(_) => Err(format!("`{s}` is not a whole number of rounds (for example 100000)")),
    }
}
