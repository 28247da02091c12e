//! Fuzz target `genius_web`: see `accord::fuzzing::genius_web` (the stable tests replay its corpus).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| accord::fuzzing::genius_web(data));
