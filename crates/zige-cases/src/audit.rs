//! The audit log: append-only records, each chained to the one before by
//! SHA-256, so that changing, removing or reordering any record shows.

use serde::{Deserialize, Serialize};
use serde_json::json;

/// The `prev_hash` of the first record.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRecord {
    pub seq: i64,
    /// Milliseconds since the epoch.
    pub at: i64,
    /// The account that acted; None for the system and the CLI.
    pub actor: Option<i64>,
    /// `application.submit`, `case.view`, `decision.revoke`, `user.create`…
    pub action: String,
    /// What it was done to: `application:12`, `user:3`.
    pub subject: String,
    pub detail: String,
    pub prev_hash: String,
    pub hash: String,
}

impl AuditRecord {
    /// The record that follows `prev_hash` with sequence number `seq`.
    pub fn new(
        seq: i64,
        at: i64,
        actor: Option<i64>,
        action: &str,
        subject: &str,
        detail: &str,
        prev_hash: &str,
    ) -> AuditRecord {
        let mut r = AuditRecord {
            seq,
            at,
            actor,
            action: action.into(),
            subject: subject.into(),
            detail: detail.into(),
            prev_hash: prev_hash.into(),
            hash: String::new(),
        };
        r.hash = r.compute_hash();
        r
    }

    /// SHA-256 over the canonical JSON of every field but the hash.
    pub fn compute_hash(&self) -> String {
        let v = json!({"seq": self.seq, "at": self.at, "actor": self.actor, "action": self.action, "subject": self.subject, "detail": self.detail, "prev_hash": self.prev_hash});
        crate::sha256_hex(&crate::decision::canonical(&v))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChainError {
    #[error("record {seq}: its hash does not match its content (altered)")]
    Altered { seq: i64 },
    #[error(
        "record {seq}: it does not follow the record before it (removed, inserted or reordered)"
    )]
    Broken { seq: i64 },
}

/// Checks records given in order of `seq`; Ok gives how many were checked.
pub fn verify_chain<'a>(
    records: impl IntoIterator<Item = &'a AuditRecord>,
) -> Result<usize, ChainError> {
    let mut prev = GENESIS.to_string();
    let mut last_seq = 0;
    let mut n = 0;
    for r in records {
        if r.prev_hash != prev || r.seq != last_seq + 1 {
            return Err(ChainError::Broken { seq: r.seq });
        }
        if r.compute_hash() != r.hash {
            return Err(ChainError::Altered { seq: r.seq });
        }
        prev = r.hash.clone();
        last_seq = r.seq;
        n += 1;
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(n: i64) -> Vec<AuditRecord> {
        let mut out: Vec<AuditRecord> = Vec::new();
        for i in 1..=n {
            let prev = out
                .last()
                .map(|r| r.hash.clone())
                .unwrap_or_else(|| GENESIS.into());
            out.push(AuditRecord::new(
                i,
                1000 * i,
                Some(1),
                "application.submit",
                &format!("application:{i}"),
                "",
                &prev,
            ));
        }
        out
    }

    #[test]
    fn an_intact_chain_verifies_and_any_tampering_is_located() {
        let c = chain(5);
        assert_eq!(verify_chain(&c), Ok(5));

        let mut altered = c.clone();
        altered[2].detail = "nothing to see".into();
        assert_eq!(verify_chain(&altered), Err(ChainError::Altered { seq: 3 }));

        let mut removed = c.clone();
        removed.remove(1);
        assert_eq!(verify_chain(&removed), Err(ChainError::Broken { seq: 3 }));

        // Rewriting one record's hash to match does not help: the next one breaks.
        let mut rehashed = c.clone();
        rehashed[2].detail = "x".into();
        rehashed[2].hash = rehashed[2].compute_hash();
        assert_eq!(verify_chain(&rehashed), Err(ChainError::Broken { seq: 4 }));

        let mut swapped = c;
        swapped.swap(0, 1);
        assert_eq!(verify_chain(&swapped), Err(ChainError::Broken { seq: 2 }));
    }
}
