//! The 1-D sweep chart: probability of acceptance along the swept axis, one line per veto party
//! and a thick black line for agreement of all of them, each with its 95% band; named
//! proposals as dashed vertical markers labelled above the plot; the legend in a column on the
//! right.

use plotters::prelude::*;

use super::DrawError;
use super::axis::Axis;
use super::bands::{self, Banded, Join};
use super::frame::{Frame, Plot};
use super::legend::{Legend, Side};
use super::markers::Markers;
use super::palette;
use super::sweep::{run_note, tick_rule};
use super::view::SweepView;
use crate::sim::Estimate;

/// Agreement first (drawn underneath, so a party line that coincides with it stays visible),
/// then each veto party in scenario order — except for a dynamic protocol, whose parties'
/// acceptance is its agreement: only the agreement line.
fn series(result: &SweepView) -> Vec<Banded> {
    let meta = &result.meta;
    let ratify = meta.protocol == "ratify";
    let sorted = |mut v: Vec<(f64, Estimate)>| {
        v.sort_by(|a, b| a.0.total_cmp(&b.0));
        v
    };
    let agreement = result.points.iter().map(|p| (p.x[0], p.agreement));
    let name = if ratify {
        "agreement (all vetoes)"
    } else {
        "agreement"
    };
    let mut out = vec![Banded::agreement(name, sorted(agreement.collect()))];
    let vetoes = meta
        .parties
        .iter()
        .enumerate()
        .filter(|(i, _)| ratify && meta.veto.get(*i) == Some(&true));
    for (k, (i, name)) in vetoes.enumerate() {
        let points = result.points.iter().filter_map(|p| {
            let by_name = p.parties.iter().find(|q| &q.party == name);
            let e = by_name.or_else(|| p.parties.get(i))?;
            Some((p.x[0], e.accept))
        });
        let points = sorted(points.collect());
        out.push(Banded::new(name.clone(), palette::party(k), points));
    }
    out
}

/// The x range: the swept values (option indices padded by a little for a choice axis, a
/// single value by a little either side).
fn x_range(result: &SweepView) -> (f64, f64) {
    let axis = &result.meta.axes[0];
    let xs: Vec<f64> = axis
        .values
        .iter()
        .copied()
        .chain(result.points.iter().map(|p| p.x[0]))
        .collect();
    let Some((lo, hi)) = super::axis::finite_span(&xs) else {
        return (0.0, 1.0);
    };
    if axis.options.is_some() {
        (lo - 0.35, hi + 0.35)
    } else if hi > lo {
        (lo, hi)
    } else {
        let pad = (lo.abs() * 0.05).max(if axis.integer { 1.0 } else { 0.5 });
        (lo - pad, hi + pad)
    }
}

/// Draws the chart in the frame's body.
pub(super) fn draw<DB: DrawingBackend>(
    frame: &mut Frame<'_, DB>,
    result: &SweepView,
) -> Result<(), DrawError> {
    let sc = frame.sc;
    let meta = &result.meta;
    let axis = &meta.axes[0];
    let series = series(result);
    let (lo, hi) = x_range(result);
    let slack = 1e-9 * (hi - lo);
    let markers: Vec<_> = meta
        .markers
        .iter()
        .filter(|m| m.x.is_finite() && m.x >= lo - slack && m.x <= hi + slack)
        .collect();

    let mut legend = Legend::new(Side::Right);
    for s in &series {
        legend.entry(s.swatch(), &s.name);
    }
    legend.note("Shaded: 95% interval");
    if !markers.is_empty() {
        legend.note("Dashed: named proposals");
    }
    legend.note(run_note(meta));
    let (plot_rect, legend_rect) = legend.place(&sc, frame.body);

    let y_title = if meta.protocol == "ratify" {
        "P(accept)"
    } else {
        "P(agreement)"
    };
    let x_axis = Axis::new(lo, hi, tick_rule(axis, lo, hi)).titled(&axis.label);
    let mut plot = Plot::new(x_axis, Axis::probability().titled(y_title));
    plot.margin = [sc.px(14.0), sc.px(28.0), sc.px(14.0), sc.px(16.0)];

    let mut marks = Markers::place(
        &sc,
        &mut plot,
        plot_rect,
        markers.iter().map(|m| (m.name.clone(), m.x)),
    );
    let area = frame.area(plot_rect);
    let mut chart = plot.draw(&area, &sc)?;
    // Markers under the data.
    marks.draw_lines(&mut chart, &plot, &sc)?;
    // Bands and lines over the markers: agreement first and thickest, parties on top of
    // it; dots where a line alone would not show the points (options).
    let join = Join::Lines {
        dots: axis.options.is_some(),
    };
    bands::draw(&mut chart, &series, join, &sc)?;
    marks.draw_labels(frame, &chart, &plot)?;

    // The legend from the top of the plot down.
    legend.draw(frame, legend_rect.inset(plot.margin[0], 0, 0, 0))
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::{self, polylines, svg_texts};
    use super::super::{png_of, svg_of};
    use super::*;
    use crate::sweep::result::Marker;

    #[test]
    fn svg_has_title_axes_legend_and_one_line_per_series() {
        let r = fixtures::one_axis();
        let svg = svg_of(&r, (1200, 750)).unwrap();
        let texts = svg_texts(&svg);
        for text in [
            "peace-plan-2025",
            "troop_cap from 600000 to 800000 in 21 points on plan_28",
            "troop_cap (troops)",
            "P(accept)",
            "agreement (all vetoes)",
            "Kyiv",
            "Moscow",
            "Shaded: 95% interval",
            "Dashed: named proposals",
            "600,000",
            "800,000",
            "0.0",
            "1.0",
            "plan_28",
            "counter_offer",
            "compromise",
        ] {
            assert!(
                texts.iter().any(|t| t == text),
                "no text {text:?} in {texts:?}"
            );
        }
        assert!(!svg.contains("Onlooker"), "a party without a veto is drawn");
        // One line across the plot per series (the legend's swatch has two points).
        for colour in [palette::AGREEMENT, palette::party(0), palette::party(1)] {
            let lines = polylines(&svg, colour);
            let long: Vec<_> = lines.iter().filter(|n| **n == r.points.len()).collect();
            assert_eq!(long.len(), 1, "{colour:?}: {lines:?}");
            assert!(
                lines.contains(&2),
                "{colour:?} has no legend swatch: {lines:?}"
            );
        }
        assert!(polylines(&svg, palette::party(2)).is_empty());
    }

    #[test]
    fn a_dynamic_protocol_draws_only_agreement() {
        let mut r = fixtures::one_axis();
        r.meta.protocol = "alternating".into();
        let svg = svg_of(&r, (1200, 750)).unwrap();
        let texts = svg_texts(&svg);
        assert!(texts.iter().any(|t| t == "P(agreement)"), "{texts:?}");
        assert!(texts.iter().any(|t| t == "agreement"), "{texts:?}");
        assert!(!texts.iter().any(|t| t == "Kyiv"), "{texts:?}");
        assert!(polylines(&svg, palette::party(0)).is_empty());
    }

    #[test]
    fn choice_axis_shows_option_names() {
        let texts = svg_texts(&svg_of(&fixtures::choice_axis(), (1200, 750)).unwrap());
        for name in [
            "none",
            "bilateral",
            "coalition",
            "NATO-style",
            "security_guarantee",
        ] {
            assert!(
                texts.iter().any(|t| t == name),
                "no tick {name:?} in {texts:?}"
            );
        }
        assert!(
            !texts.iter().any(|t| t == "Dashed: named proposals"),
            "{texts:?}"
        );
    }

    #[test]
    fn awkward_axes_read_without_float_noise() {
        // Values by repeated addition: 0.1, 0.15, …, 0.30000000000000004.
        let mut r = fixtures::one_axis();
        let mut v = 0.1;
        for (point, value) in r.points.iter_mut().zip(r.meta.axes[0].values.iter_mut()) {
            point.x[0] = v;
            *value = v;
            v += 0.01;
        }
        r.meta.axes[0].integer = false;
        r.meta.markers.clear();
        let texts = svg_texts(&svg_of(&r, (1200, 750)).unwrap());
        for tick in ["0.10", "0.20", "0.30"] {
            assert!(
                texts.iter().any(|t| t == tick),
                "no tick {tick:?} in {texts:?}"
            );
        }
        assert!(fixtures::noisy(&texts).is_empty(), "{texts:?}");

        for (lo, step) in [(0.0, 3500.0), (1e-5, 1e-6), (0.3, 0.0)] {
            let mut r = fixtures::one_axis();
            for (i, (point, value)) in r
                .points
                .iter_mut()
                .zip(r.meta.axes[0].values.iter_mut())
                .enumerate()
            {
                point.x[0] = lo + step * i as f64;
                *value = point.x[0];
            }
            r.meta.axes[0].integer = false;
            let texts = svg_texts(&svg_of(&r, (900, 560)).unwrap());
            assert!(
                fixtures::noisy(&texts).is_empty(),
                "{lo} + {step}·i: {texts:?}"
            );
            if step == 3500.0 {
                assert!(texts.iter().any(|t| t == "70,000"), "{texts:?}");
            }
        }
    }

    #[test]
    fn odd_sweeps_still_draw() {
        // A point with no rounds, a marker off the axis, values descending, no vetoes.
        let mut r = fixtures::one_axis();
        r.points[5].agreement = Estimate::from_counts(0, 0);
        r.points[5].parties[0].accept = Estimate::from_counts(0, 0);
        r.meta.markers.push(Marker {
            name: "far_away".into(),
            x: 9e9,
        });
        r.meta.axes[0].values.reverse();
        r.points.reverse();
        png_of(&r, (800, 500)).unwrap();
        assert!(!svg_of(&r, (800, 500)).unwrap().contains("far_away"));
        r.meta.veto = vec![false, false, false];
        png_of(&r, (800, 500)).unwrap();
        let mut single = fixtures::one_axis();
        single.meta.axes[0].values.truncate(1);
        single.points.truncate(1);
        let texts = svg_texts(&svg_of(&single, (800, 500)).unwrap());
        assert!(texts.iter().any(|t| t == "600,000"), "{texts:?}");
        // Long names are cut to fit rather than spilling over.
        let mut long = fixtures::one_axis();
        long.meta.parties[0] =
            "A party with a very long name indeed, longer than any legend".into();
        long.meta.scenario = "x".repeat(500);
        let texts = svg_texts(&svg_of(&long, (1200, 750)).unwrap());
        assert!(
            texts
                .iter()
                .any(|t| t.starts_with("A party with") && t.ends_with('…')),
            "{texts:?}"
        );
        assert!(
            texts
                .iter()
                .any(|t| t.starts_with("xxx") && t.ends_with('…')),
            "{texts:?}"
        );
        png_of(&long, (320, 240)).unwrap();
    }

    #[test]
    fn png_has_the_requested_size_and_content() {
        let (w, h, px) = fixtures::decode(&png_of(&fixtures::one_axis(), (1200, 750)).unwrap());
        assert_eq!((w, h), (1200, 750));
        fixtures::assert_drawn(&px);
        let (w, h, _) = fixtures::decode(&png_of(&fixtures::one_axis(), (640, 400)).unwrap());
        assert_eq!((w, h), (640, 400));
    }
}
