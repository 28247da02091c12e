//! Which of a comparison of seeds' panels the seeds chart shows, and where: its summaries as
//! a table of proposals by estimates, laid out as rows of proposals while they stay legible,
//! else the first proposal's estimates in a grid; and the subtitle that says what was left out.

use super::ticks;
use crate::analysis::seeds::{SeedSummary, SeedsReport};

/// The report's summaries as a table: proposals (rows) × estimates (columns).
pub(super) struct Table<'a> {
    /// Estimate names in report order, agreement first.
    pub columns: Vec<&'a str>,
    /// Each proposal in report order with its summary for each column, if it has one.
    pub rows: Vec<(&'a str, Vec<Option<&'a SeedSummary>>)>,
}

/// The table of `report`: estimates and proposals each in the order they first appear.
pub(super) fn table(report: &SeedsReport) -> Table<'_> {
    let mut columns: Vec<&str> = Vec::new();
    let mut proposals: Vec<&str> = Vec::new();
    for s in &report.estimates {
        if !columns.contains(&s.estimate.as_str()) {
            columns.push(&s.estimate);
        }
        if !proposals.contains(&s.proposal.as_str()) {
            proposals.push(&s.proposal);
        }
    }
    // Stable: agreement to the front, parties keep their order.
    columns.sort_by_key(|c| *c != "agreement");
    let rows = proposals
        .into_iter()
        .map(|p| {
            let cells = columns
                .iter()
                .map(|c| {
                    report
                        .estimates
                        .iter()
                        .find(|s| s.proposal == p && s.estimate == *c)
                })
                .collect();
            (p, cells)
        })
        .collect();
    Table { columns, rows }
}

/// How the panels are laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Plan {
    /// The first `shown` proposals as rows, one column per estimate.
    Rows { shown: usize },
    /// The first proposal's first `shown` estimates, `cols` × `rows`, filled row by row.
    Grid {
        cols: usize,
        rows: usize,
        shown: usize,
    },
}

/// Proposals as rows when at least two rows of panels of at least `min` pixels fit in `w` ×
/// `h` (each row also needing `head` pixels for its proposal's name); else the first proposal
/// alone, in the grid that gives the largest panels (as many as fit at `min`).
pub(super) fn plan(
    proposals: usize,
    estimates: usize,
    (w, h): (u32, u32),
    (min_w, min_h): (u32, u32),
    head: u32,
) -> Plan {
    let (min_w, min_h) = (min_w.max(1), min_h.max(1));
    let fit_rows = (h / (min_h + head)) as usize;
    if proposals >= 2
        && estimates >= 1
        && (estimates as u32).saturating_mul(min_w) <= w
        && fit_rows >= 2
    {
        return Plan::Rows {
            shown: proposals.min(fit_rows),
        };
    }
    let max_cols = ((w / min_w) as usize).max(1);
    let max_rows = ((h / min_h) as usize).max(1);
    let shown = estimates.min(max_cols * max_rows);
    if shown == 0 {
        return Plan::Grid {
            cols: 1,
            rows: 1,
            shown: 0,
        };
    }
    // Panels a little wider than tall read best: score a grid by its panels' smaller side.
    let score = |cols: usize| {
        let rows = shown.div_ceil(cols);
        let (pw, ph) = (w as f64 / cols as f64, h as f64 / rows as f64);
        (pw / 1.3).min(ph)
    };
    let cols = (1..=shown.min(max_cols))
        .filter(|&c| shown.div_ceil(c) <= max_rows)
        .max_by(|&a, &b| score(a).total_cmp(&score(b)).then(b.cmp(&a)))
        .unwrap_or(max_cols.min(shown));
    Plan::Grid {
        cols,
        rows: shown.div_ceil(cols),
        shown,
    }
}

/// `count` of `noun` with an English plural.
pub(super) fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{} {noun}s", ticks::format_number(n as f64, 0))
    }
}

/// What the chart shows: the proposals drawn (and any left out), seeds and rounds.
pub(super) fn subtitle(report: &SeedsReport, t: &Table, plan: Plan) -> String {
    let total = t.rows.len();
    let names = |k: usize| {
        t.rows
            .iter()
            .take(k)
            .map(|r| r.0)
            .collect::<Vec<_>>()
            .join(", ")
    };
    let what = match plan {
        Plan::Rows { shown } if shown < total => {
            format!("{} (first {shown} of {total} proposals)", names(shown))
        }
        Plan::Rows { shown } => names(shown),
        Plan::Grid { shown, .. } => {
            let mut left_out = Vec::new();
            if total > 1 {
                left_out.push(format!("first of {total} proposals"));
            }
            if shown < t.columns.len() {
                left_out.push(format!("first {shown} of {} estimates", t.columns.len()));
            }
            if left_out.is_empty() {
                names(1)
            } else {
                format!("{} ({})", names(1), left_out.join("; "))
            }
        }
    };
    let runs = format!(
        "{} × {}",
        count(report.seeds.len(), "seed"),
        count(report.rounds as usize, "round")
    );
    if what.is_empty() {
        runs
    } else {
        format!("{what} · {runs}")
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::seeds_report;
    use super::*;

    #[test]
    fn the_table_puts_agreement_first() {
        let mut r = seeds_report(&["plan_28", "plan_19"]);
        r.estimates.rotate_left(1);
        r.estimates.remove(5);
        let t = table(&r);
        assert_eq!(
            t.columns,
            ["agreement", "ukraine", "russia", "united_states"]
        );
        assert_eq!(t.rows.len(), 2);
        assert!(
            t.rows
                .iter()
                .any(|(_, cells)| cells.iter().any(Option::is_none))
        );
    }

    #[test]
    fn layout_plans() {
        // 3 proposals × 5 estimates in 1170 × 600 with 190 × 150 panels: all as rows.
        assert_eq!(
            plan(3, 5, (1170, 600), (190, 150), 30),
            Plan::Rows { shown: 3 }
        );
        assert_eq!(
            plan(6, 5, (1170, 600), (190, 150), 30),
            Plan::Rows { shown: 3 }
        );
        // Too few rows fit: the first proposal in a grid.
        assert_eq!(
            plan(3, 5, (1170, 300), (190, 150), 30),
            Plan::Grid {
                cols: 5,
                rows: 1,
                shown: 5
            }
        );
        assert_eq!(
            plan(1, 5, (1170, 600), (190, 150), 30),
            Plan::Grid {
                cols: 3,
                rows: 2,
                shown: 5
            }
        );
        assert_eq!(
            plan(1, 40, (600, 300), (190, 150), 30),
            Plan::Grid {
                cols: 3,
                rows: 2,
                shown: 6
            }
        );
        assert_eq!(
            plan(1, 0, (600, 300), (190, 150), 30),
            Plan::Grid {
                cols: 1,
                rows: 1,
                shown: 0
            }
        );
    }

    #[test]
    fn the_subtitle_says_what_is_left_out() {
        let r = seeds_report(&["plan_28", "plan_19", "bridge"]);
        let t = table(&r);
        let runs = "10 seeds × 20,000 rounds";
        let rows = |shown| subtitle(&r, &t, Plan::Rows { shown });
        assert_eq!(rows(3), format!("plan_28, plan_19, bridge · {runs}"));
        assert_eq!(
            rows(2),
            format!("plan_28, plan_19 (first 2 of 3 proposals) · {runs}")
        );
        let grid = Plan::Grid {
            cols: 1,
            rows: 2,
            shown: 2,
        };
        assert_eq!(
            subtitle(&r, &t, grid),
            format!("plan_28 (first of 3 proposals; first 2 of 4 estimates) · {runs}")
        );
        assert_eq!(count(1, "seed"), "1 seed");
        assert_eq!(count(1000, "round"), "1,000 rounds");
    }
}
