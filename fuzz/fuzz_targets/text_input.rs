#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| kabinet::fuzzing::text_input(data));
