//! The command line: help, version, `check`, writing to a file.

use crate::common::{accord, accord_in, repo_file, temp_with};
use crate::determinism::RICH;

#[test]
fn help_and_version() {
    for args in [&["--help"][..], &["run", "--help"][..]] {
        let out = accord(args);
        assert_eq!(out.code, 0, "{args:?}: {}", out.stderr);
        assert!(
            out.stdout.contains("Examples"),
            "{args:?} help lacks Examples:\n{}",
            out.stdout
        );
        assert!(out.stdout.contains("Usage"), "{}", out.stdout);
    }
    let out = accord(&["run", "--help"]);
    for flag in [
        "--rounds",
        "--seed",
        "--threads",
        "--format",
        "--output",
        "--proposal",
    ] {
        assert!(out.stdout.contains(flag), "run --help lacks {flag}");
    }
    let out = accord(&["--version"]);
    assert_eq!(out.code, 0);
    assert_eq!(
        out.stdout.trim(),
        format!("accord {}", env!("CARGO_PKG_VERSION"))
    );
    // No command is a usage error.
    assert_eq!(accord(&[]).code, 2);
}

#[test]
fn every_file_a_help_example_names_is_in_the_repository() {
    let top = accord(&["--help"]).stdout;
    let commands: Vec<&str> = top
        .split("Commands:")
        .nth(1)
        .and_then(|s| s.split("Options:").next())
        .expect("a Commands section")
        .lines()
        .filter_map(|l| l.strip_prefix("  ")?.split_whitespace().next())
        .filter(|c| *c != "help")
        .collect();
    assert!(commands.contains(&"calibrate"), "{commands:?}");
    let mut named = 0;
    for command in commands {
        let help = accord(&[command, "--help"]).stdout;
        for word in help.split_whitespace() {
            if let Some(at) = word.find("scenarios/") {
                let path = word[at..].trim_end_matches(|c: char| !c.is_alphanumeric());
                assert!(
                    repo_file(path).is_file(),
                    "`accord {command} --help` names {path}, which is not in the repository"
                );
                named += 1;
            }
        }
    }
    assert!(named > 10, "only {named} example files found");
}

#[test]
fn check_describes_the_scenario() {
    let path = repo_file("scenarios/fearon.toml");
    let out = accord(&["check", path.to_str().expect("UTF-8")]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let o = &out.stdout;
    assert!(
        o.contains("Fearon bargaining range (p = 0.6, c_A = 0.1, c_B = 0.15)"),
        "{o}"
    );
    assert!(o.contains("clauses (1)") && o.contains("share_a"), "{o}");
    assert!(
        o.contains("parties (2)") && o.contains("a (veto)") && o.contains("b (veto)"),
        "{o}"
    );
    assert!(
        o.contains("proposals (5)") && o.contains("below_range") && o.contains("above_range"),
        "{o}"
    );

    let dir = temp_with("rich.toml", RICH);
    let out = accord_in(dir.path(), &["check", "rich.toml"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let o = &out.stdout;
    assert!(o.contains("Determinism fixture"), "{o}");
    for name in [
        "troop_cap",
        "nato",
        "amnesty",
        "ukraine",
        "russia",
        "usa",
        "europe",
        "plan_28",
        "plan_19",
    ] {
        assert!(o.contains(name), "check output lacks {name}:\n{o}");
    }
    assert!(
        o.contains("usa:") && !o.contains("usa (veto)"),
        "usa holds no veto:\n{o}"
    );
    assert!(o.contains("correlation group 1"), "{o}");
}

#[test]
fn output_file_is_written_whole() {
    let dir = temp_with("rich.toml", RICH);
    let out = accord_in(
        dir.path(),
        &[
            "run",
            "rich.toml",
            "--rounds",
            "3000",
            "--format",
            "json",
            "-o",
            "out.json",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.is_empty(),
        "results go to the file, not stdout: {}",
        out.stdout
    );
    let text = std::fs::read_to_string(dir.path().join("out.json")).expect("out.json written");
    let v: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
    assert_eq!(v["rounds"], 3000);
    // The file holds exactly what stdout would have.
    let to_stdout = accord_in(
        dir.path(),
        &["run", "rich.toml", "--rounds", "3000", "--format", "json"],
    );
    assert_eq!(to_stdout.stdout, text);
    // `-o -` is stdout.
    let dash = accord_in(
        dir.path(),
        &[
            "run",
            "rich.toml",
            "--rounds",
            "3000",
            "--format",
            "json",
            "-o",
            "-",
        ],
    );
    assert_eq!(dash.stdout, text);
    // An existing file is replaced, and no temporary file is left.
    std::fs::write(dir.path().join("out.json"), "old").expect("write");
    let again = accord_in(
        dir.path(),
        &[
            "run",
            "rich.toml",
            "--rounds",
            "3000",
            "--format",
            "json",
            "-o",
            "out.json",
        ],
    );
    assert_eq!(again.code, 0);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("out.json")).expect("read"),
        text
    );
    assert_eq!(std::fs::read_dir(dir.path()).expect("list").count(), 2);
}

#[test]
fn unwritable_output_is_a_runtime_failure() {
    let dir = temp_with("rich.toml", RICH);
    let out = accord_in(
        dir.path(),
        &[
            "run",
            "rich.toml",
            "--rounds",
            "100",
            "-o",
            "no/such/dir/out.txt",
        ],
    );
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(out.stderr.contains("no/such/dir/out.txt"), "{}", out.stderr);
}

#[test]
fn proposals_are_chosen_by_flag_or_by_the_protocol_section() {
    let fearon = std::fs::read_to_string(repo_file("scenarios/fearon.toml")).expect("fearon.toml");
    let names = |out: &crate::common::Output| -> Vec<String> {
        assert_eq!(out.code, 0, "{}", out.stderr);
        let v: serde_json::Value = serde_json::from_str(&out.stdout).expect("JSON");
        v["results"]
            .as_array()
            .expect("results")
            .iter()
            .map(|r| r["proposal"].as_str().expect("name").to_string())
            .collect()
    };
    let dir = temp_with("f.toml", &fearon);
    let base = ["run", "f.toml", "--format", "json", "--rounds", "50"];
    assert_eq!(
        names(&accord_in(dir.path(), &base)),
        [
            "below_range",
            "low_end",
            "midpoint",
            "high_end",
            "above_range"
        ]
    );
    let flags = accord_in(
        dir.path(),
        &[
            &base[..],
            &["-p", "high_end", "--proposal", "below_range"][..],
        ]
        .concat(),
    );
    assert_eq!(names(&flags), ["high_end", "below_range"]);
    // A [protocol] list is the default; flags still override it.
    let listed = fearon.replace(
        "[protocol]\nkind = \"ratify\"",
        "[protocol]\nkind = \"ratify\"\nproposals = [\"midpoint\", \"low_end\"]",
    );
    assert_ne!(
        listed, fearon,
        "fearon.toml has a [protocol] section to extend"
    );
    let dir = temp_with("f.toml", &listed);
    assert_eq!(
        names(&accord_in(dir.path(), &base)),
        ["midpoint", "low_end"]
    );
    assert_eq!(
        names(&accord_in(
            dir.path(),
            &[&base[..], &["-p", "above_range"][..]].concat()
        )),
        ["above_range"]
    );
}
