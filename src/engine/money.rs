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

    /// This amount times a whole quantity.
    pub fn times(self, quantity: i64) -> Money {
        Money(self.0 * i128::from(quantity))
    }
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
    fn arithmetic_has_no_float_drift() {
        let dime = Money::parse_decimal("0.10").unwrap();
        let total: Money = std::iter::repeat_n(dime, 3).sum();
        assert_eq!(total, Money::parse_decimal("0.30").unwrap());
        assert_eq!(dime.times(7).to_string(), "0.70");
        assert_eq!(Money::from_cents(-5).to_string(), "-0.05");
    }
}
