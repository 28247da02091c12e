//! Text tables for an 80-column terminal. Names too long for their column are shortened so
//! that no two read the same ([`short_names`]); numbers read without float noise.

mod calibration;
mod dynamic;
mod explore;
mod run;
mod seeds;
mod sensitivity;
mod sweep;

use std::fmt::Write;

use super::Exporter;
use crate::analysis::calibrate::CalibrationReport;
use crate::analysis::seeds::SeedsReport;
use crate::analysis::sensitivity::SensitivityReport;
use crate::request::{Body, RunResult};
use crate::text::thousands;

/// The table exporter.
pub struct Table;

impl Exporter for Table {
    fn run(&self, r: &RunResult) -> String {
        let mut out = String::new();
        line(&mut out, &r.header.scenario);
        if let Some(c) = &r.header.conditioning {
            list(&mut out, "given:", &c.given, 2);
            line(
                &mut out,
                &format!(
                    "  {} of {} rounds agree; every estimate is over those rounds",
                    thousands(c.kept),
                    thousands(c.played)
                ),
            );
        }
        match &r.body {
            Body::Proposals { results } => {
                line(
                    &mut out,
                    &run_line(&r.header.protocol, r.header.rounds, r.header.seed),
                );
                run::proposals(&mut out, results, r.header.rule.as_deref());
            }
            Body::Sweep(s) => {
                line(&mut out, &format!("sweep {}", s.info.description));
                line(
                    &mut out,
                    &run_line(&r.header.protocol, r.header.rounds, r.header.seed),
                );
                sweep::points(&mut out, &r.header.protocol, s);
            }
            Body::Dynamic(d) => dynamic::play(&mut out, &r.header, d),
            Body::Concessions(c) => {
                line(
                    &mut out,
                    &run_line(&r.header.protocol, r.header.rounds, r.header.seed),
                );
                explore::concessions(&mut out, c);
            }
            Body::Search(sr) => {
                line(
                    &mut out,
                    &run_line(&r.header.protocol, r.header.rounds, r.header.seed),
                );
                explore::search(&mut out, sr);
            }
        }
        out
    }

    fn seeds(&self, r: &SeedsReport) -> String {
        seeds::table(r)
    }

    fn sensitivity(&self, r: &SensitivityReport) -> String {
        sensitivity::table(r)
    }

    fn calibration(&self, r: &CalibrationReport) -> String {
        calibration::table(r)
    }
}

/// Terminal width the tables fit.
const WIDTH: usize = 80;

/// Writes `s` as one line, cut to the terminal's width.
fn line(out: &mut String, s: &str) {
    let _ = writeln!(out, "{}", fit(s, WIDTH));
}

/// Writes `head` then `items` separated by commas, wrapping onto lines indented by
/// `indent` so that no item is cut (one longer than a line stands alone on its line).
fn list(out: &mut String, head: &str, items: &[String], indent: usize) {
    let mut line = head.to_string();
    for (i, item) in items.iter().enumerate() {
        let piece = if i + 1 < items.len() {
            format!("{item},")
        } else {
            item.clone()
        };
        let sep = |line: &str| {
            if line.is_empty() || line.ends_with(' ') {
                ""
            } else {
                " "
            }
        };
        let fits = line.chars().count() + sep(&line).len() + piece.chars().count() <= WIDTH;
        if i > 0 && !fits {
            let _ = writeln!(out, "{line}");
            line = " ".repeat(indent);
        }
        line.push_str(sep(&line));
        line.push_str(&piece);
    }
    let _ = writeln!(out, "{line}");
}

/// Writes `text` as lines of at most [`WIDTH`] characters, broken between words, continuation
/// lines indented by two spaces.
fn wrap(out: &mut String, text: &str) {
    let mut current = String::new();
    for w in text.split(' ') {
        if !current.trim().is_empty() && current.chars().count() + 1 + w.chars().count() > WIDTH {
            let _ = writeln!(out, "{current}");
            current = "  ".into();
        }
        if !current.trim().is_empty() {
            current.push(' ');
        }
        current.push_str(w);
    }
    let _ = writeln!(out, "{current}");
}

/// `ratify, 100,000 rounds, seed 2025, 95% Wilson intervals`.
fn run_line(protocol: &str, rounds: u64, seed: u64) -> String {
    format!(
        "{protocol}, {} rounds, seed {seed}, 95% Wilson intervals",
        thousands(rounds)
    )
}

/// Fits `s` into `width` characters, marking a cut with `…`.
fn fit(s: &str, width: usize) -> String {
    if s.chars().count() <= width {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(width.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

/// `names`, each fitted into `width` characters so that no two read the same: a name that
/// is too long keeps its start, then `…`, then as much of its end as it takes to tell it from
/// the others (`european_union`, `european_parliament` in 8 → `europe…n`, `europe…t`).
pub fn short_names(names: &[&str], width: usize) -> Vec<String> {
    let width = width.max(2);
    let cut = |name: &str, tail: usize| -> String {
        let chars: Vec<char> = name.chars().collect();
        if chars.len() <= width {
            return name.to_string();
        }
        let head = width - 1 - tail;
        let mut s: String = chars[..head].iter().collect();
        s.push('…');
        s.extend(&chars[chars.len() - tail..]);
        s
    };
    for tail in 0..width - 1 {
        let out: Vec<String> = names.iter().map(|n| cut(n, tail)).collect();
        let clash =
            (0..out.len()).any(|i| (0..i).any(|j| out[i] == out[j] && names[i] != names[j]));
        if !clash {
            return out;
        }
    }
    // Too narrow to tell them apart by their text: number them.
    names
        .iter()
        .enumerate()
        .map(|(i, n)| {
            if n.chars().count() <= width {
                n.to_string()
            } else {
                fit(&format!("{}{n}", i + 1), width)
            }
        })
        .collect()
}

/// A probability as `0.123`, or `-` when undefined.
fn prob(p: f64) -> String {
    if p.is_nan() {
        "-".into()
    } else {
        format!("{p:.3}")
    }
}

/// A mean as `0.123`, or `-` when undefined.
fn mean(x: Option<f64>) -> String {
    x.filter(|v| v.is_finite())
        .map_or_else(|| "-".into(), |v| format!("{v:.3}"))
}

/// A clause or axis value: whole or large numbers grouped by thousands, others as short
/// decimals without float noise.
fn value(x: f64) -> String {
    if (x.fract() == 0.0 || x.abs() >= 1000.0) && x.abs() < 1e15 {
        thousands(x.round() as i64)
    } else {
        crate::text::decimal((x * 1e4).round() / 1e4)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_names_never_read_the_same() {
        let names = ["european_union", "european_parliament", "us"];
        let short = short_names(&names, 8);
        assert_eq!(short, ["europe…n", "europe…t", "us"]);
        for s in &short {
            assert!(s.chars().count() <= 8, "{s}");
        }
        // Names that differ only in their middle still come out distinct.
        let names = ["party_alpha_one", "party_beta__one", "party_gamma_one"];
        let short = short_names(&names, 6);
        for (i, a) in short.iter().enumerate() {
            for b in &short[..i] {
                assert_ne!(a, b, "{short:?}");
            }
        }
        // Names that fit are kept whole, and so are two equal names (they are the same).
        assert_eq!(short_names(&["a", "b"], 8), ["a", "b"]);
    }

    #[test]
    fn lists_wrap_between_items_never_inside_one() {
        let items: Vec<String> = (0..12).map(|i| format!("clause_number_{i}")).collect();
        let mut out = String::new();
        list(&mut out, "order: ", &items, 4);
        for l in out.lines() {
            assert!(l.chars().count() <= WIDTH, "{l}");
        }
        let joined: Vec<&str> = out
            .split([',', '\n'])
            .map(str::trim)
            .map(|s| s.trim_start_matches("order:").trim())
            .filter(|s| !s.is_empty())
            .collect();
        assert_eq!(joined, items);
        assert!(out.lines().count() > 1);
        assert!(
            out.lines()
                .skip(1)
                .all(|l| l.starts_with("    ") && !l.starts_with("     "))
        );
    }

    #[test]
    fn values_read_without_float_noise() {
        assert_eq!(value(70000.0), "70,000");
        assert_eq!(value(0.1 + 0.2), "0.3");
        assert_eq!(value(0.12345678), "0.1235");
        assert_eq!(prob(f64::NAN), "-");
        assert_eq!(mean(None), "-");
    }
}
