//! A ranked bar chart of concessions (`accord concessions --plot`): one horizontal bar per
//! concession, best at the top, its length the gain (in percentage points of agreement, or
//! of the ranking party's acceptance) and a whisker its paired 95% interval; each bar
//! labelled in words ("nato: renounced → deferred"). At most [`MAX_BARS`] bars: the best.

use plotters::prelude::*;

use super::axis::{Axis, TickRule, finite_span};
use super::frame::{Frame, Plot};
use super::legend::{Legend, Side, Swatch};
use super::{Chart, DrawError, palette, ticks};
use crate::error::Error;
use crate::explore::ConcessionsResult;
use crate::job::Header;
use crate::protocol::ratify::Change;

/// The most bars a chart shows (the best ones).
pub const MAX_BARS: usize = 30;

/// Bars that lower the ranked probability.
const LOSS: RGBColor = palette::PARTY[1];
/// Bars that raise it.
const GAIN: RGBColor = palette::PARTY[0];

/// A concessions result and its header, as the chart reads them.
pub(super) struct RankedView {
    title: String,
    subtitle: String,
    note: String,
    x_title: String,
    /// Label and change, best first.
    bars: Vec<(String, Change)>,
    total: usize,
}

impl RankedView {
    pub fn new(header: &Header, r: &ConcessionsResult) -> RankedView {
        let target = r
            .base
            .parties
            .iter()
            .position(|p| r.ranked_by == format!("acceptance by {}", p.party));
        let bars = r
            .concessions
            .iter()
            .take(MAX_BARS)
            .map(|c| {
                let change = match target {
                    Some(p) => c.parties[p].accept,
                    None => c.agreement,
                };
                (c.label.clone(), change)
            })
            .collect();
        let shown = if r.concessions.len() > MAX_BARS {
            format!("the best {MAX_BARS} of {}", r.concessions.len())
        } else {
            format!("all {}", r.concessions.len())
        };
        RankedView {
            title: format!("Concessions from {}: gain in {}", r.proposal, r.ranked_by),
            subtitle: format!(
                "{} — {shown} single-clause changes{}, ranked",
                header.scenario,
                if r.depth == 2 { " and pairs" } else { "" }
            ),
            note: format!(
                "{} · {} rounds · seed {}",
                header.protocol,
                ticks::format_number(header.rounds as f64, 0),
                header.seed
            ),
            x_title: format!("change in {} (percentage points)", r.ranked_by),
            bars,
            total: r.concessions.len(),
        }
    }
}

impl Chart for RankedView {
    fn check(&self) -> Result<(), Error> {
        if self.total == 0 {
            return Err(Error::usage(
                "--plot: there is no concession to chart",
                None,
            ));
        }
        Ok(())
    }

    fn draw<DB: DrawingBackend>(&self, frame: &mut Frame<'_, DB>) -> Result<(), DrawError> {
        let sc = frame.sc;
        frame.header(&self.title, &self.subtitle)?;
        let mut legend = Legend::new(Side::Below);
        legend
            .entry(Swatch::Square { color: GAIN }, "gain")
            .entry(Swatch::Square { color: LOSS }, "loss")
            .entry(
                Swatch::Whisker {
                    color: palette::INK,
                },
                "paired 95% interval",
            )
            .note(self.note.clone());
        let (plot_rect, legend_rect) = legend.place(&sc, frame.body);
        let n = self.bars.len();
        let pts = |x: f64| x * 100.0;
        let mut values: Vec<f64> = self
            .bars
            .iter()
            .flat_map(|(_, c)| [pts(c.lo), pts(c.delta), pts(c.hi)])
            .collect();
        values.push(0.0);
        let (lo, hi) = finite_span(&values).unwrap_or((-1.0, 1.0));
        let span = (hi - lo).max(0.1);
        let (lo, hi) = (lo - 0.05 * span, hi + 0.05 * span);
        // Bar i (0 the best) sits at y = n − 1 − i, so the best is at the top.
        let names: Vec<String> = self.bars.iter().rev().map(|(l, _)| l.clone()).collect();
        let y = Axis::new(-0.6, n as f64 - 0.4, TickRule::Names(names)).without_grid();
        let x = Axis::new(lo, hi, TickRule::round(lo, hi, false, 8)).titled(&self.x_title);
        let mut plot = Plot::new(x, y);
        // Every bar labelled: the tick labels shrink (down to 9 design pixels) until a line
        // and a half of text per bar fits the plot's height.
        let per_design_px = sc.px(100.0) as f64 / 100.0;
        let room = plot_rect.h as f64 / per_design_px - 90.0;
        plot.tick_size = (room / (n as f64 * 1.8)).clamp(9.0, super::font::TICK);
        plot.margin = [sc.px(10.0), sc.px(28.0), sc.px(10.0), sc.px(16.0)];
        let area = frame.area(plot_rect);
        let mut chart = plot.draw(&area, &sc)?;
        let half = 0.32;
        for (i, (_, c)) in self.bars.iter().enumerate() {
            let at = (n - 1 - i) as f64;
            let d = pts(c.delta);
            if !d.is_finite() {
                continue;
            }
            let colour = if d < 0.0 { LOSS } else { GAIN };
            chart.draw_series(std::iter::once(Rectangle::new(
                [(0.0, at - half), (d, at + half)],
                colour.mix(0.75).filled(),
            )))?;
            let whisker = palette::INK.stroke_width(sc.px(1.6));
            let (l, h) = (pts(c.lo), pts(c.hi));
            let cap = half * 0.5;
            for line in [
                vec![(l, at), (h, at)],
                vec![(l, at - cap), (l, at + cap)],
                vec![(h, at - cap), (h, at + cap)],
            ] {
                chart.draw_series(std::iter::once(PathElement::new(line, whisker)))?;
            }
        }
        let zero = palette::AXIS.stroke_width(sc.px(1.2));
        chart.draw_series(std::iter::once(PathElement::new(
            vec![(0.0, -0.6), (0.0, n as f64 - 0.4)],
            zero,
        )))?;
        legend.draw(frame, legend_rect)
    }
}
