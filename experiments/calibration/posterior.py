"""What a calibration yields: the posterior, its diagnostics, its point estimate and its predictive checks.

The posterior is the last generation's particles and weights. The point
estimate is each parameter's weighted median, and the credible interval its
weighted 5% and 95% quantiles. The posterior predictive draws particles by
weight and runs each once with a fresh seed. A statistic passes its check
when the record lies inside the central 90% of its predictive distribution:
between the 5% and 95% quantiles for a continuous one, and with a predictive
probability of at least 5% for a 0-or-1 one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from experiments.calibration.smc import model_values
from experiments.calibration.summaries import Path, play, summarise_path
from experiments.calibration.targets import Statistic, Targets
from model import Scenario

CENTRAL = 0.90
"""The predictive interval the record must fall in."""


def posterior_frame(history: Any) -> pd.DataFrame:
    """The last generation's particles: one column per model parameter and ``weight`` (summing to 1)."""
    frame, weights = history.get_distribution(m=0, t=history.max_t)
    out = pd.DataFrame([model_values(row) for row in frame.to_dict("records")])
    out["weight"] = np.asarray(weights, dtype=float) / float(np.sum(weights))
    return out


def diagnostics_frame(history: Any) -> pd.DataFrame:
    """One row per generation: epsilon, runs, accepted particles, acceptance rate and effective sample size."""
    import pyabc

    populations = history.get_all_populations()
    populations = populations[populations["t"] >= 0].reset_index(drop=True)
    rows = []
    for _, pop in populations.iterrows():
        t = int(pop["t"])
        _, weights = history.get_distribution(m=0, t=t)
        n = len(weights)
        rows.append({
            "generation": t,
            "epsilon": float(pop["epsilon"]),
            "runs": int(pop["samples"]),
            "particles": n,
            "acceptance_rate": n / float(pop["samples"]) if pop["samples"] else float("nan"),
            "effective_sample_size": float(pyabc.weighted_statistics.effective_sample_size(weights)),
        })
    return pd.DataFrame(rows)


def weighted_quantile(values: np.ndarray, weights: np.ndarray, q: float) -> float:
    """The ``q`` quantile of a weighted sample (the smallest value whose cumulative weight reaches ``q``)."""
    order = np.argsort(values)
    cumulative = np.cumsum(weights[order]) / np.sum(weights)
    at = min(int(np.searchsorted(cumulative, q)), len(values) - 1)
    return float(values[order][at])


def point_estimate(posterior: pd.DataFrame, parameters: Sequence[str]) -> pd.DataFrame:
    """Each parameter's weighted median and 90% credible interval (columns ``median``, ``low``, ``high``)."""
    w = posterior["weight"].to_numpy()
    rows = []
    for name in parameters:
        x = posterior[name].to_numpy(dtype=float)
        rows.append({"parameter": name, "median": weighted_quantile(x, w, 0.5),
                     "low": weighted_quantile(x, w, (1 - CENTRAL) / 2), "high": weighted_quantile(x, w, (1 + CENTRAL) / 2)})
    return pd.DataFrame(rows).set_index("parameter")


@dataclass(frozen=True)
class Predictive:
    """Runs drawn from the posterior.

    Attributes:
        statistics: One row per run, one column per statistic.
        fronts: The front after every round, one row per run (runs over early keep their last front).
        first_negotiated: Each run's round of the first ceasefire or settlement (NaN: none).
        kinds: How each run ended.
    """

    statistics: pd.DataFrame
    fronts: np.ndarray
    first_negotiated: np.ndarray
    kinds: np.ndarray


def draw_particles(posterior: pd.DataFrame, n: int, rng: np.random.Generator) -> pd.DataFrame:
    """``n`` particles drawn by weight, with replacement (their parameter columns only)."""
    index = rng.choice(len(posterior), size=n, p=posterior["weight"].to_numpy())
    return posterior.drop(columns="weight").iloc[index].reset_index(drop=True)


def predictive(scenario: Scenario, posterior: pd.DataFrame, targets: Targets, n: int, seed: int) -> Predictive:
    """Run ``n`` draws of the posterior, each once, with seeds spawned from ``seed``.

    Args:
        scenario: The calibrated scenario (before the particles' values).
        posterior: The posterior (:func:`posterior_frame`).
        targets: The target file.
        n: Runs.
        seed: Seed of the draws and of the runs.

    Returns:
        The runs' statistics and paths.
    """
    draw_rng, seed_rng = np.random.default_rng(np.random.SeedSequence([seed, 1])).spawn(2)
    particles = draw_particles(posterior, n, draw_rng)
    seeds = seed_rng.integers(0, 2**63 - 1, size=n)
    paths = [play(scenario, {str(k): float(v) for k, v in row.items()}, int(s))
             for (_, row), s in zip(particles.iterrows(), seeds, strict=True)]
    return collect(paths, targets.statistics, max(targets.last_round, int(scenario.values["max_rounds"])))


def collect(paths: Sequence[Path], statistics: Sequence[Statistic], rounds: int) -> Predictive:
    """Gather runs' paths into a :class:`Predictive`, every front padded to ``rounds`` with its last value."""
    stats = pd.DataFrame([summarise_path(p, statistics) for p in paths])
    fronts = np.empty((len(paths), rounds + 1))
    for i, p in enumerate(paths):
        n = min(len(p.front), rounds + 1)
        fronts[i, :n] = p.front[:n]
        fronts[i, n:] = p.front[n - 1]
    first = np.array([np.nan if p.first_negotiated is None else p.first_negotiated for p in paths], dtype=float)
    return Predictive(statistics=stats, fronts=fronts, first_negotiated=first, kinds=np.array([p.kind for p in paths]))


def checks(draws: Predictive, targets: Targets) -> pd.DataFrame:
    """Each statistic's record against its posterior predictive: quantiles, and whether it passes.

    Columns: ``observed``, ``q05``, ``median``, ``q95``, ``p_observed`` (for a 0-or-1 statistic,
    the share of runs equal to the record; NaN otherwise) and ``inside``.
    """
    rows = []
    lo, hi = (1 - CENTRAL) / 2, (1 + CENTRAL) / 2
    for stat in targets.statistics:
        x = draws.statistics[stat.name].to_numpy(dtype=float)
        q05, q50, q95 = np.quantile(x, [lo, 0.5, hi])
        if stat.kind == "negotiated_by":
            p_obs = float(np.mean(x == stat.observed))
            inside = p_obs >= lo
        else:
            p_obs = float("nan")
            inside = bool(q05 <= stat.observed <= q95)
        rows.append({"statistic": stat.name, "observed": stat.observed, "q05": q05, "median": q50, "q95": q95,
                     "p_observed": p_obs, "inside": inside})
    return pd.DataFrame(rows).set_index("statistic")
