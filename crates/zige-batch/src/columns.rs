//! The header row: which profile field each column holds. A column is
//! named by the field's name (`entry`, `age`…, in any case) or by its
//! Chinese name (`年龄`); `person` (or `姓名`) holds a name or staff
//! number the check leaves alone, so the answers can be told apart.
//! Anything else, a field named twice, or no `entry` column is refused.

use zige_catalog::Bilingual;
use zige_rules::profile::field_zh;
use zige_rules::profile::FIELDS;

use crate::problem::{column_letter, Kind, Problem, Refusal};
use crate::table::Table;

/// The column that names the person.
pub const PERSON: &str = "person";

/// What each column of the file holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Columns {
    /// The field of each column (`person` for the person's name).
    pub fields: Vec<&'static str>,
}

impl Columns {
    /// The column holding `field`, if any.
    pub fn of(&self, field: &str) -> Option<usize> {
        self.fields.iter().position(|f| *f == field)
    }
}

/// Reads the header row, naming every column that is wrong.
pub fn columns(table: &Table) -> Result<Columns, Refusal> {
    let mut refusal = Refusal {
        problems: Vec::new(),
        more: 0,
    };
    let mut fields = Vec::with_capacity(table.head.len());
    for (i, header) in table.head.iter().enumerate() {
        match field_of(header) {
            Some(f) if fields.contains(&f) => refusal.push(column_problem(i, header, true)),
            Some(f) => fields.push(f),
            None => {
                refusal.push(column_problem(i, header, false));
                fields.push("");
            }
        }
    }
    if refusal.is_empty() && !fields.contains(&"entry") {
        refusal.push(no_entry_column(table.head.len()));
    }
    if refusal.is_empty() {
        Ok(Columns { fields })
    } else {
        Err(refusal)
    }
}

/// The field a header names.
fn field_of(header: &str) -> Option<&'static str> {
    let h = header.trim();
    if h.eq_ignore_ascii_case(PERSON) || h == "姓名" {
        return Some(PERSON);
    }
    FIELDS
        .iter()
        .find(|f| h.eq_ignore_ascii_case(f) || h == field_zh(f))
        .copied()
}

/// The names a header may have, in English, for messages.
pub fn allowed_headers() -> String {
    let mut names: Vec<&str> = vec![PERSON];
    names.extend(FIELDS);
    names.join(", ")
}

fn column_problem(index: usize, header: &str, repeated: bool) -> Problem {
    let column = column_letter(index);
    let allowed = allowed_headers();
    let message = match (repeated, header.trim().is_empty()) {
        (true, _) => Bilingual::new(
            format!("第 1 行 {column} 列：“{header}”已在前面的列中出现，每个字段只能有一列。"),
            format!("Row 1, column {column}: '{header}' is already an earlier column; each field has one column."),
        ),
        (false, true) => Bilingual::new(
            format!("第 1 行 {column} 列：标题为空。该列有内容，请填写字段名：{allowed}。"),
            format!("Row 1, column {column}: the header is empty but the column has values; name it one of: {allowed}."),
        ),
        (false, false) => Bilingual::new(
            format!("第 1 行 {column} 列：“{header}”不是可识别的字段，可用的列名：{allowed}。"),
            format!("Row 1, column {column}: '{header}' is not a field this check knows; the columns may be: {allowed}."),
        ),
    };
    Problem {
        kind: Kind::Column,
        row: Some(1),
        column: Some(column),
        field: "column".into(),
        value: header.to_string(),
        allowed,
        message,
    }
}

fn no_entry_column(width: usize) -> Problem {
    let column = column_letter(width);
    Problem {
        kind: Kind::Column,
        row: Some(1),
        column: Some(column),
        field: "entry".into(),
        value: String::new(),
        allowed: "a column named entry, holding each person's catalogue entry (e.g. G7)".into(),
        message: Bilingual::new(
            "第 1 行：缺少“entry”列。请加一列，写明每人所持证书的目录编号（例如 G7）。",
            "Row 1: there is no 'entry' column. Add one with each person's catalogue entry (for example G7).",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head(names: &[&str]) -> Table {
        Table {
            head: names.iter().map(|s| s.to_string()).collect(),
            ..Table::default()
        }
    }

    #[test]
    fn fields_are_found_by_either_name_in_any_case() {
        let c = columns(&head(&["Person", "ENTRY", "年龄", "level"])).unwrap();
        assert_eq!(c.fields, ["person", "entry", "age", "level"]);
    }

    #[test]
    fn every_wrong_column_is_named_at_once() {
        let r = columns(&head(&["entry", "salary", "age", "age"])).unwrap_err();
        let at: Vec<_> = r
            .problems
            .iter()
            .map(|p| p.column.clone().unwrap())
            .collect();
        assert_eq!(at, ["B", "D"]);
        assert!(r.problems[0].message.en.contains("'salary'"));
    }

    #[test]
    fn a_file_without_entries_is_refused() {
        let r = columns(&head(&["person", "age"])).unwrap_err();
        assert_eq!(r.problems[0].field, "entry");
    }
}
