//! Text people type, checked the same way everywhere: every text field has
//! a length limit and refuses control and invisible formatting characters
//! ([`check_text`], shared with the rules engine's profile), and names
//! refuse words that mix Latin letters with Cyrillic or Greek look-alikes
//! ([`check_name`]), so that "Аda" (Cyrillic А) cannot pass for "Ada".
//! E-mail addresses are normalised in [`crate::Email`].

use unicode_normalization::char::is_combining_mark;
pub use zige_rules::input::{check_text, escaped, unwanted, Lines, MAX_ENTRY, MAX_LEVEL};
use zige_rules::InputError;

/// A person's name (account name, the holder's name is [`MAX_FORM_TEXT`]).
pub const MAX_NAME: usize = 100;
/// An e-mail address (RFC 5321's path limit).
pub const MAX_EMAIL: usize = 254;
/// One line of the application form: holder's name, certificate number, issuer, dates.
pub const MAX_FORM_TEXT: usize = 200;
/// A reviewer's reasons, read by the applicant and signed into approvals.
pub const MAX_REASONS: usize = 4000;
/// Why a decision is revoked, or an application withdrawn.
pub const MAX_NOTE: usize = 2000;

/// Scripts whose letters pass for Latin ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Script {
    Latin,
    Greek,
    Cyrillic,
}

fn script(c: char) -> Option<Script> {
    let u = c as u32;
    let latin = c.is_ascii_alphabetic()
        || matches!(u, 0xAA | 0xBA | 0xC0..=0x24F | 0x250..=0x2AF | 0x1E00..=0x1EFF | 0x2C60..=0x2C7F | 0xA720..=0xA7FF | 0xAB30..=0xAB6F | 0xFF21..=0xFF3A | 0xFF41..=0xFF5A)
            && c.is_alphabetic();
    if latin {
        return Some(Script::Latin);
    }
    match u {
        0x370..=0x3FF | 0x1F00..=0x1FFF if c.is_alphabetic() => Some(Script::Greek),
        0x400..=0x52F | 0x1C80..=0x1C8F | 0x2DE0..=0x2DFF | 0xA640..=0xA69F
            if c.is_alphabetic() =>
        {
            Some(Script::Cyrillic)
        }
        _ => None,
    }
}

/// The first word of `text` whose letters mix Latin with Cyrillic or Greek.
/// Words are split at anything that is neither a letter, a digit nor a
/// combining mark; other scripts (Chinese, Arabic…) never count as mixing.
pub fn mixed_script_word(text: &str) -> Option<&str> {
    text.split(|c: char| !(c.is_alphanumeric() || is_combining_mark(c)))
        .find(|word| {
            let mut seen: Option<Script> = None;
            word.chars().filter_map(script).any(|sc| {
                let mixed = seen.is_some_and(|x| x != sc);
                seen = Some(sc);
                mixed
            })
        })
}

/// Checks a name (`field`): at most `max` characters, no control or
/// invisible characters, no word mixing Latin with Cyrillic or Greek
/// letters. Names in one script, any script, are welcome.
pub fn check_name(field: &str, value: &str, max: usize) -> Result<(), InputError> {
    check_text(field, value, max, Lines::One)?;
    if let Some(word) = mixed_script_word(value) {
        let shown: String = word
            .chars()
            .map(|c| match script(c) {
                Some(Script::Latin) | None => c.to_string(),
                Some(_) => format!("{c}[U+{:04X}]", c as u32),
            })
            .collect();
        return Err(InputError::new(
            field,
            escaped(value, 80),
            format!("a name whose words are each written in one script: “{shown}” mixes Latin letters with Cyrillic or Greek look-alikes (marked with their code)"),
        )
        .with_allowed_zh(format!(
            "每个词只用一种文字书写的姓名：“{shown}”混用了拉丁字母与形似的西里尔或希腊字母（已标出其编码）"
        )));
    }
    Ok(())
}

/// An optional form field's text check, for `check_draft`-style lists.
pub fn check_optional(field: &str, value: Option<&str>, max: usize, errs: &mut Vec<InputError>) {
    if let Some(v) = value {
        if let Err(e) = check_text(field, v, max, Lines::One) {
            errs.push(e);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_in_one_script_pass_and_look_alike_mixtures_do_not() {
        for ok in [
            "Ada Lovelace",
            "王力",
            "Иван Петров",
            "Σωκράτης",
            "José Müller-Łukasiewicz",
            "Jose\u{301} O'Brien",
            "Ivan Иванов",
            "李 Li",
            "محمد",
        ] {
            assert!(check_name("name", ok, 100).is_ok(), "{ok}");
        }
        for (bad, word) in [
            ("\u{410}da Lovelace", "\u{410}da"), // Cyrillic А
            ("Ada Lovel\u{430}ce", "Lovel\u{430}ce"),
            ("\u{39F}live", "\u{39F}live"), // Greek Ο
        ] {
            assert_eq!(mixed_script_word(bad), Some(word));
            let e = check_name("holder_name", bad, 100).unwrap_err();
            assert_eq!(e.field, "holder_name");
            assert!(e.allowed.contains("Cyrillic or Greek"), "{}", e.allowed);
            assert!(e.allowed.contains("[U+0"), "{}", e.allowed);
            assert!(e.allowed_zh.as_deref().unwrap().contains("西里尔"));
        }
        let e = check_name("name", "Ada\u{200B}", 100).unwrap_err();
        assert_eq!(e.value, "Ada[U+200B]");
        assert!(check_name("name", &"x".repeat(101), 100).is_err());
    }
}
