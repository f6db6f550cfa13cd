//! The text `zige search` prints: the search's message, a table of hits
//! and the suggestions.

use zige_catalog::Lang;
use zige_search::SearchResult;

use super::{by_language, table};

/// The message (if any), the hits as a table (if any), then one line per
/// suggestion.
pub(crate) fn render(result: &SearchResult, lang: Lang) -> String {
    let mut out = String::new();
    if let Some(message) = &result.message {
        out += &format!("{}\n", message.get(lang));
    }
    if !result.hits.is_empty() {
        let rows: Vec<Vec<String>> = result
            .hits
            .iter()
            .map(|h| {
                let (first, second) = match lang {
                    Lang::Zh => (&h.name.zh, &h.name.en),
                    Lang::En => (&h.name.en, &h.name.zh),
                };
                vec![h.code.clone(), first.clone(), second.clone()]
            })
            .collect();
        let header = match lang {
            Lang::Zh => ["编号", "名称", "英文名称"],
            Lang::En => ["code", "name", "Chinese name"],
        };
        out += &table::render(&header, &rows, 56);
    }
    for suggestion in &result.suggestions {
        out += &format!(
            "{} {suggestion}\n",
            by_language(lang, "您是不是要找：", "Did you mean:")
        );
    }
    out
}
