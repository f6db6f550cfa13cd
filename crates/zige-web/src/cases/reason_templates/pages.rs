//! The admin's pages of reason templates: the list by outcome, a form to
//! add or change one (every problem listed at once, what was typed kept),
//! and a confirmation before one is deleted.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use zige_cases::decision::Outcome;

use super::{ReasonsText, TemplateRequest, TemplateView, TitleText};
use crate::cases::accounts::sessions::Viewer;
use crate::cases::field_errors::FieldErrors;
use crate::error::ApiErrors;
use crate::extract::PageId;
use crate::i18n::Tr;
use crate::render::{
    fail, forbidden, notice, render, status_of, Admin, ConfirmPage, Ctx, Params, Posted, Problem,
};
use crate::state::Shared;

/// The outcomes in the order the pages list them.
pub const OUTCOMES: [Outcome; 3] = [
    Outcome::Rejected,
    Outcome::MoreInformation,
    Outcome::Approved,
];

/// An outcome's name as a group of templates is headed.
pub fn outcome_name(t: &Tr, outcome: &str) -> String {
    t.msg(&format!("rt-outcome-{outcome}"))
}

// ---------- the list ----------

#[derive(Template)]
#[template(path = "cases/reason_templates/list.html")]
struct ListPage {
    page: crate::render::Page,
    tab: &'static str,
    notice: Option<String>,
    /// Per outcome: its name and its templates.
    groups: Vec<(String, Vec<TemplateView>)>,
}

/// Handles `GET /admin/reasons`.
pub async fn list(State(state): State<Shared>, Admin { ctx, viewer }: Admin) -> Response {
    let mut all = match super::list(&state, &viewer).await {
        Ok(all) => all,
        Err(errors) => return fail(&state, &ctx, errors),
    };
    let t = ctx.tr;
    let groups = OUTCOMES
        .iter()
        .map(|outcome| {
            let code = outcome.code();
            let (mine, rest): (Vec<_>, Vec<_>) = std::mem::take(&mut all)
                .into_iter()
                .partition(|v| v.outcome == code);
            all = rest;
            (outcome_name(&t, code), mine)
        })
        .collect();
    let page = ListPage {
        page: ctx.page(&state, t.msg("rt-title"), "admin"),
        tab: "reasons",
        notice: notice(&t, &ctx.query),
        groups,
    };
    render(&page, &ctx, StatusCode::OK)
}

// ---------- adding and changing ----------

#[derive(Template)]
#[template(path = "cases/reason_templates/form.html")]
struct FormPage {
    page: crate::render::Page,
    csrf: String,
    heading: String,
    action: String,
    button: String,
    /// What the form shows: as typed, or as kept.
    typed: TemplateRequest,
    /// The version the form was read at (changes only).
    version: Option<i64>,
    outcomes: Vec<(&'static str, String)>,
    problems: Vec<Problem>,
    errors: FieldErrors,
    conflict: Option<String>,
}

impl FormPage {
    fn error(&self, control: &str) -> Option<String> {
        self.errors.get(control)
    }
}

/// The form, `typed` in it, for adding (`id` none) or changing template `id`.
fn form_page(
    state: &Shared,
    ctx: &Ctx,
    viewer: &Viewer,
    id: Option<i64>,
    typed: TemplateRequest,
    errors: ApiErrors,
) -> Response {
    let t = ctx.tr;
    let status = if errors.0.is_empty() {
        StatusCode::OK
    } else {
        status_of(&errors)
    };
    let conflict = match status {
        StatusCode::CONFLICT => Some(t.msg("rt-conflict")),
        StatusCode::NOT_FOUND => Some(t.msg("rt-gone")),
        _ => None,
    };
    let mut shown = if conflict.is_some() {
        FieldErrors::default()
    } else {
        FieldErrors::of(&t, &errors.0)
    };
    let (heading, action, button) = match id {
        None => ("rt-add-title", "/admin/reasons/new".to_string(), "rt-add"),
        Some(id) => ("rt-change-title", format!("/admin/reasons/{id}"), "rt-save"),
    };
    let page = FormPage {
        page: ctx.page(state, t.msg(heading), "admin"),
        csrf: viewer.csrf.clone(),
        heading: t.msg(heading),
        action,
        button: t.msg(button),
        version: typed.version,
        typed,
        outcomes: OUTCOMES
            .iter()
            .map(|o| (o.code(), outcome_name(&t, o.code())))
            .collect(),
        problems: std::mem::take(&mut shown.summary),
        errors: shown,
        conflict,
    };
    render(&page, ctx, status)
}

/// What the form posted, as a request.
fn typed(form: &Params) -> TemplateRequest {
    let field = |key: &str| form.get(key).cloned().unwrap_or_default();
    TemplateRequest {
        outcome: field("outcome"),
        title: TitleText {
            zh: field("title_zh"),
            en: field("title_en"),
        },
        text: ReasonsText {
            zh: field("text_zh"),
            en: field("text_en"),
        },
        version: form.get("version").and_then(|v| v.trim().parse().ok()),
    }
}

/// Handles `GET /admin/reasons/new`.
pub async fn new_form(State(state): State<Shared>, Admin { ctx, viewer }: Admin) -> Response {
    let errors = ApiErrors(Vec::new());
    form_page(
        &state,
        &ctx,
        &viewer,
        None,
        TemplateRequest::default(),
        errors,
    )
}

/// Handles `POST /admin/reasons/new`.
pub async fn add(State(state): State<Shared>, Posted { ctx, form, viewer }: Posted) -> Response {
    let request = typed(&form);
    match super::add(&state, &viewer, &request).await {
        Ok(_) => Redirect::to("/admin/reasons?done=template-added").into_response(),
        Err(errors) if status_of(&errors) == StatusCode::BAD_REQUEST => {
            form_page(&state, &ctx, &viewer, None, request, errors)
        }
        Err(errors) => fail(&state, &ctx, errors),
    }
}

/// Handles `GET /admin/reasons/{id}`.
pub async fn change_form(
    State(state): State<Shared>,
    PageId(id): PageId,
    Admin { ctx, viewer }: Admin,
) -> Response {
    let kept = match super::one(&state, &viewer, id).await {
        Ok(kept) => kept,
        Err(errors) => return fail(&state, &ctx, errors),
    };
    let request = TemplateRequest {
        outcome: kept.outcome,
        title: TitleText {
            zh: kept.title.zh,
            en: kept.title.en,
        },
        text: ReasonsText {
            zh: kept.text.zh,
            en: kept.text.en,
        },
        version: Some(kept.version),
    };
    form_page(
        &state,
        &ctx,
        &viewer,
        Some(id),
        request,
        ApiErrors(Vec::new()),
    )
}

/// Handles `POST /admin/reasons/{id}`: saved, or the form again with what
/// was typed. When another admin changed the template meanwhile, the form
/// says so and takes the current version: saving again replaces theirs;
/// when another admin deleted it, the form offers to add it again.
pub async fn change(
    State(state): State<Shared>,
    PageId(id): PageId,
    Posted { ctx, form, viewer }: Posted,
) -> Response {
    let mut request = typed(&form);
    let errors = match super::change(&state, &viewer, id, &request).await {
        Ok(_) => return Redirect::to("/admin/reasons?done=template-saved").into_response(),
        Err(errors) => errors,
    };
    match status_of(&errors) {
        StatusCode::BAD_REQUEST => {}
        StatusCode::CONFLICT => match super::one(&state, &viewer, id).await {
            Ok(current) => request.version = Some(current.version),
            Err(errors) => return fail(&state, &ctx, errors),
        },
        // Deleted by another admin meanwhile: the form adds it again.
        StatusCode::NOT_FOUND => {
            request.version = None;
            return form_page(&state, &ctx, &viewer, None, request, errors);
        }
        _ => return fail(&state, &ctx, errors),
    }
    form_page(&state, &ctx, &viewer, Some(id), request, errors)
}

// ---------- deleting ----------

/// Handles `GET /admin/reasons/{id}/delete`: what is about to go, and
/// Delete / Cancel.
pub async fn confirm_delete(
    State(state): State<Shared>,
    PageId(id): PageId,
    Admin { ctx, viewer }: Admin,
) -> Response {
    let kept = match super::one(&state, &viewer, id).await {
        Ok(kept) => kept,
        Err(errors) => return fail(&state, &ctx, errors),
    };
    let t = ctx.tr;
    let heading = t.msg("rt-delete-title");
    let page = ConfirmPage {
        page: ctx.page(&state, heading.clone(), "admin"),
        csrf: viewer.csrf.clone(),
        heading,
        text: t.with("rt-delete-text", &[("title", t.pick(&kept.title))]),
        action: format!("/admin/reasons/{id}/delete"),
        button: t.msg("rt-delete"),
        cancel: "/admin/reasons".into(),
        with_reason: false,
    };
    render(&page, &ctx, StatusCode::OK)
}

/// Handles `POST /admin/reasons/{id}/delete`.
pub async fn delete(
    State(state): State<Shared>,
    PageId(id): PageId,
    Posted { ctx, viewer, .. }: Posted,
) -> Response {
    if !viewer.is(zige_cases::Role::Admin) {
        return forbidden(&state, &ctx);
    }
    match super::delete(&state, &viewer, id).await {
        Ok(()) => Redirect::to("/admin/reasons?done=template-deleted").into_response(),
        Err(errors) => fail(&state, &ctx, errors),
    }
}
