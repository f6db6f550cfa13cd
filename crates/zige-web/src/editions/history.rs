//! An entry's history across the published editions of its jurisdiction:
//! what each edition says about it (the API's shape), and the rows the
//! entry page lists.

use serde::Serialize;

use crate::editions::diff_view::field_label;
use crate::i18n::Tr;
use crate::render::enc;
use crate::state::{Edition, Shared};

/// One edition's word on an entry.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct HistoryStep {
    pub catalog: String,
    pub effective_from: String,
    pub in_force: bool,
    /// The entry's code in that edition; None when it is not listed.
    pub code: Option<String>,
    /// `listed` (first edition), `added`, `unchanged`, `renumbered`, `changed`, `removed`.
    pub what: String,
    /// For `changed`: the fields that changed (`name.en`, `remark`…).
    pub fields: Vec<String>,
}

/// The published editions of one jurisdiction, oldest effective first.
pub fn timeline(state: &Shared, jurisdiction: &str) -> Vec<&'static Edition> {
    let mut eds: Vec<&'static Edition> = state
        .published()
        .into_iter()
        .filter(|e| e.catalog.id.jurisdiction == jurisdiction)
        .collect();
    eds.sort_by(|a, b| a.effective_from.cmp(&b.effective_from));
    eds
}

/// What each edition of the entry's jurisdiction says about it.
pub fn history(state: &Shared, entry_id: &str) -> Vec<HistoryStep> {
    let cur = state.current();
    let eds = timeline(state, &cur.catalog.id.jurisdiction);
    let mut out: Vec<HistoryStep> = Vec::new();
    let mut prev: Option<&'static Edition> = None;
    for ed in eds {
        let here = ed.catalog.entries.iter().find(|e| e.id == entry_id);
        let (what, fields) = match (prev, here) {
            (None, Some(_)) => ("listed", Vec::new()),
            (None, None) => {
                prev = Some(ed);
                continue;
            }
            (Some(p), _) => {
                let was = p.catalog.entries.iter().find(|e| e.id == entry_id);
                match (was, here) {
                    (None, None) => {
                        prev = Some(ed);
                        continue;
                    }
                    (None, Some(_)) => ("added", Vec::new()),
                    (Some(_), None) => ("removed", Vec::new()),
                    (Some(_), Some(_)) => {
                        let d = state.diff(p, ed);
                        match d
                            .changed
                            .iter()
                            .find(|c| c.to.id == entry_id || c.from.id == entry_id)
                        {
                            Some(c) => (
                                "changed",
                                c.changes.iter().map(|f| f.field.to_string()).collect(),
                            ),
                            None if was.map(|w| &w.code) != here.map(|h| &h.code) => {
                                ("renumbered", Vec::new())
                            }
                            None => ("unchanged", Vec::new()),
                        }
                    }
                }
            }
        };
        out.push(HistoryStep {
            catalog: ed.catalog.id.to_string(),
            effective_from: ed.effective_from.clone(),
            in_force: std::ptr::eq(ed, cur),
            code: here.map(|e| e.code.clone()),
            what: what.into(),
            fields,
        });
        prev = Some(ed);
    }
    out
}

/// One edition's word on an entry.
pub struct HistoryRow {
    pub edition: String,
    pub href: Option<String>,
    pub effective: String,
    pub in_force: bool,
    pub code: String,
    pub what: String,
}

/// The entry page's history table: each edition's word in the page's
/// language, linking to the entry in editions that list it.
pub(crate) fn history_rows(tr: &Tr, state: &Shared, entry_id: &str) -> Vec<HistoryRow> {
    history(state, entry_id)
        .into_iter()
        .map(|h| {
            let what = match h.what.as_str() {
                "listed" => tr.msg("hist-listed"),
                "added" => tr.msg("hist-added"),
                "unchanged" => tr.msg("hist-unchanged"),
                "renumbered" => tr.msg("hist-renumbered"),
                "removed" => tr.msg("hist-removed"),
                "changed" => {
                    let sep = if tr.is_zh() { "、" } else { ", " };
                    let fields: Vec<String> = h.fields.iter().map(|f| field_label(tr, f)).collect();
                    tr.with("hist-changed", &[("fields", fields.join(sep))])
                }
                other => other.to_string(),
            };
            HistoryRow {
                href: h
                    .code
                    .as_ref()
                    .map(|_| format!("/entries/{entry_id}?catalog={}", enc(&h.catalog))),
                edition: h.catalog,
                effective: h.effective_from,
                in_force: h.in_force,
                code: h.code.unwrap_or_else(|| "—".into()),
                what,
            }
        })
        .collect()
}
