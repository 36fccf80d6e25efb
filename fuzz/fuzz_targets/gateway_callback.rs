#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| kabinet::fuzzing::gateway_callback(data));
