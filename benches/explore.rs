//! `accord concessions` and `accord search` on the peace plan, at 10⁵ rounds on 2 threads:
//! - concessions of plan_19 (every single-clause change, paired with the proposal) against a
//!   sweep with the same number of points (troop_cap from plan_19, on the same rounds): the
//!   pairing's round-by-round accounting must not make it dearer than the sweep;
//! - a sweep of 100 points of the troop cap (plan_28, 400,000 to 1,000,000) against plan_28
//!   alone: a point must cost little beside the worlds every point shares;
//! - the exact search of the discrete space (every option combination, the troop cap at a
//!   resolution of 9: 2,592 deals).
//!
//! Before criterion's own figures, the two ratios (concessions / sweep of as many points, and
//! 100-point sweep / one proposal) are printed from medians of interleaved runs, so a noisy
//! host slows both sides of a ratio alike.
//!
//! `cargo bench --bench explore`

mod common;

use std::hint::black_box;
use std::time::{Duration, Instant};

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
    let sweep_100 = Request::Sweep(SweepSpec {
        base: Some("plan_28".into()),
        axes: vec![AxisSpec::Clause {
            name: "troop_cap".into(),
            from: Some(400_000.0),
            to: Some(1_000_000.0),
            points: Some(100),
        }],
        given: Vec::new(),
    });
    let one = Request::run(&scenario, &["plan_28".to_string()]).expect("a ratify request");
    let [conc, swp, s100, single] = interleaved_medians(
        [&concessions, &sweep, &sweep_100, &one].map(|r| move || drop(play(r))),
        15,
    );
    println!(
        "explore ratios (medians of 15 interleaved runs): concessions of plan_19 ({points} deals) \
         {conc:.1?} / sweep of {points} points {swp:.1?} = {:.2}; sweep of 100 points {s100:.1?} \
         / plan_28 alone {single:.1?} = {:.2}",
        conc.as_secs_f64() / swp.as_secs_f64(),
        s100.as_secs_f64() / single.as_secs_f64()
    );
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
    group.bench_function("sweep_troop_cap_100_points", |b| {
        b.iter(|| play(&sweep_100))
    });
    group.bench_function("plan_28_alone", |b| b.iter(|| play(&one)));
    group.bench_function("search_peace_plan_2592_deals", |b| b.iter(|| play(&search)));
    group.finish();
}

/// The median wall time of each of `runs`, run in turn `repeats` times.
fn interleaved_medians<const N: usize>(runs: [impl Fn(); N], repeats: usize) -> [Duration; N] {
    let mut times = [(); N].map(|_| Vec::with_capacity(repeats));
    for _ in 0..repeats {
        for (run, times) in runs.iter().zip(&mut times) {
            let start = Instant::now();
            run();
            times.push(start.elapsed());
        }
    }
    times.map(|mut t| {
        t.sort();
        t[t.len() / 2]
    })
}

criterion_group!(benches, explore);
criterion_main!(benches);
