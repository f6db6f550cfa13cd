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

/// An app with `applications` demo cases over two years.
async fn app_with_few(tag: &str, applications: u64) -> TestApp {
    let app = TestApp::new(tag, &[(OFFICIAL, Role::Official), (ADMIN, Role::Admin)]).await;
    let plan = DemoPlan {
        applications,
        entries: vec![
            ("beijing/3.0".into(), "G7".into(), "general".into()),
            ("beijing/3.0".into(), "U1".into(), "urgent".into()),
        ],
        now: zige_web::cases::now_ms(),
        seed: 7,
        force: false,
    };
    app.store.seed_demo(&plan).await.unwrap().unwrap();
    app
}

/// A spreadsheet cell as the CSV writes it: whole numbers without a
/// point, nothing for an empty cell.
fn as_csv(cell: &calamine::Data) -> String {
    match cell {
        calamine::Data::Float(f) if f.fract() == 0.0 => format!("{}", *f as i64),
        calamine::Data::Empty => String::new(),
        other => other.to_string(),
    }
}

/// The workbook's sheets, each its rows of cells.
fn sheets(bytes: &[u8]) -> Vec<(String, Vec<Vec<calamine::Data>>)> {
    use calamine::{open_workbook_from_rs, Reader, Xlsx};
    let mut book: Xlsx<_> =
        open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).expect("the workbook opens");
    book.worksheets()
        .into_iter()
        .map(|(name, range)| (name, range.rows().map(<[_]>::to_vec).collect()))
        .collect()
}

/// The CSV's rows of `table`, each cell under its heading.
fn csv_table(csv: &str, table: &str) -> Vec<Vec<(String, String)>> {
    let mut reader = csv::Reader::from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
    let head: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    reader
        .records()
        .map(Result::unwrap)
        .filter(|r| &r[0] == table)
        .map(|r| {
            head.iter()
                .cloned()
                .zip(r.iter().map(str::to_string))
                .collect()
        })
        .collect()
}

/// Every cell of a sheet whose heading the CSV shares (the unit of days
/// aside), and its first column against the CSV's key, equal.
fn same_as_csv(csv: &str, table: &str, rows: &[Vec<calamine::Data>]) {
    let lines = csv_table(csv, table);
    assert_eq!(rows.len() - 1, lines.len(), "rows of {table}");
    let head: Vec<String> = rows[0]
        .iter()
        .map(|h| as_csv(h).trim_end_matches(" (days)").to_string())
        .collect();
    for (row, line) in rows[1..].iter().zip(&lines) {
        assert_eq!(as_csv(&row[0]), line[1].1, "the key of a line of {table}");
        for (heading, value) in line {
            if let Some(i) = head.iter().position(|h| h == heading) {
                assert_eq!(&as_csv(&row[i]), value, "{table}: {heading}");
            }
        }
    }
}

#[tokio::test]
async fn the_workbook_has_the_same_numbers_as_the_csv() {
    let app = app_with_few("stats-xlsx", 60).await;
    let mut browser = app.staff_browser(OFFICIAL).await;
    let page = browser.get("/reports?lang=en").await;
    assert!(
        page.has("href=\"/reports/statistics.xlsx?"),
        "linked beside the CSV"
    );
    let csv = browser.get("/reports/statistics.csv?lang=en").await.text();
    let xlsx = browser.get("/reports/statistics.xlsx?lang=en").await;
    assert_eq!(xlsx.status, StatusCode::OK);
    assert_eq!(
        xlsx.header(axum::http::header::CONTENT_TYPE),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    assert_eq!(
        xlsx.header(axum::http::header::CONTENT_DISPOSITION),
        "attachment; filename=\"zige-report.xlsx\""
    );
    let book = sheets(&xlsx.body);
    let names: Vec<&str> = book.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "About this report",
            "Totals and rates",
            "By state",
            "Backlog",
            "By entry",
            "By list",
            "By field",
            "By issuing country",
            "By nationality",
            "By month",
            "Reviewers"
        ]
    );
    let tables = [
        "state",
        "backlog",
        "entry",
        "list",
        "field",
        "country",
        "nationality",
        "month",
        "reviewer",
    ];
    for ((_, rows), table) in book[2..].iter().zip(tables) {
        same_as_csv(&csv, table, rows);
    }
    let entries = &book[4].1;
    assert!(
        entries[1..]
            .iter()
            .all(|r| matches!(r[2], calamine::Data::Float(_))),
        "counts are numbers, not text"
    );
    let total = &csv_table(&csv, "total")[0];
    assert_eq!(total[3].1, "60", "{total:?}");
    let figures = &book[1].1;
    let figure = |name: &str| figures.iter().find(|r| as_csv(&r[0]) == name).unwrap()[1].clone();
    assert_eq!(as_csv(&figure("Applications")), "60");
    let (approved, rejected): (f64, f64) =
        (total[4].1.parse().unwrap(), total[5].1.parse().unwrap());
    let calamine::Data::Float(rate) = figure("Approval rate") else {
        panic!("the rate is a number");
    };
    assert!((rate - approved / (approved + rejected)).abs() < 1e-9);
    let about: Vec<String> = book[0]
        .1
        .iter()
        .map(|r| r.iter().map(as_csv).collect::<Vec<_>>().join(": "))
        .collect();
    assert!(about.iter().any(|l| l.starts_with("Made: ")), "{about:?}");
    assert!(about.contains(&"List: Any".to_string()), "{about:?}");
}

#[tokio::test]
async fn the_workbook_follows_the_filters_and_the_language() {
    let app = app_with_few("stats-xlsx-zh", 30).await;
    let mut browser = app.staff_browser(ADMIN).await;
    let xlsx = browser.get("/reports/statistics.xlsx?list=U&lang=zh").await;
    assert_eq!(xlsx.status, StatusCode::OK);
    let book = sheets(&xlsx.body);
    assert_eq!(book[0].0, "关于本报表");
    let about: Vec<String> = book[0]
        .1
        .iter()
        .map(|r| r.iter().map(as_csv).collect::<Vec<_>>().join("|"))
        .collect();
    assert!(
        about
            .iter()
            .any(|l| l.starts_with("清单|") && l.contains("(urgent)")),
        "{about:?}"
    );
    let entries = &book.iter().find(|(n, _)| n == "按目录条目").unwrap().1;
    assert!(
        entries[1..].iter().all(|r| as_csv(&r[0]) == "U1"),
        "only the list asked for"
    );
    let bad = browser
        .get("/reports/statistics.xlsx?from=2026-13&lang=en")
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
}

/// Last month in Beijing, as `YYYY-MM`.
fn last_month() -> zige_cases::statistics::Month {
    let today = jiff::Timestamp::now()
        .to_zoned_datetime(jiff::tz::TimeZone::get("Asia/Shanghai").unwrap())
        .date();
    zige_cases::statistics::Month {
        year: i32::from(today.year()),
        month: today.month() as u8,
    }
    .previous()
}

#[tokio::test]
async fn the_monthly_report_shows_the_month_and_names_a_bad_month() {
    let app = app_with_few("stats-monthly", 400).await;
    let official = app.staff(OFFICIAL).await;
    let month = last_month();
    let (_, report) = app
        .json(
            Method::GET,
            &format!("/api/v1/reports/statistics?from={month}&to={month}"),
            Some(&official),
            None,
        )
        .await;
    let applications = report["totals"]["applications"].as_i64().unwrap();
    let decided = report["decisions"]["decided"].as_i64().unwrap();
    assert!(applications > 0, "the demo data has last month");
    let mut browser = app.staff_browser(OFFICIAL).await;
    let page = browser.get("/reports?lang=en").await;
    assert!(page.has("href=\"/reports/monthly\"") && page.has("Monthly report for print"));
    let page = browser.get("/reports/monthly?lang=en").await;
    assert_eq!(page.status, StatusCode::OK);
    const NAMES: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let title = format!(
        "Monthly report: {} {}",
        NAMES[usize::from(month.month) - 1],
        month.year
    );
    assert!(
        page.has(&format!("<h1>{title}</h1>")),
        "last month by default"
    );
    assert!(
        page.has(&format!("<dt>Applications</dt><dd>{applications}</dd>")),
        "{}",
        page.text()
    );
    assert!(page.has(&format!(
        "<dt>Decisions made in the month</dt><dd>{decided}</dd>"
    )));
    assert!(
        page.has("id=\"entry-title\"")
            && page.has("id=\"backlog-title\"")
            && page.has("Demo reviewer")
    );
    assert!(page.has("Print command"), "says how to print");
    assert!(page.has(&format!("/reports/statistics.xlsx?from={month}&")));
    let zh = browser
        .get(&format!("/reports/monthly?month={month}&lang=zh"))
        .await;
    assert!(zh.has(&format!(
        "<h1>月度报告：{}年{}月</h1>",
        month.year, month.month
    )));

    for (bad, said) in [
        (
            "2026-13",
            "Month: “2026-13” is not a month: enter one as YYYY-MM",
        ),
        ("March", "Month: “March” is not a month"),
        (
            "2199-12",
            "Month: 2199-12 has not begun yet: enter a month up to",
        ),
        ("2999-01", "Month: “2999-01” is not a month"),
    ] {
        let page = browser
            .get(&format!("/reports/monthly?month={bad}&lang=en"))
            .await;
        assert_eq!(page.status, StatusCode::BAD_REQUEST, "{bad}");
        assert!(
            page.has("id=\"problems\"") && page.has(&format!("<a href=\"#month\">{said}")),
            "{}",
            page.text()
        );
        assert!(page.has("aria-invalid=\"true\"") && page.has(&format!("value=\"{bad}\"")));
        assert!(!page.has("<dl class=\"figures\">"));
    }
}

#[tokio::test]
async fn applicants_get_neither_the_workbook_nor_the_monthly_report() {
    let app = app_with_few("stats-refused", 10).await;
    let mut anonymous = Browser::new(&app);
    for path in ["/reports/statistics.xlsx", "/reports/monthly?month=2026-01"] {
        let reply = anonymous.get(path).await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{path}");
        assert!(reply.location().starts_with("/login?next="), "{path}");
    }
    let mut applicant = Browser::new(&app);
    applicant.register("ada@example.org").await;
    for path in [
        "/reports/statistics.csv",
        "/reports/statistics.xlsx",
        "/reports/monthly",
        "/reports/monthly?month=2026-01",
    ] {
        let reply = applicant
            .get(&format!(
                "{path}{}lang=en",
                if path.contains('?') { '&' } else { '?' }
            ))
            .await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{path}");
        assert!(
            reply.has("Not allowed") && !reply.has("Demo reviewer"),
            "{path}"
        );
    }
}

#[tokio::test]
async fn the_printed_monthly_report_says_where_it_is_online() {
    let public = "https://zige.example.gov.cn";
    let app = TestApp::at("stats-online", &[(OFFICIAL, Role::Official)], public).await;
    let mut browser = app.staff_browser(OFFICIAL).await;
    let page = browser.get("/reports/monthly?month=2026-01&lang=en").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.has(&format!(
            "<span class=\"print-only\"> This report online: {public}/reports/monthly?month=2026-01</span>"
        )),
        "{}",
        page.text()
    );
    assert!(
        page.has("<dt>Applications</dt><dd>0</dd>"),
        "an empty month is zeros"
    );
}
