//! A search answer as JSON, written from parts prepared once per index:
//! what a hit says of its entry (id, code, names) and each shown text with
//! its field. Only the score, the spans and the counts are written per
//! query. The bytes are those `serde_json` writes for [`SearchResult`]
//! (tested on every query of the load mix and the dev set).

use std::io::Write;

use serde::Serialize;
use zige_catalog::{Bilingual, Entry};

use crate::{Hit, Matched, SearchResult, Searcher};

/// The start of a hit of `e`, up to and with the comma after its names:
/// `{"id":…,"code":…,"list":…,"seq":…,"name":{…},"display":{…},`.
pub(crate) fn hit_head(e: &Entry) -> String {
    #[derive(Serialize)]
    struct Head<'a> {
        id: &'a str,
        code: &'a str,
        list: &'a str,
        seq: u32,
        name: Bilingual,
        display: Bilingual,
    }
    open_object(&Head {
        id: &e.id,
        code: &e.code,
        list: &e.list,
        seq: e.seq,
        name: Bilingual::new(e.name.zh.as_str(), e.name.en.as_str()),
        display: e.name.shown_both(),
    })
}

/// The start of a matched text: `{"field":…,"text":…,`.
pub(crate) fn matched_head(field: &str, text: &str) -> String {
    #[derive(Serialize)]
    struct Head<'a> {
        field: &'a str,
        text: &'a str,
    }
    open_object(&Head { field, text })
}

/// An object's JSON without its closing brace, and a comma for the
/// fields that follow.
fn open_object(value: &impl Serialize) -> String {
    let mut json = serde_json::to_string(value).unwrap_or_else(|_| "{".into());
    json.pop();
    json.push(',');
    json
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
        let Some(head) = self.index.hit_heads.get(hit.entry) else {
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
        let Some(shown) = shown.filter(|d| d.field == m.field && d.text == m.text) else {
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
