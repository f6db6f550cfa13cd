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
