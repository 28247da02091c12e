//! Which rounds of a chunk accept a deal, one bit per round.
//!
//! A party's pass over a deal's utilities compares every round with its threshold. Kept as
//! bits, four rounds' comparisons are one vector compare and one move of its sign bits, and
//! everything that follows from them is a few operations per 64 rounds instead of a pass over
//! a row: a veto is an AND, a count a population count, and pairing with deal 0 (the rounds
//! accepted at both deals) the count of an AND.

use super::CHUNK;

/// Words of a chunk's mask.
const WORDS: usize = CHUNK.div_ceil(64);

/// A set of rounds of one chunk: round `r` is bit `r % 64` of word `r / 64`. Rounds beyond
/// the chunk's length are never in it, so counts need no length.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Mask([u64; WORDS]);

impl Mask {
    /// The first `len` rounds (`len` at most [`CHUNK`]).
    #[inline(always)]
    pub fn first(len: usize) -> Mask {
        debug_assert!(len <= CHUNK);
        let mut words = [0; WORDS];
        for (w, word) in words.iter_mut().enumerate() {
            let bits = len.saturating_sub(64 * w).min(64);
            *word = if bits == 64 { !0 } else { (1 << bits) - 1 };
        }
        Mask(words)
    }

    /// The rounds of the first `len` for which `f` holds (the slow path: votes,
    /// observations).
    pub fn from_fn(len: usize, f: impl Fn(usize) -> bool) -> Mask {
        let mut mask = Mask::default();
        for r in (0..len).filter(|&r| f(r)) {
            mask.0[r / 64] |= 1 << (r % 64);
        }
        mask
    }

    /// The rounds in both.
    #[inline(always)]
    pub fn and(self, other: Mask) -> Mask {
        Mask(std::array::from_fn(|w| self.0[w] & other.0[w]))
    }

    /// The rounds in `self` but not in `other`.
    #[inline(always)]
    pub fn minus(self, other: Mask) -> Mask {
        Mask(std::array::from_fn(|w| self.0[w] & !other.0[w]))
    }

    /// How many rounds.
    #[inline(always)]
    pub fn count(self) -> u64 {
        self.0.iter().map(|w| u64::from(w.count_ones())).sum()
    }

    /// Whether round `r` is in it.
    #[inline(always)]
    pub fn has(self, r: usize) -> bool {
        self.0[r / 64] >> (r % 64) & 1 == 1
    }
}

/// The sum of the utilities `u` and the rounds in which they reach `threshold` (as long).
/// Four rounds at a time, their sums in four lanes (exact: the utilities are whole units,
/// see [`crate::sim::fixed`]) and their comparisons one vector compare and one move of its
/// mask; each word is built in a register.
#[inline(always)]
pub fn tally(u: &[f64], threshold: &[f64]) -> (f64, Mask) {
    debug_assert!(u.len() <= CHUNK && threshold.len() == u.len());
    // The rounds beyond the last group of four are summed apart, so every lane of `sums`
    // is added to the same way and the four stay one vector.
    let (mut sums, mut rest) = ([0.0; 4], 0.0);
    let mut mask = Mask::default();
    for ((word, us), ts) in mask
        .0
        .iter_mut()
        .zip(u.chunks(64))
        .zip(threshold.chunks(64))
    {
        let whole = us.len() - us.len() % 4;
        let groups = us[..whole].chunks_exact(4).zip(ts[..whole].chunks_exact(4));
        let mut bits = 0u64;
        for (g, (u, t)) in groups.enumerate() {
            // Plain loops over the lanes (a closure or `array::from_fn` here keeps the
            // compiler from making them one vector operation each).
            let mut four = 0;
            for l in 0..4 {
                sums[l] += u[l];
            }
            for l in 0..4 {
                four |= u64::from(u[l] >= t[l]) << l;
            }
            bits |= four << (4 * g);
        }
        for r in whole..us.len() {
            rest += us[r];
            bits |= u64::from(us[r] >= ts[r]) << r;
        }
        *word = bits;
    }
    (sums.iter().sum::<f64>() + rest, mask)
}

/// The rounds in which the utility `u`, the same in every round, reaches `threshold`; built
/// as [`tally`] builds its mask.
#[inline(always)]
pub fn reaching(u: f64, threshold: &[f64]) -> Mask {
    debug_assert!(threshold.len() <= CHUNK);
    let mut mask = Mask::default();
    for (word, ts) in mask.0.iter_mut().zip(threshold.chunks(64)) {
        let whole = ts.len() - ts.len() % 4;
        let mut bits = 0u64;
        for (g, t) in ts[..whole].chunks_exact(4).enumerate() {
            let mut four = 0;
            for (l, &t) in t.iter().enumerate() {
                four |= u64::from(u >= t) << l;
            }
            bits |= four << (4 * g);
        }
        for (r, &t) in ts.iter().enumerate().skip(whole) {
            bits |= u64::from(u >= t) << r;
        }
        *word = bits;
    }
    mask
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Thresholds and utilities whose comparisons follow no pattern a word could hide.
    fn rows(len: usize) -> (Vec<f64>, Vec<f64>) {
        let u = (0..len).map(|r| ((r * 37 + 11) % 23) as f64).collect();
        let t = (0..len).map(|r| ((r * 53 + 5) % 19) as f64).collect();
        (u, t)
    }

    #[test]
    fn tally_equals_a_round_by_round_comparison_at_every_length() {
        for len in 0..=CHUNK {
            let (u, t) = rows(len);
            let (sum, mask) = tally(&u, &t);
            assert_eq!(sum, u.iter().sum::<f64>(), "len {len}");
            let want = Mask::from_fn(len, |r| u[r] >= t[r]);
            assert_eq!(mask, want, "len {len}");
            assert_eq!(
                mask.count(),
                (0..len).filter(|&r| u[r] >= t[r]).count() as u64
            );
            for r in 0..CHUNK {
                assert_eq!(mask.has(r), r < len && u[r] >= t[r], "len {len}, round {r}");
            }
        }
    }

    #[test]
    fn a_constant_utility_reaches_the_rounds_at_or_below_it() {
        for len in [0, 1, 63, 64, 65, 200, CHUNK] {
            let (_, t) = rows(len);
            for u in [-1.0, 0.0, 7.0, 18.0, 30.0] {
                assert_eq!(reaching(u, &t), Mask::from_fn(len, |r| u >= t[r]));
            }
        }
    }

    #[test]
    fn set_operations_and_counts_agree_with_rounds() {
        for len in [0, 1, 64, 100, CHUNK] {
            let all = Mask::first(len);
            assert_eq!(all.count(), len as u64);
            assert_eq!(all, Mask::from_fn(len, |_| true));
            let odd = Mask::from_fn(len, |r| r % 2 == 1);
            let thirds = Mask::from_fn(len, |r| r % 3 == 0);
            assert_eq!(odd.and(thirds), Mask::from_fn(len, |r| r % 6 == 3));
            assert_eq!(
                odd.minus(thirds),
                Mask::from_fn(len, |r| r % 2 == 1 && r % 3 != 0)
            );
            assert_eq!(all.minus(odd), Mask::from_fn(len, |r| r % 2 == 0));
        }
    }
}
