//! Finding the catalogue's qualifications in a pasted text: a CV, a
//! profile, a certificate's wording. Every entry the text names is found
//! once, with the words that name it, where they stand, how sure the
//! finding is, and whether the text says the writer holds it.
//!
//! The text is read as units (`stream`), looked up unit by unit in a
//! dictionary of names, aliases, awarding bodies and cores built once
//! from the catalogue (`dictionary`, `bodies`, `pattern`, filed by first
//! unit in `starts`); cores count only with a place or issuer that tells
//! their entries apart. Around each finding, cues decide
//! whether it is held (`holding`) and which level it names (`profile`).

mod bodies;
mod dictionary;
mod holding;
mod pattern;
mod profile;
mod starts;
mod stream;
mod support;

use serde::Serialize;
use zige_catalog::{Bilingual, Catalog, Places};

use dictionary::{Dictionary, Use};
use pattern::Roots;
use stream::{Key, Stream};

use crate::{Filters, Searcher};

/// The longest text read; the rest is ignored.
pub const MAX_TEXT_CHARS: usize = 20_000;

/// A catalogue entry named in a text.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TextHit {
    pub id: String,
    /// List letter and number: `G14`.
    pub code: String,
    pub list: String,
    pub seq: u32,
    /// The entry's names to show (the Chinese display name and the English name).
    pub name: Bilingual,
    /// The words of the text that name it, as written.
    pub passage: String,
    /// Where `passage` starts in the text, in characters (Unicode scalar values).
    pub start: usize,
    /// Where `passage` ends in the text, in characters (exclusive).
    pub end: usize,
    /// How sure the finding is, from 0 to 1: a full name or alias is surer
    /// than an abbreviation, and both surer than a name told apart by a
    /// place or issuer nearby.
    pub confidence: f32,
    /// False when the text names it without saying the writer holds it
    /// ("studying for the CFA", "CFA Level II candidate", "备考PMP").
    pub holds: bool,
    /// The level or variant the text names beside it, as a code the check
    /// accepts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level: Option<String>,
    /// The years of experience the text states, for the check.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub experience_years: Option<u8>,
}

/// The entries named in a text, in the order the text first names them.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TextAnswer {
    pub catalog: String,
    pub hits: Vec<TextHit>,
}

/// The dictionary and cues, built once with the searcher.
pub(crate) struct Finder {
    dictionary: Dictionary,
    cues: holding::Cues,
    support: support::Support,
    experience: profile::Experience,
}

/// One finding of an entry at units `[a, b)`; `span` is what the passage shows.
struct Found {
    entry: u16,
    a: usize,
    b: usize,
    span: (usize, usize),
    confidence: f32,
    /// Found by an abbreviation alone (CFA), which needs support nearby.
    abbreviation: bool,
}

impl Finder {
    pub fn new(catalog: &Catalog, places: &Places) -> Finder {
        Finder {
            dictionary: Dictionary::build(catalog, places),
            cues: holding::Cues::new(),
            support: support::Support::new(),
            experience: profile::Experience::new(),
        }
    }

    pub fn find(&self, searcher: &Searcher, text: &str) -> TextAnswer {
        let text = match text.char_indices().nth(MAX_TEXT_CHARS) {
            Some((i, _)) => &text[..i],
            None => text,
        };
        let stream = stream::read(text);
        let mut roots = Roots::new(&stream);
        let mut found = Vec::new();
        let mut ids = Vec::new();
        for i in 0..stream.units.len() {
            self.dictionary.first.at(&stream, &mut roots, i, &mut ids);
            for &id in &ids {
                let (p, _) = &self.dictionary.patterns[id as usize];
                if p.matches_at(&stream, &mut roots, i) {
                    let (a, b) = (i, i + p.slots.len());
                    self.resolve(searcher, text, &stream, &mut roots, id, (a, b), &mut found);
                }
            }
        }
        drop_contained(&mut found);
        self.support.drop_unsupported(
            text,
            &stream,
            &mut roots,
            &self.dictionary.levels,
            &mut found,
        );
        merge_adjacent(&mut found);
        TextAnswer {
            catalog: searcher.catalog.id.to_string(),
            hits: self.hits(searcher.catalog, text, &stream, &mut roots, found),
        }
    }

    /// What a pattern found at units `[a, b)` stands for.
    #[allow(clippy::too_many_arguments)]
    fn resolve(
        &self,
        searcher: &Searcher,
        text: &str,
        stream: &Stream,
        roots: &mut Roots,
        id: u32,
        (a, b): (usize, usize),
        found: &mut Vec<Found>,
    ) {
        let use_ = &self.dictionary.patterns[id as usize].1;
        let abbreviation = b - a == 1
            && matches!(stream.units[a].key, Key::Word(_))
            && matches!(use_, Use::Names { .. });
        let finding = |entry: u16, span: (usize, usize), confidence: f32| Found {
            entry,
            a,
            b,
            span,
            confidence,
            abbreviation,
        };
        match use_ {
            Use::Names {
                entries,
                confidence,
            } if entries.len() == 1 => found.push(finding(entries[0], (a, b), *confidence)),
            Use::Names { entries, .. } => {
                let told = self.told_apart(stream, roots, entries, id, (a, b));
                let picked = match told.as_slice() {
                    [one] => Some(*one),
                    _ => best_ranked(searcher, text, stream, entries, (a, b)),
                };
                if let Some((entry, span)) = picked {
                    found.push(finding(entry, span, 0.75));
                }
            }
            // A body that is part of another code (PMI of PMI-ACP) names nothing.
            Use::Body(_) if stream.units.get(b).is_some_and(|u| u.hyphen_before) => {}
            Use::Body(body) => {
                let licence = &self.dictionary.licence;
                for awarded in &self.dictionary.bodies[*body] {
                    if let Some(span) = awarded.beside(stream, roots, (a, b), licence) {
                        found.push(Found {
                            abbreviation: false,
                            ..finding(awarded.entry, span, 0.8)
                        });
                    }
                }
            }
            Use::Core(core) => {
                let candidates = &self.dictionary.cores[*core];
                let entries: Vec<u16> = candidates.iter().map(|c| c.entry).collect();
                for (entry, span) in self.told_apart(stream, roots, &entries, id, (a, b)) {
                    let needs_generic = candidates
                        .iter()
                        .any(|c| c.entry == entry && c.needs_generic);
                    if !needs_generic || self.generic_near(stream, roots, (a, b)) {
                        found.push(finding(entry, span, 0.8));
                    }
                }
            }
        }
    }

    /// The entries among `entries` that a place or issuer near units
    /// `[a, b)` tells apart from the others (one owned by no other of
    /// them), each with the span from the name to that qualifier.
    fn told_apart(
        &self,
        stream: &Stream,
        roots: &mut Roots,
        entries: &[u16],
        pattern: u32,
        (a, b): (usize, usize),
    ) -> Vec<(u16, (usize, usize))> {
        let Some(qualifiers) = self.dictionary.distinct.get(&pattern) else {
            return Vec::new();
        };
        let (from, to) = stream.window(a, b, 16);
        let mut nearest: Vec<Option<(usize, usize)>> = vec![None; entries.len()];
        let mut items = Vec::new();
        for i in (from..a).chain(b..to) {
            qualifiers.at(stream, roots, i, &mut items);
            for &(candidate, q) in &items {
                let p = &qualifiers.patterns[candidate as usize][q as usize];
                let (qa, qb) = (i, i + p.slots.len());
                let outside = qb <= a || qa >= b;
                let closer = nearest[candidate as usize]
                    .is_none_or(|(na, _): (usize, usize)| qa.abs_diff(a) < na.abs_diff(a));
                if outside && qb <= to && closer && p.matches_at(stream, roots, i) {
                    nearest[candidate as usize] = Some((qa, qb));
                }
            }
        }
        entries
            .iter()
            .zip(nearest)
            .filter_map(|(&e, q)| q.map(|(qa, qb)| (e, (a.min(qa), b.max(qb)))))
            .collect()
    }

    fn generic_near(&self, stream: &Stream, roots: &mut Roots, (a, b): (usize, usize)) -> bool {
        let (from, to) = stream.window(a, b, 8);
        self.dictionary
            .generic
            .iter()
            .any(|g| g.find_in(stream, roots, from, to).is_some())
    }

    /// One hit per entry: its best finding (held before not held, then
    /// the surest, then the first), in the order the text names them.
    fn hits(
        &self,
        catalog: &Catalog,
        text: &str,
        stream: &Stream,
        roots: &mut Roots,
        found: Vec<Found>,
    ) -> Vec<TextHit> {
        let years = self.experience.years(stream);
        let offsets: Vec<usize> = text
            .char_indices()
            .map(|(i, _)| i)
            .chain([text.len()])
            .collect();
        let mut best: Vec<(usize, TextHit, usize)> = Vec::new();
        let bounds: Vec<(usize, usize)> = found.iter().map(|f| neighbours(&found, f)).collect();
        for (f, bounds) in found.iter().zip(bounds) {
            let e = &catalog.entries[f.entry as usize];
            let holds = self
                .cues
                .holds(stream, roots, f.span, bounds, e.levels.is_some());
            let (start, end) = (stream.units[f.span.0].start, stream.units[f.span.1 - 1].end);
            let hit = TextHit {
                id: e.id.clone(),
                code: e.code.clone(),
                list: e.list.clone(),
                seq: e.seq,
                name: e.name.shown_both(),
                passage: text[offsets[start]..offsets[end]].to_string(),
                start,
                end,
                confidence: f.confidence,
                holds,
                level: profile::level(
                    stream,
                    roots,
                    &self.dictionary.levels[f.entry as usize],
                    (f.a, f.b),
                ),
                experience_years: years,
            };
            match best.iter_mut().find(|(n, _, _)| *n == f.entry as usize) {
                Some((_, kept, first)) => {
                    *first = (*first).min(start);
                    if (hit.holds, hit.confidence) > (kept.holds, kept.confidence) {
                        *kept = hit;
                    }
                }
                None => best.push((f.entry as usize, hit, start)),
            }
        }
        best.sort_by_key(|(_, _, first)| *first);
        best.into_iter().map(|(_, hit, _)| hit).collect()
    }
}

/// Among entries sharing an alias found at unit `a`, the one ordinary
/// search ranks first for the alias's sentence.
fn best_ranked(
    searcher: &Searcher,
    text: &str,
    stream: &Stream,
    entries: &[u16],
    (a, b): (usize, usize),
) -> Option<(u16, (usize, usize))> {
    let (from, to) = (stream.segment_start(a), stream.segment_end(a));
    let sentence: String = text
        .chars()
        .skip(stream.units[from].start)
        .take(stream.units[to - 1].end - stream.units[from].start)
        .collect();
    let result = searcher.search(&sentence, &Filters::default(), 20);
    let ids: Vec<&str> = entries
        .iter()
        .map(|&e| searcher.catalog.entries[e as usize].id.as_str())
        .collect();
    let first = result.hits.iter().find(|h| ids.contains(&h.id.as_str()))?;
    let n = ids.iter().position(|id| *id == first.id)?;
    Some((entries[n], (a, b)))
}

/// Drops findings inside a longer finding of another entry: "ACCA" in
/// "ACCA Fellow" is the fellowship, not the membership.
fn drop_contained(found: &mut Vec<Found>) {
    let spans: Vec<(u16, usize, usize)> = found.iter().map(|f| (f.entry, f.a, f.b)).collect();
    found.retain(|f| {
        !spans
            .iter()
            .any(|&(e, a, b)| e != f.entry && a <= f.a && f.b <= b && (b - a) > (f.b - f.a))
    });
}

/// Joins findings of one entry that follow each other closely, as a name
/// and its abbreviation do ("Project Management Professional (PMP)").
fn merge_adjacent(found: &mut Vec<Found>) {
    found.sort_by_key(|f| (f.entry, f.span.0));
    let mut out: Vec<Found> = Vec::with_capacity(found.len());
    for f in found.drain(..) {
        match out.last_mut() {
            Some(last) if last.entry == f.entry && f.span.0 <= last.span.1 + 2 => {
                last.span.1 = last.span.1.max(f.span.1);
                last.b = last.b.max(f.b);
                last.confidence = last.confidence.max(f.confidence);
                last.abbreviation &= f.abbreviation;
            }
            _ => out.push(f),
        }
    }
    *found = out;
}

/// Where the findings of other entries before and after `f` end and start,
/// so cues around one name in a list do not reach the next.
fn neighbours(found: &[Found], f: &Found) -> (usize, usize) {
    let before = found
        .iter()
        .filter(|o| o.entry != f.entry && o.span.1 <= f.span.0)
        .map(|o| o.span.1)
        .max()
        .unwrap_or(0);
    let after = found
        .iter()
        .filter(|o| o.entry != f.entry && o.span.0 >= f.span.1)
        .map(|o| o.span.0)
        .min()
        .unwrap_or(usize::MAX);
    (before, after)
}
