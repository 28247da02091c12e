//! Dynamic protocols (alternating, mediated, equilibrium): published results reproduced from
//! scenario files through the CLI, determinism across thread counts, the shape of concession
//! paths, breakdown survival, events, tactics, and bad input.

use accord::model::ProtocolSpec;
use accord::model::dynamic::time_target;
use accord::protocol::dynamic::{Alternating, DynamicResult};
use accord::sim::{RunOptions, Runner};
use serde_json::Value;

use crate::common::{
    Output, accord_in, assert_binomial, dynamic_json, dynamic_run, location, repo_file, scenario,
    temp_with,
};

/// A pie of size 1 split by `first` and `second` (linear utilities, no outside option).
fn pie(kind: &str, d1: f64, d2: f64, deadline: u32, extra: &str) -> String {
    format!(
        r#"[scenario]
name = "pie"

[clauses.share]
kind = "range"
min = 0
max = 1

[parties.first]
weights = {{ share = 1 }}
values.share = {{ linear = {{ worst = 0, best = 1 }} }}
reservation = 0
discount = {d1:?}

[parties.second]
weights = {{ share = 1 }}
values.share = {{ linear = {{ worst = 1, best = 0 }} }}
reservation = 0
discount = {d2:?}

[protocol]
kind = "{kind}"
order = ["first", "second"]
deadline = {deadline}
{extra}
"#
    )
}

/// Runs `accord run scenario.toml ARGS --format json` on `source` and parses the result.
fn run_json(source: &str, args: &[&str]) -> (DynamicResult, Output) {
    let dir = temp_with("scenario.toml", source);
    let mut all = vec!["run", "scenario.toml", "--format", "json"];
    all.extend_from_slice(args);
    let out = accord_in(dir.path(), &all);
    assert_eq!(out.code, 0, "accord failed:\n{}", out.stderr);
    let (_, result) = dynamic_json(&out.stdout);
    (result, out)
}

/// The first party's share in the equilibrium of the pie game, by the CLI.
fn equilibrium_share(d1: f64, d2: f64, deadline: u32) -> f64 {
    let (r, out) = run_json(
        &pie("equilibrium", d1, d2, deadline, ""),
        &["--rounds", "50"],
    );
    assert_eq!(dynamic_json(&out.stdout).0.protocol, "equilibrium");
    assert_eq!(r.agreement.p, 1.0, "agreement in every round");
    assert_eq!(
        r.mean_agreement_step,
        Some(1.0),
        "agreement at the first step"
    );
    r.deal[0].mean.expect("a mean share")
}

/// Finite-horizon Rubinstein by its recursion: the proposer at the last step keeps the
/// pie; an earlier proposer keeps what the responder, discounted, leaves over.
fn rubinstein(d1: f64, d2: f64, deadline: u32) -> f64 {
    let mut keep = 1.0; // the proposer's share at step T
    for s in (1..deadline).rev() {
        let responder_discount = if s % 2 == 1 { d2 } else { d1 };
        keep = 1.0 - responder_discount * keep;
    }
    keep
}

#[test]
fn equilibrium_reproduces_rubinstein_finite_horizon_shares() {
    // The closed form for a common discount: x1 = (1 − (−d)^T) / (1 + d).
    let closed = |d: f64, t: u32| (1.0 - (-d).powi(t as i32)) / (1.0 + d);
    assert!((closed(0.9, 3) - 0.91).abs() < 1e-15);
    for (d, t) in [(0.9, 1), (0.9, 2), (0.9, 3), (0.9, 4), (0.5, 6), (0.99, 7)] {
        let x = equilibrium_share(d, d, t);
        assert!(
            (x - closed(d, t)).abs() < 1e-9,
            "d = {d}, T = {t}: {x} vs {}",
            closed(d, t)
        );
    }
    for (d1, d2, t) in [(0.8, 0.6, 5), (0.95, 0.5, 4), (0.5, 0.9, 7), (0.3, 0.99, 2)] {
        let x = equilibrium_share(d1, d2, t);
        let want = rubinstein(d1, d2, t);
        assert!(
            (x - want).abs() < 1e-9,
            "d1 = {d1}, d2 = {d2}, T = {t}: {x} vs {want}"
        );
    }
}

#[test]
fn equilibrium_approaches_the_infinite_horizon_share() {
    // (1 − d2)/(1 − d1 d2) = 10/19 for d1 = d2 = 0.9; the gap shrinks like d^T.
    let limit = 10.0 / 19.0;
    let mut last_gap = f64::INFINITY;
    for t in [11, 51, 101] {
        let gap = (equilibrium_share(0.9, 0.9, t) - limit).abs();
        assert!(
            gap < last_gap && gap <= 0.9f64.powi(t as i32),
            "T = {t}: gap {gap}"
        );
        last_gap = gap;
    }
    assert!((equilibrium_share(0.9, 0.9, 201) - limit).abs() < 1e-9);
    let (d1, d2) = (0.95, 0.7);
    let x = equilibrium_share(d1, d2, 400);
    assert!((x - (1.0 - d2) / (1.0 - d1 * d2)).abs() < 1e-9, "{x}");
}

#[test]
fn bundled_rubinstein_scenario_gives_0_91() {
    let out = accord_in(
        &repo_file(""),
        &[
            "run",
            "scenarios/rubinstein.toml",
            "--format",
            "json",
            "--rounds",
            "100",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let r: DynamicResult = serde_json::from_str(&out.stdout).expect("JSON result");
    assert!((r.deal[0].mean.expect("mean") - 0.91).abs() < 1e-9);
}

#[test]
fn time_dependent_targets_follow_the_formula() {
    assert_eq!(time_target(0.5, 0.2, 0.0, 0.0, 1.0), 0.96875);
    assert!((time_target(0.0, 0.2, 0.0, 0.3, 0.9) - 0.9).abs() < 1e-15);
    assert!((time_target(1.0, 2.0, 0.1, 0.3, 0.9) - 0.3).abs() < 1e-15);
    assert!((time_target(0.25, 1.0, 0.0, 0.0, 1.0) - 0.75).abs() < 1e-15);
    // Through a run: two Boulware parties (e = 0.2, k = 0, targets from 1 to 0) and three
    // steps, so step 2 is at normalised time 0.5.
    let tactic = "tactic = { kind = \"time\", e = 0.2, k = 0, min = 0, max = 1 }";
    let src = pie("alternating", 1.0, 1.0, 3, "resolution = 101")
        .replace("discount = 1.0", &format!("discount = 1.0\n{tactic}"));
    let dir = temp_with("scenario.toml", &src);
    let out = accord_in(
        dir.path(),
        &[
            "run",
            "scenario.toml",
            "--rounds",
            "10",
            "--trace",
            "1",
            "--trace-file",
            "trace.jsonl",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let text = std::fs::read_to_string(dir.path().join("trace.jsonl")).expect("the trace file");
    let lines: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    let offers: Vec<&Value> = lines
        .iter()
        .filter(|l| l.get("proposer").is_some())
        .collect();
    assert_eq!(offers[0]["target"], 1.0);
    assert_eq!(offers[0]["proposer"], "first");
    assert_eq!(offers[1]["target"], 0.96875, "{}", offers[1]);
    assert_eq!(offers[1]["proposer"], "second");
    // The offer meets the target on the grid: second gets at least 0.96875, so share <= 0.03.
    assert!(offers[1]["offer"]["share"].as_f64().expect("a number") <= 0.03 + 1e-12);
    assert!(lines.last().expect("lines")["end"].is_string());
}

/// Two parties with fixed utilities over a small discrete domain and a range clause.
const BILATERAL: &str = r#"
[scenario]
name = "bilateral"

[clauses.price]
kind = "range"
min = 0
max = 100

[clauses.term]
kind = "choice"
options = ["short", "medium", "long"]

[proposals.opening]
price = 100
term = "long"

[parties.seller]
weights = { price = 0.7, term = 0.3 }
values.price = { linear = { worst = 0, best = 100 } }
values.term = { table = { short = 0.0, medium = 0.5, long = 1.0 } }
reservation = 0.3
discount = 0.99
tactic = { kind = "time", e = 0.3 }

[parties.buyer]
weights = { price = 0.6, term = 0.4 }
values.price = { linear = { worst = 100, best = 0 } }
values.term = { table = { short = 1.0, medium = 0.6, long = 0.0 } }
reservation = 0.25
tactic = { kind = "time", e = 2 }
"#;

/// `src` without its lines setting one of the party `keys` (for a protocol that does not use
/// them, where they are an error).
fn without(keys: &[&str], src: &str) -> String {
    src.lines()
        .filter(|l| !keys.iter().any(|k| l.starts_with(&format!("{k} = "))))
        .map(|l| format!("{l}\n"))
        .collect()
}

/// BILATERAL with uncertain parameters everywhere the play looks.
fn uncertain_bilateral(protocol: &str) -> String {
    BILATERAL
        .replace("reservation = 0.3", "reservation = { normal = { mean = 0.3, sd = 0.1 } }")
        .replace("weights = { price = 0.6, term = 0.4 }", "weights = { price = { uniform = [0.4, 0.8] }, term = 0.4 }")
        .replace("tactic = { kind = \"time\", e = 2 }", "tactic = { kind = \"time\", e = { uniform = [1.0, 3.0] } }\naccept = { logit = { temperature = 0.02 } }")
        + protocol
}

#[test]
fn results_do_not_depend_on_the_thread_count() {
    let cases = [
        uncertain_bilateral(
            "\n[protocol]\nkind = \"alternating\"\ndeadline = 30\nbreakdown = 0.02\nresolution = 21\n",
        ),
        without(
            &["tactic"],
            &uncertain_bilateral(
                "\n[protocol]\nkind = \"mediated\"\nstart = \"opening\"\nmediator = \"seller\"\ndeadline = 25\nbreakdown = 0.01\n",
            ),
        ),
        without(
            &["tactic"],
            &uncertain_bilateral(
                "\n[protocol]\nkind = \"equilibrium\"\ndeadline = 6\nresolution = 6\n",
            ),
        )
        .replace("discount = 0.99", "discount = { uniform = [0.8, 1.0] }"),
    ];
    for src in cases {
        let dir = temp_with("s.toml", &src);
        let run = |threads: &str| {
            let out = accord_in(
                dir.path(),
                &[
                    "run",
                    "s.toml",
                    "--format",
                    "json",
                    "--rounds",
                    "3000",
                    "--seed",
                    "11",
                    "--threads",
                    threads,
                ],
            );
            assert_eq!(out.code, 0, "{}", out.stderr);
            out.stdout
        };
        let one = run("1");
        assert_eq!(one, run("2"), "2 threads differ from 1");
        assert_eq!(one, run("4"), "4 threads differ from 1");
        let (h, r) = dynamic_json(&one);
        assert!(
            r.agreement.p > 0.0,
            "{} agreement {}",
            h.protocol,
            r.agreement.p
        );
        assert!(
            h.protocol == "equilibrium" || r.agreement.p < 1.0,
            "{} agreement {}",
            h.protocol,
            r.agreement.p
        );
    }
}

#[test]
fn precomputed_play_matches_the_full_play() {
    let s = scenario(&format!(
        "{BILATERAL}\n[protocol]\nkind = \"alternating\"\ndeadline = 40\nbreakdown = 0.03\n"
    ));
    let ProtocolSpec::Alternating { dynamic } = &s.protocol else {
        panic!("alternating")
    };
    let fast = Alternating::new(&s, dynamic);
    assert!(
        fast.is_precomputed(),
        "fixed utilities and tactics are played once per run"
    );
    let slow = Alternating::new(&s, dynamic).without_precomputation();
    let options = RunOptions {
        rounds: 4000,
        seed: 3,
        threads: Some(2),
    };
    let a = Runner::new(&s, options).run(&fast, &|_| {});
    let b = Runner::new(&s, options).run(&slow, &|_| {});
    assert_eq!(a, b);
    assert!(
        a.endings[0] > 0 && a.endings[1] > 0,
        "both agreements and breakdowns: {:?}",
        a.endings
    );
}

#[test]
fn breakdown_gives_a_geometric_survival_curve() {
    // Hardliners demanding everything never agree, so only breakdown and the deadline end
    // talks: P(still open after step s) = (1 − p)^s.
    let p: f64 = 0.04;
    let src = BILATERAL
        .replace(
            "tactic = { kind = \"time\", e = 0.3 }",
            "tactic = { kind = \"hardliner\" }",
        )
        .replace(
            "tactic = { kind = \"time\", e = 2 }",
            "tactic = { kind = \"hardliner\", level = 1 }",
        )
        + &format!("\n[protocol]\nkind = \"alternating\"\ndeadline = 60\nbreakdown = {p}\n");
    let s = scenario(&src);
    let rounds = 200_000;
    let r = dynamic_run(
        &s,
        RunOptions {
            rounds,
            seed: 2025,
            threads: None,
        },
    );
    assert_eq!(r.agreement.p, 0.0);
    let (last, before) = r.steps.split_last().expect("steps");
    for step in before {
        let open = (step.open * rounds as f64).round() as u64;
        assert_binomial(
            open,
            rounds,
            (1.0 - p).powi(step.step as i32),
            &format!("open after step {}", step.step),
        );
    }
    // Talks still open after the last step end at the deadline.
    let ended = (last.ended * rounds as f64).round() as u64;
    assert_binomial(
        ended,
        rounds,
        (1.0 - p).powi(last.step as i32),
        "ended at the deadline",
    );
    assert!((r.endings.deadline.p - last.ended).abs() < 1e-12 && last.open == 0.0);
}

/// A mediator (the seller) facing a buyer that rejects until price and term come down far
/// enough: every amendment can only be a concession by the mediator.
const CONCEDING: &str = r#"
[scenario]
name = "conceding mediator"

[clauses.price]
kind = "range"
min = 0
max = 100

[clauses.term]
kind = "choice"
options = ["short", "medium", "long"]

[proposals.opening]
price = 100
term = "long"

[parties.seller]
weights = { price = 0.7, term = 0.3 }
values.price = { linear = { worst = 0, best = 100 } }
values.term = { table = { short = 0.0, medium = 0.5, long = 1.0 } }
reservation = 0.2

[parties.buyer]
weights = { price = { uniform = [0.5, 0.8] }, term = 0.3 }
values.price = { linear = { worst = 100, best = 0 } }
values.term = { table = { short = 1.0, medium = 0.6, long = 0.0 } }
reservation = { uniform = [0.2, 0.7] }

[protocol]
kind = "mediated"
start = "opening"
mediator = "seller"
deadline = 40
resolution = 21
"#;

#[test]
fn a_mediator_that_can_only_concede_concedes_monotonically() {
    let dir = temp_with("m.toml", CONCEDING);
    let out = accord_in(
        dir.path(),
        &[
            "run",
            "m.toml",
            "--format",
            "json",
            "--rounds",
            "2000",
            "--trace",
            "200",
            "--trace-file",
            "t.jsonl",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let (_, result) = dynamic_json(&out.stdout);
    let text = std::fs::read_to_string(dir.path().join("t.jsonl")).expect("trace");
    let terms = ["short", "medium", "long"];
    let mut rounds_with_amendments = 0;
    let mut by_round: std::collections::BTreeMap<u64, Vec<Value>> = Default::default();
    for line in text.lines() {
        let v: Value = serde_json::from_str(line).expect("JSON line");
        by_round
            .entry(v["round"].as_u64().expect("round"))
            .or_default()
            .push(v);
    }
    assert_eq!(by_round.len(), 200);
    for (round, lines) in &by_round {
        let (mut price, mut term) = (f64::INFINITY, usize::MAX);
        let mut seller = f64::INFINITY;
        for l in lines.iter().filter(|l| l.get("text").is_some()) {
            let p = l["text"]["price"].as_f64().expect("price");
            let t = terms
                .iter()
                .position(|x| *x == l["text"]["term"])
                .expect("term");
            let u = l["votes"]["seller"]["utility"].as_f64().expect("utility");
            assert!(
                p <= price && t <= term,
                "round {round}: the text moved back toward the seller: {l}"
            );
            assert!(
                u <= seller + 1e-12,
                "round {round}: the seller's utility rose: {l}"
            );
            (price, term, seller) = (p, t, u);
            if !l["amendment"].is_null() {
                rounds_with_amendments += 1;
                assert!(
                    u >= 0.2 - 1e-12,
                    "the seller amends only above its reservation"
                );
            }
        }
    }
    assert!(
        rounds_with_amendments > 100,
        "the buyer usually rejects the opening text"
    );
    let c = result
        .amendments
        .expect("mediated results report amendments");
    assert!(c.mean_amendments > 0.0 && !c.order.is_empty() && !c.first.is_empty());
    assert!(
        result.endings.agreement.p > 0.5,
        "most rounds end in agreement: {:?}",
        result.endings
    );
}

#[test]
fn events_change_the_game_at_their_step() {
    let three = r#"
[scenario]
name = "three"

[clauses.x]
kind = "range"
min = 0
max = 1

[parties.a]
weights = { x = 1 }
values.x = { linear = { worst = 0, best = 1 } }
reservation = 0.1
tactic = { kind = "hardliner" }

[parties.b]
weights = { x = 1 }
values.x = { linear = { worst = 1, best = 0 } }
reservation = 0.1
tactic = { kind = "hardliner" }

[parties.c]
weights = { x = 1 }
values.x = { piecewise = [[0, 0], [0.5, 1], [1, 0]] }
reservation = 0.1

[protocol]
kind = "alternating"
order = ["a", "b", "c"]
deadline = 12

[[events]]
step = 4
leave = "c"

[[events]]
step = 5
shift_reservation = { party = "b", by = -0.05 }

[[events]]
step = 6
deadline = 8
"#;
    let dir = temp_with("e.toml", three);
    let out = accord_in(
        dir.path(),
        &[
            "run", "e.toml", "--format", "json", "--rounds", "20", "--trace", "1",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let lines: Vec<Value> = out
        .stderr
        .lines()
        .filter(|l| l.starts_with('{'))
        .map(|l| serde_json::from_str(l).expect("JSON"))
        .collect();
    let events: Vec<&Value> = lines.iter().filter(|l| l.get("event").is_some()).collect();
    assert_eq!(events.len(), 3);
    assert_eq!(events[0]["event"], "leave");
    assert_eq!(events[1]["by"], -0.05);
    assert_eq!(events[2]["deadline"], 8);
    let proposers: Vec<&str> = lines
        .iter()
        .filter_map(|l| l.get("proposer").and_then(Value::as_str))
        .collect();
    assert_eq!(
        proposers,
        ["a", "b", "c", "a", "b", "a", "b", "a"],
        "c leaves at step 4; talks end at step 8"
    );
    let end = lines.last().expect("lines");
    assert_eq!(end["end"], "deadline");
    assert_eq!(end["step"], 8);
}

#[test]
fn tit_for_tat_mirrors_and_a_hardliner_never_concedes() {
    let src = pie("alternating", 1.0, 1.0, 20, "resolution = 101")
        .replacen(
            "discount = 1.0",
            "discount = 1.0\ntactic = { kind = \"tit_for_tat\" }",
            1,
        )
        .replacen(
            "reservation = 0\ndiscount = 1.0\n\n[protocol]",
            "reservation = 0\ndiscount = 1.0\ntactic = { kind = \"time\", e = 1 }\n\n[protocol]",
            1,
        );
    let dir = temp_with("t.toml", &src);
    let out = accord_in(
        dir.path(),
        &["run", "t.toml", "--rounds", "5", "--trace", "1"],
    );
    assert_eq!(out.code, 0, "{}\n{src}", out.stderr);
    let lines: Vec<Value> = out
        .stderr
        .lines()
        .filter(|l| l.starts_with('{'))
        .map(|l| serde_json::from_str(l).expect("JSON"))
        .collect();
    let first: Vec<f64> = lines
        .iter()
        .filter(|l| l["proposer"] == "first")
        .map(|l| l["utility"]["first"].as_f64().expect("u"))
        .collect();
    let second: Vec<f64> = lines
        .iter()
        .filter(|l| l["proposer"] == "second")
        .map(|l| l["utility"]["first"].as_f64().expect("u"))
        .collect();
    assert!(first.len() >= 3, "{lines:?}");
    // Each concession of `second` to `first` is mirrored in `first`'s next offer.
    for i in 2..first.len() {
        let conceded_to_me = second[i - 1] - second[i - 2];
        let my_concession = first[i - 1] - first[i];
        assert!(
            (my_concession - conceded_to_me).abs() < 0.011,
            "step pair {i}: {my_concession} vs {conceded_to_me}"
        );
    }

    let hard = pie("alternating", 1.0, 1.0, 10, "resolution = 11").replacen(
        "discount = 1.0",
        "discount = 1.0\ntactic = { kind = \"hardliner\", level = 0.8 }",
        1,
    );
    let dir = temp_with("h.toml", &hard);
    let out = accord_in(
        dir.path(),
        &["run", "h.toml", "--rounds", "5", "--trace", "1"],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    for l in out.stderr.lines().filter(|l| l.starts_with('{')) {
        let v: Value = serde_json::from_str(l).expect("JSON");
        if v["proposer"] == "first" {
            assert_eq!(v["target"], 0.8);
            assert!(v["utility"]["first"].as_f64().expect("u") >= 0.8 - 1e-12);
        }
    }
}

#[test]
fn bundled_dynamic_scenarios_run() {
    for file in [
        "scenarios/peace-plan-2025-mediated.toml",
        "scenarios/peace-plan-2025-alternating.toml",
        "scenarios/three-party-alternating.toml",
    ] {
        let out = accord_in(
            &repo_file(""),
            &["run", file, "--rounds", "2000", "--format", "json"],
        );
        assert_eq!(out.code, 0, "{file}: {}", out.stderr);
        let r: DynamicResult = serde_json::from_str(&out.stdout).expect("JSON result");
        assert!(r.agreement.n == 2000, "{file}");
        for fmt in ["table", "csv"] {
            let out = accord_in(
                &repo_file(""),
                &["run", file, "--rounds", "200", "--format", fmt],
            );
            assert_eq!(out.code, 0, "{file} as {fmt}: {}", out.stderr);
        }
    }
}

/// `accord run` on `source` fails with exit code 2 at the line and column of `needle`
/// (shifted by `shift`), with every one of `expect` in the message.
fn rejects(source: &str, needle: &str, shift: usize, expect: &[&str]) {
    let dir = temp_with("bad.toml", source);
    let out = accord_in(
        dir.path(),
        &["run", "bad.toml", "--rounds", "10", "-o", "out.json"],
    );
    let flat = out
        .stderr
        .replace('│', " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert_eq!(out.code, 2, "exit code for {expect:?}:\n{}", out.stderr);
    let (line, col) = location(source, needle);
    let at = format!("bad.toml:{line}:{}:", col + shift);
    assert!(flat.contains(&at), "expected `{at}` in:\n{}", out.stderr);
    for e in expect {
        assert!(flat.contains(e), "expected `{e}` in:\n{}", out.stderr);
    }
    assert!(!out.stderr.contains("panicked"));
    assert!(!dir.path().join("out.json").exists());
}

fn alternating_with(party_line: &str, protocol: &str) -> String {
    BILATERAL.replace("tactic = { kind = \"time\", e = 2 }", party_line)
        + "\n[protocol]\nkind = \"alternating\"\n"
        + protocol
}

#[test]
fn bad_dynamic_input_is_rejected_with_its_location() {
    rejects(
        &alternating_with("tactic = { kind = \"boulwre\" }", ""),
        "\"boulwre\"",
        0,
        &["unknown tactic `boulwre`", "time, tit_for_tat, hardliner"],
    );
    rejects(
        &alternating_with("tactic = { kind = \"tit_for_tatt\" }", ""),
        "\"tit_for_tatt\"",
        0,
        &["did you mean `tit_for_tat`?"],
    );
    rejects(
        &alternating_with("tactic = { kind = \"time\", ee = 2 }", ""),
        "ee = 2",
        0,
        &["unknown field `ee`"],
    );
    rejects(
        &alternating_with("tactic = { kind = \"time\", e = 0 }", ""),
        "e = 0 }",
        4,
        &["`e` must be a number > 0, got 0"],
    );
    rejects(
        &alternating_with("tactic = { kind = \"time\", e = -1 }", ""),
        "e = -1",
        4,
        &["`e` must be a number > 0"],
    );
    rejects(
        &alternating_with("tactic = { kind = \"time\", level = 0.5 }", ""),
        "level",
        0,
        &["`level` is not a parameter of the time tactic"],
    );
    rejects(
        &alternating_with("discount = 0", ""),
        "discount = 0\n",
        11,
        &["`discount` must be in (0, 1], got 0"],
    );
    rejects(
        &alternating_with("discount = 1.5", ""),
        "discount = 1.5",
        11,
        &["`discount` must be a number in [0, 1], got 1.5"],
    );
    rejects(
        &alternating_with("respond = \"nxt\"", ""),
        "\"nxt\"",
        0,
        &["unknown variant `nxt`", "did you mean `next`?"],
    );
    rejects(
        &alternating_with("", "breakdown = 1.0\n"),
        "breakdown = 1.0",
        12,
        &["`breakdown` must be a probability in [0, 1), got 1"],
    );
    rejects(
        &alternating_with("", "breakdown = -0.1\n"),
        "breakdown = -0.1",
        12,
        &["`breakdown` must be a probability in [0, 1)"],
    );
    rejects(
        &alternating_with("", "order = [\"seller\", \"buyer\", \"seller\"]\n"),
        "\"seller\"]",
        0,
        &["party `seller` is named twice in the turn order"],
    );
    rejects(
        &alternating_with("", "order = [\"seller\", \"buyr\"]\n"),
        "\"buyr\"",
        0,
        &["unknown party `buyr`", "did you mean `buyer`?"],
    );
    rejects(
        &alternating_with("", "deadline = 0\n"),
        "deadline = 0",
        11,
        &["`deadline` must be a number of steps from 1"],
    );
    rejects(
        &alternating_with("", "mediator = \"seller\"\n"),
        "mediator",
        0,
        &["`mediator` does not apply to the alternating protocol"],
    );
    let event =
        |body: &str| alternating_with("", &format!("deadline = 10\n\n[[events]]\n{body}\n"));
    rejects(
        &event("step = 3\nleave = \"sellr\""),
        "\"sellr\"",
        0,
        &["unknown party `sellr`", "did you mean `seller`?"],
    );
    rejects(
        &event("step = 3\nshift_reservation = { party = \"byer\", by = -0.1 }"),
        "\"byer\"",
        0,
        &["unknown party `byer`"],
    );
    rejects(
        &event("step = 11\nleave = \"seller\""),
        "step = 11",
        7,
        &["step 11 is past the deadline"],
    );
    rejects(
        &event("step = 3\nleave = \"seller\"\ndeadline = 5"),
        "[[events]]",
        0,
        &["exactly one of"],
    );
    rejects(
        &event("step = 3\nexplode = true"),
        "explode",
        0,
        &["unknown field `explode`"],
    );
    let ratify = format!(
        "{}\n[protocol]\nkind = \"ratify\"\ndeadline = 5\n",
        without(&["discount", "tactic"], BILATERAL)
    );
    rejects(
        &ratify,
        "deadline = 5",
        0,
        &["`deadline` does not apply to the ratify protocol"],
    );
    let typo = format!("{BILATERAL}\n[protocol]\nkind = \"alternatng\"\n");
    rejects(
        &typo,
        "\"alternatng\"",
        0,
        &[
            "unknown protocol `alternatng`",
            "did you mean `alternating`?",
        ],
    );
    let mediated = format!(
        "{}\n[protocol]\nkind = \"mediated\"\nstart = \"openng\"\n",
        without(&["tactic"], BILATERAL)
    );
    rejects(
        &mediated,
        "\"openng\"",
        0,
        &["unknown proposal `openng`", "did you mean `opening`?"],
    );
    // Three negotiators are defined under unanimity, not under a quota.
    let three = format!(
        "{}\n[parties.third]\nweights = {{ price = 1 }}\nvalues.price = {{ linear = {{ worst = 0, best = 100 }} }}\nreservation = 0\n\n[protocol]\nkind = \"equilibrium\"\nrule = {{ quota = 2 }}\n",
        without(&["tactic"], BILATERAL)
    );
    rejects(
        &three,
        "rule = { quota = 2 }",
        0,
        &["not defined under a quota rule", "baron_ferejohn"],
    );
}

#[test]
fn trace_is_only_for_dynamic_protocols() {
    let dir = temp_with(
        "r.toml",
        &format!(
            "{}\n[protocol]\nkind = \"ratify\"\n",
            without(&["discount", "tactic"], BILATERAL)
        ),
    );
    let out = accord_in(dir.path(), &["run", "r.toml", "--trace", "3"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("--trace"));
}

#[test]
fn run_plot_draws_both_panels_and_checks_its_path_first() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let file = repo_file("scenarios/peace-plan-2025-alternating.toml");
    let file = file.to_str().expect("a UTF-8 path");
    let out = accord_in(
        dir.path(),
        &["run", file, "--rounds", "2000", "--plot", "x.svg"],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let svg = std::fs::read_to_string(dir.path().join("x.svg")).expect("the SVG");
    // The text of every <text> element.
    let texts: Vec<String> = svg
        .split("<text")
        .skip(1)
        .filter_map(|t| Some(t.split_once('>')?.1.split_once("</text>")?.0.trim()))
        .map(|t| t.replace("&apos;", "'"))
        .collect();
    for text in [
        "Agreement by step",
        "Concession paths: utility of each party's own offers",
        "step",
        "share of rounds",
        "utility of own offer",
        "united_states",
        "russia",
        "ukraine",
        "Peace plan, November 2025: alternating offers",
    ] {
        assert!(
            texts.iter().any(|t| t == text),
            "no text {text:?} in {texts:?}"
        );
    }
    // The results still go to stdout as usual.
    assert!(out.stdout.contains("agreement"), "{}", out.stdout);

    // Mediated: the text's utility to each party, as a PNG of the requested size.
    let file = repo_file("scenarios/peace-plan-2025-mediated.toml");
    let out = accord_in(
        dir.path(),
        &[
            "run",
            file.to_str().expect("a UTF-8 path"),
            "--rounds",
            "1000",
            "--plot",
            "m.png",
            "--size",
            "800x500",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let png = std::fs::read(dir.path().join("m.png")).expect("the PNG");
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    assert_eq!(u32::from_be_bytes(png[16..20].try_into().unwrap()), 800);
    assert_eq!(u32::from_be_bytes(png[20..24].try_into().unwrap()), 500);

    // A bad extension is refused before simulating; a ratify run has no steps to chart.
    let out = accord_in(
        dir.path(),
        &["run", file.to_str().unwrap(), "--plot", "x.jpg"],
    );
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains(".png or .svg"), "{}", out.stderr);
    assert!(out.stdout.is_empty(), "simulated anyway:\n{}", out.stdout);
    let ratify = repo_file("scenarios/peace-plan-2025.toml");
    let out = accord_in(
        dir.path(),
        &[
            "run",
            ratify.to_str().unwrap(),
            "--rounds",
            "100",
            "--plot",
            "r.png",
        ],
    );
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("accord sweep"), "{}", out.stderr);
    assert!(!dir.path().join("r.png").exists());
    assert!(!dir.path().join("x.jpg").exists());
}

#[test]
fn concession_paths_follow_the_time_dependent_targets() {
    // Two Boulware parties (e = 0.3, targets from 1 down to 0) over 21 steps on a pie with a
    // grid of 101 points and a 4% breakdown risk per step: fixed utilities, so the play is
    // precomputed and each round only draws its breakdown step.
    let tactic = "tactic = { kind = \"time\", e = 0.3, k = 0, min = 0, max = 1 }";
    let deadline = 21;
    let src = pie(
        "alternating",
        1.0,
        1.0,
        deadline,
        "resolution = 101\nbreakdown = 0.04",
    )
    .replace("discount = 1.0", &format!("discount = 1.0\n{tactic}"));
    let (r, _) = run_json(&src, &["--rounds", "20000", "--seed", "5"]);
    let offers = r.offers.as_ref().expect("concession paths in the result");
    assert_eq!(
        offers.iter().map(|o| o.party.as_str()).collect::<Vec<_>>(),
        ["first", "second"]
    );
    let last = r.mean_agreement_step.expect("some agreements").ceil() as u32;
    let mut checked = 0;
    for (seat, o) in offers.iter().enumerate() {
        for s in &o.steps {
            // The first party proposes at odd steps, the second at even ones.
            assert_eq!(
                (s.step as usize + 1) % 2,
                seat,
                "{} at step {}",
                o.party,
                s.step
            );
            let t = (s.step - 1) as f64 / (deadline - 1) as f64;
            let target = time_target(t, 0.3, 0.0, 0.0, 1.0);
            // Its cheapest offer at or above the target: within one grid step of it.
            assert!(
                s.mean_own_utility >= target - 1e-9 && s.mean_own_utility <= target + 0.01 + 1e-9,
                "{} at step {}: offer worth {} to itself, target {target}",
                o.party,
                s.step,
                s.mean_own_utility
            );
            assert_eq!(s.mean_reservation, 0.0);
            // The mean is over the rounds that reached the step: those still open after the
            // step before, less those that broke down at this step before its offer.
            let open_before = if s.step == 1 {
                1.0
            } else {
                r.steps[s.step as usize - 2].open
            };
            let broke = r.steps[s.step as usize - 1].broke_down;
            let expected = ((open_before - broke) * 20_000.0).round() as u64;
            assert_eq!(s.n, expected, "{} at step {}", o.party, s.step);
            checked += 1;
        }
        assert!(o.steps.iter().all(|s| s.step <= last));
    }
    assert!(checked >= 6, "only {checked} offers: {offers:?}");
    // The concession is visible: the first offers demand everything, the last much less.
    let first = &offers[0].steps;
    assert_eq!(first[0].mean_own_utility, 1.0);
    assert!(
        first.last().expect("offers").mean_own_utility < 0.9,
        "{first:?}"
    );

    // The precomputed play adds its path per block, weighted by the rounds still going; the
    // full play adds every round's offers one by one: the same tally, bit for bit.
    let s = scenario(&src);
    let ProtocolSpec::Alternating { dynamic } = &s.protocol else {
        panic!("alternating")
    };
    let fast = Alternating::new(&s, dynamic);
    assert!(fast.is_precomputed());
    let slow = Alternating::new(&s, dynamic).without_precomputation();
    let options = RunOptions {
        rounds: 5000,
        seed: 5,
        threads: Some(2),
    };
    let a = Runner::new(&s, options).run(&fast, &|_| {});
    let b = Runner::new(&s, options).run(&slow, &|_| {});
    assert_eq!(a, b);
    assert!(a.path_n.iter().filter(|&&n| n > 0).count() >= 6);
}
