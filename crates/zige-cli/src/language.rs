//! The language of human output: `--lang`, else the locale variables.

use zige_catalog::Lang;

use crate::failure::Failure;

/// `--lang` when given (zh or en), else Chinese when `LC_ALL`,
/// `LC_MESSAGES` or `LANG` (the first one set) starts with `zh`, else English.
pub(crate) fn from_flag_or_locale(flag: Option<&str>) -> Result<Lang, Failure> {
    if let Some(value) = flag {
        return Lang::parse(value).ok_or_else(|| {
            Failure::Input(format!(
                "invalid value '{value}' for --lang: allowed zh, en"
            ))
        });
    }
    let env = ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .filter_map(|k| std::env::var(k).ok())
        .find(|v| !v.is_empty())
        .unwrap_or_default();
    Ok(if env.starts_with("zh") {
        Lang::Zh
    } else {
        Lang::En
    })
}
