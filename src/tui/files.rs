//! The files the UI deals with: the file watched (and its last load error), the folder
//! `w` saves in, the branch as last saved, and what to print once the terminal is given
//! back. The UI only decides; the run loop reads and writes (see [`super::effect`]).

use super::popup::save::shell_quote;
use crate::text as sanitize;
use std::path::{Path, PathBuf};

/// Where the UI's files are and what became of them.
#[derive(Debug, Clone)]
pub struct Files {
    /// Where `w` saves files when the scenario has no folder of its own (a built-in):
    /// the folder cartsim started in.
    pub save_dir: PathBuf,
    /// Watch mode: the file watched (sanitized).
    pub watching: Option<String>,
    /// Watch mode: the last load error (sanitized), shown in a banner.
    pub watch_error: Option<String>,
    /// The recorded branch as last saved (start, length, last entry), so an unchanged
    /// branch is not asked about again.
    pub saved_branch: Option<(usize, usize, String)>,
    /// Lines to print on the terminal once the UI has given it back (where "save, then
    /// quit" saved the branch, and how to replay it).
    pub farewell: Vec<String>,
}

impl Default for Files {
    fn default() -> Files {
        Files {
            save_dir: PathBuf::from("."),
            watching: None,
            watch_error: None,
            saved_branch: None,
            farewell: Vec::new(),
        }
    }
}

impl Files {
    /// The folder `w` saves in by default: the folder of `scenario_file` (the open
    /// scenario's file), or [`Files::save_dir`] for a built-in scenario or standard input.
    pub fn default_save_dir(&self, scenario_file: Option<&str>) -> PathBuf {
        match scenario_file.map(Path::new).and_then(Path::parent) {
            Some(parent) if !parent.as_os_str().is_empty() => {
                if parent.is_absolute() {
                    parent.to_path_buf()
                } else {
                    self.save_dir.join(parent)
                }
            }
            _ => self.save_dir.clone(),
        }
    }

    /// The branch as it is now (`key`) when it is not saved as it is: (start, actions).
    pub fn unsaved(&self, key: Option<(usize, usize, String)>) -> Option<(usize, usize)> {
        let (start, len, last) = key?;
        (self.saved_branch.as_ref() != Some(&(start, len, last))).then_some((start, len))
    }

    /// What a saved file's message says: where it went and how to replay it.
    pub fn saved_lines(path: &Path, steps: usize) -> [String; 2] {
        let shown = sanitize::line(&path.display().to_string());
        let quoted = sanitize::line(&shell_quote(&path.display().to_string()));
        [
            format!("{shown}: {steps} steps, each with its expected result"),
            format!("replay it with: cartsim run {quoted}"),
        ]
    }
}
