//! Running totals of a dynamic protocol: integer counts and [`FixedSum`]s only, so tallies
//! merge exactly and results are the same bits for any thread count.
//!
//! The agreed deal's distribution is kept as a histogram per clause over a fixed axis of
//! values (the deal space's grid, or a finer one for the equilibrium's exact range values);
//! means come from exact sums of the values themselves. Where deals can fall off the axis
//! (the equilibrium's and Baron–Ferejohn's range clauses), the distinct values agreed are
//! also counted exactly ([`ExactValues`], up to [`EXACT_VALUES`] of them per clause), and
//! quantiles are read from those; otherwise from the histogram, whose values are then the
//! deals' own.
//!
//! Paths: for each tracked party (the negotiators; mediated: the voters and a party mediator)
//! and step, how many rounds made a move that concerns it at that step (an offer it made; a
//! vote on the mediator's text) and the exact sums of its utility of that offer or text and
//! of its reservation then. Means over the rounds that reached the step are read from them.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::EndKind;
use crate::model::space::nearest;
use crate::model::{Clause, ClauseKind};
use crate::sim::FixedSum;
use crate::sim::fixed::UNITS_LIMIT;

/// The most distinct agreed values of one clause counted exactly; beyond it the clause's
/// quantiles are read from its histogram (to within one step of its axis).
pub const EXACT_VALUES: usize = 4096;

/// The distinct values of one clause in agreed deals, with how many deals had each
/// (ascending by value, as `f64` bits), while there are at most [`EXACT_VALUES`]; once
/// there are more, `overflow` is set and the list emptied. Merging is exact and does not
/// depend on the order, so neither does whether it overflows.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExactValues {
    pub values: Vec<(u64, u64)>,
    pub overflow: bool,
}

impl ExactValues {
    /// Counts `k` more deals at `x`.
    pub fn add(&mut self, x: f64, k: u64) {
        if self.overflow {
            return;
        }
        match self
            .values
            .binary_search_by(|&(b, _)| f64::from_bits(b).total_cmp(&x))
        {
            Ok(i) => self.values[i].1 += k,
            Err(i) => {
                if self.values.len() == EXACT_VALUES {
                    self.overflow = true;
                    self.values = Vec::new();
                } else {
                    self.values.insert(i, (x.to_bits(), k));
                }
            }
        }
    }

    /// Adds `from`'s counts.
    pub fn merge(&mut self, from: ExactValues) {
        if from.overflow {
            self.overflow = true;
            self.values = Vec::new();
        }
        for (b, k) in from.values {
            self.add(f64::from_bits(b), k);
        }
    }

    /// The smallest value whose cumulative count reaches `q` of `n` (as
    /// [`super::result`]'s histogram quantile), `None` when the values overflowed or none
    /// were counted.
    pub fn quantile(&self, n: u64, q: f64) -> Option<f64> {
        if self.overflow {
            return None;
        }
        let need = ((q * n as f64).ceil() as u64).max(1);
        let mut total = 0;
        for &(b, k) in &self.values {
            total += k;
            if total >= need {
                return Some(f64::from_bits(b));
            }
        }
        None
    }
}

/// Sizes and histogram axes of a tally.
#[derive(Debug, Clone)]
pub struct TallyLayout {
    /// Histogram values per clause, ascending.
    pub axes: Vec<Vec<f64>>,
    offsets: Vec<usize>,
    bins: usize,
    /// Steps tallied (the largest deadline).
    pub steps: usize,
    pub parties: usize,
    /// Parties whose per-step path is tallied, in report order.
    pub paths: Vec<usize>,
    /// Per clause: whether its agreed values are also counted exactly ([`ExactValues`]).
    pub exact: Vec<bool>,
}

impl TallyLayout {
    pub fn new(axes: Vec<Vec<f64>>, steps: usize, parties: usize) -> Self {
        let mut offsets = Vec::with_capacity(axes.len());
        let mut bins = 0;
        for a in &axes {
            offsets.push(bins);
            bins += a.len();
        }
        TallyLayout {
            axes,
            offsets,
            bins,
            steps,
            parties,
            paths: Vec::new(),
            exact: Vec::new(),
        }
    }

    /// The same layout, counting the agreed values of every range clause of `clauses`
    /// exactly (for protocols whose range values fall off the histogram's axis).
    pub fn with_exact_ranges(mut self, clauses: &[Clause]) -> Self {
        self.exact = clauses
            .iter()
            .map(|c| matches!(c.kind(), ClauseKind::Range { .. }))
            .collect();
        self
    }

    /// The same layout, tallying the per-step paths of `parties`.
    pub fn with_paths(mut self, parties: Vec<usize>) -> Self {
        self.paths = parties;
        self
    }

    /// Where tracked party number `k` (its position in `paths`) at step `step` (from 1)
    /// sits in the flat path tallies.
    #[inline]
    pub fn path_index(&self, k: usize, step: u32) -> usize {
        k * self.steps + (step as usize - 1)
    }

    /// Where clause `c`'s bins start in a flat histogram.
    #[inline]
    pub fn offset(&self, c: usize) -> usize {
        self.offsets[c]
    }
}

/// What the rounds of a dynamic protocol added up to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DynamicTally {
    pub rounds: u64,
    /// Rounds by ending, in [`EndKind`] order: agreement, breakdown, deadline, stalled,
    /// deserted.
    pub endings: [u64; 5],
    /// Agreements per step (index `s − 1`).
    pub agreed_at: Vec<u64>,
    /// Breakdowns per step.
    pub broke_at: Vec<u64>,
    /// Other endings (deadline, stalled, deserted) per step.
    pub ended_at: Vec<u64>,
    /// Agreed deals: counts per clause value (flat over the layout's axes).
    pub hist: Vec<u64>,
    /// Agreed deals: sum of each clause's value.
    pub deal_sum: Vec<FixedSum>,
    /// Per party, over agreements: utility of the deal, its discounted value, and the
    /// shortfall (best utility in the deal space minus the deal's).
    pub utility: Vec<FixedSum>,
    pub value: Vec<FixedSum>,
    pub shortfall: Vec<FixedSum>,
    /// Per party, over all rounds: the reservation utility when talks ended.
    pub reservation: Vec<FixedSum>,
    /// Mediated: amendments per clause, over all rounds.
    pub amendments: Vec<u64>,
    /// Mediated: rounds in which the clause was amended at least once.
    pub amended_rounds: Vec<u64>,
    /// Mediated: total distance the clause moved (sum of |change|).
    pub movement: Vec<FixedSum>,
    /// Mediated: sum over rounds of the position (from 1) of the clause's first amendment.
    pub first_position: Vec<u64>,
    /// Mediated: first amendments of a round, by clause and new value (flat over the axes).
    pub first: Vec<u64>,
    /// Per tracked party and step (flat, [`TallyLayout::path_index`]): rounds in which the
    /// party made an offer at the step (mediated: voted on the text), and the sums of its
    /// utility of that offer or text and of its reservation at the time.
    #[serde(default)]
    pub path_n: Vec<u64>,
    #[serde(default)]
    pub path_utility: Vec<FixedSum>,
    #[serde(default)]
    pub path_reservation: Vec<FixedSum>,
    /// Per clause marked in [`TallyLayout::exact`] (empty when none is): its agreed values,
    /// counted exactly.
    #[serde(default)]
    pub exact: Vec<ExactValues>,
    /// Rounds of a play that is the same in every round ([`FixedMoves`]), by their last
    /// step with a move (index 0 to `steps`): their paths are added to the path sums in one
    /// go when the tally is merged or summarised ([`DynamicTally::settle`]). Not written.
    #[serde(skip)]
    pub pending: Vec<u64>,
    #[serde(skip)]
    pub fixed_moves: FixedMoves,
    /// Moves repeated every `stride` steps ([`DynamicTally::path_every`]), kept as
    /// difference lists until [`DynamicTally::settle`] adds them: a long run of repeated
    /// offers costs one entry, not one per step. Not written.
    #[serde(skip)]
    pub strided: Vec<Strided>,
}

/// Path moves repeated every `stride` steps, as difference lists over the path tallies'
/// flat index: an entry at `i` counts at `i`, `i + stride`, `i + 2·stride`, … until an
/// entry of the opposite sign cancels it. Integers only, so settling is exact.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Strided {
    pub stride: usize,
    n: Vec<i64>,
    utility: Vec<i128>,
    reservation: Vec<i128>,
}

/// The moves of a play that is the same in every round (the alternating protocol's
/// precomputed play): per step, the tracked party that moved and the one-round sums of its
/// utility and reservation. Shared by every tally of a run and never written; it describes
/// how [`DynamicTally::pending`] rounds are counted, not what the tally holds, so tallies
/// compare equal whatever it is.
#[derive(Debug, Clone, Default)]
pub struct FixedMoves(pub Option<Arc<[(usize, FixedSum, FixedSum)]>>);

impl FixedMoves {
    /// `moves[s − 1]` = (tracked party, utility, reservation) of the move at step `s`.
    pub fn new(moves: &[(usize, f64, f64)]) -> Self {
        let one = |x: f64| {
            let mut f = FixedSum::default();
            f.add(x);
            f
        };
        FixedMoves(Some(
            moves.iter().map(|&(k, u, r)| (k, one(u), one(r))).collect(),
        ))
    }
}

impl PartialEq for FixedMoves {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for FixedMoves {}

impl DynamicTally {
    pub fn new(layout: &TallyLayout) -> Self {
        let c = layout.axes.len();
        let p = layout.parties;
        DynamicTally {
            rounds: 0,
            endings: [0; 5],
            agreed_at: vec![0; layout.steps],
            broke_at: vec![0; layout.steps],
            ended_at: vec![0; layout.steps],
            hist: vec![0; layout.bins],
            deal_sum: vec![FixedSum::default(); c],
            utility: vec![FixedSum::default(); p],
            value: vec![FixedSum::default(); p],
            shortfall: vec![FixedSum::default(); p],
            reservation: vec![FixedSum::default(); p],
            amendments: vec![0; c],
            amended_rounds: vec![0; c],
            movement: vec![FixedSum::default(); c],
            first_position: vec![0; c],
            first: vec![0; layout.bins],
            path_n: vec![0; layout.paths.len() * layout.steps],
            path_utility: vec![FixedSum::default(); layout.paths.len() * layout.steps],
            path_reservation: vec![FixedSum::default(); layout.paths.len() * layout.steps],
            exact: if layout.exact.iter().any(|&e| e) {
                vec![ExactValues::default(); c]
            } else {
                Vec::new()
            },
            pending: vec![0; layout.steps + 1],
            fixed_moves: FixedMoves::default(),
            strided: Vec::new(),
        }
    }

    /// Adds tracked party `k`'s move at `step` (from 1): its utility of the offer or text and
    /// its reservation then.
    #[inline]
    pub fn path(
        &mut self,
        layout: &TallyLayout,
        k: usize,
        step: u32,
        utility: f64,
        reservation: f64,
    ) {
        let i = layout.path_index(k, step);
        self.path_n[i] += 1;
        self.path_utility[i].add(utility);
        self.path_reservation[i].add(reservation);
    }

    /// Adds tracked party `k`'s move at every `stride`-th step from `first` to `last`
    /// (from 1, inclusive, `last − first` a multiple of `stride`): the same offer, utility
    /// and reservation at each. Exactly what [`DynamicTally::path`] at each of those steps
    /// adds, once settled ([`DynamicTally::settle`]), in constant time.
    pub fn path_every(
        &mut self,
        layout: &TallyLayout,
        k: usize,
        (first, last, stride): (u32, u32, u32),
        utility: f64,
        reservation: f64,
    ) {
        debug_assert!(stride > 0 && first <= last && (last - first) % stride == 0);
        let stride = stride as usize;
        let len = self.path_n.len();
        let pos = match self.strided.iter().position(|d| d.stride == stride) {
            Some(pos) => pos,
            None => {
                self.strided.push(Strided {
                    stride,
                    n: vec![0; len],
                    utility: vec![0; len],
                    reservation: vec![0; len],
                });
                self.strided.len() - 1
            }
        };
        let d = &mut self.strided[pos];
        // The units `FixedSum::add` would add, once per step.
        let one = |x: f64| {
            let mut f = FixedSum::default();
            f.add(x);
            f.0
        };
        let (u, r) = (one(utility), one(reservation));
        let start = layout.path_index(k, first);
        d.n[start] += 1;
        d.utility[start] += u;
        d.reservation[start] += r;
        // Cancel after the last step, unless that lies past this party's steps.
        let end = layout.path_index(k, last) + stride;
        if (last as usize - 1) + stride < layout.steps {
            d.n[end] -= 1;
            d.utility[end] -= u;
            d.reservation[end] -= r;
        }
    }

    /// Counts a round of the fixed play ([`FixedMoves`]) whose last move was at `step`
    /// (0 for none); its path is added by [`DynamicTally::settle`].
    #[inline]
    pub fn fixed_round(&mut self, step: u32) {
        if let Some(k) = self.pending.get_mut(step as usize) {
            *k += 1;
        }
    }

    /// Adds the pending rounds' moves to the path sums: at each step, the fixed move times
    /// the rounds still going then. Exactly what adding each round's moves one by one gives.
    pub fn settle(&mut self) {
        self.settle_strided();
        let Some(moves) = self.fixed_moves.0.clone() else {
            return;
        };
        let steps = self.pending.len().saturating_sub(1);
        // Rounds still going at step s: those whose last move is at s or later.
        let mut reached: u64 = self.pending.iter().sum();
        for (i, &(k, u, r)) in moves.iter().enumerate().take(steps) {
            reached -= self.pending[i];
            if reached == 0 {
                break;
            }
            let j = k * steps + i;
            self.path_n[j] += reached;
            self.path_utility[j].merge(FixedSum(u.0 * reached as i128));
            self.path_reservation[j].merge(FixedSum(r.0 * reached as i128));
        }
        self.pending.fill(0);
    }

    /// Adds the strided moves to the path sums: a running sum along each stride turns the
    /// difference lists into per-step counts and sums.
    fn settle_strided(&mut self) {
        let steps = self.pending.len().saturating_sub(1);
        for d in &mut self.strided {
            let stride = d.stride;
            for row in 0..self.path_n.len() / steps.max(1) {
                let base = row * steps;
                for i in base..base + steps {
                    if i >= base + stride {
                        d.n[i] += d.n[i - stride];
                        d.utility[i] += d.utility[i - stride];
                        d.reservation[i] += d.reservation[i - stride];
                    }
                }
                for i in base..base + steps {
                    // Only moves are added, so every running count is at least 0.
                    self.path_n[i] += d.n[i] as u64;
                    self.path_utility[i].merge(FixedSum(d.utility[i]));
                    self.path_reservation[i].merge(FixedSum(d.reservation[i]));
                }
            }
        }
        // Settled: nothing is pending, and a settled tally equals one added step by step.
        self.strided.clear();
    }

    /// Counts a round that ended as `kind` at `step` (from 1). Agreements also need
    /// [`DynamicTally::deal`].
    #[inline]
    pub fn end(&mut self, kind: EndKind, step: u32) {
        self.rounds += 1;
        self.endings[kind as usize] += 1;
        let i = (step.max(1) - 1) as usize;
        let per_step = match kind {
            EndKind::Agreement => &mut self.agreed_at,
            EndKind::Breakdown => &mut self.broke_at,
            _ => &mut self.ended_at,
        };
        if let Some(n) = per_step.get_mut(i) {
            *n += 1;
        }
    }

    /// Adds an agreed deal: its clause values, given as positions on the histogram axes when
    /// known (`bins`), else found as the nearest axis values.
    #[inline]
    pub fn deal(&mut self, layout: &TallyLayout, deal: &[f64], bins: Option<&[usize]>) {
        for (c, &x) in deal.iter().enumerate() {
            let b = match bins {
                Some(b) => b[c],
                None => nearest(&layout.axes[c], x),
            };
            self.hist[layout.offset(c) + b] += 1;
            self.deal_sum[c].add(x);
            if layout.exact.get(c).copied().unwrap_or(false) {
                self.exact[c].add(x, 1);
            }
        }
    }

    /// Adds party `p`'s utility, discounted value and shortfall at an agreement.
    #[inline]
    pub fn party(&mut self, p: usize, utility: f64, value: f64, shortfall: f64) {
        self.utility[p].add(utility);
        self.value[p].add(value);
        self.shortfall[p].add(shortfall);
    }

    /// Adds `from` into `self` (settling both first).
    pub fn merge(&mut self, mut from: DynamicTally) {
        self.settle();
        from.settle();
        fn add(a: &mut [u64], b: Vec<u64>) {
            a.iter_mut().zip(b).for_each(|(x, y)| *x += y);
        }
        fn add_sums(a: &mut [FixedSum], b: Vec<FixedSum>) {
            a.iter_mut().zip(b).for_each(|(x, y)| x.merge(y));
        }
        self.rounds += from.rounds;
        for (a, b) in self.endings.iter_mut().zip(from.endings) {
            *a += b;
        }
        add(&mut self.agreed_at, from.agreed_at);
        add(&mut self.broke_at, from.broke_at);
        add(&mut self.ended_at, from.ended_at);
        add(&mut self.hist, from.hist);
        add_sums(&mut self.deal_sum, from.deal_sum);
        add_sums(&mut self.utility, from.utility);
        add_sums(&mut self.value, from.value);
        add_sums(&mut self.shortfall, from.shortfall);
        add_sums(&mut self.reservation, from.reservation);
        add(&mut self.amendments, from.amendments);
        add(&mut self.amended_rounds, from.amended_rounds);
        add_sums(&mut self.movement, from.movement);
        add(&mut self.first_position, from.first_position);
        add(&mut self.first, from.first);
        add(&mut self.path_n, from.path_n);
        add_sums(&mut self.path_utility, from.path_utility);
        add_sums(&mut self.path_reservation, from.path_reservation);
        for (a, b) in self.exact.iter_mut().zip(from.exact) {
            a.merge(b);
        }
    }
}

impl DynamicTally {
    /// The lengths of its lists: two tallies of one job have the same.
    pub fn shape(&self) -> Vec<usize> {
        vec![
            self.agreed_at.len(),
            self.broke_at.len(),
            self.ended_at.len(),
            self.hist.len(),
            self.deal_sum.len(),
            self.utility.len(),
            self.value.len(),
            self.shortfall.len(),
            self.reservation.len(),
            self.amendments.len(),
            self.amended_rounds.len(),
            self.movement.len(),
            self.first_position.len(),
            self.first.len(),
            self.path_n.len(),
            self.path_utility.len(),
            self.path_reservation.len(),
            self.exact.len(),
        ]
    }

    /// Checks that the tally could come from `rounds` rounds (a tally read from a file): the
    /// endings add up to the rounds and the per-step endings to each ending, no count of
    /// rounds is above them, and no sum of utilities beyond what they can add up to.
    pub fn check(&self, rounds: u64) -> Result<(), String> {
        let sum = |v: &[u64]| v.iter().try_fold(0u64, |a, &b| a.checked_add(b));
        if self.rounds != rounds {
            return Err(format!(
                "it counts {} rounds where its blocks hold {rounds}",
                self.rounds
            ));
        }
        if sum(&self.endings) != Some(rounds) {
            return Err(format!("its endings do not add up to its {rounds} rounds"));
        }
        let [agreed, broke, ..] = self.endings;
        let other: u64 = self.endings[2..].iter().sum();
        if sum(&self.agreed_at) != Some(agreed)
            || sum(&self.broke_at) != Some(broke)
            || sum(&self.ended_at) != Some(other)
        {
            return Err("its endings by step do not add up to its endings".into());
        }
        let per_round = [&self.amended_rounds, &self.first, &self.path_n, &self.hist];
        if per_round.iter().any(|v| v.iter().any(|&k| k > rounds)) {
            return Err(format!("a count is above its {rounds} rounds"));
        }
        // Exact values: ascending, distinct, within the list's bound, counting at most the
        // agreements.
        for e in &self.exact {
            let ascending = e.values.windows(2).all(|w| {
                f64::from_bits(w[0].0).total_cmp(&f64::from_bits(w[1].0))
                    == std::cmp::Ordering::Less
            });
            let counted = e
                .values
                .iter()
                .try_fold(0u64, |a, &(_, k)| a.checked_add(k));
            if !ascending
                || e.values.len() > EXACT_VALUES
                || (e.overflow && !e.values.is_empty())
                || counted.is_none_or(|n| n > agreed)
            {
                return Err("its exact deal values are not a list of distinct values counting the agreements".into());
            }
        }
        // Means over agreements, or over all rounds, of utilities in units' range.
        let over_agreements = [&self.utility, &self.value, &self.shortfall];
        let utilities_possible = over_agreements
            .iter()
            .all(|v| v.iter().all(|s| s.is_possible(agreed, UNITS_LIMIT)))
            && self
                .reservation
                .iter()
                .chain(&self.path_utility)
                .chain(&self.path_reservation)
                .all(|s| s.is_possible(rounds, UNITS_LIMIT));
        if !utilities_possible {
            return Err(format!(
                "a sum of utilities is beyond what {rounds} rounds can add up to"
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fixed_play_settles_to_the_sums_of_its_rounds() {
        let layout = TallyLayout::new(vec![vec![0.0, 1.0]], 4, 2).with_paths(vec![0, 1]);
        let moves = [(0, 0.9, 0.2), (1, 0.8, 0.3), (0, 0.7, 0.2), (1, 0.6, 0.3)];
        // Rounds whose last move is at steps 4, 2, 0 and 4 again.
        let mut fast = DynamicTally::new(&layout);
        fast.fixed_moves = FixedMoves::new(&moves);
        let mut slow = DynamicTally::new(&layout);
        for last in [4, 2, 0, 4] {
            fast.fixed_round(last);
            for (i, &(k, u, r)) in moves.iter().take(last as usize).enumerate() {
                slow.path(&layout, k, i as u32 + 1, u, r);
            }
        }
        assert_ne!(fast.path_n, slow.path_n);
        let mut merged = DynamicTally::new(&layout);
        merged.merge(fast.clone());
        assert_eq!(merged, slow);
        assert_eq!(merged.path_n, [3, 0, 2, 0, 0, 3, 0, 2]);
        fast.settle();
        assert_eq!(fast, slow);
        assert!(fast.pending.iter().all(|&k| k == 0));
        // Settling twice adds nothing.
        fast.settle();
        assert_eq!(fast, slow);
    }

    #[test]
    fn strided_moves_settle_to_the_moves_step_by_step() {
        let layout = TallyLayout::new(vec![vec![0.0]], 12, 3).with_paths(vec![0, 1, 2]);
        // (party, first, last, stride, utility, reservation): runs ending inside the steps,
        // at the last step, and of two strides at once.
        let runs = [
            (0, 1, 9, 2, 0.7, 0.25),
            (1, 2, 12, 2, 0.6, 0.5),
            (2, 3, 12, 3, 0.3, 0.125),
            (0, 5, 5, 3, 0.9, 0.25),
            (1, 4, 10, 3, -0.2, 0.0),
        ];
        let mut fast = DynamicTally::new(&layout);
        let mut slow = DynamicTally::new(&layout);
        for &(k, first, last, stride, u, r) in &runs {
            fast.path_every(&layout, k, (first, last, stride), u, r);
            for step in (first..=last).step_by(stride as usize) {
                slow.path(&layout, k, step, u, r);
            }
        }
        assert_ne!(fast.path_n, slow.path_n, "nothing is added before settling");
        let mut merged = DynamicTally::new(&layout);
        merged.merge(fast.clone());
        merged.settle();
        slow.settle();
        assert_eq!(merged, slow);
        fast.settle();
        assert_eq!(fast, slow);
        assert_eq!(fast.path_n[..12], [1, 0, 1, 0, 2, 0, 1, 0, 1, 0, 0, 0]);
        // Settling twice adds nothing.
        fast.settle();
        assert_eq!(fast, slow);
    }
}
