//! CSV export: one row per proposal, one group of columns per party.

use crate::protocol::RatifyResult;

/// Header and rows of a ratify result: `proposal, agreement, agreement_lo, agreement_hi, n`,
/// then for each party `accept_<party>`, `accept_<party>_lo`, `accept_<party>_hi`,
/// `utility_<party>`, `margin_<party>`.
pub fn ratify_csv(result: &RatifyResult) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header = vec!["proposal".to_string(), "agreement".into(), "agreement_lo".into(), "agreement_hi".into(), "n".into()];
    if let Some(first) = result.results.first() {
        for p in &first.parties {
            let n = &p.party;
            header.extend([format!("accept_{n}"), format!("accept_{n}_lo"), format!("accept_{n}_hi"), format!("utility_{n}"), format!("margin_{n}")]);
        }
    }
    w.write_record(&header).expect("writing to memory");
    for r in &result.results {
        let a = &r.agreement;
        let mut row = vec![r.proposal.clone(), a.p.to_string(), a.lo.to_string(), a.hi.to_string(), a.n.to_string()];
        for p in &r.parties {
            row.extend([p.accept.p.to_string(), p.accept.lo.to_string(), p.accept.hi.to_string(), p.mean_utility.to_string(), p.mean_margin.to_string()]);
        }
        w.write_record(&row).expect("writing to memory");
    }
    String::from_utf8(w.into_inner().expect("writing to memory")).expect("CSV of UTF-8 fields")
}
