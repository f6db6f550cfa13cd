//! The application form on the pages: its controls, grouped in
//! fieldsets; the values of a stored form by control; the JSON form from
//! posted fields; and the read-only particulars of an application.

use serde_json::{Map, Value};
use zige_cases::ApplicationForm;

use super::dates;
use super::display::entry_label;
use super::ApplicationView;
use crate::i18n::Tr;
use crate::render::Params;

/// One control of the application form.
pub struct Field {
    pub id: &'static str,
    pub label: String,
    /// `text`, `number`, `date`, `select` or `checkbox`.
    pub kind: &'static str,
    pub value: String,
    pub help: Option<String>,
    pub error: Option<String>,
    pub options: Vec<(String, String)>,
    pub min: u32,
    pub max: u32,
    pub autocomplete: &'static str,
    /// A checkbox's value when ticked.
    pub on: &'static str,
}

impl Field {
    fn new(id: &'static str, label: String, kind: &'static str) -> Field {
        Field {
            id,
            label,
            kind,
            value: String::new(),
            help: None,
            error: None,
            options: Vec::new(),
            min: 0,
            max: 0,
            autocomplete: "off",
            on: "",
        }
    }

    /// The ids of the texts that describe the control.
    pub fn described(&self) -> String {
        let mut ids = Vec::new();
        if self.help.is_some() {
            ids.push(format!("{}-help", self.id));
        }
        if self.error.is_some() {
            ids.push(format!("{}-error", self.id));
        }
        ids.join(" ")
    }

    pub fn checked(&self) -> bool {
        !self.on.is_empty() && self.value == self.on
    }

    pub fn selected(&self, option: &str) -> bool {
        self.value == option
    }

    /// A date's day, month and year as typed.
    pub fn date(&self) -> (String, String, String) {
        dates::parts(&self.value)
    }
}

pub struct Fieldset {
    pub legend: String,
    pub fields: Vec<Field>,
}

/// The form's values by control id, as stored.
pub fn values_of(form: &ApplicationForm) -> Params {
    let mut values = Params::new();
    let text = |value: &Value| match value {
        Value::String(text) => text.clone(),
        Value::Bool(flag) => flag.to_string(),
        Value::Number(number) => number.to_string(),
        _ => String::new(),
    };
    if let Some(holder) = &form.holder_name {
        values.insert("holder_name".into(), holder.clone());
    }
    for (key, value) in &form.profile {
        values.insert(key.clone(), text(value));
    }
    let certificate = &form.certificate;
    for (key, value) in [
        ("cert_number", &certificate.number),
        ("cert_issuer", &certificate.issuer),
        ("cert_issued_on", &certificate.issued_on),
        ("cert_expires_on", &certificate.expires_on),
    ] {
        if let Some(value) = value {
            values.insert(key.into(), value.clone());
        }
    }
    values
}

/// The profile of the JSON form from posted fields.
fn profile_json(field: &impl Fn(&str) -> Option<String>) -> Map<String, Value> {
    let mut profile = Map::new();
    for key in ["entry", "level", "nationality", "education", "project"] {
        if let Some(value) = field(key) {
            profile.insert(key.into(), Value::String(value));
        }
    }
    for key in ["experience_years", "age"] {
        if let Some(value) = field(key) {
            let number = value
                .parse::<u64>()
                .map(Value::from)
                .unwrap_or(Value::String(value));
            profile.insert(key.into(), number);
        }
    }
    if let Some(value) = field("beijing_employer") {
        let employer = match value.as_str() {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            _ => Value::String(value),
        };
        profile.insert("beijing_employer".into(), employer);
    }
    if field("high_end_industry").is_some() {
        profile.insert("high_end_industry".into(), Value::Bool(true));
    }
    profile
}

/// The JSON form of [`super::save`] from posted fields: blanks are absent,
/// numbers are numbers when they parse (and kept as typed otherwise, so
/// the error names them).
pub fn form_json(posted: &Params) -> Value {
    let field = |key: &str| {
        posted
            .get(key)
            .map(|value| value.trim().to_string())
            .filter(|value| !value.is_empty())
    };
    let profile = profile_json(&field);
    let mut certificate = Map::new();
    for (key, name) in [("cert_number", "number"), ("cert_issuer", "issuer")] {
        if let Some(value) = field(key) {
            certificate.insert(name.into(), Value::String(value));
        }
    }
    for (key, name) in [
        ("cert_issued_on", "issued_on"),
        ("cert_expires_on", "expires_on"),
    ] {
        if let Some(value) = dates::joined(posted, key) {
            certificate.insert(name.into(), Value::String(value));
        }
    }
    let mut form = Map::new();
    if let Some(holder) = field("holder_name") {
        form.insert("holder_name".into(), Value::String(holder));
    }
    form.insert("profile".into(), Value::Object(profile));
    form.insert("certificate".into(), Value::Object(certificate));
    Value::Object(form)
}

/// The controls of the qualification: entry, level and the profile.
fn qualification_fields(t: &Tr) -> Vec<Field> {
    let choose = || (String::new(), t.msg("choose"));
    let mut entry = Field::new("entry", t.msg("form-entry"), "text");
    entry.help = Some(t.msg("apply-entry-help"));
    let mut level = Field::new("level", t.msg("check-level"), "text");
    level.help = Some(t.msg("check-level-help"));
    let mut years = Field::new("experience_years", t.msg("check-experience"), "number");
    years.max = 60;
    let mut age = Field::new("age", t.msg("check-age"), "number");
    (age.min, age.max) = (16, 100);
    let mut nationality = Field::new("nationality", t.msg("check-nationality"), "select");
    nationality.options = vec![
        choose(),
        ("foreign".into(), t.msg("nat-foreign")),
        ("chinese".into(), t.msg("nat-chinese")),
        ("hmt".into(), t.msg("nat-hmt")),
    ];
    let mut education = Field::new("education", t.msg("check-education"), "select");
    education.options = vec![
        choose(),
        ("doctorate".into(), t.msg("edu-doctorate")),
        ("master".into(), t.msg("edu-master")),
        ("bachelor".into(), t.msg("edu-bachelor")),
        ("associate".into(), t.msg("edu-associate")),
        ("none".into(), t.msg("edu-none")),
    ];
    let mut employer = Field::new("beijing_employer", t.msg("check-employer"), "select");
    employer.options = vec![
        choose(),
        ("true".into(), t.msg("yes")),
        ("false".into(), t.msg("no")),
    ];
    let mut high_end = Field::new("high_end_industry", t.msg("check-high-end"), "checkbox");
    high_end.on = "true";
    let mut project = Field::new("project", t.msg("check-project"), "checkbox");
    project.on = "universal-studios";
    vec![
        entry,
        level,
        years,
        age,
        nationality,
        education,
        employer,
        high_end,
        project,
    ]
}

/// The controls of the certificate.
fn certificate_fields(t: &Tr) -> Vec<Field> {
    let number = Field::new("cert_number", t.msg("form-cert-number"), "text");
    let mut issuer = Field::new("cert_issuer", t.msg("form-cert-issuer"), "text");
    issuer.autocomplete = "organization";
    let mut issued = Field::new("cert_issued_on", t.msg("form-cert-issued"), "date");
    issued.help = Some(t.msg("apply-date-hint"));
    let mut expires = Field::new("cert_expires_on", t.msg("form-cert-expires"), "date");
    expires.help = Some(format!(
        "{} {}",
        t.msg("form-cert-expires-help"),
        t.msg("apply-date-hint")
    ));
    vec![number, issuer, issued, expires]
}

/// The whole form, filled with `values` and the errors at their controls
/// (`error_at` a control's id).
pub fn fieldsets(
    t: &Tr,
    values: &Params,
    error_at: &dyn Fn(&str) -> Option<String>,
) -> Vec<Fieldset> {
    let mut holder = Field::new("holder_name", t.msg("form-holder-name"), "text");
    holder.autocomplete = "name";
    holder.help = Some(t.msg("form-holder-help"));
    let mut sets = vec![
        Fieldset {
            legend: t.msg("form-holder"),
            fields: vec![holder],
        },
        Fieldset {
            legend: t.msg("form-qualification"),
            fields: qualification_fields(t),
        },
        Fieldset {
            legend: t.msg("form-certificate"),
            fields: certificate_fields(t),
        },
    ];
    for set in &mut sets {
        for field in &mut set.fields {
            field.value = values.get(field.id).cloned().unwrap_or_default();
            field.error = error_at(field.id);
        }
    }
    sets
}

/// The read-only particulars of an application, label and value.
pub fn particulars(t: &Tr, application: &ApplicationView) -> Vec<(String, String)> {
    answers(t, application)
        .into_iter()
        .map(|answer| (answer.label, answer.value))
        .collect()
}

/// One answer of the form as a person reads it, with its control's id.
pub struct Answer {
    pub id: &'static str,
    pub label: String,
    pub value: String,
}

/// Every answer of the application, in the form's order.
pub fn answers(t: &Tr, application: &ApplicationView) -> Vec<Answer> {
    let values = values_of(&application.form);
    let sets = fieldsets(t, &values, &|_| None);
    let mut out = Vec::new();
    for field in sets.iter().flat_map(|set| set.fields.iter()) {
        let shown = match field.kind {
            "select" => field
                .options
                .iter()
                .find(|(value, _)| !value.is_empty() && *value == field.value)
                .map(|(_, label)| label.clone())
                .unwrap_or_else(|| field.value.clone()),
            "checkbox" => {
                if field.checked() {
                    t.msg("yes")
                } else {
                    t.msg("no")
                }
            }
            _ if field.id == "entry" && application.entry.is_some() => {
                entry_label(t, application.entry.as_ref())
            }
            _ => field.value.clone(),
        };
        let shown = if shown.trim().is_empty() {
            "—".to_string()
        } else {
            shown
        };
        out.push(Answer {
            id: field.id,
            label: field.label.clone(),
            value: shown,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn posted_fields_become_the_form_and_typed_values_are_kept() {
        let posted: Params = [
            ("holder_name", " Ada Lovelace "),
            ("entry", "G7"),
            ("age", "41"),
            ("experience_years", "abc"),
            ("beijing_employer", "true"),
            ("high_end_industry", "true"),
            ("cert_issued_on-day", "2"),
            ("cert_issued_on-month", "1"),
            ("cert_issued_on-year", "2020"),
            ("cert_expires_on-day", ""),
        ]
        .into_iter()
        .map(|(key, value)| (key.to_string(), value.to_string()))
        .collect();
        let json = form_json(&posted);
        assert_eq!(json["holder_name"], "Ada Lovelace");
        assert_eq!(json["profile"]["age"], 41);
        assert_eq!(json["profile"]["experience_years"], "abc");
        assert_eq!(json["profile"]["beijing_employer"], true);
        assert_eq!(json["profile"]["high_end_industry"], true);
        assert_eq!(json["certificate"]["issued_on"], "2020-01-02");
        assert!(json["certificate"].get("expires_on").is_none());
        let form: ApplicationForm = serde_json::from_value(json).unwrap();
        let back = values_of(&form);
        assert_eq!(back["age"], "41");
        assert_eq!(back["cert_issued_on"], "2020-01-02");
        assert_eq!(back["beijing_employer"], "true");
    }
}
