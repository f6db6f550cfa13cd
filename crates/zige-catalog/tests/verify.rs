//! How to verify a certificate: every entry of the built-in edition tells a
//! reviewer how to check an applicant's certificate is genuine, in both
//! languages and with https addresses only; a malformed guidance is a build
//! problem worded in both languages; a new edition keeps the guidance of the
//! entries it keeps.

use zige_catalog::edition::{draft, rebuild};
use zige_catalog::text::is_cjk;
use zige_catalog::{
    build, builtin_overlay, default_catalog, parse, parse_overlay, places, Lang, BUILTIN,
};

#[test]
fn every_entry_of_the_builtin_edition_says_how_to_verify_it_in_both_languages() {
    let c = default_catalog();
    assert_eq!(c.entries.len(), 122);
    for e in &c.entries {
        assert!(!e.verify.is_empty(), "{} says nothing on verifying", e.code);
        for v in &e.verify {
            assert!(
                v.how.zh.chars().any(is_cjk),
                "{}: no Chinese: {}",
                e.code,
                v.how.zh
            );
            assert!(
                !v.how.en.trim().is_empty() && !v.how.en.chars().any(is_cjk),
                "{}: English missing or mixed with Chinese: {}",
                e.code,
                v.how.en
            );
        }
    }
}

#[test]
fn every_verification_address_is_https() {
    let c = default_catalog();
    let urls: Vec<(&str, &str)> = c
        .entries
        .iter()
        .flat_map(|e| e.verify.iter().map(move |v| (e.code.as_str(), v)))
        .filter_map(|(code, v)| v.url.as_deref().map(|u| (code, u)))
        .collect();
    assert!(urls.len() > 50, "only {} addresses", urls.len());
    for (code, url) in urls {
        let host = url.strip_prefix("https://").unwrap_or_else(|| {
            panic!("{code}: {url} is not https");
        });
        assert!(
            !host.is_empty() && !host.starts_with('/') && !url.contains(char::is_whitespace),
            "{code}: {url}"
        );
    }
}

#[test]
fn the_guidance_is_in_the_entry_json_and_absent_addresses_are_left_out() {
    let c = default_catalog();
    let pmp = serde_json::to_value(c.find("G14").unwrap()).unwrap();
    assert_eq!(
        pmp["verify"][0]["url"],
        "https://www.pmi.org/certifications/certification-resources/registry"
    );
    assert!(pmp["verify"][0]["how"]["zh"]
        .as_str()
        .unwrap()
        .contains("PMI"));
    let ieee_senior = serde_json::to_value(c.find("U2").unwrap()).unwrap();
    assert!(ieee_senior["verify"][0].get("url").is_none());
    assert!(ieee_senior["verify"][0]["how"]["en"]
        .as_str()
        .unwrap()
        .contains("in writing"));
}

#[test]
fn a_malformed_verification_is_a_build_problem_in_both_languages() {
    let edition = &BUILTIN[0];
    let publication = parse(edition.text.as_bytes()).unwrap();
    let pmi = "https://www.pmi.org/certifications/certification-resources/registry";
    let text = edition.overlay.replace(
        pmi,
        "http://www.pmi.org/certifications/certification-resources/registry",
    );
    let mut overlay = parse_overlay(&text).unwrap();
    let cisa = overlay.entries.get_mut("G3").unwrap();
    cisa.verify[0].how.en = "  ".into();
    let cka = overlay.entries.get_mut("G31").unwrap();
    cka.verify[0].how.zh = String::new();
    cka.verify[0].url = Some("https://".into());
    let (catalog, problems) = build(&publication, &overlay, places());
    let at = |code: &str| -> Vec<(&str, &str)> {
        problems
            .iter()
            .filter(|p| p.at == code)
            .map(|p| (p.message_in(Lang::Zh), p.message_in(Lang::En)))
            .collect()
    };

    let g14 = at("G14");
    assert_eq!(g14.len(), 1, "{problems:?}");
    let (zh, en) = g14[0];
    assert!(
        zh.contains("http://www.pmi.org") && zh.contains("https://"),
        "{zh}"
    );
    assert!(zh.contains("第1条证书核验说明"), "{zh}");
    assert!(
        en.contains("http://www.pmi.org") && en.contains("https://"),
        "{en}"
    );
    assert!(en.starts_with("verification 1"), "{en}");

    let g3 = at("G3");
    assert_eq!(g3.len(), 1, "{problems:?}");
    assert!(
        g3[0].0.contains("缺少英文") && g3[0].0.contains("how.en"),
        "{}",
        g3[0].0
    );
    assert!(
        g3[0].1.contains("no English") && g3[0].1.contains("how.en"),
        "{}",
        g3[0].1
    );

    let g31 = at("G31");
    assert_eq!(g31.len(), 2, "{problems:?}");
    assert!(g31
        .iter()
        .any(|(zh, en)| zh.contains("缺少中文") && en.contains("no Chinese")));
    assert!(g31
        .iter()
        .any(|(zh, en)| zh.contains("“https://”") && en.contains("'https://'")));
    assert_eq!(problems.len(), 4, "{problems:?}");

    // The build still answers: a bad address is left out, a missing side
    // takes the other's text.
    let pmp = catalog.find("G14").unwrap();
    assert_eq!(pmp.verify[0].url, None);
    assert!(!pmp.verify[0].how.zh.is_empty() && !pmp.verify[0].how.en.is_empty());
    let cisa = catalog.find("G3").unwrap();
    assert_eq!(cisa.verify[0].how.en, cisa.verify[0].how.zh);
    assert!(cisa.verify[0].url.is_some());
    let cka = catalog.find("G31").unwrap();
    assert_eq!(cka.verify[0].how.zh, cka.verify[0].how.en);
    assert_eq!(cka.verify[0].url, None);
}

#[test]
fn a_verification_with_no_text_at_all_is_reported_twice_and_left_out() {
    let edition = &BUILTIN[0];
    let publication = parse(edition.text.as_bytes()).unwrap();
    let mut overlay = parse_overlay(edition.overlay).unwrap();
    let g28 = overlay.entries.get_mut("G28").unwrap();
    assert_eq!(g28.verify.len(), 2);
    g28.verify[1].how.zh = String::new();
    g28.verify[1].how.en = String::new();
    let (catalog, problems) = build(&publication, &overlay, places());
    let messages: Vec<&str> = problems.iter().map(|p| p.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "verification 2 (verify) has no Chinese text (how.zh)",
            "verification 2 (verify) has no English text (how.en)"
        ]
    );
    assert!(problems.iter().all(|p| p.at == "G28"));
    assert_eq!(catalog.find("G28").unwrap().verify.len(), 1);
}

#[test]
fn an_unknown_key_in_a_verification_is_refused_in_both_languages() {
    let text = BUILTIN[0].overlay.replace(
        "url = \"https://www.pmi.org/certifications/certification-resources/registry\"",
        "link = \"https://www.pmi.org/certifications/certification-resources/registry\"",
    );
    let error = parse_overlay(&text).unwrap_err();
    assert!(error.message_in(Lang::En).contains("link"), "{error}");
    assert!(error
        .message_in(Lang::Zh)
        .starts_with("对照表不是有效的 TOML 文件"));
}

#[test]
fn a_new_edition_keeps_the_guidance_of_the_entries_it_keeps() {
    let base = default_catalog();
    let (overlay, _) = builtin_overlay("beijing").unwrap();
    let mut next = parse(BUILTIN[0].text.as_bytes()).unwrap();
    // G3 (CISA) leaves; every later row of the list moves up one number,
    // and a renamed row keeps its issuer.
    next.sections[1].rows.remove(2);
    next.sections[1].rows[12].name = "PMP项目管理专业人士证书".into();
    next.title = "北京市境外职业资格认可目录（3.1版）".into();
    let text = next.to_text();
    let d = draft(
        text.as_bytes(),
        "beijing",
        "3.1",
        "2027-01-01",
        Some((base, &overlay)),
    )
    .unwrap();
    let pmp = d
        .catalog
        .entries
        .iter()
        .find(|e| e.id == "pmi-pmp")
        .unwrap();
    assert_eq!(pmp.code, "G13", "renumbered");
    assert_eq!(pmp.name.zh, "PMP项目管理专业人士证书", "renamed");
    assert_eq!(pmp.verify, base.find("G14").unwrap().verify);
    let mut kept = 0;
    for e in &d.catalog.entries {
        let old = base.entries.iter().find(|o| o.id == e.id).unwrap();
        assert_eq!(e.verify, old.verify, "{} ({})", e.code, e.id);
        kept += 1;
    }
    assert_eq!(kept, 121);
    assert!(d.catalog.entries.iter().all(|e| e.id != "isaca-cisa"));

    // The stored overlay of the draft carries the guidance too.
    let (again, problems) = rebuild(&text, &d.overlay_toml).unwrap();
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(again.entries, d.catalog.entries);
    assert!(d.overlay_toml.contains("[[entries.G13.verify]]"));
}
