//! The embedded font (Noto Sans, from the `ttf-noto-sans` crate), registered with plotters
//! once, and text styles scaled to the image size.

use std::sync::OnceLock;

use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{FontStyle, FontTransform, IntoFont, RGBColor, TextStyle, register_font};

/// Text sizes in design pixels (at 1200 × 750), roughly the height of a line of text.
pub(super) const TITLE: f64 = 30.0;
pub(super) const SUBTITLE: f64 = 19.0;
pub(super) const AXIS_TITLE: f64 = 20.0;
pub(super) const TICK: f64 = 17.0;
/// Legend entries.
pub(super) const LEGEND: f64 = 17.0;
/// Names of small panels (the seeds chart's estimates).
pub(super) const PANEL: f64 = 18.0;
pub(super) const NOTE: f64 = 15.0;
pub(super) const MARKER: f64 = 16.0;

/// The family name every text style uses; registered from the embedded font.
const FAMILY: &str = "sans-serif";

static REGISTERED: OnceLock<bool> = OnceLock::new();

/// Registers the embedded font under `sans-serif` (once per process). Without it, the bitmap
/// backend has no glyphs, so this must run before any drawing.
pub(super) fn ensure_registered() -> Result<(), String> {
    let ok = *REGISTERED.get_or_init(|| {
        let regular = register_font(FAMILY, FontStyle::Normal, ttf_noto_sans::REGULAR).is_ok();
        let bold = register_font(FAMILY, FontStyle::Bold, ttf_noto_sans::BOLD).is_ok();
        regular && bold
    });
    if ok {
        Ok(())
    } else {
        Err("the embedded font could not be loaded".into())
    }
}

/// Sizes in pixels for a chart `width` × `height`: everything is laid out for 1200 × 750 and
/// scaled by the smaller ratio (its square root below 1).
#[derive(Debug, Clone, Copy)]
pub(super) struct Scale {
    /// Image width in pixels.
    pub width: u32,
    /// Design pixels to pixels.
    pub s: f64,
}

impl Scale {
    pub fn new((width, height): (u32, u32)) -> Scale {
        let ratio = (width as f64 / 1200.0).min(height as f64 / 750.0);
        // Smaller images shrink text less, so it stays legible.
        let s = if ratio < 1.0 {
            ratio.sqrt()
        } else {
            ratio.min(8.0)
        };
        Scale { width, s }
    }

    /// `v` design pixels at this scale, as whole pixels (at least 1).
    pub fn px(&self, v: f64) -> u32 {
        (v * self.s).round().max(1.0) as u32
    }

    /// `v` design pixels at this scale, as a signed coordinate.
    pub fn ipx(&self, v: f64) -> i32 {
        self.px(v) as i32
    }

    /// A text style of `size` design pixels.
    pub fn text(&self, size: f64, color: RGBColor) -> TextStyle<'static> {
        (FAMILY, size * self.s).into_font().color(&color)
    }

    /// A bold text style of `size` design pixels.
    pub fn bold(&self, size: f64, color: RGBColor) -> TextStyle<'static> {
        (FAMILY, size * self.s, FontStyle::Bold)
            .into_font()
            .color(&color)
    }
}

/// `style` anchored at `h`, `v` (plotters anchors text at its top left by default).
pub(super) fn anchored(style: &TextStyle<'static>, h: HPos, v: VPos) -> TextStyle<'static> {
    style.pos(Pos::new(h, v))
}

/// `style` turned to read bottom to top.
pub(super) fn vertical(style: &TextStyle<'static>) -> TextStyle<'static> {
    style.transform(FontTransform::Rotate270)
}

/// Width of `text` in pixels; an estimate from the font size if the font cannot lay it out.
pub(super) fn width(style: &TextStyle<'_>, text: &str) -> u32 {
    match style.font.box_size(text) {
        Ok((w, _)) => w,
        Err(_) => (text.chars().count() as f64 * style.font.get_size() * 0.55).ceil() as u32,
    }
}

/// Width of the widest of `texts` in pixels (0 for none).
pub(super) fn widest(style: &TextStyle<'_>, texts: &[String]) -> u32 {
    texts.iter().map(|t| width(style, t)).max().unwrap_or(0)
}

/// `text`, cut short with `…` so it is at most `max` pixels wide.
pub(super) fn fit(style: &TextStyle<'_>, text: &str, max: u32) -> String {
    if width(style, text) <= max {
        return text.to_string();
    }
    let chars: Vec<char> = text.chars().collect();
    for keep in (0..chars.len()).rev() {
        let cut: String = chars[..keep]
            .iter()
            .collect::<String>()
            .trim_end()
            .to_string()
            + "…";
        if width(style, &cut) <= max {
            return cut;
        }
    }
    String::new()
}
