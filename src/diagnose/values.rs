//! The values of real records: Salesforce ids (15 or 18 characters, the 18-character
//! form carrying a case checksum, the first three naming the object) and ISO 8601
//! timestamps, and the ticks they become. Times are read and written by `jiff`; this
//! module only insists on the one shape the Salesforce CLI writes.

use crate::scenario::sanitize;

/// The alphabet of the 18-character id's three checksum characters.
const CHECKSUM: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";

/// The three checksum characters of a 15-character id.
fn checksum(id15: &[u8]) -> [u8; 3] {
    let mut out = [0u8; 3];
    for (chunk, slot) in out.iter_mut().enumerate() {
        let mut flags = 0usize;
        for i in 0..5 {
            if id15[chunk * 5 + i].is_ascii_uppercase() {
                flags |= 1 << i;
            }
        }
        *slot = CHECKSUM[flags];
    }
    out
}

/// What kind of record an id field points at, for its key prefix (the id's first three
/// characters, which Salesforce gives each object).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdKind {
    /// A WebCart: `0a6` (the Connect API reference's sample cart ids).
    WebCart,
    /// An Account: `001`.
    Account,
    /// A User: `005`.
    User,
    /// A record owner: a User (`005`) or a queue (a Group, `00G`).
    Owner,
    /// An Order: `801`.
    Order,
    /// Any other object. Key prefixes of the B2B Commerce objects (CartCheckoutSession,
    /// BackgroundOperation, CartValidationOutput, WebStore, the buyer groups) are not in
    /// the published references this tool could check, and `WebCart.AccountId` may name
    /// a GuestBuyerProfile, so these ids are not judged by their prefix.
    Unchecked,
}

impl IdKind {
    /// The prefixes an id of this kind starts with; empty when not checked.
    pub fn prefixes(self) -> &'static [&'static str] {
        match self {
            IdKind::WebCart => &["0a6"],
            IdKind::Account => &["001"],
            IdKind::User => &["005"],
            IdKind::Owner => &["005", "00G"],
            IdKind::Order => &["801"],
            IdKind::Unchecked => &[],
        }
    }

    /// The object named in messages.
    fn noun(self) -> &'static str {
        match self {
            IdKind::WebCart => "a WebCart",
            IdKind::Account => "an Account",
            IdKind::User => "a User",
            IdKind::Owner => "a User or queue",
            IdKind::Order => "an Order",
            IdKind::Unchecked => "a record",
        }
    }
}

/// An id in its 18-character form, with a warning when the text's checksum was wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedId {
    /// The id, 18 characters.
    pub id: String,
    /// Set when an 18-character id's last three characters did not match its first
    /// fifteen: the id is read from its first fifteen and the warning names the right
    /// suffix (a case-changing tool or a typo; Salesforce itself reads only the fifteen).
    pub warning: Option<String>,
}

/// A Salesforce id in its 18-character form, or why the text is not one: 15 or 18
/// letters and digits starting with the key prefix of `kind`. An 18-character id whose
/// checksum does not match is read from its first fifteen characters, with a warning.
pub fn check_id(text: &str, kind: IdKind) -> Result<CheckedId, String> {
    let bytes = text.as_bytes();
    if !bytes.iter().all(u8::is_ascii_alphanumeric) {
        return Err("expected a Salesforce id (letters and digits only)".to_string());
    }
    if bytes.len() != 15 && bytes.len() != 18 {
        return Err(format!(
            "expected a Salesforce id of 15 or 18 characters, found {}",
            bytes.len()
        ));
    }
    let prefixes = kind.prefixes();
    if !prefixes.is_empty() && !prefixes.iter().any(|p| text.starts_with(p)) {
        return Err(format!(
            "expected the id of {} (starting with {}), found one starting with {}",
            kind.noun(),
            prefixes.join(" or "),
            &text[..3]
        ));
    }
    let sum = checksum(&bytes[..15]);
    let suffix = String::from_utf8_lossy(&sum).into_owned();
    let id = format!("{}{suffix}", &text[..15]);
    let warning = (bytes.len() == 18 && bytes[15..] != sum).then(|| {
        format!(
            "the id's last three characters {} do not match its first fifteen: the right suffix is {suffix}, so it is read as {id} (was the id retyped or changed by a case-changing tool?)",
            &text[15..]
        )
    });
    Ok(CheckedId { id, warning })
}

/// A Salesforce id of any object in its 18-character form, or why the text is not one;
/// a wrong checksum is refused here (see [`check_id`] for the forgiving reading).
pub fn normalize_id(text: &str) -> Result<String, String> {
    let checked = check_id(text, IdKind::Unchecked)?;
    match checked.warning {
        None => Ok(checked.id),
        Some(why) => Err(why),
    }
}

/// The largest offset from UTC a timestamp may carry: the world's time zones run from
/// -12:00 to +14:00.
const MAX_OFFSET_MINUTES: i64 = 14 * 60;

/// Whether `text` has the one shape the Salesforce CLI writes a time in:
/// `YYYY-MM-DDTHH:MM:SS`, an optional fraction of 1 to 9 digits, then `Z` or an offset
/// `+HHMM` / `+HH:MM` of at most 14 hours. Returns the offset in minutes.
fn shape(text: &str) -> Option<i64> {
    let b = text.as_bytes();
    let digits = |from: usize, to: usize| {
        b.get(from..to)
            .is_some_and(|s| s.iter().all(u8::is_ascii_digit))
    };
    let at = |i: usize, c: u8| b.get(i) == Some(&c);
    if !(digits(0, 4)
        && at(4, b'-')
        && digits(5, 7)
        && at(7, b'-')
        && digits(8, 10)
        && at(10, b'T')
        && digits(11, 13)
        && at(13, b':')
        && digits(14, 16)
        && at(16, b':')
        && digits(17, 19))
    {
        return None;
    }
    let mut i = 19;
    if at(i, b'.') {
        let n = b[i + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
        if n == 0 || n > 9 {
            return None;
        }
        i += 1 + n;
    }
    let rest = &b[i..];
    let two = |s: &[u8]| i64::from(s[0] - b'0') * 10 + i64::from(s[1] - b'0');
    let (sign, zone) = match rest.first() {
        Some(b'Z') if rest.len() == 1 => return Some(0),
        Some(b'+') => (1, &rest[1..]),
        Some(b'-') => (-1, &rest[1..]),
        _ => return None,
    };
    let (hh, mm) = match zone {
        [a, b, b':', c, d] | [a, b, c, d] => ([*a, *b], [*c, *d]),
        _ => return None,
    };
    if !(hh.iter().chain(&mm).all(u8::is_ascii_digit)) {
        return None;
    }
    let (hh, mm) = (two(&hh), two(&mm));
    let minutes = hh * 60 + mm;
    (mm < 60 && minutes <= MAX_OFFSET_MINUTES).then_some(sign * minutes)
}

/// Seconds since 1970-01-01T00:00:00Z of a timestamp as the Salesforce CLI writes it:
/// `2026-11-25T14:03:11.000+0000`, also with `Z` or `+00:00` or no fraction. The date
/// must exist in the calendar, the hour, minute and second be in range, and the offset
/// be a real one (at most 14 hours).
pub fn parse_timestamp(text: &str) -> Result<i64, String> {
    let expected = "expected ISO 8601 with an offset, such as 2026-11-25T14:03:11.000+0000";
    if shape(text).is_none() {
        return Err(format!(
            "{:?} is not a timestamp; {expected}",
            sanitize::line(text)
        ));
    }
    let (seconds, minutes) = (&text[17..19], &text[14..16]);
    if seconds > "59" || minutes > "59" || &text[11..13] > "23" {
        return Err(format!(
            "{:?} is not a timestamp: the time of day is out of range; {expected}",
            sanitize::line(text)
        ));
    }
    text.parse::<jiff::Timestamp>()
        .map(|t| t.as_second())
        .map_err(|e| {
            format!(
                "{:?} is not a timestamp ({}); {expected}",
                sanitize::line(text),
                sanitize::line(&e.to_string())
            )
        })
}

/// A time in seconds since the epoch, written as `2026-11-25T14:03:11Z` (a time beyond
/// the calendar's range, which no record holds, is written as its number of seconds).
pub fn format_timestamp(secs: i64) -> String {
    match jiff::Timestamp::from_second(secs) {
        Ok(t) => t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string(),
        Err(_) => format!("{secs} seconds after 1970-01-01T00:00:00Z"),
    }
}

/// How real times become ticks: `origin` (a time in seconds) is tick 0 and one tick
/// lasts `minutes` minutes. Times before the origin are tick 0; a time is rounded down
/// to the tick it falls in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Clock {
    /// The time of tick 0, in seconds since the epoch.
    pub origin: i64,
    /// Minutes per tick (at least 1).
    pub minutes: u64,
}

impl Clock {
    /// The tick a time falls in.
    pub fn tick(&self, secs: i64) -> u64 {
        let span = (self.minutes.max(1) * 60) as i64;
        ((secs - self.origin).max(0) / span) as u64
    }

    /// A duration in minutes, in ticks, rounded up (a time-to-live never shrinks).
    pub fn ticks_for_minutes(&self, minutes: u64) -> u64 {
        minutes.div_ceil(self.minutes.max(1))
    }

    /// The time at which a tick begins.
    pub fn time_of(&self, tick: u64) -> i64 {
        self.origin
            .saturating_add((tick as i64).saturating_mul((self.minutes.max(1) * 60) as i64))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_gain_and_check_their_checksum() {
        let long = normalize_id("0a6Hs000000bCdE").unwrap();
        assert_eq!(long.len(), 18);
        assert_eq!(normalize_id(&long).unwrap(), long);
        let mut wrong = long.clone();
        wrong.replace_range(17.., if long.ends_with('A') { "B" } else { "A" });
        assert!(normalize_id(&wrong).unwrap_err().contains("do not match"));
        assert!(normalize_id("0a6-s000000bCdE").is_err());
        assert!(normalize_id("0a6").unwrap_err().contains("found 3"));
    }

    #[test]
    fn a_non_ascii_character_at_the_end_of_the_seconds_does_not_panic() {
        // Byte 19 falls inside the two-byte character: slicing there used to panic.
        for text in [
            "2026-11-25T14:03:1é",
            "2026-11-25T14:03:1\u{202e}",
            "2026-11-25T14:03:11é",
            "2026-11-25T14:0é:11Z",
            "\u{1b}[31m2026-11-25T14:03:11Z",
        ] {
            let e = parse_timestamp(text).unwrap_err();
            assert!(e.contains("not a timestamp"), "{e}");
            assert_eq!(sanitize::line(&e), e, "the message is sanitized");
        }
    }

    #[test]
    fn an_offset_of_99_hours_and_february_31_are_refused() {
        let e = parse_timestamp("2026-11-25T14:03:11+99:99").unwrap_err();
        assert!(e.contains("not a timestamp"), "{e}");
        assert!(parse_timestamp("2026-11-25T14:03:11+1500").is_err());
        assert!(parse_timestamp("2026-11-25T14:03:11+14:60").is_err());
        assert_eq!(
            parse_timestamp("2026-11-25T14:03:11+14:00").unwrap(),
            parse_timestamp("2026-11-25T00:03:11Z").unwrap()
        );
        let e = parse_timestamp("2026-02-31T14:03:11Z").unwrap_err();
        assert!(e.contains("day"), "{e}");
        assert!(parse_timestamp("2026-02-29T00:00:00Z").is_err());
        assert!(parse_timestamp("2028-02-29T00:00:00Z").is_ok());
        assert!(parse_timestamp("2026-11-25T24:00:00Z").is_err());
        assert!(parse_timestamp("2026-11-25T14:03:60Z").is_err());
        // The shapes other tools accept and the CLI never writes.
        for loose in [
            "2026-11-25 14:03:11Z",
            "2026-11-25t14:03:11z",
            "2026-11-25T14:03Z",
            "2026-11-25T14:03:11",
            "+002026-11-25T14:03:11Z",
            "2026-11-25T14:03:11+05:30[Asia/Kolkata]",
        ] {
            assert!(parse_timestamp(loose).is_err(), "{loose}");
        }
    }

    #[test]
    fn a_mistyped_checksum_is_a_warning_naming_the_right_suffix() {
        let right = check_id("0a6Hs000000bCdE", IdKind::WebCart).unwrap().id;
        let suffix = &right[15..];
        let wrong = format!(
            "0a6Hs000000bCdE{}",
            if suffix == "AAA" { "BBB" } else { "AAA" }
        );
        let checked = check_id(&wrong, IdKind::WebCart).unwrap();
        assert_eq!(checked.id, right);
        let warning = checked.warning.unwrap();
        assert!(
            warning.contains(&format!("the right suffix is {suffix}")),
            "{warning}"
        );
        assert_eq!(check_id(&right, IdKind::WebCart).unwrap().warning, None);
    }

    #[test]
    fn an_id_of_the_wrong_object_is_refused() {
        let e = check_id("005Hs0000002210IAA", IdKind::WebCart).unwrap_err();
        assert!(
            e.contains("a WebCart (starting with 0a6)") && e.contains("005"),
            "{e}"
        );
        assert!(check_id("0a6Hs0000000101IAA", IdKind::Account).is_err());
        assert!(check_id("00GHs0000000101", IdKind::Owner).is_ok());
        assert!(check_id("2z9Hs0000000101IAA", IdKind::Unchecked).is_ok());
    }

    #[test]
    fn timestamps_in_the_cli_forms() {
        let t = parse_timestamp("2026-11-25T14:03:11.000+0000").unwrap();
        assert_eq!(format_timestamp(t), "2026-11-25T14:03:11Z");
        assert_eq!(parse_timestamp("2026-11-25T14:03:11Z").unwrap(), t);
        assert_eq!(parse_timestamp("2026-11-25T15:03:11+01:00").unwrap(), t);
        assert_eq!(parse_timestamp("1970-01-01T00:00:00Z").unwrap(), 0);
        assert_eq!(
            parse_timestamp("2026-11-25T14:03:11.123456789Z").unwrap(),
            t
        );
        assert_eq!(format_timestamp(-1), "1969-12-31T23:59:59Z");
        assert!(parse_timestamp("yesterday").is_err());
        assert!(parse_timestamp("2026-13-25T14:03:11Z").is_err());
        assert!(parse_timestamp("2026-11-25T14:03:11+01").is_err());
    }

    #[test]
    fn ticks_round_down_and_ttl_rounds_up() {
        let c = Clock {
            origin: 0,
            minutes: 5,
        };
        assert_eq!(c.tick(299), 0);
        assert_eq!(c.tick(300), 1);
        assert_eq!(c.tick(-50), 0);
        assert_eq!(c.ticks_for_minutes(2880), 576);
        assert_eq!(c.ticks_for_minutes(6), 2);
        assert_eq!(c.time_of(2), 600);
    }
}
