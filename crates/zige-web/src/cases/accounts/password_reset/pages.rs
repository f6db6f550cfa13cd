//! The pages of password reset: "Forgotten your password?" (the address),
//! "Check your e-mail", the new password at the link, and what a link
//! that no longer works says.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;

use crate::cases::accounts::pages::{check_your_email, message, Message};
use crate::cases::accounts::sessions::{
    check_pre_session, pre_session_token, with_pre_session_cookie,
};
use crate::cases::field_errors::FieldErrors;
use crate::error::{ApiError, ApiErrors};
use crate::render::{render, status_of, Ctx, Filled, Page, Problem};
use crate::state::Shared;

#[derive(Template)]
#[template(path = "cases/accounts/password_reset/request.html")]
struct RequestPage {
    page: Page,
    email: String,
    csrf: String,
    problems: Vec<Problem>,
    email_error: Option<String>,
}

/// Handles `GET /password-reset`.
pub async fn request_form(State(state): State<Shared>, headers: HeaderMap, ctx: Ctx) -> Response {
    let (csrf, new) = pre_session_token(&headers);
    let page = RequestPage {
        page: ctx.page(&state, ctx.tr.msg("reset-title"), "login"),
        email: ctx.query.get("email").cloned().unwrap_or_default(),
        csrf: csrf.clone(),
        problems: Vec::new(),
        email_error: None,
    };
    with_pre_session_cookie(&state, render(&page, &ctx, StatusCode::OK), &csrf, new)
}

/// Handles `POST /password-reset`.
pub async fn request(
    State(state): State<Shared>,
    headers: HeaderMap,
    Filled { ctx, form }: Filled,
) -> Response {
    let email = form.get("email").cloned().unwrap_or_default();
    let (csrf, new) = pre_session_token(&headers);
    let asked = match check_pre_session(&headers, form.get("csrf").map(String::as_str)) {
        Ok(()) => super::request(&state, &email).await,
        Err(e) => Err(e.into()),
    };
    let errors = match asked {
        Ok(()) => return check_your_email(&state, &ctx, email.trim(), "mail-then-reset", "/start"),
        Err(errors) => errors,
    };
    let shown = FieldErrors::of(&ctx.tr, &errors.0);
    let page = RequestPage {
        page: ctx.page(&state, ctx.tr.msg("reset-title"), "login"),
        email,
        csrf: csrf.clone(),
        email_error: shown.get("email"),
        problems: shown.summary,
    };
    let response = render(&page, &ctx, status_of(&errors));
    with_pre_session_cookie(&state, response, &csrf, new)
}

#[derive(Template)]
#[template(path = "cases/accounts/password_reset/new.html")]
struct NewPasswordPage {
    page: Page,
    token: String,
    email: String,
    csrf: String,
    problems: Vec<Problem>,
    password_error: Option<String>,
}

/// Handles `GET /password-reset/{token}`: the new password's form, or
/// why the link no longer works.
pub async fn new_password_form(
    State(state): State<Shared>,
    Path(token): Path<String>,
    headers: HeaderMap,
    ctx: Ctx,
) -> Response {
    let user = match super::account(&state, &token).await {
        Ok(user) => user,
        Err(errors) => return link_failed(&state, &ctx, errors),
    };
    let (csrf, new) = pre_session_token(&headers);
    let page = NewPasswordPage {
        page: ctx.page(&state, ctx.tr.msg("reset-new-title"), "login"),
        token,
        email: user.email,
        csrf: csrf.clone(),
        problems: Vec::new(),
        password_error: None,
    };
    with_pre_session_cookie(&state, render(&page, &ctx, StatusCode::OK), &csrf, new)
}

/// Handles `POST /password-reset/{token}`.
pub async fn set_new_password(
    State(state): State<Shared>,
    Path(token): Path<String>,
    headers: HeaderMap,
    Filled { ctx, form }: Filled,
) -> Response {
    let password = form.get("password").cloned().unwrap_or_default();
    let (csrf, new) = pre_session_token(&headers);
    let outcome = match check_pre_session(&headers, form.get("csrf").map(String::as_str)) {
        Ok(()) => super::reset(&state, &token, &password).await,
        Err(e) => Err(e.into()),
    };
    let errors = match outcome {
        Ok(_) => return password_changed(&state, &ctx),
        Err(errors) if errors.0.iter().any(|e| e.field.as_deref() == Some("token")) => {
            return link_failed(&state, &ctx, errors)
        }
        Err(errors) => errors,
    };
    let Ok(user) = super::account(&state, &token).await else {
        return link_failed(&state, &ctx, errors);
    };
    let shown = FieldErrors::of(&ctx.tr, &errors.0);
    let page = NewPasswordPage {
        page: ctx.page(&state, ctx.tr.msg("reset-new-title"), "login"),
        token,
        email: user.email,
        csrf: csrf.clone(),
        password_error: shown.get("password"),
        problems: shown.summary,
    };
    let response = render(&page, &ctx, status_of(&errors));
    with_pre_session_cookie(&state, response, &csrf, new)
}

fn password_changed(state: &Shared, ctx: &Ctx) -> Response {
    let done = Message {
        heading: ctx.tr.msg("reset-done-title"),
        texts: vec![ctx.tr.msg("reset-done-text")],
        onward: Some(("/login".into(), ctx.tr.msg("acct-sign-in"))),
        failed: false,
    };
    message(state, ctx, done, StatusCode::OK)
}

/// A reset link that is unknown, used or expired: say so, and offer a new one.
fn link_failed(state: &Shared, ctx: &Ctx, errors: ApiErrors) -> Response {
    let status = status_of(&errors);
    let used = errors.0.iter().any(|e: &ApiError| e.code == "link_used");
    let failed = Message {
        heading: ctx.tr.msg(if used {
            "link-used-title"
        } else {
            "link-unknown-title"
        }),
        texts: vec![ctx.tr.msg(if used {
            "reset-link-used"
        } else {
            "reset-link-unknown"
        })],
        onward: Some(("/password-reset".into(), ctx.tr.msg("reset-again"))),
        failed: true,
    };
    message(state, ctx, failed, status)
}
