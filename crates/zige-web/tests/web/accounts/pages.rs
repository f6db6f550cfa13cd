//! The account pages as a browser without JavaScript sees them:
//! registering signs in with an HTTP-only cookie, strangers are sent to
//! sign in, posts need the CSRF token, every page carries the account
//! header in both languages.

use axum::http::{header, StatusCode};

use crate::fixtures::*;
use crate::helpers::*;

#[tokio::test]
async fn registering_says_check_your_email_and_signing_in_sets_an_http_only_cookie() {
    let env = pages_app("register").await;
    let mut b = Browser::new(&env);
    let r = b.get("/register?lang=en").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r
        .text()
        .contains("<label for=\"email\">E-mail address</label>"));
    let csrf = r.hidden("csrf");
    let r = b
        .post(
            "/register",
            &[
                ("email", "ada@example.org"),
                ("password", "correct horse"),
                ("name", "Ada"),
                ("next", "/my"),
                ("csrf", &csrf),
            ],
        )
        .await;
    // The same answer whether or not the address had an account: a
    // message is on its way; sign in to go on.
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert!(r.text().contains("请查收电子邮件"), "{}", r.text());
    assert!(
        r.text().contains("href=\"/login?next=%2Fmy\""),
        "{}",
        r.text()
    );
    let csrf = b.form_csrf("/login").await;
    let r = b
        .post(
            "/login",
            &[
                ("email", "ada@example.org"),
                ("password", "correct horse"),
                ("next", "/my"),
                ("csrf", &csrf),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    assert_eq!(r.location(), "/my");
    let cookie = r.header(header::SET_COOKIE);
    assert!(
        cookie.starts_with("zige_session=")
            && cookie.contains("HttpOnly")
            && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    let my = b.get("/my?lang=en").await;
    assert_eq!(my.status, StatusCode::OK);
    let html = my.text();
    assert!(
        html.contains("ada@example.org"),
        "the header names the account"
    );
    assert!(html.contains("action=\"/logout\""));
    assert!(html.contains("href=\"/api/v1/me/export\""));
    assert_eq!(my.header(header::CACHE_CONTROL), "private, no-store");
    // The export link works with the cookie session.
    let export = b.get("/api/v1/me/export").await;
    assert_eq!(export.status, StatusCode::OK);
    // The catalogue's pages know the session too, and are then not stored.
    for path in [
        "/",
        "/search?q=CFA",
        "/browse",
        "/entries/G7",
        "/check",
        "/changes",
        "/data",
    ] {
        let page = b.get(path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        assert!(
            page.text().contains("ada@example.org"),
            "{path} names the account"
        );
        assert!(page.text().contains("action=\"/logout\""), "{path}");
        assert_eq!(
            page.header(header::CACHE_CONTROL),
            "private, no-store",
            "{path}"
        );
    }
    // Signing out ends the session and clears the cookie.
    let csrf = my.hidden("csrf");
    let out = b.post("/logout", &[("csrf", &csrf)]).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    assert!(out.header(header::SET_COOKIE).contains("Max-Age=0"));
    assert_eq!(b.get("/my").await.status, StatusCode::SEE_OTHER);
    let home = b.get("/").await;
    assert!(home.text().contains("href=\"/login\"") && !home.text().contains("ada@example.org"));
    assert_eq!(home.header(header::CACHE_CONTROL), "no-cache");
}

#[tokio::test]
async fn posts_without_the_csrf_token_are_refused_and_strangers_are_sent_to_sign_in() {
    let env = pages_app("csrf").await;
    let mut anon = Browser::new(&env);
    for path in ["/my", "/review", "/admin/users", "/applications/1"] {
        let r = anon.get(path).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{path}");
        assert_eq!(
            r.location(),
            format!("/login?next={}", urlencoding::encode(path)),
            "{path}"
        );
    }
    let r = anon.get("/login?next=%2Freview").await;
    assert!(r.text().contains("name=\"next\" value=\"/review\""));
    let mut b = Browser::new(&env);
    b.register("eve@example.org").await;
    let r = b.post("/apply", &[]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.header(header::CONTENT_TYPE).starts_with("text/html"));
    assert!(r.text().contains("<main"));
    let r = b.post("/apply", &[("csrf", "forged")]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = b.post("/logout", &[]).await;
    assert_eq!(
        r.status,
        StatusCode::FORBIDDEN,
        "no sign-out by another site"
    );
    // With the token it works.
    let id = b.new_application().await;
    assert!(id > 0);
    // Someone else's application does not exist for them; roles are pages too.
    let mut mallory = Browser::new(&env);
    mallory.register("mallory@example.org").await;
    let r = mallory.get(&format!("/applications/{id}")).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.header(header::CONTENT_TYPE).starts_with("text/html"));
    for path in [
        "/review",
        "/admin/users",
        "/admin/decisions",
        "/admin/audit",
    ] {
        let r = mallory.get(path).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{path}");
        assert!(r.text().contains("<main"), "{path}");
    }
    assert_eq!(
        mallory.get("/applications/abc").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn case_pages_render_in_both_languages_with_the_account_header() {
    let env = pages_app("langs").await;
    let (id, mut applicant) = submitted_case(&env).await;
    let mut rev = Browser::new(&env);
    rev.sign_in("rev@example.org", STAFF_PASSWORD).await;
    let mut anon = Browser::new(&env);
    for lang in ["zh", "en"] {
        let code = if lang == "zh" { "zh-Hans" } else { "en" };
        for path in ["/login", "/register", "/verify"] {
            let r = anon.get(&format!("{path}?lang={lang}")).await;
            assert_eq!(r.status, StatusCode::OK, "{path}");
            assert!(r.text().contains(&format!("<html lang=\"{code}\"")));
            assert!(
                r.text().contains("href=\"/register\""),
                "{path}: sign-in links"
            );
        }
        for path in ["/my".to_string(), format!("/applications/{id}")] {
            let r = applicant.get(&format!("{path}?lang={lang}")).await;
            assert_eq!(r.status, StatusCode::OK, "{path}");
            assert!(r.text().contains("ada@example.org"), "{path}");
            assert!(
                !r.text().contains("href=\"/review\""),
                "{path}: no review link for applicants"
            );
        }
        for path in ["/review".to_string(), format!("/review/{id}")] {
            let r = rev.get(&format!("{path}?lang={lang}")).await;
            assert_eq!(r.status, StatusCode::OK, "{path}");
            assert!(r.text().contains("href=\"/review\""));
        }
    }
    // The catalogue's own pages keep working, with a way into the account.
    let home = anon.get("/browse?lang=en").await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(home.text().contains("href=\"/login\""));
    assert!(home.text().contains("href=\"/register\""));
}

/// Entry pages rendered once for anyone not signed in are never what a
/// signed-in person gets (their account in the header), nor does a
/// signed-in person's page reach anyone else; each language has its own.
#[tokio::test]
async fn a_shared_entry_page_never_carries_or_hides_an_account() {
    let env = pages_app("shared-entry").await;
    let mut anon = Browser::new(&env);
    let first = anon.get("/entries/G39").await;
    let mut b = Browser::new(&env);
    b.register("uma@example.org").await;
    let signed_in = b.get("/entries/G39").await;
    assert!(signed_in.text().contains("uma@example.org"));
    assert_eq!(signed_in.header(header::CACHE_CONTROL), "private, no-store");
    let again = anon.get("/entries/G39").await;
    assert_eq!(again.text(), first.text(), "the same page each time");
    assert!(!again.text().contains("uma@example.org"));
    assert_eq!(again.header(header::CACHE_CONTROL), "no-cache");
    assert!(again.header(header::CONTENT_TYPE).starts_with("text/html"));
    let english = anon.get("/entries/G39?lang=en").await;
    assert!(english.text().contains("lang=\"en"), "its own language");
    assert_ne!(english.text(), first.text());
    assert_eq!(b.get("/entries/G39").await.text(), signed_in.text());
}
