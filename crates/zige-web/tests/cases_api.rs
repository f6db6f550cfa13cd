//! The cases API as clients see it: every role against every endpoint,
//! uploads refused by size and content, strangers answered 404, two
//! reviewers racing, throttled sign-ins, CSRF on cookie sessions.

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::{json, Value};
use tower::ServiceExt;

mod common;
use common::Env;

async fn env(tag: &str) -> Env {
    let staff = [
        ("rev@example.org", zige_cases::Role::Reviewer),
        ("rev2@example.org", zige_cases::Role::Reviewer),
        ("admin@example.org", zige_cases::Role::Admin),
    ];
    common::env_at(&format!("api-{tag}"), &staff, "https://zige.example").await
}

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
}

impl Env {
    async fn send(&self, req: Request<Body>) -> Reply {
        let resp = self.router.clone().oneshot(req).await.unwrap();
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

    async fn login(&self, email: &str, password: &str) -> String {
        let mut r = self
            .call(
                Method::POST,
                "/api/v1/session",
                None,
                Some(json!({"email": email, "password": password})),
            )
            .await;
        // Staff give their second factor too.
        if matches!(r.status.as_u16(), 401 | 403)
            && r.error()["code"]
                .as_str()
                .is_some_and(|c| c.starts_with("second_factor"))
        {
            let code = self.totp(email).await;
            r = self
                .call(
                    Method::POST,
                    "/api/v1/session",
                    None,
                    Some(json!({"email": email, "password": password, "code": code})),
                )
                .await;
        }
        assert_eq!(
            r.status,
            StatusCode::CREATED,
            "{}",
            String::from_utf8_lossy(&r.body)
        );
        r.json()["token"].as_str().unwrap().to_string()
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
        assert_eq!(
            r.status,
            StatusCode::CREATED,
            "{}",
            String::from_utf8_lossy(&r.body)
        );
        self.login(email, "correct horse").await
    }

    async fn upload(&self, token: &str, id: i64, name: &str, bytes: &[u8]) -> Reply {
        let boundary = "zigeboundary";
        let mut body = format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/pdf\r\n\r\n").into_bytes();
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

    /// A complete, submitted application of `token`'s account.
    async fn submitted(&self, token: &str) -> i64 {
        let r = self
            .call(
                Method::POST,
                "/api/v1/applications",
                Some(token),
                Some(form()),
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
        assert_eq!(
            r.status,
            StatusCode::OK,
            "{}",
            String::from_utf8_lossy(&r.body)
        );
        id
    }
}

const PDF: &[u8] = b"%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n";

fn form() -> Value {
    json!({"holder_name": "Ada Lovelace", "profile": {"entry": "G7", "age": 40, "beijing_employer": true},
           "certificate": {"number": "CFA-123", "issuer": "CFA Institute", "issued_on": "2020-05-01"}})
}

#[tokio::test]
async fn the_whole_path_from_registration_to_a_verifiable_decision() {
    let e = env("path").await;
    let ada = e.applicant("ada@example.org").await;
    let id = e.submitted(&ada).await;
    let rev = e.login("rev@example.org", "staff password 1").await;

    let q = e
        .call(Method::GET, "/api/v1/review/queue", Some(&rev), None)
        .await
        .json();
    assert_eq!(q["total"], 1);
    assert_eq!(q["items"][0]["id"], id);

    let case = e
        .call(
            Method::GET,
            &format!("/api/v1/applications/{id}"),
            Some(&rev),
            None,
        )
        .await
        .json();
    assert_eq!(case["state"], "submitted", "opening a case changes nothing");
    assert_eq!(case["precheck"]["recognized"], true);
    assert!(case["precheck"]["trace"].as_array().unwrap().len() > 2);

    let r = e
        .call(
            Method::POST,
            &format!("/api/v1/applications/{id}/decision"),
            Some(&rev),
            Some(json!({"outcome": "approved", "reasons": "证书核验无误"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED);
    let out = r.json();
    let code = out["verification_code"].as_str().unwrap().to_string();
    assert_eq!(
        out["decision"]["verification_url"],
        format!("https://zige.example/verify/{code}")
    );
    let signed = &out["signed"];
    assert_eq!(signed["decision"]["catalog"], "beijing/3.0");
    assert_eq!(signed["decision"]["policy"], "beijing/2023");
    assert_eq!(signed["decision"]["entry"]["code"], "G7");
    assert_eq!(signed["signature"]["algorithm"], "Ed25519");

    // Anyone can verify, with the holder's name as the only personal data.
    let v = e
        .call(
            Method::GET,
            &format!("/api/v1/verify/{}", code.to_lowercase()),
            None,
            None,
        )
        .await;
    assert_eq!(v.status, StatusCode::OK);
    let v = v.json();
    assert_eq!(
        (
            v["status"].as_str(),
            v["holder_name"].as_str(),
            v["signature_valid"].as_bool()
        ),
        (Some("valid"), Some("Ada Lovelace"), Some(true))
    );
    let text = v.to_string();
    assert!(
        !text.contains("CFA-123") && !text.contains("ada@example.org"),
        "no certificate number or e-mail: {text}"
    );

    // The signed JSON verifies offline against the published key.
    let keys = e.call(Method::GET, "/api/v1/keys", None, None).await.json();
    let key: zige_cases::PublicKey = serde_json::from_value(keys["keys"][0].clone()).unwrap();
    let dl = e
        .call(
            Method::GET,
            &format!("/api/v1/applications/{id}/decision.json"),
            Some(&ada),
            None,
        )
        .await;
    let doc =
        zige_cases::SignedDecision::from_json(std::str::from_utf8(&dl.body).unwrap()).unwrap();
    assert_eq!(
        doc.verify(&[key.parse().unwrap()]).unwrap().holder_name,
        "Ada Lovelace"
    );

    // Revoked: the verification says so, with the date and reason.
    let admin = e.login("admin@example.org", "staff password 1").await;
    let r = e
        .call(
            Method::POST,
            &format!("/api/v1/decisions/{code}/revoke"),
            Some(&admin),
            Some(json!({"reason": "certificate withdrawn by issuer"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let v = e
        .call(Method::GET, &format!("/api/v1/verify/{code}"), None, None)
        .await
        .json();
    assert_eq!(v["status"], "revoked");
    assert_eq!(v["revoked_reason"], "certificate withdrawn by issuer");
    assert!(v["revoked_at"].is_string());
    let again = e
        .call(
            Method::POST,
            &format!("/api/v1/decisions/{code}/revoke"),
            Some(&admin),
            Some(json!({"reason": "x"})),
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    let unknown = e
        .call(
            Method::GET,
            "/api/v1/verify/0000000000000000000000000A",
            None,
            None,
        )
        .await;
    assert_eq!(
        (unknown.status, unknown.error()["code"].as_str()),
        (StatusCode::NOT_FOUND, Some("unknown_decision"))
    );

    // The applicant's timeline tells the story; their export has it all.
    let mine = e
        .call(
            Method::GET,
            &format!("/api/v1/applications/{id}"),
            Some(&ada),
            None,
        )
        .await
        .json();
    let states: Vec<&str> = mine["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["to"].as_str().unwrap())
        .collect();
    assert_eq!(states, ["draft", "submitted", "under_review", "approved"]);
    let export = e
        .call(Method::GET, "/api/v1/me/export", Some(&ada), None)
        .await
        .json();
    assert_eq!(
        export["applications"][0]["signed_decision"]["decision"]["verification_code"],
        code.as_str()
    );

    // And the audit log has every step, chained.
    let audit = e
        .call(Method::GET, "/api/v1/admin/audit", Some(&admin), None)
        .await
        .json();
    let actions: Vec<&str> = audit["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["action"].as_str().unwrap())
        .collect();
    for a in [
        "application.create",
        "evidence.add",
        "application.submit",
        "case.view",
        "application.open",
        "decision.issue",
        "application.approve",
        "decision.revoke",
    ] {
        assert!(actions.contains(&a), "{a} missing from {actions:?}");
    }
}

#[tokio::test]
async fn every_role_against_every_endpoint() {
    let e = env("roles").await;
    let owner = e.applicant("owner@example.org").await;
    let other = e.applicant("other@example.org").await;
    let rev = e.login("rev@example.org", "staff password 1").await;
    let admin = e.login("admin@example.org", "staff password 1").await;
    let draft = {
        let r = e
            .call(
                Method::POST,
                "/api/v1/applications",
                Some(&owner),
                Some(form()),
            )
            .await;
        r.json()["id"].as_i64().unwrap()
    };
    let sub = e.submitted(&owner).await;

    use Method as M;
    let nobody: Option<&str> = None;
    // (method, path, body, [anonymous, owner, other applicant, reviewer, admin])
    let d = draft;
    let s = sub;
    let cases: Vec<(Method, String, Option<Value>, [u16; 5])> = vec![
        (M::GET, "/api/v1/me".into(), None, [401, 200, 200, 200, 200]),
        (
            M::GET,
            "/api/v1/applications".into(),
            None,
            [401, 200, 200, 200, 200],
        ),
        (
            M::GET,
            format!("/api/v1/applications/{d}"),
            None,
            [401, 200, 404, 404, 404],
        ),
        (
            M::GET,
            format!("/api/v1/applications/{s}"),
            None,
            [401, 200, 404, 200, 200],
        ),
        (
            M::PUT,
            format!("/api/v1/applications/{d}"),
            Some(json!({"version": 1, "form": form()})),
            [401, 200, 404, 404, 404],
        ),
        (
            M::GET,
            format!("/api/v1/applications/{s}/evidence/1"),
            None,
            [401, 200, 404, 200, 200],
        ),
        (
            M::POST,
            format!("/api/v1/applications/{s}/submit"),
            None,
            [401, 409, 404, 403, 403],
        ),
        (
            M::POST,
            "/api/v1/applications".into(),
            Some(form()),
            [401, 201, 201, 403, 403],
        ),
        (
            M::GET,
            "/api/v1/review/queue".into(),
            None,
            [401, 403, 403, 200, 200],
        ),
        (
            M::POST,
            format!("/api/v1/applications/{s}/decision"),
            Some(json!({"outcome": "more_information"})),
            [401, 403, 403, 400, 400],
        ),
        (
            M::GET,
            format!("/api/v1/applications/{s}/decision.json"),
            None,
            [401, 404, 404, 404, 404],
        ),
        (
            M::GET,
            "/api/v1/admin/users".into(),
            None,
            [401, 403, 403, 403, 200],
        ),
        (
            M::PATCH,
            "/api/v1/admin/users/1".into(),
            Some(json!({"role": "reviewer"})),
            [401, 403, 403, 403, 200],
        ),
        (
            M::GET,
            "/api/v1/admin/audit".into(),
            None,
            [401, 403, 403, 403, 200],
        ),
        (
            M::POST,
            "/api/v1/decisions/0000000000000000000000000A/revoke".into(),
            Some(json!({"reason": "x"})),
            [401, 403, 403, 403, 404],
        ),
        (
            M::GET,
            "/api/v1/verify/0000000000000000000000000A".into(),
            None,
            [404, 404, 404, 404, 404],
        ),
        (
            M::GET,
            "/api/v1/keys".into(),
            None,
            [200, 200, 200, 200, 200],
        ),
        (
            M::DELETE,
            format!("/api/v1/applications/{s}"),
            None,
            [401, 409, 404, 403, 403],
        ),
        (
            M::POST,
            format!("/api/v1/applications/{s}/withdraw"),
            None,
            [401, 200, 404, 403, 403],
        ),
    ];
    let who = [
        nobody,
        Some(owner.as_str()),
        Some(other.as_str()),
        Some(rev.as_str()),
        Some(admin.as_str()),
    ];
    let names = ["anonymous", "owner", "other applicant", "reviewer", "admin"];
    let mut wrong = Vec::new();
    for (method, path, body, expected) in &cases {
        for (i, token) in who.iter().enumerate() {
            let r = e.call(method.clone(), path, *token, body.clone()).await;
            if r.status.as_u16() != expected[i] {
                wrong.push(format!(
                    "{method} {path} as {}: {} (expected {}) {}",
                    names[i],
                    r.status,
                    expected[i],
                    String::from_utf8_lossy(&r.body)
                        .chars()
                        .take(160)
                        .collect::<String>()
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[tokio::test]
async fn uploads_are_refused_by_size_and_content_and_nothing_is_stored() {
    let e = env("uploads").await;
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
    let e = env("fields").await;
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
    assert_eq!(dup.status, StatusCode::CONFLICT);

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
            Some(json!({"version": 1, "form": form()})),
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

#[tokio::test]
async fn two_reviewers_deciding_at_once_one_wins_and_the_other_gets_409() {
    let e = env("race").await;
    let ada = e.applicant("ada@example.org").await;
    let id = e.submitted(&ada).await;
    let r1 = e.login("rev@example.org", "staff password 1").await;
    let r2 = e.login("rev2@example.org", "staff password 1").await;
    let version = e
        .call(
            Method::GET,
            &format!("/api/v1/applications/{id}"),
            Some(&r1),
            None,
        )
        .await
        .json()["version"]
        .as_i64()
        .unwrap();
    let path = format!("/api/v1/applications/{id}/decision");
    let (a, b) = tokio::join!(
        e.call(
            Method::POST,
            &path,
            Some(&r1),
            Some(json!({"outcome": "approved", "version": version}))
        ),
        e.call(
            Method::POST,
            &path,
            Some(&r2),
            Some(json!({"outcome": "rejected", "reasons": "expired", "version": version}))
        )
    );
    let mut codes = [a.status.as_u16(), b.status.as_u16()];
    codes.sort();
    assert!(codes == [200, 409] || codes == [201, 409], "{codes:?}");
    let loser = if a.status == StatusCode::CONFLICT {
        &a
    } else {
        &b
    };
    assert_eq!(loser.error()["code"], "conflict");
    let after = e
        .call(
            Method::GET,
            &format!("/api/v1/applications/{id}"),
            Some(&ada),
            None,
        )
        .await
        .json();
    let decided: Vec<_> = after["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["to"] == "approved" || t["to"] == "rejected")
        .collect();
    assert_eq!(
        decided.len(),
        1,
        "one decision recorded, nothing overwritten"
    );
}

#[tokio::test]
async fn sign_in_is_throttled_and_cookie_sessions_need_the_csrf_token() {
    let e = env("throttle").await;
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

/// The error of a reply, with its status, field and bilingual message.
fn refused(r: &Reply, status: StatusCode, field: &str) -> Value {
    assert_eq!(r.status, status, "{}", String::from_utf8_lossy(&r.body));
    let e = r.error();
    assert_eq!(e["field"], field, "{e}");
    let zh = e["message"]["zh"].as_str().unwrap();
    assert!(
        zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
        "a Chinese message: {zh}"
    );
    e
}

#[tokio::test]
async fn no_one_decides_starts_or_queues_an_application_they_submitted() {
    let e = env("own").await;
    let ada = e.applicant("ada@example.org").await;
    let id = e.submitted(&ada).await;
    let admin = e.login("admin@example.org", "staff password 1").await;
    let me = e
        .call(Method::GET, "/api/v1/me", Some(&ada), None)
        .await
        .json();
    let r = e
        .call(
            Method::PATCH,
            &format!("/api/v1/admin/users/{}", me["id"]),
            Some(&admin),
            Some(json!({"role": "reviewer"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);

    // Her queue does not show it; another reviewer's does.
    let q = e
        .call(Method::GET, "/api/v1/review/queue", Some(&ada), None)
        .await;
    assert_eq!(q.status, StatusCode::OK);
    assert_eq!(
        (
            q.json()["total"].as_i64(),
            q.json()["items"].as_array().map(Vec::len)
        ),
        (Some(0), Some(0))
    );
    let rev = e.login("rev@example.org", "staff password 1").await;
    let q = e
        .call(Method::GET, "/api/v1/review/queue", Some(&rev), None)
        .await
        .json();
    assert_eq!(q["items"][0]["id"], id);

    // No outcome, no start of review: 403 with a plain message.
    for body in [
        json!({"outcome": "approved"}),
        json!({"outcome": "rejected", "reasons": "no"}),
        json!({"outcome": "more_information", "reasons": "more"}),
    ] {
        let r = e
            .call(
                Method::POST,
                &format!("/api/v1/applications/{id}/decision"),
                Some(&ada),
                Some(body),
            )
            .await;
        assert_eq!(
            r.status,
            StatusCode::FORBIDDEN,
            "{}",
            String::from_utf8_lossy(&r.body)
        );
        assert_eq!(r.error()["code"], "own_application");
        assert!(r.error()["message"]["en"]
            .as_str()
            .unwrap()
            .contains("you cannot review or decide it"));
        assert!(r.error()["message"]["zh"]
            .as_str()
            .unwrap()
            .contains("本人提交"));
    }
    let r = e
        .call(
            Method::POST,
            &format!("/api/v1/applications/{id}/review"),
            Some(&ada),
            None,
        )
        .await;
    assert_eq!(
        (r.status, r.error()["code"].as_str()),
        (StatusCode::FORBIDDEN, Some("own_application"))
    );

    // Her reading is the applicant's: unchanged, without the applicant block.
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
        (view["state"].as_str(), view["decision"].is_null()),
        (Some("submitted"), true)
    );
    assert!(view["applicant"].is_null());
    let dl = e
        .call(
            Method::GET,
            &format!("/api/v1/applications/{id}/decision.json"),
            Some(&ada),
            None,
        )
        .await;
    assert_eq!(dl.status, StatusCode::NOT_FOUND, "no decision was issued");
}

#[tokio::test]
async fn opening_a_case_is_a_read_and_starting_a_review_is_a_post() {
    let e = env("start").await;
    let ada = e.applicant("ada@example.org").await;
    let id = e.submitted(&ada).await;
    let rev = e.login("rev@example.org", "staff password 1").await;
    let admin = e.login("admin@example.org", "staff password 1").await;
    let path = format!("/api/v1/applications/{id}");
    let first = e.call(Method::GET, &path, Some(&rev), None).await.json();
    let again = e.call(Method::GET, &path, Some(&rev), None).await.json();
    assert_eq!(
        (first["state"].as_str(), again["state"].as_str()),
        (Some("submitted"), Some("submitted"))
    );
    assert_eq!(
        first["version"], again["version"],
        "reading changes nothing"
    );
    let actions = |audit: Value| -> Vec<String> {
        audit["records"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["action"].as_str().unwrap().to_string())
            .collect()
    };
    let before = actions(
        e.call(Method::GET, "/api/v1/admin/audit", Some(&admin), None)
            .await
            .json(),
    );
    assert!(
        before.contains(&"case.view".to_string()),
        "the reading is audited"
    );
    assert!(!before.contains(&"application.open".to_string()));

    // An applicant cannot start a review; a stale version is refused.
    let start = format!("{path}/review");
    let r = e.call(Method::POST, &start, Some(&ada), None).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = e
        .call(
            Method::POST,
            &start,
            Some(&rev),
            Some(json!({"version": 1})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);

    let r = e
        .call(
            Method::POST,
            &start,
            Some(&rev),
            Some(json!({"version": first["version"]})),
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&r.body)
    );
    assert_eq!(r.json()["state"], "under_review");
    let audit = e
        .call(Method::GET, "/api/v1/admin/audit", Some(&admin), None)
        .await
        .json();
    let open = audit["records"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["action"] == "application.open")
        .expect("starting the review is audited")
        .clone();
    assert_eq!(open["subject"], format!("application:{id}"));
    assert!(open["actor"].as_i64().is_some(), "{open}");
    let r = e.call(Method::POST, &start, Some(&rev), None).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "already under review");
    let doc = e
        .call(Method::GET, "/api/openapi.json", None, None)
        .await
        .json();
    assert!(doc["paths"]["/api/v1/applications/{id}/review"]["post"].is_object());
}

#[tokio::test]
async fn text_fields_refuse_control_and_invisible_characters_naming_them() {
    let e = env("chars").await;
    let new_account = |email: &str, name: Option<&str>| {
        let mut b = json!({"email": email, "password": "correct horse"});
        if let Some(n) = name {
            b["name"] = json!(n);
        }
        b
    };
    // Registration: invisible characters and look-alike letters refused.
    for (email, name, field, shows) in [
        ("ada\u{200B}@example.org", None, "email", "[U+200B]"),
        ("\u{430}da@example.org", None, "email", "\u{430}da"),
        ("ada@example.org\u{0}", None, "email", "[U+0000]"),
        (
            "ada@example.org",
            Some("Ada\u{202E}ecalevoL"),
            "name",
            "[U+202E]",
        ),
        (
            "ada@example.org",
            Some("\u{410}da Lovelace"),
            "name",
            "\u{410}da",
        ),
    ] {
        let r = e
            .call(
                Method::POST,
                "/api/v1/accounts",
                None,
                Some(new_account(email, name)),
            )
            .await;
        let err = refused(&r, StatusCode::BAD_REQUEST, field);
        assert!(err["value"].as_str().unwrap().contains(shows), "{err}");
    }
    // Full-width letters are the ASCII ones: one account, found either way.
    let r = e
        .call(
            Method::POST,
            "/api/v1/accounts",
            None,
            Some(new_account(
                "ＡＤＡ＠ｅｘａｍｐｌｅ．ｏｒｇ",
                Some("Иван Петров"),
            )),
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::CREATED,
        "{}",
        String::from_utf8_lossy(&r.body)
    );
    assert_eq!(
        (r.json()["email"].as_str(), r.json()["name"].as_str()),
        (Some("ada@example.org"), Some("Иван Петров"))
    );
    let dup = e
        .call(
            Method::POST,
            "/api/v1/accounts",
            None,
            Some(new_account("ada@example.org", None)),
        )
        .await;
    assert_eq!(dup.status, StatusCode::CONFLICT);
    let ada = e.login("ａｄａ@EXAMPLE.org", "correct horse").await;
    e.login("ada@example.org", "correct horse").await;
    let r = e
        .call(
            Method::POST,
            "/api/v1/session",
            None,
            Some(json!({"email": "ada@example.org\u{0}", "password": "correct horse"})),
        )
        .await;
    let err = refused(&r, StatusCode::BAD_REQUEST, "email");
    assert_eq!(err["value"], "ada@example.org[U+0000]");
    assert!(err["allowed"]
        .as_str()
        .unwrap()
        .contains("U+0000, a control character"));

    // The application form and its profile.
    for (form, field) in [
        (json!({"holder_name": "Ada\u{0}"}), "holder_name"),
        (json!({"holder_name": "Ada L\u{43E}velace"}), "holder_name"),
        (
            json!({"certificate": {"number": "CFA\u{200D}123"}}),
            "certificate.number",
        ),
        (
            json!({"certificate": {"issuer": "CFA\u{1B}[2J"}}),
            "certificate.issuer",
        ),
        (json!({"profile": {"entry": "G7\u{FEFF}"}}), "profile.entry"),
        (
            json!({"profile": {"entry": "G7", "level": "A\u{0}"}}),
            "profile.level",
        ),
    ] {
        let r = e
            .call(Method::POST, "/api/v1/applications", Some(&ada), Some(form))
            .await;
        refused(&r, StatusCode::BAD_REQUEST, field);
    }
    let r = e
        .call(
            Method::POST,
            "/api/v1/check",
            None,
            Some(json!({"entry": "G7", "level": "A\u{202E}"})),
        )
        .await;
    refused(&r, StatusCode::BAD_REQUEST, "level");
    let r = e
        .call(Method::GET, "/check?entry=G7&level=A%00", None, None)
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(String::from_utf8_lossy(&r.body).contains("U+0000"));

    // Reasons: line breaks welcome, NUL and bidi overrides not.
    let id = e.submitted(&ada).await;
    let rev = e.login("rev@example.org", "staff password 1").await;
    let decision = format!("/api/v1/applications/{id}/decision");
    for reasons in ["Expired\u{0}", "Expired \u{202E}dilav"] {
        let r = e
            .call(
                Method::POST,
                &decision,
                Some(&rev),
                Some(json!({"outcome": "rejected", "reasons": reasons})),
            )
            .await;
        refused(&r, StatusCode::BAD_REQUEST, "reasons");
    }
    let view = e
        .call(
            Method::GET,
            &format!("/api/v1/applications/{id}"),
            Some(&rev),
            None,
        )
        .await
        .json();
    assert_eq!(
        view["state"], "submitted",
        "a refused decision changes nothing"
    );
    let r = e
        .call(Method::POST, &decision, Some(&rev), Some(json!({"outcome": "approved", "reasons": "Checked:\r\n\t- certificate\n\t- issuer"})))
        .await;
    assert_eq!(
        r.status,
        StatusCode::CREATED,
        "{}",
        String::from_utf8_lossy(&r.body)
    );
    let code = r.json()["verification_code"].as_str().unwrap().to_string();
    let admin = e.login("admin@example.org", "staff password 1").await;
    let r = e
        .call(
            Method::POST,
            &format!("/api/v1/decisions/{code}/revoke"),
            Some(&admin),
            Some(json!({"reason": "withdrawn\u{0}"})),
        )
        .await;
    refused(&r, StatusCode::BAD_REQUEST, "reason");
    let other = e.submitted(&ada).await;
    let r = e
        .call(
            Method::POST,
            &format!("/api/v1/applications/{other}/withdraw"),
            Some(&ada),
            Some(json!({"reason": "moved\u{0}"})),
        )
        .await;
    refused(&r, StatusCode::BAD_REQUEST, "reason");
}

#[tokio::test]
async fn every_text_field_has_a_length_limit_named_with_the_length() {
    let e = env("lengths").await;
    let long = |n: usize| "x".repeat(n);
    let r = e
        .call(
            Method::POST,
            "/api/v1/accounts",
            None,
            Some(
                json!({"email": format!("{}@example.org", long(300)), "password": "correct horse"}),
            ),
        )
        .await;
    let err = refused(&r, StatusCode::BAD_REQUEST, "email");
    assert_eq!(
        (err["value"].as_str(), err["allowed"].as_str()),
        (Some("(312 characters)"), Some("at most 254 characters"))
    );
    let r = e
        .call(
            Method::POST,
            "/api/v1/accounts",
            None,
            Some(
                json!({"email": "ada@example.org", "password": "correct horse", "name": long(101)}),
            ),
        )
        .await;
    let err = refused(&r, StatusCode::BAD_REQUEST, "name");
    assert_eq!(err["value"], "(101 characters)");
    let r = e
        .call(
            Method::POST,
            "/api/v1/session",
            None,
            Some(json!({"email": long(60_000), "password": "x"})),
        )
        .await;
    refused(&r, StatusCode::BAD_REQUEST, "email");

    let ada = e.applicant("ada@example.org").await;
    for (form, field, n, limit) in [
        (json!({"holder_name": long(201)}), "holder_name", 201, 200),
        (
            json!({"certificate": {"number": long(201)}}),
            "certificate.number",
            201,
            200,
        ),
        (
            json!({"certificate": {"issuer": long(5000)}}),
            "certificate.issuer",
            5000,
            200,
        ),
        (
            json!({"profile": {"entry": long(60_000)}}),
            "profile.entry",
            60_000,
            64,
        ),
        (
            json!({"profile": {"entry": "G7", "level": long(60_000)}}),
            "profile.level",
            60_000,
            200,
        ),
    ] {
        let r = e
            .call(Method::POST, "/api/v1/applications", Some(&ada), Some(form))
            .await;
        let err = refused(&r, StatusCode::BAD_REQUEST, field);
        assert_eq!(err["value"], format!("({n} characters)"));
        assert_eq!(err["allowed"], format!("at most {limit} characters"));
        assert!(err["message"]["zh"]
            .as_str()
            .unwrap()
            .contains(&format!("至多 {limit} 个字符")));
    }
    // The rules check, as JSON and as the page's query string.
    for body in [
        json!({"entry": long(60_000)}),
        json!({"entry": "G7", "level": long(60_000)}),
    ] {
        let r = e
            .call(Method::POST, "/api/v1/check", None, Some(body))
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        assert!(
            r.error()["value"]
                .as_str()
                .unwrap()
                .ends_with("characters)"),
            "{}",
            r.error()
        );
        assert!(r.body.len() < 2000, "the value is not echoed");
    }
    let r = e
        .call(
            Method::GET,
            &format!("/check?lang=en&entry=G7&level={}", long(5000)),
            None,
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(String::from_utf8_lossy(&r.body).contains("at most 200 characters"));

    // Reasons and notes.
    let id = e.submitted(&ada).await;
    let rev = e.login("rev@example.org", "staff password 1").await;
    let r = e
        .call(
            Method::POST,
            &format!("/api/v1/applications/{id}/decision"),
            Some(&rev),
            Some(json!({"outcome": "rejected", "reasons": long(4001)})),
        )
        .await;
    let err = refused(&r, StatusCode::BAD_REQUEST, "reasons");
    assert_eq!(err["allowed"], "at most 4000 characters");
    let r = e
        .call(
            Method::POST,
            &format!("/api/v1/applications/{id}/withdraw"),
            Some(&ada),
            Some(json!({"reason": long(2001)})),
        )
        .await;
    let err = refused(&r, StatusCode::BAD_REQUEST, "reason");
    assert_eq!(err["value"], "(2001 characters)");
    let r = e
        .call(
            Method::POST,
            &format!("/api/v1/decisions/0000000000000000000000000A/revoke"),
            Some(&e.login("admin@example.org", "staff password 1").await),
            Some(json!({"reason": long(2001)})),
        )
        .await;
    refused(&r, StatusCode::BAD_REQUEST, "reason");
}

/// On PostgreSQL a NUL byte in a text column is an error of the database
/// (a 500 before): every such field is refused with a 400 first.
#[tokio::test]
async fn nul_bytes_are_refused_before_postgresql_sees_them() {
    let staff = [
        ("rev@example.org", zige_cases::Role::Reviewer),
        ("admin@example.org", zige_cases::Role::Admin),
    ];
    let Some((e, db)) = common::env_pg("nul", &staff).await else {
        eprintln!("no PostgreSQL server: skipped");
        return;
    };
    let r = e
        .call(
            Method::POST,
            "/api/v1/session",
            None,
            Some(json!({"email": "ada\u{0}@example.org", "password": "correct horse"})),
        )
        .await;
    refused(&r, StatusCode::BAD_REQUEST, "email");
    let r = e
        .call(Method::POST, "/api/v1/accounts", None, Some(json!({"email": "ada@example.org", "password": "correct horse", "name": "Ada\u{0}"})))
        .await;
    refused(&r, StatusCode::BAD_REQUEST, "name");
    let ada = e.applicant("ada@example.org").await;
    let r = e
        .call(
            Method::POST,
            "/api/v1/applications",
            Some(&ada),
            Some(json!({"holder_name": "Ada\u{0}"})),
        )
        .await;
    refused(&r, StatusCode::BAD_REQUEST, "holder_name");
    let id = e.submitted(&ada).await;
    let rev = e.login("rev@example.org", "staff password 1").await;
    let path = format!("/api/v1/applications/{id}/decision");
    let r = e
        .call(
            Method::POST,
            &path,
            Some(&rev),
            Some(json!({"outcome": "rejected", "reasons": "no\u{0}"})),
        )
        .await;
    refused(&r, StatusCode::BAD_REQUEST, "reasons");
    let r = e
        .call(
            Method::POST,
            &path,
            Some(&rev),
            Some(json!({"outcome": "approved"})),
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::CREATED,
        "{}",
        String::from_utf8_lossy(&r.body)
    );
    let code = r.json()["verification_code"].as_str().unwrap().to_string();
    let admin = e.login("admin@example.org", "staff password 1").await;
    let r = e
        .call(
            Method::POST,
            &format!("/api/v1/decisions/{code}/revoke"),
            Some(&admin),
            Some(json!({"reason": "gone\u{0}"})),
        )
        .await;
    refused(&r, StatusCode::BAD_REQUEST, "reason");
    let r = e
        .call(
            Method::POST,
            &format!("/api/v1/decisions/{code}/revoke"),
            Some(&admin),
            Some(json!({"reason": "certificate withdrawn"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    drop(e);
    common::drop_postgres(&db).await;
}
