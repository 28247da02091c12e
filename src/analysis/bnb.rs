//! The Pareto frontier of a space with hyperrectangle utilities (GENIUS nonlinear profiles),
//! by depth-first branch and bound over the axes.
//!
//! Values that no party can tell apart (the same term for every party and the same
//! membership in every hyperrectangle still undecided) are searched once as a group, and a
//! partial outcome is dropped once an optimistic bound on its utilities is strictly dominated
//! by a frontier point. Ties are kept: the frontier lists every Pareto-optimal outcome,
//! grouped into boxes of outcomes with equal utilities (every combination of one value per
//! axis from the box's groups). Utilities are compared within [`EPS`].

use crate::error::Error;

use super::space::Space;

/// Utilities closer than this are equal (ties) when comparing outcomes.
pub const EPS: f64 = 1e-12;

/// The most search nodes an analysis may visit before giving up.
pub const DEFAULT_NODE_LIMIT: u64 = 100_000_000;

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

/// A box of Pareto-optimal outcomes with equal utilities.
#[derive(Debug, Clone, PartialEq)]
pub struct BoxEntry {
    /// Every party's utility.
    pub utilities: Vec<f64>,
    /// Value indices per axis: the box is every combination of one value from each.
    pub groups: Vec<Vec<usize>>,
    /// Number of outcomes in the box (saturating).
    pub count: u128,
}

/// The Pareto-optimal boxes of `space`, and the search nodes visited (at most `limit`).
pub fn frontier(space: &Space, limit: u64) -> Result<(Vec<BoxEntry>, u64), Error> {
    let mut search = Search::new(space, limit);
    search.dfs(0)?;
    let nodes = search.nodes;
    Ok((search.frontier.into_entries(), nodes))
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

    fn into_entries(mut self) -> Vec<BoxEntry> {
        self.sweep();
        let np = self.np;
        self.boxes
            .into_iter()
            .enumerate()
            .map(|(i, (groups, count))| BoxEntry {
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
        for (r, rect) in space.rects().iter().enumerate() {
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
                    .map(|k| space.tables()[a][k * np + p])
                    .fold(f64::NEG_INFINITY, f64::max);
                *r = b + best;
            }
        }
        let mut sure = vec![vec![0.0; np]; n + 1];
        let mut pending = vec![vec![0.0; np]; n + 1];
        let remaining: Vec<usize> = space.rects().iter().map(|r| r.allowed.len()).collect();
        for (r, rect) in space.rects().iter().enumerate() {
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
            alive: vec![true; space.rects().len()],
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
        let t = &space.tables()[a];
        if t[j * np..(j + 1) * np] != t[k * np..(k + 1) * np] {
            return false;
        }
        by_axis[a].iter().all(|&(r, i)| {
            if let Some((alive, remaining)) = live
                && (!alive[r] || remaining[r] == 0)
            {
                return true;
            }
            let ok = &space.rects()[r].allowed[i].1;
            ok[j] == ok[k]
        })
    }

    /// Applies value `k` of axis `a` going from depth `d` to `d + 1`.
    fn apply(&mut self, d: usize, a: usize, k: usize) {
        let np = self.np;
        let (lo, hi) = self.sure.split_at_mut(d + 1);
        let row = &self.space.tables()[a][k * np..(k + 1) * np];
        for p in 0..np {
            hi[0][p] = lo[d][p] + row[p];
        }
        let (lo, hi) = self.pending.split_at_mut(d + 1);
        hi[0].copy_from_slice(&lo[d]);
        for &(r, i) in &self.by_axis[a] {
            if !self.alive[r] {
                continue;
            }
            let rect = &self.space.rects()[r];
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
        if !self.space.rects().is_empty() && frontier.dominated(&u, n) {
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
    use crate::analysis::space::{Axis, AxisKind, Rect};
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

    fn brute_pareto(space: &Space) -> Vec<(Vec<usize>, Vec<f64>)> {
        let all: Vec<(Vec<usize>, Vec<f64>)> = space
            .every_outcome()
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

    fn expand(entries: &[BoxEntry]) -> Vec<Vec<usize>> {
        let mut out = Vec::new();
        for e in entries {
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
            let (entries, _) = frontier(&space, DEFAULT_NODE_LIMIT).unwrap();
            let brute: Vec<Vec<usize>> = brute_pareto(&space).into_iter().map(|(o, _)| o).collect();
            assert_eq!(expand(&entries), brute, "case {case}: {space:?}");
            let total: u128 = entries.iter().map(|e| e.count).sum();
            assert_eq!(total, brute.len() as u128);
            for e in &entries {
                let first: Vec<usize> = e.groups.iter().map(|g| g[0]).collect();
                assert_eq!(e.utilities, space.utilities(&first));
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
            let (entries, _) = frontier(&space, DEFAULT_NODE_LIMIT).unwrap();
            let brute: Vec<Vec<usize>> = brute_pareto(&space).into_iter().map(|(o, _)| o).collect();
            assert!(brute.len() > 2 * BLOCK, "{} entries", brute.len());
            assert_eq!(expand(&entries), brute, "{parties} parties");
        }
    }
}
