//! The benches' own timing for their closing ratio lines, beside criterion's figures.

use std::time::{Duration, Instant};

/// Median wall time of `f` over repeated runs for about `budget` (at least five runs).
pub fn median_time(budget: Duration, mut f: impl FnMut()) -> Duration {
    let mut samples = Vec::new();
    let start = Instant::now();
    while start.elapsed() < budget || samples.len() < 5 {
        let t = Instant::now();
        f();
        samples.push(t.elapsed());
    }
    samples.sort();
    samples[samples.len() / 2]
}
