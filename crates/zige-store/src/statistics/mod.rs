//! Statistics: cells counted in the transaction of every state change
//! (`counting`), read whole for the reports; a rebuild from the timelines
//! (`rebuild`), run once for applications older than the cells; synthetic
//! demo data (`demo`).

mod counting;
mod demo;
mod rebuild;

pub(crate) use counting::{apply_bumps, bumps, Bump, Counted, Step};
pub use demo::{DemoPlan, DemoReport, RealApplications};

use zige_cases::statistics::{CaseCell, Cells, DecisionCell, Month, OpenCase, ReviewerCell};
use zige_cases::State;

use std::sync::{Arc, Mutex};

use crate::sql::{corrupt, read_all, Get};
use crate::{Store, StoreError};

/// The columns of an application that say what it is counted under.
pub(crate) const COUNTED_COLS: &str =
    "first_submitted_at, stats_month, stats_catalog, stats_entry, nationality, asked_more";

/// What a row with [`COUNTED_COLS`] is counted under, if submitted.
pub(crate) fn counted_from(r: &impl Get) -> Result<Option<Counted>, sqlx::Error> {
    let Some(first_submitted_at) = r.opt_int("first_submitted_at")? else {
        return Ok(None);
    };
    Ok(Some(Counted {
        first_submitted_at,
        month: r.opt_text("stats_month")?.unwrap_or_default(),
        catalog: r.opt_text("stats_catalog")?.unwrap_or_default(),
        entry: r.opt_text("stats_entry")?.unwrap_or_default(),
        nationality: r.opt_text("nationality")?.unwrap_or_default(),
        asked_more: r.int("asked_more")? != 0,
    }))
}

/// Records what application `$id` is counted under.
macro_rules! save_counted {
    ($tx:ident, $id:expr, $c:expr) => {{
        let c: &$crate::statistics::Counted = $c;
        sqlx::query("UPDATE applications SET first_submitted_at = $1, stats_month = $2, stats_catalog = $3, stats_entry = $4, nationality = $5, asked_more = $6 WHERE id = $7")
            .bind(c.first_submitted_at)
            .bind(&c.month)
            .bind(&c.catalog)
            .bind(&c.entry)
            .bind(&c.nationality)
            .bind(i64::from(c.asked_more))
            .bind($id)
            .execute(&mut *$tx)
            .await?;
    }};
}
pub(crate) use save_counted;

/// Counts the state change `$change` of `$app` (its row `$row` read with
/// [`COUNTED_COLS`]) in the transaction `$tx`.
macro_rules! count_change {
    ($tx:ident, $zone:expr, $row:expr, $app:expr, $change:expr) => {{
        let before = $crate::statistics::counted_from($row)?;
        let mut counted = before.clone();
        let step = $crate::statistics::Step {
            from: $change.from,
            to: $change.to,
            at: $change.now,
            actor: $change.actor,
            catalog: &$app.catalog,
            entry: $app.entry_code.as_deref().unwrap_or(""),
            form: &$app.form,
        };
        let bumps = $crate::statistics::bumps(&mut counted, &step, &$zone);
        if let Some(c) = counted.as_ref().filter(|c| before.as_ref() != Some(*c)) {
            $crate::statistics::save_counted!($tx, $app.id, c);
        }
        // The shared cells last: their row locks are held until the commit.
        $crate::statistics::apply_bumps!($tx, bumps);
    }};
}
pub(crate) use count_change;

fn month(r: &impl Get) -> Result<Month, sqlx::Error> {
    let text = r.text("month")?;
    Month::parse("month", &text).map_err(|_| corrupt("month", &text))
}

fn state(r: &impl Get, column: &str) -> Result<State, sqlx::Error> {
    let text = r.text(column)?;
    State::parse(&text).map_err(|_| corrupt(column, &text))
}

/// The counted cells last read, and the audit head they were read under.
/// Every change that counts is audited in its own transaction, and a
/// rebuild leaves its own mark in `zige_meta`, so while the head (sequence
/// and hash) and the mark stand, the cells stand too, whichever process
/// made the change.
#[derive(Clone, Default)]
pub(crate) struct CountedCache(Arc<Mutex<Option<(AuditHead, Counted3)>>>);

impl std::fmt::Debug for CountedCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CountedCache")
    }
}

type AuditHead = (i64, String, String);
type Counted3 = (
    Arc<Vec<CaseCell>>,
    Arc<Vec<DecisionCell>>,
    Arc<Vec<ReviewerCell>>,
);

impl Store {
    /// Every counted cell, and the cases waiting for a reviewer counted by
    /// the whole days they have waited at `now` (ms). The counted cells are
    /// read again only after a change was audited (one row read otherwise).
    pub async fn statistics_cells(&self, now: i64) -> Result<Cells, StoreError> {
        // Committed changes are sealed first, so the head has moved past
        // every one of them; the head is read before the cells: a change
        // landing meanwhile moves it again and the cells are read again.
        self.seal_audit().await?;
        let head = self.audit_head().await?;
        let cached = self.counted.0.lock().expect("cache lock").clone();
        let (cases, decisions, reviewers) = match cached {
            Some((seen, cells)) if seen == head => cells,
            _ => {
                let cells = (
                    Arc::new(self.case_cells().await?),
                    Arc::new(self.decision_cells().await?),
                    Arc::new(self.reviewer_cells().await?),
                );
                *self.counted.0.lock().expect("cache lock") = Some((head, cells.clone()));
                cells
            }
        };
        Ok(Cells {
            cases,
            decisions,
            reviewers,
            open: self.open_cases(now).await?,
        })
    }

    async fn audit_head(&self) -> Result<AuditHead, StoreError> {
        let heads: Result<Vec<AuditHead>, StoreError> = read_all!(
            self,
            "SELECT seq, hash, (SELECT value FROM zige_meta WHERE key = 'statistics') AS mark FROM audit_head WHERE id = 1",
            |r| {
                let mark = r.opt_text("mark")?.unwrap_or_default();
                Ok::<_, sqlx::Error>((r.int("seq")?, r.text("hash")?, mark))
            }
        );
        Ok(heads?.into_iter().next().unwrap_or_default())
    }

    async fn case_cells(&self) -> Result<Vec<CaseCell>, StoreError> {
        read_all!(self, "SELECT month, catalog, entry, nationality, state, asked_more, n FROM stats_cases WHERE n <> 0", |r| {
            Ok::<_, sqlx::Error>(CaseCell {
                month: month(r)?,
                catalog: r.text("catalog")?,
                entry: r.text("entry")?,
                nationality: r.text("nationality")?,
                state: state(r, "state")?,
                asked_more: r.int("asked_more")? != 0,
                count: r.int("n")?,
            })
        })
    }

    async fn decision_cells(&self) -> Result<Vec<DecisionCell>, StoreError> {
        read_all!(
            self,
            "SELECT month, catalog, entry, outcome, days, n FROM stats_decisions",
            |r| {
                Ok::<_, sqlx::Error>(DecisionCell {
                    month: month(r)?,
                    catalog: r.text("catalog")?,
                    entry: r.text("entry")?,
                    outcome: state(r, "outcome")?,
                    days: r.int("days")?.clamp(0, i64::from(u32::MAX)) as u32,
                    count: r.int("n")?,
                })
            }
        )
    }

    async fn reviewer_cells(&self) -> Result<Vec<ReviewerCell>, StoreError> {
        read_all!(
            self,
            "SELECT month, catalog, entry, reviewer_id, step, n FROM stats_reviewers",
            |r| {
                Ok::<_, sqlx::Error>(ReviewerCell {
                    month: month(r)?,
                    catalog: r.text("catalog")?,
                    entry: r.text("entry")?,
                    reviewer: r.int("reviewer_id")?,
                    step: state(r, "step")?,
                    count: r.int("n")?,
                })
            }
        )
    }

    /// Open cases by entry and whole days waited at `now`, counted in
    /// SQL over the backlog index (never a row per case).
    async fn open_cases(&self, now: i64) -> Result<Vec<OpenCase>, StoreError> {
        read_all!(
            self,
            "SELECT stats_catalog, stats_entry, ($1 - COALESCE(submitted_at, 0)) / 86400000 AS days, COUNT(*) AS n \
             FROM applications WHERE state IN ('submitted', 'under_review', 'resubmitted') AND first_submitted_at IS NOT NULL \
             GROUP BY 1, 2, 3",
            |r| {
                Ok::<_, sqlx::Error>(OpenCase {
                    catalog: r.opt_text("stats_catalog")?.unwrap_or_default(),
                    entry: r.opt_text("stats_entry")?.unwrap_or_default(),
                    days: r.int("days")?.clamp(0, 3660) as u32,
                    count: r.int("n")?,
                })
            },
            now
        )
    }
}
