//! Loops over a block of draws, four lanes wide where the CPU allows.
//!
//! The build targets baseline x86-64, whose vectors (SSE2) hold two f64. Most CPUs in use
//! have AVX2, whose vectors hold four; the loops here are compiled both ways and the CPU's
//! choice is made at run time. The results are the same bits either way: AVX2's add,
//! multiply, divide, square root, min and max round as SSE2's do, FMA is not enabled, and
//! Rust never fuses a multiply and an add on its own. `ACCORD_SIMD=off` forces the
//! two-lane code, which lets a test compare the two.

/// Writes `f(x)` for each of `xs` into `out` (as long).
///
/// Give `f` its captures by value (`move`): a closure holding references makes the loop
/// reload what they point to in every round, since the compiler cannot rule out that
/// `out` overlaps it, and then the loop does not vectorise.
#[inline(always)]
pub fn map_into<A: Copy, B>(xs: &[A], out: &mut [B], f: impl Fn(A) -> B) {
    run(MapInto { xs, out, f })
}

/// [`map_into`] in place (the same advice on captures).
#[inline(always)]
pub fn map_in_place(xs: &mut [f64], f: impl Fn(f64) -> f64) {
    run(MapInPlace { xs, f })
}

/// `if c { x } else { y }` by bit masks: the same value, but it stays a select in vector
/// code, where the compiler may otherwise turn a pair of such choices into a branch, which
/// keeps a loop from vectorising.
#[inline(always)]
pub fn select(c: bool, x: f64, y: f64) -> f64 {
    let mask = (c as u64).wrapping_neg();
    f64::from_bits((x.to_bits() & mask) | (y.to_bits() & !mask))
}

/// Whether the four-lane code runs: the CPU has AVX2, and `ACCORD_SIMD` is not `off`.
/// Read once.
#[cfg(target_arch = "x86_64")]
pub(crate) fn avx2() -> bool {
    static ON: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *ON.get_or_init(|| {
        std::env::var_os("ACCORD_SIMD").is_none_or(|v| v != "off")
            && std::arch::is_x86_feature_detected!("avx2")
    })
}

/// Work to compile twice: its loops, and everything inlined into them. Implementations mark
/// `run` `#[inline(always)]`, which a closure cannot be: a closure is compiled apart,
/// without AVX2, unless the compiler finds it small enough to inline, and a loop over a
/// polynomial is not. Closures *inside* `run` that hold loops are best avoided for the same
/// reason.
pub trait Kernel {
    /// Does the work.
    fn run(self);
}

/// Runs `kernel`, four lanes wide where the CPU allows.
#[inline(always)]
pub fn run(kernel: impl Kernel) {
    #[cfg(target_arch = "x86_64")]
    if avx2() {
        // SAFETY: `avx2` checked that the CPU has AVX2.
        return unsafe { run_avx2(kernel) };
    }
    kernel.run()
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn run_avx2(kernel: impl Kernel) {
    kernel.run()
}

struct MapInto<'a, A, B, F> {
    xs: &'a [A],
    out: &'a mut [B],
    f: F,
}

impl<A: Copy, B, F: Fn(A) -> B> Kernel for MapInto<'_, A, B, F> {
    #[inline(always)]
    fn run(self) {
        for (o, &x) in self.out.iter_mut().zip(self.xs) {
            *o = (self.f)(x);
        }
    }
}

struct MapInPlace<'a, F> {
    xs: &'a mut [f64],
    f: F,
}

impl<F: Fn(f64) -> f64> Kernel for MapInPlace<'_, F> {
    #[inline(always)]
    fn run(self) {
        for x in self.xs {
            *x = (self.f)(*x);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn select_picks_the_same_bits_as_if() {
        let values = [
            0.0,
            -0.0,
            1.5,
            -2.0,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NAN,
        ];
        for &x in &values {
            for &y in &values {
                for c in [true, false] {
                    let want = if c { x } else { y };
                    assert_eq!(select(c, x, y).to_bits(), want.to_bits(), "{c} {x} {y}");
                }
            }
        }
    }

    #[test]
    fn maps_write_every_element() {
        let xs: Vec<f64> = (0..37).map(f64::from).collect();
        let mut out = vec![0.0; 37];
        map_into(&xs, &mut out, |x| x * 2.0 + 1.0);
        assert!(out.iter().zip(&xs).all(|(o, x)| *o == x * 2.0 + 1.0));
        map_in_place(&mut out, |x| x - 1.0);
        assert!(out.iter().zip(&xs).all(|(o, x)| *o == x * 2.0));
    }
}
