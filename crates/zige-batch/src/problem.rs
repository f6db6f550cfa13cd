//! What can be wrong with a batch file, worded in both languages: the
//! file as a whole (not a spreadsheet, too large, too many rows), a
//! column (unknown, repeated, `entry` missing) or a cell (named by its
//! row as a spreadsheet numbers it, the header being row 1, and its
//! column letter).

use zige_catalog::Bilingual;

/// The most problems listed; the rest are counted.
pub const MOST_LISTED: usize = 1000;

/// What kind of refusal a problem is, for the status an adapter gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The file cannot be read as the format it was sent as.
    Unreadable,
    /// More rows or bytes than a batch may hold.
    TooLarge,
    /// A header cell that is not a profile field, or one given twice.
    Column,
    /// A value a profile field does not allow.
    Cell,
}

/// One thing wrong, with where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub kind: Kind,
    /// The row as a spreadsheet shows it (the header is row 1).
    pub row: Option<u32>,
    /// The column's letter, `A`, `B`, … `AA`.
    pub column: Option<String>,
    /// The profile field of the column, or `file`, `rows`, `column`.
    pub field: String,
    /// What was given.
    pub value: String,
    /// What is allowed, in English as the API contract states it.
    pub allowed: String,
    /// The whole message for a person, where and what.
    pub message: Bilingual,
}

/// Why a file was not checked: every problem found (up to
/// [`MOST_LISTED`]) and how many more there were. Nothing of the file
/// was checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub problems: Vec<Problem>,
    /// Problems found beyond those listed.
    pub more: usize,
}

impl Refusal {
    pub fn one(problem: Problem) -> Refusal {
        Refusal {
            problems: vec![problem],
            more: 0,
        }
    }

    /// A refusal of the whole file.
    pub fn file(kind: Kind, value: &str, allowed: &str, message: Bilingual) -> Refusal {
        Refusal::one(Problem {
            kind,
            row: None,
            column: None,
            field: "file".into(),
            value: value.into(),
            allowed: allowed.into(),
            message,
        })
    }

    /// The file holds more than `max` people.
    pub fn too_many_rows(max: usize) -> Refusal {
        let mut r = Refusal::file(
            Kind::TooLarge,
            &format!("more than {max} rows"),
            &format!("at most {max} people, one per row, below the header"),
            Bilingual::new(
                format!("文件超过 {max} 行：每个文件最多 {max} 人（标题行之外每行一人），请分成几个文件上传。"),
                format!("The file has more than {max} rows: at most {max} people per file (one per row below the header). Split it into several files."),
            ),
        );
        r.problems[0].field = "rows".into();
        r
    }

    /// A cell far longer than any value of a profile.
    pub fn cell_too_long(row: u32, column: usize, most: usize) -> Refusal {
        let column = column_letter(column);
        Refusal::one(Problem {
            kind: Kind::TooLarge,
            row: Some(row),
            column: Some(column.clone()),
            field: "cell".into(),
            value: format!("more than {most} bytes"),
            allowed: format!("at most {most} bytes in a cell"),
            message: Bilingual::new(
                format!("第 {row} 行 {column} 列：单元格内容过长（超过 {most} 字节），请只填写该字段的值。"),
                format!("Row {row}, column {column}: the cell is too long (more than {most} bytes); enter only the field's value."),
            ),
        })
    }

    /// Collects problems, keeping the first [`MOST_LISTED`].
    pub fn push(&mut self, problem: Problem) {
        if self.problems.len() < MOST_LISTED {
            self.problems.push(problem);
        } else {
            self.more += 1;
        }
    }

    pub fn is_empty(&self) -> bool {
        self.problems.is_empty()
    }
}

/// A column's letters as a spreadsheet shows them: 0 → `A`, 26 → `AA`.
pub fn column_letter(index: usize) -> String {
    let mut n = index + 1;
    let mut out = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        out.push(b'A' + rem as u8);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// "Row 5, column D (age): …" in both languages.
pub fn at_cell(row: u32, column: &str, header: &str, what: &Bilingual) -> Bilingual {
    Bilingual::new(
        format!("第 {row} 行 {column} 列（{header}）：{}", what.zh),
        format!("Row {row}, column {column} ({header}): {}", what.en),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_lettered_as_a_spreadsheet_does() {
        let letters: Vec<String> = [0, 1, 25, 26, 27, 51, 52, 701, 702]
            .into_iter()
            .map(column_letter)
            .collect();
        assert_eq!(
            letters,
            ["A", "B", "Z", "AA", "AB", "AZ", "BA", "ZZ", "AAA"]
        );
    }
}
