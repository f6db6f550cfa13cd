//! Faults and races as an HTTP client sees them: a database that fills up
//! (SQLite's `max_page_count`, no root needed) answers 503 and `/readyz`
//! says so; once space is back every 201 is readable, also after a
//! restart. Deleting a draft never takes another applicant's evidence;
//! limits hold under concurrent requests.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use serde_json::{json, Value};
use tower::ServiceExt;
use zige_web::{app, AppState};

struct App {
    router: Router,
    store: zige_store::Store,
}

async fn open(dir: &Path, limits: zige_store::Limits) -> App {
    let store = zige_store::Store::open(dir, None)
        .await
        .unwrap()
        .with_limits(limits);
    store.migrate().await.unwrap();
    let blobs = zige_store::Blobs::open(dir, None).unwrap();
    let mut state = AppState::new(Some(store.clone()));
    state.cases = Some(
        zige_web::state::Cases::load(&store, blobs, "http://localhost:8080".into(), false)
            .await
            .unwrap(),
    );
    App {
        router: app(Arc::new(state)),
        store,
    }
}

fn temp_dir(tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!(
        "zige-faults-api-{tag}-{}-{}",
        std::process::id(),
        zige_web::auth::now_ms()
    ));
    let _ = std::fs::remove_dir_all(&d);
    d
}

struct Reply {
    status: StatusCode,
    body: Vec<u8>,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }
    fn error(&self) -> Value {
        self.json()["errors"][0].clone()
    }
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

impl App {
    async fn send(&self, req: Request<Body>) -> Reply {
        let resp = self.router.clone().oneshot(req).await.unwrap();
        let status = resp.status();
        let body = resp
            .into_body()
            .collect()
            .await
            .unwrap()
            .to_bytes()
            .to_vec();
        Reply { status, body }
    }

    async fn call(
        &self,
        method: Method,
        uri: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Reply {
        let mut b = Request::builder().method(method).uri(uri);
        if let Some(t) = token {
            b = b.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        let req = match body {
            Some(v) => b
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(v.to_string()))
                .unwrap(),
            None => b.body(Body::empty()).unwrap(),
        };
        self.send(req).await
    }

    async fn applicant(&self, email: &str) -> String {
        let r = self
            .call(
                Method::POST,
                "/api/v1/accounts",
                None,
                Some(json!({"email": email, "password": "correct horse"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        self.login(email).await
    }

    async fn login(&self, email: &str) -> String {
        let r = self
            .call(
                Method::POST,
                "/api/v1/session",
                None,
                Some(json!({"email": email, "password": "correct horse"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        r.json()["token"].as_str().unwrap().to_string()
    }

    async fn new_draft(&self, token: &str) -> Reply {
        self.call(
            Method::POST,
            "/api/v1/applications",
            Some(token),
            Some(json!({"holder_name": "x".repeat(90)})),
        )
        .await
    }

    async fn upload(&self, token: &str, id: i64, bytes: &[u8]) -> Reply {
        let boundary = "zigeboundary";
        let mut body = format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"cert.pdf\"\r\nContent-Type: application/pdf\r\n\r\n").into_bytes();
        body.extend_from_slice(bytes);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let req = Request::post(format!("/api/v1/applications/{id}/evidence"))
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(Body::from(body))
            .unwrap();
        self.send(req).await
    }
}

fn pdf(n: usize) -> Vec<u8> {
    format!("%PDF-1.4\n% evidence {n}\n%%EOF\n").into_bytes()
}

fn big_limits() -> zige_store::Limits {
    zige_store::Limits {
        open_drafts_per_account: 100_000,
        ..zige_store::Limits::default()
    }
}

#[tokio::test]
async fn a_full_database_answers_503_and_every_201_survives_a_restart() {
    let dir = temp_dir("full");
    let app = open(&dir, big_limits()).await;
    let token = app.applicant("full@example.org").await;
    let r = app.call(Method::GET, "/readyz", None, None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());

    let pages = app.store.page_count_for_tests().await.unwrap();
    app.store
        .set_max_pages_for_tests(Some(pages as u64 + 6))
        .await
        .unwrap();
    let mut acknowledged = Vec::new();
    let mut refused = 0;
    for i in 0..2000 {
        let r = app.new_draft(&token).await;
        if r.status == StatusCode::CREATED {
            acknowledged.push(r.json()["id"].as_i64().unwrap());
            assert!(
                refused == 0,
                "a write after the first refusal was acknowledged"
            );
        } else {
            assert!(r.status.is_server_error(), "{}", r.text());
            assert_eq!(r.error()["code"], "storage_full", "{}", r.text());
            refused += 1;
            if refused == 5 {
                break;
            }
        }
        assert!(i < 1999, "the database never filled up");
    }
    let r = app.call(Method::GET, "/readyz", None, None).await;
    assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE, "{}", r.text());
    assert_eq!(r.error()["code"], "not_writable");
    assert!(r.error()["message"]["zh"]
        .as_str()
        .unwrap()
        .contains("无法写入"));

    // Space comes back: 201s that are really there.
    app.store.set_max_pages_for_tests(None).await.unwrap();
    let r = app.call(Method::GET, "/readyz", None, None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    for _ in 0..10 {
        let r = app.new_draft(&token).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        let id = r.json()["id"].as_i64().unwrap();
        let got = app
            .call(
                Method::GET,
                &format!("/api/v1/applications/{id}"),
                Some(&token),
                None,
            )
            .await;
        assert_eq!(got.status, StatusCode::OK, "{}", got.text());
        acknowledged.push(id);
    }
    // A new account registered now can sign in.
    app.applicant("after@example.org").await;
    app.store.close().await;
    drop(app);

    let app = open(&dir, big_limits()).await;
    let token = app.login("full@example.org").await;
    app.login("after@example.org").await;
    let list = app
        .call(Method::GET, "/api/v1/applications", Some(&token), None)
        .await;
    assert_eq!(list.status, StatusCode::OK);
    for id in &acknowledged {
        let got = app
            .call(
                Method::GET,
                &format!("/api/v1/applications/{id}"),
                Some(&token),
                None,
            )
            .await;
        assert_eq!(
            got.status,
            StatusCode::OK,
            "acknowledged {id} after restart"
        );
    }
    let stored = app.store.applications_of(1).await.unwrap().len();
    assert_eq!(stored, acknowledged.len(), "nothing refused was stored");
    app.store.close().await;
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn deleting_a_draft_never_takes_another_applicants_evidence() {
    let dir = temp_dir("race");
    let app = Arc::new(open(&dir, big_limits()).await);
    let a = app.applicant("a@example.org").await;
    let b = app.applicant("b@example.org").await;
    let mut tasks = Vec::new();
    for round in 0..40 {
        let x = pdf(round);
        let a_draft = app.new_draft(&a).await.json()["id"].as_i64().unwrap();
        assert_eq!(
            app.upload(&a, a_draft, &x).await.status,
            StatusCode::CREATED
        );
        let b_draft = app.new_draft(&b).await.json()["id"].as_i64().unwrap();
        let (app1, a1) = (app.clone(), a.clone());
        let del = tokio::spawn(async move {
            app1.call(
                Method::DELETE,
                &format!("/api/v1/applications/{a_draft}"),
                Some(&a1),
                None,
            )
            .await
            .status
        });
        let (app2, b2, x2) = (app.clone(), b.clone(), x.clone());
        let up = tokio::spawn(async move { (b_draft, app2.upload(&b2, b_draft, &x2).await) });
        assert!(del.await.unwrap().is_success());
        tasks.push(up);
    }
    // A sweep with no grace at all right after: referenced files stay.
    let cases_blobs = zige_store::Blobs::open(&dir, None).unwrap();
    app.store
        .sweep_blobs(&cases_blobs, 0, zige_web::auth::now_ms() + 1000)
        .await
        .unwrap();
    let mut ok = 0;
    for t in tasks {
        let (id, r) = t.await.unwrap();
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        let url = r.json()["url"].as_str().unwrap().to_string();
        let got = app.call(Method::GET, &url, Some(&b), None).await;
        assert_eq!(
            got.status,
            StatusCode::OK,
            "B's evidence of draft {id}: {}",
            got.text()
        );
        ok += 1;
    }
    assert_eq!(ok, 40);
    app.store.close().await;
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn limits_hold_under_concurrent_requests_and_name_themselves() {
    let dir = temp_dir("limits");
    let app = Arc::new(
        open(
            &dir,
            zige_store::Limits {
                evidence_per_application: 20,
                open_drafts_per_account: 20,
                storage_bytes_per_account: 200 * 1024 * 1024,
            },
        )
        .await,
    );
    let t = app.applicant("limits@example.org").await;
    let id = app.new_draft(&t).await.json()["id"].as_i64().unwrap();
    let mut tasks = Vec::new();
    for i in 0..40 {
        let (app, t) = (app.clone(), t.clone());
        tasks.push(tokio::spawn(
            async move { app.upload(&t, id, &pdf(i)).await },
        ));
    }
    let mut created = 0;
    for task in tasks {
        let r = task.await.unwrap();
        match r.status {
            StatusCode::CREATED => created += 1,
            StatusCode::CONFLICT => {
                assert_eq!(r.error()["code"], "too_many_files");
                assert_eq!(r.error()["allowed"], "at most 20 files per application");
                assert!(r.error()["message"]["zh"].as_str().unwrap().contains("20"));
            }
            s => panic!("{s}: {}", r.text()),
        }
    }
    assert_eq!(created, 20);
    let view = app
        .call(
            Method::GET,
            &format!("/api/v1/applications/{id}"),
            Some(&t),
            None,
        )
        .await;
    assert_eq!(view.json()["evidence"].as_array().unwrap().len(), 20);

    let mut tasks = Vec::new();
    for _ in 0..40 {
        let (app, t) = (app.clone(), t.clone());
        tasks.push(tokio::spawn(async move { app.new_draft(&t).await }));
    }
    let mut created = 0;
    for task in tasks {
        let r = task.await.unwrap();
        match r.status {
            StatusCode::CREATED => created += 1,
            StatusCode::CONFLICT => assert_eq!(r.error()["code"], "too_many_drafts"),
            s => panic!("{s}: {}", r.text()),
        }
    }
    assert_eq!(created, 19, "one draft existed; at most 20 open");
    app.store.close().await;
    let _ = std::fs::remove_dir_all(&dir);
}
