//! What can be offered: `[clauses.NAME] negotiable` restricts every protocol's offers and
//! amendments, and `accord analyse`, to the listed options or sub-range, while proposals may
//! hold any value.

use crate::common::{accord_in, dynamic_json, location, ok, temp_with};

/// Both parties like `c` best on `pick` and a high `x` on [0, 100], so without a negotiable
/// set every protocol would agree on `c` and 100; the file offers only `a`, `b` and
/// [20, 60].
const BOTH_LIKE_WHAT_IS_OFF_THE_TABLE: &str = r#"
[scenario]
name = "off the table"

[clauses.pick]
kind = "choice"
options = ["a", "b", "c"]
negotiable = ["a", "b"]

[clauses.x]
kind = "range"
min = 0
max = 100
negotiable = [20, 60]

[proposals.start]
pick = "c"
x = 100

[proposals.low]
pick = "a"
x = 0

[parties.one]
weights = { pick = 0.5, x = 0.5 }
values.pick = { table = { a = 0.0, b = 0.5, c = 1.0 } }
values.x = { linear = { worst = 0, best = 100 } }
reservation = 0.1

[parties.two]
weights = { pick = 0.5, x = 0.5 }
values.pick = { table = { a = 0.2, b = 0.6, c = 1.0 } }
values.x = { linear = { worst = 0, best = 100 } }
reservation = 0.1
"#;

/// Asserts that every round of the dynamic result `text` agreed on `b` at 60: the best of
/// what may be offered.
fn agreed_on_b_at_60(text: &str, protocol: &str) {
    let (_, r) = dynamic_json(text);
    assert_eq!(r.agreement.p, 1.0, "{protocol}");
    let pick = r.deal[0].shares.as_ref().expect("shares");
    assert_eq!(pick["c"], 0.0, "{protocol}");
    assert_eq!(pick["b"], 1.0, "{protocol}");
    for q in [r.deal[1].q05, r.deal[1].q50, r.deal[1].q95, r.deal[1].mean] {
        assert_eq!(q, Some(60.0), "{protocol}");
    }
}

fn with_protocol(protocol: &str) -> String {
    format!("{BOTH_LIKE_WHAT_IS_OFF_THE_TABLE}\n[protocol]\n{protocol}\n")
}

#[test]
fn nothing_outside_the_negotiable_set_is_ever_agreed() {
    for protocol in [
        "kind = \"alternating\"\ndeadline = 6",
        "kind = \"equilibrium\"\ndeadline = 4",
    ] {
        let dir = temp_with("n.toml", &with_protocol(protocol));
        let text = ok(
            dir.path(),
            &["run", "n.toml", "--rounds", "500", "--format", "json"],
        );
        // The best offer for both is `b` (c is off the table), at the top of [20, 60].
        agreed_on_b_at_60(&text, protocol);
    }
    // The mediator starts from the proposal (c, 100: off the table, but a proposal may hold
    // it). Both accept it at once: a text nobody rejects is never amended.
    let dir = temp_with(
        "m.toml",
        &with_protocol("kind = \"mediated\"\nstart = \"start\""),
    );
    let (_, r) = dynamic_json(&ok(
        dir.path(),
        &["run", "m.toml", "--rounds", "200", "--format", "json"],
    ));
    assert_eq!(r.deal[0].shares.as_ref().expect("shares")["c"], 1.0);
    // From a start both reject (a, 0: x off the table too), the text is amended only to
    // negotiable values, and agreed within them.
    let src = with_protocol("kind = \"mediated\"\nstart = \"low\"\ndeadline = 40")
        .replace("reservation = 0.1\n", "reservation = 0.3\n");
    let dir = temp_with("m.toml", &src);
    let (_, r) = dynamic_json(&ok(
        dir.path(),
        &["run", "m.toml", "--rounds", "200", "--format", "json"],
    ));
    assert_eq!(r.agreement.p, 1.0);
    assert_eq!(r.deal[0].shares.as_ref().expect("shares")["c"], 0.0);
    for q in [r.deal[1].q05, r.deal[1].q95] {
        let x = q.expect("a quantile");
        assert!((20.0..=60.0).contains(&x), "agreed at {x}");
    }
    let amendments = r.amendments.expect("amendments");
    for f in &amendments.first {
        match f.clause.as_str() {
            "pick" => assert_ne!(f.to, "c"),
            _ => {
                let x = f.to.as_f64().expect("a number");
                assert!((20.0..=60.0).contains(&x), "amended to {x}");
            }
        }
    }
}

#[test]
fn analyse_searches_only_what_may_be_offered() {
    let dir = temp_with("n.toml", BOTH_LIKE_WHAT_IS_OFF_THE_TABLE);
    let text = ok(dir.path(), &["analyse", "n.toml", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    let frontier = v["pareto"]["frontier"].as_array().expect("a frontier");
    assert!(!frontier.is_empty());
    let points = ["nash", "kalai_smorodinsky", "genius_ks", "max_welfare"];
    let solutions = points.iter().map(|k| &v[*k]).filter(|p| !p.is_null());
    for point in frontier.iter().chain(solutions) {
        let deal = &point["deal"];
        assert_ne!(deal["pick"], "c", "{point}");
        let x = deal["x"].as_f64().expect("x");
        assert!((20.0..=60.0).contains(&x), "{point}");
    }
}

#[test]
fn check_shows_what_is_negotiable() {
    let dir = temp_with("n.toml", BOTH_LIKE_WHAT_IS_OFF_THE_TABLE);
    let out = ok(dir.path(), &["check", "n.toml"]);
    assert!(out.contains("negotiable: a | b"), "{out}");
    assert!(out.contains("negotiable: 20 .. 60"), "{out}");
}

#[test]
fn bad_negotiable_sets_are_rejected_at_their_value() {
    let cases: [(&str, &str, &str, &[&str]); 6] = [
        (
            "negotiable = [\"a\", \"b\"]",
            "negotiable = [\"a\", \"zz\"]",
            "\"zz\"",
            &["`zz` is not an option of clause `pick`"],
        ),
        (
            "negotiable = [\"a\", \"b\"]",
            "negotiable = [\"a\", \"a\"]",
            "\"a\"]",
            &["a is listed twice"],
        ),
        (
            "negotiable = [\"a\", \"b\"]",
            "negotiable = []",
            "[]",
            &["nothing is negotiable"],
        ),
        (
            "negotiable = [20, 60]",
            "negotiable = [20, 160]",
            "[20, 160]",
            &["must lie within the clause's range [0, 100]"],
        ),
        (
            "negotiable = [20, 60]",
            "negotiable = [60, 20]",
            "[60, 20]",
            &["lower end not above its upper end"],
        ),
        (
            "negotiable = [20, 60]",
            "negotiable = [20]",
            "[20]",
            &["two numbers"],
        ),
    ];
    for (from, to, needle, expect) in cases {
        let src = BOTH_LIKE_WHAT_IS_OFF_THE_TABLE.replace(from, to);
        let dir = temp_with("bad.toml", &src);
        let out = accord_in(dir.path(), &["check", "bad.toml"]);
        assert_eq!(out.code, 2, "{to}: {}", out.stderr);
        let (line, col) = location(&src, needle);
        let flat = out.stderr.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            flat.contains(&format!("bad.toml:{line}:{col}:")),
            "{to}: expected {line}:{col} in {}",
            out.stderr
        );
        for e in expect {
            assert!(flat.contains(e), "{to}: expected `{e}` in {}", out.stderr);
        }
        assert!(!out.stderr.contains("panicked"));
    }
}

#[test]
fn three_negotiators_offer_only_what_is_negotiable() {
    // A third party of the same mind: the stacked equilibrium among three (over the grid and
    // exactly along x) and alternating offers among three agree on `b` at 60, the best of
    // what may be offered, never on `c` or beyond 60.
    let third = "\n[parties.three]\nweights = { pick = 0.5, x = 0.5 }\nvalues.pick = { table = { a = 0.1, b = 0.7, c = 1.0 } }\nvalues.x = { linear = { worst = 0, best = 100 } }\nreservation = 0.1\n";
    for protocol in [
        "kind = \"equilibrium\"\norder = [\"one\", \"two\", \"three\"]\ndeadline = 4",
        "kind = \"alternating\"\norder = [\"one\", \"two\", \"three\"]\ndeadline = 6",
    ] {
        let src = format!("{BOTH_LIKE_WHAT_IS_OFF_THE_TABLE}{third}\n[protocol]\n{protocol}\n");
        let dir = temp_with("n3.toml", &src);
        let text = ok(
            dir.path(),
            &["run", "n3.toml", "--rounds", "300", "--format", "json"],
        );
        agreed_on_b_at_60(&text, protocol);
    }
}
