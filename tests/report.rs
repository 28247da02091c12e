//! `accord report`: one self-contained HTML page — its sections, tables and charts, the
//! scenario's facts and assumptions, escaping of scenario text, identical bytes for the same
//! inputs, the same numbers and charts as `accord run` and `accord sweep`, and bad input
//! refused with exit code 2 and no file written.

use std::path::Path;

use crate::common::{
    accord_in, assert_rejected, bundled_dist, files_in, flat, location, ok, ok_json, repo_file,
};

/// The report's second sweep, as `accord sweep` takes it too.
const CAP_AXIS: [&str; 8] = [
    "--clause",
    "troop_cap",
    "--from",
    "400000",
    "--to",
    "1000000",
    "--points",
    "7",
];

/// Copies the bundled peace plan into `dir` and writes its report there with two sweeps.
fn peace_plan_report(dir: &Path, extra: &[&str]) -> String {
    std::fs::copy(
        repo_file("scenarios/peace-plan-2025.toml"),
        dir.join("peace.toml"),
    )
    .expect("copying the scenario");
    let mut args = vec![
        "report",
        "peace.toml",
        "--rounds",
        "3000",
        "--sweep",
        "--path",
        "plan_28..plan_19",
        "--points",
        "11",
        "--sweep",
    ];
    args.extend_from_slice(&CAP_AXIS);
    args.extend(["-o", "report.html"]);
    args.extend_from_slice(extra);
    ok(dir, &args);
    std::fs::read_to_string(dir.join("report.html")).expect("the report is written")
}

/// The text between `start` and the next `end` after it.
fn between<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    let at = text
        .find(start)
        .unwrap_or_else(|| panic!("no {start:?} in the page"))
        + start.len();
    let len = text[at..].find(end).expect("the end marker");
    &text[at..at + len]
}

#[test]
fn the_report_has_every_section_table_and_chart_and_needs_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    let page = peace_plan_report(dir.path(), &[]);
    assert!(page.starts_with("<!DOCTYPE html>\n"));
    assert!(
        page.contains(r#"<meta name="viewport" content="width=device-width, initial-scale=1">"#)
    );
    assert!(page.contains("@media print"), "a print stylesheet");
    assert!(
        page.contains("@media (max-width:"),
        "a narrow-screen layout"
    );
    for id in [
        "results",
        "sweeps",
        "scenario",
        "sources",
        "provenance",
        "acceptance",
        "utility",
    ] {
        assert!(
            page.contains(&format!(r#"id="{id}""#)),
            "section or table #{id}"
        );
    }
    // One chart (drawn wide, and narrow for phones) and one table of points per sweep, and
    // no other chart for a ratify run.
    assert_eq!(page.matches("<svg").count(), 4);
    for k in 1..=2 {
        let figure = between(
            &page,
            &format!(r#"<figure id="chart-sweep-{k}">"#),
            "</figure>",
        );
        assert!(figure.starts_with(r#"<div class="chart-wide"><svg role="img""#));
        assert!(figure.contains(r#"<div class="chart-narrow"><svg role="img""#));
        assert!(
            figure.contains(r#"viewBox="0 0 900 560""#)
                && figure.contains(r#"viewBox="0 0 480 560""#)
        );
        assert!(page.contains(&format!(r#"<table id="sweep-table-{k}">"#)));
    }
    assert_eq!(
        between(&page, r#"id="sweep-table-1""#, "</table>")
            .matches("<tr>")
            .count(),
        12
    );
    // Self-contained: no script, no external resource, no link out of the page. The only
    // URL is the SVG namespace, which names the markup and is never fetched.
    for banned in [
        "<script", "<link", "<img", "<iframe", "src=", "url(", "@import",
    ] {
        assert!(!page.contains(banned), "the page contains {banned}");
    }
    let urls: Vec<&str> = page
        .match_indices("http")
        .map(|(i, _)| &page[i..i + 26])
        .collect();
    assert!(
        urls.iter().all(|u| *u == "http://www.w3.org/2000/svg"),
        "{urls:?}"
    );
    assert!(!page.contains(r#"href="http"#));
    // Every in-page link has its target.
    for href in page.split(r##"href="#"##).skip(1) {
        let target = &href[..href.find('"').unwrap()];
        assert!(page.contains(&format!(r#"id="{target}""#)), "#{target}");
    }
}

#[test]
fn the_report_shows_the_same_numbers_and_charts_as_run_and_sweep() {
    let dir = tempfile::tempdir().unwrap();
    let page = peace_plan_report(dir.path(), &[]);
    let run = ok_json(
        dir.path(),
        &["run", "peace.toml", "--rounds", "3000", "--format", "json"],
    );
    // The acceptance table: agreement for each proposal, in the run's order and numbers.
    let table = between(&page, r#"<table id="acceptance">"#, "</table>");
    let agreement = between(table, r#"<tr class="agreement">"#, "</tr>");
    let cells: Vec<&str> = agreement.split(r#"<td class="num">"#).skip(1).collect();
    let results = run["results"].as_array().unwrap();
    assert_eq!(cells.len(), results.len());
    for (cell, r) in cells.iter().zip(results) {
        let a = &r["agreement"];
        let want = format!(
            r#"{:.3} <span class="ci">[{:.3}, {:.3}]</span>"#,
            a["p"].as_f64().unwrap(),
            a["lo"].as_f64().unwrap(),
            a["hi"].as_f64().unwrap()
        );
        assert!(cell.starts_with(&want), "{cell} against {want}");
    }
    // The troop-cap chart is the one `accord sweep --plot` draws at the same size.
    let mut sweep = vec!["sweep", "peace.toml", "--rounds", "3000"];
    sweep.extend_from_slice(&CAP_AXIS);
    sweep.extend(["--plot", "cap.svg", "--size", "900x560"]);
    ok(dir.path(), &sweep);
    let file = std::fs::read_to_string(dir.path().join("cap.svg")).unwrap();
    let drawn = &file[file.find("<svg").unwrap() + "<svg".len()..];
    let inline = between(
        &page,
        r#"<figure id="chart-sweep-2"><div class="chart-wide"><svg role="img""#,
        "</div>",
    );
    // Past the label the page adds: ` aria-label="…"`, then the drawn attributes.
    let inline = &inline[inline.find(r#"" width="#).unwrap() + 1..];
    assert!(
        inline.trim_end() == drawn.trim_end(),
        "the inline chart differs from --plot's"
    );
}

#[test]
fn the_scenario_is_told_with_its_facts_assumptions_sources_and_provenance() {
    let dir = tempfile::tempdir().unwrap();
    let page = peace_plan_report(dir.path(), &[]);
    // Proposals side by side: a row per clause, a column per proposal.
    let proposals = between(&page, r#"<h3 id="proposals">"#, "</table>");
    assert!(proposals.contains("<th>plan_28</th><th>plan_19</th><th>bridge_illustrative</th>"));
    assert!(
        proposals.contains("<tr><th>troop_cap</th><td>600,000 troops</td><td>800,000 troops</td>")
    );
    // Marked inputs, each with its kind and citations that point at listed sources.
    let ukraine = between(&page, r#"id="party-ukraine""#, "</section>");
    assert!(ukraine.contains(r#"<span class="tag veto">veto</span>"#));
    assert!(ukraine.contains(r#"<span class="tag fact">fact</span>A settlement of the war needs"#));
    assert!(
        ukraine.contains(r#"<span class="tag assumption">assumption</span>Territory dominates"#)
    );
    assert!(ukraine.contains(r##"<a class="cite" href="#source-3">[3]</a>"##));
    let reservation = bundled_dist("peace-plan-2025.toml", "ukraine.reservation").describe();
    assert!(
        ukraine.contains(&reservation),
        "the reservation, {reservation}"
    );
    assert!(
        ukraine.contains("logistic: 0.5 at normal(mean 700000, sd 40000), scale 60,000"),
        "a value function"
    );
    let bridge = between(&page, r#"id="proposal-bridge_illustrative""#, "</p>\n");
    let note = between(
        &page,
        r#"id="proposal-bridge_illustrative""#,
        r#"<h3 id="parties">"#,
    );
    assert!(bridge.contains("bridge_illustrative"));
    assert!(note.contains(r#"<span class="tag assumption">assumption</span>Illustrative only"#));
    let correlations = between(&page, r#"<h3 id="correlations">"#, r#"<h3 id="protocol">"#);
    assert!(correlations.contains(
        r#"<tr><th>(1) ukraine.reservation</th><td class="num">1</td><td class="num">0.5</td>"#
    ));
    assert!(
        correlations
            .contains(r#"<span class="tag assumption">assumption</span>Where Ukraine values"#)
    );
    let sources = between(&page, r#"<ol class="sources">"#, "</ol>");
    assert_eq!(sources.matches("<li id=\"source-").count(), 4);
    assert!(sources.contains(r#"<li id="source-3">KIIS"#));
    // Provenance: the program, the digest of the file's bytes, seed, rounds, the command.
    let provenance = between(&page, r#"id="provenance""#, "</section>");
    let bytes = std::fs::read(dir.path().join("peace.toml")).unwrap();
    let digest = accord::report::html::sha256_hex(&bytes);
    assert!(provenance.contains(&format!("<code>{digest}</code>")));
    assert!(provenance.contains(&format!("accord {}", env!("CARGO_PKG_VERSION"))));
    assert!(provenance.contains("<dt>seed</dt><dd>2025</dd>"));
    assert!(provenance.contains(&format!(
        "<dt>seed contract</dt><dd>{} ",
        accord::sim::seed::SEED_CONTRACT
    )));
    assert!(provenance.contains("<dt>rounds</dt><dd>3,000</dd>"));
    assert!(provenance.contains(
        "<pre><code>accord report peace.toml --rounds 3000 --sweep --path plan_28..plan_19 --points 11 --sweep"
    ));
}

#[test]
fn a_scenario_without_notes_reads_not_marked_and_a_dynamic_run_draws_its_chart() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        repo_file("scenarios/peace-plan-2025-alternating.toml"),
        dir.path().join("talks.toml"),
    )
    .unwrap();
    ok(
        dir.path(),
        &[
            "report",
            "talks.toml",
            "--rounds",
            "500",
            "-o",
            "talks.html",
        ],
    );
    let page = std::fs::read_to_string(dir.path().join("talks.html")).unwrap();
    assert!(page.contains(r#"<table id="endings">"#));
    assert!(page.contains(r#"<figure id="chart-run"><div class="chart-wide"><svg role="img""#));
    assert_eq!(page.matches("<svg").count(), 2);
    assert!(
        !page.contains(r#"id="sweeps""#),
        "no sweep asked for, no sweep section"
    );
    assert!(page.contains("marks none of its inputs"));
    assert!(page.contains(r#"<span class="tag none">not marked</span>"#));
    assert!(!page.contains(r#"class="tag fact""#));
}

/// A scenario whose every free text tries to break out of the page.
const HOSTILE: &str = r#"
[scenario]
name = "<script>alert('name')</script>"
description = "Tom & Jerry's \"deal\" </p><h1>injected</h1>"
sources = ["<img src=x onerror=alert(1)>", "a \u001b[31m red terminal escape"]

[clauses."x<b>"]
kind = "range"
min = 0
max = 1
unit = "<u>units</u>"
description = "<iframe src='https://example.com'></iframe>"

[proposals."p\"><script>"]
"x<b>" = 0.6

[parties."a<i>"]
description = "</section><script>bad()</script>"
reservation = 0.4
weights = { "x<b>" = 1 }
values."x<b>" = { linear = { worst = 0, best = 1 } }

[basis.clauses]
"x<b>" = { fact = "</p><script>steal()</script>", sources = [1] }

[basis.parties."a<i>"]
reservation = { assumption = "<style>body{display:none}</style>", sources = [2] }
"#;

#[test]
fn scenario_text_is_escaped_everywhere() {
    let dir = crate::common::temp_with("hostile.toml", HOSTILE);
    ok(
        dir.path(),
        &[
            "report",
            "hostile.toml",
            "--rounds",
            "200",
            "--sweep",
            "--clause",
            "x<b>",
            "--points",
            "3",
            "-o",
            "r.html",
        ],
    );
    let page = std::fs::read_to_string(dir.path().join("r.html")).unwrap();
    for raw in [
        "<script",
        "<img",
        "<iframe",
        "<b>",
        "<i>",
        "<u>",
        "<h1>injected",
        "<style>body",
        "\u{1b}",
        "onerror=alert",
    ] {
        // `onerror=alert` may only appear inside escaped text, never as an attribute.
        if raw == "onerror=alert" {
            assert!(
                !page.contains("<img src=x onerror"),
                "raw {raw:?} in the page"
            );
            continue;
        }
        assert!(!page.contains(raw), "raw {raw:?} in the page");
    }
    assert!(page.contains(
        "<title>&lt;script&gt;alert(&#39;name&#39;)&lt;/script&gt; — accord report</title>"
    ));
    assert!(page.contains(
        "Tom &amp; Jerry&#39;s &quot;deal&quot; &lt;/p&gt;&lt;h1&gt;injected&lt;/h1&gt;"
    ));
    assert!(page.contains("&lt;img src=x onerror=alert(1)&gt;"));
    assert!(
        page.contains("a \\x1b[31m red terminal escape"),
        "controls shown, as accord check does"
    );
    assert!(
        page.contains(r#"id="party-a-i-""#),
        "ids keep only safe characters"
    );
    // The one chart still draws (wide and narrow), its text escaped by the SVG writer.
    assert_eq!(page.matches("<svg").count(), 2);
    // The page structure is intact: one of each section.
    assert_eq!(page.matches("<section id=\"provenance\">").count(), 1);
    assert_eq!(page.matches("</body>").count(), 1);
}

#[test]
fn the_same_inputs_give_the_same_bytes_whatever_the_threads() {
    let dir = tempfile::tempdir().unwrap();
    let first = peace_plan_report(dir.path(), &["--threads", "1"]);
    let again = peace_plan_report(dir.path(), &["--threads", "1"]);
    assert!(first == again, "two reports of the same command differ");
    let three = peace_plan_report(dir.path(), &["--threads", "3"]);
    // Only the command line, which names the thread count, differs.
    assert!(three != first);
    assert!(three == first.replace("--threads 1", "--threads 3"));
    assert_eq!(files_in(dir.path()), ["peace.toml", "report.html"]);
}

/// `accord report ok.toml EXTRA… -o report.html`.
fn report<'a>(extra: &[&'a str]) -> Vec<&'a str> {
    let mut a = vec!["report", "ok.toml"];
    a.extend_from_slice(extra);
    a.extend(["-o", "report.html"]);
    a
}

#[test]
fn bad_input_exits_2_names_the_place_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let source = "[scenario]\nname = \"x\"\n\n[clauses.a]\nkind = \"range\"\nmin = 0\nmax = 1\n\n\
                  [proposals.p]\na = 0.5\n\n[parties.u]\nreservation = 0.4\nweights = { a = 1 }\n\
                  values.a = { linear = { worst = 0, best = 1 } }\n";
    std::fs::write(d.join("ok.toml"), source).unwrap();
    std::fs::write(d.join("report.html"), "the old report").unwrap();
    let keep = ["ok.toml", "report.html"];
    assert_rejected(
        d,
        &report(&["--clause", "a"]),
        &["--clause a: comes before any --sweep"],
        &keep,
    );
    assert_rejected(
        d,
        &report(&["--sweep"]),
        &["--sweep (the 1st): has no axis after it"],
        &keep,
    );
    // The second sweep's bad axis is named as typed, although it is that sweep's first.
    assert_rejected(
        d,
        &report(&[
            "--sweep", "--clause", "a", "--sweep", "--clause", "b", "--from", "2",
        ]),
        &["--clause b:", "no clause `b`"],
        &keep,
    );
    assert_rejected(
        d,
        &report(&[
            "--sweep", "--clause", "a", "--sweep", "--clause", "a", "--to", "5",
        ]),
        &["--to 5 (of --clause a)"],
        &keep,
    );
    assert_rejected(
        d,
        &report(&["--proposal", "q"]),
        &["--proposal q:", "no proposal `q`"],
        &keep,
    );
    assert_rejected(
        d,
        &report(&["--shard", "1/2"]),
        &["--shard: a report needs the whole run"],
        &keep,
    );
    assert_rejected(
        d,
        &["report", "ok.toml", "-o", "report.pdf"],
        &["-o report.pdf: a report is one HTML file; name it .html or .htm"],
        &keep,
    );
    // A bad scenario: file, line and column.
    let bad = source.replace("max = 1", "max = \"one\"");
    std::fs::write(d.join("bad.toml"), &bad).unwrap();
    let (line, _) = location(&bad, "max = \"one\"");
    assert_rejected(
        d,
        &["report", "bad.toml", "-o", "report.html"],
        &[&format!("bad.toml:{line}:")],
        &["bad.toml", "ok.toml", "report.html"],
    );
    assert_eq!(
        std::fs::read_to_string(d.join("report.html")).unwrap(),
        "the old report"
    );
    // A folder that does not exist is found before any work (exit 1, as for every command).
    let out = accord_in(d, &["report", "ok.toml", "-o", "no/such/r.html"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(flat(&out.stderr).contains("no/such/r.html"));
}

#[test]
fn basis_notes_are_checked_where_they_are_written() {
    let base = "[scenario]\nname = \"x\"\nsources = [\"one\"]\n\n[clauses.a]\nkind = \"bool\"\n\n\
                [proposals.p]\na = true\n\n[parties.u]\nreservation = 0.4\nweights = { a = 1 }\n\
                values.a = { table = { true = 1, false = 0 } }\n\n";
    let cases: [(&str, &str, &str); 7] = [
        (
            "[basis.clauses]\nb = { fact = \"f\" }\n",
            "b = {",
            "unknown clause `b`",
        ),
        (
            "[basis.clauses]\na = { fact = \"f\", sources = [2] }\n",
            "2]",
            "there is no source 2",
        ),
        (
            "[basis.clauses]\na = { fact = \"f\", sources = [1, 1] }\n",
            "1]",
            "source 1 is cited twice",
        ),
        (
            "[basis.parties.u]\nweigths = { assumption = \"w\" }\n",
            "weigths",
            "did you mean `weights`",
        ),
        (
            "[basis.parties.u]\nreference = { fact = \"r\" }\n",
            "reference",
            "has no `reference` to note",
        ),
        (
            "[basis]\ncorrelation = { assumption = \"c\" }\n",
            "correlation",
            "no [[correlation]] to note",
        ),
        (
            "[basis.clauses]\na = { fact = \"f\", assumption = \"g\" }\n",
            "{ fact",
            "not both",
        ),
    ];
    for (basis, at, message) in cases {
        let text = format!("{base}{basis}");
        let dir = crate::common::temp_with("s.toml", &text);
        let (line, col) = location(&text, at);
        let out = accord_in(dir.path(), &["check", "s.toml"]);
        assert_eq!(out.code, 2, "{basis}: {}", out.stderr);
        let msg = flat(&out.stderr);
        assert!(msg.contains(message), "{basis}: {msg}");
        assert!(
            msg.contains(&format!("s.toml:{line}:{col}")),
            "{basis}: want {line}:{col} in {msg}"
        );
    }
    let good = format!("{base}[basis.clauses]\na = {{ fact = \"f\", sources = [1] }}\n");
    let dir = crate::common::temp_with("s.toml", &good);
    assert_eq!(accord_in(dir.path(), &["check", "s.toml"]).code, 0);
}
