//! What a text is searched for, built once from the catalogue: each
//! entry's names and aliases; for names that alone do not tell which
//! entry is meant ("Pharmacist Registration" of Australia, Great Britain
//! and Hong Kong; 教师资格证书 of twenty places), their core ("pharmacist",
//! 教师) with the qualifiers that tell the entries apart (places, issuers);
//! and the levels each entry has.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use zige_catalog::text::norm_key;
use zige_catalog::{Catalog, Entry, Places};

use super::pattern::{root, Pattern, Roots, Slot};
use super::starts::Starts;
use super::stream::Stream;
use crate::index::{groups, Group};
use crate::normalize::{is_stopword, normalize};

/// Words that say a name is a licence or a registration rather than what
/// it licenses: stripped from a name to find its core, and wanted near a
/// core in a text when the name had one.
pub(crate) const GENERIC_WORDS: &[&str] = &[
    "registration",
    "registered",
    "register",
    "licence",
    "license",
    "licensed",
    "licensure",
    "licensing",
    "certificate",
    "certified",
    "certification",
    "credential",
    "credentials",
    "qualification",
    "qualified",
    "practising",
    "practicing",
    "accredited",
    "approbation",
];
pub(crate) const GENERIC_HAN: &[&str] = &[
    "证明书",
    "证明",
    "注册",
    "执照",
    "证书",
    "资格",
    "认证",
    "执业",
    "凭证",
    "资质",
    "牌照",
    "许可",
    "证",
];
/// Also stripped from a Chinese name's core, but no evidence of a licence.
const FILLER_HAN: &[&str] = &["相关", "等级"];

/// How a pattern found in a text is read.
pub(crate) enum Use {
    /// Names or aliases of these entries.
    Names { entries: Vec<u16>, confidence: f32 },
    /// The core of names that need a qualifier: index into `cores`.
    Core(usize),
    /// An awarding body: index into `bodies`.
    Body(usize),
}

/// An entry a core may stand for, and whether a generic word must be near.
pub(crate) struct Candidate {
    pub entry: u16,
    pub needs_generic: bool,
}

pub(crate) struct Dictionary {
    pub patterns: Vec<(Pattern, Use)>,
    /// Pattern ids by the unit they start with.
    pub first: Starts<u32>,
    pub cores: Vec<Vec<Candidate>>,
    /// Per entry: the places and issuers that tell it apart.
    pub qualifiers: Vec<Vec<Pattern>>,
    pub generic: Vec<Pattern>,
    /// Per entry: names of its levels, with their codes.
    pub levels: Vec<Vec<(Pattern, String)>>,
    pub bodies: Vec<Vec<super::bodies::Awarded>>,
    /// Words of licensing, which name a body's only entry after the body.
    pub licence: Vec<Pattern>,
    /// Per pattern standing for several entries: for each of them, the
    /// qualifiers no other of them has.
    pub distinct: HashMap<u32, Qualifiers>,
}

impl Dictionary {
    pub fn build(catalog: &Catalog, places: &Places) -> Dictionary {
        let groups = groups();
        let told_by: Vec<Vec<String>> = catalog
            .entries
            .iter()
            .map(|e| places_and_issuers(e, places))
            .collect();
        let qualifiers: Vec<Vec<String>> = (catalog.entries.iter().zip(&told_by))
            .map(|(e, t)| qualifier_texts(e, t))
            .collect();
        let shared = shared_names(catalog);
        let shared_abbreviations = shared_abbreviations(catalog);
        let mut names: HashMap<Pattern, (Vec<u16>, f32)> = HashMap::default();
        let mut cores: HashMap<Pattern, Vec<Candidate>> = HashMap::default();
        for (n, e) in catalog.entries.iter().enumerate() {
            let n = n as u16;
            let qualified = needs_qualifier(e, &told_by[n as usize], &shared);
            for (text, confidence) in name_texts(e, qualified, &shared, &shared_abbreviations) {
                let p = Pattern::of(&text);
                if p.is_empty() {
                    continue;
                }
                let confidence = if p.slots.len() == 1 && text.is_ascii() {
                    0.9
                } else {
                    confidence
                };
                let slot = names.entry(p).or_insert((Vec::new(), confidence));
                if !slot.0.contains(&n) {
                    slot.0.push(n);
                }
                slot.1 = slot.1.max(confidence);
            }
            let mut own_cores = shared_abbreviation_cores(e, &shared_abbreviations);
            if qualified {
                own_cores.extend(cores_of(e, &qualifiers[n as usize], &groups));
            }
            for (core, needs_generic) in own_cores {
                let candidates = cores.entry(core).or_default();
                if !candidates.iter().any(|c| c.entry == n) {
                    candidates.push(Candidate {
                        entry: n,
                        needs_generic,
                    });
                }
            }
        }
        let mut dictionary = Dictionary {
            patterns: Vec::new(),
            first: Starts::new(),
            cores: Vec::new(),
            qualifiers: qualifiers
                .iter()
                .map(|q| {
                    q.iter()
                        .map(|t| Pattern::of(t))
                        .filter(|p| !p.is_empty())
                        .collect()
                })
                .collect(),
            generic: GENERIC_WORDS
                .iter()
                .chain(GENERIC_HAN)
                .map(|t| Pattern::of(t))
                .collect(),
            levels: catalog.entries.iter().map(level_patterns).collect(),
            bodies: Vec::new(),
            licence: super::bodies::licence_words(),
            distinct: HashMap::default(),
        };
        for (p, awarded) in super::bodies::bodies(catalog) {
            dictionary.bodies.push(awarded);
            let body = dictionary.bodies.len() - 1;
            dictionary.add(p, Use::Body(body));
        }
        for (p, (entries, confidence)) in names {
            dictionary.add(
                p,
                Use::Names {
                    entries,
                    confidence,
                },
            );
        }
        for (p, candidates) in cores {
            dictionary.cores.push(candidates);
            let core = dictionary.cores.len() - 1;
            dictionary.add(p, Use::Core(core));
        }
        dictionary
    }

    fn add(&mut self, p: Pattern, use_: Use) {
        let id = self.patterns.len() as u32;
        let entries: Vec<u16> = match &use_ {
            Use::Names { entries, .. } => entries.clone(),
            Use::Core(c) => self.cores[*c].iter().map(|c| c.entry).collect(),
            Use::Body(_) => Vec::new(),
        };
        if !entries.is_empty() {
            let distinct: Vec<Vec<Pattern>> = entries
                .iter()
                .map(|&e| {
                    self.qualifiers[e as usize]
                        .iter()
                        .filter(|q| {
                            entries.len() == 1
                                || entries
                                    .iter()
                                    .filter(|&&o| o != e)
                                    .all(|&o| !self.qualifiers[o as usize].contains(q))
                        })
                        .cloned()
                        .collect()
                })
                .collect();
            self.distinct.insert(id, Qualifiers::new(distinct));
        }
        self.first.insert(&p, id);
        self.patterns.push((p, use_));
    }
}

/// For each entry a pattern stands for, the qualifiers that tell it from
/// the others, filed by their first unit: (entry's place, qualifier's).
pub(crate) struct Qualifiers {
    pub patterns: Vec<Vec<Pattern>>,
    starts: Starts<(u16, u16)>,
}

impl Qualifiers {
    fn new(patterns: Vec<Vec<Pattern>>) -> Qualifiers {
        let mut starts = Starts::new();
        for (n, own) in patterns.iter().enumerate() {
            for (k, q) in own.iter().enumerate() {
                starts.insert(q, (n as u16, k as u16));
            }
        }
        Qualifiers { patterns, starts }
    }

    /// The qualifiers that may start at unit `i`, into `out`.
    pub fn at(&self, stream: &Stream, roots: &mut Roots, i: usize, out: &mut Vec<(u16, u16)>) {
        self.starts.at(stream, roots, i, out);
    }
}

/// Names (zh, en, display) used by more than one entry, as keys.
fn shared_names(catalog: &Catalog) -> HashMap<String, usize> {
    let mut count: HashMap<String, usize> = HashMap::default();
    for e in &catalog.entries {
        let mut keys = vec![
            norm_key(&normalize(&e.name.zh)),
            norm_key(&normalize(&e.name.en)),
            norm_key(&normalize(&base(&e.name.en))),
            norm_key(&normalize(&base(&e.name.zh))),
        ];
        keys.sort();
        keys.dedup();
        for k in keys {
            *count.entry(k).or_default() += 1;
        }
    }
    count.retain(|_, c| *c > 1);
    count
}

/// Abbreviations (two capitals or more) that more than one entry uses in
/// its names, aliases or level codes: CPA, not CEng.
fn shared_abbreviations(catalog: &Catalog) -> HashSet<String> {
    let mut count: HashMap<String, usize> = HashMap::default();
    for e in &catalog.entries {
        let codes = e.levels.iter().flat_map(|l| &l.codes).map(|c| &c.code);
        let mut own: Vec<String> = [&e.name.en]
            .into_iter()
            .chain(e.all_aliases())
            .chain(codes)
            .flat_map(|t| abbreviations(t))
            .map(str::to_lowercase)
            .collect();
        own.sort();
        own.dedup();
        for a in own {
            *count.entry(a).or_default() += 1;
        }
    }
    count
        .into_iter()
        .filter(|(_, c)| *c > 1)
        .map(|(a, _)| a)
        .collect()
}

/// The abbreviations of an entry's name and aliases that other entries
/// use too, as cores: "CPA" stands for the American, Australian or Hong
/// Kong qualification only with a place or issuer beside it ("US CPAs").
fn shared_abbreviation_cores(e: &Entry, shared: &HashSet<String>) -> Vec<(Pattern, bool)> {
    [&e.name.en]
        .into_iter()
        .chain(e.all_aliases())
        .flat_map(|t| abbreviations(t))
        .filter(|a| shared.contains(&a.to_lowercase()))
        .map(|a| (Pattern::of(a), false))
        .collect()
}

/// The words of a text with two capitals or more.
fn abbreviations(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| w.chars().filter(|c| c.is_uppercase()).count() >= 2)
}

fn is_shared(text: &str, shared: &HashMap<String, usize>) -> bool {
    shared.contains_key(&norm_key(&normalize(text)))
}

/// The texts of an entry found by themselves, with their confidence: its
/// names, unless they need a qualifier (then only in full, with it), and
/// its aliases.
fn name_texts(
    e: &Entry,
    qualified: bool,
    shared: &HashMap<String, usize>,
    shared_abbreviations: &HashSet<String>,
) -> Vec<(String, f32)> {
    let mut out = Vec::new();
    for name in [&e.name.en, &e.name.zh, &e.name.display_zh] {
        let full_is_specific = qualified && has_parenthesis(name);
        if (!qualified || full_is_specific) && !is_shared(name, shared) {
            out.push((name.clone(), 0.97));
        }
    }
    out.extend(e.all_aliases().map(|a| (a.clone(), 0.95)));
    if !qualified {
        out.extend(shortened_names(e, shared).into_iter().map(|n| (n, 0.9)));
    }
    out.extend(
        e.levels
            .iter()
            .flat_map(|l| &l.codes)
            .flat_map(|c| [&c.label.en, &c.label.zh])
            .filter(|label| names_more_than_abbreviation(label) && has_abbreviation(label))
            .filter(|label| {
                abbreviations(label).all(|a| !shared_abbreviations.contains(&a.to_lowercase()))
            })
            .map(|label| (label.clone(), 0.9)),
    );
    out
}

/// Shorter forms of an entry's own names, as people write them: the
/// English name without its brackets, the Chinese name without its
/// brackets and without the generic words ("双板滑雪教练" of
/// 双板滑雪教练证书, with a level written inside in a text).
fn shortened_names(e: &Entry, shared: &HashMap<String, usize>) -> Vec<String> {
    let mut out = Vec::new();
    let en = base(&e.name.en);
    if en.split_whitespace().count() >= 2 && !is_shared(&en, shared) {
        out.push(en);
    }
    let mut zh = normalize(&base(&e.name.zh));
    for g in GENERIC_HAN {
        zh = zh.replace(g, " ");
    }
    if let Some(head) = zh.split_whitespace().max_by_key(|p| p.chars().count()) {
        if head
            .chars()
            .filter(|c| zige_catalog::text::is_cjk(*c))
            .count()
            >= 4
        {
            out.push(head.to_string());
        }
    }
    out
}

/// Whether a level's label has words besides an abbreviation: "UEFA A
/// Licence", 特许工程师（CEng）.
fn names_more_than_abbreviation(label: &str) -> bool {
    label.split_whitespace().count() >= 2 || label.chars().any(zige_catalog::text::is_cjk)
}

fn has_abbreviation(text: &str) -> bool {
    abbreviations(text).next().is_some()
}

/// Whether the entry's names need a place or issuer beside them: a name
/// shared with other entries, or a name qualified by one of the entry's
/// places or issuers in brackets (Teaching License (Virginia)).
fn needs_qualifier(e: &Entry, told_by: &[String], shared: &HashMap<String, usize>) -> bool {
    if [&e.name.zh, &e.name.en]
        .iter()
        .any(|n| is_shared(n, shared))
        || is_shared(&base(&e.name.en), shared)
    {
        return true;
    }
    [&e.name.en, &e.name.display_zh].iter().any(|name| {
        bracketed(name).iter().any(|part| {
            let part = normalize(part);
            told_by.iter().any(|q| {
                let q = normalize(q);
                q.chars().count() >= 2 && (part.contains(&q) || q.contains(&part))
            })
        })
    })
}

/// The places and issuers of an entry: its regions with their other
/// names, the places its issuers name, the issuers and their
/// abbreviations.
fn places_and_issuers(e: &Entry, places: &Places) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for r in &e.regions {
        out.push(r.name.zh.clone());
        out.push(r.name.en.clone());
        if let Some(meta) = places
            .region
            .iter()
            .find(|m| Some(&m.code) == r.code.as_ref())
        {
            out.extend(meta.zh_aliases.iter().chain(&meta.en_aliases).cloned());
        }
    }
    let issuer = normalize(&e.issuer_text);
    for p in &places.place {
        let named = p.zh.iter().any(|z| e.issuer_text.contains(z.as_str()))
            || p.en.iter().any(|x| contains_words(&issuer, &normalize(x)));
        if named {
            out.extend(p.zh.iter().chain(&p.en).cloned());
        }
    }
    let issuers_without_place: Vec<String> = e
        .issuers
        .iter()
        .filter_map(|i| without_leading_place(&normalize(&i.name.zh), &out))
        .collect();
    for i in &e.issuers {
        out.push(i.name.zh.clone());
        out.push(i.name.en.clone());
        out.extend(i.abbr.clone());
    }
    out.extend(issuers_without_place);
    tidy(out)
}

/// A Chinese issuer's name without the place it starts with, as people
/// shorten it (考选部 of 中国台湾地区考选部), when at least three
/// characters are left.
fn without_leading_place(name: &str, places: &[String]) -> Option<String> {
    let place = places
        .iter()
        .map(|p| normalize(p))
        .filter(|p| p.chars().count() >= 2 && name.starts_with(p.as_str()))
        .max_by_key(|p| p.len())?;
    let rest = &name[place.len()..];
    let rest = ["特别行政区", "地区", "省", "州", "市"]
        .iter()
        .find_map(|w| rest.strip_prefix(w))
        .unwrap_or(rest);
    (rest.chars().count() >= 3 && rest.chars().all(zige_catalog::text::is_cjk))
        .then(|| rest.to_string())
}

/// What tells an entry apart: its places and issuers, and the bracketed
/// parts of its names that are neither levels nor abbreviations.
fn qualifier_texts(e: &Entry, places_and_issuers: &[String]) -> Vec<String> {
    let mut out = places_and_issuers.to_vec();
    for name in [&e.name.en, &e.name.display_zh] {
        out.extend(
            bracketed(name)
                .into_iter()
                .filter(|p| !is_level_text(e, p) && !is_abbreviation(p))
                .map(str::to_string),
        );
    }
    tidy(out)
}

fn tidy(mut texts: Vec<String>) -> Vec<String> {
    texts.retain(|t| !t.trim().is_empty());
    texts.sort();
    texts.dedup();
    texts
}

fn is_abbreviation(part: &str) -> bool {
    !part.contains(' ') && part.chars().filter(|c| c.is_uppercase()).count() >= 2
}

fn contains_words(haystack: &str, needle: &str) -> bool {
    !needle.is_empty() && format!(" {haystack} ").contains(&format!(" {needle} "))
}

/// A bracketed part naming levels: "Level 3 and above", "小学、中学" of
/// an entry whose variants are primary and secondary.
fn is_level_text(e: &Entry, t: &str) -> bool {
    let t = normalize(t);
    let named_level = e.levels.as_ref().is_some_and(|l| {
        l.codes.iter().chain(&l.not_recognised).any(|c| {
            normalize(&c.label.zh) == t || normalize(&c.label.en) == t || c.code.to_lowercase() == t
        }) || l.synonyms.contains_key(&t)
    });
    named_level
        || ["level", "above", "grade", "级", "以上"]
            .iter()
            .any(|w| t.contains(w))
}

fn has_parenthesis(name: &str) -> bool {
    name.contains('(') || name.contains('（')
}

/// The parts in brackets of a name, split at commas and slashes.
fn bracketed(name: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = name;
    while let Some(open) = rest.find(['(', '（']) {
        let after = &rest[open..];
        let inner_start = open + after.chars().next().map(char::len_utf8).unwrap_or(1);
        let Some(close) = rest[inner_start..].find([')', '）']) else {
            break;
        };
        let inner = &rest[inner_start..inner_start + close];
        out.extend(
            inner
                .split([',', '，', '、', '/'])
                .map(str::trim)
                .filter(|p| !p.is_empty()),
        );
        rest = &rest[inner_start + close..];
    }
    out
}

/// A name without its bracketed parts.
pub(crate) fn base(name: &str) -> String {
    let mut out = String::new();
    let mut depth = 0;
    for c in name.chars() {
        match c {
            '(' | '（' => depth += 1,
            ')' | '）' => depth = (depth - 1).max(0),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out.trim().to_string()
}

/// The cores of an entry's names (English and Chinese), each with whether
/// the name had a generic word.
fn cores_of(e: &Entry, qualifiers: &[String], groups: &[Group]) -> Vec<(Pattern, bool)> {
    let mut out = Vec::new();
    if let Some(core) = english_core(&base(&e.name.en), groups) {
        out.push(core);
    }
    for zh in [&e.name.zh, &e.name.display_zh] {
        for core in chinese_cores(&base(zh), qualifiers, groups) {
            if !out.contains(&core) {
                out.push(core);
            }
        }
    }
    out
}

/// An English name's words less the generic ones, each accepting the
/// roots of the other words of its synonym group (teaching: teacher,
/// educator).
fn english_core(name: &str, groups: &[Group]) -> Option<(Pattern, bool)> {
    let words = crate::index::words_of(&normalize(name));
    let generic = words.iter().any(|w| GENERIC_WORDS.contains(&w.as_str()));
    let slots: Vec<Slot> = words
        .iter()
        .filter(|w| !GENERIC_WORDS.contains(&w.as_str()) && !is_stopword(w))
        .map(|w| Slot::Root(word_family(w, groups)))
        .collect();
    (!slots.is_empty()).then_some((Pattern { slots }, generic))
}

fn word_family(word: &str, groups: &[Group]) -> Vec<String> {
    let mut roots = vec![root(word)];
    for g in groups {
        if g.latin.iter().any(|m| m.len() == 1 && m[0] == word) {
            roots.extend(g.latin.iter().filter(|m| m.len() == 1).map(|m| root(&m[0])));
        }
    }
    roots.sort();
    roots.dedup();
    roots
}

/// A Chinese name's core: without a leading place, split at generic words
/// and conjunctions, the last piece (the head of a Chinese noun phrase);
/// with the other Chinese words of its synonym group.
fn chinese_cores(name: &str, qualifiers: &[String], groups: &[Group]) -> Vec<(Pattern, bool)> {
    let mut rest = normalize(name);
    if let Some(q) = qualifiers
        .iter()
        .map(|q| normalize(q))
        .filter(|q| !q.is_empty() && rest.starts_with(q.as_str()))
        .max_by_key(|q| q.len())
    {
        rest = rest[q.len()..].to_string();
    }
    let generic = GENERIC_HAN.iter().any(|g| rest.contains(g));
    for g in GENERIC_HAN
        .iter()
        .chain(FILLER_HAN)
        .chain(&["与", "及", "和", "、"])
    {
        rest = rest.replace(g, " ");
    }
    let Some(head) = rest
        .split_whitespace()
        .rev()
        .find(|p| p.chars().count() >= 2 && p.chars().all(zige_catalog::text::is_cjk))
    else {
        return Vec::new();
    };
    let mut forms = vec![head.to_string()];
    for g in groups {
        if g.han.iter().any(|m| m == head) {
            forms.extend(g.han.iter().filter(|m| m.chars().count() >= 2).cloned());
        }
    }
    forms.sort();
    forms.dedup();
    forms
        .into_iter()
        .map(|f| (Pattern::of(&f), generic))
        .collect()
}

/// The names of an entry's levels and variants (synonyms, labels, codes),
/// with their codes.
fn level_patterns(e: &Entry) -> Vec<(Pattern, String)> {
    let Some(levels) = &e.levels else {
        return Vec::new();
    };
    let mut out: Vec<(Pattern, String)> = Vec::new();
    for l in levels.codes.iter().chain(&levels.not_recognised) {
        out.push((Pattern::of(&l.code), l.code.clone()));
        out.push((Pattern::of(&l.label.en), l.code.clone()));
        out.push((Pattern::of(&l.label.zh), l.code.clone()));
    }
    for (text, code) in &levels.synonyms {
        out.push((Pattern::of(text), code.clone()));
    }
    out.retain(|(p, _)| !p.is_empty());
    // Longest first, so "level iii" is tried before "level i".
    out.sort_by_key(|(p, _)| std::cmp::Reverse(p.slots.len()));
    out
}
