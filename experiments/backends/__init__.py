"""Where a sweep's runs execute, one module a backend (as the EMA workbench's evaluators).

- :mod:`experiments.backends.serial`: in the sweep's process.
- :mod:`experiments.backends.processes`: a pool of local processes (the default).
- :mod:`experiments.backends.dask_cluster`: a Dask cluster.

Each is a :class:`~experiments.backends.base.Backend`: a context manager
that starts its workers, runs chunks of runs on them
(:func:`experiments.worker.run_chunk`) and stops them.
"""

from __future__ import annotations

from experiments.backends.base import Backend, Pool, WorkerError
from experiments.backends.dask_cluster import DaskBackend
from experiments.backends.processes import ProcessBackend
from experiments.backends.serial import SerialBackend

BACKENDS: tuple[str, ...] = ("serial", "processes", "dask")
"""Where runs execute: in this process, in a pool of local processes, or on a Dask cluster."""

__all__ = ["BACKENDS", "Backend", "DaskBackend", "Pool", "ProcessBackend", "SerialBackend", "WorkerError", "open_backend"]


def open_backend(name: str, workers: int, scheduler: str | None, source_hash: str) -> Backend:
    """The backend called ``name``, not yet started (use it in a ``with`` block).

    Args:
        name: One of :data:`BACKENDS`.
        workers: Worker processes (the processes backend; Dask's local cluster).
        scheduler: A Dask scheduler's address (``None``: a local cluster).
        source_hash: The hash of the model's code on disk, which every worker must run.

    Returns:
        The backend.

    Raises:
        ValueError: If ``name`` is not one of :data:`BACKENDS` (the runner checks it first).
    """
    if name == "serial":
        return SerialBackend()
    if name == "processes":
        return ProcessBackend(workers, source_hash)
    if name == "dask":
        return DaskBackend(workers, scheduler, source_hash)
    raise ValueError(f"backend: expected one of {', '.join(BACKENDS)}, got {name!r}")
