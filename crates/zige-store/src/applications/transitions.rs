//! State changes of an application (submit, withdraw, open, decide…),
//! each recorded as an event of its timeline and in the audit log.

use zige_cases::{Role, State};

use crate::decisions::{issue_decision, DecisionRecord, NewDecision};
use crate::mail::{enqueue, kind, NewMail};
use crate::sql::{in_tx, on_read, Get};
use crate::statistics::{count_change, COUNTED_COLS};
use crate::{Store, StoreError};

use super::{app_from, event_and_audit, state_of, Application, NewEvent, APP_COLS};

/// One step of an application's timeline.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Event {
    pub at: i64,
    pub actor_id: Option<i64>,
    /// The actor's role at the time of reading, for display.
    pub actor_role: Option<Role>,
    pub action: String,
    pub from_state: Option<State>,
    pub to_state: State,
    pub reason: String,
}

/// A new state and who caused it, for [`Store::transition`].
pub struct Change<'a> {
    pub id: i64,
    pub from: State,
    pub to: State,
    /// When given, the change only applies if nobody changed the
    /// application since this version was read.
    pub version: Option<i64>,
    pub action: &'a str,
    pub actor: Option<i64>,
    pub reason: &'a str,
    pub now: i64,
    /// The edition the application is from now on decided under (set on submission).
    pub catalog: Option<&'a str>,
}

impl Store {
    /// Moves an application from one state to the next, if it is still in
    /// `from` (and at `version` when given): of two people acting at
    /// once, exactly one wins; the other gets `Conflict`.
    pub async fn transition(
        &self,
        change: &Change<'_>,
        decision: Option<&(dyn Fn(i64) -> NewDecision + Sync)>,
    ) -> Result<(Application, Option<DecisionRecord>), StoreError> {
        in_tx!(self, |tx| {
            let row = sqlx::query(&format!(
                "UPDATE applications SET state = $1, version = version + 1, updated_at = $2, submitted_at = CASE WHEN $1 IN ('submitted', 'resubmitted') THEN $2 ELSE submitted_at END, \
                 catalog = COALESCE($6, catalog) WHERE id = $3 AND state = $4 AND ($5 < 0 OR version = $5) RETURNING {APP_COLS}, {COUNTED_COLS}"
            ))
            .bind(change.to.code())
            .bind(change.now)
            .bind(change.id)
            .bind(change.from.code())
            .bind(change.version.unwrap_or(-1))
            .bind(change.catalog)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::Conflict)?;
            let app = app_from(&row)?;
            let issued = match decision {
                Some(make) => Some(issue_decision!(
                    tx,
                    change.id,
                    change.actor,
                    change.now,
                    make
                )),
                None => None,
            };
            if let Some(mail) = mail_for(&app, change, issued.as_ref()) {
                enqueue!(tx, &mail);
            }
            event_and_audit!(
                tx,
                &NewEvent {
                    application: change.id,
                    at: change.now,
                    actor: change.actor,
                    action: change.action,
                    from: Some(change.from.code()),
                    to: change.to.code(),
                    reason: change.reason,
                },
                &format!("application.{}", change.action),
                &format!("application:{}", change.id),
                &format!("{} -> {}", change.from.code(), change.to.code())
            );
            // Last before the commit: the statistics' cells are rows every
            // change of the month shares, so their locks are held briefly.
            count_change!(tx, self.zone, &row, &app, change);
            Ok((app, issued))
        })
    }

    pub async fn events(&self, application: i64) -> Result<Vec<Event>, StoreError> {
        let q = "SELECT e.at, e.actor_id, u.role, e.action, e.from_state, e.to_state, e.reason FROM events e LEFT JOIN users u ON u.id = e.actor_id WHERE e.application_id = $1 ORDER BY e.id";
        Ok(on_read!(self, |p| {
            let mut out = Vec::new();
            for r in sqlx::query(q).bind(application).fetch_all(p).await? {
                out.push(Event {
                    at: r.int("at")?,
                    actor_id: r.opt_int("actor_id")?,
                    actor_role: r.opt_text("role")?.and_then(|s| Role::parse(&s).ok()),
                    action: r.text("action")?,
                    from_state: r
                        .opt_text("from_state")?
                        .map(|s| state_of(&s))
                        .transpose()?,
                    to_state: state_of(&r.text("to_state")?)?,
                    reason: r.text("reason")?,
                });
            }
            out
        }))
    }
}

/// The message a state change sends its applicant, if any: the receipt of
/// a submission, a request for more information, the decision.
fn mail_for<'a>(
    app: &Application,
    change: &Change<'_>,
    issued: Option<&DecisionRecord>,
) -> Option<NewMail<'a>> {
    let (kind, params) = match change.to {
        State::Submitted | State::Resubmitted => (
            kind::SUBMITTED,
            serde_json::json!({"application": app.id, "catalog": app.catalog, "resubmitted": change.to == State::Resubmitted}),
        ),
        State::MoreInformation => (
            kind::MORE_INFO,
            serde_json::json!({"application": app.id, "reason": change.reason}),
        ),
        State::Approved | State::Rejected => (
            kind::DECIDED,
            serde_json::json!({
                "application": app.id,
                "outcome": change.to.code(),
                "reason": change.reason,
                "decision": issued.map(|d| d.code.clone()),
                "number": issued.map(|d| d.number.clone()),
            }),
        ),
        _ => return None,
    };
    Some(NewMail::new(kind, app.applicant_id, params, change.now))
}
