"""Design points: the parameter combinations an experiment runs.

A grid is the full factorial product of each factor's levels. The sampled
designs come from SALib (Herman and Usher 2017): a Latin hypercube
(McKay et al. 1979), Saltelli's extension of Sobol sequences for variance-based
indices (Saltelli 2002; Saltelli et al. 2010) and Morris's elementary-effects
trajectories (Morris 1991; Campolongo et al. 2007). Samples are drawn on each
factor's ``[low, high]``; an integer factor is rounded, and a factor given by
``values`` is drawn as an index into its list. The design's own randomness
(the Latin hypercube, Sobol scrambling, Morris starting points) is seeded from
the master seed, so a design is the same on every machine.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
import pandas as pd

from model.errors import InputError
from model.parameters import Value


class DesignError(InputError):
    """A design that cannot be built from the experiment's factors."""


@dataclass(frozen=True)
class Factor:
    """One varied parameter.

    Attributes:
        name: The flat parameter name (see :func:`model.describe_parameters`).
        values: Explicit levels, if given.
        low: Lower end of a range (numbers only).
        high: Upper end of a range (numbers only).
        levels: Number of evenly spaced grid levels over ``[low, high]``.
        kind: The parameter's type (``float``, ``int``, ``bool`` or ``str``).
    """

    name: str
    values: tuple[Value, ...] | None
    low: float | None
    high: float | None
    levels: int | None
    kind: type

    @property
    def categorical(self) -> bool:
        """True if the factor takes its values from an explicit list."""
        return self.values is not None


class DesignSpec(Protocol):
    """What a design is built from: the part of an :class:`experiments.spec.Experiment` this module reads."""

    @property
    def method(self) -> str:
        """``grid``, ``lhs``, ``sobol`` or ``morris``."""

    @property
    def factors(self) -> tuple[Factor, ...]:
        """The varied parameters."""

    @property
    def samples(self) -> int | None:
        """The size of a sampled design."""

    @property
    def morris_levels(self) -> int:
        """Grid levels of a Morris design."""

    @property
    def second_order(self) -> bool:
        """Whether a Sobol design also estimates second-order indices."""

    @property
    def master_seed(self) -> int:
        """The seed the design's own randomness is drawn from."""


@dataclass(frozen=True)
class Design:
    """The design points of an experiment.

    Attributes:
        points: One row per design point (index ``point_id``), one column per factor.
        problem: SALib's problem definition (``None`` for a grid).
        sample: SALib's raw sample, one row per point (``None`` for a grid).
    """

    points: pd.DataFrame
    problem: dict[str, Any] | None
    sample: np.ndarray | None

    def __len__(self) -> int:
        return len(self.points)


def build_design(experiment: DesignSpec) -> Design:
    """Build the design points of an experiment.

    Args:
        experiment: A validated experiment (:class:`experiments.spec.Experiment`).

    Returns:
        The design.

    Raises:
        DesignError: If the method cannot use the factors (e.g. Sobol with one factor).
    """
    if experiment.method == "grid":
        return _grid(experiment.factors)
    return _sampled(experiment)


def _grid_levels(factor: Factor) -> list[Any]:
    if factor.values is not None:
        return list(factor.values)
    assert factor.low is not None and factor.high is not None and factor.levels is not None
    levels = np.linspace(factor.low, factor.high, factor.levels)
    if factor.kind is int:
        rounded = sorted({int(round(x)) for x in levels})
        return rounded
    # round away binary noise so the levels print as typed (e.g. 0.55, not 0.5500000000000002)
    return [float(round(x, 12)) for x in levels]


def _grid(factors: tuple[Factor, ...]) -> Design:
    levels = [_grid_levels(f) for f in factors]
    rows = list(itertools.product(*levels))
    points = pd.DataFrame(rows, columns=[f.name for f in factors])
    points.index.name = "point_id"
    return Design(points, None, None)


def _problem(factors: tuple[Factor, ...]) -> dict[str, Any]:
    bounds = []
    for f in factors:
        if f.values is not None:
            bounds.append([0.0, float(len(f.values))])
        else:
            assert f.low is not None and f.high is not None
            bounds.append([f.low, f.high])
    return {"num_vars": len(factors), "names": [f.name for f in factors], "bounds": bounds}


def _sampled(experiment: DesignSpec) -> Design:
    # SALib is imported lazily: loading an experiment file should not need it
    from SALib.sample import latin, morris
    from SALib.sample import sobol as sobol_sample

    factors = experiment.factors
    problem = _problem(factors)
    n = experiment.samples
    assert n is not None
    seed = experiment.master_seed % 2**32
    if experiment.method == "lhs":
        sample = latin.sample(problem, n, seed=seed)
    elif experiment.method == "sobol":
        if len(factors) < 2:
            raise DesignError("[parameters]: a Sobol design needs at least two varied parameters")
        if n & (n - 1):
            raise DesignError(f"[design] samples: a Sobol design needs a power of two, got {n}")
        sample = sobol_sample.sample(problem, n, calc_second_order=experiment.second_order, seed=seed)
    elif experiment.method == "morris":
        if len(factors) < 2:
            raise DesignError("[parameters]: a Morris design needs at least two varied parameters")
        sample = morris.sample(problem, n, num_levels=experiment.morris_levels, seed=seed)
    else:  # pragma: no cover - the loader checks the method
        raise DesignError(f"[design] method: unknown method {experiment.method!r}")
    columns = {f.name: _decode(f, sample[:, j]) for j, f in enumerate(factors)}
    points = pd.DataFrame(columns)
    points.index.name = "point_id"
    return Design(points, problem, np.asarray(sample))


def _decode(factor: Factor, column: np.ndarray) -> list[Any]:
    """Turn SALib's numbers into the factor's values."""
    if factor.values is not None:
        index = np.clip(np.floor(column).astype(int), 0, len(factor.values) - 1)
        return [factor.values[i] for i in index]
    assert factor.low is not None and factor.high is not None
    clipped = np.clip(column, factor.low, factor.high)
    if factor.kind is int:
        return [int(round(x)) for x in clipped]
    return [float(x) for x in clipped]


def design_size(experiment: DesignSpec, limit: int) -> int:
    """The number of design points :func:`build_design` would build, counted without building any.

    Args:
        experiment: A validated experiment.
        limit: Stop counting past this many (a grid's product is cut short, so huge levels cost nothing).

    Returns:
        The number of points, or ``limit + 1`` if there are more than ``limit``.
    """
    dims = len(experiment.factors)
    n = experiment.samples or 0
    if experiment.method == "lhs":
        count = n
    elif experiment.method == "sobol":
        count = n * (2 * dims + 2 if experiment.second_order else dims + 2)
    elif experiment.method == "morris":
        count = n * (dims + 1)
    else:
        count = 1
        for factor in experiment.factors:
            count *= _level_count(factor)
            if count > limit:
                break
    return min(count, limit + 1)


def _level_count(factor: Factor) -> int:
    """How many grid levels a factor has (an integer range's levels are rounded, and repeats merged)."""
    if factor.values is not None:
        return len(factor.values)
    assert factor.low is not None and factor.high is not None and factor.levels is not None
    if factor.kind is int:
        if factor.levels <= _EXACT_LEVELS:
            return len(_grid_levels(factor))
        # more levels than integers in the range: the rounded levels are every integer in it
        return min(factor.levels, int(round(factor.high)) - int(round(factor.low)) + 1)
    return factor.levels


_EXACT_LEVELS = 1_000_000
"""Integer ranges up to this many levels are rounded and counted exactly (an 8 MB array at most)."""
