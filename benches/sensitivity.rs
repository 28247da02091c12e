//! Sobol indices of every uncertain parameter of the peace plan (scenarios/peace-plan-2025.toml)
//! for agreement on plan_28, played until every total-effect interval's half-width is at most
//! 0.02 (precision mode), on two threads. The target in issue 15: at most 30 s on 2 cores.
//! Before timing, the bench prints the rounds and model evaluations the target takes and the
//! widest half-width reached.
//!
//! `cargo bench --bench sensitivity`

use std::hint::black_box;

use accord::analysis::sensitivity::{OutputSpec, Spec, analyse};
use accord::scenario::load;
use accord::sim::RunOptions;
use criterion::{Criterion, criterion_group, criterion_main};

fn peace_plan(c: &mut Criterion) {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/scenarios/peace-plan-2025.toml"
    );
    let scenario = load(std::path::Path::new(path)).expect("the bundled scenario loads");
    let spec = Spec {
        proposal: "plan_28".into(),
        output: OutputSpec::Agreement,
        groups: vec![],
        options: RunOptions {
            rounds: 10_000_000,
            seed: 2025,
            threads: Some(2),
        },
        precision: Some(0.02),
    };
    let report = analyse(&scenario, &spec, &|_| {}).expect("the analysis runs");
    let widest = report
        .factors
        .iter()
        .map(|f| f.total.half_width())
        .fold(0.0, f64::max);
    eprintln!(
        "peace plan, agreement on plan_28: {} factors, {} rounds per sample set, {} model evaluations, widest total-effect half-width {widest:.4}",
        report.factors.len(),
        report.rounds,
        report.evaluations
    );
    let mut group = c.benchmark_group("sensitivity");
    group.sample_size(10);
    group.bench_function("peace_plan_total_halfwidth_0.02_2_threads", |b| {
        b.iter(|| black_box(analyse(&scenario, &spec, &|_| {}).expect("runs")))
    });
    group.finish();
}

criterion_group!(benches, peace_plan);
criterion_main!(benches);
