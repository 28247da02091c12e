//! Finds the byte range of a key path in the scenario's source text, so that validation
//! errors can point at a line and column.

use std::ops::Range;
use toml::de::{DeTable, DeValue};

use super::build::Target;

/// The span of `path` in TOML `source`: the value (or key) at the path, or the deepest
/// enclosing table that exists.
pub fn toml_span(source: &str, path: &[String], target: Target) -> Option<Range<usize>> {
    let root = DeTable::parse(source).ok()?;
    let mut best = None;
    let mut table = root.get_ref();
    let mut array: Option<&toml::de::DeArray> = None;
    for (depth, seg) in path.iter().enumerate() {
        let last = depth + 1 == path.len();
        let found = if let Some(arr) = array.take() {
            seg.parse::<usize>()
                .ok()
                .and_then(|i| arr.get(i))
                .map(|v| (None, v))
        } else {
            table
                .iter()
                .find(|(k, _)| k.get_ref().as_ref() == seg.as_str())
                .map(|(k, v)| (Some(k.span()), v))
        };
        let Some((key_span, value)) = found else {
            break;
        };
        best = Some(if last && target == Target::Key {
            key_span.unwrap_or(value.span())
        } else {
            value.span()
        });
        match value.get_ref() {
            DeValue::Table(t) => table = t,
            DeValue::Array(a) => array = Some(a),
            _ => break,
        }
    }
    best
}

/// The span of `path` in JSON `source`, by the same rule as [`toml_span`].
pub fn json_span(source: &str, path: &[String], target: Target) -> Option<Range<usize>> {
    let mut s = Scanner {
        b: source.as_bytes(),
        // A byte-order mark is not part of the JSON text.
        i: if source.starts_with('\u{feff}') { 3 } else { 0 },
    };
    let mut best = None;
    s.ws();
    for (depth, seg) in path.iter().enumerate() {
        let last = depth + 1 == path.len();
        match s.peek()? {
            b'{' => {
                s.i += 1;
                let mut found = None;
                loop {
                    s.ws();
                    if s.peek()? == b'}' {
                        break;
                    }
                    let key_start = s.i;
                    let key = s.string()?;
                    let key_span = key_start..s.i;
                    s.ws();
                    s.expect(b':')?;
                    s.ws();
                    if key == *seg {
                        found = Some(key_span);
                        break;
                    }
                    s.skip_value()?;
                    s.ws();
                    if s.peek()? == b',' {
                        s.i += 1;
                    }
                }
                let Some(key_span) = found else { break };
                let start = s.i;
                best = Some(if last && target == Target::Key {
                    key_span
                } else {
                    start..s.clone().value_end()?
                });
            }
            b'[' => {
                let want: usize = seg.parse().ok()?;
                s.i += 1;
                for _ in 0..want {
                    s.ws();
                    s.skip_value()?;
                    s.ws();
                    s.expect(b',')?;
                }
                s.ws();
                let start = s.i;
                best = Some(start..s.clone().value_end()?);
            }
            _ => break,
        }
    }
    best
}

#[derive(Clone)]
struct Scanner<'a> {
    b: &'a [u8],
    i: usize,
}

impl Scanner<'_> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }
    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\n' | b'\r' | b'\t')) {
            self.i += 1;
        }
    }
    fn expect(&mut self, c: u8) -> Option<()> {
        (self.peek()? == c).then(|| self.i += 1)
    }
    /// Reads a string literal, decoding simple escapes.
    fn string(&mut self) -> Option<String> {
        self.expect(b'"')?;
        let mut out = Vec::new();
        loop {
            let c = self.peek()?;
            self.i += 1;
            match c {
                b'"' => return String::from_utf8(out).ok(),
                b'\\' => {
                    let e = self.peek()?;
                    self.i += 1;
                    out.push(match e {
                        b'n' => b'\n',
                        b't' => b'\t',
                        other => other,
                    });
                }
                _ => out.push(c),
            }
        }
    }
    fn skip_value(&mut self) -> Option<()> {
        match self.peek()? {
            b'"' => {
                self.string()?;
            }
            open @ (b'{' | b'[') => {
                let close = if open == b'{' { b'}' } else { b']' };
                self.i += 1;
                loop {
                    self.ws();
                    if self.peek()? == close {
                        self.i += 1;
                        break;
                    }
                    self.skip_value()?;
                    self.ws();
                    match self.peek()? {
                        b',' | b':' => self.i += 1,
                        _ => {}
                    }
                }
            }
            _ => {
                while !matches!(
                    self.peek(),
                    None | Some(b',' | b'}' | b']' | b' ' | b'\n' | b'\r' | b'\t')
                ) {
                    self.i += 1;
                }
            }
        }
        Some(())
    }
    fn value_end(mut self) -> Option<usize> {
        self.skip_value()?;
        Some(self.i)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &[&str]) -> Vec<String> {
        s.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn finds_toml_values_and_keys() {
        let src = "[parties.ukraine]\nreservation = 0.4\nweights = { nato = 0.3 }\n";
        let v = toml_span(
            src,
            &p(&["parties", "ukraine", "reservation"]),
            Target::Value,
        )
        .unwrap();
        assert_eq!(&src[v], "0.4");
        let k = toml_span(
            src,
            &p(&["parties", "ukraine", "weights", "nato"]),
            Target::Key,
        )
        .unwrap();
        assert_eq!(&src[k], "nato");
    }

    #[test]
    fn finds_json_values_and_keys() {
        let src =
            r#"{"parties": {"ukraine": {"weights": {"nato": 0.3}, "reservation": [1, 2.5]}}}"#;
        let v = json_span(
            src,
            &p(&["parties", "ukraine", "reservation", "1"]),
            Target::Value,
        )
        .unwrap();
        assert_eq!(&src[v], "2.5");
        let k = json_span(
            src,
            &p(&["parties", "ukraine", "weights", "nato"]),
            Target::Key,
        )
        .unwrap();
        assert_eq!(&src[k], "\"nato\"");
        let missing = json_span(src, &p(&["parties", "russia"]), Target::Value).unwrap();
        assert!(src[missing].starts_with("{\"ukraine\""));
    }
}
