//! Exact money: an amount in hundredths (cents), never a float.

use std::fmt;

/// An exact amount of money in hundredths of the currency unit.
///
/// Prices carry at most two decimal places, so integer hundredths represent every
/// amount exactly; `i128` leaves room for any total the simulator's caps allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Hash)]
pub struct Money(i128);

impl Money {
    /// Zero.
    pub const ZERO: Money = Money(0);

    /// An amount from hundredths (cents).
    pub fn from_cents(cents: i128) -> Money {
        Money(cents)
    }

    /// The amount in hundredths (cents).
    pub fn cents(self) -> i128 {
        self.0
    }

    /// Parses a decimal written with at most two places ("1.25", "3", "0.5").
    /// Returns `None` for anything else, including more than two decimal places.
    pub fn parse_decimal(text: &str) -> Option<Money> {
        let (negative, digits) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let (whole, frac) = match digits.split_once('.') {
            Some((w, f)) => (w, f),
            None => (digits, ""),
        };
        if whole.is_empty() || whole.len() > 18 || frac.len() > 2 {
            return None;
        }
        if !whole.bytes().all(|b| b.is_ascii_digit()) || !frac.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let whole: i128 = whole.parse().ok()?;
        let frac_cents: i128 = match frac.len() {
            0 => 0,
            1 => frac.parse::<i128>().ok()? * 10,
            _ => frac.parse().ok()?,
        };
        let cents = whole * 100 + frac_cents;
        Some(Money(if negative { -cents } else { cents }))
    }

    /// The exact amount a JSON number's text stands for (`150`, `150.00`, `1.5e2`,
    /// `-0.05`), or `None` when it is not a whole number of cents or is too large for
    /// any amount the simulator keeps (more than 30 digits of cents). No floating point
    /// is involved, so `123456789012345.67` is exactly that.
    pub fn parse_number(text: &str) -> Option<Money> {
        parse_fixed(text, 2).map(Money)
    }

    /// This amount times a whole quantity.
    pub fn times(self, quantity: i64) -> Money {
        Money(self.0 * i128::from(quantity))
    }

    /// This amount times `numerator / denominator`, rounded half up (away from zero)
    /// to the cent. `denominator` must be positive.
    pub fn times_fraction(self, numerator: i128, denominator: i128) -> Money {
        let product = self.0 * numerator;
        let rounded = (product.abs() * 2 + denominator) / (2 * denominator);
        Money(if product < 0 { -rounded } else { rounded })
    }
}

/// The exact value a JSON number's text stands for, as a whole number of units of
/// `10^-places` (`places` 2: cents), or `None` when it is not a whole number of them or
/// has more than 30 digits of them.
pub fn parse_fixed(text: &str, places: i64) -> Option<i128> {
    let (negative, rest) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (mantissa, exponent) = match rest.find(['e', 'E']) {
        Some(at) => (&rest[..at], Some(&rest[at + 1..])),
        None => (rest, None),
    };
    let (whole, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() || !all_digits(whole) || !all_digits(frac) {
        return None;
    }
    if mantissa.contains('.') && frac.is_empty() {
        return None;
    }
    // None: an exponent so large in size that only zero stays in range.
    let exponent: Option<i64> = match exponent {
        None => Some(0),
        Some(e) => {
            let (sign, e) = match e.as_bytes().first() {
                Some(b'-') => (-1, &e[1..]),
                Some(b'+') => (1, &e[1..]),
                _ => (1, e),
            };
            if e.is_empty() || !all_digits(e) {
                return None;
            }
            let e = e.trim_start_matches('0');
            (e.len() <= 6).then(|| sign * e.parse::<i64>().unwrap_or(0))
        }
    };
    // The value is digits x 10^(shift - places), so in units it is digits x 10^shift.
    let digits = format!("{whole}{frac}");
    let digits = digits.trim_start_matches('0');
    let significant = digits.trim_end_matches('0');
    if significant.is_empty() {
        return Some(0);
    }
    let exponent = exponent?;
    let trailing = (digits.len() - significant.len()) as i64;
    let shift = exponent + places - frac.len() as i64 + trailing;
    if shift < 0 || significant.len() as i64 + shift > 30 {
        return None;
    }
    let mut cents: i128 = significant.parse().ok()?;
    for _ in 0..shift {
        cents *= 10;
    }
    Some(if negative { -cents } else { cents })
}

impl std::ops::Add for Money {
    type Output = Money;
    fn add(self, other: Money) -> Money {
        Money(self.0 + other.0)
    }
}

impl std::iter::Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        iter.fold(Money::ZERO, |a, b| a + b)
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.abs();
        write!(f, "{sign}{}.{:02}", abs / 100, abs % 100)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_up_to_two_places_exactly() {
        assert_eq!(Money::parse_decimal("1.25"), Some(Money::from_cents(125)));
        assert_eq!(Money::parse_decimal("3"), Some(Money::from_cents(300)));
        assert_eq!(Money::parse_decimal("0.5"), Some(Money::from_cents(50)));
        assert_eq!(Money::parse_decimal("1.005"), None);
        assert_eq!(Money::parse_decimal("1e3"), None);
        assert_eq!(Money::parse_decimal(""), None);
        assert_eq!(Money::parse_decimal(".5"), None);
    }

    #[test]
    fn json_numbers_are_read_exactly() {
        let cents = |t: &str| Money::parse_number(t).map(Money::cents);
        assert_eq!(cents("150"), Some(15_000));
        assert_eq!(cents("150.00"), Some(15_000));
        assert_eq!(cents("150.000"), Some(15_000));
        assert_eq!(cents("1.5e2"), Some(15_000));
        assert_eq!(cents("1.25E+1"), Some(1_250));
        assert_eq!(cents("125e-2"), Some(125));
        assert_eq!(cents("-0.05"), Some(-5));
        assert_eq!(cents("0"), Some(0));
        assert_eq!(cents("0e999999999999"), Some(0));
        assert_eq!(
            cents("999999999999999.99"),
            Some(99_999_999_999_999_999),
            "beyond what a float holds exactly"
        );
        assert_eq!(cents("1000000000000000.00"), Some(100_000_000_000_000_000));
        assert_eq!(cents("1.255"), None, "finer than a cent");
        assert_eq!(cents("1e-3"), None);
        assert_eq!(cents("1e999"), None, "too large");
        assert_eq!(cents("1e9999999999"), None);
        assert_eq!(cents("1"), Some(100));
        assert_eq!(
            cents("1".repeat(29).as_str()),
            None,
            "more than 30 digits of cents"
        );
        for bad in [
            "", "-", ".5", "5.", "1e", "1e+", "0e", "abc", "1.2.3", "0x10", "1_000",
        ] {
            assert_eq!(cents(bad), None, "{bad}");
        }
    }

    #[test]
    fn arithmetic_has_no_float_drift() {
        let dime = Money::parse_decimal("0.10").unwrap();
        let total: Money = std::iter::repeat_n(dime, 3).sum();
        assert_eq!(total, Money::parse_decimal("0.30").unwrap());
        assert_eq!(dime.times(7).to_string(), "0.70");
        assert_eq!(Money::from_cents(-5).to_string(), "-0.05");
    }
}
