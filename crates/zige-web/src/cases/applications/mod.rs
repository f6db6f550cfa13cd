//! Applications: the applicant's drafts and their evidence, submitting,
//! withdrawing and deleting, and the view of an application both faces
//! show. [`api`] and [`pages`] are the two faces of these operations.

pub mod answers;
pub mod api;
pub mod dates;
pub mod display;
pub mod editing;
pub mod form;
pub mod form_errors;
pub mod pages;
pub mod posted;
pub mod precheck;
pub mod start;

use axum::http::StatusCode;
use serde::Serialize;
use serde_json::Value;
use zige_cases::decision::entry_summary;
use zige_cases::text::{self, check_text, Lines};
use zige_cases::{Action, ApplicationForm, MediaType, Role, State, Timestamp};
use zige_catalog::{Bilingual, Catalog, Entry};
use zige_store::{Application, Event, Evidence};

use crate::cases::accounts::sessions::Viewer;
use crate::cases::accounts::UserView;
use crate::cases::decisions::{self, DecisionSummary};
use crate::cases::transitions::change;
use crate::cases::{catalog_of, iso, now_ms, Res};
use crate::error::{ApiError, ApiErrors};
use crate::state::Shared;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct EvidenceView {
    pub id: i64,
    pub name: String,
    pub media_type: String,
    pub size: i64,
    pub sha256: String,
    pub uploaded_at: String,
    /// Where to download it (owner and reviewers only).
    pub url: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct EventView {
    pub at: String,
    pub action: String,
    pub from: Option<String>,
    pub to: String,
    pub to_label: Bilingual,
    /// `applicant`, `reviewer`, `admin`; who it was is in the audit log.
    pub by: Option<String>,
    pub reason: String,
}

/// Another application naming the same certificate (its issuer and
/// number), shown to reviewers.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SameCertificateView {
    pub id: i64,
    pub state: String,
    pub state_label: Bilingual,
    pub applicant_email: String,
    pub submitted_at: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ApplicationView {
    pub id: i64,
    pub state: String,
    pub state_label: Bilingual,
    /// Send back with changes; a stale version gets 409.
    pub version: i64,
    /// The edition the application is made under.
    pub catalog: String,
    /// The entry the profile names, when it names one of the edition.
    #[schema(value_type = Option<crate::schemas::EntryBrief>)]
    pub entry: Option<Value>,
    #[schema(value_type = crate::schemas::ApplicationFormSchema)]
    pub form: ApplicationForm,
    pub created_at: String,
    pub updated_at: String,
    pub submitted_at: Option<String>,
    pub applicant: Option<UserView>,
    pub evidence: Vec<EvidenceView>,
    pub timeline: Vec<EventView>,
    /// What a submission still lacks or gets wrong (drafts, requests for information).
    pub missing: Vec<ApiError>,
    /// The rules engine's decision on the profile as given, with its trace.
    pub precheck: Option<zige_rules::Decision>,
    pub decision: Option<DecisionSummary>,
    /// For reviewers: their internal notes on the case, oldest first
    /// (always empty for the applicant).
    pub notes: Vec<crate::cases::review::notes::NoteView>,
    /// For reviewers: the reviewer the case is assigned to (always null
    /// for the applicant).
    pub assignee: Option<UserView>,
    /// For reviewers: other applications past their draft with the same
    /// certificate number and issuer (always empty for the applicant).
    pub same_certificate: Vec<SameCertificateView>,
}

fn parse_form(value: Value) -> Result<ApplicationForm, ApiErrors> {
    // serde would take a list for a struct; the API document says object.
    if let Some((field, _)) = [
        ("form", Some(&value)),
        ("certificate", value.get("certificate")),
    ]
    .into_iter()
    .find(|(_, part)| part.is_some_and(|part| !part.is_object()))
    {
        return Err(ApiError::invalid(field, "(not an object)", "a JSON object").into());
    }
    let form: ApplicationForm = serde_json::from_value(value).map_err(|e| ApiError::invalid("form", &e.to_string(), "an object with holder_name, profile {entry, level, experience_years, age, nationality, education, beijing_employer, high_end_industry, project} and certificate {number, issuer, issued_on, expires_on}"))?;
    let errors = form.check_draft();
    if !errors.is_empty() {
        return Err(ApiErrors(ApiError::from_inputs(errors)));
    }
    Ok(form)
}

/// The entry named by a form's profile, if it names one of `catalog`.
fn entry_of<'a>(catalog: &'a Catalog, form: &ApplicationForm) -> Option<&'a Entry> {
    form.profile
        .get("entry")
        .and_then(Value::as_str)
        .and_then(|entry| catalog.find(entry))
}

/// The entry's code and list, as the store files an application under.
fn entry_keys(entry: Option<&Entry>) -> (Option<&str>, Option<&str>) {
    (
        entry.map(|entry| entry.code.as_str()),
        entry.map(|entry| entry.list.as_str()),
    )
}

/// The application, if `viewer` may see it: its applicant always;
/// reviewers and admins once it has been submitted. Anyone else gets 404,
/// as if it did not exist.
pub async fn load(state: &Shared, viewer: &Viewer, id: i64) -> Res<Application> {
    let not_found = || {
        ApiErrors::from(ApiError::not_found(
            "application",
            &id.to_string(),
            Vec::new(),
        ))
    };
    let application = state
        .store()?
        .application(id)
        .await
        .map_err(ApiError::from)?
        .ok_or_else(not_found)?;
    let mine = application.applicant_id == viewer.user.id;
    if mine || (viewer.user.role.reviews() && application.state != State::Draft) {
        Ok(application)
    } else {
        Err(not_found())
    }
}

/// The evidence rule of a submission: at least one file.
fn evidence_missing() -> ApiError {
    ApiError::invalid(
        "evidence",
        "",
        "at least one file: PDF, JPEG or PNG of the certificate",
    )
}

/// What an editable application still lacks before it can be submitted.
fn missing_parts(
    application: &Application,
    form: &ApplicationForm,
    catalog: &Catalog,
    evidence: &[Evidence],
) -> Vec<ApiError> {
    if !application.state.editable() {
        return Vec::new();
    }
    let today = Timestamp(now_ms()).date();
    let mut missing = match form.complete(catalog, today) {
        Ok(_) => Vec::new(),
        Err(errors) => ApiError::from_inputs(errors),
    };
    if evidence.is_empty() {
        missing.push(evidence_missing());
    }
    missing
}

/// Every problem that stops `form` (as typed, saved or not) of the
/// editable `application` from being submitted, all at once.
pub async fn problems(
    state: &Shared,
    application: &Application,
    form: &ApplicationForm,
) -> Res<Vec<ApiError>> {
    let evidence = state
        .store()?
        .evidence(application.id)
        .await
        .map_err(ApiError::from)?;
    let catalog = catalog_of(state, &application.catalog);
    Ok(missing_parts(application, form, catalog, &evidence))
}

/// The rules engine's decision on the profile as given, when it names an entry.
fn precheck_of(
    state: &Shared,
    catalog: &Catalog,
    form: &ApplicationForm,
) -> Option<zige_rules::Decision> {
    form.profile
        .get("entry")
        .and_then(|_| {
            zige_rules::Profile::from_json(&Value::Object(form.profile.clone()).to_string()).ok()
        })
        .and_then(|profile| zige_rules::decide(catalog, state.policy, &profile).ok())
}

fn evidence_view(application: i64, evidence: Evidence) -> EvidenceView {
    EvidenceView {
        url: format!(
            "/api/v1/applications/{application}/evidence/{}",
            evidence.id
        ),
        id: evidence.id,
        name: evidence.name,
        media_type: evidence.media_type.mime().into(),
        size: evidence.size,
        sha256: evidence.sha256,
        uploaded_at: iso(evidence.uploaded_at),
    }
}

fn event_view(event: Event) -> EventView {
    EventView {
        at: iso(event.at),
        action: event.action,
        from: event.from_state.map(|from| from.code().to_string()),
        to: event.to_state.code().into(),
        to_label: event.to_state.label(),
        by: event.actor_role.map(|role| role.code().to_string()),
        reason: event.reason,
    }
}

/// An application as both faces show it: its form, evidence, timeline,
/// what it still lacks, the rules' pre-check and its decision.
pub async fn view(
    state: &Shared,
    viewer: &Viewer,
    application: &Application,
) -> Res<ApplicationView> {
    let evidence = state
        .store()?
        .evidence(application.id)
        .await
        .map_err(ApiError::from)?;
    view_with_evidence(state, viewer, application, evidence).await
}

/// [`view`] of an application whose evidence the caller has just read or
/// knows (a new draft has none), without reading it again.
pub async fn view_with_evidence(
    state: &Shared,
    viewer: &Viewer,
    application: &Application,
    evidence: Vec<Evidence>,
) -> Res<ApplicationView> {
    let store = state.store()?;
    let catalog = catalog_of(state, &application.catalog);
    let form: ApplicationForm = serde_json::from_str(&application.form).unwrap_or_default();
    let entry = entry_of(catalog, &form);
    let events = store.events(application.id).await.map_err(ApiError::from)?;
    let missing = missing_parts(application, &form, catalog, &evidence);
    let precheck = precheck_of(state, catalog, &form);
    // Only a decided application has a decision to read.
    let decided = matches!(application.state, State::Approved | State::Rejected);
    let decision = match decided {
        true => store
            .decision_of(application.id)
            .await
            .map_err(ApiError::from)?
            .map(|decision| decisions::summary(state, &decision)),
        false => None,
    };
    let applicant = if viewer.user.id == application.applicant_id {
        None
    } else {
        store
            .user(application.applicant_id)
            .await
            .map_err(ApiError::from)?
            .as_ref()
            .map(UserView::from)
    };
    Ok(ApplicationView {
        id: application.id,
        state: application.state.code().into(),
        state_label: application.state.label(),
        version: application.version,
        catalog: application.catalog.clone(),
        entry: entry.map(entry_summary),
        form,
        created_at: iso(application.created_at),
        updated_at: iso(application.updated_at),
        submitted_at: application.submitted_at.map(iso),
        applicant,
        evidence: evidence
            .into_iter()
            .map(|file| evidence_view(application.id, file))
            .collect(),
        timeline: events.into_iter().map(event_view).collect(),
        missing,
        precheck,
        decision,
        assignee: assignee(state, viewer, application).await?,
        notes: crate::cases::review::notes::notes(state, viewer, application).await?,
        same_certificate: same_certificate(state, viewer, application).await?,
    })
}

/// The reviewer the case is assigned to, for a reviewer of someone
/// else's application.
async fn assignee(
    state: &Shared,
    viewer: &Viewer,
    application: &Application,
) -> Res<Option<UserView>> {
    let Some(id) = application.assigned_to else {
        return Ok(None);
    };
    if !viewer.user.role.reviews() || viewer.user.id == application.applicant_id {
        return Ok(None);
    }
    let user = state.store()?.user(id).await.map_err(ApiError::from)?;
    Ok(user.as_ref().map(UserView::from))
}

/// The other applications with the same certificate, for a reviewer of
/// someone else's application.
async fn same_certificate(
    state: &Shared,
    viewer: &Viewer,
    application: &Application,
) -> Res<Vec<SameCertificateView>> {
    if !viewer.user.role.reviews() || viewer.user.id == application.applicant_id {
        return Ok(Vec::new());
    }
    let found = state
        .store()?
        .same_certificate(application.id)
        .await
        .map_err(ApiError::from)?;
    Ok(found
        .into_iter()
        .map(|other| SameCertificateView {
            id: other.id,
            state: other.state.code().into(),
            state_label: other.state.label(),
            applicant_email: other.applicant_email,
            submitted_at: other.submitted_at.map(iso),
        })
        .collect())
}

/// The viewer's own applications, as views.
pub async fn mine(state: &Shared, viewer: &Viewer) -> Res<Vec<ApplicationView>> {
    let mut out = Vec::new();
    for application in state
        .store()?
        .applications_of(viewer.user.id)
        .await
        .map_err(ApiError::from)?
    {
        out.push(view(state, viewer, &application).await?);
    }
    Ok(out)
}

/// A new draft, from an optional partial form.
pub async fn create(state: &Shared, viewer: &Viewer, form: Value) -> Res<Application> {
    viewer.require(viewer.is(Role::Applicant))?;
    let form = if form.is_null() {
        ApplicationForm::default()
    } else {
        parse_form(form)?
    };
    let edition = state.current();
    let entry = entry_of(edition.catalog, &form);
    let text = serde_json::to_string(&form).map_err(|e| ApiError::internal(e.to_string()))?;
    Ok(state
        .store()?
        .create_application(
            viewer.user.id,
            &edition.catalog.id.to_string(),
            &text,
            entry_keys(entry),
            now_ms(),
        )
        .await
        .map_err(ApiError::from)?)
}

/// Saves a draft's form, if nobody changed it since `version`.
pub async fn save(
    state: &Shared,
    viewer: &Viewer,
    id: i64,
    version: i64,
    form: Value,
) -> Res<Application> {
    let application = load(state, viewer, id).await?;
    owner_may(viewer, &application)?;
    if !application.state.editable() {
        return Err(not_now(application.state, "api-not-now-edited").into());
    }
    let form = parse_form(form)?;
    let entry = entry_of(catalog_of(state, &application.catalog), &form);
    let text = serde_json::to_string(&form).map_err(|e| ApiError::internal(e.to_string()))?;
    Ok(state
        .store()?
        .update_form(
            id,
            version,
            &text,
            entry_keys(entry),
            viewer.user.id,
            now_ms(),
        )
        .await
        .map_err(ApiError::from)?)
}

/// Only the applicant changes their application.
fn owner_may(viewer: &Viewer, application: &Application) -> Result<(), ApiError> {
    viewer.require(application.applicant_id == viewer.user.id)
}

/// 409: the application's state no longer allows what was asked (`key`
/// of the message catalogues says what).
fn not_now(state: State, key: &str) -> ApiError {
    let label = state.label();
    ApiError::localized_each(StatusCode::CONFLICT, "conflict", key, |lang| {
        vec![("state", label.get(lang).to_string())]
    })
}

/// Stores an evidence file: at most 10 MiB, PDF, JPEG or PNG by content.
pub async fn add_evidence(
    state: &Shared,
    viewer: &Viewer,
    id: i64,
    given_name: &str,
    bytes: bytes::Bytes,
) -> Res<EvidenceView> {
    let application = load(state, viewer, id).await?;
    owner_may(viewer, &application)?;
    if !application.state.editable() {
        return Err(not_now(application.state, "api-not-now-changed").into());
    }
    if bytes.len() > zige_cases::MAX_EVIDENCE_BYTES {
        return Err(too_large(bytes.len()).into());
    }
    let display_name = zige_cases::evidence::display_name(given_name);
    let Some(media_type) = MediaType::sniff(&bytes) else {
        return Err(ApiError::localized(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "api-not-a-file",
            &[],
        )
        .with_field("file")
        .with_value(display_name)
        .with_allowed(MediaType::ALLOWED)
        .into());
    };
    let size = bytes.len() as i64;
    // The limits (files per application, bytes per account) are checked
    // in the record's transaction; the file is stored first and kept by
    // the sweep's grace period even if the record is refused.
    let stored = state
        .store()?
        .store_evidence(
            &state.cases()?.blobs,
            bytes,
            media_type,
            &display_name,
            id,
            viewer.user.id,
            now_ms(),
        )
        .await
        .map_err(ApiError::from)?;
    Ok(EvidenceView {
        url: format!("/api/v1/applications/{id}/evidence/{}", stored.id),
        id: stored.id,
        name: stored.name,
        media_type: media_type.mime().into(),
        size,
        sha256: stored.sha256,
        uploaded_at: iso(stored.uploaded_at),
    })
}

/// 413: a file over 10 MB, of `size` bytes (or more).
pub fn too_large(size: usize) -> ApiError {
    ApiError::localized(
        StatusCode::PAYLOAD_TOO_LARGE,
        "payload_too_large",
        "api-file-too-large",
        &[],
    )
    .with_field("file")
    .with_value(format!("{size} bytes"))
    .with_allowed("at most 10 MB (10485760 bytes)")
}

/// An evidence file's bytes, its type and display name.
pub async fn evidence_file(
    state: &Shared,
    viewer: &Viewer,
    id: i64,
    evidence: i64,
) -> Res<(MediaType, String, bytes::Bytes)> {
    let application = load(state, viewer, id).await?;
    let file = state
        .store()?
        .evidence(application.id)
        .await
        .map_err(ApiError::from)?
        .into_iter()
        .find(|file| file.id == evidence)
        .ok_or_else(|| ApiError::not_found("evidence", &evidence.to_string(), Vec::new()))?;
    let bytes = state
        .cases()?
        .blobs
        .get(&file.sha256)
        .await
        .map_err(ApiError::from)?;
    Ok((file.media_type, file.name, bytes))
}

/// Removes evidence file `evidence` from the applicant's editable
/// application: it no longer counts against their storage, and the
/// removal is audited.
pub async fn remove_evidence(state: &Shared, viewer: &Viewer, id: i64, evidence: i64) -> Res<()> {
    let application = load(state, viewer, id).await?;
    owner_may(viewer, &application)?;
    if !application.state.editable() {
        return Err(not_now(application.state, "api-not-now-changed").into());
    }
    let not_found = || ApiError::not_found("evidence", &evidence.to_string(), Vec::new());
    match state
        .store()?
        .remove_evidence(id, evidence, viewer.user.id, now_ms())
        .await
    {
        Ok(()) => Ok(()),
        Err(zige_store::StoreError::NotFound) => Err(not_found().into()),
        Err(e) => Err(ApiError::from(e).into()),
    }
}

/// Submits (or resubmits) a complete application with evidence; answers
/// it with its evidence, read for the check, so its view needs no second read.
pub async fn submit(state: &Shared, viewer: &Viewer, id: i64) -> Res<(Application, Vec<Evidence>)> {
    let application = load(state, viewer, id).await?;
    owner_may(viewer, &application)?;
    crate::cases::accounts::email::check_verified(state, &viewer.user)?;
    let evidence = state.store()?.evidence(id).await.map_err(ApiError::from)?;
    if application.state.editable() {
        let form: ApplicationForm = serde_json::from_str(&application.form).unwrap_or_default();
        let today = Timestamp(now_ms()).date();
        let mut errors = match form.complete(state.current().catalog, today) {
            Ok(_) => Vec::new(),
            Err(e) => ApiError::from_inputs(e),
        };
        if evidence.is_empty() {
            errors.push(evidence_missing());
        }
        if !errors.is_empty() {
            return Err(ApiErrors(errors));
        }
    }
    let (submitted, _) =
        change(state, viewer, &application, Action::Submit, "", None, None).await?;
    Ok((submitted, evidence))
}

/// The applicant withdraws their application, with an optional reason.
pub async fn withdraw(state: &Shared, viewer: &Viewer, id: i64, reason: &str) -> Res<Application> {
    let application = load(state, viewer, id).await?;
    owner_may(viewer, &application)?;
    // Checked as given: a form feed is refused even where trimming would
    // have removed it.
    check_text("reason", reason, text::MAX_NOTE, Lines::Many).map_err(ApiError::from_input)?;
    let reason = reason.trim();
    Ok(change(
        state,
        viewer,
        &application,
        Action::Withdraw,
        reason,
        None,
        None,
    )
    .await?
    .0)
}

/// Deletes a draft (only drafts can be).
pub async fn delete_draft(state: &Shared, viewer: &Viewer, id: i64) -> Res<()> {
    let application = load(state, viewer, id).await?;
    owner_may(viewer, &application)?;
    if application.state != State::Draft {
        return Err(not_now(application.state, "api-not-now-deleted").into());
    }
    // The evidence files stay until the sweep finds no record refers to
    // them: another application may hold the same content.
    state
        .store()?
        .delete_draft(id, viewer.user.id, now_ms())
        .await
        .map_err(ApiError::from)?;
    Ok(())
}

/// Reads a case. A reviewer's reading is audited (`case.view`) but changes
/// nothing: only [`crate::cases::review::start_review`] and
/// [`crate::cases::decisions::decide`] move a case.
pub async fn read_case(state: &Shared, viewer: &Viewer, id: i64) -> Res<Application> {
    let application = load(state, viewer, id).await?;
    if viewer.user.role.reviews() && application.applicant_id != viewer.user.id {
        state
            .store()?
            .record_view(id, viewer.user.id, now_ms())
            .await
            .map_err(ApiError::from)?;
    }
    Ok(application)
}
