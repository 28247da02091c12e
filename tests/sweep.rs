//! Sweeps (`accord sweep`, `accord plot`): exact monotonicity under common random numbers,
//! points identical to single runs, the CSV and JSON schemas, grids, charts, bad input and
//! determinism across thread counts.

use std::cell::Cell;
use std::path::Path;

use accord::job::Variants;
use accord::model::Scenario;
use accord::request::Request;
use accord::sim::RunOptions;
use accord::sweep::{AxisSpec, SweepResult, SweepSpec, plan};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use serde_json::Value;

use crate::common::{
    accord_in, assert_rejected, flat, float_noise, ok, ok_json, read, scenario, svg_texts,
    temp_with,
};

/// Four clauses of every kind (an integer range with a unit, a real range, a choice, a bool);
/// a party with an uncertain reservation, logit acceptance, uncertain weights and value
/// parameters and a reference point with uncertain loss aversion; a veto party with a fixed
/// reservation and uncertain logit temperature; a non-veto party. `twin` repeats `low`.
pub const FIXTURE: &str = r#"
[scenario]
name = "Sweep fixture"

[clauses.cap]
kind = "range"
min = 0
max = 100_000
integer = true
unit = "troops"

[clauses.share]
kind = "range"
min = 0
max = 1

[clauses.level]
kind = "choice"
options = ["low", "mid", "high"]

[clauses.amnesty]
kind = "bool"

[proposals.low]
cap = 20_000
share = 0.2
level = "low"
amnesty = true

[proposals.high]
cap = 80_000
share = 0.2
level = "low"
amnesty = true

[proposals.far]
cap = 90_000
share = 0.9
level = "mid"
amnesty = false

[proposals.twin]
cap = 20_000
share = 0.2
level = "low"
amnesty = true

[parties.north]
reservation = { normal = { mean = 0.3, sd = 0.1 } }
weights = { cap = 0.5, share = 0.2, level = 0.2, amnesty = { uniform = [0.05, 0.15] } }
values.cap = { linear = { worst = 0, best = 100_000 } }
values.share = { power = { worst = 0, best = 1, exponent = { uniform = [0.5, 2.0] } } }
values.level = { table = { low = 0.0, mid = 0.6, high = 1.0 } }
values.amnesty = { table = { true = 0.2, false = 1.0 } }
accept = { logit = { temperature = 0.05 } }
reference = "low"
loss_aversion = { triangular = [1.5, 2.0, 2.5] }

[parties.south]
reservation = 0.55
weights = { cap = 0.4, share = 0.4, level = 0.2 }
values.cap = { linear = { worst = 100_000, best = 0 } }
values.share = { logistic = { midpoint = { uniform = [0.3, 0.6] }, scale = -0.1 } }
values.level = { table = { low = 1.0, mid = 0.5, high = { uniform = [0.0, 0.3] } } }
accept = { logit = { temperature = { uniform = [0.02, 0.06] } } }

[parties.east]
veto = false
reservation = { uniform = [0.2, 0.7] }
weights = { cap = 1, amnesty = 1 }
values.cap = { piecewise = [[0, 0.0], [50_000, 1.0], [100_000, 0.3]] }
values.amnesty = { table = { true = 1.0, false = 0.0 } }

[simulation]
rounds = 5_000
seed = 11
"#;

/// Party names of [`FIXTURE`], in order.
pub const PARTIES: [&str; 3] = ["north", "south", "east"];

/// `agreement` and every party's `accept`, `mean_utility`, `mean_margin` of a sweep point equal
/// (as parsed JSON numbers, so bit for bit) those of a run's result for one proposal.
fn assert_point_is_run(point: &Value, result: &Value, what: &str) {
    assert_eq!(
        point["agreement"], result["agreement"],
        "{what}: agreement of the sweep point and of the run differ"
    );
    let (pp, rp) = (
        point["parties"].as_array().expect("point parties"),
        result["parties"].as_array().expect("run parties"),
    );
    assert_eq!(pp.len(), rp.len(), "{what}: number of parties");
    for (a, b) in pp.iter().zip(rp) {
        assert_eq!(a["party"], b["party"], "{what}: party order");
        for key in ["accept", "mean_utility", "mean_margin"] {
            assert!(!a[key].is_null(), "{what}: {} has no {key}", a["party"]);
            assert_eq!(a[key], b[key], "{what}: {} {key} differs", a["party"]);
        }
    }
}

/// The single result of `accord run FILE -p NAME` with the given rounds and seed.
fn run_one(dir: &Path, file: &str, proposal: &str, rounds: &str, seed: &str) -> Value {
    let v = ok_json(
        dir,
        &[
            "run", file, "-p", proposal, "--rounds", rounds, "--seed", seed, "--format", "json",
        ],
    );
    assert_eq!(v["results"].as_array().map(Vec::len), Some(1));
    v["results"][0].clone()
}

fn sweep_json(dir: &Path, args: &[&str]) -> Value {
    let mut all = vec!["sweep", "fx.toml", "--format", "json"];
    all.extend_from_slice(args);
    ok_json(dir, &all)
}

fn points(v: &Value) -> &Vec<Value> {
    v["points"].as_array().expect("points")
}

fn xs(point: &Value) -> Vec<f64> {
    point["x"]
        .as_array()
        .expect("x")
        .iter()
        .map(|x| x.as_f64().expect("number"))
        .collect()
}

// ---------------------------------------------------------------------------------------
// Exact monotonicity (common random numbers), as a property over generated scenarios.
// ---------------------------------------------------------------------------------------

/// A value function over a clause ranging over [0, 100], as TOML, and whether it rises.
/// Parameters may be uncertain, but never so that the direction can flip within a round.
fn value_fn() -> impl Strategy<Value = (String, bool)> {
    let ends = (any::<bool>(), 0u32..=40, 61u32..=100, any::<bool>());
    let ends_toml = |(rising, lo, hi, uncertain): (bool, u32, u32, bool)| {
        let (lo, hi) = (lo as f64, hi as f64);
        let (worst, best) = if uncertain {
            (
                format!("{{ uniform = [{:?}, {:?}] }}", lo, lo + 10.0),
                format!("{{ uniform = [{:?}, {:?}] }}", hi - 10.0, hi),
            )
        } else {
            (format!("{lo:?}"), format!("{hi:?}"))
        };
        let (worst, best) = if rising { (worst, best) } else { (best, worst) };
        (format!("worst = {worst}, best = {best}"), rising)
    };
    let linear = ends.clone().prop_map(move |e| {
        let (w, r) = ends_toml(e);
        (format!("{{ linear = {{ {w} }} }}"), r)
    });
    let power = (ends, 0u32..3, 30u32..300).prop_map(move |(e, kind, k)| {
        let (w, r) = ends_toml(e);
        let k = k as f64 / 100.0;
        let exponent = match kind {
            0 => format!("{k:?}"),
            1 => "{ uniform = [0.3, 1.0] }".to_string(),
            _ => "{ uniform = [1.0, 3.0] }".to_string(),
        };
        (format!("{{ power = {{ {w}, exponent = {exponent} }} }}"), r)
    });
    let logistic = (
        any::<bool>(),
        20u32..=80,
        any::<bool>(),
        3u32..=30,
        any::<bool>(),
    )
        .prop_map(|(rising, mid, mid_uncertain, scale, scale_uncertain)| {
            let sign = if rising { 1.0 } else { -1.0 };
            let mid = mid as f64;
            let midpoint = if mid_uncertain {
                format!("{{ uniform = [{:?}, {:?}] }}", mid - 10.0, mid + 10.0)
            } else {
                format!("{mid:?}")
            };
            let s = sign * scale as f64;
            let scale = if scale_uncertain {
                let (a, b) = (s, 2.0 * s);
                format!("{{ uniform = [{:?}, {:?}] }}", a.min(b), a.max(b))
            } else {
                format!("{s:?}")
            };
            (
                format!("{{ logistic = {{ midpoint = {midpoint}, scale = {scale} }} }}"),
                rising,
            )
        });
    prop_oneof![linear, power, logistic]
}

fn unit(k: u32) -> f64 {
    k as f64 / 100.0
}

/// A reservation: fixed, normal or uniform, centred in [0.2, 0.7].
fn reservation() -> impl Strategy<Value = String> {
    (0u32..3, 20u32..=70, 5u32..=20).prop_map(|(kind, c, s)| {
        let (c, s) = (unit(c), unit(s));
        match kind {
            0 => format!("{c:?}"),
            1 => format!("{{ normal = {{ mean = {c:?}, sd = {s:?} }} }}"),
            _ => format!("{{ uniform = [{:?}, {:?}] }}", c - s, c + s),
        }
    })
}

/// An acceptance rule: threshold, or logit with a fixed or uncertain temperature.
fn accept() -> impl Strategy<Value = String> {
    (0u32..3, 1u32..=10).prop_map(|(kind, t)| match kind {
        0 => "\"threshold\"".to_string(),
        1 => format!("{{ logit = {{ temperature = {:?} }} }}", unit(t)),
        _ => format!(
            "{{ logit = {{ temperature = {{ uniform = [{:?}, {:?}] }} }} }}",
            unit(t),
            2.0 * unit(t)
        ),
    })
}

/// A weight: fixed or uniform.
fn weight() -> impl Strategy<Value = String> {
    (any::<bool>(), 10u32..=90).prop_map(|(uncertain, w)| {
        let w = unit(w);
        if uncertain {
            format!("{{ uniform = [{:?}, {:?}] }}", w * 0.5, w)
        } else {
            format!("{w:?}")
        }
    })
}

#[derive(Debug, Clone)]
struct Case {
    toml: String,
    /// Whether each party's utility rises with `x`.
    rising: [bool; 2],
    integer: bool,
    /// Clause sweep from, to, steps.
    from: f64,
    to: f64,
    steps: usize,
    /// Reservation sweep of party `a` from `r_from` up to `r_to`.
    r_from: f64,
    r_to: f64,
}

fn case() -> impl Strategy<Value = Case> {
    let party = || {
        (
            value_fn(),
            weight(),
            weight(),
            reservation(),
            accept(),
            any::<bool>(),
        )
    };
    (
        party(),
        party(),
        any::<bool>(),
        (0u32..=100, 0u32..=100, 2usize..=12),
        (0u32..=60, 10u32..=40, any::<bool>()),
    )
        .prop_filter("a sweep range of at least 20", |c| {
            (c.3.0 as i64 - c.3.1 as i64).abs() >= 20
        })
        .prop_map(|(a, b, integer, (from, to, steps), (r0, dr, b_opt))| {
            let party = |name: &str, p: &((String, bool), String, String, String, String, bool)| {
                let ((value, _), wx, wy, res, acc, refer) = p;
                let mut t = format!(
                    "[parties.{name}]\nreservation = {res}\nweights = {{ x = {wx}, y = {wy} }}\n\
                     values.x = {value}\nvalues.y = {{ table = {{ p = 0.3, q = {{ uniform = [0.0, 1.0] }} }} }}\n\
                     accept = {acc}\n"
                );
                if *refer {
                    t.push_str("reference = \"base\"\nloss_aversion = { uniform = [1.0, 3.0] }\n");
                }
                t
            };
            let toml = format!(
                "[scenario]\nname = \"generated\"\n\n[clauses.x]\nkind = \"range\"\nmin = 0\nmax = 100\ninteger = {integer}\n\n\
                 [clauses.y]\nkind = \"choice\"\noptions = [\"p\", \"q\"]\n\n\
                 [proposals.base]\nx = 50\ny = \"{}\"\n\n{}\n{}",
                if b_opt { "q" } else { "p" },
                party("a", &a),
                party("b", &b),
            );
            Case {
                toml,
                rising: [a.0.1, b.0.1],
                integer,
                from: from as f64,
                to: to as f64,
                steps,
                r_from: unit(r0),
                r_to: unit(r0 + dr),
            }
        })
}

/// Acceptance counts of party `p` (or agreement, for `None`) along a sweep, in point order.
fn counts(r: &SweepResult, p: Option<usize>) -> Vec<u64> {
    r.points
        .iter()
        .map(|pt| {
            let e = match p {
                Some(p) => &pt.parties[p].accept,
                None => &pt.agreement,
            };
            assert_eq!(e.n, 2000);
            (e.p * e.n as f64).round() as u64
        })
        .collect()
}

fn is_monotone(c: &[u64], non_decreasing: bool) -> bool {
    c.windows(2).all(|w| {
        if non_decreasing {
            w[0] <= w[1]
        } else {
            w[0] >= w[1]
        }
    })
}

fn sweep_lib(s: &Scenario, axis: AxisSpec, seed: u64) -> SweepResult {
    let options = RunOptions {
        rounds: 2000,
        seed,
        threads: Some(1),
    };
    let spec = SweepSpec {
        base: Some("base".into()),
        axes: vec![axis],
        given: Vec::new(),
    };
    let result = Request::Sweep(spec)
        .prepare(s, options)
        .and_then(|p| p.run(&|_| {}))
        .unwrap_or_else(|e| panic!("sweep: {e}"));
    result.sweep().expect("a sweep").clone()
}

#[test]
fn acceptance_is_exactly_monotone_along_clause_and_reservation_sweeps() {
    let mut runner = TestRunner::new_with_rng(
        Config {
            cases: 24,
            failure_persistence: None,
            ..Config::default()
        },
        TestRng::deterministic_rng(RngAlgorithm::ChaCha),
    );
    // Cases where the curve actually moves, so the property is not vacuous.
    let moving = Cell::new(0);
    let result = runner.run(&case(), |c| {
        let s = scenario(&c.toml);
        let seed = c.steps as u64 * 7 + 1;
        let r = sweep_lib(
            &s,
            AxisSpec::Clause {
                name: "x".into(),
                from: Some(c.from),
                to: Some(c.to),
                points: Some(c.steps),
            },
            seed,
        );
        prop_assert_eq!(r.points.len(), c.steps);
        let xs: Vec<f64> = r.points.iter().map(|p| p.x[0]).collect();
        prop_assert_eq!(xs[0], c.from);
        prop_assert_eq!(xs[c.steps - 1], c.to);
        if c.integer {
            prop_assert!(xs.iter().all(|x| x.fract() == 0.0), "{:?}", xs);
        }
        let ascending = c.to > c.from;
        for p in 0..2 {
            let k = counts(&r, Some(p));
            // Non-decreasing along the sweep when utility rises in x and x rises.
            let up = c.rising[p] == ascending;
            prop_assert!(
                is_monotone(&k, up),
                "party {} (rising {}, x {:?}): counts {:?} not {}\n{}",
                p,
                c.rising[p],
                xs,
                k,
                if up {
                    "non-decreasing"
                } else {
                    "non-increasing"
                },
                c.toml
            );
            if p == 0 && k[0] != k[k.len() - 1] {
                moving.set(moving.get() + 1);
            }
        }
        if c.rising[0] == c.rising[1] {
            let k = counts(&r, None);
            prop_assert!(
                is_monotone(&k, c.rising[0] == ascending),
                "agreement counts {:?} along {:?}\n{}",
                k,
                xs,
                c.toml
            );
        }

        // Raising a's outside option never makes it, or agreement, more willing.
        let r = sweep_lib(
            &s,
            AxisSpec::Reservation {
                party: "a".into(),
                from: Some(c.r_from),
                to: Some(c.r_to),
                points: Some(c.steps),
                shift: false,
            },
            seed,
        );
        prop_assert_eq!(r.points.len(), c.steps);
        for k in [counts(&r, Some(0)), counts(&r, None)] {
            prop_assert!(
                is_monotone(&k, false),
                "reservation {}..{}: counts {:?} not non-increasing\n{}",
                c.r_from,
                c.r_to,
                k,
                c.toml
            );
        }
        // b's acceptance does not depend on a's outside option.
        let kb = counts(&r, Some(1));
        prop_assert!(kb.iter().all(|&k| k == kb[0]), "party b moved: {:?}", kb);
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    assert!(
        moving.get() >= 12,
        "only {} of 24 generated sweeps moved party a's acceptance: the property was barely tested",
        moving.get()
    );
}

#[test]
fn acceptance_is_monotone_along_a_fixture_sweep_of_every_kind_of_party() {
    // On the fixture through the CLI: north's utility rises with cap, south's falls, at
    // every point the same worlds; 41 points on an integer clause.
    let dir = temp_with("fx.toml", FIXTURE);
    let v = sweep_json(
        dir.path(),
        &[
            "--proposal",
            "low",
            "--clause",
            "cap",
            "--from",
            "0",
            "--to",
            "100000",
            "--points",
            "41",
            "--rounds",
            "3000",
        ],
    );
    let count = |p: usize| -> Vec<u64> {
        points(&v)
            .iter()
            .map(|pt| {
                let a = &pt["parties"][p]["accept"];
                (a["p"].as_f64().expect("p") * a["n"].as_f64().expect("n")).round() as u64
            })
            .collect()
    };
    let (north, south) = (count(0), count(1));
    assert!(is_monotone(&north, true), "north {north:?}");
    assert!(is_monotone(&south, false), "south {south:?}");
    assert!(north[40] > north[0] + 1000, "north should move: {north:?}");
    assert!(south[0] > south[40] + 500, "south should move: {south:?}");
}

// ---------------------------------------------------------------------------------------
// Sweep points equal single runs.
// ---------------------------------------------------------------------------------------

#[test]
fn clause_sweep_points_on_proposals_equal_single_runs() {
    let dir = temp_with("fx.toml", FIXTURE);
    let d = dir.path();
    // 0, 10,000, …, 100,000: points 2 and 8 are proposals `low` and `high`.
    let v = sweep_json(
        d,
        &[
            "--proposal",
            "low",
            "--clause",
            "cap",
            "--from",
            "0",
            "--to",
            "100000",
            "--points",
            "11",
            "--rounds",
            "4321",
            "--seed",
            "5",
        ],
    );
    let pts = points(&v);
    assert_eq!(pts.len(), 11);
    for (i, name) in [(2, "low"), (8, "high")] {
        assert_eq!(xs(&pts[i]), vec![[20_000.0, 80_000.0][i / 8]]);
        let single = run_one(d, "fx.toml", name, "4321", "5");
        assert_point_is_run(&pts[i], &single, &format!("cap sweep at {name}"));
    }
    // The estimates are not degenerate, so equality means something.
    let a = pts[8]["agreement"]["p"].as_f64().expect("p");
    assert!(a > 0.2 && a < 0.95, "agreement at high: {a}");

    // A choice clause: the option of the base proposal is that proposal.
    let v = sweep_json(
        d,
        &[
            "--proposal",
            "far",
            "--clause",
            "level",
            "--rounds",
            "4321",
            "--seed",
            "5",
        ],
    );
    let single = run_one(d, "fx.toml", "far", "4321", "5");
    assert_point_is_run(&points(&v)[1], &single, "level sweep at far (mid)");
    // A real-valued clause swept to the base's own value.
    let v = sweep_json(
        d,
        &[
            "--proposal",
            "far",
            "--clause",
            "share",
            "--from",
            "0.5",
            "--to",
            "0.9",
            "--points",
            "5",
            "--rounds",
            "4321",
            "--seed",
            "5",
        ],
    );
    assert_eq!(xs(&points(&v)[4]), vec![0.9]);
    assert_point_is_run(&points(&v)[4], &single, "share sweep at far");
}

#[test]
fn path_sweep_ends_equal_single_runs_of_its_proposals() {
    let dir = temp_with("fx.toml", FIXTURE);
    let d = dir.path();
    let v = sweep_json(
        d,
        &[
            "--path", "low..far", "--points", "5", "--rounds", "3333", "--seed", "8",
        ],
    );
    let pts = points(&v);
    assert_eq!(pts.len(), 5);
    assert_eq!(xs(&pts[0]), vec![0.0]);
    assert_eq!(xs(&pts[4]), vec![1.0]);
    assert_point_is_run(
        &pts[0],
        &run_one(d, "fx.toml", "low", "3333", "8"),
        "path x = 0",
    );
    assert_point_is_run(
        &pts[4],
        &run_one(d, "fx.toml", "far", "3333", "8"),
        "path x = 1",
    );
    // With --beyond the ends move inward in the point list but still sit on the proposals.
    let v = sweep_json(
        d,
        &[
            "--path",
            "high..low",
            "--points",
            "7",
            "--beyond",
            "0.25",
            "--rounds",
            "3333",
            "--seed",
            "8",
        ],
    );
    let pts = points(&v);
    let at = |x: f64| {
        pts.iter()
            .find(|p| xs(p) == vec![x])
            .unwrap_or_else(|| panic!("no point at x = {x}: {pts:?}"))
    };
    assert_eq!(xs(&pts[0]), vec![-0.25]);
    assert_eq!(xs(&pts[6]), vec![1.25]);
    assert_point_is_run(
        at(0.0),
        &run_one(d, "fx.toml", "high", "3333", "8"),
        "beyond x = 0",
    );
    assert_point_is_run(
        at(1.0),
        &run_one(d, "fx.toml", "low", "3333", "8"),
        "beyond x = 1",
    );
}

#[test]
fn path_deals_at_zero_and_one_are_the_proposals_exactly() {
    // `low..far` moves `share` from 0.2 to 0.9, where 0.2 + 1·(0.9 − 0.2) is not 0.9 in
    // floating point: the deal at x = 1 must still be `far` itself.
    let s = scenario(FIXTURE);
    for (from, to) in [("low", "far"), ("far", "low"), ("high", "far")] {
        let spec = SweepSpec {
            base: None,
            axes: vec![AxisSpec::Path {
                from: from.into(),
                to: to.into(),
                beyond: 0.0,
                points: Some(3),
            }],
            given: Vec::new(),
        };
        let p = plan(&s, &spec).expect("plan");
        let Variants::Deals { deals, .. } = &p.variants else {
            panic!("a ratify sweep plays deals")
        };
        let deal = |name: &str| {
            s.proposals
                .iter()
                .find(|q| q.name == name)
                .expect("proposal")
                .deal
                .clone()
        };
        assert_eq!(deals[0], deal(from), "{from}..{to} at x = 0");
        assert_eq!(deals[2], deal(to), "{from}..{to} at x = 1");
    }
}

/// A choice clause whose deciding party values two options equally: the path must still
/// start at FROM's option, not the first option of equal value.
const TIE: &str = r#"
[scenario]
name = "Tie"

[clauses.level]
kind = "choice"
options = ["a", "b", "c"]

[clauses.x]
kind = "range"
min = 0
max = 1

[proposals.start]
level = "b"
x = 0.5

[proposals.end]
level = "c"
x = 0.5

[parties.judge]
weights = { level = 1 }
values.level = { table = { a = 0.0, b = 0.0, c = 1.0 } }
reservation = 0.5

[parties.other]
weights = { level = 1, x = 1 }
values.level = { table = { a = 1.0, b = 0.0, c = 0.5 } }
values.x = { linear = { worst = 0, best = 1 } }
reservation = { uniform = [0.1, 0.9] }
"#;

#[test]
fn path_with_tied_option_values_starts_at_from() {
    let s = scenario(TIE);
    let spec = SweepSpec {
        base: None,
        axes: vec![AxisSpec::Path {
            from: "start".into(),
            to: "end".into(),
            beyond: 0.0,
            points: Some(5),
        }],
        given: Vec::new(),
    };
    let p = plan(&s, &spec).expect("plan");
    let Variants::Deals { deals, .. } = &p.variants else {
        panic!("a ratify sweep plays deals")
    };
    assert_eq!(deals[4], s.proposals[1].deal, "x = 1 must be `end`");
    // What users see: the sweep's first point is not the run of `start`.
    let dir = temp_with("tie.toml", TIE);
    let d = dir.path();
    let v = ok_json(
        d,
        &[
            "sweep",
            "tie.toml",
            "--path",
            "start..end",
            "--points",
            "5",
            "--rounds",
            "2000",
            "--format",
            "json",
        ],
    );
    assert_point_is_run(
        &points(&v)[0],
        &run_one(d, "tie.toml", "start", "2000", "1"),
        "tie path at x = 0",
    );
    assert_eq!(deals[0], s.proposals[0].deal, "x = 0 must be `start`");
}

#[test]
fn reservation_sweep_at_the_fixed_reservation_equals_a_single_run() {
    let dir = temp_with("fx.toml", FIXTURE);
    let d = dir.path();
    // south's reservation is fixed at 0.55: the first point of each sweep is the scenario.
    for base in ["low", "high", "far"] {
        let v = sweep_json(
            d,
            &[
                "--proposal",
                base,
                "--reservation",
                "south",
                "--from",
                "0.55",
                "--to",
                "0.95",
                "--points",
                "5",
                "--rounds",
                "3001",
                "--seed",
                "21",
            ],
        );
        let pts = points(&v);
        assert_eq!(xs(&pts[0]), vec![0.55]);
        let single = run_one(d, "fx.toml", base, "3001", "21");
        assert_point_is_run(
            &pts[0],
            &single,
            &format!("south reservation 0.55 on {base}"),
        );
        // Only south's acceptance (and agreement) moves with south's outside option.
        for pt in pts {
            for p in [0, 2] {
                assert_eq!(
                    pt["parties"][p]["accept"], single["parties"][p]["accept"],
                    "{} moved with south's reservation",
                    PARTIES[p]
                );
            }
        }
    }
}

#[test]
fn reservation_sweep_margins_equal_single_runs_for_many_fixed_reservations() {
    // The mean margin of a run subtracts the mean of the sampled (fixed) reservation, summed
    // in units of 2^-40; the sweep's point at that reservation must report the same number.
    for r in [
        "0.55", "0.37", "0.61", "0.43", "0.29", "0.7", "0.13", "0.51",
    ] {
        let text = FIXTURE.replace("reservation = 0.55", &format!("reservation = {r}"));
        let dir = temp_with("fx.toml", &text);
        let d = dir.path();
        for base in ["low", "high", "far"] {
            let v = sweep_json(
                d,
                &[
                    "--proposal",
                    base,
                    "--reservation",
                    "south",
                    "--from",
                    r,
                    "--to",
                    "0.99",
                    "--points",
                    "2",
                    "--rounds",
                    "1500",
                    "--seed",
                    "2",
                ],
            );
            let single = run_one(d, "fx.toml", base, "1500", "2");
            assert_point_is_run(
                &points(&v)[0],
                &single,
                &format!("south reservation {r} on {base}"),
            );
        }
    }
}

// ---------------------------------------------------------------------------------------
// Schemas.
// ---------------------------------------------------------------------------------------

fn expected_header(axes: &[&str]) -> String {
    let mut h: Vec<String> = axes.iter().map(|a| a.to_string()).collect();
    h.extend(["agreement", "agreement_lo", "agreement_hi", "n"].map(String::from));
    for p in PARTIES {
        h.extend([
            format!("accept_{p}"),
            format!("accept_{p}_lo"),
            format!("accept_{p}_hi"),
            format!("utility_{p}"),
            format!("margin_{p}"),
        ]);
    }
    h.join(",")
}

/// A CSV cell read as serde_json reads numbers, so that it compares bit for bit with the
/// JSON output's numbers whatever the notation (serde_json's default float parser may be one
/// unit in the last place off the correctly rounded value).
fn json_f64(cell: &str) -> f64 {
    serde_json::from_str(cell).unwrap_or_else(|e| panic!("`{cell}` is not a number: {e}"))
}

/// The CSV's header and rows (plain RFC 4180: no comment line); checks every number equals
/// the JSON point's.
fn check_csv_against_json(csv: &str, json: &Value, axes: &[&str]) {
    let mut lines = csv.lines();
    assert!(
        csv.lines().all(|l| !l.starts_with('#')),
        "no comment lines in a CSV"
    );
    assert_eq!(lines.next(), Some(expected_header(axes).as_str()));
    let rows: Vec<&str> = lines.collect();
    let pts = points(json);
    assert_eq!(rows.len(), pts.len(), "one row per point");
    let options: Vec<Option<Vec<String>>> = json["axes"]
        .as_array()
        .expect("axes")
        .iter()
        .map(|a| {
            a["options"].as_array().map(|o| {
                o.iter()
                    .map(|s| s.as_str().expect("option").to_string())
                    .collect()
            })
        })
        .collect();
    for (row, pt) in rows.iter().zip(pts) {
        let cells: Vec<&str> = row.split(',').collect();
        assert_eq!(cells.len(), axes.len() + 4 + 5 * PARTIES.len(), "{row}");
        for (j, x) in xs(pt).iter().enumerate() {
            match &options[j] {
                Some(opts) => assert_eq!(cells[j], opts[*x as usize], "option names, {row}"),
                None => assert_eq!(json_f64(cells[j]), *x, "{row}"),
            }
        }
        let mut ests = vec![&pt["agreement"]];
        ests.extend(
            pt["parties"]
                .as_array()
                .expect("parties")
                .iter()
                .map(|p| &p["accept"]),
        );
        // Agreement's p, lo, hi, n; then each party's p, lo, hi, utility, margin.
        for (e, est) in ests.iter().enumerate() {
            let start = if e == 0 {
                axes.len()
            } else {
                axes.len() + 4 + 5 * (e - 1)
            };
            for (k, key) in ["p", "lo", "hi"].into_iter().enumerate() {
                let cell = cells[start + k];
                assert_eq!(
                    Some(json_f64(cell)),
                    est[key].as_f64(),
                    "column {} of {row}",
                    start + k
                );
            }
        }
    }
}

#[test]
fn csv_and_json_schemas() {
    let dir = temp_with("fx.toml", FIXTURE);
    let d = dir.path();
    let common = ["--rounds", "2500", "--seed", "3"];
    let cases: [(&[&str], &[&str]); 4] = [
        (
            &[
                "--proposal",
                "high",
                "--clause",
                "cap",
                "--from",
                "60000",
                "--to",
                "90000",
                "--points",
                "4",
            ],
            &["cap"],
        ),
        (&["--proposal", "high", "--clause", "level"], &["level"]),
        (&["--path", "low..far", "--points", "6"], &["path"]),
        (
            &[
                "--proposal",
                "low",
                "--reservation",
                "north",
                "--from",
                "0.1",
                "--to",
                "0.5",
                "--points",
                "3",
            ],
            &["reservation_north"],
        ),
    ];
    for (args, axes) in cases {
        let mut a: Vec<&str> = args.to_vec();
        a.extend(common);
        let json = sweep_json(d, &a);
        // JSON: the sweep's description, then the points.
        for key in [
            "scenario",
            "protocol",
            "seed",
            "rounds",
            "base",
            "description",
            "axes",
            "markers",
            "parties",
            "veto",
            "points",
        ] {
            assert!(json.get(key).is_some(), "{args:?}: JSON lacks `{key}`");
        }
        assert_eq!(json["scenario"], "Sweep fixture");
        assert_eq!(json["seed"], 3);
        assert_eq!(json["rounds"], 2500);
        assert_eq!(json["parties"], serde_json::json!(PARTIES));
        assert_eq!(json["veto"], serde_json::json!([true, true, false]));
        let axis = &json["axes"][0];
        assert_eq!(axis["name"], axes[0]);
        let values = axis["values"].as_array().expect("values");
        let pts = points(&json);
        assert_eq!(pts.len(), values.len());
        for (pt, x) in pts.iter().zip(values) {
            assert_eq!(pt["x"], serde_json::json!([x]));
            assert_eq!(pt["agreement"]["n"], 2500);
            let parties = pt["parties"].as_array().expect("parties");
            assert_eq!(parties.len(), 3);
            for (p, name) in parties.iter().zip(PARTIES) {
                assert_eq!(p["party"], name);
                for key in ["p", "lo", "hi", "n"] {
                    assert!(p["accept"][key].is_number(), "{args:?}: accept.{key}");
                }
                assert!(p["mean_utility"].is_number() && p["mean_margin"].is_number());
            }
        }
        // CSV: the same data.
        a.extend(["--format", "csv"]);
        let mut all = vec!["sweep", "fx.toml"];
        all.extend(a);
        let csv = ok(d, &all);
        check_csv_against_json(&csv, &json, axes);
    }
}

#[test]
fn choice_axes_print_option_names_and_markers_name_proposals() {
    let dir = temp_with("fx.toml", FIXTURE);
    let d = dir.path();
    let csv = ok(
        d,
        &[
            "sweep",
            "fx.toml",
            "--proposal",
            "low",
            "--clause",
            "level",
            "--rounds",
            "1500",
            "--format",
            "csv",
        ],
    );
    let firsts: Vec<&str> = csv
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().expect("cell"))
        .collect();
    assert_eq!(firsts, ["low", "mid", "high"]);
    let csv = ok(
        d,
        &[
            "sweep",
            "fx.toml",
            "--proposal",
            "high",
            "--clause",
            "amnesty",
            "--rounds",
            "1500",
            "--format",
            "csv",
        ],
    );
    let firsts: Vec<&str> = csv
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().expect("cell"))
        .collect();
    assert_eq!(firsts, ["no", "yes"]);
    // Proposals that differ from the base only in the swept clause are markers.
    let v = sweep_json(
        d,
        &[
            "--proposal",
            "low",
            "--clause",
            "cap",
            "--from",
            "0",
            "--to",
            "100000",
            "--points",
            "3",
            "--rounds",
            "1000",
        ],
    );
    let mut markers: Vec<(String, f64)> = v["markers"]
        .as_array()
        .expect("markers")
        .iter()
        .map(|m| {
            (
                m["name"].as_str().expect("name").to_string(),
                m["x"].as_f64().expect("x"),
            )
        })
        .collect();
    markers.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(
        markers,
        [
            ("high".to_string(), 80_000.0),
            ("low".to_string(), 20_000.0),
            ("twin".to_string(), 20_000.0)
        ]
    );
}

// ---------------------------------------------------------------------------------------
// Grids.
// ---------------------------------------------------------------------------------------

#[test]
fn two_clause_grid_is_row_major_and_matches_one_dimensional_sweeps() {
    let dir = temp_with("fx.toml", FIXTURE);
    let d = dir.path();
    let rounds = ["--rounds", "2222", "--seed", "4"];
    let cap = [
        "--clause", "cap", "--from", "10000", "--to", "90000", "--points", "5",
    ];
    let level = ["--clause", "level"];
    let on_low = |axes: &[&[&'static str]]| -> Vec<&'static str> {
        let mut args = vec!["--proposal", "low"];
        axes.iter().for_each(|a| args.extend_from_slice(a));
        args.extend(rounds);
        args
    };
    let grid = sweep_json(d, &on_low(&[&cap, &level]));
    let pts = points(&grid);
    assert_eq!(pts.len(), 5 * 3, "points = product of the axes' steps");
    assert_eq!(grid["axes"].as_array().map(Vec::len), Some(2));
    for (i, pt) in pts.iter().enumerate() {
        let cap = 10_000.0 + 20_000.0 * (i / 3) as f64;
        assert_eq!(
            xs(pt),
            vec![cap, (i % 3) as f64],
            "point {i}: last axis fastest"
        );
    }
    // The column at level = low (the base's option) is the 1-D cap sweep on the base.
    let line = sweep_json(d, &on_low(&[&cap]));
    for (k, pt) in points(&line).iter().enumerate() {
        let g = &pts[k * 3];
        assert_eq!(g["agreement"], pt["agreement"], "cap point {k}");
        assert_eq!(g["parties"], pt["parties"], "cap point {k}");
    }
    // The reverse order of the axes transposes the grid.
    let t = sweep_json(d, &on_low(&[&level, &cap]));
    let tp = points(&t);
    assert_eq!(tp.len(), 15);
    for i in 0..5 {
        for j in 0..3 {
            assert_eq!(xs(&tp[j * 5 + i]), vec![j as f64, xs(&pts[i * 3 + j])[0]]);
            assert_eq!(tp[j * 5 + i]["agreement"], pts[i * 3 + j]["agreement"]);
        }
    }
    // The CSV carries both axes.
    let mut csv_args = vec!["sweep", "fx.toml", "--format", "csv"];
    csv_args.extend(on_low(&[&level, &cap]));
    let csv = ok(d, &csv_args);
    check_csv_against_json(&csv, &t, &["level", "cap"]);
}

#[test]
fn clause_and_path_grid() {
    let dir = temp_with("fx.toml", FIXTURE);
    let d = dir.path();
    let grid = sweep_json(
        d,
        &[
            "--path", "low..far", "--points", "4", "--clause", "amnesty", "--rounds", "2000",
        ],
    );
    let pts = points(&grid);
    assert_eq!(pts.len(), 4 * 2);
    let path_x = [0.0, 1.0 / 3.0, 2.0 / 3.0, 1.0];
    for (i, pt) in pts.iter().enumerate() {
        let x = xs(pt);
        assert!((x[0] - path_x[i / 2]).abs() < 1e-12, "point {i}: {x:?}");
        assert_eq!(x[1], (i % 2) as f64, "point {i}: last axis fastest");
    }
    // At x = 0 with amnesty = yes the deal is `low`; at x = 1 with amnesty = no it is `far`.
    assert_point_is_run(
        &pts[1],
        &run_one(d, "fx.toml", "low", "2000", "11"),
        "grid (0, yes)",
    );
    assert_point_is_run(
        &pts[6],
        &run_one(d, "fx.toml", "far", "2000", "11"),
        "grid (1, no)",
    );
    // A clause first and the path second is the same grid, transposed.
    let t = sweep_json(
        d,
        &[
            "--clause", "amnesty", "--path", "low..far", "--points", "4", "--rounds", "2000",
        ],
    );
    let tp = points(&t);
    assert_eq!(tp.len(), 8);
    for i in 0..4 {
        for j in 0..2 {
            assert_eq!(tp[j * 4 + i]["agreement"], pts[i * 2 + j]["agreement"]);
        }
    }
}

// ---------------------------------------------------------------------------------------
// Charts.
// ---------------------------------------------------------------------------------------

#[test]
fn plot_redraws_saved_json_identically_and_refuses_a_csv() {
    let dir = temp_with("fx.toml", FIXTURE);
    let d = dir.path();
    let one_d = [
        "--proposal",
        "low",
        "--clause",
        "cap",
        "--from",
        "0",
        "--to",
        "100000",
        "--points",
        "9",
        "--rounds",
        "2000",
    ];
    let grid = [
        "--proposal",
        "low",
        "--clause",
        "cap",
        "--from",
        "0",
        "--to",
        "100000",
        "--points",
        "4",
        "--clause",
        "level",
        "--rounds",
        "2000",
    ];
    for (label, axes) in [("line", &one_d[..]), ("grid", &grid[..])] {
        for chart in ["b.svg", "b.png"] {
            let mut args = vec!["sweep", "fx.toml"];
            args.extend(axes);
            args.extend(["-o", "saved.json", "--plot", chart]);
            ok(d, &args);
            let again = chart.replace("b.", "a.");
            ok(d, &["plot", "saved.json", "--plot", &again]);
            assert!(
                read(d, chart) == read(d, &again),
                "{label}: `accord plot saved.json --plot {again}` differs from the sweep's {chart}"
            );
        }
    }
    // A CSV holds the estimates but not the axes' labels, markers and options.
    let mut args = vec!["sweep", "fx.toml"];
    args.extend(one_d);
    args.extend(["-o", "saved.csv"]);
    ok(d, &args);
    let out = accord_in(d, &["plot", "saved.csv", "--plot", "c.svg"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        flat(&out.stderr).contains("redraws from the JSON result"),
        "{}",
        out.stderr
    );
    assert!(!d.join("c.svg").exists());
    // The SVG carries the title, the axis label, the legend's names and grouped ticks.
    let mut args = vec!["sweep", "fx.toml"];
    args.extend(one_d);
    args.extend(["--plot", "line.svg"]);
    ok(d, &args);
    let svg = String::from_utf8(read(d, "line.svg")).expect("SVG is UTF-8");
    for needle in [
        "Sweep fixture",
        "cap (troops)",
        "north",
        "south",
        "agreement",
        "low",
        "high",
        "0,000",
    ] {
        assert!(svg.contains(needle), "the SVG lacks {needle:?}");
    }
}

#[test]
fn chart_ticks_read_without_float_noise() {
    let dir = temp_with("fx.toml", FIXTURE);
    let d = dir.path();
    let sweep = |axes: &[&str], chart: &str| {
        let mut args = vec!["sweep", "fx.toml", "--proposal", "low", "--rounds", "400"];
        args.extend(axes);
        args.extend(["--plot", chart, "-o", "out.txt"]);
        ok(d, &args);
        let svg = std::fs::read_to_string(d.join(chart)).expect("the SVG");
        svg_texts(&svg)
    };
    // A real clause from 0.1 to 0.3: steps of binary fractions that do not add up exactly.
    let share = [
        "--clause", "share", "--from", "0.1", "--to", "0.3", "--points", "21",
    ];
    // A whole-number clause from 0 to 70,000, and the two as a grid.
    let cap = [
        "--clause", "cap", "--from", "0", "--to", "70000", "--points", "8",
    ];
    let grid = [&share[..6], &["--points", "5"], &cap[..]].concat();
    for (axes, chart, ticks) in [
        (&share[..], "share.svg", &["0.10", "0.20", "0.30"][..]),
        (&cap[..], "cap.svg", &["0", "70,000"][..]),
        (
            &grid[..],
            "grid.svg",
            &["0.10", "0.15", "0.30", "70,000"][..],
        ),
    ] {
        let texts = sweep(axes, chart);
        for tick in ticks {
            assert!(
                texts.iter().any(|t| t == tick),
                "{chart}: no tick {tick:?} in {texts:?}"
            );
        }
        // A heat-map cell's probability below 0.005 reads 0.00: a rounded estimate, not
        // float noise.
        let noisy: Vec<&String> = texts
            .iter()
            .filter(|t| float_noise(t) && *t != "0.00")
            .collect();
        assert!(noisy.is_empty(), "{chart}: {noisy:?}");
        // Each chart names its run in its legend.
        assert!(
            texts.iter().any(|t| t.contains("400 rounds · seed ")),
            "{chart}: {texts:?}"
        );
    }
    assert!(float_noise("0.30000000000000004") && float_noise("70000.0000"));
    assert!(!float_noise("0.0") && !float_noise("1,000.25") && !float_noise("plan_28"));
}

#[test]
fn png_decodes_at_the_requested_size_and_is_not_blank() {
    let dir = temp_with("fx.toml", FIXTURE);
    let d = dir.path();
    for (axes, name) in [
        (&["--clause", "cap", "--points", "6"][..], "line.png"),
        (
            &["--clause", "cap", "--points", "6", "--clause", "level"][..],
            "grid.png",
        ),
    ] {
        let mut args = vec!["sweep", "fx.toml", "--proposal", "low", "--rounds", "1500"];
        args.extend(axes);
        args.extend(["--plot", name, "--size", "640x420", "-o", "out.txt"]);
        ok(d, &args);
        let bytes = read(d, name);
        let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
        let mut reader = decoder.read_info().expect("a PNG header");
        let mut buf = vec![0; reader.output_buffer_size()];
        let info = reader.next_frame(&mut buf).expect("PNG image data");
        assert_eq!((info.width, info.height), (640, 420), "{name}: size");
        let channels = info.color_type.samples();
        let pixels: Vec<&[u8]> = buf[..info.buffer_size()].chunks(channels).collect();
        assert_eq!(pixels.len(), 640 * 420);
        let background = pixels[0];
        let drawn = pixels.iter().filter(|p| **p != background).count();
        assert!(
            drawn > pixels.len() / 50,
            "{name}: only {drawn} pixels differ from the background"
        );
        let mut colours: Vec<&[u8]> = pixels.clone();
        colours.sort();
        colours.dedup();
        assert!(colours.len() >= 8, "{name}: {} colours", colours.len());
    }
}

// ---------------------------------------------------------------------------------------
// Bad input: exit 2, the flag or value named, no output file and no chart.
// ---------------------------------------------------------------------------------------

#[test]
fn bad_sweeps_are_rejected_without_output() {
    let dir = temp_with("fx.toml", FIXTURE);
    let d = dir.path();
    let cases: &[(&[&str], &[&str])] = &[
        (
            &["--clause", "amnesti"],
            &["--clause amnesti", "did you mean `amnesty`"],
        ),
        (&["--reservation", "nort"], &["--reservation nort", "north"]),
        (
            &["--clause", "cap", "--from", "-5", "--to", "50000"],
            &["--from -5", "cap"],
        ),
        (
            &["--clause", "cap", "--from", "0", "--to", "200000"],
            &["--to 200000", "cap"],
        ),
        (
            &["--reservation", "north", "--from", "0.2", "--to", "1.5"],
            &["--to 1.5"],
        ),
        (&["--clause", "cap", "--points", "1"], &["--points 1"]),
        (&["--path", "low..twin"], &["--path low..twin", "identical"]),
        (&["--path", "low-far"], &["--path low-far", ".."]),
        (&["--path", "low..nowhere"], &["nowhere"]),
        (&["--clause", "cap", "--plot", "x.jpg"], &["x.jpg", ".png"]),
        (&["--clause", "cap", "--plot", "chart"], &["--plot"]),
        (
            &["--clause", "cap", "--clause", "share", "--clause", "level"],
            &["3 axes"],
        ),
        (&["--from", "3", "--clause", "cap"], &["--from 3", "before"]),
        (&["--clause", "cap", "--beyond", "0.2"], &["--beyond"]),
        (&["--clause", "level", "--from", "1"], &["level"]),
        (&["--clause", "cap", "--clause", "cap"], &["axes"]),
        (
            &["--proposal", "lo", "--clause", "cap"],
            &["--proposal lo", "low"],
        ),
        (&["--path", "low..far", "--beyond", "-1"], &["--beyond -1"]),
    ];
    for (extra, expect) in cases {
        let mut args = vec![
            "sweep", "fx.toml", "--rounds", "1000", "--format", "csv", "-o", "out.csv",
        ];
        args.extend(*extra);
        if !extra.contains(&"--plot") {
            args.extend(["--plot", "out.svg"]);
        }
        assert_rejected(d, &args, expect, &["fx.toml"]);
    }
    // `accord plot` with a bad extension or a file that is not a sweep.
    std::fs::write(d.join("junk.csv"), "a,b\n1,2\n").expect("write");
    assert_rejected(
        d,
        &["plot", "junk.csv", "--plot", "out.svg"],
        &["junk.csv"],
        &["fx.toml", "junk.csv"],
    );
    assert_rejected(
        d,
        &["plot", "junk.csv", "--plot", "out.gif"],
        &["out.gif"],
        &["fx.toml", "junk.csv"],
    );
}

// ---------------------------------------------------------------------------------------
// Determinism.
// ---------------------------------------------------------------------------------------

#[test]
fn sweep_output_is_identical_across_thread_counts() {
    let dir = temp_with("fx.toml", FIXTURE);
    let d = dir.path();
    for axes in [
        &["--proposal", "high", "--clause", "cap", "--points", "15"][..],
        &["--path", "low..far", "--points", "5", "--clause", "level"][..],
        &[
            "--proposal",
            "high",
            "--reservation",
            "north",
            "--points",
            "6",
        ][..],
    ] {
        let mut outs = Vec::new();
        for threads in ["1", "2", "4"] {
            let mut args = vec!["sweep", "fx.toml", "--rounds", "9999", "--format", "json"];
            args.extend(axes);
            args.extend(["--threads", threads]);
            outs.push(ok(d, &args));
        }
        assert_eq!(outs[0], outs[1], "{axes:?}: --threads 1 vs 2");
        assert_eq!(outs[0], outs[2], "{axes:?}: --threads 1 vs 4");
        let v: Value = serde_json::from_str(&outs[0]).expect("JSON");
        assert_eq!(v["rounds"], 9999);
    }
}
