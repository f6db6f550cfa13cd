//! The start page of the application journey (`/apply`): who it is for,
//! what to have ready (with the real file limits), how long it takes,
//! then "Start now", which creates a draft, with the qualification
//! already chosen when the page was reached from an entry.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde_json::json;
use zige_cases::Role;
use zige_catalog::Entry;

use crate::cases::applications;
use crate::render::{enc, fail, render, Page, Posted, Public};
use crate::state::Shared;

/// How the visitor can go on from the start page.
#[derive(PartialEq, Eq)]
pub enum Next {
    Start,
    SignIn,
    Staff,
}

#[derive(Template)]
#[template(path = "cases/applications/start.html")]
struct StartPage {
    page: Page,
    csrf: String,
    next: Next,
    /// The entry carried through, its code (for the form) and its label.
    entry: Option<(String, String)>,
    files: String,
    /// Where to come back to after signing in or registering.
    back: String,
}

/// The entry `?entry=` names (its id or code), in the edition in force.
fn chosen<'a>(state: &'a Shared, asked: Option<&String>) -> Option<&'a Entry> {
    let asked = asked?.trim();
    (!asked.is_empty())
        .then(|| state.current().catalog.find(asked))
        .flatten()
}

/// Handles `GET /apply`.
pub async fn start(State(state): State<Shared>, Public(ctx): Public) -> Response {
    let t = ctx.tr;
    let next = match &ctx.viewer {
        None => Next::SignIn,
        Some(viewer) if viewer.is(Role::Applicant) => Next::Start,
        Some(_) => Next::Staff,
    };
    let entry = chosen(&state, ctx.query.get("entry")).map(|entry| {
        let name = entry.name.shown(t.lang);
        let label = format!("{} · {name}", entry.code);
        (entry.code.clone(), label)
    });
    let limits = state
        .store()
        .map(|store| store.limits())
        .unwrap_or_default();
    let mb = |bytes: i64| (bytes / (1024 * 1024)).to_string();
    let files = t.with(
        "apply-need-files",
        &[
            ("size", mb(zige_cases::MAX_EVIDENCE_BYTES as i64)),
            ("files", limits.evidence_per_application.to_string()),
            ("total", mb(limits.storage_bytes_per_account)),
        ],
    );
    let page = StartPage {
        page: ctx.page(&state, t.msg("apply-title"), "my"),
        csrf: ctx.csrf(),
        next,
        entry,
        files,
        back: enc(&ctx.back()),
    };
    render(&page, &ctx, StatusCode::OK)
}

/// Handles `POST /apply`: a new draft, with the entry posted chosen.
pub async fn apply(State(state): State<Shared>, Posted { ctx, viewer, form }: Posted) -> Response {
    let entry = chosen(&state, form.get("entry"));
    let draft = match entry {
        Some(entry) => json!({"profile": {"entry": entry.code}}),
        None => serde_json::Value::Null,
    };
    match applications::create(&state, &viewer, draft).await {
        Ok(draft) => Redirect::to(&format!("/applications/{}", draft.id)).into_response(),
        Err(errors) => fail(&state, &ctx, errors),
    }
}
