//! The admin's mail log: every message sent or waiting, with its status,
//! attempts and last error; a failed message can be sent again.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Json;
use serde::Serialize;
use std::collections::HashMap;
use zige_cases::Role;
use zige_store::{MailFilter, MailStatus, OutboxMessage};

use crate::cases::accounts::sessions::Viewer;
use crate::cases::{iso, now_ms, Res};
use crate::error::{ApiError, ApiErrors, ErrorBody};
use crate::extract::{MailId, PageId};
use crate::render::{fail, notice, render, Admin, Ctx, Page, Posted};
use crate::state::Shared;

const PAGE: i64 = 50;
/// The last page the log can be asked for.
const MAX_PAGE: i64 = 100_000;

/// One message as the log shows it (no token a link carried).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MailView {
    pub id: i64,
    /// What the message tells of: `verify_address`, `password_reset`,
    /// `submitted`, `more_info`, `decided`, `revoked`, `digest`…
    pub kind: String,
    pub recipient: String,
    /// `queued`, `sent` or `failed`.
    pub status: String,
    pub attempts: i64,
    pub last_error: String,
    pub created_at: String,
    pub sent_at: Option<String>,
    /// The Message-ID the message is sent with, on every attempt.
    pub message_id: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MailLog {
    pub queued: i64,
    pub sent: i64,
    pub failed: i64,
    /// Whether a mail server is configured; without one messages wait.
    pub delivering: bool,
    pub messages: Vec<MailView>,
}

fn view(message: &OutboxMessage) -> MailView {
    MailView {
        id: message.id,
        kind: message.kind.clone(),
        recipient: message.recipient.clone(),
        status: message.status.code().to_string(),
        attempts: message.attempts,
        last_error: message.last_error.clone(),
        created_at: iso(message.created_at),
        sent_at: message.sent_at.map(iso),
        message_id: message.message_key(),
    }
}

/// The log, newest first: `status` filters, `page` from 1.
pub async fn log(state: &Shared, viewer: &Viewer, status: Option<&str>, page: i64) -> Res<MailLog> {
    viewer.require(viewer.is(Role::Admin))?;
    let store = state.store()?;
    let status = match status.filter(|s| !s.is_empty()) {
        None => None,
        Some(text) => Some(
            MailStatus::parse(text)
                .ok_or_else(|| ApiError::invalid("status", text, "queued, sent or failed"))?,
        ),
    };
    let filter = MailFilter {
        status,
        limit: PAGE,
        offset: (page.max(1) - 1) * PAGE,
    };
    let messages = store.mail_log(&filter).await.map_err(ApiError::from)?;
    let [(_, queued), (_, sent), (_, failed)] =
        store.mail_counts().await.map_err(ApiError::from)?;
    Ok(MailLog {
        queued,
        sent,
        failed,
        delivering: state.settings.verify_before_submit,
        messages: messages.iter().map(view).collect(),
    })
}

/// Puts a failed message back in the queue.
pub async fn retry(state: &Shared, viewer: &Viewer, id: i64) -> Res<()> {
    viewer.require(viewer.is(Role::Admin))?;
    state
        .store()?
        .retry_mail(id, viewer.user.id, now_ms())
        .await
        .map_err(|e| match e {
            zige_store::StoreError::Conflict => {
                ApiError::invalid("id", &id.to_string(), "a message marked failed")
                    .with_status(StatusCode::CONFLICT)
            }
            zige_store::StoreError::NotFound => {
                ApiError::not_found("message", &id.to_string(), Vec::new())
            }
            other => other.into(),
        })?;
    state.mail_wake.notify_one();
    Ok(())
}

// Handles `GET /api/v1/admin/mail`.
#[utoipa::path(get, path = "/api/v1/admin/mail", tag = "admin", security(("bearer" = []), ("cookie" = [])),
    params(("status" = Option<String>, Query, description = "queued, sent or failed"), ("page" = Option<i64>, Query, minimum = 1, maximum = 100000, description = "50 messages a page, from 1 to 100000")),
    responses((status = 200, body = MailLog, description = "the messages, newest first, with counts by status"), (status = 400, body = ErrorBody, description = "a parameter is invalid, naming it"), (status = 401, body = ErrorBody, description = "not signed in: no, an unknown or an expired session"), (status = 403, body = ErrorBody, description = "only admins")))]
pub async fn api_log(
    State(state): State<Shared>,
    viewer: Viewer,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Json<MailLog>, ApiErrors> {
    let page = page_of(&params)?;
    Ok(Json(
        log(
            &state,
            &viewer,
            params.get("status").map(String::as_str),
            page,
        )
        .await?,
    ))
}

// Handles `POST /api/v1/admin/mail/{id}/retry`.
#[utoipa::path(post, path = "/api/v1/admin/mail/{id}/retry", tag = "admin", security(("bearer" = []), ("cookie" = [], "csrf" = [])),
    params(("id" = i64, Path, description = "the message")),
    responses((status = 204, description = "the message waits to be sent again"), (status = 401, body = ErrorBody, description = "not signed in: no, an unknown or an expired session"), (status = 403, body = ErrorBody, description = "only admins"), (status = 404, body = ErrorBody, description = "no such message"), (status = 409, body = ErrorBody, description = "the message is not marked failed")))]
pub async fn api_retry(
    State(state): State<Shared>,
    viewer: Viewer,
    MailId(id): MailId,
) -> Result<Response, ApiErrors> {
    retry(&state, &viewer, id).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

fn page_of(params: &HashMap<String, String>) -> Result<i64, ApiError> {
    match params.get("page").filter(|p| !p.is_empty()) {
        None => Ok(1),
        Some(text) => match text.parse::<i64>() {
            Ok(n) if (1..=MAX_PAGE).contains(&n) => Ok(n),
            _ => Err(ApiError::invalid(
                "page",
                text,
                "a whole number from 1 to 100000",
            )),
        },
    }
}

#[derive(Template)]
#[template(path = "cases/admin/mail.html")]
struct MailPage {
    page: Page,
    tab: &'static str,
    notice: Option<String>,
    csrf: String,
    log: MailLog,
    rows: Vec<Row>,
    status: String,
    filters: Vec<(&'static str, String)>,
    next_page: Option<String>,
    zone: String,
}

struct Row {
    id: i64,
    created: String,
    kind: String,
    recipient: String,
    status: String,
    status_code: String,
    attempts: i64,
    last_error: String,
}

/// Handles `GET /admin/mail`.
pub async fn page(State(state): State<Shared>, Admin { ctx, viewer }: Admin) -> Response {
    let status = ctx.query.get("status").cloned().unwrap_or_default();
    let number = match page_of(&ctx.query) {
        Ok(n) => n,
        Err(e) => return fail(&state, &ctx, e.into()),
    };
    let log = match log(&state, &viewer, Some(&status), number).await {
        Ok(log) => log,
        Err(errors) => return fail(&state, &ctx, errors),
    };
    let rows = log.messages.iter().map(|m| row(&ctx, m)).collect();
    let next_page = (log.messages.len() as i64 == PAGE)
        .then(|| format!("/admin/mail?status={status}&page={}", number + 1));
    let page = MailPage {
        page: ctx.page(&state, ctx.tr.msg("mail-log-title"), "admin"),
        tab: "mail",
        notice: notice(&ctx.tr, &ctx.query),
        csrf: viewer.csrf.clone(),
        log,
        rows,
        status,
        filters: ["", "queued", "sent", "failed"]
            .into_iter()
            .map(|s| {
                (
                    s,
                    ctx.tr.msg(&if s.is_empty() {
                        "mail-log-all".to_string()
                    } else {
                        format!("mail-status-{s}")
                    }),
                )
            })
            .collect(),
        next_page,
        zone: ctx.clock.zone_now(),
    };
    render(&page, &ctx, StatusCode::OK)
}

fn row(ctx: &Ctx, message: &MailView) -> Row {
    Row {
        id: message.id,
        created: message
            .created_at
            .parse::<jiff::Timestamp>()
            .map(|t| ctx.clock.local(t.as_millisecond()))
            .unwrap_or_default(),
        kind: ctx.tr.msg(&format!("mail-kind-{}", message.kind)),
        recipient: message.recipient.clone(),
        status: ctx.tr.msg(&format!("mail-status-{}", message.status)),
        status_code: message.status.clone(),
        attempts: message.attempts,
        last_error: message.last_error.clone(),
    }
}

/// Handles `POST /admin/mail/{id}/retry`.
pub async fn retry_page(
    State(state): State<Shared>,
    PageId(id): PageId,
    Posted { ctx, viewer, .. }: Posted,
) -> Response {
    match retry(&state, &viewer, id).await {
        Ok(()) => Redirect::to("/admin/mail?done=updated").into_response(),
        Err(errors) => fail(&state, &ctx, errors),
    }
}
