//! `accord seeds`: each seed's run, the spread across seeds against the reported intervals,
//! coverage of the truth on a scenario with exactly known acceptance probabilities, the JSON
//! and CSV shapes, and bad seed lists.

use statrs::distribution::{ChiSquared, ContinuousCDF};

use serde_json::Value;

use crate::common::{assert_rejected, ok, ok_json, temp_with};

/// Acceptance probabilities known exactly: `alpha` (threshold rule, reservation uniform on
/// [0.2, 0.8]) faces utility x/100, so accepts with probability (x/100 − 0.2)/0.6 clamped;
/// `beta` (logit rule, temperature 0.1, fixed reservation 0.5) faces 1 − x/100, so accepts
/// with probability 1/(1 + exp(−(0.5 − x/100)/0.1)); independently, so agreement is the
/// product.
const KNOWN: &str = r#"
[scenario]
name = "Known probabilities"

[clauses.x]
kind = "range"
min = 0
max = 100

[proposals.most]
x = 62

[proposals.few]
x = 30

[proposals.sure]
x = 90

[parties.alpha]
veto = true
weights = { x = 1 }
values.x = { linear = { worst = 0, best = 100 } }
reservation = { uniform = [0.2, 0.8] }
accept = "threshold"

[parties.beta]
veto = true
weights = { x = 1 }
values.x = { linear = { worst = 100, best = 0 } }
reservation = 0.5
accept = { logit = { temperature = 0.1 } }

[simulation]
rounds = 2000
seed = 1
"#;

/// The clause value of each proposal of [`KNOWN`].
fn proposal_x(proposal: &str) -> f64 {
    match proposal {
        "most" => 62.0,
        "few" => 30.0,
        "sure" => 90.0,
        other => panic!("unknown proposal {other}"),
    }
}

/// The exact probability of estimate `estimate` (agreement, alpha or beta) at clause value `x`.
fn truth(x: f64, estimate: &str) -> f64 {
    let x = x / 100.0;
    let alpha = ((x - 0.2) / 0.6_f64).clamp(0.0, 1.0);
    let beta = 1.0 / (1.0 + (-((1.0 - x) - 0.5) / 0.1_f64).exp());
    match estimate {
        "alpha" => alpha,
        "beta" => beta,
        "agreement" => alpha * beta,
        other => panic!("unknown estimate {other}"),
    }
}

const SEEDS: usize = 200;

#[test]
fn intervals_cover_the_truth_and_the_spread_matches_them() {
    let dir = temp_with("known.toml", KNOWN);
    let v = ok_json(
        dir.path(),
        &[
            "seeds",
            "known.toml",
            "--seeds",
            "1..=200",
            "--rounds",
            "2000",
            "--format",
            "json",
        ],
    );
    let mut expected = Vec::new();
    for p in ["most", "few", "sure"] {
        for e in ["agreement", "alpha", "beta"] {
            expected.push((p.to_string(), e.to_string()));
        }
    }
    check_seeds_report(&v, &expected, proposal_x);
}

#[test]
fn sweep_points_cover_the_truth_across_seeds() {
    // The spread per point of a sweep: x = 30, 50, 70, 90.
    let dir = temp_with("known.toml", KNOWN);
    let v = ok_json(
        dir.path(),
        &[
            "seeds",
            "known.toml",
            "--seeds",
            "1..=200",
            "--rounds",
            "2000",
            "--proposal",
            "most",
            "--clause",
            "x",
            "--from",
            "30",
            "--to",
            "90",
            "--points",
            "4",
            "--format",
            "json",
        ],
    );
    let mut expected = Vec::new();
    for p in ["x=30", "x=50", "x=70", "x=90"] {
        for e in ["agreement", "alpha", "beta"] {
            expected.push((p.to_string(), e.to_string()));
        }
    }
    // Each seed's estimates are that seed's sweep.
    let sweep = ok_json(
        dir.path(),
        &[
            "sweep",
            "known.toml",
            "--seed",
            "17",
            "--rounds",
            "2000",
            "--proposal",
            "most",
            "--clause",
            "x",
            "--from",
            "30",
            "--to",
            "90",
            "--points",
            "4",
            "--format",
            "json",
        ],
    );
    for (i, point) in sweep["points"]
        .as_array()
        .expect("points")
        .iter()
        .enumerate()
    {
        let est = &v["estimates"];
        assert_eq!(est[3 * i]["per_seed"][16], point["agreement"], "point {i}");
        for p in 0..2 {
            assert_eq!(
                est[3 * i + 1 + p]["per_seed"][16],
                point["parties"][p]["accept"],
                "point {i}"
            );
        }
    }
    check_seeds_report(&v, &expected, |point| {
        point
            .strip_prefix("x=")
            .and_then(|x| x.parse().ok())
            .unwrap_or_else(|| panic!("point name {point}"))
    });
}

/// Checks a 200-seed, 2,000-round report: its labels are `expected`; for each estimate the
/// summary's numbers recompute, the 95% intervals hold the truth (at the clause value `x_of`
/// the label) in 95% ± 5 standard errors of the seeds, the spread matches the standard error
/// within the 1e-6 χ² band, and the verdict is "consistent" ("exact" for a certainty).
fn check_seeds_report(v: &Value, expected: &[(String, String)], x_of: impl Fn(&str) -> f64) {
    assert_eq!(v["rounds"], 2000);
    let seeds: Vec<u64> = v["seeds"]
        .as_array()
        .expect("seeds")
        .iter()
        .map(|s| s.as_u64().expect("seed"))
        .collect();
    assert_eq!(seeds, (1..=200).collect::<Vec<u64>>());
    let estimates = v["estimates"].as_array().expect("estimates");
    // Agreement, then each party, for each proposal or point.
    let labels: Vec<(String, String)> = estimates
        .iter()
        .map(|e| {
            (
                e["proposal"].as_str().expect("proposal").to_string(),
                e["estimate"].as_str().expect("estimate").to_string(),
            )
        })
        .collect();
    assert_eq!(labels, expected);

    // 95% intervals over 200 independent seeds: coverage within 5 binomial standard errors.
    let se = (0.95 * 0.05 / SEEDS as f64).sqrt();
    let k = (SEEDS - 1) as f64;
    let chi = ChiSquared::new(k).expect("χ²");
    let far = [
        (chi.inverse_cdf(1e-6) / k).sqrt(),
        (chi.inverse_cdf(1.0 - 1e-6) / k).sqrt(),
    ];
    let band = [
        (chi.inverse_cdf(0.005) / k).sqrt(),
        (chi.inverse_cdf(0.995) / k).sqrt(),
    ];
    for (e, (proposal, estimate)) in estimates.iter().zip(&labels) {
        let what = format!("{proposal}/{estimate}");
        let p = truth(x_of(proposal), estimate);
        let per_seed = e["per_seed"].as_array().expect("per_seed");
        assert_eq!(per_seed.len(), SEEDS, "{what}");
        let ps: Vec<f64> = per_seed
            .iter()
            .map(|s| {
                assert_eq!(s["n"], 2000, "{what}");
                s["p"].as_f64().expect("p")
            })
            .collect();
        // The summary's numbers, recomputed.
        let mean = ps.iter().sum::<f64>() / SEEDS as f64;
        let spread =
            (ps.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (SEEDS - 1) as f64).sqrt();
        let mean_se = ps
            .iter()
            .map(|x| (x * (1.0 - x) / 2000.0).sqrt())
            .sum::<f64>()
            / SEEDS as f64;
        let close = |key: &str, want: f64| {
            let got = e[key].as_f64().unwrap_or(f64::NAN);
            // Output keeps 12 significant digits: half a unit in the 12th is 5·10⁻¹² of it.
            assert!(
                (got - want).abs() <= 6e-12 * want.abs() + 1e-15,
                "{what}: {key} {got}, recomputed {want}"
            );
        };
        close("mean", mean);
        close("spread", spread);
        close("mean_se", mean_se);
        if p == 1.0 {
            assert!(ps.iter().all(|&x| x == 1.0), "{what}: certain");
            assert_eq!(e["verdict"], "exact", "{what}");
            continue;
        }
        // The mean is within 6 standard errors of the truth.
        let sd_mean = (p * (1.0 - p) / (2000.0 * SEEDS as f64)).sqrt();
        assert!(
            (mean - p).abs() <= 6.0 * sd_mean,
            "{what}: mean {mean} vs truth {p}"
        );
        // Each interval is the 95% Wilson score interval of its count.
        for est in per_seed {
            let n = 2000.0;
            let k = (est["p"].as_f64().expect("p") * n).round();
            let z = 1.959963984540054_f64;
            let centre = (k + z * z / 2.0) / (n + z * z);
            let half = z * (k * (n - k) / n + z * z / 4.0).sqrt() / (n + z * z);
            for (key, want) in [
                ("lo", (centre - half).max(0.0)),
                ("hi", (centre + half).min(1.0)),
            ] {
                let got = est[key].as_f64().expect("bound");
                assert!(
                    (got - want).abs() < 1e-12,
                    "{what}: {key} {got}, Wilson {want}"
                );
            }
        }
        let covered = per_seed
            .iter()
            .filter(|s| s["lo"].as_f64().expect("lo") <= p && p <= s["hi"].as_f64().expect("hi"))
            .count() as f64
            / SEEDS as f64;
        assert!(
            (covered - 0.95).abs() <= 5.0 * se,
            "{what}: the 95% intervals hold the truth {p} in {covered} of seeds"
        );
        let ratio = spread / mean_se;
        close("ratio", ratio);
        assert!(
            ratio > far[0] && ratio < far[1],
            "{what}: spread / standard error {ratio} outside the 1e-6 band {far:?}"
        );
        let reported_band: Vec<f64> = e["band"]
            .as_array()
            .expect("band")
            .iter()
            .map(|b| b.as_f64().expect("number"))
            .collect();
        assert!(
            (reported_band[0] - band[0]).abs() < 1e-9 && (reported_band[1] - band[1]).abs() < 1e-9,
            "{what}: band {reported_band:?}, χ² gives {band:?}"
        );
        let inside = ratio >= band[0] && ratio <= band[1];
        assert_eq!(
            e["verdict"] == "consistent",
            inside,
            "{what}: verdict {} for ratio {ratio} and band {band:?}",
            e["verdict"]
        );
        assert_eq!(e["verdict"], "consistent", "{what}: ratio {ratio}");
    }
}

#[test]
fn each_seed_is_the_run_with_that_seed() {
    let dir = temp_with("known.toml", KNOWN);
    let d = dir.path();
    let v = ok_json(
        d,
        &[
            "seeds",
            "known.toml",
            "--seeds",
            "40,7,13",
            "--rounds",
            "3001",
            "-p",
            "few",
            "-p",
            "most",
            "--format",
            "json",
        ],
    );
    assert_eq!(
        v["seeds"],
        serde_json::json!([40, 7, 13]),
        "list order kept"
    );
    let estimates = v["estimates"].as_array().expect("estimates");
    assert_eq!(estimates.len(), 6);
    assert_eq!(estimates[0]["proposal"], "few");
    for (i, seed) in ["40", "7", "13"].into_iter().enumerate() {
        let run = ok_json(
            d,
            &[
                "run",
                "known.toml",
                "--seed",
                seed,
                "--rounds",
                "3001",
                "-p",
                "few",
                "-p",
                "most",
                "--format",
                "json",
            ],
        );
        for (r, result) in run["results"]
            .as_array()
            .expect("results")
            .iter()
            .enumerate()
        {
            assert_eq!(
                estimates[3 * r]["per_seed"][i],
                result["agreement"],
                "seed {seed}"
            );
            for p in 0..2 {
                assert_eq!(
                    estimates[3 * r + 1 + p]["per_seed"][i],
                    result["parties"][p]["accept"],
                    "seed {seed}"
                );
            }
        }
    }
    // The seeds differ: not every seed gives the same estimate.
    let ps: Vec<&Value> = (0..3).map(|i| &estimates[0]["per_seed"][i]["p"]).collect();
    assert!(ps[0] != ps[1] || ps[1] != ps[2], "{ps:?}");
    // Ranges: exclusive and inclusive ends.
    let a = ok_json(
        d,
        &[
            "seeds",
            "known.toml",
            "--seeds",
            "3..6",
            "--rounds",
            "500",
            "--format",
            "json",
        ],
    );
    let b = ok_json(
        d,
        &[
            "seeds",
            "known.toml",
            "--seeds",
            "3..=5",
            "--rounds",
            "500",
            "--format",
            "json",
        ],
    );
    assert_eq!(a["seeds"], serde_json::json!([3, 4, 5]));
    assert_eq!(a, b);
    // Two seeds are too few for a verdict.
    let two = ok_json(
        d,
        &[
            "seeds",
            "known.toml",
            "--seeds",
            "1..=2",
            "--rounds",
            "500",
            "-p",
            "most",
            "--format",
            "json",
        ],
    );
    assert_eq!(two["estimates"][0]["verdict"], "too_few_seeds");
}

#[test]
fn seeds_csv_and_table_carry_the_json_numbers() {
    let dir = temp_with("known.toml", KNOWN);
    let d = dir.path();
    let args = [
        "seeds",
        "known.toml",
        "--seeds",
        "1..=12",
        "--rounds",
        "1500",
    ];
    let mut a = args.to_vec();
    a.extend(["--format", "json"]);
    let v = ok_json(d, &a);
    let mut a = args.to_vec();
    a.extend(["--format", "csv"]);
    let csv = ok(d, &a);
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("proposal,estimate,seed,p,lo,hi,n,mean,spread,mean_se,ratio,verdict")
    );
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    let estimates = v["estimates"].as_array().expect("estimates");
    assert_eq!(
        rows.len(),
        estimates.len() * 12,
        "one row per estimate and seed"
    );
    let num = |cell: &str| -> Value {
        serde_json::from_str::<Value>(cell).unwrap_or_else(|e| panic!("`{cell}`: {e}"))
    };
    // NaN (the ratio of an exact estimate) is an empty cell in the CSV and null in the JSON.
    let same = |cell: &str, json: &Value, what: &str| {
        if cell.is_empty() {
            assert!(
                json.is_null(),
                "{what}: empty in the CSV, {json} in the JSON"
            );
        } else {
            assert_eq!(num(cell).as_f64(), json.as_f64(), "{what}");
        }
    };
    for (e, est) in estimates.iter().enumerate() {
        for s in 0..12 {
            let row = &rows[e * 12 + s];
            let what = format!("row {}", e * 12 + s);
            assert_eq!(row.len(), 12, "{what}");
            assert_eq!(row[0], est["proposal"], "{what}");
            assert_eq!(row[1], est["estimate"], "{what}");
            assert_eq!(row[2], (s + 1).to_string(), "{what}");
            let per = &est["per_seed"][s];
            same(row[3], &per["p"], &what);
            same(row[4], &per["lo"], &what);
            same(row[5], &per["hi"], &what);
            assert_eq!(row[6], "1500", "{what}");
            same(row[7], &est["mean"], &what);
            same(row[8], &est["spread"], &what);
            same(row[9], &est["mean_se"], &what);
            same(row[10], &est["ratio"], &what);
            let verdict = est["verdict"].as_str().expect("verdict").replace('_', " ");
            assert_eq!(row[11], verdict, "{what}");
        }
    }
    // The table names every proposal and a verdict.
    let table = ok(d, &args);
    for needle in [
        "most",
        "few",
        "sure",
        "alpha",
        "beta",
        "consistent",
        "exact",
    ] {
        assert!(
            table.contains(needle),
            "the table lacks {needle:?}:\n{table}"
        );
    }
}

#[test]
fn bad_seed_lists_are_refused() {
    let dir = temp_with("known.toml", KNOWN);
    let d = dir.path();
    for (seeds, expect) in [
        ("5..5", "empty"),
        ("9..=3", "reversed"),
        ("9..3", "reversed"),
        ("abc", "abc"),
        ("1,2,1", "twice"),
        ("4..=4,5", "4..=4,5"),
        ("1,,2", "1,,2"),
        ("1..", "1.."),
        ("..=5", "..=5"),
        ("", "--seeds"),
        ("0..=20000", "at most"),
    ] {
        assert_rejected(
            d,
            &[
                "seeds",
                "known.toml",
                "--seeds",
                seeds,
                "--rounds",
                "100",
                "--format",
                "json",
                "-o",
                "out.json",
            ],
            &["--seeds", expect],
            &["known.toml"],
        );
    }
    // An unknown proposal names the flag.
    assert_rejected(
        d,
        &[
            "seeds",
            "known.toml",
            "--seeds",
            "1..=3",
            "-p",
            "mots",
            "-o",
            "out.json",
        ],
        &["--proposal mots", "most"],
        &["known.toml"],
    );
}
