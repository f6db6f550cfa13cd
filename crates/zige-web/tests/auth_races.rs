//! Concurrent guesses against the sign-in limits: at most the limit is
//! evaluated, the rest wait (429 with Retry-After). In a process of their
//! own, as they fill the hashing pool that the other tests share.

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{header, Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::{json, Value};
use tower::ServiceExt;
use zige_cases::Role;

mod common;
use common::{Env, STAFF_PASSWORD};

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
    let mut b = Request::post("/api/v1/session")
        .header(header::CONTENT_TYPE, "application/json")
        .extension(ConnectInfo(addr(peer)));
    if let Some(f) = forwarded {
        b = b.header("x-forwarded-for", f);
    }
    b.body(Body::from(
        json!({"email": email, "password": password}).to_string(),
    ))
    .unwrap()
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
async fn concurrent_guesses_on_one_account_cannot_all_be_evaluated() {
    let env = env("race-account", "http://localhost:8080", &[]).await;
    let env = std::sync::Arc::new(env);
    let mut tasks = Vec::new();
    for i in 0..40 {
        let env = env.clone();
        // The right password is among the guesses.
        let password = if i == 20 {
            STAFF_PASSWORD
        } else {
            "wrong password"
        };
        tasks.push(tokio::spawn(async move {
            send(
                &env,
                sign_in("ada@example.org", password, "198.51.100.7", None),
            )
            .await
        }));
    }
    let mut evaluated = 0;
    for t in tasks {
        let r = t.await.unwrap();
        match r.status {
            StatusCode::UNAUTHORIZED | StatusCode::CREATED => evaluated += 1,
            // The hashing pool was full: not evaluated, told to come back.
            StatusCode::SERVICE_UNAVAILABLE => assert_eq!(r.error()["code"], "busy"),
            _ => assert_wait(&r),
        }
    }
    assert!(evaluated <= 5, "{evaluated} of 40 guesses were evaluated");
}

#[tokio::test]
async fn concurrent_guesses_from_one_address_are_held_to_its_limit() {
    let env = std::sync::Arc::new(env("race-address", "http://localhost:8080", &[]).await);
    let mut tasks = Vec::new();
    for i in 0..200 {
        let env = env.clone();
        tasks.push(tokio::spawn(async move {
            let email = format!("nobody{i}@example.org");
            send(
                &env,
                sign_in(&email, "wrong password", "198.51.100.8", None),
            )
            .await
        }));
    }
    let (mut evaluated, mut waited) = (0, 0);
    for t in tasks {
        let r = t.await.unwrap();
        match r.status {
            StatusCode::UNAUTHORIZED => evaluated += 1,
            // The hashing pool was full: not evaluated, told to come back.
            StatusCode::SERVICE_UNAVAILABLE => {
                assert!(!r.header(header::RETRY_AFTER).is_empty());
                assert_eq!(r.error()["code"], "busy");
            }
            _ => {
                assert_wait(&r);
                waited += 1
            }
        }
    }
    assert!(evaluated <= 30, "{evaluated} of 200 guesses were evaluated");
    assert!(waited >= 100, "only {waited} were told to wait");
}
