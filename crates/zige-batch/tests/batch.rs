//! Batch checks as an employer's HR officer meets them: a file of people
//! in, the same file back with answers, or every wrong cell named.

use std::io::{Cursor, Write};

use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};
use proptest::prelude::*;
use zige_batch::{check, Checked, Format, Kind, Refusal, MOST_ROWS};
use zige_catalog::{default_catalog, Lang};
use zige_rules::Policy;

fn run(file: &[u8], lang: Lang) -> Result<Checked, Refusal> {
    check(
        file,
        Format::of(file),
        default_catalog(),
        Policy::builtin(),
        lang,
    )
}

fn csv_rows(bytes: &[u8]) -> Vec<Vec<String>> {
    assert!(
        bytes.starts_with(b"\xEF\xBB\xBF"),
        "a BOM so that Excel reads Chinese"
    );
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(&bytes[3..]);
    reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

const PEOPLE: &str = "person,entry,level,experience_years,age,beijing_employer\n\
Ana Silva,G7,,5,34,true\n\
,,,,,\n\
Li Wei,U1,,,45,yes\n";

#[test]
fn every_person_gets_an_answer_beside_their_own_cells() {
    let out = run(PEOPLE.as_bytes(), Lang::En).expect("a good file is answered");
    assert_eq!(out.format, Format::Csv);
    assert_eq!(out.people, 2);
    let rows = csv_rows(&out.bytes);
    assert_eq!(
        rows[0][..6],
        [
            "person",
            "entry",
            "level",
            "experience_years",
            "age",
            "beijing_employer"
        ]
    );
    assert_eq!(rows[0][6..8], ["Entry found", "Verdict"]);
    assert_eq!(rows[1][0], "Ana Silva");
    assert!(rows[1][6].starts_with("G7 "), "{:?}", rows[1]);
    assert!(rows[1][7].contains("recognised"), "{:?}", rows[1]);
    assert!(
        rows[2].iter().all(String::is_empty),
        "a blank row stays blank: {:?}",
        rows
    );
    assert_eq!(rows[3][0], "Li Wei");
    assert_eq!(rows.len(), 4);
}

#[test]
fn answers_are_in_the_language_asked_for() {
    let out = run(PEOPLE.as_bytes(), Lang::Zh).unwrap();
    let rows = csv_rows(&out.bytes);
    assert_eq!(rows[0][7], "结论");
    assert!(rows[1][7].contains("认可"), "{:?}", rows[1]);
}

#[test]
fn every_wrong_cell_is_named_by_its_row_and_column_and_nothing_is_answered() {
    let file = "entry,age,education\nG7,34,master\nG7,200,master\nZZ99,30,wizard\n";
    let refusal = run(file.as_bytes(), Lang::En).unwrap_err();
    let at: Vec<(Option<u32>, Option<String>, String)> = refusal
        .problems
        .iter()
        .map(|p| (p.row, p.column.clone(), p.field.clone()))
        .collect();
    assert_eq!(
        at,
        [
            (Some(3), Some("B".into()), "age".into()),
            (Some(4), Some("A".into()), "entry".into()),
            (Some(4), Some("C".into()), "education".into()),
        ]
    );
    assert!(refusal.problems[0]
        .message
        .en
        .starts_with("Row 3, column B (age):"));
    assert!(refusal.problems[0]
        .message
        .zh
        .starts_with("第 3 行 B 列（age）"));
    assert_eq!(refusal.problems[0].value, "200");
}

#[test]
fn unknown_columns_and_values_beyond_the_header_are_refused() {
    let r = run(b"entry,salary\nG7,100\n", Lang::En).unwrap_err();
    assert_eq!(r.problems[0].kind, Kind::Column);
    assert_eq!(r.problems[0].column.as_deref(), Some("B"));
    let r = run(b"entry,age\nG7,30,oops\n", Lang::En).unwrap_err();
    assert_eq!(
        (r.problems[0].row, r.problems[0].column.as_deref()),
        (Some(2), Some("C"))
    );
}

#[test]
fn a_file_with_nobody_in_it_is_refused() {
    let r = run(b"entry,age\n", Lang::En).unwrap_err();
    assert_eq!(r.problems[0].field, "rows");
    let r = run(b"", Lang::En).unwrap_err();
    assert_eq!(
        r.problems[0].field, "entry",
        "no entry column in an empty file"
    );
}

#[test]
fn ten_thousand_people_are_answered_and_one_more_is_refused() {
    let mut file = String::from("entry,age\n");
    for i in 0..MOST_ROWS {
        file.push_str(&format!("G7,{}\n", 20 + i % 40));
    }
    assert_eq!(run(file.as_bytes(), Lang::En).unwrap().people, MOST_ROWS);
    file.push_str("G7,30\n");
    let r = run(file.as_bytes(), Lang::En).unwrap_err();
    assert_eq!(r.problems[0].kind, Kind::TooLarge);
    assert!(r.problems[0].message.en.contains("10000"));
}

#[test]
fn csv_saved_by_excel_on_chinese_windows_is_read() {
    let (gbk, _, _) = encoding_rs::GB18030.encode("姓名,entry,年龄\n王芳,G7,30\n");
    let out = run(&gbk, Lang::Zh).unwrap();
    let rows = csv_rows(&out.bytes);
    assert_eq!(rows[1][0], "王芳");
    assert_eq!(rows[0][2], "年龄");
}

fn workbook(rows: &[&[&str]]) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            match cell.parse::<f64>() {
                Ok(n) => sheet.write_number(r as u32, c as u16, n).unwrap(),
                Err(_) => sheet.write_string(r as u32, c as u16, *cell).unwrap(),
            };
        }
    }
    book.save_to_buffer().unwrap()
}

#[test]
fn a_workbook_comes_back_as_a_workbook_with_its_numbers_read_as_typed() {
    let file = workbook(&[
        &["person", "entry", "age"],
        &["Ana", "G7", "34"],
        &["Bo", "G7", "200"],
    ]);
    let r = run(&file, Lang::En).unwrap_err();
    assert_eq!(
        (r.problems[0].row, r.problems[0].value.as_str()),
        (Some(3), "200")
    );
    let file = workbook(&[&["person", "entry", "age"], &["Ana", "G7", "34"]]);
    let out = run(&file, Lang::En).unwrap();
    assert_eq!(out.format, Format::Xlsx);
    let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(out.bytes)).unwrap();
    let sheet = book.worksheet_range_at(0).unwrap().unwrap();
    assert_eq!(sheet.get((0, 4)), Some(&Data::String("Verdict".into())));
    assert_eq!(sheet.get((1, 2)), Some(&Data::Float(34.0)));
    assert!(matches!(sheet.get((1, 4)), Some(Data::String(v)) if v.contains("recognised")));
}

/// A ZIP archive of the given entries, deflated.
fn archive(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in entries {
        zip.start_file(*name, options).unwrap();
        zip.write_all(data).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

#[test]
fn a_small_archive_that_unpacks_to_gigabytes_is_refused_unread() {
    let zeros = vec![0u8; 80 << 20];
    let bomb = archive(&[("xl/worksheets/sheet1.xml", &zeros)]);
    assert!(bomb.len() < 1 << 20, "the archive is small: {}", bomb.len());
    let r = run(&bomb, Lang::En).unwrap_err();
    assert_eq!(r.problems[0].kind, Kind::TooLarge);
    let strings = br#"<?xml version="1.0"?><sst xmlns="x" count="99999999999999" uniqueCount="99999999999999"></sst>"#;
    let r = run(&archive(&[("xl/sharedStrings.xml", strings)]), Lang::En).unwrap_err();
    assert_eq!(r.problems[0].kind, Kind::TooLarge);
}

#[test]
fn a_file_that_is_neither_csv_nor_a_workbook_is_refused() {
    let r = run(&[0xff, 0xfe, 0x00, 0x81, 0x00, 0x00], Lang::En).unwrap_err();
    assert_eq!(r.problems[0].kind, Kind::Unreadable);
    let r = run(b"PK\x03\x04not really a zip", Lang::En).unwrap_err();
    assert_eq!(r.problems[0].kind, Kind::Unreadable);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]
    #[test]
    fn any_bytes_get_an_answer_or_a_named_refusal(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        if let Err(r) = run(&bytes, Lang::En) {
            prop_assert!(!r.problems.is_empty());
        }
    }

    #[test]
    fn any_csv_text_gets_an_answer_or_a_named_refusal(text in "(entry|age|level|x)(,(entry|age|level|x)){0,3}\n([A-Z0-9,\" ]{0,20}\n){0,5}") {
        if let Err(r) = run(text.as_bytes(), Lang::Zh) {
            prop_assert!(r.problems.iter().all(|p| !p.message.zh.is_empty()));
        }
    }
}

#[test]
fn a_row_after_a_blank_line_is_named_by_the_line_it_is_on() {
    let r = run(b"entry,age\nG7,30\n\nG7,300\n", Lang::En).unwrap_err();
    assert_eq!(r.problems[0].row, Some(4));
}

#[test]
fn a_header_of_a_million_empty_columns_is_trimmed_and_a_huge_cell_refused() {
    let mut wide = String::from("entry");
    wide.push_str(&",".repeat(1_000_000));
    wide.push_str("\nG7\n");
    assert_eq!(run(wide.as_bytes(), Lang::En).unwrap().people, 1);
    let long = format!("entry,person\nG7,{}\n", "x".repeat(5_000));
    let r = run(long.as_bytes(), Lang::En).unwrap_err();
    assert_eq!(
        (r.problems[0].row, r.problems[0].column.as_deref()),
        (Some(2), Some("B"))
    );
}

#[test]
fn a_string_table_announcing_billions_is_refused_however_it_is_written() {
    let big = "99999999999";
    let tables = [
        format!(r#"<sst uniqueCount="{big}">"#),
        format!(r#"<sst uniqueCount = '{big}'>"#),
        format!(
            r#"<!--{}--><x:sst xmlns:x="y" count="{big}">"#,
            "c".repeat(2_000)
        ),
    ];
    for table in tables {
        for name in ["xl/sharedStrings.xml", "xl/SharedStrings.XML"] {
            let file = archive(&[(name, table.as_bytes())]);
            let r = run(&file, Lang::En).unwrap_err();
            assert_eq!(r.problems[0].kind, Kind::TooLarge, "{name}: {table:.80}");
        }
    }
}

#[test]
fn an_archive_of_thousands_of_entries_is_refused_unread() {
    let names: Vec<String> = (0..1_001).map(|i| format!("x/{i}.xml")).collect();
    let entries: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), &b"<x/>"[..])).collect();
    let r = run(&archive(&entries), Lang::En).unwrap_err();
    assert_eq!(r.problems[0].kind, Kind::TooLarge);
}

#[test]
fn a_workbook_keeps_staff_numbers_as_typed() {
    let file = workbook(&[&["person", "entry"], &["007", "G7"]]);
    // The helper writes "007" as the number 7; write it as text instead.
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.write_string(0, 0, "person").unwrap();
    sheet.write_string(0, 1, "entry").unwrap();
    sheet.write_string(1, 0, "007").unwrap();
    sheet.write_string(1, 1, "G7").unwrap();
    let out = run(&book.save_to_buffer().unwrap(), Lang::En).unwrap();
    let mut answered: Xlsx<_> = open_workbook_from_rs(Cursor::new(out.bytes)).unwrap();
    let range = answered.worksheet_range_at(0).unwrap().unwrap();
    assert_eq!(range.get((1, 0)), Some(&Data::String("007".into())));
    assert!(run(&file, Lang::En).is_ok());
}
