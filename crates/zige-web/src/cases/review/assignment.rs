//! Assigning a waiting case: a reviewer takes a free case or gives back
//! their own; an admin assigns any case to any reviewer, or to nobody.
//! Both faces (`PUT /api/v1/applications/{id}/assignee`, the buttons of
//! the case page) come here.

use axum::http::StatusCode;
use zige_cases::Role;
use zige_store::{Application, Holding, StoreError};

use crate::cases::accounts::sessions::Viewer;
use crate::cases::applications::load;
use crate::cases::{now_ms, Res};
use crate::error::ApiError;
use crate::state::Shared;

/// Assigns case `id` to reviewer `to`, or to nobody.
pub async fn assign(state: &Shared, viewer: &Viewer, id: i64, to: Option<i64>) -> Res<Application> {
    viewer.require(viewer.user.role.reviews())?;
    let application = load(state, viewer, id).await?;
    let me = viewer.user.id;
    // Nobody, admins included, steers the review of their own application.
    if application.applicant_id == me {
        return Err(ApiError::forbidden().into());
    }
    let holding = match (viewer.user.role, to) {
        (Role::Admin, _) => Holding::Anybody,
        (_, Some(reviewer)) if reviewer == me => Holding::FreeOr(me),
        (_, None) => Holding::HeldBy(me),
        // Only admins give a case to someone else.
        (_, Some(_)) => return Err(ApiError::forbidden().into()),
    };
    if let Some(reviewer) = to {
        check_assignee(state, &application, reviewer).await?;
    }
    state
        .store()?
        .assign(id, to, holding, me, now_ms())
        .await
        .map_err(|e| match e {
            StoreError::Conflict => taken().into(),
            other => ApiError::from(other).into(),
        })
}

/// The assignee is an enabled reviewer or admin, and not the applicant.
async fn check_assignee(state: &Shared, application: &Application, reviewer: i64) -> Res<()> {
    let user = state
        .store()?
        .user(reviewer)
        .await
        .map_err(ApiError::from)?;
    let able = user.is_some_and(|u| u.role.reviews() && !u.disabled);
    if !able {
        let value = reviewer.to_string();
        return Err(ApiError::invalid(
            "reviewer_id",
            &value,
            "the id of an enabled reviewer or admin",
        )
        .into());
    }
    if reviewer == application.applicant_id {
        let value = reviewer.to_string();
        return Err(
            ApiError::invalid("reviewer_id", &value, "anyone but the case's applicant").into(),
        );
    }
    Ok(())
}

/// Someone else has the case, or it no longer waits.
fn taken() -> ApiError {
    ApiError::localized(StatusCode::CONFLICT, "conflict", "rev-assign-conflict", &[])
}
