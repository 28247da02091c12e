//! A proposer's offer book: what it offers for any target utility, found by a binary search.
//!
//! The offer for a target is, among the outcomes worth at least the target to the proposer,
//! the one its beliefs rate best for the others (see [`belief_scores`]), ties going to the
//! outcome better for the proposer, then to the lower outcome index. With outcomes sorted by
//! the proposer's utility (descending), the candidates for any target are a prefix of that
//! order, so a running argmax of the belief score over the order answers every target: a
//! binary search for the prefix length, then one lookup.

use super::space::DealSpace;

/// One proposer's outcomes sorted by its utility, with the best offer for every prefix.
#[derive(Debug, Clone)]
pub struct Book {
    /// The proposer's utility of every outcome, by outcome index.
    pub utils: Vec<f64>,
    /// Outcome indices by the proposer's utility, descending (ties by index).
    order: Vec<u32>,
    /// Sort keys: (descending-utility key, outcome index).
    keys: Vec<(u64, u32)>,
    /// `utils` in `order`.
    sorted: Vec<f64>,
    /// Phase-major: `prefix[phase * n + i]` is the offer among `order[..=i]`.
    prefix: Vec<u32>,
}

impl Book {
    /// An empty book for `outcomes` outcomes and `phases` belief phases.
    pub fn new(outcomes: usize, phases: usize) -> Self {
        Book {
            utils: vec![0.0; outcomes],
            order: (0..outcomes as u32).collect(),
            keys: (0..outcomes as u32).map(|o| (0, o)).collect(),
            sorted: vec![0.0; outcomes],
            prefix: vec![0; outcomes * phases],
        }
    }

    /// Rebuilds the book from the proposer's term table and its belief scores per phase
    /// (`scores[phase]`, one per outcome). Allocates nothing.
    pub fn rebuild(&mut self, space: &DealSpace, terms: &[f64], scores: &[Vec<f64>]) {
        space.fill_utilities(terms, &mut self.utils);
        let utils = &self.utils;
        // Sorting plain integer keys is several times faster than sorting indices through a
        // comparison closure. Keys are unique (utility, then index), so the order does not
        // depend on where the sort starts from: reusing last round's order only makes it
        // faster.
        for k in self.keys.iter_mut() {
            k.0 = descending_key(utils[k.1 as usize]);
        }
        self.keys.sort_unstable();
        for ((o, s), k) in self.order.iter_mut().zip(self.sorted.iter_mut()).zip(&self.keys) {
            *o = k.1;
            *s = utils[k.1 as usize];
        }
        let n = self.order.len();
        for (phase, score) in scores.iter().enumerate() {
            let prefix = &mut self.prefix[phase * n..(phase + 1) * n];
            let mut best = f64::NEG_INFINITY;
            let mut arg = self.order.first().copied().unwrap_or(0);
            for (slot, &o) in prefix.iter_mut().zip(&self.order) {
                let s = score[o as usize];
                // Strictly better only: on a tie the earlier (better for the proposer) stays.
                if s > best {
                    best = s;
                    arg = o;
                }
                *slot = arg;
            }
        }
    }

    /// The proposer's best utility.
    #[inline]
    pub fn best(&self) -> f64 {
        self.sorted.first().copied().unwrap_or(0.0)
    }

    /// The offer for `target` in belief phase `phase`: the best-rated outcome among those
    /// worth at least `target` (the proposer's best outcome when none is).
    #[inline]
    pub fn offer(&self, phase: usize, target: f64) -> u32 {
        let n = self.order.len();
        let count = self.sorted.partition_point(|&u| u >= target);
        self.prefix[phase * n + count.saturating_sub(1)]
    }
}

/// Belief scores of every outcome for a proposer: the smallest believed margin (utility
/// minus reservation) among the other parties at the table, so the chosen offer is the one
/// the least satisfied of them likes most. `utils[q]` are party `q`'s believed utilities,
/// `reservation[q]` its believed reservation.
pub fn belief_scores(proposer: usize, at_table: &[usize], utils: &[Vec<f64>], reservation: &[f64], out: &mut [f64]) {
    out.fill(f64::INFINITY);
    for &q in at_table.iter().filter(|&&q| q != proposer) {
        for (s, u) in out.iter_mut().zip(&utils[q]) {
            *s = s.min(u - reservation[q]);
        }
    }
    // Alone at the table: every outcome is as good as any other to "the others".
    if out.first().is_some_and(|s| s.is_infinite()) {
        out.fill(0.0);
    }
}

/// A key whose ascending order is `x`'s descending order (`total_cmp` order, reversed).
#[inline]
fn descending_key(x: f64) -> u64 {
    let bits = x.to_bits();
    let ascending = if bits >> 63 == 1 { !bits } else { bits | (1 << 63) };
    !ascending
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_sort_descending() {
        let xs = [0.5, -1.0, 0.0, 1.0, 0.25, -0.0, f64::INFINITY];
        let mut keys: Vec<(u64, usize)> = xs.iter().enumerate().map(|(i, &x)| (descending_key(x), i)).collect();
        keys.sort_unstable();
        let sorted: Vec<f64> = keys.iter().map(|k| xs[k.1]).collect();
        let mut expect = xs.to_vec();
        expect.sort_by(|a, b| b.total_cmp(a));
        assert_eq!(sorted, expect);
    }
}
