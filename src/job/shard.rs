//! Shards: contiguous slices of a run's blocks, so a cluster can play one run on many
//! machines and `merge` can add the slices' tallies into the single run's, bit for bit.

use std::ops::Range;

use serde::{Deserialize, Serialize};

use super::JobError;
use crate::sim::seed::block_count;

/// Shard `k` of `n` (1-based): the `k`-th of `n` contiguous, near-equal slices of a run's
/// blocks. Always `1 <= k <= n`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "[u64; 2]", into = "[u64; 2]")]
pub struct Shard {
    k: u64,
    n: u64,
}

impl Shard {
    /// Shard `k` of `n`; an error unless `1 <= k <= n`.
    pub fn new(k: u64, n: u64) -> Result<Shard, JobError> {
        if n == 0 || k == 0 || k > n {
            return Err(JobError::Shard { k, n });
        }
        Ok(Shard { k, n })
    }

    /// Which shard this is, from 1.
    pub fn k(self) -> u64 {
        self.k
    }

    /// How many shards the run is split into.
    pub fn n(self) -> u64 {
        self.n
    }

    /// The blocks this shard plays out of a run of `rounds` rounds; an error when the run has
    /// fewer blocks than shards (a shard would be empty).
    pub fn blocks(self, rounds: u64) -> Result<Range<u64>, JobError> {
        let total = block_count(rounds);
        if self.n > total {
            return Err(JobError::TooManyShards {
                n: self.n,
                rounds,
                blocks: total,
            });
        }
        Ok(self.slice(total))
    }

    /// The shard's slice of `total` blocks (empty when there are more shards than blocks).
    pub(crate) fn slice(self, total: u64) -> Range<u64> {
        let at = |i: u64| (total as u128 * i as u128 / self.n as u128) as u64;
        at(self.k - 1)..at(self.k)
    }
}

impl TryFrom<[u64; 2]> for Shard {
    type Error = JobError;

    fn try_from([k, n]: [u64; 2]) -> Result<Shard, JobError> {
        Shard::new(k, n)
    }
}

impl From<Shard> for [u64; 2] {
    fn from(s: Shard) -> [u64; 2] {
        [s.k, s.n]
    }
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.k, self.n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_k_from_1_to_n_is_a_shard() {
        assert!(Shard::new(1, 1).is_ok());
        assert!(Shard::new(3, 8).is_ok());
        for (k, n) in [(0, 1), (1, 0), (0, 0), (2, 1), (9, 8)] {
            assert!(Shard::new(k, n).is_err(), "{k}/{n}");
        }
        // A partial's `[1, 0]` is refused while it is read, before any arithmetic.
        assert!(serde_json::from_str::<Shard>("[1, 0]").is_err());
        assert_eq!(serde_json::from_str::<Shard>("[2, 3]").unwrap().k(), 2);
    }

    #[test]
    fn shards_tile_the_blocks() {
        for total in [1u64, 2, 7, 64, 1000] {
            for n in 1..=total.min(9) {
                let mut next = 0;
                for k in 1..=n {
                    let r = Shard::new(k, n).unwrap().slice(total);
                    assert_eq!(r.start, next, "{k}/{n} of {total}");
                    assert!(r.end > r.start, "no empty shard when n <= blocks");
                    next = r.end;
                }
                assert_eq!(next, total);
            }
        }
    }

    #[test]
    fn more_shards_than_blocks_is_an_error() {
        let s = Shard::new(1, 3).unwrap();
        assert!(s.blocks(2048).is_err());
        assert_eq!(s.blocks(3 * 1024).unwrap(), 0..1);
    }
}
