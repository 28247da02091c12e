//! An axis of a plot: the range it shows, its title, whether it draws grid lines, and the rule
//! that picks its ticks — the densest the rule allows whose labels fit the pixels they get.

use plotters::style::TextStyle;

use super::font;
use super::ticks::{self, Ticks};

/// How an axis chooses its ticks.
#[derive(Debug, Clone)]
pub(super) enum TickRule {
    /// Round numbers in `lo..=hi`, at most about `max` of them; whole numbers if `integer`.
    Round {
        lo: f64,
        hi: f64,
        integer: bool,
        max: usize,
    },
    /// Names at 0, 1, 2, …; every second (third, …) one when they do not all fit.
    Names(Vec<String>),
    /// A tick at every value when they all fit and need few decimals (each heatmap row and
    /// column labelled at its centre); else round numbers over their span.
    Values { values: Vec<f64>, integer: bool },
}

/// Most round ticks an axis tries before thinning them to fit.
pub(super) const MAX_TICKS: usize = 12;

impl TickRule {
    /// Round numbers over `lo..=hi`, at most about `max` of them.
    pub fn round(lo: f64, hi: f64, integer: bool, max: usize) -> TickRule {
        TickRule::Round {
            lo,
            hi,
            integer,
            max,
        }
    }

    /// The densest ticks this rule allows whose labels `fits` accepts; the sparsest if none do.
    pub fn ticks(&self, fits: impl Fn(&[String]) -> bool) -> Ticks {
        match self {
            &TickRule::Round {
                lo,
                hi,
                integer,
                max,
            } => (1..=max.max(1))
                .rev()
                .map(|m| ticks::nice(lo, hi, m, integer))
                .find(|t| fits(&t.labels))
                .unwrap_or_else(|| ticks::nice(lo, hi, 1, integer)),
            TickRule::Names(names) => (1..=names.len().max(1))
                .map(|every| ticks::named(names, every))
                .find(|t| fits(&t.labels))
                .unwrap_or_else(|| ticks::named(names, names.len())),
            TickRule::Values { values, integer } => ticks::at_values(values, *integer)
                .filter(|t| fits(&t.labels))
                .unwrap_or_else(|| {
                    let (lo, hi) = finite_span(values).unwrap_or((0.0, 1.0));
                    TickRule::round(lo, hi, *integer, MAX_TICKS).ticks(fits)
                }),
        }
    }
}

/// One axis of a plot.
#[derive(Debug, Clone)]
pub(super) struct Axis {
    /// The range shown, `lo` at the left or bottom.
    pub lo: f64,
    pub hi: f64,
    pub rule: TickRule,
    /// Written along the axis; none for panels whose title says what they show.
    pub title: Option<String>,
    /// Grid lines across the plot at the ticks.
    pub grid: bool,
}

impl Axis {
    /// An axis over `lo..hi` with ticks by `rule`, grid lines and no title.
    pub fn new(lo: f64, hi: f64, rule: TickRule) -> Axis {
        Axis {
            lo,
            hi,
            rule,
            title: None,
            grid: true,
        }
    }

    /// A probability, 0–1 in steps of 0.2, shown a little past both ends so a line at 0 or 1
    /// is not cut in half by the frame.
    pub fn probability() -> Axis {
        Axis::new(-0.02, 1.02, TickRule::round(0.0, 1.0, false, 5))
    }

    /// This axis with `title` written along it.
    pub fn titled(self, title: impl Into<String>) -> Axis {
        Axis {
            title: Some(title.into()),
            ..self
        }
    }

    /// This axis without grid lines.
    pub fn without_grid(self) -> Axis {
        Axis {
            grid: false,
            ..self
        }
    }

    /// Ticks for a horizontal axis `length` pixels long: labels in `style`, side by side with
    /// at least `gap` pixels between the widest two.
    pub fn across(&self, length: u32, style: &TextStyle<'_>, gap: u32) -> Ticks {
        self.rule
            .ticks(|labels| labels.len() as u32 * (font::widest(style, labels) + gap) <= length)
    }

    /// Ticks for a vertical axis `length` pixels long: labels in `style`, a line and a half of
    /// text apart.
    pub fn up(&self, length: u32, style: &TextStyle<'_>) -> Ticks {
        let line = style.font.get_size() * 1.2;
        self.rule
            .ticks(|labels| labels.len() as f64 * line * 1.5 <= length as f64)
    }
}

/// The smallest and largest finite value, if there is one.
pub(super) fn finite_span(values: &[f64]) -> Option<(f64, f64)> {
    values
        .iter()
        .filter(|v| v.is_finite())
        .fold(None, |span, &v| match span {
            None => Some((v, v)),
            Some((lo, hi)) => Some((f64::min(lo, v), f64::max(hi, v))),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(n: &[&str]) -> Vec<String> {
        n.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn round_ticks_thin_to_fit() {
        let rule = TickRule::round(0.0, 100.0, true, MAX_TICKS);
        assert_eq!(
            rule.ticks(|l| l.len() <= 3).labels,
            ["0", "50", "100"],
            "the densest set of at most 3"
        );
        assert_eq!(rule.ticks(|_| true).labels.len(), 11);
        // Nothing fits: the sparsest there is rather than none.
        assert_eq!(rule.ticks(|_| false).labels, ["0", "100"]);
    }

    #[test]
    fn names_thin_to_every_kth() {
        let rule = TickRule::Names(names(&["a", "b", "c", "d", "e"]));
        let t = rule.ticks(|l| l.len() <= 2);
        assert_eq!(t.labels, ["a", "d"]);
        assert_eq!(t.values, [0.0, 3.0]);
        assert_eq!(rule.ticks(|_| false).labels, ["a"]);
        assert!(TickRule::Names(vec![]).ticks(|_| true).labels.is_empty());
    }

    #[test]
    fn values_fall_back_to_round_numbers() {
        let rule = TickRule::Values {
            values: vec![0.0, 0.2, 0.4, 0.6, 0.8, 1.0],
            integer: false,
        };
        assert_eq!(rule.ticks(|_| true).labels.len(), 6);
        assert_eq!(rule.ticks(|l| l.len() <= 3).labels, ["0.0", "0.5", "1.0"]);
        let thirds = TickRule::Values {
            values: vec![0.0, 1.0 / 3.0, 2.0 / 3.0, 1.0],
            integer: false,
        };
        assert_eq!(
            thirds.ticks(|_| true).labels.first().map(String::as_str),
            Some("0.0")
        );
        assert!(thirds.ticks(|_| true).labels.iter().all(|l| l.len() <= 4));
    }

    #[test]
    fn spans_skip_missing_values() {
        assert_eq!(finite_span(&[3.0, f64::NAN, -1.0]), Some((-1.0, 3.0)));
        assert_eq!(finite_span(&[f64::NAN]), None);
    }
}
