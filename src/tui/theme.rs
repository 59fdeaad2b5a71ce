//! Named styles. Only ANSI palette colours are used, so the terminal's own theme (light
//! or dark) decides the shades. With `NO_COLOR` set, every style drops its colours and
//! keeps only modifiers; meaning is always also carried by a word or a symbol.
//!
//! Three palettes ([`Palette`]): the default; **high contrast** for a projector (no dim
//! text, no yellow or cyan, keys and changes in reverse video, bold everywhere that
//! matters); and **light** for a light terminal (no yellow or cyan, which fade on white,
//! and no dim text).

use crate::engine::{CartStatus, OperationStatus, Source};
use ratatui::style::{Color, Modifier, Style};

/// The styles of the UI.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    /// False when `NO_COLOR` asks for no colour.
    pub color: bool,
    /// Which palette.
    pub palette: Palette,
}

/// The palettes a trainer can pick (`T` cycles them; kept in the settings file).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Palette {
    /// The terminal's own colours, dim text for what is secondary.
    #[default]
    Default,
    /// For a projector: no dim text, no yellow or cyan, reverse video for keys and changes.
    HighContrast,
    /// For a light terminal: no yellow or cyan, no dim text.
    Light,
}

impl Palette {
    /// Every palette, in the order `T` cycles them.
    pub const ALL: [Palette; 3] = [Palette::Default, Palette::HighContrast, Palette::Light];

    /// The name, as the settings file writes it.
    pub fn name(self) -> &'static str {
        match self {
            Palette::Default => "default",
            Palette::HighContrast => "high-contrast",
            Palette::Light => "light",
        }
    }

    /// The next palette.
    pub fn next(self) -> Palette {
        let i = Palette::ALL.iter().position(|p| *p == self).unwrap_or(0);
        Palette::ALL[(i + 1) % Palette::ALL.len()]
    }
}

impl Theme {
    /// Colours unless `NO_COLOR` is set to a non-empty value (no-color.org).
    pub fn from_env() -> Theme {
        Theme::from_no_color(std::env::var_os("NO_COLOR").as_deref())
    }

    /// The theme for a value of `NO_COLOR`: present and not empty turns colours off.
    pub fn from_no_color(value: Option<&std::ffi::OsStr>) -> Theme {
        Theme {
            color: value.is_none_or(|v| v.is_empty()),
            palette: Palette::Default,
        }
    }

    /// A theme with colours.
    pub const COLOR: Theme = Theme {
        color: true,
        palette: Palette::Default,
    };
    /// A theme without colours.
    pub const MONO: Theme = Theme {
        color: false,
        palette: Palette::Default,
    };

    /// This theme with another palette.
    pub fn with(self, palette: Palette) -> Theme {
        Theme { palette, ..self }
    }

    fn fg(self, color: Color) -> Style {
        if !self.color {
            return Style::new();
        }
        // Yellow and cyan fade on a projector and on white: the other palettes swap them
        // for blue and magenta, and add weight.
        let color = match (self.palette, color) {
            (Palette::Default, c) => c,
            (_, Color::Yellow) => Color::Magenta,
            (_, Color::Cyan) => Color::Blue,
            (_, c) => c,
        };
        let style = Style::new().fg(color);
        if self.palette == Palette::HighContrast {
            style.add_modifier(Modifier::BOLD)
        } else {
            style
        }
    }

    /// Plain text.
    pub fn text(self) -> Style {
        Style::new()
    }
    /// Secondary text (labels, unrelated records). Only the default palette dims it; the
    /// others show it plain, so nothing is lost to a washed-out projector.
    pub fn dim(self) -> Style {
        match self.palette {
            Palette::Default => Style::new().add_modifier(Modifier::DIM),
            _ => Style::new(),
        }
    }
    /// Field names.
    pub fn label(self) -> Style {
        self.fg(Color::Cyan)
    }
    /// Simulator-only values (`~version`, `~calculator`): no Salesforce object has them,
    /// so they never look like a field.
    pub fn simulator(self) -> Style {
        self.fg(Color::Magenta).add_modifier(Modifier::ITALIC)
    }
    /// The app title and pane titles.
    pub fn title(self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }
    /// A key in the key bar or help.
    pub fn key(self) -> Style {
        match self.palette {
            Palette::HighContrast => Style::new().add_modifier(Modifier::BOLD | Modifier::REVERSED),
            _ => self.fg(Color::Yellow).add_modifier(Modifier::BOLD),
        }
    }
    /// The border of the focused pane.
    pub fn focus_border(self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }
    /// The border of other panes.
    pub fn border(self) -> Style {
        Style::new()
    }
    /// A pane's border: highlighted when the pane has focus.
    pub fn pane_border(self, focused: bool) -> Style {
        if focused {
            self.focus_border()
        } else {
            self.border()
        }
    }
    /// The selected record in the focused pane.
    pub fn selected(self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED)
    }
    /// A record linked to the selected cart.
    pub fn linked(self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }
    /// A field that just changed (old -> new).
    pub fn changed(self) -> Style {
        let style = self
            .fg(Color::Yellow)
            .add_modifier(Modifier::BOLD | Modifier::UNDERLINED);
        match self.palette {
            Palette::HighContrast => style.add_modifier(Modifier::REVERSED),
            _ => style,
        }
    }
    /// Success.
    pub fn ok(self) -> Style {
        self.fg(Color::Green)
    }
    /// Errors and refusals.
    pub fn error(self) -> Style {
        self.fg(Color::Red).add_modifier(Modifier::BOLD)
    }
    /// The off-script badge.
    pub fn off_script(self) -> Style {
        self.fg(Color::Magenta)
            .add_modifier(Modifier::BOLD | Modifier::REVERSED)
    }
    /// The header bar.
    pub fn header(self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }

    /// WebCart.Status.
    pub fn cart_status(self, status: CartStatus) -> Style {
        match status {
            CartStatus::Active => self.fg(Color::Green),
            CartStatus::Checkout => self.fg(Color::Yellow).add_modifier(Modifier::BOLD),
            CartStatus::Processing | CartStatus::PendingClosed | CartStatus::PendingDelete => {
                self.fg(Color::Magenta)
            }
            CartStatus::Closed => self.fg(Color::Blue).add_modifier(Modifier::BOLD),
        }
    }

    /// BackgroundOperation.Status.
    pub fn op_status(self, status: OperationStatus) -> Style {
        match status {
            OperationStatus::New | OperationStatus::Scheduled | OperationStatus::Waiting => {
                self.fg(Color::Cyan)
            }
            OperationStatus::Merged => self.fg(Color::Blue),
            OperationStatus::Running => self.fg(Color::Yellow).add_modifier(Modifier::BOLD),
            OperationStatus::Complete => self.fg(Color::Green),
            OperationStatus::Error => self.fg(Color::Red).add_modifier(Modifier::BOLD),
            OperationStatus::Canceled => self.fg(Color::Magenta).add_modifier(Modifier::BOLD),
        }
    }

    /// A rule's source tag.
    pub fn source(self, source: Source) -> Style {
        match source {
            Source::Documented(_) => self.fg(Color::Green),
            Source::Sample(_) => self.fg(Color::Cyan),
            Source::Inferred(_) => self.fg(Color::Cyan).add_modifier(Modifier::ITALIC),
            Source::Choice(_) => self.fg(Color::Yellow).add_modifier(Modifier::ITALIC),
            Source::Borrowed(_) => self.fg(Color::Yellow),
            Source::Scenario => self.fg(Color::Magenta).add_modifier(Modifier::ITALIC),
        }
    }
}

/// The symbol shown before a cart status (meaning without colour).
pub fn cart_symbol(status: CartStatus) -> &'static str {
    match status {
        CartStatus::Active => "○",
        CartStatus::Checkout => "◐",
        CartStatus::Processing => "◑",
        CartStatus::PendingClosed => "◒",
        CartStatus::PendingDelete => "⊘",
        CartStatus::Closed => "●",
    }
}

/// Whether a cart status locks the cart for updates, in words and a symbol.
pub fn lock_badge(status: CartStatus) -> &'static str {
    if status == CartStatus::Active {
        "[ ] unlocked"
    } else {
        "[#] locked"
    }
}

/// The symbol shown before a CartValidationOutput's Level.
pub fn level_symbol(level: crate::engine::ValidationLevel) -> &'static str {
    match level {
        crate::engine::ValidationLevel::Error => "✖",
        crate::engine::ValidationLevel::Warning => "▲",
        crate::engine::ValidationLevel::Info => "ℹ",
    }
}

/// The symbol shown before an operation status.
pub fn op_symbol(status: OperationStatus) -> &'static str {
    match status {
        OperationStatus::New | OperationStatus::Scheduled | OperationStatus::Waiting => "◇",
        OperationStatus::Merged => "⧉",
        OperationStatus::Running => "▶",
        OperationStatus::Complete => "✔",
        OperationStatus::Error => "✖",
        OperationStatus::Canceled => "⊘",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::OsStr;

    #[test]
    fn no_color_set_and_not_empty_turns_colours_off() {
        assert!(Theme::from_no_color(None).color);
        assert!(Theme::from_no_color(Some(OsStr::new(""))).color);
        assert!(!Theme::from_no_color(Some(OsStr::new("1"))).color);
    }

    #[test]
    fn without_colour_every_style_is_colourless() {
        let t = Theme::MONO;
        let mut styles = vec![
            t.text(),
            t.dim(),
            t.label(),
            t.title(),
            t.key(),
            t.focus_border(),
            t.border(),
            t.selected(),
            t.linked(),
            t.changed(),
            t.ok(),
            t.error(),
            t.off_script(),
            t.header(),
        ];
        styles.extend(CartStatus::ALL.iter().map(|s| t.cart_status(*s)));
        styles.extend(OperationStatus::ALL.iter().map(|s| t.op_status(*s)));
        for s in styles {
            assert_eq!(s.fg, None);
            assert_eq!(s.bg, None);
        }
    }
}
