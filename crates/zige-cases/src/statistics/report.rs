//! The officials' report: applications by state, entry, list, field,
//! issuing country and nationality; outcome rates; time to decision with
//! its monthly trend; the backlog by waiting days; each reviewer's
//! throughput. Filtered by a month range, an edition, a list and a field.

use std::collections::BTreeMap;

use serde::Serialize;
use zige_catalog::{Bilingual, Catalog, Entry};
use zige_rules::InputError;

use super::cells::{Cells, Month};
use crate::State;

/// The filters, as given; `check` says what is wrong with them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Query {
    /// The first month, `YYYY-MM`.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub from: Option<Month>,
    /// The last month, `YYYY-MM`.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub to: Option<Month>,
    /// A catalogue edition, `beijing/3.0`.
    pub edition: Option<String>,
    /// A list key (`general`) or letter (`G`).
    pub list: Option<String>,
    /// A field key.
    pub field: Option<String>,
}

impl Query {
    /// Every problem with the filters at once: a range ending before it
    /// starts or beginning after `this_month`, an edition, list or field
    /// none of `catalogs` has.
    pub fn check(&self, catalogs: &[&Catalog], this_month: Month) -> Vec<InputError> {
        let mut errs = Vec::new();
        if let (Some(from), Some(to)) = (self.from, self.to) {
            if to < from {
                errs.push(InputError::new(
                    "to",
                    to.to_string(),
                    format!("a month from {from} on (the start of the range)"),
                ));
            }
        }
        if let Some(from) = self.from.filter(|m| *m > this_month) {
            errs.push(InputError::new(
                "from",
                from.to_string(),
                format!("a month up to {this_month}"),
            ));
        }
        let known = |values: Vec<String>,
                     given: &Option<String>,
                     field: &str,
                     errs: &mut Vec<InputError>| {
            if let Some(v) = given {
                if !values.iter().any(|k| k.eq_ignore_ascii_case(v.trim())) {
                    errs.push(InputError::new(field, v.clone(), values.join(", ")));
                }
            }
        };
        known(
            catalogs.iter().map(|c| c.id.to_string()).collect(),
            &self.edition,
            "edition",
            &mut errs,
        );
        known(list_keys(catalogs), &self.list, "list", &mut errs);
        known(field_keys(catalogs), &self.field, "field", &mut errs);
        errs
    }

    fn months(&self, month: Month) -> bool {
        self.from.is_none_or(|f| month >= f) && self.to.is_none_or(|t| month <= t)
    }

    fn entry(&self, catalog: &Catalog, entry: &Entry) -> bool {
        let eq = |a: &str, b: &str| a.trim().eq_ignore_ascii_case(b);
        let letter = catalog
            .list(&entry.list)
            .map(|l| l.letter.as_str())
            .unwrap_or("");
        self.edition
            .as_deref()
            .is_none_or(|e| eq(e, &catalog.id.to_string()))
            && self
                .list
                .as_deref()
                .is_none_or(|l| eq(l, &entry.list) || eq(l, letter))
            && self
                .field
                .as_deref()
                .is_none_or(|f| entry.fields.iter().any(|x| eq(f, &x.key)))
    }
}

fn list_keys(catalogs: &[&Catalog]) -> Vec<String> {
    let mut keys: Vec<String> = catalogs
        .iter()
        .flat_map(|c| {
            c.lists
                .iter()
                .flat_map(|l| [l.key.clone(), l.letter.clone()])
        })
        .collect();
    keys.sort();
    keys.dedup();
    keys
}

fn field_keys(catalogs: &[&Catalog]) -> Vec<String> {
    let mut keys: Vec<String> = catalogs
        .iter()
        .flat_map(|c| {
            c.entries
                .iter()
                .flat_map(|e| e.fields.iter().map(|f| f.key.clone()))
        })
        .collect();
    keys.sort();
    keys.dedup();
    keys
}

/// Applications counted by where they stand.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Counts {
    pub applications: i64,
    /// Waiting for a reviewer or under review.
    pub open: i64,
    /// Waiting for the applicant's answer to a request for more information.
    pub awaiting_applicant: i64,
    pub approved: i64,
    pub rejected: i64,
    pub withdrawn: i64,
    /// Applications for which more information was ever asked.
    pub asked_more: i64,
}

impl Counts {
    fn add(&mut self, state: State, asked_more: bool, n: i64) {
        self.applications += n;
        match state {
            State::Approved => self.approved += n,
            State::Rejected => self.rejected += n,
            State::Withdrawn => self.withdrawn += n,
            State::MoreInformation => self.awaiting_applicant += n,
            _ => self.open += n,
        }
        if asked_more {
            self.asked_more += n;
        }
    }

    /// Approved out of decided, when anything was decided.
    pub fn approval_rate(&self) -> Option<f64> {
        ratio(self.approved, self.approved + self.rejected)
    }

    pub fn rejection_rate(&self) -> Option<f64> {
        ratio(self.rejected, self.approved + self.rejected)
    }

    /// Applications asked for more information out of all.
    pub fn more_information_rate(&self) -> Option<f64> {
        ratio(self.asked_more, self.applications)
    }
}

fn ratio(part: i64, whole: i64) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

/// One group of a breakdown: its key, its name in both languages, its counts.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Row {
    pub key: String,
    pub label: Bilingual,
    pub counts: Counts,
}

/// How long decisions took, in whole days.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Spread {
    pub decided: i64,
    pub median_days: Option<u32>,
    pub p90_days: Option<u32>,
}

/// One month: applications first submitted in it (and where they stand
/// now), and the decisions made in it with the time they took.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MonthRow {
    pub month: String,
    pub counts: Counts,
    pub decisions: Spread,
}

/// One reviewer's steps in the range.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReviewerRow {
    pub reviewer: i64,
    /// The reviewer's name (filled in by the caller).
    pub name: String,
    pub approved: i64,
    pub rejected: i64,
    pub more_information: i64,
}

impl ReviewerRow {
    pub fn decided(&self) -> i64 {
        self.approved + self.rejected
    }
}

/// The whole report.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Report {
    pub query: Query,
    pub totals: Counts,
    pub decisions: Spread,
    pub by_state: Vec<Row>,
    pub by_entry: Vec<Row>,
    pub by_list: Vec<Row>,
    pub by_field: Vec<Row>,
    pub by_country: Vec<Row>,
    pub by_nationality: Vec<Row>,
    pub by_month: Vec<MonthRow>,
    /// Open cases by days waiting: `0-7`, `8-14`, `15-30`, `31-60`, `61-90`, `91+`.
    pub backlog: Vec<Row>,
    pub reviewers: Vec<ReviewerRow>,
}

/// Finds the entry a cell names among the editions held.
struct Lookup<'a> {
    catalogs: &'a [&'a Catalog],
}

impl<'a> Lookup<'a> {
    fn find(&self, catalog: &str, code: &str) -> Option<(&'a Catalog, &'a Entry)> {
        let c = self.catalogs.iter().find(|c| c.id.to_string() == catalog)?;
        Some((c, c.find(code)?))
    }
}

/// Groups of a breakdown, kept in first-seen order of their keys.
#[derive(Default)]
struct Groups(BTreeMap<String, Row>);

impl Groups {
    fn add(
        &mut self,
        key: &str,
        label: impl FnOnce() -> Bilingual,
        state: State,
        asked: bool,
        n: i64,
    ) {
        self.0
            .entry(key.to_string())
            .or_insert_with(|| Row {
                key: key.to_string(),
                label: label(),
                counts: Counts::default(),
            })
            .counts
            .add(state, asked, n);
    }

    /// Largest first, then by key.
    fn rows(self) -> Vec<Row> {
        let mut rows: Vec<Row> = self.0.into_values().collect();
        rows.sort_by(|a, b| {
            b.counts
                .applications
                .cmp(&a.counts.applications)
                .then(a.key.cmp(&b.key))
        });
        rows
    }
}

fn unknown() -> Bilingual {
    Bilingual::new("未知", "Unknown")
}

/// Builds the report of `cells` under `query`.
pub fn report(cells: &Cells, catalogs: &[&Catalog], query: &Query) -> Report {
    let look = Lookup { catalogs };
    let keep = |catalog: &str, code: &str| match look.find(catalog, code) {
        Some((c, e)) => query.entry(c, e),
        None => query.edition.is_none() && query.list.is_none() && query.field.is_none(),
    };
    let mut b = Breakdowns::default();
    for cell in cells
        .cases
        .iter()
        .filter(|c| query.months(c.month) && keep(&c.catalog, &c.entry))
    {
        b.add_case(&look, cell);
    }
    let mut decisions = Histogram::default();
    for cell in cells
        .decisions
        .iter()
        .filter(|c| query.months(c.month) && keep(&c.catalog, &c.entry))
    {
        decisions.add(cell.days, cell.count);
        b.months
            .entry(cell.month)
            .or_default()
            .1
            .add(cell.days, cell.count);
    }
    Report {
        query: query.clone(),
        totals: b.totals,
        decisions: decisions.spread(),
        by_state: b.state.rows(),
        by_entry: b.entry.rows(),
        by_list: b.list.rows(),
        by_field: b.field.rows(),
        by_country: b.country.rows(),
        by_nationality: b.nationality.rows(),
        by_month: month_rows(b.months, query),
        backlog: backlog(cells, &keep),
        reviewers: reviewers(cells, query, &keep),
    }
}

#[derive(Default)]
struct Breakdowns {
    totals: Counts,
    state: Groups,
    entry: Groups,
    list: Groups,
    field: Groups,
    country: Groups,
    nationality: Groups,
    months: BTreeMap<Month, (Counts, Histogram)>,
}

impl Breakdowns {
    fn add_case(&mut self, look: &Lookup<'_>, cell: &super::CaseCell) {
        let (s, a, n) = (cell.state, cell.asked_more, cell.count);
        self.totals.add(s, a, n);
        self.months.entry(cell.month).or_default().0.add(s, a, n);
        self.state.add(s.code(), || state_label(s), s, a, n);
        self.nationality.add(
            &cell.nationality,
            || nationality_label(&cell.nationality),
            s,
            a,
            n,
        );
        let Some((catalog, entry)) = look.find(&cell.catalog, &cell.entry) else {
            self.entry.add(&cell.entry, unknown, s, a, n);
            return;
        };
        self.entry
            .add(&entry.code, || entry.name.shown_both(), s, a, n);
        let list = catalog.list(&entry.list);
        self.list.add(
            &entry.list,
            || list.map(|l| l.name.clone()).unwrap_or_else(unknown),
            s,
            a,
            n,
        );
        for f in &entry.fields {
            self.field.add(&f.key, || f.name.clone(), s, a, n);
        }
        for r in &entry.regions {
            let key = r.code.clone().unwrap_or_else(|| r.name.en.clone());
            self.country.add(&key, || r.name.clone(), s, a, n);
        }
    }
}

/// Every month of the range (or of the data), empty ones included.
fn month_rows(months: BTreeMap<Month, (Counts, Histogram)>, query: &Query) -> Vec<MonthRow> {
    let first = query.from.or_else(|| months.keys().next().copied());
    let last = query.to.or_else(|| months.keys().next_back().copied());
    let (Some(first), Some(last)) = (first, last) else {
        return Vec::new();
    };
    first
        .through(last)
        .map(|m| {
            let (counts, hist) = months.get(&m).cloned().unwrap_or_default();
            MonthRow {
                month: m.to_string(),
                counts,
                decisions: hist.spread(),
            }
        })
        .collect()
}

/// Days taken by decisions, counted per day.
#[derive(Debug, Clone, Default)]
struct Histogram(BTreeMap<u32, i64>);

impl Histogram {
    fn add(&mut self, days: u32, n: i64) {
        *self.0.entry(days).or_default() += n;
    }

    /// The smallest number of days within which `share` of decisions fell.
    fn quantile(&self, total: i64, share: f64) -> Option<u32> {
        let rank = ((total as f64) * share).ceil().max(1.0) as i64;
        let mut seen = 0;
        self.0.iter().find_map(|(d, n)| {
            seen += n;
            (seen >= rank).then_some(*d)
        })
    }

    fn spread(&self) -> Spread {
        let decided = self.0.values().sum();
        Spread {
            decided,
            median_days: self.quantile(decided, 0.5),
            p90_days: self.quantile(decided, 0.9),
        }
    }
}

const BACKLOG_BUCKETS: [(u32, &str); 6] = [
    (7, "0-7"),
    (14, "8-14"),
    (30, "15-30"),
    (60, "31-60"),
    (90, "61-90"),
    (u32::MAX, "91+"),
];

/// Open cases by days waiting since their latest (re)submission, every
/// bucket shown.
fn backlog(cells: &Cells, keep: &dyn Fn(&str, &str) -> bool) -> Vec<Row> {
    let mut counts = [0i64; BACKLOG_BUCKETS.len()];
    for case in cells.open.iter().filter(|c| keep(&c.catalog, &c.entry)) {
        let i = BACKLOG_BUCKETS
            .iter()
            .position(|(max, _)| case.days <= *max)
            .unwrap_or(BACKLOG_BUCKETS.len() - 1);
        counts[i] += case.count;
    }
    BACKLOG_BUCKETS
        .iter()
        .zip(counts)
        .map(|((_, key), n)| Row {
            key: key.to_string(),
            label: Bilingual::new(format!("{key} 天"), format!("{key} days")),
            counts: Counts {
                applications: n,
                open: n,
                ..Counts::default()
            },
        })
        .collect()
}

/// Each reviewer's decisions and requests, most decisions first.
fn reviewers(cells: &Cells, query: &Query, keep: &dyn Fn(&str, &str) -> bool) -> Vec<ReviewerRow> {
    let mut by: BTreeMap<i64, ReviewerRow> = BTreeMap::new();
    for cell in cells
        .reviewers
        .iter()
        .filter(|c| query.months(c.month) && keep(&c.catalog, &c.entry))
    {
        let row = by.entry(cell.reviewer).or_insert_with(|| ReviewerRow {
            reviewer: cell.reviewer,
            ..ReviewerRow::default()
        });
        match cell.step {
            State::Approved => row.approved += cell.count,
            State::Rejected => row.rejected += cell.count,
            _ => row.more_information += cell.count,
        }
    }
    let mut rows: Vec<ReviewerRow> = by.into_values().collect();
    rows.sort_by(|a, b| {
        b.decided()
            .cmp(&a.decided())
            .then(a.reviewer.cmp(&b.reviewer))
    });
    rows
}

/// A state in words.
pub fn state_label(state: State) -> Bilingual {
    let (zh, en) = match state {
        State::Draft => ("草稿", "Draft"),
        State::Submitted => ("已提交", "Submitted"),
        State::UnderReview => ("审核中", "Under review"),
        State::MoreInformation => ("待补充材料", "More information requested"),
        State::Resubmitted => ("已补充材料", "Resubmitted"),
        State::Approved => ("已认定", "Approved"),
        State::Rejected => ("未予认定", "Rejected"),
        State::Withdrawn => ("已撤回", "Withdrawn"),
    };
    Bilingual::new(zh, en)
}

/// A nationality group in words.
pub fn nationality_label(code: &str) -> Bilingual {
    match code {
        "foreign" => Bilingual::new("外国籍", "Foreign nationals"),
        "chinese" => Bilingual::new("中国籍", "Chinese nationals"),
        "hmt" => Bilingual::new("港澳台居民", "Hong Kong, Macao and Taiwan residents"),
        _ => Bilingual::new("未填写", "Not given"),
    }
}
