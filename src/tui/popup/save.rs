//! The save dialog (`w`): what was played, the branch included, as a scenario file with
//! each step's result as its `expect` (a regression test).
//!
//! The name is a path, relative to the folder shown (the scenario's own folder, or the
//! folder cartsim started in for a built-in scenario); `.json` is added when missing and
//! the dialog shows the exact file before saving. Nothing typed is dropped silently:
//! the name is kept as typed and a name that cannot be saved says why. An existing file
//! is replaced only after `y`.

use super::{Reply, boxed, hint};
use crate::scenario::sanitize;
use crate::tui::app::Pending;
use crate::tui::field::{Edit, Field};
use crate::tui::keys::Command;
use crate::tui::prefs::Preferences;
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use std::path::{Path, PathBuf};

/// The longest name the dialog takes (a path), in characters.
pub const MAX_NAME: usize = 255;

/// The save dialog's state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Save {
    /// The name as typed (a path, relative to `dir` unless absolute).
    pub name: Field,
    /// The folder a relative name is saved in.
    pub dir: PathBuf,
    /// The file exists: asking before overwriting it.
    pub confirm_overwrite: bool,
    /// Why the last Enter did not save, or why a key was refused.
    pub problem: Option<String>,
    /// What to do once saved (the branch-safety prompt's "save first").
    pub then: Option<Pending>,
}

impl Save {
    /// The dialog on a proposed name in a folder.
    pub fn new(name: String, dir: PathBuf, then: Option<Pending>) -> Save {
        Save {
            name: Field::new(&name),
            dir,
            confirm_overwrite: false,
            problem: None,
            then,
        }
    }

    /// The file the name stands for: `.json` added when missing, relative to the folder.
    pub fn path(&self) -> Option<PathBuf> {
        let name = self.name.value().trim();
        if name.is_empty() || name.ends_with('/') {
            return None;
        }
        let mut name = name.to_string();
        if !name.to_ascii_lowercase().ends_with(".json") {
            name.push_str(".json");
        }
        let path = Path::new(&name);
        Some(if path.is_absolute() {
            path.to_path_buf()
        } else {
            self.dir.join(path)
        })
    }

    /// Handles a key: typing edits the name, Enter saves, y/n answer the overwrite question.
    pub fn key(&mut self, command: Option<Command>, key: KeyEvent) -> Reply {
        if self.confirm_overwrite {
            match key.code {
                KeyCode::Char('y' | 'Y') => {
                    self.confirm_overwrite = false;
                    if let Some(path) = self.path() {
                        return Reply::Save {
                            path,
                            overwrite: true,
                        };
                    }
                }
                KeyCode::Char('n' | 'N') | KeyCode::Backspace => self.confirm_overwrite = false,
                _ => {}
            }
            return Reply::Keep;
        }
        match self.name.key(key, MAX_NAME, |_| true) {
            Edit::Done => {
                self.problem = None;
                return Reply::Keep;
            }
            Edit::Refused => {
                self.problem = Some(format!("a name has at most {MAX_NAME} characters"));
                return Reply::Keep;
            }
            Edit::NotMine => {}
        }
        if command == Some(Command::Confirm) {
            return match self.path() {
                Some(path) => Reply::Save {
                    path,
                    overwrite: false,
                },
                None => {
                    self.problem = Some("type a file name".into());
                    Reply::Keep
                }
            };
        }
        Reply::Keep
    }

    /// Draws the dialog.
    pub fn draw(&self, frame: &mut Frame, area: Rect, prefs: &Preferences) {
        let t = prefs.theme;
        let dir = sanitize::line(&self.dir.display().to_string());
        let mut text = vec![
            Line::raw("Save the steps played so far (and your branch) as a scenario file,"),
            Line::raw("with each step's result as its expect: a regression test."),
            Line::raw(""),
            Line::from(
                [Span::styled("name ", t.label())]
                    .into_iter()
                    .chain(self.name.spans(t.key(), 64, !self.confirm_overwrite))
                    .collect::<Vec<_>>(),
            ),
            Line::from(vec![
                Span::styled("in   ", t.label()),
                Span::styled(dir, t.text()),
                Span::styled(" (a relative name; a path works too)", t.dim()),
            ]),
        ];
        if let Some(path) = self.path() {
            text.push(Line::from(vec![
                Span::styled("file ", t.label()),
                Span::styled(sanitize::line(&path.display().to_string()), t.text()),
            ]));
        }
        text.push(Line::raw(""));
        if let Some(problem) = &self.problem {
            text.push(Line::styled(format!("✖ {problem}"), t.error()));
        }
        if self.confirm_overwrite {
            text.push(Line::styled(
                "That file exists. Overwrite it? y yes · n no, edit the name",
                t.error(),
            ));
        } else {
            text.push(hint(
                t,
                "type to edit the name (← → Home End, Ctrl-U, Ctrl-W) · Enter save · Esc close",
            ));
        }
        boxed(
            frame,
            area,
            t,
            "Save as scenario",
            text,
            76,
            t.focus_border(),
        );
    }
}

/// A path written so that a POSIX shell reads it back as one word: unchanged when it
/// holds only safe characters, else in single quotes (a quote written `'\''`).
pub fn shell_quote(text: &str) -> String {
    let safe = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./+:,@%=".contains(c));
    if safe {
        text.to_string()
    } else {
        format!("'{}'", text.replace('\'', "'\\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::KeyModifiers;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn json_is_added_and_a_relative_name_lands_in_the_folder() {
        let mut s = Save::new("mine".into(), PathBuf::from("/tmp/x"), None);
        assert_eq!(s.path(), Some(PathBuf::from("/tmp/x/mine.json")));
        s.name.set("sub/b.JSON");
        assert_eq!(s.path(), Some(PathBuf::from("/tmp/x/sub/b.JSON")));
        s.name.set("/abs/c");
        assert_eq!(s.path(), Some(PathBuf::from("/abs/c.json")));
        s.name.set("  ");
        assert_eq!(s.path(), None);
    }

    #[test]
    fn every_typed_character_is_kept_or_refused_aloud() {
        let mut s = Save::new(String::new(), PathBuf::from("."), None);
        for ch in "a b/ü'q?".chars() {
            s.key(None, key(KeyCode::Char(ch)));
        }
        assert_eq!(s.name.value(), "a b/ü'q?");
        s.name.set(&"x".repeat(MAX_NAME));
        s.key(None, key(KeyCode::Char('y')));
        assert_eq!(s.name.value().len(), MAX_NAME);
        assert!(s.problem.is_some(), "the refusal is said");
        s.name.set("");
        assert_eq!(
            s.key(Some(Command::Confirm), key(KeyCode::Enter)),
            Reply::Keep
        );
        assert_eq!(s.problem.as_deref(), Some("type a file name"));
    }

    #[test]
    fn shell_quoting() {
        assert_eq!(shell_quote("a/b-1.json"), "a/b-1.json");
        assert_eq!(shell_quote("my file.json"), "'my file.json'");
        assert_eq!(shell_quote("it's.json"), "'it'\\''s.json'");
    }
}
