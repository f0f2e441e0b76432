"""Running an experiment: seeds, chunks, backends, streaming to disk, resuming.

Seeds. One :class:`numpy.random.SeedSequence` is built from the master seed
in the parent and spawns one child per run; run ``r`` of design point ``p``
has run id ``p * replicates + r`` and the ``run_id``-th child's seed. A run's
result therefore depends only on its scenario, overrides and seed, never on
the number of workers, the backend or the order in which runs finish; tables
are always read back sorted by run id.

Chunks. Workers run chunks of runs to amortise the cost of sending work to
them, and return only plain rows (``Outcome.to_dict()`` plus identity and
replay columns), never a model. Each model is dropped right after its run.
On Linux, process workers are forked from the sweep's process after it has
imported the model, and share those imports with it (see
:func:`_process_context`); elsewhere they are spawned, and replaced after a
fixed number of chunks (``max_tasks_per_child``) as a backstop against
Mesa 3.3.1's model leak. Process workers watch their parent and exit when it
is gone, so a sweep killed with SIGKILL leaves no orphaned workers behind.

Streaming and resuming. The parent writes each finished chunk as a Parquet
part file (temporary name, then rename), so at most the chunks in flight are
held in memory, and a sweep killed at any point keeps every finished chunk.
Restarted with the same command, it reads the run ids already saved and runs
only the missing ones. ``resume=False`` (``--fresh``) starts over. It refuses
to resume when the saved runs come from another design (the manifest's
``fingerprint``) or from other model code (``model_source_hash``, a hash of
the model package's source): one results folder never mixes code versions.
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import datetime as dt
import functools
import gc
import hashlib
import json
import math
import multiprocessing
import os
import platform
import shlex
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

from experiments import store
from experiments.design import Design, build_design
from experiments.spec import Experiment, ExperimentError, load_experiment, size_mismatch
from model.source import source_hash as model_source_hash  # the code on disk now, as manifests record it

BACKENDS: tuple[str, ...] = ("serial", "processes", "dask")
"""Where runs execute: in this process, in a pool of local processes, or on a Dask cluster."""

MAX_CHUNK = 64
"""Largest number of runs sent to a worker at once (about two seconds of work)."""

TASKS_PER_CHILD = 200
"""Chunks a spawned worker process runs before it is replaced (a guard against model leaks)."""

PARENT_CHECK_S = 0.5
"""How often a worker process checks that the sweep's process is still there."""

DASK_TIMEOUT = 20.0
"""Seconds to try to reach a Dask scheduler, and to wait for its first worker."""

_PACKAGES = ("war-termination", "mesa", "numpy", "pandas", "pyarrow", "SALib", "dask", "distributed", "tqdm", "matplotlib")


class SweepError(RuntimeError):
    """A sweep stopped by a failing run (``fail_fast``)."""


@dataclass(frozen=True)
class ScenarioValues:
    """A scenario file's validated values, sent to the workers instead of its path.

    A worker on another machine (Dask) cannot read a scenario file on this
    one, so the parent loads it (resolving ``extends``) and sends every value;
    the worker validates them again (:meth:`model.Scenario.with_overrides`).

    Attributes:
        name: The scenario's name.
        values: Every parameter's value, sorted by name.
    """

    name: str
    values: tuple[tuple[str, Any], ...]


@dataclass(frozen=True)
class Chunk:
    """A batch of runs for one worker.

    Attributes:
        scenario: The scenario every run starts from (bundled name or path), as the rows record it.
        fixed: Overrides shared by every run.
        factor_names: Names of the varied parameters, in the order of ``tasks`` values.
        tasks: (run id, point id, replicate, seed, varied values) of each run.
        fail_fast: Stop the chunk at the first run that raises.
        scenario_values: For a scenario file (not a bundled name), its values:
            the worker rebuilds the scenario from them and never reads the file.
    """

    scenario: str
    fixed: tuple[tuple[str, Any], ...]
    factor_names: tuple[str, ...]
    tasks: tuple[tuple[int, int, int, int, tuple[Any, ...]], ...]
    fail_fast: bool = False
    scenario_values: ScenarioValues | None = None


# ----------------------------------------------------------------------
# The worker side
# ----------------------------------------------------------------------
@functools.lru_cache(maxsize=8)
def _base_scenario(scenario: str, fixed: tuple[tuple[str, Any], ...], sent: ScenarioValues | None = None) -> Any:
    """The scenario with the fixed overrides, built once per worker process."""
    from model import Scenario, load_scenario

    if sent is None:
        base = load_scenario(scenario)
    else:
        values = dict(sent.values)
        # validated again here, value by value and as a whole, as a file would be
        base = Scenario(sent.name, "", MappingProxyType(values)).with_overrides(values, origin=f"scenario {scenario}")
    return base.with_overrides(dict(fixed), origin="experiment [fixed]")


def _first_breakdown(model: Any) -> int | None:
    """Round of the first ceasefire breakdown, read from the per-round record."""
    record = model.datacollector.model_vars
    for round_, count in zip(record["round"], record["breakdowns"], strict=False):
        if count:
            return int(round_)
    return None


def run_chunk(chunk: Chunk) -> list[dict[str, Any]]:
    """Run a chunk of runs and return one plain row per run.

    A run that raises is recorded with its error text (outcome columns empty)
    and the chunk goes on, unless ``chunk.fail_fast``.

    Args:
        chunk: The runs.

    Returns:
        One row per run, with the columns of :func:`experiments.store.run_schema`.
    """
    from model import WarTerminationModel

    fixed = dict(chunk.fixed)
    rows: list[dict[str, Any]] = []
    try:
        base = _base_scenario(chunk.scenario, chunk.fixed, chunk.scenario_values)
        horizon = int(base.values["max_rounds"])
        setup_error = None
    except Exception as exc:  # noqa: BLE001 - recorded per run, like a failing run
        base, horizon, setup_error = None, None, f"{type(exc).__name__}: {exc}"
    for run_id, point_id, replicate, seed, values in chunk.tasks:
        varied = dict(zip(chunk.factor_names, values, strict=True))
        row: dict[str, Any] = {
            "run_id": run_id,
            "point_id": point_id,
            "replicate": replicate,
            "seed": seed,
            "scenario": chunk.scenario,
            "overrides": json.dumps({**fixed, **varied}, sort_keys=True),
            "max_rounds": int(varied.get("max_rounds", horizon)) if horizon is not None else None,
            **varied,
        }
        try:
            if setup_error is not None:
                raise RuntimeError(setup_error)
            model = WarTerminationModel(base, rng=seed, **varied)
            outcome = model.run()
            row.update(outcome.to_dict())
            row["first_breakdown_round"] = _first_breakdown(model) if outcome.breakdowns else None
            del model, outcome  # keep the worker's memory flat: nothing of the run outlives its row
        except Exception as exc:  # noqa: BLE001 - a failing run is data, not the end of the sweep
            row["error"] = f"{type(exc).__name__}: {exc}"
            rows.append(row)
            if chunk.fail_fast:
                break
            continue
        rows.append(row)
    return rows


# ----------------------------------------------------------------------
# The parent side
# ----------------------------------------------------------------------
def run_seeds(master_seed: int, n_runs: int) -> np.ndarray:
    """One seed per run, spawned from the master seed.

    Args:
        master_seed: The experiment's master seed.
        n_runs: Number of runs.

    Returns:
        ``n_runs`` non-negative 63-bit integers (they fit Parquet's int64 and any CLI).
    """
    children = np.random.SeedSequence(master_seed).spawn(n_runs)
    return np.array([int(c.generate_state(1, dtype=np.uint64)[0] >> np.uint64(1)) for c in children], dtype=np.int64)


def _plan(experiment: Experiment, design: Design) -> tuple[np.ndarray, list[tuple[Any, ...]]]:
    """Seeds of every run and the varied values of every design point."""
    n_runs = len(design) * experiment.replicates
    seeds = run_seeds(experiment.master_seed, n_runs)
    values = [tuple(_plain(v) for v in row) for row in design.points.itertuples(index=False, name=None)]
    return seeds, values


def _plain(value: Any) -> Any:
    """A numpy scalar as the Python value the model and Parquet expect."""
    return value.item() if isinstance(value, np.generic) else value


def _scenario_payload(scenario: str) -> ScenarioValues | None:
    """``None`` for a bundled scenario (every worker has it); a scenario file's validated values otherwise."""
    from model import list_scenarios, load_scenario

    if scenario in list_scenarios():
        return None
    loaded = load_scenario(scenario)
    return ScenarioValues(loaded.name, tuple(sorted((k, _plain(v)) for k, v in loaded.values.items())))


def _chunks(
    experiment: Experiment,
    scenario_values: ScenarioValues | None,
    pending: Sequence[int],
    seeds: np.ndarray,
    values: Sequence[tuple[Any, ...]],
    size: int,
    fail_fast: bool,
) -> Iterator[Chunk]:
    fixed = tuple(sorted(experiment.fixed.items()))
    reps = experiment.replicates
    for start in range(0, len(pending), size):
        ids = pending[start : start + size]
        tasks = tuple((rid, rid // reps, rid % reps, int(seeds[rid]), values[rid // reps]) for rid in ids)
        yield Chunk(experiment.scenario, fixed, experiment.factor_names, tasks, fail_fast, scenario_values)


def fingerprint(experiment: Experiment, design: Design) -> str:
    """A hash of everything that fixes the runs: scenario, overrides, design points, replicates, seed.

    The scenario counts by its values, not only its name or path, so a
    scenario file edited between two sessions is not resumed into.
    """
    from model import load_scenario

    payload = json.dumps(
        {
            "scenario": experiment.scenario,
            "scenario_values": sorted(load_scenario(experiment.scenario).values.items()),
            "fixed": sorted(experiment.fixed.items()),
            "points": design.points.to_csv(),
            "replicates": experiment.replicates,
            "master_seed": experiment.master_seed,
        },
        sort_keys=True,
        default=str,
    )
    return hashlib.sha256(payload.encode()).hexdigest()[:16]


def default_out_dir(experiment: Experiment) -> Path:
    """``results/<experiment name>`` under the working directory."""
    return Path("results") / experiment.name


def run_experiment(
    experiment: str | Path | Experiment,
    out_dir: str | Path | None = None,
    workers: int | None = None,
    backend: str = "processes",
    scheduler: str | None = None,
    resume: bool = True,
    quick: bool = False,
    fail_fast: bool = False,
    progress: bool = True,
    *,
    scenario: str | None = None,
    chunk_size: int | None = None,
    report: bool = True,
) -> pd.DataFrame:
    """Run an experiment, stream its runs to a folder and return its summary table.

    Args:
        experiment: A bundled experiment name, a path to a ``.toml`` file or a loaded :class:`Experiment`.
        out_dir: The results folder (default ``results/<experiment name>``).
        workers: Worker processes (default: all cores; ``serial`` uses one).
        backend: ``serial``, ``processes`` (default) or ``dask``.
        scheduler: A Dask scheduler address (``tcp://host:port``); without one,
            the ``dask`` backend starts a local cluster of ``workers`` processes.
        resume: Keep the runs already saved in ``out_dir`` and run only the
            missing ones; ``False`` deletes them and starts over.
        quick: Run the experiment's ``[quick]`` size.
        fail_fast: Stop at the first run that raises (:class:`SweepError`);
            otherwise failing runs are recorded with their error and the sweep goes on.
        progress: Show a progress bar (count and ETA) on stderr.
        scenario: Run on this scenario instead of the experiment's.
        chunk_size: Runs per chunk sent to a worker (default: balanced, at most :data:`MAX_CHUNK`).
        report: Also draw the figures (the summary table is always written).

    Returns:
        The summary table, one row per design point (see :func:`experiments.analysis.summarise`).

    Raises:
        ExperimentError: For a bad experiment, backend, worker count or a
            results folder that holds another experiment's runs, or runs made
            by different model code (a resumed sweep never mixes code versions).
        SweepError: If ``fail_fast`` and a run raised.
    """
    exp = load_experiment(experiment, quick=quick, scenario=scenario)
    mismatch = size_mismatch(exp)
    if mismatch is not None:
        # the manifest keeps the text, and report() rebuilds the experiment from it: it must be what runs
        raise ExperimentError(
            f"{exp.name}: {mismatch}; resize with Experiment.resized(replicates=..., samples=...) or "
            "load_experiment(..., replicates=..., samples=...), not dataclasses.replace"
        )
    if backend not in BACKENDS:
        raise ExperimentError(f"backend: expected one of {', '.join(BACKENDS)}, got {backend!r}")
    n_workers = 1 if backend == "serial" else (workers or os.cpu_count() or 1)
    if isinstance(n_workers, bool) or not isinstance(n_workers, int) or n_workers < 1:
        raise ExperimentError(f"workers: expected a positive integer, got {workers!r}")
    if scheduler is not None and backend != "dask":
        raise ExperimentError(f"scheduler: only the dask backend uses a scheduler address, got backend {backend!r}")
    if chunk_size is not None and (isinstance(chunk_size, bool) or not isinstance(chunk_size, int) or chunk_size < 1):
        raise ExperimentError(f"chunk_size: expected a positive integer, got {chunk_size!r}")

    out = Path(out_dir) if out_dir is not None else default_out_dir(exp)
    design = build_design(exp)
    print_ = fingerprint(exp, design)
    source_hash = model_source_hash()
    previous = store.read_manifest(out)
    if resume and store.part_files(out):
        _check_resumable(out, previous, print_, source_hash)
    seeds, values = _plan(exp, design)
    n_runs = len(seeds)
    schema = store.run_schema([(f.name, f.kind) for f in exp.factors])
    payload = _scenario_payload(exp.scenario)

    # start or reach the workers before touching the folder: a scheduler that cannot be reached
    # (or whose workers run other model code) leaves the folder as it was
    with _open_backend(backend, n_workers, scheduler, source_hash) as (execute, pool):
        store.clean_temporaries(out)
        if not resume:
            _clear(out)
            previous = {}
        done = store.done_run_ids(out) if resume else set()
        pending = [rid for rid in range(n_runs) if rid not in done]
        slots = pool.threads
        size = chunk_size or max(1, min(MAX_CHUNK, math.ceil(len(pending) / (slots * 8)) if pending else 1))

        started = time.perf_counter()
        manifest = _manifest(exp, design, print_, source_hash, backend, scheduler, pool, n_runs, previous)
        store.write_csv(out / store.DESIGN, design.points, index=True)
        store.write_json(out / store.MANIFEST, {**manifest, "status": "running", "runs_done": len(done)})

        bar = _progress_bar(n_runs, len(done), exp.name, progress)
        errors = written = 0
        try:
            chunks = _chunks(exp, payload, pending, seeds, values, size, fail_fast)
            for rows in execute(chunks):
                store.write_part(out, rows, schema)
                written += len(rows)  # saved: a part file is complete once it has its name
                bar.update(len(rows))
                failed = [r for r in rows if r.get("error")]
                errors += len(failed)
                if fail_fast and failed:
                    r = failed[0]
                    raise SweepError(
                        f"run {r['run_id']} (point {r['point_id']}, replicate {r['replicate']}, seed {r['seed']}, "
                        f"overrides {r['overrides']}) raised: {r['error']}"
                    )
        finally:
            bar.close()
            wall = time.perf_counter() - started
            saved = len(done) + written
            status = "complete" if saved >= n_runs else "interrupted"
            store.write_json(
                out / store.MANIFEST,
                {
                    **manifest,
                    "status": status,
                    "runs_done": saved,
                    "wall_time_s": round(wall, 3),
                    "wall_time_total_s": round(wall + float(previous.get("wall_time_total_s", 0.0)), 3),
                    "runs_this_session": saved - len(done),
                    "errors_this_session": errors,
                    "finished": _now(),
                },
            )

    from experiments.analysis import write_analysis

    return write_analysis(out, exp, figures=report)


def _check_resumable(out: Path, previous: Mapping[str, Any], print_: str, source_hash: str) -> None:
    """Refuse to add runs to a folder whose saved runs come from another design or other model code."""
    if previous.get("fingerprint") not in (None, print_):
        raise ExperimentError(
            f"{out}: holds runs of a different experiment or size ({previous.get('experiment')!r}, "
            f"{'quick' if previous.get('quick') else 'full'} size); use --fresh to start over or another --out"
        )
    saved = previous.get("model_source_hash")
    if saved != source_hash:
        made_by = f"model source {str(saved)[:12]}" if saved else "model code its manifest does not record"
        raise ExperimentError(
            f"{out}: holds runs made by different model code ({made_by}; this model's source is {source_hash[:12]}), "
            "and one sweep must not mix code versions; use --fresh to start over or another --out"
        )


def _clear(out: Path) -> None:
    """Delete what a previous sweep wrote in ``out`` (only the runner's own files)."""
    runs = out / store.RUNS_DIR
    if runs.is_dir():
        shutil.rmtree(runs)
    for name in (store.MANIFEST, store.DESIGN, "summary.csv", "sensitivity.csv"):
        (out / name).unlink(missing_ok=True)
    if out.is_dir():
        for png in out.glob("*.png"):
            png.unlink()


def _progress_bar(total: int, initial: int, name: str, enabled: bool) -> Any:
    from tqdm.auto import tqdm

    return tqdm(total=total, initial=initial, desc=name, unit="run", disable=not enabled, dynamic_ncols=True)


@dataclass(frozen=True)
class _Pool:
    """The workers a sweep runs on, as recorded in the manifest.

    Attributes:
        workers: Worker processes (Dask: the workers the scheduler had when the sweep started).
        threads: Runs that can execute at once (Dask workers may have several threads each).
    """

    workers: int
    threads: int


_Execute = Callable[[Iterator[Chunk]], Iterator[list[dict[str, Any]]]]


@contextlib.contextmanager
def _open_backend(backend: str, workers: int, scheduler: str | None, source_hash: str) -> Iterator[tuple[_Execute, _Pool]]:
    """Start (or reach) the backend's workers; yield how to run chunks on them and how many there are.

    Raises:
        ExperimentError: If the Dask scheduler cannot be reached, has no
            workers, or its workers run other model code.
    """
    if backend == "serial":
        yield (lambda chunks: (run_chunk(chunk) for chunk in chunks)), _Pool(1, 1)
    elif backend == "processes":
        with _process_pool(workers, source_hash) as executor:
            yield (lambda chunks: _execute_processes(executor, chunks, workers)), _Pool(workers, workers)
    else:
        with _dask_client(workers, scheduler, source_hash) as (client, pool):
            yield (lambda chunks: _execute_dask(client, chunks, pool.threads)), pool


def start_worker(parent_pid: int) -> None:
    """Worker initializer: keep the imports shared with the sweep's process, and end as soon as it is gone.

    Memory. A forked worker (see :func:`_process_context`) shares the
    sweep's pages until it writes to them, and Python's cyclic garbage
    collector would write to every imported object's header at its first
    full collection. Freezing what is already there (:func:`gc.freeze` moves
    the objects to a generation the collector never visits, without touching
    them) keeps Mesa's, pandas' and SciPy's imports shared; only what the
    runs allocate is a worker's own.

    Orphans. A sweep killed with SIGKILL cannot stop its workers, and a pool
    worker waiting for work would wait forever (it holds its own end of the
    task queue). A daemon thread checks every :data:`PARENT_CHECK_S` seconds
    that the sweep's process is still there (it is still this worker's
    parent, and :func:`multiprocessing.parent_process` is alive) and
    otherwise leaves at once with :func:`os._exit`; a run cut short is simply
    not saved, and the sweep, started again, runs it. (The parent's pid
    alone decides for a forked worker: a worker forked after it inherits the
    pipe its liveness check watches.)

    Args:
        parent_pid: The process id of the sweep's process.
    """
    gc.freeze()
    parent = multiprocessing.parent_process()
    if parent is None or parent.pid != parent_pid:
        raise RuntimeError(f"a sweep worker must be started by the sweep's process {parent_pid}, not {parent}")

    def watch() -> None:
        while os.getppid() == parent_pid and parent.is_alive():
            time.sleep(PARENT_CHECK_S)
        os._exit(1)

    threading.Thread(target=watch, name="watch-sweep-parent", daemon=True).start()


def _process_context(source_hash: str) -> multiprocessing.context.BaseContext:
    """How to start worker processes: fork them from this process where that is safe, else spawn them.

    A spawned worker imports the model afresh: Mesa, pandas, pyarrow and
    SciPy, about 90 MB of objects of its own before its first run. A forked
    worker shares this process's pages until it writes to them
    (:func:`start_worker` keeps the imported ones shared) and starts at
    once: a sweep on two workers takes about 190 MB of memory in all instead
    of 380 MB (``docs/performance.md``). Forking is used only

    - on Linux: macOS's system libraries are not safe to use in a forked
      child, and Windows cannot fork;
    - from a process that runs no other Python thread: a lock another thread
      held at the fork stays locked forever in the child. The command line
      forks its workers before it starts the progress bar; a notebook's
      kernel (which runs threads of its own) spawns them. The threads
      numpy's OpenBLAS starts at import are fork-safe (OpenBLAS stops them
      before a fork and starts them again when needed), though Python
      3.12+ warns of them with ``-W default``;
    - while the model code this process has loaded is the code on disk
      (``model.SOURCE_HASH_AT_IMPORT`` equals ``source_hash``). A session
      that imported the model before its files were edited would otherwise
      run the old code in every worker under the new code's hash; spawned
      workers import the code the manifest names.

    Args:
        source_hash: The hash of the model's code on disk, as the manifest records it.
    """
    import model

    if sys.platform != "linux" or threading.active_count() > 1 or model.SOURCE_HASH_AT_IMPORT != source_hash:
        return multiprocessing.get_context("spawn")
    import model.model  # noqa: F401 - Mesa and the model, imported here once for every forked worker to share

    return multiprocessing.get_context("fork")


@contextlib.contextmanager
def _process_pool(workers: int, source_hash: str) -> Iterator[cf.ProcessPoolExecutor]:
    """A pool of ``workers`` processes, started before the sweep does anything else."""
    context = _process_context(source_hash)
    forked = context.get_start_method() == "fork"
    pool = cf.ProcessPoolExecutor(
        max_workers=workers,
        mp_context=context,
        # a forked pool starts all its workers at once and cannot replace them (they would be forked
        # from a process running the pool's threads); the model frees itself after each run
        max_tasks_per_child=None if forked else TASKS_PER_CHILD,
        initializer=start_worker,  # shared imports; no orphans: a worker outlives a killed sweep by at most PARENT_CHECK_S
        initargs=(os.getpid(),),
    )
    try:
        # start the workers now: forked, they are forked before the sweep starts a thread of its own
        # (the progress bar's, Parquet's), and a worker that cannot start fails the sweep here
        pool.submit(int).result()
        yield pool
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _execute_processes(pool: cf.ProcessPoolExecutor, chunks: Iterator[Chunk], workers: int) -> Iterator[list[dict[str, Any]]]:
    in_flight: set[cf.Future[list[dict[str, Any]]]] = set()
    window = 2 * workers  # bounded: at most this many chunks' rows exist at once
    try:
        for chunk in chunks:
            in_flight.add(pool.submit(run_chunk, chunk))
            if len(in_flight) >= window:
                finished, in_flight = cf.wait(in_flight, return_when=cf.FIRST_COMPLETED)
                for future in finished:
                    yield future.result()
        while in_flight:
            finished, in_flight = cf.wait(in_flight, return_when=cf.FIRST_COMPLETED)
            for future in finished:
                yield future.result()
    finally:
        for future in in_flight:
            future.cancel()


@contextlib.contextmanager
def _dask_client(workers: int, scheduler: str | None, source_hash: str) -> Iterator[tuple[Any, _Pool]]:
    """A Dask client (on a new local cluster of ``workers`` processes without a scheduler address)."""
    from distributed import Client, LocalCluster

    cluster = None
    where = f"the Dask scheduler at {scheduler!r}"
    if scheduler is None:
        cluster = LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
        )
        client = Client(cluster)
    else:
        try:
            client = Client(scheduler, timeout=DASK_TIMEOUT)
        except (OSError, ValueError, TypeError) as exc:
            raise ExperimentError(f"scheduler: cannot reach {where}: {' '.join(str(exc).split())}") from None
    try:
        try:
            client.wait_for_workers(1, timeout=DASK_TIMEOUT)
        except (TimeoutError, OSError):
            raise ExperimentError(f"scheduler: {where} has no workers (waited {DASK_TIMEOUT:g} s)") from None
        info = client.scheduler_info().get("workers", {})
        pool = _Pool(len(info), max(1, sum(int(w.get("nthreads", 1)) for w in info.values())))
        # every worker must run this model's code, or the sweep would mix code versions
        others = {address: h for address, h in client.run(model_source_hash).items() if h != source_hash}
        if others:
            address, other = sorted(others.items())[0]
            raise ExperimentError(
                f"scheduler: {len(others)} of the {pool.workers} Dask workers run different model code "
                f"({address}: model source {str(other)[:12]}, here {source_hash[:12]}); install this model on every worker"
            )
        yield client, pool
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _execute_dask(client: Any, chunks: Iterator[Chunk], slots: int) -> Iterator[list[dict[str, Any]]]:
    from distributed import as_completed

    window = 2 * slots
    pending = as_completed()
    n_in_flight = 0
    for chunk in chunks:
        # pure=False: every chunk is its own task, even if two were equal
        pending.add(client.submit(run_chunk, chunk, pure=False))
        n_in_flight += 1
        if n_in_flight >= window:
            future = next(pending)
            n_in_flight -= 1
            yield future.result()
            future.release()
    for future in pending:
        yield future.result()
        future.release()


def _git(*args: str) -> str | None:
    """Output of a git command run in this project's checkout; ``None`` without git or outside one.

    The package must sit at the top of the work tree: an install inside some
    other repository (a virtual environment in a clone, say) has no commit of its own.
    """
    root = Path(__file__).resolve().parent.parent
    try:
        top = subprocess.run(
            ["git", "rev-parse", "--show-toplevel"], cwd=root, capture_output=True, text=True, timeout=10, check=True
        )
        if Path(top.stdout.strip()).resolve() != root:
            return None
        done = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, timeout=30, check=True)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout


def _git_commit() -> str | None:
    out = _git("rev-parse", "HEAD")
    return (out.strip() or None) if out is not None else None


def _git_dirty() -> bool | None:
    """True if tracked files (outside ``results/``, which sweeps write) differ from the commit; ``None`` without git."""
    out = _git("status", "--porcelain", "--untracked-files=no", "--", ".", ":(exclude)results")
    return None if out is None else bool(out.strip())


def _package_versions() -> dict[str, str | None]:
    versions: dict[str, str | None] = {}
    for name in _PACKAGES:
        try:
            versions[name] = version(name)
        except PackageNotFoundError:
            versions[name] = None
    return versions


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _manifest(
    exp: Experiment,
    design: Design,
    print_: str,
    source_hash: str,
    backend: str,
    scheduler: str | None,
    pool: _Pool,
    n_runs: int,
    previous: Mapping[str, Any],
) -> dict[str, Any]:
    import model

    return {
        "experiment": exp.name,
        "experiment_file": exp.path,
        "experiment_text": exp.text,
        "quick": exp.quick,
        "scenario": exp.scenario,
        "method": exp.method,
        "factors": list(exp.factor_names),
        "fixed": dict(exp.fixed),
        "design_points": len(design),
        "replicates": exp.replicates,
        "runs": n_runs,
        "master_seed": exp.master_seed,
        "fingerprint": print_,
        "model_version": getattr(model, "__version__", None),
        "model_source_hash": source_hash,
        "git_commit": _git_commit(),
        "git_dirty": _git_dirty(),
        "packages": _package_versions(),
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "backend": backend,
        "scheduler": scheduler,
        "workers": pool.workers,
        "worker_threads": pool.threads,
        "first_started": previous.get("first_started", _now()) if previous.get("fingerprint") == print_ else _now(),
        "started": _now(),
    }


def replay_command(row: Mapping[str, Any], page: bool = False) -> str:
    """The command line that replays one saved run, in the terminal or in the browser page.

    Args:
        row: A run row (from :func:`experiments.store.read_runs`).
        page: Open the run in the browser page (``war-termination viz``) to step through it.

    Returns:
        ``war-termination run SCENARIO --seed SEED --set NAME=VALUE ...``, or
        ``war-termination viz --scenario SCENARIO --seed SEED --set NAME=VALUE ...``.
    """
    overrides = json.loads(str(row["overrides"]))
    start = ["viz", "--scenario"] if page else ["run"]
    parts = ["war-termination", *start, str(row["scenario"]), "--seed", str(int(row["seed"]))]
    for name, value in overrides.items():
        parts += ["--set", f"{name}={_cli_value(value)}"]
    return shlex.join(parts)


def _cli_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)

