//! Sample data for the chart tests (a sweep over one and two axes, a comparison of seeds, an
//! alternating and a mediated run) and helpers that read the drawn SVG and PNG back.

use plotters::style::RGBColor;

use super::view::DynamicView;
use super::view::{Meta, SweepView};
use crate::analysis::seeds::{SeedSummary, SeedsReport, Verdict, ratio_band};
use crate::protocol::dynamic::result::{
    DynamicParty, DynamicResult, Endings, OfferMean, OfferPath, StepResult, TextMean, TextPath,
};
use crate::sim::Estimate;
use crate::sweep::result::{AxisInfo, Marker, PointParty, SweepInfo, SweepPoint};

fn estimate(p: f64, n: u64) -> Estimate {
    Estimate::from_counts((p.clamp(0.0, 1.0) * n as f64).round() as u64, n)
}

fn logistic(x: f64, mid: f64, width: f64) -> f64 {
    1.0 / (1.0 + (-(x - mid) / width).exp())
}

fn axis(label: &str, values: Vec<f64>, options: Option<Vec<String>>) -> AxisInfo {
    AxisInfo {
        kind: "clause".into(),
        name: label.split(' ').next().unwrap_or(label).into(),
        label: label.into(),
        unit: None,
        integer: options.is_none(),
        options,
        values,
    }
}

fn meta(axes: Vec<AxisInfo>, markers: Vec<Marker>) -> Meta {
    Meta {
        scenario: "peace-plan-2025".into(),
        protocol: "ratify".into(),
        seed: 7,
        rounds: 20_000,
        info: SweepInfo {
            base: "plan_28".into(),
            description: "troop_cap from 600000 to 800000 in 21 points on plan_28".into(),
            axes,
            markers,
            parties: vec!["Kyiv".into(), "Moscow".into(), "Onlooker".into()],
            veto: vec![true, true, false],
        },
    }
}

/// Acceptance of each party at normalised positions `t` (0–1 along each axis).
fn point(x: Vec<f64>, kyiv: f64, moscow: f64, n: u64) -> SweepPoint {
    let party = |name: &str, p: f64| PointParty {
        party: name.into(),
        accept: estimate(p, n),
        mean_utility: 0.0,
        mean_margin: 0.0,
    };
    SweepPoint {
        x,
        agreement: estimate(kyiv * moscow * 0.97, n),
        parties: vec![
            party("Kyiv", kyiv),
            party("Moscow", moscow),
            party("Onlooker", 0.5),
        ],
    }
}

/// 3 parties (2 with a veto), 21 points of troop_cap, two proposals marked.
pub(super) fn one_axis() -> SweepView {
    let values: Vec<f64> = (0..21).map(|i| 600_000.0 + 10_000.0 * i as f64).collect();
    let points = values
        .iter()
        .map(|&v| {
            let t = (v - 600_000.0) / 200_000.0;
            point(
                vec![v],
                logistic(t, 0.42, 0.08),
                logistic(-t, -0.68, 0.1),
                400,
            )
        })
        .collect();
    let markers = vec![
        Marker {
            name: "plan_28".into(),
            x: 600_000.0,
        },
        Marker {
            name: "counter_offer".into(),
            x: 700_000.0,
        },
        Marker {
            name: "compromise".into(),
            x: 710_000.0,
        },
    ];
    SweepView {
        meta: meta(vec![axis("troop_cap (troops)", values, None)], markers),
        points,
    }
}

/// A choice axis: option names as ticks.
pub(super) fn choice_axis() -> SweepView {
    let names = ["none", "bilateral", "coalition", "NATO-style"];
    let values: Vec<f64> = (0..names.len()).map(|i| i as f64).collect();
    let points = values
        .iter()
        .map(|&v| point(vec![v], 0.2 + 0.25 * v, 0.9 - 0.28 * v, 2000))
        .collect();
    let options = Some(names.iter().map(|s| s.to_string()).collect());
    let mut m = meta(vec![axis("security_guarantee", values, options)], vec![]);
    m.description = "security_guarantee over its 4 options on plan_28".into();
    SweepView { meta: m, points }
}

/// troop_cap × the concession path, 11 × 6.
pub(super) fn two_axes(nx: usize, ny: usize) -> SweepView {
    let xs: Vec<f64> = (0..nx)
        .map(|i| 600_000.0 + 200_000.0 * i as f64 / (nx - 1) as f64)
        .collect();
    let ys: Vec<f64> = (0..ny).map(|j| j as f64 / (ny - 1) as f64).collect();
    let mut points = Vec::new();
    for &x in &xs {
        for &y in &ys {
            let t = (x - 600_000.0) / 200_000.0;
            let kyiv = logistic(t - 0.4 * y, 0.2, 0.1);
            let moscow = logistic(-t + 0.8 * y, -0.6, 0.12);
            points.push(point(vec![x, y], kyiv, moscow, 1000));
        }
    }
    let mut y_axis = axis("path (plan_28 → counter_offer)", ys, None);
    y_axis.kind = "path".into();
    y_axis.integer = false;
    let mut m = meta(vec![axis("troop_cap (troops)", xs, None), y_axis], vec![]);
    m.description = format!("troop_cap in {nx} steps × path in {ny} steps on plan_28");
    SweepView { meta: m, points }
}

/// troop_cap × a choice clause, 5 × 4.
pub(super) fn with_choice() -> SweepView {
    let mut r = two_axes(5, 4);
    let names = ["none", "bilateral", "coalition", "NATO-style"];
    r.meta.axes[1] = axis(
        "security_guarantee",
        (0..4).map(|i| i as f64).collect(),
        Some(names.iter().map(|s| s.to_string()).collect()),
    );
    for (k, p) in r.points.iter_mut().enumerate() {
        p.x[1] = (k % 4) as f64;
    }
    r
}

/// A summary of `ps` as estimates from `n` rounds each.
pub(super) fn summary(
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
    let spread = (per_seed.iter().map(|e| (e.p - mean).powi(2)).sum::<f64>() / (s - 1.0)).sqrt();
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
pub(super) fn seeds_report(proposals: &[&str]) -> SeedsReport {
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

/// A three-party alternating run over 14 steps: agreement rising, a 1% breakdown per
/// step, the rest at the deadline; Boulware, linear and Conceder concession paths.
pub(super) fn alternating() -> DynamicView {
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
    DynamicView {
        scenario: "Peace plan, November 2025: alternating offers".into(),
        protocol: "alternating".into(),
        seed: 2025,
        rounds: n,
        result: DynamicResult {
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
                .map(|name| DynamicParty {
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
            baron_ferejohn: None,
        },
    }
}

/// The same run as a mediated one: the text's utility to each voter.
pub(super) fn mediated() -> DynamicView {
    let mut r = alternating();
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

/// Decodes a PNG: (width, height, RGB pixels).
pub(super) fn decode(bytes: &[u8]) -> (u32, u32, Vec<[u8; 3]>) {
    let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    let mut reader = decoder.read_info().expect("png header");
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).expect("png frame");
    assert_eq!(info.color_type, png::ColorType::Rgb);
    let px = buf[..info.buffer_size()]
        .chunks(3)
        .map(|c| [c[0], c[1], c[2]])
        .collect();
    (info.width, info.height, px)
}

/// Fails unless the pixels hold a drawing: not nearly all white, and many colours (text is
/// anti-aliased, bands are blended).
pub(super) fn assert_drawn(px: &[[u8; 3]]) {
    let white = px.iter().filter(|p| **p == [255, 255, 255]).count();
    assert!(
        white < px.len() * 97 / 100,
        "nearly blank: {white} white of {}",
        px.len()
    );
    let colours = px.iter().collect::<std::collections::HashSet<_>>().len();
    assert!(colours > 50, "{colours} colours");
}

/// The text of every `<text>` element of an SVG document, unescaped.
pub(super) fn svg_texts(svg: &str) -> Vec<String> {
    svg.split("<text")
        .skip(1)
        .filter_map(|t| {
            Some(
                t.split_once('>')?
                    .1
                    .split_once("</text>")?
                    .0
                    .trim()
                    .replace("&apos;", "'")
                    .replace("&amp;", "&"),
            )
        })
        .collect()
}

/// `c` as SVG writes it: `#0072B2`.
pub(super) fn hex(c: RGBColor) -> String {
    format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2)
}

/// The number of points of each `<polyline>` stroked in `colour`, in document order.
pub(super) fn polylines(svg: &str, colour: RGBColor) -> Vec<usize> {
    let stroke = format!("stroke=\"{}\"", hex(colour));
    svg.split("<polyline")
        .skip(1)
        .filter_map(|e| {
            let e = e.split_once("/>")?.0;
            if !e.contains(&stroke) {
                return None;
            }
            let points = e.split_once("points=\"")?.1.split_once('"')?.0;
            Some(points.split_whitespace().count())
        })
        .collect()
}

/// How many `<circle>`s are filled with `colour`.
pub(super) fn dots(svg: &str, colour: RGBColor) -> usize {
    let fill = format!("fill=\"{}\"", hex(colour));
    svg.split("<circle")
        .skip(1)
        .filter(|e| e.split_once("/>").is_some_and(|(e, _)| e.contains(&fill)))
        .count()
}

/// The numbers among `texts` (`0.25`, `-1,234`) that carry float noise: more than 9
/// significant digits (`0.30000000000000004`), or decimals that none of the numbers written
/// with as many decimals need (`70000.0000`, or `0.10`, `0.20` alone).
pub(super) fn noisy(texts: &[String]) -> Vec<String> {
    let numbers: Vec<&String> = texts
        .iter()
        .filter(|t| {
            let digits = t.trim_start_matches('-').replace(',', "");
            !digits.is_empty()
                && digits.chars().all(|c| c.is_ascii_digit() || c == '.')
                && digits.matches('.').count() <= 1
        })
        .collect();
    let decimals = |t: &str| t.split_once('.').map_or(0, |(_, f)| f.len());
    let significant = |t: &str| {
        let digits: String = t.chars().filter(char::is_ascii_digit).collect();
        digits.trim_start_matches('0').trim_end_matches('0').len()
    };
    let mut out = Vec::new();
    for t in &numbers {
        let d = decimals(t);
        let needless = d > 0
            && numbers
                .iter()
                .filter(|u| decimals(u) == d)
                .all(|u| u.ends_with('0'));
        if significant(t) > 9 || needless {
            out.push(t.to_string());
        }
    }
    out
}

#[test]
fn noise_is_told_from_round_labels() {
    let texts = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    assert!(
        noisy(&texts(&[
            "0.0", "0.2", "1.0", "600,000", "0.25", "0.50", "title"
        ]))
        .is_empty()
    );
    assert_eq!(
        noisy(&texts(&["0.30000000000000004"])),
        ["0.30000000000000004"]
    );
    assert_eq!(noisy(&texts(&["70000.0000", "0"])), ["70000.0000"]);
    assert_eq!(noisy(&texts(&["0.10", "0.20", "0.3"])), ["0.10", "0.20"]);
}
