"""Runs whose scenario is drawn from a calibrated posterior, so that answers carry the calibration's uncertainty.

A calibrated scenario ships its posterior beside it, as
``SCENARIO.posterior.csv`` (one column per calibrated parameter and a
``weight`` column; the ``posterior.csv`` that ``war-termination calibrate``
writes). An experiment with ``posterior = true`` gives each run one particle
of it, drawn by weight with a generator spawned from the run's own seed
(:func:`draw`), so a run replays exactly and the answer of a design point is
averaged over the posterior rather than read at its point estimate. The
parameters the experiment varies or fixes keep their design values: a
counterfactual lever overrides the posterior, everything else is uncertain
as the record leaves it.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from model import Scenario, describe_parameters
from model.errors import InputError

POSTERIOR_STREAM = 0x5EED_905
"""Spawn key of the posterior draw, apart from the streams the model spawns from the same seed."""

SUFFIX = ".posterior.csv"


@dataclass(frozen=True)
class Posterior:
    """A weighted sample of parameter sets (picklable, sent with a sweep's chunks).

    Attributes:
        names: The calibrated parameters.
        values: One tuple of values per particle, in ``names`` order.
        weights: Each particle's weight, summing to 1.
        path: Where it was read from.
    """

    names: tuple[str, ...]
    values: tuple[tuple[float, ...], ...]
    weights: tuple[float, ...]
    path: str


def posterior_path(scenario: Scenario) -> Path:
    """Where a scenario's posterior is shipped: beside its file, ``NAME.posterior.csv``."""
    if not scenario.path:
        raise InputError(f"scenario {scenario.name}: built in memory, so no posterior file sits beside it")
    path = Path(scenario.path)
    return path.with_name(path.stem + SUFFIX)


def load_posterior(path: Path, error: type[InputError] = InputError) -> Posterior:
    """Read and validate a posterior file.

    Raises:
        InputError: (as ``error``) If it is missing, has no ``weight`` column, names an unknown
            parameter, or holds a value that is not a finite number or a weight below 0.
    """
    if not path.is_file():
        raise error(f"{path}: no posterior file; 'war-termination calibrate' writes one as posterior.csv")
    known = {p.name for p in describe_parameters()}
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    if len(rows) < 2 or "weight" not in rows[0]:
        raise error(f"{path}: a posterior file has a header with a 'weight' column and at least one particle")
    header = rows[0]
    names = tuple(c for c in header if c != "weight")
    unknown = sorted(set(names) - known)
    if unknown:
        raise error(f"{path}: unknown parameter {unknown[0]!r} in the header")
    at = header.index("weight")
    values, weights = [], []
    for line, row in enumerate(rows[1:], start=2):
        try:
            numbers = [float(x) for x in row]
        except ValueError:
            raise error(f"{path}: line {line}: every value must be a number") from None
        if len(numbers) != len(header) or not all(math.isfinite(x) for x in numbers) or numbers[at] < 0:
            raise error(f"{path}: line {line}: {len(header)} finite numbers, a weight of 0 or more")
        weights.append(numbers[at])
        values.append(tuple(x for i, x in enumerate(numbers) if i != at))
    total = sum(weights)
    if total <= 0:
        raise error(f"{path}: the weights sum to 0")
    return Posterior(names, tuple(values), tuple(w / total for w in weights), str(path))


def draw(posterior: Posterior, seed: int, keep: frozenset[str] = frozenset()) -> dict[str, float]:
    """One particle for the run of this seed (the same seed draws the same particle).

    Args:
        posterior: The posterior.
        seed: The run's seed.
        keep: Parameters the experiment sets itself, left out of the draw.

    Returns:
        The particle's values, by parameter.
    """
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(POSTERIOR_STREAM,)))
    index = int(rng.choice(len(posterior.weights), p=np.asarray(posterior.weights)))
    return {n: v for n, v in zip(posterior.names, posterior.values[index], strict=True) if n not in keep}
