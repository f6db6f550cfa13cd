//! The pages of the second factor: the second step of signing in (a code
//! or, for staff without a factor, enrolment with a QR code), the
//! recovery codes shown once, and the account's own page (applicants may
//! set one up and remove it). An admin's reset of a lost factor is in
//! [`crate::cases::admin::pages`].
//!
//! Until the second step is done the browser holds only a pending session
//! (ten minutes), which opens no other page and no API.

use askama::Template;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};

use super::{Needs, Status};
use crate::cases::accounts::pages::{onward, safe_next};
use crate::cases::accounts::second_factor as factor;
use crate::cases::accounts::sessions::{
    cookie_value, token, with_session_cookie, Via, Viewer, COOKIE, SESSION_MS,
};
use crate::cases::accounts::{self, Credentials};
use crate::cases::qr_code::qr_svg;
use crate::cases::{now_ms, Res};
use crate::error::{ApiError, ApiErrors};
use crate::extract::ClientAddress;
use crate::render::{enc, fail, render, said, status_of, Ctx, Filled, Page, Posted, Problem};
use crate::state::Shared;

/// The sign-in form's work after a correct password: a full session for
/// an account without a factor; otherwise a pending session and the
/// second step.
pub async fn sign_in(
    state: &Shared,
    credentials: &Credentials,
    address: &str,
    next: &str,
) -> Res<Response> {
    let user = accounts::check_password(state, credentials, address).await?;
    if factor::needs(state, &user).await? == Needs::Nothing {
        accounts::forget_failures(state, &user.email, address).await?;
        let session = accounts::start_session(state, &user).await?;
        return Ok(with_session_cookie(
            state,
            Redirect::to(onward(next, user.role)).into_response(),
            Some(&session.token),
        ));
    }
    let pending_token = token();
    state
        .store()?
        .create_pending_session(
            &zige_cases::sha256_hex(pending_token.as_bytes()),
            user.id,
            &token(),
            now_ms(),
        )
        .await
        .map_err(ApiError::from)?;
    let second_step = format!("/login/second-factor?next={}", enc(next));
    Ok(with_session_cookie(
        state,
        Redirect::to(&second_step).into_response(),
        Some(&pending_token),
    ))
}

/// The pending session of this browser, as a viewer (for its CSRF token).
async fn pending(state: &Shared, headers: &HeaderMap) -> Result<Option<Viewer>, ApiErrors> {
    let Some(token) = cookie_value(headers, COOKIE) else {
        return Ok(None);
    };
    if token.is_empty() || token.len() > 200 {
        return Ok(None);
    }
    let token_hash = zige_cases::sha256_hex(token.as_bytes());
    let found = state
        .store()?
        .pending_session(&token_hash, now_ms())
        .await
        .map_err(ApiError::from)?;
    Ok(found.map(|session| Viewer {
        user: session.user,
        csrf: session.csrf,
        via: Via::Cookie,
        token_hash,
    }))
}

#[derive(Template)]
#[template(path = "cases/accounts/second_factor/code.html")]
struct CodePage {
    page: Page,
    csrf: String,
    next: String,
    problems: Vec<Problem>,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "cases/accounts/second_factor/enrol.html")]
struct EnrolPage {
    page: Page,
    csrf: String,
    next: String,
    action: String,
    qr: String,
    grouped: String,
    staff: bool,
    problems: Vec<Problem>,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "cases/accounts/second_factor/recovery.html")]
struct RecoveryPage {
    page: Page,
    codes: Vec<String>,
    next: String,
}

/// The summary of a code form's errors, and what to say at the code.
fn problems_of(ctx: &Ctx, errors: &ApiErrors) -> (Vec<Problem>, Option<String>) {
    let about_code = |error: &ApiError| error.field.as_deref() == Some("code");
    let problems: Vec<Problem> = errors
        .0
        .iter()
        .map(|error| Problem {
            href: if about_code(error) {
                "#code".into()
            } else {
                String::new()
            },
            text: said(&ctx.tr, error),
        })
        .collect();
    let at_code = errors
        .0
        .iter()
        .find(|error| about_code(error))
        .map(|error| said(&ctx.tr, error));
    (problems, at_code)
}

/// The enrolment page: a fresh (or resumed) secret as a QR code, and the
/// form confirming it with a code, posted to `action`.
async fn enrol_page(
    state: &Shared,
    ctx: &Ctx,
    viewer: &Viewer,
    next: String,
    action: &str,
    errors: Option<ApiErrors>,
) -> Response {
    let enrolment = match factor::begin(state, &viewer.user).await {
        Ok(enrolment) => enrolment,
        Err(errors) => return fail(state, ctx, errors),
    };
    let status = errors.as_ref().map_or(StatusCode::OK, status_of);
    let (problems, error) = errors
        .map(|errors| problems_of(ctx, &errors))
        .unwrap_or_default();
    let page = EnrolPage {
        page: ctx.page(state, ctx.tr.msg("totp-enrol-title"), "login"),
        csrf: viewer.csrf.clone(),
        next,
        action: action.into(),
        qr: qr_svg(&enrolment.uri, &ctx.tr.msg("totp-qr-name")),
        grouped: enrolment.grouped,
        staff: factor::required(viewer.user.role),
        problems,
        error,
    };
    render(&page, ctx, status)
}

/// The form asking for a code from the enrolled factor.
async fn code_page(
    state: &Shared,
    ctx: &Ctx,
    viewer: &Viewer,
    next: String,
    errors: Option<ApiErrors>,
) -> Response {
    let status = errors.as_ref().map_or(StatusCode::OK, status_of);
    let (problems, error) = errors
        .map(|errors| problems_of(ctx, &errors))
        .unwrap_or_default();
    let page = CodePage {
        page: ctx.page(state, ctx.tr.msg("totp-code-title"), "login"),
        csrf: viewer.csrf.clone(),
        next,
        problems,
        error,
    };
    render(&page, ctx, status)
}

/// Back to the password step, keeping where the person was going.
fn to_login(next: &str) -> Response {
    Redirect::to(&format!("/login?next={}", enc(next))).into_response()
}

/// Handles `GET /login/second-factor`.
pub async fn step_form(State(state): State<Shared>, headers: HeaderMap, ctx: Ctx) -> Response {
    let next = safe_next(ctx.query.get("next"));
    let viewer = match pending(&state, &headers).await {
        Ok(Some(viewer)) => viewer,
        Ok(None) => return to_login(&next),
        Err(errors) => return fail(&state, &ctx, errors),
    };
    match factor::needs(&state, &viewer.user).await {
        Ok(Needs::Code) => code_page(&state, &ctx, &viewer, next, None).await,
        Ok(_) => enrol_page(&state, &ctx, &viewer, next, "/login/second-factor", None).await,
        Err(errors) => fail(&state, &ctx, errors),
    }
}

/// Handles `POST /login/second-factor`.
pub async fn step(
    State(state): State<Shared>,
    ClientAddress(address): ClientAddress,
    headers: HeaderMap,
    Filled { ctx, form }: Filled,
) -> Response {
    let next = safe_next(form.get("next"));
    let viewer = match pending(&state, &headers).await {
        Ok(Some(viewer)) => viewer,
        Ok(None) => return to_login(&next),
        Err(errors) => return fail(&state, &ctx, errors),
    };
    if let Err(e) = viewer.check_csrf(form.get("csrf").map(String::as_str)) {
        return fail(&state, &ctx, e.into());
    }
    let code = form.get("code").cloned().unwrap_or_default();
    let needs = match factor::needs(&state, &viewer.user).await {
        Ok(needs) => needs,
        Err(errors) => return fail(&state, &ctx, errors),
    };
    let recovery_codes = if needs == Needs::Code {
        if let Err(errors) = factor::check_code(&state, &viewer.user, &code, &address).await {
            if status_of(&errors) == StatusCode::TOO_MANY_REQUESTS {
                return fail(&state, &ctx, errors);
            }
            return code_page(&state, &ctx, &viewer, next, Some(errors)).await;
        }
        None
    } else {
        match factor::confirm(&state, &viewer.user, &code).await {
            Ok(codes) => Some(codes),
            Err(errors) if status_of(&errors) == StatusCode::BAD_REQUEST => {
                let action = "/login/second-factor";
                return enrol_page(&state, &ctx, &viewer, next, action, Some(errors)).await;
            }
            Err(errors) => return fail(&state, &ctx, errors),
        }
    };
    let full_token = match complete_session(&state, &viewer).await {
        Ok(full_token) => full_token,
        Err(errors) => return fail(&state, &ctx, errors),
    };
    let response = match recovery_codes {
        None => Redirect::to(onward(&next, viewer.user.role)).into_response(),
        Some(codes) => {
            let page = RecoveryPage {
                page: ctx.page(&state, ctx.tr.msg("totp-recovery-title"), "login"),
                codes,
                next,
            };
            let mut response = render(&page, &ctx, StatusCode::OK);
            response.headers_mut().insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static("private, no-store"),
            );
            response
        }
    };
    with_session_cookie(&state, response, Some(&full_token))
}

/// The second step is done: the pending session becomes a full session
/// under a new token, which is returned.
async fn complete_session(state: &Shared, viewer: &Viewer) -> Res<String> {
    let full_token = token();
    let now = now_ms();
    state
        .store()?
        .complete_pending_session(
            &viewer.token_hash,
            &zige_cases::sha256_hex(full_token.as_bytes()),
            viewer.user.id,
            &token(),
            now,
            now + SESSION_MS,
        )
        .await
        .map_err(ApiError::from)?;
    Ok(full_token)
}

// ---------- the account's own page ----------

#[derive(Template)]
#[template(path = "cases/accounts/second_factor/account.html")]
struct AccountPage {
    page: Page,
    csrf: String,
    required: bool,
    recovery_left: i64,
    notice: Option<String>,
    problems: Vec<Problem>,
}

/// The account's factor page: enrolment when it has none, otherwise its
/// state and the form to remove it.
async fn account_status(
    state: &Shared,
    ctx: &Ctx,
    viewer: &Viewer,
    errors: Option<ApiErrors>,
) -> Response {
    let status: Status = match factor::status(state, &viewer.user).await {
        Ok(status) => status,
        Err(errors) => return fail(state, ctx, errors),
    };
    if !status.enabled {
        let next = "/account/second-factor?done=enrolled".to_string();
        return enrol_page(state, ctx, viewer, next, "/account/second-factor", errors).await;
    }
    let http_status = errors.as_ref().map_or(StatusCode::OK, status_of);
    let problems = errors
        .map(|errors| {
            errors
                .0
                .iter()
                .map(|error| Problem {
                    href: match error.field.as_deref() {
                        Some("password") => "#password".into(),
                        Some("code") => "#code".into(),
                        _ => String::new(),
                    },
                    text: said(&ctx.tr, error),
                })
                .collect()
        })
        .unwrap_or_default();
    let notice = match ctx.query.get("done").map(String::as_str) {
        Some("enrolled") => Some(ctx.tr.msg("totp-done-enrolled")),
        _ => None,
    };
    let page = AccountPage {
        page: ctx.page(state, ctx.tr.msg("totp-account-title"), "my"),
        csrf: viewer.csrf.clone(),
        required: status.required,
        recovery_left: status.recovery_left,
        notice,
        problems,
    };
    render(&page, ctx, http_status)
}

/// Handles `GET /account/second-factor`.
pub async fn account(State(state): State<Shared>, ctx: Ctx) -> Response {
    let Some(viewer) = ctx.viewer.clone() else {
        return ctx.login();
    };
    account_status(&state, &ctx, &viewer, None).await
}

/// Handles `POST /account/second-factor`.
pub async fn account_confirm(
    State(state): State<Shared>,
    Posted { ctx, form, viewer }: Posted,
) -> Response {
    let code = form.get("code").cloned().unwrap_or_default();
    match factor::confirm(&state, &viewer.user, &code).await {
        Ok(codes) => {
            let page = RecoveryPage {
                page: ctx.page(&state, ctx.tr.msg("totp-recovery-title"), "my"),
                codes,
                next: "/account/second-factor?done=enrolled".into(),
            };
            render(&page, &ctx, StatusCode::OK)
        }
        Err(errors) if status_of(&errors) == StatusCode::BAD_REQUEST => {
            account_status(&state, &ctx, &viewer, Some(errors)).await
        }
        Err(errors) => fail(&state, &ctx, errors),
    }
}

/// Handles `GET /account/second-factor/remove`.
pub async fn to_account() -> Redirect {
    Redirect::to("/account/second-factor")
}

/// Handles `POST /account/second-factor/remove`.
pub async fn account_remove(
    State(state): State<Shared>,
    ClientAddress(address): ClientAddress,
    Posted { ctx, form, viewer }: Posted,
) -> Response {
    let field = |key: &str| form.get(key).cloned().unwrap_or_default();
    match factor::remove(
        &state,
        &viewer,
        &field("password"),
        &field("code"),
        &address,
    )
    .await
    {
        Ok(()) => Redirect::to("/my?done=updated").into_response(),
        Err(errors) if matches!(status_of(&errors).as_u16(), 401 | 409) => {
            account_status(&state, &ctx, &viewer, Some(errors)).await
        }
        Err(errors) => fail(&state, &ctx, errors),
    }
}
