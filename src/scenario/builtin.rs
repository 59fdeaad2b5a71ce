//! The scenarios shipped inside the binary, so `cartsim` works from any folder.

/// A scenario file compiled into the binary: its file name and text.
pub struct Builtin {
    /// The file name in `scenarios/`.
    pub name: &'static str,
    /// The file's text.
    pub text: &'static str,
}

include!(concat!(env!("OUT_DIR"), "/builtin_scenarios.rs"));
