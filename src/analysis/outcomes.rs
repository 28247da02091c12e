//! The outcome space of a scenario (or of a GENIUS domain): its Pareto frontier and the
//! solution points over it.
//!
//! The space is a [`Space`]: every clause's values from the one deal-space rule
//! ([`crate::model::DealSpace`]), every party's utility with parameters at their means.
//! The frontier and the solution points are over the utilities of the parties whose
//! acceptance is needed (the veto holders; every party when none holds a veto); the others'
//! utilities are reported alongside.
//!
//! - Additive utilities: the frontier by divide and conquer over clauses
//!   ([`super::pareto`]), exact, with ties kept as one entry per utility vector.
//! - GENIUS hyperrectangle utilities: by branch and bound ([`super::bnb`]), ties kept as
//!   boxes.
//!
//! The solution points ([`super::solution`]: Nash with bargaining powers, textbook and
//! GENIUS Kalai–Smorodinsky, individually rational maximum welfare) are read off the
//! frontier in one pass. When the only clause on a grid is a range on which every needed
//! party's utility is affine, they are found exactly off the grid ([`super::exact`]);
//! otherwise, with clauses on a grid, they are the best grid points at the resolution used.

use crate::error::Error;
use crate::model::Deal;

use super::bnb;
use super::exact::{self, Exact, Segments};
use super::pareto::{self, Frontier, TooLarge};
use super::solution::{self, gap, min_fraction, product, welfare};

pub use super::bnb::{DEFAULT_NODE_LIMIT, EPS, dominates};
pub use super::space::{Affine, Axis, AxisKind, Rect, Space};
pub use crate::model::space::{DEFAULT_RESOLUTION, MAX_ENUMERATED_VALUES, MAX_RESOLUTION};

/// The largest utility term (in size) the exact units accept: sums of thousands of such
/// terms stay far inside the units' range (2⁶³ units of 2⁻⁴⁰ is about 8·10⁶).
pub const MAX_TERM: f64 = 1000.0;

/// A Pareto-optimal utility vector and the outcomes that have it (their first is
/// [`Analysis::outcome`], all of them [`Analysis::for_each_outcome`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// Every party's utility of the entry's first outcome (for the parties whose acceptance
    /// is not needed, the entry's other outcomes may differ).
    pub utilities: Vec<f64>,
    /// Outcomes with these utilities for the needed parties (saturating at `u128::MAX`).
    pub count: u128,
    /// Where the outcomes are: a point of the merge tree, or a box.
    origin: Origin,
}

#[derive(Debug, Clone, PartialEq)]
enum Origin {
    Tree(usize),
    Box(Vec<Vec<usize>>),
}

/// A solution point.
#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    /// The frontier entry it is, when it is a point of the (gridded) space; `None` for a
    /// point found exactly off the grid.
    pub entry: Option<usize>,
    /// Every party's utility.
    pub utilities: Vec<f64>,
    /// The deal.
    pub deal: Deal,
    /// Outcomes of the space with the same utilities for the needed parties.
    pub count: u128,
    /// The criterion at the point: Nash, the product of gains `Π (u_i − d_i)`;
    /// Kalai–Smorodinsky, the smallest fraction of the possible gain; GENIUS KS, the sum of
    /// pairwise gaps; welfare, the sum of utilities (all over the needed parties).
    pub value: f64,
    /// Whether the point is the criterion's optimum over the whole deal space, rather than
    /// the best point of a grid (see [`Analysis::refinement`]).
    pub exact: bool,
}

/// How close the solution points are to the deal space's optimum.
#[derive(Debug, Clone, PartialEq)]
pub enum Refinement {
    /// No clause is on a grid: the points are exact.
    Enumerated,
    /// One range clause (this axis) is on a grid and linear for every needed party: the
    /// points are exact, off the grid where need be.
    Exact { axis: usize },
    /// Clauses are on a grid: the points are the best grid points at this resolution.
    Grid { resolution: usize },
}

/// Settings of an analysis.
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    /// Bargaining power of each needed party (in party order), positive; normalised to sum
    /// to 1. `None`: equal.
    pub power: Option<Vec<f64>>,
    /// Search nodes the branch and bound may visit.
    pub node_limit: u64,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            power: None,
            node_limit: DEFAULT_NODE_LIMIT,
        }
    }
}

/// The result of [`analyse`].
#[derive(Debug, Clone)]
pub struct Analysis {
    /// Outcomes in the space (saturating at `u128::MAX`).
    pub outcomes: u128,
    /// The parties whose acceptance is needed (indices), over whose utilities the frontier
    /// and the solution points are.
    pub needed: Vec<usize>,
    /// Their bargaining powers, summing to 1.
    pub power: Vec<f64>,
    /// Pareto-optimal entries, by the needed parties' utilities (first party's descending,
    /// then the next's).
    pub frontier: Vec<Entry>,
    /// Each needed party's best utility over the individually rational outcomes; `None`
    /// when no outcome gives every needed party its reservation.
    pub ideal: Option<Vec<f64>>,
    /// The weighted Nash product's maximum; `None` when no outcome is individually
    /// rational (as for the next two).
    pub nash: Option<Point>,
    /// The textbook Kalai–Smorodinsky point (largest smallest gain fraction).
    pub kalai_smorodinsky: Option<Point>,
    /// The largest welfare over the rational outcomes.
    pub max_welfare: Option<Point>,
    /// GENIUS's Kalai–Smorodinsky point: over the whole frontier, rational or not.
    pub genius_ks: Point,
    /// Whether the points are exact or the best of a grid.
    pub refinement: Refinement,
    /// Work done: search nodes (branch and bound) or point pairs examined (merges).
    pub nodes: u64,
    points: usize,
    tree: Option<Frontier<'static>>,
}

impl Analysis {
    /// The first outcome of frontier entry `i` (value indices per axis).
    pub fn outcome(&self, i: usize) -> Vec<usize> {
        first_outcome(&self.frontier[i], self.tree.as_ref())
    }

    /// Pareto-optimal outcomes (saturating).
    pub fn pareto_outcomes(&self) -> u128 {
        self.frontier
            .iter()
            .fold(0u128, |n, e| n.saturating_add(e.count))
    }

    /// Distinct utility vectors of the needed parties on the frontier.
    pub fn pareto_points(&self) -> usize {
        self.points
    }

    /// Calls `f` with every outcome of frontier entry `i` (value indices per axis) until it
    /// returns false.
    pub fn for_each_outcome(&self, i: usize, f: &mut dyn FnMut(&[usize]) -> bool) {
        match (&self.frontier[i].origin, &self.tree) {
            (Origin::Tree(p), Some(tree)) => {
                tree.for_each_outcome(*p, f);
            }
            (Origin::Box(groups), _) => {
                let mut o: Vec<usize> = groups.iter().map(|g| g[0]).collect();
                let mut at = vec![0usize; groups.len()];
                loop {
                    if !f(&o) {
                        return;
                    }
                    // Odometer over the groups.
                    let mut a = 0;
                    loop {
                        if a == groups.len() {
                            return;
                        }
                        at[a] += 1;
                        if at[a] < groups[a].len() {
                            o[a] = groups[a][at[a]];
                            break;
                        }
                        at[a] = 0;
                        o[a] = groups[a][0];
                        a += 1;
                    }
                }
            }
            (Origin::Tree(_), None) => unreachable!("tree entries come with their tree"),
        }
    }
}

fn first_outcome(e: &Entry, tree: Option<&Frontier<'_>>) -> Vec<usize> {
    match (&e.origin, tree) {
        (Origin::Box(groups), _) => groups.iter().map(|g| g[0]).collect(),
        (Origin::Tree(p), Some(t)) => {
            let mut o = vec![0; t.axes()];
            t.first_outcome(*p, &mut o);
            o
        }
        (Origin::Tree(_), None) => unreachable!("tree entries come with their tree"),
    }
}

/// The frontier and solution points of `space` with equal bargaining powers, visiting at
/// most `node_limit` search nodes.
pub fn analyse(space: &Space, node_limit: u64) -> Result<Analysis, Error> {
    analyse_with(
        space,
        &Options {
            power: None,
            node_limit,
        },
    )
}

/// The frontier and solution points of `space`.
pub fn analyse_with(space: &Space, opts: &Options) -> Result<Analysis, Error> {
    let needed = space.needed_parties();
    if needed.is_empty() {
        return Err(Error::usage(
            "no party's acceptance is needed: there is nothing to analyse",
            None,
        ));
    }
    let power = normalised_power(opts.power.as_deref(), needed.len())?;
    let d: Vec<f64> = needed.iter().map(|&p| space.reservations[p]).collect();
    let gridded: Vec<usize> = (0..space.axes.len())
        .filter(|&a| space.axes[a].grid)
        .collect();
    let special = match gridded.as_slice() {
        [a] if space.is_additive() => space.affine(*a).map(|f| (*a, f)),
        _ => None,
    };
    let refinement = match (&special, gridded.is_empty()) {
        (Some((axis, _)), _) => Refinement::Exact { axis: *axis },
        (None, true) => Refinement::Enumerated,
        (None, false) => Refinement::Grid {
            resolution: space.resolution.unwrap_or(0),
        },
    };

    let (frontier, points, nodes, tree) = if space.is_additive() {
        // Units are exact while sums stay far inside i64: terms are utilities of one clause,
        // on [0, 1] for every value function accord has.
        if let Some((axis, value, party, term)) = space.term_out_of_range(MAX_TERM) {
            return Err(Error::usage(
                format!(
                    "party `{}`'s utility term for clause `{}` = {} is {term}: terms must be finite numbers of at most {MAX_TERM} in size",
                    space.parties[party], space.axes[axis].name, space.axes[axis].labels[value]
                ),
                None,
            ));
        }
        let (units, offsets) = space.unit_tables(&needed);
        let tables: Vec<&[i64]> = offsets.windows(2).map(|w| &units[w[0]..w[1]]).collect();
        // Every party's utilities travel with each point's first outcome.
        let values = pareto::Values {
            width: space.parties.len(),
            tables: space.tables(),
        };
        let f = pareto::frontier(
            needed.len(),
            &tables,
            Some(values),
            special.as_ref().map(|s| s.0),
        )
        .map_err(|e| too_large(space, &e))?;
        let entries = tree_entries(&f);
        // The tree keeps no borrow of the space once built (see `Frontier::detach`).
        let f = f.detach();
        (entries, f.len(), f.visited, Some(f))
    } else {
        let (boxes, nodes) = bnb::frontier(space, opts.node_limit)?;
        let (entries, points) = box_entries(space, &needed, boxes);
        (entries, points, nodes, None)
    };

    let exact = !matches!(refinement, Refinement::Grid { .. });
    // The needed parties' utilities of every entry, in one block.
    let mut flat: Vec<f64> = Vec::with_capacity(frontier.len() * needed.len());
    for e in &frontier {
        flat.extend(needed.iter().map(|&p| e.utilities[p]));
    }
    let refs: Vec<&[f64]> = flat.chunks_exact(needed.len()).collect();
    let picks = solution::pick(&refs, &d, &power);
    // The points often share an entry: each entry's deal is found once.
    let mut deals: Vec<(usize, Deal)> = Vec::with_capacity(4);
    let mut on_grid = |(i, value): (usize, f64)| {
        let e: &Entry = &frontier[i];
        let deal = match deals.iter().find(|(j, _)| *j == i) {
            Some((_, d)) => d.clone(),
            None => {
                let d = space.deal(&first_outcome(e, tree.as_ref()));
                deals.push((i, d.clone()));
                d
            }
        };
        Point {
            entry: Some(i),
            utilities: e.utilities.clone(),
            deal,
            count: e.count,
            value,
            exact,
        }
    };
    let (nash, kalai_smorodinsky, max_welfare, genius_ks) = (
        picks.nash.map(&mut on_grid),
        picks.kalai_smorodinsky.map(&mut on_grid),
        picks.max_welfare.map(&mut on_grid),
        on_grid(
            picks
                .genius_ks
                .expect("a frontier always has a point, so GENIUS KS exists"),
        ),
    );
    let mut analysis = Analysis {
        outcomes: space.outcome_count(),
        ideal: picks.ideal,
        nash,
        kalai_smorodinsky,
        max_welfare,
        genius_ks,
        needed,
        power,
        frontier,
        refinement,
        nodes,
        points,
        tree,
    };
    if let (Some((axis, affine)), Some(tree)) = (&special, &analysis.tree) {
        let refined = refine(
            space,
            tree,
            *axis,
            affine,
            &analysis.needed,
            &d,
            &analysis.power,
        );
        analysis.ideal = refined.0;
        [
            analysis.nash,
            analysis.kalai_smorodinsky,
            analysis.max_welfare,
        ] = refined.1;
        match refined.2 {
            Some(g) => analysis.genius_ks = g,
            // No exact point found within the checks: the best grid point, not exact.
            None => analysis.genius_ks.exact = false,
        }
    }
    Ok(analysis)
}

/// Powers normalised to sum to 1 (equal when none are given).
fn normalised_power(power: Option<&[f64]>, n: usize) -> Result<Vec<f64>, Error> {
    let Some(p) = power else {
        return Ok(vec![1.0 / n as f64; n]);
    };
    if p.len() != n || p.iter().any(|a| !a.is_finite() || *a <= 0.0) {
        return Err(Error::usage(
            format!("bargaining powers must be {n} positive finite numbers, got {p:?}"),
            None,
        ));
    }
    let total: f64 = p.iter().sum();
    Ok(p.iter().map(|a| a / total).collect())
}

/// The usage error for a merge past its limit, with a resolution that would fit.
fn too_large(space: &Space, e: &TooLarge) -> Error {
    let names = |axes: &[usize]| {
        axes.iter()
            .map(|&a| format!("`{}`", space.axes[a].name))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let message = format!(
        "the Pareto frontier is too large to compute: combining the frontier of {} with that of {} needs {} candidate points (at most {} per step)",
        names(&e.left),
        names(&e.right),
        e.needed,
        e.limit
    );
    let help = match space.resolution {
        Some(k) if space.gridded().next().is_some() => {
            // Candidates grow about in proportion to the grid points of a gridded clause.
            let fit = ((k as f64) * e.limit as f64 / e.needed as f64).floor() as usize;
            Some(format!(
                "lower --resolution (grid points per range clause; now {k}): about {} or fewer fits",
                fit.max(crate::model::space::MIN_RESOLUTION)
            ))
        }
        _ => Some(
            "the space's utilities trade off too finely to list every Pareto-optimal outcome"
                .into(),
        ),
    };
    Error::usage(message, help)
}

/// Frontier entries from the merge tree, sorted by the needed parties' utilities.
fn tree_entries(f: &Frontier<'_>) -> Vec<Entry> {
    let entry = |i: usize| Entry {
        utilities: f.values(i).to_vec(),
        count: f.point(i).count,
        origin: Origin::Tree(i),
    };
    if f.is_lexicographic() {
        return (0..f.len()).map(entry).collect();
    }
    let mut order: Vec<usize> = (0..f.len()).collect();
    order.sort_by(|&a, &b| f.point(b).units.cmp(f.point(a).units));
    order.into_iter().map(entry).collect()
}

/// Frontier entries from branch-and-bound boxes, sorted by the needed parties' utilities
/// (within [`EPS`]), and the number of distinct utility vectors among them.
fn box_entries(space: &Space, needed: &[usize], boxes: Vec<bnb::BoxEntry>) -> (Vec<Entry>, usize) {
    let mut entries: Vec<Entry> = boxes
        .into_iter()
        .map(|b| {
            let first: Vec<usize> = b.groups.iter().map(|g| g[0]).collect();
            Entry {
                utilities: space.utilities(&first),
                count: b.count,
                origin: Origin::Box(b.groups),
            }
        })
        .collect();
    let key = |e: &Entry| -> Vec<f64> { needed.iter().map(|&p| e.utilities[p]).collect() };
    entries.sort_by(|a, b| {
        for (x, y) in key(a).iter().zip(&key(b)) {
            if (x - y).abs() > EPS {
                return y.total_cmp(x);
            }
        }
        let first = |e: &Entry| match &e.origin {
            Origin::Box(g) => g.iter().map(|g| g[0]).collect::<Vec<usize>>(),
            Origin::Tree(_) => Vec::new(),
        };
        first(a).cmp(&first(b))
    });
    let same = |a: &Entry, b: &Entry| {
        key(a)
            .iter()
            .zip(&key(b))
            .all(|(x, y)| (x - y).abs() <= EPS)
    };
    let points = (0..entries.len())
        .filter(|&i| i == 0 || !same(&entries[i - 1], &entries[i]))
        .count();
    (entries, points)
}

type Points3 = [Option<Point>; 3];

/// The exact solution points when axis `axis` is the only gridded clause and linear: the
/// ideal, Nash, KS and welfare points, and GENIUS KS.
fn refine(
    space: &Space,
    tree: &Frontier<'_>,
    axis: usize,
    affine: &Affine,
    needed: &[usize],
    d: &[f64],
    power: &[f64],
) -> (Option<Vec<f64>>, Points3, Option<Point>) {
    let n = tree.rest_len();
    let mut outcomes: Vec<Vec<usize>> = Vec::with_capacity(n);
    let mut base_all: Vec<Vec<f64>> = Vec::with_capacity(n);
    let mut base: Vec<Vec<f64>> = Vec::with_capacity(n);
    for r in 0..n {
        let mut o = vec![0; space.axes.len()];
        tree.rest_first_outcome(r, &mut o);
        let u = tree.rest_values(r).to_vec();
        base.push(needed.iter().map(|&p| u[p] + affine.at_min[p]).collect());
        base_all.push(u);
        outcomes.push(o);
    }
    let slope: Vec<f64> = needed.iter().map(|&p| affine.slope[p]).collect();
    let segments = Segments {
        base: &base,
        slope: &slope,
        len: affine.max - affine.min,
        integer: affine.integer,
    };
    let refined = exact::refine(&segments, d, power);
    let ideal = refined.ideal.clone();
    let point = |e: Exact, criterion: &dyn Fn(&[f64]) -> Option<f64>| -> Option<Point> {
        let x = if e.t >= segments.len {
            affine.max
        } else {
            affine.min + e.t
        };
        let utilities: Vec<f64> = (0..space.parties.len())
            .map(|p| base_all[e.rest][p] + space.term_at(axis, p, x).unwrap_or(0.0))
            .collect();
        let un: Vec<f64> = needed.iter().map(|&p| utilities[p]).collect();
        let mut deal = space.deal(&outcomes[e.rest]);
        deal[axis] = x;
        Some(Point {
            entry: None,
            value: criterion(&un)?,
            utilities,
            deal,
            count: tree.rest_point(e.rest).count,
            exact: true,
        })
    };
    let nash = refined
        .nash
        .and_then(|e| point(e, &|u| Some(product(u, d))));
    let ks = refined.kalai_smorodinsky.and_then(|e| {
        point(e, &|u| {
            ideal
                .as_ref()
                .and_then(|a| min_fraction(u, d, a))
                // Rounding can put an exact point a hair below a reservation.
                .or(Some(0.0))
        })
    });
    let sw = refined
        .max_welfare
        .and_then(|e| point(e, &|u| Some(welfare(u))));
    let genius = refined.genius_ks.and_then(|e| point(e, &|u| Some(gap(u))));
    (ideal, [nash, ks, sw], genius)
}
