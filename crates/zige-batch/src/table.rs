//! A spreadsheet as text: the header row and the rows below it, every
//! cell as the person typed it (numbers written back as digits), each row
//! with the number a spreadsheet (or, for CSV, a text editor) shows it at.

/// The most people one file may hold, below its header.
pub const MOST_ROWS: usize = 10_000;

/// The most columns read: more than any profile needs.
pub const MOST_COLUMNS: usize = 64;

/// The longest cell, in bytes: far more than any profile value or name.
pub const MOST_CELL_BYTES: usize = 1_000;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Table {
    pub head: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// The row number of each row (the header is row 1).
    pub numbers: Vec<u32>,
}

impl Table {
    /// The cell at `row` (0 = first row below the header) and `column`,
    /// empty when the row is shorter.
    pub fn cell(&self, row: usize, column: usize) -> &str {
        self.rows[row].get(column).map(String::as_str).unwrap_or("")
    }

    /// Whether a row has nothing in it (a blank line between people).
    pub fn is_blank(&self, row: usize) -> bool {
        self.rows[row].iter().all(|c| c.trim().is_empty())
    }

    /// The number the reader sees row `row` at.
    pub fn row_number(&self, row: usize) -> u32 {
        self.numbers.get(row).copied().unwrap_or(u32::MAX)
    }

    /// Drops blank rows at the bottom and blank columns at the right, which
    /// spreadsheets often keep after a deletion.
    pub fn trimmed(mut self) -> Table {
        while self
            .rows
            .last()
            .is_some_and(|r| r.iter().all(|c| c.trim().is_empty()))
        {
            self.rows.pop();
        }
        self.numbers.truncate(self.rows.len());
        let used = |cells: &Vec<String>| {
            cells
                .iter()
                .rposition(|c| !c.trim().is_empty())
                .map_or(0, |i| i + 1)
        };
        let width = self
            .rows
            .iter()
            .map(used)
            .chain([used(&self.head)])
            .max()
            .unwrap_or(0);
        self.head.truncate(width);
        for r in &mut self.rows {
            r.truncate(width);
        }
        self
    }
}
