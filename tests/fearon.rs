//! Fearon (1995): every split x in [p − c_A, p + c_B] is preferred to war by both states, and
//! no other split is.

use crate::common::{accord, accord_in, repo_file, scenario, simulate, temp_with};

#[test]
fn fearon_scenario_reproduces_the_bargaining_range() {
    let path = repo_file("scenarios/fearon.toml");
    let out = accord(&[
        "run",
        path.to_str().expect("UTF-8 path"),
        "--format",
        "json",
        "--rounds",
        "3000",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).expect("JSON");
    assert_eq!(v["protocol"], "ratify");
    assert_eq!(v["rounds"], 3000);
    assert_eq!(v["seed"], 1995);
    // (proposal, share, agreement, a accepts, b accepts)
    let expected = [
        ("below_range", 0.49, 0.0, 0.0, 1.0),
        ("low_end", 0.5, 1.0, 1.0, 1.0),
        ("midpoint", 0.625, 1.0, 1.0, 1.0),
        ("high_end", 0.75, 1.0, 1.0, 1.0),
        ("above_range", 0.76, 0.0, 1.0, 0.0),
    ];
    let results = v["results"].as_array().expect("results");
    assert_eq!(results.len(), expected.len());
    for (r, (name, x, agree, a, b)) in results.iter().zip(expected) {
        assert_eq!(r["proposal"], name);
        assert_eq!(
            r["agreement"]["p"].as_f64(),
            Some(agree),
            "{name}: agreement"
        );
        assert_eq!(r["agreement"]["n"], 3000);
        // Wilson interval of 0/n or n/n: one end is exact.
        if agree == 1.0 {
            assert_eq!(r["agreement"]["hi"].as_f64(), Some(1.0));
            assert!(r["agreement"]["lo"].as_f64().expect("lo") > 0.998);
        } else {
            assert_eq!(r["agreement"]["lo"].as_f64(), Some(0.0));
            assert!(r["agreement"]["hi"].as_f64().expect("hi") < 0.002);
        }
        let parties = r["parties"].as_array().expect("parties");
        assert_eq!(parties[0]["party"], "a");
        assert_eq!(parties[1]["party"], "b");
        assert_eq!(parties[0]["accept"]["p"].as_f64(), Some(a), "{name}: a");
        assert_eq!(parties[1]["accept"]["p"].as_f64(), Some(b), "{name}: b");
        // A's utility is its share, B's the rest; margins are against p − c_A and 1 − p − c_B.
        let ua = parties[0]["mean_utility"].as_f64().expect("utility");
        let ub = parties[1]["mean_utility"].as_f64().expect("utility");
        assert!(
            (ua - x).abs() < 1e-9 && (ub - (1.0 - x)).abs() < 1e-9,
            "{name}: utilities {ua} {ub}"
        );
        let ma = parties[0]["mean_margin"].as_f64().expect("margin");
        let mb = parties[1]["mean_margin"].as_f64().expect("margin");
        assert!(
            (ma - (x - 0.5)).abs() < 1e-9 && (mb - (0.75 - x)).abs() < 1e-9,
            "{name}: margins {ma} {mb}"
        );
    }
}

/// Fearon with A's win probability p and war costs c_A, c_B, proposals at `shares`.
fn fearon(p: f64, ca: f64, cb: f64, shares: &[(String, f64)]) -> String {
    let mut s = format!(
        "[scenario]\nname = \"Fearon p = {p}\"\n[clauses.share_a]\nkind = \"range\"\nmin = 0.0\nmax = 1.0\n\
         [parties.a]\nweights = {{ share_a = 1.0 }}\nvalues.share_a = {{ linear = {{ worst = 0.0, best = 1.0 }} }}\n\
         reservation = {:?}\n\
         [parties.b]\nweights = {{ share_a = 1.0 }}\nvalues.share_a = {{ linear = {{ worst = 1.0, best = 0.0 }} }}\n\
         reservation = {:?}\n",
        p - ca,
        1.0 - p - cb
    );
    for (name, x) in shares {
        s += &format!("[proposals.{name}]\nshare_a = {x:?}\n");
    }
    s
}

#[test]
fn another_fearon_range_has_exact_ends() {
    // p = 0.625, c_A = 0.125, c_B = 0.25: the range is [0.5, 0.875], every number exact in binary.
    let eps = 2f64.powi(-20);
    let shares: Vec<(String, f64)> = [
        ("below", 0.5 - eps),
        ("low_end", 0.5),
        ("inside", 0.7),
        ("high_end", 0.875),
        ("above", 0.875 + eps),
        ("far_below", 0.1),
        ("far_above", 0.99),
    ]
    .into_iter()
    .map(|(n, x)| (n.to_string(), x))
    .collect();
    let dir = temp_with("f.toml", &fearon(0.625, 0.125, 0.25, &shares));
    let out = accord_in(
        dir.path(),
        &[
            "run",
            "f.toml",
            "--format",
            "json",
            "--rounds",
            "2000",
            "--threads",
            "2",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).expect("JSON");
    for r in v["results"].as_array().expect("results") {
        let name = r["proposal"].as_str().expect("name");
        let x = shares
            .iter()
            .find(|(n, _)| n == name)
            .expect("known proposal")
            .1;
        let inside = (0.5..=0.875).contains(&x);
        assert_eq!(
            r["agreement"]["p"].as_f64(),
            Some(if inside { 1.0 } else { 0.0 }),
            "{name} (x = {x})"
        );
    }
}

#[test]
fn fearon_range_on_a_grid_through_the_library() {
    // Shares k/64 for k = 0..=64, with p = 0.6875, c_A = 0.0625, c_B = 0.125 → [0.625, 0.8125].
    let shares: Vec<(String, f64)> = (0..=64)
        .map(|k| (format!("k{k}"), k as f64 / 64.0))
        .collect();
    let s = scenario(&fearon(0.6875, 0.0625, 0.125, &shares));
    let (tally, results) = simulate(&s, 1500, 3, Some(2));
    for (d, (name, x)) in shares.iter().enumerate() {
        let inside = *x >= 0.625 && *x <= 0.8125;
        assert_eq!(
            tally.agree[d],
            if inside { 1500 } else { 0 },
            "{name}: x = {x}"
        );
        assert_eq!(results[d].agreement.p, if inside { 1.0 } else { 0.0 });
    }
    assert_eq!(
        tally.agree.iter().filter(|&&k| k == 1500).count(),
        13,
        "shares 40/64 ..= 52/64"
    );
}
