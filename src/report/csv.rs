//! CSV export: one row per proposal, one group of columns per party.

use crate::analysis::seeds::SeedsReport;
use crate::error::Error;
use crate::protocol::RatifyResult;
use crate::sim::Estimate;
use crate::sweep::{PointParty, SweepMeta, SweepPoint, SweepResult};

/// Header and rows of a ratify result: `proposal, agreement, agreement_lo, agreement_hi, n`,
/// then for each party `accept_<party>`, `accept_<party>_lo`, `accept_<party>_hi`,
/// `utility_<party>`, `margin_<party>`.
pub fn ratify_csv(result: &RatifyResult) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header = vec![
        "proposal".to_string(),
        "agreement".into(),
        "agreement_lo".into(),
        "agreement_hi".into(),
        "n".into(),
    ];
    if let Some(first) = result.results.first() {
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
    w.write_record(&header).expect("writing to memory");
    for r in &result.results {
        let a = &r.agreement;
        let mut row = vec![
            r.proposal.clone(),
            a.p.to_string(),
            a.lo.to_string(),
            a.hi.to_string(),
            a.n.to_string(),
        ];
        for p in &r.parties {
            row.extend([
                p.accept.p.to_string(),
                p.accept.lo.to_string(),
                p.accept.hi.to_string(),
                p.mean_utility.to_string(),
                p.mean_margin.to_string(),
            ]);
        }
        w.write_record(&row).expect("writing to memory");
    }
    String::from_utf8(w.into_inner().expect("writing to memory")).expect("CSV of UTF-8 fields")
}

/// First characters of the CSV comment line that carries a sweep's metadata.
pub const SWEEP_META_PREFIX: &str = "# accord-sweep ";

/// A sweep as CSV: a comment line with the sweep's metadata as JSON (readers skip it with
/// `comment='#'`), a header — the swept parameters by name, `agreement`, `agreement_lo`,
/// `agreement_hi`, then `accept_<party>`, `accept_<party>_lo`, `accept_<party>_hi` for every
/// party — and one row per point. Option names stand for choice and bool values.
pub fn sweep_csv(result: &SweepResult) -> String {
    let meta = serde_json::to_string(&result.meta).expect("metadata serialises");
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header: Vec<String> = result.meta.axes.iter().map(|a| a.name.clone()).collect();
    header.extend([
        "agreement".into(),
        "agreement_lo".into(),
        "agreement_hi".into(),
    ]);
    for p in &result.meta.parties {
        header.extend([
            format!("accept_{p}"),
            format!("accept_{p}_lo"),
            format!("accept_{p}_hi"),
        ]);
    }
    w.write_record(&header).expect("writing to memory");
    for point in &result.points {
        let mut row: Vec<String> = result
            .meta
            .axes
            .iter()
            .zip(&point.x)
            .map(|(a, x)| match &a.options {
                Some(opts) => opts
                    .get(*x as usize)
                    .cloned()
                    .unwrap_or_else(|| x.to_string()),
                None => x.to_string(),
            })
            .collect();
        let a = &point.agreement;
        row.extend([a.p.to_string(), a.lo.to_string(), a.hi.to_string()]);
        for p in &point.parties {
            row.extend([
                p.accept.p.to_string(),
                p.accept.lo.to_string(),
                p.accept.hi.to_string(),
            ]);
        }
        w.write_record(&row).expect("writing to memory");
    }
    let body =
        String::from_utf8(w.into_inner().expect("writing to memory")).expect("CSV of UTF-8 fields");
    format!("{SWEEP_META_PREFIX}{meta}\n{body}")
}

/// Reads a sweep back from [`sweep_csv`]'s output. Means of utility and margin are not in the
/// CSV and come back as NaN. `name` is what errors call the file.
pub fn read_sweep_csv(text: &str, name: &str) -> Result<SweepResult, Error> {
    let bad = |line: usize, what: String| {
        Error::usage(
            format!("{name}:{line}: {what}"),
            Some("give a CSV or JSON file written by `accord sweep`".into()),
        )
    };
    let first = text.lines().next().unwrap_or("");
    let meta_json = first.strip_prefix(SWEEP_META_PREFIX).ok_or_else(|| {
        bad(
            1,
            format!(
                "the first line does not start with `{}`",
                SWEEP_META_PREFIX.trim()
            ),
        )
    })?;
    let meta: SweepMeta = serde_json::from_str(meta_json)
        .map_err(|e| bad(1, format!("unreadable sweep metadata: {e}")))?;
    let mut reader = csv::ReaderBuilder::new()
        .comment(Some(b'#'))
        .from_reader(text.as_bytes());
    let axes = meta.axes.len();
    let parties = meta.parties.len();
    let width = axes + 3 + 3 * parties;
    let mut points = Vec::new();
    for (i, rec) in reader.records().enumerate() {
        let line = i + 3;
        let rec = rec.map_err(|e| bad(line, e.to_string()))?;
        if rec.len() != width {
            return Err(bad(line, format!("{} fields, expected {width}", rec.len())));
        }
        let num = |j: usize| -> Result<f64, Error> {
            rec[j].parse::<f64>().map_err(|_| {
                bad(
                    line,
                    format!("`{}` is not a number (column {})", &rec[j], j + 1),
                )
            })
        };
        let mut x = Vec::with_capacity(axes);
        for (j, a) in meta.axes.iter().enumerate() {
            x.push(match &a.options {
                Some(opts) => opts
                    .iter()
                    .position(|o| o == &rec[j])
                    .map(|k| k as f64)
                    .ok_or_else(|| {
                        bad(
                            line,
                            format!("`{}` is not an option of {}", &rec[j], a.name),
                        )
                    })?,
                None => num(j)?,
            });
        }
        let est = |j: usize| -> Result<Estimate, Error> {
            Ok(Estimate {
                p: num(j)?,
                lo: num(j + 1)?,
                hi: num(j + 2)?,
                n: meta.rounds,
            })
        };
        let agreement = est(axes)?;
        let parties = meta
            .parties
            .iter()
            .enumerate()
            .map(|(p, party)| {
                Ok(PointParty {
                    party: party.clone(),
                    accept: est(axes + 3 + 3 * p)?,
                    mean_utility: f64::NAN,
                    mean_margin: f64::NAN,
                })
            })
            .collect::<Result<Vec<_>, Error>>()?;
        points.push(SweepPoint {
            x,
            agreement,
            parties,
        });
    }
    Ok(SweepResult { meta, points })
}

/// `accord seeds` as CSV: one row per proposal, estimate and seed.
pub fn seeds_csv(r: &SeedsReport) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "proposal", "estimate", "seed", "p", "lo", "hi", "n", "mean", "spread", "mean_se", "ratio",
        "verdict",
    ])
    .expect("writing to memory");
    for e in &r.estimates {
        for (seed, est) in r.seeds.iter().zip(&e.per_seed) {
            w.write_record([
                e.proposal.clone(),
                e.estimate.clone(),
                seed.to_string(),
                est.p.to_string(),
                est.lo.to_string(),
                est.hi.to_string(),
                est.n.to_string(),
                e.mean.to_string(),
                e.spread.to_string(),
                e.mean_se.to_string(),
                e.ratio.to_string(),
                e.verdict.text().to_string(),
            ])
            .expect("writing to memory");
        }
    }
    String::from_utf8(w.into_inner().expect("writing to memory")).expect("CSV of UTF-8 fields")
}
