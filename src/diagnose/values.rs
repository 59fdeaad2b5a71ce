//! The values of real records: Salesforce ids (15 or 18 characters, the 18-character
//! form carrying a case checksum) and ISO 8601 timestamps, and the ticks they become.

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

/// A Salesforce id in its 18-character form, or why the text is not one: 15 or 18
/// letters and digits, and an 18-character id's last three characters must be the
/// checksum of its first fifteen (so an id mangled by a case-changing tool is caught).
pub fn normalize_id(text: &str) -> Result<String, String> {
    let bytes = text.as_bytes();
    if !bytes.iter().all(u8::is_ascii_alphanumeric) {
        return Err("expected a Salesforce id (letters and digits only)".to_string());
    }
    match bytes.len() {
        15 => {
            let sum = checksum(bytes);
            Ok(format!("{text}{}", String::from_utf8_lossy(&sum)))
        }
        18 => {
            let sum = checksum(&bytes[..15]);
            if bytes[15..] == sum {
                Ok(text.to_string())
            } else {
                Err(format!(
                    "the id's last three characters do not match its first fifteen (expected {}): the id was changed or mistyped",
                    String::from_utf8_lossy(&sum)
                ))
            }
        }
        n => Err(format!(
            "expected a Salesforce id of 15 or 18 characters, found {n}"
        )),
    }
}

/// Days since 1970-01-01 of a civil date (proleptic Gregorian).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date of a day count since 1970-01-01.
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (
        if m <= 2 {
            yoe + era * 400 + 1
        } else {
            yoe + era * 400
        },
        m,
        d,
    )
}

/// Seconds since 1970-01-01T00:00:00Z of a timestamp as the Salesforce CLI writes it:
/// `2026-11-25T14:03:11.000+0000`, also with `Z`, `+00:00` or no fraction.
pub fn parse_timestamp(text: &str) -> Result<i64, String> {
    let bad = || {
        format!(
            "{:?} is not a timestamp; expected ISO 8601 such as 2026-11-25T14:03:11.000+0000",
            crate::scenario::sanitize::line(text)
        )
    };
    let b = text.as_bytes();
    if b.len() < 19
        || b[4] != b'-'
        || b[7] != b'-'
        || b[10] != b'T'
        || b[13] != b':'
        || b[16] != b':'
    {
        return Err(bad());
    }
    let num = |from: usize, to: usize| -> Result<i64, String> {
        let part = &text[from..to];
        if part.bytes().all(|c| c.is_ascii_digit()) {
            part.parse::<i64>().map_err(|_| bad())
        } else {
            Err(bad())
        }
    };
    let (y, mo, d) = (num(0, 4)?, num(5, 7)?, num(8, 10)?);
    let (h, mi, s) = (num(11, 13)?, num(14, 16)?, num(17, 19)?);
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || s > 60 {
        return Err(bad());
    }
    let mut rest = &text[19..];
    if let Some(frac) = rest.strip_prefix('.') {
        let digits = frac.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return Err(bad());
        }
        rest = &frac[digits..];
    }
    let offset = match rest {
        "Z" | "" => 0,
        _ => {
            let sign = match rest.as_bytes()[0] {
                b'+' => 1,
                b'-' => -1,
                _ => return Err(bad()),
            };
            let zone = rest[1..].replace(':', "");
            if zone.len() != 4 || !zone.bytes().all(|c| c.is_ascii_digit()) {
                return Err(bad());
            }
            let hh: i64 = zone[..2].parse().map_err(|_| bad())?;
            let mm: i64 = zone[2..].parse().map_err(|_| bad())?;
            sign * (hh * 3600 + mm * 60)
        }
    };
    Ok(days_from_civil(y, mo, d) * 86_400 + h * 3600 + mi * 60 + s - offset)
}

/// A time in seconds since the epoch, written as `2026-11-25T14:03:11Z`.
pub fn format_timestamp(secs: i64) -> String {
    let (y, m, d) = civil_from_days(secs.div_euclid(86_400));
    let rem = secs.rem_euclid(86_400);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
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
    fn timestamps_in_the_cli_forms() {
        let t = parse_timestamp("2026-11-25T14:03:11.000+0000").unwrap();
        assert_eq!(format_timestamp(t), "2026-11-25T14:03:11Z");
        assert_eq!(parse_timestamp("2026-11-25T14:03:11Z").unwrap(), t);
        assert_eq!(parse_timestamp("2026-11-25T15:03:11+01:00").unwrap(), t);
        assert_eq!(parse_timestamp("1970-01-01T00:00:00Z").unwrap(), 0);
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
