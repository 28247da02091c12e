"""accord: a negotiation game-theory simulator.

Parties to a negotiation are agents with a utility function over the clauses of a deal
and an outside option; their parameters are uncertain, so accord plays many seeded Monte
Carlo rounds in parallel under a bargaining protocol and reports how likely each party,
and all veto holders together, is to accept, with 95% Wilson intervals.

This package calls the same Rust library as the ``accord`` command line: the same
scenario files, the same numbers (``to_json()`` is the CLI's ``--format json`` output,
byte for byte), the same seed contract (identical results for any thread count or shard
split).

>>> import accord
>>> s = accord.Scenario.from_file("scenarios/peace-plan-2025.toml")
>>> r = accord.run(s, ["plan_28", "plan_19"], rounds=50_000, seed=2025)
>>> r.to_pandas().query("estimate == 'agreement'")[["proposal", "p", "lo", "hi"]]
>>> sw = accord.sweep(s, clause="troop_cap", from_=400_000, to=1_000_000, points=25,
...                   proposal="plan_28")
>>> parts = [accord.run(s, shard=(k, 4)) for k in range(1, 5)]   # e.g. on Dask workers
>>> accord.merge(parts).to_dict() == accord.run(s).to_dict()
True
"""

from ._accord import (
    PARTIAL_FORMAT,
    SEED_CONTRACT,
    OptionError,
    Partial,
    PartialError,
    RunResult,
    Scenario,
    ScenarioError,
    SeedsReport,
    __version__,
    merge,
    run,
    seeds,
    sweep,
)

__all__ = [
    "PARTIAL_FORMAT",
    "SEED_CONTRACT",
    "OptionError",
    "Partial",
    "PartialError",
    "RunResult",
    "Scenario",
    "ScenarioError",
    "SeedsReport",
    "__version__",
    "merge",
    "run",
    "seeds",
    "sweep",
]
