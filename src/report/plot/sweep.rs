//! A sweep as a chart: lines over one axis ([`line`](mod@super::line)), a heatmap over two
//! ([`heatmap`]), after checking that its points match its axes.

use plotters::prelude::DrawingBackend;

use super::axis::{MAX_TICKS, TickRule};
use super::frame::Frame;
use super::view::{Meta, SweepView};
use super::{Chart, DrawError, heatmap, line, ticks};
use crate::error::Error;
use crate::sweep::result::AxisInfo;

impl Chart for SweepView {
    /// Rejects sweeps that cannot be drawn: no axes, more than two, points not matching them.
    fn check(&self) -> Result<(), Error> {
        let axes = &self.meta.axes;
        if axes.is_empty() || axes.len() > 2 {
            return Err(Error::usage(
                format!("cannot plot a sweep over {} axes", axes.len()),
                Some("a chart shows a sweep over one axis (lines) or two (heatmap)".into()),
            ));
        }
        let expected: usize = axes.iter().map(|a| a.values.len()).product();
        if expected == 0 || self.points.len() != expected {
            return Err(Error::usage(
                format!(
                    "cannot plot: the sweep has {} points but its axes give {expected}",
                    self.points.len()
                ),
                None,
            ));
        }
        if let Some(p) = self.points.iter().find(|p| p.x.len() != axes.len()) {
            return Err(Error::usage(
                format!(
                    "cannot plot: a sweep point has {} coordinates for {} axes",
                    p.x.len(),
                    axes.len()
                ),
                None,
            ));
        }
        Ok(())
    }

    fn draw<DB: DrawingBackend>(&self, frame: &mut Frame<'_, DB>) -> Result<(), DrawError> {
        frame.header(&self.meta.scenario, &self.meta.description)?;
        if self.meta.axes.len() == 1 {
            line::draw(frame, self)
        } else {
            heatmap::draw(frame, self)
        }
    }
}

/// Ticks for a swept axis over `lo..=hi`: its option names for a choice axis, else round
/// numbers (whole ones for a whole-number clause).
pub(super) fn tick_rule(axis: &AxisInfo, lo: f64, hi: f64) -> TickRule {
    match &axis.options {
        Some(options) => TickRule::Names(options.clone()),
        None => TickRule::round(lo, hi, axis.integer, MAX_TICKS),
    }
}

/// A short note of how the sweep was run, for its legend.
pub(super) fn run_note(meta: &Meta) -> String {
    format!(
        "{} · {} rounds · seed {}",
        meta.protocol,
        ticks::format_number(meta.rounds as f64, 0),
        meta.seed
    )
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::{self, svg_texts};
    use super::super::svg_of;

    #[test]
    fn unplottable_sweeps_are_usage_errors() {
        let mut r = fixtures::one_axis();
        r.points.pop();
        assert_eq!(svg_of(&r, (1200, 750)).unwrap_err().exit_code(), 2);
        let mut r = fixtures::two_axes(3, 3);
        let first = r.meta.axes[0].clone();
        r.meta.axes.push(first);
        assert_eq!(svg_of(&r, (1200, 750)).unwrap_err().exit_code(), 2);
        let mut r = fixtures::one_axis();
        r.meta.axes.clear();
        assert_eq!(svg_of(&r, (1200, 750)).unwrap_err().exit_code(), 2);
        let mut r = fixtures::one_axis();
        r.points[3].x.push(1.0);
        assert_eq!(svg_of(&r, (1200, 750)).unwrap_err().exit_code(), 2);
    }

    #[test]
    fn the_run_is_noted() {
        let texts = svg_texts(&svg_of(&fixtures::one_axis(), (1200, 750)).unwrap());
        assert!(
            texts.iter().any(|t| t == "ratify · 20,000 rounds · seed 7"),
            "{texts:?}"
        );
        let texts = svg_texts(&svg_of(&fixtures::two_axes(4, 3), (1200, 750)).unwrap());
        assert!(
            texts.iter().any(|t| t == "ratify · 20,000 rounds · seed 7"),
            "{texts:?}"
        );
    }
}
