"""A calibration's figures: the marginal posteriors, the predictive front with the record over it, P(negotiated end).

Each figure is written as PNG and PDF (the sweeps' formats, :data:`experiments.store.FIGURE_FORMATS`), through a temporary name
(:func:`model.files.atomic_write`), and is narrow enough for a journal column.
"""

from __future__ import annotations

import functools
import textwrap
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from experiments.calibration.posterior import Predictive
from experiments.calibration.targets import Targets
from experiments.store import FIGURE_FORMATS
from model import describe_parameters
from model.files import atomic_write

WIDTH = 6.5
"""Inches: a two-column figure's width (a single panel of 3.25 in fits one column)."""


def _savefig(fig: plt.Figure, fmt: str, tmp: Path) -> None:
    fig.savefig(tmp, dpi=150, bbox_inches="tight", format=fmt)


def _save(fig: plt.Figure, stem: Path) -> list[Path]:
    paths = []
    for fmt in FIGURE_FORMATS:
        path = stem.with_suffix(f".{fmt}")
        atomic_write(path, functools.partial(_savefig, fig, fmt))
        paths.append(path)
    plt.close(fig)
    return paths


def marginals(posterior: pd.DataFrame, targets: Targets, stem: Path) -> list[Path]:
    """Weighted histograms of each calibrated parameter over its prior's range."""
    meaning = {p.name: p.meaning for p in describe_parameters()}
    n = len(targets.priors)
    cols = 2
    rows = (n + cols - 1) // cols
    fig, axes = plt.subplots(rows, cols, figsize=(WIDTH, 2.1 * rows), squeeze=False)
    w = posterior["weight"].to_numpy()
    for ax, prior in zip(axes.flat, targets.priors, strict=False):
        x = posterior[prior.parameter].to_numpy(dtype=float)
        if prior.distribution == "loguniform":
            bins = np.geomspace(prior.low, prior.high, 21)
            ax.set_xscale("log")
        else:
            bins = np.linspace(prior.low, prior.high, 21)
        ax.hist(x, bins=bins, weights=w, color="tab:blue", alpha=0.8, label="posterior")
        ax.axhline(1 / 20, color="grey", lw=1, ls="--", label="prior (uniform)" if prior.distribution == "uniform" else "prior")
        ax.set_title(prior.parameter, fontsize=9)
        ax.set_xlabel(textwrap.fill(meaning.get(prior.parameter, prior.parameter), 48), fontsize=7)
        ax.tick_params(labelsize=7)
        ax.set_ylabel("share", fontsize=7)
    for ax in axes.flat[n:]:
        ax.set_visible(False)
    axes.flat[0].legend(fontsize=7, frameon=False)
    fig.suptitle(f"Posterior of the calibration to {targets.name} ({len(posterior)} particles)", fontsize=10)
    fig.tight_layout()
    return _save(fig, stem)


def predictive_front(draws: Predictive, targets: Targets, stem: Path) -> list[Path]:
    """The posterior predictive front (median, 50% and 90% bands) with the record's observations over it."""
    fronts = 100 * draws.fronts
    weeks = np.arange(fronts.shape[1])
    q = np.quantile(fronts, [0.05, 0.25, 0.5, 0.75, 0.95], axis=0)
    fig, ax = plt.subplots(figsize=(WIDTH * 0.6, 2.6))
    ax.fill_between(weeks, q[0], q[4], color="tab:blue", alpha=0.2, lw=0, label="90% of runs")
    ax.fill_between(weeks, q[1], q[3], color="tab:blue", alpha=0.35, lw=0, label="50% of runs")
    ax.plot(weeks, q[2], color="tab:blue", lw=1.2, label="median")
    rec = [o for o in targets.record if o.round <= weeks[-1]]
    ax.scatter([o.round for o in rec], [100 * o.front for o in rec], color="black", s=14, zorder=3,
               label="record (map-based assessments)")
    for stat in targets.statistics:
        if stat.kind == "front_at":
            r = stat.rounds[0]
            ax.errorbar([r], [100 * stat.observed], yerr=[100 * stat.scale], color="tab:red", capsize=3, lw=1,
                        zorder=4, label="fitted (± scale)" if stat is _first_front(targets) else None)
    ax.set_xlabel(f"week from {targets.start:%d %B %Y}")
    ax.set_ylabel("Russia's share of Ukraine (%)")
    ax.set_title(f"Posterior predictive front ({len(fronts)} runs)", fontsize=10)
    ax.legend(fontsize=7, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return _save(fig, stem)


def _first_front(targets: Targets) -> object:
    return next(s for s in targets.statistics if s.kind == "front_at")


def predictive_negotiated(draws: Predictive, stem: Path, horizon: int) -> list[Path]:
    """P(a ceasefire or settlement by week t) under the posterior predictive, with a 95% band."""
    first = draws.first_negotiated
    n = len(first)
    weeks = np.arange(horizon + 1)
    p = np.array([np.mean(first <= t) for t in weeks])
    half = 1.96 * np.sqrt(p * (1 - p) / n)
    fig, ax = plt.subplots(figsize=(WIDTH * 0.5, 2.4))
    ax.step(weeks, 100 * p, where="post", color="tab:green")
    ax.fill_between(weeks, 100 * np.clip(p - half, 0, 1), 100 * np.clip(p + half, 0, 1), step="post",
                    color="tab:green", alpha=0.25, lw=0)
    ax.set_xlabel("week")
    ax.set_ylabel("P(negotiated end by week) (%)")
    ax.set_ylim(0, max(10.0, 100 * float(p.max()) * 1.2))
    ax.set_title(f"Posterior predictive, {n} runs (record: none)", fontsize=9)
    return _save(fig, stem)
