//! How numbers and names read in messages and reports: thousands separators, plurals,
//! decimals without float noise, and user text with its control characters escaped.

/// `1234567` → `1,234,567`.
pub fn thousands(n: impl Into<i128>) -> String {
    let n: i128 = n.into();
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `one` when `n` is 1, else `many`.
pub fn plural<'a>(n: impl Into<u128>, one: &'a str, many: &'a str) -> &'a str {
    if n.into() == 1 { one } else { many }
}

/// Significant decimal digits kept by [`clean`]: more than any estimate in accord carries
/// (a probability from 10¹² rounds needs 12), fewer than the 15–17 where the binary rounding
/// of decimal inputs shows (`0.1 + 0.2 = 0.30000000000000004`).
pub const SIGNIFICANT: i32 = 12;

/// `x` rounded to [`SIGNIFICANT`] significant digits, so that printing it with Rust's
/// shortest round-trip formatting gives no float noise: `0.30000000000000004` → `0.3`,
/// `0.9999999999999999` → `1`. Integers, magnitudes from 10¹⁵ up or below 10⁻²⁰⁰ (no
/// decimal input makes noise there; scaling them would add some) and non-finite values are
/// unchanged.
pub fn clean(x: f64) -> f64 {
    if !x.is_finite() || x == x.trunc() || x.abs() >= 1e15 || x.abs() < 1e-200 {
        return x;
    }
    let magnitude = x.abs().log10().floor() as i32;
    let shift = SIGNIFICANT - 1 - magnitude;
    // Scale by an exact power of ten on the side that keeps it an integer-valued float.
    let rounded = if shift >= 0 {
        let f = 10f64.powi(shift);
        (x * f).round() / f
    } else {
        let f = 10f64.powi(-shift);
        (x / f).round() * f
    };
    if rounded.is_finite() { rounded } else { x }
}

/// `x` for a message or a table cell: [`clean`], then the shortest form that reads back as
/// it — plain decimals from 10⁻⁴ to below 10¹⁵, scientific notation outside.
pub fn decimal(x: f64) -> String {
    let x = clean(x);
    if x != 0.0 && x.is_finite() && (x.abs() < 1e-4 || x.abs() >= 1e15) {
        format!("{x:e}")
    } else {
        format!("{x}")
    }
}

/// User text (a name, a value) with control characters shown as escapes, so a scenario
/// cannot move the cursor or recolour a terminal: `a\u{1b}[31m` → `a\u{1b}[31m` literally.
pub fn escape(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(char::is_control) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// A serde_json error's message without the " at line L column C" it appends (the caller
/// says where, its own way).
pub fn without_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_are_grouped() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(-800_000), "-800,000");
        assert_eq!(thousands(u64::MAX), "18,446,744,073,709,551,615");
    }

    #[test]
    fn plurals_agree_with_their_count() {
        assert_eq!(plural(1u64, "block", "blocks"), "block");
        assert_eq!(plural(0u64, "block", "blocks"), "blocks");
        assert_eq!(plural(2u64, "party", "parties"), "parties");
    }

    #[test]
    fn float_noise_is_removed_and_nothing_else() {
        assert_eq!(clean(0.1 + 0.2).to_string(), "0.3");
        assert_eq!(clean(0.9999999999999999).to_string(), "1");
        assert_eq!(clean(1.0 - 1e-13).to_string(), "1");
        assert_eq!(clean(70000.00000000001).to_string(), "70000");
        assert_eq!(clean(0.795123).to_string(), "0.795123");
        assert_eq!(
            clean(3.841458820694124e-5).to_string(),
            "0.0000384145882069"
        );
        assert_eq!(clean(-2.5), -2.5);
        assert_eq!(clean(1e300), 1e300);
        assert_eq!(clean(123_456_789_012_345.6), 123_456_789_012_000.0);
        assert!(clean(f64::NAN).is_nan());
        assert_eq!(clean(f64::INFINITY), f64::INFINITY);
        // A probability k/n from 10¹² rounds keeps every digit it has.
        let p = 123_456_789_011.0 / 1e12;
        assert_eq!(clean(p), p);
    }

    #[test]
    fn decimals_read_plainly() {
        assert_eq!(decimal(0.1 + 0.2), "0.3");
        assert_eq!(decimal(800_000.0), "800000");
        assert_eq!(decimal(1e300), "1e300");
        assert_eq!(decimal(2.5e-7), "2.5e-7");
        assert_eq!(decimal(0.0), "0");
    }

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(escape("plain name"), "plain name");
        assert_eq!(escape("red\u{1b}[31m"), "red\\u{1b}[31m");
        assert_eq!(escape("a\nb\tc"), "a\\nb\\tc");
        assert_eq!(escape("Київ"), "Київ");
    }
}
