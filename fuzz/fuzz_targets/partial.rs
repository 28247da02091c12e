//! Fuzz target `partial`: see `accord::fuzzing::partial` (the stable tests replay its corpus).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| accord::fuzzing::partial(data));
