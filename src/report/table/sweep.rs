//! A sweep: one row per point — agreement with its interval, then each party's acceptance
//! (ratify) or its mean utility of the agreed deal (dynamic protocols).

use std::fmt::Write;

use super::{prob, short_names, value};
use crate::sweep::SweepResult;

/// Width of an axis column.
const AXIS: usize = 16;
/// Width of a party column.
const PARTY: usize = 8;

pub(super) fn points(out: &mut String, protocol: &str, s: &SweepResult) {
    let dynamic = protocol != "ratify";
    if dynamic {
        let _ = writeln!(
            out,
            "party columns: mean utility of the agreed deal, over the rounds that agreed"
        );
    } else {
        let _ = writeln!(out, "party columns: probability of accepting");
    }
    let _ = writeln!(out);
    let axes: Vec<&str> = s.info.axes.iter().map(|a| a.name.as_str()).collect();
    let parties: Vec<&str> = s.info.parties.iter().map(String::as_str).collect();
    let mut header = String::new();
    for a in short_names(&axes, AXIS) {
        let _ = write!(header, "{a:>AXIS$} ");
    }
    let _ = write!(header, "{:>22}", "agreement [95%]");
    for p in short_names(&parties, PARTY) {
        let _ = write!(header, " {p:>PARTY$}");
    }
    let _ = writeln!(out, "{}", header.trim_end());
    for point in &s.points {
        let mut row = String::new();
        for (a, x) in s.info.axes.iter().zip(&point.x) {
            let text = match &a.options {
                Some(opts) => opts.get(*x as usize).cloned().unwrap_or_default(),
                None => value(*x),
            };
            let _ = write!(row, "{:>AXIS$} ", short_names(&[&text], AXIS)[0]);
        }
        let g = &point.agreement;
        let _ = write!(
            row,
            "{:>22}",
            format!("{} [{}, {}]", prob(g.p), prob(g.lo), prob(g.hi))
        );
        for p in &point.parties {
            let cell = if dynamic {
                super::mean(Some(p.mean_utility))
            } else {
                prob(p.accept.p)
            };
            let _ = write!(row, " {cell:>PARTY$}");
        }
        let _ = writeln!(out, "{row}");
    }
}
