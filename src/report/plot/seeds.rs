//! The seeds chart: small multiples, one panel per estimate (agreement, then each party), each
//! showing every seed's estimate with its 95% interval against the mean across seeds and the
//! band of ± 1.96 mean standard errors around it (the spread the intervals claim). Several
//! proposals are laid out as rows, estimates as columns, while the panels stay legible;
//! otherwise the first proposal's panels fill a grid and the subtitle says so.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::font::{self, Scale};
use super::palette;
use super::ticks::{self, TickedRange, Ticks};
use super::{Chart, DrawError, draw_header};
use crate::analysis::seeds::{SeedSummary, SeedsReport, Verdict, ratio_band};
use crate::sim::estimate::Z95;

/// Verdicts that say the intervals are wrong.
const FLAG: RGBColor = RGBColor(190, 30, 45);

/// Smallest legible panel, in design pixels (title and tick labels included).
const MIN_PANEL: (f64, f64) = (190.0, 150.0);

impl Chart for SeedsReport {
    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        size: (u32, u32),
    ) -> Result<(), DrawError> {
        draw_chart(root, self, size)
    }
}

/// The report's summaries as a table: proposals (rows) × estimates (columns).
struct Table<'a> {
    /// Estimate names in report order, agreement first.
    columns: Vec<&'a str>,
    /// Each proposal in report order with its summary for each column, if it has one.
    rows: Vec<(&'a str, Vec<Option<&'a SeedSummary>>)>,
}

fn table(report: &SeedsReport) -> Table<'_> {
    let mut columns: Vec<&str> = Vec::new();
    let mut proposals: Vec<&str> = Vec::new();
    for s in &report.estimates {
        if !columns.contains(&s.estimate.as_str()) {
            columns.push(&s.estimate);
        }
        if !proposals.contains(&s.proposal.as_str()) {
            proposals.push(&s.proposal);
        }
    }
    // Stable: agreement to the front, parties keep their order.
    columns.sort_by_key(|c| *c != "agreement");
    let rows = proposals
        .into_iter()
        .map(|p| {
            let cells = columns
                .iter()
                .map(|c| {
                    report
                        .estimates
                        .iter()
                        .find(|s| s.proposal == p && s.estimate == *c)
                })
                .collect();
            (p, cells)
        })
        .collect();
    Table { columns, rows }
}

/// How the panels are laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Plan {
    /// The first `shown` proposals as rows, one column per estimate.
    Rows { shown: usize },
    /// The first proposal's first `shown` estimates, `cols` × `rows`, filled row by row.
    Grid {
        cols: usize,
        rows: usize,
        shown: usize,
    },
}

/// Proposals as rows when at least two rows of panels of at least `min` pixels fit in `w` ×
/// `h` (each row also needing `head` pixels for its proposal's name); else the first proposal
/// alone, in the grid that gives the largest panels (as many as fit at `min`).
fn plan(
    proposals: usize,
    estimates: usize,
    (w, h): (u32, u32),
    (min_w, min_h): (u32, u32),
    head: u32,
) -> Plan {
    let (min_w, min_h) = (min_w.max(1), min_h.max(1));
    let fit_rows = (h / (min_h + head)) as usize;
    if proposals >= 2
        && estimates >= 1
        && (estimates as u32).saturating_mul(min_w) <= w
        && fit_rows >= 2
    {
        return Plan::Rows {
            shown: proposals.min(fit_rows),
        };
    }
    let max_cols = ((w / min_w) as usize).max(1);
    let max_rows = ((h / min_h) as usize).max(1);
    let shown = estimates.min(max_cols * max_rows);
    if shown == 0 {
        return Plan::Grid {
            cols: 1,
            rows: 1,
            shown: 0,
        };
    }
    // Panels a little wider than tall read best: score a grid by its panels' smaller side.
    let score = |cols: usize| {
        let rows = shown.div_ceil(cols);
        let (pw, ph) = (w as f64 / cols as f64, h as f64 / rows as f64);
        (pw / 1.3).min(ph)
    };
    let cols = (1..=shown.min(max_cols))
        .filter(|&c| shown.div_ceil(c) <= max_rows)
        .max_by(|&a, &b| score(a).total_cmp(&score(b)).then(b.cmp(&a)))
        .unwrap_or(max_cols.min(shown));
    Plan::Grid {
        cols,
        rows: shown.div_ceil(cols),
        shown,
    }
}

/// `count` of `noun` with an English plural.
fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{} {noun}s", ticks::format_number(n as f64, 0))
    }
}

/// What the chart shows: the proposals drawn (and any left out), seeds and rounds.
fn subtitle(report: &SeedsReport, t: &Table, plan: Plan) -> String {
    let total = t.rows.len();
    let names = |k: usize| {
        t.rows
            .iter()
            .take(k)
            .map(|r| r.0)
            .collect::<Vec<_>>()
            .join(", ")
    };
    let what = match plan {
        Plan::Rows { shown } if shown < total => {
            format!("{} (first {shown} of {total} proposals)", names(shown))
        }
        Plan::Rows { shown } => names(shown),
        Plan::Grid { shown, .. } => {
            let mut left_out = Vec::new();
            if total > 1 {
                left_out.push(format!("first of {total} proposals"));
            }
            if shown < t.columns.len() {
                left_out.push(format!("first {shown} of {} estimates", t.columns.len()));
            }
            if left_out.is_empty() {
                names(1)
            } else {
                format!("{} ({})", names(1), left_out.join("; "))
            }
        }
    };
    let runs = format!(
        "{} × {}",
        count(report.seeds.len(), "seed"),
        count(report.rounds as usize, "round")
    );
    if what.is_empty() {
        runs
    } else {
        format!("{what} · {runs}")
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
/// (seeds without rounds left out) and the claimed band, with a margin, and at least a span of 0.002 so identical estimates do not collapse it.
fn y_range(s: &SeedSummary) -> (f64, f64) {
    let mut values: Vec<f64> = s
        .per_seed
        .iter()
        .filter(|e| e.p.is_finite())
        .flat_map(|e| [e.lo, e.p, e.hi])
        .filter(|v| v.is_finite())
        .collect();
    if s.mean.is_finite() && s.mean_se.is_finite() {
        values.extend([s.mean - Z95 * s.mean_se, s.mean + Z95 * s.mean_se]);
    }
    let (mut lo, mut hi) = values
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &v| {
            (lo.min(v), hi.max(v))
        });
    if !(lo.is_finite() && hi.is_finite()) {
        return (0.0, 1.0);
    }
    (lo, hi) = (lo.clamp(0.0, 1.0), hi.clamp(0.0, 1.0));
    const MIN_SPAN: f64 = 0.002;
    if hi - lo < MIN_SPAN {
        let c = (lo + hi) / 2.0;
        (lo, hi) = (c - MIN_SPAN / 2.0, c + MIN_SPAN / 2.0);
    }
    let margin = (hi - lo) * 0.08;
    lo = (lo - margin).max(0.0);
    hi = (hi + margin).min(1.0);
    if hi - lo < MIN_SPAN {
        if lo <= 0.0 {
            hi = MIN_SPAN;
        } else {
            lo = 1.0 - MIN_SPAN;
        }
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

/// Every seed's label at its index, or every second, third, … one until `fits` accepts them.
fn seed_ticks(seeds: &[u64], n: usize, fits: impl Fn(&[String]) -> bool) -> Ticks {
    for every in 1..=n.max(1) {
        let picked: Vec<usize> = (0..n).step_by(every).collect();
        let labels: Vec<String> = picked.iter().map(|&i| seed_label(seeds, i)).collect();
        if fits(&labels) || every >= n {
            return Ticks {
                values: picked.iter().map(|&i| i as f64).collect(),
                labels,
            };
        }
    }
    Ticks {
        values: vec![],
        labels: vec![],
    }
}

/// Text styles shared by the panels.
struct Styles {
    name: TextStyle<'static>,
    verdict: TextStyle<'static>,
    flagged: TextStyle<'static>,
    tick: TextStyle<'static>,
    /// Panel titles on two lines (name, then verdict) because one line does not fit.
    two_lines: bool,
}

impl Styles {
    fn new(sc: &Scale) -> Styles {
        let top_left = |s: TextStyle<'static>| font::anchored(&s, HPos::Left, VPos::Top);
        Styles {
            name: top_left(sc.bold(font::LEGEND, palette::INK)),
            verdict: top_left(sc.text(font::NOTE + 1.0, palette::MUTED)),
            flagged: top_left(sc.bold(font::NOTE + 1.0, FLAG)),
            tick: sc.text(font::NOTE, palette::INK),
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
            sc.px(font::LEGEND + 6.0 + font::NOTE + 8.0)
        } else {
            sc.px(font::LEGEND + 10.0)
        }
    }
}

const DASH: &str = " — ";

/// Draws the whole chart on `root`.
fn draw_chart<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    report: &SeedsReport,
    size: (u32, u32),
) -> Result<(), DrawError> {
    let sc = Scale::new(size);
    root.fill(&WHITE)?;
    let t = table(report);

    // Vertical layout: header, panels, key.
    let header_h = sc.px(16.0 + font::TITLE + 8.0 + font::SUBTITLE + 16.0);
    let side = sc.px(16.0);
    let body_w = sc.width.saturating_sub(2 * side);
    let key_room = body_w.saturating_sub(sc.px(16.0));
    let key = Key::new(report, &sc, key_room);
    let key_h = key.height(&sc);
    let body_h = sc.height.saturating_sub(header_h + key_h);
    let head_h = sc.px(font::AXIS_TITLE + 14.0);
    let min = (sc.px(MIN_PANEL.0), sc.px(MIN_PANEL.1));
    let plan = plan(t.rows.len(), t.columns.len(), (body_w, body_h), min, head_h);

    draw_header(root, &report.scenario, &subtitle(report, &t, plan), &sc)?;

    // Cells: (row of the grid, column, summary, colour); rows of proposals get a heading.
    let mut cells: Vec<(usize, usize, Option<&SeedSummary>, RGBColor)> = Vec::new();
    let (cols, grid_rows, heads) = match plan {
        Plan::Rows { shown } => {
            for (r, (_, row)) in t.rows.iter().take(shown).enumerate() {
                for (c, s) in row.iter().enumerate() {
                    cells.push((r, c, *s, column_colour(&t.columns, c)));
                }
            }
            (t.columns.len(), shown, true)
        }
        Plan::Grid { cols, rows, shown } => {
            if let Some((_, row)) = t.rows.first() {
                for (k, s) in row.iter().take(shown).enumerate() {
                    cells.push((k / cols, k % cols, *s, column_colour(&t.columns, k)));
                }
            }
            (cols, rows, false)
        }
    };

    let x0 = side as i32;
    let y0 = header_h as i32;
    let head = if heads { head_h } else { 0 };
    let cell_w = body_w / cols.max(1) as u32;
    let cell_h = (body_h / grid_rows.max(1) as u32).saturating_sub(head);
    let gap = sc.px(18.0);

    let mut styles = Styles::new(&sc);
    let title_room = cell_w.saturating_sub(gap);
    styles.two_lines = cells.iter().any(|(_, _, s, _)| {
        s.is_some_and(|s| {
            font::width(&styles.name, &s.estimate)
                + font::width(
                    styles.verdict_style(s.verdict),
                    &format!("{DASH}{}", verdict_text(s)),
                )
                > title_room
        })
    });

    if cells.is_empty() {
        let style = font::anchored(
            &sc.text(font::SUBTITLE, palette::MUTED),
            HPos::Center,
            VPos::Center,
        );
        root.draw(&Text::new(
            "No estimates to compare",
            (sc.width as i32 / 2, y0 + body_h as i32 / 2),
            style,
        ))?;
    }

    if heads {
        // Each proposal's name, followed by a rule across the row.
        let style = font::anchored(
            &sc.bold(font::AXIS_TITLE, palette::INK),
            HPos::Left,
            VPos::Center,
        );
        let right = x0 + body_w as i32;
        for (r, (name, _)) in t.rows.iter().take(grid_rows).enumerate() {
            let y = y0 + (r as u32 * (cell_h + head)) as i32 + head as i32 / 2 - sc.ipx(2.0);
            let left = x0 + sc.ipx(8.0);
            let text = font::fit(&style, name, body_w.saturating_sub(sc.px(16.0)));
            let rule = left + font::width(&style, &text) as i32 + sc.ipx(12.0);
            root.draw(&Text::new(text, (left, y), style.clone()))?;
            if rule < right {
                root.draw(&PathElement::new(
                    vec![(rule, y), (right, y)],
                    palette::GRID.stroke_width(sc.px(1.5)),
                ))?;
            }
        }
    }

    // One width for every panel's probability labels, so the plots line up and the seed
    // labels are thinned alike.
    let plot_h = plot_height(cell_h, &styles, &sc);
    let y_label_w = cells
        .iter()
        .filter_map(|(_, _, s, _)| *s)
        .flat_map(|s| y_ticks(s, plot_h, &styles).labels)
        .map(|l| font::width(&styles.tick, &l))
        .max()
        .unwrap_or(0)
        + sc.px(12.0);
    for &(r, c, s, colour) in &cells {
        let left = x0 + (c as u32 * cell_w) as i32;
        let top = y0 + (r as u32 * (cell_h + head) + head) as i32;
        let area = root.clone().shrink((left, top), (cell_w, cell_h));
        let area = area.margin(0, 0, sc.px(8.0), gap.saturating_sub(sc.px(8.0)));
        draw_panel(&area, s, &report.seeds, colour, &styles, y_label_w, &sc)?;
    }

    key.draw(
        root,
        &sc,
        (x0 + sc.ipx(8.0), sc.height as i32 - key_h as i32),
        key_room,
    )?;
    root.present()?;
    Ok(())
}

/// Space for a panel's seed labels, and above its plot, in design pixels.
const X_LABEL_H: f64 = font::NOTE + 14.0;
const MARGIN_TOP: f64 = 6.0;

/// The height of the plot in a panel `h` pixels high.
fn plot_height(h: u32, st: &Styles, sc: &Scale) -> u32 {
    h.saturating_sub(st.title_h(sc) + sc.px(X_LABEL_H) + sc.px(MARGIN_TOP))
}

/// As many round probabilities in `s`'s range as fit `plot_h` pixels.
fn y_ticks(s: &SeedSummary, plot_h: u32, st: &Styles) -> Ticks {
    let (lo, hi) = y_range(s);
    let line_h = (st.tick.font.get_size() * 1.2).ceil() as u32;
    (2..=4)
        .rev()
        .map(|m| ticks::nice(lo, hi, m, false))
        .find(|t| t.values.len() as u32 * line_h * 4 / 3 <= plot_h)
        .unwrap_or_else(|| ticks::nice(lo, hi, 1, false))
}

/// One panel: title, then each seed's estimate and interval over the mean and its claimed band.
fn draw_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    s: Option<&SeedSummary>,
    seeds: &[u64],
    colour: RGBColor,
    st: &Styles,
    y_label_w: u32,
    sc: &Scale,
) -> Result<(), DrawError> {
    let Some(s) = s else {
        return Ok(());
    };
    let (w, h) = area.dim_in_pixel();

    // Title: the estimate in bold, then its verdict (on the next line if they do not fit).
    let verdict = verdict_text(s);
    let vstyle = st.verdict_style(s.verdict);
    if st.two_lines {
        area.draw(&Text::new(
            font::fit(&st.name, &s.estimate, w),
            (0, 0),
            st.name.clone(),
        ))?;
        let y = sc.ipx(font::LEGEND + 6.0);
        area.draw(&Text::new(
            font::fit(vstyle, &verdict, w),
            (0, y),
            vstyle.clone(),
        ))?;
    } else {
        let name_w = font::width(&st.name, &s.estimate) as i32;
        area.draw(&Text::new(s.estimate.clone(), (0, 0), st.name.clone()))?;
        let rest = format!("{DASH}{verdict}");
        // Align the smaller text's baseline roughly with the name's.
        let dy = sc.ipx((font::LEGEND - font::NOTE - 1.0) * 0.55);
        area.draw(&Text::new(rest, (name_w, dy), vstyle.clone()))?;
    }

    let n = s.per_seed.len();
    let (lo, hi) = y_range(s);
    let pad_y = (hi - lo) * 0.04;
    let (x_lo, x_hi) = (-0.6, n.max(1) as f64 - 0.4);

    // Ticks: as many round probabilities as fit the height, seeds thinned to fit the width.
    let title_h = st.title_h(sc);
    let y_ticks = y_ticks(s, plot_height(h, st, sc), st);
    let plot_w = w.saturating_sub(y_label_w + sc.px(6.0));
    let tick_gap = sc.px(12.0);
    let x_ticks = seed_ticks(seeds, n, |labels| {
        let widest = labels
            .iter()
            .map(|l| font::width(&st.tick, l))
            .max()
            .unwrap_or(0);
        // Labels sit at their seeds' positions: the closest pair needs room for both halves.
        let spacing = plot_w as f64 / (x_hi - x_lo) * (n as f64 / labels.len().max(1) as f64);
        (widest + tick_gap) as f64 <= spacing
    });

    let mut chart = ChartBuilder::on(area)
        .margin_top(title_h + sc.px(MARGIN_TOP))
        .margin_right(sc.px(6.0))
        .x_label_area_size(sc.px(X_LABEL_H))
        .y_label_area_size(y_label_w)
        .build_cartesian_2d(
            TickedRange {
                lo: x_lo,
                hi: x_hi,
                ticks: x_ticks.values.clone(),
            },
            TickedRange {
                lo: lo - pad_y,
                hi: hi + pad_y,
                ticks: y_ticks.values.clone(),
            },
        )?;
    let x_fmt = |v: &f64| x_ticks.label(*v);
    let y_fmt = |v: &f64| y_ticks.label(*v);
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_label_formatter(&x_fmt)
        .y_label_formatter(&y_fmt)
        .label_style(st.tick.clone())
        .bold_line_style(palette::GRID)
        .light_line_style(TRANSPARENT)
        .axis_style(palette::AXIS)
        .set_all_tick_mark_size(sc.px(4.0))
        .draw()?;

    // What the intervals claim: the mean ± 1.96 mean standard errors.
    let (y_min, y_max) = (lo - pad_y, hi + pad_y);
    if s.mean.is_finite() {
        if s.mean_se.is_finite() && s.mean_se > 0.0 {
            let b_lo = (s.mean - Z95 * s.mean_se).clamp(y_min, y_max);
            let b_hi = (s.mean + Z95 * s.mean_se).clamp(y_min, y_max);
            let alpha = if colour == palette::AGREEMENT {
                0.10
            } else {
                0.16
            };
            chart.draw_series(std::iter::once(Rectangle::new(
                [(x_lo, b_hi), (x_hi, b_lo)],
                colour.mix(alpha).filled(),
            )))?;
        }
        chart.draw_series(std::iter::once(PathElement::new(
            vec![(x_lo, s.mean), (x_hi, s.mean)],
            colour.mix(0.8).stroke_width(sc.px(1.5)),
        )))?;
    }

    // Each seed: whisker from lo to hi with short caps, and a dot at the estimate.
    let (px_range, _) = chart.plotting_area().get_pixel_range();
    let per_seed_px = (px_range.end - px_range.start) as f64 / (x_hi - x_lo);
    let cap = (sc.px(4.0) as f64).min(per_seed_px * 0.3) / per_seed_px.max(1e-9);
    let radius = (sc.px(4.0) as f64).min(per_seed_px * 0.35).max(1.0) as u32;
    let whisker = colour.stroke_width(sc.px(1.5).min((per_seed_px * 0.3).max(1.0) as u32));
    for (i, e) in s.per_seed.iter().enumerate() {
        let x = i as f64;
        if e.p.is_finite() && e.lo.is_finite() && e.hi.is_finite() && e.hi > e.lo {
            chart.draw_series(std::iter::once(PathElement::new(
                vec![(x, e.lo), (x, e.hi)],
                whisker,
            )))?;
            for y in [e.lo, e.hi] {
                chart.draw_series(std::iter::once(PathElement::new(
                    vec![(x - cap, y), (x + cap, y)],
                    whisker,
                )))?;
            }
        }
        if e.p.is_finite() {
            chart.draw_series(std::iter::once(Circle::new(
                (x, e.p),
                radius,
                colour.filled(),
            )))?;
        }
    }
    Ok(())
}

/// Greedily joins `parts` with ` · ` into lines no wider than `room` pixels (a part wider
/// than that gets a line of its own, cut short when drawn).
fn wrap(style: &TextStyle<'_>, parts: &[String], room: u32) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for part in parts {
        match lines.last_mut() {
            Some(line) if font::width(style, &format!("{line} · {part}")) <= room => {
                line.push_str(" · ");
                line.push_str(part);
            }
            _ => lines.push(part.clone()),
        }
    }
    lines
}

/// The two symbols of the key.
#[derive(Clone, Copy)]
enum Symbol {
    /// A dot with its whisker.
    Seed,
    /// A line over a band.
    Mean,
}

/// The key along the bottom: what a dot, the line and the band mean (in rows, as they fit),
/// then how to read the verdict.
struct Key {
    text: TextStyle<'static>,
    note: TextStyle<'static>,
    items: Vec<Vec<(Symbol, &'static str)>>,
    notes: Vec<String>,
}

impl Key {
    fn new(report: &SeedsReport, sc: &Scale, room: u32) -> Key {
        let text = font::anchored(
            &sc.text(font::LEGEND - 1.0, palette::INK),
            HPos::Left,
            VPos::Center,
        );
        let note = font::anchored(&sc.text(font::NOTE, palette::MUTED), HPos::Left, VPos::Top);
        let all = [
            (Symbol::Seed, "one seed: estimate and its 95% interval"),
            (
                Symbol::Mean,
                "mean across seeds ± 1.96 × mean SE (the spread the intervals claim)",
            ),
        ];
        let item_w = |label: &str| sc.px(28.0 + 8.0) + font::width(&text, label);
        let mut items: Vec<Vec<(Symbol, &'static str)>> = Vec::new();
        let mut used = 0;
        for (symbol, label) in all {
            let w = item_w(label);
            match items.last_mut() {
                Some(row) if used + sc.px(28.0) + w <= room => {
                    row.push((symbol, label));
                    used += sc.px(28.0) + w;
                }
                _ => {
                    items.push(vec![(symbol, label)]);
                    used = w;
                }
            }
        }
        let s = report.seeds.len();
        let [b_lo, b_hi] = ratio_band(s);
        let band = if b_hi.is_finite() {
            format!(
                "consistent when it lies in {b_lo:.2}–{b_hi:.2}, the central 99% for {}",
                count(s, "seed")
            )
        } else {
            "a verdict needs at least 3 seeds".to_string()
        };
        let parts = [
            report.protocol.clone(),
            "ratio = SD across seeds ÷ mean SE, 1 for honest intervals".to_string(),
            band,
            "each panel's scale is zoomed to its data".to_string(),
        ];
        let parts: Vec<String> = parts.into_iter().filter(|p| !p.is_empty()).collect();
        let notes = wrap(&note, &parts, room);
        Key {
            text,
            note,
            items,
            notes,
        }
    }

    fn row_h(sc: &Scale) -> u32 {
        sc.px(font::LEGEND + 12.0)
    }

    fn note_h(sc: &Scale) -> u32 {
        sc.px(font::NOTE + 6.0)
    }

    /// Height of the key, margins included.
    fn height(&self, sc: &Scale) -> u32 {
        sc.px(10.0)
            + self.items.len() as u32 * Key::row_h(sc)
            + sc.px(4.0)
            + self.notes.len() as u32 * Key::note_h(sc)
            + sc.px(8.0)
    }

    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        sc: &Scale,
        (x, top): (i32, i32),
        room: u32,
    ) -> Result<(), DrawError> {
        let ink = palette::MARKER;
        let sw = sc.ipx(28.0);
        let half = sc.ipx(9.0);
        let line = ink.stroke_width(sc.px(1.5));
        let mut y = top + sc.ipx(10.0) + Key::row_h(sc) as i32 / 2;
        for row in &self.items {
            let mut cx = x;
            for &(symbol, label) in row {
                match symbol {
                    Symbol::Seed => {
                        let mid = cx + sw / 2;
                        root.draw(&PathElement::new(
                            vec![(mid, y - half), (mid, y + half)],
                            line,
                        ))?;
                        for yy in [y - half, y + half] {
                            root.draw(&PathElement::new(
                                vec![(mid - sc.ipx(4.0), yy), (mid + sc.ipx(4.0), yy)],
                                line,
                            ))?;
                        }
                        root.draw(&Circle::new((mid, y), sc.px(4.0), ink.filled()))?;
                    }
                    Symbol::Mean => {
                        root.draw(&Rectangle::new(
                            [(cx, y - half), (cx + sw, y + half)],
                            ink.mix(0.16).filled(),
                        ))?;
                        root.draw(&PathElement::new(vec![(cx, y), (cx + sw, y)], line))?;
                    }
                }
                cx += sw + sc.ipx(8.0);
                let left = room.saturating_sub((cx - x).max(0) as u32);
                root.draw(&Text::new(
                    font::fit(&self.text, label, left),
                    (cx, y),
                    self.text.clone(),
                ))?;
                cx += font::width(&self.text, label) as i32 + sc.ipx(28.0);
            }
            y += Key::row_h(sc) as i32;
        }
        let mut y = y - Key::row_h(sc) as i32 / 2 + sc.ipx(4.0);
        for n in &self.notes {
            root.draw(&Text::new(
                font::fit(&self.note, n, room),
                (x, y),
                self.note.clone(),
            ))?;
            y += Key::note_h(sc) as i32;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{decode, svg_texts};
    use super::super::{render_seeds_png, render_seeds_svg};
    use super::*;
    use crate::sim::Estimate;

    /// A summary of `ps` as estimates from `n` rounds each.
    fn summary(
        proposal: &str,
        estimate: &str,
        ps: &[f64],
        n: u64,
        verdict: Verdict,
    ) -> SeedSummary {
        let per_seed: Vec<Estimate> = ps
            .iter()
            .map(|&p| Estimate::from_counts((p * n as f64).round() as u64, n))
            .collect();
        let s = per_seed.len() as f64;
        let mean = per_seed.iter().map(|e| e.p).sum::<f64>() / s;
        let spread =
            (per_seed.iter().map(|e| (e.p - mean).powi(2)).sum::<f64>() / (s - 1.0)).sqrt();
        let mean_se = per_seed
            .iter()
            .map(|e| (e.p * (1.0 - e.p) / n as f64).sqrt())
            .sum::<f64>()
            / s;
        SeedSummary {
            proposal: proposal.into(),
            estimate: estimate.into(),
            per_seed,
            mean,
            spread,
            mean_se,
            ratio: if mean_se > 0.0 {
                spread / mean_se
            } else {
                f64::NAN
            },
            band: ratio_band(ps.len()),
            verdict,
        }
    }

    /// Ten seeds, 20,000 rounds; agreement and three parties for each proposal.
    fn report(proposals: &[&str]) -> SeedsReport {
        let noise = [0.3, -1.1, 0.8, -0.2, 1.6, -0.7, 0.1, -1.4, 0.9, -0.3];
        let n = 20_000;
        let jitter = |p: f64, k: f64| -> Vec<f64> {
            noise
                .iter()
                .map(|z| (p + k * z * (p * (1.0 - p) / n as f64).sqrt()).clamp(0.0, 1.0))
                .collect()
        };
        let mut estimates = Vec::new();
        for (i, &prop) in proposals.iter().enumerate() {
            let shift = 0.05 * i as f64;
            estimates.push(summary(
                prop,
                "agreement",
                &jitter(0.135 + shift, 1.0),
                n,
                Verdict::Consistent,
            ));
            estimates.push(summary(
                prop,
                "ukraine",
                &jitter(0.154 + shift, 0.8),
                n,
                Verdict::Consistent,
            ));
            estimates.push(summary(
                prop,
                "russia",
                &jitter(0.874 - shift, 3.0),
                n,
                Verdict::SpreadTooWide,
            ));
            estimates.push(summary(
                prop,
                "united_states",
                &[1.0; 10],
                n,
                Verdict::Exact,
            ));
        }
        SeedsReport {
            scenario: "Peace plan, November 2025".into(),
            protocol: "ratify".into(),
            rounds: n,
            seeds: (1..=10).map(|s| s * 11).collect(),
            estimates,
        }
    }

    #[test]
    fn png_has_the_requested_size_and_content() {
        let r = report(&["plan_28"]);
        for size in [(1200, 750), (640, 400)] {
            let (w, h, px) = decode(&render_seeds_png(&r, size).unwrap());
            assert_eq!((w, h), size);
            let white = px.iter().filter(|p| **p == [255, 255, 255]).count();
            assert!(
                white < px.len() * 97 / 100,
                "nearly blank: {white} of {}",
                px.len()
            );
            let colours = px.iter().collect::<std::collections::HashSet<_>>().len();
            assert!(colours > 50, "{colours} colours");
        }
    }

    #[test]
    fn svg_names_panels_verdicts_and_seeds() {
        let r = report(&["plan_28"]);
        let svg = render_seeds_svg(&r, (1200, 750)).unwrap();
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
    }

    #[test]
    fn several_proposals_are_rows_until_they_do_not_fit() {
        let r = report(&["plan_28", "plan_19", "bridge"]);
        let texts = svg_texts(&render_seeds_svg(&r, (1200, 750)).unwrap());
        for name in ["plan_28", "plan_19", "bridge"] {
            assert!(
                texts.iter().any(|t| t == name),
                "no row {name:?} in {texts:?}"
            );
        }
        let texts = svg_texts(&render_seeds_svg(&r, (640, 400)).unwrap());
        assert!(
            texts
                .iter()
                .any(|t| t == "plan_28 (first of 3 proposals) · 10 seeds × 20,000 rounds"),
            "{texts:?}"
        );
        assert!(!texts.iter().any(|t| t == "plan_19"), "{texts:?}");
    }

    #[test]
    fn layout_plans() {
        // 3 proposals × 5 estimates in 1170 × 600 with 190 × 150 panels: all as rows.
        assert_eq!(
            plan(3, 5, (1170, 600), (190, 150), 30),
            Plan::Rows { shown: 3 }
        );
        assert_eq!(
            plan(6, 5, (1170, 600), (190, 150), 30),
            Plan::Rows { shown: 3 }
        );
        // Too few rows fit: the first proposal in a grid.
        assert_eq!(
            plan(3, 5, (1170, 300), (190, 150), 30),
            Plan::Grid {
                cols: 5,
                rows: 1,
                shown: 5
            }
        );
        assert_eq!(
            plan(1, 5, (1170, 600), (190, 150), 30),
            Plan::Grid {
                cols: 3,
                rows: 2,
                shown: 5
            }
        );
        assert_eq!(
            plan(1, 40, (600, 300), (190, 150), 30),
            Plan::Grid {
                cols: 3,
                rows: 2,
                shown: 6
            }
        );
        assert_eq!(
            plan(1, 0, (600, 300), (190, 150), 30),
            Plan::Grid {
                cols: 1,
                rows: 1,
                shown: 0
            }
        );
    }

    #[test]
    fn y_range_zooms_to_the_data() {
        let s = summary("p", "a", &[0.13, 0.14, 0.135], 20_000, Verdict::Consistent);
        let (lo, hi) = y_range(&s);
        assert!(
            lo > 0.12 && lo < 0.13 && hi > 0.14 && hi < 0.15,
            "{lo} {hi}"
        );
        let ticks = ticks::nice(lo, hi, 5, false);
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
    fn seed_ticks_thin_out() {
        let seeds: Vec<u64> = (1..=40).collect();
        let t = seed_ticks(&seeds, 40, |l| l.len() <= 10);
        assert_eq!(t.labels.first().map(String::as_str), Some("1"));
        assert!(t.labels.len() <= 10);
        assert_eq!(seed_ticks(&seeds, 3, |_| true).labels, ["1", "2", "3"]);
        assert_eq!(seed_ticks(&[], 2, |_| true).labels, ["#1", "#2"]);
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
            render_seeds_png(&r, size).unwrap();
            render_seeds_svg(&r, size).unwrap();
        }
        let empty = SeedsReport {
            estimates: vec![],
            seeds: vec![],
            ..r.clone()
        };
        let texts = svg_texts(&render_seeds_svg(&empty, (800, 500)).unwrap());
        assert!(
            texts.iter().any(|t| t == "No estimates to compare"),
            "{texts:?}"
        );
        render_seeds_png(&empty, (800, 500)).unwrap();
        assert_eq!(render_seeds_png(&r, (10, 10)).unwrap_err().exit_code(), 2);
    }

    #[test]
    fn draw_seeds_writes_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("seeds.png");
        super::super::draw_seeds(&report(&["plan_28"]), &path, (900, 560)).unwrap();
        let (w, h, _) = decode(&std::fs::read(&path).unwrap());
        assert_eq!((w, h), (900, 560));
        assert!(
            super::super::draw_seeds(&report(&["x"]), &dir.path().join("s.gif"), (900, 560))
                .is_err()
        );
    }
}
