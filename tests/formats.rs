//! Output formats: the JSON shape scripts read, the CSV columns, the 80-column table.

use serde_json::Value;

use crate::common::{accord_in, repo_file, temp_with};
use crate::determinism::RICH;

fn keys(v: &Value) -> Vec<&str> {
    v.as_object()
        .expect("an object")
        .keys()
        .map(String::as_str)
        .collect()
}

fn assert_estimate(e: &Value, n: u64) {
    assert_eq!(keys(e), ["p", "lo", "hi", "n"], "estimate {e}");
    let (p, lo, hi) = (
        e["p"].as_f64().expect("p"),
        e["lo"].as_f64().expect("lo"),
        e["hi"].as_f64().expect("hi"),
    );
    assert!(
        (0.0..=1.0).contains(&p) && lo <= p && p <= hi && lo >= 0.0 && hi <= 1.0,
        "{e}"
    );
    assert_eq!(e["n"].as_u64(), Some(n));
    // Wilson score interval around k = p·n.
    let z = 1.959963984540054_f64;
    let (k, nf) = ((p * n as f64).round(), n as f64);
    let centre = (k + z * z / 2.0) / (nf + z * z);
    let half = z * (k * (nf - k) / nf + z * z / 4.0).sqrt() / (nf + z * z);
    assert!(
        (lo - (centre - half).max(0.0)).abs() < 1e-12
            && (hi - (centre + half).min(1.0)).abs() < 1e-12,
        "{e}"
    );
}

#[test]
fn json_has_the_documented_shape() {
    let dir = temp_with("rich.toml", RICH);
    let out = accord_in(
        dir.path(),
        &[
            "run",
            "rich.toml",
            "--format",
            "json",
            "--rounds",
            "4099",
            "--seed",
            "5",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.ends_with('\n'));
    let v: Value = serde_json::from_str(&out.stdout).expect("JSON");
    assert_eq!(
        keys(&v),
        [
            "scenario",
            "protocol",
            "seed",
            "rounds",
            "seed_contract",
            "results"
        ]
    );
    assert_eq!(v["seed_contract"], accord::sim::seed::SEED_CONTRACT);
    assert_eq!(v["scenario"], "Determinism fixture");
    assert_eq!(v["protocol"], "ratify");
    assert_eq!(v["seed"], 5);
    assert_eq!(v["rounds"], 4099);
    let results = v["results"].as_array().expect("array");
    let names: Vec<&str> = results
        .iter()
        .map(|r| r["proposal"].as_str().expect("name"))
        .collect();
    assert_eq!(names, ["plan_28", "plan_19", "status_quo"]);
    for r in results {
        assert_eq!(keys(r), ["proposal", "agreement", "parties"]);
        assert_estimate(&r["agreement"], 4099);
        let parties = r["parties"].as_array().expect("array");
        let names: Vec<&str> = parties
            .iter()
            .map(|p| p["party"].as_str().expect("name"))
            .collect();
        assert_eq!(names, ["ukraine", "russia", "usa", "europe"]);
        let mut all_vetoes = 1.0_f64;
        for p in parties {
            let k = keys(p);
            for required in ["party", "accept", "mean_utility", "mean_margin"] {
                assert!(k.contains(&required), "party lacks {required}: {p}");
            }
            assert_estimate(&p["accept"], 4099);
            // Utility is on [0, 1], or on [1 − λ, 1] for a party with a reference point
            // (RICH's ukraine: λ ≤ 2.5, so down to −1.5); the reservation is on [0, 1].
            let u = p["mean_utility"].as_f64().expect("number");
            let floor = if p["party"] == "ukraine" { -1.5 } else { 0.0 };
            assert!((floor..=1.0).contains(&u), "{p}");
            let margin = p["mean_margin"].as_f64().expect("number");
            assert!((floor - 1.0..=1.0).contains(&margin), "{p}");
            if p["veto"] == true {
                all_vetoes = all_vetoes.min(p["accept"]["p"].as_f64().expect("p"));
            }
        }
        // Agreement needs every veto: it is at most the least likely veto's acceptance.
        assert!(
            r["agreement"]["p"].as_f64().expect("p") <= all_vetoes,
            "{r}"
        );
    }
}

#[test]
fn csv_has_a_header_and_a_row_per_proposal() {
    let dir = temp_with("rich.toml", RICH);
    let args = ["run", "rich.toml", "--rounds", "2048", "--seed", "3"];
    let csv = accord_in(dir.path(), &[&args[..], &["--format", "csv"][..]].concat());
    let json = accord_in(dir.path(), &[&args[..], &["--format", "json"][..]].concat());
    assert_eq!(csv.code, 0, "{}", csv.stderr);
    let lines: Vec<&str> = csv.stdout.lines().collect();
    assert!(
        lines[0].starts_with("proposal,agreement,agreement_lo,agreement_hi,n,accept_ukraine,"),
        "header: {}",
        lines[0]
    );
    let header: Vec<&str> = lines[0].split(',').collect();
    assert_eq!(
        header.len(),
        5 + 5 * 4,
        "five columns per party: {header:?}"
    );
    for party in ["ukraine", "russia", "usa", "europe"] {
        assert!(
            header.contains(&format!("accept_{party}").as_str()),
            "{header:?}"
        );
    }
    assert_eq!(lines.len(), 4, "header and one row per proposal");
    let v: Value = serde_json::from_str(&json.stdout).expect("JSON");
    for (row, r) in lines[1..]
        .iter()
        .zip(v["results"].as_array().expect("results"))
    {
        let cells: Vec<&str> = row.split(',').collect();
        assert_eq!(cells.len(), header.len());
        assert_eq!(cells[0], r["proposal"].as_str().expect("name"));
        let num = |i: usize| {
            cells[i]
                .parse::<f64>()
                .unwrap_or_else(|_| panic!("cell {i} of {row}"))
        };
        // serde_json's default float parser may be 1 ulp off; compare to a few ulps.
        let same = |i: usize, j: &Value| {
            let (a, b) = (num(i), j.as_f64().expect("number"));
            assert!(
                (a - b).abs() <= 4.0 * f64::EPSILON * a.abs().max(b.abs()),
                "cell {i}: {a} vs {b}"
            );
        };
        same(1, &r["agreement"]["p"]);
        same(2, &r["agreement"]["lo"]);
        same(3, &r["agreement"]["hi"]);
        assert_eq!(cells[4], "2048");
        same(5, &r["parties"][0]["accept"]["p"]);
        same(8, &r["parties"][0]["mean_utility"]);
        same(9, &r["parties"][0]["mean_margin"]);
        same(10, &r["parties"][1]["accept"]["p"]);
    }
}

fn assert_fits_80(table: &str) {
    assert!(!table.is_empty());
    let wide: Vec<String> = table
        .lines()
        .filter(|l| l.chars().count() > 80)
        .map(|l| format!("{} characters: {l:?}", l.chars().count()))
        .collect();
    assert!(
        wide.is_empty(),
        "lines wider than 80 columns:\n{}",
        wide.join("\n")
    );
}

#[test]
fn table_fits_80_columns() {
    let path = repo_file("scenarios/fearon.toml");
    let dir = temp_with("rich.toml", RICH);
    let fearon = accord_in(
        dir.path(),
        &["run", path.to_str().expect("UTF-8"), "--rounds", "1000"],
    );
    assert_eq!(fearon.code, 0, "{}", fearon.stderr);
    assert!(fearon.stdout.contains("below_range") && fearon.stdout.contains("agreement"));
    assert_fits_80(&fearon.stdout);
    let rich = accord_in(dir.path(), &["run", "rich.toml", "--rounds", "1000"]);
    assert_eq!(rich.code, 0, "{}", rich.stderr);
    assert_fits_80(&rich.stdout);
}

#[test]
fn table_fits_80_columns_with_long_names_and_a_large_seed() {
    // Long user-chosen names and a 20-digit seed (a random 64-bit seed) must not overflow.
    let long = "A scenario whose name is long enough to need more than eighty characters of width";
    let src = RICH
        .replace("Determinism fixture", long)
        .replace("plan_28", "a_proposal_name_that_goes_on_and_on_and_on")
        .replace(
            "[parties.usa]",
            "[parties.united_states_of_america_and_friends]",
        );
    let dir = temp_with("long.toml", &src);
    let out = accord_in(
        dir.path(),
        &[
            "run",
            "long.toml",
            "--rounds",
            "20000",
            "--seed",
            "18446744073709551615",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_fits_80(&out.stdout);
}
