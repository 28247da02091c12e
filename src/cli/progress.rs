//! A progress bar on stderr, shown only on a terminal and only once a run has taken a second.

use std::io::IsTerminal;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};

/// Progress of a run of `total` rounds.
pub struct Progress {
    total: u64,
    start: Instant,
    enabled: bool,
    bar: Mutex<Option<ProgressBar>>,
}

impl Progress {
    pub fn new(total: u64) -> Self {
        Progress {
            total,
            start: Instant::now(),
            enabled: std::io::stderr().is_terminal(),
            bar: Mutex::new(None),
        }
    }

    /// Reports that `done` rounds are finished.
    pub fn update(&self, done: u64) {
        if !self.enabled || self.start.elapsed() < Duration::from_secs(1) {
            return;
        }
        let Ok(mut slot) = self.bar.lock() else {
            return;
        };
        let bar = slot.get_or_insert_with(|| {
            let b = ProgressBar::new(self.total);
            if let Ok(style) =
                ProgressStyle::with_template("{bar:40} {pos}/{len} rounds  {per_sec}  eta {eta}")
            {
                b.set_style(style);
            }
            b
        });
        // Workers report out of order; the bar only moves forward.
        if done > bar.position() {
            bar.set_position(done);
        }
    }

    /// Removes the bar.
    pub fn finish(&self) {
        if let Ok(mut slot) = self.bar.lock()
            && let Some(b) = slot.take()
        {
            b.finish_and_clear();
        }
    }
}
