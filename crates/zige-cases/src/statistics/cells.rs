//! What the store counts: applications by the month of their first
//! submission, entry, nationality and present state; decisions by month,
//! entry, outcome and days taken; each reviewer's steps; the open cases.

use std::fmt;
use std::sync::Arc;

use zige_rules::InputError;

use crate::State;

/// A calendar month, `YYYY-MM`, in the service's time zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    pub year: i32,
    pub month: u8,
}

/// The earliest month a filter may name.
pub const FIRST_MONTH: Month = Month {
    year: 2000,
    month: 1,
};

impl Month {
    /// Parses `YYYY-MM` from 2000-01 to 2199-12; `field` names the field
    /// in the error.
    pub fn parse(field: &str, text: &str) -> Result<Month, InputError> {
        let err = || InputError::new(field, text, "a month as YYYY-MM from 2000-01, e.g. 2026-03");
        let t = text.trim();
        let (y, m) = t.split_once('-').ok_or_else(err)?;
        let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
        if !digits(y, 4) || !digits(m, 2) {
            return Err(err());
        }
        let month = Month {
            year: y.parse().map_err(|_| err())?,
            month: m.parse().map_err(|_| err())?,
        };
        if !(1..=12).contains(&month.month) || month < FIRST_MONTH || month.year >= 2200 {
            return Err(err());
        }
        Ok(month)
    }

    /// The month after this one.
    pub fn next(self) -> Month {
        if self.month == 12 {
            Month {
                year: self.year + 1,
                month: 1,
            }
        } else {
            Month {
                year: self.year,
                month: self.month + 1,
            }
        }
    }

    /// The month before this one.
    pub fn previous(self) -> Month {
        if self.month == 1 {
            Month {
                year: self.year - 1,
                month: 12,
            }
        } else {
            Month {
                year: self.year,
                month: self.month - 1,
            }
        }
    }

    /// Every month from `self` to `last`, both included.
    pub fn through(self, last: Month) -> impl Iterator<Item = Month> {
        std::iter::successors(Some(self), move |m| Some(m.next()).filter(|n| *n <= last))
            .take_while(move |m| *m <= last)
    }
}

impl serde::Serialize for Month {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

/// Submitted applications of one month, edition, entry, nationality and
/// present state. An application is counted under the month, edition,
/// entry and nationality of its first submission.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseCell {
    pub month: Month,
    pub catalog: String,
    pub entry: String,
    /// `foreign`, `chinese`, `hmt` or `unknown`.
    pub nationality: String,
    pub state: State,
    /// Whether more information was ever asked for.
    pub asked_more: bool,
    pub count: i64,
}

/// Decisions of one month (of the decision), edition, entry and outcome
/// that took `days` whole days from the first submission.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecisionCell {
    pub month: Month,
    pub catalog: String,
    pub entry: String,
    pub outcome: State,
    pub days: u32,
    pub count: i64,
}

/// One reviewer's steps of one month, edition and entry: decisions
/// (approved, rejected) and requests for more information.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewerCell {
    pub month: Month,
    pub catalog: String,
    pub entry: String,
    pub reviewer: i64,
    pub step: State,
    pub count: i64,
}

/// Cases waiting for a reviewer (submitted, under review or resubmitted)
/// under one entry for the same number of whole days since their latest
/// (re)submission (see [`days_between`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenCase {
    pub catalog: String,
    pub entry: String,
    pub days: u32,
    pub count: i64,
}

/// Everything the store hands the reports. The counted cells change only
/// with a state change, so the store may share them between reports;
/// the open cases are counted as of the moment asked.
#[derive(Debug, Clone, Default)]
pub struct Cells {
    pub cases: Arc<Vec<CaseCell>>,
    pub decisions: Arc<Vec<DecisionCell>>,
    pub reviewers: Arc<Vec<ReviewerCell>>,
    pub open: Vec<OpenCase>,
}

/// Whole days from `from` to `to` (milliseconds), never negative, at most
/// 3660: longer waits are counted as ten years.
pub fn days_between(from: i64, to: i64) -> u32 {
    ((to - from).max(0) / 86_400_000).min(3660) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_parse_strictly_naming_the_field() {
        let m = Month::parse("from", "2026-03").unwrap();
        assert_eq!(m.to_string(), "2026-03");
        assert_eq!(m.next().to_string(), "2026-04");
        assert_eq!(m.previous().to_string(), "2026-02");
        assert_eq!(m.previous().next(), m);
        assert_eq!(
            Month::parse("to", "2026-01")
                .unwrap()
                .previous()
                .to_string(),
            "2025-12"
        );
        assert_eq!(
            Month::parse("to", "2025-12").unwrap().next().to_string(),
            "2026-01"
        );
        for bad in [
            "2026-13",
            "2026-3",
            "1999-12",
            "26-03",
            "2026-03-01",
            "",
            "x",
        ] {
            let e = Month::parse("from", bad).unwrap_err();
            assert_eq!((e.field.as_str(), e.value.as_str()), ("from", bad));
        }
        let all: Vec<String> = Month::parse("f", "2025-11")
            .unwrap()
            .through(Month::parse("t", "2026-02").unwrap())
            .map(|m| m.to_string())
            .collect();
        assert_eq!(all, ["2025-11", "2025-12", "2026-01", "2026-02"]);
    }

    #[test]
    fn days_are_whole_and_bounded() {
        assert_eq!(days_between(0, 86_399_999), 0);
        assert_eq!(days_between(0, 86_400_000 * 3), 3);
        assert_eq!(days_between(10, 0), 0);
        assert_eq!(days_between(0, i64::MAX / 2), 3660);
    }
}
