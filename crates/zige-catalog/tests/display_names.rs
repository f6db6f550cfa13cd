//! Names that identify: every entry has a Chinese display name no other
//! entry of its edition shares, the official name is kept verbatim beside
//! it, and a build names any clash.

use std::collections::BTreeMap;

use zige_catalog::text::norm_key;
use zige_catalog::{build, default_catalog, parse, parse_overlay, places, Lang, BUILTIN};

#[test]
fn no_two_entries_share_a_chinese_display_name() {
    let mut seen: BTreeMap<String, &str> = BTreeMap::new();
    for e in &default_catalog().entries {
        let shown = e.name.shown(Lang::Zh);
        if let Some(other) = seen.insert(norm_key(shown), &e.code) {
            panic!("{} and {other} are both shown as {shown}", e.code);
        }
    }
}

#[test]
fn the_football_coaching_licences_are_told_apart_and_keep_their_official_name() {
    let c = default_catalog();
    let (afc, uefa) = (c.find("G79").unwrap(), c.find("G80").unwrap());
    assert_eq!(afc.name.zh, uefa.name.zh, "the official names are the same");
    assert_eq!(afc.name.zh, "足球教练员等级证书 (B级及以上)");
    assert_eq!(
        afc.name.shown(Lang::Zh),
        "足球教练员等级证书（亚足联，B级及以上）"
    );
    assert_eq!(
        uefa.name.shown(Lang::Zh),
        "足球教练员等级证书（欧足联，B级及以上）"
    );
    assert_eq!(afc.name.shown(Lang::En), afc.name.en);
}

#[test]
fn every_generic_name_has_a_display_name_and_every_other_shows_its_official_one() {
    let c = default_catalog();
    let mut by_name: BTreeMap<String, usize> = BTreeMap::new();
    for e in &c.entries {
        *by_name.entry(norm_key(&e.name.zh)).or_default() += 1;
    }
    let mut qualified = 0;
    for e in &c.entries {
        let shared = by_name[&norm_key(&e.name.zh)] > 1;
        assert_eq!(e.name.has_display_zh(), shared, "{}", e.code);
        if shared {
            qualified += 1;
            // The qualifier follows the official name, in full-width brackets.
            assert!(e.name.display_zh.ends_with('）'), "{}", e.name.display_zh);
        } else {
            assert_eq!(e.name.display_zh, e.name.zh, "{}", e.code);
        }
    }
    assert_eq!(qualified, 36);
    let ny = c.find("G46").unwrap();
    assert_eq!(ny.name.zh, "教师资格证书");
    assert_eq!(ny.name.shown(Lang::Zh), "教师资格证书（美国纽约州）");
}

#[test]
fn the_display_name_is_in_the_entry_json() {
    let g60 = serde_json::to_value(default_catalog().find("G60").unwrap()).unwrap();
    assert_eq!(g60["name"]["zh"], "教师资格证书");
    assert_eq!(
        g60["name"]["display_zh"],
        "教师资格证书（美国加利福尼亚州）"
    );
}

#[test]
fn a_build_names_entries_that_share_a_display_name_in_both_languages() {
    let edition = &BUILTIN[0];
    let publication = parse(edition.text.as_bytes()).unwrap();
    let mut overlay = parse_overlay(edition.overlay).unwrap();
    overlay.entries.get_mut("G79").unwrap().name_zh_display = None;
    overlay.entries.get_mut("G80").unwrap().name_zh_display = None;
    overlay.entries.get_mut("G47").unwrap().name_zh_display =
        Some("教师资格证书（美国纽约州）".into());
    let (_, problems) = build(&publication, &overlay, places());
    let clashes: Vec<(&str, &str, &str)> = problems
        .iter()
        .map(|p| {
            (
                p.at.as_str(),
                p.message_in(Lang::En),
                p.message_in(Lang::Zh),
            )
        })
        .collect();
    assert_eq!(clashes.len(), 2, "{clashes:?}");
    let ny = clashes.iter().find(|c| c.0 == "G46").expect("G46 named");
    assert!(
        ny.1.contains("G46, G47") && ny.1.contains("教师资格证书（美国纽约州）"),
        "{}",
        ny.1
    );
    assert!(
        ny.2.contains("G46、G47") && ny.2.contains("name_zh_display"),
        "{}",
        ny.2
    );
    // Without display names the two football licences show the same
    // official name.
    let football = clashes.iter().find(|c| c.0 == "G79").expect("G79 named");
    assert!(football.1.contains("G79, G80"), "{}", football.1);
}
