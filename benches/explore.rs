//! `accord concessions` and `accord search` on the peace plan, at 10⁵ rounds on 2 threads:
//! - concessions of plan_19 (every single-clause change, paired with the proposal) against a
//!   sweep with the same number of points (troop_cap from plan_19, on the same rounds): the
//!   pairing's round-by-round accounting must not make it dearer than the sweep;
//! - the exact search of the discrete space (every option combination, the troop cap at a
//!   resolution of 9: 2,592 deals).
//!
//! `cargo bench --bench explore`

mod common;

use std::hint::black_box;

use accord::explore::{ConcessionSpec, SearchSpec};
use accord::request::Request;
use accord::sim::RunOptions;
use accord::sweep::{AxisSpec, SweepSpec};
use criterion::{Criterion, criterion_group, criterion_main};

const OPTIONS: RunOptions = RunOptions {
    rounds: 100_000,
    seed: 2025,
    threads: Some(2),
};

fn explore(c: &mut Criterion) {
    let scenario = common::bundled("peace-plan-2025.toml");
    let play = |request: &Request| {
        let prepared = request
            .prepare(&scenario, OPTIONS)
            .expect("a valid request");
        black_box(prepared.run(&|_| {}).expect("a run"))
    };
    let concessions = Request::Concessions(ConcessionSpec::new("plan_19"));
    let points = match &play(&concessions).body {
        accord::request::Body::Concessions(r) => r.concessions.len() + 1,
        _ => unreachable!("concessions"),
    };
    let sweep = Request::Sweep(SweepSpec {
        base: Some("plan_19".into()),
        axes: vec![AxisSpec::Clause {
            name: "troop_cap".into(),
            from: None,
            to: None,
            points: Some(points),
        }],
        given: Vec::new(),
    });
    let search = Request::Search(SearchSpec {
        resolution: 9,
        ..SearchSpec::default()
    });
    let mut group = c.benchmark_group("explore");
    group.sample_size(10);
    group.bench_function(format!("concessions_plan_19_{points}_deals"), |b| {
        b.iter(|| play(&concessions))
    });
    group.bench_function(format!("sweep_troop_cap_{points}_points"), |b| {
        b.iter(|| play(&sweep))
    });
    group.bench_function("search_peace_plan_2592_deals", |b| b.iter(|| play(&search)));
    group.finish();
}

criterion_group!(benches, explore);
criterion_main!(benches);
