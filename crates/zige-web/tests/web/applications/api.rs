//! Applications through the API: uploads refused by size and content,
//! bad fields all named, a submission that says what is missing.

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use serde_json::json;

use crate::fixtures::*;

#[tokio::test]
async fn uploads_are_refused_by_size_and_content_and_nothing_is_stored() {
    let e = api_app("uploads").await;
    let ada = e.applicant("ada@example.org").await;
    let id = e
        .call(Method::POST, "/api/v1/applications", Some(&ada), None)
        .await
        .json()["id"]
        .as_i64()
        .unwrap();

    let exe = e
        .upload(&ada, id, "cert.pdf", b"MZ\x90\x00 not really a pdf")
        .await;
    assert_eq!(exe.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(exe.error()["field"], "file");
    assert_eq!(exe.error()["value"], "cert.pdf");

    let mut big = b"%PDF-1.4\n".to_vec();
    big.resize(zige_cases::MAX_EVIDENCE_BYTES + 1, b' ');
    let r = e.upload(&ada, id, "big.pdf", &big).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(r.error()["field"], "file");

    let ok = e.upload(&ada, id, "../../etc/passwd.pdf", PDF).await;
    assert_eq!(ok.status, StatusCode::CREATED);
    assert_eq!(
        ok.json()["name"],
        "passwd.pdf",
        "given paths are reduced to a display name"
    );

    let view = e
        .call(
            Method::GET,
            &format!("/api/v1/applications/{id}"),
            Some(&ada),
            None,
        )
        .await
        .json();
    assert_eq!(
        view["evidence"].as_array().unwrap().len(),
        1,
        "the refused files left nothing behind"
    );

    let not_multipart = e
        .call(
            Method::POST,
            &format!("/api/v1/applications/{id}/evidence"),
            Some(&ada),
            Some(json!({})),
        )
        .await;
    assert_eq!(not_multipart.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
}

#[tokio::test]
async fn bad_fields_are_all_named_and_a_submission_says_what_is_missing() {
    let e = api_app("fields").await;
    let r = e
        .call(
            Method::POST,
            "/api/v1/accounts",
            None,
            Some(json!({"email": "nope", "password": "x"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.error()["field"], "email");
    assert!(r.error()["message"]["zh"]
        .as_str()
        .unwrap()
        .contains("email"));

    let ada = e.applicant("ada@example.org").await;
    let dup = e
        .call(
            Method::POST,
            "/api/v1/accounts",
            None,
            Some(json!({"email": "ADA@example.org", "password": "correct horse"})),
        )
        .await;
    // A taken address is not told apart from a new one.
    assert_eq!(dup.status, StatusCode::ACCEPTED);

    let bad = e
        .call(
            Method::POST,
            "/api/v1/applications",
            Some(&ada),
            Some(json!({"profile": {"age": 300, "nationality": "martian"}})),
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    let id = e
        .call(
            Method::POST,
            "/api/v1/applications",
            Some(&ada),
            Some(json!({"profile": {"entry": "G7"}})),
        )
        .await
        .json()["id"]
        .as_i64()
        .unwrap();
    let r = e
        .call(
            Method::POST,
            &format!("/api/v1/applications/{id}/submit"),
            Some(&ada),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let body = r.json();
    let fields: Vec<&str> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        [
            "holder_name",
            "certificate.number",
            "certificate.issuer",
            "certificate.issued_on",
            "evidence"
        ]
    );

    // A stale save is refused and overwrites nothing.
    let r = e
        .call(
            Method::PUT,
            &format!("/api/v1/applications/{id}"),
            Some(&ada),
            Some(json!({"version": 1, "form": application_form()})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let stale = e
        .call(
            Method::PUT,
            &format!("/api/v1/applications/{id}"),
            Some(&ada),
            Some(json!({"version": 1, "form": {"holder_name": "Mallory"}})),
        )
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    let now = e
        .call(
            Method::GET,
            &format!("/api/v1/applications/{id}"),
            Some(&ada),
            None,
        )
        .await
        .json();
    assert_eq!(now["form"]["holder_name"], "Ada Lovelace");

    let text = e
        .send(
            Request::post("/api/v1/applications")
                .header(header::AUTHORIZATION, format!("Bearer {ada}"))
                .header(header::CONTENT_TYPE, "text/plain")
                .body(Body::from("hi"))
                .unwrap(),
        )
        .await;
    assert_eq!(text.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let garbage = e
        .call(Method::GET, "/api/v1/applications/abc", Some(&ada), None)
        .await;
    assert_eq!(garbage.status, StatusCode::NOT_FOUND);
}
