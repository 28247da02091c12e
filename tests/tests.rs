//! accord's integration tests, in one test binary (like ripgrep's): each module is a topic.
//!
//! Statistical tests are seeded and use far-tail thresholds (6 standard errors, or the 1e-6
//! critical value of the Kolmogorov–Smirnov statistic): a failure means a defect.

mod common;

mod bad_input;
mod calibrate;
mod cli;
mod concessions;
mod determinism;
mod dynamic_cli;
mod exports;
mod fearon;
mod formats;
mod fuzz_replay;
mod gaps;
mod genius;
mod given;
mod layers;
mod limits;
mod logit;
mod negotiable;
mod outcomes;
mod output;
mod protocols;
mod report;
mod search;
mod seeds;
mod semantics;
mod sensitivity;
mod shards;
mod statistics;
mod sweep;
mod voting;
