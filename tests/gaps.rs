//! Issue 13, item 5: exact deal quantiles in dynamic results, reservation sweeps by shift,
//! and event steps and sizes as sweep parameters.

use accord::model::dist::Dist;
use accord::model::{EventKind, Param};
use accord::sim::RunOptions;
use serde_json::json;

use crate::common::{
    accord_in, assert_rejected, bundled_dist, dynamic_run, ok_json, repo_file, scenario, temp_with,
};

/// Rubinstein's finite-horizon game with discount 0.7 and deadline 5: the first proposer
/// keeps 1 − 0.7 + 0.7² − 0.7³ + 0.7⁴ = 0.6871, between the points of any decimal grid
/// coarser than 10⁻⁴.
const RUBINSTEIN_5: &str = r#"
[scenario]
name = "Rubinstein, five steps"

[clauses.share]
kind = "range"
min = 0
max = 1

[parties.first]
weights = { share = 1 }
values.share = { linear = { worst = 0, best = 1 } }
reservation = 0
discount = 0.7

[parties.second]
weights = { share = 1 }
values.share = { linear = { worst = 1, best = 0 } }
reservation = 0
discount = 0.7

[protocol]
kind = "equilibrium"
order = ["first", "second"]
deadline = 5

[simulation]
rounds = 1_000
seed = 1
"#;

#[test]
fn equilibrium_deal_quantiles_are_the_deals_themselves() {
    let s = scenario(RUBINSTEIN_5);
    let r = dynamic_run(
        &s,
        RunOptions {
            rounds: 1000,
            seed: 1,
            threads: Some(2),
        },
    );
    let share = &r.deal[0];
    let q = share.q50.expect("a median");
    // Every round agrees on the same deal: each quantile is it, to the last bit.
    assert_eq!(share.q05, Some(q));
    assert_eq!(share.q95, Some(q));
    let closed = 1.0 - 0.7 + 0.49 - 0.343 + 0.2401;
    assert!((q - closed).abs() < 1e-12, "{q} vs {closed}");
    // Not the 1,001-point grid's nearest value (0.687), which it was snapped to before.
    assert!((q - 0.687).abs() > 1e-5, "{q}");
    // The mean is an exact sum in units of 2⁻⁴⁰: within one unit of the deal.
    let mean = share.mean.expect("a mean");
    assert!((mean - q).abs() <= 2f64.powi(-40), "{mean} vs {q}");
}

#[test]
fn uncertain_equilibrium_quantiles_are_agreed_values() {
    // With the first party's discount uncertain every round has its own deal; the
    // quantiles are among the agreed values (the closed form at some discount in the
    // range), not grid points, and ordered.
    let text = RUBINSTEIN_5.replacen(
        "discount = 0.7\n",
        "discount = { uniform = [0.6, 0.8] }\n",
        1,
    );
    let s = scenario(&text);
    let r = dynamic_run(
        &s,
        RunOptions {
            rounds: 2000,
            seed: 3,
            threads: Some(2),
        },
    );
    let share = &r.deal[0];
    let (q05, q50, q95) = (share.q05.unwrap(), share.q50.unwrap(), share.q95.unwrap());
    assert!(q05 < q50 && q50 < q95, "{q05} {q50} {q95}");
    // Exact values are off the 1,001-point grid, which would give multiples of 0.001.
    for q in [q05, q50, q95] {
        assert!(((q * 1000.0).round() - q * 1000.0).abs() > 1e-9, "{q}");
    }
    // The same for any thread count (exact counts merge in any order).
    let again = dynamic_run(
        &s,
        RunOptions {
            rounds: 2000,
            seed: 3,
            threads: Some(1),
        },
    );
    assert_eq!(again.deal, r.deal);
}

#[test]
fn a_reservation_sweep_by_shift_is_the_same_as_by_value() {
    let file = repo_file("scenarios/peace-plan-2025.toml");
    let file = file.to_str().unwrap();
    let dir = temp_with("x", "");
    let run = |axis: &[&str]| {
        let mut args = vec![
            "sweep",
            file,
            "--proposal",
            "plan_19",
            "--reservation",
            "ukraine",
        ];
        args.extend_from_slice(axis);
        args.extend_from_slice(&["--points", "5", "--rounds", "2000", "--format", "json"]);
        ok_json(dir.path(), &args)
    };
    // Ukraine's reservation is normal: shifts -0.2..0 run from its mean less 0.2 to its mean.
    let Dist::Normal { mean, .. } = bundled_dist("peace-plan-2025.toml", "ukraine.reservation")
    else {
        panic!("Ukraine's reservation is no longer normal");
    };
    let low = mean - 0.2;
    let shifted = run(&["--shift", "-0.2..0"]);
    let valued = run(&["--from", &low.to_string(), "--to", &mean.to_string()]);
    let points = |v: &serde_json::Value| v["points"].clone();
    assert_eq!(points(&shifted), points(&valued));
    let values = shifted["axes"][0]["values"].as_array().unwrap().clone();
    let first = values[0].as_f64().unwrap();
    let last = values[4].as_f64().unwrap();
    assert!((first - low).abs() < 1e-12 && last == mean, "{values:?}");
    // A lower outside option never makes Ukraine less willing.
    let accept: Vec<f64> = shifted["points"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            p["parties"]
                .as_array()
                .unwrap()
                .iter()
                .find(|q| q["party"] == "ukraine")
                .unwrap()["accept"]["p"]
                .as_f64()
                .unwrap()
        })
        .collect();
    assert!(accept.windows(2).all(|w| w[1] <= w[0]), "{accept:?}");
}

#[test]
fn bad_shifts_are_refused_naming_the_flag() {
    let file = repo_file("scenarios/peace-plan-2025.toml");
    let file = file.to_str().unwrap();
    let dir = temp_with("x", "");
    let d = dir.path();
    let keep = ["x"];
    let base = ["sweep", file, "--reservation", "ukraine"];
    for (extra, expect) in [
        (
            &["--shift", "-0.5..0"][..],
            &["--shift -0.5..0", "not a utility in [0, 1]"][..],
        ),
        (
            &["--shift", "0.1"][..],
            &["--shift 0.1", "not two numbers"][..],
        ),
        (
            &["--shift", "-0.1..0", "--from", "0.2"][..],
            &["--shift -0.1..0", "not both"][..],
        ),
    ] {
        let args: Vec<&str> = base.iter().chain(extra).copied().collect();
        assert_rejected(d, &args, expect, &keep);
    }
    assert_rejected(
        d,
        &["sweep", file, "--clause", "troop_cap", "--shift", "-0.1..0"],
        &["--shift -0.1..0", "applies to a --reservation axis"],
        &keep,
    );
}

/// The bundled alternating peace plan with its event's size fixed at `by` and at `step`.
fn with_event(by: &str, step: &str) -> String {
    let text = std::fs::read_to_string(repo_file("scenarios/peace-plan-2025-alternating.toml"))
        .expect("the bundled scenario");
    let event =
        "step = 3\nshift_reservation = { party = \"ukraine\", by = { uniform = [-0.15, -0.05] } }";
    assert_eq!(text.matches(event).count(), 1);
    text.replacen(
        event,
        &format!("step = {step}\nshift_reservation = {{ party = \"ukraine\", by = {by} }}"),
        1,
    )
}

#[test]
fn event_steps_and_sizes_sweep_as_if_written_in_the_file() {
    let dir = temp_with("plan.toml", &with_event("-0.1", "3"));
    let d = dir.path();
    let s = scenario(&with_event("-0.1", "3"));
    let e = &s.protocol.dynamic().unwrap().events()[0];
    assert_eq!(e.step, 3);
    assert!(matches!(
        e.kind,
        EventKind::ShiftReservation {
            by: Param::Fixed(_),
            ..
        }
    ));
    let rounds = ["--rounds", "1500", "--format", "json"];
    let sweep = |param: &str, from: &str, to: &str, points: &str| {
        let mut args = vec![
            "sweep",
            "plan.toml",
            "--param",
            param,
            "--from",
            from,
            "--to",
            to,
            "--points",
            points,
        ];
        args.extend_from_slice(&rounds);
        ok_json(d, &args)
    };
    // Each point is number for number the run of the file with that value written in.
    let run = |text: String| {
        let dir = temp_with("p.toml", &text);
        let mut args = vec!["run", "p.toml"];
        args.extend_from_slice(&rounds);
        ok_json(dir.path(), &args)
    };
    let by = sweep("events.0.by", "-0.3", "0", "4");
    let step = sweep("events.0.step", "1", "4", "4");
    assert_eq!(step["axes"][0]["values"], json!([1.0, 2.0, 3.0, 4.0]));
    for (k, v) in ["-0.3", "-0.2", "-0.1", "0"].iter().enumerate() {
        let file = run(with_event(v, "3"));
        assert_eq!(by["points"][k]["agreement"], file["agreement"], "by = {v}");
        for (q, party) in file["parties"].as_array().unwrap().iter().enumerate() {
            assert_eq!(
                by["points"][k]["parties"][q]["mean_utility"], party["mean_utility"],
                "by = {v}"
            );
        }
    }
    for (k, st) in ["1", "2", "3", "4"].iter().enumerate() {
        let file = run(with_event("-0.1", st));
        assert_eq!(
            step["points"][k]["agreement"], file["agreement"],
            "step = {st}"
        );
    }
    // The cut matters: without it agreement is rarer than with the largest.
    let p = |v: &serde_json::Value, k: usize| v["points"][k]["agreement"]["p"].as_f64().unwrap();
    assert!(p(&by, 0) > p(&by, 3), "{} vs {}", p(&by, 0), p(&by, 3));
    // A step outside the range, named by its flag.
    let out = accord_in(
        d,
        &[
            "sweep",
            "plan.toml",
            "--param",
            "events.0.step",
            "--from",
            "0",
            "--to",
            "3",
        ],
    );
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("--from 0"), "{}", out.stderr);
}
