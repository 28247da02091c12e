"""to_pandas(): tidy frames with one row per proposal (or point) × party × estimate, holding
exactly the numbers of to_dict()."""

from __future__ import annotations

import math

import pandas as pd
import pytest

import accord
from conftest import PEACE, THREE_PARTY


@pytest.fixture(scope="module")
def peace():
    return accord.Scenario.from_file(PEACE)


def test_run_frame(peace):
    r = accord.run(peace, rounds=10_000)
    df = r.to_pandas()
    parties = len(peace.parties)
    assert isinstance(df, pd.DataFrame)
    assert df.shape == (3 * (1 + parties), 10)
    assert list(df.columns) == [
        "proposal", "party", "estimate", "p", "lo", "hi", "n", "veto", "mean_utility", "mean_margin",
    ]
    d = r.to_dict()
    for res in d["results"]:
        rows = df[df.proposal == res["proposal"]]
        agreement = rows[rows.estimate == "agreement"].iloc[0]
        assert agreement.p == res["agreement"]["p"] and agreement.n == res["agreement"]["n"]
        assert agreement.party is None or (isinstance(agreement.party, float) and math.isnan(agreement.party))
        for q in res["parties"]:
            row = rows[rows.party == q["party"]].iloc[0]
            assert row.estimate == "accept"
            assert (row.p, row.lo, row.hi) == (q["accept"]["p"], q["accept"]["lo"], q["accept"]["hi"])
            assert row.veto == q["veto"] and row.mean_margin == q["mean_margin"]


def test_sweep_frames_have_one_column_per_axis(peace):
    r = accord.sweep(peace, clause="troop_cap", from_=4e5, to=1e6, points=7, rounds=4_096)
    df = r.to_pandas()
    assert df.shape == (7 * 5, 10)
    assert df.columns[0] == "troop_cap"
    assert sorted(df.troop_cap.unique()) == [4e5, 5e5, 6e5, 7e5, 8e5, 9e5, 1e6]
    assert df[df.party == "european_union"].veto.tolist() == [False] * 7

    grid = accord.sweep(peace, axes=[{"clause": "nato"}, {"reservation": "ukraine", "points": 4}], rounds=2_048)
    df = grid.to_pandas()
    assert df.shape == (3 * 4 * 5, 11)
    assert list(df.columns[:2]) == ["nato", "reservation_ukraine"]
    # Choice options by name.
    assert list(df.nato.unique()) == ["renounced", "deferred", "open"]
    agreement = df[df.estimate == "agreement"]
    assert agreement.p.tolist() == [p["agreement"]["p"] for p in grid.to_dict()["points"]]


def test_dynamic_frames():
    r = accord.run(THREE_PARTY, rounds=4_000)
    d = r.to_dict()
    df = r.to_pandas()
    assert df.estimate.tolist() == ["agreement", "breakdown", "deadline", "stalled", "deserted"]
    assert df.p.iloc[0] == d["agreement"]["p"]
    steps = r.to_pandas("steps")
    assert len(steps) == len(d["steps"]) and "open" in steps.columns
    assert len(r.to_pandas("parties")) == len(d["parties"])
    with pytest.raises(ValueError, match="table='nope'"):
        r.to_pandas("nope")
    with pytest.raises(ValueError, match="table='steps'"):
        accord.run(PEACE, rounds=1_024).to_pandas("steps")


def test_seeds_frames(peace):
    rep = accord.seeds(peace, range(1, 5), ["plan_28", "plan_19"], rounds=2_048)
    per_seed = rep.to_pandas()
    estimates = 2 * (1 + len(peace.parties))
    assert per_seed.shape == (estimates * 4, 8)
    assert sorted(per_seed.seed.unique()) == [1, 2, 3, 4]
    summary = rep.to_pandas("summary")
    assert summary.shape == (estimates, 10)
    assert set(summary.estimate) == {"agreement", "accept"}
    assert set(summary.verdict) <= {"consistent", "exact", "spread_too_wide", "spread_too_narrow"}
