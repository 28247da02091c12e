//! The dynamic protocols (alternating, mediated, equilibrium) through the commands built for
//! ratify: sharded runs merged into the single run byte for byte, precision mode, `seeds`
//! against a closed-form agreement probability, and sweeps of protocol and tactic parameters
//! (`--param`): monotone where the model says so, points equal to single runs of the modified
//! scenario, bad names and values refused.

use std::path::Path;

use accord::job::Variants;
use accord::model::ProtocolSpec;
use accord::scenario::{Format, parse};
use accord::sweep::{AxisSpec, SweepSpec, plan};
use serde_json::Value;

use crate::common::{
    accord, accord_in, assert_rejected, ok, ok_json, read, repo_file, scenario, temp_with,
};

/// Three negotiators, each a hardliner offering its favourite option of one choice clause;
/// the others accept any offer worth at least their reservation (uniform on [0.2, 0.6]).
/// Each option is worth 1 to its owner, 0.5 to one other party and 0.3 to the third:
///
/// - step 1, `a` offers `a`: accepted when r_b ≤ 0.3 and r_c ≤ 0.5 (A1);
/// - step 2, `b` offers `b`: accepted when r_a ≤ 0.5 and r_c ≤ 0.3 (A2);
/// - step 3, `c` offers `c`: accepted when r_a ≤ 0.3 and r_b ≤ 0.5 (A3);
/// - later steps repeat the same offers, so nothing new is accepted.
///
/// With P(r ≤ 0.3) = 1/4 and P(r ≤ 0.5) = 3/4: P(A1) = 3/16, P(A2 \ A1) = 9/64 (r_c ≤ 0.3
/// implies r_c ≤ 0.5, so not A1 means r_b > 0.3), P(A3 \ (A1 ∪ A2)) = 7/64 (r_a ≤ 0.3; not
/// A2 means r_c > 0.3; (r_b, r_c) in {r_b ≤ 0.5, r_c > 0.3} but not {r_b ≤ 0.3, r_c ≤ 0.5}:
/// 9/16 − 1/8). Talks survive the breakdown draws of steps 1..=s with probability (1 − p)^s,
/// so P(agreement) = 3/16·(1−p) + 9/64·(1−p)² + 7/64·(1−p)³ for a deadline of 3 or more.
/// Nothing depends on the deadline but where talks are cut off.
const TRIO: &str = r#"
[scenario]
name = "Three hardliners"

[clauses.pick]
kind = "choice"
options = ["a", "b", "c"]

[parties.a]
weights = { pick = 1 }
values.pick = { table = { a = 1.0, b = 0.5, c = 0.3 } }
reservation = { uniform = [0.2, 0.6] }
tactic = { kind = "hardliner" }
respond = { threshold = 0 }

[parties.b]
weights = { pick = 1 }
values.pick = { table = { a = 0.3, b = 1.0, c = 0.5 } }
reservation = { uniform = [0.2, 0.6] }
tactic = { kind = "hardliner" }
respond = { threshold = 0 }

[parties.c]
weights = { pick = 1 }
values.pick = { table = { a = 0.5, b = 0.3, c = 1.0 } }
reservation = { uniform = [0.2, 0.6] }
tactic = { kind = "hardliner" }
respond = { threshold = 0 }

[protocol]
kind = "alternating"
order = ["a", "b", "c"]
deadline = 6
breakdown = 0.1

[simulation]
rounds = 4000
seed = 11
"#;

/// P(agreement) of [`TRIO`] with breakdown `p` and deadline `t`.
fn trio_truth(p: f64, t: u32) -> f64 {
    let q = 1.0 - p;
    let first = [3.0 / 16.0, 9.0 / 64.0, 7.0 / 64.0];
    (1..=t.min(3))
        .map(|s| first[s as usize - 1] * q.powi(s as i32))
        .sum()
}

/// Two parties with time-dependent tactics of uncertain exponent over a real range and a
/// choice; an observer; an uncertain reservation, a shift of it at step 4, and a breakdown
/// risk: every part of the alternating protocol's tally is exercised.
const ALTERNATING: &str = r#"
[scenario]
name = "Alternating fixture"

[clauses.price]
kind = "range"
min = 0
max = 100

[clauses.terms]
kind = "choice"
options = ["short", "medium", "long"]

[parties.seller]
weights = { price = 0.7, terms = 0.3 }
values.price = { linear = { worst = 0, best = 100 } }
values.terms = { table = { short = 1.0, medium = 0.6, long = 0.0 } }
reservation = { uniform = [0.2, 0.4] }
tactic = { kind = "time", e = { uniform = [0.2, 0.6] } }
discount = 0.98

[parties.buyer]
weights = { price = 0.6, terms = 0.4 }
values.price = { linear = { worst = 100, best = 0 } }
values.terms = { table = { short = 0.0, medium = 0.5, long = 1.0 } }
reservation = 0.3
tactic = { kind = "time", e = 1.5, k = 0.1 }
respond = { reservation_near_deadline = 2 }

[parties.observer]
veto = false
weights = { price = 1 }
values.price = { linear = { worst = 0, best = 100 } }
reservation = 0.5

[protocol]
kind = "alternating"
order = ["seller", "buyer"]
deadline = 12
breakdown = 0.03
resolution = 11

[[events]]
step = 4
shift_reservation = { party = "buyer", by = -0.1 }

[simulation]
rounds = 5000
seed = 3
"#;

/// Rubinstein's pie with uncertain discounts: every round solves its own game.
fn equilibrium_fixture() -> String {
    std::fs::read_to_string(repo_file("scenarios/rubinstein.toml"))
        .expect("bundled scenario")
        .replacen("discount = 0.9", "discount = { uniform = [0.8, 0.95] }", 1)
}

/// 5,453 rounds: 6 blocks of 1024, the last one short.
const ROUNDS: &str = "5453";

/// For N in `shards`: shards of `cmd_args` merged (in reverse order) give the single run's
/// JSON and CSV byte for byte.
fn check_shards(dir: &Path, cmd_args: &[&str], shards: std::ops::RangeInclusive<u64>) {
    let mut single = Vec::new();
    for (format, out) in [("json", "single.json"), ("csv", "single.csv")] {
        let mut args = cmd_args.to_vec();
        args.extend(["--format", format, "-o", out]);
        ok(dir, &args);
        single.push(read(dir, out));
    }
    for n in shards {
        let mut parts = Vec::new();
        for k in 1..=n {
            let name = format!("part{k}of{n}.json");
            let shard = format!("{k}/{n}");
            let mut args = cmd_args.to_vec();
            args.extend(["--shard", &shard, "-o", &name]);
            ok(dir, &args);
            let partial: Value = serde_json::from_slice(&read(dir, &name)).expect("JSON");
            assert_eq!(partial["accord_partial"], 5, "{cmd_args:?}: partial format");
            assert_eq!(partial["seed_contract"], 2, "{cmd_args:?}: seed contract");
            parts.push(name);
        }
        parts.reverse();
        for (i, (format, out)) in [("json", "merged.json"), ("csv", "merged.csv")]
            .into_iter()
            .enumerate()
        {
            let mut args = vec!["merge"];
            args.extend(parts.iter().map(String::as_str));
            args.extend(["--format", format, "-o", out]);
            ok(dir, &args);
            let merged = read(dir, out);
            assert!(
                merged == single[i],
                "{cmd_args:?}: {n} shards merged as {format} differ from the single run:\n{}\nvs\n{}",
                String::from_utf8_lossy(&merged),
                String::from_utf8_lossy(&single[i])
            );
        }
        for p in &parts {
            std::fs::remove_file(dir.join(p)).expect("remove");
        }
    }
}

#[test]
fn merged_shards_of_an_alternating_run_equal_the_single_run_byte_for_byte() {
    let dir = temp_with("alt.toml", ALTERNATING);
    check_shards(
        dir.path(),
        &["run", "alt.toml", "--rounds", ROUNDS, "--seed", "5"],
        1..=4,
    );
    // The result is a real one: agreements, breakdowns and deadlines all happen.
    let v = ok_json(
        dir.path(),
        &["run", "alt.toml", "--rounds", ROUNDS, "--format", "json"],
    );
    for ending in ["agreement", "breakdown"] {
        let p = v["endings"][ending]["p"].as_f64().expect("p");
        assert!(p > 0.02 && p < 0.98, "{ending}: {p}");
    }
}

#[test]
fn merged_shards_of_mediated_equilibrium_and_parameter_sweeps_equal_the_single_run() {
    let dir = temp_with("eq.toml", &equilibrium_fixture());
    let d = dir.path();
    std::fs::write(d.join("trio.toml"), TRIO).expect("fixture");
    let mediated = repo_file("scenarios/peace-plan-2025-mediated.toml");
    let mediated = mediated.to_str().expect("UTF-8 path");
    check_shards(d, &["run", mediated, "--rounds", ROUNDS], 2..=3);
    // A mediated text started from another proposal: the start travels in the partial.
    check_shards(
        d,
        &["run", mediated, "--rounds", ROUNDS, "--proposal", "plan_19"],
        2..=2,
    );
    check_shards(d, &["run", "eq.toml", "--rounds", ROUNDS], 2..=3);
    check_shards(
        d,
        &[
            "sweep",
            "trio.toml",
            "--rounds",
            ROUNDS,
            "--param",
            "deadline",
            "--from",
            "1",
            "--to",
            "5",
            "--points",
            "5",
        ],
        1..=3,
    );
    check_shards(
        d,
        &[
            "sweep",
            "eq.toml",
            "--rounds",
            ROUNDS,
            "--param",
            "deadline",
            "--from",
            "1",
            "--to",
            "6",
            "--param",
            "second.discount",
            "--from",
            "0.5",
            "--to",
            "0.9",
            "--points",
            "3",
        ],
        2..=2,
    );
}

#[test]
fn partials_of_different_protocols_or_altered_tallies_are_refused() {
    let dir = temp_with("trio.toml", TRIO);
    let d = dir.path();
    std::fs::write(d.join("alt.toml"), ALTERNATING).expect("fixture");
    ok(
        d,
        &[
            "run",
            "trio.toml",
            "--rounds",
            ROUNDS,
            "--shard",
            "1/2",
            "-o",
            "t1.json",
        ],
    );
    ok(
        d,
        &[
            "run", "alt.toml", "--rounds", ROUNDS, "--shard", "2/2", "-o", "a2.json",
        ],
    );
    let keep = ["a2.json", "alt.toml", "t1.json", "trio.toml"];
    assert_rejected(
        d,
        &["merge", "t1.json", "a2.json"],
        &["differ in scenario"],
        &keep,
    );
    // A tally of the wrong kind, or of the wrong shape, is caught rather than mis-added.
    let text = String::from_utf8(read(d, "t1.json")).expect("UTF-8");
    ok(
        d,
        &[
            "run",
            "trio.toml",
            "--rounds",
            ROUNDS,
            "--shard",
            "2/2",
            "-o",
            "t2.json",
        ],
    );
    let mut keep = keep.to_vec();
    keep.extend(["t2.json", "x1.json"]);
    keep.sort();
    let renamed = text.replacen("\"scenarios\": [", "\"deals\": [", 1);
    assert_ne!(renamed, text, "the partial names its tally kind");
    std::fs::write(d.join("x1.json"), renamed).expect("write");
    assert_rejected(d, &["merge", "x1.json", "t2.json"], &["x1.json"], &keep);
    let mut v: Value = serde_json::from_str(&text).expect("JSON");
    v["tally"]["scenarios"][0]["agreed_at"]
        .as_array_mut()
        .expect("per-step counts")
        .pop();
    std::fs::write(d.join("x1.json"), v.to_string()).expect("write");
    assert_rejected(
        d,
        &["merge", "x1.json", "t2.json"],
        &["x1.json", "checksum does not match"],
        &keep,
    );
    // A partial of the previous format is named as such.
    let old = text.replacen("\"accord_partial\": 5", "\"accord_partial\": 1", 1);
    std::fs::write(d.join("x1.json"), old).expect("write");
    assert_rejected(
        d,
        &["merge", "x1.json", "t2.json"],
        &["x1.json", "partial format 1"],
        &keep,
    );
}

/// The agreement half-width of a dynamic run's JSON, or the largest over a sweep's points.
fn max_half_width(v: &Value) -> f64 {
    let half = |a: &Value| 0.5 * (a["hi"].as_f64().expect("hi") - a["lo"].as_f64().expect("lo"));
    match v.get("points").and_then(Value::as_array) {
        Some(points) => points
            .iter()
            .map(|p| half(&p["agreement"]))
            .fold(f64::NEG_INFINITY, f64::max),
        None => half(&v["agreement"]),
    }
}

/// Precision mode on `cmd_args` with target `h` stops at the first block boundary where the
/// largest agreement half-width is at most `h`; a plain run of that many rounds gives the
/// same numbers, and one block fewer misses the target. Returns the rounds played.
fn check_precision(dir: &Path, cmd_args: &[&str], h: f64) -> u64 {
    let target = h.to_string();
    let mut args = cmd_args.to_vec();
    args.extend(["--precision", &target, "--format", "json"]);
    let out = accord_in(dir, &args);
    assert_eq!(out.code, 0, "{args:?}: {}", out.stderr);
    let mut v: Value = serde_json::from_str(&out.stdout).expect("JSON");
    let rounds = v["rounds"].as_u64().expect("rounds");
    assert_eq!(
        rounds % 1024,
        0,
        "{cmd_args:?}: {rounds} is not a block boundary"
    );
    assert!(
        rounds >= 2048,
        "{cmd_args:?}: pick a smaller target ({rounds} rounds)"
    );
    assert!(
        out.stderr.contains(&format!(
            "reached after {} rounds",
            accord::text::thousands(rounds)
        )),
        "the output says how many rounds it took:\n{}",
        out.stderr
    );
    let p = v["precision"].clone();
    assert_eq!(p["target"].as_f64(), Some(h));
    assert_eq!(p["reached"], true);
    let achieved = max_half_width(&v);
    assert!(achieved <= h, "{achieved} > {h}");
    // (JSON numbers are printed to 12 significant digits.)
    assert!((p["achieved"].as_f64().expect("achieved") - achieved).abs() <= 1e-10 * achieved);
    v.as_object_mut().expect("object").remove("precision");
    let plain = |r: u64| {
        let r = r.to_string();
        let mut args = cmd_args.to_vec();
        args.extend(["--rounds", &r, "--format", "json"]);
        ok_json(dir, &args)
    };
    assert_eq!(v, plain(rounds), "{cmd_args:?}: precision run ≠ plain run");
    let before = max_half_width(&plain(rounds - 1024));
    assert!(
        before > h,
        "{cmd_args:?}: {} rounds already reach {before} <= {h}",
        rounds - 1024
    );
    rounds
}

#[test]
fn precision_mode_on_dynamic_protocols_stops_at_the_first_block_boundary_meeting_the_target() {
    let dir = temp_with("trio.toml", TRIO);
    let d = dir.path();
    std::fs::write(d.join("alt.toml"), ALTERNATING).expect("fixture");
    std::fs::write(d.join("eq.toml"), equilibrium_fixture()).expect("fixture");
    let trio = check_precision(d, &["run", "trio.toml"], 0.012);
    // Agreement ≈ 0.36: the 95% Wilson half-width falls below 0.012 near 1.96²·0.23/0.012²
    // ≈ 6,200 rounds.
    assert!((5 * 1024..=8 * 1024).contains(&trio), "{trio}");
    check_precision(d, &["run", "alt.toml", "--seed", "9"], 0.015);
    check_precision(
        d,
        &["run", "trio.toml", "--threads", "1", "--seed", "4"],
        0.013,
    );
    let sweep = check_precision(
        d,
        &[
            "sweep",
            "trio.toml",
            "--param",
            "breakdown",
            "--from",
            "0",
            "--to",
            "0.2",
            "--points",
            "3",
        ],
        0.014,
    );
    assert!(sweep > 2048);
    // The mediated and equilibrium protocols too (an equilibrium with uncertain discounts
    // always agrees: its half-width shrinks only with rounds).
    let mediated = repo_file("scenarios/peace-plan-2025-mediated.toml");
    check_precision(d, &["run", mediated.to_str().expect("path")], 0.02);
    check_precision(d, &["run", "eq.toml"], 0.0015);
}

/// `accord seeds` on `source` for 20 seeds of 4000 rounds: agreement's spread across seeds
/// matches the intervals, the truth is inside most seeds' intervals, and their mean is
/// within 6 standard errors of it.
fn check_seeds(source: &str, truth: f64) {
    let dir = temp_with("s.toml", source);
    let v = ok_json(
        dir.path(),
        &["seeds", "s.toml", "--seeds", "1..=20", "--format", "json"],
    );
    assert_eq!(v["protocol"], "alternating");
    let estimates = v["estimates"].as_array().expect("estimates");
    assert_eq!(estimates.len(), 1, "agreement only: {estimates:?}");
    let e = &estimates[0];
    assert_eq!(e["proposal"], "alternating");
    assert_eq!(e["estimate"], "agreement");
    assert_eq!(e["verdict"], "consistent", "{e}");
    let per_seed = e["per_seed"].as_array().expect("per seed");
    assert_eq!(per_seed.len(), 20);
    let covered = per_seed
        .iter()
        .filter(|s| {
            s["lo"].as_f64().expect("lo") <= truth && truth <= s["hi"].as_f64().expect("hi")
        })
        .count();
    // 95% intervals: 19 of 20 expected; 13 or fewer has probability below 1e-4.
    assert!(
        covered >= 14,
        "truth {truth} inside {covered} of 20 intervals"
    );
    let mean = e["mean"].as_f64().expect("mean");
    let se = (truth * (1.0 - truth) / 80_000.0).sqrt();
    assert!(
        (mean - truth).abs() <= 6.0 * se,
        "mean {mean} vs truth {truth} (se {se})"
    );
    // The table and the chart work too.
    let table = ok(
        dir.path(),
        &["seeds", "s.toml", "--seeds", "1..=4", "--plot", "s.svg"],
    );
    assert!(table.contains("agreement"), "{table}");
    assert!(dir.path().join("s.svg").exists());
}

#[test]
fn seeds_on_dynamic_protocols_agree_with_closed_form_agreement_probabilities() {
    // Three hardliners, agreement at step 1, 2 or 3 by the reservations (see TRIO).
    check_seeds(TRIO, trio_truth(0.1, 6));
    // A fixed step: with fixed reservations every round plays the same, agreeing at step 3
    // unless talks broke down first: P(agreement) = (1 − p)³.
    let fixed = TRIO
        .replacen(
            "reservation = { uniform = [0.2, 0.6] }",
            "reservation = 0.25",
            1,
        )
        .replacen(
            "reservation = { uniform = [0.2, 0.6] }",
            "reservation = 0.4",
            1,
        )
        .replacen(
            "reservation = { uniform = [0.2, 0.6] }",
            "reservation = 0.4",
            1,
        )
        .replace("breakdown = 0.1", "breakdown = 0.15");
    // r_a = 0.25, r_b = r_c = 0.4: A1 needs r_b ≤ 0.3 (no), A2 needs r_c ≤ 0.3 (no), A3 needs
    // r_a ≤ 0.3 and r_b ≤ 0.5 (yes): agreement at step 3 in every round that survives.
    let dir = temp_with("f.toml", &fixed);
    let v = ok_json(
        dir.path(),
        &["run", "f.toml", "--format", "json", "--rounds", "2000"],
    );
    assert_eq!(v["mean_agreement_step"], 3.0);
    check_seeds(&fixed, 0.85f64.powi(3));
}

/// The agreement estimate's successes at each point of a sweep's JSON.
fn agreements(v: &Value) -> Vec<u64> {
    v["points"]
        .as_array()
        .expect("points")
        .iter()
        .map(|p| {
            let a = &p["agreement"];
            (a["p"].as_f64().expect("p") * a["n"].as_u64().expect("n") as f64).round() as u64
        })
        .collect()
}

#[test]
fn agreement_rises_with_the_deadline_and_falls_with_the_breakdown_risk_on_the_same_worlds() {
    let dir = temp_with("trio.toml", TRIO);
    let d = dir.path();
    let v = ok_json(
        d,
        &[
            "sweep",
            "trio.toml",
            "--param",
            "deadline",
            "--from",
            "1",
            "--to",
            "8",
            "--points",
            "8",
            "--rounds",
            "20000",
            "--format",
            "json",
        ],
    );
    let axis = &v["axes"][0];
    assert_eq!(axis["kind"], "param");
    assert_eq!(axis["name"], "deadline");
    assert_eq!(axis["integer"], true);
    let k = agreements(&v);
    assert_eq!(k.len(), 8);
    // Same worlds: a round that agrees by deadline t agrees by any later one, exactly.
    assert!(k.windows(2).all(|w| w[0] <= w[1]), "{k:?}");
    // Talks that have not agreed by step 3 never do (the offers repeat).
    assert!(k[0] < k[1] && k[1] < k[2], "{k:?}");
    assert!(k[2..].iter().all(|&x| x == k[2]), "{k:?}");
    for (t, &x) in (1..=8).zip(&k) {
        let truth = trio_truth(0.1, t);
        let se = (truth * (1.0 - truth) / 20_000.0).sqrt();
        let est = x as f64 / 20_000.0;
        assert!(
            (est - truth).abs() <= 6.0 * se,
            "deadline {t}: {est} vs {truth}"
        );
    }
    // Every party's acceptance is the agreement; mean utilities are those of the agreed deal.
    let p = &v["points"][7];
    for party in p["parties"].as_array().expect("parties") {
        assert_eq!(party["accept"], p["agreement"]);
        let u = party["mean_utility"].as_f64().expect("utility");
        assert!((0.3..=1.0).contains(&u), "{u}");
    }

    let v = ok_json(
        d,
        &[
            "sweep",
            "trio.toml",
            "--param",
            "breakdown",
            "--from",
            "0",
            "--to",
            "0.5",
            "--points",
            "11",
            "--rounds",
            "20000",
            "--format",
            "json",
        ],
    );
    let k = agreements(&v);
    assert!(k.windows(2).all(|w| w[0] >= w[1]), "{k:?}");
    assert!(k[0] > k[10], "{k:?}");
    // Without breakdown, 7/16 of rounds agree.
    let est = k[0] as f64 / 20_000.0;
    let se = (0.4375f64 * 0.5625 / 20_000.0).sqrt();
    assert!((est - 0.4375).abs() <= 6.0 * se, "{est}");
    // The baseline (the file's breakdown) is marked.
    assert_eq!(v["markers"][0]["x"], 0.1);

    // On the peace plan, with tactics of uncertain exponent, the breakdown risk still only
    // cuts talks short.
    let plan = repo_file("scenarios/peace-plan-2025-alternating.toml");
    let v = ok_json(
        d,
        &[
            "sweep",
            plan.to_str().expect("path"),
            "--param",
            "breakdown",
            "--from",
            "0",
            "--to",
            "0.2",
            "--points",
            "5",
            "--rounds",
            "3000",
            "--format",
            "json",
        ],
    );
    let k = agreements(&v);
    assert!(k.windows(2).all(|w| w[0] >= w[1]), "{k:?}");
}

/// `agreement` and every party's means of a sweep point equal those of a run's result.
fn assert_point_is_run(point: &Value, run: &Value, what: &str) {
    assert_eq!(point["agreement"], run["agreement"], "{what}: agreement");
    let parties = point["parties"].as_array().expect("parties");
    for (i, p) in parties.iter().enumerate() {
        let r = &run["parties"][i];
        assert_eq!(p["party"], r["party"], "{what}");
        assert_eq!(
            p["mean_utility"], r["mean_utility"],
            "{what}: utility of {}",
            p["party"]
        );
    }
}

#[test]
fn sweep_points_equal_single_runs_of_the_modified_scenario() {
    let dir = temp_with("alt.toml", ALTERNATING);
    let d = dir.path();
    // (parameter, values, the text in the file, its replacement pattern)
    let cases: [(&str, &[&str], &str, &str); 4] = [
        (
            "deadline",
            &["6", "9", "12"],
            "deadline = 12",
            "deadline = {}",
        ),
        (
            "breakdown",
            &["0.01", "0.03", "0.05"],
            "breakdown = 0.03",
            "breakdown = {}",
        ),
        (
            "buyer.tactic.e",
            &["0.5", "1", "1.5"],
            "e = 1.5, k = 0.1",
            "e = {}, k = 0.1",
        ),
        (
            "seller.discount",
            &["0.9", "0.95", "1"],
            "discount = 0.98",
            "discount = {}",
        ),
    ];
    for (name, values, text, pattern) in cases {
        let (from, to) = (values[0], values[values.len() - 1]);
        let steps = values.len().to_string();
        let v = ok_json(
            d,
            &[
                "sweep", "alt.toml", "--param", name, "--from", from, "--to", to, "--points",
                &steps, "--rounds", "3000", "--seed", "8", "--format", "json",
            ],
        );
        for (i, value) in values.iter().enumerate() {
            let point = &v["points"][i];
            assert_eq!(
                point["x"][0].as_f64(),
                Some(value.parse::<f64>().expect("number"))
            );
            assert_eq!(ALTERNATING.matches(text).count(), 1, "{text}");
            let modified = ALTERNATING.replacen(text, &pattern.replace("{}", value), 1);
            std::fs::write(d.join("point.toml"), modified).expect("write");
            let run = ok_json(
                d,
                &[
                    "run",
                    "point.toml",
                    "--rounds",
                    "3000",
                    "--seed",
                    "8",
                    "--format",
                    "json",
                ],
            );
            assert_point_is_run(point, &run, &format!("{name} = {value}"));
        }
    }
}

#[test]
fn swept_scenarios_are_the_scenarios_their_files_would_give() {
    let axis = |name: &str, from: f64, to: f64, points: usize| AxisSpec::Param {
        name: name.into(),
        from: Some(from),
        to: Some(to),
        points: Some(points),
    };
    let scenarios = |v: &Variants| match v {
        Variants::Scenarios(s) => s.clone(),
        Variants::Deals { .. } => panic!("a dynamic sweep plays scenarios"),
    };
    // A breakdown axis on a file without breakdown adds the draw, as the parser would.
    let base = scenario(&TRIO.replace("breakdown = 0.1\n", ""));
    let spec = SweepSpec {
        base: None,
        axes: vec![axis("breakdown", 0.0, 0.2, 3)],
        given: Vec::new(),
    };
    let p = plan(&base, &spec).expect("valid sweep");
    assert_eq!(p.worlds.uncertain.len(), base.uncertain.len() + 1);
    for (x, s) in p.coords.iter().zip(&scenarios(&p.variants)) {
        assert_eq!(s.uncertain.len(), p.worlds.uncertain.len());
        if x[0] > 0.0 {
            let text = TRIO.replace("breakdown = 0.1", &format!("breakdown = {}", x[0]));
            let parsed = parse(&text, "inline.toml", Format::Toml).expect("valid");
            assert_eq!(&parsed, s, "breakdown {}", x[0]);
        }
    }
    // An uncertain parameter is fixed at each value, and its draw kept.
    let plan_file = repo_file("scenarios/peace-plan-2025-alternating.toml");
    let text = std::fs::read_to_string(&plan_file).expect("bundled");
    let peace = parse(&text, "peace.toml", Format::Toml).expect("valid");
    let spec = SweepSpec {
        base: None,
        axes: vec![axis("ukraine.tactic.e", 0.5, 2.0, 4)],
        given: Vec::new(),
    };
    let p = plan(&peace, &spec).expect("valid sweep");
    assert_eq!(*p.worlds, peace);
    assert!(p.info.axes[0].label.contains("uncertain in the scenario"));
    for (x, s) in p.coords.iter().zip(&scenarios(&p.variants)) {
        assert_eq!(s.uncertain, peace.uncertain);
        let ProtocolSpec::Alternating { .. } = &s.protocol else {
            panic!("alternating")
        };
        let u = peace.party_index("ukraine").expect("ukraine");
        let tactic = s.parties[u].negotiation.tactic();
        assert_eq!(tactic.name(), "time");
        assert_eq!(
            tactic.get(accord::model::TacticKey::E),
            Some(accord::model::Param::Fixed(x[0]))
        );
    }
    // Integer parameters are rounded, and repeated values dropped.
    let spec = SweepSpec {
        base: None,
        axes: vec![axis("deadline", 1.2, 4.4, 9)],
        given: Vec::new(),
    };
    let p = plan(&base, &spec).expect("valid sweep");
    assert_eq!(p.info.axes[0].values, vec![1.0, 2.0, 3.0, 4.0]);
}

#[test]
fn parameter_sweeps_draw_only_the_agreement_line() {
    let dir = temp_with("trio.toml", TRIO);
    let d = dir.path();
    ok(
        d,
        &[
            "sweep",
            "trio.toml",
            "--param",
            "deadline",
            "--from",
            "1",
            "--to",
            "6",
            "--rounds",
            "2000",
            "--plot",
            "d.svg",
            "-o",
            "d.json",
        ],
    );
    let svg = String::from_utf8(read(d, "d.svg")).expect("UTF-8");
    assert!(svg.contains("P(agreement)"));
    assert!(svg.contains("deadline (steps)"));
    assert!(!svg.contains("agreement (all vetoes)"));
    // No party line: no legend entry names a party.
    for party in [">a<", ">b<", ">c<"] {
        assert!(!svg.contains(party), "{party} drawn");
    }
    // `accord plot` redraws it from the JSON result.
    ok(d, &["plot", "d.json", "--plot", "again.svg"]);
    let again = String::from_utf8(read(d, "again.svg")).expect("UTF-8");
    assert!(again.contains("P(agreement)"));
}

#[test]
fn bad_parameter_sweeps_are_refused_naming_the_flag() {
    let dir = temp_with("trio.toml", TRIO);
    let d = dir.path();
    std::fs::write(d.join("alt.toml"), ALTERNATING).expect("fixture");
    std::fs::write(d.join("eq.toml"), equilibrium_fixture()).expect("fixture");
    std::fs::write(
        d.join("ratify.toml"),
        crate::sweep::FIXTURE.replace("rounds = 5_000", "rounds = 500"),
    )
    .expect("fixture");
    let keep = ["alt.toml", "eq.toml", "ratify.toml", "trio.toml"];
    let sweep = |file: &'static str, rest: &[&'static str]| -> Vec<&'static str> {
        let mut v = vec!["sweep", file];
        v.extend_from_slice(rest);
        v
    };
    let cases: Vec<(Vec<&str>, Vec<&str>)> = vec![
        (
            sweep(
                "alt.toml",
                &["--param", "deadlin", "--from", "2", "--to", "9"],
            ),
            vec!["--param deadlin", "did you mean `deadline`?"],
        ),
        (
            sweep(
                "alt.toml",
                &["--param", "seler.discount", "--from", "0.5", "--to", "0.9"],
            ),
            vec!["--param seler.discount", "did you mean `seller.discount`?"],
        ),
        (
            sweep(
                "alt.toml",
                &[
                    "--param",
                    "seller.tactic.level",
                    "--from",
                    "0.5",
                    "--to",
                    "0.9",
                ],
            ),
            vec![
                "--param seller.tactic.level",
                "time tactic",
                "has no `level`",
            ],
        ),
        (
            sweep(
                "alt.toml",
                &[
                    "--param",
                    "observer.discount",
                    "--from",
                    "0.5",
                    "--to",
                    "0.9",
                ],
            ),
            vec!["--param observer.discount", "does not negotiate"],
        ),
        (
            sweep(
                "alt.toml",
                &[
                    "--param",
                    "seller.respond.threshold",
                    "--from",
                    "0.5",
                    "--to",
                    "0.9",
                ],
            ),
            vec!["--param seller.respond.threshold", "not by a threshold"],
        ),
        (
            sweep(
                "alt.toml",
                &[
                    "--param",
                    "buyer.reservation",
                    "--from",
                    "0.1",
                    "--to",
                    "0.5",
                ],
            ),
            vec!["--param buyer.reservation", "swept as a reservation axis"],
        ),
        (
            sweep(
                "eq.toml",
                &["--param", "breakdown", "--from", "0", "--to", "0.2"],
            ),
            vec!["--param breakdown", "equilibrium protocol has no breakdown"],
        ),
        (
            sweep(
                "eq.toml",
                &["--param", "first.tactic.e", "--from", "0.5", "--to", "2"],
            ),
            vec!["--param first.tactic.e", "does not use tactics"],
        ),
        (
            sweep(
                "alt.toml",
                &["--param", "seller.discount", "--from", "0", "--to", "0.9"],
            ),
            vec!["--from 0", "`discount` must be in (0, 1]"],
        ),
        (
            sweep(
                "alt.toml",
                &["--param", "breakdown", "--from", "0", "--to", "1"],
            ),
            vec!["--to 1", "a probability in [0, 1)"],
        ),
        (
            sweep(
                "alt.toml",
                &["--param", "seller.tactic.e", "--from", "0", "--to", "2"],
            ),
            vec!["--from 0", "a finite number > 0"],
        ),
        (
            sweep(
                "alt.toml",
                &["--param", "seller.tactic.k", "--from", "0", "--to", "1.5"],
            ),
            vec!["--to 1.5", "a number in [0, 1]"],
        ),
        (
            sweep(
                "alt.toml",
                &["--param", "deadline", "--from", "0", "--to", "9"],
            ),
            vec!["--from 0", "a number of steps from 1"],
        ),
        (
            sweep(
                "alt.toml",
                &["--param", "deadline", "--from", "2", "--to", "9"],
            ),
            vec!["--param deadline", "deadline = 2", "event at step 4"],
        ),
        (
            sweep("alt.toml", &["--param", "deadline", "--to", "9"]),
            vec!["--param deadline (no --from)", "range of deadline"],
        ),
        (
            sweep(
                "alt.toml",
                &["--param", "deadline", "--from", "5", "--to", "5.2"],
            ),
            vec!["nothing to sweep"],
        ),
        (
            sweep(
                "alt.toml",
                &[
                    "--param", "deadline", "--from", "5", "--to", "9", "--param", "deadline",
                    "--from", "6", "--to", "8",
                ],
            ),
            vec!["--param deadline", "twice"],
        ),
        (
            sweep(
                "alt.toml",
                &["--clause", "price", "--from", "10", "--to", "90"],
            ),
            vec![
                "--clause price",
                "no fixed text",
                "sweep one of its parameters",
            ],
        ),
        (
            sweep(
                "alt.toml",
                &[
                    "--proposal",
                    "x",
                    "--param",
                    "deadline",
                    "--from",
                    "5",
                    "--to",
                    "9",
                ],
            ),
            vec!["--proposal", "no proposal"],
        ),
        (
            sweep(
                "ratify.toml",
                &["--param", "deadline", "--from", "5", "--to", "9"],
            ),
            vec![
                "--param deadline",
                "ratify protocol has no protocol or tactic parameters",
            ],
        ),
        (
            sweep(
                "alt.toml",
                &["--from", "5", "--param", "deadline", "--to", "9"],
            ),
            vec!["--from 5", "before any"],
        ),
    ];
    for (args, expect) in cases {
        assert_rejected(d, &args, &expect, &keep);
    }
    // `seeds` takes the same axes and refuses the same way.
    assert_rejected(
        d,
        &[
            "seeds", "alt.toml", "--seeds", "1..=3", "--param", "deadlin", "--from", "2", "--to",
            "9",
        ],
        &["--param deadlin", "did you mean `deadline`?"],
        &keep,
    );
}

#[test]
fn seeds_over_a_parameter_sweep_report_agreement_per_point() {
    let dir = temp_with("trio.toml", TRIO);
    let v = ok_json(
        dir.path(),
        &[
            "seeds",
            "trio.toml",
            "--seeds",
            "1..=5",
            "--rounds",
            "2000",
            "--param",
            "deadline",
            "--from",
            "1",
            "--to",
            "3",
            "--points",
            "3",
            "--format",
            "json",
        ],
    );
    let names: Vec<(&str, &str)> = v["estimates"]
        .as_array()
        .expect("estimates")
        .iter()
        .map(|e| {
            (
                e["proposal"].as_str().expect("proposal"),
                e["estimate"].as_str().expect("estimate"),
            )
        })
        .collect();
    assert_eq!(
        names,
        vec![
            ("deadline=1", "agreement"),
            ("deadline=2", "agreement"),
            ("deadline=3", "agreement"),
        ]
    );
}

/// Every bundled scenario checks and runs (data files for `calibrate`, with no `[scenario]`,
/// excepted); the state of play starts from the text Ukraine accepted and the mediator only
/// ever moves a clause to a value one of the drafts put on the table.
#[test]
fn bundled_scenarios_run_and_the_state_of_play_amends_within_the_drafts() {
    let mut ran = 0;
    for entry in std::fs::read_dir(repo_file("scenarios")).expect("scenarios folder") {
        let path = entry.expect("entry").path();
        let text = std::fs::read_to_string(&path).expect("readable");
        if !text.lines().any(|l| l == "[scenario]") {
            continue;
        }
        let file = path.to_str().expect("utf-8 path");
        let out = accord(&["run", file, "--rounds", "1024", "--format", "json"]);
        assert_eq!(out.code, 0, "{file}: {}", out.stderr);
        ran += 1;
    }
    assert!(ran >= 10, "only {ran} bundled scenarios ran");
    let file = repo_file("scenarios/peace-plan-2025-state-of-play.toml");
    let out = accord(&[
        "run",
        file.to_str().unwrap(),
        "--rounds",
        "4096",
        "--format",
        "json",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let json: serde_json::Value = serde_json::from_str(&out.stdout).expect("json");
    assert_eq!(json["start"], "plan_19");
    // First amendments go only to values one of the drafts offered (the negotiable sets).
    let firsts = json["amendments"]["first"]
        .as_array()
        .expect("first amendments");
    assert!(!firsts.is_empty(), "the mediator amends: {json}");
    for f in firsts {
        let offered: &[&str] = match f["clause"].as_str().expect("clause") {
            "nato" => &["renounced", "deferred"],
            "crimea_luhansk_donetsk" => &["de_facto", "left_to_talks"],
            "kherson_zaporizhzhia" => &["frozen_on_contact_line"],
            _ => continue,
        };
        let to = f["to"].as_str().expect("an option");
        assert!(
            offered.contains(&to),
            "amended to {to}, which no draft offered"
        );
    }
}
