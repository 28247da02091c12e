//! `--trace N`: the step-by-step play of the first rounds, as JSON lines.
//!
//! Protocols report what happens through a [`Recorder`]. The Monte Carlo runner passes
//! [`NoRecord`], whose methods are empty and vanish when the play is compiled, so tracing
//! costs nothing in the hot loop. Traced rounds are replayed one by one on the same worlds
//! (the same seed contract), so a trace shows exactly the rounds the run counted.
//!
//! Line shapes (one JSON object per line, every line with `"round"`, from 0):
//! - `{"round", "step", "event": "shift_reservation" | "leave" | "deadline", "party"?, "by"?, "deadline"?}`
//! - alternating and equilibrium: `{"round", "step", "proposer", "target", "offer": {clause: value},
//!   "utility": {party: u}, "responses": {party: true|false}}` (the proposer's own utility is
//!   under `"utility"` too; `"target"` is null in equilibrium)
//! - mediated: `{"round", "step", "text": {clause: value}, "votes": {party: {"utility", "accept"}},
//!   "amendment": {"clause", "from", "to"} | null}`
//! - last line of a round: `{"round", "end": "agreement" | "breakdown" | "deadline" | "stalled" |
//!   "deserted", "step", "deal": {clause: value} | null}`
//!
//! Clause values are numbers for ranges, option names for choices and `true`/`false` for bools.

use serde_json::{Map, Value, json};

use super::Ending;
use crate::model::{ClauseKind, Event, EventKind, Scenario};

/// One party's answer to an offer or vote on a text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Response {
    pub party: usize,
    pub utility: f64,
    pub accept: bool,
}

/// One offer in alternating offers (or the equilibrium path).
#[derive(Debug, Clone, Copy)]
pub struct OfferStep<'a> {
    pub step: u32,
    pub proposer: usize,
    /// The proposer's target utility (NaN when it has none).
    pub target: f64,
    /// The offer, one value per clause.
    pub deal: &'a [f64],
    pub proposer_utility: f64,
    pub responses: &'a [Response],
}

/// An amendment of the single text: clause, old value, new value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Amendment {
    pub clause: usize,
    pub from: f64,
    pub to: f64,
}

/// One vote on the mediator's text.
#[derive(Debug, Clone, Copy)]
pub struct TextStep<'a> {
    pub step: u32,
    pub text: &'a [f64],
    pub votes: &'a [Response],
    pub amendment: Option<Amendment>,
}

/// Receives what happens in a round.
pub trait Recorder {
    /// Whether the recorder ignores every step: then a protocol may play runs of repeated
    /// steps in one go (the same ending and tallies, without the steps' calls).
    const QUIET: bool = false;
    fn event(&mut self, _step: u32, _event: &Event, _value: f64) {}
    fn offer(&mut self, _offer: &OfferStep<'_>) {}
    fn text(&mut self, _text: &TextStep<'_>) {}
    fn end(&mut self, _ending: &Ending, _deal: Option<&[f64]>) {}
}

/// Records nothing: the Monte Carlo runs.
pub struct NoRecord;

impl Recorder for NoRecord {
    const QUIET: bool = true;
}

/// Writes each round's play as JSON lines to `out` as it happens, so a trace of many long
/// rounds never sits in memory. The first write error stops the writing and is kept.
pub struct TraceWriter<'a> {
    scenario: &'a Scenario,
    round: u64,
    out: &'a mut dyn std::io::Write,
    error: Option<std::io::Error>,
}

impl<'a> TraceWriter<'a> {
    /// A writer of `scenario`'s rounds to `out`.
    pub fn new(scenario: &'a Scenario, out: &'a mut dyn std::io::Write) -> Self {
        TraceWriter {
            scenario,
            round: 0,
            out,
            error: None,
        }
    }

    /// Lines from now on are of round `round`.
    pub fn start_round(&mut self, round: u64) {
        self.round = round;
    }

    /// The first write error, if any.
    pub fn finish(self) -> std::io::Result<()> {
        self.error.map_or(Ok(()), Err)
    }

    fn push(&mut self, mut fields: Map<String, Value>) {
        if self.error.is_some() {
            return;
        }
        let mut line = Map::new();
        line.insert("round".into(), json!(self.round));
        line.append(&mut fields);
        let text = Value::Object(line).to_string();
        if let Err(e) = writeln!(self.out, "{text}") {
            self.error = Some(e);
        }
    }

    fn name(&self, p: usize) -> Value {
        json!(self.scenario.parties[p].name)
    }
}

/// A clause value as JSON: a number, an option name, or a bool.
pub fn clause_json(scenario: &Scenario, c: usize, x: f64) -> Value {
    match scenario.clauses[c].kind() {
        ClauseKind::Range { .. } => json!(x),
        ClauseKind::Bool => json!(x >= 0.5),
        ClauseKind::Choice { options } => json!(
            options
                .get(x.round().max(0.0) as usize)
                .cloned()
                .unwrap_or_default()
        ),
    }
}

/// A deal as a JSON object by clause name.
pub fn deal_json(scenario: &Scenario, deal: &[f64]) -> Value {
    Value::Object(
        scenario
            .clauses
            .iter()
            .zip(deal)
            .enumerate()
            .map(|(c, (cl, &x))| (cl.name.clone(), clause_json(scenario, c, x)))
            .collect(),
    )
}

fn number(x: f64) -> Value {
    // `+ 0.0` turns −0 into 0, so traces never show "-0.0".
    if x.is_finite() {
        json!(x + 0.0)
    } else {
        Value::Null
    }
}

impl Recorder for TraceWriter<'_> {
    fn event(&mut self, step: u32, event: &Event, value: f64) {
        let mut m = Map::new();
        m.insert("step".into(), json!(step));
        match event.kind {
            EventKind::ShiftReservation { party, .. } => {
                m.insert("event".into(), json!("shift_reservation"));
                m.insert("party".into(), self.name(party));
                m.insert("by".into(), number(value));
            }
            EventKind::Leave { party } => {
                m.insert("event".into(), json!("leave"));
                m.insert("party".into(), self.name(party));
            }
            EventKind::Deadline { steps } => {
                m.insert("event".into(), json!("deadline"));
                m.insert("deadline".into(), json!(steps));
            }
        }
        self.push(m);
    }

    fn offer(&mut self, o: &OfferStep<'_>) {
        let mut m = Map::new();
        m.insert("step".into(), json!(o.step));
        m.insert("proposer".into(), self.name(o.proposer));
        m.insert("target".into(), number(o.target));
        m.insert("offer".into(), deal_json(self.scenario, o.deal));
        let mut utility = Map::new();
        utility.insert(
            self.scenario.parties[o.proposer].name.clone(),
            number(o.proposer_utility),
        );
        let mut responses = Map::new();
        for r in o.responses {
            let name = self.scenario.parties[r.party].name.clone();
            utility.insert(name.clone(), number(r.utility));
            responses.insert(name, json!(r.accept));
        }
        m.insert("utility".into(), Value::Object(utility));
        m.insert("responses".into(), Value::Object(responses));
        self.push(m);
    }

    fn text(&mut self, t: &TextStep<'_>) {
        let mut m = Map::new();
        m.insert("step".into(), json!(t.step));
        m.insert("text".into(), deal_json(self.scenario, t.text));
        let votes: Map<String, Value> = t
            .votes
            .iter()
            .map(|v| {
                (
                    self.scenario.parties[v.party].name.clone(),
                    json!({ "utility": number(v.utility), "accept": v.accept }),
                )
            })
            .collect();
        m.insert("votes".into(), Value::Object(votes));
        let amendment = match t.amendment {
            Some(a) => json!({
                "clause": self.scenario.clauses[a.clause].name,
                "from": clause_json(self.scenario, a.clause, a.from),
                "to": clause_json(self.scenario, a.clause, a.to),
            }),
            None => Value::Null,
        };
        m.insert("amendment".into(), amendment);
        self.push(m);
    }

    fn end(&mut self, ending: &Ending, deal: Option<&[f64]>) {
        let mut m = Map::new();
        m.insert("end".into(), json!(ending.kind.name()));
        m.insert("step".into(), json!(ending.step));
        m.insert(
            "deal".into(),
            deal.map_or(Value::Null, |d| deal_json(self.scenario, d)),
        );
        self.push(m);
    }
}
