//! Reading an XLSX workbook's first sheet, cell by cell. The archive is
//! measured first: an entry that unpacks to more than a batch could need,
//! or a string table announcing more strings than it could hold, is
//! refused before calamine reads it, so a small file cannot fill memory.

use std::io::{Cursor, Read};

use calamine::{open_workbook_from_rs, DataRef, Reader, Xlsx};
use zige_catalog::Bilingual;

use crate::problem::{Kind, Refusal};
use crate::table::{Table, MOST_COLUMNS, MOST_ROWS};

/// The most bytes one entry of the archive may unpack to.
const MOST_UNPACKED: u64 = 64 << 20;

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
    while let Some(cell) = cells.next_cell().map_err(|_| not_a_workbook())? {
        let (row, column) = cell.get_position();
        let (row, column) = (row as usize, column as usize);
        if row > MOST_ROWS {
            return Err(Refusal::too_many_rows(MOST_ROWS));
        }
        if column > MOST_COLUMNS {
            continue;
        }
        let text = cell_text(cell.get_value());
        if text.is_empty() {
            continue;
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
    Ok(Table {
        head,
        rows: rows.collect(),
    }
    .trimmed())
}

/// A cell as the person sees it: whole numbers without a decimal point,
/// `TRUE`/`FALSE` as `true`/`false`.
fn cell_text(value: &DataRef<'_>) -> String {
    match value {
        DataRef::Empty => String::new(),
        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::SharedString(s) => s.to_string(),
        DataRef::Int(n) => n.to_string(),
        DataRef::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        DataRef::Float(f) => f.to_string(),
        DataRef::Bool(b) => b.to_string(),
        DataRef::DateTime(d) => d.as_f64().to_string(),
        DataRef::Error(e) => format!("#{e:?}"),
    }
}

/// Refuses an archive whose entries unpack to more than
/// [`MOST_UNPACKED`] each, or whose string table announces more than
/// [`MOST_STRINGS`] strings. Each entry is unpacked to count its bytes:
/// the sizes an archive declares can lie.
fn measure(bytes: &[u8]) -> Result<(), Refusal> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| not_a_workbook())?;
    for i in 0..archive.len() {
        let entry = archive.by_index(i).map_err(|_| not_a_workbook())?;
        let strings = entry.name().is_ok_and(|n| n.ends_with("sharedStrings.xml"));
        let mut limited = entry.take(MOST_UNPACKED + 1);
        let mut start = vec![0u8; 512];
        let got = read_up_to(&mut limited, &mut start)?;
        if strings && announced_strings(&start[..got]) > MOST_STRINGS {
            return Err(too_large());
        }
        let rest =
            std::io::copy(&mut limited, &mut std::io::sink()).map_err(|_| not_a_workbook())?;
        if got as u64 + rest > MOST_UNPACKED {
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

/// The `uniqueCount` (else `count`) of a string table's opening tag.
fn announced_strings(start: &[u8]) -> u64 {
    let text = String::from_utf8_lossy(start);
    ["uniqueCount=\"", " count=\""]
        .iter()
        .filter_map(|attr| {
            let at = text.find(attr)? + attr.len();
            let digits: String = text[at..]
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            Some(digits.parse::<u64>().unwrap_or(u64::MAX))
        })
        .max()
        .unwrap_or(0)
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
