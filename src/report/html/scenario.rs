//! The scenario in words: clauses, the proposals side by side, each party's settings, the
//! correlations, the protocol and the sources — every input with its basis (reported fact,
//! assumption, or not marked) and the sources it cites.

use std::fmt::Write;

use super::escape::{esc, id};
use crate::model::{AcceptRule, ClauseKind, Note, Param, Scenario, Standing, ValueFn};

/// The scenario section.
pub(super) fn section(o: &mut String, s: &Scenario) {
    let _ = writeln!(o, r#"<section id="scenario"><h2>The scenario</h2>"#);
    if s.basis.is_empty() {
        let _ = writeln!(
            o,
            r#"<p class="muted">This scenario file marks none of its inputs as a reported fact or an assumption (its <code>[basis]</code> table is empty), so each is shown as <span class="tag none">not marked</span>.</p>"#
        );
    } else {
        let _ = writeln!(
            o,
            r##"<p>Each input is marked <span class="tag fact">fact</span> when a source reports it, <span class="tag assumption">assumption</span> when it is the modeller's judgement, or <span class="tag none">not marked</span>; numbers in brackets cite the <a href="#sources">sources</a>. Results are what these inputs imply, not forecasts.</p>"##
        );
    }
    clauses(o, s);
    proposals(o, s);
    parties(o, s);
    correlations(o, s);
    protocol(o, s);
    let _ = writeln!(o, "</section>");
    sources(o, s);
}

/// A note's tag, text and citations, as a paragraph; "not marked" without one.
fn basis(o: &mut String, note: Option<&Note>) {
    match note {
        None => {
            let _ = writeln!(
                o,
                r#"<p class="basis"><span class="tag none">not marked</span></p>"#
            );
        }
        Some(n) => {
            let class = n.standing.name();
            let label = match n.standing {
                Standing::Fact => "fact",
                Standing::Assumption => "assumption",
            };
            let _ = write!(
                o,
                r#"<p class="basis"><span class="tag {class}">{label}</span>{}"#,
                esc(&n.text)
            );
            for &k in &n.sources {
                let _ = write!(
                    o,
                    r##" <a class="cite" href="#source-{0}">[{0}]</a>"##,
                    k + 1
                );
            }
            let _ = writeln!(o, "</p>");
        }
    }
}

/// A parameter: its number, or its distribution.
fn param(s: &Scenario, p: Param) -> String {
    match p {
        Param::Fixed(v) => number(v),
        Param::Slot(i) => s.uncertain[i].dist.dist.describe(),
    }
}

/// A number as a reader writes it: thousands grouped for large whole numbers.
fn number(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() >= 10_000.0 && v.abs() < 1e15 {
        crate::text::thousands(v as i64)
    } else {
        crate::text::decimal(v)
    }
}

fn clauses(o: &mut String, s: &Scenario) {
    let _ = writeln!(
        o,
        r#"<h3 id="clauses">Clauses</h3><div class="wide"><table><thead><tr><th>clause</th><th>values</th><th>what it is, and its basis</th></tr></thead><tbody>"#
    );
    for (i, c) in s.clauses.iter().enumerate() {
        let _ = write!(
            o,
            r#"<tr id="{}"><th>{}</th><td>{}</td><td>"#,
            id("clause", &c.name),
            esc(&c.name),
            esc(&c.describe_domain())
        );
        if let Some(d) = &c.description {
            let _ = write!(o, "<p>{}</p>", esc(d));
        }
        basis(o, s.basis.clause(i));
        let _ = writeln!(o, "</td></tr>");
    }
    let _ = writeln!(o, "</tbody></table></div>");
}

fn proposals(o: &mut String, s: &Scenario) {
    let _ = writeln!(o, r#"<h3 id="proposals">Proposals</h3>"#);
    if s.proposals.is_empty() {
        let _ = writeln!(o, r#"<p class="muted">The scenario has no proposals.</p>"#);
        return;
    }
    let _ = write!(
        o,
        r#"<div class="wide"><table><caption>Each proposal's terms, side by side.</caption><thead><tr><th>clause</th>"#
    );
    for p in &s.proposals {
        let _ = write!(o, "<th>{}</th>", esc(&p.name));
    }
    let _ = writeln!(o, "</tr></thead><tbody>");
    for (k, c) in s.clauses.iter().enumerate() {
        let _ = write!(o, "<tr><th>{}</th>", esc(&c.name));
        for p in &s.proposals {
            let _ = write!(o, "<td>{}</td>", esc(&c.format_value(p.deal[k])));
        }
        let _ = writeln!(o, "</tr>");
    }
    let _ = writeln!(o, "</tbody></table></div>");
    for (i, p) in s.proposals.iter().enumerate() {
        let _ = writeln!(
            o,
            r#"<p id="{}"><strong>{}</strong></p>"#,
            id("proposal", &p.name),
            esc(&p.name)
        );
        basis(o, s.basis.proposal(i));
    }
}

fn parties(o: &mut String, s: &Scenario) {
    let _ = writeln!(o, r#"<h3 id="parties">Parties</h3>"#);
    let means = s.mean_slots();
    for (i, p) in s.parties.iter().enumerate() {
        let _ = write!(
            o,
            r#"<section class="party" id="{}"><h3>{}"#,
            id("party", &p.name),
            esc(&p.name)
        );
        if p.veto {
            let _ = write!(o, r#" <span class="tag veto">veto</span>"#);
        }
        let _ = writeln!(o, "</h3>");
        if let Some(d) = &p.description {
            let _ = writeln!(o, "<p>{}</p>", esc(d));
        }
        let _ = writeln!(o, r#"<dl class="settings">"#);
        let veto = if p.veto {
            "yes: agreement needs this party's acceptance"
        } else {
            "no: its acceptance is reported, agreement does not need it"
        };
        let _ = writeln!(o, "<dt>Veto</dt><dd>{veto}");
        basis(o, s.basis.party(i, "veto"));
        let _ = writeln!(o, "</dd>");

        // Weights with each clause's share at the mean weights (weights are renormalised to
        // sum to 1 in every round), and the value function beside each.
        let total: f64 = p.weights.iter().map(|w| w.get(&means)).sum();
        let _ = writeln!(
            o,
            r#"<dt>Weights and value functions</dt><dd><div class="wide"><table class="weights"><caption>Each clause the party weighs: its weight, its share at the mean weights (weights are renormalised to sum to 1 in every round), and its value function (0 worst, 1 best).</caption><thead><tr><th>clause</th><th>weight</th><th class="num">share</th><th>value function</th></tr></thead><tbody>"#
        );
        for (k, c) in s.clauses.iter().enumerate() {
            let Some(f) = &p.values[k] else { continue };
            let w = p.weights[k];
            let share = if total > 0.0 {
                w.get(&means) / total
            } else {
                0.0
            };
            let _ = writeln!(
                o,
                r#"<tr><th>{}</th><td>{}</td><td class="num">{:.0}%</td><td class="vf">{}</td></tr>"#,
                esc(&c.name),
                esc(&param(s, w)),
                share * 100.0,
                esc(&value_fn(s, c.kind(), f))
            );
        }
        let _ = writeln!(o, "</tbody></table></div>");
        let _ = writeln!(o, "<p><strong>Weights:</strong></p>");
        basis(o, s.basis.party(i, "weights"));
        let _ = writeln!(o, "<p><strong>Value functions:</strong></p>");
        basis(o, s.basis.party(i, "values"));
        let _ = writeln!(o, "</dd>");

        let _ = writeln!(
            o,
            "<dt>Reservation (what no deal is worth)</dt><dd>{}",
            esc(&param(s, p.reservation))
        );
        basis(o, s.basis.party(i, "reservation"));
        let _ = writeln!(o, "</dd>");

        let rule = match &p.accept {
            AcceptRule::Threshold => {
                "threshold: accepts exactly when utility ≥ reservation".to_string()
            }
            AcceptRule::Logit { temperature } => format!(
                "logit: accepts with probability 1 / (1 + e^(−(utility − reservation) / T)), T = {}",
                param(s, *temperature)
            ),
        };
        let _ = writeln!(o, "<dt>Decision rule</dt><dd>{}", esc(&rule));
        basis(o, s.basis.party(i, "accept"));
        let _ = writeln!(o, "</dd>");

        if let Some(r) = &p.reference {
            let _ = writeln!(
                o,
                "<dt>Reference point</dt><dd>anchored on {}: a clause worse than in it counts as a loss, weighed {} times",
                esc(&r.proposal),
                esc(&param(s, r.loss_aversion))
            );
            basis(o, s.basis.party(i, "reference"));
            let _ = writeln!(o, "</dd>");
        }
        let _ = writeln!(o, "</dl></section>");
    }
}

/// A value function in words, with option names for choice and bool clauses.
fn value_fn(s: &Scenario, kind: &ClauseKind, f: &ValueFn) -> String {
    let p = |x: &Param| param(s, *x);
    match f {
        ValueFn::Linear { worst, best } => format!("linear: 0 at {}, 1 at {}", p(worst), p(best)),
        ValueFn::Power {
            worst,
            best,
            exponent,
        } => format!("power {}: 0 at {}, 1 at {}", p(exponent), p(worst), p(best)),
        ValueFn::Logistic { midpoint, scale } => {
            format!("logistic: 0.5 at {}, scale {}", p(midpoint), p(scale))
        }
        ValueFn::Piecewise { xs, vs } => {
            let points: Vec<String> = xs
                .iter()
                .zip(vs)
                .map(|(x, v)| format!("{} → {}", number(*x), p(v)))
                .collect();
            format!("piecewise linear: {}", points.join(", "))
        }
        ValueFn::Table { values } => {
            let names: Vec<String> = match kind {
                ClauseKind::Choice { options } => options.clone(),
                _ => vec!["false".into(), "true".into()],
            };
            let cells: Vec<String> = names
                .iter()
                .zip(values)
                .map(|(n, v)| format!("{n} {}", p(v)))
                .collect();
            cells.join(", ")
        }
    }
}

fn correlations(o: &mut String, s: &Scenario) {
    if s.correlations.is_empty() {
        return;
    }
    let _ = writeln!(o, r#"<h3 id="correlations">Correlations</h3>"#);
    let _ = writeln!(
        o,
        "<p>These uncertain parameters are drawn jointly (a Gaussian copula), each keeping its own distribution:</p>"
    );
    for c in &s.correlations {
        let names: Vec<&str> = c
            .slots
            .iter()
            .map(|&k| s.uncertain[k].path.as_str())
            .collect();
        // Columns by number, rows by name: the names are long, and a phone has no room for
        // them twice.
        let _ = write!(
            o,
            r#"<div class="wide"><table class="corr"><thead><tr><th>parameter</th>"#
        );
        for k in 1..=names.len() {
            let _ = write!(o, r#"<th class="num">({k})</th>"#);
        }
        let _ = writeln!(o, "</tr></thead><tbody>");
        for (r, n) in names.iter().enumerate() {
            let _ = write!(o, "<tr><th>({}) {}</th>", r + 1, esc(n));
            for k in 0..names.len() {
                let _ = write!(
                    o,
                    r#"<td class="num">{}</td>"#,
                    crate::text::decimal(entry(&c.cholesky, names.len(), r, k))
                );
            }
            let _ = writeln!(o, "</tr>");
        }
        let _ = writeln!(o, "</tbody></table></div>");
    }
    basis(o, s.basis.correlation.as_ref());
}

/// Entry `(r, k)` of the correlation matrix `L·Lᵀ` from its lower-triangular Cholesky factor
/// `l` (row-major, `n × n`): the model keeps only the factor.
fn entry(l: &[f64], n: usize, r: usize, k: usize) -> f64 {
    (0..n).map(|j| l[r * n + j] * l[k * n + j]).sum()
}

fn protocol(o: &mut String, s: &Scenario) {
    let _ = writeln!(o, r#"<h3 id="protocol">Protocol</h3>"#);
    let what = match s.protocol.name() {
        "ratify" => "ratify: each proposal is put to every party as it stands, in every round",
        "alternating" => "alternating offers among the negotiators, with concession tactics",
        "mediated" => "a mediator amends a single text until the parties accept it",
        "equilibrium" => "the subgame-perfect equilibrium of stacked alternating offers",
        _ => "Baron–Ferejohn legislative bargaining over a pie",
    };
    let voters = s.protocol.voters(s.parties.len());
    let _ = writeln!(
        o,
        "<p>{}. Agreement: {}.</p>",
        esc(what),
        esc(&s.protocol.rule().describe(&s.parties, voters))
    );
    let details = crate::protocol::dynamic::describe::describe(s);
    let lines: Vec<&str> = details
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with("rule:"))
        .collect();
    if !lines.is_empty() {
        let _ = writeln!(o, "<ul>");
        for l in lines {
            let _ = writeln!(o, "<li>{}</li>", esc(l));
        }
        let _ = writeln!(o, "</ul>");
    }
}

fn sources(o: &mut String, s: &Scenario) {
    let _ = writeln!(o, r#"<section id="sources"><h2>Sources</h2>"#);
    if s.sources.is_empty() {
        let _ = writeln!(o, r#"<p class="muted">The scenario lists no sources.</p>"#);
    } else {
        let _ = writeln!(o, r#"<ol class="sources">"#);
        for (k, src) in s.sources.iter().enumerate() {
            let _ = writeln!(o, r#"<li id="source-{}">{}</li>"#, k + 1, esc(src));
        }
        let _ = writeln!(o, "</ol>");
    }
    let _ = writeln!(o, "</section>");
}
