//! Staff sign in with a second factor (TOTP, RFC 6238): without one they
//! get no API token and no page but enrolment; enrolment refuses a wrong
//! code; recovery codes and TOTP steps work once; an admin's reset forces
//! enrolment again and is audited; applicants may enrol, and then must
//! give a code.

use axum::http::{Method, StatusCode};
use serde_json::{json, Value};
use zige_cases::second_factor as sf;
use zige_cases::Role;

use crate::helpers::*;

async fn app(tag: &str) -> TestApp {
    TestApp::new(
        &format!("sf-{tag}"),
        &[(REVIEWER, Role::Reviewer), (ADMIN, Role::Admin)],
    )
    .await
}

async fn session(
    e: &TestApp,
    email: &str,
    password: &str,
    code: Option<&str>,
) -> (StatusCode, Value) {
    let mut body = json!({"email": email, "password": password});
    if let Some(c) = code {
        body["code"] = json!(c);
    }
    e.json(Method::POST, "/api/v1/session", None, Some(body))
        .await
}

fn code_of(v: &Value) -> &str {
    v["errors"][0]["code"].as_str().unwrap_or("")
}

/// The secret written out on an enrolment page.
fn secret_on(html: &str) -> Vec<u8> {
    let start = html.find("id=\"secret\">").expect("the secret on the page") + 12;
    let end = start + html[start..].find('<').unwrap();
    sf::base32_decode(&html[start..end]).unwrap()
}

/// The recovery codes on the page shown once after enrolment.
fn recovery_on(html: &str) -> Vec<String> {
    let list = &html[html.find("id=\"recovery-codes\"").expect("recovery codes")..];
    let list = &list[..list.find("</ol>").unwrap()];
    list.split("<code>")
        .skip(1)
        .map(|s| s[..s.find("</code>").unwrap()].to_string())
        .collect()
}

async fn audit_actions(e: &TestApp) -> Vec<String> {
    e.store
        .audit(0, 1000)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.action)
        .collect()
}

#[tokio::test]
async fn staff_without_a_factor_get_no_api_token_and_no_queue() {
    let e = app("none").await;
    let (s, b) = session(&e, REVIEWER, STAFF_PASSWORD, None).await;
    assert_eq!(
        (s, code_of(&b)),
        (StatusCode::FORBIDDEN, "second_factor_enrolment_required"),
        "{b}"
    );
    assert!(b.get("token").is_none());
    let (s, b) = session(&e, REVIEWER, STAFF_PASSWORD, Some("123456")).await;
    assert_eq!(
        (s, code_of(&b)),
        (StatusCode::FORBIDDEN, "second_factor_enrolment_required")
    );
    // A wrong password says nothing about the second factor.
    let (s, b) = session(&e, REVIEWER, "not the password", None).await;
    assert_eq!(
        (s, code_of(&b)),
        (StatusCode::UNAUTHORIZED, "bad_credentials")
    );

    // In the browser: the password leads to enrolment; the pending session
    // opens neither the queue nor the API.
    let mut rev = Browser::new(&e);
    let login_csrf = rev.form_csrf("/login").await;
    let r = rev
        .post(
            "/login",
            &[
                ("csrf", login_csrf.as_str()),
                ("email", REVIEWER),
                ("password", STAFF_PASSWORD),
                ("next", "/review"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), "/login/second-factor?next=%2Freview");
    let pending = rev.cookie.clone().expect("a pending session cookie");
    let q = rev.get("/review").await;
    assert_eq!(q.status, StatusCode::SEE_OTHER);
    assert!(q.location().starts_with("/login"), "{}", q.location());
    let (s, _) = e
        .json(Method::GET, "/api/v1/review/queue", Some(&pending), None)
        .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    let (s, _) = e
        .json(Method::GET, "/api/v1/me", Some(&pending), None)
        .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    let page = rev.get("/login/second-factor?next=%2Freview&lang=en").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.has("<svg") && page.has("Set up two-step sign-in"),
        "{}",
        page.text()
    );
}

#[tokio::test]
async fn enrolment_refuses_a_wrong_code_then_the_right_code_signs_in_with_ten_recovery_codes() {
    let e = app("enrol").await;
    let mut rev = Browser::new(&e);
    let login_csrf = rev.form_csrf("/login").await;
    rev.post(
        "/login",
        &[
            ("csrf", login_csrf.as_str()),
            ("email", REVIEWER),
            ("password", STAFF_PASSWORD),
            ("next", "/review"),
        ],
    )
    .await;
    let page = rev.get("/login/second-factor?next=%2Freview&lang=en").await;
    let secret = secret_on(&page.text());
    assert_eq!(secret.len(), 20);
    let again = rev.get("/login/second-factor?next=%2Freview&lang=en").await;
    assert_eq!(
        secret_on(&again.text()),
        secret,
        "a reload keeps the secret"
    );
    assert!(page.text().contains(&sf::otpauth_uri(REVIEWER, &secret)) || page.has("<svg"));
    let csrf = page.hidden("csrf");

    let now = now_ms();
    let wrong = sf::code_at_step(&secret, sf::step_at(now) + 5);
    let r = rev
        .post(
            "/login/second-factor",
            &[("csrf", &csrf), ("code", &wrong), ("next", "/review")],
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(
        r.has("id=\"problems\"") && r.has("id=\"code-error\""),
        "{}",
        r.text()
    );
    assert_eq!(
        rev.get("/review").await.status,
        StatusCode::SEE_OTHER,
        "still not signed in"
    );
    // Without the pending session's CSRF token nothing happens.
    let code = sf::code_at(&secret, now);
    let r = rev
        .post(
            "/login/second-factor",
            &[("csrf", "forged"), ("code", &code), ("next", "/review")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    let r = rev
        .post(
            "/login/second-factor?lang=en",
            &[("csrf", &csrf), ("code", &code), ("next", "/review")],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert!(r.has("Your recovery codes") && r.has("Print this page"));
    let codes = recovery_on(&r.text());
    assert_eq!(codes.len(), 10);
    assert!(r.has("href=\"/review\""));
    assert_eq!(
        rev.get("/review").await.status,
        StatusCode::OK,
        "signed in now"
    );
    assert!(audit_actions(&e)
        .await
        .contains(&"second_factor.enrol".to_string()));

    // The API: the step used at enrolment does not work again; a
    // recovery code works once.
    let (s, b) = session(&e, REVIEWER, STAFF_PASSWORD, None).await;
    assert_eq!(
        (s, code_of(&b)),
        (StatusCode::UNAUTHORIZED, "second_factor_required")
    );
    let (s, b) = session(&e, REVIEWER, STAFF_PASSWORD, Some(&code)).await;
    assert_eq!(
        (s, code_of(&b)),
        (StatusCode::UNAUTHORIZED, "second_factor_wrong"),
        "{b}"
    );
    let (s, b) = session(&e, REVIEWER, STAFF_PASSWORD, Some(&codes[0].to_lowercase())).await;
    assert_eq!(s, StatusCode::CREATED, "{b}");
    let token = b["token"].as_str().unwrap().to_string();
    let (s, _) = e
        .json(Method::GET, "/api/v1/review/queue", Some(&token), None)
        .await;
    assert_eq!(
        s,
        StatusCode::OK,
        "a staff token after the second factor works"
    );
    let (s, b) = session(&e, REVIEWER, STAFF_PASSWORD, Some(&codes[0])).await;
    assert_eq!(
        (s, code_of(&b)),
        (StatusCode::UNAUTHORIZED, "second_factor_wrong"),
        "used once only"
    );
    let a = audit_actions(&e).await;
    assert_eq!(
        a.iter()
            .filter(|x| *x == "second_factor.recovery_use")
            .count(),
        1
    );
}

#[tokio::test]
async fn a_totp_step_works_once_and_wrong_codes_count_against_the_limit() {
    let e = app("reuse").await;
    let code = e.totp(REVIEWER).await;
    let (s, b) = session(&e, REVIEWER, STAFF_PASSWORD, Some(&code)).await;
    assert_eq!(s, StatusCode::CREATED, "{b}");
    let (s, b) = session(&e, REVIEWER, STAFF_PASSWORD, Some(&code)).await;
    assert_eq!(
        (s, code_of(&b)),
        (StatusCode::UNAUTHORIZED, "second_factor_wrong"),
        "replayed"
    );
    // A wrong password with the right code: only the password is named.
    let (s, b) = session(
        &e,
        REVIEWER,
        "wrong password",
        Some(&e.totp(REVIEWER).await),
    )
    .await;
    assert_eq!(
        (s, code_of(&b)),
        (StatusCode::UNAUTHORIZED, "bad_credentials")
    );
    for bad in ["000000x", "12345", "AAAA-BBBB-CCCC-DDDD"] {
        let (s, b) = session(&e, REVIEWER, STAFF_PASSWORD, Some(bad)).await;
        assert_eq!(
            (s, code_of(&b)),
            (StatusCode::UNAUTHORIZED, "second_factor_wrong"),
            "{bad}"
        );
        assert_eq!(b["errors"][0]["field"], "code");
    }
    // Five failures in all (1 replay + 1 password + 3 codes): the right
    // code now waits too.
    let (s, b) = session(&e, REVIEWER, STAFF_PASSWORD, Some(&e.totp(REVIEWER).await)).await;
    assert_eq!(
        (s, code_of(&b)),
        (StatusCode::TOO_MANY_REQUESTS, "too_many_attempts"),
        "{b}"
    );
}

#[tokio::test]
async fn an_admin_reset_forces_enrolment_again_ends_sessions_and_is_audited() {
    let e = app("reset").await;
    let mut rev = Browser::new(&e);
    rev.sign_in(REVIEWER, STAFF_PASSWORD).await;
    assert_eq!(rev.get("/review").await.status, StatusCode::OK);
    let rev_id = e.store.user_by_email(REVIEWER).await.unwrap().unwrap().0.id;
    let (s, b) = session(&e, REVIEWER, STAFF_PASSWORD, Some(&e.totp(REVIEWER).await)).await;
    assert_eq!(s, StatusCode::CREATED);
    let rev_token = b["token"].as_str().unwrap().to_string();
    let uri = format!("/api/v1/admin/users/{rev_id}/second-factor/reset");

    // Only an admin may reset.
    let (s, _) = e.json(Method::POST, &uri, Some(&rev_token), None).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _) = e.json(Method::POST, &uri, None, None).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    let (s, b) = session(&e, ADMIN, STAFF_PASSWORD, Some(&e.totp(ADMIN).await)).await;
    assert_eq!(s, StatusCode::CREATED);
    let admin = b["token"].as_str().unwrap().to_string();
    let (s, _) = e
        .json(
            Method::POST,
            "/api/v1/admin/users/999/second-factor/reset",
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _) = e.json(Method::POST, &uri, Some(&admin), None).await;
    assert_eq!(s, StatusCode::NO_CONTENT);

    // Their sessions ended; the next sign-in enrols again.
    let (s, _) = e
        .json(Method::GET, "/api/v1/me", Some(&rev_token), None)
        .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    assert_eq!(rev.get("/review").await.status, StatusCode::SEE_OTHER);
    let (s, b) = session(&e, REVIEWER, STAFF_PASSWORD, None).await;
    assert_eq!(
        (s, code_of(&b)),
        (StatusCode::FORBIDDEN, "second_factor_enrolment_required")
    );
    let login_csrf = rev.form_csrf("/login").await;
    let r = rev
        .post(
            "/login",
            &[
                ("csrf", login_csrf.as_str()),
                ("email", REVIEWER),
                ("password", STAFF_PASSWORD),
                ("next", "/my"),
            ],
        )
        .await;
    assert!(r.location().starts_with("/login/second-factor"));
    assert!(rev
        .get("/login/second-factor?lang=en")
        .await
        .has("Set up two-step sign-in"));
    let audit = e.store.audit(0, 1000).await.unwrap();
    let reset = audit
        .iter()
        .find(|r| r.action == "second_factor.reset")
        .expect("the reset is audited");
    assert_eq!(reset.subject, format!("user:{rev_id}"));

    // The admin page asks first, then resets.
    let mut adm = Browser::new(&e);
    adm.sign_in(ADMIN, STAFF_PASSWORD).await;
    e.totp(REVIEWER).await;
    let users = adm.get("/admin/users?lang=en").await;
    assert!(users.has(&format!("/admin/users/{rev_id}/second-factor/reset")));
    let confirm = adm
        .get(&format!(
            "/admin/users/{rev_id}/second-factor/reset?lang=en"
        ))
        .await;
    assert_eq!(confirm.status, StatusCode::OK);
    assert!(confirm.has(REVIEWER) && confirm.has("must set up two-step sign-in again"));
    let csrf = confirm.hidden("csrf");
    let r = adm
        .post(
            &format!("/admin/users/{rev_id}/second-factor/reset"),
            &[("csrf", "x")],
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::FORBIDDEN,
        "not without the CSRF token"
    );
    assert!(e.store.second_factor(rev_id).await.unwrap().is_some());
    let r = adm
        .post(
            &format!("/admin/users/{rev_id}/second-factor/reset"),
            &[("csrf", &csrf)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(e.store.second_factor(rev_id).await.unwrap().is_none());
}

#[tokio::test]
async fn an_applicant_may_enrol_and_then_must_give_a_code_until_they_remove_it() {
    let e = app("applicant").await;
    let (s, _) = e
        .json(
            Method::POST,
            "/api/v1/accounts",
            None,
            Some(json!({"email": "ada@example.org", "password": "correct horse"})),
        )
        .await;
    assert_eq!(s, StatusCode::ACCEPTED);
    let (s, _) = session(&e, "ada@example.org", "correct horse", None).await;
    assert_eq!(
        s,
        StatusCode::CREATED,
        "optional: no code needed before enrolling"
    );

    let mut ada = Browser::new(&e);
    ada.sign_in("ada@example.org", "correct horse").await;
    assert!(ada
        .get("/my?lang=en")
        .await
        .has("href=\"/account/second-factor\""));
    let page = ada.get("/account/second-factor?lang=en").await;
    assert!(page.has("keeps your account safe"), "{}", page.text());
    let secret = secret_on(&page.text());
    let csrf = page.hidden("csrf");
    let now = now_ms();
    let r = ada
        .post(
            "/account/second-factor",
            &[("csrf", &csrf), ("code", "000000x")],
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let r = ada
        .post(
            "/account/second-factor?lang=en",
            &[("csrf", &csrf), ("code", &sf::code_at(&secret, now))],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(recovery_on(&r.text()).len(), 10);

    // Now required at sign-in, in the API and in the browser.
    let (s, b) = session(&e, "ada@example.org", "correct horse", None).await;
    assert_eq!(
        (s, code_of(&b)),
        (StatusCode::UNAUTHORIZED, "second_factor_required")
    );
    let next = sf::code_at_step(&secret, sf::step_at(now) + 1);
    let (s, b) = session(&e, "ada@example.org", "correct horse", Some(&next)).await;
    assert_eq!(s, StatusCode::CREATED, "{b}");
    let mut other = Browser::new(&e);
    let login_csrf = other.form_csrf("/login").await;
    let r = other
        .post(
            "/login",
            &[
                ("csrf", login_csrf.as_str()),
                ("email", "ada@example.org"),
                ("password", "correct horse"),
                ("next", "/my"),
            ],
        )
        .await;
    assert!(r.location().starts_with("/login/second-factor"));
    assert!(other
        .get("/login/second-factor?lang=en")
        .await
        .has("Enter your security code"));

    // Removal needs the password.
    let page = ada.get("/account/second-factor?lang=en").await;
    assert!(page.has("Recovery codes left: 10"), "{}", page.text());
    let r = ada
        .post(
            "/account/second-factor/remove",
            &[("csrf", &csrf), ("password", "wrong one!")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let r = ada
        .post(
            "/account/second-factor/remove",
            &[("csrf", &csrf), ("password", "correct horse")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let (s, _) = session(&e, "ada@example.org", "correct horse", None).await;
    assert_eq!(s, StatusCode::CREATED);
    assert!(audit_actions(&e)
        .await
        .contains(&"second_factor.remove".to_string()));
}
