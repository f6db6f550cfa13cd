//! Mail, read from a real SMTP server: registering (a verification link,
//! the same answer for a taken address), verifying before submitting, a
//! password reset that works once and ends every session, each step of
//! a case told in the reader's language, and a mail server that is down
//! or refuses a recipient.
//!
//! The tests run on two worker threads: the sender task delivers while a
//! test waits for the server to receive.

use axum::http::{Method, StatusCode};
use serde_json::json;

use crate::fixtures::{application_form, CASE_STAFF, PDF};
use crate::helpers::{now_ms, Received, Reply, TestApp, ADMIN, APPLICANT_PASSWORD};

/// The token at the end of a mailed link to `path` (`/password-reset/`).
fn token_in(mail: &Received, path: &str) -> String {
    let link = mail
        .link(&format!("http://localhost:8080{path}"))
        .unwrap_or_else(|| panic!("no link to {path} in {:?}", mail.text));
    link.rsplit('/').next().unwrap().to_string()
}

/// A reviewer opens application `id` and decides `outcome` with `reasons`.
async fn review(app: &TestApp, reviewer: &str, id: i64, outcome: &str, reasons: &str) -> Reply {
    let open = format!("/api/v1/applications/{id}/review");
    app.call(Method::POST, &open, Some(reviewer), None).await;
    let decide = format!("/api/v1/applications/{id}/decision");
    let body = json!({"outcome": outcome, "reasons": reasons});
    app.call(Method::POST, &decide, Some(reviewer), Some(body))
        .await
}

async fn register(app: &TestApp, email: &str) -> serde_json::Value {
    let r = app
        .call(
            Method::POST,
            "/api/v1/accounts",
            None,
            Some(json!({"email": email, "password": APPLICANT_PASSWORD})),
        )
        .await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.text());
    r.json()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn registering_mails_a_link_and_a_taken_address_gets_the_same_answer() {
    let Some((app, sink)) = TestApp::with_mail("mail-register", CASE_STAFF).await else {
        return;
    };
    let first = register(&app, "ada@example.org").await;
    let mail = sink.last_to("ada@example.org");
    // Both languages, Chinese first, as the reader has not chosen.
    assert_eq!(
        mail.subject,
        "请确认您的电子邮箱 / Confirm your e-mail address"
    );
    assert_eq!(mail.content_language, "zh, en");
    assert!(
        mail.from.contains("noreply@zige.example.org"),
        "{}",
        mail.from
    );
    assert!(
        mail.message_id.ends_with("@zige.example.org>"),
        "{}",
        mail.message_id
    );
    let text = mail.text.clone().unwrap();
    assert!(
        text.contains("请确认 ada@example.org 是您的电子邮箱"),
        "{text}"
    );
    assert!(
        text.contains("Please confirm that ada@example.org is your e-mail address"),
        "{text}"
    );
    assert!(mail
        .html
        .as_deref()
        .unwrap()
        .contains("<a href=\"http://localhost:8080/email-verification/"));

    // Registering a taken address answers exactly alike; its owner is told.
    let again = register(&app, "ada@example.org").await;
    assert_eq!(first, again);
    let told = sink.wait_for(2, |m| m.rcpt == ["ada@example.org"]);
    assert_eq!(told[1].subject, "您已有账户 / You already have an account");
    assert!(told[1]
        .link("http://localhost:8080/email-verification/")
        .is_none());

    // The link verifies the address, once; a forged one is refused.
    let token = token_in(&mail, "/email-verification/");
    let user = app.login("ada@example.org", APPLICANT_PASSWORD).await;
    let me = app.call(Method::GET, "/api/v1/me", Some(&user), None).await;
    assert_eq!(me.json()["email_verified"], false);
    let path = format!("/api/v1/email-verification/{token}");
    assert_eq!(
        app.call(Method::POST, &path, None, None).await.status,
        StatusCode::NO_CONTENT
    );
    let me = app.call(Method::GET, "/api/v1/me", Some(&user), None).await;
    assert_eq!(me.json()["email_verified"], true);
    let reused = app.call(Method::POST, &path, None, None).await;
    assert_eq!(
        (reused.status, reused.error()["code"].as_str()),
        (StatusCode::GONE, Some("link_used"))
    );
    let forged = app
        .call(
            Method::POST,
            "/api/v1/email-verification/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            None,
            None,
        )
        .await;
    assert_eq!(
        (forged.status, forged.error()["code"].as_str()),
        (StatusCode::NOT_FOUND, Some("link_unknown"))
    );
    let garbage = app
        .call(
            Method::POST,
            "/api/v1/email-verification/%3Cscript%3E",
            None,
            None,
        )
        .await;
    assert_eq!(garbage.status, StatusCode::BAD_REQUEST);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_applicant_drafts_before_verifying_but_submits_only_after() {
    let Some((app, sink)) = TestApp::with_mail("mail-verify-first", CASE_STAFF).await else {
        return;
    };
    register(&app, "bo@example.org").await;
    let token = app.login("bo@example.org", APPLICANT_PASSWORD).await;
    let r = app
        .call(
            Method::POST,
            "/api/v1/applications",
            Some(&token),
            Some(application_form()),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED);
    let id = r.json()["id"].as_i64().unwrap();
    assert_eq!(
        app.upload(&token, id, "cert.pdf", PDF).await.status,
        StatusCode::CREATED
    );
    let submit = format!("/api/v1/applications/{id}/submit");
    let refused = app.call(Method::POST, &submit, Some(&token), None).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(refused.error()["code"], "email_unverified");
    assert!(refused.error()["message"]["en"]
        .as_str()
        .unwrap()
        .contains("bo@example.org"));

    let link = token_in(&sink.last_to("bo@example.org"), "/email-verification/");
    let verified = app
        .call(
            Method::POST,
            &format!("/api/v1/email-verification/{link}"),
            None,
            None,
        )
        .await;
    assert_eq!(verified.status, StatusCode::NO_CONTENT);
    let r = app.call(Method::POST, &submit, Some(&token), None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());

    // The receipt names the application and the edition it is decided under.
    let receipt = sink.wait_for(1, |m| m.subject.contains(&format!("application {id}")));
    let text = receipt[0].text.clone().unwrap();
    assert!(
        text.contains(&format!("We have received your application {id}")),
        "{text}"
    );
    assert!(text.contains("beijing/3.0"), "{text}");
    assert!(
        text.contains(&format!("http://localhost:8080/applications/{id}")),
        "{text}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reset_link_sets_a_new_password_once_and_ends_every_session() {
    let Some((app, sink)) = TestApp::with_mail("mail-reset", CASE_STAFF).await else {
        return;
    };
    register(&app, "cy@example.org").await;
    let old_session = app.login("cy@example.org", APPLICANT_PASSWORD).await;

    // The same answer for an address without an account, and no mail.
    for email in ["cy@example.org", "nobody@example.org"] {
        let r = app
            .call(
                Method::POST,
                "/api/v1/password-reset",
                None,
                Some(json!({"email": email})),
            )
            .await;
        assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.text());
        assert_eq!(r.text(), "");
    }
    let mail = sink.wait_for(1, |m| m.subject.contains("Set a new password"));
    assert_eq!(mail[0].rcpt, ["cy@example.org"]);
    let token = token_in(&mail[0], "/password-reset/");
    let path = format!("/api/v1/password-reset/{token}");

    let weak = app
        .call(
            Method::POST,
            &path,
            None,
            Some(json!({"password": "short"})),
        )
        .await;
    assert_eq!(
        (weak.status, weak.error()["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("password"))
    );
    let set = app
        .call(
            Method::POST,
            &path,
            None,
            Some(json!({"password": "a brand new password"})),
        )
        .await;
    assert_eq!(set.status, StatusCode::NO_CONTENT, "{}", set.text());

    let me = app
        .call(Method::GET, "/api/v1/me", Some(&old_session), None)
        .await;
    assert_eq!(
        me.status,
        StatusCode::UNAUTHORIZED,
        "the old session has ended"
    );
    let old = app
        .call(
            Method::POST,
            "/api/v1/session",
            None,
            Some(json!({"email": "cy@example.org", "password": APPLICANT_PASSWORD})),
        )
        .await;
    assert_eq!(old.status, StatusCode::UNAUTHORIZED);
    app.login("cy@example.org", "a brand new password").await;
    let again = app
        .call(
            Method::POST,
            &path,
            None,
            Some(json!({"password": "yet another password"})),
        )
        .await;
    assert_eq!(again.status, StatusCode::GONE);
    let told = sink.wait_for(1, |m| m.subject.contains("Your password was changed"));
    assert_eq!(told[0].rcpt, ["cy@example.org"]);
    // Following the link proved the address too.
    let session = app.login("cy@example.org", "a brand new password").await;
    let me = app
        .call(Method::GET, "/api/v1/me", Some(&session), None)
        .await;
    assert_eq!(me.json()["email_verified"], true);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_step_of_a_case_is_mailed_in_the_language_the_applicant_chose() {
    let Some((app, sink)) = TestApp::with_mail("mail-steps", CASE_STAFF).await else {
        return;
    };
    register(&app, "di@example.org").await;
    let link = token_in(&sink.last_to("di@example.org"), "/email-verification/");
    app.call(
        Method::POST,
        &format!("/api/v1/email-verification/{link}"),
        None,
        None,
    )
    .await;
    let token = app.login("di@example.org", APPLICANT_PASSWORD).await;
    let r = app
        .call(
            Method::PUT,
            "/api/v1/me/mail-preferences",
            Some(&token),
            Some(json!({"language": "en", "digest": false})),
        )
        .await;
    assert_eq!(r.json()["mail_language"], "en", "{}", r.text());
    let id = app.submitted(&token).await;
    let reviewer = app.reviewer().await;
    let asked = review(
        &app,
        &reviewer,
        id,
        "more_information",
        "Please add the CFA charter's second page.",
    )
    .await;
    assert!(asked.status.is_success(), "{}", asked.text());
    let mail = sink.wait_for(1, |m| m.subject.contains("more information needed"));
    assert_eq!(
        mail[0].subject,
        format!("Application {id}: more information needed")
    );
    assert_eq!(mail[0].content_language, "en");
    let text = mail[0].text.clone().unwrap();
    assert!(
        text.contains("> Please add the CFA charter's second page."),
        "{text}"
    );
    assert!(!text.contains("您好"), "English only: {text}");

    // The sender's round: a reminder while the request is open (here it
    // lapses at once), and the reviewers' digest; each queued once.
    let words = zige_mail::Words {
        public_url: "http://localhost:8080".into(),
        zone: jiff::tz::TimeZone::UTC,
        lapse_ms: 0,
    };
    let schedule = zige_mail::Schedule {
        digest_hour: 0,
        ..Default::default()
    };
    for _ in 0..2 {
        schedule.round(&app.store, &words, now_ms()).await.unwrap();
    }
    let reminder = sink.wait_for(1, |m| m.subject.starts_with("Reminder:"));
    assert_eq!(reminder[0].rcpt, ["di@example.org"]);

    // Answered and approved: the decision's mail carries its public check.
    app.call(
        Method::POST,
        &format!("/api/v1/applications/{id}/submit"),
        Some(&token),
        None,
    )
    .await;
    // The queue holds the case again: reviewers and the admin get the day's digest, once.
    for _ in 0..2 {
        schedule.round(&app.store, &words, now_ms()).await.unwrap();
    }
    let digests = sink.wait_for(3, |m| m.subject.contains("Review queue"));
    let readers: Vec<&str> = digests.iter().map(|m| m.rcpt[0].as_str()).collect();
    assert!(
        readers.contains(&crate::helpers::REVIEWER) && readers.contains(&ADMIN),
        "{readers:?}"
    );
    std::thread::sleep(std::time::Duration::from_millis(500));
    let once = |prefix: &str| {
        sink.received()
            .iter()
            .filter(|m| m.subject.contains(prefix))
            .count()
    };
    assert_eq!((once("Reminder:"), once("Review queue")), (1, 3));
    let decided = review(&app, &reviewer, id, "approved", "verified").await;
    assert_eq!(decided.status, StatusCode::CREATED, "{}", decided.text());
    let code = decided.json()["verification_code"]
        .as_str()
        .unwrap()
        .to_string();
    let mail = sink.wait_for(1, |m| m.subject.ends_with(": approved"));
    assert!(mail[0]
        .text
        .as_deref()
        .unwrap()
        .contains(&format!("http://localhost:8080/verify/{code}")));

    let admin = app.admin().await;
    let revoked = app
        .call(
            Method::POST,
            &format!("/api/v1/decisions/{code}/revoke"),
            Some(&admin),
            Some(json!({"reason": "The charter was forged."})),
        )
        .await;
    assert!(revoked.status.is_success(), "{}", revoked.text());
    let mail = sink.wait_for(1, |m| m.subject.contains("has been revoked"));
    assert!(mail[0]
        .text
        .as_deref()
        .unwrap()
        .contains("> The charter was forged."));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mail_server_that_is_down_delays_mail_but_never_a_request() {
    // Nothing listens on this port: every attempt fails, and is retried.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let app =
        TestApp::mailing_to("mail-down", CASE_STAFF, &format!("smtp://127.0.0.1:{port}")).await;
    let started = std::time::Instant::now();
    register(&app, "eve@example.org").await;
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
    let admin = app.admin().await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let log = loop {
        let log = app
            .call(
                Method::GET,
                "/api/v1/admin/mail?status=queued",
                Some(&admin),
                None,
            )
            .await;
        let first = log.json()["messages"][0].clone();
        if first["attempts"].as_i64() >= Some(1) || std::time::Instant::now() > deadline {
            break first;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    };
    assert_eq!(log["recipient"], "eve@example.org");
    assert_eq!(log["status"], "queued", "kept for the next attempt: {log}");
    assert!(!log["last_error"].as_str().unwrap().is_empty(), "{log}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_recipient_is_marked_failed_for_an_admin_to_see_and_resend() {
    let Some((app, sink)) = TestApp::with_mail("mail-refused", CASE_STAFF).await else {
        return;
    };
    register(&app, "ghost@reject.invalid").await;
    register(&app, "fay@example.org").await;
    sink.last_to("fay@example.org");
    let admin = app.admin().await;
    let log = app
        .call(
            Method::GET,
            "/api/v1/admin/mail?status=failed",
            Some(&admin),
            None,
        )
        .await;
    let failed = &log.json()["messages"][0];
    assert_eq!(failed["recipient"], "ghost@reject.invalid");
    assert!(
        failed["last_error"].as_str().unwrap().contains("550"),
        "{failed}"
    );
    assert_eq!(log.json()["failed"], 1);
    let id = failed["id"].as_i64().unwrap();
    let retried = app
        .call(
            Method::POST,
            &format!("/api/v1/admin/mail/{id}/retry"),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(retried.status, StatusCode::NO_CONTENT);
    let twice = app
        .call(
            Method::POST,
            &format!("/api/v1/admin/mail/{id}/retry"),
            Some(&admin),
            None,
        )
        .await;
    assert!(matches!(
        twice.status,
        StatusCode::CONFLICT | StatusCode::NO_CONTENT
    ));
    let mut browser = app.staff_browser(ADMIN).await;
    let page = browser.get("/admin/mail").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.text().contains("ghost@reject.invalid"),
        "{}",
        page.text()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_account_page_resends_the_link_changes_the_address_and_sets_the_language() {
    let Some((app, sink)) = TestApp::with_mail("mail-account-page", CASE_STAFF).await else {
        return;
    };
    let mut b = crate::helpers::Browser::new(&app);
    let anonymous = b.get("/account").await;
    assert_eq!(
        anonymous.status,
        StatusCode::SEE_OTHER,
        "signed out: to sign in"
    );
    b.register("hua@example.org").await;
    let page = b.get("/account?lang=en").await;
    assert!(page.text().contains("Not confirmed yet"), "{}", page.text());
    let csrf = page.hidden("csrf");

    // A wrong address is named at its field, and kept.
    let wrong = b
        .post(
            "/account/email?lang=en",
            &[("csrf", &csrf), ("email", "hua@@example")],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::BAD_REQUEST);
    assert!(
        wrong.text().contains("id=\"new-email-error\""),
        "{}",
        wrong.text()
    );
    assert!(wrong.text().contains("value=\"hua@@example\""));

    // A new address gets a link; it replaces the old once followed.
    let asked = b
        .post(
            "/account/email",
            &[("csrf", &csrf), ("email", "hua.new@example.org")],
        )
        .await;
    assert_eq!(asked.location(), "/account?done=mail-sent");
    let mail = sink.last_to("hua.new@example.org");
    let token = token_in(&mail, "/email-verification/");
    let landed = b.get(&format!("/email-verification/{token}?lang=en")).await;
    assert!(
        landed.text().contains("hua.new@example.org is confirmed"),
        "{}",
        landed.text()
    );
    let page = b.get("/account?lang=en").await;
    assert!(page.text().contains("hua.new@example.org") && page.text().contains("Confirmed"));
    let again = b.get(&format!("/email-verification/{token}?lang=en")).await;
    assert_eq!(again.status, StatusCode::GONE);
    assert!(again.text().contains("This link no longer works"));

    // Mail in Chinese only, from now on.
    let saved = b
        .post(
            "/account/mail-preferences",
            &[("csrf", &csrf), ("language", "zh")],
        )
        .await;
    assert_eq!(saved.location(), "/account?done=preferences");
    let page = b.get("/account").await;
    assert!(
        page.text()
            .contains("id=\"language-zh\" name=\"language\" value=\"zh\" checked"),
        "{}",
        page.text()
    );
}
