//! The applicant's journey as a browser without JavaScript walks it: the
//! start page, one form whose every button saves what is typed first,
//! every error at once, removable evidence, check your answers with its
//! declaration, and a reviewer's request shown first.

use axum::http::{Method, StatusCode};
use serde_json::json;

use crate::fixtures::*;
use crate::helpers::*;

/// A signed-in applicant with a new draft: the browser, the draft's
/// address, its CSRF token and version.
async fn draft(app: &TestApp) -> (Browser<'_>, String, String, String) {
    let mut b = Browser::new(app);
    b.register("ada@example.org").await;
    let id = b.new_application().await;
    let url = format!("/applications/{id}");
    let page = b.get(&url).await;
    let (csrf, version) = (page.hidden("csrf"), page.hidden("version"));
    (b, url, csrf, version)
}

/// Where `needle` is in `html` (panics when absent).
fn at(html: &str, needle: &str) -> usize {
    html.find(needle)
        .unwrap_or_else(|| panic!("{needle} not in the page:\n{html}"))
}

#[tokio::test]
async fn an_upload_in_the_middle_of_a_half_filled_form_keeps_every_field() {
    let env = pages_app("mid-upload").await;
    let (mut b, url, csrf, version) = draft(&env).await;
    let typed = [
        ("csrf", csrf.as_str()),
        ("version", version.as_str()),
        ("holder_name", "Ada Lovelace"),
        ("entry", "G7"),
        ("age", "40"),
        ("cert_issued_on-day", "1"),
        ("cert_issued_on-month", "5"),
        ("cert_issued_on-year", "2020"),
        ("action", "upload"),
    ];
    let r = b.multipart(&url, &typed, "cert.pdf", PDF).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    assert_eq!(r.location(), format!("{url}?done=uploaded#evidence"));
    let html = b.get(&format!("{url}?lang=en")).await.text();
    for kept in [
        "value=\"Ada Lovelace\"",
        "value=\"G7\"",
        "value=\"40\"",
        "name=\"cert_issued_on-day\" class=\"w2\" inputmode=\"numeric\" maxlength=\"2\" value=\"01\"",
        "value=\"05\"",
        "value=\"2020\"",
        "cert.pdf",
    ] {
        assert!(html.contains(kept), "{kept} is lost:\n{html}");
    }

    // A refused upload: the summary at the top names it, the error is at
    // the upload field, and what was typed (unsaved) is still there.
    let version = b.get(&url).await.hidden("version");
    let typed = [
        ("csrf", csrf.as_str()),
        ("version", version.as_str()),
        ("holder_name", "Ada King"),
        ("entry", "G7"),
        ("age", "7"),
        ("action", "upload"),
    ];
    let r = b
        .multipart(
            &format!("{url}?lang=en"),
            &typed,
            "letter.pdf",
            b"Dear reviewer",
        )
        .await;
    assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let html = r.text();
    let summary = at(&html, "id=\"problems\"");
    assert!(
        summary < at(&html, "id=\"details\""),
        "the summary is at the top"
    );
    assert!(html.contains("href=\"#file\"") && html.contains("href=\"#age\""));
    assert!(html.contains("id=\"file-error\""));
    assert!(html.contains("value=\"Ada King\"") && html.contains("value=\"7\""));
}

#[tokio::test]
async fn an_empty_first_submit_lists_every_missing_field_at_once_in_form_order() {
    let env = pages_app("all-errors").await;
    let (mut b, url, csrf, version) = draft(&env).await;
    let fields = [
        ("csrf", csrf.as_str()),
        ("version", version.as_str()),
        ("action", "continue"),
        ("cert_issued_on-day", ""),
        ("cert_issued_on-month", ""),
        ("cert_issued_on-year", ""),
    ];
    let r = b.post(&format!("{url}?lang=en"), &fields).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text());
    let html = r.text();
    assert!(html.contains("autofocus"), "the summary takes the focus");
    let summary = &html[at(&html, "id=\"problems\"")..at(&html, "id=\"details\"")];
    let order: Vec<usize> = [
        "#holder_name",
        "#entry",
        "#cert_number",
        "#cert_issuer",
        "#cert_issued_on",
        "#file",
    ]
    .iter()
    .map(|href| at(summary, &format!("href=\"{href}\"")))
    .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{summary}");
    for id in [
        "holder_name",
        "entry",
        "cert_number",
        "cert_issuer",
        "cert_issued_on",
    ] {
        assert!(
            html.contains(&format!("id=\"{id}-error\"")),
            "{id} has its message"
        );
    }

    // A date part that is wrong is named, in both languages.
    let version = b.get(&url).await.hidden("version");
    let mut fields = complete_form(&csrf, &version, "continue");
    fields.retain(|(key, _)| !key.starts_with("cert_issued_on"));
    fields.extend([
        ("cert_issued_on-day", "1"),
        ("cert_issued_on-month", "13"),
        ("cert_issued_on-year", "2020"),
    ]);
    let html = b.post(&format!("{url}?lang=en"), &fields).await.text();
    assert!(
        html.contains("Date of issue: the month must be a number from 1 to 12."),
        "{html}"
    );
    let html = b.post(&format!("{url}?lang=zh"), &fields).await.text();
    assert!(
        html.contains("发证日期：月须为 1 至 12 之间的数字。"),
        "{html}"
    );
    assert!(html.contains("value=\"13\""), "the wrong month is kept");
}

#[tokio::test]
async fn an_unknown_qualification_is_saved_with_a_warning() {
    let env = pages_app("unknown-entry").await;
    let (mut b, url, csrf, version) = draft(&env).await;
    let fields = [
        ("csrf", csrf.as_str()),
        ("version", version.as_str()),
        ("action", "save"),
        ("entry", "ZZ99"),
    ];
    let r = b.post(&url, &fields).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let html = b.get(&format!("{url}?lang=en")).await.text();
    assert!(
        html.contains("“ZZ99” is not a qualification in the catalogue"),
        "{html}"
    );
}

#[tokio::test]
async fn evidence_is_removed_from_the_form_and_through_the_api_freeing_storage() {
    let dir = temp_dir("remove");
    let env = TestApp::open(
        &dir,
        zige_store::Limits {
            storage_bytes_per_account: 2 * PDF.len() as i64 + 4,
            ..zige_store::Limits::default()
        },
    )
    .await;
    let (mut b, url, csrf, version) = draft(&env).await;
    for (name, bytes) in [
        ("a.pdf", [PDF, b"aaa"].concat()),
        ("b.pdf", [PDF, b"b"].concat()),
    ] {
        let r = b
            .upload(&format!("{url}/evidence"), &csrf, name, &bytes)
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    }
    let third = [PDF, b"cc"].concat();
    let r = b
        .upload(&format!("{url}/evidence"), &csrf, "c.pdf", &third)
        .await;
    assert_eq!(
        r.status,
        StatusCode::PAYLOAD_TOO_LARGE,
        "the account is full"
    );

    // Remove: the typed name is saved with it, the file is gone.
    let fields = [
        ("csrf", csrf.as_str()),
        ("version", version.as_str()),
        ("holder_name", "Ada Lovelace"),
        ("action", "remove:1"),
    ];
    let r = b.post(&url, &fields).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    assert_eq!(r.location(), format!("{url}?done=removed#evidence"));
    let html = b.get(&format!("{url}?done=removed&lang=en")).await.text();
    assert!(html.contains("The file was removed."));
    assert!(!html.contains("a.pdf") && html.contains("b.pdf"));
    assert!(html.contains("value=\"Ada Lovelace\""));
    let r = b
        .upload(&format!("{url}/evidence"), &csrf, "c.pdf", &third)
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "the space is free again");

    // Through the API, with the audit trail kept.
    let token = env.login("ada@example.org", APPLICANT_PASSWORD).await;
    let id: i64 = url.rsplit('/').next().unwrap().parse().unwrap();
    let path = format!("/api/v1/applications/{id}/evidence/2");
    let r = env.call(Method::DELETE, &path, Some(&token), None).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text());
    let r = env.call(Method::DELETE, &path, Some(&token), None).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let view = env
        .call(
            Method::GET,
            &format!("/api/v1/applications/{id}"),
            Some(&token),
            None,
        )
        .await
        .json();
    assert_eq!(view["evidence"].as_array().unwrap().len(), 1);
    let audit = env.store.audit(0, 1000).await.unwrap();
    let removals = audit
        .iter()
        .filter(|r| r.action == "evidence.remove")
        .count();
    assert_eq!(removals, 2, "each removal is in the audit log");
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn check_your_answers_lists_every_answer_and_requires_the_declaration() {
    let env = pages_app("answers").await;
    let (mut b, url, csrf, _) = draft(&env).await;
    let r = b
        .upload(&format!("{url}/evidence"), &csrf, "cert.pdf", PDF)
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let version = b.get(&url).await.hidden("version");
    let r = b
        .post(&url, &complete_form(&csrf, &version, "continue"))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    assert_eq!(r.location(), format!("{url}/check"));
    let html = b.get(&format!("{url}/check?lang=en")).await.text();
    assert!(html.contains("Check your answers before submitting"));
    for shown in ["Ada Lovelace", "CFA-123", "2020-05-01", "cert.pdf"] {
        assert!(html.contains(shown), "{shown} is not shown");
    }
    assert!(html.contains(&format!("href=\"{url}#holder_name\"")));
    assert!(html.contains(&format!("href=\"{url}#evidence\"")));
    assert!(html.contains("I declare that the information"));

    let submit = format!("{url}/submit?lang=zh");
    let r = b.post(&submit, &[("csrf", &csrf)]).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let html = r.text();
    assert!(html.contains("id=\"problems\"") && html.contains("href=\"#declaration\""));
    assert!(html.contains("提交前请勾选声明"), "{html}");
    let still = b.get(&format!("{url}?lang=en")).await.text();
    assert!(still.contains("name=\"version\""), "nothing was submitted");

    let r = b
        .post(&submit, &[("csrf", &csrf), ("declaration", "yes")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    assert_eq!(r.location(), format!("{url}?done=submitted"));
}

#[tokio::test]
async fn a_reviewers_request_is_the_first_thing_on_the_application() {
    let env = pages_app("request").await;
    let (id, mut b) = submitted_case(&env).await;
    let rev = env.reviewer().await;
    let start = format!("/api/v1/applications/{id}/review");
    let r = env.call(Method::POST, &start, Some(&rev), None).await;
    assert!(r.status.is_success(), "{}", r.text());
    let reasons = "Please upload the back of the certificate.";
    let body = json!({"outcome": "more_information", "reasons": reasons});
    let decide = format!("/api/v1/applications/{id}/decision");
    let r = env
        .call(Method::POST, &decide, Some(&rev), Some(body))
        .await;
    assert!(r.status.is_success(), "{}", r.text());
    let html = b.get(&format!("/applications/{id}?lang=en")).await.text();
    let request = at(&html, "id=\"request\"");
    assert!(
        request < at(&html, "id=\"details\""),
        "the request comes first"
    );
    assert!(html[request..].contains(reasons));
    assert!(html.contains("The reviewer needs more information"));
    assert!(!html.contains("Nothing is missing"), "{html}");
}

#[tokio::test]
async fn the_start_page_says_what_is_needed_and_carries_the_qualification() {
    let env = pages_app("start").await;
    let mut anyone = Browser::new(&env);
    let g7 = zige_catalog::default_catalog()
        .find("G7")
        .unwrap()
        .id
        .clone();
    let r = anyone.get(&format!("/apply?entry={g7}&lang=en")).await;
    assert_eq!(r.status, StatusCode::OK);
    let html = r.text();
    assert!(
        html.contains("at most 10 MB a file, up to 20 files"),
        "{html}"
    );
    assert!(html.contains("href=\"/privacy\""));
    assert!(html.contains("You are applying with: G7"));
    let back = format!("%2Fapply%3Fentry%3D{g7}");
    assert!(html.contains(&format!("/login?next={back}")), "{html}");
    assert!(html.contains(&format!("/register?next={back}")));

    let (mut b, _, csrf, _) = draft(&env).await;
    let html = b.get(&format!("/apply?entry={g7}&lang=zh")).await.text();
    assert!(html.contains("开始申请") && html.contains("name=\"entry\" value=\"G7\""));
    let r = b.post("/apply", &[("csrf", &csrf), ("entry", &g7)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let html = b.get(&format!("{}?lang=en", r.location())).await.text();
    assert!(html.contains("value=\"G7\""), "the qualification is chosen");
    assert!(html.contains("<p class=\"subtitle\">G7 · "));
}
