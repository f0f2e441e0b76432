"""The worker side of a sweep: a chunk of runs in, one plain row per run out.

Every backend runs :func:`run_chunk`, in this process, in a worker process
or on a Dask worker, so it and what it is sent (:class:`Chunk`) are
importable and picklable. A worker returns rows (``Outcome.to_dict()`` plus
identity and replay columns), never a model, and drops each model right
after its run.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from experiments.calibration.draws import Posterior, draw
from model import Scenario, WarTerminationModel, load_scenario

Row = dict[str, Any]
"""One run's row, with the columns of :func:`experiments.store.run_schema`."""


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
        posterior: The posterior each run draws its scenario's calibrated values from (``None``: none).
    """

    scenario: str
    fixed: tuple[tuple[str, Any], ...]
    factor_names: tuple[str, ...]
    tasks: tuple[tuple[int, int, int, int, tuple[Any, ...]], ...]
    fail_fast: bool = False
    scenario_values: ScenarioValues | None = None
    posterior: Posterior | None = None


@functools.lru_cache(maxsize=8)
def _base_scenario(scenario: str, fixed: tuple[tuple[str, Any], ...], sent: ScenarioValues | None = None) -> Any:
    """The scenario with the fixed overrides, built once per worker process."""
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


def run_chunk(chunk: Chunk) -> list[Row]:
    """Run a chunk of runs and return one plain row per run.

    A run that raises is recorded with its error text (outcome columns empty)
    and the chunk goes on, unless ``chunk.fail_fast``. A scenario that
    cannot be built fails every run of the chunk the same way.

    Args:
        chunk: The runs.

    Returns:
        One row per run, with the columns of :func:`experiments.store.run_schema`.
    """
    fixed = dict(chunk.fixed)
    own = frozenset(fixed) | frozenset(chunk.factor_names)  # what the experiment sets keeps its value
    rows: list[Row] = []
    try:
        base = _base_scenario(chunk.scenario, chunk.fixed, chunk.scenario_values)
        horizon = int(base.values["max_rounds"])
        setup_error = None
    except Exception as exc:  # noqa: BLE001 - recorded per run, like a failing run
        base, horizon, setup_error = None, None, f"{type(exc).__name__}: {exc}"
    for run_id, point_id, replicate, seed, values in chunk.tasks:
        varied = dict(zip(chunk.factor_names, values, strict=True))
        drawn = draw(chunk.posterior, seed, own) if chunk.posterior is not None else {}
        row: Row = {
            "run_id": run_id,
            "point_id": point_id,
            "replicate": replicate,
            "seed": seed,
            "scenario": chunk.scenario,
            "overrides": json.dumps({**fixed, **drawn, **varied}, sort_keys=True),
            "max_rounds": int(varied.get("max_rounds", horizon)) if horizon is not None else None,
            **varied,
        }
        try:
            if setup_error is not None:
                raise RuntimeError(setup_error)
            # no agents' table: a sweep keeps one row per run
            model = WarTerminationModel(base, rng=seed, record_agents=False, **drawn, **varied)
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
