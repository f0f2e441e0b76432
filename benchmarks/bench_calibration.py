"""The cost of a calibration: runs per second through pyabc, and what the full calibration took.

Usage::

    .venv/bin/python benchmarks/bench_calibration.py [--population 100] [--generations 3] [--workers 2]

Prints

(a) a small calibration of ``italian_plan_2022`` against ``record_2022_2024``
    (``--population`` particles for ``--generations`` generations, on
    ``--workers`` processes, into a temporary folder): the model runs it took,
    the time of the search alone and with the predictive checks, and runs per
    second, the figure the full calibration's cost scales with;
(b) the shipped calibration (``results/calibration/italian_plan_2022/calibration.json``):
    its population, generations, runs, and time, as recorded when it ran.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from experiments.calibration.calibrate import calibrate

SHIPPED = Path(__file__).resolve().parent.parent / "results" / "calibration" / "italian_plan_2022" / "calibration.json"


def main() -> None:
    """Run the small calibration and print both sets of figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--population", type=int, default=100)
    parser.add_argument("--generations", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-calibration-") as tmp:
        start = time.perf_counter()
        result = calibrate("italian_plan_2022", "record_2022_2024", Path(tmp) / "out", workers=args.workers,
                           population=args.population, generations=args.generations, progress=False,
                           predictive_runs=100)
        total = time.perf_counter() - start
        manifest = json.loads((Path(tmp) / "out" / "calibration.json").read_text())
    runs = int(result.diagnostics["runs"].sum())
    print(f"(a) small calibration: population {args.population}, {args.generations} generations, "
          f"{args.workers} workers")
    print(f"    {runs} runs in {manifest['smc_seconds']:.1f} s of search ({runs / manifest['smc_seconds']:.0f} runs/s); "
          f"{total:.1f} s with 200 predictive runs, figures and files")
    print(f"    acceptance in the last generation {result.diagnostics['acceptance_rate'].iloc[-1]:.3f}, "
          f"epsilon {result.diagnostics['epsilon'].iloc[-1]:.3g}")
    if SHIPPED.is_file():
        shipped = json.loads(SHIPPED.read_text())
        print(f"(b) shipped calibration: population {shipped['population']}, {shipped['generations']} generations, "
              f"{shipped['runs']} runs, {shipped['smc_seconds']:.0f} s of search and {shipped['total_seconds']:.0f} s "
              f"in all on {shipped['workers']} workers ({shipped['backend']})")
    else:
        print("(b) no shipped calibration found")


if __name__ == "__main__":
    main()
