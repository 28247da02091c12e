//! How the cost of a ratify run grows with clauses, parties, sweep points and threads.
//!
//! `cargo bench --bench engine`

mod common;

use std::hint::black_box;

use accord::job::Variants;
use accord::protocol::Ratify;
use accord::sim::{BLOCK_SIZE, RunOptions, Runner};
use accord::sweep::{self, AxisSpec, SweepSpec};
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

const ROUNDS: u64 = 16 * BLOCK_SIZE;

fn options(threads: usize) -> RunOptions {
    RunOptions {
        rounds: ROUNDS,
        seed: 1,
        threads: Some(threads),
    }
}

fn clauses(c: &mut Criterion) {
    let mut group = c.benchmark_group("scaling_clauses");
    group.throughput(Throughput::Elements(ROUNDS));
    group.sample_size(10);
    for n in [2usize, 4, 8, 16, 32, 64] {
        let s = common::synthetic(n, 2);
        let e = Ratify::new(&s, s.proposals.iter().map(|p| p.deal.clone()).collect());
        group.bench_with_input(BenchmarkId::from_parameter(n), &n, |b, _| {
            let runner = Runner::new(&s, options(1));
            b.iter(|| black_box(runner.run(&e, &|_| {})))
        });
    }
    group.finish();
}

fn parties(c: &mut Criterion) {
    let mut group = c.benchmark_group("scaling_parties");
    group.throughput(Throughput::Elements(ROUNDS));
    group.sample_size(10);
    for n in [2usize, 4, 8, 16] {
        let s = common::synthetic(8, n);
        let e = Ratify::new(&s, s.proposals.iter().map(|p| p.deal.clone()).collect());
        group.bench_with_input(BenchmarkId::from_parameter(n), &n, |b, _| {
            let runner = Runner::new(&s, options(1));
            b.iter(|| black_box(runner.run(&e, &|_| {})))
        });
    }
    group.finish();
}

/// A sweep of the troop cap on the peace plan against a single-proposal run of the same
/// rounds (the worlds are drawn once per round, the points evaluated on them).
fn sweep_points(c: &mut Criterion) {
    let s = common::bundled("peace-plan-2025.toml");
    let mut group = c.benchmark_group("sweep_points");
    group.throughput(Throughput::Elements(ROUNDS));
    group.sample_size(10);
    let base = s.proposal_index("plan_28").expect("plan_28");
    let single = Ratify::new(&s, vec![s.proposals[base].deal.clone()]);
    group.bench_function("single_proposal", |b| {
        let runner = Runner::new(&s, options(1));
        b.iter(|| black_box(runner.run(&single, &|_| {})))
    });
    for points in [10usize, 100] {
        let spec = SweepSpec {
            base: Some("plan_28".into()),
            axes: vec![AxisSpec::Clause {
                name: "troop_cap".into(),
                from: Some(400_000.0),
                to: Some(1_000_000.0),
                points: Some(points),
            }],
            given: Vec::new(),
        };
        let plan = sweep::plan(&s, &spec).expect("valid sweep");
        let Variants::Deals { deals, .. } = plan.variants else {
            unreachable!("a ratify sweep plays deals")
        };
        let e = Ratify::new(&s, deals);
        group.bench_with_input(BenchmarkId::new("troop_cap", points), &points, |b, _| {
            let runner = Runner::new(&s, options(1));
            b.iter(|| black_box(runner.run(&e, &|_| {})))
        });
    }
    group.finish();
}

fn threads(c: &mut Criterion) {
    let s = common::bundled("peace-plan-2025.toml");
    let e = Ratify::new(&s, s.proposals.iter().map(|p| p.deal.clone()).collect());
    let rounds = 16 * ROUNDS;
    let mut group = c.benchmark_group("threads");
    group.throughput(Throughput::Elements(rounds));
    group.sample_size(10);
    for t in [1usize, 2] {
        group.bench_with_input(BenchmarkId::from_parameter(t), &t, |b, &t| {
            let runner = Runner::new(
                &s,
                RunOptions {
                    rounds,
                    seed: 1,
                    threads: Some(t),
                },
            );
            b.iter(|| black_box(runner.run(&e, &|_| {})))
        });
    }
    group.finish();
}

criterion_group!(benches, clauses, parties, sweep_points, threads);
criterion_main!(benches);
