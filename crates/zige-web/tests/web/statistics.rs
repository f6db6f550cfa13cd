//! Statistics as their readers see them: the public figures with small
//! counts withheld, the officials' report only for officials and admins,
//! its filters refused with every problem named, the pages with charts
//! and tables, and the CSV downloads.

use axum::http::{Method, StatusCode};
use serde_json::Value;
use zige_cases::Role;
use zige_store::DemoPlan;

use crate::helpers::*;

const OFFICIAL: &str = "official@example.org";

async fn app_with_demo(tag: &str) -> TestApp {
    let app = TestApp::new(
        tag,
        &[
            (OFFICIAL, Role::Official),
            (REVIEWER, Role::Reviewer),
            (ADMIN, Role::Admin),
        ],
    )
    .await;
    // Two popular entries and one that only three people applied for.
    let entries = vec![
        (
            "beijing/3.0".to_string(),
            "G7".to_string(),
            "general".to_string(),
        ),
        (
            "beijing/3.0".to_string(),
            "U1".to_string(),
            "urgent".to_string(),
        ),
    ];
    let plan = DemoPlan {
        applications: 400,
        entries,
        now: zige_web::cases::now_ms(),
        seed: 3,
        force: false,
    };
    app.store.seed_demo(&plan).await.unwrap().unwrap();
    app
}

/// Every number in `value`, at any depth.
fn numbers(value: &Value, out: &mut Vec<i64>) {
    match value {
        Value::Number(n) => out.extend(n.as_i64()),
        Value::Array(a) => a.iter().for_each(|v| numbers(v, out)),
        Value::Object(o) => o.values().for_each(|v| numbers(v, out)),
        _ => {}
    }
}

#[tokio::test]
async fn public_figures_withhold_every_count_under_five() {
    let app = app_with_demo("stats-public").await;
    let (status, body) = app
        .json(Method::GET, "/api/v1/statistics", None, None)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["suppressed_below"], 5);
    let entries = body["by_entry"].as_array().unwrap();
    assert_eq!(entries.len(), 122, "every entry of the edition in force");
    let g7 = entries.iter().find(|e| e["entry"] == "G7").unwrap();
    let u1 = entries.iter().find(|e| e["entry"] == "U1").unwrap();
    let total = g7["applications"].as_i64().unwrap() + u1["applications"].as_i64().unwrap();
    assert_eq!(total, 400);
    let g1 = entries.iter().find(|e| e["entry"] == "G1").unwrap();
    assert!(
        g1["applications"].is_null(),
        "no applications is withheld too: {g1}"
    );
    let mut all = Vec::new();
    numbers(&body, &mut all);
    assert!(
        all.iter().all(|n| !(1..5).contains(n)),
        "a count under five leaked: {all:?}"
    );
    assert!(body["by_month"].as_array().unwrap().len() >= 24);

    let page = app
        .call(Method::GET, "/statistics?lang=en", None, None)
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.has("role=\"img\"") && page.has("fewer than 5"),
        "{}",
        page.text()
    );
    let csv = app
        .call(Method::GET, "/statistics.csv?lang=zh", None, None)
        .await;
    assert!(csv.body.starts_with(b"\xEF\xBB\xBF"));
    assert!(csv.text().contains("申请数"));
}

#[tokio::test]
async fn the_report_is_for_officials_and_admins_only() {
    let app = app_with_demo("stats-roles").await;
    let applicant = app.applicant("ada@example.org").await;
    let reviewer = app.reviewer().await;
    let official = app.staff(OFFICIAL).await;
    let admin = app.admin().await;
    let path = "/api/v1/reports/statistics";
    for (token, expected) in [
        (None, 401),
        (Some(&applicant), 403),
        (Some(&reviewer), 403),
        (Some(&official), 200),
        (Some(&admin), 200),
    ] {
        let (status, _) = app
            .json(Method::GET, path, token.map(String::as_str), None)
            .await;
        assert_eq!(status.as_u16(), expected, "{token:?}");
    }
    let (_, report) = app.json(Method::GET, path, Some(&official), None).await;
    assert_eq!(report["totals"]["applications"], 400);
    let states: i64 = report["by_state"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["counts"]["applications"].as_i64().unwrap())
        .sum();
    assert_eq!(states, 400);
    assert!(
        report["decisions"]["median_days"].as_u64().unwrap()
            <= report["decisions"]["p90_days"].as_u64().unwrap()
    );
    assert_eq!(report["backlog"].as_array().unwrap().len(), 6);
    assert!(report["reviewers"][0]["name"]
        .as_str()
        .unwrap()
        .starts_with("Demo reviewer"));
    // Narrowed to one list.
    let (_, urgent) = app
        .json(
            Method::GET,
            &format!("{path}?list=U"),
            Some(&official),
            None,
        )
        .await;
    let u1 = urgent["by_entry"].as_array().unwrap();
    assert!(u1.iter().all(|r| r["key"] == "U1") && !u1.is_empty());
}

#[tokio::test]
async fn bad_filters_are_refused_naming_every_field() {
    let app = app_with_demo("stats-filters").await;
    let official = app.staff(OFFICIAL).await;
    let (status, body) = app
        .json(Method::GET, "/api/v1/reports/statistics?from=2026-13&to=1999-01&edition=nowhere/1.0&list=Z&field=astrology", Some(&official), None)
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let fields: Vec<&str> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["from", "to", "edition", "list", "field"], "{body}");
    let (status, body) = app
        .json(
            Method::GET,
            "/api/v1/reports/statistics?from=2026-05&to=2026-01",
            Some(&official),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["errors"][0]["field"], "to");
    assert_eq!(body["errors"][0]["value"], "2026-01");

    let mut browser = app.staff_browser(OFFICIAL).await;
    let page = browser.get("/reports?from=2026-13&lang=en").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.has("There is a problem") || page.has("problems-title"),
        "{}",
        page.text()
    );
    assert!(page.has("value=\"2026-13\""), "what was typed stays");
    let page = browser.get("/reports?lang=zh").await;
    assert!(page.has("各月申请数") && page.has("role=\"img\"") && page.has("Demo reviewer"));
    let csv = browser.get("/reports/statistics.csv?list=G&lang=en").await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.text().contains("Applications") && !csv.text().contains("\nentry,U1"));
}
