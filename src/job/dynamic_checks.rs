//! The dynamic protocols' fast paths against plain players on random scenarios: here, in
//! the job layer, because building a scenario means parsing one, which the protocol layer
//! may not import (tests/layers.rs).
//!
//! - alternating offers with runs of repeated steps skipped, against a step-by-step player
//!   (`protocol::dynamic::alternating::plain`): the same endings and every step's move;
//! - the equilibrium on staircases against brute-force induction over every outcome
//!   (`protocol::dynamic::equilibrium::plain`).
//!
//! About half the clauses have a negotiable set (drawn by a generator of their own, so the
//! rest of each case is drawn as before): only what it holds may be offered.

use std::fmt::Write;

use crate::model::ProtocolSpec;
use crate::protocol::dynamic::testing::{Rng, choice_clauses, value_tables};
use crate::protocol::dynamic::{Alternating, Equilibrium, alternating, equilibrium};
use crate::scenario::{Format, parse};
use crate::sim::{Experiment, RunOptions, Runner};

fn unit(rng: &mut Rng) -> f64 {
    (rng.next() >> 11) as f64 / (1u64 << 53) as f64
}

/// Gives about half of the choice clauses written by `choice_clauses` (their option
/// counts `options`) a negotiable set: a random non-empty subset of their options. A
/// proposal then holds, of each clause, an option it may not offer where there is one, so
/// that the deal space has outcomes that may not be offered.
fn negotiable_sets(rng: &mut Rng, options: &[usize], text: &mut String) {
    let mut outside = Vec::new();
    for (c, &k) in options.iter().enumerate() {
        if rng.below(2) == 0 {
            outside.push(format!("c{c} = \"o{}\"", rng.below(k as u64)));
            continue;
        }
        let mut keep: Vec<usize> = (0..k).filter(|_| rng.below(2) == 0).collect();
        if keep.is_empty() {
            keep.push(rng.below(k as u64) as usize);
        }
        let off = (0..k).find(|i| !keep.contains(i)).unwrap_or(keep[0]);
        outside.push(format!("c{c} = \"o{off}\""));
        let kept: Vec<String> = keep.iter().map(|i| format!("\"o{i}\"")).collect();
        let header = format!("[clauses.c{c}]\n");
        let at = text.find(&header).expect("the clause");
        let line = at + text[at..].find("options = ").expect("its options");
        let end = line + text[line..].find('\n').expect("a line") + 1;
        text.insert_str(end, &format!("negotiable = [{}]\n", kept.join(", ")));
    }
    let _ = writeln!(text, "[proposals.outside]\n{}\n", outside.join("\n"));
}

fn pick<'a>(rng: &mut Rng, xs: &[&'a str]) -> &'a str {
    xs[rng.below(xs.len() as u64) as usize]
}

/// A random small scenario: 2 or 3 negotiators over 1 to 3 choice clauses, random value
/// tables, tactics, discounts, answer rules, deadlines, events and rules.
fn random_scenario(rng: &mut Rng) -> String {
    let parties = 2 + rng.below(2) as usize;
    let mut s = String::from("[scenario]\nname = \"random\"\n\n");
    let options = choice_clauses(rng, &mut s);
    let mut own = Rng(rng.0 ^ 0x9E37_79B9_7F4A_7C15);
    negotiable_sets(&mut own, &options, &mut s);
    for p in 0..parties {
        let _ = writeln!(s, "[parties.p{p}]");
        let weights: Vec<String> = (0..options.len())
            .map(|c| format!("c{c} = {:.3}", 0.1 + unit(rng)))
            .collect();
        let _ = writeln!(s, "weights = {{ {} }}", weights.join(", "));
        value_tables(rng, &options, &mut s);
        let keys: [(&str, &[&str]); 4] = [
            ("reservation", &["0.0", "0.3", "{ uniform = [0.0, 0.7] }"]),
            (
                "tactic",
                &[
                    "{ kind = \"time\" }",
                    "{ kind = \"time\", e = 0.2 }",
                    "{ kind = \"time\", e = 7.0, k = 0.1 }",
                    "{ kind = \"time\", e = { uniform = [0.05, 20.0] }, k = { uniform = [0.0, 0.3] } }",
                    "{ kind = \"time\", e = 0.5, min = { uniform = [0.2, 0.5] }, max = 0.9 }",
                    "{ kind = \"hardliner\" }",
                    "{ kind = \"hardliner\", level = { uniform = [0.4, 0.9] } }",
                    "{ kind = \"tit_for_tat\", factor = 1.0 }",
                ],
            ),
            // Near 1 too, where discounting is not trusted to fall step by step.
            (
                "discount",
                &[
                    "1.0",
                    "1.0",
                    "0.99",
                    "0.9999999999",
                    "{ uniform = [0.9, 1.0] }",
                ],
            ),
            (
                "respond",
                &[
                    "\"next\"",
                    "\"next\"",
                    "{ threshold = 0.6 }",
                    "{ reservation_near_deadline = 3 }",
                    "{ reservation_near_deadline = 40 }",
                ],
            ),
        ];
        for (key, choices) in keys {
            let _ = writeln!(s, "{key} = {}", pick(rng, choices));
        }
        if rng.below(4) == 0 {
            let _ = writeln!(s, "accept = {{ logit = {{ temperature = 0.05 }} }}");
        }
        s.push('\n');
    }
    let deadline = [1, 2, 3, 7, 40, 300, 2000][rng.below(7) as usize];
    let order: Vec<String> = (0..parties).map(|p| format!("\"p{p}\"")).collect();
    let _ = writeln!(
        s,
        "[protocol]\nkind = \"alternating\"\norder = [{}]\ndeadline = {deadline}",
        order.join(", ")
    );
    if rng.below(3) == 0 {
        let _ = writeln!(s, "breakdown = {}", [0.001, 0.05][rng.below(2) as usize]);
    }
    if parties == 3 && rng.below(3) == 0 {
        let _ = writeln!(s, "rule = {{ quota = 2 }}");
    }
    s.push('\n');
    if deadline > 3 && rng.below(2) == 0 {
        let step = 1 + rng.below(deadline as u64 / 2);
        let event = match rng.below(3) {
            0 => {
                "shift_reservation = { party = \"p0\", by = { uniform = [-0.2, 0.2] } }".to_string()
            }
            1 if parties == 3 => "leave = \"p2\"".to_string(),
            _ => format!("deadline = {}", step + rng.below(deadline as u64)),
        };
        let _ = writeln!(s, "[[events]]\nstep = {step}\n{event}\n");
    }
    s
}

#[test]
fn skipping_plays_exactly_as_every_step_on_random_cases() {
    let mut rng = Rng(0x5EED_1234_ABCD_0001);
    let (mut skipped, mut played) = (0, 0);
    for case in 0..300 {
        let text = random_scenario(&mut rng);
        let s = parse(&text, "random.toml", Format::Toml)
            .unwrap_or_else(|e| panic!("case {case}: {e:?}\n{text}"));
        let ProtocolSpec::Alternating { dynamic } = &s.protocol else {
            panic!("alternating")
        };
        let a = Alternating::new(&s, dynamic).without_precomputation();
        let (mut fast, mut slow) = (a.new_scratch(), a.new_scratch());
        let options = RunOptions {
            rounds: 40,
            seed: case,
            threads: Some(1),
        };
        Runner::new(&s, options).replay(
            0..40,
            |round, world| match alternating::plain::check_round(&a, world, &mut fast, &mut slow) {
                Ok((steps, runs)) => {
                    played += steps;
                    skipped += runs;
                }
                Err(e) => panic!("case {case} round {round}: {e}\n{text}"),
            },
        );
    }
    // The cases exercise the skips, over many steps.
    assert!(
        skipped > 1000 && played > 100_000,
        "{skipped} runs skipped, {played} steps"
    );
}

#[test]
fn staircase_induction_matches_brute_force_over_every_outcome() {
    let mut rng = Rng(0x5EED_0E0E_1234_5678);
    let mut agreements = 0;
    for case in 0..120 {
        let mut text = String::from("[scenario]\nname = \"random\"\n\n");
        let options = choice_clauses(&mut rng, &mut text);
        let mut own = Rng(rng.0 ^ 0x9E37_79B9_7F4A_7C15);
        negotiable_sets(&mut own, &options, &mut text);
        let clauses = options.len();
        for p in ["a", "b"] {
            let _ = writeln!(text, "[parties.{p}]");
            let weights: Vec<String> = (0..clauses)
                .map(|c| format!("c{c} = {}", 1 + rng.below(3)))
                .collect();
            let _ = writeln!(text, "weights = {{ {} }}", weights.join(", "));
            value_tables(&mut rng, &options, &mut text);
            let drawn = ["0.0", "{ uniform = [0.0, 0.8] }"][rng.below(2) as usize];
            let discount = ["1.0", "0.9", "{ uniform = [0.3, 1.0] }"][rng.below(3) as usize];
            let _ = writeln!(text, "reservation = {drawn}\ndiscount = {discount}\n");
        }
        let deadline = 1 + rng.below(30);
        let _ = writeln!(
            text,
            "[protocol]\nkind = \"equilibrium\"\norder = [\"a\", \"b\"]\ndeadline = {deadline}"
        );
        let s = parse(&text, "random.toml", Format::Toml)
            .unwrap_or_else(|e| panic!("case {case}: {e:?}\n{text}"));
        let ProtocolSpec::Equilibrium { dynamic, pie } = &s.protocol else {
            panic!("equilibrium")
        };
        let eq = Equilibrium::new(&s, dynamic, pie.as_ref());
        assert!(
            equilibrium::plain::on_stairs(&eq),
            "fixed utilities over a discrete space"
        );
        let options = RunOptions {
            rounds: 30,
            seed: case,
            threads: Some(1),
        };
        Runner::new(&s, options).replay(
            0..30,
            |round, world| match equilibrium::plain::check_round(&eq, world) {
                Ok(agreed) => agreements += usize::from(agreed),
                Err(e) => panic!("case {case} round {round}: {e}\n{text}"),
            },
        );
    }
    assert!(agreements > 1000, "{agreements} agreements compared");
}
