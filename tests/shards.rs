//! Blocks of rounds as units of work: sharded runs merged into the single run byte for byte,
//! bad merges refused, and precision mode stopping at the first block boundary that meets
//! the target.

use std::path::Path;

use serde_json::Value;

use crate::common::{accord_in, assert_rejected, flat, ok, ok_json, temp_with};
use crate::sweep::FIXTURE;

/// 5,453 rounds: 6 blocks of 1024, the last one short; not a multiple of 2, 3, 4 or 5.
const ROUNDS: &str = "5453";

fn read(dir: &Path, name: &str) -> Vec<u8> {
    std::fs::read(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// Writes shards 1..=n of `accord CMD fx.toml ARGS` as `{prefix}{k}of{n}.json`; returns names.
fn write_shards(dir: &Path, cmd_args: &[&str], n: u64, prefix: &str) -> Vec<String> {
    (1..=n)
        .map(|k| {
            let name = format!("{prefix}{k}of{n}.json");
            let shard = format!("{k}/{n}");
            let mut args = cmd_args.to_vec();
            args.extend(["--shard", &shard, "-o", &name]);
            ok(dir, &args);
            name
        })
        .collect()
}

fn merge(dir: &Path, parts: &[&str], format: &str, out: &str) -> Vec<u8> {
    let mut args = vec!["merge"];
    args.extend(parts);
    args.extend(["--format", format, "-o", out]);
    ok(dir, &args);
    read(dir, out)
}

/// For N = 1..5 shards of `cmd_args`: merging them, in any order, gives the single run's
/// JSON and CSV byte for byte.
fn check_shards_merge_to_the_single_run(dir: &Path, cmd_args: &[&str]) {
    let mut single = Vec::new();
    for (format, out) in [("json", "single.json"), ("csv", "single.csv")] {
        let mut args = cmd_args.to_vec();
        args.extend(["--format", format, "-o", out]);
        ok(dir, &args);
        single.push(read(dir, out));
    }
    let v: Value = serde_json::from_slice(&single[0]).expect("JSON");
    assert_eq!(v["rounds"], 5453);
    for n in 1..=5u64 {
        let parts = write_shards(dir, cmd_args, n, "part");
        // The shards cover blocks 0..6 contiguously, unevenly once N does not divide 6.
        let mut sizes = Vec::new();
        let mut next = 0;
        for p in &parts {
            let partial: Value = serde_json::from_slice(&read(dir, p)).expect("a JSON partial");
            let blocks = partial["blocks"].as_array().expect("blocks");
            let (a, b) = (
                blocks[0].as_u64().expect("start"),
                blocks[1].as_u64().expect("end"),
            );
            assert_eq!(a, next, "{p}: blocks are contiguous");
            assert!(b > a, "{p}: a shard plays at least one block");
            sizes.push(b - a);
            next = b;
        }
        assert_eq!(next, 6, "the shards cover every block");
        if n == 4 || n == 5 {
            assert!(
                sizes.iter().any(|&s| s != sizes[0]),
                "uneven split: {sizes:?}"
            );
        }
        let mut orders: Vec<Vec<&str>> = vec![parts.iter().map(String::as_str).collect()];
        let mut reversed = orders[0].clone();
        reversed.reverse();
        orders.push(reversed);
        let mut rotated = orders[0].clone();
        rotated.rotate_left(n as usize / 2);
        orders.push(rotated);
        for order in orders {
            for (i, (format, out)) in [("json", "merged.json"), ("csv", "merged.csv")]
                .into_iter()
                .enumerate()
            {
                let merged = merge(dir, &order, format, out);
                assert!(
                    merged == single[i],
                    "{cmd_args:?}: {n} shards merged in order {order:?} as {format} differ from the single run:\n{}\nvs\n{}",
                    String::from_utf8_lossy(&merged),
                    String::from_utf8_lossy(&single[i])
                );
            }
        }
        for p in &parts {
            std::fs::remove_file(dir.join(p)).expect("remove");
        }
    }
}

#[test]
fn merged_run_shards_equal_the_single_run_byte_for_byte() {
    let dir = temp_with("fx.toml", FIXTURE);
    check_shards_merge_to_the_single_run(
        dir.path(),
        &["run", "fx.toml", "--rounds", ROUNDS, "--seed", "77"],
    );
}

#[test]
fn merged_sweep_shards_equal_the_single_sweep_byte_for_byte() {
    let dir = temp_with("fx.toml", FIXTURE);
    check_shards_merge_to_the_single_run(
        dir.path(),
        &[
            "sweep", "fx.toml", "--rounds", ROUNDS, "--seed", "78", "--path", "low..far",
            "--steps", "4", "--clause", "level",
        ],
    );
    // A merged sweep also draws the chart the single sweep draws.
    let d = dir.path();
    let args = [
        "sweep",
        "fx.toml",
        "--rounds",
        ROUNDS,
        "--proposal",
        "high",
        "--clause",
        "cap",
        "--steps",
        "7",
    ];
    let mut single = args.to_vec();
    single.extend(["--plot", "single.svg", "-o", "single.txt"]);
    ok(d, &single);
    let parts = write_shards(d, &args, 3, "chart");
    let mut m = vec!["merge"];
    m.extend(parts.iter().map(String::as_str));
    m.extend(["--plot", "merged.svg", "-o", "merged.txt"]);
    ok(d, &m);
    assert!(read(d, "single.svg") == read(d, "merged.svg"));
    assert!(read(d, "single.txt") == read(d, "merged.txt"));
}

// ---------------------------------------------------------------------------------------
// Bad merges and bad --shard values.
// ---------------------------------------------------------------------------------------

/// The fixture with one party's outside option changed: another scenario.
fn other_scenario() -> String {
    FIXTURE.replace("reservation = 0.55", "reservation = 0.56")
}

#[test]
fn bad_merges_are_refused() {
    let dir = temp_with("fx.toml", FIXTURE);
    let d = dir.path();
    std::fs::write(d.join("other.toml"), other_scenario()).expect("write");
    let base = ["run", "fx.toml", "--rounds", "4000", "--seed", "5"];
    let parts = write_shards(d, &base, 3, "p");
    let mut args = base.to_vec();
    args[3] = "5000";
    let rounds = write_shards(d, &args, 3, "rounds");
    let mut args = base.to_vec();
    args[5] = "6";
    let seeds = write_shards(d, &args, 3, "seed");
    let mut args = base.to_vec();
    args[1] = "other.toml";
    let other = write_shards(d, &args, 3, "other");
    let sweep = write_shards(
        d,
        &[
            "sweep", "fx.toml", "--rounds", "4000", "--seed", "5", "--clause", "cap", "--steps",
            "3",
        ],
        3,
        "sweep",
    );
    let two = write_shards(d, &base, 2, "two");
    std::fs::copy(d.join(&parts[1]), d.join("copy.json")).expect("copy");
    // An edited version field.
    let mut edited: Value = serde_json::from_slice(&read(d, &parts[2])).expect("JSON");
    edited["version"] = Value::String("0.0.1-edited".into());
    std::fs::write(d.join("edited.json"), edited.to_string()).expect("write");
    // Not a partial: a run's result, and a text file.
    ok(
        d,
        &[
            "run",
            "fx.toml",
            "--rounds",
            "1000",
            "--format",
            "json",
            "-o",
            "result.json",
        ],
    );
    std::fs::write(d.join("notes.json"), "shard 1 of 3\n").expect("write");
    let kept: Vec<String> = std::fs::read_dir(d)
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    let kept: Vec<&str> = kept.iter().map(String::as_str).collect();

    let (p1, p2, p3) = (parts[0].as_str(), parts[1].as_str(), parts[2].as_str());
    let cases: Vec<(Vec<&str>, Vec<&str>)> = vec![
        (vec![p1, p3], vec!["shard 2/3 is missing"]),
        (
            vec![p3],
            vec!["shard 1/3 is missing", "shard 2/3 is missing"],
        ),
        (
            vec![p1, p2, "copy.json", p3],
            vec!["shard 2/3", "2 times", "copy.json", p2],
        ),
        (vec![p1, p2, p2, p3], vec!["shard 2/3", "2 times"]),
        (vec![p1, &seeds[1], p3], vec!["seed"]),
        (vec![p1, &rounds[1], p3], vec!["rounds"]),
        (vec![p1, &other[1], p3], vec!["scenario"]),
        (vec![p1, &sweep[1], p3], vec![&sweep[1]]),
        (vec![p1, &two[1], p3], vec!["shard count"]),
        (
            vec![p1, p2, "edited.json"],
            vec!["edited.json", "0.0.1-edited"],
        ),
        (
            vec![p1, p2, "result.json"],
            vec!["result.json", "not a partial"],
        ),
        (
            vec!["notes.json", p2, p3],
            vec!["notes.json", "not a partial"],
        ),
        (vec![p1, p2, "absent.json"], vec!["absent.json"]),
    ];
    for (files, expect) in cases {
        let mut args = vec!["merge"];
        args.extend(&files);
        args.extend([
            "--format",
            "json",
            "-o",
            "merged.json",
            "--plot",
            "merged.svg",
        ]);
        let out = assert_rejected(d, &args, &expect, &kept);
        assert!(
            !flat(&out.stderr).contains("panicked"),
            "{files:?}: {}",
            out.stderr
        );
    }
    // The genuine set still merges.
    ok(
        d,
        &["merge", p3, p1, p2, "--format", "json", "-o", "merged.json"],
    );
}

#[test]
fn bad_shard_values_are_refused() {
    let dir = temp_with("fx.toml", FIXTURE);
    let d = dir.path();
    for (shard, expect) in [
        ("0/4", "--shard"),
        ("5/4", "--shard"),
        ("3", "--shard"),
        ("1/0", "--shard"),
        ("a/4", "--shard"),
        ("-1/4", "--shard"),
    ] {
        for cmd in ["run", "sweep"] {
            let flag = format!("--shard={shard}");
            let mut args = vec![cmd, "fx.toml", "--rounds", "4000", &flag];
            if cmd == "sweep" {
                args.extend(["--clause", "cap"]);
            }
            args.extend(["-o", "part.json"]);
            assert_rejected(d, &args, &[expect, shard], &["fx.toml"]);
        }
    }
    // 3,000 rounds are 3 blocks: at most 3 shards.
    for cmd in ["run", "sweep"] {
        let mut args = vec![cmd, "fx.toml", "--rounds", "3000", "--shard", "1/4"];
        if cmd == "sweep" {
            args.extend(["--clause", "cap"]);
        }
        args.extend(["-o", "part.json"]);
        assert_rejected(d, &args, &["--shard 1/4", "3 blocks"], &["fx.toml"]);
    }
    // Shards and precision mode do not mix.
    assert_rejected(
        d,
        &[
            "run",
            "fx.toml",
            "--precision",
            "0.01",
            "--shard",
            "1/2",
            "-o",
            "part.json",
        ],
        &["--precision", "--shard"],
        &["fx.toml"],
    );
}

// ---------------------------------------------------------------------------------------
// Precision mode.
// ---------------------------------------------------------------------------------------

/// The fixture with a large default number of rounds, so that the scenario's rounds are not
/// what stops precision mode.
fn precision_fixture() -> String {
    FIXTURE.replace("rounds = 5_000", "rounds = 400_000")
}

/// The largest agreement half-width of a run's or sweep's JSON.
fn max_half_width(v: &Value) -> f64 {
    let items = v
        .get("results")
        .or_else(|| v.get("points"))
        .and_then(Value::as_array)
        .expect("results or points");
    items
        .iter()
        .map(|r| {
            let a = &r["agreement"];
            0.5 * (a["hi"].as_f64().expect("hi") - a["lo"].as_f64().expect("lo"))
        })
        .fold(f64::NEG_INFINITY, f64::max)
}

fn without_precision(v: &Value) -> Value {
    let mut v = v.clone();
    v.as_object_mut().expect("object").remove("precision");
    v
}

/// Precision mode on `cmd_args` with target `h`: stops at the first block boundary where the
/// largest agreement half-width is at most `h`; a plain run of that many rounds gives the
/// same numbers, and one block fewer does not meet the target.
fn check_precision_stops_at_first_boundary(dir: &Path, cmd_args: &[&str], h: &str) -> u64 {
    let target: f64 = h.parse().expect("number");
    let mut args = cmd_args.to_vec();
    args.extend(["--precision", h, "--format", "json"]);
    let v = ok_json(dir, &args);
    let rounds = v["rounds"].as_u64().expect("rounds");
    assert_eq!(
        rounds % 1024,
        0,
        "{cmd_args:?}: {rounds} rounds is not a block boundary"
    );
    assert!(
        rounds >= 2048,
        "{cmd_args:?}: choose a smaller target ({rounds} rounds)"
    );
    let p = &v["precision"];
    assert_eq!(p["target"].as_f64(), Some(target));
    assert_eq!(p["reached"], true, "{p}");
    let achieved = max_half_width(&v);
    assert!(achieved <= target, "{achieved} > {target}");
    // (The JSON numbers are read back to within an ulp or two.)
    let reported = p["achieved"].as_f64().expect("achieved");
    assert!(
        (reported - achieved).abs() < 1e-15,
        "reported half-width {reported} vs {achieved}"
    );
    // Every estimate counts exactly `rounds` rounds.
    assert!(v.to_string().contains(&format!("\"n\":{rounds}")));

    let plain = |r: u64| {
        let r = r.to_string();
        let mut args = cmd_args.to_vec();
        args.extend(["--rounds", &r, "--format", "json"]);
        ok_json(dir, &args)
    };
    let same = plain(rounds);
    assert_eq!(
        without_precision(&v),
        same,
        "{cmd_args:?}: precision mode and a plain run of {rounds} rounds differ"
    );
    let fewer = plain(rounds - 1024);
    let before = max_half_width(&fewer);
    assert!(
        before > target,
        "{cmd_args:?}: {} rounds already reach half-width {before} <= {target}; precision mode should have stopped there",
        rounds - 1024
    );
    rounds
}

#[test]
fn precision_mode_stops_at_the_first_block_boundary_meeting_the_target() {
    let dir = temp_with("fx.toml", &precision_fixture());
    let d = dir.path();
    let a = check_precision_stops_at_first_boundary(d, &["run", "fx.toml", "-p", "high"], "0.012");
    let b = check_precision_stops_at_first_boundary(
        d,
        &["run", "fx.toml", "-p", "high", "-p", "low"],
        "0.012",
    );
    // `low` is far from 1/2 and needs fewer rounds than `high`: adding it changes nothing.
    assert_eq!(a, b);
    check_precision_stops_at_first_boundary(d, &["run", "fx.toml", "--seed", "3"], "0.009");
    check_precision_stops_at_first_boundary(
        d,
        &[
            "sweep",
            "fx.toml",
            "--proposal",
            "low",
            "--clause",
            "cap",
            "--steps",
            "6",
        ],
        "0.015",
    );
}

#[test]
fn precision_mode_is_identical_across_thread_counts() {
    let dir = temp_with("fx.toml", &precision_fixture());
    let d = dir.path();
    for cmd in [
        &["run", "fx.toml", "--precision", "0.01"][..],
        &[
            "sweep",
            "fx.toml",
            "--proposal",
            "high",
            "--clause",
            "share",
            "--steps",
            "5",
            "--precision",
            "0.02",
        ][..],
    ] {
        let outs: Vec<String> = ["1", "2", "3"]
            .into_iter()
            .map(|t| {
                let mut args = cmd.to_vec();
                args.extend(["--format", "json", "--threads", t]);
                ok(d, &args)
            })
            .collect();
        assert_eq!(outs[0], outs[1], "{cmd:?}: --threads 1 vs 2");
        assert_eq!(outs[0], outs[2], "{cmd:?}: --threads 1 vs 3");
    }
}

#[test]
fn precision_mode_is_capped_by_max_rounds() {
    let dir = temp_with("fx.toml", &precision_fixture());
    let d = dir.path();
    let v = ok_json(
        d,
        &[
            "run",
            "fx.toml",
            "--precision",
            "0.001",
            "--max-rounds",
            "3000",
            "--format",
            "json",
        ],
    );
    let rounds = v["rounds"].as_u64().expect("rounds");
    assert!(
        rounds <= 3000,
        "--max-rounds 3000 was ignored: {rounds} rounds played"
    );
    assert_eq!(v["precision"]["reached"], false);
    assert!(v["precision"]["achieved"].as_f64().expect("achieved") > 0.001);
    let out = accord_in(
        d,
        &[
            "run",
            "fx.toml",
            "--precision",
            "0.001",
            "--max-rounds",
            "3000",
            "-o",
            "o.txt",
        ],
    );
    assert_eq!(out.code, 0);
    assert!(
        out.stderr.contains("not reached"),
        "a warning on stderr: {}",
        out.stderr
    );
}

#[test]
fn precision_mode_may_play_more_rounds_than_the_scenario_default() {
    // [simulation] rounds = 5,000; the target needs about 7,000: the cap is --max-rounds
    // (default 10,000,000), not the scenario's default number of rounds.
    let dir = temp_with("fx.toml", FIXTURE);
    let v = ok_json(
        dir.path(),
        &[
            "run",
            "fx.toml",
            "-p",
            "high",
            "--precision",
            "0.01",
            "--format",
            "json",
        ],
    );
    assert_eq!(
        v["precision"]["reached"], true,
        "precision mode stopped at {} rounds",
        v["rounds"]
    );
    assert!(v["rounds"].as_u64().expect("rounds") > 5000);
}

#[test]
fn precision_outside_zero_to_half_is_refused() {
    let dir = temp_with("fx.toml", FIXTURE);
    let d = dir.path();
    for h in ["0", "0.5", "-0.01", "0.7", "NaN", "inf", "abc", ""] {
        for cmd in ["run", "sweep"] {
            let flag = format!("--precision={h}");
            let mut args = vec![cmd, "fx.toml", &flag];
            if cmd == "sweep" {
                args.extend(["--clause", "cap"]);
            }
            args.extend(["-o", "out.json"]);
            assert_rejected(d, &args, &["--precision"], &["fx.toml"]);
        }
    }
    // --precision and --rounds do not mix; --max-rounds needs --precision.
    assert_rejected(
        d,
        &[
            "run",
            "fx.toml",
            "--precision",
            "0.01",
            "--rounds",
            "5000",
            "-o",
            "out.json",
        ],
        &["--precision", "--rounds"],
        &["fx.toml"],
    );
    assert_rejected(
        d,
        &["run", "fx.toml", "--max-rounds", "5000", "-o", "out.json"],
        &["--max-rounds"],
        &["fx.toml"],
    );
}

#[test]
fn negative_precision_after_a_space_names_the_flag() {
    // `--precision -0.01` is a value, as `--rounds -5` is: the message should name
    // --precision and say what is valid, not report an unexpected argument `-0`.
    let dir = temp_with("fx.toml", FIXTURE);
    assert_rejected(
        dir.path(),
        &["run", "fx.toml", "--precision", "-0.01", "-o", "out.json"],
        &["--precision", "-0.01", "0.5"],
        &["fx.toml"],
    );
}
