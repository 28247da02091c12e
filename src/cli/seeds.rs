//! `accord seeds`: the same run under many seeds, and whether the spread of the estimates
//! across seeds matches the intervals each run reports.

use super::args::{SeedsArgs, seed_list};
use super::job::{self, Job, Report, Source};
use super::progress::Progress;
use super::proposal_indices;
use crate::analysis::seeds::{SeedsReport, summarise};
use crate::error::Error;
use crate::output::write_output;
use crate::report::{self, Format};
use crate::sim::RunOptions;
use crate::sim::estimate::Z95;

pub fn seeds(args: SeedsArgs) -> Result<(), Error> {
    let seeds = seed_list(&args.seeds).map_err(|m| Error::usage(format!("--seeds {m}"), None))?;
    let source = Source::read(&args.file)?;
    let scenario = source.scenario()?;
    let flagged = proposal_indices(&scenario, &args.proposals)?;
    let selection = job::run_selection(&scenario, flagged);
    let rounds = args.rounds.unwrap_or(scenario.simulation.rounds);
    let progress = Progress::new(rounds * seeds.len() as u64);
    let mut runs = Vec::with_capacity(seeds.len());
    for (i, &seed) in seeds.iter().enumerate() {
        let options = RunOptions {
            rounds,
            seed,
            threads: args.threads.map(usize::from),
        };
        let job = Job::new(&scenario, options, selection.clone())?;
        let before = i as u64 * rounds;
        match job.play(&|d| progress.update(before + d)) {
            Report::Run(r) => runs.push(r),
            Report::Sweep(_) => unreachable!("seeds runs proposals"),
        }
    }
    progress.finish();
    let report = SeedsReport {
        scenario: scenario.name.clone(),
        protocol: scenario.protocol.name().to_string(),
        rounds,
        seeds: seeds.clone(),
        estimates: summarise(&runs, Z95),
    };
    let text = match Format::from(args.out.format) {
        Format::Table => report::table::seeds_table(&report),
        Format::Json => report::json::to_json(&report),
        Format::Csv => report::csv::seeds_csv(&report),
    };
    write_output(args.out.output.as_deref(), text.as_bytes())
}
