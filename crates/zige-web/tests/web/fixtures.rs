//! What the stories start from: the apps with their staff, a PDF, a
//! complete application form (API and page), a submitted application,
//! and sign-in requests from a given address.

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{header, Method, Request, StatusCode};
use serde_json::{json, Value};
use zige_cases::Role;

use crate::helpers::{parse_proxy, peer, Browser, TestApp, ADMIN, REVIEWER, STAFF_PASSWORD};

/// Two reviewers and an administrator.
pub const CASE_STAFF: &[(&str, Role)] = &[
    (REVIEWER, Role::Reviewer),
    ("rev2@example.org", Role::Reviewer),
    (ADMIN, Role::Admin),
];

/// The app of the cases API stories: [`CASE_STAFF`], served over HTTPS.
pub async fn api_app(tag: &str) -> TestApp {
    TestApp::at(&format!("api-{tag}"), CASE_STAFF, "https://zige.example").await
}

/// The app of the case page stories: [`CASE_STAFF`], served as localhost.
pub async fn pages_app(tag: &str) -> TestApp {
    TestApp::new(tag, CASE_STAFF).await
}

/// The app of the sign-in stories: a reviewer, an administrator and an
/// applicant (ada@example.org), all with [`STAFF_PASSWORD`], behind
/// these trusted proxies.
pub async fn sign_in_app(tag: &str, public_url: &str, proxies: &[&str]) -> TestApp {
    let staff = [
        (REVIEWER, Role::Reviewer),
        (ADMIN, Role::Admin),
        ("ada@example.org", Role::Applicant),
    ];
    let proxies: Vec<_> = proxies.iter().map(|p| parse_proxy(p).unwrap()).collect();
    TestApp::tuned(&format!("auth-{tag}"), &staff, public_url, |state| {
        state.trusted_proxies = proxies
    })
    .await
}

pub const PDF: &[u8] = b"%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n";

/// A complete application form, as the API takes it.
pub fn application_form() -> Value {
    json!({"holder_name": "Ada Lovelace", "profile": {"entry": "G7", "age": 40, "beijing_employer": true},
           "certificate": {"number": "CFA-123", "issuer": "CFA Institute", "issued_on": "2020-05-01"}})
}

/// A complete application form, as the page posts it with `action`.
pub fn complete_form<'a>(
    csrf: &'a str,
    version: &'a str,
    action: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("csrf", csrf),
        ("version", version),
        ("action", action),
        ("holder_name", "Ada Lovelace"),
        ("entry", "G7"),
        ("age", "40"),
        ("beijing_employer", "true"),
        ("nationality", "foreign"),
        ("cert_number", "CFA-123"),
        ("cert_issuer", "CFA Institute"),
        ("cert_issued_on", "2020-05-01"),
        ("cert_expires_on", ""),
    ]
}

impl TestApp {
    /// A complete, submitted application of `token`'s account.
    pub async fn submitted(&self, token: &str) -> i64 {
        let r = self
            .call(
                Method::POST,
                "/api/v1/applications",
                Some(token),
                Some(application_form()),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED);
        let id = r.json()["id"].as_i64().unwrap();
        assert_eq!(
            self.upload(token, id, "cert.pdf", PDF).await.status,
            StatusCode::CREATED
        );
        let r = self
            .call(
                Method::POST,
                &format!("/api/v1/applications/{id}/submit"),
                Some(token),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        id
    }
}

/// ada@example.org registers and submits a complete application through
/// the pages; its id and her browser.
pub async fn submitted_case(app: &TestApp) -> (i64, Browser<'_>) {
    let mut b = Browser::new(app);
    b.register("ada@example.org").await;
    let id = b.new_application().await;
    let url = format!("/applications/{id}");
    let csrf = b.csrf().await;
    let r = b
        .upload(&format!("{url}/evidence"), &csrf, "cert.pdf", PDF)
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let version = b.get(&url).await.hidden("version");
    let r = b
        .post(&url, &complete_form(&csrf, &version, "continue"))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    assert_eq!(r.location(), format!("{url}/check"));
    let r = b
        .post(
            &format!("{url}/submit"),
            &[("csrf", &csrf), ("declaration", "yes")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    (id, b)
}

/// POST /api/v1/session from `peer`, with an X-Forwarded-For header maybe.
pub fn sign_in(email: &str, password: &str, peer: &str, forwarded: Option<&str>) -> Request<Body> {
    sign_in_with(
        json!({"email": email, "password": password}),
        peer,
        forwarded,
    )
}

/// The same with a second-factor code (staff).
pub fn staff_sign_in(email: &str, code: &str) -> Request<Body> {
    sign_in_with(
        json!({"email": email, "password": STAFF_PASSWORD, "code": code}),
        "192.0.2.1",
        None,
    )
}

fn sign_in_with(body: Value, from: &str, forwarded: Option<&str>) -> Request<Body> {
    let mut b = Request::post("/api/v1/session")
        .header(header::CONTENT_TYPE, "application/json")
        .extension(ConnectInfo(peer(from)));
    if let Some(f) = forwarded {
        b = b.header("x-forwarded-for", f);
    }
    b.body(Body::from(body.to_string())).unwrap()
}
