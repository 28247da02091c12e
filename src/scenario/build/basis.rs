//! `[basis]`: notes saying which inputs are reported facts and which assumptions. Each note
//! names something the scenario has (a clause, a proposal, a party's setting that the party
//! actually has, the correlations) and cites sources that `[scenario] sources` lists, so a report never shows
//! a note about nothing or a citation of nothing.

use super::{Result, err, key_err, unknown};
use crate::model::basis::PARTY_ITEMS;
use crate::model::{Basis, Note, Party, PartyBasis, Scenario, Standing};
use crate::scenario::raw::{RawBasis, RawNote};

/// The notes of `raw` against the built scenario `s` (every index filled, `None` where
/// nothing is noted).
pub(crate) fn basis(raw: Option<&RawBasis>, s: &Scenario) -> Result<Basis> {
    let mut out = Basis {
        clauses: vec![None; s.clauses.len()],
        proposals: vec![None; s.proposals.len()],
        parties: vec![PartyBasis::default(); s.parties.len()],
        correlation: None,
    };
    let Some(raw) = raw else {
        return Ok(out);
    };
    let sources = s.sources.len();
    let clause_names: Vec<&str> = s.clauses.iter().map(|c| c.name.as_str()).collect();
    for (name, n) in &raw.clauses {
        let path = ["basis", "clauses", name.as_str()];
        let i = find(&path, "clause", name, &clause_names)?;
        out.clauses[i] = Some(note(&path, n, sources)?);
    }
    let proposal_names: Vec<&str> = s.proposals.iter().map(|p| p.name.as_str()).collect();
    for (name, n) in &raw.proposals {
        let path = ["basis", "proposals", name.as_str()];
        let i = find(&path, "proposal", name, &proposal_names)?;
        out.proposals[i] = Some(note(&path, n, sources)?);
    }
    let party_names: Vec<&str> = s.parties.iter().map(|p| p.name.as_str()).collect();
    for (name, items) in &raw.parties {
        let i = find(&["basis", "parties", name], "party", name, &party_names)?;
        for (item, n) in items {
            let path = ["basis", "parties", name.as_str(), item.as_str()];
            let k = find(&path, "party setting", item, &PARTY_ITEMS)?;
            if item == "reference" && s.parties[i].reference.is_none() {
                return Err(key_err(
                    &path,
                    format!("party `{name}` has no `reference` to note"),
                    Some("note only settings the party has".into()),
                ));
            }
            if item == "weights" && !has_weights(&s.parties[i]) {
                return Err(key_err(
                    &path,
                    format!("party `{name}` weighs no clause"),
                    None,
                ));
            }
            out.parties[i].items[k] = Some(note(&path, n, sources)?);
        }
    }
    if let Some(n) = &raw.correlation {
        let path = ["basis", "correlation"];
        if s.correlations.is_empty() {
            return Err(key_err(
                &path,
                "the scenario has no [[correlation]] to note",
                None,
            ));
        }
        out.correlation = Some(note(&path, n, sources)?);
    }
    Ok(out)
}

/// The index of `name` among `known`, or an error with a suggestion.
fn find(path: &[&str], what: &str, name: &str, known: &[&str]) -> Result<usize> {
    known
        .iter()
        .position(|k| *k == name)
        .ok_or_else(|| unknown(path, what, name, known))
}

fn has_weights(p: &Party) -> bool {
    p.values.iter().any(Option::is_some)
}

/// One note, checked: exactly one of `fact` and `assumption`, not blank, citing sources
/// 1 to `sources` at most once each.
fn note(path: &[&str], n: &RawNote, sources: usize) -> Result<Note> {
    let (standing, text) = match (&n.fact, &n.assumption) {
        (Some(t), None) => (Standing::Fact, t),
        (None, Some(t)) => (Standing::Assumption, t),
        (Some(_), Some(_)) => {
            return Err(err(
                path,
                "a note is either a `fact` or an `assumption`, not both",
            ));
        }
        (None, None) => {
            return Err(err(
                path,
                "a note needs `fact = \"…\"` (a reported fact) or `assumption = \"…\"`",
            ));
        }
    };
    let key = standing.name();
    if text.trim().is_empty() {
        let mut p = path.to_vec();
        p.push(key);
        return Err(err(&p, format!("the {key} is empty: say what it is")));
    }
    let mut cited = Vec::with_capacity(n.sources.len());
    for (j, &k) in n.sources.iter().enumerate() {
        let at = j.to_string();
        let mut p = path.to_vec();
        p.extend(["sources", at.as_str()]);
        if k < 1 || k as u64 > sources as u64 {
            let help = match sources {
                0 => "the scenario lists no sources: add them to `[scenario] sources`".into(),
                1 => "the scenario lists 1 source: cite it as 1".into(),
                n => format!("`[scenario] sources` lists {n}: cite them by number, 1 to {n}"),
            };
            let mut e = err(&p, format!("there is no source {k}"));
            e.help = Some(help);
            return Err(e);
        }
        let i = (k - 1) as usize;
        if cited.contains(&i) {
            return Err(err(&p, format!("source {k} is cited twice")));
        }
        cited.push(i);
    }
    Ok(Note {
        standing,
        text: text.clone(),
        sources: cited,
    })
}
