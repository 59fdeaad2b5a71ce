//! The `cartsim` binary: see [`cartsim::cli`].

fn main() -> std::process::ExitCode {
    cartsim::cli::main()
}
