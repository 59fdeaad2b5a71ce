//! Playback state: a scenario, its [`Timeline`], where the script stands, whether the
//! user has branched off it ("what if"), chapters, speed, presenter mode and exercise
//! (quiz) state. No terminal here: the UI drives it with key presses and a clock
//! value, and the tests drive it directly.
//!
//! The timeline's entries are the script's steps in order (`Origin::Script(i)` at index
//! `i`) until the user acts; from then on the played entries end with `Origin::Branch`
//! entries. Stepping back always goes through [`Timeline::seek`].

use super::timeline::{Entry, Origin, Timeline};
use super::{describe, kind_of};
use crate::engine::{Action, ActionError, Edition, Outcome, RecordKind, World};
use crate::scenario::format::{RawExpect, RawQuiz, RawScenario};
use crate::scenario::save;
use crate::scenario::{Quiz, Scenario};
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::time::Duration;

/// The playback speeds, slowest first.
pub const SPEEDS: [f64; 6] = [0.25, 0.5, 1.0, 2.0, 4.0, 8.0];
/// The speed a scenario opens at (index into [`SPEEDS`]).
pub const DEFAULT_SPEED: usize = 2;
/// How long one step lasts at 1x.
pub const STEP_AT_1X: Duration = Duration::from_millis(1500);

/// What stepping forward did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StepResult {
    /// A step (scripted or replayed) was applied.
    Played,
    /// Nothing left to play (end of script, or end of the branch).
    AtEnd,
    /// Stopped before a step that carries a quiz: answer it first.
    Quiz(usize),
    /// Stopped before a chapter marker (presenter mode).
    Marker(usize),
}

/// What a reload did to the branch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reloaded {
    /// There was no branch.
    NoBranch,
    /// The branch plays the same on the new file and is kept.
    BranchKept,
    /// The branch no longer applies (an action now gives another outcome) and was dropped.
    BranchDropped,
}

/// The trainee's progress through the quiz of one step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuizState {
    /// The question is shown; waiting for a choice.
    Asking(usize),
    /// The answer (the choice picked) is revealed, with the explanation.
    Revealed {
        /// The step.
        step: usize,
        /// The choice the trainee picked.
        picked: usize,
    },
}

/// Playback of one scenario.
#[derive(Debug, Clone)]
pub struct Playback {
    scenario: Scenario,
    timeline: Timeline,
    /// Playing (true) or paused.
    pub playing: bool,
    speed: usize,
    /// Presenter mode: playback pauses before every chapter marker.
    pub presenter: bool,
    /// When the next step is due, while playing (a clock value from the UI).
    next_due: Option<Duration>,
    /// A marker step the user has already been stopped at (so play goes on past it).
    passed_marker: Option<usize>,
    quiz: Option<QuizState>,
    /// Quiz answers: step index -> choice picked.
    answers: BTreeMap<usize, usize>,
    /// The steps that start a chapter (carry a marker), in order.
    chapters: Vec<usize>,
    /// Whether any step carries a quiz.
    has_quiz: bool,
    /// Exercise mode: playback stops before a step with a quiz (on by default).
    pub exercise: bool,
    /// Questions skipped: their steps play without asking, nothing is scored.
    skipped: std::collections::BTreeSet<usize>,
}

impl Playback {
    /// Playback of a scenario, at its start, paused.
    pub fn new(scenario: Scenario) -> Playback {
        let timeline = Timeline::new(scenario.world.clone());
        let chapters = scenario.chapters().into_iter().map(|(i, _)| i).collect();
        let has_quiz = scenario.steps.iter().any(|s| s.quiz().is_some());
        Playback {
            scenario,
            timeline,
            playing: false,
            speed: DEFAULT_SPEED,
            presenter: false,
            next_due: None,
            passed_marker: None,
            quiz: None,
            answers: BTreeMap::new(),
            chapters,
            has_quiz,
            exercise: true,
            skipped: std::collections::BTreeSet::new(),
        }
    }

    /// The scenario.
    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    /// The history.
    pub fn timeline(&self) -> &Timeline {
        &self.timeline
    }

    /// The world now.
    pub fn world(&self) -> &World {
        self.timeline.world()
    }

    /// The world before the last played entry (for animations), if any entry was played.
    pub fn world_before_last(&self) -> Option<World> {
        let c = self.timeline.cursor();
        (c > 0).then(|| self.timeline.world_at(c - 1))
    }

    /// The last played entry.
    pub fn last(&self) -> Option<&Entry> {
        self.timeline.played().last()
    }

    /// The entries played so far.
    pub fn played(&self) -> &[Entry] {
        self.timeline.played()
    }

    /// Where the user left the script, if off script: the number of script steps played
    /// when the first branch entry was taken.
    pub fn left_script_at(&self) -> Option<usize> {
        // The entries are script steps, then branch entries only.
        self.timeline
            .first_branch()
            .filter(|b| *b < self.timeline.cursor())
    }

    /// True when some played entry is the user's own action.
    pub fn off_script(&self) -> bool {
        self.left_script_at().is_some()
    }

    /// How many branch entries are played.
    pub fn branch_len(&self) -> usize {
        self.left_script_at()
            .map_or(0, |at| self.timeline.cursor() - at)
    }

    /// How many script steps are played (on script this is the cursor).
    pub fn script_position(&self) -> usize {
        self.left_script_at().unwrap_or(self.timeline.cursor())
    }

    /// The number of scripted steps.
    pub fn step_count(&self) -> usize {
        self.scenario.steps.len()
    }

    /// The speed factor (0.25 to 8).
    pub fn speed(&self) -> f64 {
        SPEEDS[self.speed]
    }

    /// How long a step lasts at the current speed.
    pub fn step_interval(&self) -> Duration {
        STEP_AT_1X.div_f64(self.speed())
    }

    /// Sets the speed to the nearest of [`SPEEDS`].
    pub fn set_speed(&mut self, factor: f64) {
        self.speed = (0..SPEEDS.len())
            .min_by(|a, b| {
                (SPEEDS[*a] - factor)
                    .abs()
                    .total_cmp(&(SPEEDS[*b] - factor).abs())
            })
            .unwrap_or(DEFAULT_SPEED);
    }

    /// Faster, up to 8x.
    pub fn speed_up(&mut self) {
        self.speed = (self.speed + 1).min(SPEEDS.len() - 1);
    }

    /// Slower, down to 0.25x.
    pub fn slow_down(&mut self) {
        self.speed = self.speed.saturating_sub(1);
    }

    /// The chapter the playback is in: the last marker at or before the last step played
    /// (before anything is played, a chapter that starts at the first step).
    pub fn chapter(&self) -> Option<(usize, &str)> {
        let last = self.script_position().saturating_sub(1);
        let k = self.chapters.partition_point(|i| *i <= last);
        let i = *self.chapters.get(k.checked_sub(1)?)?;
        Some((i, self.scenario.steps[i].marker()?))
    }

    /// The chapter whose marker is on the next step to play, if any: where playback
    /// stands after `]`, `[` or a presenter-mode pause.
    pub fn chapter_ahead(&self) -> Option<(usize, &str)> {
        let pos = self.script_position();
        if self.off_script() || pos == 0 {
            return None;
        }
        let i = *self.chapters.iter().find(|i| **i == pos)?;
        Some((i, self.scenario.steps[i].marker()?))
    }

    /// The recorded branch, played or not: (the entry index where it starts, how many
    /// actions it holds). A branch stepped back out of is still recorded until something
    /// replaces it.
    pub fn branch_recorded(&self) -> Option<(usize, usize)> {
        let first = self.timeline.first_branch()?;
        Some((first, self.timeline.entries().len() - first))
    }

    /// Drops the recorded future when the branch is no longer played (after the user
    /// chose to discard it).
    pub fn drop_unplayed_branch(&mut self) {
        if self
            .timeline
            .first_branch()
            .is_some_and(|b| b >= self.timeline.cursor())
        {
            self.timeline.drop_future();
        }
    }

    /// The chapters: the steps that carry a marker, in order.
    pub fn chapters(&self) -> &[usize] {
        &self.chapters
    }

    /// The session that launched an operation, if known.
    pub fn owner_of(&self, operation: &str) -> Option<&str> {
        self.timeline.owner_of(operation)
    }

    /// The quiz state, if a question is open.
    pub fn quiz(&self) -> Option<QuizState> {
        self.quiz
    }

    /// The quiz of a step.
    pub fn quiz_of(&self, step: usize) -> Option<&Quiz> {
        self.scenario.steps.get(step).and_then(|s| s.quiz())
    }

    /// Score: (right, asked).
    pub fn score(&self) -> (usize, usize) {
        let right = self
            .answers
            .iter()
            .filter(|(step, picked)| self.quiz_of(**step).is_some_and(|q| q.answer == **picked))
            .count();
        (right, self.answers.len())
    }

    /// True when the scenario has any quiz.
    pub fn has_quiz(&self) -> bool {
        self.has_quiz
    }

    /// True at the end of the script (on script, every step played).
    pub fn at_end(&self) -> bool {
        !self.off_script() && self.timeline.cursor() >= self.step_count()
    }

    /// Play or pause. `now` is the UI's clock.
    pub fn toggle_play(&mut self, now: Duration) {
        if self.playing {
            self.pause();
        } else {
            self.play(now);
        }
    }

    /// Starts playing; the next step is due one interval from `now`... or at once when
    /// playing resumes from a stop at a marker or quiz.
    pub fn play(&mut self, now: Duration) {
        if self.quiz.is_some() {
            return;
        }
        self.playing = true;
        self.next_due = Some(now);
    }

    /// Pauses.
    pub fn pause(&mut self) {
        self.playing = false;
        self.next_due = None;
    }

    /// While playing: plays a step when one is due. Returns what happened, if anything.
    pub fn tick(&mut self, now: Duration) -> Option<StepResult> {
        if !self.playing {
            return None;
        }
        let due = self.next_due?;
        if now < due {
            return None;
        }
        let result = self.step_forward();
        match result {
            StepResult::Played => self.next_due = Some(now + self.step_interval()),
            StepResult::AtEnd | StepResult::Quiz(_) | StepResult::Marker(_) => self.pause(),
        }
        Some(result)
    }

    /// When the next step is due, while playing.
    pub fn next_due(&self) -> Option<Duration> {
        self.next_due.filter(|_| self.playing)
    }

    /// One step forward: replays a recorded entry, or plays the next scripted step. Stops
    /// before a quiz not yet answered, and (in presenter mode, while playing) before a
    /// chapter marker.
    pub fn step_forward(&mut self) -> StepResult {
        if self.quiz.is_some() {
            return StepResult::Quiz(self.script_position());
        }
        let cursor = self.timeline.cursor();
        if self.off_script() {
            if cursor < self.timeline.entries().len() {
                self.timeline.seek(cursor + 1);
                return StepResult::Played;
            }
            // Playing at the end of a branch: time passes, a tick per step.
            if self.playing {
                self.push_branch(Action::Wait { ticks: 1 });
                return StepResult::Played;
            }
            return StepResult::AtEnd;
        }
        if cursor >= self.step_count() {
            return StepResult::AtEnd;
        }
        if self.exercise
            && self.quiz_of(cursor).is_some()
            && !self.answers.contains_key(&cursor)
            && !self.skipped.contains(&cursor)
        {
            self.quiz = Some(QuizState::Asking(cursor));
            return StepResult::Quiz(cursor);
        }
        if self.playing
            && self.presenter
            && self.scenario.steps[cursor].marker().is_some()
            && self.passed_marker != Some(cursor)
            && cursor > 0
        {
            self.passed_marker = Some(cursor);
            return StepResult::Marker(cursor);
        }
        let recorded = self
            .timeline
            .entries()
            .get(cursor)
            .is_some_and(|e| e.origin == Origin::Script(cursor));
        if recorded {
            self.timeline.seek(cursor + 1);
        } else {
            let step = &self.scenario.steps[cursor];
            self.timeline
                .push(step.kind, step.action.clone(), Origin::Script(cursor));
        }
        StepResult::Played
    }

    /// One step back, to the exact state after the previous entry.
    pub fn step_back(&mut self) {
        self.quiz = None;
        let c = self.timeline.cursor();
        if c > 0 {
            self.timeline.seek(c - 1);
        }
        // Back before a marker it stopped at: presenter mode stops there again.
        if self
            .passed_marker
            .is_some_and(|m| m >= self.timeline.cursor())
        {
            self.passed_marker = None;
        }
    }

    /// To the start (nothing played). Leaves the script's recorded entries in place.
    pub fn home(&mut self) {
        self.quiz = None;
        self.pause();
        self.seek_script(0);
    }

    /// To the end of the script (or of the branch, off script). Stops at an unanswered
    /// quiz on the way.
    pub fn end(&mut self) {
        self.pause();
        while self.step_forward() == StepResult::Played {}
    }

    /// To the previous chapter: the last marker before the script position (or the
    /// start of the current chapter when the position is inside it).
    pub fn prev_chapter(&mut self) {
        let pos = self.script_position();
        let k = self.chapters.partition_point(|i| *i < pos);
        let target = k.checked_sub(1).map_or(0, |k| self.chapters[k]);
        self.pause();
        self.quiz = None;
        self.seek_script(target);
    }

    /// To the next chapter: plays the script up to just before the next marker. Quizzes
    /// on the way stop it.
    pub fn next_chapter(&mut self) {
        let pos = self.script_position();
        let k = self.chapters.partition_point(|i| *i <= pos);
        let Some(&target) = self.chapters.get(k) else {
            return;
        };
        self.pause();
        self.return_to_script();
        while self.timeline.cursor() < target {
            if self.step_forward() != StepResult::Played {
                break;
            }
        }
    }

    /// Moves to script position `n`, back on the script. Recorded script entries up to
    /// `n` are replayed through [`Timeline::seek`]; missing ones are played.
    fn seek_script(&mut self, n: usize) {
        // The recorded script steps: every entry before the first branch entry.
        let recorded = self
            .timeline
            .first_branch()
            .unwrap_or(self.timeline.entries().len());
        self.timeline.seek(n.min(recorded));
        self.passed_marker = None;
        while self.timeline.cursor() < n {
            let c = self.timeline.cursor();
            let step = &self.scenario.steps[c];
            self.timeline
                .push(step.kind, step.action.clone(), Origin::Script(c));
        }
    }

    /// To the state after `n` script steps, on the script (questions on the way are not
    /// asked: a jump, like Home).
    pub fn goto(&mut self, n: usize) {
        self.pause();
        self.quiz = None;
        self.seek_script(n.min(self.step_count()));
    }

    /// Leaves the branch and goes back to the script at the step where the user left
    /// it. Does nothing on script.
    pub fn return_to_script(&mut self) {
        if let Some(at) = self.left_script_at() {
            self.quiz = None;
            self.seek_script(at);
        }
    }

    /// Acts off script ("what if"): applies the action at the cursor as a branch entry.
    /// Any recorded future is dropped (the script's steps can be played again later).
    /// A wait right after a wait of the branch is one longer wait: the log and a saved
    /// file hold `wait 3 ticks`, not three entries of one tick.
    pub fn act(&mut self, action: Action) -> &Entry {
        self.pause();
        self.quiz = None;
        self.push_branch(action)
    }

    /// Pushes a branch entry, coalescing consecutive waits.
    fn push_branch(&mut self, action: Action) -> &Entry {
        let action = match action {
            Action::Wait { ticks } => {
                let cursor = self.timeline.cursor();
                let previous = (self.off_script() && cursor == self.timeline.entries().len())
                    .then(|| self.timeline.entries().last())
                    .flatten()
                    .and_then(|e| match (&e.origin, &*e.action) {
                        (Origin::Branch, Action::Wait { ticks }) if e.outcome.result.is_ok() => {
                            Some(*ticks)
                        }
                        _ => None,
                    });
                match previous {
                    Some(before) => {
                        self.timeline.seek(cursor - 1);
                        Action::Wait {
                            ticks: before.saturating_add(ticks),
                        }
                    }
                    None => Action::Wait { ticks },
                }
            }
            other => other,
        };
        let kind = kind_of(&action);
        self.timeline.push(kind, action, Origin::Branch)
    }

    /// Picks a quiz choice (from 0). Ignored unless a question is open and the choice exists.
    pub fn answer(&mut self, choice: usize) -> bool {
        let Some(QuizState::Asking(step)) = self.quiz else {
            return false;
        };
        let Some(quiz) = self.quiz_of(step) else {
            return false;
        };
        if choice >= quiz.choices.len() {
            return false;
        }
        self.answers.insert(step, choice);
        self.quiz = Some(QuizState::Revealed {
            step,
            picked: choice,
        });
        true
    }

    /// Skips the open question: its step plays without it and nothing is scored.
    pub fn skip_quiz(&mut self) {
        if let Some(QuizState::Asking(step)) = self.quiz {
            self.skipped.insert(step);
            self.quiz = None;
        }
    }

    /// Forgets every answer and skip, for the next group: every question is asked again.
    pub fn reset_score(&mut self) {
        self.answers.clear();
        self.skipped.clear();
    }

    /// Puts an open question away unanswered; it is asked again before its step plays.
    pub fn dismiss_quiz(&mut self) {
        if let Some(QuizState::Asking(_)) = self.quiz {
            self.quiz = None;
        }
    }

    /// Closes a revealed answer; the step may now be played.
    pub fn close_quiz(&mut self) {
        if let Some(QuizState::Revealed { .. }) = self.quiz {
            self.quiz = None;
        }
    }

    /// The error of the last played entry, if it was refused.
    pub fn last_error(&self) -> Option<&ActionError> {
        self.last().and_then(|e| e.outcome.result.as_ref().err())
    }

    /// Replaces the scenario (watch mode) and returns to the same script position,
    /// clamped to the new script's length. A branch is played again from where it left
    /// the script; it is kept when every action gives the outcome it gave before, else
    /// dropped. Returns what became of the branch.
    pub fn reload(&mut self, scenario: Scenario) -> Reloaded {
        let branch: Vec<Entry> = match self.left_script_at() {
            Some(at) => self.timeline.entries()[at..self.timeline.cursor()].to_vec(),
            None => Vec::new(),
        };
        let left_at = self.left_script_at();
        self.reload_script(scenario);
        let Some(at) = left_at else {
            return Reloaded::NoBranch;
        };
        if at > self.step_count() {
            return Reloaded::BranchDropped;
        }
        self.seek_script(at);
        for old in &branch {
            let new = self
                .timeline
                .push(old.kind, Action::clone(&old.action), Origin::Branch);
            if new.outcome != old.outcome {
                let pos = at.min(self.step_count());
                self.timeline = Timeline::new(self.scenario.world.clone());
                self.seek_script(pos);
                return Reloaded::BranchDropped;
            }
        }
        Reloaded::BranchKept
    }

    fn reload_script(&mut self, scenario: Scenario) {
        let pos = self.script_position().min(scenario.steps.len());
        self.timeline = Timeline::new(scenario.world.clone());
        self.chapters = scenario.chapters().into_iter().map(|(i, _)| i).collect();
        self.has_quiz = scenario.steps.iter().any(|s| s.quiz().is_some());
        self.scenario = scenario;
        self.quiz = None;
        self.passed_marker = None;
        self.answers.retain(|step, _| *step < pos);
        self.pause();
        self.seek_script(pos);
    }

    /// A one-line description of scripted step `step`, as it would play from now.
    pub fn describe_step(&self, step: usize) -> String {
        match self.scenario.steps.get(step) {
            Some(s) => describe(self.world(), s.kind, &s.action),
            None => String::new(),
        }
    }

    /// A one-line description of the entry at `index` (as played).
    pub fn describe_entry(&self, index: usize) -> String {
        self.timeline.entries()[index].description.to_string()
    }

    /// What was played (script steps so far plus the branch) as a new scenario file in
    /// the scenario's own edition, with every store setting explicit and an `expect` per
    /// step holding what happened, so the file replays as a regression test with
    /// `cartsim run`. Written through the format's own types ([`save`]).
    pub fn export(&self, title: &str) -> Value {
        let mut steps = Vec::new();
        let mut world = self.scenario.world.clone();
        for entry in self.timeline.played() {
            let mut step = save::raw_step(entry.kind, &entry.action);
            if let Origin::Script(i) = entry.origin
                && let Some(s) = self.scenario.steps.get(i)
            {
                step.note = s.note().map(str::to_string);
                step.marker = s.marker().map(str::to_string);
                step.quiz = s.quiz().map(|q| RawQuiz {
                    question: q.question.clone(),
                    choices: q.choices.clone(),
                    // In the file the answer is numbered from 1.
                    answer: q.answer + 1,
                    explanation: q.explanation.clone(),
                });
            } else {
                step.note = Some("explored in the UI (off script)".to_string());
            }
            let outcome = world.apply(&entry.action);
            step.expect = Some(expect_of(&outcome, &world));
            steps.push(step);
        }
        let raw = RawScenario {
            cartsim: Value::from(match self.scenario.edition {
                Edition::One => 1,
                Edition::Two => 2,
            }),
            title: title.to_string(),
            summary: Some(format!(
                "Recorded in the cartsim UI from \"{}\" ({}).",
                self.scenario.title, self.scenario.file
            )),
            tags: Vec::new(),
            explore: None,
            world: save::raw_world(&self.scenario.world),
            steps,
        };
        serde_json::to_value(&raw).unwrap_or(Value::Null)
    }
}

/// The expectation that pins what a step did: its result, and the final value of every
/// WebCart, CartCheckoutSession, BackgroundOperation and CartValidationOutput field it
/// changed.
fn expect_of(outcome: &Outcome, world: &World) -> RawExpect {
    let changes = &outcome.changes;
    let (result, http) = match &outcome.result {
        // A REST call's status is pinned too.
        Ok(()) => ("ok".to_string(), outcome.http),
        Err(e) => (e.code().to_string(), e.http()),
    };
    let mut state = Map::new();
    for change in changes {
        if !matches!(
            change.kind,
            RecordKind::WebCart
                | RecordKind::CartCheckoutSession
                | RecordKind::BackgroundOperation
                | RecordKind::CartValidationOutput
        ) {
            continue;
        }
        let fields: Vec<&str> = match (change.field, change.kind) {
            (Some(f), _) => vec![f],
            (None, RecordKind::WebCart) => vec!["Status"],
            (None, RecordKind::CartCheckoutSession) => vec!["State", "IsArchived"],
            (None, RecordKind::CartValidationOutput) => vec!["Level", "Type"],
            (None, _) => vec!["Name", "Status"],
        };
        for field in fields {
            if let Ok(value) = world.field(&change.record, field) {
                state.insert(format!("{}.{field}", change.record), value.to_json());
            }
        }
    }
    RawExpect {
        result: Some(result),
        http,
        state: (!state.is_empty()).then_some(state),
        body: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Quantity;
    use crate::player::play_headless;
    use crate::scenario::load_bytes;

    fn builtin(prefix: &str) -> Scenario {
        let b = crate::scenario::builtin::BUILTIN
            .iter()
            .find(|b| b.name.starts_with(prefix))
            .expect("built-in scenario");
        load_bytes(b.name, b.text.as_bytes()).expect("loads")
    }

    #[test]
    fn stepping_forward_and_back_gives_the_exact_worlds() {
        let s = builtin("01-");
        let mut p = Playback::new(s.clone());
        let mut seen = vec![p.world().clone()];
        while p.step_forward() == StepResult::Played {
            seen.push(p.world().clone());
        }
        assert_eq!(seen.len(), s.steps.len() + 1);
        assert!(p.at_end());
        for k in (0..seen.len() - 1).rev() {
            p.step_back();
            assert_eq!(p.world(), &seen[k], "back to step {k}");
        }
        p.end();
        assert_eq!(p.world(), seen.last().unwrap());
        p.home();
        assert_eq!(p.world(), &seen[0]);
    }

    #[test]
    fn acting_branches_and_returning_resumes_the_script() {
        let s = builtin("02-");
        let mut p = Playback::new(s);
        p.step_forward();
        assert!(!p.off_script());
        let entry = p.act(Action::Cancel {
            cart: "cart-1".into(),
            actor: None,
        });
        assert!(entry.outcome.result.is_ok());
        assert!(p.off_script());
        assert_eq!(p.left_script_at(), Some(1));
        assert_eq!(p.script_position(), 1);
        assert_eq!(p.branch_len(), 1);
        p.act(Action::Wait { ticks: 1 });
        assert_eq!(p.branch_len(), 2);
        // Off script, stepping back moves within the branch.
        p.step_back();
        assert_eq!(p.branch_len(), 1);
        assert_eq!(p.step_forward(), StepResult::Played);
        assert_eq!(p.step_forward(), StepResult::AtEnd);
        p.return_to_script();
        assert!(!p.off_script());
        assert_eq!(p.timeline().cursor(), 1);
        // The script goes on as written: step 2 waits 3 ticks.
        assert_eq!(p.step_forward(), StepResult::Played);
        assert_eq!(p.world().tick, 3);
        assert_eq!(p.last().unwrap().origin, Origin::Script(1));
    }

    #[test]
    fn speed_is_bounded() {
        let mut p = Playback::new(builtin("01-"));
        for _ in 0..10 {
            p.speed_up();
        }
        assert_eq!(p.speed(), 8.0);
        for _ in 0..10 {
            p.slow_down();
        }
        assert_eq!(p.speed(), 0.25);
    }

    #[test]
    fn playing_steps_on_the_clock_and_presenter_mode_pauses_at_markers() {
        let s = builtin("02-");
        let mut p = Playback::new(s);
        p.presenter = true;
        let t0 = Duration::from_secs(10);
        p.play(t0);
        assert_eq!(p.tick(t0), Some(StepResult::Played));
        assert_eq!(p.tick(t0), None, "not due yet");
        let t1 = t0 + p.step_interval();
        assert_eq!(p.tick(t1), Some(StepResult::Played));
        // Step 3 carries the marker "Cancel".
        let t2 = t1 + p.step_interval();
        assert_eq!(p.tick(t2), Some(StepResult::Marker(2)));
        assert!(!p.playing);
        // Paused before the marker: the chapter is still the one played, "Cancel" is next.
        assert_ne!(p.chapter().map(|c| c.1), Some("Cancel"));
        assert_eq!(p.chapter_ahead().map(|c| c.1), Some("Cancel"));
        p.play(t2);
        assert_eq!(p.tick(t2), Some(StepResult::Played));
        assert_eq!(p.chapter().map(|c| c.1), Some("Cancel"));
        assert_eq!(p.world().cart("cart-1").unwrap().status.as_str(), "Active");
    }

    #[test]
    fn chapters_jump_to_markers() {
        let mut p = Playback::new(builtin("01-"));
        let chapters: Vec<usize> = p.scenario().chapters().iter().map(|c| c.0).collect();
        assert!(chapters.len() >= 2);
        p.next_chapter();
        assert_eq!(p.script_position(), chapters[1]);
        p.prev_chapter();
        assert_eq!(p.script_position(), chapters[0]);
    }

    #[test]
    fn quiz_stops_before_its_step_and_scores() {
        let text = r#"{"cartsim":1,"title":"q","world":{
          "stores":[{"id":"w"}],"accounts":[{"id":"a","stores":["w"]}],
          "buyers":[{"id":"b","accounts":["a"]}],"products":[{"sku":"S","price":1}],
          "carts":[{"id":"c","store":"w","buyer":"b"}]},
          "steps":[{"do":"start_checkout","cart":"c",
            "quiz":{"question":"What happens?","choices":["error","a session"],"answer":2,
                    "explanation":"a session is created"}},
            {"do":"cancel","cart":"c","quiz":{"question":"And now?","choices":["x","y"],"answer":1}}]}"#;
        let s = load_bytes("q.json", text.as_bytes()).unwrap();
        let mut p = Playback::new(s);
        assert_eq!(p.step_forward(), StepResult::Quiz(0));
        assert_eq!(p.timeline().cursor(), 0);
        assert!(!p.answer(5), "no such choice");
        assert!(p.answer(1));
        assert_eq!(p.quiz(), Some(QuizState::Revealed { step: 0, picked: 1 }));
        p.close_quiz();
        assert_eq!(p.step_forward(), StepResult::Played);
        assert_eq!(p.step_forward(), StepResult::Quiz(1));
        p.answer(1);
        p.close_quiz();
        assert_eq!(p.step_forward(), StepResult::Played);
        assert_eq!(p.score(), (1, 2));
        // Answered questions are not asked again after stepping back.
        p.step_back();
        assert_eq!(p.step_forward(), StepResult::Played);
    }

    #[test]
    fn an_exported_session_replays_as_a_passing_regression_test() {
        let mut p = Playback::new(builtin("02-"));
        p.step_forward();
        p.act(Action::AddToCart {
            cart: "cart-1".into(),
            sku: "BOLT-10".into(),
            quantity: Quantity::Whole(3),
            actor: None,
        });
        p.act(Action::Revoke {
            buyer: "bob".into(),
            permission: crate::engine::Permission::CancelCheckout,
        });
        p.act(Action::StartCheckout {
            cart: "cart-1".into(),
            actor: None,
        });
        p.act(Action::Cancel {
            cart: "cart-1".into(),
            actor: None,
        });
        assert!(p.last_error().is_some());
        let value = p.export("branch");
        let text = serde_json::to_string_pretty(&value).unwrap();
        let s =
            load_bytes("branch.json", text.as_bytes()).unwrap_or_else(|e| panic!("{e}\n{text}"));
        assert_eq!(s.steps.len(), 5);
        let reports = play_headless(&s);
        assert!(reports.iter().all(|r| r.passed()), "{text}");
        assert!(reports.iter().map(|r| r.checks.len()).sum::<usize>() > 5);
    }

    #[test]
    fn reload_returns_to_the_same_step() {
        let s = builtin("01-");
        let mut p = Playback::new(s.clone());
        p.step_forward();
        p.step_forward();
        p.step_forward();
        p.reload(s);
        assert_eq!(p.script_position(), 3);
        assert_eq!(p.timeline().cursor(), 3);
    }
}
