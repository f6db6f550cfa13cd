//! Recognition cases, one folder per feature: [`accounts`] (registering,
//! signing in, the second factor), [`applications`] (the applicant's
//! dashboard, form and evidence), [`review`] (the queue and the case
//! page), [`decisions`] (deciding, the printable decision, verification)
//! [`reason_templates`] (ready reasons, kept by admins) and [`admin`]
//! (accounts, the audit log, revoking). Each feature's
//! `mod.rs` holds the operations both faces share: every one checks who
//! asks, validates, calls the core and the store, and answers with a view
//! or with errors that name the field; its `api.rs` is the JSON face, its
//! `pages.rs` the HTML face. Their routes are in the one route table,
//! `router.rs`.

pub mod accounts;
pub mod admin;
pub mod applications;
pub mod credentials;
pub mod decisions;
pub mod field_errors;
pub mod qr_code;
pub mod reason_templates;
pub mod review;
pub mod signing;
pub mod transitions;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use axum::Json;
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
pub fn iso(ms: i64) -> String {
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

/// The OpenAPI document of the cases' API.
#[derive(OpenApi)]
#[openapi(
    paths(
        accounts::api::create_account,
        accounts::api::create_session,
        accounts::api::delete_session,
        accounts::api::me,
        accounts::api::export_mine,
        accounts::email::api::change_email,
        accounts::email::api::set_mail_preferences,
        accounts::email::api::verify_email,
        accounts::password_reset::api::request_reset,
        accounts::password_reset::api::reset_password,
        applications::api::my_applications,
        applications::api::create_application,
        applications::api::application,
        applications::api::save_application,
        applications::api::delete_application,
        applications::api::upload_evidence,
        applications::api::evidence_file,
        applications::api::remove_evidence,
        applications::api::submit,
        applications::api::withdraw,
        review::api::start_review,
        review::api::assign,
        review::api::add_note,
        review::api::review_queue,
        decisions::api::decide,
        decisions::api::decision_json,
        decisions::api::verify,
        decisions::api::keys,
        credentials::api::decision_credential,
        credentials::api::status_list,
        decisions::api::revoke,
        admin::api::users,
        admin::api::update_user,
        admin::api::reset_second_factor,
        admin::api::audit,
        admin::mail_log::api_log,
        admin::mail_log::api_retry,
        reason_templates::api::list,
        reason_templates::api::add,
        reason_templates::api::change,
        reason_templates::api::delete
    ),
    components(schemas(
        accounts::NewAccount,
        accounts::Credentials,
        accounts::SessionView,
        accounts::UserView,
        accounts::Registration,
        accounts::email::NewAddress,
        accounts::email::MailLanguage,
        accounts::email::MailPreferences,
        accounts::password_reset::ResetRequest,
        accounts::password_reset::NewPassword,
        admin::mail_log::MailLog,
        admin::mail_log::MailView,
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
        review::api::StartReview,
        review::api::AssignRequest,
        review::api::NoteRequest,
        review::notes::NoteView,
        reason_templates::TemplateView,
        reason_templates::TemplateRequest,
        reason_templates::TitleText,
        reason_templates::ReasonsText
    ))
)]
pub struct CasesDoc;
