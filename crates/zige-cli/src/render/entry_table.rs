//! The table `zige list` prints: one row per entry (code, name, issuer,
//! region, title) and a line counting them.

use zige_catalog::{Catalog, Entry, Lang};

use super::{by_language, table};

/// The table of `entries` of `catalog`, and the count under it.
pub(crate) fn render(catalog: &Catalog, entries: &[&Entry], lang: Lang) -> String {
    let rows: Vec<Vec<String>> = entries.iter().map(|e| row(e, lang)).collect();
    let header = match lang {
        Lang::Zh => ["编号", "名称", "颁发机构", "国家（地区）", "对应职称"],
        Lang::En => ["code", "name", "issuer", "region", "title"],
    };
    let count = match lang {
        Lang::Zh => format!("共{}项 · {}", entries.len(), catalog.title.zh),
        Lang::En => format!("{} entries · {}", entries.len(), catalog.title.en),
    };
    format!("{}{count}\n", table::render(&header, &rows, 48))
}

fn row(e: &Entry, lang: Lang) -> Vec<String> {
    let name = e.name.shown(lang).to_string();
    let issuer = e
        .issuers
        .iter()
        .map(|i| {
            i.abbr
                .clone()
                .unwrap_or_else(|| i.name.get(lang).to_string())
        })
        .collect::<Vec<_>>()
        .join("; ");
    let region = if e.regions.is_empty() {
        by_language(lang, "国际", "international").to_string()
    } else {
        e.regions
            .iter()
            .map(|r| r.name.get(lang))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let title = e
        .title
        .map(|x| x.name().get(lang).to_string())
        .unwrap_or_else(|| "—".into());
    vec![e.code.clone(), name, issuer, region, title]
}
