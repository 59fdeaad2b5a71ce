//! Nothing explored is lost: while a branch is unsaved, the UI keeps it in a recovery
//! file in the platform's state folder (`~/.local/state/cartsim/recovery` on Linux; the
//! local data folder where the platform has no state folder; `CARTSIM_STATE` names
//! another folder), rewritten atomically as the branch grows and removed once it is
//! saved or discarded. A killed UI (a closed terminal window, a dropped ssh session)
//! leaves it behind; the next start offers to recover it, and `cartsim recover` lists
//! and restores it.
//!
//! A recovery file holds the scenario's name and title, when it was made, the process
//! that made it, and what was played as a scenario file (the starting world and every
//! step played, script and branch, without expectations: writing it costs no
//! simulation). Restoring plays it once and writes what `w` would have saved.

use super::playback::Playback;
use super::timeline::Origin;
use crate::safe_write::{self, Permit};
use crate::scenario::{format::RawScenario, sanitize, save};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::path::{Path, PathBuf};

/// The folder recovery files are kept in, if the platform has one.
pub fn dir() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("CARTSIM_STATE").filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(p).join("recovery"));
    }
    let base = dirs::state_dir().or_else(dirs::data_local_dir)?;
    Some(base.join("cartsim").join("recovery"))
}

/// The recovery file of this process in `dir`: named after the time it started and its
/// process id, so no two UIs share one.
pub fn file_in(dir: &Path) -> PathBuf {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    dir.join(format!("branch-{secs}-{}.json", std::process::id()))
}

/// What a recovery file holds.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Kept {
    /// The format of this file.
    pub cartsim_recovery: u32,
    /// When it was written (RFC 3339, UTC).
    pub made: String,
    /// The process that wrote it (a running UI's file is not offered).
    pub pid: u32,
    /// The scenario's file, as the UI had it.
    pub scenario_file: String,
    /// The scenario's title.
    pub scenario_title: String,
    /// How many actions were taken off script.
    pub branch_actions: usize,
    /// What was played, as a scenario file.
    pub scenario: Value,
}

/// The recovery text of a playback: its scenario, and every entry played as a step.
pub fn snapshot(playback: &Playback) -> String {
    let scenario = playback.scenario();
    let mut branch_actions = 0;
    let steps: Vec<_> = playback
        .played()
        .iter()
        .map(|entry| {
            let mut step = save::raw_step(entry.kind, &entry.action);
            match entry.origin {
                Origin::Script(i) => {
                    if let Some(s) = scenario.steps.get(i) {
                        step.note = s.note().map(str::to_string);
                        step.marker = s.marker().map(str::to_string);
                    }
                }
                Origin::Branch => {
                    branch_actions += 1;
                    step.note = Some("explored in the UI (off script)".to_string());
                }
            }
            step
        })
        .collect();
    let raw = RawScenario {
        cartsim: Value::from(match scenario.edition {
            crate::engine::Edition::One => 1,
            crate::engine::Edition::Two => 2,
        }),
        title: scenario.title.clone(),
        summary: None,
        tags: Vec::new(),
        world: save::raw_world(&scenario.world),
        steps,
        explore: None,
    };
    let kept = Kept {
        cartsim_recovery: 1,
        made: jiff::Timestamp::now()
            .strftime("%Y-%m-%dT%H:%M:%SZ")
            .to_string(),
        pid: std::process::id(),
        scenario_file: scenario.file.clone(),
        scenario_title: scenario.title.clone(),
        branch_actions,
        scenario: serde_json::to_value(&raw).unwrap_or(Value::Null),
    };
    save::escape_unsafe(&serde_json::to_string(&kept).unwrap_or_default())
}

/// Keeps one UI's recovery file in step with its unsaved branch. `K` identifies the
/// branch as it is now, so the file is rewritten only when the branch changed.
#[derive(Debug)]
pub struct Keeper<K> {
    path: PathBuf,
    kept: Option<K>,
}

impl<K: PartialEq> Keeper<K> {
    /// A keeper writing `path` (nothing is written until there is a branch).
    pub fn new(path: PathBuf) -> Keeper<K> {
        Keeper { path, kept: None }
    }

    /// The file it writes.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// True while the file holds an unsaved branch.
    pub fn holds_a_branch(&self) -> bool {
        self.kept.is_some()
    }

    /// Writes the branch when it changed (`text` makes the file's text), or removes
    /// the file when there is no unsaved branch any more. Returns true when the file
    /// changed; an error says why it could not be kept.
    pub fn keep(
        &mut self,
        branch: Option<K>,
        text: impl FnOnce() -> String,
    ) -> Result<bool, String> {
        match branch {
            Some(key) if self.kept.as_ref() == Some(&key) => Ok(false),
            Some(key) => {
                if let Some(dir) = self.path.parent() {
                    std::fs::create_dir_all(dir)
                        .map_err(|e| format!("{}: cannot create: {e}", sanitize::path(dir)))?;
                }
                let permit = Permit {
                    overwrite: true,
                    follow_symlinks: false,
                };
                safe_write::write(&self.path, text().as_bytes(), permit)
                    .map_err(|e| e.to_string())?;
                self.kept = Some(key);
                Ok(true)
            }
            None if self.kept.is_some() => {
                self.kept = None;
                match std::fs::remove_file(&self.path) {
                    Ok(()) => Ok(true),
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(true),
                    Err(e) => Err(format!(
                        "{}: cannot remove: {e}",
                        sanitize::path(&self.path)
                    )),
                }
            }
            None => Ok(false),
        }
    }
}

/// A recovery file found in the folder.
#[derive(Debug, Clone)]
pub struct Recoverable {
    /// The file.
    pub path: PathBuf,
    /// What it holds.
    pub kept: Kept,
}

impl Recoverable {
    /// True when the UI that wrote it still runs (its branch is not lost, and it keeps
    /// writing the file). Call it before this process writes a recovery file of its own.
    pub fn writer_runs(&self) -> bool {
        let Ok(pid) = libc::pid_t::try_from(self.kept.pid) else {
            return false;
        };
        // A file with this process's id was left by an earlier process that had the same
        // id (in a container the UI may always get the same one): this process only
        // lists recovery files before it writes its own.
        if pid == 0 || self.kept.pid == std::process::id() {
            return false;
        }
        // SAFETY: kill(2) with signal 0 only checks that the process exists.
        let r = unsafe { libc::kill(pid, 0) };
        r == 0 || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
    }

    /// One line for a list: when, which scenario, how many actions off script, where.
    pub fn describe(&self) -> String {
        let k = &self.kept;
        let file = Path::new(&k.scenario_file)
            .file_name()
            .map_or(k.scenario_file.clone(), |f| {
                f.to_string_lossy().into_owned()
            });
        sanitize::line(&format!(
            "{}  {file}  \"{}\"  ({} action{} off script{})",
            k.made,
            k.scenario_title,
            k.branch_actions,
            if k.branch_actions == 1 { "" } else { "s" },
            if self.writer_runs() {
                ", its UI is still open"
            } else {
                ""
            }
        ))
    }

    /// What `w` would have saved: the kept steps played once, each with its expected
    /// result, titled after the scenario.
    pub fn restore(&self) -> Result<String, String> {
        let text = serde_json::to_string(&self.kept.scenario).map_err(|e| e.to_string())?;
        let scenario =
            crate::scenario::load_bytes(&self.path.display().to_string(), text.as_bytes())
                .map_err(|e| format!("the recovery file does not load: {e}"))?;
        let mut playback = Playback::new(scenario);
        playback.goto(playback.step_count());
        let title = format!("{} (recovered)", self.kept.scenario_title);
        Ok(save::escape_unsafe(
            &serde_json::to_string_pretty(&playback.export(&title)).unwrap_or_default(),
        ) + "\n")
    }

    /// Removes the file (the branch was restored or discarded).
    pub fn remove(&self) -> Result<(), String> {
        std::fs::remove_file(&self.path)
            .map_err(|e| format!("{}: cannot remove: {e}", sanitize::path(&self.path)))
    }
}

/// The recovery files in `dir`, oldest first. Files that are not recovery files are
/// skipped; one that cannot be read is reported.
pub fn list(dir: &Path) -> (Vec<Recoverable>, Vec<String>) {
    let mut found = Vec::new();
    let mut problems = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return (found, problems);
    };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("branch-") && n.ends_with(".json"))
        })
        .collect();
    paths.sort();
    for path in paths {
        let kept = crate::scenario::load::read_file(&path)
            .map_err(|e| e.to_string())
            .and_then(|bytes| {
                serde_json::from_slice::<Kept>(&bytes)
                    .map_err(|e| format!("{}: not a recovery file: {e}", sanitize::path(&path)))
            });
        match kept {
            Ok(kept) => found.push(Recoverable { path, kept }),
            Err(e) => problems.push(sanitize::line(&e)),
        }
    }
    found.sort_by(|a, b| a.kept.made.cmp(&b.kept.made));
    (found, problems)
}

/// The recoverable branches of UIs that no longer run, oldest first.
pub fn orphans(dir: &Path) -> Vec<Recoverable> {
    list(dir)
        .0
        .into_iter()
        .filter(|r| !r.writer_runs())
        .collect()
}
