//! Estimates conditioned on observed decisions (`--given`): against the bivariate normal
//! orthant probability, consistent with the unconditioned run, deterministic across threads
//! and shards, and refused when the observations are (almost) impossible.

use serde_json::Value;

use crate::common::{accord_in, assert_binomial, assert_rejected, ok, ok_json, read, temp_with};

/// Two parties with threshold rules and reservations drawn from a bivariate normal with
/// correlation `rho`, centred on the one deal's utility (0.5): each accepts with probability
/// 1/2, and both with 1/4 + asin(ρ)/(2π) (the orthant probability), so
/// P(b accepts | a accepts) = 1/2 + asin(ρ)/π. The reservations' sd (0.1) keeps their
/// truncation to [0, 1] five standard deviations away.
fn correlated(rho: f64) -> String {
    format!(
        r#"
[scenario]
name = "correlated reservations"

[clauses.x]
kind = "range"
min = 0
max = 1

[proposals.deal]
x = 0.5

[proposals.other]
x = 0.7

[parties.a]
weights = {{ x = 1 }}
values.x = {{ linear = {{ worst = 0, best = 1 }} }}
reservation = {{ normal = {{ mean = 0.5, sd = 0.1 }} }}

[parties.b]
weights = {{ x = 1 }}
values.x = {{ linear = {{ worst = 0, best = 1 }} }}
reservation = {{ normal = {{ mean = 0.5, sd = 0.1 }} }}

[[correlation]]
params = ["a.reservation", "b.reservation"]
matrix = [[1.0, {rho}], [{rho}, 1.0]]
"#
    )
}

fn accept(v: &Value, proposal: usize, party: usize) -> (u64, u64) {
    let e = &v["results"][proposal]["parties"][party]["accept"];
    let n = e["n"].as_u64().expect("n");
    ((e["p"].as_f64().expect("p") * n as f64).round() as u64, n)
}

#[test]
fn conditioning_reproduces_the_bivariate_normal_orthant_probability() {
    for rho in [0.6, -0.4, 0.0] {
        let dir = temp_with("c.toml", &correlated(rho));
        let v = ok_json(
            dir.path(),
            &[
                "run",
                "c.toml",
                "--rounds",
                "400000",
                "--seed",
                "3",
                "--given",
                "a accepts deal",
                "--format",
                "json",
            ],
        );
        let c = &v["conditioning"];
        assert_eq!(c["given"], serde_json::json!(["a accepts deal"]));
        let kept = c["kept"].as_u64().expect("kept");
        assert_binomial(kept, 400_000, 0.5, "rounds where a accepts");
        let (k, n) = accept(&v, 0, 1);
        assert_eq!(n, kept, "estimates are over the kept rounds");
        let exact = 0.5 + rho.asin() / std::f64::consts::PI;
        assert_binomial(k, n, exact, &format!("P(b accepts | a accepts), rho {rho}"));
        // The observed party accepts the observed deal in every kept round.
        assert_eq!(accept(&v, 0, 0), (kept, kept));
    }
}

#[test]
fn the_kept_rounds_are_those_the_observation_holds_in_and_impossibility_is_refused() {
    let dir = temp_with("c.toml", &correlated(0.5));
    let d = dir.path();
    // Observing "a accepts other" keeps exactly the rounds of the unconditioned run (same
    // seed) in which a accepted `other`.
    let plain = ok_json(
        d,
        &["run", "c.toml", "--rounds", "20000", "--format", "json"],
    );
    let given = ok_json(
        d,
        &[
            "run",
            "c.toml",
            "--rounds",
            "20000",
            "--given",
            "a accepts other",
            "--format",
            "json",
        ],
    );
    let (k_other, _) = accept(&plain, 1, 0);
    assert_eq!(given["conditioning"]["kept"].as_u64(), Some(k_other));
    // An observation no round agrees with: refused, with the figure.
    let never = correlated(0.5).replace("x = 0.7", "x = 0.0");
    std::fs::write(d.join("never.toml"), never).expect("write");
    assert_rejected(
        d,
        &[
            "run",
            "never.toml",
            "--rounds",
            "5000",
            "--given",
            "a accepts other",
        ],
        &[
            "--given \"a accepts other\"",
            "of 5,000 rounds agree",
            "(almost) impossible",
        ],
        &["c.toml", "never.toml"],
    );
}

#[test]
fn conditioned_runs_are_the_same_for_any_thread_count_or_shard_split() {
    let dir = temp_with("c.toml", &correlated(0.3));
    let d = dir.path();
    let args = [
        "run",
        "c.toml",
        "--rounds",
        "9000",
        "--given",
        "b rejects other",
    ];
    let with = |extra: &[&str]| {
        let mut a = args.to_vec();
        a.extend(extra);
        a.extend(["--format", "json"]);
        ok(d, &a)
    };
    let one = with(&["--threads", "1"]);
    assert_eq!(one, with(&["--threads", "3"]));
    for k in 1..=3 {
        let mut a = args.to_vec();
        let shard = format!("{k}/3");
        let out = format!("p{k}.json");
        a.extend(["--shard", &shard, "-o", &out]);
        ok(d, &a);
    }
    let merged = ok(
        d,
        &["merge", "p1.json", "p2.json", "p3.json", "--format", "json"],
    );
    assert_eq!(merged, one, "merged shards give the single run's bytes");
    let part: Value = serde_json::from_slice(&read(d, "p1.json")).expect("JSON");
    assert_eq!(
        part["request"]["given"][0]["party"], "b",
        "a partial records its observations"
    );
}

#[test]
fn observations_name_what_exists_and_apply_to_ratify() {
    let dir = temp_with("c.toml", &correlated(0.3));
    let d = dir.path();
    assert_rejected(
        d,
        &["run", "c.toml", "--given", "c accepts deal"],
        &["--given \"c accepts deal\"", "no party `c`"],
        &["c.toml"],
    );
    assert_rejected(
        d,
        &["run", "c.toml", "--given", "a accepts nothing"],
        &["no proposal `nothing`"],
        &["c.toml"],
    );
    assert_rejected(
        d,
        &["run", "c.toml", "--given", "a likes deal"],
        &["--given", "not an observation"],
        &["c.toml"],
    );
    let alt = crate::common::repo_file("scenarios/three-party-alternating.toml");
    let out = accord_in(
        d,
        &[
            "run",
            alt.to_str().expect("UTF-8"),
            "--given",
            "greens accepts x",
        ],
    );
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("ratify"), "{}", out.stderr);
}
