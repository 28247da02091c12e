//! `accord run`.

use super::args::RunArgs;
use super::job::{self, Job, Source};
use super::{proposal_indices, run_options};
use crate::error::Error;

pub fn run(args: RunArgs) -> Result<(), Error> {
    let source = Source::read(&args.file)?;
    let scenario = source.scenario()?;
    let options = run_options(&scenario, &args.sim);
    if scenario.protocol.dynamic().is_some() {
        return super::bargain::run(&args, &source, &scenario, options);
    }
    if args.trace.is_some() {
        return Err(Error::usage(
            "--trace: the ratify protocol has no steps to trace",
            Some(
                "--trace applies to kind = \"alternating\", \"mediated\" or \"equilibrium\"".into(),
            ),
        ));
    }
    if args.plot.is_some() {
        return Err(Error::usage(
            "--plot: a ratify run has no steps to chart",
            Some(
                "to chart acceptance of a ratified text, sweep a clause, a path between \
                 proposals or a reservation: `accord sweep FILE --clause NAME --plot PATH`"
                    .into(),
            ),
        ));
    }
    let flagged = proposal_indices(&scenario, &args.proposals)?;
    let job = Job::new(&scenario, options, job::run_selection(&scenario, flagged))?;
    job::execute(&job, &source, &args.sim, &args.out, None)
}
