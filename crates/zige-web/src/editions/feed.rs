//! The Atom feed of published editions (`/changes.atom`), each summarised
//! against the edition it replaces.

use axum::extract::State;
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};

use zige_catalog::diff::EntrySummary;
use zige_catalog::{Bilingual, Lang};

use crate::editions::history::timeline;
use crate::i18n::{both, Tr};
use crate::state::{today, Edition, Shared};

/// Escapes text for XML.
fn xml(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// One entry of the feed: a published edition and what it changed.
struct FeedItem {
    effective: String,
    id: String,
    title: Bilingual,
    summary_en: String,
    summary_zh: String,
    link: String,
}

/// Handles `GET /changes.atom`: one feed entry per published edition,
/// newest first, summarising what it changed against the edition before it.
pub async fn changes_feed(State(state): State<Shared>) -> Response {
    let base = state
        .cases
        .as_ref()
        .map(|c| c.public_url.clone())
        .unwrap_or_default();
    let mut items = Vec::new();
    let mut jurisdictions: Vec<String> = state
        .published()
        .iter()
        .map(|e| e.catalog.id.jurisdiction.clone())
        .collect();
    jurisdictions.sort();
    jurisdictions.dedup();
    for jurisdiction in jurisdictions {
        let editions = timeline(&state, &jurisdiction);
        for (i, edition) in editions.iter().enumerate() {
            let previous = i.checked_sub(1).map(|p| editions[p]);
            items.push(feed_item(&state, &base, previous, edition));
        }
    }
    items.sort_by(|a, b| b.effective.cmp(&a.effective));
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/atom+xml; charset=utf-8"),
        )],
        atom(&base, &items),
    )
        .into_response()
}

/// An edition's entry: against the one it replaces, or (the first) alone.
fn feed_item(
    state: &Shared,
    base: &str,
    previous: Option<&Edition>,
    edition: &Edition,
) -> FeedItem {
    let id = edition.catalog.id.to_string();
    let date = edition.effective_from.clone();
    let ((summary_en, summary_zh), link) = match previous {
        Some(previous) => {
            let diff = state.diff(previous, edition);
            // Each language names the entries as its readers tell them apart.
            let names = |entries: &[EntrySummary], lang: Lang| {
                entries
                    .iter()
                    .map(|e| format!("{} {}", e.code, e.display.get(lang)))
                    .collect::<Vec<_>>()
                    .join("; ")
            };
            let args = |lang: Lang| {
                [
                    ("id", id.clone()),
                    ("previous", previous.catalog.id.to_string()),
                    ("date", date.clone()),
                    ("added", diff.added.len().to_string()),
                    ("added_names", names(&diff.added, lang)),
                    ("removed", diff.removed.len().to_string()),
                    ("removed_names", names(&diff.removed, lang)),
                    ("changed", diff.changed.len().to_string()),
                    ("renumbered", diff.renumbered.to_string()),
                ]
            };
            (
                (
                    Tr { lang: Lang::En }.with("feed-replaces", &args(Lang::En)),
                    Tr { lang: Lang::Zh }.with("feed-replaces", &args(Lang::Zh)),
                ),
                format!("{base}/changes?from={}&to={id}", previous.catalog.id),
            )
        }
        None => {
            let entries = edition.catalog.entries.len().to_string();
            let args = [
                ("id", id.clone()),
                ("entries", entries),
                ("date", date.clone()),
            ];
            (
                both("feed-first", &args),
                format!("{base}/browse?catalog={id}"),
            )
        }
    };
    FeedItem {
        effective: date,
        id,
        title: edition.catalog.title.clone(),
        summary_en,
        summary_zh,
        link,
    }
}

/// The feed's XML, its entries in the order given.
fn atom(base: &str, items: &[FeedItem]) -> String {
    let updated = items
        .first()
        .map(|i| i.effective.clone())
        .unwrap_or_else(today);
    let (title_en, title_zh) = both("feed-title", &[]);
    let base = xml(base);
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
    out += &format!("<title>{title_en} · {title_zh}</title>\n<id>{base}/changes.atom</id>\n<link rel=\"self\" href=\"{base}/changes.atom\"/>\n<link href=\"{base}/changes\"/>\n<updated>{updated}T00:00:00Z</updated>\n<author><name>Zige</name></author>\n");
    for item in items {
        out += &format!(
            "<entry>\n<id>{base}/editions/{}</id>\n<title>{} · {}</title>\n<updated>{}T00:00:00Z</updated>\n<link href=\"{}\"/>\n<summary>{} {}</summary>\n</entry>\n",
            xml(&item.id),
            xml(&item.title.zh),
            xml(&item.title.en),
            item.effective,
            xml(&item.link),
            xml(&item.summary_en),
            xml(&item.summary_zh)
        );
    }
    out += "</feed>\n";
    out
}
