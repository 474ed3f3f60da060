"""Pages whose query count differs between two ``bench/pages.py`` runs (demo size and scale).

The issue's budget: query counts equal at demo size and at scale. ``pages.py`` prints one
line per URL and role with its query count; this reads two such outputs and lists each
URL × role measured in both whose counts differ, then how many were compared.

    .venv/bin/python bench/query_drift.py bench/results/pages-demo.txt bench/results/pages-scale.txt

Object ids differ between a demo database and a scaled one only where the rules look them
up by position; pairs measured in one run only are counted, not compared.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROW = re.compile(r"^(?P<url>/\S*)\s+(?P<role>\S+)\s+(?P<kind>html|file)\s+(?P<queries>\d+)\s")


def query_counts(path: Path) -> dict[tuple[str, str], int]:
    counts: dict[tuple[str, str], int] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        match = ROW.match(line)
        if match:  # the table is printed twice (as measured, then sorted): the last one wins
            counts[(match["url"], match["role"])] = int(match["queries"])
    return counts


def main(small: str, large: str) -> int:
    before, after = query_counts(Path(small)), query_counts(Path(large))
    shared = sorted(before.keys() & after.keys())
    drifted = [
        (url, role, before[url, role], after[url, role])
        for url, role in shared
        if before[url, role] != after[url, role]
    ]
    for url, role, was, now in drifted:
        print(f"{url:<70} {role:<15} {was:>4} → {now:<4}")
    only = len(before.keys() ^ after.keys())
    print(
        f"{len(shared)} URL × role pairs in both runs, {len(drifted)} with a different query count; {only} in one run only"
    )
    return 1 if drifted else 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1], sys.argv[2]))
