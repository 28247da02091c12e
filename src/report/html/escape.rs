//! Text into HTML: every character that could open markup or end an attribute is written as
//! a character reference, and control characters (a terminal escape in a name, say) are
//! first written visibly, as `accord check` shows them, since HTML has no place for them.

/// `s` safe as HTML text and as a double- or single-quoted attribute value.
pub fn esc(s: &str) -> String {
    let s = crate::text::escape_controls(s);
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A fragment id from a name: letters, digits, `-` and `_` kept, anything else as `-`, so
/// it is a valid id and needs no escaping in `href="#…"`.
pub fn id(prefix: &str, name: &str) -> String {
    let body: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    format!("{prefix}-{body}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_and_quotes_become_references() {
        assert_eq!(
            esc(r#"<script>alert("x" & 'y')</script>"#),
            "&lt;script&gt;alert(&quot;x&quot; &amp; &#39;y&#39;)&lt;/script&gt;"
        );
        assert_eq!(
            esc("plain text, 600,000 troops"),
            "plain text, 600,000 troops"
        );
    }

    #[test]
    fn control_characters_are_shown_not_passed_through() {
        let shown = esc("red\x1b[31m\u{7}");
        assert!(
            !shown.contains('\x1b') && !shown.contains('\u{7}'),
            "{shown}"
        );
        assert!(shown.contains("\\x1b[31m"), "{shown}");
    }

    #[test]
    fn ids_keep_only_safe_characters() {
        assert_eq!(id("party", "united_states"), "party-united_states");
        assert_eq!(id("p", "a b\"<c>"), "p-a-b--c-");
    }
}
