//! How a command fails: rejected input (exit status 2, one line naming the
//! field, the value and what is allowed) or anything else (exit status 1).

/// A failure: rejected input (exit 2) or anything else (exit 1).
pub(crate) enum Failure {
    Input(String),
    Other(anyhow::Error),
}

impl<E: Into<anyhow::Error>> From<E> for Failure {
    fn from(e: E) -> Self {
        Failure::Other(e.into())
    }
}

/// What every command answers: done, or a failure to report.
pub(crate) type Out = Result<(), Failure>;
