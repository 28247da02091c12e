//! Every exporter's output pinned by snapshots (tests/snapshots/): each format of each kind of
//! result — proposals, a sweep, a dynamic protocol's play, a comparison across seeds — on
//! small seeded runs of the bundled scenarios. A change to any output shows up here as a diff
//! to review (`cargo insta review`), never silently.

use accord::analysis::seeds::SeedsReport;
use accord::model::Scenario;
use accord::report::Format;
use accord::request::{Request, RunResult, seeds};
use accord::scenario::Source;
use accord::sim::RunOptions;
use accord::sweep::{AxisSpec, SweepSpec};

use crate::common::repo_file;

fn source(name: &str) -> Source {
    Source::read(&repo_file(&format!("scenarios/{name}"))).expect("bundled scenario")
}

fn options(rounds: u64) -> RunOptions {
    RunOptions {
        rounds,
        seed: 7,
        threads: Some(2),
    }
}

fn result(s: &Scenario, request: Request, rounds: u64) -> RunResult {
    request
        .prepare(s, options(rounds))
        .and_then(|p| p.run(&|_| {}))
        .unwrap_or_else(|e| panic!("{e}"))
}

fn all_formats(name: &str, r: &RunResult) {
    for f in [Format::Table, Format::Json, Format::Csv] {
        insta::assert_snapshot!(format!("{name}.{}", f.name()), f.exporter().run(r));
    }
}

#[test]
fn proposals() {
    let s = source("peace-plan-2025.toml").parse().unwrap();
    let r = result(&s, Request::run(&s, &[]).unwrap(), 4000);
    all_formats("proposals", &r);
}

#[test]
fn sweep_of_a_clause_and_of_a_choice_grid() {
    let s = source("peace-plan-2025.toml").parse().unwrap();
    let clause = |name: &str, points| AxisSpec::Clause {
        name: name.into(),
        from: None,
        to: None,
        points,
    };
    let line = Request::Sweep(SweepSpec {
        base: Some("plan_28".into()),
        axes: vec![clause("troop_cap", Some(5))],
        given: Vec::new(),
    });
    all_formats("sweep_line", &result(&s, line, 3000));
    let grid = Request::Sweep(SweepSpec {
        base: Some("plan_19".into()),
        axes: vec![clause("troop_cap", Some(3)), clause("nato", None)],
        given: Vec::new(),
    });
    all_formats("sweep_grid", &result(&s, grid, 2000));
}

#[test]
fn dynamic_plays() {
    for name in [
        "three-party-alternating.toml",
        "peace-plan-2025-mediated.toml",
        "rubinstein.toml",
    ] {
        let s = source(name).parse().unwrap();
        let r = result(&s, Request::Dynamic { start: None }, 2000);
        all_formats(&format!("dynamic_{}", name.trim_end_matches(".toml")), &r);
    }
}

#[test]
fn parameter_sweep() {
    let s = source("peace-plan-2025-alternating.toml").parse().unwrap();
    let request = Request::Sweep(SweepSpec {
        base: None,
        axes: vec![AxisSpec::Param {
            name: "breakdown".into(),
            from: Some(0.0),
            to: Some(0.06),
            points: Some(4),
        }],
        given: Vec::new(),
    });
    all_formats("sweep_param", &result(&s, request, 2000));
}

#[test]
fn seeds_comparison() {
    let src = source("fearon.toml");
    let s = src.parse().unwrap();
    let request = Request::run(&s, &[]).unwrap();
    let report: SeedsReport =
        seeds::seeds(&src, &s, &request, &[1, 2, 3, 4], options(1500), &|_| {}).unwrap();
    for f in [Format::Table, Format::Json, Format::Csv] {
        insta::assert_snapshot!(format!("seeds.{}", f.name()), f.exporter().seeds(&report));
    }
}
