//! Words a queued message: its subject, plain text and HTML, in the
//! recipient's language, or in Chinese with English below when the
//! recipient has not chosen. Links are built from the public base URL.

use std::borrow::Cow;
use std::collections::HashMap;

use askama::Template;
use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{static_loader, LanguageIdentifier, Loader};
use jiff::tz::TimeZone;
use serde_json::Value;
use zige_store::{mail_kind as kind, OutboxMessage};

type Args = HashMap<Cow<'static, str>, FluentValue<'static>>;

static_loader! {
    static LOCALES = {
        locales: "./i18n",
        fallback_language: "en",
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

/// What a message says, ready to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Composed {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// What wording needs beyond the message: where the service is, the
/// time zone its dates are in, and how long a request for more
/// information stays open.
#[derive(Debug, Clone)]
pub struct Words {
    /// The public base URL, without a trailing slash.
    pub public_url: String,
    pub zone: TimeZone,
    pub lapse_ms: i64,
}

/// One language's part of a message.
struct Part {
    lang: &'static str,
    greeting: String,
    body: String,
    link_intro: String,
    after: String,
    footer: String,
}

#[derive(Template)]
#[template(path = "message.html")]
struct Html<'a> {
    subject: &'a str,
    parts: &'a [Part],
    quote: Option<&'a str>,
    link: Option<&'a str>,
}

impl Words {
    /// The message in the recipient's language, or both.
    pub fn compose(&self, message: &OutboxMessage) -> Composed {
        let args = self.args(message);
        let langs: &[&'static str] = match message.language.as_deref() {
            Some("en") => &["en"],
            Some("zh") => &["zh"],
            _ => &["zh", "en"],
        };
        let kind = message.kind.as_str();
        let parts: Vec<Part> = langs.iter().map(|lang| part(lang, kind, &args)).collect();
        let subject = langs
            .iter()
            .map(|lang| say(lang, &format!("{kind}-subject"), &args))
            .collect::<Vec<_>>()
            .join(" / ");
        let quote = quote_of(message);
        let link = self.link_of(message);
        let text = parts
            .iter()
            .map(|p| text_part(p, quote.as_deref(), link.as_deref()))
            .collect::<Vec<_>>()
            .join("\n----\n\n");
        let html = Html {
            subject: &subject,
            parts: &parts,
            quote: quote.as_deref(),
            link: link.as_deref(),
        }
        .render()
        .unwrap_or_else(|_| text.clone());
        Composed {
            subject,
            text,
            html,
        }
    }

    /// The Fluent arguments: the message's parameters, with dates in the
    /// service's time zone.
    fn args(&self, message: &OutboxMessage) -> Args {
        let mut args = HashMap::new();
        if let Value::Object(params) = &message.params {
            for (key, value) in params {
                let value = match value {
                    Value::String(s) => FluentValue::from(s.clone()),
                    Value::Number(n) => FluentValue::from(n.to_string()),
                    Value::Bool(b) => FluentValue::from(if *b { "yes" } else { "no" }),
                    _ => continue,
                };
                args.insert(Cow::Owned(key.clone()), value);
            }
        }
        args.insert(
            Cow::Borrowed("email"),
            FluentValue::from(message.recipient.clone()),
        );
        let requested = message.params["requested_at"]
            .as_i64()
            .unwrap_or(message.created_at);
        args.insert(
            Cow::Borrowed("requested"),
            FluentValue::from(self.day(requested)),
        );
        args.insert(
            Cow::Borrowed("lapses"),
            FluentValue::from(self.day(requested + self.lapse_ms)),
        );
        args
    }

    /// A day in the service's zone, `2026-12-02`.
    fn day(&self, ms: i64) -> String {
        jiff::Timestamp::from_millisecond(ms)
            .map(|t| t.to_zoned_datetime(self.zone.clone()).date().to_string())
            .unwrap_or_default()
    }

    /// Where the message's link leads.
    fn link_of(&self, message: &OutboxMessage) -> Option<String> {
        let p = &message.params;
        let application = p["application"].as_i64();
        let path = match message.kind.as_str() {
            kind::VERIFY_ADDRESS => format!("/email-verification/{}", p["token"].as_str()?),
            kind::PASSWORD_RESET => format!("/password-reset/{}", p["token"].as_str()?),
            kind::ACCOUNT_EXISTS => "/login".to_string(),
            kind::PASSWORD_CHANGED => "/password-reset".to_string(),
            kind::DECIDED | kind::REVOKED if p["decision"].is_string() => {
                format!("/verify/{}", p["decision"].as_str()?)
            }
            kind::DIGEST => "/review".to_string(),
            kind::EDITION_PUBLISHED => "/changes".to_string(),
            _ => format!("/applications/{}", application?),
        };
        Some(format!("{}{path}", self.public_url))
    }
}

/// The reviewer's or admin's own words a message quotes, if any.
fn quote_of(message: &OutboxMessage) -> Option<String> {
    let quoted = match message.kind.as_str() {
        kind::MORE_INFO | kind::REVOKED => true,
        kind::DECIDED => message.params["outcome"] == "rejected",
        _ => false,
    };
    message.params["reason"]
        .as_str()
        .map(str::trim)
        .filter(|reason| quoted && !reason.is_empty())
        .map(str::to_string)
}

fn part(lang: &'static str, kind: &str, args: &Args) -> Part {
    Part {
        lang,
        greeting: say(lang, "greeting", args),
        body: say(lang, &format!("{kind}-body"), args),
        link_intro: say(lang, "link-intro", args),
        after: say(lang, &format!("{kind}-after"), args),
        footer: say(lang, "footer", args),
    }
}

fn text_part(part: &Part, quote: Option<&str>, link: Option<&str>) -> String {
    let mut text = format!("{}\n\n{}\n\n", part.greeting, part.body);
    if let Some(quote) = quote {
        for line in quote.lines() {
            text.push_str(&format!("> {line}\n"));
        }
        text.push('\n');
    }
    if let Some(link) = link {
        text.push_str(&format!("{}\n{link}\n\n", part.link_intro));
    }
    text.push_str(&format!("{}\n\n-- \n{}\n", part.after, part.footer));
    text
}

fn say(lang: &str, key: &str, args: &Args) -> String {
    let id: LanguageIdentifier = lang.parse().expect("static language id");
    LOCALES.lookup_with_args(&id, key, args)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use zige_store::MailStatus;

    fn message(kind: &str, language: Option<&str>, params: Value) -> OutboxMessage {
        OutboxMessage {
            id: 7,
            kind: kind.into(),
            user_id: Some(1),
            recipient: "ada@example.org".into(),
            language: language.map(str::to_string),
            params,
            created_at: 1_796_000_000_000,
            status: MailStatus::Queued,
            attempts: 0,
            next_attempt_at: 0,
            last_error: String::new(),
            sent_at: None,
        }
    }

    fn words() -> Words {
        Words {
            public_url: "https://zige.example.org".into(),
            zone: TimeZone::get("Asia/Shanghai").unwrap(),
            lapse_ms: 30 * 86_400_000,
        }
    }

    const KINDS: [&str; 11] = [
        kind::VERIFY_ADDRESS,
        kind::ACCOUNT_EXISTS,
        kind::PASSWORD_RESET,
        kind::PASSWORD_CHANGED,
        kind::SUBMITTED,
        kind::MORE_INFO,
        kind::MORE_INFO_REMINDER,
        kind::DECIDED,
        kind::REVOKED,
        kind::DIGEST,
        kind::EDITION_PUBLISHED,
    ];

    #[test]
    fn every_kind_is_worded_in_both_languages_with_no_key_left_over() {
        let params = json!({"token": "T0K3N", "application": 12, "catalog": "beijing/3.0", "resubmitted": false,
            "reason": "Add page 2.", "outcome": "approved", "decision": "ABCD-EFGH", "number": "ZG-2026-000001",
            "open": 3, "new_cases": 1, "waiting": 0, "days": 14, "edition": "beijing/3.1", "effective": "2027-01-01"});
        for kind in KINDS {
            for language in [Some("en"), Some("zh"), None] {
                let m = words().compose(&message(kind, language, params.clone()));
                for text in [&m.subject, &m.text, &m.html] {
                    assert!(
                        !text.contains(&format!("{kind}-")),
                        "{kind} {language:?}: {text}"
                    );
                    assert!(
                        !text.contains('{'),
                        "{kind} {language:?}: an argument left: {text}"
                    );
                }
                let chinese = m
                    .text
                    .chars()
                    .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
                assert_eq!(
                    chinese,
                    language != Some("en"),
                    "{kind} {language:?}: {}",
                    m.text
                );
                assert_eq!(
                    m.text.contains("Hello,"),
                    language != Some("zh"),
                    "{kind} {language:?}"
                );
            }
        }
    }

    #[test]
    fn links_lead_to_the_page_the_message_is_about() {
        let w = words();
        let reset = w.compose(&message(
            kind::PASSWORD_RESET,
            Some("en"),
            json!({"token": "T0K3N"}),
        ));
        assert!(reset
            .text
            .contains("https://zige.example.org/password-reset/T0K3N"));
        let decided = w.compose(&message(
            kind::DECIDED,
            Some("en"),
            json!({"application": 12, "outcome": "approved", "decision": "ABCD"}),
        ));
        assert!(decided
            .text
            .contains("https://zige.example.org/verify/ABCD"));
        let asked = w.compose(&message(
            kind::MORE_INFO,
            Some("zh"),
            json!({"application": 12, "reason": "请补充第二页。"}),
        ));
        assert!(asked.text.contains("> 请补充第二页。"), "{}", asked.text);
        assert!(
            asked.text.contains("2026-12-30"),
            "the lapse date, 30 days on: {}",
            asked.text
        );
        assert!(asked.html.contains("<blockquote"));
    }

    #[test]
    fn html_escapes_what_people_typed() {
        let m = words().compose(&message(
            kind::MORE_INFO,
            None,
            json!({"application": 1, "reason": "<script>x</script>"}),
        ));
        assert!(!m.html.contains("<script>"));
        assert!(
            m.html.contains("&#60;script&#62;") || m.html.contains("&lt;script&gt;"),
            "{}",
            m.html
        );
    }
}
