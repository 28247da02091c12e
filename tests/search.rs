//! `accord search`: the exact search equals brute force (every deal put to the parties alone,
//! at the same rounds and seed) bit for bit; racing finds a known optimum in a space too large
//! to search exactly; the same bytes for any thread count or shard split; bad input refused
//! naming the flag.

use accord::explore::{SearchResult, SearchSpec};
use accord::request::{Body, Request};
use accord::sim::RunOptions;

use crate::common::{
    THREE_CLAUSES, alone, assert_rejected, ok, read, repo_file, scenario, svg_texts, temp_with,
};

fn search(source: &str, spec: SearchSpec, options: RunOptions) -> SearchResult {
    let s = scenario(source);
    let r = Request::Search(spec)
        .prepare(&s, options)
        .and_then(|p| p.run(&|_| {}))
        .unwrap_or_else(|e| panic!("{e}"));
    match r.body {
        Body::Search(x) => x,
        _ => panic!("not a search"),
    }
}

const OPTIONS: RunOptions = RunOptions {
    rounds: 12_000,
    seed: 11,
    threads: None,
};

#[test]
fn the_exact_search_equals_brute_force_bit_for_bit() {
    let s = scenario(THREE_CLAUSES);
    // level: 0, 0.5, 1 (the grid at 3 and the proposals' values); mode: 3; flag: 2.
    for objective in ["agreement", "accept:x", "value:y"] {
        let spec = SearchSpec {
            objective: objective.into(),
            resolution: 3,
            top: 18,
            ..SearchSpec::default()
        };
        let r = search(THREE_CLAUSES, spec, OPTIONS);
        assert_eq!(
            (r.space, r.method.as_str(), r.deals.len()),
            (18, "exact", 18)
        );
        let mut brute: Vec<(f64, Vec<f64>)> = Vec::new();
        for d in &r.deals {
            let b = alone(&s, &d.values, OPTIONS);
            assert_eq!(d.agreement, b.agreement, "{objective} {:?}", d.values);
            assert_eq!(d.parties, b.parties, "{objective} {:?}", d.values);
            let score = match objective {
                "agreement" => b.agreement.p,
                "accept:x" => b.parties[0].accept.p,
                _ => {
                    let y = &b.parties[1];
                    let res = y.mean_utility - y.mean_margin;
                    b.agreement.p * y.mean_utility + (1.0 - b.agreement.p) * res
                }
            };
            assert_eq!(d.objective, score);
            brute.push((score, d.values.clone()));
        }
        // Every deal once, best first.
        let mut seen: Vec<Vec<f64>> = brute.iter().map(|b| b.1.clone()).collect();
        seen.sort_by(|a, b| a.partial_cmp(b).unwrap());
        seen.dedup();
        assert_eq!(seen.len(), 18);
        assert!(brute.windows(2).all(|w| w[0].0 >= w[1].0), "{objective}");
        let c = r.confidence.expect("a second deal");
        if objective != "value:y" {
            let o = c.objective.expect("a probability objective");
            assert!((o.delta - (brute[0].0 - brute[1].0)).abs() < 1e-12);
            assert_eq!(c.distinguishable, Some(o.lo > 0.0 || o.hi < 0.0));
        }
    }
}

#[test]
fn constraints_and_within_shape_the_space() {
    let spec = SearchSpec {
        resolution: 3,
        top: 18,
        constraints: vec!["mode>=b".into(), "flag=no".into(), "agreement>=0.2".into()],
        within: Some("start..other".into()),
        ..SearchSpec::default()
    };
    let r = search(THREE_CLAUSES, spec, OPTIONS);
    // within start..other: level 0.5 or 1, mode b or c, flag either; then mode >= b, flag no.
    assert_eq!(r.space, 4);
    for d in &r.deals {
        assert!(d.values[0] >= 0.5 && d.values[1] >= 1.0 && d.values[2] == 0.0);
        assert_eq!(d.meets_constraints, d.agreement.p >= 0.2, "{:?}", d.values);
    }
    assert_eq!(
        r.feasible,
        r.deals.iter().filter(|d| d.meets_constraints).count() as u64
    );
    // Deals meeting the constraints rank first.
    let met: Vec<bool> = r.deals.iter().map(|d| d.meets_constraints).collect();
    assert!(met.windows(2).all(|w| w[0] >= w[1]), "{met:?}");
    let first = &r.deals[0];
    assert_eq!(first.differs[0].proposal, "start");
}

/// Seventeen yes/no clauses (131,072 deals: too many to search exactly) that both veto
/// parties like best at "no": the all-no deal (the first enumerated) is the best there is.
fn many_clauses() -> String {
    let mut t = String::from("[scenario]\nname = \"seventeen clauses\"\n");
    for i in 0..17 {
        t.push_str(&format!("\n[clauses.c{i}]\nkind = \"bool\"\n"));
    }
    t.push_str("\n[proposals.all_yes]\n");
    for i in 0..17 {
        t.push_str(&format!("c{i} = true\n"));
    }
    for (party, res) in [("a", 0.7), ("b", 0.6)] {
        t.push_str(&format!("\n[parties.{party}]\nveto = true\n"));
        for i in 0..17 {
            let w = if party == "a" { 1 + i } else { 18 - i };
            t.push_str(&format!("weights.c{i} = {w}\n"));
            t.push_str(&format!(
                "values.c{i} = {{ table = {{ true = 0.0, false = 1.0 }} }}\n"
            ));
        }
        t.push_str(&format!(
            "reservation = {{ normal = {{ mean = {res}, sd = 0.15 }} }}\n"
        ));
    }
    t
}

#[test]
fn racing_finds_the_known_optimum_of_a_large_space() {
    let source = many_clauses();
    let s = scenario(&source);
    let options = RunOptions {
        rounds: 16_384,
        seed: 5,
        threads: None,
    };
    let r = search(&source, SearchSpec::default(), options);
    assert_eq!((r.space, r.method.as_str()), (131_072, "racing"));
    // 131,072 → 32,768 → 8,192 → 2,048 → 512 → 128 → 64, the first stages on one block.
    let deals: Vec<u64> = r.stages.iter().map(|s| s.deals).collect();
    assert_eq!(deals, [131_072, 32_768, 8_192, 2_048, 512, 128, 64]);
    assert_eq!(r.stages[0].rounds, 1024);
    assert_eq!(r.stages.last().unwrap().rounds, 16_384);
    let best = &r.deals[0];
    assert!(best.values.iter().all(|&x| x == 0.0), "{:?}", best.values);
    // The finalists' estimates are those of the deal alone, on every round.
    assert_eq!(best.agreement, alone(&s, &best.values, options).agreement);
    assert!(best.agreement.p > 0.9);
    // The same ranking as an exact search of the finalists would give, deterministic.
    let again = search(&source, SearchSpec::default(), options);
    assert_eq!(again, r);
    // The named proposal, dropped early, is played on every round for comparison.
    assert_eq!(r.proposals.len(), 1);
    let all_yes = alone(&s, &[1.0; 17], options);
    assert_eq!(r.proposals[0].objective, all_yes.agreement.p);
    // Progress counts deal-rounds, stage by stage, up to the work the stages add up to.
    let prepared = Request::Search(SearchSpec::default())
        .prepare(&s, options)
        .unwrap();
    let work: u64 = r.stages.iter().map(|s| s.deals * s.rounds).sum();
    assert_eq!(prepared.raced_work(), Some(work));
    let reported = std::sync::Mutex::new(Vec::new());
    prepared.run(&|d| reported.lock().unwrap().push(d)).unwrap();
    let reported = reported.into_inner().unwrap();
    assert_eq!(reported.iter().max(), Some(&work));
    // The first stage plays 131,072 deals on one block: one report per block of rounds.
    assert!(reported.contains(&(131_072 * 1024)), "{reported:?}");
}

#[test]
fn the_peace_plans_discrete_space_is_searched_exactly() {
    let source = std::fs::read_to_string(repo_file("scenarios/peace-plan-2025.toml")).unwrap();
    let s = scenario(&source);
    let spec = SearchSpec {
        resolution: 9,
        ..SearchSpec::default()
    };
    let plan = spec.plan(&s).unwrap();
    // Only what is negotiable: 9 troop caps over 600,000–800,000 (every 25,000) × 2 NATO
    // positions × 2 statuses × 2 × the frozen front alone × 2 × 2.
    assert_eq!((plan.size, plan.exact), (288, true));
    let at_11 = SearchSpec::default().plan(&s).unwrap();
    // At 11 points (every 20,000 from 600,000): 11 caps.
    assert_eq!(at_11.size, 11 * 32);
}

#[test]
fn the_same_bytes_for_any_thread_count_or_shard_split() {
    let dir = temp_with("s.toml", THREE_CLAUSES);
    let base = [
        "search",
        "s.toml",
        "--resolution",
        "5",
        "--rounds",
        "9000",
        "--objective",
        "accept:x",
        "--given",
        "x accepts other",
        "--top",
        "4",
    ];
    let run = |extra: &[&str]| {
        let args: Vec<&str> = base.iter().chain(extra).copied().collect();
        ok(dir.path(), &args);
    };
    run(&["--threads", "1", "-o", "one.json"]);
    run(&["--threads", "2", "-o", "two.json"]);
    assert_eq!(read(dir.path(), "one.json"), read(dir.path(), "two.json"));
    run(&["--shard", "1/2", "-o", "p1.json"]);
    run(&["--shard", "2/2", "-o", "p2.json"]);
    ok(
        dir.path(),
        &["merge", "p1.json", "p2.json", "-o", "merged.json"],
    );
    assert_eq!(
        read(dir.path(), "merged.json"),
        read(dir.path(), "one.json")
    );
    run(&["-o", "best.csv"]);
    let csv = String::from_utf8(read(dir.path(), "best.csv")).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 5, "{csv}");
    assert!(lines[0].starts_with("rank,objective,meets_constraints,level,mode,flag,agreement,"));
    let table = ok(dir.path(), &base);
    assert!(
        table.contains("search for the best accept:x over"),
        "{table}"
    );
    assert!(table.contains("best − second (paired, points)"), "{table}");
    assert!(table.lines().all(|l| l.chars().count() <= 80), "{table}");
    // Wrapped, never cut: the verdict reads whole.
    assert!(!table.contains('…'), "{table}");
    let flat = table.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains("— distinguishable") || flat.contains("— not distinguishable at 95%"),
        "{table}"
    );
}

/// The `y` attribute of each `<text>` element of `svg` whose text is `label`.
fn text_ys(svg: &str, label: &str) -> Vec<f64> {
    svg.split("<text")
        .skip(1)
        .filter_map(|t| {
            let (attrs, rest) = t.split_once('>')?;
            let text = rest.split_once("</text>")?.0.trim();
            let y = attrs.split_once(" y=\"")?.1.split_once('"')?.0;
            (text == label).then(|| y.parse().ok())?
        })
        .collect()
}

#[test]
fn the_chart_ranks_the_deals_found_in_words() {
    let dir = temp_with("s.toml", THREE_CLAUSES);
    let args = [
        "search",
        "s.toml",
        "--resolution",
        "3",
        "--rounds",
        "6000",
        "--top",
        "6",
        "--constraint",
        "agreement>=0.1",
    ];
    let run = |extra: &[&str]| {
        let all: Vec<&str> = args.iter().chain(extra).copied().collect();
        ok(dir.path(), &all)
    };
    run(&["-o", "r.json", "--plot", "r.svg"]);
    run(&["--plot", "r.png"]);
    let result: accord::request::RunResult =
        serde_json::from_slice(&read(dir.path(), "r.json")).unwrap();
    let Body::Search(r) = result.body else {
        panic!("not a search")
    };
    assert_eq!(r.deals.len(), 6);
    let svg = String::from_utf8(read(dir.path(), "r.svg")).unwrap();
    // One bar per deal, its length the objective: longest (best) at the top.
    let mut bars: Vec<(f64, f64)> = svg
        .split("<rect")
        .skip(1)
        .filter(|r| r.contains("opacity=\"0.75\""))
        .map(|r| {
            let attr = |name: &str| -> f64 {
                let at = r.split_once(&format!(" {name}=\"")).unwrap().1;
                at.split_once('"').unwrap().0.parse().unwrap()
            };
            (attr("y"), attr("width"))
        })
        .collect();
    assert_eq!(bars.len(), r.deals.len(), "{bars:?}");
    bars.sort_by(|a, b| a.0.total_cmp(&b.0));
    let met = r.deals.iter().filter(|d| d.meets_constraints).count();
    assert!(bars[..met].windows(2).all(|w| w[0].1 >= w[1].1), "{bars:?}");
    // Each labelled in words by how it differs from the nearest proposal, in rank order.
    let labels: Vec<String> = r.deals.iter().map(|d| d.label()).collect();
    assert!(labels.iter().any(|l| l.contains(" + ")), "{labels:?}");
    let ys: Vec<f64> = labels
        .iter()
        .map(|l| match text_ys(&svg, l).as_slice() {
            [y] => *y,
            other => panic!("{l:?} drawn {} times", other.len()),
        })
        .collect();
    assert!(ys.windows(2).all(|w| w[0] < w[1]), "{labels:?} at {ys:?}");
    // The title names the objective and the constraints; the named proposals are marked.
    let texts = svg_texts(&svg);
    let title = "The best deals by agreement, agreement&gt;=0.1";
    assert!(texts.iter().any(|t| t == title), "{texts:?}");
    assert_eq!(r.proposals.len(), 2);
    for p in &r.proposals {
        let mark = format!("{} {:.3}", p.proposal, p.objective);
        assert!(texts.contains(&mark), "{mark} in {texts:?}");
    }
    let png = read(dir.path(), "r.png");
    assert!(
        png.len() > 1000 && png.starts_with(b"\x89PNG"),
        "{}",
        png.len()
    );
    // The JSON redraws the same chart.
    ok(dir.path(), &["plot", "r.json", "--plot", "again.svg"]);
    let again = String::from_utf8(read(dir.path(), "again.svg")).unwrap();
    assert!(
        svg_texts(&again) == texts,
        "the redrawn chart says something else"
    );
}

#[test]
fn bad_input_is_refused_naming_the_flag() {
    let dir = temp_with("s.toml", THREE_CLAUSES);
    std::fs::write(dir.path().join("big.toml"), many_clauses()).unwrap();
    let keep = ["big.toml", "s.toml"];
    let cases: [(&[&str], &[&str]); 12] = [
        (
            &["--objective", "bogus"],
            &["--objective bogus", "not an objective"],
        ),
        (
            &["--objective", "value:nobody"],
            &["--objective value:nobody", "no party"],
        ),
        (
            &["--constraint", "level~1"],
            &["--constraint level~1", "not a constraint"],
        ),
        (
            &["--constraint", "agreement>=2"],
            &["--constraint agreement>=2", "not a probability"],
        ),
        (
            &["--constraint", "mode=z"],
            &["--constraint mode=z", "no option `z`"],
        ),
        (
            &["--constraint", "size<=3"],
            &["--constraint size<=3", "neither a clause"],
        ),
        (
            &["--constraint", "level>=2"],
            &["clause `level`", "space is empty"],
        ),
        (
            &["--within", "start..nope"],
            &["--within start..nope", "no proposal `nope`"],
        ),
        (&["--top", "0"], &["--top 0", "give 1 to"]),
        (&["--resolution", "1"], &["--resolution 1", "grid points"]),
        (
            &["--plot", "best.gif"],
            &["--plot PATH", "best.gif", ".png or .svg"],
        ),
        (
            &["--shard", "1/2", "--plot", "best.png"],
            &["--plot", "partial result", "merged search"],
        ),
    ];
    for (extra, expect) in cases {
        let args: Vec<&str> = ["search", "s.toml", "--rounds", "2000", "-o", "out.json"]
            .iter()
            .chain(extra)
            .copied()
            .collect();
        assert_rejected(dir.path(), &args, expect, &keep);
    }
    assert_rejected(
        dir.path(),
        &[
            "search", "big.toml", "--rounds", "2000", "--shard", "1/2", "-o", "p.json",
        ],
        &["--shard 1/2", "131,072 deals", "played whole"],
        &keep,
    );
    let alternating = repo_file("scenarios/peace-plan-2025-alternating.toml");
    assert_rejected(
        dir.path(),
        &["search", alternating.to_str().unwrap(), "--rounds", "100"],
        &["ratify", "negotiates its own deal"],
        &keep,
    );
}
