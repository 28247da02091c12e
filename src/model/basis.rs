//! What a scenario's inputs rest on: for a clause, a proposal or one of a party's settings,
//! whether it is a reported fact or the modeller's assumption, in words, with the sources it
//! cites. Nothing in a run reads this; reports show it beside the numbers so a reader can
//! tell what was observed from what was supposed.

/// Whether an input was reported or supposed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// Reported by a cited source.
    Fact,
    /// The modeller's judgement.
    Assumption,
}

impl Standing {
    /// `fact` or `assumption`, as written in files.
    pub fn name(self) -> &'static str {
        match self {
            Standing::Fact => "fact",
            Standing::Assumption => "assumption",
        }
    }
}

/// One input's basis.
#[derive(Debug, Clone, PartialEq)]
pub struct Note {
    pub standing: Standing,
    /// What the fact is, or what is assumed and why.
    pub text: String,
    /// Indices (from 0) into the scenario's `sources`.
    pub sources: Vec<usize>,
}

/// The party settings a note can be about, in the order reports list them.
pub const PARTY_ITEMS: [&str; 6] = [
    "veto",
    "weights",
    "values",
    "reservation",
    "accept",
    "reference",
];

/// The notes on one party's settings, one slot per [`PARTY_ITEMS`] entry.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PartyBasis {
    pub items: [Option<Note>; PARTY_ITEMS.len()],
}

impl PartyBasis {
    /// The note on setting `item` (one of [`PARTY_ITEMS`]), if any.
    pub fn get(&self, item: &str) -> Option<&Note> {
        let i = PARTY_ITEMS.iter().position(|k| *k == item)?;
        self.items[i].as_ref()
    }
}

/// Every note in a scenario, by clause, proposal and party index. A scenario without notes
/// (and one not read from a file, such as a GENIUS import) has empty lists, which read as
/// "not marked" everywhere.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Basis {
    pub clauses: Vec<Option<Note>>,
    pub proposals: Vec<Option<Note>>,
    pub parties: Vec<PartyBasis>,
    /// The note on the correlations between uncertain parameters.
    pub correlation: Option<Note>,
}

impl Basis {
    /// The note on clause `i`.
    pub fn clause(&self, i: usize) -> Option<&Note> {
        self.clauses.get(i).and_then(Option::as_ref)
    }

    /// The note on proposal `i`.
    pub fn proposal(&self, i: usize) -> Option<&Note> {
        self.proposals.get(i).and_then(Option::as_ref)
    }

    /// The note on setting `item` of party `i`.
    pub fn party(&self, i: usize, item: &str) -> Option<&Note> {
        self.parties.get(i).and_then(|p| p.get(item))
    }

    /// Whether the scenario marks anything.
    pub fn is_empty(&self) -> bool {
        self.correlation.is_none()
            && self.clauses.iter().all(Option::is_none)
            && self.proposals.iter().all(Option::is_none)
            && self
                .parties
                .iter()
                .all(|p| p.items.iter().all(Option::is_none))
    }
}
