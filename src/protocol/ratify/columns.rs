//! A party's clause terms laid out for the hot loop.
//!
//! Deals are processed in lanes of [`LANES`]: every per-deal array is padded to a multiple
//! of four (padding repeats the last deal, whose results are never read), so the inner loops
//! have a fixed length the compiler unrolls and vectorises, whatever the number of deals.
//! Terms that never change between rounds are summed once, at construction, when the
//! party's weights are fixed too.

use crate::model::{Deal, Param, Party, ValueFn};
use crate::sim::{UNIT_SCALE, scaled_units};

/// Deals per lane group.
pub const LANES: usize = 4;

/// One value per deal of a lane group.
pub type Lanes<T> = [T; LANES];

/// How many lane groups hold `deals` deals.
pub fn chunks(deals: usize) -> usize {
    deals.div_ceil(LANES)
}

/// The deal in lane `l` of group `c` (the last deal for padding lanes).
#[inline(always)]
pub fn deal_at(c: usize, l: usize, deals: usize) -> usize {
    (c * LANES + l).min(deals - 1)
}

/// How one clause's term is found at each deal.
#[derive(Debug, Clone)]
enum Kind {
    /// The same every round: `data` holds the terms.
    Fixed,
    /// A fixed value function under an uncertain loss aversion: `data` holds the values;
    /// only the loss against `anchor` (the reference deal's value) is weighed in the round.
    Loss { anchor: f64 },
    /// A logistic value function whose midpoint m is uncertain and scale s fixed:
    /// σ((x − m)/s) = 1 / (1 + a·b) with a = exp(−(x − c)/s) fixed per deal (in `data`)
    /// and b = exp((m − c)/s) drawn per round, so a sweep pays one exponential per round,
    /// not one per point (c, the midpoint's mean, keeps both factors moderate).
    Logistic {
        centre: f64,
        scale: f64,
        midpoint: Param,
    },
    /// A table whose entries may be uncertain: the entry each deal picks.
    Table(Vec<Lanes<Param>>),
    /// Depends on uncertain value-function parameters in another way: evaluated in the round.
    Live,
}

/// One clause's terms for every deal.
#[derive(Debug, Clone)]
pub struct Column {
    /// The clause's index.
    pub clause: usize,
    kind: Kind,
    /// Per lane group: the terms, values or logistic factors (see [`Kind`]).
    data: Vec<Lanes<f64>>,
}

impl Column {
    /// The terms of clause `i` for `party` at clause values `xs` (one per deal, padded).
    fn new(party: &Party, i: usize, xs: &[Lanes<f64>], centre_of: &dyn Fn(Param) -> f64) -> Self {
        let f = party.values[i].as_ref();
        let value_fixed = f.is_none_or(|f| !f.is_uncertain());
        let map = |g: &dyn Fn(f64) -> f64| -> Vec<Lanes<f64>> {
            xs.iter().map(|lanes| lanes.map(g)).collect()
        };
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
                };
                (kind, map(&|x| (-(x - centre) / scale).exp()))
            }
            (None, false, Some(ValueFn::Table { values })) => {
                let picks = xs
                    .iter()
                    .map(|lanes| lanes.map(|x| values[x as usize]))
                    .collect();
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
        }
    }

    fn is_fixed(&self) -> bool {
        matches!(self.kind, Kind::Fixed)
    }

    /// The part of the term that depends only on the round: the loss aversion `lambda`, or
    /// the logistic factor b.
    #[inline(always)]
    pub fn round_factor(&self, lambda: f64, slots: &[f64]) -> f64 {
        match &self.kind {
            Kind::Loss { .. } => lambda,
            Kind::Logistic {
                centre,
                scale,
                midpoint,
            } => ((midpoint.get(slots) - centre) / scale).exp(),
            Kind::Fixed | Kind::Table(_) | Kind::Live => 0.0,
        }
    }

    /// Adds `weight × term` in units for each lane of group `c` to `acc`; `ws` is the weight
    /// times [`UNIT_SCALE`] and `live(l)` evaluates lane `l`'s term directly.
    #[inline(always)]
    pub fn add(
        &self,
        c: usize,
        ws: f64,
        factor: f64,
        slots: &[f64],
        acc: &mut Lanes<i64>,
        live: impl Fn(usize) -> f64,
    ) {
        let d = &self.data[c];
        let terms: Lanes<f64> = match &self.kind {
            Kind::Fixed => *d,
            Kind::Loss { anchor } => d.map(|v| {
                if v >= *anchor {
                    v
                } else {
                    (anchor - factor * (anchor - v)).max(0.0)
                }
            }),
            Kind::Logistic { .. } => {
                let mut t = [0.0; LANES];
                for (l, (t, &a)) in t.iter_mut().zip(d).enumerate() {
                    let ab = a * factor;
                    // inf·0 (a far-off point meeting an extreme draw): evaluate directly.
                    *t = if ab.is_nan() {
                        live(l)
                    } else {
                        1.0 / (1.0 + ab)
                    };
                }
                t
            }
            Kind::Table(picks) => picks[c].map(|p| p.get(slots)),
            Kind::Live => std::array::from_fn(live),
        };
        for (a, t) in acc.iter_mut().zip(terms) {
            *a += scaled_units(ws, t);
        }
    }
}

/// Columns of one kind packed together, lane group by lane group (group `c`'s column `j`
/// at `c * n + j`), so the hot loop runs through them with no per-column dispatch.
#[derive(Debug, Clone, Default)]
pub struct Packed {
    clauses: Vec<usize>,
    data: Vec<Lanes<f64>>,
    /// Loss columns: the reference deal's value per column.
    anchors: Vec<f64>,
}

impl Packed {
    fn new(columns: &[&Column], groups: usize) -> Self {
        let mut packed = Packed::default();
        for col in columns {
            packed.clauses.push(col.clause);
            if let Kind::Loss { anchor } = col.kind {
                packed.anchors.push(anchor);
            }
        }
        for c in 0..groups {
            packed.data.extend(columns.iter().map(|col| col.data[c]));
        }
        packed
    }

    /// Group `c`'s columns with the clause weight each is multiplied by.
    #[inline(always)]
    fn group<'s>(&'s self, c: usize, w: &'s [f64]) -> impl Iterator<Item = (f64, &'s Lanes<f64>)> {
        let n = self.clauses.len();
        self.clauses
            .iter()
            .map(move |&i| w[i] * UNIT_SCALE)
            .zip(&self.data[c * n..(c + 1) * n])
    }

    /// Adds the fixed terms of lane group `c`, weighted by `w`, to `acc`.
    #[inline(always)]
    pub fn add_fixed(&self, c: usize, w: &[f64], acc: &mut Lanes<i64>) {
        for (ws, t) in self.group(c, w) {
            for (a, &t) in acc.iter_mut().zip(t) {
                *a += scaled_units(ws, t);
            }
        }
    }

    /// Adds the loss-averse terms of lane group `c` under loss aversion `lambda`.
    #[inline(always)]
    pub fn add_loss(&self, c: usize, w: &[f64], lambda: f64, acc: &mut Lanes<i64>) {
        for ((ws, v), &anchor) in self.group(c, w).zip(&self.anchors) {
            for (a, &v) in acc.iter_mut().zip(v) {
                let t = if v >= anchor {
                    v
                } else {
                    (anchor - lambda * (anchor - v)).max(0.0)
                };
                *a += scaled_units(ws, t);
            }
        }
    }
}

/// One party's terms for a set of deals.
#[derive(Debug, Clone)]
pub struct PartyPlan {
    /// Per lane group, the units every round shares: the fixed terms, when the party's
    /// weights are fixed too (zeros otherwise).
    pub base: Vec<Lanes<i64>>,
    /// Clauses every deal shares whose terms are computed in the round (one lane group).
    pub shared: Vec<Column>,
    /// Varying clauses with fixed terms (when the weights are uncertain).
    pub fixed: Packed,
    /// Varying clauses with a fixed value under an uncertain loss aversion.
    pub loss: Packed,
    /// Other varying clauses whose terms are computed in the round.
    pub columns: Vec<Column>,
    /// The party's loss aversion (1 without a reference point).
    pub loss_aversion: Param,
}

impl PartyPlan {
    /// Lays out `party`'s terms for `deals`: `varying` are the clauses that differ between
    /// them. `centre_of` gives a parameter's central value (for the logistic factors).
    pub fn new(
        party: &Party,
        deals: &[Deal],
        varying: &[usize],
        centre_of: &dyn Fn(Param) -> f64,
    ) -> Self {
        let n = deals.len();
        let groups = chunks(n);
        let padded = |i: usize| -> Vec<Lanes<f64>> {
            (0..groups)
                .map(|c| std::array::from_fn(|l| deals[deal_at(c, l, n)][i]))
                .collect()
        };
        let clauses = party.values.len();
        let mut shared = Vec::new();
        let mut columns = Vec::new();
        for (i, &first) in deals[0].iter().enumerate() {
            if varying.contains(&i) {
                columns.push(Column::new(party, i, &padded(i), centre_of));
            } else {
                shared.push(Column::new(party, i, &[[first; LANES]], centre_of));
            }
        }
        let mut base = vec![[0i64; LANES]; groups];
        if party.weights.iter().all(|w| !w.is_uncertain()) {
            // The same normalised weights the world sampler holds for this party.
            let mut w = vec![0.0; clauses];
            party.normalised_weights(&[], &mut w);
            let term = |col: &Column, c: usize| {
                let mut acc = [0i64; LANES];
                col.add(c, w[col.clause] * UNIT_SCALE, 0.0, &[], &mut acc, |_| 0.0);
                acc
            };
            for col in shared.iter().filter(|col| col.is_fixed()) {
                let units = term(col, 0)[0];
                for b in base.iter_mut() {
                    b.iter_mut().for_each(|b| *b += units);
                }
            }
            for col in columns.iter().filter(|col| col.is_fixed()) {
                for (c, b) in base.iter_mut().enumerate() {
                    for (b, t) in b.iter_mut().zip(term(col, c)) {
                        *b += t;
                    }
                }
            }
            shared.retain(|col| !col.is_fixed());
            columns.retain(|col| !col.is_fixed());
        }
        let of_kind = |fixed: bool| -> Vec<&Column> {
            let wanted = |col: &&Column| match col.kind {
                Kind::Fixed => fixed,
                Kind::Loss { .. } => !fixed,
                _ => false,
            };
            columns.iter().filter(wanted).collect()
        };
        let fixed = Packed::new(&of_kind(true), groups);
        let loss = Packed::new(&of_kind(false), groups);
        columns.retain(|col| !matches!(col.kind, Kind::Fixed | Kind::Loss { .. }));
        PartyPlan {
            base,
            shared,
            fixed,
            loss,
            columns,
            loss_aversion: party
                .reference
                .as_ref()
                .map_or(Param::Fixed(1.0), |r| r.loss_aversion),
        }
    }
}
