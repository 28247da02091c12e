//! The random stream under every draw: xoshiro256++ in four interleaved lanes, read in bulk.
//!
//! Four independent xoshiro256++ generators (Blackman and Vigna, 2019) step together; the
//! stream is their outputs in lane order, step after step: lane 0, 1, 2, 3 of step 0, then of
//! step 1, and so on. Stepping four lanes at once is what lets the CPU's vector unit produce
//! the stream (four 64-bit lanes under AVX2): a word costs well under a nanosecond, against
//! about one and a half for ChaCha8, the generator of seed contract 1. The lanes are integer
//! arithmetic (adds, shifts, xors), so the vector and scalar code give the same words on
//! every CPU.
//!
//! A stream is keyed by two numbers (the master seed and the block, see
//! `sim::seed`): SplitMix64 turns them into the 16 state words. xoshiro256++ passes the
//! BigCrush and PractRand batteries; with 2²⁵⁶ − 1 states, streams started from hashed keys
//! do not overlap in any run that could be played.

use std::convert::Infallible;

use rand::TryRng;

#[cfg(target_arch = "x86_64")]
use super::lanes::avx2;

/// Generators stepped together.
const LANES: usize = 4;

/// 2⁻⁵³: a 53-bit integer times this is a float in `[0, 1)`.
const TWO_TO_MINUS_53: f64 = 1.0 / (1u64 << 53) as f64;

/// Words drawn at a time by the bulk readers (on the stack).
pub const BATCH: usize = 64;

/// One keyed random stream: four xoshiro256++ lanes and the words of the last step not yet
/// read.
#[derive(Debug, Clone)]
pub struct Stream {
    /// State word `w` of lane `l` at `state[w][l]`.
    state: [[u64; LANES]; 4],
    /// The last step's outputs; `buffer[next..]` are still to be read.
    buffer: [u64; LANES],
    next: usize,
}

/// SplitMix64's output function (Steele, Lea and Flood, 2014): a bijection of 64-bit words
/// that spreads every input bit over the output.
#[inline]
fn mix(z: u64) -> u64 {
    let z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    let z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// SplitMix64's increment (the golden ratio in 64 bits).
const GOLDEN: u64 = 0x9E37_79B9_7F4A_7C15;

impl Stream {
    /// The stream keyed by `key` and `index`: the 16 state words are the SplitMix64 sequence
    /// started from `mix(key) + mix(index + GOLDEN)`, lane by lane within each state word
    /// (an output function that is a bijection, on distinct counters, never gives a lane four
    /// zero words, the one state xoshiro cannot leave).
    pub fn new(key: u64, index: u64) -> Self {
        let mut counter = mix(key).wrapping_add(mix(index.wrapping_add(GOLDEN)));
        let mut state = [[0; LANES]; 4];
        for word in &mut state {
            for lane in word.iter_mut() {
                counter = counter.wrapping_add(GOLDEN);
                *lane = mix(counter);
            }
        }
        Stream {
            state,
            buffer: [0; LANES],
            next: LANES,
        }
    }

    /// Steps every lane once and returns their outputs (the scalar code).
    #[inline(always)]
    fn step(state: &mut [[u64; LANES]; 4]) -> [u64; LANES] {
        let [s0, s1, s2, s3] = state;
        let mut out = [0; LANES];
        for l in 0..LANES {
            out[l] = s0[l]
                .wrapping_add(s3[l])
                .rotate_left(23)
                .wrapping_add(s0[l]);
            let t = s1[l] << 17;
            s2[l] ^= s0[l];
            s3[l] ^= s1[l];
            s1[l] ^= s2[l];
            s0[l] ^= s3[l];
            s2[l] ^= t;
            s3[l] = s3[l].rotate_left(45);
        }
        out
    }

    /// The next word of the stream.
    #[inline]
    pub fn word(&mut self) -> u64 {
        if self.next == LANES {
            self.buffer = Self::step(&mut self.state);
            self.next = 0;
        }
        let w = self.buffer[self.next];
        self.next += 1;
        w
    }

    /// Fills `out` with the next words of the stream, whole steps in vector code.
    pub fn words(&mut self, out: &mut [u64]) {
        let mut i = 0;
        while self.next < LANES && i < out.len() {
            out[i] = self.buffer[self.next];
            self.next += 1;
            i += 1;
        }
        let rest = &mut out[i..];
        let whole = rest.len() / LANES * LANES;
        let (steps, tail) = rest.split_at_mut(whole);
        steps_into(&mut self.state, steps);
        for o in tail {
            *o = self.word();
        }
    }

    /// A uniform draw on `[0, 1)`: the top 53 bits of the next word, scaled.
    #[inline]
    pub fn uniform(&mut self) -> f64 {
        (self.word() >> 11) as f64 * TWO_TO_MINUS_53
    }

    /// Fills `out` with uniform draws on `[0, 1)`: [`Stream::uniform`] of successive words.
    pub fn uniforms(&mut self, out: &mut [f64]) {
        let mut words = [0u64; BATCH];
        for chunk in out.chunks_mut(BATCH) {
            let words = &mut words[..chunk.len()];
            self.words(words);
            super::lanes::map_into(words, chunk, |w| top_53_bits_as_float(w) * TWO_TO_MINUS_53);
        }
    }
}

/// `(bits >> 11) as f64`, exactly, without the integer conversion that has no vector form
/// before AVX-512: the 53 bits in two halves, each below 2⁵² and so turned into a float by
/// placing it in the mantissa of 2⁵², and their exact sum.
#[inline(always)]
pub fn top_53_bits_as_float(bits: u64) -> f64 {
    const TWO_52: u64 = 0x4330_0000_0000_0000;
    let x = bits >> 11;
    let high = f64::from_bits((x >> 26) | TWO_52) - 4_503_599_627_370_496.0;
    let low = f64::from_bits((x & ((1 << 26) - 1)) | TWO_52) - 4_503_599_627_370_496.0;
    high * (1u64 << 26) as f64 + low
}

/// Steps the lanes `out.len() / 4` times (a multiple of 4), writing their outputs in order.
fn steps_into(state: &mut [[u64; LANES]; 4], out: &mut [u64]) {
    #[cfg(target_arch = "x86_64")]
    if avx2() {
        // SAFETY: `avx2` checked that the CPU has AVX2.
        return unsafe { steps_avx2(state, out) };
    }
    for chunk in out.chunks_exact_mut(LANES) {
        chunk.copy_from_slice(&Stream::step(state));
    }
}

/// [`Stream::step`] on all four lanes in one 256-bit register per state word.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn steps_avx2(state: &mut [[u64; LANES]; 4], out: &mut [u64]) {
    use std::arch::x86_64::*;
    // SAFETY: unaligned loads and stores of 32 bytes from arrays of four u64.
    unsafe {
        let load = |w: &[u64; LANES]| _mm256_loadu_si256(w.as_ptr().cast());
        let (mut s0, mut s1) = (load(&state[0]), load(&state[1]));
        let (mut s2, mut s3) = (load(&state[2]), load(&state[3]));
        for chunk in out.chunks_exact_mut(LANES) {
            let sum = _mm256_add_epi64(s0, s3);
            let rotated =
                _mm256_or_si256(_mm256_slli_epi64::<23>(sum), _mm256_srli_epi64::<41>(sum));
            let result = _mm256_add_epi64(rotated, s0);
            let t = _mm256_slli_epi64::<17>(s1);
            s2 = _mm256_xor_si256(s2, s0);
            s3 = _mm256_xor_si256(s3, s1);
            s1 = _mm256_xor_si256(s1, s2);
            s0 = _mm256_xor_si256(s0, s3);
            s2 = _mm256_xor_si256(s2, t);
            s3 = _mm256_or_si256(_mm256_slli_epi64::<45>(s3), _mm256_srli_epi64::<19>(s3));
            _mm256_storeu_si256(chunk.as_mut_ptr().cast(), result);
        }
        for (w, s) in state.iter_mut().zip([s0, s1, s2, s3]) {
            _mm256_storeu_si256(w.as_mut_ptr().cast(), s);
        }
    }
}

/// For the `rand` ecosystem's samplers (the beta distribution): the same words.
impl TryRng for Stream {
    type Error = Infallible;

    fn try_next_u32(&mut self) -> Result<u32, Infallible> {
        Ok((self.word() >> 32) as u32)
    }

    fn try_next_u64(&mut self) -> Result<u64, Infallible> {
        Ok(self.word())
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Infallible> {
        for chunk in dst.chunks_mut(8) {
            let bytes = self.word().to_le_bytes();
            chunk.copy_from_slice(&bytes[..chunk.len()]);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// xoshiro256++ as its authors publish it, one generator.
    struct Reference([u64; 4]);

    impl Reference {
        fn next(&mut self) -> u64 {
            let s = &mut self.0;
            let result = s[0].wrapping_add(s[3]).rotate_left(23).wrapping_add(s[0]);
            let t = s[1] << 17;
            s[2] ^= s[0];
            s[3] ^= s[1];
            s[1] ^= s[2];
            s[0] ^= s[3];
            s[2] ^= t;
            s[3] = s[3].rotate_left(45);
            result
        }
    }

    #[test]
    fn the_stream_is_four_reference_generators_interleaved() {
        let stream = Stream::new(2025, 7);
        let mut lanes: Vec<Reference> = (0..LANES)
            .map(|l| Reference(std::array::from_fn(|w| stream.state[w][l])))
            .collect();
        let want: Vec<u64> = (0..1000).map(|i| lanes[i % LANES].next()).collect();
        let mut scalar = stream.clone();
        let one_by_one: Vec<u64> = (0..1000).map(|_| scalar.word()).collect();
        assert_eq!(one_by_one, want);
        // Bulk reads of every length, starting mid-step, are the same words.
        let mut bulk = stream.clone();
        let mut got = Vec::new();
        for len in [3, 1, 8, 0, 13, 64, 411, 500] {
            let mut out = vec![0; len];
            bulk.words(&mut out);
            got.extend(out);
        }
        assert_eq!(got, want[..got.len()]);
    }

    #[test]
    fn the_vector_and_scalar_steps_agree() {
        let mut a = Stream::new(1, 0);
        let mut b = a.clone();
        let mut vector = vec![0; 4096];
        steps_into(&mut a.state, &mut vector);
        let scalar: Vec<u64> = (0..1024).flat_map(|_| Stream::step(&mut b.state)).collect();
        assert_eq!(vector, scalar);
        assert_eq!(a.state, b.state);
    }

    #[test]
    fn keys_and_indices_give_different_streams() {
        let first = |k, i| Stream::new(k, i).word();
        let mut seen = std::collections::HashSet::new();
        for k in 0..64 {
            for i in 0..64 {
                assert!(seen.insert(first(k, i)), "key {k}, index {i}");
            }
        }
    }

    #[test]
    fn uniforms_are_the_top_53_bits() {
        let mut a = Stream::new(3, 1);
        let _ = a.word();
        let mut b = a.clone();
        let mut bulk = vec![0.0; 1000];
        a.uniforms(&mut bulk);
        let one_by_one: Vec<f64> = (0..1000).map(|_| b.uniform()).collect();
        assert_eq!(bulk, one_by_one);
        assert_eq!(a.word(), b.word(), "both read the same words");
        let edges = [
            0,
            1,
            1 << 11,
            (1 << 37) - 1,
            1 << 37,
            u64::MAX - 1,
            u64::MAX,
        ];
        let random = (0..10_000).map(|_| a.word());
        for bits in edges.into_iter().chain(random) {
            assert_eq!(top_53_bits_as_float(bits), (bits >> 11) as f64, "{bits:#x}");
        }
    }
}
