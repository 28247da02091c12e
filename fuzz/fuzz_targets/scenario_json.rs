//! Fuzz target `scenario_json`: see `accord::fuzzing::scenario_json` (the stable tests replay its corpus).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| accord::fuzzing::scenario_json(data));
