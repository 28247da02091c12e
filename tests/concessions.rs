//! `accord concessions`: every single-clause change of a proposal, equal bit for bit to
//! playing each changed deal alone; paired intervals narrower than independent ones; the
//! same bytes for any thread count or shard split; bad input refused naming the flag.

use accord::explore::{ConcessionSpec, ConcessionsResult};
use accord::job::Given;
use accord::model::{Proposal, Scenario};
use accord::protocol::ratify::{Change, Detail};
use accord::protocol::{Ratify, RatifyTally};
use accord::request::{Body, Request};
use accord::sim::{RunOptions, Runner};

use crate::common::{
    THREE_CLAUSES, alone, assert_rejected, ok, ok_json, read, repo_file, scenario, simulate,
    svg_texts, temp_with,
};

fn play(source: &str, spec: ConcessionSpec, options: RunOptions) -> ConcessionsResult {
    let s = scenario(source);
    let r = Request::Concessions(spec)
        .prepare(&s, options)
        .and_then(|p| p.run(&|_| {}))
        .unwrap_or_else(|e| panic!("{e}"));
    match r.body {
        Body::Concessions(c) => c,
        _ => panic!("not concessions"),
    }
}

/// `a` then `b`.
fn joined<'a>(a: &[&'a str], b: &[&'a str]) -> Vec<&'a str> {
    a.iter().chain(b).copied().collect()
}

fn options(rounds: u64, seed: u64) -> RunOptions {
    RunOptions {
        rounds,
        seed,
        threads: None,
    }
}

#[test]
fn every_change_equals_its_deal_played_alone_bit_for_bit() {
    for given in [vec![], vec!["x accepts other".parse::<Given>().unwrap()]] {
        let c = assert_changes_equal_deals_alone(THREE_CLAUSES, &given, options(20_000, 7));
        // level to 0 or 1 (0.5 is the proposal's), mode to a or c, flag to yes: 5 singles;
        // pairs of the 5 that move different clauses: 2·2 + 2 + 2 = 8.
        let singles = c.concessions.iter().filter(|x| x.clauses.len() == 1);
        assert_eq!(singles.count(), 5);
        assert_eq!(c.concessions.len(), 13);
        let mut indices: Vec<usize> = c.concessions.iter().map(|x| x.index).collect();
        indices.sort();
        assert_eq!(indices, (0..13).collect::<Vec<_>>());
    }
}

/// Every kind of clause term the ratify engine evaluates round by round, beside terms it
/// sums once: uncertain weights (every term weighed per round), a logistic value with an
/// uncertain midpoint, an uncertain table entry, a reference point under an uncertain loss
/// aversion (gains and losses against the anchor), value functions with other uncertain
/// parameters (evaluated round by round), a clause a party gives no weight, and a party
/// whose utilities never change.
const EVERY_TERM: &str = r#"[scenario]
name = "every term"

[clauses.level]
kind = "range"
min = 0
max = 1

[clauses.size]
kind = "range"
min = 0
max = 100

[clauses.mode]
kind = "choice"
options = ["a", "b", "c"]

[clauses.flag]
kind = "bool"

[proposals.start]
level = 0.5
size = 50
mode = "b"
flag = false

[proposals.anchor]
level = 0.75
size = 30
mode = "c"
flag = true

[parties.x]
veto = true
weights = { level = 0.3, size = 0.3, mode = { uniform = [0.2, 0.4] }, flag = 0.2 }
values.level = { linear = { worst = 0, best = 1 } }
values.size = { logistic = { midpoint = { normal = { mean = 50, sd = 10 } }, scale = 8 } }
values.mode = { table = { a = 0.0, b = { uniform = [0.3, 0.6] }, c = 1.0 } }
values.flag = { table = { true = 1.0, false = 0.0 } }
reservation = { normal = { mean = 0.45, sd = 0.15 } }
accept = { logit = { temperature = 0.05 } }

[parties.y]
veto = true
weights = { level = 0.4, size = 0.3, mode = 0.3 }
values.level = { linear = { worst = 1, best = 0 } }
values.size = { piecewise = [[0, 1.0], [40, 0.7], [100, 0.0]] }
values.mode = { table = { a = 1.0, b = 0.4, c = 0.0 } }
reference = "anchor"
loss_aversion = { triangular = [1.5, 2.0, 2.5] }
reservation = { normal = { mean = 0.5, sd = 0.1 } }
accept = { logit = { temperature = 0.04 } }

[parties.w]
veto = true
weights = { level = { uniform = [0.1, 0.5] }, size = 0.3, mode = 0.2, flag = 0.2 }
values.level = { power = { worst = { uniform = [0, 0.2] }, best = 1, exponent = 0.5 } }
values.size = { logistic = { midpoint = 40, scale = { uniform = [5, 15] } } }
values.mode = { table = { a = 0.2, b = 0.5, c = 0.9 } }
values.flag = { table = { true = 0.0, false = 1.0 } }
reference = "anchor"
loss_aversion = 2.0
reservation = { normal = { mean = 0.4, sd = 0.1 } }
accept = "threshold"

[parties.z]
veto = false
weights = { level = 0.5, mode = 0.25, flag = 0.25 }
values.level = { linear = { worst = 0, best = 1 } }
values.mode = { table = { a = 0.0, b = 1.0, c = 0.5 } }
values.flag = { table = { true = 1.0, false = 0.0 } }
reservation = 0.3
accept = "threshold"
"#;

#[test]
fn every_change_equals_its_deal_alone_whatever_its_terms() {
    for given in [vec![], vec!["y rejects anchor".parse::<Given>().unwrap()]] {
        let c = assert_changes_equal_deals_alone(EVERY_TERM, &given, options(20_000, 11));
        assert!(c.concessions.iter().any(|x| x.clauses.len() == 2));
    }
}

#[test]
fn paired_counts_of_any_list_are_the_same_on_the_fast_path_and_round_by_round() {
    // Deals differing from the first in no clause, one, two, three or every clause, and a
    // copy of the first last: paired with the first they are counted on the fast path
    // (deal 0's running sums, a constant party paired from its counts, a deal that is deal
    // 0 again tallied from deal 0's row); paired with the copy, round by round. Both must
    // count the same rounds.
    let mut s = scenario(EVERY_TERM);
    // Two deals moving the same clause, so a column starts more than one deal's build.
    let mut changes = LIST_OF_CHANGES.to_vec();
    changes.insert(2, &[(1, 70.0)]);
    s.proposals = changed_proposals(&s, &changes);
    let deals: Vec<Vec<f64>> = s.proposals.iter().map(|p| p.deal.clone()).collect();
    let last = deals.len() - 1;
    let (fast, slow) = (paired(&s, &deals, 0), paired(&s, &deals, last));
    assert_eq!(fast.rounds, slow.rounds);
    assert_eq!(fast.agree, slow.agree);
    assert_eq!(fast.accept, slow.accept);
    assert_eq!(fast.utility, slow.utility);
    let (f, w) = (fast.detail.unwrap(), slow.detail.unwrap());
    assert_eq!(f, w);
    // Every party's acceptance moves both ways somewhere, the constant party's included.
    assert!(
        f.accept_gain
            .iter()
            .zip(&f.accept_loss)
            .any(|(&g, &l)| g > 0 && l > 0)
    );
    assert!(f.agree_gain.iter().any(|&g| g > 0) && f.agree_loss.iter().any(|&l| l > 0));
}

#[test]
fn every_deal_of_a_list_equals_its_deal_alone_whatever_it_changes() {
    // Deals differing from the first in no clause, one, two, three or every clause, and
    // the first itself again: how sweeps, grids, paths, concessions and observed proposals
    // lay out their deals.
    let mut s = scenario(EVERY_TERM);
    let first = s.proposals[0].deal.clone();
    s.proposals = changed_proposals(&s, &LIST_OF_CHANGES);
    assert_each_deal_equals_its_deal_alone(&s);
    assert_eq!(s.proposals[7].deal, first);
}

#[test]
fn a_change_of_one_clause_from_deal_0_equals_its_deal_alone_for_every_kind_of_term() {
    // Deals changing one clause of the first each (or two, one of them the clause most
    // deals change, which deal 0's rows add last): built from deal 0's utility plus the
    // change of the clause's term, both terms computed in one pass — a fixed term, a loss
    // against an anchor, an uncertain table entry, a term evaluated round by round, and a
    // logistic term whose factor is infinite or zero at the changed point (a scale so small
    // that exp overflows: the direct evaluation's fallback).
    let far = EVERY_TERM.replace(
        "mean = 50, sd = 10 } }, scale = 8",
        "mean = 50, sd = 10 } }, scale = 0.05",
    );
    assert_ne!(far, EVERY_TERM);
    let mut s = scenario(&far);
    let changes: [&[(usize, f64)]; 9] = [
        &[],
        &[(0, 0.25)],
        &[(0, 1.0)],
        &[(1, 0.0)],
        &[(1, 100.0)],
        &[(2, 0.0)],
        &[(2, 2.0)],
        &[(3, 1.0)],
        &[(0, 0.25), (1, 0.0)],
    ];
    s.proposals = changed_proposals(&s, &changes);
    assert_each_deal_equals_its_deal_alone(&s);
    // Paired with deal 0 on the fast path, and round by round with a copy of it last.
    let mut deals: Vec<Vec<f64>> = s.proposals.iter().map(|p| p.deal.clone()).collect();
    deals.push(deals[0].clone());
    let (fast, slow) = (paired(&s, &deals, 0), paired(&s, &deals, deals.len() - 1));
    assert_eq!(fast, slow);
}

/// The tally of `deals` on `s`, every deal paired with deal `base`: on the fast path when
/// `base` is 0, round by round otherwise.
fn paired(s: &Scenario, deals: &[Vec<f64>], base: usize) -> RatifyTally {
    let detail = Detail {
        paired_with: Some(base),
        ..Detail::default()
    };
    let experiment = Ratify::new(s, deals.to_vec()).with_detail(detail);
    Runner::new(s, options(20_000, 9)).run(&experiment, &|_| {})
}

/// Checks that every proposal of `s`, played beside the others, has the estimates it has
/// played alone, bit for bit.
fn assert_each_deal_equals_its_deal_alone(s: &Scenario) {
    let (_, together) = simulate(s, 20_000, 5, None);
    for (k, result) in together.iter().enumerate() {
        let mut one = s.clone();
        one.proposals = vec![s.proposals[k].clone()];
        let (_, alone) = simulate(&one, 20_000, 5, None);
        assert_eq!(result, &alone[0], "deal {k}");
    }
}

/// Changes of a first deal (`(clause, value)`) in no clause, one, two, three or every
/// clause, and none again.
const LIST_OF_CHANGES: [&[(usize, f64)]; 8] = [
    &[],
    &[(1, 10.0)],
    &[(2, 0.0)],
    &[(0, 0.75), (1, 30.0)],
    &[(2, 2.0), (3, 1.0)],
    &[(0, 0.25), (2, 0.0), (3, 1.0)],
    &[(0, 1.0), (1, 90.0), (2, 2.0), (3, 1.0)],
    &[],
];

/// Copies of `s`'s first proposal, `deal_0`, `deal_1`, …, each with its list of changes
/// (`(clause, value)`) made.
fn changed_proposals(s: &Scenario, changes: &[&[(usize, f64)]]) -> Vec<Proposal> {
    let template = &s.proposals[0];
    changes
        .iter()
        .enumerate()
        .map(|(k, change)| {
            let mut p = template.clone();
            p.name = format!("deal_{k}");
            for &(i, x) in *change {
                p.deal[i] = x;
            }
            p
        })
        .collect()
}

/// Plays the concessions of `source`'s first proposal at depth 2 under `given`, and checks
/// every change against its deal played alone (under the same observations), bit for bit.
fn assert_changes_equal_deals_alone(
    source: &str,
    given: &[Given],
    opts: RunOptions,
) -> ConcessionsResult {
    let s = scenario(source);
    let proposal = s.proposals[0].name.clone();
    let spec = ConcessionSpec {
        resolution: 3,
        depth: 2,
        given: given.to_vec(),
        ..ConcessionSpec::new(proposal.clone())
    };
    let c = play(source, spec, opts);
    // Played alone under the same observation, when there is one: the observed proposal
    // is evaluated beside the deal and only the rounds agreeing with it count.
    let alone_given = |deal: &[f64]| {
        if given.is_empty() {
            return alone(&s, deal, opts);
        }
        let mut t = s.clone();
        t.proposals[0].deal = deal.to_vec();
        let r = Request::Proposals {
            proposals: vec![proposal.clone()],
            given: given.to_vec(),
        }
        .prepare(&t, opts)
        .and_then(|p| p.run(&|_| {}))
        .unwrap();
        match r.body {
            Body::Proposals { mut results } => results.remove(0),
            _ => unreachable!(),
        }
    };
    let base = alone_given(&s.proposals[0].deal);
    assert_eq!(c.base, base, "the proposal's own estimates");
    for x in &c.concessions {
        let mut deal = s.proposals[0].deal.clone();
        for ch in &x.clauses {
            deal[s.clause_index(&ch.clause).unwrap()] = ch.value;
        }
        let after = alone_given(&deal);
        assert_eq!(x.agreement_after, after.agreement, "{}", x.label);
        assert_eq!(x.agreement.delta, after.agreement.p - base.agreement.p);
        assert_eq!(x.agreement.n, after.agreement.n);
        for ((p, a), b) in x.parties.iter().zip(&after.parties).zip(&base.parties) {
            assert_eq!(p.accept.delta, a.accept.p - b.accept.p, "{}", x.label);
            let cost = accord::text::clean(a.mean_utility - b.mean_utility);
            assert_eq!(p.utility, cost, "{} {}", x.label, p.party);
        }
    }
    // Ranked by the gain in agreement, best first.
    let gains: Vec<f64> = c.concessions.iter().map(|x| x.agreement.delta).collect();
    assert!(gains.windows(2).all(|w| w[0] >= w[1]), "{gains:?}");
    c
}

#[test]
fn paired_intervals_are_narrower_than_independent_ones() {
    let source = std::fs::read_to_string(repo_file("scenarios/peace-plan-2025.toml")).unwrap();
    let spec = ConcessionSpec {
        for_party: Some("ukraine".into()),
        ..ConcessionSpec::new("plan_19")
    };
    let c = play(&source, spec, options(50_000, 3));
    let ukraine = 0;
    let n = c.base.agreement.n;
    let count = |p: f64| (p * n as f64).round() as u64;
    let base = count(c.base.parties[ukraine].accept.p);
    let mut compared = 0;
    for x in &c.concessions {
        let paired = x.parties[ukraine].accept;
        let changed = count(base as f64 / n as f64 + paired.delta);
        let independent = Change::independent(base, changed, n);
        assert_eq!(independent.delta, paired.delta);
        if paired.gained + paired.lost > 0 {
            let (w, v) = (paired.hi - paired.lo, independent.hi - independent.lo);
            assert!(w < v, "{}: paired {w} is not narrower than {v}", x.label);
            assert!(paired.lo <= paired.delta && paired.delta <= paired.hi);
            compared += 1;
        }
    }
    assert!(
        compared >= 15,
        "{compared} changes moved Ukraine's acceptance"
    );
    // Ranked by Ukraine's acceptance.
    let gains: Vec<f64> = c
        .concessions
        .iter()
        .map(|x| x.parties[ukraine].accept.delta)
        .collect();
    assert!(gains.windows(2).all(|w| w[0] >= w[1]));
    assert_eq!(c.ranked_by, "acceptance by ukraine");
}

#[test]
fn the_same_bytes_for_any_thread_count_or_shard_split() {
    let dir = temp_with("s.toml", THREE_CLAUSES);
    let base = [
        "concessions",
        "s.toml",
        "--proposal",
        "start",
        "--resolution",
        "5",
        "--rounds",
        "9000",
        "--given",
        "x accepts other",
    ];
    let with = |extra: &[&str]| -> Vec<String> {
        joined(&base, extra).iter().map(|s| s.to_string()).collect()
    };
    let ok = |dir: &std::path::Path, args: &[String]| {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        ok(dir, &args)
    };
    ok(dir.path(), &with(&["--threads", "1", "-o", "one.json"]));
    ok(dir.path(), &with(&["--threads", "2", "-o", "two.json"]));
    assert_eq!(read(dir.path(), "one.json"), read(dir.path(), "two.json"));
    for k in 1..=3 {
        let (shard, out) = (format!("{k}/3"), format!("part{k}.json"));
        ok(dir.path(), &with(&["--shard", &shard, "-o", &out]));
    }
    let merged = [
        "merge",
        "part1.json",
        "part2.json",
        "part3.json",
        "-o",
        "merged.json",
    ];
    ok(dir.path(), &merged.map(String::from));
    assert_eq!(
        read(dir.path(), "merged.json"),
        read(dir.path(), "one.json")
    );
    // Depth 2 plays its pairs at the end, on the same rounds: the same after a merge.
    ok(dir.path(), &with(&["--depth", "2", "-o", "deep.json"]));
    for k in 1..=2 {
        let (shard, out) = (format!("{k}/2"), format!("deep{k}.json"));
        ok(
            dir.path(),
            &with(&["--depth", "2", "--shard", &shard, "-o", &out]),
        );
    }
    let merged = [
        "merge",
        "deep1.json",
        "deep2.json",
        "-o",
        "deep-merged.json",
    ];
    ok(dir.path(), &merged.map(String::from));
    assert_eq!(
        read(dir.path(), "deep-merged.json"),
        read(dir.path(), "deep.json")
    );
}

#[test]
fn tables_csv_and_charts_say_each_change_in_words() {
    let dir = temp_with("s.toml", THREE_CLAUSES);
    let args = [
        "concessions",
        "s.toml",
        "-p",
        "start",
        "--for",
        "x",
        "--resolution",
        "3",
        "--rounds",
        "5000",
    ];
    let table = ok(dir.path(), &args);
    assert!(
        table.contains("5 changes ranked by acceptance by x"),
        "{table}"
    );
    assert!(table.contains("mode: b → c"), "{table}");
    assert!(table.lines().all(|l| l.chars().count() <= 80), "{table}");
    let mut csv_args = args.to_vec();
    csv_args.extend(["-o", "c.csv", "--plot", "c.svg"]);
    ok(dir.path(), &csv_args);
    let csv = String::from_utf8(read(dir.path(), "c.csv")).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 6, "{csv}");
    assert!(lines[0].starts_with("rank,concession,clauses,agreement_change,"));
    assert!(lines[0].ends_with("accept_change_z_hi,utility_change_z"));
    let svg = String::from_utf8(read(dir.path(), "c.svg")).unwrap();
    let texts = svg_texts(&svg);
    for label in ["mode: b → c", "mode: b → a", "flag: no → yes"] {
        assert!(texts.iter().any(|t| t == label), "{label} in {texts:?}");
    }
    // The JSON redraws the chart with the same words (its numbers are rounded in JSON).
    let mut json_args = args.to_vec();
    json_args.extend(["-o", "c.json"]);
    ok(dir.path(), &json_args);
    ok(dir.path(), &["plot", "c.json", "--plot", "again.svg"]);
    let again = String::from_utf8(read(dir.path(), "again.svg")).unwrap();
    assert!(
        svg_texts(&again) == texts,
        "the redrawn chart says something else"
    );
    let v = ok_json(
        dir.path(),
        &[
            "concessions",
            "s.toml",
            "-p",
            "start",
            "--rounds",
            "3000",
            "--format",
            "json",
        ],
    );
    assert_eq!(v["proposal"], "start");
    assert!(v["concessions"][0]["agreement"]["gained"].is_u64());
}

#[test]
fn bad_input_is_refused_naming_the_flag() {
    let dir = temp_with("s.toml", THREE_CLAUSES);
    let run = |extra: &[&'static str]| {
        joined(
            &[
                "concessions",
                "s.toml",
                "--rounds",
                "2000",
                "-o",
                "out.json",
            ],
            extra,
        )
    };
    let keep = ["s.toml"];
    let cases: [(&[&str], &[&str]); 6] = [
        (&["-p", "nope"], &["--proposal nope", "no proposal `nope`"]),
        (
            &["-p", "start", "--for", "nobody"],
            &["--for nobody", "no party `nobody`"],
        ),
        (
            &["-p", "start", "--depth", "3"],
            &["--depth 3", "1 (single changes) or 2"],
        ),
        (
            &["-p", "start", "--resolution", "1"],
            &["--resolution 1", "grid points"],
        ),
        (
            &["-p", "start", "--given", "nobody accepts start"],
            &["--given \"nobody accepts start\"", "no party"],
        ),
        (
            &["-p", "start", "--shard", "1/2", "--plot", "c.png"],
            &["--plot", "partial result"],
        ),
    ];
    for (extra, expect) in cases {
        assert_rejected(dir.path(), &run(extra), expect, &keep);
    }
    let alternating = repo_file("scenarios/peace-plan-2025-alternating.toml");
    let path = alternating.to_str().unwrap();
    assert_rejected(
        dir.path(),
        &["concessions", path, "-p", "plan_19", "--rounds", "100"],
        &["ratify", "alternating protocol negotiates its own deal"],
        &keep,
    );
}

#[test]
fn paired_counts_are_the_same_on_the_fast_path_and_round_by_round() {
    // z accepts `start` in every round (a fixed reservation below its utility): observing it
    // keeps every round, but sends the job down the round-by-round path.
    let fast = play(
        THREE_CLAUSES,
        ConcessionSpec {
            resolution: 5,
            depth: 2,
            ..ConcessionSpec::new("start")
        },
        options(10_000, 4),
    );
    let slow = play(
        THREE_CLAUSES,
        ConcessionSpec {
            resolution: 5,
            depth: 2,
            given: vec!["z accepts start".parse().unwrap()],
            ..ConcessionSpec::new("start")
        },
        options(10_000, 4),
    );
    assert_eq!(fast.base.agreement.n, 10_000);
    assert_eq!(fast, slow);
    assert!(
        fast.concessions
            .iter()
            .any(|c| c.agreement.gained > 0 && c.agreement.lost > 0)
    );
}
