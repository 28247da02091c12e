//! The validated scenario: everything a run needs, immutable and shared across threads.

use super::Deal;
use super::basis::Basis;
use super::clause::Clause;
use super::dist::{Dist, Truncated};
use super::dynamic::{DynamicError, DynamicSpec, Mediator};
use super::param::{Correlation, UncertainParam};
use super::party::Party;
use super::pie::{BaronFerejohn, Pie};
use super::rule::Rule;

/// A named deal from the scenario file.
#[derive(Debug, Clone, PartialEq)]
pub struct Proposal {
    pub name: String,
    pub description: Option<String>,
    pub deal: Deal,
}

/// How a deal is reached inside one round.
#[derive(Debug, Clone, PartialEq)]
pub enum ProtocolSpec {
    /// Put fixed texts to every party; agreement by `rule` (by default when every veto party
    /// accepts). Lists the proposal indices to evaluate (all, by default).
    Ratify { proposals: Vec<usize>, rule: Rule },
    /// Stacked alternating offers among the negotiators, with concession tactics.
    Alternating { dynamic: DynamicSpec },
    /// A mediator amends a single negotiating text, starting from proposal `start`, until
    /// every veto party accepts it.
    Mediated {
        dynamic: DynamicSpec,
        start: usize,
        mediator: Mediator,
    },
    /// The subgame-perfect equilibrium of finite-horizon stacked alternating offers among the
    /// negotiators (two or more) under unanimity, by backward induction: over the deal space,
    /// or over the divisions of a pie.
    Equilibrium {
        dynamic: DynamicSpec,
        pie: Option<Pie>,
    },
    /// Baron–Ferejohn legislative bargaining over a pie, played by its stationary equilibrium.
    BaronFerejohn(Box<BaronFerejohn>),
}

impl ProtocolSpec {
    /// Name of the protocol as written in files and reports.
    pub fn name(&self) -> &'static str {
        match self {
            ProtocolSpec::Ratify { .. } => "ratify",
            ProtocolSpec::Alternating { .. } => "alternating",
            ProtocolSpec::Mediated { .. } => "mediated",
            ProtocolSpec::Equilibrium { .. } => "equilibrium",
            ProtocolSpec::BaronFerejohn(_) => "baron_ferejohn",
        }
    }

    /// The agreement rule: which sets of accepting parties make a deal.
    pub fn rule(&self) -> &Rule {
        match self {
            ProtocolSpec::Ratify { rule, .. } => rule,
            ProtocolSpec::Alternating { dynamic }
            | ProtocolSpec::Mediated { dynamic, .. }
            | ProtocolSpec::Equilibrium { dynamic, .. } => dynamic.rule(),
            ProtocolSpec::BaronFerejohn(bf) => bf.dynamic.rule(),
        }
    }

    /// How many parties vote under the rule, of `parties`: the negotiators in the offer
    /// protocols (`alternating`, `equilibrium`; every member in `baron_ferejohn`), every party
    /// otherwise.
    pub fn voters(&self, parties: usize) -> usize {
        match self {
            ProtocolSpec::Alternating { dynamic } | ProtocolSpec::Equilibrium { dynamic, .. } => {
                dynamic.order().len()
            }
            _ => parties,
        }
    }

    /// The step-by-step settings of a dynamic protocol (`None` for ratify).
    pub fn dynamic(&self) -> Option<&DynamicSpec> {
        match self {
            ProtocolSpec::Ratify { .. } => None,
            ProtocolSpec::Alternating { dynamic }
            | ProtocolSpec::Mediated { dynamic, .. }
            | ProtocolSpec::Equilibrium { dynamic, .. } => Some(dynamic),
            ProtocolSpec::BaronFerejohn(bf) => Some(&bf.dynamic),
        }
    }

    /// The step-by-step settings of a dynamic protocol, to change through their setters.
    pub fn dynamic_mut(&mut self) -> Option<&mut DynamicSpec> {
        match self {
            ProtocolSpec::Ratify { .. } => None,
            ProtocolSpec::Alternating { dynamic }
            | ProtocolSpec::Mediated { dynamic, .. }
            | ProtocolSpec::Equilibrium { dynamic, .. } => Some(dynamic),
            ProtocolSpec::BaronFerejohn(bf) => Some(&mut bf.dynamic),
        }
    }
}

/// Where the breakdown draw's slot is recorded: [`UncertainParam::path`] of that slot.
pub const BREAKDOWN_DRAW: &str = "protocol.breakdown";

/// The most rounds a run may have: 10¹², about a day on one core for the peace plan, and far
/// below where exact sums could overflow (a sum of 10¹² utilities in units of 2⁻⁴⁰ needs
/// about 2⁸⁰ of the 2¹²⁷ an `i128` holds).
pub const MAX_ROUNDS: u64 = 1_000_000_000_000;

/// Defaults for the Monte Carlo run; the command line can override them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SimulationSpec {
    pub rounds: u64,
    pub seed: u64,
}

impl Default for SimulationSpec {
    fn default() -> Self {
        SimulationSpec {
            rounds: 100_000,
            seed: 1,
        }
    }
}

/// A validated scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    pub name: String,
    pub description: Option<String>,
    pub sources: Vec<String>,
    /// Which inputs are reported facts and which assumptions, with their sources.
    pub basis: Basis,
    pub clauses: Vec<Clause>,
    pub proposals: Vec<Proposal>,
    pub parties: Vec<Party>,
    /// Every uncertain parameter, in slot order.
    pub uncertain: Vec<UncertainParam>,
    /// Groups of uncertain parameters drawn jointly.
    pub correlations: Vec<Correlation>,
    pub protocol: ProtocolSpec,
    pub simulation: SimulationSpec,
}

impl Scenario {
    /// Index of the clause called `name`.
    pub fn clause_index(&self, name: &str) -> Option<usize> {
        self.clauses.iter().position(|c| c.name == name)
    }

    /// Index of the proposal called `name`.
    pub fn proposal_index(&self, name: &str) -> Option<usize> {
        self.proposals.iter().position(|p| p.name == name)
    }

    /// Index of the party called `name`.
    pub fn party_index(&self, name: &str) -> Option<usize> {
        self.parties.iter().position(|p| p.name == name)
    }

    /// Names of the veto parties, in party order.
    pub fn veto_parties(&self) -> impl Iterator<Item = &Party> {
        self.parties.iter().filter(|p| p.veto)
    }
}

impl Scenario {
    /// Adds the round's breakdown draw (a uniform on [0, 1], [`BREAKDOWN_DRAW`]) as the last
    /// uncertain parameter, unless the dynamic protocol has it already; nothing for ratify.
    /// Every round then draws it, whatever the breakdown risk (a sweep over the risk adds it
    /// once, so its points share their worlds).
    pub fn with_breakdown_draw(&mut self) -> &mut Self {
        let next = self.uncertain.len();
        if let Some(d) = self.protocol.dynamic_mut()
            && d.breakdown_slot().is_none()
        {
            d.set_breakdown_slot(next);
            let dist = Truncated::new(Dist::Uniform { lo: 0.0, hi: 1.0 }, 0.0, 1.0)
                .expect("the unit uniform has all its mass in [0, 1]");
            self.uncertain.push(UncertainParam {
                path: BREAKDOWN_DRAW.to_string(),
                dist,
            });
        }
        self
    }

    /// Sets the dynamic protocol's breakdown risk per step to `p` in [0, 1), adding the
    /// round's breakdown draw when `p > 0` ([`Scenario::with_breakdown_draw`]).
    pub fn set_breakdown(&mut self, p: f64) -> Result<(), DynamicError> {
        if self.protocol.dynamic().is_none() {
            return Err(DynamicError::NotDynamic(self.protocol.name()));
        }
        // Checked before the draw is added, so a refused value leaves the scenario as it was.
        if !(p.is_finite() && (0.0..1.0).contains(&p)) {
            return Err(DynamicError::Breakdown(p));
        }
        if p > 0.0 {
            self.with_breakdown_draw();
        }
        self.protocol
            .dynamic_mut()
            .expect("checked above")
            .set_breakdown(p)
    }

    /// Every uncertain parameter at its distribution's mean (clamped to its valid range):
    /// the "beliefs" a party holds about the others, and the centre of a swept parameter.
    pub fn mean_slots(&self) -> Vec<f64> {
        self.uncertain
            .iter()
            .map(|u| u.dist.dist.mean().clamp(u.dist.lo, u.dist.hi))
            .collect()
    }
}
