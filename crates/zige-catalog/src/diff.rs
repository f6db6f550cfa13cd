//! Differences between two editions of a catalogue: entries added, removed
//! and changed field by field. Entries are matched by stable id, then by
//! normalised name and issuer, then by issuer with a similar name (a
//! renamed entry) and by name alone (a renamed issuer), so a rename shows as
//! a change, not as a removal plus an addition.

use serde::Serialize;
use std::collections::HashSet;

use crate::model::{Catalog, CatalogId, Entry};
use crate::text::{norm_key, Bilingual};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EntrySummary {
    pub id: String,
    pub code: String,
    pub list: String,
    pub seq: u32,
    pub name: Bilingual,
}

impl From<&Entry> for EntrySummary {
    fn from(e: &Entry) -> Self {
        EntrySummary {
            id: e.id.clone(),
            code: e.code.clone(),
            list: e.list.clone(),
            seq: e.seq,
            name: Bilingual::new(e.name.zh.clone(), e.name.en.clone()),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldChange {
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub field: &'static str,
    pub from: String,
    pub to: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EntryChange {
    pub from: EntrySummary,
    pub to: EntrySummary,
    /// How the two were matched: `id`, `name_issuer`, `issuer`, `name`.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub matched_by: &'static str,
    pub changes: Vec<FieldChange>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CatalogDiff {
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub from: CatalogId,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub to: CatalogId,
    pub added: Vec<EntrySummary>,
    pub removed: Vec<EntrySummary>,
    pub changed: Vec<EntryChange>,
    /// Matched entries with no change but their number in the list.
    pub renumbered: usize,
    pub unchanged: usize,
}

impl CatalogDiff {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.changed.is_empty()
    }
}

/// The fields compared, with how each is read off an entry.
fn fields(e: &Entry) -> Vec<(&'static str, String)> {
    vec![
        ("list", e.list.clone()),
        ("name.zh", e.name.zh.clone()),
        ("name.en", e.name.en.clone()),
        ("issuer", e.issuer_text.clone()),
        (
            "regions",
            e.regions
                .iter()
                .map(|r| r.name.zh.as_str())
                .collect::<Vec<_>>()
                .join(" "),
        ),
        (
            "fields",
            e.fields
                .iter()
                .map(|f| f.name.zh.as_str())
                .collect::<Vec<_>>()
                .join("、"),
        ),
        (
            "title",
            e.title
                .map(|t| t.code().to_string())
                .unwrap_or_else(|| "none".into()),
        ),
        (
            "experience_years",
            e.experience
                .as_ref()
                .map(|x| x.years.to_string())
                .unwrap_or_else(|| "0".into()),
        ),
        (
            "obligations",
            e.obligations
                .iter()
                .map(|o| o.code.as_str())
                .collect::<Vec<_>>()
                .join(","),
        ),
        (
            "levels",
            e.levels
                .as_ref()
                .map(|l| {
                    l.codes
                        .iter()
                        .map(|c| c.code.as_str())
                        .collect::<Vec<_>>()
                        .join(",")
                })
                .unwrap_or_default(),
        ),
        ("remark", e.remark.zh.clone()),
    ]
}

pub fn diff(a: &Catalog, b: &Catalog) -> CatalogDiff {
    let mut pairs: Vec<(usize, usize, &'static str)> = Vec::new();
    let mut used_a = HashSet::new();
    let mut used_b = HashSet::new();
    let mut pass = |pred: &dyn Fn(&Entry, &Entry) -> bool,
                    how: &'static str,
                    unique: bool,
                    pairs: &mut Vec<(usize, usize, &'static str)>| {
        for (i, ea) in a.entries.iter().enumerate() {
            if used_a.contains(&i) {
                continue;
            }
            let cands: Vec<usize> = b
                .entries
                .iter()
                .enumerate()
                .filter(|(j, eb)| !used_b.contains(j) && pred(ea, eb))
                .map(|(j, _)| j)
                .collect();
            let chosen = match cands.as_slice() {
                [] => None,
                [j] => Some(*j),
                many if !unique => many.iter().copied().max_by(|x, y| {
                    similarity(&ea.name.zh, &b.entries[*x].name.zh)
                        .total_cmp(&similarity(&ea.name.zh, &b.entries[*y].name.zh))
                }),
                _ => None,
            };
            if let Some(j) = chosen {
                used_a.insert(i);
                used_b.insert(j);
                pairs.push((i, j, how));
            }
        }
    };
    let key = |e: &Entry| (norm_key(&e.name.zh), norm_key(&e.issuer_text));
    pass(&|x, y| x.id == y.id, "id", true, &mut pairs);
    pass(&|x, y| key(x) == key(y), "name_issuer", false, &mut pairs);
    pass(
        &|x, y| {
            norm_key(&x.issuer_text) == norm_key(&y.issuer_text)
                && similarity(&x.name.zh, &y.name.zh) >= 0.3
        },
        "issuer",
        false,
        &mut pairs,
    );
    pass(
        &|x, y| norm_key(&x.name.zh) == norm_key(&y.name.zh) && x.regions == y.regions,
        "name",
        true,
        &mut pairs,
    );

    let mut changed = Vec::new();
    let mut renumbered = 0;
    let mut unchanged = 0;
    pairs.sort_by_key(|(_, j, _)| *j);
    for (i, j, how) in pairs {
        let (ea, eb) = (&a.entries[i], &b.entries[j]);
        let changes: Vec<FieldChange> = fields(ea)
            .into_iter()
            .zip(fields(eb))
            .filter(|((_, x), (_, y))| x != y)
            .map(|((f, x), (_, y))| FieldChange {
                field: f,
                from: x,
                to: y,
            })
            .collect();
        if !changes.is_empty() {
            changed.push(EntryChange {
                from: ea.into(),
                to: eb.into(),
                matched_by: how,
                changes,
            });
        } else if ea.seq != eb.seq {
            renumbered += 1;
        } else {
            unchanged += 1;
        }
    }
    let removed = a
        .entries
        .iter()
        .enumerate()
        .filter(|(i, _)| !used_a.contains(i))
        .map(|(_, e)| e.into())
        .collect();
    let added = b
        .entries
        .iter()
        .enumerate()
        .filter(|(j, _)| !used_b.contains(j))
        .map(|(_, e)| e.into())
        .collect();
    CatalogDiff {
        from: a.id.clone(),
        to: b.id.clone(),
        added,
        removed,
        changed,
        renumbered,
        unchanged,
    }
}

/// Dice coefficient over character bigrams (single characters for short names).
pub fn similarity(x: &str, y: &str) -> f64 {
    let grams = |s: &str| -> Vec<(char, char)> {
        let c: Vec<char> = s.chars().filter(|c| !c.is_whitespace()).collect();
        c.windows(2).map(|w| (w[0], w[1])).collect()
    };
    let (gx, gy) = (grams(x), grams(y));
    if gx.is_empty() || gy.is_empty() {
        return if norm_key(x) == norm_key(y) { 1.0 } else { 0.0 };
    }
    let mut rest = gy.clone();
    let mut common = 0;
    for g in &gx {
        if let Some(p) = rest.iter().position(|h| h == g) {
            rest.swap_remove(p);
            common += 1;
        }
    }
    2.0 * common as f64 / (gx.len() + gy.len()) as f64
}
