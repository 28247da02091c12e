//! `accord calibrate`: known parameters recovered from data simulated by accord itself, the
//! calibrated scenario written with only its fitted numbers changed, the same result for any
//! thread count, held-out waves kept out of the fit and predicted, variants of a proposal
//! (`with`), and bad data or requests refused naming the file, line and column or the flag.

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
    // Calibrating the calibrated file again keeps one record, the latest, which names the
    // first fit as the value before; the rest of the file is unchanged but for the number.
    let again = ok(
        dir.path(),
        &[
            "calibrate",
            "fitted.toml",
            "--data",
            "obs.toml",
            "--fit",
            "p.reservation.mean",
            "--rounds",
            "4000",
            "-o",
            "twice.toml",
        ],
    );
    assert!(again.contains("p.reservation.mean"), "{again}");
    let twice = String::from_utf8(read(dir.path(), "twice.toml")).unwrap();
    let records = |t: &str| t.matches("# CALIBRATED by `accord calibrate`").count();
    assert_eq!((records(&text), records(&twice)), (1, 1), "{twice}");
    let first_fit = text
        .split("p.reservation.mean = ")
        .nth(1)
        .and_then(|s| s.split(' ').next())
        .expect("the first fit in its record");
    assert!(twice.contains(&format!("; was {first_fit})")), "{twice}");
    let body = |t: &str| -> Vec<String> {
        t.lines()
            .filter(|l| !l.starts_with('#') && !l.starts_with("reservation"))
            .map(str::to_string)
            .collect()
    };
    assert_eq!(body(&text), body(&twice));
}

/// `simulated`'s shares with `wave = "…"` lines: `low` and `mid` in wave `a`, `high` in `b`.
fn in_waves(data: &str) -> String {
    data.replace("proposal = \"low\"", "wave = \"a\"\nproposal = \"low\"")
        .replace("proposal = \"mid\"", "wave = \"a\"\nproposal = \"mid\"")
        .replace("proposal = \"high\"", "wave = \"b\"\nproposal = \"high\"")
}

#[test]
fn a_held_out_wave_stays_out_of_the_fit_and_is_predicted() {
    let dir = temp_with("s.toml", &scenario(0.6, 0.3));
    let data = in_waves(&simulated(4000));
    let fit = |data: &str, extra: &[&str]| {
        std::fs::write(dir.path().join("obs.toml"), data).unwrap();
        let mut a = args("p.reservation.mean", "40000", &["--format", "json"]);
        a.extend_from_slice(&["--fit", "p.reservation.sd"]);
        a.extend_from_slice(extra);
        ok_json(dir.path(), &a)
    };
    let held = fit(&data, &["--hold-out", "b"]);
    // Fitted on wave a alone: the same estimates, bit for bit, as without wave b's share.
    let without_b = data
        .split("\n\n")
        .filter(|t| !t.contains("wave = \"b\""))
        .collect::<Vec<_>>()
        .join("\n\n");
    let alone = fit(&without_b, &[]);
    assert_eq!(held["estimates"], alone["estimates"]);
    assert_eq!(held["df"].as_i64(), Some(0));
    // The held-out share is predicted by the true model's fit: inside the far tail.
    let h = &held["held_out"];
    assert_eq!(h["df"].as_i64(), Some(1), "{held:#}");
    assert_eq!(h["waves"], serde_json::json!(["b"]));
    assert!(h["p_value"].as_f64().unwrap() > 1e-6, "{held:#}");
    let high = held["observations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["proposal"] == "high")
        .unwrap();
    assert_eq!(high["held_out"], true);
    assert_eq!(high["wave"], "b");
    // A held-out share far from what the fit implies is a miss, told as such.
    let false_b = data.replace(
        &format!("accept = {}\n", high["observed"].as_f64().unwrap()),
        "accept = 0.05\n",
    );
    assert_ne!(false_b, data, "the held-out share was replaced");
    let miss = fit(&false_b, &["--hold-out", "b"]);
    assert_eq!(miss["estimates"], held["estimates"]);
    assert_eq!(miss["held_out"]["outside"].as_u64(), Some(1));
    assert!(miss["held_out"]["p_value"].as_f64().unwrap() < 1e-6);
    // The table shows the held-out wave in its own block, with the prediction's verdict.
    let dir_table = dir.path();
    std::fs::write(dir_table.join("obs.toml"), &false_b).unwrap();
    let mut a = args("p.reservation.mean", "20000", &["--hold-out", "b"]);
    a.extend_from_slice(&["--fit", "p.reservation.sd"]);
    a.extend_from_slice(&["--plot", "fit.svg"]);
    let table = ok(dir_table, &a);
    // The chart: a row per share, the held-out one among them, each labelled with its n.
    let svg = String::from_utf8(read(dir_table, "fit.svg")).unwrap();
    for label in ["p accepts low (n = 4,000)", "p accepts high (n = 4,000)"] {
        assert!(svg.contains(label), "{label} in the chart");
    }
    assert!(svg.contains("held out: predicted, 95% range for n"));
    assert!(
        table.contains("held out ") && table.contains("predicted"),
        "{table}"
    );
    assert!(
        table
            .lines()
            .all(|l| !l.contains('…') || l.starts_with("p accepts")),
        "{table}"
    );
    assert!(table.contains("1 of 1 outside the range for n"), "{table}");
}

#[test]
fn a_variant_of_a_proposal_is_the_deal_it_describes() {
    // `low` with x = 0.6 is the deal `high`: the same cell, the same fitted probability.
    let dir = temp_with("s.toml", &scenario(0.5, 0.2));
    std::fs::write(
        dir.path().join("obs.toml"),
        "[[share]]\nparty = \"p\"\nproposal = \"high\"\naccept = 0.6\nn = 300\n\n\
         [[share]]\nparty = \"p\"\nproposal = \"low\"\nwith = { x = 0.6 }\naccept = 0.7\nn = 300\n\n\
         [[share]]\nparty = \"p\"\nproposal = \"low\"\naccept = 0.2\nn = 300\n",
    )
    .unwrap();
    let v = ok_json(
        dir.path(),
        &args("p.reservation.mean", "20000", &["--format", "json"]),
    );
    let obs = v["observations"].as_array().unwrap();
    assert_eq!(obs[1]["proposal"], "low with x = 0.6000");
    assert_eq!(obs[1]["label"], "p accepts low with x = 0.6000");
    assert_eq!(obs[0]["fitted"], obs[1]["fitted"]);
    assert_ne!(obs[0]["fitted"], obs[2]["fitted"]);
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
        (
            ("n = 500", "n = 500\nwith = { y = 1 }"),
            ["obs.toml:6:14", "no clause `y`"],
        ),
        (
            ("n = 500", "n = 500\nwith = { x = 2 }"),
            ["obs.toml:6:14", "outside the range"],
        ),
    ] {
        write(&good.replace(from, to));
        assert_rejected(dir.path(), &run("p.reservation.mean"), &expect, &keep);
    }
    // Waves: one named that no observation has; every observation held out.
    write(&format!("{good}wave = \"sep\"\n"));
    for (wave, expect) in [
        ("oct", ["--hold-out \"oct\"", "waves: \"sep\""]),
        ("sep", ["--hold-out \"sep\"", "nothing is left to fit"]),
    ] {
        assert_rejected(
            dir.path(),
            &args("p.reservation.mean", "2000", &["--hold-out", wave]),
            &expect,
            &keep,
        );
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
    assert_rejected(
        dir.path(),
        &args("p.reservation.mean", "2000", &["--plot", "fit.jpg"]),
        &["--plot", "fit.jpg", ".png or .svg"],
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
