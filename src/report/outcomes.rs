//! `accord analyse` output: the outcome space's size, its Pareto frontier and the solution
//! points, as a table, JSON, or CSV (one row per Pareto-optimal entry of outcomes).

use std::fmt::Write;

use indexmap::IndexMap;
use serde::Serialize;

use crate::analysis::outcomes::{Analysis, AxisKind, Entry, Point, Refinement, Space};

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
    /// Whether the party's acceptance is needed (its utility counts in the frontier and the
    /// solution points).
    needed: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    power: Option<f64>,
    /// Best utility over the individually rational outcomes.
    #[serde(skip_serializing_if = "Option::is_none")]
    ideal: Option<f64>,
}

#[derive(Debug, Serialize)]
struct JsonGrid {
    clause: String,
    points: usize,
    /// The widest gap between neighbouring grid values.
    step: f64,
}

#[derive(Debug, Serialize)]
struct JsonEntry {
    utilities: IndexMap<String, f64>,
    deal: IndexMap<String, JsonValue>,
    /// Outcomes with these utilities (the deal is the first).
    count: u128,
}

/// How far a point may be from the deal space's optimum: it is the best grid point at
/// `resolution`, each gridded clause resolved to its grid `step`.
#[derive(Debug, Serialize)]
struct JsonGridError {
    resolution: usize,
    step: IndexMap<String, f64>,
}

#[derive(Debug, Serialize)]
struct JsonPoint {
    #[serde(flatten)]
    entry: JsonEntry,
    #[serde(skip_serializing_if = "Option::is_none")]
    product: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    min_fraction: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    gap: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    welfare: Option<f64>,
    /// Whether the point is the optimum over the whole deal space.
    exact: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    grid_error: Option<JsonGridError>,
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
    /// "enumerated" (no grid), "exact" (one linear gridded clause, solved off the grid) or
    /// "grid" (best grid points).
    solution_points: &'static str,
    /// Uncertain parameters taken at their means.
    uncertain_at_mean: usize,
    pareto: JsonPareto,
    nash: Option<JsonPoint>,
    kalai_smorodinsky: Option<JsonPoint>,
    genius_ks: JsonPoint,
    max_welfare: Option<JsonPoint>,
}

fn json_value(space: &Space, axis: usize, x: f64) -> JsonValue {
    let a = &space.axes[axis];
    match a.kind {
        AxisKind::Choice => JsonValue::Text(space.label(axis, x)),
        AxisKind::Bool => JsonValue::Bool(x >= 0.5),
        AxisKind::Number => JsonValue::Number(x),
    }
}

fn json_deal(space: &Space, deal: &[f64]) -> IndexMap<String, JsonValue> {
    space
        .axes
        .iter()
        .enumerate()
        .zip(deal)
        .map(|((i, a), &x)| (a.name.clone(), json_value(space, i, x)))
        .collect()
}

fn json_utilities(space: &Space, u: &[f64]) -> IndexMap<String, f64> {
    space
        .parties
        .iter()
        .cloned()
        .zip(u.iter().copied())
        .collect()
}

fn json_entry(space: &Space, a: &Analysis, i: usize) -> JsonEntry {
    let e: &Entry = &a.frontier[i];
    JsonEntry {
        utilities: json_utilities(space, &e.utilities),
        deal: json_deal(space, &space.deal(&a.outcome(i))),
        count: e.count,
    }
}

/// The widest gap between neighbouring values of a gridded axis.
fn step(values: &[f64]) -> f64 {
    values.windows(2).map(|w| w[1] - w[0]).fold(0.0, f64::max)
}

/// The analysis as pretty JSON.
pub fn json(name: &str, space: &Space, a: &Analysis) -> String {
    let grid_error = |p: &Point| {
        (!p.exact).then(|| JsonGridError {
            resolution: space.resolution.unwrap_or(0),
            step: space
                .gridded()
                .map(|g| (g.name.clone(), step(&g.values)))
                .collect(),
        })
    };
    let point = |p: &Point, which: usize| {
        let v = Some(p.value);
        JsonPoint {
            entry: JsonEntry {
                utilities: json_utilities(space, &p.utilities),
                deal: json_deal(space, &p.deal),
                count: p.count,
            },
            product: v.filter(|_| which == 0),
            min_fraction: v.filter(|_| which == 1),
            gap: v.filter(|_| which == 2),
            welfare: v.filter(|_| which == 3),
            exact: p.exact,
            grid_error: grid_error(p),
        }
    };
    let at = |p: usize| a.needed.iter().position(|&q| q == p);
    let report = JsonReport {
        name: name.to_string(),
        outcomes: a.outcomes,
        parties: (0..space.parties.len())
            .map(|p| JsonParty {
                name: space.parties[p].clone(),
                reservation: space.reservations[p],
                needed: at(p).is_some(),
                power: at(p).map(|k| a.power[k]),
                ideal: at(p).and_then(|k| a.ideal.as_ref().map(|i| i[k])),
            })
            .collect(),
        grid: space
            .gridded()
            .map(|g| JsonGrid {
                clause: g.name.clone(),
                points: g.values.len(),
                step: step(&g.values),
            })
            .collect(),
        solution_points: match a.refinement {
            Refinement::Enumerated => "enumerated",
            Refinement::Exact { .. } => "exact",
            Refinement::Grid { .. } => "grid",
        },
        uncertain_at_mean: space.means_used,
        pareto: JsonPareto {
            outcomes: a.pareto_outcomes(),
            points: a.pareto_points(),
            frontier: (0..a.frontier.len())
                .map(|i| json_entry(space, a, i))
                .collect(),
        },
        nash: a.nash.as_ref().map(|p| point(p, 0)),
        kalai_smorodinsky: a.kalai_smorodinsky.as_ref().map(|p| point(p, 1)),
        genius_ks: point(&a.genius_ks, 2),
        max_welfare: a.max_welfare.as_ref().map(|p| point(p, 3)),
    };
    super::json::to_json(&report)
}

fn deal_text(space: &Space, deal: &[f64]) -> String {
    space
        .axes
        .iter()
        .enumerate()
        .zip(deal)
        .map(|((i, a), &x)| format!("{} = {}", a.name, space.label(i, x)))
        .collect::<Vec<_>>()
        .join("; ")
}

/// `1234567` → `1,234,567` for any size; the saturated maximum reads as a bound.
fn count(n: u128) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    if n == u128::MAX {
        out.push_str("more than ");
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The analysis as aligned text; `frontier` lists every Pareto-optimal entry.
pub fn table(name: &str, space: &Space, a: &Analysis, frontier: bool) -> String {
    let mut o = String::new();
    let np = space.parties.len();
    let _ = writeln!(o, "{name}");
    let _ = writeln!(
        o,
        "outcomes:         {} ({} clause{}, {} part{})",
        count(a.outcomes),
        space.axes.len(),
        if space.axes.len() == 1 { "" } else { "s" },
        np,
        if np == 1 { "y" } else { "ies" }
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
    let left_out: Vec<&str> = (0..np)
        .filter(|p| !a.needed.contains(p))
        .map(|p| space.parties[p].as_str())
        .collect();
    if !left_out.is_empty() {
        let _ = writeln!(
            o,
            "not weighed:      {} (no veto; shown, not part of the frontier or the points)",
            left_out.join(", ")
        );
    }
    if a.power.windows(2).any(|w| (w[0] - w[1]).abs() > 1e-12) {
        let powers: Vec<String> = a
            .needed
            .iter()
            .zip(&a.power)
            .map(|(&p, w)| format!("{} {w:.4}", space.parties[p]))
            .collect();
        let _ = writeln!(o, "Nash powers:      {}", powers.join(", "));
    }
    let points = a.pareto_points();
    let _ = writeln!(
        o,
        "Pareto frontier:  {} outcomes, {} distinct utility point{}",
        count(a.pareto_outcomes()),
        count(points as u128),
        if points == 1 { "" } else { "s" }
    );

    let labels = [
        "reservation",
        "ideal",
        "nash",
        "kalai_smorodinsky",
        "genius_ks",
        "max_welfare",
    ];
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
    let _ = write!(o, "{:first$}", "ideal");
    match &a.ideal {
        Some(ideal) => {
            for (p, w) in widths.iter().enumerate() {
                match a.needed.iter().position(|&q| q == p) {
                    Some(k) => {
                        let _ = write!(o, "  {:>w$.4}", ideal[k]);
                    }
                    None => {
                        let _ = write!(o, "  {:>w$}", "-");
                    }
                }
            }
            let _ = writeln!(o, "  best individually rational utility");
        }
        None => {
            let _ = writeln!(o, "  no outcome gives every party its reservation");
        }
    }
    let rows: [(&str, Option<&Point>, &str); 4] = [
        ("nash", a.nash.as_ref(), "product of gains"),
        (
            "kalai_smorodinsky",
            a.kalai_smorodinsky.as_ref(),
            "smallest gain fraction",
        ),
        ("genius_ks", Some(&a.genius_ks), "sum of gaps"),
        ("max_welfare", a.max_welfare.as_ref(), "sum of utilities"),
    ];
    for (label, p, what) in rows {
        let _ = write!(o, "{label:first$}");
        match p {
            Some(p) => {
                for (u, w) in p.utilities.iter().zip(&widths) {
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
            let more = if p.count > 1 {
                format!("  (and {} more with equal utilities)", count(p.count - 1))
            } else {
                String::new()
            };
            let _ = writeln!(o, "{label:first$}{}{more}", deal_text(space, &p.deal));
        }
    }
    match a.refinement {
        Refinement::Enumerated => {}
        Refinement::Exact { axis } => {
            let _ = writeln!(
                o,
                "\nExact: `{}` is linear for every party weighed, so the points are solved off its grid.",
                space.axes[axis].name
            );
            if !a.genius_ks.exact {
                let _ = writeln!(
                    o,
                    "genius_ks is the best grid point: no exact candidate was undominated within the checks."
                );
            }
        }
        Refinement::Grid { resolution } => {
            let steps: Vec<String> = space
                .axes
                .iter()
                .enumerate()
                .filter(|(_, g)| g.grid)
                .map(|(i, g)| format!("{} {}", g.name, space.label(i, step(&g.values))))
                .collect();
            let _ = writeln!(
                o,
                "\nGrid: the points are the best grid points at resolution {resolution} (step: {}); a finer --resolution may move them.",
                steps.join(", ")
            );
        }
    }
    if frontier {
        let _ = writeln!(
            o,
            "\nPareto frontier (utilities, then the deal; [N outcomes] where N deals share them):"
        );
        for (i, e) in a.frontier.iter().enumerate() {
            let us: Vec<String> = e.utilities.iter().map(|u| format!("{u:.4}")).collect();
            let more = if e.count > 1 {
                format!("  [{} outcomes]", count(e.count))
            } else {
                String::new()
            };
            let _ = writeln!(
                o,
                "  {}  {}{more}",
                us.join("  "),
                deal_text(space, &space.deal(&a.outcome(i)))
            );
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
    for (i, e) in a.frontier.iter().enumerate() {
        let mut row = vec![e.count.to_string()];
        row.extend(e.utilities.iter().map(|u| u.to_string()));
        row.extend(
            space
                .axes
                .iter()
                .zip(a.outcome(i))
                .map(|(x, k)| match x.kind {
                    AxisKind::Number => x.values[k].to_string(),
                    _ => x.labels[k].clone(),
                }),
        );
        let _ = w.write_record(&row);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}
