//! A proposer's offer book: what it offers for any target utility, found by a binary search.
//!
//! The offer for a target is, among the outcomes worth at least the target to the proposer,
//! the one its beliefs rate best for the others (see [`belief_scores`]); ties in that rating
//! go to the lower outcome index. When no outcome reaches the target, the proposer offers
//! its best outcome (ties to the better rated).
//!
//! Beliefs do not change between rounds, so the outcomes are sorted by belief once per run
//! ([`belief_order`]). In a round, one pass over that order keeps the outcomes worth more to
//! the proposer than every better-rated one: the "skyline". Along it the proposer's utility
//! strictly increases, and the offer for a target is the first skyline outcome reaching it,
//! so a round costs one linear pass per belief phase (no sort), and an offer one binary
//! search — or, from the proposer's previous offer, a short walk ([`Book::index_near`]):
//! targets move little from step to step.

use super::space::OutcomeTable;

/// One proposer's utilities and skylines, rebuilt each round its utilities change.
#[derive(Debug, Clone)]
pub struct Book {
    /// The proposer's utility of every outcome, by outcome index.
    pub utils: Vec<f64>,
    best: f64,
    /// Whether no outcome is worth less than 0 to the proposer (so discounting never
    /// raises a deal's value).
    nonnegative: bool,
    /// Phase-major, `n` slots per phase: skyline outcomes and their utilities (ascending).
    sky: Vec<u32>,
    sky_u: Vec<f64>,
    /// Skyline length per phase.
    len: Vec<usize>,
}

impl Book {
    /// An empty book for `outcomes` outcomes and `phases` belief phases.
    pub fn new(outcomes: usize, phases: usize) -> Self {
        Book {
            utils: vec![0.0; outcomes],
            best: 0.0,
            nonnegative: true,
            sky: vec![0; outcomes * phases],
            sky_u: vec![0.0; outcomes * phases],
            len: vec![0; phases],
        }
    }

    /// Rebuilds the book from the proposer's term table and the outcomes it may offer in
    /// belief order, per phase (`orders[phase]`, see [`belief_order`]). Allocates nothing.
    pub fn rebuild(&mut self, space: &OutcomeTable, terms: &[f64], orders: &[Vec<u32>]) {
        space.fill_utilities(terms, &mut self.utils);
        // The best of what the proposer may offer (every phase orders the same outcomes).
        self.best = match orders.first() {
            Some(order) => order
                .iter()
                .map(|&o| self.utils[o as usize])
                .fold(f64::NEG_INFINITY, f64::max),
            None => self.utils.iter().copied().fold(f64::NEG_INFINITY, f64::max),
        };
        // Over every outcome (a subset of what is offered when not all are negotiable).
        self.nonnegative = self.utils.iter().all(|&u| u >= 0.0);
        let n = self.utils.len();
        for (phase, order) in orders.iter().enumerate() {
            let sky = &mut self.sky[phase * n..(phase + 1) * n];
            let sky_u = &mut self.sky_u[phase * n..(phase + 1) * n];
            let mut len = 0;
            let mut top = f64::NEG_INFINITY;
            for &o in order {
                let u = self.utils[o as usize];
                if u > top {
                    top = u;
                    sky[len] = o;
                    sky_u[len] = u;
                    len += 1;
                }
            }
            self.len[phase] = len;
        }
    }

    /// The proposer's best utility.
    #[inline]
    pub fn best(&self) -> f64 {
        self.best
    }

    /// Whether every outcome is worth at least 0 to the proposer.
    #[inline]
    pub fn is_nonnegative(&self) -> bool {
        self.nonnegative
    }

    /// The offer for `target` in belief phase `phase`.
    #[inline]
    pub fn offer(&self, phase: usize, target: f64) -> u32 {
        let len = self.len[phase];
        let i = self
            .skyline(phase)
            .partition_point(|&u| u < target)
            .min(len.saturating_sub(1));
        self.outcome(phase, i)
    }

    /// The utilities along the skyline of phase `phase`, ascending.
    #[inline]
    pub fn skyline(&self, phase: usize) -> &[f64] {
        let n = self.utils.len();
        &self.sky_u[phase * n..phase * n + self.len[phase]]
    }

    /// The outcome at position `i` of phase `phase`'s skyline.
    #[inline]
    pub fn outcome(&self, phase: usize, i: usize) -> u32 {
        self.sky[phase * self.utils.len() + i]
    }

    /// The skyline position of the offer for `target` ([`Book::offer`] is the outcome there),
    /// found by walking from position `near`: a few steps when the target moved little.
    #[inline]
    pub fn index_near(&self, phase: usize, target: f64, near: usize) -> usize {
        let sky_u = self.skyline(phase);
        let last = sky_u.len().saturating_sub(1);
        if target.is_nan() {
            // No utility is below NaN: the first position, as the binary search gives.
            return 0;
        }
        let mut i = near.min(last);
        while i > 0 && sky_u[i - 1] >= target {
            i -= 1;
        }
        while i < last && sky_u[i] < target {
            i += 1;
        }
        i
    }
}

/// Belief scores of every outcome for a proposer: the smallest believed margin (utility
/// minus reservation) among the other parties at the table, so the chosen offer is the one
/// the least satisfied of them likes most. `utils[q]` are party `q`'s believed utilities,
/// `reservation[q]` its believed reservation.
pub fn belief_scores(
    proposer: usize,
    at_table: &[usize],
    utils: &[Vec<f64>],
    reservation: &[f64],
    out: &mut [f64],
) {
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

/// Outcome indices by belief score, best first (ties by index).
pub fn belief_order(scores: &[f64]) -> Vec<u32> {
    let mut keys: Vec<(u64, u32)> = scores
        .iter()
        .enumerate()
        .map(|(o, &s)| (descending_key(s), o as u32))
        .collect();
    keys.sort_unstable();
    keys.into_iter().map(|k| k.1).collect()
}

/// A key whose ascending order is `x`'s descending order (`total_cmp` order, reversed).
#[inline]
fn descending_key(x: f64) -> u64 {
    let bits = x.to_bits();
    let ascending = if bits >> 63 == 1 {
        !bits
    } else {
        bits | (1 << 63)
    };
    !ascending
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_sort_descending() {
        let xs = [0.5, -1.0, 0.0, 1.0, 0.25, -0.0, f64::INFINITY];
        let mut keys: Vec<(u64, usize)> = xs
            .iter()
            .enumerate()
            .map(|(i, &x)| (descending_key(x), i))
            .collect();
        keys.sort_unstable();
        let sorted: Vec<f64> = keys.iter().map(|k| xs[k.1]).collect();
        let mut expect = xs.to_vec();
        expect.sort_by(|a, b| b.total_cmp(a));
        assert_eq!(sorted, expect);
    }

    #[test]
    fn offers_are_the_best_rated_above_the_target() {
        // Five outcomes: the proposer's utility and the belief score of each.
        let utils = [0.9, 0.7, 0.5, 0.3, 0.7];
        let scores = [0.1, 0.3, 0.6, 0.8, 0.35];
        let order = belief_order(&scores);
        assert_eq!(order, [3, 2, 4, 1, 0]);
        let mut book = Book::new(5, 1);
        book.utils.copy_from_slice(&utils);
        // Rebuild without a deal space: the skyline pass alone.
        book.best = 0.9;
        let mut top = f64::NEG_INFINITY;
        let mut len = 0;
        for &o in &order {
            if utils[o as usize] > top {
                top = utils[o as usize];
                book.sky[len] = o;
                book.sky_u[len] = top;
                len += 1;
            }
        }
        book.len[0] = len;
        let brute = |t: f64| -> u32 {
            let ok: Vec<usize> = (0..5).filter(|&o| utils[o] >= t).collect();
            if ok.is_empty() {
                return 0;
            }
            *ok.iter()
                .max_by(|&&a, &&b| scores[a].total_cmp(&scores[b]).then(b.cmp(&a)))
                .expect("one") as u32
        };
        for t in [0.0, 0.3, 0.31, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95] {
            assert_eq!(book.offer(0, t), brute(t), "target {t}");
            // From any starting position, the walk lands where the binary search does.
            for near in 0..8 {
                let i = book.index_near(0, t, near);
                assert_eq!(
                    book.outcome(0, i),
                    book.offer(0, t),
                    "target {t} from {near}"
                );
            }
        }
        // A NaN target is below nothing: the first skyline outcome, whichever way it is found.
        assert_eq!(book.offer(0, f64::NAN), 3);
        assert!((0..8).all(|near| book.index_near(0, f64::NAN, near) == 0));
    }
}
