"""Spread one accord run over a Dask cluster: one task per shard, merged on the client.

Each task plays one shard — a contiguous slice of the run's blocks of rounds — and returns an
``accord.Partial``; ``accord.merge`` adds them up into the whole run's result, bit for bit
the same as playing it on one machine (the script checks that, too).

    python python/examples/dask_shards.py scenarios/peace-plan-2025.toml --shards 8

On a real cluster, point ``Client`` at its scheduler instead of starting a ``LocalCluster``
(every worker needs the same accord version installed: ``pip install ./python``).
"""

from __future__ import annotations

import argparse
import sys
import time

import accord


def sharded(client, play, scenario, shards: int, **options) -> accord.RunResult:
    """Plays ``play(scenario, **options)`` (``accord.run`` or ``accord.sweep``) as ``shards``
    Dask tasks and merges their partial results."""
    futures = [
        # pure=False: each call is its own task (the shards differ only in a keyword).
        client.submit(play, scenario, shard=(k, shards), pure=False, **options)
        for k in range(1, shards + 1)
    ]
    return accord.merge(client.gather(futures))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenario", help="a scenario file")
    parser.add_argument("--shards", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=200_000)
    parser.add_argument("--clause", help="sweep this clause (default: a plain run)")
    parser.add_argument("--points", type=int, default=11)
    args = parser.parse_args(argv)

    from distributed import Client, LocalCluster

    scenario = accord.Scenario.from_file(args.scenario)
    play = accord.sweep if args.clause else accord.run
    # One engine thread per task: the workers already fill the cores.
    options = dict(rounds=args.rounds, threads=1)
    if args.clause:
        options.update(clause=args.clause, points=args.points)

    with LocalCluster(
        n_workers=args.workers, threads_per_worker=1, processes=True, dashboard_address=":0"
    ) as cluster, Client(cluster) as client:
        start = time.perf_counter()
        merged = sharded(client, play, scenario, args.shards, **options)
        spread = time.perf_counter() - start

    start = time.perf_counter()
    single = play(scenario, **options)
    alone = time.perf_counter() - start

    same = merged.to_dict() == single.to_dict() and merged.to_json() == single.to_json()
    print(merged)
    print(
        f"{args.shards} shards on {args.workers} Dask workers: {spread:.2f} s; "
        f"one process: {alone:.2f} s; identical results: {same}"
    )
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
