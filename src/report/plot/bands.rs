//! Probabilities along an axis, each with its 95% interval: a line over a shaded band, as the
//! sweep's acceptance curves and the run's endings by step draw them.

use plotters::prelude::*;

use super::DrawError;
use super::font::Scale;
use super::frame::PlotChart;
use super::legend::Swatch;
use super::palette;
use crate::sim::Estimate;

/// One probability along the x axis.
pub(super) struct Banded {
    pub name: String,
    pub color: RGBColor,
    /// Line width in design pixels.
    pub width: f64,
    /// Band fill opacity.
    pub band: f64,
    /// (x, estimate), sorted by x.
    pub points: Vec<(f64, Estimate)>,
}

/// How the points are joined.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Join {
    /// Straight lines from point to point; a dot on each point if `dots`, and always on a
    /// point alone (a line through one point shows nothing).
    Lines { dots: bool },
    /// Steps: each value spans its x ± ½.
    Stairs,
}

impl Banded {
    /// A party's or an ending's probability: a line over a band.
    pub fn new(name: impl Into<String>, color: RGBColor, points: Vec<(f64, Estimate)>) -> Banded {
        let name = name.into();
        Banded {
            name,
            color,
            width: 2.5,
            band: 0.16,
            points,
        }
    }

    /// The probability of agreement: thick and black over a lighter band, so it reads first.
    pub fn agreement(name: impl Into<String>, points: Vec<(f64, Estimate)>) -> Banded {
        let thin = Banded::new(name, palette::AGREEMENT, points);
        Banded {
            width: 4.5,
            band: 0.13,
            ..thin
        }
    }

    /// The legend's swatch: the line over its band, a little darker than drawn so it reads
    /// at its small size.
    pub fn swatch(&self) -> Swatch {
        Swatch::Band {
            color: self.color,
            fill: self.band * 1.4,
            width: self.width,
        }
    }
}

/// Draws every band, then every line over them (so no band hides a line), in order.
pub(super) fn draw<DB: DrawingBackend>(
    chart: &mut PlotChart<'_, DB>,
    series: &[Banded],
    join: Join,
    sc: &Scale,
) -> Result<(), DrawError> {
    let shape = |points: Vec<(f64, f64)>| match join {
        Join::Stairs => staircase(points),
        Join::Lines { .. } => points,
    };
    let x = chart.x_range();
    for s in series {
        let fill = s.color.mix(s.band).filled();
        for run in runs(&s.points) {
            if let ([(x0, e)], Join::Lines { .. }) = (run, join) {
                // A band as wide as a thick line for a point alone.
                let half = (x.end - x.start) / 200.0;
                let band = Rectangle::new([(x0 - half, e.hi), (x0 + half, e.lo)], fill);
                chart.draw_series(std::iter::once(band))?;
                continue;
            }
            let hi = shape(run.iter().map(|(x, e)| (*x, e.hi)).collect());
            let lo = shape(run.iter().map(|(x, e)| (*x, e.lo)).collect());
            let outline: Vec<_> = hi.into_iter().chain(lo.into_iter().rev()).collect();
            chart.draw_series(std::iter::once(Polygon::new(outline, fill)))?;
        }
    }
    for s in series {
        let style = s.color.stroke_width(sc.px(s.width));
        for run in runs(&s.points) {
            let line = shape(run.iter().map(|(x, e)| (*x, e.p)).collect());
            chart.draw_series(LineSeries::new(line, style))?;
            if let Join::Lines { dots } = join
                && (dots || run.len() == 1)
            {
                let r = sc.px(s.width + 2.0);
                let dot = |(x, e): &(f64, Estimate)| Circle::new((*x, e.p), r, s.color.filled());
                chart.draw_series(run.iter().map(dot))?;
            }
        }
    }
    Ok(())
}

/// Runs of consecutive points with a defined estimate (a point with no rounds breaks a line).
fn runs(points: &[(f64, Estimate)]) -> Vec<&[(f64, Estimate)]> {
    points
        .split(|(x, e)| !(x.is_finite() && e.p.is_finite() && e.lo.is_finite() && e.hi.is_finite()))
        .filter(|r| !r.is_empty())
        .collect()
}

/// Values by step as a staircase: the value at `x` spans `x ± ½`, centred on its tick, and
/// the line jumps halfway between steps.
fn staircase(points: Vec<(f64, f64)>) -> Vec<(f64, f64)> {
    points
        .into_iter()
        .flat_map(|(x, y)| [(x - 0.5, y), (x + 0.5, y)])
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_estimates_break_the_line() {
        let e = Estimate {
            p: 0.5,
            lo: 0.4,
            hi: 0.6,
            n: 10,
        };
        let gap = Estimate {
            p: f64::NAN,
            lo: 0.0,
            hi: 1.0,
            n: 0,
        };
        let pts = vec![(0.0, e), (1.0, e), (2.0, gap), (3.0, e)];
        let lengths: Vec<usize> = runs(&pts).iter().map(|r| r.len()).collect();
        assert_eq!(lengths, [2, 1]);
    }

    #[test]
    fn shares_change_at_whole_steps() {
        let s = staircase(vec![(1.0, 0.5), (2.0, 0.75)]);
        assert_eq!(s, [(0.5, 0.5), (1.5, 0.5), (1.5, 0.75), (2.5, 0.75)]);
        assert!(staircase(vec![]).is_empty());
    }
}
