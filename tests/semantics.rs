//! Utility semantics: weight renormalisation and reference dependence, checked exactly.

use accord::protocol::{Ratify, RatifyTally, ReservationAxis};
use accord::sim::{BLOCK_SIZE, Experiment, WorldSampler, block_rng};

use std::path::Path;

use crate::common::{accord_in, ok_json, repo_file, scenario, temp_with};

fn weighted(weights: &str) -> String {
    format!(
        r#"
[scenario]
name = "weights"

[clauses.a]
kind = "range"
min = 0
max = 10

[clauses.b]
kind = "choice"
options = ["no", "partly", "yes"]

[proposals.one]
a = 3
b = "partly"
[proposals.two]
a = 9
b = "no"

[parties.p]
weights = {weights}
values.a = {{ linear = {{ worst = 0, best = 10 }} }}
values.b = {{ table = {{ no = 0.0, partly = 0.5, yes = 1.0 }} }}
reservation = {{ normal = {{ mean = 0.45, sd = 0.1 }} }}
accept = {{ logit = {{ temperature = 0.05 }} }}

[parties.q]
weights = {{ a = 1 }}
values.a = {{ linear = {{ worst = 10, best = 0 }} }}
reservation = {{ uniform = [0.1, 0.6] }}
"#
    )
}

#[test]
fn weights_are_renormalised_exactly() {
    let raw = temp_with("s.toml", &weighted("{ a = 2, b = 6 }"));
    let unit = temp_with("s.toml", &weighted("{ a = 0.25, b = 0.75 }"));
    let args = [
        "run", "s.toml", "--format", "json", "--rounds", "5000", "--seed", "12",
    ];
    let x = accord_in(raw.path(), &args);
    let y = accord_in(unit.path(), &args);
    assert_eq!((x.code, y.code), (0, 0), "{}{}", x.stderr, y.stderr);
    assert_eq!(
        x.stdout, y.stdout,
        "weights 2:6 must behave exactly as 0.25:0.75"
    );
    // And the utilities are the hand-computed ones: one = 0.25·0.3 + 0.75·0.5 = 0.45.
    let v: serde_json::Value = serde_json::from_str(&x.stdout).expect("JSON");
    let u = v["results"][0]["parties"][0]["mean_utility"]
        .as_f64()
        .expect("a number");
    assert!((u - 0.45).abs() < 1e-9, "mean utility {u}");
    // Different weights do change the result (the comparison above has power).
    let other = temp_with("s.toml", &weighted("{ a = 0.5, b = 0.5 }"));
    assert_ne!(accord_in(other.path(), &args).stdout, x.stdout);
}

#[test]
fn sampled_weights_sum_to_one_each_round() {
    let src =
        weighted("{ a = { uniform = [0.5, 3.0] }, b = { lognormal = { mu = 0.0, sigma = 1.0 } } }");
    let s = scenario(&src);
    let sampler = WorldSampler::new(&s);
    let mut world = sampler.empty_world();
    let mut draws = sampler.empty_block();
    sampler.fill(&mut block_rng(5, 0), BLOCK_SIZE as usize, &mut draws);
    let mut spread = (f64::INFINITY, f64::NEG_INFINITY);
    for r in 0..BLOCK_SIZE as usize {
        sampler.load(&draws, r, &mut world);
        for p in 0..s.parties.len() {
            let w = world.weights_of(p);
            let total: f64 = w.iter().sum();
            assert!(
                (total - 1.0).abs() < 1e-12,
                "party {p} weights {w:?} sum to {total}"
            );
            assert!(w.iter().all(|x| *x >= 0.0));
        }
        let wa = world.weights_of(0)[0];
        spread = (spread.0.min(wa), spread.1.max(wa));
    }
    assert!(
        spread.1 - spread.0 > 0.3,
        "uncertain weights should vary: {spread:?}"
    );
}

#[test]
fn mean_margin_subtracts_the_mean_sampled_reservation() {
    let src = r#"
[scenario]
name = "margin"
[clauses.x]
kind = "range"
min = 0.0
max = 1.0
[proposals.deal]
x = 0.625
[parties.p]
weights = { x = 1 }
values.x = { linear = { worst = 0.0, best = 1.0 } }
reservation = { uniform = [0.25, 0.75] }
"#;
    let s = scenario(src);
    let rounds = 20_000;
    let (_, results) = crate::common::simulate(&s, rounds, 6, Some(2));
    let party = &results[0].parties[0];
    assert_eq!(party.mean_utility, 0.625);
    // E[r] = 0.5 with sd 0.5/√12.
    let se = 0.5 / 12f64.sqrt() / (rounds as f64).sqrt();
    assert!(
        (party.mean_margin - 0.125).abs() < 6.0 * se,
        "mean margin {}",
        party.mean_margin
    );
    crate::common::assert_binomial(
        crate::common::accepted(&results, 0, 0),
        rounds,
        0.75,
        "P(r <= 0.625)",
    );
}

const REFERENCE: &str = r#"
[scenario]
name = "reference"

[clauses.x]
kind = "range"
min = 0.0
max = 1.0
[clauses.y]
kind = "range"
min = 0.0
max = 1.0
[clauses.z]
kind = "choice"
options = ["bad", "ok", "good"]

[proposals.status_quo]
x = 0.5
y = 0.5
z = "ok"
[proposals.mixed]
x = 0.75
y = 0.625
z = "bad"
[proposals.y_loss]
x = 0.5
y = 0.625
z = "ok"
[proposals.all_gain]
x = 1.0
y = 0.0
z = "good"

[parties.anchored]
weights = { x = 1, y = 1, z = 2 }
values.x = { linear = { worst = 0.0, best = 1.0 } }
values.y = { linear = { worst = 1.0, best = 0.0 } }
values.z = { table = { bad = 0.0, ok = 0.5, good = 1.0 } }
reservation = 0.25
reference = "status_quo"
loss_aversion = 2.5

[parties.plain]
weights = { x = 1, y = 1, z = 2 }
values.x = { linear = { worst = 0.0, best = 1.0 } }
values.y = { linear = { worst = 1.0, best = 0.0 } }
values.z = { table = { bad = 0.0, ok = 0.5, good = 1.0 } }
reservation = 0.25

[parties.neutral]
weights = { x = 1, y = 1, z = 2 }
values.x = { linear = { worst = 0.0, best = 1.0 } }
values.y = { linear = { worst = 1.0, best = 0.0 } }
values.z = { table = { bad = 0.0, ok = 0.5, good = 1.0 } }
reservation = 0.25
reference = "status_quo"
loss_aversion = 1.0
"#;

#[test]
fn losses_against_the_reference_weigh_lambda_times_as_much() {
    let dir = temp_with("ref.toml", REFERENCE);
    let out = accord_in(
        dir.path(),
        &["run", "ref.toml", "--format", "json", "--rounds", "3000"],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).expect("JSON");
    let get = |proposal: usize, party: usize, field: &str| {
        v["results"][proposal]["parties"][party][field]
            .as_f64()
            .unwrap_or_else(|| panic!("{field} missing"))
    };
    // Weights 1:1:2 → 0.25, 0.25, 0.5. Values at status quo: 0.5, 0.5, 0.5.
    // mixed: x = 0.75 (gain: 0.75); y value 0.375 (loss 0.125 → 0.5 − 2.5·0.125 = 0.1875);
    //        z value 0 (loss 0.5 → 0.5 − 2.5·0.5 = −0.75: no floor).
    //        anchored: 0.25·0.75 + 0.25·0.1875 + 0.5·(−0.75) = −0.140625;
    //        plain: 0.25·0.75 + 0.25·0.375 = 0.28125.
    // y_loss: anchored 0.125 + 0.046875 + 0.25 = 0.421875; plain 0.125 + 0.09375 + 0.25 = 0.46875.
    // all_gain: 1 for everybody (no losses).
    let expected = [
        ("status_quo", [0.5, 0.5, 0.5]),
        ("mixed", [-0.140625, 0.28125, 0.28125]),
        ("y_loss", [0.421875, 0.46875, 0.46875]),
        ("all_gain", [1.0, 1.0, 1.0]),
    ];
    for (d, (name, utilities)) in expected.iter().enumerate() {
        assert_eq!(v["results"][d]["proposal"], *name);
        for (p, u) in utilities.iter().enumerate() {
            assert_eq!(
                get(d, p, "mean_utility"),
                *u,
                "{name}, party {p}: mean_utility"
            );
            assert_eq!(
                get(d, p, "mean_margin"),
                u - 0.25,
                "{name}, party {p}: mean_margin"
            );
            let accept = v["results"][d]["parties"][p]["accept"]["p"]
                .as_f64()
                .expect("p");
            assert_eq!(
                accept,
                if *u >= 0.25 { 1.0 } else { 0.0 },
                "{name}, party {p}: accept"
            );
        }
    }
    // The loss on y alone is exactly λ = 2.5 times the plain loss.
    let anchored_loss = 0.5 - get(2, 0, "mean_utility");
    let plain_loss = 0.5 - get(2, 1, "mean_utility");
    assert_eq!(anchored_loss, 2.5 * plain_loss);
}

/// `party`'s mean utility at each point of a ratify sweep's JSON.
fn swept_utilities(v: &serde_json::Value, party: &str) -> Vec<f64> {
    v["points"]
        .as_array()
        .expect("points")
        .iter()
        .map(|pt| {
            let p = pt["parties"]
                .as_array()
                .expect("parties")
                .iter()
                .find(|p| p["party"] == party)
                .expect("the party");
            p["mean_utility"].as_f64().expect("a utility")
        })
        .collect()
}

#[test]
fn a_larger_loss_against_the_reference_is_always_worse() {
    // y's value falls from 0.5 (the reference) to 0 as y rises from 0.5 to 1: a loss that
    // grows with y. λ = 2.5 takes the term to 0 at y = 0.7; beyond, a floor at 0 would
    // leave the utility flat (the defect); the gain–loss term keeps falling.
    let dir = temp_with("ref.toml", REFERENCE);
    let sweep = |clause: &str, extra: &[&str]| {
        let mut args = vec![
            "sweep",
            "ref.toml",
            "--clause",
            clause,
            "--proposal",
            "status_quo",
        ];
        args.extend_from_slice(extra);
        args.extend_from_slice(&["--rounds", "100", "--format", "json"]);
        ok_json(dir.path(), &args)
    };
    let v = sweep("y", &["--from", "0.5", "--to", "1", "--points", "11"]);
    let u = swept_utilities(&v, "anchored");
    for w in u.windows(2) {
        assert!(w[1] < w[0], "not strictly falling: {u:?}");
    }
    // At y = 1 the term is 0.5 − 2.5·0.5 = −0.75: utility 0.125 + 0.25·(−0.75) + 0.25.
    assert_eq!(*u.last().expect("points"), 0.1875);
    // A choice too: `ok` is the reference, `bad` a loss, `good` a gain.
    let v = sweep("z", &[]);
    let u = swept_utilities(&v, "anchored");
    assert!(u[0] < u[1] && u[1] < u[2], "{u:?}");
    // 0.125 + 0.125 + 0.5·(0.5 − 2.5·0.5) = −0.125 at bad.
    assert_eq!(u[0], -0.125);
}

#[test]
fn loss_aversion_one_is_the_plain_additive_utility_to_the_bit() {
    let dir = temp_with("ref.toml", REFERENCE);
    for clause in ["x", "y", "z"] {
        let v = ok_json(
            dir.path(),
            &[
                "sweep", "ref.toml", "--clause", clause, "--rounds", "100", "--format", "json",
            ],
        );
        let plain = swept_utilities(&v, "plain");
        let neutral = swept_utilities(&v, "neutral");
        let bits = |u: &[f64]| u.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(&plain), bits(&neutral), "clause {clause}");
    }
}

#[test]
fn russia_ranks_an_open_nato_path_below_a_deferred_one() {
    // Russia is anchored on the 28-point draft (NATO renounced) with loss aversion 1.5–2.5:
    // both `deferred` (value 0.2) and `open` (0) are losses of 0.8 and 1, whose terms a
    // floor at 0 made equal. Now open is worse, by about λ·0.2 times NATO's weight.
    let file = repo_file("scenarios/peace-plan-2025.toml");
    let v = ok_json(
        Path::new("."),
        &[
            "sweep",
            file.to_str().expect("UTF-8"),
            "--clause",
            "nato",
            "--proposal",
            "plan_28",
            "--rounds",
            "4000",
            "--format",
            "json",
        ],
    );
    let u = swept_utilities(&v, "russia");
    let (renounced, deferred, open) = (u[0], u[1], u[2]);
    assert!(renounced > deferred && deferred > open, "{u:?}");
}

#[test]
fn only_veto_parties_decide_agreement() {
    let src = r#"
[scenario]
name = "vetoes"
[clauses.x]
kind = "range"
min = 0.0
max = 1.0
[proposals.deal]
x = 0.5
[parties.keen]
weights = { x = 1 }
values.x = { linear = { worst = 0.0, best = 1.0 } }
reservation = 0.25
[parties.grumpy]
veto = false
weights = { x = 1 }
values.x = { linear = { worst = 0.0, best = 1.0 } }
reservation = 0.75
"#;
    let s = scenario(src);
    let (tally, results) = crate::common::simulate(&s, 1000, 1, Some(1));
    assert_eq!(
        tally.agree[0], 1000,
        "a non-veto party's rejection must not block agreement"
    );
    assert_eq!(results[0].parties[1].accept.p, 0.0);
    assert!(!results[0].parties[1].veto && results[0].parties[0].veto);
    // Made a veto holder, the same party blocks every round.
    let s = scenario(&src.replace("veto = false", "veto = true"));
    let (tally, _) = crate::common::simulate(&s, 1000, 1, Some(1));
    assert_eq!(tally.agree[0], 0);
}

/// Plays the first `rounds` rounds of block 0 under `seed` both ways: the whole block at
/// once (as the runner does) and round by round through loaded worlds.
fn both_ways(experiment: &Ratify, sampler: &WorldSampler, rounds: usize) -> [RatifyTally; 2] {
    let mut draws = sampler.empty_block();
    let mut world = sampler.empty_world();
    sampler.fill(&mut block_rng(9, 0), rounds, &mut draws);
    let (mut at_once, mut scratch) = (experiment.new_tally(), experiment.new_scratch());
    experiment.play_block(
        sampler,
        &draws,
        rounds,
        &mut world,
        &mut scratch,
        &mut at_once,
    );
    experiment.end_block(&mut scratch, &mut at_once);
    let (mut one_by_one, mut scratch) = (experiment.new_tally(), experiment.new_scratch());
    for r in 0..rounds {
        sampler.load(&draws, r, &mut world);
        experiment.play(&world, &mut scratch, &mut one_by_one);
    }
    experiment.end_block(&mut scratch, &mut one_by_one);
    [at_once, one_by_one]
}

#[test]
fn ratify_over_a_block_equals_ratify_round_by_round() {
    // The sweep fixture has every kind of clause term (uncertain weights, a logistic with an
    // uncertain midpoint, a table with an uncertain entry, a power function with an
    // uncertain exponent under uncertain loss aversion, fixed tables and piecewise
    // functions) and both acceptance rules; the peace plan has a copula and constant parties.
    let plan = std::fs::read_to_string(crate::common::repo_file("scenarios/peace-plan-2025.toml"))
        .expect("bundled scenario");
    for source in [crate::sweep::FIXTURE, plan.as_str()] {
        let s = scenario(source);
        let deals: Vec<_> = s.proposals.iter().map(|p| p.deal.clone()).collect();
        let n = deals.len();
        let sampler = WorldSampler::new(&s);
        let swept = ReservationAxis {
            party: 0,
            values: (0..n).map(|k| 0.2 + 0.1 * k as f64).collect(),
        };
        let plain = Ratify::new(&s, deals.clone());
        let with_axis = Ratify::new(&s, deals).with_reservation(swept);
        // A full block, a length that is not a multiple of the evaluation's chunks, one round.
        for rounds in [BLOCK_SIZE as usize, 1000, 1] {
            for experiment in [&plain, &with_axis] {
                let [at_once, one_by_one] = both_ways(experiment, &sampler, rounds);
                assert_eq!(at_once, one_by_one, "{} rounds", rounds);
                assert_eq!(at_once.rounds, rounds as u64);
                if rounds > 1 {
                    // The comparison has power: some acceptance is neither never nor always.
                    assert!(
                        at_once.accept.iter().any(|&k| k > 0 && k < rounds as u64),
                        "{:?}",
                        at_once.accept
                    );
                }
            }
        }
    }
}
