//! Dates and instants without a clock: the caller supplies "now".

use std::fmt;

use serde::{Deserialize, Serialize};
use zige_rules::InputError;

/// Milliseconds since the Unix epoch, UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Timestamp(pub i64);

impl Timestamp {
    pub fn date(self) -> Date {
        let days = self.0.div_euclid(86_400_000);
        let (y, m, d) = civil_from_days(days);
        Date { y, m, d }
    }

    /// `2026-11-27T02:21:27Z` (seconds precision).
    pub fn rfc3339(self) -> String {
        let date = self.date();
        let secs = self.0.div_euclid(1000).rem_euclid(86_400);
        format!(
            "{date}T{:02}:{:02}:{:02}Z",
            secs / 3600,
            secs / 60 % 60,
            secs % 60
        )
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = self.rfc3339();
        // 2026-11-27 02:21 UTC: what a person reads on a page.
        write!(f, "{} {} UTC", &s[..10], &s[11..16])
    }
}

/// A calendar date, `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    y: i32,
    m: u8,
    d: u8,
}

impl Date {
    /// Parses `YYYY-MM-DD` for years 1900–2200; `field` names the field in the error.
    pub fn parse(field: &str, text: &str) -> Result<Date, InputError> {
        let err = || InputError::new(field, text, "a date as YYYY-MM-DD, e.g. 2024-03-31");
        let t = text.trim();
        let b = t.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return Err(err());
        }
        let num = |r: std::ops::Range<usize>| {
            t.get(r)
                .filter(|x| x.bytes().all(|c| c.is_ascii_digit()))
                .and_then(|x| x.parse::<u32>().ok())
        };
        let (Some(y), Some(m), Some(d)) = (num(0..4), num(5..7), num(8..10)) else {
            return Err(err());
        };
        if !(1900..=2200).contains(&y)
            || !(1..=12).contains(&m)
            || d < 1
            || d > days_in_month(y as i32, m as u8) as u32
        {
            return Err(err());
        }
        Ok(Date {
            y: y as i32,
            m: m as u8,
            d: d as u8,
        })
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.y, self.m, self.d)
    }
}

fn days_in_month(y: i32, m: u8) -> u8 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Howard Hinnant's days-to-civil algorithm.
fn civil_from_days(z: i64) -> (i32, u8, u8) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    let y = (yoe + era * 400 + i64::from(m <= 2)) as i32;
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instants_print_as_utc() {
        assert_eq!(Timestamp(0).rfc3339(), "1970-01-01T00:00:00Z");
        assert_eq!(
            Timestamp(1_795_746_087_000).rfc3339(),
            "2026-11-27T02:21:27Z"
        );
        assert_eq!(
            Timestamp(1_795_746_087_000).to_string(),
            "2026-11-27 02:21 UTC"
        );
        assert_eq!(Timestamp(951_782_400_000).date().to_string(), "2000-02-29");
    }

    #[test]
    fn dates_are_checked_against_the_calendar() {
        assert_eq!(
            Date::parse("issued_on", "2024-02-29").unwrap().to_string(),
            "2024-02-29"
        );
        for bad in [
            "2023-02-29",
            "2024-13-01",
            "2024-1-01",
            "24-01-01",
            "2024/01/01",
            "",
            "2024-01-0x",
            "1800-01-01",
        ] {
            let e = Date::parse("issued_on", bad).unwrap_err();
            assert_eq!(e.field, "issued_on");
            assert_eq!(e.value, bad);
        }
        assert!(Date::parse("d", "2024-01-31").unwrap() < Date::parse("d", "2024-02-01").unwrap());
    }
}
