//! `accord import genius`: a GENIUS (ANAC) domain and its profiles → an accord TOML scenario.

use super::args::{GeniusImportArgs, ImportProtocolArg};
use crate::analysis::outcomes::{self, Space};
use crate::error::Error;
use crate::model::{DEFAULT_DEADLINE, MAX_DEADLINE, Proposal, ProtocolSpec};
use crate::output::write_output;
use crate::scenario::genius::{self, ImportProtocol, WriteOptions};
use crate::scenario::{self, Format};

pub(super) fn genius(args: GeniusImportArgs) -> Result<(), Error> {
    if args.profiles.len() < 2 {
        return Err(Error::usage(
            format!(
                "a negotiation needs at least two profiles; got {}",
                args.profiles.len()
            ),
            Some("accord import genius DOMAIN.xml PROFILE.xml PROFILE.xml [...]".into()),
        ));
    }
    let protocol = match (args.protocol, args.deadline) {
        (ImportProtocolArg::Ratify, Some(_)) => {
            return Err(Error::usage(
                "--deadline applies to --protocol alternating",
                None,
            ));
        }
        (ImportProtocolArg::Ratify, None) => ImportProtocol::Ratify,
        (ImportProtocolArg::Alternating, d) => {
            let deadline = d.unwrap_or(DEFAULT_DEADLINE);
            if !(1..=MAX_DEADLINE).contains(&deadline) {
                return Err(Error::usage(
                    format!(
                        "--deadline {deadline}: give a number of steps from 1 to {MAX_DEADLINE}"
                    ),
                    None,
                ));
            }
            ImportProtocol::Alternating { deadline }
        }
    };
    let set = genius::load(&args.domain, &args.profiles)?;
    let mut scenario = genius::to_scenario(&set)?;

    // Solution points over every outcome become the proposals.
    let space = Space::from_scenario(&scenario, args.resolution)?;
    let analysis = outcomes::analyse(&space, outcomes::DEFAULT_NODE_LIMIT)?;
    let mut notes = vec![
        String::new(),
        format!(
            "Outcomes: {}{}; Pareto-optimal: {}.",
            analysis.outcomes,
            if space.gridded().next().is_some() {
                format!(" (real issues on a grid of {} points)", args.resolution)
            } else {
                String::new()
            },
            analysis.pareto_outcomes()
        ),
        "Proposals are solution points over every outcome (`accord analyse` recomputes them):"
            .into(),
    ];
    let points = [
        (
            "nash",
            analysis.nash.as_ref(),
            "maximises the product of gains over reservations",
        ),
        (
            "kalai_smorodinsky",
            analysis.kalai_smorodinsky.as_ref(),
            "equal fractions of each party's possible gain (textbook)",
        ),
        (
            "genius_ks",
            Some(&analysis.genius_ks),
            "Pareto-optimal, most equal utilities (GENIUS)",
        ),
        (
            "max_welfare",
            analysis.max_welfare.as_ref(),
            "maximises the sum of utilities, every party at least its reservation",
        ),
    ];
    for (name, point, what) in points {
        match point {
            Some(p) => {
                let us: Vec<String> = p.utilities.iter().map(|u| format!("{u:.4}")).collect();
                notes.push(format!("  {name:<18} u = ({})  {what}", us.join(", ")));
                scenario.proposals.push(Proposal {
                    name: name.to_string(),
                    description: Some(what.to_string()),
                    deal: p.deal.clone(),
                });
            }
            None => notes.push(format!(
                "  {name:<18} none: no outcome gives every party its reservation"
            )),
        }
    }
    let file = args
        .output
        .as_ref()
        .map(|p| p.display().to_string())
        .unwrap_or_else(|| "FILE".into());
    notes.push(String::new());
    match protocol {
        ImportProtocol::Ratify => {
            notes.push(format!(
                "Run: accord run {file}  (puts the proposals to every party)"
            ));
            notes.push(
                "Every parameter is fixed, so each party accepts or rejects for certain; replace numbers"
                    .into(),
            );
            notes.push("by distributions to model uncertainty.".into());
        }
        ImportProtocol::Alternating { deadline } => {
            notes.push(format!(
                "Run: accord run {file}  (alternating offers over every outcome, deadline {deadline} steps)"
            ));
        }
    }
    scenario.protocol = ProtocolSpec::Ratify {
        proposals: Vec::new(),
        rule: Default::default(),
    };
    let text = genius::to_toml(&scenario, &set, &WriteOptions { protocol, notes });
    // What we write must load: validate it as `accord run` would.
    let label = args
        .output
        .as_ref()
        .map(|p| p.display().to_string())
        .unwrap_or_else(|| "<imported scenario>".into());
    scenario::parse(&text, &label, Format::Toml)?;
    write_output(args.output.as_deref(), text.as_bytes())?;
    if let Some(path) = &args.output {
        crate::output::note(format_args!(
            "wrote {}: {} clauses, {} parties, {} proposals, protocol {}",
            path.display(),
            scenario.clauses.len(),
            scenario.parties.len(),
            scenario.proposals.len(),
            match protocol {
                ImportProtocol::Ratify => "ratify",
                ImportProtocol::Alternating { .. } => "alternating",
            }
        ));
    }
    Ok(())
}
