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

use plotters::prelude::*;

use super::axis::{Axis, TickRule};
use super::bands::{self, Banded, Join};
use super::font::{self, Scale};
use super::frame::{Frame, Plot, PlotChart, inner_rect};
use super::legend::{Legend, Side, Swatch};
use super::palette;
use super::ticks;
use super::view::DynamicView;
use super::{Chart, DrawError};
use crate::protocol::dynamic::result::{OfferMean, OfferPath, TextMean, TextPath};
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

/// Colours of the endings (parties use the palette's party colours on the right).
const OPEN: RGBColor = RGBColor(130, 130, 130);
const BREAKDOWN: RGBColor = RGBColor(190, 30, 45);
const OTHER: RGBColor = RGBColor(110, 80, 160);

impl Chart for DynamicView {
    fn draw<DB: DrawingBackend>(&self, frame: &mut Frame<'_, DB>) -> Result<(), DrawError> {
        draw_chart(frame, self)
    }
}

/// A point of a path: (step, mean utility, mean reservation).
type PathPoint = (u32, f64, f64);

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
fn curves(r: &DynamicView, last: u32) -> Vec<Banded> {
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
    let mut out = vec![Banded::new("still open (survival)", OPEN, open)];
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
        let label = format!("no deal: {} – {} in all", names.join(" / "), percent(total));
        out.push(Banded::new(label, OTHER, other));
    }
    let breakdown = &r.endings.breakdown;
    if breakdown.n > 0 && breakdown.p > 0.0 {
        let label = format!("broke down by this step – {} in all", percent(breakdown.p));
        out.push(Banded::new(label, BREAKDOWN, broke));
    }
    let label = format!("agreed by this step – {} in all", percent(r.agreement.p));
    out.push(Banded::agreement(label, agreed));
    out
}

/// The paths of the right panel: the offers (alternating, equilibrium) or the text (mediated).
fn paths(r: &DynamicView) -> Vec<PartyPath> {
    let raw: Vec<(String, Vec<PathPoint>)> = if let Some(text) = &r.text {
        let point = |s: &TextMean| (s.step, s.mean_utility, s.mean_reservation);
        let path = |t: &TextPath| (t.party.clone(), t.steps.iter().map(point).collect());
        text.iter().map(path).collect()
    } else {
        let point = |s: &OfferMean| (s.step, s.mean_own_utility, s.mean_reservation);
        let path = |o: &OfferPath| (o.party.clone(), o.steps.iter().map(point).collect());
        r.offers.iter().flatten().map(path).collect()
    };
    let path = |(k, (name, points))| PartyPath {
        name,
        color: palette::party(k),
        points,
    };
    raw.into_iter().enumerate().map(path).collect()
}

/// The last step shown: the deadline, or a later step at which something happened (an
/// ending, an offer, a vote) when an event moved the deadline later; at least 1.
fn last_step(r: &DynamicView, paths: &[PartyPath]) -> u32 {
    let ended = r
        .steps
        .iter()
        .filter(|s| s.agreed > 0.0 || s.broke_down > 0.0 || s.ended > 0.0)
        .map(|s| s.step)
        .max()
        .unwrap_or(0);
    let moved = paths
        .iter()
        .flat_map(|p| p.points.iter().map(|q| q.0))
        .max()
        .unwrap_or(0);
    ended.max(moved).max(r.deadline).max(1)
}

/// Steps up to which the left panel draws staircases; past it, lines through the steps
/// (treads of a pixel or two would only look ragged).
const MAX_STAIRS: usize = 40;

/// The subtitle: protocol, rounds, seed, deadline, breakdown (and mediator, start text).
fn subtitle(r: &DynamicView) -> String {
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

/// The legend of the left panel: agreement first, though drawn last.
fn endings_legend(curves: &[Banded], rounds: u64) -> Legend {
    let mut legend = Legend::new(Side::Below);
    for c in curves.iter().rev() {
        legend.entry(c.swatch(), &c.name);
    }
    legend.note(format!(
        "Shares of all {} rounds; shaded: 95% intervals",
        ticks::format_number(rounds as f64, 0)
    ));
    legend
}

/// The legend of the right panel.
fn paths_legend(paths: &[PartyPath], mediated: bool) -> Legend {
    let mut legend = Legend::new(Side::Below);
    for p in paths {
        let swatch = Swatch::Line {
            color: p.color,
            width: 3.0,
            dot: true,
        };
        legend.entry(swatch, &p.name);
    }
    if !paths.is_empty() {
        let swatch = Swatch::Dashed {
            color: palette::MARKER,
        };
        legend.entry(swatch, "reservation (dashed, same colour)");
    }
    legend.note(if mediated {
        "Means over the rounds that voted on the text at each step"
    } else {
        "Means over the rounds in which the party proposed at each step"
    });
    legend
}

/// Draws the header, then the two panels side by side, each with its title above and its
/// legend below.
fn draw_chart<DB: DrawingBackend>(
    frame: &mut Frame<'_, DB>,
    r: &DynamicView,
) -> Result<(), DrawError> {
    let sc = frame.sc;
    frame.header(&r.scenario, &subtitle(r))?;
    let paths = paths(r);
    let last = last_step(r, &paths);
    let curves = curves(r, last);
    let mediated = r.text.is_some();
    let legends = [
        endings_legend(&curves, r.rounds),
        paths_legend(&paths, mediated),
    ];
    let titles = [
        (ENDINGS_TITLE, SHARE_AXIS),
        if mediated {
            (TEXT_TITLE, TEXT_AXIS)
        } else {
            (OFFERS_TITLE, OWN_AXIS)
        },
    ];

    let body = frame.body.inset(sc.px(8.0), sc.px(12.0), 0, sc.px(12.0));
    let panels = body.columns(2, sc.px(28.0));
    // Both plots the same height: room under each for the taller legend.
    let legend_h = legends
        .iter()
        .map(|l| l.height(&sc, panels[0].w))
        .max()
        .unwrap_or(0);
    // Each step's share spans the step ± ½ on the left; both panels share the range.
    let last = last as f64;
    let pad = 0.5 + last * 0.01;
    let steps = TickRule::round(1.0, last, true, 15);
    let x = Axis::new(1.0 - pad, last + pad, steps).titled(STEP_AXIS);
    // Staircases while the steps are wide enough to read as treads.
    let join = if curves.first().map_or(0, |c| c.points.len()) <= MAX_STAIRS {
        Join::Stairs
    } else {
        Join::Lines { dots: false }
    };
    for (i, ((title, y_title), legend)) in titles.into_iter().zip(&legends).enumerate() {
        let (panel, legend_rect) = panels[i].split_bottom(legend_h);
        frame.heading(panel.inset(0, 0, 0, sc.px(8.0)), title)?;
        let mut plot = Plot::new(x.clone(), Axis::probability().titled(y_title));
        plot.tick_gap = 24.0;
        plot.margin = [sc.px(8.0), sc.px(16.0), 0, 0];
        let area = frame.area(panel.inset(sc.px(font::AXIS_TITLE + 12.0), 0, 0, 0));
        let mut chart = plot.draw(&area, &sc)?;
        if i == 0 {
            bands::draw(&mut chart, &curves, join, &sc)?;
        } else {
            draw_paths(frame, &mut chart, &paths, &sc)?;
        }
        legend.draw(frame, legend_rect)?;
    }
    Ok(())
}

/// The right panel: each party's concession path (or the text's utility) and reservation.
fn draw_paths<DB: DrawingBackend>(
    frame: &Frame<'_, DB>,
    chart: &mut PlotChart<'_, DB>,
    paths: &[PartyPath],
    sc: &Scale,
) -> Result<(), DrawError> {
    if paths.iter().all(|p| p.points.is_empty()) {
        return frame.message(inner_rect(chart), "No offers were made");
    }
    for p in paths {
        let points: Vec<(f64, f64)> = p
            .points
            .iter()
            .filter(|q| q.1.is_finite())
            .map(|q| (q.0 as f64, q.1))
            .collect();
        let style = p.color.stroke_width(sc.px(3.0));
        chart.draw_series(LineSeries::new(points.iter().copied(), style))?;
        // A dot at each offer while they are few enough to tell apart (always for one).
        if points.len() <= 20 {
            let dot = |&(x, y): &(f64, f64)| Circle::new((x, y), sc.px(3.5), p.color.filled());
            chart.draw_series(points.iter().map(dot))?;
        }
    }
    // Reservations, dashed, over the paths (a path along another party's reservation
    // would hide it).
    let x_range = chart.x_range();
    for p in paths {
        let mut points: Vec<(f64, f64)> = p
            .points
            .iter()
            .filter(|q| q.2.is_finite())
            .map(|q| (q.0 as f64, q.2))
            .collect();
        // A single reservation as a short dash either side of its step.
        if let [(x, y)] = points[..] {
            let half = (x_range.end - x_range.start) / 40.0;
            points = vec![(x - half, y), (x + half, y)];
        }
        let style = p.color.mix(0.9).stroke_width(sc.px(2.0));
        chart.draw_series(DashedLineSeries::new(points, sc.px(7.0), sc.px(5.0), style))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::{
        self, alternating as result, decode, mediated, polylines, svg_texts,
    };
    use super::super::{png_of, svg_of};
    use super::*;

    #[test]
    fn png_has_the_requested_size_and_is_not_blank() {
        for size in [(1200, 750), (640, 400), (2400, 1500)] {
            let (w, h, px) = decode(&png_of(&result(), size).unwrap());
            assert_eq!((w, h), size);
            fixtures::assert_drawn(&px);
            // Each party's colour is on the chart.
            for k in 0..3 {
                let RGBColor(r, g, b) = palette::party(k);
                assert!(px.contains(&[r, g, b]), "no pixel of party {k}'s colour");
            }
        }
    }

    #[test]
    fn svg_names_panels_axes_and_parties() {
        let svg = svg_of(&result(), (1200, 750)).unwrap();
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
        assert!(
            texts
                .iter()
                .any(|t| t == "Shares of all 20,000 rounds; shaded: 95% intervals")
        );
        assert!(fixtures::noisy(&texts).is_empty(), "{texts:?}");
        // One line per curve on the left (a staircase: two points a step) and per party on
        // the right, besides the legend's two-point swatches.
        let r = result();
        let steps = r.steps.len();
        for colour in [palette::AGREEMENT, OPEN, BREAKDOWN, OTHER] {
            let lines = polylines(&svg, colour);
            let curves = lines.iter().filter(|n| **n == 2 * steps).count();
            assert_eq!(curves, 1, "{colour:?}: {lines:?}");
        }
        for (k, offers) in r.offers.iter().flatten().enumerate() {
            let lines = polylines(&svg, palette::party(k));
            let paths = lines.iter().filter(|n| **n == offers.steps.len()).count();
            assert_eq!(paths, 1, "party {k}: {lines:?}");
        }
    }

    #[test]
    fn mediated_shows_the_text() {
        let texts = svg_texts(&svg_of(&mediated(), (1200, 750)).unwrap());
        for t in [TEXT_TITLE, TEXT_AXIS, "russia", "ukraine"] {
            assert!(texts.iter().any(|x| x == t), "no text {t:?} in {texts:?}");
        }
        assert!(
            texts
                .iter()
                .any(|t| t.ends_with("mediator united_states from plan_28")),
            "{texts:?}"
        );
        png_of(&mediated(), (900, 560)).unwrap();
    }

    #[test]
    fn odd_results_still_draw() {
        // No offers at all, no steps, a single step, no breakdown, long names.
        let mut r = result();
        r.offers = None;
        let texts = svg_texts(&svg_of(&r, (800, 500)).unwrap());
        assert!(
            texts.iter().any(|t| t == "No offers were made"),
            "{texts:?}"
        );
        r.steps.clear();
        png_of(&r, (800, 500)).unwrap();
        let mut one = result();
        one.steps.truncate(1);
        for o in one.offers.iter_mut().flatten() {
            o.steps.truncate(1);
        }
        one.breakdown = 0.0;
        one.endings.breakdown = Estimate::from_counts(0, one.rounds);
        one.scenario = "x".repeat(400);
        one.offers.as_mut().unwrap()[0].party = "a party with a very long name indeed".repeat(3);
        png_of(&one, (320, 240)).unwrap();
        svg_of(&one, (1200, 750)).unwrap();
        let mut zero = result();
        zero.rounds = 0;
        png_of(&zero, (800, 500)).unwrap();
        assert_eq!(png_of(&r, (10, 10)).unwrap_err().exit_code(), 2);
    }
}
