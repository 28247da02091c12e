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
        })
    }

    /// A yes-or-no clause.
    pub fn boolean(name: impl Into<String>) -> Clause {
        Clause {
            name: name.into(),
            kind: ClauseKind::Bool,
            description: None,
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
