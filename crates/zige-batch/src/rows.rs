//! Each person's row checked as the eligibility check would check their
//! form: every wrong cell of every row named, or every row answered.

use zige_catalog::{Bilingual, Catalog, Lang};
use zige_rules::{decide_all, InputError, Policy, Reading};

use crate::answers::answers;
use crate::columns::{Columns, PERSON};
use crate::problem::{at_cell, column_letter, Kind, Problem, Refusal};
use crate::table::Table;

/// The longest name or staff number in the `person` column.
const LONGEST_PERSON: usize = 200;

/// The answers of every row (`None` for a blank one), or every problem.
pub fn answer_rows(
    table: &Table,
    columns: &Columns,
    catalog: &Catalog,
    policy: &Policy,
    lang: Lang,
) -> Result<Vec<Option<Vec<String>>>, Refusal> {
    let mut refusal = Refusal {
        problems: Vec::new(),
        more: 0,
    };
    let mut out = Vec::with_capacity(table.rows.len());
    for i in 0..table.rows.len() {
        if table.is_blank(i) {
            out.push(None);
            continue;
        }
        for p in row_shape_problems(table, columns, i) {
            refusal.push(p);
        }
        let reading = Reading::fields(|field| columns.of(field).map(|c| table.cell(i, c)));
        match decide_all(catalog, policy, &reading) {
            Ok(decision) => out.push(Some(answers(&decision, lang))),
            Err(errors) => {
                for e in errors {
                    refusal.push(cell_problem(table, columns, i, e));
                }
                out.push(None);
            }
        }
    }
    if !refusal.is_empty() {
        return Err(refusal);
    }
    if out.iter().all(Option::is_none) {
        return Err(no_people());
    }
    Ok(out)
}

/// Values under no header, and a person's name too long.
fn row_shape_problems(table: &Table, columns: &Columns, i: usize) -> Vec<Problem> {
    let width = table.head.len();
    let row = table.row_number(i);
    let mut out = Vec::new();
    if let Some(extra) = (width..table.rows[i].len()).find(|c| !table.cell(i, *c).trim().is_empty())
    {
        let column = column_letter(extra);
        out.push(Problem {
            kind: Kind::Cell,
            row: Some(row),
            column: Some(column.clone()),
            field: "column".into(),
            value: table.cell(i, extra).to_string(),
            allowed: "values only in columns with a header".into(),
            message: Bilingual::new(
                format!("第 {row} 行 {column} 列：该列没有标题。请删去该值，或在第 1 行为该列写上字段名。"),
                format!("Row {row}, column {column}: this column has no header. Remove the value, or name the column in row 1."),
            ),
        });
    }
    if let Some(c) = columns.of(PERSON) {
        let name = table.cell(i, c);
        if name.chars().count() > LONGEST_PERSON {
            let what = Bilingual::new(
                format!("最多 {LONGEST_PERSON} 个字符"),
                format!("at most {LONGEST_PERSON} characters"),
            );
            out.push(Problem {
                kind: Kind::Cell,
                row: Some(row),
                column: Some(column_letter(c)),
                field: PERSON.into(),
                value: name.chars().take(40).collect(),
                allowed: what.en.clone(),
                message: at_cell(row, &column_letter(c), &table.head[c], &what),
            });
        }
    }
    out
}

/// A profile field's error placed at its cell.
fn cell_problem(table: &Table, columns: &Columns, i: usize, e: InputError) -> Problem {
    let row = table.row_number(i);
    let c = columns.of(&e.field).unwrap_or(0);
    let column = column_letter(c);
    let what = Bilingual::new(e.message(Lang::Zh), e.message(Lang::En));
    Problem {
        kind: Kind::Cell,
        row: Some(row),
        message: at_cell(
            row,
            &column,
            table.head.get(c).map(String::as_str).unwrap_or(""),
            &what,
        ),
        column: Some(column),
        field: e.field,
        value: e.value,
        allowed: e.allowed,
    }
}

fn no_people() -> Refusal {
    let mut r = Refusal::file(
        Kind::Unreadable,
        "(no rows)",
        "one person per row below the header",
        Bilingual::new(
            "文件中没有人员：请在标题行下每行填写一人。",
            "The file lists nobody: put one person per row below the header row.",
        ),
    );
    r.problems[0].field = "rows".into();
    r
}
