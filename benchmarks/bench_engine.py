"""The compiled path against the Mesa model: per-run cost, compilation, a whole sweep, the full Sobol analysis.

Usage (from the repository root)::

    .venv/bin/python benchmarks/bench_engine.py                  # (a) to (c): about two minutes
    .venv/bin/python benchmarks/bench_engine.py --sensitivity    # and (d): the sensitivity experiment at its declared size

Prints

(a) per-run cost of ``italian_plan_2022`` (its default horizon of 104 weekly
    rounds) on one core: the compiled path (inputs packed once, as the
    runner packs them once per design point; target at most 0.3 ms), the
    same kernels interpreted, and the Mesa model (built, run, its per-round
    table kept, as a single run keeps it);
(b) compilation: the first call in a fresh process with an empty cache
    (cold), and with the cache the cold process left (cached), each in a
    subprocess of its own;
(c) a sweep command as a whole (``war-termination sweep severodonetsk_trend``
    at its declared size, ``--workers 1``) against the same runs of the Mesa
    model in one process (target at least 10x), and the sweep at 2 workers;
(d) with ``--sensitivity``: the sensitivity experiment at its declared size on
    two workers (target: within 5 minutes at 8,192 base samples), and the
    widest 95% half-width of its indices.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SCENARIO = "italian_plan_2022"


def per_run(runs: int) -> None:
    """(a) per-run cost on the compiled path, interpreted, and on the Mesa model."""
    from model import WarTerminationModel, load_scenario
    from model.engine.inputs import pack
    from model.engine.run import outcome_array

    values = dict(load_scenario(SCENARIO).values)
    inputs = pack(values)
    outcome_array(inputs, 0)  # compile (or load the cache) before timing

    def timed(label: str, n: int, run: object) -> float:
        times = []
        for seed in range(n):
            start = time.process_time()
            run(seed)  # type: ignore[operator]
            times.append((time.process_time() - start) * 1000.0)
        mean, median = statistics.fmean(times), statistics.median(times)
        print(f"  {label:<34} mean {mean:8.3f} ms   median {median:8.3f} ms   ({n} runs, CPU time)")
        return mean

    print(f"(a) per-run cost, {SCENARIO}, one core")
    compiled = timed("compiled path", runs, lambda seed: outcome_array(inputs, seed))
    timed("the same kernels interpreted", max(runs // 50, 20), lambda seed: outcome_array(inputs, seed, compiled=False))

    def mesa(seed: int) -> None:
        model = WarTerminationModel(SCENARIO, rng=seed)
        model.run()
        model.datacollector.get_model_vars_dataframe()

    mesa_ms = timed("Mesa model (table kept)", max(runs // 50, 50), mesa)
    print(f"  compiled path: {mesa_ms / compiled:.0f}x faster than the Mesa model (target: at most 0.3 ms a run)")


_COMPILE = (
    "import time; t = time.perf_counter(); from model.engine.run import run_values; from model import load_scenario; "
    "run_values(load_scenario('italian_plan_2022').values, 0); print(time.perf_counter() - t)"
)


def compilation() -> None:
    """(b) the first run in a fresh process, with an empty cache and with the cache it left."""
    print("(b) compilation, first run in a fresh process")
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "NUMBA_CACHE_DIR": cache}
        for label in ("cold (empty cache)", "cached"):
            out = subprocess.run([sys.executable, "-c", _COMPILE], env=env, capture_output=True, text=True, check=True, cwd=REPO)
            print(f"  {label:<34} {float(out.stdout):6.1f} s (imports included)")


def sweep_against_mesa() -> None:
    """(c) ``war-termination sweep`` against the same runs of the Mesa model, one core each; and at 2 workers."""
    from experiments.design import build_design
    from experiments.runner import run_seeds
    from experiments.spec import load_experiment
    from model import WarTerminationModel, load_scenario

    exp = load_experiment("severodonetsk_trend")
    design = build_design(exp)
    n_runs = len(design.points) * exp.replicates
    print(f"(c) a whole sweep: severodonetsk_trend, {len(design.points)} points x {exp.replicates} replicates = {n_runs} runs")
    walls = {}
    for workers in (1, 2):
        with tempfile.TemporaryDirectory() as out:
            start = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "model", "sweep", "severodonetsk_trend", "--out", out, "--workers", str(workers)],
                check=True, cwd=REPO, capture_output=True,
            )  # fmt: skip
            walls[workers] = time.perf_counter() - start
        print(f"  war-termination sweep, {workers} worker(s): {walls[workers]:7.1f} s wall ({n_runs / walls[workers]:,.0f} runs/s)")

    seeds = run_seeds(exp.master_seed, n_runs)
    base = load_scenario(exp.scenario).with_overrides(dict(exp.fixed))
    sample = max(n_runs // 20, 100)  # the Mesa model's time for the whole sweep, from a sample of its runs
    start = time.perf_counter()
    for rid in range(0, n_runs, n_runs // sample):
        point = design.points.iloc[rid // exp.replicates]
        overrides = {name: point[name].item() if hasattr(point[name], "item") else point[name] for name in exp.factor_names}
        WarTerminationModel(base, rng=int(seeds[rid]), record_agents=False, **overrides).run()
    per_run_s = (time.perf_counter() - start) / len(range(0, n_runs, n_runs // sample))
    mesa_wall = per_run_s * n_runs
    print(f"  the same runs on the Mesa model, one process: {mesa_wall:7.1f} s (from {sample} of them)")
    print(f"  sweep command at 1 worker: {mesa_wall / walls[1]:.1f}x faster (target at least 10x); "
          f"2 workers: {walls[1] / walls[2]:.2f}x the speed of 1")  # fmt: skip


def sensitivity() -> None:
    """(d) the sensitivity experiment at its declared size on two workers, and its widest half-width."""
    import pandas as pd

    from experiments.spec import load_experiment

    exp = load_experiment("sensitivity")
    print(f"(d) the sensitivity experiment at its declared size ({exp.samples} base samples, {exp.replicates} replicates)")
    with tempfile.TemporaryDirectory() as out:
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "model", "sweep", "sensitivity", "--out", out, "--workers", "2", "--allow-large"],
            check=True, cwd=REPO, capture_output=True,
        )  # fmt: skip
        wall = time.perf_counter() - start
        manifest = json.loads((Path(out) / "manifest.json").read_text())
        indices = pd.read_csv(Path(out) / "sensitivity.csv")
    widest = max((indices[f"{i}_conf"].max() for i in ("S1", "ST") if f"{i}_conf" in indices), default=float("nan"))
    print(f"  {manifest['runs']} runs in {wall / 60:.1f} min on 2 workers, {manifest['wall_time_s'] / 60:.1f} min of them the runs "
          f"(target: within 5 min); widest 95% half-width {widest:.3f} (target: under 0.05)")  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5000, help="compiled runs timed in (a)")
    parser.add_argument("--sensitivity", action="store_true", help="also run (d), the full sensitivity experiment")
    args = parser.parse_args()
    per_run(args.runs)
    compilation()
    sweep_against_mesa()
    if args.sensitivity:
        sensitivity()
    return 0


if __name__ == "__main__":
    sys.exit(main())
