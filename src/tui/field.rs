//! A one-line text field that edits like a shell line: ← → Home End (Ctrl-A, Ctrl-E),
//! Backspace, Delete, Ctrl-U (the whole line), Ctrl-W (the word before the cursor).
//! The editing itself is `tui-input`'s; this wraps it so popups keep comparing their
//! state, and draws the value with its cursor.

use crossterm::event::{Event, KeyCode, KeyEvent};
use ratatui::style::{Modifier, Style};
use ratatui::text::Span;
use tui_input::backend::crossterm::to_input_request;
use tui_input::{Input, InputRequest};

/// A text field: its value and where the cursor is.
#[derive(Debug, Clone, Default)]
pub struct Field {
    input: Input,
}

impl PartialEq for Field {
    fn eq(&self, other: &Field) -> bool {
        self.value() == other.value() && self.cursor() == other.cursor()
    }
}

impl Eq for Field {}

/// What a key did to a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edit {
    /// Not a field key: the caller handles it (Enter, Esc, Tab, arrows up and down).
    NotMine,
    /// The key moved the cursor or changed the value.
    Done,
    /// A character was refused (the field is full, or `accept` said no).
    Refused,
}

impl Field {
    /// A field holding `value`, the cursor at its end.
    pub fn new(value: &str) -> Field {
        Field {
            input: Input::new(value.to_string()),
        }
    }

    /// The text.
    pub fn value(&self) -> &str {
        self.input.value()
    }

    /// The cursor, in characters from the start.
    pub fn cursor(&self) -> usize {
        self.input.cursor()
    }

    /// Replaces the text; the cursor goes to its end.
    pub fn set(&mut self, value: &str) {
        self.input = Input::new(value.to_string());
    }

    /// Handles a key. A typed character is kept only when `accept` takes it and the
    /// field holds fewer than `max` characters.
    pub fn key(&mut self, key: KeyEvent, max: usize, accept: impl Fn(char) -> bool) -> Edit {
        // Enter, Esc and Tab belong to the dialog.
        if matches!(
            key.code,
            KeyCode::Enter | KeyCode::Esc | KeyCode::Tab | KeyCode::BackTab
        ) {
            return Edit::NotMine;
        }
        let Some(request) = to_input_request(&Event::Key(key)) else {
            return Edit::NotMine;
        };
        if let InputRequest::InsertChar(ch) = request
            && (ch.is_control() || !accept(ch) || self.value().chars().count() >= max)
        {
            return Edit::Refused;
        }
        self.input.handle(request);
        Edit::Done
    }

    /// The value as spans with the cursor drawn as a reversed cell, showing the part
    /// around the cursor when the value is wider than `width`.
    pub fn spans(&self, style: Style, width: usize, focused: bool) -> Vec<Span<'static>> {
        let text = crate::scenario::sanitize::line(self.value());
        let chars: Vec<char> = text.chars().collect();
        let cursor = self.cursor().min(chars.len());
        let width = width.max(2);
        let start = (cursor + 1).saturating_sub(width);
        let before: String = chars[start..cursor].iter().collect();
        let end = (start + width).min(chars.len());
        let at: String = chars.get(cursor).map_or(" ".to_string(), |c| c.to_string());
        let after: String = if cursor < end {
            chars[cursor + 1..end].iter().collect()
        } else {
            String::new()
        };
        if !focused {
            return vec![Span::styled(
                format!("{before}{}{after}", at.trim_end()),
                style,
            )];
        }
        vec![
            Span::styled(before, style),
            Span::styled(at, style.add_modifier(Modifier::REVERSED)),
            Span::styled(after, style),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::KeyModifiers;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }
    fn ctrl(ch: char) -> KeyEvent {
        KeyEvent::new(KeyCode::Char(ch), KeyModifiers::CONTROL)
    }
    fn any(_: char) -> bool {
        true
    }

    #[test]
    fn edits_like_a_shell_line() {
        let mut f = Field::new("branch one");
        assert_eq!(f.cursor(), 10);
        f.key(key(KeyCode::Left), 99, any);
        f.key(key(KeyCode::Left), 99, any);
        f.key(key(KeyCode::Left), 99, any);
        f.key(key(KeyCode::Backspace), 99, any);
        assert_eq!(f.value(), "branchone");
        f.key(key(KeyCode::Char('-')), 99, any);
        assert_eq!(f.value(), "branch-one");
        f.key(key(KeyCode::Home), 99, any);
        f.key(key(KeyCode::Delete), 99, any);
        assert_eq!(f.value(), "ranch-one");
        f.key(key(KeyCode::End), 99, any);
        f.key(key(KeyCode::Char(' ')), 99, any);
        f.key(key(KeyCode::Char('x')), 99, any);
        f.key(ctrl('w'), 99, any);
        assert_eq!(f.value(), "ranch-one ");
        f.key(ctrl('u'), 99, any);
        assert_eq!(f.value(), "");
    }

    #[test]
    fn enter_and_esc_are_the_dialogs_and_a_full_field_refuses() {
        let mut f = Field::new("ab");
        assert_eq!(f.key(key(KeyCode::Enter), 9, any), Edit::NotMine);
        assert_eq!(f.key(key(KeyCode::Esc), 9, any), Edit::NotMine);
        assert_eq!(f.key(key(KeyCode::Char('c')), 2, any), Edit::Refused);
        assert_eq!(
            f.key(key(KeyCode::Char('x')), 9, |c| c.is_ascii_digit()),
            Edit::Refused
        );
        assert_eq!(f.key(ctrl('q'), 9, any), Edit::NotMine);
        assert_eq!(f.value(), "ab");
    }

    #[test]
    fn the_cursor_is_drawn_where_it_is() {
        let mut f = Field::new("abc");
        f.key(key(KeyCode::Left), 9, any);
        let spans = f.spans(Style::default(), 20, true);
        let texts: Vec<&str> = spans.iter().map(|s| s.content.as_ref()).collect();
        assert_eq!(texts, ["ab", "c", ""]);
        let long = Field::new(&"x".repeat(50));
        let width: usize = long
            .spans(Style::default(), 10, true)
            .iter()
            .map(|s| s.width())
            .sum();
        assert_eq!(width, 10, "a long value shows the part at the cursor");
    }
}
