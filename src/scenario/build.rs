//! Validation: raw file structs → the immutable [`Scenario`]. Every error carries the key path
//! it is about, so the loader can point at the line and column in the file.

use indexmap::IndexMap;
use nalgebra::DMatrix;

use super::raw::*;
use super::suggest::did_you_mean;

pub(crate) mod bargaining;
pub(crate) mod basis;
pub(crate) mod voting;
use crate::model::dist::Truncated;
use crate::model::*;
use crate::text::Num;

/// Whether an error points at a key or at its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Key,
    Value,
}

/// A validation failure at a key path.
#[derive(Debug, Clone, PartialEq)]
pub struct BuildError {
    pub path: Vec<String>,
    pub target: Target,
    pub message: String,
    pub help: Option<String>,
}

type Result<T> = std::result::Result<T, BuildError>;

fn err(path: &[&str], message: impl Into<String>) -> BuildError {
    BuildError {
        path: path.iter().map(|s| s.to_string()).collect(),
        target: Target::Value,
        message: message.into(),
        help: None,
    }
}

fn key_err(path: &[&str], message: impl Into<String>, help: Option<String>) -> BuildError {
    BuildError {
        target: Target::Key,
        help,
        ..err(path, message)
    }
}

/// An unknown name among `known`: an error on the key with a suggestion.
fn unknown(path: &[&str], what: &str, name: &str, known: &[&str]) -> BuildError {
    // "party" → "parties"; every other noun here takes an "s".
    let whats = match what.strip_suffix('y') {
        Some(stem) => format!("{stem}ies"),
        None => format!("{what}s"),
    };
    let help = match did_you_mean(name, known.iter().copied()) {
        Some(s) => format!("did you mean `{s}`? Valid {whats}: {}", known.join(", ")),
        None if known.is_empty() => format!("no {what} is defined"),
        None => format!("valid {whats}: {}", known.join(", ")),
    };
    key_err(path, format!("unknown {what} `{name}`"), Some(help))
}

/// Builds the scenario from its raw form.
pub fn build(raw: RawScenario) -> Result<Scenario> {
    let mut b = Builder::default();
    if raw.scenario.name.trim().is_empty() {
        return Err(err(&["scenario", "name"], "the scenario name is empty"));
    }
    let clauses = raw
        .clauses
        .iter()
        .map(|(name, c)| build_clause(name, c))
        .collect::<Result<Vec<_>>>()?;
    if clauses.is_empty() {
        return Err(err(&["clauses"], "a scenario needs at least one clause"));
    }
    let clause_names: Vec<&str> = clauses.iter().map(|c| c.name.as_str()).collect();

    let proposals = raw
        .proposals
        .iter()
        .map(|(name, values)| {
            Ok(Proposal {
                name: name.clone(),
                description: None,
                deal: build_deal(name, values, &clauses, &clause_names)?,
            })
        })
        .collect::<Result<Vec<_>>>()?;

    if raw.parties.is_empty() {
        return Err(err(&["parties"], "a scenario needs at least one party"));
    }
    let mut parties = Vec::with_capacity(raw.parties.len());
    for (name, p) in &raw.parties {
        parties.push(b.party(name, p, &clauses, &clause_names, &proposals)?);
    }
    let rule = voting::rule(&raw)?;
    voting::apply_veto_default(&raw, &rule, &mut parties);
    if rule.is_unanimity() && !parties.iter().any(|p| p.veto) {
        return Err(err(
            &["parties"],
            "no party holds a veto: agreement would mean nothing. Set `veto = true` on at least one party",
        ));
    }

    bargaining::check_party_keys(&raw)?;
    for (party, n) in parties
        .iter_mut()
        .zip(bargaining::negotiations(&mut b, &raw)?)
    {
        party.negotiation = n;
    }

    let correlations = raw
        .correlation
        .iter()
        .enumerate()
        .map(|(i, c)| b.correlation(i, c))
        .collect::<Result<Vec<_>>>()?;

    let protocol = match raw.protocol.as_ref().map(|p| p.kind.as_str()) {
        Some(kind) if bargaining::DYNAMIC_KINDS.contains(&kind) => {
            bargaining::protocol(&mut b, &raw, &clauses, &proposals, &parties, rule)?
        }
        _ if voting::is_baron_ferejohn(&raw) => {
            voting::baron_ferejohn(&mut b, &raw, &clauses, &parties, rule)?
        }
        _ => {
            let protocol = build_protocol(raw.protocol.as_ref(), &proposals, rule)?;
            bargaining::check_ratify(&raw)?;
            protocol
        }
    };
    let mut simulation = SimulationSpec::default();
    if let Some(s) = &raw.simulation {
        if let Some(r) = s.rounds {
            if r == 0 || r > crate::model::MAX_ROUNDS {
                return Err(err(
                    &["simulation", "rounds"],
                    format!(
                        "rounds must be from 1 to {} (10¹²)",
                        crate::text::thousands(crate::model::MAX_ROUNDS)
                    ),
                ));
            }
            simulation.rounds = r;
        }
        if let Some(seed) = s.seed {
            simulation.seed = seed;
        }
    }

    let mut scenario = Scenario {
        name: raw.scenario.name.clone(),
        description: raw.scenario.description.clone(),
        sources: raw.scenario.sources.clone(),
        basis: Basis::default(),
        clauses,
        proposals,
        parties,
        uncertain: b.uncertain,
        correlations,
        protocol,
        simulation,
    };
    bargaining::breakdown(&raw, &mut scenario)?;
    scenario.basis = basis::basis(raw.basis.as_ref(), &scenario)?;
    Ok(scenario)
}

const CLAUSE_KINDS: [&str; 3] = ["range", "bool", "choice"];

fn build_clause(name: &str, c: &RawClause) -> Result<Clause> {
    let path = |k: &'static str| ["clauses", name, k];
    let clause = match c.kind.as_str() {
        "range" => {
            if c.options.is_some() {
                return Err(key_err(
                    &path("options"),
                    "a range clause has no options",
                    Some("use kind = \"choice\" for named options".into()),
                ));
            }
            let min = c.min.ok_or_else(|| {
                err(
                    &["clauses", name],
                    format!("range clause `{name}` needs `min`"),
                )
            })?;
            let max = c.max.ok_or_else(|| {
                err(
                    &["clauses", name],
                    format!("range clause `{name}` needs `max`"),
                )
            })?;
            Clause::range(name, min, max, c.integer.unwrap_or(false), c.unit.clone())
                .map_err(|e| clause_err(name, e))?
        }
        "bool" | "choice" => {
            for (key, present) in [
                ("min", c.min.is_some()),
                ("max", c.max.is_some()),
                ("integer", c.integer.is_some()),
                ("unit", c.unit.is_some()),
            ] {
                if present {
                    return Err(key_err(
                        &path(key),
                        format!("`{key}` applies only to range clauses"),
                        None,
                    ));
                }
            }
            if c.kind == "bool" {
                if c.options.is_some() {
                    return Err(key_err(
                        &path("options"),
                        "a bool clause has no options",
                        Some("use kind = \"choice\" for named options".into()),
                    ));
                }
                Clause::boolean(name)
            } else {
                let options = c.options.clone().ok_or_else(|| {
                    err(
                        &["clauses", name],
                        format!("choice clause `{name}` needs `options`"),
                    )
                })?;
                Clause::choice(name, options).map_err(|e| clause_err(name, e))?
            }
        }
        other => {
            return Err(unknown(&path("kind"), "clause kind", other, &CLAUSE_KINDS)
                .with_target(Target::Value));
        }
    };
    let clause = clause.with_description(c.description.clone());
    match &c.negotiable {
        None => Ok(clause),
        Some(list) => negotiable(clause, list),
    }
}

/// `clause` offering only what `[clauses.NAME] negotiable` lists.
fn negotiable(clause: Clause, list: &[RawScalar]) -> Result<Clause> {
    let name = clause.name.clone();
    let path = ["clauses", name.as_str(), "negotiable"];
    let set = match clause.kind() {
        ClauseKind::Range { .. } => match list {
            [RawScalar::Number(lo), RawScalar::Number(hi)] => {
                Negotiable::Range { lo: *lo, hi: *hi }
            }
            _ => {
                return Err(err(
                    &path,
                    format!(
                        "clause `{name}` is a range, so `negotiable` is its sub-range [lo, hi]: two numbers"
                    ),
                )
                .with_help(Some(format!(
                    "for example negotiable = [{}, {}]",
                    Num(clause.offer_bounds().map_or(0.0, |b| b.0)),
                    Num(clause.offer_bounds().map_or(1.0, |b| b.1))
                ))));
            }
        },
        _ => {
            if list.is_empty() {
                return Err(err(&path, ClauseError::NothingNegotiable.to_string()));
            }
            let mut ks = Vec::with_capacity(list.len());
            for (i, v) in list.iter().enumerate() {
                let at = i.to_string();
                let item = ["clauses", name.as_str(), "negotiable", at.as_str()];
                let k = clause_value(&clause, v).map_err(|m| err(&item, m.0).with_help(m.1))?;
                if ks.contains(&(k as usize)) {
                    return Err(err(
                        &item,
                        format!("{} is listed twice", clause.format_value(k)),
                    ));
                }
                ks.push(k as usize);
            }
            Negotiable::Options(ks)
        }
    };
    clause
        .with_negotiable(set)
        .map_err(|e| err(&path, e.to_string()))
}

/// A [`ClauseError`] at the key it is about.
fn clause_err(name: &str, e: ClauseError) -> BuildError {
    let key = match &e {
        ClauseError::NotFinite { bound, .. } | ClauseError::Fractional { bound, .. } => *bound,
        ClauseError::Empty { .. } => "max",
        ClauseError::NoOptions | ClauseError::Duplicate(_) => "options",
        ClauseError::NothingNegotiable
        | ClauseError::NegotiableOption(_)
        | ClauseError::NegotiableRange { .. }
        | ClauseError::NegotiableFraction { .. }
        | ClauseError::NegotiableKind(..) => "negotiable",
    };
    let help = match &e {
        ClauseError::Fractional { bound, value, .. } => Some(format!(
            "use {bound} = {}, or remove `integer = true`",
            Num(if *bound == "min" {
                value.ceil()
            } else {
                value.floor()
            })
        )),
        _ => None,
    };
    err(&["clauses", name, key], e.to_string()).with_help(help)
}

impl BuildError {
    fn with_target(mut self, target: Target) -> Self {
        self.target = target;
        self
    }
}

fn build_deal(
    name: &str,
    values: &IndexMap<String, RawScalar>,
    clauses: &[Clause],
    names: &[&str],
) -> Result<Deal> {
    for key in values.keys() {
        if !names.contains(&key.as_str()) {
            return Err(unknown(&["proposals", name, key], "clause", key, names));
        }
    }
    clauses
        .iter()
        .map(|c| {
            let path = ["proposals", name, c.name.as_str()];
            let v = values.get(&c.name).ok_or_else(|| {
                err(
                    &["proposals", name],
                    format!("proposal `{name}` has no value for clause `{}`", c.name),
                )
            })?;
            clause_value(c, v).map_err(|m| err(&path, m.0).with_help(m.1))
        })
        .collect()
}

impl BuildError {
    fn with_help(mut self, help: Option<String>) -> Self {
        self.help = help;
        self
    }
}

/// The stored value of `v` for clause `c`, or a message and a help text.
pub fn clause_value(
    c: &Clause,
    v: &RawScalar,
) -> std::result::Result<f64, (String, Option<String>)> {
    match (c.kind(), v) {
        (
            ClauseKind::Range {
                min, max, integer, ..
            },
            RawScalar::Number(x),
        ) => {
            let x = *x;
            if !x.is_finite() {
                return Err((
                    format!("`{}` must be a finite number, not {x}", c.name, x = Num(x)),
                    None,
                ));
            }
            if x < *min || x > *max {
                return Err((
                    format!(
                        "{} is outside the range of clause `{}`",
                        c.format_value(x),
                        c.name
                    ),
                    Some(format!("valid values: {}", c.describe_domain())),
                ));
            }
            if *integer && x.fract() != 0.0 {
                return Err((
                    format!(
                        "clause `{}` takes whole numbers, got {x}",
                        c.name,
                        x = Num(x)
                    ),
                    None,
                ));
            }
            Ok(x)
        }
        (ClauseKind::Bool, RawScalar::Bool(b)) => Ok(if *b { 1.0 } else { 0.0 }),
        (ClauseKind::Choice { options }, RawScalar::Text(s)) => {
            match options.iter().position(|o| o == s) {
                Some(i) => Ok(i as f64),
                None => {
                    let known: Vec<&str> = options.iter().map(String::as_str).collect();
                    let hint = did_you_mean(s, known.iter().copied())
                        .map(|m| format!("did you mean `{m}`? "))
                        .unwrap_or_default();
                    Err((
                        format!("`{s}` is not an option of clause `{}`", c.name),
                        Some(format!("{hint}options: {}", known.join(", "))),
                    ))
                }
            }
        }
        _ => Err((
            format!(
                "clause `{}` is {}, so its value must be {}",
                c.name,
                c.describe_domain(),
                expected_scalar(c)
            ),
            None,
        )),
    }
}

fn expected_scalar(c: &Clause) -> &'static str {
    match *c.kind() {
        ClauseKind::Range { .. } => "a number",
        ClauseKind::Bool => "true or false",
        ClauseKind::Choice { .. } => "an option name in quotes",
    }
}

const PROTOCOL_KINDS: [&str; 5] = [
    "ratify",
    "alternating",
    "mediated",
    "equilibrium",
    "baron_ferejohn",
];

fn build_protocol(
    raw: Option<&RawProtocol>,
    proposals: &[Proposal],
    rule: Rule,
) -> Result<ProtocolSpec> {
    let names: Vec<&str> = proposals.iter().map(|p| p.name.as_str()).collect();
    let kind = raw.map(|r| r.kind.as_str()).unwrap_or("ratify");
    match kind {
        "ratify" => {
            let mut chosen = Vec::new();
            if let Some(list) = raw.and_then(|r| r.proposals.as_ref()) {
                // An empty list would read as "every proposal" (as if the key were absent).
                if list.is_empty() {
                    return Err(err(
                        &["protocol", "proposals"],
                        "`proposals` is empty: it names the proposals to evaluate",
                    )
                    .with_help(Some(
                        "omit `proposals` to evaluate every proposal, or name some: proposals = [\"NAME\", ...]".into(),
                    )));
                }
                for (i, n) in list.iter().enumerate() {
                    let idx = proposals.iter().position(|p| &p.name == n).ok_or_else(|| {
                        unknown(
                            &["protocol", "proposals", &i.to_string()],
                            "proposal",
                            n,
                            &names,
                        )
                        .with_target(Target::Value)
                    })?;
                    chosen.push(idx);
                }
            }
            if proposals.is_empty() {
                return Err(err(
                    &["protocol"],
                    "the ratify protocol needs at least one proposal; add a [proposals.NAME] table",
                ));
            }
            Ok(ProtocolSpec::Ratify {
                proposals: chosen,
                rule,
            })
        }
        other => Err(
            unknown(&["protocol", "kind"], "protocol", other, &PROTOCOL_KINDS)
                .with_target(Target::Value),
        ),
    }
}

#[derive(Default)]
struct Builder {
    uncertain: Vec<UncertainParam>,
    /// Paths (as correlations name them) of the parameters that are fixed numbers, so that
    /// correlating one is reported as such rather than as an unknown name.
    fixed: Vec<String>,
    /// Slots already in a correlation group (a parameter belongs to at most one).
    grouped: Vec<usize>,
}

impl Builder {
    /// A parameter of `domain` at `path`; uncertain ones get a slot.
    fn param(&mut self, raw: &RawParam, domain: ParamDomain, path: &[&str]) -> Result<Param> {
        match raw {
            RawParam::Fixed(v) => {
                if domain.admits(*v) {
                    self.fixed.push(path[1..].join("."));
                    Ok(Param::Fixed(*v))
                } else {
                    Err(err(
                        path,
                        format!(
                            "`{}` must be {}, got {v}",
                            path.last().unwrap_or(&""),
                            domain.describe(),
                            v = Num(*v)
                        ),
                    ))
                }
            }
            RawParam::Dist(d) => {
                let (lo, hi) = domain.bounds();
                let dist = Truncated::new(d.clone(), lo, hi).map_err(|m| err(path, m))?;
                if dist.is_point() {
                    self.fixed.push(path[1..].join("."));
                    return Ok(Param::Fixed(dist.from_uniform(0.5)));
                }
                self.uncertain.push(UncertainParam {
                    path: path[1..].join("."),
                    dist,
                });
                Ok(Param::Slot(self.uncertain.len() - 1))
            }
        }
    }

    fn party(
        &mut self,
        name: &str,
        p: &RawParty,
        clauses: &[Clause],
        names: &[&str],
        proposals: &[Proposal],
    ) -> Result<Party> {
        let mut weights = vec![Param::Fixed(0.0); clauses.len()];
        for (clause, w) in &p.weights {
            let i = names.iter().position(|n| n == clause).ok_or_else(|| {
                unknown(
                    &["parties", name, "weights", clause],
                    "clause",
                    clause,
                    names,
                )
            })?;
            weights[i] = self.param(
                w,
                ParamDomain::Weight,
                &["parties", name, "weights", clause],
            )?;
        }
        if weights.iter().all(|w| *w == Param::Fixed(0.0)) {
            return Err(err(
                &["parties", name, "weights"],
                format!(
                    "party `{name}` has no positive weight: give at least one clause a weight above 0"
                ),
            ));
        }
        let mut values: Vec<Option<ValueFn>> = vec![None; clauses.len()];
        for (clause, f) in &p.values {
            let i = names.iter().position(|n| n == clause).ok_or_else(|| {
                unknown(
                    &["parties", name, "values", clause],
                    "clause",
                    clause,
                    names,
                )
            })?;
            values[i] =
                Some(self.value_fn(f, &clauses[i], &["parties", name, "values", clause])?);
        }
        for (i, c) in clauses.iter().enumerate() {
            if weights[i] != Param::Fixed(0.0) && values[i].is_none() {
                return Err(err(
                    &["parties", name, "values"],
                    format!(
                        "party `{name}` weighs clause `{}` but has no value function for it",
                        c.name
                    ),
                )
                .with_help(Some(format!(
                    "add values.{} = {}",
                    c.name,
                    example_value_fn(c)
                ))));
            }
        }
        let reservation = self.param(
            &p.reservation,
            ParamDomain::Unit,
            &["parties", name, "reservation"],
        )?;
        let accept = match &p.accept {
            None | Some(RawAccept::Threshold) => AcceptRule::Threshold,
            Some(RawAccept::Logit { temperature }) => AcceptRule::Logit {
                temperature: self.param(
                    temperature,
                    ParamDomain::Positive,
                    &["parties", name, "accept", "logit", "temperature"],
                )?,
            },
        };
        let reference = match (&p.reference, &p.loss_aversion) {
            (None, None) => None,
            (None, Some(_)) => {
                return Err(key_err(
                    &["parties", name, "loss_aversion"],
                    "loss_aversion needs a reference proposal",
                    Some("add reference = \"PROPOSAL\" to this party".into()),
                ));
            }
            (Some(r), la) => {
                let pnames: Vec<&str> = proposals.iter().map(|p| p.name.as_str()).collect();
                let prop = proposals.iter().find(|q| &q.name == r).ok_or_else(|| {
                    unknown(&["parties", name, "reference"], "proposal", r, &pnames)
                        .with_target(Target::Value)
                })?;
                let loss_aversion = match la {
                    Some(la) => self.param(
                        la,
                        ParamDomain::LossAversion,
                        &["parties", name, "loss_aversion"],
                    )?,
                    None => Param::Fixed(crate::model::party::DEFAULT_LOSS_AVERSION),
                };
                Some(Reference {
                    proposal: r.clone(),
                    deal: prop.deal.clone(),
                    loss_aversion,
                })
            }
        };
        Ok(Party {
            name: name.to_string(),
            description: p.description.clone(),
            veto: p.veto.unwrap_or(true),
            weights,
            values,
            reservation,
            accept,
            reference,
            negotiation: Negotiation::default(),
        })
    }

    fn value_fn(&mut self, f: &RawValueFn, clause: &Clause, path: &[&str]) -> Result<ValueFn> {
        let sub = |k: &'static str| -> Vec<&str> {
            let mut v = path.to_vec();
            v.push(k);
            v
        };
        let is_range = matches!(clause.kind(), ClauseKind::Range { .. });
        let family = match f {
            RawValueFn::Table(_) => "table",
            RawValueFn::Linear { .. } => "linear",
            RawValueFn::Power { .. } => "power",
            RawValueFn::Logistic { .. } => "logistic",
            RawValueFn::Piecewise(_) => "piecewise",
        };
        if is_range == (family == "table") {
            return Err(err(
                path,
                if is_range {
                    format!("clause `{}` is a range: use linear, power, logistic or piecewise, not table", clause.name)
                } else {
                    format!("clause `{}` is {}: use table, not {family}", clause.name, clause.describe_domain())
                },
            )
            .with_help(Some(format!("for example {}", example_value_fn(clause)))));
        }
        Ok(match f {
            RawValueFn::Linear { worst, best } => {
                let (worst, best) = self.ends(worst, best, &sub("linear"))?;
                ValueFn::Linear { worst, best }
            }
            RawValueFn::Power {
                worst,
                best,
                exponent,
            } => {
                let mut p = sub("power");
                let (worst, best) = self.ends(worst, best, &p)?;
                p.push("exponent");
                let exponent = self.param(exponent, ParamDomain::Positive, &p)?;
                ValueFn::Power {
                    worst,
                    best,
                    exponent,
                }
            }
            RawValueFn::Logistic { midpoint, scale } => {
                let mut p = sub("logistic");
                p.push("midpoint");
                let midpoint = self.param(midpoint, ParamDomain::Real, &p)?;
                p.pop();
                p.push("scale");
                let scale = self.param(scale, ParamDomain::Real, &p)?;
                if scale == Param::Fixed(0.0) {
                    return Err(err(
                        &p,
                        "scale must not be 0 (its sign sets the direction: negative values fall)",
                    ));
                }
                ValueFn::Logistic { midpoint, scale }
            }
            RawValueFn::Piecewise(points) => {
                let p = sub("piecewise");
                if points.len() < 2 {
                    return Err(err(&p, "piecewise needs at least two points [x, value]"));
                }
                let mut xs = Vec::with_capacity(points.len());
                let mut vs = Vec::with_capacity(points.len());
                for (i, RawPoint(x, v)) in points.iter().enumerate() {
                    let idx = i.to_string();
                    let mut pp = p.clone();
                    pp.push(&idx);
                    if !x.is_finite() {
                        return Err(err(
                            &pp,
                            format!("x must be a finite number, not {x}", x = Num(*x)),
                        ));
                    }
                    if let Some(prev) = xs.last()
                        && *x <= *prev
                    {
                        return Err(err(
                            &pp,
                            format!(
                                "piecewise x values must increase strictly: {x} follows {prev}",
                                x = Num(*x),
                                prev = Num(*prev)
                            ),
                        ));
                    }
                    xs.push(*x);
                    vs.push(self.param(v, ParamDomain::Unit, &pp)?);
                }
                ValueFn::Piecewise { xs, vs }
            }
            RawValueFn::Table(entries) => {
                let p = sub("table");
                let keys: Vec<String> = match clause.kind() {
                    ClauseKind::Choice { options } => options.clone(),
                    _ => vec!["false".into(), "true".into()],
                };
                let known: Vec<&str> = keys.iter().map(String::as_str).collect();
                for k in entries.keys() {
                    if !known.contains(&k.as_str()) {
                        let mut pp = p.clone();
                        pp.push(k);
                        return Err(unknown(&pp, "option", k, &known));
                    }
                }
                let mut values = Vec::with_capacity(keys.len());
                for k in &keys {
                    let raw = entries.get(k).ok_or_else(|| {
                        err(&p, format!("the table has no value for `{k}`"))
                            .with_help(Some(format!("give every one of: {}", known.join(", "))))
                    })?;
                    let mut pp = p.clone();
                    pp.push(k);
                    values.push(self.param(raw, ParamDomain::Unit, &pp)?);
                }
                ValueFn::Table { values }
            }
        })
    }

    fn ends(&mut self, worst: &RawParam, best: &RawParam, path: &[&str]) -> Result<(Param, Param)> {
        let mut p = path.to_vec();
        p.push("worst");
        let w = self.param(worst, ParamDomain::Real, &p)?;
        p.pop();
        p.push("best");
        let b = self.param(best, ParamDomain::Real, &p)?;
        if let (Param::Fixed(x), Param::Fixed(y)) = (w, b)
            && x == y
        {
            return Err(err(
                &p,
                format!("best and worst are both {x}: they must differ", x = Num(x)),
            ));
        }
        Ok((w, b))
    }

    fn correlation(&mut self, index: usize, c: &RawCorrelation) -> Result<Correlation> {
        let idx = index.to_string();
        let base = ["correlation", idx.as_str()];
        let known: Vec<&str> = self.uncertain.iter().map(|u| u.path.as_str()).collect();
        let mut slots = Vec::with_capacity(c.params.len());
        for (i, name) in c.params.iter().enumerate() {
            let pi = i.to_string();
            let path = ["correlation", idx.as_str(), "params", pi.as_str()];
            let slot = known.iter().position(|k| k == name).ok_or_else(|| {
                if self.fixed.contains(name) {
                    return err(
                        &path,
                        format!("`{name}` is fixed (not uncertain), so it cannot be correlated"),
                    )
                    .with_help(Some(
                        "give it a distribution, e.g. { normal = { mean = 0.5, sd = 0.1 } }, or leave it out of the correlation".into(),
                    ));
                }
                unknown(&path, "uncertain parameter", name, &known).with_target(Target::Value)
            })?;
            if slots.contains(&slot) {
                return Err(err(&path, format!("`{name}` is listed twice")));
            }
            slots.push(slot);
        }
        let k = slots.len();
        if k < 2 {
            return Err(err(
                &[base[0], base[1], "params"],
                "a correlation needs at least two parameters",
            ));
        }
        if c.matrix.len() != k || c.matrix.iter().any(|row| row.len() != k) {
            return Err(err(
                &[base[0], base[1], "matrix"],
                format!("the matrix must be {k} × {k}, one row and column per parameter"),
            ));
        }
        for i in 0..k {
            for j in 0..k {
                let a = c.matrix[i][j];
                if !a.is_finite() || !(-1.0..=1.0).contains(&a) {
                    return Err(err(
                        &[base[0], base[1], "matrix"],
                        format!(
                            "entry ({}, {}) = {a} is not a correlation in [-1, 1]",
                            i + 1,
                            j + 1,
                            a = Num(a)
                        ),
                    ));
                }
                if i == j && a != 1.0 {
                    return Err(err(
                        &[base[0], base[1], "matrix"],
                        format!(
                            "diagonal entry ({}, {}) is {a}: a correlation matrix has 1 on its diagonal",
                            i + 1,
                            i + 1,
                            a = Num(a)
                        ),
                    ));
                }
                if (a - c.matrix[j][i]).abs() > 1e-12 {
                    return Err(err(
                        &[base[0], base[1], "matrix"],
                        format!(
                            "the matrix is not symmetric: entry ({}, {}) is {a} but ({}, {}) is {}",
                            i + 1,
                            j + 1,
                            j + 1,
                            i + 1,
                            c.matrix[j][i],
                            a = Num(a)
                        ),
                    ));
                }
            }
        }
        let m = DMatrix::from_fn(k, k, |i, j| c.matrix[i][j]);
        let chol = m.cholesky().ok_or_else(|| {
            err(
                &[base[0], base[1], "matrix"],
                "the correlation matrix is not positive definite",
            )
            .with_help(Some(
                "some correlations contradict each other; move them toward 0".into(),
            ))
        })?;
        let l = chol.l();
        let cholesky = (0..k)
            .flat_map(|i| (0..k).map(move |j| (i, j)))
            .map(|(i, j)| l[(i, j)])
            .collect();
        for s in &slots {
            if self.grouped.contains(s) {
                return Err(err(
                    &[base[0], base[1], "params"],
                    format!(
                        "`{}` already belongs to another correlation group",
                        known[*s]
                    ),
                ));
            }
        }
        self.grouped.extend(&slots);
        Ok(Correlation { slots, cholesky })
    }
}

fn example_value_fn(c: &Clause) -> String {
    match c.kind() {
        ClauseKind::Range { min, max, .. } => {
            format!("{{ linear = {{ worst = {min}, best = {max} }} }}")
        }
        ClauseKind::Bool => "{ table = { true = 1.0, false = 0.0 } }".into(),
        ClauseKind::Choice { options } => format!(
            "{{ table = {{ {} }} }}",
            options
                .iter()
                .enumerate()
                .map(|(i, o)| format!("{o} = {}", if i == 0 { "0.0" } else { "1.0" }))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}
