//! `accord.Scenario`: a validated scenario with the text it was read from (a partial result
//! carries that text, so `merge` can rebuild the run anywhere).

use std::path::PathBuf;

use accord::scenario::{Format, Source};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyString, PyTuple};

use crate::errors::to_py;
use crate::options::Words;

/// A validated negotiation scenario: clauses, proposals, parties and protocol.
///
/// Build one with :meth:`Scenario.from_file`, :meth:`Scenario.from_toml` or
/// :meth:`Scenario.from_json`; a scenario that does not validate raises
/// :class:`accord.ScenarioError` with accord's ``file:line:col: message``.
///
/// >>> s = accord.Scenario.from_file("scenarios/peace-plan-2025.toml")
/// >>> s.protocol, s.proposals
/// ('ratify', ['plan_28', 'plan_19', 'bridge_illustrative'])
///
/// Scenarios pickle (as their text), so they can be sent to Dask or multiprocessing
/// workers.
#[pyclass(module = "accord", name = "Scenario", frozen)]
pub struct PyScenario {
    /// The file's name, syntax and text, as partial results record them.
    pub source: Source,
    /// The validated scenario.
    pub model: accord::model::Scenario,
}

impl PyScenario {
    fn parse(py: Python<'_>, source: Source) -> PyResult<Self> {
        let model = source
            .parse()
            .map_err(|e| to_py(py, e, &Words::default()))?;
        Ok(PyScenario { source, model })
    }

    fn from_text(py: Python<'_>, text: &str, name: &str, format: Format) -> PyResult<Self> {
        Self::parse(
            py,
            Source {
                name: name.to_string(),
                format,
                text: text.to_string(),
            },
        )
    }

    /// The scenario an argument names: a `Scenario`, or the path of a scenario file.
    pub fn of<'py>(py: Python<'py>, v: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyScenario>> {
        if let Ok(s) = v.cast::<PyScenario>() {
            return Ok(s.clone());
        }
        let path: PathBuf = v.extract().map_err(|_| {
            PyTypeError::new_err(format!(
                "scenario: expected an accord.Scenario or the path of a scenario file, got {}",
                v.get_type()
                    .name()
                    .map(|n| n.to_string())
                    .unwrap_or_default()
            ))
        })?;
        Bound::new(py, Self::from_file(py, path)?)
    }
}

#[pymethods]
impl PyScenario {
    /// Reads and validates the scenario file at ``path`` (TOML, or JSON for a ``.json``
    /// file). Errors name the file as given.
    ///
    /// >>> accord.Scenario.from_file("scenarios/fearon.toml").parties
    /// ['a', 'b']
    #[staticmethod]
    fn from_file(py: Python<'_>, path: PathBuf) -> PyResult<Self> {
        let source = Source::read(&path).map_err(|e| to_py(py, e, &Words::default()))?;
        Self::parse(py, source)
    }

    /// Validates scenario text in TOML; ``name`` is what error messages call it.
    ///
    /// >>> accord.Scenario.from_toml(open("scenarios/fearon.toml").read()).protocol
    /// 'ratify'
    #[staticmethod]
    #[pyo3(signature = (text, name = "<toml>"))]
    fn from_toml(py: Python<'_>, text: &str, name: &str) -> PyResult<Self> {
        Self::from_text(py, text, name, Format::Toml)
    }

    /// Validates scenario text in JSON (the TOML structure, as JSON); ``name`` is what error
    /// messages call it.
    #[staticmethod]
    #[pyo3(signature = (text, name = "<json>"))]
    fn from_json(py: Python<'_>, text: &str, name: &str) -> PyResult<Self> {
        Self::from_text(py, text, name, Format::Json)
    }

    /// Rebuilds a scenario from its source (what pickling stores).
    #[staticmethod]
    fn _from_source(py: Python<'_>, name: &str, format: &str, text: &str) -> PyResult<Self> {
        let format = if format == "json" {
            Format::Json
        } else {
            Format::Toml
        };
        Self::from_text(py, text, name, format)
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyTuple>> {
        let py = slf.py();
        let s = slf.get();
        let format = match s.source.format {
            Format::Json => "json",
            Format::Toml => "toml",
        };
        let rebuild = py.get_type::<PyScenario>().getattr("_from_source")?;
        let args = (s.source.name.as_str(), format, s.source.text.as_str());
        PyTuple::new(py, [rebuild.into_any(), args.into_pyobject(py)?.into_any()])
    }

    /// The scenario's name (``[scenario] name``), as results name it.
    #[getter]
    fn name(&self) -> &str {
        &self.model.name
    }

    /// ``[scenario] description``, if any.
    #[getter]
    fn description(&self) -> Option<&str> {
        self.model.description.as_deref()
    }

    /// The protocol: ``"ratify"``, or a dynamic one (``"alternating"``, ``"mediated"``,
    /// ``"equilibrium"``).
    #[getter]
    fn protocol(&self) -> &'static str {
        self.model.protocol.name()
    }

    /// Whether the protocol is dynamic (negotiates its own deal over steps).
    #[getter]
    fn dynamic(&self) -> bool {
        self.model.protocol.dynamic().is_some()
    }

    /// Proposal names, in file order.
    #[getter]
    fn proposals(&self) -> Vec<String> {
        self.model
            .proposals
            .iter()
            .map(|p| p.name.clone())
            .collect()
    }

    /// Party names, in file order.
    #[getter]
    fn parties(&self) -> Vec<String> {
        self.model.parties.iter().map(|p| p.name.clone()).collect()
    }

    /// Names of the parties whose acceptance agreement needs.
    #[getter]
    fn veto_parties(&self) -> Vec<String> {
        self.model.veto_parties().map(|p| p.name.clone()).collect()
    }

    /// Clause names, in deal order.
    #[getter]
    fn clauses(&self) -> Vec<String> {
        self.model.clauses.iter().map(|c| c.name.clone()).collect()
    }

    /// Default rounds (``[simulation] rounds``, else 100,000).
    #[getter]
    fn rounds(&self) -> u64 {
        self.model.simulation.rounds
    }

    /// Default master seed (``[simulation] seed``, else 1).
    #[getter]
    fn seed(&self) -> u64 {
        self.model.simulation.seed
    }

    /// What error messages call the scenario's file (its path as given).
    #[getter]
    fn path(&self) -> &str {
        &self.source.name
    }

    /// The scenario's text.
    #[getter]
    fn text(&self) -> &str {
        &self.source.text
    }

    fn __repr__(slf: &Bound<'_, Self>) -> PyResult<String> {
        let s = slf.get();
        Ok(format!(
            "<accord.Scenario {} ({}): proposals {}, parties {}>",
            PyString::new(slf.py(), &s.model.name).repr()?,
            s.model.protocol.name(),
            s.proposals().join(", "),
            s.parties().join(", ")
        ))
    }
}
