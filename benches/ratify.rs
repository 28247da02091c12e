//! Throughput of the `ratify` protocol on the peace-plan scenario, against the random-number
//! bound: the same block structure drawing only the standard normals a round needs (in bulk,
//! as the sampler draws them).
//!
//! `cargo bench --bench ratify`

mod common;

use std::hint::black_box;

use accord::numeric::ziggurat::normals;
use accord::protocol::Ratify;
use accord::sim::{BLOCK_SIZE, RunOptions, Runner, WorldSampler, block_rng};
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

const ROUNDS: u64 = 256 * BLOCK_SIZE;

fn ratify(c: &mut Criterion) {
    let scenario = common::bundled("peace-plan-2025.toml");
    let deals = scenario.proposals.iter().map(|p| p.deal.clone()).collect();
    let experiment = Ratify::new(&scenario, deals);
    let mut group = c.benchmark_group("ratify");
    group.throughput(Throughput::Elements(ROUNDS));
    group.sample_size(20);
    for threads in [1usize, 2] {
        group.bench_with_input(
            BenchmarkId::new("peace_plan_rounds", threads),
            &threads,
            |b, &t| {
                let runner = Runner::new(
                    &scenario,
                    RunOptions {
                        rounds: ROUNDS,
                        seed: 1,
                        threads: Some(t),
                    },
                );
                b.iter(|| black_box(runner.run(&experiment, &|_| {})))
            },
        );
    }
    // The bound: one thread drawing, per round, as many standard normals as the round makes
    // random draws, in the same blocks and streams.
    let draws = WorldSampler::new(&scenario).draws_per_round();
    group.bench_function(BenchmarkId::new("normals_bound_rounds", draws), |b| {
        b.iter(|| {
            let mut acc = 0.0f64;
            let mut zs = vec![0.0; BLOCK_SIZE as usize * draws];
            for block in 0..ROUNDS / BLOCK_SIZE {
                let mut rng = block_rng(1, block);
                normals(&mut rng, &mut zs);
                acc += zs[0];
            }
            black_box(acc)
        })
    });
    group.finish();
}

criterion_group!(benches, ratify);
criterion_main!(benches);
