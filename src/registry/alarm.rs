//! Deadlines without tokio's timer: one std thread completes a future at its deadline, so that
//! the store keeps its time budget in any tokio runtime, including one built without
//! `enable_time` (where every tokio timer panics).

use std::cmp::Ordering;
use std::collections::BinaryHeap;
use std::sync::{Condvar, Mutex, OnceLock, PoisonError};
use std::time::Instant;

use tokio::sync::oneshot;

/// A receiver that completes with `Ok(())` at `deadline`, or with `Err` at once if no alarm
/// thread could be started (the caller then waits without a deadline).
pub(crate) fn at(deadline: Instant) -> oneshot::Receiver<()> {
    let (tx, rx) = oneshot::channel();
    if let Some(alarms) = alarms() {
        alarms.add(deadline, tx);
    }
    rx
}

/// The process's alarm thread, started on first use.
fn alarms() -> Option<&'static Alarms> {
    static ALARMS: OnceLock<Option<&'static Alarms>> = OnceLock::new();
    *ALARMS.get_or_init(|| {
        let alarms: &'static Alarms = Box::leak(Box::default());
        std::thread::Builder::new()
            .name("schemactl-deadlines".into())
            .spawn(|| alarms.run())
            .ok()
            .map(|_| alarms)
    })
}

#[derive(Default)]
struct Alarms {
    pending: Mutex<Pending>,
    changed: Condvar,
}

#[derive(Default)]
struct Pending {
    heap: BinaryHeap<Alarm>,
    /// Alarms added so far, to order equal deadlines.
    added: u64,
    /// The heap's length after its last sweep of abandoned alarms.
    swept: usize,
}

impl Alarms {
    fn add(&self, at: Instant, tx: oneshot::Sender<()>) {
        let mut pending = self.pending.lock().unwrap_or_else(PoisonError::into_inner);
        // Most waits end long before their deadline (the job answered); drop their alarms when
        // the heap has doubled since the last sweep, so it stays proportional to live waits.
        if pending.heap.len() >= 2 * pending.swept.max(64) {
            pending.heap.retain(|a| !a.tx.is_closed());
            pending.swept = pending.heap.len();
        }
        let seq = pending.added;
        pending.added += 1;
        let earliest = pending.heap.peek().is_none_or(|first| at < first.at);
        pending.heap.push(Alarm { at, seq, tx });
        if earliest {
            self.changed.notify_one();
        }
    }

    fn run(&self) {
        let mut pending = self.pending.lock().unwrap_or_else(PoisonError::into_inner);
        loop {
            let now = Instant::now();
            while pending.heap.peek().is_some_and(|a| a.at <= now) {
                if let Some(alarm) = pending.heap.pop() {
                    // The waiter may be gone; that is fine.
                    let _ = alarm.tx.send(());
                }
            }
            pending = match pending.heap.peek() {
                Some(next) => {
                    let wait = next.at - now;
                    self.changed
                        .wait_timeout(pending, wait)
                        .unwrap_or_else(PoisonError::into_inner)
                        .0
                }
                None => self
                    .changed
                    .wait(pending)
                    .unwrap_or_else(PoisonError::into_inner),
            };
        }
    }
}

/// One deadline; the heap's top is the earliest.
struct Alarm {
    at: Instant,
    seq: u64,
    tx: oneshot::Sender<()>,
}

impl Ord for Alarm {
    fn cmp(&self, other: &Self) -> Ordering {
        (other.at, other.seq).cmp(&(self.at, self.seq))
    }
}

impl PartialOrd for Alarm {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Alarm {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Alarm {}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn alarms_fire_in_deadline_order_without_a_runtime() {
        let start = Instant::now();
        let late = at(start + Duration::from_millis(60));
        let early = at(start + Duration::from_millis(20));
        let abandoned = at(start + Duration::from_millis(10));
        drop(abandoned);
        assert_eq!(early.blocking_recv(), Ok(()));
        assert!(start.elapsed() >= Duration::from_millis(20));
        assert_eq!(late.blocking_recv(), Ok(()));
        assert!(start.elapsed() >= Duration::from_millis(60));
    }
}
