//! The one route table: the JSON API under `/api/v1`, the operations
//! endpoints, the pages, their fallbacks, and the layers around them all.

use axum::extract::{DefaultBodyLimit, OriginalUri, Request};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, patch, post, put};
use axum::Router;
use tower_http::compression::CompressionLayer;
use tower_http::cors::{Any, CorsLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use zige_export::Format;

use crate::cases::accounts::api as accounts_api;
use crate::cases::accounts::email::{api as email_api, pages as email_pages};
use crate::cases::accounts::pages as accounts_pages;
use crate::cases::accounts::password_reset::{
    api as password_reset_api, pages as password_reset_pages,
};
use crate::cases::accounts::second_factor::pages as second_factor_pages;
use crate::cases::admin::api as admin_api;
use crate::cases::admin::mail_log;
use crate::cases::admin::pages as admin_pages;
use crate::cases::applications::answers as applications_answers;
use crate::cases::applications::api as applications_api;
use crate::cases::applications::editing as applications_editing;
use crate::cases::applications::pages as applications_pages;
use crate::cases::applications::start as applications_start;
use crate::cases::credentials::api as credentials_api;
use crate::cases::decisions::api as decisions_api;
use crate::cases::decisions::pages as decisions_pages;
use crate::cases::decisions::verification;
use crate::cases::reason_templates::api as reasons_api;
use crate::cases::reason_templates::pages as reasons_pages;
use crate::cases::review::api as review_api;
use crate::cases::review::pages as review_pages;
use crate::catalogue::text_search::{self, api as text_search_api, pages as text_search_pages};
use crate::catalogue::{api as catalogue_api, pages as catalogue_pages};
use crate::editions::{api as editions_api, changes, feed, pages as editions_pages};
use crate::error::ApiError;
use crate::ops::{health, metrics, openapi};
use crate::render::{not_found, Public};
use crate::state::Shared;
use crate::{assets, batch, privacy, protect, statistics};

/// The largest body of an API request, unless its route allows more.
const MAX_API_BODY: usize = 64 * 1024;

/// The largest official text the editions API takes.
const MAX_EDITION_BODY: usize = 4 * 1024 * 1024;

/// The whole application: pages, API, operations endpoints and middleware.
pub fn app(state: Shared) -> Router {
    Router::new()
        .merge(pages())
        .merge(cases_pages())
        .nest("/api/v1", api())
        .merge(operations())
        .fallback(unknown_page)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(middleware::from_fn_with_state(
            state.clone(),
            crate::middleware::record_metrics,
        ))
        .layer(middleware::from_fn(protect::no_store))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            protect::security_headers,
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
        .layer(CompressionLayer::new().gzip(true).br(true))
        .layer(crate::middleware::propagate_request_ids())
        .layer(crate::middleware::trace_requests())
        .layer(crate::middleware::set_request_ids())
        .with_state(state)
}

/// The JSON API, mounted at `/api/v1`: every answer, errors included, is
/// JSON; anyone may read the catalogue from another origin.
fn api() -> Router<Shared> {
    Router::new()
        .merge(catalogue_api_routes())
        .merge(cases_api_routes())
        .merge(editions_api_routes())
        .fallback(api_not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(
            CorsLayer::new()
                .allow_origin(Any)
                .allow_methods([Method::GET, Method::HEAD, Method::OPTIONS])
                .allow_headers(Any),
        )
        .layer(DefaultBodyLimit::max(MAX_API_BODY))
        .layer(middleware::from_fn(protect::api_errors))
}

/// Entries, search, the eligibility check, editions and open data.
fn catalogue_api_routes() -> Router<Shared> {
    Router::new()
        .route("/entries", get(catalogue_api::entries))
        .route("/entries/{id}", get(catalogue_api::entry))
        .route("/search", get(catalogue_api::search))
        .route(
            "/search/text",
            post(text_search_api::search_text)
                .layer(DefaultBodyLimit::max(text_search::MAX_TEXT_BODY)),
        )
        .route("/check", post(catalogue_api::check))
        .route(
            "/check/batch",
            post(batch::api::check_batch).layer(DefaultBodyLimit::max(batch::MAX_BATCH_BODY)),
        )
        .route("/catalogs", get(catalogue_api::catalogs))
        .route("/catalogs/{*rest}", get(catalogue_api::catalog_path))
        .route(
            "/export.csv",
            get(|state, headers, query| catalogue_api::export(state, headers, Format::Csv, query)),
        )
        .route(
            "/export.xlsx",
            get(|state, headers, query| catalogue_api::export(state, headers, Format::Xlsx, query)),
        )
        .route(
            "/export.json",
            get(|state, headers, query| catalogue_api::export(state, headers, Format::Json, query)),
        )
        .route(
            "/export.jsonld",
            get(|state, headers, query| {
                catalogue_api::export(state, headers, Format::JsonLd, query)
            }),
        )
}

/// Accounts, sessions, applications and their evidence, review,
/// decisions and their verification, and user administration.
fn cases_api_routes() -> Router<Shared> {
    Router::new()
        .route("/accounts", post(accounts_api::create_account))
        .route(
            "/session",
            post(accounts_api::create_session).delete(accounts_api::delete_session),
        )
        .route("/me", get(accounts_api::me))
        .route("/me/export", get(accounts_api::export_mine))
        .route("/me/email", post(email_api::change_email))
        .route("/me/mail-preferences", put(email_api::set_mail_preferences))
        .route("/email-verification/{token}", post(email_api::verify_email))
        .route("/password-reset", post(password_reset_api::request_reset))
        .route(
            "/password-reset/{token}",
            post(password_reset_api::reset_password),
        )
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
            get(applications_api::evidence_file).delete(applications_api::remove_evidence),
        )
        .route("/applications/{id}/submit", post(applications_api::submit))
        .route(
            "/applications/{id}/withdraw",
            post(applications_api::withdraw),
        )
        .route("/applications/{id}/review", post(review_api::start_review))
        .route("/applications/{id}/assignee", put(review_api::assign))
        .route("/applications/{id}/notes", post(review_api::add_note))
        .route("/applications/{id}/decision", post(decisions_api::decide))
        .route(
            "/applications/{id}/decision.json",
            get(decisions_api::decision_json),
        )
        .route("/review/queue", get(review_api::review_queue))
        .route("/verify/{code}", get(decisions_api::verify))
        .route("/keys", get(decisions_api::keys))
        .route(
            "/decisions/{code}/credential",
            get(credentials_api::decision_credential),
        )
        .route("/status-lists/{n}", get(credentials_api::status_list))
        .route("/decisions/{code}/revoke", post(decisions_api::revoke))
        .route("/admin/users", get(admin_api::users))
        .route("/admin/users/{id}", patch(admin_api::update_user))
        .route(
            "/admin/users/{id}/second-factor/reset",
            post(admin_api::reset_second_factor),
        )
        .route("/admin/audit", get(admin_api::audit))
        .route("/statistics", get(statistics::api::public))
        .route("/reports/statistics", get(statistics::api::report))
        .route("/admin/mail", get(mail_log::api_log))
        .route("/admin/mail/{id}/retry", post(mail_log::api_retry))
        .route(
            "/reason-templates",
            get(reasons_api::list).post(reasons_api::add),
        )
        .route(
            "/reason-templates/{id}",
            put(reasons_api::change).delete(reasons_api::delete),
        )
}

/// An entry's history, and the administration of editions.
fn editions_api_routes() -> Router<Shared> {
    Router::new()
        .route("/entries/{id}/history", get(editions_api::entry_history))
        .route(
            "/admin/editions",
            get(editions_api::list)
                .post(editions_api::create)
                .layer(DefaultBodyLimit::max(MAX_EDITION_BODY)),
        )
        .route(
            "/admin/editions/{jurisdiction}/{version}",
            get(editions_api::show),
        )
        .route(
            "/admin/editions/{jurisdiction}/{version}/overlay",
            put(editions_api::put_overlay).layer(DefaultBodyLimit::max(MAX_EDITION_BODY)),
        )
        .route(
            "/admin/editions/{jurisdiction}/{version}/publish",
            post(editions_api::post_publish),
        )
        .route(
            "/admin/editions/{jurisdiction}/{version}/discard",
            post(editions_api::post_discard),
        )
}

/// What supervisors, collectors and API clients poll, and the feed.
fn operations() -> Router<Shared> {
    Router::new()
        .route("/api/openapi.json", get(openapi::openapi))
        .route("/changes.atom", get(feed::changes_feed))
        .route("/.well-known/did.json", get(credentials_api::did_document))
        // Where did:web looks when the public address has a path (behind
        // a proxy that strips it): did:web:HOST:PATH → PATH/did.json.
        .route("/did.json", get(credentials_api::did_document))
        .route("/contexts/{file}", get(credentials_api::context))
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/metrics", get(metrics::metrics))
}

/// The catalogue's and the editions' pages.
fn pages() -> Router<Shared> {
    Router::new()
        .route("/", get(catalogue_pages::home))
        .route("/search", get(catalogue_pages::home))
        .route(
            "/search/text",
            get(text_search_pages::form).post(text_search_pages::find),
        )
        .route("/browse", get(catalogue_pages::browse))
        .route("/entries/{id}", get(catalogue_pages::entry))
        .route("/check", get(catalogue_pages::check))
        .route(
            "/check/batch",
            get(batch::pages::form)
                .post(batch::pages::check)
                .layer(DefaultBodyLimit::max(batch::MAX_BATCH_BODY)),
        )
        .route("/check/batch/template.csv", get(batch::pages::template))
        .route("/changes", get(changes::changes))
        .route("/data", get(catalogue_pages::data))
        .route("/privacy", get(privacy::privacy))
        .route("/statistics", get(statistics::pages::public))
        .route("/statistics.csv", get(statistics::downloads::public_csv))
        .route("/reports", get(statistics::pages::reports))
        .route(
            "/reports/statistics.csv",
            get(statistics::downloads::report_csv),
        )
        .route(
            "/reports/statistics.xlsx",
            get(statistics::downloads::report_xlsx),
        )
        .route("/reports/monthly", get(statistics::monthly::monthly))
        .route("/static/{file}", get(assets::asset))
        .route(
            "/admin/catalogs",
            get(editions_pages::list)
                .post(editions_pages::import)
                .layer(DefaultBodyLimit::max(
                    editions_pages::MAX_TEXT_BYTES + 64 * 1024,
                )),
        )
        .route(
            "/admin/catalogs/{jurisdiction}/{version}",
            get(editions_pages::show),
        )
        .route(
            "/admin/catalogs/{jurisdiction}/{version}/overlay",
            get(editions_pages::back_to_edition)
                .post(editions_pages::save_overlay)
                .layer(DefaultBodyLimit::max(editions_pages::MAX_TEXT_BYTES)),
        )
        .route(
            "/admin/catalogs/{jurisdiction}/{version}/publish",
            get(editions_pages::back_to_edition).post(editions_pages::publish),
        )
        .route(
            "/admin/catalogs/{jurisdiction}/{version}/discard",
            get(editions_pages::discard_form).post(editions_pages::discard),
        )
}

/// Accounts and the second factor, applications, the review queue,
/// decisions and their verification, and administration.
fn cases_pages() -> Router<Shared> {
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
        .route(
            "/password-reset",
            get(password_reset_pages::request_form).post(password_reset_pages::request),
        )
        .route(
            "/password-reset/{token}",
            get(password_reset_pages::new_password_form)
                .post(password_reset_pages::set_new_password),
        )
        .route("/email-verification/{token}", get(email_pages::verify))
        .route("/account", get(email_pages::account))
        .route("/account/email", post(email_pages::change_email))
        .route(
            "/account/mail-preferences",
            post(email_pages::set_mail_preferences),
        )
        .route("/start", get(accounts_pages::start))
        .route("/my", get(applications_pages::dashboard))
        .route(
            "/apply",
            get(applications_start::start).post(applications_start::apply),
        )
        .route(
            "/applications/{id}",
            get(applications_editing::application)
                .post(applications_editing::post_form)
                .layer(DefaultBodyLimit::max(
                    zige_cases::MAX_EVIDENCE_BYTES + 256 * 1024,
                )),
        )
        .route(
            "/applications/{id}/evidence",
            get(applications_pages::back_to_application)
                .post(applications_editing::upload)
                .layer(DefaultBodyLimit::max(
                    zige_cases::MAX_EVIDENCE_BYTES + 256 * 1024,
                )),
        )
        .route("/applications/{id}/check", get(applications_answers::check))
        .route(
            "/applications/{id}/submit",
            get(applications_pages::back_to_application).post(applications_answers::submit),
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
            "/review/{id}/assign",
            get(review_pages::back_to_case).post(review_pages::assign),
        )
        .route(
            "/review/{id}/notes",
            get(review_pages::back_to_case).post(review_pages::add_note),
        )
        .route(
            "/review/{id}/decision",
            get(review_pages::back_to_case).post(decisions_pages::decide),
        )
        .route("/verify", get(verification::verify_form))
        .route(
            "/verify/credential",
            get(verification::to_credential_form).post(verification::check_credential),
        )
        .route("/verify/{code}", get(verification::verify))
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
        .route("/admin/mail", get(mail_log::page))
        .route("/admin/mail/{id}/retry", post(mail_log::retry_page))
        .route("/admin/reasons", get(reasons_pages::list))
        .route(
            "/admin/reasons/new",
            get(reasons_pages::new_form).post(reasons_pages::add),
        )
        .route(
            "/admin/reasons/{id}",
            get(reasons_pages::change_form).post(reasons_pages::change),
        )
        .route(
            "/admin/reasons/{id}/delete",
            get(reasons_pages::confirm_delete).post(reasons_pages::delete),
        )
}

/// Handles any address without a page: the 404 page.
async fn unknown_page(
    axum::extract::State(state): axum::extract::State<Shared>,
    Public(ctx): Public,
) -> Response {
    not_found(&state, &ctx)
}

/// Handles any address under `/api/v1` without an endpoint.
async fn api_not_found(OriginalUri(uri): OriginalUri) -> ApiError {
    ApiError::localized(
        StatusCode::NOT_FOUND,
        "not_found",
        "api-no-endpoint",
        &[("path", uri.path().to_string())],
    )
}

/// Handles a method a route does not take, pages and API alike.
async fn method_not_allowed(OriginalUri(uri): OriginalUri, req: Request) -> Response {
    let method = req.method().to_string();
    ApiError::localized(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        "api-method-not-allowed",
        &[("method", method.clone()), ("path", uri.path().to_string())],
    )
    .with_field("method")
    .with_value(method)
    .into_response()
}
