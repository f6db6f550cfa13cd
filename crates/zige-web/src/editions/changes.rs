//! The public changes page (`/changes`): the published editions, and what
//! one changed against another. Also the editions as the data page lists
//! them.

use askama::Template;
use axum::extract::State;
use axum::response::Response;

use crate::editions::diff_view::{diff_view, DiffView};
use crate::i18n::Tr;
use crate::render::{asked_well, render, said, Page, Public};
use crate::state::{today, Edition, Shared};

/// Whether a published edition answers today, will from its date, or
/// did: its words and its badge's class.
pub fn edition_state(tr: &Tr, state: &Shared, ed: &Edition) -> (String, &'static str) {
    let j = &ed.catalog.id.jurisdiction;
    if state
        .in_force(j, &today())
        .is_some_and(|f| std::ptr::eq(f, ed))
    {
        (tr.msg("ed-in-force"), "s-approved")
    } else if ed.effective_from > today() {
        (
            tr.with("ed-from", &[("date", ed.effective_from.clone())]),
            "s-more_information",
        )
    } else {
        (tr.msg("ed-replaced"), "")
    }
}

/// A published edition as the changes and data pages list it.
pub struct EditionRow {
    pub id: String,
    pub title: String,
    pub effective: String,
    pub state: String,
    pub state_class: &'static str,
}

pub fn edition_rows(tr: &Tr, state: &Shared) -> Vec<EditionRow> {
    let mut eds = state.published();
    eds.sort_by(|a, b| {
        (&a.catalog.id.jurisdiction, &a.effective_from)
            .cmp(&(&b.catalog.id.jurisdiction, &b.effective_from))
    });
    eds.into_iter()
        .map(|ed| {
            let (words, class) = edition_state(tr, state, ed);
            EditionRow {
                id: ed.catalog.id.to_string(),
                title: tr.pick(&ed.catalog.title),
                effective: ed.effective_from.clone(),
                state: words,
                state_class: class,
            }
        })
        .collect()
}

#[derive(Template)]
#[template(path = "editions/changes.html")]
struct Changes {
    page: Page,
    editions: Vec<EditionRow>,
    from: String,
    to: String,
    heading: String,
    diff: Option<DiffView>,
    error: Option<String>,
}

/// What the changes page compares unless told: the edition in force with
/// the one announced to replace it, or else with the one it replaced.
fn default_pair(state: &Shared) -> Option<(&'static Edition, &'static Edition)> {
    let cur = state.current();
    let same: Vec<&'static Edition> = state
        .published()
        .into_iter()
        .filter(|e| e.catalog.id.jurisdiction == cur.catalog.id.jurisdiction)
        .collect();
    let upcoming = same
        .iter()
        .filter(|e| e.effective_from > today())
        .min_by(|a, b| a.effective_from.cmp(&b.effective_from));
    if let Some(next) = upcoming {
        return Some((cur, next));
    }
    let before = same
        .iter()
        .filter(|e| e.effective_from < cur.effective_from)
        .max_by(|a, b| a.effective_from.cmp(&b.effective_from))?;
    Some((before, cur))
}

/// Handles `GET /changes`: what one edition changed against another
/// (`?from=` and `?to=`, by default the edition in force and its neighbour).
pub async fn changes(State(state): State<Shared>, Public(ctx): Public) -> Response {
    let tr = ctx.tr;
    let pick = |k: &str| ctx.query.get(k).map(|x| x.trim()).filter(|x| !x.is_empty());
    let mut error = None;
    let pair = match (pick("from"), pick("to")) {
        (Some(a), Some(b)) => match (state.edition(Some(a)), state.edition(Some(b))) {
            (Ok(a), Ok(b)) => Some((a, b)),
            (Err(e), _) | (_, Err(e)) => {
                error = Some(said(&tr, &e));
                default_pair(&state)
            }
        },
        _ => default_pair(&state),
    };
    let (from, to) = pair
        .map(|(a, b)| (a.catalog.id.to_string(), b.catalog.id.to_string()))
        .unwrap_or_default();
    let page = Changes {
        page: ctx.page(&state, tr.msg("changes-title"), "changes"),
        editions: edition_rows(&tr, &state),
        heading: tr.with(
            "changes-heading",
            &[("from", from.clone()), ("to", to.clone())],
        ),
        diff: pair.map(|(a, b)| diff_view(&tr, &state.diff(a, b), true)),
        from,
        to,
        error,
    };
    render(&page, &ctx, asked_well(&page.error))
}
