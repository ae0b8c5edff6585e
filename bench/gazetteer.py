"""Load time and memory of the gazetteer (what a worker pays once, at its first article).

Each repetition runs in a fresh Python process (so nothing is cached or already imported) and
measures, with the process's resident set size from ``/proc/self/status``:

* ``load``: :meth:`extractors.gazetteer.Gazetteer.from_file` on the main file (``gazetteer.json``);
* ``minor``: the first lookup that needs the minor places (``gazetteer_minor.tsv``, read then);
* ``first_wire``: extracting one wire story after both (lazy indexes, caches).

The figures are the median over ``--repeat`` processes (RSS in MiB, time in seconds).

    python bench/gazetteer.py [--repeat 5] [--data extractors/data/gazetteer.json] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

_CHILD = r"""
import json, sys, time
sys.path.insert(0, sys.argv[1])

def rss() -> float:
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0

import orjson  # noqa: F401  (imported by the gazetteer: not part of its cost)
from extractors.gazetteer import Gazetteer
from extractors import extract
from schemas.records import Article
r0 = rss()
t0 = time.perf_counter()
g = Gazetteer.from_file(sys.argv[2])
t1 = time.perf_counter()
r1 = rss()
g.lookup_all("Sokolo", minor=True)
t2 = time.perf_counter()
r2 = rss()
from extractors.locations import set_gazetteer
set_gazetteer(g)
body = ("NAIROBI (Reuters) - Armed men shot dead 31 villagers across Ethiopia's Oromiya region "
        "overnight, residents said.")
t3 = time.perf_counter()
extract(Article(id="b", body=body))
t4 = time.perf_counter()
print(json.dumps({"load_s": t1 - t0, "load_mib": r1 - r0, "minor_s": t2 - t1, "minor_mib": r2 - r1,
                  "first_wire_s": t4 - t3, "rss_after_mib": rss(), "places": len(g)}))
"""


def measure(data: Path, repeat: int) -> dict[str, float]:
    """Median of each figure over ``repeat`` fresh processes."""
    runs = []
    for _ in range(repeat):
        out = subprocess.run([sys.executable, "-c", _CHILD, str(ROOT), str(data)], check=True,
                             capture_output=True, text=True).stdout
        runs.append(json.loads(out.strip().splitlines()[-1]))
    return {k: round(statistics.median(r[k] for r in runs), 4) for k in runs[0]}


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--data", type=Path, default=ROOT / "extractors" / "data" / "gazetteer.json")
    ap.add_argument("--json", type=Path, help="also write the result here")
    args = ap.parse_args(argv)
    result = measure(args.data, args.repeat)
    size = args.data.stat().st_size
    minor = args.data.with_name("gazetteer_minor.tsv")
    result["file_mb"] = round(size / 1e6, 2)
    result["minor_file_mb"] = round(minor.stat().st_size / 1e6, 2) if minor.exists() else 0.0
    print(f"gazetteer load (median of {args.repeat} fresh processes)")
    for key, value in result.items():
        print(f"  {key:<16}{value}")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
