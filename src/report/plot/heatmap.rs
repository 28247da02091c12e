//! The 2-D chart: a heatmap of the agreement probability over the two swept axes (x = the
//! first, y = the second), cells coloured on a viridis scale with a labelled colour bar 0–1;
//! values written in the cells when they are large enough to hold them.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::SweepResult;
use super::font::{self, Scale};
use super::palette;
use super::ticks::{self, TickedRange};
use super::{DrawError, draw_header, run_note};
use crate::sweep::result::AxisInfo;

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

/// The smallest and largest finite edge.
fn span(edges: &[(f64, f64)]) -> (f64, f64) {
    let (lo, hi) = edges
        .iter()
        .flat_map(|&(a, b)| [a, b])
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(v), hi.max(v))
        });
    if lo.is_finite() && hi > lo {
        (lo, hi)
    } else {
        (0.0, 1.0)
    }
}

/// The range of the values themselves (for ticks).
fn value_span(values: &[f64]) -> (f64, f64) {
    values
        .iter()
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &v| {
            (lo.min(v), hi.max(v))
        })
}

pub(super) fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    result: &SweepResult,
    sc: &Scale,
) -> Result<(), DrawError> {
    let meta = &result.meta;
    let (ax, ay) = (&meta.axes[0], &meta.axes[1]);
    let (xe, ye) = (edges(&ax.values, ax), edges(&ay.values, ay));
    let ((x_lo, x_hi), (y_lo, y_hi)) = (span(&xe), span(&ye));

    let tick_style = sc.text(font::TICK, palette::INK);
    let desc_style = sc.text(font::AXIS_TITLE, palette::INK);

    let header_h = draw_header(root, &meta.scenario, &meta.description, sc)?;
    let bar_w = sc.px(160.0);
    let plot_w = sc.width - bar_w;
    let (margin_top, margin_left, margin_right, margin_bottom) =
        (sc.px(16.0), sc.px(16.0), sc.px(16.0), sc.px(14.0));
    let x_label_h = sc.px(62.0);
    let body_h = sc.height - header_h;

    // Ticks: horizontal labels need width, vertical ones height.
    let gap = sc.px(28.0);
    let (vx_lo, vx_hi) = value_span(&ax.values);
    let (vy_lo, vy_hi) = value_span(&ay.values);
    let line_h = (tick_style.font.get_size() * 1.2).ceil() as u32;
    let plot_h = body_h.saturating_sub(margin_top + margin_bottom + x_label_h);
    let fits_y = |labels: &[String]| labels.len() as u32 * (line_h * 2) <= plot_h;
    let y_ticks =
        ticks::at_values(ay, fits_y).unwrap_or_else(|| ticks::for_axis(ay, vy_lo, vy_hi, fits_y));
    let y_label_w = y_ticks
        .labels
        .iter()
        .map(|l| font::width(&tick_style, l))
        .max()
        .unwrap_or(0)
        + sc.px(12.0)
        + (desc_style.font.get_size() * 2.0) as u32;
    let plot_inner_w = plot_w.saturating_sub(margin_left + margin_right + y_label_w);
    let fits_x = |labels: &[String]| {
        let widest = labels
            .iter()
            .map(|l| font::width(&tick_style, l))
            .max()
            .unwrap_or(0);
        labels.len() as u32 * (widest + gap) <= plot_inner_w
    };
    let x_ticks =
        ticks::at_values(ax, fits_x).unwrap_or_else(|| ticks::for_axis(ax, vx_lo, vx_hi, fits_x));

    let body = root.margin(header_h, 0, 0, 0);
    let (plot_area, bar_area) = body.split_horizontally(plot_w);
    let mut chart = ChartBuilder::on(&plot_area)
        .margin_top(margin_top)
        .margin_left(margin_left)
        .margin_right(margin_right)
        .margin_bottom(margin_bottom)
        .x_label_area_size(x_label_h)
        .y_label_area_size(y_label_w)
        .build_cartesian_2d(
            TickedRange {
                lo: x_lo,
                hi: x_hi,
                ticks: x_ticks.values.clone(),
            },
            TickedRange {
                lo: y_lo,
                hi: y_hi,
                ticks: y_ticks.values.clone(),
            },
        )?;
    let x_fmt = |v: &f64| x_ticks.label(*v);
    let y_fmt = |v: &f64| y_ticks.label(*v);
    chart
        .configure_mesh()
        .disable_mesh()
        .x_desc(ax.label.as_str())
        .y_desc(ay.label.as_str())
        .x_label_formatter(&x_fmt)
        .y_label_formatter(&y_fmt)
        .label_style(tick_style.clone())
        .axis_desc_style(desc_style.clone())
        .axis_style(palette::AXIS)
        .set_all_tick_mark_size(sc.px(5.0))
        .draw()?;

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
    let (px_range, py_range) = chart.plotting_area().get_pixel_range();
    let cell_w = (px_range.end - px_range.start) as f64 / ax.values.len() as f64;
    let cell_h = (py_range.end - py_range.start) as f64 / ny as f64;
    let value_size = (cell_h * 0.45).min(15.0 * sc.s);
    if cell_w >= 44.0 * sc.s && cell_h >= 20.0 * sc.s {
        for &((x0, x1), (y0, y1), p) in &cells {
            if !p.is_finite() {
                continue;
            }
            let style = font::anchored(
                &("sans-serif", value_size)
                    .into_font()
                    .color(&palette::ink_on(palette::viridis(p))),
                HPos::Center,
                VPos::Center,
            );
            let centre = chart.backend_coord(&((x0 + x1) / 2.0, (y0 + y1) / 2.0));
            root.draw(&Text::new(format!("{p:.2}"), centre, style))?;
        }
    }
    // A frame around the cells.
    root.draw(&Rectangle::new(
        [
            (px_range.start, py_range.start),
            (px_range.end, py_range.end),
        ],
        palette::AXIS.stroke_width(1),
    ))?;

    draw_colour_bar(
        &bar_area,
        (
            py_range.start - header_h as i32,
            py_range.end - header_h as i32,
        ),
        sc,
    )?;
    let note = font::anchored(
        &sc.text(font::NOTE, palette::MUTED),
        HPos::Right,
        VPos::Bottom,
    );
    root.draw(&Text::new(
        run_note(meta),
        (
            sc.width as i32 - sc.ipx(16.0),
            sc.height as i32 - sc.ipx(10.0),
        ),
        note,
    ))?;
    Ok(())
}

/// A vertical colour bar from 0 (bottom) to 1 (top) spanning `top..bottom` of `area`, with
/// ticks every 0.2 and its title read bottom to top.
fn draw_colour_bar<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    (top, bottom): (i32, i32),
    sc: &Scale,
) -> Result<(), DrawError> {
    let (x0, x1) = (sc.ipx(8.0), sc.ipx(32.0));
    let h = (bottom - top).max(1) as f64;
    let steps = 100;
    for k in 0..steps {
        let y_hi = bottom - (h * (k + 1) as f64 / steps as f64).round() as i32;
        let y_lo = bottom - (h * k as f64 / steps as f64).round() as i32;
        let colour = palette::viridis((k as f64 + 0.5) / steps as f64);
        area.draw(&Rectangle::new([(x0, y_hi), (x1, y_lo)], colour.filled()))?;
    }
    area.draw(&Rectangle::new(
        [(x0, top), (x1, bottom)],
        palette::AXIS.stroke_width(1),
    ))?;
    let label = font::anchored(&sc.text(font::TICK, palette::INK), HPos::Left, VPos::Center);
    let tick = sc.ipx(5.0);
    let mut widest = 0;
    for t in ticks::nice(0.0, 1.0, 5, false).labels.iter().zip(0..) {
        let (text, i) = t;
        let y = bottom - (h * i as f64 / 5.0).round() as i32;
        area.draw(&PathElement::new(
            vec![(x1, y), (x1 + tick, y)],
            palette::AXIS.stroke_width(1),
        ))?;
        area.draw(&Text::new(
            text.clone(),
            (x1 + tick + sc.ipx(4.0), y),
            label.clone(),
        ))?;
        widest = widest.max(font::width(&label, text) as i32);
    }
    let title = font::vertical(&font::anchored(
        &sc.text(font::AXIS_TITLE, palette::INK),
        HPos::Center,
        VPos::Top,
    ));
    let x = x1 + tick + sc.ipx(4.0) + widest + sc.ipx(12.0);
    area.draw(&Text::new("P(agreement)", (x, (top + bottom) / 2), title))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

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
    }
}
