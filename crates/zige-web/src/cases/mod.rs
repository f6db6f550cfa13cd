//! Recognition cases, one folder per feature: [`accounts`] (registering,
//! signing in, the second factor), [`applications`] (the applicant's
//! dashboard, form and evidence), [`review`] (the queue and the case
//! page), [`decisions`] (deciding, the printable decision, verification)
//! and [`admin`] (accounts, the audit log, revoking). Each feature's
//! `mod.rs` holds the operations both faces share: every one checks who
//! asks, validates, calls the core and the store, and answers with a view
//! or with errors that name the field; its `api.rs` is the JSON face, its
//! `pages.rs` the HTML face.
//!
//! Every route of cases is listed here, in [`api_routes`] and
//! [`page_routes`].

// `ApiError` is the API's error envelope entry, on the error path only;
// boxing it would burden every handler for no gain.
#![allow(clippy::result_large_err)]

pub mod accounts;
pub mod admin;
pub mod applications;
pub mod decisions;
pub mod field_errors;
pub mod qr_code;
pub mod review;
pub mod transitions;

use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, patch, post};
use axum::{Json, Router};
use rand::RngCore;
use utoipa::OpenApi;
use zige_catalog::Catalog;

use crate::error::ApiErrors;
use crate::state::Shared;

// Old paths other modules still use; the lead replaces them at merge.
pub use accounts::UserView;
pub use admin::users;
pub use applications::ApplicationView;

/// What every operation of cases answers: a value, or every error found.
pub type Res<T> = Result<T, ApiErrors>;

/// Milliseconds since 1970, from the system clock: the time the pure core
/// is handed.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|since| since.as_millis() as i64)
        .unwrap_or(0)
}

/// `N` bytes from the operating system's CSPRNG.
pub fn random<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    bytes
}

/// An instant in milliseconds as RFC 3339.
pub(crate) fn iso(ms: i64) -> String {
    zige_cases::Timestamp(ms).rfc3339()
}

/// The edition an application is made under (the current one if it is
/// no longer held).
pub(crate) fn catalog_of<'a>(state: &'a Shared, id: &str) -> &'a Catalog {
    state
        .edition(Some(id))
        .unwrap_or_else(|_| state.current())
        .catalog
}

/// 201 with a JSON body.
pub(crate) fn created<T: serde::Serialize>(body: T) -> Response {
    (StatusCode::CREATED, Json(body)).into_response()
}

/// Every API route of cases, relative to `/api/v1`.
pub(crate) fn api_routes() -> Router<Shared> {
    use self::accounts::api as accounts_api;
    use self::admin::api as admin_api;
    use self::applications::api as applications_api;
    use self::decisions::api as decisions_api;
    use self::review::api as review_api;
    Router::new()
        .route("/accounts", post(accounts_api::create_account))
        .route(
            "/session",
            post(accounts_api::create_session).delete(accounts_api::delete_session),
        )
        .route("/me", get(accounts_api::me))
        .route("/me/export", get(accounts_api::export_mine))
        .route(
            "/applications",
            get(applications_api::my_applications).post(applications_api::create_application),
        )
        .route(
            "/applications/{id}",
            get(applications_api::application)
                .put(applications_api::save_application)
                .delete(applications_api::delete_application),
        )
        .route(
            "/applications/{id}/evidence",
            post(applications_api::upload_evidence).layer(DefaultBodyLimit::max(
                zige_cases::MAX_EVIDENCE_BYTES + 64 * 1024,
            )),
        )
        .route(
            "/applications/{id}/evidence/{evidence}",
            get(applications_api::evidence_file),
        )
        .route("/applications/{id}/submit", post(applications_api::submit))
        .route(
            "/applications/{id}/withdraw",
            post(applications_api::withdraw),
        )
        .route("/applications/{id}/review", post(review_api::start_review))
        .route("/applications/{id}/decision", post(decisions_api::decide))
        .route(
            "/applications/{id}/decision.json",
            get(decisions_api::decision_json),
        )
        .route("/review/queue", get(review_api::review_queue))
        .route("/verify/{code}", get(decisions_api::verify))
        .route("/keys", get(decisions_api::keys))
        .route("/decisions/{code}/revoke", post(decisions_api::revoke))
        .route("/admin/users", get(admin_api::users))
        .route("/admin/users/{id}", patch(admin_api::update_user))
        .route(
            "/admin/users/{id}/second-factor/reset",
            post(admin_api::reset_second_factor),
        )
        .route("/admin/audit", get(admin_api::audit))
}

/// Every page route of cases.
pub(crate) fn page_routes() -> Router<Shared> {
    use self::accounts::pages as accounts_pages;
    use self::accounts::second_factor::pages as second_factor_pages;
    use self::admin::pages as admin_pages;
    use self::applications::pages as applications_pages;
    use self::decisions::pages as decisions_pages;
    use self::review::pages as review_pages;
    Router::new()
        .route(
            "/register",
            get(accounts_pages::register_form).post(accounts_pages::register),
        )
        .route(
            "/login",
            get(accounts_pages::login_form).post(accounts_pages::login),
        )
        .route(
            "/logout",
            get(applications_pages::to_dashboard).post(accounts_pages::logout),
        )
        .route(
            "/login/second-factor",
            get(second_factor_pages::step_form).post(second_factor_pages::step),
        )
        .route(
            "/account/second-factor",
            get(second_factor_pages::account).post(second_factor_pages::account_confirm),
        )
        .route(
            "/account/second-factor/remove",
            get(second_factor_pages::to_account).post(second_factor_pages::account_remove),
        )
        .route("/my", get(applications_pages::dashboard))
        .route(
            "/apply",
            get(applications_pages::to_dashboard).post(applications_pages::apply),
        )
        .route(
            "/applications/{id}",
            get(applications_pages::application).post(applications_pages::save),
        )
        .route(
            "/applications/{id}/evidence",
            get(applications_pages::back_to_application)
                .post(applications_pages::upload)
                .layer(DefaultBodyLimit::max(
                    zige_cases::MAX_EVIDENCE_BYTES + 256 * 1024,
                )),
        )
        .route(
            "/applications/{id}/evidence/{evidence}",
            get(applications_pages::evidence_file),
        )
        .route(
            "/applications/{id}/withdraw",
            get(applications_pages::withdraw_form).post(applications_pages::withdraw),
        )
        .route(
            "/applications/{id}/delete",
            get(applications_pages::delete_form).post(applications_pages::delete),
        )
        .route(
            "/applications/{id}/decision",
            get(decisions_pages::decision_page),
        )
        .route("/review", get(review_pages::queue))
        .route("/review/{id}", get(review_pages::case))
        .route(
            "/review/{id}/start",
            get(review_pages::back_to_case).post(review_pages::start_review),
        )
        .route(
            "/review/{id}/decision",
            get(review_pages::back_to_case).post(decisions_pages::decide),
        )
        .route("/verify", get(decisions_pages::verify_form))
        .route("/verify/{code}", get(decisions_pages::verify))
        .route("/admin", get(admin_pages::to_users))
        .route("/admin/users", get(admin_pages::users))
        .route(
            "/admin/users/{id}",
            get(admin_pages::to_users).post(admin_pages::update_user),
        )
        .route(
            "/admin/users/{id}/second-factor/reset",
            get(admin_pages::reset_form).post(admin_pages::reset),
        )
        .route("/admin/decisions", get(admin_pages::decisions))
        .route(
            "/admin/decisions/{code}/revoke",
            get(admin_pages::to_decisions).post(admin_pages::revoke),
        )
        .route("/admin/audit", get(admin_pages::audit))
}

/// The OpenAPI document of the cases' API.
#[derive(OpenApi)]
#[openapi(
    paths(
        accounts::api::create_account,
        accounts::api::create_session,
        accounts::api::delete_session,
        accounts::api::me,
        accounts::api::export_mine,
        applications::api::my_applications,
        applications::api::create_application,
        applications::api::application,
        applications::api::save_application,
        applications::api::delete_application,
        applications::api::upload_evidence,
        applications::api::evidence_file,
        applications::api::submit,
        applications::api::withdraw,
        review::api::start_review,
        review::api::review_queue,
        decisions::api::decide,
        decisions::api::decision_json,
        decisions::api::verify,
        decisions::api::keys,
        decisions::api::revoke,
        admin::api::users,
        admin::api::update_user,
        admin::api::reset_second_factor,
        admin::api::audit
    ),
    components(schemas(
        accounts::NewAccount,
        accounts::Credentials,
        accounts::SessionView,
        accounts::UserView,
        applications::ApplicationView,
        applications::EvidenceView,
        applications::EventView,
        decisions::DecisionSummary,
        applications::api::SaveRequest,
        decisions::DecisionRequest,
        decisions::DecisionOutcome,
        decisions::Verification,
        review::QueueView,
        review::QueueRow,
        admin::UserUpdate,
        applications::api::ReasonBody,
        review::api::StartReview
    ))
)]
pub struct CasesDoc;
