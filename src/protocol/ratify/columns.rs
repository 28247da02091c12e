//! A party's clause terms laid out for the hot loop.
//!
//! Deals are processed in lanes of [`LANES`]: every per-deal array is padded to a multiple
//! of four (padding repeats the last deal, whose results are never read), so the inner loops
//! have a fixed length the compiler unrolls and vectorises, whatever the number of deals.
//! Terms that never change between rounds are summed once, at construction, when the
//! party's weights are fixed too.

use crate::model::party::loss_term;
use crate::model::{Deal, Param, Party, ValueFn};
use crate::sim::{UNIT_SCALE, scaled_units_exact};

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

    /// Adds `weight × term` in units at every deal to `u` (one entry per lane group); `ws`
    /// is the weight times [`UNIT_SCALE`] and `live(c, l)` evaluates lane `l` of group `c`
    /// directly. The kind is matched once, outside the loop over deals.
    #[inline(always)]
    pub fn add(
        &self,
        ws: f64,
        factor: f64,
        slots: &[f64],
        u: &mut [Lanes<f64>],
        live: impl Fn(usize, usize) -> f64,
    ) {
        let data = &self.data;
        match &self.kind {
            Kind::Fixed => add_terms(u, data, ws, |_, d| *d),
            Kind::Loss { anchor } => {
                add_terms(u, data, ws, |_, d| d.map(|v| loss_term(v, *anchor, factor)))
            }
            Kind::Logistic { .. } => add_terms(u, data, ws, |c, d| {
                std::array::from_fn(|l| {
                    let ab = d[l] * factor;
                    // inf·0 (a far-off point meeting an extreme draw): evaluate directly.
                    if ab.is_nan() {
                        live(c, l)
                    } else {
                        1.0 / (1.0 + ab)
                    }
                })
            }),
            Kind::Table(picks) => add_terms(u, data, ws, |c, _| picks[c].map(|p| p.get(slots))),
            Kind::Live => add_terms(u, data, ws, |c, _| std::array::from_fn(|l| live(c, l))),
        }
    }
}

/// Adds `ws × term(c, data[c])` in units to each lane group `u[c]`.
#[inline(always)]
fn add_terms(
    u: &mut [Lanes<f64>],
    data: &[Lanes<f64>],
    ws: f64,
    term: impl Fn(usize, &Lanes<f64>) -> Lanes<f64>,
) {
    for (c, (u, d)) in u.iter_mut().zip(data).enumerate() {
        for (a, t) in u.iter_mut().zip(term(c, d)) {
            *a += scaled_units_exact(ws, t);
        }
    }
}

/// Columns of one kind packed together (column `j`'s lane group `c` at `j * groups + c`),
/// so the hot loop runs through them with no per-column dispatch.
#[derive(Debug, Clone, Default)]
pub struct Packed {
    clauses: Vec<usize>,
    data: Vec<Lanes<f64>>,
    /// Loss columns: the reference deal's value per column.
    anchors: Vec<f64>,
}

impl Packed {
    fn new(columns: &[&Column]) -> Self {
        let mut packed = Packed::default();
        for col in columns {
            packed.clauses.push(col.clause);
            if let Kind::Loss { anchor } = col.kind {
                packed.anchors.push(anchor);
            }
            packed.data.extend(&col.data);
        }
        packed
    }

    /// Adds `w[clause] × term(j, value)` in units for every column `j` at every deal to `u`
    /// (one entry per lane group). A run of at most four deals (one group) takes a loop
    /// without the inner iteration over groups.
    #[inline(always)]
    fn add_each(&self, w: &[f64], u: &mut [Lanes<f64>], term: impl Fn(f64, f64) -> f64) {
        // Each column's anchor (0 for fixed columns, where `term` ignores it).
        let anchor = |j: usize| self.anchors.get(j).copied().unwrap_or(0.0);
        if let [u] = u {
            for (j, (&i, d)) in self.clauses.iter().zip(&self.data).enumerate() {
                let (ws, anchor) = (w[i] * UNIT_SCALE, anchor(j));
                for (a, &v) in u.iter_mut().zip(d) {
                    *a += scaled_units_exact(ws, term(anchor, v));
                }
            }
            return;
        }
        let columns = self.clauses.iter().zip(self.data.chunks_exact(u.len()));
        for (j, (&i, data)) in columns.enumerate() {
            let (ws, anchor) = (w[i] * UNIT_SCALE, anchor(j));
            for (u, d) in u.iter_mut().zip(data) {
                for (a, &v) in u.iter_mut().zip(d) {
                    *a += scaled_units_exact(ws, term(anchor, v));
                }
            }
        }
    }

    /// Adds the fixed terms, weighted by `w`, to `u` (one entry per lane group).
    #[inline(always)]
    pub fn add_fixed(&self, w: &[f64], u: &mut [Lanes<f64>]) {
        self.add_each(w, u, |_, t| t);
    }

    /// Adds the loss-averse terms under loss aversion `lambda`.
    #[inline(always)]
    pub fn add_loss(&self, w: &[f64], lambda: f64, u: &mut [Lanes<f64>]) {
        self.add_each(w, u, |anchor, v| loss_term(v, anchor, lambda));
    }
}

/// One party's terms for a set of deals.
#[derive(Debug, Clone)]
pub struct PartyPlan {
    /// Per lane group, the units every round shares: the fixed terms, when the party's
    /// weights are fixed too (zeros otherwise).
    pub base: Vec<Lanes<f64>>,
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
    /// Whether nothing is computed in the round: `base` is the utility at every deal.
    pub constant: bool,
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
        let mut base = vec![[0.0; LANES]; groups];
        if party.weights.iter().all(|w| !w.is_uncertain()) {
            // The same normalised weights the world sampler holds for this party.
            let mut w = vec![0.0; clauses];
            party.normalised_weights(&[], &mut w);
            let add = |col: &Column, u: &mut [Lanes<f64>]| {
                col.add(w[col.clause] * UNIT_SCALE, 0.0, &[], u, |_, _| 0.0);
            };
            for col in shared.iter().filter(|col| col.is_fixed()) {
                let mut one = [[0.0; LANES]];
                add(col, &mut one);
                for b in base.iter_mut() {
                    b.iter_mut().for_each(|b| *b += one[0][0]);
                }
            }
            for col in columns.iter().filter(|col| col.is_fixed()) {
                add(col, &mut base);
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
        let fixed = Packed::new(&of_kind(true));
        let loss = Packed::new(&of_kind(false));
        columns.retain(|col| !matches!(col.kind, Kind::Fixed | Kind::Loss { .. }));
        let constant = shared.is_empty()
            && fixed.clauses.is_empty()
            && loss.clauses.is_empty()
            && columns.is_empty();
        PartyPlan {
            constant,
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
