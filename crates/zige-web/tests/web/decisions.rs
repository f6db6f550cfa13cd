//! Decisions: the whole path from registration to a signed decision that
//! anyone can verify, two reviewers deciding at once, and the same through
//! the pages.

use axum::http::{Method, StatusCode};
use serde_json::json;

use crate::fixtures::*;
use crate::helpers::*;

#[tokio::test]
async fn the_whole_path_from_registration_to_a_verifiable_decision() {
    let e = api_app("path").await;
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
async fn two_reviewers_deciding_at_once_one_wins_and_the_other_gets_409() {
    let e = api_app("race").await;
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
async fn a_reviewer_decides_from_the_queue_and_the_decision_verifies() {
    let env = pages_app("review").await;
    let (id, mut applicant) = submitted_case(&env).await;
    let mut rev = Browser::new(&env);
    rev.sign_in("rev@example.org", STAFF_PASSWORD).await;
    let queue = rev.get("/review?lang=en").await;
    assert_eq!(queue.status, StatusCode::OK);
    assert!(queue.text().contains(&format!("href=\"/review/{id}\"")));
    assert!(queue.text().contains("Ada Lovelace"));
    let filtered = rev.get("/review?lang=en&entry=G8&list=urgent").await;
    assert!(!filtered.text().contains(&format!("href=\"/review/{id}\"")));
    let bad = rev.get("/review?lang=en&waiting_days=lots").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(
        bad.text()
            .contains("Waiting at least (days): “lots” is not accepted here"),
        "{}",
        bad.text()
    );

    let case = rev.get(&format!("/review/{id}?lang=en")).await;
    assert_eq!(case.status, StatusCode::OK);
    let html = case.text();
    assert!(
        html.contains("class=\"state s-submitted\">Submitted"),
        "opening the case changes nothing"
    );
    assert!(html.contains(&format!("action=\"/review/{id}/start\"")));
    assert!(html.contains("Every rule applied"));
    assert!(html.contains("<object data=\"/applications/"));
    assert!(html.contains("ada@example.org"));
    let csrf = case.hidden("csrf");
    let version = case.hidden("version");

    // Rejecting needs reasons: 400 at the field, the choice kept.
    let r = rev
        .post(
            &format!("/review/{id}/decision?lang=en"),
            &[
                ("csrf", &csrf),
                ("version", &version),
                ("outcome", "rejected"),
                ("reasons", ""),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.text().contains("id=\"reasons-error\""));
    assert!(r.text().contains("value=\"rejected\" checked"));

    // Two reviewers decide on the same version: the second learns the first won.
    let mut rev2 = Browser::new(&env);
    rev2.sign_in("rev2@example.org", STAFF_PASSWORD).await;
    let csrf2 = rev2.csrf().await;
    let approve = [
        ("csrf", csrf.as_str()),
        ("version", &version),
        ("outcome", "approved"),
        ("reasons", "Certificate checked with the issuer."),
    ];
    // First the check: what is about to happen, that it cannot be edited.
    let check = rev
        .post(&format!("/review/{id}/decision?lang=en"), &approve)
        .await;
    assert_eq!(check.status, StatusCode::OK, "{}", check.text());
    let html = check.text();
    assert!(
        html.contains("You are about to approve application #"),
        "{html}"
    );
    assert!(html.contains("Ada Lovelace") && html.contains("cannot be edited"));
    assert!(html.contains("name=\"confirm\" value=\"yes\""));
    assert_eq!(
        check.hidden("reasons"),
        "Certificate checked with the issuer."
    );
    // Going back keeps what was typed; nothing is recorded.
    let back = [approve.as_slice(), &[("back", "1")]].concat();
    let r = rev
        .post(&format!("/review/{id}/decision?lang=en"), &back)
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.text().contains("value=\"approved\" checked"));
    assert!(r
        .text()
        .contains(">Certificate checked with the issuer.</textarea>"));
    assert!(
        r.text().contains("class=\"state s-submitted\""),
        "not decided yet"
    );
    let confirmed = [approve.as_slice(), &[("confirm", "yes")]].concat();
    let r = rev
        .post(&format!("/review/{id}/decision"), &confirmed)
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let r = rev2
        .post(
            &format!("/review/{id}/decision?lang=en"),
            &[
                ("csrf", &csrf2),
                ("version", &version),
                ("outcome", "rejected"),
                ("reasons", "No."),
                ("confirm", "yes"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    let html = r.text();
    assert!(html.contains("Another reviewer decided first"), "{html}");
    assert!(html.contains("Approved"), "the current state is shown");

    // The printable decision: the authority's, with its code and download
    // link; outside development no link to a localhost address.
    let page = applicant
        .get(&format!("/applications/{id}/decision?lang=en"))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.text();
    let code_at =
        html.find("id=\"verification-code\">").unwrap() + "id=\"verification-code\">".len();
    let code = html[code_at..].split('<').next().unwrap().to_string();
    assert_eq!(code.len(), 26);
    assert!(
        !html.contains("<svg role=\"img\""),
        "no QR code of a local address"
    );
    assert!(!html.contains("localhost"), "{html}");
    assert!(html.contains("on the verification service of Beijing Municipal Human Resources and Social Security Bureau"));
    assert!(html.contains(&format!("/api/v1/applications/{id}/decision.json")));
    assert!(html.contains("Ada Lovelace") && html.contains("G7"));
    let json = applicant
        .get(&format!("/api/v1/applications/{id}/decision.json"))
        .await;
    assert_eq!(json.status, StatusCode::OK);

    // Public verification, signed in or not.
    let mut anyone = Browser::new(&env);
    let v = anyone
        .get(&format!("/verify/{}?lang=en", code.to_lowercase()))
        .await;
    assert_eq!(v.status, StatusCode::OK);
    let html = v.text();
    assert!(html.contains("VALID") && html.contains("Ada Lovelace"));
    assert!(
        !html.contains("ada@example.org"),
        "no personal data beyond the name"
    );
    let r = anyone.get(&format!("/verify?code={code}")).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), format!("/verify/{code}"));
    let unknown = anyone
        .get("/verify/0000000000000000000000000A?lang=zh")
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert!(unknown.text().contains("未知"));
    let junk = anyone.get("/verify/%3Cscript%3E?lang=en").await;
    assert_eq!(junk.status, StatusCode::NOT_FOUND);
    assert!(!junk.text().contains("<script>"));

    // The applicant's timeline shows the reviewer's reasons.
    let my = applicant.get("/my?lang=en").await.text();
    assert!(my.contains("Certificate checked with the issuer."), "{my}");

    // An administrator revokes it; verification says so.
    let mut admin = Browser::new(&env);
    admin.sign_in("admin@example.org", STAFF_PASSWORD).await;
    let list = admin.get("/admin/decisions?lang=en").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.text().contains(&code));
    let csrf = list.hidden("csrf");
    let r = admin
        .post(
            &format!("/admin/decisions/{code}/revoke?lang=en"),
            &[("csrf", &csrf), ("reason", "")],
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let reason = [
        ("csrf", csrf.as_str()),
        ("reason", "Certificate withdrawn by the issuer."),
    ];
    // First the check, naming the decision and what revoking does.
    let check = admin
        .post(&format!("/admin/decisions/{code}/revoke?lang=zh"), &reason)
        .await;
    assert_eq!(check.status, StatusCode::OK, "{}", check.text());
    assert!(
        check.text().contains("您即将撤销 Ada Lovelace 的第 ZG-"),
        "{}",
        check.text()
    );
    assert!(check.text().contains("撤销不能恢复"));
    let back = [reason.as_slice(), &[("back", "1")]].concat();
    let r = admin
        .post(&format!("/admin/decisions/{code}/revoke"), &back)
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r
        .text()
        .contains(">Certificate withdrawn by the issuer.</textarea>"));
    let v = anyone.get(&format!("/verify/{code}?lang=en")).await.text();
    assert!(v.contains("VALID"), "going back revokes nothing");
    let confirmed = [reason.as_slice(), &[("confirm", "yes")]].concat();
    let r = admin
        .post(&format!("/admin/decisions/{code}/revoke"), &confirmed)
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let v = anyone.get(&format!("/verify/{code}?lang=en")).await.text();
    assert!(v.contains("REVOKED") && v.contains("Certificate withdrawn by the issuer."));
    let audit = admin.get("/admin/audit?lang=en").await;
    assert_eq!(audit.status, StatusCode::OK);
    assert!(
        audit.text().contains("Revoked a decision"),
        "{}",
        audit.text()
    );
    assert!(!audit.text().contains("decision.revoke</"));
}

/// A case of `app` approved through the API: its id, the applicant's
/// token and the decision as answered.
pub async fn approved_case(app: &TestApp) -> (i64, String, serde_json::Value) {
    let ada = app.applicant("ada@example.org").await;
    let id = app.submitted(&ada).await;
    let rev = app.login(REVIEWER, STAFF_PASSWORD).await;
    let r = app
        .call(
            Method::POST,
            &format!("/api/v1/applications/{id}/decision"),
            Some(&rev),
            Some(json!({"outcome": "approved"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    (id, ada, r.json())
}

#[tokio::test]
async fn the_decision_reads_as_the_authoritys_in_both_languages() {
    let e = api_app("authority").await;
    let (id, ada, out) = approved_case(&e).await;
    let signed = &out["signed"]["decision"];
    assert_eq!(signed["issuer"]["zh"], "北京市人力资源和社会保障局");
    assert!(signed["legal_basis"]["zh"]
        .as_str()
        .unwrap()
        .contains("北京市境外职业资格认可目录（3.0版）"));
    assert!(signed["appeal"]["en"].as_str().unwrap().contains("60 days"));
    let key_id = out["signed"]["signature"]["key_id"].as_str().unwrap();
    let code = out["verification_code"].as_str().unwrap();
    let expected = [
        (
            "zh",
            [
                "北京市人力资源和社会保障局",
                "关于发布《北京市境外职业资格认可目录（3.0版）》的通知",
                "六十日内依法申请行政复议",
                "目录3.0版（2023-09-04）",
                "打印决定书",
            ],
        ),
        (
            "en",
            [
                "Beijing Municipal Human Resources and Social Security Bureau",
                "Catalogue of Recognised Overseas Professional Qualifications, version 3.0 (4 September 2023)",
                "administrative reconsideration within 60 days",
                "Catalogue 3.0 of 2023-09-04",
                "Print the decision",
            ],
        ),
    ];
    for (lang, texts) in expected {
        let page = e
            .call(
                Method::GET,
                &format!("/applications/{id}/decision?lang={lang}"),
                Some(&ada),
                None,
            )
            .await;
        assert_eq!(page.status, StatusCode::OK);
        let html = page.text();
        for text in texts {
            assert!(html.contains(text), "{lang}: {text} in\n{html}");
        }
        // Both names of the authority head the decision in either language.
        assert!(html.contains("北京市人力资源和社会保障局"));
        assert!(html.contains("Beijing Municipal Human Resources and Social Security Bureau"));
        assert!(
            html.contains("(Asia/Shanghai, UTC+8)"),
            "local time, zone named"
        );
        assert!(!html.contains(key_id), "no key on the face");
        assert!(!html.contains("beijing/3.0") && !html.contains("beijing/2023"));
        assert!(!html.contains("Zige)"), "not issued by the software");
        // A public address: the link and its QR code.
        assert!(html.contains(&format!("https://zige.example/verify/{code}")));
        assert!(html.contains("<svg role=\"img\""));
    }
    let verify = e
        .call(Method::GET, &format!("/verify/{code}?lang=en"), None, None)
        .await
        .text();
    assert!(verify.contains(
        "issued by Beijing Municipal Human Resources and Social Security Bureau and has not been revoked"
    ));
    assert!(verify.contains("Catalogue 3.0 of 2023-09-04"));
    assert!(verify.contains("<summary>Technical details</summary>"));
    assert!(!verify.contains("beijing/3.0"));
}

#[tokio::test]
async fn only_development_mode_links_a_decision_to_localhost() {
    let e = TestApp::tuned("dev-link", CASE_STAFF, "http://localhost:8080", |state| {
        state.settings.development = true;
        state.settings.clock = zige_web::local_time::Clock::named("UTC").unwrap();
    })
    .await;
    let (id, ada, out) = approved_case(&e).await;
    let code = out["verification_code"].as_str().unwrap();
    let html = e
        .call(
            Method::GET,
            &format!("/applications/{id}/decision?lang=en"),
            Some(&ada),
            None,
        )
        .await
        .text();
    assert!(html.contains(&format!("http://localhost:8080/verify/{code}")));
    assert!(html.contains("<svg role=\"img\""));
    assert!(html.contains(" (UTC, UTC)"), "the configured zone");

    let e = TestApp::new("no-dev-link", CASE_STAFF).await;
    let (id, ada, _) = approved_case(&e).await;
    let html = e
        .call(
            Method::GET,
            &format!("/applications/{id}/decision?lang=zh"),
            Some(&ada),
            None,
        )
        .await
        .text();
    assert!(!html.contains("localhost") && !html.contains("<svg role=\"img\""));
    assert!(html.contains("凭核验码在北京市人力资源和社会保障局的核验服务"));
}
