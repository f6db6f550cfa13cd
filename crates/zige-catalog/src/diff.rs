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
    /// The official names.
    pub name: Bilingual,
    /// The names to show: the Chinese display name and the English name.
    pub display: Bilingual,
}

impl From<&Entry> for EntrySummary {
    fn from(e: &Entry) -> Self {
        EntrySummary {
            id: e.id.clone(),
            code: e.code.clone(),
            list: e.list.clone(),
            seq: e.seq,
            name: Bilingual::new(e.name.zh.clone(), e.name.en.clone()),
            display: e.name.shown_both(),
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
        ("name.display_zh", e.name.shown(crate::Lang::Zh).to_string()),
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

/// The differences from edition `old` to edition `new`.
pub fn diff(old: &Catalog, new: &Catalog) -> CatalogDiff {
    let matching = Matching::of(old, new);
    let mut changed = Vec::new();
    let mut renumbered = 0;
    let mut unchanged = 0;
    for (i, j, how) in matching.pairs {
        let (ea, eb) = (&old.entries[i], &new.entries[j]);
        match entry_change(ea, eb, how) {
            Some(change) => changed.push(change),
            None if ea.seq != eb.seq => renumbered += 1,
            None => unchanged += 1,
        }
    }
    let removed = old
        .entries
        .iter()
        .enumerate()
        .filter(|(i, _)| !matching.used_old.contains(i))
        .map(|(_, e)| e.into())
        .collect();
    let added = new
        .entries
        .iter()
        .enumerate()
        .filter(|(j, _)| !matching.used_new.contains(j))
        .map(|(_, e)| e.into())
        .collect();
    CatalogDiff {
        from: old.id.clone(),
        to: new.id.clone(),
        added,
        removed,
        changed,
        renumbered,
        unchanged,
    }
}

/// The fields that differ between two matched entries, if any.
fn entry_change(ea: &Entry, eb: &Entry, how: &'static str) -> Option<EntryChange> {
    // A display name that is the official name changes with it: named once.
    let plain_rename = !ea.name.has_display_zh() && !eb.name.has_display_zh();
    let changes: Vec<FieldChange> = fields(ea)
        .into_iter()
        .zip(fields(eb))
        .filter(|((f, x), (_, y))| x != y && !(plain_rename && *f == "name.display_zh"))
        .map(|((f, x), (_, y))| FieldChange {
            field: f,
            from: x,
            to: y,
        })
        .collect();
    (!changes.is_empty()).then(|| EntryChange {
        from: ea.into(),
        to: eb.into(),
        matched_by: how,
        changes,
    })
}

/// Entries of two editions paired (old index, new index, how), pass by pass.
struct Matching {
    pairs: Vec<(usize, usize, &'static str)>,
    used_old: HashSet<usize>,
    used_new: HashSet<usize>,
}

impl Matching {
    /// Pairs by id, by name and issuer, by issuer and a similar name, then
    /// by name and regions; sorted by the new edition's order.
    fn of(old: &Catalog, new: &Catalog) -> Matching {
        let mut m = Matching {
            pairs: Vec::new(),
            used_old: HashSet::new(),
            used_new: HashSet::new(),
        };
        let key = |e: &Entry| (norm_key(&e.name.zh), norm_key(&e.issuer_text));
        m.pass(old, new, &|x, y| x.id == y.id, "id", true);
        m.pass(old, new, &|x, y| key(x) == key(y), "name_issuer", false);
        m.pass(
            old,
            new,
            &|x, y| {
                norm_key(&x.issuer_text) == norm_key(&y.issuer_text)
                    && similarity(&x.name.zh, &y.name.zh) >= 0.3
            },
            "issuer",
            false,
        );
        m.pass(
            old,
            new,
            &|x, y| norm_key(&x.name.zh) == norm_key(&y.name.zh) && x.regions == y.regions,
            "name",
            true,
        );
        m.pairs.sort_by_key(|(_, j, _)| *j);
        m
    }

    /// Pairs each unpaired old entry with the unpaired new entry `pred`
    /// accepts: the only one if `unique`, else the one of the most similar name.
    fn pass(
        &mut self,
        old: &Catalog,
        new: &Catalog,
        pred: &dyn Fn(&Entry, &Entry) -> bool,
        how: &'static str,
        unique: bool,
    ) {
        for (i, ea) in old.entries.iter().enumerate() {
            if self.used_old.contains(&i) {
                continue;
            }
            let cands: Vec<usize> = new
                .entries
                .iter()
                .enumerate()
                .filter(|(j, eb)| !self.used_new.contains(j) && pred(ea, eb))
                .map(|(j, _)| j)
                .collect();
            let chosen = match cands.as_slice() {
                [] => None,
                [j] => Some(*j),
                many if !unique => many.iter().copied().max_by(|x, y| {
                    similarity(&ea.name.zh, &new.entries[*x].name.zh)
                        .total_cmp(&similarity(&ea.name.zh, &new.entries[*y].name.zh))
                }),
                _ => None,
            };
            if let Some(j) = chosen {
                self.used_old.insert(i);
                self.used_new.insert(j);
                self.pairs.push((i, j, how));
            }
        }
    }
}

/// Dice coefficient over character bigrams (single characters for short names).
pub fn similarity(first: &str, second: &str) -> f64 {
    let grams = |s: &str| -> Vec<(char, char)> {
        let c: Vec<char> = s.chars().filter(|c| !c.is_whitespace()).collect();
        c.windows(2).map(|w| (w[0], w[1])).collect()
    };
    let (gx, gy) = (grams(first), grams(second));
    if gx.is_empty() || gy.is_empty() {
        return if norm_key(first) == norm_key(second) {
            1.0
        } else {
            0.0
        };
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
