//! Reading a CSV file: UTF-8 with or without a byte-order mark, or
//! GB18030 as Excel on Chinese Windows saves it; comma-separated, rows
//! as long as the header or shorter.

use encoding_rs::GB18030;
use zige_catalog::Bilingual;

use crate::problem::{Kind, Refusal};
use crate::table::{Table, MOST_COLUMNS, MOST_ROWS};

/// Reads `bytes` as CSV, refusing more than [`MOST_ROWS`] people.
pub fn read_csv(bytes: &[u8]) -> Result<Table, Refusal> {
    let text = decode(bytes)?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    let head = match records.next() {
        Some(Ok(r)) => r.iter().map(str::to_string).collect(),
        Some(Err(e)) => return Err(unreadable(&e)),
        None => Vec::new(),
    };
    let mut rows = Vec::new();
    for record in records {
        let record = record.map_err(|e| unreadable(&e))?;
        if rows.len() == MOST_ROWS {
            return Err(Refusal::too_many_rows(MOST_ROWS));
        }
        rows.push(
            record
                .iter()
                .take(MOST_COLUMNS + 1)
                .map(str::to_string)
                .collect(),
        );
    }
    Ok(Table { head, rows }.trimmed())
}

/// The text of the file: UTF-8 (a BOM dropped), else GB18030.
fn decode(bytes: &[u8]) -> Result<String, Refusal> {
    if crate::Format::of(bytes) == crate::Format::Xlsx {
        return Err(Refusal::file(
            Kind::Unreadable,
            "(an XLSX workbook)",
            "CSV text; a workbook is sent as application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Bilingual::new(
                "该文件是 XLSX 工作簿而不是 CSV 文本：请按工作簿类型上传。",
                "This file is an XLSX workbook, not CSV text: send it as a workbook.",
            ),
        ));
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok(text.to_string());
    }
    let (text, had_errors) = GB18030.decode_without_bom_handling(bytes);
    if had_errors || text.contains('\0') {
        return Err(Refusal::file(
            Kind::Unreadable,
            "(bytes)",
            "CSV text in UTF-8 or GB18030",
            Bilingual::new(
                "无法把文件读作 CSV 文本：请在电子表格中“另存为”CSV（UTF-8）后重新上传，或直接上传 XLSX 文件。",
                "The file cannot be read as CSV text: save it from your spreadsheet as CSV (UTF-8) and upload it again, or upload the XLSX file itself.",
            ),
        ));
    }
    Ok(text.into_owned())
}

fn unreadable(error: &csv::Error) -> Refusal {
    let line = error
        .position()
        .map(|p| p.line().to_string())
        .unwrap_or_else(|| "?".into());
    Refusal::file(
        Kind::Unreadable,
        &format!("line {line}"),
        "comma-separated values",
        Bilingual::new(
            format!("第 {line} 行无法读作 CSV：请检查引号是否成对。"),
            format!("Line {line} cannot be read as CSV: check that its quotes come in pairs."),
        ),
    )
}
