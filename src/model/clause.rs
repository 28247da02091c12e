//! Clauses: the negotiable terms of a deal.

use crate::text::Num;

/// What values a clause takes.
#[derive(Debug, Clone, PartialEq)]
pub enum ClauseKind {
    /// A number in `[min, max]`, optionally whole, with a unit for display.
    Range {
        min: f64,
        max: f64,
        integer: bool,
        unit: Option<String>,
    },
    /// Yes or no; stored as 0.0 / 1.0.
    Bool,
    /// One of named options; stored as the option's index.
    Choice { options: Vec<String> },
}

/// Why a clause cannot be built.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ClauseError {
    /// A range's bound (`min` or `max`) is not a finite number.
    #[error("{bound} must be a finite number, not {}", Num(*value))]
    NotFinite { bound: &'static str, value: f64 },
    /// A range whose `max` is not above its `min`.
    #[error("max ({}) must be greater than min ({})", Num(*max), Num(*min))]
    Empty { min: f64, max: f64 },
    /// A whole-number range with a fractional bound.
    #[error(
        "clause `{name}` takes whole numbers (integer = true), so `{bound}` must be a whole number, got {}",
        Num(*value)
    )]
    Fractional {
        name: String,
        bound: &'static str,
        value: f64,
    },
    /// A choice without options.
    #[error("a choice clause needs at least one option")]
    NoOptions,
    /// A choice listing an option twice.
    #[error("option `{0}` is listed twice")]
    Duplicate(String),
    /// A negotiable set with nothing in it.
    #[error("nothing is negotiable: list at least one value that may be offered")]
    NothingNegotiable,
    /// A negotiable option that is not an option of the clause, or listed twice.
    #[error("option {0} is not an option of the clause, or is listed twice")]
    NegotiableOption(usize),
    /// A negotiable range that is not a sub-range of the clause.
    #[error(
        "the negotiable range [{}, {}] must lie within the clause's range [{}, {}], its lower end not above its upper end",
        Num(*lo), Num(*hi), Num(*min), Num(*max)
    )]
    NegotiableRange {
        lo: f64,
        hi: f64,
        min: f64,
        max: f64,
    },
    /// A negotiable range of a whole-number clause with a fractional end.
    #[error("the clause takes whole numbers, so the negotiable range's ends must be whole, got {}", Num(*value))]
    NegotiableFraction { value: f64 },
    /// A negotiable set of the wrong kind for the clause.
    #[error("a {0} clause's negotiable set lists {1}")]
    NegotiableKind(&'static str, &'static str),
}

/// What of a clause may be offered in the dynamic protocols, `accord analyse` and searches
/// (a proposal may still hold any value of the clause).
#[derive(Debug, Clone, PartialEq)]
pub enum Negotiable {
    /// Every value (the default).
    All,
    /// Choice and bool clauses: these option indices (0/1 for a bool), ascending and
    /// distinct, at least one.
    Options(Vec<usize>),
    /// Range clauses: the values from `lo` to `hi` (inside the clause's bounds, whole for an
    /// integer clause, `lo ≤ hi`).
    Range { lo: f64, hi: f64 },
}

/// One negotiable term of a deal: a name and a [`ClauseKind`] that holds values (a range
/// with finite bounds, `min < max`, whole bounds when it takes whole numbers; a choice with
/// at least one option, none twice).
#[derive(Debug, Clone, PartialEq)]
pub struct Clause {
    pub name: String,
    kind: ClauseKind,
    /// Free text shown by `accord check`.
    pub description: Option<String>,
    negotiable: Negotiable,
}

impl Clause {
    /// A range clause from `min` to `max`, whole numbers only when `integer`.
    pub fn range(
        name: impl Into<String>,
        min: f64,
        max: f64,
        integer: bool,
        unit: Option<String>,
    ) -> Result<Clause, ClauseError> {
        let name = name.into();
        for (bound, value) in [("min", min), ("max", max)] {
            if !value.is_finite() {
                return Err(ClauseError::NotFinite { bound, value });
            }
        }
        if min >= max {
            return Err(ClauseError::Empty { min, max });
        }
        // A whole-number clause with fractional bounds would let dynamic protocols agree on
        // fractional deals (the grid runs from bound to bound).
        for (bound, value) in [("min", min), ("max", max)] {
            if integer && value.fract() != 0.0 {
                return Err(ClauseError::Fractional { name, bound, value });
            }
        }
        Ok(Clause {
            name,
            kind: ClauseKind::Range {
                min,
                max,
                integer,
                unit,
            },
            description: None,
            negotiable: Negotiable::All,
        })
    }

    /// A yes-or-no clause.
    pub fn boolean(name: impl Into<String>) -> Clause {
        Clause {
            name: name.into(),
            kind: ClauseKind::Bool,
            description: None,
            negotiable: Negotiable::All,
        }
    }

    /// A clause taking one of `options`.
    pub fn choice(name: impl Into<String>, options: Vec<String>) -> Result<Clause, ClauseError> {
        if options.is_empty() {
            return Err(ClauseError::NoOptions);
        }
        for (i, o) in options.iter().enumerate() {
            if options[..i].contains(o) {
                return Err(ClauseError::Duplicate(o.clone()));
            }
        }
        Ok(Clause {
            name: name.into(),
            kind: ClauseKind::Choice { options },
            description: None,
            negotiable: Negotiable::All,
        })
    }

    /// The same clause with a description.
    pub fn with_description(mut self, description: Option<String>) -> Clause {
        self.description = description;
        self
    }

    /// What values the clause takes.
    pub fn kind(&self) -> &ClauseKind {
        &self.kind
    }

    /// The same clause with only `negotiable` offered.
    pub fn with_negotiable(mut self, negotiable: Negotiable) -> Result<Clause, ClauseError> {
        match (&self.kind, &negotiable) {
            (_, Negotiable::All) => {}
            (
                ClauseKind::Range {
                    min, max, integer, ..
                },
                &Negotiable::Range { lo, hi },
            ) => {
                let inside = |x: f64| x.is_finite() && x >= *min && x <= *max;
                if !(inside(lo) && inside(hi) && lo <= hi) {
                    return Err(ClauseError::NegotiableRange {
                        lo,
                        hi,
                        min: *min,
                        max: *max,
                    });
                }
                if let Some(&x) = [lo, hi].iter().find(|x| *integer && x.fract() != 0.0) {
                    return Err(ClauseError::NegotiableFraction { value: x });
                }
            }
            (ClauseKind::Range { .. }, _) => {
                return Err(ClauseError::NegotiableKind("range", "options"));
            }
            (_, Negotiable::Options(ks)) => {
                let n = self.option_count();
                if ks.is_empty() {
                    return Err(ClauseError::NothingNegotiable);
                }
                for (i, &k) in ks.iter().enumerate() {
                    if k >= n || ks[..i].contains(&k) {
                        return Err(ClauseError::NegotiableOption(k));
                    }
                }
            }
            (ClauseKind::Bool, _) => return Err(ClauseError::NegotiableKind("bool", "a range")),
            (ClauseKind::Choice { .. }, _) => {
                return Err(ClauseError::NegotiableKind("choice", "a range"));
            }
        }
        self.negotiable = match negotiable {
            Negotiable::Options(mut ks) => {
                ks.sort_unstable();
                Negotiable::Options(ks)
            }
            other => other,
        };
        Ok(self)
    }

    /// What of the clause may be offered.
    pub fn negotiable(&self) -> &Negotiable {
        &self.negotiable
    }

    /// Whether value `x` of the clause may be offered.
    pub fn is_offerable(&self, x: f64) -> bool {
        match &self.negotiable {
            Negotiable::All => true,
            Negotiable::Options(ks) => ks.iter().any(|&k| k as f64 == x),
            Negotiable::Range { lo, hi } => x >= *lo && x <= *hi,
        }
    }

    /// The values a range clause may be offered at: the negotiable range, or its bounds.
    pub fn offer_bounds(&self) -> Option<(f64, f64)> {
        match (&self.kind, &self.negotiable) {
            (ClauseKind::Range { .. }, Negotiable::Range { lo, hi }) => Some((*lo, *hi)),
            (ClauseKind::Range { min, max, .. }, _) => Some((*min, *max)),
            _ => None,
        }
    }

    /// Options of a choice (2 for a bool, 0 for a range).
    fn option_count(&self) -> usize {
        match &self.kind {
            ClauseKind::Choice { options } => options.len(),
            ClauseKind::Bool => 2,
            ClauseKind::Range { .. } => 0,
        }
    }

    /// What may be offered, for `accord check` (`None` when everything may be).
    pub fn describe_negotiable(&self) -> Option<String> {
        match &self.negotiable {
            Negotiable::All => None,
            Negotiable::Options(ks) => Some(
                ks.iter()
                    .map(|&k| self.format_value(k as f64))
                    .collect::<Vec<_>>()
                    .join(" | "),
            ),
            Negotiable::Range { lo, hi } => Some(format!(
                "{} .. {}",
                self.format_value(*lo),
                self.format_value(*hi)
            )),
        }
    }

    /// Human-readable form of a value of this clause (`600,000 troops`, `renounced`, `yes`).
    pub fn format_value(&self, x: f64) -> String {
        match &self.kind {
            ClauseKind::Range { integer, unit, .. } => {
                let num = if *integer || x.fract() == 0.0 {
                    crate::text::thousands(x.round() as i64)
                } else {
                    format!("{x:.4}")
                };
                match unit {
                    Some(u) => format!("{num} {u}"),
                    None => num,
                }
            }
            ClauseKind::Bool => if x >= 0.5 { "yes" } else { "no" }.to_string(),
            ClauseKind::Choice { options } => options
                .get(x.round().max(0.0) as usize)
                .cloned()
                .unwrap_or_else(|| format!("#{x}")),
        }
    }

    /// Short description of the clause's domain for `accord check`.
    pub fn describe_domain(&self) -> String {
        match &self.kind {
            ClauseKind::Range {
                min, max, integer, ..
            } => format!(
                "{}range {} .. {}",
                if *integer { "integer " } else { "" },
                self.format_value(*min),
                self.format_value(*max)
            ),
            ClauseKind::Bool => "bool".to_string(),
            ClauseKind::Choice { options } => format!("choice: {}", options.join(" | ")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_format_by_kind() {
        let cap = Clause::range("troop_cap", 0.0, 1e6, true, Some("troops".into())).unwrap();
        assert_eq!(cap.format_value(600_000.0), "600,000 troops");
        let nato = Clause::choice("nato", vec!["renounced".into(), "open".into()]).unwrap();
        assert_eq!(nato.format_value(1.0), "open");
    }

    #[test]
    fn constructors_refuse_clauses_that_hold_no_value() {
        assert_eq!(
            Clause::range("x", 1.0, 1.0, false, None),
            Err(ClauseError::Empty { min: 1.0, max: 1.0 })
        );
        assert!(matches!(
            Clause::range("x", 0.0, f64::INFINITY, false, None),
            Err(ClauseError::NotFinite { bound: "max", .. })
        ));
        assert!(matches!(
            Clause::range("x", 0.5, 3.0, true, None),
            Err(ClauseError::Fractional { bound: "min", .. })
        ));
        assert_eq!(Clause::choice("c", vec![]), Err(ClauseError::NoOptions));
        assert_eq!(
            Clause::choice("c", vec!["a".into(), "a".into()]),
            Err(ClauseError::Duplicate("a".into()))
        );
    }
}
