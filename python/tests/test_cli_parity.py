"""Every result's to_dict() is the CLI's --format json output parsed, and to_json() is that
output byte for byte: the same library, the same numbers, the same shape."""

from __future__ import annotations

import pytest

import accord
from conftest import ALTERNATING, FEARON, MEDIATED, PEACE, RUBINSTEIN, THREE_PARTY


def same(result, cli_json, *args):
    expected, text = cli_json(*args)
    assert result.to_dict() == expected
    assert result.to_json() == text


def test_run_ratify_matches_cli(cli_json):
    s = accord.Scenario.from_file(PEACE)
    r = accord.run(s, ["plan_28", "plan_19"], rounds=20_000, seed=7)
    assert r.kind == "proposals" and r.rounds == 20_000 and r.seed == 7
    same(r, cli_json, "run", PEACE, "-p", "plan_28", "-p", "plan_19", "--rounds", 20_000, "--seed", 7)


def test_run_given_matches_cli(cli_json):
    s = accord.Scenario.from_file(PEACE)
    r = accord.run(s, ["plan_28", "plan_19"], rounds=20_000, seed=7, given=["ukraine rejects plan_28"])
    assert r.to_dict()["conditioning"]["kept"] < 20_000
    same(r, cli_json, "run", PEACE, "-p", "plan_28", "-p", "plan_19", "--rounds", 20_000, "--seed", 7,
         "--given", "ukraine rejects plan_28")


def test_run_defaults_come_from_the_scenario(cli_json):
    # No rounds or seed: the scenario's [simulation] (or 100,000 rounds and seed 1), all proposals.
    r = accord.run(str(FEARON))
    same(r, cli_json, "run", FEARON)


def test_run_precision_matches_cli(cli_json):
    s = accord.Scenario.from_file(PEACE)
    r = accord.run(s, "plan_28", precision=0.01, seed=3)
    assert r.precision["reached"] and r.precision["target"] == 0.01
    same(r, cli_json, "run", PEACE, "-p", "plan_28", "--precision", 0.01, "--seed", 3)


def test_precision_not_reached_warns():
    s = accord.Scenario.from_file(PEACE)
    with pytest.warns(RuntimeWarning, match="not reached"):
        r = accord.run(s, "plan_28", precision=0.0001, max_rounds=4096)
    assert r.rounds == 4096 and not r.precision["reached"]


def test_sweep_clause_matches_cli(cli_json):
    s = accord.Scenario.from_file(PEACE)
    r = accord.sweep(
        s, clause="troop_cap", from_=4e5, to=1e6, points=7, proposal="plan_28", rounds=10_000
    )
    assert r.kind == "sweep"
    same(
        r, cli_json, "sweep", PEACE, "--proposal", "plan_28", "--clause", "troop_cap",
        "--from", 400000, "--to", 1000000, "--points", 7, "--rounds", 10_000,
    )


def test_sweep_grid_matches_cli(cli_json):
    s = accord.Scenario.from_file(PEACE)
    r = accord.sweep(
        s,
        axes=[{"clause": "troop_cap", "points": 4}, {"reservation": "ukraine", "from": 0.2, "to": 0.6, "points": 3}],
        proposal="plan_19",
        rounds=5_000,
        seed=11,
    )
    same(
        r, cli_json, "sweep", PEACE, "-p", "plan_19", "--clause", "troop_cap", "--points", 4,
        "--reservation", "ukraine", "--from", 0.2, "--to", 0.6, "--points", 3,
        "--rounds", 5_000, "--seed", 11,
    )


def test_sweep_shift_matches_cli(cli_json):
    # shift= is the CLI's --shift: shifts from the party's own reservation, as a pair or "A..B".
    s = accord.Scenario.from_file(PEACE)
    cli = ("sweep", PEACE, "--reservation", "ukraine", "--shift", "-0.2..0", "--points", 5,
           "--rounds", 5_000)
    r = accord.sweep(s, reservation="ukraine", shift=(-0.2, 0), points=5, rounds=5_000)
    same(r, cli_json, *cli)
    r = accord.sweep(s, reservation="ukraine", shift="-0.2..0", points=5, rounds=5_000)
    same(r, cli_json, *cli)
    grid = accord.sweep(
        s, axes=[{"clause": "nato"}, {"reservation": "ukraine", "shift": (-0.1, 0.1), "points": 3}],
        rounds=3_000,
    )
    same(
        grid, cli_json, "sweep", PEACE, "--clause", "nato", "--reservation", "ukraine",
        "--shift", "-0.1..0.1", "--points", 3, "--rounds", 3_000,
    )


def test_sweep_path_matches_cli(cli_json):
    s = accord.Scenario.from_file(PEACE)
    r = accord.sweep(s, path=("plan_28", "plan_19"), beyond=0.25, points=9, rounds=5_000)
    same(
        r, cli_json, "sweep", PEACE, "--path", "plan_28..plan_19", "--beyond", 0.25,
        "--points", 9, "--rounds", 5_000,
    )


def test_dynamic_run_matches_cli(cli_json):
    for path in (THREE_PARTY, ALTERNATING):
        r = accord.run(path, rounds=3_000, seed=5)
        assert r.kind == "dynamic"
        same(r, cli_json, "run", path, "--rounds", 3_000, "--seed", 5)


def test_mediated_run_from_a_proposal_matches_cli(cli_json):
    r = accord.run(MEDIATED, "plan_19", rounds=2_000)
    same(r, cli_json, "run", MEDIATED, "-p", "plan_19", "--rounds", 2_000)


def test_dynamic_param_sweep_matches_cli(cli_json):
    r = accord.sweep(RUBINSTEIN, param="first.discount", from_=0.5, to=0.99, points=5, rounds=2_000)
    same(
        r, cli_json, "sweep", RUBINSTEIN, "--param", "first.discount", "--from", 0.5,
        "--to", 0.99, "--points", 5, "--rounds", 2_000,
    )


def test_seeds_match_cli(cli_json):
    s = accord.Scenario.from_file(PEACE)
    rep = accord.seeds(s, seeds=range(1, 6), proposals=["plan_28", "plan_19"], rounds=5_000)
    assert rep.seeds == [1, 2, 3, 4, 5]
    same(rep, cli_json, "seeds", PEACE, "--seeds", "1..=5", "-p", "plan_28", "-p", "plan_19", "--rounds", 5_000)
    # The CLI's range syntax gives the same report.
    assert accord.seeds(s, "1..=5", ["plan_28", "plan_19"], rounds=5_000).to_json() == rep.to_json()


def test_seeds_of_a_sweep_match_cli(cli_json):
    rep = accord.seeds(PEACE, [3, 9, 27], "plan_28", clause="nato", rounds=3_000)
    same(rep, cli_json, "seeds", PEACE, "--seeds", "3,9,27", "-p", "plan_28", "--clause", "nato", "--rounds", 3_000)


def test_seeds_of_a_dynamic_protocol_match_cli(cli_json):
    rep = accord.seeds(THREE_PARTY, range(1, 4), rounds=2_000)
    same(rep, cli_json, "seeds", THREE_PARTY, "--seeds", "1..4", "--rounds", 2_000)


def test_csv_and_table_match_cli(cli):
    s = accord.Scenario.from_file(PEACE)
    r = accord.sweep(s, clause="nato", rounds=4_000)
    assert r.to_csv() == cli("sweep", PEACE, "--clause", "nato", "--rounds", 4_000, "--format", "csv")
    assert str(r) == cli("sweep", PEACE, "--clause", "nato", "--rounds", 4_000, "--format", "table")


def test_results_read_back_from_json():
    r = accord.sweep(PEACE, clause="nato", rounds=2_000)
    again = accord.RunResult.from_json(r.to_json())
    assert again.to_json() == r.to_json()
    with pytest.raises(ValueError, match="not a result of accord"):
        accord.RunResult.from_json('{"scenario": 1}')
