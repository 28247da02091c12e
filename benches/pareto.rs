//! The Pareto frontier and solution points of `accord analyse` (frontier, ties, Nash, both
//! Kalai–Smorodinsky points, welfare), in-process on one thread, on two-party GENIUS domains:
//! generated ones of 10, 20 and 30 issues of 10 values (10^30 outcomes) and, when
//! ACCORD_SHARED_DATA names the shared data folder, Travel (188,160 outcomes).
//!
//! benches/negmas_pareto.py runs this beside NegMAS's MOBANOS sampler on the same files
//! (it passes them in ACCORD_PARETO_DOMAINS: one folder per domain holding domain.xml,
//! prof1.xml and prof2.xml); run alone, the bench writes the same domains itself.
//!
//!     cargo bench --bench pareto

mod common;

use std::path::{Path, PathBuf};

use accord::analysis::outcomes::{Options, Space, analyse_with};
use accord::scenario::genius;
use criterion::{Criterion, criterion_group, criterion_main};

/// The space `accord analyse DOMAIN PROF...` builds from GENIUS files.
fn space(domain: &Path, profiles: &[PathBuf]) -> Space {
    let set = genius::load(domain, profiles).expect("a GENIUS domain");
    let s = genius::to_scenario(&set).expect("an additive domain");
    Space::from_scenario(&s, accord::model::space::DEFAULT_RESOLUTION).expect("a space")
}

fn domains(tmp: &Path) -> Vec<(String, Space)> {
    let mut out = Vec::new();
    if let Some(shared) = std::env::var_os("ACCORD_SHARED_DATA") {
        let travel = Path::new(&shared).join("genius/Travel");
        if travel.is_dir() {
            let profiles = ["travel_chox.xml", "travel_fanny.xml"].map(|p| travel.join(p));
            out.push((
                "travel".to_string(),
                space(&travel.join("travel_domain.xml"), &profiles),
            ));
        }
    }
    let dir = match std::env::var_os("ACCORD_PARETO_DOMAINS") {
        Some(d) => PathBuf::from(d),
        None => {
            for (n, k) in [(10, 10), (20, 10), (30, 10)] {
                common::write_genius_domain(&tmp.join(format!("gen-{n}x{k}")), n, k);
            }
            tmp.to_path_buf()
        }
    };
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("the domains folder")
        .filter_map(|e| e.ok())
        .filter(|e| e.path().join("domain.xml").is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort_by_key(|n| (n.len(), n.clone()));
    for name in names {
        let d = dir.join(&name);
        let profiles = [d.join("prof1.xml"), d.join("prof2.xml")];
        out.push((name, space(&d.join("domain.xml"), &profiles)));
    }
    out
}

fn pareto(c: &mut Criterion) {
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let mut group = c.benchmark_group("pareto");
    group.sample_size(20);
    for (name, space) in domains(tmp.path()) {
        let a = analyse_with(&space, &Options::default()).expect("an analysis");
        eprintln!(
            "{name}: {} outcomes, frontier of {} outcomes at {} points",
            a.outcomes,
            a.pareto_outcomes(),
            a.pareto_points()
        );
        group.bench_function(&name, |b| {
            b.iter(|| analyse_with(&space, &Options::default()).expect("an analysis"))
        });
    }
    group.finish();
}

criterion_group!(benches, pareto);
criterion_main!(benches);
