"""The serial backend: every chunk in the sweep's own process, one after the other (debugging, tiny sweeps)."""

from __future__ import annotations

from collections.abc import Iterator

from experiments.backends.base import Backend
from experiments.worker import Chunk, RunBatch, run_chunk


class SerialBackend(Backend):
    """Runs each chunk in this process, in order."""

    def run(self, chunks: Iterator[Chunk]) -> Iterator[RunBatch]:
        """Run the chunks here, one after the other.

        Args:
            chunks: The chunks.

        Returns:
            Each chunk's runs, lazily.
        """
        return (run_chunk(chunk) for chunk in chunks)
