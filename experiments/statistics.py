"""The estimators the summaries and the figures share: Wilson intervals, Kaplan-Meier, replicate noise.

Pure functions of numbers and run tables, with no file, plot or experiment
inside, each citing what it computes:

- :func:`wilson_interval`: the Wilson score interval of a proportion (Wilson
  1927; Brown, Cai and DasGupta 2001), which stays inside [0, 1] and behaves
  at 0 and n.
- :func:`kaplan_meier` and :func:`km_quantile`: the product-limit estimate of
  a survival function and its quantiles (Kaplan and Meier 1958).
- :func:`ceasefire_times` and :func:`ceasefire_durations`: the censored
  times those estimates are taken of. Time to the first ceasefire is
  right-censored at the horizon: a run with no ceasefire by then (whether
  the war went on or ended in victory) is censored at ``max_rounds``, so
  ``1 - S(t)`` is the share of runs with a ceasefire by round ``t``. A first
  ceasefire's duration is the rounds until it broke down, censored when the
  run ended with it still holding (at the horizon, or as a settlement).
- :func:`noise_share`: how much of a sampled design's response variance is
  replicate noise, the floor under its total Sobol indices.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

Z95 = 1.959963984540054
"""The standard normal quantile of a two-sided 95% interval."""


def wilson_interval(successes: Any, n: Any, z: float = Z95) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval of a binomial proportion.

    ``(p + z^2/2n -+ z sqrt(p(1-p)/n + z^2/4n^2)) / (1 + z^2/n)`` with ``p = k/n``
    (Wilson 1927).

    Args:
        successes: Number of successes ``k`` (scalar or array).
        n: Number of trials (scalar or array); NaN where ``n`` is 0.
        z: Normal quantile (1.96 for 95%).

    Returns:
        Lower and upper bounds.
    """
    k = np.asarray(successes, dtype=float)
    m = np.asarray(n, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = k / m
        denom = 1.0 + z**2 / m
        centre = (p + z**2 / (2 * m)) / denom
        half = z * np.sqrt(p * (1 - p) / m + z**2 / (4 * m**2)) / denom
    # at k = 0 and k = n the bounds are exactly 0 and 1; clip away rounding noise
    lo = np.where(m > 0, np.where(k <= 0, 0.0, np.clip(centre - half, 0.0, 1.0)), np.nan)
    hi = np.where(m > 0, np.where(k >= m, 1.0, np.clip(centre + half, 0.0, 1.0)), np.nan)
    return lo, hi


def kaplan_meier(times: Sequence[float] | np.ndarray, events: Sequence[bool] | np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The Kaplan-Meier estimate of a survival function.

    ``S(t) = prod_{t_i <= t} (1 - d_i / n_i)`` over the distinct event times
    ``t_i``, with ``d_i`` events at ``t_i`` and ``n_i`` subjects still at risk
    (time ``>= t_i``); censored subjects leave the risk set after their time
    (Kaplan and Meier 1958).

    Args:
        times: Time of the event or of censoring, per subject.
        events: True where the event was observed, False where censored.

    Returns:
        The distinct event times and ``S`` just after each (a step function
        that is 1 before the first). Both are empty if there is no event.

    Raises:
        ValueError: If ``times`` and ``events`` differ in length.
    """
    t = np.asarray(times, dtype=float)
    e = np.asarray(events, dtype=bool)
    if t.shape != e.shape:
        raise ValueError(f"times and events differ in length: {t.shape} and {e.shape}")
    event_times = np.unique(t[e])
    if event_times.size == 0:
        return event_times, np.ones(0)
    at_risk = np.array([(t >= u).sum() for u in event_times], dtype=float)
    deaths = np.array([(t[e] == u).sum() for u in event_times], dtype=float)
    return event_times, np.cumprod(1.0 - deaths / at_risk)


def km_quantile(event_times: np.ndarray, survival: np.ndarray, q: float) -> float:
    """The time by which a share ``q`` of subjects had the event (``S(t) <= 1 - q``).

    Args:
        event_times: From :func:`kaplan_meier`.
        survival: From :func:`kaplan_meier`.
        q: The share, in (0, 1).

    Returns:
        The smallest event time with ``S <= 1 - q``; NaN if the curve never gets there.
    """
    reached = np.nonzero(survival <= 1.0 - q + 1e-12)[0]
    return float(event_times[reached[0]]) if reached.size else float("nan")


def ceasefire_times(runs: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Time to the first ceasefire of each run, censored at the run's horizon.

    Args:
        runs: Run rows with ``first_ceasefire_round`` and ``max_rounds``.

    Returns:
        The round of the first ceasefire (``max_rounds`` where there was
        none) and whether there was one (the event), per run.
    """
    first = runs["first_ceasefire_round"].astype(float)
    events = first.notna().to_numpy()
    times = first.fillna(runs["max_rounds"].astype(float)).to_numpy()
    return times, events


def ceasefire_durations(runs: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """How long each run's first ceasefire held, censored at the run's end; runs without one are left out.

    Args:
        runs: Run rows with ``first_ceasefire_round``, ``first_breakdown_round`` and ``rounds``.

    Returns:
        The rounds from the first ceasefire to its breakdown (or to the run's
        end) and whether it broke down (the event), per run that had one.
    """
    had = runs[runs["first_ceasefire_round"].notna()]
    start = had["first_ceasefire_round"].astype(float)
    broke = had["first_breakdown_round"].notna().to_numpy()
    end = had["first_breakdown_round"].astype(float).fillna(had["rounds"].astype(float))
    return (end - start).to_numpy(), broke


def noise_share(values: pd.Series, point_ids: pd.Series) -> float:
    """Share of the variance of the design points' means that is replicate noise.

    The response of a Sobol design is each point's mean over its ``R``
    replicates, ``f(x_i) + e_i`` with ``Var(e_i) = s_i^2 / R``. Jansen's
    estimator of a total index averages squared differences of two points'
    responses, so the noise adds about ``mean(s_i^2 / R) / Var(y)`` to every
    total index (and to nothing else). That ratio is returned; it is the floor
    below which a total index cannot be told from noise.

    Args:
        values: One outcome value per run.
        point_ids: The design point of each run.

    Returns:
        The noise share, in [0, 1] (0 with one replicate per point, where it cannot be estimated).
    """
    grouped = values.groupby(point_ids)
    counts = grouped.count()
    if (counts < 2).all():
        return 0.0
    noise = float((grouped.var(ddof=1) / counts).mean())
    total = float(np.var(grouped.mean().to_numpy(dtype=float)))
    return min(1.0, noise / total) if total > 0 else 0.0
