//! Dates as three fields, day, month and year (the GOV.UK date input):
//! joined into the form's `YYYY-MM-DD` as typed, split back for showing,
//! and checked part by part so that a message names the part that is
//! wrong.

use crate::i18n::Tr;
use crate::render::Params;

/// The form's date controls.
pub const DATE_FIELDS: [&str; 2] = ["cert_issued_on", "cert_expires_on"];

/// The posted parts of date control `id` (`{id}-day`, `{id}-month`,
/// `{id}-year`) as one `year-month-day` text, kept as typed (a one-digit
/// day or month gets its leading zero); `None` when all are blank. A date
/// posted whole (`{id}`, older forms and scripts) is taken as it is.
pub fn joined(posted: &Params, id: &str) -> Option<String> {
    let part = |name: &str| {
        posted
            .get(&format!("{id}-{name}"))
            .map(|value| value.trim().to_string())
            .unwrap_or_default()
    };
    let (day, month, year) = (part("day"), part("month"), part("year"));
    if day.is_empty() && month.is_empty() && year.is_empty() {
        return posted
            .get(id)
            .map(|value| value.trim().to_string())
            .filter(|value| !value.is_empty());
    }
    let two = |text: String| {
        if text.len() == 1 && text.bytes().all(|b| b.is_ascii_digit()) {
            format!("0{text}")
        } else {
            text
        }
    };
    Some(format!("{year}-{}-{}", two(month), two(day)))
}

/// Posted fields with each date's parts also joined under its control's
/// id, as a stored form's values are.
pub fn with_dates(mut posted: Params) -> Params {
    for id in DATE_FIELDS {
        match joined(&posted, id) {
            Some(value) => posted.insert(id.to_string(), value),
            None => posted.remove(id),
        };
    }
    posted
}

/// Day, month and year of a stored `year-month-day` text.
pub fn parts(value: &str) -> (String, String, String) {
    let mut split = value.splitn(3, '-');
    let year = split.next().unwrap_or("").to_string();
    let month = split.next().unwrap_or("").to_string();
    let day = split.next().unwrap_or("").to_string();
    (day, month, year)
}

/// What is wrong with a date as typed, naming the part: `None` when it is
/// blank (whether that is allowed is the form's rule) or a real date.
pub fn problem(t: &Tr, label: &str, value: &str) -> Option<String> {
    let (day, month, year) = parts(value);
    let missing: Vec<String> = [("day", &day), ("month", &month), ("year", &year)]
        .into_iter()
        .filter(|(_, text)| text.trim().is_empty())
        .map(|(part, _)| t.msg(&format!("apply-date-{part}")))
        .collect();
    if missing.len() == 3 {
        return None;
    }
    let field = || ("field", label.to_string());
    if !missing.is_empty() {
        let and = t.msg("apply-date-and");
        return Some(t.with(
            "apply-date-missing",
            &[field(), ("parts", missing.join(&and))],
        ));
    }
    let number = |text: &str, max: u32| {
        text.parse::<u32>()
            .ok()
            .filter(|n| (1..=max).contains(n) && text.len() <= 2)
    };
    let (Some(d), Some(m)) = (number(&day, 31), number(&month, 12)) else {
        let key = if number(&day, 31).is_none() {
            "apply-date-bad-day"
        } else {
            "apply-date-bad-month"
        };
        return Some(t.with(key, &[field()]));
    };
    let Some(y) = year
        .parse::<i32>()
        .ok()
        .filter(|_| year.len() == 4 && year.bytes().all(|b| b.is_ascii_digit()))
    else {
        return Some(t.with("apply-date-bad-year", &[field()]));
    };
    if d > days_in(y, m) {
        return Some(t.with("apply-date-real", &[field()]));
    }
    None
}

fn days_in(year: i32, month: u32) -> u32 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn posted(pairs: &[(&str, &str)]) -> Params {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn parts_are_joined_as_typed_and_split_back() {
        let p = posted(&[("d-day", "1"), ("d-month", "5"), ("d-year", "2020")]);
        assert_eq!(joined(&p, "d").as_deref(), Some("2020-05-01"));
        let p = posted(&[("d-day", ""), ("d-month", "x"), ("d-year", "")]);
        assert_eq!(joined(&p, "d").as_deref(), Some("-x-"));
        assert_eq!(parts("-x-"), ("".into(), "x".into(), "".into()));
        assert_eq!(
            joined(&posted(&[("d", "2020-05-01")]), "d").as_deref(),
            Some("2020-05-01")
        );
        assert_eq!(joined(&posted(&[]), "d"), None);
    }

    #[test]
    fn each_wrong_part_is_named_in_both_languages() {
        let en = Tr {
            lang: zige_catalog::Lang::En,
        };
        let zh = Tr {
            lang: zige_catalog::Lang::Zh,
        };
        assert_eq!(problem(&en, "Date of issue", "2020-05-01"), None);
        assert_eq!(problem(&en, "Date of issue", "--"), None);
        let says = |t: &Tr, value: &str| problem(t, "X", value).unwrap();
        assert!(
            says(&en, "2020--01").contains("month"),
            "{}",
            says(&en, "2020--01")
        );
        assert!(says(&en, "--01").contains("month and year"));
        assert!(says(&en, "2020-13-01").contains("month"));
        assert!(says(&en, "2020-12-32").contains("day"));
        assert!(says(&en, "20-12-01").contains("year"));
        assert!(says(&en, "2023-02-29").contains("real date"));
        assert!(says(&zh, "2020-13-01").contains("月"));
        assert!(says(&zh, "2020-12-32").contains("日"));
        assert!(says(&zh, "20-12-01").contains("年"));
    }
}
