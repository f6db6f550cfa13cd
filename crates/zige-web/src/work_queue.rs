//! Heavy work (a batch file, a long pasted text) run off the request
//! threads a few at a time: the rest wait for a slot, so a burst cannot
//! take every core from the pages, and past a bound they are turned away,
//! so waiting bodies cannot pile up in memory.

use std::sync::atomic::{AtomicUsize, Ordering};

use tokio::sync::Semaphore;

pub struct WorkQueue {
    slots: Semaphore,
    waiting: AtomicUsize,
    most_waiting: usize,
}

/// Why work did not run to its end.
pub enum NotRun {
    /// Too many are waiting: come back later.
    Full,
    /// The blocking task failed (panicked or was cancelled).
    Failed(String),
}

impl WorkQueue {
    pub const fn new(slots: usize, most_waiting: usize) -> WorkQueue {
        WorkQueue {
            slots: Semaphore::const_new(slots),
            waiting: AtomicUsize::new(0),
            most_waiting,
        }
    }

    /// Runs `work` on a blocking thread once a slot is free. The slot is
    /// held by the work itself, so a client that goes away does not free
    /// it early; a request dropped while waiting stops counting as waiting.
    pub async fn run<T: Send + 'static>(
        &'static self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, NotRun> {
        let waiting = Waiting::enter(self).ok_or(NotRun::Full)?;
        let slot = self.slots.acquire().await.map_err(|_| NotRun::Full)?;
        drop(waiting);
        tokio::task::spawn_blocking(move || {
            let _slot = slot;
            work()
        })
        .await
        .map_err(|e| NotRun::Failed(e.to_string()))
    }
}

/// Counts one waiting until dropped.
struct Waiting(&'static WorkQueue);

impl Waiting {
    fn enter(queue: &'static WorkQueue) -> Option<Waiting> {
        if queue.waiting.fetch_add(1, Ordering::SeqCst) >= queue.most_waiting {
            queue.waiting.fetch_sub(1, Ordering::SeqCst);
            return None;
        }
        Some(Waiting(queue))
    }
}

impl Drop for Waiting {
    fn drop(&mut self) {
        self.0.waiting.fetch_sub(1, Ordering::SeqCst);
    }
}
