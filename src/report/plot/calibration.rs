//! A calibration's observations against its fit (`accord calibrate --plot`): one row per
//! observed share, top to bottom in the data's order, the fitted rows first and the held-out
//! ones below a rule. On each row the observed share is a black dot on its 95% Wilson
//! interval, and the fitted (or, held out, predicted) probability a coloured triangle on the
//! 95% range of a share of `n` under it: where the two whiskers miss each other, the fit
//! misses the data. Single decisions (n = 1) have no share to draw and are left out.

use plotters::prelude::*;

use super::axis::{Axis, TickRule};
use super::frame::{Frame, Plot, whisker};
use super::legend::{Legend, Side, Swatch};
use super::{Chart, DrawError, palette, ticks};
use crate::analysis::calibrate::{CalibrationReport, Compared};
use crate::error::Error;

/// The fitted probabilities' colour.
const FITTED: RGBColor = palette::PARTY[0];
/// The held-out predictions' colour.
const PREDICTED: RGBColor = palette::PARTY[1];
/// Half the height of a whisker's caps, in rows.
const CAP: f64 = 0.12;

/// A calibration report as the chart reads it.
pub(super) struct CalibrationView<'r> {
    report: &'r CalibrationReport,
    /// The shares, fitted first, then held out.
    rows: Vec<&'r Compared>,
}

impl<'r> CalibrationView<'r> {
    pub fn new(report: &'r CalibrationReport) -> Self {
        let shares = report.observations.iter().filter(|o| o.n > 1);
        let (held, fitted): (Vec<_>, Vec<_>) = shares.partition(|o| o.held_out);
        let rows = fitted.into_iter().chain(held).collect();
        CalibrationView { report, rows }
    }

    fn held_out(&self) -> usize {
        self.rows.iter().filter(|o| o.held_out).count()
    }
}

impl Chart for CalibrationView<'_> {
    fn check(&self) -> Result<(), Error> {
        if self.rows.is_empty() {
            return Err(Error::usage(
                "--plot: the data hold no share (only single decisions): nothing to chart",
                None,
            ));
        }
        Ok(())
    }

    fn draw<DB: DrawingBackend>(&self, frame: &mut Frame<'_, DB>) -> Result<(), DrawError> {
        let sc = frame.sc;
        let r = self.report;
        let fitted: Vec<&str> = r.estimates.iter().map(|e| e.name.as_str()).collect();
        let mut subtitle = format!("{} — fitted: {}", r.scenario, fitted.join(", "));
        if let Some(h) = &r.held_out {
            subtitle.push_str(&format!("; held out: {}", h.waves.join(", ")));
        }
        frame.header("Observed shares against the fit", &subtitle)?;
        let mut legend = Legend::new(Side::Below);
        legend.entry(
            Swatch::Whisker {
                color: palette::INK,
            },
            "observed, 95% interval",
        );
        legend.entry(Swatch::Whisker { color: FITTED }, "fitted, 95% range for n");
        if self.held_out() > 0 {
            legend.entry(
                Swatch::Whisker { color: PREDICTED },
                "held out: predicted, 95% range for n",
            );
        }
        legend.note(format!(
            "maximum likelihood · {} rounds · seed {}",
            ticks::format_number(r.rounds as f64, 0),
            r.seed
        ));
        let (plot_rect, legend_rect) = legend.place(&sc, frame.body);
        let n = self.rows.len();
        // Row i (0 the first) sits at y = n − 1 − i, so the data read top to bottom.
        let names: Vec<String> = self
            .rows
            .iter()
            .rev()
            .map(|o| format!("{} (n = {})", o.label, ticks::format_number(o.n as f64, 0)))
            .collect();
        let y = Axis::new(-0.6, n as f64 - 0.4, TickRule::Names(names)).without_grid();
        let x = Axis::new(0.0, 1.0, TickRule::round(0.0, 1.0, false, 10)).titled("share accepting");
        let mut plot = Plot::new(x, y);
        plot.margin = [sc.px(10.0), sc.px(28.0), sc.px(10.0), sc.px(16.0)];
        let area = frame.area(plot_rect);
        let mut chart = plot.draw(&area, &sc)?;
        // The observed share just above the row's line, the fit just below, so that
        // overlapping intervals stay apart.
        let gap = 0.16;
        for (i, o) in self.rows.iter().enumerate() {
            let at = (n - 1 - i) as f64;
            let colour = if o.held_out { PREDICTED } else { FITTED };
            chart.draw_series(whisker(
                (o.observed_lo, o.observed_hi),
                at + gap,
                CAP,
                palette::INK.stroke_width(sc.px(1.6)),
            ))?;
            chart.draw_series(std::iter::once(Circle::new(
                (o.observed, at + gap),
                sc.px(4.0),
                palette::INK.filled(),
            )))?;
            chart.draw_series(whisker(
                (o.expected_lo, o.expected_hi),
                at - gap,
                CAP,
                colour.stroke_width(sc.px(2.4)),
            ))?;
            chart.draw_series(std::iter::once(TriangleMarker::new(
                (o.fitted.p, at - gap),
                sc.px(6.0),
                colour.filled(),
            )))?;
        }
        let held = self.held_out();
        if held > 0 && held < n {
            // A rule between the fitted rows and the held-out ones.
            let y = held as f64 - 0.5;
            chart.draw_series(std::iter::once(PathElement::new(
                vec![(0.0, y), (1.0, y)],
                palette::AXIS.stroke_width(sc.px(1.2)),
            )))?;
        }
        legend.draw(frame, legend_rect)
    }
}
