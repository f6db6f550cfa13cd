//! The catalogue lifecycle through the API, as officials and the public
//! see it: a modified Beijing text imported, its diff read, published for
//! a future date (3.0 still answers), then an edition in force (old
//! decisions still verify under 3.0, new applications are decided under
//! the new one, the feed and the entry history show the change); and a
//! second, synthetic jurisdiction with a single list beside Beijing.

use axum::http::{Method, StatusCode};
use serde_json::{json, Value};
use zige_catalog::BUILTIN;

use super::{beijing_next, unreadable_text, CAIA_OVERLAY};
use crate::helpers::*;

async fn app(tag: &str) -> TestApp {
    let staff = [
        (ADMIN, zige_cases::Role::Admin),
        (REVIEWER, zige_cases::Role::Reviewer),
    ];
    TestApp::at(&format!("editions-{tag}"), &staff, "https://zige.example").await
}

/// Imports `text` as `jurisdiction`/`version`, published 2026-11-01.
async fn import(
    e: &TestApp,
    token: &str,
    jurisdiction: &str,
    version: &str,
    text: &str,
) -> (StatusCode, Value) {
    let uri = format!(
        "/api/v1/admin/editions?jurisdiction={jurisdiction}&version={version}&published=2026-11-01"
    );
    let reply = e
        .send_bytes(
            Method::POST,
            &uri,
            Some(token),
            "text/plain",
            text.as_bytes().to_vec(),
        )
        .await;
    (reply.status, reply.json_or_null())
}

/// Imports `text`, completes the overlay for the entries it flags, and
/// publishes from `effective`.
async fn import_and_publish(
    e: &TestApp,
    admin: &str,
    version: &str,
    text: &str,
    effective: &str,
) -> Value {
    let (s, draft) = import(e, admin, "beijing", version, text).await;
    assert_eq!(s, StatusCode::CREATED, "{draft}");
    let diff = &draft["diff"];
    assert_eq!(diff["from"], "beijing/3.0");
    assert_eq!(diff["added"].as_array().unwrap().len(), 1, "{diff}");
    assert_eq!(diff["added"][0]["name"]["zh"], "CAIA另类投资分析师");
    assert_eq!(
        diff["removed"][0]["id"], "us-ct-educator-certificate",
        "{}",
        diff["removed"]
    );
    let renamed = diff["changed"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["from"]["code"] == "G7")
        .expect("G7 renamed");
    assert!(renamed["changes"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["field"] == "name.zh"));

    // The new entry lacks English: publishing is refused, naming it.
    let new_code = draft["problems"]
        .as_array()
        .unwrap()
        .iter()
        .find_map(|p| {
            p["message"]
                .as_str()
                .filter(|m| m.contains("no overlay entry"))
                .and(p["at"].as_str())
        })
        .expect("the new entry is flagged")
        .to_string();
    let (s, refused) = e
        .json(
            Method::POST,
            &format!("/api/v1/admin/editions/beijing/{version}/publish"),
            Some(admin),
            Some(json!({"effective": effective})),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "{refused}");
    assert!(refused["errors"]
        .as_array()
        .unwrap()
        .iter()
        .any(|x| x["value"] == new_code.as_str()));

    let overlay = format!(
        "{}\n[entries.{new_code}]{CAIA_OVERLAY}",
        draft["overlay"].as_str().unwrap()
    );
    // A note with a NUL or a bidi override is refused, naming it.
    for note in ["English\u{0}", "English \u{202E}AIAC"] {
        let (s, bad) = e
            .json(
                Method::PUT,
                &format!("/api/v1/admin/editions/beijing/{version}/overlay"),
                Some(admin),
                Some(json!({"overlay": overlay, "note": note})),
            )
            .await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{bad}");
        assert_eq!(bad["errors"][0]["field"], "note");
    }
    let (s, fixed) = e
        .json(
            Method::PUT,
            &format!("/api/v1/admin/editions/beijing/{version}/overlay"),
            Some(admin),
            Some(json!({"overlay": overlay, "note": "English for CAIA"})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{fixed}");
    assert_eq!(fixed["problems"], json!([]), "{}", fixed["problems"]);
    assert_eq!(fixed["history"].as_array().unwrap().len(), 2);

    let (s, published) = e
        .json(
            Method::POST,
            &format!("/api/v1/admin/editions/beijing/{version}/publish"),
            Some(admin),
            Some(json!({"effective": effective})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{published}");
    assert_eq!(published["status"], "published");
    published
}

#[tokio::test]
async fn a_new_edition_published_for_a_future_date_changes_nothing_until_then() {
    let e = app("future").await;
    let admin = e.admin().await;
    let published = import_and_publish(&e, &admin, "3.1", &beijing_next("3.1"), "2199-01-01").await;
    assert_eq!(published["in_force"], false);

    let (_, entries) = e
        .json(Method::GET, "/api/v1/entries?per_page=1", None, None)
        .await;
    assert_eq!(
        entries["catalog"]["id"]
            .as_str()
            .or(entries["catalog"].as_str()),
        Some("beijing/3.0"),
        "{}",
        entries["catalog"]
    );
    let (_, cats) = e.json(Method::GET, "/api/v1/catalogs", None, None).await;
    let by_id = |id: &str| {
        cats.as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == id)
            .cloned()
            .unwrap()
    };
    assert_eq!(
        (
            by_id("beijing/3.0")["in_force"].as_bool(),
            by_id("beijing/3.1")["in_force"].as_bool()
        ),
        (Some(true), Some(false))
    );
    assert_eq!(by_id("beijing/3.1")["effective_from"], "2199-01-01");
    // The future edition can be read by name, and its downloads exist.
    let (s, caia) = e
        .json(
            Method::GET,
            "/api/v1/search?q=CAIA&catalog=beijing/3.1",
            None,
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(
        caia["hits"][0]["name"]["en"],
        "Chartered Alternative Investment Analyst (CAIA)"
    );
    // The rules decide under the edition in force on the day asked.
    let profile = json!({"entry": "G7"});
    let (_, today) = e
        .json(Method::POST, "/api/v1/check", None, Some(profile.clone()))
        .await;
    let (_, later) = e
        .json(
            Method::POST,
            "/api/v1/check?on=2199-06-01",
            None,
            Some(profile.clone()),
        )
        .await;
    let (s, before) = e
        .json(
            Method::POST,
            "/api/v1/check?on=2000-01-01",
            None,
            Some(profile.clone()),
        )
        .await;
    assert_eq!(
        (today["catalog"].as_str(), later["catalog"].as_str(), s),
        (
            Some("beijing/3.0"),
            Some("beijing/3.1"),
            StatusCode::NOT_FOUND
        )
    );
    assert!(before["errors"][0]["value"]
        .as_str()
        .unwrap()
        .contains("2000-01-01"));
    let (s, _) = e
        .json(
            Method::POST,
            "/api/v1/check?on=tomorrow",
            None,
            Some(profile),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let (s, none) = e
        .json(Method::GET, "/api/v1/search?q=CAIA", None, None)
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        none["hits"]
            .as_array()
            .unwrap()
            .iter()
            .all(|h| h["name"]["en"] != "Chartered Alternative Investment Analyst (CAIA)"),
        "3.0 still answers"
    );
    for f in ["csv", "xlsx", "json", "jsonld"] {
        let Reply {
            status: s, body, ..
        } = e
            .send_bytes(
                Method::GET,
                &format!("/api/v1/export.{f}?catalog=beijing/3.1"),
                None,
                "",
                Vec::new(),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{f}");
        assert!(!body.is_empty());
    }
    // Published editions are immutable.
    let (s, _) = e
        .json(
            Method::PUT,
            "/api/v1/admin/editions/beijing/3.1/overlay",
            Some(&admin),
            Some(json!({"overlay": "x"})),
        )
        .await;
    assert_eq!(
        s,
        StatusCode::BAD_REQUEST,
        "an invalid overlay is refused before anything else"
    );
    let (s, _) = e
        .json(
            Method::POST,
            "/api/v1/admin/editions/beijing/3.1/discard",
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT);
}

#[tokio::test]
async fn once_in_force_the_new_edition_answers_and_old_decisions_still_verify() {
    let e = app("inforce").await;
    let admin = e.admin().await;
    let rev = e.reviewer().await;

    // A decision under 3.0 first.
    let (_, _) = e
        .json(
            Method::POST,
            "/api/v1/accounts",
            None,
            Some(json!({"email": "ada@example.org", "password": "correct horse"})),
        )
        .await;
    let (_, s) = e
        .json(
            Method::POST,
            "/api/v1/session",
            None,
            Some(json!({"email": "ada@example.org", "password": "correct horse"})),
        )
        .await;
    let ada = s["token"].as_str().unwrap().to_string();
    let form = json!({"holder_name": "Ada", "profile": {"entry": "G7", "age": 40, "beijing_employer": true}, "certificate": {"number": "1", "issuer": "CFA Institute", "issued_on": "2020-01-01"}});
    let (_, app) = e
        .json(
            Method::POST,
            "/api/v1/applications",
            Some(&ada),
            Some(form.clone()),
        )
        .await;
    let id = app["id"].as_i64().unwrap();
    let boundary = "b";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"c.pdf\"\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(b"%PDF-1.4\n%%EOF\n");
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let Reply { status: s, .. } = e
        .send_bytes(
            Method::POST,
            &format!("/api/v1/applications/{id}/evidence"),
            Some(&ada),
            &format!("multipart/form-data; boundary={boundary}"),
            body.clone(),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED);
    e.json(
        Method::POST,
        &format!("/api/v1/applications/{id}/submit"),
        Some(&ada),
        None,
    )
    .await;
    let (s, decided) = e
        .json(
            Method::POST,
            &format!("/api/v1/applications/{id}/decision"),
            Some(&rev),
            Some(json!({"outcome": "approved"})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{decided}");
    let code = decided["verification_code"].as_str().unwrap().to_string();

    // 3.1 in force from a day already past.
    import_and_publish(&e, &admin, "3.1", &beijing_next("3.1"), "2024-01-01").await;
    let (_, cats) = e.json(Method::GET, "/api/v1/catalogs", None, None).await;
    assert!(cats
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["id"] == "beijing/3.1" && c["in_force"] == true));
    let (_, caia) = e
        .json(Method::GET, "/api/v1/search?q=CAIA", None, None)
        .await;
    assert_eq!(
        caia["hits"][0]["name"]["en"],
        "Chartered Alternative Investment Analyst (CAIA)"
    );

    // The old decision still verifies, under the edition it names.
    let (s, v) = e
        .json(Method::GET, &format!("/api/v1/verify/{code}"), None, None)
        .await;
    assert_eq!(
        (
            s,
            v["status"].as_str(),
            v["catalog"].as_str(),
            v["signature_valid"].as_bool()
        ),
        (
            StatusCode::OK,
            Some("valid"),
            Some("beijing/3.0"),
            Some(true)
        )
    );

    // A new submission is decided under the edition in force, and says so.
    let (_, app2) = e
        .json(Method::POST, "/api/v1/applications", Some(&ada), Some(form))
        .await;
    let id2 = app2["id"].as_i64().unwrap();
    e.send_bytes(
        Method::POST,
        &format!("/api/v1/applications/{id2}/evidence"),
        Some(&ada),
        &format!("multipart/form-data; boundary={boundary}"),
        body,
    )
    .await;
    let (_, sub) = e
        .json(
            Method::POST,
            &format!("/api/v1/applications/{id2}/submit"),
            Some(&ada),
            None,
        )
        .await;
    assert_eq!(sub["catalog"], "beijing/3.1");
    let (_, d2) = e
        .json(
            Method::POST,
            &format!("/api/v1/applications/{id2}/decision"),
            Some(&rev),
            Some(json!({"outcome": "approved"})),
        )
        .await;
    assert_eq!(d2["signed"]["decision"]["catalog"], "beijing/3.1");

    // The feed and the entry's history show the change.
    let Reply {
        status: s,
        body: feed,
        ..
    } = e
        .send_bytes(Method::GET, "/changes.atom", None, "", Vec::new())
        .await;
    assert_eq!(s, StatusCode::OK);
    let feed = String::from_utf8(feed).unwrap();
    assert!(
        feed.contains("<feed xmlns=\"http://www.w3.org/2005/Atom\">")
            && feed.contains("beijing/3.1 replaces beijing/3.0 from 2024-01-01: 1 added (G"),
        "{feed}"
    );
    let (_, hist) = e
        .json(
            Method::GET,
            "/api/v1/entries/cfa-institute-cfa/history",
            None,
            None,
        )
        .await;
    let steps: Vec<(&str, &str)> = hist
        .as_array()
        .unwrap()
        .iter()
        .map(|h| (h["catalog"].as_str().unwrap(), h["what"].as_str().unwrap()))
        .collect();
    assert_eq!(
        steps,
        [("beijing/3.0", "listed"), ("beijing/3.1", "changed")]
    );
    let (_, gone) = e
        .json(
            Method::GET,
            "/api/v1/entries/us-ct-educator-certificate/history",
            None,
            None,
        )
        .await;
    assert_eq!(gone.as_array().unwrap().last().unwrap()["what"], "removed");
}

#[tokio::test]
async fn a_bad_text_is_refused_line_by_line_and_nothing_is_stored() {
    let e = app("bad").await;
    let admin = e.admin().await;
    let (s, b) = import(&e, &admin, "beijing", "3.9", &unreadable_text()).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(
        b["errors"][0]["value"]
            .as_str()
            .unwrap()
            .starts_with("line "),
        "{b}"
    );
    let (_, list) = e
        .json(Method::GET, "/api/v1/admin/editions", Some(&admin), None)
        .await;
    assert!(list
        .as_array()
        .unwrap()
        .iter()
        .all(|x| x["id"] != "beijing/3.9"));
    let rev = e.reviewer().await;
    let (s, _) = import(&e, &rev, "beijing", "3.9", BUILTIN[0].text).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "only admins import");
}

/// A second jurisdiction with one list, letter A, and its own overlay.
const OTHER_TEXT: &str = "测试市境外职业资格目录（1.0版）\n\n（共计2项）\n\n（一）境外职业资格认可清单（2项）\n\n序号\t职业资格证书名称\t证书颁发机构 (国内认证机构)\t国家 (地区)\t领域\t备注\n1\tCFA特许金融分析师证书\t特许金融分析师协会\t\t金融\t从事金融相关工作。\n2\t英国皇家特许测量师\t英国皇家特许测量师学会\t英国\t建筑\t从事建筑相关工作。\n";

#[tokio::test]
async fn a_second_jurisdiction_with_another_list_structure_lives_beside_beijing() {
    let e = app("other").await;
    let admin = e.admin().await;
    let (s, draft) = import(&e, &admin, "testcity", "1.0", OTHER_TEXT).await;
    assert_eq!(s, StatusCode::CREATED, "{draft}");
    assert_eq!(draft["entries"], 2);
    let overlay = r#"[catalog]
jurisdiction = "testcity"
version = "1.0"
published = "2026-11-01"
title = { zh = "测试市境外职业资格目录（1.0版）", en = "Test City catalogue (version 1.0)" }

[[lists]]
key = "recognised"
letter = "A"
name = { zh = "境外职业资格认可清单", en = "Recognised overseas qualifications" }

[fields."金融"]
key = "finance"
en = "Finance"

[fields."建筑"]
key = "construction"
en = "Construction"

[entries.A1]
id = "testcity-cfa"
name_en = "Chartered Financial Analyst (CFA)"
aliases = ["CFA"]
scope_en = "Finance"
issuers = [{ zh = "特许金融分析师协会", en = "CFA Institute" }]

[entries.A2]
id = "testcity-rics"
name_en = "Royal Institution of Chartered Surveyors (RICS)"
aliases = ["RICS"]
scope_en = "Construction"
issuers = [{ zh = "英国皇家特许测量师学会", en = "Royal Institution of Chartered Surveyors" }]
"#;
    let (s, fixed) = e
        .json(
            Method::PUT,
            "/api/v1/admin/editions/testcity/1.0/overlay",
            Some(&admin),
            Some(json!({"overlay": overlay})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{fixed}");
    let (s, p) = e
        .json(
            Method::POST,
            "/api/v1/admin/editions/testcity/1.0/publish",
            Some(&admin),
            Some(json!({"effective": "2026-01-01"})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{p}");

    let (_, rics) = e
        .json(
            Method::GET,
            "/api/v1/entries/A2?catalog=testcity/1.0",
            None,
            None,
        )
        .await;
    assert_eq!(
        (rics["list"].as_str(), rics["name"]["en"].as_str()),
        (
            Some("recognised"),
            Some("Royal Institution of Chartered Surveyors (RICS)")
        )
    );
    let (_, hits) = e
        .json(
            Method::GET,
            "/api/v1/search?q=RICS&catalog=testcity/1.0",
            None,
            None,
        )
        .await;
    assert_eq!(hits["hits"][0]["id"], "testcity-rics");
    // Beijing still answers by default, and both are in force for their own jurisdiction.
    let (_, g7) = e.json(Method::GET, "/api/v1/entries/G7", None, None).await;
    assert_eq!(g7["catalog"], "beijing/3.0");
    let (_, cats) = e.json(Method::GET, "/api/v1/catalogs", None, None).await;
    assert_eq!(
        cats.as_array()
            .unwrap()
            .iter()
            .filter(|c| c["in_force"] == true)
            .count(),
        2
    );
}
