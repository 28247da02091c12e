//! The deal space: the values each clause takes when deals are enumerated, by one rule shared
//! by the dynamic protocols, `accord analyse`, `accord import` and the size checks.
//!
//! - a choice: its options (stored as option indices);
//! - a bool: no and yes (0 and 1);
//! - an integer range holding at most [`MAX_ENUMERATED_VALUES`] whole numbers: every one of
//!   them, value by value;
//! - any other range: `resolution` evenly spaced points from `min` to `max` (both included),
//!   rounded to whole numbers for an integer range;
//! - plus, where the caller asks for it (the dynamic protocols do, so that every named
//!   proposal is an outcome), each proposal's value of the clause.
//!
//! Where a clause says what is negotiable ([`Negotiable`]), only that is laid out: the
//! negotiable options, or the grid over the negotiable sub-range. A proposal's value outside
//! it is still added (a mediated text may start there) but marked as not offerable: no
//! protocol offers or amends to it, and no analysis searches it.
//!
//! Each clause's values are ascending and distinct. The space is the full product of them;
//! nothing here enumerates it (its size is [`DealSpace::outcome_count`]).

use super::clause::{Clause, ClauseKind, Negotiable};
use super::scenario::Proposal;

/// Grid points per range clause when none is asked for (`[protocol] resolution`,
/// `accord analyse --resolution`, `accord import genius --resolution`).
pub const DEFAULT_RESOLUTION: usize = 11;

/// The fewest grid points a range clause may have: its two ends.
pub const MIN_RESOLUTION: usize = 2;

/// The most grid points a range clause may have. A grid's values are held in memory, and
/// every analysis or protocol works through each of them, so this bounds the work per
/// clause before anything is allocated.
pub const MAX_RESOLUTION: usize = 100_001;

/// Integer ranges with at most this many whole numbers are enumerated value by value;
/// longer ones get a grid of `resolution` points like a continuous range.
pub const MAX_ENUMERATED_VALUES: usize = 1001;

/// Why a deal space cannot be built.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SpaceError {
    /// The resolution is outside [`MIN_RESOLUTION`]`..=`[`MAX_RESOLUTION`].
    #[error(
        "{0} grid points per range clause: give a number from {MIN_RESOLUTION} to {MAX_RESOLUTION}"
    )]
    Resolution(usize),
    /// An integer range clause whose bounds hold no whole number.
    #[error("integer range clause `{0}` holds no whole number between its bounds")]
    NoWholeNumber(String),
    /// A proposal's deal does not have one value per clause.
    #[error("proposal `{0}` does not give one value per clause")]
    Proposal(String),
}

/// The values one clause takes.
#[derive(Debug, Clone, PartialEq)]
pub struct Axis {
    values: Vec<f64>,
    /// Per value: whether it may be offered (see the module documentation).
    offerable: Vec<bool>,
    gridded: bool,
}

impl Axis {
    /// The stored deal values, ascending and distinct (option index for a choice, 0/1 for a
    /// bool, the number for a range).
    pub fn values(&self) -> &[f64] {
        &self.values
    }

    /// Number of values.
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// Always false: every clause takes at least one value.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// Whether the values are a grid over a range (continuous, or an integer range longer
    /// than [`MAX_ENUMERATED_VALUES`]) rather than every value the clause can take.
    pub fn is_gridded(&self) -> bool {
        self.gridded
    }

    /// Position of the value nearest `x` (the lower one on a tie).
    pub fn nearest(&self, x: f64) -> usize {
        nearest(&self.values, x)
    }

    /// Whether value number `k` may be offered.
    pub fn is_offerable(&self, k: usize) -> bool {
        self.offerable[k]
    }

    /// Whether every value may be offered.
    pub fn all_offerable(&self) -> bool {
        self.offerable.iter().all(|&o| o)
    }
}

/// The discretised deal space of a scenario: one [`Axis`] per clause, in clause order.
#[derive(Debug, Clone, PartialEq)]
pub struct DealSpace {
    axes: Vec<Axis>,
    resolution: usize,
}

impl DealSpace {
    /// The space of `clauses` with `resolution` grid points per gridded range, adding the
    /// values `proposals` give range clauses (pass `&[]` for none).
    pub fn new(
        clauses: &[Clause],
        resolution: usize,
        proposals: &[Proposal],
    ) -> Result<DealSpace, SpaceError> {
        if !(MIN_RESOLUTION..=MAX_RESOLUTION).contains(&resolution) {
            return Err(SpaceError::Resolution(resolution));
        }
        if let Some(p) = proposals.iter().find(|p| p.deal.len() != clauses.len()) {
            return Err(SpaceError::Proposal(p.name.clone()));
        }
        let axes = clauses
            .iter()
            .enumerate()
            .map(|(i, c)| axis(c, resolution, proposals.iter().map(|p| p.deal[i])))
            .collect::<Result<Vec<Axis>, SpaceError>>()?;
        Ok(DealSpace { axes, resolution })
    }

    /// One axis per clause, in clause order.
    pub fn axes(&self) -> &[Axis] {
        &self.axes
    }

    /// The axis of clause `c`.
    pub fn axis(&self, c: usize) -> &Axis {
        &self.axes[c]
    }

    /// Grid points per gridded range clause (before proposals' values are added).
    pub fn resolution(&self) -> usize {
        self.resolution
    }

    /// Whether every outcome may be offered (nothing restricted, or no proposal outside).
    pub fn all_offerable(&self) -> bool {
        self.axes.iter().all(Axis::all_offerable)
    }

    /// Number of outcomes, saturating at `u128::MAX` (about 3.4·10³⁸).
    pub fn outcome_count(&self) -> u128 {
        self.axes
            .iter()
            .fold(1u128, |n, a| n.saturating_mul(a.len() as u128))
    }

    /// Every axis's values, in clause order.
    pub fn grids(&self) -> Vec<Vec<f64>> {
        self.axes.iter().map(|a| a.values.clone()).collect()
    }
}

/// The axis of clause `c` (see the module documentation for the rule).
fn axis(
    c: &Clause,
    resolution: usize,
    extra: impl Iterator<Item = f64>,
) -> Result<Axis, SpaceError> {
    let (mut values, gridded) = match c.kind() {
        ClauseKind::Choice { .. } | ClauseKind::Bool => {
            let n = match c.kind() {
                ClauseKind::Choice { options } => options.len(),
                _ => 2,
            };
            let values: Vec<f64> = match c.negotiable() {
                Negotiable::Options(ks) => ks.iter().map(|&k| k as f64).collect(),
                _ => (0..n).map(|k| k as f64).collect(),
            };
            (values, false)
        }
        ClauseKind::Range { integer, .. } => {
            let integer = *integer;
            let (min, max) = c.offer_bounds().expect("a range clause");
            // An integer clause takes whole numbers only, so its grid stays inside them.
            let (lo, hi) = if integer {
                (min.ceil(), max.floor())
            } else {
                (min, max)
            };
            if integer && lo > hi {
                return Err(SpaceError::NoWholeNumber(c.name.clone()));
            }
            if integer && hi - lo < MAX_ENUMERATED_VALUES as f64 {
                (
                    (0..=(hi - lo) as u64).map(|k| lo + k as f64).collect(),
                    false,
                )
            } else {
                let steps = resolution - 1;
                let grid = (0..=steps)
                    .map(|j| {
                        // The last point is `max` itself, not a sum that may round below it.
                        let x = if j == steps {
                            max
                        } else {
                            min + (max - min) * j as f64 / steps as f64
                        };
                        if integer { x.round().clamp(lo, hi) } else { x }
                    })
                    .collect();
                (grid, true)
            }
        }
    };
    // Every value a proposal holds (for a choice or bool, already there unless it is not
    // negotiable).
    values.extend(extra);
    values.sort_by(f64::total_cmp);
    values.dedup();
    let offerable = values.iter().map(|&x| c.is_offerable(x)).collect();
    Ok(Axis {
        values,
        offerable,
        gridded,
    })
}

/// Position of the value nearest `x` in the ascending `grid` (the lower on a tie).
pub fn nearest(grid: &[f64], x: f64) -> usize {
    let i = grid.partition_point(|&v| v < x);
    if i == 0 {
        0
    } else if i == grid.len() {
        grid.len() - 1
    } else if x - grid[i - 1] <= grid[i] - x {
        i - 1
    } else {
        i
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn range(min: f64, max: f64, integer: bool) -> Clause {
        Clause::range("x", min, max, integer, None).unwrap()
    }

    fn proposal(x: f64) -> Proposal {
        Proposal {
            name: "p".into(),
            description: None,
            deal: vec![x],
        }
    }

    #[test]
    fn nearest_picks_the_closest_point() {
        let g = [0.0, 1.0, 2.0];
        assert_eq!(nearest(&g, -1.0), 0);
        assert_eq!(nearest(&g, 0.4), 0);
        assert_eq!(nearest(&g, 0.5), 0);
        assert_eq!(nearest(&g, 0.6), 1);
        assert_eq!(nearest(&g, 9.0), 2);
    }

    #[test]
    fn short_integer_ranges_are_enumerated_and_long_ones_gridded() {
        let s = DealSpace::new(&[range(0.0, 1000.0, true)], 11, &[]).unwrap();
        assert_eq!(s.axis(0).len(), 1001);
        assert!(!s.axis(0).is_gridded());
        let s = DealSpace::new(&[range(0.0, 1001.0, true)], 11, &[]).unwrap();
        assert_eq!(s.axis(0).len(), 11);
        assert!(s.axis(0).is_gridded());
        assert!(s.axis(0).values().iter().all(|x| x.fract() == 0.0));
        assert_eq!(s.axis(0).values()[10], 1001.0);
        // Whole-number clauses have whole bounds (Clause::range refuses others).
    }

    #[test]
    fn grids_end_exactly_at_max_and_take_proposals_when_asked() {
        let s = DealSpace::new(&[range(0.0, 3.0, false)], 4, &[proposal(1.5)]).unwrap();
        assert_eq!(s.axis(0).values(), &[0.0, 1.0, 1.5, 2.0, 3.0]);
        let s = DealSpace::new(&[range(0.0, 0.3, false)], 4, &[]).unwrap();
        assert_eq!(s.axis(0).len(), 4);
        assert_eq!(s.axis(0).values()[3], 0.3);
        // A proposal already on the grid adds nothing.
        let s = DealSpace::new(&[range(0.0, 1.0, false)], 11, &[proposal(0.5)]).unwrap();
        assert_eq!(s.axis(0).len(), 11);
    }

    #[test]
    fn resolution_is_bounded_before_anything_is_allocated() {
        for r in [0, 1, MAX_RESOLUTION + 1, 1_000_000_000] {
            assert_eq!(
                DealSpace::new(&[range(0.0, 1.0, false)], r, &[]).unwrap_err(),
                SpaceError::Resolution(r)
            );
        }
        assert!(DealSpace::new(&[range(0.0, 1.0, false)], MAX_RESOLUTION, &[]).is_ok());
    }

    #[test]
    fn outcome_counts_saturate_instead_of_overflowing() {
        let choice = Clause::choice("c", (0..10).map(|i| i.to_string()).collect()).unwrap();
        let s = DealSpace::new(&vec![choice.clone(); 30], 11, &[]).unwrap();
        assert_eq!(s.outcome_count(), 10u128.pow(30));
        let s = DealSpace::new(&vec![choice; 40], 11, &[]).unwrap();
        assert_eq!(s.outcome_count(), u128::MAX);
    }
}
