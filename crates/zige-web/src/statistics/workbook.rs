//! The report as an XLSX workbook: a first sheet naming the filters and
//! when it was made, then a sheet for each table of [`super::tables`],
//! its heading row bold and frozen, numbers stored as numbers.

use rust_xlsxwriter::{DocProperties, Format, FormatBorder, Workbook, Worksheet, XlsxError};

use super::tables::{Cell, Column, Table};
use crate::i18n::Tr;

/// The formats of a sheet's cells.
struct Formats {
    head: Format,
    count: Format,
    days: Format,
    rate: Format,
    text: Format,
}

impl Formats {
    fn new() -> Formats {
        Formats {
            head: Format::new()
                .set_bold()
                .set_text_wrap()
                .set_align(rust_xlsxwriter::FormatAlign::Top)
                .set_background_color(0xDDEBF7)
                .set_border_bottom(FormatBorder::Thin),
            count: Format::new().set_num_format("#,##0"),
            days: Format::new().set_num_format("0"),
            rate: Format::new().set_num_format("0.0%"),
            text: Format::new().set_align(rust_xlsxwriter::FormatAlign::Top),
        }
    }
}

/// Columns no narrower than this, in characters.
const NARROWEST: usize = 8;
/// Column headings wrap past this width; names past [`WIDEST`].
const HEADING: usize = 18;
const WIDEST: usize = 50;

/// How wide `text` shows, counting a Chinese character as two.
fn shown_width(text: &str) -> usize {
    text.chars()
        .map(|c| if c >= '\u{2E80}' { 2 } else { 1 })
        .sum()
}

fn cell_width(cell: &Cell) -> usize {
    match cell {
        Cell::Text(s) => shown_width(s),
        Cell::Count(n) => n.to_string().len() + n.to_string().len() / 3,
        Cell::Days(_) => 4,
        Cell::Rate(_) => 6,
    }
}

/// The workbook: `about` (label, value) first, then every table.
pub fn workbook(
    tr: &Tr,
    about: &[(String, String)],
    tables: &[Table],
) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    book.set_properties(&DocProperties::new().set_title(tr.msg("reports-title")));
    let formats = Formats::new();
    about_sheet(book.add_worksheet(), tr, about, &formats)?;
    for table in tables {
        let sheet = book.add_worksheet();
        sheet.set_name(&table.title)?;
        if table.name == "total" {
            totals_sheet(sheet, tr, table, &formats)?;
        } else {
            table_sheet(sheet, tr, table, &formats)?;
        }
    }
    book.save_to_buffer()
}

fn about_sheet(
    sheet: &mut Worksheet,
    tr: &Tr,
    about: &[(String, String)],
    f: &Formats,
) -> Result<(), XlsxError> {
    sheet.set_name(tr.msg("stats-sheet-about"))?;
    sheet.write_string_with_format(0, 0, tr.msg("reports-title"), &f.head)?;
    sheet.write_string_with_format(0, 1, "", &f.head)?;
    for (i, (label, value)) in about.iter().enumerate() {
        let row = i as u32 + 1;
        sheet.write_string_with_format(row, 0, label, &f.text)?;
        sheet.write_string_with_format(row, 1, value, &f.text)?;
    }
    let widest = |pick: fn(&(String, String)) -> &String| {
        about
            .iter()
            .map(|p| shown_width(pick(p)))
            .max()
            .unwrap_or(0)
    };
    sheet.set_column_width(0, (widest(|p| &p.0) + 2).clamp(NARROWEST, WIDEST) as f64)?;
    sheet.set_column_width(
        1,
        (widest(|p| &p.1) + 2).clamp(NARROWEST, WIDEST * 2) as f64,
    )?;
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}

/// A table's heading, saying the unit where it is days.
fn heading(tr: &Tr, column: Column, text: &str) -> String {
    match column {
        Column::Median | Column::P90 => tr.with("stats-in-days", &[("what", text.to_string())]),
        _ => text.to_string(),
    }
}

fn write_cell(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    cell: &Cell,
    f: &Formats,
) -> Result<(), XlsxError> {
    match cell {
        Cell::Text(s) => sheet.write_string_with_format(row, col, s, &f.text)?,
        Cell::Count(n) => sheet.write_number_with_format(row, col, *n as f64, &f.count)?,
        Cell::Days(Some(d)) => sheet.write_number_with_format(row, col, f64::from(*d), &f.days)?,
        Cell::Rate(Some(r)) => sheet.write_number_with_format(row, col, *r, &f.rate)?,
        Cell::Days(None) | Cell::Rate(None) => sheet.write_blank(row, col, &f.text)?,
    };
    Ok(())
}

/// A table across: its headings in the first row, frozen and filtered.
fn table_sheet(
    sheet: &mut Worksheet,
    tr: &Tr,
    table: &Table,
    f: &Formats,
) -> Result<(), XlsxError> {
    let mut lines = 1;
    for (col, (column, text)) in table.columns.iter().enumerate() {
        let text = heading(tr, *column, text);
        let data = table
            .rows
            .iter()
            .map(|r| r.get(col).map(cell_width).unwrap_or(0))
            .max()
            .unwrap_or(0);
        let width = data
            .max(shown_width(&text).min(HEADING))
            .clamp(NARROWEST, WIDEST)
            + 2;
        lines = lines.max(shown_width(&text).div_ceil(width - 2));
        sheet.write_string_with_format(0, col as u16, text, &f.head)?;
        sheet.set_column_width(col as u16, width as f64)?;
    }
    sheet.set_row_height(0, 15.0 * lines as f64 + 3.0)?;
    for (i, row) in table.rows.iter().enumerate() {
        for (col, cell) in row.iter().enumerate() {
            write_cell(sheet, i as u32 + 1, col as u16, cell, f)?;
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    let last = table.columns.len().saturating_sub(1) as u16;
    sheet.autofilter(0, 0, table.rows.len() as u32, last)?;
    Ok(())
}

/// A one-line table down the sheet: a figure a line.
fn totals_sheet(
    sheet: &mut Worksheet,
    tr: &Tr,
    table: &Table,
    f: &Formats,
) -> Result<(), XlsxError> {
    let Some(row) = table.rows.first() else {
        return Ok(());
    };
    sheet.write_string_with_format(0, 0, tr.msg("stats-figure"), &f.head)?;
    sheet.write_string_with_format(0, 1, tr.msg("stats-value"), &f.head)?;
    let mut widest = 0;
    let figures = table
        .columns
        .iter()
        .zip(row)
        .filter(|((c, _), _)| *c != Column::Name);
    for (i, ((column, text), cell)) in figures.enumerate() {
        let text = heading(tr, *column, text);
        widest = widest.max(shown_width(&text));
        sheet.write_string_with_format(i as u32 + 1, 0, text, &f.text)?;
        write_cell(sheet, i as u32 + 1, 1, cell, f)?;
    }
    sheet.set_column_width(0, (widest + 2).clamp(NARROWEST, WIDEST) as f64)?;
    sheet.set_column_width(1, 14)?;
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}
