//! Dynamic protocols with parameters drawn every round, on GENIUS domains read from the shared
//! data folder (ACCORD_SHARED_DATA; third-party files, never copied into the repository — the
//! bench says so and measures nothing without it).
//!
//! `alternating_england_zimbabwe`: EnglandZimbabwe (576 outcomes) imported as `accord import
//! genius --protocol alternating` writes it (linear time tactics, AC_next), with each party's
//! reservation drawn uniform on [0, 0.6] every round, so every round plays its own
//! negotiation. Measured with a 100-step deadline on 1 and 2 threads (the claim is their
//! ratio), and with a 10,000-step deadline on 1 thread (the claim: a hundred times the steps
//! cost a small multiple of the time, as the work follows the offers, not the steps).
//! `benches/negmas_alternating.py` runs NegMAS on the same negotiation and this bench beside
//! it, and reports the ratio.
//!
//! `equilibrium_travel`: the subgame-perfect equilibrium of alternating offers on Travel
//! (188,160 outcomes, 100 steps), solved in every round with discounts (or reservations)
//! drawn per round.
//!
//!     ACCORD_SHARED_DATA=/path/to/shared/data cargo bench --bench dynamic

use std::hint::black_box;
use std::path::{Path, PathBuf};

use accord::model::Scenario;
use accord::protocol::dynamic::Dynamic;
use accord::scenario::genius::{self, ImportProtocol, WriteOptions};
use accord::scenario::{Format, parse};
use accord::sim::{BLOCK_SIZE, RunOptions, Runner};
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

/// A GENIUS domain of the shared data folder as `accord import genius` writes it, with
/// `edit` applied to the scenario text; `None` (said on stderr) without the folder.
pub fn imported(
    folder: &str,
    files: [&str; 3],
    protocol: ImportProtocol,
    edit: impl Fn(String) -> String,
) -> Option<Scenario> {
    let Some(shared) = std::env::var_os("ACCORD_SHARED_DATA") else {
        eprintln!("skipped: ACCORD_SHARED_DATA is unset, so genius/{folder} is not read");
        return None;
    };
    let dir = Path::new(&shared).join("genius").join(folder);
    let profiles: Vec<PathBuf> = files[1..].iter().map(|f| dir.join(f)).collect();
    let set = genius::load(&dir.join(files[0]), &profiles).expect("a GENIUS domain");
    let s = genius::to_scenario(&set).expect("an additive domain");
    let options = WriteOptions {
        protocol,
        notes: Vec::new(),
    };
    let text = edit(genius::to_toml(&s, &set, &options));
    Some(parse(&text, "imported.toml", Format::Toml).expect("a valid scenario"))
}

/// EnglandZimbabwe under alternating offers with `deadline` steps and reservations drawn
/// uniform on [0, 0.6].
pub fn england_zimbabwe(deadline: u32) -> Option<Scenario> {
    imported(
        "EnglandZimbabwe",
        ["EnglandZimbabwe_domain.xml", "England.xml", "Zimbabwe.xml"],
        ImportProtocol::Alternating { deadline },
        |t| {
            t.replace(
                "reservation = 0.0",
                "reservation = { uniform = [0.0, 0.6] }",
            )
        },
    )
}

fn run(scenario: &Scenario, dynamic: &Dynamic, rounds: u64, threads: usize) {
    let options = RunOptions {
        rounds,
        seed: 1,
        threads: Some(threads),
    };
    black_box(Runner::new(scenario, options).run(dynamic, &|_| {}));
}

fn alternating(c: &mut Criterion) {
    let mut group = c.benchmark_group("alternating_england_zimbabwe");
    group.sample_size(10);
    for (deadline, rounds, threads) in [
        (100, 256 * BLOCK_SIZE, 1),
        (100, 256 * BLOCK_SIZE, 2),
        (10_000, 32 * BLOCK_SIZE, 1),
    ] {
        let Some(scenario) = england_zimbabwe(deadline) else {
            return;
        };
        let dynamic = Dynamic::new(&scenario).expect("a dynamic protocol");
        group.throughput(Throughput::Elements(rounds));
        let label = format!("reservations_deadline_{deadline}");
        group.bench_function(BenchmarkId::new(label, format!("{threads}_threads")), |b| {
            b.iter(|| run(&scenario, &dynamic, rounds, threads))
        });
    }
    group.finish();
}

/// Travel under the equilibrium protocol (100 steps) with `parties` replacing each party's
/// `reservation = 0.0` line: its draws.
pub fn travel(parties: &str) -> Option<Scenario> {
    imported(
        "Travel",
        ["travel_domain.xml", "travel_chox.xml", "travel_fanny.xml"],
        ImportProtocol::Alternating { deadline: 100 },
        |t| {
            t.replace("kind = \"alternating\"", "kind = \"equilibrium\"")
                .replace("reservation = 0.0", parties)
        },
    )
}

fn equilibrium(c: &mut Criterion) {
    let mut group = c.benchmark_group("equilibrium_travel");
    group.sample_size(10);
    let rounds = 64 * BLOCK_SIZE;
    group.throughput(Throughput::Elements(rounds));
    for (label, parties) in [
        (
            "discounts",
            "reservation = 0.0\ndiscount = { uniform = [0.9, 1.0] }",
        ),
        ("reservations", "reservation = { uniform = [0.0, 0.5] }"),
    ] {
        let Some(scenario) = travel(parties) else {
            return;
        };
        let dynamic = Dynamic::new(&scenario).expect("a dynamic protocol");
        group.bench_function(BenchmarkId::new("solves", label), |b| {
            b.iter(|| run(&scenario, &dynamic, rounds, 1))
        });
    }
    group.finish();
}

criterion_group!(benches, alternating, equilibrium);
criterion_main!(benches);
