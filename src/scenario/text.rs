//! Text shown to the user in messages: control characters escaped, so that a scenario (or a
//! GENIUS file) cannot drive the terminal that shows its diagnostics or `accord check`.

use std::borrow::Cow;
use std::ops::Range;

/// Whether `c` must not reach a terminal raw: C0 controls other than line feed and tab, a
/// carriage return not followed by a line feed is handled by the callers, DEL, and the C1
/// controls (U+0080–U+009F; U+009B acts as an escape sequence introducer on some terminals).
fn is_unsafe(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t') || matches!(c, '\u{2028}' | '\u{2029}')
}

/// `s` with every unsafe control character written as an escape (`\x1b`, `\r`, `\u{9b}`);
/// line feeds and tabs are kept. Borrowed when there is nothing to escape.
pub fn escape_controls(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_unsafe) {
        return Cow::Borrowed(s);
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
    Cow::Owned(out)
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
pub fn escape_source(source: &str, span: Option<Range<usize>>) -> (String, Option<Range<usize>>) {
    let unsafe_at = |i: usize, c: char| {
        is_unsafe(c) && !(c == '\r' && source.as_bytes().get(i + 1) == Some(&b'\n'))
    };
    if !source.char_indices().any(|(i, c)| unsafe_at(i, c)) {
        return (source.to_string(), span);
    }
    let mut out = String::with_capacity(source.len() + 16);
    // The output offset of every input byte offset that starts a character, and of the end.
    let map = |i: usize, out: &String, at: &mut Option<Range<usize>>, orig: &Range<usize>| {
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
