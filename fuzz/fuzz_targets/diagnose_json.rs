//! `cartsim diagnose` on arbitrary files (`cartsim::fuzzing::diagnose`; NUL bytes split
//! the input into files), started from the JSON exports of the ticket fixtures.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| cartsim::fuzzing::diagnose(data));
