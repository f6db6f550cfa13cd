//! Reason templates: ready reasons for one outcome, kept by admins in
//! both languages (`/admin/reasons`, `/api/v1/reason-templates`) and
//! picked by reviewers on the decision form, which adds the text to the
//! reasons for them to complete.

pub mod api;
pub mod pages;

use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use zige_cases::reason_template::{ReasonTemplate, TemplateDraft};
use zige_cases::Role;
use zige_catalog::Bilingual;
use zige_store::{SavedTemplate, StoreError};

use crate::cases::accounts::sessions::Viewer;
use crate::cases::{iso, now_ms, Res};
use crate::error::{ApiError, ApiErrors};
use crate::state::Shared;

/// A template as the API and the pages show it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TemplateView {
    pub id: i64,
    /// 1 when added, one more on each change; a change names the version
    /// it was made from.
    pub version: i64,
    /// `approved`, `rejected` or `more_information`.
    pub outcome: String,
    pub title: Bilingual,
    pub text: Bilingual,
    pub updated_at: String,
}

fn view(saved: SavedTemplate) -> TemplateView {
    let t = saved.template;
    TemplateView {
        id: saved.id,
        version: saved.version,
        outcome: t.outcome.code().to_string(),
        title: Bilingual::new(t.title_zh, t.title_en),
        text: Bilingual::new(t.text_zh, t.text_en),
        updated_at: iso(saved.updated_at),
    }
}

/// A title in both languages: one line each, at most 100 characters.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct TitleText {
    #[schema(
        max_length = 100,
        pattern = "^[^\\u0000-\\u001f\\u007f-\\u009f\\u00ad\\u0600-\\u0605\\u061c\\u06dd\\u070f\\u0890\\u0891\\u08e2\\u180e\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u2064\\u2066-\\u206f\\ufeff\\ufff9-\\ufffb\u{110BD}\u{110CD}\u{13430}-\u{1343F}\u{1BCA0}-\u{1BCA3}\u{1D173}-\u{1D17A}\u{E0001}\u{E0020}-\u{E007F}]*[^\\s\\u0000-\\u001f\\u007f-\\u009f\\u00ad\\u0600-\\u0605\\u061c\\u06dd\\u070f\\u0890\\u0891\\u08e2\\u180e\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u2064\\u2066-\\u206f\\ufeff\\ufff9-\\ufffb\u{110BD}\u{110CD}\u{13430}-\u{1343F}\u{1BCA0}-\u{1BCA3}\u{1D173}-\u{1D17A}\u{E0001}\u{E0020}-\u{E007F}][^\\u0000-\\u001f\\u007f-\\u009f\\u00ad\\u0600-\\u0605\\u061c\\u06dd\\u070f\\u0890\\u0891\\u08e2\\u180e\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u2064\\u2066-\\u206f\\ufeff\\ufff9-\\ufffb\u{110BD}\u{110CD}\u{13430}-\u{1343F}\u{1BCA0}-\u{1BCA3}\u{1D173}-\u{1D17A}\u{E0001}\u{E0020}-\u{E007F}]*$"
    )]
    pub zh: String,
    #[schema(
        max_length = 100,
        pattern = "^[^\\u0000-\\u001f\\u007f-\\u009f\\u00ad\\u0600-\\u0605\\u061c\\u06dd\\u070f\\u0890\\u0891\\u08e2\\u180e\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u2064\\u2066-\\u206f\\ufeff\\ufff9-\\ufffb\u{110BD}\u{110CD}\u{13430}-\u{1343F}\u{1BCA0}-\u{1BCA3}\u{1D173}-\u{1D17A}\u{E0001}\u{E0020}-\u{E007F}]*[^\\s\\u0000-\\u001f\\u007f-\\u009f\\u00ad\\u0600-\\u0605\\u061c\\u06dd\\u070f\\u0890\\u0891\\u08e2\\u180e\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u2064\\u2066-\\u206f\\ufeff\\ufff9-\\ufffb\u{110BD}\u{110CD}\u{13430}-\u{1343F}\u{1BCA0}-\u{1BCA3}\u{1D173}-\u{1D17A}\u{E0001}\u{E0020}-\u{E007F}][^\\u0000-\\u001f\\u007f-\\u009f\\u00ad\\u0600-\\u0605\\u061c\\u06dd\\u070f\\u0890\\u0891\\u08e2\\u180e\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u2064\\u2066-\\u206f\\ufeff\\ufff9-\\ufffb\u{110BD}\u{110CD}\u{13430}-\u{1343F}\u{1BCA0}-\u{1BCA3}\u{1D173}-\u{1D17A}\u{E0001}\u{E0020}-\u{E007F}]*$"
    )]
    pub en: String,
}

/// A template's text in both languages: at most 1,999 characters each.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct ReasonsText {
    #[schema(
        max_length = 1999,
        pattern = "^[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f\\u00ad\\u0600-\\u0605\\u061c\\u06dd\\u070f\\u0890\\u0891\\u08e2\\u180e\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u2064\\u2066-\\u206f\\ufeff\\ufff9-\\ufffb\u{110BD}\u{110CD}\u{13430}-\u{1343F}\u{1BCA0}-\u{1BCA3}\u{1D173}-\u{1D17A}\u{E0001}\u{E0020}-\u{E007F}]*[^\\s\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f\\u00ad\\u0600-\\u0605\\u061c\\u06dd\\u070f\\u0890\\u0891\\u08e2\\u180e\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u2064\\u2066-\\u206f\\ufeff\\ufff9-\\ufffb\u{110BD}\u{110CD}\u{13430}-\u{1343F}\u{1BCA0}-\u{1BCA3}\u{1D173}-\u{1D17A}\u{E0001}\u{E0020}-\u{E007F}][^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f\\u00ad\\u0600-\\u0605\\u061c\\u06dd\\u070f\\u0890\\u0891\\u08e2\\u180e\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u2064\\u2066-\\u206f\\ufeff\\ufff9-\\ufffb\u{110BD}\u{110CD}\u{13430}-\u{1343F}\u{1BCA0}-\u{1BCA3}\u{1D173}-\u{1D17A}\u{E0001}\u{E0020}-\u{E007F}]*$"
    )]
    pub zh: String,
    #[schema(
        max_length = 1999,
        pattern = "^[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f\\u00ad\\u0600-\\u0605\\u061c\\u06dd\\u070f\\u0890\\u0891\\u08e2\\u180e\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u2064\\u2066-\\u206f\\ufeff\\ufff9-\\ufffb\u{110BD}\u{110CD}\u{13430}-\u{1343F}\u{1BCA0}-\u{1BCA3}\u{1D173}-\u{1D17A}\u{E0001}\u{E0020}-\u{E007F}]*[^\\s\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f\\u00ad\\u0600-\\u0605\\u061c\\u06dd\\u070f\\u0890\\u0891\\u08e2\\u180e\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u2064\\u2066-\\u206f\\ufeff\\ufff9-\\ufffb\u{110BD}\u{110CD}\u{13430}-\u{1343F}\u{1BCA0}-\u{1BCA3}\u{1D173}-\u{1D17A}\u{E0001}\u{E0020}-\u{E007F}][^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f\\u00ad\\u0600-\\u0605\\u061c\\u06dd\\u070f\\u0890\\u0891\\u08e2\\u180e\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u2064\\u2066-\\u206f\\ufeff\\ufff9-\\ufffb\u{110BD}\u{110CD}\u{13430}-\u{1343F}\u{1BCA0}-\u{1BCA3}\u{1D173}-\u{1D17A}\u{E0001}\u{E0020}-\u{E007F}]*$"
    )]
    pub en: String,
}

/// A template to add, or a template's new content.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct TemplateRequest {
    /// `approved`, `rejected` or `more_information`.
    #[schema(pattern = "^\\s*(approved|rejected|more_information)\\s*$")]
    pub outcome: String,
    pub title: TitleText,
    pub text: ReasonsText,
    /// To change a template: the version read; a stale one gets 409
    /// (default: whatever is current).
    #[serde(default, deserialize_with = "crate::extract::opt_whole")]
    pub version: Option<i64>,
}

impl TemplateRequest {
    /// The template asked for, or every problem with it.
    fn checked(&self) -> Res<ReasonTemplate> {
        let draft = TemplateDraft {
            outcome: self.outcome.clone(),
            title_zh: self.title.zh.clone(),
            title_en: self.title.en.clone(),
            text_zh: self.text.zh.clone(),
            text_en: self.text.en.clone(),
        };
        ReasonTemplate::checked(&draft).map_err(|errors| ApiErrors(ApiError::from_inputs(errors)))
    }
}

/// Every template, by outcome: reviewers and admins read them.
pub async fn list(state: &Shared, viewer: &Viewer) -> Res<Vec<TemplateView>> {
    viewer.require(viewer.user.role.reviews())?;
    let saved = state
        .store()?
        .reason_templates()
        .await
        .map_err(ApiError::from)?;
    Ok(saved.into_iter().map(view).collect())
}

/// Template `id` as kept, for reviewers and admins.
pub async fn kept(state: &Shared, viewer: &Viewer, id: i64) -> Res<SavedTemplate> {
    viewer.require(viewer.user.role.reviews())?;
    let saved = state
        .store()?
        .reason_template(id)
        .await
        .map_err(ApiError::from)?;
    saved.ok_or_else(|| not_found(id))
}

/// Template `id`, for reviewers and admins.
pub async fn one(state: &Shared, viewer: &Viewer, id: i64) -> Res<TemplateView> {
    kept(state, viewer, id).await.map(view)
}

/// Adds a template (admins only).
pub async fn add(state: &Shared, viewer: &Viewer, request: &TemplateRequest) -> Res<TemplateView> {
    viewer.require(viewer.is(Role::Admin))?;
    let template = request.checked()?;
    let store = state.store()?;
    let id = store
        .add_reason_template(&template, viewer.user.id, now_ms())
        .await
        .map_err(ApiError::from)?;
    one(state, viewer, id).await
}

/// Changes template `id` (admins only), from the version the request
/// names (or whatever is current).
pub async fn change(
    state: &Shared,
    viewer: &Viewer,
    id: i64,
    request: &TemplateRequest,
) -> Res<TemplateView> {
    viewer.require(viewer.is(Role::Admin))?;
    let current = one(state, viewer, id).await?;
    let template = request.checked()?;
    let version = request.version.unwrap_or(current.version);
    state
        .store()?
        .change_reason_template(id, version, &template, viewer.user.id, now_ms())
        .await
        .map_err(|e| refused(e, id, version))?;
    one(state, viewer, id).await
}

/// Deletes template `id` (admins only).
pub async fn delete(state: &Shared, viewer: &Viewer, id: i64) -> Res<()> {
    viewer.require(viewer.is(Role::Admin))?;
    state
        .store()?
        .delete_reason_template(id, viewer.user.id, now_ms())
        .await
        .map_err(|e| refused(e, id, 0))?;
    Ok(())
}

fn not_found(id: i64) -> ApiErrors {
    ApiError::not_found("reason template", &id.to_string(), Vec::new()).into()
}

/// A store refusal about template `id`, changed from `version`.
fn refused(error: StoreError, id: i64, version: i64) -> ApiErrors {
    match error {
        StoreError::NotFound => not_found(id),
        StoreError::Conflict => ApiError::invalid(
            "version",
            &version.to_string(),
            "the template's current version: another admin changed it since",
        )
        .with_status(StatusCode::CONFLICT)
        .into(),
        other => ApiError::from(other).into(),
    }
}
