//! The text `zige search --text` prints: one paragraph per qualification
//! found, with the words that name it, whether the text says it is held,
//! and the check to run with what the text gives.

use zige_catalog::Lang;
use zige_search::text::{TextAnswer, TextHit};

use super::by_language;

pub(crate) fn render(answer: &TextAnswer, lang: Lang) -> String {
    if answer.hits.is_empty() {
        return by_language(
            lang,
            "文本中没有找到目录所列的职业资格。\n",
            "The text names no qualification of the catalogue.\n",
        )
        .to_string();
    }
    answer.hits.iter().map(|h| paragraph(h, lang)).collect()
}

fn paragraph(h: &TextHit, lang: Lang) -> String {
    let name = by_language(lang, &h.name.zh, &h.name.en);
    let passage: String = h.passage.split_whitespace().collect::<Vec<_>>().join(" ");
    let held = match (h.holds, lang) {
        (true, Lang::Zh) => "持有",
        (true, _) => "held",
        (false, Lang::Zh) => "提及，但未说明已持有",
        (false, _) => "mentioned, not said to be held",
    };
    let mut check = format!("zige check --entry {}", h.code);
    if let Some(level) = &h.level {
        check += &format!(" --level {level}");
    }
    if let Some(years) = h.experience_years {
        check += &format!(" --experience-years {years}");
    }
    format!(
        "{}  {name}\n  {} “{passage}” ({} {}–{})\n  {}: {held} · {}: {:.2}\n  {check}\n\n",
        h.code,
        by_language(lang, "原文", "Text"),
        by_language(lang, "字符", "characters"),
        h.start,
        h.end,
        by_language(lang, "状态", "Status"),
        by_language(lang, "可信度", "Confidence"),
        h.confidence,
    )
}
