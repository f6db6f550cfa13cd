//! The pages' messages, in Fluent files embedded at build time
//! (`i18n/{en,zh}/*.ftl`, one file per area), and the choice of language:
//! `?lang=` (remembered in a cookie), then the cookie, then Accept-Language.

use std::borrow::Cow;
use std::collections::HashMap;

use axum::http::{header, HeaderMap};
use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{static_loader, LanguageIdentifier, Loader};
use zige_catalog::{Bilingual, Lang};

static_loader! {
    static LOCALES = {
        locales: "./i18n",
        fallback_language: "en",
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

pub const COOKIE: &str = "zige_lang";

fn langid(lang: Lang) -> LanguageIdentifier {
    match lang {
        Lang::Zh => "zh".parse().expect("static language id"),
        Lang::En => "en".parse().expect("static language id"),
    }
}

/// Picks the language of a request.
pub fn negotiate(query_lang: Option<&str>, headers: &HeaderMap) -> (Lang, bool) {
    if let Some(l) = query_lang.and_then(Lang::parse) {
        return (l, true);
    }
    let cookie = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == COOKIE)
        .and_then(|(_, v)| Lang::parse(v));
    if let Some(l) = cookie {
        return (l, false);
    }
    let accept = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let mut best: Option<(f32, Lang)> = None;
    for part in accept.split(',') {
        let mut it = part.trim().split(';');
        let tag = it.next().unwrap_or("").trim();
        let q = it
            .find_map(|p| {
                p.trim()
                    .strip_prefix("q=")
                    .and_then(|q| q.parse::<f32>().ok())
            })
            .unwrap_or(1.0);
        if let Some(l) = Lang::parse(tag) {
            if best.is_none_or(|(bq, _)| q > bq) {
                best = Some((q, l));
            }
        }
    }
    (best.map(|b| b.1).unwrap_or(Lang::Zh), false)
}

/// Messages of one language, for templates.
#[derive(Clone, Copy)]
pub struct Tr {
    pub lang: Lang,
}

impl Tr {
    /// The message `key`.
    pub fn msg(&self, key: &str) -> String {
        LOCALES.lookup(&langid(self.lang), key)
    }

    /// The message `key` as a label before a value: `Decision number: `
    /// in English, `决定编号：` (full-width colon, no space) in Chinese.
    pub fn label(&self, key: &str) -> String {
        match self.lang {
            Lang::Zh => format!("{}：", self.msg(key)),
            Lang::En => format!("{}: ", self.msg(key)),
        }
    }

    /// The message `key` with its arguments.
    pub fn with(&self, key: &str, args: &[(&'static str, String)]) -> String {
        let map: HashMap<Cow<'static, str>, FluentValue> = args
            .iter()
            .map(|(k, v)| (Cow::Borrowed(*k), FluentValue::from(v.clone())))
            .collect();
        LOCALES.lookup_with_args(&langid(self.lang), key, &map)
    }

    /// The message `key` for a number of things (`$count`, with plurals).
    pub fn count(&self, key: &str, number: impl std::borrow::Borrow<usize>) -> String {
        let number = *number.borrow();
        let map: HashMap<Cow<'static, str>, FluentValue> =
            [(Cow::Borrowed("count"), FluentValue::from(number))]
                .into_iter()
                .collect();
        LOCALES.lookup_with_args(&langid(self.lang), key, &map)
    }

    /// A bilingual value in this language.
    pub fn pick(&self, text: impl std::borrow::Borrow<Bilingual>) -> String {
        text.borrow().get(self.lang).to_string()
    }

    pub fn code(&self) -> &'static str {
        match self.lang {
            Lang::Zh => "zh-Hans",
            Lang::En => "en",
        }
    }

    pub fn other(&self) -> &'static str {
        match self.lang {
            Lang::Zh => "en",
            Lang::En => "zh",
        }
    }

    pub fn is_zh(&self) -> bool {
        self.lang == Lang::Zh
    }
}

/// A message in English and in Chinese, for answers that carry both (the
/// API's error envelope, the Atom feed).
pub fn both(key: &str, args: &[(&'static str, String)]) -> (String, String) {
    (
        Tr { lang: Lang::En }.with(key, args),
        Tr { lang: Lang::Zh }.with(key, args),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every message exists in both languages: each language directory has
    /// the same `.ftl` files (one per area, e.g. `main.ftl`, `auth.ftl`),
    /// each pair has the same keys, and no key is defined twice.
    #[test]
    fn both_message_files_have_the_same_keys() {
        let keys = |text: &str| -> Vec<String> {
            let mut k: Vec<String> = text
                .lines()
                .filter(|l| !l.starts_with(' ') && !l.starts_with('#') && l.contains(" = "))
                .map(|l| l.split(" = ").next().unwrap().trim().to_string())
                .collect();
            k.sort();
            k
        };
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("i18n");
        let files = |lang: &str| -> Vec<String> {
            let mut f: Vec<String> = std::fs::read_dir(root.join(lang))
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(".ftl"))
                .collect();
            f.sort();
            f
        };
        let (en, zh) = (files("en"), files("zh"));
        assert_eq!(en, zh, "the same message files in i18n/en and i18n/zh");
        assert!(en.contains(&"main.ftl".to_string()), "{en:?}");
        let mut all = Vec::new();
        for f in &en {
            let read = |lang: &str| std::fs::read_to_string(root.join(lang).join(f)).unwrap();
            let (ke, kz) = (keys(&read("en")), keys(&read("zh")));
            assert_eq!(ke, kz, "keys of en/{f} and zh/{f}");
            all.extend(ke);
        }
        let n = all.len();
        all.sort();
        all.dedup();
        assert_eq!(
            all.len(),
            n,
            "a message key is defined twice across the files"
        );
    }

    #[test]
    fn accept_language_cookie_and_query_are_honoured_in_order() {
        let mut h = HeaderMap::new();
        h.insert(
            header::ACCEPT_LANGUAGE,
            "en-GB,en;q=0.9,zh;q=0.5".parse().unwrap(),
        );
        assert_eq!(negotiate(None, &h), (Lang::En, false));
        h.insert(header::COOKIE, "a=b; zige_lang=zh".parse().unwrap());
        assert_eq!(negotiate(None, &h), (Lang::Zh, false));
        assert_eq!(negotiate(Some("en"), &h), (Lang::En, true));
        assert_eq!(negotiate(None, &HeaderMap::new()).0, Lang::Zh);
    }

    #[test]
    fn plurals_and_arguments_render() {
        let en = Tr { lang: Lang::En };
        assert_eq!(en.count("search-results", 1), "One qualification matches");
        assert_eq!(en.count("search-results", 3), "3 qualifications match");
        assert_eq!(
            Tr { lang: Lang::Zh }.count("search-results", 3),
            "找到 3 项职业资格"
        );
    }
}
