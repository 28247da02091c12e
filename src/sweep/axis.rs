//! Sweep axes as the user asks for them, validated against the scenario and laid out as points.

use super::Plan;
use super::path::path_deal;
use super::result::{AxisInfo, Marker, SweepMeta};
use crate::error::Error;
use crate::model::{ClauseKind, Param, Scenario};
use crate::protocol::ReservationAxis;
use crate::scenario::suggest::did_you_mean;
use crate::sim::RunOptions;

/// Points per axis when `--steps` is not given.
pub const DEFAULT_STEPS: usize = 21;

/// One axis, as given on the command line.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum AxisSpec {
    /// A clause of the base proposal: a range from `from` to `to` (default: the clause's
    /// bounds) in `steps` points, or every option of a choice or bool clause.
    Clause {
        name: String,
        from: Option<f64>,
        to: Option<f64>,
        steps: Option<usize>,
    },
    /// The concession path between two proposals: x = 0 at `from`, 1 at `to`, extended by
    /// `beyond` past both ends.
    Path {
        from: String,
        to: String,
        beyond: f64,
        steps: Option<usize>,
    },
    /// A party's outside option (its mean, when uncertain), from `from` to `to`.
    Reservation {
        party: String,
        from: Option<f64>,
        to: Option<f64>,
        steps: Option<usize>,
    },
    /// A parameter of a dynamic protocol or of a party's tactic (`deadline`, `breakdown`,
    /// `PARTY.discount`, `PARTY.tactic.e`, …), from `from` to `to`: see [`super::param`].
    Param {
        name: String,
        from: Option<f64>,
        to: Option<f64>,
        steps: Option<usize>,
    },
}

/// A whole sweep request.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SweepSpec {
    /// The proposal the sweep starts from (`--proposal`); default: a path's start, else the
    /// first proposal.
    pub base: Option<String>,
    pub axes: Vec<AxisSpec>,
}

/// An axis checked against the scenario.
enum Resolved {
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

pub(super) fn usage(message: String, help: Option<String>) -> Error {
    Error::usage(message, help)
}

pub(super) fn lookup(flag: &str, what: &str, name: &str, known: &[&str]) -> Result<usize, Error> {
    known.iter().position(|k| *k == name).ok_or_else(|| {
        let hint = did_you_mean(name, known.iter().copied())
            .map(|s| format!("did you mean `{s}`? "))
            .unwrap_or_default();
        usage(
            format!("{flag} {name}: the scenario has no {what} `{name}`"),
            Some(format!("{hint}{what}s: {}", known.join(", "))),
        )
    })
}

pub(super) fn steps_of(flag: &str, steps: Option<usize>) -> Result<usize, Error> {
    let s = steps.unwrap_or(DEFAULT_STEPS);
    if s < 2 {
        return Err(usage(
            format!("--steps {s} (for {flag}): a sweep needs at least 2 steps"),
            None,
        ));
    }
    if s > 100_000 {
        return Err(usage(
            format!("--steps {s} (for {flag}): at most 100000 steps per axis"),
            None,
        ));
    }
    Ok(s)
}

pub(super) fn linspace(from: f64, to: f64, steps: usize) -> Vec<f64> {
    (0..steps)
        .map(|k| {
            if k + 1 == steps {
                to
            } else {
                from + (to - from) * k as f64 / (steps - 1) as f64
            }
        })
        .collect()
}

pub(super) fn finite(flag: &str, v: f64) -> Result<f64, Error> {
    if v.is_finite() {
        Ok(v)
    } else {
        Err(usage(format!("{flag} {v}: not a finite number"), None))
    }
}

fn resolve(s: &Scenario, axis: &AxisSpec) -> Result<Resolved, Error> {
    match axis {
        AxisSpec::Clause {
            name,
            from,
            to,
            steps,
        } => {
            let names: Vec<&str> = s.clauses.iter().map(|c| c.name.as_str()).collect();
            let clause = lookup("--clause", "clause", name, &names)?;
            let c = &s.clauses[clause];
            match &c.kind {
                ClauseKind::Range {
                    min, max, integer, ..
                } => {
                    let from = finite("--from", from.unwrap_or(*min))?;
                    let to = finite("--to", to.unwrap_or(*max))?;
                    for (flag, v) in [("--from", from), ("--to", to)] {
                        if v < *min || v > *max {
                            return Err(usage(
                                format!("{flag} {v}: outside the range of clause `{name}`"),
                                Some(format!("valid values: {}", c.describe_domain())),
                            ));
                        }
                    }
                    if from == to {
                        return Err(usage(
                            format!("--from and --to are both {from}: nothing to sweep"),
                            None,
                        ));
                    }
                    let mut values = linspace(from, to, steps_of("--clause", *steps)?);
                    if *integer {
                        values.iter_mut().for_each(|v| *v = v.round());
                    }
                    Ok(Resolved::Clause { clause, values })
                }
                ClauseKind::Bool | ClauseKind::Choice { .. } => {
                    if from.is_some() || to.is_some() || steps.is_some() {
                        return Err(usage(
                            format!(
                                "--clause {name}: `{name}` is {}; its options are swept, so --from, --to and --steps do not apply",
                                c.describe_domain()
                            ),
                            None,
                        ));
                    }
                    let n = match &c.kind {
                        ClauseKind::Choice { options } => options.len(),
                        _ => 2,
                    };
                    Ok(Resolved::Clause {
                        clause,
                        values: (0..n).map(|i| i as f64).collect(),
                    })
                }
            }
        }
        AxisSpec::Path {
            from,
            to,
            beyond,
            steps,
        } => {
            let names: Vec<&str> = s.proposals.iter().map(|p| p.name.as_str()).collect();
            let a = lookup("--path", "proposal", from, &names)?;
            let b = lookup("--path", "proposal", to, &names)?;
            if s.proposals[a].deal == s.proposals[b].deal {
                return Err(usage(
                    format!(
                        "--path {from}..{to}: the two proposals are identical, so there is no path between them"
                    ),
                    None,
                ));
            }
            if !beyond.is_finite() || *beyond < 0.0 || *beyond > 10.0 {
                return Err(usage(
                    format!(
                        "--beyond {beyond}: must be a number from 0 to 10 (a share of the path's length)"
                    ),
                    None,
                ));
            }
            let xs = linspace(-beyond, 1.0 + beyond, steps_of("--path", *steps)?);
            Ok(Resolved::Path { from: a, to: b, xs })
        }
        AxisSpec::Reservation {
            party,
            from,
            to,
            steps,
        } => {
            let names: Vec<&str> = s.parties.iter().map(|p| p.name.as_str()).collect();
            let p = lookup("--reservation", "party", party, &names)?;
            let from = finite("--from", from.unwrap_or(0.0))?;
            let to = finite("--to", to.unwrap_or(1.0))?;
            for (flag, v) in [("--from", from), ("--to", to)] {
                if !(0.0..=1.0).contains(&v) {
                    return Err(usage(
                        format!("{flag} {v}: a reservation utility lies in [0, 1]"),
                        None,
                    ));
                }
            }
            if from == to {
                return Err(usage(
                    format!("--from and --to are both {from}: nothing to sweep"),
                    None,
                ));
            }
            Ok(Resolved::Reservation {
                party: p,
                values: linspace(from, to, steps_of("--reservation", *steps)?),
            })
        }
        AxisSpec::Param { name, .. } => Err(usage(
            format!(
                "--param {name}: the ratify protocol has no protocol or tactic parameters to sweep"
            ),
            Some(
                "--param applies to kind = \"alternating\", \"mediated\" or \"equilibrium\"; a ratify sweep varies a clause (--clause), a concession path (--path) or an outside option (--reservation)"
                    .into(),
            ),
        )),
    }
}

fn fmt_num(x: f64, integer: bool) -> String {
    if integer {
        crate::model::clause::group_thousands(x.round() as i64)
    } else {
        format!("{x}")
    }
}

/// Validates the request and lays out the points (row-major, last axis fastest).
pub fn plan(s: &Scenario, spec: &SweepSpec, options: &RunOptions) -> Result<Plan, Error> {
    if spec.axes.is_empty() {
        return Err(usage(
            "nothing to sweep: give --clause NAME, --path FROM..TO, --reservation PARTY or --param NAME".into(),
            Some("for example: accord sweep FILE --clause troop_cap --from 600000 --to 800000 --steps 21".into()),
        ));
    }
    if spec.axes.len() > 2 {
        return Err(usage(
            format!(
                "{} axes given: a sweep has one axis, or two for a grid",
                spec.axes.len()
            ),
            None,
        ));
    }
    let axes = spec
        .axes
        .iter()
        .map(|a| resolve(s, a))
        .collect::<Result<Vec<_>, _>>()?;
    if let [a, b] = &axes[..] {
        let clash = match (a, b) {
            (Resolved::Clause { clause: x, .. }, Resolved::Clause { clause: y, .. }) => x == y,
            (Resolved::Path { .. }, Resolved::Path { .. }) => true,
            (Resolved::Reservation { .. }, Resolved::Reservation { .. }) => true,
            _ => false,
        };
        if clash {
            return Err(usage("the two axes of a grid must differ: two clauses, a clause and a path, or either with a reservation (at most one path and one reservation)".into(), None));
        }
    }
    let proposal_names: Vec<&str> = s.proposals.iter().map(|p| p.name.as_str()).collect();
    let path_start = axes.iter().find_map(|a| match a {
        Resolved::Path { from, .. } => Some(*from),
        _ => None,
    });
    let base = match (&spec.base, path_start) {
        (Some(name), _) => lookup("--proposal", "proposal", name, &proposal_names)?,
        (None, Some(from)) => from,
        (None, None) => {
            if s.proposals.is_empty() {
                return Err(usage(
                    "the scenario has no proposal to sweep from; add a [proposals.NAME] table"
                        .into(),
                    None,
                ));
            }
            0
        }
    };
    let base_deal = &s.proposals[base].deal;
    let mean_slots = s.mean_slots();

    // Row-major grid of indices.
    let sizes: Vec<usize> = axes.iter().map(axis_len).collect();
    let total: usize = sizes.iter().product();
    if total > 1_000_000 {
        return Err(usage(
            format!("{total} points: a sweep has at most 1,000,000 points; lower --steps"),
            None,
        ));
    }
    let mut coords = Vec::with_capacity(total);
    let mut deals = Vec::with_capacity(total);
    let mut reservation_values = Vec::new();
    for flat in 0..total {
        let idx: Vec<usize> = if sizes.len() == 2 {
            vec![flat / sizes[1], flat % sizes[1]]
        } else {
            vec![flat]
        };
        let mut deal = base_deal.clone();
        // A path fixes every clause; a clause axis then overrides its own clause.
        for (a, &i) in axes.iter().zip(&idx) {
            if let Resolved::Path { from, to, xs } = a {
                deal = path_deal(s, *from, *to, xs[i], &mean_slots);
            }
        }
        let mut x = Vec::with_capacity(axes.len());
        for (a, &i) in axes.iter().zip(&idx) {
            match a {
                Resolved::Clause { clause, values } => {
                    deal[*clause] = values[i];
                    x.push(values[i]);
                }
                Resolved::Path { xs, .. } => x.push(xs[i]),
                Resolved::Reservation { values, .. } => {
                    reservation_values.push(values[i]);
                    x.push(values[i]);
                }
            }
        }
        coords.push(x);
        deals.push(deal);
    }
    let reservation = axes.iter().find_map(|a| match a {
        Resolved::Reservation { party, .. } => Some(ReservationAxis {
            party: *party,
            values: reservation_values.clone(),
        }),
        _ => None,
    });

    let infos: Vec<AxisInfo> = axes.iter().map(|a| axis_info(s, a)).collect();
    let markers = if axes.len() == 1 {
        markers(s, &axes[0], base)
    } else {
        Vec::new()
    };
    let description = describe(s, &axes, &infos, base);
    Ok(Plan {
        meta: SweepMeta {
            scenario: s.name.clone(),
            protocol: "ratify".into(),
            seed: options.seed,
            rounds: options.rounds,
            precision: None,
            base: s.proposals[base].name.clone(),
            description,
            axes: infos,
            markers,
            parties: s.parties.iter().map(|p| p.name.clone()).collect(),
            veto: s.parties.iter().map(|p| p.veto).collect(),
        },
        coords,
        deals,
        reservation,
    })
}

fn axis_len(a: &Resolved) -> usize {
    match a {
        Resolved::Clause { values, .. } | Resolved::Reservation { values, .. } => values.len(),
        Resolved::Path { xs, .. } => xs.len(),
    }
}

fn axis_info(s: &Scenario, a: &Resolved) -> AxisInfo {
    match a {
        Resolved::Clause { clause, values } => {
            let c = &s.clauses[*clause];
            let (unit, integer, options) = match &c.kind {
                ClauseKind::Range { unit, integer, .. } => (unit.clone(), *integer, None),
                ClauseKind::Bool => (None, false, Some(vec!["no".to_string(), "yes".to_string()])),
                ClauseKind::Choice { options } => (None, false, Some(options.clone())),
            };
            let label = match &unit {
                Some(u) => format!("{} ({u})", c.name),
                None => c.name.clone(),
            };
            AxisInfo {
                kind: "clause".into(),
                name: c.name.clone(),
                label,
                unit,
                integer,
                options,
                values: values.clone(),
            }
        }
        Resolved::Path { from, to, xs } => {
            let (a, b) = (&s.proposals[*from].name, &s.proposals[*to].name);
            AxisInfo {
                kind: "path".into(),
                name: "path".into(),
                label: format!("concession path from {a} (0) to {b} (1)"),
                unit: None,
                integer: false,
                options: None,
                values: xs.clone(),
            }
        }
        Resolved::Reservation { party, values } => {
            let p = &s.parties[*party];
            let mean = if p.reservation.is_uncertain() {
                " (mean)"
            } else {
                ""
            };
            AxisInfo {
                kind: "reservation".into(),
                name: format!("reservation_{}", p.name),
                label: format!("{} reservation utility{mean}", p.name),
                unit: None,
                integer: false,
                options: None,
                values: values.clone(),
            }
        }
    }
}

/// Proposals that sit on a 1-D axis.
fn markers(s: &Scenario, a: &Resolved, base: usize) -> Vec<Marker> {
    match a {
        Resolved::Clause { clause, values } => {
            let (lo, hi) = values
                .iter()
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), v| {
                    (l.min(*v), h.max(*v))
                });
            let base_deal = &s.proposals[base].deal;
            s.proposals
                .iter()
                .filter(|p| (0..base_deal.len()).all(|i| i == *clause || p.deal[i] == base_deal[i]))
                .filter(|p| p.deal[*clause] >= lo && p.deal[*clause] <= hi)
                .map(|p| Marker {
                    name: p.name.clone(),
                    x: p.deal[*clause],
                })
                .collect()
        }
        Resolved::Path { from, to, .. } => vec![
            Marker {
                name: s.proposals[*from].name.clone(),
                x: 0.0,
            },
            Marker {
                name: s.proposals[*to].name.clone(),
                x: 1.0,
            },
        ],
        Resolved::Reservation { party, values } => {
            let (lo, hi) = (
                values[0].min(values[values.len() - 1]),
                values[0].max(values[values.len() - 1]),
            );
            let centre = match s.parties[*party].reservation {
                Param::Fixed(v) => v,
                Param::Slot(k) => s.mean_slots()[k],
            };
            if centre >= lo && centre <= hi {
                vec![Marker {
                    name: "baseline".into(),
                    x: centre,
                }]
            } else {
                Vec::new()
            }
        }
    }
}

fn describe(s: &Scenario, axes: &[Resolved], infos: &[AxisInfo], base: usize) -> String {
    let parts: Vec<String> = axes
        .iter()
        .zip(infos)
        .map(|(a, info)| match a {
            Resolved::Clause { values, .. } if info.options.is_none() => format!(
                "{} from {} to {} in {} steps",
                info.name,
                fmt_num(values[0], info.integer),
                fmt_num(values[values.len() - 1], info.integer),
                values.len()
            ),
            Resolved::Clause { values, .. } => {
                format!("{} over its {} options", info.name, values.len())
            }
            Resolved::Path { from, to, xs } => format!(
                "path {} → {} from x = {} to {} in {} steps",
                s.proposals[*from].name,
                s.proposals[*to].name,
                xs[0],
                xs[xs.len() - 1],
                xs.len()
            ),
            Resolved::Reservation { values, .. } => {
                format!(
                    "{} from {} to {} in {} steps",
                    info.label,
                    values[0],
                    values[values.len() - 1],
                    values.len()
                )
            }
        })
        .collect();
    let on = if axes.iter().any(|a| matches!(a, Resolved::Path { .. })) {
        String::new()
    } else {
        format!(" on {}", s.proposals[base].name)
    };
    format!("{}{on}", parts.join(" × "))
}
