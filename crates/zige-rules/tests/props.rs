//! Properties of the decision over random profiles.

use proptest::prelude::*;
use zige_catalog::{default_catalog, LevelKind};
use zige_rules::{decide, Decision, Education, Lang, Nationality, Policy, Profile, Project};

fn run(p: &Profile) -> Result<Decision, zige_rules::InputError> {
    decide(default_catalog(), Policy::builtin(), p)
}

fn entry_codes() -> Vec<String> {
    default_catalog()
        .entries
        .iter()
        .map(|e| e.code.clone())
        .collect()
}

/// A profile for a real entry, with a level from its table (or none).
fn profiles() -> impl Strategy<Value = Profile> {
    let n = default_catalog().entries.len();
    (
        0..n,
        any::<Option<prop::sample::Index>>(),
        proptest::option::of(0u8..=60),
        proptest::option::of(16u8..=100),
        proptest::option::of(prop::sample::select(Nationality::ALL.to_vec())),
        proptest::option::of(prop::sample::select(Education::ALL.to_vec())),
        any::<Option<bool>>(),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(
            |(
                i,
                level,
                experience_years,
                age,
                nationality,
                education,
                beijing_employer,
                high_end_industry,
                project,
            )| {
                let e = &default_catalog().entries[i];
                let level = match (&e.levels, level) {
                    (Some(l), Some(ix)) => {
                        let all: Vec<&str> = l
                            .codes
                            .iter()
                            .chain(&l.not_recognised)
                            .map(|x| x.code.as_str())
                            .collect();
                        Some(ix.get(&all).to_string())
                    }
                    _ => None,
                };
                Profile {
                    entry: e.code.clone(),
                    level,
                    experience_years,
                    age,
                    nationality,
                    education,
                    beijing_employer,
                    high_end_industry,
                    project: project.then_some(Project::UniversalStudios),
                }
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn more_experience_never_unrecognises(p in profiles(), more in 0u8..=60) {
        let Some(before) = p.experience_years else { return Ok(()) };
        let after = Profile { experience_years: Some(before.saturating_add(more).min(60)), ..p.clone() };
        let a = run(&p).unwrap();
        let b = run(&after).unwrap();
        if a.recognized == Some(true) {
            prop_assert_eq!(b.recognized, Some(true), "{:?} → {:?}", p, after);
        }
        // Nor adds an unmet condition, nor takes a benefit away.
        prop_assert!(b.unmet.iter().all(|u| a.unmet.iter().any(|x| x.code == u.code)));
        prop_assert!(a.benefits.iter().all(|g| b.benefits.iter().any(|x| x.code == g.code)), "{:?}", after);
        // Knowing the years never makes recognition less decided.
        let unknown = Profile { experience_years: None, ..p.clone() };
        if let Some(r) = run(&unknown).unwrap().recognized {
            prop_assert_eq!(a.recognized, Some(r));
        }
    }

    #[test]
    fn a_higher_level_on_the_same_scale_never_unrecognises(p in profiles(), i in any::<prop::sample::Index>(), j in any::<prop::sample::Index>()) {
        let scales: Vec<_> = default_catalog().entries.iter().filter(|e| e.levels.as_ref().is_some_and(|l| l.kind == LevelKind::Scale)).collect();
        prop_assume!(!scales.is_empty());
        let e = scales[i.index(scales.len())];
        let codes = &e.levels.as_ref().unwrap().codes;
        let (lo, hi) = { let a = j.index(codes.len()); let b = i.index(codes.len()); (a.min(b), a.max(b)) };
        let low = Profile { entry: e.code.clone(), level: Some(codes[lo].code.clone()), ..p.clone() };
        let high = Profile { level: Some(codes[hi].code.clone()), ..low.clone() };
        let a = run(&low).unwrap();
        let b = run(&high).unwrap();
        if a.recognized == Some(true) {
            prop_assert_eq!(b.recognized, Some(true), "{} {} → {}", e.code, codes[lo].code, codes[hi].code);
        }
        prop_assert!(b.unmet.len() <= a.unmet.len());
    }

    #[test]
    fn chinese_and_english_differ_only_in_wording(p in profiles()) {
        let d = run(&p).unwrap();
        let zh = d.render(Lang::Zh);
        let en = d.render(Lang::En);
        let zh: Vec<&str> = zh.lines().collect();
        let en: Vec<&str> = en.lines().collect();
        prop_assert_eq!(zh.len(), en.len());
        for (z, e) in zh.iter().zip(&en) {
            let marker = |s: &str| s.strip_prefix("  ").and_then(|r| r.chars().next());
            prop_assert_eq!(marker(z), marker(e), "{} | {}", z, e);
            prop_assert_eq!(z.is_empty(), e.is_empty());
        }
        // Every message exists in both languages.
        let json = serde_json::to_value(&d).unwrap();
        let mut stack = vec![&json];
        while let Some(v) = stack.pop() {
            match v {
                serde_json::Value::Object(m) => {
                    if m.len() == 2 && m.contains_key("zh") && m.contains_key("en") {
                        prop_assert!(!m["zh"].as_str().unwrap().trim().is_empty() && !m["en"].as_str().unwrap().trim().is_empty(), "{}", v);
                    }
                    stack.extend(m.values());
                }
                serde_json::Value::Array(a) => stack.extend(a),
                _ => {}
            }
        }
        // The decision is the same whatever language it is shown in: the
        // codes a reader acts on appear in both texts.
        let zh_all = zh.join("\n");
        let en_all = en.join("\n");
        prop_assert!(zh_all.contains(&d.entry.code) && en_all.contains(&d.entry.code));
        if let Some(l) = &d.level_used {
            prop_assert!(zh_all.contains(l.as_str()) && en_all.contains(l.as_str()));
        }
    }

    #[test]
    fn no_profile_panics(
        entry in prop_oneof![any::<String>(), prop::sample::select(entry_codes()), "[UGug][0-9]{1,4}", ".{0,3}[a-z-]{0,30}"],
        level in proptest::option::of(prop_oneof![any::<String>(), "(level|grade|cert|UEFA|ABRSM)? ?[0-9A-Za-z一二三四五六七八级]{0,6}( licence)?"]),
        experience_years in any::<Option<u8>>(),
        age in any::<Option<u8>>(),
        nationality in proptest::option::of(prop::sample::select(Nationality::ALL.to_vec())),
        education in proptest::option::of(prop::sample::select(Education::ALL.to_vec())),
        beijing_employer in any::<Option<bool>>(),
        high_end_industry in any::<bool>(),
        project in any::<bool>(),
    ) {
        let p = Profile { entry, level, experience_years, age, nationality, education, beijing_employer, high_end_industry, project: project.then_some(Project::UniversalStudios) };
        match run(&p) {
            Ok(d) => {
                let _ = d.render(Lang::Zh);
                let _ = d.render(Lang::En);
                prop_assert!(experience_years.is_none_or(|y| y <= 60) && age.is_none_or(|a| (16..=100).contains(&a)));
            }
            Err(e) => {
                prop_assert!(!e.to_string().contains('\n'), "{}", e);
                prop_assert!(!e.message(Lang::Zh).contains('\n'));
            }
        }
    }

    #[test]
    fn no_json_text_panics(text in prop_oneof![any::<String>(), r#"\{"entry": ?"[UG][0-9]{1,3}"(, ?"[a-z_]{2,16}": ?(true|[0-9]{1,4}|"[a-z-]{0,12}"|null))*\}"#]) {
        if let Ok(p) = Profile::from_json(&text) {
            let _ = run(&p).map(|d| d.render(Lang::En));
        } else if let Err(e) = Profile::from_json(&text) {
            prop_assert!(!e.to_string().contains('\n'), "{}", e);
        }
    }
}
