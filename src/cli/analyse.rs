//! `accord analyse`: the outcome space of a scenario, or of a GENIUS domain with its profiles.

use std::path::Path;

use super::args::AnalyseArgs;
use super::settings::Output;
use crate::analysis::outcomes::{self, Options, Space};
use crate::error::Error;
use crate::model::space::{MAX_RESOLUTION, MIN_RESOLUTION};
use crate::output::write_output;
use crate::report::Format;
use crate::report::outcomes as render;
use crate::scenario::suggest::did_you_mean;
use crate::scenario::{self, genius};

pub(super) fn analyse(args: AnalyseArgs, out: Output) -> Result<(), Error> {
    // Checked before anything is read or allocated: the grid's size follows from it.
    check_resolution(args.resolution)?;
    let (name, space) = match args.files.as_slice() {
        [one] => {
            if is_xml(one) {
                return Err(Error::usage(
                    format!(
                        "{}: a GENIUS domain needs its profiles after it",
                        one.display()
                    ),
                    Some("accord analyse DOMAIN.xml PROFILE.xml PROFILE.xml [...]".into()),
                ));
            }
            let s = scenario::load(one)?;
            let space = Space::from_scenario(&s, args.resolution)?;
            (s.name, space)
        }
        [domain, profiles @ ..] => {
            let set = genius::load(domain, profiles)?;
            if set.is_additive() {
                let s = genius::to_scenario(&set)?;
                let space = Space::from_scenario(&s, args.resolution)?;
                (s.name, space)
            } else {
                let name = format!(
                    "GENIUS domain {}",
                    domain
                        .file_stem()
                        .map(|s| s.to_string_lossy().into_owned())
                        .unwrap_or_default()
                );
                (name, Space::from_genius(&set)?)
            }
        }
        [] => return Err(Error::usage("accord analyse needs a file", None)),
    };
    let power = args
        .power
        .as_deref()
        .map(|text| parse_power(text, &space))
        .transpose()?;
    let analysis = outcomes::analyse_with(
        &space,
        &Options {
            power,
            ..Options::default()
        },
    )?;
    let text = match out.format {
        Format::Table => render::table(&name, &space, &analysis, args.frontier),
        Format::Json => render::json(&name, &space, &analysis),
        Format::Csv => render::csv(&space, &analysis),
    };
    write_output(out.path.as_deref(), text.as_bytes())
}

/// Refuses a grid too fine to hold (or too coarse to have both ends).
fn check_resolution(k: usize) -> Result<(), Error> {
    if (MIN_RESOLUTION..=MAX_RESOLUTION).contains(&k) {
        return Ok(());
    }
    Err(Error::usage(
        format!(
            "--resolution {k}: a range clause's grid has from {MIN_RESOLUTION} to {MAX_RESOLUTION} points"
        ),
        Some(format!(
            "use --resolution {} (or any value from {MIN_RESOLUTION} to {MAX_RESOLUTION})",
            k.clamp(MIN_RESOLUTION, MAX_RESOLUTION)
        )),
    ))
}

/// `--power a=0.6,b=0.4`: one positive power per party whose acceptance is needed, in party
/// order (normalised later).
fn parse_power(text: &str, space: &Space) -> Result<Vec<f64>, Error> {
    let needed = space.needed_parties();
    let names: Vec<&str> = needed.iter().map(|&p| space.parties[p].as_str()).collect();
    let example = format!(
        "for example --power {}",
        names
            .iter()
            .map(|n| format!("{n}=1"))
            .collect::<Vec<_>>()
            .join(",")
    );
    let mut power: Vec<Option<f64>> = vec![None; needed.len()];
    for pair in text.split(',').map(str::trim) {
        let Some((name, value)) = pair.split_once('=') else {
            return Err(Error::usage(
                format!("--power `{pair}`: write PARTY=POWER pairs separated by commas"),
                Some(example),
            ));
        };
        let (name, value) = (name.trim(), value.trim());
        let Some(k) = names.iter().position(|n| *n == name) else {
            let message = if space.parties.iter().any(|p| p == name) {
                format!(
                    "--power {name}: `{name}` holds no veto, so it has no power in the Nash product"
                )
            } else {
                format!("--power {name}: there is no party `{name}`")
            };
            let hint = match did_you_mean(name, names.iter().copied()) {
                Some(n) => format!(
                    "did you mean `{n}`? The veto parties are: {}",
                    names.join(", ")
                ),
                None => format!("the veto parties are: {}", names.join(", ")),
            };
            return Err(Error::usage(message, Some(hint)));
        };
        let a: f64 = value.parse().map_err(|_| {
            Error::usage(
                format!("--power {name}={value}: a power is a positive number"),
                Some(example.clone()),
            )
        })?;
        if !(a.is_finite() && a > 0.0) {
            return Err(Error::usage(
                format!("--power {name}={value}: a power must be positive and finite"),
                Some("powers are relative weights, normalised to sum to 1".into()),
            ));
        }
        if power[k].replace(a).is_some() {
            return Err(Error::usage(
                format!("--power: `{name}` is given twice"),
                None,
            ));
        }
    }
    let missing: Vec<&str> = names
        .iter()
        .zip(&power)
        .filter(|(_, a)| a.is_none())
        .map(|(n, _)| *n)
        .collect();
    if !missing.is_empty() {
        return Err(Error::usage(
            format!(
                "--power: give every veto party a power; missing: {}",
                missing.join(", ")
            ),
            Some(example),
        ));
    }
    Ok(power.into_iter().flatten().collect())
}

fn is_xml(p: &Path) -> bool {
    p.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("xml"))
}
