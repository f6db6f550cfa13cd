//! Batch checks for employers: a spreadsheet of people in (one profile
//! per row, the header naming the profile's fields), the same spreadsheet
//! out with each person's verdict, title, benefits and unmet conditions
//! added in the reader's language. All or nothing: when any cell is
//! wrong, every wrong cell is named by row and column and no row is
//! answered.
//!
//! Reading (`read_csv`, `read_xlsx`), the header (`columns`), the answers
//! (`answers`) and writing (`write`) are one module each; this file runs
//! them in order.

mod answers;
mod columns;
mod problem;
mod read_csv;
mod read_xlsx;
mod rows;
mod table;
mod write;

use zige_catalog::{Catalog, Lang};
use zige_rules::Policy;

pub use columns::{allowed_headers, PERSON};
pub use problem::{column_letter, Kind, Problem, Refusal, MOST_LISTED};
pub use table::{MOST_COLUMNS, MOST_ROWS};

/// The two formats a batch may come in, told apart by content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Xlsx,
}

pub const CSV_TYPE: &str = "text/csv";
pub const XLSX_TYPE: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

impl Format {
    /// The format of a file: an XLSX workbook is a ZIP archive; anything
    /// else is read as CSV text.
    pub fn of(bytes: &[u8]) -> Format {
        if bytes.starts_with(b"PK\x03\x04") {
            Format::Xlsx
        } else {
            Format::Csv
        }
    }

    pub fn media_type(self) -> &'static str {
        match self {
            Format::Csv => "text/csv; charset=utf-8",
            Format::Xlsx => XLSX_TYPE,
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
        }
    }
}

/// The answered file.
#[derive(Debug, Clone)]
pub struct Checked {
    pub format: Format,
    pub bytes: Vec<u8>,
    /// The people checked (rows that were not blank).
    pub people: usize,
}

/// Checks every person of `file`, read as `format`, under `catalog` and
/// `policy`, and answers in `lang`, in the same format.
pub fn check(
    file: &[u8],
    format: Format,
    catalog: &Catalog,
    policy: &Policy,
    lang: Lang,
) -> Result<Checked, Refusal> {
    let table = match format {
        Format::Csv => read_csv::read_csv(file)?,
        Format::Xlsx => read_xlsx::read_xlsx(file)?,
    };
    let columns = columns::columns(&table)?;
    let answers = rows::answer_rows(&table, &columns, catalog, policy, lang)?;
    let people = answers.iter().flatten().count();
    let answered = write::Answered {
        table: &table,
        added_head: answers::headers(lang),
        answers,
    };
    let bytes = match format {
        Format::Csv => write::to_csv(&answered),
        Format::Xlsx => write::to_xlsx(&answered).map_err(|e| unwritable(&e))?,
    };
    Ok(Checked {
        format,
        bytes,
        people,
    })
}

fn unwritable(error: &rust_xlsxwriter::XlsxError) -> Refusal {
    Refusal::file(
        Kind::Unreadable,
        &error.to_string(),
        "cells a workbook can hold",
        zige_catalog::Bilingual::new(
            "无法写出答复工作簿：某个单元格超出了 Excel 的限制。请检查文件中是否有异常长的内容。",
            format!("The answered workbook could not be written ({error}): a cell is beyond what Excel holds. Check the file for unusually long content."),
        ),
    )
}
