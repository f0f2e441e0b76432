"""The Dask backend: chunks as tasks on a Dask cluster, a scheduler's or a local one.

With a scheduler address the sweep connects to it; without one it starts a
``LocalCluster`` of ``workers`` processes on 127.0.0.1. Every worker must
run this model's code (its :func:`model.source.source_hash`), or one sweep
would mix code versions; that is checked before the sweep writes anything.
``distributed`` is imported only when this backend starts: it is an
optional dependency, and heavy.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from experiments.backends.base import Backend, Pool, WorkerError
from experiments.spec import ExperimentError
from experiments.worker import Chunk, RunBatch, run_chunk
from model.source import source_hash as model_source_hash

DASK_TIMEOUT = 20.0
"""Seconds to try to reach a Dask scheduler, and to wait for its first worker."""


class DaskBackend(Backend):
    """A ``distributed.Client`` of the scheduler at ``scheduler``, or of a new local cluster of ``workers`` processes."""

    def __init__(self, workers: int, scheduler: str | None, source_hash: str) -> None:
        self.workers = workers
        self.scheduler = scheduler
        self.source_hash = source_hash
        self._cluster: Any = None
        self._client: Any = None

    def start(self) -> None:
        """Reach the scheduler (or start a local cluster), wait for a worker and check every worker's model.

        Raises:
            ExperimentError: If the scheduler cannot be reached, has no
                workers, or its workers run other model code.
        """
        from distributed import Client, LocalCluster  # optional and heavy: only a Dask sweep needs it

        where = f"the Dask scheduler at {self.scheduler!r}"
        if self.scheduler is None:
            self._cluster = LocalCluster(
                n_workers=self.workers, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
            )
            self._client = Client(self._cluster)
        else:
            try:
                self._client = Client(self.scheduler, timeout=DASK_TIMEOUT)
            except (OSError, ValueError, TypeError) as exc:
                raise ExperimentError(f"scheduler: cannot reach {where}: {' '.join(str(exc).split())}") from None
        try:
            self._client.wait_for_workers(1, timeout=DASK_TIMEOUT)
        except (TimeoutError, OSError):
            raise ExperimentError(f"scheduler: {where} has no workers (waited {DASK_TIMEOUT:g} s)") from None
        info = self._client.scheduler_info().get("workers", {})
        self.pool = Pool(len(info), max(1, sum(int(w.get("nthreads", 1)) for w in info.values())))
        self._check_model_code()

    def _check_model_code(self) -> None:
        others = {address: h for address, h in self._client.run(model_source_hash).items() if h != self.source_hash}
        if others:
            address, other = sorted(others.items())[0]
            raise ExperimentError(
                f"scheduler: {len(others)} of the {self.pool.workers} Dask workers run different model code "
                f"({address}: model source {str(other)[:12]}, here {self.source_hash[:12]}); install this model on every worker"
            )

    def close(self) -> None:
        """Close the client, and the local cluster if this backend started one."""
        if self._client is not None:
            self._client.close()
        if self._cluster is not None:
            self._cluster.close()

    def run(self, chunks: Iterator[Chunk]) -> Iterator[RunBatch]:
        """Submit each chunk as its own task (``pure=False``), at most two per worker thread in flight.

        Args:
            chunks: The chunks.

        Yields:
            Each chunk's runs, as it finishes.

        Raises:
            WorkerError: If Dask gave up on a chunk whose workers kept dying (``KilledWorker``).
        """
        from distributed import KilledWorker

        try:
            yield from self._run(chunks)
        except KilledWorker as exc:
            raise WorkerError(f"Dask workers died while they ran a chunk ({' '.join(str(exc).split())[:200]})") from None

    def _run(self, chunks: Iterator[Chunk]) -> Iterator[RunBatch]:
        """:meth:`run` without the translation of dead workers."""
        from distributed import as_completed  # optional and heavy, as above

        window = 2 * self.pool.threads
        pending = as_completed()
        n_in_flight = 0
        for chunk in chunks:
            pending.add(self._client.submit(run_chunk, chunk, pure=False))
            n_in_flight += 1
            if n_in_flight >= window:
                future = next(pending)
                n_in_flight -= 1
                yield future.result()
                future.release()
        for future in pending:
            yield future.result()
            future.release()
