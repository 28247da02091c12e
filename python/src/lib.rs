//! `accord._accord`, the compiled half of the Python package `accord`: scenarios, runs,
//! sweeps, seed comparisons, shards and merges, calling the accord library the way its
//! command line does (`src/cli/`), with keyword arguments where the CLI has flags.
//!
//! The engine runs with the GIL released, so other Python threads go on while it plays.

mod errors;
mod options;
mod results;
mod scenario;

use accord::job::Partial;
use accord::request::{self, Outcome, Request};
use accord::sim::RunOptions;
use accord::sweep::SweepSpec;
use pyo3::exceptions::{PyRuntimeWarning, PyTypeError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyString};

use errors::to_py;
use options::{OneAxis, Sim, SimArgs, Words};
use results::{PyPartial, PyRunResult, PySeedsReport};
use scenario::PyScenario;

/// Rounds, seed and threads for a run of `s`: the keywords where given, else the scenario's
/// `[simulation]` (as the CLI's `run_options`).
fn run_options(s: &accord::model::Scenario, sim: &Sim) -> RunOptions {
    RunOptions {
        rounds: sim.rounds.unwrap_or(s.simulation.rounds),
        seed: sim.seed.unwrap_or(s.simulation.seed),
        threads: sim.threads,
    }
}

/// Prepares and plays `request` on `scenario` with the GIL released: a result, or a shard's
/// partial.
fn play(
    py: Python<'_>,
    scenario: &PyScenario,
    request: Request,
    sim: Sim,
    words: &Words,
) -> PyResult<Py<PyAny>> {
    let options = run_options(&scenario.model, &sim);
    let outcome = py
        .detach(|| {
            let prepared = request.prepare(&scenario.model, options)?;
            prepared.play(&scenario.source, sim.mode, &|_| {})
        })
        .map_err(|e| to_py(py, e, words))?;
    match outcome {
        Outcome::Partial(p) => Ok(Py::new(py, PyPartial { inner: *p })?.into_any()),
        Outcome::Result(r) => {
            if let Some(p) = r.header.precision.filter(|p| !p.reached) {
                // As the CLI warns on stderr: the cap ended the run before the target held.
                let message = format!(
                    "precision {} not reached: largest half-width {:.5} after {} rounds (max_rounds)",
                    accord::text::decimal(p.target),
                    p.achieved,
                    r.header.rounds
                );
                PyErr::warn(
                    py,
                    &py.get_type::<PyRuntimeWarning>(),
                    &std::ffi::CString::new(message).unwrap_or_default(),
                    1,
                )?;
            }
            Ok(Py::new(py, PyRunResult { inner: *r })?.into_any())
        }
    }
}

/// Simulates a scenario's protocol, as ``accord run`` does.
///
/// Under ``ratify`` the proposals are put to every party (default: the scenario's
/// ``[protocol] proposals`` list, else all); under a dynamic protocol its play is simulated
/// (``mediated``: ``proposals`` may name the one text it starts from).
///
/// Args:
///     scenario: an :class:`accord.Scenario`, or the path of a scenario file.
///     proposals: a proposal name or a list of them.
///     rounds: Monte Carlo rounds (default: the scenario's ``[simulation] rounds``).
///     seed: master seed (default: the scenario's ``[simulation] seed``).
///     threads: worker threads, 1 to 1024 (default: all cores); never changes a result.
///     precision: play blocks of 1,024 rounds until every agreement probability's 95%
///         half-width is at most this (``0 < precision < 0.5``), within ``max_rounds``;
///         a ``RuntimeWarning`` says when the cap came first.
///     max_rounds: the most rounds precision mode plays (default 10,000,000).
///     shard: ``(k, n)``: play only the k-th of n slices of the run and return a
///         :class:`accord.Partial` for :func:`accord.merge`.
///     given: observed decisions, as ``--given`` takes them (``"ukraine accepts plan_19"``,
///         one string or a list): every estimate is conditional on them (ratify only);
///         the result's ``conditioning`` says how many rounds agreed with them.
///
/// Returns:
///     :class:`accord.RunResult`, or :class:`accord.Partial` with ``shard``.
///
/// Raises:
///     accord.ScenarioError: the scenario file does not validate.
///     accord.OptionError: a keyword's value does not fit (the message names it).
///
/// The engine runs with the GIL released.
///
/// >>> r = accord.run("scenarios/peace-plan-2025.toml", ["plan_28", "plan_19"], rounds=50_000)
/// >>> [x["agreement"]["p"] > 0.1 for x in r.to_dict()["results"]]
/// [True, False]
#[pyfunction]
#[pyo3(signature = (
    scenario, proposals = None, *, rounds = None, seed = None, threads = None,
    precision = None, max_rounds = None, shard = None, given = None
))]
#[allow(clippy::too_many_arguments)]
fn run(
    py: Python<'_>,
    scenario: &Bound<'_, PyAny>,
    proposals: Option<&Bound<'_, PyAny>>,
    rounds: Option<&Bound<'_, PyAny>>,
    seed: Option<&Bound<'_, PyAny>>,
    threads: Option<&Bound<'_, PyAny>>,
    precision: Option<&Bound<'_, PyAny>>,
    max_rounds: Option<&Bound<'_, PyAny>>,
    shard: Option<&Bound<'_, PyAny>>,
    given: Option<&Bound<'_, PyAny>>,
) -> PyResult<Py<PyAny>> {
    let scenario = PyScenario::of(py, scenario)?;
    let scenario = scenario.get();
    let (names, one) = options::names(proposals, "proposals")?;
    let mut words = Words {
        proposals_kw: "proposals",
        proposals: names.clone(),
        one_proposal: one,
        ..Words::default()
    };
    let sim = options::sim(
        py,
        SimArgs {
            rounds,
            seed,
            threads,
            precision,
            max_rounds,
            shard,
        },
        &mut words,
    )?;
    let given = options::given(py, given, &mut words)?;
    let request = Request::run(&scenario.model, &names)
        .and_then(|r| r.given(given))
        .map_err(|e| to_py(py, e.into(), &words))?;
    play(py, scenario, request, sim, &words)
}

/// Sweeps a proposal along one axis, or two (a grid), every point on the same sampled worlds,
/// as ``accord sweep`` does; for a dynamic protocol, one of its parameters.
///
/// One axis by keyword — exactly one of:
///
/// - ``clause="troop_cap"``: a range clause from ``from_`` to ``to`` (default: its bounds);
///   a choice or bool clause sweeps its options;
/// - ``path="plan_28..plan_19"`` (or a pair of names): the concession path between two
///   proposals, x = 0 at the first, 1 at the second, extended by ``beyond`` past both ends;
/// - ``reservation="ukraine"``: a party's outside option from ``from_`` to ``to``
///   (default 0 to 1), or ``shift=(-0.2, 0)`` (or ``"-0.2..0"``, the CLI's ``--shift``):
///   shifts from the party's own reservation (its mean, when uncertain) instead;
/// - ``param="deadline"``: a dynamic protocol's or tactic's parameter (``deadline``,
///   ``breakdown``, ``PARTY.discount``, ``PARTY.tactic.e``, …), ``from_`` and ``to`` required;
///
/// with ``points`` points (default 21). Or ``axes=[{...}, {...}]``, one dict per axis with
/// the same keys (``"from"`` for ``from_``)::
///
///     accord.sweep(s, axes=[{"clause": "troop_cap", "from": 4e5, "to": 1e6, "points": 25},
///                           {"clause": "nato"}])
///
/// ``proposal`` is the proposal varied (default: a path's start, else the first; mediated:
/// the text the mediator starts from). ``rounds``, ``seed``, ``threads``, ``precision``,
/// ``max_rounds``, ``shard`` and ``given`` are as for :func:`accord.run`.
///
/// Returns:
///     :class:`accord.RunResult` (``kind == "sweep"``), or :class:`accord.Partial` with
///     ``shard``.
///
/// >>> r = accord.sweep(s, clause="troop_cap", from_=400_000, to=1_000_000, points=25,
/// ...                  proposal="plan_28", rounds=20_000)
/// >>> df = r.to_pandas()
/// >>> df[df.estimate == "agreement"].plot(x="troop_cap", y="p")
#[pyfunction]
#[pyo3(signature = (
    scenario, *, clause = None, path = None, reservation = None, param = None,
    from_ = None, to = None, points = None, beyond = None, shift = None, axes = None,
    proposal = None,
    rounds = None, seed = None, threads = None, precision = None, max_rounds = None,
    shard = None, given = None
))]
#[allow(clippy::too_many_arguments)]
fn sweep(
    py: Python<'_>,
    scenario: &Bound<'_, PyAny>,
    clause: Option<&Bound<'_, PyAny>>,
    path: Option<&Bound<'_, PyAny>>,
    reservation: Option<&Bound<'_, PyAny>>,
    param: Option<&Bound<'_, PyAny>>,
    from_: Option<&Bound<'_, PyAny>>,
    to: Option<&Bound<'_, PyAny>>,
    points: Option<&Bound<'_, PyAny>>,
    beyond: Option<&Bound<'_, PyAny>>,
    shift: Option<&Bound<'_, PyAny>>,
    axes: Option<&Bound<'_, PyAny>>,
    proposal: Option<&Bound<'_, PyAny>>,
    rounds: Option<&Bound<'_, PyAny>>,
    seed: Option<&Bound<'_, PyAny>>,
    threads: Option<&Bound<'_, PyAny>>,
    precision: Option<&Bound<'_, PyAny>>,
    max_rounds: Option<&Bound<'_, PyAny>>,
    shard: Option<&Bound<'_, PyAny>>,
    given: Option<&Bound<'_, PyAny>>,
) -> PyResult<Py<PyAny>> {
    let scenario = PyScenario::of(py, scenario)?;
    let scenario = scenario.get();
    let base = match proposal.filter(|p| !p.is_none()) {
        Some(p) => Some(
            p.cast::<PyString>()
                .map_err(|_| PyTypeError::new_err("proposal: expected a proposal name"))?
                .to_cow()?
                .into_owned(),
        ),
        None => None,
    };
    let mut words = Words {
        proposals_kw: "proposal",
        proposals: base.iter().cloned().collect(),
        one_proposal: true,
        ..Words::default()
    };
    let sim = options::sim(
        py,
        SimArgs {
            rounds,
            seed,
            threads,
            precision,
            max_rounds,
            shard,
        },
        &mut words,
    )?;
    let axes = options::axes(
        py,
        OneAxis {
            clause,
            path,
            reservation,
            param,
            from: from_,
            to,
            points,
            shift,
        },
        axes,
        beyond,
        &mut words,
    )?;
    let given = options::given(py, given, &mut words)?;
    let request = Request::Sweep(SweepSpec { base, axes, given });
    play(py, scenario, request, sim, &words)
}

/// Runs the same request under many seeds and compares the spread of each estimate across
/// seeds with the intervals the runs report, as ``accord seeds`` does.
///
/// Args:
///     scenario: an :class:`accord.Scenario`, or the path of a scenario file.
///     seeds: at least 2 seeds: any iterable of whole numbers (``range(1, 13)``), or the
///         CLI's ``"1..=12"``, ``"1..13"``, ``"1,5,9"``.
///     proposals: as for :func:`accord.run`; with sweep axes, at most one (the proposal
///         varied).
///     clause, path, reservation, param, from_, to, points, beyond, shift, axes: sweep axes as for
///         :func:`accord.sweep`: the spread is then reported per point.
///     rounds: rounds per seed (default: the scenario's).
///     threads: worker threads.
///     given: observed decisions, as for :func:`accord.run`.
///
/// Returns:
///     :class:`accord.SeedsReport`.
///
/// >>> rep = accord.seeds(s, seeds=range(1, 13), proposals=["plan_28"], rounds=20_000)
/// >>> set(rep.to_pandas("summary").verdict) <= {"consistent", "exact"}
/// True
#[pyfunction]
#[pyo3(signature = (
    scenario, seeds, proposals = None, *, clause = None, path = None, reservation = None,
    param = None, from_ = None, to = None, points = None, beyond = None, shift = None,
    axes = None, rounds = None, threads = None, given = None
))]
#[allow(clippy::too_many_arguments)]
fn seeds(
    py: Python<'_>,
    scenario: &Bound<'_, PyAny>,
    seeds: &Bound<'_, PyAny>,
    proposals: Option<&Bound<'_, PyAny>>,
    clause: Option<&Bound<'_, PyAny>>,
    path: Option<&Bound<'_, PyAny>>,
    reservation: Option<&Bound<'_, PyAny>>,
    param: Option<&Bound<'_, PyAny>>,
    from_: Option<&Bound<'_, PyAny>>,
    to: Option<&Bound<'_, PyAny>>,
    points: Option<&Bound<'_, PyAny>>,
    beyond: Option<&Bound<'_, PyAny>>,
    shift: Option<&Bound<'_, PyAny>>,
    axes: Option<&Bound<'_, PyAny>>,
    rounds: Option<&Bound<'_, PyAny>>,
    threads: Option<&Bound<'_, PyAny>>,
    given: Option<&Bound<'_, PyAny>>,
) -> PyResult<PySeedsReport> {
    let scenario = PyScenario::of(py, scenario)?;
    let scenario = scenario.get();
    let (names, one) = options::names(proposals, "proposals")?;
    let mut words = Words {
        proposals_kw: "proposals",
        proposals: names.clone(),
        one_proposal: one,
        ..Words::default()
    };
    let seed_list = seed_list(py, seeds, &mut words)?;
    let rounds = match rounds.filter(|r| !r.is_none()) {
        Some(r) => Some(options::whole(py, r, "rounds", "rounds")?),
        None => None,
    };
    words.rounds = rounds;
    let threads = options::threads(py, threads)?;
    let given = options::given(py, given, &mut words)?;
    let specs = options::axes(
        py,
        OneAxis {
            clause,
            path,
            reservation,
            param,
            from: from_,
            to,
            points,
            shift,
        },
        axes,
        beyond,
        &mut words,
    )?;
    let request = if specs.is_empty() {
        Request::run(&scenario.model, &names)
            .and_then(|r| r.given(given))
            .map_err(|e| to_py(py, e.into(), &words))?
    } else {
        if names.len() > 1 {
            return Err(Words::error(
                py,
                "proposals",
                format!("proposals={names:?}"),
                "a sweep varies one proposal; give at most one",
            ));
        }
        Request::Sweep(SweepSpec {
            base: names.first().cloned(),
            axes: specs,
            given,
        })
    };
    let options = RunOptions {
        rounds: rounds.unwrap_or(scenario.model.simulation.rounds),
        // Each run sets its own seed.
        seed: 0,
        threads,
    };
    let report = py
        .detach(|| {
            request::seeds::seeds(
                &scenario.source,
                &scenario.model,
                &request,
                &seed_list,
                options,
                &|_| {},
            )
        })
        .map_err(|e| to_py(py, e, &words))?;
    Ok(PySeedsReport { inner: report })
}

/// `seeds`: an iterable of whole numbers, or the CLI's range or list syntax.
fn seed_list(py: Python<'_>, v: &Bound<'_, PyAny>, words: &mut Words) -> PyResult<Vec<u64>> {
    if let Ok(s) = v.cast::<PyString>() {
        let s = s.to_cow()?;
        let s: &str = &s;
        words.seeds = Some(format!("'{s}'"));
        return accord::cli::args::seed_list(s)
            .map_err(|m| Words::error(py, "seeds", format!("seeds='{s}'"), &m));
    }
    words.seeds = Some(v.repr()?.to_string());
    let iter = v.try_iter().map_err(|_| {
        PyTypeError::new_err("seeds: expected an iterable of whole numbers, e.g. range(1, 13)")
    })?;
    iter.enumerate()
        .map(|(i, item)| options::whole(py, &item?, "seeds", &format!("seeds[{i}]")))
        .collect()
}

/// Combines the partial results of a sharded run into the whole run's result, bit for bit
/// the same as playing it in one piece, as ``accord merge`` does.
///
/// ``parts`` holds every shard exactly once, in any order: :class:`accord.Partial` objects,
/// their JSON (``str`` or ``bytes``), or paths (``pathlib.Path``) of partial files written by
/// ``accord … --shard K/N -o PART``. Raises :class:`accord.PartialError` when they are not
/// the shards of one run (naming a missing or repeated shard), or were altered.
///
/// >>> parts = [accord.run(s, rounds=100_000, shard=(k, 4)) for k in range(1, 5)]
/// >>> accord.merge(parts).to_dict() == accord.run(s, rounds=100_000).to_dict()
/// True
#[pyfunction]
fn merge(py: Python<'_>, parts: &Bound<'_, PyAny>) -> PyResult<PyRunResult> {
    let iter = parts.try_iter().map_err(|_| {
        PyTypeError::new_err("parts: expected an iterable of accord.Partial, JSON or paths")
    })?;
    let mut read = Vec::new();
    for (i, item) in iter.enumerate() {
        let item = item?;
        let name = format!("parts[{i}]");
        let partial: Partial<Request> = if let Ok(p) = item.cast::<PyPartial>() {
            p.get().inner.clone()
        } else if let Ok(s) = item.cast::<PyString>() {
            parse_partial(&s.to_cow()?, &name)?
        } else if let Ok(b) = item.cast::<PyBytes>() {
            let text = std::str::from_utf8(b.as_bytes()).map_err(|e| {
                errors::PartialError::new_err(format!("{name}: not UTF-8 text: {e}"))
            })?;
            parse_partial(text, &name)?
        } else if let Ok(path) = item.extract::<std::path::PathBuf>() {
            let text = std::fs::read_to_string(&path).map_err(|e| {
                to_py(
                    py,
                    accord::Error::Read {
                        path: path.clone(),
                        source: e,
                    },
                    &Words::default(),
                )
            })?;
            let name = path.display().to_string();
            read.push((name.clone(), parse_partial(&text, &name)?));
            continue;
        } else {
            return Err(PyTypeError::new_err(format!(
                "{name}: expected an accord.Partial, its JSON (str or bytes) or a path"
            )));
        };
        read.push((name, partial));
    }
    let result = py
        .detach(|| request::merge(read))
        .map_err(|e| to_py(py, e, &Words::default()))?;
    Ok(PyRunResult { inner: result })
}

fn parse_partial(text: &str, name: &str) -> PyResult<Partial<Request>> {
    Partial::from_json(text, name).map_err(|e| errors::PartialError::new_err(e.to_string()))
}

/// The compiled module; `accord/__init__.py` re-exports it.
#[pymodule]
fn _accord(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add_class::<PyScenario>()?;
    m.add_class::<PyRunResult>()?;
    m.add_class::<PySeedsReport>()?;
    m.add_class::<PyPartial>()?;
    m.add("ScenarioError", py.get_type::<errors::ScenarioError>())?;
    m.add("OptionError", py.get_type::<errors::OptionError>())?;
    m.add("PartialError", py.get_type::<errors::PartialError>())?;
    m.add_function(wrap_pyfunction!(run, m)?)?;
    m.add_function(wrap_pyfunction!(sweep, m)?)?;
    m.add_function(wrap_pyfunction!(seeds, m)?)?;
    m.add_function(wrap_pyfunction!(merge, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    // The partial-result format this build writes and reads.
    m.add("PARTIAL_FORMAT", accord::job::PARTIAL_FORMAT)?;
    // The seed contract its random streams follow (results of another contract differ).
    m.add("SEED_CONTRACT", accord::sim::seed::SEED_CONTRACT)?;
    Ok(())
}
