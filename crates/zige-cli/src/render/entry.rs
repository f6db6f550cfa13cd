//! The text `zige show` prints for one entry: its two names, one labelled
//! line per fact, then the official remark.

use zige_catalog::{Catalog, Entry, Lang, Levels};

use super::by_language;

/// Lines of `label: value`, the labels padded to one column.
struct Sheet {
    text: String,
    lang: Lang,
}

impl Sheet {
    /// Adds `label: value` (label in Chinese, English), unless the value is empty.
    fn line(&mut self, label: (&str, &str), value: String) {
        if !value.is_empty() {
            self.text += &format!(
                "{:<14} {value}\n",
                format!("{}:", by_language(self.lang, label.0, label.1))
            );
        }
    }
}

/// The whole text of `entry` of `catalog`.
pub(crate) fn render(catalog: &Catalog, entry: &Entry, lang: Lang) -> String {
    let (first, second) = match lang {
        Lang::Zh => (entry.name.shown(Lang::Zh), &*entry.name.en),
        Lang::En => (&*entry.name.en, entry.name.shown(Lang::Zh)),
    };
    let list_name = catalog
        .list(&entry.list)
        .map(|l| l.name.get(lang).to_string())
        .unwrap_or_default();
    let mut sheet = Sheet {
        text: format!("{}  {first}\n    {second}\n\n", entry.code),
        lang,
    };
    sheet.line(
        ("目录", "Catalogue"),
        format!("{} · {} · {}", catalog.title.get(lang), list_name, entry.id),
    );
    if entry.name.has_display_zh() {
        sheet.line(("官方名称", "Official name"), entry.name.zh.clone());
    }
    sheet.line(
        ("别名", "Also known as"),
        entry.all_aliases().cloned().collect::<Vec<_>>().join(", "),
    );
    sheet.line(("颁发机构", "Issued by"), issuers(entry, lang));
    sheet.line(("国家（地区）", "Region"), regions(entry, lang));
    sheet.line(("领域", "Fields"), fields(entry, lang));
    sheet.line(
        ("从业范围", "Scope of work"),
        entry.scope.get(lang).to_string(),
    );
    sheet.line(("对应职称", "Title"), title(entry, lang));
    sheet.line(("工作经验", "Experience"), experience(entry, lang));
    if let Some(levels) = &entry.levels {
        sheet.line(("等级", "Levels"), levels_text(levels, lang));
    }
    for x in &entry.obligations {
        sheet.line(("义务", "Obligation"), x.text.get(lang).to_string());
    }
    for x in &entry.exemptions {
        sheet.line(("免考", "Exemption"), x.text.get(lang).to_string());
    }
    for x in &entry.waivers {
        sheet.line(("特别规定", "Waiver"), x.text.get(lang).to_string());
    }
    for x in &entry.notes {
        sheet.line(("说明", "Note"), x.get(lang).to_string());
    }
    sheet.text += &format!(
        "\n{}\n  {}\n",
        by_language(lang, "备注原文：", "Remark (official text, translated):"),
        entry.remark.get(lang)
    );
    sheet.text
}

fn issuers(entry: &Entry, lang: Lang) -> String {
    entry
        .issuers
        .iter()
        .map(|i| match &i.abbr {
            Some(a) => format!("{} ({a})", i.name.get(lang)),
            None => i.name.get(lang).to_string(),
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn regions(entry: &Entry, lang: Lang) -> String {
    if entry.regions.is_empty() {
        by_language(lang, "国际组织", "international body").to_string()
    } else {
        entry
            .regions
            .iter()
            .map(|r| r.name.get(lang))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

fn fields(entry: &Entry, lang: Lang) -> String {
    entry
        .fields
        .iter()
        .map(|f| f.name.get(lang))
        .collect::<Vec<_>>()
        .join(by_language(lang, "、", ", "))
}

fn title(entry: &Entry, lang: Lang) -> String {
    match entry.title {
        Some(x) => match lang {
            Lang::Zh => format!(
                "{}（需符合相应职称系列的学历、年限等基本条件）",
                x.name().zh
            ),
            Lang::En => format!(
                "{} (subject to the education and years conditions of the title series)",
                x.name().en
            ),
        },
        None => by_language(lang, "无", "none").to_string(),
    }
}

fn experience(entry: &Entry, lang: Lang) -> String {
    match &entry.experience {
        Some(x) => x
            .text
            .get(lang)
            .trim_matches(|c| c == '（' || c == '）')
            .to_string(),
        None => by_language(lang, "目录未作要求", "not required by the catalogue").to_string(),
    }
}

/// The level codes in order, the lowest recognised, and those not recognised.
fn levels_text(levels: &Levels, lang: Lang) -> String {
    let codes = levels
        .codes
        .iter()
        .map(|c| format!("{} ({})", c.code, c.label.get(lang)))
        .collect::<Vec<_>>();
    let text = match (&levels.minimum, lang) {
        (Some(m), Lang::Zh) => format!("{}；最低认可 {m}", codes.join(" < ")),
        (Some(m), Lang::En) => format!("{}; recognised from {m}", codes.join(" < ")),
        (None, Lang::Zh) => format!("认可：{}", codes.join("、")),
        (None, Lang::En) => format!("recognised: {}", codes.join(", ")),
    };
    let not = levels
        .not_recognised
        .iter()
        .map(|c| c.code.clone())
        .collect::<Vec<_>>();
    if not.is_empty() {
        text
    } else {
        format!(
            "{text}{}{}",
            by_language(lang, "；不认可：", "; not recognised: "),
            not.join(", ")
        )
    }
}
