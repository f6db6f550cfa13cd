//! Signing in as an attacker would try it: guesses against the limits,
//! spoofed X-Forwarded-For, an owner behind other addresses, login CSRF;
//! throttled API sign-ins and cookie sessions that need their CSRF token.

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use serde_json::json;

use super::assert_wait;
use crate::fixtures::*;
use crate::helpers::*;

#[tokio::test]
async fn the_owner_is_not_locked_out_by_failures_from_another_address() {
    let env = sign_in_app("owner", "http://localhost:8080", &[]).await;
    for _ in 0..5 {
        let r = env
            .send(sign_in(
                "ada@example.org",
                "wrong password",
                "198.51.100.9",
                None,
            ))
            .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    }
    // The attacker's address waits, even with the right password ...
    let r = env
        .send(sign_in(
            "ada@example.org",
            STAFF_PASSWORD,
            "198.51.100.9",
            None,
        ))
        .await;
    assert_wait(&r);
    // ... the owner, elsewhere, does not.
    let r = env
        .send(sign_in(
            "ada@example.org",
            STAFF_PASSWORD,
            "203.0.113.20",
            None,
        ))
        .await;
    assert_eq!(r.status, StatusCode::CREATED);
}

#[tokio::test]
async fn a_spoofed_forwarded_for_from_an_untrusted_peer_is_ignored() {
    let env = sign_in_app("spoof", "http://localhost:8080", &["10.0.0.0/8"]).await;
    // A new X-Forwarded-For for every guess does not make a new address.
    for i in 0..30 {
        let fake = format!("192.0.2.{i}");
        let email = format!("guess{i}@example.org");
        let r = env
            .send(sign_in(
                &email,
                "wrong password",
                "198.51.100.10",
                Some(&fake),
            ))
            .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    }
    let r = env
        .send(sign_in(
            "guess99@example.org",
            "wrong password",
            "198.51.100.10",
            Some("192.0.2.99"),
        ))
        .await;
    assert_wait(&r);
}

#[tokio::test]
async fn forwarded_for_from_a_trusted_proxy_names_the_client() {
    let env = sign_in_app("proxy", "http://localhost:8080", &["10.0.0.0/8"]).await;
    for _ in 0..5 {
        let r = env
            .send(sign_in(
                "ada@example.org",
                "wrong password",
                "10.0.0.1",
                Some("1.2.3.4, 203.0.113.5"),
            ))
            .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    }
    // The client behind the proxy (the right-most untrusted hop) waits ...
    let r = env
        .send(sign_in(
            "ada@example.org",
            STAFF_PASSWORD,
            "10.0.0.2",
            Some("203.0.113.5"),
        ))
        .await;
    assert_wait(&r);
    // ... another client behind the same proxy is someone else.
    let r = env
        .send(sign_in(
            "ada@example.org",
            STAFF_PASSWORD,
            "10.0.0.1",
            Some("203.0.113.6, 10.0.0.3"),
        ))
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
    let env = sign_in_app("login-csrf", "http://localhost:8080", &[]).await;
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
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
}

#[tokio::test]
async fn the_sign_in_page_says_how_long_to_wait() {
    let env = sign_in_app("page-wait", "http://localhost:8080", &[]).await;
    let mut b = Browser::new(&env);
    b.peer = Some(peer("198.51.100.30"));
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
async fn sign_in_is_throttled_and_cookie_sessions_need_the_csrf_token() {
    let e = api_app("throttle").await;
    e.applicant("ada@example.org").await;
    for _ in 0..5 {
        let r = e
            .call(
                Method::POST,
                "/api/v1/session",
                None,
                Some(json!({"email": "ada@example.org", "password": "wrong password"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    }
    let r = e
        .call(
            Method::POST,
            "/api/v1/session",
            None,
            Some(json!({"email": "ada@example.org", "password": "correct horse"})),
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::TOO_MANY_REQUESTS,
        "even the right password waits after 5 failures"
    );

    e.applicant("bob@example.org").await;
    let s = e
        .call(
            Method::POST,
            "/api/v1/session",
            None,
            Some(json!({"email": "bob@example.org", "password": "correct horse"})),
        )
        .await
        .json();
    let (token, csrf) = (s["token"].as_str().unwrap(), s["csrf"].as_str().unwrap());
    let cookie_post = |csrf: Option<&str>| {
        let mut b = Request::post("/api/v1/applications")
            .header(header::COOKIE, format!("zige_session={token}"))
            .header(header::CONTENT_TYPE, "application/json");
        if let Some(c) = csrf {
            b = b.header("x-csrf-token", c);
        }
        b.body(Body::from("{}")).unwrap()
    };
    let forged = e.send(cookie_post(None)).await;
    assert_eq!(
        (forged.status, forged.error()["code"].as_str()),
        (StatusCode::FORBIDDEN, Some("csrf"))
    );
    assert_eq!(
        e.send(cookie_post(Some(csrf))).await.status,
        StatusCode::CREATED
    );
    // Signing out ends the session.
    assert_eq!(
        e.call(Method::DELETE, "/api/v1/session", Some(token), None)
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        e.call(Method::GET, "/api/v1/me", Some(token), None)
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    let _ = e
        .send(Request::get("/").body(Body::empty()).unwrap())
        .await
        .headers;
}
