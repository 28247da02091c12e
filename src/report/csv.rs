//! CSV: plain RFC 4180 — a header row, then one row per proposal, sweep point, step or seed;
//! no comment lines (a sweep's description lives in its JSON). Numbers read without float
//! noise; an undefined number is an empty field.

use super::Exporter;
use crate::analysis::calibrate::CalibrationReport;
use crate::analysis::seeds::SeedsReport;
use crate::analysis::sensitivity::SensitivityReport;
use crate::request::{Body, RunResult};
use crate::sim::Estimate;
use crate::sweep::SweepResult;

/// The CSV exporter.
pub struct Csv;

impl Exporter for Csv {
    fn run(&self, result: &RunResult) -> String {
        match &result.body {
            Body::Proposals { results } => {
                let mut header =
                    cols(&["proposal", "agreement", "agreement_lo", "agreement_hi", "n"]);
                if let Some(first) = results.first() {
                    for p in &first.parties {
                        let n = &p.party;
                        header.extend([
                            format!("accept_{n}"),
                            format!("accept_{n}_lo"),
                            format!("accept_{n}_hi"),
                            format!("utility_{n}"),
                            format!("margin_{n}"),
                        ]);
                    }
                }
                let rows = results.iter().map(|r| {
                    let mut row = vec![r.proposal.clone()];
                    row.extend(estimate(&r.agreement));
                    row.push(r.agreement.n.to_string());
                    for p in &r.parties {
                        row.extend(estimate(&p.accept));
                        row.extend([number(p.mean_utility), number(p.mean_margin)]);
                    }
                    row
                });
                write(header, rows)
            }
            Body::Sweep(s) => sweep(s),
            Body::Concessions(c) => concessions(c),
            Body::Search(sr) => search(sr),
            Body::Dynamic(d) => {
                let header = cols(&[
                    "step",
                    "agreed",
                    "broke_down",
                    "ended",
                    "agreement_by_step",
                    "open",
                ]);
                let rows = d.steps.iter().map(|s| {
                    vec![
                        s.step.to_string(),
                        number(s.agreed),
                        number(s.broke_down),
                        number(s.ended),
                        number(s.agreement_by_step),
                        number(s.open),
                    ]
                });
                write(header, rows)
            }
        }
    }

    fn seeds(&self, r: &SeedsReport) -> String {
        let header = cols(&[
            "proposal", "estimate", "seed", "p", "lo", "hi", "n", "mean", "spread", "mean_se",
            "ratio", "verdict",
        ]);
        let rows = r.estimates.iter().flat_map(|e| {
            r.seeds.iter().zip(&e.per_seed).map(move |(seed, est)| {
                let mut row = vec![e.proposal.clone(), e.estimate.clone(), seed.to_string()];
                row.extend(estimate(est));
                row.extend([
                    est.n.to_string(),
                    number(e.mean),
                    number(e.spread),
                    number(e.mean_se),
                    number(e.ratio),
                    e.verdict.text().to_string(),
                ]);
                row
            })
        });
        write(header, rows)
    }

    /// Long format: one row per index (`first_order`, `total`) of each factor and per tornado
    /// end (`at_low`, `at_high`) of each parameter, with its interval; `value` is the
    /// parameter's value at a tornado end.
    fn sensitivity(&self, r: &SensitivityReport) -> String {
        let header = cols(&["measure", "name", "kind", "value", "estimate", "lo", "hi"]);
        let mut rows: Vec<Vec<String>> = Vec::new();
        for f in &r.factors {
            let kind = serde_json::to_value(f.kind)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            for (measure, i) in [("first_order", &f.first_order), ("total", &f.total)] {
                rows.push(vec![
                    measure.into(),
                    f.name.clone(),
                    kind.clone(),
                    String::new(),
                    number(i.value),
                    number(i.lo),
                    number(i.hi),
                ]);
            }
        }
        for t in &r.tornado {
            for (measure, v, e) in [
                ("at_low", t.low_value, &t.at_low),
                ("at_high", t.high_value, &t.at_high),
            ] {
                let mut row = vec![
                    measure.into(),
                    t.param.clone(),
                    "parameter".into(),
                    number(v),
                ];
                row.extend(estimate(e));
                rows.push(row);
            }
        }
        write(header, rows.into_iter())
    }

    /// One row per fitted parameter (`measure` = `estimate`: value, lo, hi), then one per
    /// observation (`measure` = `observation`, or `held_out` for a held-out wave's: the
    /// observed share with its Wilson interval, the fitted or predicted probability and the
    /// 95% range of a share of n under it).
    fn calibration(&self, r: &CalibrationReport) -> String {
        let header = cols(&[
            "measure",
            "name",
            "party",
            "proposal",
            "n",
            "value",
            "lo",
            "hi",
            "fitted",
            "expected_lo",
            "expected_hi",
        ]);
        let mut rows: Vec<Vec<String>> = r
            .estimates
            .iter()
            .map(|e| {
                vec![
                    "estimate".into(),
                    e.name.clone(),
                    String::new(),
                    String::new(),
                    String::new(),
                    number(e.value),
                    number(e.lo),
                    number(e.hi),
                    String::new(),
                    String::new(),
                    String::new(),
                ]
            })
            .collect();
        for o in &r.observations {
            rows.push(vec![
                if o.held_out {
                    "held_out"
                } else {
                    "observation"
                }
                .into(),
                o.label.clone(),
                o.party.clone(),
                o.proposal.clone(),
                o.n.to_string(),
                number(o.observed),
                number(o.observed_lo),
                number(o.observed_hi),
                number(o.fitted.p),
                number(o.expected_lo),
                number(o.expected_hi),
            ]);
        }
        write(header, rows.into_iter())
    }
}

/// A sweep: the swept values by axis name (option names for choices and bools),
/// `agreement`, `agreement_lo`, `agreement_hi`, `n`, then `accept_<party>`,
/// `accept_<party>_lo`, `accept_<party>_hi`, `utility_<party>`, `margin_<party>` for every
/// party.
fn sweep(s: &SweepResult) -> String {
    let mut header: Vec<String> = s.info.axes.iter().map(|a| a.name.clone()).collect();
    header.extend(estimate_columns(&s.info.parties));
    let rows = s.points.iter().map(|point| {
        let mut row: Vec<String> = s
            .info
            .axes
            .iter()
            .zip(&point.x)
            .map(|(a, x)| match &a.options {
                Some(opts) => opts.get(*x as usize).cloned().unwrap_or_else(|| number(*x)),
                None => number(*x),
            })
            .collect();
        let parties = point
            .parties
            .iter()
            .map(|p| (&p.accept, p.mean_utility, p.mean_margin));
        row.extend(estimate_cells(&point.agreement, parties));
        row
    });
    write(header, rows)
}

/// Concessions, best first: `rank`, `concession` (in words), `clauses` changed,
/// `agreement_change`, `agreement_change_lo`, `agreement_change_hi`, `agreement`, `n`, then for
/// each party `accept_change_<party>`, `accept_change_<party>_lo`, `accept_change_<party>_hi`,
/// `utility_change_<party>`.
fn concessions(r: &crate::explore::ConcessionsResult) -> String {
    let mut header = cols(&[
        "rank",
        "concession",
        "clauses",
        "agreement_change",
        "agreement_change_lo",
        "agreement_change_hi",
        "agreement",
        "n",
    ]);
    for p in &r.base.parties {
        let n = &p.party;
        header.extend([
            format!("accept_change_{n}"),
            format!("accept_change_{n}_lo"),
            format!("accept_change_{n}_hi"),
            format!("utility_change_{n}"),
        ]);
    }
    let rows = r.concessions.iter().enumerate().map(|(rank, c)| {
        let clauses: Vec<&str> = c.clauses.iter().map(|x| x.clause.as_str()).collect();
        let mut row = vec![(rank + 1).to_string(), c.label.clone(), clauses.join(" ")];
        row.extend(change(&c.agreement));
        row.push(number(c.agreement_after.p));
        row.push(c.agreement.n.to_string());
        for p in &c.parties {
            row.extend(change(&p.accept));
            row.push(number(p.utility));
        }
        row
    });
    write(header, rows)
}

/// A search's best deals: `rank`, `objective`, `meets_constraints`, each clause's value (in
/// words), then the estimate columns of a sweep (agreement and each party's).
fn search(r: &crate::explore::SearchResult) -> String {
    let mut header = cols(&["rank", "objective", "meets_constraints"]);
    let parties: Vec<String> = r
        .deals
        .first()
        .map(|d| d.parties.iter().map(|p| p.party.clone()).collect())
        .unwrap_or_default();
    if let Some(d) = r.deals.first() {
        header.extend(d.clauses.iter().map(|c| c.clause.clone()));
    }
    header.extend(estimate_columns(&parties));
    let rows = r.deals.iter().map(|d| {
        let mut row = vec![
            d.rank.to_string(),
            number(d.objective),
            d.meets_constraints.to_string(),
        ];
        row.extend(d.clauses.iter().map(|c| c.value.clone()));
        let parties = d
            .parties
            .iter()
            .map(|p| (&p.accept, p.mean_utility, p.mean_margin));
        row.extend(estimate_cells(&d.agreement, parties));
        row
    });
    write(header, rows)
}

/// `delta, lo, hi` of a paired change.
fn change(c: &crate::protocol::ratify::Change) -> [String; 3] {
    [number(c.delta), number(c.lo), number(c.hi)]
}

/// `agreement, agreement_lo, agreement_hi, n`, then for each party `accept_<party>`,
/// `accept_<party>_lo`, `accept_<party>_hi`, `utility_<party>`, `margin_<party>`.
fn estimate_columns(parties: &[String]) -> Vec<String> {
    let mut header = cols(&["agreement", "agreement_lo", "agreement_hi", "n"]);
    for p in parties {
        header.extend([
            format!("accept_{p}"),
            format!("accept_{p}_lo"),
            format!("accept_{p}_hi"),
            format!("utility_{p}"),
            format!("margin_{p}"),
        ]);
    }
    header
}

/// The cells under [`estimate_columns`]: agreement, then each party's acceptance, mean
/// utility and mean margin.
fn estimate_cells<'a>(
    agreement: &Estimate,
    parties: impl Iterator<Item = (&'a Estimate, f64, f64)>,
) -> Vec<String> {
    let mut row: Vec<String> = estimate(agreement).into();
    row.push(agreement.n.to_string());
    for (accept, utility, margin) in parties {
        row.extend(estimate(accept));
        row.extend([number(utility), number(margin)]);
    }
    row
}

fn cols(names: &[&str]) -> Vec<String> {
    names.iter().map(|s| s.to_string()).collect()
}

/// `p, lo, hi`.
fn estimate(e: &Estimate) -> [String; 3] {
    [number(e.p), number(e.lo), number(e.hi)]
}

/// A number without float noise; empty when undefined (NaN), which pandas and R read as
/// missing.
fn number(x: f64) -> String {
    if x.is_nan() {
        String::new()
    } else {
        crate::text::decimal(x)
    }
}

/// The header and rows as RFC 4180 text (fields quoted where they need it).
fn write(header: Vec<String>, rows: impl Iterator<Item = Vec<String>>) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(&header).expect("writing to memory");
    for row in rows {
        w.write_record(&row).expect("writing to memory");
    }
    String::from_utf8(w.into_inner().expect("writing to memory")).expect("CSV of UTF-8 fields")
}
