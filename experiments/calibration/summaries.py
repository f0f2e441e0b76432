"""One run's summary statistics, the quantities a calibration compares with the record.

A run is played to its end on the compiled path (:mod:`model.engine`),
which keeps the front after every round: the same run as the Mesa model's,
float for float (``tests/test_calibration.py`` compares the two), some
twenty times faster with the scenario validated and packed for each run
(``benchmarks/bench_calibration.py``). :func:`summarise_path` turns that
path, and the round of the first negotiated end, into the target file's
statistics (:data:`~experiments.calibration.targets.STATISTIC_KINDS`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from experiments.calibration.targets import Statistic
from model import Scenario
from model.engine import layout as L
from model.engine.run import run_values
from model.outcome import OutcomeKind

_FRONT = L.TRACE_COLUMNS.index("front")


@dataclass(frozen=True)
class Path:
    """What a calibration reads of one run.

    Attributes:
        front: Russia's share of the contested territory after each round (index 0: the start).
        first_negotiated: Round of the first ceasefire or settlement; ``None`` if neither came.
        kind: How the run ended.
    """

    front: np.ndarray
    first_negotiated: int | None
    kind: str


def play(scenario: Scenario, parameters: Mapping[str, Any], seed: int) -> Path:
    """Play one run on the compiled path and keep its front after every round.

    The run is the one ``WarTerminationModel(scenario, rng=seed, **parameters)``
    plays, and its front the model's ``battlefield.share`` at the start and
    after each round. Where numba is missing the same kernels run interpreted
    (:func:`model.engine.jit.compiled`), with the same floats.

    Args:
        scenario: The scenario.
        parameters: Overrides (the particle's parameter values).
        seed: The run's seed.

    Returns:
        The run's path.
    """
    run = run_values(scenario.with_overrides(dict(parameters)).values, seed, record=True)
    outcome = run.outcome
    assert run.trace is not None  # record=True
    front = run.trace[: outcome.rounds + 1, _FRONT].copy()  # rows after the run's end are NaN
    settled_at = outcome.rounds if outcome.kind is OutcomeKind.SETTLEMENT else None
    starts = [r for r in (outcome.first_ceasefire_round, settled_at) if r is not None]
    return Path(front=front, first_negotiated=min(starts) if starts else None, kind=outcome.kind.value)


def front_at(path: Path, round_: int) -> float:
    """The front at the end of a round; a run over before it keeps its last front."""
    return float(path.front[min(round_, len(path.front) - 1)])


def summarise_path(path: Path, statistics: Sequence[Statistic]) -> dict[str, float]:
    """The statistics of one run.

    Args:
        path: The run.
        statistics: The target file's statistics.

    Returns:
        Each statistic's value, by name.
    """
    values: dict[str, float] = {}
    for stat in statistics:
        if stat.kind == "front_at":
            values[stat.name] = front_at(path, stat.rounds[0])
        elif stat.kind == "front_change":
            values[stat.name] = front_at(path, stat.rounds[1]) - front_at(path, stat.rounds[0])
        else:  # negotiated_by
            first = path.first_negotiated
            values[stat.name] = float(first is not None and first <= stat.rounds[0])
    return values
