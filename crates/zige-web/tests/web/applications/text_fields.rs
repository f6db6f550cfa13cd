//! Every text field of the API refuses control and invisible characters
//! and text over its length, naming the field; NUL bytes never reach
//! PostgreSQL.

use axum::http::{Method, StatusCode};
use serde_json::{json, Value};

use crate::fixtures::*;
use crate::helpers::*;

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
async fn text_fields_refuse_control_and_invisible_characters_naming_them() {
    let e = api_app("chars").await;
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
        StatusCode::ACCEPTED,
        "{}",
        String::from_utf8_lossy(&r.body)
    );
    assert_eq!(r.json()["email"].as_str(), Some("ada@example.org"));
    let dup = e
        .call(
            Method::POST,
            "/api/v1/accounts",
            None,
            Some(new_account("ada@example.org", None)),
        )
        .await;
    assert_eq!(
        dup.status,
        StatusCode::ACCEPTED,
        "alike for a taken address"
    );
    let ada = e.login("ａｄａ@EXAMPLE.org", "correct horse").await;
    let me = e.call(Method::GET, "/api/v1/me", Some(&ada), None).await;
    assert_eq!(me.json()["name"], "Иван Петров");
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
    let e = api_app("lengths").await;
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
            "/api/v1/decisions/0000000000000000000000000A/revoke",
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
    let Some((e, db)) = TestApp::on_postgres("nul", &staff).await else {
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
    drop_postgres(&db).await;
}
