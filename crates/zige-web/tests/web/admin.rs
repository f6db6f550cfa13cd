//! Administration of accounts: roles changed and accounts disabled
//! through the forms.

use axum::http::StatusCode;

use crate::fixtures::*;
use crate::helpers::*;

#[tokio::test]
async fn admins_change_roles_and_disable_accounts_with_forms() {
    let env = pages_app("admin").await;
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

/// 2026-11-27T20:00:00Z: already 28 November in Beijing.
const LATE_EVENING_UTC: i64 = 1_795_809_600_000;

#[tokio::test]
async fn the_audit_log_reads_in_words_and_filters_and_pages() {
    let env = pages_app("audit-log").await;
    let users = env.store.users().await.unwrap();
    let rev = users.iter().find(|u| u.email == REVIEWER).unwrap().id;
    for case in 0..60 {
        env.store
            .record_view(100 + case, rev, LATE_EVENING_UTC)
            .await
            .unwrap();
    }
    let mut admin = Browser::new(&env);
    admin.sign_in(ADMIN, STAFF_PASSWORD).await;

    let all = admin.get("/admin/audit?lang=en").await;
    assert_eq!(all.status, StatusCode::OK);
    let html = all.text();
    assert!(html.contains("Showing 1–50 of "), "{html}");
    assert!(html.contains("Opened a case") && html.contains("Application #159"));
    assert!(!html.contains(">case.view<"), "no raw codes");
    assert!(html.contains(">2026-11-28 04:00<") && html.contains("(Asia/Shanghai, UTC+8)"));

    let filtered = "/admin/audit?lang=en&actor=REV%40example.org&action=case.view";
    let html = admin.get(filtered).await.text();
    assert!(html.contains("Showing 1–50 of 60"), "{html}");
    assert!(
        html.contains("value=\"REV@example.org\""),
        "the form keeps its values"
    );
    assert!(html.contains("<option value=\"case.view\" selected>"));
    assert!(html.contains("href=\"/admin/audit?action=case.view&#38;actor=REV%40example.org&#38;page=2\" rel=\"next\""), "{html}");
    let html = admin.get(&format!("{filtered}&page=2")).await.text();
    assert!(html.contains("Showing 51–60 of 60"));
    assert!(html.contains("rel=\"prev\"") && !html.contains("rel=\"next\""));

    // Days are Beijing's: the records fall on the 28th, not the 27th.
    let day = |d: &str| format!("/admin/audit?lang=zh&action=case.view&from={d}&to={d}");
    let html = admin.get(&day("2026-11-28")).await.text();
    assert!(html.contains("共 60 条"), "{html}");
    assert!(html.contains("打开案件"));
    let html = admin.get(&day("2026-11-27")).await.text();
    assert!(html.contains("没有符合筛选条件的记录"));

    let bad = admin
        .get("/admin/audit?lang=en&actor=nobody%40example.org&from=27%2F11%2F2026")
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    let html = bad.text();
    assert!(html.contains("href=\"#actor\"") && html.contains("href=\"#from\""));
    assert!(html.contains("No account has the e-mail “nobody@example.org”"));
    assert!(
        html.contains("value=\"27/11/2026\""),
        "what was typed is kept"
    );
}
