//! Bilingual search over a Zige catalogue. Pure Rust, no IO: the same
//! library serves the CLI, the API and the web pages.
//!
//! A query is normalised (full-width → ASCII, traditional → simplified,
//! then Taiwan, Hong Kong and Japanese forms → mainland ones, accents and
//! apostrophes folded), split into words and runs of Chinese characters
//! (pinyin typed as separate syllables joined into one word), and each
//! piece is matched against the index: words exactly, by stem, by prefix
//! and within a bounded edit distance; Chinese runs by the characters their
//! bigrams cover, a character no bigram covers replaced by one sounding
//! alike; Latin words also against the pinyin of Chinese names as a last
//! resort. Entries are ranked by how much of the
//! query they match and where (name before issuer before field), with exact
//! names and aliases first.

mod index;
mod json;
pub mod normalize;
pub mod regional;
mod sound_alike;
mod syllables;
pub mod text;

use serde::Serialize;
use zige_catalog::{Bilingual, Catalog, Entry, Places, TitleLevel};

pub use index::Index;
use index::{letter_mask, stemmer};
use normalize::{cut, is_stopword, normalize, tokens, Token};

/// Restrictions that combine with a query, or stand alone.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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

    pub fn accepts(&self, catalog: &Catalog, entry: &Entry) -> bool {
        let eq = |a: &str, b: &str| a.trim().eq_ignore_ascii_case(b.trim());
        if let Some(l) = &self.list {
            let letter = catalog
                .list(&entry.list)
                .map(|x| x.letter.as_str())
                .unwrap_or("");
            if !eq(l, &entry.list) && !eq(l, letter) {
                return false;
            }
        }
        if let Some(f) = &self.field {
            if !entry
                .fields
                .iter()
                .any(|x| eq(f, &x.key) || eq(f, &x.name.zh) || eq(f, &x.name.en))
            {
                return false;
            }
        }
        if let Some(r) = &self.region {
            let international = ["international", "intl", "国际", "none"]
                .iter()
                .any(|x| eq(r, x));
            let hit = if international {
                entry.regions.is_empty()
            } else {
                entry.regions.iter().any(|x| {
                    x.code.as_deref().is_some_and(|c| eq(r, c))
                        || eq(r, &x.name.zh)
                        || eq(r, &x.name.en)
                })
            };
            if !hit {
                return false;
            }
        }
        if let Some(t) = self.title {
            if entry.title != Some(t) {
                return false;
            }
        }
        if let Some(x) = self.experience {
            if entry.experience.as_ref().map(|x| x.years).unwrap_or(0) != x {
                return false;
            }
        }
        true
    }
}

/// A span of a displayed text that the query matched, in characters.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Matched {
    /// `name.zh`, `name.en`, `name.display_zh`, `alias`, `issuer.zh`, `issuer.en`.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub field: &'static str,
    pub text: String,
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Vec<u64>>))]
    pub spans: Vec<[usize; 2]>,
    /// Which of the entry's shown texts this is (for the JSON writer, `json.rs`).
    #[serde(skip)]
    pub(crate) shown: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Hit {
    pub id: String,
    pub code: String,
    pub list: String,
    pub seq: u32,
    /// The official names.
    pub name: Bilingual,
    /// The names to show a person, which tell entries apart: the Chinese
    /// display name (the official one with a qualifier where it is shared)
    /// and the English name.
    pub display: Bilingual,
    /// A related entry rather than a match: it matches only part of the
    /// query and shares a field with the best match. Related entries come
    /// after every match.
    pub related: bool,
    pub score: f32,
    pub matched: Vec<Matched>,
    /// The entry's place in the catalogue (for the JSON writer, `json.rs`).
    #[serde(skip)]
    pub(crate) entry: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SearchResult {
    pub query: String,
    pub catalog: String,
    /// Entries found: the matches, then the related entries.
    pub total: usize,
    /// How many of `total` match the whole query; the rest are related.
    pub matches: usize,
    /// Where `hits` starts in the whole list (0 for the first page).
    pub offset: usize,
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
    finder: text::Finder,
}

/// One piece of a query.
enum Term {
    Word(String),
    Han(Vec<char>),
}

/// Every entry's score over the terms of a query (indexed like the
/// catalogue's entries), and what the terms matched.
struct TermScores {
    /// Sum of the entry's term scores, each weighted by the term's rarity.
    sums: Vec<f32>,
    /// How many terms the entry matched.
    matched_terms: Vec<u16>,
    /// How many terms the entry matched whole (every character of a
    /// Chinese run, by whole terms or in one text).
    full_terms: Vec<u16>,
    needles: Needles,
    /// Words nothing in the vocabulary matched (for suggestions).
    unmatched_words: Vec<String>,
    /// Sum of the terms' weights.
    weight_sum: f32,
}

/// What the terms matched, kept for highlighting.
#[derive(Default)]
struct Needles {
    words: rustc_hash::FxHashSet<u32>,
    /// Chinese bigrams found, and single characters searched alone.
    bigrams: Vec<(char, char)>,
    chars: Vec<char>,
}

impl<'c> Searcher<'c> {
    pub fn new(catalog: &'c Catalog, places: &Places) -> Self {
        Searcher {
            catalog,
            index: Index::build(catalog, places),
            finder: text::Finder::new(catalog, places),
        }
    }

    /// Every entry a text (a CV, a profile, a certificate's wording)
    /// names, once each; see [`text`].
    pub fn find_in_text(&self, text: &str) -> text::TextAnswer {
        self.finder.find(self, text)
    }

    /// Searches: the first `limit` hits of [`Self::search_page`].
    pub fn search(&self, raw: &str, filters: &Filters, limit: usize) -> SearchResult {
        self.search_page(raw, filters, 0, limit)
    }

    /// Searches, and returns `limit` hits from `offset`. Entries that match
    /// the whole query come first, best first; then related entries: those
    /// matching part of it that share a field with the best match. An
    /// empty query with no filters lists nothing and says how to search;
    /// an empty query with filters lists what they accept.
    pub fn search_page(
        &self,
        raw: &str,
        filters: &Filters,
        offset: usize,
        limit: usize,
    ) -> SearchResult {
        let raw = cut(raw);
        let q = regional::into_mainland(normalize(raw));
        let terms = terms(&q, &self.index);
        let mut result = SearchResult {
            query: raw.chars().filter(|c| !c.is_control()).collect(),
            catalog: self.catalog.id.to_string(),
            total: 0,
            matches: 0,
            offset,
            hits: Vec::new(),
            suggestions: Vec::new(),
            message: None,
        };
        if terms.is_empty() {
            self.list_filtered(filters, offset, limit, &mut result);
            return result;
        }
        let mut scores = self.score_terms(&terms);
        let ranked = self.rank(&q, &terms, &scores, filters);
        result.total = ranked.len();
        result.matches = ranked.iter().filter(|r| !r.related).count();
        scores.needles.bigrams.sort_unstable();
        scores.needles.bigrams.dedup();
        let needles = &scores.needles;
        let mut marks = Vec::new();
        result.hits = ranked
            .into_iter()
            .skip(offset)
            .take(limit)
            .map(|r| {
                let mut h = hit(
                    r.entry,
                    &self.catalog.entries[r.entry],
                    r.score,
                    spans(&self.index.display[r.entry], needles, &mut marks),
                );
                h.related = r.related;
                h
            })
            .collect();
        if result.total == 0 {
            result.suggestions = self.suggest(&terms, &scores.unmatched_words);
        }
        if result.total == 0 {
            result.message = Some(Bilingual::new(
                "没有找到匹配的职业资格。请检查拼写，或改用缩写、颁发机构、国家或领域搜索。",
                "No qualification matches. Check the spelling, or search by abbreviation, issuer, country or field.",
            ));
        }
        result
    }

    /// An empty query: with no filters, guidance on how to search; with
    /// filters, the entries they accept in catalogue order.
    fn list_filtered(
        &self,
        filters: &Filters,
        offset: usize,
        limit: usize,
        result: &mut SearchResult,
    ) {
        if filters.is_empty() {
            result.message = Some(Bilingual::new(
                "请输入证书名称、缩写、颁发机构、国家或地区、领域，中英文均可，例如：PMP、精算师、teacher California。",
                "Type a qualification's name, abbreviation, issuer, country or field, in Chinese or English, e.g. PMP, 精算师, teacher California.",
            ));
            return;
        }
        let all: Vec<(usize, &Entry)> = self
            .catalog
            .entries
            .iter()
            .enumerate()
            .filter(|(_, e)| filters.accepts(self.catalog, e))
            .collect();
        result.total = all.len();
        result.matches = all.len();
        result.hits = all
            .into_iter()
            .skip(offset)
            .take(limit)
            .map(|(n, e)| hit(n, e, 0.0, Vec::new()))
            .collect();
    }

    /// Scores every entry against every term, each term weighted by its
    /// rarity.
    fn score_terms(&self, terms: &[Term]) -> TermScores {
        let n = self.index.entries;
        let mut out = TermScores {
            sums: vec![0f32; n],
            matched_terms: vec![0u16; n],
            full_terms: vec![0u16; n],
            needles: Needles::default(),
            unmatched_words: Vec::new(),
            weight_sum: 0f32,
        };
        for term in terms {
            let mut scores = vec![0f32; n];
            let mut whole = vec![false; n];
            let nd = &mut out.needles;
            match term {
                Term::Word(w) => {
                    if !self.score_word(w, &mut scores, nd) {
                        out.unmatched_words.push(w.clone());
                    }
                    whole
                        .iter_mut()
                        .zip(&scores)
                        .for_each(|(w, s)| *w = *s > 0.0);
                }
                Term::Han(chars) => self.score_han(chars, &mut scores, &mut whole, nd),
            }
            for (e, w) in whole.iter().enumerate() {
                out.full_terms[e] += u16::from(*w && scores[e] > 0.0);
            }
            // Rarer terms weigh more (inverse document frequency): in
            // "PMP 认证" the abbreviation decides, not the common word.
            let df = scores.iter().filter(|s| **s > 0.0).count();
            let idf = if df == 0 {
                1.0
            } else {
                (1.0 + n as f32 / df as f32).ln()
            };
            out.weight_sum += idf;
            for (e, score) in scores.iter().enumerate() {
                if *score > 0.0 {
                    out.sums[e] += score * idf;
                    out.matched_terms[e] += 1;
                }
            }
        }
        out
    }

    /// The entries the filters accept that matched a term: those that
    /// match every term whole first, best first (the weighted score, a
    /// bonus for matching every term and for an exact name or alias, the
    /// tail far below the best pruned); then, as related entries, those
    /// matching part of the query that share a field with the best match.
    /// When nothing matches every term whole, the ranking is one list.
    fn rank(&self, q: &str, terms: &[Term], scores: &TermScores, filters: &Filters) -> Vec<Ranked> {
        let key = zige_catalog::text::norm_key(q);
        let exact = self.index.exact.get(&key);
        let exact_bonus =
            |e: usize| exact.and_then(|list| list.iter().find(|(i, _)| *i as usize == e));
        let mut all: Vec<Ranked> = (0..self.index.entries)
            .filter(|&e| {
                // A code (G7) matches no word of the text, only its key.
                (scores.matched_terms[e] > 0 || exact_bonus(e).is_some())
                    && filters.accepts(self.catalog, &self.catalog.entries[e])
            })
            .map(|e| {
                let mut s = scores.sums[e] / scores.weight_sum.max(f32::EPSILON);
                if scores.matched_terms[e] as usize == terms.len() {
                    s += 0.5;
                }
                if let Some(x) = exact_bonus(e) {
                    s += x.1;
                }
                Ranked {
                    entry: e,
                    score: (s * 1000.0).round() / 1000.0,
                    related: scores.full_terms[e] as usize != terms.len()
                        && exact_bonus(e).is_none(),
                }
            })
            .collect();
        all.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.entry.cmp(&b.entry)));
        let (mut matches, partial): (Vec<Ranked>, Vec<Ranked>) =
            all.into_iter().partition(|r| !r.related);
        if matches.is_empty() {
            matches = partial;
            matches.iter_mut().for_each(|r| r.related = false);
            prune(&mut matches);
            return matches;
        }
        prune(&mut matches);
        let best = &self.catalog.entries[matches[0].entry];
        let related = partial
            .into_iter()
            .filter(|r| shares_field(best, &self.catalog.entries[r.entry]));
        matches.extend(related);
        matches
    }

    /// Scores one word; returns false when nothing in the vocabulary
    /// matched it (pinyin may still have).
    fn score_word(&self, w: &str, scores: &mut [f32], nd: &mut Needles) -> bool {
        let len = w.chars().count();
        let mut found = self.score_word_forms(w, len, scores, nd);
        if !found && len >= 4 {
            found = self.score_misspelling(w, len, scores, nd);
        }
        if !found && len >= 4 && w.chars().all(|c| c.is_ascii_lowercase()) {
            for (e, py) in self.index.pinyin.iter().enumerate() {
                if index::pinyin_match(w, py) {
                    scores[e] = scores[e].max(0.3);
                }
            }
        }
        found
    }

    /// Raises the entries holding word `id` to `quality` times the weight
    /// of the text they hold it in.
    fn take(&self, id: u32, quality: f32, scores: &mut [f32], nd: &mut Needles) {
        let word = &self.index.words[id as usize];
        for &(e, weight) in &word.postings {
            let s = &mut scores[e as usize];
            *s = s.max(quality * weight);
        }
        nd.words.insert(id);
    }

    /// The word itself, its stem, the words it begins, and its
    /// morphological neighbours. True when any matched.
    fn score_word_forms(&self, w: &str, len: usize, scores: &mut [f32], nd: &mut Needles) -> bool {
        let idx = &self.index;
        let mut found = false;
        if let Some(&id) = idx.word_ids.get(w) {
            self.take(id, 1.0, scores, nd);
            found = true;
        }
        let stem = stemmer().stem(w);
        if let Some(ids) = idx.stems.get(stem.as_ref()) {
            for &id in ids {
                self.take(id, 0.95, scores, nd);
                found = true;
            }
        }
        if len >= 3 {
            for &id in idx.prefixed(w) {
                let word = &idx.words[id as usize];
                // Longer completions weigh less.
                let q = 0.8 - 0.1 * ((word.len - len) as f32 / word.len as f32);
                self.take(id, q, scores, nd);
                found = true;
            }
        }
        if len >= 5 && stem.chars().count() >= 5 {
            // Morphological neighbours: one's stem begins the other
            // (actuary/actuarial, gemmologist/gemmological).
            for &id in idx.prefixed(&stem) {
                self.take(id, 0.7, scores, nd);
                found = true;
            }
            for (end, _) in w.char_indices().skip(6) {
                if let Some(ids) = idx.stems.get(&w[..end]) {
                    for &id in ids {
                        if idx.words[id as usize].text != w {
                            self.take(id, 0.7, scores, nd);
                            found = true;
                        }
                    }
                }
            }
        }
        found
    }

    /// Words within one edit (two for long words) of a word nothing else
    /// matched. True when any matched.
    fn score_misspelling(&self, w: &str, len: usize, scores: &mut [f32], nd: &mut Needles) -> bool {
        let mut found = false;
        let max = if len >= 8 { 2 } else { 1 };
        let mask = letter_mask(w);
        for (i, word) in self.index.words.iter().enumerate() {
            if word.len.abs_diff(len) > max || (word.mask ^ mask).count_ones() as usize > 2 * max {
                continue;
            }
            if let Some(d) = bounded_distance(w, &word.text, max) {
                self.take(i as u32, if d == 1 { 0.7 } else { 0.55 }, scores, nd);
                found = true;
            }
        }
        found
    }

    /// Scores a run of Chinese characters by how many of its characters
    /// the entry's bigrams cover, and how heavily; a run standing whole in
    /// one text scores that text's weight. Characters no bigram covers are
    /// first replaced by ones sounding alike where that restores bigrams
    /// ([`sound_alike`]), whose matches weigh a little less.
    /// `whole` is set for the entries whose whole terms cover every
    /// character of the run, or that hold the run in one text.
    fn score_han(&self, chars: &[char], scores: &mut [f32], whole: &mut [bool], nd: &mut Needles) {
        let restored = sound_alike::restore(chars, &self.index);
        let (chars, replaced) = match &restored {
            Some(r) => (&r.chars[..], &r.replaced[..]),
            None => (chars, &[][..]),
        };
        let idx = &self.index;
        let n = idx.entries;
        let k = chars.len();
        if k == 1 {
            if let Some(p) = idx.unigrams.get(&chars[0]) {
                for &(e, w) in p {
                    scores[e as usize] = scores[e as usize].max(w);
                    whole[e as usize] = true;
                }
                nd.chars.push(chars[0]);
            }
            return;
        }
        let cover = self.bigram_cover(chars, replaced, nd);
        let terms = self.term_cover(chars, replaced);
        let whole_run: String = chars.iter().collect();
        let whole_factor = sound_alike::factor(replaced, 0..k);
        for e in 0..n {
            let row = &cover[e * k..(e + 1) * k];
            let term_row = &terms[e * k..(e + 1) * k];
            let term = term_row.iter().sum::<f32>() / k as f32;
            let mut s = row.iter().sum::<f32>() / k as f32;
            s = s.max(term) + 0.15 * term;
            // Only an entry holding every bigram of the run can hold the
            // run in one text: the heaviest such text.
            let held = if row.iter().all(|x| *x > 0.0) {
                idx.han_texts[e]
                    .iter()
                    .filter(|(t, _)| t.contains(whole_run.as_str()))
                    .map(|(_, w)| *w * whole_factor)
                    .reduce(f32::max)
            } else {
                None
            };
            // For two characters the bigram is the phrase, and its weight is
            // already the heaviest text holding it.
            if k == 2 && row[0] > 0.0 {
                s = s.max(row[0]) + 0.05;
            } else if let Some(w) = held.filter(|_| s > 0.0) {
                s = s.max(w) + 0.05;
            }
            scores[e] = s;
            whole[e] = s > 0.0 && (term_row.iter().all(|x| *x > 0.0) || held.is_some());
        }
    }

    /// For each entry (a row of `chars.len()`), the heaviest weight with
    /// which its bigrams cover each character of the run: less through a
    /// `replaced` character, and a little less for a bigram many entries
    /// hold, so that of two entries covering as much of 兽医师 the one with
    /// the rare 兽医 comes before the one with the common 医师.
    fn bigram_cover(&self, chars: &[char], replaced: &[bool], nd: &mut Needles) -> Vec<f32> {
        let k = chars.len();
        let n = self.index.entries as f32;
        let mut cover = vec![0f32; self.index.entries * k];
        for i in 0..k - 1 {
            if let Some(p) = self.index.bigrams.get(&(chars[i], chars[i + 1])) {
                nd.bigrams.push((chars[i], chars[i + 1]));
                let commonness = COMMON_BIGRAM_DISCOUNT * p.len() as f32 / n;
                let factor = sound_alike::factor(replaced, i..i + 2) * (1.0 - commonness);
                for &(e, w) in p {
                    let w = w * factor;
                    let row = &mut cover[e as usize * k..(e as usize + 1) * k];
                    row[i] = row[i].max(w);
                    row[i + 1] = row[i + 1].max(w);
                }
            }
        }
        cover
    }

    /// Like [`Self::bigram_cover`], for whole terms of the entry (a place,
    /// an alias, a name) that the run is made of: "加州教师" is 加州 + 教师,
    /// and 阿拉斯加州 does not count for 加州 although it holds the bigram.
    fn term_cover(&self, chars: &[char], replaced: &[bool]) -> Vec<f32> {
        let k = chars.len();
        let mut terms = vec![0f32; self.index.entries * k];
        for i in 0..k {
            for len in 2..=(k - i).min(index::MAX_TERM) {
                let sub: String = chars[i..i + len].iter().collect();
                if let Some(p) = self.index.han_terms.get(&sub) {
                    let factor = sound_alike::factor(replaced, i..i + len);
                    for &(e, w) in p {
                        let w = w * factor;
                        let row = &mut terms[e as usize * k..(e as usize + 1) * k];
                        row[i..i + len].iter_mut().for_each(|x| *x = x.max(w));
                    }
                }
            }
        }
        terms
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
                    let n = w.chars().count();
                    let max = match n {
                        0..=4 => 1,
                        5..=8 => 2,
                        _ => 3,
                    };
                    let best = self
                        .index
                        .words
                        .iter()
                        .filter(|x| {
                            x.len >= 4
                                && x.len.abs_diff(n) <= max
                                && (x.mask ^ letter_mask(w)).count_ones() as usize <= 2 * max
                                && !x.text.chars().any(zige_catalog::text::is_cjk)
                        })
                        .filter_map(|x| {
                            bounded_distance(w, &x.text, max)
                                .map(|d| (d, std::cmp::Reverse(x.postings.len()), &x.text))
                        })
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

fn terms(q: &str, index: &Index) -> Vec<Term> {
    let toks = syllables::join(tokens(q), index);
    let meaningful = toks
        .iter()
        .any(|t| matches!(t, Token::Han(_)) || matches!(t, Token::Word(w) if !is_stopword(w)));
    toks.into_iter()
        .filter_map(|t| match t {
            Token::Word(w) if meaningful && is_stopword(&w) => None,
            Token::Word(w) => Some(Term::Word(w)),
            Token::Han(h) => Some(Term::Han(h.chars().collect())),
        })
        .collect()
}

/// How much less a bigram every entry holds covers than one only a few
/// entries hold (in proportion to the share of entries holding it).
const COMMON_BIGRAM_DISCOUNT: f32 = 0.05;

/// An entry found, with its score and whether it is only related.
struct Ranked {
    entry: usize,
    score: f32,
    related: bool,
}

/// Drops the tail of a ranking sorted best first: entries scoring far
/// less than the best one.
fn prune(ranked: &mut Vec<Ranked>) {
    let best = ranked.first().map(|r| r.score).unwrap_or(0.0);
    ranked.retain(|r| r.score >= best * 0.2);
}

/// Whether two entries share a field (education, finance…).
fn shares_field(a: &Entry, b: &Entry) -> bool {
    a.fields
        .iter()
        .any(|f| b.fields.iter().any(|g| g.key == f.key))
}

/// Entry `entry` of the catalogue, `e`, as a hit.
fn hit(entry: usize, e: &Entry, score: f32, matched: Vec<Matched>) -> Hit {
    Hit {
        entry,
        id: e.id.clone(),
        code: e.code.clone(),
        list: e.list.clone(),
        seq: e.seq,
        name: Bilingual::new(e.name.zh.clone(), e.name.en.clone()),
        display: e.name.shown_both(),
        related: false,
        score,
        matched,
    }
}

/// Where the matched words stand in the texts a page shows; `marks` is
/// a buffer kept between calls.
fn spans(shown: &[index::Display], nd: &Needles, marks: &mut Vec<bool>) -> Vec<Matched> {
    let mut out = Vec::new();
    for (n, d) in shown.iter().enumerate() {
        let spans = if d.has_han {
            marks.clear();
            marks.resize(d.chars.len(), false);
            for &(id, s, e) in &d.words {
                if nd.words.contains(&id) {
                    marks[s..e].fill(true);
                }
            }
            mark_han(d, nd, marks);
            runs(marks)
        } else {
            // Words stand apart (a space or a sign between them): each
            // matched word is its own span.
            d.words
                .iter()
                .filter(|(id, _, _)| nd.words.contains(id))
                .map(|&(_, s, e)| [s, e])
                .collect()
        };
        if !spans.is_empty() {
            out.push(Matched {
                shown: n,
                field: d.field,
                text: d.text.clone(),
                spans,
            });
        }
    }
    out
}

/// Marks the characters of a shown text that a searched Chinese character
/// or bigram covers.
fn mark_han(d: &index::Display, nd: &Needles, marks: &mut [bool]) {
    if nd.chars.is_empty() && nd.bigrams.is_empty() {
        return;
    }
    for (i, c) in d.chars.iter().enumerate() {
        if nd.chars.contains(c) {
            marks[i] = true;
        }
    }
    for (i, pair) in d.chars.windows(2).enumerate() {
        if nd.bigrams.binary_search(&(pair[0], pair[1])).is_ok() {
            marks[i] = true;
            marks[i + 1] = true;
        }
    }
}

/// The runs of marked characters, as [start, end) pairs.
fn runs(marks: &[bool]) -> Vec<[usize; 2]> {
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
    spans
}

/// Damerau–Levenshtein distance (adjacent transpositions) if ≤ `max`.
/// Works on the stack for words of up to 48 characters.
pub fn bounded_distance(left: &str, right: &str, max: usize) -> Option<usize> {
    const CAP: usize = 48;
    let mut ab = ['\0'; CAP];
    let mut bb = ['\0'; CAP];
    let (mut la, mut lb) = (0, 0);
    for c in left.chars() {
        if la == CAP {
            return None;
        }
        ab[la] = c;
        la += 1;
    }
    for c in right.chars() {
        if lb == CAP {
            return None;
        }
        bb[lb] = c;
        lb += 1;
    }
    let (left, right) = (&ab[..la], &bb[..lb]);
    if la.abs_diff(lb) > max {
        return None;
    }
    // Three rolling rows: i-2, i-1, i.
    let mut rows = [[0u8; CAP + 1]; 3];
    for (j, x) in rows[0].iter_mut().enumerate().take(lb + 1) {
        *x = j as u8;
    }
    for i in 1..=la {
        let (cur, prev, prev2) = (i % 3, (i + 2) % 3, (i + 1) % 3);
        rows[cur][0] = i as u8;
        let mut row_min = i as u8;
        for j in 1..=lb {
            let cost = u8::from(left[i - 1] != right[j - 1]);
            let mut v = (rows[prev][j] + 1)
                .min(rows[cur][j - 1] + 1)
                .min(rows[prev][j - 1] + cost);
            if i > 1 && j > 1 && left[i - 1] == right[j - 2] && left[i - 2] == right[j - 1] {
                v = v.min(rows[prev2][j - 2] + 1);
            }
            rows[cur][j] = v;
            row_min = row_min.min(v);
        }
        if row_min as usize > max {
            return None;
        }
    }
    let r = rows[la % 3][lb] as usize;
    (r <= max).then_some(r)
}

#[cfg(test)]
mod tests {
    use super::bounded_distance;

    #[test]
    fn distance_counts_edits_and_transpositions() {
        assert_eq!(bounded_distance("kubernets", "kubernetes", 2), Some(1));
        assert_eq!(bounded_distance("acturay", "actuary", 2), Some(1));
        assert_eq!(bounded_distance("pharmasist", "pharmacist", 2), Some(1));
        assert_eq!(bounded_distance("abc", "xyz", 2), None);
        assert_eq!(bounded_distance("", "ab", 2), Some(2));
        assert_eq!(bounded_distance("药剂师", "药剂士", 1), Some(1));
    }
}

/// One value of a facet with the number of entries it would show.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FacetValue {
    pub value: String,
    pub label: Bilingual,
    pub count: usize,
    pub selected: bool,
}

/// Counts for each facet, each counted under all the other filters.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Facets {
    pub list: Vec<FacetValue>,
    pub field: Vec<FacetValue>,
    pub region: Vec<FacetValue>,
    pub title: Vec<FacetValue>,
    pub experience: Vec<FacetValue>,
}

/// The facets of a catalogue under `filters`.
pub fn facets(catalog: &Catalog, filters: &Filters) -> Facets {
    let count = |f: &Filters| {
        catalog
            .entries
            .iter()
            .filter(|e| f.accepts(catalog, e))
            .count()
    };
    let mut out = Facets::default();
    for l in &catalog.lists {
        let f = Filters {
            list: Some(l.key.clone()),
            ..filters.clone()
        };
        out.list.push(FacetValue {
            value: l.key.clone(),
            label: l.name.clone(),
            count: count(&f),
            selected: filters.list.as_deref() == Some(&l.key),
        });
    }
    let (fields, regions) = fields_and_regions(catalog);
    for (key, label) in fields {
        let f = Filters {
            field: Some(key.clone()),
            ..filters.clone()
        };
        out.field.push(FacetValue {
            selected: filters.field.as_deref() == Some(&key),
            count: count(&f),
            value: key,
            label,
        });
    }
    for (key, label) in regions {
        let f = Filters {
            region: Some(key.clone()),
            ..filters.clone()
        };
        out.region.push(FacetValue {
            selected: filters
                .region
                .as_deref()
                .is_some_and(|r| r.eq_ignore_ascii_case(&key)),
            count: count(&f),
            value: key,
            label,
        });
    }
    out.region
        .sort_by(|a, b| b.count.cmp(&a.count).then(a.value.cmp(&b.value)));
    for t in [TitleLevel::DeputySenior, TitleLevel::Intermediate] {
        let f = Filters {
            title: Some(t),
            ..filters.clone()
        };
        out.title.push(FacetValue {
            value: t.code().into(),
            label: t.name(),
            count: count(&f),
            selected: filters.title == Some(t),
        });
    }
    out.experience = experience_facet(catalog, filters, &count);
    out
}

/// Keys with their labels, in order of first use.
type Labelled = Vec<(String, Bilingual)>;

/// The catalogue's fields and regions (keyed by code, or by Chinese name
/// where a region has none), in order of first use; international bodies last.
fn fields_and_regions(catalog: &Catalog) -> (Labelled, Labelled) {
    let mut fields: Vec<(String, Bilingual)> = Vec::new();
    let mut regions: Vec<(String, Bilingual)> = Vec::new();
    for e in &catalog.entries {
        for f in &e.fields {
            if !fields.iter().any(|(k, _)| k == &f.key) {
                fields.push((f.key.clone(), f.name.clone()));
            }
        }
        for r in &e.regions {
            let key = r.code.clone().unwrap_or_else(|| r.name.zh.clone());
            if !regions.iter().any(|(k, _)| *k == key) {
                regions.push((key, r.name.clone()));
            }
        }
    }
    regions.push((
        "international".into(),
        Bilingual::new("国际组织", "International bodies"),
    ));
    (fields, regions)
}

/// One value per number of years of experience the entries require.
fn experience_facet(
    catalog: &Catalog,
    filters: &Filters,
    count: &dyn Fn(&Filters) -> usize,
) -> Vec<FacetValue> {
    let mut years: Vec<u8> = catalog
        .entries
        .iter()
        .map(|e| e.experience.as_ref().map(|x| x.years).unwrap_or(0))
        .collect();
    years.sort_unstable();
    years.dedup();
    years
        .into_iter()
        .map(|y| {
            let f = Filters {
                experience: Some(y),
                ..filters.clone()
            };
            let label = if y == 0 {
                Bilingual::new("无要求", "None required")
            } else {
                Bilingual::new(format!("{y}年"), format!("{y} years"))
            };
            FacetValue {
                value: y.to_string(),
                label,
                count: count(&f),
                selected: filters.experience == Some(y),
            }
        })
        .collect()
}
