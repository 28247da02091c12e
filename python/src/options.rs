//! Keyword arguments → the library's request and run options, in one step, remembering how
//! each was written so an error can name it ([`Words`], the counterpart of the command line's
//! `Flags`).

use accord::error::About;
use accord::job::{Given, Mode, Shard};
use accord::sweep::AxisSpec;
use accord::text::decimal;
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyString};

use crate::errors::option_error;

/// The most worker threads, as on the command line.
const MAX_THREADS: u64 = 1024;

/// The most rounds precision mode plays unless `max_rounds` says otherwise (the CLI's
/// `--max-rounds` default).
pub const DEFAULT_MAX_ROUNDS: u64 = 10_000_000;

/// How the user wrote one sweep axis.
#[derive(Debug, Clone)]
pub struct AxisWords {
    /// `clause`, `path`, `reservation` or `param`.
    pub kind: &'static str,
    /// What it sweeps, as written (`troop_cap`, `plan_28..plan_19`).
    pub value: String,
    pub from: Option<f64>,
    pub to: Option<f64>,
    pub points: Option<usize>,
    /// A reservation axis's shifts from the party's own reservation, as written
    /// (`(-0.2, 0)`, `'-0.2..0'`): the CLI's `--shift A..B`.
    pub shift: Option<String>,
}

/// The keyword arguments as given, to name the one an error is [`About`].
#[derive(Debug, Clone, Default)]
pub struct Words {
    /// The keyword proposals came in: `proposals` (run, seeds) or `proposal` (sweep).
    pub proposals_kw: &'static str,
    pub proposals: Vec<String>,
    /// Whether one string was given rather than a list.
    pub one_proposal: bool,
    pub axes: Vec<AxisWords>,
    /// Whether the axis came as `clause=`/`path=`/… rather than `axes=[…]`.
    pub single_axis: bool,
    pub beyond: Option<f64>,
    /// The `axes` entry `beyond` came in, when not as the top-level keyword.
    pub beyond_at: Option<usize>,
    pub rounds: Option<u64>,
    pub max_rounds: Option<u64>,
    pub precision: Option<f64>,
    pub shard: Option<(u64, u64)>,
    pub seeds: Option<String>,
    /// The observed decisions of `given`, as written.
    pub given: Vec<String>,
}

/// A string as Python would show it.
fn quoted(s: &str) -> String {
    format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'"))
}

impl Words {
    /// The keyword `about` refers to and how it was written (`rounds=0`,
    /// `axes[1]["to"]=2 (clause='troop_cap')`), or `None` for the request as a whole.
    pub fn name(&self, about: About) -> Option<(&'static str, String)> {
        let show_axis = |i: usize| {
            self.axes
                .get(i)
                .map(|a| format!("{}={}", a.kind, quoted(&a.value)))
        };
        // A bound of axis `i`: `from_=5 (of clause='x')` for the single-axis form,
        // `axes[0]["from"]=5 (clause='x')` for the list.
        let bound = |i: usize, key: &'static str, value: Option<String>| {
            let axis = show_axis(i).unwrap_or_default();
            if self.single_axis {
                let kw = if key == "from" { "from_" } else { key };
                let words = match value {
                    Some(v) => format!("{kw}={v} (of {axis})"),
                    None => format!("{axis} (no {kw})"),
                };
                (kw, words)
            } else {
                let words = match value {
                    Some(v) => format!("axes[{i}][\"{key}\"]={v} ({axis})"),
                    None => format!("axes[{i}] ({axis}, no \"{key}\")"),
                };
                ("axes", words)
            }
        };
        let axis_get = |i: usize| self.axes.get(i);
        // Shifts are checked by the library as the reservations they lead to.
        let shifted = |i: usize| axis_get(i).and_then(|a| a.shift.clone());
        match about {
            About::Request | About::Trace | About::Setting(..) => None,
            About::Given(i) => self
                .given
                .get(i)
                .map(|g| ("given", format!("given[{i}]={}", quoted(g)))),
            About::Proposal(_) | About::Base => {
                let kw = self.proposals_kw;
                let i = match about {
                    About::Proposal(i) => i,
                    _ => 0,
                };
                let words = match self.proposals.get(i) {
                    Some(p) if self.one_proposal => format!("{kw}={}", quoted(p)),
                    Some(p) => format!("{kw}[{i}]={}", quoted(p)),
                    None => kw.to_string(),
                };
                Some((kw, words))
            }
            About::Axis(i) => Some(match (show_axis(i), self.single_axis) {
                (Some(axis), true) => (self.axes[i].kind, axis),
                (Some(axis), false) => ("axes", format!("axes[{i}] ({axis})")),
                (None, _) => ("axes", format!("axes[{i}]")),
            }),
            About::From(i) | About::To(i) if shifted(i).is_some() => {
                Some(bound(i, "shift", shifted(i)))
            }
            About::From(i) => Some(bound(i, "from", axis_get(i)?.from.map(decimal))),
            About::To(i) => Some(bound(i, "to", axis_get(i)?.to.map(decimal))),
            About::Points(i) => Some(bound(
                i,
                "points",
                axis_get(i)?.points.map(|p| p.to_string()),
            )),
            About::Beyond => Some(match (self.beyond, self.beyond_at) {
                (Some(b), Some(i)) => ("axes", format!("axes[{i}][\"beyond\"]={}", decimal(b))),
                (Some(b), None) => ("beyond", format!("beyond={}", decimal(b))),
                (None, _) => ("beyond", "beyond".into()),
            }),
            // In precision mode the rounds are the cap.
            About::Rounds if self.precision.is_some() => Some((
                "max_rounds",
                match self.max_rounds {
                    Some(r) => format!("max_rounds={r}"),
                    None => format!("max_rounds (default {DEFAULT_MAX_ROUNDS})"),
                },
            )),
            About::Rounds => Some((
                "rounds",
                match self.rounds {
                    Some(r) => format!("rounds={r}"),
                    None => "rounds (the scenario's [simulation] rounds)".into(),
                },
            )),
            About::Precision => Some((
                "precision",
                format!(
                    "precision={}",
                    self.precision.map(decimal).unwrap_or_default()
                ),
            )),
            About::Shard => Some((
                "shard",
                match self.shard {
                    Some((k, n)) => format!("shard=({k}, {n})"),
                    None => "shard".into(),
                },
            )),
            About::Seeds => Some((
                "seeds",
                match &self.seeds {
                    Some(s) => format!("seeds={s}"),
                    None => "seeds".into(),
                },
            )),
        }
    }

    /// An [`OptionError`](crate::errors::OptionError) about a keyword, worded here (for
    /// problems found before the library sees the request).
    pub fn error(py: Python<'_>, keyword: &'static str, words: String, message: &str) -> PyErr {
        option_error(py, Some((keyword, words)), message, None)
    }
}

/// `TypeError` for a keyword given a value of the wrong type.
fn type_error(keyword: &str, expected: &str, got: &Bound<'_, PyAny>) -> PyErr {
    let ty = got
        .get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "?".into());
    PyTypeError::new_err(format!("{keyword}: expected {expected}, got {ty}"))
}

/// A whole number from 0 to `u64::MAX`: a Python int (or anything with `__index__`), or a
/// float with no fractional part (`rounds=1e6`). `words` is how an error names it.
pub fn whole(
    py: Python<'_>,
    v: &Bound<'_, PyAny>,
    keyword: &'static str,
    words: &str,
) -> PyResult<u64> {
    if v.is_instance_of::<PyBool>() {
        return Err(type_error(keyword, "a whole number", v));
    }
    let n: i128 = if v.is_instance_of::<PyFloat>() {
        let x: f64 = v.extract()?;
        if !x.is_finite() || x.fract() != 0.0 {
            return Err(Words::error(
                py,
                keyword,
                format!("{keyword}={}", decimal(x)),
                "not a whole number",
            ));
        }
        // Saturates far outside u64's range; the range check below then refuses it.
        x as i128
    } else {
        v.extract::<i128>()
            .map_err(|_| type_error(keyword, "a whole number", v))?
    };
    u64::try_from(n).map_err(|_| {
        Words::error(
            py,
            keyword,
            format!("{words}={n}"),
            if n < 0 {
                "a negative number; give a whole number from 0"
            } else {
                "too large: at most 18446744073709551615"
            },
        )
    })
}

/// A real number: a Python int or float (range checks are the library's).
pub fn real(v: &Bound<'_, PyAny>, keyword: &str) -> PyResult<f64> {
    if v.is_instance_of::<PyBool>() {
        return Err(type_error(keyword, "a number", v));
    }
    v.extract::<f64>()
        .map_err(|_| type_error(keyword, "a number", v))
}

/// A string.
fn text(v: &Bound<'_, PyAny>, keyword: &str) -> PyResult<String> {
    v.cast::<PyString>()
        .map_err(|_| type_error(keyword, "a string", v))?
        .to_cow()
        .map(|c| c.into_owned())
}

/// Proposal names: one string, or an iterable of strings. Returns them and whether one
/// string was given.
pub fn names(v: Option<&Bound<'_, PyAny>>, keyword: &str) -> PyResult<(Vec<String>, bool)> {
    let Some(v) = v else {
        return Ok((Vec::new(), false));
    };
    if v.is_none() {
        return Ok((Vec::new(), false));
    }
    if v.is_instance_of::<PyString>() {
        return Ok((vec![text(v, keyword)?], true));
    }
    let mut out = Vec::new();
    let iter = v
        .try_iter()
        .map_err(|_| type_error(keyword, "a string or a list of strings", v))?;
    for (i, item) in iter.enumerate() {
        out.push(text(&item?, &format!("{keyword}[{i}]"))?);
    }
    Ok((out, false))
}

/// The observed decisions of `given=` (one string or a list of them, each as `--given`
/// takes it: "ukraine accepts plan_19"), read.
pub fn given(
    py: Python<'_>,
    v: Option<&Bound<'_, PyAny>>,
    words: &mut Words,
) -> PyResult<Vec<Given>> {
    let (texts, _) = names(v, "given")?;
    words.given = texts.clone();
    texts
        .iter()
        .enumerate()
        .map(|(i, g)| {
            g.parse::<Given>().map_err(|m: String| {
                Words::error(py, "given", format!("given[{i}]={}", quoted(g)), &m)
            })
        })
        .collect()
}

/// Rounds, seed, threads and the mode, checked; rounds and seed `None` where the scenario's
/// `[simulation]` applies.
#[derive(Debug, Clone, Copy)]
pub struct Sim {
    /// Rounds (in precision mode: the cap, `max_rounds`).
    pub rounds: Option<u64>,
    pub seed: Option<u64>,
    pub threads: Option<usize>,
    /// Whole, to a precision, or one shard.
    pub mode: Mode,
}

/// The run options' keywords, as given.
pub struct SimArgs<'a, 'py> {
    pub rounds: Option<&'a Bound<'py, PyAny>>,
    pub seed: Option<&'a Bound<'py, PyAny>>,
    pub threads: Option<&'a Bound<'py, PyAny>>,
    pub precision: Option<&'a Bound<'py, PyAny>>,
    pub max_rounds: Option<&'a Bound<'py, PyAny>>,
    pub shard: Option<&'a Bound<'py, PyAny>>,
}

/// `threads`: from 1 to 1024.
pub fn threads(py: Python<'_>, v: Option<&Bound<'_, PyAny>>) -> PyResult<Option<usize>> {
    let Some(v) = v.filter(|v| !v.is_none()) else {
        return Ok(None);
    };
    let n = whole(py, v, "threads", "threads")?;
    if !(1..=MAX_THREADS).contains(&n) {
        return Err(Words::error(
            py,
            "threads",
            format!("threads={n}"),
            "give from 1 to 1024 worker threads (the result does not depend on it)",
        ));
    }
    Ok(Some(n as usize))
}

/// Checks the run options, recording them in `words`.
pub fn sim(py: Python<'_>, a: SimArgs<'_, '_>, words: &mut Words) -> PyResult<Sim> {
    let given = |v: Option<&Bound<'_, PyAny>>| v.is_some_and(|v| !v.is_none());
    let rounds = match a.rounds.filter(|v| !v.is_none()) {
        Some(v) => Some(whole(py, v, "rounds", "rounds")?),
        None => None,
    };
    let seed = match a.seed.filter(|v| !v.is_none()) {
        Some(v) => Some(whole(py, v, "seed", "seed")?),
        None => None,
    };
    let threads = threads(py, a.threads)?;
    words.rounds = rounds;
    let precision = match a.precision.filter(|v| !v.is_none()) {
        Some(v) => Some(real(v, "precision")?),
        None => None,
    };
    words.precision = precision;
    let max_rounds = match a.max_rounds.filter(|v| !v.is_none()) {
        Some(v) => Some(whole(py, v, "max_rounds", "max_rounds")?),
        None => None,
    };
    words.max_rounds = max_rounds;
    let shard = match a.shard.filter(|v| !v.is_none()) {
        Some(v) => Some(shard(py, v)?),
        None => None,
    };
    words.shard = shard;
    let mode = match (precision, shard) {
        (Some(target), _) => {
            for (other, given) in [("rounds", rounds.is_some()), ("shard", shard.is_some())] {
                if given {
                    return Err(Words::error(
                        py,
                        "precision",
                        format!("precision={}", decimal(target)),
                        &format!(
                            "precision mode plays blocks until the target holds, so it does not combine with {other} (max_rounds caps it)"
                        ),
                    ));
                }
            }
            Mode::Precision { target }
        }
        (None, Some((k, n))) => {
            Mode::Shard(Shard::new(k, n).map_err(|e| {
                Words::error(py, "shard", format!("shard=({k}, {n})"), &e.to_string())
            })?)
        }
        (None, None) => Mode::Whole,
    };
    if given(a.max_rounds) && precision.is_none() {
        return Err(Words::error(
            py,
            "max_rounds",
            format!("max_rounds={}", max_rounds.unwrap_or_default()),
            "applies in precision mode only; give precision=H too",
        ));
    }
    Ok(Sim {
        rounds: match mode {
            Mode::Precision { .. } => Some(max_rounds.unwrap_or(DEFAULT_MAX_ROUNDS)),
            _ => rounds,
        },
        seed,
        threads,
        mode,
    })
}

/// `shard`: a pair `(k, n)` or a string `"k/n"`.
fn shard(py: Python<'_>, v: &Bound<'_, PyAny>) -> PyResult<(u64, u64)> {
    if let Ok(s) = v.cast::<PyString>() {
        let s = s.to_cow()?;
        let s: &str = &s;
        let parsed = s
            .split_once('/')
            .and_then(|(k, n)| Some((k.trim().parse().ok()?, n.trim().parse().ok()?)));
        return parsed.ok_or_else(|| {
            Words::error(
                py,
                "shard",
                format!("shard={}", quoted(s)),
                "expected (k, n) or \"k/n\", e.g. (3, 8)",
            )
        });
    }
    let items: Vec<Bound<'_, PyAny>> = match v.try_iter() {
        Ok(iter) => iter.collect::<PyResult<_>>()?,
        Err(_) => return Err(type_error("shard", "a pair (k, n)", v)),
    };
    match items.as_slice() {
        [k, n] => Ok((
            whole(py, k, "shard", "shard[0]")?,
            whole(py, n, "shard", "shard[1]")?,
        )),
        _ => Err(Words::error(
            py,
            "shard",
            format!("shard={}", v.repr()?),
            "expected a pair (k, n), e.g. (3, 8)",
        )),
    }
}

/// A keyword's value unless it is absent or `None`.
fn present<'py>(v: Option<&Bound<'py, PyAny>>) -> Option<Bound<'py, PyAny>> {
    v.filter(|v| !v.is_none()).cloned()
}

/// The single-axis keywords, as given.
pub struct OneAxis<'a, 'py> {
    pub clause: Option<&'a Bound<'py, PyAny>>,
    pub path: Option<&'a Bound<'py, PyAny>>,
    pub reservation: Option<&'a Bound<'py, PyAny>>,
    pub param: Option<&'a Bound<'py, PyAny>>,
    pub from: Option<&'a Bound<'py, PyAny>>,
    pub to: Option<&'a Bound<'py, PyAny>>,
    pub points: Option<&'a Bound<'py, PyAny>>,
    pub shift: Option<&'a Bound<'py, PyAny>>,
}

const AXIS_KINDS: [&str; 4] = ["clause", "path", "reservation", "param"];
const AXIS_KEYS: [&str; 10] = [
    "clause",
    "path",
    "reservation",
    "param",
    "from",
    "from_",
    "to",
    "points",
    "beyond",
    "shift",
];

/// A raw axis: its kind and value, bounds, points, (reservations) the shifts swept instead
/// of the bounds and (paths) how far beyond.
struct RawAxis {
    words: AxisWords,
    shift: Option<(f64, f64)>,
    beyond: Option<f64>,
}

/// The sweep axes: the single-axis keywords or `axes=[{…}, …]` (not both), with the
/// top-level `beyond` for path axes. Records them in `words`. An empty list when no axis is
/// given (a plain run, for `seeds`).
pub fn axes(
    py: Python<'_>,
    one: OneAxis<'_, '_>,
    list: Option<&Bound<'_, PyAny>>,
    beyond: Option<&Bound<'_, PyAny>>,
    words: &mut Words,
) -> PyResult<Vec<AxisSpec>> {
    let kinds: Vec<(&'static str, Bound<'_, PyAny>)> = [
        ("clause", one.clause),
        ("path", one.path),
        ("reservation", one.reservation),
        ("param", one.param),
    ]
    .into_iter()
    .filter_map(|(k, v)| present(v).map(|v| (k, v)))
    .collect();
    let beyond = match present(beyond) {
        Some(v) => Some(real(&v, "beyond")?),
        None => None,
    };
    words.beyond = beyond;
    let list = present(list);
    let bounds_given = [
        ("from_", one.from),
        ("to", one.to),
        ("points", one.points),
        ("shift", one.shift),
    ]
    .into_iter()
    .find(|(_, v)| present(*v).is_some());

    let raw: Vec<RawAxis> = match (list, kinds.as_slice()) {
        (Some(_), [(kind, _), ..]) => {
            return Err(Words::error(
                py,
                "axes",
                "axes".into(),
                &format!(
                    "give the axes either as axes=[…] or as {kind}=…, from_=…, to=…, points=…, not both"
                ),
            ));
        }
        (Some(list), []) => {
            if let Some((kw, _)) = bounds_given {
                return Err(Words::error(
                    py,
                    kw,
                    kw.into(),
                    "with axes=[…], give each axis its own \"from\", \"to\", \"points\" and \"shift\"",
                ));
            }
            words.single_axis = false;
            let items: Vec<Bound<'_, PyAny>> = list
                .try_iter()
                .map_err(|_| type_error("axes", "a list of dicts", &list))?
                .collect::<PyResult<_>>()?;
            items
                .iter()
                .enumerate()
                .map(|(i, item)| axis_dict(py, i, item))
                .collect::<PyResult<_>>()?
        }
        (None, []) => {
            if let Some((kw, _)) = bounds_given {
                return Err(Words::error(
                    py,
                    kw,
                    kw.into(),
                    "there is no axis to apply it to: give clause=, path=, reservation= or param=",
                ));
            }
            Vec::new()
        }
        (None, [(kind, value)]) => {
            words.single_axis = true;
            vec![raw_axis(
                py,
                kind,
                value,
                one.from,
                one.to,
                one.points,
                one.shift,
                None,
                |k| {
                    if k == "from" {
                        "from_".into()
                    } else {
                        k.into()
                    }
                },
            )?]
        }
        (None, [(a, _), (b, _), ..]) => {
            return Err(Words::error(
                py,
                b,
                format!("{a}=… and {b}=…"),
                "one axis by keyword; for a grid give axes=[{…}, {…}]",
            ));
        }
    };
    words.axes = raw.iter().map(|r| r.words.clone()).collect();
    if let Some((i, r)) = raw.iter().enumerate().find(|(_, r)| r.beyond.is_some()) {
        words.beyond = r.beyond;
        words.beyond_at = Some(i);
    }
    let any_path = raw.iter().any(|r| r.words.kind == "path");
    if beyond.is_some() && !any_path {
        return Err(Words::error(
            py,
            "beyond",
            format!("beyond={}", decimal(beyond.unwrap_or_default())),
            "applies to a path sweep only",
        ));
    }
    raw.into_iter()
        .enumerate()
        .map(|(i, r)| spec(py, i, r, beyond, words))
        .collect()
}

/// One `axes=[…]` entry: a dict with one of `clause`, `path`, `reservation`, `param`, and
/// optional `from`, `to`, `points` (and `beyond` for a path).
fn axis_dict(py: Python<'_>, i: usize, item: &Bound<'_, PyAny>) -> PyResult<RawAxis> {
    let keyword = format!("axes[{i}]");
    let d = item.cast::<PyDict>().map_err(|_| {
        type_error(
            &keyword,
            "a dict such as {\"clause\": \"troop_cap\", \"from\": 4e5}",
            item,
        )
    })?;
    let mut kinds = Vec::new();
    for (k, _) in d.iter() {
        let key = text(&k, &format!("{keyword} key"))?;
        match AXIS_KEYS.iter().find(|known| **known == key) {
            Some(known) if AXIS_KINDS.contains(known) => kinds.push(*known),
            Some(_) => {}
            None => {
                let hint = accord::scenario::suggest::did_you_mean(&key, AXIS_KEYS.iter().copied())
                    .map(|s| format!("did you mean \"{s}\"? "))
                    .unwrap_or_default();
                return Err(option_error(
                    py,
                    Some(("axes", format!("{keyword}[\"{key}\"]"))),
                    "not a key of a sweep axis",
                    Some(&format!(
                        "{hint}keys: one of \"clause\", \"path\", \"reservation\", \"param\"; then \"from\", \"to\", \"points\" (and \"beyond\" for a path, \"shift\" for a reservation)"
                    )),
                ));
            }
        }
    }
    let kind = match kinds.as_slice() {
        [one] => *one,
        [] => {
            return Err(Words::error(
                py,
                "axes",
                keyword,
                "names nothing to sweep: give one of \"clause\", \"path\", \"reservation\", \"param\"",
            ));
        }
        [a, b, ..] => {
            return Err(Words::error(
                py,
                "axes",
                keyword,
                &format!("has both \"{a}\" and \"{b}\": one axis per dict"),
            ));
        }
    };
    let get = |k: &str| d.get_item(k);
    let value = get(kind)?.expect("the key was seen");
    let from = match (get("from")?, get("from_")?) {
        (Some(_), Some(_)) => {
            return Err(Words::error(
                py,
                "axes",
                keyword,
                "has both \"from\" and \"from_\"",
            ));
        }
        (a, b) => a.or(b),
    };
    let (to, points, beyond, shift) = (get("to")?, get("points")?, get("beyond")?, get("shift")?);
    let beyond = match beyond.filter(|b| !b.is_none()) {
        Some(_) if kind != "path" => {
            return Err(Words::error(
                py,
                "axes",
                format!("{keyword}[\"beyond\"]"),
                "applies to a path axis only",
            ));
        }
        Some(b) => Some(real(&b, &format!("{keyword}[\"beyond\"]"))?),
        None => None,
    };
    raw_axis(
        py,
        kind,
        &value,
        from.as_ref(),
        to.as_ref(),
        points.as_ref(),
        shift.as_ref(),
        beyond,
        |k| format!("{keyword}[\"{k}\"]"),
    )
}

/// An axis from its parts; `name` words a part's keyword for type errors.
#[allow(clippy::too_many_arguments)]
fn raw_axis(
    py: Python<'_>,
    kind: &'static str,
    value: &Bound<'_, PyAny>,
    from: Option<&Bound<'_, PyAny>>,
    to: Option<&Bound<'_, PyAny>>,
    points: Option<&Bound<'_, PyAny>>,
    shift: Option<&Bound<'_, PyAny>>,
    beyond: Option<f64>,
    name: impl Fn(&str) -> String,
) -> PyResult<RawAxis> {
    let value = if kind == "path" && !value.is_instance_of::<PyString>() {
        // A path may also be a pair of proposal names.
        let (pair, _) = names(Some(value), &name(kind))?;
        match pair.as_slice() {
            [a, b] => format!("{a}..{b}"),
            _ => {
                return Err(type_error(
                    &name(kind),
                    "\"FROM..TO\" or a pair of proposal names",
                    value,
                ));
            }
        }
    } else {
        text(value, &name(kind))?
    };
    let num = |v: Option<&Bound<'_, PyAny>>, k: &str| -> PyResult<Option<f64>> {
        match v.filter(|v| !v.is_none()) {
            Some(v) => Ok(Some(real(v, &name(k))?)),
            None => Ok(None),
        }
    };
    let points = match points.filter(|v| !v.is_none()) {
        Some(v) => {
            let n = whole(py, v, "points", &name("points"))?;
            // Beyond usize the library's range check (2 to 100,000) refuses it anyway.
            Some(usize::try_from(n).unwrap_or(usize::MAX))
        }
        None => None,
    };
    let (from, to) = (num(from, "from")?, num(to, "to")?);
    let shift = match shift.filter(|v| !v.is_none()) {
        Some(v) => Some(shift_pair(
            py,
            kind,
            &value,
            v,
            from.is_some() || to.is_some(),
            &name,
        )?),
        None => None,
    };
    Ok(RawAxis {
        words: AxisWords {
            kind,
            value,
            from,
            to,
            points,
            shift: shift.as_ref().map(|s| s.0.clone()),
        },
        shift: shift.map(|s| s.1),
        beyond,
    })
}

/// `shift` of a reservation axis (`kind` sweeping `value`), as the CLI's `--shift A..B`
/// takes it: a string `"A..B"` or a pair of numbers. Returns it as written and its two ends.
/// Refused on another kind of axis, and beside `from`/`to` (`bounded`).
fn shift_pair(
    py: Python<'_>,
    kind: &'static str,
    value: &str,
    v: &Bound<'_, PyAny>,
    bounded: bool,
    name: impl Fn(&str) -> String,
) -> PyResult<(String, (f64, f64))> {
    let key = name("shift");
    // The single-axis keyword, or the `axes` entry it came in.
    let keyword = if key == "shift" { "shift" } else { "axes" };
    // As Words::name words an axis's bounds: `shift=… (of reservation='x')` for the keyword,
    // `axes[0]["shift"]=… (reservation='x')` for the list.
    let of = if keyword == "shift" { "of " } else { "" };
    let fail = |written: String, message: &str, help: &str| {
        option_error(
            py,
            Some((
                keyword,
                format!("{key}={written} ({of}{kind}={})", quoted(value)),
            )),
            message,
            Some(help),
        )
    };
    let (written, ends) = if let Ok(s) = v.cast::<PyString>() {
        let text = s.to_cow()?.into_owned();
        let ends = text.split_once("..").and_then(|(a, b)| {
            let a: f64 = a.trim().parse().ok()?;
            let b: f64 = b.trim().parse().ok()?;
            Some((a, b))
        });
        (quoted(&text), ends)
    } else {
        let items: Vec<Bound<'_, PyAny>> = match v.try_iter() {
            Ok(iter) => iter.collect::<PyResult<_>>()?,
            Err(_) => return Err(type_error(&key, "\"A..B\" or a pair of numbers (a, b)", v)),
        };
        match items.as_slice() {
            [a, b] => {
                let (a, b) = (real(a, &key)?, real(b, &key)?);
                (format!("({}, {})", decimal(a), decimal(b)), Some((a, b)))
            }
            _ => (v.repr()?.to_string(), None),
        }
    };
    let example = "for example shift=(-0.2, 0) or shift=\"-0.2..0\"";
    let Some((a, b)) = ends.filter(|(a, b)| a.is_finite() && b.is_finite()) else {
        return Err(fail(written, "not two numbers A..B", example));
    };
    if kind != "reservation" {
        return Err(fail(
            written,
            &format!(
                "applies to a reservation axis, not to {kind}={}",
                quoted(value)
            ),
            "give shift with reservation=PARTY",
        ));
    }
    if bounded {
        return Err(fail(
            written,
            "give either shift or from/to, not both",
            "shift sweeps shifts from the party's own reservation; from/to sweep reservation utilities",
        ));
    }
    Ok((written, (a, b)))
}

/// The library's axis for a raw one.
fn spec(
    py: Python<'_>,
    i: usize,
    r: RawAxis,
    beyond: Option<f64>,
    words: &Words,
) -> PyResult<AxisSpec> {
    let AxisWords {
        kind,
        value,
        from,
        to,
        points,
        ..
    } = r.words;
    Ok(match kind {
        "clause" => AxisSpec::Clause {
            name: value,
            from,
            to,
            points,
        },
        // The CLI's `--shift A..B`: the library takes the shifts as the bounds.
        "reservation" => match r.shift {
            Some((a, b)) => AxisSpec::Reservation {
                party: value,
                from: Some(a),
                to: Some(b),
                points,
                shift: true,
            },
            None => AxisSpec::Reservation {
                party: value,
                from,
                to,
                points,
                shift: false,
            },
        },
        "param" => AxisSpec::Param {
            name: value,
            from,
            to,
            points,
        },
        _ => {
            if from.is_some() || to.is_some() {
                let (kw, w) = words
                    .name(if from.is_some() {
                        About::From(i)
                    } else {
                        About::To(i)
                    })
                    .unwrap_or(("path", "path".into()));
                return Err(Words::error(
                    py,
                    kw,
                    w,
                    "a path runs from x = 0 to 1; use beyond to extend it, not from or to",
                ));
            }
            let Some((a, b)) = value.split_once("..") else {
                let (kw, w) = words
                    .name(About::Axis(i))
                    .unwrap_or(("path", "path".into()));
                return Err(option_error(
                    py,
                    Some((kw, w)),
                    "expected FROM..TO, two proposal names",
                    Some(
                        "for example path=\"plan_28..plan_19\" or path=(\"plan_28\", \"plan_19\")",
                    ),
                ));
            };
            AxisSpec::Path {
                from: a.to_string(),
                to: b.to_string(),
                beyond: r.beyond.or(beyond).unwrap_or(0.0),
                points,
            }
        }
    })
}
