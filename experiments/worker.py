"""The worker side of a sweep: a chunk of runs in, their records out, column by column.

Every backend runs :func:`run_chunk`, in this process, in a worker process
or on a Dask worker, so it and what it is sent (:class:`Chunk`) are
importable and picklable. A run goes through the compiled path
(:mod:`model.engine`): the scenario's values are validated and packed once
per design point (once per run where each run draws its values from a
posterior), and the run's outcome record comes back as a row of numbers.
A chunk returns a :class:`RunBatch`, its identity columns and one array of
outcome records, which becomes an Arrow table without a Python object per
run (building one was the larger cost of a run of a quarter of a millisecond).
"""

from __future__ import annotations

import functools
import json
import sys
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import numpy as np
import pyarrow as pa

from experiments.calibration.draws import Posterior, draw
from model import Scenario, load_scenario
from model.engine import layout as L
from model.engine.codes import FORMS_BY_CODE
from model.engine.inputs import Inputs, pack
from model.engine.jit import cache_folder, compiled_available
from model.engine.run import outcome_array
from model.issues import ISSUES, TERRITORY_ISSUES
from model.outcome import OutcomeKind, Side
from model.scenario import DEFAULT_SCENARIO

Row = dict[str, Any]
"""One run's record as a dict, with the columns of :func:`experiments.store.run_schema` (:meth:`RunBatch.rows`)."""


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


@dataclass
class RunBatch:
    """A chunk's runs: identity columns, outcome records and errors, one entry per run in run-id order.

    Attributes:
        identity: The identity, replay and varied-parameter columns, by name.
        outcomes: ``[runs, layout.N_OUTCOME]``; a failed run's row is NaN.
        errors: Each run's error text (``None`` for a run that finished).
    """

    identity: dict[str, list[Any]]
    outcomes: np.ndarray
    errors: list[str | None] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.errors)

    @property
    def n_errors(self) -> int:
        """How many runs failed."""
        return sum(1 for e in self.errors if e)

    @property
    def run_ids(self) -> list[int]:
        """The runs' ids."""
        return [int(x) for x in self.identity["run_id"]]

    def first_error(self) -> tuple[int, str] | None:
        """``(run id, error)`` of the first failed run, if any."""
        for run_id, error in zip(self.identity["run_id"], self.errors, strict=True):
            if error:
                return int(run_id), error
        return None

    def table(self, schema: pa.Schema) -> pa.Table:
        """The runs as an Arrow table of ``schema`` (:func:`experiments.store.run_schema`)."""
        columns = {**self.identity, **_outcome_columns(self.outcomes), "error": self.errors}
        return pa.Table.from_arrays([pa.array(columns[f.name], type=f.type) for f in schema], schema=schema)

    def rows(self) -> list[Row]:
        """The runs as dicts (for tests and tools; the runner stores :meth:`table`)."""
        names = [*self.identity, *_outcome_columns(self.outcomes[:0]), "error"]
        columns = {**self.identity, **_outcome_columns(self.outcomes), "error": self.errors}
        return [{name: _plain(columns[name][i]) for name in names} for i in range(len(self))]


_KIND_NAMES = np.array(
    [OutcomeKind.SETTLEMENT.value, OutcomeKind.CEASEFIRE.value, OutcomeKind.VICTORY.value, OutcomeKind.WAR.value], dtype=object
)
_SIDE_NAMES = np.array([Side.RUSSIA.value, Side.UKRAINE.value], dtype=object)


def _outcome_columns(out: np.ndarray) -> dict[str, Any]:
    """The outcome columns of :data:`experiments.store.OUTCOME_FIELDS` from outcome records, ``None`` where missing."""
    ran = ~np.isnan(out[:, L.OUT_KIND])

    def ints(slot: int, missing_below: float = -np.inf) -> list[int | None]:
        x = out[:, slot]
        keep = ran & (x >= missing_below)
        return [int(v) if k else None for v, k in zip(x, keep, strict=True)]

    def floats(slot: int) -> list[float | None]:
        x = out[:, slot]
        return [None if v != v else float(v) for v in x]  # NaN: unresolved, or a failed run

    def names(slot: int, table: np.ndarray) -> list[str | None]:
        x = out[:, slot]
        return [table[int(v)] if k and v >= 0 else None for v, k in zip(x, ran, strict=True)]

    columns: dict[str, Any] = {
        "kind": names(L.OUT_KIND, _KIND_NAMES),
        "winner": names(L.OUT_WINNER, _SIDE_NAMES),
        "rounds": ints(L.OUT_ROUNDS),
        "step_reached": ints(L.OUT_STEP_REACHED),
        "first_ceasefire_round": ints(L.OUT_FIRST_CEASEFIRE, 0.0),
        "first_breakdown_round": ints(L.OUT_FIRST_BREAKDOWN, 0.0),
        "breakdowns": ints(L.OUT_BREAKDOWNS),
        "violations_detected": ints(L.OUT_VIOLATIONS),
        "final_front": floats(L.OUT_FINAL_FRONT),
        "final_balance": floats(L.OUT_FINAL_BALANCE),
    }
    for j, issue in enumerate(ISSUES):
        columns[f"term_{issue}"] = floats(L.OUT_TERMS + j)
    for t, issue in enumerate(TERRITORY_ISSUES):
        codes = out[:, L.OUT_FORM_CRIMEA + t]
        columns[f"form_{issue}"] = [
            FORMS_BY_CODE[int(c)].value if k and int(c) in FORMS_BY_CODE else None for c, k in zip(codes, ran, strict=True)
        ]
    columns["cost_russia"] = floats(L.OUT_COST_RUSSIA)
    columns["cost_ukraine"] = floats(L.OUT_COST_UKRAINE)
    return columns


def _plain(value: Any) -> Any:
    return value.item() if isinstance(value, np.generic) else value


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


INTERPRETED_NOTE = (
    "war-termination: numba is not available here (or NUMBA_DISABLE_JIT is set): "
    "the runs use the kernels interpreted, with the same results, many times slower"
)
"""Said once per sweep or calibration where the kernels cannot run compiled (:func:`model.engine.jit.compiled_available`)."""

COMPILING_NOTE = "war-termination: compiling the model's kernels, once on this machine (about a minute)"
"""Said before the first compilation on a machine (no cache folder yet), where progress is shown."""


def say_engine(progress: bool) -> None:
    """Say on stderr, once, that the kernels run interpreted, or (with ``progress``) that they compile now."""
    if not compiled_available():
        print(INTERPRETED_NOTE, file=sys.stderr)
    elif progress and not cache_folder().is_dir():
        print(COMPILING_NOTE, file=sys.stderr)


def warm_up() -> None:
    """Compile the whole run here, or load it from the cache (about a second), before workers are forked from this process.

    Forked workers then share the compiled code and numba's compiler with
    this process instead of loading their own copies (some 70 MB each).
    """
    if compiled_available():
        values = dict(load_scenario(DEFAULT_SCENARIO).with_overrides({"max_rounds": 1}).values)
        run_one(pack(values), 0)


def run_one(inputs: Inputs, seed: int) -> np.ndarray:
    """One run's outcome record, on the compiled path (its kernels interpreted where numba is missing)."""
    return outcome_array(inputs, seed)  # interpreted where numba cannot run


def run_chunk(chunk: Chunk) -> RunBatch:
    """Run a chunk of runs and return their records.

    A run that raises is recorded with its error text (outcome columns empty)
    and the chunk goes on, unless ``chunk.fail_fast``. A scenario that
    cannot be built fails every run of the chunk the same way.

    Args:
        chunk: The runs.

    Returns:
        The runs' records, with the columns of :func:`experiments.store.run_schema`.
    """
    fixed = dict(chunk.fixed)
    own = frozenset(fixed) | frozenset(chunk.factor_names)  # what the experiment sets keeps its value
    try:
        base = _base_scenario(chunk.scenario, chunk.fixed, chunk.scenario_values)
        horizon = int(base.values["max_rounds"])
        setup_error = None
    except Exception as exc:  # noqa: BLE001 - recorded per run, like a failing run
        base, horizon, setup_error = None, None, f"{type(exc).__name__}: {exc}"
    identity: dict[str, list[Any]] = {
        name: [] for name in ("run_id", "point_id", "replicate", "seed", "scenario", "overrides", "max_rounds", *chunk.factor_names)
    }
    outcomes = np.full((len(chunk.tasks), L.N_OUTCOME), np.nan)
    errors: list[str | None] = []
    point: tuple[Any, ...] | None = None  # the values the cached inputs were packed from
    inputs: Inputs | None = None
    for i, (run_id, point_id, replicate, seed, varied_values) in enumerate(chunk.tasks):
        varied = dict(zip(chunk.factor_names, varied_values, strict=True))
        drawn = draw(chunk.posterior, seed, own) if chunk.posterior is not None else {}
        for name, value in (
            ("run_id", run_id),
            ("point_id", point_id),
            ("replicate", replicate),
            ("seed", seed),
            ("scenario", chunk.scenario),
            ("overrides", json.dumps({**fixed, **drawn, **varied}, sort_keys=True)),
            ("max_rounds", int(varied.get("max_rounds", horizon)) if horizon is not None else None),
            *varied.items(),
        ):
            identity[name].append(value)
        try:
            if setup_error is not None:
                raise RuntimeError(setup_error)
            key = (*varied_values, *sorted(drawn.items()))  # the values themselves, not the point id they come with
            if key != point or inputs is None:
                point, inputs = None, None  # a point that fails to validate is not reused
                inputs, point = pack(base.with_overrides({**drawn, **varied}).values), key
            outcomes[i] = run_one(inputs, seed)
        except Exception as exc:  # noqa: BLE001 - a failing run is data, not the end of the sweep
            errors.append(f"{type(exc).__name__}: {exc}")
            if chunk.fail_fast:
                break
            continue
        errors.append(None)
    n = len(errors)
    return RunBatch({name: column[:n] for name, column in identity.items()}, outcomes[:n], errors)
