"""Per-run cost of the model: time per run, its drift over many runs, and memory.

Usage::

    .venv/bin/python benchmarks/bench_model.py [--scenario italian_plan_2022] [--runs 1000] [--timing-runs 200]

Prints

(a) the mean and median time of one run (model built, run over the
    scenario's default horizon, per-round table read), on one core
    (target: at most 20 ms), as wall time and as CPU time (on a busy
    machine the wall time also counts waiting for the core);
(b) over ``--runs`` runs in one process: the mean time per run of the runs
    after the first 100 against the first 100 (target: at most 1.2x), and
    the resident memory after 100 runs and at the end. A ratio or a memory
    that grows with the number of runs means models are not freed (Mesa
    3.3.1 keeps every model that created agents unless the model guards
    against it).
"""

from __future__ import annotations

import argparse
import gc
import os
import resource
import statistics
import sys
import time

from model import WarTerminationModel


def rss_mb() -> float:
    """Current resident memory of this process in MB (peak memory where /proc is absent)."""
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024.0 * 1024.0) if sys.platform == "darwin" else peak / 1024.0


def one_run(scenario: str, seed: int) -> tuple[float, float]:
    """Time one run (build, run to the end, read the per-round table): wall and CPU time in ms."""
    start, start_cpu = time.perf_counter(), time.process_time()
    model = WarTerminationModel(scenario, rng=seed)
    model.run()
    model.datacollector.get_model_vars_dataframe()
    return (time.perf_counter() - start) * 1000.0, (time.process_time() - start_cpu) * 1000.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", default="italian_plan_2022")
    parser.add_argument("--runs", type=int, default=1000, help="runs in one process for the drift and memory check")
    parser.add_argument("--timing-runs", type=int, default=200, help="runs for the per-run timing")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core

    # (a) time per run, after a short warm-up (imports, caches)
    for seed in range(5):
        one_run(args.scenario, 10_000 + seed)
    pairs = [one_run(args.scenario, seed) for seed in range(args.timing_runs)]
    times, cpu = [w for w, _ in pairs], [c for _, c in pairs]
    rounds = WarTerminationModel(args.scenario, rng=0).max_rounds
    print(f"(a) {args.scenario}, {args.timing_runs} runs of up to {rounds} rounds on one core:")
    print(f"    mean {statistics.fmean(times):.1f} ms, median {statistics.median(times):.1f} ms per run (target <= 20 ms)")
    # CPU time is what the run costs; wall time also counts waiting for a busy core
    print(f"    CPU time: mean {statistics.fmean(cpu):.1f} ms, median {statistics.median(cpu):.1f} ms per run")

    # (b) drift and memory over many runs in one fresh sequence
    gc.collect()
    rss_start = rss_mb()
    drift: list[tuple[float, float]] = []
    rss_100 = rss_start
    for seed in range(args.runs):
        drift.append(one_run(args.scenario, 100_000 + seed))
        if seed + 1 == min(100, args.runs):
            rss_100 = rss_mb()
    gc.collect()
    rss_end = rss_mb()
    print(f"(b) {args.runs} runs in one process:")
    if len(drift) > 100:
        for label, column in (("wall", 0), ("CPU", 1)):
            first = statistics.fmean(d[column] for d in drift[:100])
            rest = statistics.fmean(d[column] for d in drift[100:])
            print(
                f"    {label} time: first 100 {first:.1f} ms per run; last {len(drift) - 100} {rest:.1f} ms per run; "
                f"ratio {rest / first:.2f} (target <= 1.2)"
            )
    print(f"    resident memory: {rss_start:.0f} MB before, {rss_100:.0f} MB after 100 runs, {rss_end:.0f} MB after {args.runs}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"    peak resident memory: {peak / 1024.0:.0f} MB")
    if hasattr(os, "getloadavg"):
        # timings on a shared machine are only comparable at a similar load
        print(f"load average during the benchmark (1, 5, 15 min): {', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
