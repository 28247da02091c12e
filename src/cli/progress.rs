//! Progress of a long run on stderr. On a terminal: a bar, once the run has taken a second,
//! with thousands separators and the time left at the rate so far. Piped or captured: one line
//! after the first second when the run will take long, saying how long, so a script's log
//! tells a long run from a hung one.

use std::io::IsTerminal;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use indicatif::{HumanDuration, ProgressBar, ProgressStyle};

use crate::text::thousands;

/// A run longer than this, at its rate after the first second, is announced when there is
/// no bar to show it.
const LONG: Duration = Duration::from_secs(30);

/// Progress of a run of `total` rounds (or other units of work, [`Progress::counting`]).
pub struct Progress {
    total: u64,
    /// What is counted, plural: `rounds`, `evaluations`.
    unit: &'static str,
    /// `total` is a bound, not a count: the time left is said as "at most".
    bound: bool,
    start: Instant,
    terminal: bool,
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    bar: Option<ProgressBar>,
    announced: bool,
}

impl Progress {
    pub fn new(total: u64) -> Self {
        Progress {
            total,
            unit: "rounds",
            bound: false,
            start: Instant::now(),
            terminal: std::io::stderr().is_terminal(),
            state: Mutex::new(State::default()),
        }
    }

    /// The same, counting `unit` (plural) instead of rounds.
    pub fn counting(self, unit: &'static str) -> Self {
        Progress { unit, ..self }
    }

    /// The same, `total` being only an upper bound on the work.
    pub fn at_most(self) -> Self {
        Progress {
            bound: true,
            ..self
        }
    }

    /// Reports that `done` rounds (units) are finished.
    pub fn update(&self, done: u64) {
        let elapsed = self.start.elapsed();
        if elapsed < Duration::from_secs(1) || done == 0 {
            return;
        }
        let Ok(mut state) = self.state.lock() else {
            return;
        };
        if self.terminal {
            let (total, unit) = (self.total, self.unit);
            let left = if self.bound {
                "at most {eta} left"
            } else {
                "{eta} left"
            };
            let bar = state.bar.get_or_insert_with(|| {
                let b = ProgressBar::new(total);
                if let Ok(style) = ProgressStyle::with_template(&format!(
                    "{{bar:40}} {{human_pos}}/{{human_len}} {unit}  {{per_sec:0}}  {left}"
                )) {
                    b.set_style(style);
                }
                b
            });
            // Workers report out of order; the bar only moves forward.
            if done > bar.position() {
                bar.set_position(done);
            }
        } else if !state.announced {
            state.announced = true;
            let left = elapsed.mul_f64((self.total.saturating_sub(done)) as f64 / done as f64);
            if left > LONG {
                crate::output::note(format_args!(
                    "accord: {} {} to go ({} of {} {} in {})",
                    if self.bound { "at most" } else { "about" },
                    HumanDuration(left),
                    thousands(done),
                    thousands(self.total),
                    self.unit,
                    HumanDuration(elapsed)
                ));
            }
        }
    }

    /// Removes the bar.
    pub fn finish(&self) {
        if let Ok(mut state) = self.state.lock()
            && let Some(b) = state.bar.take()
        {
            b.finish_and_clear();
        }
    }
}
