//! Appending a step to an application's timeline together with the audit
//! record that tells of it: one statement on PostgreSQL, where each
//! statement is a round trip; two on SQLite, which runs in-process and
//! has no data-modifying `WITH`.

/// A step appended to an application's timeline.
pub(crate) struct NewEvent<'a> {
    pub application: i64,
    pub at: i64,
    pub actor: Option<i64>,
    pub action: &'a str,
    pub from: Option<&'a str>,
    pub to: &'a str,
    pub reason: &'a str,
}

/// The event, then (PostgreSQL) its audit record by the same actor at the
/// same time.
pub(crate) const EVENT_AND_AUDIT: &str = "WITH event AS (\
    INSERT INTO events (application_id, at, actor_id, action, from_state, to_state, reason) VALUES ($1, $2, $3, $4, $5, $6, $7)) \
    INSERT INTO audit_pending (at, actor_id, action, subject, detail) VALUES ($2, $3, $8, $9, $10)";

/// The event alone (SQLite), before [`crate::audit::audit`].
pub(crate) const EVENT_ONLY: &str = "INSERT INTO events (application_id, at, actor_id, action, from_state, to_state, reason) VALUES ($1, $2, $3, $4, $5, $6, $7)";

/// Appends `$event` to its application's timeline inside `$tx`, with the
/// audit record of `$action` on `$subject` (`$detail`) by the event's
/// actor at its time: both commit with the change or neither does.
macro_rules! event_and_audit {
    ($tx:ident, $event:expr, $action:expr, $subject:expr, $detail:expr) => {{
        let event: &$crate::applications::NewEvent<'_> = $event;
        let (action, subject, detail): (&str, &str, &str) = ($action, $subject, $detail);
        let one_statement = $crate::sql::multi_table_insert(&*$tx);
        let sql = match one_statement {
            true => $crate::applications::EVENT_AND_AUDIT,
            false => $crate::applications::EVENT_ONLY,
        };
        let mut query = sqlx::query(sql)
            .bind(event.application)
            .bind(event.at)
            .bind(event.actor)
            .bind(event.action)
            .bind(event.from)
            .bind(event.to)
            .bind(event.reason);
        if one_statement {
            query = query.bind(action).bind(subject).bind(detail);
        }
        query.execute(&mut *$tx).await?;
        if !one_statement {
            $crate::audit::audit!($tx, event.at, event.actor, action, subject, detail);
        }
    }};
}
pub(crate) use event_and_audit;
