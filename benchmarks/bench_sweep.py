"""Sweep benchmarks: per-run cost, throughput at 1 and 2 workers, mesa.batch_run, growth with rounds and third parties.

Usage (from the repository root)::

    .venv/bin/python benchmarks/bench_sweep.py              # everything (a few minutes on 2 cores)
    .venv/bin/python benchmarks/bench_sweep.py --runs 1000  # smaller sweeps

Prints

(a) per-run cost inside the runner (``experiments.worker.run_chunk`` on one core);
(b) sweep throughput (runs/s) with the ``processes`` backend at 1 and 2 workers,
    and the speed-up (target >= 1.8x on 2 cores);
(c) the same sweep (same scenario, design points and number of seeded runs)
    through ``war-termination sweep`` and through ``mesa.batch_run`` at the
    same number of processes: wall time and peak memory of the whole process
    tree (parent, workers and helpers such as multiprocessing's resource
    tracker, sampled every 0.25 s with psutil), as the sum of the processes'
    proportional set sizes (PSS: a page shared by n processes counts 1/n in
    each, so the sum is what the tree takes from the machine) and, for
    comparison, of their resident set sizes (RSS, which counts a shared page
    once in every process that maps it: a library's code, or the heap a
    forked worker shares with its parent). Each is run in a fresh Python
    process so neither inherits the other's memory. Targets: ours at least
    as fast, and at most 1/5 of batch_run's peak memory.
    batch_run is measured twice: keeping each run's last row only
    (``data_collection_period=-1``), and keeping every round (``=1``), which is
    what it needs to give what the runner's rows hold (the round of the
    first ceasefire and of the first breakdown, the terms agreed);
(d) per-run cost against the horizon (``max_rounds``) and against the number
    of third parties (``third_parties``);
(e) the memory (PSS) of the runner's process tree over a 20,000-run sweep
    (``--flat-runs``), as its peak in each quarter of the sweep: flat if the
    last quarter is within 5% of the second.
"""

from __future__ import annotations

import argparse
import inspect
import json
import os
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psutil

SCENARIO = "severodonetsk"
ADVANTAGES = [0.5, 0.55, 0.6, 0.65, 0.7]
MOMENTA = [-0.01, -0.005, 0.0, 0.005, 0.01]
THIRD_PARTIES = ["us", "uk", "fr", "de", "it", "tr", "cn", "pl", "ca", "un"]
SAMPLE_S = 0.25
"""Seconds between memory samples: reading a process's PSS walks its page tables, and sampling
every 20 ms slowed the sweeps it measured by a third on 2 cores."""


def experiment_text(replicates: int) -> str:
    """A 25-point grid around the severodonetsk scenario with ``replicates`` runs per point."""
    return textwrap.dedent(
        f"""
        name = "bench"
        scenario = "{SCENARIO}"
        master_seed = 1
        replicates = {replicates}
        [parameters.initial_advantage]
        values = {ADVANTAGES}
        [parameters.momentum]
        values = {MOMENTA}
        """
    )


# ----------------------------------------------------------------------
# Inner workloads (each run in its own process by the outer benchmark)
# ----------------------------------------------------------------------
def inner_ours(replicates: int, workers: int) -> dict[str, float]:
    from experiments import run_experiment

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.toml"
        path.write_text(experiment_text(replicates), encoding="utf-8")
        start = time.perf_counter()
        summary = run_experiment(path, out_dir=Path(tmp) / "out", workers=workers, progress=False, report=False)
        wall = time.perf_counter() - start
    return {"wall_s": wall, "runs": float(summary["n"].sum())}


def inner_batch_run(replicates: int, workers: int, period: int = -1) -> dict[str, float]:
    """``mesa.batch_run`` over the same runs; ``period=1`` keeps every round (what a summary of time to ceasefire needs)."""
    import mesa

    from experiments.runner import run_seeds
    from model import WarTerminationModel

    seeds = [int(s) for s in run_seeds(1, replicates)]
    # no agents' table: one row per round, as the runner's worker records (with it, batch_run gives one per agent)
    parameters: dict[str, Any] = {"scenario": SCENARIO, "initial_advantage": ADVANTAGES, "momentum": MOMENTA, "record_agents": False}
    # Mesa 3.4+ seeds batch_run with its own rng= argument; 3.3.1 has none, so there the seeds go in the grid
    if "rng" in inspect.signature(mesa.batch_run).parameters:
        seeding: dict[str, Any] = {"rng": seeds}
    else:
        parameters["rng"] = seeds
        seeding = {"iterations": 1}
    start = time.perf_counter()
    results = mesa.batch_run(
        WarTerminationModel,
        parameters=parameters,
        number_processes=workers,
        data_collection_period=period,
        max_steps=10_000,
        display_progress=False,
        **seeding,
    )
    wall = time.perf_counter() - start
    runs = len({row["RunId"] for row in results})
    return {"wall_s": wall, "runs": float(runs), "rows": float(len(results))}


# ----------------------------------------------------------------------
# Measurements
# ----------------------------------------------------------------------
@dataclass
class Peak:
    """Peak memory of a process tree, in MB: resident (RSS) and proportional (PSS) sums."""

    rss: float = 0.0
    pss: float = 0.0

    def ratio(self, other: Peak) -> str:
        return f"{self.pss / other.pss:.2f} by PSS, {self.rss / other.rss:.2f} by RSS"


def tree_memory(root: psutil.Process) -> tuple[float, float, int]:
    """Summed RSS and PSS (MB) of a process and all its descendants, and how many processes there are.

    RSS counts a page shared by several processes (a library's code, or the
    heap a forked worker shares with its parent) once in each of them; PSS
    splits it between them, so the PSS sum is what the tree takes from the
    machine.
    """
    rss = pss = n = 0
    for proc in [root, *root.children(recursive=True)]:
        try:
            info = proc.memory_full_info()
        except psutil.Error:  # a worker that ended between the listing and the reading
            continue
        rss += info.rss
        pss += info.pss
        n += 1
    return rss / 1e6, pss / 1e6, n


def measure_tree(
    command: list[str], series: list[tuple[float, float, int]] | None = None, memory: bool = True
) -> tuple[dict[str, float], Peak]:
    """Run a command and, with ``memory``, sample the memory of its process tree every :data:`SAMPLE_S` seconds.

    Returns its JSON output and the peak RSS and PSS sums; ``series``, if
    given, receives (seconds, PSS MB, number of processes) samples.
    """
    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    root = psutil.Process(proc.pid)
    peak = Peak()
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            try:
                rss, pss, n = tree_memory(root)
            except psutil.Error:
                break
            peak.rss, peak.pss = max(peak.rss, rss), max(peak.pss, pss)
            if series is not None:
                series.append((time.perf_counter() - started, pss, n))
            time.sleep(SAMPLE_S)

    thread = threading.Thread(target=sample, daemon=True)
    if memory:
        thread.start()
    out, _ = proc.communicate()
    done.set()
    if memory:
        thread.join()
    if proc.returncode != 0:
        raise RuntimeError(f"{command} failed with exit code {proc.returncode}")
    result = json.loads(out.strip().splitlines()[-1])
    # other work on the machine distorts timings: show the 1-minute load average around each measurement
    print(f"    [load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after, on {os.cpu_count()} cores]")
    return result, peak


def per_run_cost(n: int, **overrides: object) -> float:
    """Mean ms per run through the runner's worker function on one core."""
    from experiments.runner import run_seeds
    from experiments.worker import Chunk, run_chunk

    names = tuple(overrides)
    values = tuple(overrides.values())
    seeds = run_seeds(2, n)
    chunk = Chunk(SCENARIO, (), names, tuple((i, 0, i, int(seeds[i]), values) for i in range(n)))
    run_chunk(Chunk(SCENARIO, (), names, chunk.tasks[:3]))  # warm up: imports and the scenario cache
    start = time.perf_counter()
    batch = run_chunk(chunk)
    elapsed = time.perf_counter() - start
    assert batch.n_errors == 0, batch.first_error()
    return elapsed / n * 1000.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5000, help="runs in the compared sweeps (a multiple of 25)")
    parser.add_argument("--inner", choices=["ours", "batch_run", "batch_run_rounds"], help=argparse.SUPPRESS)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--flat-runs", type=int, default=20_000, help="runs in the sweep whose memory over time is shown (e)")
    parser.add_argument("--skip", nargs="*", default=[], choices=["cost", "scaling", "compare", "growth", "flat"])
    args = parser.parse_args()
    replicates = max(1, args.runs // 25)

    if args.inner:
        if args.inner == "ours":
            result = inner_ours(replicates, args.workers)
        else:
            result = inner_batch_run(replicates, args.workers, period=1 if args.inner == "batch_run_rounds" else -1)
        print(json.dumps(result))
        return 0

    me = [sys.executable, os.path.abspath(__file__), "--runs", str(args.runs)]
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}, scenario {SCENARIO}")
    if "cost" not in args.skip:
        print(f"(a) per-run cost in the runner, one core: {per_run_cost(300):.1f} ms/run")

    if "scaling" not in args.skip:
        rates = {}
        for workers in (1, 2):
            result, _ = measure_tree([*me, "--inner", "ours", "--workers", str(workers)], memory=False)
            rates[workers] = result["runs"] / result["wall_s"]
            print(f"(b) sweep of {int(result['runs'])} runs, processes backend, {workers} worker(s): "
                  f"{result['wall_s']:.1f} s, {rates[workers]:.0f} runs/s")
        print(f"(b) speed-up 2 workers / 1 worker: {rates[2] / rates[1]:.2f}x (target >= 1.8x)")

    if "compare" not in args.skip:
        ours, ours_peak = measure_tree([*me, "--inner", "ours", "--workers", str(args.workers)])
        theirs, theirs_peak = measure_tree([*me, "--inner", "batch_run", "--workers", str(args.workers)])
        print(f"(c) ours:           {int(ours['runs'])} runs in {ours['wall_s']:.1f} s, "
              f"peak of the tree {ours_peak.pss:.0f} MB PSS ({ours_peak.rss:.0f} MB RSS)")
        print(f"(c) mesa.batch_run: {int(theirs['runs'])} runs in {theirs['wall_s']:.1f} s, "
              f"peak of the tree {theirs_peak.pss:.0f} MB PSS ({theirs_peak.rss:.0f} MB RSS)")
        print(f"(c) time ratio ours/batch_run {ours['wall_s'] / theirs['wall_s']:.2f} (target <= 1); "
              f"memory ratio {ours_peak.ratio(theirs_peak)} (target <= 0.20)")
        # batch_run's last row per run lacks the first ceasefire, the first breakdown and the terms that the
        # summary reports; to compute them it must keep every round of every run
        rounds, rounds_peak = measure_tree([*me, "--inner", "batch_run_rounds", "--workers", str(args.workers)])
        print(f"(c) mesa.batch_run, every round kept (data_collection_period=1, {int(rounds['rows'])} rows): "
              f"{rounds['wall_s']:.1f} s, peak of the tree {rounds_peak.pss:.0f} MB PSS ({rounds_peak.rss:.0f} MB RSS)")
        print(f"(c) with the same information: time ratio ours/batch_run {ours['wall_s'] / rounds['wall_s']:.2f}; "
              f"memory ratio {ours_peak.ratio(rounds_peak)} (target <= 0.20)")

    if "flat" not in args.skip:
        series: list[tuple[float, float, int]] = []
        flat_me = [sys.executable, os.path.abspath(__file__), "--runs", str(args.flat_runs)]
        result, peak = measure_tree([*flat_me, "--inner", "ours", "--workers", str(args.workers)], series)
        # the sweep is while the workers run; the summary the parent computes from the saved runs comes after
        running = [(t, mb) for t, mb, n in series if n > args.workers]
        first, last = running[0][0], running[-1][0]
        span = (last - first) / 4
        quarters = [max((mb for t, mb in running if first + q * span <= t <= first + (q + 1) * span), default=0.0) for q in range(4)]
        after = max((mb for t, mb, _ in series if t > last), default=0.0)
        print(f"(e) {int(result['runs'])} runs, {args.workers} workers, {result['wall_s']:.0f} s: peak PSS of the tree by quarter of "
              f"the sweep {', '.join(f'{mb:.0f}' for mb in quarters)} MB (flat: the last quarter within 5% of the second: "
              f"{quarters[3] <= 1.05 * quarters[1]}); then the summary of the saved runs, workers gone: {after:.0f} MB")

    if "growth" not in args.skip:
        for rounds in (26, 52, 104, 208, 416):
            print(f"(d) max_rounds {rounds:4d}: {per_run_cost(100, max_rounds=rounds):6.1f} ms/run")
        for k in (1, 2, 4, 6, 8, 10):
            cost = per_run_cost(100, third_parties=",".join(THIRD_PARTIES[:k]))
            print(f"(d) third parties {k:2d}: {cost:6.1f} ms/run")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
