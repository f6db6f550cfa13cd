//! The report as tables, each a title, its columns and rows of typed
//! cells. The CSV flattens them into one table ([`csv_rows`]) and the
//! workbook gives each a sheet, so the two downloads cannot disagree.

use zige_cases::statistics::{Counts, MonthRow, Report, ReviewerRow, Row, Spread};

use crate::i18n::Tr;

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    Key,
    Name,
    Applications,
    Approved,
    Rejected,
    Awaiting,
    Open,
    Withdrawn,
    Asked,
    Decided,
    Median,
    P90,
    ApprovalRate,
    RejectionRate,
    MoreInfoRate,
}

/// The CSV's columns after the first (the table's name); rates are left
/// out, since they follow from the counts.
pub const CSV_COLUMNS: [Column; 12] = [
    Column::Key,
    Column::Name,
    Column::Applications,
    Column::Approved,
    Column::Rejected,
    Column::Awaiting,
    Column::Open,
    Column::Withdrawn,
    Column::Asked,
    Column::Decided,
    Column::Median,
    Column::P90,
];

impl Column {
    /// The message naming the column in the CSV's heading.
    pub fn message(self) -> &'static str {
        match self {
            Column::Key => "stats-csv-key",
            Column::Name => "stats-csv-name",
            Column::Applications => "stats-applications",
            Column::Approved => "stats-approved",
            Column::Rejected => "stats-rejected",
            Column::Awaiting => "stats-awaiting",
            Column::Open => "stats-open",
            Column::Withdrawn => "stats-withdrawn",
            Column::Asked => "stats-csv-asked",
            Column::Decided => "stats-decided",
            Column::Median => "stats-median",
            Column::P90 => "stats-p90",
            Column::ApprovalRate => "stats-approval-rate",
            Column::RejectionRate => "stats-rejection-rate",
            Column::MoreInfoRate => "stats-more-info-rate",
        }
    }
}

/// One value of a table.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Count(i64),
    /// Whole days; none when nothing was decided.
    Days(Option<u32>),
    /// A share from 0 to 1; none when there is nothing to divide by.
    Rate(Option<f64>),
}

impl Cell {
    /// The value as the CSV writes it (empty when there is none).
    pub fn text(&self) -> String {
        match self {
            Cell::Text(s) => s.clone(),
            Cell::Count(n) => n.to_string(),
            Cell::Days(d) => d.map(|d| d.to_string()).unwrap_or_default(),
            Cell::Rate(r) => r.map(|r| format!("{r:.4}")).unwrap_or_default(),
        }
    }
}

/// One table of the report.
pub struct Table {
    /// Its name in the CSV's first column: `state`, `month`, `reviewer`…
    pub name: &'static str,
    /// A short title, the workbook's sheet name.
    pub title: String,
    /// Each column and its heading.
    pub columns: Vec<(Column, String)>,
    pub rows: Vec<Vec<Cell>>,
}

impl Table {
    fn new(tr: &Tr, name: &'static str, columns: &[(Column, &str)]) -> Table {
        Table {
            name,
            title: tr.msg(&format!("stats-sheet-{name}")),
            columns: columns.iter().map(|(c, k)| (*c, tr.msg(k))).collect(),
            rows: Vec::new(),
        }
    }

    /// The cell of `row` in `column`, if the table has that column.
    pub fn cell<'a>(&self, row: &'a [Cell], column: Column) -> Option<&'a Cell> {
        let i = self.columns.iter().position(|(c, _)| *c == column)?;
        row.get(i)
    }
}

/// The counts' columns, in the order of the page's tables.
const COUNTS: [Column; 7] = [
    Column::Applications,
    Column::Approved,
    Column::Rejected,
    Column::Awaiting,
    Column::Open,
    Column::Withdrawn,
    Column::Asked,
];

fn counts(c: &Counts) -> [Cell; 7] {
    [
        c.applications,
        c.approved,
        c.rejected,
        c.awaiting_applicant,
        c.open,
        c.withdrawn,
        c.asked_more,
    ]
    .map(Cell::Count)
}

fn spread(d: &Spread) -> [Cell; 3] {
    [
        Cell::Count(d.decided),
        Cell::Days(d.median_days),
        Cell::Days(d.p90_days),
    ]
}

fn rates(c: &Counts) -> [Cell; 3] {
    [
        c.approval_rate(),
        c.rejection_rate(),
        c.more_information_rate(),
    ]
    .map(Cell::Rate)
}

/// Columns with their default headings.
fn headed(columns: &[Column]) -> Vec<(Column, &'static str)> {
    columns.iter().map(|c| (*c, c.message())).collect()
}

/// Every table of the report: the totals, each breakdown, the months,
/// the reviewers.
pub fn report_tables(tr: &Tr, r: &Report) -> Vec<Table> {
    let mut tables = vec![totals(tr, r)];
    let breakdowns = [
        ("state", &r.by_state),
        ("backlog", &r.backlog),
        ("entry", &r.by_entry),
        ("list", &r.by_list),
        ("field", &r.by_field),
        ("country", &r.by_country),
        ("nationality", &r.by_nationality),
    ];
    for (name, rows) in breakdowns {
        tables.push(breakdown(tr, name, rows));
    }
    tables.push(months(tr, &r.by_month));
    tables.push(reviewers(tr, &r.reviewers));
    tables
}

/// One line: everything counted in the range, with the rates.
fn totals(tr: &Tr, r: &Report) -> Table {
    let mut columns = headed(&[Column::Name]);
    columns.extend(headed(&COUNTS));
    columns.extend(headed(&[Column::Decided, Column::Median, Column::P90]));
    columns.extend(headed(&[
        Column::ApprovalRate,
        Column::RejectionRate,
        Column::MoreInfoRate,
    ]));
    let mut table = Table::new(tr, "total", &columns);
    let mut row = vec![Cell::Text(tr.msg("stats-total"))];
    row.extend(counts(&r.totals));
    row.extend(spread(&r.decisions));
    row.extend(rates(&r.totals));
    table.rows.push(row);
    table
}

fn breakdown(tr: &Tr, name: &'static str, rows: &[Row]) -> Table {
    let mut columns = headed(&[Column::Key, Column::Name]);
    columns.extend(headed(&COUNTS));
    columns.push((Column::ApprovalRate, Column::ApprovalRate.message()));
    let mut table = Table::new(tr, name, &columns);
    for g in rows {
        let mut row = vec![Cell::Text(g.key.clone()), Cell::Text(tr.pick(&g.label))];
        row.extend(counts(&g.counts));
        row.push(Cell::Rate(g.counts.approval_rate()));
        table.rows.push(row);
    }
    table
}

fn months(tr: &Tr, months: &[MonthRow]) -> Table {
    let mut columns = vec![(Column::Key, "stats-month")];
    columns.extend(headed(&COUNTS));
    columns.extend(headed(&[Column::Decided, Column::Median, Column::P90]));
    let mut table = Table::new(tr, "month", &columns);
    for m in months {
        let mut row = vec![Cell::Text(m.month.clone())];
        row.extend(counts(&m.counts));
        row.extend(spread(&m.decisions));
        table.rows.push(row);
    }
    table
}

fn reviewers(tr: &Tr, reviewers: &[ReviewerRow]) -> Table {
    let columns = [
        (Column::Key, "stats-csv-key"),
        (Column::Name, "stats-reviewer"),
        (Column::Approved, "stats-approved"),
        (Column::Rejected, "stats-rejected"),
        (Column::Asked, "stats-more-info"),
        (Column::Decided, "stats-decided"),
    ];
    let mut table = Table::new(tr, "reviewer", &columns);
    for v in reviewers {
        table.rows.push(vec![
            Cell::Count(v.reviewer),
            Cell::Text(v.name.clone()),
            Cell::Count(v.approved),
            Cell::Count(v.rejected),
            Cell::Count(v.more_information),
            Cell::Count(v.decided()),
        ]);
    }
    table
}

/// The tables as one: a heading, then each row under the CSV's columns,
/// led by its table's name.
pub fn csv_rows(tr: &Tr, tables: &[Table]) -> Vec<Vec<String>> {
    let mut head = vec![tr.msg("stats-csv-table")];
    head.extend(CSV_COLUMNS.iter().map(|c| tr.msg(c.message())));
    let mut rows = vec![head];
    for table in tables {
        for row in &table.rows {
            let mut line = vec![table.name.to_string()];
            line.extend(
                CSV_COLUMNS
                    .iter()
                    .map(|c| table.cell(row, *c).map(Cell::text).unwrap_or_default()),
            );
            rows.push(line);
        }
    }
    rows
}
