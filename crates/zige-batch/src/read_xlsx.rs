//! Reading an XLSX workbook's first sheet, cell by cell. The archive is
//! measured first: too many entries, entries that unpack to more than a
//! batch could need, or a string table announcing more strings than it
//! could hold are refused before calamine reads it; then no cell may be
//! longer than [`MOST_CELL_BYTES`] nor the cells together more than
//! [`MOST_TABLE_BYTES`]. So a small file can fill neither memory nor time.

use std::io::{Cursor, Read};

use calamine::{open_workbook_from_rs, DataRef, Reader, Xlsx};
use zige_catalog::Bilingual;

use crate::problem::{Kind, Refusal};
use crate::table::{Table, MOST_CELL_BYTES, MOST_COLUMNS, MOST_ROWS};

/// The most bytes one entry of the archive may unpack to.
const MOST_UNPACKED: u64 = 64 << 20;

/// The most bytes all entries together may unpack to.
const MOST_UNPACKED_IN_ALL: u64 = 128 << 20;

/// The most entries an archive may hold (a workbook has a dozen or so).
const MOST_ENTRIES: usize = 1_000;

/// The most bytes of text all cells together may hold.
const MOST_TABLE_BYTES: usize = 16 << 20;

/// How far into the string table its opening tag is looked for.
const STRING_TABLE_HEAD: usize = 64 << 10;

/// The most distinct strings a workbook's string table may announce.
const MOST_STRINGS: u64 = 1_000_000;

/// Reads the first sheet of the workbook in `bytes`.
pub fn read_xlsx(bytes: &[u8]) -> Result<Table, Refusal> {
    measure(bytes)?;
    let mut book: Xlsx<_> =
        open_workbook_from_rs(Cursor::new(bytes)).map_err(|_| not_a_workbook())?;
    let first = book
        .sheet_names()
        .first()
        .cloned()
        .ok_or_else(not_a_workbook)?;
    let mut cells = book
        .worksheet_cells_reader(&first)
        .map_err(|_| not_a_workbook())?;
    let mut grid: Vec<Vec<String>> = Vec::new();
    let mut bytes_in_all = 0;
    while let Some(cell) = cells.next_cell().map_err(|_| not_a_workbook())? {
        let (row, column) = cell.get_position();
        let (row, column) = (row as usize, column as usize);
        if column > MOST_COLUMNS || blank(cell.get_value()) {
            continue;
        }
        if row > MOST_ROWS {
            return Err(Refusal::too_many_rows(MOST_ROWS));
        }
        let text = cell_text(cell.get_value(), row, column)?;
        bytes_in_all += text.len();
        if bytes_in_all > MOST_TABLE_BYTES {
            return Err(too_large());
        }
        if grid.len() <= row {
            grid.resize(row + 1, Vec::new());
        }
        let line = &mut grid[row];
        if line.len() <= column {
            line.resize(column + 1, String::new());
        }
        line[column] = text;
    }
    let mut rows = grid.into_iter();
    let head = rows.next().unwrap_or_default();
    let rows: Vec<Vec<String>> = rows.collect();
    let numbers = (2..).take(rows.len()).collect();
    Ok(Table {
        head,
        rows,
        numbers,
    }
    .trimmed())
}

/// An empty cell, or one holding only spaces.
fn blank(value: &DataRef<'_>) -> bool {
    match value {
        DataRef::Empty => true,
        DataRef::String(s) => s.trim().is_empty(),
        DataRef::SharedString(s) => s.trim().is_empty(),
        _ => false,
    }
}

/// A cell as the person sees it: whole numbers without a decimal point,
/// `TRUE`/`FALSE` as `true`/`false`; refused when longer than any value
/// of a profile (before it is copied).
fn cell_text(value: &DataRef<'_>, row: usize, column: usize) -> Result<String, Refusal> {
    let long = |s: &str| s.len() > MOST_CELL_BYTES;
    let text = match value {
        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) if long(s) => None,
        DataRef::SharedString(s) if long(s) => None,
        DataRef::Empty => Some(String::new()),
        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => Some(s.clone()),
        DataRef::SharedString(s) => Some(s.to_string()),
        DataRef::Int(n) => Some(n.to_string()),
        DataRef::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => Some(format!("{}", *f as i64)),
        DataRef::Float(f) => Some(f.to_string()),
        DataRef::Bool(b) => Some(b.to_string()),
        DataRef::DateTime(d) => Some(d.as_f64().to_string()),
        DataRef::Error(e) => Some(format!("#{e:?}")),
    };
    let number = u32::try_from(row + 1).unwrap_or(u32::MAX);
    text.ok_or_else(|| Refusal::cell_too_long(number, column, MOST_CELL_BYTES))
}

/// Refuses an archive of more than [`MOST_ENTRIES`] entries, any entry
/// unpacking to more than [`MOST_UNPACKED`], all of them to more than
/// [`MOST_UNPACKED_IN_ALL`], or a string table announcing more than
/// [`MOST_STRINGS`] strings. Each entry is unpacked to count its bytes:
/// the sizes an archive declares can lie.
fn measure(bytes: &[u8]) -> Result<(), Refusal> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| not_a_workbook())?;
    if archive.len() > MOST_ENTRIES {
        return Err(too_large());
    }
    let mut in_all = 0;
    for i in 0..archive.len() {
        let entry = archive.by_index(i).map_err(|_| not_a_workbook())?;
        // calamine finds the string table whatever the case of its name.
        let strings = entry
            .name()
            .is_ok_and(|n| n.to_ascii_lowercase().ends_with("sharedstrings.xml"));
        let mut limited = entry.take(MOST_UNPACKED + 1);
        let mut head = vec![0u8; STRING_TABLE_HEAD];
        let got = read_up_to(&mut limited, &mut head)?;
        if strings && announced_strings(&head[..got]).is_none_or(|n| n > MOST_STRINGS) {
            return Err(too_large());
        }
        let rest =
            std::io::copy(&mut limited, &mut std::io::sink()).map_err(|_| not_a_workbook())?;
        let size = got as u64 + rest;
        in_all += size;
        if size > MOST_UNPACKED || in_all > MOST_UNPACKED_IN_ALL {
            return Err(too_large());
        }
    }
    Ok(())
}

/// Fills `buf` as far as the reader goes.
fn read_up_to(reader: &mut impl Read, buf: &mut [u8]) -> Result<usize, Refusal> {
    let mut got = 0;
    while got < buf.len() {
        match reader.read(&mut buf[got..]) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(_) => return Err(not_a_workbook()),
        }
    }
    Ok(got)
}

/// The largest of the `uniqueCount` and `count` attributes of a string
/// table's opening tag (`<sst …>` with any prefix, either quote, spaces
/// around `=`); `None` when the tag is not in `head`.
fn announced_strings(head: &[u8]) -> Option<u64> {
    let text = String::from_utf8_lossy(head);
    let start = text.find("sst ").or_else(|| text.find("sst>"))?;
    let tag = &text[start..start + text[start..].find('>')?];
    let mut most = 0;
    for name in ["uniqueCount", "count"] {
        let mut rest = tag;
        while let Some(at) = rest.find(name) {
            rest = &rest[at + name.len()..];
            let value = rest.trim_start().strip_prefix('=').map(str::trim_start);
            let Some(value) = value.and_then(|v| v.strip_prefix(['"', '\''])) else {
                continue;
            };
            let digits: String = value.chars().take_while(char::is_ascii_digit).collect();
            most = most.max(digits.parse::<u64>().unwrap_or(u64::MAX));
        }
    }
    Some(most)
}

fn not_a_workbook() -> Refusal {
    Refusal::file(
        Kind::Unreadable,
        "(bytes)",
        "an XLSX workbook (Excel 2007 or later)",
        Bilingual::new(
            "无法把文件读作 XLSX 工作簿：请在电子表格中另存为 .xlsx（Excel 工作簿）或 CSV 后重新上传。",
            "The file cannot be read as an XLSX workbook: save it from your spreadsheet as .xlsx (Excel workbook) or as CSV and upload it again.",
        ),
    )
}

fn too_large() -> Refusal {
    Refusal::file(
        Kind::TooLarge,
        "(workbook)",
        "a workbook of at most 10,000 people",
        Bilingual::new(
            "工作簿解压后过大，不可能只是一份不超过 10,000 人的名单：请只保留名单所在的工作表，另存后重新上传。",
            "The workbook unpacks to far more than a list of 10,000 people could need: keep only the sheet with the list, save it and upload it again.",
        ),
    )
}
