//! Exercise mode: the question before a step with a `quiz`. Its state lives in the
//! playback (answers count towards the score and survive stepping back); this module
//! handles its keys and draws it. A number answers; Enter then plays the step; Esc puts it
//! away for later.

use super::{boxed, hint};
use crate::player::playback::{Playback, QuizState};
use crate::tui::player_view::PlayerView;
use crate::tui::prefs::Preferences;
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;

/// What a quiz key asks of the app.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuizReply {
    /// Nothing more to do.
    Done,
    /// The answer is out: play the step.
    PlayStep,
}

/// Handles a digit (answers) in the quiz's context; other keys go through the key table.
pub fn digit(p: &mut Playback, key: KeyEvent) -> bool {
    if let KeyCode::Char(d @ '1'..='9') = key.code {
        p.answer(d as usize - '1' as usize);
        return true;
    }
    false
}

/// Enter: after the answer is shown, close it and play the step.
pub fn confirm(p: &mut Playback) -> QuizReply {
    if let Some(QuizState::Revealed { .. }) = p.quiz() {
        p.close_quiz();
        return QuizReply::PlayStep;
    }
    QuizReply::Done
}

/// Draws the question (or the revealed answer).
pub fn draw(
    frame: &mut Frame,
    area: Rect,
    view: &PlayerView,
    prefs: &Preferences,
    state: QuizState,
) {
    let t = prefs.theme;
    let Some(p) = &view.playback else { return };
    let (step, picked) = match state {
        QuizState::Asking(s) => (s, None),
        QuizState::Revealed { step, picked } => (step, Some(picked)),
    };
    let Some(quiz) = p.quiz_of(step) else { return };
    let mut text = vec![
        Line::styled(
            format!("Before step {}: {}", step + 1, p.describe_step(step)),
            t.dim(),
        ),
        Line::raw(""),
    ];
    for line in quiz.question.lines() {
        text.push(Line::styled(line.to_string(), t.title()));
    }
    text.push(Line::raw(""));
    for (i, choice) in quiz.choices.iter().enumerate() {
        let mark = match picked {
            Some(_) if i == quiz.answer => "✔",
            Some(x) if x == i => "✖",
            _ => " ",
        };
        let style = match picked {
            Some(_) if i == quiz.answer => t.ok(),
            Some(x) if x == i => t.error(),
            _ => t.text(),
        };
        text.push(Line::styled(format!("{mark} {}. {choice}", i + 1), style));
    }
    text.push(Line::raw(""));
    match picked {
        None => text.push(hint(t, "press the number of your answer · Esc later")),
        Some(x) => {
            let verdict = if x == quiz.answer {
                "Right."
            } else {
                "Not quite."
            };
            text.push(Line::styled(
                verdict.to_string(),
                if x == quiz.answer { t.ok() } else { t.error() },
            ));
            if let Some(e) = &quiz.explanation {
                for line in e.lines() {
                    text.push(Line::raw(line.to_string()));
                }
            }
            let (right, asked) = p.score();
            text.push(Line::raw(""));
            text.push(hint(
                t,
                &format!("score {right}/{asked} · Enter plays the step"),
            ));
        }
    }
    boxed(frame, area, t, "Question", text, 80, t.focus_border());
}
