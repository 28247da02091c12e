//! A party's clause terms laid out for evaluating many rounds at once.
//!
//! A deal's utility over a run of rounds is built column by column: for each clause, the
//! weight in every round times the term in every round, added to a row of utilities. The
//! loops run over rounds, with the clause's kind and the deal fixed, so the compiler
//! vectorises them. Terms that never change between rounds are summed once, at construction,
//! when the party's weights are fixed too.

use super::differences::Builds;
use crate::model::party::loss_term;
use crate::model::{Deal, Param, Party, ValueFn};
use crate::numeric::fastmath::exp;
use crate::numeric::lanes::map_into;
use crate::sim::{PerRound, UNIT_SCALE, Weight, scaled_units_exact};

/// How one clause's term is found at each deal.
#[derive(Debug, Clone)]
enum Kind {
    /// The same every round: `data` holds the terms (only kept per round when the weight is
    /// uncertain; otherwise the terms are in the plan's base).
    Fixed,
    /// A fixed value function under an uncertain loss aversion: `data` holds the values;
    /// only the loss against `anchor` (the reference deal's value) is weighed in the round.
    Loss { anchor: f64 },
    /// A logistic value function whose midpoint m is uncertain and scale s fixed:
    /// σ((x − m)/s) = 1 / (1 + a·b) with a = exp(−(x − c)/s) fixed per deal (in `data`)
    /// and b = exp((m − c)/s) drawn per round (in factor row `row`), so a sweep pays one
    /// exponential per round, not one per point (c, the midpoint's mean, keeps both
    /// factors moderate).
    Logistic {
        centre: f64,
        scale: f64,
        midpoint: Param,
        row: usize,
    },
    /// A table whose entries may be uncertain: the entry each deal picks.
    Table(Vec<Param>),
    /// Depends on uncertain value-function parameters in another way: evaluated round by
    /// round.
    Live,
}

/// One clause's terms at every deal.
#[derive(Debug, Clone)]
pub struct Column {
    /// The clause's index.
    pub clause: usize,
    kind: Kind,
    /// Per deal: the term, value or logistic factor (see [`Kind`]).
    data: Vec<f64>,
    /// Per deal: the clause's value.
    xs: Vec<f64>,
}

/// What a column's terms in a run of rounds depend on besides the deal.
pub struct RoundInputs<'a, 'r> {
    /// The party's loss aversion in each round.
    pub lambda: PerRound<'r>,
    /// Per-round factors of logistic columns, row after row (see [`Kind::Logistic`]).
    pub factors: &'a [f64],
    /// A table entry's value in each round.
    pub param: &'a dyn Fn(Param) -> PerRound<'r>,
    /// Evaluates clause `i` directly at value `x` in round `r` of the run (the slow path).
    pub live: &'a dyn Fn(usize, f64, usize) -> f64,
}

impl Column {
    /// The terms of clause `i` for `party` at clause values `xs` (one per deal).
    /// `centre_of` gives a parameter's central value; `rows` counts factor rows taken.
    fn new(
        party: &Party,
        i: usize,
        xs: Vec<f64>,
        centre_of: &dyn Fn(Param) -> f64,
        rows: &mut usize,
    ) -> Self {
        let f = party.values[i].as_ref();
        let value_fixed = f.is_none_or(|f| !f.is_uncertain());
        let map = |g: &dyn Fn(f64) -> f64| -> Vec<f64> { xs.iter().map(|&x| g(x)).collect() };
        let (kind, data) = match (&party.reference, value_fixed, f) {
            (
                None,
                false,
                Some(ValueFn::Logistic {
                    midpoint,
                    scale: Param::Fixed(scale),
                }),
            ) if midpoint.is_uncertain() => {
                let centre = centre_of(*midpoint);
                let kind = Kind::Logistic {
                    centre,
                    scale: *scale,
                    midpoint: *midpoint,
                    row: *rows,
                };
                *rows += 1;
                (kind, map(&|x| (-(x - centre) / scale).exp()))
            }
            (None, false, Some(ValueFn::Table { values })) => {
                let picks = xs.iter().map(|&x| values[x as usize]).collect();
                (Kind::Table(picks), map(&|_| 0.0))
            }
            (_, false, _) => (Kind::Live, map(&|_| 0.0)),
            (Some(r), true, _) if r.loss_aversion.is_uncertain() => {
                let eval = |x: f64| f.map_or(0.0, |f| f.eval(x, &[]));
                (
                    Kind::Loss {
                        anchor: eval(r.deal[i]),
                    },
                    map(&eval),
                )
            }
            _ => (Kind::Fixed, map(&|x| party.clause_term(i, x, &[]))),
        };
        Column {
            clause: i,
            kind,
            data,
            xs,
        }
    }

    fn is_fixed(&self) -> bool {
        matches!(self.kind, Kind::Fixed)
    }

    /// Whether the clause's value at deal `k` differs from deal 0's (bit for bit: equal
    /// values give equal terms, see [`super::differences`]).
    pub fn differs_from_deal0(&self, k: usize) -> bool {
        self.xs[k].to_bits() != self.xs[0].to_bits()
    }

    /// Writes this column's per-round factor for rounds whose sampled parameters `param`
    /// gives into its row of `factors` (rows of `len`); nothing for columns without one.
    pub fn write_factor<'r>(
        &self,
        param: &dyn Fn(Param) -> PerRound<'r>,
        factors: &mut [f64],
        len: usize,
    ) {
        if let Kind::Logistic {
            centre,
            scale,
            midpoint,
            row,
        } = self.kind
        {
            let out = &mut factors[row * len..(row + 1) * len];
            // The polynomial exp, so the loop vectorises.
            match param(midpoint) {
                PerRound::Fixed(m) => out.fill(exp((m - centre) / scale)),
                PerRound::Each(ms) => map_into(ms, out, move |m| exp((m - centre) / scale)),
            }
        }
    }

    /// Adds `weight × term` in units, at deal `k`, in every round of the run to `u`, or,
    /// with a [`Shifted`] start, to another row plus a constant, written into `u`; `w` is
    /// the clause's weight per round.
    #[inline(always)]
    pub fn add(&self, k: usize, w: Weight, inputs: &RoundInputs, from: impl Start, u: &mut [f64]) {
        let n = u.len();
        let from = from.fit(n);
        let d = self.data[k];
        match &self.kind {
            Kind::Fixed => add_units(u, from, w, PerRound::Fixed(d), |t| t),
            // At or above the anchor the term is the value whatever the loss aversion.
            Kind::Loss { anchor } if d >= *anchor => {
                add_units(u, from, w, PerRound::Fixed(d), |t| t)
            }
            &Kind::Loss { anchor } => {
                add_units(u, from, w, inputs.lambda, move |l| loss_term(d, anchor, l))
            }
            Kind::Logistic { row, .. } => {
                let bs = &inputs.factors[row * n..(row + 1) * n];
                if d > 0.0 && d.is_finite() {
                    add_units(u, from, w, PerRound::Each(bs), move |b| 1.0 / (1.0 + d * b));
                } else {
                    // inf·0 (a far-off point meeting an extreme draw): evaluate directly.
                    add_each_round(u, from, w, |r| {
                        let ab = d * bs[r];
                        if ab.is_nan() {
                            (inputs.live)(self.clause, self.xs[k], r)
                        } else {
                            1.0 / (1.0 + ab)
                        }
                    });
                }
            }
            Kind::Table(picks) => add_units(u, from, w, (inputs.param)(picks[k]), |t| t),
            Kind::Live => add_each_round(u, from, w, |r| (inputs.live)(self.clause, self.xs[k], r)),
        }
    }

    /// Adds the change of this column's term from deal 0 to deal `k` — `weight × term` at
    /// deal `k` less the same at deal 0, each in units — in every round of the run to `u`
    /// (or to `from`, as [`Column::add`] does). Both terms in one pass over the round's
    /// weight and inputs: a deal changing this column is deal 0's utility plus this (see
    /// [`super::differences`]), with no row of deal 0's term kept to read.
    #[inline(always)]
    pub fn add_change(
        &self,
        k: usize,
        w: Weight,
        inputs: &RoundInputs,
        from: impl Start,
        u: &mut [f64],
    ) {
        let n = u.len();
        let from = from.fit(n);
        let (d, d0) = (self.data[k], self.data[0]);
        let same = |x: f64| x;
        match &self.kind {
            Kind::Fixed => add_change_units(
                u,
                from,
                w,
                PerRound::Fixed(d),
                PerRound::Fixed(d0),
                same,
                same,
            ),
            // At or above the anchor the term is the value whatever the loss aversion.
            &Kind::Loss { anchor } => {
                let input = |d: f64| {
                    if d >= anchor {
                        PerRound::Fixed(d)
                    } else {
                        inputs.lambda
                    }
                };
                // The input is the value itself at or above the anchor, else the round's
                // loss aversion.
                let term = move |d: f64| {
                    move |input: f64| {
                        if d >= anchor {
                            input
                        } else {
                            loss_term(d, anchor, input)
                        }
                    }
                };
                add_change_units(u, from, w, input(d), input(d0), term(d), term(d0))
            }
            Kind::Logistic { row, .. } => {
                let bs = PerRound::Each(&inputs.factors[row * n..(row + 1) * n]);
                let fine = |d: f64| d > 0.0 && d.is_finite();
                if fine(d) && fine(d0) {
                    let term = |d: f64| move |b: f64| 1.0 / (1.0 + d * b);
                    add_change_units(u, from, w, bs, bs, term(d), term(d0));
                } else {
                    // inf·0 (a far-off point meeting an extreme draw): evaluate directly.
                    let term = |k: usize, r: usize| {
                        let ab = self.data[k] * inputs.factors[row * n + r];
                        if ab.is_nan() {
                            (inputs.live)(self.clause, self.xs[k], r)
                        } else {
                            1.0 / (1.0 + ab)
                        }
                    };
                    add_change_each_round(u, from, w, |r| (term(k, r), term(0, r)));
                }
            }
            Kind::Table(picks) => {
                let (x, x0) = ((inputs.param)(picks[k]), (inputs.param)(picks[0]));
                add_change_units(u, from, w, x, x0, same, same)
            }
            Kind::Live => add_change_each_round(u, from, w, |r| {
                let live = |k: usize| (inputs.live)(self.clause, self.xs[k], r);
                (live(k), live(0))
            }),
        }
    }
}

/// Writes `from + units(term(x)) − units(term0(x0))` into `u` in every round (see
/// [`add_units`]): the change of a term from deal 0, each side in exact units, so the
/// difference is exact too.
#[inline(always)]
fn add_change_units(
    u: &mut [f64],
    from: impl Start,
    w: Weight,
    x: PerRound,
    x0: PerRound,
    term: impl Fn(f64) -> f64,
    term0: impl Fn(f64) -> f64,
) {
    let n = u.len();
    let change =
        move |ws: f64, t: f64, t0: f64| scaled_units_exact(ws, t) - scaled_units_exact(ws, t0);
    match (x, x0) {
        (PerRound::Fixed(x), PerRound::Fixed(x0)) => {
            let (t, t0) = (term(x), term0(x0));
            for_weights(u, w, |r, u, ws| *u = from.at(r, *u) + change(ws, t, t0));
        }
        (PerRound::Fixed(x), PerRound::Each(x0s)) => {
            let (t, x0s) = (term(x), &x0s[..n]);
            for_weights(u, w, |r, u, ws| {
                *u = from.at(r, *u) + change(ws, t, term0(x0s[r]))
            });
        }
        (PerRound::Each(xs), PerRound::Fixed(x0)) => {
            let (xs, t0) = (&xs[..n], term0(x0));
            for_weights(u, w, |r, u, ws| {
                *u = from.at(r, *u) + change(ws, term(xs[r]), t0)
            });
        }
        (PerRound::Each(xs), PerRound::Each(x0s)) => {
            let (xs, x0s) = (&xs[..n], &x0s[..n]);
            for_weights(u, w, |r, u, ws| {
                *u = from.at(r, *u) + change(ws, term(xs[r]), term0(x0s[r]))
            });
        }
    }
}

/// [`add_change_units`] with both terms computed from the round's index (the slow path).
fn add_change_each_round(
    u: &mut [f64],
    from: impl Start,
    w: Weight,
    terms: impl Fn(usize) -> (f64, f64),
) {
    for_weights(u, w, |r, u, ws| {
        let (t, t0) = terms(r);
        *u = from.at(r, *u) + (scaled_units_exact(ws, t) - scaled_units_exact(ws, t0))
    });
}

/// What a column's terms are added to in each round.
pub trait Start: Copy {
    /// The same start over the first `n` rounds only.
    fn fit(self, n: usize) -> Self;
    /// The start in round `r`, where the row being written holds `own`.
    fn at(self, r: usize, own: f64) -> f64;
}

/// The row being written: the column adds to it.
#[derive(Clone, Copy)]
pub struct Own;

impl Start for Own {
    #[inline(always)]
    fn fit(self, _: usize) -> Self {
        self
    }

    #[inline(always)]
    fn at(self, _: usize, own: f64) -> f64 {
        own
    }
}

/// Another row plus a constant: for a deal's first column, so the deal's row needs no pass
/// of its own to start from the shared terms and the base.
#[derive(Clone, Copy)]
pub struct Shifted<'a>(pub &'a [f64], pub f64);

impl Start for Shifted<'_> {
    #[inline(always)]
    fn fit(self, n: usize) -> Self {
        Shifted(&self.0[..n], self.1)
    }

    #[inline(always)]
    fn at(self, r: usize, _: f64) -> f64 {
        self.0[r] + self.1
    }
}

/// Nothing: the column's terms alone are written (deal 0's rows, a row's first column), so
/// the row needs no pass of its own to be cleared first.
#[derive(Clone, Copy)]
pub struct Zero;

impl Start for Zero {
    #[inline(always)]
    fn fit(self, _: usize) -> Self {
        self
    }

    #[inline(always)]
    fn at(self, _: usize, _: f64) -> f64 {
        0.0
    }
}

/// Writes `from + scaled_units_exact(w · UNIT_SCALE, term(x))` into `u` in every round,
/// where `w` and `x` are the weight and the term's input in that round; one loop per
/// combination of fixed and per-round inputs, so each vectorises.
#[inline(always)]
fn add_units(u: &mut [f64], from: impl Start, w: Weight, x: PerRound, term: impl Fn(f64) -> f64) {
    match x {
        PerRound::Fixed(x) => {
            let t = term(x);
            for_weights(u, w, |r, u, ws| {
                *u = from.at(r, *u) + scaled_units_exact(ws, t)
            });
        }
        PerRound::Each(xs) => match w {
            Weight::Fixed(w) => {
                let ws = w * UNIT_SCALE;
                for (r, (u, &x)) in u.iter_mut().zip(xs).enumerate() {
                    *u = from.at(r, *u) + scaled_units_exact(ws, term(x));
                }
            }
            Weight::Scaled(PerRound::Fixed(raw), factor) => {
                for (r, ((u, &s), &x)) in u.iter_mut().zip(factor).zip(xs).enumerate() {
                    *u = from.at(r, *u) + scaled_units_exact(raw * s * UNIT_SCALE, term(x));
                }
            }
            Weight::Scaled(PerRound::Each(raw), factor) => {
                let rows = u.iter_mut().zip(raw).zip(factor).zip(xs).enumerate();
                for (r, (((u, &w), &s), &x)) in rows {
                    *u = from.at(r, *u) + scaled_units_exact(w * s * UNIT_SCALE, term(x));
                }
            }
        },
    }
}

/// [`add_units`] with the term computed from the round's index (the slow path).
fn add_each_round(u: &mut [f64], from: impl Start, w: Weight, term: impl Fn(usize) -> f64) {
    for_weights(u, w, |r, u, ws| {
        *u = from.at(r, *u) + scaled_units_exact(ws, term(r))
    });
}

/// Calls `f(r, u, w · UNIT_SCALE)` for each round `r`'s entry of `u` and weight.
#[inline(always)]
fn for_weights(u: &mut [f64], w: Weight, mut f: impl FnMut(usize, &mut f64, f64)) {
    match w {
        Weight::Fixed(w) => {
            let ws = w * UNIT_SCALE;
            u.iter_mut().enumerate().for_each(|(r, u)| f(r, u, ws));
        }
        Weight::Scaled(PerRound::Fixed(raw), factor) => {
            for (r, (u, &s)) in u.iter_mut().zip(factor).enumerate() {
                f(r, u, raw * s * UNIT_SCALE);
            }
        }
        Weight::Scaled(PerRound::Each(raw), factor) => {
            for (r, ((u, &w), &s)) in u.iter_mut().zip(raw).zip(factor).enumerate() {
                f(r, u, w * s * UNIT_SCALE);
            }
        }
    }
}

/// One party's terms for a set of deals.
#[derive(Debug, Clone)]
pub struct PartyPlan {
    /// Per deal, the units every round shares: the fixed terms, when the party's weights are
    /// fixed too (zeros otherwise).
    pub base: Vec<f64>,
    /// Clauses every deal shares whose terms are computed in the round (deal 0 stands for
    /// all).
    pub shared: Vec<Column>,
    /// Clauses that differ between deals whose terms are computed in the round.
    pub columns: Vec<Column>,
    /// The party's loss aversion (1 without a reference point).
    pub loss_aversion: Param,
    /// Whether nothing is computed in the round: `base` is the utility at every deal.
    pub constant: bool,
    /// How the utility row at each deal is built from `columns` (see
    /// [`super::differences`]).
    pub builds: Builds,
}

impl PartyPlan {
    /// Lays out `party`'s terms for `deals`: `varying` are the clauses that differ between
    /// them. `centre_of` gives a parameter's central value (for the logistic factors);
    /// `rows` counts the factor rows the plans take.
    pub fn new(
        party: &Party,
        deals: &[Deal],
        varying: &[usize],
        centre_of: &dyn Fn(Param) -> f64,
        rows: &mut usize,
    ) -> Self {
        let clauses = party.values.len();
        let mut shared = Vec::new();
        let mut columns = Vec::new();
        for (i, &first) in deals[0].iter().enumerate() {
            if varying.contains(&i) {
                let xs = deals.iter().map(|d| d[i]).collect();
                columns.push(Column::new(party, i, xs, centre_of, rows));
            } else {
                shared.push(Column::new(party, i, vec![first], centre_of, rows));
            }
        }
        let mut base = vec![0.0; deals.len()];
        if party.weights.iter().all(|w| !w.is_uncertain()) {
            // The same normalised weights the world sampler holds for this party.
            let mut w = vec![0.0; clauses];
            party.normalised_weights(&[], &mut w);
            let units = |col: &Column, k: usize| {
                scaled_units_exact(w[col.clause] * UNIT_SCALE, col.data[k])
            };
            for col in shared.iter().filter(|col| col.is_fixed()) {
                let t = units(col, 0);
                base.iter_mut().for_each(|b| *b += t);
            }
            for col in columns.iter().filter(|col| col.is_fixed()) {
                for (k, b) in base.iter_mut().enumerate() {
                    *b += units(col, k);
                }
            }
            shared.retain(|col| !col.is_fixed());
            columns.retain(|col| !col.is_fixed());
        }
        let builds = Builds::arrange(&mut columns, deals.len());
        PartyPlan {
            constant: shared.is_empty() && columns.is_empty(),
            builds,
            base,
            shared,
            columns,
            loss_aversion: party.loss_aversion(),
        }
    }

    /// Every column computed in the round, shared ones first.
    pub fn all_columns(&self) -> impl Iterator<Item = &Column> {
        self.shared.iter().chain(&self.columns)
    }
}
