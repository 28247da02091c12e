//! Progress of a long run on stderr. On a terminal: a bar, once the run has taken a second,
//! with thousands separators and the time left at the rate so far. Piped or captured: one line
//! after the first second when the run will take long, saying how long, so a script's log
//! tells a long run from a hung one.

use std::io::IsTerminal;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use indicatif::{HumanDuration, ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::text::thousands;

/// A run longer than this, at its rate after the first second, is announced when there is
/// no bar to show it.
const LONG: Duration = Duration::from_secs(30);

/// Progress of a run of `total` rounds (or of another unit of work, [`Progress::counting`]).
pub struct Progress {
    total: u64,
    /// What is counted, plural: `rounds`, `evaluations`, a raced search's `deal-rounds`.
    unit: &'static str,
    /// `total` is a bound, not a count: the time left is said as "at most".
    bound: bool,
    start: Instant,
    terminal: bool,
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    /// On a terminal, the bar: hidden for the first second, but fed from the start so that
    /// its rate and time left count the whole run rather than a jump from 0.
    bar: Option<ProgressBar>,
    shown: bool,
    announced: bool,
}

impl Progress {
    pub fn new(total: u64) -> Self {
        Self::counting(total, "rounds")
    }

    /// Progress of `total` of `unit` (plural, as the bar and the note name them).
    pub fn counting(total: u64, unit: &'static str) -> Self {
        let terminal = std::io::stderr().is_terminal();
        let bar = terminal.then(|| {
            let b = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::hidden());
            if let Ok(style) = ProgressStyle::with_template(&template(unit, false)) {
                b.set_style(style);
            }
            b
        });
        Progress {
            total,
            unit,
            bound: false,
            start: Instant::now(),
            terminal,
            state: Mutex::new(State {
                bar,
                ..State::default()
            }),
        }
    }

    /// The same, `total` being only an upper bound on the work.
    pub fn at_most(mut self) -> Self {
        self.bound = true;
        if let Ok(state) = self.state.get_mut()
            && let Some(bar) = &state.bar
            && let Ok(style) = ProgressStyle::with_template(&template(self.unit, true))
        {
            bar.set_style(style);
        }
        self
    }

    /// Reports that `done` of the total are finished.
    pub fn update(&self, done: u64) {
        let Ok(mut state) = self.state.lock() else {
            return;
        };
        let elapsed = self.start.elapsed();
        if let Some(bar) = &state.bar {
            // Workers report out of order; the bar only moves forward.
            if done > bar.position() {
                bar.set_position(done);
            }
        }
        if elapsed < Duration::from_secs(1) || done == 0 {
            return;
        }
        if self.terminal {
            if !state.shown {
                state.shown = true;
                if let Some(bar) = &state.bar {
                    bar.set_draw_target(ProgressDrawTarget::stderr());
                }
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

/// The bar's template: `unit` counted, the time left (at most, when `bound`).
fn template(unit: &str, bound: bool) -> String {
    let left = if bound {
        "at most {eta} left"
    } else {
        "{eta} left"
    };
    format!("{{bar:40}} {{human_pos}}/{{human_len}} {unit}  {{per_sec:0}}  {left}")
}
