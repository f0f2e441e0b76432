"""What every backend offers the runner: start the workers, run chunks on them, stop them."""

from __future__ import annotations

import abc
from collections.abc import Iterator
from dataclasses import dataclass
from types import TracebackType
from typing import Self

from experiments.worker import Chunk, RunBatch


class WorkerError(RuntimeError):
    """The workers could not be started, or one died while it ran a chunk (the sweep stops; its saved runs are kept)."""


@dataclass(frozen=True)
class Pool:
    """The workers a sweep runs on, as recorded in the manifest.

    Attributes:
        workers: Worker processes (Dask: the workers the scheduler had when the sweep started).
        threads: Runs that can execute at once (Dask workers may have several threads each).
    """

    workers: int
    threads: int


class Backend(abc.ABC):
    """Where a sweep's chunks run, used as a context manager (like the EMA workbench's evaluators).

    Entering starts (or reaches) the workers, and fails there if they cannot
    be had; :attr:`pool` then says how many there are. :meth:`run` sends the
    chunks and yields each one's rows as it finishes, with a bounded number
    in flight. Leaving stops what entering started, however the sweep ended.
    """

    pool: Pool = Pool(1, 1)

    def __enter__(self) -> Self:
        try:
            self.start()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None) -> None:
        self.close()

    def start(self) -> None:  # noqa: B027 - a backend with nothing to start (serial) keeps this
        """Start or reach the workers and set :attr:`pool`."""

    def close(self) -> None:  # noqa: B027 - a backend with nothing to stop (serial) keeps this
        """Stop what :meth:`start` started (also after a failed start)."""

    @abc.abstractmethod
    def run(self, chunks: Iterator[Chunk]) -> Iterator[RunBatch]:
        """Run the chunks on the workers.

        Args:
            chunks: The chunks, produced lazily.

        Yields:
            Each chunk's runs, in the order the chunks finish.
        """
