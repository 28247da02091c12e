//! Entry points of the fuzz targets (`fuzz/`), kept in the library so that the stable test
//! suite replays the fuzz corpora and crash regressions through exactly the same code
//! (`tests/fuzz_replay.rs`).
//!
//! Each takes arbitrary bytes and must not panic: bad input is an [`Error`], which is
//! rendered here as the binary would render it (so a diagnostic's span is exercised too).
//! Inputs that load are played for a few rounds on one thread.

use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::job::Partial;
use crate::model::Scenario;
use crate::request::{self, Request};
use crate::scenario::{self, Format, genius};
use crate::sim::RunOptions;

/// Rounds played of a scenario that loads: enough to reach every protocol's code.
pub const ROUNDS: u64 = 8;

/// Work (outcomes × steps) above which a dynamic protocol is loaded but not played, so that
/// one input takes milliseconds, not seconds.
const MAX_PLAY_WORK: f64 = 2e6;

/// Separates the domain from the profiles (and the profiles from each other) in the input
/// of the GENIUS targets: no XML or JSON text holds a NUL byte.
pub const SEPARATOR: u8 = 0;

/// A scenario in TOML.
pub fn scenario_toml(data: &[u8]) {
    scenario_text(data, "fuzz.toml", Format::Toml);
}

/// A scenario in JSON.
pub fn scenario_json(data: &[u8]) {
    scenario_text(data, "fuzz.json", Format::Json);
}

fn scenario_text(data: &[u8], name: &str, format: Format) {
    // `scenario::load` reads files as UTF-8 and refuses anything else before parsing.
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match scenario::parse(text, name, format) {
        Ok(s) => play(&s),
        Err(e) => render(e),
    }
}

/// Plays [`ROUNDS`] rounds of the scenario's protocol on one thread, as `accord run` would,
/// and reports them.
fn play(s: &Scenario) {
    let options = RunOptions {
        rounds: ROUNDS,
        seed: 1,
        threads: Some(1),
    };
    if let Some(d) = s.protocol.dynamic()
        && d.outcomes() as f64 * f64::from(d.deadline()) > MAX_PLAY_WORK
    {
        return;
    }
    let played = Request::run(s, &[])
        .map_err(Error::from)
        .and_then(|r| r.prepare(s, options))
        .and_then(|p| p.run(&|_| {}));
    if let Err(e) = played {
        render(e);
    }
}

/// Renders an error as the binary does (with its quoted source and span).
fn render(e: Error) {
    let _ = format!("{:?}", miette::Report::new(e));
}

/// A GENIUS XML domain followed by its profiles, separated by [`SEPARATOR`].
pub fn genius_xml(data: &[u8]) {
    genius_files(data, "xml");
}

/// A GeniusWeb JSON domain followed by its profiles, separated by [`SEPARATOR`].
pub fn genius_web(data: &[u8]) {
    genius_files(data, "json");
}

/// What `accord import genius` does with the files, without writing: read, convert to a
/// scenario, write it as TOML, and check that the TOML loads.
fn genius_files(data: &[u8], ext: &str) {
    let mut parts = data.split(|&b| b == SEPARATOR);
    let domain_path = PathBuf::from(format!("domain.{ext}"));
    let domain_text = genius::decode(parts.next().unwrap_or_default().to_vec());
    let profiles: Vec<(PathBuf, String)> = parts
        .take(4)
        .enumerate()
        .map(|(i, p)| {
            (
                PathBuf::from(format!("party{}.{ext}", i + 1)),
                genius::decode(p.to_vec()),
            )
        })
        .collect();
    let set = match genius::from_texts(&domain_path, &domain_text, &profiles) {
        Ok(set) => set,
        Err(e) => return render(e),
    };
    for p in &set.profiles {
        // Every profile's utility at the first outcome (value index 0, or the lower bound).
        let x: Vec<f64> = set
            .domain
            .issues
            .iter()
            .map(|i| match i.kind {
                genius::IssueKind::Discrete { .. } => 0.0,
                genius::IssueKind::Integer { lo, .. } => lo as f64,
                genius::IssueKind::Real { lo, .. } => lo,
            })
            .collect();
        let _ = p.utility(&x);
    }
    // `accord import genius` refuses fewer than two profiles before converting.
    if set.profiles.len() < 2 {
        return;
    }
    let mut s = match genius::to_scenario(&set) {
        Ok(s) => s,
        Err(e) => return render(e),
    };
    // `accord import genius` adds solution points as proposals; one proposal (each clause
    // at its first value) stands for them here.
    let first = s
        .clauses
        .iter()
        .map(|c| match *c.kind() {
            crate::model::ClauseKind::Range { min, .. } => min,
            _ => 0.0,
        })
        .collect();
    s.proposals.push(crate::model::Proposal {
        name: "first".into(),
        description: None,
        deal: first,
    });
    let options = genius::WriteOptions {
        protocol: genius::ImportProtocol::Ratify,
        notes: vec![],
    };
    let text = genius::to_toml(&s, &set, &options);
    if let Err(e) = scenario::parse(&text, "imported.toml", Format::Toml) {
        // A set that imports writes a scenario that loads, whatever its names hold.
        panic!(
            "the imported scenario does not load: {e}\n{}",
            text.chars().take(4000).collect::<String>()
        );
    }
}

/// One partial result of a sharded run (`accord merge`), merged on its own.
pub fn partial(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let merged = Partial::<Request>::from_json(text, "part.json")
        .map_err(Error::from)
        .and_then(|p| request::merge(vec![("part.json".to_string(), p)]));
    if let Err(e) = merged {
        render(e);
    }
}

/// Replays `bytes` through the entry point `target` names (a folder under `fuzz/corpus/`);
/// `false` for an unknown target.
pub fn replay(target: &str, bytes: &[u8]) -> bool {
    let f: fn(&[u8]) = match target {
        "scenario_toml" => scenario_toml,
        "scenario_json" => scenario_json,
        "genius_xml" => genius_xml,
        "genius_web" => genius_web,
        "partial" => partial,
        _ => return false,
    };
    f(bytes);
    true
}

/// The fuzz targets, by name.
pub const TARGETS: [&str; 5] = [
    "scenario_toml",
    "scenario_json",
    "genius_xml",
    "genius_web",
    "partial",
];

/// The fuzz folder of the crate (corpora under `corpus/`, crash inputs under `regressions/`).
pub fn fuzz_dir() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/fuzz"))
}
