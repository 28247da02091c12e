//! Partial results: what one shard of a run writes, and everything `merge` needs to check
//! and combine it — the scenario's text, the seed, the rounds, what was asked for, the
//! shard's blocks and their tally, and a checksum of all of it.
//!
//! Format 3 (`"accord_partial": 3`): the tally is `{"deals": …}` (ratify) or
//! `{"scenarios": […]}` (dynamic protocols, one per point), the request names what was
//! evaluated, and `checksum` is the FNV-1a 64-bit hash of the partial written compactly with
//! an empty checksum. The checksum catches a file altered by hand or damaged in transit; it
//! is not a signature.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::{Job, Played, Shard, Tally};
use crate::scenario::Source;
use crate::sim::seed::{SEED_CONTRACT, rounds_in_block};

/// Version of the partial-result file format (5: the seed contract is recorded).
pub const PARTIAL_FORMAT: u32 = 5;

/// One shard's result. `R` is what the run was asked to evaluate, recorded so the job can be
/// rebuilt for the merge.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Partial<R> {
    pub accord_partial: u32,
    /// accord's version: partials of different versions are not combined.
    pub version: String,
    /// The seed contract the rounds were drawn under ([`SEED_CONTRACT`]): shards drawn under
    /// different contracts are different random worlds, never combined.
    pub seed_contract: u32,
    /// `fnv1a64:` and 16 hex digits.
    pub checksum: String,
    #[serde(flatten)]
    pub source: Source,
    pub seed: u64,
    pub rounds: u64,
    pub shard: Shard,
    /// `[start, end)` block indices played.
    pub blocks: [u64; 2],
    pub request: R,
    pub tally: Tally,
}

/// A partial that cannot be read or combined.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PartialError {
    #[error("{name}:{line}:{column}: not a partial result of accord: {message}")]
    Unreadable {
        name: String,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{name}: partial format {found} is not {PARTIAL_FORMAT}, the one this accord reads")]
    Format { name: String, found: u64 },
    #[error("{name} was written by accord {found}, this is accord {}", env!("CARGO_PKG_VERSION"))]
    Version { name: String, found: String },
    #[error(
        "{name} was drawn under seed contract {found}; this accord draws under contract {SEED_CONTRACT}, so its rounds are other worlds: play the shard again"
    )]
    SeedContract { name: String, found: u32 },
    #[error(
        "{name} (shard {shard}): its checksum does not match its content; the file was altered or damaged"
    )]
    Checksum { name: String, shard: Shard },
    #[error(
        "{name} (shard {shard}): its blocks [{}, {}) are not the ones shard {shard} of {rounds} rounds plays; the file was altered", blocks[0], blocks[1]
    )]
    Blocks {
        name: String,
        shard: Shard,
        blocks: [u64; 2],
        rounds: u64,
    },
    #[error("{name} (shard {shard}): its tally is impossible: {problem}; the file was altered")]
    Tally {
        name: String,
        shard: Shard,
        problem: String,
    },
    #[error("{name} and {first} differ in {what} ({a} vs {b}): they are not shards of one run")]
    Differ {
        name: String,
        first: String,
        what: &'static str,
        a: String,
        b: String,
    },
    #[error("cannot merge: {}", problems.join("; "))]
    Coverage { problems: Vec<String>, n: u64 },
    #[error(
        "{name}: its tally does not have the shape of the job it names; the file was altered or written for another job"
    )]
    Shape { name: String },
    #[error("no partial result to merge")]
    Nothing,
}

impl<R: Clone + Serialize + DeserializeOwned> Partial<R> {
    /// The partial of `job`'s shard `shard`, played as `played`, from scenario `source`.
    pub fn new(source: &Source, job: &Job, shard: Shard, request: R, played: Played) -> Self {
        let options = job.options();
        let mut partial = Partial {
            accord_partial: PARTIAL_FORMAT,
            version: env!("CARGO_PKG_VERSION").to_string(),
            seed_contract: SEED_CONTRACT,
            checksum: String::new(),
            source: source.clone(),
            seed: options.seed,
            rounds: options.rounds,
            shard,
            blocks: [played.blocks.start, played.blocks.end],
            request,
            tally: played.tally,
        };
        partial.checksum = partial.content_hash();
        partial
    }

    /// The partial as pretty JSON with a final newline.
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).expect("a partial serialises");
        s.push('\n');
        s
    }

    /// Reads and checks a partial: its format and version, its checksum, that its blocks are
    /// its shard's and that its tally could come from them. `name` is what errors call it.
    pub fn from_json(text: &str, name: &str) -> Result<Self, PartialError> {
        let unreadable = |e: serde_json::Error| PartialError::Unreadable {
            name: name.to_string(),
            line: e.line(),
            column: e.column(),
            message: crate::text::without_position(&e.to_string()),
        };
        // The format number first: a partial of another format fails on its own terms.
        let value: serde_json::Value = serde_json::from_str(text).map_err(unreadable)?;
        match value.get("accord_partial").and_then(|f| f.as_u64()) {
            Some(f) if f == PARTIAL_FORMAT as u64 => {}
            Some(found) => {
                return Err(PartialError::Format {
                    name: name.to_string(),
                    found,
                });
            }
            None => {}
        }
        let partial: Partial<R> = serde_json::from_str(text).map_err(unreadable)?;
        if partial.version != env!("CARGO_PKG_VERSION") {
            return Err(PartialError::Version {
                name: name.to_string(),
                found: partial.version,
            });
        }
        if partial.seed_contract != SEED_CONTRACT {
            return Err(PartialError::SeedContract {
                name: name.to_string(),
                found: partial.seed_contract,
            });
        }
        if partial.checksum != partial.content_hash() {
            return Err(PartialError::Checksum {
                name: name.to_string(),
                shard: partial.shard,
            });
        }
        let expected = partial
            .shard
            .slice(crate::sim::seed::block_count(partial.rounds));
        if partial.blocks != [expected.start, expected.end] || expected.is_empty() {
            return Err(PartialError::Blocks {
                name: name.to_string(),
                shard: partial.shard,
                blocks: partial.blocks,
                rounds: partial.rounds,
            });
        }
        let rounds: u64 = expected.map(|b| rounds_in_block(partial.rounds, b)).sum();
        partial
            .tally
            .check(rounds)
            .map_err(|problem| PartialError::Tally {
                name: name.to_string(),
                shard: partial.shard,
                problem,
            })?;
        Ok(partial)
    }

    /// The checksum of everything but the checksum itself: the partial written compactly
    /// with an empty checksum.
    fn content_hash(&self) -> String {
        let blank = Partial {
            checksum: String::new(),
            ..self.clone()
        };
        let text = serde_json::to_string(&blank).expect("a partial serialises");
        format!("fnv1a64:{:016x}", fnv1a64(text.as_bytes()))
    }
}

/// The 64-bit FNV-1a hash.
fn fnv1a64(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ b as u64).wrapping_mul(0x0000_0100_0000_01b3)
    })
}
