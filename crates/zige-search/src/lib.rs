//! Bilingual search over a Zige catalogue. Pure Rust, no IO: the same
//! library serves the CLI, the API and the web pages.
//!
//! A query is normalised (full-width → ASCII, traditional → simplified,
//! accents and apostrophes folded), split into words and runs of Chinese
//! characters, and each piece is matched against the index: words exactly,
//! by stem, by prefix and within a bounded edit distance; Chinese runs by
//! the characters their bigrams cover; Latin words also against the pinyin
//! of Chinese names as a last resort. Entries are ranked by how much of the
//! query they match and where (name before issuer before field), with exact
//! names and aliases first.

mod index;
pub mod normalize;

use serde::Serialize;
use zige_catalog::{Bilingual, Catalog, Entry, Places, TitleLevel};

pub use index::Index;
use index::{letter_mask, stemmer};
use normalize::{cut, is_stopword, normalise, tokens, Token};

/// Restrictions that combine with a query, or stand alone.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Filters {
    /// List key (`urgent`, `general`) or letter (`U`, `G`).
    pub list: Option<String>,
    /// Field key, Chinese or English name.
    pub field: Option<String>,
    /// Region ISO code, Chinese or English name.
    pub region: Option<String>,
    pub title: Option<TitleLevel>,
    /// Years of experience the entry requires (0 = none).
    pub experience: Option<u8>,
}

impl Filters {
    pub fn is_empty(&self) -> bool {
        self == &Filters::default()
    }

    pub fn accepts(&self, catalog: &Catalog, e: &Entry) -> bool {
        let eq = |a: &str, b: &str| a.trim().eq_ignore_ascii_case(b.trim());
        if let Some(l) = &self.list {
            let letter = catalog.list(&e.list).map(|x| x.letter.as_str()).unwrap_or("");
            if !eq(l, &e.list) && !eq(l, letter) {
                return false;
            }
        }
        if let Some(f) = &self.field {
            if !e.fields.iter().any(|x| eq(f, &x.key) || eq(f, &x.name.zh) || eq(f, &x.name.en)) {
                return false;
            }
        }
        if let Some(r) = &self.region {
            let international = ["international", "intl", "国际", "none"].iter().any(|x| eq(r, x));
            let hit = if international {
                e.regions.is_empty()
            } else {
                e.regions.iter().any(|x| x.code.as_deref().is_some_and(|c| eq(r, c)) || eq(r, &x.name.zh) || eq(r, &x.name.en))
            };
            if !hit {
                return false;
            }
        }
        if let Some(t) = self.title {
            if e.title != Some(t) {
                return false;
            }
        }
        if let Some(x) = self.experience {
            if e.experience.as_ref().map(|x| x.years).unwrap_or(0) != x {
                return false;
            }
        }
        true
    }
}

/// A span of a displayed text that the query matched, in characters.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Matched {
    /// `name.zh`, `name.en`, `alias`, `issuer.zh`, `issuer.en`.
    pub field: &'static str,
    pub text: String,
    pub spans: Vec<[usize; 2]>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hit {
    pub id: String,
    pub code: String,
    pub list: String,
    pub seq: u32,
    pub name: Bilingual,
    pub score: f32,
    pub matched: Vec<Matched>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SearchResult {
    pub query: String,
    pub catalog: String,
    pub total: usize,
    pub hits: Vec<Hit>,
    /// Corrected queries to try when few or no entries match.
    pub suggestions: Vec<String>,
    /// Guidance when the query is empty or nothing matches.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<Bilingual>,
}

/// A catalogue with its search index.
pub struct Searcher<'c> {
    pub catalog: &'c Catalog,
    index: Index,
}

/// One piece of a query.
enum Term {
    Word(String),
    Han(Vec<char>),
}

/// What a term matched, kept for highlighting.
#[derive(Default)]
struct Needles(Vec<String>);

impl<'c> Searcher<'c> {
    pub fn new(catalog: &'c Catalog, places: &Places) -> Self {
        Searcher { catalog, index: Index::build(catalog, places) }
    }

    /// Searches. An empty query with no filters lists nothing and says how
    /// to search; an empty query with filters lists what they accept.
    pub fn search(&self, raw: &str, filters: &Filters, limit: usize) -> SearchResult {
        let raw = cut(raw);
        let q = normalise(raw);
        let terms = terms(&q);
        let n = self.index.entries;
        let mut result = SearchResult { query: raw.chars().filter(|c| !c.is_control()).collect(), catalog: self.catalog.id.to_string(), total: 0, hits: Vec::new(), suggestions: Vec::new(), message: None };
        if terms.is_empty() {
            if filters.is_empty() {
                result.message = Some(Bilingual::new(
                    "请输入证书名称、缩写、颁发机构、国家或地区、领域，中英文均可，例如：PMP、精算师、teacher California。",
                    "Type a qualification's name, abbreviation, issuer, country or field, in Chinese or English, e.g. PMP, 精算师, teacher California.",
                ));
                return result;
            }
            let all: Vec<&Entry> = self.catalog.entries.iter().filter(|e| filters.accepts(self.catalog, e)).collect();
            result.total = all.len();
            result.hits = all.into_iter().take(limit).map(|e| hit(e, 0.0, Vec::new())).collect();
            return result;
        }

        let mut sums = vec![0f32; n];
        let mut matched_terms = vec![0u16; n];
        let mut needles: Vec<Needles> = Vec::new();
        let mut unmatched_words = Vec::new();
        for term in &terms {
            let mut scores = vec![0f32; n];
            let mut nd = Needles::default();
            match term {
                Term::Word(w) => {
                    if !self.score_word(w, &mut scores, &mut nd) {
                        unmatched_words.push(w.clone());
                    }
                }
                Term::Han(chars) => self.score_han(chars, &mut scores, &mut nd),
            }
            for e in 0..n {
                if scores[e] > 0.0 {
                    sums[e] += scores[e];
                    matched_terms[e] += 1;
                }
            }
            needles.push(nd);
        }
        let key = zige_catalog::text::norm_key(&q);
        let exact = self.index.exact.get(&key);
        let nterms = terms.len() as f32;
        let mut ranked: Vec<(usize, f32)> = (0..n)
            .filter(|&e| matched_terms[e] > 0 && filters.accepts(self.catalog, &self.catalog.entries[e]))
            .map(|e| {
                let mut s = sums[e] / nterms;
                if matched_terms[e] as usize == terms.len() {
                    s += 0.5;
                }
                if let Some(x) = exact.and_then(|list| list.iter().find(|(i, _)| *i as usize == e)) {
                    s += x.1;
                }
                (e, (s * 1000.0).round() / 1000.0)
            })
            .collect();
        // Prune the tail: entries matching far less than the best one.
        let best = ranked.iter().map(|x| x.1).fold(0f32, f32::max);
        ranked.retain(|x| x.1 >= best * 0.2);
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        result.total = ranked.len();
        let flat: Vec<String> = needles.into_iter().flat_map(|x| x.0).collect();
        result.hits = ranked.into_iter().take(limit).map(|(e, s)| {
            let entry = &self.catalog.entries[e];
            hit(entry, s, spans(entry, &flat))
        }).collect();
        if !unmatched_words.is_empty() || result.hits.is_empty() {
            result.suggestions = self.suggest(&terms, &unmatched_words);
        }
        if result.hits.is_empty() {
            result.message = Some(Bilingual::new(
                "没有找到匹配的职业资格。请检查拼写，或改用缩写、颁发机构、国家或领域搜索。",
                "No qualification matches. Check the spelling, or search by abbreviation, issuer, country or field.",
            ));
        }
        result
    }

    /// Scores one word; returns false when nothing in the vocabulary
    /// matched it (pinyin may still have).
    fn score_word(&self, w: &str, scores: &mut [f32], nd: &mut Needles) -> bool {
        let idx = &self.index;
        let take = |id: u32, quality: f32, scores: &mut [f32], nd: &mut Needles| {
            let word = &idx.words[id as usize];
            for &(e, weight) in &word.postings {
                let s = &mut scores[e as usize];
                *s = s.max(quality * weight);
            }
            nd.0.push(word.text.clone());
        };
        let len = w.chars().count();
        let mut found = false;
        if let Some(&id) = idx.word_ids.get(w) {
            take(id, 1.0, scores, nd);
            found = true;
        }
        let stem = stemmer().stem(w);
        if let Some(ids) = idx.stems.get(stem.as_ref()) {
            for &id in ids {
                take(id, 0.95, scores, nd);
                found = true;
            }
        }
        if len >= 3 {
            for &id in idx.prefixed(w) {
                let word = &idx.words[id as usize];
                // Longer completions weigh less.
                let q = 0.8 - 0.1 * ((word.len - len) as f32 / word.len as f32);
                take(id, q, scores, nd);
                found = true;
            }
        }
        if len >= 5 && stem.chars().count() >= 5 {
            // Morphological neighbours: one's stem begins the other
            // (actuary/actuarial, gemmologist/gemmological).
            for &id in idx.prefixed(&stem) {
                take(id, 0.7, scores, nd);
                found = true;
            }
            for (end, _) in w.char_indices().skip(6) {
                if let Some(ids) = idx.stems.get(&w[..end]) {
                    for &id in ids {
                        if idx.words[id as usize].text != w {
                            take(id, 0.7, scores, nd);
                            found = true;
                        }
                    }
                }
            }
        }
        if !found && len >= 4 {
            let max = if len >= 8 { 2 } else { 1 };
            let mask = letter_mask(w);
            for (i, word) in idx.words.iter().enumerate() {
                if word.len.abs_diff(len) > max || (word.mask ^ mask).count_ones() as usize > 2 * max {
                    continue;
                }
                if let Some(d) = bounded_distance(w, &word.text, max) {
                    take(i as u32, if d == 1 { 0.7 } else { 0.55 }, scores, nd);
                    found = true;
                }
            }
        }
        if !found && len >= 4 && w.chars().all(|c| c.is_ascii_lowercase()) {
            for (e, py) in idx.pinyin.iter().enumerate() {
                if index::pinyin_match(w, py) {
                    scores[e] = scores[e].max(0.3);
                }
            }
        }
        found
    }

    /// Scores a run of Chinese characters by how many of its characters
    /// the entry's bigrams cover, and how heavily; a run standing whole in
    /// one text scores that text's weight.
    fn score_han(&self, chars: &[char], scores: &mut [f32], nd: &mut Needles) {
        let idx = &self.index;
        let n = idx.entries;
        let k = chars.len();
        if k == 1 {
            if let Some(p) = idx.unigrams.get(&chars[0]) {
                for &(e, w) in p {
                    scores[e as usize] = scores[e as usize].max(w);
                }
                nd.0.push(chars[0].to_string());
            }
            return;
        }
        let mut cover = vec![0f32; n * k];
        for i in 0..k - 1 {
            if let Some(p) = idx.bigrams.get(&(chars[i], chars[i + 1])) {
                nd.0.push(chars[i..i + 2].iter().collect());
                for &(e, w) in p {
                    let row = &mut cover[e as usize * k..(e as usize + 1) * k];
                    row[i] = row[i].max(w);
                    row[i + 1] = row[i + 1].max(w);
                }
            }
        }
        // Whole terms of the entry (a place, an alias, a name) that the run
        // is made of: "加州教师" is 加州 + 教师, and 阿拉斯加州 does not
        // count for 加州 although it holds the bigram.
        let mut terms = vec![0f32; n * k];
        for i in 0..k {
            for len in 2..=(k - i).min(index::MAX_TERM) {
                let sub: String = chars[i..i + len].iter().collect();
                if let Some(p) = idx.han_terms.get(&sub) {
                    for &(e, w) in p {
                        let row = &mut terms[e as usize * k..(e as usize + 1) * k];
                        row[i..i + len].iter_mut().for_each(|x| *x = x.max(w));
                    }
                }
            }
        }
        let whole: String = chars.iter().collect();
        for e in 0..n {
            let row = &cover[e * k..(e + 1) * k];
            let term = terms[e * k..(e + 1) * k].iter().sum::<f32>() / k as f32;
            let mut s = row.iter().sum::<f32>() / k as f32;
            s = s.max(term) + 0.15 * term;
            if s > 0.0 {
                if let Some(w) = idx.han_texts[e].iter().filter(|(t, _)| t.contains(whole.as_str())).map(|(_, w)| *w).reduce(f32::max) {
                    s = s.max(w) + 0.05;
                }
            }
            scores[e] = s;
        }
        nd.0.push(whole);
    }

    /// Did-you-mean: each unmatched word replaced by its nearest word in
    /// the vocabulary.
    fn suggest(&self, terms: &[Term], unmatched: &[String]) -> Vec<String> {
        if unmatched.is_empty() {
            return Vec::new();
        }
        let mut fixed = Vec::new();
        for t in terms {
            match t {
                Term::Word(w) if unmatched.contains(w) => {
                    let best = self
                        .index
                        .words
                        .iter()
                        .filter(|x| x.len >= 3 && !x.text.chars().any(zige_catalog::text::is_cjk))
                        .filter_map(|x| bounded_distance(w, &x.text, 3).map(|d| (d, std::cmp::Reverse(x.postings.len()), &x.text)))
                        .min();
                    match best {
                        Some((_, _, text)) => fixed.push(text.clone()),
                        None => return Vec::new(),
                    }
                }
                Term::Word(w) => fixed.push(w.clone()),
                Term::Han(c) => fixed.push(c.iter().collect()),
            }
        }
        vec![fixed.join(" ")]
    }
}

fn terms(q: &str) -> Vec<Term> {
    let toks = tokens(q);
    let meaningful = toks.iter().any(|t| matches!(t, Token::Han(_)) || matches!(t, Token::Word(w) if !is_stopword(w)));
    toks.into_iter()
        .filter_map(|t| match t {
            Token::Word(w) if meaningful && is_stopword(&w) => None,
            Token::Word(w) => Some(Term::Word(w)),
            Token::Han(h) => Some(Term::Han(h.chars().collect())),
        })
        .collect()
}

fn hit(e: &Entry, score: f32, matched: Vec<Matched>) -> Hit {
    Hit { id: e.id.clone(), code: e.code.clone(), list: e.list.clone(), seq: e.seq, name: Bilingual::new(e.name.zh.clone(), e.name.en.clone()), score, matched }
}

/// Where the matched words stand in the texts a page shows.
fn spans(e: &Entry, needles: &[String]) -> Vec<Matched> {
    let mut shown: Vec<(&'static str, &str)> = vec![("name.zh", &e.name.zh), ("name.en", &e.name.en)];
    shown.extend(e.all_aliases().map(|a| ("alias", a.as_str())));
    for i in &e.issuers {
        shown.push(("issuer.zh", &i.name.zh));
        shown.push(("issuer.en", &i.name.en));
    }
    let mut out = Vec::new();
    for (field, text) in shown {
        let lower: Vec<char> = normalize::normalise_with(text, false).chars().collect();
        let original: Vec<char> = text.chars().collect();
        if lower.len() != original.len() {
            continue;
        }
        let mut marks = vec![false; lower.len()];
        for nd in needles {
            let nd: Vec<char> = nd.chars().collect();
            if nd.is_empty() || nd.len() > lower.len() {
                continue;
            }
            for s in 0..=lower.len() - nd.len() {
                if lower[s..s + nd.len()] == nd[..] {
                    let is_word = nd.iter().all(|c| c.is_alphanumeric() && !zige_catalog::text::is_cjk(*c));
                    let boundary = !is_word || s == 0 || !lower[s - 1].is_alphanumeric();
                    if boundary {
                        marks[s..s + nd.len()].iter_mut().for_each(|m| *m = true);
                    }
                }
            }
        }
        let mut spans = Vec::new();
        let mut i = 0;
        while i < marks.len() {
            if marks[i] {
                let start = i;
                while i < marks.len() && marks[i] {
                    i += 1;
                }
                spans.push([start, i]);
            } else {
                i += 1;
            }
        }
        if !spans.is_empty() {
            out.push(Matched { field, text: text.to_string(), spans });
        }
    }
    out
}

/// Damerau–Levenshtein distance (adjacent transpositions) if ≤ `max`.
pub fn bounded_distance(a: &str, b: &str, max: usize) -> Option<usize> {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > max {
        return None;
    }
    let w = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * w];
    for j in 0..=b.len() {
        d[j] = j;
    }
    for i in 1..=a.len() {
        d[i * w] = i;
        let mut row_min = usize::MAX;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[(i - 1) * w + j] + 1).min(d[i * w + j - 1] + 1).min(d[(i - 1) * w + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[(i - 2) * w + j - 2] + 1);
            }
            d[i * w + j] = v;
            row_min = row_min.min(v);
        }
        if row_min > max {
            return None;
        }
    }
    let r = d[a.len() * w + b.len()];
    (r <= max).then_some(r)
}
