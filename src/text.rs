//! How numbers and names read in messages and reports: thousands separators, plurals and
//! counts, decimals without float noise ([`clean`], [`decimal`], [`Num`]), and user text with
//! its control characters escaped, so a scenario cannot drive the terminal that shows it.

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

/// A p-value after `p`: `= 0.042`, or `< 0.001` when three decimals would read 0.
pub fn p_value(p: f64) -> String {
    if p < 0.001 {
        "< 0.001".into()
    } else {
        format!("= {p:.3}")
    }
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

/// A number as messages show it, for format strings: [`decimal`] (`1e300`, not 300 digits).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Num(pub f64);

impl std::fmt::Display for Num {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&decimal(self.0))
    }
}

/// Whether `c` must not reach a terminal raw: C0 controls other than line feed and tab, a
/// carriage return not followed by a line feed is handled by the callers, DEL, and the C1
/// controls (U+0080–U+009F; U+009B acts as an escape sequence introducer on some terminals).
fn is_unsafe(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t') || matches!(c, '\u{2028}' | '\u{2029}')
}

/// `s` with every unsafe control character written as an escape (`\x1b`, `\r`, `\u{9b}`);
/// line feeds and tabs are kept. Borrowed when there is nothing to escape.
pub fn escape_controls(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(is_unsafe) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\r' => out.push_str("\\r"),
            c if is_unsafe(c) && (c as u32) < 0x80 => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            c if is_unsafe(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

/// `n` and its noun, singular for 1: `1 step`, `3 steps`.
pub fn count(n: impl Into<f64>, one: &str, many: &str) -> String {
    let n = n.into();
    format!("{n} {}", if n == 1.0 { one } else { many })
}

/// The picture that stands for an unsafe character in quoted source: the Unicode control
/// pictures for C0 and DEL (␛ for ESC), the replacement character otherwise.
fn picture(c: char) -> char {
    match c as u32 {
        n @ 0..=0x1f => char::from_u32(0x2400 + n).unwrap_or('\u{fffd}'),
        0x7f => '\u{2421}',
        _ => '\u{fffd}',
    }
}

/// Source text to quote under a diagnostic, with unsafe characters replaced by pictures
/// (a carriage return before a line feed is kept, so CRLF files read as usual), and `span`
/// moved to the same text in the result.
pub fn escape_source(
    source: &str,
    span: Option<std::ops::Range<usize>>,
) -> (String, Option<std::ops::Range<usize>>) {
    let unsafe_at = |i: usize, c: char| {
        is_unsafe(c) && !(c == '\r' && source.as_bytes().get(i + 1) == Some(&b'\n'))
    };
    if !source.char_indices().any(|(i, c)| unsafe_at(i, c)) {
        return (source.to_string(), span);
    }
    let mut out = String::with_capacity(source.len() + 16);
    // The output offset of every input byte offset that starts a character, and of the end.
    let map = |i: usize,
               out: &String,
               at: &mut Option<std::ops::Range<usize>>,
               orig: &std::ops::Range<usize>| {
        if let Some(r) = at.as_mut() {
            if orig.start == i {
                r.start = out.len();
            }
            if orig.end == i {
                r.end = out.len();
            }
        }
    };
    let orig = span.clone().unwrap_or(usize::MAX..usize::MAX);
    let mut moved = span;
    for (i, c) in source.char_indices() {
        map(i, &out, &mut moved, &orig);
        out.push(if unsafe_at(i, c) { picture(c) } else { c });
    }
    map(source.len(), &out, &mut moved, &orig);
    (out, moved)
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
    fn controls_are_escaped_and_the_rest_kept() {
        assert_eq!(escape_controls("plain é\n\tx"), "plain é\n\tx");
        assert_eq!(
            escape_controls("a\u{1b}[31mred\u{7}\r\u{9b}"),
            "a\\x1b[31mred\\x07\\r\\u{9b}"
        );
    }

    #[test]
    fn quoted_source_keeps_spans_on_the_same_text() {
        let src = "name = \"\u{1b}[2J\"\r\nx = 1\n";
        let at = src.find("x = 1").unwrap();
        let (shown, span) = escape_source(src, Some(at..at + 5));
        assert!(
            !shown.contains('\u{1b}') && shown.contains('\u{241b}'),
            "{shown}"
        );
        assert!(shown.contains("\r\n"));
        assert_eq!(&shown[span.unwrap()], "x = 1");
    }

    #[test]
    fn numbers_in_messages_are_compact_and_exact() {
        for (x, text) in [
            (0.1, "0.1"),
            (-2.5, "-2.5"),
            (0.0, "0"),
            (200_000.0, "200000"),
            (1e300, "1e300"),
            (-1.5e-7, "-1.5e-7"),
            (f64::NAN, "NaN"),
            (f64::NEG_INFINITY, "-inf"),
        ] {
            assert_eq!(Num(x).to_string(), text);
        }
        for x in [
            1e15,
            123456789.123,
            1e-4,
            3.3e-5,
            f64::MAX,
            f64::MIN_POSITIVE,
        ] {
            assert_eq!(Num(x).to_string().parse::<f64>().unwrap(), x);
        }
    }
}
