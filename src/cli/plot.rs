//! `accord plot`: redraw a saved sweep.

use std::path::Path;

use super::args::PlotArgs;
use crate::error::Error;
use crate::report::csv::read_sweep_csv;
use crate::report::plot::{ImageFormat, draw_sweep};
use crate::sweep::SweepResult;

pub fn plot(args: PlotArgs) -> Result<(), Error> {
    ImageFormat::from_path(&args.plot)?;
    let result = read_result(&args.result)?;
    draw_sweep(&result, &args.plot, args.size)
}

/// Reads a sweep result from its CSV or JSON (by extension; JSON for `.json`).
pub fn read_result(path: &Path) -> Result<SweepResult, Error> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::Read {
        path: path.to_path_buf(),
        source: e,
    })?;
    let name = path.display().to_string();
    let is_json = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    if is_json {
        serde_json::from_str(&text).map_err(|e| {
            Error::usage(
                format!(
                    "{name}:{}:{}: not a sweep result: {}",
                    e.line(),
                    e.column(),
                    e
                ),
                Some("give a CSV or JSON file written by `accord sweep`".into()),
            )
        })
    } else {
        read_sweep_csv(&text, &name)
    }
}
