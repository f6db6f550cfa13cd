//! The pages of administration: accounts and their roles, resetting a
//! lost second factor, the decisions with revoking, and the audit log.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use zige_cases::Role;

use super::UserUpdate;
use crate::cases::accounts::second_factor;
use crate::cases::accounts::sessions::{with_session_cookie, Viewer};
use crate::cases::field_errors::short;
use crate::cases::{admin, decisions};
use crate::error::ApiError;
use crate::extract::PageId;
use crate::render::{
    fail, forbidden, not_found, notice, render, said, status_of, when, Admin, ConfirmPage, Ctx,
    Page, Posted, Problem,
};
use crate::state::Shared;

/// Audit records per page.
const AUDIT_PAGE: i64 = 50;

/// `2026-11-27 02:21 UTC` from an instant in milliseconds.
fn at(ms: i64) -> String {
    when(&zige_cases::Timestamp(ms).rfc3339())
}

/// Handles `GET /admin` and `GET /admin/users/{id}`: on to the accounts.
pub async fn to_users() -> Redirect {
    Redirect::to("/admin/users")
}

/// Handles `GET /admin/decisions/{code}/revoke`: on to the decisions.
pub async fn to_decisions() -> Redirect {
    Redirect::to("/admin/decisions")
}

// ---------- accounts ----------

pub struct UserLine {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: &'static str,
    pub created: String,
    pub disabled: bool,
    pub me: bool,
}

#[derive(Template)]
#[template(path = "cases/admin/users.html")]
struct UsersPage {
    page: Page,
    tab: &'static str,
    csrf: String,
    notice: Option<String>,
    problems: Vec<Problem>,
    rows: Vec<UserLine>,
    roles: Vec<(&'static str, String)>,
}

/// The accounts page, with `errors` of the last change.
async fn users_page(
    state: &Shared,
    ctx: &Ctx,
    viewer: &Viewer,
    status: StatusCode,
    errors: Vec<ApiError>,
) -> Response {
    let users = match admin::users(state, viewer).await {
        Ok(users) => users,
        Err(errors) => return fail(state, ctx, errors),
    };
    let t = ctx.tr;
    let rows = users
        .iter()
        .map(|user| UserLine {
            id: user.id,
            email: user.email.clone(),
            name: user.name.clone(),
            role: user.role.code(),
            created: at(user.created_at),
            disabled: user.disabled,
            me: user.id == viewer.user.id,
        })
        .collect();
    let page = UsersPage {
        tab: "users",
        page: ctx.page_at(state, t.msg("adm-users-title"), "admin", "/admin/users"),
        csrf: viewer.csrf.clone(),
        notice: notice(&t, &ctx.query),
        problems: errors
            .iter()
            .map(|error| Problem {
                href: String::new(),
                text: said(&t, error),
            })
            .collect(),
        rows,
        roles: Role::ALL
            .iter()
            .map(|role| (role.code(), t.msg(&format!("role-{}", role.code()))))
            .collect(),
    };
    render(&page, ctx, status)
}

/// Handles `GET /admin/users`.
pub async fn users(State(state): State<Shared>, Admin { ctx, viewer }: Admin) -> Response {
    users_page(&state, &ctx, &viewer, StatusCode::OK, Vec::new()).await
}

/// Handles `POST /admin/users/{id}`.
pub async fn update_user(
    State(state): State<Shared>,
    PageId(id): PageId,
    Posted {
        ctx,
        form,
        ref viewer,
    }: Posted,
) -> Response {
    if !viewer.is(Role::Admin) {
        return forbidden(&state, &ctx);
    }
    let update = UserUpdate {
        role: form.get("role").cloned().filter(|role| !role.is_empty()),
        disabled: match form.get("disabled").map(String::as_str) {
            Some("true") => Some(true),
            Some("false") => Some(false),
            _ => None,
        },
    };
    match admin::update_user(&state, viewer, id, &update).await {
        Ok(_) => Redirect::to("/admin/users?done=updated").into_response(),
        Err(errors) if matches!(status_of(&errors).as_u16(), 400 | 409) => {
            users_page(&state, &ctx, viewer, status_of(&errors), errors.0).await
        }
        Err(errors) => fail(&state, &ctx, errors),
    }
}

// ---------- resetting a lost second factor ----------

/// The account number in `/admin/users/{id}/…`.
fn user_id(ctx: &Ctx) -> Option<i64> {
    ctx.path
        .strip_prefix("/admin/users/")?
        .split('/')
        .next()?
        .parse::<i64>()
        .ok()
        .filter(|number| *number > 0)
}

/// Handles `GET /admin/users/{id}/second-factor/reset`.
pub async fn reset_form(State(state): State<Shared>, Admin { ctx, viewer }: Admin) -> Response {
    let Some(id) = user_id(&ctx) else {
        return not_found(&state, &ctx);
    };
    let user = match state.store() {
        Ok(store) => store.user(id).await.ok().flatten(),
        Err(_) => None,
    };
    let Some(user) = user else {
        return not_found(&state, &ctx);
    };
    let t = ctx.tr;
    let heading = t.msg("totp-reset-title");
    let page = ConfirmPage {
        page: ctx.page(&state, heading.clone(), "admin"),
        csrf: viewer.csrf.clone(),
        heading,
        text: t.with("totp-reset-text", &[("email", user.email.clone())]),
        action: format!("/admin/users/{id}/second-factor/reset"),
        button: t.msg("totp-reset-button"),
        cancel: "/admin/users".into(),
        with_reason: false,
    };
    render(&page, &ctx, StatusCode::OK)
}

/// Handles `POST /admin/users/{id}/second-factor/reset`.
pub async fn reset(State(state): State<Shared>, Posted { ctx, viewer, .. }: Posted) -> Response {
    if !viewer.is(Role::Admin) {
        return forbidden(&state, &ctx);
    }
    let Some(id) = user_id(&ctx) else {
        return not_found(&state, &ctx);
    };
    match second_factor::reset(&state, &viewer, id).await {
        Ok(()) if id == viewer.user.id => {
            with_session_cookie(&state, Redirect::to("/login").into_response(), None)
        }
        Ok(()) => Redirect::to("/admin/users?done=updated").into_response(),
        Err(errors) => fail(&state, &ctx, errors),
    }
}

// ---------- decisions ----------

pub struct DecisionLine {
    pub number: String,
    pub code: String,
    pub holder: String,
    pub application: i64,
    pub issued: String,
    pub revoked: Option<(String, String)>,
    pub error: Option<String>,
    pub reason: String,
}

#[derive(Template)]
#[template(path = "cases/admin/decisions.html")]
struct DecisionsPage {
    page: Page,
    tab: &'static str,
    csrf: String,
    notice: Option<String>,
    rows: Vec<DecisionLine>,
}

/// A revocation that was refused: the decision's code, what was wrong,
/// and the reason as typed.
struct Refused {
    code: String,
    message: String,
    reason: String,
}

/// The decisions page, with the last refused revocation at its decision.
async fn decisions_page(
    state: &Shared,
    ctx: &Ctx,
    viewer: &Viewer,
    status: StatusCode,
    refused: Option<Refused>,
) -> Response {
    let records = match state.store() {
        Ok(store) => match store.decisions().await {
            Ok(records) => records,
            Err(e) => return fail(state, ctx, ApiError::from(e).into()),
        },
        Err(e) => return fail(state, ctx, e.into()),
    };
    let rows = records
        .into_iter()
        .map(|record| {
            let (error, reason) = match &refused {
                Some(refused) if refused.code == record.code => {
                    (Some(refused.message.clone()), refused.reason.clone())
                }
                _ => (None, String::new()),
            };
            DecisionLine {
                revoked: record.revoked_at.map(|revoked| {
                    (
                        at(revoked),
                        record.revoked_reason.clone().unwrap_or_default(),
                    )
                }),
                number: record.number,
                code: record.code,
                holder: record.holder_name,
                application: record.application_id,
                issued: at(record.issued_at),
                error,
                reason,
            }
        })
        .collect();
    let page = DecisionsPage {
        tab: "decisions",
        page: ctx.page_at(
            state,
            ctx.tr.msg("adm-dec-title"),
            "admin",
            "/admin/decisions",
        ),
        csrf: viewer.csrf.clone(),
        notice: notice(&ctx.tr, &ctx.query),
        rows,
    };
    render(&page, ctx, status)
}

/// Handles `GET /admin/decisions`.
pub async fn decisions(State(state): State<Shared>, Admin { ctx, viewer }: Admin) -> Response {
    decisions_page(&state, &ctx, &viewer, StatusCode::OK, None).await
}

/// Handles `POST /admin/decisions/{code}/revoke`.
pub async fn revoke(
    State(state): State<Shared>,
    Path(code): Path<String>,
    Posted {
        ctx,
        form,
        ref viewer,
    }: Posted,
) -> Response {
    if !viewer.is(Role::Admin) {
        return forbidden(&state, &ctx);
    }
    let reason = form.get("reason").cloned().unwrap_or_default();
    match decisions::revoke(&state, viewer, &code, &reason).await {
        Ok(_) => Redirect::to("/admin/decisions?done=revoked").into_response(),
        Err(errors) if matches!(status_of(&errors).as_u16(), 400 | 409) => {
            let status = status_of(&errors);
            let message = errors
                .0
                .iter()
                .map(|error| short(&ctx.tr, error))
                .collect::<Vec<_>>()
                .join(" ");
            let refused = Refused {
                code,
                message,
                reason,
            };
            decisions_page(&state, &ctx, viewer, status, Some(refused)).await
        }
        Err(errors) => fail(&state, &ctx, errors),
    }
}

// ---------- the audit log ----------

pub struct AuditLine {
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub subject: String,
    pub detail: String,
    pub hash: String,
}

#[derive(Template)]
#[template(path = "cases/admin/audit.html")]
struct AuditPage {
    page: Page,
    tab: &'static str,
    rows: Vec<AuditLine>,
    older: Option<String>,
    newest: bool,
}

/// The `before` parameter: a record number above 0, if given.
fn before_of(ctx: &Ctx) -> Result<Option<i64>, ApiError> {
    let Some(text) = ctx
        .query
        .get("before")
        .map(|text| text.trim())
        .filter(|text| !text.is_empty())
    else {
        return Ok(None);
    };
    match text.parse::<i64>() {
        Ok(number) if number > 0 => Ok(Some(number)),
        _ => Err(ApiError::invalid(
            "before",
            text,
            "a record number (a whole number above 0)",
        )),
    }
}

/// Handles `GET /admin/audit`.
pub async fn audit(State(state): State<Shared>, Admin { ctx, viewer }: Admin) -> Response {
    let before = match before_of(&ctx) {
        Ok(before) => before,
        Err(error) => return fail(&state, &ctx, error.into()),
    };
    let records = match admin::audit(&state, &viewer, before, AUDIT_PAGE).await {
        Ok(records) => records,
        Err(errors) => return fail(&state, &ctx, errors),
    };
    let emails: HashMap<i64, String> = match admin::users(&state, &viewer).await {
        Ok(users) => users
            .into_iter()
            .map(|user| (user.id, user.email))
            .collect(),
        Err(errors) => return fail(&state, &ctx, errors),
    };
    let t = ctx.tr;
    let older = (records.len() as i64 == AUDIT_PAGE)
        .then(|| {
            records
                .last()
                .map(|record| format!("/admin/audit?before={}", record.seq))
        })
        .flatten();
    let rows = records
        .into_iter()
        .map(|record| AuditLine {
            seq: record.seq,
            at: at(record.at),
            actor: match record.actor {
                Some(id) => emails.get(&id).cloned().unwrap_or_else(|| format!("#{id}")),
                None => t.msg("adm-system"),
            },
            action: record.action,
            subject: record.subject,
            detail: record.detail.chars().take(300).collect(),
            hash: record.hash.chars().take(12).collect(),
        })
        .collect();
    let page = AuditPage {
        tab: "audit",
        page: ctx.page(&state, t.msg("adm-audit-title"), "admin"),
        rows,
        older,
        newest: before.is_none(),
    };
    render(&page, &ctx, StatusCode::OK)
}
