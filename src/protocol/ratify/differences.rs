//! Each deal's utility row built from deal 0's, paying only for the clauses it changes.
//!
//! A party's utility is a sum of per-clause terms in exact units (integers held in floats,
//! see [`crate::sim::fixed`]): sums of them are exact, in any order, as long as they stay
//! below 2⁵³ — and a sum of a deal's terms, or of two deals' terms, is far below that. So
//! a deal that differs from deal 0 in the clauses `D` has, in every round,
//!
//! `u_k = u_0 − Σ_{c ∈ D} t_c(deal 0) + Σ_{c ∈ D} t_c(deal k)`
//!
//! to the bit: the same integer as summing its own terms, whatever its other clauses' terms
//! are (a weight per round, a loss against an anchor under a sampled loss aversion, a
//! logistic factor, an uncertain table entry, a term evaluated round by round). With deal
//! 0's per-clause rows kept for a chunk of rounds, a deal that changes one clause of seven
//! (a concession) costs one column, as a sweep point does, instead of seven.
//!
//! Deal 0's rows are running sums: its base and shared terms, then each column's term added
//! in turn, each sum kept. Building them is one pass per column, as summing deal 0 alone
//! is; the last is deal 0's utility (tallied as it is), and a column's term is its sum less
//! the one before. A deal's pass reads those rows where it needs deal 0's term (see
//! [`super::columns::Swapped`]), so no other row of deal 0's is built. The column most
//! deals start from is added last: deal 0's utility without its term is then the sum
//! before it, one row to read.
//!
//! Terms are compared by the clause's value: a column's term at a deal depends on nothing
//! else (the party, the round and the value), so equal values (bit for bit) give equal
//! terms. Columns folded into a plan's per-deal constant (`PartyPlan::base`) need no rows.

use super::columns::Column;

/// How a party's utility row at one deal is built (indices are into the plan's columns).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Build {
    /// Every column at this deal, from the shared terms: a deal that differs from deal 0
    /// in every column (or a plan without deal 0's rows).
    Every,
    /// Deal 0's row: every column has deal 0's value.
    Same,
    /// Deal 0's row less column `first`'s term there, plus that column's term at this deal,
    /// plus each column of `more`'s term at this deal less its term at deal 0.
    Differs { first: usize, more: Vec<usize> },
}

/// How one party's row is built at every deal.
#[derive(Debug, Clone)]
pub struct Builds {
    /// Per deal.
    pub per_deal: Vec<Build>,
    /// The columns in the order deal 0's running sums add them (see [`Deal0Rows`]): the
    /// one most deals start from last.
    pub order: Vec<usize>,
    /// Per column: its place in `order`.
    pub place: Vec<usize>,
    /// Whether deal 0's rows are built in each chunk: only when some deal differs from it
    /// in some columns but not all (otherwise every deal is built from the shared terms, as
    /// cheaply).
    pub from_deal0: bool,
}

impl Builds {
    /// The builds of `deals` deals over `columns` (a plan's columns, whose values differ
    /// between deals).
    pub fn new(columns: &[Column], deals: usize) -> Self {
        let differing = |k: usize| -> Vec<usize> {
            (0..columns.len())
                .filter(|&j| columns[j].differs_from_deal0(k))
                .collect()
        };
        let all: Vec<Vec<usize>> = (0..deals).map(differing).collect();
        let from_deal0 = all.iter().any(|d| !d.is_empty() && d.len() < columns.len());
        let per_deal: Vec<Build> = all
            .into_iter()
            .map(|d| match d.split_first() {
                _ if !from_deal0 || d.len() == columns.len() => Build::Every,
                None => Build::Same,
                Some((&first, more)) => Build::Differs {
                    first,
                    more: more.to_vec(),
                },
            })
            .collect();
        let mut starts = vec![0; columns.len()];
        for b in &per_deal {
            if let Build::Differs { first, .. } = b {
                starts[*first] += 1;
            }
        }
        let mut order: Vec<usize> = (0..columns.len()).collect();
        // The first of the columns most deals start from, moved to the end.
        if let Some(most) = (0..columns.len()).rev().max_by_key(|&j| starts[j]) {
            order.retain(|&j| j != most);
            order.push(most);
        }
        let mut place = vec![0; columns.len()];
        for (i, &j) in order.iter().enumerate() {
            place[j] = i;
        }
        Builds {
            per_deal,
            order,
            place,
            from_deal0,
        }
    }
}

/// Deal 0's rows for one chunk, for every party whose builds start from them; party `p`'s
/// column `j` at row `offsets[p] + j` (rows of the chunk's length).
#[derive(Debug, Clone, Default)]
pub struct Deal0Rows {
    /// Per column `i` of [`Builds::order`], in each round: deal 0's base, shared terms and
    /// the terms of the columns `order[..=i]` at deal 0 (the last row is deal 0's utility).
    pub sums: Vec<f64>,
}

/// Where each party's columns' rows start in [`Deal0Rows`], and how many rows there are.
pub fn row_offsets(columns: impl Iterator<Item = usize>) -> (Vec<usize>, usize) {
    let mut total = 0;
    let offsets = columns
        .map(|n| {
            let at = total;
            total += n;
            at
        })
        .collect();
    (offsets, total)
}
