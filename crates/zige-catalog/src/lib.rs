//! Zige's catalogue core: the model of a catalogue of recognised overseas
//! professional qualifications, the importer of the official publication
//! format, the reviewed bilingual overlay, and the diff between editions.
//!
//! Invariant: this crate does no IO. Texts come in as bytes or `&str`; the
//! built-in editions are compiled into the binary with `include_str!`.

pub mod build;
pub mod carry_over;
pub mod chinese_script;
pub mod diff;
pub mod edition;
pub mod import;
pub mod model;
pub mod overlay;
pub mod problem;
pub mod remark;
pub mod text;

pub use build::{build, carry_over, Problem};
pub use diff::{diff, CatalogDiff};
pub use import::{parse, Diagnostic, Publication};
pub use model::*;
pub use overlay::{parse_overlay, parse_places, Overlay, Places};
pub use text::{Bilingual, Lang};

use std::sync::OnceLock;

/// One edition shipped inside the binary: the official text (byte-identical
/// to the publication) and its reviewed overlay.
pub struct BuiltinEdition {
    pub text: &'static str,
    pub overlay: &'static str,
}

/// Every edition built in, oldest first.
pub const BUILTIN: &[BuiltinEdition] = &[BuiltinEdition {
    text: include_str!("../../../catalogs/beijing/3.0/catalog.txt"),
    overlay: include_str!("../../../catalogs/beijing/3.0/overlay.toml"),
}];

/// The shared places table (countries, regions, states and provinces).
pub const PLACES: &str = include_str!("../../../catalogs/places.toml");

/// The places table, parsed once.
pub fn places() -> &'static Places {
    static P: OnceLock<Places> = OnceLock::new();
    P.get_or_init(|| parse_places(PLACES).expect("built-in places.toml is valid (tested)"))
}

/// A built-in edition with the problems its build reported.
pub fn load_builtin(edition: &BuiltinEdition) -> Result<(Catalog, Vec<Problem>), String> {
    let publication = parse(edition.text.as_bytes()).map_err(|d| {
        d.iter()
            .map(|x| x.to_string())
            .collect::<Vec<_>>()
            .join("\n")
    })?;
    let overlay = parse_overlay(edition.overlay).map_err(|e| e.to_string())?;
    Ok(build(&publication, &overlay, places()))
}

/// The built-in editions, built once. Their validity is proved by the test
/// suite (`builtin_catalog_has_no_problems`), so failure here is a bug.
pub fn builtin() -> &'static [Catalog] {
    static C: OnceLock<Vec<Catalog>> = OnceLock::new();
    C.get_or_init(|| {
        BUILTIN
            .iter()
            .map(|e| {
                load_builtin(e)
                    .expect("built-in edition is valid (tested)")
                    .0
            })
            .collect()
    })
}

/// The newest built-in edition (Beijing 3.0 today).
pub fn default_catalog() -> &'static Catalog {
    builtin().last().expect("at least one built-in edition")
}

/// The overlay of the newest built-in edition of a jurisdiction, for
/// carrying English names over to a newly imported text.
pub fn builtin_overlay(jurisdiction: &str) -> Option<(Overlay, &'static Catalog)> {
    BUILTIN
        .iter()
        .zip(builtin())
        .rev()
        .find(|(_, c)| c.id.jurisdiction == jurisdiction)
        .and_then(|(e, c)| parse_overlay(e.overlay).ok().map(|o| (o, c)))
}

/// Imports an official text of a jurisdiction that has a built-in edition,
/// carrying ids and English over from it. Returns the catalogue and the
/// build's problems (untranslated rows and the like), or the text's
/// diagnostics.
pub fn import_text(
    bytes: &[u8],
    jurisdiction: &str,
    version: Option<&str>,
    published: Option<&str>,
) -> Result<(Catalog, Vec<Problem>), Vec<Diagnostic>> {
    let publication = parse(bytes)?;
    let (base_overlay, base) = builtin_overlay(jurisdiction).unwrap_or_else(|| {
        let builtin = default_catalog();
        (Overlay::default(), builtin)
    });
    let version = version.map(str::to_string).unwrap_or_else(|| {
        version_from_title(&publication.title).unwrap_or_else(|| "draft".into())
    });
    // An identical text is the same edition: keep its metadata.
    let same_text = BUILTIN
        .iter()
        .zip(builtin())
        .find(|(e, _)| e.text.as_bytes() == bytes)
        .map(|(_, c)| c);
    let published = published
        .map(str::to_string)
        .or_else(|| same_text.map(|c| c.published.clone()))
        .unwrap_or_else(|| base.published.clone());
    let mut overlay = carry_over(&publication, base, &base_overlay, &version, &published);
    overlay.catalog.jurisdiction = jurisdiction.to_string();
    if let Some(c) = same_text {
        overlay.catalog.title = c.title.clone();
    }
    Ok(build(&publication, &overlay, places()))
}

/// `北京市境外职业资格认可目录（3.0版）` → `3.0`.
pub fn version_from_title(title: &str) -> Option<String> {
    let start = title.rfind(['（', '('])?;
    let inner = &title[start..];
    let v: String = inner
        .chars()
        .skip(1)
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    (!v.is_empty()).then_some(v)
}
