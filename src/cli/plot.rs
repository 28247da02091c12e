//! `accord plot`: redraw a saved sweep or dynamic run from its JSON result.

use super::settings::Plot;
use crate::error::Error;
use crate::request::{Body, RunResult};
use crate::sim::Estimate;

pub(super) fn plot(s: Plot) -> Result<(), Error> {
    let result = read_result(&s.result)?;
    crate::report::plot::draw(&result, &s.chart.path, s.chart.size)
}

/// Reads a result written as JSON by `accord sweep` or `accord run`.
pub fn read_result(path: &std::path::Path) -> Result<RunResult, Error> {
    let name = path.display().to_string();
    let is_csv = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    if is_csv {
        return Err(Error::usage(
            format!(
                "{name}: a CSV holds the estimates but not what was swept; accord plot redraws from the JSON result"
            ),
            Some("write the result as JSON (-o result.json) and plot that".into()),
        ));
    }
    let text = std::fs::read_to_string(path).map_err(|e| Error::Read {
        path: path.to_path_buf(),
        source: e,
    })?;
    let result: RunResult = serde_json::from_str(&text).map_err(|e| {
        Error::usage(
            format!(
                "{name}:{}:{}: not a result of accord: {}",
                e.line(),
                e.column(),
                crate::text::without_position(&e.to_string())
            ),
            Some("give a JSON file written by `accord sweep` or `accord run`".into()),
        )
    })?;
    check_estimates(&result, &name)?;
    Ok(result)
}

/// Refuses a result whose probabilities could not have come from accord: outside [0, 1],
/// or outside their own interval (a file edited by hand, or another tool's).
fn check_estimates(r: &RunResult, name: &str) -> Result<(), Error> {
    let bad = |where_: String, e: &Estimate| {
        let inside = |x: f64| (0.0..=1.0).contains(&x);
        let fine = inside(e.lo)
            && inside(e.hi)
            && e.lo <= e.hi
            && (e.p.is_nan() && e.n == 0 || inside(e.p) && e.lo <= e.p && e.p <= e.hi);
        (!fine).then(|| {
            Error::usage(
                format!(
                    "{name}: {where_}: the estimate p = {}, interval [{}, {}] is not a probability inside its interval",
                    crate::text::decimal(e.p),
                    crate::text::decimal(e.lo),
                    crate::text::decimal(e.hi)
                ),
                Some("give a result written by accord, unaltered".into()),
            )
        })
    };
    let mut problems = Vec::new();
    match &r.body {
        Body::Sweep(s) => {
            for (i, p) in s.points.iter().enumerate() {
                problems.extend(bad(format!("point {} agreement", i + 1), &p.agreement));
                for q in &p.parties {
                    problems.extend(bad(format!("point {} {}", i + 1, q.party), &q.accept));
                }
            }
        }
        Body::Dynamic(d) => problems.extend(bad("agreement".into(), &d.agreement)),
        Body::Concessions(c) => {
            for (i, x) in c.concessions.iter().enumerate() {
                let ch = &x.agreement;
                if !(ch.lo <= ch.delta && ch.delta <= ch.hi && ch.lo >= -1.0 && ch.hi <= 1.0) {
                    problems.push(Error::usage(
                        format!(
                            "{name}: concession {} ({}): the change {} is not inside its interval [{}, {}]",
                            i + 1,
                            x.label,
                            crate::text::decimal(ch.delta),
                            crate::text::decimal(ch.lo),
                            crate::text::decimal(ch.hi)
                        ),
                        Some("give a result written by accord, unaltered".into()),
                    ));
                }
            }
        }
        Body::Proposals { .. } | Body::Search(_) => {}
    }
    match problems.into_iter().next() {
        Some(e) => Err(e),
        None => Ok(()),
    }
}
