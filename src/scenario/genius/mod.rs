//! GENIUS (ANAC) negotiation domains → accord.
//!
//! A GENIUS domain is an XML file listing issues and their values; each party's preferences
//! are a utility-space ("profile") XML over that domain. Two profile kinds are read:
//!
//! - additive (`LinearAdditive`): per issue a weight and an evaluator. A discrete issue's
//!   value `v` is worth `e(v) / max_v e(v)` (each evaluation divided by the issue's largest);
//!   an integer issue is worth `clamp(offset + slope·(v − lowerbound), 0, 1)`; a real issue
//!   `clamp(parameter0 + parameter1·v, 0, 1)`. Utility is `Σ_i w_i · value_i`.
//! - nonlinear hyperrectangle profiles (`type="nonlinear"`, as in S-1NIKFRT-1):
//!   utility is the sum of the utilities of the hyperrectangles an outcome lies in, divided
//!   by `maxutility`. accord's utilities are additive, so these cannot become a scenario;
//!   [`crate::analysis::outcomes`] analyses them directly.
//!
//! GeniusWeb JSON (a domain `{"name", "issuesValues"}` and `LinearAdditiveUtilitySpace`
//! profiles with `discreteutils`) is read too; there value utilities are used as given (no
//! division by the largest) and a `reservationBid` sets the reservation to that bid's utility.
//!
//! Every failure is an [`Error::Scenario`] naming the file, with the line and column where
//! the XML or JSON parser, or the element at fault, gives one (exit code 2).

mod web;
mod write;
mod xml;

use std::ops::Range;
use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::model::*;

pub use self::write::{ImportProtocol, WriteOptions, step_discount, to_toml};

/// How far a profile's weights may sum from 1 (the Laptop profiles sum to 1.0000518).
pub const WEIGHT_SUM_TOLERANCE: f64 = 0.01;

/// One issue of a domain.
#[derive(Debug, Clone, PartialEq)]
pub struct Issue {
    pub name: String,
    pub kind: IssueKind,
}

/// The values an issue takes.
#[derive(Debug, Clone, PartialEq)]
pub enum IssueKind {
    /// Named values, in file order.
    Discrete { values: Vec<String> },
    /// Whole numbers from `lo` to `hi`.
    Integer { lo: i64, hi: i64 },
    /// Real numbers from `lo` to `hi`.
    Real { lo: f64, hi: f64 },
}

impl IssueKind {
    fn describe(&self) -> &'static str {
        match self {
            IssueKind::Discrete { .. } => "discrete",
            IssueKind::Integer { .. } => "integer",
            IssueKind::Real { .. } => "real",
        }
    }
}

/// A negotiation domain: its issues in file order.
#[derive(Debug, Clone, PartialEq)]
pub struct Domain {
    /// The file it came from, as given.
    pub path: PathBuf,
    pub issues: Vec<Issue>,
}

impl Domain {
    fn issue_index(&self, name: &str) -> Option<usize> {
        self.issues.iter().position(|i| i.name == name)
    }

    fn issue_names(&self) -> String {
        self.issues
            .iter()
            .map(|i| format!("`{}`", i.name))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Number of outcomes, when every issue is discrete or integer (saturating).
    pub fn outcome_count(&self) -> Option<u128> {
        self.issues.iter().try_fold(1u128, |n, i| {
            let k = match &i.kind {
                IssueKind::Discrete { values } => values.len() as u128,
                // In 128 bits: the bounds may span all of i64.
                IssueKind::Integer { lo, hi } => (*hi as i128 - *lo as i128 + 1) as u128,
                IssueKind::Real { .. } => return None,
            };
            Some(n.saturating_mul(k))
        })
    }
}

/// How one issue's value is evaluated by an additive profile, on `[0, 1]`.
#[derive(Debug, Clone, PartialEq)]
pub enum Evaluator {
    /// One value per domain value (already divided by the largest evaluation for XML).
    Table(Vec<f64>),
    /// `clamp(offset + slope·(x − origin), 0, 1)`.
    Linear {
        origin: f64,
        slope: f64,
        offset: f64,
    },
}

impl Evaluator {
    /// The value of domain value `x` (a value index for tables, the number otherwise).
    pub fn eval(&self, x: f64) -> f64 {
        match self {
            Evaluator::Table(v) => v[x as usize],
            Evaluator::Linear {
                origin,
                slope,
                offset,
            } => (offset + slope * (x - origin)).clamp(0.0, 1.0),
        }
    }
}

/// A hyperrectangle of a nonlinear profile: its utility counts when every constraint holds.
#[derive(Debug, Clone, PartialEq)]
pub struct HyperRect {
    /// The rectangle's utility times its ufun's weight.
    pub utility: f64,
    /// `(issue, min, max, include)`: the issue's value lies in `[min, max]` (include) or
    /// outside it (exclude).
    pub constraints: Vec<(usize, f64, f64, bool)>,
}

impl HyperRect {
    /// Whether the outcome `x` (one number per issue) lies in the rectangle.
    pub fn contains(&self, x: &[f64]) -> bool {
        self.constraints
            .iter()
            .all(|&(i, lo, hi, inc)| (x[i] >= lo && x[i] <= hi) == inc)
    }
}

/// A profile's utility function.
#[derive(Debug, Clone, PartialEq)]
pub enum Utility {
    /// `Σ_i weights[i] · evaluators[i](x_i)`, both indexed by domain issue.
    Additive {
        weights: Vec<f64>,
        evaluators: Vec<Evaluator>,
    },
    /// `Σ_{rectangles containing x} utility / max`.
    Hyper { max: f64, rects: Vec<HyperRect> },
}

/// One party's preferences over a domain.
#[derive(Debug, Clone, PartialEq)]
pub struct Profile {
    /// Party name: the file's stem, made unique among the profiles.
    pub name: String,
    pub path: PathBuf,
    pub utility: Utility,
    /// Utility of no agreement (0 when the file gives none).
    pub reservation: f64,
    /// GENIUS time discount `d` (a deal at normalised time `t` is worth `u·d^t`), when the
    /// file gives one in (0, 1); GENIUS treats other values as no discount.
    pub discount: Option<f64>,
}

impl Profile {
    /// The GENIUS utility of the outcome `x` (a value index for discrete issues, the number
    /// for integer and real ones), with weights as in the file.
    pub fn utility(&self, x: &[f64]) -> f64 {
        match &self.utility {
            Utility::Additive {
                weights,
                evaluators,
            } => weights
                .iter()
                .zip(evaluators)
                .zip(x)
                .map(|((w, e), &v)| w * e.eval(v))
                .sum(),
            Utility::Hyper { max, rects } => {
                rects
                    .iter()
                    .filter(|r| r.contains(x))
                    .map(|r| r.utility)
                    .sum::<f64>()
                    / max
            }
        }
    }

    /// Sum of an additive profile's weights (1 for nonlinear profiles).
    pub fn weight_sum(&self) -> f64 {
        match &self.utility {
            Utility::Additive { weights, .. } => weights.iter().sum(),
            Utility::Hyper { .. } => 1.0,
        }
    }
}

/// A domain and the profiles of the parties negotiating over it.
#[derive(Debug, Clone, PartialEq)]
pub struct GeniusSet {
    pub domain: Domain,
    pub profiles: Vec<Profile>,
}

impl GeniusSet {
    /// Whether every profile is additive (so the set can become an accord scenario).
    pub fn is_additive(&self) -> bool {
        self.profiles
            .iter()
            .all(|p| matches!(p.utility, Utility::Additive { .. }))
    }
}

/// The file syntax of a GENIUS domain or profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// GENIUS XML.
    Xml,
    /// GeniusWeb JSON.
    Json,
}

impl FileKind {
    /// JSON for a `.json` extension, XML otherwise.
    pub fn from_path(path: &Path) -> FileKind {
        match path.extension().and_then(|e| e.to_str()) {
            Some(e) if e.eq_ignore_ascii_case("json") => FileKind::Json,
            _ => FileKind::Xml,
        }
    }
}

/// Reads a domain and its profiles (GENIUS XML, or GeniusWeb JSON by a `.json` extension).
pub fn load(domain: &Path, profiles: &[PathBuf]) -> Result<GeniusSet, Error> {
    let domain_text = read_text(domain)?;
    let profiles = profiles
        .iter()
        .map(|p| Ok((p.clone(), read_text(p)?)))
        .collect::<Result<Vec<_>, Error>>()?;
    from_texts(domain, &domain_text, &profiles)
}

/// Reads a domain and its profiles from their texts (as [`decode`] gives them); the paths
/// name the files in messages and choose the syntax by their extension, as in [`load`].
pub fn from_texts(
    domain: &Path,
    domain_text: &str,
    profiles: &[(PathBuf, String)],
) -> Result<GeniusSet, Error> {
    let kind = FileKind::from_path(domain);
    let dom = match kind {
        FileKind::Xml => xml::domain(domain, domain_text)?,
        FileKind::Json => web::domain(domain, domain_text)?,
    };
    let mut out = Vec::with_capacity(profiles.len());
    for (path, text) in profiles {
        let mut p = match FileKind::from_path(path) {
            FileKind::Xml if kind == FileKind::Xml => xml::profile(path, text, &dom)?,
            FileKind::Json if kind == FileKind::Json => web::profile(path, text, &dom)?,
            _ => {
                return Err(bad(
                    path,
                    text,
                    None,
                    format!(
                        "the domain {} is {} but this profile is not: give profiles in the domain's format",
                        domain.display(),
                        if kind == FileKind::Xml {
                            "GENIUS XML"
                        } else {
                            "GeniusWeb JSON"
                        }
                    ),
                ));
            }
        };
        p.name = unique_name(&p.name, &out);
        out.push(p);
    }
    Ok(GeniusSet {
        domain: dom,
        profiles: out,
    })
}

fn unique_name(stem: &str, taken: &[Profile]) -> String {
    let base = if stem.trim().is_empty() {
        "party"
    } else {
        stem
    };
    let mut name = base.to_string();
    let mut k = 2;
    while taken.iter().any(|p| p.name == name) {
        name = format!("{base}_{k}");
        k += 1;
    }
    name
}

/// The file's text, by [`decode`].
fn read_text(path: &Path) -> Result<String, Error> {
    let bytes = std::fs::read(path).map_err(|e| Error::Read {
        path: path.to_path_buf(),
        source: e,
    })?;
    Ok(decode(bytes))
}

/// A GENIUS file's bytes as text: UTF-8 (a byte-order mark dropped), else read as Latin-1,
/// which older GENIUS files use.
pub fn decode(bytes: Vec<u8>) -> String {
    let text = match String::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => e.into_bytes().iter().map(|&b| b as char).collect(),
    };
    text.strip_prefix('\u{feff}')
        .map(str::to_string)
        .unwrap_or(text)
}

/// A bad-input error about `path`, pointing at `span` of its text when known.
pub(crate) fn bad(
    path: &Path,
    text: &str,
    span: Option<Range<usize>>,
    message: impl Into<String>,
) -> Error {
    super::located(
        text,
        &path.display().to_string(),
        span,
        message.into(),
        None,
    )
}

/// Adds a help text to an error made by [`bad`].
pub(crate) fn with_help(mut e: Error, help: impl Into<String>) -> Error {
    if let Error::Scenario(s) = &mut e {
        s.help = Some(crate::text::escape_controls(&help.into()).into_owned());
    }
    e
}

/// The party name a profile file gives: its stem.
fn stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// An imported additive set as an accord scenario: one clause per issue (a `choice` for
/// discrete issues, an integer or real `range` otherwise), one veto party per profile with
/// threshold acceptance, the profile's weights, a value function per issue (a `table` of
/// `e(v) / max e` for discrete issues, `linear` for integer and real ones) and its
/// reservation. The scenario has no proposals yet and a placeholder ratify protocol: the
/// caller adds both (see `accord import genius`). GENIUS discount factors have no place in
/// the model's parties; they are in [`GeniusSet::profiles`].
pub fn to_scenario(set: &GeniusSet) -> Result<Scenario, Error> {
    let dom = &set.domain;
    let mut clauses = Vec::with_capacity(dom.issues.len());
    for issue in &dom.issues {
        let name = issue.name.clone();
        let clause = match &issue.kind {
            IssueKind::Discrete { values } => Clause::choice(name, values.clone()),
            IssueKind::Integer { lo, hi } => {
                Clause::range(name, *lo as f64, *hi as f64, true, None)
            }
            IssueKind::Real { lo, hi } => Clause::range(name, *lo, *hi, false, None),
        };
        // The reader checks bounds and values as it reads them; this is what it let through.
        let clause = clause.map_err(|e| {
            let text = read_text(&dom.path).unwrap_or_default();
            bad(
                &dom.path,
                &text,
                None,
                format!("issue `{}`: {e}", issue.name),
            )
        })?;
        clauses.push(clause);
    }
    let mut parties = Vec::with_capacity(set.profiles.len());
    for p in &set.profiles {
        let Utility::Additive {
            weights,
            evaluators,
        } = &p.utility
        else {
            let text = read_text(&p.path).unwrap_or_default();
            return Err(with_help(
                bad(
                    &p.path,
                    &text,
                    None,
                    "this is a nonlinear (hyperrectangle) profile: accord scenarios have additive utilities, so it cannot be imported",
                ),
                format!(
                    "`accord analyse {} PROFILES...` analyses such a domain directly",
                    dom.path.display()
                ),
            ));
        };
        let values = evaluators
            .iter()
            .zip(&clauses)
            .map(|(e, c)| Some(value_fn(e, c)))
            .collect();
        parties.push(Party {
            name: p.name.clone(),
            description: None,
            veto: true,
            weights: weights.iter().map(|&w| Param::Fixed(w)).collect(),
            values,
            reservation: Param::Fixed(p.reservation),
            accept: AcceptRule::Threshold,
            reference: None,
            negotiation: Default::default(),
        });
    }
    let stem_of = |p: &Path| stem(p);
    let mut sources = vec![dom.path.display().to_string()];
    sources.extend(set.profiles.iter().map(|p| p.path.display().to_string()));
    Ok(Scenario {
        name: format!("GENIUS domain {}", stem_of(&dom.path)),
        description: Some(format!(
            "Imported from GENIUS: domain {} with the profiles of {}.",
            file_name(&dom.path),
            set.profiles
                .iter()
                .map(|p| p.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )),
        sources,
        basis: Basis::default(),
        clauses,
        proposals: Vec::new(),
        parties,
        uncertain: Vec::new(),
        correlations: Vec::new(),
        protocol: ProtocolSpec::Ratify {
            proposals: Vec::new(),
            rule: Default::default(),
        },
        simulation: SimulationSpec {
            rounds: 1_000,
            seed: 1,
        },
    })
}

fn file_name(p: &Path) -> String {
    p.file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| p.display().to_string())
}

/// The accord value function equal to an evaluator on clause `c`.
fn value_fn(e: &Evaluator, c: &Clause) -> ValueFn {
    match e {
        Evaluator::Table(v) => ValueFn::Table {
            values: v.iter().map(|&x| Param::Fixed(x)).collect(),
        },
        &Evaluator::Linear {
            origin,
            slope,
            offset,
        } => {
            let (min, max) = match *c.kind() {
                ClauseKind::Range { min, max, .. } => (min, max),
                _ => (0.0, 1.0),
            };
            if slope != 0.0 {
                // clamp(offset + slope·(x − origin), 0, 1) is 0 at `worst`, 1 at `best`.
                let worst = origin - offset / slope;
                let best = worst + 1.0 / slope;
                ValueFn::Linear {
                    worst: Param::Fixed(worst),
                    best: Param::Fixed(best),
                }
            } else {
                let v = Param::Fixed(offset.clamp(0.0, 1.0));
                ValueFn::Piecewise {
                    xs: vec![min, max],
                    vs: vec![v, v],
                }
            }
        }
    }
}

/// Checks an additive profile's weights: each finite and at least 0, summing to 1 within
/// [`WEIGHT_SUM_TOLERANCE`].
fn check_weight_sum(weights: &[f64]) -> Result<(), String> {
    let sum: f64 = weights.iter().sum();
    if (sum - 1.0).abs() > WEIGHT_SUM_TOLERANCE {
        return Err(format!(
            "the issue weights sum to {sum}, not 1 (GENIUS additive profiles need weights summing to 1; accepted within {WEIGHT_SUM_TOLERANCE})"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn linear_evaluators_become_linear_value_functions() {
        let c = Clause::range("x", 0.0, 10.0, true, None).unwrap();
        let e = Evaluator::Linear {
            origin: 2.0,
            slope: 0.25,
            offset: 0.1,
        };
        let f = value_fn(&e, &c);
        for x in 0..=10 {
            let x = x as f64;
            assert!((f.eval(x, &[]) - e.eval(x)).abs() < 1e-12, "x = {x}");
        }
        let flat = Evaluator::Linear {
            origin: 0.0,
            slope: 0.0,
            offset: 0.3,
        };
        assert_eq!(value_fn(&flat, &c).eval(4.0, &[]), 0.3);
    }

    #[test]
    fn outcome_counts_do_not_overflow() {
        let d = Domain {
            path: "d.xml".into(),
            issues: vec![Issue {
                name: "n".into(),
                kind: IssueKind::Integer {
                    lo: i64::MIN,
                    hi: i64::MAX,
                },
            }],
        };
        assert_eq!(d.outcome_count(), Some(1u128 << 64));
    }

    #[test]
    fn names_are_made_unique() {
        let p = Profile {
            name: "a".into(),
            path: "a.xml".into(),
            utility: Utility::Hyper {
                max: 1.0,
                rects: vec![],
            },
            reservation: 0.0,
            discount: None,
        };
        assert_eq!(unique_name("a", std::slice::from_ref(&p)), "a_2");
        assert_eq!(unique_name("b", &[p]), "b");
    }
}
