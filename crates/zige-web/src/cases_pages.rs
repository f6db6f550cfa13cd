//! The pages of recognition cases: accounts, the applicant's dashboard and
//! application, the review queue and case page, printable decisions, public
//! verification and administration. Plain HTML forms that work without
//! JavaScript; all the logic is [`crate::cases`], shared with the API.
//!
//! Every form a signed-in person posts carries the session's CSRF token in
//! a hidden `csrf` field ([`Posted`] checks it). Pages with personal data
//! are never cached.

use std::collections::HashMap;
use std::net::SocketAddr;

use askama::Template;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{ConnectInfo, DefaultBodyLimit, FromRequestParts, Multipart, Path, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use serde_json::{Map, Value};
use zige_cases::{ApplicationForm, Role, State as Stage};

use crate::auth::{self, Viewer};
use crate::cases::{self, ApplicationView};
use crate::error::{ApiError, ApiErrors};
use crate::i18n::Tr;
use crate::multipart::{read_multipart, MultiError};
use crate::render::{
    enc, fail, forbidden, not_found, notice, render, said, status_of, when, Admin, ConfirmPage,
    Ctx, Filled, Page, Params, Posted, Problem,
};
use crate::state::Shared;

/// Rows per page of the review queue (fixed by [`cases::queue`]) and of the audit log.
const QUEUE_PAGE: i64 = 50;
const AUDIT_PAGE: i64 = 50;

pub fn routes() -> Router<Shared> {
    Router::new()
        .route("/register", get(register_form).post(register))
        .route("/login", get(login_form).post(login))
        .route("/logout", get(to_my).post(logout))
        .route("/my", get(my))
        .route("/apply", get(to_my).post(apply))
        .route("/applications/{id}", get(application).post(save))
        .route(
            "/applications/{id}/evidence",
            get(back_to_application)
                .post(upload)
                .layer(DefaultBodyLimit::max(
                    zige_cases::MAX_EVIDENCE_BYTES + 256 * 1024,
                )),
        )
        .route("/applications/{id}/evidence/{evidence}", get(evidence_file))
        .route(
            "/applications/{id}/withdraw",
            get(withdraw_form).post(withdraw),
        )
        .route("/applications/{id}/delete", get(delete_form).post(delete))
        .route("/applications/{id}/decision", get(decision_page))
        .route("/review", get(queue))
        .route("/review/{id}", get(case))
        .route("/review/{id}/start", get(back_to_case).post(start_review))
        .route("/review/{id}/decision", get(back_to_case).post(decide))
        .route("/verify", get(verify_form))
        .route("/verify/{code}", get(verify))
        .route("/admin", get(|| async { Redirect::to("/admin/users") }))
        .route("/admin/users", get(users))
        .route("/admin/users/{id}", get(to_users).post(update_user))
        .route("/admin/decisions", get(decisions))
        .route(
            "/admin/decisions/{code}/revoke",
            get(to_decisions).post(revoke),
        )
        .route("/admin/audit", get(audit))
}

// ---------- what every case page shares ----------

/// A local path to return to after signing in; anything else is `/my`.
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

fn num_id(s: &str) -> Option<i64> {
    s.parse::<i64>().ok().filter(|n| *n > 0)
}

/// The record number in the path's `{id}`; anything else is the 404 page
/// of this address.
struct Id(i64);

impl FromRequestParts<Shared> for Id {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, s: &Shared) -> Result<Id, Response> {
        let id = Path::<HashMap<String, String>>::from_request_parts(parts, s)
            .await
            .ok()
            .and_then(|Path(m)| m.get("id").and_then(|x| num_id(x)));
        match id {
            Some(n) => Ok(Id(n)),
            None => Err(not_found(s, &Ctx::from_request_parts(parts, s).await?)),
        }
    }
}

fn day(iso: &str) -> String {
    iso.get(..10).unwrap_or(iso).to_string()
}

// ---------- field errors ----------

/// The form control an error's field names (`profile.age` → `age`).
fn input_id(field: &str) -> String {
    let f = field.strip_prefix("profile.").unwrap_or(field);
    match f {
        "certificate.number" => "cert_number".into(),
        "certificate.issuer" => "cert_issuer".into(),
        "certificate.issued_on" => "cert_issued_on".into(),
        "certificate.expires_on" => "cert_expires_on".into(),
        "evidence" => "file".into(),
        "profile" | "form" | "body" => String::new(),
        other => other.into(),
    }
}

/// A field's name in the page's language.
fn label(t: &Tr, field: &str) -> String {
    let key = match input_id(field).as_str() {
        "email" => "form-email",
        "password" => "form-password",
        "name" => "form-name",
        "holder_name" => "form-holder-name",
        "entry" => "form-entry",
        "level" => "check-level",
        "experience_years" => "check-experience",
        "age" => "check-age",
        "nationality" => "check-nationality",
        "education" => "check-education",
        "beijing_employer" => "check-employer",
        "high_end_industry" => "check-high-end",
        "project" => "check-project",
        "cert_number" => "form-cert-number",
        "cert_issuer" => "form-cert-issuer",
        "cert_issued_on" => "form-cert-issued",
        "cert_expires_on" => "form-cert-expires",
        "file" => "ev-title",
        "outcome" => "rev-outcome",
        "reasons" => "rev-reasons",
        "reason" => "form-reason",
        "role" => "adm-role",
        "state" => "rev-f-state",
        "list" => "rev-f-list",
        "waiting_days" => "rev-f-waiting",
        "code" => "ver-code",
        _ => return String::new(),
    };
    t.msg(key)
}

/// What to say about an error at its field: plain words for the usual
/// cases, the error's own bilingual message otherwise.
fn short(t: &Tr, e: &ApiError) -> String {
    let field = e.field.as_deref().unwrap_or("");
    let empty = e.value.as_deref().unwrap_or("").trim().is_empty();
    if e.status != 400 || field.is_empty() {
        return said(t, e);
    }
    let value: String = e.value.as_deref().unwrap_or("").chars().take(60).collect();
    let allowed = e.allowed.as_deref().unwrap_or("");
    let id = input_id(field);
    let text = match id.as_str() {
        "file" if empty => t.msg("err-evidence"),
        "email" => t.msg("err-email"),
        "password" => t.msg("err-password"),
        _ if empty => t.msg("err-required"),
        "cert_issued_on" | "cert_expires_on" => {
            let key = if allowed.contains("on or before today") {
                "err-date-future"
            } else if allowed.contains("still valid") {
                "err-date-expired"
            } else if allowed.contains("after the issue date") {
                "err-date-order"
            } else {
                "err-date-format"
            };
            t.with(key, &[("value", value)])
        }
        "entry" => t.with("err-entry", &[("value", value)]),
        _ => t.with(
            "err-invalid",
            &[("value", value), ("allowed", allowed.to_string())],
        ),
    };
    if e.suggestions.is_empty() {
        text
    } else {
        let sep = if t.is_zh() { "、" } else { ", " };
        format!(
            "{text} {}",
            t.with("err-suggest", &[("list", e.suggestions.join(sep))])
        )
    }
}

/// Field errors by control id, and the summary naming each field.
#[derive(Default)]
struct Errs {
    at: HashMap<String, String>,
    summary: Vec<Problem>,
}

impl Errs {
    fn of(t: &Tr, errs: &[ApiError]) -> Errs {
        let mut out = Errs::default();
        for e in errs {
            let field = e.field.as_deref().unwrap_or("");
            let id = input_id(field);
            let name = label(t, field);
            let text = short(t, e);
            let full = if name.is_empty() {
                text.clone()
            } else {
                t.with(
                    "err-field",
                    &[("field", name.clone()), ("message", text.clone())],
                )
            };
            if !name.is_empty() {
                out.at
                    .entry(id.clone())
                    .and_modify(|m| {
                        m.push(' ');
                        m.push_str(&text)
                    })
                    .or_insert(text);
            }
            out.summary.push(Problem {
                href: if name.is_empty() {
                    String::new()
                } else {
                    format!("#{id}")
                },
                text: full,
            });
        }
        out
    }

    fn get(&self, id: &str) -> Option<String> {
        self.at.get(id).cloned()
    }
}

// ---------- accounts ----------

#[derive(Template)]
#[template(path = "account_register.html")]
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

async fn register_form(State(s): State<Shared>, headers: HeaderMap, c: Ctx) -> Response {
    if c.viewer.is_some() {
        return Redirect::to(&safe_next(c.query.get("next"))).into_response();
    }
    let (csrf, new) = auth::pre_session_token(&headers);
    let page = RegisterPage {
        page: c.page(&s, c.tr.msg("reg-title"), "register"),
        email: String::new(),
        name: String::new(),
        next: safe_next(c.query.get("next")),
        csrf: csrf.clone(),
        problems: Vec::new(),
        email_error: None,
        name_error: None,
        password_error: None,
    };
    pre_cookie(&s, render(&page, &c, StatusCode::OK), &csrf, new)
}

/// Sends the pre-session CSRF cookie along with a sign-in or
/// registration form when the browser does not have one yet.
fn pre_cookie(s: &Shared, mut r: Response, token: &str, new: bool) -> Response {
    let secure = s.cases.as_ref().is_some_and(|c| c.secure_cookies);
    if new {
        if let Ok(v) = HeaderValue::from_str(&auth::pre_session_cookie(token, secure)) {
            r.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    r
}

/// Registration checks the password only against a valid address; when
/// the address is wrong, say what is wrong with the password too, so every
/// field is named at once.
fn password_too(mut errs: ApiErrors, password: &str) -> ApiErrors {
    let named = |f: &str| errs.0.iter().any(|e| e.field.as_deref() == Some(f));
    if named("email") && !named("password") {
        if let Ok(stand_in) = zige_cases::Email::parse("someone@example.invalid") {
            if let Err(e) = zige_cases::Password::parse(password, &stand_in) {
                errs.0.push(ApiError::from_input(e));
            }
        }
    }
    errs
}

fn peer(ci: Option<axum::Extension<ConnectInfo<SocketAddr>>>) -> Option<SocketAddr> {
    ci.map(|c| c.0 .0)
}

/// A session cookie and a redirect to where the person was going.
fn signed_in(s: &Shared, token: &str, next: &str) -> Response {
    let secure = s.cases.as_ref().is_some_and(|c| c.secure_cookies);
    let mut r = Redirect::to(next).into_response();
    if let Ok(v) = HeaderValue::from_str(&auth::session_cookie(Some(token), secure)) {
        r.headers_mut().insert(header::SET_COOKIE, v);
    }
    r
}

async fn register(
    State(s): State<Shared>,
    ci: Option<axum::Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    Filled { ctx: c, form: f }: Filled,
) -> Response {
    let get = |k: &str| f.get(k).cloned().unwrap_or_default();
    let next = safe_next(f.get("next"));
    let account = cases::NewAccount {
        email: get("email"),
        password: get("password"),
        name: Some(get("name")),
    };
    let (csrf, new) = auth::pre_session_token(&headers);
    let checked = auth::check_pre_session(&headers, f.get("csrf").map(String::as_str));
    let registered = match checked {
        Ok(()) => cases::register(&s, &account).await,
        Err(e) => Err(e.into()),
    };
    let errs = match registered {
        Ok(_) => {
            let cred = cases::Credentials {
                email: account.email.clone(),
                password: account.password.clone(),
                code: None,
            };
            match cases::login(
                &s,
                &cred,
                &auth::client_address(&headers, peer(ci), &s.trusted_proxies),
            )
            .await
            {
                Ok(session) => return signed_in(&s, &session.token, &next),
                Err(e) => e,
            }
        }
        Err(e) => password_too(e, &account.password),
    };
    let status = status_of(&errs);
    let e = Errs::of(&c.tr, &errs.0);
    let page = RegisterPage {
        page: c.page(&s, c.tr.msg("reg-title"), "register"),
        email: account.email.clone(),
        name: get("name"),
        next,
        csrf: csrf.clone(),
        email_error: e.get("email"),
        name_error: e.get("name"),
        password_error: e.get("password"),
        problems: e.summary,
    };
    let retry = errs.0.iter().find_map(|e| e.retry_after);
    let r = crate::error::with_retry_after(render(&page, &c, status), retry);
    pre_cookie(&s, r, &csrf, new)
}

#[derive(Template)]
#[template(path = "account_login.html")]
struct LoginPage {
    page: Page,
    email: String,
    next: String,
    csrf: String,
    /// Why the form waits (429), with how long.
    wait: Option<String>,
    problems: Vec<Problem>,
}

async fn login_form(State(s): State<Shared>, headers: HeaderMap, c: Ctx) -> Response {
    if c.viewer.is_some() {
        return Redirect::to(&safe_next(c.query.get("next"))).into_response();
    }
    let (csrf, new) = auth::pre_session_token(&headers);
    let page = LoginPage {
        page: c.page(&s, c.tr.msg("login-title"), "login"),
        email: String::new(),
        next: safe_next(c.query.get("next")),
        csrf: csrf.clone(),
        wait: None,
        problems: Vec::new(),
    };
    pre_cookie(&s, render(&page, &c, StatusCode::OK), &csrf, new)
}

async fn login(
    State(s): State<Shared>,
    ci: Option<axum::Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    Filled { ctx: c, form: f }: Filled,
) -> Response {
    let cred = cases::Credentials {
        email: f.get("email").cloned().unwrap_or_default(),
        password: f.get("password").cloned().unwrap_or_default(),
        code: None,
    };
    let next = safe_next(f.get("next"));
    let (csrf, new) = auth::pre_session_token(&headers);
    let outcome = match auth::check_pre_session(&headers, f.get("csrf").map(String::as_str)) {
        Ok(()) => {
            let address = auth::client_address(&headers, peer(ci), &s.trusted_proxies);
            crate::second_factor_pages::sign_in(&s, &cred, &address, &next).await
        }
        Err(e) => Err(e.into()),
    };
    match outcome {
        Ok(r) => r,
        Err(errs) => {
            let status = status_of(&errs);
            let retry = errs.0.iter().find_map(|e| e.retry_after);
            let problems = errs
                .0
                .iter()
                .map(|e| Problem {
                    href: "#email".into(),
                    text: said(&c.tr, e),
                })
                .collect();
            let page = LoginPage {
                page: c.page(&s, c.tr.msg("login-title"), "login"),
                email: cred.email,
                next,
                csrf: csrf.clone(),
                wait: retry
                    .filter(|_| status == StatusCode::TOO_MANY_REQUESTS)
                    .map(|n| c.tr.with("auth-wait", &[("seconds", n.to_string())])),
                problems,
            };
            let r = crate::error::with_retry_after(render(&page, &c, status), retry);
            pre_cookie(&s, r, &csrf, new)
        }
    }
}

async fn logout(State(s): State<Shared>, Filled { ctx: c, form: f }: Filled) -> Response {
    // Signed out already (the session expired): nothing to do.
    let Some(v) = &c.viewer else {
        return Redirect::to("/").into_response();
    };
    if let Err(e) = v.check_csrf(f.get("csrf").map(String::as_str)) {
        return fail(&s, &c, e.into());
    }
    if let Err(e) = cases::logout(&s, v).await {
        return fail(&s, &c, e);
    }
    let secure = s.cases.as_ref().is_some_and(|c| c.secure_cookies);
    let mut r = Redirect::to("/").into_response();
    if let Ok(v) = HeaderValue::from_str(&auth::session_cookie(None, secure)) {
        r.headers_mut().insert(header::SET_COOKIE, v);
    }
    r
}

async fn to_my() -> Redirect {
    Redirect::to("/my")
}

async fn to_users() -> Redirect {
    Redirect::to("/admin/users")
}

async fn to_decisions() -> Redirect {
    Redirect::to("/admin/decisions")
}

async fn back_to_application(Path(id): Path<String>) -> Redirect {
    Redirect::to(&format!("/applications/{}", enc(&id)))
}

async fn back_to_case(Path(id): Path<String>) -> Redirect {
    Redirect::to(&format!("/review/{}", enc(&id)))
}

// ---------- the applicant's dashboard ----------

/// One step of a timeline as a person reads it.
pub struct EventRow {
    pub at: String,
    pub what: String,
    pub state: String,
    pub by: String,
    pub reason: String,
}

fn timeline(t: &Tr, a: &ApplicationView) -> Vec<EventRow> {
    a.timeline
        .iter()
        .map(|e| {
            let what = match e.action.as_str() {
                "create" => t.msg("ev-create"),
                "submit" => t.msg("ev-submit"),
                "open" => t.msg("ev-open"),
                "request_information" => t.msg("ev-request-information"),
                "approve" => t.msg("ev-approve"),
                "reject" => t.msg("ev-reject"),
                "withdraw" => t.msg("ev-withdraw"),
                other => other.to_string(),
            };
            let by = match e.by.as_deref() {
                Some("applicant") => t.msg("by-applicant"),
                Some("reviewer") => t.msg("by-reviewer"),
                Some("admin") => t.msg("by-admin"),
                _ => String::new(),
            };
            let state = t.pick(&e.to_label);
            EventRow {
                at: when(&e.at),
                // "Submitted → Submitted" says nothing twice.
                state: if state == what { String::new() } else { state },
                what,
                by,
                reason: e.reason.clone(),
            }
        })
        .collect()
}

/// `G7 · CFA …` from a view's entry.
fn entry_label(t: &Tr, entry: Option<&Value>) -> String {
    let Some(e) = entry else {
        return String::new();
    };
    let code = e["code"].as_str().unwrap_or("");
    let name = e["name"][if t.is_zh() { "zh" } else { "en" }]
        .as_str()
        .unwrap_or("");
    format!("{code} · {name}")
}

pub struct MyRow {
    pub id: i64,
    pub state: String,
    pub state_label: String,
    pub entry: String,
    pub holder: String,
    pub updated: String,
    pub events: Vec<EventRow>,
    pub decision: bool,
}

#[derive(Template)]
#[template(path = "case_my.html")]
struct MyPage {
    page: Page,
    csrf: String,
    applicant: bool,
    notice: Option<String>,
    rows: Vec<MyRow>,
}

async fn my(State(s): State<Shared>, c: Ctx) -> Response {
    let Some(v) = &c.viewer else {
        return c.login();
    };
    let apps = match cases::mine(&s, v).await {
        Ok(a) => a,
        Err(e) => return fail(&s, &c, e),
    };
    let t = c.tr;
    let rows = apps
        .iter()
        .map(|a| MyRow {
            id: a.id,
            state: a.state.clone(),
            state_label: t.pick(&a.state_label),
            entry: entry_label(&t, a.entry.as_ref()),
            holder: a.form.holder_name.clone().unwrap_or_default(),
            updated: when(&a.updated_at),
            events: timeline(&t, a),
            decision: a.decision.is_some(),
        })
        .collect();
    let page = MyPage {
        page: c.page(&s, t.msg("my-title"), "my"),
        csrf: v.csrf.clone(),
        applicant: v.is(Role::Applicant),
        notice: notice(&t, &c.query),
        rows,
    };
    render(&page, &c, StatusCode::OK)
}

async fn apply(
    State(s): State<Shared>,
    Posted {
        ctx: c, viewer: v, ..
    }: Posted,
) -> Response {
    match cases::create(&s, &v, Value::Null).await {
        Ok(app) => Redirect::to(&format!("/applications/{}", app.id)).into_response(),
        Err(e) => fail(&s, &c, e),
    }
}

// ---------- the application form ----------

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

    fn described(&self) -> String {
        let mut ids = Vec::new();
        if self.help.is_some() {
            ids.push(format!("{}-help", self.id));
        }
        if self.error.is_some() {
            ids.push(format!("{}-error", self.id));
        }
        ids.join(" ")
    }

    fn checked(&self) -> bool {
        !self.on.is_empty() && self.value == self.on
    }

    fn selected(&self, v: &str) -> bool {
        self.value == v
    }
}

pub struct Fieldset {
    pub legend: String,
    pub fields: Vec<Field>,
}

/// The form's values by control id, as stored.
fn values_of(f: &ApplicationForm) -> Params {
    let mut m = Params::new();
    let text = |v: &Value| match v {
        Value::String(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        _ => String::new(),
    };
    if let Some(h) = &f.holder_name {
        m.insert("holder_name".into(), h.clone());
    }
    for (k, v) in &f.profile {
        m.insert(k.clone(), text(v));
    }
    let c = &f.certificate;
    for (k, v) in [
        ("cert_number", &c.number),
        ("cert_issuer", &c.issuer),
        ("cert_issued_on", &c.issued_on),
        ("cert_expires_on", &c.expires_on),
    ] {
        if let Some(v) = v {
            m.insert(k.into(), v.clone());
        }
    }
    m
}

/// The JSON form of [`cases::save`] from posted fields: blanks are absent,
/// numbers are numbers when they parse (and kept as typed otherwise, so
/// the error names them).
fn form_json(f: &Params) -> Value {
    let get = |k: &str| {
        f.get(k)
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    let mut profile = Map::new();
    for k in ["entry", "level", "nationality", "education", "project"] {
        if let Some(v) = get(k) {
            profile.insert(k.into(), Value::String(v));
        }
    }
    for k in ["experience_years", "age"] {
        if let Some(v) = get(k) {
            let n = v
                .parse::<u64>()
                .map(Value::from)
                .unwrap_or(Value::String(v));
            profile.insert(k.into(), n);
        }
    }
    if let Some(v) = get("beijing_employer") {
        let b = match v.as_str() {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            _ => Value::String(v),
        };
        profile.insert("beijing_employer".into(), b);
    }
    if get("high_end_industry").is_some() {
        profile.insert("high_end_industry".into(), Value::Bool(true));
    }
    let mut certificate = Map::new();
    for (k, name) in [
        ("cert_number", "number"),
        ("cert_issuer", "issuer"),
        ("cert_issued_on", "issued_on"),
        ("cert_expires_on", "expires_on"),
    ] {
        if let Some(v) = get(k) {
            certificate.insert(name.into(), Value::String(v));
        }
    }
    let mut form = Map::new();
    if let Some(h) = get("holder_name") {
        form.insert("holder_name".into(), Value::String(h));
    }
    form.insert("profile".into(), Value::Object(profile));
    form.insert("certificate".into(), Value::Object(certificate));
    Value::Object(form)
}

fn fieldsets(t: &Tr, vals: &Params, errs: &Errs) -> Vec<Fieldset> {
    let choose = || (String::new(), t.msg("choose"));
    let mut holder = Field::new("holder_name", t.msg("form-holder-name"), "text");
    holder.autocomplete = "name";
    holder.help = Some(t.msg("form-holder-help"));
    let mut entry = Field::new("entry", t.msg("form-entry"), "text");
    entry.help = Some(t.msg("form-entry-help"));
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
    let number = Field::new("cert_number", t.msg("form-cert-number"), "text");
    let mut issuer = Field::new("cert_issuer", t.msg("form-cert-issuer"), "text");
    issuer.autocomplete = "organization";
    let issued = Field::new("cert_issued_on", t.msg("form-cert-issued"), "date");
    let mut expires = Field::new("cert_expires_on", t.msg("form-cert-expires"), "date");
    expires.help = Some(t.msg("form-cert-expires-help"));
    let mut sets = vec![
        Fieldset {
            legend: t.msg("form-holder"),
            fields: vec![holder],
        },
        Fieldset {
            legend: t.msg("form-qualification"),
            fields: vec![
                entry,
                level,
                years,
                age,
                nationality,
                education,
                employer,
                high_end,
                project,
            ],
        },
        Fieldset {
            legend: t.msg("form-certificate"),
            fields: vec![number, issuer, issued, expires],
        },
    ];
    for set in &mut sets {
        for f in &mut set.fields {
            f.value = vals.get(f.id).cloned().unwrap_or_default();
            f.error = errs.get(f.id);
        }
    }
    sets
}

/// The read-only particulars of an application, label and value.
fn particulars(t: &Tr, a: &ApplicationView) -> Vec<(String, String)> {
    let vals = values_of(&a.form);
    let sets = fieldsets(t, &vals, &Errs::default());
    let mut out = Vec::new();
    for f in sets.iter().flat_map(|s| s.fields.iter()) {
        let shown = match f.kind {
            "select" => f
                .options
                .iter()
                .find(|(v, _)| !v.is_empty() && *v == f.value)
                .map(|(_, l)| l.clone())
                .unwrap_or_else(|| f.value.clone()),
            "checkbox" => {
                if f.checked() {
                    t.msg("yes")
                } else {
                    t.msg("no")
                }
            }
            _ if f.id == "entry" && a.entry.is_some() => entry_label(t, a.entry.as_ref()),
            _ => f.value.clone(),
        };
        let shown = if shown.trim().is_empty() {
            "—".to_string()
        } else {
            shown
        };
        out.push((f.label.clone(), shown));
    }
    out
}

/// An uploaded file as the pages list it.
pub struct EvidenceRow {
    pub name: String,
    pub url: String,
    pub image: bool,
    pub pdf: bool,
    pub size: String,
    pub uploaded: String,
    pub sha256: String,
}

fn evidence_rows(a: &ApplicationView) -> Vec<EvidenceRow> {
    a.evidence
        .iter()
        .map(|e| EvidenceRow {
            name: e.name.clone(),
            url: format!("/applications/{}/evidence/{}", a.id, e.id),
            image: e.media_type.starts_with("image/"),
            pdf: e.media_type == "application/pdf",
            size: size_text(e.size),
            uploaded: when(&e.uploaded_at),
            sha256: e.sha256.chars().take(12).collect(),
        })
        .collect()
}

fn size_text(n: i64) -> String {
    if n >= 1024 * 1024 {
        format!("{:.1} MB", n as f64 / (1024.0 * 1024.0))
    } else if n >= 1024 {
        format!("{} KB", (n + 1023) / 1024)
    } else {
        format!("{n} B")
    }
}

/// A rule applied by the engine.
pub struct TraceRow {
    pub rule: String,
    pub outcome: String,
    pub class: &'static str,
    pub message: String,
    pub basis: String,
}

/// The rules engine's pre-check, in the page's language.
pub struct Verdict {
    pub class: &'static str,
    pub headline: String,
    pub level: Option<String>,
    pub title: Option<String>,
    pub unmet: Vec<String>,
    pub benefits: Vec<String>,
    pub withheld: Vec<String>,
    pub obligations: Vec<String>,
    pub notes: Vec<String>,
    pub missing: Vec<String>,
    pub trace: Vec<TraceRow>,
}

fn verdict(t: &Tr, d: &zige_rules::Decision) -> Verdict {
    let l = t.lang;
    let (class, key) = match d.recognized {
        Some(true) => ("yes", "pre-yes"),
        Some(false) => ("no", "pre-no"),
        None => ("open", "pre-open"),
    };
    let entry = format!("{} · {}", d.entry.code, d.entry.name.get(l));
    let title = d.title.as_ref().map(|x| {
        let met = match x.basic_conditions_met {
            Some(true) => t.msg("pre-title-met"),
            Some(false) => t.msg("pre-title-unmet"),
            None => t.msg("pre-title-open"),
        };
        t.with(
            "pre-title-status",
            &[("title", t.pick(x.level.name())), ("status", met)],
        )
    });
    let outcome = |o: &str| -> (String, &'static str) {
        let (key, class) = match o {
            "met" => ("out-met", "yes"),
            "unmet" => ("out-unmet", "no"),
            "undecided" => ("out-undecided", "open"),
            "waived" => ("out-waived", "yes"),
            "ignored" => ("out-ignored", "open"),
            "not_applicable" => ("out-not-applicable", "open"),
            "recognized" => ("out-recognized", "yes"),
            "not_recognized" => ("out-not-recognized", "no"),
            "granted" => ("out-granted", "yes"),
            "withheld" => ("out-withheld", "no"),
            "listed" => ("out-listed", "open"),
            "none" => ("out-none", "open"),
            "other_catalog" => ("out-other-catalog", "open"),
            _ => {
                // Title correspondence names the title level.
                return match zige_catalog::TitleLevel::parse(o) {
                    Some(level) => (t.pick(level.name()), "yes"),
                    None => (o.to_string(), "open"),
                };
            }
        };
        (t.msg(key), class)
    };
    Verdict {
        class,
        headline: t.with(key, &[("entry", entry)]),
        level: d.level_used.clone(),
        title,
        unmet: d.unmet.iter().map(|i| i.message.get(l).into()).collect(),
        benefits: d.benefits.iter().map(|i| i.message.get(l).into()).collect(),
        withheld: d.withheld.iter().map(|i| i.message.get(l).into()).collect(),
        obligations: d
            .obligations
            .iter()
            .map(|i| i.message.get(l).into())
            .collect(),
        notes: d.notes.iter().map(|n| n.get(l).into()).collect(),
        missing: d.missing.iter().map(|f| label(t, f)).collect(),
        trace: d
            .trace
            .iter()
            .map(|s| {
                let (outcome, class) = outcome(&s.outcome);
                TraceRow {
                    rule: s.rule.to_string(),
                    outcome,
                    class,
                    message: s.message.get(l).into(),
                    basis: s.basis.get(l).into(),
                }
            })
            .collect(),
    }
}

#[derive(Template)]
#[template(path = "case_application.html")]
struct AppPage {
    page: Page,
    a: ApplicationView,
    csrf: String,
    entry: String,
    state_label: String,
    editable: bool,
    draft: bool,
    can_withdraw: bool,
    notice: Option<String>,
    conflict: Option<String>,
    problems: Vec<Problem>,
    missing: Vec<Problem>,
    upload_error: Option<String>,
    fieldsets: Vec<Fieldset>,
    summary: Vec<(String, String)>,
    evidence: Vec<EvidenceRow>,
    events: Vec<EventRow>,
    verdict: Option<Verdict>,
    entries: Vec<(String, String)>,
}

/// How to show the application page after an action.
#[derive(Default)]
struct Shown {
    status: Option<StatusCode>,
    /// What the person typed (kept when it could not be saved).
    typed: Option<Params>,
    errors: Vec<ApiError>,
    upload_error: Option<ApiError>,
    conflict: Option<ApiError>,
}

async fn app_page(s: &Shared, c: &Ctx, v: &Viewer, id: i64, shown: Shown) -> Response {
    let app = match cases::load(s, v, id).await {
        Ok(a) => a,
        Err(e) => return fail(s, c, e),
    };
    if app.applicant_id != v.user.id {
        return Redirect::to(&format!("/review/{id}")).into_response();
    }
    let a = match cases::view(s, v, &app).await {
        Ok(a) => a,
        Err(e) => return fail(s, c, e),
    };
    let t = c.tr;
    let errs = Errs::of(&t, &shown.errors);
    let vals = shown.typed.unwrap_or_else(|| values_of(&a.form));
    let missing = if shown.errors.is_empty() {
        Errs::of(&t, &a.missing).summary
    } else {
        Vec::new()
    };
    let entries = if app.state.editable() {
        crate::catalogue::pages::entry_options(&t, s.current().catalog)
    } else {
        Vec::new()
    };
    let title = t.with("app-title", &[("id", a.id.to_string())]);
    let fields = fieldsets(&t, &vals, &errs);
    let page = AppPage {
        page: c.page_at(s, title, "my", &format!("/applications/{id}")),
        csrf: v.csrf.clone(),
        entry: entry_label(&t, a.entry.as_ref()),
        state_label: t.pick(&a.state_label),
        editable: app.state.editable(),
        draft: app.state == Stage::Draft,
        can_withdraw: !app.state.is_final(),
        notice: notice(&t, &c.query),
        conflict: shown.conflict.as_ref().map(|e| said(&t, e)),
        problems: errs.summary,
        missing,
        upload_error: shown.upload_error.as_ref().map(|e| short(&t, e)),
        fieldsets: fields,
        summary: particulars(&t, &a),
        evidence: evidence_rows(&a),
        events: timeline(&t, &a),
        // Once decided, the decision speaks; the pre-check is history.
        verdict: a
            .precheck
            .as_ref()
            .filter(|_| !app.state.is_final())
            .map(|d| verdict(&t, d)),
        entries,
        a,
    };
    render(&page, c, shown.status.unwrap_or(StatusCode::OK))
}

async fn application(State(s): State<Shared>, Id(id): Id, c: Ctx) -> Response {
    let Some(v) = &c.viewer else {
        return c.login();
    };
    app_page(&s, &c, v, id, Shown::default()).await
}

/// Save draft, or save and submit.
async fn save(
    State(s): State<Shared>,
    Id(id): Id,
    Posted {
        ctx: c,
        form: f,
        viewer: ref v,
    }: Posted,
) -> Response {
    let version = f
        .get("version")
        .and_then(|x| x.trim().parse::<i64>().ok())
        .unwrap_or(-1);
    let submit = f.get("action").map(String::as_str) == Some("submit");
    match cases::save(&s, v, id, version, form_json(&f)).await {
        Ok(_) if submit => match cases::submit(&s, v, id).await {
            Ok(_) => Redirect::to(&format!("/applications/{id}?done=submitted")).into_response(),
            Err(errs) => {
                let status = status_of(&errs);
                let shown = Shown {
                    status: Some(status),
                    errors: errs.0,
                    ..Shown::default()
                };
                app_page(&s, &c, v, id, shown).await
            }
        },
        Ok(_) => Redirect::to(&format!("/applications/{id}?done=saved")).into_response(),
        Err(errs) => {
            let status = status_of(&errs);
            match status.as_u16() {
                // Someone changed it meanwhile: show what is there now.
                409 => {
                    let shown = Shown {
                        status: Some(status),
                        conflict: errs.0.into_iter().next(),
                        ..Shown::default()
                    };
                    app_page(&s, &c, v, id, shown).await
                }
                400 => {
                    let shown = Shown {
                        status: Some(status),
                        typed: Some(f),
                        errors: errs.0,
                        ..Shown::default()
                    };
                    app_page(&s, &c, v, id, shown).await
                }
                _ => fail(&s, &c, errs),
            }
        }
    }
}

/// What an upload form sent: the CSRF token and the file.
struct Upload {
    csrf: Option<String>,
    file: Option<(String, bytes::Bytes)>,
    error: Option<ApiError>,
}

/// Reads the upload form, refusing more than 10 MiB as it streams.
async fn read_upload(m: Multipart) -> Upload {
    let (form, failed) = read_multipart(m, zige_cases::MAX_EVIDENCE_BYTES).await;
    let csrf = form.fields.get("csrf").cloned();
    let (file, error) = match (failed, form.file) {
        (Some(MultiError::TooLarge(n)), _) => (None, Some(cases::too_large(n))),
        (Some(MultiError::Broken(status, _)), _) if status == StatusCode::PAYLOAD_TOO_LARGE => (
            None,
            Some(cases::too_large(zige_cases::MAX_EVIDENCE_BYTES + 1)),
        ),
        (Some(MultiError::Broken(_, text)), _) => (
            None,
            Some(ApiError::invalid(
                "file",
                &text,
                "a file chosen in the upload form",
            )),
        ),
        (None, Some((name, bytes))) if bytes.is_empty() => {
            let name = name.unwrap_or_else(|| "evidence".into());
            let e = if name.is_empty() {
                ApiError::invalid("file", "", "a PDF, JPEG or PNG file")
            } else {
                ApiError::invalid("file", &name, "a non-empty PDF, JPEG or PNG")
            };
            (None, Some(e))
        }
        (None, Some((name, bytes))) => (
            Some((name.unwrap_or_else(|| "evidence".into()), bytes)),
            None,
        ),
        (None, None) => (
            None,
            Some(ApiError::invalid("file", "", "a PDF, JPEG or PNG file")),
        ),
    };
    Upload { csrf, file, error }
}

async fn upload(
    State(s): State<Shared>,
    Id(id): Id,
    c: Ctx,
    m: Result<Multipart, MultipartRejection>,
) -> Response {
    let Some(v) = &c.viewer else {
        return c.login();
    };
    // Check access before reading the body: a stranger learns nothing.
    if let Err(e) = cases::load(&s, v, id).await {
        return fail(&s, &c, e);
    }
    let m = match m {
        Ok(m) => m,
        Err(e) => {
            let mut err = ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                format!("send the file with the upload form: {}", e.body_text()),
                "请使用上传表单提交文件",
            );
            err.field = Some("file".into());
            let shown = Shown {
                status: Some(StatusCode::UNSUPPORTED_MEDIA_TYPE),
                upload_error: Some(err),
                ..Shown::default()
            };
            return app_page(&s, &c, v, id, shown).await;
        }
    };
    let up = read_upload(m).await;
    // A body over the limit is refused before any field can be read, the
    // token included; nothing is stored, so saying so needs no token.
    let too_large = up.error.as_ref().is_some_and(|e| e.status == 413);
    if !too_large {
        if let Err(e) = v.check_csrf(up.csrf.as_deref()) {
            return fail(&s, &c, e.into());
        }
    }
    let result = match (up.error, up.file) {
        (Some(e), _) => Err(ApiErrors::from(e)),
        (None, Some((name, bytes))) => cases::add_evidence(&s, v, id, &name, bytes)
            .await
            .map(|_| ()),
        (None, None) => Err(ApiError::invalid("file", "", "a PDF, JPEG or PNG file").into()),
    };
    match result {
        Ok(()) => {
            Redirect::to(&format!("/applications/{id}?done=uploaded#evidence")).into_response()
        }
        Err(errs) => {
            let status = status_of(&errs);
            if matches!(status.as_u16(), 403 | 404) {
                return fail(&s, &c, errs);
            }
            let shown = Shown {
                status: Some(status),
                upload_error: errs.0.into_iter().next(),
                ..Shown::default()
            };
            app_page(&s, &c, v, id, shown).await
        }
    }
}

/// An evidence file, for its applicant and reviewers; shown inline.
async fn evidence_file(
    State(s): State<Shared>,
    Id(id): Id,
    Path((_, evidence)): Path<(String, String)>,
    c: Ctx,
) -> Response {
    let Some(v) = &c.viewer else {
        return c.login();
    };
    let Some(evidence) = num_id(&evidence) else {
        return not_found(&s, &c);
    };
    let (mt, name, bytes) = match cases::evidence_file(&s, v, id, evidence).await {
        Ok(x) => x,
        Err(e) => return fail(&s, &c, e),
    };
    // Shown inside the case page (an <object>), so not sandboxed; the
    // bytes are a PDF, JPEG or PNG by content and served as such
    // (nosniff), so no page can run from them.
    crate::cases_api::evidence_response(
        mt,
        &name,
        bytes,
        "default-src 'none'; img-src 'self'; object-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'self'",
    )
}

async fn confirm(s: &Shared, c: &Ctx, id: i64, delete: bool) -> Response {
    let Some(v) = &c.viewer else {
        return c.login();
    };
    let app = match cases::load(s, v, id).await {
        Ok(a) => a,
        Err(e) => return fail(s, c, e),
    };
    if app.applicant_id != v.user.id {
        return not_found(s, c);
    }
    let t = c.tr;
    let (heading, text, button, path) = if delete {
        ("del-title", "del-text", "del-button", "delete")
    } else {
        ("wd-title", "wd-text", "wd-button", "withdraw")
    };
    let heading = t.with(heading, &[("id", id.to_string())]);
    let page = ConfirmPage {
        page: c.page(s, heading.clone(), "my"),
        csrf: v.csrf.clone(),
        heading,
        text: t.msg(text),
        action: format!("/applications/{id}/{path}"),
        button: t.msg(button),
        cancel: format!("/applications/{id}"),
        with_reason: !delete,
    };
    render(&page, c, StatusCode::OK)
}

async fn withdraw_form(State(s): State<Shared>, Id(id): Id, c: Ctx) -> Response {
    confirm(&s, &c, id, false).await
}

async fn delete_form(State(s): State<Shared>, Id(id): Id, c: Ctx) -> Response {
    confirm(&s, &c, id, true).await
}

/// After withdrawing or deleting: on to `done`; when someone changed the
/// application first, the application as it is now.
async fn then(
    s: &Shared,
    p: &Posted,
    id: i64,
    result: Result<(), ApiErrors>,
    done: String,
) -> Response {
    match result {
        Ok(()) => Redirect::to(&done).into_response(),
        Err(errs) if status_of(&errs) == StatusCode::CONFLICT => {
            let shown = Shown {
                status: Some(StatusCode::CONFLICT),
                conflict: errs.0.into_iter().next(),
                ..Shown::default()
            };
            app_page(s, &p.ctx, &p.viewer, id, shown).await
        }
        Err(errs) => fail(s, &p.ctx, errs),
    }
}

async fn withdraw(State(s): State<Shared>, Id(id): Id, p: Posted) -> Response {
    let reason: String = p
        .form
        .get("reason")
        .map(|r| r.trim().chars().take(2000).collect())
        .unwrap_or_default();
    let r = cases::withdraw(&s, &p.viewer, id, &reason)
        .await
        .map(|_| ());
    then(&s, &p, id, r, format!("/applications/{id}?done=withdrawn")).await
}

async fn delete(State(s): State<Shared>, Id(id): Id, p: Posted) -> Response {
    let r = cases::delete_draft(&s, &p.viewer, id).await;
    then(&s, &p, id, r, "/my?done=deleted".into()).await
}

// ---------- the decision, printable ----------

#[derive(Template)]
#[template(path = "case_decision.html")]
struct DecisionPage {
    page: Page,
    back: String,
    number: String,
    holder: String,
    entry: String,
    level: Option<String>,
    certificate: Vec<(String, String)>,
    catalog: String,
    policy: String,
    issuer: String,
    issued: String,
    title: Option<String>,
    benefits: Vec<String>,
    obligations: Vec<String>,
    reasons: Option<String>,
    code: String,
    verify_url: String,
    qr: String,
    download: String,
    key_id: String,
    revoked: Option<(String, String)>,
}

/// The QR code of `url` as inline SVG with an accessible name.
pub(crate) fn qr_svg(url: &str, name: &str) -> String {
    let Ok(code) = qrcode::QrCode::new(url.as_bytes()) else {
        return String::new();
    };
    let svg = code
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(160, 160)
        .build();
    let svg = svg.find("<svg").map(|i| &svg[i..]).unwrap_or("");
    let name = name
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;");
    svg.replacen(
        "<svg",
        &format!("<svg role=\"img\" aria-label=\"{name}\""),
        1,
    )
}

/// The text of a bilingual JSON value (`{"zh", "en"}`) in the page's language.
fn text_of(t: &Tr, v: &Value) -> String {
    v[if t.is_zh() { "zh" } else { "en" }]
        .as_str()
        .unwrap_or("")
        .to_string()
}

async fn decision_page(State(s): State<Shared>, Id(id): Id, c: Ctx) -> Response {
    let Some(v) = &c.viewer else {
        return c.login();
    };
    let d = match cases::signed_decision(&s, v, id).await {
        Ok(d) => d,
        Err(e) => return fail(&s, &c, e),
    };
    let signed = match zige_cases::SignedDecision::from_json(&d.signed) {
        Ok(x) => x,
        Err(e) => return fail(&s, &c, ApiError::internal(e.to_string()).into()),
    };
    let t = c.tr;
    let doc = &signed.decision;
    let str_of = |k: &str| doc[k].as_str().unwrap_or("").to_string();
    let base = s
        .cases
        .as_ref()
        .map(|c| c.public_url.as_str())
        .unwrap_or("");
    let verify_url = format!("{base}/verify/{}", d.code);
    let entry = format!(
        "{} · {}",
        doc["entry"]["code"].as_str().unwrap_or(""),
        text_of(&t, &doc["entry"]["name"])
    );
    let items = |k: &str| -> Vec<String> {
        doc[k]
            .as_array()
            .map(|a| a.iter().map(|i| text_of(&t, &i["message"])).collect())
            .unwrap_or_default()
    };
    let title = doc["title"]["level"]
        .as_str()
        .and_then(zige_catalog::TitleLevel::parse)
        .map(|l| {
            let met = match doc["title"]["basic_conditions_met"].as_bool() {
                Some(true) => t.msg("pre-title-met"),
                Some(false) => t.msg("pre-title-unmet"),
                None => t.msg("pre-title-open"),
            };
            t.with(
                "pre-title-status",
                &[("title", t.pick(l.name())), ("status", met)],
            )
        });
    let cert = &doc["certificate"];
    let certificate = [
        ("number", "form-cert-number"),
        ("issuer", "form-cert-issuer"),
        ("issued_on", "form-cert-issued"),
        ("expires_on", "form-cert-expires"),
    ]
    .iter()
    .filter_map(|(k, key)| {
        cert[*k]
            .as_str()
            .filter(|x| !x.trim().is_empty())
            .map(|x| (t.msg(key), x.to_string()))
    })
    .collect();
    let back = if v.user.role.reviews() && !v.is(Role::Applicant) {
        format!("/review/{id}")
    } else {
        format!("/applications/{id}")
    };
    let page = DecisionPage {
        page: c.page(
            &s,
            t.with("dec-title", &[("number", d.number.clone())]),
            "my",
        ),
        back,
        number: d.number.clone(),
        holder: d.holder_name.clone(),
        entry,
        level: doc["level"].as_str().map(str::to_string),
        certificate,
        catalog: str_of("catalog"),
        policy: str_of("policy"),
        issuer: text_of(&t, &doc["issuer"]),
        issued: when(&str_of("issued_at")),
        title,
        benefits: items("benefits"),
        obligations: items("obligations"),
        reasons: doc["reasons"].as_str().map(str::to_string),
        qr: qr_svg(&verify_url, &t.msg("dec-qr")),
        code: d.code.clone(),
        verify_url,
        download: format!("/api/v1/applications/{id}/decision.json"),
        key_id: signed.signature.key_id.clone(),
        revoked: d.revoked_at.map(|at| {
            (
                when(&zige_cases::Timestamp(at).rfc3339()),
                d.revoked_reason.clone().unwrap_or_default(),
            )
        }),
    };
    render(&page, &c, StatusCode::OK)
}

// ---------- public verification ----------

#[derive(Template)]
#[template(path = "case_verify.html")]
struct VerifyPage {
    page: Page,
    code: String,
    /// `valid`, `revoked`, `unknown`, or empty before a code is given.
    status: &'static str,
    number: String,
    holder: String,
    entry: String,
    level: Option<String>,
    catalog: String,
    issued: String,
    revoked_at: String,
    revoked_reason: String,
    signature_valid: bool,
}

impl VerifyPage {
    fn empty(page: Page, code: String) -> VerifyPage {
        VerifyPage {
            page,
            code,
            status: "",
            number: String::new(),
            holder: String::new(),
            entry: String::new(),
            level: None,
            catalog: String::new(),
            issued: String::new(),
            revoked_at: String::new(),
            revoked_reason: String::new(),
            signature_valid: false,
        }
    }
}

async fn verify_form(State(s): State<Shared>, c: Ctx) -> Response {
    if let Some(code) = c
        .query
        .get("code")
        .map(|x| x.trim())
        .filter(|x| !x.is_empty())
    {
        let code: String = code.chars().take(100).collect();
        return Redirect::to(&format!("/verify/{}", enc(&code))).into_response();
    }
    let page = VerifyPage::empty(c.page(&s, c.tr.msg("ver-title"), "verify"), String::new());
    render(&page, &c, StatusCode::OK)
}

async fn verify(State(s): State<Shared>, Path(code): Path<String>, c: Ctx) -> Response {
    let t = c.tr;
    let typed: String = code.chars().take(100).collect();
    let mut page = VerifyPage::empty(c.page(&s, t.msg("ver-title"), "verify"), typed);
    match cases::verify(&s, &code).await {
        Ok(v) => {
            page.status = if v.status == "revoked" {
                "revoked"
            } else {
                "valid"
            };
            page.number = v.number;
            page.holder = v.holder_name;
            page.entry = format!(
                "{} · {}",
                v.entry["code"].as_str().unwrap_or(""),
                text_of(&t, &v.entry["name"])
            );
            page.level = v.level;
            page.catalog = v.catalog;
            page.issued = day(&v.issued_at);
            page.revoked_at = v.revoked_at.as_deref().map(day).unwrap_or_default();
            page.revoked_reason = v.revoked_reason.unwrap_or_default();
            page.signature_valid = v.signature_valid;
            render(&page, &c, StatusCode::OK)
        }
        Err(errs) if status_of(&errs) == StatusCode::NOT_FOUND => {
            page.status = "unknown";
            render(&page, &c, StatusCode::NOT_FOUND)
        }
        Err(errs) => fail(&s, &c, errs),
    }
}

// ---------- review ----------

pub struct QueueLine {
    pub id: i64,
    pub holder: String,
    pub entry: String,
    pub list: String,
    pub state: String,
    pub state_label: String,
    pub submitted: String,
    pub waiting: String,
    pub email: String,
}

#[derive(Template)]
#[template(path = "case_queue.html")]
struct QueuePage {
    page: Page,
    f: Params,
    problems: Vec<Problem>,
    rows: Vec<QueueLine>,
    shown: String,
    prev: Option<String>,
    next: Option<String>,
}

impl QueuePage {
    fn v(&self, k: &str) -> &str {
        self.f.get(k).map(String::as_str).unwrap_or("")
    }
}

async fn queue(State(s): State<Shared>, c: Ctx) -> Response {
    let Some(v) = &c.viewer else {
        return c.login();
    };
    if !v.user.role.reviews() {
        return forbidden(&s, &c);
    }
    let t = c.tr;
    let f: Params = ["state", "entry", "list", "waiting_days", "page"]
        .iter()
        .filter_map(|k| {
            c.query
                .get(*k)
                .map(|x| x.trim().to_string())
                .filter(|x| !x.is_empty())
                .map(|x| (k.to_string(), x))
        })
        .collect();
    let page_no = f
        .get("page")
        .and_then(|p| p.parse::<i64>().ok())
        .unwrap_or(1)
        .clamp(1, 100_000);
    let (status, problems, total, items) = match cases::queue(&s, v, &f).await {
        Ok(qv) => (StatusCode::OK, Vec::new(), qv.total, qv.items),
        Err(errs)
            if status_of(&errs).is_client_error() && status_of(&errs) != StatusCode::FORBIDDEN =>
        {
            let e = Errs::of(&t, &errs.0);
            (StatusCode::BAD_REQUEST, e.summary, 0, Vec::new())
        }
        Err(errs) => return fail(&s, &c, errs),
    };
    let rows: Vec<QueueLine> = items
        .into_iter()
        .map(|r| QueueLine {
            id: r.id,
            holder: r.holder_name.unwrap_or_default(),
            entry: match (&r.entry_code, &r.entry_name) {
                (Some(code), Some(name)) => format!("{code} · {}", t.pick(name)),
                (Some(code), None) => code.clone(),
                _ => "—".into(),
            },
            list: match r.list.as_deref() {
                Some("urgent") => t.msg("rev-list-urgent"),
                Some("general") => t.msg("rev-list-general"),
                Some(other) => other.to_string(),
                None => "—".into(),
            },
            state: r.state,
            state_label: t.pick(&r.state_label),
            submitted: r.submitted_at.as_deref().map(when).unwrap_or_default(),
            waiting: t.count("rev-days", r.waiting_days.max(0) as usize),
            email: r.applicant_email,
        })
        .collect();
    let link = |n: i64| {
        let mut p: Vec<(String, String)> = f
            .iter()
            .filter(|(k, _)| *k != "page")
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        p.push(("page".into(), n.to_string()));
        p.sort();
        let q: Vec<String> = p
            .iter()
            .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
            .collect();
        format!("/review?{}", q.join("&"))
    };
    let first = (page_no - 1) * QUEUE_PAGE;
    let shown = if rows.is_empty() {
        String::new()
    } else {
        t.with(
            "rev-shown",
            &[
                ("from", (first + 1).to_string()),
                ("to", (first + rows.len() as i64).to_string()),
                ("total", total.to_string()),
            ],
        )
    };
    let page = QueuePage {
        page: c.page(&s, t.msg("rev-title"), "review"),
        prev: (page_no > 1).then(|| link(page_no - 1)),
        next: (first + (rows.len() as i64) < total).then(|| link(page_no + 1)),
        f,
        problems,
        rows,
        shown,
    };
    render(&page, &c, status)
}

#[derive(Template)]
#[template(path = "case_review.html")]
struct CasePage {
    page: Page,
    a: ApplicationView,
    csrf: String,
    holder: String,
    entry: String,
    state_label: String,
    applicant: String,
    submitted: Option<String>,
    can_decide: bool,
    /// Waiting and not yet taken up: the "Start review" button shows.
    can_start: bool,
    notice: Option<String>,
    conflict: Option<String>,
    problems: Vec<Problem>,
    outcome_error: Option<String>,
    reasons_error: Option<String>,
    outcome: String,
    reasons: String,
    summary: Vec<(String, String)>,
    evidence: Vec<EvidenceRow>,
    events: Vec<EventRow>,
    verdict: Option<Verdict>,
}

impl CasePage {
    fn picked(&self, o: &str) -> bool {
        self.outcome == o
    }
}

#[derive(Default)]
struct CaseShown {
    status: Option<StatusCode>,
    errors: Vec<ApiError>,
    conflict: Option<ApiError>,
    outcome: String,
    reasons: String,
}

async fn case_page(
    s: &Shared,
    c: &Ctx,
    v: &Viewer,
    app: zige_store::Application,
    shown: CaseShown,
) -> Response {
    let a = match cases::view(s, v, &app).await {
        Ok(a) => a,
        Err(e) => return fail(s, c, e),
    };
    let t = c.tr;
    let errs = Errs::of(&t, &shown.errors);
    let title = t.with("case-title", &[("id", a.id.to_string())]);
    let page = CasePage {
        page: c.page_at(s, title, "review", &format!("/review/{}", a.id)),
        csrf: v.csrf.clone(),
        holder: a.form.holder_name.clone().unwrap_or_default(),
        entry: entry_label(&t, a.entry.as_ref()),
        state_label: t.pick(&a.state_label),
        applicant: a
            .applicant
            .as_ref()
            .map(|u| format!("{} <{}>", u.name, u.email))
            .unwrap_or_default(),
        submitted: a.submitted_at.as_deref().map(when),
        can_decide: app.state.in_queue(),
        can_start: matches!(app.state, Stage::Submitted | Stage::Resubmitted),
        notice: notice(&t, &c.query).or_else(|| {
            (c.query.get("done").map(String::as_str) == Some("started"))
                .then(|| t.msg("rev-started"))
        }),
        conflict: shown.conflict.as_ref().map(|e| said(&t, e)),
        outcome_error: errs.get("outcome"),
        reasons_error: errs.get("reasons"),
        problems: errs.summary,
        outcome: shown.outcome,
        reasons: shown.reasons,
        summary: particulars(&t, &a),
        evidence: evidence_rows(&a),
        events: timeline(&t, &a),
        verdict: a.precheck.as_ref().map(|d| verdict(&t, d)),
        a,
    };
    render(&page, c, shown.status.unwrap_or(StatusCode::OK))
}

async fn case(State(s): State<Shared>, Id(id): Id, c: Ctx) -> Response {
    let Some(v) = &c.viewer else {
        return c.login();
    };
    if !v.user.role.reviews() {
        return forbidden(&s, &c);
    }
    match cases::read_case(&s, v, id).await {
        // A reviewer's own application: they see it as its applicant does.
        Ok(app) if app.applicant_id == v.user.id => {
            Redirect::to(&format!("/applications/{id}")).into_response()
        }
        Ok(app) => case_page(&s, &c, v, app, CaseShown::default()).await,
        Err(e) => fail(&s, &c, e),
    }
}

/// "Start review": the case is now under review, by this reviewer.
async fn start_review(
    State(s): State<Shared>,
    Id(id): Id,
    Posted {
        ctx: c,
        form: f,
        viewer: ref v,
    }: Posted,
) -> Response {
    if !v.user.role.reviews() {
        return forbidden(&s, &c);
    }
    let version = f.get("version").and_then(|x| x.trim().parse::<i64>().ok());
    let errs = match cases::start_review(&s, v, id, version).await {
        Ok(_) => return Redirect::to(&format!("/review/{id}?done=started#decide")).into_response(),
        Err(errs) => errs,
    };
    let status = status_of(&errs);
    if status != StatusCode::CONFLICT {
        return fail(&s, &c, errs);
    }
    // Someone else took it up or decided first: show the case as it is now.
    match cases::load(&s, v, id).await {
        Ok(app) => {
            let shown = CaseShown {
                status: Some(status),
                conflict: errs.0.into_iter().next(),
                ..CaseShown::default()
            };
            case_page(&s, &c, v, app, shown).await
        }
        Err(e) => fail(&s, &c, e),
    }
}

async fn decide(
    State(s): State<Shared>,
    Id(id): Id,
    Posted {
        ctx: c,
        form: f,
        viewer: ref v,
    }: Posted,
) -> Response {
    if !v.user.role.reviews() {
        return forbidden(&s, &c);
    }
    let outcome = f.get("outcome").cloned().unwrap_or_default();
    let reasons = f.get("reasons").cloned().unwrap_or_default();
    let r = cases::DecisionRequest {
        outcome: outcome.clone(),
        reasons: Some(reasons.clone()),
        version: f.get("version").and_then(|x| x.trim().parse::<i64>().ok()),
    };
    let errs = match cases::decide(&s, v, id, &r).await {
        Ok(out) if out.decision.is_some() => {
            return Redirect::to(&format!("/review/{id}?done=decided#decision")).into_response()
        }
        Ok(_) => return Redirect::to(&format!("/review/{id}?done=decided")).into_response(),
        Err(errs) => errs,
    };
    let status = status_of(&errs);
    if matches!(status.as_u16(), 401 | 403 | 404) {
        return fail(&s, &c, errs);
    }
    let app = match cases::load(&s, v, id).await {
        Ok(a) => a,
        Err(e) => return fail(&s, &c, e),
    };
    // A conflict about the field (the engine finds the conditions unmet)
    // is the reviewer's to fix; any other conflict means someone else
    // decided first, and the page shows the case as it is now.
    let about_field = errs.0.iter().any(|e| e.field.is_some());
    let shown = if status == StatusCode::CONFLICT && !about_field {
        CaseShown {
            status: Some(status),
            conflict: errs.0.into_iter().next(),
            ..CaseShown::default()
        }
    } else {
        CaseShown {
            status: Some(status),
            errors: errs.0,
            outcome,
            reasons,
            ..CaseShown::default()
        }
    };
    case_page(&s, &c, v, app, shown).await
}

// ---------- administration ----------

pub struct UserLine {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: &'static str,
    pub created: String,
    pub disabled: bool,
    pub me: bool,
}

#[derive(Template)]
#[template(path = "admin_users.html")]
struct UsersPage {
    page: Page,
    tab: &'static str,
    csrf: String,
    notice: Option<String>,
    problems: Vec<Problem>,
    rows: Vec<UserLine>,
    roles: Vec<(&'static str, String)>,
}

async fn users_page(
    s: &Shared,
    c: &Ctx,
    v: &Viewer,
    status: StatusCode,
    errs: Vec<ApiError>,
) -> Response {
    let list = match cases::users(s, v).await {
        Ok(u) => u,
        Err(e) => return fail(s, c, e),
    };
    let t = c.tr;
    let rows = list
        .iter()
        .map(|u| UserLine {
            id: u.id,
            email: u.email.clone(),
            name: u.name.clone(),
            role: u.role.code(),
            created: when(&zige_cases::Timestamp(u.created_at).rfc3339()),
            disabled: u.disabled,
            me: u.id == v.user.id,
        })
        .collect();
    let page = UsersPage {
        tab: "users",
        page: c.page_at(s, t.msg("adm-users-title"), "admin", "/admin/users"),
        csrf: v.csrf.clone(),
        notice: notice(&t, &c.query),
        problems: errs
            .iter()
            .map(|e| Problem {
                href: String::new(),
                text: said(&t, e),
            })
            .collect(),
        rows,
        roles: Role::ALL
            .iter()
            .map(|r| (r.code(), t.msg(&format!("role-{}", r.code()))))
            .collect(),
    };
    render(&page, c, status)
}

async fn users(State(s): State<Shared>, Admin { ctx: c, viewer: v }: Admin) -> Response {
    users_page(&s, &c, &v, StatusCode::OK, Vec::new()).await
}

async fn update_user(
    State(s): State<Shared>,
    Id(id): Id,
    Posted {
        ctx: c,
        form: f,
        viewer: ref v,
    }: Posted,
) -> Response {
    if !v.is(Role::Admin) {
        return forbidden(&s, &c);
    }
    let u = cases::UserUpdate {
        role: f.get("role").cloned().filter(|r| !r.is_empty()),
        disabled: match f.get("disabled").map(String::as_str) {
            Some("true") => Some(true),
            Some("false") => Some(false),
            _ => None,
        },
    };
    match cases::update_user(&s, v, id, &u).await {
        Ok(_) => Redirect::to("/admin/users?done=updated").into_response(),
        Err(errs) if matches!(status_of(&errs).as_u16(), 400 | 409) => {
            users_page(&s, &c, v, status_of(&errs), errs.0).await
        }
        Err(errs) => fail(&s, &c, errs),
    }
}

pub struct DecisionLine {
    pub number: String,
    pub code: String,
    pub holder: String,
    pub application: i64,
    pub issued: String,
    pub revoked: Option<(String, String)>,
    pub error: Option<String>,
    pub reason: String,
}

#[derive(Template)]
#[template(path = "admin_decisions.html")]
struct DecisionsPage {
    page: Page,
    tab: &'static str,
    csrf: String,
    notice: Option<String>,
    rows: Vec<DecisionLine>,
}

async fn decisions_page(
    s: &Shared,
    c: &Ctx,
    v: &Viewer,
    status: StatusCode,
    failed: Option<(String, String, String)>,
) -> Response {
    let list = match s.store() {
        Ok(store) => match store.decisions().await {
            Ok(d) => d,
            Err(e) => return fail(s, c, ApiError::from(e).into()),
        },
        Err(e) => return fail(s, c, e.into()),
    };
    let t = c.tr;
    let at = |ms: i64| when(&zige_cases::Timestamp(ms).rfc3339());
    let rows = list
        .into_iter()
        .map(|d| {
            let (error, reason) = match &failed {
                Some((code, msg, reason)) if *code == d.code => (Some(msg.clone()), reason.clone()),
                _ => (None, String::new()),
            };
            DecisionLine {
                revoked: d
                    .revoked_at
                    .map(|r| (at(r), d.revoked_reason.clone().unwrap_or_default())),
                number: d.number,
                code: d.code,
                holder: d.holder_name,
                application: d.application_id,
                issued: at(d.issued_at),
                error,
                reason,
            }
        })
        .collect();
    let page = DecisionsPage {
        tab: "decisions",
        page: c.page_at(s, t.msg("adm-dec-title"), "admin", "/admin/decisions"),
        csrf: v.csrf.clone(),
        notice: notice(&t, &c.query),
        rows,
    };
    render(&page, c, status)
}

async fn decisions(State(s): State<Shared>, Admin { ctx: c, viewer: v }: Admin) -> Response {
    decisions_page(&s, &c, &v, StatusCode::OK, None).await
}

async fn revoke(
    State(s): State<Shared>,
    Path(code): Path<String>,
    Posted {
        ctx: c,
        form: f,
        viewer: ref v,
    }: Posted,
) -> Response {
    if !v.is(Role::Admin) {
        return forbidden(&s, &c);
    }
    let reason = f.get("reason").cloned().unwrap_or_default();
    match cases::revoke(&s, v, &code, &reason).await {
        Ok(_) => Redirect::to("/admin/decisions?done=revoked").into_response(),
        Err(errs) if matches!(status_of(&errs).as_u16(), 400 | 409) => {
            let status = status_of(&errs);
            let msg = errs
                .0
                .iter()
                .map(|e| short(&c.tr, e))
                .collect::<Vec<_>>()
                .join(" ");
            decisions_page(&s, &c, v, status, Some((code, msg, reason))).await
        }
        Err(errs) => fail(&s, &c, errs),
    }
}

pub struct AuditLine {
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub subject: String,
    pub detail: String,
    pub hash: String,
}

#[derive(Template)]
#[template(path = "admin_audit.html")]
struct AuditPage {
    page: Page,
    tab: &'static str,
    rows: Vec<AuditLine>,
    older: Option<String>,
    newest: bool,
}

async fn audit(State(s): State<Shared>, Admin { ctx: c, viewer: v }: Admin) -> Response {
    let before = match c
        .query
        .get("before")
        .map(|b| b.trim())
        .filter(|b| !b.is_empty())
    {
        None => None,
        Some(b) => match b.parse::<i64>() {
            Ok(n) if n > 0 => Some(n),
            _ => {
                return fail(
                    &s,
                    &c,
                    ApiError::invalid("before", b, "a record number (a whole number above 0)")
                        .into(),
                )
            }
        },
    };
    let records = match cases::audit(&s, &v, before, AUDIT_PAGE).await {
        Ok(r) => r,
        Err(e) => return fail(&s, &c, e),
    };
    let emails: HashMap<i64, String> = match cases::users(&s, &v).await {
        Ok(u) => u.into_iter().map(|u| (u.id, u.email)).collect(),
        Err(e) => return fail(&s, &c, e),
    };
    let t = c.tr;
    let older = (records.len() as i64 == AUDIT_PAGE)
        .then(|| {
            records
                .last()
                .map(|r| format!("/admin/audit?before={}", r.seq))
        })
        .flatten();
    let rows = records
        .into_iter()
        .map(|r| AuditLine {
            seq: r.seq,
            at: when(&zige_cases::Timestamp(r.at).rfc3339()),
            actor: match r.actor {
                Some(id) => emails.get(&id).cloned().unwrap_or_else(|| format!("#{id}")),
                None => t.msg("adm-system"),
            },
            action: r.action,
            subject: r.subject,
            detail: r.detail.chars().take(300).collect(),
            hash: r.hash.chars().take(12).collect(),
        })
        .collect();
    let page = AuditPage {
        tab: "audit",
        page: c.page(&s, t.msg("adm-audit-title"), "admin"),
        rows,
        older,
        newest: before.is_none(),
    };
    render(&page, &c, StatusCode::OK)
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
            assert_eq!(safe_next(Some(&bad.to_string())), "/my", "{bad}");
        }
        assert_eq!(safe_next(None), "/my");
    }

    #[test]
    fn posted_fields_become_the_form_and_typed_values_are_kept() {
        let f: Params = [
            ("holder_name", " Ada Lovelace "),
            ("entry", "G7"),
            ("age", "41"),
            ("experience_years", "abc"),
            ("beijing_employer", "true"),
            ("high_end_industry", "true"),
            ("cert_issued_on", "2020-01-02"),
            ("cert_expires_on", ""),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let v = form_json(&f);
        assert_eq!(v["holder_name"], "Ada Lovelace");
        assert_eq!(v["profile"]["age"], 41);
        assert_eq!(v["profile"]["experience_years"], "abc");
        assert_eq!(v["profile"]["beijing_employer"], true);
        assert_eq!(v["profile"]["high_end_industry"], true);
        assert_eq!(v["certificate"]["issued_on"], "2020-01-02");
        assert!(v["certificate"].get("expires_on").is_none());
        let form: ApplicationForm = serde_json::from_value(v).unwrap();
        let back = values_of(&form);
        assert_eq!(back["age"], "41");
        assert_eq!(back["cert_issued_on"], "2020-01-02");
        assert_eq!(back["beijing_employer"], "true");
    }

    #[test]
    fn errors_name_their_field_in_the_page_language() {
        let t = Tr {
            lang: zige_catalog::Lang::Zh,
        };
        let e = ApiError::invalid("certificate.issued_on", "", "a date");
        let errs = Errs::of(&t, &[e]);
        assert_eq!(errs.summary[0].href, "#cert_issued_on");
        assert!(
            errs.summary[0].text.contains("发证日期"),
            "{}",
            errs.summary[0].text
        );
        assert!(errs.get("cert_issued_on").is_some());
        let future = zige_rules::InputError::new(
            "certificate.issued_on",
            "2099-01-01",
            "a date on or before today (2026-11-27)",
        );
        let errs = Errs::of(&t, &[ApiError::from_input(future)]);
        assert_eq!(
            errs.summary[0].text,
            "发证日期：2099-01-01 晚于今天：请填写证书的实际发证日期。"
        );
        let mut unknown =
            zige_rules::InputError::new("profile.entry", "G999", "an entry of beijing/3.0");
        unknown.suggestions = vec!["G9 Example".into()];
        let en = Tr {
            lang: zige_catalog::Lang::En,
        };
        let errs = Errs::of(&en, &[ApiError::from_input(unknown)]);
        assert_eq!(errs.summary[0].href, "#entry");
        assert!(
            errs.summary[0]
                .text
                .contains("“G999” is not in the catalogue")
                && errs.summary[0].text.ends_with("Did you mean G9 Example?"),
            "{}",
            errs.summary[0].text
        );
    }

    #[test]
    fn the_qr_code_is_inline_svg_with_a_name() {
        let svg = qr_svg("http://localhost:8080/verify/ABC", "QR \"code\"");
        assert!(
            svg.starts_with("<svg role=\"img\" aria-label=\"QR &quot;code&quot;\""),
            "{svg}"
        );
        assert!(!svg.contains("<?xml"));
    }
}
