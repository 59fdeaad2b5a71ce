//! The one rule for FILE arguments: a path on disk is read; a folder means its `*.json`
//! files (sorted by name); `-` means standard input; and a name that is not on disk is
//! looked up among the built-in scenarios, with or without `.json`, or by its number
//! (`48`; `cartsim list` prints them).

use crate::scenario::format::RawScenario;
use crate::scenario::{self, LoadError, Scenario, builtin::BUILTIN, load::MAX_FILE_BYTES};
use std::path::{Path, PathBuf};

/// The name standard input gets in messages.
pub const STDIN_NAME: &str = "<stdin>";

fn error(file: &Path, message: String) -> LoadError {
    LoadError {
        file: scenario::sanitize::path(file),
        position: None,
        path: None,
        message,
    }
}

/// A built-in scenario by name (with or without `.json`) or by its file number
/// (`48` or `048` is `48-aura-vs-lwr.json`).
pub fn builtin(name: &str) -> Option<&'static scenario::builtin::Builtin> {
    let number = (!name.is_empty() && name.chars().all(|c| c.is_ascii_digit()))
        .then(|| name.parse::<u32>().ok())
        .flatten();
    BUILTIN.iter().find(|b| {
        b.name == name
            || b.name.trim_end_matches(".json") == name
            || number.is_some() && scenario::file_number(b.name) == number
    })
}

fn stdin() -> Result<Scenario, LoadError> {
    // load_bytes names the cap when the input is over it.
    scenario::load_bytes(STDIN_NAME, &stdin_bytes()?)
}

fn stdin_with_raw() -> Result<(Scenario, RawScenario), LoadError> {
    // load_with_raw names the cap when the input is over it.
    scenario::load_with_raw(STDIN_NAME, &stdin_bytes()?)
}

fn stdin_bytes() -> Result<Vec<u8>, LoadError> {
    use std::io::Read;
    let mut bytes = Vec::new();
    std::io::stdin()
        .lock()
        .take(MAX_FILE_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| error(Path::new(STDIN_NAME), format!("cannot read: {e}")))?;
    Ok(bytes)
}

/// The `*.json` files of a folder, sorted by name.
fn folder(dir: &Path) -> Result<Vec<PathBuf>, LoadError> {
    let entries =
        std::fs::read_dir(dir).map_err(|e| error(dir, format!("cannot read the folder: {e}")))?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(error(
            dir,
            "the folder holds no .json files; expected scenario files".to_string(),
        ));
    }
    Ok(files)
}

/// Loads every scenario the arguments name, in order; one result per scenario (a folder
/// gives one per file, or one error when it holds none).
pub fn load_all(files: &[PathBuf]) -> Vec<Result<Scenario, LoadError>> {
    let mut out = Vec::new();
    for file in files {
        if file.as_os_str() == "-" {
            out.push(stdin());
        } else if file.is_dir() {
            match folder(file) {
                Ok(paths) => out.extend(paths.iter().map(|p| scenario::load_file(p))),
                Err(e) => out.push(Err(e)),
            }
        } else {
            out.push(load_one(file));
        }
    }
    out
}

/// [`load_all`] for a headless run, which checks the expectation paths as it plays
/// (see [`scenario::load::Unplayed`]). Lazy: each file is read when its turn comes,
/// so only one file is held at a time.
pub fn load_all_unplayed(
    files: &[PathBuf],
) -> impl Iterator<Item = Result<scenario::load::Unplayed, LoadError>> + '_ {
    use scenario::load::{load_file_unplayed, load_unplayed};
    files.iter().flat_map(|file| {
        let each: Vec<Box<dyn FnOnce() -> Result<_, LoadError>>> = if file.as_os_str() == "-" {
            vec![Box::new(|| load_unplayed(STDIN_NAME, &stdin_bytes()?))]
        } else if file.is_dir() {
            match folder(file) {
                Ok(paths) => paths
                    .into_iter()
                    .map(|p| Box::new(move || load_file_unplayed(&p)) as Box<dyn FnOnce() -> _>)
                    .collect(),
                Err(e) => vec![Box::new(move || Err(e))],
            }
        } else {
            vec![Box::new(move || match source(file)? {
                Source::Builtin(b) => load_unplayed(b.name, b.text.as_bytes()),
                Source::Disk => load_file_unplayed(file),
            })]
        };
        each.into_iter().map(|load| load())
    })
}

/// Where a FILE argument that is not `-` is read from.
enum Source {
    /// A built-in scenario (no file of that name on disk).
    Builtin(&'static scenario::builtin::Builtin),
    /// The file on disk.
    Disk,
}

/// Where a FILE argument (not `-`) is read from, or why it cannot be.
fn source(file: &Path) -> Result<Source, LoadError> {
    if std::fs::symlink_metadata(file).is_err()
        && let Some(b) = file.to_str().and_then(builtin)
    {
        return Ok(Source::Builtin(b));
    }
    if file.is_dir() {
        return Err(error(
            file,
            "is a folder; expected one scenario file here (run, check and play take folders)"
                .to_string(),
        ));
    }
    if std::fs::symlink_metadata(file).is_err() {
        let wanted = file.to_string_lossy();
        let mut message =
            "no such file, and no built-in scenario has this name (`cartsim list` names them)"
                .to_string();
        if let Some(close) = scenario::suggest(&wanted, BUILTIN.iter().map(|b| b.name)) {
            message.push_str(&format!("; did you mean {close}?"));
        }
        return Err(error(file, message));
    }
    Ok(Source::Disk)
}

/// Loads the one scenario a FILE argument names (a folder is refused: it names many).
pub fn load_one(file: &Path) -> Result<Scenario, LoadError> {
    // Not through load_one_with_raw: the file as the format's types would be held
    // besides the scenario (see scenario::load_with_raw).
    if file.as_os_str() == "-" {
        return stdin();
    }
    match source(file)? {
        Source::Builtin(b) => scenario::load_bytes(b.name, b.text.as_bytes()),
        Source::Disk => scenario::load_file(file),
    }
}

/// [`load_one`], also returning the file as the format's types (for `cartsim upgrade`).
pub fn load_one_with_raw(file: &Path) -> Result<(Scenario, RawScenario), LoadError> {
    if file.as_os_str() == "-" {
        return stdin_with_raw();
    }
    match source(file)? {
        Source::Builtin(b) => scenario::load_with_raw(b.name, b.text.as_bytes()),
        Source::Disk => scenario::load_file_with_raw(file),
    }
}
