//! JSON export.

use serde::Serialize;

/// Pretty JSON with a final newline.
pub fn to_json<T: Serialize>(value: &T) -> String {
    let mut s = serde_json::to_string_pretty(value)
        .expect("results serialise: plain structs of numbers and strings");
    s.push('\n');
    s
}
