//! Catalogue editions through the API and the pages, and what both
//! share: a modified Beijing text and the overlay section its new entry
//! needs.

use zige_catalog::import::Row;
use zige_catalog::{parse, BUILTIN};

mod api;
mod pages;

/// Beijing `version`: Connecticut teachers (G50) dropped, CAIA added, G7 renamed.
fn beijing_next(version: &str) -> String {
    let mut p = parse(BUILTIN[0].text.as_bytes()).unwrap();
    p.title = format!("北京市境外职业资格认可目录（{version}版）");
    p.sections[1].rows.remove(49);
    p.sections[1].rows[6].name = "CFA特许金融分析师证书（特许资格）".into();
    p.sections[1].rows.push(Row {
        line: 0,
        seq: 0,
        name: "CAIA另类投资分析师".into(),
        issuer: "另类投资分析师协会 CAIA Association".into(),
        region: "美国".into(),
        field: "金融".into(),
        remark: "从事金融相关工作。".into(),
        cells: vec![],
    });
    p.to_text()
}

/// The overlay of the CAIA entry, after its `[entries.CODE]` header.
const CAIA_OVERLAY: &str = r#"
id = "caia-association-caia"
name_en = "Chartered Alternative Investment Analyst (CAIA)"
aliases = ["CAIA"]
scope_en = "Finance"
issuers = [{ zh = "另类投资分析师协会", en = "CAIA Association" }]
"#;

/// The built-in text with its declared total made unreadable.
fn unreadable_text() -> String {
    BUILTIN[0].text.replacen("（共计122项）", "（共计X项）", 1)
}
