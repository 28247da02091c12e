//! `accord calibrate`: known parameters recovered from data simulated by accord itself, the
//! calibrated scenario written with only its fitted numbers changed, the same result for any
//! thread count, and bad data or requests refused naming the file, line and column or the flag.

use serde_json::Value;

use crate::common::{accord_in, assert_rejected, ok, ok_json, read, temp_with};

/// One party whose utility of proposal `low`, `mid`, `high` is 0.3, 0.45, 0.6 (a linear value
/// of one clause), deciding by threshold against a reservation drawn from
/// normal(`mean`, `sd`) truncated to [0, 1]: it accepts a proposal worth u with probability
/// P(reservation ≤ u).
fn scenario(mean: f64, sd: f64) -> String {
    format!(
        r#"# A one-party test scenario.
[scenario]
name = "one reservation"

[clauses.x]
kind = "range"
min = 0
max = 1

[proposals.low]
x = 0.3

[proposals.mid]
x = 0.45

[proposals.high]
x = 0.6

[parties.p]
veto = true
weights = {{ x = 1 }}
values.x = {{ linear = {{ worst = 0, best = 1 }} }}
reservation = {{ normal = {{ mean = {mean}, sd = {sd} }} }}   # kept comment
"#
    )
}

/// Survey data simulated by accord: each proposal's acceptance among `n` rounds of the true
/// scenario, each from its own seed (independent samples, as separate surveys would be).
fn simulated(n: u64) -> String {
    let truth = temp_with("truth.toml", &scenario(0.4, 0.15));
    let mut data = String::from("# simulated by accord from normal(0.4, 0.15)\n");
    for (seed, proposal) in [(101, "low"), (102, "mid"), (103, "high")] {
        let v = ok_json(
            truth.path(),
            &[
                "run",
                "truth.toml",
                "-p",
                proposal,
                "--rounds",
                &n.to_string(),
                "--seed",
                &seed.to_string(),
                "--format",
                "json",
            ],
        );
        let share = v["results"][0]["parties"][0]["accept"]["p"]
            .as_f64()
            .unwrap();
        data.push_str(&format!(
            "\n[[share]]\nparty = \"p\"\nproposal = \"{proposal}\"\naccept = {share}\nn = {n}\n"
        ));
    }
    data
}

/// `accord calibrate s.toml --data obs.toml --fit FIT --rounds ROUNDS EXTRA…`.
fn args<'a>(fit: &'a str, rounds: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut a = vec![
        "calibrate",
        "s.toml",
        "--data",
        "obs.toml",
        "--fit",
        fit,
        "--rounds",
        rounds,
    ];
    a.extend_from_slice(extra);
    a
}

fn estimate<'a>(v: &'a Value, name: &str) -> &'a Value {
    v["estimates"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["name"] == name)
        .unwrap_or_else(|| panic!("no estimate {name}: {v:#}"))
}

#[test]
fn known_parameters_are_recovered_from_data_accord_simulated() {
    let dir = temp_with("s.toml", &scenario(0.6, 0.3));
    std::fs::write(dir.path().join("obs.toml"), simulated(4000)).unwrap();
    let args = |threads: &'static str| {
        vec![
            "calibrate",
            "s.toml",
            "--data",
            "obs.toml",
            "--fit",
            "p.reservation.mean",
            "--fit",
            "p.reservation.sd",
            "--rounds",
            "40000",
            "--threads",
            threads,
            "--format",
            "json",
        ]
    };
    let v = ok_json(dir.path(), &args("1"));
    for (name, truth, start) in [
        ("p.reservation.mean", 0.4, 0.6),
        ("p.reservation.sd", 0.15, 0.3),
    ] {
        let e = estimate(&v, name);
        let (value, lo, hi) = (
            e["value"].as_f64().unwrap(),
            e["lo"].as_f64().unwrap(),
            e["hi"].as_f64().unwrap(),
        );
        assert_eq!(e["start"].as_f64(), Some(start));
        // The profile interval is a 95% interval: 6 of its standard errors is the far tail.
        let se = (hi - lo) / 2.0 / 1.959964;
        assert!(se < 0.02, "{name}: interval [{lo}, {hi}] too wide to test");
        assert!(
            (value - truth).abs() <= 6.0 * se,
            "{name}: {value} vs the true {truth} ({:.1} standard errors)",
            (value - truth) / se
        );
        assert!(lo < value && value < hi, "{name}: {lo} < {value} < {hi}");
    }
    // Three shares, two parameters: one degree of freedom, and a true model fits.
    assert_eq!(v["df"].as_i64(), Some(1));
    assert!(v["p_value"].as_f64().unwrap() > 1e-6, "{v:#}");
    for o in v["observations"].as_array().unwrap() {
        let (fitted, obs) = (
            o["fitted"]["p"].as_f64().unwrap(),
            o["observed"].as_f64().unwrap(),
        );
        assert!((fitted - obs).abs() < 0.05, "{o}");
        assert!(
            o["expected_lo"].as_f64().unwrap() < fitted
                && fitted < o["expected_hi"].as_f64().unwrap()
        );
    }
    // The same bits on more threads.
    assert_eq!(
        ok(dir.path(), &args("3")),
        serde_json::to_string_pretty(&v).unwrap() + "\n"
    );
}

#[test]
fn the_calibrated_scenario_changes_only_the_fitted_numbers_and_records_the_fit() {
    let source = scenario(0.6, 0.3);
    let dir = temp_with("s.toml", &source);
    std::fs::write(
        dir.path().join("obs.toml"),
        "[[share]]\nlabel = \"a poll\"\nparty = \"p\"\nproposal = \"mid\"\naccept = 0.3\nn = 500\n\n[[decision]]\nparty = \"p\"\nproposal = \"high\"\naccepted = true\n",
    )
    .unwrap();
    let table = ok(
        dir.path(),
        &args("p.reservation.mean", "20000", &["-o", "fitted.toml"]),
    );
    assert!(
        table.contains("p.reservation.mean") && table.contains("a poll"),
        "{table}"
    );
    assert!(table.lines().all(|l| l.chars().count() <= 80), "{table}");
    let text = String::from_utf8(read(dir.path(), "fitted.toml")).unwrap();
    let (comment, rest): (Vec<&str>, Vec<&str>) =
        text.lines().partition(|l| l.starts_with("# ") || *l == "#");
    assert!(
        comment
            .iter()
            .any(|l| l.contains("CALIBRATED by `accord calibrate` against obs.toml"))
    );
    assert!(
        comment
            .iter()
            .any(|l| l.contains("a poll: p accepts mid: 0.300 of 500 observed"))
    );
    assert!(comment.iter().any(|l| l.contains("p.reservation.mean = ")));
    // Every other line is the original's, but for the fitted mean, in place, its comment kept.
    let original: Vec<&str> = source.lines().filter(|l| !l.starts_with("# ")).collect();
    assert_eq!(rest.len(), original.len());
    for (a, b) in rest.iter().zip(&original) {
        if b.starts_with("reservation") {
            assert!(
                a.starts_with("reservation = { normal = { mean = 0.")
                    && a.ends_with("sd = 0.3 } }   # kept comment"),
                "{a}"
            );
            assert_ne!(a, b);
        } else {
            assert_eq!(a, b);
        }
    }
    // It is a valid scenario: 30% accepting a deal worth 0.45 with sd 0.3 puts the mean near
    // 0.45 + 0.3 · Φ⁻¹(0.7) ≈ 0.61.
    let check = ok(dir.path(), &["check", "fitted.toml"]);
    let mean: f64 = check
        .split("normal(mean ")
        .nth(1)
        .and_then(|s| s.split(',').next())
        .and_then(|s| s.parse().ok())
        .expect("the fitted mean in `accord check`");
    assert!(mean > 0.55 && mean < 0.7, "{mean}");
}

#[test]
fn bad_data_and_requests_are_refused_with_nothing_written() {
    let dir = temp_with("s.toml", &scenario(0.5, 0.2));
    let write = |text: &str| std::fs::write(dir.path().join("obs.toml"), text).unwrap();
    let run = |fit: &'static str| args(fit, "2000", &["-o", "out.toml"]);
    let keep = ["obs.toml", "s.toml"];
    let good = "[[share]]\nparty = \"p\"\nproposal = \"mid\"\naccept = 0.3\nn = 500\n";
    // Bad data: the message names the data file's line and column.
    for ((from, to), expect) in [
        (
            ("party = \"p\"", "party = \"q\""),
            ["obs.toml:2:9", "no party `q`"],
        ),
        (
            ("accept = 0.3", "accept = 30"),
            ["obs.toml:4:10", "between 0 and 1"],
        ),
        (("n = 500", "size = 500"), ["obs.toml:", "size"]),
    ] {
        write(&good.replace(from, to));
        assert_rejected(dir.path(), &run("p.reservation.mean"), &expect, &keep);
    }
    write(good);
    for (fit, expect) in [
        ("p.reservation.median", "--fit p.reservation.median"),
        ("p.weights.x.lo", "not an uncertain parameter"),
        ("reservation", "not PATH.FIELD"),
    ] {
        assert_rejected(
            dir.path(),
            &run(fit),
            &[expect, "p.reservation.mean"],
            &keep,
        );
    }
    assert_rejected(
        dir.path(),
        &[
            "calibrate",
            "s.toml",
            "--data",
            "obs.toml",
            "--fit",
            "p.reservation.sd",
            "-o",
            "out.json",
        ],
        &["-o out.json", ".toml"],
        &keep,
    );
    let out = accord_in(dir.path(), &args("p.reservation.mean", "3000000", &[]));
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("--rounds 3000000") && out.stderr.contains("2,000,000"),
        "{}",
        out.stderr
    );
}
