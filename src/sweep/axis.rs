//! Sweep requests as given (axes by name, with optional bounds and point counts), and the
//! axes that vary a deal — a clause, the path between two proposals, a party's outside
//! option — checked against the scenario.

use serde::{Deserialize, Serialize};

use super::path::path_deal;
use crate::error::{About, Invalid};
use crate::model::{ClauseKind, Deal, Param, Scenario};
use crate::scenario::suggest::did_you_mean;
use crate::text::decimal;

/// Points per axis when none is asked for.
pub const DEFAULT_POINTS: usize = 21;

/// The most points one axis may have.
pub const MAX_POINTS_PER_AXIS: usize = 100_000;

/// One axis, as asked for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum AxisSpec {
    /// A clause of the base proposal: a range from `from` to `to` (default: the clause's
    /// bounds) in `points` points, or every option of a choice or bool clause.
    Clause {
        name: String,
        from: Option<f64>,
        to: Option<f64>,
        points: Option<usize>,
    },
    /// The concession path between two proposals: x = 0 at `from`, 1 at `to`, extended by
    /// `beyond` past both ends.
    Path {
        from: String,
        to: String,
        beyond: f64,
        points: Option<usize>,
    },
    /// A party's outside option (its mean, when uncertain), from `from` to `to`; with
    /// `shift`, `from` and `to` are shifts from the scenario's own value (both needed).
    Reservation {
        party: String,
        from: Option<f64>,
        to: Option<f64>,
        points: Option<usize>,
        #[serde(default)]
        shift: bool,
    },
    /// A parameter of a dynamic protocol or of a party's tactic (`deadline`, `breakdown`,
    /// `PARTY.discount`, `PARTY.tactic.e`, …), from `from` to `to`: see [`super::knob`].
    Param {
        name: String,
        from: Option<f64>,
        to: Option<f64>,
        points: Option<usize>,
    },
}

/// A whole sweep request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SweepSpec {
    /// The proposal the sweep starts from; default: a path's start, else the first proposal
    /// (for a mediated protocol: the text it starts from, default the scenario's).
    pub base: Option<String>,
    pub axes: Vec<AxisSpec>,
    /// Observed decisions every point's estimates are conditioned on (ratify).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub given: Vec<crate::job::Given>,
}

/// A deal axis checked against the scenario.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum DealAxis {
    Clause {
        clause: usize,
        values: Vec<f64>,
    },
    Path {
        from: usize,
        to: usize,
        xs: Vec<f64>,
    },
    Reservation {
        party: usize,
        values: Vec<f64>,
    },
}

impl DealAxis {
    pub(super) fn values(&self) -> &[f64] {
        match self {
            DealAxis::Clause { values, .. } | DealAxis::Reservation { values, .. } => values,
            DealAxis::Path { xs, .. } => xs,
        }
    }

    /// Sets this axis's `i`-th value on `deal` (a path sets the whole deal; the reservation
    /// axis leaves it).
    pub(super) fn apply(&self, s: &Scenario, i: usize, deal: &mut Deal, mean_slots: &[f64]) {
        match self {
            DealAxis::Clause { clause, values } => deal[*clause] = values[i],
            DealAxis::Path { from, to, xs } => *deal = path_deal(s, *from, *to, xs[i], mean_slots),
            DealAxis::Reservation { .. } => {}
        }
    }
}

/// Index of `name` among `known`, or an error about `about` that lists them.
pub(super) fn lookup(
    about: About,
    what: &str,
    name: &str,
    known: &[&str],
) -> Result<usize, Invalid> {
    known.iter().position(|k| *k == name).ok_or_else(|| {
        let hint = did_you_mean(name, known.iter().copied())
            .map(|s| format!("did you mean `{s}`? "))
            .unwrap_or_default();
        Invalid::new(about, format!("the scenario has no {what} `{name}`"))
            .help(format!("{hint}{what}s: {}", known.join(", ")))
    })
}

/// The points of axis `i`: the asked-for count, at least 2 and at most
/// [`MAX_POINTS_PER_AXIS`].
pub(super) fn point_count(i: usize, points: Option<usize>) -> Result<usize, Invalid> {
    let n = points.unwrap_or(DEFAULT_POINTS);
    if !(2..=MAX_POINTS_PER_AXIS).contains(&n) {
        return Err(Invalid::new(
            About::Points(i),
            format!(
                "{n} points: an axis has from 2 to {}",
                crate::text::thousands(MAX_POINTS_PER_AXIS as u64)
            ),
        ));
    }
    Ok(n)
}

/// `n` evenly spaced values from `from` to `to`, both ends exact, without float noise.
pub(super) fn linspace(from: f64, to: f64, n: usize) -> Vec<f64> {
    (0..n)
        .map(|k| {
            if k + 1 == n {
                to
            } else {
                crate::text::clean(from + (to - from) * k as f64 / (n - 1) as f64)
            }
        })
        .collect()
}

/// `from` and `to` of axis `i`, finite and distinct.
pub(super) fn bounds(i: usize, from: f64, to: f64) -> Result<(f64, f64), Invalid> {
    for (about, v) in [(About::From(i), from), (About::To(i), to)] {
        if !v.is_finite() {
            return Err(Invalid::new(about, format!("{v} is not a finite number")));
        }
    }
    if from == to {
        return Err(Invalid::new(
            About::To(i),
            format!(
                "the axis starts and ends at {}: nothing to sweep",
                decimal(from)
            ),
        ));
    }
    Ok((from, to))
}

/// Checks deal axis `i` against the scenario.
pub(super) fn resolve(s: &Scenario, i: usize, axis: &AxisSpec) -> Result<DealAxis, Invalid> {
    match axis {
        AxisSpec::Clause {
            name,
            from,
            to,
            points,
        } => {
            let names: Vec<&str> = s.clauses.iter().map(|c| c.name.as_str()).collect();
            let clause = lookup(About::Axis(i), "clause", name, &names)?;
            let c = &s.clauses[clause];
            match c.kind() {
                ClauseKind::Range {
                    min, max, integer, ..
                } => {
                    let (from, to) = bounds(i, from.unwrap_or(*min), to.unwrap_or(*max))?;
                    for (about, v) in [(About::From(i), from), (About::To(i), to)] {
                        if v < *min || v > *max {
                            return Err(Invalid::new(
                                about,
                                format!("{} is outside the range of clause `{name}`", decimal(v)),
                            )
                            .help(format!("valid values: {}", c.describe_domain())));
                        }
                    }
                    let mut values = linspace(from, to, point_count(i, *points)?);
                    if *integer {
                        values.iter_mut().for_each(|v| *v = v.round());
                    }
                    Ok(DealAxis::Clause { clause, values })
                }
                ClauseKind::Bool | ClauseKind::Choice { .. } => {
                    let fixed = [
                        (About::From(i), from.is_some()),
                        (About::To(i), to.is_some()),
                        (About::Points(i), points.is_some()),
                    ];
                    if let Some((about, _)) = fixed.into_iter().find(|f| f.1) {
                        return Err(Invalid::new(
                            about,
                            format!(
                                "`{name}` is {}: its options are swept, so no range or point count applies",
                                c.describe_domain()
                            ),
                        ));
                    }
                    let n = match c.kind() {
                        ClauseKind::Choice { options } => options.len(),
                        _ => 2,
                    };
                    Ok(DealAxis::Clause {
                        clause,
                        values: (0..n).map(|k| k as f64).collect(),
                    })
                }
            }
        }
        AxisSpec::Path {
            from,
            to,
            beyond,
            points,
        } => {
            let names: Vec<&str> = s.proposals.iter().map(|p| p.name.as_str()).collect();
            let a = lookup(About::Axis(i), "proposal", from, &names)?;
            let b = lookup(About::Axis(i), "proposal", to, &names)?;
            if s.proposals[a].deal == s.proposals[b].deal {
                return Err(Invalid::new(
                    About::Axis(i),
                    format!("`{from}` and `{to}` are identical, so there is no path between them"),
                ));
            }
            if !beyond.is_finite() || *beyond < 0.0 || *beyond > 10.0 {
                return Err(Invalid::new(
                    About::Beyond,
                    format!(
                        "{} is not a share of the path's length from 0 to 10",
                        decimal(*beyond)
                    ),
                ));
            }
            let xs = linspace(-beyond, 1.0 + beyond, point_count(i, *points)?);
            Ok(DealAxis::Path { from: a, to: b, xs })
        }
        AxisSpec::Reservation {
            party,
            from,
            to,
            points,
            shift,
        } => {
            let names: Vec<&str> = s.parties.iter().map(|p| p.name.as_str()).collect();
            let p = lookup(About::Axis(i), "party", party, &names)?;
            // Shifts are from the party's own reservation (its mean, when uncertain).
            let centre = if *shift {
                let (Some(a), Some(b)) = (from, to) else {
                    return Err(Invalid::new(
                        About::Axis(i),
                        "a shifted reservation axis needs both ends of its shift",
                    ));
                };
                if !(a.is_finite() && b.is_finite()) {
                    return Err(Invalid::new(
                        About::From(i),
                        "the ends of a shift must be finite numbers",
                    ));
                }
                Some(reservation_centre(s, p))
            } else {
                None
            };
            let (from, to) = match centre {
                Some(c) => (c + from.unwrap_or(0.0), c + to.unwrap_or(0.0)),
                None => (from.unwrap_or(0.0), to.unwrap_or(1.0)),
            };
            let (from, to) = bounds(i, from, to)?;
            for (about, v) in [(About::From(i), from), (About::To(i), to)] {
                if !(0.0..=1.0).contains(&v) {
                    return Err(Invalid::new(
                        about,
                        match centre {
                            Some(c) => format!(
                                "the shift takes the reservation to {}, not a utility in [0, 1] (the scenario's is {})",
                                decimal(v),
                                decimal(c)
                            ),
                            None => {
                                format!("{} is not a reservation utility in [0, 1]", decimal(v))
                            }
                        },
                    ));
                }
            }
            Ok(DealAxis::Reservation {
                party: p,
                values: linspace(from, to, point_count(i, *points)?),
            })
        }
        AxisSpec::Param { .. } => Err(Invalid::new(
            About::Axis(i),
            "the ratify protocol has no protocol or tactic parameters to sweep",
        )
        .help(
            "parameters apply to the dynamic protocols (alternating, mediated, equilibrium); a ratify sweep varies a clause, a concession path or an outside option",
        )),
    }
}

/// Where the reservation axis's party sits at the scenario's own value (its mean when
/// uncertain), for a marker.
pub(super) fn reservation_centre(s: &Scenario, party: usize) -> f64 {
    match s.parties[party].reservation {
        Param::Fixed(v) => v,
        Param::Slot(k) => s.mean_slots()[k],
    }
}
