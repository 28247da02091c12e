//! `accord calibrate`: hyperparameters fitted to observed shares and decisions (see
//! [`crate::analysis::calibrate`]); the report on stdout, the calibrated scenario to `-o`.

use super::progress::Progress;
use super::settings::Calibrate;
use crate::analysis::calibrate::{self, CalibrationReport, Part, Problem, Spec};
use crate::error::Error;
use crate::output::write_output;
use crate::scenario::{Format as ScenarioFormat, Source};
use crate::sim::RunOptions;
use crate::text::thousands;

pub(super) fn calibrate(c: Calibrate) -> Result<(), Error> {
    let source = Source::read(&c.file)?;
    let scenario = source.parse()?;
    let data_name = c.data.display().to_string();
    let data_text = std::fs::read_to_string(&c.data).map_err(|e| Error::Read {
        path: c.data.clone(),
        source: e,
    })?;
    let data = calibrate::read_observations(&data_text, &data_name)?;
    if c.scenario_out.is_some() && source.format != ScenarioFormat::Toml {
        return Err(Error::usage(
            format!(
                "-o: {} is not TOML; the calibrated scenario is written by editing a TOML file",
                c.file.display()
            ),
            None,
        ));
    }
    let spec = Spec {
        fit: c.fit.clone(),
        hold_out: c.hold_out.clone(),
        options: RunOptions {
            rounds: c.rounds.unwrap_or(scenario.simulation.rounds),
            seed: c.seed.unwrap_or(scenario.simulation.seed),
            threads: c.threads,
        },
    };
    // A fit stops when its simplex settles, so only a bound on its evaluations is known.
    let bound = calibrate::max_evaluations(c.fit.len()) as u64;
    let progress = Progress::counting(bound, "evaluations").at_most();
    let fitted = calibrate::calibrate(&scenario, &data, &spec, &|e| progress.update(e as u64));
    progress.finish();
    let (report, fitted) = fitted.map_err(|p| word(&c, &data_text, &data_name, p))?;
    if let Some(chart) = &c.chart {
        crate::report::plot::draw_calibration(&report, &chart.path, chart.size)?;
    }
    if let Some(path) = &c.scenario_out {
        let comment = comment(&report, &data_name);
        let text = calibrate::write_fitted(&source.text, &scenario, &fitted, &comment)
            .map_err(|m| Error::usage(format!("-o {}: {m}", path.display()), None))?;
        // The written scenario must read back with the fitted values.
        crate::scenario::parse(&text, &path.display().to_string(), ScenarioFormat::Toml)?;
        write_output(Some(path), text.as_bytes())?;
    }
    let text = c.format.exporter().calibration(&report);
    write_output(None, text.as_bytes())
}

/// The comment put at the top of a calibrated scenario: the data, the fit and its quality.
fn comment(r: &CalibrationReport, data: &str) -> String {
    let clean = |s: &str| s.replace(['\n', '\r'], " ");
    let mut lines = vec![format!(
        "{} against {} (maximum likelihood, {} rounds, seed {}; common random numbers).",
        calibrate::CALIBRATED,
        clean(data),
        thousands(r.rounds),
        r.seed
    )];
    lines.push("Data, observed against fitted (held-out ones against predicted):".into());
    for o in &r.observations {
        lines.push(format!(
            "  {}: {} accepts {}: {:.3} of {} observed, {:.3} {}",
            clean(&o.label),
            o.party,
            o.proposal,
            o.observed,
            thousands(o.n),
            o.fitted.p,
            if o.held_out {
                "predicted (held out)"
            } else {
                "fitted"
            }
        ));
    }
    lines.push("Fitted (95% profile-likelihood interval; the file's value before):".into());
    for e in &r.estimates {
        lines.push(format!(
            "  {} = {} ({} to {}; was {})",
            e.name,
            calibrate::number(e.value),
            end(e.lo),
            end(e.hi),
            calibrate::number(e.start)
        ));
    }
    lines.push(match r.p_value {
        Some(p) => format!(
            "Goodness of fit: deviance G² = {:.2} on {} df, p {}.",
            r.deviance,
            r.df,
            crate::text::p_value(p)
        ),
        None => format!(
            "Goodness of fit: deviance G² = {:.2}; no degree of freedom left, so it tests nothing.",
            r.deviance
        ),
    });
    if let Some(h) = &r.held_out {
        lines.push(format!(
            "Held out ({}): deviance {:.2} on {} df, p {}; {} of {} shares outside their 95% range.",
            clean(&h.waves.join("; ")),
            h.deviance,
            h.df,
            crate::text::p_value(h.p_value),
            h.outside,
            h.shares
        ));
    }
    let mut out: String = lines.iter().map(|l| format!("# {l}\n")).collect();
    out.push_str("#\n");
    out
}

fn end(x: f64) -> String {
    if x.is_nan() {
        "unbounded".into()
    } else {
        calibrate::number(x)
    }
}

/// A problem in the command line's words: the flag, or the data file's line and column.
fn word(c: &Calibrate, data: &str, name: &str, p: Problem) -> Error {
    let flag = match &p.part {
        Part::Data(path) => {
            let span = crate::scenario::locate::toml_span(
                data,
                path,
                crate::scenario::build::Target::Value,
            );
            return crate::scenario::located(data, name, span, p.message, p.help);
        }
        Part::Fit(i) => c.fit.get(*i).map(|f| format!("--fit {f}")),
        Part::HoldOut(i) => c.hold_out.get(*i).map(|w| format!("--hold-out {w:?}")),
        Part::Rounds => Some(match c.rounds {
            Some(r) => format!("--rounds {r}"),
            None => "the scenario's [simulation] rounds".into(),
        }),
        Part::Scenario => Some(c.file.display().to_string()),
    };
    let message = match flag {
        Some(f) => format!("{f}: {}", p.message),
        None => p.message,
    };
    Error::usage(message, p.help)
}
