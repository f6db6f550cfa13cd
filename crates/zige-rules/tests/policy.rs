//! The policy file is validated on load, and the decision follows it.

use zige_rules::policy::BUILTIN_POLICY;
use zige_rules::{decide, Policy, PolicyError, Profile};

fn edited(from: &str, to: &str) -> String {
    assert!(
        BUILTIN_POLICY.contains(from),
        "the built-in policy no longer contains {from:?}"
    );
    BUILTIN_POLICY.replacen(from, to, 1)
}

fn rejected(text: &str) -> String {
    match Policy::parse(text) {
        Ok(_) => panic!("the policy was accepted"),
        Err(e) => {
            let s = e.to_string();
            assert!(!s.contains('\n'), "one line: {s}");
            s
        }
    }
}

#[test]
fn the_builtin_policy_file_is_valid() {
    let p = Policy::parse(BUILTIN_POLICY).unwrap();
    assert_eq!(&p, Policy::builtin());
    assert_eq!(p.catalogs, ["beijing/3.0"]);
}

#[test]
fn an_unknown_benefit_code_is_rejected() {
    let e = rejected(&edited(r#"code = "port_visa""#, r#"code = "free_lunch""#));
    assert!(e.contains("unknown benefit code 'free_lunch'"), "{e}");
    assert!(e.contains("known: work_permit_relaxation"), "{e}");
}

#[test]
fn a_missing_title_row_is_rejected() {
    let text = edited("[titles.deputy_senior]", "[titles.senior]");
    let e = rejected(&text);
    assert!(
        e.contains("[titles.senior]") && e.contains("unknown title level"),
        "{e}"
    );
    let start = BUILTIN_POLICY.find("[titles.deputy_senior]").unwrap();
    let end = start + BUILTIN_POLICY[start..].find("min_years").unwrap();
    let end = end + BUILTIN_POLICY[end..].find('\n').unwrap();
    let without = format!("{}{}", &BUILTIN_POLICY[..start], &BUILTIN_POLICY[end..]);
    let e = rejected(&without);
    assert!(
        e.contains("the title table has no 'deputy_senior' row"),
        "{e}"
    );
}

#[test]
fn a_title_row_needs_every_education() {
    let e = rejected(&edited(
        r#"associate = 7, none = "never""#,
        r#"associate = 7"#,
    ));
    assert!(
        e.contains("[titles.intermediate]") && e.contains("min_years has no 'none'"),
        "{e}"
    );
    let e = rejected(&edited(
        r#"associate = 7, none = "never""#,
        r#"associate = 7, none = "sometimes""#,
    ));
    assert!(e.contains("\"never\""), "{e}");
    let e = rejected(&edited(r#"doctorate = 0,"#, r#"doctorate = 0, phd = 0,"#));
    assert!(e.contains("unknown education 'phd'"), "{e}");
}

#[test]
fn age_limits_must_ascend() {
    let e = rejected(&edited("max_age = 70", "max_age = 60"));
    assert!(e.contains("ascending"), "{e}");
    let e = rejected(&edited(
        r#"when = "high_end_industry""#,
        r#"when = "full_moon""#,
    ));
    assert!(e.contains("unknown condition 'full_moon'"), "{e}");
}

#[test]
fn other_mistakes_are_named() {
    assert!(rejected(&edited(
        r#"source = "shanghai-2025""#,
        r#"source = "rumour""#
    ))
    .contains("unknown source 'rumour'"));
    assert!(
        rejected(&edited(r#"for = ["chinese"]"#, r#"for = ["martian"]"#))
            .contains("unknown nationality 'martian'")
    );
    assert!(rejected(&edited("{age_limit}岁（", "{age_cap}岁（"))
        .contains("unknown placeholder '{age_cap}'"));
    assert!(rejected(&edited(
        r#"code = "port_visa""#,
        r#"code = "long_term_visa""#
    ))
    .contains("appears twice"));
    assert!(rejected("[policy]\nid = ").starts_with("policy file is not valid"));
    assert!(matches!(
        Policy::parse(&edited("[[notes]]", "[[notez]]")),
        Err(PolicyError::Syntax(_))
    ));
}

#[test]
fn decisions_follow_the_policy_data() {
    let strict = Policy::parse(&edited("max_age = 65", "max_age = 60").replacen(
        "master = 2,",
        "master = 3,",
        1,
    ))
    .unwrap();
    let p = Profile::from_json(r#"{"entry":"G3","nationality":"foreign","age":62,"education":"master","experience_years":2,"beijing_employer":true}"#).unwrap();
    let catalog = zige_catalog::default_catalog();
    let builtin = decide(catalog, Policy::builtin(), &p).unwrap();
    let other = decide(catalog, &strict, &p).unwrap();
    assert!(builtin
        .benefits
        .iter()
        .any(|b| b.code == "work_permit_relaxation"));
    assert!(other
        .withheld
        .iter()
        .any(|w| w.code == "work_permit_relaxation" && w.reason == "age_over_limit"));
    assert!(
        other.withheld[0].message.en.contains("age limit of 60"),
        "{}",
        other.withheld[0].message.en
    );
    assert_eq!(builtin.title.unwrap().basic_conditions_met, Some(true));
    assert_eq!(other.title.unwrap().basic_conditions_met, Some(false));
    // The descriptions carry the numbers of the file.
    assert!(strict
        .benefit("work_permit_relaxation")
        .unwrap()
        .description
        .en
        .contains("up to age 60"));
}
