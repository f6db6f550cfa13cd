//! Finding every recognised qualification a pasted text names (a CV, a
//! profile, a certificate's wording): what both faces share. The text is
//! refused when it is empty or longer than the finder reads, the finding
//! runs off the request threads, and each qualification found comes with
//! the address of the check page, filled in with what the text says of it
//! (its level, the years of experience). The JSON face is [`api`]
//! (`POST /api/v1/search/text`), the pages [`pages`] (`/search/text`, and
//! the box on the home and check pages).

pub mod api;
pub mod pages;

use axum::http::StatusCode;
use serde::Serialize;
use utoipa::ToSchema;
use zige_search::text::TextHit;

use crate::error::ApiError;
use crate::render::enc;
use crate::state::Edition;
use crate::work_queue::{NotRun, WorkQueue};

pub use zige_search::text::MAX_TEXT_CHARS;

/// The largest body `POST /api/v1/search/text` reads: 20,000 characters
/// fit however they are written, even each as a JSON escape of a
/// surrogate pair (12 bytes), with room for the rest of the object.
pub const MAX_TEXT_BODY: usize = 256 * 1024;

/// What is allowed in `text`, as the API's errors say it.
pub fn allowed() -> String {
    format!("text of 1 to {MAX_TEXT_CHARS} characters, not all spaces")
}

/// The characters a text may hold without saying anything: the Unicode
/// white space, and the four information separators U+001C–U+001F that
/// Python's `\s` counts as space too. The OpenAPI document states the same
/// set as a pattern ([`api::NOT_ONLY_SPACE`]), so that a client validating
/// with any regular-expression engine agrees with the server.
pub fn blank(c: char) -> bool {
    matches!(
        c,
        '\t'..='\r'
            | '\u{1c}'..='\u{1f}'
            | ' '
            | '\u{85}'
            | '\u{a0}'
            | '\u{1680}'
            | '\u{2000}'..='\u{200a}'
            | '\u{2028}'
            | '\u{2029}'
            | '\u{202f}'
            | '\u{205f}'
            | '\u{3000}'
    )
}

/// Why a text is not read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Nothing but spaces and line breaks, or nothing at all.
    Empty,
    /// Longer than [`MAX_TEXT_CHARS`]; `chars` is its length.
    TooLong { chars: usize },
}

/// Why `text` is refused, if it is.
pub fn refusal(text: &str) -> Option<Refusal> {
    if text.chars().all(blank) {
        return Some(Refusal::Empty);
    }
    // Counting stops one past the limit, whatever the length.
    let chars = text.chars().take(MAX_TEXT_CHARS + 1).count();
    (chars > MAX_TEXT_CHARS).then(|| Refusal::TooLong {
        chars: text.chars().count(),
    })
}

impl Refusal {
    /// The refusal in the API's envelope: 400 naming the field, and for a
    /// long text its length and the limit. (A value out of its bounds, as
    /// everywhere in the API; 413 is for a body over [`MAX_TEXT_BODY`].)
    pub fn api_error(self, text: &str) -> ApiError {
        match self {
            Refusal::Empty => ApiError::localized(
                StatusCode::BAD_REQUEST,
                "bad_request",
                "api-text-empty",
                &[],
            )
            .with_field("text")
            .with_value(text.chars().take(40).collect::<String>())
            .with_allowed(allowed()),
            Refusal::TooLong { chars } => ApiError::localized(
                StatusCode::BAD_REQUEST,
                "bad_request",
                "api-text-too-long",
                &[
                    ("length", chars.to_string()),
                    ("max", MAX_TEXT_CHARS.to_string()),
                ],
            )
            .with_field("text")
            .with_value(format!("{chars} characters"))
            .with_allowed(allowed()),
        }
    }
}

/// A body over [`MAX_TEXT_BODY`] bytes: 413 naming `text` and its limit.
pub fn body_too_large() -> ApiError {
    ApiError::localized(
        StatusCode::PAYLOAD_TOO_LARGE,
        "payload_too_large",
        "api-text-body-too-large",
        &[
            ("bytes", MAX_TEXT_BODY.to_string()),
            ("max", MAX_TEXT_CHARS.to_string()),
        ],
    )
    .with_field("text")
    .with_value(format!("more than {MAX_TEXT_BODY} bytes"))
    .with_allowed(allowed())
}

/// A qualification found in the text, and where to check what it brings.
#[derive(Debug, Serialize, ToSchema)]
pub struct FoundHit {
    #[serde(flatten)]
    pub hit: TextHit,
    /// The check page for this entry (`/check?entry=…`), with the level
    /// and the years of experience the text gives filled in.
    #[schema(example = "/check?entry=cfa-institute-cfa&experience_years=5")]
    pub check: String,
}

/// Every entry a text names, in the order the text first names it.
#[derive(Debug, Serialize, ToSchema)]
pub struct TextSearchAnswer {
    /// The edition searched, e.g. `beijing/3.0`.
    pub catalog: String,
    pub hits: Vec<FoundHit>,
}

/// The check page for `hit`, with what the text says filled in. Years the
/// check would refuse are left for the person to enter.
pub fn check_link(hit: &TextHit) -> String {
    let mut link = format!("/check?entry={}", enc(&hit.id));
    if let Some(level) = hit.level.as_deref().filter(|l| !l.trim().is_empty()) {
        link.push_str(&format!("&level={}", enc(level)));
    }
    if let Some(years) = hit
        .experience_years
        .filter(|y| zige_rules::profile::EXPERIENCE_RANGE.contains(y))
    {
        link.push_str(&format!("&experience_years={years}"));
    }
    link
}

/// Texts read at once: two (a long text is tens of milliseconds of
/// work, a few hundred for the most repetitive), thirty-two waiting.
static QUEUE: WorkQueue = WorkQueue::new(2, 32);

/// 503: too many texts are being read; try again in a second.
fn busy() -> ApiError {
    ApiError::localized(
        StatusCode::SERVICE_UNAVAILABLE,
        "busy",
        "api-text-busy",
        &[("seconds", "1".into())],
    )
    .with_retry_after(1)
}

/// Finds every entry of `edition` that `text` (already checked with
/// [`refusal`]) names, in the texts' [`QUEUE`].
pub async fn find(edition: &'static Edition, text: String) -> Result<TextSearchAnswer, ApiError> {
    let answer = QUEUE
        .run(move || edition.searcher.find_in_text(&text))
        .await
        .map_err(|not_run| match not_run {
            NotRun::Full => busy(),
            NotRun::Failed(e) => {
                ApiError::internal(format!("finding qualifications in a text: {e}"))
            }
        })?;
    Ok(TextSearchAnswer {
        catalog: answer.catalog,
        hits: answer
            .hits
            .into_iter()
            .map(|hit| FoundHit {
                check: check_link(&hit),
                hit,
            })
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_is_refused_when_blank_or_too_long() {
        assert_eq!(refusal(""), Some(Refusal::Empty));
        assert_eq!(refusal(" \n\t\u{3000}\u{a0}\u{1c}"), Some(Refusal::Empty));
        assert_eq!(refusal("PMP"), None);
        assert_eq!(refusal(&"字".repeat(MAX_TEXT_CHARS)), None);
        assert_eq!(
            refusal(&"字".repeat(MAX_TEXT_CHARS + 1)),
            Some(Refusal::TooLong {
                chars: MAX_TEXT_CHARS + 1
            })
        );
    }

    #[test]
    fn blank_is_rusts_white_space_and_the_information_separators() {
        for c in (0..=0x10ffff).filter_map(char::from_u32) {
            let separator = ('\u{1c}'..='\u{1f}').contains(&c);
            assert_eq!(blank(c), c.is_whitespace() || separator, "{:04X}", c as u32);
        }
    }
}
