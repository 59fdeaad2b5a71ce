//! The scenario loader on arbitrary bytes (`cartsim::fuzzing::load`).

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| cartsim::fuzzing::load(data));
