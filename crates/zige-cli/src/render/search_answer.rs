//! The text `zige search` prints: the search's message, a table of the
//! hits that match, a table of the related ones, and the suggestions.

use zige_catalog::Lang;
use zige_search::{Hit, SearchResult};

use super::{by_language, table};

/// The message (if any), the matching hits as a table (if any), the
/// related ones under a heading, then one line per suggestion.
pub(crate) fn render(result: &SearchResult, lang: Lang) -> String {
    let mut out = String::new();
    if let Some(message) = &result.message {
        out += &format!("{}\n", message.get(lang));
    }
    let (related, matches): (Vec<&Hit>, Vec<&Hit>) = result.hits.iter().partition(|h| h.related);
    if !matches.is_empty() {
        out += &hits_table(&matches, lang);
    }
    if !related.is_empty() {
        out += by_language(
            lang,
            "相关资格（与最佳结果同一领域，部分匹配）：\n",
            "Related qualifications (same field as the best match, matching part of the query):\n",
        );
        out += &hits_table(&related, lang);
    }
    for suggestion in &result.suggestions {
        out += &format!(
            "{} {suggestion}\n",
            by_language(lang, "您是不是要找：", "Did you mean:")
        );
    }
    out
}

/// Code, name and the name in the other language (the Chinese display
/// name, which tells entries apart).
fn hits_table(hits: &[&Hit], lang: Lang) -> String {
    let rows: Vec<Vec<String>> = hits
        .iter()
        .map(|h| {
            let (first, second) = match lang {
                Lang::Zh => (&h.display.zh, &h.display.en),
                Lang::En => (&h.display.en, &h.display.zh),
            };
            vec![h.code.clone(), first.clone(), second.clone()]
        })
        .collect();
    let header = match lang {
        Lang::Zh => ["编号", "名称", "英文名称"],
        Lang::En => ["code", "name", "Chinese name"],
    };
    table::render(&header, &rows, 56)
}
