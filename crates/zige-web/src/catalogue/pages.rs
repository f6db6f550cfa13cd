//! The catalogue's pages: home and search, browsing by facets, an entry,
//! the eligibility check and the open-data page; home and check also hold
//! the box to paste a CV into (`text_search`). Server-rendered from
//! compile-time-checked templates (askama); they work without JavaScript,
//! and a little script adds results as you type.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use zige_catalog::{Catalog, Entry};
use zige_search::{Facets, Filters, Hit, SearchResult};

use crate::catalogue::paging::{asked_page, clamp_page, Pager, PER_PAGE};
use crate::catalogue::text_search::pages::TextBox;
use crate::editions::changes::{edition_rows, EditionRow};
use crate::i18n::Tr;
use crate::render::{asked_well, enc, fail, render, sorted_pairs, Ctx, Page, Public};
use crate::state::{today, Edition, Shared};

// The entry page and the check live in their own files.
pub use super::check::check;
pub use super::entry::entry;

/// The entries of a catalogue for a datalist: code, and code with name.
pub fn entry_options(tr: &Tr, cat: &Catalog) -> Vec<(String, String)> {
    cat.entries
        .iter()
        .map(|e| {
            let name = e.name.shown(tr.lang);
            (e.code.clone(), format!("{} {name}", e.code))
        })
        .collect()
}

/// Which edition a catalogue page says it shows, and the way back to the
/// one in force.
pub struct EditionNote {
    pub text: String,
    pub back: String,
}

/// The edition a catalogue page shows: the one named by `?catalog=`, or
/// the one in force. `catalog_query` and `catalog_param` carry the choice
/// into links (`?catalog=…`, `&catalog=…`).
pub(crate) struct Shown {
    pub(crate) edition: &'static Edition,
    pub(crate) note: Option<EditionNote>,
    pub(crate) id: String,
    pub(crate) catalog_query: String,
    pub(crate) catalog_param: String,
}

/// The edition the page shows, or the error page for an unknown one.
pub(crate) fn shown_edition(state: &Shared, ctx: &Ctx) -> Result<Shown, Response> {
    let Some(id) = ctx
        .query
        .get("catalog")
        .map(|x| x.trim())
        .filter(|x| !x.is_empty())
    else {
        return Ok(Shown {
            edition: state.current(),
            note: None,
            id: String::new(),
            catalog_query: String::new(),
            catalog_param: String::new(),
        });
    };
    let edition = state
        .edition(Some(id))
        .map_err(|e| fail(state, ctx, e.into()))?;
    let id = edition.catalog.id.to_string();
    Ok(Shown {
        edition,
        note: Some(edition_note(state, ctx, edition)),
        catalog_query: format!("?catalog={}", enc(&id)),
        catalog_param: format!("&catalog={}", enc(&id)),
        id,
    })
}

/// What the page says of the edition it shows (in force, announced or
/// replaced), with the way back to the one in force.
fn edition_note(state: &Shared, ctx: &Ctx, edition: &Edition) -> EditionNote {
    let id = edition.catalog.id.to_string();
    let current = state
        .in_force(&edition.catalog.id.jurisdiction, &today())
        .map(|f| f.catalog.id.to_string())
        .unwrap_or_default();
    let key = if current == id {
        "edition-shown-in-force"
    } else if edition.effective_from > today() {
        "edition-shown-upcoming"
    } else {
        "edition-shown-past"
    };
    let args = [
        ("id", id),
        ("date", edition.effective_from.clone()),
        ("current", current),
    ];
    let query = sorted_pairs(&ctx.query, &["catalog", "lang"]);
    let back = match (query.is_empty(), ctx.path.starts_with("/entries/")) {
        // An entry of another edition may not be in the one in force.
        (_, true) => "/browse".to_string(),
        (true, false) => ctx.path.clone(),
        (false, false) => format!("{}?{}", ctx.path, query.join("&")),
    };
    EditionNote {
        text: ctx.tr.with(key, &args),
        back,
    }
}

/// A row of an entry list.
pub struct Row<'a> {
    pub entry: &'a Entry,
    pub issuer: String,
    pub region: String,
    pub title: String,
}

fn rows<'a>(tr: &Tr, entries: impl Iterator<Item = &'a Entry>) -> Vec<Row<'a>> {
    entries
        .map(|e| Row {
            entry: e,
            issuer: e
                .issuers
                .iter()
                .map(|i| tr.pick(&i.name))
                .collect::<Vec<_>>()
                .join("; "),
            region: if e.regions.is_empty() {
                tr.msg("international")
            } else {
                e.regions
                    .iter()
                    .map(|r| tr.pick(&r.name))
                    .collect::<Vec<_>>()
                    .join(", ")
            },
            title: e
                .title
                .map(|x| tr.pick(x.name()))
                .unwrap_or_else(|| tr.msg("title-none")),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "catalogue/home.html")]
struct Home<'a> {
    page: Page,
    edition: Option<EditionNote>,
    catalog: String,
    catalog_query: String,
    catalog_param: String,
    query: String,
    result: Option<SearchResult>,
    /// The hits of this page that match the query, and the related ones.
    matches: Vec<Hit>,
    related: Vec<Hit>,
    pager: Option<Pager>,
    urgent: Vec<Row<'a>>,
    fields: Vec<(String, String, usize)>,
    total: usize,
    /// The box to paste a CV into.
    text_box: TextBox,
}

/// Handles `GET /` and `GET /search`: the search box, results for `?q=`,
/// the urgent list and the fields.
pub async fn home(State(state): State<Shared>, Public(ctx): Public) -> Response {
    let tr = ctx.tr;
    let shown = match shown_edition(&state, &ctx) {
        Ok(x) => x,
        Err(r) => return r,
    };
    let ed = shown.edition;
    let cat = ed.catalog;
    let query = ctx.query.get("q").cloned().unwrap_or_default();
    let (result, pager) = match query.trim().is_empty() {
        true => (None, None),
        false => {
            let (result, pager) = search_page(ed, &tr, &ctx, &shown.catalog_param, &query);
            (Some(result), pager)
        }
    };
    let (related, matches): (Vec<Hit>, Vec<Hit>) = result
        .iter()
        .flat_map(|r| r.hits.iter().cloned())
        .partition(|h| h.related);
    let facets = zige_search::facets(cat, &Filters::default());
    let fields = facets
        .field
        .iter()
        .map(|f| (f.value.clone(), tr.pick(&f.label), f.count))
        .collect();
    let title = if query.is_empty() {
        tr.msg("home-title")
    } else {
        format!("{query} · {}", tr.msg("nav-home"))
    };
    let page = Home {
        page: ctx.page(&state, title, "home").showing(cat),
        edition: shown.note,
        catalog: shown.id,
        catalog_query: shown.catalog_query,
        catalog_param: shown.catalog_param,
        query,
        result,
        matches,
        related,
        pager,
        urgent: rows(&tr, cat.entries_of("urgent")),
        fields,
        total: cat.entries.len(),
        text_box: TextBox::empty(&tr),
    };
    render(&page, &ctx, StatusCode::OK)
}

/// The page of results `?page=` asks for (the last one when it asks for
/// more), and the pager around it.
fn search_page(
    ed: &Edition,
    tr: &Tr,
    ctx: &Ctx,
    catalog_param: &str,
    query: &str,
) -> (SearchResult, Option<Pager>) {
    let page = asked_page(ctx.query.get("page"));
    let mut result =
        ed.searcher
            .search_page(query, &Filters::default(), (page - 1) * PER_PAGE, PER_PAGE);
    let page = clamp_page(page, result.total);
    if result.hits.is_empty() && result.total > 0 {
        result =
            ed.searcher
                .search_page(query, &Filters::default(), (page - 1) * PER_PAGE, PER_PAGE);
    }
    let base = format!("/search?q={}{catalog_param}", enc(query));
    let pager = Pager::new(tr, &base, page, result.total);
    (result, pager)
}

#[derive(Template)]
#[template(path = "catalogue/browse.html")]
struct Browse<'a> {
    page: Page,
    edition: Option<EditionNote>,
    catalog: String,
    catalog_query: String,
    facets: Facets,
    rows: Vec<Row<'a>>,
    active: Vec<(String, String)>,
    error: Option<String>,
}

impl Browse<'_> {
    /// The browse link with one facet value toggled.
    fn toggle(&self, key: &str, value: &str) -> String {
        let mut params: Vec<(String, String)> = self
            .active
            .iter()
            .filter(|(k, _)| k != key)
            .cloned()
            .collect();
        if !self
            .active
            .iter()
            .any(|(k, v)| k == key && v.eq_ignore_ascii_case(value))
        {
            params.push((key.into(), value.into()));
        }
        if !self.catalog.is_empty() {
            params.push(("catalog".into(), self.catalog.clone()));
        }
        params.sort();
        format!(
            "/browse?{}",
            params
                .iter()
                .map(|(k, v)| format!("{k}={}", enc(v)))
                .collect::<Vec<_>>()
                .join("&")
        )
    }
}

/// Handles `GET /browse`: every entry, filtered by facets.
pub async fn browse(State(state): State<Shared>, Public(ctx): Public) -> Response {
    let tr = ctx.tr;
    let shown = match shown_edition(&state, &ctx) {
        Ok(x) => x,
        Err(r) => return r,
    };
    let cat = shown.edition.catalog;
    let (filters, error) = match crate::catalogue::filters(&ctx.query) {
        Ok(f) => (f, None),
        Err(e) => (
            Filters::default(),
            Some(if tr.is_zh() { e.message.zh } else { e.detail }),
        ),
    };
    let active: Vec<(String, String)> = ["list", "field", "region", "title", "experience"]
        .iter()
        .filter_map(|k| {
            ctx.query
                .get(*k)
                .filter(|v| !v.is_empty())
                .map(|v| (k.to_string(), v.clone()))
        })
        .collect();
    let page = Browse {
        page: ctx
            .page(&state, tr.msg("browse-title"), "browse")
            .showing(cat),
        edition: shown.note,
        catalog: shown.id,
        catalog_query: shown.catalog_query,
        facets: zige_search::facets(cat, &filters),
        rows: rows(&tr, cat.entries.iter().filter(|e| filters.accepts(cat, e))),
        active: if error.is_some() { Vec::new() } else { active },
        error,
    };
    render(&page, &ctx, asked_well(&page.error))
}

#[derive(Template)]
#[template(path = "catalogue/data.html")]
struct Data {
    page: Page,
    editions: Vec<EditionRow>,
    endpoints: Vec<crate::ops::openapi::Operation>,
}

/// Handles `GET /data`: the editions as open data, and the API's endpoints.
pub async fn data(State(state): State<Shared>, Public(ctx): Public) -> Response {
    let tr = ctx.tr;
    let endpoints = crate::ops::openapi::operations(&tr);
    let page = Data {
        page: ctx.page(&state, tr.msg("data-title"), "data"),
        editions: edition_rows(&tr, &state),
        endpoints,
    };
    render(&page, &ctx, StatusCode::OK)
}
