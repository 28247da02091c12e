//! The chart of a dynamic protocol's run (`accord run FILE --plot PATH`): two panels side by
//! side over the steps of the talks.
//!
//! - Left, "Agreement by step": the share of rounds agreed by each step (cumulative, thick
//!   black), the share still open (the survival curve, grey), and the shares ended by
//!   breakdown and otherwise (deadline, stall, desertion) by each step, each with its Wilson
//!   95% band; the legend gives each ending's share in all. The four add up to 1 at every
//!   step. They are staircases: a step's share spans the step ± ½, so the jump at the
//!   deadline reads as the deadline's own level.
//! - Right, "Concession paths" (alternating, equilibrium): each negotiator's mean utility of
//!   its own offers at the steps where it proposed, over the rounds still going then, one
//!   colour per party, with its mean reservation at those steps dashed in the same colour.
//!   Mediated: "The mediator's text", the text's utility to each voter (and a party
//!   mediator) by step, with the same dashed reservations.
//!
//! Legends sit below the panels, clear of the curves. PNG or SVG by the path's extension.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::BargainResult;
use super::font::{self, Scale};
use super::palette;
use super::ticks::{self, TickedRange, Ticks};
use super::{Chart, DrawError, draw_header};
use crate::sim::Estimate;

/// Panel titles.
pub(super) const ENDINGS_TITLE: &str = "Agreement by step";
pub(super) const OFFERS_TITLE: &str = "Concession paths: utility of each party's own offers";
pub(super) const TEXT_TITLE: &str = "The mediator's text: its utility to each party";

/// Axis titles.
const STEP_AXIS: &str = "step";
const SHARE_AXIS: &str = "share of rounds";
const OWN_AXIS: &str = "utility of own offer";
const TEXT_AXIS: &str = "utility of the text";

/// The y range of both panels, a little past 0–1 so lines at 0 or 1 are not cut in half.
const Y_LO: f64 = -0.02;
const Y_HI: f64 = 1.02;

/// Colours of the endings (parties use the palette's party colours on the right).
const OPEN: RGBColor = RGBColor(130, 130, 130);
const BREAKDOWN: RGBColor = RGBColor(190, 30, 45);
const OTHER: RGBColor = RGBColor(110, 80, 160);

impl Chart for BargainResult {
    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        size: (u32, u32),
    ) -> Result<(), DrawError> {
        draw_chart(root, self, size)
    }
}

/// One curve of the left panel: a share of rounds by step, with its interval.
struct Curve {
    label: String,
    color: RGBColor,
    /// Line width in design pixels.
    width: f64,
    /// Band fill opacity.
    band: f64,
    /// (step, estimate), from step 1.
    points: Vec<(f64, Estimate)>,
}

/// A point of a path: (step, mean utility, mean reservation, rounds).
type PathPoint = (f64, f64, f64, u64);

/// One party's path on the right.
struct PartyPath {
    name: String,
    color: RGBColor,
    points: Vec<PathPoint>,
}

/// `p` as a percentage with one decimal (`43.2%`; `< 0.1%` for small non-zero shares).
fn percent(p: f64) -> String {
    if p > 0.0 && p < 0.0005 {
        "< 0.1%".into()
    } else {
        format!("{:.1}%", p * 100.0)
    }
}

/// The curves of the left panel up to step `last`, drawn in this order (agreement last, on
/// top); endings that never happened are left out.
fn curves(r: &BargainResult, last: u32) -> Vec<Curve> {
    let n = r.rounds;
    let count = |share: f64| (share * n as f64).round().clamp(0.0, n as f64) as u64;
    let est = |share: f64| Estimate::from_counts(count(share), n);
    let (mut agreed, mut open, mut broke, mut other) = (vec![], vec![], vec![], vec![]);
    let (mut broke_sum, mut other_sum) = (0.0, 0.0);
    for s in r.steps.iter().filter(|s| s.step <= last) {
        let x = s.step as f64;
        broke_sum += s.broke_down;
        other_sum += s.ended;
        agreed.push((x, est(s.agreement_by_step)));
        open.push((x, est(s.open)));
        broke.push((x, est(broke_sum)));
        other.push((x, est(other_sum)));
    }
    let mut out = vec![Curve {
        label: "still open (survival)".into(),
        color: OPEN,
        width: 2.5,
        band: 0.18,
        points: open,
    }];
    let others: Vec<(&str, &Estimate)> = [
        ("deadline", &r.endings.deadline),
        ("stalled", &r.endings.stalled),
        ("deserted", &r.endings.deserted),
    ]
    .into_iter()
    .filter(|(_, e)| e.p > 0.0)
    .collect();
    if !others.is_empty() {
        let names: Vec<&str> = others.iter().map(|(k, _)| *k).collect();
        let total: f64 = others.iter().map(|(_, e)| e.p).sum();
        out.push(Curve {
            label: format!("no deal: {} – {} in all", names.join(" / "), percent(total)),
            color: OTHER,
            width: 2.5,
            band: 0.16,
            points: other,
        });
    }
    if r.endings.breakdown.n > 0 && r.endings.breakdown.p > 0.0 {
        out.push(Curve {
            label: format!(
                "broke down by this step – {} in all",
                percent(r.endings.breakdown.p)
            ),
            color: BREAKDOWN,
            width: 2.5,
            band: 0.16,
            points: broke,
        });
    }
    out.push(Curve {
        label: format!("agreed by this step – {} in all", percent(r.agreement.p)),
        color: palette::AGREEMENT,
        width: 4.0,
        band: 0.13,
        points: agreed,
    });
    out
}

/// The paths of the right panel: the offers (alternating, equilibrium) or the text (mediated).
fn paths(r: &BargainResult) -> Vec<PartyPath> {
    let raw: Vec<(String, Vec<PathPoint>)> = if let Some(text) = &r.text {
        text.iter()
            .map(|t| {
                let points = t
                    .steps
                    .iter()
                    .map(|s| (s.step as f64, s.mean_utility, s.mean_reservation, s.n))
                    .collect();
                (t.party.clone(), points)
            })
            .collect()
    } else {
        r.offers
            .iter()
            .flatten()
            .map(|o| {
                let points = o
                    .steps
                    .iter()
                    .map(|s| (s.step as f64, s.mean_own_utility, s.mean_reservation, s.n))
                    .collect();
                (o.party.clone(), points)
            })
            .collect()
    };
    raw.into_iter()
        .enumerate()
        .map(|(k, (name, points))| PartyPath {
            name,
            color: palette::party(k),
            points,
        })
        .collect()
}

/// The last step shown: the deadline, or a later step at which something happened (an
/// ending, an offer, a vote) when an event moved the deadline later; at least 1.
fn last_step(r: &BargainResult, paths: &[PartyPath]) -> u32 {
    let ended = r
        .steps
        .iter()
        .filter(|s| s.agreed > 0.0 || s.broke_down > 0.0 || s.ended > 0.0)
        .map(|s| s.step)
        .max()
        .unwrap_or(0);
    let moved = paths
        .iter()
        .flat_map(|p| p.points.iter().map(|q| q.0 as u32))
        .max()
        .unwrap_or(0);
    ended.max(moved).max(r.deadline).max(1)
}

/// Steps up to which the left panel draws staircases; past it, lines through the steps
/// (treads of a pixel or two would only look ragged).
const MAX_STAIRS: usize = 40;

/// The subtitle: protocol, rounds, seed, deadline, breakdown (and mediator, start text).
fn subtitle(r: &BargainResult) -> String {
    let mut parts = vec![
        r.protocol.clone(),
        format!("{} rounds", ticks::format_number(r.rounds as f64, 0)),
        format!("seed {}", r.seed),
        format!("deadline {} steps", r.deadline),
    ];
    if r.breakdown > 0.0 {
        let pct = format!("{:.3}", r.breakdown * 100.0);
        let pct = pct.trim_end_matches('0').trim_end_matches('.');
        parts.push(format!("breakdown {pct}% per step"));
    }
    if let (Some(m), Some(s)) = (&r.mediator, &r.start) {
        parts.push(format!("mediator {m} from {s}"));
    }
    parts.join(" · ")
}

/// What a legend entry's swatch shows.
#[derive(Clone, Copy)]
enum Swatch {
    /// A band with its line.
    Band {
        color: RGBColor,
        band: f64,
        width: f64,
    },
    /// A line with a dot.
    Party { color: RGBColor },
    /// A dashed line.
    Dashed { color: RGBColor },
}

/// A legend: entries wrapped into rows to fit a width, then notes.
struct Legend {
    rows: Vec<Vec<(Swatch, String)>>,
    notes: Vec<String>,
}

/// Text styles and sizes of a legend.
struct LegendStyle {
    text: TextStyle<'static>,
    note: TextStyle<'static>,
    swatch: u32,
    /// Between a swatch and its label, and between entries.
    inner: u32,
    outer: u32,
}

impl LegendStyle {
    fn new(sc: &Scale) -> LegendStyle {
        LegendStyle {
            text: font::anchored(
                &sc.text(font::LEGEND - 1.0, palette::INK),
                HPos::Left,
                VPos::Center,
            ),
            note: font::anchored(&sc.text(font::NOTE, palette::MUTED), HPos::Left, VPos::Top),
            swatch: sc.px(30.0),
            inner: sc.px(8.0),
            outer: sc.px(22.0),
        }
    }

    fn row_h(&self, sc: &Scale) -> u32 {
        sc.px(font::LEGEND + 10.0)
    }

    fn note_h(&self, sc: &Scale) -> u32 {
        sc.px(font::NOTE + 6.0)
    }
}

impl Legend {
    /// Lays `entries` out in rows no wider than `room` pixels (one entry per row at least).
    fn new(
        entries: Vec<(Swatch, String)>,
        notes: Vec<String>,
        st: &LegendStyle,
        room: u32,
    ) -> Legend {
        let mut rows: Vec<Vec<(Swatch, String)>> = Vec::new();
        let mut used = 0;
        for (swatch, label) in entries {
            let w = st.swatch + st.inner + font::width(&st.text, &label);
            match rows.last_mut() {
                Some(row) if used + st.outer + w <= room => {
                    row.push((swatch, label));
                    used += st.outer + w;
                }
                _ => {
                    rows.push(vec![(swatch, label)]);
                    used = w;
                }
            }
        }
        Legend { rows, notes }
    }

    fn height(&self, st: &LegendStyle, sc: &Scale) -> u32 {
        self.rows.len() as u32 * st.row_h(sc) + sc.px(4.0) + self.notes.len() as u32 * st.note_h(sc)
    }

    /// Draws the legend with its top left at (`x`, `top`) of `area`, within `room` pixels.
    fn draw<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        st: &LegendStyle,
        sc: &Scale,
        (x, top): (i32, i32),
        room: u32,
    ) -> Result<(), DrawError> {
        let sw = st.swatch as i32;
        let mut y = top + st.row_h(sc) as i32 / 2;
        for row in &self.rows {
            let mut cx = x;
            for (swatch, label) in row {
                match *swatch {
                    Swatch::Band { color, band, width } => {
                        let half = sc.ipx(7.0);
                        area.draw(&Rectangle::new(
                            [(cx, y - half), (cx + sw, y + half)],
                            color.mix(band * 1.4).filled(),
                        ))?;
                        area.draw(&PathElement::new(
                            vec![(cx, y), (cx + sw, y)],
                            color.stroke_width(sc.px(width)),
                        ))?;
                    }
                    Swatch::Party { color } => {
                        area.draw(&PathElement::new(
                            vec![(cx, y), (cx + sw, y)],
                            color.stroke_width(sc.px(3.0)),
                        ))?;
                        area.draw(&Circle::new((cx + sw / 2, y), sc.px(4.0), color.filled()))?;
                    }
                    Swatch::Dashed { color } => {
                        let dash = sw / 4;
                        for k in 0..2 {
                            let a = cx + k * (dash * 5 / 2);
                            area.draw(&PathElement::new(
                                vec![(a, y), (a + dash * 3 / 2, y)],
                                color.stroke_width(sc.px(2.0)),
                            ))?;
                        }
                    }
                }
                let lx = cx + sw + st.inner as i32;
                let left = room.saturating_sub((lx - x).max(0) as u32);
                area.draw(&Text::new(
                    font::fit(&st.text, label, left),
                    (lx, y),
                    st.text.clone(),
                ))?;
                cx = lx + font::width(&st.text, label) as i32 + st.outer as i32;
            }
            y += st.row_h(sc) as i32;
        }
        let mut y = y - st.row_h(sc) as i32 / 2 + sc.ipx(4.0);
        for n in &self.notes {
            area.draw(&Text::new(
                font::fit(&st.note, n, room),
                (x, y),
                st.note.clone(),
            ))?;
            y += st.note_h(sc) as i32;
        }
        Ok(())
    }
}

/// The legend of the left panel.
fn endings_legend(curves: &[Curve], rounds: u64, st: &LegendStyle, room: u32) -> Legend {
    // Agreement first in the legend, though drawn last.
    let entries = curves
        .iter()
        .rev()
        .map(|c| {
            (
                Swatch::Band {
                    color: c.color,
                    band: c.band,
                    width: c.width,
                },
                c.label.clone(),
            )
        })
        .collect();
    let notes = vec![format!(
        "Shares of all {} rounds; shaded: 95% intervals",
        ticks::format_number(rounds as f64, 0)
    )];
    Legend::new(entries, notes, st, room)
}

/// The legend of the right panel.
fn paths_legend(paths: &[PartyPath], mediated: bool, st: &LegendStyle, room: u32) -> Legend {
    let mut entries: Vec<(Swatch, String)> = paths
        .iter()
        .map(|p| (Swatch::Party { color: p.color }, p.name.clone()))
        .collect();
    if !paths.is_empty() {
        entries.push((
            Swatch::Dashed {
                color: palette::MARKER,
            },
            "reservation (dashed, same colour)".into(),
        ));
    }
    let note = if mediated {
        "Means over the rounds that voted on the text at each step"
    } else {
        "Means over the rounds in which the party proposed at each step"
    };
    Legend::new(entries, vec![note.into()], st, room)
}

/// Ticks on the step axis `lo..=hi`: whole steps, as dense as fit `width` pixels.
fn step_ticks(lo: f64, hi: f64, width: u32, style: &TextStyle<'_>, gap: u32) -> Ticks {
    for max in (2..=15).rev() {
        let t = ticks::nice(lo, hi, max, true);
        let widest = t
            .labels
            .iter()
            .map(|l| font::width(style, l))
            .max()
            .unwrap_or(0);
        if t.labels.len() as u32 * (widest + gap) <= width {
            return t;
        }
    }
    ticks::nice(lo, hi, 1, true)
}

/// Shared sizes of the two plots, so they line up.
struct Frame {
    x_lo: f64,
    x_hi: f64,
    x_ticks: Ticks,
    y_ticks: Ticks,
    x_label_h: u32,
    y_label_w: u32,
    tick: TextStyle<'static>,
    desc: TextStyle<'static>,
}

fn draw_chart<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    r: &BargainResult,
    size: (u32, u32),
) -> Result<(), DrawError> {
    let sc = Scale::new(size);
    root.fill(&WHITE)?;

    // Header: the scenario, then how it was run (with more room below than a sweep's).
    draw_header(root, &r.scenario, &subtitle(r), &sc)?;
    let header_h = sc.px(16.0 + font::TITLE + 8.0 + font::SUBTITLE + 22.0);

    // Two panels side by side.
    let side = sc.px(12.0);
    let gap = sc.px(28.0);
    let panel_w = sc.width.saturating_sub(2 * side + gap) / 2;
    let lst = LegendStyle::new(&sc);
    let legend_room = panel_w.saturating_sub(sc.px(12.0));
    let paths = paths(r);
    let last = last_step(r, &paths);
    let curves = curves(r, last);
    let mediated = r.text.is_some();
    let left_legend = endings_legend(&curves, r.rounds, &lst, legend_room);
    let right_legend = paths_legend(&paths, mediated, &lst, legend_room);
    let legend_h = left_legend
        .height(&lst, &sc)
        .max(right_legend.height(&lst, &sc));
    let panel_title_h = sc.px(font::AXIS_TITLE + 12.0);
    let bottom = sc.px(10.0);
    let plot_top = header_h + panel_title_h;
    let plot_h = sc
        .height
        .saturating_sub(plot_top + legend_h + sc.px(10.0) + bottom);

    let tick = sc.text(font::TICK, palette::INK);
    let desc = sc.text(font::AXIS_TITLE, palette::INK);
    let x_label_h = sc.px(58.0);
    let y_label_w = sc.px(76.0);
    let last = last as f64;
    // Each step's share spans the step ± ½ on the left; both panels share the range.
    let pad = 0.5 + last * 0.01;
    let plot_inner_w = panel_w.saturating_sub(y_label_w + sc.px(16.0));
    let frame = Frame {
        x_lo: 1.0 - pad,
        x_hi: last + pad,
        x_ticks: step_ticks(1.0, last, plot_inner_w, &tick, sc.px(24.0)),
        y_ticks: ticks::nice(0.0, 1.0, 5, false),
        x_label_h,
        y_label_w,
        tick,
        desc,
    };

    let panel_title = font::anchored(
        &sc.bold(font::AXIS_TITLE, palette::INK),
        HPos::Left,
        VPos::Top,
    );
    for (i, name) in [
        ENDINGS_TITLE,
        if mediated { TEXT_TITLE } else { OFFERS_TITLE },
    ]
    .into_iter()
    .enumerate()
    {
        let left = (side + i as u32 * (panel_w + gap)) as i32;
        root.draw(&Text::new(
            font::fit(&panel_title, name, panel_w),
            (left + sc.ipx(8.0), header_h as i32),
            panel_title.clone(),
        ))?;
        let area = root
            .clone()
            .shrink((left, plot_top as i32), (panel_w, plot_h));
        if i == 0 {
            draw_endings(&area, &curves, &frame, &sc)?;
        } else {
            draw_paths(&area, &paths, mediated, &frame, &sc)?;
        }
        let legend = if i == 0 { &left_legend } else { &right_legend };
        legend.draw(
            root,
            &lst,
            &sc,
            (left + sc.ipx(8.0), (plot_top + plot_h + sc.px(10.0)) as i32),
            legend_room,
        )?;
    }
    root.present()?;
    Ok(())
}

/// Builds a panel's chart on `area` with the shared frame and draws its mesh.
fn chart_on<'a, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, Shift>,
    frame: &Frame,
    y_desc: &str,
    sc: &Scale,
) -> Result<ChartContext<'a, DB, Cartesian2d<TickedRange, TickedRange>>, DrawError> {
    let mut chart = ChartBuilder::on(area)
        .margin_top(sc.px(8.0))
        .margin_right(sc.px(16.0))
        .x_label_area_size(frame.x_label_h)
        .y_label_area_size(frame.y_label_w)
        .build_cartesian_2d(
            TickedRange {
                lo: frame.x_lo,
                hi: frame.x_hi,
                ticks: frame.x_ticks.values.clone(),
            },
            TickedRange {
                lo: Y_LO,
                hi: Y_HI,
                ticks: frame.y_ticks.values.clone(),
            },
        )?;
    let x_fmt = |v: &f64| frame.x_ticks.label(*v);
    let y_fmt = |v: &f64| frame.y_ticks.label(*v);
    chart
        .configure_mesh()
        .x_desc(STEP_AXIS)
        .y_desc(y_desc)
        .x_label_formatter(&x_fmt)
        .y_label_formatter(&y_fmt)
        .label_style(frame.tick.clone())
        .axis_desc_style(frame.desc.clone())
        .bold_line_style(palette::GRID)
        .light_line_style(TRANSPARENT)
        .axis_style(palette::AXIS)
        .set_all_tick_mark_size(sc.px(5.0))
        .draw()?;
    Ok(chart)
}

/// The left panel: how rounds have ended by each step.
fn draw_endings<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    curves: &[Curve],
    frame: &Frame,
    sc: &Scale,
) -> Result<(), DrawError> {
    let mut chart = chart_on(area, frame, SHARE_AXIS, sc)?;
    // Bands beneath every line.
    let stairs = curves.first().map_or(0, |c| c.points.len()) <= MAX_STAIRS;
    let shape = |points: Vec<(f64, f64)>| {
        if stairs {
            staircase(points.into_iter())
        } else {
            points
        }
    };
    for c in curves {
        let hi = shape(c.points.iter().map(|(x, e)| (*x, e.hi)).collect());
        let lo = shape(c.points.iter().map(|(x, e)| (*x, e.lo)).collect());
        let outline: Vec<(f64, f64)> = hi.into_iter().chain(lo.into_iter().rev()).collect();
        chart.draw_series(std::iter::once(Polygon::new(
            outline,
            c.color.mix(c.band).filled(),
        )))?;
    }
    for c in curves {
        let style = c.color.stroke_width(sc.px(c.width));
        chart.draw_series(LineSeries::new(
            shape(c.points.iter().map(|(x, e)| (*x, e.p)).collect()),
            style,
        ))?;
    }
    Ok(())
}

/// Shares by step as a staircase: the value at step `s` spans `s ± ½`, centred on its tick,
/// and the line jumps halfway between steps.
fn staircase(points: impl Iterator<Item = (f64, f64)>) -> Vec<(f64, f64)> {
    let mut out: Vec<(f64, f64)> = Vec::new();
    for (x, y) in points {
        out.push((x - 0.5, y));
        out.push((x + 0.5, y));
    }
    out
}

/// The right panel: each party's offer path (or the text's utility) and reservation.
fn draw_paths<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    paths: &[PartyPath],
    mediated: bool,
    frame: &Frame,
    sc: &Scale,
) -> Result<(), DrawError> {
    let y_desc = if mediated { TEXT_AXIS } else { OWN_AXIS };
    let mut chart = chart_on(area, frame, y_desc, sc)?;
    if paths.iter().all(|p| p.points.is_empty()) {
        let style = font::anchored(
            &sc.text(font::LEGEND, palette::MUTED),
            HPos::Center,
            VPos::Center,
        );
        let (w, h) = chart.plotting_area().dim_in_pixel();
        chart.plotting_area().strip_coord_spec().draw(&Text::new(
            "No offers were made",
            (w as i32 / 2, h as i32 / 2),
            style,
        ))?;
        return Ok(());
    }
    for p in paths {
        let points: Vec<(f64, f64)> = p
            .points
            .iter()
            .filter(|q| q.1.is_finite())
            .map(|q| (q.0, q.1))
            .collect();
        chart.draw_series(LineSeries::new(
            points.iter().copied(),
            p.color.stroke_width(sc.px(3.0)),
        ))?;
        // A dot at each offer while they are few enough to tell apart (always for one).
        if points.len() <= 20 {
            chart.draw_series(
                points
                    .iter()
                    .map(|&(x, y)| Circle::new((x, y), sc.px(3.5), p.color.filled())),
            )?;
        }
    }
    // Reservations, dashed, over the paths (a path along another party's reservation
    // would hide it).
    for p in paths {
        let points: Vec<(f64, f64)> = p
            .points
            .iter()
            .filter(|q| q.2.is_finite())
            .map(|q| (q.0, q.2))
            .collect();
        let style = ShapeStyle {
            color: p.color.mix(0.9),
            filled: false,
            stroke_width: sc.px(2.0),
        };
        if points.len() == 1 {
            let (x, y) = points[0];
            let half = (frame.x_hi - frame.x_lo) / 40.0;
            chart.draw_series(DashedLineSeries::new(
                [(x - half, y), (x + half, y)],
                sc.px(7.0),
                sc.px(5.0),
                style,
            ))?;
        } else {
            chart.draw_series(DashedLineSeries::new(points, sc.px(7.0), sc.px(5.0), style))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::tests::{decode, svg_texts};
    use super::super::{render_bargain_png, render_bargain_svg};
    use super::*;

    #[test]
    fn shares_change_at_whole_steps() {
        let s = staircase([(1.0, 0.5), (2.0, 0.75)].into_iter());
        assert_eq!(s, [(0.5, 0.5), (1.5, 0.5), (1.5, 0.75), (2.5, 0.75)]);
        assert!(staircase(std::iter::empty()).is_empty());
    }
    use crate::protocol::dynamic::result::{
        DynamicParty as BargainParty, Endings, OfferMean, OfferPath, StepResult, TextMean, TextPath,
    };

    /// A three-party alternating run over 14 steps: agreement rising, a 1% breakdown per
    /// step, the rest at the deadline; Boulware, linear and Conceder offer paths.
    fn result() -> BargainResult {
        let n = 20_000u64;
        let deadline = 14u32;
        let mut steps = Vec::new();
        let (mut agreed, mut broke, mut open) = (0.0, 0.0, 1.0);
        for s in 1..=deadline {
            let a = if s >= 4 { open * 0.08 } else { 0.0 };
            let b = open * 0.01;
            let e = if s == deadline { open - a - b } else { 0.0 };
            agreed += a;
            broke += b;
            open -= a + b + e;
            let _ = broke;
            steps.push(StepResult {
                step: s,
                agreed: a,
                broke_down: b,
                ended: e,
                agreement_by_step: agreed,
                open: open.max(0.0),
            });
        }
        let e = |p: f64| Estimate::from_counts((p * n as f64).round() as u64, n);
        let names = ["united_states", "russia", "ukraine"];
        let es = [2.0, 0.2, 0.4];
        let reservations = [0.35, 0.72, 0.38];
        let offers = names
            .iter()
            .enumerate()
            .map(|(k, name)| OfferPath {
                party: name.to_string(),
                steps: (1..=deadline)
                    .filter(|s| (*s as usize - 1) % 3 == k)
                    .map(|s| {
                        let t = (s - 1) as f64 / (deadline - 1) as f64;
                        let r = reservations[k] - if k == 2 && s >= 3 { 0.1 } else { 0.0 };
                        OfferMean {
                            step: s,
                            mean_own_utility: 1.0 - (1.0 - r) * t.powf(1.0 / es[k]),
                            mean_reservation: r,
                            n: 20_000 - 500 * s as u64,
                        }
                    })
                    .collect(),
            })
            .collect();
        BargainResult {
            scenario: "Peace plan, November 2025: alternating offers".into(),
            protocol: "alternating".into(),
            seed: 2025,
            rounds: n,
            result: crate::protocol::dynamic::DynamicResult {
                deadline,
                breakdown: 0.01,
                negotiators: names.iter().map(|s| s.to_string()).collect(),
                mediator: None,
                start: None,
                agreement: e(agreed),
                mean_agreement_step: Some(8.0),
                endings: Endings {
                    agreement: e(agreed),
                    breakdown: e(broke),
                    deadline: e(1.0 - agreed - broke),
                    stalled: e(0.0),
                    deserted: e(0.0),
                },
                steps,
                deal: vec![],
                parties: names
                    .iter()
                    .map(|name| BargainParty {
                        party: name.to_string(),
                        negotiator: true,
                        veto: true,
                        mean_utility: Some(0.5),
                        mean_value: Some(0.5),
                        mean_shortfall: Some(0.2),
                        mean_reservation: Some(0.4),
                    })
                    .collect(),
                amendments: None,
                offers: Some(offers),
                text: None,
            },
        }
    }

    /// The same run as a mediated one: the text's utility to each voter.
    fn mediated() -> BargainResult {
        let mut r = result();
        r.protocol = "mediated".into();
        r.mediator = Some("united_states".into());
        r.start = Some("plan_28".into());
        r.text = Some(
            r.offers
                .take()
                .unwrap_or_default()
                .into_iter()
                .map(|o| TextPath {
                    party: o.party,
                    steps: (1..=7)
                        .map(|s| TextMean {
                            step: s,
                            mean_utility: 0.5 + 0.03 * s as f64,
                            mean_reservation: 0.4,
                            n: 1000,
                        })
                        .collect(),
                })
                .collect(),
        );
        r
    }

    #[test]
    fn png_has_the_requested_size_and_is_not_blank() {
        for size in [(1200, 750), (640, 400), (2400, 1500)] {
            let (w, h, px) = decode(&render_bargain_png(&result(), size).unwrap());
            assert_eq!((w, h), size);
            let white = px.iter().filter(|p| **p == [255, 255, 255]).count();
            assert!(
                white < px.len() * 97 / 100,
                "nearly blank at {size:?}: {white} white of {}",
                px.len()
            );
            let colours = px.iter().collect::<std::collections::HashSet<_>>().len();
            assert!(colours > 50, "{colours} colours at {size:?}");
            // Each party's colour is on the chart.
            for k in 0..3 {
                let RGBColor(r, g, b) = palette::party(k);
                assert!(px.contains(&[r, g, b]), "no pixel of party {k}'s colour");
            }
        }
    }

    #[test]
    fn svg_names_panels_axes_and_parties() {
        let svg = render_bargain_svg(&result(), (1200, 750)).unwrap();
        let texts = svg_texts(&svg);
        let has = |t: &str| texts.iter().any(|x| x == t);
        for t in [
            ENDINGS_TITLE,
            OFFERS_TITLE,
            STEP_AXIS,
            SHARE_AXIS,
            OWN_AXIS,
            "united_states",
            "russia",
            "ukraine",
            "still open (survival)",
            "reservation (dashed, same colour)",
            "Peace plan, November 2025: alternating offers",
            "alternating · 20,000 rounds · seed 2025 · deadline 14 steps · breakdown 1% per step",
        ] {
            assert!(has(t), "no text {t:?} in {texts:?}");
        }
        assert!(
            texts
                .iter()
                .any(|t| t.starts_with("agreed by this step – ")),
            "{texts:?}"
        );
        assert!(
            texts.iter().any(|t| t.starts_with("no deal: deadline – ")),
            "{texts:?}"
        );
        assert!(
            texts
                .iter()
                .any(|t| t.starts_with("broke down by this step")),
            "{texts:?}"
        );
    }

    #[test]
    fn mediated_shows_the_text() {
        let texts = svg_texts(&render_bargain_svg(&mediated(), (1200, 750)).unwrap());
        for t in [TEXT_TITLE, TEXT_AXIS, "russia", "ukraine"] {
            assert!(texts.iter().any(|x| x == t), "no text {t:?} in {texts:?}");
        }
        assert!(
            texts
                .iter()
                .any(|t| t.ends_with("mediator united_states from plan_28")),
            "{texts:?}"
        );
        render_bargain_png(&mediated(), (900, 560)).unwrap();
    }

    #[test]
    fn odd_results_still_draw() {
        // No offers at all, no steps, a single step, no breakdown, long names.
        let mut r = result();
        r.offers = None;
        let texts = svg_texts(&render_bargain_svg(&r, (800, 500)).unwrap());
        assert!(
            texts.iter().any(|t| t == "No offers were made"),
            "{texts:?}"
        );
        r.steps.clear();
        render_bargain_png(&r, (800, 500)).unwrap();
        let mut one = result();
        one.steps.truncate(1);
        for o in one.offers.iter_mut().flatten() {
            o.steps.truncate(1);
        }
        one.breakdown = 0.0;
        one.endings.breakdown = Estimate::from_counts(0, one.rounds);
        one.scenario = "x".repeat(400);
        one.offers.as_mut().unwrap()[0].party = "a party with a very long name indeed".repeat(3);
        render_bargain_png(&one, (320, 240)).unwrap();
        render_bargain_svg(&one, (1200, 750)).unwrap();
        let mut zero = result();
        zero.rounds = 0;
        render_bargain_png(&zero, (800, 500)).unwrap();
        assert_eq!(render_bargain_png(&r, (10, 10)).unwrap_err().exit_code(), 2);
    }
}
