//! The rules of the spec, one behaviour at a time, on the built-in
//! catalogue and policy.

use zige_rules::{decide, Decision, InputError, Lang, Policy, Profile};

fn decide_json(json: &str) -> Result<Decision, InputError> {
    let p = Profile::from_json(json)?;
    decide(zige_catalog::default_catalog(), Policy::builtin(), &p)
}

fn d(json: &str) -> Decision {
    decide_json(json).unwrap_or_else(|e| panic!("{json}: {e}"))
}

fn codes<T>(items: &[T], code: impl Fn(&T) -> &str) -> Vec<String> {
    items.iter().map(|i| code(i).to_string()).collect()
}

fn unmet(d: &Decision) -> Vec<String> {
    codes(&d.unmet, |i| &i.code)
}
fn granted(d: &Decision) -> Vec<String> {
    codes(&d.benefits, |i| &i.code)
}
fn withheld(d: &Decision) -> Vec<(String, String)> {
    d.withheld
        .iter()
        .map(|w| (w.code.to_string(), w.reason.to_string()))
        .collect()
}

const FOREIGN_40: &str =
    r#""nationality":"foreign","age":40,"education":"bachelor","beijing_employer":true"#;

#[test]
fn every_unmet_condition_is_listed_not_only_the_first() {
    let x = d(&format!(
        r#"{{"entry":"G17","level":"operational","experience_years":1,{FOREIGN_40}}}"#
    ));
    assert_eq!(x.recognized, Some(false));
    assert_eq!(
        unmet(&x),
        ["level_below_minimum", "experience_insufficient"]
    );
    let x = d(&format!(
        r#"{{"entry":"G84","experience_years":0,{FOREIGN_40}}}"#
    ));
    assert_eq!(unmet(&x), ["level_required", "experience_insufficient"]);
    assert!(x.missing.iter().any(|f| f == "level"));
}

#[test]
fn variants_not_recognised_and_levels_in_free_text() {
    for (entry, level) in [
        ("G6", "ASA"),
        ("G45", "EngTech"),
        ("G74", "early childhood"),
        ("G27", "associate"),
    ] {
        let x = d(&format!(
            r#"{{"entry":"{entry}","level":"{level}","experience_years":5,{FOREIGN_40}}}"#
        ));
        assert_eq!(unmet(&x), ["variant_not_recognised"], "{entry} {level}");
    }
    for (entry, level, code) in [
        ("G80", "Pro Licence", "Pro"),
        ("G86", "Level 4", "4"),
        ("G90", "grade 8", "grade-8"),
        ("G88", "Certificate IV", "cert-4"),
        ("G45", "ceng", "CEng"),
        ("G83", "国际级", "international"),
    ] {
        let x = d(&format!(
            r#"{{"entry":"{entry}","level":"{level}","experience_years":5,{FOREIGN_40}}}"#
        ));
        assert_eq!(x.level_used.as_deref(), Some(code), "{entry} {level}");
        assert_eq!(x.recognized, Some(true), "{entry} {level}");
    }
}

#[test]
fn unknown_level_is_rejected_with_the_entrys_codes() {
    let e = decide_json(&format!(r#"{{"entry":"G79","level":"Z",{FOREIGN_40}}}"#)).unwrap_err();
    assert_eq!(e.field, "level");
    assert!(e.allowed.starts_with("C, B, A, Pro"), "{}", e.allowed);
    let e = decide_json(r#"{"entry":"G6","level":"wizard"}"#).unwrap_err();
    assert!(e.to_string().contains("CPA, FCPA, ASA"), "{e}");
}

#[test]
fn a_level_for_an_entry_without_levels_is_ignored_with_a_note() {
    let x = d(&format!(
        r#"{{"entry":"G7","level":"Level III","experience_years":5,{FOREIGN_40}}}"#
    ));
    assert_eq!(x.recognized, Some(true));
    assert_eq!(x.level_used, None);
    assert!(x
        .trace
        .iter()
        .any(|s| s.rule == "recognition.level" && s.outcome == "ignored"));
}

#[test]
fn unknown_entry_is_rejected_with_the_closest_entries() {
    let e = decide_json(r#"{"entry":"U9"}"#).unwrap_err();
    assert_eq!(e.field, "entry");
    assert_eq!(e.suggestions.len(), 3);
    assert!(e.suggestions[0].starts_with("U7 "), "{:?}", e.suggestions);
    assert!(
        e.to_string()
            .starts_with("invalid value 'U9' for entry: allowed U1..U7, G1..G115"),
        "{e}"
    );
    assert!(e.message(Lang::Zh).contains("U7"));
    // Entries are found by code in any case and by stable id.
    let id = zige_catalog::default_catalog()
        .find("G7")
        .unwrap()
        .id
        .clone();
    assert_eq!(d(&format!(r#"{{"entry":"{id}"}}"#)).entry.code, "G7");
    assert_eq!(d(r#"{"entry":"g7"}"#).entry.code, "G7");
}

#[test]
fn title_basic_conditions_follow_the_policy_table() {
    let t = |entry: &str, edu: &str, years: u8| {
        d(&format!(
            r#"{{"entry":"{entry}","education":"{edu}","experience_years":{years}}}"#
        ))
        .title
        .unwrap()
        .basic_conditions_met
    };
    assert_eq!(t("G3", "doctorate", 0), Some(true));
    assert_eq!(t("G3", "master", 1), Some(false));
    assert_eq!(t("G3", "master", 2), Some(true));
    assert_eq!(t("G3", "associate", 7), Some(true));
    assert_eq!(t("G3", "none", 60), Some(false));
    assert_eq!(t("U1", "doctorate", 1), Some(false));
    assert_eq!(t("U1", "doctorate", 2), Some(true));
    assert_eq!(t("U1", "master", 7), Some(true));
    assert_eq!(t("U1", "associate", 60), Some(false));
    // No title beyond G16.
    assert!(d(r#"{"entry":"G17","level":"strategic"}"#).title.is_none());
    assert!(d(r#"{"entry":"G16"}"#).title.is_some());
    // Unknown education or years: null, and said so.
    let x =
        d(r#"{"entry":"G3","education":"master","nationality":"chinese","beijing_employer":true}"#);
    assert_eq!(x.title.unwrap().basic_conditions_met, None);
    assert_eq!(x.missing, ["experience_years"]);
    assert_eq!(
        d(r#"{"entry":"G3","education":"doctorate"}"#)
            .title
            .unwrap()
            .basic_conditions_met,
        Some(true)
    );
}

#[test]
fn benefits_need_recognition_and_a_beijing_employer() {
    let x = d(
        r#"{"entry":"U7","nationality":"foreign","age":40,"education":"bachelor","experience_years":12,"beijing_employer":false}"#,
    );
    assert!(x.benefits.is_empty());
    assert_eq!(x.withheld.len(), 6);
    assert!(x.withheld.iter().all(|w| w.reason == "no_beijing_employer"));
    let x = d(
        r#"{"entry":"G29","nationality":"chinese","experience_years":1,"beijing_employer":true}"#,
    );
    assert_eq!(
        withheld(&x),
        [
            ("work_residence_permit".into(), "not_recognised".into()),
            ("overseas_experience_counts".into(), "not_recognised".into())
        ]
    );
}

#[test]
fn every_reason_a_benefit_is_withheld_is_listed() {
    let x = d(
        r#"{"entry":"U4","nationality":"chinese","education":"bachelor","experience_years":9,"beijing_employer":false}"#,
    );
    let title: Vec<_> = withheld(&x)
        .into_iter()
        .filter(|(c, _)| c == "title_correspondence")
        .map(|(_, r)| r)
        .collect();
    assert_eq!(title, ["no_beijing_employer", "basic_conditions_unmet"]);
    let x = d(
        r#"{"entry":"G29","nationality":"foreign","age":67,"experience_years":1,"beijing_employer":true}"#,
    );
    let wp: Vec<_> = withheld(&x)
        .into_iter()
        .filter(|(c, _)| c == "work_permit_relaxation")
        .map(|(_, r)| r)
        .collect();
    assert_eq!(wp, ["not_recognised", "age_over_limit"]);
    // Recognition undecided, but the age alone settles the work permit.
    let x = d(r#"{"entry":"G29","nationality":"foreign","age":67,"beijing_employer":true}"#);
    assert_eq!(
        withheld(&x),
        [(
            "work_permit_relaxation".to_string(),
            "age_over_limit".to_string()
        )]
    );
}

#[test]
fn foreigner_only_benefits_are_not_listed_for_chinese_or_hmt() {
    let foreign_only = [
        "work_permit_relaxation",
        "long_term_visa",
        "permanent_residence_channel",
        "port_visa",
    ];
    for n in ["chinese", "hmt"] {
        for employer in [true, false] {
            let x = d(&format!(
                r#"{{"entry":"G7","nationality":"{n}","age":90,"education":"bachelor","experience_years":5,"beijing_employer":{employer}}}"#
            ));
            let listed: Vec<String> = granted(&x)
                .into_iter()
                .chain(x.withheld.iter().map(|w| w.code.to_string()))
                .collect();
            assert!(
                foreign_only
                    .iter()
                    .all(|c| !listed.contains(&c.to_string())),
                "{n}: {listed:?}"
            );
            assert_eq!(
                listed.contains(&"work_residence_permit".to_string()),
                n == "chinese",
                "{n}"
            );
            assert!(listed.contains(&"overseas_experience_counts".to_string()));
        }
    }
    let hmt = d(
        r#"{"entry":"G7","nationality":"hmt","education":"bachelor","experience_years":5,"beijing_employer":true}"#,
    );
    assert!(hmt.notes.iter().any(|n| n.en.contains("Hong Kong")));
    assert!(hmt.missing.is_empty(), "{:?}", hmt.missing);
}

#[test]
fn work_permit_age_limits() {
    let wp = |age: u8, extra: &str, entry: &str| {
        let x = d(&format!(
            r#"{{"entry":"{entry}","nationality":"foreign","age":{age},"education":"bachelor","experience_years":5,"beijing_employer":true{extra}}}"#
        ));
        if granted(&x).contains(&"work_permit_relaxation".to_string()) {
            "granted".to_string()
        } else {
            x.withheld
                .iter()
                .find(|w| w.code == "work_permit_relaxation")
                .map(|w| w.reason.to_string())
                .unwrap_or_else(|| "undecided".into())
        }
    };
    assert_eq!(wp(65, "", "G7"), "granted");
    assert_eq!(wp(66, "", "G7"), "age_over_limit");
    assert_eq!(wp(70, r#","high_end_industry":true"#, "G7"), "granted");
    assert_eq!(
        wp(71, r#","high_end_industry":true"#, "G7"),
        "age_over_limit"
    );
    // The project lifts the limit only where the entry's remark carries the waiver.
    assert_eq!(
        wp(90, r#","project":"universal-studios""#, "G87"),
        "granted"
    );
    assert_eq!(
        wp(
            90,
            r#","project":"universal-studios","level":"cert-4""#,
            "G88"
        ),
        "granted"
    );
    assert_eq!(
        wp(90, r#","project":"universal-studios""#, "G7"),
        "age_over_limit"
    );
    assert_eq!(wp(90, "", "G87"), "age_over_limit");
    let x = d(r#"{"entry":"G7","project":"universal-studios"}"#);
    assert!(x
        .trace
        .iter()
        .any(|s| s.rule == "recognition.project" && s.outcome == "not_applicable"));
    // The waiver is read from the entry's data.
    let waived: Vec<&str> = zige_catalog::default_catalog()
        .entries
        .iter()
        .filter(|e| e.has_waiver("universal_studios"))
        .map(|e| e.code.as_str())
        .collect();
    assert_eq!(waived, ["G87", "G88", "G89", "G90"]);
}

#[test]
fn the_project_waives_the_entrys_own_experience_requirement() {
    // A catalogue where G87's remark also asks for experience.
    let mut catalog = zige_catalog::default_catalog().clone();
    let g87 = catalog
        .entries
        .iter_mut()
        .find(|e| e.code == "G87")
        .unwrap();
    g87.experience = zige_catalog::default_catalog()
        .find("G29")
        .unwrap()
        .experience
        .clone();
    let p = Profile {
        experience_years: Some(0),
        ..Profile::new("G87")
    };
    assert_eq!(
        unmet(&decide(&catalog, Policy::builtin(), &p).unwrap()),
        ["experience_insufficient"]
    );
    let p = Profile {
        project: Some(zige_rules::Project::UniversalStudios),
        ..p
    };
    let x = decide(&catalog, Policy::builtin(), &p).unwrap();
    assert_eq!(x.recognized, Some(true));
    assert!(x
        .trace
        .iter()
        .any(|s| s.rule == "recognition.experience" && s.outcome == "waived"));
}

#[test]
fn missing_fields_leave_only_their_consequences_undecided() {
    // Experience missing where the entry requires it.
    let x = d(r#"{"entry":"G29","nationality":"foreign","age":40,"beijing_employer":true}"#);
    assert_eq!(x.recognized, None);
    assert!(x.benefits.is_empty() && x.withheld.is_empty());
    assert_eq!(x.missing, ["experience_years"]);
    // ...but a known "no" is still a no.
    let x = d(r#"{"entry":"G29","nationality":"foreign","age":40,"beijing_employer":false}"#);
    assert_eq!(x.withheld.len(), 5);
    // Employer missing: nothing granted, nothing withheld.
    let x = d(
        r#"{"entry":"G7","nationality":"foreign","age":40,"education":"bachelor","experience_years":5}"#,
    );
    assert_eq!(x.recognized, Some(true));
    assert!(x.benefits.is_empty() && x.withheld.is_empty());
    assert_eq!(x.missing, ["beijing_employer"]);
    // Nationality missing: the benefits for everyone are decided, the others not.
    let x = d(
        r#"{"entry":"G7","age":40,"education":"bachelor","experience_years":5,"beijing_employer":true}"#,
    );
    assert_eq!(
        granted(&x),
        ["overseas_experience_counts", "title_correspondence"]
    );
    assert_eq!(x.missing, ["nationality"]);
    // Age missing for a foreigner: only the work permit waits.
    let x = d(
        r#"{"entry":"G7","nationality":"foreign","education":"bachelor","experience_years":5,"beijing_employer":true}"#,
    );
    assert!(!granted(&x).contains(&"work_permit_relaxation".to_string()));
    assert!(granted(&x).contains(&"port_visa".to_string()));
    assert_eq!(x.missing, ["age"]);
    // ...and is not needed for a Chinese national.
    let x = d(
        r#"{"entry":"G7","nationality":"chinese","education":"bachelor","experience_years":5,"beijing_employer":true}"#,
    );
    assert!(x.missing.is_empty());
}

#[test]
fn obligations_exemptions_and_waivers() {
    for (entry, code) in [
        ("U7", "register_with_cicpa"),
        ("G96", "short_term_medical_practice_licence"),
        ("G112", "register_with_drug_regulator"),
        ("G110", "register_with_health_authority"),
        ("G115", "file_with_agriculture_authority"),
        ("G78", "hold_teacher_qualification"),
    ] {
        // Listed whether or not recognised.
        let x = d(&format!(r#"{{"entry":"{entry}","experience_years":0}}"#));
        assert_eq!(codes(&x.obligations, |o| &o.code), [code], "{entry}");
    }
    for entry in ["G5", "G6", "G24", "G28", "G16", "G62"] {
        let level = if entry == "G6" {
            r#","level":"CPA""#
        } else {
            ""
        };
        let x = d(&format!(r#"{{"entry":"{entry}"{level}}}"#));
        assert!(x.obligations.is_empty(), "{entry}");
        assert!(
            !x.notes.is_empty(),
            "{entry}: the exemption or waiver is shown"
        );
        assert!(
            x.render(Lang::En).contains(x.notes[0].en.as_str()),
            "{entry}"
        );
    }
}

#[test]
fn the_trace_quotes_what_each_rule_rests_on() {
    let x = d(
        r#"{"entry":"G29","experience_years":1,"nationality":"foreign","age":40,"beijing_employer":true,"education":"master"}"#,
    );
    let exp = x
        .trace
        .iter()
        .find(|s| s.rule == "recognition.experience")
        .unwrap();
    assert_eq!(exp.outcome, "unmet");
    assert!(
        exp.basis.zh.contains("需要有两年相关工作经验"),
        "{}",
        exp.basis.zh
    );
    let x = d(r#"{"entry":"U4","experience_years":9,"education":"bachelor"}"#);
    let t = x
        .trace
        .iter()
        .find(|s| s.rule == "title.correspondence")
        .unwrap();
    assert!(
        t.basis.zh.contains("对应副高级职称需符合相应职称系列"),
        "{}",
        t.basis.zh
    );
    let b = x
        .trace
        .iter()
        .find(|s| s.rule == "title.basic_conditions")
        .unwrap();
    assert!(
        b.basis.en.contains("bachelor's degree 10 years"),
        "{}",
        b.basis.en
    );
    let json = serde_json::to_value(&x).unwrap();
    assert_eq!(json["catalog"], "beijing/3.0");
    assert_eq!(json["policy"], "beijing/2023");
    assert_eq!(json["title"]["level"], "deputy_senior");
}

#[test]
fn out_of_range_profiles_are_rejected_by_decide_too() {
    let p = Profile {
        age: Some(12),
        ..Profile::new("G7")
    };
    assert_eq!(
        decide(zige_catalog::default_catalog(), Policy::builtin(), &p)
            .unwrap_err()
            .field,
        "age"
    );
    let p = Profile {
        experience_years: Some(61),
        ..Profile::new("G7")
    };
    assert_eq!(
        decide(zige_catalog::default_catalog(), Policy::builtin(), &p)
            .unwrap_err()
            .field,
        "experience_years"
    );
}

#[test]
fn an_entry_offers_the_title_only_with_a_title_correspondence() {
    let cat = zige_catalog::default_catalog();
    let policy = Policy::builtin();
    let codes = |code: &str| -> Vec<String> {
        policy
            .offered(cat.find(code).unwrap())
            .map(|b| b.code.clone())
            .collect()
    };
    assert!(!codes("G39").contains(&"title_correspondence".to_string()));
    assert!(codes("U1").contains(&"title_correspondence".to_string()));
    assert!(codes("G14").contains(&"title_correspondence".to_string()));
    // The decision agrees: no title benefit, granted or withheld, for G39.
    let d = decide_json(
        r#"{"entry":"G39","nationality":"chinese","beijing_employer":true,"experience_years":3}"#,
    )
    .unwrap();
    assert!(d.title.is_none());
    assert!(!d.benefits.iter().any(|b| b.code == "title_correspondence"));
    assert!(!d.withheld.iter().any(|b| b.code == "title_correspondence"));
}

#[test]
fn every_input_error_is_named_at_once() {
    let cat = zige_catalog::default_catalog();
    let reading =
        zige_rules::Reading::json(r#"{"entry":"G999","age":12,"education":"wizard"}"#).unwrap();
    let errors = zige_rules::decide_all(cat, Policy::builtin(), &reading).unwrap_err();
    let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["entry", "age", "education"]);
    let reading =
        zige_rules::Reading::json(r#"{"entry":"G80","level":"Z","nationality":"martian"}"#)
            .unwrap();
    let errors = zige_rules::decide_all(cat, Policy::builtin(), &reading).unwrap_err();
    let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["level", "nationality"]);
    let fine = zige_rules::Reading::json(r#"{"entry":"G80","level":"A"}"#).unwrap();
    assert!(zige_rules::decide_all(cat, Policy::builtin(), &fine).is_ok());
}
