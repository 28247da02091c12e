//! `accord run`.

use super::args::RunArgs;
use super::progress::Progress;
use super::{proposal_indices, run_options};
use crate::error::Error;
use crate::model::ProtocolSpec;
use crate::output::write_output;
use crate::protocol::{Ratify, RatifyResult};
use crate::report::{self, Format};
use crate::scenario;
use crate::sim::Runner;

pub fn run(args: RunArgs) -> Result<(), Error> {
    let scenario = scenario::load(&args.file)?;
    let options = run_options(&scenario, &args.sim);
    let chosen = if !args.proposals.is_empty() {
        proposal_indices(&scenario, &args.proposals)?
    } else {
        match &scenario.protocol {
            ProtocolSpec::Ratify { proposals } if !proposals.is_empty() => proposals.clone(),
            _ => (0..scenario.proposals.len()).collect(),
        }
    };
    let deals = chosen.iter().map(|&i| scenario.proposals[i].deal.clone()).collect();
    let names: Vec<String> = chosen.iter().map(|&i| scenario.proposals[i].name.clone()).collect();
    let experiment = Ratify::new(&scenario, deals);
    let progress = Progress::new(options.rounds);
    let tally = Runner::new(&scenario, options).run(&experiment, &|done| progress.update(done));
    progress.finish();
    let result = RatifyResult {
        scenario: scenario.name.clone(),
        protocol: scenario.protocol.name().to_string(),
        seed: options.seed,
        rounds: options.rounds,
        results: experiment.summarise(&tally, &names),
    };
    let text = match Format::from(args.out.format) {
        Format::Table => report::table::ratify_table(&result),
        Format::Json => report::json::to_json(&result),
        Format::Csv => report::csv::ratify_csv(&result),
    };
    write_output(args.out.output.as_deref(), text.as_bytes())
}
