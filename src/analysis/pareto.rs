//! The Pareto frontier of an additive outcome space, by divide and conquer over groups of
//! clauses: its cost follows the size of the partial frontiers, not of the outcome space.
//!
//! With additive utilities, an outcome is Pareto-optimal only if its restriction to any
//! group of clauses is Pareto-optimal within that group (were the restriction dominated,
//! swapping in the dominating values would dominate the whole outcome). So each clause is
//! reduced to its own frontier (a *leaf*), and frontiers are combined two at a time: every
//! sum of one point from each, of which only the non-dominated are kept (a *merge*). The
//! two smallest frontiers are combined first, which keeps the intermediate ones small.
//!
//! Each merge is a sort-based skyline:
//! - 2 parties: sort by the first utility (descending), sweep keeping the running maximum of
//!   the second. Before sorting, sums dominated by a point of the convex hull of the merged
//!   frontier (the Minkowski sum of the two frontiers' hulls, which is on the frontier) are
//!   dropped as they are generated, so most of the `|A|·|B|` sums are never stored;
//! - 3 parties: sort by the first utility, and keep the staircase of the other two among the
//!   points kept so far in an ordered map (a point is dominated exactly when the staircase
//!   reaches over it): `O(n log n)`;
//! - 4 or more: sort by the sum of utilities, then filter each point against those kept
//!   (a point can only be dominated by one with a larger sum): `O(n·s)` for `s` kept.
//!
//! Utilities are compared in exact integer units of 2⁻⁴⁰ ([`UNIT`]): each clause's term is
//! rounded to the unit once, and sums of units are exact and associative, so the frontier
//! does not depend on the order in which clauses are combined, and equal utility vectors are
//! recognised exactly. Outcomes with equal utilities are kept together as one point with a
//! count (GENIUS keeps ties on its Pareto set too), and every one of them is recoverable:
//! each point records which pairs of points below it (or which values of a leaf's clause)
//! sum to it.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap};

/// Units per utility: utilities are compared as integer multiples of 2⁻⁴⁰ (about 9·10⁻¹³).
pub const UNIT: f64 = (1u64 << 40) as f64;

/// The most pairs of points one merge may combine (about 10⁹: a few seconds).
pub const MAX_PAIRS: u64 = 1 << 30;

/// The most candidate sums one merge may hold in memory at once (about 4·10⁶).
pub const MAX_CANDIDATES: u64 = 1 << 22;

/// A term in units (see [`UNIT`]). Terms are utilities of a single clause, far inside the
/// range where this is exact to the unit.
#[inline]
pub fn to_units(x: f64) -> i64 {
    (x * UNIT).round() as i64
}

/// A merge that would exceed [`MAX_PAIRS`] or [`MAX_CANDIDATES`]; nothing was allocated for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TooLarge {
    /// Pairs (or candidates) the merge needed.
    pub needed: u64,
    /// The limit it passed.
    pub limit: u64,
    /// The clauses (axis indices) of the two frontiers being combined.
    pub left: Vec<usize>,
    pub right: Vec<usize>,
}

/// The frontier of one group of clauses.
#[derive(Debug, Clone)]
struct Level {
    /// Utilities in units, `np` per point.
    util: Vec<i64>,
    /// Outcomes per point (saturating).
    count: Vec<u128>,
    /// Sources of point `i`: `src[start[i]..start[i + 1]]`.
    start: Vec<u32>,
    /// A leaf's sources are `(value, 0)`; a merge's are `(left point, right point)`.
    src: Vec<(u32, u32)>,
    kind: Kind,
    /// The clauses this level covers, ascending.
    axes: Vec<usize>,
}

#[derive(Debug, Clone, Copy)]
enum Kind {
    Leaf(usize),
    Merge(usize, usize),
}

impl Level {
    fn len(&self) -> usize {
        self.count.len()
    }
}

/// The Pareto frontier of a whole space, with the merge tree that recovers its outcomes.
#[derive(Debug, Clone)]
pub struct Frontier {
    np: usize,
    axes: usize,
    levels: Vec<Level>,
    root: usize,
    /// The level holding the frontier of every clause but the one asked to come last.
    rest: Option<usize>,
    /// Pairs of points examined over all merges (and values over all leaves).
    pub visited: u64,
}

/// A point of a frontier: its utilities in units and how many outcomes share them.
#[derive(Debug, Clone, Copy)]
pub struct PointRef<'a> {
    pub units: &'a [i64],
    pub count: u128,
}

/// The Pareto frontier of the additive space whose per-clause utility terms, in units, are
/// `tables[axis][value * np + party]` (every axis has at least one value). When `last` names
/// an axis, it is merged last, so the frontier of every other clause stays available
/// ([`Frontier::rest_len`]).
pub fn frontier(np: usize, tables: &[Vec<i64>], last: Option<usize>) -> Result<Frontier, TooLarge> {
    assert!(np >= 1, "a frontier needs a party");
    let mut f = Frontier {
        np,
        axes: tables.len(),
        levels: Vec::with_capacity(2 * tables.len()),
        root: 0,
        rest: None,
        visited: 0,
    };
    // The two smallest frontiers first; ties by creation order, so the tree is reproducible.
    let mut heap: BinaryHeap<Reverse<(usize, usize)>> = BinaryHeap::new();
    for (a, t) in tables.iter().enumerate() {
        let level = f.leaf(a, t);
        f.levels.push(level);
        if Some(a) != last {
            heap.push(Reverse((f.levels[a].len(), a)));
        }
    }
    if tables.is_empty() {
        f.levels.push(empty_level(np));
        f.root = 0;
        return Ok(f);
    }
    while heap.len() > 1 {
        let (Some(Reverse((_, x))), Some(Reverse((_, y)))) = (heap.pop(), heap.pop()) else {
            break;
        };
        let level = f.merge(x, y)?;
        f.levels.push(level);
        let id = f.levels.len() - 1;
        heap.push(Reverse((f.levels[id].len(), id)));
    }
    let top = heap.pop().map(|Reverse((_, id))| id);
    f.root = match (top, last) {
        (Some(r), None) => r,
        (top, Some(l)) => {
            // With no other clause, the rest is the empty deal: worth nothing to anyone.
            let r = top.unwrap_or_else(|| {
                f.levels.push(empty_level(np));
                f.levels.len() - 1
            });
            f.rest = Some(r);
            let level = f.merge(r, l)?;
            f.levels.push(level);
            f.levels.len() - 1
        }
        (None, None) => unreachable!("at least one axis"),
    };
    Ok(f)
}

/// The frontier of no clause: the empty deal, one outcome worth nothing to anyone.
fn empty_level(np: usize) -> Level {
    Level {
        util: vec![0; np],
        count: vec![1],
        start: vec![0, 1],
        src: vec![(0, 0)],
        kind: Kind::Leaf(usize::MAX),
        axes: Vec::new(),
    }
}

impl Frontier {
    /// Parties whose utilities the frontier is over.
    pub fn parties(&self) -> usize {
        self.np
    }

    /// Pareto-optimal points (distinct utility vectors).
    pub fn len(&self) -> usize {
        self.levels[self.root].len()
    }

    /// Whether the frontier is empty (it never is: every space has an outcome).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Point `i` of the frontier.
    pub fn point(&self, i: usize) -> PointRef<'_> {
        self.point_at(self.root, i)
    }

    /// The first of the outcomes of point `i` (value index per axis), into `out`.
    pub fn first_outcome(&self, i: usize, out: &mut [usize]) {
        self.first_at(self.root, i, out);
    }

    /// Calls `f` with each outcome of point `i` (value index per axis) until it returns
    /// false. Returns false when stopped early.
    pub fn for_each_outcome(&self, i: usize, f: &mut dyn FnMut(&[usize]) -> bool) -> bool {
        let mut out = vec![0; self.axes];
        self.expand(self.root, i, &mut out, f)
    }

    /// Points of the frontier of every clause but the one merged last (see [`frontier`]).
    pub fn rest_len(&self) -> usize {
        self.rest.map_or(0, |r| self.levels[r].len())
    }

    /// Point `i` of the frontier of every clause but the last.
    pub fn rest_point(&self, i: usize) -> PointRef<'_> {
        self.point_at(self.rest.expect("a frontier with a last axis"), i)
    }

    /// The first outcome of point `i` of the frontier of every clause but the last (the last
    /// clause's entry of `out` is left as it was).
    pub fn rest_first_outcome(&self, i: usize, out: &mut [usize]) {
        self.first_at(self.rest.expect("a frontier with a last axis"), i, out);
    }

    fn point_at(&self, level: usize, i: usize) -> PointRef<'_> {
        let l = &self.levels[level];
        PointRef {
            units: &l.util[i * self.np..(i + 1) * self.np],
            count: l.count[i],
        }
    }

    fn first_at(&self, level: usize, i: usize, out: &mut [usize]) {
        let l = &self.levels[level];
        let (a, b) = l.src[l.start[i] as usize];
        match l.kind {
            Kind::Leaf(axis) => {
                if axis != usize::MAX {
                    out[axis] = a as usize;
                }
            }
            Kind::Merge(x, y) => {
                self.first_at(x, a as usize, out);
                self.first_at(y, b as usize, out);
            }
        }
    }

    fn expand(
        &self,
        level: usize,
        i: usize,
        out: &mut Vec<usize>,
        f: &mut dyn FnMut(&[usize]) -> bool,
    ) -> bool {
        let l = &self.levels[level];
        for s in l.start[i] as usize..l.start[i + 1] as usize {
            let (a, b) = l.src[s];
            let go = match l.kind {
                Kind::Leaf(axis) => {
                    if axis != usize::MAX {
                        out[axis] = a as usize;
                    }
                    f(out)
                }
                Kind::Merge(x, y) => self.expand(x, a as usize, out, &mut |o: &[usize]| {
                    let mut inner = o.to_vec();
                    self.expand(y, b as usize, &mut inner, f)
                }),
            };
            if !go {
                return false;
            }
        }
        true
    }

    /// The frontier of one clause: its values' utility vectors, equal ones grouped.
    fn leaf(&mut self, axis: usize, table: &[i64]) -> Level {
        let np = self.np;
        let n = table.len() / np;
        self.visited += n as u64;
        let cands: Vec<Cand> = (0..n).map(|v| Cand { i: v as u32, j: 0 }).collect();
        let util = |c: &Cand, out: &mut [i64]| {
            let v = c.i as usize;
            out.copy_from_slice(&table[v * np..(v + 1) * np]);
        };
        let (levels_util, groups) = skyline(np, cands, util);
        let mut level = Level {
            util: levels_util,
            count: Vec::with_capacity(groups.len()),
            start: Vec::with_capacity(groups.len() + 1),
            src: Vec::with_capacity(n),
            kind: Kind::Leaf(axis),
            axes: vec![axis],
        };
        for g in &groups {
            level.start.push(level.src.len() as u32);
            level.count.push(g.len() as u128);
            level.src.extend(g.iter().map(|c| (c.i, c.j)));
        }
        level.start.push(level.src.len() as u32);
        level
    }

    /// The frontier of the union of the clauses of levels `x` and `y`.
    fn merge(&mut self, x: usize, y: usize) -> Result<Level, TooLarge> {
        let np = self.np;
        let (a, b) = (&self.levels[x], &self.levels[y]);
        let pairs = a.len() as u64 * b.len() as u64;
        let too_large = |needed: u64, limit: u64| TooLarge {
            needed,
            limit,
            left: a.axes.clone(),
            right: b.axes.clone(),
        };
        if pairs > MAX_PAIRS {
            return Err(too_large(pairs, MAX_PAIRS));
        }
        self.visited += pairs;
        let cands = if np == 2 {
            hull_filtered_pairs(a, b).map_err(|n| too_large(n, MAX_CANDIDATES))?
        } else {
            if pairs > MAX_CANDIDATES {
                return Err(too_large(pairs, MAX_CANDIDATES));
            }
            (0..a.len() as u32)
                .flat_map(|i| (0..b.len() as u32).map(move |j| Cand { i, j }))
                .collect()
        };
        let util = |c: &Cand, out: &mut [i64]| {
            let (i, j) = (c.i as usize, c.j as usize);
            for (k, o) in out.iter_mut().enumerate() {
                *o = a.util[i * np + k] + b.util[j * np + k];
            }
        };
        let (util_out, groups) = skyline(np, cands, util);
        let mut axes = a.axes.clone();
        axes.extend_from_slice(&b.axes);
        axes.sort_unstable();
        let mut level = Level {
            util: util_out,
            count: Vec::with_capacity(groups.len()),
            start: Vec::with_capacity(groups.len() + 1),
            src: Vec::new(),
            kind: Kind::Merge(x, y),
            axes,
        };
        for g in &groups {
            level.start.push(level.src.len() as u32);
            let count = g.iter().fold(0u128, |n, c| {
                n.saturating_add(a.count[c.i as usize].saturating_mul(b.count[c.j as usize]))
            });
            level.count.push(count);
            level.src.extend(g.iter().map(|c| (c.i, c.j)));
        }
        level.start.push(level.src.len() as u32);
        Ok(level)
    }
}

/// A candidate: a leaf's value `i`, or the sum of points `i` and `j` of two frontiers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Cand {
    i: u32,
    j: u32,
}

/// The non-dominated candidates, grouped by equal utility vector: their utilities (`np` per
/// group, in sorted order) and each group's candidates (in generation order).
fn skyline(
    np: usize,
    cands: Vec<Cand>,
    util: impl Fn(&Cand, &mut [i64]),
) -> (Vec<i64>, Vec<Vec<Cand>>) {
    // Utilities once, alongside each candidate's position, for sorting.
    let n = cands.len();
    let mut u = vec![0i64; n * np];
    for (c, row) in cands.iter().zip(u.chunks_exact_mut(np)) {
        util(c, row);
    }
    let row = |k: usize| &u[k * np..(k + 1) * np];
    let mut order: Vec<u32> = (0..n as u32).collect();
    if np >= 4 {
        let sums: Vec<i128> = (0..n)
            .map(|k| row(k).iter().map(|&x| x as i128).sum())
            .collect();
        order.sort_unstable_by(|&p, &q| {
            let (p, q) = (p as usize, q as usize);
            sums[q]
                .cmp(&sums[p])
                .then_with(|| row(q).cmp(row(p)))
                .then(p.cmp(&q))
        });
    } else {
        // Descending lexicographic utilities, then generation order.
        order.sort_unstable_by(|&p, &q| {
            let (p, q) = (p as usize, q as usize);
            row(q).cmp(row(p)).then(p.cmp(&q))
        });
    }
    let mut out_u: Vec<i64> = Vec::new();
    let mut groups: Vec<Vec<Cand>> = Vec::new();
    let mut best1 = i64::MIN; // 2 parties: the running maximum of the second utility
    let mut stairs: BTreeMap<i64, i64> = BTreeMap::new(); // 3 parties: u1 -> max u2
    let mut kept: Vec<usize> = Vec::new(); // 4+ parties: kept candidates (by index)
    let mut k = 0;
    while k < n {
        let head = order[k] as usize;
        let mut end = k + 1;
        while end < n && row(order[end] as usize) == row(head) {
            end += 1;
        }
        let p = row(head);
        let dominated = match np {
            1 => !out_u.is_empty(),
            2 => !groups.is_empty() && best1 >= p[1],
            3 => stairs.range(p[1]..).next().is_some_and(|(_, &v)| v >= p[2]),
            _ => kept.iter().any(|&q| {
                let q = row(q);
                q.iter().zip(p).all(|(a, b)| a >= b)
            }),
        };
        if !dominated {
            match np {
                2 => best1 = p[1],
                3 => {
                    let lower: Vec<i64> = stairs
                        .range(..=p[1])
                        .rev()
                        .take_while(|(_, v)| **v <= p[2])
                        .map(|(k, _)| *k)
                        .collect();
                    for key in lower {
                        stairs.remove(&key);
                    }
                    stairs.insert(p[1], p[2]);
                }
                1 => {}
                _ => kept.push(head),
            }
            out_u.extend_from_slice(p);
            groups.push(order[k..end].iter().map(|&c| cands[c as usize]).collect());
        }
        k = end;
    }
    (out_u, groups)
}

/// Two-party merge: the pairs not dominated by a vertex of the upper-right convex hull of
/// the merged frontier, generated row by row. `Err(n)` when more than [`MAX_CANDIDATES`]
/// would be kept.
fn hull_filtered_pairs(a: &Level, b: &Level) -> Result<Vec<Cand>, u64> {
    let hull = minkowski_hull(&hull_of(a), &hull_of(b));
    let mut out = Vec::new();
    for i in 0..a.len() {
        let (a0, a1) = (a.util[2 * i], a.util[2 * i + 1]);
        // Hull vertices are by descending first utility, ascending second; `h` counts those
        // whose first utility reaches the candidate's, which grows as `j` walks down `b`.
        let mut h = 0;
        for j in 0..b.len() {
            let c0 = a0 + b.util[2 * j];
            let c1 = a1 + b.util[2 * j + 1];
            while h < hull.len() && hull[h].0 >= c0 {
                h += 1;
            }
            let dominated = h > 0 && {
                let (v0, v1) = hull[h - 1];
                v1 >= c1 && (v0, v1) != (c0, c1)
            };
            if !dominated {
                if out.len() as u64 >= MAX_CANDIDATES {
                    return Err(a.len() as u64 * b.len() as u64);
                }
                out.push(Cand {
                    i: i as u32,
                    j: j as u32,
                });
            }
        }
    }
    Ok(out)
}

/// The vertices of the upper-right convex hull of a two-party frontier (points by
/// descending first utility), from its best point for the first party to its best for the
/// second: the frontier points that maximise some positive weighting of the utilities.
fn hull_of(l: &Level) -> Vec<(i64, i64)> {
    let mut h: Vec<(i64, i64)> = Vec::new();
    for i in 0..l.len() {
        let p = (l.util[2 * i], l.util[2 * i + 1]);
        // Pop the last vertex while it lies on or inside the chord from the one before it
        // to `p`: walking the hull counterclockwise, every turn must be strictly left.
        while h.len() >= 2 {
            let (o, q) = (h[h.len() - 2], h[h.len() - 1]);
            if cross(o, q, p) <= 0 {
                h.pop();
            } else {
                break;
            }
        }
        h.push(p);
    }
    h
}

/// The z component of `(q − o) × (p − o)`, exactly.
fn cross(o: (i64, i64), q: (i64, i64), p: (i64, i64)) -> i128 {
    let (qx, qy) = ((q.0 - o.0) as i128, (q.1 - o.1) as i128);
    let (px, py) = ((p.0 - o.0) as i128, (p.1 - o.1) as i128);
    qx * py - qy * px
}

/// The hull of the sum of two frontiers: the sum of their hulls, edges merged by angle.
fn minkowski_hull(p: &[(i64, i64)], q: &[(i64, i64)]) -> Vec<(i64, i64)> {
    let mut out = Vec::with_capacity(p.len() + q.len());
    let (mut i, mut j) = (0, 0);
    loop {
        out.push((p[i].0 + q[j].0, p[i].1 + q[j].1));
        let (more_p, more_q) = (i + 1 < p.len(), j + 1 < q.len());
        match (more_p, more_q) {
            (false, false) => break,
            (true, false) => i += 1,
            (false, true) => j += 1,
            (true, true) => {
                let dp = ((p[i + 1].0 - p[i].0) as i128, (p[i + 1].1 - p[i].1) as i128);
                let dq = ((q[j + 1].0 - q[j].0) as i128, (q[j + 1].1 - q[j].1) as i128);
                // The edge turning less comes first; parallel edges are taken together.
                let turn = dp.0 * dq.1 - dp.1 * dq.0;
                if turn > 0 {
                    i += 1;
                } else if turn < 0 {
                    j += 1;
                } else {
                    i += 1;
                    j += 1;
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{RngExt, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    /// Every outcome of the space, by odometer.
    fn all_outcomes(sizes: &[usize]) -> Vec<Vec<usize>> {
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

    fn utilities(np: usize, tables: &[Vec<i64>], o: &[usize]) -> Vec<i64> {
        let mut u = vec![0; np];
        for (t, &v) in tables.iter().zip(o) {
            for (k, x) in u.iter_mut().enumerate() {
                *x += t[v * np + k];
            }
        }
        u
    }

    fn dominates(a: &[i64], b: &[i64]) -> bool {
        a.iter().zip(b).all(|(x, y)| x >= y) && a != b
    }

    /// Brute force: every Pareto-optimal outcome with its utilities, sorted by outcome.
    fn brute(np: usize, tables: &[Vec<i64>]) -> Vec<(Vec<usize>, Vec<i64>)> {
        let sizes: Vec<usize> = tables.iter().map(|t| t.len() / np).collect();
        let all: Vec<(Vec<usize>, Vec<i64>)> = all_outcomes(&sizes)
            .into_iter()
            .map(|o| {
                let u = utilities(np, tables, &o);
                (o, u)
            })
            .collect();
        let mut out: Vec<_> = all
            .iter()
            .filter(|(_, u)| !all.iter().any(|(_, v)| dominates(v, u)))
            .cloned()
            .collect();
        out.sort();
        out
    }

    /// Every outcome of every frontier point, with the point's utilities, sorted.
    fn expanded(f: &Frontier) -> Vec<(Vec<usize>, Vec<i64>)> {
        let mut out = Vec::new();
        for i in 0..f.len() {
            let u = f.point(i).units.to_vec();
            let mut n = 0u128;
            f.for_each_outcome(i, &mut |o| {
                out.push((o.to_vec(), u.clone()));
                n += 1;
                true
            });
            assert_eq!(n, f.point(i).count, "point {i}'s count");
        }
        out.sort();
        out
    }

    fn random_tables(rng: &mut ChaCha8Rng, np: usize, coarse: bool) -> Vec<Vec<i64>> {
        let axes = rng.random_range(0..=5);
        (0..axes)
            .map(|_| {
                let n = rng.random_range(1..=5);
                (0..n * np)
                    .map(|_| {
                        if coarse {
                            // Few distinct values: ties everywhere.
                            rng.random_range(0..4) * (1 << 37)
                        } else {
                            rng.random_range(0..1_000_000)
                        }
                    })
                    .collect()
            })
            .collect()
    }

    #[test]
    fn frontiers_match_brute_force_with_ties() {
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        for case in 0..600 {
            let np = 1 + case % 4;
            let tables = random_tables(&mut rng, np, case % 3 != 2);
            let last =
                (!tables.is_empty() && case % 5 == 0).then(|| rng.random_range(0..tables.len()));
            let f = frontier(np, &tables, last).unwrap();
            assert_eq!(expanded(&f), brute(np, &tables), "case {case}: {tables:?}");
            // The first outcome of each point has the point's utilities.
            let mut o = vec![0; tables.len()];
            for i in 0..f.len() {
                f.first_outcome(i, &mut o);
                assert_eq!(utilities(np, &tables, &o), f.point(i).units);
            }
            // The frontier of every clause but the last is that space's frontier.
            if let Some(l) = last {
                let rest: Vec<Vec<i64>> = tables
                    .iter()
                    .enumerate()
                    .map(|(a, t)| if a == l { vec![0; np] } else { t.clone() })
                    .collect();
                let want: Vec<Vec<i64>> = {
                    let mut u: Vec<Vec<i64>> =
                        brute(np, &rest).into_iter().map(|(_, u)| u).collect();
                    u.dedup();
                    u.sort();
                    u.dedup();
                    u
                };
                let mut got: Vec<Vec<i64>> = (0..f.rest_len())
                    .map(|i| f.rest_point(i).units.to_vec())
                    .collect();
                got.sort();
                assert_eq!(got, want, "case {case}: rest");
            }
        }
    }

    #[test]
    fn anti_correlated_frontiers_stay_exact_through_many_merges() {
        // Long, curved frontiers (every value good for one party, bad for the other), where
        // the hull filter keeps many sums and most points survive.
        let mut rng = ChaCha8Rng::seed_from_u64(5);
        for np in [2, 3] {
            let tables: Vec<Vec<i64>> = (0..4)
                .map(|_| {
                    (0..9)
                        .flat_map(|k| {
                            let x = k as f64 / 8.0;
                            (0..np)
                                .map(|p| {
                                    let base = if p % 2 == 0 { x } else { (1.0 - x * x).sqrt() };
                                    to_units(base + rng.random_range(0.0..0.05))
                                })
                                .collect::<Vec<i64>>()
                        })
                        .collect()
                })
                .collect();
            let f = frontier(np, &tables, None).unwrap();
            let want = brute(np, &tables);
            assert!(want.len() > 100, "{} points", want.len());
            assert_eq!(expanded(&f), want, "{np} parties");
        }
    }

    #[test]
    fn counts_of_huge_spaces_are_exact() {
        // 30 clauses of 10 values, two of which nobody cares about: the frontier is the
        // single best outcome of the others, shared by 100 outcomes.
        let np = 2;
        let mut tables: Vec<Vec<i64>> = (0..28)
            .map(|_| (0..10).flat_map(|v| [v, v]).collect())
            .collect();
        tables.push(vec![0; 20]);
        tables.push(vec![0; 20]);
        let f = frontier(np, &tables, None).unwrap();
        assert_eq!(f.len(), 1);
        assert_eq!(f.point(0).count, 100);
        // Every value tied for everyone: one point holding all 10^30 outcomes.
        let flat: Vec<Vec<i64>> = (0..30).map(|_| vec![0; 20]).collect();
        let f = frontier(np, &flat, None).unwrap();
        assert_eq!(f.point(0).count, 10u128.pow(30));
    }

    #[test]
    fn merges_over_the_limit_stop_before_allocating() {
        // Three parties on a linear pie cut into 3000 pieces, twice: every sum is
        // Pareto-optimal, and 9·10^6 pairs are more than a merge may hold.
        let pie: Vec<i64> = (0..3000).flat_map(|k| [k, 2999 - k, 0]).collect();
        let e = frontier(3, &[pie.clone(), pie], None).unwrap_err();
        assert_eq!(e.needed, 9_000_000);
        assert_eq!(e.limit, MAX_CANDIDATES);
        assert_eq!((e.left.len(), e.right.len()), (1, 1));
    }

    #[test]
    fn hull_of_a_frontier_keeps_only_convex_vertices() {
        let l = Level {
            util: vec![10, 0, 8, 5, 5, 6, 4, 9, 0, 10],
            count: vec![1; 5],
            start: vec![],
            src: vec![],
            kind: Kind::Leaf(0),
            axes: vec![0],
        };
        // (5, 6) lies under the chord from (8, 5) to (4, 9).
        assert_eq!(hull_of(&l), vec![(10, 0), (8, 5), (4, 9), (0, 10)]);
        // Edges by angle: (−1, 2) from the second, (−2, 2) from the first, (−2, 1).
        let m = minkowski_hull(&[(2, 0), (0, 2)], &[(3, 0), (2, 2), (0, 3)]);
        assert_eq!(m, vec![(5, 0), (4, 2), (2, 4), (0, 5)]);
    }
}
