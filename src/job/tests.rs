//! The job layer without the binary: shards add up to the whole run, precision mode stops at
//! the first block boundary that meets its target, partials refuse every alteration, and
//! merges refuse partials that are not the shards of one run.

use std::borrow::Cow;

use super::*;
use crate::scenario::{Format, Source};

fn source(path: &str, text: &str) -> Source {
    Source {
        name: path.to_string(),
        format: Format::Toml,
        text: text.to_string(),
    }
}

fn fearon() -> Source {
    source("fearon.toml", include_str!("../../scenarios/fearon.toml"))
}

fn three_party() -> Source {
    source(
        "three-party-alternating.toml",
        include_str!("../../scenarios/three-party-alternating.toml"),
    )
}

/// A tally as a partial writes it: what merges and results see (a tally straight from the
/// rounds may still hold unsettled rounds of a fixed play in fields that are not written).
fn json(t: &Tally) -> String {
    serde_json::to_string(t).unwrap()
}

fn options(rounds: u64) -> RunOptions {
    RunOptions {
        rounds,
        seed: 11,
        threads: Some(2),
    }
}

/// The job a source's scenario plays: its proposals (ratify) or its own protocol.
fn job<'s>(s: &'s Scenario, rounds: u64) -> Job<'s> {
    let variants = match s.protocol.dynamic() {
        Some(_) => Variants::Scenarios(vec![s.clone()]),
        None => Variants::Deals {
            deals: s.proposals.iter().map(|p| p.deal.clone()).collect(),
            reservation: None,
        },
    };
    Job::new(Cow::Borrowed(s), variants, options(rounds)).unwrap()
}

fn shards(job: &Job, source: &Source, n: u64) -> Vec<(String, Partial<String>)> {
    (1..=n)
        .map(|k| {
            let shard = Shard::new(k, n).unwrap();
            let played = job.play(Mode::Shard(shard), &|_| {}).unwrap();
            let partial = Partial::new(source, job, shard, "request".to_string(), played);
            // Through the file format, as a cluster would.
            let text = partial.to_json();
            let name = format!("part-{k}.json");
            (name.clone(), Partial::from_json(&text, &name).unwrap())
        })
        .collect()
}

#[test]
fn shards_merge_to_the_whole_run_for_every_protocol_and_split() {
    for src in [fearon(), three_party()] {
        let s = src.parse().unwrap();
        let rounds = 10 * 1024 + 37;
        let job = job(&s, rounds);
        let whole = job.play(Mode::Whole, &|_| {}).unwrap();
        assert_eq!(whole.rounds, rounds);
        for n in [1, 2, 3, 11] {
            let merged = merge(shards(&job, &src, n)).unwrap();
            assert_eq!(
                json(&merged.tally),
                json(&whole.tally),
                "{} in {n} shards",
                src.name
            );
            assert_eq!((merged.seed, merged.rounds), (11, rounds));
        }
    }
}

#[test]
fn the_thread_count_never_changes_a_tally() {
    let src = three_party();
    let s = src.parse().unwrap();
    let tallies: Vec<Tally> = [1, 2, 3]
        .iter()
        .map(|&t| {
            let job = Job::new(
                Cow::Borrowed(&s),
                Variants::Scenarios(vec![s.clone()]),
                RunOptions {
                    threads: Some(t),
                    ..options(5000)
                },
            )
            .unwrap();
            job.play(Mode::Whole, &|_| {}).unwrap().tally
        })
        .collect();
    assert!(tallies.windows(2).all(|w| json(&w[0]) == json(&w[1])));
}

#[test]
fn precision_stops_at_a_block_boundary_and_equals_a_run_of_that_length() {
    let s = three_party().parse().unwrap();
    let capped = job(&s, 1_000_000);
    let played = capped
        .play(Mode::Precision { target: 0.01 }, &|_| {})
        .unwrap();
    let p = played.precision.unwrap();
    assert!(p.reached && p.achieved <= 0.01, "{p:?}");
    assert_eq!(played.rounds % 1024, 0);
    assert!(played.rounds < 1_000_000);
    let plain = job(&s, played.rounds).play(Mode::Whole, &|_| {}).unwrap();
    assert_eq!(json(&plain.tally), json(&played.tally));
    // One block fewer would not have met the target: it stopped at the first boundary.
    assert!(
        played.rounds > 1024,
        "the target should take more than one block"
    );
    let shorter = job(&s, played.rounds - 1024);
    let t = shorter.play(Mode::Whole, &|_| {}).unwrap();
    assert!(shorter.prepare().max_half_width(&t.tally) > 0.01);
}

#[test]
fn jobs_refuse_what_they_cannot_play() {
    let s = fearon().parse().unwrap();
    let deals = || Variants::Deals {
        deals: vec![s.proposals[0].deal.clone()],
        reservation: None,
    };
    let new = |v, rounds| Job::new(Cow::Borrowed(&s), v, options(rounds)).map(|_| ());
    assert_eq!(new(deals(), 0), Err(JobError::Rounds(0)));
    assert_eq!(
        new(deals(), crate::model::MAX_ROUNDS + 1),
        Err(JobError::Rounds(crate::model::MAX_ROUNDS + 1))
    );
    assert_eq!(
        new(
            Variants::Deals {
                deals: vec![],
                reservation: None
            },
            10
        ),
        Err(JobError::NoVariants)
    );
    assert_eq!(
        new(
            Variants::Deals {
                deals: vec![vec![0.5, 0.5]],
                reservation: None
            },
            10
        ),
        Err(JobError::DealLength { clauses: 1 })
    );
    // A ratify scenario's worlds cannot play dynamic variants.
    assert_eq!(
        new(Variants::Scenarios(vec![s.clone()]), 10),
        Err(JobError::Protocol("ratify"))
    );
    let j = job(&s, 3000);
    assert!(matches!(
        j.play(Mode::Shard(Shard::new(4, 4).unwrap()), &|_| {}),
        Err(JobError::TooManyShards {
            n: 4,
            blocks: 3,
            ..
        })
    ));
    assert_eq!(
        j.play(Mode::Precision { target: 0.5 }, &|_| {}),
        Err(JobError::Precision(0.5))
    );
}

/// A partial's JSON with `edit` applied to its value tree, checksum left as it was.
fn edited(text: &str, edit: impl Fn(&mut serde_json::Value)) -> String {
    let mut v: serde_json::Value = serde_json::from_str(text).unwrap();
    edit(&mut v);
    v.to_string()
}

#[test]
fn partials_refuse_every_alteration() {
    let src = fearon();
    let s = src.parse().unwrap();
    let j = job(&s, 5000);
    let shard = Shard::new(2, 3).unwrap();
    let played = j.play(Mode::Shard(shard), &|_| {}).unwrap();
    let text = Partial::new(&src, &j, shard, "request".to_string(), played).to_json();
    let read = |t: &str| Partial::<String>::from_json(t, "part.json");
    assert!(read(&text).is_ok());
    // Any change to the content breaks the checksum.
    let more = edited(&text, |v| {
        let a = &mut v["tally"]["deals"]["agree"][0];
        *a = (a.as_u64().unwrap() + 1).into();
    });
    assert!(
        matches!(read(&more), Err(PartialError::Checksum { .. })),
        "{:?}",
        read(&more)
    );
    // A count above the rounds is refused even with a matching checksum.
    let impossible = rechecked(&text, |v| {
        v["tally"]["deals"]["agree"][0] = 1_000_000.into()
    });
    assert!(
        matches!(read(&impossible), Err(PartialError::Tally { .. })),
        "{:?}",
        read(&impossible)
    );
    let wrong_rounds = rechecked(&text, |v| v["tally"]["deals"]["rounds"] = 5.into());
    assert!(matches!(
        read(&wrong_rounds),
        Err(PartialError::Tally { .. })
    ));
    let moved = rechecked(&text, |v| v["blocks"] = serde_json::json!([0, 2]));
    assert!(matches!(read(&moved), Err(PartialError::Blocks { .. })));
    // Shard numbers are checked as they are read, before any arithmetic.
    for bad in [[1, 0], [0, 2], [3, 2]] {
        let t = rechecked(&text, |v| v["shard"] = serde_json::json!(bad));
        assert!(
            matches!(read(&t), Err(PartialError::Unreadable { .. })),
            "{bad:?}"
        );
    }
    let format = edited(&text, |v| v["accord_partial"] = 2.into());
    assert_eq!(
        read(&format).unwrap_err(),
        PartialError::Format {
            name: "part.json".into(),
            found: 2
        }
    );
    let version = rechecked(&text, |v| v["version"] = "0.0.1".into());
    assert!(matches!(read(&version), Err(PartialError::Version { .. })));
    let contract = rechecked(&text, |v| v["seed_contract"] = 1.into());
    assert_eq!(
        read(&contract).unwrap_err(),
        PartialError::SeedContract {
            name: "part.json".into(),
            found: 1
        }
    );
    assert!(matches!(read("{"), Err(PartialError::Unreadable { .. })));
}

/// A partial's JSON edited by `edit`, with its checksum made to match again (as a careful
/// forger would).
fn rechecked(text: &str, edit: impl Fn(&mut serde_json::Value)) -> String {
    let mut v: serde_json::Value = serde_json::from_str(text).unwrap();
    edit(&mut v);
    v["checksum"] = "".into();
    // The checksum covers the partial as serialised from its types; go through them when the
    // edit still parses, and keep the raw edit otherwise.
    match serde_json::from_value::<Partial<String>>(v.clone()) {
        Ok(mut p) => {
            p.checksum = String::new();
            let blank = serde_json::to_string(&p).unwrap();
            v["checksum"] = format!("fnv1a64:{:016x}", partial_fnv(blank.as_bytes())).into();
            v.to_string()
        }
        Err(_) => v.to_string(),
    }
}

fn partial_fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ b as u64).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

#[test]
fn merges_refuse_partials_of_different_runs() {
    let src = fearon();
    let s = src.parse().unwrap();
    let j = job(&s, 5000);
    let parts = shards(&j, &src, 3);
    let missing = parts[..2].to_vec();
    let Err(PartialError::Coverage { problems, .. }) = merge(missing) else {
        panic!("a missing shard must be refused");
    };
    assert_eq!(problems, ["shard 3/3 is missing"]);
    let mut twice = parts.clone();
    twice.push(parts[0].clone());
    assert!(matches!(merge(twice), Err(PartialError::Coverage { .. })));
    let other_seed = Job::new(
        Cow::Borrowed(&s),
        j.variants().clone(),
        RunOptions {
            seed: 12,
            ..options(5000)
        },
    )
    .unwrap();
    let mut mixed = shards(&other_seed, &src, 3);
    mixed[1] = parts[1].clone();
    assert!(matches!(
        merge(mixed),
        Err(PartialError::Differ { what: "seed", .. })
    ));
    assert_eq!(merge::<String>(Vec::new()), Err(PartialError::Nothing));
}
