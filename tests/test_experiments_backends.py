"""The backends: one registry, one interface (start, run chunks, stop), the same rows from each."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from experiments.backends import BACKENDS, Backend, DaskBackend, Pool, ProcessBackend, SerialBackend, open_backend
from experiments.runner import run_seeds
from experiments.worker import Chunk, RunBatch, run_chunk


def _chunks(n_chunks: int = 3, size: int = 2) -> list[Chunk]:
    seeds = run_seeds(5, n_chunks * size)
    return [
        Chunk("stalemate", (("max_rounds", 6),), (), tuple((i, 0, i, int(seeds[i]), ()) for i in range(c * size, (c + 1) * size)))
        for c in range(n_chunks)
    ]


def test_every_backend_name_opens_its_backend() -> None:
    kinds = {name: type(open_backend(name, 2, None, "0" * 64)) for name in BACKENDS}
    assert kinds == {"serial": SerialBackend, "processes": ProcessBackend, "dask": DaskBackend}
    assert open_backend("processes", 3, None, "0" * 64).pool == Pool(3, 3)
    with pytest.raises(ValueError, match="backend: expected one of serial, processes, dask, got 'cloud'"):
        open_backend("cloud", 1, None, "0" * 64)


def test_the_serial_backend_runs_the_chunks_in_order() -> None:
    chunks = _chunks()
    with SerialBackend() as backend:
        assert backend.pool == Pool(1, 1)
        rows = [batch.rows() for batch in backend.run(iter(chunks))]
    assert rows == [run_chunk(chunk).rows() for chunk in chunks]


def test_the_process_backend_gives_the_serial_rows() -> None:
    import model

    chunks = _chunks()
    with ProcessBackend(2, model.SOURCE_HASH_AT_IMPORT) as backend:
        rows = sorted((r for part in backend.run(iter(chunks)) for r in part.rows()), key=lambda r: r["run_id"])
    assert rows == [r for chunk in chunks for r in run_chunk(chunk).rows()]


class _Failing(Backend):
    def __init__(self) -> None:
        self.events: list[str] = []

    def start(self) -> None:
        self.events.append("start")
        raise RuntimeError("no workers")

    def close(self) -> None:
        self.events.append("close")

    def run(self, chunks: Iterator[Chunk]) -> Iterator[RunBatch]:
        raise AssertionError("never reached")


def test_a_backend_that_fails_to_start_stops_what_it_started() -> None:
    backend = _Failing()
    with pytest.raises(RuntimeError, match="no workers"):
        with backend:
            pass
    assert backend.events == ["start", "close"]
