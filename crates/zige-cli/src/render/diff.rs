//! The text of a difference between two editions, as `zige diff` and
//! `zige catalog import` print it.

use zige_catalog::{CatalogDiff, Lang};

/// A summary line, then one line per added, removed and changed entry.
pub(crate) fn render(diff: &CatalogDiff, lang: Lang) -> String {
    let mut o = match lang {
        Lang::Zh => format!(
            "{} → {}：新增{}项，删除{}项，变更{}项，仅序号变化{}项，未变{}项\n",
            diff.from,
            diff.to,
            diff.added.len(),
            diff.removed.len(),
            diff.changed.len(),
            diff.renumbered,
            diff.unchanged
        ),
        Lang::En => format!(
            "{} → {}: {} added, {} removed, {} changed, {} renumbered only, {} unchanged\n",
            diff.from,
            diff.to,
            diff.added.len(),
            diff.removed.len(),
            diff.changed.len(),
            diff.renumbered,
            diff.unchanged
        ),
    };
    for e in &diff.added {
        o += &format!("+ {} {}\n", e.code, e.display.get(lang));
    }
    for e in &diff.removed {
        o += &format!("- {} {}\n", e.code, e.display.get(lang));
    }
    for c in &diff.changed {
        o += &format!(
            "~ {} → {} {}\n",
            c.from.code,
            c.to.code,
            c.to.display.get(lang)
        );
        for f in &c.changes {
            o += &format!("    {}: «{}» → «{}»\n", f.field, f.from, f.to);
        }
    }
    o
}
