//! `accord analyse`: the outcome space of a scenario, or of a GENIUS domain with its profiles.

use std::path::Path;

use super::args::AnalyseArgs;
use super::settings::Output;
use crate::analysis::outcomes::{self, Space};
use crate::error::Error;
use crate::output::write_output;
use crate::report::Format;
use crate::report::outcomes as render;
use crate::scenario::{self, genius};

pub(super) fn analyse(args: AnalyseArgs, out: Output) -> Result<(), Error> {
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
    let analysis = outcomes::analyse(&space, outcomes::DEFAULT_NODE_LIMIT)?;
    let text = match out.format {
        Format::Table => render::table(&name, &space, &analysis, args.frontier),
        Format::Json => render::json(&name, &space, &analysis),
        Format::Csv => render::csv(&space, &analysis),
    };
    write_output(out.path.as_deref(), text.as_bytes())
}

fn is_xml(p: &Path) -> bool {
    p.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("xml"))
}
