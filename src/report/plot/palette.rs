//! Colours: the Okabe–Ito palette for lines (readable with the common colour-vision
//! deficiencies) and a viridis-like scale for the heatmap.

use plotters::style::RGBColor;

/// Okabe–Ito colours for parties, most distinct first (yellow left out: too pale on white).
pub(super) const PARTY: [RGBColor; 6] = [
    RGBColor(0, 114, 178),   // blue
    RGBColor(213, 94, 0),    // vermillion
    RGBColor(0, 158, 115),   // bluish green
    RGBColor(204, 121, 167), // reddish purple
    RGBColor(230, 159, 0),   // orange
    RGBColor(86, 180, 233),  // sky blue
];

/// The agreement line.
pub(super) const AGREEMENT: RGBColor = RGBColor(0, 0, 0);
/// Titles and tick labels.
pub(super) const INK: RGBColor = RGBColor(30, 30, 30);
/// Subtitles and notes.
pub(super) const MUTED: RGBColor = RGBColor(95, 95, 95);
/// Axis lines.
pub(super) const AXIS: RGBColor = RGBColor(110, 110, 110);
/// Grid lines.
pub(super) const GRID: RGBColor = RGBColor(228, 228, 228);
/// Proposal markers.
pub(super) const MARKER: RGBColor = RGBColor(70, 70, 70);
/// Heatmap cells without an estimate.
pub(super) const MISSING: RGBColor = RGBColor(210, 210, 210);

/// The colour of the `i`th veto party's line.
pub(super) fn party(i: usize) -> RGBColor {
    PARTY[i % PARTY.len()]
}

/// Viridis, sampled at nine even stops.
const VIRIDIS: [(u8, u8, u8); 9] = [
    (68, 1, 84),
    (72, 40, 120),
    (62, 73, 137),
    (49, 104, 142),
    (38, 130, 142),
    (31, 158, 137),
    (53, 183, 121),
    (110, 206, 88),
    (253, 231, 37),
];

/// The colour of probability `p` (clamped to 0–1) on the viridis scale; grey for NaN.
pub(super) fn viridis(p: f64) -> RGBColor {
    if !p.is_finite() {
        return MISSING;
    }
    let t = p.clamp(0.0, 1.0) * (VIRIDIS.len() - 1) as f64;
    let i = (t.floor() as usize).min(VIRIDIS.len() - 2);
    let f = t - i as f64;
    let (a, b) = (VIRIDIS[i], VIRIDIS[i + 1]);
    let mix = |x: u8, y: u8| (x as f64 + (y as f64 - x as f64) * f).round() as u8;
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

/// Black or white, whichever reads better on `c`.
pub(super) fn ink_on(c: RGBColor) -> RGBColor {
    let luma = 0.299 * c.0 as f64 + 0.587 * c.1 as f64 + 0.114 * c.2 as f64;
    if luma > 140.0 {
        RGBColor(0, 0, 0)
    } else {
        RGBColor(255, 255, 255)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn viridis_ends_and_middle() {
        assert_eq!(viridis(0.0), RGBColor(68, 1, 84));
        assert_eq!(viridis(1.0), RGBColor(253, 231, 37));
        assert_eq!(viridis(0.5), RGBColor(38, 130, 142));
        assert_eq!(viridis(-3.0), viridis(0.0));
        assert_eq!(viridis(f64::NAN), MISSING);
    }
}
