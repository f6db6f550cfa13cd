//! Signing in as an attacker would try it: concurrent guesses against the
//! limits, spoofed X-Forwarded-For, an owner behind other addresses, login
//! CSRF; and what every answer carries: security headers, no-store on
//! personal data, errors (413, 414) in the envelope.

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{header, Method, Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::{json, Value};
use tower::ServiceExt;
use zige_cases::Role;

mod common;
use common::{Browser, Env, STAFF_PASSWORD};

struct Reply {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: Vec<u8>,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }
    fn error(&self) -> Value {
        self.json()["errors"][0].clone()
    }
    fn header(&self, name: header::HeaderName) -> String {
        self.headers
            .get(name)
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default()
    }
}

fn addr(ip: &str) -> SocketAddr {
    SocketAddr::new(ip.parse().unwrap(), 40000)
}

async fn send(env: &Env, req: Request<Body>) -> Reply {
    let resp = env.router.clone().oneshot(req).await.unwrap();
    let status = resp.status();
    let headers = resp.headers().clone();
    let body = resp
        .into_body()
        .collect()
        .await
        .unwrap()
        .to_bytes()
        .to_vec();
    Reply {
        status,
        headers,
        body,
    }
}

/// POST /api/v1/session from `peer`, with an X-Forwarded-For header maybe.
fn sign_in(email: &str, password: &str, peer: &str, forwarded: Option<&str>) -> Request<Body> {
    sign_in_with(
        json!({"email": email, "password": password}),
        peer,
        forwarded,
    )
}

/// The same with a second-factor code (staff).
fn staff_sign_in(email: &str, code: &str) -> Request<Body> {
    sign_in_with(
        json!({"email": email, "password": STAFF_PASSWORD, "code": code}),
        "192.0.2.1",
        None,
    )
}

fn sign_in_with(body: Value, peer: &str, forwarded: Option<&str>) -> Request<Body> {
    let mut b = Request::post("/api/v1/session")
        .header(header::CONTENT_TYPE, "application/json")
        .extension(ConnectInfo(addr(peer)));
    if let Some(f) = forwarded {
        b = b.header("x-forwarded-for", f);
    }
    b.body(Body::from(body.to_string())).unwrap()
}

fn get(uri: &str, token: Option<&str>) -> Request<Body> {
    let mut b = Request::get(uri);
    if let Some(t) = token {
        b = b.header(header::AUTHORIZATION, format!("Bearer {t}"));
    }
    b.body(Body::empty()).unwrap()
}

async fn env(tag: &str, public_url: &str, proxies: &[&str]) -> Env {
    let staff = [
        ("rev@example.org", Role::Reviewer),
        ("admin@example.org", Role::Admin),
        ("ada@example.org", Role::Applicant),
    ];
    let proxies: Vec<_> = proxies
        .iter()
        .map(|p| zige_web::auth::parse_proxy(p).unwrap())
        .collect();
    common::env_tuned(&format!("auth-{tag}"), &staff, public_url, |s| {
        s.trusted_proxies = proxies
    })
    .await
}

/// A 429 says how long to wait, in the header and in the envelope.
fn assert_wait(r: &Reply) {
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    let secs: u64 = r.header(header::RETRY_AFTER).parse().expect("Retry-After");
    assert!(secs >= 1);
    assert_eq!(r.error()["retry_after"].as_u64(), Some(secs));
    assert_eq!(r.error()["code"], "too_many_attempts");
    assert!(r.error()["message"]["zh"]
        .as_str()
        .unwrap()
        .contains("秒后再试"));
}

#[tokio::test]
async fn the_owner_is_not_locked_out_by_failures_from_another_address() {
    let env = env("owner", "http://localhost:8080", &[]).await;
    for _ in 0..5 {
        let r = send(
            &env,
            sign_in("ada@example.org", "wrong password", "198.51.100.9", None),
        )
        .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    }
    // The attacker's address waits, even with the right password ...
    let r = send(
        &env,
        sign_in("ada@example.org", STAFF_PASSWORD, "198.51.100.9", None),
    )
    .await;
    assert_wait(&r);
    // ... the owner, elsewhere, does not.
    let r = send(
        &env,
        sign_in("ada@example.org", STAFF_PASSWORD, "203.0.113.20", None),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED);
}

#[tokio::test]
async fn a_spoofed_forwarded_for_from_an_untrusted_peer_is_ignored() {
    let env = env("spoof", "http://localhost:8080", &["10.0.0.0/8"]).await;
    // A new X-Forwarded-For for every guess does not make a new address.
    for i in 0..30 {
        let fake = format!("192.0.2.{i}");
        let email = format!("guess{i}@example.org");
        let r = send(
            &env,
            sign_in(&email, "wrong password", "198.51.100.10", Some(&fake)),
        )
        .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    }
    let r = send(
        &env,
        sign_in(
            "guess99@example.org",
            "wrong password",
            "198.51.100.10",
            Some("192.0.2.99"),
        ),
    )
    .await;
    assert_wait(&r);
}

#[tokio::test]
async fn forwarded_for_from_a_trusted_proxy_names_the_client() {
    let env = env("proxy", "http://localhost:8080", &["10.0.0.0/8"]).await;
    for _ in 0..5 {
        let r = send(
            &env,
            sign_in(
                "ada@example.org",
                "wrong password",
                "10.0.0.1",
                Some("1.2.3.4, 203.0.113.5"),
            ),
        )
        .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    }
    // The client behind the proxy (the right-most untrusted hop) waits ...
    let r = send(
        &env,
        sign_in(
            "ada@example.org",
            STAFF_PASSWORD,
            "10.0.0.2",
            Some("203.0.113.5"),
        ),
    )
    .await;
    assert_wait(&r);
    // ... another client behind the same proxy is someone else.
    let r = send(
        &env,
        sign_in(
            "ada@example.org",
            STAFF_PASSWORD,
            "10.0.0.1",
            Some("203.0.113.6, 10.0.0.3"),
        ),
    )
    .await;
    assert_eq!(
        r.status,
        StatusCode::CREATED,
        "{}",
        String::from_utf8_lossy(&r.body)
    );
}

#[tokio::test]
async fn sign_in_and_registration_forms_need_their_csrf_token() {
    let env = env("login-csrf", "http://localhost:8080", &[]).await;
    let mut b = Browser::new(&env);
    let form = [
        ("email", "ada@example.org"),
        ("password", STAFF_PASSWORD),
        ("next", "/my"),
    ];
    // A form posted from elsewhere has neither cookie nor token.
    let r = b.post("/login", &form).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(b.cookie.is_none(), "no session for a forged sign-in");
    // The page sets a SameSite=Strict cookie and repeats it in the form.
    let mut b = Browser::new(&env);
    let page = b.get("/login?lang=en").await;
    let csrf = page.hidden("csrf");
    assert_eq!(b.pre_csrf.as_deref(), Some(&*csrf));
    let cookie = page
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|c| c.starts_with("zige_csrf="))
        .unwrap();
    assert!(
        cookie.contains("SameSite=Strict") && cookie.contains("HttpOnly"),
        "{cookie}"
    );
    // A token that is not the cookie's is refused too.
    let mut wrong = form.to_vec();
    wrong.push(("csrf", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"));
    let r = b.post("/login", &wrong).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.has("请刷新页面后重试"), "{}", r.text());
    let mut right = form.to_vec();
    right.push(("csrf", &csrf));
    let r = b.post("/login", &right).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    assert!(b.cookie.is_some());

    let mut c = Browser::new(&env);
    let reg = [
        ("email", "new@example.org"),
        ("password", "correct horse"),
        ("name", "New"),
    ];
    let r = c.post("/register", &reg).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(c.cookie.is_none());
    let csrf = c.form_csrf("/register").await;
    let mut right = reg.to_vec();
    right.push(("csrf", &csrf));
    let r = c.post("/register", &right).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
}

#[tokio::test]
async fn the_sign_in_page_says_how_long_to_wait() {
    let env = env("page-wait", "http://localhost:8080", &[]).await;
    let mut b = Browser::new(&env);
    b.peer = Some(addr("198.51.100.30"));
    let csrf = b.form_csrf("/login?lang=en").await;
    let mut last = None;
    for _ in 0..6 {
        last = Some(
            b.post(
                "/login",
                &[
                    ("email", "ada@example.org"),
                    ("password", "wrong password"),
                    ("csrf", &csrf),
                ],
            )
            .await,
        );
    }
    let r = last.unwrap();
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    let wait = r.header(header::RETRY_AFTER);
    assert!(wait == "1" || wait == "2", "{wait}");
    assert!(r.has(&format!("请在 {wait} 秒后重试")), "{}", r.text());
}

#[tokio::test]
async fn pages_forbid_framing_and_inline_script_and_https_gets_hsts() {
    let https = env("headers-https", "https://zige.example", &[]).await;
    let local = env("headers-local", "http://localhost:8080", &[]).await;
    for path in ["/", "/login", "/register", "/verify"] {
        let r = send(&https, get(path, None)).await;
        assert_eq!(r.status, StatusCode::OK, "{path}");
        assert_eq!(
            r.header(header::CONTENT_SECURITY_POLICY),
            zige_web::protect::CSP,
            "{path}"
        );
        let csp = r.header(header::CONTENT_SECURITY_POLICY);
        assert!(csp.contains("frame-ancestors 'none'") && !csp.contains("unsafe-inline"));
        assert_eq!(r.header(header::X_FRAME_OPTIONS), "DENY", "{path}");
        assert_eq!(
            r.header(header::STRICT_TRANSPORT_SECURITY),
            "max-age=31536000; includeSubDomains"
        );
        let html = String::from_utf8_lossy(&r.body);
        assert!(
            !html.contains("style=\"") && !html.contains("<style"),
            "{path}: inline style"
        );
        assert!(!html.contains("<script>"), "{path}: inline script");
        let r = send(&local, get(path, None)).await;
        assert!(
            r.header(header::STRICT_TRANSPORT_SECURITY).is_empty(),
            "no HSTS on plain http"
        );
    }
    let r = send(&https, get("/api/v1/entries", None)).await;
    assert!(!r.header(header::STRICT_TRANSPORT_SECURITY).is_empty());
}

#[tokio::test]
async fn personal_data_is_never_stored_by_caches() {
    let env = env("no-store", "http://localhost:8080", &[]).await;
    let token = |r: Reply| r.json()["token"].as_str().unwrap().to_string();
    let ada = token(
        send(
            &env,
            sign_in("ada@example.org", STAFF_PASSWORD, "192.0.2.1", None),
        )
        .await,
    );
    let rev = token(
        send(
            &env,
            staff_sign_in("rev@example.org", &env.totp("rev@example.org").await),
        )
        .await,
    );
    let admin = token(
        send(
            &env,
            staff_sign_in("admin@example.org", &env.totp("admin@example.org").await),
        )
        .await,
    );
    let created = send(
        &env,
        Request::post("/api/v1/applications")
            .header(header::AUTHORIZATION, format!("Bearer {ada}"))
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from("{}"))
            .unwrap(),
    )
    .await;
    assert_eq!(created.status, StatusCode::CREATED);
    assert_eq!(created.header(header::CACHE_CONTROL), "private, no-store");
    let id = created.json()["id"].as_i64().unwrap();
    for (uri, who) in [
        ("/api/v1/me".to_string(), &ada),
        ("/api/v1/me/export".to_string(), &ada),
        ("/api/v1/applications".to_string(), &ada),
        (format!("/api/v1/applications/{id}"), &ada),
        (format!("/api/v1/applications/{id}/decision.json"), &ada),
        (format!("/api/v1/applications/{id}/evidence/1"), &ada),
        ("/api/v1/review/queue".to_string(), &rev),
        ("/api/v1/admin/users".to_string(), &admin),
        ("/api/v1/admin/audit".to_string(), &admin),
    ] {
        let r = send(&env, get(&uri, Some(who))).await;
        assert_eq!(
            r.header(header::CACHE_CONTROL),
            "private, no-store",
            "{uri}: {}",
            r.status
        );
    }
    // Also when nobody is signed in (a 401 is no one's to cache either).
    let r = send(&env, get("/api/v1/me", None)).await;
    assert_eq!(r.header(header::CACHE_CONTROL), "private, no-store");
    // Signed-in pages.
    let mut b = Browser::new(&env);
    b.sign_in("ada@example.org", STAFF_PASSWORD).await;
    for path in ["/my", "/", "/browse"] {
        let r = b.get(path).await;
        assert_eq!(
            r.header(header::CACHE_CONTROL),
            "private, no-store",
            "{path}"
        );
    }
    // The public catalogue stays cacheable.
    let r = send(&env, get("/api/v1/entries", None)).await;
    assert_ne!(r.header(header::CACHE_CONTROL), "private, no-store");
}

#[tokio::test]
async fn oversized_bodies_and_queries_are_answered_in_the_envelope() {
    let env = env("limits", "http://localhost:8080", &[]).await;
    let big = format!(
        "{{\"email\":\"{}\",\"password\":\"x\"}}",
        "a".repeat(200 * 1024)
    );
    let r = send(
        &env,
        Request::post("/api/v1/session")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(big))
            .unwrap(),
    )
    .await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(r.error()["status"], 413);
    assert_eq!(r.error()["code"], "payload_too_large");
    assert!(r.error()["message"]["zh"]
        .as_str()
        .unwrap()
        .contains("请求内容"));
    let q = "x".repeat(20 * 1024);
    let r = send(&env, get(&format!("/api/v1/search?q={q}"), None)).await;
    assert_eq!(r.status, StatusCode::URI_TOO_LONG);
    assert_eq!(r.error()["status"], 414);
    assert_eq!(r.error()["code"], "uri_too_long");
    assert_eq!(r.error()["field"], "query");
    assert!(r.error()["message"]["en"]
        .as_str()
        .unwrap()
        .contains("8192"));
    // A path parameter of the wrong type (an extractor's plain-text
    // rejection) is in the envelope too.
    let r = send(
        &env,
        Request::builder()
            .method(Method::GET)
            .uri("/api/v1/applications/not-a-number")
            .header(header::AUTHORIZATION, "Bearer nobody")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert!(r.status.is_client_error());
    assert!(r.json()["errors"][0]["status"].is_u64());
}
