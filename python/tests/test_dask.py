"""The Dask example: a run and a sweep spread over a local Dask cluster of two worker
processes give the same numbers as the single run."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

import accord
from conftest import PEACE

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "dask_shards.py"


@pytest.fixture(scope="module")
def example():
    spec = importlib.util.spec_from_file_location("dask_shards", EXAMPLE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def client():
    from distributed import Client, LocalCluster

    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
    ) as cluster, Client(cluster) as c:
        yield c


def test_sharded_run_on_dask_equals_single_run(example, client):
    s = accord.Scenario.from_file(PEACE)
    merged = example.sharded(client, accord.run, s, 5, rounds=60_000, seed=8, threads=1)
    single = accord.run(s, rounds=60_000, seed=8)
    assert merged.to_dict() == single.to_dict()
    # The tasks really ran in the worker processes.
    assert len(client.scheduler_info()["workers"]) == 2


def test_sharded_sweep_on_dask_equals_single_sweep(example, client):
    s = accord.Scenario.from_file(PEACE)
    kw = dict(clause="troop_cap", from_=4e5, to=1e6, points=13, proposal="plan_28", rounds=30_000)
    merged = example.sharded(client, accord.sweep, s, 4, **kw)
    assert merged.to_dict() == accord.sweep(s, **kw).to_dict()


def test_example_script_main(example):
    assert example.main([str(PEACE), "--shards", "3", "--rounds", "30000", "--clause", "troop_cap", "--points", "5"]) == 0
