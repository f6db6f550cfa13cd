//! The rules engine's rule codes (`recognition.level`,
//! `benefit.work_permit_relaxation`…) as reviewers read them: benefits by
//! the policy's own bilingual names, the engine's steps from Fluent.

use zige_rules::Policy;

use crate::i18n::Tr;

/// The name of rule `rule` in the page's language; an unknown rule is
/// spelt out in words rather than shown as a code.
pub fn rule_name(t: &Tr, policy: &Policy, rule: &str) -> String {
    if let Some(benefit) = rule
        .strip_prefix("benefit.")
        .and_then(|code| policy.benefit(code))
    {
        return t.pick(&benefit.name);
    }
    if rule.starts_with("obligation.") {
        return t.msg("staff-rule-obligation");
    }
    let key = match rule {
        "recognition" => "staff-rule-recognition",
        "recognition.level" => "staff-rule-level",
        "recognition.project" => "staff-rule-project",
        "recognition.experience" => "staff-rule-experience",
        "title.correspondence" => "staff-rule-title",
        "title.basic_conditions" => "staff-rule-title-conditions",
        "policy.scope" => "staff-rule-policy-scope",
        _ => return rule.replace(['.', '_'], " "),
    };
    t.msg(key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use zige_catalog::Lang;

    #[test]
    fn rule_codes_read_as_words_in_both_languages() {
        let policy = Policy::builtin();
        let (zh, en) = (Tr { lang: Lang::Zh }, Tr { lang: Lang::En });
        let code = "benefit.work_permit_relaxation";
        assert_eq!(rule_name(&en, policy, code), "Relaxed work permit");
        assert_eq!(rule_name(&zh, policy, code), "外国人工作许可放宽");
        for rule in [
            "recognition",
            "recognition.level",
            "recognition.project",
            "recognition.experience",
            "title.correspondence",
            "title.basic_conditions",
            "policy.scope",
            "obligation.register_with_cicpa",
        ] {
            for t in [&zh, &en] {
                let name = rule_name(t, policy, rule);
                assert!(
                    !name.is_empty() && !name.contains('.') && !name.contains('_'),
                    "{rule}: {name}"
                );
            }
        }
        assert_eq!(rule_name(&en, policy, "new.rule_code"), "new rule code");
    }
}
