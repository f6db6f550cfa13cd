//! Review: the queue of waiting cases and starting a case's review.
//! [`api`] and [`pages`] are the two faces of these operations.

pub mod api;
pub mod assignment;
pub mod notes;
pub mod pages;
pub mod rule_names;

use std::collections::HashMap;

use serde::Serialize;
use zige_cases::{Action, ApplicationForm, State};
use zige_catalog::Bilingual;
use zige_store::{Application, QueueFilter, QueueItem};

use crate::cases::accounts::sessions::Viewer;
use crate::cases::applications::load;
use crate::cases::transitions::{change, not_own};
use crate::cases::{catalog_of, iso, now_ms, Res};
use crate::error::{ApiError, ApiErrors};
use crate::state::Shared;

/// Cases per page of the queue.
pub const QUEUE_PAGE: i64 = 50;

const DAY_MS: i64 = 86_400_000;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct QueueView {
    pub total: i64,
    pub items: Vec<QueueRow>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct QueueRow {
    pub id: i64,
    pub state: String,
    pub state_label: Bilingual,
    pub entry_code: Option<String>,
    pub entry_name: Option<Bilingual>,
    pub list: Option<String>,
    pub holder_name: Option<String>,
    pub applicant_email: String,
    pub submitted_at: Option<String>,
    /// Whole days since submission.
    pub waiting_days: i64,
    /// The reviewer the case is assigned to.
    pub assignee_email: Option<String>,
}

/// The queue's filters as given, checked; every invalid one is named.
struct Filters {
    state: Option<State>,
    entry: Option<String>,
    list: Option<String>,
    waiting_days: Option<i64>,
    assigned: Assigned,
    page: i64,
}

/// The queue's `assigned` filter.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Assigned {
    Anyone,
    Mine,
    Nobody,
}

impl Filters {
    fn parse(state: &Shared, params: &HashMap<String, String>) -> Result<Filters, ApiErrors> {
        let get = |key: &str| {
            params
                .get(key)
                .map(|text| text.trim())
                .filter(|text| !text.is_empty())
        };
        let mut errors = Vec::new();
        let stage = get("state").and_then(|text| {
            State::parse(text)
                .map_err(|e| errors.push(ApiError::from_input(e)))
                .ok()
        });
        if stage.is_some_and(|stage| !stage.in_queue()) {
            errors.push(ApiError::invalid(
                "state",
                get("state").unwrap_or(""),
                "submitted, under_review, resubmitted",
            ));
        }
        let edition = state.current();
        let entry = get("entry").and_then(|text| match edition.catalog.find(text) {
            Some(entry) => Some(entry.code.clone()),
            None => {
                errors.push(ApiError::not_found("entry", text, Vec::new()));
                None
            }
        });
        let list = get("list").and_then(|text| match text.to_ascii_lowercase().as_str() {
            "urgent" | "u" => Some("urgent".to_string()),
            "general" | "g" => Some("general".to_string()),
            _ => {
                errors.push(ApiError::invalid("list", text, "urgent, general"));
                None
            }
        });
        let mut number = |key: &str, max: i64| match get(key) {
            None => None,
            Some(text) => match text.parse::<i64>() {
                Ok(number) if (0..=max).contains(&number) => Some(number),
                _ => {
                    errors.push(ApiError::invalid(
                        key,
                        text,
                        &format!("a whole number 0–{max}"),
                    ));
                    None
                }
            },
        };
        let waiting_days = number("waiting_days", 3650);
        let page = number("page", 100_000).unwrap_or(1).max(1);
        let assigned = match get("assigned") {
            None => Assigned::Anyone,
            Some("mine") => Assigned::Mine,
            Some("nobody") => Assigned::Nobody,
            Some(other) => {
                errors.push(ApiError::invalid("assigned", other, "mine, nobody"));
                Assigned::Anyone
            }
        };
        if !errors.is_empty() {
            return Err(ApiErrors(errors));
        }
        Ok(Filters {
            state: stage,
            entry,
            list,
            waiting_days,
            assigned,
            page,
        })
    }
}

/// A waiting case as the queue lists it.
fn queue_row(state: &Shared, item: QueueItem, now: i64) -> QueueRow {
    let application = item.application;
    let form: ApplicationForm = serde_json::from_str(&application.form).unwrap_or_default();
    let name = application
        .entry_code
        .as_deref()
        .and_then(|code| catalog_of(state, &application.catalog).find(code))
        .map(|entry| entry.name.shown_both());
    QueueRow {
        id: application.id,
        state: application.state.code().into(),
        state_label: application.state.label(),
        entry_code: application.entry_code,
        entry_name: name,
        list: application.entry_list,
        holder_name: form.holder_name,
        applicant_email: item.applicant_email,
        waiting_days: application
            .submitted_at
            .map(|submitted| (now - submitted) / DAY_MS)
            .unwrap_or(0),
        submitted_at: application.submitted_at.map(iso),
        assignee_email: item.assignee_email,
    }
}

/// The queue: `state`, `entry` (code), `list` (urgent/general), `waiting_days`
/// (at least), `page` (from 1), [`QUEUE_PAGE`] per page.
pub async fn queue(
    state: &Shared,
    viewer: &Viewer,
    params: &HashMap<String, String>,
) -> Res<QueueView> {
    viewer.require(viewer.user.role.reviews())?;
    let filters = Filters::parse(state, params)?;
    let now = now_ms();
    let filter = QueueFilter {
        state: filters.state,
        entry_code: filters.entry,
        list: filters.list,
        submitted_before: filters.waiting_days.map(|days| now - days * DAY_MS),
        viewer: Some(viewer.user.id),
        assigned_to: (filters.assigned == Assigned::Mine).then_some(viewer.user.id),
        unassigned: filters.assigned == Assigned::Nobody,
        limit: QUEUE_PAGE,
        offset: (filters.page - 1) * QUEUE_PAGE,
    };
    let (total, items) = state
        .store()?
        .queue(&filter)
        .await
        .map_err(ApiError::from)?;
    let items = items
        .into_iter()
        .map(|item| queue_row(state, item, now))
        .collect();
    Ok(QueueView { total, items })
}

/// A reviewer starts the review of a waiting case (`submitted` or
/// `resubmitted` → `under_review`), if nobody changed it since `version`
/// (when given). Audited as `application.open`.
pub async fn start_review(
    state: &Shared,
    viewer: &Viewer,
    id: i64,
    version: Option<i64>,
) -> Res<Application> {
    viewer.require(viewer.user.role.reviews())?;
    let application = load(state, viewer, id).await?;
    not_own(viewer, &application, Action::Open)?;
    Ok(
        change(state, viewer, &application, Action::Open, "", version, None)
            .await?
            .0,
    )
}
