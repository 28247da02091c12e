//! A bitmap backend with even letter spacing. plotters' own ab_glyph text drops each glyph's
//! left side bearing and rounds every pen position, so PNG labels come out with uneven gaps
//! (`plan _28`, `800000in`). This wrapper delegates all drawing to the inner backend but lays
//! text out itself: kerned, at fractional pen positions, with the same box and baseline
//! plotters assumes, so labels land where plotters' layout expects them.

use std::sync::OnceLock;

use ab_glyph::{Font, FontRef, ScaleFont, point};
use plotters::prelude::DrawingBackend;
use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind, FontStyle,
};

/// The embedded faces, parsed once; `None` if they do not parse.
fn faces() -> Option<&'static (FontRef<'static>, FontRef<'static>)> {
    static FACES: OnceLock<Option<(FontRef<'static>, FontRef<'static>)>> = OnceLock::new();
    FACES
        .get_or_init(|| {
            let regular = FontRef::try_from_slice(ttf_noto_sans::REGULAR).ok()?;
            let bold = FontRef::try_from_slice(ttf_noto_sans::BOLD).ok()?;
            Some((regular, bold))
        })
        .as_ref()
}

/// `inner` with text drawn by [`draw_text`](DrawingBackend::draw_text) below. Paths, circles
/// and polygons keep the trait's own rasterizers, which draw through the lines and pixels
/// passed on here (as they do for the bitmap backend, which has no faster ones).
pub(super) struct EvenText<B>(pub B);

impl<B: DrawingBackend> DrawingBackend for EvenText<B> {
    type ErrorType = B::ErrorType;

    fn get_size(&self) -> (u32, u32) {
        self.0.get_size()
    }

    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<B::ErrorType>> {
        self.0.ensure_prepared()
    }

    fn present(&mut self) -> Result<(), DrawingErrorKind<B::ErrorType>> {
        self.0.present()
    }

    fn draw_pixel(
        &mut self,
        point: BackendCoord,
        color: BackendColor,
    ) -> Result<(), DrawingErrorKind<B::ErrorType>> {
        self.0.draw_pixel(point, color)
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result<(), DrawingErrorKind<B::ErrorType>> {
        self.0.draw_line(from, to, style)
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<B::ErrorType>> {
        self.0.draw_rect(upper_left, bottom_right, style, fill)
    }

    fn blit_bitmap(
        &mut self,
        pos: BackendCoord,
        size: (u32, u32),
        src: &[u8],
    ) -> Result<(), DrawingErrorKind<B::ErrorType>> {
        self.0.blit_bitmap(pos, size, src)
    }

    fn draw_text<S: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &S,
        pos: BackendCoord,
    ) -> Result<(), DrawingErrorKind<B::ErrorType>> {
        let color = style.color();
        if color.alpha == 0.0 {
            return Ok(());
        }
        let face = match faces() {
            Some((regular, bold)) if style.family().as_str() == "sans-serif" => match style.style()
            {
                FontStyle::Bold => bold,
                _ => regular,
            },
            _ => return self.0.draw_text(text, style, pos),
        };
        // The box plotters lays labels out with; anchor it the way plotters does.
        let ((min_x, min_y), (max_x, max_y)) = style
            .layout_box(text)
            .map_err(|e| DrawingErrorKind::FontError(Box::new(e)))?;
        let (width, height) = (max_x - min_x, max_y - min_y);
        let dx = match style.anchor().h_pos {
            HPos::Left => 0,
            HPos::Right => -width,
            HPos::Center => -width / 2,
        };
        let dy = match style.anchor().v_pos {
            VPos::Top => 0,
            VPos::Center => -height / 2,
            VPos::Bottom => -height,
        };
        let trans = style.transform();
        let size = style.size() as f32;
        let scaled = face.as_scaled(size);
        // plotters puts the baseline half the font size below the top of the box.
        let baseline = size / 2.0;
        let mut pen = 0f32;
        let mut prev = None;
        let mut result = Ok(());
        for c in text.chars() {
            let id = scaled.glyph_id(c);
            if let Some(p) = prev {
                pen += scaled.kern(p, id);
            }
            prev = Some(id);
            let glyph = id.with_scale_and_position(scaled.scale(), point(pen, baseline));
            pen += scaled.h_advance(id);
            let Some(outline) = face.outline_glyph(glyph) else {
                continue;
            };
            let bounds = outline.px_bounds();
            let (gx, gy) = (bounds.min.x as i32, bounds.min.y as i32);
            outline.draw(|x, y, coverage| {
                if result.is_err() || coverage <= 0.0 {
                    return;
                }
                let (x, y) =
                    trans.transform(gx + x as i32 + dx - min_x, gy + y as i32 + dy - min_y);
                let ink = BackendColor {
                    alpha: color.alpha * coverage.min(1.0) as f64,
                    rgb: color.rgb,
                };
                result = self.0.draw_pixel((pos.0 + x, pos.1 + y), ink);
            });
            if result.is_err() {
                break;
            }
        }
        result
    }
}
