//! Reading a profile with every error at once: a form or a JSON object
//! with three bad fields gives three errors, in the profile's field order,
//! beside the profile with those fields left out (so a page can still
//! say what the rest would settle, and a client fixes everything in one go).

use serde_json::Value;

use crate::profile::{
    flag_field, json_object, number_field, parse_age, parse_bool, parse_education,
    parse_experience_years, parse_nationality, parse_project, shown, text_field, InputError,
    Profile, AGE_RANGE, ENTRY_CODES, EXPERIENCE_RANGE, FIELDS,
};

/// A profile as far as it could be read, and what was wrong with the rest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reading {
    /// The profile without the fields that were wrong (`entry` may be empty).
    pub profile: Profile,
    /// One error per wrong field, in [`FIELDS`] order.
    pub errors: Vec<InputError>,
}

/// Keeps a field's value, or its error.
fn keep<T>(r: Result<Option<T>, InputError>, errors: &mut Vec<InputError>) -> Option<T> {
    r.unwrap_or_else(|e| {
        errors.push(e);
        None
    })
}

impl Reading {
    /// Reads a profile's JSON object. A document that is not a JSON object
    /// of the profile's fields is one error, for `profile`.
    pub fn json(text: &str) -> Result<Reading, InputError> {
        let map = json_object(text)?;
        let get = |k: &str| map.get(k).filter(|v| !v.is_null());
        let mut errors = Vec::new();
        let entry = match get("entry") {
            Some(Value::String(s)) if !s.trim().is_empty() => s.clone(),
            Some(v) => {
                errors.push(InputError::new("entry", shown(v), ENTRY_CODES));
                String::new()
            }
            None => String::new(),
        };
        let level = match get("level") {
            None => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(Value::Number(n)) => Some(n.to_string()),
            Some(v) => {
                let allowed = "\"B\", \"3\", \"cert-4\", …";
                errors.push(InputError::new("level", shown(v), allowed));
                None
            }
        };
        let e = &mut errors;
        let mut profile = Profile::new(entry);
        profile.level = level;
        let years = get("experience_years");
        profile.experience_years = keep(
            number_field(years, "experience_years", &EXPERIENCE_RANGE),
            e,
        );
        profile.age = keep(number_field(get("age"), "age", &AGE_RANGE), e);
        profile.nationality = keep(
            text_field(get("nationality"), "nationality", parse_nationality),
            e,
        );
        profile.education = keep(
            text_field(get("education"), "education", parse_education),
            e,
        );
        profile.beijing_employer = keep(flag_field(get("beijing_employer"), "beijing_employer"), e);
        let high_end = flag_field(get("high_end_industry"), "high_end_industry");
        profile.high_end_industry = keep(high_end, e).unwrap_or(false);
        profile.project = keep(text_field(get("project"), "project", parse_project), e);
        Ok(Reading::checked(profile, errors))
    }

    /// Reads a profile from text values by field name (a form, flags);
    /// an empty value counts as absent.
    pub fn fields<'a>(value: impl Fn(&str) -> Option<&'a str>) -> Reading {
        let get = |k: &str| value(k).map(str::trim).filter(|v| !v.is_empty());
        let mut errors = Vec::new();
        let e = &mut errors;
        let mut profile = Profile::new(get("entry").unwrap_or_default());
        profile.level = get("level").map(str::to_string);
        profile.experience_years = keep(
            get("experience_years")
                .map(parse_experience_years)
                .transpose(),
            e,
        );
        profile.age = keep(get("age").map(parse_age).transpose(), e);
        profile.nationality = keep(get("nationality").map(parse_nationality).transpose(), e);
        profile.education = keep(get("education").map(parse_education).transpose(), e);
        let employer = get("beijing_employer").map(|v| parse_bool("beijing_employer", v));
        profile.beijing_employer = keep(employer.transpose(), e);
        let high_end = get("high_end_industry").map(|v| parse_bool("high_end_industry", v));
        profile.high_end_industry = keep(high_end.transpose(), e).unwrap_or(false);
        profile.project = keep(get("project").map(parse_project).transpose(), e);
        Reading::checked(profile, errors)
    }

    /// Adds the profile's own checks (a missing entry, text too long or with
    /// invisible characters), drops what they refuse, and orders the errors
    /// by field, one per field.
    fn checked(mut profile: Profile, mut errors: Vec<InputError>) -> Reading {
        for e in profile.problems() {
            match e.field.as_str() {
                "level" => profile.level = None,
                "entry" => profile.entry.clear(),
                _ => {}
            }
            errors.push(e);
        }
        let rank = |e: &InputError| FIELDS.iter().position(|f| *f == e.field);
        errors.sort_by_key(rank);
        errors.dedup_by(|a, b| a.field == b.field);
        Reading { profile, errors }
    }

    /// The profile, or the first error (for callers that show one).
    pub fn first(self) -> Result<Profile, InputError> {
        match self.errors.into_iter().next() {
            Some(e) => Err(e),
            None => Ok(self.profile),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields_of(r: &Reading) -> Vec<&str> {
        r.errors.iter().map(|e| e.field.as_str()).collect()
    }

    #[test]
    fn every_bad_json_field_is_named_once_in_field_order() {
        let r = Reading::json(
            r#"{"entry":"G14","project":"disney","age":7,"education":"wizard","nationality":1,"experience_years":"x"}"#,
        )
        .unwrap();
        assert_eq!(
            fields_of(&r),
            [
                "experience_years",
                "age",
                "nationality",
                "education",
                "project"
            ]
        );
        assert_eq!(r.profile.entry, "G14");
        assert_eq!(r.profile.age, None);
        let none = Reading::json(r#"{"age":40}"#).unwrap();
        assert_eq!(fields_of(&none), ["entry"]);
        assert!(Reading::json("[1]").is_err());
    }

    #[test]
    fn every_bad_form_field_is_named_and_the_rest_is_kept() {
        let form = [
            ("entry", ""),
            ("age", "abc"),
            ("experience_years", "99"),
            ("beijing_employer", "true"),
            ("level", "A\u{0}"),
        ];
        let r = Reading::fields(|k| form.iter().find(|(f, _)| *f == k).map(|(_, v)| *v));
        assert_eq!(fields_of(&r), ["entry", "level", "experience_years", "age"]);
        assert_eq!(r.profile.beijing_employer, Some(true));
        assert_eq!(r.profile.level, None);
        let ok = Reading::fields(|k| (k == "entry").then_some(" G80 "));
        assert_eq!(ok.first().unwrap().entry, "G80");
    }
}
