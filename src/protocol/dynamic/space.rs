//! The enumerated deal space of the dynamic protocols, and each party's utility over it.
//!
//! Every clause's values come from [`crate::model::DealSpace`] (one rule for every part of
//! accord), with each proposal's value of a range clause added so named proposals are
//! outcomes. The space is the full product of the values, enumerated once per run.
//! Utilities are additive over clauses, so a party's utility of every outcome follows from
//! one table of weighted clause terms per value: `u(o) = Σ_c terms[c][g_c(o)]`.

use crate::model::{DealSpace, Party, Scenario};

/// Outcomes of the deal space and where each clause's values sit in a term table.
#[derive(Debug, Clone)]
pub struct OutcomeTable {
    /// The values of each clause.
    space: DealSpace,
    /// Start of each clause's values in a flat term table.
    offsets: Vec<usize>,
    /// Length of a flat term table (the total of the clauses' value counts).
    pub terms_len: usize,
    /// Number of outcomes.
    pub outcomes: usize,
    /// Outcome-major: for outcome `o` and clause `c`, the flat term index
    /// `offsets[c] + g_c(o)`. The last clause varies fastest.
    index: Vec<u32>,
    /// Outcome-index stride of each clause.
    strides: Vec<usize>,
    /// Per outcome, whether it may be offered (every clause's value negotiable); empty when
    /// every outcome may be.
    offerable: Vec<bool>,
}

impl OutcomeTable {
    /// The outcomes of `scenario` with `resolution` grid points per gridded range clause.
    /// The scenario's checks (and a sweep's) keep the resolution in bounds and the space
    /// small enough to enumerate, so building the grid cannot fail here.
    pub fn new(scenario: &Scenario, resolution: usize) -> Self {
        let space = DealSpace::new(&scenario.clauses, resolution, &scenario.proposals)
            .expect("a validated scenario has a valid deal space");
        let grids = space.axes();
        let mut offsets = Vec::with_capacity(grids.len());
        let mut total = 0;
        for g in grids {
            offsets.push(total);
            total += g.len();
        }
        let c = grids.len();
        let mut strides = vec![1usize; c];
        for i in (0..c.saturating_sub(1)).rev() {
            strides[i] = strides[i + 1] * grids[i + 1].len();
        }
        let outcomes: usize = grids.iter().map(|g| g.len()).product();
        let mut index = vec![0u32; outcomes * c];
        for o in 0..outcomes {
            for i in 0..c {
                let g = (o / strides[i]) % grids[i].len();
                index[o * c + i] = (offsets[i] + g) as u32;
            }
        }
        let offerable = if space.all_offerable() {
            Vec::new()
        } else {
            (0..outcomes)
                .map(|o| (0..c).all(|i| grids[i].is_offerable((o / strides[i]) % grids[i].len())))
                .collect()
        };
        OutcomeTable {
            space,
            offsets,
            terms_len: total,
            outcomes,
            index,
            strides,
            offerable,
        }
    }

    /// Whether outcome `o` may be offered: every clause at a negotiable value.
    #[inline]
    pub fn is_offerable(&self, o: usize) -> bool {
        self.offerable.is_empty() || self.offerable[o]
    }

    /// Whether clause `c`'s value at grid position `g` may be offered.
    #[inline]
    pub fn is_value_offerable(&self, c: usize, g: usize) -> bool {
        self.space.axis(c).is_offerable(g)
    }

    /// The values of clause `c`, ascending.
    #[inline]
    pub fn grid(&self, c: usize) -> &[f64] {
        self.space.axis(c).values()
    }

    /// Every clause's values, in clause order.
    pub fn grids(&self) -> Vec<Vec<f64>> {
        self.space.grids()
    }

    /// Number of clauses.
    #[inline]
    pub fn clauses(&self) -> usize {
        self.space.axes().len()
    }

    /// Grid position of clause `c` in outcome `o`.
    #[inline]
    pub fn grid_index(&self, o: usize, c: usize) -> usize {
        self.index[o * self.clauses() + c] as usize - self.offsets[c]
    }

    /// Value of clause `c` in outcome `o`.
    #[inline]
    pub fn value(&self, o: usize, c: usize) -> f64 {
        self.grid(c)[self.grid_index(o, c)]
    }

    /// Writes outcome `o` as a deal.
    pub fn write_deal(&self, o: usize, out: &mut [f64]) {
        for (c, x) in out.iter_mut().enumerate() {
            *x = self.value(o, c);
        }
    }

    /// The outcome whose grid positions are `g` (one per clause).
    #[inline]
    pub fn outcome_of(&self, g: &[usize]) -> usize {
        g.iter().zip(&self.strides).map(|(a, b)| a * b).sum()
    }

    /// Where clause `c`'s grid starts in a flat term table.
    #[inline]
    pub fn offset(&self, c: usize) -> usize {
        self.offsets[c]
    }

    /// Grid position of value `x` in clause `c` (the nearest point).
    pub fn nearest(&self, c: usize, x: f64) -> usize {
        self.space.axis(c).nearest(x)
    }

    /// Writes `party`'s weighted clause terms at every grid point into `out`
    /// (`terms_len` long), given its normalised `weights` and the round's `slots`.
    pub fn fill_terms(&self, party: &Party, weights: &[f64], slots: &[f64], out: &mut [f64]) {
        for (c, axis) in self.space.axes().iter().enumerate() {
            let grid = axis.values();
            let w = weights[c];
            let row = &mut out[self.offsets[c]..self.offsets[c] + grid.len()];
            for (t, &x) in row.iter_mut().zip(grid) {
                *t = if w == 0.0 {
                    0.0
                } else {
                    w * party.clause_term(c, x, slots)
                };
            }
        }
    }

    /// Utility of every outcome from a term table: `out[o] = Σ_c terms[c][g_c(o)]`, summed
    /// in clause order (the same bits however the run is split).
    pub fn fill_utilities(&self, terms: &[f64], out: &mut [f64]) {
        let c = self.clauses();
        for (u, idx) in out.iter_mut().zip(self.index.chunks_exact(c.max(1))) {
            *u = idx.iter().map(|&i| terms[i as usize]).sum();
        }
    }

    /// Utility of outcome `o` from a term table.
    #[inline]
    pub fn utility(&self, terms: &[f64], o: usize) -> f64 {
        let c = self.clauses();
        self.index[o * c..(o + 1) * c]
            .iter()
            .map(|&i| terms[i as usize])
            .sum()
    }

    /// Utility of the deal at grid positions `g` from a term table.
    #[inline]
    pub fn utility_at(&self, terms: &[f64], g: &[usize]) -> f64 {
        g.iter()
            .zip(&self.offsets)
            .map(|(a, off)| terms[off + a])
            .sum()
    }

    /// The best utility any outcome that may be offered gives, from a term table: those
    /// outcomes are a full product and utility additive, so it is the sum of each clause's
    /// best term among its negotiable values.
    pub fn best(&self, terms: &[f64]) -> f64 {
        self.space
            .axes()
            .iter()
            .zip(&self.offsets)
            .map(|(g, &off)| {
                terms[off..off + g.len()]
                    .iter()
                    .enumerate()
                    .filter(|&(k, _)| g.is_offerable(k))
                    .map(|(_, &t)| t)
                    .fold(f64::NEG_INFINITY, f64::max)
            })
            .sum()
    }
}

/// Whether `party`'s utility of a fixed deal varies between rounds.
pub fn utility_is_uncertain(party: &Party) -> bool {
    party.weights.iter().any(|w| w.is_uncertain())
        || (0..party.values.len()).any(|i| party.term_is_uncertain(i))
}
