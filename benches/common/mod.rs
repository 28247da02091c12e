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

/// splitmix64 (Steele, Lea & Flood 2014): the stream benches/negmas_pareto.py draws too.
pub struct SplitMix64(u64);

impl SplitMix64 {
    pub fn new(seed: u64) -> Self {
        SplitMix64(seed)
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

/// Writes a two-party GENIUS domain of `issues` discrete issues of `values` values into
/// `dir` (domain.xml, prof1.xml, prof2.xml): integer weights and evaluations from 1 to 100
/// drawn from splitmix64 seeded with 1000·issues + values, as benches/negmas_pareto.py does.
pub fn write_genius_domain(dir: &std::path::Path, issues: usize, values: usize) {
    std::fs::create_dir_all(dir).expect("a domain folder");
    let mut rng = SplitMix64::new(1000 * issues as u64 + values as u64);
    let mut d = format!(
        "<negotiation_template>\n<utility_space number_of_issues=\"{issues}\">\n<objective index=\"0\" etype=\"objective\" type=\"objective\" name=\"root\">\n"
    );
    for i in 0..issues {
        let _ = writeln!(
            d,
            "<issue index=\"{}\" etype=\"discrete\" type=\"discrete\" vtype=\"discrete\" name=\"i{i}\">",
            i + 1
        );
        for v in 0..values {
            let _ = writeln!(d, "<item index=\"{}\" value=\"v{v}\"/>", v + 1);
        }
        d.push_str("</issue>\n");
    }
    d.push_str("</objective>\n</utility_space>\n</negotiation_template>\n");
    std::fs::write(dir.join("domain.xml"), d).expect("writing domain.xml");
    for p in 1..=2 {
        let weights: Vec<u64> = (0..issues).map(|_| 1 + rng.next() % 100).collect();
        let evals: Vec<Vec<u64>> = (0..issues)
            .map(|_| (0..values).map(|_| 1 + rng.next() % 100).collect())
            .collect();
        let total: u64 = weights.iter().sum();
        let mut s = String::from(
            "<utility_space>\n<objective index=\"0\" etype=\"objective\" type=\"objective\" name=\"root\">\n",
        );
        for (i, ev) in evals.iter().enumerate() {
            let _ = writeln!(
                s,
                "<issue index=\"{}\" etype=\"discrete\" type=\"discrete\" vtype=\"discrete\" name=\"i{i}\">",
                i + 1
            );
            for (v, e) in ev.iter().enumerate() {
                let _ = writeln!(
                    s,
                    "<item index=\"{}\" value=\"v{v}\" evaluation=\"{e}\"/>",
                    v + 1
                );
            }
            s.push_str("</issue>\n");
        }
        for (i, w) in weights.iter().enumerate() {
            let _ = writeln!(
                s,
                "<weight index=\"{}\" value=\"{}\"/>",
                i + 1,
                *w as f64 / total as f64
            );
        }
        s.push_str("</objective>\n<reservation value=\"0\"/>\n</utility_space>\n");
        std::fs::write(dir.join(format!("prof{p}.xml")), s).expect("writing a profile");
    }
}
