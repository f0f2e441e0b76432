"""Figures of a results folder (matplotlib, Agg backend, PNG).

- ``heatmap.png``: outcome shares over the two factors named in ``[report]
  heatmap``, averaged over the other factors.
- ``heatmap_timing_terms.png``: over the same two factors, pooling the runs
  of the other factors, the timing and the terms of a negotiated end: the
  Kaplan-Meier median round of the first ceasefire, and for each step of the
  plan the mean terms of the negotiated ends that agreed it (0 is Russia's
  demand, 1 Ukraine's).
- ``km_first_ceasefire.png``: Kaplan-Meier share of runs with a ceasefire by
  round t (``1 - S(t)``, censored at the horizon), one curve per level of
  ``[report] group``.
- ``km_ceasefire_survival.png``: Kaplan-Meier survival of the first
  ceasefire (rounds until breakdown), one curve per group level.
- ``sensitivity.png``: Sobol first-order and total indices with 95%
  intervals, or Morris ``mu*`` with its interval.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")  # files only: no display needed, safe in workers and CI

import matplotlib.pyplot as plt  # noqa: E402 - the backend must be chosen first
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from experiments import store  # noqa: E402
from experiments.spec import Experiment  # noqa: E402
from experiments.statistics import ceasefire_durations, ceasefire_times, kaplan_meier, km_quantile  # noqa: E402
from model import STEP_ISSUES, Step  # noqa: E402
from model.files import atomic_write  # noqa: E402

HEATMAP_PANELS: tuple[tuple[str, str], ...] = (
    ("p_negotiated", "P(negotiated end)"),
    ("p_settlement", "P(settlement)"),
    ("p_victory_russia", "P(Russian victory)"),
    ("p_victory_ukraine", "P(Ukrainian victory)"),
    ("p_war", "P(war at the horizon)"),
)


def _save(fig: Any, path: Path) -> None:
    atomic_write(path, lambda tmp: fig.savefig(tmp, dpi=110, bbox_inches="tight", format="png"))
    plt.close(fig)


def draw_all(out_dir: Path, experiment: Experiment, runs: pd.DataFrame, summary: pd.DataFrame, indices: pd.DataFrame) -> list[Path]:
    """Draw every figure that applies to the experiment.

    Args:
        out_dir: The results folder.
        experiment: The experiment.
        runs: Its saved runs.
        summary: Its summary table.
        indices: Its sensitivity indices (empty if none).

    Returns:
        The files written.
    """
    written: list[Path] = []
    if len(experiment.report.heatmap) == 2:
        x, y = experiment.report.heatmap
        written.append(heatmap(summary, x, y, out_dir / "heatmap.png", experiment.name))
        written.append(heatmap_timing_terms(runs, x, y, out_dir / "heatmap_timing_terms.png", experiment.name))
    group = experiment.report.group or None
    ok = runs[runs["error"].isna()]
    written.append(km_first_ceasefire(ok, group, out_dir / "km_first_ceasefire.png", experiment.name))
    written.append(km_ceasefire_survival(ok, group, out_dir / "km_ceasefire_survival.png", experiment.name))
    if not indices.empty:
        written.append(sensitivity_plot(indices, out_dir / "sensitivity.png", experiment.name))
    return written


def heatmap(summary: pd.DataFrame, x: str, y: str, path: Path, title: str) -> Path:
    """Outcome shares over two factors, averaged over the others.

    Args:
        summary: The summary table.
        x: Factor on the horizontal axis.
        y: Factor on the vertical axis.
        path: Where to write the PNG.
        title: The figure's title.

    Returns:
        ``path``.
    """
    others = [c for c in summary.columns if c not in (x, y)]
    fig, axes = plt.subplots(1, len(HEATMAP_PANELS), figsize=(4.2 * len(HEATMAP_PANELS), 3.8), constrained_layout=True)
    for ax, (column, label) in zip(np.atleast_1d(axes), HEATMAP_PANELS, strict=False):
        grid = summary.pivot_table(index=y, columns=x, values=column, aggfunc="mean").sort_index(ascending=False)
        image = ax.imshow(grid.to_numpy(dtype=float), vmin=0.0, vmax=1.0, cmap="viridis", aspect="auto")
        ax.set_xticks(range(grid.shape[1]), [_label(v) for v in grid.columns], rotation=45)
        ax.set_yticks(range(grid.shape[0]), [_label(v) for v in grid.index])
        ax.set_xlabel(x)
        ax.set_ylabel(y)
        ax.set_title(label)
        for (i, j), value in np.ndenumerate(grid.to_numpy(dtype=float)):
            if np.isfinite(value):
                ax.text(j, i, f"{value:.2f}", ha="center", va="center", fontsize=7, color="white" if value < 0.6 else "black")
    fig.colorbar(image, ax=axes, shrink=0.8, label="share of runs")
    averaged = [c for c in others if c in _factor_like(summary, x, y)]
    note = f" (averaged over {', '.join(averaged)})" if averaged else ""
    fig.suptitle(f"{title}: outcome shares{note}")
    _save(fig, path)
    return path


def _label(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _grid_panel(ax: Any, grid: pd.DataFrame, x: str, y: str, title: str, cmap: str, vmax: float, fmt: str) -> Any:
    """Draw one heatmap panel (rows: ``y`` levels, top to bottom; columns: ``x`` levels); NaN cells stay blank."""
    values = grid.to_numpy(dtype=float)
    image = ax.imshow(np.ma.masked_invalid(values), vmin=0.0, vmax=vmax, cmap=cmap, aspect="auto")
    ax.set_facecolor("#eeeeee")
    ax.set_xticks(range(grid.shape[1]), [_label(v) for v in grid.columns], rotation=45)
    ax.set_yticks(range(grid.shape[0]), [_label(v) for v in grid.index])
    ax.set_xlabel(x)
    ax.set_ylabel(y)
    ax.set_title(title, fontsize=9)
    for (i, j), value in np.ndenumerate(values):
        text = fmt.format(value) if np.isfinite(value) else "–"
        ax.text(j, i, text, ha="center", va="center", fontsize=7, color="grey" if not np.isfinite(value) else "black",
                bbox=None if not np.isfinite(value) else {"facecolor": "white", "alpha": 0.55, "lw": 0, "pad": 0.6})
    return image


def heatmap_timing_terms(runs: pd.DataFrame, x: str, y: str, path: Path, title: str) -> Path:
    """Timing and terms of a negotiated end over two factors, pooling the runs of the other factors.

    Panels: the Kaplan-Meier median round of the first ceasefire (censored
    at the horizon; blank where fewer than half the runs reach one), and
    for each step of the plan the mean terms of the negotiated ends that
    agreed it (each run's mean over the step's agreed issues; blank where no
    negotiated end agreed the step).

    Args:
        runs: Saved runs (failed runs are left out).
        x: Factor on the horizontal axis.
        y: Factor on the vertical axis.
        path: Where to write the PNG.
        title: The figure's title.

    Returns:
        ``path``.
    """
    ok = runs[runs["error"].isna()]
    grid = _cell_grid(ok, x, y)
    step_terms = _step_terms(ok)
    horizon = float(ok["max_rounds"].max()) if len(ok) else 1.0
    n_panels = 1 + len(STEP_ISSUES)
    fig, axes = plt.subplots(1, n_panels, figsize=(4.2 * n_panels, 3.9), constrained_layout=True)
    axes = np.atleast_1d(axes)
    timing = _grid_panel(
        axes[0], grid(_median_round), x, y, "median round of the first ceasefire\n(Kaplan-Meier; – : under half reach one)",
        "magma_r", horizon, "{:.0f}",
    )
    fig.colorbar(timing, ax=axes[0], shrink=0.8, label="round (week)")
    _terms_panels(fig, axes[1:], grid, step_terms, x, y)
    averaged = [c for c in ok.columns if c not in (x, y) and c in store.factor_columns(ok)]
    note = f" (pooled over {', '.join(averaged)})" if averaged else ""
    fig.suptitle(f"{title}: when a ceasefire comes and the terms of negotiated ends{note}")
    _save(fig, path)
    return path


_Grid = Callable[[Callable[[pd.DataFrame], float]], pd.DataFrame]


def _cell_grid(ok: pd.DataFrame, x: str, y: str) -> _Grid:
    """A function from a per-cell statistic (of the runs at one ``(x, y)``) to its grid; cells without runs are NaN."""
    xs = sorted(ok[x].unique())
    ys = sorted(ok[y].unique(), reverse=True)
    cells = {key: part for key, part in ok.groupby([y, x], sort=False)}

    def grid(value: Callable[[pd.DataFrame], float]) -> pd.DataFrame:
        table = [[value(cells[(yv, xv)]) if (yv, xv) in cells else np.nan for xv in xs] for yv in ys]
        return pd.DataFrame(table, index=ys, columns=xs, dtype=float)

    return grid


def _median_round(part: pd.DataFrame) -> float:
    """Kaplan-Meier median round of the first ceasefire of some runs (NaN if under half reach one)."""
    t, s = kaplan_meier(*ceasefire_times(part))
    return km_quantile(t, s, 0.5)


def _step_terms(ok: pd.DataFrame) -> dict[Step, pd.Series | None]:
    """Per step, each run's terms: its mean over the step's issues it agreed, for negotiated ends only (``None``: no column)."""
    negotiated = ok["kind"].isin(["settlement", "ceasefire"])
    step_terms: dict[Step, pd.Series | None] = {}
    for step, issues in STEP_ISSUES.items():
        columns = [f"term_{issue}" for issue in issues if f"term_{issue}" in ok.columns]
        step_terms[step] = ok[columns].astype(float).mean(axis=1).where(negotiated) if columns else None
    return step_terms


def _mean_of(terms: pd.Series) -> Callable[[pd.DataFrame], float]:
    """The mean of ``terms`` over some runs (NaN where none has terms)."""
    return lambda part: float(terms.loc[part.index].mean())


def _terms_panels(fig: Any, axes: np.ndarray, grid: _Grid, step_terms: dict[Step, pd.Series | None], x: str, y: str) -> None:
    """One panel per step of the mean terms of the negotiated ends that agreed it, and their colour bar."""
    image = None
    for ax, (step, issues) in zip(axes, STEP_ISSUES.items(), strict=True):
        terms = step_terms[step]
        name = step.name.lower().replace("_", " ")
        label = f"mean terms, step {int(step)} ({name}):\n{', '.join(issues)}"
        if terms is None:
            ax.set_axis_off()
            continue
        values = grid(_mean_of(terms))
        image = _grid_panel(ax, values, x, y, label, "RdBu", 1.0, "{:.2f}")
        if values.isna().all().all():
            ax.text(0.5, 0.5, "no negotiated end\nagreed this step", ha="center", va="center", transform=ax.transAxes,
                    fontsize=9, bbox={"facecolor": "white", "alpha": 0.8, "lw": 0})
    if image is not None:
        fig.colorbar(image, ax=axes.tolist(), shrink=0.8, label="0 Russia's demand … 1 Ukraine's")


def _factor_like(summary: pd.DataFrame, x: str, y: str) -> list[str]:
    """Columns of the summary before ``n``: the varied parameters."""
    cols = list(summary.columns)
    end = cols.index("n") if "n" in cols else len(cols)
    return [c for c in cols[:end] if c not in ("point_id", x, y)]


def _groups(runs: pd.DataFrame, group: str | None) -> list[tuple[str, pd.DataFrame]]:
    if group is None:
        return [("all runs", runs)]
    return [(f"{group} = {level}", part) for level, part in runs.groupby(group, sort=True)]


def _step(ax: Any, times: np.ndarray, events: np.ndarray, label: str, horizon: float, incidence: bool) -> None:
    t, s = kaplan_meier(times, events)
    xs = np.concatenate([[0.0], t, [horizon]])
    ys = np.concatenate([[1.0], s, [s[-1] if s.size else 1.0]])
    if incidence:
        ys = 1.0 - ys
    ax.step(xs, ys, where="post", label=f"{label} (n={len(times)})")


def km_first_ceasefire(runs: pd.DataFrame, group: str | None, path: Path, title: str) -> Path:
    """Kaplan-Meier share of runs with a first ceasefire by round t, per group.

    Args:
        runs: Successful runs.
        group: The factor whose levels get one curve each (``None``: one curve).
        path: Where to write the PNG.
        title: The figure's title.

    Returns:
        ``path``.
    """
    axes = ("round (week)", "share with a ceasefire by round t", 1.0)
    heading = f"{title}: time to first ceasefire (Kaplan-Meier, censored at the horizon)"
    return _km_figure(runs, group, path, ceasefire_times, axes, heading, incidence=True)


def km_ceasefire_survival(runs: pd.DataFrame, group: str | None, path: Path, title: str) -> Path:
    """Kaplan-Meier survival of the first ceasefire (rounds until breakdown), per group.

    Args:
        runs: Successful runs.
        group: The factor whose levels get one curve each (``None``: one curve).
        path: Where to write the PNG.
        title: The figure's title.

    Returns:
        ``path``.
    """
    axes = ("rounds since the first ceasefire", "share of first ceasefires still holding", 1.02)
    heading = f"{title}: ceasefire survival (Kaplan-Meier, censored at the run's end)"
    return _km_figure(runs, group, path, ceasefire_durations, axes, heading, incidence=False)


def _km_figure(
    runs: pd.DataFrame,
    group: str | None,
    path: Path,
    subjects: Callable[[pd.DataFrame], tuple[np.ndarray, np.ndarray]],
    axes: tuple[str, str, float],
    heading: str,
    incidence: bool,
) -> Path:
    """One Kaplan-Meier curve of ``subjects(part)`` (times, events) per group.

    ``incidence``: draw ``1 - S(t)`` for every group. Otherwise draw ``S(t)``
    for the groups with any subject, and say so when none has one.
    """
    xlabel, ylabel, top = axes
    fig, ax = plt.subplots(figsize=(6.5, 4.2), constrained_layout=True)
    horizon = float(runs["max_rounds"].max()) if len(runs) else 1.0
    drawn = 0
    for label, part in _groups(runs, group):
        times, events = subjects(part)
        if incidence or times.size:
            _step(ax, times, events, label, horizon, incidence=incidence)
            drawn += 1
    if not incidence and not drawn:
        ax.text(0.5, 0.5, "no ceasefire in any run", ha="center", va="center", transform=ax.transAxes)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_ylim(0, top)
    ax.set_title(heading, fontsize=9)
    if incidence or drawn:
        ax.legend(fontsize=7)
    _save(fig, path)
    return path


def sensitivity_plot(indices: pd.DataFrame, path: Path, title: str) -> Path:
    """Sobol S1 and ST (or Morris mu*) per parameter and outcome, with 95% intervals.

    Args:
        indices: From :func:`experiments.analysis.sensitivity`.
        path: Where to write the PNG.
        title: The figure's title.

    Returns:
        ``path``.
    """
    outcomes = list(dict.fromkeys(indices["outcome"]))
    height = 0.4 * indices["parameter"].nunique() + 1.8
    fig, axes = plt.subplots(1, len(outcomes), figsize=(5.5 * len(outcomes), height), constrained_layout=True, squeeze=False)
    for ax, outcome in zip(axes[0], outcomes, strict=True):
        part = indices[indices["outcome"] == outcome]
        y = np.arange(len(part))
        if "S1" in part:
            ax.barh(y - 0.2, part["S1"], height=0.4, xerr=part["S1_conf"], label="first order S1", capsize=2)
            ax.barh(y + 0.2, part["ST"], height=0.4, xerr=part["ST_conf"], label="total ST", capsize=2)
            if "noise" in part and float(part["noise"].iloc[0]) > 0:
                # replicate noise inflates every total index by about this much
                ax.axvline(float(part["noise"].iloc[0]), color="black", ls="--", lw=1, label="replicate noise")
            ax.set_xlabel("Sobol index (95% bootstrap interval)")
        else:
            ax.barh(y, part["mu_star"], xerr=part["mu_star_conf"], label="mu*", capsize=2)
            ax.set_xlabel("Morris mu* (95% interval)")
        ax.set_yticks(y, list(part["parameter"]))
        ax.invert_yaxis()
        ax.axvline(0, color="grey", lw=0.5)
        ax.set_title(outcome)
        ax.legend(fontsize=7)
    fig.suptitle(f"{title}: {'Sobol' if 'S1' in indices else 'Morris'} indices per outcome")
    _save(fig, path)
    return path
