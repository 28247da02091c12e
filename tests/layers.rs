//! The layering of docs/ARCHITECTURE.md, checked: every `crate::…` path in a module's code
//! (comments aside) names a layer below it. A new arrow pointing up fails here.

use std::path::Path;

use crate::common::repo_file;

/// Each layer and the layers it may import (error.rs and output.rs are allowed everywhere:
/// the crate's error type and its writer).
const LAYERS: [(&str, &[&str]); 15] = [
    ("numeric", &[]),
    ("text", &[]),
    ("model", &["numeric", "text"]),
    ("scenario", &["model", "numeric", "text"]),
    ("sim", &["model", "numeric", "text"]),
    ("protocol", &["sim", "model", "numeric", "text"]),
    (
        "job",
        &["protocol", "sim", "scenario", "model", "numeric", "text"],
    ),
    (
        "sweep",
        &[
            "job", "protocol", "sim", "scenario", "model", "numeric", "text",
        ],
    ),
    (
        "analysis",
        &[
            "job", "protocol", "sim", "scenario", "model", "numeric", "text",
        ],
    ),
    (
        "explore",
        &[
            "job", "protocol", "sim", "scenario", "model", "numeric", "text",
        ],
    ),
    (
        "request",
        &[
            "sweep", "analysis", "explore", "job", "protocol", "sim", "scenario", "model",
            "numeric", "text",
        ],
    ),
    (
        "report",
        &[
            "request", "sweep", "analysis", "explore", "job", "protocol", "sim", "scenario",
            "model", "numeric", "text",
        ],
    ),
    (
        "cli",
        &[
            "report", "request", "sweep", "analysis", "explore", "job", "protocol", "sim",
            "scenario", "model", "numeric", "text",
        ],
    ),
    ("output", &[]),
    // The fuzz targets' entry points drive the library from the top, as the binary does.
    (
        "fuzzing",
        &[
            "request", "sweep", "analysis", "explore", "job", "protocol", "sim", "scenario",
            "model", "numeric", "text",
        ],
    ),
];

/// Files of a layer: its folder, or its one file.
fn files(layer: &str) -> Vec<std::path::PathBuf> {
    let dir = repo_file(&format!("src/{layer}"));
    if dir.is_dir() {
        let mut out = Vec::new();
        walk(&dir, &mut out);
        out
    } else {
        vec![repo_file(&format!("src/{layer}.rs"))]
    }
}

fn walk(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).expect("a source folder") {
        let p = e.expect("an entry").path();
        if p.is_dir() {
            walk(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The layers a line of code names with `crate::layer`.
fn named(line: &str) -> Vec<String> {
    let code = line.split("//").next().unwrap_or("");
    code.match_indices("crate::")
        .map(|(i, _)| {
            code[i + 7..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect()
        })
        .collect()
}

#[test]
fn imports_point_down_the_layers_only() {
    let mut wrong = Vec::new();
    for (layer, allowed) in LAYERS {
        for file in files(layer) {
            let text = std::fs::read_to_string(&file).expect("a source file");
            for (n, line) in text.lines().enumerate() {
                for used in named(line) {
                    let fine = used == layer
                        || used == "error"
                        || used == "output"
                        || allowed.contains(&used.as_str());
                    if !fine {
                        wrong.push(format!("{}:{}: {layer} uses {used}", file.display(), n + 1));
                    }
                }
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "imports against the layering:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn every_source_folder_is_a_known_layer() {
    for e in std::fs::read_dir(repo_file("src")).expect("src") {
        let name = e.expect("entry").file_name().to_string_lossy().into_owned();
        let layer = name.trim_end_matches(".rs");
        let known =
            LAYERS.iter().any(|(l, _)| *l == layer) || ["lib", "main", "error"].contains(&layer);
        assert!(
            known,
            "src/{name} is not in the layering of docs/ARCHITECTURE.md"
        );
    }
}

#[test]
fn the_checker_sees_an_arrow_pointing_up() {
    assert_eq!(
        named("use crate::report::Format; // crate::cli"),
        ["report"]
    );
    assert!(named("//! see [`crate::request`]").is_empty());
}
