//! Times as people in the configured time zone read them, the zone shown:
//! `2026-11-27 10:21 (Asia/Shanghai, UTC+8)`. The IANA database is
//! compiled in (jiff's `tzdb-bundle-always`), so nothing depends on the
//! machine's zoneinfo.

use jiff::tz::{Offset, TimeZone};

/// The zone every page shows times in (default [`DEFAULT_ZONE`]).
#[derive(Clone, Debug)]
pub struct Clock {
    name: String,
    zone: TimeZone,
}

/// The time zone of Beijing.
pub const DEFAULT_ZONE: &str = "Asia/Shanghai";

impl PartialEq for Clock {
    fn eq(&self, other: &Clock) -> bool {
        self.name == other.name
    }
}

impl Default for Clock {
    fn default() -> Clock {
        Clock::named(DEFAULT_ZONE).unwrap_or(Clock {
            name: "UTC".into(),
            zone: TimeZone::UTC,
        })
    }
}

impl Clock {
    /// The zone itself, for code that formats its own times (mail).
    pub fn zone(&self) -> TimeZone {
        self.zone.clone()
    }

    /// The IANA zone `name` (`Asia/Shanghai`, `UTC`), or None when the
    /// bundled database does not know it.
    pub fn named(name: &str) -> Option<Clock> {
        let name = name.trim();
        let zone = TimeZone::get(name).ok()?;
        Some(Clock {
            name: zone.iana_name().unwrap_or(name).to_string(),
            zone,
        })
    }

    /// The zone's IANA name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// `2026-11-27 10:21 (Asia/Shanghai, UTC+8)` from milliseconds since
    /// the Unix epoch.
    pub fn at(&self, ms: i64) -> String {
        let Ok(instant) = jiff::Timestamp::from_millisecond(ms) else {
            return String::new();
        };
        let zoned = instant.to_zoned_datetime(self.zone.clone());
        format!(
            "{} ({}, {})",
            zoned.strftime("%Y-%m-%d %H:%M"),
            self.name,
            utc_offset(zoned.offset())
        )
    }

    /// `2026-11-27 10:21` from milliseconds since the Unix epoch, for a
    /// table whose heading names the zone ([`Clock::zone_now`]).
    pub fn local(&self, ms: i64) -> String {
        match jiff::Timestamp::from_millisecond(ms) {
            Ok(instant) => instant
                .to_zoned_datetime(self.zone.clone())
                .strftime("%Y-%m-%d %H:%M")
                .to_string(),
            Err(_) => String::new(),
        }
    }

    /// `Asia/Shanghai, UTC+8`: the zone and its offset now.
    pub fn zone_now(&self) -> String {
        let zoned = jiff::Timestamp::now().to_zoned_datetime(self.zone.clone());
        format!("{}, {}", self.name, utc_offset(zoned.offset()))
    }

    /// The same from an RFC 3339 instant (`2026-11-27T02:21:00Z`); text
    /// that is not one is shown as it is.
    pub fn when(&self, iso: &str) -> String {
        match iso.parse::<jiff::Timestamp>() {
            Ok(instant) => self.at(instant.as_millisecond()),
            Err(_) => iso.to_string(),
        }
    }

    /// The day (`2026-11-27`) an RFC 3339 instant falls on in this zone.
    pub fn day(&self, iso: &str) -> String {
        match iso.parse::<jiff::Timestamp>() {
            Ok(instant) => instant
                .to_zoned_datetime(self.zone.clone())
                .strftime("%Y-%m-%d")
                .to_string(),
            Err(_) => iso.get(..10).unwrap_or(iso).to_string(),
        }
    }

    /// The instant (milliseconds) a local day starts at in this zone.
    pub fn start_of(&self, day: jiff::civil::Date) -> Option<i64> {
        let zoned = day.to_zoned_datetime(self.zone.clone()).ok()?;
        Some(zoned.timestamp().as_millisecond())
    }
}

/// `UTC+8`, `UTC-3:30`, `UTC` for an offset.
fn utc_offset(offset: Offset) -> String {
    let seconds = offset.seconds();
    if seconds == 0 {
        return "UTC".into();
    }
    let sign = if seconds < 0 { '-' } else { '+' };
    let (hours, minutes) = (seconds.abs() / 3600, seconds.abs() % 3600 / 60);
    if minutes == 0 {
        format!("UTC{sign}{hours}")
    } else {
        format!("UTC{sign}{hours}:{minutes:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_show_in_the_zone_with_the_zone_named() {
        let beijing = Clock::default();
        assert_eq!(beijing.name(), "Asia/Shanghai");
        // 2026-11-27T02:21:00Z
        assert_eq!(
            beijing.when("2026-11-27T02:21:00Z"),
            "2026-11-27 10:21 (Asia/Shanghai, UTC+8)"
        );
        // Late in the evening in UTC is the next day in Beijing.
        assert_eq!(beijing.day("2026-11-27T20:00:00Z"), "2026-11-28");
        let utc = Clock::named("UTC").unwrap();
        assert_eq!(
            utc.when("2026-11-27T02:21:00Z"),
            "2026-11-27 02:21 (UTC, UTC)"
        );
        let india = Clock::named("Asia/Kolkata").unwrap();
        assert_eq!(
            india.when("2026-11-27T02:21:00Z"),
            "2026-11-27 07:51 (Asia/Kolkata, UTC+5:30)"
        );
        let new_york = Clock::named("America/New_York").unwrap();
        assert_eq!(
            new_york.when("2026-07-01T12:00:00Z"),
            "2026-07-01 08:00 (America/New_York, UTC-4)"
        );
        assert_eq!(beijing.when("not a time"), "not a time");
        assert!(Clock::named("Mars/Olympus").is_none());
        assert!(Clock::named("").is_none());
    }

    #[test]
    fn a_local_day_starts_at_local_midnight() {
        let beijing = Clock::default();
        let day = jiff::civil::date(2026, 11, 27);
        // 2026-11-26T16:00:00Z
        assert_eq!(beijing.start_of(day), Some(1_795_708_800_000));
    }
}
