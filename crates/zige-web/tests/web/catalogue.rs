//! The public catalogue as a client sees it: entries with facets and
//! pages, search, the check, caching, exports, catalogues and their diff,
//! and the public pages in both languages.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};

use crate::helpers::public::{get, post_json, send};

#[tokio::test]
async fn entries_are_listed_with_facets_and_pages() {
    let r = get("/api/v1/entries?per_page=200").await;
    assert_eq!(r.status, StatusCode::OK);
    let v = r.json();
    assert_eq!(v["total"], 122);
    assert_eq!(v["entries"].as_array().unwrap().len(), 122);
    assert_eq!(v["catalog"]["id"], "beijing/3.0");
    let urgent = v["facets"]["list"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["value"] == "urgent")
        .unwrap()
        .clone();
    assert_eq!(urgent["count"], 7);
    let r = get("/api/v1/entries?region=GB&field=finance&page=1&per_page=2")
        .await
        .json();
    assert_eq!(r["entries"].as_array().unwrap().len(), 2);
    assert!(r["total"].as_u64().unwrap() > 2);
}

#[tokio::test]
async fn an_entry_is_found_by_code_or_id_and_has_the_cli_shape() {
    let by_code = get("/api/v1/entries/G39").await.json();
    let by_id = get(&format!(
        "/api/v1/entries/{}",
        by_code["id"].as_str().unwrap()
    ))
    .await
    .json();
    assert_eq!(by_code, by_id);
    for key in [
        "id",
        "catalog",
        "list",
        "seq",
        "name",
        "aliases",
        "issuers",
        "regions",
        "fields",
        "title",
        "experience",
        "levels",
        "obligations",
        "remark",
    ] {
        assert!(by_code.get(key).is_some(), "entry JSON lacks {key}");
    }
    assert!(by_code["name"]["en"].as_str().unwrap().contains("PRINCE2"));
}

#[tokio::test]
async fn an_unknown_entry_is_404_with_suggestions() {
    let r = get("/api/v1/entries/U9").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let e = r.error();
    assert_eq!(e["code"], "not_found");
    assert_eq!(e["value"], "U9");
    assert!(e["suggestions"][0].as_str().unwrap().starts_with("U7"));
    assert!(!e["message"]["zh"].as_str().unwrap().is_empty());
}

#[tokio::test]
async fn bad_parameters_are_400_naming_field_value_and_allowed() {
    for (uri, field) in [
        ("/api/v1/entries?title=wizard", "title"),
        ("/api/v1/search?q=a&limit=0", "limit"),
        ("/api/v1/entries?per_page=999", "per_page"),
        ("/api/v1/entries?list=x", "list"),
    ] {
        let r = get(uri).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{uri}");
        let e = r.error();
        assert_eq!(e["field"], field);
        assert!(
            e["allowed"].as_str().is_some_and(|a| !a.is_empty()),
            "{uri}: {e}"
        );
    }
}

#[tokio::test]
async fn search_answers_with_ranked_hits_and_spans() {
    let v = get("/api/v1/search?q=Kubernetes%20%E7%AE%A1%E7%90%86%E5%91%98&limit=3")
        .await
        .json();
    assert_eq!(v["hits"][0]["code"], "G31");
    assert!(!v["hits"][0]["matched"].as_array().unwrap().is_empty());
    let empty = get("/api/v1/search?q=").await.json();
    assert_eq!(empty["hits"].as_array().unwrap().len(), 0);
    assert!(empty["message"]["en"].as_str().is_some());
}

#[tokio::test]
async fn check_decides_and_rejects_bad_profiles_with_the_right_status() {
    let ok = post_json("/api/v1/check", r#"{"entry":"G80","level":"UEFA A licence","age":67,"nationality":"foreign","beijing_employer":true}"#).await;
    assert_eq!(ok.status, StatusCode::OK);
    let d = ok.json();
    assert_eq!(d["recognized"], true);
    assert_eq!(d["level_used"], "A");
    assert!(d["withheld"]
        .as_array()
        .unwrap()
        .iter()
        .any(|w| w["code"] == "work_permit_relaxation" && w["reason"] == "age_over_limit"));

    let bad = post_json("/api/v1/check", r#"{"entry":"G14","education":"wizard"}"#).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(bad.error()["field"], "education");

    let unknown = post_json("/api/v1/check", r#"{"entry":"G999"}"#).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);

    let malformed = post_json("/api/v1/check", "{not json").await;
    assert_eq!(malformed.status, StatusCode::BAD_REQUEST);

    let text = send(
        Request::post("/api/v1/check")
            .header(header::CONTENT_TYPE, "text/plain")
            .body(Body::from("{}"))
            .unwrap(),
    )
    .await;
    assert_eq!(text.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(text.error()["code"], "unsupported_media_type");

    let huge = post_json(
        "/api/v1/check",
        &format!(r#"{{"entry":"G7","level":"{}"}}"#, "x".repeat(70_000)),
    )
    .await;
    assert_eq!(huge.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(huge.error()["code"], "payload_too_large");
}

#[tokio::test]
async fn catalogue_data_carries_an_etag_and_answers_304() {
    let r = get("/api/v1/entries/G7").await;
    let etag = r.header(header::ETAG);
    assert!(etag.starts_with('"'));
    assert!(r.header(header::CACHE_CONTROL).contains("max-age"));
    let again = send(
        Request::get("/api/v1/entries/G7")
            .header(header::IF_NONE_MATCH, &etag)
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    assert!(again.body.is_empty());
}

#[tokio::test]
async fn exports_download_in_every_format() {
    let csv = get("/api/v1/export.csv").await;
    assert!(
        csv.body.starts_with("\u{feff}".as_bytes()),
        "CSV starts with a BOM for Excel"
    );
    assert!(csv
        .header(header::CONTENT_DISPOSITION)
        .contains("zige-beijing-3.0.csv"));
    assert_eq!(csv.text().lines().count(), 123);
    let xlsx = get("/api/v1/export.xlsx").await;
    assert!(xlsx.body.starts_with(b"PK"), "XLSX is a zip");
    let ld = get("/api/v1/export.jsonld").await.json();
    assert_eq!(ld["@context"], "https://schema.org");
    assert_eq!(
        ld["hasPart"][0]["@type"],
        "EducationalOccupationalCredential"
    );
    let json = get("/api/v1/export.json").await.json();
    assert_eq!(json["entries"].as_array().unwrap().len(), 122);
}

#[tokio::test]
async fn catalogs_and_their_diff() {
    let list = get("/api/v1/catalogs").await.json();
    assert_eq!(list[0]["id"], "beijing/3.0");
    assert_eq!(list[0]["in_force"], true);
    let d = get("/api/v1/catalogs/beijing/3.0/diff/beijing/3.0")
        .await
        .json();
    assert_eq!(d["unchanged"], 122);
    assert_eq!(
        get("/api/v1/catalogs/beijing/9.9/diff/beijing/3.0")
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn pages_render_in_both_languages_and_remember_the_choice() {
    for path in [
        "/",
        "/search?q=PMP",
        "/browse",
        "/browse?field=finance&region=GB",
        "/entries/G39",
        "/check",
        "/check?entry=G80&level=A&age=67&nationality=foreign&beijing_employer=true",
        "/changes",
        "/data",
    ] {
        for lang in ["zh", "en"] {
            let sep = if path.contains('?') { '&' } else { '?' };
            let r = get(&format!("{path}{sep}lang={lang}")).await;
            assert_eq!(r.status, StatusCode::OK, "{path} {lang}");
            let html = r.text();
            assert!(
                html.contains(&format!(
                    "<html lang=\"{}\"",
                    if lang == "zh" { "zh-Hans" } else { "en" }
                )),
                "{path}"
            );
            assert!(html.len() < 60 * 1024, "{path} is {} bytes", html.len());
            assert!(r
                .header(header::SET_COOKIE)
                .contains(&format!("zige_lang={lang}")));
        }
    }
    let en = send(
        Request::get("/browse")
            .header(header::ACCEPT_LANGUAGE, "en-US,en;q=0.9")
            .body(Body::empty())
            .unwrap(),
    )
    .await
    .text();
    assert!(en.contains("Browse the catalogue"));
    let zh = send(
        Request::get("/browse")
            .header(header::COOKIE, "zige_lang=zh")
            .header(header::ACCEPT_LANGUAGE, "en")
            .body(Body::empty())
            .unwrap(),
    )
    .await
    .text();
    assert!(zh.contains("浏览目录"));
}

#[tokio::test]
async fn the_check_page_gives_guidance_with_the_way_to_apply() {
    let ok =
        get("/check?entry=G80&level=A&age=67&nationality=foreign&beijing_employer=true&lang=en")
            .await;
    assert_eq!(ok.status, StatusCode::OK);
    let html = ok.text();
    assert!(
        html.contains("You are likely eligible for recognition"),
        "{html}"
    );
    assert!(html.contains("guidance, not a decision"));
    assert!(!html.contains("RECOGNISED") && !html.contains("Benefits granted"));
    assert!(
        !html.contains("<pre"),
        "a structured result, not a text block"
    );
    // Benefits by who gets them, each with its reason in plain words.
    let foreign = html
        .find("For foreign nationals")
        .expect("a foreign nationals group");
    let everyone = html.find("For everyone").expect("an everyone group");
    assert!(foreign < everyone);
    assert!(html.contains("You are 67; the age limit is 65 (70 if you work in one of Beijing&#x27;s high-end industries).")
        || html.contains("You are 67; the age limit is 65 (70 if you work in one of Beijing&#39;s high-end industries).")
        || html.contains("You are 67; the age limit is 65 (70 if you work in one of Beijing's high-end industries)."), "{html}");
    let g80 = get("/api/v1/entries/G80").await.json();
    let apply = format!("href=\"/apply?entry={}\"", g80["id"].as_str().unwrap());
    assert!(html.contains(&apply), "{apply}");
    // The official notice, not a news report.
    assert!(html.contains("京人社事业发〔2021〕33号"));
    assert!(!html.contains("tibet.cn"));
    let zh =
        get("/check?entry=G80&level=A&age=67&nationality=foreign&beijing_employer=true&lang=zh")
            .await
            .text();
    assert!(
        zh.contains("您很可能符合认可条件") && zh.contains("外国人适用") && zh.contains("申请认可")
    );
    let none = get("/check?entry=G39&nationality=chinese&lang=en")
        .await
        .text();
    assert!(none.contains("does not correspond to a Chinese professional title"));
    assert!(none.contains("For Chinese nationals") && !none.contains("For foreign nationals"));
}

#[tokio::test]
async fn the_check_page_names_every_bad_field_at_once_and_keeps_what_was_typed() {
    let bad = get("/check?lang=en&entry=&level=&experience_years=99&age=abc&nationality=martian&beijing_employer=maybe").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    let html = bad.text();
    let summary = &html[html
        .find("class=\"error summary\"")
        .expect("an error summary")..];
    let summary = &summary[..summary.find("</div>").unwrap()];
    for (field, words) in [
        ("entry", "Enter the code of your qualification"),
        (
            "experience_years",
            "Enter your years of relevant work experience as a whole number from 0 to 60",
        ),
        ("age", "Enter your age as a whole number from 16 to 100"),
        ("nationality", "Choose your nationality from the list"),
        (
            "beijing_employer",
            "Choose whether you are employed by an employer in Beijing",
        ),
    ] {
        assert!(
            summary.contains(&format!("<a href=\"#{field}\">{words}")),
            "{field} in the summary: {summary}"
        );
        assert!(
            html.contains(&format!("id=\"{field}-error\"")),
            "{field}: message at the field"
        );
        let input = &html[html.find(&format!("id=\"{field}\"")).unwrap()..];
        let input = &input[..input.find('>').unwrap()];
        assert!(
            input.contains("aria-invalid=\"true\"") && input.contains(&format!("{field}-error")),
            "{input}"
        );
    }
    assert!(
        !html.contains("experience_years）") && !html.contains("for experience_years"),
        "no field codes"
    );
    assert!(
        html.contains("value=\"abc\"") && html.contains("value=\"99\""),
        "typed values kept"
    );
    let zh = get("/check?lang=zh&entry=G80&age=abc&experience_years=x")
        .await
        .text();
    assert!(
        zh.contains("请以 16 至 100 之间的整数填写年龄")
            && zh.contains("请以 0 至 60 之间的整数填写相关工作年限"),
        "{zh}"
    );
    assert!(!zh.contains("（age）") && !zh.contains("（experience_years）"));
    let unknown = get("/check?lang=en&entry=CFA&age=7").await.text();
    assert!(
        unknown.contains("There is no qualification “CFA” in the catalogue. Did you mean G7"),
        "{unknown}"
    );
    assert!(unknown.contains("Enter your age"));
}

#[tokio::test]
async fn check_answers_one_error_per_bad_field() {
    let r = post_json(
        "/api/v1/check",
        r#"{"entry":"G14","age":7,"experience_years":-1,"nationality":"martian","education":"wizard","beijing_employer":"maybe"}"#,
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let v = r.json();
    let fields: Vec<&str> = v["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        [
            "experience_years",
            "age",
            "nationality",
            "education",
            "beijing_employer"
        ]
    );
    for e in v["errors"].as_array().unwrap() {
        assert_eq!(e["status"], 400);
        assert!(e["message"]["zh"].as_str().is_some() && e["detail"].as_str().is_some());
    }
    // An unknown entry beside a bad field: both, and a bad request.
    let r = post_json("/api/v1/check", r#"{"entry":"G999","age":7}"#).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let errors = r.json()["errors"].as_array().unwrap().clone();
    assert_eq!(errors.len(), 2);
    assert!(errors
        .iter()
        .any(|e| e["field"] == "entry" && e["status"] == 404));
    // A bad level is named beside a bad age.
    let r = post_json("/api/v1/check", r#"{"entry":"G80","level":"Z","age":7}"#).await;
    let fields: Vec<String> = r.json()["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(fields, ["level", "age"]);
}

#[tokio::test]
async fn entry_pages_group_benefits_and_do_not_contradict_themselves() {
    let g39 = get("/entries/G39?lang=en").await.text();
    assert!(g39.contains("This qualification has no title correspondence."));
    let benefits = &g39[g39.find("id=\"benefits\"").unwrap()..g39.find("id=\"remark\"").unwrap()];
    assert!(
        !benefits.contains("Professional title"),
        "no title benefit without a title: {benefits}"
    );
    let foreign = benefits.find("For foreign nationals").unwrap();
    let chinese = benefits.find("For Chinese nationals").unwrap();
    let everyone = benefits.find("For everyone").unwrap();
    assert!(foreign < chinese && chinese < everyone);
    assert!(benefits[chinese..everyone].contains("Beijing work-residence permit"));
    assert!(!benefits[foreign..chinese].contains("work-residence"));
    let id = get("/api/v1/entries/G39").await.json()["id"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(g39.contains(&format!("href=\"/apply?entry={id}\"")));
    assert!(g39.contains("Check what it would bring you"));
    assert!(g39.contains("京人社事业发〔2021〕33号") && g39.contains("https://wb.beijing.gov.cn/"));
    // An entry with a title lists the title benefit, for everyone.
    let u1 = get("/entries/U1?lang=en").await.text();
    assert!(u1[u1.find("For everyone").unwrap()..].contains("Professional title"));
    // Experience as a sentence in both languages, not the remark's fragment.
    let zh = get("/entries/G39?lang=zh").await.text();
    let line = &zh[zh.find("<dt>工作经验要求</dt>").unwrap()..];
    let line = &line[..line.find("</dd>").unwrap()];
    assert!(
        line.ends_with("<dd>需要至少2年相关工作经验。"),
        "the sentence, not the fragment: {line}"
    );
    assert!(g39.contains("You need at least 2 years of relevant work experience."));
    assert!(
        zh.contains("外国人适用") && zh.contains("中国公民适用") && zh.contains("所有持证人适用")
    );
}

#[tokio::test]
async fn unknown_pages_are_404_pages() {
    let r = get("/nothing-here").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.text().contains("<main"));
    assert_eq!(get("/entries/G999").await.status, StatusCode::NOT_FOUND);
}

/// The codes of the hits of a search, with whether each is only related.
async fn searched(query: &str) -> (serde_json::Value, Vec<(String, bool)>) {
    let v = get(&format!("/api/v1/search?limit=100&q={}", enc(query)))
        .await
        .json();
    let hits = v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            (
                h["code"].as_str().unwrap().to_string(),
                h["related"].as_bool().unwrap(),
            )
        })
        .collect();
    (v, hits)
}

fn enc(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[tokio::test]
async fn english_and_chinese_searches_put_the_best_match_first_then_related_teaching_entries() {
    let teaching: Vec<String> = ["G46", "G61", "G63", "G65", "G72"]
        .iter()
        .map(|c| c.to_string())
        .collect();
    for query in ["teacher california", "加州教师"] {
        let (v, hits) = searched(query).await;
        assert_eq!(hits[0], ("G60".to_string(), false), "{query}: {hits:?}");
        assert_eq!(v["matches"], 1, "{query}");
        let related: Vec<&String> = hits.iter().filter(|h| h.1).map(|h| &h.0).collect();
        assert!(related.len() >= 25, "{query}: {related:?}");
        for code in &teaching {
            assert!(related.contains(&code), "{query} lacks {code}: {related:?}");
        }
        // Related entries come after every match.
        assert!(hits.windows(2).all(|w| w[0].1 <= w[1].1), "{query}");
        assert_eq!(v["total"], hits.len() as u64);
        let zh = v["hits"][0]["display"]["zh"].as_str().unwrap();
        assert_eq!(zh, "教师资格证书（美国加利福尼亚州）");
    }
}

#[tokio::test]
async fn search_pages_past_the_first_hits_with_offset_and_limit() {
    let (all, hits) = searched("教师").await;
    let total = all["total"].as_u64().unwrap() as usize;
    assert!(total > 20, "{total}");
    let page = get(&format!(
        "/api/v1/search?q={}&offset=20&limit=10",
        enc("教师")
    ))
    .await
    .json();
    assert_eq!(page["total"], total as u64);
    assert_eq!(page["offset"], 20);
    let codes: Vec<&str> = page["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["code"].as_str().unwrap())
        .collect();
    let expected: Vec<&str> = hits[20..30.min(total)]
        .iter()
        .map(|h| h.0.as_str())
        .collect();
    assert_eq!(codes, expected);
    let past = get("/api/v1/search?q=PMP&offset=500").await.json();
    assert_eq!(past["hits"].as_array().unwrap().len(), 0);
    assert!(past["total"].as_u64().unwrap() >= 1);
    let bad = get("/api/v1/search?q=PMP&offset=-1").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.text().contains("offset"));
}

#[tokio::test]
async fn the_pickers_search_finds_cfa_first_with_its_display_name() {
    let v = get("/api/v1/search?q=CFA&limit=8").await.json();
    let first = &v["hits"][0];
    assert_eq!(first["code"], "G7");
    for key in ["id", "code", "display"] {
        assert!(first.get(key).is_some(), "a hit lacks {key}");
    }
    let (_, afc) = searched("亚足联 足球教练").await;
    assert_eq!(afc[0].0, "G79");
}

#[tokio::test]
async fn the_search_page_pages_through_results_and_separates_related_ones() {
    let first = get("/search?q=%E6%95%99%E5%B8%88&lang=en").await.text();
    assert!(first.contains("Showing 1–20 of "), "no pager");
    assert!(first.contains("rel=\"next\""));
    assert!(!first.contains("rel=\"prev\""));
    let second = get("/search?q=%E6%95%99%E5%B8%88&lang=en&page=2")
        .await
        .text();
    assert!(second.contains("Showing 21–"), "page 2");
    assert!(second.contains("rel=\"prev\""));
    assert!(second.contains("<ol class=\"hits\" start=\"21\"") || second.contains("start=\"21\""));
    let zh = get("/search?q=%E5%8A%A0%E5%B7%9E%E6%95%99%E5%B8%88&lang=zh")
        .await
        .text();
    assert!(zh.contains("教师资格证书（美国加利福尼亚州）"));
    assert!(zh.contains("相关资格"));
    let beyond = get("/search?q=PMP&page=99&lang=en").await;
    assert_eq!(beyond.status, StatusCode::OK);
}

#[tokio::test]
async fn pages_tell_entries_apart_and_the_entry_page_keeps_the_official_name() {
    let entry = get("/entries/G80?lang=zh").await.text();
    assert!(entry.contains("<h1>足球教练员等级证书（欧足联，B级及以上）</h1>"));
    assert!(entry.contains("官方名称"));
    assert!(entry.contains("足球教练员等级证书 (B级及以上)"));
    let en = get("/entries/G46?lang=en").await.text();
    assert!(en.contains("Official name (Chinese)"));
    assert!(en.contains("教师资格证书（美国纽约州）"));
    let browse = get("/browse?field=education&lang=zh")
        .await
        .text()
        .replace("<wbr>", "");
    assert!(browse.contains("教师资格证书（美国维吉尼亚州）"));
    assert!(browse.contains("教师资格证书（澳大利亚北领地）"));
    let csv = String::from_utf8_lossy(&get("/api/v1/export.csv").await.body).into_owned();
    assert!(csv.contains("name_zh_display"));
    assert!(csv.contains("足球教练员等级证书（亚足联，B级及以上）"));
}

#[tokio::test]
async fn browse_puts_filters_behind_a_control_and_empty_options_are_not_links() {
    let html = get("/browse?field=education&region=GB&lang=en")
        .await
        .text();
    let panel = &html[html
        .find("<details class=\"filters\"")
        .expect("filter control")..];
    assert!(panel.contains("<summary>"));
    assert!(panel.contains("(2 active)"));
    // Under these filters no education entry requires five years: that
    // option is text, with no link and nothing to focus.
    let empty = panel
        .find("<span class=\"empty\">")
        .expect("an empty option");
    let li_start = panel[..empty].rfind("<li>").unwrap();
    let li = &panel[li_start..li_start + panel[li_start..].find("</li>").unwrap()];
    assert!(!li.contains("<a "), "{li}");
    assert!(li.contains("<span class=\"count\">0</span>"), "{li}");
    // Options with entries stay links.
    assert!(panel.contains("class=\"on\""));
}
