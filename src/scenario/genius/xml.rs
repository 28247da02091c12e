//! GENIUS XML domains and utility spaces, read with `roxmltree`.

use std::collections::HashMap;
use std::path::Path;

use roxmltree::{Document, Node};

use super::{
    Domain, Evaluator, HyperRect, Issue, IssueKind, Profile, Utility, bad, check_weight_sum, stem,
    with_help,
};
use crate::error::Error;
use crate::scenario::suggest::did_you_mean;

/// Error helpers bound to one file.
struct Ctx<'a> {
    path: &'a Path,
    text: &'a str,
}

impl Ctx<'_> {
    /// An error at `node`'s start tag.
    fn at(&self, node: Node, message: impl Into<String>) -> Error {
        let start = node.range().start;
        bad(self.path, self.text, Some(start..start), message)
    }

    /// An error about the whole file.
    fn file(&self, message: impl Into<String>) -> Error {
        bad(self.path, self.text, None, message)
    }

    fn parse<'t>(&self, text: &'t str) -> Result<Document<'t>, Error> {
        Document::parse(text).map_err(|e| {
            let pos = e.pos();
            let offset = offset_of(self.text, pos.row as usize, pos.col as usize);
            let message = e.to_string();
            let message = match message.rfind(" at ") {
                Some(i) => message[..i].to_string(),
                None => message,
            };
            bad(
                self.path,
                self.text,
                Some(offset..offset),
                format!("malformed XML: {message}"),
            )
        })
    }

    /// A required attribute.
    fn attr<'n>(&self, node: Node<'n, '_>, name: &str) -> Result<&'n str, Error> {
        node.attribute(name).ok_or_else(|| {
            self.at(
                node,
                format!("<{}> has no `{name}` attribute", node.tag_name().name()),
            )
        })
    }

    /// A numeric attribute, if present.
    fn num_opt(&self, node: Node, name: &str) -> Result<Option<f64>, Error> {
        match node.attribute(name) {
            None => Ok(None),
            Some(s) => match s.trim().parse::<f64>() {
                Ok(v) if v.is_finite() => Ok(Some(v)),
                _ => Err(self.at(
                    node,
                    format!(
                        "`{name}` of <{}> must be a finite number, not `{s}`",
                        node.tag_name().name()
                    ),
                )),
            },
        }
    }

    /// A required numeric attribute.
    fn num(&self, node: Node, name: &str) -> Result<f64, Error> {
        self.num_opt(node, name)?.ok_or_else(|| {
            self.at(
                node,
                format!("<{}> has no `{name}` attribute", node.tag_name().name()),
            )
        })
    }

    /// A required whole-number attribute.
    fn int(&self, node: Node, name: &str) -> Result<i64, Error> {
        let s = self.attr(node, name)?;
        s.trim().parse::<i64>().map_err(|_| {
            self.at(
                node,
                format!(
                    "`{name}` of <{}> must be a whole number, not `{s}`",
                    node.tag_name().name()
                ),
            )
        })
    }
}

/// Byte offset of 1-based `row`, `col` (in characters).
fn offset_of(text: &str, row: usize, col: usize) -> usize {
    let mut offset = 0;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        if i + 1 == row {
            return offset
                + line
                    .char_indices()
                    .nth(col.saturating_sub(1))
                    .map_or(line.len(), |(b, _)| b);
        }
        offset += line.len();
    }
    text.len()
}

fn elements<'a, 'i>(node: Node<'a, 'i>) -> impl Iterator<Item = Node<'a, 'i>> {
    node.children().filter(Node::is_element)
}

/// The `<objective>` holding the issues.
fn objective<'a, 'i>(ctx: &Ctx, doc: &'a Document<'i>, what: &str) -> Result<Node<'a, 'i>, Error> {
    doc.root_element()
        .descendants()
        .find(|n| n.has_tag_name("objective"))
        .ok_or_else(|| {
            with_help(
                ctx.file(format!("no <objective> element: this is not a GENIUS {what}")),
                "a GENIUS file has <utility_space><objective><issue .../>...</objective></utility_space>",
            )
        })
}

/// The issue type: `etype`, else `type`, else `vtype` (discrete when none is given).
fn issue_type(node: Node) -> String {
    ["etype", "type", "vtype"]
        .iter()
        .find_map(|a| node.attribute(*a))
        .unwrap_or("discrete")
        .trim()
        .to_ascii_lowercase()
}

/// Bounds of an integer or real issue: attributes of the issue, else of a `<range>` child.
fn bounds<'a, 'i>(node: Node<'a, 'i>) -> Node<'a, 'i> {
    if node.attribute("lowerbound").is_some() {
        return node;
    }
    elements(node)
        .find(|n| n.has_tag_name("range"))
        .unwrap_or(node)
}

/// Reads a GENIUS domain file.
pub fn domain(path: &Path, text: &str) -> Result<Domain, Error> {
    let ctx = Ctx { path, text };
    let doc = ctx.parse(text)?;
    let obj = objective(&ctx, &doc, "domain")?;
    let mut issues: Vec<Issue> = Vec::new();
    for node in elements(obj) {
        match node.tag_name().name() {
            "issue" => {
                let name = ctx.attr(node, "name")?.to_string();
                if issues.iter().any(|i| i.name == name) {
                    return Err(ctx.at(node, format!("issue `{name}` is defined twice")));
                }
                let kind = issue_kind(&ctx, node, &name)?;
                issues.push(Issue { name, kind });
            }
            "objective" => {
                return Err(ctx.at(
                    node,
                    "nested objectives are not supported: accord reads flat GENIUS domains (issues directly under the root objective)",
                ));
            }
            _ => {}
        }
    }
    if issues.is_empty() {
        return Err(ctx.at(obj, "the domain has no issues"));
    }
    Ok(Domain {
        path: path.to_path_buf(),
        issues,
    })
}

fn issue_kind(ctx: &Ctx, node: Node, name: &str) -> Result<IssueKind, Error> {
    match issue_type(node).as_str() {
        "discrete" => {
            let mut values: Vec<String> = Vec::new();
            for item in elements(node).filter(|n| n.has_tag_name("item")) {
                let v = ctx.attr(item, "value")?.to_string();
                if values.contains(&v) {
                    return Err(ctx.at(
                        item,
                        format!("value `{v}` of issue `{name}` is listed twice"),
                    ));
                }
                values.push(v);
            }
            if values.is_empty() {
                return Err(ctx.at(
                    node,
                    format!("discrete issue `{name}` has no <item> values"),
                ));
            }
            Ok(IssueKind::Discrete { values })
        }
        "integer" => {
            let b = bounds(node);
            let (lo, hi) = (ctx.int(b, "lowerbound")?, ctx.int(b, "upperbound")?);
            if lo >= hi {
                return Err(ctx.at(
                    b,
                    format!(
                        "integer issue `{name}` needs lowerbound < upperbound, got {lo} and {hi}"
                    ),
                ));
            }
            Ok(IssueKind::Integer { lo, hi })
        }
        "real" => {
            let b = bounds(node);
            let (lo, hi) = (ctx.num(b, "lowerbound")?, ctx.num(b, "upperbound")?);
            if lo >= hi {
                return Err(ctx.at(
                    b,
                    format!("real issue `{name}` needs lowerbound < upperbound, got {lo} and {hi}"),
                ));
            }
            Ok(IssueKind::Real { lo, hi })
        }
        other => Err(ctx.at(
            node,
            format!(
                "issue `{name}` has type `{other}`; supported issue types: discrete, integer, real"
            ),
        )),
    }
}

/// Reads a GENIUS utility space (additive or nonlinear hyperrectangle) over `dom`.
pub fn profile(path: &Path, text: &str, dom: &Domain) -> Result<Profile, Error> {
    let ctx = Ctx { path, text };
    let doc = ctx.parse(text)?;
    let root = doc.root_element();
    let obj = objective(&ctx, &doc, "utility space")?;

    // The profile's own issue indices → domain issues.
    let mut by_index: HashMap<String, usize> = HashMap::new();
    let mut issue_nodes: Vec<(usize, Node)> = Vec::new();
    for node in elements(obj) {
        match node.tag_name().name() {
            "issue" => {
                let name = ctx.attr(node, "name")?;
                let Some(d) = dom.issue_index(name) else {
                    let known: Vec<&str> = dom.issues.iter().map(|i| i.name.as_str()).collect();
                    let hint = did_you_mean(name, known.iter().copied())
                        .map(|s| format!("did you mean `{s}`? "))
                        .unwrap_or_default();
                    return Err(with_help(
                        ctx.at(
                            node,
                            format!("issue `{name}` is not in the domain {}", dom.path.display()),
                        ),
                        format!("{hint}the domain's issues: {}", dom.issue_names()),
                    ));
                };
                if issue_nodes.iter().any(|(i, _)| *i == d) {
                    return Err(ctx.at(node, format!("issue `{name}` appears twice")));
                }
                let (mine, theirs) = (issue_type(node), dom.issues[d].kind.describe());
                if mine != theirs {
                    return Err(ctx.at(
                        node,
                        format!("issue `{name}` is {mine} here but {theirs} in the domain"),
                    ));
                }
                if let Some(ix) = node.attribute("index") {
                    by_index.insert(ix.trim().to_string(), d);
                }
                issue_nodes.push((d, node));
            }
            "objective" => {
                return Err(ctx.at(
                    node,
                    "nested objectives are not supported: accord reads flat GENIUS utility spaces",
                ));
            }
            _ => {}
        }
    }

    let nonlinear = root
        .attribute("type")
        .is_some_and(|t| t.eq_ignore_ascii_case("nonlinear"))
        || elements(obj).any(|n| n.has_tag_name("utility"));
    let utility = if nonlinear {
        hyper(&ctx, obj, dom, &by_index)?
    } else {
        additive(&ctx, obj, dom, &issue_nodes)?
    };

    let reservation = match root.descendants().find(|n| n.has_tag_name("reservation")) {
        None => 0.0,
        Some(n) => {
            let r = ctx.num(n, "value")?;
            if !(0.0..=1.0).contains(&r) {
                return Err(ctx.at(
                    n,
                    format!("the reservation value must be in [0, 1], got {r}"),
                ));
            }
            r
        }
    };
    let discount = match root
        .descendants()
        .find(|n| n.has_tag_name("discount_factor"))
    {
        None => None,
        // GENIUS: a factor outside (0, 1) means no discounting.
        Some(n) => Some(ctx.num(n, "value")?).filter(|d| *d > 0.0 && *d < 1.0),
    };
    Ok(Profile {
        name: stem(path),
        path: path.to_path_buf(),
        utility,
        reservation,
        discount,
    })
}

fn additive(
    ctx: &Ctx,
    obj: Node,
    dom: &Domain,
    issue_nodes: &[(usize, Node)],
) -> Result<Utility, Error> {
    let n = dom.issues.len();
    let mut evaluators: Vec<Option<Evaluator>> = vec![None; n];
    let mut index_of: HashMap<String, usize> = HashMap::new();
    for &(d, node) in issue_nodes {
        let issue = &dom.issues[d];
        let name = &issue.name;
        evaluators[d] = Some(match &issue.kind {
            IssueKind::Discrete { values } => {
                let mut evals: Vec<Option<f64>> = vec![None; values.len()];
                for item in elements(node).filter(|n| n.has_tag_name("item")) {
                    let v = ctx.attr(item, "value")?;
                    let Some(k) = values.iter().position(|x| x == v) else {
                        return Err(with_help(
                            ctx.at(
                                item,
                                format!("value `{v}` of issue `{name}` is not in the domain"),
                            ),
                            format!("the domain's values of `{name}`: {}", values.join(", ")),
                        ));
                    };
                    if evals[k].is_some() {
                        return Err(ctx.at(
                            item,
                            format!("value `{v}` of issue `{name}` is evaluated twice"),
                        ));
                    }
                    let Some(e) = ctx.num_opt(item, "evaluation")? else {
                        return Err(ctx.at(
                            item,
                            format!("value `{v}` of issue `{name}` has no `evaluation` attribute"),
                        ));
                    };
                    if e < 0.0 {
                        return Err(ctx.at(
                            item,
                            format!("evaluation of `{v}` must be at least 0, got {e}"),
                        ));
                    }
                    evals[k] = Some(e);
                }
                if let Some(k) = evals.iter().position(Option::is_none) {
                    return Err(ctx.at(
                        node,
                        format!(
                            "issue `{name}` gives no evaluation for its value `{}`",
                            values[k]
                        ),
                    ));
                }
                let evals: Vec<f64> = evals.into_iter().flatten().collect();
                let max = evals.iter().copied().fold(0.0, f64::max);
                if max <= 0.0 {
                    return Err(ctx.at(
                        node,
                        format!("every evaluation of issue `{name}` is 0: its values cannot be normalised by the largest"),
                    ));
                }
                Evaluator::Table(evals.iter().map(|e| e / max).collect())
            }
            IssueKind::Integer { lo, .. } => {
                let ev = elements(node).find(|n| n.has_tag_name("evaluator")).ok_or_else(|| {
                    ctx.at(node, format!("integer issue `{name}` has no <evaluator slope=\"...\" offset=\"...\"/>"))
                })?;
                let origin = match node.attribute("lowerbound") {
                    Some(_) => ctx.int(node, "lowerbound")? as f64,
                    None => *lo as f64,
                };
                Evaluator::Linear {
                    origin,
                    slope: ctx.num(ev, "slope")?,
                    offset: ctx.num(ev, "offset")?,
                }
            }
            IssueKind::Real { .. } => {
                let ev = elements(node)
                    .find(|n| n.has_tag_name("evaluator"))
                    .ok_or_else(|| {
                        ctx.at(
                            node,
                            format!("real issue `{name}` has no <evaluator ftype=\"linear\" .../>"),
                        )
                    })?;
                match ev.attribute("ftype").unwrap_or("linear") {
                    "linear" => Evaluator::Linear {
                        origin: 0.0,
                        slope: ctx.num(ev, "parameter1")?,
                        offset: ctx.num(ev, "parameter0")?,
                    },
                    "constant" => Evaluator::Linear {
                        origin: 0.0,
                        slope: 0.0,
                        offset: ctx.num(ev, "parameter0")?,
                    },
                    other => {
                        return Err(ctx.at(
                            ev,
                            format!("real issue `{name}` has evaluator type `{other}`; supported: linear, constant"),
                        ));
                    }
                }
            }
        });
        if let Some(ix) = node.attribute("index") {
            index_of.insert(ix.trim().to_string(), d);
        }
    }
    if let Some(d) = evaluators.iter().position(Option::is_none) {
        return Err(with_help(
            ctx.at(
                obj,
                format!(
                    "the profile has no evaluator for the domain's issue `{}`",
                    dom.issues[d].name
                ),
            ),
            "an additive profile evaluates every issue of its domain",
        ));
    }

    let mut weights: Vec<Option<f64>> = vec![None; n];
    for w in elements(obj).filter(|n| n.has_tag_name("weight")) {
        let ix = ctx.attr(w, "index")?.trim();
        let Some(&d) = index_of.get(ix) else {
            return Err(ctx.at(
                w,
                format!("weight index {ix} names no issue of this profile"),
            ));
        };
        let v = ctx.num(w, "value")?;
        if v < 0.0 {
            return Err(ctx.at(
                w,
                format!(
                    "the weight of issue `{}` must be at least 0, got {v}",
                    dom.issues[d].name
                ),
            ));
        }
        if weights[d].replace(v).is_some() {
            return Err(ctx.at(w, format!("issue `{}` has two weights", dom.issues[d].name)));
        }
    }
    if let Some(d) = weights.iter().position(Option::is_none) {
        return Err(ctx.at(
            obj,
            format!(
                "the profile gives no <weight> for issue `{}`",
                dom.issues[d].name
            ),
        ));
    }
    let weights: Vec<f64> = weights.into_iter().flatten().collect();
    check_weight_sum(&weights).map_err(|m| ctx.at(obj, m))?;
    Ok(Utility::Additive {
        weights,
        evaluators: evaluators.into_iter().flatten().collect(),
    })
}

fn hyper(
    ctx: &Ctx,
    obj: Node,
    dom: &Domain,
    by_index: &HashMap<String, usize>,
) -> Result<Utility, Error> {
    let util = elements(obj)
        .find(|n| n.has_tag_name("utility"))
        .ok_or_else(|| {
            ctx.at(
                obj,
                "a nonlinear utility space needs a <utility maxutility=\"...\"> element",
            )
        })?;
    let max = ctx.num(util, "maxutility")?;
    if max <= 0.0 {
        return Err(ctx.at(util, format!("maxutility must be above 0, got {max}")));
    }
    let mut rects = Vec::new();
    for ufun in elements(util) {
        if !ufun.has_tag_name("ufun") {
            return Err(ctx.at(
                ufun,
                format!(
                    "unsupported element <{}> in <utility>",
                    ufun.tag_name().name()
                ),
            ));
        }
        let kind = ufun.attribute("type").unwrap_or("PlainUfun");
        let agg = ufun.attribute("aggregation").unwrap_or("sum");
        if !kind.eq_ignore_ascii_case("PlainUfun") || !agg.eq_ignore_ascii_case("sum") {
            return Err(ctx.at(
                ufun,
                format!("unsupported ufun (type `{kind}`, aggregation `{agg}`): accord reads PlainUfun with aggregation sum"),
            ));
        }
        let weight = ctx.num_opt(ufun, "weight")?.unwrap_or(1.0);
        for rect in elements(ufun) {
            if !rect.has_tag_name("hyperRectangle") {
                return Err(ctx.at(
                    rect,
                    format!("unsupported element <{}> in <ufun>", rect.tag_name().name()),
                ));
            }
            let utility = weight * ctx.num(rect, "utility")?;
            let mut constraints = Vec::new();
            for c in elements(rect) {
                let include = match c.tag_name().name() {
                    "INCLUDES" => true,
                    "EXCLUDES" => false,
                    other => {
                        return Err(ctx.at(c, format!("unsupported constraint <{other}>: accord reads INCLUDES and EXCLUDES")));
                    }
                };
                let ix = ctx.attr(c, "index")?.trim();
                let Some(&d) = by_index.get(ix) else {
                    return Err(ctx.at(
                        c,
                        format!("index {ix} names no issue of this utility space"),
                    ));
                };
                if matches!(dom.issues[d].kind, IssueKind::Discrete { .. }) {
                    return Err(ctx.at(
                        c,
                        format!("hyperrectangles over the discrete issue `{}` are not supported (integer and real issues only)", dom.issues[d].name),
                    ));
                }
                let (lo, hi) = (ctx.num(c, "min")?, ctx.num(c, "max")?);
                constraints.push((d, lo, hi, include));
            }
            rects.push(HyperRect {
                utility,
                constraints,
            });
        }
    }
    Ok(Utility::Hyper { max, rects })
}
