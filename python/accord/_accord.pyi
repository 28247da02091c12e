"""Type stubs of accord's compiled module (re-exported by ``accord``)."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Literal, Optional, TypedDict, Union

import pandas

__version__: str
PARTIAL_FORMAT: int
SEED_CONTRACT: int

PathLike = Union[str, os.PathLike[str]]
ScenarioLike = Union["Scenario", PathLike]
Number = Union[int, float]
Shard = Union[tuple[int, int], str]

class ScenarioError(ValueError):
    """A scenario that does not validate; ``str(e)`` is ``file:line:col: message``."""

    path: str
    line: int
    column: int
    key: str
    help: Optional[str]

class OptionError(ValueError):
    """A keyword argument whose value does not fit; the message starts with the keyword."""

    keyword: Optional[str]
    help: Optional[str]

class PartialError(ValueError):
    """Partial results that cannot be read or merged."""

class Scenario:
    """A validated negotiation scenario."""

    @staticmethod
    def from_file(path: PathLike) -> Scenario: ...
    @staticmethod
    def from_toml(text: str, name: str = "<toml>") -> Scenario: ...
    @staticmethod
    def from_json(text: str, name: str = "<json>") -> Scenario: ...
    @property
    def name(self) -> str: ...
    @property
    def description(self) -> Optional[str]: ...
    @property
    def protocol(self) -> Literal["ratify", "alternating", "mediated", "equilibrium"]: ...
    @property
    def dynamic(self) -> bool: ...
    @property
    def proposals(self) -> list[str]: ...
    @property
    def parties(self) -> list[str]: ...
    @property
    def veto_parties(self) -> list[str]: ...
    @property
    def clauses(self) -> list[str]: ...
    @property
    def rounds(self) -> int: ...
    @property
    def seed(self) -> int: ...
    @property
    def path(self) -> str: ...
    @property
    def text(self) -> str: ...

class Precision(TypedDict):
    target: float
    achieved: float
    reached: bool

class RunResult:
    """A run's result: proposals, a sweep, or a dynamic protocol's play."""

    @property
    def kind(self) -> Literal["proposals", "sweep", "dynamic"]: ...
    @property
    def scenario(self) -> str: ...
    @property
    def protocol(self) -> str: ...
    @property
    def seed(self) -> int: ...
    @property
    def rounds(self) -> int: ...
    @property
    def precision(self) -> Optional[Precision]: ...
    def to_json(self) -> str: ...
    def to_dict(self) -> dict[str, Any]: ...
    def to_csv(self) -> str: ...
    def to_table(self) -> str: ...
    def to_pandas(
        self, table: Literal["estimates", "steps", "parties"] = "estimates"
    ) -> pandas.DataFrame: ...
    def plot(self, path: PathLike, size: tuple[int, int] = (1200, 750)) -> None: ...
    @staticmethod
    def from_json(text: str) -> RunResult: ...

class SeedsReport:
    """The same run under many seeds, compared with its intervals."""

    @property
    def scenario(self) -> str: ...
    @property
    def protocol(self) -> str: ...
    @property
    def rounds(self) -> int: ...
    @property
    def seeds(self) -> list[int]: ...
    def to_json(self) -> str: ...
    def to_dict(self) -> dict[str, Any]: ...
    def to_csv(self) -> str: ...
    def to_table(self) -> str: ...
    def to_pandas(self, table: Literal["seeds", "summary"] = "seeds") -> pandas.DataFrame: ...
    def plot(self, path: PathLike, size: tuple[int, int] = (1200, 750)) -> None: ...
    @staticmethod
    def from_json(text: str) -> SeedsReport: ...

class Partial:
    """One shard's partial result, for :func:`merge`."""

    @property
    def shard(self) -> tuple[int, int]: ...
    @property
    def seed(self) -> int: ...
    @property
    def rounds(self) -> int: ...
    def to_json(self) -> str: ...
    def __bytes__(self) -> bytes: ...
    @staticmethod
    def from_json(text: str, name: str = "partial") -> Partial: ...

class Axis(TypedDict, total=False):
    """One entry of ``sweep(axes=[...])``: exactly one of clause, path, reservation, param."""

    clause: str
    path: Union[str, tuple[str, str]]
    reservation: str
    param: str
    # "from" is a Python keyword; a dict literal may use it: {"clause": "x", "from": 1}.
    to: Number
    points: int
    beyond: Number
    shift: Union[str, tuple[Number, Number]]

def run(
    scenario: ScenarioLike,
    proposals: Union[str, Sequence[str], None] = None,
    *,
    rounds: Optional[Number] = None,
    seed: Optional[int] = None,
    threads: Optional[int] = None,
    precision: Optional[float] = None,
    max_rounds: Optional[Number] = None,
    shard: Optional[Shard] = None,
    given: Union[str, Sequence[str], None] = None,
) -> Union[RunResult, Partial]: ...
def sweep(
    scenario: ScenarioLike,
    *,
    clause: Optional[str] = None,
    path: Union[str, tuple[str, str], None] = None,
    reservation: Optional[str] = None,
    param: Optional[str] = None,
    from_: Optional[Number] = None,
    to: Optional[Number] = None,
    points: Optional[int] = None,
    beyond: Optional[Number] = None,
    shift: Union[str, tuple[Number, Number], None] = None,
    axes: Optional[Sequence[Mapping[str, Any]]] = None,
    proposal: Optional[str] = None,
    rounds: Optional[Number] = None,
    seed: Optional[int] = None,
    threads: Optional[int] = None,
    precision: Optional[float] = None,
    max_rounds: Optional[Number] = None,
    shard: Optional[Shard] = None,
    given: Union[str, Sequence[str], None] = None,
) -> Union[RunResult, Partial]: ...
def seeds(
    scenario: ScenarioLike,
    seeds: Union[Iterable[int], str],
    proposals: Union[str, Sequence[str], None] = None,
    *,
    clause: Optional[str] = None,
    path: Union[str, tuple[str, str], None] = None,
    reservation: Optional[str] = None,
    param: Optional[str] = None,
    from_: Optional[Number] = None,
    to: Optional[Number] = None,
    points: Optional[int] = None,
    beyond: Optional[Number] = None,
    shift: Union[str, tuple[Number, Number], None] = None,
    axes: Optional[Sequence[Mapping[str, Any]]] = None,
    rounds: Optional[Number] = None,
    threads: Optional[int] = None,
    given: Union[str, Sequence[str], None] = None,
) -> SeedsReport: ...
def merge(parts: Iterable[Union[Partial, str, bytes, os.PathLike[str]]]) -> RunResult: ...
