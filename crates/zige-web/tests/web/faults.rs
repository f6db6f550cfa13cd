//! Faults and races as an HTTP client sees them: a database that fills up
//! (SQLite's `max_page_count`, no root needed) answers 503 and `/readyz`
//! says so; once space is back every 201 is readable, also after a
//! restart. Deleting a draft never takes another applicant's evidence;
//! limits hold under concurrent requests.

use std::sync::Arc;

use axum::http::{Method, StatusCode};
use serde_json::json;

use crate::helpers::*;

/// A new draft with a long holder name.
async fn new_draft(app: &TestApp, token: &str) -> Reply {
    app.call(
        Method::POST,
        "/api/v1/applications",
        Some(token),
        Some(json!({"holder_name": "x".repeat(90)})),
    )
    .await
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
    let app = TestApp::open(&dir, big_limits()).await;
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
        let r = new_draft(&app, &token).await;
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
        let r = new_draft(&app, &token).await;
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

    let app = TestApp::open(&dir, big_limits()).await;
    let token = app.login("full@example.org", APPLICANT_PASSWORD).await;
    app.login("after@example.org", APPLICANT_PASSWORD).await;
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
    let app = Arc::new(TestApp::open(&dir, big_limits()).await);
    let a = app.applicant("a@example.org").await;
    let b = app.applicant("b@example.org").await;
    let mut tasks = Vec::new();
    for round in 0..40 {
        let x = pdf(round);
        let a_draft = new_draft(&app, &a).await.json()["id"].as_i64().unwrap();
        assert_eq!(
            app.upload(&a, a_draft, "cert.pdf", &x).await.status,
            StatusCode::CREATED
        );
        let b_draft = new_draft(&app, &b).await.json()["id"].as_i64().unwrap();
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
        let up =
            tokio::spawn(
                async move { (b_draft, app2.upload(&b2, b_draft, "cert.pdf", &x2).await) },
            );
        assert!(del.await.unwrap().is_success());
        tasks.push(up);
    }
    // A sweep with no grace at all right after: referenced files stay.
    let cases_blobs = zige_store::Blobs::open(&dir, None).unwrap();
    app.store
        .sweep_blobs(&cases_blobs, 0, now_ms() + 1000)
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
        TestApp::open(
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
    let id = new_draft(&app, &t).await.json()["id"].as_i64().unwrap();
    let mut tasks = Vec::new();
    for i in 0..40 {
        let (app, t) = (app.clone(), t.clone());
        tasks.push(tokio::spawn(async move {
            app.upload(&t, id, "cert.pdf", &pdf(i)).await
        }));
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
        tasks.push(tokio::spawn(async move { new_draft(&app, &t).await }));
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
