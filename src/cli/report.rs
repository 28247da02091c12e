//! `accord report`: the run `accord run` makes and the sweeps `accord sweep` makes, played
//! through the same requests, written as one self-contained HTML page
//! ([`crate::report::html`]). Every request is checked against the scenario before any is
//! played, so a bad sweep fails at once, not after the main run.

use super::run_options;
use super::settings::{Output, Report};
use super::write;
use crate::error::{About, Error};
use crate::output::write_output;
use crate::report::Format;
use crate::report::html;
use crate::request::{Request, RunResult};
use crate::scenario::Source;
use crate::sweep::SweepSpec;

pub(super) fn report(s: Report) -> Result<(), Error> {
    let source = Source::read(&s.file)?;
    let scenario = source.parse()?;
    let options = run_options(&scenario, &s.sim);
    let main = Request::run(&scenario, &s.proposals)?.prepare(&scenario, options)?;
    let mut offset = 0;
    let mut sweeps = Vec::with_capacity(s.sweeps.len());
    for axes in &s.sweeps {
        let request = Request::Sweep(SweepSpec {
            base: s.proposals.first().cloned(),
            axes: axes.clone(),
            given: Vec::new(),
        });
        sweeps.push(
            request
                .prepare(&scenario, options)
                .map_err(|e| shifted(e, offset))?,
        );
        offset += axes.len();
    }
    // write::play writes only a shard's partial result to `out`; settings refuse shards.
    let out = Output {
        path: s.out.clone(),
        format: Format::Json,
    };
    let whole = |r: Option<RunResult>| {
        r.ok_or_else(|| Error::usage("--shard: a report needs the whole run", None))
    };
    let main = whole(write::play(&main, &source, &s.sim, &out)?)?;
    let sweeps = sweeps
        .iter()
        .map(|p| whole(write::play(p, &source, &s.sim, &out)?))
        .collect::<Result<Vec<_>, _>>()?;
    let command = command_line(std::env::args_os().skip(1));
    let page = html::page(&html::Report {
        source: &source,
        scenario: &scenario,
        main: &main,
        sweeps: &sweeps,
        command: &command,
        chart_size: s.chart_size,
    })?;
    write_output(s.out.as_deref(), page.as_bytes())
}

/// An error about the `i`-th axis of one sweep, made about the `offset + i`-th axis of the
/// command line, so that [`super::settings::Flags`] names the flag the user typed.
fn shifted(e: Error, offset: usize) -> Error {
    match e {
        Error::Invalid(mut inv) => {
            inv.about = match inv.about {
                About::Axis(i) => About::Axis(offset + i),
                About::From(i) => About::From(offset + i),
                About::To(i) => About::To(offset + i),
                About::Points(i) => About::Points(offset + i),
                other => other,
            };
            Error::Invalid(inv)
        }
        other => other,
    }
}

/// The command as a POSIX shell reads it, with the program called `accord` (whatever path
/// started it): words that need it are single-quoted.
fn command_line(args: impl Iterator<Item = std::ffi::OsString>) -> String {
    let mut words = vec!["accord".to_string()];
    words.extend(args.map(|a| quote(&a.to_string_lossy())));
    words.join(" ")
}

fn quote(word: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "-_./=:,+@%".contains(c);
    if !word.is_empty() && word.chars().all(plain) {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_quoted_only_when_a_shell_needs_it() {
        let args = [
            "report",
            "my scenario.toml",
            "--given",
            "it's",
            "-o",
            "r.html",
            "",
        ];
        assert_eq!(
            command_line(args.iter().map(Into::into)),
            r"accord report 'my scenario.toml' --given 'it'\''s' -o r.html ''"
        );
    }

    #[test]
    fn an_axis_error_names_its_place_on_the_command_line() {
        let inv = crate::error::Invalid::new(About::From(1), "bad");
        match shifted(Error::Invalid(inv), 3) {
            Error::Invalid(inv) => assert_eq!(inv.about, About::From(4)),
            other => panic!("{other:?}"),
        }
    }
}
