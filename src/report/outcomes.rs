//! `accord analyse` output: the outcome space's size, its Pareto frontier and the solution
//! points, as a table, JSON, or CSV (one row per Pareto-optimal box of outcomes).

use std::fmt::Write;

use indexmap::IndexMap;
use serde::Serialize;

use crate::analysis::outcomes::{Analysis, AxisKind, Entry, Point, Space};

/// A deal's value as JSON: an option name, a bool or a number.
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum JsonValue {
    Text(String),
    Bool(bool),
    Number(f64),
}

#[derive(Debug, Serialize)]
struct JsonParty {
    name: String,
    reservation: f64,
}

#[derive(Debug, Serialize)]
struct JsonGrid {
    clause: String,
    points: usize,
}

#[derive(Debug, Serialize)]
struct JsonEntry {
    utilities: IndexMap<String, f64>,
    deal: IndexMap<String, JsonValue>,
    /// Outcomes with these utilities in the box (the deal is the first).
    count: u128,
}

#[derive(Debug, Serialize)]
struct JsonPoint {
    #[serde(flatten)]
    entry: JsonEntry,
    #[serde(skip_serializing_if = "Option::is_none")]
    product: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    gap: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    welfare: Option<f64>,
}

#[derive(Debug, Serialize)]
struct JsonPareto {
    outcomes: u128,
    points: usize,
    frontier: Vec<JsonEntry>,
}

#[derive(Debug, Serialize)]
struct JsonReport {
    name: String,
    outcomes: u128,
    parties: Vec<JsonParty>,
    /// Range clauses searched on a grid rather than value by value.
    grid: Vec<JsonGrid>,
    /// Uncertain parameters taken at their means.
    uncertain_at_mean: usize,
    pareto: JsonPareto,
    nash: Option<JsonPoint>,
    kalai_smorodinsky: JsonPoint,
    max_welfare: JsonPoint,
}

fn json_entry(space: &Space, e: &Entry) -> JsonEntry {
    let o = e.outcome();
    JsonEntry {
        utilities: space
            .parties
            .iter()
            .cloned()
            .zip(e.utilities.iter().copied())
            .collect(),
        deal: space
            .axes
            .iter()
            .zip(&o)
            .map(|(a, &k)| {
                let v = match a.kind {
                    AxisKind::Choice => JsonValue::Text(a.labels[k].clone()),
                    AxisKind::Bool => JsonValue::Bool(a.values[k] >= 0.5),
                    AxisKind::Number => JsonValue::Number(a.values[k]),
                };
                (a.name.clone(), v)
            })
            .collect(),
        count: e.count,
    }
}

/// The analysis as pretty JSON.
pub fn json(name: &str, space: &Space, a: &Analysis) -> String {
    let point = |p: &Point, which: usize| {
        let v = Some(p.value);
        JsonPoint {
            entry: json_entry(space, &a.frontier[p.entry]),
            product: v.filter(|_| which == 0),
            gap: v.filter(|_| which == 1),
            welfare: v.filter(|_| which == 2),
        }
    };
    let report = JsonReport {
        name: name.to_string(),
        outcomes: a.outcomes,
        parties: space
            .parties
            .iter()
            .zip(&space.reservations)
            .map(|(n, r)| JsonParty {
                name: n.clone(),
                reservation: *r,
            })
            .collect(),
        grid: space
            .gridded()
            .map(|g| JsonGrid {
                clause: g.name.clone(),
                points: g.values.len(),
            })
            .collect(),
        uncertain_at_mean: space.means_used,
        pareto: JsonPareto {
            outcomes: a.pareto_outcomes(),
            points: a.pareto_points(),
            frontier: a.frontier.iter().map(|e| json_entry(space, e)).collect(),
        },
        nash: a.nash.as_ref().map(|p| point(p, 0)),
        kalai_smorodinsky: point(&a.kalai_smorodinsky, 1),
        max_welfare: point(&a.max_welfare, 2),
    };
    super::json::to_json(&report)
}

fn deal_text(space: &Space, e: &Entry) -> String {
    space
        .axes
        .iter()
        .zip(e.outcome())
        .map(|(a, k)| format!("{} = {}", a.name, a.labels[k]))
        .collect::<Vec<_>>()
        .join("; ")
}

/// `1234567` → `1,234,567` for any size.
fn count(n: u128) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The analysis as aligned text; `frontier` lists every Pareto-optimal box.
pub fn table(name: &str, space: &Space, a: &Analysis, frontier: bool) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "{name}");
    let _ = writeln!(
        o,
        "outcomes:         {} ({} clause{}, {} part{})",
        count(a.outcomes),
        space.axes.len(),
        if space.axes.len() == 1 { "" } else { "s" },
        space.parties.len(),
        if space.parties.len() == 1 { "y" } else { "ies" }
    );
    let grid: Vec<String> = space
        .gridded()
        .map(|g| format!("{} ({} points)", g.name, g.values.len()))
        .collect();
    if !grid.is_empty() {
        let _ = writeln!(o, "on a grid:        {}", grid.join(", "));
    }
    if space.means_used > 0 {
        let _ = writeln!(
            o,
            "uncertain:        {} parameters taken at their means",
            space.means_used
        );
    }
    let points = a.pareto_points();
    let _ = writeln!(
        o,
        "Pareto frontier:  {} outcomes, {} distinct utility point{}",
        count(a.pareto_outcomes()),
        points,
        if points == 1 { "" } else { "s" }
    );

    let labels = ["reservation", "nash", "kalai_smorodinsky", "max_welfare"];
    let first = labels.iter().map(|l| l.len()).max().unwrap_or(0) + 2;
    let widths: Vec<usize> = space
        .parties
        .iter()
        .map(|p| p.chars().count().max(8))
        .collect();
    let _ = write!(o, "\n{:first$}", "");
    for (p, w) in space.parties.iter().zip(&widths) {
        let _ = write!(o, "  {p:>w$}");
    }
    let _ = writeln!(o, "  criterion");
    let _ = write!(o, "{:first$}", "reservation");
    for (r, w) in space.reservations.iter().zip(&widths) {
        let _ = write!(o, "  {r:>w$.4}");
    }
    o.push('\n');
    let rows: [(&str, Option<&Point>, &str); 3] = [
        ("nash", a.nash.as_ref(), "product of gains"),
        (
            "kalai_smorodinsky",
            Some(&a.kalai_smorodinsky),
            "sum of gaps",
        ),
        ("max_welfare", Some(&a.max_welfare), "sum of utilities"),
    ];
    for (label, p, what) in rows {
        let _ = write!(o, "{label:first$}");
        match p {
            Some(p) => {
                for (u, w) in a.frontier[p.entry].utilities.iter().zip(&widths) {
                    let _ = write!(o, "  {u:>w$.4}");
                }
                let _ = writeln!(o, "  {what} {:.4}", p.value);
            }
            None => {
                let _ = writeln!(o, "  no outcome gives every party its reservation");
            }
        }
    }
    o.push('\n');
    for (label, p, _) in rows {
        if let Some(p) = p {
            let e = &a.frontier[p.entry];
            let more = if e.count > 1 {
                format!("  (and {} more with equal utilities)", count(e.count - 1))
            } else {
                String::new()
            };
            let _ = writeln!(o, "{label:first$}{}{more}", deal_text(space, e));
        }
    }
    if frontier {
        let _ = writeln!(
            o,
            "\nPareto frontier (utilities, then the deal; [N outcomes] where N deals share them):"
        );
        for e in &a.frontier {
            let us: Vec<String> = e.utilities.iter().map(|u| format!("{u:.4}")).collect();
            let more = if e.count > 1 {
                format!("  [{} outcomes]", count(e.count))
            } else {
                String::new()
            };
            let _ = writeln!(o, "  {}  {}{more}", us.join("  "), deal_text(space, e));
        }
    }
    o
}

/// The frontier as CSV: `count`, `u_<party>` per party, then one column per clause.
pub fn csv(space: &Space, a: &Analysis) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header = vec!["count".to_string()];
    header.extend(space.parties.iter().map(|p| format!("u_{p}")));
    header.extend(space.axes.iter().map(|x| x.name.clone()));
    let _ = w.write_record(&header);
    for e in &a.frontier {
        let mut row = vec![e.count.to_string()];
        row.extend(e.utilities.iter().map(|u| u.to_string()));
        row.extend(
            space
                .axes
                .iter()
                .zip(e.outcome())
                .map(|(x, k)| match x.kind {
                    AxisKind::Number => x.values[k].to_string(),
                    _ => x.labels[k].clone(),
                }),
        );
        let _ = w.write_record(&row);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}
