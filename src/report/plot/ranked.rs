//! Ranked bar charts: one horizontal bar per item, best at the top, its length a value and a
//! whisker its 95% interval, each bar labelled in words. At most [`MAX_BARS`] bars: the best.
//!
//! - `accord concessions --plot`: each change's gain (in percentage points of agreement, or
//!   of the ranking party's acceptance) with its paired interval, labelled by the change
//!   ("nato: renounced → deferred"), coloured by its sign.
//! - `accord search --plot`: each deal found, its objective with its interval (a party's
//!   expected value has none), labelled by how it differs from the nearest named proposal
//!   ("plan_28 + troop_cap: 600,000 → 775,000"); the named proposals in the space searched
//!   as dashed lines at their objective.

use plotters::prelude::*;

use super::axis::{Axis, TickRule, finite_span};
use super::frame::{Frame, Plot, whisker};
use super::legend::{Legend, Side, Swatch};
use super::markers::Markers;
use super::{Chart, DrawError, font, palette, ticks};
use crate::error::Error;
use crate::explore::{ConcessionsResult, SearchResult};
use crate::job::Header;

/// The most bars a chart shows (the best ones).
pub const MAX_BARS: usize = 30;

/// Bars that lower the ranked probability; deals that miss a constraint.
const LOSS: RGBColor = palette::PARTY[1];
/// Bars that raise it; deals that meet every constraint.
const GAIN: RGBColor = palette::PARTY[0];

/// One bar: its label, value, interval (no whisker when `None`) and colour.
struct Bar {
    label: String,
    value: f64,
    interval: Option<(f64, f64)>,
    colour: RGBColor,
}

/// A ranked bar chart, as the chart draws it.
pub(super) struct Ranked {
    title: String,
    subtitle: String,
    x_title: String,
    /// Best first.
    bars: Vec<Bar>,
    /// What the bars' colours mean, in the legend (none when one colour says nothing).
    keys: Vec<(RGBColor, &'static str)>,
    /// What the whiskers are, in the legend (`None`: no bar has one).
    whisker: Option<&'static str>,
    /// The legend's notes, the run's last.
    notes: Vec<String>,
    /// Named values marked across the plot: a name and its x.
    marks: Vec<(String, f64)>,
    /// The usage error when there is no bar.
    empty: &'static str,
}

/// `protocol · N rounds · seed S`, the note every ranked chart ends its legend with.
fn run_note(header: &Header) -> String {
    format!(
        "{} · {} rounds · seed {}",
        header.protocol,
        ticks::format_number(header.rounds as f64, 0),
        header.seed
    )
}

impl Ranked {
    /// The gains of a concessions result, in percentage points.
    pub fn concessions(header: &Header, r: &ConcessionsResult) -> Ranked {
        let target = r
            .base
            .parties
            .iter()
            .position(|p| r.ranked_by == format!("acceptance by {}", p.party));
        let pts = |x: f64| x * 100.0;
        let bars = r
            .concessions
            .iter()
            .take(MAX_BARS)
            .map(|c| {
                let change = match target {
                    Some(p) => c.parties[p].accept,
                    None => c.agreement,
                };
                let value = pts(change.delta);
                Bar {
                    label: c.label.clone(),
                    value,
                    interval: Some((pts(change.lo), pts(change.hi))),
                    colour: if value < 0.0 { LOSS } else { GAIN },
                }
            })
            .collect();
        Ranked {
            title: format!("Concessions from {}: gain in {}", r.proposal, r.ranked_by),
            subtitle: format!(
                "{} — {} single-clause changes{}, ranked",
                header.scenario,
                if r.concessions.len() > MAX_BARS {
                    format!("the best {MAX_BARS} of {}", r.concessions.len())
                } else {
                    format!("all {}", r.concessions.len())
                },
                if r.depth == 2 { " and pairs" } else { "" }
            ),
            x_title: format!("change in {} (percentage points)", r.ranked_by),
            bars,
            keys: vec![(GAIN, "gain"), (LOSS, "loss")],
            whisker: Some("paired 95% interval"),
            notes: vec![run_note(header)],
            marks: Vec::new(),
            empty: "--plot: there is no concession to chart",
        }
    }

    /// The deals a search found, by their objective; the named proposals in the space marked.
    pub fn search(header: &Header, r: &SearchResult) -> Ranked {
        let bars: Vec<Bar> = r
            .deals
            .iter()
            .take(MAX_BARS)
            .map(|d| Bar {
                label: d.label(),
                value: d.objective,
                interval: d.objective_estimate(&r.objective).map(|e| (e.lo, e.hi)),
                colour: if d.meets_constraints { GAIN } else { LOSS },
            })
            .collect();
        let (what, unit) = match r.objective.split_once(':') {
            Some(("value", party)) => (
                format!("{party}'s expected value"),
                " of proposing the deal",
            ),
            Some(("accept", party)) => (format!("{party}'s acceptance"), " (probability)"),
            _ => ("agreement".to_string(), " (probability)"),
        };
        let mut bounds: Vec<String> = r.constraints.clone();
        bounds.extend(r.within.iter().map(|w| format!("within {w}")));
        let title = if bounds.is_empty() {
            format!("The best deals by {what}")
        } else {
            format!("The best deals by {what}, {}", bounds.join(", "))
        };
        let method = if r.method == "exact" {
            "searched exactly"
        } else {
            "raced"
        };
        let mut notes = Vec::new();
        if !r.proposals.is_empty() {
            notes.push("Dashed: named proposals in the space".to_string());
        }
        if r.objective.starts_with("value:") {
            notes.push(
                "value = P(agree)·u + (1 − P(agree))·r: no interval (the table gives agreement's)"
                    .to_string(),
            );
        }
        notes.push(run_note(header));
        let misses = bars.iter().any(|b| b.colour == LOSS);
        Ranked {
            title,
            subtitle: format!(
                "{} — the best {} of {} deals ({method}), each as it differs from the nearest named proposal",
                header.scenario,
                r.deals.len().min(MAX_BARS),
                crate::text::thousands(r.space as i128),
            ),
            x_title: format!("{what}{unit}"),
            whisker: bars
                .iter()
                .any(|b| b.interval.is_some())
                .then_some("95% interval"),
            bars,
            keys: if misses {
                vec![
                    (GAIN, "meets the constraints"),
                    (LOSS, "misses a constraint"),
                ]
            } else {
                Vec::new()
            },
            notes,
            marks: r
                .proposals
                .iter()
                .filter(|p| p.objective.is_finite())
                .map(|p| (format!("{} {:.3}", p.proposal, p.objective), p.objective))
                .collect(),
            empty: "--plot: the search found no deal to chart",
        }
    }
}

impl Chart for Ranked {
    fn check(&self) -> Result<(), Error> {
        if self.bars.is_empty() {
            return Err(Error::usage(self.empty, None));
        }
        Ok(())
    }

    fn draw<DB: DrawingBackend>(&self, frame: &mut Frame<'_, DB>) -> Result<(), DrawError> {
        let sc = frame.sc;
        frame.header(&self.title, &self.subtitle)?;
        let mut legend = Legend::new(Side::Below);
        for &(color, label) in &self.keys {
            legend.entry(Swatch::Square { color }, label);
        }
        if let Some(label) = self.whisker {
            legend.entry(
                Swatch::Whisker {
                    color: palette::INK,
                },
                label,
            );
        }
        for note in &self.notes {
            legend.note(note.clone());
        }
        let (plot_rect, legend_rect) = legend.place(&sc, frame.body);
        let n = self.bars.len();
        let mut values: Vec<f64> = self
            .bars
            .iter()
            .flat_map(|b| {
                let (lo, hi) = b.interval.unwrap_or((b.value, b.value));
                [lo, b.value, hi]
            })
            .chain(self.marks.iter().map(|m| m.1))
            .collect();
        values.push(0.0);
        let (lo, hi) = finite_span(&values).unwrap_or((-1.0, 1.0));
        let span = (hi - lo).max(0.1);
        let (lo, hi) = (lo - 0.05 * span, hi + 0.05 * span);
        // Every bar labelled: the tick labels shrink (down to 9 design pixels) until a line
        // and a half of text per bar fits the plot's height, and are cut short at half the
        // plot's width.
        let per_design_px = sc.px(100.0) as f64 / 100.0;
        let room = plot_rect.h as f64 / per_design_px - 90.0;
        let tick_size = (room / (n as f64 * 1.8)).clamp(9.0, font::TICK);
        let tick = sc.text(tick_size, palette::INK);
        // Bar i (0 the best) sits at y = n − 1 − i, so the best is at the top.
        let names: Vec<String> = self
            .bars
            .iter()
            .rev()
            .map(|b| font::fit(&tick, &b.label, plot_rect.w / 2))
            .collect();
        let y = Axis::new(-0.6, n as f64 - 0.4, TickRule::Names(names)).without_grid();
        let x = Axis::new(lo, hi, TickRule::round(lo, hi, false, 8)).titled(&self.x_title);
        let mut plot = Plot::new(x, y);
        plot.tick_size = tick_size;
        plot.margin = [sc.px(10.0), sc.px(28.0), sc.px(10.0), sc.px(16.0)];
        let mut marks = Markers::place(&sc, &mut plot, plot_rect, self.marks.iter().cloned());
        let area = frame.area(plot_rect);
        let mut chart = plot.draw(&area, &sc)?;
        marks.draw_lines(&mut chart, &plot, &sc)?;
        let half = 0.32;
        for (i, b) in self.bars.iter().enumerate() {
            let at = (n - 1 - i) as f64;
            if !b.value.is_finite() {
                continue;
            }
            chart.draw_series(std::iter::once(Rectangle::new(
                [(0.0, at - half), (b.value, at + half)],
                b.colour.mix(0.75).filled(),
            )))?;
            let Some((l, h)) = b.interval else {
                continue;
            };
            let style = palette::INK.stroke_width(sc.px(1.6));
            chart.draw_series(whisker((l, h), at, half * 0.5, style))?;
        }
        let zero = palette::AXIS.stroke_width(sc.px(1.2));
        chart.draw_series(std::iter::once(PathElement::new(
            vec![(0.0, -0.6), (0.0, n as f64 - 0.4)],
            zero,
        )))?;
        marks.draw_labels(frame, &chart, &plot)?;
        legend.draw(frame, legend_rect)
    }
}
