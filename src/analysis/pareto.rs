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
    // Rounds half away from zero like `f64::round`, without its library call: truncate
    // (exact below 2^53), then step by the exact remainder. Adding 0.5 before truncating
    // would round 0.5 − 2⁻⁵⁴ up.
    let y = x * UNIT;
    let t = y as i64;
    let rest = y - t as f64;
    if rest >= 0.5 {
        t + 1
    } else if rest <= -0.5 {
        t - 1
    } else {
        t
    }
}

/// A merge that would exceed [`MAX_PAIRS`] or [`MAX_CANDIDATES`]; nothing was allocated for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TooLarge {
    /// Pairs (or candidates) the merge needed.
    pub needed: u64,
    /// The limit it passed.
    pub limit: u64,
    /// The clauses (axis indices) of the first frontier being combined.
    pub left: Vec<usize>,
    /// The clauses of the second.
    pub right: Vec<usize>,
}

/// The frontier of one group of clauses: points `first..first + len` of the arenas.
#[derive(Debug, Clone, Copy)]
struct Level {
    first: usize,
    len: usize,
    kind: Kind,
}

/// How a level's points are made: a leaf's sources are `(value, 0)`; a merge's are
/// `(point of x, point of y)`, indices within those levels.
#[derive(Debug, Clone, Copy)]
enum Kind {
    Leaf(usize),
    /// The empty deal (no clause).
    Empty,
    Merge(usize, usize),
}

/// Buffers reused from one merge to the next (small spaces are dominated by allocation).
#[derive(Debug, Clone, Default)]
struct Scratch {
    cands: Vec<Cand>,
    util: Vec<i64>,
    counts: Vec<u128>,
    order: Vec<u32>,
    sums: Vec<i128>,
    kept: Vec<usize>,
    stairs: BTreeMap<i64, i64>,
    hull_a: Vec<(i64, i64)>,
    hull_b: Vec<(i64, i64)>,
    hull: Vec<(i64, i64)>,
    /// Two parties: `(u0, u1, candidate)` sort keys.
    keys: Vec<(i64, i64, u32)>,
}

/// The Pareto frontier of a whole space, with the merge tree that recovers its outcomes.
/// Every level's points live in the same arenas, so building it allocates little.
#[derive(Debug, Clone)]
pub struct Frontier<'t> {
    np: usize,
    axes: usize,
    levels: Vec<Level>,
    /// Utilities in units, `np` per point.
    util: Vec<i64>,
    /// Outcomes per point (saturating).
    count: Vec<u128>,
    /// Sources of point `p`: `src[start[p]..start[p + 1]]`.
    start: Vec<usize>,
    src: Vec<(u32, u32)>,
    root: usize,
    /// The level holding the frontier of every clause but the one asked to come last.
    rest: Option<usize>,
    /// Pairs of points examined over all merges (and values over all leaves).
    pub visited: u64,
    scratch: Scratch,
    /// Carried utilities per point (see [`Values`]): `width` per point in `vals`.
    width: usize,
    vals: Vec<f64>,
    leaf_values: Option<&'t [Vec<f64>]>,
}

impl Scratch {
    fn reserve(&mut self, n: usize, np: usize) {
        self.cands.reserve(n);
        self.util.reserve(n * np);
        self.counts.reserve(n);
        self.order.reserve(n);
        self.keys.reserve(n);
    }
}

/// A point of a frontier: its utilities in units and how many outcomes share them.
#[derive(Debug, Clone, Copy)]
pub struct PointRef<'a> {
    /// Utilities of the parties the frontier is over, in units of [`UNIT`].
    pub units: &'a [i64],
    /// Outcomes with these utilities (saturating at `u128::MAX`).
    pub count: u128,
}

/// Floating-point utilities carried along with each point's first outcome (typically every
/// party's, including those the frontier is not over): `tables[axis][value * width + k]`.
#[derive(Debug, Clone, Copy)]
pub struct Values<'a> {
    /// Utilities per value.
    pub width: usize,
    /// Per axis, `width` utilities per value.
    pub tables: &'a [Vec<f64>],
}

/// The Pareto frontier of the additive space whose per-clause utility terms, in units, are
/// `tables[axis][value * np + party]` (every axis has at least one value). When `last` names
/// an axis, it is merged last, so the frontier of every other clause stays available
/// ([`Frontier::rest_len`]). With `values`, each point also carries those utilities of its
/// first outcome ([`Frontier::values`]), summed along the merges.
pub fn frontier<'t, T: AsRef<[i64]>>(
    np: usize,
    tables: &[T],
    values: Option<Values<'t>>,
    last: Option<usize>,
) -> Result<Frontier<'t>, TooLarge> {
    assert!(np >= 1, "a frontier needs a party");
    // Room for every leaf value and as much again for the merges, so small spaces grow
    // their arenas once or not at all.
    let points: usize = 2 * tables.iter().map(|t| t.as_ref().len() / np).sum::<usize>() + 1;
    let mut f = Frontier {
        np,
        axes: tables.len(),
        levels: Vec::with_capacity(2 * tables.len() + 1),
        util: Vec::with_capacity(points * np),
        count: Vec::with_capacity(points),
        start: Vec::with_capacity(points + 1),
        src: Vec::with_capacity(points),
        root: 0,
        rest: None,
        visited: 0,
        scratch: Scratch::default(),
        width: values.map_or(0, |v| v.width),
        vals: Vec::with_capacity(points * values.map_or(0, |v| v.width)),
        leaf_values: values.map(|v| v.tables),
    };
    f.start.push(0);
    f.scratch.reserve(points, np);
    if tables.is_empty() {
        f.root = f.empty();
        return Ok(f);
    }
    // The two smallest frontiers first; ties by creation order, so the tree is reproducible.
    let mut heap: BinaryHeap<Reverse<(usize, usize)>> = BinaryHeap::new();
    for (a, t) in tables.iter().enumerate() {
        let id = f.leaf(a, t.as_ref());
        if Some(a) != last {
            heap.push(Reverse((f.levels[id].len, id)));
        }
    }
    while heap.len() > 1 {
        let (Some(Reverse((_, x))), Some(Reverse((_, y)))) = (heap.pop(), heap.pop()) else {
            break;
        };
        let id = f.merge(x, y)?;
        heap.push(Reverse((f.levels[id].len, id)));
    }
    let top = heap.pop().map(|Reverse((_, id))| id);
    f.root = match (top, last) {
        (Some(r), None) => r,
        (top, Some(l)) => {
            // With no other clause, the rest is the empty deal: worth nothing to anyone.
            let r = top.unwrap_or_else(|| f.empty());
            f.rest = Some(r);
            f.merge(r, l)?
        }
        (None, None) => unreachable!("at least one axis"),
    };
    Ok(f)
}

impl Frontier<'_> {
    /// Parties whose utilities the frontier is over.
    pub fn parties(&self) -> usize {
        self.np
    }

    /// Clauses (axes) of the space.
    pub fn axes(&self) -> usize {
        self.axes
    }

    /// The same frontier without its borrow of the carried values' tables (which only new
    /// leaves read), to keep beyond them.
    pub fn detach(self) -> Frontier<'static> {
        Frontier {
            np: self.np,
            axes: self.axes,
            levels: self.levels,
            util: self.util,
            count: self.count,
            start: self.start,
            src: self.src,
            root: self.root,
            rest: self.rest,
            visited: self.visited,
            scratch: Scratch::default(),
            width: self.width,
            vals: self.vals,
            leaf_values: None,
        }
    }

    /// The carried utilities of point `i`'s first outcome (empty without [`Values`]).
    pub fn values(&self, i: usize) -> &[f64] {
        self.values_at(self.root, i)
    }

    /// The carried utilities of the first outcome of point `i` of the frontier of every
    /// clause but the last.
    pub fn rest_values(&self, i: usize) -> &[f64] {
        self.values_at(self.rest.expect("a frontier with a last axis"), i)
    }

    fn values_at(&self, level: usize, i: usize) -> &[f64] {
        let p = self.levels[level].first + i;
        &self.vals[p * self.width..(p + 1) * self.width]
    }

    /// Whether the points are in descending lexicographic order of utilities (the skyline's
    /// order for up to three parties; more are ordered by the sum of utilities).
    pub fn is_lexicographic(&self) -> bool {
        self.np <= 3
    }

    /// Pareto-optimal points (distinct utility vectors).
    pub fn len(&self) -> usize {
        self.levels[self.root].len
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

    /// Like [`Frontier::first_outcome`], calling `leaf(axis, value)` for each clause as it
    /// is reached (to sum the outcome's utilities on the way).
    pub fn first_outcome_with(
        &self,
        i: usize,
        out: &mut [usize],
        leaf: &mut impl FnMut(usize, usize),
    ) {
        self.first_visit(self.root, i, out, leaf);
    }

    fn first_visit(
        &self,
        level: usize,
        i: usize,
        out: &mut [usize],
        leaf: &mut impl FnMut(usize, usize),
    ) {
        let l = self.levels[level];
        let (a, b) = self.src[self.start[l.first + i]];
        match l.kind {
            Kind::Leaf(axis) => {
                out[axis] = a as usize;
                leaf(axis, a as usize);
            }
            Kind::Empty => {}
            Kind::Merge(x, y) => {
                self.first_visit(x, a as usize, out, leaf);
                self.first_visit(y, b as usize, out, leaf);
            }
        }
    }

    /// Calls `f` with each outcome of point `i` (value index per axis) until it returns
    /// false. Returns false when stopped early.
    pub fn for_each_outcome(&self, i: usize, f: &mut dyn FnMut(&[usize]) -> bool) -> bool {
        let mut out = vec![0; self.axes];
        self.expand(self.root, i, &mut out, f)
    }

    /// Points of the frontier of every clause but the one merged last (see [`frontier`]).
    pub fn rest_len(&self) -> usize {
        self.rest.map_or(0, |r| self.levels[r].len)
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
        let p = self.levels[level].first + i;
        PointRef {
            units: &self.util[p * self.np..(p + 1) * self.np],
            count: self.count[p],
        }
    }

    fn first_at(&self, level: usize, i: usize, out: &mut [usize]) {
        let l = self.levels[level];
        let (a, b) = self.src[self.start[l.first + i]];
        match l.kind {
            Kind::Leaf(axis) => out[axis] = a as usize,
            Kind::Empty => {}
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
        let l = self.levels[level];
        let p = l.first + i;
        for s in self.start[p]..self.start[p + 1] {
            let (a, b) = self.src[s];
            let go = match l.kind {
                Kind::Leaf(axis) => {
                    out[axis] = a as usize;
                    f(out)
                }
                Kind::Empty => f(out),
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

    /// Adds the frontier of no clause: the empty deal, one outcome worth nothing to anyone.
    fn empty(&mut self) -> usize {
        self.levels.push(Level {
            first: self.count.len(),
            len: 1,
            kind: Kind::Empty,
        });
        self.util.extend(std::iter::repeat_n(0, self.np));
        self.vals.extend(std::iter::repeat_n(0.0, self.width));
        self.count.push(1);
        self.src.push((0, 0));
        self.start.push(self.src.len());
        self.levels.len() - 1
    }

    /// Adds the frontier of one clause: its values' utility vectors, equal ones grouped.
    fn leaf(&mut self, axis: usize, table: &[i64]) -> usize {
        let np = self.np;
        let n = table.len() / np;
        self.visited += n as u64;
        let sc = &mut self.scratch;
        sc.cands.clear();
        sc.cands.extend((0..n as u32).map(|i| Cand { i, j: 0 }));
        if np == 2 {
            sc.keys.clear();
            sc.keys.extend(
                table[..2 * n]
                    .chunks_exact(2)
                    .enumerate()
                    .map(|(k, u)| (-u[0], -u[1], k as u32)),
            );
        } else {
            sc.util.clear();
            sc.util.extend_from_slice(&table[..n * np]);
        }
        sc.counts.clear();
        sc.counts.resize(n, 1);
        self.push_skyline(Kind::Leaf(axis))
    }

    /// The clauses level `l` covers, ascending.
    fn axes_of(&self, l: usize) -> Vec<usize> {
        match self.levels[l].kind {
            Kind::Empty => Vec::new(),
            Kind::Leaf(a) => vec![a],
            Kind::Merge(x, y) => {
                let mut v = self.axes_of(x);
                v.extend(self.axes_of(y));
                v.sort_unstable();
                v
            }
        }
    }

    /// Adds the frontier of the union of the clauses of levels `x` and `y`.
    fn merge(&mut self, x: usize, y: usize) -> Result<usize, TooLarge> {
        let np = self.np;
        let (la, lb) = (self.levels[x], self.levels[y]);
        let pairs = la.len as u64 * lb.len as u64;
        let too_large = |f: &Frontier<'_>, needed: u64, limit: u64| TooLarge {
            needed,
            limit,
            left: f.axes_of(x),
            right: f.axes_of(y),
        };
        if pairs > MAX_PAIRS {
            return Err(too_large(self, pairs, MAX_PAIRS));
        }
        if np != 2 && pairs > MAX_CANDIDATES {
            return Err(too_large(self, pairs, MAX_CANDIDATES));
        }
        self.visited += pairs;
        let ua = &self.util[la.first * np..(la.first + la.len) * np];
        let ub = &self.util[lb.first * np..(lb.first + lb.len) * np];
        let sc = &mut self.scratch;
        sc.cands.clear();
        if np == 2 && pairs > HULL_FILTER_FROM {
            if !hull_filtered_pairs(ua, ub, sc) {
                return Err(too_large(self, pairs, MAX_CANDIDATES));
            }
        } else {
            for i in 0..la.len as u32 {
                sc.cands.extend((0..lb.len as u32).map(|j| Cand { i, j }));
            }
        }
        sc.counts.clear();
        let (ca, cb) = (&self.count[la.first..], &self.count[lb.first..]);
        sc.counts.extend(
            sc.cands
                .iter()
                .map(|c| ca[c.i as usize].saturating_mul(cb[c.j as usize])),
        );
        if np == 2 {
            // Two parties sort compact keys straight away (see `skyline`).
            sc.keys.clear();
            sc.keys.extend(sc.cands.iter().enumerate().map(|(k, c)| {
                let (i, j) = (2 * c.i as usize, 2 * c.j as usize);
                (-(ua[i] + ub[j]), -(ua[i + 1] + ub[j + 1]), k as u32)
            }));
        } else {
            sc.util.clear();
            for c in &sc.cands {
                let (i, j) = (c.i as usize, c.j as usize);
                sc.util.extend(
                    ua[i * np..(i + 1) * np]
                        .iter()
                        .zip(&ub[j * np..(j + 1) * np])
                        .map(|(p, q)| p + q),
                );
            }
        }
        Ok(self.push_skyline(Kind::Merge(x, y)))
    }

    /// Adds a level of the non-dominated candidates in the scratch buffers.
    fn push_skyline(&mut self, kind: Kind) -> usize {
        let first = self.count.len();
        let (util, count, start, src) = (
            &mut self.util,
            &mut self.count,
            &mut self.start,
            &mut self.src,
        );
        skyline(self.np, &mut self.scratch, |p, group, sc| {
            util.extend_from_slice(p);
            let mut total = 0u128;
            for &c in group {
                total = total.saturating_add(sc.counts[c as usize]);
                let c = sc.cands[c as usize];
                src.push((c.i, c.j));
            }
            count.push(total);
            start.push(src.len());
        });
        let level = Level {
            first,
            len: self.count.len() - first,
            kind,
        };
        self.levels.push(level);
        self.carry_values(level);
        self.levels.len() - 1
    }

    /// The carried utilities of each point of `level`: its first source's.
    fn carry_values(&mut self, level: Level) {
        let w = self.width;
        if w == 0 {
            return;
        }
        for p in level.first..level.first + level.len {
            let (a, b) = self.src[self.start[p]];
            match level.kind {
                Kind::Leaf(axis) => {
                    let t = self.leaf_values.expect("values with a width");
                    let v = a as usize;
                    self.vals.extend_from_slice(&t[axis][v * w..(v + 1) * w]);
                }
                Kind::Empty => self.vals.extend(std::iter::repeat_n(0.0, w)),
                Kind::Merge(x, y) => {
                    let pa = self.levels[x].first + a as usize;
                    let pb = self.levels[y].first + b as usize;
                    for k in 0..w {
                        let v = self.vals[pa * w + k] + self.vals[pb * w + k];
                        self.vals.push(v);
                    }
                }
            }
        }
    }
}

/// Merges with at most this many pairs skip the hull filter: building the hulls costs more
/// than the sums it would drop.
const HULL_FILTER_FROM: u64 = 256;

/// A candidate: a leaf's value `i`, or the sum of points `i` and `j` of two frontiers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Cand {
    i: u32,
    j: u32,
}

/// Finds the non-dominated candidates of `sc.cands`, equal utility vectors grouped, and
/// calls `keep` with each group's utilities and candidates (positions in `sc.cands`, in
/// generation order), best first. The candidates' utilities are in `sc.util`, `np` per
/// candidate; for two parties, in `sc.keys` instead, as `(−u0, −u1, candidate)` (negated so
/// an ascending sort puts the best first; units stay far inside i64).
fn skyline(np: usize, sc: &mut Scratch, mut keep: impl FnMut(&[i64], &[u32], &Scratch)) {
    let n = sc.cands.len();
    if np == 2 {
        // Sort the compact keys (ties by generation order) and sweep the running maximum
        // of the second utility.
        let mut keys = std::mem::take(&mut sc.keys);
        let mut order = std::mem::take(&mut sc.order);
        keys.sort_unstable();
        order.clear();
        order.extend(keys.iter().map(|k| k.2));
        let mut best1 = i64::MIN;
        let mut k = 0;
        while k < n {
            let (u0, u1) = (keys[k].0, keys[k].1);
            let mut end = k + 1;
            while end < n && keys[end].0 == u0 && keys[end].1 == u1 {
                end += 1;
            }
            if k == 0 || best1 < -u1 {
                best1 = -u1;
                keep(&[-u0, -u1], &order[k..end], sc);
            }
            k = end;
        }
        sc.keys = keys;
        sc.order = order;
        return;
    }
    let mut order = std::mem::take(&mut sc.order);
    let mut stairs = std::mem::take(&mut sc.stairs);
    let mut kept = std::mem::take(&mut sc.kept);
    {
        let u = &sc.util;
        let row = |k: usize| &u[k * np..(k + 1) * np];
        order.clear();
        order.extend(0..n as u32);
        if np >= 4 {
            sc.sums.clear();
            sc.sums
                .extend((0..n).map(|k| row(k).iter().map(|&x| x as i128).sum::<i128>()));
            let sums = &sc.sums;
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
        let mut any = false;
        stairs.clear(); // 3 parties: the staircase u1 -> max u2 of the points kept
        kept.clear(); // 4+ parties: the points kept (as candidates)
        let mut k = 0;
        while k < n {
            let head = order[k] as usize;
            let p = row(head);
            let mut end = k + 1;
            while end < n && row(order[end] as usize) == p {
                end += 1;
            }
            let dominated = match np {
                1 => any,
                3 => stairs.range(p[1]..).next().is_some_and(|(_, &v)| v >= p[2]),
                _ => kept.iter().any(|&q| {
                    let q = row(q);
                    q.iter().zip(p).all(|(a, b)| a >= b)
                }),
            };
            if !dominated {
                match np {
                    1 => {}
                    3 => {
                        // Drop the staircase steps the new point covers, then add it.
                        while let Some((&key, &v)) = stairs.range(..=p[1]).next_back() {
                            if v > p[2] {
                                break;
                            }
                            stairs.remove(&key);
                        }
                        stairs.insert(p[1], p[2]);
                    }
                    _ => kept.push(head),
                }
                any = true;
                keep(p, &order[k..end], sc);
            }
            k = end;
        }
    }
    sc.order = order;
    sc.stairs = stairs;
    sc.kept = kept;
}

/// Two-party merge: the pairs not dominated by a vertex of the upper-right convex hull of
/// the merged frontier, generated row by row into `sc.cands`. False when more than
/// [`MAX_CANDIDATES`] would be kept.
fn hull_filtered_pairs(a: &[i64], b: &[i64], sc: &mut Scratch) -> bool {
    hull_of(a, &mut sc.hull_a);
    hull_of(b, &mut sc.hull_b);
    minkowski_hull(&sc.hull_a, &sc.hull_b, &mut sc.hull);
    let hull = &sc.hull;
    for i in 0..a.len() / 2 {
        let (a0, a1) = (a[2 * i], a[2 * i + 1]);
        // Hull vertices are by descending first utility, ascending second; `h` counts those
        // whose first utility reaches the candidate's, which grows as `j` walks down `b`.
        let mut h = 0;
        for j in 0..b.len() / 2 {
            let c0 = a0 + b[2 * j];
            let c1 = a1 + b[2 * j + 1];
            while h < hull.len() && hull[h].0 >= c0 {
                h += 1;
            }
            let dominated = h > 0 && {
                let (v0, v1) = hull[h - 1];
                v1 >= c1 && (v0, v1) != (c0, c1)
            };
            if !dominated {
                if sc.cands.len() as u64 >= MAX_CANDIDATES {
                    return false;
                }
                sc.cands.push(Cand {
                    i: i as u32,
                    j: j as u32,
                });
            }
        }
    }
    true
}

/// The vertices of the upper-right convex hull of a two-party frontier (utilities in pairs,
/// by descending first utility), from its best point for the first party to its best for
/// the second: the frontier points that maximise some positive weighting of the utilities.
fn hull_of(u: &[i64], h: &mut Vec<(i64, i64)>) {
    h.clear();
    for p in u.chunks_exact(2) {
        let p = (p[0], p[1]);
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
}

/// The z component of `(q − o) × (p − o)`, exactly.
fn cross(o: (i64, i64), q: (i64, i64), p: (i64, i64)) -> i128 {
    let (qx, qy) = ((q.0 - o.0) as i128, (q.1 - o.1) as i128);
    let (px, py) = ((p.0 - o.0) as i128, (p.1 - o.1) as i128);
    qx * py - qy * px
}

/// The hull of the sum of two frontiers: the sum of their hulls, edges merged by angle.
fn minkowski_hull(p: &[(i64, i64)], q: &[(i64, i64)], out: &mut Vec<(i64, i64)>) {
    out.clear();
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
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{RngExt, SeedableRng};
    use rand_chacha::ChaCha8Rng;

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
        let all: Vec<(Vec<usize>, Vec<i64>)> = crate::analysis::space::every_index(&sizes)
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
            // Carried values: the units again, as floats, plus a party the frontier is not
            // over (the first party's units doubled).
            let floats: Vec<Vec<f64>> = tables
                .iter()
                .map(|t| {
                    t.chunks_exact(np)
                        .flat_map(|r| r.iter().map(|&x| x as f64).chain([2.0 * r[0] as f64]))
                        .collect()
                })
                .collect();
            let values = Values {
                width: np + 1,
                tables: &floats,
            };
            let f = frontier(np, &tables, Some(values), last).unwrap();
            assert_eq!(expanded(&f), brute(np, &tables), "case {case}: {tables:?}");
            // The first outcome of each point has the point's utilities, and carries them.
            let mut o = vec![0; tables.len()];
            for i in 0..f.len() {
                f.first_outcome(i, &mut o);
                let u = utilities(np, &tables, &o);
                assert_eq!(u, f.point(i).units);
                let mut carried: Vec<f64> = u.iter().map(|&x| x as f64).collect();
                carried.push(2.0 * u[0] as f64);
                assert_eq!(f.values(i), carried.as_slice());
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
            let f = frontier(np, &tables, None, None).unwrap();
            let want = brute(np, &tables);
            assert!(want.len() > 100, "{} points", want.len());
            assert_eq!(expanded(&f), want, "{np} parties");
        }
    }

    #[test]
    fn units_round_like_the_library() {
        let tricky = 0.49999999999999994 / UNIT;
        for x in [
            0.0,
            0.1,
            -0.1,
            1.0,
            0.3,
            -2.5 / UNIT,
            2.5 / UNIT,
            tricky,
            -tricky,
        ] {
            assert_eq!(to_units(x), (x * UNIT).round() as i64, "{x}");
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
        let f = frontier(np, &tables, None, None).unwrap();
        assert_eq!(f.len(), 1);
        assert_eq!(f.point(0).count, 100);
        // Every value tied for everyone: one point holding all 10^30 outcomes.
        let flat: Vec<Vec<i64>> = (0..30).map(|_| vec![0; 20]).collect();
        let f = frontier(np, &flat, None, None).unwrap();
        assert_eq!(f.point(0).count, 10u128.pow(30));
    }

    #[test]
    fn merges_over_the_limit_stop_before_allocating() {
        // Three parties on a linear pie cut into 3000 pieces, twice: every sum is
        // Pareto-optimal, and 9·10^6 pairs are more than a merge may hold.
        let pie: Vec<i64> = (0..3000).flat_map(|k| [k, 2999 - k, 0]).collect();
        let e = frontier(3, &[pie.clone(), pie], None, None).unwrap_err();
        assert_eq!(e.needed, 9_000_000);
        assert_eq!(e.limit, MAX_CANDIDATES);
        assert_eq!((e.left.len(), e.right.len()), (1, 1));
    }

    #[test]
    fn hull_of_a_frontier_keeps_only_convex_vertices() {
        // (5, 6) lies under the chord from (8, 5) to (4, 9).
        let mut h = Vec::new();
        hull_of(&[10, 0, 8, 5, 5, 6, 4, 9, 0, 10], &mut h);
        assert_eq!(h, vec![(10, 0), (8, 5), (4, 9), (0, 10)]);
        // Edges by angle: (−1, 2) from the second, (−2, 2) from the first, (−2, 1).
        minkowski_hull(&[(2, 0), (0, 2)], &[(3, 0), (2, 2), (0, 3)], &mut h);
        assert_eq!(h, vec![(5, 0), (4, 2), (2, 4), (0, 5)]);
    }
}
