//! Results as Python objects: a run's or sweep's [`PyRunResult`], a comparison of seeds
//! ([`PySeedsReport`]) and one shard's [`PyPartial`]. Their JSON is the command line's, byte
//! for byte (`to_json`), and `to_dict` is that JSON parsed.

use std::path::PathBuf;

use accord::analysis::seeds::SeedsReport;
use accord::job::Partial;
use accord::report::Format;
use accord::report::json::to_json;
use accord::request::{Body, Request, RunResult};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyTuple};

use crate::errors::{PartialError, to_py};
use crate::options::Words;

/// `json.loads(text)`.
fn json_loads<'py>(py: Python<'py>, text: &str) -> PyResult<Bound<'py, PyAny>> {
    py.import("json")?.call_method1("loads", (text,))
}

/// A frame built by `accord._frames.<function>(dict, table)` (pandas is imported there, only
/// when asked for).
fn frame<'py>(
    py: Python<'py>,
    function: &str,
    dict: Bound<'py, PyAny>,
    table: &str,
) -> PyResult<Bound<'py, PyAny>> {
    py.import("accord._frames")?
        .getattr(function)?
        .call1((dict, table))
}

/// `(from_json, (text,))`, how these objects pickle.
fn reduce<'py, T: pyo3::PyTypeInfo>(
    py: Python<'py>,
    text: String,
) -> PyResult<Bound<'py, PyTuple>> {
    let rebuild = py.get_type::<T>().getattr("from_json")?;
    PyTuple::new(
        py,
        [rebuild.into_any(), (text,).into_pyobject(py)?.into_any()],
    )
}

/// A chart size: `(width, height)` in pixels.
fn chart_size(size: (u32, u32)) -> PyResult<(u32, u32)> {
    if size.0 < 100 || size.1 < 100 || size.0 > 20_000 || size.1 > 20_000 {
        return Err(PyValueError::new_err(format!(
            "size=({}, {}): give a width and height from 100 to 20000 pixels",
            size.0, size.1
        )));
    }
    Ok(size)
}

/// A run's result: proposals put to the parties, a sweep, or a dynamic protocol's play.
///
/// ``to_dict()`` equals ``json.loads`` of ``accord run|sweep … --format json`` and
/// ``to_json()`` is that output, byte for byte; ``to_pandas()`` gives a tidy frame.
///
/// >>> r = accord.run(scenario, ["plan_28"], rounds=20_000, seed=7)
/// >>> r.to_dict()["results"][0]["agreement"]["p"]
/// 0.13805
/// >>> r.to_pandas().query("estimate == 'agreement'")[["proposal", "p", "lo", "hi"]]
#[pyclass(module = "accord", name = "RunResult", frozen)]
pub struct PyRunResult {
    /// The library's result.
    pub inner: RunResult,
}

#[pymethods]
impl PyRunResult {
    /// What the result holds: ``"proposals"``, ``"sweep"``, ``"dynamic"``,
    /// ``"concessions"`` or ``"search"``.
    #[getter]
    fn kind(&self) -> &'static str {
        match self.inner.body {
            Body::Proposals { .. } => "proposals",
            Body::Sweep(_) => "sweep",
            Body::Dynamic(_) => "dynamic",
            Body::Concessions(_) => "concessions",
            Body::Search(_) => "search",
        }
    }

    /// The scenario's name.
    #[getter]
    fn scenario(&self) -> &str {
        &self.inner.header.scenario
    }

    /// The protocol played.
    #[getter]
    fn protocol(&self) -> &str {
        &self.inner.header.protocol
    }

    /// The master seed.
    #[getter]
    fn seed(&self) -> u64 {
        self.inner.header.seed
    }

    /// Rounds played (in precision mode: how many it took).
    #[getter]
    fn rounds(&self) -> u64 {
        self.inner.header.rounds
    }

    /// In precision mode ``{"target", "achieved", "reached"}``, else ``None``.
    #[getter]
    fn precision<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyDict>>> {
        self.inner
            .header
            .precision
            .map(|p| {
                let d = PyDict::new(py);
                d.set_item("target", p.target)?;
                d.set_item("achieved", p.achieved)?;
                d.set_item("reached", p.reached)?;
                Ok(d)
            })
            .transpose()
    }

    /// The result as the command line's ``--format json`` writes it (pretty, final newline).
    fn to_json(&self) -> String {
        to_json(&self.inner)
    }

    /// The result as plain Python data: ``json.loads(self.to_json())``.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json_loads(py, &self.to_json())
    }

    /// The result as the command line's ``--format csv`` writes it.
    fn to_csv(&self) -> String {
        Format::Csv.exporter().run(&self.inner)
    }

    /// The result as the command line's table (also ``str(result)``).
    fn to_table(&self) -> String {
        Format::Table.exporter().run(&self.inner)
    }

    /// A tidy ``pandas.DataFrame``.
    ///
    /// ``table="estimates"`` (the default): one row per proposal (or sweep point) × party ×
    /// estimate, with columns ``proposal`` (sweeps: one column per swept axis instead, named
    /// as in the CSV, choice options by name), ``party`` (``None`` for agreement),
    /// ``estimate`` (``"agreement"`` or ``"accept"``), ``p``, ``lo``, ``hi``, ``n``, ``veto``,
    /// ``mean_utility``, ``mean_margin``. A dynamic protocol's play gives its agreement and
    /// how talks ended (``estimate`` ``"agreement"``, ``"breakdown"``, ``"deadline"``,
    /// ``"stalled"``, ``"deserted"``).
    ///
    /// Dynamic protocols also have ``table="steps"`` (one row per step: ``agreed``,
    /// ``broke_down``, ``ended``, ``agreement_by_step``, ``open``) and ``table="parties"``.
    ///
    /// >>> accord.sweep(s, clause="troop_cap", points=5).to_pandas().shape   # 5 points × 5 rows
    /// (25, 10)
    #[pyo3(signature = (table = "estimates"))]
    fn to_pandas<'py>(&self, py: Python<'py>, table: &str) -> PyResult<Bound<'py, PyAny>> {
        frame(py, "run_frame", self.to_dict(py)?, table)
    }

    /// Draws the result's chart to ``path`` (``.png`` or ``.svg``), as ``--plot`` does: a
    /// sweep's acceptance curves or grid, a dynamic play's agreement by step and offer paths.
    #[pyo3(signature = (path, size = (1200, 750)))]
    fn plot(&self, py: Python<'_>, path: PathBuf, size: (u32, u32)) -> PyResult<()> {
        let size = chart_size(size)?;
        py.detach(|| accord::report::plot::draw(&self.inner, &path, size))
            .map_err(|e| to_py(py, e, &Words::default()))
    }

    /// Reads a result written as JSON (by ``to_json`` or ``accord … --format json``).
    #[staticmethod]
    fn from_json(text: &str) -> PyResult<Self> {
        serde_json::from_str(text)
            .map(|inner| PyRunResult { inner })
            .map_err(|e| PyValueError::new_err(format!("not a result of accord: {e}")))
    }

    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        // The full-precision JSON, not to_json's rounded figures: a pickled result reads back
        // as the same numbers.
        let text =
            serde_json::to_string(&self.inner).map_err(|e| PyValueError::new_err(e.to_string()))?;
        reduce::<PyRunResult>(py, text)
    }

    fn __str__(&self) -> String {
        self.to_table()
    }

    fn __repr__(&self) -> String {
        format!(
            "<accord.RunResult {} of {:?} ({}), {} rounds, seed {}>",
            self.kind(),
            self.inner.header.scenario,
            self.inner.header.protocol,
            self.inner.header.rounds,
            self.inner.header.seed
        )
    }
}

/// The same run under many seeds: each seed's estimates, their spread against the intervals
/// the runs report, and a verdict per estimate (``accord seeds``).
///
/// ``to_dict()`` equals ``json.loads`` of ``accord seeds … --format json``.
///
/// >>> rep = accord.seeds(scenario, seeds=range(1, 13), proposals=["plan_28"], rounds=20_000)
/// >>> rep.to_pandas("summary")[["proposal", "party", "ratio", "verdict"]]
#[pyclass(module = "accord", name = "SeedsReport", frozen)]
pub struct PySeedsReport {
    /// The library's report.
    pub inner: SeedsReport,
}

#[pymethods]
impl PySeedsReport {
    /// The scenario's name.
    #[getter]
    fn scenario(&self) -> &str {
        &self.inner.scenario
    }

    /// The protocol played.
    #[getter]
    fn protocol(&self) -> &str {
        &self.inner.protocol
    }

    /// Rounds per seed.
    #[getter]
    fn rounds(&self) -> u64 {
        self.inner.rounds
    }

    /// The seeds, in order.
    #[getter]
    fn seeds(&self) -> Vec<u64> {
        self.inner.seeds.clone()
    }

    /// The report as ``accord seeds --format json`` writes it.
    fn to_json(&self) -> String {
        to_json(&self.inner)
    }

    /// ``json.loads(self.to_json())``.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json_loads(py, &self.to_json())
    }

    /// The report as ``accord seeds --format csv`` writes it.
    fn to_csv(&self) -> String {
        Format::Csv.exporter().seeds(&self.inner)
    }

    /// The report as the command line's table (also ``str(report)``).
    fn to_table(&self) -> String {
        Format::Table.exporter().seeds(&self.inner)
    }

    /// A tidy ``pandas.DataFrame``: ``table="seeds"`` (the default) has one row per
    /// proposal (or sweep point) × party × estimate × seed (``proposal``, ``party`` — ``None``
    /// for agreement —, ``estimate``, ``seed``, ``p``, ``lo``, ``hi``, ``n``);
    /// ``table="summary"`` one row per estimate with ``mean``, ``spread``, ``mean_se``,
    /// ``ratio``, ``band_lo``, ``band_hi`` and ``verdict``.
    #[pyo3(signature = (table = "seeds"))]
    fn to_pandas<'py>(&self, py: Python<'py>, table: &str) -> PyResult<Bound<'py, PyAny>> {
        frame(py, "seeds_frame", self.to_dict(py)?, table)
    }

    /// Draws each seed's estimates with their intervals to ``path`` (``.png`` or ``.svg``).
    #[pyo3(signature = (path, size = (1200, 750)))]
    fn plot(&self, py: Python<'_>, path: PathBuf, size: (u32, u32)) -> PyResult<()> {
        let size = chart_size(size)?;
        py.detach(|| accord::report::plot::draw_seeds(&self.inner, &path, size))
            .map_err(|e| to_py(py, e, &Words::default()))
    }

    /// Reads a report written as JSON.
    #[staticmethod]
    fn from_json(text: &str) -> PyResult<Self> {
        serde_json::from_str(text)
            .map(|inner| PySeedsReport { inner })
            .map_err(|e| PyValueError::new_err(format!("not a seeds report of accord: {e}")))
    }

    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        let text =
            serde_json::to_string(&self.inner).map_err(|e| PyValueError::new_err(e.to_string()))?;
        reduce::<PySeedsReport>(py, text)
    }

    fn __str__(&self) -> String {
        self.to_table()
    }

    fn __repr__(&self) -> String {
        format!(
            "<accord.SeedsReport of {:?} ({}), {} seeds × {} rounds>",
            self.inner.scenario,
            self.inner.protocol,
            self.inner.seeds.len(),
            self.inner.rounds
        )
    }
}

/// One shard's partial result (``shard=(k, n)``): the scenario's text, the options, what was
/// evaluated and the shard's tally, with a checksum. :func:`accord.merge` of all ``n``
/// shards gives the whole run's result, bit for bit.
///
/// ``to_json()`` is the file ``accord run|sweep --shard K/N -o PART`` writes, so partials
/// from Python and from the command line merge together. Partials pickle (as that JSON,
/// checked again when read back), so Dask or multiprocessing workers can return them.
#[pyclass(module = "accord", name = "Partial", frozen)]
pub struct PyPartial {
    /// The library's partial result.
    pub inner: Partial<Request>,
}

#[pymethods]
impl PyPartial {
    /// ``(k, n)``: this is shard ``k`` of ``n``.
    #[getter]
    fn shard(&self) -> (u64, u64) {
        (self.inner.shard.k(), self.inner.shard.n())
    }

    /// The run's master seed.
    #[getter]
    fn seed(&self) -> u64 {
        self.inner.seed
    }

    /// The whole run's rounds (this shard plays a slice of them).
    #[getter]
    fn rounds(&self) -> u64 {
        self.inner.rounds
    }

    /// The partial as the command line writes it (pretty JSON, final newline).
    fn to_json(&self) -> String {
        self.inner.to_json()
    }

    /// Reads and checks a partial (its format, accord version, checksum, blocks and tally);
    /// ``name`` is what errors call it. Raises :class:`accord.PartialError`.
    #[staticmethod]
    #[pyo3(signature = (text, name = "partial"))]
    fn from_json(text: &str, name: &str) -> PyResult<Self> {
        Partial::from_json(text, name)
            .map(|inner| PyPartial { inner })
            .map_err(|e| PartialError::new_err(e.to_string()))
    }

    fn __bytes__<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, self.to_json().as_bytes())
    }

    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        reduce::<PyPartial>(py, self.to_json())
    }

    fn __repr__(&self) -> String {
        format!(
            "<accord.Partial shard {} of {:?}: {}, {} rounds, seed {}>",
            self.inner.shard,
            self.inner.source.name,
            self.inner.request,
            self.inner.rounds,
            self.inner.seed
        )
    }
}
