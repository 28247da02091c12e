//! An imported scenario written back as an accord TOML scenario file, with a header comment
//! naming the GENIUS files it came from.

use std::fmt::Write;

use super::GeniusSet;
use crate::model::*;

/// The `[protocol]` an imported scenario is written with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportProtocol {
    /// Put the scenario's proposals to every party.
    Ratify,
    /// Alternating offers over the outcome space until `deadline` steps; each party's GENIUS
    /// time discount `d` becomes the per-step discount `d^(1/(deadline − 1))`, so a deal at
    /// the last step is worth `u·d`, as at GENIUS's normalised time 1.
    Alternating { deadline: u32 },
}

/// What [`to_toml`] writes besides the scenario itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WriteOptions {
    pub protocol: ImportProtocol,
    /// Extra lines for the header comment (without `#`).
    pub notes: Vec<String>,
}

/// The per-step discount matching a GENIUS time discount `d` over `deadline` steps.
pub fn step_discount(d: f64, deadline: u32) -> f64 {
    if deadline <= 1 {
        1.0
    } else {
        d.powf(1.0 / f64::from(deadline - 1))
    }
}

/// `s` (built by [`super::to_scenario`] from `set`, with proposals added) as TOML.
pub fn to_toml(s: &Scenario, set: &GeniusSet, opts: &WriteOptions) -> String {
    let mut o = String::new();
    let line = |o: &mut String, text: &str| {
        let _ = writeln!(o, "{}", format!("# {}", one_line(text)).trim_end());
    };
    line(&mut o, "Imported from GENIUS by `accord import genius`.");
    line(&mut o, &format!("  domain:  {}", set.domain.path.display()));
    for p in &set.profiles {
        line(
            &mut o,
            &format!("  profile: {}  ->  party {}", p.path.display(), p.name),
        );
    }
    line(&mut o, "");
    line(
        &mut o,
        "Each issue is a clause; each profile a veto party with threshold acceptance. A party's",
    );
    line(
        &mut o,
        "utility is sum_i w_i * v_i(x_i): discrete values are worth evaluation / largest evaluation",
    );
    line(
        &mut o,
        "of the issue (GENIUS additive semantics); accord rescales weights to sum to 1.",
    );
    for p in &set.profiles {
        let sum = p.weight_sum();
        if (sum - 1.0).abs() > 1e-12 {
            line(
                &mut o,
                &format!(
                    "Weights of {} sum to {sum}: accord utilities are the GENIUS ones divided by that.",
                    p.name
                ),
            );
        }
    }
    for n in &opts.notes {
        line(&mut o, n);
    }
    o.push('\n');

    let _ = writeln!(o, "[scenario]");
    let _ = writeln!(o, "name = {}", quote(&s.name));
    if let Some(d) = &s.description {
        let _ = writeln!(o, "description = {}", quote(d));
    }
    let sources: Vec<String> = s.sources.iter().map(|x| quote(x)).collect();
    let _ = writeln!(o, "sources = [{}]", sources.join(", "));

    for c in &s.clauses {
        let _ = writeln!(o, "\n[clauses.{}]", key(&c.name));
        match c.kind() {
            ClauseKind::Range {
                min,
                max,
                integer,
                unit,
            } => {
                let _ = writeln!(o, "kind = \"range\"");
                if *integer {
                    let _ = writeln!(
                        o,
                        "min = {}\nmax = {}\ninteger = true",
                        *min as i64, *max as i64
                    );
                } else {
                    let _ = writeln!(o, "min = {}\nmax = {}", num(*min), num(*max));
                }
                if let Some(u) = unit {
                    let _ = writeln!(o, "unit = {}", quote(u));
                }
            }
            ClauseKind::Bool => {
                let _ = writeln!(o, "kind = \"bool\"");
            }
            ClauseKind::Choice { options } => {
                let opts: Vec<String> = options.iter().map(|x| quote(x)).collect();
                let _ = writeln!(o, "kind = \"choice\"\noptions = [{}]", opts.join(", "));
            }
        }
        if let Some(d) = &c.description {
            let _ = writeln!(o, "description = {}", quote(d));
        }
    }

    for p in &s.proposals {
        let _ = writeln!(o, "\n[proposals.{}]", key(&p.name));
        for (c, &x) in s.clauses.iter().zip(&p.deal) {
            let _ = writeln!(o, "{} = {}", key(&c.name), scalar(c, x));
        }
    }

    for (pi, p) in s.parties.iter().enumerate() {
        let _ = writeln!(o, "\n[parties.{}]", key(&p.name));
        if !p.veto {
            let _ = writeln!(o, "veto = false");
        }
        let weights: Vec<String> = s
            .clauses
            .iter()
            .zip(&p.weights)
            .filter(|(_, w)| **w != Param::Fixed(0.0))
            .map(|(c, w)| format!("{} = {}", key(&c.name), param(s, *w)))
            .collect();
        let _ = writeln!(o, "weights = {{ {} }}", weights.join(", "));
        for (c, f) in s.clauses.iter().zip(&p.values) {
            if let Some(f) = f {
                let _ = writeln!(o, "values.{} = {}", key(&c.name), value_fn(s, c, f));
            }
        }
        let _ = writeln!(o, "reservation = {}", param(s, p.reservation));
        if let AcceptRule::Logit { temperature } = &p.accept {
            let _ = writeln!(
                o,
                "accept = {{ logit = {{ temperature = {} }} }}",
                param(s, *temperature)
            );
        }
        if let Some(r) = &p.reference {
            let _ = writeln!(o, "reference = {}", quote(&r.proposal));
            let _ = writeln!(o, "loss_aversion = {}", param(s, r.loss_aversion));
        }
        let discount = set.profiles.get(pi).and_then(|g| g.discount);
        if let Some(d) = discount {
            match opts.protocol {
                ImportProtocol::Ratify => {
                    let _ = writeln!(
                        o,
                        "# GENIUS discount_factor {d} (u * d^t at normalised time t); dynamic protocols take a per-step `discount`"
                    );
                }
                ImportProtocol::Alternating { deadline } => {
                    let _ = writeln!(
                        o,
                        "discount = {}  # GENIUS discount_factor {d} spread over {deadline} steps",
                        num(step_discount(d, deadline))
                    );
                }
            }
        }
    }

    let _ = writeln!(o, "\n[protocol]");
    match opts.protocol {
        ImportProtocol::Ratify => {
            let _ = writeln!(o, "kind = \"ratify\"");
        }
        ImportProtocol::Alternating { deadline } => {
            let order: Vec<String> = s.parties.iter().map(|p| quote(&p.name)).collect();
            let _ = writeln!(
                o,
                "kind = \"alternating\"\norder = [{}]\ndeadline = {deadline}",
                order.join(", ")
            );
        }
    }
    let _ = writeln!(
        o,
        "\n[simulation]\n# Every parameter is fixed, so every round plays the same: few rounds suffice.\nrounds = {}\nseed = {}",
        s.simulation.rounds, s.simulation.seed
    );
    o
}

fn one_line(s: &str) -> String {
    s.replace(['\n', '\r'], " ")
}

/// A TOML number that reads back as the same `f64`.
fn num(x: f64) -> String {
    format!("{x:?}")
}

/// A TOML basic string.
fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for ch in s.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A TOML key: bare when it can be, quoted otherwise.
fn key(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        s.to_string()
    } else {
        quote(s)
    }
}

fn scalar(c: &Clause, x: f64) -> String {
    match c.kind() {
        ClauseKind::Range { integer: true, .. } => format!("{}", x as i64),
        ClauseKind::Range { .. } => num(x),
        ClauseKind::Bool => (x >= 0.5).to_string(),
        ClauseKind::Choice { options } => quote(&options[x as usize]),
    }
}

fn param(s: &Scenario, p: Param) -> String {
    match p {
        Param::Fixed(v) => num(v),
        Param::Slot(i) => match &s.uncertain[i].dist.dist {
            Dist::Normal { mean, sd } => {
                format!(
                    "{{ normal = {{ mean = {}, sd = {} }} }}",
                    num(*mean),
                    num(*sd)
                )
            }
            Dist::Uniform { lo, hi } => format!("{{ uniform = [{}, {}] }}", num(*lo), num(*hi)),
            Dist::Triangular { lo, mode, hi } => format!(
                "{{ triangular = [{}, {}, {}] }}",
                num(*lo),
                num(*mode),
                num(*hi)
            ),
            Dist::Beta { a, b, lo, hi } => format!(
                "{{ beta = {{ a = {}, b = {}, min = {}, max = {} }} }}",
                num(*a),
                num(*b),
                num(*lo),
                num(*hi)
            ),
            Dist::LogNormal { mu, sigma } => format!(
                "{{ lognormal = {{ mu = {}, sigma = {} }} }}",
                num(*mu),
                num(*sigma)
            ),
        },
    }
}

fn value_fn(s: &Scenario, c: &Clause, f: &ValueFn) -> String {
    match f {
        ValueFn::Table { values } => {
            let keys: Vec<String> = match c.kind() {
                ClauseKind::Choice { options } => options.clone(),
                _ => vec!["false".into(), "true".into()],
            };
            let entries: Vec<String> = keys
                .iter()
                .zip(values)
                .map(|(k, v)| format!("{} = {}", key(k), param(s, *v)))
                .collect();
            format!("{{ table = {{ {} }} }}", entries.join(", "))
        }
        ValueFn::Linear { worst, best } => format!(
            "{{ linear = {{ worst = {}, best = {} }} }}",
            param(s, *worst),
            param(s, *best)
        ),
        ValueFn::Power {
            worst,
            best,
            exponent,
        } => format!(
            "{{ power = {{ worst = {}, best = {}, exponent = {} }} }}",
            param(s, *worst),
            param(s, *best),
            param(s, *exponent)
        ),
        ValueFn::Logistic { midpoint, scale } => format!(
            "{{ logistic = {{ midpoint = {}, scale = {} }} }}",
            param(s, *midpoint),
            param(s, *scale)
        ),
        ValueFn::Piecewise { xs, vs } => {
            let pts: Vec<String> = xs
                .iter()
                .zip(vs)
                .map(|(x, v)| format!("[{}, {}]", num(*x), param(s, *v)))
                .collect();
            format!("{{ piecewise = [{}] }}", pts.join(", "))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_strings_are_quoted_when_needed() {
        assert_eq!(key("troop_cap"), "troop_cap");
        assert_eq!(key("External Monitor"), "\"External Monitor\"");
        assert_eq!(quote("19'' LCD"), "\"19'' LCD\"");
        assert_eq!(quote("a\"b\\c"), "\"a\\\"b\\\\c\"");
        assert_eq!(num(1.0), "1.0");
        assert_eq!(num(0.1), "0.1");
    }

    #[test]
    fn step_discount_reaches_the_genius_factor_at_the_deadline() {
        let d = step_discount(0.5, 11);
        assert!((d.powi(10) - 0.5).abs() < 1e-12);
        assert_eq!(step_discount(0.5, 1), 1.0);
    }
}
