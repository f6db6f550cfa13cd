//! An application for recognition: what the applicant fills in, the
//! states it passes through, and who may move it.

use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;
use zige_catalog::{Bilingual, Catalog};
use zige_rules::{InputError, Profile};

use crate::account::Role;
use crate::time::Date;

/// The certificate the applicant holds.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Certificate {
    pub number: Option<String>,
    pub issuer: Option<String>,
    /// `YYYY-MM-DD`.
    pub issued_on: Option<String>,
    /// `YYYY-MM-DD`; absent when the certificate does not expire.
    pub expires_on: Option<String>,
}

/// What the applicant fills in. A draft may be incomplete; `complete`
/// says what a submission still lacks. Values are kept as typed, so
/// nothing a person entered is lost to a validation error.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ApplicationForm {
    /// The holder's name as on the certificate.
    pub holder_name: Option<String>,
    /// The profile of the recognition rules: entry, level, experience…
    pub profile: serde_json::Map<String, serde_json::Value>,
    pub certificate: Certificate,
}

/// Longest accepted text field, in characters.
pub const MAX_TEXT: usize = crate::text::MAX_FORM_TEXT;

impl ApplicationForm {
    /// Problems that would stop the form from being kept at all (over-long
    /// text, control or invisible characters, a name mixing look-alike
    /// scripts), every one of them.
    pub fn check_draft(&self) -> Vec<InputError> {
        let mut errs = Vec::new();
        if let Some(name) = &self.holder_name {
            if let Err(e) = crate::text::check_name("holder_name", name, MAX_TEXT) {
                errs.push(e);
            }
        }
        let texts = [
            ("certificate.number", &self.certificate.number),
            ("certificate.issuer", &self.certificate.issuer),
            ("certificate.issued_on", &self.certificate.issued_on),
            ("certificate.expires_on", &self.certificate.expires_on),
        ];
        for (field, value) in texts {
            crate::text::check_optional(field, value.as_deref(), MAX_TEXT, &mut errs);
        }
        if let Err(e) =
            Profile::from_json(&serde_json::Value::Object(self.profile_with_entry()).to_string())
        {
            // An absent entry is a draft's right; anything else is wrong now.
            if !(e.field == "entry" && self.profile.get("entry").is_none()) {
                errs.push(prefix(e));
            }
        }
        errs
    }

    /// The certificate as a key that finds the same certificate in other
    /// applications: its issuer and number in NFKC, letters and digits
    /// only, case folded (`ACCA-12 345` and `acca12345` are one number).
    /// None until both are given.
    pub fn certificate_key(&self) -> Option<String> {
        let fold = |v: &Option<String>| -> String {
            v.as_deref()
                .unwrap_or("")
                .nfkc()
                .filter(|c| c.is_alphanumeric())
                .flat_map(char::to_lowercase)
                .collect()
        };
        let (issuer, number) = (
            fold(&self.certificate.issuer),
            fold(&self.certificate.number),
        );
        (!issuer.is_empty() && !number.is_empty()).then(|| format!("{issuer}|{number}"))
    }

    fn profile_with_entry(&self) -> serde_json::Map<String, serde_json::Value> {
        let mut p = self.profile.clone();
        // A null entry is no entry, as a null anywhere else in the profile.
        if p.get("entry").is_none_or(serde_json::Value::is_null) {
            p.insert("entry".into(), serde_json::Value::String("U1".into()));
        }
        p
    }

    /// Everything a submission lacks or gets wrong on `today`, every problem
    /// at once, against `catalog`. Ok gives the parsed profile.
    pub fn complete(&self, catalog: &Catalog, today: Date) -> Result<Profile, Vec<InputError>> {
        let mut errs = self.check_draft();
        self.check_required_texts(&mut errs);
        self.certificate.check_dates(today, &mut errs);
        let profile = self.complete_profile(catalog, &mut errs);
        match profile {
            Some(p) if errs.is_empty() => Ok(p),
            _ => Err(errs),
        }
    }

    /// The holder's name and the certificate's number and issuer are given.
    fn check_required_texts(&self, errs: &mut Vec<InputError>) {
        let blank = |v: &Option<String>| v.as_deref().map(str::trim).unwrap_or("").is_empty();
        if blank(&self.holder_name) {
            errs.push(InputError::new(
                "holder_name",
                "",
                "the holder's name as on the certificate",
            ));
        }
        if blank(&self.certificate.number) {
            errs.push(InputError::new(
                "certificate.number",
                "",
                "the certificate's number",
            ));
        }
        if blank(&self.certificate.issuer) {
            errs.push(InputError::new(
                "certificate.issuer",
                "",
                "the body that issued the certificate",
            ));
        }
    }

    /// The profile, with an entry of `catalog`. Errors `check_draft` has
    /// already reported are not repeated.
    fn complete_profile(&self, catalog: &Catalog, errs: &mut Vec<InputError>) -> Option<Profile> {
        if self.profile.get("entry").is_none() {
            errs.push(InputError::new(
                "profile.entry",
                "",
                "a catalogue entry: its code (G7) or id",
            ));
            return None;
        }
        match Profile::from_json(&serde_json::Value::Object(self.profile.clone()).to_string()) {
            Ok(p) if catalog.find(&p.entry).is_none() => {
                let mut e = InputError::new(
                    "profile.entry",
                    p.entry.clone(),
                    format!("an entry of {}", catalog.id),
                );
                e.suggestions = catalog
                    .suggest(&p.entry)
                    .into_iter()
                    .take(3)
                    .map(|x| format!("{} {}", x.code, x.name.en))
                    .collect();
                errs.push(e);
                None
            }
            Ok(p) => Some(p),
            // Already reported by check_draft.
            Err(_) => None,
        }
    }
}

impl Certificate {
    /// Issued on or before `today`, valid today, and expiring after its issue.
    fn check_dates(&self, today: Date, errs: &mut Vec<InputError>) {
        let issued = match self.issued_on.as_deref() {
            None | Some("") => {
                errs.push(InputError::new(
                    "certificate.issued_on",
                    "",
                    "a date as YYYY-MM-DD, e.g. 2024-03-31",
                ));
                None
            }
            Some(s) => match Date::parse("certificate.issued_on", s) {
                Ok(d) if d > today => {
                    errs.push(InputError::new(
                        "certificate.issued_on",
                        s,
                        format!("a date on or before today ({today})"),
                    ));
                    None
                }
                Ok(d) => Some(d),
                Err(e) => {
                    errs.push(e);
                    None
                }
            },
        };
        let Some(s) = self.expires_on.as_deref().filter(|s| !s.trim().is_empty()) else {
            return;
        };
        match Date::parse("certificate.expires_on", s) {
            Ok(d) if d < today => errs.push(InputError::new("certificate.expires_on", s, format!("a certificate still valid today ({today}); an expired one cannot be recognised"))),
            Ok(d) if issued.is_some_and(|i| d <= i) => errs.push(InputError::new("certificate.expires_on", s, "a date after the issue date")),
            Ok(_) => {}
            Err(e) => errs.push(e),
        }
    }
}

fn prefix(mut e: InputError) -> InputError {
    if e.field != "profile" {
        e.field = format!("profile.{}", e.field);
    }
    e
}

/// Where an application stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    Draft,
    Submitted,
    UnderReview,
    MoreInformation,
    Resubmitted,
    Approved,
    Rejected,
    Withdrawn,
}

impl State {
    pub const ALL: [State; 8] = [
        State::Draft,
        State::Submitted,
        State::UnderReview,
        State::MoreInformation,
        State::Resubmitted,
        State::Approved,
        State::Rejected,
        State::Withdrawn,
    ];

    pub fn code(self) -> &'static str {
        match self {
            State::Draft => "draft",
            State::Submitted => "submitted",
            State::UnderReview => "under_review",
            State::MoreInformation => "more_information",
            State::Resubmitted => "resubmitted",
            State::Approved => "approved",
            State::Rejected => "rejected",
            State::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(text: &str) -> Result<State, InputError> {
        State::ALL
            .into_iter()
            .find(|x| x.code() == text.trim())
            .ok_or_else(|| InputError::new("state", text, State::ALL.map(State::code).join(", ")))
    }

    pub fn label(self) -> Bilingual {
        let (zh, en) = match self {
            State::Draft => ("草稿", "Draft"),
            State::Submitted => ("已提交", "Submitted"),
            State::UnderReview => ("审核中", "Under review"),
            State::MoreInformation => ("需补充材料", "More information requested"),
            State::Resubmitted => ("已重新提交", "Resubmitted"),
            State::Approved => ("已认定", "Approved"),
            State::Rejected => ("不予认定", "Rejected"),
            State::Withdrawn => ("已撤回", "Withdrawn"),
        };
        Bilingual::new(zh, en)
    }

    /// Waiting for a reviewer.
    pub fn in_queue(self) -> bool {
        matches!(
            self,
            State::Submitted | State::UnderReview | State::Resubmitted
        )
    }

    /// The applicant may still change the form and the evidence.
    pub fn editable(self) -> bool {
        matches!(self, State::Draft | State::MoreInformation)
    }

    pub fn is_final(self) -> bool {
        matches!(self, State::Approved | State::Rejected | State::Withdrawn)
    }
}

/// What someone does to an application.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Submit,
    /// A reviewer opens a waiting case: it is now under review.
    Open,
    RequestInformation,
    Approve,
    Reject,
    Withdraw,
}

impl Action {
    pub fn code(self) -> &'static str {
        match self {
            Action::Submit => "submit",
            Action::Open => "open",
            Action::RequestInformation => "request_information",
            Action::Approve => "approve",
            Action::Reject => "reject",
            Action::Withdraw => "withdraw",
        }
    }

    /// Actions of the applicant who owns the application; the others are
    /// the reviewers'.
    pub fn by_owner(self) -> bool {
        matches!(self, Action::Submit | Action::Withdraw)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    /// The actor may never do this (an applicant deciding, a reviewer submitting).
    #[error("a {role:?} cannot {action:?}", role = .0, action = .1)]
    Forbidden(Role, Action),
    /// A reviewer acting on an application they submitted themselves.
    #[error("no one may {action:?} their own application", action = .0)]
    OwnApplication(Action),
    /// Right actor, wrong moment: the application has moved on.
    #[error("an application that is {} cannot be {}", .0.code(), .1.code())]
    NotNow(State, Action),
}

impl TransitionError {
    pub fn message(&self) -> Bilingual {
        match self {
            TransitionError::Forbidden(..) => {
                Bilingual::new("您的账户无权进行此操作。", "Your account may not do this.")
            }
            TransitionError::OwnApplication(_) => Bilingual::new(
                "这是您本人提交的申请：不能由您审核或作出决定，将由其他审核人员处理。",
                "This is an application you submitted: you cannot review or decide it; another reviewer will.",
            ),
            TransitionError::NotNow(s, a) => {
                let l = s.label();
                let (zh, en) = match a {
                    Action::Submit => ("提交", "submitted"),
                    Action::Open => ("开始审核", "opened for review"),
                    Action::RequestInformation => {
                        ("要求补充材料", "sent back for more information")
                    }
                    Action::Approve => ("认定", "approved"),
                    Action::Reject => ("不予认定", "rejected"),
                    Action::Withdraw => ("撤回", "withdrawn"),
                };
                Bilingual::new(
                    format!("申请当前状态为“{}”，不能{zh}。", l.zh),
                    format!("The application is now “{}” and cannot be {en}.", l.en),
                )
            }
        }
    }
}

/// Whether someone with `role` may ever do `action` to an application
/// (`owner`: they are the applicant whose application it is). The owner
/// submits and withdraws; reviewers and admins do the rest, but never to
/// an application they submitted themselves, whatever their role now.
pub fn may(action: Action, role: Role, owner: bool) -> Result<(), TransitionError> {
    if action.by_owner() {
        return if owner {
            Ok(())
        } else {
            Err(TransitionError::Forbidden(role, action))
        };
    }
    if !role.reviews() {
        return Err(TransitionError::Forbidden(role, action));
    }
    if owner {
        return Err(TransitionError::OwnApplication(action));
    }
    Ok(())
}

/// The state after `action` by someone with `role` (`owner`: the
/// applicant whose application it is), if [`may`] allows it now.
pub fn transition(
    from: State,
    action: Action,
    role: Role,
    owner: bool,
) -> Result<State, TransitionError> {
    may(action, role, owner)?;
    use State::*;
    let to = match (from, action) {
        (Draft, Action::Submit) => Submitted,
        (MoreInformation, Action::Submit) => Resubmitted,
        (Submitted | Resubmitted, Action::Open) => UnderReview,
        (Submitted | Resubmitted | UnderReview, Action::RequestInformation) => MoreInformation,
        (Submitted | Resubmitted | UnderReview, Action::Approve) => Approved,
        (Submitted | Resubmitted | UnderReview, Action::Reject) => Rejected,
        (Draft | Submitted | UnderReview | MoreInformation | Resubmitted, Action::Withdraw) => {
            Withdrawn
        }
        _ => return Err(TransitionError::NotNow(from, action)),
    };
    Ok(to)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn form(v: serde_json::Value) -> ApplicationForm {
        serde_json::from_value(v).unwrap()
    }

    fn today() -> Date {
        Date::parse("today", "2026-11-27").unwrap()
    }

    #[test]
    fn one_certificate_typed_two_ways_has_one_key() {
        let key = |number: &str, issuer: &str| {
            form(json!({"certificate": {"number": number, "issuer": issuer}})).certificate_key()
        };
        assert_eq!(key("ACCA-12 345", "ACCA"), key("acca12345", " acca "));
        assert_eq!(
            key("ＣＦＡ１", "特许金融分析师协会"),
            key("cfa1", "特许金融分析师协会")
        );
        assert_ne!(key("CFA-1", "CFA Institute"), key("CFA-1", "PMI"));
        assert_eq!(key("", "CFA Institute"), None, "no number, no key");
        assert_eq!(key("--", "CFA Institute"), None, "punctuation is no number");
    }

    #[test]
    fn a_complete_form_gives_the_rules_profile() {
        let f = form(
            json!({"holder_name": "Ada Lovelace", "profile": {"entry": "G7", "age": 40, "beijing_employer": true},
            "certificate": {"number": "CFA-1", "issuer": "CFA Institute", "issued_on": "2020-01-01"}}),
        );
        let p = f
            .complete(zige_catalog::default_catalog(), today())
            .unwrap();
        assert_eq!((p.entry.as_str(), p.age), ("G7", Some(40)));
    }

    #[test]
    fn an_incomplete_form_names_every_missing_or_wrong_field() {
        let f = form(
            json!({"profile": {"entry": "G999", "age": 300}, "certificate": {"issued_on": "2030-01-01", "expires_on": "2019-01-01"}}),
        );
        let errs = f
            .complete(zige_catalog::default_catalog(), today())
            .unwrap_err();
        let fields: Vec<_> = errs.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "profile.age",
                "holder_name",
                "certificate.number",
                "certificate.issuer",
                "certificate.issued_on",
                "certificate.expires_on"
            ]
        );
        let f = form(
            json!({"holder_name": "A", "profile": {"entry": "G999"}, "certificate": {"number": "1", "issuer": "x", "issued_on": "2020-01-01"}}),
        );
        let errs = f
            .complete(zige_catalog::default_catalog(), today())
            .unwrap_err();
        assert_eq!(errs[0].field, "profile.entry");
        assert!(!errs[0].suggestions.is_empty());
    }

    #[test]
    fn a_draft_may_be_partial_but_not_malformed() {
        assert!(form(json!({"holder_name": "A"})).check_draft().is_empty());
        let errs =
            form(json!({"holder_name": "x".repeat(500), "profile": {"nationality": "martian"}}))
                .check_draft();
        assert_eq!(
            errs.iter().map(|e| e.field.as_str()).collect::<Vec<_>>(),
            ["holder_name", "profile.nationality"]
        );
        assert!(serde_json::from_value::<ApplicationForm>(json!({"evil": 1})).is_err());
    }

    #[test]
    fn the_state_machine_follows_the_issue() {
        use Action::*;
        let a = Role::Applicant;
        let r = Role::Reviewer;
        assert_eq!(
            transition(State::Draft, Submit, a, true),
            Ok(State::Submitted)
        );
        assert_eq!(
            transition(State::Submitted, Open, r, false),
            Ok(State::UnderReview)
        );
        assert_eq!(
            transition(State::UnderReview, RequestInformation, r, false),
            Ok(State::MoreInformation)
        );
        assert_eq!(
            transition(State::MoreInformation, Submit, a, true),
            Ok(State::Resubmitted)
        );
        assert_eq!(
            transition(State::Resubmitted, Approve, r, false),
            Ok(State::Approved)
        );
        assert_eq!(
            transition(State::UnderReview, Reject, Role::Admin, false),
            Ok(State::Rejected)
        );
        assert_eq!(
            transition(State::MoreInformation, Withdraw, a, true),
            Ok(State::Withdrawn)
        );
        // Nothing moves a decided application, and roles stay in their lane.
        for s in [State::Approved, State::Rejected, State::Withdrawn] {
            for act in [Submit, Open, RequestInformation, Approve, Reject, Withdraw] {
                let owner = act.by_owner();
                assert_eq!(
                    transition(s, act, if owner { a } else { r }, owner),
                    Err(TransitionError::NotNow(s, act))
                );
            }
        }
        assert_eq!(
            transition(State::Submitted, Approve, a, true),
            Err(TransitionError::Forbidden(a, Approve))
        );
        assert_eq!(
            transition(State::Draft, Submit, r, false),
            Err(TransitionError::Forbidden(r, Submit))
        );
        assert_eq!(
            transition(State::Draft, Submit, a, false),
            Err(TransitionError::Forbidden(a, Submit))
        );
        assert_eq!(
            transition(State::Draft, Approve, r, false),
            Err(TransitionError::NotNow(State::Draft, Approve))
        );
    }

    #[test]
    fn no_one_reviews_or_decides_their_own_application() {
        use Action::*;
        for role in [Role::Reviewer, Role::Admin] {
            for act in [Open, RequestInformation, Approve, Reject] {
                for from in [State::Submitted, State::UnderReview, State::Resubmitted] {
                    assert_eq!(
                        transition(from, act, role, true),
                        Err(TransitionError::OwnApplication(act)),
                        "{role:?} {act:?} own application from {from:?}"
                    );
                    assert!(transition(from, act, role, false).is_ok() || act == Open);
                }
            }
            // They still withdraw it, as its applicant.
            assert_eq!(
                transition(State::Submitted, Withdraw, role, true),
                Ok(State::Withdrawn)
            );
        }
        let m = TransitionError::OwnApplication(Approve).message();
        assert!(m.en.contains("you submitted") && m.zh.contains("本人提交"));
    }

    #[test]
    fn every_state_has_a_code_that_parses_back_and_two_labels() {
        for s in State::ALL {
            assert_eq!(State::parse(s.code()), Ok(s));
            assert!(!s.label().zh.is_empty() && !s.label().en.is_empty());
        }
        assert_eq!(State::parse("done").unwrap_err().field, "state");
    }
}
