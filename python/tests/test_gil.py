"""The engine runs with the GIL released: another Python thread keeps running meanwhile."""

from __future__ import annotations

import threading
import time

import accord
from conftest import PEACE


def longest_stall_during(call):
    """Runs ``call()`` while a Python thread ticks; returns (the call's duration, the longest
    gap between ticks during it)."""
    ticks: list[float] = []
    stop = threading.Event()

    def tick():
        n = 0
        while not stop.is_set():
            n += 1
            if n % 200 == 0:
                ticks.append(time.perf_counter())

    t = threading.Thread(target=tick)
    t.start()
    time.sleep(0.05)
    start = time.perf_counter()
    call()
    end = time.perf_counter()
    stop.set()
    t.join()
    inside = [start] + [x for x in ticks if start < x < end] + [end]
    return end - start, max(b - a for a, b in zip(inside, inside[1:]))


def test_a_python_thread_runs_while_the_engine_plays():
    s = accord.Scenario.from_file(PEACE)
    # Long enough to measure (about half a second on one core), short for a test.
    duration, stall = longest_stall_during(lambda: accord.run(s, rounds=6_000_000, threads=1))
    assert duration > 0.1, f"the run took only {duration:.3f} s: too short to tell"
    # Holding the GIL, the run would stall the other thread for its whole duration; released,
    # the thread is only ever paused by the interpreter's switch interval (5 ms).
    assert stall < duration / 4, f"the thread stalled {stall:.3f} s of a {duration:.3f} s run"


def test_sweeps_and_seeds_release_it_too():
    s = accord.Scenario.from_file(PEACE)
    for call in (
        lambda: accord.sweep(s, clause="troop_cap", points=40, rounds=1_500_000, threads=1),
        lambda: accord.seeds(s, range(1, 5), "plan_28", rounds=1_500_000, threads=1),
    ):
        duration, stall = longest_stall_during(call)
        assert duration > 0.1 and stall < duration / 4, (duration, stall)
