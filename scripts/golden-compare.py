#!/usr/bin/env python3
"""Compares two folders written by scripts/golden.sh: every number must agree to 11
significant digits or 10 decimals (the precision results report), every string and key
exactly, but for keys renamed on purpose between the two (`--rename OLD=NEW`, repeatable).
Prints each difference and exits 1 if there is any.

    scripts/golden-compare.py /tmp/golden-before /tmp/golden-after
    scripts/golden-compare.py /tmp/golden-before /tmp/golden-after --rename mean_concession=mean_shortfall
"""
import json
import math
import sys
from pathlib import Path

# Keys renamed between the two folders (old -> new), from --rename. None by default: a
# standing rename would hide a real difference in output that uses the old name (the
# `concessions` command's results do).
RENAMES = {}


def same_number(a, b):
    if a is None or b is None:
        return a is b
    if a == b:
        return True
    if isinstance(a, float) or isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-11, abs_tol=1e-10)
    return False


def compare(a, b, path, out):
    if isinstance(a, dict) and isinstance(b, dict):
        a = {RENAMES.get(k, k): v for k, v in a.items()}
        for k in sorted(set(a) | set(b)):
            if k not in a:
                out.append(f"{path}.{k}: new in after")
            elif k not in b:
                out.append(f"{path}.{k}: missing in after")
            else:
                compare(a[k], b[k], f"{path}.{k}", out)
    elif isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            out.append(f"{path}: {len(a)} items before, {len(b)} after")
        for i, (x, y) in enumerate(zip(a, b)):
            compare(x, y, f"{path}[{i}]", out)
    elif isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        if not same_number(a, b):
            out.append(f"{path}: {a!r} before, {b!r} after")
    elif a != b:
        out.append(f"{path}: {a!r} before, {b!r} after")


def main(before, after):
    problems = 0
    for f in sorted(Path(before).glob("*.json")):
        g = Path(after) / f.name
        if not g.exists():
            print(f"{f.name}: missing after")
            problems += 1
            continue
        out = []
        compare(json.loads(f.read_text()), json.loads(g.read_text()), f.name, out)
        for line in out:
            print(line)
        problems += len(out)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    args = sys.argv[1:]
    folders = []
    while args:
        a = args.pop(0)
        if a == "--rename" and args and "=" in args[0]:
            old, new = args.pop(0).split("=", 1)
            RENAMES[old] = new
        else:
            folders.append(a)
    if len(folders) != 2:
        sys.exit(__doc__)
    main(*folders)
