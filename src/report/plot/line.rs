//! The 1-D chart: probability of acceptance along the swept axis, one line per veto party and
//! a thick black line for agreement of all of them, each with its 95% band; named proposals
//! as dashed vertical markers labelled above the plot; the legend in a column on the right.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::SweepResult;
use super::font::{self, Scale};
use super::palette;
use super::ticks::{self, TickedRange};
use super::{DrawError, draw_header, run_note};
use crate::sim::Estimate;

/// The y range, a little past 0–1 so lines at 0 or 1 are not cut in half by the frame.
const Y_LO: f64 = -0.02;
const Y_HI: f64 = 1.02;

/// One line of the chart.
struct Series {
    name: String,
    color: RGBColor,
    /// Line width in design pixels.
    width: f64,
    /// Band fill opacity.
    band: f64,
    /// (x, estimate), sorted by x.
    points: Vec<(f64, Estimate)>,
}

/// Agreement first (drawn underneath, so a party line that coincides with it stays visible),
/// then each veto party in scenario order — except for a dynamic protocol, whose parties'
/// acceptance is its agreement: only the agreement line.
fn series(result: &SweepResult) -> Vec<Series> {
    let meta = &result.meta;
    let ratify = meta.protocol == "ratify";
    let sorted = |mut v: Vec<(f64, Estimate)>| {
        v.sort_by(|a, b| a.0.total_cmp(&b.0));
        v
    };
    let mut out = vec![Series {
        name: if ratify {
            "agreement (all vetoes)"
        } else {
            "agreement"
        }
        .into(),
        color: palette::AGREEMENT,
        width: 4.5,
        band: 0.13,
        points: sorted(
            result
                .points
                .iter()
                .map(|p| (p.x[0], p.agreement))
                .collect(),
        ),
    }];
    let vetoes = meta
        .parties
        .iter()
        .enumerate()
        .filter(|(i, _)| ratify && meta.veto.get(*i) == Some(&true));
    for (k, (i, name)) in vetoes.enumerate() {
        let points = result
            .points
            .iter()
            .filter_map(|p| {
                let e = p
                    .parties
                    .iter()
                    .find(|q| &q.party == name)
                    .or_else(|| p.parties.get(i))?;
                Some((p.x[0], e.accept))
            })
            .collect();
        out.push(Series {
            name: name.clone(),
            color: palette::party(k),
            width: 2.5,
            band: 0.16,
            points: sorted(points),
        });
    }
    out
}

/// Runs of consecutive points with a defined estimate (a point with no rounds breaks a line).
fn runs(points: &[(f64, Estimate)]) -> Vec<&[(f64, Estimate)]> {
    points
        .split(|(x, e)| !(x.is_finite() && e.p.is_finite() && e.lo.is_finite() && e.hi.is_finite()))
        .filter(|r| !r.is_empty())
        .collect()
}

/// The x range: the swept values (option indices padded by a little for a choice axis).
fn x_range(result: &SweepResult) -> (f64, f64) {
    let axis = &result.meta.axes[0];
    let xs = axis
        .values
        .iter()
        .chain(result.points.iter().map(|p| &p.x[0]));
    let (lo, hi) = xs
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &v| {
            (lo.min(v), hi.max(v))
        });
    if !lo.is_finite() {
        return (0.0, 1.0);
    }
    if axis.options.is_some() {
        return (lo - 0.35, hi + 0.35);
    }
    if hi > lo {
        (lo, hi)
    } else {
        let pad = (lo.abs() * 0.05).max(if axis.integer { 1.0 } else { 0.5 });
        (lo - pad, hi + pad)
    }
}

/// A marker label placed above the plot.
struct Placed {
    name: String,
    /// Marker position on the axis.
    x: f64,
    /// Marker position, pixels from the left of the image.
    px: i32,
    /// Label box, left and right.
    left: i32,
    right: i32,
    /// Row above the plot, 0 nearest.
    row: usize,
}

/// Puts each label in the lowest row where it overlaps no other label, no lead of a label above
/// crosses it, and its own lead crosses no label below; failing that, the lowest row where only
/// its own lead crosses a label. At most `max_rows` rows; labels that fit nowhere go on top.
fn place_labels(
    mut labels: Vec<(String, f64, i32, i32)>,
    (x0, x1): (i32, i32),
    gap: i32,
    max_rows: usize,
) -> Vec<Placed> {
    labels.sort_by_key(|l| l.2);
    let mut placed: Vec<Placed> = Vec::new();
    for (name, x, px, w) in labels {
        let left = (px - w / 2).clamp(x0, (x1 - w).max(x0));
        let right = left + w;
        let free = |row: usize, strict: bool| {
            placed.iter().all(|p| {
                let overlaps = left < p.right + gap && p.left < right + gap;
                let same_row = p.row == row && overlaps;
                let crosses_me = p.row > row && left - gap <= p.px && p.px <= right + gap;
                let i_cross = p.row < row && p.left - gap <= px && px <= p.right + gap;
                !(same_row || crosses_me || (strict && i_cross))
            })
        };
        let row = (0..max_rows)
            .find(|&r| free(r, true))
            .or_else(|| (0..max_rows).find(|&r| free(r, false)))
            .unwrap_or(max_rows - 1);
        placed.push(Placed {
            name,
            x,
            px,
            left,
            right,
            row,
        });
    }
    placed
}

pub(super) fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    result: &SweepResult,
    sc: &Scale,
) -> Result<(), DrawError> {
    let meta = &result.meta;
    let axis = &meta.axes[0];
    let series = series(result);
    let (lo, hi) = x_range(result);

    let tick_style = sc.text(font::TICK, palette::INK);
    let desc_style = sc.text(font::AXIS_TITLE, palette::INK);
    let legend_style = font::anchored(
        &sc.text(font::LEGEND, palette::INK),
        HPos::Left,
        VPos::Center,
    );
    let note_style = font::anchored(&sc.text(font::NOTE, palette::MUTED), HPos::Left, VPos::Top);
    let marker_style = font::anchored(
        &sc.text(font::MARKER, palette::MARKER),
        HPos::Center,
        VPos::Bottom,
    );

    // Layout, in pixels: header, then the plot with the legend column to its right.
    let header_h = draw_header(root, &meta.scenario, &meta.description, sc)?;
    let markers: Vec<_> = meta
        .markers
        .iter()
        .filter(|m| m.x.is_finite() && m.x >= lo - 1e-9 * (hi - lo) && m.x <= hi + 1e-9 * (hi - lo))
        .collect();
    let mut notes = vec!["Shaded: 95% interval".to_string()];
    if !markers.is_empty() {
        notes.push("Dashed: named proposals".into());
    }
    notes.push(run_note(meta));
    let swatch = sc.px(30.0);
    let text_w = series
        .iter()
        .map(|s| font::width(&legend_style, &s.name) + swatch + sc.px(10.0))
        .chain(notes.iter().map(|n| font::width(&note_style, n)))
        .max()
        .unwrap_or(0);
    // Slack for SVG viewers whose sans-serif is wider than the embedded font measured here.
    let legend_w = (text_w * 23 / 20 + sc.px(40.0)).clamp(sc.px(170.0), sc.width * 3 / 10);
    let plot_w = sc.width - legend_w;
    let (margin_left, margin_right, margin_bottom) = (sc.px(16.0), sc.px(28.0), sc.px(14.0));
    let (y_label_w, x_label_h) = (sc.px(80.0), sc.px(62.0));
    let (x0, x1) = (
        (margin_left + y_label_w) as i32,
        (plot_w - margin_right) as i32,
    );

    // Ticks: the densest round steps whose labels keep a gap of two characters.
    let gap = sc.px(28.0);
    let x_ticks = ticks::for_axis(axis, lo, hi, |labels| {
        let widest = labels
            .iter()
            .map(|l| font::width(&tick_style, l))
            .max()
            .unwrap_or(0);
        labels.len() as u32 * (widest + gap) <= (x1 - x0).max(0) as u32
    });
    let y_ticks = ticks::nice(0.0, 1.0, 5, false);

    // Marker labels in rows above the plot, clear of each other.
    let to_px = |v: f64| x0 + ((v - lo) / (hi - lo) * (x1 - x0) as f64).round() as i32;
    let labels: Vec<(String, f64, i32, i32)> = markers
        .iter()
        .map(|m| {
            (
                m.name.clone(),
                m.x,
                to_px(m.x),
                // With slack for wider SVG fonts; labels are drawn centred in their box.
                (font::width(&marker_style, &m.name) * 23 / 20) as i32,
            )
        })
        .collect();
    let mut placed = place_labels(labels, (x0, x1 + margin_right as i32 / 2), sc.ipx(10.0), 4);
    let row_h = sc.px(font::MARKER + 5.0);
    let rows = placed.iter().map(|p| p.row + 1).max().unwrap_or(0) as u32;
    let margin_top = sc.px(14.0) + rows * row_h;

    let body = root.margin(header_h, 0, 0, 0);
    let (plot_area, legend_area) = body.split_horizontally(plot_w);
    let mut chart = ChartBuilder::on(&plot_area)
        .margin_top(margin_top)
        .margin_left(margin_left)
        .margin_right(margin_right)
        .margin_bottom(margin_bottom)
        .x_label_area_size(x_label_h)
        .y_label_area_size(y_label_w)
        .build_cartesian_2d(
            TickedRange {
                lo,
                hi,
                ticks: x_ticks.values.clone(),
            },
            TickedRange {
                lo: Y_LO,
                hi: Y_HI,
                ticks: y_ticks.values.clone(),
            },
        )?;
    let x_fmt = |v: &f64| x_ticks.label(*v);
    let y_fmt = |v: &f64| y_ticks.label(*v);
    chart
        .configure_mesh()
        .x_desc(axis.label.as_str())
        .y_desc(if meta.protocol == "ratify" {
            "P(accept)"
        } else {
            "P(agreement)"
        })
        .x_label_formatter(&x_fmt)
        .y_label_formatter(&y_fmt)
        .label_style(tick_style.clone())
        .axis_desc_style(desc_style.clone())
        .bold_line_style(palette::GRID)
        .light_line_style(TRANSPARENT)
        .axis_style(palette::AXIS)
        .set_all_tick_mark_size(sc.px(5.0))
        .draw()?;

    // Bands, all beneath every line.
    for s in &series {
        for run in runs(&s.points) {
            let outline: Vec<(f64, f64)> = run
                .iter()
                .map(|(x, e)| (*x, e.hi))
                .chain(run.iter().rev().map(|(x, e)| (*x, e.lo)))
                .collect();
            if run.len() == 1 {
                let (x, e) = run[0];
                let half = (hi - lo) / 200.0;
                chart.draw_series(std::iter::once(Rectangle::new(
                    [(x - half, e.hi), (x + half, e.lo)],
                    s.color.mix(s.band).filled(),
                )))?;
            } else {
                chart.draw_series(std::iter::once(Polygon::new(
                    outline,
                    s.color.mix(s.band).filled(),
                )))?;
            }
        }
    }

    // Markers under the lines.
    let dash = ShapeStyle {
        color: palette::MARKER.mix(0.85),
        filled: false,
        stroke_width: sc.px(1.5),
    };
    for m in &markers {
        chart.draw_series(DashedLineSeries::new(
            [(m.x, Y_LO), (m.x, Y_HI)],
            sc.px(7.0),
            sc.px(5.0),
            dash,
        ))?;
    }

    // Lines: agreement first and thickest, parties on top of it.
    let choice = axis.options.is_some();
    for s in &series {
        let style = ShapeStyle {
            color: s.color.to_rgba(),
            filled: false,
            stroke_width: sc.px(s.width),
        };
        for run in runs(&s.points) {
            chart.draw_series(LineSeries::new(run.iter().map(|(x, e)| (*x, e.p)), style))?;
            if choice || run.len() == 1 {
                let r = sc.px(s.width + 2.0);
                chart.draw_series(
                    run.iter()
                        .map(|(x, e)| Circle::new((*x, e.p), r, s.color.filled())),
                )?;
            }
        }
    }

    // Marker labels, re-centred on the exact position plotters maps each marker to, with a
    // short lead from the frame up to a label in a higher row unless it would cross another.
    let top = chart.plotting_area().get_pixel_range().1.start;
    for p in &mut placed {
        let exact = chart.backend_coord(&(p.x, Y_HI)).0;
        p.left += exact - p.px;
        p.right += exact - p.px;
        p.px = exact;
    }
    for p in &placed {
        let bottom = top - sc.ipx(4.0) - (p.row as u32 * row_h) as i32;
        let crosses = placed
            .iter()
            .any(|q| q.row < p.row && q.left <= p.px && p.px <= q.right);
        if p.row > 0 && !crosses {
            root.draw(&PathElement::new(vec![(p.px, top), (p.px, bottom)], dash))?;
        }
        root.draw(&Text::new(
            p.name.clone(),
            ((p.left + p.right) / 2, bottom - sc.ipx(1.0)),
            marker_style.clone(),
        ))?;
    }

    draw_legend(
        &legend_area,
        &series,
        &notes,
        margin_top,
        sc,
        &legend_style,
        &note_style,
    )?;
    Ok(())
}

/// The legend column: a swatch (band with its line) and name per series, then notes.
fn draw_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    series: &[Series],
    notes: &[String],
    top: u32,
    sc: &Scale,
    text: &TextStyle<'static>,
    note: &TextStyle<'static>,
) -> Result<(), DrawError> {
    let x = sc.ipx(8.0);
    let swatch = sc.ipx(30.0);
    let max_w = area
        .dim_in_pixel()
        .0
        .saturating_sub(sc.px(24.0) + swatch as u32 + x as u32);
    let mut y = top as i32 + sc.ipx(10.0);
    for s in series {
        let half = sc.ipx(7.0);
        area.draw(&Rectangle::new(
            [(x, y - half), (x + swatch, y + half)],
            s.color.mix(s.band * 1.4).filled(),
        ))?;
        let line = ShapeStyle {
            color: s.color.to_rgba(),
            filled: false,
            stroke_width: sc.px(s.width),
        };
        area.draw(&PathElement::new(vec![(x, y), (x + swatch, y)], line))?;
        let name = font::fit(text, &s.name, max_w);
        area.draw(&Text::new(
            name,
            (x + swatch + sc.ipx(10.0), y),
            text.clone(),
        ))?;
        y += sc.ipx(font::LEGEND + 16.0);
    }
    y += sc.ipx(6.0);
    let note_w = area.dim_in_pixel().0.saturating_sub(sc.px(16.0) + x as u32);
    for n in notes {
        area.draw(&Text::new(font::fit(note, n, note_w), (x, y), note.clone()))?;
        y += sc.ipx(font::NOTE + 6.0);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_do_not_collide() {
        let labels = vec![
            ("a".to_string(), 0.0, 100, 60),
            ("b".to_string(), 0.0, 120, 60),
            ("c".to_string(), 0.0, 400, 60),
        ];
        let placed = place_labels(labels, (0, 1000), 10, 4);
        assert_eq!(placed.iter().map(|p| p.row).collect::<Vec<_>>(), [0, 1, 0]);
        // b's marker is under a's wide label: no row avoids the crossing, so the lowest clear row.
        let labels = vec![
            ("a".to_string(), 0.0, 100, 200),
            ("b".to_string(), 0.0, 150, 40),
        ];
        let placed = place_labels(labels, (0, 1000), 10, 4);
        assert_eq!(placed[1].row, 1);
    }

    #[test]
    fn missing_estimates_break_the_line() {
        let e = Estimate {
            p: 0.5,
            lo: 0.4,
            hi: 0.6,
            n: 10,
        };
        let gap = Estimate {
            p: f64::NAN,
            lo: 0.0,
            hi: 1.0,
            n: 0,
        };
        let pts = vec![(0.0, e), (1.0, e), (2.0, gap), (3.0, e)];
        assert_eq!(
            runs(&pts).iter().map(|r| r.len()).collect::<Vec<_>>(),
            [2, 1]
        );
    }
}
