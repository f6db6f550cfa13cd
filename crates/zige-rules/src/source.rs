//! The documents a policy rests on, cited as people cite official notices:
//! the issuing body, the title, the document number and date, and the
//! official address where one is known; in both languages.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use zige_catalog::Bilingual;

use crate::policy::{check_text, invalid, PolicyError};

/// One document of a policy's `[sources]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Source {
    /// Who issued it, when known.
    pub issuer: Option<Bilingual>,
    pub title: Bilingual,
    /// The document number, e.g. `京人社事业发〔2021〕33号`.
    pub number: Option<String>,
    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    pub date: Option<String>,
    /// The official address of the text.
    pub url: Option<String>,
    /// What the reader should know about how the rule rests on it.
    pub note: Option<Bilingual>,
    /// The whole citation in one line (derived on load).
    pub citation: Bilingual,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SourceFile {
    issuer: Option<Bilingual>,
    title: Bilingual,
    number: Option<String>,
    date: Option<String>,
    url: Option<String>,
    note: Option<Bilingual>,
}

/// The sources of a policy file, checked: texts in both languages, a date
/// that is a date, an address that is `https://` or `http://`.
pub(crate) fn read_sources(
    files: BTreeMap<String, SourceFile>,
) -> Result<BTreeMap<String, Source>, PolicyError> {
    let mut out = BTreeMap::new();
    for (key, f) in files {
        let at = format!("[sources.{key}]");
        check_text(&at, &f.title)?;
        for b in [&f.issuer, &f.note].into_iter().flatten() {
            check_text(&at, b)?;
        }
        let date = f.date.as_deref().map(|d| dated(&at, d)).transpose()?;
        if let Some(u) = &f.url {
            if !(u.starts_with("https://") || u.starts_with("http://")) {
                return Err(invalid(&at, format!("url '{u}' must start with https://")));
            }
        }
        let citation = cite(&f, date.as_ref());
        let source = Source {
            issuer: f.issuer,
            title: f.title,
            number: f.number,
            date: f.date,
            url: f.url,
            note: f.note,
            citation,
        };
        out.insert(key, source);
    }
    Ok(out)
}

/// A date as both languages write it: `2021年9月`, `September 2021`.
fn dated(at: &str, date: &str) -> Result<Bilingual, PolicyError> {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let parts: Vec<&str> = date.split('-').collect();
    let num = |i: usize, max: u32| {
        parts
            .get(i)
            .and_then(|p| p.parse::<u32>().ok())
            .filter(|n| (1..=max).contains(n))
    };
    let bad = || {
        invalid(
            at,
            format!("date '{date}' must be YYYY, YYYY-MM or YYYY-MM-DD"),
        )
    };
    let year = num(0, 9999)
        .filter(|_| parts[0].len() == 4)
        .ok_or_else(bad)?;
    Ok(match parts.len() {
        1 => Bilingual::new(format!("{year}年"), year.to_string()),
        2 => {
            let m = num(1, 12).ok_or_else(bad)?;
            Bilingual::new(
                format!("{year}年{m}月"),
                format!("{} {year}", MONTHS[m as usize - 1]),
            )
        }
        3 => {
            let (m, d) = (num(1, 12).ok_or_else(bad)?, num(2, 31).ok_or_else(bad)?);
            Bilingual::new(
                format!("{year}年{m}月{d}日"),
                format!("{d} {} {year}", MONTHS[m as usize - 1]),
            )
        }
        _ => return Err(bad()),
    })
}

/// `Issuer, Title (No. …, date)`: the citation in one line per language.
fn cite(f: &SourceFile, date: Option<&Bilingual>) -> Bilingual {
    let mut zh = String::new();
    let mut en = String::new();
    if let Some(i) = &f.issuer {
        zh.push_str(&i.zh);
        en.push_str(&i.en);
        en.push_str(", ");
    }
    zh.push_str(&f.title.zh);
    en.push_str(&f.title.en);
    let zh_tail: Vec<&str> = [f.number.as_deref(), date.map(|d| d.zh.as_str())]
        .into_iter()
        .flatten()
        .collect();
    let en_tail: Vec<&str> = [f.number.as_deref(), date.map(|d| d.en.as_str())]
        .into_iter()
        .flatten()
        .collect();
    if !zh_tail.is_empty() {
        zh.push_str(&format!("（{}）", zh_tail.join("，")));
        en.push_str(&format!(" ({})", en_tail.join(", ")));
    }
    Bilingual::new(zh, en)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_sources_cite_official_documents() {
        let p = crate::Policy::builtin();
        let notice = &p.sources["notice-2021"];
        assert_eq!(notice.number.as_deref(), Some("京人社事业发〔2021〕33号"));
        assert!(notice.citation.zh.starts_with("北京市人力资源和社会保障局"));
        assert!(
            notice
                .citation
                .en
                .ends_with("(京人社事业发〔2021〕33号, September 2021)"),
            "{}",
            notice.citation.en
        );
        assert!(notice.url.as_deref().unwrap().contains("beijing.gov.cn"));
        for (key, s) in &p.sources {
            let cited = [&s.citation.zh, &s.citation.en, &s.title.en];
            assert!(
                !cited
                    .iter()
                    .any(|c| c.contains("tibet.cn") || c.contains("News Service")),
                "{key} cites a news report: {}",
                s.citation.en
            );
        }
        let benefit_sources: Vec<&str> = p.benefits.iter().map(|b| b.source.as_str()).collect();
        assert!(!benefit_sources.contains(&"release-2023"));
    }

    #[test]
    fn dates_read_in_both_languages() {
        let d = dated("x", "2023-09-04").unwrap();
        assert_eq!(
            (d.zh.as_str(), d.en.as_str()),
            ("2023年9月4日", "4 September 2023")
        );
        assert!(dated("x", "2023-13").is_err());
        assert!(dated("x", "23").is_err());
    }
}
