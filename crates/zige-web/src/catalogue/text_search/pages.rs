//! The pages of finding qualifications in a text: the box on the home and
//! check pages and on `/search/text` (`GET`: the empty form), and the
//! answer (`POST`): each qualification found with the words that name it
//! quoted, whether the text says the person holds it, and the way to the
//! check with what the text gives filled in. The box below keeps exactly
//! what was pasted; an empty or too long text is named in the error
//! summary and at the box, with the text kept.

use askama::Template;
use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::Response;
use zige_catalog::Lang;

use super::{find as find_hits, refusal, FoundHit, Refusal, MAX_TEXT_CHARS};
use crate::i18n::Tr;
use crate::protect::NO_STORE;
use crate::render::{render, said, Filled, Page, Problem, Public};
use crate::state::Shared;

/// The box to paste a text into (`catalogue/text_search/box.html`), with
/// what it holds and the error at it.
pub struct TextBox {
    pub text: String,
    pub error: Option<String>,
    /// Below an answer: labelled as the text read, to change and send again.
    pub again: bool,
    pub hint: String,
}

impl TextBox {
    /// The box holding `text`.
    pub fn new(tr: &Tr, text: String) -> TextBox {
        TextBox {
            text,
            error: None,
            again: false,
            hint: tr.with("text-box-hint", &[("max", number(tr, MAX_TEXT_CHARS))]),
        }
    }

    /// An empty box, as the home and check pages show it.
    pub fn empty(tr: &Tr) -> TextBox {
        TextBox::new(tr, String::new())
    }
}

/// A qualification found, as the page shows it.
pub struct Shown {
    pub id: String,
    pub code: String,
    pub name: String,
    /// The name in the other language, and that language's tag.
    pub other_name: String,
    pub other_lang: &'static str,
    /// The words around the passage on its line, and the passage.
    pub before: String,
    pub passage: String,
    pub after: String,
    pub holds: bool,
    pub level: Option<String>,
    pub years: Option<String>,
    pub check: String,
}

#[derive(Template)]
#[template(path = "catalogue/text_search/page.html")]
struct TextSearchPage {
    page: Page,
    problems: Vec<Problem>,
    /// What was found, once a text was read.
    found: Option<Vec<Shown>>,
    text_box: TextBox,
}

/// Handles `GET /search/text`: the box, empty.
pub async fn form(State(state): State<Shared>, Public(ctx): Public) -> Response {
    let page = TextSearchPage {
        page: ctx.page(&state, ctx.tr.msg("text-title"), "home"),
        problems: Vec::new(),
        found: None,
        text_box: TextBox::empty(&ctx.tr),
    };
    render(&page, &ctx, StatusCode::OK)
}

/// Handles `POST /search/text`: every qualification the text names, or
/// the error at the box; the text is kept either way.
pub async fn find(State(state): State<Shared>, Filled { ctx, form }: Filled) -> Response {
    let tr = ctx.tr;
    let text = form.get("text").cloned().unwrap_or_default();
    if let Some(refused) = refusal(&text) {
        let message = refusal_message(&tr, refused);
        let page = TextSearchPage {
            page: ctx.page(&state, error_title(&tr), "home"),
            problems: vec![Problem {
                href: "#text".into(),
                text: message.clone(),
            }],
            found: None,
            text_box: TextBox {
                error: Some(message),
                ..TextBox::new(&tr, text)
            },
        };
        return private(render(&page, &ctx, StatusCode::BAD_REQUEST));
    }
    let answer = match find_hits(state.current(), text.clone()).await {
        Ok(answer) => answer,
        // Busy (or failed): said above the box, which keeps the text.
        Err(e) => {
            let page = TextSearchPage {
                page: ctx.page(&state, tr.msg("text-title"), "home"),
                problems: vec![Problem {
                    href: String::new(),
                    text: said(&tr, &e),
                }],
                found: None,
                text_box: TextBox::new(&tr, text),
            };
            let status = StatusCode::from_u16(e.status).unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
            return private(render(&page, &ctx, status));
        }
    };
    let found = answer.hits.iter().map(|h| shown(&tr, &text, h)).collect();
    let page = TextSearchPage {
        page: ctx.page(&state, tr.msg("text-results-title"), "home"),
        problems: Vec::new(),
        found: Some(found),
        text_box: TextBox {
            again: true,
            ..TextBox::new(&tr, text)
        },
    };
    private(render(&page, &ctx, StatusCode::OK))
}

/// The page's title when the text is refused: `Error: …` (`错误：…`).
fn error_title(tr: &Tr) -> String {
    let space = if tr.is_zh() { "" } else { " " };
    format!(
        "{}{space}{}",
        tr.msg("check-error-prefix"),
        tr.msg("text-title")
    )
}

/// The refusal in plain words, at the box and in the summary.
fn refusal_message(tr: &Tr, refused: Refusal) -> String {
    match refused {
        Refusal::Empty => tr.msg("text-err-empty"),
        Refusal::TooLong { chars } => tr.with(
            "text-err-too-long",
            &[
                ("max", number(tr, MAX_TEXT_CHARS)),
                ("count", number(tr, chars)),
            ],
        ),
    }
}

/// A count as the page writes it: 20,000 in English, 20000 in Chinese.
pub fn number(tr: &Tr, n: usize) -> String {
    let digits = n.to_string();
    if tr.is_zh() {
        return digits;
    }
    let mut out = String::new();
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(d);
    }
    out
}

/// A page that shows what a person pasted (perhaps their CV) is kept by
/// no cache.
fn private(mut response: Response) -> Response {
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static(NO_STORE));
    response
}

/// Characters of the line shown on each side of a passage.
const AROUND: usize = 30;

/// A hit as the page shows it: names in the page's language and the
/// other, the passage in its line.
fn shown(tr: &Tr, text: &str, found: &FoundHit) -> Shown {
    let h = &found.hit;
    let (before, passage, after) = in_line(text, h.start, h.end)
        .unwrap_or_else(|| (String::new(), h.passage.clone(), String::new()));
    let other = match tr.lang {
        Lang::Zh => Lang::En,
        Lang::En => Lang::Zh,
    };
    Shown {
        id: h.id.clone(),
        code: h.code.clone(),
        name: tr.pick(&h.name),
        other_name: h.name.get(other).to_string(),
        other_lang: Tr { lang: other }.code(),
        before,
        passage,
        after,
        holds: h.holds,
        level: h.level.clone(),
        years: h
            .experience_years
            .map(|y| tr.count("text-years", y as usize)),
        check: found.check.clone(),
    }
}

/// The characters `[start, end)` of `text` with up to [`AROUND`]
/// characters of their line on each side (… where the line goes on);
/// `None` when the offsets do not fit the text.
fn in_line(text: &str, start: usize, end: usize) -> Option<(String, String, String)> {
    let chars: Vec<char> = text.chars().collect();
    if start >= end || end > chars.len() {
        return None;
    }
    let line_break = |c: &char| *c == '\n' || *c == '\r';
    let line_start = chars[..start]
        .iter()
        .rposition(line_break)
        .map_or(0, |i| i + 1);
    let line_end = chars[end..]
        .iter()
        .position(line_break)
        .map_or(chars.len(), |i| end + i);
    let from = line_start.max(start.saturating_sub(AROUND));
    let to = line_end.min(end + AROUND);
    let mut before: String = chars[from..start].iter().collect();
    if from > line_start {
        before.insert(0, '…');
    } else {
        before = without_marker(&before).to_string();
    }
    let mut after: String = chars[end..to].iter().collect();
    if to < line_end {
        after.push('…');
    }
    Some((
        before.trim_start().to_string(),
        chars[start..end].iter().collect(),
        after.trim_end().to_string(),
    ))
}

/// Bullets a list in a CV may start its lines with.
const BULLETS: &[char] = &[
    '•', '·', '・', '‣', '▪', '▫', '●', '○', '■', '□', '◆', '◇', '★', '☆', '✓', '✔', '-', '–', '—',
    '*', '+', '>',
];

/// The start of a line without the list's bullet or number ("• ", "2. ",
/// "3、", "(4) "), which the quote leaves out.
fn without_marker(line: &str) -> &str {
    let rest = line.trim_start().trim_start_matches(BULLETS).trim_start();
    let inner = rest.strip_prefix(['(', '（']).unwrap_or(rest);
    let digits = inner.trim_start_matches(|c: char| c.is_ascii_digit());
    let numbered = (1..=2).contains(&(inner.len() - digits.len()));
    match digits.strip_prefix(['.', ')', '、', '．', '）']) {
        Some(after) if numbered && !after.starts_with(|c: char| c.is_ascii_digit()) => {
            after.trim_start()
        }
        _ => rest,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_passage_is_shown_in_its_line() {
        let text = "Skills\nI hold the PMP since 2019 and lead teams\nMore";
        let start = text.find("PMP").unwrap();
        let (b, p, a) = in_line(text, start, start + 3).unwrap();
        assert_eq!(
            (b.as_str(), p.as_str(), a.as_str()),
            ("I hold the ", "PMP", " since 2019 and lead teams")
        );
        let long = format!("{}CFA{}", "x".repeat(50), "y".repeat(50));
        let (b, _, a) = in_line(&long, 50, 53).unwrap();
        assert_eq!(b, format!("…{}", "x".repeat(30)));
        assert_eq!(a, format!("{}…", "y".repeat(30)));
        assert!(in_line("PMP", 2, 9).is_none());
        for (line, kept) in [
            ("• ", ""),
            ("1. ", ""),
            ("2、", ""),
            ("(3) Certified ", "Certified "),
            ("- Holder of the ", "Holder of the "),
            ("2019 ", "2019 "),
            ("3.5 years, ", "3.5 years, "),
            ("资格证书：", "资格证书："),
        ] {
            assert_eq!(without_marker(line), kept, "{line:?}");
        }
        let (b, _, _) = in_line("Skills\n• Certified PMP", 19, 22).unwrap();
        assert_eq!(b, "Certified ");
    }

    #[test]
    fn numbers_are_grouped_in_english_only() {
        let en = Tr { lang: Lang::En };
        let zh = Tr { lang: Lang::Zh };
        assert_eq!(number(&en, 20_000), "20,000");
        assert_eq!(number(&en, 999), "999");
        assert_eq!(number(&en, 1_234_567), "1,234,567");
        assert_eq!(number(&zh, 20_000), "20000");
    }
}
