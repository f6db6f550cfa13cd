//! What every page shares, the catalogue's and the cases': the request's
//! language, address and viewer ([`Ctx`], an extractor), the layout's data
//! ([`Page`]), rendering, and the error page.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{FromRequest, FromRequestParts, Multipart, Query, Request};
use axum::http::request::Parts;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Form;
use zige_cases::Role;

use crate::auth::{self, Viewer};
use crate::error::{ApiError, ApiErrors};
use crate::i18n::{negotiate, Tr};
use crate::state::Shared;

pub type Params = HashMap<String, String>;

/// Percent-encodes a query component.
pub fn enc(s: &str) -> String {
    let mut o = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                o.push(b as char)
            }
            _ => o.push_str(&format!("%{b:02X}")),
        }
    }
    o
}

/// The signed-in account as the header shows it.
pub struct Me {
    pub email: String,
    pub reviews: bool,
    pub admin: bool,
    pub csrf: String,
}

impl Me {
    fn of(v: &Viewer) -> Me {
        Me {
            email: v.user.email.clone(),
            reviews: v.user.role.reviews(),
            admin: v.is(Role::Admin),
            csrf: v.csrf.clone(),
        }
    }
}

/// What every page's layout needs.
pub struct Page {
    pub t: Tr,
    pub title: String,
    pub nav: &'static str,
    /// This very page in the other language.
    pub here: String,
    pub source: String,
    /// The signed-in account, for the header.
    pub me: Option<Me>,
}

/// The footer's words on the source of what a page shows.
fn source(t: &Tr, c: &zige_catalog::Catalog) -> String {
    t.with(
        "footer-source",
        &[("title", t.b(&c.title)), ("published", c.published.clone())],
    )
}

impl Page {
    /// The page shows `catalog`, not the edition in force: the footer says so.
    pub fn showing(mut self, catalog: &zige_catalog::Catalog) -> Page {
        self.source = source(&self.t, catalog);
        self
    }
}

/// One request's language, query, address and viewer. As an extractor a
/// failed session lookup is an error page; [`Public`] reads it leniently.
pub struct Ctx {
    pub t: Tr,
    /// The language was chosen with `?lang=` (and is remembered).
    pub chosen: bool,
    pub q: Params,
    pub path: String,
    pub viewer: Option<Viewer>,
}

impl Ctx {
    async fn read(parts: &Parts, s: &Shared, strict: bool) -> Result<Ctx, Response> {
        let q = Query::<Params>::try_from_uri(&parts.uri)
            .map(|Query(q)| q)
            .map_err(IntoResponse::into_response)?;
        let (lang, chosen) = negotiate(q.get("lang").map(String::as_str), &parts.headers);
        let mut c = Ctx {
            t: Tr { lang },
            chosen,
            q,
            path: parts.uri.path().to_string(),
            viewer: None,
        };
        match auth::viewer(s, &parts.headers).await {
            Ok(v) => c.viewer = v,
            Err(e) if strict => return Err(fail(s, &c, e.into())),
            // The catalogue answers even when sessions cannot be read.
            Err(e) => tracing::warn!(error = %e.detail, "could not read the session"),
        }
        Ok(c)
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
    pub fn page(&self, s: &Shared, title: String, nav: &'static str) -> Page {
        self.page_at(s, title, nav, &self.path)
    }

    /// The layout's data of the page at `path` (when a form posted
    /// elsewhere shows it again).
    pub fn page_at(&self, s: &Shared, title: String, nav: &'static str, path: &str) -> Page {
        let c = s.current().catalog;
        let mut q: Vec<(&String, &String)> = self
            .q
            .iter()
            .filter(|(k, _)| *k != "lang" && *k != "done")
            .collect();
        q.sort();
        let mut here = format!("{path}?");
        for (k, v) in q {
            here.push_str(&format!("{}={}&", enc(k), enc(v)));
        }
        here.push_str(&format!("lang={}", self.t.other()));
        Page {
            t: self.t,
            title,
            nav,
            here,
            source: source(&self.t, c),
            me: self.me(),
        }
    }

    /// This page's address, for coming back after signing in.
    pub fn back(&self) -> String {
        let mut q: Vec<(&String, &String)> = self.q.iter().filter(|(k, _)| *k != "lang").collect();
        q.sort();
        if q.is_empty() {
            self.path.clone()
        } else {
            let query: Vec<String> = q
                .iter()
                .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
                .collect();
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

    async fn from_request_parts(parts: &mut Parts, s: &Shared) -> Result<Ctx, Response> {
        Ctx::read(parts, s, true).await
    }
}

/// The context of a public page: one that answers even when sessions
/// cannot be read (the person is then shown as not signed in).
pub struct Public(pub Ctx);

impl FromRequestParts<Shared> for Public {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, s: &Shared) -> Result<Public, Response> {
        Ctx::read(parts, s, false).await.map(Public)
    }
}

/// A posted form with the request's context (forms anyone may send:
/// signing in, registering). A body that is not a form is a 400 page.
pub struct Filled {
    pub c: Ctx,
    pub f: Params,
}

impl FromRequest<Shared> for Filled {
    type Rejection = Response;

    async fn from_request(req: Request, s: &Shared) -> Result<Filled, Response> {
        let (mut parts, body) = req.into_parts();
        let c = Ctx::from_request_parts(&mut parts, s).await?;
        match Form::<Params>::from_request(Request::from_parts(parts, body), s).await {
            Ok(Form(f)) => Ok(Filled { c, f }),
            Err(e) => Err(fail(
                s,
                &c,
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
    pub c: Ctx,
    pub f: Params,
    pub v: Viewer,
}

impl FromRequest<Shared> for Posted {
    type Rejection = Response;

    async fn from_request(req: Request, s: &Shared) -> Result<Posted, Response> {
        let Filled { c, f } = Filled::from_request(req, s).await?;
        let Some(v) = c.viewer.clone() else {
            return Err(c.login());
        };
        v.check_csrf(f.get("csrf").map(String::as_str))
            .map_err(|e| fail(s, &c, e.into()))?;
        Ok(Posted { c, f, v })
    }
}

/// An administrator's request: others are sent to sign in, or refused.
pub struct Admin {
    pub c: Ctx,
    pub v: Viewer,
}

impl FromRequestParts<Shared> for Admin {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, s: &Shared) -> Result<Admin, Response> {
        let c = Ctx::from_request_parts(parts, s).await?;
        match c.viewer.clone() {
            None => Err(c.login()),
            Some(v) if !v.is(Role::Admin) => Err(forbidden(s, &c)),
            Some(v) => Ok(Admin { c, v }),
        }
    }
}

pub fn to_login(next: &str) -> Response {
    Redirect::to(&format!("/login?next={}", enc(next))).into_response()
}

/// Renders a page, remembering a language chosen with `?lang=`. A page
/// for a signed-in person is never stored (it holds the account and its
/// CSRF token); the others are revalidated.
pub fn render(tpl: &impl Template, c: &Ctx, status: StatusCode) -> Response {
    match tpl.render() {
        Ok(html) => {
            let mut r = (status, Html(html)).into_response();
            let h = r.headers_mut();
            if c.chosen {
                if let Ok(v) = HeaderValue::from_str(&format!(
                    "{}={}; Path=/; Max-Age=31536000; SameSite=Lax",
                    crate::i18n::COOKIE,
                    c.t.lang.code()
                )) {
                    h.insert(header::SET_COOKIE, v);
                }
            }
            h.insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static(if c.viewer.is_some() {
                    "private, no-store"
                } else {
                    "no-cache"
                }),
            );
            h.insert(
                header::VARY,
                HeaderValue::from_static("Accept-Language, Cookie"),
            );
            r
        }
        Err(e) => {
            tracing::error!(error = %e, "template error");
            (StatusCode::INTERNAL_SERVER_ERROR, "template error").into_response()
        }
    }
}

pub fn status_of(errs: &ApiErrors) -> StatusCode {
    errs.0
        .first()
        .and_then(|e| StatusCode::from_u16(e.status).ok())
        .unwrap_or(StatusCode::BAD_REQUEST)
}

/// A message in the page's language.
pub fn said(t: &Tr, e: &ApiError) -> String {
    e.message.get(t.lang).to_string()
}

#[derive(Template)]
#[template(path = "case_error.html")]
struct ErrorPage {
    p: Page,
    heading: String,
    messages: Vec<String>,
}

/// The error page for a failure: 404 tells nothing, 401 asks to sign in,
/// the others say what went wrong in the page's language.
pub fn fail(s: &Shared, c: &Ctx, errs: ApiErrors) -> Response {
    let status = status_of(&errs);
    let t = c.t;
    if status == StatusCode::UNAUTHORIZED && c.viewer.is_none() {
        return c.login();
    }
    let key = match status.as_u16() {
        404 => "notfound-title",
        403 => "err-forbidden",
        409 => "err-conflict",
        413 => "err-too-large",
        415 => "err-media-type",
        429 => "err-too-many",
        503 => "err-unavailable",
        400 => "err-bad-request",
        _ => "error-title",
    };
    let messages = if status == StatusCode::NOT_FOUND {
        vec![t.s("notfound-text")]
    } else {
        errs.0.iter().map(|e| said(&t, e)).collect()
    };
    let page = ErrorPage {
        p: c.page(s, t.s(key), ""),
        heading: t.s(key),
        messages,
    };
    render(&page, c, status)
}

/// The 404 page of this address.
pub fn not_found(s: &Shared, c: &Ctx) -> Response {
    fail(
        s,
        c,
        ApiError::not_found("page", &c.path, Vec::new()).into(),
    )
}

pub fn forbidden(s: &Shared, c: &Ctx) -> Response {
    fail(s, c, ApiError::forbidden().into())
}

/// `2026-11-27 02:21 UTC` from an RFC 3339 instant.
pub fn when(iso: &str) -> String {
    match (iso.get(..10), iso.get(11..16)) {
        (Some(d), Some(t)) => format!("{d} {t} UTC"),
        _ => iso.to_string(),
    }
}

/// What the page says after an action (`?done=`).
pub fn notice(t: &Tr, q: &Params) -> Option<String> {
    let key = match q.get("done").map(String::as_str)? {
        "saved" => "done-saved",
        "submitted" => "done-submitted",
        "uploaded" => "done-uploaded",
        "withdrawn" => "done-withdrawn",
        "deleted" => "done-deleted",
        "decided" => "done-decided",
        "updated" => "done-updated",
        "revoked" => "done-revoked",
        "registered" => "done-registered",
        "imported" => "done-imported",
        "overlay" => "done-overlay",
        "published" => "done-published",
        "discarded" => "done-discarded",
        _ => return None,
    };
    Some(t.s(key))
}

/// A problem to show in a summary, linking to its field.
pub struct Problem {
    pub href: String,
    pub text: String,
}

/// A question before something that cannot be undone.
#[derive(Template)]
#[template(path = "case_confirm.html")]
pub struct ConfirmPage {
    pub p: Page,
    pub csrf: String,
    pub heading: String,
    pub text: String,
    pub action: String,
    pub button: String,
    pub cancel: String,
    pub with_reason: bool,
}

/// A form posted as `multipart/form-data`: its text fields (200 characters
/// at most each) and its field `file` (the name given, and the bytes).
#[derive(Default)]
pub struct Multi {
    pub fields: Params,
    pub file: Option<(Option<String>, bytes::Bytes)>,
}

/// Why a multipart form could not be read to its end.
pub enum MultiError {
    /// The file passed the limit: the bytes seen so far.
    TooLarge(usize),
    /// The body is broken (or over the route's limit): its status and why.
    Broken(StatusCode, String),
}

/// Reads a multipart form as it streams, refusing a file over `max` bytes;
/// what was read before a failure is kept (to show the form again).
pub async fn read_multipart(mut m: Multipart, max: usize) -> (Multi, Option<MultiError>) {
    let mut out = Multi::default();
    loop {
        let mut field = match m.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => return (out, None),
            Err(e) => return (out, Some(MultiError::Broken(e.status(), e.body_text()))),
        };
        let name = field.name().unwrap_or("").to_string();
        if name != "file" {
            if let Ok(text) = field.text().await {
                out.fields.insert(name, text.chars().take(200).collect());
            }
            continue;
        }
        let file_name = field.file_name().map(str::to_string);
        let mut buf = bytes::BytesMut::new();
        loop {
            match field.chunk().await {
                Ok(Some(chunk)) if buf.len() + chunk.len() > max => {
                    return (out, Some(MultiError::TooLarge(buf.len() + chunk.len())));
                }
                Ok(Some(chunk)) => buf.extend_from_slice(&chunk),
                Ok(None) => break,
                Err(e) => return (out, Some(MultiError::Broken(e.status(), e.body_text()))),
            }
        }
        out.file = Some((file_name, buf.freeze()));
    }
}
