//! The outcome space an analysis works on: the [`DealSpace`] of a scenario (or the issues of
//! a GENIUS domain) with every party's utility over it.
//!
//! Parameters are fixed; an uncertain one is taken at its distribution's mean. A party's
//! utility is a sum of per-axis terms (its weighted value of the clause, with reference
//! dependence when it has one) plus the utilities of the hyperrectangles the outcome lies in
//! (GENIUS nonlinear profiles).

use crate::error::Error;
use crate::model::space::{DealSpace, MAX_ENUMERATED_VALUES};
use crate::model::{Clause, ClauseKind, Deal, Party, Scenario};
use crate::scenario::genius::{GeniusSet, IssueKind, Utility};

use super::pareto::to_units;

/// One clause's values.
#[derive(Debug, Clone, PartialEq)]
pub struct Axis {
    /// The clause (or GENIUS issue) name.
    pub name: String,
    /// Stored deal values (option index for choices, 0/1 for bools, the number for ranges).
    pub values: Vec<f64>,
    /// How each value reads.
    pub labels: Vec<String>,
    /// Whether the values are a grid over a continuous (or very long integer) range.
    pub grid: bool,
    /// How its values read.
    pub kind: AxisKind,
}

/// What an axis's values are, for output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AxisKind {
    /// Option indices, read through the labels.
    Choice,
    /// 0 = no, 1 = yes.
    Bool,
    /// Numbers.
    Number,
}

/// A term that counts for one party when the outcome's value on each constrained axis is
/// allowed (a GENIUS hyperrectangle).
#[derive(Debug, Clone, PartialEq)]
pub struct Rect {
    /// The party whose utility it adds to.
    pub party: usize,
    /// What it adds.
    pub coeff: f64,
    /// `(axis, allowed[value])`, at most one entry per axis.
    pub allowed: Vec<(usize, Vec<bool>)>,
}

/// Where a scenario's range clause lies.
#[derive(Debug, Clone, PartialEq)]
struct RangeClause {
    min: f64,
    max: f64,
    integer: bool,
}

/// What a space built from a scenario keeps to evaluate terms at any clause value.
#[derive(Debug, Clone, PartialEq)]
struct Source {
    parties: Vec<Party>,
    /// Normalised weights per party, in clause order.
    weights: Vec<Vec<f64>>,
    /// Every uncertain parameter at its mean.
    slots: Vec<f64>,
    /// Per axis: the range it covers, for range clauses.
    ranges: Vec<Option<RangeClause>>,
    /// The clauses, to write values off the grid.
    clauses: Vec<Clause>,
}

/// A range clause on which every party whose acceptance is needed has an affine utility
/// term: `term_p(x) = at_min[p] + slope[p]·(x − min)` on `[min, max]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Affine {
    /// The range's lower end (its first whole number for an integer clause).
    pub min: f64,
    /// The range's upper end (its last whole number for an integer clause).
    pub max: f64,
    /// Whether the clause takes whole numbers only.
    pub integer: bool,
    /// Per party (every party; meaningful for the needed ones).
    pub at_min: Vec<f64>,
    /// Per party, the term's rate of change.
    pub slope: Vec<f64>,
}

/// A discrete outcome space with every party's utility over it.
#[derive(Debug, Clone, PartialEq)]
pub struct Space {
    /// One per clause, in clause order.
    pub axes: Vec<Axis>,
    /// Party names.
    pub parties: Vec<String>,
    /// Each party's reservation (disagreement) utility.
    pub reservations: Vec<f64>,
    /// Whether each party's acceptance is needed (it holds a veto): the frontier and the
    /// solution points are over these parties' utilities.
    pub needed: Vec<bool>,
    /// `tables[axis][value * parties + party]`: the party's utility term for that value.
    tables: Vec<Vec<f64>>,
    rects: Vec<Rect>,
    /// Uncertain parameters that were fixed at their means.
    pub means_used: usize,
    /// Grid points per gridded range clause, for a space built from a scenario.
    pub resolution: Option<usize>,
    source: Option<Source>,
}

/// Every index tuple of a grid with `sizes` values per axis (an odometer, the first axis
/// fastest): the outcomes of a space small enough to enumerate, for brute force.
pub fn every_index(sizes: &[usize]) -> Vec<Vec<usize>> {
    let mut out = Vec::new();
    let mut x = vec![0; sizes.len()];
    loop {
        out.push(x.clone());
        let mut i = 0;
        loop {
            if i == sizes.len() {
                return out;
            }
            x[i] += 1;
            if x[i] < sizes[i] {
                break;
            }
            x[i] = 0;
            i += 1;
        }
    }
}

impl Space {
    /// Every outcome (one value index per axis; see [`every_index`]).
    pub fn every_outcome(&self) -> Vec<Vec<usize>> {
        let sizes: Vec<usize> = self.axes.iter().map(|a| a.values.len()).collect();
        every_index(&sizes)
    }

    /// The outcome space of a scenario: its [`DealSpace`] at `resolution` grid points per
    /// gridded range (no proposals' values added), each party's utility as in a round whose
    /// uncertain parameters all sit at their means. The parties whose acceptance is needed
    /// are the veto holders (every party, when none holds a veto).
    pub fn from_scenario(s: &Scenario, resolution: usize) -> Result<Space, Error> {
        let deal_space = DealSpace::new(&s.clauses, resolution, &[])
            .map_err(|e| Error::usage(format!("--resolution {resolution}: {e}"), None))?;
        let slots = s.mean_slots();
        let np = s.parties.len();
        let axes: Vec<Axis> = s
            .clauses
            .iter()
            .zip(deal_space.axes())
            .map(|(c, a)| Axis {
                name: c.name.clone(),
                values: a.values().to_vec(),
                labels: a.values().iter().map(|&x| c.format_value(x)).collect(),
                grid: a.is_gridded(),
                kind: match *c.kind() {
                    ClauseKind::Choice { .. } => AxisKind::Choice,
                    ClauseKind::Bool => AxisKind::Bool,
                    ClauseKind::Range { .. } => AxisKind::Number,
                },
            })
            .collect();
        let mut weights = vec![vec![0.0; s.clauses.len()]; np];
        for (p, w) in s.parties.iter().zip(weights.iter_mut()) {
            p.normalised_weights(&slots, w);
        }
        let term = |p: usize, i: usize, x: f64| {
            let w = weights[p][i];
            if w == 0.0 {
                0.0
            } else {
                w * s.parties[p].clause_term(i, x, &slots)
            }
        };
        let tables = axes
            .iter()
            .enumerate()
            .map(|(i, axis)| {
                let mut t = Vec::with_capacity(axis.values.len() * np);
                for &x in &axis.values {
                    for p in 0..np {
                        t.push(term(p, i, x));
                    }
                }
                t
            })
            .collect();
        let any_veto = s.parties.iter().any(|p| p.veto);
        let ranges = s
            .clauses
            .iter()
            .map(|c| match (c.kind(), c.offer_bounds()) {
                // Exact points off the grid stay inside what may be offered.
                (&ClauseKind::Range { integer, .. }, Some((min, max))) => {
                    Some(RangeClause { min, max, integer })
                }
                _ => None,
            })
            .collect();
        Ok(Space {
            axes,
            parties: s.parties.iter().map(|p| p.name.clone()).collect(),
            reservations: s
                .parties
                .iter()
                .map(|p| p.reservation.get(&slots))
                .collect(),
            needed: s.parties.iter().map(|p| p.veto || !any_veto).collect(),
            tables,
            rects: Vec::new(),
            means_used: s.uncertain.len(),
            resolution: Some(resolution),
            source: Some(Source {
                parties: s.parties.clone(),
                weights,
                slots,
                ranges,
                clauses: s.clauses.clone(),
            }),
        })
    }

    /// The outcome space of a GENIUS set whose issues are all discrete or integer, with
    /// additive and nonlinear (hyperrectangle) profiles alike. Additive weights are rescaled
    /// to sum to 1, as in an imported scenario. Every party's acceptance is needed.
    pub fn from_genius(set: &GeniusSet) -> Result<Space, Error> {
        let np = set.profiles.len();
        let mut axes = Vec::with_capacity(set.domain.issues.len());
        for issue in &set.domain.issues {
            let kind = match issue.kind {
                IssueKind::Discrete { .. } => AxisKind::Choice,
                _ => AxisKind::Number,
            };
            let (values, labels): (Vec<f64>, Vec<String>) = match &issue.kind {
                IssueKind::Discrete { values } => (
                    (0..values.len()).map(|i| i as f64).collect(),
                    values.clone(),
                ),
                IssueKind::Integer { lo, hi } => {
                    if (hi - lo) as u128 >= MAX_ENUMERATED_VALUES as u128 {
                        return Err(Error::usage(
                            format!(
                                "{}: integer issue `{}` has {} values; at most {MAX_ENUMERATED_VALUES} can be enumerated",
                                set.domain.path.display(),
                                issue.name,
                                hi - lo + 1
                            ),
                            None,
                        ));
                    }
                    (
                        (*lo..=*hi).map(|v| v as f64).collect(),
                        (*lo..=*hi).map(|v| v.to_string()).collect(),
                    )
                }
                IssueKind::Real { .. } => {
                    return Err(Error::usage(
                        format!(
                            "{}: real issue `{}`: a nonlinear GENIUS domain with real issues cannot be enumerated",
                            set.domain.path.display(),
                            issue.name
                        ),
                        Some(
                            "import an additive domain with `accord import genius` and analyse the scenario with --resolution".into(),
                        ),
                    ));
                }
            };
            axes.push(Axis {
                name: issue.name.clone(),
                values,
                labels,
                grid: false,
                kind,
            });
        }
        let mut tables: Vec<Vec<f64>> = axes
            .iter()
            .map(|a| vec![0.0; a.values.len() * np])
            .collect();
        let mut rects = Vec::new();
        for (p, prof) in set.profiles.iter().enumerate() {
            match &prof.utility {
                Utility::Additive {
                    weights,
                    evaluators,
                } => {
                    let total: f64 = weights.iter().sum();
                    for (i, axis) in axes.iter().enumerate() {
                        let w = if total > 0.0 { weights[i] / total } else { 0.0 };
                        for (k, &x) in axis.values.iter().enumerate() {
                            tables[i][k * np + p] = w * evaluators[i].eval(x);
                        }
                    }
                }
                Utility::Hyper { max, rects: hs } => {
                    for h in hs {
                        let mut allowed: Vec<(usize, Vec<bool>)> = Vec::new();
                        for &(i, lo, hi, include) in &h.constraints {
                            let ok: Vec<bool> = axes[i]
                                .values
                                .iter()
                                .map(|&x| (x >= lo && x <= hi) == include)
                                .collect();
                            match allowed.iter_mut().find(|(a, _)| *a == i) {
                                Some((_, prev)) => {
                                    for (a, b) in prev.iter_mut().zip(ok) {
                                        *a = *a && b;
                                    }
                                }
                                None => allowed.push((i, ok)),
                            }
                        }
                        rects.push(Rect {
                            party: p,
                            coeff: h.utility / max,
                            allowed,
                        });
                    }
                }
            }
        }
        Ok(Space {
            axes,
            parties: set.profiles.iter().map(|p| p.name.clone()).collect(),
            reservations: set.profiles.iter().map(|p| p.reservation).collect(),
            needed: vec![true; np],
            tables,
            rects,
            means_used: 0,
            resolution: None,
            source: None,
        })
    }

    /// A space from raw parts: per-axis utility tables (`tables[axis][value * parties +
    /// party]`) and hyperrectangle terms. Every party's acceptance is needed (see
    /// [`Space::with_needed`]).
    pub fn new(
        axes: Vec<Axis>,
        parties: Vec<String>,
        reservations: Vec<f64>,
        tables: Vec<Vec<f64>>,
        rects: Vec<Rect>,
    ) -> Space {
        let np = parties.len();
        Space {
            axes,
            parties,
            reservations,
            needed: vec![true; np],
            tables,
            rects,
            means_used: 0,
            resolution: None,
            source: None,
        }
    }

    /// The same space with the parties whose acceptance is needed set to `needed` (one flag
    /// per party; at least one must be set for an analysis).
    pub fn with_needed(mut self, needed: Vec<bool>) -> Space {
        self.needed = needed;
        self
    }

    /// Indices of the parties whose acceptance is needed.
    pub fn needed_parties(&self) -> Vec<usize> {
        (0..self.parties.len())
            .filter(|&p| self.needed[p])
            .collect()
    }

    /// Number of outcomes (saturating at `u128::MAX`).
    pub fn outcome_count(&self) -> u128 {
        self.axes
            .iter()
            .fold(1u128, |n, a| n.saturating_mul(a.values.len() as u128))
    }

    /// Every party's utility of an outcome (value indices per axis).
    pub fn utilities(&self, outcome: &[usize]) -> Vec<f64> {
        let np = self.parties.len();
        let mut u = vec![0.0; np];
        for (t, &k) in self.tables.iter().zip(outcome) {
            for (p, x) in u.iter_mut().enumerate() {
                *x += t[k * np + p];
            }
        }
        for r in &self.rects {
            if r.allowed.iter().all(|(a, ok)| ok[outcome[*a]]) {
                u[r.party] += r.coeff;
            }
        }
        u
    }

    /// The deal (stored clause values) of an outcome.
    pub fn deal(&self, outcome: &[usize]) -> Deal {
        self.axes
            .iter()
            .zip(outcome)
            .map(|(a, &k)| a.values[k])
            .collect()
    }

    /// How value `x` of axis `axis` reads: its label when it is one of the axis's values,
    /// else as the clause writes numbers.
    pub fn label(&self, axis: usize, x: f64) -> String {
        let a = &self.axes[axis];
        if let Some(k) = a.values.iter().position(|&v| v == x) {
            return a.labels[k].clone();
        }
        match &self.source {
            Some(src) => src.clauses[axis].format_value(x),
            None => format!("{x}"),
        }
    }

    /// Axes on a grid.
    pub fn gridded(&self) -> impl Iterator<Item = &Axis> {
        self.axes.iter().filter(|a| a.grid)
    }

    /// Whether utilities are sums of per-clause terms (no hyperrectangles).
    pub fn is_additive(&self) -> bool {
        self.rects.is_empty()
    }

    pub(super) fn tables(&self) -> &[Vec<f64>] {
        &self.tables
    }

    pub(super) fn rects(&self) -> &[Rect] {
        &self.rects
    }

    /// The first term that is not a finite number of at most `limit` in size, as
    /// `(axis, value, party, term)`.
    pub(super) fn term_out_of_range(&self, limit: f64) -> Option<(usize, usize, usize, f64)> {
        let np = self.parties.len();
        for (a, t) in self.tables.iter().enumerate() {
            for (k, &x) in t.iter().enumerate() {
                if !(x.is_finite() && x.abs() <= limit) {
                    return Some((a, k / np, k % np, x));
                }
            }
        }
        None
    }

    /// The needed parties' terms in exact units ([`super::pareto::UNIT`]), every axis in
    /// one block: axis `a` is `units[offsets[a]..offsets[a + 1]]`, laid out
    /// `[value * needed + k]` for the `k`-th needed party.
    pub(super) fn unit_tables(&self, needed: &[usize]) -> (Vec<i64>, Vec<usize>) {
        let np = self.parties.len();
        let total: usize = self.tables.iter().map(|t| t.len() / np).sum();
        let mut units = Vec::with_capacity(total * needed.len());
        let mut offsets = Vec::with_capacity(self.tables.len() + 1);
        offsets.push(0);
        for t in &self.tables {
            for row in t.chunks_exact(np) {
                units.extend(needed.iter().map(|&p| to_units(row[p])));
            }
            offsets.push(units.len());
        }
        (units, offsets)
    }

    /// Party `p`'s utility term of clause `axis` at value `x`, on or off the grid (only for
    /// a space built from a scenario).
    pub fn term_at(&self, axis: usize, p: usize, x: f64) -> Option<f64> {
        let src = self.source.as_ref()?;
        let w = src.weights[p][axis];
        Some(if w == 0.0 {
            0.0
        } else {
            w * src.parties[p].clause_term(axis, x, &src.slots)
        })
    }

    /// The affine terms of range clause `axis` when every needed party's term is a straight
    /// line over the whole range (then the frontier is linear in the clause, and solution
    /// points can be found exactly off the grid); `None` otherwise.
    pub fn affine(&self, axis: usize) -> Option<Affine> {
        let src = self.source.as_ref()?;
        let range = src.ranges.get(axis)?.as_ref()?;
        let (lo, hi) = if range.integer {
            (range.min.ceil(), range.max.floor())
        } else {
            (range.min, range.max)
        };
        for (p, party) in src.parties.iter().enumerate() {
            if !self.needed[p] || src.weights[p][axis] == 0.0 {
                continue;
            }
            if !term_is_affine(party, axis, lo, hi, &src.slots) {
                return None;
            }
        }
        let np = self.parties.len();
        let mut at_min = Vec::with_capacity(np);
        let mut slope = Vec::with_capacity(np);
        for p in 0..np {
            let a = self.term_at(axis, p, lo)?;
            let b = self.term_at(axis, p, hi)?;
            at_min.push(a);
            slope.push(if hi > lo { (b - a) / (hi - lo) } else { 0.0 });
        }
        Some(Affine {
            min: lo,
            max: hi,
            integer: range.integer,
            at_min,
            slope,
        })
    }
}

/// Whether `party`'s term for clause `i` is affine on `[lo, hi]`: its value function is, and
/// reference dependence puts no kink inside (the gain–loss term is affine on each side of
/// the reference value, so it is when the whole range lies on one side).
fn term_is_affine(party: &Party, i: usize, lo: f64, hi: f64, slots: &[f64]) -> bool {
    let Some(f) = &party.values[i] else {
        return true;
    };
    if !f.is_affine_on(lo, hi, slots) {
        return false;
    }
    let Some(r) = &party.reference else {
        return true;
    };
    let lambda = r.loss_aversion.get(slots);
    if lambda == 1.0 {
        return true;
    }
    let anchor = f.eval(r.deal[i], slots);
    let (a, b) = (f.eval(lo, slots), f.eval(hi, slots));
    let gains = a >= anchor && b >= anchor;
    let losses = a <= anchor && b <= anchor;
    gains || losses
}
