//! Text from outside (scenario files, file names, keys, ids, paths) is other people's
//! text: it must never carry control or escape sequences to the terminal, reorder or
//! hide text, or make ratatui and the terminal disagree about a width. This module is
//! the one policy for that; everything from outside that is shown or written passes
//! through [`line()`], [`paragraph`] or [`path`], and ids are vetted by [`is_clean_id`].
//!
//! The policy: every character for which [`is_unsafe`] holds becomes U+FFFD (`�`), a
//! visible stand-in, so a reader sees that something was there.

use unicode_general_category::{GeneralCategory, get_general_category};

/// The stand-in shown for an unsafe character.
pub const REPLACEMENT: char = '\u{FFFD}';

/// True for a character that must not reach a terminal or an output file as it is:
///
/// - controls: C0 (tab and newline included), DEL and C1 (`Cc`);
/// - every Unicode format character (`Cf`): bidi embeddings, overrides, isolates and marks
///   (U+202A..U+202E, U+2066..U+2069, U+200E, U+200F, U+061C), the soft hyphen U+00AD,
///   zero-width characters, the byte order mark, interlinear annotations U+FFF9..U+FFFB,
///   tag characters U+E0000..U+E007F;
/// - line and paragraph separators (`Zl`, `Zp`);
/// - unassigned code points and noncharacters (`Cn`), private use (`Co`), surrogates;
/// - characters whose width terminals disagree on: regional indicators (flags),
///   variation selectors (they switch text and emoji presentation) and the Hangul fillers.
pub fn is_unsafe(c: char) -> bool {
    if matches!(c,
        '\u{1F1E6}'..='\u{1F1FF}'      // regional indicators: pairs draw as one wide flag
        | '\u{FE00}'..='\u{FE0F}'      // variation selectors
        | '\u{E0100}'..='\u{E01EF}'    // variation selectors supplement
        | '\u{115F}' | '\u{1160}' | '\u{3164}' | '\u{FFA0}' // Hangul fillers
    ) {
        return true;
    }
    matches!(
        get_general_category(c),
        GeneralCategory::Control
            | GeneralCategory::Format
            | GeneralCategory::LineSeparator
            | GeneralCategory::ParagraphSeparator
            | GeneralCategory::Unassigned
            | GeneralCategory::PrivateUse
            | GeneralCategory::Surrogate
    )
}

/// One line of text: tabs and line breaks become spaces, every other unsafe character
/// becomes [`REPLACEMENT`].
pub fn line(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\t' | '\n' | '\r' => ' ',
            c if is_unsafe(c) => REPLACEMENT,
            c => c,
        })
        .collect()
}

/// Paragraph text: like [`line()`], but newlines are kept.
pub fn paragraph(text: &str) -> String {
    text.split('\n').map(line).collect::<Vec<_>>().join("\n")
}

/// A file name or path given by the user or found on disk, for messages: bytes that are
/// not UTF-8 are shown as U+FFFD and the rest as [`line()`].
pub fn path(path: &std::path::Path) -> String {
    line(&path.to_string_lossy())
}

/// True when the text is safe to show as it is and has no spaces (used to vet ids and
/// SKUs, which must match exactly, so they are refused rather than repaired).
pub fn is_clean_id(text: &str) -> bool {
    !text.is_empty() && !text.chars().any(|c| is_unsafe(c) || c.is_whitespace())
}

/// True when `text` is already what [`paragraph`] makes of it: nothing unsafe but newlines.
pub fn is_clean_paragraph(text: &str) -> bool {
    !text.chars().any(|c| c != '\n' && is_unsafe(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_never_survive() {
        let evil = "Cart\u{1b}[2J\u{1b}]0;title\u{7}\u{9b}31m\u{202E}gnp.exe";
        let clean = line(evil);
        assert!(!clean.chars().any(is_unsafe), "{clean:?}");
        assert!(clean.starts_with("Cart\u{FFFD}[2J"));
    }

    #[test]
    fn format_characters_and_disputed_widths_are_replaced() {
        for c in [
            '\u{061C}',
            '\u{00AD}',
            '\u{E0041}',
            '\u{E007F}',
            '\u{FFF9}',
            '\u{FFFB}',
            '\u{200D}',
            '\u{2066}',
            '\u{2069}',
            '\u{FEFF}',
            '\u{1F1EB}',
            '\u{FE0F}',
            '\u{FDD0}',
            '\u{FFFF}',
            '\u{10FFFF}',
            '\u{E000}',
            '\u{2028}',
            '\u{2029}',
            '\u{85}',
            '\u{9F}',
            '\u{7F}',
        ] {
            assert!(is_unsafe(c), "U+{:04X}", c as u32);
            assert_eq!(line(&c.to_string()), "\u{FFFD}", "U+{:04X}", c as u32);
        }
        for c in ['a', 'é', '日', '✔', '·', '→', ' ', '\u{301}'] {
            assert!(!is_unsafe(c), "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn paragraphs_keep_newlines_only() {
        assert_eq!(paragraph("a\nb\tc\r"), "a\nb c ");
        assert!(is_clean_paragraph("a\nb"));
        assert!(!is_clean_paragraph("a\u{202E}b"));
    }

    #[test]
    fn ids_must_be_plain() {
        assert!(is_clean_id("cart-1"));
        assert!(!is_clean_id("cart 1"));
        assert!(!is_clean_id(""));
        assert!(!is_clean_id("cart\u{1b}"));
        assert!(!is_clean_id("cart\u{AD}1"));
        assert!(!is_clean_id("cart\u{E0041}"));
    }
}
