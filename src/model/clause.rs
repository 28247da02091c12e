//! Clauses: the negotiable terms of a deal.

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

/// One negotiable term of a deal.
#[derive(Debug, Clone, PartialEq)]
pub struct Clause {
    pub name: String,
    pub kind: ClauseKind,
    /// Free text shown by `accord check`.
    pub description: Option<String>,
}

impl Clause {
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
        let cap = Clause {
            name: "troop_cap".into(),
            kind: ClauseKind::Range {
                min: 0.0,
                max: 1e6,
                integer: true,
                unit: Some("troops".into()),
            },
            description: None,
        };
        assert_eq!(cap.format_value(600_000.0), "600,000 troops");
        let nato = Clause {
            name: "nato".into(),
            kind: ClauseKind::Choice {
                options: vec!["renounced".into(), "open".into()],
            },
            description: None,
        };
        assert_eq!(nato.format_value(1.0), "open");
    }
}
