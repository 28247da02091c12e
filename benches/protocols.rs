//! Throughput of the dynamic protocols, in negotiations (rounds) per second on one core.
//!
//! The domain: two parties over three choice clauses of 10, 10 and 6 options (600 outcomes),
//! opposed preferences, a 100-step deadline, a Boulware buyer (e = 0.2) against a Conceder
//! seller (e = 2), AC_next, and a 0.1% breakdown risk per step. `fixed` has every utility
//! fixed, so the offer/answer sequence is played once per run and each round only draws its
//! breakdown step; `sampled` draws both parties' weights every round, so every round
//! recomputes both parties' 600 utilities and offer books and plays its negotiation;
//! `fixed_full_play` plays every round in full on fixed utilities (the general path, without
//! precomputation).
//!
//! `equilibrium_rubinstein`: the bundled pie game (T = 3) solved once per run (`fixed`) or,
//! with uncertain discounts, by backward induction in every round (`sampled`).
//!
//! `cargo bench --bench protocols`

use std::fmt::Write;
use std::hint::black_box;

use accord::model::Scenario;
use accord::protocol::dynamic::{Alternating, Dynamic};
use accord::scenario::{Format, parse};
use accord::sim::{BLOCK_SIZE, RunOptions, Runner};
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

/// The 600-outcome domain; `uncertain` makes both parties' weights uniform draws.
pub fn domain(uncertain: bool) -> Scenario {
    let sizes = [("price", 10usize), ("delivery", 10), ("warranty", 6)];
    let mut s = String::from("[scenario]\nname = \"600-outcome bilateral domain\"\n\n");
    for (name, n) in sizes {
        let options: Vec<String> = (0..n).map(|i| format!("\"o{i}\"")).collect();
        let _ = writeln!(
            s,
            "[clauses.{name}]\nkind = \"choice\"\noptions = [{}]\n",
            options.join(", ")
        );
    }
    let table = |n: usize, rising: bool| -> String {
        let cells: Vec<String> = (0..n)
            .map(|i| {
                let v = i as f64 / (n - 1) as f64;
                format!("o{i} = {}", if rising { v } else { 1.0 - v })
            })
            .collect();
        format!("{{ table = {{ {} }} }}", cells.join(", "))
    };
    let weight = |w: f64| {
        if uncertain {
            format!("{{ uniform = [{}, {}] }}", w - 0.1, w + 0.1)
        } else {
            w.to_string()
        }
    };
    for (party, rising, ws, e) in [
        ("buyer", true, [0.5, 0.3, 0.2], 0.2),
        ("seller", false, [0.2, 0.3, 0.5], 2.0),
    ] {
        let _ = writeln!(s, "[parties.{party}]");
        let _ = writeln!(
            s,
            "weights = {{ price = {}, delivery = {}, warranty = {} }}",
            weight(ws[0]),
            weight(ws[1]),
            weight(ws[2])
        );
        for (name, n) in sizes {
            let _ = writeln!(s, "values.{name} = {}", table(n, rising));
        }
        let _ = writeln!(
            s,
            "reservation = 0.2\ntactic = {{ kind = \"time\", e = {e} }}\nrespond = \"next\"\n"
        );
    }
    s.push_str("[protocol]\nkind = \"alternating\"\norder = [\"buyer\", \"seller\"]\ndeadline = 100\nbreakdown = 0.001\n");
    parse(&s, "bench.toml", Format::Toml).expect("the bench domain is valid")
}

fn alternating(c: &mut Criterion) {
    let mut group = c.benchmark_group("alternating_600_outcomes");
    group.sample_size(10);
    for (label, uncertain, rounds, precompute) in [
        ("fixed", false, 256 * BLOCK_SIZE, true),
        ("fixed_full_play", false, 8 * BLOCK_SIZE, false),
        ("sampled", true, 8 * BLOCK_SIZE, true),
    ] {
        let scenario = domain(uncertain);
        let accord::model::ProtocolSpec::Alternating { dynamic } = &scenario.protocol else {
            unreachable!()
        };
        let mut experiment = Alternating::new(&scenario, dynamic);
        if !precompute {
            experiment = experiment.without_precomputation();
        }
        group.throughput(Throughput::Elements(rounds));
        group.bench_function(BenchmarkId::new("negotiations", label), |b| {
            let runner = Runner::new(
                &scenario,
                RunOptions {
                    rounds,
                    seed: 1,
                    threads: Some(1),
                },
            );
            b.iter(|| black_box(runner.run(&experiment, &|_| {})))
        });
    }
    group.finish();
}

fn equilibrium(c: &mut Criterion) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/rubinstein.toml");
    let text = std::fs::read_to_string(&path).expect("bundled scenario");
    let rounds = 16 * BLOCK_SIZE;
    let mut group = c.benchmark_group("equilibrium_rubinstein");
    group.sample_size(10);
    group.throughput(Throughput::Elements(rounds));
    // `fixed`: solved once per run; `sampled`: uncertain discounts, so every round solves
    // its own game by backward induction.
    for (label, text) in [
        ("fixed", text.clone()),
        (
            "sampled",
            text.replace("discount = 0.9", "discount = { uniform = [0.85, 0.95] }"),
        ),
    ] {
        let scenario = parse(&text, "rubinstein.toml", Format::Toml).expect("valid");
        let dynamic = Dynamic::new(&scenario).expect("a dynamic protocol");
        group.bench_function(BenchmarkId::new("negotiations", label), |b| {
            b.iter(|| {
                let options = RunOptions {
                    rounds,
                    seed: 1,
                    threads: Some(1),
                };
                black_box(Runner::new(&scenario, options).run(&dynamic, &|_| {}))
            })
        });
    }
    group.finish();
}

criterion_group!(benches, alternating, equilibrium);
criterion_main!(benches);
