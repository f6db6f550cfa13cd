//! Plain text as people may type it: the one check every text field of
//! every adapter goes through (profile fields here; names, e-mails, forms
//! and reasons in `zige_cases::text`).
//!
//! A field is refused, naming it, when it is longer than its limit or
//! holds a character nobody types on purpose: a control character (Unicode
//! category Cc: NUL, escape, …; a multi-line field may hold line breaks
//! and tabs) or an invisible formatting character (Cf: zero-width space,
//! right-to-left override, byte-order mark, soft hyphen, …), or a line or
//! paragraph separator (Zl, Zp). Such characters hide what a text says,
//! and PostgreSQL cannot store NUL at all.

use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};

use crate::profile::InputError;

/// Whether a field is one line (names, numbers) or free text (reasons).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lines {
    One,
    /// Line breaks (`\n`, `\r`) and tabs are allowed.
    Many,
}

/// What is wrong with one character of a text, if anything.
pub fn unwanted(code_point: char, lines: Lines) -> Option<(&'static str, &'static str)> {
    match code_point.general_category() {
        GeneralCategory::Control
            if lines == Lines::Many && matches!(code_point, '\n' | '\r' | '\t') =>
        {
            None
        }
        GeneralCategory::Control => Some(("a control character", "控制字符")),
        GeneralCategory::Format => Some(("an invisible formatting character", "不可见的格式字符")),
        GeneralCategory::LineSeparator | GeneralCategory::ParagraphSeparator => {
            Some(("a line separator", "行分隔符"))
        }
        _ => None,
    }
}

/// `text` fit to echo in an error: unwanted characters written as `[U+0000]`,
/// cut after `max` characters.
pub fn escaped(text: &str, max: usize) -> String {
    let mut out = String::new();
    for (i, c) in text.chars().enumerate() {
        if i == max {
            out.push('…');
            break;
        }
        if unwanted(c, Lines::One).is_some() {
            out.push_str(&format!("[U+{:04X}]", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// Checks a text field: at most `max` characters, no control, formatting
/// or separator characters (`lines` says whether line breaks and tabs are
/// welcome). The error names the field, shows the value escaped (or its
/// length when it is too long) and says what is allowed, in English and
/// Chinese.
pub fn check_text(field: &str, value: &str, max: usize, lines: Lines) -> Result<(), InputError> {
    let n = value.chars().count();
    if n > max {
        return Err(InputError::new(
            field,
            format!("({n} characters)"),
            format!("at most {max} characters"),
        )
        .with_allowed_zh(format!("至多 {max} 个字符")));
    }
    if let Some((at, c, (en, zh))) = value
        .chars()
        .enumerate()
        .find_map(|(i, c)| unwanted(c, lines).map(|w| (i + 1, c, w)))
    {
        let (breaks_en, breaks_zh) = match lines {
            Lines::One => ("", ""),
            Lines::Many => (
                " (line breaks and tabs are fine)",
                "（可以换行和使用制表符）",
            ),
        };
        return Err(InputError::new(
            field,
            escaped(value, 80),
            format!(
                "text without control or invisible formatting characters{breaks_en}, at most {max} characters; character {at} is U+{:04X}, {en}",
                c as u32
            ),
        )
        .with_allowed_zh(format!(
            "不含控制字符或不可见格式字符的文本{breaks_zh}，至多 {max} 个字符；第 {at} 个字符 U+{:04X} 是{zh}",
            c as u32
        )));
    }
    Ok(())
}

/// Longest `profile.entry`: a code (`G31`) or a stable id.
pub const MAX_ENTRY: usize = 64;
/// Longest `profile.level`: a code or a short free text ("UEFA A licence").
pub const MAX_LEVEL: usize = 200;

#[cfg(test)]
mod tests {
    use super::*;
    use zige_catalog::Lang;

    #[test]
    fn nul_and_invisible_characters_are_named_escaped_in_both_languages() {
        let e = check_text("reasons", "ok\u{0}no", 100, Lines::Many).unwrap_err();
        assert_eq!(
            (e.field.as_str(), e.value.as_str()),
            ("reasons", "ok[U+0000]no")
        );
        assert!(
            e.allowed.contains("U+0000, a control character"),
            "{}",
            e.allowed
        );
        assert!(
            e.message(Lang::Zh).contains("控制字符"),
            "{}",
            e.message(Lang::Zh)
        );
        for (s, code) in [
            ("a\u{200B}b", "U+200B"),
            ("abc\u{202E}gpj.exe", "U+202E"),
            ("\u{FEFF}x", "U+FEFF"),
            ("x\u{2028}y", "U+2028"),
            ("x\u{1B}[31m", "U+001B"),
        ] {
            let e = check_text("name", s, 100, Lines::One).unwrap_err();
            assert!(e.value.contains(&format!("[{code}]")), "{}", e.value);
            assert!(e.allowed.contains(code), "{}", e.allowed);
        }
        assert!(check_text("reasons", "line 1\r\nline 2\tend", 100, Lines::Many).is_ok());
        assert!(check_text("name", "line 1\nline 2", 100, Lines::One).is_err());
        assert!(check_text("name", "王力 Ωμέγα Иван José", 100, Lines::One).is_ok());
    }

    #[test]
    fn too_long_names_the_length_and_the_limit_not_the_text() {
        let e = check_text("level", &"x".repeat(60_000), 200, Lines::One).unwrap_err();
        assert_eq!(e.value, "(60000 characters)");
        assert_eq!(e.allowed, "at most 200 characters");
        assert_eq!(
            e.message(Lang::Zh),
            "级别（level）的值“(60000 characters)”无效，可选：至多 200 个字符"
        );
        assert!(check_text("level", &"é".repeat(200), 200, Lines::One).is_ok());
    }
}
