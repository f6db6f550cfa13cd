//! The answered file, in the format it came in: the person's own columns
//! as they were, then the added ones. CSV in UTF-8 with a byte-order mark
//! (so Excel reads the Chinese); XLSX with the header bold and frozen.

use rust_xlsxwriter::{Format as Style, FormatAlign, Workbook, XlsxError};

use crate::table::Table;

/// The rows to write: the original cells and, for a person, the answers
/// (`None` for a blank row, kept blank).
pub struct Answered<'a> {
    pub table: &'a Table,
    pub added_head: Vec<String>,
    pub answers: Vec<Option<Vec<String>>>,
}

impl Answered<'_> {
    fn head(&self) -> Vec<String> {
        let mut head = self.table.head.clone();
        head.extend(self.added_head.iter().cloned());
        head
    }

    /// Row `i`'s cells: the original ones padded to the header's width,
    /// then the answers.
    fn row(&self, i: usize) -> Vec<String> {
        let width = self.table.head.len();
        let mut cells: Vec<String> = (0..width)
            .map(|c| self.table.cell(i, c).to_string())
            .collect();
        if let Some(answers) = &self.answers[i] {
            cells.extend(answers.iter().cloned());
        }
        cells
    }
}

pub fn to_csv(answered: &Answered<'_>) -> Vec<u8> {
    let mut writer = csv::WriterBuilder::new()
        .flexible(true)
        .from_writer(b"\xEF\xBB\xBF".to_vec());
    let mut rows = vec![answered.head()];
    rows.extend((0..answered.answers.len()).map(|i| answered.row(i)));
    for row in rows {
        // Writing to memory cannot fail.
        let _ = writer.write_record(&row);
    }
    writer.into_inner().unwrap_or_default()
}

pub fn to_xlsx(answered: &Answered<'_>) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let bold = Style::new()
        .set_bold()
        .set_text_wrap()
        .set_background_color(0xDDEBF7);
    let wrap = Style::new().set_text_wrap().set_align(FormatAlign::Top);
    let sheet = book.add_worksheet();
    let own = answered.table.head.len();
    for (c, name) in answered.head().iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, name, &bold)?;
        sheet.set_column_width(c as u16, if c < own { 14.0 } else { 40.0 })?;
    }
    sheet.set_freeze_panes(1, 0)?;
    for i in 0..answered.answers.len() {
        let r = i as u32 + 1;
        for (c, cell) in answered.row(i).iter().enumerate() {
            match as_number(cell) {
                Some(n) if c < own => sheet.write_number(r, c as u16, n)?,
                _ => sheet.write_string_with_format(r, c as u16, cell, &wrap)?,
            };
        }
    }
    book.save_to_buffer()
}

/// A cell written back as a number only when the number reads the same
/// (`34`, not `007`, `+5` or an 18-digit staff number Excel would round).
fn as_number(cell: &str) -> Option<f64> {
    let n = cell.parse::<i64>().ok()?;
    (n.to_string() == cell && n.unsigned_abs() < 1_000_000_000_000_000).then_some(n as f64)
}
