//! A diff between two editions as people read it, in the page's language:
//! shared by the public changes page and an edition's admin page.

use zige_catalog::diff::{EntryChange, EntrySummary};
use zige_catalog::CatalogDiff;

use crate::i18n::Tr;

/// A compared field's name in the page's language.
pub fn field_label(tr: &Tr, field: &str) -> String {
    let key = match field {
        "list" => "diff-f-list",
        "name.zh" => "diff-f-name-zh",
        "name.en" => "diff-f-name-en",
        "name.display_zh" => "names-diff-f-display-zh",
        "issuer" => "diff-f-issuer",
        "regions" => "diff-f-regions",
        "fields" => "diff-f-fields",
        "title" => "diff-f-title",
        "experience_years" => "diff-f-experience",
        "obligations" => "diff-f-obligations",
        "levels" => "diff-f-levels",
        "remark" => "diff-f-remark",
        other => return other.to_string(),
    };
    tr.msg(key)
}

/// An entry named in a diff.
pub struct DiffEntry {
    pub id: String,
    pub code: String,
    pub name: String,
    pub alt: String,
}

/// A changed entry: what it was, what it is, how the two were matched.
pub struct DiffChange {
    pub entry: DiffEntry,
    pub from_code: String,
    pub renamed: bool,
    pub matched: String,
    /// Field, before, after.
    pub fields: Vec<(String, String, String)>,
}

/// A diff between two editions in the page's language.
pub struct DiffView {
    pub summary: String,
    pub added: Vec<DiffEntry>,
    pub removed: Vec<DiffEntry>,
    pub changed: Vec<DiffChange>,
    pub renumbered: String,
    pub renumbered_count: usize,
    pub empty: bool,
    /// Entries link to their pages (both editions are published).
    pub links: bool,
    /// `?catalog=` of the newer edition, for links to its entries.
    pub to_query: String,
    pub from_query: String,
}

/// The diff `diff` in the page's language; `links` when its entries have
/// pages.
pub fn diff_view(tr: &Tr, diff: &CatalogDiff, links: bool) -> DiffView {
    DiffView {
        summary: tr.with(
            "diff-summary",
            &[
                ("added", diff.added.len().to_string()),
                ("removed", diff.removed.len().to_string()),
                ("changed", diff.changed.len().to_string()),
                ("renumbered", diff.renumbered.to_string()),
                ("unchanged", diff.unchanged.to_string()),
            ],
        ),
        added: diff.added.iter().map(|e| diff_entry(tr, e)).collect(),
        removed: diff.removed.iter().map(|e| diff_entry(tr, e)).collect(),
        changed: diff.changed.iter().map(|c| diff_change(tr, c)).collect(),
        renumbered: tr.count("diff-renumbered", diff.renumbered),
        renumbered_count: diff.renumbered,
        empty: diff.is_empty(),
        links,
        to_query: format!("?catalog={}", diff.to),
        from_query: format!("?catalog={}", diff.from),
    }
}

/// An entry named in a diff: its name in the page's language, and in the
/// other one when it differs.
fn diff_entry(tr: &Tr, entry: &EntrySummary) -> DiffEntry {
    let name = tr.pick(&entry.display);
    let alt = if tr.is_zh() {
        &entry.display.en
    } else {
        &entry.display.zh
    };
    DiffEntry {
        id: entry.id.clone(),
        code: entry.code.clone(),
        // A new entry has no English yet: its name once is enough.
        alt: if *alt == name {
            String::new()
        } else {
            alt.clone()
        },
        name,
    }
}

/// A changed entry: its fields before and after, and how it was matched.
fn diff_change(tr: &Tr, change: &EntryChange) -> DiffChange {
    DiffChange {
        entry: diff_entry(tr, &change.to),
        from_code: change.from.code.clone(),
        renamed: change
            .changes
            .iter()
            .any(|f| f.field == "name.zh" || f.field == "name.en"),
        matched: tr.msg(match change.matched_by {
            "id" => "diff-by-id",
            "name_issuer" => "diff-by-name-issuer",
            "issuer" => "diff-by-issuer",
            "name" => "diff-by-name",
            _ => "diff-by-other",
        }),
        fields: change
            .changes
            .iter()
            .map(|f| (field_label(tr, f.field), f.from.clone(), f.to.clone()))
            .collect(),
    }
}
