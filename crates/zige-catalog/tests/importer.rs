//! The importer rejects broken texts with every problem named by line and
//! column, and never panics, whatever the input.

use proptest::prelude::*;
use zige_catalog::{parse, BUILTIN};

fn official() -> &'static str {
    BUILTIN[0].text
}

fn codes(text: &str) -> Vec<(usize, &'static str)> {
    parse(text.as_bytes())
        .expect_err("text must be rejected")
        .into_iter()
        .map(|d| (d.line, d.code))
        .collect()
}

#[test]
fn a_wrong_declared_total_names_its_line() {
    let text = official().replace("（共计122项）", "（共计123项）");
    assert_eq!(codes(&text), [(7, "total_mismatch")]);
}

#[test]
fn a_wrong_section_count_names_the_heading() {
    let text = official().replace("（7项）", "（8项）");
    assert_eq!(codes(&text), [(9, "section_count_mismatch")]);
}

#[test]
fn a_missing_column_names_the_row() {
    // Row G14 loses its region column.
    let text = official().replace(
        "项目管理协会 Project Management Institute\t美国\t",
        "项目管理协会 Project Management Institute\t",
    );
    let d = parse(text.as_bytes()).unwrap_err();
    let row = official()
        .lines()
        .position(|l| l.starts_with("14\tPMP"))
        .unwrap()
        + 1;
    assert_eq!(
        d.iter().map(|x| (x.line, x.code)).collect::<Vec<_>>(),
        [(row, "column_count")],
        "one bad row is one problem, not a cascade"
    );
}

#[test]
fn a_repeated_number_and_a_gap_are_both_reported() {
    let text = official()
        .replace("\n31\tKubernetes管理员认证", "\n30\tKubernetes管理员认证")
        .replace("\n50\t教师资格证书", "\n51\t教师资格证书");
    let found = codes(&text);
    let line_of = |prefix: &str| {
        official()
            .lines()
            .position(|l| l.starts_with(prefix))
            .unwrap()
            + 1
    };
    assert!(
        found.contains(&(line_of("31\tKubernetes"), "number_sequence")),
        "{found:?}"
    );
    assert!(
        found.contains(&(line_of("50\t教师"), "number_sequence")),
        "{found:?}"
    );
    let d = parse(text.as_bytes()).unwrap_err();
    assert!(
        d.iter().any(|x| x.message.en.contains("repeated")),
        "a repeat is called a repeat"
    );
}

#[test]
fn an_empty_name_or_issuer_names_the_column() {
    let text = official().replace("1\tIEEE会士证书 (Fellow)\t", "1\t \t");
    let d = parse(text.as_bytes()).unwrap_err();
    assert_eq!(d.len(), 1);
    assert_eq!((d[0].line, d[0].column, d[0].code), (12, 3, "empty_cell"));
    assert!(d[0].message.en.contains("qualification name"));
}

#[test]
fn non_utf8_bytes_are_reported_with_their_place() {
    let mut bytes = official().as_bytes().to_vec();
    let at = official().find("CFA特许").unwrap();
    bytes[at] = 0xFF;
    let d = parse(&bytes).unwrap_err();
    assert!(d.iter().any(|x| x.code == "invalid_utf8"), "{d:?}");
}

#[test]
fn a_truncated_text_is_rejected_not_half_read() {
    let mut at = official().len() / 2;
    while !official().is_char_boundary(at) {
        at -= 1;
    }
    let cut = &official()[..at];
    let d = parse(cut.as_bytes()).unwrap_err();
    assert!(
        d.iter().any(|x| x.code == "section_count_mismatch"),
        "{d:?}"
    );
}

#[test]
fn every_problem_is_listed_not_only_the_first() {
    let text = official()
        .replace("（共计122项）", "（共计100项）")
        .replace("（7项）", "（6项）")
        .replace("1\tIEEE会士证书 (Fellow)\t", "1\t\t");
    assert!(codes(&text).len() >= 3);
}

#[test]
fn crlf_line_endings_and_a_byte_order_mark_are_accepted() {
    let text = format!("\u{feff}{}", official().replace('\n', "\r\n"));
    let p = parse(text.as_bytes()).expect("CRLF and BOM are fine");
    assert_eq!(p.sections[1].rows.len(), 115);
}

fn mutate(text: &str, ops: &[(u8, usize, u8)]) -> Vec<u8> {
    let mut bytes = text.as_bytes().to_vec();
    for &(op, at, b) in ops {
        if bytes.is_empty() {
            bytes.push(b);
            continue;
        }
        let at = at % bytes.len();
        match op % 4 {
            0 => bytes[at] = b,
            1 => {
                bytes.remove(at);
            }
            2 => bytes.insert(at, b),
            _ => bytes.truncate(at),
        }
    }
    bytes
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]
    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2000)) {
        let _ = parse(&bytes);
    }

    #[test]
    fn mutated_official_texts_never_panic_and_errors_have_places(ops in proptest::collection::vec((any::<u8>(), any::<usize>(), any::<u8>()), 1..6)) {
        let bytes = mutate(official(), &ops);
        if let Err(diags) = parse(&bytes) {
            prop_assert!(!diags.is_empty());
            for d in diags {
                prop_assert!(d.line >= 1 && d.column >= 1);
            }
        }
    }

    #[test]
    fn mutated_rows_are_caught_or_parse_consistently(line in 0usize..149, tabs in 0usize..9) {
        let mut lines: Vec<String> = official().lines().map(str::to_string).collect();
        if lines[line].contains('\t') && !lines[line].starts_with("序号") {
            let cells: Vec<&str> = lines[line].split('\t').collect();
            lines[line] = cells.iter().take(tabs.max(1)).cloned().collect::<Vec<_>>().join("\t");
        }
        let text = lines.join("\n");
        match parse(text.as_bytes()) {
            Ok(p) => prop_assert_eq!(p.sections.iter().map(|s| s.rows.len()).sum::<usize>(), 122),
            Err(d) => prop_assert!(d.iter().any(|x| x.code == "column_count" || x.code == "total_mismatch" || x.code == "section_count_mismatch" || x.code == "empty_cell" || x.code == "bad_number")),
        }
    }
}
