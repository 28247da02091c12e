//! Replays every input of the fuzz corpora (`fuzz/corpus/TARGET/`) and of the crash
//! regressions (`fuzz/regressions/TARGET/`) through the fuzz targets' own entry points
//! (`accord::fuzzing`), on stable Rust: an input that once crashed accord must not again.

use std::path::Path;

use accord::fuzzing::{TARGETS, fuzz_dir, replay};

/// Every file directly in `dir`, sorted (none if the folder does not exist).
fn inputs(dir: &Path) -> Vec<std::path::PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<_> = entries
        .map(|e| e.expect("a readable entry").path())
        // Hidden files (a .gitkeep) are not inputs.
        .filter(|p| {
            p.is_file()
                && !p
                    .file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with('.'))
        })
        .collect();
    files.sort();
    files
}

fn replay_all(kind: &str) -> usize {
    let mut count = 0;
    for target in TARGETS {
        for file in inputs(&fuzz_dir().join(kind).join(target)) {
            let bytes = std::fs::read(&file).expect("a readable input");
            // A panic here fails the test; its message names the input by the line below.
            eprintln!("replaying {}", file.display());
            assert!(replay(target, &bytes), "{target} is a fuzz target");
            count += 1;
        }
    }
    count
}

#[test]
fn fuzz_corpora_replay_without_a_panic() {
    // Each target has a seed corpus.
    for target in TARGETS {
        let n = inputs(&fuzz_dir().join("corpus").join(target)).len();
        assert!(n > 0, "fuzz/corpus/{target} is empty");
    }
    assert!(replay_all("corpus") >= TARGETS.len());
}

#[test]
fn fuzz_crash_regressions_replay_without_a_panic() {
    replay_all("regressions");
    // An unknown target is refused, not silently skipped.
    assert!(!replay("no_such_target", b""));
}
