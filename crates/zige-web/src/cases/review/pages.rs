//! The pages of review: the queue of waiting cases with its filters, the
//! case page a reviewer reads and decides on, and starting a review.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use zige_cases::{ApplicationForm, State as Stage};
use zige_store::Application;

use super::{QueueRow, QUEUE_PAGE};
use crate::cases::accounts::sessions::Viewer;
use crate::cases::accounts::UserView;
use crate::cases::applications::display::{
    entry_label, evidence_rows, timeline, EventRow, EvidenceRow,
};
use crate::cases::applications::form::particulars;
use crate::cases::applications::precheck::{verdict, Verdict};
use crate::cases::applications::{self, ApplicationView};
use crate::cases::field_errors::FieldErrors;
use crate::cases::reason_templates::{
    self,
    pages::{outcome_name, OUTCOMES},
};
use crate::cases::review::rule_names::rule_name;
use crate::cases::{catalog_of, review};
use crate::error::ApiError;
use crate::extract::PageId;
use crate::i18n::Tr;
use crate::local_time::Clock;
use crate::render::{
    enc, fail, forbidden, notice, render, said, status_of, Ctx, Page, Params, Posted, Problem,
};
use crate::state::Shared;

// ---------- the queue ----------

pub struct QueueLine {
    pub id: i64,
    pub holder: String,
    pub entry: String,
    pub list: String,
    pub state: String,
    pub state_label: String,
    pub submitted: String,
    pub waiting: String,
    pub email: String,
    pub assignee: String,
}

#[derive(Template)]
#[template(path = "cases/review/queue.html")]
struct QueuePage {
    page: Page,
    filters: Params,
    problems: Vec<Problem>,
    rows: Vec<QueueLine>,
    shown: String,
    prev: Option<String>,
    next: Option<String>,
}

impl QueuePage {
    /// The value of filter `key` as given (empty when not).
    fn filter(&self, key: &str) -> &str {
        self.filters.get(key).map(String::as_str).unwrap_or("")
    }
}

/// A waiting case as the queue page lists it.
fn queue_line(t: &Tr, clock: &Clock, row: QueueRow) -> QueueLine {
    QueueLine {
        id: row.id,
        holder: row.holder_name.unwrap_or_default(),
        entry: match (&row.entry_code, &row.entry_name) {
            (Some(code), Some(name)) => format!("{code} · {}", t.pick(name)),
            (Some(code), None) => code.clone(),
            _ => "—".into(),
        },
        list: match row.list.as_deref() {
            Some("urgent") => t.msg("rev-list-urgent"),
            Some("general") => t.msg("rev-list-general"),
            Some(other) => other.to_string(),
            None => "—".into(),
        },
        state: row.state,
        state_label: t.pick(&row.state_label),
        submitted: row
            .submitted_at
            .as_deref()
            .map(|at| clock.when(at))
            .unwrap_or_default(),
        waiting: t.count("rev-days", row.waiting_days.max(0) as usize),
        email: row.applicant_email,
        assignee: row.assignee_email.unwrap_or_default(),
    }
}

/// The queue's address at page `number`, with the same filters.
fn page_link(filters: &Params, number: i64) -> String {
    let mut params: Vec<(String, String)> = filters
        .iter()
        .filter(|(key, _)| *key != "page")
        .map(|(key, value)| (key.clone(), value.clone()))
        .collect();
    params.push(("page".into(), number.to_string()));
    params.sort();
    let query: Vec<String> = params
        .iter()
        .map(|(key, value)| format!("{}={}", enc(key), enc(value)))
        .collect();
    format!("/review?{}", query.join("&"))
}

/// Handles `GET /review`.
pub async fn queue(State(state): State<Shared>, ctx: Ctx) -> Response {
    let Some(viewer) = &ctx.viewer else {
        return ctx.login();
    };
    if !viewer.user.role.reviews() {
        return forbidden(&state, &ctx);
    }
    let t = ctx.tr;
    let filters: Params = ["state", "entry", "list", "waiting_days", "assigned", "page"]
        .iter()
        .filter_map(|key| {
            ctx.query
                .get(*key)
                .map(|value| value.trim().to_string())
                .filter(|value| !value.is_empty())
                .map(|value| (key.to_string(), value))
        })
        .collect();
    let page_number = filters
        .get("page")
        .and_then(|page| page.parse::<i64>().ok())
        .unwrap_or(1)
        .clamp(1, 100_000);
    let (status, problems, total, items) = match review::queue(&state, viewer, &filters).await {
        Ok(view) => (StatusCode::OK, Vec::new(), view.total, view.items),
        Err(errors)
            if status_of(&errors).is_client_error()
                && status_of(&errors) != StatusCode::FORBIDDEN =>
        {
            let shown = FieldErrors::of(&t, &errors.0);
            (StatusCode::BAD_REQUEST, shown.summary, 0, Vec::new())
        }
        Err(errors) => return fail(&state, &ctx, errors),
    };
    let rows: Vec<QueueLine> = items
        .into_iter()
        .map(|row| queue_line(&t, &ctx.clock, row))
        .collect();
    let first = (page_number - 1) * QUEUE_PAGE;
    let shown = if rows.is_empty() {
        String::new()
    } else {
        t.with(
            "rev-shown",
            &[
                ("from", (first + 1).to_string()),
                ("to", (first + rows.len() as i64).to_string()),
                ("total", total.to_string()),
            ],
        )
    };
    let page = QueuePage {
        page: ctx.page(&state, t.msg("rev-title"), "review"),
        prev: (page_number > 1).then(|| page_link(&filters, page_number - 1)),
        next: (first + (rows.len() as i64) < total).then(|| page_link(&filters, page_number + 1)),
        filters,
        problems,
        rows,
        shown,
    };
    render(&page, &ctx, status)
}

// ---------- the case page ----------

#[derive(Template)]
#[template(path = "cases/review/case.html")]
struct CasePage {
    page: Page,
    application: ApplicationView,
    csrf: String,
    holder: String,
    entry: String,
    state_label: String,
    applicant: String,
    submitted: Option<String>,
    can_decide: bool,
    /// Waiting and not yet taken up: the "Start review" button shows.
    can_start: bool,
    notice: Option<String>,
    conflict: Option<String>,
    problems: Vec<Problem>,
    outcome_error: Option<String>,
    reasons_error: Option<String>,
    outcome: String,
    reasons: String,
    summary: Vec<(String, String)>,
    evidence: Vec<EvidenceRow>,
    events: Vec<EventRow>,
    verdict: Option<Verdict>,
    policy: &'static zige_rules::Policy,
    /// How to check the certificate is genuine: what to do, and where.
    verify: Vec<(String, Option<String>)>,
    assignment: Assignment,
    /// The notes written: who, when, what.
    notes: Vec<(String, String, String)>,
    /// The note being written, and its error.
    note: String,
    note_error: Option<String>,
    /// The reason templates to pick from, by outcome: its name, and each
    /// template's number and title.
    templates: Vec<(String, Vec<(i64, String)>)>,
    template_error: Option<String>,
}

/// Who has the case, and what the viewer may do about it.
#[derive(Default)]
pub struct Assignment {
    /// The assignee's name and address; empty when nobody.
    pub assignee: String,
    /// The viewer may take the case (it waits and is free).
    pub can_take: bool,
    /// The viewer may give the case back (it is theirs, or they are an admin).
    pub can_release: bool,
    /// For admins: every reviewer the case may go to, `(id, label)`.
    pub reviewers: Vec<(i64, String)>,
}

impl CasePage {
    fn picked(&self, outcome: &str) -> bool {
        self.outcome == outcome
    }

    /// A rule code of the trace as words in the page's language.
    fn rule_name(&self, rule: &str) -> String {
        rule_name(&self.page.tr, self.policy, rule)
    }
}

/// How to show the case page after an action.
#[derive(Default)]
pub struct CaseShown {
    pub status: Option<StatusCode>,
    pub errors: Vec<ApiError>,
    pub conflict: Option<ApiError>,
    /// The outcome and reasons the reviewer gave (kept when refused).
    pub outcome: String,
    pub reasons: String,
    /// The note the reviewer was writing (kept when refused).
    pub note: String,
    /// What just happened, when the page says so itself.
    pub notice: Option<String>,
}

/// The case page of `stored` for a reviewer.
pub async fn case_page(
    state: &Shared,
    ctx: &Ctx,
    viewer: &Viewer,
    stored: Application,
    shown: CaseShown,
) -> Response {
    // A reviewer's own application: they see it as its applicant does.
    if stored.applicant_id == viewer.user.id {
        return Redirect::to(&format!("/applications/{}", stored.id)).into_response();
    }
    let application = match applications::view(state, viewer, &stored).await {
        Ok(application) => application,
        Err(errors) => return fail(state, ctx, errors),
    };
    let t = ctx.tr;
    let errors = FieldErrors::of(&t, &shown.errors);
    let title = t.with("case-title", &[("id", application.id.to_string())]);
    let started = (ctx.query.get("done").map(String::as_str) == Some("started"))
        .then(|| t.msg("rev-started"));
    let page = CasePage {
        page: ctx.page_at(
            state,
            title,
            "review",
            &format!("/review/{}", application.id),
        ),
        csrf: viewer.csrf.clone(),
        holder: application.form.holder_name.clone().unwrap_or_default(),
        entry: entry_label(&t, application.entry.as_ref()),
        state_label: t.pick(&application.state_label),
        applicant: application
            .applicant
            .as_ref()
            .map(|user| format!("{} <{}>", user.name, user.email))
            .unwrap_or_default(),
        submitted: application
            .submitted_at
            .as_deref()
            .map(|at| ctx.clock.when(at)),
        can_decide: stored.state.in_queue(),
        can_start: matches!(stored.state, Stage::Submitted | Stage::Resubmitted),
        notice: shown.notice.or(notice(&t, &ctx.query)).or(started),
        conflict: shown.conflict.as_ref().map(|error| said(&t, error)),
        outcome_error: errors.get("outcome"),
        note_error: errors.get("note"),
        notes: application
            .notes
            .iter()
            .map(|n| {
                let by = format!("{} <{}>", n.author_name, n.author_email);
                (by, ctx.clock.when(&n.created_at), n.note.clone())
            })
            .collect(),
        note: shown.note,
        templates: match stored.state.in_queue() {
            true => match template_choices(state, viewer, &t).await {
                Ok(choices) => choices,
                Err(errors) => return fail(state, ctx, errors),
            },
            false => Vec::new(),
        },
        template_error: errors.get("template"),
        reasons_error: errors.get("reasons"),
        problems: errors.summary,
        outcome: shown.outcome,
        reasons: shown.reasons,
        summary: particulars(&t, &application),
        evidence: evidence_rows(&ctx.clock, &application),
        events: timeline(&t, &ctx.clock, &application),
        policy: state.policy,
        verify: verification(state, &t, &stored.catalog, &application.form),
        assignment: match assignment(state, viewer, &stored, application.assignee.as_ref()).await {
            Ok(a) => a,
            Err(errors) => return fail(state, ctx, errors),
        },
        verdict: application
            .precheck
            .as_ref()
            .map(|decision| verdict(&t, decision)),
        application,
    };
    render(&page, ctx, shown.status.unwrap_or(StatusCode::OK))
}

/// Who has the case (`assignee`, as the case's view already holds it),
/// and the viewer's choices about it.
async fn assignment(
    state: &Shared,
    viewer: &Viewer,
    stored: &Application,
    assignee: Option<&UserView>,
) -> Result<Assignment, crate::error::ApiErrors> {
    let store = state.store()?;
    let waiting = stored.state.in_queue();
    let admin = viewer.user.role == zige_cases::Role::Admin;
    let reviewers = if admin && waiting {
        let all = store.reviewers().await.map_err(ApiError::from)?;
        all.into_iter()
            .filter(|u| u.id != stored.applicant_id)
            .map(|u| (u.id, format!("{} <{}>", u.name, u.email)))
            .collect()
    } else {
        Vec::new()
    };
    let mine = stored.assigned_to == Some(viewer.user.id);
    Ok(Assignment {
        assignee: assignee
            .map(|u| format!("{} <{}>", u.name, u.email))
            .unwrap_or_default(),
        can_take: waiting && stored.assigned_to.is_none(),
        can_release: waiting && stored.assigned_to.is_some() && (mine || admin),
        reviewers,
    })
}

/// The reason templates a reviewer may pick, by outcome, titled in the
/// page's language; outcomes without templates are left out.
async fn template_choices(
    state: &Shared,
    viewer: &Viewer,
    t: &Tr,
) -> Result<Vec<(String, Vec<(i64, String)>)>, crate::error::ApiErrors> {
    let all = reason_templates::list(state, viewer).await?;
    Ok(OUTCOMES
        .iter()
        .map(|outcome| {
            let mine = all.iter().filter(|v| v.outcome == outcome.code());
            let mine = mine.map(|v| (v.id, t.pick(&v.title))).collect();
            (outcome_name(t, outcome.code()), mine)
        })
        .filter(|(_, mine): &(String, Vec<_>)| !mine.is_empty())
        .collect())
}

/// The overlay's guidance on verifying a certificate of the entry the
/// form names, in the page's language.
fn verification(
    state: &Shared,
    tr: &Tr,
    catalog: &str,
    form: &ApplicationForm,
) -> Vec<(String, Option<String>)> {
    form.profile
        .get("entry")
        .and_then(serde_json::Value::as_str)
        .and_then(|entry| catalog_of(state, catalog).find(entry))
        .map(|entry| {
            entry
                .verify
                .iter()
                .map(|v| (tr.pick(&v.how), v.url.clone()))
                .collect()
        })
        .unwrap_or_default()
}

/// Handles `GET /review/{id}`.
pub async fn case(State(state): State<Shared>, PageId(id): PageId, ctx: Ctx) -> Response {
    let Some(viewer) = &ctx.viewer else {
        return ctx.login();
    };
    if !viewer.user.role.reviews() {
        return forbidden(&state, &ctx);
    }
    match applications::read_case(&state, viewer, id).await {
        Ok(stored) => case_page(&state, &ctx, viewer, stored, CaseShown::default()).await,
        Err(errors) => fail(&state, &ctx, errors),
    }
}

/// Handles `GET /review/{id}/start` and `GET /review/{id}/decision`: the
/// forms are on the case page.
pub async fn back_to_case(Path(id): Path<String>) -> Redirect {
    Redirect::to(&format!("/review/{}", enc(&id)))
}

/// Handles `POST /review/{id}/start`: the case is now under review, by
/// this reviewer.
pub async fn start_review(
    State(state): State<Shared>,
    PageId(id): PageId,
    Posted {
        ctx,
        form,
        ref viewer,
    }: Posted,
) -> Response {
    if !viewer.user.role.reviews() {
        return forbidden(&state, &ctx);
    }
    let version = form
        .get("version")
        .and_then(|text| text.trim().parse::<i64>().ok());
    let errors = match review::start_review(&state, viewer, id, version).await {
        Ok(_) => return Redirect::to(&format!("/review/{id}?done=started#decide")).into_response(),
        Err(errors) => errors,
    };
    refused(&state, &ctx, viewer, id, errors).await
}

/// A refused action on case `id`: a conflict shows the case as it is now
/// (someone else acted first), anything else the error page.
async fn refused(
    state: &Shared,
    ctx: &Ctx,
    viewer: &Viewer,
    id: i64,
    errors: crate::error::ApiErrors,
) -> Response {
    let status = status_of(&errors);
    if status != StatusCode::CONFLICT {
        return fail(state, ctx, errors);
    }
    let shown = CaseShown {
        status: Some(status),
        conflict: errors.0.into_iter().next(),
        ..CaseShown::default()
    };
    case_again(state, ctx, viewer, id, shown).await
}

/// The case page of `id` as it is now, after a refused action.
async fn case_again(
    state: &Shared,
    ctx: &Ctx,
    viewer: &Viewer,
    id: i64,
    shown: CaseShown,
) -> Response {
    match applications::load(state, viewer, id).await {
        Ok(stored) => case_page(state, ctx, viewer, stored, shown).await,
        Err(errors) => fail(state, ctx, errors),
    }
}

/// Handles `POST /review/{id}/assign`: `reviewer` is `me` (take the
/// case), `nobody` (give it back) or, for admins, a reviewer's id.
pub async fn assign(
    State(state): State<Shared>,
    PageId(id): PageId,
    Posted {
        ctx,
        form,
        ref viewer,
    }: Posted,
) -> Response {
    let to = match form.get("reviewer").map(|v| v.trim()).unwrap_or("") {
        "me" => Some(viewer.user.id),
        "nobody" => None,
        other => match other.parse::<i64>() {
            Ok(reviewer) => Some(reviewer),
            Err(_) => {
                let error = ApiError::invalid("reviewer", other, "me, nobody or a reviewer's id");
                return fail(&state, &ctx, error.into());
            }
        },
    };
    match review::assignment::assign(&state, viewer, id, to).await {
        Ok(_) => Redirect::to(&format!("/review/{id}?done=assigned")).into_response(),
        Err(errors) => refused(&state, &ctx, viewer, id, errors).await,
    }
}

/// Handles `POST /review/{id}/notes`: the note is added, or the case page
/// again with the note kept and its error at the field.
pub async fn add_note(
    State(state): State<Shared>,
    PageId(id): PageId,
    Posted {
        ctx,
        form,
        ref viewer,
    }: Posted,
) -> Response {
    let note = form.get("note").cloned().unwrap_or_default();
    let errors = match review::notes::add(&state, viewer, id, &note).await {
        Ok(_) => return Redirect::to(&format!("/review/{id}?done=noted#notes")).into_response(),
        Err(errors) => errors,
    };
    if status_of(&errors) != StatusCode::BAD_REQUEST {
        return fail(&state, &ctx, errors);
    }
    let shown = CaseShown {
        status: Some(StatusCode::BAD_REQUEST),
        errors: errors.0,
        note,
        ..CaseShown::default()
    };
    case_again(&state, &ctx, viewer, id, shown).await
}
