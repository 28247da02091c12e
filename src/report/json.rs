//! JSON: the result types themselves, pretty-printed, every number without float noise.

use serde::Serialize;

use super::Exporter;
use crate::analysis::calibrate::CalibrationReport;
use crate::analysis::seeds::SeedsReport;
use crate::analysis::sensitivity::SensitivityReport;
use crate::request::RunResult;

/// The JSON exporter.
pub struct Json;

impl Exporter for Json {
    fn run(&self, result: &RunResult) -> String {
        to_json(result)
    }

    fn seeds(&self, report: &SeedsReport) -> String {
        to_json(report)
    }

    fn sensitivity(&self, report: &SensitivityReport) -> String {
        to_json(report)
    }

    fn calibration(&self, report: &CalibrationReport) -> String {
        to_json(report)
    }
}

/// Pretty JSON with a final newline; floats rounded to [`crate::text::SIGNIFICANT`]
/// significant digits, so `0.30000000000000004` reads `0.3` (NaN and infinities are `null`).
pub fn to_json<T: Serialize>(value: &T) -> String {
    // Through a value tree, where the floats are cleaned; a result with an integer beyond 64
    // bits (an outcome count of 10³⁰) cannot be a tree, and is printed as it is.
    let mut s = match serde_json::to_value(value) {
        Ok(mut tree) => {
            clean(&mut tree);
            serde_json::to_string_pretty(&tree).expect("a JSON value prints")
        }
        Err(_) => serde_json::to_string_pretty(value)
            .expect("results serialise: plain structs of numbers and strings"),
    };
    s.push('\n');
    s
}

/// Rounds every float in `v` ([`crate::text::clean`]); integers stay as they are.
fn clean(v: &mut serde_json::Value) {
    use serde_json::Value;
    match v {
        Value::Number(n) if n.is_f64() => {
            if let Some(x) = n
                .as_f64()
                .and_then(|x| serde_json::Number::from_f64(crate::text::clean(x)))
            {
                *n = x;
            }
        }
        Value::Array(a) => a.iter_mut().for_each(clean),
        Value::Object(o) => o.values_mut().for_each(clean),
        _ => {}
    }
}
