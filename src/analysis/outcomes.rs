//! The discrete outcome space of a scenario (or of a GENIUS domain): its Pareto frontier and
//! the classic solution points over it.
//!
//! Every clause becomes an axis of values: a choice's options, a bool's no and yes, an
//! integer range's whole numbers (when at most [`MAX_ENUMERATED_VALUES`]), and otherwise
//! `resolution` evenly spaced points of a range. Parameters are fixed; an uncertain one is
//! taken at its distribution's mean. A party's utility is a sum of per-axis terms (its
//! weighted value of the clause, with reference dependence when it has one) plus the
//! utilities of the hyperrectangles the outcome lies in (GENIUS nonlinear profiles).
//!
//! The frontier is found by depth-first branch and bound over the axes: values that no party
//! can tell apart (the same term for every party and the same membership in every
//! hyperrectangle still undecided) are searched once as a group, and a partial outcome is
//! dropped once an optimistic bound on its utilities is strictly dominated by a frontier
//! point. Ties are kept: the frontier lists every Pareto-optimal outcome, grouped into boxes
//! of outcomes with equal utilities.
//!
//! Solution points (../shared/REFERENCES.md, "GENIUS (ANAC) domain semantics"):
//! - Nash: maximises `Π_i (u_i − r_i)` over outcomes with every `u_i ≥ r_i`;
//! - Kalai–Smorodinsky: the Pareto outcome with the smallest `Σ_{i<j} |u_i − u_j|`;
//! - maximum social welfare: the largest `Σ_i u_i`.
//!
//! Each lies on the frontier, so they are read off it. Ties between points go to the higher
//! welfare, then to the frontier's order.

use crate::error::Error;
use crate::model::{ClauseKind, Deal, Scenario};
use crate::scenario::genius::{GeniusSet, IssueKind, Utility};

/// Utilities closer than this are equal (ties) when comparing outcomes.
pub const EPS: f64 = 1e-12;

/// Integer ranges with at most this many whole numbers are enumerated value by value.
pub const MAX_ENUMERATED_VALUES: usize = 1001;

/// Grid points per range clause when none is asked for.
pub const DEFAULT_RESOLUTION: usize = 11;

/// The most search nodes an analysis may visit before giving up.
pub const DEFAULT_NODE_LIMIT: u64 = 100_000_000;

/// One clause's values.
#[derive(Debug, Clone, PartialEq)]
pub struct Axis {
    pub name: String,
    /// Stored deal values (option index for choices, 0/1 for bools, the number for ranges).
    pub values: Vec<f64>,
    /// How each value reads.
    pub labels: Vec<String>,
    /// Whether the values are a grid over a continuous (or very long integer) range.
    pub grid: bool,
    pub kind: AxisKind,
}

/// What an axis's values are, for output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AxisKind {
    /// Option indices, read through the labels.
    Choice,
    /// 0 = no, 1 = yes.
    Bool,
    /// Numbers.
    Number,
}

/// A term that counts for one party when the outcome's value on each constrained axis is
/// allowed (a GENIUS hyperrectangle).
#[derive(Debug, Clone, PartialEq)]
pub struct Rect {
    pub party: usize,
    pub coeff: f64,
    /// `(axis, allowed[value])`, at most one entry per axis.
    pub allowed: Vec<(usize, Vec<bool>)>,
}

/// A discrete outcome space with every party's utility over it.
#[derive(Debug, Clone, PartialEq)]
pub struct Space {
    pub axes: Vec<Axis>,
    pub parties: Vec<String>,
    pub reservations: Vec<f64>,
    /// `tables[axis][value * parties + party]`: the party's utility term for that value.
    tables: Vec<Vec<f64>>,
    rects: Vec<Rect>,
    /// Uncertain parameters that were fixed at their means.
    pub means_used: usize,
}

/// A box of Pareto-optimal outcomes with equal utilities: every combination of one value per
/// axis from `groups`.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub utilities: Vec<f64>,
    /// Value indices per axis.
    pub groups: Vec<Vec<usize>>,
    /// Number of outcomes in the box (saturating).
    pub count: u128,
}

impl Entry {
    /// The box's first outcome (value indices per axis).
    pub fn outcome(&self) -> Vec<usize> {
        self.groups.iter().map(|g| g[0]).collect()
    }
}

/// A solution point: an entry of the frontier and the criterion's value there.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    /// Index into [`Analysis::frontier`].
    pub entry: usize,
    /// Nash: the product of gains; Kalai–Smorodinsky: the sum of pairwise gaps; welfare: the
    /// sum of utilities.
    pub value: f64,
}

/// The result of [`analyse`].
#[derive(Debug, Clone, PartialEq)]
pub struct Analysis {
    /// Outcomes in the space (saturating).
    pub outcomes: u128,
    /// Pareto-optimal boxes, by utilities (first party's descending, then the next's).
    pub frontier: Vec<Entry>,
    /// `None` when no outcome gives every party at least its reservation.
    pub nash: Option<Point>,
    pub kalai_smorodinsky: Point,
    pub max_welfare: Point,
    /// Search nodes visited.
    pub nodes: u64,
}

impl Analysis {
    /// Pareto-optimal outcomes (saturating).
    pub fn pareto_outcomes(&self) -> u128 {
        self.frontier
            .iter()
            .fold(0u128, |n, e| n.saturating_add(e.count))
    }

    /// Distinct utility vectors on the frontier (within [`EPS`]).
    pub fn pareto_points(&self) -> usize {
        let mut points: Vec<&[f64]> = Vec::new();
        for e in &self.frontier {
            if !points.iter().any(|p| same(p, &e.utilities)) {
                points.push(&e.utilities);
            }
        }
        points.len()
    }
}

fn same(a: &[f64], b: &[f64]) -> bool {
    a.iter().zip(b).all(|(x, y)| (x - y).abs() <= EPS)
}

/// Whether `a` strictly dominates `b`: at least as good for everyone (within [`EPS`]) and
/// better for someone.
pub fn dominates(a: &[f64], b: &[f64]) -> bool {
    let mut better = false;
    for i in 0..a.len().min(b.len()) {
        let (x, y) = (a[i], b[i]);
        if x < y - EPS {
            return false;
        }
        if x > y + EPS {
            better = true;
        }
    }
    better
}

impl Space {
    /// The outcome space of a scenario: every clause as an axis (ranges on a grid of
    /// `resolution` points unless integer and short), each party's utility as in a round
    /// whose uncertain parameters all sit at their means.
    pub fn from_scenario(s: &Scenario, resolution: usize) -> Result<Space, Error> {
        if resolution < 2 {
            return Err(Error::usage(
                format!("--resolution {resolution}: a grid needs at least 2 points"),
                None,
            ));
        }
        let slots = s.mean_slots();
        let np = s.parties.len();
        let axes: Vec<Axis> = s
            .clauses
            .iter()
            .map(|c| {
                let (values, grid): (Vec<f64>, bool) = match &c.kind {
                    ClauseKind::Choice { options } => {
                        ((0..options.len()).map(|i| i as f64).collect(), false)
                    }
                    ClauseKind::Bool => (vec![0.0, 1.0], false),
                    ClauseKind::Range {
                        min, max, integer, ..
                    } => {
                        let (lo, hi) = (min.ceil(), max.floor());
                        if *integer && hi >= lo && hi - lo < MAX_ENUMERATED_VALUES as f64 {
                            ((lo as i64..=hi as i64).map(|v| v as f64).collect(), false)
                        } else {
                            let mut v: Vec<f64> = (0..resolution)
                                .map(|k| {
                                    let x = if k + 1 == resolution {
                                        *max
                                    } else {
                                        min + (max - min) * k as f64 / (resolution - 1) as f64
                                    };
                                    if *integer { x.round() } else { x }
                                })
                                .collect();
                            v.dedup();
                            (v, true)
                        }
                    }
                };
                Axis {
                    name: c.name.clone(),
                    labels: values.iter().map(|&x| c.format_value(x)).collect(),
                    values,
                    grid,
                    kind: match c.kind {
                        ClauseKind::Choice { .. } => AxisKind::Choice,
                        ClauseKind::Bool => AxisKind::Bool,
                        ClauseKind::Range { .. } => AxisKind::Number,
                    },
                }
            })
            .collect();
        let mut weights = vec![vec![0.0; s.clauses.len()]; np];
        for (p, w) in s.parties.iter().zip(weights.iter_mut()) {
            p.normalised_weights(&slots, w);
        }
        let tables = axes
            .iter()
            .enumerate()
            .map(|(i, axis)| {
                let mut t = Vec::with_capacity(axis.values.len() * np);
                for &x in &axis.values {
                    for (p, party) in s.parties.iter().enumerate() {
                        let w = weights[p][i];
                        t.push(if w == 0.0 {
                            0.0
                        } else {
                            w * party.clause_term(i, x, &slots)
                        });
                    }
                }
                t
            })
            .collect();
        Ok(Space {
            axes,
            parties: s.parties.iter().map(|p| p.name.clone()).collect(),
            reservations: s
                .parties
                .iter()
                .map(|p| p.reservation.get(&slots))
                .collect(),
            tables,
            rects: Vec::new(),
            means_used: s.uncertain.len(),
        })
    }

    /// The outcome space of a GENIUS set whose issues are all discrete or integer, with
    /// additive and nonlinear (hyperrectangle) profiles alike. Additive weights are rescaled
    /// to sum to 1, as in an imported scenario.
    pub fn from_genius(set: &GeniusSet) -> Result<Space, Error> {
        let np = set.profiles.len();
        let mut axes = Vec::with_capacity(set.domain.issues.len());
        for issue in &set.domain.issues {
            let kind = match issue.kind {
                IssueKind::Discrete { .. } => AxisKind::Choice,
                _ => AxisKind::Number,
            };
            let (values, labels): (Vec<f64>, Vec<String>) = match &issue.kind {
                IssueKind::Discrete { values } => (
                    (0..values.len()).map(|i| i as f64).collect(),
                    values.clone(),
                ),
                IssueKind::Integer { lo, hi } => {
                    if (hi - lo) as u128 >= MAX_ENUMERATED_VALUES as u128 {
                        return Err(Error::usage(
                            format!(
                                "{}: integer issue `{}` has {} values; at most {MAX_ENUMERATED_VALUES} can be enumerated",
                                set.domain.path.display(),
                                issue.name,
                                hi - lo + 1
                            ),
                            None,
                        ));
                    }
                    (
                        (*lo..=*hi).map(|v| v as f64).collect(),
                        (*lo..=*hi).map(|v| v.to_string()).collect(),
                    )
                }
                IssueKind::Real { .. } => {
                    return Err(Error::usage(
                        format!(
                            "{}: real issue `{}`: a nonlinear GENIUS domain with real issues cannot be enumerated",
                            set.domain.path.display(),
                            issue.name
                        ),
                        Some(
                            "import an additive domain with `accord import genius` and analyse the scenario with --resolution".into(),
                        ),
                    ));
                }
            };
            axes.push(Axis {
                name: issue.name.clone(),
                values,
                labels,
                grid: false,
                kind,
            });
        }
        let mut tables: Vec<Vec<f64>> = axes
            .iter()
            .map(|a| vec![0.0; a.values.len() * np])
            .collect();
        let mut rects = Vec::new();
        for (p, prof) in set.profiles.iter().enumerate() {
            match &prof.utility {
                Utility::Additive {
                    weights,
                    evaluators,
                } => {
                    let total: f64 = weights.iter().sum();
                    for (i, axis) in axes.iter().enumerate() {
                        let w = if total > 0.0 { weights[i] / total } else { 0.0 };
                        for (k, &x) in axis.values.iter().enumerate() {
                            tables[i][k * np + p] = w * evaluators[i].eval(x);
                        }
                    }
                }
                Utility::Hyper { max, rects: hs } => {
                    for h in hs {
                        let mut allowed: Vec<(usize, Vec<bool>)> = Vec::new();
                        for &(i, lo, hi, include) in &h.constraints {
                            let ok: Vec<bool> = axes[i]
                                .values
                                .iter()
                                .map(|&x| (x >= lo && x <= hi) == include)
                                .collect();
                            match allowed.iter_mut().find(|(a, _)| *a == i) {
                                Some((_, prev)) => {
                                    for (a, b) in prev.iter_mut().zip(ok) {
                                        *a = *a && b;
                                    }
                                }
                                None => allowed.push((i, ok)),
                            }
                        }
                        rects.push(Rect {
                            party: p,
                            coeff: h.utility / max,
                            allowed,
                        });
                    }
                }
            }
        }
        Ok(Space {
            axes,
            parties: set.profiles.iter().map(|p| p.name.clone()).collect(),
            reservations: set.profiles.iter().map(|p| p.reservation).collect(),
            tables,
            rects,
            means_used: 0,
        })
    }

    /// A space from raw parts: per-axis utility tables (`tables[axis][value * parties +
    /// party]`) and hyperrectangle terms.
    pub fn new(
        axes: Vec<Axis>,
        parties: Vec<String>,
        reservations: Vec<f64>,
        tables: Vec<Vec<f64>>,
        rects: Vec<Rect>,
    ) -> Space {
        Space {
            axes,
            parties,
            reservations,
            tables,
            rects,
            means_used: 0,
        }
    }

    /// Number of outcomes (saturating).
    pub fn outcome_count(&self) -> u128 {
        self.axes
            .iter()
            .fold(1u128, |n, a| n.saturating_mul(a.values.len() as u128))
    }

    /// Every party's utility of an outcome (value indices per axis).
    pub fn utilities(&self, outcome: &[usize]) -> Vec<f64> {
        let np = self.parties.len();
        let mut u = vec![0.0; np];
        for (t, &k) in self.tables.iter().zip(outcome) {
            for (p, x) in u.iter_mut().enumerate() {
                *x += t[k * np + p];
            }
        }
        for r in &self.rects {
            if r.allowed.iter().all(|(a, ok)| ok[outcome[*a]]) {
                u[r.party] += r.coeff;
            }
        }
        u
    }

    /// The deal (stored clause values) of an outcome.
    pub fn deal(&self, outcome: &[usize]) -> Deal {
        self.axes
            .iter()
            .zip(outcome)
            .map(|(a, &k)| a.values[k])
            .collect()
    }

    /// Axes on a grid.
    pub fn gridded(&self) -> impl Iterator<Item = &Axis> {
        self.axes.iter().filter(|a| a.grid)
    }
}

/// The frontier and solution points of `space`, visiting at most `node_limit` search nodes.
pub fn analyse(space: &Space, node_limit: u64) -> Result<Analysis, Error> {
    let mut search = Search::new(space, node_limit);
    search.dfs(0)?;
    let nodes = search.nodes;
    let mut frontier = search.frontier.into_entries();
    frontier.sort_by(|a, b| {
        for (x, y) in a.utilities.iter().zip(&b.utilities) {
            if (x - y).abs() > EPS {
                return y.total_cmp(x);
            }
        }
        a.outcome().cmp(&b.outcome())
    });
    let points = solution_points(&frontier, &space.reservations);
    Ok(Analysis {
        outcomes: space.outcome_count(),
        frontier,
        nash: points.0,
        kalai_smorodinsky: points.1,
        max_welfare: points.2,
        nodes,
    })
}

fn welfare(u: &[f64]) -> f64 {
    u.iter().sum()
}

fn gap(u: &[f64]) -> f64 {
    let mut g = 0.0;
    for i in 0..u.len() {
        for j in i + 1..u.len() {
            g += (u[i] - u[j]).abs();
        }
    }
    g
}

/// Nash, Kalai–Smorodinsky and welfare points of a frontier (which is never empty).
fn solution_points(frontier: &[Entry], r: &[f64]) -> (Option<Point>, Point, Point) {
    // `better(a, b)`: criterion a beats b, ties to the higher welfare, then the earlier entry.
    let pick = |score: &dyn Fn(&Entry) -> Option<f64>, maximise: bool| -> Option<Point> {
        let mut best: Option<Point> = None;
        for (i, e) in frontier.iter().enumerate() {
            let Some(v) = score(e) else { continue };
            let take = match best {
                None => true,
                Some(b) => {
                    let tol = EPS * v.abs().max(b.value.abs()).max(1.0);
                    if (v - b.value).abs() > tol {
                        (v > b.value) == maximise
                    } else {
                        welfare(&e.utilities) > welfare(&frontier[b.entry].utilities) + EPS
                    }
                }
            };
            if take {
                best = Some(Point { entry: i, value: v });
            }
        }
        best
    };
    let nash = pick(
        &|e: &Entry| {
            let feasible = e.utilities.iter().zip(r).all(|(u, r)| *u >= r - EPS);
            feasible.then(|| {
                e.utilities
                    .iter()
                    .zip(r)
                    .map(|(u, r)| (u - r).max(0.0))
                    .product()
            })
        },
        true,
    );
    let ks = pick(&|e: &Entry| Some(gap(&e.utilities)), false).expect("the frontier has entries");
    let sw =
        pick(&|e: &Entry| Some(welfare(&e.utilities)), true).expect("the frontier has entries");
    (nash, ks, sw)
}

/// What applying a value did to a hyperrectangle, for undoing it.
#[derive(Clone, Copy)]
enum Change {
    Killed(usize),
    Narrowed(usize),
}

/// The values chosen for one axis on the current search path.
enum Chosen {
    /// One of the axis's static classes.
    Class(usize),
    /// Static classes merged because the live hyperrectangles no longer tell them apart.
    Merged(Vec<usize>),
}

/// Entries per block of the frontier: each block keeps the componentwise bounds of its
/// entries, so a dominance query skips whole blocks that cannot hold an answer.
const BLOCK: usize = 32;

/// The frontier found so far: utilities in one flat array (removed entries are marked dead
/// and swept out now and then), with the boxes alongside, in blocks of [`BLOCK`] entries with
/// their componentwise maxima and minima (over every entry ever in the block).
struct Frontier {
    np: usize,
    utilities: Vec<f64>,
    live: Vec<bool>,
    boxes: Vec<(Vec<Vec<usize>>, u128)>,
    block_max: Vec<f64>,
    block_min: Vec<f64>,
    dead: usize,
    /// Per search depth, the entry that last dominated a query there: siblings are often
    /// dominated by the same entry.
    last: Vec<usize>,
}

impl Frontier {
    fn new(np: usize) -> Frontier {
        Frontier {
            np,
            utilities: Vec::new(),
            live: Vec::new(),
            boxes: Vec::new(),
            block_max: Vec::new(),
            block_min: Vec::new(),
            dead: 0,
            last: Vec::new(),
        }
    }

    fn at(&self, i: usize) -> &[f64] {
        &self.utilities[i * self.np..(i + 1) * self.np]
    }

    /// Whether a live entry strictly dominates `v`, a query from search depth `depth`.
    fn dominated(&mut self, v: &[f64], depth: usize) -> bool {
        let (n, np) = (self.live.len(), self.np);
        if depth >= self.last.len() {
            self.last.resize(depth + 1, usize::MAX);
        }
        let last = self.last[depth];
        if last < n && self.live[last] && dominates(self.at(last), v) {
            return true;
        }
        for b in 0..n.div_ceil(BLOCK) {
            let hi = &self.block_max[b * np..(b + 1) * np];
            if (0..np).any(|p| hi[p] < v[p] - EPS) {
                continue;
            }
            for i in b * BLOCK..((b + 1) * BLOCK).min(n) {
                if self.live[i] && dominates(self.at(i), v) {
                    self.last[depth] = i;
                    return true;
                }
            }
        }
        false
    }

    /// Adds a box that no entry dominates, dropping the entries it dominates.
    fn insert(&mut self, u: &[f64], groups: impl FnOnce() -> Vec<Vec<usize>>) {
        let (n, np) = (self.live.len(), self.np);
        for b in 0..n.div_ceil(BLOCK) {
            let lo = &self.block_min[b * np..(b + 1) * np];
            if (0..np).any(|p| lo[p] > u[p] + EPS) {
                continue;
            }
            for i in b * BLOCK..((b + 1) * BLOCK).min(n) {
                if self.live[i] && dominates(u, self.at(i)) {
                    self.live[i] = false;
                    self.dead += 1;
                }
            }
        }
        let groups = groups();
        let count = groups
            .iter()
            .fold(1u128, |c, g| c.saturating_mul(g.len() as u128));
        self.push(u, (groups, count));
        if self.dead > 64 && self.dead * 2 > self.live.len() {
            self.sweep();
        }
    }

    fn push(&mut self, u: &[f64], payload: (Vec<Vec<usize>>, u128)) {
        let np = self.np;
        let i = self.live.len();
        if i.is_multiple_of(BLOCK) {
            self.block_max.extend_from_slice(u);
            self.block_min.extend_from_slice(u);
        } else {
            let b = i / BLOCK;
            let range = b * np..(b + 1) * np;
            for ((hi, lo), &x) in self.block_max[range.clone()]
                .iter_mut()
                .zip(&mut self.block_min[range])
                .zip(u)
            {
                *hi = hi.max(x);
                *lo = lo.min(x);
            }
        }
        self.utilities.extend_from_slice(u);
        self.live.push(true);
        self.boxes.push(payload);
    }

    /// Drops dead entries and rebuilds the blocks, keeping the order.
    fn sweep(&mut self) {
        let mut old = std::mem::replace(self, Frontier::new(self.np));
        // Entry indices change: forget the remembered dominators.
        self.last = std::mem::take(&mut old.last);
        self.last.fill(usize::MAX);
        let np = old.np;
        for (i, payload) in old.boxes.into_iter().enumerate() {
            if old.live[i] {
                self.push(&old.utilities[i * np..(i + 1) * np], payload);
            }
        }
    }

    fn into_entries(mut self) -> Vec<Entry> {
        self.sweep();
        let np = self.np;
        self.boxes
            .into_iter()
            .enumerate()
            .map(|(i, (groups, count))| Entry {
                utilities: self.utilities[i * np..(i + 1) * np].to_vec(),
                groups,
                count,
            })
            .collect()
    }
}

struct Search<'a> {
    space: &'a Space,
    np: usize,
    /// Axes in search order.
    order: Vec<usize>,
    /// Per axis: values no party tells apart in its table or any hyperrectangle.
    classes: Vec<Vec<Vec<usize>>>,
    /// `rest[d][p]`: the most axes `order[d..]` can add to party `p`'s table terms.
    rest: Vec<Vec<f64>>,
    /// Per axis: `(rect, index into its allowed list)`.
    by_axis: Vec<Vec<(usize, usize)>>,
    remaining: Vec<usize>,
    alive: Vec<bool>,
    /// `sure[d]`, `pending[d]`: per party, decided utility and the undecided positive
    /// hyperrectangle utility at depth `d`.
    sure: Vec<Vec<f64>>,
    pending: Vec<Vec<f64>>,
    log: Vec<Change>,
    path: Vec<Chosen>,
    frontier: Frontier,
    /// Scratch for optimistic bounds.
    opt: Vec<f64>,
    nodes: u64,
    limit: u64,
}

impl<'a> Search<'a> {
    fn new(space: &'a Space, limit: u64) -> Search<'a> {
        let np = space.parties.len();
        let n = space.axes.len();
        let mut by_axis: Vec<Vec<(usize, usize)>> = vec![Vec::new(); n];
        for (r, rect) in space.rects.iter().enumerate() {
            for (j, (a, _)) in rect.allowed.iter().enumerate() {
                by_axis[*a].push((r, j));
            }
        }
        // Axes that decide hyperrectangles first (most constrained first), then file order.
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_by_key(|&a| std::cmp::Reverse(by_axis[a].len()));
        let classes = (0..n)
            .map(|a| {
                let len = space.axes[a].values.len();
                let mut out: Vec<Vec<usize>> = Vec::new();
                'values: for k in 0..len {
                    for class in out.iter_mut() {
                        if Self::same_values(space, &by_axis, a, class[0], k, None) {
                            class.push(k);
                            continue 'values;
                        }
                    }
                    out.push(vec![k]);
                }
                out
            })
            .collect();
        let mut rest = vec![vec![0.0; np]; n + 1];
        for d in (0..n).rev() {
            let a = order[d];
            let below = rest[d + 1].clone();
            for (p, (r, b)) in rest[d].iter_mut().zip(below).enumerate() {
                let best = (0..space.axes[a].values.len())
                    .map(|k| space.tables[a][k * np + p])
                    .fold(f64::NEG_INFINITY, f64::max);
                *r = b + best;
            }
        }
        let mut sure = vec![vec![0.0; np]; n + 1];
        let mut pending = vec![vec![0.0; np]; n + 1];
        let remaining: Vec<usize> = space.rects.iter().map(|r| r.allowed.len()).collect();
        for (r, rect) in space.rects.iter().enumerate() {
            if remaining[r] == 0 {
                sure[0][rect.party] += rect.coeff;
            } else {
                pending[0][rect.party] += rect.coeff.max(0.0);
            }
        }
        Search {
            space,
            np,
            order,
            classes,
            rest,
            by_axis,
            remaining,
            alive: vec![true; space.rects.len()],
            sure,
            pending,
            log: Vec::new(),
            path: Vec::with_capacity(n),
            frontier: Frontier::new(np),
            opt: vec![0.0; np],
            nodes: 0,
            limit,
        }
    }

    /// Whether values `j` and `k` of axis `a` have the same table terms and the same
    /// membership in every hyperrectangle (only the live, undecided ones when `live` is given).
    fn same_values(
        space: &Space,
        by_axis: &[Vec<(usize, usize)>],
        a: usize,
        j: usize,
        k: usize,
        live: Option<(&[bool], &[usize])>,
    ) -> bool {
        let np = space.parties.len();
        let t = &space.tables[a];
        if t[j * np..(j + 1) * np] != t[k * np..(k + 1) * np] {
            return false;
        }
        by_axis[a].iter().all(|&(r, i)| {
            if let Some((alive, remaining)) = live
                && (!alive[r] || remaining[r] == 0)
            {
                return true;
            }
            let ok = &space.rects[r].allowed[i].1;
            ok[j] == ok[k]
        })
    }

    /// Applies value `k` of axis `a` going from depth `d` to `d + 1`.
    fn apply(&mut self, d: usize, a: usize, k: usize) {
        let np = self.np;
        let (lo, hi) = self.sure.split_at_mut(d + 1);
        let row = &self.space.tables[a][k * np..(k + 1) * np];
        for p in 0..np {
            hi[0][p] = lo[d][p] + row[p];
        }
        let (lo, hi) = self.pending.split_at_mut(d + 1);
        hi[0].copy_from_slice(&lo[d]);
        for &(r, i) in &self.by_axis[a] {
            if !self.alive[r] {
                continue;
            }
            let rect = &self.space.rects[r];
            if !rect.allowed[i].1[k] {
                self.alive[r] = false;
                self.pending[d + 1][rect.party] -= rect.coeff.max(0.0);
                self.log.push(Change::Killed(r));
            } else {
                self.remaining[r] -= 1;
                self.log.push(Change::Narrowed(r));
                if self.remaining[r] == 0 {
                    self.pending[d + 1][rect.party] -= rect.coeff.max(0.0);
                    self.sure[d + 1][rect.party] += rect.coeff;
                }
            }
        }
    }

    fn undo(&mut self, mark: usize) {
        while self.log.len() > mark {
            match self.log.pop() {
                Some(Change::Killed(r)) => self.alive[r] = true,
                Some(Change::Narrowed(r)) => self.remaining[r] += 1,
                None => break,
            }
        }
    }

    /// The optimistic bound at depth `d`, into `self.opt`; returns its sum.
    fn optimistic(&mut self, d: usize) -> f64 {
        let mut total = 0.0;
        for p in 0..self.np {
            let v = self.sure[d][p] + self.pending[d][p] + self.rest[d][p];
            self.opt[p] = v;
            total += v;
        }
        total
    }

    fn values_of(&self, a: usize, chosen: &Chosen) -> Vec<usize> {
        match chosen {
            Chosen::Class(c) => self.classes[a][*c].clone(),
            Chosen::Merged(v) => v.clone(),
        }
    }

    fn dfs(&mut self, d: usize) -> Result<(), Error> {
        let n = self.order.len();
        if d == n {
            self.leaf();
            return Ok(());
        }
        let a = self.order[d];
        // Candidate groups: the static classes, merged where the live hyperrectangles no
        // longer tell them apart.
        let mut groups: Vec<Chosen> = Vec::new();
        if self.by_axis[a].is_empty() {
            groups.extend((0..self.classes[a].len()).map(Chosen::Class));
        } else {
            let mut merged: Vec<Vec<usize>> = Vec::new();
            'classes: for class in &self.classes[a] {
                for g in merged.iter_mut() {
                    if Self::same_values(
                        self.space,
                        &self.by_axis,
                        a,
                        g[0],
                        class[0],
                        Some((&self.alive, &self.remaining)),
                    ) {
                        g.extend_from_slice(class);
                        continue 'classes;
                    }
                }
                merged.push(class.clone());
            }
            groups.extend(merged.into_iter().map(Chosen::Merged));
        }
        let first = |s: &Self, g: &Chosen| match g {
            Chosen::Class(c) => s.classes[a][*c][0],
            Chosen::Merged(v) => v[0],
        };
        // Most promising first, so strong frontier points come early and prune more.
        let mut scored: Vec<(f64, usize)> = Vec::with_capacity(groups.len());
        for (gi, g) in groups.iter().enumerate() {
            let mark = self.log.len();
            self.apply(d, a, first(self, g));
            scored.push((self.optimistic(d + 1), gi));
            self.undo(mark);
        }
        scored.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)));
        for (_, gi) in scored {
            self.nodes += 1;
            if self.nodes > self.limit {
                return Err(Error::usage(
                    format!(
                        "the outcome search passed {} nodes without finishing: the space is too large to analyse exactly",
                        self.limit
                    ),
                    Some("lower --resolution (grid points per range clause)".into()),
                ));
            }
            let mark = self.log.len();
            self.apply(d, a, first(self, &groups[gi]));
            self.optimistic(d + 1);
            let opt = std::mem::take(&mut self.opt);
            let pruned = self.frontier.dominated(&opt, d);
            self.opt = opt;
            if !pruned {
                let chosen = std::mem::replace(&mut groups[gi], Chosen::Class(0));
                self.path.push(chosen);
                let result = self.dfs(d + 1);
                if let Some(c) = self.path.pop() {
                    groups[gi] = c;
                }
                result?;
            }
            self.undo(mark);
        }
        Ok(())
    }

    /// Records the outcome on the current path: its bound was exact and not dominated.
    fn leaf(&mut self) {
        let n = self.order.len();
        let u = std::mem::take(&mut self.sure[n]);
        let mut frontier = std::mem::replace(&mut self.frontier, Frontier::new(self.np));
        // With hyperrectangles the bound may differ from `u` by rounding: check `u` itself.
        if !self.space.rects.is_empty() && frontier.dominated(&u, n) {
            self.frontier = frontier;
            self.sure[n] = u;
            return;
        }
        frontier.insert(&u, || {
            let mut groups = vec![Vec::new(); n];
            for (d, &a) in self.order.iter().enumerate() {
                groups[a] = self.values_of(a, &self.path[d]);
            }
            groups
        });
        self.frontier = frontier;
        self.sure[n] = u;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{RngExt, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    fn axis(name: &str, n: usize) -> Axis {
        Axis {
            name: name.into(),
            values: (0..n).map(|i| i as f64).collect(),
            labels: (0..n).map(|i| i.to_string()).collect(),
            grid: false,
            kind: AxisKind::Number,
        }
    }

    /// Every outcome, by odometer.
    fn all_outcomes(space: &Space) -> Vec<Vec<usize>> {
        let sizes: Vec<usize> = space.axes.iter().map(|a| a.values.len()).collect();
        let mut out = Vec::new();
        let mut x = vec![0; sizes.len()];
        loop {
            out.push(x.clone());
            let mut i = 0;
            loop {
                if i == sizes.len() {
                    return out;
                }
                x[i] += 1;
                if x[i] < sizes[i] {
                    break;
                }
                x[i] = 0;
                i += 1;
            }
        }
    }

    fn brute_pareto(space: &Space) -> Vec<(Vec<usize>, Vec<f64>)> {
        let all: Vec<(Vec<usize>, Vec<f64>)> = all_outcomes(space)
            .into_iter()
            .map(|o| {
                let u = space.utilities(&o);
                (o, u)
            })
            .collect();
        let mut out: Vec<(Vec<usize>, Vec<f64>)> = all
            .iter()
            .filter(|(_, u)| !all.iter().any(|(_, v)| dominates(v, u)))
            .cloned()
            .collect();
        out.sort_by(|a, b| a.0.cmp(&b.0));
        out
    }

    fn expand(a: &Analysis) -> Vec<Vec<usize>> {
        let mut out = Vec::new();
        for e in &a.frontier {
            let mut partial: Vec<Vec<usize>> = vec![Vec::new()];
            for g in &e.groups {
                partial = partial
                    .into_iter()
                    .flat_map(|p| {
                        g.iter().map(move |&k| {
                            let mut q = p.clone();
                            q.push(k);
                            q
                        })
                    })
                    .collect();
            }
            out.extend(partial);
        }
        out.sort();
        out
    }

    fn random_space(rng: &mut ChaCha8Rng, parties: usize, with_rects: bool) -> Space {
        let n = rng.random_range(1..=4);
        let axes: Vec<Axis> = (0..n)
            .map(|i| axis(&format!("a{i}"), rng.random_range(1..=4)))
            .collect();
        // Coarse values make ties common.
        let tables = axes
            .iter()
            .map(|a| {
                (0..a.values.len() * parties)
                    .map(|_| rng.random_range(0..4) as f64 * 0.125)
                    .collect()
            })
            .collect();
        let mut rects = Vec::new();
        if with_rects {
            for _ in 0..rng.random_range(0..6) {
                let mut allowed = Vec::new();
                for (i, a) in axes.iter().enumerate() {
                    if rng.random_bool(0.5) {
                        allowed.push((
                            i,
                            (0..a.values.len()).map(|_| rng.random_bool(0.6)).collect(),
                        ));
                    }
                }
                rects.push(Rect {
                    party: rng.random_range(0..parties),
                    coeff: rng.random_range(-1..4) as f64 * 0.25,
                    allowed,
                });
            }
        }
        Space::new(
            axes,
            (0..parties).map(|p| format!("p{p}")).collect(),
            vec![0.0; parties],
            tables,
            rects,
        )
    }

    #[test]
    fn branch_and_bound_matches_brute_force() {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        for case in 0..300 {
            let parties = 2 + case % 2;
            let space = random_space(&mut rng, parties, case % 3 != 0);
            let a = analyse(&space, DEFAULT_NODE_LIMIT).unwrap();
            let brute: Vec<Vec<usize>> = brute_pareto(&space).into_iter().map(|(o, _)| o).collect();
            assert_eq!(expand(&a), brute, "case {case}: {space:?}");
            assert_eq!(a.pareto_outcomes(), brute.len() as u128);
            for e in &a.frontier {
                assert_eq!(e.utilities, space.utilities(&e.outcome()));
            }
        }
    }

    #[test]
    fn large_frontiers_match_brute_force() {
        // Anti-correlated continuous terms: frontiers of hundreds of entries, many blocks,
        // and entries dropped and swept as better ones arrive.
        let mut rng = ChaCha8Rng::seed_from_u64(11);
        for parties in [2, 3] {
            let axes: Vec<Axis> = (0..3).map(|i| axis(&format!("a{i}"), 12)).collect();
            let tables = axes
                .iter()
                .map(|a| {
                    (0..a.values.len())
                        .flat_map(|k| {
                            let x = k as f64 / 11.0;
                            (0..parties)
                                .map(|p| {
                                    let base = if p % 2 == 0 { x } else { 1.0 - x };
                                    base + rng.random_range(0.0..0.2)
                                })
                                .collect::<Vec<f64>>()
                        })
                        .collect()
                })
                .collect();
            let space = Space::new(
                axes,
                (0..parties).map(|p| format!("p{p}")).collect(),
                vec![0.0; parties],
                tables,
                Vec::new(),
            );
            let a = analyse(&space, DEFAULT_NODE_LIMIT).unwrap();
            let brute: Vec<Vec<usize>> = brute_pareto(&space).into_iter().map(|(o, _)| o).collect();
            assert!(brute.len() > 2 * BLOCK, "{} entries", brute.len());
            assert_eq!(expand(&a), brute, "{parties} parties");
        }
    }

    #[test]
    fn solution_points_on_a_small_space() {
        // Two parties, one axis: (1, 0), (0.8, 0.5), (0.5, 0.8), (0.4, 0.4), (0, 1).
        let us = [(1.0, 0.0), (0.8, 0.5), (0.5, 0.8), (0.4, 0.4), (0.0, 1.0)];
        let table: Vec<f64> = us.iter().flat_map(|&(a, b)| [a, b]).collect();
        let space = Space::new(
            vec![axis("x", 5)],
            vec!["a".into(), "b".into()],
            vec![0.0, 0.6],
            vec![table],
            Vec::new(),
        );
        let a = analyse(&space, DEFAULT_NODE_LIMIT).unwrap();
        assert_eq!(a.outcomes, 5);
        assert_eq!(a.frontier.len(), 4);
        // Nash with r_b = 0.6: only (0.5, 0.8) and (0, 1) qualify; 0.5·0.2 > 0·0.4.
        let nash = a.nash.unwrap();
        assert_eq!(a.frontier[nash.entry].outcome(), vec![2]);
        assert!((nash.value - 0.1).abs() < 1e-15);
        // KS: gaps 1, 0.3, 0.3, 1: a tie at equal welfare goes to the earlier entry (0.8, 0.5).
        assert_eq!(a.frontier[a.kalai_smorodinsky.entry].outcome(), vec![1]);
        assert_eq!(a.frontier[a.max_welfare.entry].utilities, vec![0.8, 0.5]);
    }

    #[test]
    fn no_feasible_outcome_means_no_nash_point() {
        let space = Space::new(
            vec![axis("x", 2)],
            vec!["a".into(), "b".into()],
            vec![0.9, 0.9],
            vec![vec![1.0, 0.0, 0.0, 1.0]],
            Vec::new(),
        );
        assert!(analyse(&space, DEFAULT_NODE_LIMIT).unwrap().nash.is_none());
    }
}
