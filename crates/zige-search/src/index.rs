//! The in-memory index over one catalogue: words with their stems and
//! letter masks (for typos), Chinese bigrams and single characters, exact
//! names and aliases, and pinyin of the Chinese names.

use rustc_hash::FxHashMap as HashMap;

use pinyin::ToPinyinMulti;
use serde::Deserialize;
use zige_catalog::text::norm_key;
use zige_catalog::{Catalog, Entry, Places};

use crate::normalize::{normalize, normalize_with, tokens, Token};

/// Where a text sits on an entry, which decides how much a match there weighs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    Name,
    Alias,
    Issuer,
    Region,
    Field,
    Scope,
    Remark,
    Level,
}

impl Class {
    pub fn weight(self) -> f32 {
        match self {
            Class::Name | Class::Alias => 1.0,
            Class::Issuer => 0.6,
            Class::Region => 0.55,
            Class::Field => 0.45,
            Class::Level => 0.4,
            Class::Scope => 0.35,
            Class::Remark => 0.25,
        }
    }
}

/// The longest Chinese text kept as a whole term.
pub const MAX_TERM: usize = 12;

/// How much a text added by a synonym group weighs against the original.
const SYNONYM_FACTOR: f32 = 0.9;

pub(crate) struct Word {
    pub text: String,
    pub mask: u64,
    pub len: usize,
    pub postings: Vec<(u16, f32)>,
}

/// The search index of one catalogue.
pub struct Index {
    pub(crate) entries: usize,
    pub(crate) words: Vec<Word>,
    pub(crate) word_ids: HashMap<String, u32>,
    /// Word ids sorted by text, for prefix ranges.
    pub(crate) sorted: Vec<u32>,
    pub(crate) stems: HashMap<String, Vec<u32>>,
    pub(crate) bigrams: HashMap<(char, char), Vec<(u16, f32)>>,
    pub(crate) unigrams: HashMap<char, Vec<(u16, f32)>>,
    /// Each reading without tone → the indexed characters read so, to
    /// replace a query's character by one that sounds alike
    /// ([`crate::sound_alike`]).
    pub(crate) homophones: HashMap<&'static str, Vec<char>>,
    /// Chinese texts of each entry with their weights, for whole-phrase checks.
    pub(crate) han_texts: Vec<Vec<(String, f32)>>,
    /// Every Chinese text (a name, place, alias…) of up to [`MAX_TERM`]
    /// characters → entries, to find the whole terms a query is made of.
    pub(crate) han_terms: HashMap<String, Vec<(u16, f32)>>,
    /// Normalised key of a name, alias or issuer abbreviation → entries.
    pub(crate) exact: HashMap<String, Vec<(u16, f32)>>,
    /// Readings of each Chinese character of each entry's name, every
    /// reading of a polyphone (会 is hui and kuai).
    pub(crate) pinyin: Vec<Vec<Vec<&'static str>>>,
    /// The texts a page shows for each entry, prepared for highlighting.
    pub(crate) display: Vec<Vec<Display>>,
    /// The start of each entry's hit as JSON ([`crate::json`]).
    pub(crate) hit_heads: Vec<String>,
}

/// A shown text (name, alias, issuer) with its normalised words and their
/// character offsets, so matched spans cost no normalisation at query time.
pub(crate) struct Display {
    pub field: &'static str,
    pub text: String,
    /// The normalised text's characters (same count as the shown text).
    pub chars: Vec<char>,
    pub has_han: bool,
    /// Its words that are in the vocabulary: the word's id, and where it
    /// starts and ends (in characters).
    pub words: Vec<(u32, usize, usize)>,
    /// Its field and text as the start of a JSON object ([`crate::json`]).
    pub json_head: String,
}

impl Display {
    fn new(field: &'static str, text: &str, word_ids: &HashMap<String, u32>) -> Option<Display> {
        let norm = normalize_with(text, false);
        if norm.chars().count() != text.chars().count() {
            return None;
        }
        let mut words = Vec::new();
        let mut start = None;
        let chars: Vec<char> = norm.chars().collect();
        for (i, c) in chars.iter().chain(std::iter::once(&' ')).enumerate() {
            let is_word = c.is_alphanumeric() && !zige_catalog::text::is_cjk(*c);
            match (is_word, start) {
                (true, None) => start = Some(i),
                (false, Some(s)) => {
                    let word: String = chars[s..i].iter().collect();
                    if let Some(&id) = word_ids.get(&word) {
                        words.push((id, s, i));
                    }
                    start = None;
                }
                _ => {}
            }
        }
        let has_han = chars.iter().any(|c| zige_catalog::text::is_cjk(*c));
        Some(Display {
            field,
            text: text.to_string(),
            chars,
            has_han,
            words,
            json_head: crate::json::matched_head(field, text),
        })
    }
}

fn displays(e: &Entry, word_ids: &HashMap<String, u32>) -> Vec<Display> {
    let mut shown: Vec<(&'static str, &str)> =
        vec![("name.zh", &e.name.zh), ("name.en", &e.name.en)];
    if e.name.has_display_zh() {
        shown.push(("name.display_zh", &e.name.display_zh));
    }
    shown.extend(e.all_aliases().map(|a| ("alias", a.as_str())));
    for i in &e.issuers {
        shown.push(("issuer.zh", &i.name.zh));
        shown.push(("issuer.en", &i.name.en));
    }
    shown
        .into_iter()
        .filter_map(|(f, t)| Display::new(f, t, word_ids))
        .collect()
}

#[derive(Deserialize)]
struct SynonymFile {
    groups: Vec<Vec<String>>,
}

/// The built-in synonym groups.
pub const SYNONYMS: &str = include_str!("../data/synonyms.toml");

pub(crate) fn stemmer() -> &'static rust_stemmers::Stemmer {
    static S: std::sync::OnceLock<rust_stemmers::Stemmer> = std::sync::OnceLock::new();
    S.get_or_init(|| rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::English))
}

/// A 64-bit set of the letters and digits in a word, for a cheap lower
/// bound on edit distance.
pub(crate) fn letter_mask(word: &str) -> u64 {
    word.chars().fold(0u64, |m, c| {
        let bit = match c {
            'a'..='z' => c as u32 - 'a' as u32,
            '0'..='9' => 26 + c as u32 - '0' as u32,
            _ => 36 + (c as u32 % 28),
        };
        m | (1 << bit)
    })
}

pub(crate) struct Group {
    /// Latin members, each as its words.
    pub latin: Vec<Vec<String>>,
    pub han: Vec<String>,
}

/// The synonym groups with lookup tables to find, in one pass over a
/// text, which groups have a member standing in it.
struct Synonyms {
    groups: Vec<Group>,
    /// First word of a Latin member → (group, member words).
    by_word: HashMap<String, Vec<(usize, Vec<String>)>>,
    /// First character of a Chinese member → (group, member).
    by_char: HashMap<char, Vec<(usize, String)>>,
}

impl Synonyms {
    fn new() -> Synonyms {
        let groups = groups();
        let mut by_word: HashMap<String, Vec<(usize, Vec<String>)>> = HashMap::default();
        let mut by_char: HashMap<char, Vec<(usize, String)>> = HashMap::default();
        for (g, group) in groups.iter().enumerate() {
            for m in &group.latin {
                if let Some(first) = m.first() {
                    by_word
                        .entry(first.clone())
                        .or_default()
                        .push((g, m.clone()));
                }
            }
            for m in &group.han {
                if let Some(c) = m.chars().next() {
                    by_char.entry(c).or_default().push((g, m.clone()));
                }
            }
        }
        Synonyms {
            groups,
            by_word,
            by_char,
        }
    }

    /// The groups with a member in `text` (whose words are `words`).
    fn hits(&self, text: &str, words: &[&str]) -> Vec<usize> {
        let mut out = Vec::new();
        for (i, w) in words.iter().enumerate() {
            for (g, m) in self.by_word.get(*w).into_iter().flatten() {
                if words.len() - i >= m.len()
                    && words[i..i + m.len()]
                        .iter()
                        .zip(m)
                        .all(|(a, b)| *a == b.as_str())
                {
                    out.push(*g);
                }
            }
        }
        for (b, c) in text.char_indices() {
            for (g, m) in self.by_char.get(&c).into_iter().flatten() {
                if text[b..].starts_with(m.as_str()) {
                    out.push(*g);
                }
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }
}

pub(crate) fn groups() -> Vec<Group> {
    let file: SynonymFile =
        toml::from_str(SYNONYMS).expect("built-in synonyms.toml is valid (tested)");
    file.groups
        .into_iter()
        .map(|g| {
            let (han, latin): (Vec<String>, Vec<String>) = g
                .into_iter()
                .map(|m| normalize(&m))
                .partition(|m| m.chars().any(zige_catalog::text::is_cjk));
            Group {
                latin: latin.iter().map(|m| words_of(m)).collect(),
                han,
            }
        })
        .collect()
}

/// A place with its English name as words, prepared once per build.
struct Place<'p> {
    meta: &'p zige_catalog::overlay::PlaceMeta,
    en_words: Vec<String>,
}

/// Texts of one entry, before tokenising.
fn texts<'a>(
    e: &'a Entry,
    places: &'a Places,
    place_words: &'a [Place<'a>],
) -> Vec<(Class, &'a str)> {
    let mut t: Vec<(Class, &'a str)> = vec![(Class::Name, &e.name.zh), (Class::Name, &e.name.en)];
    if e.name.has_display_zh() {
        t.push((Class::Name, &e.name.display_zh));
    }
    t.extend(e.all_aliases().map(|a| (Class::Alias, a.as_str())));
    for i in &e.issuers {
        t.push((Class::Issuer, &i.name.zh));
        t.push((Class::Issuer, &i.name.en));
        if let Some(a) = &i.abbr {
            t.push((Class::Issuer, a));
        }
    }
    t.push((Class::Issuer, &e.issuer_text));
    push_region_texts(e, places, &mut t);
    push_place_texts(e, place_words, &mut t);
    for f in &e.fields {
        t.push((Class::Field, &f.name.zh));
        t.push((Class::Field, &f.name.en));
    }
    t.push((Class::Scope, &e.scope.zh));
    t.push((Class::Scope, &e.scope.en));
    push_remark_texts(e, &mut t);
    if let Some(l) = &e.levels {
        for c in l.codes.iter().chain(&l.not_recognised) {
            t.push((Class::Level, &c.label.zh));
            t.push((Class::Level, &c.label.en));
        }
    }
    t
}

/// The entry's regions, with the other names the places table gives them.
fn push_region_texts<'a>(e: &'a Entry, places: &'a Places, t: &mut Vec<(Class, &'a str)>) {
    for r in &e.regions {
        t.push((Class::Region, &r.name.zh));
        t.push((Class::Region, &r.name.en));
        if let Some(meta) = places
            .region
            .iter()
            .find(|m| Some(&m.code) == r.code.as_ref())
        {
            t.extend(
                meta.zh_aliases
                    .iter()
                    .chain(&meta.en_aliases)
                    .map(|a| (Class::Region, a.as_str())),
            );
        }
    }
}

/// Places named inside issuer names (states, provinces) with their other forms.
fn push_place_texts<'a>(e: &'a Entry, place_words: &'a [Place<'a>], t: &mut Vec<(Class, &'a str)>) {
    let issuer_words = words_of(&normalize_with(&e.issuer_text, false));
    for Place { meta: p, en_words } in place_words {
        if p.zh.iter().any(|z| e.issuer_text.contains(z.as_str()))
            || has_run(&issuer_words, en_words)
        {
            t.extend(
                p.zh.iter()
                    .chain(&p.en)
                    .map(|a| (Class::Issuer, a.as_str())),
            );
        }
    }
}

/// The remark's duties, exemptions, waivers and notes (its scope is
/// indexed apart; its title and experience sentences are boilerplate no
/// one searches for).
fn push_remark_texts<'a>(e: &'a Entry, t: &mut Vec<(Class, &'a str)>) {
    for c in e.obligations.iter().chain(&e.waivers) {
        t.push((Class::Remark, &c.text.zh));
        t.push((Class::Remark, &c.text.en));
    }
    for x in &e.exemptions {
        t.push((Class::Remark, &x.text.zh));
        t.push((Class::Remark, &x.text.en));
    }
    for n in &e.notes {
        t.push((Class::Remark, &n.zh));
        t.push((Class::Remark, &n.en));
    }
}

/// The words of a normalised text.
pub(crate) fn words_of(text: &str) -> Vec<String> {
    tokens(text).into_iter().filter_map(word).collect()
}

/// True when the words `n` stand in `h` as a contiguous run.
pub(crate) fn has_run(haystack: &[String], needle: &[String]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w == needle)
}

fn word(t: Token) -> Option<String> {
    match t {
        Token::Word(w) => Some(w),
        Token::Han(_) => None,
    }
}

impl Index {
    pub fn build(catalog: &Catalog, places: &Places) -> Index {
        let synonyms = Synonyms::new();
        let place_words: Vec<Place> = places
            .place
            .iter()
            .map(|meta| Place {
                meta,
                en_words: meta
                    .en
                    .first()
                    .map(|en| words_of(&normalize(en)))
                    .unwrap_or_default(),
            })
            .collect();
        let mut idx = Index {
            entries: catalog.entries.len(),
            words: Vec::new(),
            word_ids: HashMap::default(),
            sorted: Vec::new(),
            stems: HashMap::default(),
            bigrams: HashMap::default(),
            unigrams: HashMap::default(),
            homophones: HashMap::default(),
            han_texts: vec![Vec::new(); catalog.entries.len()],
            han_terms: HashMap::default(),
            exact: HashMap::default(),
            pinyin: Vec::new(),
            display: Vec::new(),
            hit_heads: (catalog.entries.iter().enumerate())
                .map(|(n, e)| crate::json::hit_head(n, e))
                .collect(),
        };
        let mut group_hits: Vec<(usize, f32)> = Vec::new();
        for (n, e) in catalog.entries.iter().enumerate() {
            let n = n as u16;
            for (class, raw) in texts(e, places, &place_words) {
                idx.add_text(n, class, raw, &synonyms, &mut group_hits);
            }
            for (g, weight) in group_hits.drain(..) {
                idx.add_synonym_group(n, &synonyms.groups[g], weight);
            }
            idx.add_exact_keys(n, e);
            let py: Vec<Vec<&'static str>> = e
                .name
                .zh
                .as_str()
                .to_pinyin_multi()
                .flatten()
                .map(|m| m.into_iter().map(|p| p.plain()).collect())
                .collect();
            idx.pinyin.push(py);
        }
        let mut sorted: Vec<u32> = (0..idx.words.len() as u32).collect();
        sorted.sort_by(|a, b| {
            idx.words[*a as usize]
                .text
                .cmp(&idx.words[*b as usize].text)
        });
        idx.sorted = sorted;
        idx.homophones = crate::sound_alike::homophones(idx.unigrams.keys().copied());
        idx.display = catalog
            .entries
            .iter()
            .map(|e| displays(e, &idx.word_ids))
            .collect();
        idx
    }

    /// Indexes one text of entry `n`. Synonym groups with a member here
    /// are remembered in `group_hits` with the heaviest weight, to add
    /// their members once per entry.
    fn add_text(
        &mut self,
        n: u16,
        class: Class,
        raw: &str,
        synonyms: &Synonyms,
        group_hits: &mut Vec<(usize, f32)>,
    ) {
        let text = normalize_with(raw, false);
        if text.trim().is_empty() {
            return;
        }
        let toks = tokens(&text);
        let words: Vec<&str> = toks
            .iter()
            .filter_map(|t| {
                if let Token::Word(w) = t {
                    Some(w.as_str())
                } else {
                    None
                }
            })
            .collect();
        let hits = synonyms.hits(&text, &words);
        self.add_tokens(n, toks, class.weight());
        for g in hits {
            match group_hits.iter_mut().find(|(x, _)| *x == g) {
                Some(h) => h.1 = h.1.max(class.weight()),
                None => group_hits.push((g, class.weight())),
            }
        }
    }

    /// The members of a synonym group an entry's texts named, at a fraction
    /// of the weight of the text that named it.
    fn add_synonym_group(&mut self, n: u16, group: &Group, weight: f32) {
        for m in &group.latin {
            for w in m {
                self.add_word(n, w.clone(), weight * SYNONYM_FACTOR);
            }
        }
        for m in &group.han {
            self.add_tokens(n, vec![Token::Han(m.clone())], weight * SYNONYM_FACTOR);
        }
    }

    /// The keys a query equal to the entry's code (G7; bonus 3), a name or
    /// alias (bonus 2) or an issuer's abbreviation (bonus 1) finds entry `n` by.
    fn add_exact_keys(&mut self, n: u16, e: &Entry) {
        let mut exact_keys: Vec<(String, f32)> = vec![
            (norm_key(&e.code), 3.0),
            (norm_key(&e.name.zh), 2.0),
            (norm_key(&e.name.en), 2.0),
        ];
        if e.name.has_display_zh() {
            exact_keys.push((norm_key(&normalize(&e.name.display_zh)), 2.0));
        }
        exact_keys.extend(e.aliases.iter().map(|a| (norm_key(&normalize(a)), 2.0)));
        exact_keys.extend(
            e.shared_aliases
                .iter()
                .map(|a| (norm_key(&normalize(a)), 2.0)),
        );
        exact_keys.extend(
            e.issuers
                .iter()
                .filter_map(|i| i.abbr.as_ref())
                .map(|a| (norm_key(a), 1.0)),
        );
        for (k, bonus) in exact_keys {
            if k.is_empty() {
                continue;
            }
            let list = self.exact.entry(k).or_default();
            match list.iter_mut().find(|(x, _)| *x == n) {
                Some(p) => p.1 = p.1.max(bonus),
                None => list.push((n, bonus)),
            }
        }
    }

    fn add_tokens(&mut self, entry: u16, toks: Vec<Token>, weight: f32) {
        for tok in toks {
            match tok {
                Token::Word(w) => self.add_word(entry, w, weight),
                Token::Han(h) => {
                    let chars: Vec<char> = h.chars().collect();
                    for c in &chars {
                        bump(self.unigrams.entry(*c).or_default(), entry, weight);
                    }
                    for pair in chars.windows(2) {
                        bump(
                            self.bigrams.entry((pair[0], pair[1])).or_default(),
                            entry,
                            weight,
                        );
                    }
                    if chars.len() >= 2 && chars.len() <= MAX_TERM {
                        bump(self.han_terms.entry(h.clone()).or_default(), entry, weight);
                    }
                    let texts = &mut self.han_texts[entry as usize];
                    match texts.iter_mut().find(|(t, _)| *t == h) {
                        Some(x) => x.1 = x.1.max(weight),
                        None => texts.push((h, weight)),
                    }
                }
            }
        }
    }

    fn add_word(&mut self, entry: u16, w: String, weight: f32) {
        let id = match self.word_ids.get(&w) {
            Some(id) => *id,
            None => {
                let id = self.words.len() as u32;
                let stem = stemmer().stem(&w).into_owned();
                self.stems.entry(stem).or_default().push(id);
                self.words.push(Word {
                    mask: letter_mask(&w),
                    len: w.chars().count(),
                    text: w.clone(),
                    postings: Vec::new(),
                });
                self.word_ids.insert(w, id);
                id
            }
        };
        bump(&mut self.words[id as usize].postings, entry, weight);
    }

    /// Word ids whose text starts with `prefix`.
    pub(crate) fn prefixed(&self, prefix: &str) -> &[u32] {
        let start = self
            .sorted
            .partition_point(|id| self.words[*id as usize].text.as_str() < prefix);
        let end = start
            + self.sorted[start..]
                .partition_point(|id| self.words[*id as usize].text.starts_with(prefix));
        &self.sorted[start..end]
    }
}

/// Records a match of `entry`; entries are indexed in order, so an existing
/// posting of this entry is the last one.
fn bump(postings: &mut Vec<(u16, f32)>, entry: u16, weight: f32) {
    match postings.last_mut().filter(|(e, _)| *e == entry) {
        Some(p) => p.1 = p.1.max(weight),
        None => postings.push((entry, weight)),
    }
}

/// True when the letters `q` spell the readings of consecutive characters
/// of `readings` (the last syllable may be cut short: "yaojish").
pub(crate) fn pinyin_match(query: &str, readings: &[Vec<&'static str>]) -> bool {
    fn from(query: &str, rest: &[Vec<&'static str>]) -> bool {
        if query.is_empty() {
            return true;
        }
        let Some((first, tail)) = rest.split_first() else {
            return false;
        };
        first.iter().any(|r| {
            (query.len() < r.len() && r.starts_with(query))
                || (query.starts_with(r) && from(&query[r.len()..], tail))
        })
    }
    (0..readings.len()).any(|i| from(query, &readings[i..]))
}
