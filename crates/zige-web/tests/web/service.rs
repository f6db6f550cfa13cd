//! What every answer carries, whatever the feature: the error envelope,
//! compression and CORS, security headers, no-store on personal data,
//! limits on bodies and queries; the operations endpoints; the server on
//! a real socket.

use std::sync::Arc;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};

use crate::fixtures::{sign_in, sign_in_app, staff_sign_in};
use crate::helpers::public::{get, send};
use crate::helpers::*;

#[tokio::test]
async fn wrong_methods_and_unknown_paths_use_the_error_envelope() {
    let r = send(
        Request::delete("/api/v1/entries")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(r.error()["code"], "method_not_allowed");
    assert!(r.error()["detail"]
        .as_str()
        .unwrap()
        .contains("/api/v1/entries"));
    let r = get("/api/v1/nothing").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.error()["code"], "not_found");
}

#[tokio::test]
async fn responses_are_compressed_and_get_is_open_to_other_origins() {
    let r = send(
        Request::get("/api/v1/export.json")
            .header(header::ACCEPT_ENCODING, "br")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(r.header(header::CONTENT_ENCODING), "br");
    let r = send(
        Request::get("/api/v1/entries/G7")
            .header(header::ACCEPT_ENCODING, "gzip")
            .header(header::ORIGIN, "https://hr.example")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(r.header(header::CONTENT_ENCODING), "gzip");
    assert_eq!(r.header(header::ACCESS_CONTROL_ALLOW_ORIGIN), "*");
    assert!(!r
        .header(header::HeaderName::from_static("x-request-id"))
        .is_empty());
}

#[tokio::test]
async fn operations_endpoints_answer() {
    assert_eq!(get("/healthz").await.json()["status"], "ok");
    assert_eq!(get("/readyz").await.json()["entries"], 122);
    let _ = get("/api/v1/entries/G1").await;
    let m = get("/metrics").await.text();
    assert!(m.contains("zige_http_requests_total{route=\"/api/v1/entries/{id}\",method=\"GET\",status=\"200\"}"), "{m}");
    assert!(m.contains("zige_http_request_duration_seconds_bucket"));
}

/// Zero To Production style: the real server on port 0, a real socket.
#[tokio::test]
async fn the_server_listens_on_a_real_port_and_creates_its_database() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let dir = temp_dir("server");
    let store = zige_store::Store::open(&dir, None).await.unwrap();
    store.migrate().await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let router = app(Arc::new(AppState::new(Some(store))));
    let server = tokio::spawn(async move { axum::serve(listener, router).await });
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    s.write_all(b"GET /readyz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).await.unwrap();
    assert!(out.starts_with("HTTP/1.1 200"), "{out}");
    assert!(out.contains("\"backend\":\"sqlite\""));
    assert!(dir.join("zige.sqlite").exists());
    server.abort();
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn pages_forbid_framing_and_inline_script_and_https_gets_hsts() {
    let https = sign_in_app("headers-https", "https://zige.example", &[]).await;
    let local = sign_in_app("headers-local", "http://localhost:8080", &[]).await;
    for path in ["/", "/login", "/register", "/verify"] {
        let r = https.send(api_request(Method::GET, path, None, None)).await;
        assert_eq!(r.status, StatusCode::OK, "{path}");
        assert_eq!(r.header(header::CONTENT_SECURITY_POLICY), CSP, "{path}");
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
        let r = local.send(api_request(Method::GET, path, None, None)).await;
        assert!(
            r.header(header::STRICT_TRANSPORT_SECURITY).is_empty(),
            "no HSTS on plain http"
        );
    }
    let r = https
        .send(api_request(Method::GET, "/api/v1/entries", None, None))
        .await;
    assert!(!r.header(header::STRICT_TRANSPORT_SECURITY).is_empty());
}

#[tokio::test]
async fn personal_data_is_never_stored_by_caches() {
    let env = sign_in_app("no-store", "http://localhost:8080", &[]).await;
    let token = |r: Reply| r.json()["token"].as_str().unwrap().to_string();
    let ada = token(
        env.send(sign_in(
            "ada@example.org",
            STAFF_PASSWORD,
            "192.0.2.1",
            None,
        ))
        .await,
    );
    let rev = token(
        env.send(staff_sign_in(
            "rev@example.org",
            &env.totp("rev@example.org").await,
        ))
        .await,
    );
    let admin = token(
        env.send(staff_sign_in(
            "admin@example.org",
            &env.totp("admin@example.org").await,
        ))
        .await,
    );
    let created = env
        .send(
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
        let r = env
            .send(api_request(Method::GET, &uri, Some(who), None))
            .await;
        assert_eq!(
            r.header(header::CACHE_CONTROL),
            "private, no-store",
            "{uri}: {}",
            r.status
        );
    }
    // Also when nobody is signed in (a 401 is no one's to cache either).
    let r = env
        .send(api_request(Method::GET, "/api/v1/me", None, None))
        .await;
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
    let r = env
        .send(api_request(Method::GET, "/api/v1/entries", None, None))
        .await;
    assert_ne!(r.header(header::CACHE_CONTROL), "private, no-store");
}

#[tokio::test]
async fn oversized_bodies_and_queries_are_answered_in_the_envelope() {
    let env = sign_in_app("limits", "http://localhost:8080", &[]).await;
    let big = format!(
        "{{\"email\":\"{}\",\"password\":\"x\"}}",
        "a".repeat(200 * 1024)
    );
    let r = env
        .send(
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
    let r = env
        .send(api_request(
            Method::GET,
            &format!("/api/v1/search?q={q}"),
            None,
            None,
        ))
        .await;
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
    let r = env
        .send(
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
