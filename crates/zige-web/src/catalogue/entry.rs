//! The entry page: one qualification, what it can bring a holder grouped
//! by who gets it, the documents that rests on, the ways to check and to
//! apply, and its history.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use zige_catalog::{Catalog, Entry};

use super::guidance::{entry_sources, experience, offers, Cited, Group, Offer};
use super::pages::{shown_edition, EditionNote};
use crate::editions::history::{history_rows, HistoryRow};
use crate::render::{enc, not_found, render_html, respond_html, Page, Public};
use crate::state::Shared;

#[derive(Template)]
#[template(path = "catalogue/entry.html")]
struct EntryPage<'a> {
    page: Page,
    edition: Option<EditionNote>,
    /// The edition shown is the one in force (the check answers from it).
    in_force: bool,
    catalog_query: String,
    catalog_param: String,
    entry: &'a Entry,
    catalog: &'a Catalog,
    list_name: String,
    /// The experience the entry asks for, as a sentence.
    experience: Option<String>,
    benefits: Vec<Group<Offer>>,
    sources: Vec<Cited>,
    /// `/apply?entry=<id>`.
    apply: String,
    history: Vec<HistoryRow>,
}

/// Handles `GET /entries/{id}`: one entry, its benefits and its history.
pub async fn entry(
    State(state): State<Shared>,
    Path(id): Path<String>,
    Public(ctx): Public,
) -> Response {
    let tr = ctx.tr;
    // Anyone not signed in, asking for no other edition, sees the same page
    // of an entry in a language until the editions change.
    let shared = ctx.viewer.is_none() && ctx.query.keys().all(|k| k == "lang");
    let (current, known) = state.editions_now();
    let key = (current, format!("{known} {} {id}", tr.lang.code()));
    if let Some(html) = shared.then(|| state.entry_pages.get(&key)).flatten() {
        return respond_html(html, &ctx, StatusCode::OK);
    }
    let shown = match shown_edition(&state, &ctx) {
        Ok(x) => x,
        Err(r) => return r,
    };
    let cat = shown.edition.catalog;
    let Some(e) = cat.find(&id) else {
        return not_found(&state, &ctx);
    };
    let list_name = cat
        .list(&e.list)
        .map(|l| tr.pick(&l.name))
        .unwrap_or_default();
    let name = e.name.shown(tr.lang);
    let title = format!("{name} · {}", e.code);
    let page = EntryPage {
        page: ctx.page(&state, title, "browse").showing(cat),
        edition: shown.note,
        catalog_query: shown.catalog_query,
        catalog_param: shown.catalog_param,
        history: history_rows(&tr, &state, &e.id),
        in_force: std::ptr::eq(shown.edition, state.current()),
        entry: e,
        catalog: cat,
        list_name,
        experience: experience(&tr, e),
        benefits: offers(&tr, state.policy, e),
        sources: entry_sources(&tr, state.policy, e),
        apply: format!("/apply?entry={}", enc(&e.id)),
    };
    let html = match render_html(&page) {
        Ok(html) => axum::body::Bytes::from(html),
        Err(response) => return response,
    };
    if shared {
        state.entry_pages.put(key, html.clone());
    }
    respond_html(html, &ctx, StatusCode::OK)
}
