//! Batch checks as an HR officer and an integrator meet them: a file of
//! people in, the same file back with answers; a wrong file named cell
//! by cell, nothing answered.

use std::io::Cursor;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};

use crate::helpers::public::{get, send};
use crate::helpers::{multipart_body, Reply};

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

async fn post_file(query: &str, content_type: &str, bytes: Vec<u8>) -> Reply {
    send(
        Request::post(format!("/api/v1/check/batch{query}"))
            .header(header::CONTENT_TYPE, content_type)
            .body(Body::from(bytes))
            .unwrap(),
    )
    .await
}

fn people(rows: usize) -> String {
    let mut file = String::from("person,entry,age,education\n");
    for i in 0..rows {
        file.push_str(&format!("P{i},G7,{},master\n", 25 + i % 30));
    }
    file
}

#[tokio::test]
async fn an_employer_gets_the_same_file_back_with_each_persons_answers() {
    let r = post_file("?lang=en", "text/csv", people(3).into_bytes()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert!(r.header(header::CONTENT_TYPE).starts_with("text/csv"));
    assert!(r
        .header(header::CONTENT_DISPOSITION)
        .contains("zige-batch-check.csv"));
    assert_eq!(r.header("x-zige-people".parse().unwrap()), "3");
    let text = r.text();
    let mut lines = text.trim_start_matches('\u{feff}').lines();
    assert!(lines
        .next()
        .unwrap()
        .starts_with("person,entry,age,education,Entry found,Verdict"));
    assert!(lines.next().unwrap().starts_with("P0,G7,25,master,G7 "));
    let zh = post_file("", "text/csv; charset=utf-8", people(1).into_bytes()).await;
    assert!(
        zh.text().contains("结论"),
        "Chinese unless English is asked for"
    );
}

#[tokio::test]
async fn every_wrong_cell_is_named_by_row_and_column_and_nothing_comes_back() {
    let file = "entry,age\nG7,34\nG7,300\nNOPE,30\n";
    let r = post_file("?lang=en", "text/csv", file.into()).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let errors = r.json()["errors"].as_array().unwrap().clone();
    let at: Vec<(u64, &str, &str)> = errors
        .iter()
        .map(|e| {
            (
                e["row"].as_u64().unwrap(),
                e["column"].as_str().unwrap(),
                e["field"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(at, [(3, "B", "age"), (4, "A", "entry")]);
    assert_eq!(errors[0]["value"], "300");
    assert!(errors[0]["message"]["zh"]
        .as_str()
        .unwrap()
        .starts_with("第 3 行 B 列"));
}

#[tokio::test]
async fn files_that_are_not_spreadsheets_or_too_large_are_refused_clearly() {
    let r = post_file("", "application/json", b"{}".to_vec()).await;
    assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(r.error()["field"], "Content-Type");
    let r = post_file("", XLSX, b"entry\nG7\n".to_vec()).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.error()["field"], "file");
    let r = post_file("", "text/csv", people(10_001).into_bytes()).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(r.error()["field"], "rows");
    let r = post_file("", "text/csv", vec![b'a'; 9 << 20]).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    let r = post_file("?lang=fr", "text/csv", people(1).into_bytes()).await;
    assert_eq!(
        (r.status, r.error()["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("lang"))
    );
    let r = post_file("?catalog=beijing/9.9", "text/csv", people(1).into_bytes()).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_workbook_comes_back_as_a_workbook() {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in ["person", "entry", "age"].iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    sheet.write_string(1, 0, "Ana").unwrap();
    sheet.write_string(1, 1, "G7").unwrap();
    sheet.write_number(1, 2, 34.0).unwrap();
    let r = post_file("?lang=zh", XLSX, book.save_to_buffer().unwrap()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.header(header::CONTENT_TYPE), XLSX);
    let mut answered: Xlsx<_> = open_workbook_from_rs(Cursor::new(r.body)).unwrap();
    let sheet = answered.worksheet_range_at(0).unwrap().unwrap();
    assert_eq!(sheet.get((0, 4)), Some(&Data::String("结论".into())));
    assert_eq!(sheet.get((1, 0)), Some(&Data::String("Ana".into())));
}

#[tokio::test]
async fn the_page_explains_the_columns_and_lists_every_problem_of_a_file() {
    let page = get("/check/batch?lang=en").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.has("experience_years") && page.has("Download a template"));
    let template = get("/check/batch/template.csv").await;
    let (body, content_type) =
        multipart_body("b0und", &[], "people.csv", "text/csv", &template.body);
    let answered = send(
        Request::post("/check/batch?lang=en")
            .header(header::CONTENT_TYPE, content_type)
            .body(Body::from(body))
            .unwrap(),
    )
    .await;
    assert_eq!(
        answered.status,
        StatusCode::OK,
        "the template itself is a good file: {}",
        answered.text()
    );
    assert!(answered.text().contains("Verdict"));
    let (body, content_type) = multipart_body(
        "b0und",
        &[],
        "people.csv",
        "text/csv",
        b"entry,salary\nG7,1\nG7,2\n",
    );
    let refused = send(
        Request::post("/check/batch?lang=en")
            .header(header::CONTENT_TYPE, content_type)
            .body(Body::from(body))
            .unwrap(),
    )
    .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert!(refused.has("id=\"problems\""), "{}", refused.text());
    assert!(refused.has("Row 1, column B"));
}
