//! Rebuilding the cells from the timelines: every submitted application's
//! events replayed through the same counting as a live change. Run once,
//! when the cells are new, for the applications made before them.

use futures::TryStreamExt;

use super::counting::{bumps, Counted, Step, Tally};
use super::state;
use super::{apply_bumps, counted_from, save_counted};
use crate::sql::{in_tx, Get};
use crate::{Store, StoreError};

/// Every event of a submitted application, with what it is counted under
/// so far, in order.
const TIMELINES: &str = "SELECT e.application_id, e.at, e.actor_id, e.from_state, e.to_state, a.catalog, COALESCE(a.entry_code, '') AS entry_code, \
     a.form, a.first_submitted_at, a.stats_month, a.stats_catalog, a.stats_entry, a.nationality, a.asked_more \
     FROM events e JOIN applications a ON a.id = e.application_id WHERE a.submitted_at IS NOT NULL AND e.from_state IS NOT NULL ORDER BY e.application_id, e.id";

/// One application's replay in progress.
struct Replay {
    id: i64,
    counted: Option<Counted>,
    stored: Option<Counted>,
}

impl Store {
    /// Rebuilds the cells if a migration asked for it; of several
    /// processes starting at once, one does it.
    pub(crate) async fn rebuild_statistics_if_asked(&self) -> Result<(), StoreError> {
        let zone = self.zone.clone();
        in_tx!(self, |tx| {
            // "ready" and a rebuild's own mark: readers that keep cells
            // (`statistics_cells`) see that they were counted again.
            let claimed = sqlx::query(
                "UPDATE zige_meta SET value = $1 WHERE key = 'statistics' AND value = 'rebuild'",
            )
            .bind(format!("ready {}", rebuild_mark()))
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if claimed > 0 {
                for table in ["stats_cases", "stats_decisions", "stats_reviewers"] {
                    sqlx::query(&format!("DELETE FROM {table}"))
                        .execute(&mut *tx)
                        .await?;
                }
                let mut tally = Tally::default();
                let mut fill: Vec<(i64, Counted)> = Vec::new();
                let mut current: Option<Replay> = None;
                {
                    let mut rows = sqlx::query(TIMELINES).fetch(&mut *tx);
                    while let Some(r) = rows.try_next().await? {
                        let id = r.int("application_id")?;
                        if current.as_ref().is_none_or(|c| c.id != id) {
                            finish(current.take(), &mut fill);
                            current = Some(Replay {
                                id,
                                counted: None,
                                stored: counted_from(&r)?,
                            });
                        }
                        let replay = current.as_mut().expect("set above");
                        let (from, to) = (state(&r, "from_state")?, state(&r, "to_state")?);
                        let (catalog, entry, form) =
                            (r.text("catalog")?, r.text("entry_code")?, r.text("form")?);
                        let step = Step {
                            from,
                            to,
                            at: r.int("at")?,
                            actor: r.opt_int("actor_id")?,
                            catalog: &catalog,
                            entry: &entry,
                            form: &form,
                        };
                        tally.add(bumps(&mut replay.counted, &step, &zone));
                    }
                }
                finish(current.take(), &mut fill);
                apply_bumps!(tx, tally.into_bumps());
                for (id, counted) in &fill {
                    save_counted!(tx, *id, counted);
                }
            }
        });
        Ok(())
    }
}

/// A mark unique to one rebuild: the time in nanoseconds.
fn rebuild_mark() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default()
}

/// Remembers to record what a replayed application is counted under, if
/// that was not recorded yet or has changed.
fn finish(replay: Option<Replay>, fill: &mut Vec<(i64, Counted)>) {
    if let Some(Replay {
        id,
        counted: Some(c),
        stored,
    }) = replay
    {
        if stored.as_ref() != Some(&c) {
            fill.push((id, c));
        }
    }
}
