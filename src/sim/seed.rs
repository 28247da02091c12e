//! The seed contract: round `r` is position `r % BLOCK_SIZE` of block `r / BLOCK_SIZE`, and
//! block `b` draws from ChaCha8 seeded with the master seed on stream `b`. Changing either
//! constant changes every result, so both are fixed.

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

/// Rounds per block: the unit of parallel work, of determinism and of sharding.
pub const BLOCK_SIZE: u64 = 1024;

/// The random stream of block `block` under master seed `seed`.
pub fn block_rng(seed: u64, block: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(block);
    rng
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
    use rand::Rng;

    #[test]
    fn streams_differ_and_repeat() {
        let a: Vec<u64> = (0..4)
            .map(|_| 0)
            .scan(block_rng(7, 0), |r, _: u64| Some(r.next_u64()))
            .collect();
        let b: Vec<u64> = (0..4)
            .map(|_| 0)
            .scan(block_rng(7, 0), |r, _: u64| Some(r.next_u64()))
            .collect();
        let c: Vec<u64> = (0..4)
            .map(|_| 0)
            .scan(block_rng(7, 1), |r, _: u64| Some(r.next_u64()))
            .collect();
        assert_eq!(a, b);
        assert_ne!(a, c);
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
