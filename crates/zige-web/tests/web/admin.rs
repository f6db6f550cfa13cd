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
