//! The sensitivity chart: two panels side by side. Left, the Sobol indices — for each factor
//! (most influential at the top) its total effect as a pale bar and its first-order index as
//! a dark bar inside it, each with its 95% bootstrap interval as a whisker. Right, the
//! tornado — for each parameter a bar from the probability at its 5% quantile to the one at
//! its 95% quantile, across a line at the base probability.

use plotters::prelude::*;

use super::axis::{Axis, TickRule};
use super::frame::{self, Frame, Plot, Rect};
use super::legend::{Legend, Side, Swatch};
use super::palette;
use super::{Chart, DrawError};
use crate::analysis::sensitivity::{Index, SensitivityReport};

/// The longest name a row is labelled with, in characters.
const LABEL: usize = 30;

/// Colours: total effect, first order, tornado low end, tornado high end.
const TOTAL: RGBColor = RGBColor(158, 202, 225);
const FIRST: RGBColor = RGBColor(8, 81, 156);
const LOW: RGBColor = palette::PARTY[1];
const HIGH: RGBColor = palette::PARTY[0];

impl Chart for SensitivityReport {
    fn draw<DB: DrawingBackend>(&self, frame: &mut Frame<'_, DB>) -> Result<(), DrawError> {
        let sc = frame.sc;
        let subtitle = format!(
            "{} of {} (p = {:.3}), {} rounds per sample set, seed {}",
            self.output,
            self.proposal,
            self.p.p,
            crate::text::thousands(self.rounds),
            self.seed
        );
        frame.header(&self.scenario, &subtitle)?;
        let mut legend = Legend::new(Side::Below);
        legend
            .entry(Swatch::Square { color: TOTAL }, "total effect")
            .entry(Swatch::Square { color: FIRST }, "first order")
            .entry(Swatch::Square { color: LOW }, "at the 5% quantile")
            .entry(Swatch::Square { color: HIGH }, "at the 95% quantile")
            .note("whiskers: 95% bootstrap intervals; tornado: the rest as drawn");
        let side = sc.px(16.0);
        let (body, legend_rect) = legend.place(&sc, frame.body.inset(0, side, 0, side));
        legend.draw(frame, legend_rect)?;
        let halves = body.columns(2, sc.px(24.0));
        let names = |xs: Vec<String>| -> Vec<String> {
            xs.into_iter()
                .map(|n| {
                    let n: Vec<char> = n.chars().collect();
                    if n.len() <= LABEL {
                        n.into_iter().collect()
                    } else {
                        let mut s: String = n[..LABEL - 1].iter().collect();
                        s.push('…');
                        s
                    }
                })
                .collect()
        };
        // Rows top to bottom: row i at y = n − 1 − i.
        let rows = |n: usize| Axis::new(-0.6, n.max(1) as f64 - 0.4, TickRule::Names(vec![]));
        let labelled = |labels: Vec<String>| {
            let n = labels.len();
            let mut a = rows(n);
            a.rule = TickRule::Names(labels.into_iter().rev().collect());
            a.without_grid()
        };

        // Sobol panel.
        let factors: Vec<_> = self.factors.iter().collect();
        let n = factors.len();
        let top = factors
            .iter()
            .flat_map(|f| [f.total.hi, f.first_order.hi, f.total.value])
            .filter(|v| v.is_finite())
            .fold(0.0f64, f64::max)
            .clamp(0.05, 1.0);
        let bottom = factors
            .iter()
            .map(|f| f.first_order.lo)
            .filter(|v| v.is_finite())
            .fold(0.0f64, f64::min)
            .max(-0.5);
        let x = Axis::new(
            bottom - 0.02,
            top * 1.05,
            TickRule::round(bottom, top, false, 6),
        )
        .titled("Sobol index");
        let labels = factors.iter().map(|f| f.label()).collect();
        let plot = panel(
            frame,
            halves[0],
            "Sobol indices",
            x,
            labelled(names(labels)),
        )?;
        let area = frame.area(halves[0]);
        let mut chart = plot.draw(&area, &sc)?;
        let whisker = |i: &Index, y: f64, c: RGBColor| {
            let style = c.stroke_width(sc.px(1.5));
            let drawn = i.lo.is_finite() && i.hi.is_finite();
            drawn
                .then(|| frame::whisker((i.lo, i.hi), y, 0.12, style))
                .into_iter()
                .flatten()
        };
        for (i, f) in factors.iter().enumerate() {
            let y = (n - 1 - i) as f64;
            let bar = |v: f64, h: f64, c: RGBColor| {
                Rectangle::new([(0.0, y - h), (v.max(0.0), y + h)], c.filled())
            };
            if f.total.value.is_finite() {
                chart.draw_series(std::iter::once(bar(f.total.value, 0.36, TOTAL)))?;
            }
            if f.first_order.value.is_finite() {
                chart.draw_series(std::iter::once(bar(f.first_order.value, 0.16, FIRST)))?;
            }
            chart.draw_series(whisker(&f.total, y + 0.26, palette::MUTED))?;
            chart.draw_series(whisker(&f.first_order, y, palette::INK))?;
        }

        // Tornado panel.
        let m = self.tornado.len();
        let values: Vec<f64> = self
            .tornado
            .iter()
            .flat_map(|t| [t.at_low.p, t.at_high.p])
            .chain([self.p.p])
            .filter(|v| v.is_finite())
            .collect();
        let lo = values.iter().copied().fold(1.0f64, f64::min);
        let hi = values.iter().copied().fold(0.0f64, f64::max);
        let pad = ((hi - lo) * 0.06).max(0.01);
        let (lo, hi) = ((lo - pad).max(0.0), (hi + pad).min(1.0));
        let x = Axis::new(lo, hi, TickRule::round(lo, hi, false, 6))
            .titled(format!("P({})", self.output));
        let labels = names(self.tornado.iter().map(|t| t.param.clone()).collect());
        let plot = panel(
            frame,
            halves[1],
            "Tornado: 5% and 95% quantiles",
            x,
            labelled(labels),
        )?;
        let area = frame.area(halves[1]);
        let mut chart = plot.draw(&area, &sc)?;
        for (i, t) in self.tornado.iter().enumerate() {
            let y = (m - 1 - i) as f64;
            for (p, c) in [(t.at_low.p, LOW), (t.at_high.p, HIGH)] {
                if p.is_finite() {
                    let (a, b) = if p < self.p.p {
                        (p, self.p.p)
                    } else {
                        (self.p.p, p)
                    };
                    let rect = Rectangle::new(
                        [(a, y - 0.3), (b.max(a + 1e-9), y + 0.3)],
                        c.mix(0.85).filled(),
                    );
                    chart.draw_series(std::iter::once(rect))?;
                }
            }
        }
        if self.p.p.is_finite() {
            let line = vec![(self.p.p, -0.6), (self.p.p, m.max(1) as f64 - 0.4)];
            let style = palette::AGREEMENT.stroke_width(sc.px(1.5));
            chart.draw_series(std::iter::once(PathElement::new(line, style)))?;
        }
        Ok(())
    }
}

/// A panel's plot of `x` across and the rows `y` up, under its `title` written at the top of
/// `r`.
fn panel<DB: DrawingBackend>(
    frame: &Frame<'_, DB>,
    r: Rect,
    title: &str,
    x: Axis,
    y: Axis,
) -> Result<Plot, DrawError> {
    let sc = frame.sc;
    frame.heading(r.inset(0, 0, r.h.saturating_sub(sc.px(26.0)), 0), title)?;
    let mut plot = Plot::new(x, y);
    plot.margin = [sc.px(30.0), sc.px(8.0), 0, 0];
    Ok(plot)
}
