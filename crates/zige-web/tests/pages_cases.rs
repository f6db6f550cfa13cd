//! The pages of recognition cases as a browser without JavaScript sees
//! them: forms posted as `application/x-www-form-urlencoded` (or multipart
//! for uploads), a session cookie, the CSRF token read from the page.

use axum::http::{header, StatusCode};
use zige_cases::Role;

mod common;
use common::{Browser, Env, STAFF_PASSWORD};

async fn env(tag: &str) -> Env {
    common::env(
        tag,
        &[
            ("rev@example.org", Role::Reviewer),
            ("rev2@example.org", Role::Reviewer),
            ("admin@example.org", Role::Admin),
        ],
    )
    .await
}

/// What only the case pages do.
impl Browser<'_> {
    async fn upload(&mut self, uri: &str, csrf: &str, name: &str, bytes: &[u8]) -> common::Reply {
        self.multipart(uri, &[("csrf", csrf)], name, bytes).await
    }

    /// Registers through the form, which signs in too.
    async fn register(&mut self, email: &str) {
        let csrf = self.form_csrf("/register").await;
        let r = self
            .post(
                "/register",
                &[
                    ("email", email),
                    ("password", "correct horse"),
                    ("name", ""),
                    ("csrf", &csrf),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
        assert_eq!(r.location(), "/my");
    }

    /// The CSRF token of the signed-in session, as every page carries it.
    async fn csrf(&mut self) -> String {
        self.get("/my").await.hidden("csrf")
    }

    /// A new draft; its id.
    async fn new_application(&mut self) -> i64 {
        let csrf = self.csrf().await;
        let r = self.post("/apply", &[("csrf", &csrf)]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
        r.location()
            .strip_prefix("/applications/")
            .unwrap()
            .parse()
            .unwrap()
    }
}

const PDF: &[u8] = b"%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n";

fn complete_form<'a>(csrf: &'a str, version: &'a str, action: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("csrf", csrf),
        ("version", version),
        ("action", action),
        ("holder_name", "Ada Lovelace"),
        ("entry", "G7"),
        ("age", "40"),
        ("beijing_employer", "true"),
        ("nationality", "foreign"),
        ("cert_number", "CFA-123"),
        ("cert_issuer", "CFA Institute"),
        ("cert_issued_on", "2020-05-01"),
        ("cert_expires_on", ""),
    ]
}

#[tokio::test]
async fn registering_sets_an_http_only_cookie_and_signs_in() {
    let env = env("register").await;
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
async fn form_errors_name_the_field_in_the_page_language_and_keep_what_was_typed() {
    let env = env("reg-errors").await;
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
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.text().contains("already has an account"));
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
async fn posts_without_the_csrf_token_are_refused_and_strangers_are_sent_to_sign_in() {
    let env = env("csrf").await;
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
async fn a_draft_is_saved_checked_uploaded_and_submitted_through_the_form() {
    let env = env("draft").await;
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

    // Now it submits, and the page turns read-only with its timeline.
    let version = page.hidden("version");
    let r = b
        .post(&url, &complete_form(&csrf, &version, "submit"))
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
    let env = env("delete").await;
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

/// Applicant submits; a reviewer decides; the decision prints and verifies.
async fn submitted_case(env: &Env) -> (i64, Browser<'_>) {
    let mut b = Browser::new(env);
    b.register("ada@example.org").await;
    let id = b.new_application().await;
    let url = format!("/applications/{id}");
    let csrf = b.csrf().await;
    let r = b
        .upload(&format!("{url}/evidence"), &csrf, "cert.pdf", PDF)
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let version = b.get(&url).await.hidden("version");
    let r = b
        .post(&url, &complete_form(&csrf, &version, "submit"))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    (id, b)
}

#[tokio::test]
async fn a_reviewer_decides_from_the_queue_and_the_decision_verifies() {
    let env = env("review").await;
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
    let r = rev
        .post(
            &format!("/review/{id}/decision"),
            &[
                ("csrf", &csrf),
                ("version", &version),
                ("outcome", "approved"),
                ("reasons", "Certificate checked with the issuer."),
            ],
        )
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
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    let html = r.text();
    assert!(html.contains("Another reviewer decided first"), "{html}");
    assert!(html.contains("Approved"), "the current state is shown");

    // The printable decision: number, code, QR code, download link.
    let page = applicant
        .get(&format!("/applications/{id}/decision?lang=en"))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.text();
    let code_at =
        html.find("id=\"verification-code\">").unwrap() + "id=\"verification-code\">".len();
    let code = html[code_at..].split('<').next().unwrap().to_string();
    assert_eq!(code.len(), 26);
    assert!(html.contains("<svg role=\"img\""));
    assert!(html.contains(&format!("http://localhost:8080/verify/{code}")));
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
    let r = admin
        .post(
            &format!("/admin/decisions/{code}/revoke"),
            &[
                ("csrf", &csrf),
                ("reason", "Certificate withdrawn by the issuer."),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let v = anyone.get(&format!("/verify/{code}?lang=en")).await.text();
    assert!(v.contains("REVOKED") && v.contains("Certificate withdrawn by the issuer."));
    let audit = admin.get("/admin/audit?lang=en").await;
    assert_eq!(audit.status, StatusCode::OK);
    assert!(audit.text().contains("decision.revoke") || audit.text().contains("revoke"));
}

#[tokio::test]
async fn opening_a_case_is_a_read_and_the_review_starts_with_a_button() {
    let env = env("start").await;
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
    let env = env("own").await;
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

#[tokio::test]
async fn admins_change_roles_and_disable_accounts_with_forms() {
    let env = env("admin").await;
    let mut ada = Browser::new(&env);
    ada.register("ada@example.org").await;
    let mut admin = Browser::new(&env);
    admin.sign_in("admin@example.org", STAFF_PASSWORD).await;
    let page = admin.get("/admin/users?lang=en").await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.text();
    assert!(html.contains("ada@example.org"));
    let csrf = page.hidden("csrf");
    // Ada is the fourth account (the three staff come first); the admin is the third.
    let r = admin
        .post("/admin/users/4", &[("csrf", &csrf), ("role", "reviewer")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    assert_eq!(ada.get("/review").await.status, StatusCode::OK);
    let r = admin
        .post("/admin/users/4", &[("csrf", &csrf), ("disabled", "true")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    // An admin cannot demote themselves: the page says why.
    let r = admin
        .post(
            "/admin/users/3?lang=en",
            &[("csrf", &csrf), ("role", "applicant")],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.text().contains("cannot remove your own admin role"));
    let r = admin.post("/admin/users/4", &[("role", "admin")]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "CSRF token required");
}

#[tokio::test]
async fn case_pages_render_in_both_languages_with_the_account_header() {
    let env = env("langs").await;
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
