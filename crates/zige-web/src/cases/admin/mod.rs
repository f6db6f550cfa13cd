//! Administration: accounts and their roles, the audit log, and (on the
//! pages) the list of decisions with revoking. [`api`] and [`pages`] are
//! the two faces of these operations; resetting a lost second factor is
//! [`crate::cases::accounts::second_factor::reset`].

pub mod api;
pub mod audit_log;
pub mod mail_log;
pub mod pages;

use axum::http::StatusCode;
use serde::Deserialize;
use zige_cases::Role;
use zige_store::User;

use crate::cases::accounts::sessions::Viewer;
use crate::cases::{now_ms, Res};
use crate::error::ApiError;
use crate::state::Shared;

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct UserUpdate {
    /// `applicant`, `reviewer` or `admin`.
    #[schema(value_type = Option<crate::schemas::RoleSchema>)]
    pub role: Option<String>,
    pub disabled: Option<bool>,
}

/// An admin changes an account's role or disables it; never their own
/// admin role, never themselves.
pub async fn update_user(
    state: &Shared,
    viewer: &Viewer,
    id: i64,
    update: &UserUpdate,
) -> Res<User> {
    viewer.require(viewer.is(Role::Admin))?;
    let store = state.store()?;
    let current = store
        .user(id)
        .await
        .map_err(ApiError::from)?
        .ok_or_else(|| ApiError::not_found("user", &id.to_string(), Vec::new()))?;
    let role = match &update.role {
        Some(role) => Role::parse(role).map_err(ApiError::from_input)?,
        None => current.role,
    };
    let disabled = update.disabled.unwrap_or(current.disabled);
    if id == viewer.user.id && (role != Role::Admin || disabled) {
        return Err(
            ApiError::localized(StatusCode::CONFLICT, "conflict", "api-own-admin", &[]).into(),
        );
    }
    Ok(store
        .update_user(id, role, disabled, viewer.user.id, now_ms())
        .await
        .map_err(ApiError::from)?)
}

/// Every account (admins only).
pub async fn users(state: &Shared, viewer: &Viewer) -> Res<Vec<User>> {
    viewer.require(viewer.is(Role::Admin))?;
    Ok(state.store()?.users().await.map_err(ApiError::from)?)
}

/// The audit log, newest first: `limit` records (1–500) before `before`.
pub async fn audit(
    state: &Shared,
    viewer: &Viewer,
    before: Option<i64>,
    limit: i64,
) -> Res<Vec<zige_cases::AuditRecord>> {
    viewer.require(viewer.is(Role::Admin))?;
    Ok(state
        .store()?
        .audit_recent(before, limit.clamp(1, 500))
        .await
        .map_err(ApiError::from)?)
}

/// The audit records `filter` matches, newest first, a page of them, and
/// how many match in all (admins only).
pub async fn audit_search(
    state: &Shared,
    viewer: &Viewer,
    filter: &zige_store::AuditFilter,
) -> Res<(i64, Vec<zige_cases::AuditRecord>)> {
    viewer.require(viewer.is(Role::Admin))?;
    Ok(state
        .store()?
        .audit_search(filter)
        .await
        .map_err(ApiError::from)?)
}
