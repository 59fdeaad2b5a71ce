//! The served world: one [`World`], the clock that moves it, and the record of every step
//! that reached the engine. The HTTP layer holds it behind one lock, so requests apply
//! one at a time in the order they took the lock, as an org serializes saves of one cart.

use crate::engine::{Action, Outcome, World};
use crate::scenario::format::{RawExpect, RawScenario, RawStep};
use crate::scenario::{Scenario, save};
use crate::tui::app::Live;
use serde_json::Value;
use std::sync::mpsc::Sender;
use std::time::{Duration, Instant};

/// How virtual time passes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Time {
    /// One tick every so much wall time (`--tick-ms`).
    Wall(Duration),
    /// Only when the control API says so (`--manual-time`).
    Manual,
}

/// The world being served and what happened to it.
pub struct Session {
    /// The world now.
    world: World,
    /// The world the session started from (after `--from K`), for `reset`.
    start: World,
    /// The file as the format's types: its world is written back verbatim by `--record`,
    /// and a control step is read through the loader against it.
    raw: RawScenario,
    /// The file's title, for the recorded file's summary.
    title: String,
    /// The first K steps of the file, played before serving (`--from K`).
    prefix: Vec<RawStep>,
    /// The steps that reached the engine since the start (or the last reset).
    recorded: Vec<RawStep>,
    /// Whether steps are kept (only with `--record`: a long benchmark keeps nothing).
    recording: bool,
    /// How time passes.
    time: Time,
    /// When wall time started counting (the start or the last reset).
    origin: Instant,
    /// Wall-clock ticks applied since `origin`.
    ticks_applied: u64,
    /// The terminal UI watching the world (`--ui`): every action applied, and resets.
    feed: Option<Sender<Live>>,
}

/// A step refused before it reached the engine: the status and the platform's error list.
#[derive(Debug, Clone, PartialEq)]
pub struct Refusal {
    /// The HTTP status.
    pub status: u16,
    /// `errorCode` (`NOT_FOUND`, `INVALID_INPUT`, ...).
    pub code: &'static str,
    /// `message`.
    pub message: String,
}

impl Refusal {
    /// A refusal with this status, code and message.
    pub fn new(status: u16, code: &'static str, message: impl Into<String>) -> Refusal {
        Refusal {
            status,
            code,
            message: message.into(),
        }
    }

    /// The body Salesforce sends with an error: `[{"errorCode", "message"}]`.
    pub fn body(&self) -> Value {
        serde_json::json!([{ "errorCode": self.code, "message": self.message }])
    }
}

impl Session {
    /// A session on `scenario`'s world with its first `from` steps played. Fails when the
    /// file has fewer steps.
    pub fn new(
        scenario: &Scenario,
        raw: RawScenario,
        from: usize,
        time: Time,
        recording: bool,
    ) -> Result<Session, String> {
        if from > scenario.steps.len() {
            return Err(format!(
                "--from {from}: the file has {} steps",
                scenario.steps.len()
            ));
        }
        let mut world = scenario.world.clone();
        for step in &scenario.steps[..from] {
            world.apply(&step.action);
        }
        let prefix = raw.steps.iter().take(from).cloned().collect();
        Ok(Session {
            start: world.clone(),
            world,
            title: scenario.title.clone(),
            raw,
            prefix,
            recorded: Vec::new(),
            recording,
            time,
            origin: Instant::now(),
            ticks_applied: 0,
            feed: None,
        })
    }

    /// Sends every action applied from now on, and every reset, to a watching UI.
    pub fn watch(&mut self, feed: Sender<Live>) {
        self.feed = Some(feed);
    }

    /// Tells the watching UI, if any. A UI that has quit no longer listens: the server
    /// goes on without it.
    fn tell(&mut self, live: Live) {
        if let Some(feed) = &self.feed
            && feed.send(live).is_err()
        {
            self.feed = None;
        }
    }

    /// The world now (after the wall clock has caught up, if the caller called
    /// [`Session::catch_up`]).
    pub fn world(&self) -> &World {
        &self.world
    }

    /// How time passes.
    pub fn time(&self) -> Time {
        self.time
    }

    /// With wall time, applies the ticks that are due at `now` as one `wait` step, so
    /// that a request sees the world of its own instant.
    pub fn catch_up(&mut self, now: Instant) {
        let Time::Wall(tick) = self.time else {
            return;
        };
        let elapsed = now.saturating_duration_since(self.origin).as_nanos();
        let due = u64::try_from(elapsed / tick.as_nanos().max(1)).unwrap_or(u64::MAX);
        let ticks = due.saturating_sub(self.ticks_applied);
        if ticks == 0 {
            return;
        }
        self.ticks_applied = due;
        let outcome = self.world.apply(&Action::Wait { ticks });
        self.tell(Live::Acted(Action::Wait { ticks }));
        if self.recording {
            // Consecutive waits are one wait: the file reads as the time that passed.
            if let Some(last) = self.recorded.last_mut()
                && last.kind == "wait"
                && let Some(t) = last.ticks
            {
                last.ticks = Some(t.saturating_add(ticks));
                return;
            }
            let mut step = save::raw_step("wait", &Action::Wait { ticks });
            step.expect = Some(expect_of(&outcome));
            self.recorded.push(step);
        }
    }

    /// Applies an action of step kind `kind` and records it as a step whose expectation
    /// is the result and status it got.
    pub fn apply(&mut self, kind: &str, action: &Action) -> Outcome {
        let outcome = self.world.apply(action);
        self.tell(Live::Acted(action.clone()));
        if self.recording {
            let mut step = save::raw_step(kind, action);
            step.expect = Some(expect_of(&outcome));
            self.recorded.push(step);
        }
        outcome
    }

    /// Reads one scenario step (the format's `{"do": ...}` object) through the loader,
    /// checked against the file's world exactly as a step of the file would be.
    pub fn parse_step(&self, step: &Value) -> Result<(&'static str, Action), Refusal> {
        let invalid = |m: String| Refusal::new(400, "INVALID_INPUT", m);
        let mut step = step.clone();
        let Some(object) = step.as_object_mut() else {
            return Err(invalid(
                "expected a scenario step: an object with \"do\"".into(),
            ));
        };
        // A step sent here is an action, not a test: what must hold is for the caller.
        for key in ["expect", "quiz", "marker"] {
            object.remove(key);
        }
        let raw_step: RawStep = serde_json::from_value(step)
            .map_err(|e| invalid(format!("not a scenario step: {e}")))?;
        let mut file = self.raw.clone();
        file.steps = vec![raw_step];
        let text = save::to_text(&file);
        let scenario = crate::scenario::load_bytes("step", text.as_bytes())
            .map_err(|e| invalid(e.message.clone()))?;
        let step = scenario
            .steps
            .into_iter()
            .next()
            .ok_or_else(|| invalid("no step".into()))?;
        Ok((step.kind, step.action))
    }

    /// Back to the world the session started from: the clock starts again and the
    /// recording keeps only the steps before the start (`--from K`).
    pub fn reset(&mut self, now: Instant) {
        self.world = self.start.clone();
        self.recorded.clear();
        self.origin = now;
        self.ticks_applied = 0;
        self.tell(Live::Reset);
    }

    /// The session as a scenario file: the file's world, the steps played before serving,
    /// and one step per request that reached the engine, each expecting what it got.
    pub fn recording(&self) -> RawScenario {
        let mut steps = self.prefix.clone();
        steps.extend(self.recorded.iter().cloned());
        RawScenario {
            cartsim: self.raw.cartsim.clone(),
            title: format!("Recorded by cartsim serve: {}", self.raw.title),
            summary: Some(format!(
                "Requests served on the world of \"{}\", one step each, with the status each got.",
                self.title
            )),
            tags: vec!["recorded".to_string()],
            world: self.raw.world.clone(),
            steps,
            explore: self.raw.explore.clone(),
        }
    }

    /// How many steps were recorded since the start (or the last reset).
    pub fn recorded_len(&self) -> usize {
        self.recorded.len()
    }

    /// The world as JSON: the virtual time and every record's fields, by id.
    pub fn state_json(&self) -> Value {
        state_json(&self.world)
    }
}

/// What a recorded step expects: the result it got, and the HTTP status of a REST call.
fn expect_of(outcome: &Outcome) -> RawExpect {
    RawExpect {
        result: Some(match &outcome.result {
            Ok(()) => "ok".to_string(),
            Err(e) => e.code().to_string(),
        }),
        http: outcome.http,
        state: None,
        body: None,
    }
}

/// Every record with readable fields, by id, with its fields as expectations name them.
pub fn state_json(world: &World) -> Value {
    use crate::engine::world::fields_of;
    let ids = world
        .carts()
        .iter()
        .map(|c| c.id.as_str())
        .chain(world.sessions().iter().map(|s| s.id.as_str()))
        .chain(world.operations().iter().map(|o| o.id.as_str()))
        .chain(world.validation_outputs().iter().map(|v| v.id.as_str()))
        .chain(world.delivery_groups().iter().map(|g| g.id.as_str()))
        .chain(world.payment_authorizations().iter().map(|p| p.id.as_str()));
    let mut records = serde_json::Map::new();
    for id in ids {
        let Some(kind) = world.kind_of(id) else {
            continue;
        };
        let mut fields = serde_json::Map::new();
        fields.insert(
            "attributes".into(),
            serde_json::json!({ "type": kind.as_str() }),
        );
        for field in fields_of(kind) {
            if let Ok(value) = world.field(id, field) {
                fields.insert((*field).to_string(), value.to_json());
            }
        }
        records.insert(id.to_string(), Value::Object(fields));
    }
    serde_json::json!({ "tick": world.tick, "records": records })
}

#[cfg(test)]
mod tests {
    use super::*;

    const WORLD: &str = r#"{"cartsim": 2, "title": "t", "world": {
        "stores": [{"id": "west", "template": "lwr"}],
        "accounts": [{"id": "acme", "stores": ["west"]}],
        "buyers": [{"id": "bob", "accounts": ["acme"]}],
        "products": [{"sku": "BOLT", "price": 2}],
        "carts": [{"id": "cart-1", "store": "west", "buyer": "bob", "items": [{"sku": "BOLT", "quantity": 1}]}]}}"#;

    fn session(time: Time) -> Session {
        let (s, raw) = crate::scenario::load_with_raw("t.json", WORLD.as_bytes()).unwrap();
        Session::new(&s, raw, 0, time, true).unwrap()
    }

    #[test]
    fn wall_time_applies_the_ticks_due_as_one_recorded_wait() {
        let mut s = session(Time::Wall(Duration::from_millis(100)));
        let origin = s.origin;
        s.catch_up(origin + Duration::from_millis(99));
        assert_eq!((s.world().tick, s.recorded_len()), (0, 0));
        s.catch_up(origin + Duration::from_millis(250));
        assert_eq!(s.world().tick, 2);
        s.catch_up(origin + Duration::from_millis(330));
        assert_eq!(s.world().tick, 3);
        // Consecutive waits are one step of 3 ticks.
        let rec = s.recording();
        assert_eq!(rec.steps.len(), 1);
        assert_eq!(rec.steps[0].ticks, Some(3));
        // An instant before the last one (a clock that went back) changes nothing.
        s.catch_up(origin);
        assert_eq!(s.world().tick, 3);
    }

    #[test]
    fn manual_time_never_moves_by_itself() {
        let mut s = session(Time::Manual);
        s.catch_up(s.origin + Duration::from_secs(3600));
        assert_eq!(s.world().tick, 0);
    }

    #[test]
    fn from_beyond_the_files_steps_is_refused() {
        let (s, raw) = crate::scenario::load_with_raw("t.json", WORLD.as_bytes()).unwrap();
        let e = Session::new(&s, raw, 3, Time::Manual, false).err().unwrap();
        assert!(e.contains("--from 3: the file has 0 steps"), "{e}");
    }
}
