//! The pages of the second factor: the second step of signing in (a code
//! or, for staff without a factor, enrolment with a QR code), the
//! recovery codes shown once, the account's own page (applicants may set
//! one up and remove it) and the admin's reset of a lost factor.
//!
//! Until the second step is done the browser holds only a pending session
//! (ten minutes), which opens no other page and no API.

use std::net::SocketAddr;

use askama::Template;
use axum::extract::{ConnectInfo, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use zige_cases::Role;

use crate::auth::{self, now_ms, Via, Viewer};
use crate::cases::{self, Credentials, Res};
use crate::error::{ApiError, ApiErrors};
use crate::render::{
    fail, forbidden, render, said, status_of, Admin, ConfirmPage, Ctx, Filled, Page, Posted,
    Problem,
};
use crate::second_factor::{self as sf, Needs};
use crate::state::Shared;

pub fn routes() -> Router<Shared> {
    Router::new()
        .route("/login/second-factor", get(step_form).post(step))
        .route("/account/second-factor", get(account).post(account_confirm))
        .route(
            "/account/second-factor/remove",
            get(|| async { Redirect::to("/account/second-factor") }).post(account_remove),
        )
        .route(
            "/admin/users/{id}/second-factor/reset",
            get(reset_form).post(reset),
        )
}

/// A local path to return to; anything else is `/my`.
fn safe_next(next: Option<&String>) -> String {
    match next {
        Some(n)
            if n.starts_with('/')
                && !n.starts_with("//")
                && !n.contains('\\')
                && !n.chars().any(char::is_control) =>
        {
            n.clone()
        }
        _ => "/my".into(),
    }
}

fn peer(ci: Option<axum::Extension<ConnectInfo<SocketAddr>>>) -> Option<SocketAddr> {
    ci.map(|c| c.0 .0)
}

fn with_cookie(s: &Shared, mut r: Response, token: Option<&str>) -> Response {
    let secure = s.cases.as_ref().is_some_and(|c| c.secure_cookies);
    if let Ok(v) = HeaderValue::from_str(&auth::session_cookie(token, secure)) {
        r.headers_mut().insert(header::SET_COOKIE, v);
    }
    r
}

/// The sign-in form's work after a correct password: a full session for
/// an account without a factor; otherwise a pending session and the
/// second step.
pub async fn sign_in(s: &Shared, cred: &Credentials, address: &str, next: &str) -> Res<Response> {
    let user = cases::check_password(s, cred, address).await?;
    if sf::needs(s, &user).await? == Needs::Nothing {
        cases::forget_failures(s, &user.email, address).await?;
        let session = cases::start_session(s, &user).await?;
        return Ok(with_cookie(
            s,
            Redirect::to(next).into_response(),
            Some(&session.token),
        ));
    }
    let token = auth::token();
    s.store()?
        .create_pending_session(
            &zige_cases::sha256_hex(token.as_bytes()),
            user.id,
            &auth::token(),
            now_ms(),
        )
        .await
        .map_err(ApiError::from)?;
    let to = format!("/login/second-factor?next={}", crate::render::enc(next));
    Ok(with_cookie(
        s,
        Redirect::to(&to).into_response(),
        Some(&token),
    ))
}

/// The pending session of this browser, as a viewer (for its CSRF token).
async fn pending(s: &Shared, headers: &HeaderMap) -> Result<Option<Viewer>, ApiErrors> {
    let Some(token) = auth::cookie_value(headers, auth::COOKIE) else {
        return Ok(None);
    };
    if token.is_empty() || token.len() > 200 {
        return Ok(None);
    }
    let token_hash = zige_cases::sha256_hex(token.as_bytes());
    let found = s
        .store()?
        .pending_session(&token_hash, now_ms())
        .await
        .map_err(ApiError::from)?;
    Ok(found.map(|p| Viewer {
        user: p.user,
        csrf: p.csrf,
        via: Via::Cookie,
        token_hash,
    }))
}

#[derive(Template)]
#[template(path = "totp_code.html")]
struct CodePage {
    page: Page,
    csrf: String,
    next: String,
    problems: Vec<Problem>,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "totp_enrol.html")]
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
#[template(path = "totp_recovery.html")]
struct RecoveryPage {
    page: Page,
    codes: Vec<String>,
    next: String,
}

fn problems_of(c: &Ctx, errs: &ApiErrors) -> (Vec<Problem>, Option<String>) {
    let problems: Vec<Problem> = errs
        .0
        .iter()
        .map(|e| Problem {
            href: if e.field.as_deref() == Some("code") {
                "#code".into()
            } else {
                String::new()
            },
            text: said(&c.tr, e),
        })
        .collect();
    let error = errs
        .0
        .iter()
        .find(|e| e.field.as_deref() == Some("code"))
        .map(|e| said(&c.tr, e));
    (problems, error)
}

async fn enrol_page(
    s: &Shared,
    c: &Ctx,
    v: &Viewer,
    next: String,
    action: &str,
    errs: Option<ApiErrors>,
) -> Response {
    let e = match sf::begin(s, &v.user).await {
        Ok(e) => e,
        Err(errs) => return fail(s, c, errs),
    };
    let status = errs.as_ref().map_or(StatusCode::OK, status_of);
    let (problems, error) = errs.map(|x| problems_of(c, &x)).unwrap_or_default();
    let page = EnrolPage {
        page: c.page(s, c.tr.msg("totp-enrol-title"), "login"),
        csrf: v.csrf.clone(),
        next,
        action: action.into(),
        qr: crate::cases_pages::qr_svg(&e.uri, &c.tr.msg("totp-qr-name")),
        grouped: e.grouped,
        staff: sf::required(v.user.role),
        problems,
        error,
    };
    render(&page, c, status)
}

async fn code_page(
    s: &Shared,
    c: &Ctx,
    v: &Viewer,
    next: String,
    errs: Option<ApiErrors>,
) -> Response {
    let status = errs.as_ref().map_or(StatusCode::OK, status_of);
    let (problems, error) = errs.map(|x| problems_of(c, &x)).unwrap_or_default();
    let page = CodePage {
        page: c.page(s, c.tr.msg("totp-code-title"), "login"),
        csrf: v.csrf.clone(),
        next,
        problems,
        error,
    };
    render(&page, c, status)
}

async fn step_form(State(s): State<Shared>, headers: HeaderMap, c: Ctx) -> Response {
    let next = safe_next(c.query.get("next"));
    let v = match pending(&s, &headers).await {
        Ok(Some(v)) => v,
        Ok(None) => {
            return Redirect::to(&format!("/login?next={}", crate::render::enc(&next)))
                .into_response()
        }
        Err(e) => return fail(&s, &c, e),
    };
    match sf::needs(&s, &v.user).await {
        Ok(Needs::Code) => code_page(&s, &c, &v, next, None).await,
        Ok(_) => enrol_page(&s, &c, &v, next, "/login/second-factor", None).await,
        Err(e) => fail(&s, &c, e),
    }
}

async fn step(
    State(s): State<Shared>,
    ci: Option<axum::Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    Filled { ctx: c, form: f }: Filled,
) -> Response {
    let next = safe_next(f.get("next"));
    let v = match pending(&s, &headers).await {
        Ok(Some(v)) => v,
        Ok(None) => {
            return Redirect::to(&format!("/login?next={}", crate::render::enc(&next)))
                .into_response()
        }
        Err(e) => return fail(&s, &c, e),
    };
    if let Err(e) = v.check_csrf(f.get("csrf").map(String::as_str)) {
        return fail(&s, &c, e.into());
    }
    let code = f.get("code").cloned().unwrap_or_default();
    let needs = match sf::needs(&s, &v.user).await {
        Ok(n) => n,
        Err(e) => return fail(&s, &c, e),
    };
    let address = auth::client_address(&headers, peer(ci), &s.trusted_proxies);
    let codes = if needs == Needs::Code {
        if let Err(errs) = sf::check_code(&s, &v.user, &code, &address).await {
            if status_of(&errs) == StatusCode::TOO_MANY_REQUESTS {
                return fail(&s, &c, errs);
            }
            return code_page(&s, &c, &v, next, Some(errs)).await;
        }
        None
    } else {
        match sf::confirm(&s, &v.user, &code).await {
            Ok(codes) => Some(codes),
            Err(errs) if status_of(&errs) == StatusCode::BAD_REQUEST => {
                return enrol_page(&s, &c, &v, next, "/login/second-factor", Some(errs)).await
            }
            Err(errs) => return fail(&s, &c, errs),
        }
    };
    // The second step is done: a full session under a new token.
    let token = auth::token();
    let now = now_ms();
    let done = match s.store() {
        Ok(store) => store
            .complete_pending_session(
                &v.token_hash,
                &zige_cases::sha256_hex(token.as_bytes()),
                v.user.id,
                &auth::token(),
                now,
                now + auth::SESSION_MS,
            )
            .await
            .map_err(|e| ApiErrors::from(ApiError::from(e))),
        Err(e) => Err(e.into()),
    };
    if let Err(e) = done {
        return fail(&s, &c, e);
    }
    let r = match codes {
        None => Redirect::to(&next).into_response(),
        Some(codes) => {
            let page = RecoveryPage {
                page: c.page(&s, c.tr.msg("totp-recovery-title"), "login"),
                codes,
                next,
            };
            let mut r = render(&page, &c, StatusCode::OK);
            r.headers_mut().insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static("private, no-store"),
            );
            r
        }
    };
    with_cookie(&s, r, Some(&token))
}

// ---------- the account's own page ----------

#[derive(Template)]
#[template(path = "totp_account.html")]
struct AccountPage {
    page: Page,
    csrf: String,
    required: bool,
    recovery_left: i64,
    notice: Option<String>,
    problems: Vec<Problem>,
}

async fn account_status(s: &Shared, c: &Ctx, v: &Viewer, errs: Option<ApiErrors>) -> Response {
    let st = match sf::status(s, &v.user).await {
        Ok(st) => st,
        Err(e) => return fail(s, c, e),
    };
    if !st.enabled {
        return enrol_page(
            s,
            c,
            v,
            "/account/second-factor?done=enrolled".into(),
            "/account/second-factor",
            errs,
        )
        .await;
    }
    let status = errs.as_ref().map_or(StatusCode::OK, status_of);
    let problems = errs
        .map(|x| {
            x.0.iter()
                .map(|e| Problem {
                    href: match e.field.as_deref() {
                        Some("password") => "#password".into(),
                        Some("code") => "#code".into(),
                        _ => String::new(),
                    },
                    text: said(&c.tr, e),
                })
                .collect()
        })
        .unwrap_or_default();
    let notice = match c.query.get("done").map(String::as_str) {
        Some("enrolled") => Some(c.tr.msg("totp-done-enrolled")),
        _ => None,
    };
    let page = AccountPage {
        page: c.page(s, c.tr.msg("totp-account-title"), "my"),
        csrf: v.csrf.clone(),
        required: st.required,
        recovery_left: st.recovery_left,
        notice,
        problems,
    };
    render(&page, c, status)
}

async fn account(State(s): State<Shared>, c: Ctx) -> Response {
    let Some(v) = c.viewer.clone() else {
        return c.login();
    };
    account_status(&s, &c, &v, None).await
}

async fn account_confirm(
    State(s): State<Shared>,
    Posted {
        ctx: c,
        form: f,
        viewer: v,
    }: Posted,
) -> Response {
    let code = f.get("code").cloned().unwrap_or_default();
    match sf::confirm(&s, &v.user, &code).await {
        Ok(codes) => {
            let page = RecoveryPage {
                page: c.page(&s, c.tr.msg("totp-recovery-title"), "my"),
                codes,
                next: "/account/second-factor?done=enrolled".into(),
            };
            render(&page, &c, StatusCode::OK)
        }
        Err(errs) if status_of(&errs) == StatusCode::BAD_REQUEST => {
            account_status(&s, &c, &v, Some(errs)).await
        }
        Err(errs) => fail(&s, &c, errs),
    }
}

async fn account_remove(
    State(s): State<Shared>,
    ci: Option<axum::Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    Posted {
        ctx: c,
        form: f,
        viewer: v,
    }: Posted,
) -> Response {
    let get = |k: &str| f.get(k).cloned().unwrap_or_default();
    let address = auth::client_address(&headers, peer(ci), &s.trusted_proxies);
    match sf::remove(&s, &v, &get("password"), &get("code"), &address).await {
        Ok(()) => Redirect::to("/my?done=updated").into_response(),
        Err(errs) if matches!(status_of(&errs).as_u16(), 401 | 409) => {
            account_status(&s, &c, &v, Some(errs)).await
        }
        Err(errs) => fail(&s, &c, errs),
    }
}

// ---------- an admin resets a lost factor ----------

fn user_id(c: &Ctx) -> Option<i64> {
    c.path
        .strip_prefix("/admin/users/")?
        .split('/')
        .next()?
        .parse::<i64>()
        .ok()
        .filter(|n| *n > 0)
}

async fn reset_form(State(s): State<Shared>, Admin { ctx: c, viewer: v }: Admin) -> Response {
    let Some(id) = user_id(&c) else {
        return crate::render::not_found(&s, &c);
    };
    let user = match s.store() {
        Ok(st) => st.user(id).await.ok().flatten(),
        Err(_) => None,
    };
    let Some(user) = user else {
        return crate::render::not_found(&s, &c);
    };
    let t = c.tr;
    let heading = t.msg("totp-reset-title");
    let page = ConfirmPage {
        page: c.page(&s, heading.clone(), "admin"),
        csrf: v.csrf.clone(),
        heading,
        text: t.with("totp-reset-text", &[("email", user.email.clone())]),
        action: format!("/admin/users/{id}/second-factor/reset"),
        button: t.msg("totp-reset-button"),
        cancel: "/admin/users".into(),
        with_reason: false,
    };
    render(&page, &c, StatusCode::OK)
}

async fn reset(
    State(s): State<Shared>,
    Posted {
        ctx: c, viewer: v, ..
    }: Posted,
) -> Response {
    if !v.is(Role::Admin) {
        return forbidden(&s, &c);
    }
    let Some(id) = user_id(&c) else {
        return crate::render::not_found(&s, &c);
    };
    match sf::reset(&s, &v, id).await {
        Ok(()) if id == v.user.id => with_cookie(&s, Redirect::to("/login").into_response(), None),
        Ok(()) => Redirect::to("/admin/users?done=updated").into_response(),
        Err(errs) => fail(&s, &c, errs),
    }
}
