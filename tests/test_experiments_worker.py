"""The worker side of a sweep: a chunk in, its runs' records out column by column, failures recorded as data."""

from __future__ import annotations

import json
from typing import Any

from experiments import store
from experiments.runner import run_seeds
from experiments.worker import Chunk, run_chunk
from model import WarTerminationModel


def _chunk(**kwargs: Any) -> Chunk:
    seeds = run_seeds(11, 3)
    tasks = tuple((i, i // 2, i % 2, int(seeds[i]), (0.5 + 0.05 * i,)) for i in range(3))
    return Chunk("stalemate", (("max_rounds", 8),), ("initial_advantage",), tasks, **kwargs)


def test_a_row_is_the_run_it_names() -> None:
    rows = run_chunk(_chunk()).rows()
    assert [r["run_id"] for r in rows] == [0, 1, 2] and [r["point_id"] for r in rows] == [0, 0, 1]
    for row in rows:
        overrides = json.loads(row["overrides"])
        assert overrides == {"max_rounds": 8, "initial_advantage": row["initial_advantage"]}
        again = WarTerminationModel("stalemate", rng=row["seed"], **overrides).run().to_dict()
        assert {k: row[k] for k in again} == again  # the Mesa model's run, from the compiled path
        assert row["max_rounds"] == 8 and row["error"] is None


def test_a_chunk_becomes_a_table_of_the_run_schema() -> None:
    batch = run_chunk(_chunk())
    schema = store.run_schema([("initial_advantage", float)])
    table = batch.table(schema)
    assert table.schema == schema and table.num_rows == 3
    assert table.to_pylist() == batch.rows()


def test_a_failing_run_is_recorded_and_the_chunk_goes_on(fail_runs_where: Any) -> None:
    fail_runs_where(lambda values: values["initial_advantage"] == 0.55)
    batch = run_chunk(_chunk())
    rows = batch.rows()
    assert [r["error"] for r in rows] == [None, "RuntimeError: engine trouble", None]
    assert rows[1]["kind"] is None and rows[0]["kind"] is not None
    assert batch.n_errors == 1 and batch.first_error() == (1, "RuntimeError: engine trouble")
    stopped = run_chunk(_chunk(fail_fast=True))
    assert stopped.run_ids == [0, 1]  # fail_fast: the chunk stops at the failing run


def test_a_scenario_that_cannot_be_built_fails_every_run_of_the_chunk() -> None:
    chunk = Chunk("no_such_scenario", (), ("initial_advantage",), _chunk().tasks)
    rows = run_chunk(chunk).rows()
    assert len(rows) == 3 and all(r["error"].startswith("RuntimeError: ScenarioError") for r in rows)
    assert all(r["max_rounds"] is None for r in rows)
