//! Builds the structured [`Catalog`] from a parsed [`Publication`], the
//! reviewed [`Overlay`] and the [`Places`] table, and reports every gap
//! between them as a [`Problem`].

use std::collections::{BTreeMap, HashMap};

use crate::import::{Publication, Row, Section};
use crate::model::*;
use crate::overlay::{
    CatalogMeta, EntryOverlay, LevelKind, LevelsOverlay, Overlay, Places, VerificationOverlay,
};
use crate::problem::ProblemKind;
use crate::remark::{self, ExperienceUnit, ParsedRemark, Part};
use crate::text::{norm_key, to_traditional, Bilingual, Lang};

pub use crate::carry_over::carry_over;
pub use crate::problem::Problem;

/// Builds the catalogue. Never fails: what the overlay lacks is filled
/// from the text and flagged in the returned problems (and on the entry
/// as `translation_pending`).
pub fn build(
    publication: &Publication,
    overlay: &Overlay,
    places: &Places,
) -> (Catalog, Vec<Problem>) {
    let mut problems = Vec::new();
    let meta = &overlay.catalog;
    let id = CatalogId {
        jurisdiction: meta.jurisdiction.clone(),
        version: meta.version.clone(),
    };
    check_meta(&id, meta, &mut problems);
    let lists = build_lists(publication, overlay, &mut problems);
    let entries = build_entries(publication, &id, &lists, overlay, places, &mut problems);
    for key in overlay.entries.keys() {
        if !entries.iter().any(|e: &Entry| &e.code == key) {
            problems.push(Problem::new(key, ProblemKind::OverlayEntryNotInText));
        }
    }
    check_unique(&entries, &mut problems);
    let catalog = Catalog {
        id,
        published: meta.published.clone(),
        title: meta.title.clone(),
        lists,
        entries,
    };
    (catalog, problems)
}

/// The catalogue's id and publication date.
fn check_meta(id: &CatalogId, meta: &CatalogMeta, problems: &mut Vec<Problem>) {
    if CatalogId::parse(&id.to_string()).is_err() {
        problems.push(Problem::new(
            "catalog",
            ProblemKind::CatalogIdMalformed { id: id.to_string() },
        ));
    }
    if !is_date(&meta.published) {
        problems.push(Problem::new(
            "catalog",
            ProblemKind::PublishedDateMalformed {
                date: meta.published.clone(),
            },
        ));
    }
}

/// One list per section of the text, named by the overlay's `[[lists]]`
/// in order; a section the overlay does not name gets a makeshift list.
fn build_lists(
    publication: &Publication,
    overlay: &Overlay,
    problems: &mut Vec<Problem>,
) -> Vec<ListInfo> {
    let lists = publication
        .sections
        .iter()
        .enumerate()
        .map(|(i, s)| match overlay.lists.get(i) {
            Some(l) => ListInfo {
                key: l.key.clone(),
                letter: l.letter.clone(),
                name: l.name.clone(),
                declared: s.declared,
            },
            None => makeshift_list(i, s, problems),
        })
        .collect();
    if overlay.lists.len() > publication.sections.len() {
        problems.push(Problem::new("catalog", ProblemKind::MoreListsThanSections));
    }
    lists
}

/// The list of the `index`-th section when the overlay does not name it.
fn makeshift_list(index: usize, section: &Section, problems: &mut Vec<Problem>) -> ListInfo {
    problems.push(Problem::new(
        "catalog",
        ProblemKind::SectionWithoutList {
            number: index + 1,
            name: section.name.clone(),
        },
    ));
    let letter = char::from(b'A' + (index as u8).min(25)).to_string();
    ListInfo {
        key: format!("list-{}", index + 1),
        letter,
        name: Bilingual::new(section.name.clone(), section.name.clone()),
        declared: section.declared,
    }
}

/// Every row of every section as an entry, coded by its list's letter.
fn build_entries(
    publication: &Publication,
    id: &CatalogId,
    lists: &[ListInfo],
    overlay: &Overlay,
    places: &Places,
    problems: &mut Vec<Problem>,
) -> Vec<Entry> {
    let mut entries = Vec::new();
    for (section, list) in publication.sections.iter().zip(lists) {
        for row in &section.rows {
            let code = format!("{}{}", list.letter, row.seq);
            let ov = overlay.entries.get(&code);
            if ov.is_none() {
                problems.push(Problem::new(&code, ProblemKind::NoOverlayEntry));
            }
            let context = EntryContext {
                catalog: id,
                list,
                code: &code,
                overlay,
                places,
            };
            entries.push(build_entry(&context, row, ov, problems));
        }
    }
    entries
}

/// Where an entry stands: its catalogue, list and code, and the tables
/// its cells are read with.
struct EntryContext<'a> {
    catalog: &'a CatalogId,
    list: &'a ListInfo,
    code: &'a str,
    overlay: &'a Overlay,
    places: &'a Places,
}

fn build_entry(
    context: &EntryContext<'_>,
    row: &Row,
    ov: Option<&EntryOverlay>,
    problems: &mut Vec<Problem>,
) -> Entry {
    let code = context.code;
    let entry_id = entry_id(context.catalog, code, ov, problems);
    let name_en = match ov {
        Some(o) if !o.name_en.trim().is_empty() => o.name_en.trim().to_string(),
        _ => row.name.clone(),
    };
    let issuers = build_issuers(code, row, ov, problems);
    let regions = build_regions(code, &row.region, context.places, problems);
    let fields = build_fields(code, &row.field, context.overlay, problems);
    let parsed = remark::parse(&row.remark);
    let scope_en = ov
        .map(|o| o.scope_en.trim().to_string())
        .unwrap_or_default();
    if ov.is_some() && scope_en.is_empty() {
        problems.push(Problem::new(code, ProblemKind::ScopeEnEmpty));
    }
    let levels = ov
        .and_then(|o| o.levels.as_ref())
        .map(|l| build_levels(code, l, problems));
    let notes_en = ov.map(|o| o.notes_en.as_slice()).unwrap_or_default();
    let remark = RemarkParts::read(code, &parsed, &scope_en, notes_en, problems);
    let (aliases, shared_aliases) = ov
        .map(|o| (o.aliases.clone(), o.shared_aliases.clone()))
        .unwrap_or_default();
    let verify = ov
        .map(|o| build_verify(code, &o.verify, problems))
        .unwrap_or_default();
    Entry {
        id: entry_id,
        catalog: context.catalog.clone(),
        list: context.list.key.clone(),
        seq: row.seq,
        code: code.to_string(),
        name: Names {
            zh_hant: to_traditional(&row.name),
            zh: row.name.clone(),
            en: name_en,
            display_zh: display_zh(row, ov),
        },
        aliases,
        shared_aliases,
        issuers,
        issuer_text: row.issuer.clone(),
        regions,
        fields,
        scope: Bilingual::new(remark.scope_zh.join("；"), scope_en),
        title: remark.title,
        experience: remark.experience,
        levels,
        obligations: remark.obligations,
        exemptions: remark.exemptions,
        waivers: remark.waivers,
        notes: remark.notes,
        remark: Bilingual::new(row.remark.clone(), remark.remark_en.join(" ")),
        verify,
        line: row.line,
        translation_pending: ov.is_none(),
    }
}

/// The overlay's guidance on verifying a certificate, checked: each needs
/// its text in both languages (a missing side takes the other's, flagged;
/// one with neither is left out) and an address, if any, that is a full
/// `https://` one (any other is left out, flagged).
fn build_verify(
    code: &str,
    table: &[VerificationOverlay],
    problems: &mut Vec<Problem>,
) -> Vec<VerificationGuide> {
    let mut verify = Vec::new();
    for (i, v) in table.iter().enumerate() {
        let number = i + 1;
        let (zh, en) = (v.how.zh.trim(), v.how.en.trim());
        for (lang, text) in [(Lang::Zh, zh), (Lang::En, en)] {
            if text.is_empty() {
                problems.push(Problem::new(
                    code,
                    ProblemKind::VerificationWithoutText { number, lang },
                ));
            }
        }
        let url = match v.url.as_deref().map(str::trim) {
            None => None,
            Some(u) if is_https_url(u) => Some(u.to_string()),
            Some(u) => {
                problems.push(Problem::new(
                    code,
                    ProblemKind::VerificationUrlNotHttps {
                        number,
                        url: u.to_string(),
                    },
                ));
                None
            }
        };
        if zh.is_empty() && en.is_empty() {
            continue;
        }
        let or = |text: &str, other: &str| if text.is_empty() { other } else { text }.to_string();
        verify.push(VerificationGuide {
            how: Bilingual::new(or(zh, en), or(en, zh)),
            url,
        });
    }
    verify
}

/// A full `https://` address: a host after the scheme and no spaces or
/// control characters anywhere.
fn is_https_url(text: &str) -> bool {
    text.strip_prefix("https://").is_some_and(|rest| {
        !rest.is_empty()
            && !rest.starts_with(['/', '?', '#', '.'])
            && !text.chars().any(|c| c.is_whitespace() || c.is_control())
    })
}

/// The overlay's reviewed Chinese display name, else the official name.
fn display_zh(row: &Row, ov: Option<&EntryOverlay>) -> String {
    ov.and_then(|o| o.name_zh_display.as_deref())
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .unwrap_or(&row.name)
        .to_string()
}

/// The overlay's id when it is a slug; otherwise one made of the
/// catalogue and the code.
fn entry_id(
    catalog: &CatalogId,
    code: &str,
    ov: Option<&EntryOverlay>,
    problems: &mut Vec<Problem>,
) -> String {
    let fallback_id = format!(
        "{}-{}-{}",
        catalog.jurisdiction,
        catalog.version.replace('.', "-"),
        code.to_ascii_lowercase()
    );
    match ov {
        Some(o) if is_slug(&o.id) => o.id.clone(),
        Some(o) => {
            problems.push(Problem::new(
                code,
                ProblemKind::IdNotSlug { id: o.id.clone() },
            ));
            fallback_id
        }
        None => fallback_id,
    }
}

/// What an entry's remark says, clause by clause, with the English of
/// the whole remark sentence by sentence.
#[derive(Default)]
struct RemarkParts {
    scope_zh: Vec<String>,
    title: Option<TitleLevel>,
    experience: Option<Experience>,
    obligations: Vec<Coded>,
    exemptions: Vec<Exemption>,
    waivers: Vec<Coded>,
    notes: Vec<Bilingual>,
    remark_en: Vec<String>,
}

impl RemarkParts {
    /// Reads the parsed remark; notes the parser could not map take their
    /// English from `notes_en`, in order.
    fn read(
        code: &str,
        parsed: &ParsedRemark,
        scope_en: &str,
        notes_en: &[String],
        problems: &mut Vec<Problem>,
    ) -> RemarkParts {
        let mut parts = RemarkParts::default();
        let mut notes_en = notes_en.iter();
        for (part, clause) in &parsed.parts {
            match part {
                Part::Scope { text } => parts.scope(text, scope_en),
                Part::Title { level } => parts.title(*level),
                Part::Experience { years, unit } => parts.experience(*years, *unit, clause),
                Part::Obligation { code: c } => {
                    let en = obligation_en(c);
                    parts.remark_en.push(format!("{en}."));
                    parts.obligations.push(Coded {
                        code: c.to_string(),
                        text: Bilingual::new(clause.clone(), en),
                    });
                }
                Part::ExemptForCicpaHolders { papers } => {
                    parts.exempt_for_cicpa_holders(*papers, clause)
                }
                Part::CicpaPapersExempt => parts.cicpa_papers_exempt(clause),
                Part::Waiver { code: c } => {
                    let en = waiver_en(c);
                    parts.remark_en.push(format!("{en}."));
                    parts.waivers.push(Coded {
                        code: c.to_string(),
                        text: Bilingual::new(clause.clone(), en),
                    });
                }
                Part::Note { text } => {
                    let en = match notes_en.next() {
                        Some(en) => en.clone(),
                        None => {
                            problems.push(Problem::new(
                                code,
                                ProblemKind::NoteWithoutEnglish { note: text.clone() },
                            ));
                            text.clone()
                        }
                    };
                    parts.remark_en.push(en.clone());
                    parts.notes.push(Bilingual::new(text.clone(), en));
                }
            }
        }
        parts
    }

    fn scope(&mut self, text: &str, scope_en: &str) {
        if self.scope_zh.is_empty() {
            self.remark_en.push(format!(
                "Scope of work: {}.",
                if scope_en.is_empty() { text } else { scope_en }
            ));
        }
        self.scope_zh.push(text.to_string());
    }

    fn title(&mut self, level: TitleLevel) {
        self.title = Some(level);
        self.remark_en.push(format!(
            "Corresponds to an {}, subject to the basic education and years-of-service conditions of the relevant title series.",
            level.name().en
        ));
    }

    fn experience(&mut self, years: u8, unit: ExperienceUnit, clause: &str) {
        let en = match unit {
            ExperienceUnit::Years => format!(
                "Requires {} of relevant work experience.",
                plural(years, "year")
            ),
            ExperienceUnit::AcademicYears => format!(
                "Requires {} of relevant work experience.",
                plural(years, "academic year")
            ),
        };
        self.remark_en.push(en.clone());
        self.experience = Some(Experience {
            years,
            unit,
            text: Bilingual::new(clause, en),
        });
    }

    fn exempt_for_cicpa_holders(&mut self, papers: Option<u8>, clause: &str) {
        let en = match papers {
            Some(n) => format!("Holders of the Chinese CPA qualification may be exempted from {n} of this qualification's exam papers"),
            None => "Holders of the Chinese CPA qualification may be exempted from some of this qualification's exam papers".to_string(),
        };
        self.remark_en.push(format!("{en}."));
        self.exemptions.push(Exemption {
            code: "exempt_for_cicpa_holders".into(),
            papers,
            text: Bilingual::new(clause, en),
        });
    }

    fn cicpa_papers_exempt(&mut self, clause: &str) {
        let en = "Holders of this qualification may be exempted from some papers of the Chinese CPA examination".to_string();
        self.remark_en.push(format!("{en}."));
        self.exemptions.push(Exemption {
            code: "cicpa_papers_exempt_for_holders".into(),
            papers: None,
            text: Bilingual::new(clause, en),
        });
    }
}

fn plural(n: u8, unit: &str) -> String {
    let word = match n {
        1 => "one",
        2 => "two",
        3 => "three",
        4 => "four",
        5 => "five",
        _ => "",
    };
    let count = if word.is_empty() {
        n.to_string()
    } else {
        word.to_string()
    };
    if n == 1 {
        format!("{count} {unit}")
    } else {
        format!("{count} {unit}s")
    }
}

/// English for the obligations the remark parser knows.
pub fn obligation_en(code: &str) -> &'static str {
    match code {
        "register_with_cicpa" => "Certified public accountants must register with the Chinese Institute of Certified Public Accountants before practising",
        "short_term_medical_practice_licence" => "A short-term medical practice licence must be obtained in China before practising",
        "register_with_drug_regulator" => "Licensed pharmacists must register with Beijing's drug regulatory authority",
        "register_with_health_authority" => "Those treating occupational diseases must register with Beijing's health authority before practising as physicians",
        "file_with_agriculture_authority" => "The holder's practice must be filed with Beijing's agriculture and rural affairs authority",
        "hold_teacher_qualification" => "Open to holders who are qualified teachers",
        _ => "See the remark",
    }
}

/// English for the waivers the remark parser knows.
pub fn waiver_en(code: &str) -> &'static str {
    match code {
        "native_language_country" => "Holders may teach regardless of whether they come from a native-English-speaking country",
        "universal_studios" => "For the Universal Studios project, age and work-experience limits do not apply",
        _ => "See the remark",
    }
}

fn build_issuers(
    code: &str,
    row: &Row,
    ov: Option<&EntryOverlay>,
    problems: &mut Vec<Problem>,
) -> Vec<Issuer> {
    let Some(o) = ov.filter(|o| !o.issuers.is_empty()) else {
        if ov.is_some() {
            problems.push(Problem::new(code, ProblemKind::NoIssuers));
        }
        return vec![Issuer {
            name: Bilingual::new(row.issuer.clone(), row.issuer.clone()),
            abbr: None,
        }];
    };
    let cell = norm_key(&row.issuer);
    o.issuers
        .iter()
        .map(|i| {
            if !cell.contains(&norm_key(&i.zh)) {
                problems.push(Problem::new(
                    code,
                    ProblemKind::IssuerNotInCell {
                        issuer: i.zh.clone(),
                        cell: row.issuer.clone(),
                    },
                ));
            }
            if i.en.trim().is_empty() {
                problems.push(Problem::new(
                    code,
                    ProblemKind::IssuerWithoutEnglish {
                        issuer: i.zh.clone(),
                    },
                ));
            }
            Issuer {
                name: Bilingual::new(i.zh.clone(), i.en.clone()),
                abbr: i.abbr.clone(),
            }
        })
        .collect()
}

fn build_regions(
    code: &str,
    cell: &str,
    places: &Places,
    problems: &mut Vec<Problem>,
) -> Vec<Region> {
    cell.split_whitespace()
        .map(|zh| match places.region.iter().find(|r| r.zh == zh) {
            Some(r) => Region {
                code: Some(r.code.clone()),
                name: Bilingual::new(r.zh.clone(), r.en.clone()),
            },
            None => {
                problems.push(Problem::new(
                    code,
                    ProblemKind::RegionNotInPlaces {
                        region: zh.to_string(),
                    },
                ));
                Region {
                    code: None,
                    name: Bilingual::new(zh, zh),
                }
            }
        })
        .collect()
}

/// Splits the 领域 cell into field terms ("科技、工程、信息技术").
pub fn field_terms(cell: &str) -> Vec<String> {
    cell.split(['、', ',', '，', '/'])
        .map(|t| t.chars().filter(|c| !c.is_whitespace()).collect::<String>())
        .filter(|t| !t.is_empty())
        .collect()
}

fn build_fields(
    code: &str,
    cell: &str,
    overlay: &Overlay,
    problems: &mut Vec<Problem>,
) -> Vec<Field> {
    field_terms(cell)
        .into_iter()
        .map(|term| match overlay.fields.get(&term) {
            Some(f) => Field {
                key: f.key.clone(),
                name: Bilingual::new(term, f.en.clone()),
            },
            None => {
                problems.push(Problem::new(
                    code,
                    ProblemKind::FieldNotInOverlay { term: term.clone() },
                ));
                Field {
                    key: term.clone(),
                    name: Bilingual::new(term.clone(), term),
                }
            }
        })
        .collect()
}

/// The overlay's level table of an entry, labelled, checked for
/// consistency, with its synonyms in lower case.
fn build_levels(code: &str, table: &LevelsOverlay, problems: &mut Vec<Problem>) -> Levels {
    let mut missing_labels = Vec::new();
    let mut label = |c: &String| match table.labels.get(c) {
        Some(b) => b.clone(),
        None => {
            missing_labels.push(Problem::new(
                code,
                ProblemKind::LevelWithoutLabel { level: c.clone() },
            ));
            Bilingual::new(c.clone(), c.clone())
        }
    };
    let codes: Vec<Level> = table
        .codes
        .iter()
        .map(|c| Level {
            code: c.clone(),
            label: label(c),
        })
        .collect();
    let not_recognised: Vec<Level> = table
        .not_recognised
        .iter()
        .map(|c| Level {
            code: c.clone(),
            label: label(c),
        })
        .collect();
    problems.extend(missing_labels);
    check_level_table(code, table, problems);
    Levels {
        kind: table.kind.clone(),
        codes,
        minimum: table.minimum.clone(),
        not_recognised,
        synonyms: table
            .synonyms
            .iter()
            .map(|(k, v)| (k.to_lowercase(), v.clone()))
            .collect(),
    }
}

/// Codes present and distinct, a minimum exactly for scales, synonyms
/// naming known codes.
fn check_level_table(code: &str, table: &LevelsOverlay, problems: &mut Vec<Problem>) {
    if table.codes.is_empty() {
        problems.push(Problem::new(code, ProblemKind::NoLevelCodes));
    }
    let mut seen = std::collections::HashSet::new();
    for c in table.codes.iter().chain(&table.not_recognised) {
        if !seen.insert(c.to_lowercase()) {
            problems.push(Problem::new(
                code,
                ProblemKind::LevelCodeTwice { code: c.clone() },
            ));
        }
    }
    match (&table.kind, &table.minimum) {
        (LevelKind::Scale, Some(m)) if !table.codes.contains(m) => problems.push(Problem::new(
            code,
            ProblemKind::MinimumNotACode { minimum: m.clone() },
        )),
        (LevelKind::Scale, None) => {
            problems.push(Problem::new(code, ProblemKind::ScaleWithoutMinimum))
        }
        (LevelKind::Variants, Some(_)) => {
            problems.push(Problem::new(code, ProblemKind::VariantsWithMinimum))
        }
        _ => {}
    }
    for (syn, target) in &table.synonyms {
        if !table.codes.contains(target) && !table.not_recognised.contains(target) {
            problems.push(Problem::new(
                code,
                ProblemKind::SynonymOfUnknownCode {
                    synonym: syn.clone(),
                    target: target.clone(),
                },
            ));
        }
    }
}

fn check_unique(entries: &[Entry], problems: &mut Vec<Problem>) {
    let mut ids: HashMap<&str, &str> = HashMap::new();
    for e in entries {
        if let Some(other) = ids.insert(&e.id, &e.code) {
            problems.push(Problem::new(
                &e.code,
                ProblemKind::IdUsedTwice {
                    id: e.id.clone(),
                    other: other.to_string(),
                },
            ));
        }
    }
    check_display_names(entries, problems);
    let mut owners: BTreeMap<String, Vec<(&str, bool)>> = BTreeMap::new();
    for e in entries {
        for a in &e.aliases {
            owners
                .entry(norm_key(a))
                .or_default()
                .push((&e.code, false));
        }
        for a in &e.shared_aliases {
            owners.entry(norm_key(a)).or_default().push((&e.code, true));
        }
    }
    for (alias, who) in owners {
        let distinct: std::collections::BTreeSet<&str> = who.iter().map(|(c, _)| *c).collect();
        if distinct.len() > 1 && who.iter().any(|(_, shared)| !shared) {
            let names: Vec<&str> = distinct.into_iter().collect();
            problems.push(Problem::new(
                names[0],
                ProblemKind::AliasNotShared {
                    alias,
                    owners: names.iter().map(|n| n.to_string()).collect(),
                },
            ));
        }
    }
}

/// No two entries share a Chinese display name (compared as normalised
/// keys, so a full-width bracket does not make a name distinct): a generic
/// official name needs a reviewed `name_zh_display` on each entry.
fn check_display_names(entries: &[Entry], problems: &mut Vec<Problem>) {
    let mut owners: BTreeMap<String, Vec<&Entry>> = BTreeMap::new();
    for e in entries {
        owners
            .entry(norm_key(e.name.shown(crate::Lang::Zh)))
            .or_default()
            .push(e);
    }
    for same in owners.values().filter(|v| v.len() > 1) {
        problems.push(Problem::new(
            &same[0].code,
            ProblemKind::DisplayNameShared {
                name: same[0].name.shown(crate::Lang::Zh).to_string(),
                owners: same.iter().map(|e| e.code.clone()).collect(),
            },
        ));
    }
}

fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 80
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}

/// `YYYY-MM-DD` with a plausible month and day.
pub fn is_date(text: &str) -> bool {
    let b = text.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let num = |r: std::ops::Range<usize>| text.get(r).and_then(|x| x.parse::<u32>().ok());
    matches!((num(0..4), num(5..7), num(8..10)), (Some(y), Some(m), Some(d)) if y >= 1900 && (1..=12).contains(&m) && (1..=31).contains(&d))
}
