//! The OpenAPI document says what the server does: typed bodies and
//! properties, null where the server sends null, parameters where they are,
//! the security schemes, every status a handler answers, and the bounds of
//! numbers the server checks. `api-fuzz/run.sh` checks the same with a
//! property-based tester against a release build; these tests keep the
//! findings fixed without it. The snapshot of the document shows any change
//! to the API's contract for review.

use axum::http::{Method, StatusCode};
use serde_json::{json, Value};
use zige_cases::Role;

use crate::helpers::public::get;
use crate::helpers::{TestApp, ADMIN, STAFF_PASSWORD};

async fn app(tag: &str) -> TestApp {
    TestApp::new(&format!("contract-{tag}"), &[(ADMIN, Role::Admin)]).await
}

/// The OpenAPI document is generated from the handlers; the snapshot shows
/// any change to the API's contract for review.
#[tokio::test]
async fn openapi_document_snapshot() {
    let doc = get("/api/openapi.json").await.json();
    assert_eq!(doc["openapi"], "3.1.0");
    insta::assert_json_snapshot!("openapi", doc);
}

#[tokio::test]
async fn every_api_route_is_in_the_openapi_document() {
    let doc = get("/api/openapi.json").await.json();
    let paths: Vec<&String> = doc["paths"].as_object().unwrap().keys().collect();
    for p in [
        "/api/v1/entries",
        "/api/v1/entries/{id}",
        "/api/v1/search",
        "/api/v1/search/text",
        "/api/v1/check",
        "/api/v1/catalogs",
        "/api/v1/catalogs/{a}/diff/{b}",
        "/api/v1/export.{format}",
        "/healthz",
        "/readyz",
        "/metrics",
        "/api/v1/accounts",
        "/api/v1/session",
        "/api/v1/applications",
        "/api/v1/applications/{id}",
        "/api/v1/applications/{id}/evidence",
        "/api/v1/applications/{id}/submit",
        "/api/v1/review/queue",
        "/api/v1/applications/{id}/decision",
        "/api/v1/verify/{code}",
        "/api/v1/keys",
    ] {
        assert!(
            paths.iter().any(|x| *x == p),
            "{p} missing from OpenAPI: {paths:?}"
        );
    }
}

/// An integrator reading the document, and a person reading the API page in
/// Chinese, learns what every operation does in their language.
#[tokio::test]
async fn every_api_operation_is_described_in_both_languages() {
    let doc = get("/api/openapi.json").await.json();
    let mut seen = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let (en, zh) = (&op["summary"], &op["x-summary-zh"]);
            let en = en
                .as_str()
                .unwrap_or_else(|| panic!("{method} {path}: no summary"));
            let zh = zh
                .as_str()
                .unwrap_or_else(|| panic!("{method} {path}: no x-summary-zh"));
            assert!(
                en.ends_with('.') && !en.contains("op-"),
                "{method} {path}: {en}"
            );
            assert!(
                zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "{method} {path}: {zh}"
            );
            assert!(op["description"].as_str().unwrap().contains(zh));
            seen += 1;
        }
    }
    assert!(seen > 30, "{seen} operations");
    let page = get("/data?lang=zh").await.text().replace("<wbr>", "");
    assert!(
        page.contains("用中文或英文检索目录"),
        "the Chinese API page describes search"
    );
}

async fn doc() -> Value {
    let env = app("doc").await;
    env.json_text(Method::GET, "/api/openapi.json", None, None)
        .await
        .1
}

fn schema<'a>(doc: &'a Value, name: &str) -> &'a Value {
    let s = &doc["components"]["schemas"][name];
    assert!(s.is_object(), "no schema {name}");
    s
}

/// A property's schema accepts JSON null (3.1: a type list with "null",
/// or a oneOf with a null branch).
fn nullable(p: &Value) -> bool {
    let has_null =
        |t: &Value| t == "null" || t.as_array().is_some_and(|a| a.iter().any(|x| x == "null"));
    has_null(&p["type"])
        || ["oneOf", "anyOf"].iter().any(|k| {
            p[*k]
                .as_array()
                .is_some_and(|a| a.iter().any(|b| has_null(&b["type"])))
        })
}

fn operations(doc: &Value) -> Vec<(String, String, &Value)> {
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            out.push((method.to_uppercase(), path.clone(), op));
        }
    }
    out
}

#[tokio::test]
async fn null_is_documented_where_the_server_sends_it() {
    let doc = doc().await;
    for (s, field) in [
        ("ApplicationView", "entry"),
        ("ApplicationView", "precheck"),
        ("ApplicationView", "decision"),
        ("EditionView", "diff"),
        ("DecisionOutcome", "signed"),
        ("Verification", "entry"),
    ] {
        let p = &schema(&doc, s)["properties"][field];
        assert!(nullable(p), "{s}.{field} must allow null: {p}");
        let typed = p.to_string().contains("$ref");
        assert!(typed, "{s}.{field} must name its type: {p}");
    }
}

/// Walks every schema of the document and collects the objects that
/// declare nothing about their members.
fn bare_objects(v: &Value, at: &str, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            let is_object = m.get("type").is_some_and(|t| {
                t == "object"
                    || t.as_array()
                        .is_some_and(|a| a.iter().any(|x| x == "object"))
            });
            if is_object
                && !m.contains_key("properties")
                && !m.contains_key("additionalProperties")
                && !m.contains_key("$ref")
            {
                out.push(at.to_string());
            }
            for (k, x) in m {
                bare_objects(x, &format!("{at}/{k}"), out);
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                bare_objects(x, &format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

#[tokio::test]
async fn bodies_and_properties_are_typed() {
    let doc = doc().await;
    let mut bare = Vec::new();
    bare_objects(&doc, "", &mut bare);
    // What stays free-form, on purpose: the signed decision document (its
    // bytes are what is signed) and the export of the whole catalogue.
    bare.retain(|p| {
        !p.contains("SignedDecision/properties/decision") && !p.contains("export.{format}")
    });
    assert!(bare.is_empty(), "objects without a shape: {bare:#?}");

    let form = &doc["paths"]["/api/v1/applications"]["post"]["requestBody"];
    assert_ne!(form["required"], true, "the form is optional: {form}");
    assert!(form.to_string().contains("ApplicationForm"), "{form}");
    let save = schema(&doc, "SaveRequest");
    assert!(
        save["properties"]["form"]
            .to_string()
            .contains("ApplicationForm"),
        "{save}"
    );
    let af = schema(&doc, "ApplicationForm");
    assert_eq!(
        af["additionalProperties"], false,
        "unknown fields are refused: {af}"
    );
    assert!(
        af["properties"]["profile"]
            .to_string()
            .contains("DraftProfile"),
        "{af}"
    );

    let upload = &doc["paths"]["/api/v1/applications/{id}/evidence"]["post"]["requestBody"]
        ["content"]["multipart/form-data"]["schema"];
    let upload = if upload["$ref"].is_string() {
        schema(&doc, "EvidenceUpload")
    } else {
        upload
    };
    assert_eq!(upload["properties"]["file"]["format"], "binary", "{upload}");
    assert_eq!(upload["required"], json!(["file"]), "{upload}");
}

#[tokio::test]
async fn query_parameters_are_in_the_query_and_numbers_have_their_bounds() {
    let doc = doc().await;
    for (method, path, op) in operations(&doc) {
        for p in op["parameters"].as_array().into_iter().flatten() {
            let name = p["name"].as_str().unwrap();
            if p["in"] == "path" {
                assert!(
                    path.contains(&format!("{{{name}}}")),
                    "{method} {path}: `{name}` is not in the path"
                );
            }
        }
    }
    let param = |path: &str, name: &str| -> Value {
        doc["paths"][path]["get"]["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == name)
            .unwrap_or_else(|| panic!("{path} has no parameter {name}"))
            .clone()
    };
    for (path, name, min, max) in [
        ("/api/v1/entries", "page", 1, 10000),
        ("/api/v1/entries", "per_page", 1, 200),
        ("/api/v1/search", "limit", 1, 100),
        ("/api/v1/admin/audit", "limit", 1, 500),
        ("/api/v1/review/queue", "waiting_days", 0, 3650),
    ] {
        let p = param(path, name);
        assert_eq!(p["in"], "query", "{path} {name}");
        assert_eq!(
            (
                p["schema"]["minimum"].as_i64(),
                p["schema"]["maximum"].as_i64()
            ),
            (Some(min), Some(max)),
            "{path} {name}: {p}"
        );
    }
    for name in ["list", "field", "region", "title", "experience", "catalog"] {
        assert_eq!(param("/api/v1/search", name)["in"], "query", "{name}");
        assert_eq!(param("/api/v1/entries", name)["in"], "query", "{name}");
    }
}

#[tokio::test]
async fn the_security_schemes_and_every_status_are_documented() {
    let doc = doc().await;
    let schemes = &doc["components"]["securitySchemes"];
    assert_eq!(schemes["bearer"]["scheme"], "bearer", "{schemes}");
    assert_eq!(
        (
            schemes["cookie"]["in"].as_str(),
            schemes["cookie"]["name"].as_str()
        ),
        (Some("cookie"), Some("zige_session")),
        "{schemes}"
    );
    assert_eq!(
        (
            schemes["csrf"]["in"].as_str(),
            schemes["csrf"]["name"].as_str()
        ),
        (Some("header"), Some("X-CSRF-Token")),
        "{schemes}"
    );
    let mut secured = 0;
    for (method, path, op) in operations(&doc) {
        let statuses: Vec<&String> = op["responses"].as_object().unwrap().keys().collect();
        let has = |s: &str| statuses.iter().any(|x| *x == s);
        if let Some(sec) = op["security"].as_array() {
            secured += 1;
            assert!(
                has("401"),
                "{method} {path} needs a session and must document 401: {statuses:?}"
            );
            if method != "GET" {
                assert!(
                    sec.iter().any(|s| s.get("csrf").is_some()),
                    "{method} {path}: the cookie needs its CSRF header"
                );
                assert!(
                    has("403"),
                    "{method} {path}: a cookie without CSRF token is 403: {statuses:?}"
                );
            }
        }
        if op["requestBody"]["content"]
            .get("application/json")
            .is_some()
        {
            for s in ["400", "413", "415"] {
                assert!(
                    has(s),
                    "{method} {path} takes JSON and must document {s}: {statuses:?}"
                );
            }
        }
        for (status, r) in op["responses"].as_object().unwrap() {
            if status.starts_with('4') || status.starts_with('5') {
                assert!(
                    r.to_string().contains("ErrorBody"),
                    "{method} {path} {status} must use the error envelope"
                );
            }
        }
    }
    assert!(secured >= 25, "only {secured} operations declare security");
    assert!(doc["paths"]["/api/v1/me"]["get"]["security"].is_array());
    assert!(
        doc["paths"]["/api/v1/entries"]["get"]["security"].is_null(),
        "the catalogue is public"
    );
}

#[tokio::test]
async fn the_server_takes_exactly_the_documented_numbers() {
    let env = app("numbers").await;
    for (uri, ok) in [
        ("/api/v1/entries?per_page=0", false),
        ("/api/v1/entries?per_page=1", true),
        ("/api/v1/entries?per_page=200", true),
        ("/api/v1/entries?per_page=201", false),
        ("/api/v1/entries?page=0", false),
        ("/api/v1/search?q=cfa&limit=0", false),
        ("/api/v1/search?q=cfa&limit=1", true),
        ("/api/v1/search?q=cfa&limit=100", true),
        ("/api/v1/search?limit=5", true),
        ("/api/v1/entries?page=", false),
        ("/api/v1/entries?per_page=%205", false),
        ("/api/v1/search?q=cfa&limit=", false),
    ] {
        let (status, body) = env.json_text(Method::GET, uri, None, None).await;
        assert_eq!(status.is_success(), ok, "{uri}: {status} {body}");
        if !ok {
            assert_eq!(status, StatusCode::BAD_REQUEST, "{uri}");
        }
    }
    let admin = {
        let (s, b) = env.json_text(Method::POST,
            "/api/v1/session",
            None,
            Some(
                &json!({"email": "admin@example.org", "password": STAFF_PASSWORD, "code": env.totp("admin@example.org").await})
                    .to_string(),
            ),
        )
        .await;
        assert_eq!(s, StatusCode::CREATED, "{b}");
        b["token"].as_str().unwrap().to_string()
    };
    // The audit log's limit was clamped silently: 0 and 501 are now refused as documented.
    for (limit, status) in [("0", 400), ("1", 200), ("500", 200), ("501", 400)] {
        let (s, b) = env
            .json_text(
                Method::GET,
                &format!("/api/v1/admin/audit?limit={limit}"),
                Some(&admin),
                None,
            )
            .await;
        assert_eq!(s.as_u16(), status, "limit={limit}: {b}");
        if status == 400 {
            assert_eq!(b["errors"][0]["field"], "limit", "{b}");
        }
    }
}

#[tokio::test]
async fn application_bodies_are_read_as_documented() {
    let env = app("null").await;
    let (s, b) = env
        .json_text(
            Method::POST,
            "/api/v1/accounts",
            None,
            Some(&json!({"email": "a@example.org", "password": "correct horse"}).to_string()),
        )
        .await;
    assert_eq!(s, StatusCode::ACCEPTED, "{b}");
    let (_, b) = env
        .json_text(
            Method::POST,
            "/api/v1/session",
            None,
            Some(&json!({"email": "a@example.org", "password": "correct horse"}).to_string()),
        )
        .await;
    let token = b["token"].as_str().unwrap().to_string();
    // The body is optional: none and `null` are an empty draft, a list is no form.
    for body in [None, Some("null")] {
        let (s, b) = env
            .json_text(Method::POST, "/api/v1/applications", Some(&token), body)
            .await;
        assert_eq!(s, StatusCode::CREATED, "{body:?}: {b}");
        assert!(
            b["entry"].is_null() && b["precheck"].is_null(),
            "an empty draft has null entry and precheck, as documented: {b}"
        );
    }
    let (s, b) = env
        .json_text(
            Method::POST,
            "/api/v1/applications",
            Some(&token),
            Some(r#"{"certificate": [null, null]}"#),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{b}");
    assert_eq!(b["errors"][0]["field"], "certificate", "{b}");
    // A null entry is no entry (a draft may lack it), and a whole number may be written 40.0.
    let (s, b) = env
        .json_text(
            Method::POST,
            "/api/v1/applications",
            Some(&token),
            Some(r#"{"profile": {"entry": null, "age": 40.0}}"#),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{b}");
    let (id, version) = (b["id"].as_i64().unwrap(), b["version"].as_i64().unwrap());
    let (s, b) = env.json_text(Method::PUT,
        &format!("/api/v1/applications/{id}"),
        Some(&token),
        Some(&format!(
            r#"{{"version": {version}.0, "form": {{"profile": {{"entry": "G1", "level": 3}}}}}}"#
        )),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    // A level is kept as typed: the document says text or number.
    assert_eq!(b["form"]["profile"]["level"], 3, "{b}");
    let doc = env
        .json_text(Method::GET, "/api/openapi.json", None, None)
        .await
        .1;
    let level = &doc["components"]["schemas"]["DraftProfile"]["properties"]["level"]["type"];
    assert!(
        level
            .as_array()
            .is_some_and(|t| t.iter().any(|x| x == "number")),
        "{level}"
    );
    let (s, b) = env
        .json_text(
            Method::POST,
            &format!("/api/v1/applications/{id}/withdraw"),
            Some(&token),
            Some("null"),
        )
        .await;
    assert_ne!(
        s,
        StatusCode::BAD_REQUEST,
        "a null reason is no reason: {b}"
    );
    let (s, b) = env
        .json_text(
            Method::POST,
            "/api/v1/applications",
            Some(&token),
            Some(r#"{"profile": {"entry": "G1"}}"#),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{b}");
    assert_eq!(b["entry"]["code"], "G1", "{b}");
    assert!(b["entry"]["name"]["en"].is_string(), "{b}");
}
