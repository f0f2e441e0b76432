"""Running an experiment: seeds, chunks, streaming to disk, resuming.

Seeds. One :class:`numpy.random.SeedSequence` is built from the master seed
in the parent and spawns one child per run; run ``r`` of design point ``p``
has run id ``p * replicates + r`` and the ``run_id``-th child's seed. A run's
result therefore depends only on its scenario, overrides and seed, never on
the number of workers, the backend or the order in which runs finish; tables
are always read back sorted by run id.

Chunks. Workers run chunks of runs (:func:`experiments.worker.run_chunk`)
to amortise the cost of sending work to them, on one of the backends of
:mod:`experiments.backends`, and return only plain rows.

Streaming and resuming. The parent writes each finished chunk as a Parquet
part file (temporary name, then rename), so at most the chunks in flight are
held in memory, and a sweep killed at any point keeps every finished chunk.
Restarted with the same command, it reads the run ids already saved and runs
only the missing ones. ``resume=False`` (``--fresh``) starts over. It refuses
to resume when the saved runs come from another design (the manifest's
``fingerprint``) or from other model code (``model_source_hash``, a hash of
the model package's source): one results folder never mixes code versions.

One sweep a folder. A sweep holds the folder's lock (:func:`experiments.store.locked`)
from before it reads the folder to its last figure, writes only into a folder
that is new, empty or its own, and checks every saved part against the design
before it resumes (:func:`experiments.store.check_parts`). Its size and its
workers are bounded (:data:`experiments.spec.MAX_RUNS`, :data:`MAX_WORKERS`)
unless ``allow_large``.
"""

from __future__ import annotations

import json
import math
import os
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from experiments import provenance, store
from experiments.analysis import write_analysis
from experiments.backends import BACKENDS, Backend, WorkerError, open_backend
from experiments.calibration.draws import Posterior, load_posterior, posterior_path
from experiments.design import Design, build_design
from experiments.spec import Experiment, ExperimentError, load_experiment, positive_int, size_mismatch
from experiments.store import fingerprint  # re-exported: experiments.runner.fingerprint is where it used to be
from experiments.worker import Chunk, RunBatch, ScenarioValues, say_engine
from model import list_scenarios, load_scenario
from model.commandline import replay_command as command_line
from model.source import source_hash as model_source_hash  # the code on disk now, as manifests record it

MAX_CHUNK = 4096
"""Largest number of runs sent to a worker at once (about a second of work on the compiled path)."""

MAX_WORKERS = 64
"""Most worker processes a sweep starts unless told to (``allow_large``, ``--allow-large``).

All of a forked pool's workers start at once; 64 is more than the cores of
most workstations (the default is all cores, up to this), and a typing slip
such as ``--workers 10000`` is refused before any process is started.
"""


class SweepError(RuntimeError):
    """A sweep stopped by a failing run (``fail_fast``), or by a worker that died or could not be started."""


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
    if scenario in list_scenarios():
        return None
    loaded = load_scenario(scenario)
    return ScenarioValues(loaded.name, tuple(sorted((k, _plain(v)) for k, v in loaded.values.items())))


def _chunks(
    experiment: Experiment,
    scenario_values: ScenarioValues | None,
    posterior: Posterior | None,
    pending: Sequence[int],
    seeds: np.ndarray,
    values: Sequence[tuple[Any, ...]],
    size: int,
    fail_fast: bool,
) -> Iterator[Chunk]:
    """The pending runs in chunks of ``size``, in run-id order."""
    fixed = tuple(sorted(experiment.fixed.items()))
    reps = experiment.replicates
    for start in range(0, len(pending), size):
        ids = pending[start : start + size]
        tasks = tuple((rid, rid // reps, rid % reps, int(seeds[rid]), values[rid // reps]) for rid in ids)
        yield Chunk(experiment.scenario, fixed, experiment.factor_names, tasks, fail_fast, scenario_values, posterior)


def _chunk_size(n_pending: int, slots: int) -> int:
    """About eight chunks per run slot, at most :data:`MAX_CHUNK` runs each."""
    return max(1, min(MAX_CHUNK, math.ceil(n_pending / (slots * 8)) if n_pending else 1))


def default_out_dir(experiment: Experiment) -> Path:
    """``results/<experiment name>`` under the working directory.

    Args:
        experiment: The experiment.

    Returns:
        The folder's path (relative).
    """
    return Path("results") / experiment.name


@dataclass(frozen=True)
class _Sweep:
    """Everything fixed before a sweep starts its workers.

    Attributes:
        experiment: The experiment, validated.
        design: Its design points.
        fingerprint: The design's fingerprint (:func:`fingerprint`).
        source_hash: The hash of the model's code on disk.
        seeds: One seed per run id.
        values: The varied values of each design point.
        schema: The Parquet schema of the run rows.
        scenario_values: A scenario file's values, sent with every chunk (``None``: a bundled scenario).
        posterior: The posterior runs draw from (``None``: the experiment does not draw).
    """

    experiment: Experiment
    design: Design
    fingerprint: str
    source_hash: str
    seeds: np.ndarray
    values: list[tuple[Any, ...]]
    schema: pa.Schema
    scenario_values: ScenarioValues | None
    posterior: Posterior | None = None

    @property
    def n_runs(self) -> int:
        """Runs in the whole experiment."""
        return len(self.seeds)


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
    allow_large: bool = False,
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
        allow_large: Accept more than :data:`experiments.spec.MAX_RUNS` runs and
            more than :data:`MAX_WORKERS` workers.

    Returns:
        The summary table, one row per design point (see :func:`experiments.analysis.summarise`).

    Raises:
        ExperimentError: For a bad experiment, backend, worker count or
            results folder (:class:`experiments.store.FolderError`: an empty
            path, a file, a folder another sweep is working on, a non-empty
            folder the runner did not write, a bad manifest or part, runs of
            another experiment, or runs made by different model code: a
            resumed sweep never mixes code versions), before anything runs.
        SweepError: If ``fail_fast`` and a run raised, or a worker process
            died or could not be started (the folder can be resumed).
        OSError: If a file of the folder cannot be written (its path named);
            the manifest then says ``failed`` and why.
    """
    exp = _runnable(load_experiment(experiment, quick=quick, scenario=scenario, allow_large=allow_large))
    n_workers = _check_options(backend, workers, scheduler, chunk_size, allow_large)
    out = store.check_out_dir(out_dir if out_dir is not None else default_out_dir(exp))
    sweep = _prepare(exp)
    say_engine(progress)
    options = _Options(backend, scheduler, resume, chunk_size, fail_fast, progress)
    with store.locked(out, "sweep"):  # one process at a time in a folder, from before it is read to the last figure
        store.refuse_foreign(out)
        previous = store.read_manifest(out)
        done = _saved_runs(out, previous, sweep) if resume else set()
        # start or reach the workers before touching the folder: a scheduler that cannot be reached
        # (or whose workers run other model code) leaves the folder as it was
        try:
            with open_backend(backend, n_workers, scheduler, sweep.source_hash) as executor:
                _run(sweep, out, executor, previous, done, options)
        except WorkerError as exc:
            raise SweepError(f"{exc}; the saved runs are kept in {out}: run the same command again to finish") from None
        return write_analysis(out, exp, figures=report)


def _runnable(exp: Experiment) -> Experiment:
    """Refuse an experiment whose text does not say its size: the manifest keeps the text, and report() rebuilds from it."""
    mismatch = size_mismatch(exp)
    if mismatch is not None:
        raise ExperimentError(
            f"{exp.name}: {mismatch}; resize with Experiment.resized(replicates=..., samples=...) or "
            "load_experiment(..., replicates=..., samples=...), not dataclasses.replace"
        )
    return exp


def _check_options(backend: str, workers: int | None, scheduler: str | None, chunk_size: int | None, allow_large: bool) -> int:
    """Check the run options and return the number of worker processes."""
    if backend not in BACKENDS:
        raise ExperimentError(f"backend: expected one of {', '.join(BACKENDS)}, got {backend!r}")
    # None and 0 mean all cores (up to MAX_WORKERS); any other value is checked as given
    cores = min(os.cpu_count() or 1, MAX_WORKERS)
    n_workers = positive_int(1 if backend == "serial" else (workers or cores), "workers")
    if n_workers > MAX_WORKERS and not allow_large:
        raise ExperimentError(
            f"workers: expected at most {MAX_WORKERS} worker processes (this machine has {os.cpu_count()} cores), "
            f"got {n_workers}; --allow-large (allow_large=True) to start more"
        )
    if scheduler is not None and backend != "dask":
        raise ExperimentError(f"scheduler: only the dask backend uses a scheduler address, got backend {backend!r}")
    if chunk_size is not None:
        positive_int(chunk_size, "chunk_size")
    return n_workers


def _prepare(exp: Experiment) -> _Sweep:
    """The design, its fingerprint, the model's hash and every run's seed."""
    design = build_design(exp)
    print_ = fingerprint(exp, design)
    source_hash = model_source_hash()
    seeds, values = _plan(exp, design)
    schema = store.run_schema([(f.name, f.kind) for f in exp.factors])
    posterior = load_posterior(posterior_path(load_scenario(exp.scenario)), ExperimentError) if exp.posterior else None
    return _Sweep(exp, design, print_, source_hash, seeds, values, schema, _scenario_payload(exp.scenario), posterior)


def _saved_runs(out: Path, previous: Mapping[str, Any], sweep: _Sweep) -> set[int]:
    """The run ids saved in ``out``, once its manifest and every part are checked against this sweep."""
    if not store.part_files(out):
        return set()
    _check_resumable(out, previous, sweep.fingerprint, sweep.source_hash)
    return store.check_parts(out, sweep.n_runs, sweep.experiment.replicates, sweep.design.points)


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


@dataclass(frozen=True)
class _Options:
    """How a sweep runs (the arguments of :func:`run_experiment` of that name)."""

    backend: str
    scheduler: str | None
    resume: bool
    chunk_size: int | None
    fail_fast: bool
    progress: bool


def _run(sweep: _Sweep, out: Path, backend: Backend, previous: Mapping[str, Any], done: set[int], options: _Options) -> None:
    """Run the runs not yet saved in ``out`` (``done`` are) on the started backend, saving each chunk as it finishes.

    The manifest says ``running`` while the runs go on, and ``complete``,
    ``interrupted`` (Ctrl-C, or ``fail_fast``) or ``failed`` (with the
    error: a file that could not be written, a worker that died), with the
    counts and times, however they end.
    """
    resume, fail_fast = options.resume, options.fail_fast
    store.clean_temporaries(out)
    if not resume:
        store.clear(out)  # only the runner's own files, in a folder refuse_foreign accepted
        previous = {}
    pending = [rid for rid in range(sweep.n_runs) if rid not in done]
    size = options.chunk_size or _chunk_size(len(pending), backend.pool.threads)

    started = time.perf_counter()
    exp = sweep.experiment
    manifest = provenance.manifest(
        exp, sweep.design, sweep.fingerprint, sweep.source_hash, options.backend, options.scheduler, backend.pool, sweep.n_runs, previous
    )
    # the manifest first: a folder killed right after it is recognised as the runner's own
    store.write_json(out / store.MANIFEST, {**manifest, "status": "running", "runs_done": len(done)})

    bar = _progress_bar(sweep.n_runs, len(done), exp.name, options.progress)
    tally = _Tally()
    failure: BaseException | None = None
    try:
        store.write_csv(out / store.DESIGN, sweep.design.points, index=True)
        chunks = _chunks(exp, sweep.scenario_values, sweep.posterior, pending, sweep.seeds, sweep.values, size, fail_fast)
        for batch in backend.run(chunks):
            store.write_part(out, batch.run_ids, batch.table(sweep.schema))
            tally.add(batch)  # saved: a part file is complete once it has its name
            bar.update(len(batch))
            if fail_fast:
                _stop_at_failure(batch)
    except BaseException as exc:
        failure = exc
        raise
    finally:
        bar.close()
        wall = time.perf_counter() - started
        try:
            _write_final_manifest(out, manifest, sweep.n_runs, len(done), tally, wall, previous, failure)
        except OSError:
            if failure is None:
                raise
            # the sweep's own error is the one to report; a manifest that cannot be written (a full disk)
            # still says `running`, and the folder's lock, released now, says no sweep is


def _status(saved: int, n_runs: int, failure: BaseException | None) -> dict[str, Any]:
    """``status`` (and ``error``) of a session that ended, however it ended."""
    if saved >= n_runs:
        return {"status": "complete"}
    if failure is None or isinstance(failure, KeyboardInterrupt | SweepError):
        return {"status": "interrupted"}
    return {"status": "failed", "error": f"{type(failure).__name__}: {' '.join(str(failure).split())}"}


def _write_final_manifest(
    out: Path,
    manifest: Mapping[str, Any],
    n_runs: int,
    n_before: int,
    tally: _Tally,
    wall: float,
    previous: Mapping[str, Any],
    failure: BaseException | None = None,
) -> None:
    """The manifest as a session ends: ``complete``, ``interrupted`` or ``failed`` (with the error), with its counts and times."""
    saved = n_before + tally.written
    store.write_json(
        out / store.MANIFEST,
        {
            **manifest,
            **_status(saved, n_runs, failure),
            "runs_done": saved,
            "wall_time_s": round(wall, 3),
            "wall_time_total_s": round(wall + float(previous.get("wall_time_total_s", 0.0)), 3),
            "runs_this_session": saved - n_before,
            "errors_this_session": tally.errors,
            "finished": provenance.now(),
        },
    )


def _progress_bar(total: int, initial: int, name: str, enabled: bool) -> Any:
    """A tqdm bar on stderr (tqdm, an optional dependency, is imported only when a sweep runs)."""
    from tqdm.auto import tqdm

    return tqdm(total=total, initial=initial, desc=name, unit="run", disable=not enabled, dynamic_ncols=True)


@dataclass
class _Tally:
    """Rows saved this session, and how many of them record a failed run."""

    written: int = 0
    errors: int = 0

    def add(self, batch: RunBatch) -> None:
        """Count a saved chunk's runs."""
        self.written += len(batch)
        self.errors += batch.n_errors


def _stop_at_failure(batch: RunBatch) -> None:
    """Raise :class:`SweepError` for the first failed run of a chunk, if any."""
    failed = [r for r in batch.rows() if r.get("error")]
    if failed:
        r = failed[0]
        raise SweepError(
            f"run {r['run_id']} (point {r['point_id']}, replicate {r['replicate']}, seed {r['seed']}, "
            f"overrides {r['overrides']}) raised: {r['error']}"
        )


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
    return command_line(str(row["scenario"]), int(row["seed"]), overrides, page=page)
