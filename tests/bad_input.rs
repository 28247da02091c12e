//! Bad input: exit code 2, a message naming the file, line and column (or the flag), and no
//! output file left behind.

use std::path::Path;

use crate::common::{Output, accord_in, flat, location, repo_file, temp_with};

const BASE: &str = r#"[scenario]
name = "bad"

[clauses.troops]
kind = "range"
min = 0
max = 100

[clauses.level]
kind = "choice"
options = ["low", "high"]

[proposals.deal]
troops = 50
level = "low"

[parties.a]
weights = { troops = 1, level = 1 }
values.troops = { linear = { worst = 0, best = 100 } }
values.level = { table = { low = 0.0, high = 1.0 } }
reservation = 0.5

[parties.b]
weights = { troops = 1 }
values.troops = { linear = { worst = 100, best = 0 } }
reservation = { normal = { mean = 0.4, sd = 0.1 } }
"#;

/// Two more parties with uncertain reservations, for correlation groups.
const MORE: &str = r#"
[parties.c]
veto = false
weights = { troops = 1 }
values.troops = { linear = { worst = 0, best = 100 } }
reservation = { uniform = [0.2, 0.8] }

[parties.d]
veto = false
weights = { troops = 1 }
values.troops = { linear = { worst = 0, best = 100 } }
reservation = { beta = { a = 2, b = 2 } }
"#;

/// Runs `accord run FILE --format json -o out.json` on `source` and checks the failure: exit
/// code 2, `FILE:LINE:COL` of `needle` (shifted right by `shift` columns), every one of
/// `expect` in the message, and no `out.json`.
fn rejects(file: &str, source: &str, needle: &str, shift: usize, expect: &[&str]) -> Output {
    let dir = temp_with(file, source);
    let out = accord_in(
        dir.path(),
        &[
            "run", file, "--format", "json", "-o", "out.json", "--rounds", "100",
        ],
    );
    let (line, col) = location(source, needle);
    let col = col + shift;
    let text = flat(&out.stderr);
    assert_eq!(
        out.code, 2,
        "exit code for {expect:?}; stderr:\n{}",
        out.stderr
    );
    assert!(out.stdout.is_empty(), "nothing on stdout: {}", out.stdout);
    let at = format!("{file}:{line}:{col}:");
    assert!(
        text.contains(&at),
        "expected `{at}` in stderr:\n{}",
        out.stderr
    );
    for e in expect {
        assert!(
            text.contains(e),
            "expected `{e}` in stderr:\n{}",
            out.stderr
        );
    }
    assert!(!out.stderr.contains("panicked"), "{}", out.stderr);
    assert!(
        !dir.path().join("out.json").exists(),
        "out.json must not exist after a failure"
    );
    out
}

/// BASE with one exact line replaced (the line must exist).
fn edit(from: &str, to: &str) -> String {
    let with_newline = format!("\n{from}\n");
    assert_eq!(
        BASE.matches(&with_newline).count(),
        1,
        "BASE has exactly one line {from:?}"
    );
    BASE.replacen(&with_newline, &format!("\n{to}\n"), 1)
}

#[test]
fn toml_syntax_error() {
    let src = edit("[clauses.level]", "[clauses.level");
    rejects(
        "bad.toml",
        &src,
        "[clauses.level",
        "[clauses.level".len(),
        &["unclosed table"],
    );
}

#[test]
fn unknown_key_suggests_the_right_one() {
    let src = edit("weights = { troops = 1 }", "weigths = { troops = 1 }");
    rejects(
        "bad.toml",
        &src,
        "weigths",
        0,
        &["unknown field `weigths`", "did you mean `weights`?"],
    );
    let src = format!("{BASE}\n[simulaton]\nrounds = 5\n");
    rejects(
        "bad.toml",
        &src,
        "simulaton",
        0,
        &["unknown field `simulaton`", "did you mean `simulation`?"],
    );
    let src = edit(
        "reservation = { normal = { mean = 0.4, sd = 0.1 } }",
        "reservation = { normal = { mean = 0.4, sdd = 0.1 } }",
    );
    rejects(
        "bad.toml",
        &src,
        "sdd",
        0,
        &["unknown field `sdd`", "did you mean `sd`?"],
    );
}

#[test]
fn proposal_naming_an_unknown_clause() {
    let src = edit("troops = 50", "troops = 50\ntrops = 60");
    rejects(
        "bad.toml",
        &src,
        "trops = 60",
        0,
        &["unknown clause `trops`", "did you mean `troops`?"],
    );
}

#[test]
fn unknown_option_of_a_choice_clause() {
    let src = edit("level = \"low\"", "level = \"hihg\"");
    rejects(
        "bad.toml",
        &src,
        "\"hihg\"",
        0,
        &[
            "`hihg` is not an option of clause `level`",
            "did you mean `high`?",
        ],
    );
}

#[test]
fn proposal_missing_a_clause() {
    let src = edit("level = \"low\"", "");
    rejects(
        "bad.toml",
        &src,
        "[proposals.deal]",
        0,
        &["proposal `deal` has no value for clause `level`"],
    );
}

#[test]
fn value_outside_a_clause_range() {
    let src = edit("troops = 50", "troops = 150");
    rejects(
        "bad.toml",
        &src,
        "150",
        0,
        &["outside the range of clause `troops`", "0 .. 100"],
    );
}

#[test]
fn negative_weight() {
    let src = edit(
        "weights = { troops = 1, level = 1 }",
        "weights = { troops = -2, level = 1 }",
    );
    rejects(
        "bad.toml",
        &src,
        "-2",
        0,
        &["must be a number >= 0, got -2"],
    );
}

#[test]
fn all_weights_zero() {
    let src = edit(
        "weights = { troops = 1, level = 1 }",
        "weights = { troops = 0, level = 0.0 }",
    );
    rejects(
        "bad.toml",
        &src,
        "{ troops = 0, level = 0.0 }",
        0,
        &["party `a` has no positive weight"],
    );
}

#[test]
fn impossible_distribution_parameters() {
    let b = "reservation = { normal = { mean = 0.4, sd = 0.1 } }";
    let cases = [
        (
            "{ normal = { mean = 0.4, sd = -0.1 } }",
            "normal sd must be >= 0, got -0.1",
        ),
        ("{ uniform = [0.6, 0.2] }", "uniform needs lo <= hi"),
        ("{ beta = { a = 0, b = 2 } }", "beta needs a > 0 and b > 0"),
        (
            "{ beta = { a = -1.5, b = 2 } }",
            "beta needs a > 0 and b > 0",
        ),
        (
            "{ triangular = [0.1, 0.9, 0.5] }",
            "triangular needs lo <= mode <= hi",
        ),
        (
            "{ lognormal = { mu = 0.0, sigma = -1 } }",
            "lognormal sigma must be >= 0",
        ),
        (
            "{ normal = { mean = nan, sd = 0.1 } }",
            "mean must be a finite number",
        ),
        (
            "{ normal = { mean = 0.4, sd = inf } }",
            "sd must be a finite number",
        ),
        ("{ uniform = [-inf, 0.5] }", "lo must be a finite number"),
        (
            "{ normal = { mean = 5.0, sd = 0.1 } }",
            "puts no mass in the valid range",
        ),
        ("{ gamma = { k = 1 } }", "unknown variant `gamma`"),
    ];
    for (dist, message) in cases {
        let src = edit(b, &format!("reservation = {dist}"));
        rejects("bad.toml", &src, dist, 0, &[message]);
    }
}

#[test]
fn nan_and_inf_in_a_parameter() {
    let src = edit("reservation = 0.5", "reservation = nan");
    rejects(
        "bad.toml",
        &src,
        "nan",
        0,
        &["`reservation` must be a number in [0, 1], got NaN"],
    );
    let src = edit("reservation = 0.5", "reservation = inf");
    rejects(
        "bad.toml",
        &src,
        "inf",
        0,
        &["`reservation` must be a number in [0, 1], got inf"],
    );
    let src = edit(
        "weights = { troops = 1, level = 1 }",
        "weights = { troops = 1, level = inf }",
    );
    rejects(
        "bad.toml",
        &src,
        "inf",
        0,
        &["must be a number >= 0, got inf"],
    );
}

#[test]
fn nan_and_inf_in_a_clause_bound() {
    let src = edit("max = 100", "max = nan");
    rejects(
        "bad.toml",
        &src,
        "nan",
        0,
        &["max must be a finite number, not NaN"],
    );
    let src = edit("min = 0", "min = -inf");
    rejects(
        "bad.toml",
        &src,
        "-inf",
        0,
        &["min must be a finite number, not -inf"],
    );
}

#[test]
fn bad_correlation_matrices() {
    let group = |params: &str, matrix: &str| {
        format!("{BASE}{MORE}\n[[correlation]]\nparams = {params}\nmatrix = {matrix}\n")
    };
    let two = r#"["b.reservation", "c.reservation"]"#;
    let three = r#"["b.reservation", "c.reservation", "d.reservation"]"#;
    let m = "[[1.0, 0.5], [0.4, 1.0]]";
    rejects("bad.toml", &group(two, m), m, 0, &["not symmetric"]);
    let m = "[[1.0, 0.5], [0.5, 0.9]]";
    rejects(
        "bad.toml",
        &group(two, m),
        m,
        0,
        &["diagonal entry (2, 2) is 0.9"],
    );
    let m = "[[1, 0.9, -0.9], [0.9, 1, 0.9], [-0.9, 0.9, 1]]";
    rejects(
        "bad.toml",
        &group(three, m),
        m,
        0,
        &["not positive definite"],
    );
    let m = "[[1.0, 1.5], [1.5, 1.0]]";
    rejects(
        "bad.toml",
        &group(two, m),
        m,
        0,
        &["not a correlation in [-1, 1]"],
    );
    let m = "[[1.0, 0.5, 0.0], [0.5, 1.0, 0.0]]";
    rejects("bad.toml", &group(two, m), m, 0, &["must be 2 × 2"]);
    // A parameter that does not exist.
    let params = r#"["b.reservation", "z.reservation"]"#;
    rejects(
        "bad.toml",
        &group(params, "[[1.0, 0.5], [0.5, 1.0]]"),
        "\"z.reservation\"",
        0,
        &["unknown uncertain parameter `z.reservation`"],
    );
}

#[test]
fn other_validation_errors_point_at_their_key() {
    let src = edit(
        "reservation = 0.5",
        "reservation = 0.5\nloss_aversion = 2.0",
    );
    rejects(
        "bad.toml",
        &src,
        "loss_aversion",
        0,
        &["loss_aversion needs a reference proposal"],
    );
    let src = edit(
        "reservation = 0.5",
        "reservation = 0.5\nreference = \"dael\"",
    );
    rejects(
        "bad.toml",
        &src,
        "\"dael\"",
        0,
        &["unknown proposal `dael`", "did you mean `deal`?"],
    );
    let src = format!("{BASE}\n[simulation]\nrounds = 0\n");
    rejects(
        "bad.toml",
        &src,
        "rounds = 0",
        "rounds = ".len(),
        &["rounds must be from 1 to 1,000,000,000,000"],
    );
    let src = edit(
        "values.level = { table = { low = 0.0, high = 1.0 } }",
        "values.level = { table = { low = 0.0, hgh = 1.0 } }",
    );
    rejects(
        "bad.toml",
        &src,
        "hgh",
        0,
        &["unknown option `hgh`", "did you mean `high`?"],
    );
    let src = format!("{BASE}\n[protocol]\nkind = \"ratify\"\nproposals = [\"deal\", \"dael\"]\n");
    rejects(
        "bad.toml",
        &src,
        "\"dael\"",
        0,
        &["unknown proposal `dael`", "did you mean `deal`?"],
    );
    let src = format!("{BASE}\n[protocol]\nkind = \"ratfy\"\n");
    rejects(
        "bad.toml",
        &src,
        "\"ratfy\"",
        0,
        &["unknown protocol `ratfy`", "did you mean `ratify`?"],
    );
}

const JSON_OK: &str = r#"{
  "scenario": {"name": "json"},
  "clauses": {"x": {"kind": "range", "min": 0, "max": 1}},
  "proposals": {"p1": {"x": 0.5}},
  "parties": {
    "a": {
      "weights": {"x": 1},
      "values": {"x": {"linear": {"worst": 0, "best": 1}}},
      "reservation": 0.25
    }
  }
}
"#;

#[test]
fn json_syntax_error() {
    let src = JSON_OK.replace(
        "\"reservation\": 0.25\n    }",
        "\"reservation\": 0.25,\n    } ",
    );
    rejects("bad.json", &src, "} \n", 0, &["trailing comma"]);
    let src = JSON_OK.replace("\"max\": 1}", "\"max\": 1");
    let out = accord_in(temp_with("bad.json", &src).path(), &["run", "bad.json"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("bad.json:"), "{}", out.stderr);
}

#[test]
fn json_validation_error() {
    let src = JSON_OK.replace("\"reservation\": 0.25", "\"reservation\": 1.5");
    rejects(
        "bad.json",
        &src,
        "1.5",
        0,
        &["`reservation` must be a number in [0, 1], got 1.5"],
    );
    // serde_json reports where it stopped reading: the key's closing quote.
    let src = JSON_OK.replace("\"weights\"", "\"weigths\"");
    rejects(
        "bad.json",
        &src,
        "\"weigths\"",
        "\"weigths".len(),
        &["unknown field `weigths`", "did you mean `weights`?"],
    );
    // And the valid file runs.
    let out = accord_in(
        temp_with("ok.json", JSON_OK).path(),
        &["run", "ok.json", "--rounds", "10", "--format", "json"],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
}

/// Runs `accord ARGS -o out.json` in a folder holding a valid scenario `ok.toml`.
fn flag_rejected(args: &[&str], expect: &[&str]) {
    let dir = temp_with("ok.toml", BASE);
    let mut all = args.to_vec();
    all.extend(["-o", "out.json"]);
    let out = accord_in(dir.path(), &all);
    assert_eq!(out.code, 2, "{args:?}: {}", out.stderr);
    let text = flat(&out.stderr);
    for e in expect {
        assert!(
            text.contains(e),
            "{args:?}: expected `{e}` in:\n{}",
            out.stderr
        );
    }
    assert!(!out.stderr.contains("panicked"), "{}", out.stderr);
    assert!(out.stdout.is_empty());
    assert!(
        !dir.path().join("out.json").exists(),
        "{args:?} left out.json"
    );
}

#[test]
fn bad_flags_name_the_flag() {
    flag_rejected(
        &["run", "ok.toml", "--rounds", "0"],
        &["--rounds", "at least 1"],
    );
    flag_rejected(&["run", "ok.toml", "--rounds", "abc"], &["--rounds", "abc"]);
    flag_rejected(&["run", "ok.toml", "--rounds", "-5"], &["-5"]);
    flag_rejected(&["run", "ok.toml", "--threads", "0"], &["--threads"]);
    flag_rejected(&["run", "ok.toml", "--seed", "x"], &["--seed"]);
    flag_rejected(
        &["run", "ok.toml", "--format", "xml"],
        &["--format", "json"],
    );
    flag_rejected(
        &["run", "ok.toml", "--proposal", "dael"],
        &["--proposal", "dael", "did you mean `deal`?"],
    );
    flag_rejected(&["run", "ok.toml", "--bogus"], &["--bogus"]);
    flag_rejected(&["frobnicate", "ok.toml"], &["frobnicate"]);
}

#[test]
fn missing_and_unreadable_files() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir(dir.path().join("folder.toml")).expect("mkdir");
    for (file, what) in [
        ("missing.toml", "missing.toml"),
        ("folder.toml", "folder.toml"),
    ] {
        for args in [vec!["run", file, "-o", "out.json"], vec!["check", file]] {
            let out = accord_in(dir.path(), &args);
            assert_eq!(out.code, 2, "{args:?}: {}", out.stderr);
            assert!(
                out.stderr.contains(what) && out.stderr.contains("cannot read"),
                "{}",
                out.stderr
            );
            assert!(!dir.path().join("out.json").exists());
        }
    }
}

#[test]
fn read_errors_state_the_cause_once() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = accord_in(dir.path(), &["run", "missing.toml"]);
    assert_eq!(out.code, 2);
    let cause = "No such file or directory";
    assert_eq!(
        out.stderr.matches(cause).count(),
        1,
        "the OS error is repeated:\n{}",
        out.stderr
    );
}

#[test]
fn a_failed_run_keeps_an_existing_output_file() {
    let src = edit("troops = 50", "troops = 150");
    let dir = temp_with("bad.toml", &src);
    std::fs::write(dir.path().join("out.json"), "previous results\n").expect("write");
    let out = accord_in(
        dir.path(),
        &["run", "bad.toml", "--format", "json", "-o", "out.json"],
    );
    assert_eq!(out.code, 2);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("out.json")).expect("still there"),
        "previous results\n"
    );
    // No temporary file is left behind either.
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .expect("list")
        .map(|e| e.expect("entry").file_name())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
}

#[test]
fn the_unedited_fixtures_are_valid() {
    // The fixtures above are edits of BASE; BASE itself (and the bundled scenario) must pass.
    let dir = temp_with("ok.toml", &format!("{BASE}{MORE}"));
    let out = accord_in(dir.path(), &["check", "ok.toml"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let fearon = repo_file("scenarios/fearon.toml");
    let out = accord_in(Path::new("/"), &["check", fearon.to_str().expect("UTF-8")]);
    assert_eq!(out.code, 0, "{}", out.stderr);
}

/// Runs `accord check FILE` on `bytes` (any bytes, not only UTF-8) in a fresh folder.
fn check_bytes(file: &str, bytes: &[u8]) -> Output {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join(file), bytes).expect("write");
    accord_in(dir.path(), &["check", file])
}

#[test]
fn json_cut_off_inside_a_non_ascii_string_is_located_without_a_panic() {
    // serde_json gives columns in bytes; the one it reports here falls inside "é".
    for (bytes, at) in [
        (&b"\"\xc3\xa9"[..], "bad.json:1:"),
        (
            &b"{\"scenario\": {\"name\": \"\xc3\xa9\\u12\"}}"[..],
            "bad.json:1:",
        ),
        (
            &b"{\"scenario\": {\"name\": \"\xc3\xa9\\u12\xc3\xa9\"}}"[..],
            "bad.json:1:",
        ),
        (
            &b"{\n \"scenario\": {\"name\": \"\xe6\x97\xa5\xe6\x9c\xac"[..],
            "bad.json:2:",
        ),
    ] {
        let out = check_bytes("bad.json", bytes);
        assert_eq!(out.code, 2, "{}", out.stderr);
        assert!(!out.stderr.contains("panicked"), "{}", out.stderr);
        assert!(out.stderr.contains(at), "{at} in {}", out.stderr);
    }
    // The column counts characters: the bad escape after "é" starts at character 27.
    let out = check_bytes(
        "bad.json",
        "{\"scenario\": {\"name\": \"é\\u12\"}}".as_bytes(),
    );
    assert!(
        flat(&out.stderr).contains("bad.json:1:30: invalid escape"),
        "{}",
        out.stderr
    );
}

#[test]
fn offsets_inside_a_character_count_as_that_character() {
    let s = "aé\nb";
    // Byte 2 is inside "é" (bytes 1..3).
    assert_eq!(accord::scenario::offset_to_line_col(s, 2), (1, 2));
    assert_eq!(accord::scenario::offset_to_line_col(s, 3), (1, 3));
    assert_eq!(accord::scenario::offset_to_line_col(s, 4), (2, 1));
    assert_eq!(accord::scenario::offset_to_line_col(s, 99), (2, 2));
}

#[test]
fn fixed_length_lists_take_exactly_their_elements() {
    let b = "reservation = { normal = { mean = 0.4, sd = 0.1 } }";
    for (dist, needle, message) in [
        (
            "{ uniform = [0.1, 0.2, 0.3] }",
            "[0.1, 0.2, 0.3]",
            "invalid length 3, expected a list of exactly 2 numbers [lo, hi]",
        ),
        (
            "{ uniform = [0.1] }",
            "[0.1]",
            "invalid length 1, expected a list of exactly 2 numbers [lo, hi]",
        ),
        (
            "{ triangular = [0.1, 0.2, 0.3, 0.4] }",
            "[0.1, 0.2, 0.3, 0.4]",
            "invalid length 4, expected a list of exactly 3 numbers [lo, mode, hi]",
        ),
    ] {
        let src = edit(b, &format!("reservation = {dist}"));
        rejects("bad.toml", &src, needle, 0, &[message]);
    }
    let src = edit(
        "values.troops = { linear = { worst = 100, best = 0 } }",
        "values.troops = { piecewise = [[0, 1.0], [100, 0.0, 0.5]] }",
    );
    rejects(
        "bad.toml",
        &src,
        "[100, 0.0, 0.5]",
        0,
        &["invalid length 3, expected a point [x, value] of exactly 2 elements"],
    );
    // JSON too.
    let src = JSON_OK.replace(
        "\"reservation\": 0.25",
        "\"reservation\": {\"uniform\": [0.1, 0.2, 0.3]}",
    );
    // serde_json reports where it stopped reading: the list's closing bracket.
    rejects(
        "bad.json",
        &src,
        "0.3]",
        "0.3".len(),
        &["expected a list of exactly 2 numbers [lo, hi]"],
    );
}

#[test]
fn an_integer_clause_needs_whole_bounds() {
    let src = edit("max = 100", "max = 100\ninteger = true").replace("min = 0\n", "min = 0.5\n");
    rejects(
        "bad.toml",
        &src,
        "min = 0.5",
        "min = ".len(),
        &[
            "clause `troops` takes whole numbers (integer = true), so `min` must be a whole number, got 0.5",
            "use min = 1",
        ],
    );
    let src = edit("max = 100", "max = 99.5\ninteger = true");
    rejects(
        "bad.toml",
        &src,
        "99.5",
        0,
        &["`max` must be a whole number, got 99.5"],
    );
}

/// BASE under the protocol `kind`, with `extra` added to party a.
fn with_party_key(kind: &str, extra: &str) -> String {
    let protocol = match kind {
        "ratify" => String::new(),
        "mediated" => "\n[protocol]\nkind = \"mediated\"\nstart = \"deal\"\n".into(),
        other => format!("\n[protocol]\nkind = \"{other}\"\n"),
    };
    format!(
        "{}{protocol}",
        edit("reservation = 0.5", &format!("reservation = 0.5\n{extra}"))
    )
}

#[test]
fn party_keys_that_the_protocol_does_not_use_are_rejected() {
    let cases = [
        ("ratify", "discount = 0.9", "discount"),
        ("ratify", "tactic = { kind = \"hardliner\" }", "tactic"),
        ("ratify", "respond = \"next\"", "respond"),
        ("equilibrium", "tactic = { kind = \"hardliner\" }", "tactic"),
        ("equilibrium", "respond = \"next\"", "respond"),
        ("mediated", "tactic = { kind = \"hardliner\" }", "tactic"),
        ("mediated", "respond = { threshold = 0.5 }", "respond"),
    ];
    for (kind, extra, key) in cases {
        let src = with_party_key(kind, extra);
        rejects(
            "bad.toml",
            &src,
            extra,
            0,
            &[
                &format!("`{key}` does not apply to the {kind} protocol"),
                "applies to kind = \"alternating\"",
            ],
        );
    }
    // Where they apply, they are accepted.
    for (kind, extra) in [
        (
            "alternating",
            "discount = 0.9\ntactic = { kind = \"hardliner\" }\nrespond = \"next\"",
        ),
        ("equilibrium", "discount = 0.9"),
        ("mediated", "discount = 0.9"),
    ] {
        let dir = temp_with("ok.toml", &with_party_key(kind, extra));
        let out = accord_in(dir.path(), &["check", "ok.toml"]);
        assert_eq!(out.code, 0, "{kind}: {}", out.stderr);
    }
}

#[test]
fn an_empty_proposals_list_is_an_error() {
    let src = format!("{BASE}\n[protocol]\nkind = \"ratify\"\nproposals = []\n");
    rejects(
        "bad.toml",
        &src,
        "[]",
        0,
        &[
            "`proposals` is empty",
            "omit `proposals` to evaluate every proposal",
        ],
    );
}

#[test]
fn a_json_file_may_start_with_a_byte_order_mark() {
    let dir = temp_with("ok.json", &format!("\u{feff}{JSON_OK}"));
    let out = accord_in(dir.path(), &["check", "ok.json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    // Errors still point at the right line and column (the mark takes no column).
    let src = format!(
        "\u{feff}{}",
        JSON_OK.replace("\"reservation\": 0.25", "\"reservation\": 1.5")
    );
    let dir = temp_with("bad.json", &src);
    let out = accord_in(dir.path(), &["check", "bad.json"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    let (line, col) = location(JSON_OK, "0.25");
    assert!(
        flat(&out.stderr).contains(&format!("bad.json:{line}:{col}: `reservation`")),
        "{}",
        out.stderr
    );
    // A syntax error on the first line, right after the mark.
    let dir = temp_with("syntax.json", "\u{feff}{,}");
    let out = accord_in(dir.path(), &["check", "syntax.json"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("syntax.json:1:2:"), "{}", out.stderr);
}

#[test]
fn correlating_a_fixed_parameter_says_it_is_fixed() {
    let src = format!(
        "{BASE}{MORE}\n[[correlation]]\nparams = [\"b.reservation\", \"a.reservation\"]\nmatrix = [[1.0, 0.5], [0.5, 1.0]]\n"
    );
    rejects(
        "bad.toml",
        &src,
        "\"a.reservation\"",
        0,
        &["`a.reservation` is fixed (not uncertain), so it cannot be correlated"],
    );
}

#[test]
fn numbers_in_messages_are_compact() {
    let b = "reservation = { normal = { mean = 0.4, sd = 0.1 } }";
    let src = edit(b, "reservation = { normal = { mean = 1e300, sd = 1e300 } }");
    let out = rejects(
        "bad.toml",
        &src,
        "{ normal = { mean = 1e300, sd = 1e300 } }",
        0,
        &["normal(mean 1e300, sd 1e300) puts no mass in the valid range [0, 1]"],
    );
    assert!(!out.stderr.contains("0000000000"), "{}", out.stderr);
    let src = edit("max = 100", "max = 1e-300\nmin = -1e-300").replace("min = 0\n", "");
    let dir = temp_with("tiny.toml", &src);
    let out = accord_in(dir.path(), &["check", "tiny.toml"]);
    assert!(!out.stderr.contains("0000000000"), "{}", out.stderr);
}

#[test]
fn control_characters_in_user_text_are_shown_escaped() {
    // A scenario name and a clause name with terminal escape codes.
    let src = BASE.replace("name = \"bad\"", "name = \"bad\\u001b[2J\\u0007\"");
    let dir = temp_with("esc.toml", &src);
    let out = accord_in(dir.path(), &["check", "esc.toml"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        !out.stdout.contains('\u{1b}') && !out.stdout.contains('\u{7}'),
        "{:?}",
        out.stdout
    );
    assert!(
        out.stdout.contains("bad\\x1b[2J\\x07 — valid"),
        "{}",
        out.stdout
    );
    // In a message: an unknown clause named with an escape code, and the quoted source.
    let src = edit(
        "troops = 50",
        "troops = 50\n\"x\\u001b]0;pwned\\u0007\" = 1",
    );
    let dir = temp_with("esc.toml", &src);
    let out = accord_in(dir.path(), &["check", "esc.toml"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        !out.stderr.contains('\u{1b}') && !out.stderr.contains('\u{7}'),
        "{:?}",
        out.stderr
    );
    assert!(
        out.stderr.contains("unknown clause `x\\x1b]0;pwned\\x07`"),
        "{}",
        out.stderr
    );
    // Raw control bytes in the file itself (here a TOML comment) are not echoed either.
    let src = format!("# \u{1b}[31mred\n{}", edit("troops = 50", "troops = 500"));
    let dir = temp_with("raw.toml", &src);
    let out = accord_in(dir.path(), &["check", "raw.toml"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(!out.stderr.contains('\u{1b}'), "{:?}", out.stderr);
}

#[test]
fn counts_in_messages_agree_with_their_nouns() {
    let dir = temp_with("ok.toml", BASE);
    let out = accord_in(
        dir.path(),
        &["run", "ok.toml", "--rounds", "1000", "--shard", "1/2"],
    );
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        flat(&out.stderr)
            .contains("1,000 rounds make only 1 block of 1,024 rounds, so at most 1 shard"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_partial_with_impossible_shard_numbers_is_refused() {
    let dir = temp_with("ok.toml", BASE);
    let out = accord_in(
        dir.path(),
        &[
            "run",
            "ok.toml",
            "--rounds",
            "1024",
            "--shard",
            "1/1",
            "-o",
            "part.json",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let text = std::fs::read_to_string(dir.path().join("part.json")).expect("a partial");
    let v: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    assert_eq!(v["shard"], serde_json::json!([1, 1]));
    // Shard 1 of 0 divided by zero; shard 0 of 1 subtracted 1 from 0.
    for shard in [[1, 0], [0, 1], [0, 0], [2, 1]] {
        let mut altered = v.clone();
        altered["shard"] = serde_json::json!(shard);
        std::fs::write(dir.path().join("bad.json"), altered.to_string()).expect("write");
        let out = accord_in(dir.path(), &["merge", "bad.json"]);
        assert_eq!(out.code, 2, "{shard:?}: {}", out.stderr);
        assert!(
            flat(&out.stderr).contains("is not a shard: K/N needs 1 <= K <= N"),
            "{shard:?}: {}",
            out.stderr
        );
    }
}
