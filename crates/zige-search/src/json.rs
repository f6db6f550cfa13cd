//! A search answer as JSON, written from parts prepared once per index:
//! what a hit says of its entry (id, code, names) and each shown text with
//! its field. Only the score, the spans and the counts are written per
//! query. The bytes are those `serde_json` writes for [`SearchResult`]
//! (tested on the team's queries with filters and pages, and on random
//! input); the parts are cut from that same serialisation.

use std::io::Write;

use serde::Serialize;
use zige_catalog::Entry;

use crate::{Hit, Matched, SearchResult, Searcher};

/// The start of the hit of entry `entry`, `e`, up to its `related` field:
/// `{"id":…,"code":…,"list":…,"seq":…,"name":{…},"display":{…},`.
pub(crate) fn hit_head(entry: usize, e: &Entry) -> String {
    head_before(&crate::hit(entry, e, 0.0, Vec::new()), "related")
}

/// The start of a matched text, up to its spans: `{"field":…,"text":…,`.
pub(crate) fn matched_head(field: &'static str, text: &str) -> String {
    let matched = Matched {
        field,
        text: text.to_string(),
        spans: Vec::new(),
        shown: 0,
    };
    head_before(&matched, "spans")
}

/// The JSON of `value` up to its field `key`, which follows every text
/// field (so its quoted name cannot stand inside an escaped string before
/// it). Empty if there is no such field: then the answer is serialised
/// whole.
fn head_before(value: &impl Serialize, key: &str) -> String {
    let json = serde_json::to_string(value).unwrap_or_default();
    match json.rfind(&format!("\"{key}\":")) {
        Some(end) => json[..end].to_string(),
        None => String::new(),
    }
}

impl Searcher<'_> {
    /// Writes `result` (an answer of this searcher) as JSON into `out`.
    pub fn write_json(&self, result: &SearchResult, out: &mut Vec<u8>) -> serde_json::Result<()> {
        out.extend_from_slice(b"{\"query\":");
        serde_json::to_writer(&mut *out, &result.query)?;
        out.extend_from_slice(b",\"catalog\":");
        serde_json::to_writer(&mut *out, &result.catalog)?;
        write!(
            out,
            ",\"total\":{},\"matches\":{},\"offset\":{},\"hits\":[",
            result.total, result.matches, result.offset
        )
        .map_err(serde_json::Error::io)?;
        for (i, hit) in result.hits.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            self.write_hit(hit, out)?;
        }
        out.extend_from_slice(b"],\"suggestions\":");
        serde_json::to_writer(&mut *out, &result.suggestions)?;
        if let Some(message) = &result.message {
            out.extend_from_slice(b",\"message\":");
            serde_json::to_writer(&mut *out, message)?;
        }
        out.push(b'}');
        Ok(())
    }

    fn write_hit(&self, hit: &Hit, out: &mut Vec<u8>) -> serde_json::Result<()> {
        let head = self.index.hit_heads.get(hit.entry);
        let Some(head) = head.filter(|h| !h.is_empty()) else {
            return serde_json::to_writer(&mut *out, hit);
        };
        out.extend_from_slice(head.as_bytes());
        out.extend_from_slice(if hit.related {
            b"\"related\":true,\"score\":"
        } else {
            b"\"related\":false,\"score\":"
        });
        serde_json::to_writer(&mut *out, &hit.score)?;
        out.extend_from_slice(b",\"matched\":[");
        for (i, m) in hit.matched.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            self.write_matched(hit.entry, m, out)?;
        }
        out.extend_from_slice(b"]}");
        Ok(())
    }

    fn write_matched(
        &self,
        entry: usize,
        m: &Matched,
        out: &mut Vec<u8>,
    ) -> serde_json::Result<()> {
        let shown = self.index.display.get(entry).and_then(|d| d.get(m.shown));
        let same = |d: &&crate::index::Display| {
            d.field == m.field && d.text == m.text && !d.json_head.is_empty()
        };
        let Some(shown) = shown.filter(same) else {
            return serde_json::to_writer(&mut *out, m);
        };
        out.extend_from_slice(shown.json_head.as_bytes());
        out.extend_from_slice(b"\"spans\":[");
        for (i, [start, end]) in m.spans.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            write!(out, "[{start},{end}]").map_err(serde_json::Error::io)?;
        }
        out.extend_from_slice(b"]}");
        Ok(())
    }
}
