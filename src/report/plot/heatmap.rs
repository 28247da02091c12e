//! The 2-D chart: a heatmap of the agreement probability over the two swept axes (x = the
//! first, y = the second), cells coloured on a viridis scale with a labelled colour bar 0–1;
//! values written in the cells when they are large enough to hold them; cells without rounds in
//! grey, named in the legend under the grid.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::DrawError;
use super::axis::{Axis, TickRule, finite_span};
use super::font;
use super::frame::{Frame, Plot, inner_rect};
use super::legend::{Legend, Side, Swatch};
use super::palette;
use super::sweep::run_note;
use super::ticks;
use super::view::SweepView;
use crate::sweep::result::AxisInfo;

/// The colour bar's title: what the cells show.
const TITLE: &str = "P(agreement)";

/// Cell boundaries around each value: halfway to its neighbours, and half a step beyond the
/// ends (a unit cell for a single value or an option index). Works for descending values.
fn edges(values: &[f64], axis: &AxisInfo) -> Vec<(f64, f64)> {
    let n = values.len();
    if n == 1 {
        let pad = if axis.options.is_some() {
            0.5
        } else {
            (values[0].abs() * 0.05).max(0.5)
        };
        return vec![(values[0] - pad, values[0] + pad)];
    }
    (0..n)
        .map(|i| {
            let before = if i > 0 {
                (values[i - 1] + values[i]) / 2.0
            } else {
                values[0] - (values[1] - values[0]) / 2.0
            };
            let after = if i + 1 < n {
                (values[i] + values[i + 1]) / 2.0
            } else {
                values[n - 1] + (values[n - 1] - values[n - 2]) / 2.0
            };
            (before.min(after), before.max(after))
        })
        .collect()
}

/// The smallest and largest finite edge (0–1 if there are none).
fn span(edges: &[(f64, f64)]) -> (f64, f64) {
    let ends: Vec<f64> = edges.iter().flat_map(|&(a, b)| [a, b]).collect();
    match finite_span(&ends) {
        Some((lo, hi)) if hi > lo => (lo, hi),
        _ => (0.0, 1.0),
    }
}

/// Ticks for a grid axis: its option names, else a tick at each value if they fit.
fn tick_rule(axis: &AxisInfo) -> TickRule {
    match &axis.options {
        Some(options) => TickRule::Names(options.clone()),
        None => TickRule::Values {
            values: axis.values.clone(),
            integer: axis.integer,
        },
    }
}

/// Draws the chart in the frame's body.
pub(super) fn draw<DB: DrawingBackend>(
    frame: &mut Frame<'_, DB>,
    result: &SweepView,
) -> Result<(), DrawError> {
    let sc = frame.sc;
    let meta = &result.meta;
    let (ax, ay) = (&meta.axes[0], &meta.axes[1]);
    let (xe, ye) = (edges(&ax.values, ax), edges(&ay.values, ay));
    let ((x_lo, x_hi), (y_lo, y_hi)) = (span(&xe), span(&ye));

    // The legend under the grid: the grey of cells without rounds (if any), and the run.
    let mut legend = Legend::new(Side::Below);
    if result.points.iter().any(|p| !p.agreement.p.is_finite()) {
        let swatch = Swatch::Square {
            color: palette::MISSING,
        };
        legend.entry(swatch, "no rounds");
    }
    legend.note(run_note(meta));
    // Inset so the legend's text lines up with the title.
    let (rest, legend_rect) = legend.place(&sc, frame.body.inset(0, 0, 0, sc.px(16.0)));
    let (plot_rect, bar_rect) = rest.split_right(sc.px(160.0));

    let x_axis = Axis::new(x_lo, x_hi, tick_rule(ax)).titled(&ax.label);
    let y_axis = Axis::new(y_lo, y_hi, tick_rule(ay)).titled(&ay.label);
    let mut plot = Plot::new(x_axis.without_grid(), y_axis.without_grid());
    plot.margin = [sc.px(16.0), sc.px(16.0), 0, 0];
    let area = frame.area(plot_rect);
    let mut chart = plot.draw(&area, &sc)?;

    // Cells (the last axis varies fastest).
    let ny = ay.values.len();
    let cells: Vec<_> = result
        .points
        .iter()
        .enumerate()
        .map(|(k, p)| (xe[k / ny], ye[k % ny], p.agreement.p))
        .collect();
    chart.draw_series(cells.iter().map(|&((x0, x1), (y0, y1), p)| {
        Rectangle::new([(x0, y1), (x1, y0)], palette::viridis(p).filled())
    }))?;

    // Values in the cells, when every cell is big enough to hold one.
    let inner = inner_rect(&chart);
    let cell_w = inner.w as f64 / ax.values.len() as f64;
    let cell_h = inner.h as f64 / ny as f64;
    let value_size = (cell_h * 0.45).min(15.0 * sc.s);
    if cell_w >= 44.0 * sc.s && cell_h >= 20.0 * sc.s {
        for &((x0, x1), (y0, y1), p) in &cells {
            if !p.is_finite() {
                continue;
            }
            let ink = palette::ink_on(palette::viridis(p));
            let style = ("sans-serif", value_size).into_font().color(&ink);
            let style = font::anchored(&style, HPos::Center, VPos::Center);
            let centre = chart.backend_coord(&((x0 + x1) / 2.0, (y0 + y1) / 2.0));
            frame
                .root
                .draw(&Text::new(format!("{p:.2}"), centre, style))?;
        }
    }
    // A frame around the cells.
    let corners = [(inner.x, inner.y), (inner.right(), inner.bottom())];
    frame
        .root
        .draw(&Rectangle::new(corners, palette::AXIS.stroke_width(1)))?;

    draw_colour_bar(frame, bar_rect.x, (inner.y, inner.bottom()))?;
    legend.draw(frame, legend_rect)
}

/// A vertical colour bar from 0 (bottom) to 1 (top) spanning `top..bottom` of the image,
/// `x` pixels from its left, with ticks every 0.2 and its title read bottom to top.
fn draw_colour_bar<DB: DrawingBackend>(
    frame: &Frame<'_, DB>,
    x: i32,
    (top, bottom): (i32, i32),
) -> Result<(), DrawError> {
    let (root, sc) = (frame.root, &frame.sc);
    let (x0, x1) = (x + sc.ipx(8.0), x + sc.ipx(32.0));
    let h = (bottom - top).max(1) as f64;
    let y_of = |v: f64| bottom - (h * v).round() as i32;
    let steps = 100;
    for k in 0..steps {
        let colour = palette::viridis((k as f64 + 0.5) / steps as f64);
        let (lo, hi) = (k as f64 / steps as f64, (k + 1) as f64 / steps as f64);
        root.draw(&Rectangle::new(
            [(x0, y_of(hi)), (x1, y_of(lo))],
            colour.filled(),
        ))?;
    }
    let axis = palette::AXIS.stroke_width(1);
    root.draw(&Rectangle::new([(x0, top), (x1, bottom)], axis))?;
    let label = font::anchored(&sc.text(font::TICK, palette::INK), HPos::Left, VPos::Center);
    let tick = sc.ipx(5.0);
    let ticks = ticks::nice(0.0, 1.0, 5, false);
    for (&v, text) in ticks.values.iter().zip(&ticks.labels) {
        let y = y_of(v);
        root.draw(&PathElement::new(vec![(x1, y), (x1 + tick, y)], axis))?;
        root.draw(&Text::new(
            text.clone(),
            (x1 + tick + sc.ipx(4.0), y),
            label.clone(),
        ))?;
    }
    let widest = ticks.labels.iter().map(|t| font::width(&label, t)).max();
    let title = font::vertical(&font::anchored(
        &sc.text(font::AXIS_TITLE, palette::INK),
        HPos::Center,
        VPos::Top,
    ));
    let tx = x1 + tick + sc.ipx(4.0) + widest.unwrap_or(0) as i32 + sc.ipx(12.0);
    root.draw(&Text::new(TITLE, (tx, (top + bottom) / 2), title))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::{self, decode, hex, svg_texts};
    use super::super::{png_of, svg_of};
    use super::*;
    use crate::sim::Estimate;

    fn axis(options: bool) -> AxisInfo {
        AxisInfo {
            kind: "clause".into(),
            name: "x".into(),
            label: "x".into(),
            unit: None,
            integer: false,
            options: options.then(|| vec!["a".into(), "b".into()]),
            values: vec![],
        }
    }

    #[test]
    fn cell_edges() {
        assert_eq!(
            edges(&[0.0, 1.0, 3.0], &axis(false)),
            [(-0.5, 0.5), (0.5, 2.0), (2.0, 4.0)]
        );
        assert_eq!(edges(&[2.0, 1.0], &axis(false)), [(1.5, 2.5), (0.5, 1.5)]);
        assert_eq!(edges(&[1.0], &axis(true)), [(0.5, 1.5)]);
        assert_eq!(span(&edges(&[0.0, 1.0, 3.0], &axis(false))), (-0.5, 4.0));
        assert_eq!(span(&[(f64::NAN, f64::NAN)]), (0.0, 1.0));
    }

    #[test]
    fn svg_has_title_axes_cells_and_colour_bar() {
        let r = fixtures::two_axes(11, 6);
        let svg = svg_of(&r, (1200, 750)).unwrap();
        let texts = svg_texts(&svg);
        for text in [
            "peace-plan-2025",
            "troop_cap in 11 steps × path in 6 steps on plan_28",
            "troop_cap (troops)",
            "path (plan_28 → counter_offer)",
            TITLE,
            "600,000",
            "800,000",
            "0.0",
            "0.2",
            "1.0",
            "ratify · 20,000 rounds · seed 7",
        ] {
            assert!(
                texts.iter().any(|t| t == text),
                "no text {text:?} in {texts:?}"
            );
        }
        // Every cell in its colour, with its value written in it.
        for p in &r.points {
            let fill = format!("fill=\"{}\"", hex(palette::viridis(p.agreement.p)));
            assert!(svg.contains(&fill), "no cell of {}", p.agreement.p);
        }
        let values = texts
            .iter()
            .filter(|t| t.len() == 4 && t.starts_with("0."))
            .count();
        assert!(
            values >= r.points.len(),
            "{values} values for {} cells",
            r.points.len()
        );
        // Every cell has rounds: no legend entry for cells without.
        assert!(!texts.iter().any(|t| t == "no rounds"), "{texts:?}");
    }

    #[test]
    fn cells_without_rounds_are_grey_and_named() {
        let mut r = fixtures::two_axes(5, 4);
        r.points[6].agreement = Estimate::from_counts(0, 0);
        let svg = svg_of(&r, (1200, 750)).unwrap();
        assert!(svg_texts(&svg).iter().any(|t| t == "no rounds"));
        let grey = format!("fill=\"{}\"", hex(palette::MISSING));
        // The cell and the legend's square.
        assert!(svg.matches(&grey).count() >= 2, "no grey cell");
    }

    #[test]
    fn option_axes_show_their_names() {
        let texts = svg_texts(&svg_of(&fixtures::with_choice(), (1200, 750)).unwrap());
        for t in [
            "none",
            "bilateral",
            "coalition",
            "NATO-style",
            "security_guarantee",
        ] {
            assert!(texts.iter().any(|x| x == t), "no {t:?} in {texts:?}");
        }
    }

    #[test]
    fn png_has_the_requested_size_and_content() {
        let (w, h, px) = decode(&png_of(&fixtures::two_axes(11, 6), (1200, 750)).unwrap());
        assert_eq!((w, h), (1200, 750));
        fixtures::assert_drawn(&px);
        // One point on each axis.
        let mut one = fixtures::two_axes(2, 2);
        one.meta.axes[0].values.truncate(1);
        one.meta.axes[1].values.truncate(1);
        one.points.truncate(1);
        let (w, _, _) = decode(&png_of(&one, (800, 500)).unwrap());
        assert_eq!(w, 800);
        svg_of(&one, (320, 240)).unwrap();
    }
}
