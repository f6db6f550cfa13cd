//! Reason templates: reasons for one outcome written once by an admin, in
//! Chinese and in English, which a reviewer picks on the decision form.
//! Picking one adds its text to the reasons, Chinese then English, for the
//! reviewer to complete: the reasons are signed into one decision that is
//! read in either language.

use crate::decision::Outcome;
use crate::text::{check_text, Lines, MAX_REASONS};
use zige_rules::InputError;

/// A template's title, one line in each language.
pub const MAX_TITLE: usize = 100;
/// A template's text in one language: both, with the blank line between
/// them, fit in a decision's reasons.
pub const MAX_TEXT: usize = (MAX_REASONS - 2) / 2;

/// A template as an admin typed it, before it is checked.
#[derive(Debug, Clone, Default)]
pub struct TemplateDraft {
    pub outcome: String,
    pub title_zh: String,
    pub title_en: String,
    pub text_zh: String,
    pub text_en: String,
}

/// A checked template: an outcome, and a title and text in both languages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReasonTemplate {
    pub outcome: Outcome,
    pub title_zh: String,
    pub title_en: String,
    pub text_zh: String,
    pub text_en: String,
}

impl ReasonTemplate {
    /// The template `draft` describes (its texts trimmed), or every problem
    /// with it, each naming its field as the API spells it (`title.zh`).
    pub fn checked(draft: &TemplateDraft) -> Result<ReasonTemplate, Vec<InputError>> {
        let mut errors = Vec::new();
        let outcome = Outcome::parse(&draft.outcome);
        if outcome.is_none() {
            errors.push(InputError::new(
                "outcome",
                draft.outcome.trim(),
                Outcome::ALLOWED,
            ));
        }
        let title_zh = required(
            &mut errors,
            "title.zh",
            &draft.title_zh,
            MAX_TITLE,
            Lines::One,
        );
        let title_en = required(
            &mut errors,
            "title.en",
            &draft.title_en,
            MAX_TITLE,
            Lines::One,
        );
        let text_zh = required(
            &mut errors,
            "text.zh",
            &draft.text_zh,
            MAX_TEXT,
            Lines::Many,
        );
        let text_en = required(
            &mut errors,
            "text.en",
            &draft.text_en,
            MAX_TEXT,
            Lines::Many,
        );
        match outcome {
            Some(outcome) if errors.is_empty() => Ok(ReasonTemplate {
                outcome,
                title_zh,
                title_en,
                text_zh,
                text_en,
            }),
            _ => Err(errors),
        }
    }

    /// The text a decision's reasons take from this template.
    pub fn reasons(&self) -> String {
        format!("{}\n\n{}", self.text_zh, self.text_en)
    }

    /// `typed` with this template's text added after it (a blank line
    /// between), or the template's text alone when nothing was typed.
    pub fn added_to(&self, typed: &str) -> String {
        let typed = typed.trim_end();
        if typed.trim().is_empty() {
            self.reasons()
        } else {
            format!("{typed}\n\n{}", self.reasons())
        }
    }
}

/// `value` trimmed, when it is present and fits; otherwise its problem is
/// added to `errors` (and the trimmed value returned all the same).
fn required(
    errors: &mut Vec<InputError>,
    field: &str,
    value: &str,
    max: usize,
    lines: Lines,
) -> String {
    let value = value.trim();
    if let Err(e) = check_text(field, value, max, lines) {
        errors.push(e);
    } else if value.is_empty() {
        errors.push(
            InputError::new(field, "", "a text in this language").with_allowed_zh("该语言的文字"),
        );
    }
    value.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft() -> TemplateDraft {
        TemplateDraft {
            outcome: "rejected".into(),
            title_zh: "证书已过期".into(),
            title_en: "Certificate expired".into(),
            text_zh: "您提交的证书已过期。".into(),
            text_en: "The certificate you submitted has expired.".into(),
        }
    }

    #[test]
    fn a_complete_template_is_accepted_and_trimmed() {
        let mut typed = draft();
        typed.title_en = "  Certificate expired \n".into();
        let template = ReasonTemplate::checked(&typed).unwrap();
        assert_eq!(template.outcome, Outcome::Rejected);
        assert_eq!(template.title_en, "Certificate expired");
    }

    #[test]
    fn every_problem_is_named_at_once() {
        let typed = TemplateDraft {
            outcome: "maybe".into(),
            title_zh: "一\n二".into(),
            ..TemplateDraft::default()
        };
        let fields: Vec<String> = ReasonTemplate::checked(&typed)
            .unwrap_err()
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(
            fields,
            ["outcome", "title.zh", "title.en", "text.zh", "text.en"]
        );
    }

    #[test]
    fn texts_at_their_limit_still_fit_in_the_reasons() {
        let mut typed = draft();
        typed.text_zh = "证".repeat(MAX_TEXT);
        typed.text_en = "e".repeat(MAX_TEXT);
        let template = ReasonTemplate::checked(&typed).unwrap();
        assert!(template.reasons().chars().count() <= MAX_REASONS);
        typed.text_en.push('e');
        let errors = ReasonTemplate::checked(&typed).unwrap_err();
        assert_eq!(errors[0].field, "text.en");
    }

    #[test]
    fn a_template_is_added_after_what_was_typed() {
        let template = ReasonTemplate::checked(&draft()).unwrap();
        assert_eq!(template.added_to("  \n"), template.reasons());
        assert_eq!(
            template.added_to("Dear applicant,\n"),
            format!("Dear applicant,\n\n{}", template.reasons())
        );
    }
}
