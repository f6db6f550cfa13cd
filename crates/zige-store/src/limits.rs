//! Per-application and per-account limits, and which one a refused write
//! ran into.

/// Which limit a refused write ran into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LimitKind {
    /// Evidence files of one application.
    EvidencePerApplication,
    /// Drafts one account has open at once.
    OpenDrafts,
    /// Bytes of evidence one account has stored, over all its applications.
    StoragePerAccount,
}

impl std::fmt::Display for LimitKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            LimitKind::EvidencePerApplication => "evidence files per application",
            LimitKind::OpenDrafts => "open drafts per account",
            LimitKind::StoragePerAccount => "evidence bytes per account",
        })
    }
}

/// Per-application and per-account limits, checked in the same
/// transaction as the write they limit (so concurrent requests cannot
/// overshoot them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub evidence_per_application: i64,
    pub open_drafts_per_account: i64,
    pub storage_bytes_per_account: i64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            evidence_per_application: 20,
            open_drafts_per_account: 20,
            storage_bytes_per_account: 200 * 1024 * 1024,
        }
    }
}
