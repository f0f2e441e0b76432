"""The cost of a calibration: one run's cost, runs per second through pyabc, and what the full calibration took.

Usage::

    .venv/bin/python benchmarks/bench_calibration.py [--runs 2000] [--population 100] [--generations 3] [--workers 2]
                                                      [--backend processes]

Prints

(a) the cost of one run as the calibration plays it (``summaries.play``:
    the compiled path, the front kept after every round), ``--runs`` runs of
    ``italian_plan_2022`` with parameters drawn from the target file's
    priors (as in the first generation), on one core, against the first
    twentieth of the same runs on the Mesa model stepped round by round with
    its ``battlefield.share`` read after each (what ``play`` did before it
    used the compiled path);
(b) a small calibration of ``italian_plan_2022`` against ``record_2022_2024``
    (``--population`` particles for ``--generations`` generations, on
    ``--workers`` processes or another ``--backend``, into a temporary
    folder): the model runs it took, the time of the search alone and with
    the predictive checks, and runs per second of the search;
(c) the shipped calibration (``results/calibration/italian_plan_2022/calibration.json``):
    its population, generations, runs, and time, as recorded when it ran.
"""

from __future__ import annotations

import argparse
import json
import math
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from experiments.calibration.calibrate import calibrate
from experiments.calibration.smc import model_values, search_name
from experiments.calibration.summaries import play
from experiments.calibration.targets import load_targets
from experiments.worker import warm_up
from model import WarTerminationModel, load_scenario

SHIPPED = Path(__file__).resolve().parent.parent / "results" / "calibration" / "italian_plan_2022" / "calibration.json"


def per_run(runs: int) -> None:
    """(a) one run as the calibration plays it, against the Mesa model stepped round by round, on the same draws."""
    scenario = load_scenario("italian_plan_2022")
    rng = np.random.default_rng(20220526)
    priors = load_targets("record_2022_2024").priors
    draws: list[tuple[dict[str, float], int]] = []
    while len(draws) < runs:  # particles of the first generation: the priors, a log-uniform one on its logarithm
        searched = {}
        for p in priors:
            low, high = (math.log10(p.low), math.log10(p.high)) if p.distribution == "loguniform" else (p.low, p.high)
            searched[search_name(p.parameter, p.distribution)] = float(rng.uniform(low, high))
        draws.append((model_values(searched), int(rng.integers(2**63 - 1))))
    warm_up()  # compile (or load the cache) before timing

    def mesa(parameters: dict[str, float], seed: int) -> None:
        model = WarTerminationModel(scenario, rng=seed, **parameters)
        front = [model.battlefield.share]
        while model.running:
            model.step()
            front.append(model.battlefield.share)

    def play_run(parameters: dict[str, float], seed: int) -> object:
        return play(scenario, parameters, seed)

    def timed(run: Callable[[dict[str, float], int], object], n: int) -> float:
        start = time.process_time()
        for parameters, seed in draws[:n]:
            run(parameters, seed)
        return (time.process_time() - start) / n

    few = max(runs // 20, 50)
    compiled, compiled_few, stepped = timed(play_run, runs), timed(play_run, few), timed(mesa, few)
    print("(a) one run, italian_plan_2022, parameters drawn from the priors of record_2022_2024, one core (CPU time)")
    print(f"    play (compiled path, front kept)    {compiled * 1000:7.3f} ms a run, {1 / compiled:6.0f} runs/s ({runs} runs)")
    print(f"    the Mesa model stepped, front read  {stepped * 1000:7.3f} ms a run, {1 / stepped:6.0f} runs/s (the first {few})")
    print(f"    on those {few} runs play is {stepped / compiled_few:.0f}x faster than stepping the Mesa model")


def main() -> None:
    """Time one run, run the small calibration and print the three sets of figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2000)
    parser.add_argument("--population", type=int, default=100)
    parser.add_argument("--generations", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--backend", default="processes")
    args = parser.parse_args()
    per_run(args.runs)
    with tempfile.TemporaryDirectory(prefix="bench-calibration-") as tmp:
        start = time.perf_counter()
        result = calibrate(
            "italian_plan_2022",
            "record_2022_2024",
            Path(tmp) / "out",
            backend=args.backend,
            workers=args.workers,
            population=args.population,
            generations=args.generations,
            progress=False,
            predictive_runs=100,
        )
        total = time.perf_counter() - start
        manifest = json.loads((Path(tmp) / "out" / "calibration.json").read_text())
    runs = int(result.diagnostics["runs"].sum())
    where = f"{args.workers} workers" if args.backend != "serial" else "one process"
    print(f"(b) small calibration: population {args.population}, {args.generations} generations, {args.backend}, {where}")
    print(
        f"    {runs} runs in {manifest['smc_seconds']:.1f} s of search ({runs / manifest['smc_seconds']:.0f} runs/s); "
        f"{total:.1f} s with 200 predictive runs, figures and files"
    )
    print(
        f"    acceptance in the last generation {result.diagnostics['acceptance_rate'].iloc[-1]:.3f}, "
        f"epsilon {result.diagnostics['epsilon'].iloc[-1]:.3g}"
    )
    if SHIPPED.is_file():
        shipped = json.loads(SHIPPED.read_text())
        print(
            f"(c) shipped calibration: population {shipped['population']}, {shipped['generations']} generations, "
            f"{shipped['runs']} runs, {shipped['smc_seconds']:.0f} s of search and {shipped['total_seconds']:.0f} s "
            f"in all on {shipped['workers']} workers ({shipped['backend']}, engine {shipped.get('engine', 'the Mesa model')})"
        )
    else:
        print("(c) no shipped calibration found")


if __name__ == "__main__":
    main()
