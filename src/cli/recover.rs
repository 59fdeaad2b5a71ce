//! `cartsim recover`: the unsaved branches that UIs which ended (a closed terminal
//! window, a dropped ssh session, a kill) left in the recovery folder, listed, restored
//! as scenario files, or discarded.

use crate::player::recovery::{self, Recoverable};
use crate::safe_write::{self, Permit};
use crate::scenario::sanitize;
use std::path::PathBuf;

/// The arguments of `cartsim recover`.
#[derive(Debug, Clone, clap::Args)]
pub struct RecoverArgs {
    /// The branch to restore or discard: its number in the list `cartsim recover` prints.
    #[arg(value_name = "N")]
    pub number: Option<usize>,
    /// Where to write the restored branch (default: the first free
    /// cartsim-branch-N.json in this folder).
    #[arg(short, long, value_name = "FILE", requires = "number")]
    pub output: Option<PathBuf>,
    /// Replace FILE if it exists.
    #[arg(long, requires = "output")]
    pub force: bool,
    /// Remove branch N without restoring it.
    #[arg(long, requires = "number", conflicts_with = "output")]
    pub discard: bool,
}

/// Runs `cartsim recover`; returns the exit status (0, or 2 when nothing could be done).
pub fn run(args: &RecoverArgs) -> u8 {
    let Some(dir) = recovery::dir() else {
        eprintln!("cartsim: this system has no state folder; set CARTSIM_STATE");
        return super::EXIT_LOAD;
    };
    let (found, problems) = recovery::list(&dir);
    for p in &problems {
        eprintln!("cartsim: {p}");
    }
    let Some(n) = args.number else {
        if found.is_empty() {
            println!(
                "No unsaved branch to recover (the recovery folder is {}).",
                sanitize::path(&dir)
            );
        } else {
            println!("Unsaved branches (restore one with `cartsim recover N`):");
            for (i, r) in found.iter().enumerate() {
                println!("{:>3}  {}", i + 1, r.describe());
            }
        }
        return super::EXIT_OK;
    };
    let Some(r) = n.checked_sub(1).and_then(|i| found.get(i)) else {
        eprintln!(
            "cartsim: recover {n}: there are {} unsaved branches; `cartsim recover` lists them",
            found.len()
        );
        return super::EXIT_LOAD;
    };
    if r.writer_runs() {
        eprintln!("cartsim: recover {n}: its UI is still open; save the branch there with w");
        return super::EXIT_LOAD;
    }
    if args.discard {
        return match r.remove() {
            Ok(()) => {
                println!("discarded: {}", r.describe());
                super::EXIT_OK
            }
            Err(e) => fail(&e),
        };
    }
    restore(r, args)
}

fn restore(r: &Recoverable, args: &RecoverArgs) -> u8 {
    let text = match r.restore() {
        Ok(t) => t,
        Err(e) => return fail(&e),
    };
    let path = args
        .output
        .clone()
        .unwrap_or_else(|| PathBuf::from(crate::tui::effect::free_name(std::path::Path::new("."))));
    let permit = Permit {
        overwrite: args.force,
        follow_symlinks: false,
    };
    match safe_write::write(&path, text.as_bytes(), permit) {
        Ok(_) => {
            if let Err(e) = r.remove() {
                eprintln!("cartsim: {e}");
            }
            println!(
                "recovered into {}; replay it with: cartsim run {}",
                sanitize::path(&path),
                sanitize::line(&crate::tui::popup::save::shell_quote(
                    &path.display().to_string()
                ))
            );
            super::EXIT_OK
        }
        Err(e) => fail(&e.to_string()),
    }
}

fn fail(e: &str) -> u8 {
    eprintln!("cartsim: {}", sanitize::line(e));
    super::EXIT_LOAD
}
