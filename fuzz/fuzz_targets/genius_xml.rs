//! Fuzz target `genius_xml`: see `accord::fuzzing::genius_xml` (the stable tests replay its corpus).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| accord::fuzzing::genius_xml(data));
