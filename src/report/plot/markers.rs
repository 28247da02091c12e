//! Named proposals marked on a plot: a dashed vertical line across it at each one's x, and
//! its name in rows above the plot, clear of the other names, with a short lead from the
//! frame up to a name in a higher row. The 1-D sweep marks the proposals' positions on the
//! swept axis; a search's chart their objective.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::DrawError;
use super::font::{self, Scale};
use super::frame::{Frame, Plot, PlotChart, Rect, inner_rect};
use super::palette;

/// The most rows of names above a plot.
const MAX_ROWS: usize = 4;

/// A marker label placed above the plot.
struct Placed {
    name: String,
    /// Marker position on the axis.
    x: f64,
    /// Marker position, pixels from the left of the image.
    px: i32,
    /// Label box, left and right.
    left: i32,
    right: i32,
    /// Row above the plot, 0 nearest.
    row: usize,
}

/// Puts each label in the lowest row where it overlaps no other label, no lead of a label above
/// crosses it, and its own lead crosses no label below; failing that, the lowest row where only
/// its own lead crosses a label. At most `max_rows` rows; labels that fit nowhere go on top.
fn place_labels(
    mut labels: Vec<(String, f64, i32, i32)>,
    (x0, x1): (i32, i32),
    gap: i32,
    max_rows: usize,
) -> Vec<Placed> {
    labels.sort_by_key(|l| l.2);
    let mut placed: Vec<Placed> = Vec::new();
    for (name, x, px, w) in labels {
        let left = (px - w / 2).clamp(x0, (x1 - w).max(x0));
        let right = left + w;
        let free = |row: usize, strict: bool| {
            placed.iter().all(|p| {
                let overlaps = left < p.right + gap && p.left < right + gap;
                let same_row = p.row == row && overlaps;
                let crosses_me = p.row > row && left - gap <= p.px && p.px <= right + gap;
                let i_cross = p.row < row && p.left - gap <= px && px <= p.right + gap;
                !(same_row || crosses_me || (strict && i_cross))
            })
        };
        let row = (0..max_rows)
            .find(|&r| free(r, true))
            .or_else(|| (0..max_rows).find(|&r| free(r, false)))
            .unwrap_or(max_rows - 1);
        placed.push(Placed {
            name,
            x,
            px,
            left,
            right,
            row,
        });
    }
    placed
}

/// Named markers on a plot, their labels placed.
pub(super) struct Markers {
    placed: Vec<Placed>,
    style: TextStyle<'static>,
    dash: ShapeStyle,
    /// Height of a row of labels.
    row_h: u32,
}

impl Markers {
    /// Places the labels of `markers` (a name and its x, inside the plot's x range) above
    /// `plot`, to be drawn in `rect`, and makes room for their rows in the plot's top margin.
    /// The labels may reach half the right margin past the plot.
    pub fn place(
        sc: &Scale,
        plot: &mut Plot,
        rect: Rect,
        markers: impl IntoIterator<Item = (String, f64)>,
    ) -> Markers {
        // Where the markers fall does not depend on the rows above the plot, so lay the plot
        // out once to find out.
        let inner = plot.layout(sc, (rect.w, rect.h)).inner;
        let (x0, x1) = (rect.x + inner.x, rect.x + inner.right());
        let (lo, hi) = (plot.x.lo, plot.x.hi);
        let to_px = |v: f64| x0 + ((v - lo) / (hi - lo) * (x1 - x0) as f64).round() as i32;
        let style = font::anchored(
            &sc.text(font::MARKER, palette::MARKER),
            HPos::Center,
            VPos::Bottom,
        );
        let labels = markers
            .into_iter()
            .map(|(name, x)| {
                // With slack for wider SVG fonts; labels are drawn centred in their box.
                let w = font::width(&style, &name) * 23 / 20;
                let px = to_px(x);
                (name, x, px, w as i32)
            })
            .collect();
        let reach = (x0, x1 + plot.margin[1] as i32 / 2);
        let placed = place_labels(labels, reach, sc.ipx(10.0), MAX_ROWS);
        let row_h = sc.px(font::MARKER + 5.0);
        let rows = placed.iter().map(|p| p.row + 1).max().unwrap_or(0) as u32;
        plot.margin[0] += rows * row_h;
        Markers {
            placed,
            style,
            dash: palette::MARKER.mix(0.85).stroke_width(sc.px(1.5)),
            row_h,
        }
    }

    /// The dashed lines across `plot`, drawn on `chart` (before the data, to lie under it).
    pub fn draw_lines<DB: DrawingBackend>(
        &self,
        chart: &mut PlotChart<'_, DB>,
        plot: &Plot,
        sc: &Scale,
    ) -> Result<(), DrawError> {
        let (y_lo, y_hi) = (plot.y.lo, plot.y.hi);
        for p in &self.placed {
            let ends = [(p.x, y_lo), (p.x, y_hi)];
            chart.draw_series(DashedLineSeries::new(
                ends,
                sc.px(7.0),
                sc.px(5.0),
                self.dash,
            ))?;
        }
        Ok(())
    }

    /// The labels above `chart`'s plot, re-centred on the exact position plotters maps each
    /// marker to, with a short lead from the frame up to a label in a higher row unless it
    /// would cross another.
    pub fn draw_labels<DB: DrawingBackend>(
        &mut self,
        frame: &Frame<'_, DB>,
        chart: &PlotChart<'_, DB>,
        plot: &Plot,
    ) -> Result<(), DrawError> {
        let sc = frame.sc;
        let top = inner_rect(chart).y;
        for p in &mut self.placed {
            let exact = chart.backend_coord(&(p.x, plot.y.hi)).0;
            p.left += exact - p.px;
            p.right += exact - p.px;
            p.px = exact;
        }
        for p in &self.placed {
            let bottom = top - sc.ipx(4.0) - (p.row as u32 * self.row_h) as i32;
            let crosses = self
                .placed
                .iter()
                .any(|q| q.row < p.row && q.left <= p.px && p.px <= q.right);
            if p.row > 0 && !crosses {
                frame.root.draw(&PathElement::new(
                    vec![(p.px, top), (p.px, bottom)],
                    self.dash,
                ))?;
            }
            let at = ((p.left + p.right) / 2, bottom - sc.ipx(1.0));
            frame
                .root
                .draw(&Text::new(p.name.clone(), at, self.style.clone()))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_do_not_collide() {
        let labels = vec![
            ("a".to_string(), 0.0, 100, 60),
            ("b".to_string(), 0.0, 120, 60),
            ("c".to_string(), 0.0, 400, 60),
        ];
        let placed = place_labels(labels, (0, 1000), 10, 4);
        assert_eq!(placed.iter().map(|p| p.row).collect::<Vec<_>>(), [0, 1, 0]);
        // b's marker is under a's wide label: no row avoids the crossing, so the lowest clear row.
        let labels = vec![
            ("a".to_string(), 0.0, 100, 200),
            ("b".to_string(), 0.0, 150, 40),
        ];
        let placed = place_labels(labels, (0, 1000), 10, 4);
        assert_eq!(placed[1].row, 1);
    }
}
