//! The public verification page: anyone checks a decision by its code,
//! or pastes the decision's credential (the JSON a holder downloads) and
//! learns whether it is valid, revoked, tampered with or unknown, and why.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde_json::Value;
use zige_cases::credential::CredentialError;

use super::pages::entry_text;
use super::{edition_name, Verification};
use crate::cases::credentials::{self, Checked};
use crate::i18n::Tr;
use crate::render::{enc, fail, render, status_of, Ctx, Filled, Page, Problem};
use crate::state::Shared;

/// The most characters of pasted credential read (a credential is a few
/// thousand).
pub const MAX_PASTED: usize = 100_000;

#[derive(Template)]
#[template(path = "cases/decisions/verify.html")]
struct VerifyPage {
    page: Page,
    code: String,
    /// `valid`, `revoked`, `tampered`, `unknown`, or empty before anything
    /// was checked.
    status: &'static str,
    /// Why a credential is tampered with or unknown, in plain words.
    reason: String,
    /// Whether a pasted credential was checked (rather than a code).
    by_credential: bool,
    /// The credential as pasted, kept in its box.
    pasted: String,
    problems: Vec<Problem>,
    /// The authority that issued the decision, in the page's language.
    issuer: String,
    number: String,
    holder: String,
    entry: String,
    level: Option<String>,
    catalog: String,
    issued: String,
    revoked_at: String,
    revoked_reason: String,
    signature_valid: bool,
    key_id: String,
}

impl VerifyPage {
    fn new(state: &Shared, ctx: &Ctx) -> VerifyPage {
        VerifyPage {
            page: ctx.page(state, ctx.tr.msg("ver-title"), "verify"),
            code: String::new(),
            status: "",
            reason: String::new(),
            by_credential: false,
            pasted: String::new(),
            problems: Vec::new(),
            issuer: String::new(),
            number: String::new(),
            holder: String::new(),
            entry: String::new(),
            level: None,
            catalog: String::new(),
            issued: String::new(),
            revoked_at: String::new(),
            revoked_reason: String::new(),
            signature_valid: false,
            key_id: String::new(),
        }
    }

    /// The page showing decision `found`: valid or revoked.
    fn found(mut self, state: &Shared, ctx: &Ctx, found: Verification) -> VerifyPage {
        let t = ctx.tr;
        self.status = if found.status == "revoked" {
            "revoked"
        } else {
            "valid"
        };
        self.issuer = found
            .issuer
            .as_ref()
            .map(|issuer| t.pick(issuer))
            .unwrap_or_else(|| t.pick(&state.settings.authority.name));
        self.number = found.number;
        self.holder = found.holder_name;
        self.entry = entry_text(&t, &found.entry);
        self.level = found.level;
        self.catalog = edition_name(state, &t, &found.catalog);
        self.issued = ctx.clock.day(&found.issued_at);
        self.revoked_at = found
            .revoked_at
            .as_deref()
            .map(|at| ctx.clock.day(at))
            .unwrap_or_default();
        self.revoked_reason = found.revoked_reason.unwrap_or_default();
        self.signature_valid = found.signature_valid;
        self.key_id = found.key_id;
        self
    }
}

/// Handles `GET /verify`: the form, or on to the code it was given.
pub async fn verify_form(State(state): State<Shared>, ctx: Ctx) -> Response {
    let typed = ctx
        .query
        .get("code")
        .map(|code| code.trim())
        .filter(|code| !code.is_empty());
    if let Some(code) = typed {
        let code: String = code.chars().take(100).collect();
        return Redirect::to(&format!("/verify/{}", enc(&code))).into_response();
    }
    render(&VerifyPage::new(&state, &ctx), &ctx, StatusCode::OK)
}

/// Handles `GET /verify/{code}`.
pub async fn verify(State(state): State<Shared>, Path(code): Path<String>, ctx: Ctx) -> Response {
    let typed: String = code.chars().take(100).collect();
    let page = VerifyPage::new(&state, &ctx);
    match super::verify(&state, &code).await {
        Ok(found) => {
            let mut page = page.found(&state, &ctx, found);
            page.code = typed;
            render(&page, &ctx, StatusCode::OK)
        }
        Err(errors) if status_of(&errors) == StatusCode::NOT_FOUND => {
            let page = VerifyPage {
                status: "unknown",
                code: typed,
                ..page
            };
            render(&page, &ctx, StatusCode::NOT_FOUND)
        }
        Err(errors) => fail(&state, &ctx, errors),
    }
}

/// Handles `GET /verify/credential`: the form is on the verification page.
pub async fn to_credential_form() -> Redirect {
    Redirect::to("/verify#credential")
}

/// Handles `POST /verify/credential`: checks a pasted credential; what
/// is not a credential at all is a problem at the box, with the text kept.
pub async fn check_credential(
    State(state): State<Shared>,
    Filled { ctx, form }: Filled,
) -> Response {
    let pasted = form.get("credential").cloned().unwrap_or_default();
    let mut page = VerifyPage::new(&state, &ctx);
    page.by_credential = true;
    let parsed = parse_pasted(&ctx.tr, &pasted);
    page.pasted = pasted.chars().take(MAX_PASTED).collect();
    let credential = match parsed {
        Ok(credential) => credential,
        Err(problem) => {
            page.problems = vec![problem];
            return render(&page, &ctx, StatusCode::BAD_REQUEST);
        }
    };
    let checked = match credentials::check(&state, &credential).await {
        Ok(checked) => checked,
        Err(errors) => return fail(&state, &ctx, errors),
    };
    let t = ctx.tr;
    let page = match checked {
        Checked::Decision(found) => page.found(&state, &ctx, *found),
        Checked::Refused(CredentialError::Malformed(what)) => {
            page.problems = vec![pasted_problem(&t, "ver-cred-malformed", &what)];
            return render(&page, &ctx, StatusCode::BAD_REQUEST);
        }
        refused => VerifyPage {
            status: verdict_of(&refused),
            reason: reason_of(&t, &refused),
            ..page
        },
    };
    render(&page, &ctx, StatusCode::OK)
}

/// The pasted text as a JSON object, or the problem at the box.
fn parse_pasted(t: &Tr, pasted: &str) -> Result<Value, Problem> {
    if pasted.trim().is_empty() {
        return Err(pasted_problem(t, "ver-cred-empty", ""));
    }
    if pasted.chars().count() > MAX_PASTED {
        return Err(pasted_problem(t, "ver-cred-too-long", ""));
    }
    match serde_json::from_str::<Value>(pasted.trim()) {
        Ok(value) if value.is_object() => Ok(value),
        Ok(_) => Err(pasted_problem(t, "ver-cred-not-object", "")),
        Err(e) => Err(pasted_problem(
            t,
            "ver-cred-not-json",
            &format!("{}:{}", e.line(), e.column()),
        )),
    }
}

/// A problem with the pasted text, linking to its box.
fn pasted_problem(t: &Tr, key: &str, detail: &str) -> Problem {
    Problem {
        href: "#credential".into(),
        text: t.with(key, &[("detail", detail.to_string())]),
    }
}

/// `tampered` when the proof does not match what it covers; `unknown`
/// when the credential is not one this service issued.
fn verdict_of(checked: &Checked) -> &'static str {
    match checked {
        Checked::Refused(CredentialError::Tampered) => "tampered",
        _ => "unknown",
    }
}

/// Why a credential is refused, in the page's language.
fn reason_of(t: &Tr, checked: &Checked) -> String {
    match checked {
        Checked::Refused(CredentialError::Tampered) => t.msg("ver-cred-tampered-text"),
        Checked::Refused(CredentialError::OtherIssuer(issuer)) => {
            t.with("ver-cred-other-issuer", &[("issuer", issuer.clone())])
        }
        Checked::Refused(CredentialError::UnknownKey(key)) => {
            t.with("ver-cred-unknown-key", &[("key", key.clone())])
        }
        Checked::Refused(CredentialError::Malformed(what)) => {
            t.with("ver-cred-malformed", &[("detail", what.clone())])
        }
        Checked::NotADecision => t.msg("ver-cred-not-decision"),
        Checked::NotInRegister(code) => {
            t.with("ver-cred-not-in-register", &[("code", code.clone())])
        }
        Checked::Decision(_) => String::new(),
    }
}
