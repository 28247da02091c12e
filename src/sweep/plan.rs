//! One sweep plan for every protocol: the axes checked against the scenario, laid out as a
//! grid of points (row-major, the last axis fastest), each point a variant of the scenario
//! played on the same worlds — a deal for `ratify`, a copy of the scenario with its protocol's
//! parameters set for the dynamic protocols.

use std::borrow::Cow;

use super::axis::{self, AxisSpec, DealAxis, SweepSpec, lookup, reservation_centre};
use super::knob::{self, Knob, KnobAxis, dynamic};
use super::result::{AxisInfo, Marker, SweepInfo};
use crate::error::{About, Invalid};
use crate::job::Variants;
use crate::model::{ClauseKind, Param, ProtocolSpec, Scenario};
use crate::protocol::ReservationAxis;
use crate::text::{decimal, thousands};

/// The most points a sweep of `ratify` may have.
pub const MAX_POINTS: usize = 1_000_000;

/// The most points a sweep of a dynamic protocol may have: each point prepares its own
/// protocol (deal space, offer books, per-step tallies).
pub const MAX_DYNAMIC_POINTS: usize = 2_000;

/// A sweep ready to play.
#[derive(Debug, Clone)]
pub struct Plan<'s> {
    pub info: SweepInfo,
    /// Coordinates of each point (one per axis), row-major.
    pub coords: Vec<Vec<f64>>,
    /// The scenario the worlds are drawn from: the scenario itself, or a copy of it whose
    /// mediated text starts elsewhere or that draws the breakdown a breakdown axis needs.
    pub worlds: Cow<'s, Scenario>,
    /// What is played at each point.
    pub variants: Variants,
}

/// An axis checked against the scenario.
enum Axis {
    Deal(DealAxis),
    Knob(KnobAxis),
}

impl Axis {
    fn values(&self) -> &[f64] {
        match self {
            Axis::Deal(a) => a.values(),
            Axis::Knob(k) => &k.values,
        }
    }
}

/// Checks `spec` against `s` and lays out its points.
pub fn plan<'s>(s: &'s Scenario, spec: &SweepSpec) -> Result<Plan<'s>, Invalid> {
    let dynamic_protocol = s.protocol.dynamic().is_some();
    if spec.axes.is_empty() {
        let what = if dynamic_protocol {
            format!(
                "a parameter of the protocol ({})",
                knob::names(s).join(", ")
            )
        } else {
            "a clause, a concession path between two proposals or a party's outside option".into()
        };
        return Err(Invalid::new(
            About::Request,
            format!("nothing to sweep: give {what}"),
        ));
    }
    if spec.axes.len() > 2 {
        return Err(Invalid::new(
            About::Axis(2),
            format!(
                "{} axes given: a sweep has one axis, or two for a grid",
                spec.axes.len()
            ),
        ));
    }
    let axes = spec
        .axes
        .iter()
        .enumerate()
        .map(|(i, a)| resolve(s, i, a))
        .collect::<Result<Vec<_>, _>>()?;
    if let [a, b] = &axes[..] {
        let clash = match (a, b) {
            (
                Axis::Deal(DealAxis::Clause { clause: x, .. }),
                Axis::Deal(DealAxis::Clause { clause: y, .. }),
            ) => x == y,
            (Axis::Deal(DealAxis::Path { .. }), Axis::Deal(DealAxis::Path { .. })) => true,
            (
                Axis::Deal(DealAxis::Reservation { .. }),
                Axis::Deal(DealAxis::Reservation { .. }),
            ) => true,
            (Axis::Knob(x), Axis::Knob(y)) => x.knob == y.knob,
            _ => false,
        };
        if clash {
            let what = match b {
                Axis::Knob(k) => format!("`{}` is swept twice", k.name),
                _ => "the two axes sweep the same thing".to_string(),
            };
            return Err(Invalid::new(
                About::Axis(1),
                format!(
                    "{what}: the two axes of a grid must differ (two clauses, a clause and a path, either with an outside option, or two parameters)"
                ),
            ));
        }
    }
    let sizes: Vec<usize> = axes.iter().map(|a| a.values().len()).collect();
    let total: usize = sizes.iter().product();
    let limit = if dynamic_protocol {
        MAX_DYNAMIC_POINTS
    } else {
        MAX_POINTS
    };
    if total > limit {
        return Err(Invalid::new(
            About::Points(axes.len() - 1),
            format!(
                "{} points: a sweep of the {} protocol has at most {}; ask for fewer points",
                thousands(total as u64),
                s.protocol.name(),
                thousands(limit as u64)
            ),
        ));
    }
    let grid: Vec<Vec<usize>> = (0..total)
        .map(|flat| match sizes[..] {
            [_, inner] => vec![flat / inner, flat % inner],
            _ => vec![flat],
        })
        .collect();
    let coords: Vec<Vec<f64>> = grid
        .iter()
        .map(|idx| axes.iter().zip(idx).map(|(a, &i)| a.values()[i]).collect())
        .collect();
    let infos: Vec<AxisInfo> = axes.iter().map(|a| axis_info(s, a)).collect();
    let (base, worlds, variants) = if dynamic_protocol {
        let (worlds, base) = dynamic_worlds(s, spec, &axes)?;
        let variants = knob_points(&worlds, &axes, &grid)?;
        (base, worlds, variants)
    } else {
        let base = ratify_base(s, spec, &axes)?;
        let variants = deal_points(s, base, &axes, &grid);
        (Some(base), Cow::Borrowed(s), variants)
    };
    let markers = match &axes[..] {
        [a] => markers(s, a, base),
        _ => Vec::new(),
    };
    let description = describe(s, &axes, &infos, base);
    Ok(Plan {
        info: SweepInfo {
            base: base.map_or_else(String::new, |b| s.proposals[b].name.clone()),
            description,
            axes: infos,
            markers,
            parties: s.parties.iter().map(|p| p.name.clone()).collect(),
            veto: s.parties.iter().map(|p| p.veto).collect(),
        },
        coords,
        worlds,
        variants,
    })
}

/// Axis `i` checked against the scenario's protocol: deal axes for `ratify`, parameters for
/// the dynamic protocols.
fn resolve(s: &Scenario, i: usize, spec: &AxisSpec) -> Result<Axis, Invalid> {
    match (s.protocol.dynamic().is_some(), spec) {
        (
            true,
            AxisSpec::Param {
                name,
                from,
                to,
                points,
            },
        ) => knob::resolve(s, i, name, *from, *to, *points).map(Axis::Knob),
        (true, _) => Err(Invalid::new(
            About::Axis(i),
            format!(
                "the {} protocol negotiates its own deal, so there is no fixed text to vary",
                s.protocol.name()
            ),
        )
        .help(format!(
            "sweep one of its parameters: {}",
            knob::names(s).join(", ")
        ))),
        (false, spec) => axis::resolve(s, i, spec).map(Axis::Deal),
    }
}

/// The proposal a ratify sweep varies: the one asked for, else a path's start, else the
/// first.
fn ratify_base(s: &Scenario, spec: &SweepSpec, axes: &[Axis]) -> Result<usize, Invalid> {
    let names: Vec<&str> = s.proposals.iter().map(|p| p.name.as_str()).collect();
    let path_start = axes.iter().find_map(|a| match a {
        Axis::Deal(DealAxis::Path { from, .. }) => Some(*from),
        _ => None,
    });
    match (&spec.base, path_start) {
        (Some(name), _) => lookup(About::Base, "proposal", name, &names),
        (None, Some(from)) => Ok(from),
        (None, None) if s.proposals.is_empty() => Err(Invalid::new(
            About::Base,
            "the scenario has no proposal to sweep from; add a [proposals.NAME] table",
        )),
        (None, None) => Ok(0),
    }
}

/// The deals of a ratify sweep: the base proposal with each point's values set.
fn deal_points(s: &Scenario, base: usize, axes: &[Axis], grid: &[Vec<usize>]) -> Variants {
    let mean_slots = s.mean_slots();
    let deal_axes: Vec<&DealAxis> = axes
        .iter()
        .filter_map(|a| match a {
            Axis::Deal(d) => Some(d),
            Axis::Knob(_) => None,
        })
        .collect();
    let deals = grid
        .iter()
        .map(|idx| {
            let mut deal = s.proposals[base].deal.clone();
            // A path fixes every clause; a clause axis then overrides its own clause.
            let mut ordered: Vec<(&DealAxis, usize)> =
                deal_axes.iter().copied().zip(idx.iter().copied()).collect();
            ordered.sort_by_key(|(a, _)| !matches!(a, DealAxis::Path { .. }));
            for (a, i) in ordered {
                a.apply(s, i, &mut deal, &mean_slots);
            }
            deal
        })
        .collect();
    let reservation = deal_axes.iter().zip(0..).find_map(|(a, k)| match a {
        DealAxis::Reservation { party, values } => Some(ReservationAxis {
            party: *party,
            values: grid.iter().map(|idx| values[idx[k]]).collect(),
        }),
        _ => None,
    });
    Variants::Deals { deals, reservation }
}

/// The scenario a dynamic sweep's worlds are drawn from (with the mediated text's start the
/// base names, and the breakdown draw a breakdown axis needs), and the base's index.
fn dynamic_worlds<'s>(
    s: &'s Scenario,
    spec: &SweepSpec,
    axes: &[Axis],
) -> Result<(Cow<'s, Scenario>, Option<usize>), Invalid> {
    let mut worlds = Cow::Borrowed(s);
    let base = match (&spec.base, &s.protocol) {
        (None, ProtocolSpec::Mediated { start, .. }) => Some(*start),
        (None, _) => None,
        (Some(name), ProtocolSpec::Mediated { .. }) => {
            let names: Vec<&str> = s.proposals.iter().map(|p| p.name.as_str()).collect();
            let start = lookup(About::Base, "proposal", name, &names)?;
            if let ProtocolSpec::Mediated { start: at, .. } = &mut worlds.to_mut().protocol {
                *at = start;
            }
            Some(start)
        }
        (Some(_), _) => {
            return Err(Invalid::new(
                About::Base,
                format!("the {} protocol has no proposal to vary", s.protocol.name()),
            )
            .help("a proposal applies to ratify, and to mediated (the text it starts from)"));
        }
    };
    let breakdown = axes
        .iter()
        .any(|a| matches!(a, Axis::Knob(k) if k.knob == Knob::Breakdown));
    if breakdown && dynamic(&s.protocol).breakdown_slot().is_none() {
        // A breakdown axis needs the breakdown draw: added as the last slot, as a file with
        // a positive breakdown adds it, so every point draws it — a point at breakdown 0
        // then never breaks down but still draws.
        worlds.to_mut().with_breakdown_draw();
    }
    Ok((worlds, base))
}

/// The scenarios of a dynamic sweep: the worlds' scenario with each point's parameters set
/// through the model's setters, so each is checked as the scenario file's checks would.
fn knob_points(worlds: &Scenario, axes: &[Axis], grid: &[Vec<usize>]) -> Result<Variants, Invalid> {
    let knob_axes: Vec<&KnobAxis> = axes
        .iter()
        .filter_map(|a| match a {
            Axis::Knob(k) => Some(k),
            Axis::Deal(_) => None,
        })
        .collect();
    let points = grid
        .iter()
        .map(|idx| {
            let mut point = worlds.clone();
            let set = knob_axes
                .iter()
                .zip(idx)
                .try_for_each(|(a, &i)| a.knob.set(&mut point, a.values[i]))
                .map_err(|e| e.to_string());
            // Settings that only clash together (a quota with a discount) are checked once
            // every knob is set.
            set.and_then(|()| knob::check_point(&point))
                .map_err(|problem| {
                    let at: Vec<String> = knob_axes
                        .iter()
                        .zip(idx)
                        .map(|(a, &i)| {
                            format!("{} = {}", a.name, value_text(a.values[i], a.knob.integer()))
                        })
                        .collect();
                    Invalid::new(
                        About::Axis(knob_axes.len() - 1),
                        format!("at {}, {problem}", at.join(", ")),
                    )
                    .help("narrow the axis's range")
                })?;
            Ok(point)
        })
        .collect::<Result<Vec<_>, Invalid>>()?;
    Ok(Variants::Scenarios(points))
}

fn value_text(v: f64, integer: bool) -> String {
    if integer {
        thousands(v.round() as i64)
    } else {
        decimal(v)
    }
}

fn axis_info(s: &Scenario, a: &Axis) -> AxisInfo {
    let values = a.values().to_vec();
    match a {
        Axis::Deal(DealAxis::Clause { clause, .. }) => {
            let c = &s.clauses[*clause];
            let (unit, integer, options) = match c.kind() {
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
                values,
            }
        }
        Axis::Deal(DealAxis::Path { from, to, .. }) => {
            let (a, b) = (&s.proposals[*from].name, &s.proposals[*to].name);
            AxisInfo {
                kind: "path".into(),
                name: "path".into(),
                label: format!("concession path from {a} (0) to {b} (1)"),
                unit: None,
                integer: false,
                options: None,
                values,
            }
        }
        Axis::Deal(DealAxis::Reservation { party, .. }) => {
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
                values,
            }
        }
        Axis::Knob(k) => {
            let uncertain = k.knob.get(s).is_some_and(|p| p.is_uncertain());
            let mut label = k.knob.label(s);
            if uncertain {
                label.push_str(" (fixed; uncertain in the scenario)");
            }
            AxisInfo {
                kind: "param".into(),
                name: k.name.clone(),
                label,
                unit: (k.knob == Knob::Deadline).then(|| "steps".to_string()),
                integer: k.knob.integer(),
                options: None,
                values,
            }
        }
    }
}

/// What sits on a one-axis sweep: the named proposals on a clause or path axis, the
/// scenario's own value on a reservation or parameter axis.
fn markers(s: &Scenario, a: &Axis, base: Option<usize>) -> Vec<Marker> {
    let values = a.values();
    let (lo, hi) = values
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), v| {
            (l.min(*v), h.max(*v))
        });
    let inside = |x: f64| x >= lo && x <= hi;
    let marker = |name: &str, x: f64| Marker {
        name: name.to_string(),
        x,
    };
    match a {
        Axis::Deal(DealAxis::Clause { clause, .. }) => {
            let Some(base) = base else {
                return Vec::new();
            };
            let base_deal = &s.proposals[base].deal;
            s.proposals
                .iter()
                .filter(|p| (0..base_deal.len()).all(|i| i == *clause || p.deal[i] == base_deal[i]))
                .filter(|p| inside(p.deal[*clause]))
                .map(|p| marker(&p.name, p.deal[*clause]))
                .collect()
        }
        Axis::Deal(DealAxis::Path { from, to, .. }) => vec![
            marker(&s.proposals[*from].name, 0.0),
            marker(&s.proposals[*to].name, 1.0),
        ],
        Axis::Deal(DealAxis::Reservation { party, .. }) => {
            let centre = reservation_centre(s, *party);
            if inside(centre) {
                vec![marker("baseline", centre)]
            } else {
                Vec::new()
            }
        }
        Axis::Knob(k) => match k.knob.get(s) {
            Some(Param::Fixed(v)) if inside(v) => vec![marker("baseline", v)],
            Some(Param::Slot(slot)) if inside(s.mean_slots()[slot]) => {
                vec![marker("baseline (mean)", s.mean_slots()[slot])]
            }
            _ => Vec::new(),
        },
    }
}

/// `troop_cap from 600,000 to 800,000 in 21 points on plan_28`, `deadline from 4 to 28 in 7
/// points (alternating)`.
fn describe(s: &Scenario, axes: &[Axis], infos: &[AxisInfo], base: Option<usize>) -> String {
    let span = |info: &AxisInfo, values: &[f64]| {
        format!(
            "{} from {} to {} in {} points",
            info.name,
            value_text(values[0], info.integer),
            value_text(values[values.len() - 1], info.integer),
            values.len()
        )
    };
    let parts: Vec<String> = axes
        .iter()
        .zip(infos)
        .map(|(a, info)| match a {
            Axis::Deal(DealAxis::Clause { values, .. }) if info.options.is_some() => {
                format!("{} over its {} options", info.name, values.len())
            }
            Axis::Deal(DealAxis::Path { from, to, xs }) => format!(
                "path {} → {} from x = {} to {} in {} points",
                s.proposals[*from].name,
                s.proposals[*to].name,
                decimal(xs[0]),
                decimal(xs[xs.len() - 1]),
                xs.len()
            ),
            Axis::Deal(DealAxis::Reservation { values, .. }) => span(
                &AxisInfo {
                    name: info.label.clone(),
                    ..info.clone()
                },
                values,
            ),
            other => span(info, other.values()),
        })
        .collect();
    let grid = parts.join(" × ");
    let protocol = s.protocol.name();
    match (s.protocol.dynamic().is_some(), base) {
        (true, Some(b)) => format!("{grid} ({protocol} from {})", s.proposals[b].name),
        (true, None) => format!("{grid} ({protocol})"),
        (false, _)
            if axes
                .iter()
                .any(|a| matches!(a, Axis::Deal(DealAxis::Path { .. }))) =>
        {
            grid
        }
        (false, Some(b)) => format!("{grid} on {}", s.proposals[b].name),
        (false, None) => grid,
    }
}
