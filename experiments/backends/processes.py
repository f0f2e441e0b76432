"""The processes backend (the default): a pool of local worker processes.

On Linux the workers are forked from the sweep's process once it has
imported the model, and share those imports with it; elsewhere they are
spawned, and replaced after :data:`TASKS_PER_CHILD` chunks as a backstop
against Mesa 3.3.1's model leak. Each worker watches its parent and exits
when it is gone, so a sweep killed with SIGKILL leaves no orphans.
"""

from __future__ import annotations

import concurrent.futures as cf
import gc
import multiprocessing
import os
import sys
import threading
import time
from collections.abc import Iterator

import model
from experiments.backends.base import Backend, Pool, WorkerError
from experiments.worker import Chunk, RunBatch, run_chunk, warm_up

TASKS_PER_CHILD = 200
"""Chunks a spawned worker process runs before it is replaced (a guard against model leaks)."""

PARENT_CHECK_S = 0.5
"""How often a worker process checks that the sweep's process is still there."""


def start_worker(parent_pid: int) -> None:
    """Worker initializer: keep the imports shared with the sweep's process, and end as soon as it is gone.

    :func:`gc.freeze` keeps what a forked worker inherited out of the
    collector's reach, so its first full collection does not write to (and
    copy) every imported object's page. A daemon thread checks every
    :data:`PARENT_CHECK_S` seconds that the sweep's process is still the
    parent and alive, and otherwise leaves at once (:func:`os._exit`): a
    pool worker waiting for work would wait forever. A run cut short is not
    saved; the sweep, started again, runs it.

    Args:
        parent_pid: The process id of the sweep's process.

    Raises:
        RuntimeError: If this process was not started by that process.
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


def process_context(source_hash: str) -> multiprocessing.context.BaseContext:
    """How to start worker processes: fork them from this process where that is safe, else spawn them.

    A forked worker shares the model's imports (about 90 MB) instead of
    importing them again. It is safe only on Linux (macOS's libraries are
    not fork-safe, Windows cannot fork), from a process running no other
    Python thread (a lock held at the fork stays locked in the child), and
    while this process runs the code on disk (``model.SOURCE_HASH_AT_IMPORT``
    is ``source_hash``), or the workers would run old code under the new
    code's hash. See ``docs/experiments.md``, Backends.

    Args:
        source_hash: The hash of the model's code on disk, as the manifest records it.

    Returns:
        The ``fork`` or the ``spawn`` context.
    """
    if sys.platform != "linux" or threading.active_count() > 1 or model.SOURCE_HASH_AT_IMPORT != source_hash:
        return multiprocessing.get_context("spawn")
    return multiprocessing.get_context("fork")  # the model is imported (experiments.worker): the workers share it


class ProcessBackend(Backend):
    """A :class:`concurrent.futures.ProcessPoolExecutor` of ``workers`` local processes."""

    def __init__(self, workers: int, source_hash: str) -> None:
        self.workers = workers
        self.source_hash = source_hash
        self.pool = Pool(workers, workers)
        self._executor: cf.ProcessPoolExecutor | None = None

    def start(self) -> None:
        """Start every worker now, before the sweep starts a thread of its own (the progress bar's, Parquet's).

        A forked pool starts all its workers at once and cannot replace them
        (they would be forked from a process running the pool's threads);
        the model frees itself after each run. A worker that cannot start
        (e.g. under a cap on processes) fails the sweep here, and the
        workers already started are stopped, so nothing waits for them.

        Raises:
            WorkerError: If the workers cannot all be started.
        """
        context = process_context(self.source_hash)
        forked = context.get_start_method() == "fork"
        if forked:
            warm_up()  # the workers inherit the compiled whole run instead of each loading it
        self._executor = cf.ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=context,
            max_tasks_per_child=None if forked else TASKS_PER_CHILD,
            initializer=start_worker,  # shared imports; no orphans: a worker outlives a killed sweep by at most PARENT_CHECK_S
            initargs=(os.getpid(),),
        )
        try:
            self._executor.submit(int).result()
        except (OSError, cf.BrokenExecutor) as exc:
            self._abandon()
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else " ".join(str(exc).split()) or type(exc).__name__
            raise WorkerError(f"cannot start {self.workers} worker processes ({reason}); try fewer --workers") from None

    def _abandon(self) -> None:
        """Stop a pool that failed to start: kill the workers it did start, so that no one (not even exit) waits for them."""
        executor, self._executor = self._executor, None
        if executor is None:
            return
        processes = getattr(executor, "_processes", None)  # the pool's own record of the processes it started
        started = list(processes.values()) if isinstance(processes, dict) else []
        for process in started:
            process.kill()
        for process in started:
            process.join(timeout=5)
        executor.shutdown(wait=False, cancel_futures=True)

    def close(self) -> None:
        """Stop the workers, cancelling the chunks not yet started."""
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)

    def run(self, chunks: Iterator[Chunk]) -> Iterator[RunBatch]:
        """Run the chunks on the pool, at most two per worker in flight (so at most that many chunks' rows exist at once).

        Args:
            chunks: The chunks.

        Yields:
            Each chunk's runs, as it finishes.

        Raises:
            WorkerError: If a worker process died (killed, or out of memory): the pool is broken; or a
                spawned pool (which starts its workers as work arrives) could not start one.
        """
        try:
            yield from self._run(chunks)
        except cf.BrokenExecutor:
            raise WorkerError(
                "a worker process died while it ran (killed by a signal, or out of memory); the runs it had in hand were not saved"
            ) from None
        except OSError as exc:  # only submit() can raise it here: starting a worker failed
            self._abandon()
            raise WorkerError(f"cannot start a worker process ({exc.strerror or exc}); try fewer --workers") from None

    def _run(self, chunks: Iterator[Chunk]) -> Iterator[RunBatch]:
        """:meth:`run` without the translation of a broken pool."""
        assert self._executor is not None, "run() inside a `with` block"
        in_flight: set[cf.Future[RunBatch]] = set()
        window = 2 * self.workers
        try:
            for chunk in chunks:
                in_flight.add(self._executor.submit(run_chunk, chunk))
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
