//! Editions over time: importing a new official text as a draft (ids and
//! English carried over from the edition it follows), rebuilding a stored
//! edition from its text and overlay, and choosing the edition in force on
//! a date. Pure: texts and dates come in, catalogues come out.

use crate::build::{build, carry_over, Problem};
use crate::import::{parse, Diagnostic};
use crate::model::{Catalog, CatalogId};
use crate::overlay::{parse_overlay, Overlay};

/// A new edition, imported but not published.
#[derive(Debug, Clone)]
pub struct Draft {
    pub overlay: Overlay,
    /// The overlay as TOML, to store and to edit.
    pub overlay_toml: String,
    pub catalog: Catalog,
    /// What the build could not do (untranslated entries, missing lists…).
    pub problems: Vec<Problem>,
}

/// Imports `bytes` as edition `version` of `jurisdiction`, carrying ids,
/// English names, aliases, levels and verification guidance over from
/// `base` (the edition it follows, with its overlay) by name and issuer. Every problem of the
/// text is returned, by line, when it cannot be read.
pub fn draft(
    bytes: &[u8],
    jurisdiction: &str,
    version: &str,
    published: &str,
    base: Option<(&Catalog, &Overlay)>,
) -> Result<Draft, Vec<Diagnostic>> {
    let publication = parse(bytes)?;
    let empty_catalog;
    let empty_overlay;
    let (base, base_overlay) = match base {
        Some(b) => b,
        None => {
            empty_catalog = Catalog {
                id: CatalogId {
                    jurisdiction: jurisdiction.into(),
                    version: "0".into(),
                },
                published: String::new(),
                title: Default::default(),
                lists: Vec::new(),
                entries: Vec::new(),
            };
            empty_overlay = Overlay::default();
            (&empty_catalog, &empty_overlay)
        }
    };
    let mut overlay = carry_over(&publication, base, base_overlay, version, published);
    overlay.catalog.jurisdiction = jurisdiction.to_string();
    let (catalog, problems) = build(&publication, &overlay, crate::places());
    let overlay_toml = toml::to_string(&overlay).unwrap_or_default();
    Ok(Draft {
        overlay,
        overlay_toml,
        catalog,
        problems,
    })
}

/// Rebuilds a stored edition from its official text and overlay.
pub fn rebuild(text: &str, overlay_toml: &str) -> Result<(Catalog, Vec<Problem>), String> {
    let publication = parse(text.as_bytes()).map_err(|d| {
        d.iter()
            .map(|x| x.to_string())
            .collect::<Vec<_>>()
            .join("\n")
    })?;
    let overlay = parse_overlay(overlay_toml).map_err(|e| e.to_string())?;
    Ok(build(&publication, &overlay, crate::places()))
}

/// A `YYYY-MM-DD` date, checked against the calendar.
pub fn valid_date(text: &str) -> bool {
    let b = text.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let n = |r: std::ops::Range<usize>| {
        text.get(r)
            .filter(|x| x.bytes().all(|c| c.is_ascii_digit()))
            .and_then(|x| x.parse::<u32>().ok())
    };
    let (Some(y), Some(m), Some(d)) = (n(0..4), n(5..7), n(8..10)) else {
        return false;
    };
    let days = match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        1..=12 => 31,
        _ => return false,
    };
    (1900..=2200).contains(&y) && (1..=days).contains(&d)
}

/// Of the published editions given as (id, effective date), the one of
/// `jurisdiction` in force on `on` (`YYYY-MM-DD`): the latest effective on
/// or before that day. Ties go to the later in the slice.
pub fn in_force<'a>(
    editions: impl IntoIterator<Item = (&'a CatalogId, &'a str)>,
    jurisdiction: &str,
    on: &str,
) -> Option<&'a CatalogId> {
    let mut best: Option<(&CatalogId, &str)> = None;
    for (id, effective) in editions {
        if id.jurisdiction == jurisdiction
            && effective <= on
            && best.is_none_or(|(_, e)| effective >= e)
        {
            best = Some((id, effective));
        }
    }
    best.map(|b| b.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(s: &str) -> CatalogId {
        CatalogId::parse(s).unwrap()
    }

    #[test]
    fn the_edition_in_force_is_the_latest_effective_on_or_before_the_day() {
        let (a, b, c) = (id("beijing/3.0"), id("beijing/3.1"), id("shanghai/1.0"));
        let eds = [(&a, "2023-09-04"), (&b, "2027-01-01"), (&c, "2024-01-01")];
        assert_eq!(in_force(eds, "beijing", "2026-12-31"), Some(&a));
        assert_eq!(in_force(eds, "beijing", "2027-01-01"), Some(&b));
        assert_eq!(in_force(eds, "beijing", "2023-01-01"), None);
        assert_eq!(in_force(eds, "shanghai", "2030-01-01"), Some(&c));
        assert_eq!(in_force(eds, "tianjin", "2030-01-01"), None);
    }

    #[test]
    fn dates_are_checked() {
        assert!(valid_date("2027-01-01") && valid_date("2028-02-29"));
        for bad in [
            "2027-02-29",
            "2027-1-01",
            "2027/01/01",
            "tomorrow",
            "",
            "2027-00-10",
        ] {
            assert!(!valid_date(bad), "{bad}");
        }
    }

    #[test]
    fn a_reimported_text_rebuilds_from_its_stored_overlay_identically() {
        let base = crate::default_catalog();
        let (overlay, _) = crate::builtin_overlay("beijing").unwrap();
        let d = draft(
            crate::BUILTIN[0].text.as_bytes(),
            "beijing",
            "3.0.1",
            "2024-01-01",
            Some((base, &overlay)),
        )
        .unwrap();
        assert!(d.problems.is_empty(), "{:?}", d.problems);
        assert_eq!(d.catalog.entries.len(), 122);
        assert_eq!(
            d.catalog.entries.iter().map(|e| &e.id).collect::<Vec<_>>(),
            base.entries.iter().map(|e| &e.id).collect::<Vec<_>>()
        );
        let (again, problems) = rebuild(crate::BUILTIN[0].text, &d.overlay_toml).unwrap();
        assert!(problems.is_empty());
        assert_eq!(again.entries, d.catalog.entries);
        assert_eq!(again.id.to_string(), "beijing/3.0.1");
    }
}
