//! A spreadsheet as text: the header row and the rows below it, every
//! cell as the person typed it (numbers written back as digits).

/// The most people one file may hold, below its header.
pub const MOST_ROWS: usize = 10_000;

/// The most columns read: more than any profile needs.
pub const MOST_COLUMNS: usize = 64;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Table {
    pub head: Vec<String>,
    pub rows: Vec<Vec<String>>,
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

    /// A spreadsheet's row number of a row below the header.
    pub fn row_number(row: usize) -> u32 {
        u32::try_from(row + 2).unwrap_or(u32::MAX)
    }

    /// Drops blank rows and blank columns at the right and bottom edges,
    /// which spreadsheets often keep after a deletion.
    pub fn trimmed(mut self) -> Table {
        while self
            .rows
            .last()
            .is_some_and(|r| r.iter().all(|c| c.trim().is_empty()))
        {
            self.rows.pop();
        }
        while self.head.last().is_some_and(|h| h.trim().is_empty())
            && self
                .rows
                .iter()
                .all(|r| r.len() < self.head.len() || r[self.head.len() - 1].trim().is_empty())
        {
            let width = self.head.len() - 1;
            self.head.truncate(width);
            for r in &mut self.rows {
                r.truncate(width);
            }
        }
        self
    }
}
