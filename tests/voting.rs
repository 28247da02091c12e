//! Agreement rules (quota, weighted, with and without vetoes), Baron–Ferejohn legislative
//! bargaining, and the equilibrium protocol among three or more negotiators — each through
//! scenario files and the binary, against closed forms, hand-worked cases and brute force.

use serde_json::Value;

use crate::common::*;

/// Three parties, each weighing its own clause; the proposal sets the clauses to `u`, so each
/// party's utility is fixed and, with a reservation uniform on [0, 1], it accepts with
/// probability exactly its utility, independently of the others.
fn three_voters(u: [f64; 3], reservation: &str, protocol: &str, extra: [&str; 3]) -> String {
    let mut s = String::from("[scenario]\nname = \"voters\"\n\n");
    for c in ["a", "b", "c"] {
        s += &format!("[clauses.{c}]\nkind = \"range\"\nmin = 0\nmax = 1\n\n");
    }
    s += &format!(
        "[proposals.deal]\na = {}\nb = {}\nc = {}\n\n",
        u[0], u[1], u[2]
    );
    for (i, c) in ["a", "b", "c"].iter().enumerate() {
        s += &format!(
            "[parties.{c}]\nweights = {{ {c} = 1 }}\nvalues.{c} = {{ linear = {{ worst = 0, best = 1 }} }}\nreservation = {reservation}\n{}\n\n",
            extra[i]
        );
    }
    s + "[protocol]\nkind = \"ratify\"\n" + protocol
}

/// The agreement estimate of the first proposal: (probability, rounds).
fn agreement(v: &Value) -> (f64, u64) {
    let a = &v["results"][0]["agreement"];
    (a["p"].as_f64().unwrap(), a["n"].as_u64().unwrap())
}

fn ratify(source: &str, rounds: &str) -> Value {
    run_json(
        source,
        &[
            "run", "s.toml", "--rounds", rounds, "--seed", "13", "--format", "json",
        ],
    )
}

const UNIFORM: &str = "{ uniform = [0, 1] }";
const P: [f64; 3] = [0.3, 0.5, 0.8];

#[test]
fn quota_two_of_three_matches_the_closed_form() {
    let [p1, p2, p3] = P;
    let v = ratify(
        &three_voters(P, UNIFORM, "rule = { quota = 2 }\n", ["", "", ""]),
        "400000",
    );
    let (p, n) = agreement(&v);
    let exact = p1 * p2 + p1 * p3 + p2 * p3 - 2.0 * p1 * p2 * p3;
    assert_binomial((p * n as f64).round() as u64, n, exact, "quota 2 of 3");
    assert_eq!(v["rule"], "quota 2 of 3");
    // Each party's acceptance is its own probability whatever the rule.
    for (i, &pi) in P.iter().enumerate() {
        let e = &v["results"][0]["parties"][i]["accept"];
        let k = (e["p"].as_f64().unwrap() * n as f64).round() as u64;
        assert_binomial(k, n, pi, "acceptance");
    }
    // Every party must accept for quota 3: the product.
    let v = ratify(
        &three_voters(P, UNIFORM, "rule = { quota = 3 }\n", ["", "", ""]),
        "400000",
    );
    let (p, n) = agreement(&v);
    assert_binomial((p * n as f64).round() as u64, n, p1 * p2 * p3, "quota 3");
    // Quota 1: anyone.
    let v = ratify(
        &three_voters(P, UNIFORM, "rule = { quota = 1 }\n", ["", "", ""]),
        "400000",
    );
    let (p, n) = agreement(&v);
    let none = (1.0 - p1) * (1.0 - p2) * (1.0 - p3);
    assert_binomial((p * n as f64).round() as u64, n, 1.0 - none, "quota 1");
}

#[test]
fn a_veto_holder_must_be_among_the_acceptors() {
    let [p1, p2, p3] = P;
    // Quota 2 with c holding a veto: c, and a or b.
    let v = ratify(
        &three_voters(
            P,
            UNIFORM,
            "rule = { quota = 2 }\n",
            ["", "", "veto = true"],
        ),
        "400000",
    );
    let (p, n) = agreement(&v);
    let exact = p3 * (1.0 - (1.0 - p1) * (1.0 - p2));
    assert_binomial((p * n as f64).round() as u64, n, exact, "quota with a veto");
    assert_eq!(v["rule"], "quota 2 of 3, vetoes: c");
    assert_eq!(v["results"][0]["parties"][2]["veto"], true);
    assert_eq!(v["results"][0]["parties"][0]["veto"], false);
}

#[test]
fn weighted_majorities_worked_by_hand() {
    let [p1, p2, p3] = P;
    let weights = ["vote_weight = 2", "", ""];
    // Weights 2, 1, 1 and half the weight: a alone, or b and c together.
    let half = ratify(
        &three_voters(
            P,
            UNIFORM,
            "rule = { weighted = { threshold = 0.5 } }\n",
            weights,
        ),
        "400000",
    );
    let (p, n) = agreement(&half);
    let exact = p1 + (1.0 - p1) * p2 * p3;
    assert_binomial((p * n as f64).round() as u64, n, exact, "weighted 1/2");
    // Three quarters: a and at least one of b, c.
    let three_quarters = ratify(
        &three_voters(
            P,
            UNIFORM,
            "rule = { weighted = { threshold = 0.75 } }\n",
            weights,
        ),
        "400000",
    );
    let (p, n) = agreement(&three_quarters);
    let exact = p1 * (1.0 - (1.0 - p2) * (1.0 - p3));
    assert_binomial((p * n as f64).round() as u64, n, exact, "weighted 3/4");
    // With c's veto under half the weight: c and (a or b).
    let vetoed = ratify(
        &three_voters(
            P,
            UNIFORM,
            "rule = { weighted = { threshold = 0.5 } }\n",
            ["vote_weight = 2", "", "veto = true"],
        ),
        "400000",
    );
    let (p, n) = agreement(&vetoed);
    let exact = p3 * (1.0 - (1.0 - p1) * (1.0 - p2));
    assert_binomial(
        (p * n as f64).round() as u64,
        n,
        exact,
        "weighted with a veto",
    );
}

#[test]
fn rules_decide_fixed_votes_exactly() {
    // Fixed reservations 0.4: a (0.3) rejects, b (0.5) and c (0.8) accept, every round.
    let cases: [(&str, [&str; 3], f64); 7] = [
        ("rule = { quota = 2 }\n", ["", "", ""], 1.0),
        ("rule = { quota = 3 }\n", ["", "", ""], 0.0),
        ("rule = { quota = 2 }\n", ["veto = true", "", ""], 0.0),
        (
            "rule = { weighted = { threshold = 0.5 } }\n",
            ["vote_weight = 2", "", ""],
            1.0,
        ),
        (
            "rule = { weighted = { threshold = 0.51 } }\n",
            ["vote_weight = 2", "", ""],
            0.0,
        ),
        // Two of three equal weights is two thirds, whatever the rounding of 2/3.
        (
            "rule = { weighted = { threshold = 0.6666666666666666 } }\n",
            ["", "", ""],
            1.0,
        ),
        // The default: every party holds a veto, and a says no.
        ("", ["", "", ""], 0.0),
    ];
    for (rule, extra, expect) in cases {
        let v = ratify(&three_voters(P, "0.4", rule, extra), "1000");
        assert_eq!(agreement(&v).0, expect, "{rule} {extra:?}");
        assert_eq!(v.get("rule").is_none(), rule.is_empty());
    }
}

#[test]
fn bad_rules_are_refused_with_their_location() {
    let src = three_voters(P, "0.4", "rule = { quota = 4 }\n", ["", "", ""]);
    rejects_at(
        &src,
        "4 }",
        0,
        &["`quota` must be a number of parties from 1 to 3"],
    );
    let src = three_voters(P, "0.4", "rule = { quota = 0 }\n", ["", "", ""]);
    rejects_at(&src, "0 }", 0, &["from 1 to 3"]);
    let src = three_voters(
        P,
        "0.4",
        "rule = { weighted = { threshold = 1.5 } }\n",
        ["", "", ""],
    );
    rejects_at(&src, "1.5", 0, &["`threshold` must be a share"]);
    let src = three_voters(P, "0.4", "", ["vote_weight = 2", "", ""]);
    rejects_at(
        &src,
        "vote_weight",
        0,
        &["`vote_weight` applies only to a weighted rule"],
    );
    let src = three_voters(
        P,
        "0.4",
        "rule = { weighted = { threshold = 0.5 } }\n",
        ["vote_weight = -1", "", ""],
    );
    rejects_at(
        &src,
        "-1",
        0,
        &["`vote_weight` must be a finite number >= 0"],
    );
    let src = three_voters(P, "0.4", "rule = { majority = 2 }\n", ["", "", ""]);
    let dir = temp_with("bad.toml", &src);
    let out = accord_in(dir.path(), &["run", "bad.toml"]);
    assert_eq!(out.code, 2);
    assert!(flat(&out.stderr).contains("quota"), "{}", out.stderr);
}

/// A pie among `members` (named a, b, c, …), each share from 0 to `size`.
fn pie(members: usize, size: f64, party_extra: &str, protocol: &str) -> String {
    let names: Vec<String> = (0..members)
        .map(|i| ((b'a' + i as u8) as char).to_string())
        .collect();
    let mut s = String::from("[scenario]\nname = \"pie\"\n\n");
    for n in &names {
        s += &format!("[clauses.{n}_share]\nkind = \"range\"\nmin = 0\nmax = {size}\n\n");
    }
    for n in &names {
        s += &format!(
            "[parties.{n}]\nweights = {{ {n}_share = 1 }}\nvalues.{n}_share = {{ linear = {{ worst = 0, best = {size} }} }}\nreservation = 0\n{party_extra}\n"
        );
    }
    s + "[protocol]\n" + protocol
}

fn close(x: &Value, expect: f64, what: &str) {
    let x = x
        .as_f64()
        .unwrap_or_else(|| panic!("{what}: not a number: {x}"));
    assert!((x - expect).abs() < 1e-9, "{what}: {x} against {expect}");
}

#[test]
fn baron_ferejohn_reproduces_the_closed_form_from_the_bundled_scenario() {
    let out = accord(&[
        "run",
        "scenarios/baron-ferejohn.toml",
        "--rounds",
        "60000",
        "--seed",
        "5",
        "--format",
        "json",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let v: Value = serde_json::from_str(&out.stdout).unwrap();
    let bf = &v["baron_ferejohn"];
    // n = 3, q = 2, d = 1: (2/3, 1/3, 0).
    close(&bf["expected_division"]["proposer"], 2.0 / 3.0, "proposer");
    close(&bf["expected_division"]["partner"], 1.0 / 3.0, "partner");
    close(&bf["expected_division"]["excluded"], 0.0, "excluded");
    assert_eq!(v["agreement"]["p"], 1.0);
    assert_eq!(v["mean_agreement_step"], 1.0);
    assert_eq!(v["rule"], "quota 2 of 3");
    let n = v["rounds"].as_u64().unwrap();
    for m in bf["members"].as_array().unwrap() {
        close(&m["expected_share"], 1.0 / 3.0, "expected share");
        close(&m["as_proposer"], 2.0 / 3.0, "as proposer");
        close(&m["as_partner"], 1.0 / 3.0, "as partner");
        close(&m["partner_probability"], 1.0 / 3.0, "picked");
        let k = (m["proposed"].as_f64().unwrap() * n as f64).round() as u64;
        assert_binomial(k, n, 1.0 / 3.0, "recognised");
    }
    // Every round divides the whole pie: the shares' means add up to 1.
    let total: f64 = v["deal"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["mean"].as_f64().unwrap())
        .sum();
    assert!((total - 1.0).abs() < 1e-9, "{total}");
}

#[test]
fn baron_ferejohn_general_n_q_d_and_a_pie_of_any_size() {
    for (n, q, d, size) in [
        (5usize, 3usize, 0.9, 1.0),
        (4, 4, 0.8, 2.0),
        (7, 4, 0.5, 10.0),
    ] {
        let src = pie(
            n,
            size,
            "",
            &format!("kind = \"baron_ferejohn\"\nrule = {{ quota = {q} }}\ndiscount = {d}\n"),
        );
        let v = run_json(
            &src,
            &["run", "s.toml", "--rounds", "2000", "--format", "json"],
        );
        let bf = &v["baron_ferejohn"];
        let keep = 1.0 - d * (q - 1) as f64 / n as f64;
        close(
            &bf["expected_division"]["proposer"],
            keep * size,
            "proposer",
        );
        close(
            &bf["expected_division"]["partner"],
            d / n as f64 * size,
            "partner",
        );
        for m in bf["members"].as_array().unwrap() {
            close(&m["expected_share"], size / n as f64, "expected");
            close(&m["as_partner"], d / n as f64 * size, "as partner");
        }
        // Each round: the proposer's share is keep·size and q − 1 members get d/n·size.
        let deal = v["deal"].as_array().unwrap();
        for c in deal {
            let q95 = c["q95"].as_f64().unwrap();
            assert!((q95 - keep * size).abs() <= size / 1000.0, "{c}");
        }
    }
}

#[test]
fn baron_ferejohn_with_unequal_recognition_worked_by_hand() {
    // p = (1/2, 1/4, 1/4), q = 2, d = 0.9: b and c buy each other, a buys either and is never
    // bought. v_b = 1/4·(1 − d·v_c) + d·v_b·(1/4 + 1/2·1/2), so v_b = v_c = 1/(4 − d) = 10/31;
    // v_a = 1/2·(1 − d·10/31) = 11/31.
    let src = pie(
        3,
        1.0,
        "",
        "kind = \"baron_ferejohn\"\nrule = { quota = 2 }\ndiscount = 0.9\nrecognition = { a = 0.5, b = 0.25, c = 0.25 }\n",
    );
    let v = run_json(
        &src,
        &[
            "run", "s.toml", "--rounds", "200000", "--seed", "3", "--format", "json",
        ],
    );
    let m = v["baron_ferejohn"]["members"].as_array().unwrap().clone();
    close(&m[0]["expected_share"], 11.0 / 31.0, "a");
    close(&m[1]["expected_share"], 10.0 / 31.0, "b");
    close(&m[2]["expected_share"], 10.0 / 31.0, "c");
    close(&m[0]["as_proposer"], 22.0 / 31.0, "a proposes");
    close(&m[1]["as_proposer"], 22.0 / 31.0, "b proposes");
    close(&m[0]["partner_probability"], 0.0, "a is never bought");
    // b is picked by c always and by a half the time: 1/4 + 1/4.
    close(&m[1]["partner_probability"], 0.5, "b picked");
    // The played rounds: a's mean share is its value, within sampling error (a gets 22/31
    // when recognised and nothing otherwise).
    let n = v["rounds"].as_u64().unwrap() as f64;
    let a_mean = v["deal"][0]["mean"].as_f64().unwrap();
    let sd = (0.5f64 * 0.5).sqrt() * 22.0 / 31.0;
    assert!(
        (a_mean - 11.0 / 31.0).abs() < 6.0 * sd / n.sqrt(),
        "{a_mean}"
    );
    let b_mean = v["deal"][1]["mean"].as_f64().unwrap();
    assert!(
        (b_mean - 10.0 / 31.0).abs() < 6.0 * 0.5 / n.sqrt(),
        "{b_mean}"
    );
}

#[test]
fn baron_ferejohn_sweeps_its_discount_and_refuses_what_is_undefined() {
    let src = pie(
        3,
        1.0,
        "",
        "kind = \"baron_ferejohn\"\nrule = { quota = 2 }\n",
    );
    let v = run_json(
        &src,
        &[
            "sweep", "s.toml", "--param", "discount", "--from", "0.5", "--to", "1", "--points",
            "3", "--rounds", "500", "--format", "json",
        ],
    );
    assert_eq!(v["points"].as_array().unwrap().len(), 3);
    let discounted = src.replace("quota = 2 }", "quota = 2 }\ndiscount = 0.9");
    let v = run_json(
        &discounted,
        &[
            "sweep",
            "s.toml",
            "--param",
            "rule.quota",
            "--from",
            "1",
            "--to",
            "3",
            "--rounds",
            "500",
            "--format",
            "json",
        ],
    );
    assert_eq!(v["points"].as_array().unwrap().len(), 3);
    // Quota 3 with d = 1 is not defined (every division is stationary).
    let dir = temp_with("s.toml", &src);
    let out = accord_in(
        dir.path(),
        &[
            "sweep",
            "s.toml",
            "--param",
            "rule.quota",
            "--from",
            "1",
            "--to",
            "3",
            "--rounds",
            "100",
        ],
    );
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        flat(&out.stderr).contains("not be defined"),
        "{}",
        out.stderr
    );
    let out = accord_in(
        dir.path(),
        &[
            "sweep", "s.toml", "--param", "deadline", "--from", "1", "--to", "3",
        ],
    );
    assert_eq!(out.code, 2, "{}", out.stderr);

    let bf = "kind = \"baron_ferejohn\"\n";
    rejects_at(
        &pie(3, 1.0, "", &format!("{bf}rule = {{ quota = 3 }}\n")),
        "kind = \"baron_ferejohn\"",
        7,
        &["not defined", "unanimity quota"],
    );
    rejects_at(
        &pie(
            3,
            1.0,
            "",
            &format!("{bf}rule = {{ quota = 3 }}\ndiscount = 1.5\n"),
        ),
        "1.5",
        0,
        &["`discount` must be in (0, 1]"],
    );
    rejects_at(
        &pie(3, 1.0, "", bf),
        "kind = \"baron_ferejohn\"",
        7,
        &["needs a quota"],
    );
    rejects_at(
        &pie(
            3,
            1.0,
            "",
            &format!("{bf}rule = {{ quota = 2 }}\nrecognition = {{ a = 0.5, b = 0.2, c = 0.2 }}\n"),
        ),
        "{ a = 0.5",
        0,
        &["add up to 0.9, not 1"],
    );
    rejects_at(
        &pie(3, 1.0, "", &format!("{bf}rule = {{ quota = 2 }}\n")).replacen(
            "reservation = 0\n",
            "reservation = 0\ndiscount = 0.9\n",
            1,
        ),
        "discount = 0.9",
        0,
        &["share one discount"],
    );
    rejects_at(
        &pie(
            3,
            1.0,
            "",
            &format!("{bf}rule = {{ weighted = {{ threshold = 0.5 }} }}\n"),
        ),
        "{ threshold",
        0,
        &["not a weighted rule"],
    );
    let two_clauses = pie(3, 1.0, "", &format!("{bf}rule = {{ quota = 2 }}\n")).replace(
        "weights = { a_share = 1 }",
        "weights = { a_share = 1, b_share = 1 }\nvalues.b_share = { linear = { worst = 0, best = 1 } }",
    );
    rejects_at(
        &two_clauses,
        "{ a_share = 1, b_share",
        0,
        &["must weigh exactly one clause"],
    );
}

#[test]
fn stacked_equilibrium_over_a_pie_matches_the_n_party_closed_form() {
    // Three negotiators, common d, nothing after T: the negotiator at position r gets
    // Σ (1 − d)·d^(s−1) over its proposing steps s < T, plus d^(T−1) if it proposes at T.
    for (d, t) in [(0.9f64, 4u32), (0.8, 7), (0.95, 3), (0.9, 1), (0.7, 300)] {
        let src = pie(
            3,
            1.0,
            &format!("discount = {d}"),
            &format!(
                "kind = \"equilibrium\"\npie = true\norder = [\"a\", \"b\", \"c\"]\ndeadline = {t}\n"
            ),
        );
        let v = run_json(
            &src,
            &["run", "s.toml", "--rounds", "100", "--format", "json"],
        );
        for r in 0..3u32 {
            let mut share = 0.0;
            for s in 1..=t {
                if (s - 1) % 3 == r {
                    share += if s < t {
                        (1.0 - d) * d.powi(s as i32 - 1)
                    } else {
                        d.powi(t as i32 - 1)
                    };
                }
            }
            close(
                &v["deal"][r as usize]["mean"],
                share,
                &format!("d {d}, T {t}, r {r}"),
            );
            if t == 300 {
                // The stationary shares (1 − d)·d^r / (1 − d³).
                let stationary = (1.0 - d) * d.powi(r as i32) / (1.0 - d.powi(3));
                close(&v["deal"][r as usize]["mean"], stationary, "stationary");
            }
        }
        assert_eq!(v["mean_agreement_step"], 1.0);
    }
    // Reservations bind: with c's outside option 0.5 and T = 1, a offers c 0.5.
    let src = pie(
        3,
        1.0,
        "discount = 0.9",
        "kind = \"equilibrium\"\npie = true\norder = [\"a\", \"b\", \"c\"]\ndeadline = 1\n",
    );
    let src = {
        let at = src.rfind("reservation = 0").unwrap();
        format!("{}reservation = 0.5{}", &src[..at], &src[at + 15..])
    };
    let v = run_json(
        &src,
        &["run", "s.toml", "--rounds", "10", "--format", "json"],
    );
    close(&v["deal"][0]["mean"], 0.5, "a keeps the rest");
    close(&v["deal"][2]["mean"], 0.5, "c gets its outside option");
}

/// Utilities of the brute-force game: three parties over x (4 options), y (bool), z (3
/// options).
const X: [[f64; 4]; 3] = [
    [0.0, 0.31, 0.72, 1.0],
    [1.0, 0.83, 0.27, 0.0],
    [0.44, 1.0, 0.0, 0.59],
];
const Y: [[f64; 2]; 3] = [[0.13, 0.97], [0.88, 0.06], [0.0, 1.0]];
const Z: [[f64; 3]; 3] = [[0.51, 0.0, 1.0], [0.0, 0.67, 1.0], [1.0, 0.38, 0.0]];
const W: [[f64; 3]; 3] = [[0.5, 0.2, 0.3], [0.3, 0.3, 0.4], [0.25, 0.45, 0.3]];
const D: [f64; 3] = [0.95, 0.9, 0.85];
const R: [f64; 3] = [0.2, 0.25, 0.3];

fn brute_scenario(t: u32) -> String {
    let mut s = String::from(
        "[scenario]\nname = \"three\"\n\n[clauses.x]\nkind = \"choice\"\noptions = [\"x0\", \"x1\", \"x2\", \"x3\"]\n\n[clauses.y]\nkind = \"bool\"\n\n[clauses.z]\nkind = \"choice\"\noptions = [\"z0\", \"z1\", \"z2\"]\n\n",
    );
    for (p, name) in ["a", "b", "c"].iter().enumerate() {
        s += &format!(
            "[parties.{name}]\nweights = {{ x = {}, y = {}, z = {} }}\nvalues.x = {{ table = {{ x0 = {}, x1 = {}, x2 = {}, x3 = {} }} }}\nvalues.y = {{ table = {{ false = {}, true = {} }} }}\nvalues.z = {{ table = {{ z0 = {}, z1 = {}, z2 = {} }} }}\nreservation = {}\ndiscount = {}\n\n",
            W[p][0],
            W[p][1],
            W[p][2],
            X[p][0],
            X[p][1],
            X[p][2],
            X[p][3],
            Y[p][0],
            Y[p][1],
            Z[p][0],
            Z[p][1],
            Z[p][2],
            R[p],
            D[p]
        );
    }
    s + &format!(
        "[protocol]\nkind = \"equilibrium\"\norder = [\"a\", \"b\", \"c\"]\ndeadline = {t}\n"
    )
}

/// Backward induction by brute force over the 24 outcomes: (step, outcome) of the agreement.
fn brute_force(t: u32) -> Option<(u32, [usize; 3])> {
    let mut outcomes = Vec::new();
    for x in 0..4 {
        for y in 0..2 {
            for z in 0..3 {
                outcomes.push([x, y, z]);
            }
        }
    }
    let u = |p: usize, o: &[usize; 3]| {
        (W[p][0] * X[p][o[0]] + W[p][1] * Y[p][o[1]] + W[p][2] * Z[p][o[2]])
            / (W[p][0] + W[p][1] + W[p][2])
    };
    let f = |p: usize, s: u32| D[p].powi(s as i32 - 1);
    let mut value = R;
    let mut sol = None;
    for s in (1..=t).rev() {
        let pi = ((s - 1) % 3) as usize;
        let mut best: Option<(f64, [usize; 3])> = None;
        for o in &outcomes {
            let ok = (0..3).all(|r| r == pi || u(r, o) >= value[r] / f(r, s));
            if ok && best.is_none_or(|(b, _)| u(pi, o) > b) {
                best = Some((u(pi, o), *o));
            }
        }
        if let Some((up, o)) = best
            && up * f(pi, s) >= value[pi]
        {
            for (r, v) in value.iter_mut().enumerate() {
                *v = u(r, &o) * f(r, s);
            }
            sol = Some((s, o));
        }
    }
    sol
}

#[test]
fn stacked_equilibrium_over_a_deal_space_matches_brute_force() {
    for t in [1u32, 2, 3, 4, 5, 8] {
        let expect = brute_force(t);
        let v = run_json(
            &brute_scenario(t),
            &["run", "s.toml", "--rounds", "50", "--format", "json"],
        );
        let Some((step, o)) = expect else {
            assert_eq!(v["agreement"]["p"], 0.0, "T = {t}");
            continue;
        };
        assert_eq!(v["mean_agreement_step"], step as f64, "T = {t}");
        let option = |c: usize, name: String| {
            v["deal"][c]["shares"][name.as_str()]
                .as_f64()
                .unwrap_or_else(|| panic!("T = {t}: no option {name}: {}", v["deal"]))
        };
        assert_eq!(option(0, format!("x{}", o[0])), 1.0, "T = {t}");
        assert_eq!(option(1, (o[1] == 1).to_string()), 1.0, "T = {t}");
        assert_eq!(option(2, format!("z{}", o[2])), 1.0, "T = {t}");
    }
}

#[test]
fn alternating_and_mediated_agree_by_the_rule() {
    // a and b like a high x, c a low one; c's outside option is 0.5. Under unanimity a's
    // first offer (x = 1) fails on c; with a quota of 2 b's yes carries it at step 1, unless
    // c holds a veto.
    let base = |rule: &str, c_extra: &str| {
        format!(
            "[scenario]\nname = \"q\"\n\n[clauses.x]\nkind = \"range\"\nmin = 0\nmax = 1\n\n[proposals.start]\nx = 1\n\n\
             [parties.a]\nweights = {{ x = 1 }}\nvalues.x = {{ linear = {{ worst = 0, best = 1 }} }}\nreservation = 0.2\n\n\
             [parties.b]\nweights = {{ x = 1 }}\nvalues.x = {{ linear = {{ worst = 0, best = 1 }} }}\nreservation = 0.2\n\n\
             [parties.c]\nweights = {{ x = 1 }}\nvalues.x = {{ linear = {{ worst = 1, best = 0 }} }}\nreservation = 0.5\n{c_extra}\n\n\
             [protocol]\nkind = \"alternating\"\norder = [\"a\", \"b\", \"c\"]\ndeadline = 6\n{rule}"
        )
    };
    let step1 = |src: String| {
        let v = run_json(
            &src,
            &["run", "s.toml", "--rounds", "20", "--format", "json"],
        );
        v["steps"][0]["agreed"].as_f64().unwrap()
    };
    assert_eq!(step1(base("", "")), 0.0);
    assert_eq!(step1(base("rule = { quota = 2 }\n", "")), 1.0);
    assert_eq!(step1(base("rule = { quota = 2 }\n", "veto = true")), 0.0);
    assert_eq!(step1(base("rule = { quota = 3 }\n", "")), 0.0);
    // Mediated: the start text (x = 1) is accepted by a and b; the rule decides at step 1.
    let mediated = |rule: &str| {
        base(rule, "")
            .replace(
                "kind = \"alternating\"",
                "kind = \"mediated\"\nstart = \"start\"",
            )
            .replace("order = [\"a\", \"b\", \"c\"]\n", "")
    };
    assert_eq!(step1(mediated("rule = { quota = 2 }\n")), 1.0);
    assert_eq!(step1(mediated("rule = { quota = 3 }\n")), 0.0);
    assert_eq!(
        step1(mediated("rule = { weighted = { threshold = 0.6 } }\n")),
        1.0
    );
    // A quota above the negotiators is refused where it is written.
    rejects_at(
        &base("rule = { quota = 3 }\n", "")
            .replace("order = [\"a\", \"b\", \"c\"]", "order = [\"a\", \"b\"]"),
        "3 }",
        0,
        &["only 2 negotiate"],
    );
}
