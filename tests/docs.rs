//! The reference in `docs/` and the README are part of the product: every `cartsim`
//! command they show parses and names files that exist, every link lands on a page and a
//! heading, and the README's screen capture is what the UI draws.

use cartsim::tui::app::{App, Msg};
use cartsim::tui::theme::Theme;
use clap::Parser;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::path::Path;

mod common;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The README and every page of `docs/`, as (name, text).
fn pages() -> Vec<(String, String)> {
    let mut out = vec![(
        "README.md".to_string(),
        std::fs::read_to_string(root().join("README.md")).unwrap(),
    )];
    let mut docs: Vec<_> = std::fs::read_dir(root().join("docs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    docs.sort();
    for p in docs {
        out.push((
            format!("docs/{}", p.file_name().unwrap().to_string_lossy()),
            std::fs::read_to_string(&p).unwrap(),
        ));
    }
    out
}

/// Every `cartsim ...` command of a page: the lines of its `sh` blocks (whole commands),
/// and the inline code spans that start with `cartsim ` (which may only name a command:
/// `cartsim diagnose`).
fn commands(text: &str) -> Vec<(String, bool)> {
    let mut out = Vec::new();
    for block in text.split("```sh\n").skip(1) {
        let block = block.split("```").next().unwrap();
        for line in block.lines() {
            let line = line.split(" #").next().unwrap().trim();
            if line.starts_with("cartsim ") || line == "cartsim" {
                out.push((line.to_string(), true));
            }
        }
    }
    for span in text.split('`').skip(1).step_by(2) {
        if span.starts_with("cartsim ") && !span.contains('\n') {
            out.push((span.to_string(), false));
        }
    }
    out
}

/// The words of a command as the shell would split them, with the placeholders of the
/// synopses (`FILE`, `[-o OUT]`, `FILE...`) replaced by real values.
fn words(command: &str) -> Vec<String> {
    let cleaned = command.replace(['[', ']'], "").replace("...", "");
    let mut out = Vec::new();
    for word in cleaned.split_whitespace() {
        if word.starts_with('>') || word.starts_with('|') || word == ";" {
            break;
        }
        let word = word.trim_end_matches(';');
        out.push(match word {
            "FILE" | "FILE.json" => "01".to_string(),
            "DIR" => "scenarios".to_string(),
            "OUT" | "OUT.cast" => "/tmp/out".to_string(),
            "N" => "5".to_string(),
            "SHELL" => "bash".to_string(),
            "WxH" => "80x24".to_string(),
            "CART_ID" => "0a6Hs0000000101IAA".to_string(),
            "COMMAND" => "run".to_string(),
            w => w.trim_matches(|c| c == '\'' || c == '"').to_string(),
        });
    }
    out
}

#[test]
fn every_command_in_the_docs_parses_and_names_files_that_exist() {
    let mut checked = 0;
    for (page, text) in pages() {
        for (command, whole) in commands(&text) {
            let words = words(&command);
            if let Err(e) = cartsim::cli::Cli::try_parse_from(&words) {
                // --help and --version "fail" by printing; a command named in the prose
                // may leave out its arguments; everything else is a real error.
                use clap::error::ErrorKind;
                let named = !whole && e.kind() == ErrorKind::MissingRequiredArgument;
                assert!(
                    named || matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion),
                    "{page}: `{command}` does not parse: {e}"
                );
            }
            for word in &words[1..] {
                let local = word.starts_with("scenarios/") || word.starts_with("tests/");
                if local {
                    assert!(
                        root().join(word).exists(),
                        "{page}: `{command}` names {word}, which does not exist"
                    );
                }
            }
            checked += 1;
        }
    }
    assert!(checked >= 20, "only {checked} commands found");
}

/// The anchor GitHub gives a heading.
fn anchor(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == '-' || *c == ' ' || *c == '_')
        .collect::<String>()
        .replace(' ', "-")
}

fn anchors(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut fenced = false;
    for line in text.lines() {
        if line.starts_with("```") {
            fenced = !fenced;
        }
        if !fenced && line.starts_with('#') {
            out.push(anchor(line.trim_start_matches('#')));
        }
    }
    out
}

#[test]
fn every_link_between_the_pages_lands_on_a_page_and_a_heading() {
    let pages = pages();
    for (page, text) in &pages {
        let dir = Path::new(page).parent().unwrap();
        for link in text.split("](").skip(1) {
            let target = link.split(')').next().unwrap();
            if target.starts_with("http") {
                continue;
            }
            let (file, hash) = target.split_once('#').unwrap_or((target, ""));
            let path = if file.is_empty() {
                Path::new(page).to_path_buf()
            } else {
                dir.join(file)
            };
            let normal = path
                .to_string_lossy()
                .replace("docs/../", "")
                .trim_start_matches("./")
                .to_string();
            assert!(
                root().join(&normal).exists(),
                "{page}: the link {target} goes to no file"
            );
            if !hash.is_empty() {
                let (_, other) = pages
                    .iter()
                    .find(|(p, _)| *p == normal)
                    .unwrap_or_else(|| panic!("{page}: {target} is not a page"));
                assert!(
                    anchors(other).contains(&hash.to_string()),
                    "{page}: {target} names no heading of {normal}"
                );
            }
        }
    }
}

/// The screen the README shows: scenario 02, three steps played, at 120x40.
fn capture() -> String {
    let mut app = App::new(vec![common::builtin("02-")], Theme::MONO);
    for _ in 0..3 {
        cartsim::tui::effect::drive(
            &mut app,
            Msg::Key(KeyEvent::new(KeyCode::Right, KeyModifiers::NONE)),
        );
    }
    // Every animation over.
    app.now = std::time::Duration::from_secs(600);
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(120, 40)).unwrap();
    terminal
        .draw(|f| cartsim::tui::view::draw(f, &app))
        .unwrap();
    let buffer = terminal.backend().buffer();
    (0..40)
        .map(|y| {
            let line: String = (0..120).map(|x| buffer[(x, y)].symbol()).collect();
            line.trim_end().to_string()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn the_readme_capture_is_what_the_ui_draws() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let after = &readme[readme.find("## The screen").expect("a screen section")..];
    let start = after.find("```text\n").unwrap() + "```text\n".len();
    let end = after[start..].find("\n```").unwrap();
    let shown = &after[start..start + end];
    let drawn = capture();
    assert_eq!(
        shown, drawn,
        "README.md's capture differs from the UI; paste this:\n{drawn}"
    );
}
