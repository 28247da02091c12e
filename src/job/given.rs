//! Observed decisions a job's estimates are conditioned on: "ukraine accepts plan_19".
//!
//! Each observation names a party, a proposal and whether the party accepted it. The job
//! evaluates the observed proposals beside its own deals, and only the rounds whose sampled
//! worlds agree with every observation count (see [`crate::protocol::ratify::detail`]).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// The fewest rounds that must agree with the observations: fewer, and the observations are
/// (almost) impossible under the scenario, and estimates from so few rounds say nothing.
pub const MIN_KEPT: u64 = 100;

/// An observed decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Given {
    pub party: String,
    pub proposal: String,
    pub accepts: bool,
}

impl fmt::Display for Given {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let verb = if self.accepts { "accepts" } else { "rejects" };
        write!(f, "{} {verb} {}", self.party, self.proposal)
    }
}

impl FromStr for Given {
    type Err = String;

    /// `PARTY accepts PROPOSAL` or `PARTY rejects PROPOSAL` (also `accepted`/`rejected`).
    fn from_str(s: &str) -> Result<Given, String> {
        let words: Vec<&str> = s.split_whitespace().collect();
        let bad = || {
            format!(
                "`{s}` is not an observation like \"ukraine accepts plan_19\" or \"russia rejects plan_28\""
            )
        };
        let [party, verb, proposal] = words[..] else {
            return Err(bad());
        };
        let accepts = match verb {
            "accepts" | "accepted" => true,
            "rejects" | "rejected" => false,
            _ => return Err(bad()),
        };
        Ok(Given {
            party: party.to_string(),
            proposal: proposal.to_string(),
            accepts,
        })
    }
}

/// What a result conditioned on observations says about them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conditioning {
    /// The observations, as written.
    pub given: Vec<String>,
    /// Rounds that agree with every observation: the effective sample size of every estimate.
    pub kept: u64,
    /// Rounds played.
    pub played: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn observations_read_as_they_are_written() {
        let g: Given = "ukraine accepts plan_19".parse().unwrap();
        assert_eq!(
            g,
            Given {
                party: "ukraine".into(),
                proposal: "plan_19".into(),
                accepts: true
            }
        );
        assert_eq!(g.to_string(), "ukraine accepts plan_19");
        assert!(
            !"russia  rejected  plan_28"
                .parse::<Given>()
                .unwrap()
                .accepts
        );
        for bad in [
            "ukraine likes plan_19",
            "ukraine accepts",
            "",
            "a accepts b c",
        ] {
            assert!(bad.parse::<Given>().is_err(), "{bad}");
        }
    }
}
