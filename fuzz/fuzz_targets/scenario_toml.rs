//! Fuzz target `scenario_toml`: see `accord::fuzzing::scenario_toml` (the stable tests replay its corpus).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| accord::fuzzing::scenario_toml(data));
