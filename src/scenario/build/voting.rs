//! Validation of the agreement rule (`[protocol] rule`, each party's `vote_weight` and the
//! default of `veto` under a rule), of a pie (the share clauses a division is made of), and of
//! the `baron_ferejohn` protocol. Errors carry key paths like the rest of [`super`].

use super::bargaining::uniform_draw_slot;
use super::{Builder, Result, err, key_err, unknown};
use crate::model::pie::baron_ferejohn_undefined;
use crate::model::*;
use crate::scenario::raw::*;
use crate::text::Num;

/// Where the recognition draw's slot is recorded ([`UncertainParam::path`]).
pub(crate) const RECOGNITION_DRAW: &str = "protocol.recognition";
/// Where the partner draw's slot is recorded.
pub(crate) const PARTNERS_DRAW: &str = "protocol.partners";

/// Tolerance on recognition probabilities adding up to 1 (they are typed in decimals).
const SUM_TOLERANCE: f64 = 1e-9;

/// The scenario's agreement rule. `vote_weight` is allowed only under a weighted rule; a
/// quota is from 1 to the number of parties (the offer protocols check it against their
/// negotiators too).
pub(super) fn rule(raw: &RawScenario) -> Result<Rule> {
    let raw_rule = raw.protocol.as_ref().and_then(|p| p.rule.as_ref());
    let weighted = matches!(raw_rule, Some(RawRule::Weighted(_)));
    if !weighted && let Some((name, _)) = raw.parties.iter().find(|(_, p)| p.vote_weight.is_some())
    {
        return Err(key_err(
            &["parties", name, "vote_weight"],
            "`vote_weight` applies only to a weighted rule",
            Some("set [protocol] rule = { weighted = { threshold = 0.5 } }, or remove it".into()),
        ));
    }
    let n = raw.parties.len();
    Ok(match raw_rule {
        None | Some(RawRule::Unanimity) => Rule::Unanimity,
        Some(RawRule::Quota(q)) => {
            if *q < 1 || *q > n as i64 {
                return Err(err(
                    &["protocol", "rule", "quota"],
                    format!("`quota` must be a number of parties from 1 to {n}, got {q}"),
                )
                .with_help(Some(
                    "it counts the parties that must accept, the proposer of an offer among them"
                        .into(),
                )));
            }
            Rule::Quota { quota: *q as usize }
        }
        Some(RawRule::Weighted(w)) => {
            let t = w.threshold;
            if !(t.is_finite() && t > 0.0 && t <= 1.0) {
                return Err(err(
                    &["protocol", "rule", "weighted", "threshold"],
                    format!(
                        "`threshold` must be a share of the vote weight in (0, 1], got {t}",
                        t = Num(t)
                    ),
                )
                .with_help(Some(
                    "0.5 needs half the weight (ties pass); 2/3 a two-thirds majority".into(),
                )));
            }
            let mut weights = Vec::with_capacity(n);
            for (name, p) in &raw.parties {
                let v = p.vote_weight.unwrap_or(1.0);
                if !(v.is_finite() && v >= 0.0) {
                    return Err(err(
                        &["parties", name, "vote_weight"],
                        format!(
                            "`vote_weight` must be a finite number >= 0, got {v}",
                            v = Num(v)
                        ),
                    ));
                }
                weights.push(v);
            }
            if weights.iter().sum::<f64>() <= 0.0 {
                return Err(err(
                    &["protocol", "rule", "weighted"],
                    "every party's vote weight is 0: no vote could pass",
                ));
            }
            Rule::Weighted {
                weights,
                threshold: t,
            }
        }
    })
}

/// Under a quota or weighted rule, `veto` defaults to false: a party holds a veto only when
/// the file says so (the default rule's parties hold one unless it says otherwise).
pub(super) fn apply_veto_default(raw: &RawScenario, rule: &Rule, parties: &mut [Party]) {
    if rule.is_unanimity() {
        return;
    }
    for (party, (_, p)) in parties.iter_mut().zip(&raw.parties) {
        party.veto = p.veto.unwrap_or(false);
    }
}

/// The pie the clauses divide: every party weighs exactly one range clause from 0 to the
/// pie, linearly (`linear = { worst = 0, best = PIE }`), no two parties the same, every clause
/// some party's share. `why` says which protocol asks (for messages).
pub(super) fn pie(clauses: &[Clause], parties: &[Party], why: &str) -> Result<Pie> {
    let help = || {
        Some(
            "give each party one share clause: [clauses.a_share] kind = \"range\", min = 0, max = 1; \
             [parties.a] weights = { a_share = 1 }, values.a_share = { linear = { worst = 0, best = 1 } }"
                .into(),
        )
    };
    let mut shares = Vec::with_capacity(parties.len());
    let mut size: Option<f64> = None;
    for party in parties {
        let name = party.name.as_str();
        let weighed: Vec<usize> = (0..clauses.len())
            .filter(|&i| party.weights[i] != Param::Fixed(0.0))
            .collect();
        let [c] = weighed[..] else {
            return Err(err(
                &["parties", name, "weights"],
                format!(
                    "{why} divides a pie: party `{name}` must weigh exactly one clause, its share; it weighs {}",
                    weighed.len()
                ),
            )
            .with_help(help()));
        };
        let clause = &clauses[c];
        let cname = clause.name.as_str();
        let ClauseKind::Range {
            min, max, integer, ..
        } = *clause.kind()
        else {
            return Err(err(
                &["clauses", cname, "kind"],
                format!("{why} divides a pie: the share clause `{cname}` must be a range"),
            )
            .with_help(help()));
        };
        if min != 0.0 || integer {
            return Err(err(
                &["clauses", cname],
                format!(
                    "{why} divides a pie: the share clause `{cname}` must run from 0 (not whole numbers only)"
                ),
            )
            .with_help(help()));
        }
        if *clause.negotiable() != Negotiable::All {
            return Err(err(
                &["clauses", cname, "negotiable"],
                format!(
                    "{why} divides a pie: every division may be offered, so the share clause `{cname}` cannot restrict what is negotiable"
                ),
            )
            .with_help(Some("remove `negotiable` from the share clause".into())));
        }
        if let Some(s) = size
            && s != max
        {
            return Err(err(
                &["clauses", cname, "max"],
                format!(
                    "{why} divides one pie: every share clause runs to its size {}, but `{cname}` runs to {}",
                    Num(s),
                    Num(max)
                ),
            ));
        }
        size = Some(max);
        if shares.contains(&c) {
            return Err(err(
                &["parties", name, "weights", cname],
                format!("{why} divides a pie: `{cname}` is already another party's share"),
            ));
        }
        let linear = matches!(
            party.values[c],
            Some(ValueFn::Linear {
                worst: Param::Fixed(w),
                best: Param::Fixed(b),
            }) if w == 0.0 && b == max
        );
        if !linear || party.weights[c].is_uncertain() {
            return Err(err(
                &["parties", name, "values", cname],
                format!(
                    "{why} divides a pie: party `{name}`'s utility must be its share, linear = {{ worst = 0, best = {} }} with a fixed weight",
                    Num(max)
                ),
            ));
        }
        if party.reference.is_some() {
            return Err(key_err(
                &["parties", name, "reference"],
                format!("{why} divides a pie: a share's utility has no reference point"),
                None,
            ));
        }
        shares.push(c);
    }
    if let Some((_, c)) = clauses
        .iter()
        .enumerate()
        .find(|(i, _)| !shares.contains(i))
    {
        return Err(err(
            &["clauses", c.name.as_str()],
            format!(
                "{why} divides a pie: clause `{}` is no party's share",
                c.name
            ),
        )
        .with_help(Some(
            "a pie's deal holds the parties' shares only; remove it".into(),
        )));
    }
    Ok(Pie {
        shares,
        size: size.unwrap_or(1.0),
    })
}

/// Builds `kind = "baron_ferejohn"`: every party a member, the rule a quota without vetoes,
/// a common `discount`, `recognition` probabilities (default equal), and a pie.
pub(super) fn baron_ferejohn(
    b: &mut Builder,
    raw: &RawScenario,
    clauses: &[Clause],
    parties: &[Party],
    rule: Rule,
) -> Result<ProtocolSpec> {
    let Some(p) = raw.protocol.as_ref() else {
        return Err(err(&["protocol"], "no protocol"));
    };
    let why = "baron_ferejohn";
    for (key, present) in [
        ("proposals", p.proposals.is_some()),
        ("order", p.order.is_some()),
        ("deadline", p.deadline.is_some()),
        ("breakdown", p.breakdown.is_some()),
        ("resolution", p.resolution.is_some()),
        ("start", p.start.is_some()),
        ("mediator", p.mediator.is_some()),
        ("pie", p.pie.is_some()),
    ] {
        if present {
            return Err(key_err(
                &["protocol", key],
                format!("`{key}` does not apply to the baron_ferejohn protocol"),
                Some(
                    "Baron–Ferejohn takes rule = { quota = q }, discount and recognition; every party is a member, recognised at random, and the stationary equilibrium agrees at the first step"
                        .into(),
                ),
            ));
        }
    }
    if !raw.events.is_empty() {
        return Err(key_err(
            &["events"],
            "events apply to the alternating and mediated protocols, not baron_ferejohn",
            Some(
                "the stationary equilibrium is solved for a fixed game; remove the [[events]]"
                    .into(),
            ),
        ));
    }
    let n = parties.len();
    let quota = match rule {
        Rule::Quota { quota } => quota,
        Rule::Unanimity => {
            return Err(err(
                &["protocol", if p.rule.is_some() { "rule" } else { "kind" }],
                "baron_ferejohn needs a quota: rule = { quota = q }, the votes a proposal needs (the proposer's among them)",
            )
            .with_help(Some(format!(
                "for a simple majority of {n} members: rule = {{ quota = {} }}",
                n / 2 + 1
            ))));
        }
        Rule::Weighted { .. } => {
            return Err(err(
                &["protocol", "rule", "weighted"],
                "baron_ferejohn is played under a quota, not a weighted rule: with weights the cheapest winning coalition is a different game",
            )
            .with_help(Some("use rule = { quota = q }".into())));
        }
    };
    if let Some((i, _)) = parties.iter().enumerate().find(|(_, q)| q.veto) {
        return Err(err(
            &["parties", parties[i].name.as_str(), "veto"],
            format!(
                "baron_ferejohn plays a quota without vetoes; `{}` holds one",
                parties[i].name
            ),
        )
        .with_help(Some(
            "remove `veto = true` (under a quota it defaults to false)".into(),
        )));
    }
    if n < 2 {
        return Err(err(
            &["parties"],
            "baron_ferejohn needs at least two members",
        ));
    }
    for (party, (name, rp)) in parties.iter().zip(&raw.parties) {
        if party.reservation != Param::Fixed(0.0) {
            return Err(err(
                &["parties", name, "reservation"],
                "baron_ferejohn's members have no outside option: a rejected proposal only delays; set reservation = 0",
            ));
        }
        if rp.accept.is_some() {
            return Err(key_err(
                &["parties", name, "accept"],
                "`accept` does not apply to baron_ferejohn: members vote by their continuation values",
                None,
            ));
        }
    }
    let discount = p.discount.unwrap_or(1.0);
    if !(discount.is_finite() && discount > 0.0 && discount <= 1.0) {
        return Err(err(
            &["protocol", "discount"],
            format!("`discount` must be in (0, 1], got {d}", d = Num(discount)),
        )
        .with_help(Some(
            "the members' common per-step discount; 1 means none".into(),
        )));
    }
    let names: Vec<&str> = parties.iter().map(|q| q.name.as_str()).collect();
    let recognition = match &p.recognition {
        None => vec![1.0 / n as f64; n],
        Some(map) => {
            let mut probs = vec![0.0; n];
            for (name, &x) in map {
                let i = names.iter().position(|q| q == name).ok_or_else(|| {
                    unknown(&["protocol", "recognition", name], "party", name, &names)
                })?;
                if !(x.is_finite() && (0.0..=1.0).contains(&x)) {
                    return Err(err(
                        &["protocol", "recognition", name],
                        format!(
                            "a recognition probability must be in [0, 1], got {x}",
                            x = Num(x)
                        ),
                    ));
                }
                probs[i] = x;
            }
            if let Some(missing) = names.iter().find(|q| !map.contains_key(**q)) {
                return Err(err(
                    &["protocol", "recognition"],
                    format!("`recognition` gives no probability for member `{missing}`"),
                )
                .with_help(Some("give every party one, adding up to 1".into())));
            }
            let total: f64 = probs.iter().sum();
            if (total - 1.0).abs() > SUM_TOLERANCE {
                return Err(err(
                    &["protocol", "recognition"],
                    format!(
                        "the recognition probabilities add up to {}, not 1",
                        Num(total)
                    ),
                ));
            }
            probs
        }
    };
    if let Some(why_not) = baron_ferejohn_undefined(quota, discount, &recognition) {
        let key = if p.discount.is_some() {
            "discount"
        } else {
            "kind"
        };
        return Err(err(
            &["protocol", key],
            format!("baron_ferejohn is not defined here: {why_not}"),
        )
        .with_help(Some("set discount below 1".into())));
    }
    let pie = pie(clauses, parties, why)?;
    let recognition_slot = uniform_draw_slot(b, RECOGNITION_DRAW);
    let partners_slot = uniform_draw_slot(b, PARTNERS_DRAW);
    let dynamic = DynamicSpec::stationary((0..n).collect(), Rule::Quota { quota });
    Ok(ProtocolSpec::BaronFerejohn(Box::new(BaronFerejohn {
        dynamic,
        quota,
        discount,
        recognition,
        pie,
        recognition_slot,
        partners_slot,
    })))
}

/// Whether `[protocol] kind` names Baron–Ferejohn.
pub(super) fn is_baron_ferejohn(raw: &RawScenario) -> bool {
    raw.protocol
        .as_ref()
        .is_some_and(|p| p.kind == "baron_ferejohn")
}
