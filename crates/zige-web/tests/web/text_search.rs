//! Finding every recognised qualification in a pasted text, as a person
//! with a CV and an integrator meet it: the API in plain text or JSON, each
//! finding with the link to its check; an empty or too long text refused
//! naming the field and the limit; the page listing what was found, held
//! or only mentioned, with the text kept below as it was pasted.

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use serde_json::{json, Value};

use crate::helpers::public::{get, send};
use crate::helpers::{form_body, Reply};

const MIXED: &str = "个人优势：\n持有CFA证书，PMP®认证 2019；FRM Part II 在考\n英语流利（IELTS 8.0），可作为工作语言";

async fn post(content_type: &str, body: impl Into<Vec<u8>>) -> Reply {
    let mut builder = Request::post("/api/v1/search/text");
    if !content_type.is_empty() {
        builder = builder.header(header::CONTENT_TYPE, content_type);
    }
    send(builder.body(Body::from(body.into())).unwrap()).await
}

async fn find_json(text: &str) -> Value {
    let r = post("application/json", json!({ "text": text }).to_string()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    r.json()
}

fn hit<'a>(answer: &'a Value, id: &str) -> &'a Value {
    answer["hits"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["id"] == id)
        .unwrap_or_else(|| panic!("{id} not found: {answer:#}"))
}

/// The characters `[start, end)` of `text`, as the API counts them.
fn chars(text: &str, start: &Value, end: &Value) -> String {
    let (start, end) = (
        start.as_u64().unwrap() as usize,
        end.as_u64().unwrap() as usize,
    );
    text.chars().skip(start).take(end - start).collect()
}

#[tokio::test]
async fn the_api_finds_pmp_and_cfa_in_a_mixed_text_each_with_its_check() {
    let answer = find_json(MIXED).await;
    assert!(
        answer["catalog"].as_str().unwrap().starts_with("beijing/"),
        "{answer}"
    );
    for id in ["cfa-institute-cfa", "pmi-pmp"] {
        let h = hit(&answer, id);
        assert_eq!(h["holds"], true, "{h}");
        assert_eq!(
            chars(MIXED, &h["start"], &h["end"]),
            h["passage"].as_str().unwrap(),
            "the offsets point at the passage, in characters: {h}"
        );
        assert!(
            h["name"]["zh"].is_string() && h["name"]["en"].is_string(),
            "{h}"
        );
        assert!(
            h["code"].is_string() && h["list"].is_string() && h["seq"].is_u64(),
            "{h}"
        );
        let confidence = h["confidence"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&confidence), "{h}");
        assert!(
            h["check"]
                .as_str()
                .unwrap()
                .starts_with(&format!("/check?entry={id}")),
            "{h}"
        );
    }
    let frm = hit(&answer, "garp-frm");
    assert_eq!(
        frm["holds"], false,
        "FRM Part II 在考: sitting it, not held: {frm}"
    );
    let order: Vec<&str> = answer["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        &order[..2],
        ["cfa-institute-cfa", "pmi-pmp"],
        "in the order the text names them"
    );
}

#[tokio::test]
async fn studying_for_the_cfa_is_mentioned_not_held() {
    let answer = find_json(
        "Equity research associate. I am studying for the CFA and sit the Level II exam in August.",
    )
    .await;
    let cfa = hit(&answer, "cfa-institute-cfa");
    assert_eq!(cfa["holds"], false, "{cfa}");
}

#[tokio::test]
async fn the_check_link_carries_the_level_and_years_the_text_gives() {
    let coach = "Football coach with 8 years of experience.\nUEFA A Licence (2018)";
    let answer = find_json(coach).await;
    let uefa = &answer["hits"][0];
    assert!(uefa["level"].is_string(), "{answer:#}");
    assert_eq!(uefa["experience_years"], 8, "{answer:#}");
    let answer = find_json(&format!("{coach}\n{MIXED}")).await;
    for h in answer["hits"].as_array().unwrap() {
        let check = h["check"].as_str().unwrap();
        match h["level"].as_str() {
            Some(level) => assert!(check.contains("&level="), "{level}: {check}"),
            None => assert!(!check.contains("level="), "{check}"),
        }
        match h["experience_years"].as_u64() {
            Some(years) => assert!(
                check.contains(&format!("&experience_years={years}")),
                "{check}"
            ),
            None => assert!(!check.contains("experience_years="), "{check}"),
        }
        // The check page opens with the entry filled in.
        let page = get(&format!("{check}&lang=en")).await;
        assert_eq!(page.status, StatusCode::OK, "{check}: {}", page.text());
        let id = h["id"].as_str().unwrap();
        assert!(page.has(&format!("value=\"{id}\"")), "{check}");
        if let Some(level) = h["level"].as_str() {
            assert!(
                page.has(&format!("name=\"level\" value=\"{level}\"")),
                "{check}"
            );
        }
        assert!(page.has("name=\"experience_years\" class=\"short\" inputmode=\"numeric\" autocomplete=\"off\" value=\"8\""), "{check}");
    }
}

#[tokio::test]
async fn a_text_naming_nothing_gives_no_hits() {
    let answer = find_json("I like green tea, long walks and the Beijing opera.").await;
    assert_eq!(answer["hits"], json!([]), "{answer}");
    assert!(answer["catalog"].is_string());
}

#[tokio::test]
async fn plain_text_and_json_bodies_give_the_same_answer() {
    let json_answer = find_json(MIXED).await;
    for content_type in [
        "text/plain",
        "text/plain; charset=utf-8",
        "Text/Plain;Charset=\"UTF-8\"",
    ] {
        let r = post(content_type, MIXED).await;
        assert_eq!(r.status, StatusCode::OK, "{content_type}: {}", r.text());
        assert_eq!(r.json(), json_answer, "{content_type}");
        assert!(
            r.header(header::CACHE_CONTROL).contains("no-store"),
            "a CV is kept by no cache"
        );
    }
    let r = post(
        "application/json; charset=utf-8",
        json!({"text": MIXED}).to_string(),
    )
    .await;
    assert_eq!(r.json(), json_answer);
}

#[tokio::test]
async fn a_text_over_20000_characters_is_refused_naming_the_field_the_length_and_the_limit() {
    // 20,000 Chinese characters are 60 KB of UTF-8 and more as JSON escapes: read.
    let most = "资".repeat(20_000);
    let r = post("text/plain", most.clone()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let escaped = format!("{{\"text\": \"{}\"}}", "\\u8d44".repeat(20_000));
    let r = post("application/json", escaped).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let r = post(
        "application/json",
        json!({"text": "😀".repeat(20_000)}).to_string(),
    )
    .await;
    assert_eq!(
        r.status,
        StatusCode::OK,
        "four-byte characters count once each: {}",
        r.text()
    );

    for body in [
        json!({"text": format!("{most}资")}).to_string(),
        json!({"text": "a".repeat(20_001)}).to_string(),
    ] {
        let r = post("application/json", body).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text());
        let e = r.error();
        assert_eq!(e["field"], "text", "{e}");
        assert_eq!(e["value"], "20001 characters", "{e}");
        assert!(e["allowed"].as_str().unwrap().contains("20000"), "{e}");
        assert!(
            e["detail"].as_str().unwrap().contains("20001")
                && e["detail"].as_str().unwrap().contains("20000"),
            "{e}"
        );
        assert!(
            e["message"]["zh"].as_str().unwrap().contains("20000"),
            "{e}"
        );
    }
    let r = post("text/plain", "x".repeat(400_000)).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", r.text());
    assert_eq!(r.error()["field"], "text", "{}", r.text());
}

#[tokio::test]
async fn empty_unreadable_or_mistyped_bodies_are_refused_in_the_envelope() {
    for (content_type, body) in [
        ("text/plain", ""),
        ("text/plain", " \n\t\u{3000} "),
        ("application/json", r#"{"text": ""}"#),
        ("application/json", r#"{"text": "  \n "}"#),
        ("application/json", r#"{"text": 7}"#),
        ("application/json", r#"{"words": "PMP"}"#),
    ] {
        let r = post(content_type, body).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{body:?}: {}", r.text());
        assert_eq!(r.error()["field"], "text", "{body:?}: {}", r.text());
    }
    for body in ["", "null", "[1]", "\"PMP\"", "{"] {
        let r = post("application/json", body).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{body:?}: {}", r.text());
        assert_eq!(r.error()["code"], "bad_request", "{body:?}");
    }
    let r = post("text/plain", vec![b'P', b'M', b'P', 0xff, 0xfe]).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text());
    assert_eq!(r.error()["field"], "text");
    assert!(
        r.error()["detail"].as_str().unwrap().contains("UTF-8"),
        "{}",
        r.text()
    );
    for content_type in [
        "",
        "application/xml",
        "text/plain; charset=gb18030",
        "text/csv",
    ] {
        let r = post(content_type, "PMP").await;
        assert_eq!(
            r.status,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "{content_type:?}: {}",
            r.text()
        );
        assert_eq!(r.error()["field"], "content-type");
    }
    let r = send(
        Request::get("/api/v1/search/text")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED, "{}", r.text());
}

/// The page's answer to `text` posted in `lang`.
async fn paste(text: &str, lang: &str) -> Reply {
    send(
        Request::builder()
            .method(Method::POST)
            .uri(format!("/search/text?lang={lang}"))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(form_body(&[("text", text)])))
            .unwrap(),
    )
    .await
}

#[tokio::test]
async fn the_page_lists_what_was_found_and_keeps_the_text_as_pasted() {
    let text = format!("\n{MIXED}\n<b>&amp; \"quoted\"</b>\n");
    let r = paste(&text, "en").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let html = r.text();
    assert!(html.contains("Qualifications in your text"), "{html}");
    assert!(
        html.contains("href=\"/entries/cfa-institute-cfa\""),
        "{html}"
    );
    assert!(html.contains("href=\"/entries/pmi-pmp\""), "{html}");
    assert!(html.contains("You hold it"), "{html}");
    assert!(
        html.contains("Mentioned, not held"),
        "FRM is only mentioned: {html}"
    );
    assert!(html.contains("<mark>CFA</mark>"), "{html}");
    assert!(html.contains("Check what it brings you"), "{html}");
    assert!(
        html.contains("href=\"/check?entry=cfa-institute-cfa"),
        "{html}"
    );
    assert_eq!(
        r.textarea("text"),
        format!("\n{text}"),
        "the line break HTML drops, then the text as pasted"
    );
    assert!(r.header(header::CACHE_CONTROL).contains("no-store"));

    let zh = paste(MIXED, "zh").await;
    assert!(
        zh.has("您文字中的职业资格") && zh.has("您已持有") && zh.has("仅提及，未持有"),
        "{}",
        zh.text()
    );
}

#[tokio::test]
async fn a_text_naming_nothing_says_so_and_what_to_try() {
    let r = paste("Hobbies: tea, hiking.", "en").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.has("Your text names no qualification of the catalogue."),
        "{}",
        r.text()
    );
    assert!(r.has("You could:"), "{}", r.text());
    assert_eq!(r.textarea("text"), "\nHobbies: tea, hiking.");
}

#[tokio::test]
async fn an_empty_or_too_long_text_is_named_at_the_box_with_the_text_kept() {
    for (text, message) in [
        ("   \n  ", "Enter the text of your CV or certificate"),
        (
            &*"a".repeat(20_001),
            "Your text must be 20,000 characters or fewer; it has 20,001",
        ),
    ] {
        let r = paste(text, "en").await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        let html = r.text();
        assert!(html.contains("id=\"problems\""), "the error summary");
        assert!(
            html.contains(&format!("<a href=\"#text\">{message}</a>")),
            "{message}"
        );
        assert!(html.contains("id=\"text-error\""), "the message at the box");
        assert!(html.contains("aria-invalid=\"true\""));
        assert!(html.contains("<title>Error:"), "{}", &html[..300]);
        assert_eq!(r.textarea("text"), format!("\n{text}"));
    }
    let zh = paste("", "zh").await;
    assert!(zh.has("请输入简历或证书的文字"), "{}", zh.text());
    let zh = paste(&"字".repeat(20_001), "zh").await;
    assert!(zh.has("文字不能超过 20000 个字符，您的文字有 20001 个字符"));
}

#[tokio::test]
async fn the_box_is_on_the_home_and_check_pages_and_on_its_own() {
    for uri in ["/?lang=en", "/check?lang=en", "/search/text?lang=en"] {
        let r = get(uri).await;
        assert_eq!(r.status, StatusCode::OK, "{uri}");
        let html = r.text();
        assert!(
            html.contains("<form method=\"post\" action=\"/search/text?lang=en\""),
            "{uri}"
        );
        assert!(
            html.contains("<label for=\"text\">Paste your CV or certificate text</label>"),
            "{uri}"
        );
        assert!(html.contains("aria-describedby=\"text-help\""), "{uri}");
        assert!(html.contains("Up to 20,000 characters"), "{uri}");
    }
    let zh = get("/?lang=zh").await;
    assert!(zh.has("粘贴简历或证书文字"));
}
