//! Who may do what: every role against every endpoint of the cases API,
//! and the public endpoints anyone may post to.

use axum::http::Method;
use serde_json::{json, Value};

use crate::fixtures::*;

#[tokio::test]
async fn every_role_against_every_endpoint() {
    let e = api_app("roles").await;
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
                Some(application_form()),
            )
            .await;
        r.json()["id"].as_i64().unwrap()
    };
    let sub = e.submitted(&owner).await;
    let template = json!({
        "outcome": "rejected",
        "title": {"zh": "证书已过期", "en": "Certificate expired"},
        "text": {"zh": "证书已过期。", "en": "The certificate has expired."}
    });
    let t = e
        .call(
            Method::POST,
            "/api/v1/reason-templates",
            Some(&admin),
            Some(template.clone()),
        )
        .await
        .json()["id"]
        .as_i64()
        .unwrap();

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
            Some(json!({"version": 1, "form": application_form()})),
            [401, 200, 404, 404, 404],
        ),
        (
            M::GET,
            format!("/api/v1/applications/{s}/evidence/1"),
            None,
            [401, 200, 404, 200, 200],
        ),
        (
            M::DELETE,
            format!("/api/v1/applications/{s}/evidence/1"),
            None,
            [401, 409, 404, 403, 403],
        ),
        (
            M::DELETE,
            format!("/api/v1/applications/{d}/evidence/999"),
            None,
            [401, 404, 404, 404, 404],
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
            Some(application_form()),
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
            "/api/v1/statistics".into(),
            None,
            [200, 200, 200, 200, 200],
        ),
        (
            M::GET,
            "/api/v1/reports/statistics".into(),
            None,
            [401, 403, 403, 403, 200],
        ),
        (
            M::GET,
            "/api/v1/keys".into(),
            None,
            [200, 200, 200, 200, 200],
        ),
        // Finding qualifications in a text is public, as search is.
        (
            M::POST,
            "/api/v1/search/text".into(),
            Some(json!({"text": "Project Management Professional (PMP), 2019"})),
            [200, 200, 200, 200, 200],
        ),
        (
            M::GET,
            "/api/v1/decisions/0000000000000000000000000A/credential".into(),
            None,
            [404, 404, 404, 404, 404],
        ),
        (
            M::GET,
            "/api/v1/status-lists/1".into(),
            None,
            [200, 200, 200, 200, 200],
        ),
        (
            M::POST,
            format!("/api/v1/applications/{s}/notes"),
            Some(json!({"note": "checked the register"})),
            [401, 403, 403, 201, 201],
        ),
        (
            M::GET,
            "/api/v1/reason-templates".into(),
            None,
            [401, 403, 403, 200, 200],
        ),
        (
            M::POST,
            "/api/v1/reason-templates".into(),
            Some(template.clone()),
            [401, 403, 403, 403, 201],
        ),
        (
            M::PUT,
            format!("/api/v1/reason-templates/{t}"),
            Some(template),
            [401, 403, 403, 403, 200],
        ),
        (
            M::DELETE,
            format!("/api/v1/reason-templates/{t}"),
            None,
            [401, 403, 403, 403, 204],
        ),
        // Giving back a case nobody has: only an admin may release any.
        (
            M::PUT,
            format!("/api/v1/applications/{s}/assignee"),
            Some(json!({"reviewer_id": null})),
            [401, 403, 403, 409, 200],
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
