//! Reason templates: admins keep them in both languages (API and pages,
//! every problem at once, a stale change refused, deleting confirmed), and
//! a reviewer adds one to the reasons on the decision form.

use axum::http::{Method, StatusCode};
use serde_json::{json, Value};

use crate::fixtures::*;
use crate::helpers::ADMIN;

fn expired() -> Value {
    json!({
        "outcome": "rejected",
        "title": {"zh": "证书已过期", "en": "Certificate expired"},
        "text": {"zh": "您提交的证书已过期。", "en": "The certificate you submitted has expired."}
    })
}

#[tokio::test]
async fn admins_keep_templates_that_reviewers_read() {
    let e = api_app("templates").await;
    let admin = e.admin().await;
    let rev = e.reviewer().await;
    let url = "/api/v1/reason-templates";
    let added = e
        .call(Method::POST, url, Some(&admin), Some(expired()))
        .await;
    assert_eq!(added.status, StatusCode::CREATED, "{}", added.text());
    let id = added.json()["id"].as_i64().unwrap();
    assert_eq!(added.json()["version"], 1);

    // Every problem at once, each naming its field.
    let blank = json!({"outcome": "maybe", "title": {"zh": "", "en": "a\nb"}, "text": {"zh": " ", "en": ""}});
    let refused = e.call(Method::POST, url, Some(&admin), Some(blank)).await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    let body = refused.json();
    let fields: Vec<&str> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|x| x["field"].as_str())
        .collect();
    assert_eq!(
        fields,
        ["outcome", "title.zh", "title.en", "text.zh", "text.en"]
    );

    let listed = e.call(Method::GET, url, Some(&rev), None).await;
    assert_eq!(listed.json()[0]["title"]["en"], "Certificate expired");

    // A change from a version someone else has changed since is refused.
    let one = format!("{url}/{id}");
    let mut renamed = expired();
    renamed["title"]["en"] = json!("Expired certificate");
    renamed["version"] = json!(1);
    let first = e
        .call(Method::PUT, &one, Some(&admin), Some(renamed.clone()))
        .await;
    assert_eq!(first.json()["version"], 2, "{}", first.text());
    let stale = e.call(Method::PUT, &one, Some(&admin), Some(renamed)).await;
    assert_eq!(stale.status, StatusCode::CONFLICT);

    let gone = e.call(Method::DELETE, &one, Some(&admin), None).await;
    assert_eq!(gone.status, StatusCode::NO_CONTENT);
    let again = e.call(Method::DELETE, &one, Some(&admin), None).await;
    assert_eq!(again.status, StatusCode::NOT_FOUND);
    let log = e
        .call(Method::GET, "/api/v1/admin/audit", Some(&admin), None)
        .await
        .text();
    for action in ["add", "change", "delete"] {
        assert!(
            log.contains(&format!("reason_template.{action}")),
            "{action}"
        );
    }
}

#[tokio::test]
async fn a_reviewer_adds_a_template_to_the_reasons_typed() {
    let e = pages_app("template-pick").await;
    let admin = e.admin().await;
    let template = e
        .call(
            Method::POST,
            "/api/v1/reason-templates",
            Some(&admin),
            Some(expired()),
        )
        .await
        .json()["id"]
        .as_i64()
        .unwrap();
    let ada = e.applicant("ada@example.org").await;
    let id = e.submitted(&ada).await;
    let mut browser = e.staff_browser("rev@example.org").await;
    let page = browser.get(&format!("/review/{id}?lang=en")).await;
    assert!(page.has("Reason template") && page.has("Certificate expired"));
    let csrf = page.hidden("csrf");
    let version = page.hidden("version");
    let decision = format!("/review/{id}/decision?lang=en");
    let typed = "Dear applicant,";
    let pick = |template: String| {
        vec![
            ("csrf", csrf.clone()),
            ("version", version.clone()),
            ("reasons", typed.to_string()),
            ("template", template),
            ("insert", "template".to_string()),
        ]
    };
    let form = pick(template.to_string());
    let fields: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let added = browser.post(&decision, &fields).await;
    assert_eq!(added.status, StatusCode::OK);
    assert_eq!(
        added.textarea("reasons"),
        "Dear applicant,\n\n您提交的证书已过期。\n\nThe certificate you submitted has expired."
    );
    assert!(added.has("id=\"outcome-rejected\" name=\"outcome\" value=\"rejected\" checked"));
    assert!(
        added.has("was added to the reasons"),
        "nothing recorded yet"
    );

    // None chosen: said at the field, and the reasons are kept.
    let form = pick(String::new());
    let fields: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let none = browser.post(&decision, &fields).await;
    assert_eq!(none.status, StatusCode::BAD_REQUEST);
    assert!(none.has("id=\"template-error\"") && none.textarea("reasons") == typed);

    // One deleted since the page was shown: said at the field too.
    let form = pick("9999".to_string());
    let fields: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let gone = browser.post(&decision, &fields).await;
    assert_eq!(gone.status, StatusCode::BAD_REQUEST);
    assert!(
        gone.has("that template was deleted") && gone.textarea("reasons") == typed,
        "{}",
        gone.text()
    );

    // The page was read before the case changed: the conflict is said,
    // what was typed is kept, and nothing is added.
    let mut form = pick(template.to_string());
    form[1].1 = "99".to_string();
    let fields: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let stale = browser.post(&decision, &fields).await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert!(stale.has("changed by someone else") && stale.textarea("reasons") == typed);

    let reasons = added.textarea("reasons");
    let decide = [
        ("csrf", csrf.as_str()),
        ("version", version.as_str()),
        ("outcome", "rejected"),
        ("reasons", reasons.as_str()),
        ("confirm", "yes"),
    ];
    let done = browser.post(&decision, &decide).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.text());
    let seen = e
        .call(
            Method::GET,
            &format!("/api/v1/applications/{id}"),
            Some(&ada),
            None,
        )
        .await;
    assert!(seen
        .text()
        .contains("The certificate you submitted has expired."));
}

#[tokio::test]
async fn the_admin_pages_name_every_problem_and_keep_what_was_typed() {
    let e = pages_app("template-pages").await;
    let mut admin = e.staff_browser(ADMIN).await;
    let csrf = admin.form_csrf("/admin/reasons/new?lang=en").await;
    let refused = admin
        .post(
            "/admin/reasons/new?lang=en",
            &[("csrf", &csrf), ("title_en", "Scan unreadable")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    for control in ["outcome", "title_zh", "text_zh", "text_en"] {
        assert!(refused.has(&format!("href=\"#{control}\"")), "{control}");
    }
    assert!(refused.has("value=\"Scan unreadable\""));

    let complete = [
        ("csrf", csrf.as_str()),
        ("outcome", "more_information"),
        ("title_zh", "扫描件无法辨认"),
        ("title_en", "Scan unreadable"),
        ("text_zh", "请重新上传清晰的证书扫描件。"),
        ("text_en", "Please upload a clear scan of the certificate."),
    ];
    let added = admin.post("/admin/reasons/new", &complete).await;
    assert_eq!(added.location(), "/admin/reasons?done=template-added");
    let list = admin
        .get("/admin/reasons?lang=en&done=template-added")
        .await;
    assert!(list.has("Scan unreadable") && list.has("To ask for more information"));
    let id = list
        .text()
        .split("href=\"/admin/reasons/")
        .filter_map(|rest| rest.split('"').next())
        .find(|id| id.parse::<i64>().is_ok())
        .unwrap()
        .to_string();

    // Two admins open the form; the second saves after the first.
    let edit = format!("/admin/reasons/{id}?lang=en");
    let version = admin.get(&edit).await.hidden("version");
    assert_eq!(version, "1");
    let change = |title: &'static str| {
        let mut fields = complete.to_vec();
        fields[3] = ("title_en", title);
        fields.push(("version", version.as_str()));
        fields
    };
    let first = admin.post(&edit, &change("Unreadable scan")).await;
    assert_eq!(first.status, StatusCode::SEE_OTHER);
    let second = admin.post(&edit, &change("Blurred scan")).await;
    assert_eq!(second.status, StatusCode::CONFLICT);
    assert!(
        second.has("Another admin changed this template") && second.has("value=\"Blurred scan\"")
    );
    assert_eq!(second.hidden("version"), "2");

    let confirm = admin
        .get(&format!("/admin/reasons/{id}/delete?lang=en"))
        .await;
    assert!(confirm.has("Unreadable scan") && confirm.has("Delete this reason template?"));
    let deleted = admin
        .post(&format!("/admin/reasons/{id}/delete"), &[("csrf", &csrf)])
        .await;
    assert_eq!(deleted.location(), "/admin/reasons?done=template-deleted");
    assert!(!admin
        .get("/admin/reasons?lang=en")
        .await
        .has("Unreadable scan"));

    // Saved after another admin deleted it: the form offers to add it again.
    let orphan = admin.post(&edit, &change("Blurred scan")).await;
    assert!(
        orphan.has("Another admin deleted this template") && orphan.has("value=\"Blurred scan\"")
    );
    assert!(orphan.has("action=\"/admin/reasons/new\""));
}
