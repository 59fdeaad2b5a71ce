//! The UI on the built-in scenarios, driven by arbitrary keys (`cartsim::fuzzing::keys`).

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| cartsim::fuzzing::keys(data));
