//! The pages of accounts: registering, signing in (the password step; the
//! second step is [`super::second_factor::pages`]) and signing out.
//!
//! Before a session exists, the forms carry a double-submit CSRF token
//! ([`super::sessions::check_pre_session`]).

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};

use super::second_factor::pages::sign_in;
use super::sessions::{
    check_pre_session, pre_session_token, with_pre_session_cookie, with_session_cookie,
};
use super::{Credentials, NewAccount};
use crate::cases::accounts;
use crate::cases::field_errors::FieldErrors;
use crate::error::{with_retry_after, ApiError, ApiErrors};
use crate::extract::ClientAddress;
use crate::render::{fail, render, said, status_of, Ctx, Filled, Page, Problem};
use crate::state::Shared;
use zige_cases::Role;

/// Where signing in leads when the person was going nowhere in
/// particular: on to their daily work by role ([`start`]).
pub const LANDING: &str = "/start";

/// A local path to return to after signing in; anything else is [`LANDING`].
pub fn safe_next(next: Option<&String>) -> String {
    match next {
        Some(next)
            if next.starts_with('/')
                && !next.starts_with("//")
                && !next.contains('\\')
                && !next.chars().any(char::is_control) =>
        {
            next.clone()
        }
        _ => LANDING.into(),
    }
}

/// Where each role's daily work is: reviewers the queue, admins
/// administration, applicants their applications.
pub fn landing(role: Role) -> &'static str {
    match role {
        Role::Admin => "/admin/users",
        Role::Official => "/reports",
        Role::Reviewer => "/review",
        Role::Applicant => "/my",
    }
}

/// Where to go after signing in: `next`, or straight to the role's daily
/// work when the person was going nowhere in particular.
pub fn onward(next: &str, role: Role) -> &str {
    if next == LANDING {
        landing(role)
    } else {
        next
    }
}

/// Handles `GET /start`: on to the signed-in person's daily work.
pub async fn start(ctx: Ctx) -> Response {
    match &ctx.viewer {
        Some(viewer) => Redirect::to(landing(viewer.user.role)).into_response(),
        None => ctx.login(),
    }
}

#[derive(Template)]
#[template(path = "cases/accounts/register.html")]
struct RegisterPage {
    page: Page,
    email: String,
    name: String,
    next: String,
    csrf: String,
    problems: Vec<Problem>,
    email_error: Option<String>,
    name_error: Option<String>,
    password_error: Option<String>,
}

/// Handles `GET /register`.
pub async fn register_form(State(state): State<Shared>, headers: HeaderMap, ctx: Ctx) -> Response {
    if ctx.viewer.is_some() {
        return Redirect::to(&safe_next(ctx.query.get("next"))).into_response();
    }
    let (csrf, new) = pre_session_token(&headers);
    let page = RegisterPage {
        page: ctx.page(&state, ctx.tr.msg("reg-title"), "register"),
        email: String::new(),
        name: String::new(),
        next: safe_next(ctx.query.get("next")),
        csrf: csrf.clone(),
        problems: Vec::new(),
        email_error: None,
        name_error: None,
        password_error: None,
    };
    with_pre_session_cookie(&state, render(&page, &ctx, StatusCode::OK), &csrf, new)
}

/// Registration checks the password only against a valid address; when
/// the address is wrong, say what is wrong with the password too, so every
/// field is named at once.
fn password_too(mut errors: ApiErrors, password: &str) -> ApiErrors {
    let named = |field: &str| {
        errors
            .0
            .iter()
            .any(|error| error.field.as_deref() == Some(field))
    };
    if named("email") && !named("password") {
        if let Ok(stand_in) = zige_cases::Email::parse("someone@example.invalid") {
            if let Err(e) = zige_cases::Password::parse(password, &stand_in) {
                errors.0.push(ApiError::from_input(e));
            }
        }
    }
    errors
}

/// Handles `POST /register`.
pub async fn register(
    State(state): State<Shared>,
    headers: HeaderMap,
    Filled { ctx, form }: Filled,
) -> Response {
    let field = |key: &str| form.get(key).cloned().unwrap_or_default();
    let next = safe_next(form.get("next"));
    let account = NewAccount {
        email: field("email"),
        password: field("password"),
        name: Some(field("name")),
    };
    let (csrf, new) = pre_session_token(&headers);
    let checked = check_pre_session(&headers, form.get("csrf").map(String::as_str));
    let registered = match checked {
        Ok(()) => accounts::register(&state, &account).await,
        Err(e) => Err(e.into()),
    };
    let errors = match registered {
        // The same page whether or not the address had an account.
        Ok(registration) => {
            return check_your_email(
                &state,
                &ctx,
                &registration.email,
                "mail-then-register",
                &next,
            )
        }
        Err(errors) => password_too(errors, &account.password),
    };
    let status = status_of(&errors);
    let shown = FieldErrors::of(&ctx.tr, &errors.0);
    let page = RegisterPage {
        page: ctx.page(&state, ctx.tr.msg("reg-title"), "register"),
        email: account.email.clone(),
        name: field("name"),
        next,
        csrf: csrf.clone(),
        email_error: shown.get("email"),
        name_error: shown.get("name"),
        password_error: shown.get("password"),
        problems: shown.summary,
    };
    let retry = errors.0.iter().find_map(|error| error.retry_after);
    let response = with_retry_after(render(&page, &ctx, status), retry);
    with_pre_session_cookie(&state, response, &csrf, new)
}

#[derive(Template)]
#[template(path = "cases/accounts/login.html")]
struct LoginPage {
    page: Page,
    email: String,
    next: String,
    csrf: String,
    /// Why the form waits (429), with how long.
    wait: Option<String>,
    problems: Vec<Problem>,
}

/// Handles `GET /login`.
pub async fn login_form(State(state): State<Shared>, headers: HeaderMap, ctx: Ctx) -> Response {
    if ctx.viewer.is_some() {
        return Redirect::to(&safe_next(ctx.query.get("next"))).into_response();
    }
    let (csrf, new) = pre_session_token(&headers);
    let page = LoginPage {
        page: ctx.page(&state, ctx.tr.msg("login-title"), "login"),
        email: String::new(),
        next: safe_next(ctx.query.get("next")),
        csrf: csrf.clone(),
        wait: None,
        problems: Vec::new(),
    };
    with_pre_session_cookie(&state, render(&page, &ctx, StatusCode::OK), &csrf, new)
}

/// Handles `POST /login`.
pub async fn login(
    State(state): State<Shared>,
    ClientAddress(address): ClientAddress,
    headers: HeaderMap,
    Filled { ctx, form }: Filled,
) -> Response {
    let credentials = Credentials {
        email: form.get("email").cloned().unwrap_or_default(),
        password: form.get("password").cloned().unwrap_or_default(),
        code: None,
    };
    let next = safe_next(form.get("next"));
    let (csrf, new) = pre_session_token(&headers);
    let outcome = match check_pre_session(&headers, form.get("csrf").map(String::as_str)) {
        Ok(()) => sign_in(&state, &credentials, &address, &next).await,
        Err(e) => Err(e.into()),
    };
    let errors = match outcome {
        Ok(response) => return response,
        Err(errors) => errors,
    };
    let status = status_of(&errors);
    let retry = errors.0.iter().find_map(|error| error.retry_after);
    let problems = errors
        .0
        .iter()
        .map(|error| Problem {
            href: "#email".into(),
            text: said(&ctx.tr, error),
        })
        .collect();
    let page = LoginPage {
        page: ctx.page(&state, ctx.tr.msg("login-title"), "login"),
        email: credentials.email,
        next,
        csrf: csrf.clone(),
        wait: retry
            .filter(|_| status == StatusCode::TOO_MANY_REQUESTS)
            .map(|seconds| {
                ctx.tr
                    .with("auth-wait", &[("seconds", seconds.to_string())])
            }),
        problems,
    };
    let response = with_retry_after(render(&page, &ctx, status), retry);
    with_pre_session_cookie(&state, response, &csrf, new)
}

/// Handles `POST /logout`.
pub async fn logout(State(state): State<Shared>, Filled { ctx, form }: Filled) -> Response {
    // Signed out already (the session expired): nothing to do.
    let Some(viewer) = &ctx.viewer else {
        return Redirect::to("/").into_response();
    };
    if let Err(e) = viewer.check_csrf(form.get("csrf").map(String::as_str)) {
        return fail(&state, &ctx, e.into());
    }
    if let Err(errors) = accounts::logout(&state, viewer).await {
        return fail(&state, &ctx, errors);
    }
    with_session_cookie(&state, Redirect::to("/").into_response(), None)
}

#[derive(Template)]
#[template(path = "cases/accounts/message.html")]
struct MessagePage {
    page: Page,
    heading: String,
    texts: Vec<String>,
    onward: Option<(String, String)>,
    failed: bool,
}

/// What a page says after a step with nothing more to fill in: a
/// heading, a few sentences and the way on (a link that did not work:
/// `failed`, in the error colour).
pub struct Message {
    pub heading: String,
    pub texts: Vec<String>,
    pub onward: Option<(String, String)>,
    pub failed: bool,
}

/// Renders a [`Message`] with `status`.
pub fn message(state: &Shared, ctx: &Ctx, message: Message, status: StatusCode) -> Response {
    let page = MessagePage {
        page: ctx.page(state, message.heading.clone(), ""),
        heading: message.heading,
        texts: message.texts,
        onward: message.onward,
        failed: message.failed,
    };
    render(&page, ctx, status)
}

/// "Check your e-mail": a message is on its way to `email` (or, for a
/// reset, would be if the address had an account).
pub fn check_your_email(
    state: &Shared,
    ctx: &Ctx,
    email: &str,
    then: &str,
    next: &str,
) -> Response {
    let onward = (
        format!("/login?next={}", crate::render::enc(next)),
        ctx.tr.msg("acct-sign-in"),
    );
    let texts = vec![
        ctx.tr.with("mail-sent-to", &[("email", email.to_string())]),
        ctx.tr.msg(then),
        ctx.tr.msg("mail-not-arrived"),
    ];
    message(
        state,
        ctx,
        Message {
            heading: ctx.tr.msg("mail-check-title"),
            texts,
            onward: Some(onward),
            failed: false,
        },
        StatusCode::OK,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_addresses_stay_on_this_site() {
        assert_eq!(
            safe_next(Some(&"/review?page=2".to_string())),
            "/review?page=2"
        );
        for bad in [
            "//evil.example/",
            "https://evil.example/",
            "/\\evil",
            "",
            "my",
        ] {
            assert_eq!(safe_next(Some(&bad.to_string())), LANDING, "{bad}");
        }
        assert_eq!(safe_next(None), LANDING);
    }
}
