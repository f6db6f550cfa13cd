//! Reading a CSV file: UTF-8 with or without a byte-order mark, or
//! GB18030 as Excel on Chinese Windows saves it; comma-separated, rows
//! as long as the header or shorter.

use encoding_rs::GB18030;
use zige_catalog::Bilingual;

use crate::problem::{Kind, Refusal};
use crate::table::{Table, MOST_CELL_BYTES, MOST_COLUMNS, MOST_ROWS};

/// Reads `bytes` as CSV, refusing more than [`MOST_ROWS`] people.
pub fn read_csv(bytes: &[u8]) -> Result<Table, Refusal> {
    let text = decode(bytes)?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    let head = match records.next() {
        Some(r) => cells(&r.map_err(|e| unreadable(&e))?, 1)?,
        None => Vec::new(),
    };
    let (mut rows, mut numbers) = (Vec::new(), Vec::new());
    for record in records {
        let record = record.map_err(|e| unreadable(&e))?;
        if rows.len() == MOST_ROWS {
            return Err(Refusal::too_many_rows(MOST_ROWS));
        }
        let number = line_of(&text, record.position());
        rows.push(cells(&record, number)?);
        numbers.push(number);
    }
    Ok(Table {
        head,
        rows,
        numbers,
    }
    .trimmed())
}

/// The line a record starts on, as a text editor numbers it. The reader
/// skips blank lines, so counting records would drift, and the position
/// it gives is before the blank lines it skipped.
fn line_of(text: &str, position: Option<&csv::Position>) -> u32 {
    let Some(p) = position else { return u32::MAX };
    let at = usize::try_from(p.byte())
        .unwrap_or(usize::MAX)
        .min(text.len());
    let skipped = text.as_bytes()[at..]
        .iter()
        .take_while(|b| matches!(b, b'\r' | b'\n'))
        .filter(|b| **b == b'\n')
        .count() as u64;
    u32::try_from(p.line() + skipped).unwrap_or(u32::MAX)
}

/// A record's cells, the first [`MOST_COLUMNS`] + 1 (more is an unknown
/// column either way), none longer than [`MOST_CELL_BYTES`].
fn cells(record: &csv::StringRecord, row: u32) -> Result<Vec<String>, Refusal> {
    let mut out = Vec::with_capacity(record.len().min(MOST_COLUMNS + 1));
    for (i, cell) in record.iter().take(MOST_COLUMNS + 1).enumerate() {
        if cell.len() > MOST_CELL_BYTES {
            return Err(Refusal::cell_too_long(row, i, MOST_CELL_BYTES));
        }
        out.push(cell.to_string());
    }
    Ok(out)
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
