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
//! 0's utility kept for a chunk of rounds, a deal that changes one clause of seven
//! (a concession) costs one column, as a sweep point does, instead of seven.
//!
//! Deal 0's utility is kept for a chunk of rounds in two rows: its base, shared terms and
//! every column's term but one (the column most deals change, added last), and that row
//! plus the last column's term — deal 0's utility, tallied as it is. A deal changing the
//! last column starts from the first row and adds its own term, as a sweep point does from
//! the shared terms; a deal changing another column starts from deal 0's utility and adds
//! the change of that column's term, both deals' terms computed in the one pass over the
//! round's weight and inputs ([`super::columns::Column::add_change`]). Two rows per party
//! whatever the number of columns, so deal 0's rows stay in the first-level cache beside
//! the thresholds, and a deal's pass reads one of them.
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
    /// Deal 0's row with the columns listed (ascending) changed to this deal's values.
    Differs(Vec<usize>),
}

/// How one party's row is built at every deal.
#[derive(Debug, Clone)]
pub struct Builds {
    /// Per deal.
    pub per_deal: Vec<Build>,
    /// Whether deal 0's rows are built in each chunk: only when some deal differs from it
    /// in some columns but not all (otherwise every deal is built from the shared terms, as
    /// cheaply).
    pub from_deal0: bool,
}

impl Builds {
    /// Moves the column most of `deals` deals change to the end of `columns` (a plan's
    /// columns, whose values differ between deals: the order of the terms does not change
    /// a sum of them), and returns the deals' builds over the columns so arranged.
    pub fn arrange(columns: &mut Vec<Column>, deals: usize) -> Self {
        let changes = |j: usize| {
            (1..deals)
                .filter(|&k| columns[j].differs_from_deal0(k))
                .count()
        };
        // The first of the columns most deals change.
        if let Some(most) = (0..columns.len()).rev().max_by_key(|&j| changes(j)) {
            let column = columns.remove(most);
            columns.push(column);
        }
        let differing = |k: usize| -> Vec<usize> {
            (0..columns.len())
                .filter(|&j| columns[j].differs_from_deal0(k))
                .collect()
        };
        let all: Vec<Vec<usize>> = (0..deals).map(differing).collect();
        let from_deal0 = all.iter().any(|d| !d.is_empty() && d.len() < columns.len());
        let per_deal = all
            .into_iter()
            .map(|d| match d.len() {
                _ if !from_deal0 || d.len() == columns.len() => Build::Every,
                0 => Build::Same,
                _ => Build::Differs(d),
            })
            .collect();
        Builds {
            per_deal,
            from_deal0,
        }
    }
}

/// Deal 0's rows for one chunk, for every party whose builds start from them: party `p`'s
/// two rows from row `offsets[p]` (rows of the chunk's length), see [`DEAL0_ROWS`].
#[derive(Debug, Clone, Default)]
pub struct Deal0Rows {
    /// Per party, in each round: deal 0's base, shared terms and the terms of every column
    /// but the last; then the same plus the last column's term (deal 0's utility).
    pub sums: Vec<f64>,
}

/// Rows a party's builds from deal 0 take in [`Deal0Rows`]: deal 0's utility without the
/// last column's term, and with it.
pub const DEAL0_ROWS: usize = 2;

/// Where each party's rows start in [`Deal0Rows`] (`DEAL0_ROWS` for each party building
/// from deal 0, given by `from_deal0`), and how many rows there are.
pub fn row_offsets(from_deal0: impl Iterator<Item = bool>) -> (Vec<usize>, usize) {
    let mut total = 0;
    let offsets = from_deal0
        .map(|yes| {
            let at = total;
            total += if yes { DEAL0_ROWS } else { 0 };
            at
        })
        .collect();
    (offsets, total)
}
