//! Limits and honest refusals through the binary: rounds beyond the documented maximum, counts
//! a hand-edited partial could carry, a comparison of one seed, a result
//! whose probabilities are impossible, a trace that cannot be written, and the wording of
//! counts. Each was a defect once: a run that never ended, a division by zero, a merged
//! probability above 1, an "ok" exit after a lost trace.

use serde_json::Value;

use crate::common::{accord_in, assert_rejected, flat, ok, read, repo_file, temp_with};
use crate::sweep::FIXTURE;

#[test]
fn rounds_beyond_the_maximum_are_refused_on_the_command_line_and_in_the_file() {
    let dir = temp_with("fx.toml", FIXTURE);
    let d = dir.path();
    assert_rejected(
        d,
        &["run", "fx.toml", "--rounds", "18446744073709551615"],
        &["--rounds", "at most 1,000,000,000,000"],
        &["fx.toml"],
    );
    let huge = FIXTURE.replace("rounds = 5_000", "rounds = 18446744073709551615");
    assert_ne!(huge, FIXTURE);
    std::fs::write(d.join("huge.toml"), huge).expect("write");
    assert_rejected(
        d,
        &["run", "huge.toml"],
        &["huge.toml:", "rounds must be from 1 to 1,000,000,000,000"],
        &["fx.toml", "huge.toml"],
    );
}

/// A partial of the fixture's run, as JSON.
fn partial(d: &std::path::Path, shard: &str, out: &str) -> Value {
    ok(
        d,
        &[
            "run", "fx.toml", "--rounds", "5000", "--shard", shard, "-o", out,
        ],
    );
    serde_json::from_slice(&read(d, out)).expect("a partial is JSON")
}

#[test]
fn hand_edited_counts_are_refused_naming_the_file_and_shard() {
    let dir = temp_with("fx.toml", FIXTURE);
    let d = dir.path();
    let one = partial(d, "1/2", "p1.json");
    partial(d, "2/2", "p2.json");
    let keep = ["fx.toml", "p1.json", "p2.json", "x.json"];
    // (Shard numbers that once divided by zero: bad_input.rs.) A count edited upward: once merged into p = 10,000.1.
    let mut v = one.clone();
    v["tally"]["deals"]["agree"][0] = 50_000_000.into();
    std::fs::write(d.join("x.json"), v.to_string()).expect("write");
    assert_rejected(
        d,
        &["merge", "x.json", "p2.json"],
        &["x.json", "shard 1/2", "checksum does not match"],
        &keep,
    );
    // Untouched, the two merge.
    let merged = ok(d, &["merge", "p1.json", "p2.json", "--format", "json"]);
    let v: Value = serde_json::from_str(&merged).expect("JSON");
    assert_eq!(v["rounds"], 5000);
}

#[test]
fn a_comparison_needs_two_seeds() {
    let dir = temp_with("fx.toml", FIXTURE);
    assert_rejected(
        dir.path(),
        &["seeds", "fx.toml", "--seeds", "1..=1", "--rounds", "100"],
        &["--seeds 1..=1", "at least 2 seeds"],
        &["fx.toml"],
    );
}

#[test]
fn plot_refuses_a_result_whose_probabilities_are_impossible() {
    let dir = temp_with("fx.toml", FIXTURE);
    let d = dir.path();
    ok(
        d,
        &[
            "sweep", "fx.toml", "--clause", "cap", "--points", "3", "--rounds", "500", "-o",
            "s.json",
        ],
    );
    let mut v: Value = serde_json::from_slice(&read(d, "s.json")).expect("JSON");
    v["points"][1]["parties"][0]["accept"]["p"] = 1.2.into();
    std::fs::write(d.join("bad.json"), v.to_string()).expect("write");
    assert_rejected(
        d,
        &["plot", "bad.json", "--plot", "c.svg"],
        &["bad.json", "point 2 north", "not a probability"],
        &["bad.json", "fx.toml", "s.json"],
    );
}

#[test]
fn a_trace_that_cannot_be_written_fails_the_run() {
    // stderr on a full device: the trace is lost, so the run must not say it succeeded.
    let full = std::fs::OpenOptions::new().write(true).open("/dev/full");
    let Ok(full) = full else {
        eprintln!("no /dev/full on this system; nothing to check");
        return;
    };
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_accord"))
        .args([
            "run",
            "scenarios/three-party-alternating.toml",
            "--rounds",
            "2000",
            "--trace",
            "3",
        ])
        .current_dir(repo_file(""))
        .stderr(full)
        .output()
        .expect("accord runs");
    assert_eq!(out.status.code(), Some(1), "a lost trace is a failure");
}

#[test]
fn traces_stream_more_rounds_than_memory_once_allowed() {
    let dir = tempfile::tempdir().expect("temp");
    let d = dir.path();
    let scenario = repo_file("scenarios/rubinstein.toml");
    let out = accord_in(
        d,
        &[
            "run",
            scenario.to_str().expect("UTF-8 path"),
            "--rounds",
            "3000",
            "--trace",
            "2500",
            "--trace-file",
            "t.jsonl",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let text = String::from_utf8(read(d, "t.jsonl")).expect("UTF-8");
    let ends = text.lines().filter(|l| l.contains("\"end\"")).count();
    assert_eq!(ends, 2500, "one end line per traced round");
    let last: Value = serde_json::from_str(text.lines().last().expect("lines")).expect("JSON");
    assert_eq!(last["round"], 2499);
    assert!(!flat(&out.stderr).contains("error"));
}

#[test]
fn every_destination_is_checked_before_any_work_and_none_is_written_on_failure() {
    let dir = temp_with("fx.toml", FIXTURE);
    let d = dir.path();
    // A run of 10⁹ rounds would take minutes: refused at once for its missing folder.
    let start = std::time::Instant::now();
    let out = accord_in(
        d,
        &[
            "sweep",
            "fx.toml",
            "--clause",
            "cap",
            "--rounds",
            "1000000000",
            "--plot",
            "chart.svg",
            "-o",
            "missing/out.csv",
        ],
    );
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        flat(&out.stderr).contains("missing/out.csv"),
        "{}",
        out.stderr
    );
    assert!(start.elapsed() < std::time::Duration::from_secs(20));
    // Nothing else was written: not the chart either.
    assert_eq!(crate::common::files_in(d), ["fx.toml"]);
    // The same for a trace file in a missing folder.
    let alt = repo_file("scenarios/three-party-alternating.toml");
    let out = accord_in(
        d,
        &[
            "run",
            alt.to_str().expect("UTF-8"),
            "--rounds",
            "1000000000",
            "--trace",
            "2",
            "--trace-file",
            "nowhere/t.jsonl",
            "-o",
            "r.json",
        ],
    );
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert_eq!(crate::common::files_in(d), ["fx.toml"]);
}
