//! The pages of the account's address and mail: the account page
//! (address, its verification, the language of mail, the digest), and
//! the landing page of a verification link.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use super::{MailLanguage, MailPreferences};
use crate::cases::accounts::pages::{message, Message};
use crate::cases::field_errors::FieldErrors;
use crate::error::ApiErrors;
use crate::render::{fail, notice, render, status_of, Ctx, Page, Posted, Problem};
use crate::state::Shared;
use zige_cases::Role;

#[derive(Template)]
#[template(path = "cases/accounts/email/account.html")]
struct AccountPage {
    page: Page,
    notice: Option<String>,
    csrf: String,
    email: String,
    verified: bool,
    new_email: String,
    email_error: Option<String>,
    problems: Vec<Problem>,
    languages: Vec<(&'static str, String)>,
    language: &'static str,
    staff: bool,
    digest: bool,
}

fn account_page(
    state: &Shared,
    ctx: &Ctx,
    new_email: String,
    errors: Option<&ApiErrors>,
) -> Result<AccountPage, Response> {
    let Some(viewer) = &ctx.viewer else {
        return Err(ctx.login());
    };
    let user = &viewer.user;
    let shown = errors.map(|e| FieldErrors::of(&ctx.tr, &e.0));
    let language = match MailLanguage::of(user) {
        MailLanguage::Zh => "zh",
        MailLanguage::En => "en",
        MailLanguage::Both => "both",
    };
    Ok(AccountPage {
        page: ctx.page(state, ctx.tr.msg("account-title"), "account"),
        notice: notice(&ctx.tr, &ctx.query),
        csrf: viewer.csrf.clone(),
        email: user.email.clone(),
        verified: user.email_verified_at.is_some(),
        new_email,
        email_error: shown.as_ref().and_then(|s| s.get("email")),
        problems: shown.map(|s| s.summary).unwrap_or_default(),
        languages: ["zh", "en", "both"]
            .into_iter()
            .map(|l| (l, ctx.tr.msg(&format!("account-language-{l}"))))
            .collect(),
        language,
        staff: user.role != Role::Applicant,
        digest: user.digest,
    })
}

/// Handles `GET /account`.
pub async fn account(State(state): State<Shared>, ctx: Ctx) -> Response {
    match account_page(&state, &ctx, String::new(), None) {
        Ok(page) => render(&page, &ctx, StatusCode::OK),
        Err(response) => response,
    }
}

/// Handles `POST /account/email`: a verification link to the new (or
/// the current) address.
pub async fn change_email(
    State(state): State<Shared>,
    Posted { ctx, form, viewer }: Posted,
) -> Response {
    let email = form.get("email").cloned().unwrap_or_default();
    match super::change_address(&state, &viewer, &email).await {
        Ok(()) => Redirect::to("/account?done=mail-sent").into_response(),
        Err(errors) => match account_page(&state, &ctx, email, Some(&errors)) {
            Ok(page) => render(&page, &ctx, status_of(&errors)),
            Err(response) => response,
        },
    }
}

/// Handles `POST /account/mail-preferences`.
pub async fn set_mail_preferences(
    State(state): State<Shared>,
    Posted { ctx, form, viewer }: Posted,
) -> Response {
    let language = match form.get("language").map(String::as_str) {
        Some("zh") => MailLanguage::Zh,
        Some("en") => MailLanguage::En,
        _ => MailLanguage::Both,
    };
    let preferences = MailPreferences {
        language,
        digest: form.contains_key("digest"),
    };
    match super::set_preferences(&state, &viewer, &preferences).await {
        Ok(_) => Redirect::to("/account?done=preferences").into_response(),
        Err(errors) => fail(&state, &ctx, errors),
    }
}

/// Handles `GET /email-verification/{token}`: following the mailed link
/// verifies the address.
pub async fn verify(State(state): State<Shared>, Path(token): Path<String>, ctx: Ctx) -> Response {
    let signed_in = ctx.viewer.is_some();
    let shown = match super::verify(&state, &token).await {
        Ok(user) => Message {
            heading: ctx.tr.msg("verified-title"),
            texts: vec![ctx.tr.with("verified-text", &[("email", user.email)])],
            onward: Some(if signed_in {
                ("/start".into(), ctx.tr.msg("verified-continue"))
            } else {
                ("/login".into(), ctx.tr.msg("acct-sign-in"))
            }),
            failed: false,
        },
        Err(errors) => {
            let used = errors.0.iter().any(|e| e.code == "link_used");
            let status = status_of(&errors);
            if !matches!(status, StatusCode::BAD_REQUEST | StatusCode::GONE) {
                return fail(&state, &ctx, errors);
            }
            let failed = Message {
                heading: ctx.tr.msg(if used {
                    "link-used-title"
                } else {
                    "link-unknown-title"
                }),
                texts: vec![ctx.tr.msg("verify-link-failed")],
                onward: Some(("/account".into(), ctx.tr.msg("verify-again"))),
                failed: true,
            };
            return message(&state, &ctx, failed, status);
        }
    };
    message(&state, &ctx, shown, StatusCode::OK)
}
