//! Reviewers' internal notes on a case: read with the case, added from
//! the case page or `POST /api/v1/applications/{id}/notes`; never shown to
//! the applicant, never on a reviewer's own application.

use axum::http::StatusCode;
use serde::Serialize;
use zige_cases::text::{self, check_text, Lines};
use zige_store::Application;

use crate::cases::accounts::sessions::Viewer;
use crate::cases::applications::load;
use crate::cases::{iso, now_ms, Res};
use crate::error::ApiError;
use crate::state::Shared;

/// A note as the case shows it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct NoteView {
    pub id: i64,
    pub author_name: String,
    pub author_email: String,
    pub note: String,
    pub created_at: String,
}

/// Whether the viewer reads and writes notes on this case: a reviewer or
/// admin, on someone else's application.
pub fn sees_notes(viewer: &Viewer, application: &Application) -> bool {
    viewer.user.role.reviews() && viewer.user.id != application.applicant_id
}

/// The notes on a case, oldest first; none for whoever may not see them.
pub async fn notes(
    state: &Shared,
    viewer: &Viewer,
    application: &Application,
) -> Res<Vec<NoteView>> {
    if !sees_notes(viewer, application) {
        return Ok(Vec::new());
    }
    let found = state
        .store()?
        .notes(application.id)
        .await
        .map_err(ApiError::from)?;
    Ok(found
        .into_iter()
        .map(|n| NoteView {
            id: n.id,
            author_name: n.author_name,
            author_email: n.author_email,
            note: n.body,
            created_at: iso(n.created_at),
        })
        .collect())
}

/// Adds a note to case `id`; the case's notes after it.
pub async fn add(state: &Shared, viewer: &Viewer, id: i64, note: &str) -> Res<Vec<NoteView>> {
    viewer.require(viewer.user.role.reviews())?;
    let application = load(state, viewer, id).await?;
    if !sees_notes(viewer, &application) {
        return Err(ApiError::forbidden().into());
    }
    let note = note.trim();
    check_text("note", note, text::MAX_NOTE, Lines::Many).map_err(ApiError::from_input)?;
    if note.is_empty() {
        let error = ApiError::invalid("note", "", "the note, for reviewers only")
            .with_status(StatusCode::BAD_REQUEST);
        return Err(error.into());
    }
    state
        .store()?
        .add_note(id, viewer.user.id, note, now_ms())
        .await
        .map_err(ApiError::from)?;
    notes(state, viewer, &application).await
}
