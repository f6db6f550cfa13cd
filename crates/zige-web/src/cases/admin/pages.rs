//! The pages of administration: accounts and their roles, resetting a
//! lost second factor, the decisions with revoking, and the audit log.

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
    fail, forbidden, not_found, notice, render, said, status_of, Admin, ConfirmPage, Ctx, Page,
    Posted, Problem,
};
use crate::state::Shared;

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
            created: ctx.clock.at(user.created_at),
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
                    let message = Some(refused.message.clone()).filter(|m| !m.is_empty());
                    (message, refused.reason.clone())
                }
                _ => (None, String::new()),
            };
            DecisionLine {
                revoked: record.revoked_at.map(|revoked| {
                    (
                        ctx.clock.at(revoked),
                        record.revoked_reason.clone().unwrap_or_default(),
                    )
                }),
                number: record.number,
                code: record.code,
                holder: record.holder_name,
                application: record.application_id,
                issued: ctx.clock.at(record.issued_at),
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

/// The check before a revocation: which decision, that anyone verifying
/// it will see it revoked with the reason, Confirm / Go back.
#[derive(Template)]
#[template(path = "cases/admin/confirm_revoke.html")]
struct ConfirmRevoke {
    page: Page,
    csrf: String,
    code: String,
    text: String,
    reason: String,
}

/// Handles `POST /admin/decisions/{code}/revoke`: shown back for
/// confirmation first; `confirm=yes` revokes, `back` returns to the
/// decisions with the reason kept.
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
    let back = form.contains_key("back");
    if back {
        let kept = Refused {
            code,
            message: String::new(),
            reason,
        };
        return decisions_page(&state, &ctx, viewer, StatusCode::OK, Some(kept)).await;
    }
    let confirmed = form.get("confirm").map(String::as_str) == Some("yes");
    let valid = decisions::check_reason(&reason).map(|_| ());
    let outcome = match valid {
        Ok(()) if !confirmed => return confirm_revoke(&state, &ctx, viewer, &code, reason).await,
        Ok(()) => decisions::revoke(&state, viewer, &code, &reason)
            .await
            .map(|_| ()),
        Err(errors) => Err(errors),
    };
    match outcome {
        Ok(()) => Redirect::to("/admin/decisions?done=revoked").into_response(),
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

/// The confirmation page of revoking decision `code` for `reason`.
async fn confirm_revoke(
    state: &Shared,
    ctx: &Ctx,
    viewer: &Viewer,
    code: &str,
    reason: String,
) -> Response {
    let record = match decisions::verify(state, code).await {
        Ok(record) => record,
        Err(errors) => return fail(state, ctx, errors),
    };
    let t = ctx.tr;
    let page = ConfirmRevoke {
        page: ctx.page_at(
            state,
            t.msg("staff-revoke-title"),
            "admin",
            "/admin/decisions",
        ),
        csrf: viewer.csrf.clone(),
        code: zige_cases::normalise_code(code).unwrap_or_else(|| code.to_string()),
        text: t.with(
            "staff-revoke-text",
            &[("number", record.number), ("holder", record.holder_name)],
        ),
        reason: reason.trim().to_string(),
    };
    render(&page, ctx, StatusCode::OK)
}

// ---------- the audit log ----------

pub use super::audit_log::audit;
