"""The estimators the summaries and the figures share, from maintained libraries where one exists.

Pure functions of numbers and run tables, with no file, plot or experiment
inside, each citing what it computes:

- :func:`wilson_interval`: the Wilson score interval of a proportion (Wilson
  1927; Brown, Cai and DasGupta 2001), from statsmodels' ``proportion_confint``.
- :func:`mean_interval`: a mean with its Student-t 95% interval (statsmodels'
  ``DescrStatsW``).
- :func:`kaplan_meier`, :func:`km_quantile`, :func:`km_median_interval`: the
  product-limit estimate of a survival function with its pointwise 95% band
  (Kaplan and Meier 1958; lifelines' ``KaplanMeierFitter``, exponential
  Greenwood band), its quantiles and the interval of its median
  (Brookmeyer and Crowley 1982).
- :func:`restricted_mean`: the restricted mean survival time up to a horizon
  (Royston and Parmar 2013; lifelines' ``restricted_mean_survival_time``),
  with its Greenwood standard error.
- :func:`cumulative_incidence`: the Aalen-Johansen cumulative incidence of one
  of several competing ends (Aalen and Johansen 1978; lifelines'
  ``AalenJohansenFitter``).
- :func:`end_events`, :func:`negotiated_end_times`, :func:`ceasefire_times`
  and :func:`ceasefire_durations`: the censored times those estimates are
  taken of (below).
- :func:`noise_share`: how much of a sampled design's response variance is
  replicate noise, the floor under its total Sobol indices.

The times. A run's *first negotiated end* is its first ceasefire, or the
settlement it reached without one (a package deal settles at once), whichever
came first; a ceasefire that later broke down still counts at its round. A
run that neither negotiated nor was won is right-censored at the rounds it ran
(the horizon, in practice). A military victory *competes*: a run won before any
negotiated end never has one. The Kaplan-Meier curve of the time to the first
negotiated end therefore holds a won run in the risk set to its horizon (the
risk set of Fine and Gray 1999), so that ``1 - S(t)`` is the share of runs with
a negotiated end by round ``t``; with censoring only at the horizon this is
exactly the Aalen-Johansen cumulative incidence, with the victories as the
competing ends (``tests/test_experiments_statistics.py`` checks it). Censoring a
won run at its victory instead would estimate the time to a negotiated end in a
war nobody can win, and overstate the share that negotiates (Putter, Fiocco and
Geskus 2007). The time to the first ceasefire is censored at the horizon in the
same way: ``1 - S(t)`` is the share of runs with a ceasefire by round ``t``. A
first ceasefire's duration is the rounds until it broke down, censored when the
run ended with it still holding (at the horizon, or as a settlement).

Two small pieces stay hand-written, each for a reason given where it is: the
slack in reading a quantile off a curve lifelines computes as
``exp(sum(log(...)))``, and the deterministic order of tied ends handed to the
Aalen-Johansen fitter, in place of its random jitter.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from enum import IntEnum
from statistics import NormalDist
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from lifelines import AalenJohansenFitter, KaplanMeierFitter

# lifelines and statsmodels are imported inside the functions that use them: they take about two seconds to
# import, and every worker process and every command of the command line imports this package, never to estimate

ALPHA = 0.05
"""One minus the coverage of every interval here (95%)."""

_LEVEL_SLACK = 1e-9
"""lifelines computes a Kaplan-Meier curve as ``exp(cumsum(log(1 - d/n)))``, so a
curve that is exactly 0.75 can read 0.7500000000000001 and be taken not to reach
0.75; a quantile is read with this much slack (far below any ``1/n``)."""

_TIE_STEP = 1e-6
"""How far before the round a competing end is put, per cause code, so ends of
different causes in one round reach the Aalen-Johansen fitter in a fixed order
(far below a round, the unit of time)."""


class EndCause(IntEnum):
    """How a run's wait for a negotiated end stops: lifelines' event codes (0 is censoring)."""

    CENSORED = 0
    NEGOTIATED = 1
    VICTORY_RUSSIA = 2
    VICTORY_UKRAINE = 3


# ----------------------------------------------------------------------
# Proportions and means
# ----------------------------------------------------------------------
def wilson_interval(successes: Any, n: Any, alpha: float = ALPHA) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval of a binomial proportion (statsmodels' ``proportion_confint(method="wilson")``).

    ``(p + z^2/2n -+ z sqrt(p(1-p)/n + z^2/4n^2)) / (1 + z^2/n)`` with ``p = k/n``
    (Wilson 1927): it stays inside [0, 1] and keeps its coverage near 0 and n.

    Args:
        successes: Number of successes ``k`` (scalar or array).
        n: Number of trials (scalar or array); the bounds are NaN where ``n`` is 0.
        alpha: One minus the coverage (0.05 for 95%).

    Returns:
        Lower and upper bounds, as arrays of the inputs' broadcast shape.
    """
    k, m = np.broadcast_arrays(np.asarray(successes, dtype=float), np.asarray(n, dtype=float))
    lo = np.full(k.shape, np.nan)
    hi = np.full(k.shape, np.nan)
    some = m > 0  # statsmodels divides by n
    if some.any():
        from statsmodels.stats.proportion import proportion_confint

        low, high = proportion_confint(k[some], m[some], alpha=alpha, method="wilson")
        # exactly 0 at k = 0 and 1 at k = n, whatever the rounding
        lo[some] = np.where(k[some] <= 0, 0.0, np.clip(low, 0.0, 1.0))
        hi[some] = np.where(k[some] >= m[some], 1.0, np.clip(high, 0.0, 1.0))
    return lo, hi


def mean_interval(values: Sequence[float] | np.ndarray | pd.Series, alpha: float = ALPHA) -> tuple[float, float, float, int]:
    """A mean with its Student-t interval (statsmodels' ``DescrStatsW.tconfint_mean``), NaN left out.

    Args:
        values: The observations.
        alpha: One minus the coverage.

    Returns:
        The mean, the interval's bounds and the number of observations; the
        mean is NaN with none, the bounds NaN with fewer than two.
    """
    x = np.asarray(values, dtype=float)
    x = x[np.isfinite(x)]
    if x.size == 0:
        return float("nan"), float("nan"), float("nan"), 0
    if x.size < 2:
        return float(x[0]), float("nan"), float("nan"), 1
    from statsmodels.stats.weightstats import DescrStatsW

    lo, hi = DescrStatsW(x).tconfint_mean(alpha=alpha)
    return float(x.mean()), float(lo), float(hi), int(x.size)


# ----------------------------------------------------------------------
# Kaplan-Meier
# ----------------------------------------------------------------------
def kaplan_meier(
    times: Sequence[float] | np.ndarray, events: Sequence[bool] | np.ndarray, label: str = "KM_estimate", alpha: float = ALPHA
) -> KaplanMeierFitter:
    """The Kaplan-Meier estimate of a survival function, with its pointwise band (lifelines).

    ``S(t) = prod_{t_i <= t} (1 - d_i / n_i)`` over the distinct event times
    ``t_i``, with ``d_i`` events at ``t_i`` and ``n_i`` subjects still at risk
    (time ``>= t_i``); censored subjects leave the risk set after their time
    (Kaplan and Meier 1958). The band is Greenwood's variance on the
    ``log(-log S)`` scale (Kalbfleisch and Prentice 1980).

    Args:
        times: Time of the event or of censoring, per subject.
        events: True where the event was observed, False where censored.
        label: The curve's name (its legend entry).
        alpha: One minus the band's coverage.

    Returns:
        The fitted ``KaplanMeierFitter``: ``survival_function_``,
        ``confidence_interval_survival_function_``, ``event_table``, ``plot...``.

    Raises:
        ValueError: If ``times`` and ``events`` differ in length or are empty.
    """
    from lifelines import KaplanMeierFitter

    t = np.asarray(times, dtype=float)
    e = np.asarray(events, dtype=bool)
    if t.shape != e.shape:
        raise ValueError(f"times and events differ in length: {t.shape} and {e.shape}")
    if t.size == 0:
        raise ValueError("no subjects: a Kaplan-Meier curve needs at least one time")
    return KaplanMeierFitter(alpha=alpha).fit(t, event_observed=e, label=label)


def _crossing(curve: pd.Series, level: float) -> float:
    """The first time a non-increasing curve is at or below ``level`` (NaN if never), with :data:`_LEVEL_SLACK`."""
    from lifelines.utils import qth_survival_time

    time = qth_survival_time(min(1.0, level + _LEVEL_SLACK), curve)
    return float(time) if np.isfinite(time) else float("nan")


def km_quantile(fitter: KaplanMeierFitter, q: float) -> float:
    """The time by which a share ``q`` of subjects had the event: the first ``t`` with ``S(t) <= 1 - q``.

    Args:
        fitter: From :func:`kaplan_meier`.
        q: The share, in (0, 1).

    Returns:
        The time; NaN if the curve never gets there ("not reached").
    """
    return _crossing(fitter.survival_function_.iloc[:, 0], 1.0 - q)


def km_median_interval(fitter: KaplanMeierFitter) -> tuple[float, float]:
    """The 95% interval of the Kaplan-Meier median: where the pointwise band crosses one half.

    The lower band reaches 0.5 first, the upper last (Brookmeyer and Crowley
    1982, with lifelines' log-log band in place of theirs).

    Args:
        fitter: From :func:`kaplan_meier`.

    Returns:
        Lower and upper bound; the upper is NaN when the upper band never falls to one half (an open interval).
    """
    band = fitter.confidence_interval_survival_function_
    lower = band.min(axis=1)
    upper = band.max(axis=1)
    return _crossing(lower, 0.5), _crossing(upper, 0.5)


def restricted_mean(fitter: KaplanMeierFitter, horizon: float) -> tuple[float, float]:
    """The restricted mean survival time up to ``horizon``, and its standard error.

    ``RMST(tau) = integral_0^tau S(t) dt`` (lifelines'
    ``restricted_mean_survival_time``), the mean of ``min(T, tau)`` (Royston
    and Parmar 2013). Its variance is Greenwood's,
    ``sum_{t_i <= tau} A_i^2 d_i / (n_i (n_i - d_i))`` with
    ``A_i = integral_{t_i}^tau S(t) dt`` (Klein and Moeschberger 2003, 4.5);
    lifelines' own ``return_variance`` is the variance of ``min(T, tau)``
    itself, not of its estimate, so it is not used.

    Args:
        fitter: From :func:`kaplan_meier`.
        horizon: ``tau``.

    Returns:
        The RMST and its standard error.
    """
    from lifelines.utils import restricted_mean_survival_time

    with warnings.catch_warnings():
        # exact for a step function: lifelines warns that it integrates the curve it has
        warnings.simplefilter("ignore")
        rmst = float(restricted_mean_survival_time(fitter, t=horizon))
    curve = fitter.survival_function_.iloc[:, 0]
    table = fitter.event_table
    times = curve.index.to_numpy(dtype=float)
    s = curve.to_numpy(dtype=float)
    # area under S from each time to the horizon: S is constant on [times[j], times[j+1])
    edges = np.minimum(np.append(times, horizon), horizon)
    pieces = s * np.diff(edges)
    after = pieces[::-1].cumsum()[::-1]  # area from times[j] to the horizon
    d = table["observed"].reindex(curve.index).to_numpy(dtype=float)
    n = table["at_risk"].reindex(curve.index).to_numpy(dtype=float)
    keep = (times <= horizon) & (d > 0) & (n > d)
    variance = float(np.sum(after[keep] ** 2 * d[keep] / (n[keep] * (n[keep] - d[keep]))))
    return rmst, float(np.sqrt(variance))


# ----------------------------------------------------------------------
# Competing ends
# ----------------------------------------------------------------------
def cumulative_incidence(
    times: Sequence[float] | np.ndarray,
    causes: Sequence[int] | np.ndarray,
    cause: int,
    label: str | None = None,
    alpha: float = ALPHA,
) -> AalenJohansenFitter:
    """The Aalen-Johansen cumulative incidence of one cause among competing ones (lifelines).

    ``F_k(t) = sum_{t_i <= t} S(t_i-) d_{k,i} / n_i``, with ``S`` the
    Kaplan-Meier curve of any end (Aalen and Johansen 1978); its band is
    Greenwood-type on the ``log(-log F)`` scale (Collett 2015).

    Ties: lifelines cannot take ends of different causes at one time and
    jitters them at random, reseeding NumPy's global generator. The formula
    gives the same ``F_k`` after the round whatever the order of the round's
    ends, so each competing cause is put :data:`_TIE_STEP` times its code
    before the round instead: a fixed order, the same values at every round,
    and the runs censored in that round still at risk for all of them.

    Args:
        times: Time of each subject's end or censoring.
        causes: Each subject's cause (0: censored), e.g. :class:`EndCause`.
        cause: The cause whose incidence is wanted.
        label: The curve's name.
        alpha: One minus the band's coverage.

    Returns:
        The fitted ``AalenJohansenFitter`` (``cumulative_density_``,
        ``confidence_interval_``; note that lifelines names its two band
        columns the wrong way round, so read them by value).

    Raises:
        ValueError: If ``times`` and ``causes`` differ in length or are empty.
    """
    from lifelines import AalenJohansenFitter

    t = np.asarray(times, dtype=float)
    c = np.asarray(causes, dtype=int)
    if t.shape != c.shape:
        raise ValueError(f"times and causes differ in length: {t.shape} and {c.shape}")
    if t.size == 0:
        raise ValueError("no subjects: a cumulative incidence needs at least one time")
    ordered = t - _TIE_STEP * np.where(c > 0, c - 1, 0)
    fitter = AalenJohansenFitter(alpha=alpha, calculate_variance=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # log(0) in the band before the first end: NaN there
        return fitter.fit(ordered, c, event_of_interest=int(cause), label=label)


def incidence_at(fitter: AalenJohansenFitter, times: Sequence[float] | np.ndarray) -> np.ndarray:
    """A fitted cumulative incidence read at some times (a step function: the last value at or before each).

    Args:
        fitter: From :func:`cumulative_incidence`.
        times: Where to read it.

    Returns:
        ``F_k`` at each time.
    """
    curve = fitter.cumulative_density_.iloc[:, 0]
    at = np.searchsorted(curve.index.to_numpy(dtype=float), np.asarray(times, dtype=float), side="right") - 1
    values = curve.to_numpy(dtype=float)
    return np.where(at >= 0, values[np.clip(at, 0, None)], 0.0)


# ----------------------------------------------------------------------
# The censored times of a run table
# ----------------------------------------------------------------------
def _flag(column: pd.Series, value: str) -> np.ndarray:
    """``column == value`` as plain booleans (missing values are False)."""
    return column.eq(value).fillna(False).to_numpy(dtype=bool)


def end_events(runs: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Each run's competing-risks record: when its wait for a negotiated end stopped, and how.

    Args:
        runs: Run rows with ``kind``, ``winner``, ``rounds`` and ``first_ceasefire_round``.

    Returns:
        Times and :class:`EndCause` codes: the round of the first negotiated
        end (first ceasefire, or the settlement's round when there was no
        ceasefire before it), cause ``NEGOTIATED``; otherwise the round of a
        victory, cause ``VICTORY_RUSSIA`` or ``VICTORY_UKRAINE``; otherwise the
        rounds the run ran, ``CENSORED``.
    """
    rounds = runs["rounds"].astype(float).to_numpy()
    first = runs["first_ceasefire_round"].astype(float).to_numpy()
    settled = np.where(_flag(runs["kind"], "settlement"), rounds, np.nan)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # fmin of two NaNs
        end = np.fmin(first, settled)
    victory = _flag(runs["kind"], "victory")
    cause = np.full(len(runs), int(EndCause.CENSORED))
    cause[victory & _flag(runs["winner"], "russia")] = EndCause.VICTORY_RUSSIA
    cause[victory & _flag(runs["winner"], "ukraine")] = EndCause.VICTORY_UKRAINE
    negotiated = np.isfinite(end)
    cause[negotiated] = EndCause.NEGOTIATED
    return np.where(negotiated, end, rounds), cause


def negotiated_end_times(runs: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Time to the first negotiated end of each run, for a Kaplan-Meier curve whose ``1 - S`` is its incidence.

    A run won before any negotiated end is held to its horizon (it is known
    never to have one); one that neither negotiated nor was won is censored at
    the rounds it ran.

    Args:
        runs: Run rows with ``kind``, ``winner``, ``rounds``, ``max_rounds`` and ``first_ceasefire_round``.

    Returns:
        Times and whether each is a negotiated end (the event), per run.
    """
    times, causes = end_events(runs)
    horizon = runs["max_rounds"].astype(float).to_numpy()
    event = causes == EndCause.NEGOTIATED
    won = (causes == EndCause.VICTORY_RUSSIA) | (causes == EndCause.VICTORY_UKRAINE)
    return np.where(won, horizon, times), event


NEGOTIATED_END_COLUMNS: tuple[str, ...] = (
    "negotiated_end_round_q25",
    "negotiated_end_round_median",
    "negotiated_end_round_median_lo",
    "negotiated_end_round_median_hi",
    "negotiated_end_round_q75",
    "rmst_negotiated_end",
    "rmst_negotiated_end_lo",
    "rmst_negotiated_end_hi",
)
"""What :func:`negotiated_end_summary` reports, in order."""


def negotiated_end_summary(runs: pd.DataFrame, horizon: float, alpha: float = ALPHA) -> dict[str, float]:
    """The timing of the first negotiated end of some runs: Kaplan-Meier quantiles and the restricted mean.

    Args:
        runs: As for :func:`negotiated_end_times` (successful runs only).
        horizon: ``tau`` of the restricted mean.
        alpha: One minus the coverage of the intervals.

    Returns:
        :data:`NEGOTIATED_END_COLUMNS`: the rounds by which a quarter, half
        and three quarters of the runs had a negotiated end (NaN: not
        reached), the median's interval (:func:`km_median_interval`), and the
        restricted mean up to ``horizon`` with its normal interval (clipped to
        ``[0, horizon]``). All NaN for no runs.
    """
    if len(runs) == 0:
        return dict.fromkeys(NEGOTIATED_END_COLUMNS, float("nan"))
    fitter = kaplan_meier(*negotiated_end_times(runs))
    rmst, se = restricted_mean(fitter, horizon)
    z = NormalDist().inv_cdf(1.0 - alpha / 2.0)
    lo, hi = km_median_interval(fitter)
    values = (
        km_quantile(fitter, 0.25),
        km_quantile(fitter, 0.5),
        lo,
        hi,
        km_quantile(fitter, 0.75),
        rmst,
        max(0.0, rmst - z * se),
        min(horizon, rmst + z * se),
    )
    return dict(zip(NEGOTIATED_END_COLUMNS, values))


def restricted_times(runs: pd.DataFrame, horizon: float) -> np.ndarray:
    """Each run's time to its first negotiated end, restricted to ``horizon``: ``min(T, tau)``, ``tau`` when there was none.

    With every run followed to the horizon, the mean of these over a design
    point is its restricted mean (:func:`restricted_mean`); they are the
    per-run values whose spread :func:`noise_share` measures.

    Args:
        runs: As for :func:`negotiated_end_times`.
        horizon: ``tau``.

    Returns:
        One time per run.
    """
    times, events = negotiated_end_times(runs)
    return np.minimum(np.where(events, times, horizon), horizon)


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


# ----------------------------------------------------------------------
# Replicate noise
# ----------------------------------------------------------------------
def noise_share(values: pd.Series, point_ids: pd.Series) -> float:
    """Share of the variance of the design points' means that is replicate noise.

    The response of a Sobol design is each point's mean over its ``R``
    replicates, ``f(x_i) + e_i`` with ``Var(e_i) = s_i^2 / R``. Jansen's
    estimator of a total index averages squared differences of two points'
    responses, so the noise adds about ``mean(s_i^2 / R) / Var(y)`` to every
    total index (and to nothing else). That ratio is returned; it is the floor
    below which a total index cannot be told from noise. (No library computes
    it: SALib takes one response per point and knows nothing of replicates.)

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
