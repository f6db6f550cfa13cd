//! The figures anyone may see: applications and outcomes per entry and
//! per month, with every count under five withheld so that no person can
//! be singled out.

use std::collections::BTreeMap;

use serde::Serialize;
use zige_catalog::{Bilingual, Catalog};

use super::cells::{Cells, Month};
use crate::State;

/// Counts below this are withheld (shown as `null`).
pub const SUPPRESSED_BELOW: i64 = 5;

/// The public statistics.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublicStatistics {
    /// Every entry of the edition in force, then entries of earlier
    /// editions that received applications.
    pub by_entry: Vec<PublicEntry>,
    /// Every month from the first application to the last.
    pub by_month: Vec<PublicMonth>,
    /// Counts below this number are `null`.
    pub suppressed_below: i64,
}

/// One entry's applications (counted from their first submission) and
/// where they stand now; `null` where fewer than five.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublicEntry {
    /// Its code in the latest edition that has it: `G7`.
    pub entry: String,
    /// Its stable id.
    pub id: String,
    pub list: String,
    pub name: Bilingual,
    pub applications: Option<i64>,
    pub approved: Option<i64>,
    pub rejected: Option<i64>,
    pub withdrawn: Option<i64>,
    /// Not yet decided.
    pub in_progress: Option<i64>,
}

/// One month: applications first submitted in it, decisions made in it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublicMonth {
    /// `YYYY-MM`.
    pub month: String,
    pub applications: Option<i64>,
    pub approved: Option<i64>,
    pub rejected: Option<i64>,
}

/// A count as published: withheld when under [`SUPPRESSED_BELOW`].
pub fn suppress(n: i64) -> Option<i64> {
    (n >= SUPPRESSED_BELOW).then_some(n)
}

#[derive(Default, Clone, Copy)]
struct Tally {
    applications: i64,
    approved: i64,
    rejected: i64,
    withdrawn: i64,
}

impl Tally {
    fn add(&mut self, state: State, n: i64) {
        self.applications += n;
        match state {
            State::Approved => self.approved += n,
            State::Rejected => self.rejected += n,
            State::Withdrawn => self.withdrawn += n,
            _ => {}
        }
    }
}

/// The public figures of `cells`; `current` is the edition in force and
/// `catalogs` every edition held, newest last.
pub fn public(cells: &Cells, current: &Catalog, catalogs: &[&Catalog]) -> PublicStatistics {
    let id_of = |catalog: &str, code: &str| {
        catalogs
            .iter()
            .find(|c| c.id.to_string() == catalog)
            .and_then(|c| c.find(code))
            .map(|e| e.id.clone())
    };
    let mut by_id: BTreeMap<String, Tally> = BTreeMap::new();
    for cell in cells.cases.iter() {
        if let Some(id) = id_of(&cell.catalog, &cell.entry) {
            by_id.entry(id).or_default().add(cell.state, cell.count);
        }
    }
    PublicStatistics {
        by_entry: entries(&by_id, current, catalogs),
        by_month: months(cells),
        suppressed_below: SUPPRESSED_BELOW,
    }
}

fn entries(
    by_id: &BTreeMap<String, Tally>,
    current: &Catalog,
    catalogs: &[&Catalog],
) -> Vec<PublicEntry> {
    let row = |e: &zige_catalog::Entry| {
        let t = by_id.get(&e.id).copied().unwrap_or_default();
        PublicEntry {
            entry: e.code.clone(),
            id: e.id.clone(),
            list: e.list.clone(),
            name: e.name.shown_both(),
            applications: suppress(t.applications),
            approved: suppress(t.approved),
            rejected: suppress(t.rejected),
            withdrawn: suppress(t.withdrawn),
            in_progress: suppress(t.applications - t.approved - t.rejected - t.withdrawn),
        }
    };
    let mut rows: Vec<PublicEntry> = current.entries.iter().map(row).collect();
    for catalog in catalogs.iter().rev() {
        for e in &catalog.entries {
            if by_id.contains_key(&e.id) && !rows.iter().any(|r| r.id == e.id) {
                rows.push(row(e));
            }
        }
    }
    rows
}

fn months(cells: &Cells) -> Vec<PublicMonth> {
    let mut by: BTreeMap<Month, Tally> = BTreeMap::new();
    for cell in cells.cases.iter() {
        by.entry(cell.month).or_default().applications += cell.count;
    }
    for cell in cells.decisions.iter() {
        let t = by.entry(cell.month).or_default();
        match cell.outcome {
            State::Approved => t.approved += cell.count,
            State::Rejected => t.rejected += cell.count,
            _ => {}
        }
    }
    let (Some(first), Some(last)) = (by.keys().next().copied(), by.keys().next_back().copied())
    else {
        return Vec::new();
    };
    first
        .through(last)
        .map(|m| {
            let t = by.get(&m).copied().unwrap_or_default();
            PublicMonth {
                month: m.to_string(),
                applications: suppress(t.applications),
                approved: suppress(t.approved),
                rejected: suppress(t.rejected),
            }
        })
        .collect()
}
