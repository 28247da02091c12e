//! GENIUS (ANAC) domains: import, utilities against the formula worked by hand from the
//! files, the Pareto frontier against brute force and against GENIUS's own pareto.xml, Nash
//! and Kalai–Smorodinsky points on small domains solved by hand, and bad input.
//!
//! The tests that always run use the project's own small fixtures (tests/fixtures/genius:
//! a discrete/integer/real domain with three profiles, one of them Latin-1; a GeniusWeb
//! domain with two profiles; a hyperrectangle domain). The tests on the real ANAC domains
//! read them from `$ACCORD_SHARED_DATA/genius` (third-party data, never copied here) and
//! skip when the variable is unset; CI sets it.

use std::path::{Path, PathBuf};

use accord::analysis::outcomes::{self, Analysis, DEFAULT_NODE_LIMIT, Space};
use accord::model::{ProtocolSpec, Scenario};
use accord::scenario::genius::{self, GeniusSet};
use accord::scenario::{Format, parse};

use crate::common::{accord, accord_in, fixture, flat, scenario, shared_data};

/// Whether the ANAC domains are available; a test on them returns early without them.
fn have_data() -> bool {
    shared_data("genius").is_some()
}

/// A file of the ANAC domains (call [`have_data`] first).
fn data(rel: &str) -> PathBuf {
    shared_data(&format!("genius/{rel}")).expect("the caller checked have_data()")
}

/// A file of the project's own GENIUS fixtures.
fn own(rel: &str) -> PathBuf {
    fixture(&format!("genius/{rel}"))
}

/// Loads one of the project's fixture sets.
fn load_own(domain: &str, profiles: &[&str]) -> GeniusSet {
    let ps: Vec<PathBuf> = profiles.iter().map(|p| own(p)).collect();
    genius::load(&own(domain), &ps).unwrap_or_else(|e| panic!("{domain}: {e:?}"))
}

/// Outcomes (fruit index, quantity, ripeness) of the fruit fixture with every profile's
/// utility worked by hand from the XML (comments in the files give the same formulas):
/// buyer 0.5·{0.25, 0.5, 1}[f] + 0.25·0.25(q − 1) + 0.25·(0.5 + 0.5r);
/// seller 0.2·{1, 0.5, 0.5}[f] + 0.6·(1 − 0.25(q − 1)) + 0.2·0.6;
/// broker 0.4·1 + 0.3·clamp(0.5(q − 1), 0, 1) + 0.3·(1 − r).
const FRUIT_CASES: [([f64; 3], [f64; 3]); 4] = [
    (
        [2.0, 3.0, 0.5],
        [
            0.5 + 0.25 * 0.5 + 0.25 * 0.75,
            0.2 * 0.5 + 0.6 * 0.5 + 0.12,
            0.4 + 0.3 + 0.15,
        ],
    ),
    (
        [0.0, 1.0, 0.0],
        [0.5 * 0.25 + 0.25 * 0.5, 0.2 + 0.6 + 0.12, 0.4 + 0.3],
    ),
    (
        [1.0, 5.0, 1.0],
        [0.5 * 0.5 + 0.25 + 0.25, 0.2 * 0.5 + 0.12, 0.4 + 0.3],
    ),
    (
        [1.0, 2.0, 0.2],
        [
            0.25 + 0.25 * 0.25 + 0.25 * 0.6,
            0.1 + 0.6 * 0.75 + 0.12,
            0.4 + 0.15 + 0.24,
        ],
    ),
];

#[test]
fn fixture_domain_imports_with_utilities_worked_by_hand() {
    let set = load_own(
        "fruit/domain.xml",
        &["fruit/buyer.xml", "fruit/seller.xml", "fruit/broker.xml"],
    );
    assert!(set.is_additive());
    // 3 fruits × 5 quantities; ripeness is real (no count).
    assert_eq!(set.domain.outcome_count(), None);
    let names: Vec<&str> = set.profiles.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["buyer", "seller", "broker"]);
    // The seller's file is Latin-1: its "pêche" is the domain's UTF-8 "pêche".
    assert_eq!(
        set.domain.issues[0].kind,
        genius::IssueKind::Discrete {
            values: vec!["apple".into(), "pear".into(), "pêche".into()]
        }
    );
    let rd: Vec<(f64, Option<f64>)> = set
        .profiles
        .iter()
        .map(|p| (p.reservation, p.discount))
        .collect();
    assert_eq!(rd, [(0.3, Some(0.8)), (0.4, None), (0.0, None)]);
    let mut s = genius::to_scenario(&set).unwrap();
    for (x, us) in FRUIT_CASES {
        for (p, u) in us.iter().enumerate() {
            assert!((set.profiles[p].utility(&x) - u).abs() < 1e-12, "{x:?} {p}");
            assert!((accord_utility(&s, p, &x) - u).abs() < 1e-12, "{x:?} {p}");
        }
    }
    // Written as TOML (under either protocol, with a proposal as the import adds), it reads
    // back as the same scenario.
    s.proposals.push(accord::model::Proposal {
        name: "pêche".into(),
        description: None,
        deal: FRUIT_CASES[0].0.to_vec(),
    });
    for protocol in [
        genius::ImportProtocol::Ratify,
        genius::ImportProtocol::Alternating { deadline: 5 },
    ] {
        let opts = genius::WriteOptions {
            protocol,
            notes: vec![],
        };
        let text = genius::to_toml(&s, &set, &opts);
        let back =
            parse(&text, "fruit.toml", Format::Toml).unwrap_or_else(|e| panic!("{e:?}\n{text}"));
        assert_eq!(back.clauses, s.clauses);
        // A party's discount is part of it; the comparison of the rest leaves it out.
        let mut parties = back.parties.clone();
        parties
            .iter_mut()
            .for_each(|p| p.negotiation = Default::default());
        assert_eq!(parties, s.parties);
        if let ProtocolSpec::Alternating { .. } = &back.protocol {
            // The buyer's 0.8 over the whole negotiation is 0.8^(1/4) per step.
            let d = back.parties[0].negotiation.discount().get(&[]);
            assert!((d.powi(4) - 0.8).abs() < 1e-12, "{d}");
        }
    }
}

#[test]
fn geniusweb_fixture_uses_value_utilities_and_reservation_bids() {
    let set = load_own("web/domain.json", &["web/buyer.json", "web/seller.json"]);
    assert_eq!(set.domain.outcome_count(), Some(6));
    let s = genius::to_scenario(&set).unwrap();
    // buyer: reservation bid (pear, small) = 0.7·0.6 + 0.3·0.5; seller: (apple, –) = 0.4·1,
    // the issue it leaves out counting 0.
    assert!((set.profiles[0].reservation - (0.42 + 0.15)).abs() < 1e-12);
    assert!((set.profiles[1].reservation - 0.4).abs() < 1e-12);
    // (pêche, large): buyer 0.7·1 + 0.3·1; seller 0.4·0 + 0.6·0.25.
    let x = deal(&[2, 1]);
    assert!((accord_utility(&s, 0, &x) - 1.0).abs() < 1e-12);
    assert!((accord_utility(&s, 1, &x) - 0.15).abs() < 1e-12);
    let x = deal(&[1, 0]);
    assert!((accord_utility(&s, 0, &x) - 0.57).abs() < 1e-12);
    assert!((accord_utility(&s, 1, &x) - (0.2 + 0.6)).abs() < 1e-12);
}

/// The hyperrectangle fixture's utilities, by hand: a = (60·[x ≤ 4] + 40·[y ≥ 5]) / 100,
/// b = (30·[x ≥ 5] + 20·[y ≤ 2]) / 50.
fn hyper_by_hand(x: f64, y: f64) -> (f64, f64) {
    let a = (if x <= 4.0 { 60.0 } else { 0.0 } + if y >= 5.0 { 40.0 } else { 0.0 }) / 100.0;
    let b = (if x >= 5.0 { 30.0 } else { 0.0 } + if y <= 2.0 { 20.0 } else { 0.0 }) / 50.0;
    (a, b)
}

#[test]
fn hyperrectangle_fixture_utilities_and_frontier_by_brute_force() {
    let set = load_own(
        "hyper/domain.xml",
        &["hyper/profile-a.xml", "hyper/profile-b.xml"],
    );
    assert!(!set.is_additive());
    assert_eq!(set.domain.outcome_count(), Some(100));
    assert_eq!(
        (set.profiles[1].reservation, set.profiles[1].discount),
        (0.2, Some(0.9))
    );
    let space = Space::from_genius(&set).unwrap();
    let mut all = Vec::new();
    for x in 0..10 {
        for y in 0..10 {
            let (a, b) = hyper_by_hand(x as f64, y as f64);
            let p = [x as f64, y as f64];
            assert_eq!(set.profiles[0].utility(&p), a, "{p:?}");
            assert_eq!(set.profiles[1].utility(&p), b, "{p:?}");
            assert_eq!(space.utilities(&[x, y]), vec![a, b], "{p:?}");
            all.push((a, b));
        }
    }
    // The distinct non-dominated utility points, by brute force over all 100 outcomes.
    let mut pareto: Vec<(f64, f64)> = all
        .iter()
        .filter(|&&(a, b)| {
            !all.iter()
                .any(|&(c, d)| c >= a && d >= b && (c > a || d > b))
        })
        .copied()
        .collect();
    pareto.sort_by(|p, q| q.0.total_cmp(&p.0));
    pareto.dedup();
    let a = outcomes::analyse(&space, DEFAULT_NODE_LIMIT).unwrap();
    let mut ours: Vec<(f64, f64)> = a
        .frontier
        .iter()
        .map(|e| (e.utilities[0], e.utilities[1]))
        .collect();
    ours.dedup();
    assert_eq!(ours, pareto);
    assert_eq!(a.outcomes, 100);
    // Nonlinear profiles have no place in an additive scenario.
    let e = genius::to_scenario(&set).unwrap_err();
    assert!(format!("{e}").contains("profile-a.xml"), "{e}");
}

#[test]
fn import_command_on_the_fixtures_writes_a_scenario_that_runs() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("fruit.toml");
    let r = accord(&[
        "import",
        "genius",
        own("fruit/domain.xml").to_str().unwrap(),
        own("fruit/buyer.xml").to_str().unwrap(),
        own("fruit/seller.xml").to_str().unwrap(),
        own("fruit/broker.xml").to_str().unwrap(),
        "--protocol",
        "alternating",
        "--deadline",
        "5",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(
        text.contains("pêche") && text.contains("[proposals.nash]"),
        "{text}"
    );
    let s = accord::scenario::load(&out).unwrap();
    assert_eq!(s.parties.len(), 3);
    let run = accord(&["run", out.to_str().unwrap(), "--rounds", "20"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // GeniusWeb files import the same way.
    let out = dir.path().join("web.toml");
    let r = accord(&[
        "import",
        "genius",
        own("web/domain.json").to_str().unwrap(),
        own("web/buyer.json").to_str().unwrap(),
        own("web/seller.json").to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let run = accord(&["run", out.to_str().unwrap(), "--rounds", "20"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

/// Every bundled additive set: folder, domain, profiles, outcomes (SOURCES.md).
const ADDITIVE: [(&str, &str, &[&str], u128); 10] = [
    (
        "Laptop",
        "Laptop-C-domain.xml",
        &["Laptop-C-prof1.xml", "Laptop-C-prof2.xml"],
        27,
    ),
    (
        "ItexvsCypress",
        "ItexvsCypress_domain.xml",
        &["ItexvsCypress_Cypress.xml", "ItexvsCypress_Itex.xml"],
        180,
    ),
    (
        "EnglandZimbabwe",
        "EnglandZimbabwe_domain.xml",
        &["England.xml", "Zimbabwe.xml"],
        576,
    ),
    (
        "Grocery",
        "Grocery_domain.xml",
        &["Grocery_domain_mary.xml", "Grocery_domain_sam.xml"],
        1_600,
    ),
    (
        "Amsterdam",
        "Amsterdam_domain.xml",
        &["Amsterdam_party1.xml", "Amsterdam_party2.xml"],
        3_024,
    ),
    (
        "CameraB",
        "Camera-B-domain.xml",
        &["Camera-B-prof1.xml", "Camera-B-prof2.xml"],
        3_600,
    ),
    (
        "Travel",
        "travel_domain.xml",
        &["travel_chox.xml", "travel_fanny.xml"],
        188_160,
    ),
    (
        "Politics",
        "Politics.xml",
        &[
            "Politics_util1.xml",
            "Politics_util2.xml",
            "Politics_util3.xml",
        ],
        23_040,
    ),
    (
        "PartyDomain",
        "party_domain.xml",
        &[
            "party1_utility.xml",
            "party2_utility.xml",
            "party3_utility.xml",
        ],
        3_072,
    ),
    (
        "Party_geniusweb",
        "party.json",
        &["party1.json", "party2.json"],
        3_072,
    ),
];

fn paths(folder: &str, domain: &str, profiles: &[&str]) -> (PathBuf, Vec<PathBuf>) {
    (
        data(&format!("{folder}/{domain}")),
        profiles
            .iter()
            .map(|p| data(&format!("{folder}/{p}")))
            .collect(),
    )
}

fn load(folder: &str, domain: &str, profiles: &[&str]) -> GeniusSet {
    let (d, ps) = paths(folder, domain, profiles);
    genius::load(&d, &ps).unwrap_or_else(|e| panic!("{folder}: {e:?}"))
}

fn analysed(s: &Scenario) -> (Space, Analysis) {
    let space = Space::from_scenario(s, outcomes::DEFAULT_RESOLUTION).expect("a space");
    let a = outcomes::analyse(&space, DEFAULT_NODE_LIMIT).expect("an analysis");
    (space, a)
}

/// The deal of option indices.
fn deal(ix: &[usize]) -> Vec<f64> {
    ix.iter().map(|&i| i as f64).collect()
}

/// Party `p`'s accord utility of `deal` (weights renormalised as in a round).
fn accord_utility(s: &Scenario, p: usize, deal: &[f64]) -> f64 {
    let party = &s.parties[p];
    let mut w = vec![0.0; s.clauses.len()];
    party.normalised_weights(&[], &mut w);
    party.utility(deal, &w, &[])
}

#[test]
fn every_bundled_additive_domain_imports_and_writes_back() {
    if !have_data() {
        return;
    }
    for (folder, domain, profiles, count) in ADDITIVE {
        let set = load(folder, domain, profiles);
        assert!(set.is_additive(), "{folder}");
        assert_eq!(set.domain.outcome_count(), Some(count), "{folder}");
        let mut s = genius::to_scenario(&set).unwrap_or_else(|e| panic!("{folder}: {e:?}"));
        assert_eq!(s.parties.len(), profiles.len(), "{folder}");
        assert!(s.parties.iter().all(|p| p.veto), "{folder}");
        let (_, a) = analysed(&s);
        assert_eq!(a.outcomes, count, "{folder}");
        assert!(!a.frontier.is_empty() && a.nash.is_some(), "{folder}");
        // The solution points, written as TOML, read back into the same scenario.
        for (name, p) in [
            ("nash", a.nash.clone().unwrap()),
            ("ks", a.genius_ks.clone()),
        ] {
            s.proposals.push(accord::model::Proposal {
                name: name.into(),
                description: None,
                deal: p.deal,
            });
        }
        for protocol in [
            genius::ImportProtocol::Ratify,
            genius::ImportProtocol::Alternating { deadline: 20 },
        ] {
            let opts = genius::WriteOptions {
                protocol,
                notes: vec!["a note".into()],
            };
            let text = genius::to_toml(&s, &set, &opts);
            let back = parse(&text, "imported.toml", Format::Toml)
                .unwrap_or_else(|e| panic!("{folder}: {e:?}\n{text}"));
            assert_eq!(back.clauses, s.clauses, "{folder}");
            // A GENIUS time discount is written for the dynamic protocols only, spread over
            // the deadline's steps; everything else of a party reads back as it was.
            let mut expected = s.parties.clone();
            if let genius::ImportProtocol::Alternating { deadline } = protocol {
                for (p, profile) in expected.iter_mut().zip(&set.profiles) {
                    if let Some(d) = profile.discount {
                        p.negotiation
                            .set_discount(genius::step_discount(d, deadline))
                            .expect("a discount in (0, 1]");
                    }
                }
            }
            assert_eq!(back.parties, expected, "{folder}");
            let deals = |x: &Scenario| {
                x.proposals
                    .iter()
                    .map(|p| (p.name.clone(), p.deal.clone()))
                    .collect::<Vec<_>>()
            };
            assert_eq!(deals(&back), deals(&s), "{folder}");
            assert!(text.starts_with("# Imported from GENIUS"), "{folder}");
            match (protocol, &back.protocol) {
                (genius::ImportProtocol::Ratify, ProtocolSpec::Ratify { .. }) => {}
                (
                    genius::ImportProtocol::Alternating { .. },
                    ProtocolSpec::Alternating { dynamic },
                ) => {
                    assert_eq!(dynamic.deadline(), 20);
                    assert_eq!(dynamic.order().len(), profiles.len());
                }
                other => panic!("{folder}: wrong protocol {other:?}"),
            }
        }
    }
}

#[test]
fn discrete_utilities_equal_the_formula_from_the_xml() {
    if !have_data() {
        return;
    }
    // Laptop-C-prof1.xml: evaluations Laptop Dell 12, Macintosh 20, HP 30; Harddisk 60 Gb 30,
    // 80 Gb 20, 120 Gb 9; External Monitor 19'' 30, 20'' 10, 23'' 20; weights below (they
    // sum to 1.000051804171754, so accord's utility is the GENIUS one divided by that).
    let set = load(
        "Laptop",
        "Laptop-C-domain.xml",
        &["Laptop-C-prof1.xml", "Laptop-C-prof2.xml"],
    );
    let s = genius::to_scenario(&set).unwrap();
    let (w1, w2, w3) = (0.4452125771655631, 0.37808251708013424, 0.1767567099260568);
    let sum = w1 + w2 + w3;
    let cases: [([usize; 3], f64); 3] = [
        (
            [0, 2, 1],
            w1 * 12.0 / 30.0 + w2 * 9.0 / 30.0 + w3 * 10.0 / 30.0,
        ),
        (
            [1, 1, 2],
            w1 * 20.0 / 30.0 + w2 * 20.0 / 30.0 + w3 * 20.0 / 30.0,
        ),
        ([2, 0, 0], w1 + w2 + w3),
    ];
    let space = Space::from_scenario(&s, 11).unwrap();
    for (ix, genius_u) in cases {
        let x = deal(&ix);
        assert!(
            (set.profiles[0].utility(&x) - genius_u).abs() < 1e-12,
            "{ix:?}"
        );
        assert!(
            (accord_utility(&s, 0, &x) - genius_u / sum).abs() < 1e-12,
            "{ix:?}"
        );
        assert!(
            (space.utilities(&ix)[0] - genius_u / sum).abs() < 1e-12,
            "{ix:?}"
        );
    }

    // ItexvsCypress_Cypress.xml: Price $3.71 (33 of 40), Delivery 20 days (25 of 25),
    // Payment 30 days after delivery (6 of 15), Returns Full price (20 of 20).
    let set = load(
        "ItexvsCypress",
        "ItexvsCypress_domain.xml",
        &["ItexvsCypress_Cypress.xml", "ItexvsCypress_Itex.xml"],
    );
    let s = genius::to_scenario(&set).unwrap();
    let x = deal(&[3, 3, 1, 0]);
    let by_hand = 0.4700166576535899 * 33.0 / 40.0
        + 0.1220816713696379 * 25.0 / 25.0
        + 0.17727008190772825 * 6.0 / 15.0
        + 0.2306315890690439 * 20.0 / 20.0;
    assert!((set.profiles[0].utility(&x) - by_hand).abs() < 1e-12);
    assert!((accord_utility(&s, 0, &x) - by_hand).abs() < 1e-12);
    assert_eq!(set.profiles[0].reservation, 0.0);

    // CameraB: discount factor 0.5 is kept; Grocery's 0.805562132 too; Laptop's 1.00 is none.
    let camera = load(
        "CameraB",
        "Camera-B-domain.xml",
        &["Camera-B-prof1.xml", "Camera-B-prof2.xml"],
    );
    assert_eq!(camera.profiles[0].discount, Some(0.5));
    let grocery = load(
        "Grocery",
        "Grocery_domain.xml",
        &["Grocery_domain_mary.xml", "Grocery_domain_sam.xml"],
    );
    assert_eq!(grocery.profiles[1].discount, Some(0.805562132));
    assert_eq!(set.profiles[0].discount, None);
}

#[test]
fn geniusweb_profiles_use_value_utilities_as_given() {
    if !have_data() {
        return;
    }
    let set = load(
        "Party_geniusweb",
        "party.json",
        &["party1.json", "party2.json"],
    );
    let s = genius::to_scenario(&set).unwrap();
    assert_eq!(s.parties[0].name, "party1");
    // party1.json, reservation bid: Handmade Food 0.51 (w 0.19), Handmade Cocktails 0.672
    // (0.28), Party Tent 0.52 (0.19), Custom, Printed 0.48 (0.05), Band 0.35 (0.19),
    // Special Equiment 0.32 (0.10).
    let r = 0.19 * 0.51 + 0.28 * 0.672 + 0.19 * 0.52 + 0.05 * 0.48 + 0.19 * 0.35 + 0.10 * 0.32;
    assert!((set.profiles[0].reservation - r).abs() < 1e-12);
    // The same bid as a deal (Food 2, Drinks 2, Location 0, Invitations 3, Music 2, Cleanup 2).
    let x = deal(&[2, 2, 0, 3, 2, 2]);
    assert!((accord_utility(&s, 0, &x) - r).abs() < 1e-12);
}

#[test]
fn hyperrectangle_utilities_equal_the_formula_from_the_xml() {
    if !have_data() {
        return;
    }
    let set = load(
        "S-1NIKFRT-1",
        "S-1NIKFRT-1-domain.xml",
        &["profile-1.xml", "profile-2.xml"],
    );
    assert!(!set.is_additive());
    assert_eq!(set.domain.outcome_count(), Some(10_000_000_000));
    assert_eq!(
        (set.profiles[0].reservation, set.profiles[1].reservation),
        (0.6, 0.5)
    );
    assert_eq!(set.profiles[1].discount, Some(0.95));
    // All issues at 0 lie only in profile-1's 7th rectangle (utility 84, `INCLUDES index="2"
    // min="0" max="7"`), and in profile-2's 5th, 8th and 10th (45 + 28 + 97).
    let zero = [0.0; 10];
    assert!((set.profiles[0].utility(&zero) - 84.0 / 1036.0).abs() < 1e-12);
    assert!((set.profiles[1].utility(&zero) - 170.0 / 704.0).abs() < 1e-12);
    let space = Space::from_genius(&set).unwrap();
    let u = space.utilities(&[0; 10]);
    assert!((u[0] - 84.0 / 1036.0).abs() < 1e-12 && (u[1] - 170.0 / 704.0).abs() < 1e-12);
    // Nonlinear profiles have no place in an additive scenario.
    let e = genius::to_scenario(&set).unwrap_err();
    assert!(format!("{e}").contains("profile-1.xml"), "{e}");
}

/// The (u1, u2) points of GENIUS's pareto.xml: one `a, b` pair per line.
fn reference_pareto() -> Vec<(f64, f64)> {
    let text = std::fs::read_to_string(data("S-1NIKFRT-1/pareto.xml")).expect("pareto.xml");
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let (a, b) = l.split_once(',').expect("a, b");
            (a.trim().parse().unwrap(), b.trim().parse().unwrap())
        })
        .collect()
}

#[test]
fn pareto_frontier_matches_genius_reference() {
    if !have_data() {
        return;
    }
    let set = load(
        "S-1NIKFRT-1",
        "S-1NIKFRT-1-domain.xml",
        &["profile-1.xml", "profile-2.xml"],
    );
    let space = Space::from_genius(&set).unwrap();
    let a = outcomes::analyse(&space, DEFAULT_NODE_LIMIT).unwrap();
    let mut ours: Vec<(f64, f64)> = Vec::new();
    for e in &a.frontier {
        let p = (e.utilities[0], e.utilities[1]);
        if !ours.contains(&p) {
            ours.push(p);
        }
    }
    let mut reference = reference_pareto();
    reference.sort_by(|x, y| y.0.total_cmp(&x.0));
    assert_eq!(ours.len(), reference.len(), "{ours:?} vs {reference:?}");
    assert_eq!(a.pareto_points(), reference.len());
    // pareto.xml prints single-precision floats: 7 significant digits.
    for (o, r) in ours.iter().zip(&reference) {
        assert!(
            (o.0 - r.0).abs() < 1e-6 && (o.1 - r.1).abs() < 1e-6,
            "{ours:?} vs {reference:?}"
        );
    }
    // Exactly: the sums of rectangle utilities over maxutility (1036 and 704).
    let exact = [
        (1036.0, 542.0),
        (951.0, 639.0),
        (840.0, 673.0),
        (628.0, 704.0),
    ];
    for (o, (a1, a2)) in ours.iter().zip(exact) {
        assert!(
            (o.0 - a1 / 1036.0).abs() < 1e-12 && (o.1 - a2 / 704.0).abs() < 1e-12,
            "{o:?}"
        );
    }
    // Every box's first outcome has the box's utilities.
    for (i, e) in a.frontier.iter().enumerate() {
        let u = space.utilities(&a.outcome(i));
        assert!(
            u.iter()
                .zip(&e.utilities)
                .all(|(x, y)| (x - y).abs() < 1e-12),
            "{u:?} vs {:?}",
            e.utilities
        );
    }
    // The Nash point (reservations 0.6 and 0.5): (951/1036 − 0.6)(639/704 − 0.5).
    let nash = a.nash.unwrap();
    let expect = (951.0 / 1036.0 - 0.6) * (639.0 / 704.0 - 0.5);
    assert!((nash.value - expect).abs() < 1e-12);
}

/// Two parties, two clauses that matter and one that does not (weight 0 for both).
const TINY: &str = r#"
[scenario]
name = "tiny"

[clauses.a]
kind = "choice"
options = ["x", "y", "z"]

[clauses.b]
kind = "choice"
options = ["p", "q"]

[clauses.c]
kind = "bool"

[parties.one]
weights = { a = 0.6, b = 0.4 }
values.a = { table = { x = 1.0, y = 0.55, z = 0.0 } }
values.b = { table = { p = 1.0, q = 0.0 } }
reservation = 0.1

[parties.two]
weights = { a = 0.5, b = 0.5 }
values.a = { table = { x = 0.0, y = 0.6, z = 1.0 } }
values.b = { table = { p = 0.0, q = 1.0 } }
reservation = 0.45

[proposals.start]
a = "x"
b = "p"
c = false
"#;

#[test]
fn nash_and_kalai_smorodinsky_on_a_tiny_domain() {
    // Outcomes (a, b) → (u1, u2): (x,p) (1, 0); (x,q) (0.6, 0.5); (y,p) (0.73, 0.3);
    // (y,q) (0.33, 0.8); (z,p) (0.4, 0.5), dominated by (x,q); (z,q) (0, 1). Clause c is
    // worth nothing to anyone, so every Pareto utility point is reached twice.
    let s = scenario(TINY);
    let (space, a) = analysed(&s);
    assert_eq!(a.outcomes, 12);
    assert_eq!(a.pareto_points(), 5);
    assert_eq!(a.pareto_outcomes(), 10);
    for (i, e) in a.frontier.iter().enumerate() {
        assert_eq!(e.count, 2);
        let mut c = Vec::new();
        a.for_each_outcome(i, &mut |o| {
            c.push(o[2]);
            true
        });
        c.sort();
        assert_eq!(c, vec![0, 1]);
    }
    let at = |p: &outcomes::Point| (p.deal[..2].to_vec(), p.utilities.clone());
    // Nash over u1 ≥ 0.1, u2 ≥ 0.45: (x,q) 0.5·0.05 = 0.025; (y,q) 0.23·0.35 = 0.0805.
    let nash = a.nash.clone().unwrap();
    let (o, u) = at(&nash);
    assert_eq!(o, vec![1.0, 1.0]);
    assert!((u[0] - 0.33).abs() < 1e-12 && (u[1] - 0.8).abs() < 1e-12);
    assert!((nash.value - 0.23 * 0.35).abs() < 1e-12);
    // GENIUS KS: gaps 1, 0.43, 0.1, 0.47, 1 → (x,q).
    let (o, _) = at(&a.genius_ks);
    assert_eq!(o, vec![0.0, 1.0]);
    assert!((a.genius_ks.value - 0.1).abs() < 1e-12);
    // Textbook KS: the rational Pareto outcomes are (x,q) and (y,q); ideal (0.6, 0.8);
    // smallest fractions 0.05/0.35 and min(0.23/0.5, 1) = 0.46 → (y,q).
    let ks = a.kalai_smorodinsky.clone().unwrap();
    assert_eq!(at(&ks).0, vec![1.0, 1.0]);
    assert!((ks.value - 0.23 / 0.5).abs() < 1e-12);
    // Welfare over the rational Pareto outcomes: 1.1, 1.13 → (y,q).
    let sw = a.max_welfare.clone().unwrap();
    assert_eq!(at(&sw).0, vec![1.0, 1.0]);
    assert!((sw.value - 1.13).abs() < 1e-12);
    assert_eq!(space.deal(&[1, 1, 0]), vec![1.0, 1.0, 0.0]);
}

#[test]
fn continuous_reference_example_on_a_fine_grid() {
    // REFERENCES.md: u1 = x, u2 = √(1 − x) on x in [0, 1]. Nash maximises x√(1 − x): x = 2/3.
    // KS has u1 = u2: x = √(1 − x), x = (√5 − 1)/2. Grid step 0.001.
    let s = scenario(
        r#"
[scenario]
name = "split"

[clauses.x]
kind = "range"
min = 0
max = 1

[proposals.half]
x = 0.5

[parties.one]
weights = { x = 1 }
values.x = { linear = { worst = 0, best = 1 } }
reservation = 0

[parties.two]
weights = { x = 1 }
values.x = { power = { worst = 1, best = 0, exponent = 0.5 } }
reservation = 0
"#,
    );
    let space = Space::from_scenario(&s, 1001).unwrap();
    let a = outcomes::analyse(&space, DEFAULT_NODE_LIMIT).unwrap();
    assert_eq!(a.outcomes, 1001);
    assert_eq!(
        a.pareto_outcomes(),
        1001,
        "every grid point is Pareto-optimal"
    );
    let x_of = |p: &outcomes::Point| p.deal[0];
    let nash = x_of(a.nash.as_ref().unwrap());
    assert!((nash - 2.0 / 3.0).abs() <= 0.001, "{nash}");
    let ks = x_of(a.kalai_smorodinsky.as_ref().unwrap());
    assert!((ks - (5f64.sqrt() - 1.0) / 2.0).abs() <= 0.001, "{ks}");
    let u = &a.nash.as_ref().unwrap().utilities;
    assert!((u[1] - (1.0f64 / 3.0).sqrt()).abs() < 2e-3);
}

#[test]
fn import_command_writes_a_scenario_that_runs() {
    if !have_data() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (d, ps) = paths(
        "Laptop",
        "Laptop-C-domain.xml",
        &["Laptop-C-prof1.xml", "Laptop-C-prof2.xml"],
    );
    let out = dir.path().join("laptop.toml");
    let args = [
        "import",
        "genius",
        d.to_str().unwrap(),
        ps[0].to_str().unwrap(),
        ps[1].to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ];
    let r = accord(&args);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(
        text.contains("Laptop-C-domain.xml") && text.contains("[proposals.nash]"),
        "{text}"
    );
    assert!(text.contains("[clauses.\"External Monitor\"]"), "{text}");
    let file = out.to_str().unwrap();
    let check = accord(&["check", file]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    let run = accord(&["run", file, "--rounds", "100", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let sweep = accord(&[
        "sweep", file, "--clause", "Laptop", "--rounds", "100", "--format", "csv",
    ]);
    assert_eq!(sweep.code, 0, "{}", sweep.stderr);
    // Analysing the imported file gives what analysing the XML gives.
    let from_toml = accord(&["analyse", file, "--format", "json"]);
    let from_xml = accord(&[
        "analyse",
        d.to_str().unwrap(),
        ps[0].to_str().unwrap(),
        ps[1].to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(from_toml.code, 0, "{}", from_toml.stderr);
    let strip = |s: &str| {
        let mut v: serde_json::Value = serde_json::from_str(s).unwrap();
        v.as_object_mut().unwrap().remove("name");
        v
    };
    assert_eq!(strip(&from_toml.stdout), strip(&from_xml.stdout));

    // Alternating offers, with CameraB's discount spread over the deadline.
    let (d, ps) = paths(
        "CameraB",
        "Camera-B-domain.xml",
        &["Camera-B-prof1.xml", "Camera-B-prof2.xml"],
    );
    let out = dir.path().join("camera.toml");
    let r = accord(&[
        "import",
        "genius",
        d.to_str().unwrap(),
        ps[0].to_str().unwrap(),
        ps[1].to_str().unwrap(),
        "--protocol",
        "alternating",
        "--deadline",
        "11",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let s = accord::scenario::load(&out).unwrap();
    let ProtocolSpec::Alternating { .. } = &s.protocol else {
        panic!("{:?}", s.protocol)
    };
    let discount = s.parties[0].negotiation.discount().get(&[]);
    assert!((discount.powi(10) - 0.5).abs() < 1e-12, "{discount}");
    let run = accord(&["run", out.to_str().unwrap(), "--rounds", "20"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn analyse_command_reports_the_reference_frontier() {
    if !have_data() {
        return;
    }
    let (d, ps) = paths(
        "S-1NIKFRT-1",
        "S-1NIKFRT-1-domain.xml",
        &["profile-1.xml", "profile-2.xml"],
    );
    let r = accord(&[
        "analyse",
        d.to_str().unwrap(),
        ps[0].to_str().unwrap(),
        ps[1].to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["outcomes"].as_u64(), Some(10_000_000_000));
    assert_eq!(v["pareto"]["points"].as_u64(), Some(4));
    assert!((v["nash"]["utilities"]["profile-1"].as_f64().unwrap() - 951.0 / 1036.0).abs() < 1e-12);
    let table = accord(&[
        "analyse",
        d.to_str().unwrap(),
        ps[0].to_str().unwrap(),
        ps[1].to_str().unwrap(),
    ]);
    assert_eq!(table.code, 0);
    assert!(table.stdout.contains("10,000,000,000"), "{}", table.stdout);
    let csv = accord(&[
        "analyse",
        d.to_str().unwrap(),
        ps[0].to_str().unwrap(),
        ps[1].to_str().unwrap(),
        "--format",
        "csv",
    ]);
    assert_eq!(csv.stdout.lines().count(), 5, "{}", csv.stdout);
}

/// Writes `text` as `name` in `dir` and imports it as the first profile of the fruit
/// fixture, beside the seller's.
fn import_bad(dir: &Path, name: &str, text: &str) -> crate::common::Output {
    std::fs::write(dir.join(name), text).unwrap();
    accord_in(
        dir,
        &[
            "import",
            "genius",
            own("fruit/domain.xml").to_str().unwrap(),
            name,
            own("fruit/seller.xml").to_str().unwrap(),
            "-o",
            "out.toml",
        ],
    )
}

fn buyer_profile() -> String {
    std::fs::read_to_string(own("fruit/buyer.xml")).unwrap()
}

/// `text` with `from` replaced once (it must be there).
fn edited(text: &str, from: &str, to: &str) -> String {
    assert_eq!(
        text.matches(from).count(),
        1,
        "{from:?} once in the fixture"
    );
    text.replacen(from, to, 1)
}

#[test]
fn bad_input_exits_2_and_names_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let b = buyer_profile();
    let cases: Vec<(&str, String, &str)> = vec![
        (
            "malformed.xml",
            "<utility_space>\n<objective>\n<issue name=\"fruit\"\n</objective>".into(),
            "malformed.xml:4:1: malformed XML",
        ),
        (
            "unknown.xml",
            edited(&b, "name=\"quantity\"", "name=\"qty\""),
            "issue `qty` is not in the domain",
        ),
        (
            "weights.xml",
            edited(
                &b,
                "<weight index=\"1\" value=\"0.5\"/>",
                "<weight index=\"1\" value=\"0.9\"/>",
            ),
            "weights sum to 1.4",
        ),
        (
            "evaluation.xml",
            edited(&b, "value=\"pear\" evaluation=\"4\"", "value=\"pear\""),
            "value `pear` of issue `fruit` has no `evaluation`",
        ),
        (
            "value.xml",
            edited(&b, "value=\"pear\"", "value=\"kiwi\""),
            "value `kiwi` of issue `fruit` is not in the domain",
        ),
        (
            "missing.xml",
            edited(&b, "<weight index=\"3\" value=\"0.25\"/>", ""),
            "no <weight> for issue `ripeness`",
        ),
    ];
    for (name, text, needle) in cases {
        let r = import_bad(dir.path(), name, &text);
        assert_eq!(r.code, 2, "{name}: {}", r.stderr);
        assert!(r.stderr.contains(name), "{name}: {}", r.stderr);
        assert!(
            flat(&r.stderr).contains(needle),
            "{name}: wanted {needle:?} in {}",
            r.stderr
        );
        assert!(
            !dir.path().join("out.toml").exists(),
            "{name}: no output on failure"
        );
    }
    // A missing profile file.
    let r = accord_in(
        dir.path(),
        &[
            "import",
            "genius",
            own("fruit/domain.xml").to_str().unwrap(),
            "nope.xml",
            "nope2.xml",
        ],
    );
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("nope.xml"), "{}", r.stderr);
    // A nonlinear profile cannot be imported; a single profile is no negotiation.
    let (d, a, b) = (
        own("hyper/domain.xml"),
        own("hyper/profile-a.xml"),
        own("hyper/profile-b.xml"),
    );
    let r = accord(&[
        "import",
        "genius",
        d.to_str().unwrap(),
        a.to_str().unwrap(),
        b.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("profile-a.xml") && r.stderr.contains("nonlinear"),
        "{}",
        r.stderr
    );
    let r = accord(&["import", "genius", d.to_str().unwrap(), a.to_str().unwrap()]);
    assert_eq!(r.code, 2);
    // Malformed GeniusWeb JSON points at the line.
    std::fs::write(
        dir.path().join("web.json"),
        "{\n  \"LinearAdditiveUtilitySpace\": [,\n}",
    )
    .unwrap();
    let r = accord_in(
        dir.path(),
        &[
            "analyse",
            own("web/domain.json").to_str().unwrap(),
            "web.json",
            own("web/seller.json").to_str().unwrap(),
        ],
    );
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("web.json:2:"), "{}", r.stderr);
    // A domain without its profiles.
    let r = accord(&["analyse", d.to_str().unwrap()]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("domain.xml"), "{}", r.stderr);
}

#[test]
fn a_profile_ending_in_a_stray_byte_is_bad_input() {
    // A GeniusWeb profile cut off after a stray high byte (not UTF-8, so read as Latin-1:
    // one byte becomes a two-byte character). serde_json's byte column then falls inside
    // that character; the message must still name a line and column, without a panic.
    let dir = tempfile::tempdir().unwrap();
    let mut text = std::fs::read(own("web/seller.json")).unwrap();
    // Cut inside the string "seller".
    let cut = text.windows(4).position(|w| w == b"\"sel").unwrap() + 4;
    text.truncate(cut);
    text.push(0xe9);
    std::fs::write(dir.path().join("cut.json"), &text).unwrap();
    let set = genius::load(
        &own("web/domain.json"),
        &[dir.path().join("cut.json"), own("web/buyer.json")],
    );
    let e = set.expect_err("a cut-off profile is refused");
    let message = e.to_string();
    assert!(message.contains("cut.json:"), "{message}");
    assert_eq!(e.exit_code(), 2);
    // The binary renders the diagnostic (with its quoted source) without a panic, too.
    let r = accord_in(
        dir.path(),
        &[
            "analyse",
            own("web/domain.json").to_str().unwrap(),
            "cut.json",
            own("web/buyer.json").to_str().unwrap(),
        ],
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("cut.json:"), "{}", r.stderr);
    // The same for a GENIUS XML profile.
    let mut xml = std::fs::read(own("fruit/buyer.xml")).unwrap();
    xml.truncate(xml.len() / 2);
    xml.extend_from_slice(b"\xe9\xe9");
    std::fs::write(dir.path().join("cut.xml"), &xml).unwrap();
    let r = accord_in(
        dir.path(),
        &[
            "analyse",
            own("fruit/domain.xml").to_str().unwrap(),
            "cut.xml",
            own("fruit/seller.xml").to_str().unwrap(),
        ],
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    let e = genius::load(
        &own("fruit/domain.xml"),
        &[dir.path().join("cut.xml"), own("fruit/seller.xml")],
    )
    .expect_err("a cut-off profile is refused");
    assert!(e.to_string().contains("cut.xml:"), "{e}");
}

const MIXED_DOMAIN: &str = r#"<negotiation_template>
<utility_space number_of_issues="3">
<objective index="0" name="root" type="objective" etype="objective">
<issue index="1" name="price" etype="integer" type="integer" vtype="integer" lowerbound="10" upperbound="20"/>
<issue index="2" name="rate" etype="real" type="real" vtype="real"><range lowerbound="0.0" upperbound="2.0"/></issue>
<issue index="3" name="colour" etype="discrete" type="discrete" vtype="discrete">
<item index="1" value="red"/><item index="2" value="blue"/>
</issue>
</objective>
</utility_space>
</negotiation_template>"#;

const MIXED_A: &str = r#"<utility_space>
<objective index="0" name="root" type="objective" etype="objective">
<issue index="1" name="price" etype="integer" type="integer" vtype="integer" lowerbound="10" upperbound="20">
<evaluator ftype="linear" slope="-0.1" offset="1.0"/>
</issue>
<issue index="2" name="rate" etype="real" type="real" vtype="real">
<range lowerbound="0.0" upperbound="2.0"/>
<evaluator ftype="linear" parameter0="0.2" parameter1="0.5"/>
</issue>
<issue index="3" name="colour" etype="discrete" type="discrete" vtype="discrete">
<item index="1" value="red" evaluation="2"/><item index="2" value="blue" evaluation="8"/>
</issue>
<weight index="1" value="0.5"/><weight index="2" value="0.3"/><weight index="3" value="0.2"/>
</objective>
<discount_factor value="0.9"/>
<reservation value="0.25"/>
</utility_space>"#;

const MIXED_B: &str = r#"<utility_space>
<objective index="0" name="root" type="objective" etype="objective">
<issue index="1" name="price" etype="integer" type="integer" vtype="integer" lowerbound="10" upperbound="20">
<evaluator ftype="linear" slope="0.1" offset="0"/>
</issue>
<issue index="2" name="rate" etype="real" type="real" vtype="real">
<range lowerbound="0.0" upperbound="2.0"/>
<evaluator ftype="constant" parameter0="0.4"/>
</issue>
<issue index="3" name="colour" etype="discrete" type="discrete" vtype="discrete">
<item index="1" value="red" evaluation="5"/><item index="2" value="blue" evaluation="5"/>
</issue>
<weight index="1" value="0.4"/><weight index="2" value="0.4"/><weight index="3" value="0.2"/>
</objective>
</utility_space>"#;

#[test]
fn integer_and_real_issues_are_linear_as_genius_defines_them() {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in [
        ("dom.xml", MIXED_DOMAIN),
        ("a.xml", MIXED_A),
        ("b.xml", MIXED_B),
    ] {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    let p = |n: &str| dir.path().join(n);
    let set = genius::load(&p("dom.xml"), &[p("a.xml"), p("b.xml")]).unwrap();
    assert_eq!(
        (set.profiles[0].reservation, set.profiles[0].discount),
        (0.25, Some(0.9))
    );
    let s = genius::to_scenario(&set).unwrap();
    // A: price clamp(1 − 0.1·(v − 10)), rate clamp(0.2 + 0.5·x), colour red 2/8, blue 1.
    // B: price clamp(0.1·(v − 10)), rate 0.4, colour 1 either way.
    let cases = [
        (
            [14.0, 1.0, 0.0],
            0.5 * 0.6 + 0.3 * 0.7 + 0.2 * 0.25,
            0.4 * 0.4 + 0.4 * 0.4 + 0.2,
        ),
        (
            [20.0, 2.0, 1.0],
            0.5 * 0.0 + 0.3 * 1.0 + 0.2 * 1.0,
            0.4 * 1.0 + 0.4 * 0.4 + 0.2,
        ),
        (
            [10.0, 0.0, 1.0],
            0.5 * 1.0 + 0.3 * 0.2 + 0.2 * 1.0,
            0.4 * 0.4 + 0.2,
        ),
    ];
    for (x, ua, ub) in cases {
        assert!((set.profiles[0].utility(&x) - ua).abs() < 1e-12, "{x:?}");
        assert!((accord_utility(&s, 0, &x) - ua).abs() < 1e-12, "{x:?}");
        assert!((accord_utility(&s, 1, &x) - ub).abs() < 1e-12, "{x:?}");
    }
    // Integer issues are enumerated, real ones on the grid.
    let mut s = s;
    let (space, a) = analysed(&s);
    assert_eq!(a.outcomes, 11 * 11 * 2);
    assert!(!space.axes[0].grid && space.axes[1].grid);
    s.proposals.push(accord::model::Proposal {
        name: "ks".into(),
        description: None,
        deal: a.genius_ks.deal.clone(),
    });
    // The written scenario reads back the same.
    let text = genius::to_toml(
        &s,
        &set,
        &genius::WriteOptions {
            protocol: genius::ImportProtocol::Ratify,
            notes: vec![],
        },
    );
    let back = parse(&text, "mixed.toml", Format::Toml).unwrap_or_else(|e| panic!("{e:?}\n{text}"));
    assert_eq!(back.parties, s.parties);
    assert_eq!(back.clauses, s.clauses);
    let r = accord_in(
        dir.path(),
        &[
            "import",
            "genius",
            "dom.xml",
            "a.xml",
            "b.xml",
            "-o",
            "mixed.toml",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = accord_in(dir.path(), &["run", "mixed.toml", "--rounds", "10"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
}
