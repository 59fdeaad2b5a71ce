//! Text from scenario files is other people's text: it must never carry control or
//! escape sequences to the terminal. Everything read from a file passes through here.

/// Characters that could move the cursor, change colours, reorder text or hide it.
fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{200B}'..='\u{200F}'   // zero-width and direction marks
            | '\u{2028}'..='\u{202E}' // line/paragraph separators, bidi embeddings
            | '\u{2060}'..='\u{2069}' // word joiner, bidi isolates
            | '\u{FEFF}'              // byte order mark
        )
}

/// One line of text: every unsafe character, newlines and tabs included, becomes a
/// visible replacement (tabs and newlines become spaces).
pub fn line(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\t' | '\n' | '\r' => ' ',
            c if is_unsafe(c) => '\u{FFFD}',
            c => c,
        })
        .collect()
}

/// Paragraph text: like [`line`], but newlines are kept.
pub fn paragraph(text: &str) -> String {
    text.split('\n').map(line).collect::<Vec<_>>().join("\n")
}

/// True when the text is safe to show as it is (used to vet ids, which must match exactly).
pub fn is_clean_id(text: &str) -> bool {
    !text.is_empty() && !text.chars().any(|c| is_unsafe(c) || c.is_whitespace())
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
    fn paragraphs_keep_newlines_only() {
        assert_eq!(paragraph("a\nb\tc\r"), "a\nb c ");
    }

    #[test]
    fn ids_must_be_plain() {
        assert!(is_clean_id("cart-1"));
        assert!(!is_clean_id("cart 1"));
        assert!(!is_clean_id(""));
        assert!(!is_clean_id("cart\u{1b}"));
    }
}
