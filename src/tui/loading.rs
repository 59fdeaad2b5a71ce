//! Work that must finish before the UI can open (loading a big scenario file, the world
//! `diagnose --open` rebuilds from an export) runs on a thread of its own, while the
//! terminal shows how far it has got: what it is doing, a bar, and the count done of
//! the count in all. Esc or Ctrl-C stops it at once: the screen is checked for keys
//! every [`POLL`], whatever the work is doing, and the work is asked to stop at its next
//! report ([`crate::progress`]). Every other key pressed meanwhile is read and dropped,
//! so nothing piles up behind the load.
//!
//! Work that is done within [`QUIET`] draws nothing, and without a terminal the work
//! runs as it always did, with nothing drawn.

use super::signals;
use crate::progress::{self, Progress, Seen};
use crossterm::event::{self, Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Gauge, Paragraph};
use std::sync::Arc;
use std::sync::mpsc;
use std::time::Duration;

/// How often the screen is redrawn and the keys are read while the work runs.
pub const POLL: Duration = Duration::from_millis(40);

/// Work done within this long shows nothing: the screen is not taken over for a flash.
/// (Until then the terminal is as the shell left it, where Ctrl-C ends the program.)
pub const QUIET: Duration = Duration::from_millis(100);

/// How the work ended.
#[derive(Debug)]
pub enum Loaded<T> {
    /// It finished, with this result.
    Done(T),
    /// The user stopped it (Esc or Ctrl-C); this is how far it had got.
    Stopped(Seen),
}

/// True for the keys that stop the work: Esc and Ctrl-C.
pub fn stops(key: &KeyEvent) -> bool {
    key.code == KeyCode::Esc
        || (key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL))
}

/// `1234567` as `1,234,567`.
fn grouped(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The line under the bar: `checking the steps: 1,024 of 300,000 (0%)`.
pub fn figure(seen: &Seen) -> String {
    if seen.phase.is_empty() {
        return "starting".to_string();
    }
    if seen.total == 0 && seen.done == 0 {
        return seen.phase.to_string();
    }
    if seen.total == 0 {
        return format!("{}: {}", seen.phase, grouped(seen.done));
    }
    format!(
        "{}: {} of {} ({}%)",
        seen.phase,
        grouped(seen.done.min(seen.total)),
        grouped(seen.total),
        (seen.ratio() * 100.0).floor() as u32
    )
}

/// Draws the progress of `what` (already sanitized) in the middle of the screen.
pub fn draw(frame: &mut Frame, what: &str, seen: &Seen) {
    let area = frame.area();
    let width = area.width.min(72);
    let height = area.height.min(5);
    let boxed = Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Line::from(format!(" {what} ")));
    let inner = block.inner(boxed);
    frame.render_widget(block, boxed);
    let [bar, line, hint] = inner.layout(&Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(1),
    ]));
    frame.render_widget(
        Gauge::default()
            .ratio(seen.ratio())
            .label(format!("{}%", (seen.ratio() * 100.0).floor() as u32))
            .use_unicode(false)
            .gauge_style(Style::default().add_modifier(Modifier::REVERSED)),
        bar,
    );
    frame.render_widget(Paragraph::new(figure(seen)), line);
    frame.render_widget(
        Paragraph::new("Esc or Ctrl-C stops").style(Style::default().add_modifier(Modifier::DIM)),
        hint,
    );
}

/// Runs `work`, showing its progress under the title `what` (already sanitized), until
/// it finishes or the user stops it.
pub fn run<T: Send + 'static>(
    what: &str,
    work: impl FnOnce() -> T + Send + 'static,
) -> anyhow::Result<Loaded<T>> {
    use std::io::IsTerminal;
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        return Ok(Loaded::Done(work()));
    }
    let progress = Progress::new();
    let (send, receive) = mpsc::channel();
    let watched = Arc::clone(&progress);
    std::thread::Builder::new()
        .name("cartsim-load".to_string())
        // As much stack as the main thread has, for the deepest file the loader accepts.
        .stack_size(8 << 20)
        .spawn(move || {
            let result = progress::watched(watched, work);
            // The UI may have stopped waiting: then nobody receives, and that is fine.
            let _ = send.send(result);
        })?;
    match receive.recv_timeout(QUIET) {
        Ok(result) => return Ok(Loaded::Done(result)),
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            anyhow::bail!("the work stopped without a result")
        }
        Err(mpsc::RecvTimeoutError::Timeout) => {}
    }
    let cooked = signals::save_cooked_modes();
    let mut terminal = match ratatui::try_init() {
        Ok(t) => t,
        Err(e) => {
            ratatui::restore();
            anyhow::bail!("cannot open the terminal UI: {e}");
        }
    };
    let guard = match cooked.map(signals::install) {
        Some(Ok(guard)) => Some(guard),
        Some(Err(e)) => {
            ratatui::restore();
            anyhow::bail!("cannot watch for signals: {e}");
        }
        None => None,
    };
    let result = watch(&mut terminal, what, &progress, &receive);
    ratatui::restore();
    drop(guard);
    result
}

fn watch<T>(
    terminal: &mut ratatui::DefaultTerminal,
    what: &str,
    progress: &Progress,
    done: &mpsc::Receiver<T>,
) -> anyhow::Result<Loaded<T>> {
    loop {
        match done.try_recv() {
            Ok(result) => return Ok(Loaded::Done(result)),
            Err(mpsc::TryRecvError::Disconnected) => {
                anyhow::bail!("the work stopped without a result")
            }
            Err(mpsc::TryRecvError::Empty) => {}
        }
        let seen = progress.seen();
        terminal.draw(|frame| draw(frame, what, &seen))?;
        // Every key waiting is read: those that do not stop the work are dropped.
        let mut timeout = POLL;
        while event::poll(timeout)? {
            timeout = Duration::ZERO;
            if let Event::Key(key) = event::read()?
                && key.is_press()
                && stops(&key)
            {
                progress.cancel();
                return Ok(Loaded::Stopped(progress.seen()));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;

    fn screen(seen: &Seen) -> String {
        let mut terminal = Terminal::new(TestBackend::new(80, 12)).unwrap();
        terminal
            .draw(|frame| draw(frame, "Loading big.json", seen))
            .unwrap();
        let buffer = terminal.backend().buffer().clone();
        (0..buffer.area.height)
            .map(|y| {
                (0..buffer.area.width)
                    .map(|x| buffer[(x, y)].symbol())
                    .collect::<String>()
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn a_big_load_showed_only_a_loading_line_now_it_draws_a_bar_with_counts() {
        let seen = Seen {
            phase: "checking the steps",
            done: 123_456,
            total: 300_000,
        };
        let text = screen(&seen);
        assert!(text.contains("Loading big.json"), "{text}");
        assert!(
            text.contains("checking the steps: 123,456 of 300,000 (41%)"),
            "{text}"
        );
        assert!(text.contains("Esc or Ctrl-C stops"), "{text}");
        // The bar: 41% of its width is filled (drawn reversed), and its label says so.
        assert!(text.contains("41%"), "{text}");
    }

    #[test]
    fn the_figure_counts_and_rounds_down() {
        let seen = |done, total| Seen {
            phase: "playing the steps once",
            done,
            total,
        };
        assert_eq!(
            figure(&seen(999, 1_000)),
            "playing the steps once: 999 of 1,000 (99%)"
        );
        assert_eq!(
            figure(&seen(1_000_000, 1_000_000)),
            "playing the steps once: 1,000,000 of 1,000,000 (100%)"
        );
        assert_eq!(figure(&seen(3, 0)), "playing the steps once: 3");
        assert_eq!(figure(&seen(0, 0)), "playing the steps once");
        assert_eq!(
            figure(&Seen {
                phase: "",
                done: 0,
                total: 0
            }),
            "starting"
        );
    }

    #[test]
    fn esc_and_ctrl_c_stop_and_other_keys_do_not() {
        assert!(stops(&KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE)));
        assert!(stops(&KeyEvent::new(
            KeyCode::Char('c'),
            KeyModifiers::CONTROL
        )));
        for code in [
            KeyCode::End,
            KeyCode::Home,
            KeyCode::Char('c'),
            KeyCode::Enter,
        ] {
            assert!(!stops(&KeyEvent::new(code, KeyModifiers::NONE)));
        }
    }

    #[test]
    fn a_stopped_load_returns_at_its_next_report_with_a_clear_error() {
        let text = crate::scenario::generate::generate(crate::scenario::generate::Spec {
            steps: 5_000,
            carts: 5,
            sparsity: 2,
            seed: 1,
        });
        let progress = Progress::new();
        progress.cancel();
        let loaded = progress::watched(Arc::clone(&progress), || {
            crate::scenario::load_bytes("big.json", text.as_bytes())
        });
        let error = loaded.unwrap_err();
        assert_eq!(error.message, "loading was stopped before the end");
        assert_eq!(error.file, "big.json");
        // Watched but not stopped, it loads.
        let progress = Progress::new();
        let loaded = progress::watched(Arc::clone(&progress), || {
            crate::scenario::load_bytes("big.json", text.as_bytes())
        });
        assert_eq!(loaded.unwrap().steps.len(), 5_000);
        let seen = progress.seen();
        assert_eq!(seen.phase, "playing the steps once");
        assert_eq!((seen.done, seen.total), (4_096, 5_000));
    }
}
