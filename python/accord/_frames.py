"""Tidy pandas frames of results (``RunResult.to_pandas``, ``SeedsReport.to_pandas``).

Built from a result's ``to_dict()``, the command line's JSON, so the frames show exactly the
numbers the CLI reports. pandas is imported only here, when a frame is asked for.
"""

from __future__ import annotations

import math
from typing import Any

ESTIMATE_COLUMNS = ["p", "lo", "hi", "n"]
PARTY_COLUMNS = ["veto", "mean_utility", "mean_margin"]


def _pandas():
    try:
        import pandas
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ImportError(
            "to_pandas() needs pandas: pip install pandas (or pip install 'accord[pandas]')"
        ) from e
    return pandas


def _num(x: Any) -> float:
    """A JSON number or null (NaN) as a float."""
    return math.nan if x is None else float(x)


def _estimate(e: dict) -> dict:
    return {"p": _num(e["p"]), "lo": e["lo"], "hi": e["hi"], "n": e["n"]}


def _rows_of_deal(prefix: dict, agreement: dict, parties: list, veto: dict) -> list:
    """Agreement, then each party's acceptance, for one proposal or sweep point."""
    rows = [
        {
            **prefix,
            "party": None,
            "estimate": "agreement",
            **_estimate(agreement),
            "veto": None,
            "mean_utility": math.nan,
            "mean_margin": math.nan,
        }
    ]
    for q in parties:
        rows.append(
            {
                **prefix,
                "party": q["party"],
                "estimate": "accept",
                **_estimate(q["accept"]),
                "veto": q.get("veto", veto.get(q["party"])),
                "mean_utility": _num(q["mean_utility"]),
                "mean_margin": _num(q["mean_margin"]),
            }
        )
    return rows


def _coordinate(axis: dict, x: float) -> Any:
    """A swept value as a frame shows it: a choice or bool option by name."""
    options = axis.get("options")
    if options:
        return options[int(x)]
    return x


def _check_table(table: str, known: list) -> None:
    if table not in known:
        raise ValueError(f"table={table!r}: this result has tables {', '.join(map(repr, known))}")


def run_frame(d: dict, table: str = "estimates"):
    """A ``RunResult``'s dict as a tidy frame (see ``RunResult.to_pandas``)."""
    pd = _pandas()
    columns = ["party", "estimate", *ESTIMATE_COLUMNS, *PARTY_COLUMNS]
    if "results" in d:  # proposals put to the parties
        _check_table(table, ["estimates"])
        rows = []
        for r in d["results"]:
            rows += _rows_of_deal({"proposal": r["proposal"]}, r["agreement"], r["parties"], {})
        return pd.DataFrame(rows, columns=["proposal", *columns])
    if "points" in d:  # a sweep
        _check_table(table, ["estimates"])
        axes = d["axes"]
        names = [a["name"] for a in axes]
        veto = dict(zip(d["parties"], d["veto"]))
        rows = []
        for point in d["points"]:
            prefix = {a["name"]: _coordinate(a, x) for a, x in zip(axes, point["x"])}
            rows += _rows_of_deal(prefix, point["agreement"], point["parties"], veto)
        return pd.DataFrame(rows, columns=[*names, *columns])
    # A dynamic protocol's play.
    _check_table(table, ["estimates", "steps", "parties"])
    subject = d["protocol"] + (f" from {d['start']}" if d.get("start") else "")
    if table == "steps":
        return pd.DataFrame(d["steps"])
    if table == "parties":
        return pd.DataFrame(d["parties"])
    rows = [
        {"proposal": subject, "party": None, "estimate": "agreement", **_estimate(d["agreement"])}
    ]
    for ending, e in d["endings"].items():
        if ending != "agreement":
            rows.append(
                {"proposal": subject, "party": None, "estimate": ending, **_estimate(e)}
            )
    return pd.DataFrame(rows, columns=["proposal", "party", "estimate", *ESTIMATE_COLUMNS])


def seeds_frame(d: dict, table: str = "seeds"):
    """A ``SeedsReport``'s dict as a tidy frame (see ``SeedsReport.to_pandas``)."""
    pd = _pandas()
    _check_table(table, ["seeds", "summary"])
    rows = []
    for e in d["estimates"]:
        party = None if e["estimate"] == "agreement" else e["estimate"]
        kind = "agreement" if party is None else "accept"
        head = {"proposal": e["proposal"], "party": party, "estimate": kind}
        if table == "seeds":
            for seed, est in zip(d["seeds"], e["per_seed"]):
                rows.append({**head, "seed": seed, **_estimate(est)})
        else:
            rows.append(
                {
                    **head,
                    "mean": e["mean"],
                    "spread": e["spread"],
                    "mean_se": e["mean_se"],
                    "ratio": _num(e["ratio"]),
                    "band_lo": e["band"][0],
                    "band_hi": e["band"][1],
                    "verdict": e["verdict"],
                }
            )
    columns = ["proposal", "party", "estimate"] + (
        ["seed", *ESTIMATE_COLUMNS]
        if table == "seeds"
        else ["mean", "spread", "mean_se", "ratio", "band_lo", "band_hi", "verdict"]
    )
    return pd.DataFrame(rows, columns=columns)
