//! `accord report`: one self-contained HTML page for readers who will not run a command
//! line — the results with their intervals, the sweeps' charts, the scenario in words with
//! what is fact and what is assumption, and how to reproduce it all.
//!
//! The page needs nothing but itself: its stylesheet is inline, its charts are inline SVG
//! drawn by the same code as `--plot` ([`crate::report::plot::svg`]), it loads no script,
//! font or image, and links only to fragments of itself, so it opens from an e-mail
//! attachment, offline. It reads on a phone (a viewport and one column, wide tables scroll
//! inside their box) and prints (a print stylesheet). Every piece of scenario text is
//! escaped ([`escape::esc`]). The same inputs give the same bytes: nothing in the page
//! depends on the time, the machine or the thread count.
//!
//! Files: `results.rs` (results, sweeps, charts), `scenario.rs` (the scenario in words and
//! its sources), `escape.rs`, `hash.rs` (SHA-256 of the scenario file), `style.rs` (CSS).

mod escape;
mod hash;
mod results;
mod scenario;
mod style;

use std::fmt::Write;

pub use escape::esc;
pub use hash::sha256_hex;

use crate::error::Error;
use crate::model::Scenario;
use crate::request::RunResult;
use crate::scenario::Source;
use crate::sim::seed::SEED_CONTRACT;

/// Everything a report shows.
#[derive(Debug, Clone, Copy)]
pub struct Report<'a> {
    /// The scenario file as read (its name and bytes, for the provenance and its hash).
    pub source: &'a Source,
    /// The scenario parsed from it.
    pub scenario: &'a Scenario,
    /// The main run: the proposals put to the parties, or a dynamic protocol's play.
    pub main: &'a RunResult,
    /// The sweeps asked for, in order.
    pub sweeps: &'a [RunResult],
    /// The command that reproduces the report, as a shell reads it.
    pub command: &'a str,
    /// The wide charts' size in pixels (their coordinates: the page scales them to its
    /// column); phones get a second drawing laid out for a narrow screen.
    pub chart_size: (u32, u32),
}

/// The report as one HTML document.
pub fn page(r: &Report) -> Result<String, Error> {
    let s = r.scenario;
    let mut o = String::with_capacity(64 * 1024);
    let _ = writeln!(o, "<!DOCTYPE html>");
    let _ = writeln!(o, r#"<html lang="en"><head><meta charset="utf-8">"#);
    let _ = writeln!(
        o,
        r#"<meta name="viewport" content="width=device-width, initial-scale=1">"#
    );
    let _ = writeln!(
        o,
        r#"<meta name="generator" content="accord {}">"#,
        env!("CARGO_PKG_VERSION")
    );
    let _ = writeln!(o, "<title>{} — accord report</title>", esc(&s.name));
    let _ = writeln!(o, "<style>{}</style></head><body>", style::CSS);
    let _ = writeln!(o, r#"<header class="top"><h1>{}</h1>"#, esc(&s.name));
    if let Some(d) = &s.description {
        let _ = writeln!(o, r#"<p class="lede">{}</p>"#, esc(d));
    }
    let h = &r.main.header;
    let _ = writeln!(
        o,
        r#"<p class="muted">Protocol {}; {} simulated rounds, seed {}; 95% Wilson intervals. Made by accord {} from <code>{}</code>.</p>"#,
        esc(&h.protocol),
        crate::text::thousands(h.rounds),
        h.seed,
        env!("CARGO_PKG_VERSION"),
        esc(&r.source.name)
    );
    contents(&mut o, r);
    let _ = writeln!(o, "</header><main>");
    results::main(&mut o, r.main, r.chart_size)?;
    results::sweeps(&mut o, r.sweeps, r.chart_size)?;
    scenario::section(&mut o, s);
    provenance(&mut o, r);
    let _ = writeln!(o, "</main>");
    let _ = writeln!(
        o,
        "<footer>Simulated outcomes under the scenario's stated assumptions, not forecasts.</footer>"
    );
    let _ = writeln!(o, "</body></html>");
    Ok(o)
}

/// The list of sections.
fn contents(o: &mut String, r: &Report) {
    let mut entries = vec![("results", "Results")];
    if !r.sweeps.is_empty() {
        entries.push(("sweeps", "Acceptance against concession"));
    }
    entries.extend([
        ("scenario", "The scenario"),
        ("sources", "Sources"),
        ("provenance", "Provenance"),
    ]);
    let _ = write!(o, r#"<nav class="toc" aria-label="Contents"><ol>"#);
    for (id, title) in entries {
        let _ = write!(o, r##"<li><a href="#{id}">{title}</a></li>"##);
    }
    let _ = writeln!(o, "</ol></nav>");
}

/// What made the page: the program, the file and its digest, the seed and rounds, and the
/// command that makes it again.
fn provenance(o: &mut String, r: &Report) {
    let h = &r.main.header;
    let _ = writeln!(
        o,
        r#"<section id="provenance"><h2>Provenance</h2><dl class="facts">"#
    );
    let mut row = |k: &str, v: String| {
        let _ = writeln!(o, "<dt>{k}</dt><dd>{v}</dd>");
    };
    row("program", format!("accord {}", env!("CARGO_PKG_VERSION")));
    // The same seed gives other numbers under another contract: a reader re-running the
    // report needs both.
    row(
        "seed contract",
        format!("{SEED_CONTRACT} (the random streams; see the README's “Determinism”)"),
    );
    row(
        "scenario file",
        format!("<code>{}</code>", esc(&r.source.name)),
    );
    row(
        "SHA-256 of the file",
        format!(
            "<code>{}</code> (of its bytes, as <code>sha256sum</code> prints it)",
            sha256_hex(r.source.text.as_bytes())
        ),
    );
    row("protocol", esc(&h.protocol));
    row("seed", h.seed.to_string());
    row("rounds", crate::text::thousands(h.rounds));
    if let Some(p) = &h.precision {
        row(
            "precision",
            format!(
                "target half-width {}, largest reached {:.5}{}",
                crate::text::decimal(p.target),
                p.achieved,
                if p.reached { "" } else { " (not reached)" }
            ),
        );
    }
    for (k, sw) in r.sweeps.iter().enumerate() {
        row(
            &format!("sweep {}", k + 1),
            format!(
                "{}; seed {}, {} rounds",
                esc(&sw
                    .sweep()
                    .map(|s| s.info.description.clone())
                    .unwrap_or_default()),
                sw.header.seed,
                crate::text::thousands(sw.header.rounds)
            ),
        );
    }
    row(
        "to reproduce",
        format!(
            "<pre><code>{}</code></pre>The same file, command and accord version give the same numbers on any machine and any number of threads.",
            esc(r.command)
        ),
    );
    let _ = writeln!(o, "</dl></section>");
}
