//! Serde mirror of the scenario file, before validation. Field names are the file's keys.

use indexmap::IndexMap;
use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use std::fmt;

use crate::model::Dist;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawScenario {
    pub scenario: RawMeta,
    pub clauses: IndexMap<String, RawClause>,
    #[serde(default)]
    pub proposals: IndexMap<String, IndexMap<String, RawScalar>>,
    pub parties: IndexMap<String, RawParty>,
    #[serde(default)]
    pub correlation: Vec<RawCorrelation>,
    pub protocol: Option<RawProtocol>,
    pub simulation: Option<RawSimulation>,
    /// Events of dynamic protocols (`[[events]]`).
    #[serde(default)]
    pub events: Vec<RawEvent>,
    /// `[basis]`: which inputs are reported facts and which assumptions.
    pub basis: Option<RawBasis>,
}

/// `[basis]`: notes on clauses, proposals and parties' settings, by name.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawBasis {
    #[serde(default)]
    pub clauses: IndexMap<String, RawNote>,
    #[serde(default)]
    pub proposals: IndexMap<String, RawNote>,
    /// Party name → setting (`weights`, `reservation`, …) → note.
    #[serde(default)]
    pub parties: IndexMap<String, IndexMap<String, RawNote>>,
    /// One note on all the `[[correlation]]` groups.
    pub correlation: Option<RawNote>,
}

/// One note: exactly one of `fact` and `assumption`, with the numbers of the sources it
/// cites (from 1, in `[scenario] sources`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawNote {
    pub fact: Option<String>,
    pub assumption: Option<String>,
    #[serde(default)]
    pub sources: Vec<i64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMeta {
    pub name: String,
    pub description: Option<String>,
    #[serde(default)]
    pub sources: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawClause {
    pub kind: String,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub integer: Option<bool>,
    pub unit: Option<String>,
    pub options: Option<Vec<String>>,
    pub description: Option<String>,
    /// What may be offered: option names (choice), `true`/`false` (bool), or `[lo, hi]`
    /// (range).
    pub negotiable: Option<Vec<RawScalar>>,
}

/// A clause value in a proposal: a number, a bool or an option name.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum RawScalar {
    Bool(bool),
    Number(f64),
    Text(String),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawParty {
    pub description: Option<String>,
    pub veto: Option<bool>,
    #[serde(default)]
    pub weights: IndexMap<String, RawParam>,
    #[serde(default)]
    pub values: IndexMap<String, RawValueFn>,
    pub reservation: RawParam,
    pub accept: Option<RawAccept>,
    pub reference: Option<String>,
    pub loss_aversion: Option<RawParam>,
    /// Dynamic protocols: per-step discount factor.
    pub discount: Option<RawParam>,
    /// Dynamic protocols: how the party concedes.
    pub tactic: Option<RawTactic>,
    /// The alternating protocol: how the party answers offers.
    pub respond: Option<RawRespond>,
    /// A weighted rule: the party's vote weight (default 1).
    pub vote_weight: Option<f64>,
}

/// `[parties.X.tactic]`: `kind` picks the tactic; the other keys are its parameters.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTactic {
    pub kind: String,
    pub e: Option<RawParam>,
    pub k: Option<RawParam>,
    pub min: Option<RawParam>,
    pub max: Option<RawParam>,
    pub level: Option<RawParam>,
    pub factor: Option<RawParam>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum RawRespond {
    Next,
    Threshold(RawParam),
    ReservationNearDeadline(i64),
}

/// `[[events]]`: a step and exactly one of the event keys.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawEvent {
    pub step: i64,
    pub shift_reservation: Option<RawShift>,
    pub leave: Option<String>,
    pub deadline: Option<i64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawShift {
    pub party: String,
    pub by: RawParam,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "lowercase", deny_unknown_fields)]
pub enum RawValueFn {
    Linear {
        worst: RawParam,
        best: RawParam,
    },
    Power {
        worst: RawParam,
        best: RawParam,
        exponent: RawParam,
    },
    Logistic {
        midpoint: RawParam,
        scale: RawParam,
    },
    Piecewise(Vec<RawPoint>),
    Table(IndexMap<String, RawParam>),
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "lowercase", deny_unknown_fields)]
pub enum RawAccept {
    Threshold,
    Logit { temperature: RawParam },
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCorrelation {
    pub params: Vec<String>,
    pub matrix: Vec<Vec<f64>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawProtocol {
    pub kind: String,
    pub proposals: Option<Vec<String>>,
    /// Dynamic protocols: the negotiators in turn order.
    pub order: Option<Vec<String>>,
    pub deadline: Option<i64>,
    pub breakdown: Option<f64>,
    pub resolution: Option<i64>,
    /// Mediated: the proposal the single text starts from.
    pub start: Option<String>,
    /// Mediated: a party's name, or "neutral".
    pub mediator: Option<String>,
    /// The agreement rule (default: unanimity of the veto holders).
    pub rule: Option<RawRule>,
    /// Baron–Ferejohn: the members' common per-step discount.
    pub discount: Option<f64>,
    /// Baron–Ferejohn: each member's probability of being recognised (default equal).
    pub recognition: Option<IndexMap<String, f64>>,
    /// Equilibrium: the clauses are the shares of one pie.
    pub pie: Option<bool>,
}

/// `[protocol] rule`: `"unanimity"`, `{ quota = q }` or `{ weighted = { threshold = t } }`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum RawRule {
    Unanimity,
    Quota(i64),
    Weighted(RawWeighted),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawWeighted {
    pub threshold: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSimulation {
    pub rounds: Option<u64>,
    pub seed: Option<u64>,
}

/// A numeric parameter: a number or a one-key table naming a distribution.
#[derive(Debug, Clone, PartialEq)]
pub enum RawParam {
    Fixed(f64),
    Dist(Dist),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NormalArgs {
    mean: f64,
    sd: f64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BetaArgs {
    a: f64,
    b: f64,
    #[serde(default)]
    min: Option<f64>,
    #[serde(default)]
    max: Option<f64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LogNormalArgs {
    mu: f64,
    sigma: f64,
}

/// Distribution families accepted in a parameter's place.
pub const DIST_FAMILIES: [&str; 5] = ["normal", "uniform", "triangular", "beta", "lognormal"];

impl<'de> Deserialize<'de> for RawParam {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct ParamVisitor;
        impl<'de> Visitor<'de> for ParamVisitor {
            type Value = RawParam;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(
                    "a number or a distribution such as { normal = { mean = 0.5, sd = 0.1 } }, \
                     { uniform = [lo, hi] }, { triangular = [lo, mode, hi] }, \
                     { beta = { a = 2, b = 5 } } or { lognormal = { mu = 0, sigma = 0.5 } }",
                )
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<RawParam, E> {
                Ok(RawParam::Fixed(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<RawParam, E> {
                Ok(RawParam::Fixed(v as f64))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<RawParam, E> {
                Ok(RawParam::Fixed(v as f64))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawParam, A::Error> {
                let Some(family) = map.next_key::<String>()? else {
                    return Err(de::Error::custom(
                        "empty table: expected a distribution such as { normal = { mean = 0.5, sd = 0.1 } }",
                    ));
                };
                let dist = match family.as_str() {
                    "normal" => {
                        let a: NormalArgs = map.next_value()?;
                        Dist::Normal {
                            mean: a.mean,
                            sd: a.sd,
                        }
                    }
                    "uniform" => {
                        let Numbers([lo, hi]) = map.next_value()?;
                        Dist::Uniform { lo, hi }
                    }
                    "triangular" => {
                        let Numbers([lo, mode, hi]) = map.next_value()?;
                        Dist::Triangular { lo, mode, hi }
                    }
                    "beta" => {
                        let a: BetaArgs = map.next_value()?;
                        Dist::Beta {
                            a: a.a,
                            b: a.b,
                            lo: a.min.unwrap_or(0.0),
                            hi: a.max.unwrap_or(1.0),
                        }
                    }
                    "lognormal" => {
                        let a: LogNormalArgs = map.next_value()?;
                        Dist::LogNormal {
                            mu: a.mu,
                            sigma: a.sigma,
                        }
                    }
                    other => return Err(de::Error::unknown_variant(other, &DIST_FAMILIES)),
                };
                if let Some(extra) = map.next_key::<String>()? {
                    return Err(de::Error::custom(format!(
                        "a distribution table has exactly one key, found a second one `{extra}`"
                    )));
                }
                dist.validate().map_err(de::Error::custom)?;
                Ok(RawParam::Dist(dist))
            }
        }
        d.deserialize_any(ParamVisitor)
    }
}

/// Exactly `N` numbers in a list (`[lo, hi]`, `[lo, mode, hi]`). Serde's own arrays let the
/// TOML reader drop extra elements silently; this refuses them, and the error is raised
/// while the list is read, so its location is the list's.
struct Numbers<const N: usize>([f64; N]);

impl<'de, const N: usize> Deserialize<'de> for Numbers<N> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<const N: usize>;
        impl<'de, const N: usize> Visitor<'de> for V<N> {
            type Value = Numbers<N>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                match N {
                    2 => f.write_str("a list of exactly 2 numbers [lo, hi]"),
                    3 => f.write_str("a list of exactly 3 numbers [lo, mode, hi]"),
                    _ => write!(f, "a list of exactly {N} numbers"),
                }
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Numbers<N>, A::Error> {
                let mut out = [0.0; N];
                for (i, slot) in out.iter_mut().enumerate() {
                    *slot = seq
                        .next_element()?
                        .ok_or_else(|| de::Error::invalid_length(i, &self))?;
                }
                let mut len = N;
                while seq.next_element::<de::IgnoredAny>()?.is_some() {
                    len += 1;
                }
                if len != N {
                    return Err(de::Error::invalid_length(len, &self));
                }
                Ok(Numbers(out))
            }
        }
        d.deserialize_seq(V::<N>)
    }
}

/// A point `[x, value]` of a piecewise value function: exactly two elements.
#[derive(Debug)]
pub struct RawPoint(pub f64, pub RawParam);

impl<'de> Deserialize<'de> for RawPoint {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawPoint;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a point [x, value] of exactly 2 elements")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<RawPoint, A::Error> {
                let x = seq
                    .next_element()?
                    .ok_or_else(|| de::Error::invalid_length(0, &self))?;
                let v = seq
                    .next_element()?
                    .ok_or_else(|| de::Error::invalid_length(1, &self))?;
                let mut len = 2;
                while seq.next_element::<de::IgnoredAny>()?.is_some() {
                    len += 1;
                }
                if len != 2 {
                    return Err(de::Error::invalid_length(len, &self));
                }
                Ok(RawPoint(x, v))
            }
        }
        d.deserialize_seq(V)
    }
}
