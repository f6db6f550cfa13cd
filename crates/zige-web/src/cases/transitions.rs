//! Moving a case from one state to the next: the core's transition rules
//! checked for the viewer, then the store's transition (with the decision
//! to record, for approvals).

use axum::http::StatusCode;
use zige_cases::application::transition;
use zige_cases::{Action, TransitionError};
use zige_store::{Application, Change, DecisionRecord, NewDecision};

use crate::cases::accounts::sessions::Viewer;
use crate::cases::{now_ms, Res};
use crate::error::ApiError;
use crate::state::Shared;

/// Makes the decision document of an approval from its sequence number.
pub type MakeDecision<'a> = &'a (dyn Fn(i64) -> NewDecision + Sync);

/// Moves `application` by `action`, if the viewer may and nobody changed
/// it since `version` (when given); records `decision` with an approval.
pub async fn change(
    state: &Shared,
    viewer: &Viewer,
    application: &Application,
    action: Action,
    reason: &str,
    version: Option<i64>,
    decision: Option<MakeDecision<'_>>,
) -> Res<(Application, Option<DecisionRecord>)> {
    let to = transition(
        application.state,
        action,
        viewer.user.role,
        application.applicant_id == viewer.user.id,
    )
    .map_err(transition_error)?;
    // A submission is decided under the edition in force when it is made.
    let catalog = (action == Action::Submit).then(|| state.current().catalog.id.to_string());
    let step = Change {
        id: application.id,
        from: application.state,
        to,
        version,
        action: action.code(),
        actor: Some(viewer.user.id),
        reason,
        now: now_ms(),
        catalog: catalog.as_deref(),
    };
    Ok(state
        .store()?
        .transition(&step, decision)
        .await
        .map_err(ApiError::from)?)
}

/// Refuses, with 403 and a plain message, a reviewer acting on an
/// application they submitted themselves.
pub fn not_own(viewer: &Viewer, application: &Application, action: Action) -> Res<()> {
    zige_cases::application::may(
        action,
        viewer.user.role,
        application.applicant_id == viewer.user.id,
    )
    .map_err(|e| transition_error(e).into())
}

/// A refused transition as the API answers it.
fn transition_error(error: TransitionError) -> ApiError {
    match error {
        TransitionError::Forbidden(..) => ApiError::forbidden(),
        own @ TransitionError::OwnApplication(..) => {
            let message = own.message();
            ApiError::new(
                StatusCode::FORBIDDEN,
                "own_application",
                message.en,
                message.zh,
            )
        }
        not_now @ TransitionError::NotNow(..) => {
            let message = not_now.message();
            ApiError::conflict(message.en, message.zh)
        }
    }
}
