//! GeniusWeb JSON: a domain `{"name", "issuesValues": {ISSUE: {"values": [...]}}}` and
//! `LinearAdditiveUtilitySpace` profiles whose issues use `discreteutils`.

use std::path::Path;

use serde_json::{Map, Value};

use super::{
    Domain, Evaluator, Issue, IssueKind, Profile, Utility, bad, check_weight_sum, with_help,
};
use crate::error::Error;
use crate::scenario::build::Target;
use crate::scenario::locate::json_span;

struct Ctx<'a> {
    path: &'a Path,
    text: &'a str,
}

impl Ctx<'_> {
    /// An error at the JSON key path `keys` (the deepest part of it that exists).
    fn at(&self, keys: &[&str], target: Target, message: impl Into<String>) -> Error {
        let path: Vec<String> = keys.iter().map(|s| s.to_string()).collect();
        let span = json_span(self.text, &path, target);
        bad(self.path, self.text, span, message)
    }

    fn parse(&self) -> Result<Value, Error> {
        serde_json::from_str(self.text).map_err(|e| {
            let offset = offset_of(self.text, e.line(), e.column());
            let message = e.to_string();
            let message = match message.rfind(" at line ") {
                Some(i) => message[..i].to_string(),
                None => message,
            };
            bad(
                self.path,
                self.text,
                Some(offset..offset),
                format!("malformed JSON: {message}"),
            )
        })
    }
}

/// The byte offset of serde_json's line and column (0 when it gives none).
fn offset_of(text: &str, line: usize, col: usize) -> usize {
    crate::scenario::line_col_to_offset(text, line, col).unwrap_or(0)
}

fn object<'v>(
    ctx: &Ctx,
    v: &'v Value,
    keys: &[&str],
    what: &str,
) -> Result<&'v Map<String, Value>, Error> {
    v.as_object()
        .ok_or_else(|| ctx.at(keys, Target::Value, format!("{what} must be a JSON object")))
}

/// `issuesValues` of a domain object found at `keys`.
fn issues(ctx: &Ctx, dom: &Map<String, Value>, keys: &[&str]) -> Result<Vec<Issue>, Error> {
    let mut at: Vec<&str> = keys.to_vec();
    at.push("issuesValues");
    let iv = dom
        .get("issuesValues")
        .ok_or_else(|| ctx.at(keys, Target::Value, "the domain has no `issuesValues`"))?;
    let iv = object(ctx, iv, &at, "`issuesValues`")?;
    let mut out = Vec::with_capacity(iv.len());
    for (name, set) in iv {
        let mut here = at.clone();
        here.push(name);
        let set = object(ctx, set, &here, &format!("issue `{name}`"))?;
        let Some(values) = set.get("values") else {
            return Err(ctx.at(
                &here,
                Target::Value,
                format!("issue `{name}` has no `values` list (only discrete GeniusWeb issues are supported)"),
            ));
        };
        here.push("values");
        let list = values
            .as_array()
            .ok_or_else(|| ctx.at(&here, Target::Value, "`values` must be a list of strings"))?;
        let mut names: Vec<String> = Vec::with_capacity(list.len());
        for v in list {
            let s = v.as_str().ok_or_else(|| {
                ctx.at(
                    &here,
                    Target::Value,
                    format!("values of `{name}` must be strings"),
                )
            })?;
            if names.iter().any(|n| n == s) {
                return Err(ctx.at(
                    &here,
                    Target::Value,
                    format!("value `{s}` of issue `{name}` is listed twice"),
                ));
            }
            names.push(s.to_string());
        }
        if names.is_empty() {
            return Err(ctx.at(
                &here,
                Target::Value,
                format!("issue `{name}` has no values"),
            ));
        }
        out.push(Issue {
            name: name.clone(),
            kind: IssueKind::Discrete { values: names },
        });
    }
    if out.is_empty() {
        return Err(ctx.at(&at, Target::Value, "the domain has no issues"));
    }
    Ok(out)
}

/// The values of discrete issue `d` (GeniusWeb domains read here have no others).
fn discrete_values(dom: &Domain, d: usize) -> &[String] {
    match &dom.issues[d].kind {
        IssueKind::Discrete { values } => values,
        _ => &[],
    }
}

/// Reads a GeniusWeb domain file.
pub fn domain(path: &Path, text: &str) -> Result<Domain, Error> {
    let ctx = Ctx { path, text };
    let v = ctx.parse()?;
    let dom = object(&ctx, &v, &[], "a GeniusWeb domain")?;
    Ok(Domain {
        path: path.to_path_buf(),
        issues: issues(&ctx, dom, &[])?,
    })
}

/// Reads a GeniusWeb `LinearAdditiveUtilitySpace` profile over `dom`.
pub fn profile(path: &Path, text: &str, dom: &Domain) -> Result<Profile, Error> {
    let ctx = Ctx { path, text };
    let v = ctx.parse()?;
    let top = object(&ctx, &v, &[], "a GeniusWeb profile")?;
    const KIND: &str = "LinearAdditiveUtilitySpace";
    let Some(space) = top.get(KIND) else {
        let found = top.keys().next().map(String::as_str).unwrap_or("nothing");
        return Err(with_help(
            ctx.at(
                &[],
                Target::Value,
                format!("expected a {KIND} profile, found {found}"),
            ),
            "accord reads GeniusWeb LinearAdditiveUtilitySpace profiles with discreteutils",
        ));
    };
    let space = object(&ctx, space, &[KIND], KIND)?;

    if let Some(d) = space.get("domain") {
        let d = object(&ctx, d, &[KIND, "domain"], "`domain`")?;
        let theirs = issues(&ctx, d, &[KIND, "domain"])?;
        if theirs != dom.issues {
            return Err(ctx.at(
                &[KIND, "domain"],
                Target::Value,
                format!(
                    "the profile's domain differs from the domain {}",
                    dom.path.display()
                ),
            ));
        }
    }

    let n = dom.issues.len();
    let utils = space.get("issueUtilities").ok_or_else(|| {
        ctx.at(
            &[KIND],
            Target::Value,
            "the profile has no `issueUtilities`",
        )
    })?;
    let utils = object(&ctx, utils, &[KIND, "issueUtilities"], "`issueUtilities`")?;
    let mut evaluators: Vec<Option<Evaluator>> = vec![None; n];
    for (name, u) in utils {
        let here = [KIND, "issueUtilities", name.as_str()];
        let Some(d) = dom.issue_index(name) else {
            return Err(with_help(
                ctx.at(
                    &here,
                    Target::Key,
                    format!("issue `{name}` is not in the domain {}", dom.path.display()),
                ),
                format!("the domain's issues: {}", dom.issue_names()),
            ));
        };
        let values = discrete_values(dom, d);
        let table = u
            .get("discreteutils")
            .and_then(|x| x.get("valueUtilities"))
            .and_then(Value::as_object)
            .ok_or_else(|| {
                ctx.at(
                    &here,
                    Target::Value,
                    format!("issue `{name}` needs {{\"discreteutils\": {{\"valueUtilities\": {{...}}}}}} (other GeniusWeb value utilities are not supported)"),
                )
            })?;
        let vu = [
            KIND,
            "issueUtilities",
            name.as_str(),
            "discreteutils",
            "valueUtilities",
        ];
        let mut evals: Vec<Option<f64>> = vec![None; values.len()];
        for (val, x) in table {
            let mut at = vu.to_vec();
            at.push(val);
            let Some(k) = values.iter().position(|v| v == val) else {
                return Err(ctx.at(
                    &at,
                    Target::Key,
                    format!("value `{val}` of issue `{name}` is not in the domain"),
                ));
            };
            let x = x
                .as_f64()
                .filter(|x| (0.0..=1.0).contains(x))
                .ok_or_else(|| {
                    ctx.at(
                        &at,
                        Target::Value,
                        format!("the utility of `{val}` must be a number in [0, 1]"),
                    )
                })?;
            evals[k] = Some(x);
        }
        if let Some(k) = evals.iter().position(Option::is_none) {
            return Err(ctx.at(
                &vu,
                Target::Value,
                format!(
                    "issue `{name}` gives no utility for its value `{}`",
                    values[k]
                ),
            ));
        }
        evaluators[d] = Some(Evaluator::Table(evals.into_iter().flatten().collect()));
    }
    if let Some(d) = evaluators.iter().position(Option::is_none) {
        return Err(ctx.at(
            &[KIND, "issueUtilities"],
            Target::Value,
            format!(
                "the profile has no utilities for the domain's issue `{}`",
                dom.issues[d].name
            ),
        ));
    }
    let evaluators: Vec<Evaluator> = evaluators.into_iter().flatten().collect();

    let ws = space
        .get("issueWeights")
        .ok_or_else(|| ctx.at(&[KIND], Target::Value, "the profile has no `issueWeights`"))?;
    let ws = object(&ctx, ws, &[KIND, "issueWeights"], "`issueWeights`")?;
    let mut weights: Vec<Option<f64>> = vec![None; n];
    for (name, w) in ws {
        let here = [KIND, "issueWeights", name.as_str()];
        let Some(d) = dom.issue_index(name) else {
            return Err(ctx.at(
                &here,
                Target::Key,
                format!("issue `{name}` is not in the domain {}", dom.path.display()),
            ));
        };
        let w = w
            .as_f64()
            .filter(|w| w.is_finite() && *w >= 0.0)
            .ok_or_else(|| {
                ctx.at(
                    &here,
                    Target::Value,
                    format!("the weight of `{name}` must be a number >= 0"),
                )
            })?;
        weights[d] = Some(w);
    }
    if let Some(d) = weights.iter().position(Option::is_none) {
        return Err(ctx.at(
            &[KIND, "issueWeights"],
            Target::Value,
            format!(
                "the profile gives no weight for issue `{}`",
                dom.issues[d].name
            ),
        ));
    }
    let weights: Vec<f64> = weights.into_iter().flatten().collect();
    check_weight_sum(&weights).map_err(|m| ctx.at(&[KIND, "issueWeights"], Target::Value, m))?;

    // The reservation bid's utility; issues it leaves out count 0, as in GeniusWeb.
    let mut reservation = 0.0;
    if let Some(bid) = space.get("reservationBid") {
        let at = [KIND, "reservationBid", "issuevalues"];
        let iv = bid
            .get("issuevalues")
            .and_then(Value::as_object)
            .ok_or_else(|| {
                ctx.at(
                    &at[..2],
                    Target::Value,
                    "`reservationBid` needs an `issuevalues` object",
                )
            })?;
        for (name, val) in iv {
            let mut here = at.to_vec();
            here.push(name);
            let Some(d) = dom.issue_index(name) else {
                return Err(ctx.at(
                    &here,
                    Target::Key,
                    format!("issue `{name}` is not in the domain"),
                ));
            };
            let values = discrete_values(dom, d);
            let k = val
                .as_str()
                .and_then(|s| values.iter().position(|v| v == s))
                .ok_or_else(|| {
                    ctx.at(
                        &here,
                        Target::Value,
                        format!("`{val}` is not a value of issue `{name}`"),
                    )
                })?;
            reservation += weights[d] * evaluators[d].eval(k as f64);
        }
    }
    let name = space
        .get("name")
        .and_then(Value::as_str)
        .map(str::to_string)
        .unwrap_or_else(|| super::stem(path));
    Ok(Profile {
        name,
        path: path.to_path_buf(),
        utility: Utility::Additive {
            weights,
            evaluators,
        },
        reservation: reservation.clamp(0.0, 1.0),
        discount: None,
    })
}
