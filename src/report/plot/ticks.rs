//! Tick positions and labels: round steps (1, 2, 2.5, 5 × 10ⁿ) thinned until the labels fit,
//! thousands separators, and option names for choice axes.

use std::ops::Range;

use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint, Ranged};

use crate::sweep::result::AxisInfo;

/// A linear axis `lo..hi` whose grid lines and labels sit exactly at `ticks`.
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
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Ticks {
    pub values: Vec<f64>,
    pub labels: Vec<String>,
}

impl Ticks {
    /// The label of the tick at `v` (plotters asks for labels by value).
    pub fn label(&self, v: f64) -> String {
        self.values
            .iter()
            .zip(&self.labels)
            .min_by(|a, b| (a.0 - v).abs().total_cmp(&(b.0 - v).abs()))
            .map(|(_, l)| l.clone())
            .unwrap_or_default()
    }
}

/// Ticks for `axis` over `lo..=hi`: option names at their indices for a choice axis, else the
/// densest round steps whose labels `fits` accepts.
pub(super) fn for_axis(
    axis: &AxisInfo,
    lo: f64,
    hi: f64,
    fits: impl Fn(&[String]) -> bool,
) -> Ticks {
    if let Some(options) = &axis.options {
        return options_ticks(options, fits);
    }
    for max in (2..=12).rev() {
        let t = nice(lo, hi, max, axis.integer);
        if fits(&t.labels) {
            return t;
        }
    }
    nice(lo, hi, 1, axis.integer)
}

/// A tick at every value of a short grid axis (so each heatmap row and column is labelled at
/// its centre), if they are written with few decimals and `fits` accepts them; else `None`.
pub(super) fn at_values(axis: &AxisInfo, fits: impl Fn(&[String]) -> bool) -> Option<Ticks> {
    if axis.options.is_some() {
        return None;
    }
    let values: Vec<f64> = axis
        .values
        .iter()
        .copied()
        .filter(|v| v.is_finite())
        .collect();
    let d = if axis.integer {
        0
    } else {
        values
            .iter()
            .map(|v| decimals_of(v.abs()))
            .max()
            .unwrap_or(0)
    };
    if d > 3 || values.is_empty() {
        return None;
    }
    let d = if axis.integer || values.iter().all(|v| v.fract() == 0.0) {
        d
    } else {
        d.max(1)
    };
    let labels: Vec<String> = values.iter().map(|&v| format_number(v, d)).collect();
    fits(&labels).then_some(Ticks { values, labels })
}

/// Every option at its index; every second (third, …) one when they do not all fit.
fn options_ticks(options: &[String], fits: impl Fn(&[String]) -> bool) -> Ticks {
    let n = options.len().max(1);
    for every in 1..=n {
        let picked: Vec<usize> = (0..options.len()).step_by(every).collect();
        let labels: Vec<String> = picked.iter().map(|&i| options[i].clone()).collect();
        if fits(&labels) || every == n {
            return Ticks {
                values: picked.iter().map(|&i| i as f64).collect(),
                labels,
            };
        }
    }
    Ticks {
        values: vec![],
        labels: vec![],
    }
}

/// Round ticks in `lo..=hi`, at most about `max` of them; whole-number steps if `integer`.
pub(super) fn nice(lo: f64, hi: f64, max: usize, integer: bool) -> Ticks {
    let span = hi - lo;
    if span.is_nan() || span <= 0.0 || span.is_infinite() {
        let d = if integer {
            0
        } else {
            decimals_of(lo.abs().max(1e-12)).min(6)
        };
        return Ticks {
            values: vec![lo],
            labels: vec![format_number(lo, d)],
        };
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
    let values: Vec<f64> = (k0..=k1).map(|k| k as f64 * step).collect();
    let labels = values.iter().map(|&v| format_number(v, d)).collect();
    Ticks { values, labels }
}

/// Decimal places needed to write `step` exactly (up to 12).
fn decimals_of(step: f64) -> usize {
    (0..12)
        .find(|&d| {
            let scaled = step * 10f64.powi(d as i32);
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
        // A degenerate range still gets one tick.
        assert_eq!(nice(5.0, 5.0, 6, true).labels, ["5"]);
    }

    #[test]
    fn thins_to_fit() {
        let axis = AxisInfo {
            kind: "clause".into(),
            name: "x".into(),
            label: "x".into(),
            unit: None,
            integer: true,
            options: None,
            values: vec![],
        };
        let t = for_axis(&axis, 0.0, 100.0, |l| l.len() <= 3);
        assert_eq!(t.labels, ["0", "50", "100"]);
        let opts = AxisInfo {
            options: Some(vec!["a".into(), "b".into(), "c".into(), "d".into()]),
            ..axis
        };
        let t = for_axis(&opts, 0.0, 3.0, |l| l.len() <= 2);
        assert_eq!(t.values, [0.0, 2.0]);
        assert_eq!(t.label(2.0), "c");
    }

    #[test]
    fn ticks_at_grid_values() {
        let axis = AxisInfo {
            kind: "path".into(),
            name: "path".into(),
            label: "path".into(),
            unit: None,
            integer: false,
            options: None,
            values: (0..6).map(|j| j as f64 / 5.0).collect(),
        };
        let t = at_values(&axis, |_| true).unwrap();
        assert_eq!(t.labels, ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"]);
        assert!(at_values(&axis, |l| l.len() < 6).is_none());
        let odd = AxisInfo {
            values: vec![0.0, 1.0 / 3.0],
            ..axis
        };
        assert!(at_values(&odd, |_| true).is_none());
    }
}
