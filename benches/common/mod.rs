//! Scenario builders shared by the benchmarks.

// Each benchmark binary uses only some of these.
#![allow(dead_code)]

use std::fmt::Write;

use accord::model::Scenario;
use accord::scenario::{Format, parse};

/// A synthetic scenario: `clauses` range clauses, `parties` parties (all veto) with uncertain
/// reservations (normal), one uncertain weight each, logit acceptance, and two proposals.
pub fn synthetic(clauses: usize, parties: usize) -> Scenario {
    let mut s = String::from("[scenario]\nname = \"synthetic\"\n");
    for c in 0..clauses {
        let _ = write!(s, "[clauses.c{c}]\nkind = \"range\"\nmin = 0\nmax = 100\n");
    }
    for (name, v) in [("low", 30), ("high", 70)] {
        let _ = writeln!(s, "[proposals.{name}]");
        for c in 0..clauses {
            let _ = writeln!(s, "c{c} = {v}");
        }
    }
    for p in 0..parties {
        let _ = writeln!(s, "[parties.p{p}]");
        let _ = writeln!(s, "reservation = {{ normal = {{ mean = 0.5, sd = 0.1 }} }}");
        let _ = writeln!(s, "accept = {{ logit = {{ temperature = 0.05 }} }}");
        let mut weights = Vec::new();
        for c in 0..clauses {
            if c == 0 {
                weights.push(format!("c{c} = {{ uniform = [0.5, 1.5] }}"));
            } else {
                weights.push(format!("c{c} = 1.0"));
            }
            let (worst, best) = if (c + p) % 2 == 0 { (0, 100) } else { (100, 0) };
            let _ = writeln!(
                s,
                "values.c{c} = {{ linear = {{ worst = {worst}, best = {best} }} }}"
            );
        }
        let _ = writeln!(s, "weights = {{ {} }}", weights.join(", "));
    }
    parse(&s, "synthetic", Format::Toml).expect("synthetic scenario is valid")
}

/// A bundled scenario by file name.
pub fn bundled(name: &str) -> Scenario {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios")
        .join(name);
    accord::scenario::load(&path).expect("bundled scenario is valid")
}
