//! The review of submitted applications: opening a case is a read and
//! starting its review a post, and no one reviews, decides or queues an
//! application of their own; through the API and the pages.

use axum::http::{Method, StatusCode};
use serde_json::{json, Value};

use crate::fixtures::*;
use crate::helpers::*;

#[tokio::test]
async fn no_one_decides_starts_or_queues_an_application_they_submitted() {
    let e = api_app("own").await;
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

    // Nor does she take it, give it back or write notes on it, even as
    // an admin would.
    let assign_own = e
        .call(
            Method::PUT,
            &format!("/api/v1/applications/{id}/assignee"),
            Some(&ada),
            Some(json!({"reviewer_id": me["id"]})),
        )
        .await;
    assert_eq!(assign_own.status, StatusCode::FORBIDDEN);
    let note_own = e
        .call(
            Method::POST,
            &format!("/api/v1/applications/{id}/notes"),
            Some(&ada),
            Some(json!({"note": "looks fine to me"})),
        )
        .await;
    assert_eq!(note_own.status, StatusCode::FORBIDDEN);

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
    let e = api_app("start").await;
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
async fn opening_a_case_is_a_read_and_the_review_starts_with_a_button() {
    let env = pages_app("start").await;
    let (id, _applicant) = submitted_case(&env).await;
    let mut rev = Browser::new(&env);
    rev.sign_in("rev@example.org", STAFF_PASSWORD).await;
    let case = format!("/review/{id}?lang=en");
    for _ in 0..2 {
        let r = rev.get(&case).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(
            r.has("class=\"state s-submitted\">Submitted"),
            "{}",
            r.text()
        );
    }
    let page = rev.get(&case).await;
    assert!(page.has("Start review") && page.has("id=\"decide\""));
    let (csrf, version) = (page.hidden("csrf"), page.hidden("version"));

    // Without the CSRF token nothing moves.
    let r = rev
        .post(&format!("/review/{id}/start"), &[("version", &version)])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(rev.get(&case).await.has("s-submitted"));

    let r = rev
        .post(
            &format!("/review/{id}/start"),
            &[("csrf", &csrf), ("version", &version)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    assert_eq!(r.location(), format!("/review/{id}?done=started#decide"));
    let r = rev.get(&format!("/review/{id}?lang=en&done=started")).await;
    assert!(r.has("class=\"state s-under_review\">Under review"));
    assert!(r.has("You have started the review of this case."));
    assert!(!r.has("Start review"), "no second start");
    let zh = rev.get(&format!("/review/{id}?lang=zh")).await;
    assert!(zh.has("审核中"));

    // A second start, on the version read before, is told what happened.
    let mut rev2 = Browser::new(&env);
    rev2.sign_in("rev2@example.org", STAFF_PASSWORD).await;
    let csrf2 = rev2.get(&case).await.hidden("csrf");
    let r = rev2
        .post(
            &format!("/review/{id}/start?lang=en"),
            &[("csrf", &csrf2), ("version", &version)],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.has("Under review"));
}

#[tokio::test]
async fn a_reviewer_never_reviews_their_own_application_through_the_pages() {
    let env = pages_app("own").await;
    let (id, mut ada) = submitted_case(&env).await;
    let mut admin = Browser::new(&env);
    admin.sign_in("admin@example.org", STAFF_PASSWORD).await;
    let users = admin.get("/admin/users").await;
    let csrf = users.hidden("csrf");
    // Ada is the fourth account: three staff accounts came first.
    let r = admin
        .post("/admin/users/4", &[("csrf", &csrf), ("role", "reviewer")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());

    let queue = ada.get("/review?lang=en").await;
    assert_eq!(queue.status, StatusCode::OK, "Ada is a reviewer now");
    assert!(
        !queue.has(&format!("href=\"/review/{id}\"")),
        "her own application is not in her queue"
    );
    let r = ada.get(&format!("/review/{id}")).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), format!("/applications/{id}"));
    let csrf = ada.csrf().await;
    let r = ada
        .post(
            &format!("/review/{id}/decision?lang=en"),
            &[("csrf", &csrf), ("outcome", "approved"), ("reasons", "")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.has("you cannot review or decide it"), "{}", r.text());
    let r = ada
        .post(&format!("/review/{id}/start"), &[("csrf", &csrf)])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let mine = ada.get(&format!("/applications/{id}?lang=en")).await;
    assert!(mine.has("Submitted") && !mine.has("Record decision"));
}

/// Signs `email` in from the sign-in page with nowhere else to go; gives
/// where the landing sends them.
async fn landing_of(env: &TestApp, email: &str) -> String {
    let mut b = Browser::new(env);
    let login = b.get("/login").await;
    let (csrf, next) = (login.hidden("csrf"), login.hidden("next"));
    let fields = [
        ("email", email),
        ("password", STAFF_PASSWORD),
        ("next", &next),
        ("csrf", &csrf),
    ];
    let mut r = b.post("/login", &fields).await;
    if r.location().starts_with("/login/second-factor") {
        let page = b.get(&r.location()).await;
        let code = env.totp(email).await;
        let (csrf, next) = (page.hidden("csrf"), page.hidden("next"));
        let fields = [("csrf", &*csrf), ("code", &code), ("next", &next)];
        r = b.post("/login/second-factor", &fields).await;
    }
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    r.location()
}

#[tokio::test]
async fn staff_land_on_their_daily_work_after_signing_in() {
    let env = pages_app("landing").await;
    assert_eq!(landing_of(&env, REVIEWER).await, "/review");
    assert_eq!(landing_of(&env, ADMIN).await, "/admin/users");
    let mut ada = Browser::new(&env);
    ada.register("ada@example.org").await;
    let r = ada.get("/start").await;
    assert_eq!(r.location(), "/my");
    // Signed out, the landing asks to sign in and comes back.
    let r = Browser::new(&env).get("/start").await;
    assert_eq!(r.location(), "/login?next=%2Fstart");
}

#[tokio::test]
async fn the_case_page_opens_with_its_summary_and_the_decision_and_names_rules_in_words() {
    let env = pages_app("case-order").await;
    let (id, _) = submitted_case(&env).await;
    let mut rev = Browser::new(&env);
    rev.sign_in(REVIEWER, STAFF_PASSWORD).await;
    for (lang, benefit) in [("en", "Relaxed work permit"), ("zh", "外国人工作许可放宽")] {
        let html = rev.get(&format!("/review/{id}?lang={lang}")).await.text();
        let at = |needle: &str| {
            html.find(needle)
                .unwrap_or_else(|| panic!("{needle} in {html}"))
        };
        assert!(at("class=\"case-summary\"") < at("id=\"start\""));
        assert!(at("id=\"start\"") < at("id=\"evidence-title\""));
        assert!(at("id=\"decide\"") < at("id=\"evidence-title\""));
        assert!(at("id=\"decide\"") < at("id=\"precheck\""));
        assert!(html.contains(&format!("<span class=\"rule\">{benefit}</span>")));
        assert!(!html.contains("benefit.work_permit_relaxation"));
        assert!(!html.contains("recognition.level"));
        assert!(
            html.contains("(Asia/Shanghai, UTC+8)"),
            "submitted in local time"
        );
    }
}

#[tokio::test]
async fn a_reviewer_is_warned_when_one_certificate_is_in_two_applications() {
    let e = api_app("same-cert").await;
    let ada = e.applicant("ada@example.org").await;
    let bob = e.applicant("bob@example.org").await;
    let first = e.submitted(&ada).await;
    // The same certificate typed another way: spaces, case, a dash less.
    let mut form = application_form();
    form["certificate"]["number"] = json!("cfa 123");
    form["certificate"]["issuer"] = json!("CFA  institute");
    let r = e
        .call(Method::POST, "/api/v1/applications", Some(&bob), Some(form))
        .await;
    let second = r.json()["id"].as_i64().unwrap();
    let rev = e.login("rev@example.org", "staff password 1").await;
    let seen = |id: i64| {
        let (e, rev) = (&e, rev.clone());
        async move {
            e.call(
                Method::GET,
                &format!("/api/v1/applications/{id}"),
                Some(&rev),
                None,
            )
            .await
            .json()["same_certificate"]
                .clone()
        }
    };
    assert_eq!(
        seen(first).await,
        json!([]),
        "a draft is nobody's evidence yet"
    );
    e.upload(&bob, second, "cert.pdf", PDF).await;
    let submit = format!("/api/v1/applications/{second}/submit");
    assert_eq!(
        e.call(Method::POST, &submit, Some(&bob), None).await.status,
        StatusCode::OK
    );
    let warned = seen(first).await;
    assert_eq!(warned[0]["id"], second);
    assert_eq!(warned[0]["applicant_email"], "bob@example.org");
    assert_eq!(seen(second).await[0]["id"], first);
    let own = e
        .call(
            Method::GET,
            &format!("/api/v1/applications/{second}"),
            Some(&bob),
            None,
        )
        .await
        .json();
    assert_eq!(
        own["same_certificate"],
        json!([]),
        "never shown to an applicant"
    );
    let mut browser = e.staff_browser("rev@example.org").await;
    let page = browser.get(&format!("/review/{first}?lang=en")).await;
    assert!(page.has("The same certificate is in another application"));
    assert!(page.has(&format!("href=\"/review/{second}\"")));
    assert!(
        page.has("How to check this certificate is genuine"),
        "the overlay's guidance for the entry claimed"
    );
}

/// `PUT /api/v1/applications/{id}/assignee` with `reviewer_id`.
async fn assign(e: &TestApp, id: i64, token: &str, reviewer: Value) -> StatusCode {
    let url = format!("/api/v1/applications/{id}/assignee");
    let body = Some(json!({ "reviewer_id": reviewer }));
    e.call(Method::PUT, &url, Some(token), body).await.status
}

async fn my_id(e: &TestApp, token: &str) -> Value {
    e.call(Method::GET, "/api/v1/me", Some(token), None)
        .await
        .json()["id"]
        .clone()
}

async fn queue_ids(e: &TestApp, token: &str, assigned: &str) -> Vec<i64> {
    let url = format!("/api/v1/review/queue?assigned={assigned}");
    let r = e.call(Method::GET, &url, Some(token), None).await.json();
    r["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_i64().unwrap())
        .collect()
}

#[tokio::test]
async fn a_reviewer_takes_a_free_case_and_an_admin_reassigns_it() {
    let e = api_app("assign").await;
    let ada = e.applicant("ada@example.org").await;
    let id = e.submitted(&ada).await;
    let rev = e.login("rev@example.org", "staff password 1").await;
    let rev2 = e.login("rev2@example.org", "staff password 1").await;
    let admin = e.login("admin@example.org", "staff password 1").await;
    let (me, other) = (my_id(&e, &rev).await, my_id(&e, &rev2).await);
    assert_eq!(assign(&e, id, &rev, me.clone()).await, StatusCode::OK);
    assert_eq!(queue_ids(&e, &rev, "mine").await, [id]);
    assert_eq!(queue_ids(&e, &rev2, "mine").await, Vec::<i64>::new());
    assert_eq!(queue_ids(&e, &rev2, "nobody").await, Vec::<i64>::new());
    assert_eq!(
        assign(&e, id, &rev2, other.clone()).await,
        StatusCode::CONFLICT,
        "taken"
    );
    assert_eq!(
        assign(&e, id, &rev2, json!(null)).await,
        StatusCode::CONFLICT,
        "not theirs"
    );
    assert_eq!(
        assign(&e, id, &rev2, me.clone()).await,
        StatusCode::FORBIDDEN,
        "only admins give cases away"
    );
    let view = e
        .call(
            Method::GET,
            &format!("/api/v1/applications/{id}"),
            Some(&rev2),
            None,
        )
        .await
        .json();
    assert_eq!(view["assignee"]["email"], "rev@example.org");
    assert_eq!(assign(&e, id, &admin, other.clone()).await, StatusCode::OK);
    assert_eq!(queue_ids(&e, &rev2, "mine").await, [id]);
    let applicant = my_id(&e, &ada).await;
    assert_eq!(
        assign(&e, id, &admin, applicant).await,
        StatusCode::BAD_REQUEST,
        "never to its applicant"
    );
    assert_eq!(
        assign(&e, id, &admin, json!(999_999)).await,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        assign(&e, id, &rev2, json!(null)).await,
        StatusCode::OK,
        "given back"
    );
    assert_eq!(queue_ids(&e, &rev, "nobody").await, [id]);
    let bad = e
        .call(
            Method::GET,
            "/api/v1/review/queue?assigned=them",
            Some(&rev),
            None,
        )
        .await;
    assert_eq!(
        (bad.status, bad.error()["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("assigned"))
    );
    let own = e
        .call(
            Method::GET,
            &format!("/api/v1/applications/{id}"),
            Some(&ada),
            None,
        )
        .await
        .json();
    assert_eq!(
        own["assignee"],
        Value::Null,
        "the applicant never sees who reviews"
    );
}

#[tokio::test]
async fn two_reviewers_taking_one_case_at_once_cannot_both_have_it() {
    let e = api_app("assign-race").await;
    let ada = e.applicant("ada@example.org").await;
    let id = e.submitted(&ada).await;
    let rev = e.login("rev@example.org", "staff password 1").await;
    let rev2 = e.login("rev2@example.org", "staff password 1").await;
    let (me, other) = (my_id(&e, &rev).await, my_id(&e, &rev2).await);
    for _ in 0..5 {
        let (a, b) = tokio::join!(
            assign(&e, id, &rev, me.clone()),
            assign(&e, id, &rev2, other.clone())
        );
        let mut got = [a, b];
        got.sort();
        assert_eq!(got, [StatusCode::OK, StatusCode::CONFLICT]);
        let holder = if a == StatusCode::OK { &rev } else { &rev2 };
        assert_eq!(assign(&e, id, holder, json!(null)).await, StatusCode::OK);
    }
}

#[tokio::test]
async fn a_reviewer_takes_a_case_from_its_page() {
    let e = pages_app("assign-page").await;
    let ada = e.applicant("ada@example.org").await;
    let id = e.submitted(&ada).await;
    let mut browser = e.staff_browser("rev@example.org").await;
    let page = browser.get(&format!("/review/{id}?lang=en")).await;
    assert!(page.has("Nobody yet") && page.has("Assign to me"));
    let csrf = page.hidden("csrf");
    let done = browser
        .post(
            &format!("/review/{id}/assign"),
            &[("csrf", &csrf), ("reviewer", "me")],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    let page = browser.get(&format!("/review/{id}?lang=en")).await;
    assert!(page.has("rev@example.org") && page.has("Give back to the queue"));
    let queue = browser.get("/review?assigned=mine&lang=en").await;
    assert!(queue.has(&format!("href=\"/review/{id}\"")));
}

#[tokio::test]
async fn internal_notes_are_for_reviewers_only_and_audited() {
    let e = api_app("notes").await;
    let ada = e.applicant("ada@example.org").await;
    let id = e.submitted(&ada).await;
    let rev = e.login("rev@example.org", "staff password 1").await;
    let url = format!("/api/v1/applications/{id}/notes");
    let note = |text: &str| Some(json!({ "note": text }));
    let r = e
        .call(
            Method::POST,
            &url,
            Some(&rev),
            note("Issuer asked to confirm by e-mail."),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    assert_eq!(r.json()[0]["author_email"], "rev@example.org");
    let r = e.call(Method::POST, &url, Some(&rev), note("   ")).await;
    assert_eq!(
        (r.status, r.error()["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("note"))
    );
    let r = e
        .call(Method::POST, &url, Some(&ada), note("let me in"))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let case = format!("/api/v1/applications/{id}");
    let seen = e.call(Method::GET, &case, Some(&rev), None).await.json();
    assert_eq!(
        seen["notes"][0]["note"],
        "Issuer asked to confirm by e-mail."
    );
    let own = e.call(Method::GET, &case, Some(&ada), None).await;
    assert_eq!(own.json()["notes"], json!([]));
    assert!(
        !own.text().contains("Issuer asked"),
        "never shown to the applicant"
    );
    let admin = e.admin().await;
    let log = e
        .call(
            Method::GET,
            "/api/v1/admin/audit?action=case.note",
            Some(&admin),
            None,
        )
        .await;
    assert!(log.text().contains("case.note"), "{}", log.text());
}

#[tokio::test]
async fn a_note_refused_on_the_case_page_keeps_what_was_typed() {
    let e = pages_app("notes-page").await;
    let ada = e.applicant("ada@example.org").await;
    let id = e.submitted(&ada).await;
    let mut browser = e.staff_browser("rev@example.org").await;
    let page = browser.get(&format!("/review/{id}?lang=en")).await;
    let csrf = page.hidden("csrf");
    let long = "x".repeat(2001);
    let refused = browser
        .post(
            &format!("/review/{id}/notes?lang=en"),
            &[("csrf", &csrf), ("note", &long)],
        )
        .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert!(refused.has("id=\"note-error\"") && refused.has(&long));
    let added = browser
        .post(
            &format!("/review/{id}/notes"),
            &[("csrf", &csrf), ("note", "Called the issuer.")],
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER);
    let page = browser.get(&format!("/review/{id}?lang=en")).await;
    assert!(page.has("Called the issuer.") && page.has("Internal notes"));
}
