//! Tick positions and their labels, from numbers alone: round steps (1, 2, 2.5, 5 × 10ⁿ) with
//! labels that carry exactly the decimals the step needs and thousands separators, names at
//! their indices, and a plotters range whose grid lines sit exactly at the ticks. Which of these
//! fit the pixels of a chart is [`axis`](super::axis)'s business.

use std::ops::Range;

use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint, Ranged};

/// A linear axis `lo..hi` whose grid lines and labels sit exactly at `ticks` (plotters' own
/// ranges choose their key points and print them with float noise).
pub(super) struct TickedRange {
    pub lo: f64,
    pub hi: f64,
    pub ticks: Vec<f64>,
}

impl Ranged for TickedRange {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, v: &f64, (a, b): (i32, i32)) -> i32 {
        let t = (v - self.lo) / (self.hi - self.lo);
        if !t.is_finite() {
            return (a + b) / 2;
        }
        // Far outside the range, clamp instead of overflowing the pixel type.
        let t = t.clamp(-10.0, 11.0);
        a + ((b - a) as f64 * t).round() as i32
    }

    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        if hint.weight().allow_light_points() {
            vec![]
        } else {
            self.ticks.clone()
        }
    }

    fn range(&self) -> Range<f64> {
        self.lo..self.hi
    }
}

/// Tick positions and their labels.
#[derive(Debug, Clone, PartialEq, Default)]
pub(super) struct Ticks {
    pub values: Vec<f64>,
    pub labels: Vec<String>,
}

impl Ticks {
    /// The label of the tick nearest `v` (plotters asks for labels by value).
    pub fn label(&self, v: f64) -> String {
        self.values
            .iter()
            .zip(&self.labels)
            .min_by(|a, b| (a.0 - v).abs().total_cmp(&(b.0 - v).abs()))
            .map(|(_, l)| l.clone())
            .unwrap_or_default()
    }
}

/// Round ticks in `lo..=hi`, at most about `max` of them; whole-number steps if `integer`.
/// A range that is empty, reversed or not finite gets one tick at `lo`.
pub(super) fn nice(lo: f64, hi: f64, max: usize, integer: bool) -> Ticks {
    let span = hi - lo;
    if !(span.is_finite() && span > 0.0) {
        let d = if integer { 0 } else { decimals_of(lo).min(6) };
        let values = if lo.is_finite() { vec![lo] } else { vec![] };
        let labels = values.iter().map(|&v| format_number(v, d)).collect();
        return Ticks { values, labels };
    }
    let raw = span / max.max(1) as f64;
    let mag = 10f64.powf(raw.log10().floor());
    let mut step = 10.0 * mag;
    for m in [1.0, 2.0, 2.5, 5.0, 10.0] {
        let s = m * mag;
        if integer && (s < 1.0 || s.fract() != 0.0) {
            continue;
        }
        if span / s <= max as f64 + 1e-9 {
            step = s;
            break;
        }
    }
    if integer {
        step = step.max(1.0).round();
    }
    let k0 = (lo / step - 1e-9).ceil() as i64;
    let k1 = (hi / step + 1e-9).floor() as i64;
    let d = if integer { 0 } else { decimals_of(step) };
    // k × step, not a running sum: the sum drifts (0.1 + 0.1 + 0.1 ≠ 0.3) and the labels are
    // written with `d` decimals anyway.
    let values: Vec<f64> = (k0..=k1).map(|k| k as f64 * step).collect();
    let labels = values.iter().map(|&v| format_number(v, d)).collect();
    Ticks { values, labels }
}

/// `names` at their indices 0, 1, 2, …, keeping every `every`th one (from the first).
pub(super) fn named(names: &[String], every: usize) -> Ticks {
    let picked = (0..names.len()).step_by(every.max(1));
    Ticks {
        values: picked.clone().map(|i| i as f64).collect(),
        labels: picked.map(|i| names[i].clone()).collect(),
    }
}

/// A tick at each of `values`, written with the fewest decimals that show every one of them
/// exactly (at least one when any has a fraction); `None` if that takes more than 3, or there
/// are none.
pub(super) fn at_values(values: &[f64], integer: bool) -> Option<Ticks> {
    let values: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    let d = if integer {
        0
    } else {
        values.iter().map(|&v| decimals_of(v)).max().unwrap_or(0)
    };
    if d > 3 || values.is_empty() {
        return None;
    }
    let labels = values.iter().map(|&v| format_number(v, d)).collect();
    Some(Ticks { values, labels })
}

/// Decimal places needed to write `v` to 6 significant digits (up to 12): 0.30000000000000004
/// needs 1, 2.5e-6 needs 7.
fn decimals_of(v: f64) -> usize {
    let v = v.abs();
    (0..12)
        .find(|&d| {
            let scaled = v * 10f64.powi(d as i32);
            (scaled - scaled.round()).abs() < 1e-6 * scaled.abs().max(1.0)
        })
        .unwrap_or(12)
}

/// `v` with `decimals` places and thousands separators: `600,000`, `-1,234.5`.
pub(super) fn format_number(v: f64, decimals: usize) -> String {
    let s = format!("{:.*}", decimals, v.abs());
    let (int, frac) = s.split_once('.').unwrap_or((&s, ""));
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    // No `-0.00`: a negative number that rounds to zero is written as zero.
    let negative = v < 0.0 && s.chars().any(|c| c.is_ascii_digit() && c != '0');
    let sign = if negative { "-" } else { "" };
    if frac.is_empty() {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped}.{frac}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_with_separators() {
        assert_eq!(format_number(600000.0, 0), "600,000");
        assert_eq!(format_number(1234.5, 1), "1,234.5");
        assert_eq!(format_number(-1234567.0, 0), "-1,234,567");
        assert_eq!(format_number(-0.0001, 2), "0.00");
        assert_eq!(format_number(999.0, 0), "999");
        assert_eq!(format_number(0.25, 2), "0.25");
    }

    #[test]
    fn round_steps() {
        let t = nice(600000.0, 800000.0, 5, true);
        assert_eq!(
            t.labels,
            ["600,000", "650,000", "700,000", "750,000", "800,000"]
        );
        let t = nice(0.0, 1.0, 5, false);
        assert_eq!(t.labels, ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"]);
        let t = nice(0.0, 1.0, 4, false);
        assert_eq!(t.labels, ["0.00", "0.25", "0.50", "0.75", "1.00"]);
        // Whole-number axes never get fractional steps.
        let t = nice(0.0, 3.0, 12, true);
        assert_eq!(t.labels, ["0", "1", "2", "3"]);
    }

    #[test]
    fn awkward_ranges_read_without_float_noise() {
        // 0.1–0.3: the steps are sums of binary fractions, the labels are not.
        let t = nice(0.1, 0.30000000000000004, 4, false);
        assert_eq!(t.labels, ["0.10", "0.15", "0.20", "0.25", "0.30"]);
        assert_eq!(nice(0.1, 0.3, 2, false).labels, ["0.1", "0.2", "0.3"]);
        // 0–70,000 on a continuous axis: no `.0000` on whole thousands.
        let t = nice(0.0, 70_000.0, 7, false);
        assert_eq!(
            t.labels,
            [
                "0", "10,000", "20,000", "30,000", "40,000", "50,000", "60,000", "70,000"
            ]
        );
        // 1e-5–3e-5: plain decimals, as many as the step needs.
        let t = nice(1e-5, 3e-5, 4, false);
        assert_eq!(
            t.labels,
            ["0.000010", "0.000015", "0.000020", "0.000025", "0.000030"]
        );
        assert_eq!(
            nice(1e-5, 3e-5, 2, false).labels,
            ["0.00001", "0.00002", "0.00003"]
        );
        // A single value gets one tick, written as short as it can be.
        assert_eq!(nice(5.0, 5.0, 6, true).labels, ["5"]);
        assert_eq!(
            nice(0.30000000000000004, 0.30000000000000004, 6, false).labels,
            ["0.3"]
        );
        assert_eq!(nice(70_000.0, 70_000.0, 6, false).labels, ["70,000"]);
        assert!(nice(f64::NAN, f64::NAN, 6, false).labels.is_empty());
    }

    #[test]
    fn ticks_at_values() {
        let steps: Vec<f64> = (0..6).map(|j| j as f64 / 5.0).collect();
        let t = at_values(&steps, false).unwrap();
        assert_eq!(t.labels, ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"]);
        // Sums that drift (0.1 + 0.05 + 0.05 …) still read as written.
        let mut v = 0.1;
        let drifting: Vec<f64> = (0..5)
            .map(|_| {
                let x = v;
                v += 0.05;
                x
            })
            .collect();
        let t = at_values(&drifting, false).unwrap();
        assert_eq!(t.labels, ["0.10", "0.15", "0.20", "0.25", "0.30"]);
        assert_eq!(at_values(&[70_000.0], false).unwrap().labels, ["70,000"]);
        assert!(at_values(&[0.0, 1.0 / 3.0], false).is_none());
        assert!(at_values(&[], true).is_none());
    }

    #[test]
    fn names_at_indices() {
        let names: Vec<String> = ["a", "b", "c", "d"].map(String::from).into();
        let t = named(&names, 2);
        assert_eq!(t.values, [0.0, 2.0]);
        assert_eq!(t.label(2.0), "c");
        assert_eq!(named(&names, 1).labels, ["a", "b", "c", "d"]);
    }
}
