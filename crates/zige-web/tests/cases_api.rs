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
    assert_eq!(
        case["state"], "under_review",
        "opening a case puts it under review"
    );
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
