//! The seeds chart: small multiples, one panel per estimate (agreement, then each party), each
//! showing every seed's estimate with its 95% interval against the mean across seeds and the
//! band of ± 1.96 mean standard errors around it (the spread the intervals claim). Several
//! proposals are laid out as rows, estimates as columns, while the panels stay legible;
//! otherwise the first proposal's panels fill a grid and the subtitle says so.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::axis::{Axis, TickRule, finite_span};
use super::font::{self, Scale};
use super::frame::{Frame, Plot, Rect, inner_rect};
use super::legend::{Legend, Side, Swatch};
use super::palette;
use super::seeds_plan::{Plan, count, plan, subtitle, table};
use super::{Chart, DrawError};
use crate::analysis::seeds::{SeedSummary, SeedsReport, Verdict, ratio_band};
use crate::sim::estimate::Z95;

/// Verdicts that say the intervals are wrong.
const FLAG: RGBColor = RGBColor(190, 30, 45);

/// Smallest legible panel, in design pixels (title and tick labels included).
const MIN_PANEL: (f64, f64) = (190.0, 150.0);

impl Chart for SeedsReport {
    fn draw<DB: DrawingBackend>(&self, frame: &mut Frame<'_, DB>) -> Result<(), DrawError> {
        draw_chart(frame, self)
    }
}

/// The panel's verdict: `consistent (ratio 1.04)`, `exact`, ….
fn verdict_text(s: &SeedSummary) -> String {
    match s.verdict {
        Verdict::Exact => s.verdict.text().to_string(),
        _ if s.ratio.is_finite() => format!("{} (ratio {:.2})", s.verdict.text(), s.ratio),
        _ => s.verdict.text().to_string(),
    }
}

fn verdict_flagged(v: Verdict) -> bool {
    matches!(v, Verdict::SpreadTooWide | Verdict::SpreadTooNarrow)
}

/// The line and dot colour of column `c`: black for agreement, the party palette otherwise.
fn column_colour(columns: &[&str], c: usize) -> RGBColor {
    if columns[c] == "agreement" {
        return palette::AGREEMENT;
    }
    let k = columns[..c].iter().filter(|n| **n != "agreement").count();
    palette::party(k)
}

/// The probabilities a panel shows, `lo..hi` within 0–1: every seed's estimate and interval
/// (seeds without rounds left out) and the claimed band, with a margin, and at least a span
/// of 0.002 so identical estimates do not collapse it.
fn y_range(s: &SeedSummary) -> (f64, f64) {
    const MIN_SPAN: f64 = 0.002;
    let seeds = s.per_seed.iter().filter(|e| e.p.is_finite());
    let mut values: Vec<f64> = seeds.flat_map(|e| [e.lo, e.p, e.hi]).collect();
    if s.mean_se.is_finite() {
        values.extend([s.mean - Z95 * s.mean_se, s.mean + Z95 * s.mean_se]);
    }
    let Some((lo, hi)) = finite_span(&values) else {
        return (0.0, 1.0);
    };
    let (mut lo, mut hi) = (lo.clamp(0.0, 1.0), hi.clamp(0.0, 1.0));
    if hi - lo < MIN_SPAN {
        let c = (lo + hi) / 2.0;
        (lo, hi) = (c - MIN_SPAN / 2.0, c + MIN_SPAN / 2.0);
    }
    let margin = (hi - lo) * 0.08;
    (lo, hi) = ((lo - margin).max(0.0), (hi + margin).min(1.0));
    // Pushed against 0 or 1: keep the least span inside.
    if hi - lo < MIN_SPAN {
        (lo, hi) = if lo <= 0.0 {
            (0.0, MIN_SPAN)
        } else {
            (1.0 - MIN_SPAN, 1.0)
        };
    }
    (lo, hi)
}

/// The label of seed number `i` (its position if the report lists fewer seeds).
fn seed_label(seeds: &[u64], i: usize) -> String {
    seeds
        .get(i)
        .map(|s| s.to_string())
        .unwrap_or_else(|| format!("#{}", i + 1))
}

/// Text styles shared by the panels.
struct Styles {
    name: TextStyle<'static>,
    verdict: TextStyle<'static>,
    flagged: TextStyle<'static>,
    /// Panel titles on two lines (name, then verdict) because one line does not fit.
    two_lines: bool,
}

impl Styles {
    fn new(sc: &Scale) -> Styles {
        let top_left = |s: TextStyle<'static>| font::anchored(&s, HPos::Left, VPos::Top);
        Styles {
            name: top_left(sc.bold(font::PANEL, palette::INK)),
            verdict: top_left(sc.text(font::NOTE + 1.0, palette::MUTED)),
            flagged: top_left(sc.bold(font::NOTE + 1.0, FLAG)),
            two_lines: false,
        }
    }

    fn verdict_style(&self, v: Verdict) -> &TextStyle<'static> {
        if verdict_flagged(v) {
            &self.flagged
        } else {
            &self.verdict
        }
    }

    /// Height of a panel's title.
    fn title_h(&self, sc: &Scale) -> u32 {
        if self.two_lines {
            sc.px(font::PANEL + 6.0 + font::NOTE + 8.0)
        } else {
            sc.px(font::PANEL + 10.0)
        }
    }
}

const DASH: &str = " — ";

/// Draws the whole chart: the header, the panels in the plan's layout, the legend under them.
fn draw_chart<DB: DrawingBackend>(
    frame: &mut Frame<'_, DB>,
    report: &SeedsReport,
) -> Result<(), DrawError> {
    let sc = frame.sc;
    let t = table(report);
    let legend = legend(report);
    // The plan decides the subtitle, so lay the body out as under a header with one.
    let below_header = frame
        .body
        .inset(Frame::<DB>::header_height(&sc, true), 0, 0, 0);
    let side = sc.px(16.0);
    let (body, legend_rect) = legend.place(&sc, below_header.inset(0, side, 0, side));
    let head_h = sc.px(font::AXIS_TITLE + 14.0);
    let min = (sc.px(MIN_PANEL.0), sc.px(MIN_PANEL.1));
    let plan = plan(t.rows.len(), t.columns.len(), (body.w, body.h), min, head_h);
    frame.header(&report.scenario, &subtitle(report, &t, plan))?;
    legend.draw(frame, legend_rect)?;

    // Panels: (row of the grid, column, proposal, estimate); rows of proposals get a heading.
    let (cols, grid_rows, picks): (usize, usize, Vec<_>) = match plan {
        Plan::Rows { shown } => {
            let n = t.columns.len();
            let picks = (0..shown * n).map(|k| (k / n, k % n, k / n, k % n));
            (n, shown, picks.collect())
        }
        Plan::Grid { cols, rows, shown } => {
            let picks = (0..shown).map(|k| (k / cols, k % cols, 0, k));
            (cols, rows, picks.collect())
        }
    };
    let heads = matches!(plan, Plan::Rows { .. });
    let cells: Vec<(usize, usize, &SeedSummary, RGBColor)> = picks
        .into_iter()
        .filter_map(|(r, c, p, e)| Some((r, c, t.rows.get(p)?.1[e]?, column_colour(&t.columns, e))))
        .collect();
    if cells.is_empty() {
        return frame.message(body, "No estimates to compare");
    }

    let head = if heads { head_h } else { 0 };
    let cell_w = body.w / cols.max(1) as u32;
    let cell_h = (body.h / grid_rows.max(1) as u32).saturating_sub(head);
    let gap = sc.px(18.0);
    let mut styles = Styles::new(&sc);
    let title_room = cell_w.saturating_sub(gap);
    styles.two_lines = cells.iter().any(|(_, _, s, _)| {
        let rest = format!("{DASH}{}", verdict_text(s));
        font::width(&styles.name, &s.estimate) + font::width(styles.verdict_style(s.verdict), &rest)
            > title_room
    });
    if heads {
        let names = t.rows.iter().take(grid_rows).map(|r| r.0);
        draw_heads(frame, names, body, cell_h + head, head)?;
    }

    // One width for every panel's probability labels, so the plots line up and the seed
    // labels are thinned alike.
    let panels: Vec<(Rect, &SeedSummary, RGBColor, Plot)> = cells
        .iter()
        .map(|&(r, c, s, colour)| {
            let x = body.x + (c as u32 * cell_w) as i32;
            let y = body.y + (r as u32 * (cell_h + head) + head) as i32;
            let cell = Rect::new(x, y, cell_w, cell_h);
            let rect = cell.inset(0, gap.saturating_sub(sc.px(8.0)), 0, sc.px(8.0));
            (rect, s, colour, panel_plot(s, &report.seeds, &styles, &sc))
        })
        .collect();
    let y_label_w = panels
        .iter()
        .map(|(r, _, _, plot)| plot.layout(&sc, (r.w, r.h)).y_label_w)
        .max()
        .unwrap_or(0);
    for (rect, s, colour, mut plot) in panels {
        plot.y_label_w = y_label_w;
        draw_panel(frame, rect, s, colour, &plot, &styles)?;
    }
    Ok(())
}

/// Each proposal's name over its row of panels (rows `pitch` pixels apart, headings `head`
/// high), followed by a rule across the row.
fn draw_heads<'n, DB: DrawingBackend>(
    frame: &Frame<'_, DB>,
    names: impl Iterator<Item = &'n str>,
    body: Rect,
    pitch: u32,
    head: u32,
) -> Result<(), DrawError> {
    let sc = &frame.sc;
    let style = font::anchored(
        &sc.bold(font::AXIS_TITLE, palette::INK),
        HPos::Left,
        VPos::Center,
    );
    let rule_style = palette::GRID.stroke_width(sc.px(1.5));
    for (r, name) in names.enumerate() {
        let y = body.y + (r as u32 * pitch) as i32 + head as i32 / 2 - sc.ipx(2.0);
        let left = body.x + sc.ipx(8.0);
        let text = font::fit(&style, name, body.w.saturating_sub(sc.px(16.0)));
        let rule = left + font::width(&style, &text) as i32 + sc.ipx(12.0);
        frame
            .root
            .draw(&Text::new(text, (left, y), style.clone()))?;
        if rule < body.right() {
            let ends = vec![(rule, y), (body.right(), y)];
            frame.root.draw(&PathElement::new(ends, rule_style))?;
        }
    }
    Ok(())
}

/// A panel's plot: seeds across (labels thinned to fit), the probabilities its data span up
/// (as many round ones as fit), under the panel's title.
fn panel_plot(s: &SeedSummary, seeds: &[u64], st: &Styles, sc: &Scale) -> Plot {
    let n = s.per_seed.len();
    let labels = (0..n).map(|i| seed_label(seeds, i)).collect();
    let x = Axis::new(-0.6, n.max(1) as f64 - 0.4, TickRule::Names(labels));
    let (lo, hi) = y_range(s);
    let pad = (hi - lo) * 0.04;
    let y = Axis::new(lo - pad, hi + pad, TickRule::round(lo, hi, false, 4));
    let mut plot = Plot::new(x.without_grid(), y);
    plot.tick_size = font::NOTE;
    plot.tick_gap = 12.0;
    plot.margin = [st.title_h(sc) + sc.px(6.0), sc.px(6.0), 0, 0];
    plot
}

/// One panel in `r`: title, then each seed's estimate and interval over the mean and its
/// claimed band.
fn draw_panel<DB: DrawingBackend>(
    frame: &Frame<'_, DB>,
    r: Rect,
    s: &SeedSummary,
    colour: RGBColor,
    plot: &Plot,
    st: &Styles,
) -> Result<(), DrawError> {
    let sc = &frame.sc;
    // Title: the estimate in bold, then its verdict (on the next line if they do not fit).
    let verdict = verdict_text(s);
    let vstyle = st.verdict_style(s.verdict);
    if st.two_lines {
        frame.text(&s.estimate, (r.x, r.y), &st.name, r.w)?;
        let y = r.y + sc.ipx(font::PANEL + 6.0);
        frame.text(&verdict, (r.x, y), vstyle, r.w)?;
    } else {
        let name_w = font::width(&st.name, &s.estimate) as i32;
        frame.text(&s.estimate, (r.x, r.y), &st.name, r.w)?;
        // Align the smaller text's baseline roughly with the name's.
        let dy = sc.ipx((font::PANEL - font::NOTE - 1.0) * 0.55);
        let rest = format!("{DASH}{verdict}");
        frame.text(&rest, (r.x + name_w, r.y + dy), vstyle, r.w)?;
    }

    let area = frame.area(r);
    let mut chart = plot.draw(&area, sc)?;
    let (x_lo, x_hi) = (plot.x.lo, plot.x.hi);
    let (y_min, y_max) = (plot.y.lo, plot.y.hi);
    // What the intervals claim: the mean ± 1.96 mean standard errors.
    if s.mean.is_finite() {
        if s.mean_se.is_finite() && s.mean_se > 0.0 {
            let b_lo = (s.mean - Z95 * s.mean_se).clamp(y_min, y_max);
            let b_hi = (s.mean + Z95 * s.mean_se).clamp(y_min, y_max);
            let alpha = if colour == palette::AGREEMENT {
                0.10
            } else {
                0.16
            };
            let band = Rectangle::new([(x_lo, b_hi), (x_hi, b_lo)], colour.mix(alpha).filled());
            chart.draw_series(std::iter::once(band))?;
        }
        let mean = vec![(x_lo, s.mean), (x_hi, s.mean)];
        let style = colour.mix(0.8).stroke_width(sc.px(1.5));
        chart.draw_series(std::iter::once(PathElement::new(mean, style)))?;
    }

    // Each seed: whisker from lo to hi with short caps, and a dot at the estimate; all
    // narrower when the seeds are crowded.
    let per_seed_px = inner_rect(&chart).w as f64 / (x_hi - x_lo);
    let cap = (sc.px(4.0) as f64).min(per_seed_px * 0.3) / per_seed_px.max(1e-9);
    let radius = (sc.px(4.0) as f64).min(per_seed_px * 0.35).max(1.0) as u32;
    let whisker = colour.stroke_width(sc.px(1.5).min((per_seed_px * 0.3).max(1.0) as u32));
    for (i, e) in s.per_seed.iter().enumerate() {
        let x = i as f64;
        if e.p.is_finite() && e.lo.is_finite() && e.hi.is_finite() && e.hi > e.lo {
            let mut marks = vec![PathElement::new(vec![(x, e.lo), (x, e.hi)], whisker)];
            for y in [e.lo, e.hi] {
                marks.push(PathElement::new(vec![(x - cap, y), (x + cap, y)], whisker));
            }
            chart.draw_series(marks)?;
        }
        if e.p.is_finite() {
            let dot = Circle::new((x, e.p), radius, colour.filled());
            chart.draw_series(std::iter::once(dot))?;
        }
    }
    Ok(())
}

/// The legend under the panels: what a dot and whisker, and the line over its band, mean;
/// then how to read the verdict.
fn legend(report: &SeedsReport) -> Legend {
    let ink = palette::MARKER;
    let mut legend = Legend::new(Side::Below);
    legend.entry(
        Swatch::Whisker { color: ink },
        "one seed: estimate and its 95% interval",
    );
    legend.entry(
        Swatch::Band {
            color: ink,
            fill: 0.16,
            width: 1.5,
        },
        "mean across seeds ± 1.96 × mean SE (the spread the intervals claim)",
    );
    if !report.protocol.is_empty() {
        legend.note(&report.protocol);
    }
    legend.note("ratio = SD across seeds ÷ mean SE, 1 for honest intervals");
    let s = report.seeds.len();
    let [b_lo, b_hi] = ratio_band(s);
    legend.note(if b_hi.is_finite() {
        format!(
            "consistent when it lies in {b_lo:.2}–{b_hi:.2}, the central 99% for {}",
            count(s, "seed")
        )
    } else {
        "a verdict needs at least 3 seeds".to_string()
    });
    legend.note("each panel's scale is zoomed to its data");
    legend
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::{self, decode, dots, seeds_report as report, summary, svg_texts};
    use super::super::{png_of, svg_of};
    use super::*;
    use crate::sim::Estimate;

    #[test]
    fn png_has_the_requested_size_and_content() {
        let r = report(&["plan_28"]);
        for size in [(1200, 750), (640, 400)] {
            let (w, h, px) = decode(&png_of(&r, size).unwrap());
            assert_eq!((w, h), size);
            fixtures::assert_drawn(&px);
        }
    }

    #[test]
    fn svg_names_panels_verdicts_and_seeds() {
        let r = report(&["plan_28"]);
        let svg = svg_of(&r, (1200, 750)).unwrap();
        let texts = svg_texts(&svg);
        let has = |t: &str| texts.iter().any(|x| x == t);
        for name in ["agreement", "ukraine", "russia", "united_states"] {
            assert!(has(name), "no panel {name:?} in {texts:?}");
        }
        for s in &r.estimates {
            let verdict = verdict_text(s);
            assert!(
                texts.iter().any(|t| t.ends_with(&verdict)),
                "no verdict {verdict:?} in {texts:?}"
            );
        }
        assert!(has("Peace plan, November 2025"), "{texts:?}");
        assert!(has("plan_28 · 10 seeds × 20,000 rounds"), "{texts:?}");
        for seed in ["11", "33", "55"] {
            assert!(has(seed), "no seed tick {seed:?} in {texts:?}");
        }
        // The legend: both entries and the notes joined into lines.
        assert!(has("one seed: estimate and its 95% interval"), "{texts:?}");
        assert!(
            has("mean across seeds ± 1.96 × mean SE (the spread the intervals claim)"),
            "{texts:?}"
        );
        assert!(
            texts
                .iter()
                .any(|t| t.starts_with("ratify · ratio = SD across seeds ÷ mean SE")),
            "{texts:?}"
        );
        // A dot per seed in each panel's colour (the legend's dot is grey), and no tick label
        // with float noise.
        for c in 0..4 {
            let colour = column_colour(&["agreement", "ukraine", "russia", "united_states"], c);
            assert_eq!(dots(&svg, colour), 10, "panel {c}");
        }
        assert_eq!(dots(&svg, palette::MARKER), 1);
        assert!(fixtures::noisy(&texts).is_empty(), "{texts:?}");
    }

    #[test]
    fn several_proposals_are_rows_until_they_do_not_fit() {
        let r = report(&["plan_28", "plan_19", "bridge"]);
        let texts = svg_texts(&svg_of(&r, (1200, 750)).unwrap());
        for name in ["plan_28", "plan_19", "bridge"] {
            assert!(
                texts.iter().any(|t| t == name),
                "no row {name:?} in {texts:?}"
            );
        }
        let texts = svg_texts(&svg_of(&r, (640, 400)).unwrap());
        assert!(
            texts
                .iter()
                .any(|t| t == "plan_28 (first of 3 proposals) · 10 seeds × 20,000 rounds"),
            "{texts:?}"
        );
        assert!(!texts.iter().any(|t| t == "plan_19"), "{texts:?}");
    }

    #[test]
    fn y_range_zooms_to_the_data() {
        let s = summary("p", "a", &[0.13, 0.14, 0.135], 20_000, Verdict::Consistent);
        let (lo, hi) = y_range(&s);
        assert!(
            lo > 0.12 && lo < 0.13 && hi > 0.14 && hi < 0.15,
            "{lo} {hi}"
        );
        let ticks = super::super::ticks::nice(lo, hi, 5, false);
        assert!(
            ticks.labels.iter().all(|l| l.len() >= 5),
            "{:?}",
            ticks.labels
        );
        // A seed without rounds (interval 0–1) does not zoom the panel out.
        let mut gap = s.clone();
        gap.per_seed.push(Estimate::from_counts(0, 0));
        assert_eq!(y_range(&gap), (lo, hi));
        let exact = summary("p", "a", &[1.0; 5], 20_000, Verdict::Exact);
        let (lo, hi) = y_range(&exact);
        assert!(hi == 1.0 && lo < 1.0 && lo > 0.99, "{lo} {hi}");
        let zero = summary("p", "a", &[0.0; 5], 20_000, Verdict::Exact);
        let (lo, hi) = y_range(&zero);
        assert!(lo == 0.0 && hi > 0.0 && hi < 0.01, "{lo} {hi}");
    }

    #[test]
    fn seed_labels_thin_out_in_narrow_panels() {
        let sc = Scale::new((1200, 750));
        let st = Styles::new(&sc);
        let ps: Vec<f64> = (0..40).map(|i| 0.5 + 0.001 * (i % 7) as f64).collect();
        let s = summary("p", "a", &ps, 20_000, Verdict::Consistent);
        let seeds: Vec<u64> = (1..=40).map(|i| i * 1000).collect();
        let plot = panel_plot(&s, &seeds, &st, &sc);
        let narrow = plot.layout(&sc, (220, 160)).x_ticks;
        let wide = plot.layout(&sc, (2400, 160)).x_ticks;
        assert_eq!(narrow.labels.first().map(String::as_str), Some("1000"));
        assert!(narrow.labels.len() < wide.labels.len(), "{narrow:?}");
        assert_eq!(wide.labels.len(), 40);
        // Seeds the report does not list are numbered.
        assert_eq!(seed_label(&seeds[..2], 2), "#3");
    }

    #[test]
    fn odd_reports_still_draw() {
        let mut r = report(&["plan_28", "plan_19"]);
        // A seed with no rounds, a missing cell, an empty per-seed list, fewer seeds listed.
        r.estimates[0].per_seed[3] = Estimate::from_counts(0, 0);
        r.estimates.remove(5);
        r.estimates[2].per_seed.clear();
        r.estimates[2].mean = f64::NAN;
        r.seeds.truncate(4);
        r.estimates[1].estimate =
            "a party with a very long name that cannot fit in any panel".into();
        for size in [(1200, 750), (320, 240), (3000, 600)] {
            png_of(&r, size).unwrap();
            svg_of(&r, size).unwrap();
        }
        let empty = SeedsReport {
            estimates: vec![],
            seeds: vec![],
            ..r.clone()
        };
        let texts = svg_texts(&svg_of(&empty, (800, 500)).unwrap());
        assert!(
            texts.iter().any(|t| t == "No estimates to compare"),
            "{texts:?}"
        );
        png_of(&empty, (800, 500)).unwrap();
    }
}
