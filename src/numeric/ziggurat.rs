//! Standard normal draws in bulk: Marsaglia and Tsang's ziggurat (2000), 256 layers, its fast
//! path run over a batch of words at once.
//!
//! The density e^(−x²/2) under the curve is covered by 256 layers of equal area `V`: layer 0
//! a rectangle of width `X[0] = V / f(R)` (the base strip, whose part beyond `R` stands for
//! the tail), layer `i ≥ 1` the rectangle from `X[i+1]` up to `X[i]` in `y`, of width `X[i]`.
//! One 64-bit word picks a layer (its low 8 bits), a sign (bit 8) and a position `u ∈ [0, 1)`
//! (its top 52 bits): `x = u · X[i]` lies under the curve for sure when `x < X[i+1]`, which
//! holds for 99% of words. Those need nothing else — no branch in the loop, so it runs
//! without mispredictions over a whole batch. The rest (a wedge, or the tail) finish one at a
//! time, in order, from the words that follow the batch: the wedge test draws a uniform
//! height and, when it fails, starts a fresh attempt; the tail is Marsaglia's exponential
//! method beyond `R`. Each draw is the first accepted attempt of its own, so the draws are
//! independent standard normals (exactly: the ziggurat is a rejection sampler).
//!
//! The layers are computed once, with this crate's `exp` and `ln` (ordinary float arithmetic,
//! the same bits on every CPU) and correctly rounded square roots.

use std::sync::OnceLock;

use super::fastmath::{exp, ln};
use super::stream::{BATCH, Stream};

/// Layers of the ziggurat.
const LAYERS: usize = 256;

/// Where the tail begins, and the area of each layer (Marsaglia and Tsang's constants for
/// 256 layers).
const R: f64 = 3.654_152_885_361_009;
const V: f64 = 0.004_928_673_233_99;

/// The ziggurat's layer edges `x` and the density `f` at them, `LAYERS + 1` each.
struct Layers {
    x: [f64; LAYERS + 1],
    f: [f64; LAYERS + 1],
}

/// The unnormalised density.
fn density(x: f64) -> f64 {
    exp(-0.5 * x * x)
}

/// The layers, computed on first use.
fn layers() -> &'static Layers {
    static TABLES: OnceLock<Layers> = OnceLock::new();
    TABLES.get_or_init(|| {
        let mut x = [0.0; LAYERS + 1];
        x[0] = V / density(R);
        x[1] = R;
        // Each layer has area V: X[i] · (f(X[i+1]) − f(X[i])) = V. The top edge is 0.
        for i in 1..LAYERS - 1 {
            x[i + 1] = (-2.0 * ln(V / x[i] + density(x[i]))).sqrt();
        }
        x[LAYERS] = 0.0;
        let f = x.map(density);
        Layers { x, f }
    })
}

/// A word's layer, sign (as the sign bit) and candidate `u · X[layer]`.
#[inline(always)]
fn candidate(layers: &Layers, word: u64) -> (usize, u64, f64) {
    let layer = (word & 0xff) as usize;
    let sign = (word << 55) & (1 << 63);
    let u = f64::from_bits((word >> 12) | 0x3FF0_0000_0000_0000) - 1.0;
    (layer, sign, u * layers.x[layer])
}

/// `x` with its sign bit set from `sign`.
#[inline(always)]
fn signed(x: f64, sign: u64) -> f64 {
    f64::from_bits(x.to_bits() | sign)
}

/// A uniform on `(0, 1]`, for logarithms.
#[inline]
fn positive_uniform(stream: &mut Stream) -> f64 {
    1.0 - stream.uniform()
}

/// Finishes the attempt that `word` began (its candidate was not surely under the curve),
/// starting fresh attempts from the stream until one is accepted.
#[cold]
fn finish(layers: &Layers, mut word: u64, stream: &mut Stream) -> f64 {
    loop {
        let (i, sign, x) = candidate(layers, word);
        if x < layers.x[i + 1] {
            return signed(x, sign);
        }
        if i == 0 {
            // The tail beyond R (Marsaglia, 1964).
            loop {
                let a = -ln(positive_uniform(stream)) / R;
                let b = -ln(positive_uniform(stream));
                if b + b >= a * a {
                    return signed(R + a, sign);
                }
            }
        }
        // The wedge between the rectangle's inner edge and the curve.
        let height = layers.f[i] + stream.uniform() * (layers.f[i + 1] - layers.f[i]);
        if height < density(x) {
            return signed(x, sign);
        }
        word = stream.word();
    }
}

/// One standard normal: an attempt from the next word, finished if need be.
pub fn normal(stream: &mut Stream) -> f64 {
    let layers = layers();
    finish(layers, stream.word(), stream)
}

/// Fills `out` with standard normals. Batches of [`BATCH`] draws: each takes the next
/// [`BATCH`] words (fewer for a last, short batch), one per draw in order; the draws whose
/// word is not surely under the curve are then finished in order ([`normal`]'s way), from
/// the words after the batch's.
pub fn normals(stream: &mut Stream, out: &mut [f64]) {
    let layers = layers();
    let mut words = [0u64; BATCH];
    for chunk in out.chunks_mut(BATCH) {
        let words = &mut words[..chunk.len()];
        stream.words(words);
        let mut unsure = 0u64;
        for (k, (o, &w)) in chunk.iter_mut().zip(words.iter()).enumerate() {
            let (i, sign, x) = candidate(layers, w);
            unsure |= u64::from(x >= layers.x[i + 1]) << k;
            *o = signed(x, sign);
        }
        while unsure != 0 {
            let k = unsure.trailing_zeros() as usize;
            unsure &= unsure - 1;
            chunk[k] = finish(layers, words[k], stream);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::numeric::testing::{ks_critical, ks_distance};
    use statrs::distribution::{ContinuousCDF, Normal};

    #[test]
    fn the_layers_have_equal_areas_and_shrink() {
        let l = layers();
        for i in 1..LAYERS - 1 {
            assert!(l.x[i + 1] < l.x[i], "layer {i}");
            let area = l.x[i] * (l.f[i + 1] - l.f[i]);
            assert!((area - V).abs() < 1e-12 * V, "layer {i}: {area}");
        }
        // The base strip: the rectangle to R plus the tail beyond it, V in all.
        let tail = (std::f64::consts::PI / 2.0).sqrt() * erfc(R / 2f64.sqrt());
        assert!((R * density(R) + tail - V).abs() < 1e-9 * V);
        // The top layer closes at 0 with (nearly) the same area.
        let top = l.x[LAYERS - 1] * (1.0 - l.f[LAYERS - 1]);
        assert!((top - V).abs() < 1e-6 * V, "{top}");
    }

    /// erfc through statrs's normal CDF (a reference for the test only).
    fn erfc(z: f64) -> f64 {
        2.0 * Normal::standard().cdf(-z * 2f64.sqrt())
    }

    #[test]
    fn bulk_draws_are_one_by_one_draws_batch_by_batch() {
        // The batch rule: a batch's fast draws from its own words, the unsure ones then in
        // order from the words after it — the same as finishing each draw one at a time
        // when no draw in the batch was unsure, which this checks through the stream.
        let mut a = Stream::new(11, 4);
        let mut b = a.clone();
        let mut bulk = vec![0.0; 1000];
        normals(&mut a, &mut bulk);
        let layers = layers();
        let mut want = Vec::new();
        for len in (0..1000).step_by(BATCH).map(|s| (1000 - s).min(BATCH)) {
            let mut words = vec![0; len];
            b.words(&mut words);
            let mut batch: Vec<f64> = words
                .iter()
                .map(|&w| {
                    let (i, sign, x) = candidate(layers, w);
                    if x < layers.x[i + 1] {
                        signed(x, sign)
                    } else {
                        f64::NAN
                    }
                })
                .collect();
            for k in 0..len {
                if batch[k].is_nan() {
                    batch[k] = finish(layers, words[k], &mut b);
                }
            }
            want.extend(batch);
        }
        assert_eq!(
            bulk.iter().map(|x| x.to_bits()).collect::<Vec<_>>(),
            want.iter().map(|x| x.to_bits()).collect::<Vec<_>>()
        );
        assert_eq!(a.word(), b.word());
    }

    #[test]
    fn draws_follow_the_standard_normal() {
        // Kolmogorov–Smirnov on 10⁶ draws (the critical value at p = 10⁻⁶ is about 2.7/√n),
        // and the share beyond R (the tail path) against its probability.
        let n = 1_000_000;
        let mut stream = Stream::new(2025, 0);
        let mut xs = vec![0.0; n];
        normals(&mut stream, &mut xs);
        let tail = xs.iter().filter(|x| x.abs() > R).count() as f64 / n as f64;
        let normal = Normal::standard();
        let d = ks_distance(&mut xs, |x| normal.cdf(x));
        assert!(d < ks_critical(n), "KS distance {d}");
        let p = 2.0 * normal.cdf(-R);
        let sd = (p * (1.0 - p) / n as f64).sqrt();
        assert!((tail - p).abs() < 5.0 * sd, "tail share {tail} against {p}");
        let mean = xs.iter().sum::<f64>() / n as f64;
        assert!(mean.abs() < 5.0 / (n as f64).sqrt(), "mean {mean}");
    }

    #[test]
    fn scalar_draws_follow_the_standard_normal_too() {
        let n = 200_000;
        let mut stream = Stream::new(7, 3);
        let xs: Vec<f64> = (0..n).map(|_| normal(&mut stream)).collect();
        let mean = xs.iter().sum::<f64>() / n as f64;
        let var = xs.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / n as f64;
        assert!(mean.abs() < 5.0 / (n as f64).sqrt(), "mean {mean}");
        // The variance of a sample variance of normals is 2/n.
        assert!(
            (var - 1.0).abs() < 5.0 * (2.0 / n as f64).sqrt(),
            "variance {var}"
        );
    }
}
