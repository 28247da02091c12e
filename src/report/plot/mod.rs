//! Sweep charts, drawn with plotters into memory and written atomically.
//!
//! A 1-D sweep becomes a line chart of acceptance probability (each veto party, and agreement
//! of all of them) with 95% bands and markers for named proposals; a 2-D sweep becomes a
//! heatmap of the agreement probability with a colour bar. A dynamic protocol's run
//! (`accord run --plot`) becomes two panels over the steps of the talks: how rounds end, and
//! each party's concession path ([`bargain`]). PNG or SVG, by the path's extension. Text
//! uses the embedded Noto Sans font, so no system libraries are needed.

mod bargain;
mod font;
mod heatmap;
mod line;
mod palette;
mod raster;
mod seeds;
mod ticks;
mod view;

use crate::analysis::seeds::SeedsReport;
use std::path::Path;

use plotters::coord::Shift;
use plotters::drawing::DrawingAreaErrorKind;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use crate::error::Error;
use crate::request::{Body, RunResult};
use font::Scale;
pub use view::{DynamicView as BargainResult, Meta as SweepMeta, SweepView as SweepResult};

/// Smallest and largest images drawn, in pixels.
const MIN_SIZE: (u32, u32) = (320, 240);
const MAX_SIZE: u32 = 10_000;

/// Image format, from the output path's extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageFormat {
    Png,
    Svg,
}

impl ImageFormat {
    /// `.png` or `.svg` (any case); anything else is a usage error.
    pub fn from_path(p: &Path) -> Result<ImageFormat, Error> {
        let name = p
            .file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default();
        match p.extension().map(|e| e.to_string_lossy()) {
            Some(ext) if ext.eq_ignore_ascii_case("png") => Ok(ImageFormat::Png),
            Some(ext) if ext.eq_ignore_ascii_case("svg") => Ok(ImageFormat::Svg),
            Some(ext) => Err(Error::usage(
                format!("--plot PATH: `{name}` has extension .{ext}; use .png or .svg"),
                None,
            )),
            None => Err(Error::usage(
                format!("--plot PATH: `{name}` has no extension; use .png or .svg"),
                None,
            )),
        }
    }
}

/// Draws a result's chart to `path` (PNG or SVG by extension): a sweep's acceptance (a
/// heatmap for a grid), or a dynamic protocol's agreement by step and offer paths.
pub fn draw(result: &RunResult, path: &Path, size: (u32, u32)) -> Result<(), Error> {
    match &result.body {
        Body::Sweep(s) => draw_sweep(&SweepResult::new(&result.header, s), path, size),
        Body::Dynamic(d) => draw_bargain(&BargainResult::new(&result.header, d), path, size),
        Body::Proposals { .. } => Err(Error::usage(
            "--plot: a ratify run has no steps to chart",
            Some("sweep a clause, a path between proposals or a reservation to chart acceptance: `accord sweep FILE --clause NAME --plot PATH`".into()),
        )),
    }
}

/// Draws the sweep to `path` (PNG or SVG by extension), `size` = width × height pixels,
/// written atomically (a failed draw never leaves a partial file).
pub fn draw_sweep(result: &SweepResult, path: &Path, size: (u32, u32)) -> Result<(), Error> {
    let format = ImageFormat::from_path(path)?;
    let bytes = render(result, size, format, path)?;
    crate::output::write_atomic(path, &bytes)
}

/// The sweep as an SVG document.
pub fn render_svg(result: &SweepResult, size: (u32, u32)) -> Result<String, Error> {
    let bytes = render(result, size, ImageFormat::Svg, Path::new("<svg in memory>"))?;
    String::from_utf8(bytes).map_err(|e| draw_failed(Path::new("<svg in memory>"), e.to_string()))
}

/// The sweep as encoded PNG bytes.
pub fn render_png(result: &SweepResult, size: (u32, u32)) -> Result<Vec<u8>, Error> {
    render(result, size, ImageFormat::Png, Path::new("<png in memory>"))
}

/// A drawing failure (font, backend or encoder), reported as a failure to write `path`.
fn draw_failed(path: &Path, message: String) -> Error {
    Error::Write {
        path: path.to_path_buf(),
        source: std::io::Error::other(message),
    }
}

/// A chart that can draw itself on any plotters backend.
pub(super) trait Chart {
    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        size: (u32, u32),
    ) -> Result<(), DrawError>;
}

/// Draws `chart` into memory as SVG or PNG; failures name `target`. plotters reports its
/// failures as errors; the `catch_unwind` only keeps a panic inside it from crashing the
/// whole command.
pub(super) fn render_chart<C: Chart>(
    chart: &C,
    size: (u32, u32),
    format: ImageFormat,
    target: &Path,
) -> Result<Vec<u8>, Error> {
    check_size(size)?;
    let fail = |message: String| draw_failed(target, message);
    font::ensure_registered().map_err(fail)?;
    let drawn = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| match format {
        ImageFormat::Svg => {
            let mut svg = String::new();
            {
                let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
                chart.draw(&root, size)?;
            }
            Ok(svg.into_bytes())
        }
        ImageFormat::Png => {
            let mut rgb = vec![0u8; size.0 as usize * size.1 as usize * 3];
            {
                let backend = BitMapBackend::with_buffer(&mut rgb, size);
                let root = raster::EvenText(backend).into_drawing_area();
                chart.draw(&root, size)?;
            }
            encode_png(&rgb, size)
        }
    }));
    match drawn {
        Ok(Ok(bytes)) => Ok(bytes),
        Ok(Err(DrawError(message))) => Err(fail(message)),
        Err(_) => Err(fail("the plotting library failed while drawing".into())),
    }
}

impl Chart for SweepResult {
    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        size: (u32, u32),
    ) -> Result<(), DrawError> {
        draw_chart(root, self, size)
    }
}

/// Checks the sweep, then draws it into memory; failures name `target`.
fn render(
    result: &SweepResult,
    size: (u32, u32),
    format: ImageFormat,
    target: &Path,
) -> Result<Vec<u8>, Error> {
    validate(result, size)?;
    render_chart(result, size, format, target)
}

/// Rejects sizes that are too small to lay out or too large to hold in memory.
fn check_size((w, h): (u32, u32)) -> Result<(), Error> {
    if w < MIN_SIZE.0 || h < MIN_SIZE.1 || w > MAX_SIZE || h > MAX_SIZE {
        return Err(Error::usage(
            format!("plot size {w}x{h} is out of range"),
            Some(format!(
                "use between {}x{} and {MAX_SIZE}x{MAX_SIZE} pixels",
                MIN_SIZE.0, MIN_SIZE.1
            )),
        ));
    }
    Ok(())
}

/// Rejects sweeps that cannot be drawn (no axes, more than two, points not matching the axes)
/// and sizes that are too small to lay out or too large to hold in memory.
fn validate(result: &SweepResult, (w, h): (u32, u32)) -> Result<(), Error> {
    if w < MIN_SIZE.0 || h < MIN_SIZE.1 || w > MAX_SIZE || h > MAX_SIZE {
        return Err(Error::usage(
            format!("plot size {w}x{h} is out of range"),
            Some(format!(
                "use between {}x{} and {MAX_SIZE}x{MAX_SIZE} pixels",
                MIN_SIZE.0, MIN_SIZE.1
            )),
        ));
    }
    let axes = &result.meta.axes;
    if axes.is_empty() || axes.len() > 2 {
        return Err(Error::usage(
            format!("cannot plot a sweep over {} axes", axes.len()),
            Some("a chart shows a sweep over one axis (lines) or two (heatmap)".into()),
        ));
    }
    let expected: usize = axes.iter().map(|a| a.values.len()).product();
    if expected == 0 || result.points.len() != expected {
        return Err(Error::usage(
            format!(
                "cannot plot: the sweep has {} points but its axes give {expected}",
                result.points.len()
            ),
            None,
        ));
    }
    if let Some(p) = result.points.iter().find(|p| p.x.len() != axes.len()) {
        return Err(Error::usage(
            format!(
                "cannot plot: a sweep point has {} coordinates for {} axes",
                p.x.len(),
                axes.len()
            ),
            None,
        ));
    }
    Ok(())
}

/// Encodes 8-bit RGB pixels as PNG.
fn encode_png(rgb: &[u8], (w, h): (u32, u32)) -> Result<Vec<u8>, DrawError> {
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, w, h);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder
        .write_header()
        .map_err(|e| DrawError(format!("PNG: {e}")))?;
    writer
        .write_image_data(rgb)
        .map_err(|e| DrawError(format!("PNG: {e}")))?;
    writer
        .finish()
        .map_err(|e| DrawError(format!("PNG: {e}")))?;
    Ok(out)
}

/// A failure while drawing, as a message.
#[derive(Debug)]
pub(super) struct DrawError(String);

impl<E: std::error::Error + Send + Sync> From<DrawingAreaErrorKind<E>> for DrawError {
    fn from(e: DrawingAreaErrorKind<E>) -> DrawError {
        DrawError(e.to_string())
    }
}

/// Draws the whole chart on `root`.
fn draw_chart<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    result: &SweepResult,
    size: (u32, u32),
) -> Result<(), DrawError> {
    let sc = Scale::new(size);
    root.fill(&WHITE)?;
    if result.meta.axes.len() == 1 {
        line::draw(root, result, &sc)?;
    } else {
        heatmap::draw(root, result, &sc)?;
    }
    root.present()?;
    Ok(())
}

/// Title (the scenario) and subtitle at the top left (the subtitle left out when empty);
/// returns the height they take.
fn draw_header<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
    subtitle: &str,
    sc: &Scale,
) -> Result<u32, DrawError> {
    let x = sc.ipx(24.0);
    let max_w = sc.width.saturating_sub(2 * x as u32);
    let title_style = font::anchored(&sc.bold(font::TITLE, palette::INK), HPos::Left, VPos::Top);
    let sub_style = font::anchored(
        &sc.text(font::SUBTITLE, palette::MUTED),
        HPos::Left,
        VPos::Top,
    );
    root.draw(&Text::new(
        font::fit(&title_style, title, max_w),
        (x, sc.ipx(16.0)),
        title_style.clone(),
    ))?;
    if subtitle.is_empty() {
        return Ok(sc.px(16.0 + font::TITLE + 16.0));
    }
    root.draw(&Text::new(
        font::fit(&sub_style, subtitle, max_w),
        (x, sc.ipx(16.0 + font::TITLE + 8.0)),
        sub_style.clone(),
    ))?;
    Ok(sc.px(16.0 + font::TITLE + 8.0 + font::SUBTITLE + 14.0))
}

/// A short note of how the sweep was run, for a corner of the chart.
fn run_note(meta: &SweepMeta) -> String {
    format!(
        "{} · {} rounds · seed {}",
        meta.protocol,
        ticks::format_number(meta.rounds as f64, 0),
        meta.seed
    )
}

/// Draws `chart` to `path` (PNG or SVG by extension), written atomically.
fn write_chart<C: Chart>(chart: &C, path: &Path, size: (u32, u32)) -> Result<(), Error> {
    let format = ImageFormat::from_path(path)?;
    let bytes = render_chart(chart, size, format, path)?;
    crate::output::write_atomic(path, &bytes)
}

/// `chart` as an SVG document.
fn svg_of<C: Chart>(chart: &C, size: (u32, u32)) -> Result<String, Error> {
    let target = Path::new("<svg in memory>");
    let bytes = render_chart(chart, size, ImageFormat::Svg, target)?;
    String::from_utf8(bytes).map_err(|e| draw_failed(target, e.to_string()))
}

/// `chart` as encoded PNG bytes.
fn png_of<C: Chart>(chart: &C, size: (u32, u32)) -> Result<Vec<u8>, Error> {
    render_chart(chart, size, ImageFormat::Png, Path::new("<png in memory>"))
}

/// Draws the comparison of seeds to `path` (PNG or SVG by extension), `size` = width × height
/// pixels, written atomically: one panel per estimate, each seed's estimate and 95% interval
/// against the mean across seeds and the band of ± 1.96 mean standard errors.
pub fn draw_seeds(report: &SeedsReport, path: &Path, size: (u32, u32)) -> Result<(), Error> {
    write_chart(report, path, size)
}

/// The comparison of seeds as an SVG document.
pub fn render_seeds_svg(report: &SeedsReport, size: (u32, u32)) -> Result<String, Error> {
    svg_of(report, size)
}

/// The comparison of seeds as encoded PNG bytes.
pub fn render_seeds_png(report: &SeedsReport, size: (u32, u32)) -> Result<Vec<u8>, Error> {
    png_of(report, size)
}

/// Draws a dynamic protocol's run to `path` (PNG or SVG by extension), `size` = width ×
/// height pixels, written atomically: how rounds end by step, and each party's concession
/// path (mediated: the text's utility to each party).
pub fn draw_bargain(result: &BargainResult, path: &Path, size: (u32, u32)) -> Result<(), Error> {
    write_chart(result, path, size)
}

/// A dynamic protocol's run as an SVG document.
pub fn render_bargain_svg(result: &BargainResult, size: (u32, u32)) -> Result<String, Error> {
    svg_of(result, size)
}

/// A dynamic protocol's run as encoded PNG bytes.
pub fn render_bargain_png(result: &BargainResult, size: (u32, u32)) -> Result<Vec<u8>, Error> {
    png_of(result, size)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::sim::Estimate;
    use crate::sweep::result::{AxisInfo, Marker, PointParty, SweepPoint};

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

    fn meta(axes: Vec<AxisInfo>, markers: Vec<Marker>) -> SweepMeta {
        SweepMeta {
            scenario: "peace-plan-2025".into(),
            protocol: "ratify".into(),
            seed: 7,
            rounds: 20_000,
            info: crate::sweep::SweepInfo {
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
    pub(crate) fn one_axis() -> SweepResult {
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
        SweepResult {
            meta: meta(vec![axis("troop_cap (troops)", values, None)], markers),
            points,
        }
    }

    /// A choice axis: option names as ticks.
    pub(crate) fn choice_axis() -> SweepResult {
        let names = ["none", "bilateral", "coalition", "NATO-style"];
        let values: Vec<f64> = (0..names.len()).map(|i| i as f64).collect();
        let points = values
            .iter()
            .map(|&v| point(vec![v], 0.2 + 0.25 * v, 0.9 - 0.28 * v, 2000))
            .collect();
        let options = Some(names.iter().map(|s| s.to_string()).collect());
        let mut m = meta(vec![axis("security_guarantee", values, options)], vec![]);
        m.description = "security_guarantee over its 4 options on plan_28".into();
        SweepResult { meta: m, points }
    }

    /// troop_cap × the concession path, 11 × 6.
    pub(crate) fn two_axes(nx: usize, ny: usize) -> SweepResult {
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
        SweepResult { meta: m, points }
    }

    /// troop_cap × a choice clause, 5 × 4.
    pub(crate) fn with_choice() -> SweepResult {
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

    fn distinct_colours(px: &[[u8; 3]]) -> usize {
        px.iter().collect::<std::collections::HashSet<_>>().len()
    }

    #[test]
    fn png_has_the_requested_size_and_content() {
        let bytes = render_png(&one_axis(), (1200, 750)).unwrap();
        let (w, h, px) = decode(&bytes);
        assert_eq!((w, h), (1200, 750));
        let white = px.iter().filter(|p| **p == [255, 255, 255]).count();
        assert!(
            white < px.len() * 98 / 100,
            "nearly blank: {white} white of {}",
            px.len()
        );
        assert!(
            distinct_colours(&px) > 50,
            "{} colours",
            distinct_colours(&px)
        );

        let (w, h, _) = decode(&render_png(&one_axis(), (640, 400)).unwrap());
        assert_eq!((w, h), (640, 400));
    }

    #[test]
    fn svg_names_axis_vetoes_agreement_and_markers() {
        let svg = render_svg(&one_axis(), (1200, 750)).unwrap();
        assert!(svg.contains("<svg"));
        for needle in [
            "troop_cap (troops)",
            "Kyiv",
            "Moscow",
            "agreement",
            "plan_28",
            "counter_offer",
        ] {
            assert!(svg.contains(needle), "SVG lacks {needle:?}");
        }
        assert!(!svg.contains("Onlooker"), "a party without a veto is drawn");
        let texts = svg_texts(&svg);
        for text in [
            "troop_cap (troops)",
            "P(accept)",
            "agreement (all vetoes)",
            "600,000",
            "peace-plan-2025",
        ] {
            assert!(
                texts.iter().any(|t| t == text),
                "no text {text:?} in {texts:?}"
            );
        }
    }

    #[test]
    fn choice_axis_shows_option_names() {
        let svg = render_svg(&choice_axis(), (1200, 750)).unwrap();
        let texts = svg_texts(&svg);
        for name in ["none", "bilateral", "coalition", "NATO-style"] {
            assert!(
                texts.iter().any(|t| t == name),
                "no tick {name:?} in {texts:?}"
            );
        }
    }

    #[test]
    fn two_axes_render_in_both_formats() {
        let result = two_axes(11, 6);
        let (w, h, px) = decode(&render_png(&result, (1200, 750)).unwrap());
        assert_eq!((w, h), (1200, 750));
        assert!(distinct_colours(&px) > 50);
        let svg = render_svg(&result, (900, 600)).unwrap();
        assert!(svg.contains("troop_cap (troops)"));
        assert!(svg.contains("P(agreement)"));
        let texts = svg_texts(&render_svg(&with_choice(), (1200, 750)).unwrap());
        assert!(texts.iter().any(|t| t == "NATO-style"), "{texts:?}");
        assert!(texts.iter().any(|t| t == "security_guarantee"), "{texts:?}");
    }

    #[test]
    fn odd_sweeps_still_draw() {
        // A point with no rounds, a marker off the axis, values descending, no vetoes.
        let mut r = one_axis();
        r.points[5].agreement = Estimate::from_counts(0, 0);
        r.points[5].parties[0].accept = Estimate::from_counts(0, 0);
        r.meta.markers.push(Marker {
            name: "far_away".into(),
            x: 9e9,
        });
        r.meta.axes[0].values.reverse();
        r.points.reverse();
        for format in [ImageFormat::Png, ImageFormat::Svg] {
            render(&r, (800, 500), format, Path::new("x")).unwrap();
        }
        assert!(!render_svg(&r, (800, 500)).unwrap().contains("far_away"));
        r.meta.veto = vec![false, false, false];
        render_png(&r, (800, 500)).unwrap();
        // One point on each axis.
        let mut one = two_axes(2, 2);
        one.meta.axes[0].values.truncate(1);
        one.meta.axes[1].values.truncate(1);
        one.points.truncate(1);
        render_png(&one, (800, 500)).unwrap();
        let mut single = one_axis();
        single.meta.axes[0].values.truncate(1);
        single.points.truncate(1);
        render_svg(&single, (800, 500)).unwrap();
        // Long names are cut to fit rather than spilling over.
        let mut long = one_axis();
        long.meta.parties[0] =
            "A party with a very long name indeed, longer than any legend".into();
        long.meta.scenario = "x".repeat(500);
        render_png(&long, (1200, 750)).unwrap();
    }

    #[test]
    fn format_from_extension() {
        assert_eq!(
            ImageFormat::from_path(Path::new("out/x.PNG")).unwrap(),
            ImageFormat::Png
        );
        assert_eq!(
            ImageFormat::from_path(Path::new("x.svg")).unwrap(),
            ImageFormat::Svg
        );
        let err = ImageFormat::from_path(Path::new("x.jpg")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "--plot PATH: `x.jpg` has extension .jpg; use .png or .svg"
        );
        assert_eq!(err.exit_code(), 2);
        assert!(ImageFormat::from_path(Path::new("plot")).is_err());
    }

    #[test]
    fn unplottable_input_is_a_usage_error() {
        let mut r = one_axis();
        r.points.pop();
        assert_eq!(render_svg(&r, (1200, 750)).unwrap_err().exit_code(), 2);
        assert!(render_png(&one_axis(), (10, 10)).is_err());
        let mut r = two_axes(3, 3);
        let first = r.meta.axes[0].clone();
        r.meta.axes.push(first);
        assert!(render_svg(&r, (1200, 750)).is_err());
    }

    #[test]
    fn draw_sweep_writes_the_file_atomically() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sweep.svg");
        draw_sweep(&one_axis(), &path, (800, 500)).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains("</svg>"));
        let bad = dir.path().join("sweep.gif");
        assert!(draw_sweep(&one_axis(), &bad, (800, 500)).is_err());
        let missing = dir.path().join("no/such/dir/sweep.png");
        assert!(matches!(
            draw_sweep(&one_axis(), &missing, (800, 500)),
            Err(Error::Write { .. })
        ));
        // Nothing but the one chart is left behind.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
