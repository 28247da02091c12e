//! What can be wrong with a job: typed, worded without command-line flags (the CLI adds them).

use crate::model::MAX_ROUNDS;

/// A job that cannot be played as asked.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum JobError {
    #[error("{0} rounds: a run has from 1 to {max} rounds", max = crate::text::thousands(MAX_ROUNDS))]
    Rounds(u64),
    #[error(
        "{0} is not a precision: give a 95% half-width between 0 and 0.5 (exclusive), e.g. 0.005"
    )]
    Precision(f64),
    #[error("{k}/{n} is not a shard: K/N needs 1 <= K <= N, e.g. 3/8")]
    Shard { k: u64, n: u64 },
    #[error(
        "{} rounds make only {blocks} {} of 1,024 rounds, so at most {blocks} {}",
        crate::text::thousands(*rounds),
        crate::text::plural(*blocks, "block", "blocks"),
        crate::text::plural(*blocks, "shard", "shards")
    )]
    TooManyShards { n: u64, rounds: u64, blocks: u64 },
    #[error("nothing to play: the job has no variant")]
    NoVariants,
    #[error("the variants do not fit the scenario's {0} protocol")]
    Protocol(&'static str),
    #[error("a deal must give a value for each of the scenario's {clauses} clauses")]
    DealLength { clauses: usize },
    #[error("the swept outside option names no party of the scenario, or not one value per deal")]
    ReservationAxis,
    #[error("the tally is of another kind or shape than this job's")]
    TallyKind,
}

impl From<JobError> for crate::error::Invalid {
    fn from(e: JobError) -> Self {
        use crate::error::About;
        let about = match &e {
            JobError::Rounds(_) => About::Rounds,
            JobError::Precision(_) => About::Precision,
            JobError::Shard { .. } | JobError::TooManyShards { .. } => About::Shard,
            _ => About::Request,
        };
        crate::error::Invalid::new(about, e.to_string())
    }
}
