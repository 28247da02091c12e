//! `accord merge`: combine the partial results of a sharded run.

use super::args::MergeArgs;
use super::job::{self, Job, PARTIAL_FORMAT, Partial, Report, Source, shard_range};
use crate::error::Error;
use crate::report::plot::ImageFormat;
use crate::scenario::Format as SourceFormat;
use crate::sim::RunOptions;
use crate::sim::seed::block_count;

pub fn merge(args: MergeArgs) -> Result<(), Error> {
    if let Some(p) = &args.plot {
        ImageFormat::from_path(p)?;
    }
    let mut texts: Vec<(String, String)> = Vec::with_capacity(args.parts.len());
    for path in &args.parts {
        let text = std::fs::read_to_string(path).map_err(|e| Error::Read {
            path: path.clone(),
            source: e,
        })?;
        texts.push((path.display().to_string(), text));
    }
    let report = merge_texts(&texts)?;
    let plot = args.plot.as_deref().map(|p| (p, args.size));
    job::write_report(&report, &args.out, plot)
}

/// Reads partial results (`(name, text)` pairs, `name` for messages), checks that they are
/// the shards of one run, each exactly once, and combines them into the run's report. No
/// file is read or written: `merge` and the fuzz tests both come through here.
pub fn merge_texts(texts: &[(String, String)]) -> Result<Report, Error> {
    let mut parts: Vec<(String, Partial)> = Vec::with_capacity(texts.len());
    for (name, text) in texts {
        parts.push((name.clone(), read_partial(name, text)?));
    }
    if parts.is_empty() {
        return Err(Error::usage("no partial results to merge", None));
    }
    check_compatible(&parts)?;
    let (_, first) = &parts[0];
    let n = first.shard[1];
    check_coverage(&parts, n)?;
    let source = Source {
        name: first.scenario.clone(),
        text: first.scenario_source.clone(),
        format: if first.scenario_format == "json" {
            SourceFormat::Json
        } else {
            SourceFormat::Toml
        },
    };
    let scenario = source.scenario()?;
    let options = RunOptions {
        rounds: first.rounds,
        seed: first.seed,
        threads: None,
    };
    let job = Job::new(&scenario, options, first.selection.clone())?;
    let mut by_shard: Vec<&Partial> = parts.iter().map(|(_, p)| p).collect();
    by_shard.sort_by_key(|p| p.shard[0]);
    job.merge(by_shard.into_iter().map(|p| p.tally.clone()))
}

/// One partial result's text, called `name` in messages.
fn read_partial(name: &str, text: &str) -> Result<Partial, Error> {
    let not_partial = |e: serde_json::Error| {
        Error::usage(
            format!(
                "{name}:{}:{}: not a partial result of accord: {e}",
                e.line(),
                e.column()
            ),
            Some("give the files written by `accord run|sweep --shard K/N -o PART`".into()),
        )
    };
    // The format number first: a partial of another format fails on its own terms.
    let value: serde_json::Value = serde_json::from_str(text).map_err(not_partial)?;
    if let Some(format) = value.get("accord_partial").and_then(|f| f.as_u64())
        && format != PARTIAL_FORMAT as u64
    {
        return Err(Error::usage(
            format!(
                "{name}: partial format {format} is not {PARTIAL_FORMAT}, the one this accord reads"
            ),
            Some("re-run the shards with one version of accord".into()),
        ));
    }
    serde_json::from_str(text).map_err(not_partial)
}

/// Every partial must come from the same scenario text, seed, rounds, selection, shard count
/// and accord version.
fn check_compatible(parts: &[(String, Partial)]) -> Result<(), Error> {
    let (first_name, first) = &parts[0];
    let this_version = env!("CARGO_PKG_VERSION");
    for (name, p) in parts {
        let differs = |what: &str, a: String, b: String| {
            Error::usage(
                format!(
                    "{name} and {first_name} differ in {what} ({a} vs {b}): they are not shards of one run"
                ),
                None,
            )
        };
        if p.accord_partial != PARTIAL_FORMAT {
            return Err(Error::usage(
                format!(
                    "{name}: partial format {} is not {PARTIAL_FORMAT}, the one this accord reads",
                    p.accord_partial
                ),
                None,
            ));
        }
        if p.version != this_version {
            return Err(Error::usage(
                format!(
                    "{name} was written by accord {}, this is accord {this_version}",
                    p.version
                ),
                Some("re-run the shards with one version of accord".into()),
            ));
        }
        if p.scenario_source != first.scenario_source {
            return Err(differs(
                "scenario",
                p.scenario.clone(),
                first.scenario.clone(),
            ));
        }
        if p.seed != first.seed {
            return Err(differs("seed", p.seed.to_string(), first.seed.to_string()));
        }
        if p.rounds != first.rounds {
            return Err(differs(
                "rounds",
                p.rounds.to_string(),
                first.rounds.to_string(),
            ));
        }
        if p.selection != first.selection {
            return Err(differs(
                "what they evaluate (proposals or sweep)",
                format!("{:?}", p.selection),
                format!("{:?}", first.selection),
            ));
        }
        if p.shard[1] != first.shard[1] {
            return Err(differs(
                "shard count",
                format!("/{}", p.shard[1]),
                format!("/{}", first.shard[1]),
            ));
        }
        let total = block_count(p.rounds);
        // Shard numbers first: shard_range divides by n and subtracts 1 from k.
        let [k, n] = p.shard;
        let covers = (1..=n).contains(&k) && {
            let expected = shard_range(total, k, n);
            p.blocks == [expected.start, expected.end]
        };
        if !covers {
            return Err(Error::usage(
                format!(
                    "{name}: shard {}/{} does not cover the blocks it should; the file was altered",
                    p.shard[0], p.shard[1]
                ),
                None,
            ));
        }
    }
    Ok(())
}

/// Shards 1..=n each exactly once.
fn check_coverage(parts: &[(String, Partial)], n: u64) -> Result<(), Error> {
    let mut problems = Vec::new();
    for k in 1..=n {
        let holders: Vec<&str> = parts
            .iter()
            .filter(|(_, p)| p.shard[0] == k)
            .map(|(name, _)| name.as_str())
            .collect();
        match holders.len() {
            0 => problems.push(format!("shard {k}/{n} is missing")),
            1 => {}
            _ => problems.push(format!(
                "shard {k}/{n} is given {} times ({})",
                holders.len(),
                holders.join(", ")
            )),
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::usage(
            format!("cannot merge: {}", problems.join("; ")),
            Some(format!("give each of the {n} shards exactly once")),
        ))
    }
}
