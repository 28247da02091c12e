"""Bad input gives a Python exception that says what is wrong and where — never a crash.

Scenario errors carry accord's `file:line:col: message` (the CLI prints the same text);
bad keyword values raise OptionError (a ValueError) naming the keyword."""

from __future__ import annotations

import json
import math
import subprocess

import pytest

import accord
from conftest import PEACE, RUBINSTEIN

BAD_TOML = """\
[scenario]
name = "x"

[clauses.a]
kind = "range"
min = 0
max = 1

[proposals.p]
a = 0.5

[parties.one]
reservation = 0.4
weigths = { a = 1 }
"""


def test_scenario_error_names_file_line_and_column(tmp_path, accord_bin):
    path = tmp_path / "x.toml"
    path.write_text(BAD_TOML)
    with pytest.raises(accord.ScenarioError) as info:
        accord.Scenario.from_file(path)
    e = info.value
    assert isinstance(e, ValueError)
    assert str(e).startswith(f"{path}:14:1: unknown field `weigths`")
    assert (e.path, e.line, e.column) == (str(path), 14, 1)
    assert "weights" in e.help
    # The CLI reports the same message for the same file.
    done = subprocess.run([str(accord_bin), "check", str(path)], capture_output=True, text=True)
    assert done.returncode == 2
    assert str(e) in " ".join(done.stderr.replace("│", " ").split())


def test_scenario_error_from_text_and_json():
    with pytest.raises(accord.ScenarioError, match=r"^<toml>:14:1: unknown field `weigths`"):
        accord.Scenario.from_toml(BAD_TOML)
    with pytest.raises(accord.ScenarioError, match=r"^mine\.json:1:\d+: ") as info:
        accord.Scenario.from_json('{"scenario": {"name": 5}}', name="mine.json")
    assert info.value.line == 1
    # A value the schema accepts but validation refuses points at its key.
    text = PEACE.read_text().replace("min = 200_000", "min = 2_000_000", 1)
    with pytest.raises(accord.ScenarioError) as info:
        accord.Scenario.from_toml(text, name="peace.toml")
    assert str(info.value).startswith(f"peace.toml:{info.value.line}:{info.value.column}: ")
    assert info.value.line > 0 and info.value.key.startswith("clauses.troop_cap")


def test_missing_file_is_an_os_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="cannot read"):
        accord.Scenario.from_file(tmp_path / "none.toml")
    with pytest.raises(FileNotFoundError):
        accord.run(str(tmp_path / "none.toml"))


def option_error(call, keyword, starts):
    with pytest.raises(accord.OptionError) as info:
        call()
    assert isinstance(info.value, ValueError)
    assert info.value.keyword == keyword, str(info.value)
    assert str(info.value).startswith(starts), str(info.value)
    return info.value


@pytest.fixture(scope="module")
def peace():
    return accord.Scenario.from_file(PEACE)


def test_run_options_name_their_keyword(peace):
    e = option_error(lambda: accord.run(peace, ["plan_28", "plan_9"]), "proposals", "proposals[1]='plan_9': ")
    assert "plan_19" in e.help
    option_error(lambda: accord.run(peace, "plan_9"), "proposals", "proposals='plan_9': ")
    option_error(lambda: accord.run(peace, rounds=0), "rounds", "rounds=0: ")
    option_error(lambda: accord.run(peace, rounds=10**13), "rounds", "rounds=10000000000000: ")
    option_error(lambda: accord.run(peace, rounds=-5), "rounds", "rounds=-5: ")
    option_error(lambda: accord.run(peace, rounds=2.5), "rounds", "rounds=2.5: ")
    option_error(lambda: accord.run(peace, seed=-1), "seed", "seed=-1: ")
    option_error(lambda: accord.run(peace, threads=0), "threads", "threads=0: ")
    option_error(lambda: accord.run(peace, threads=5000), "threads", "threads=5000: ")
    option_error(lambda: accord.run(peace, precision=0.5), "precision", "precision=0.5: ")
    option_error(lambda: accord.run(peace, precision=math.nan), "precision", "precision=NaN: ")
    option_error(lambda: accord.run(peace, precision=0.01, rounds=10), "precision", "precision=0.01: ")
    option_error(lambda: accord.run(peace, precision=0.01, max_rounds=0), "max_rounds", "max_rounds=0: ")
    option_error(lambda: accord.run(peace, max_rounds=1000), "max_rounds", "max_rounds=1000: ")
    option_error(lambda: accord.run(peace, shard=(0, 4)), "shard", "shard=(0, 4): ")
    option_error(lambda: accord.run(peace, shard=(1, 2, 3)), "shard", "shard=(1, 2, 3): ")
    option_error(lambda: accord.run(peace, shard="x"), "shard", "shard='x': ")
    e = option_error(lambda: accord.run(peace, rounds=2048, shard=(1, 3)), "shard", "shard=(1, 3): ")
    assert "at most 2 shards" in str(e)
    option_error(lambda: accord.run(peace, given="ukraine likes plan_19"), "given", "given[0]='ukraine likes plan_19': ")
    option_error(lambda: accord.run(peace, given=["ukraine accepts plan_19", "kyiv accepts plan_19"]), "given", "given[1]=")


def test_sweep_options_name_their_keyword(peace):
    option_error(lambda: accord.sweep(peace, clause="troop_kap"), "clause", "clause='troop_kap': ")
    option_error(lambda: accord.sweep(peace, clause="troop_cap", from_=1), "from_", "from_=1 (of clause='troop_cap'): ")
    option_error(lambda: accord.sweep(peace, clause="troop_cap", to=400_000, from_=400_000), "to", "to=400000 (of clause='troop_cap'): ")
    option_error(lambda: accord.sweep(peace, clause="troop_cap", points=1), "points", "points=1 (of clause='troop_cap'): ")
    option_error(lambda: accord.sweep(peace, clause="nato", points=5), "points", "points=5 (of clause='nato'): ")
    option_error(lambda: accord.sweep(peace, reservation="ukraine", to=1.5), "to", "to=1.5 (of reservation='ukraine'): ")
    option_error(lambda: accord.sweep(peace, path="plan_28..plan_9"), "path", "path='plan_28..plan_9': ")
    option_error(lambda: accord.sweep(peace, path="plan_28"), "path", "path='plan_28': ")
    option_error(lambda: accord.sweep(peace, path="plan_28..plan_19", beyond=11), "beyond", "beyond=11: ")
    option_error(lambda: accord.sweep(peace, clause="nato", beyond=0.5), "beyond", "beyond=0.5: ")
    option_error(lambda: accord.sweep(peace, param="deadline", from_=1, to=5), "param", "param='deadline': ")
    option_error(lambda: accord.sweep(peace, clause="nato", proposal="plan_9"), "proposal", "proposal='plan_9': ")
    option_error(lambda: accord.sweep(peace), None, "nothing to sweep")
    option_error(lambda: accord.sweep(peace, from_=1), "from_", "from_: ")
    option_error(lambda: accord.sweep(peace, clause="nato", reservation="ukraine"), "reservation", "clause=… and reservation=…: ")
    option_error(lambda: accord.sweep(peace, clause="nato", axes=[{"clause": "nato"}]), "axes", "axes: ")
    # The list form names the entry and key.
    option_error(lambda: accord.sweep(peace, axes=[{"clause": "troop_cap"}, {"clause": "nato", "to": 2}]), "axes", 'axes[1]["to"]=2 (clause=\'nato\'): ')
    e = option_error(lambda: accord.sweep(peace, axes=[{"clause": "troop_cap", "form": 4e5}]), "axes", 'axes[0]["form"]: ')
    assert 'did you mean "from"' in e.help
    option_error(lambda: accord.sweep(peace, axes=[{"from": 1}]), "axes", "axes[0]: ")
    option_error(lambda: accord.sweep(peace, axes=[{"clause": "nato", "path": "a..b"}]), "axes", "axes[0]: ")
    option_error(lambda: accord.sweep(peace, axes=[{"clause": "nato", "beyond": 1}]), "axes", 'axes[0]["beyond"]: ')
    option_error(lambda: accord.sweep(peace, axes=[{"clause": "nato"}] * 3), "axes", "axes[2]")
    # shift=, the CLI's --shift, is named as it was written.
    e = option_error(lambda: accord.sweep(peace, reservation="ukraine", shift=(0, 0.9)), "shift", "shift=(0, 0.9) (of reservation='ukraine'): ")
    assert "not a utility in [0, 1]" in str(e)
    option_error(lambda: accord.sweep(peace, reservation="ukraine", shift="-0.2"), "shift", "shift='-0.2' (of reservation='ukraine'): not two numbers")
    option_error(lambda: accord.sweep(peace, reservation="ukraine", shift=(1, 2, 3)), "shift", "shift=(1, 2, 3) (of reservation='ukraine'): ")
    option_error(lambda: accord.sweep(peace, clause="troop_cap", shift=(0, 1)), "shift", "shift=(0, 1) (of clause='troop_cap'): applies to a reservation axis")
    option_error(lambda: accord.sweep(peace, reservation="ukraine", shift=(-0.1, 0), to=0.5), "shift", "shift=(-0.1, 0) (of reservation='ukraine'): give either shift or from/to")
    option_error(lambda: accord.sweep(peace, shift=(0, 1)), "shift", "shift: ")
    option_error(lambda: accord.sweep(peace, axes=[{"clause": "nato"}, {"reservation": "ukraine", "shift": (0, 0.9)}]), "axes", 'axes[1]["shift"]=(0, 0.9) (reservation=\'ukraine\'): ')
    option_error(lambda: accord.sweep(RUBINSTEIN, param="first.discount", from_=0.5, to=1.5), "to", "to=1.5 (of param='first.discount'): ")


def test_seeds_options_name_their_keyword(peace):
    option_error(lambda: accord.seeds(peace, [1]), "seeds", "seeds=[1]: ")
    option_error(lambda: accord.seeds(peace, "5..1"), "seeds", "seeds='5..1': ")
    option_error(lambda: accord.seeds(peace, [1, -2]), "seeds", "seeds[1]=-2: ")
    option_error(lambda: accord.seeds(peace, [1, 2], ["plan_28", "plan_19"], clause="nato"), "proposals", "proposals=")
    option_error(lambda: accord.seeds(peace, [1, 2], rounds=0), "rounds", "rounds=0: ")


def test_wrong_types_are_type_errors_naming_the_keyword(peace):
    for call, keyword in [
        (lambda: accord.run(peace, rounds="many"), "rounds"),
        (lambda: accord.run(peace, rounds=True), "rounds"),
        (lambda: accord.run(peace, proposals=5), "proposals"),
        (lambda: accord.run(peace, [5]), "proposals[0]"),
        (lambda: accord.run(42), "scenario"),
        (lambda: accord.sweep(peace, clause=3), "clause"),
        (lambda: accord.sweep(peace, axes=["troop_cap"]), "axes[0]"),
        (lambda: accord.sweep(peace, axes=5), "axes"),
        (lambda: accord.seeds(peace, 7), "seeds"),
        (lambda: accord.merge(5), "parts"),
        (lambda: accord.merge([5]), "parts[0]"),
    ]:
        with pytest.raises(TypeError) as info:
            call()
        assert str(info.value).startswith(keyword), str(info.value)


def test_odd_input_never_crashes(peace):
    # Anything may be refused, but only with an ordinary exception: a Rust panic would surface
    # as pyo3's PanicException, a BaseException that `except Exception` does not catch.
    odd = [math.inf, -math.inf, math.nan, 1e300, -0.0, 2**64, 2**70, "", "..", [], {}, None]
    for value in odd:
        for call in (
            lambda: accord.run(peace, rounds=value),
            lambda: accord.run(peace, shard=(value, 2)),
            lambda: accord.sweep(peace, clause="troop_cap", from_=value, rounds=1024),
            lambda: accord.sweep(peace, reservation="ukraine", to=value, rounds=1024),
            lambda: accord.sweep(peace, path="plan_28..plan_19", beyond=value, rounds=1024),
            lambda: accord.sweep(peace, axes=[{"clause": "troop_cap", "points": value}], rounds=1024),
            lambda: accord.sweep(RUBINSTEIN, param="deadline", from_=1, to=value, rounds=1024),
        ):
            try:
                call()
            except Exception:
                pass
    for text in ["", "[scenario]", "\x00", "[[", '{"a": ', "a = \"\\u0000\""]:
        with pytest.raises(accord.ScenarioError):
            accord.Scenario.from_toml(text)
        with pytest.raises(accord.ScenarioError):
            accord.Scenario.from_json(text)
    with pytest.raises(ValueError):
        accord.RunResult.from_json("[")
    with pytest.raises(ValueError):
        accord.Partial.from_json(json.dumps({"accord_partial": 5}))
