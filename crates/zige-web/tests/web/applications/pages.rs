//! Applications through the pages, as a browser without JavaScript sees
//! them: forms posted as `application/x-www-form-urlencoded` (or multipart
//! for uploads), a session cookie, the CSRF token read from the page.

use axum::http::{header, StatusCode};

use crate::fixtures::*;
use crate::helpers::*;

#[tokio::test]
async fn form_errors_name_the_field_in_the_page_language_and_keep_what_was_typed() {
    let env = pages_app("reg-errors").await;
    let mut b = Browser::new(&env);
    let csrf = b.form_csrf("/register").await;
    let r = b
        .post(
            "/register?lang=zh",
            &[
                ("email", "not-an-address"),
                ("password", "short"),
                ("name", "Ada"),
                ("csrf", &csrf),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let html = r.text();
    assert!(html.contains("<html lang=\"zh-Hans\""));
    assert!(
        html.contains("电子邮箱：请输入有效的电子邮箱地址"),
        "{html}"
    );
    assert!(
        html.contains("密码：请设置 10 至 128 个字符的密码"),
        "{html}"
    );
    assert!(
        html.contains("value=\"not-an-address\""),
        "the e-mail is kept"
    );
    assert!(html.contains("value=\"Ada\""), "the name is kept");
    assert!(
        !html.contains("value=\"short\""),
        "a password is never echoed"
    );
    assert!(html.contains("aria-invalid=\"true\" aria-describedby=\"email-error\""));
    assert!(
        r.header(header::SET_COOKIE).is_empty()
            || !r.header(header::SET_COOKIE).contains("zige_session")
    );
    // An address already registered.
    b.register("taken@example.org").await;
    let mut other = Browser::new(&env);
    let csrf = other.form_csrf("/register").await;
    let r = other
        .post(
            "/register?lang=en",
            &[
                ("email", "taken@example.org"),
                ("password", "correct horse"),
                ("csrf", &csrf),
            ],
        )
        .await;
    // The same page as for a new address: nobody learns who has an account.
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.text().contains("Check your e-mail"));
    assert!(r.text().contains("If taken@example.org can receive mail"));
    // A wrong password, in English.
    let r = other
        .post(
            "/login?lang=en",
            &[
                ("email", "taken@example.org"),
                ("password", "wrong horse!"),
                ("csrf", &csrf),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert!(r.text().contains("e-mail address or password is wrong"));
    assert!(r.text().contains("value=\"taken@example.org\""));
}

#[tokio::test]
async fn a_draft_is_saved_checked_uploaded_and_submitted_through_the_form() {
    let env = pages_app("draft").await;
    let mut b = Browser::new(&env);
    b.register("ada@example.org").await;
    let id = b.new_application().await;
    let url = format!("/applications/{id}");
    let page = b.get(&format!("{url}?lang=zh")).await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.text();
    assert!(html.contains("提交前还缺少"), "the missing list is shown");
    assert!(html.contains("href=\"#holder_name\""));
    let csrf = page.hidden("csrf");
    let version = page.hidden("version");

    // A bad age: 400, the field named in Chinese, everything typed kept.
    let r = b
        .post(
            &format!("{url}?lang=zh"),
            &[
                ("csrf", &csrf),
                ("version", &version),
                ("action", "save"),
                ("holder_name", "Ada Lovelace"),
                ("entry", "G7"),
                ("age", "7"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text());
    let html = r.text();
    assert!(html.contains("年龄"), "{html}");
    assert!(html.contains("id=\"age-error\""));
    assert!(html.contains("value=\"Ada Lovelace\""));
    assert!(html.contains("value=\"7\""));

    // A good draft saves.
    let r = b
        .post(
            &url,
            &[
                ("csrf", &csrf),
                ("version", &version),
                ("action", "save"),
                ("holder_name", "Ada Lovelace"),
                ("entry", "G7"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    assert_eq!(r.location(), format!("{url}?done=saved"));

    // The same stale version again: 409, and the page shows what is stored.
    let r = b
        .post(
            &format!("{url}?lang=en"),
            &[
                ("csrf", &csrf),
                ("version", &version),
                ("action", "save"),
                ("holder_name", "Someone Else"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    let html = r.text();
    assert!(html.contains("was changed in the meantime"), "{html}");
    assert!(html.contains("value=\"Ada Lovelace\""));
    assert!(!html.contains("Someone Else"));

    // Submitting without evidence names what is missing.
    let page = b.get(&url).await;
    let version = page.hidden("version");
    let r = b
        .post(
            &format!("{url}?lang=en"),
            &complete_form(&csrf, &version, "submit"),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text());
    assert!(r.text().contains("Upload at least one file"));

    // Uploads: not a PDF (415), too large (413), then a PDF.
    let upload = format!("{url}/evidence");
    let r = b
        .upload(
            &format!("{upload}?lang=en"),
            &csrf,
            "cert.pdf",
            b"MZ not a pdf",
        )
        .await;
    assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert!(r.text().contains("not a PDF, JPEG or PNG"), "{}", r.text());
    let mut big = b"%PDF-1.4\n".to_vec();
    big.resize(zige_cases::MAX_EVIDENCE_BYTES + 512 * 1024, b'x');
    let r = b
        .upload(&format!("{upload}?lang=en"), &csrf, "big.pdf", &big)
        .await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(r.text().contains("larger than 10 MB"), "{}", r.text());
    let r = b.upload(&upload, "forged", "cert.pdf", PDF).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = b.upload(&upload, &csrf, "cert.pdf", PDF).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let page = b.get(&url).await;
    assert!(page.text().contains("cert.pdf"));
    let file = b.get(&format!("{url}/evidence/1")).await;
    assert_eq!(file.status, StatusCode::OK);
    assert_eq!(file.header(header::CONTENT_TYPE), "application/pdf");
    assert_eq!(file.body, PDF);

    // Now it goes on to check the answers, and submits from there; the
    // page turns read-only with its timeline.
    let version = page.hidden("version");
    let r = b
        .post(&url, &complete_form(&csrf, &version, "continue"))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    assert_eq!(r.location(), format!("{url}/check"));
    let r = b
        .post(
            &format!("{url}/submit"),
            &[("csrf", &csrf), ("declaration", "yes")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    assert_eq!(r.location(), format!("{url}?done=submitted"));
    let html = b.get(&format!("{url}?done=submitted&lang=en")).await.text();
    assert!(html.contains("Your application was submitted"));
    assert!(!html.contains("name=\"version\""), "no form once submitted");
    assert!(html.contains("Ada Lovelace") && html.contains("CFA-123"));
    let my = b.get("/my?lang=en").await.text();
    assert!(my.contains("Submitted"), "{my}");
}

#[tokio::test]
async fn a_draft_is_deleted_after_confirmation() {
    let env = pages_app("delete").await;
    let mut b = Browser::new(&env);
    b.register("ada@example.org").await;
    let id = b.new_application().await;
    let confirm = b.get(&format!("/applications/{id}/delete?lang=en")).await;
    assert_eq!(confirm.status, StatusCode::OK);
    assert!(confirm.text().contains("Delete draft"));
    let csrf = confirm.hidden("csrf");
    let r = b
        .post(&format!("/applications/{id}/delete"), &[("csrf", &csrf)])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), "/my?done=deleted");
    assert_eq!(
        b.get(&format!("/applications/{id}")).await.status,
        StatusCode::NOT_FOUND
    );
}
