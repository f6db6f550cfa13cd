//! The page frame every page shares, the catalogue's and the cases': the
//! request's language, address and viewer ([`Ctx`] and the form extractors
//! built on it), the layout's data ([`Page`]), rendering, and the error page.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{FromRequest, FromRequestParts, Query, Request};
use axum::http::request::Parts;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use zige_cases::Role;

use crate::cases::accounts::sessions::{self, Viewer};
use crate::error::{ApiError, ApiErrors};
use crate::i18n::{negotiate, Tr};
use crate::local_time::Clock;
use crate::state::Shared;

pub type Params = HashMap<String, String>;

/// Percent-encodes a query component.
pub fn enc(text: &str) -> String {
    let mut out = String::new();
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(byte as char)
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

/// The signed-in account as the header shows it.
pub struct Me {
    pub email: String,
    pub reviews: bool,
    pub admin: bool,
    /// Reads the statistics and reports (officials, admins).
    pub statistics: bool,
    pub csrf: String,
}

impl Me {
    fn of(viewer: &Viewer) -> Me {
        Me {
            email: viewer.user.email.clone(),
            reviews: viewer.user.role.reviews(),
            admin: viewer.is(Role::Admin),
            statistics: viewer.user.role.reads_statistics(),
            csrf: viewer.csrf.clone(),
        }
    }
}

/// What every page's layout needs.
pub struct Page {
    pub tr: Tr,
    pub title: String,
    pub nav: &'static str,
    /// This very page in the other language.
    pub here: String,
    pub source: String,
    /// The signed-in account, for the header.
    pub me: Option<Me>,
}

/// The footer's words on the source of what a page shows.
fn source(tr: &Tr, catalog: &zige_catalog::Catalog) -> String {
    tr.with(
        "footer-source",
        &[
            ("title", tr.pick(&catalog.title)),
            ("published", catalog.published.clone()),
        ],
    )
}

impl Page {
    /// The page shows `catalog`, not the edition in force: the footer says so.
    pub fn showing(mut self, catalog: &zige_catalog::Catalog) -> Page {
        self.source = source(&self.tr, catalog);
        self
    }
}

/// One request's language, query, address and viewer. As an extractor a
/// failed session lookup is an error page; [`Public`] reads it leniently.
pub struct Ctx {
    pub tr: Tr,
    /// The language was chosen with `?lang=` (and is remembered).
    pub chosen: bool,
    pub query: Params,
    pub path: String,
    pub viewer: Option<Viewer>,
    /// Shows times in the configured zone, the zone named.
    pub clock: Clock,
}

/// The query's pairs but those named in `skip`, sorted, each encoded as
/// `key=value`.
pub fn sorted_pairs(query: &Params, skip: &[&str]) -> Vec<String> {
    let mut pairs: Vec<(&String, &String)> = query
        .iter()
        .filter(|(k, _)| !skip.contains(&k.as_str()))
        .collect();
    pairs.sort();
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
        .collect()
}

impl Ctx {
    async fn read(parts: &Parts, state: &Shared, strict: bool) -> Result<Ctx, Response> {
        let query = Query::<Params>::try_from_uri(&parts.uri)
            .map(|Query(query)| query)
            .map_err(IntoResponse::into_response)?;
        let (lang, chosen) = negotiate(query.get("lang").map(String::as_str), &parts.headers);
        let mut ctx = Ctx {
            tr: Tr { lang },
            chosen,
            query,
            path: parts.uri.path().to_string(),
            viewer: None,
            clock: state.settings.clock.clone(),
        };
        match sessions::viewer(state, &parts.headers).await {
            Ok(viewer) => ctx.viewer = viewer,
            Err(e) if strict => return Err(fail(state, &ctx, e.into())),
            // The catalogue answers even when sessions cannot be read.
            Err(e) => tracing::warn!(error = %e.detail, "could not read the session"),
        }
        Ok(ctx)
    }

    /// The session's CSRF token, for the page's forms (empty when signed out).
    pub fn csrf(&self) -> String {
        self.viewer
            .as_ref()
            .map(|v| v.csrf.clone())
            .unwrap_or_default()
    }

    fn me(&self) -> Option<Me> {
        self.viewer.as_ref().map(Me::of)
    }

    /// The layout's data; `here` switches the language of this very page.
    pub fn page(&self, state: &Shared, title: String, nav: &'static str) -> Page {
        self.page_at(state, title, nav, &self.path)
    }

    /// The layout's data of the page at `path` (when a form posted
    /// elsewhere shows it again).
    pub fn page_at(&self, state: &Shared, title: String, nav: &'static str, path: &str) -> Page {
        let catalog = state.current().catalog;
        let mut here = format!("{path}?");
        for pair in sorted_pairs(&self.query, &["lang", "done"]) {
            here.push_str(&pair);
            here.push('&');
        }
        here.push_str(&format!("lang={}", self.tr.other()));
        Page {
            tr: self.tr,
            title,
            nav,
            here,
            source: source(&self.tr, catalog),
            me: self.me(),
        }
    }

    /// This page's address, for coming back after signing in.
    pub fn back(&self) -> String {
        let query = sorted_pairs(&self.query, &["lang"]);
        if query.is_empty() {
            self.path.clone()
        } else {
            format!("{}?{}", self.path, query.join("&"))
        }
    }

    /// Not signed in: to the sign-in page, and back here afterwards.
    pub fn login(&self) -> Response {
        to_login(&self.back())
    }
}

impl FromRequestParts<Shared> for Ctx {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &Shared) -> Result<Ctx, Response> {
        Ctx::read(parts, state, true).await
    }
}

/// The context of a public page: one that answers even when sessions
/// cannot be read (the person is then shown as not signed in).
pub struct Public(pub Ctx);

impl FromRequestParts<Shared> for Public {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &Shared) -> Result<Public, Response> {
        Ctx::read(parts, state, false).await.map(Public)
    }
}

/// A posted form with the request's context (forms anyone may send:
/// signing in, registering). A body that is not a form is a 400 page.
pub struct Filled {
    pub ctx: Ctx,
    pub form: Params,
}

impl FromRequest<Shared> for Filled {
    type Rejection = Response;

    async fn from_request(req: Request, state: &Shared) -> Result<Filled, Response> {
        let (mut parts, body) = req.into_parts();
        let ctx = Ctx::from_request_parts(&mut parts, state).await?;
        match Form::<Params>::from_request(Request::from_parts(parts, body), state).await {
            Ok(Form(form)) => Ok(Filled { ctx, form }),
            Err(e) => Err(fail(
                state,
                &ctx,
                ApiError::invalid("form", &e.body_text(), "an HTML form").into(),
            )),
        }
    }
}

/// A form posted by a signed-in person with their session's CSRF token:
/// the request's context, the fields and the viewer. Extracting it answers
/// for the handler when anything is wrong: not signed in (to the sign-in
/// page and back), not a form (400), a missing or wrong token (403).
pub struct Posted {
    pub ctx: Ctx,
    pub form: Params,
    pub viewer: Viewer,
}

impl FromRequest<Shared> for Posted {
    type Rejection = Response;

    async fn from_request(req: Request, state: &Shared) -> Result<Posted, Response> {
        let Filled { ctx, form } = Filled::from_request(req, state).await?;
        let Some(viewer) = ctx.viewer.clone() else {
            return Err(ctx.login());
        };
        viewer
            .check_csrf(form.get("csrf").map(String::as_str))
            .map_err(|e| fail(state, &ctx, e.into()))?;
        Ok(Posted { ctx, form, viewer })
    }
}

/// An administrator's request: others are sent to sign in, or refused.
pub struct Admin {
    pub ctx: Ctx,
    pub viewer: Viewer,
}

impl FromRequestParts<Shared> for Admin {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &Shared) -> Result<Admin, Response> {
        let ctx = Ctx::from_request_parts(parts, state).await?;
        match ctx.viewer.clone() {
            None => Err(ctx.login()),
            Some(viewer) if !viewer.is(Role::Admin) => Err(forbidden(state, &ctx)),
            Some(viewer) => Ok(Admin { ctx, viewer }),
        }
    }
}

/// To the sign-in page, and to `next` afterwards.
pub fn to_login(next: &str) -> Response {
    Redirect::to(&format!("/login?next={}", enc(next))).into_response()
}

/// Renders a page, remembering a language chosen with `?lang=`. A page
/// for a signed-in person is never stored (it holds the account and its
/// CSRF token); the others are revalidated.
pub fn render(template: &impl Template, ctx: &Ctx, status: StatusCode) -> Response {
    match render_html(template) {
        Ok(html) => respond_html(html.into(), ctx, status),
        Err(response) => response,
    }
}

/// A page's HTML, or the 500 of a template that failed.
pub fn render_html(template: &impl Template) -> Result<String, Response> {
    template.render().map_err(|e| {
        tracing::error!(error = %e, "template error");
        (StatusCode::INTERNAL_SERVER_ERROR, "template error").into_response()
    })
}

/// Rendered HTML with the headers of [`render`].
pub fn respond_html(html: axum::body::Bytes, ctx: &Ctx, status: StatusCode) -> Response {
    let mut response = (
        status,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        html,
    )
        .into_response();
    let headers = response.headers_mut();
    if ctx.chosen {
        if let Ok(cookie) = HeaderValue::from_str(&format!(
            "{}={}; Path=/; Max-Age=31536000; SameSite=Lax",
            crate::i18n::COOKIE,
            ctx.tr.lang.code()
        )) {
            headers.insert(header::SET_COOKIE, cookie);
        }
    }
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(if ctx.viewer.is_some() {
            "private, no-store"
        } else {
            "no-cache"
        }),
    );
    headers.insert(
        header::VARY,
        HeaderValue::from_static("Accept-Language, Cookie"),
    );
    response
}

/// 400 when a page says what was asked is wrong, else 200.
pub fn asked_well(error: &Option<String>) -> StatusCode {
    match error {
        Some(_) => StatusCode::BAD_REQUEST,
        None => StatusCode::OK,
    }
}

/// The status of a failure: its first error's (400 if none says).
pub fn status_of(errs: &ApiErrors) -> StatusCode {
    errs.0
        .first()
        .and_then(|e| StatusCode::from_u16(e.status).ok())
        .unwrap_or(StatusCode::BAD_REQUEST)
}

/// A message in the page's language.
pub fn said(tr: &Tr, error: &ApiError) -> String {
    error.message.get(tr.lang).to_string()
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    page: Page,
    heading: String,
    messages: Vec<String>,
}

/// The error page's heading for a status.
fn error_heading(status: StatusCode) -> &'static str {
    match status.as_u16() {
        404 => "notfound-title",
        403 => "err-forbidden",
        409 => "err-conflict",
        413 => "err-too-large",
        415 => "err-media-type",
        429 => "err-too-many",
        503 => "err-unavailable",
        400 => "err-bad-request",
        _ => "error-title",
    }
}

/// The error page for a failure: 404 tells nothing, 401 asks to sign in,
/// the others say what went wrong in the page's language.
pub fn fail(state: &Shared, ctx: &Ctx, errs: ApiErrors) -> Response {
    let status = status_of(&errs);
    let tr = ctx.tr;
    if status == StatusCode::UNAUTHORIZED && ctx.viewer.is_none() {
        return ctx.login();
    }
    let key = error_heading(status);
    let messages = if status == StatusCode::NOT_FOUND {
        vec![tr.msg("notfound-text")]
    } else {
        errs.0.iter().map(|e| said(&tr, e)).collect()
    };
    let page = ErrorPage {
        page: ctx.page(state, tr.msg(key), ""),
        heading: tr.msg(key),
        messages,
    };
    render(&page, ctx, status)
}

/// The 404 page of this address.
pub fn not_found(state: &Shared, ctx: &Ctx) -> Response {
    fail(
        state,
        ctx,
        ApiError::not_found("page", &ctx.path, Vec::new()).into(),
    )
}

/// The 403 page.
pub fn forbidden(state: &Shared, ctx: &Ctx) -> Response {
    fail(state, ctx, ApiError::forbidden().into())
}

/// What the page says after an action (`?done=`).
pub fn notice(tr: &Tr, query: &Params) -> Option<String> {
    let key = match query.get("done").map(String::as_str)? {
        "saved" => "done-saved",
        "submitted" => "done-submitted",
        "uploaded" => "done-uploaded",
        "withdrawn" => "done-withdrawn",
        "deleted" => "done-deleted",
        "decided" => "done-decided",
        "assigned" => "done-assigned",
        "noted" => "done-noted",
        "updated" => "done-updated",
        "revoked" => "done-revoked",
        "registered" => "done-registered",
        "imported" => "done-imported",
        "overlay" => "done-overlay",
        "published" => "done-published",
        "discarded" => "done-discarded",
        "mail-sent" => "done-mail-sent",
        "preferences" => "done-preferences",
        "template-added" => "done-template-added",
        "template-saved" => "done-template-saved",
        "template-deleted" => "done-template-deleted",
        _ => return None,
    };
    Some(tr.msg(key))
}

/// A problem to show in a summary, linking to its field.
pub struct Problem {
    pub href: String,
    pub text: String,
}

/// A question before something that cannot be undone.
#[derive(Template)]
#[template(path = "confirm.html")]
pub struct ConfirmPage {
    pub page: Page,
    pub csrf: String,
    pub heading: String,
    pub text: String,
    pub action: String,
    pub button: String,
    pub cancel: String,
    pub with_reason: bool,
}
