//! Charts, drawn with plotters into memory and written atomically. PNG or SVG, by the path's
//! extension; text uses the embedded Noto Sans font, so no system libraries are needed.
//!
//! Every chart is drawn in one frame (`frame.rs`: title and subtitle, then plots whose
//! margins, axes, tick labels and grid lines it lays out, with ticks chosen in `axis.rs`) with
//! one legend (`legend.rs`) placed beside or under the data; the chart files hold only their
//! own marks:
//!
//! - a 1-D sweep (`line.rs`): acceptance by each veto party and agreement of all of them, with
//!   95% bands (`bands.rs`) and named proposals marked;
//! - a 2-D sweep (`heatmap.rs`): the agreement probability over a grid, with a colour bar;
//! - `accord seeds` (`seeds.rs`, laid out by `seeds_plan.rs`): each seed's estimate and
//!   interval against the spread the intervals claim, one panel per estimate;
//! - a dynamic protocol's run (`dynamic.rs`): how rounds end by step, and each party's
//!   concession path;
//! - `accord concessions` and `accord search` (`ranked.rs`): ranked bar charts, of the gains
//!   with their paired intervals and of the deals found with their objective's intervals
//!   (named proposals marked as in a 1-D sweep, `markers.rs`).

mod axis;
mod bands;
mod calibration;
mod dynamic;
mod font;
mod frame;
mod heatmap;
mod legend;
mod line;
mod markers;
mod palette;
mod ranked;
mod raster;
mod seeds;
mod seeds_plan;
mod sensitivity;
mod sweep;
mod ticks;
mod view;

#[cfg(test)]
mod fixtures;

use std::path::Path;

use plotters::coord::Shift;
use plotters::drawing::DrawingAreaErrorKind;
use plotters::prelude::*;

use crate::analysis::calibrate::CalibrationReport;
use crate::analysis::seeds::SeedsReport;
use crate::analysis::sensitivity::SensitivityReport;
use crate::error::Error;
use crate::request::{Body, RunResult};
use frame::Frame;
use view::DynamicView;
use view::SweepView;

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

/// Draws a result's chart to `path` (PNG or SVG by extension), `size` = width × height
/// pixels, written atomically (a failed draw never leaves a partial file): for a sweep, lines
/// over one axis or a heatmap over two; for a dynamic protocol's play, how rounds end by step
/// and each party's offer path (mediated: the text's utility to each party); for concessions
/// and a search, ranked bars. Proposals put to the parties have no chart (sweep them instead).
pub fn draw(result: &RunResult, path: &Path, size: (u32, u32)) -> Result<(), Error> {
    let format = ImageFormat::from_path(path)?;
    let bytes = render_result(result, size, format, path)?;
    crate::output::write_atomic(path, &bytes)
}

/// The chart [`draw`] draws, as an SVG document in memory (for pages that embed it, such as
/// the HTML report): the same marks, bytes for bytes, as `draw` writes to a `.svg` file.
pub fn svg(result: &RunResult, size: (u32, u32)) -> Result<String, Error> {
    let target = Path::new("<svg in memory>");
    let bytes = render_result(result, size, ImageFormat::Svg, target)?;
    String::from_utf8(bytes).map_err(|e| draw_failed(target, e.to_string()))
}

/// A result's chart in `format`; failures name `target`.
fn render_result(
    result: &RunResult,
    size: (u32, u32),
    format: ImageFormat,
    target: &Path,
) -> Result<Vec<u8>, Error> {
    match &result.body {
        Body::Sweep(s) => render_chart(&SweepView::new(&result.header, s), size, format, target),
        Body::Dynamic(d) => {
            render_chart(&DynamicView::new(&result.header, d), size, format, target)
        }
        Body::Concessions(c) => render_chart(
            &ranked::Ranked::concessions(&result.header, c),
            size,
            format,
            target,
        ),
        Body::Search(r) => render_chart(
            &ranked::Ranked::search(&result.header, r),
            size,
            format,
            target,
        ),
        Body::Proposals { .. } => Err(Error::usage(
            "--plot: a ratify run has no steps to chart",
            Some(
                "sweep a clause, a path between proposals or a reservation to chart acceptance: \
                 `accord sweep FILE --clause NAME --plot PATH`"
                    .into(),
            ),
        )),
    }
}

/// Draws a sweep: lines over a 1-D sweep, a heatmap over a 2-D one (for tests: [`draw`]
/// dispatches through [`render_result`]).
#[cfg(test)]
fn draw_sweep(result: &SweepView, path: &Path, size: (u32, u32)) -> Result<(), Error> {
    write_chart(result, path, size)
}

/// Draws the comparison of seeds to `path` (PNG or SVG by extension), `size` = width × height
/// pixels, written atomically: one panel per estimate, each seed's estimate and 95% interval
/// against the mean across seeds and the band of ± 1.96 mean standard errors.
pub fn draw_seeds(report: &SeedsReport, path: &Path, size: (u32, u32)) -> Result<(), Error> {
    write_chart(report, path, size)
}

/// Draws a sensitivity analysis to `path` (PNG or SVG by extension), `size` = width × height
/// pixels, written atomically: the Sobol indices with their intervals beside the tornado.
pub fn draw_sensitivity(
    report: &SensitivityReport,
    path: &Path,
    size: (u32, u32),
) -> Result<(), Error> {
    write_chart(report, path, size)
}

/// Draws a calibration to `path` (PNG or SVG by extension), `size` = width × height pixels,
/// written atomically: each observed share and its interval beside the fitted (or predicted)
/// probability and the range of a share of its n under it.
pub fn draw_calibration(
    report: &CalibrationReport,
    path: &Path,
    size: (u32, u32),
) -> Result<(), Error> {
    write_chart(&calibration::CalibrationView::new(report), path, size)
}

/// Draws a dynamic protocol's play: how rounds end by step, and each party's offer path
/// (for tests).
#[cfg(test)]
fn draw_dynamic(result: &DynamicView, path: &Path, size: (u32, u32)) -> Result<(), Error> {
    write_chart(result, path, size)
}

/// A chart that can draw itself in a frame on any plotters backend.
trait Chart {
    /// Rejects data that cannot be drawn, as a usage error (before anything is drawn).
    fn check(&self) -> Result<(), Error> {
        Ok(())
    }

    /// Draws the chart on the frame's blank page.
    fn draw<DB: DrawingBackend>(&self, frame: &mut Frame<'_, DB>) -> Result<(), DrawError>;
}

/// A failure while drawing, as a message.
#[derive(Debug)]
struct DrawError(String);

impl<E: std::error::Error + Send + Sync> From<DrawingAreaErrorKind<E>> for DrawError {
    fn from(e: DrawingAreaErrorKind<E>) -> DrawError {
        DrawError(e.to_string())
    }
}

/// Draws `chart` to `path` (PNG or SVG by extension), written atomically.
fn write_chart<C: Chart>(chart: &C, path: &Path, size: (u32, u32)) -> Result<(), Error> {
    let format = ImageFormat::from_path(path)?;
    let bytes = render_chart(chart, size, format, path)?;
    crate::output::write_atomic(path, &bytes)
}

/// `chart` as an SVG document (for tests: the CLI writes charts to files).
#[cfg(test)]
fn svg_of<C: Chart>(chart: &C, size: (u32, u32)) -> Result<String, Error> {
    let target = Path::new("<svg in memory>");
    let bytes = render_chart(chart, size, ImageFormat::Svg, target)?;
    String::from_utf8(bytes).map_err(|e| draw_failed(target, e.to_string()))
}

/// `chart` as encoded PNG bytes (for tests).
#[cfg(test)]
fn png_of<C: Chart>(chart: &C, size: (u32, u32)) -> Result<Vec<u8>, Error> {
    render_chart(chart, size, ImageFormat::Png, Path::new("<png in memory>"))
}

/// Checks `chart` and `size`, then draws it into memory as SVG or PNG; failures name `target`.
/// plotters reports its failures as errors; the `catch_unwind` only keeps a panic inside it
/// from crashing the whole command.
fn render_chart<C: Chart>(
    chart: &C,
    size: (u32, u32),
    format: ImageFormat,
    target: &Path,
) -> Result<Vec<u8>, Error> {
    check_size(size)?;
    chart.check()?;
    let fail = |message: String| draw_failed(target, message);
    font::ensure_registered().map_err(fail)?;
    let drawn = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| match format {
        ImageFormat::Svg => {
            let mut svg = String::new();
            {
                let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
                draw_on(chart, &root, size)?;
            }
            Ok(svg.into_bytes())
        }
        ImageFormat::Png => {
            let mut rgb = vec![0u8; size.0 as usize * size.1 as usize * 3];
            {
                let backend = BitMapBackend::with_buffer(&mut rgb, size);
                let root = raster::EvenText(backend).into_drawing_area();
                draw_on(chart, &root, size)?;
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

/// Draws `chart` in a new frame on `root` and flushes it.
fn draw_on<C: Chart, DB: DrawingBackend>(
    chart: &C,
    root: &DrawingArea<DB, Shift>,
    size: (u32, u32),
) -> Result<(), DrawError> {
    let mut frame = Frame::new(root, size)?;
    chart.draw(&mut frame)?;
    root.present()?;
    Ok(())
}

/// A drawing failure (font, backend or encoder), reported as a failure to write `path`.
fn draw_failed(path: &Path, message: String) -> Error {
    Error::Write {
        path: path.to_path_buf(),
        source: std::io::Error::other(message),
    }
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

/// Encodes 8-bit RGB pixels as PNG.
fn encode_png(rgb: &[u8], (w, h): (u32, u32)) -> Result<Vec<u8>, DrawError> {
    let fail = |e: png::EncodingError| DrawError(format!("PNG: {e}"));
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, w, h);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().map_err(fail)?;
    writer.write_image_data(rgb).map_err(fail)?;
    writer.finish().map_err(fail)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::fixtures::{self, decode};
    use super::*;

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
    fn sizes_out_of_range_are_usage_errors() {
        let sweep = fixtures::one_axis();
        for size in [(10, 10), (319, 600), (800, 239), (10_001, 600)] {
            assert_eq!(png_of(&sweep, size).unwrap_err().exit_code(), 2, "{size:?}");
        }
        assert!(svg_of(&sweep, MIN_SIZE).is_ok());
        let report = fixtures::seeds_report(&["plan_28"]);
        assert_eq!(png_of(&report, (10, 10)).unwrap_err().exit_code(), 2);
        let run = fixtures::alternating();
        assert_eq!(svg_of(&run, (10, 10)).unwrap_err().exit_code(), 2);
    }

    #[test]
    fn the_same_input_draws_the_same_bytes() {
        for size in [(1200, 750), (640, 400)] {
            let draw = || {
                [
                    svg_of(&fixtures::one_axis(), size),
                    svg_of(&fixtures::two_axes(11, 6), size),
                    svg_of(&fixtures::seeds_report(&["a", "b"]), size),
                    svg_of(&fixtures::alternating(), size),
                ]
                .map(Result::unwrap)
            };
            let (first, again) = (draw(), draw());
            for (k, (a, b)) in first.iter().zip(&again).enumerate() {
                assert!(a == b, "chart {k} at {size:?}: two SVGs differ");
            }
        }
        let png = || png_of(&fixtures::mediated(), (900, 560)).unwrap();
        assert!(png() == png(), "two PNGs of one run differ");
        assert_eq!(decode(&png()).0, 900);
    }

    #[test]
    fn charts_are_written_atomically() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sweep.svg");
        draw_sweep(&fixtures::one_axis(), &path, (800, 500)).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains("</svg>"));
        let bad = dir.path().join("sweep.gif");
        assert!(draw_sweep(&fixtures::one_axis(), &bad, (800, 500)).is_err());
        let missing = dir.path().join("no/such/dir/sweep.png");
        assert!(matches!(
            draw_sweep(&fixtures::one_axis(), &missing, (800, 500)),
            Err(Error::Write { .. })
        ));
        let seeds = dir.path().join("seeds.png");
        draw_seeds(&fixtures::seeds_report(&["plan_28"]), &seeds, (900, 560)).unwrap();
        assert_eq!(decode(&std::fs::read(&seeds).unwrap()).0, 900);
        let run = dir.path().join("run.svg");
        draw_dynamic(&fixtures::alternating(), &run, (900, 560)).unwrap();
        // Nothing but the three charts is left behind.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 3);
    }
}
