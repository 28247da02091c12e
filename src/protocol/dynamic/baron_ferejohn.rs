//! `baron_ferejohn`: Baron–Ferejohn (1989) legislative bargaining under a closed rule,
//! played by its stationary subgame-perfect equilibrium.
//!
//! Each step one member is recognised — member `i` with probability `p_i` — and proposes a
//! division of the pie; the proposal passes with `q` votes, the proposer's among them, and
//! otherwise a new step starts with everything worth `d` times as much. In a stationary
//! equilibrium member `j` has a continuation value `v_j` (its expected share before
//! recognition); a proposer offers `d·v_j` — exactly what `j` expects from rejecting — to the
//! `q − 1` members for whom that is cheapest, keeps the rest, and the proposal passes at the
//! first step. Equally cheap members are picked at random with the probabilities that keep
//! the values stationary. The values solve
//!
//! ```text
//! v_i = p_i·(1 − Σ_j μ_ij·d·v_j) + d·v_i·Σ_k p_k·μ_ki
//! ```
//!
//! (`μ_kj`: the probability that proposer `k` picks `j`). With equal recognition every member
//! gets `1/n` in expectation; the proposer keeps `1 − d(q − 1)/n`, each partner gets `d/n`.
//! With unequal recognition ([`stationary`]) the values are unique (Eraslan 2002) and are
//! found exactly: members are ordered by recognition (a member recognised more often is worth
//! at least as much), every way the members around the `(q − 1)`-th and `q`-th cheapest can
//! tie is tried, each gives a linear system in the tied groups' prices, and the one whose
//! prices are ordered and whose ties can be broken by proposers' random picks (a flow
//! problem) is the equilibrium; it is checked against the equations above.
//!
//! Each round draws who is recognised and, among equally cheap partners, whom the proposer
//! picks (systematic sampling, so each is picked with its exact probability) from two uniform
//! draws of the round's world. The deal gives each share clause its member's share of the pie.

use serde::{Deserialize, Serialize};

use super::result::DynamicResult;
use super::tally::{DynamicTally, TallyLayout};
use super::trace::{OfferStep, Recorder, Response};
use super::{EndKind, Ending};
use crate::model::{BaronFerejohn as Spec, ClauseKind, Scenario};
use crate::sim::fixed::reported;
use crate::sim::{Experiment, World};

/// Histogram points per share clause for the agreed deal's quantiles.
const FINE_AXIS: usize = 1001;

/// Numerical slack in the solver's checks (the values are sums of a few products).
const EPS: f64 = 1e-12;

/// The stationary equilibrium of a Baron–Ferejohn game, on a pie of 1.
#[derive(Debug, Clone, PartialEq)]
pub struct Stationary {
    /// Each member's continuation value: its expected share before recognition.
    pub values: Vec<f64>,
    /// `mix[k][j]`: the probability that proposer `k` picks member `j` as a partner.
    pub mix: Vec<Vec<f64>>,
}

impl Stationary {
    /// What proposer `k` keeps: the pie less its partners' prices, in expectation over its
    /// random picks (the same for every pick: equally cheap partners cost the same).
    pub fn proposer_share(&self, k: usize, discount: f64) -> f64 {
        1.0 - self.mix[k]
            .iter()
            .zip(&self.values)
            .map(|(m, v)| m * discount * v)
            .sum::<f64>()
    }

    /// The probability that member `j` is a partner of the step's proposer.
    pub fn inclusion(&self, j: usize, recognition: &[f64]) -> f64 {
        recognition
            .iter()
            .zip(&self.mix)
            .map(|(p, row)| p * row[j])
            .sum()
    }
}

/// The stationary equilibrium for recognition probabilities `p` (adding up to 1), quota `q`
/// (1 to the members) and discount `d` in `(0, 1]`; `None` if none is found (which the
/// uniqueness theorem rules out for a valid game: see the module's notes).
pub fn stationary(p: &[f64], q: usize, d: f64) -> Option<Stationary> {
    let n = p.len();
    let m = q.checked_sub(1)?;
    if n == 0 || m >= n {
        return None;
    }
    if m == 0 {
        // A proposer needs nobody: it keeps the pie.
        return Some(Stationary {
            values: p.to_vec(),
            mix: vec![vec![0.0; n]; n],
        });
    }
    if m == n - 1 {
        // Unanimity: everyone is bought at d·v_j, and v_i(1 − d) = p_i(1 − d).
        let mix = (0..n)
            .map(|k| (0..n).map(|j| if j == k { 0.0 } else { 1.0 }).collect())
            .collect();
        return Some(Stationary {
            values: p.to_vec(),
            mix,
        });
    }
    // Members by recognition, ascending (stable); runs of equal recognition.
    let mut sorted: Vec<usize> = (0..n).collect();
    sorted.sort_by(|&a, &b| p[a].total_cmp(&p[b]));
    let mut runs: Vec<Vec<usize>> = Vec::new();
    for &i in &sorted {
        match runs.last_mut() {
            Some(r) if p[r[0]] == p[i] => r.push(i),
            _ => runs.push(vec![i]),
        }
    }
    let run_of = |pos: usize| {
        let mut seen = 0;
        for (r, run) in runs.iter().enumerate() {
            seen += run.len();
            if pos < seen {
                return r;
            }
        }
        runs.len() - 1
    };
    // The m-th and (m+1)-th cheapest (0-based positions m − 1 and m) bound every
    // proposer's picks: only the groups holding them can be tied across recognitions.
    let (ra, rb) = (run_of(m - 1), run_of(m));
    let r_all = runs.len();
    let mut candidates: Vec<Vec<(usize, usize)>> = Vec::new();
    for a1 in 0..=ra {
        for a2 in ra..r_all {
            if a2 >= rb {
                candidates.push(groups_of(r_all, &[(a1, a2)]));
            } else {
                for b2 in rb..r_all {
                    candidates.push(groups_of(r_all, &[(a1, a2), (rb, b2)]));
                }
            }
        }
    }
    for strict in [true, false] {
        for c in &candidates {
            let groups: Vec<Vec<usize>> = c
                .iter()
                .map(|&(lo, hi)| runs[lo..=hi].iter().flatten().copied().collect())
                .collect();
            if let Some(s) = solve_structure(p, m, d, &groups, strict) {
                return Some(s);
            }
        }
    }
    None
}

/// Runs `0..runs` as groups: the given spans merged, every other run alone, in order.
fn groups_of(runs: usize, spans: &[(usize, usize)]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut r = 0;
    while r < runs {
        match spans.iter().find(|s| s.0 == r) {
            Some(&(lo, hi)) => {
                out.push((lo, hi));
                r = hi + 1;
            }
            None => {
                out.push((r, r));
                r += 1;
            }
        }
    }
    out
}

/// The equilibrium in which the members of each group share one price (`d·v`), groups in
/// ascending price, if there is one: a linear system in the group prices, then whether each
/// proposer's random picks can give every member of a tied group what it needs.
fn solve_structure(
    p: &[f64],
    m: usize,
    d: f64,
    groups: &[Vec<usize>],
    strict: bool,
) -> Option<Stationary> {
    let n = p.len();
    let k_groups = groups.len();
    let mut group_of = vec![0; n];
    for (g, members) in groups.iter().enumerate() {
        for &i in members {
            group_of[i] = g;
        }
    }
    // take[k][g]: partners proposer k takes from group g; partial when not all of it.
    let mut take = vec![vec![0usize; k_groups]; n];
    let mut partial = vec![None::<usize>; n];
    for k in 0..n {
        let mut left = m;
        for (g, members) in groups.iter().enumerate() {
            if left == 0 {
                break;
            }
            let avail = members.len() - usize::from(group_of[k] == g);
            let t = avail.min(left);
            take[k][g] = t;
            left -= t;
            if t > 0 && t < avail {
                partial[k] = Some(g);
            }
        }
        if left > 0 {
            return None;
        }
    }
    // full[i]: recognition of the proposers that take all of i's group.
    let full: Vec<f64> = (0..n)
        .map(|i| {
            (0..n)
                .filter(|&k| k != i && partial[k] != Some(group_of[i]) && take[k][group_of[i]] > 0)
                .map(|k| p[k])
                .sum()
        })
        .collect();
    // supply[g]: recognition-weighted partners drawn at random from group g.
    let mut supply = vec![0.0; k_groups];
    for k in 0..n {
        if let Some(g) = partial[k] {
            supply[g] += p[k] * take[k][g] as f64;
        }
    }
    // One equation per group, the members' equations summed, in the prices t (v = t/d):
    // Σ_i [t_g/d − p_i(1 − Σ_h take_ih t_h) − t_g·full_i] = t_g·supply_g.
    let mut a = vec![vec![0.0; k_groups + 1]; k_groups];
    for (g, members) in groups.iter().enumerate() {
        let row = &mut a[g];
        for &i in members {
            row[g] += 1.0 / d - full[i];
            for (h, &t) in take[i].iter().enumerate() {
                row[h] += p[i] * t as f64;
            }
            row[k_groups] += p[i];
        }
        row[g] -= supply[g];
    }
    let t = gauss(a)?;
    for g in 0..k_groups {
        // NaN included: a group without a solution.
        if t[g].is_nan() || t[g] < -EPS {
            return None;
        }
        if g > 0 {
            let gap = t[g] - t[g - 1];
            if (strict && gap <= EPS) || gap < -EPS {
                return None;
            }
        }
    }
    let t: Vec<f64> = t.into_iter().map(|x| x.max(0.0)).collect();
    let cost = |i: usize| -> f64 { (0..k_groups).map(|h| take[i][h] as f64 * t[h]).sum() };
    // The picks: 1 for a group taken whole, the flow's share for a tied one.
    let mut mix = vec![vec![0.0; n]; n];
    for k in 0..n {
        for (g, members) in groups.iter().enumerate() {
            if take[k][g] > 0 && partial[k] != Some(g) {
                for &j in members {
                    if j != k {
                        mix[k][j] = 1.0;
                    }
                }
            }
        }
    }
    for (g, members) in groups.iter().enumerate() {
        let proposers: Vec<usize> = (0..n).filter(|&k| partial[k] == Some(g)).collect();
        let tg = t[g];
        if tg <= EPS || supply[g] <= 0.0 {
            // Free partners, or proposers never recognised: any pick is stationary (the
            // equations below check it); pick uniformly.
            for &k in &proposers {
                let avail = members.len() - usize::from(group_of[k] == g);
                for &j in members {
                    if j != k {
                        mix[k][j] = take[k][g] as f64 / avail as f64;
                    }
                }
            }
            continue;
        }
        // What each member needs from random picks to be worth t_g/d.
        let need: Vec<f64> = members
            .iter()
            .map(|&i| (tg / d - p[i] * (1.0 - cost(i))) / tg - full[i])
            .collect();
        if need.iter().any(|&x| x < -1e-9) {
            return None;
        }
        let need: Vec<f64> = need.iter().map(|x| x.max(0.0)).collect();
        let flows = transport(&proposers, members, p, &take, g, &need)?;
        for (a_i, &k) in proposers.iter().enumerate() {
            for (b_i, &j) in members.iter().enumerate() {
                if p[k] > 0.0 {
                    mix[k][j] = (flows[a_i][b_i] / p[k]).clamp(0.0, 1.0);
                } else if j != k {
                    // Never recognised: its picks do not matter; pick uniformly.
                    let avail = members.len() - usize::from(group_of[k] == g);
                    mix[k][j] = take[k][g] as f64 / avail as f64;
                }
            }
        }
    }
    let values: Vec<f64> = (0..n).map(|i| t[group_of[i]] / d).collect();
    let s = Stationary { values, mix };
    // The equilibrium equations, checked directly.
    for i in 0..n {
        let rhs = p[i] * s.proposer_share(i, d) + d * s.values[i] * s.inclusion(i, p);
        if (rhs - s.values[i]).abs() > 1e-9 {
            return None;
        }
    }
    Some(s)
}

/// Solves the augmented system `a` (rows `[coefficients…, right-hand side]`) by Gaussian
/// elimination with partial pivoting; `None` when it is singular.
fn gauss(mut a: Vec<Vec<f64>>) -> Option<Vec<f64>> {
    let n = a.len();
    for col in 0..n {
        let pivot = (col..n).max_by(|&x, &y| a[x][col].abs().total_cmp(&a[y][col].abs()))?;
        if a[pivot][col].abs() < 1e-14 {
            return None;
        }
        a.swap(col, pivot);
        let pivot_row = a[col].clone();
        for (r, row) in a.iter_mut().enumerate() {
            if r != col {
                let f = row[col] / pivot_row[col];
                if f != 0.0 {
                    for (x, &p) in row[col..=n].iter_mut().zip(&pivot_row[col..=n]) {
                        *x -= f * p;
                    }
                }
            }
        }
    }
    Some((0..n).map(|i| a[i][n] / a[i][i]).collect())
}

/// Recognition-weighted picks from tied group `g`: proposer `k` (of `proposers`) spreads
/// `p_k·take[k][g]` over the members other than itself, at most `p_k` to each; member `j`
/// needs `need[j]`. Max flow (Edmonds–Karp on a graph of a few dozen nodes); `None` when
/// the needs cannot all be met.
fn transport(
    proposers: &[usize],
    members: &[usize],
    p: &[f64],
    take: &[Vec<usize>],
    g: usize,
    need: &[f64],
) -> Option<Vec<Vec<f64>>> {
    let (a, b) = (proposers.len(), members.len());
    // Nodes: source 0, proposers 1..=a, members a+1..=a+b, sink a+b+1.
    let nodes = a + b + 2;
    let sink = nodes - 1;
    let mut cap = vec![vec![0.0; nodes]; nodes];
    for (x, &k) in proposers.iter().enumerate() {
        cap[0][1 + x] = p[k] * take[k][g] as f64;
        for (y, &j) in members.iter().enumerate() {
            if j != k {
                cap[1 + x][1 + a + y] = p[k];
            }
        }
    }
    for (y, &w) in need.iter().enumerate() {
        cap[1 + a + y][sink] = w;
    }
    let mut flow = vec![vec![0.0; nodes]; nodes];
    loop {
        // Breadth-first search for a path with room left.
        let mut prev = vec![usize::MAX; nodes];
        prev[0] = 0;
        let mut queue = std::collections::VecDeque::from([0usize]);
        while let Some(u) = queue.pop_front() {
            for v in 0..nodes {
                if prev[v] == usize::MAX && cap[u][v] - flow[u][v] > EPS {
                    prev[v] = u;
                    queue.push_back(v);
                }
            }
        }
        if prev[sink] == usize::MAX {
            break;
        }
        let mut room = f64::INFINITY;
        let mut v = sink;
        while v != 0 {
            let u = prev[v];
            room = room.min(cap[u][v] - flow[u][v]);
            v = u;
        }
        let mut v = sink;
        while v != 0 {
            let u = prev[v];
            flow[u][v] += room;
            flow[v][u] -= room;
            v = u;
        }
    }
    let total: f64 = need.iter().sum();
    let sent: f64 = (0..b).map(|y| flow[1 + a + y][sink]).sum();
    if (total - sent).abs() > 1e-9 {
        return None;
    }
    Some(
        (0..a)
            .map(|x| (0..b).map(|y| flow[1 + x][1 + a + y].max(0.0)).collect())
            .collect(),
    )
}

/// The protocol of a scenario, ready to run.
pub struct BaronFerejohnPlay<'a> {
    scenario: &'a Scenario,
    spec: &'a Spec,
    pub(super) layout: TallyLayout,
    pub stationary: Stationary,
    /// Cumulative recognition probabilities, for the recognition draw.
    cumulative: Vec<f64>,
}

/// Per-thread working memory.
#[derive(Debug, Clone)]
pub struct BfScratch {
    deal: Vec<f64>,
    partners: Vec<bool>,
}

impl<'a> BaronFerejohnPlay<'a> {
    /// The protocol of `scenario`, whose protocol is `spec`. The scenario's checks (see
    /// `baron_ferejohn_undefined`) make the equilibrium exist; were none found, every member
    /// is valued at its recognition probability (never reached by a valid game).
    pub fn new(scenario: &'a Scenario, spec: &'a Spec) -> Self {
        let axes = scenario
            .clauses
            .iter()
            .map(|c| match *c.kind() {
                ClauseKind::Range { min, max, .. } => (0..FINE_AXIS)
                    .map(|i| min + (max - min) * i as f64 / (FINE_AXIS - 1) as f64)
                    .collect(),
                _ => vec![0.0],
            })
            .collect();
        let layout = TallyLayout::new(axes, 1, scenario.parties.len())
            .with_paths(spec.dynamic.order().to_vec())
            .with_exact_ranges(&scenario.clauses);
        let stationary =
            stationary(&spec.recognition, spec.quota, spec.discount).unwrap_or(Stationary {
                values: spec.recognition.clone(),
                mix: vec![vec![0.0; spec.recognition.len()]; spec.recognition.len()],
            });
        let mut acc = 0.0;
        let cumulative = spec
            .recognition
            .iter()
            .map(|p| {
                acc += p;
                acc
            })
            .collect();
        BaronFerejohnPlay {
            scenario,
            spec,
            layout,
            stationary,
            cumulative,
        }
    }

    pub(super) fn scenario(&self) -> &'a Scenario {
        self.scenario
    }

    pub(super) fn spec(&self) -> &'a Spec {
        self.spec
    }

    /// The member recognised by uniform draw `u`.
    fn proposer(&self, u: f64) -> usize {
        let n = self.cumulative.len();
        // The last member with a positive probability takes what rounding leaves above the
        // sum.
        let last = (0..n)
            .rev()
            .find(|&i| self.spec.recognition[i] > 0.0)
            .unwrap_or(n - 1);
        (0..n)
            .find(|&i| self.spec.recognition[i] > 0.0 && u < self.cumulative[i])
            .unwrap_or(last)
    }

    /// Proposer `k`'s partners for uniform draw `u` (systematic sampling over its pick
    /// probabilities: each member is picked with exactly its probability, always `q − 1`).
    fn pick(&self, k: usize, u: f64, partners: &mut [bool]) {
        partners.fill(false);
        let row = &self.stationary.mix[k];
        let want = self.spec.quota - 1;
        let mut chosen = 0;
        let mut acc = 0.0;
        for (j, &mu) in row.iter().enumerate() {
            let before = acc;
            acc += mu;
            // The first point u + i (i = 0, 1, …) at or after `before`: is it before `acc`?
            let i = (before - u).ceil().max(0.0);
            if mu > 0.0 && u + i < acc && chosen < want {
                partners[j] = true;
                chosen += 1;
            }
        }
        // Rounding can leave the sum a hair short of q − 1: fill with the likeliest.
        while chosen < want {
            let Some(j) = (0..row.len())
                .filter(|&j| j != k && !partners[j])
                .max_by(|&a, &b| row[a].total_cmp(&row[b]))
            else {
                break;
            };
            partners[j] = true;
            chosen += 1;
        }
    }

    /// The round's division into `sc.deal` (share clause values) and its proposer.
    fn divide(&self, world: &World, sc: &mut BfScratch) -> usize {
        let k = self.proposer(world.slots[self.spec.recognition_slot]);
        self.pick(k, world.slots[self.spec.partners_slot], &mut sc.partners);
        let size = self.spec.pie.size;
        sc.deal.fill(0.0);
        let mut given = 0.0;
        for (j, &c) in self.spec.pie.shares.iter().enumerate() {
            if sc.partners[j] {
                let price = self.spec.discount * self.stationary.values[j];
                sc.deal[c] = price * size;
                given += price;
            }
        }
        sc.deal[self.spec.pie.shares[k]] = ((1.0 - given) * size).max(0.0);
        k
    }

    /// Member `p`'s utility (its share of the pie) of `deal`.
    fn utility(&self, p: usize, deal: &[f64]) -> f64 {
        deal[self.spec.pie.shares[p]] / self.spec.pie.size
    }

    /// The exact stationary figures, and the proposers counted in `tally`.
    pub fn summary(&self, tally: &DynamicTally) -> BaronFerejohnResult {
        let s = &self.stationary;
        let p = &self.spec.recognition;
        let d = self.spec.discount;
        let size = self.spec.pie.size;
        let n = p.len();
        let rounds = tally.rounds.max(1) as f64;
        let members = (0..n)
            .map(|i| BfMember {
                party: self.scenario.parties[i].name.clone(),
                recognition: p[i],
                proposed: tally
                    .path_n
                    .get(self.layout.path_index(i, 1))
                    .map_or(0.0, |&k| k as f64 / rounds),
                expected_share: reported(s.values[i] * size),
                as_proposer: reported(s.proposer_share(i, d) * size),
                as_partner: reported(d * s.values[i] * size),
                partner_probability: reported(s.inclusion(i, p)),
            })
            .collect();
        // By role, in expectation over recognition: what the proposer keeps, what one of
        // its partners gets, and what a member left out gets (nothing).
        let proposer: f64 = (0..n).map(|k| p[k] * s.proposer_share(k, d)).sum();
        let partners = self.spec.quota - 1;
        let partner = if partners == 0 {
            0.0
        } else {
            (1.0 - proposer) / partners as f64
        };
        BaronFerejohnResult {
            quota: self.spec.quota,
            discount: d,
            pie: size,
            expected_division: ExpectedDivision {
                proposer: reported(proposer * size),
                partner: reported(partner * size),
                excluded: 0.0,
            },
            members,
        }
    }

    /// Plays one round with `rec` watching: the recognised member's proposal, which passes.
    pub fn trace_round<R: Recorder>(&self, world: &World, rec: &mut R) {
        let mut sc = self.new_scratch();
        let k = self.divide(world, &mut sc);
        let responses: Vec<Response> = (0..self.scenario.parties.len())
            .filter(|&j| j != k)
            .map(|j| Response {
                party: j,
                utility: self.utility(j, &sc.deal),
                accept: sc.partners[j],
            })
            .collect();
        rec.offer(&OfferStep {
            step: 1,
            proposer: k,
            target: f64::NAN,
            deal: &sc.deal,
            proposer_utility: self.utility(k, &sc.deal),
            responses: &responses,
        });
        rec.end(&Ending::new(EndKind::Agreement, 1), Some(&sc.deal));
    }
}

impl Experiment for BaronFerejohnPlay<'_> {
    type Tally = DynamicTally;
    type Scratch = BfScratch;

    fn new_tally(&self) -> DynamicTally {
        DynamicTally::new(&self.layout)
    }

    fn new_scratch(&self) -> BfScratch {
        BfScratch {
            deal: vec![0.0; self.scenario.clauses.len()],
            partners: vec![false; self.scenario.parties.len()],
        }
    }

    fn play(&self, world: &World, sc: &mut BfScratch, tally: &mut DynamicTally) {
        let k = self.divide(world, sc);
        tally.end(EndKind::Agreement, 1);
        tally.deal(&self.layout, &sc.deal, None);
        for p in 0..self.scenario.parties.len() {
            tally.reservation[p].add(world.reservation[p]);
            let u = self.utility(p, &sc.deal);
            // Agreed at step 1: undiscounted; the best a member can get is the whole pie.
            tally.party(p, u, u, 1.0 - u);
        }
        tally.path(
            &self.layout,
            k,
            1,
            self.utility(k, &sc.deal),
            world.reservation[k],
        );
    }

    fn merge(&self, into: &mut DynamicTally, from: DynamicTally) {
        into.merge(from);
    }

    fn max_half_width(&self, tally: &DynamicTally) -> Option<f64> {
        Some(super::run::agreement_half_width(tally))
    }
}

/// The protocol's own figures, exact (from the stationary equilibrium) beside the counted
/// proposers: `"baron_ferejohn"` in a dynamic result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BaronFerejohnResult {
    pub quota: usize,
    pub discount: f64,
    pub pie: f64,
    /// In expectation over recognition: the proposer's share, one partner's, an excluded
    /// member's.
    pub expected_division: ExpectedDivision,
    pub members: Vec<BfMember>,
}

/// Shares by role, in expectation over recognition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExpectedDivision {
    pub proposer: f64,
    pub partner: f64,
    pub excluded: f64,
}

/// One member's stationary figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BfMember {
    pub party: String,
    /// Its probability of being recognised (the scenario's).
    pub recognition: f64,
    /// The share of rounds in which it was recognised (counted).
    pub proposed: f64,
    /// Its continuation value: its expected share of the pie before recognition (exact).
    pub expected_share: f64,
    /// What it keeps when recognised.
    pub as_proposer: f64,
    /// What it is offered when picked as a partner: its discounted continuation value.
    pub as_partner: f64,
    /// The probability that the step's proposer picks it.
    pub partner_probability: f64,
}

impl DynamicResult {
    /// Adds the Baron–Ferejohn figures.
    pub fn with_baron_ferejohn(mut self, bf: BaronFerejohnResult) -> Self {
        self.baron_ferejohn = Some(bf);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_recognition_gives_the_closed_form() {
        for (n, q, d) in [
            (3, 2, 1.0),
            (5, 3, 0.9),
            (7, 4, 0.5),
            (4, 4, 0.8),
            (6, 1, 0.7),
        ] {
            let p = vec![1.0 / n as f64; n];
            let s = stationary(&p, q, d).expect("an equilibrium");
            for i in 0..n {
                assert!((s.values[i] - 1.0 / n as f64).abs() < 1e-12);
                let keep = if q == 1 {
                    1.0
                } else {
                    1.0 - d * (q - 1) as f64 / n as f64
                };
                assert!((s.proposer_share(i, d) - keep).abs() < 1e-12, "{n} {q} {d}");
            }
        }
    }

    #[test]
    fn unequal_recognition_worked_by_hand() {
        // p = (1/2, 1/4, 1/4), q = 2, d = 0.9: the two rarely recognised members buy each
        // other (v2 = 1/4 − d·v2/4 + d·v2/2, so v2 = 1/(4 − d) = 10/31); the first buys
        // either at d·v2 and is never bought: v1 = (1 − d·v2)/2 = 11/31.
        let s = stationary(&[0.5, 0.25, 0.25], 2, 0.9).expect("an equilibrium");
        assert!((s.values[0] - 11.0 / 31.0).abs() < 1e-12, "{:?}", s.values);
        assert!((s.values[1] - 10.0 / 31.0).abs() < 1e-12);
        assert!((s.mix[0][1] - 0.5).abs() < 1e-12);
        assert_eq!(s.mix[1][2], 1.0);
        assert_eq!(s.mix[2][0], 0.0);
    }

    #[test]
    fn random_games_have_a_verified_equilibrium() {
        // A small deterministic generator: recognition vectors with ties and zeros.
        let mut x: u64 = 12345;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x % 1000) as f64
        };
        for _ in 0..400 {
            let n = 3 + (next() as usize % 6);
            let mut p: Vec<f64> = (0..n).map(|_| (next() % 5.0).floor()).collect();
            if p.iter().sum::<f64>() == 0.0 {
                p[0] = 1.0;
            }
            let total: f64 = p.iter().sum();
            p.iter_mut().for_each(|v| *v /= total);
            let q = 1 + next() as usize % n;
            let d = [0.3, 0.6, 0.9, 0.99][next() as usize % 4];
            let s = stationary(&p, q, d)
                .unwrap_or_else(|| panic!("no equilibrium for p = {p:?}, q = {q}, d = {d}"));
            assert!((s.values.iter().sum::<f64>() - 1.0).abs() < 1e-9);
            // Every proposer's picks are q − 1 members, each among the cheapest.
            for k in 0..n {
                let picked: f64 = s.mix[k].iter().sum();
                assert!(
                    (picked - (q - 1) as f64).abs() < 1e-9,
                    "p = {p:?}, q = {q}, d = {d}: proposer {k} picks {:?}",
                    s.mix[k]
                );
                let mut prices: Vec<f64> =
                    (0..n).filter(|&j| j != k).map(|j| s.values[j]).collect();
                prices.sort_by(f64::total_cmp);
                let cheapest: f64 = prices.iter().take(q - 1).sum();
                let paid: f64 = (0..n).map(|j| s.mix[k][j] * s.values[j]).sum();
                assert!((paid - cheapest).abs() < 1e-9, "{p:?} {q} {d}");
            }
        }
    }
}
