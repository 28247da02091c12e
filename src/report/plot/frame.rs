//! The frame every chart is drawn in: a white page with the title and subtitle at the top left,
//! a body below them cut into rectangles for plots and legends, and the plots themselves —
//! margins, axes with tick labels fitted to their length, axis titles, grid lines and the
//! plotting area, whose coordinates the chart then draws its series, bands and cells in.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::DrawError;
use super::axis::Axis;
use super::font::{self, Scale};
use super::palette;
use super::ticks::{TickedRange, Ticks};

/// A rectangle of the image, in pixels from its top left.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Rect {
    pub x: i32,
    pub y: i32,
    pub w: u32,
    pub h: u32,
}

impl Rect {
    pub const fn new(x: i32, y: i32, w: u32, h: u32) -> Rect {
        Rect { x, y, w, h }
    }

    pub fn right(&self) -> i32 {
        self.x + self.w as i32
    }

    pub fn bottom(&self) -> i32 {
        self.y + self.h as i32
    }

    /// This rectangle less `top`, `right`, `bottom` and `left` pixels (never less than empty).
    pub fn inset(self, top: u32, right: u32, bottom: u32, left: u32) -> Rect {
        let (x, y) = (
            self.x + left.min(self.w) as i32,
            self.y + top.min(self.h) as i32,
        );
        let (w, h) = (
            self.w.saturating_sub(left + right),
            self.h.saturating_sub(top + bottom),
        );
        Rect::new(x, y, w, h)
    }

    /// The left part and a column of the last `w` pixels.
    pub fn split_right(self, w: u32) -> (Rect, Rect) {
        let left = self.inset(0, w, 0, 0);
        (
            left,
            Rect::new(left.right(), self.y, self.w - left.w, self.h),
        )
    }

    /// The top part and a strip of the last `h` pixels.
    pub fn split_bottom(self, h: u32) -> (Rect, Rect) {
        let top = self.inset(0, 0, h, 0);
        (top, Rect::new(self.x, top.bottom(), self.w, self.h - top.h))
    }

    /// `n` columns of equal width, `gap` pixels apart.
    pub fn columns(self, n: u32, gap: u32) -> Vec<Rect> {
        let w = self.w.saturating_sub(gap * n.saturating_sub(1)) / n.max(1);
        let x = |i: u32| self.x + (i * (w + gap)) as i32;
        (0..n).map(|i| Rect::new(x(i), self.y, w, self.h)).collect()
    }
}

/// The page of one chart: the image's drawing area, its scale, and the body still free below
/// the header.
pub(super) struct Frame<'a, DB: DrawingBackend> {
    pub root: &'a DrawingArea<DB, Shift>,
    pub sc: Scale,
    pub body: Rect,
}

impl<'a, DB: DrawingBackend> Frame<'a, DB> {
    /// A blank white page of `size` pixels.
    pub fn new(root: &'a DrawingArea<DB, Shift>, size: (u32, u32)) -> Result<Self, DrawError> {
        root.fill(&WHITE)?;
        let (sc, body) = (Scale::new(size), Rect::new(0, 0, size.0, size.1));
        Ok(Frame { root, sc, body })
    }

    /// Height of the header, with a subtitle line or without.
    pub fn header_height(sc: &Scale, subtitle: bool) -> u32 {
        if subtitle {
            sc.px(16.0 + font::TITLE + 8.0 + font::SUBTITLE + 14.0)
        } else {
            sc.px(16.0 + font::TITLE + 16.0)
        }
    }

    /// Draws the title and subtitle (left out when empty) at the top left, each cut short to
    /// fit the width, and takes their height off the body.
    pub fn header(&mut self, title: &str, subtitle: &str) -> Result<(), DrawError> {
        let sc = self.sc;
        let x = sc.ipx(24.0);
        let max_w = sc.width.saturating_sub(2 * x as u32);
        let top_left = |s: TextStyle<'static>| font::anchored(&s, HPos::Left, VPos::Top);
        let title_style = top_left(sc.bold(font::TITLE, palette::INK));
        self.text(title, (x, sc.ipx(16.0)), &title_style, max_w)?;
        if !subtitle.is_empty() {
            let style = top_left(sc.text(font::SUBTITLE, palette::MUTED));
            let y = sc.ipx(16.0 + font::TITLE + 8.0);
            self.text(subtitle, (x, y), &style, max_w)?;
        }
        let h = Self::header_height(&sc, !subtitle.is_empty());
        self.body = self.body.inset(h, 0, 0, 0);
        Ok(())
    }

    /// The part of the image inside `r`, to draw in with coordinates from its top left.
    pub fn area(&self, r: Rect) -> DrawingArea<DB, Shift> {
        self.root.clone().shrink((r.x, r.y), (r.w, r.h))
    }

    /// `text` in `style` at `(x, y)`, cut short to `max_w` pixels.
    pub fn text(
        &self,
        text: &str,
        (x, y): (i32, i32),
        style: &TextStyle<'static>,
        max_w: u32,
    ) -> Result<(), DrawError> {
        let fitted = font::fit(style, text, max_w);
        self.root.draw(&Text::new(fitted, (x, y), style.clone()))?;
        Ok(())
    }

    /// A panel's heading in bold at the top left of `r`.
    pub fn heading(&self, r: Rect, text: &str) -> Result<(), DrawError> {
        let style = font::anchored(
            &self.sc.bold(font::AXIS_TITLE, palette::INK),
            HPos::Left,
            VPos::Top,
        );
        self.text(text, (r.x, r.y), &style, r.w)
    }

    /// `text` in the middle of `r`, for a plot or page with nothing to show.
    pub fn message(&self, r: Rect, text: &str) -> Result<(), DrawError> {
        let style = font::anchored(
            &self.sc.text(font::SUBTITLE, palette::MUTED),
            HPos::Center,
            VPos::Center,
        );
        let centre = (r.x + r.w as i32 / 2, r.y + r.h as i32 / 2);
        self.text(text, centre, &style, r.w)
    }
}

/// The coordinates of a plot: both axes linear, with ticks where their rules put them.
pub(super) type PlotChart<'b, DB> = ChartContext<'b, DB, Cartesian2d<TickedRange, TickedRange>>;

/// A plot: two axes drawn in an area, with room for their tick labels and titles.
#[derive(Debug, Clone)]
pub(super) struct Plot {
    pub x: Axis,
    pub y: Axis,
    /// Tick label size in design pixels.
    pub tick_size: f64,
    /// Least room between the widest two x tick labels, in design pixels.
    pub tick_gap: f64,
    /// Space around the plot and its labels, in pixels: top, right, bottom, left.
    pub margin: [u32; 4],
    /// Least width of the y tick labels' column, in pixels, so panels side by side line up.
    pub y_label_w: u32,
}

/// Where the parts of a plot go in an area.
#[derive(Debug, Clone)]
pub(super) struct Layout {
    pub x_ticks: Ticks,
    pub y_ticks: Ticks,
    /// Height under the plot for the x tick labels and title.
    pub x_label_h: u32,
    /// Width left of the plot for the y tick labels and title.
    pub y_label_w: u32,
    /// The plotting area, in pixels of the plot's area.
    pub inner: Rect,
}

impl Plot {
    /// A plot of `x` against `y` with tick labels of the usual size and no margins.
    pub fn new(x: Axis, y: Axis) -> Plot {
        Plot {
            x,
            y,
            tick_size: font::TICK,
            tick_gap: 28.0,
            margin: [0; 4],
            y_label_w: 0,
        }
    }

    /// Fits the ticks to an area of `w` × `h` pixels: the y ticks to the height left under
    /// the margins and x labels, their labels' width to the y column, the x ticks to the
    /// width that leaves.
    pub fn layout(&self, sc: &Scale, (w, h): (u32, u32)) -> Layout {
        let [top, right, bottom, left] = self.margin;
        let tick = sc.text(self.tick_size, palette::INK);
        let titled = |a: &Axis, room: f64| a.title.as_ref().map_or(0, |_| sc.px(room));
        let x_label_h = sc.px(self.tick_size + 14.0) + titled(&self.x, font::AXIS_TITLE + 11.0);
        let plot_h = h.saturating_sub(top + bottom + x_label_h);
        let y_ticks = self.y.up(plot_h, &tick);
        // The title reads bottom to top at the column's left edge, a line's width from the
        // labels.
        let y_labels = font::widest(&tick, &y_ticks.labels) + sc.px(12.0);
        let y_label_w = (y_labels + titled(&self.y, 2.0 * font::AXIS_TITLE)).max(self.y_label_w);
        let plot_w = w.saturating_sub(left + right + y_label_w);
        let x_ticks = self.x.across(plot_w, &tick, sc.px(self.tick_gap));
        let inner = Rect::new((left + y_label_w) as i32, top as i32, plot_w, plot_h);
        Layout {
            x_ticks,
            y_ticks,
            x_label_h,
            y_label_w,
            inner,
        }
    }

    /// Draws the axes, tick labels, titles and grid lines on `area`, laid out by
    /// [`layout`](Plot::layout), and returns the plot's coordinates to draw its data in.
    pub fn draw<'b, DB: DrawingBackend>(
        &self,
        area: &'b DrawingArea<DB, Shift>,
        sc: &Scale,
    ) -> Result<PlotChart<'b, DB>, DrawError> {
        let layout = self.layout(sc, area.dim_in_pixel());
        let [top, right, bottom, left] = self.margin;
        let range = |a: &Axis, t: &Ticks| TickedRange {
            lo: a.lo,
            hi: a.hi,
            ticks: t.values.clone(),
        };
        let mut chart = ChartBuilder::on(area)
            .margin_top(top)
            .margin_right(right)
            .margin_bottom(bottom)
            .margin_left(left)
            .x_label_area_size(layout.x_label_h)
            .y_label_area_size(layout.y_label_w)
            .build_cartesian_2d(
                range(&self.x, &layout.x_ticks),
                range(&self.y, &layout.y_ticks),
            )?;
        let x_fmt = |v: &f64| layout.x_ticks.label(*v);
        let y_fmt = |v: &f64| layout.y_ticks.label(*v);
        let mut mesh = chart.configure_mesh();
        mesh.x_label_formatter(&x_fmt)
            .y_label_formatter(&y_fmt)
            .label_style(sc.text(self.tick_size, palette::INK))
            .axis_desc_style(sc.text(font::AXIS_TITLE, palette::INK))
            .bold_line_style(palette::GRID)
            .light_line_style(TRANSPARENT)
            .axis_style(palette::AXIS)
            .set_all_tick_mark_size(sc.px(5.0));
        if let Some(t) = &self.x.title {
            mesh.x_desc(t.as_str());
        }
        if let Some(t) = &self.y.title {
            mesh.y_desc(t.as_str());
        }
        if !self.x.grid {
            mesh.disable_x_mesh();
        }
        if !self.y.grid {
            mesh.disable_y_mesh();
        }
        mesh.draw()?;
        Ok(chart)
    }
}

/// An interval drawn across at height `y`: a line from `lo` to `hi` with a cap of half-height
/// `cap` at each end (in the y axis's units), for a chart's `draw_series`.
pub(super) fn whisker(
    (lo, hi): (f64, f64),
    y: f64,
    cap: f64,
    style: ShapeStyle,
) -> [PathElement<(f64, f64)>; 3] {
    [
        PathElement::new(vec![(lo, y), (hi, y)], style),
        PathElement::new(vec![(lo, y - cap), (lo, y + cap)], style),
        PathElement::new(vec![(hi, y - cap), (hi, y + cap)], style),
    ]
}

/// The plotting area of `chart` in pixels of the whole image.
pub(super) fn inner_rect<DB: DrawingBackend>(chart: &PlotChart<'_, DB>) -> Rect {
    let (xs, ys) = chart.plotting_area().get_pixel_range();
    let (w, h) = ((xs.end - xs.start).max(0), (ys.end - ys.start).max(0));
    Rect::new(xs.start, ys.start, w as u32, h as u32)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::plot::axis::{MAX_TICKS, TickRule};

    const fn rect(x: i32, y: i32, w: u32, h: u32) -> Rect {
        Rect::new(x, y, w, h)
    }

    #[test]
    fn rectangles_split_without_overlap() {
        let r = rect(10, 20, 300, 200);
        let (left, right) = r.split_right(100);
        assert_eq!(
            (left, right),
            (rect(10, 20, 200, 200), rect(210, 20, 100, 200))
        );
        let (top, bottom) = r.split_bottom(50);
        assert_eq!(
            (top, bottom),
            (rect(10, 20, 300, 150), rect(10, 170, 300, 50))
        );
        assert_eq!(r.inset(5, 10, 15, 20), rect(30, 25, 270, 180));
        assert_eq!(r.inset(500, 0, 0, 500).w, 0);
        let cols = r.columns(2, 20);
        assert_eq!(cols, [rect(10, 20, 140, 200), rect(170, 20, 140, 200)]);
        assert!(cols[0].right() < cols[1].x);
    }

    #[test]
    fn layout_fits_ticks_to_the_room() {
        let sc = Scale::new((1200, 750));
        let x = Axis::new(
            0.0,
            70_000.0,
            TickRule::round(0.0, 70_000.0, false, MAX_TICKS),
        )
        .titled("x");
        let y = Axis::new(-0.02, 1.02, TickRule::round(0.0, 1.0, false, 5)).titled("P");
        let mut plot = Plot::new(x, y);
        plot.margin = [10, 20, 10, 20];
        let wide = plot.layout(&sc, (1000, 600));
        let narrow = plot.layout(&sc, (330, 600));
        assert!(wide.x_ticks.labels.len() > narrow.x_ticks.labels.len());
        assert!(narrow.x_ticks.labels.len() >= 2, "{:?}", narrow.x_ticks);
        assert_eq!(wide.inner.x, 20 + wide.y_label_w as i32);
        assert_eq!(wide.inner.right(), 1000 - 20);
        assert_eq!(wide.inner.bottom(), 600 - 10 - wide.x_label_h as i32);
        // A short plot gets fewer y ticks; a wider y column is kept when asked for.
        let short = plot.layout(&sc, (1000, 150));
        assert!(short.y_ticks.labels.len() < wide.y_ticks.labels.len());
        plot.y_label_w = 200;
        assert_eq!(plot.layout(&sc, (1000, 600)).y_label_w, 200);
        // No title, no room for one.
        plot.y_label_w = 0;
        let titled = plot.layout(&sc, (1000, 600));
        plot.x.title = None;
        plot.y.title = None;
        let bare = plot.layout(&sc, (1000, 600));
        assert!(bare.x_label_h < titled.x_label_h && bare.y_label_w < titled.y_label_w);
    }
}
