//! The results: proposals put to the parties (each estimate with its 95% interval), a
//! dynamic protocol's play, and each sweep as its chart — drawn by the same code as `--plot`,
//! embedded as inline SVG — with its points in a table.

use std::fmt::Write;

use super::escape::esc;
use crate::error::Error;
use crate::protocol::DealResult;
use crate::protocol::dynamic::DynamicResult;
use crate::report::plot;
use crate::request::{Body, RunResult};
use crate::sim::Estimate;
use crate::sweep::{AxisInfo, SweepResult};

/// The size of each chart's second drawing, for phones: laid out for a narrow screen (the
/// legend placed for it, labels at a legible scale) rather than the wide chart shrunk.
const NARROW: (u32, u32) = (480, 560);

/// A probability to three decimals, as the terminal tables give it.
fn prob(p: f64) -> String {
    if p.is_nan() {
        "–".into()
    } else {
        format!("{p:.3}")
    }
}

/// An estimate with its interval, as table cells' content.
fn estimate(e: &Estimate) -> String {
    format!(
        r#"{} <span class="ci">[{}, {}]</span>"#,
        prob(e.p),
        prob(e.lo),
        prob(e.hi)
    )
}

/// A mean that may be undefined.
fn mean(x: Option<f64>) -> String {
    match x {
        Some(v) if v.is_finite() => format!("{v:.3}"),
        _ => "–".into(),
    }
}

/// The main result: what `accord run` gives for the same request.
pub(super) fn main(o: &mut String, r: &RunResult, size: (u32, u32)) -> Result<(), Error> {
    let _ = writeln!(o, r#"<section id="results"><h2>Results</h2>"#);
    let n = crate::text::thousands(r.header.rounds);
    let agreement = match &r.header.rule {
        Some(rule) => format!("agreement (by the rule: {})", esc(rule)),
        None => "agreement (every veto holder accepts)".to_string(),
    };
    match &r.body {
        Body::Proposals { results } => proposals(o, results, &agreement, &n),
        Body::Dynamic(d) => dynamic(o, r, d, &n, size)?,
        // A report's sweeps have their own section; concessions and searches are not part of
        // a report yet.
        Body::Sweep(_) | Body::Concessions(_) | Body::Search(_) => {}
    }
    let _ = writeln!(o, "</section>");
    Ok(())
}

fn proposals(o: &mut String, results: &[DealResult], agreement: &str, n: &str) {
    let _ = writeln!(
        o,
        r#"<p>How likely each party is to accept each proposal, and all veto holders together, over {n} simulated rounds: each estimate with its 95% Wilson interval in brackets.</p>"#
    );
    let Some(first) = results.first() else {
        return;
    };
    let _ = write!(
        o,
        r#"<div class="wide"><table id="acceptance"><caption>P(accept) [95% interval]</caption><thead><tr><th></th>"#
    );
    for r in results {
        let _ = write!(o, r#"<th class="num">{}</th>"#, esc(&r.proposal));
    }
    let _ = writeln!(o, "</tr></thead><tbody>");
    let _ = write!(o, r#"<tr class="agreement"><th>{agreement}</th>"#);
    for r in results {
        let _ = write!(o, r#"<td class="num">{}</td>"#, estimate(&r.agreement));
    }
    let _ = writeln!(o, "</tr>");
    for (k, p) in first.parties.iter().enumerate() {
        let veto = if p.veto {
            r#" <span class="tag veto">veto</span>"#
        } else {
            ""
        };
        let _ = write!(o, "<tr><th>{}{veto}</th>", esc(&p.party));
        for r in results {
            let _ = write!(
                o,
                r#"<td class="num">{}</td>"#,
                estimate(&r.parties[k].accept)
            );
        }
        let _ = writeln!(o, "</tr>");
    }
    let _ = writeln!(o, "</tbody></table></div>");

    let _ = write!(
        o,
        r#"<div class="wide"><table id="utility"><caption>Mean utility, and margin over the reservation (utility − reservation): utility on [0, 1], or down to 1 − λ with a reference point</caption><thead><tr><th></th>"#
    );
    for r in results {
        let _ = write!(o, r#"<th class="num">{}</th>"#, esc(&r.proposal));
    }
    let _ = writeln!(o, "</tr></thead><tbody>");
    for (k, p) in first.parties.iter().enumerate() {
        let _ = write!(o, "<tr><th>{}</th>", esc(&p.party));
        for r in results {
            let q = &r.parties[k];
            let _ = write!(
                o,
                r#"<td class="num">{:.3} <span class="ci">({:+.3})</span></td>"#,
                q.mean_utility, q.mean_margin
            );
        }
        let _ = writeln!(o, "</tr>");
    }
    let _ = writeln!(o, "</tbody></table></div>");
}

fn dynamic(
    o: &mut String,
    r: &RunResult,
    d: &DynamicResult,
    n: &str,
    size: (u32, u32),
) -> Result<(), Error> {
    let _ = writeln!(
        o,
        r#"<p>The protocol played over {n} simulated rounds (deadline {} steps): each estimate with its 95% Wilson interval in brackets.</p>"#,
        d.deadline
    );
    let _ = writeln!(
        o,
        r#"<div class="wide"><table id="endings"><caption>How the talks ended</caption><thead><tr><th>ending</th><th class="num">share [95% interval]</th></tr></thead><tbody>"#
    );
    let e = &d.endings;
    for (name, est) in [
        ("agreement", &e.agreement),
        ("breakdown", &e.breakdown),
        ("deadline", &e.deadline),
        ("stalled", &e.stalled),
        ("deserted", &e.deserted),
    ] {
        let class = if name == "agreement" {
            r#" class="agreement""#
        } else {
            ""
        };
        let _ = writeln!(
            o,
            r#"<tr{class}><th>{name}</th><td class="num">{}</td></tr>"#,
            estimate(est)
        );
    }
    let _ = writeln!(o, "</tbody></table></div>");
    if let Some(step) = d.mean_agreement_step {
        let _ = writeln!(o, "<p>Mean step of agreement: {step:.2}.</p>");
    }
    let _ = writeln!(
        o,
        r#"<div class="wide"><table id="parties-result"><caption>Each party, over the rounds that agreed (reservation over all rounds)</caption><thead><tr><th>party</th><th class="num">mean utility</th><th class="num">discounted value</th><th class="num">shortfall</th><th class="num">reservation</th></tr></thead><tbody>"#
    );
    for p in &d.parties {
        let veto = if p.veto {
            r#" <span class="tag veto">veto</span>"#
        } else {
            ""
        };
        let _ = writeln!(
            o,
            r#"<tr><th>{}{veto}</th><td class="num">{}</td><td class="num">{}</td><td class="num">{}</td><td class="num">{}</td></tr>"#,
            esc(&p.party),
            mean(p.mean_utility),
            mean(p.mean_value),
            mean(p.mean_shortfall),
            mean(p.mean_reservation)
        );
    }
    let _ = writeln!(o, "</tbody></table></div>");
    figure(
        o,
        r,
        size,
        "chart-run",
        "Agreement by step, and each party's offer path (its reservation dashed).",
    )?;
    Ok(())
}

/// The sweeps section: one chart and one table per sweep.
pub(super) fn sweeps(o: &mut String, sweeps: &[RunResult], size: (u32, u32)) -> Result<(), Error> {
    if sweeps.is_empty() {
        return Ok(());
    }
    let _ = writeln!(
        o,
        r#"<section id="sweeps"><h2>Acceptance against concession</h2><p>Each sweep varies a proposal (or a protocol's parameter) and plays every point on the same simulated worlds, so differences between points are not sampling noise. Bands and brackets are 95% intervals.</p>"#
    );
    for (k, r) in sweeps.iter().enumerate() {
        let Some(s) = r.sweep() else { continue };
        let _ = writeln!(
            o,
            r#"<h3 id="sweep-{}">{}</h3>"#,
            k + 1,
            esc(&capitalised(&s.info.description))
        );
        figure(o, r, size, &format!("chart-sweep-{}", k + 1), &caption(s))?;
        points(o, s, k + 1);
    }
    let _ = writeln!(o, "</section>");
    Ok(())
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// What a sweep's chart shows, for its caption.
fn caption(s: &SweepResult) -> String {
    if s.info.axes.len() == 2 {
        "The probability of agreement over the grid of the two swept values.".into()
    } else if s.info.axes.iter().any(|a| a.kind == "param") {
        // A dynamic protocol's sweep draws only agreement (every party at the table accepts).
        "Agreement against the swept parameter, with its 95% band; the scenario's own value marked on the axis.".into()
    } else {
        "Acceptance by each veto holder and agreement of all of them against the swept value, with 95% bands; named proposals marked on the axis.".into()
    }
}

/// A swept value as a reader reads it: an option's name, a whole number grouped, or a
/// decimal without float noise.
fn axis_value(a: &AxisInfo, x: f64) -> String {
    if let Some(options) = &a.options {
        return options
            .get(x.round().max(0.0) as usize)
            .cloned()
            .unwrap_or_else(|| crate::text::decimal(x));
    }
    if a.integer {
        crate::text::thousands(x.round() as i64)
    } else {
        crate::text::decimal(x)
    }
}

/// A sweep's points: its coordinates, agreement and each party's acceptance.
fn points(o: &mut String, s: &SweepResult, k: usize) {
    let _ = write!(
        o,
        r#"<div class="wide"><table id="sweep-table-{k}"><caption>The swept points: P [95% interval]</caption><thead><tr>"#
    );
    for a in &s.info.axes {
        let _ = write!(o, "<th>{}</th>", esc(&a.label));
    }
    let _ = write!(o, r#"<th class="num">agreement</th>"#);
    let dynamic = s.info.axes.iter().any(|a| a.kind == "param");
    // Under a dynamic protocol every party's acceptance repeats agreement; only ratify has
    // party columns of its own.
    let parties: Vec<usize> = if dynamic {
        Vec::new()
    } else {
        (0..s.info.parties.len()).collect()
    };
    for &i in &parties {
        let _ = write!(o, r#"<th class="num">{}</th>"#, esc(&s.info.parties[i]));
    }
    let _ = writeln!(o, "</tr></thead><tbody>");
    for p in &s.points {
        let _ = write!(o, "<tr>");
        for (a, x) in s.info.axes.iter().zip(&p.x) {
            let _ = write!(o, "<td>{}</td>", esc(&axis_value(a, *x)));
        }
        let _ = write!(o, r#"<td class="num">{}</td>"#, estimate(&p.agreement));
        for &i in &parties {
            let _ = write!(
                o,
                r#"<td class="num">{}</td>"#,
                estimate(&p.parties[i].accept)
            );
        }
        let _ = writeln!(o, "</tr>");
    }
    let _ = writeln!(o, "</tbody></table></div>");
}

/// A result's chart in a figure, twice as inline SVG: drawn at `size` for wide screens and
/// print, and at [`NARROW`] for phones; the stylesheet shows one of them. Labelled for
/// screen readers.
fn figure(
    o: &mut String,
    r: &RunResult,
    size: (u32, u32),
    id: &str,
    caption: &str,
) -> Result<(), Error> {
    let _ = write!(o, r#"<figure id="{id}">"#);
    for (class, size) in [("chart-wide", size), ("chart-narrow", NARROW)] {
        let svg = plot::svg(r, size)?;
        // An XML declaration is not allowed inside HTML; the element itself is.
        let svg = match svg.find("<svg") {
            Some(at) => &svg[at..],
            None => &svg[..],
        };
        let labelled = svg.replacen(
            "<svg",
            &format!(r#"<svg role="img" aria-label="{}""#, esc(caption)),
            1,
        );
        let _ = write!(o, r#"<div class="{class}">{}</div>"#, labelled.trim_end());
    }
    let _ = writeln!(o, "<figcaption>{}</figcaption></figure>", esc(caption));
    Ok(())
}
