//! The seed contract: round `r` is position `r % BLOCK_SIZE` of block `r / BLOCK_SIZE`, and
//! block `b` draws from the stream keyed by the master seed and `b` ([`Stream::new`]:
//! xoshiro256++ in four interleaved lanes). Changing either constant, the generator or the
//! order in which a block takes its draws (see `world`) changes every result: such a change
//! raises [`SEED_CONTRACT`], which partial results record, so shards of different contracts
//! are never merged.

use crate::numeric::stream::Stream;

/// The version of the seed contract. 1: ChaCha8 streams and one draw at a time (accord
/// before December 2026). 2: four-lane xoshiro256++ streams, normals by a batched ziggurat,
/// a correlation group's normals drawn normal by normal.
pub const SEED_CONTRACT: u32 = 2;

/// Rounds per block: the unit of parallel work, of determinism and of sharding.
pub const BLOCK_SIZE: u64 = 1024;

/// The random stream of block `block` under master seed `seed`.
pub fn block_rng(seed: u64, block: u64) -> Stream {
    Stream::new(seed, block)
}

/// Number of blocks needed for `rounds` rounds.
pub fn block_count(rounds: u64) -> u64 {
    rounds.div_ceil(BLOCK_SIZE)
}

/// The rounds block `block` plays when a run has `rounds` in all (the last may be short).
pub fn rounds_in_block(rounds: u64, block: u64) -> u64 {
    rounds.saturating_sub(block * BLOCK_SIZE).min(BLOCK_SIZE)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_differ_and_repeat() {
        let words = |seed, block| {
            let mut s = block_rng(seed, block);
            (0..4).map(|_| s.word()).collect::<Vec<u64>>()
        };
        assert_eq!(words(7, 0), words(7, 0));
        assert_ne!(words(7, 0), words(7, 1));
        assert_ne!(words(7, 0), words(8, 0));
    }

    #[test]
    fn blocks_cover_rounds() {
        assert_eq!(block_count(1), 1);
        assert_eq!(block_count(1024), 1);
        assert_eq!(block_count(1025), 2);
        assert_eq!(rounds_in_block(1025, 1), 1);
        assert_eq!(rounds_in_block(1025, 0), 1024);
        let total: u64 = (0..block_count(5000))
            .map(|b| rounds_in_block(5000, b))
            .sum();
        assert_eq!(total, 5000);
    }
}
