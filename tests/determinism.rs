//! Determinism: the same scenario, seed and rounds give bit-identical output whatever the
//! thread count or block split.

use accord::protocol::Ratify;
use accord::sim::{BLOCK_SIZE, Experiment, RunOptions, Runner, WorldSampler};

use crate::common::{accord_in, accord_in_env, repo_file, scenario, temp_with};

/// Uncertain parameters of every family, logit rules (fixed and uncertain temperature), a
/// correlation group, a reference point with uncertain loss aversion, three proposals, every
/// value function and clause kind.
pub const RICH: &str = r#"
[scenario]
name = "Determinism fixture"

[clauses.troop_cap]
kind = "range"
min = 200_000
max = 1_000_000
integer = true
unit = "troops"

[clauses.nato]
kind = "choice"
options = ["renounced", "deferred", "open"]

[clauses.amnesty]
kind = "bool"

[proposals.plan_28]
troop_cap = 600_000
nato = "renounced"
amnesty = true

[proposals.plan_19]
troop_cap = 800_000
nato = "deferred"
amnesty = false

[proposals.status_quo]
troop_cap = 1_000_000
nato = "open"
amnesty = false

[parties.ukraine]
reservation = { normal = { mean = 0.45, sd = 0.08 } }
weights = { troop_cap = 0.2, nato = 0.3, amnesty = { uniform = [0.05, 0.15] } }
values.troop_cap = { linear = { worst = 200_000, best = 1_000_000 } }
values.nato = { table = { renounced = 0.0, deferred = 0.6, open = 1.0 } }
values.amnesty = { table = { true = 0.2, false = 1.0 } }
accept = { logit = { temperature = 0.03 } }
reference = "status_quo"
loss_aversion = { triangular = [1.5, 2.0, 2.5] }

[parties.russia]
reservation = { beta = { a = 4, b = 6 } }
weights = { troop_cap = 0.4, nato = { lognormal = { mu = -1.0, sigma = 0.3 } }, amnesty = 0.1 }
values.troop_cap = { power = { worst = 1_000_000, best = 200_000, exponent = 0.7 } }
values.nato = { table = { renounced = 1.0, deferred = 0.5, open = 0.0 } }
values.amnesty = { table = { true = 1.0, false = 0.3 } }
accept = { logit = { temperature = { uniform = [0.02, 0.06] } } }

[parties.usa]
veto = false
reservation = 0.3
weights = { troop_cap = 1, nato = 1 }
values.troop_cap = { piecewise = [[200_000, 0.0], [600_000, 1.0], [1_000_000, 0.2]] }
values.nato = { table = { renounced = 0.7, deferred = 0.8, open = { normal = { mean = 0.4, sd = 0.2 } } } }

[parties.europe]
veto = false
reservation = { uniform = [0.3, 0.6] }
weights = { troop_cap = 1 }
values.troop_cap = { logistic = { midpoint = 700_000, scale = { normal = { mean = -50_000, sd = 10_000 } } } }

[[correlation]]
params = ["ukraine.reservation", "russia.reservation", "europe.reservation"]
matrix = [[1.0, -0.6, 0.3], [-0.6, 1.0, 0.0], [0.3, 0.0, 1.0]]

[simulation]
rounds = 20_017
seed = 2025
"#;

fn run_json(dir: &std::path::Path, extra: &[&str]) -> String {
    let mut args = vec!["run", "rich.toml", "--format", "json"];
    args.extend_from_slice(extra);
    let out = accord_in(dir, &args);
    assert_eq!(out.code, 0, "accord {args:?} failed: {}", out.stderr);
    out.stdout
}

#[test]
fn output_is_identical_across_thread_counts() {
    let dir = temp_with("rich.toml", RICH);
    let one = run_json(dir.path(), &["--threads", "1"]);
    let two = run_json(dir.path(), &["--threads", "2"]);
    let four = run_json(dir.path(), &["--threads", "4"]);
    assert_eq!(one, two, "--threads 1 and 2 differ");
    assert_eq!(one, four, "--threads 1 and 4 differ");

    // The run is not degenerate: every round was played and some estimates are uncertain.
    let v: serde_json::Value = serde_json::from_str(&one).expect("JSON");
    assert_eq!(v["rounds"], 20_017);
    assert_eq!(v["seed"], 2025);
    let mut interior = 0;
    for r in v["results"].as_array().expect("results") {
        assert_eq!(r["agreement"]["n"], 20_017);
        for p in r["parties"].as_array().expect("parties") {
            assert_eq!(p["accept"]["n"], 20_017);
            let a = p["accept"]["p"].as_f64().expect("p");
            if a > 0.02 && a < 0.98 {
                interior += 1;
            }
        }
    }
    assert!(
        interior >= 3,
        "the fixture should give uncertain acceptance: {one}"
    );

    // The CSV export is thread-independent too.
    let csv1 = accord_in(
        dir.path(),
        &["run", "rich.toml", "--format", "csv", "--threads", "1"],
    );
    let csv3 = accord_in(
        dir.path(),
        &["run", "rich.toml", "--format", "csv", "--threads", "3"],
    );
    assert_eq!(csv1.code, 0, "{}", csv1.stderr);
    assert_eq!(csv1.stdout, csv3.stdout);
}

/// The four-lane (AVX2) loops and the two-lane ones give the same bits: output does not
/// depend on the machine's vector width. (On a CPU without AVX2 both runs take the two-lane
/// path and the test shows nothing; CI's machines have AVX2.)
#[test]
fn output_is_identical_with_and_without_wide_vectors() {
    let dir = temp_with("rich.toml", RICH);
    let plan = repo_file("scenarios/peace-plan-2025.toml");
    let plan = plan.to_str().expect("UTF-8 path");
    let runs: [&[&str]; 3] = [
        &["run", "rich.toml", "--format", "json", "--rounds", "5000"],
        &["run", plan, "--format", "json", "--rounds", "20000"],
        &[
            "sweep",
            plan,
            "--proposal",
            "plan_28",
            "--clause",
            "troop_cap",
            "--from",
            "400000",
            "--to",
            "1000000",
            "--points",
            "7",
            "--rounds",
            "5000",
            "--format",
            "json",
        ],
    ];
    for args in runs {
        let wide = accord_in_env(dir.path(), args, &[]);
        let narrow = accord_in_env(dir.path(), args, &[("ACCORD_SIMD", "off")]);
        assert_eq!(wide.code, 0, "accord {args:?}: {}", wide.stderr);
        assert_eq!(narrow.code, 0, "accord {args:?}: {}", narrow.stderr);
        assert!(wide.stdout.contains("\"agreement\""), "{}", wide.stdout);
        assert_eq!(wide.stdout, narrow.stdout, "accord {args:?}");
    }
}

#[test]
fn same_seed_repeats_and_another_seed_differs() {
    let dir = temp_with("rich.toml", RICH);
    let a = run_json(dir.path(), &["--seed", "7", "--rounds", "5000"]);
    let b = run_json(dir.path(), &["--seed", "7", "--rounds", "5000"]);
    let c = run_json(dir.path(), &["--seed", "8", "--rounds", "5000"]);
    assert_eq!(a, b);
    assert_ne!(a, c);
    // Only the numbers differ, not the structure.
    let (va, vc): (serde_json::Value, serde_json::Value) = (
        serde_json::from_str(&a).expect("JSON"),
        serde_json::from_str(&c).expect("JSON"),
    );
    assert_eq!(va["seed"], 7);
    assert_eq!(vc["seed"], 8);
    assert_ne!(va["results"], vc["results"]);
    // The scenario's [simulation] seed is the default.
    let d = run_json(dir.path(), &["--rounds", "5000"]);
    let e = run_json(dir.path(), &["--rounds", "5000", "--seed", "2025"]);
    assert_eq!(d, e);
}

fn all_deals(s: &accord::model::Scenario) -> Vec<Vec<f64>> {
    s.proposals.iter().map(|p| p.deal.clone()).collect()
}

#[test]
fn library_tallies_are_identical_across_threads_and_block_splits() {
    let s = scenario(RICH);
    let rounds = 10 * BLOCK_SIZE + 333;
    let experiment = Ratify::new(&s, all_deals(&s));
    let opts = |threads| RunOptions {
        rounds,
        seed: 31,
        threads: Some(threads),
    };
    let whole = Runner::new(&s, opts(1)).run(&experiment, &|_| {});
    assert_eq!(whole.rounds, rounds);
    for threads in [2, 3, 4] {
        // Workers report progress out of order; the largest report is every round.
        let reported = std::sync::atomic::AtomicU64::new(0);
        let progress = |done: u64| {
            reported.fetch_max(done, std::sync::atomic::Ordering::Relaxed);
        };
        assert_eq!(
            Runner::new(&s, opts(threads)).run(&experiment, &progress),
            whole,
            "{threads} threads"
        );
        assert_eq!(reported.into_inner(), rounds);
    }
    // Shards: blocks 0..4 and 4..11 merged equal the whole run.
    let runner = Runner::new(&s, opts(2));
    let mut first = runner
        .run_blocks(&experiment, 0..4, &|_| false, &|_| {})
        .tally;
    let second = runner
        .run_blocks(&experiment, 4..11, &|_| false, &|_| {})
        .tally;
    assert_eq!(first.rounds, 4 * BLOCK_SIZE);
    assert_eq!(second.rounds, 6 * BLOCK_SIZE + 333);
    experiment.merge(&mut first, second);
    assert_eq!(first, whole);
}

#[test]
fn a_round_depends_only_on_seed_and_round_index() {
    let s = scenario(RICH);
    let experiment = Ratify::new(&s, all_deals(&s));
    // Running 2048 rounds plays exactly the first two blocks of a 5000-round run.
    let short = Runner::new(
        &s,
        RunOptions {
            rounds: 2 * BLOCK_SIZE,
            seed: 9,
            threads: Some(2),
        },
    )
    .run(&experiment, &|_| {});
    let long = Runner::new(
        &s,
        RunOptions {
            rounds: 5000,
            seed: 9,
            threads: Some(2),
        },
    );
    assert_eq!(
        long.run_blocks(&experiment, 0..2, &|_| false, &|_| {})
            .tally,
        short
    );

    // Worlds are a pure function of (seed, block) and differ between blocks.
    let sampler = WorldSampler::new(&s);
    let first_world = |seed, block| sampler.world_of(seed, block * BLOCK_SIZE).slots;
    assert_eq!(first_world(9, 3), first_world(9, 3));
    assert_ne!(first_world(9, 3), first_world(9, 4));
    assert_ne!(first_world(9, 3), first_world(10, 3));
    assert!(!first_world(9, 0).is_empty());
}

#[test]
fn a_proposal_alone_gets_the_same_estimates_as_in_company() {
    // Every proposal is played on the same worlds, so evaluating one alone or with others
    // gives identical numbers.
    let dir = temp_with("rich.toml", RICH);
    let all: serde_json::Value =
        serde_json::from_str(&run_json(dir.path(), &["--rounds", "3000"])).expect("JSON");
    for (i, name) in ["plan_28", "plan_19", "status_quo"].into_iter().enumerate() {
        let alone: serde_json::Value =
            serde_json::from_str(&run_json(dir.path(), &["--rounds", "3000", "-p", name]))
                .expect("JSON");
        assert_eq!(alone["results"].as_array().map(Vec::len), Some(1));
        assert_eq!(
            alone["results"][0], all["results"][i],
            "{name} alone differs from {name} among others"
        );
    }
    // Through the library as well, one deal at a time.
    let s = scenario(RICH);
    let opts = RunOptions {
        rounds: 2500,
        seed: 4,
        threads: Some(2),
    };
    let together = Ratify::new(&s, all_deals(&s));
    let names: Vec<String> = s.proposals.iter().map(|p| p.name.clone()).collect();
    let joint = together.summarise(&Runner::new(&s, opts).run(&together, &|_| {}), &names);
    for (d, p) in s.proposals.iter().enumerate() {
        let one = Ratify::new(&s, vec![p.deal.clone()]);
        let single = one.summarise(
            &Runner::new(&s, opts).run(&one, &|_| {}),
            std::slice::from_ref(&p.name),
        );
        assert_eq!(single[0], joint[d], "{}", p.name);
    }
}
