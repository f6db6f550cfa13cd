//! What the check adds to each row, in the reader's language: the entry
//! found, the verdict, the title, the benefits, those withheld, the
//! conditions unmet and what would settle the rest.

use zige_catalog::Lang;
use zige_rules::decide::field_en;
use zige_rules::profile::field_zh;
use zige_rules::{Decision, Item, Text};

/// The added columns' headers.
pub fn headers(lang: Lang) -> Vec<String> {
    let (zh, en): (&[&str], &[&str]) = (
        &[
            "对应目录条目",
            "结论",
            "职称",
            "可享受的服务",
            "不能享受的服务及原因",
            "未满足的条件",
            "尚需补充的信息",
        ],
        &[
            "Entry found",
            "Verdict",
            "Professional title",
            "Benefits",
            "Not granted, and why",
            "Conditions not met",
            "Still needed to decide",
        ],
    );
    let names = if lang == Lang::Zh { zh } else { en };
    names.iter().map(|s| s.to_string()).collect()
}

/// The added cells of one person, in the order of [`headers`].
pub fn answers(decision: &Decision, lang: Lang) -> Vec<String> {
    let pick = |t: &Text| -> String {
        if lang == Lang::Zh {
            t.zh.to_string()
        } else {
            t.en.to_string()
        }
    };
    let entry = format!("{} {}", decision.entry.code, pick(&decision.entry.name));
    let withheld: Vec<Text> = decision
        .withheld
        .iter()
        .map(|w| w.message.clone())
        .collect();
    vec![
        entry,
        pick(&verdict(decision)),
        pick(&title(decision)),
        joined(&items(&decision.benefits), lang),
        joined(&withheld, lang),
        joined(&items(&decision.unmet), lang),
        missing(decision, lang),
    ]
}

fn verdict(d: &Decision) -> Text {
    match d.recognized {
        Some(true) => Text::new("很可能予以认可", "Likely to be recognised"),
        Some(false) => Text::new("很可能不予认可", "Not likely to be recognised"),
        None => Text::new(
            "暂时无法判断，需要补充信息",
            "Cannot be decided yet: more information needed",
        ),
    }
}

fn title(d: &Decision) -> Text {
    let Some(t) = &d.title else {
        return Text::new("不对应职称", "No title correspondence");
    };
    let name = t.level.name();
    let (zh, en) = match t.basic_conditions_met {
        Some(true) => ("符合基本条件", "basic conditions met"),
        Some(false) => ("不符合基本条件", "basic conditions not met"),
        None => ("基本条件尚无法判断", "basic conditions not yet known"),
    };
    Text::new(
        format!("{}，{zh}", name.zh),
        format!("{}; {en}", upper_first(&name.en)),
    )
}

fn items(list: &[Item]) -> Vec<Text> {
    list.iter().map(|i| i.message.clone()).collect()
}

/// Several statements in one cell, separated as the language writes them.
fn joined(texts: &[Text], lang: Lang) -> String {
    let parts: Vec<&str> = texts
        .iter()
        .map(|t| if lang == Lang::Zh { &*t.zh } else { &*t.en })
        .collect();
    parts.join(if lang == Lang::Zh { "；" } else { "; " })
}

fn missing(d: &Decision, lang: Lang) -> String {
    let names: Vec<String> = d
        .missing
        .iter()
        .map(|f| match lang {
            Lang::Zh => format!("{}（{f}）", field_zh(f)),
            Lang::En => format!("{} ({f})", field_en(f)),
        })
        .collect();
    names.join(if lang == Lang::Zh { "、" } else { "; " })
}

fn upper_first(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}
