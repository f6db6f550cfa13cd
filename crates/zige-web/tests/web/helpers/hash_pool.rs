//! The gate to the process-wide password-hashing pool.

use std::sync::{Condvar, Mutex, OnceLock};

/// The password-hashing pool is one per process, and this one process runs
/// every test. Tests that fill it on purpose run [`alone`]; every app holds
/// a share of the pool until it is dropped, so they wait for each other.
struct HashPoolGate {
    state: Mutex<GateState>,
    changed: Condvar,
}

#[derive(Default)]
struct GateState {
    shares: usize,
    alone: bool,
    waiting_alone: usize,
}

thread_local! {
    /// Shares this thread holds, and whether it runs alone (then it needs none).
    static HELD: std::cell::Cell<(usize, bool)> = const { std::cell::Cell::new((0, false)) };
}

fn gate() -> &'static HashPoolGate {
    static GATE: OnceLock<HashPoolGate> = OnceLock::new();
    GATE.get_or_init(|| HashPoolGate {
        state: Mutex::new(GateState::default()),
        changed: Condvar::new(),
    })
}

/// A share of the hashing pool, held by each [`TestApp`].
pub(super) struct HashPoolShare {
    counted: bool,
}

impl HashPoolShare {
    pub(super) fn take() -> HashPoolShare {
        let (held, alone) = HELD.get();
        if alone {
            return HashPoolShare { counted: false };
        }
        let gate = gate();
        let mut state = gate.state.lock().unwrap();
        // A thread that holds a share already takes another at once (it
        // would wait for itself); others let a waiting `alone` go first.
        while state.alone || (held == 0 && state.waiting_alone > 0) {
            state = gate.changed.wait(state).unwrap();
        }
        state.shares += 1;
        HELD.set((held + 1, false));
        HashPoolShare { counted: true }
    }
}

impl Drop for HashPoolShare {
    fn drop(&mut self) {
        if !self.counted {
            return;
        }
        let gate = gate();
        let mut state = gate.state.lock().unwrap_or_else(|p| p.into_inner());
        state.shares -= 1;
        let (held, alone) = HELD.get();
        HELD.set((held.saturating_sub(1), alone));
        gate.changed.notify_all();
    }
}

/// The hashing pool to this test alone until the guard is dropped: for
/// the tests that fill it on purpose (they ran in a process of their own
/// when each file was a test binary).
pub struct Alone;

pub fn alone() -> Alone {
    let gate = gate();
    let mut state = gate.state.lock().unwrap();
    state.waiting_alone += 1;
    while state.alone || state.shares > 0 {
        state = gate.changed.wait(state).unwrap();
    }
    state.waiting_alone -= 1;
    state.alone = true;
    HELD.set((0, true));
    Alone
}

impl Drop for Alone {
    fn drop(&mut self) {
        let gate = gate();
        let mut state = gate.state.lock().unwrap_or_else(|p| p.into_inner());
        state.alone = false;
        HELD.set((0, false));
        gate.changed.notify_all();
    }
}
