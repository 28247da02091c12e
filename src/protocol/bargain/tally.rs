//! Running totals of a dynamic protocol: integer counts and [`FixedSum`]s only, so tallies
//! merge exactly and results are the same bits for any thread count.
//!
//! The agreed deal's distribution is kept as a histogram per clause over a fixed axis of
//! values (the deal space's grid, or a finer one for the equilibrium's exact range values);
//! quantiles are read from it, means from exact sums of the values themselves.

use serde::{Deserialize, Serialize};

use super::{EndKind, space::nearest};
use crate::sim::FixedSum;

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
        }
    }

    /// Where clause `c`'s bins start in a flat histogram.
    #[inline]
    pub fn offset(&self, c: usize) -> usize {
        self.offsets[c]
    }
}

/// What the rounds of a dynamic protocol added up to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BargainTally {
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
    /// concession (best utility in the deal space minus the deal's).
    pub utility: Vec<FixedSum>,
    pub value: Vec<FixedSum>,
    pub concession: Vec<FixedSum>,
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
}

impl BargainTally {
    pub fn new(layout: &TallyLayout) -> Self {
        let c = layout.axes.len();
        let p = layout.parties;
        BargainTally {
            rounds: 0,
            endings: [0; 5],
            agreed_at: vec![0; layout.steps],
            broke_at: vec![0; layout.steps],
            ended_at: vec![0; layout.steps],
            hist: vec![0; layout.bins],
            deal_sum: vec![FixedSum::default(); c],
            utility: vec![FixedSum::default(); p],
            value: vec![FixedSum::default(); p],
            concession: vec![FixedSum::default(); p],
            reservation: vec![FixedSum::default(); p],
            amendments: vec![0; c],
            amended_rounds: vec![0; c],
            movement: vec![FixedSum::default(); c],
            first_position: vec![0; c],
            first: vec![0; layout.bins],
        }
    }

    /// Counts a round that ended as `kind` at `step` (from 1). Agreements also need
    /// [`BargainTally::deal`].
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
        }
    }

    /// Adds party `p`'s utility, discounted value and concession at an agreement.
    #[inline]
    pub fn party(&mut self, p: usize, utility: f64, value: f64, concession: f64) {
        self.utility[p].add(utility);
        self.value[p].add(value);
        self.concession[p].add(concession);
    }

    /// Adds `from` into `self`.
    pub fn merge(&mut self, from: BargainTally) {
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
        add_sums(&mut self.concession, from.concession);
        add_sums(&mut self.reservation, from.reservation);
        add(&mut self.amendments, from.amendments);
        add(&mut self.amended_rounds, from.amended_rounds);
        add_sums(&mut self.movement, from.movement);
        add(&mut self.first_position, from.first_position);
        add(&mut self.first, from.first);
    }
}
