//! Carrying the reviewed overlay of one edition over to a new official
//! text of the same jurisdiction: rows that keep their name and issuer, or
//! were renamed, inherit their entry's id, English, aliases, levels and
//! the guidance on verifying its certificate.

use std::collections::HashMap;

use crate::import::{Publication, Row};
use crate::model::{Catalog, Entry};
use crate::overlay::{ListMeta, Overlay};
use crate::text::{norm_key, Bilingual};

/// An overlay for a new text of the same jurisdiction, carried over from an
/// edition that has one: rows whose normalised name and issuer match an
/// entry of the base keep its id, English, aliases, levels and guidance on
/// verifying its certificate (`verify`). Rows that match nothing are left
/// for a person to translate.
pub fn carry_over(
    publication: &Publication,
    base: &Catalog,
    base_overlay: &Overlay,
    version: &str,
    published: &str,
) -> Overlay {
    let mut overlay = base_overlay.clone();
    overlay.catalog.version = version.to_string();
    overlay.catalog.published = published.to_string();
    overlay.catalog.title = Bilingual::new(
        publication.title.clone(),
        format!(
            "{} (version {version})",
            base_overlay
                .catalog
                .title
                .en
                .split(" (")
                .next()
                .unwrap_or(&base_overlay.catalog.title.en)
        ),
    );
    overlay.entries.clear();
    overlay.lists = carried_lists(publication, base, base_overlay);
    let base_code_of: HashMap<&str, &str> = base
        .entries
        .iter()
        .map(|e| (e.id.as_str(), e.code.as_str()))
        .collect();
    let rows: Vec<(&Row, String)> = publication
        .sections
        .iter()
        .zip(overlay.lists.clone())
        .flat_map(|(section, meta)| {
            section
                .rows
                .iter()
                .map(move |row| (row, format!("{}{}", meta.letter, row.seq)))
        })
        .collect();
    let claimed = claimed_rows(&rows, base);
    let renamed = renamed_rows(&rows, base, &claimed);
    for (i, (_, code)) in rows.iter().enumerate() {
        if let Some(e) = claimed.get(&i).or_else(|| renamed.get(&i)) {
            if let Some(ov) = base_code_of
                .get(e.id.as_str())
                .and_then(|c| base_overlay.entries.get(*c))
            {
                let mut carried = ov.clone();
                if !claimed.contains_key(&i) {
                    // A renamed row's display name was made of its old name:
                    // a person words it anew (the build names the clash).
                    carried.name_zh_display = None;
                }
                overlay.entries.insert(code.clone(), carried);
            }
        }
    }
    overlay
}

/// The base's lists, carried by name when the sections keep their names,
/// else by position; none past the first section that has neither.
fn carried_lists(
    publication: &Publication,
    base: &Catalog,
    base_overlay: &Overlay,
) -> Vec<ListMeta> {
    let mut lists = Vec::new();
    for (i, s) in publication.sections.iter().enumerate() {
        let same = base
            .lists
            .iter()
            .zip(&base_overlay.lists)
            .find(|(l, _)| l.name.zh == s.name)
            .map(|(_, m)| m.clone());
        match same.or_else(|| base_overlay.lists.get(i).cloned()) {
            Some(m) => lists.push(m),
            None => break,
        }
    }
    lists
}

/// The rows (by index) whose normalised name and issuer, or unique name,
/// match an entry of the base.
fn claimed_rows<'a>(rows: &[(&Row, String)], base: &'a Catalog) -> HashMap<usize, &'a Entry> {
    let mut by_name_issuer: HashMap<(String, String), &Entry> = HashMap::new();
    let mut by_name: HashMap<String, Vec<&Entry>> = HashMap::new();
    for e in &base.entries {
        by_name_issuer.insert((norm_key(&e.name.zh), norm_key(&e.issuer_text)), e);
        by_name.entry(norm_key(&e.name.zh)).or_default().push(e);
    }
    let mut claimed: HashMap<usize, &Entry> = HashMap::new();
    for (i, (row, _)) in rows.iter().enumerate() {
        let key = (norm_key(&row.name), norm_key(&row.issuer));
        let found = by_name_issuer
            .get(&key)
            .copied()
            .or_else(|| match by_name.get(&key.0) {
                Some(v) if v.len() == 1 => Some(v[0]),
                _ => None,
            });
        if let Some(e) = found {
            claimed.insert(i, e);
        }
    }
    claimed
}

/// The unclaimed rows taken for renamed entries: each inherits from the
/// unclaimed entry of the same issuer with the most similar name, as the
/// diff matches renames.
fn renamed_rows<'a>(
    rows: &[(&Row, String)],
    base: &'a Catalog,
    claimed: &HashMap<usize, &'a Entry>,
) -> HashMap<usize, &'a Entry> {
    let used: std::collections::HashSet<&str> = claimed.values().map(|e| e.id.as_str()).collect();
    let mut renamed: HashMap<usize, &Entry> = HashMap::new();
    let mut taken: std::collections::HashSet<&str> = std::collections::HashSet::new();
    for (i, (row, _)) in rows.iter().enumerate() {
        if claimed.contains_key(&i) {
            continue;
        }
        let issuer = norm_key(&row.issuer);
        let best = base
            .entries
            .iter()
            .filter(|e| {
                !used.contains(e.id.as_str())
                    && !taken.contains(e.id.as_str())
                    && norm_key(&e.issuer_text) == issuer
            })
            .map(|e| (crate::diff::similarity(&e.name.zh, &row.name), e))
            .filter(|(sim, _)| *sim >= 0.3)
            .max_by(|a, b| a.0.total_cmp(&b.0));
        if let Some((_, e)) = best {
            taken.insert(e.id.as_str());
            renamed.insert(i, e);
        }
    }
    renamed
}
