//! Open-data formats of a catalogue. Every function returns bytes; writing
//! them anywhere is the caller's business (no IO here).

use serde_json::{json, Value};
use zige_catalog::{Catalog, Entry};

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("could not write the spreadsheet: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    #[error("could not write CSV: {0}")]
    Csv(String),
}

/// The formats Zige exports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Csv,
    Xlsx,
    JsonLd,
}

impl Format {
    pub const ALL: [&'static str; 4] = ["json", "csv", "xlsx", "jsonld"];

    pub fn parse(text: &str) -> Option<Format> {
        match text.trim().to_ascii_lowercase().as_str() {
            "json" => Some(Format::Json),
            "csv" => Some(Format::Csv),
            "xlsx" => Some(Format::Xlsx),
            "jsonld" | "json-ld" => Some(Format::JsonLd),
            _ => None,
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
            Format::JsonLd => "jsonld",
        }
    }

    pub fn media_type(self) -> &'static str {
        match self {
            Format::Json => "application/json",
            Format::Csv => "text/csv; charset=utf-8",
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Format::JsonLd => "application/ld+json",
        }
    }
}

pub fn export(catalog: &Catalog, format: Format) -> Result<Vec<u8>, ExportError> {
    match format {
        Format::Json => Ok(pretty(&catalog_json(
            catalog,
            &catalog.entries.iter().collect::<Vec<_>>(),
        ))),
        Format::Csv => to_csv(catalog),
        Format::Xlsx => to_xlsx(catalog),
        Format::JsonLd => Ok(pretty(&to_jsonld(catalog))),
    }
}

fn pretty(v: &Value) -> Vec<u8> {
    let mut out = serde_json::to_vec_pretty(v).unwrap_or_default();
    out.push(b'\n');
    out
}

/// The catalogue's metadata, as every JSON output names it.
pub fn catalog_meta(catalog: &Catalog) -> Value {
    json!({
        "id": catalog.id.to_string(),
        "jurisdiction": catalog.id.jurisdiction,
        "version": catalog.id.version,
        "published": catalog.published,
        "title": catalog.title,
        "lists": catalog.lists,
    })
}

/// `{"catalog": …, "entries": […]}`: the shape of `zige list --json`.
pub fn catalog_json(catalog: &Catalog, entries: &[&Entry]) -> Value {
    json!({ "catalog": catalog_meta(catalog), "entries": entries })
}

/// The flat columns shared by CSV and XLSX: (header zh, header en, value).
pub fn columns(entry: &Entry) -> Vec<(&'static str, &'static str, String)> {
    let e = entry;
    vec![
        ("编号", "code", e.code.clone()),
        ("标识", "id", e.id.clone()),
        ("清单", "list", e.list.clone()),
        ("序号", "seq", e.seq.to_string()),
        ("名称", "name_zh", e.name.zh.clone()),
        (
            "中文显示名称",
            "name_zh_display",
            e.name.shown(zige_catalog::Lang::Zh).to_string(),
        ),
        ("英文名称", "name_en", e.name.en.clone()),
        ("别名", "aliases", join(e.all_aliases(), "; ")),
        (
            "颁发机构",
            "issuers_zh",
            join(e.issuers.iter().map(|i| &i.name.zh), "; "),
        ),
        (
            "颁发机构（英文）",
            "issuers_en",
            join(e.issuers.iter().map(|i| &i.name.en), "; "),
        ),
        (
            "国家（地区）",
            "regions_zh",
            join(e.regions.iter().map(|r| &r.name.zh), "; "),
        ),
        (
            "国家（地区，英文）",
            "regions_en",
            join(e.regions.iter().map(|r| &r.name.en), "; "),
        ),
        (
            "地区代码",
            "region_codes",
            join(e.regions.iter().filter_map(|r| r.code.as_ref()), "; "),
        ),
        (
            "领域",
            "fields_zh",
            join(e.fields.iter().map(|f| &f.name.zh), "、"),
        ),
        (
            "领域（英文）",
            "fields_en",
            join(e.fields.iter().map(|f| &f.name.en), "; "),
        ),
        (
            "对应职称",
            "title",
            e.title.map(|t| t.code().to_string()).unwrap_or_default(),
        ),
        (
            "工作经验（年）",
            "experience_years",
            e.experience
                .as_ref()
                .map(|x| x.years.to_string())
                .unwrap_or_default(),
        ),
        ("等级", "levels", levels_cell(e)),
        (
            "义务",
            "obligations",
            join(e.obligations.iter().map(|o| &o.code), "; "),
        ),
        ("从业范围", "scope_zh", e.scope.zh.clone()),
        ("从业范围（英文）", "scope_en", e.scope.en.clone()),
        ("备注", "remark_zh", e.remark.zh.clone()),
        ("备注（英文）", "remark_en", e.remark.en.clone()),
    ]
}

/// Texts joined by `separator`.
fn join<'a>(texts: impl Iterator<Item = &'a String>, separator: &str) -> String {
    texts
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(separator)
}

/// A level table as one cell: `B < A (min B)` for a scale, `X | Y` for variants.
fn levels_cell(entry: &Entry) -> String {
    entry
        .levels
        .as_ref()
        .map(|l| {
            let codes: Vec<&str> = l.codes.iter().map(|c| c.code.as_str()).collect();
            match &l.minimum {
                Some(m) => format!("{} (min {m})", codes.join(" < ")),
                None => codes.join(" | "),
            }
        })
        .unwrap_or_default()
}

/// CSV in UTF-8 with a byte-order mark, so that Excel opens it as UTF-8.
/// The header row gives both languages: `名称 name_zh`.
pub fn to_csv(catalog: &Catalog) -> Result<Vec<u8>, ExportError> {
    let mut out = "\u{feff}".as_bytes().to_vec();
    {
        let mut w = csv::Writer::from_writer(&mut out);
        if let Some(first) = catalog.entries.first() {
            w.write_record(
                columns(first)
                    .iter()
                    .map(|(zh, en, _)| format!("{zh} {en}")),
            )
            .map_err(|e| ExportError::Csv(e.to_string()))?;
        }
        for e in &catalog.entries {
            w.write_record(columns(e).iter().map(|(_, _, v)| v.as_str()))
                .map_err(|e| ExportError::Csv(e.to_string()))?;
        }
        w.flush().map_err(|e| ExportError::Csv(e.to_string()))?;
    }
    Ok(out)
}

/// An XLSX workbook: the entries with Chinese and English columns, and a
/// sheet about the catalogue.
pub fn to_xlsx(catalog: &Catalog) -> Result<Vec<u8>, ExportError> {
    use rust_xlsxwriter::{Format as Fmt, Workbook};
    let mut wb = Workbook::new();
    let head = Fmt::new()
        .set_bold()
        .set_text_wrap()
        .set_background_color(0xDDEBF7);
    let wrap = Fmt::new()
        .set_text_wrap()
        .set_align(rust_xlsxwriter::FormatAlign::Top);
    let sheet = wb.add_worksheet().set_name("目录 Catalogue")?;
    let rows = catalog.entries.len() as u32;
    if let Some(first) = catalog.entries.first() {
        for (col, (zh, en, _)) in columns(first).iter().enumerate() {
            sheet.write_string_with_format(0, col as u16, format!("{zh}\n{en}"), &head)?;
            let width = match *en {
                "name_zh" | "name_zh_display" | "name_en" | "issuers_zh" | "issuers_en"
                | "aliases" => 36.0,
                "scope_zh" | "scope_en" | "remark_zh" | "remark_en" => 60.0,
                _ => 14.0,
            };
            sheet.set_column_width(col as u16, width)?;
        }
        sheet.set_row_height(0, 32)?;
        sheet.set_freeze_panes(1, 0)?;
        sheet.autofilter(0, 0, rows, columns(first).len() as u16 - 1)?;
    }
    for (r, e) in catalog.entries.iter().enumerate() {
        for (col, (_, en, v)) in columns(e).into_iter().enumerate() {
            let row = r as u32 + 1;
            if en == "seq" || en == "experience_years" {
                if let Ok(n) = v.parse::<f64>() {
                    sheet.write_number(row, col as u16, n)?;
                    continue;
                }
            }
            sheet.write_string_with_format(row, col as u16, v, &wrap)?;
        }
    }
    let about = wb.add_worksheet().set_name("说明 About")?;
    let facts = [
        ("目录 Catalogue", format!("{} / {}", catalog.title.zh, catalog.title.en)),
        ("版本 Edition", catalog.id.to_string()),
        ("发布日期 Published", catalog.published.clone()),
        ("条目 Entries", catalog.entries.len().to_string()),
        ("来源 Source", "官方文本原文，英文、中文显示名称及别名来自经审核的对照表 / the official text verbatim; English, Chinese display names and aliases from the reviewed overlay".to_string()),
    ];
    about.set_column_width(0, 22)?;
    about.set_column_width(1, 90)?;
    for (i, (k, v)) in facts.iter().enumerate() {
        about.write_string_with_format(i as u32, 0, *k, &head)?;
        about.write_string(i as u32, 1, v)?;
    }
    Ok(wb.save_to_buffer()?)
}

/// The display name where it differs from the official name, then the aliases.
fn alternate_names(e: &Entry) -> Vec<&String> {
    let display = e.name.has_display_zh().then_some(&e.name.display_zh);
    display.into_iter().chain(e.all_aliases()).collect()
}

/// JSON-LD: each entry as a schema.org EducationalOccupationalCredential.
pub fn to_jsonld(catalog: &Catalog) -> Value {
    let lang = |zh: &str, en: &str| json!([{"@language": "zh-Hans", "@value": zh}, {"@language": "en", "@value": en}]);
    let graph: Vec<Value> = catalog
        .entries
        .iter()
        .map(|e| {
            let mut v = json!({
                "@type": "EducationalOccupationalCredential",
                "@id": format!("urn:zige:{}:{}", catalog.id, e.id),
                "identifier": [e.code, e.id],
                "name": lang(&e.name.zh, &e.name.en),
                "alternateName": alternate_names(e),
                "credentialCategory": lang("境外职业资格", "overseas professional qualification"),
                "publisher": e.issuers.iter().map(|i| json!({"@type": "Organization", "name": lang(&i.name.zh, &i.name.en)})).collect::<Vec<_>>(),
                "about": e.fields.iter().map(|f| json!({"@type": "DefinedTerm", "termCode": f.key, "name": lang(&f.name.zh, &f.name.en)})).collect::<Vec<_>>(),
                "competencyRequired": lang(&e.scope.zh, &e.scope.en),
                "recognizedBy": {"@type": "GovernmentOrganization", "name": lang("北京市人力资源和社会保障局", "Beijing Municipal Human Resources and Social Security Bureau")},
                "validIn": {"@type": "AdministrativeArea", "name": lang("北京市", "Beijing")},
                "description": lang(&e.remark.zh, &e.remark.en),
            });
            if !e.regions.is_empty() {
                v["spatialCoverage"] = json!(e.regions.iter().map(|r| json!({"@type": "Country", "name": lang(&r.name.zh, &r.name.en), "identifier": r.code})).collect::<Vec<_>>());
            }
            if let Some(t) = e.title {
                let n = t.name();
                v["educationalLevel"] = lang(&n.zh, &n.en);
            }
            v
        })
        .collect();
    json!({
        "@context": "https://schema.org",
        "@id": format!("urn:zige:{}", catalog.id),
        "@type": "Dataset",
        "name": lang(&catalog.title.zh, &catalog.title.en),
        "datePublished": catalog.published,
        "version": catalog.id.version,
        "hasPart": graph,
    })
}
