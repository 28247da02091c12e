//! The one legend every chart uses: entries (a swatch drawn like the marks it names, then its
//! label), then notes in a smaller, muted type. A legend sits where it covers no data: in a
//! column right of the plot (one entry and one note per line) or in a strip under it (entries
//! packed into rows, notes joined with ` · ` into lines, both as wide as the strip).

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::DrawError;
use super::font::{self, Scale};
use super::frame::{Frame, Rect};
use super::palette;

/// How an entry's swatch is drawn.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Swatch {
    /// A line `width` design pixels thick over its band, shaded at opacity `fill`.
    Band {
        color: RGBColor,
        fill: f64,
        width: f64,
    },
    /// A line, with a dot on it if `dot`.
    Line {
        color: RGBColor,
        width: f64,
        dot: bool,
    },
    /// A dashed line.
    Dashed { color: RGBColor },
    /// A dot on a whisker with caps: an estimate and its interval.
    Whisker { color: RGBColor },
    /// A filled square: a colour that cells take.
    Square { color: RGBColor },
}

/// Where a legend goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Side {
    /// A column right of the plot.
    Right,
    /// A strip under the plot.
    Below,
}

/// A chart's legend.
#[derive(Debug, Clone)]
pub(super) struct Legend {
    side: Side,
    entries: Vec<(Swatch, String)>,
    notes: Vec<String>,
}

/// Sizes in design pixels: swatch width, between a swatch and its label, between entries on a
/// row, padding at the left, top (of a strip) and bottom.
const SWATCH: f64 = 30.0;
const INNER: f64 = 8.0;
const OUTER: f64 = 22.0;
const PAD: (f64, f64, f64) = (8.0, 10.0, 8.0);

/// Between the notes that share a line.
const JOIN: &str = " · ";

/// Text styles and spacing of a legend at one scale.
struct Styles {
    text: TextStyle<'static>,
    note: TextStyle<'static>,
    /// From the top to the middle of the first row of entries.
    first: u32,
    /// Height of a row of entries.
    row_h: u32,
    /// From the last row of entries to the first note.
    notes_gap: u32,
    note_h: u32,
}

impl Styles {
    /// A column starts level with the top of the plot, spaces its entries further apart and
    /// sets its notes off as a block; a strip under a plot takes as little height from it as
    /// it can.
    fn new(sc: &Scale, side: Side) -> Styles {
        let text = sc.text(font::LEGEND, palette::INK);
        let note = sc.text(font::NOTE, palette::MUTED);
        let (first, row, gap) = match side {
            Side::Right => (
                PAD.1,
                font::LEGEND + 16.0,
                6.0 + (font::LEGEND + 16.0) / 2.0,
            ),
            Side::Below => (
                PAD.1 + (font::LEGEND + 12.0) / 2.0,
                font::LEGEND + 12.0,
                4.0,
            ),
        };
        Styles {
            text: font::anchored(&text, HPos::Left, VPos::Center),
            note: font::anchored(&note, HPos::Left, VPos::Top),
            first: sc.px(first),
            row_h: sc.px(row),
            notes_gap: sc.px(gap),
            note_h: sc.px(font::NOTE + 6.0),
        }
    }
}

/// Packs items `widths` wide into rows no wider than `room`, `sep` apart, in order: the
/// indices on each row (every item starts a row of its own if it must).
fn pack(widths: impl IntoIterator<Item = u32>, sep: u32, room: u32) -> Vec<Vec<usize>> {
    let mut rows: Vec<Vec<usize>> = Vec::new();
    let mut used = 0;
    for (i, w) in widths.into_iter().enumerate() {
        match rows.last_mut() {
            Some(row) if used + sep + w <= room => {
                row.push(i);
                used += sep + w;
            }
            _ => {
                rows.push(vec![i]);
                used = w;
            }
        }
    }
    rows
}

impl Legend {
    /// An empty legend on `side`.
    pub fn new(side: Side) -> Legend {
        Legend {
            side,
            entries: Vec::new(),
            notes: Vec::new(),
        }
    }

    /// Adds an entry: `swatch`, then `label`.
    pub fn entry(&mut self, swatch: Swatch, label: impl Into<String>) -> &mut Legend {
        self.entries.push((swatch, label.into()));
        self
    }

    /// Adds a note, after every entry.
    pub fn note(&mut self, note: impl Into<String>) -> &mut Legend {
        self.notes.push(note.into());
        self
    }

    /// The legend `room` pixels wide: the entries on each row, then the lines of notes.
    fn lines(&self, sc: &Scale, st: &Styles, room: u32) -> (Vec<Vec<usize>>, Vec<String>) {
        // A column has a line for each.
        let room = if self.side == Side::Right { 0 } else { room };
        let entry_w =
            |(_, label): &(Swatch, String)| sc.px(SWATCH + INNER) + font::width(&st.text, label);
        let rows = pack(self.entries.iter().map(entry_w), sc.px(OUTER), room);
        let note_w = self.notes.iter().map(|n| font::width(&st.note, n));
        let notes = pack(note_w, font::width(&st.note, JOIN), room)
            .into_iter()
            .map(|line| {
                line.iter()
                    .map(|&i| self.notes[i].as_str())
                    .collect::<Vec<_>>()
                    .join(JOIN)
            })
            .collect();
        (rows, notes)
    }

    /// Height of the legend in a rectangle `width` pixels wide, padding included.
    pub fn height(&self, sc: &Scale, width: u32) -> u32 {
        let st = Styles::new(sc, self.side);
        let (rows, notes) = self.lines(sc, &st, width.saturating_sub(2 * sc.px(PAD.0)));
        let notes_h = if notes.is_empty() {
            0
        } else {
            st.notes_gap + notes.len() as u32 * st.note_h
        };
        let rows_h = (st.first + rows.len() as u32 * st.row_h).saturating_sub(st.row_h / 2);
        rows_h + notes_h + sc.px(PAD.2)
    }

    /// Width of the legend as a column: its widest line, with slack for SVG viewers whose
    /// sans-serif is wider than the embedded font measured here, within 170 design pixels
    /// and 30% of the image.
    pub fn column_width(&self, sc: &Scale) -> u32 {
        let st = Styles::new(sc, self.side);
        let labels: Vec<String> = self.entries.iter().map(|e| e.1.clone()).collect();
        let entries = font::widest(&st.text, &labels) + sc.px(SWATCH + INNER);
        let widest = entries.max(font::widest(&st.note, &self.notes));
        let least = sc.px(170.0);
        (widest * 23 / 20 + sc.px(40.0)).clamp(least, (sc.width * 3 / 10).max(least))
    }

    /// Splits `area` into the plot's part and the legend's, on the legend's side: the legend
    /// never shares pixels with the plot.
    pub fn place(&self, sc: &Scale, area: Rect) -> (Rect, Rect) {
        match self.side {
            Side::Right => area.split_right(self.column_width(sc)),
            Side::Below => area.split_bottom(self.height(sc, area.w)),
        }
    }

    /// Draws the legend in `r`, from its top left; labels and notes cut short to fit.
    pub fn draw<DB: DrawingBackend>(
        &self,
        frame: &Frame<'_, DB>,
        r: Rect,
    ) -> Result<(), DrawError> {
        let sc = &frame.sc;
        let st = Styles::new(sc, self.side);
        let x = r.x + sc.ipx(PAD.0);
        let room = r.w.saturating_sub(2 * sc.px(PAD.0));
        let (rows, notes) = self.lines(sc, &st, room);
        let mut y = r.y + st.first as i32;
        for row in &rows {
            let mut cx = x;
            for &i in row {
                let (swatch, label) = &self.entries[i];
                draw_swatch(frame, *swatch, (cx, y))?;
                let lx = cx + sc.ipx(SWATCH + INNER);
                let left = room.saturating_sub((lx - x).max(0) as u32);
                frame.text(label, (lx, y), &st.text, left)?;
                cx = lx + font::width(&st.text, label) as i32 + sc.ipx(OUTER);
            }
            y += st.row_h as i32;
        }
        let mut y = y - st.row_h as i32 / 2 + st.notes_gap as i32;
        for line in &notes {
            frame.text(line, (x, y), &st.note, room)?;
            y += st.note_h as i32;
        }
        Ok(())
    }
}

/// Draws `swatch` with its left end at `(x, y)`.
fn draw_swatch<DB: DrawingBackend>(
    frame: &Frame<'_, DB>,
    swatch: Swatch,
    (x, y): (i32, i32),
) -> Result<(), DrawError> {
    let (root, sc) = (frame.root, &frame.sc);
    let (sw, half, mid) = (sc.ipx(SWATCH), sc.ipx(7.0), x + sc.ipx(SWATCH / 2.0));
    let path = |a: (i32, i32), b: (i32, i32), c: RGBColor, w: f64| {
        root.draw(&PathElement::new(vec![a, b], c.stroke_width(sc.px(w))))
    };
    let dot = |c: RGBColor| root.draw(&Circle::new((mid, y), sc.px(4.0), c.filled()));
    match swatch {
        Swatch::Band { color, fill, width } => {
            let band = [(x, y - half), (x + sw, y + half)];
            root.draw(&Rectangle::new(band, color.mix(fill).filled()))?;
            path((x, y), (x + sw, y), color, width)?;
        }
        Swatch::Line {
            color,
            width,
            dot: with_dot,
        } => {
            path((x, y), (x + sw, y), color, width)?;
            if with_dot {
                dot(color)?;
            }
        }
        Swatch::Dashed { color } => {
            let dash = sw / 4;
            for a in [x, x + dash * 5 / 2] {
                path((a, y), (a + dash * 3 / 2, y), color, 2.0)?;
            }
        }
        Swatch::Whisker { color } => {
            let (half, cap) = (sc.ipx(9.0), sc.ipx(4.0));
            path((mid, y - half), (mid, y + half), color, 1.5)?;
            for end in [y - half, y + half] {
                path((mid - cap, end), (mid + cap, end), color, 1.5)?;
            }
            dot(color)?;
        }
        Swatch::Square { color } => {
            let corners = [(mid - half, y - half), (mid + half, y + half)];
            root.draw(&Rectangle::new(corners, color.filled()))?;
            root.draw(&Rectangle::new(corners, palette::AXIS.stroke_width(1)))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn legend(side: Side, entries: usize, notes: &[&str]) -> Legend {
        let mut l = Legend::new(side);
        for k in 0..entries {
            let color = palette::party(k);
            l.entry(
                Swatch::Line {
                    color,
                    width: 2.0,
                    dot: false,
                },
                format!("party number {k}"),
            );
        }
        for n in notes {
            l.note(*n);
        }
        l
    }

    #[test]
    fn a_column_has_a_line_per_entry_and_note() {
        let sc = Scale::new((1200, 750));
        let l = legend(Side::Right, 4, &["a note", "another"]);
        let (rows, notes) = l.lines(&sc, &Styles::new(&sc, l.side), 10_000);
        assert_eq!(rows, [vec![0], vec![1], vec![2], vec![3]]);
        assert_eq!(notes, ["a note", "another"]);
        let w = l.column_width(&sc);
        assert!((sc.px(170.0)..=360).contains(&w), "{w}");
    }

    #[test]
    fn rows_pack_entries_and_notes_to_the_width() {
        let sc = Scale::new((1200, 750));
        let l = legend(Side::Below, 5, &["one", "two", "three"]);
        let st = Styles::new(&sc, l.side);
        let (rows, notes) = l.lines(&sc, &st, 10_000);
        assert_eq!(rows, [vec![0, 1, 2, 3, 4]]);
        assert_eq!(notes, ["one · two · three"]);
        let (rows, notes) = l.lines(&sc, &st, 1);
        assert_eq!(rows.len(), 5, "at least one entry per row");
        assert_eq!(notes.len(), 3);
        assert_eq!(
            pack([50, 50, 50, 120], 10, 120),
            [vec![0, 1], vec![2], vec![3]]
        );
        assert!(l.height(&sc, 300) > l.height(&sc, 1200));
    }

    #[test]
    fn the_legend_takes_its_own_part_of_the_area() {
        let sc = Scale::new((1200, 750));
        let area = Rect {
            x: 0,
            y: 90,
            w: 1200,
            h: 660,
        };
        let right = legend(Side::Right, 3, &["n"]);
        let (plot, key) = right.place(&sc, area);
        assert_eq!((plot.right(), plot.h), (key.x, key.h));
        assert_eq!(plot.w + key.w, 1200);
        let below = legend(Side::Below, 3, &["n"]);
        let (plot, key) = below.place(&sc, area);
        assert_eq!((plot.bottom(), plot.w), (key.y, key.w));
        assert_eq!(key.h, below.height(&sc, 1200));
        assert_eq!(key.bottom(), 750);
    }
}
