//! The discretised deal space of the dynamic protocols, and each party's utility over it.
//!
//! Every clause gets a grid of values: a choice's options, a bool's 0 and 1, and for a range
//! `resolution` evenly spaced points (whole numbers for integer clauses) plus every
//! proposal's value, so named proposals are outcomes. The space is the full product of the
//! grids, enumerated once per run. Utilities are additive over clauses, so a party's
//! utility of every outcome follows from one table of weighted clause terms per grid point:
//! `u(o) = Σ_c terms[c][g_c(o)]`.

use crate::model::{ClauseKind, Party, Scenario};

/// Outcomes of the discretised space and where each clause's grid sits in a term table.
#[derive(Debug, Clone)]
pub struct DealSpace {
    /// Grid values per clause, ascending.
    pub grids: Vec<Vec<f64>>,
    /// Start of each clause's grid in a flat term table.
    offsets: Vec<usize>,
    /// Length of a flat term table (the total of the grid sizes).
    pub terms_len: usize,
    /// Number of outcomes.
    pub outcomes: usize,
    /// Outcome-major: for outcome `o` and clause `c`, the flat term index
    /// `offsets[c] + g_c(o)`. The last clause varies fastest.
    index: Vec<u32>,
    /// Outcome-index stride of each clause.
    strides: Vec<usize>,
}

impl DealSpace {
    /// The space of `scenario` with `resolution` points per range clause.
    pub fn new(scenario: &Scenario, resolution: usize) -> Self {
        let grids: Vec<Vec<f64>> = scenario
            .clauses
            .iter()
            .enumerate()
            .map(|(i, c)| match &c.kind {
                ClauseKind::Range {
                    min, max, integer, ..
                } => {
                    let steps = resolution.max(2) - 1;
                    let mut g: Vec<f64> = (0..=steps)
                        .map(|j| {
                            let x = if j == steps {
                                *max
                            } else {
                                min + (max - min) * j as f64 / steps as f64
                            };
                            if *integer {
                                x.round().clamp(*min, *max)
                            } else {
                                x
                            }
                        })
                        .collect();
                    g.extend(scenario.proposals.iter().map(|p| p.deal[i]));
                    g.sort_by(f64::total_cmp);
                    g.dedup();
                    g
                }
                ClauseKind::Bool => vec![0.0, 1.0],
                ClauseKind::Choice { options } => (0..options.len()).map(|k| k as f64).collect(),
            })
            .collect();
        let mut offsets = Vec::with_capacity(grids.len());
        let mut total = 0;
        for g in &grids {
            offsets.push(total);
            total += g.len();
        }
        let c = grids.len();
        let mut strides = vec![1usize; c];
        for i in (0..c.saturating_sub(1)).rev() {
            strides[i] = strides[i + 1] * grids[i + 1].len();
        }
        let outcomes: usize = grids.iter().map(Vec::len).product();
        let mut index = vec![0u32; outcomes * c];
        for o in 0..outcomes {
            for i in 0..c {
                let g = (o / strides[i]) % grids[i].len();
                index[o * c + i] = (offsets[i] + g) as u32;
            }
        }
        DealSpace {
            grids,
            offsets,
            terms_len: total,
            outcomes,
            index,
            strides,
        }
    }

    /// Number of clauses.
    #[inline]
    pub fn clauses(&self) -> usize {
        self.grids.len()
    }

    /// Grid position of clause `c` in outcome `o`.
    #[inline]
    pub fn grid_index(&self, o: usize, c: usize) -> usize {
        self.index[o * self.clauses() + c] as usize - self.offsets[c]
    }

    /// Value of clause `c` in outcome `o`.
    #[inline]
    pub fn value(&self, o: usize, c: usize) -> f64 {
        self.grids[c][self.grid_index(o, c)]
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
        nearest(&self.grids[c], x)
    }

    /// Writes `party`'s weighted clause terms at every grid point into `out`
    /// (`terms_len` long), given its normalised `weights` and the round's `slots`.
    pub fn fill_terms(&self, party: &Party, weights: &[f64], slots: &[f64], out: &mut [f64]) {
        for (c, grid) in self.grids.iter().enumerate() {
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

    /// The best utility any outcome gives, from a term table: the space is a full product and
    /// utility additive, so it is the sum of each clause's best term.
    pub fn best(&self, terms: &[f64]) -> f64 {
        self.grids
            .iter()
            .zip(&self.offsets)
            .map(|(g, &off)| {
                terms[off..off + g.len()]
                    .iter()
                    .copied()
                    .fold(f64::NEG_INFINITY, f64::max)
            })
            .sum()
    }
}

/// Position of the value nearest `x` in the ascending `grid` (the lower on a tie).
pub fn nearest(grid: &[f64], x: f64) -> usize {
    let i = grid.partition_point(|&v| v < x);
    if i == 0 {
        0
    } else if i == grid.len() {
        grid.len() - 1
    } else if x - grid[i - 1] <= grid[i] - x {
        i - 1
    } else {
        i
    }
}

/// Whether `party`'s utility of a fixed deal varies between rounds.
pub fn utility_is_uncertain(party: &Party) -> bool {
    party.weights.iter().any(|w| w.is_uncertain())
        || (0..party.values.len()).any(|i| party.term_is_uncertain(i))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_picks_the_closest_point() {
        let g = [0.0, 1.0, 2.0];
        assert_eq!(nearest(&g, -1.0), 0);
        assert_eq!(nearest(&g, 0.4), 0);
        assert_eq!(nearest(&g, 0.5), 0);
        assert_eq!(nearest(&g, 0.6), 1);
        assert_eq!(nearest(&g, 9.0), 2);
    }
}
