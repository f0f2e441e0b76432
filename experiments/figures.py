"""Figures of a results folder (matplotlib, Agg backend): each a PNG, with a PDF of the same name beside it.

Every estimate carries its 95% interval and its n; every axis names its
parameter's unit (:attr:`model.parameters.Parameter.unit`). A panel is
:data:`PANEL_WIDTH` inches wide, so one fits a journal column, and panels wrap
into rows of at most :data:`MAX_COLUMNS`, so a figure fits a slide. A panel that
would carry no information (an outcome no run had, an issue no negotiated end
agreed) is left out and named in the figure's title; a figure with nothing to
show is not drawn. The ``[report] group`` factor, when it is not one of the
heatmap's axes, is a facet (one panel per level) rather than averaged away;
the other factors are pooled (their runs counted together), as the titles say.

- ``heatmap``: the share of runs ending each way over the two ``[report]
  heatmap`` factors, per cell the share, its Wilson interval and n.
- ``heatmap_timing``: over the same axes, the Kaplan-Meier median round of
  the first negotiated end (first ceasefire, or a settlement reached without
  one) with its 95% interval ("n.r.": fewer than half the runs reach one), and
  its restricted mean up to the horizon with its interval.
- ``heatmap_terms``: over the same axes, one panel per issue, the mean term of
  the negotiated ends that agreed it (0 is Russia's demand, 1 Ukraine's) with
  its t interval and n.
- ``km_negotiated_end``: Kaplan-Meier share of runs with a negotiated end by
  round t, one curve per level of ``[report] group``, with its 95% band,
  censoring ticks and the runs still without one under the axis.
- ``cumulative_incidence``: where some run was won militarily (an end that
  competes with a negotiated one), the Aalen-Johansen incidence of a
  negotiated end and of each side's victory, one panel per group level.
- ``km_ceasefire_survival``: Kaplan-Meier survival of the first ceasefire
  (rounds until it broke down), per group level, with band, ticks and counts.
- ``sensitivity``: Sobol first-order and total indices with their 95%
  bootstrap intervals and the replicate-noise floor, or Morris ``mu*``.

:mod:`experiments.statistics` says what each time is censored at.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, cast

import matplotlib

matplotlib.use("Agg")  # files only: no display needed, safe in workers and CI

import matplotlib.pyplot as plt  # noqa: E402 - the backend must be chosen first
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from experiments import store  # noqa: E402
from experiments.spec import Experiment  # noqa: E402
from experiments.statistics import (  # noqa: E402
    EndCause,
    ceasefire_durations,
    cumulative_incidence,
    end_events,
    kaplan_meier,
    mean_interval,
    negotiated_end_summary,
    negotiated_end_times,
    wilson_interval,
)
from model import STEP_ISSUES  # noqa: E402
from model.files import atomic_write  # noqa: E402
from model.parameters import PARAMETERS  # noqa: E402

PANEL_WIDTH = 3.4
"""Inches: a journal column is about 3.5."""

PANEL_HEIGHT = 2.7
"""Inches of one heatmap panel."""

MAX_COLUMNS = 3
"""Panels a row: three make a slide's width."""

FORMATS: tuple[str, ...] = store.FIGURE_FORMATS
"""Every figure is written in each: a raster to look at, a vector file to print."""

HEATMAP_PANELS: tuple[tuple[str, str], ...] = (
    ("negotiated", "P(negotiated end)"),
    ("settlement", "P(settlement)"),
    ("victory_russia", "P(Russian victory)"),
    ("victory_ukraine", "P(Ukrainian victory)"),
    ("war", "P(war at the horizon)"),
)
"""The shares of :func:`heatmap`: the summary's ``p_<name>``, and a title."""

_OUTCOME_TITLES: dict[str, str] = {
    "negotiated": "P(negotiated end)",
    "settlement": "P(settlement)",
    "ceasefire": "P(ceasefire holding at the horizon)",
    "victory_russia": "P(Russian victory)",
    "victory_ukraine": "P(Ukrainian victory)",
    "war": "P(war at the horizon)",
    "rmst_negotiated_end": "restricted mean weeks to a negotiated end",
    "time_to_ceasefire": "weeks to the first ceasefire (horizon if none)",
    "rounds": "weeks played",
    "breakdowns": "ceasefires broken down",
}

_CAUSES: tuple[tuple[EndCause, str, str], ...] = (
    (EndCause.NEGOTIATED, "negotiated end", "tab:blue"),
    (EndCause.VICTORY_RUSSIA, "Russian victory", "tab:red"),
    (EndCause.VICTORY_UKRAINE, "Ukrainian victory", "goldenrod"),
)

_STYLE: dict[str, Any] = {
    "font.size": 7,
    "axes.titlesize": 7,
    "axes.labelsize": 7,
    "xtick.labelsize": 6,
    "ytick.labelsize": 6,
    "legend.fontsize": 6,
    "figure.titlesize": 7.5,
    "pdf.fonttype": 42,  # TrueType in the PDF: journals refuse Type 3 fonts
    "savefig.dpi": 200,
}

_WEEKS = "round (weeks)"


# ----------------------------------------------------------------------
# Files and layout
# ----------------------------------------------------------------------
@contextmanager
def _style() -> Iterator[None]:
    with plt.rc_context(cast(Any, _STYLE)):  # matplotlib's stubs want literal keys
        yield


def _save(fig: Any, path: Path) -> list[Path]:
    """Write ``fig`` as ``path`` (a ``.png``) and as each other format of :data:`FORMATS` beside it."""
    written = []
    for fmt in FORMATS:
        target = path.with_suffix(f".{fmt}")
        metadata = {"CreationDate": None} if fmt == "pdf" else None  # the same runs give the same bytes

        def write(tmp: Path, fmt: str = fmt, metadata: dict[str, Any] | None = metadata) -> None:
            fig.savefig(tmp, bbox_inches="tight", format=fmt, metadata=metadata)

        atomic_write(target, write)
        written.append(target)
    plt.close(fig)
    return written


def _grid(n_panels: int, columns: int | None = None, width: float = PANEL_WIDTH, height: float = PANEL_HEIGHT) -> tuple[Any, list[Any]]:
    """A figure of ``n_panels`` panels in rows of at most :data:`MAX_COLUMNS` (or ``columns``); unused cells are hidden."""
    ncols = max(1, min(columns or MAX_COLUMNS, n_panels))
    nrows = -(-n_panels // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(width * ncols, height * nrows), squeeze=False, layout="constrained")
    flat = list(axes.ravel())
    for ax in flat[n_panels:]:
        ax.set_axis_off()
    return fig, flat[:n_panels]


def axis_label(name: str, wrap: int = 0) -> str:
    """A factor's name with its unit, for an axis.

    Args:
        name: A parameter name.
        wrap: Put the unit on a line of its own when the label is longer than this (0: never).

    Returns:
        ``"momentum (log-odds a week)"``; the bare name for a parameter with no unit.
    """
    param = PARAMETERS.get(name)
    label = param.label if param is not None else name
    return label.replace(" (", "\n(", 1) if wrap and len(label) > wrap else label


def _value(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _facet(experiment: Experiment) -> str | None:
    """The ``[report] group`` factor, when it is not one of the heatmap's axes."""
    group = experiment.report.group
    return group if group and group not in experiment.report.heatmap else None


def _note(frame: pd.DataFrame, others: Sequence[str], facet: str | None = None) -> str:
    """The line of a heatmap title that says what is faceted, what is the same everywhere, and what is pooled.

    Args:
        frame: The runs or summary rows drawn.
        others: The factors that are neither axis.
        facet: The factor with a panel per level, if any.
    """
    constant = [f"{c} = {_value(frame[c].iloc[0])}" for c in others if c != facet and frame[c].nunique() == 1]
    pooled = [c for c in others if c != facet and frame[c].nunique() > 1]
    parts = list(constant)
    if facet:
        parts.append(f"panels by {axis_label(facet)}")
    if pooled:
        parts.append(f"pooled over {', '.join(pooled)}")
    return "; ".join(parts)


def draw_all(out_dir: Path, experiment: Experiment, runs: pd.DataFrame, summary: pd.DataFrame, indices: pd.DataFrame) -> list[Path]:
    """Draw every figure that applies to the experiment, and remove the folder's figures that no longer apply.

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
    ok = runs[runs["error"].isna()]
    group = experiment.report.group or None
    with _style():
        if len(experiment.report.heatmap) == 2:
            x, y = experiment.report.heatmap
            facet = _facet(experiment)
            written += heatmap(summary, x, y, out_dir / "heatmap.png", experiment.name, facet)
            written += heatmap_timing(ok, x, y, out_dir / "heatmap_timing.png", experiment.name, facet)
            written += heatmap_terms(ok, x, y, out_dir / "heatmap_terms.png", experiment.name)
        written += km_negotiated_end(ok, group, out_dir / "km_negotiated_end.png", experiment.name)
        written += cumulative_incidence_plot(ok, group, out_dir / "cumulative_incidence.png", experiment.name)
        written += km_ceasefire_survival(ok, group, out_dir / "km_ceasefire_survival.png", experiment.name)
        if not indices.empty:
            written += sensitivity_plot(indices, out_dir / "sensitivity.png", experiment.name, _design_note(experiment))
    for name in store.FIGURES:  # a figure of an earlier report that does not apply now would mislead
        if out_dir / name not in written:
            (out_dir / name).unlink(missing_ok=True)
    return written


# ----------------------------------------------------------------------
# Heatmaps
# ----------------------------------------------------------------------
class _Cells:
    """The runs (or summary rows) of each heatmap cell: one ``(y, x)`` grid per facet level."""

    def __init__(self, frame: pd.DataFrame, x: str, y: str, facet: str | None) -> None:
        self.x, self.y, self.facet = x, y, facet
        self.xs = sorted(frame[x].unique())
        self.ys = sorted(frame[y].unique(), reverse=True)  # the largest on top
        if facet is not None and frame[facet].nunique() < 2:
            self.facet = facet = None  # one level: a constant, which the title says once
        self.levels: list[Any] = sorted(frame[facet].unique()) if facet else [None]
        keys = [facet, y, x] if facet else [y, x]
        self.parts = {(key if facet else (None, *key)): part for key, part in frame.groupby(keys, sort=False)}

    def grid(self, level: Any, value: Callable[[pd.DataFrame], Any]) -> list[list[Any]]:
        """``value`` of each cell's part at one facet level (``None`` for a cell with nothing)."""
        return [[value(self.parts[(level, yv, xv)]) if (level, yv, xv) in self.parts else None for xv in self.xs] for yv in self.ys]

    def sums(self, level: Any, column: str) -> np.ndarray:
        """The sum of ``column`` over each cell's rows at one facet level (0 for a cell with nothing)."""
        return np.array(
            [[float(self.parts[(level, yv, xv)][column].sum()) if (level, yv, xv) in self.parts else 0.0 for xv in self.xs]
             for yv in self.ys],
            dtype=float,
        )

    def title(self, level: Any) -> str:
        return f"{self.facet} = {_value(level)}" if self.facet else ""


def _draw_cells(ax: Any, cells: _Cells, values: np.ndarray, texts: list[list[str]], cmap: str, vmin: float, vmax: float) -> Any:
    """One heatmap panel: colour by ``values`` (NaN stays grey), each cell's text over it."""
    image = ax.imshow(np.ma.masked_invalid(values), vmin=vmin, vmax=vmax, cmap=cmap, aspect="auto")
    ax.set_facecolor("#e6e6e6")
    ax.set_xticks(range(len(cells.xs)), [_value(v) for v in cells.xs])
    ax.set_yticks(range(len(cells.ys)), [_value(v) for v in cells.ys])
    ax.set_xlabel(axis_label(cells.x, wrap=45))
    ax.set_ylabel(axis_label(cells.y, wrap=30))
    size = 5.0 if len(cells.xs) <= 3 else 4.2
    for i, row in enumerate(texts):
        for j, text in enumerate(row):
            if text:
                ax.text(j, i, text, ha="center", va="center", fontsize=size, linespacing=1.1,
                        bbox={"facecolor": "white", "alpha": 0.6, "lw": 0, "pad": 0.4})
    return image


def _same_n(counts: list[np.ndarray]) -> int | None:
    """The n of every non-empty cell, if they all have the same."""
    ns = {int(v) for grid in counts for v in np.asarray(grid).ravel() if v > 0}
    return ns.pop() if len(ns) == 1 else None


def _interval(lo: float, hi: float, fmt: str) -> str:
    return f"{fmt.format(lo)}–{'n.r.' if not np.isfinite(hi) else fmt.format(hi)}" if np.isfinite(lo) else ""


def heatmap(summary: pd.DataFrame, x: str, y: str, path: Path, title: str, facet: str | None = None) -> list[Path]:
    """The share of runs ending each way over two factors, with Wilson intervals and n.

    The runs of the other factors are pooled: a cell's share is its runs'
    count over its runs (the summary's ``p_<name>`` times ``n``, summed),
    with the Wilson interval of that count.

    Args:
        summary: The summary table.
        x: Factor on the horizontal axis.
        y: Factor on the vertical axis.
        path: Where to write the PNG (the PDF goes beside it).
        title: The figure's title.
        facet: A factor whose levels get a panel each (``None``: pooled too).

    Returns:
        The files written.
    """
    frame = summary[summary["n"] > 0].copy()
    if frame.empty:
        return []
    for name, _ in HEATMAP_PANELS:
        if f"p_{name}" in frame:
            frame[f"k_{name}"] = (frame[f"p_{name}"] * frame["n"]).round()
    cells = _Cells(frame, x, y, facet)
    trials = {level: cells.sums(level, "n") for level in cells.levels}
    panels: list[tuple[str, Any, np.ndarray]] = []
    empty: list[str] = []
    for name, label in HEATMAP_PANELS:
        if f"k_{name}" not in frame:
            continue
        successes = {level: cells.sums(level, f"k_{name}") for level in cells.levels}
        if not any(grid.sum() > 0 for grid in successes.values()):
            empty.append(label)
            continue
        panels += [(label, level, successes[level]) for level in cells.levels]
    if not panels:
        return []
    common = _same_n(list(trials.values()))
    faceted = cells.facet is not None and len(cells.levels) <= MAX_COLUMNS
    fig, axes = _grid(len(panels), columns=len(cells.levels) if faceted else None)
    image = None
    for ax, (label, level, k) in zip(axes, panels, strict=True):
        m = trials[level]
        lo, hi = wilson_interval(k, m)
        with np.errstate(invalid="ignore", divide="ignore"):
            share = np.where(m > 0, k / m, np.nan)
        texts = [
            [
                "" if not np.isfinite(share[i, j])
                else f"{share[i, j]:.2f}\n{lo[i, j]:.2f}–{hi[i, j]:.2f}" + ("" if common else f"\nn={int(m[i, j])}")
                for j in range(share.shape[1])
            ]
            for i in range(share.shape[0])
        ]
        image = _draw_cells(ax, cells, share, texts, "viridis", 0.0, 1.0)
        ax.set_title("\n".join(filter(None, [label, cells.title(level)])))
    fig.colorbar(image, ax=axes, shrink=0.6, label="share of runs")
    lines = [
        f"{title}: how the runs end (each cell: share, 95% Wilson interval" + (f"; n = {common} runs a cell)" if common else ", n runs)"),
        _note(frame, [c for c in _factors(summary) if c not in (x, y)], cells.facet),
        f"not shown, no run ended so: {', '.join(empty)}" if empty else "",
    ]
    fig.suptitle("\n".join(filter(None, lines)))
    return _save(fig, path)


def _factors(summary: pd.DataFrame) -> list[str]:
    """The varied parameters of a summary table: its columns between ``point_id`` and ``n``."""
    cols = list(summary.columns)
    end = cols.index("n") if "n" in cols else len(cols)
    return [c for c in cols[:end] if c != "point_id"]


def heatmap_timing(runs: pd.DataFrame, x: str, y: str, path: Path, title: str, facet: str | None = None) -> list[Path]:
    """When a negotiated end comes, over two factors: the Kaplan-Meier median and the restricted mean, with intervals.

    Per cell, the runs of the other factors pooled: the median round of the
    first negotiated end with its 95% interval (:func:`experiments.statistics.km_median_interval`;
    "n.r." where fewer than half the runs reach one, with how many did), and
    the restricted mean round up to the horizon (a run without one counts
    the whole horizon) with its 95% interval. A panel of medians in which no
    cell reaches one is left out.

    Args:
        runs: Successful runs.
        x: Factor on the horizontal axis.
        y: Factor on the vertical axis.
        path: Where to write the PNG (the PDF goes beside it).
        title: The figure's title.
        facet: A factor whose levels get a row of panels each.

    Returns:
        The files written.
    """
    if runs.empty:
        return []
    tau = float(runs["max_rounds"].min())
    cells = _Cells(runs, x, y, facet)

    def timing(part: pd.DataFrame) -> dict[str, float]:
        summary = negotiated_end_summary(part, tau)
        summary["n"] = float(len(part))
        summary["k"] = float(negotiated_end_times(part)[1].sum())
        return summary

    stats = {level: cells.grid(level, timing) for level in cells.levels}
    counts = [np.array([[c["n"] if c else 0 for c in row] for row in grid]) for grid in stats.values()]
    common = _same_n(counts)
    panels: list[tuple[str, Any]] = []
    for level in cells.levels:
        if any(c and np.isfinite(c["negotiated_end_round_median"]) for row in stats[level] for c in row):
            panels.append(("median", level))
        panels.append(("rmst", level))
    fig, axes = _grid(len(panels), columns=2 if cells.facet else None)
    image = None
    for ax, (kind, level) in zip(axes, panels, strict=True):
        grid = stats[level]
        if kind == "median":
            values = _pick(grid, "negotiated_end_round_median")
            texts = [[_median_text(c, common) for c in row] for row in grid]
            heading = "median round of the first negotiated end\n(Kaplan-Meier, 95% interval; n.r.: under half reach one)"
        else:
            values = _pick(grid, "rmst_negotiated_end")
            texts = [[_rmst_text(c, common) for c in row] for row in grid]
            heading = f"restricted mean round of the first negotiated end\n(up to week {tau:g}; 95% interval)"
        image = _draw_cells(ax, cells, values, texts, "magma_r", 0.0, tau)
        ax.set_title("\n".join(filter(None, [heading, cells.title(level)])))
    fig.colorbar(image, ax=axes, shrink=0.6, label=_WEEKS)
    lines = [
        f"{title}: when the first negotiated end (a ceasefire, or a settlement without one) comes"
        + (f"; n = {common} runs a cell" if common else ""),
        _note(runs, [c for c in store.factor_columns(runs) if c not in (x, y)], cells.facet),
        "a run won or still fighting at the horizon never has one (censored; the victory competes)",
    ]
    fig.suptitle("\n".join(filter(None, lines)))
    return _save(fig, path)


def _pick(grid: list[list[Any]], key: str) -> np.ndarray:
    return np.array([[c[key] if c else np.nan for c in row] for row in grid], dtype=float)


def _median_text(c: dict[str, float] | None, common: int | None) -> str:
    if not c:
        return ""
    n = "" if common else f"\nn={int(c['n'])}"
    median = c["negotiated_end_round_median"]
    if not np.isfinite(median):
        return f"n.r.\n{int(c['k'])}/{int(c['n'])} reach one"
    return f"{median:.0f}\n{_interval(c['negotiated_end_round_median_lo'], c['negotiated_end_round_median_hi'], '{:.0f}')}{n}"


def _rmst_text(c: dict[str, float] | None, common: int | None) -> str:
    if not c:
        return ""
    n = "" if common else f"\nn={int(c['n'])}"
    return f"{c['rmst_negotiated_end']:.0f}\n{_interval(c['rmst_negotiated_end_lo'], c['rmst_negotiated_end_hi'], '{:.0f}')}{n}"


def heatmap_terms(runs: pd.DataFrame, x: str, y: str, path: Path, title: str) -> list[Path]:
    """The terms of negotiated ends over two factors, one panel per issue some negotiated end agreed.

    Per cell, the runs of every other factor pooled: the mean term of the
    issue over the negotiated ends (settlements and ceasefires holding at the
    horizon) that agreed it, with its Student-t 95% interval and n. Issues
    are not averaged together: each has its own scale of concessions.

    Args:
        runs: Successful runs.
        x: Factor on the horizontal axis.
        y: Factor on the vertical axis.
        path: Where to write the PNG (the PDF goes beside it).
        title: The figure's title.

    Returns:
        The files written (none if no negotiated end agreed any issue).
    """
    negotiated = runs[runs["kind"].isin(["settlement", "ceasefire"])]
    step_of = {issue: int(step) for step, issues in STEP_ISSUES.items() for issue in issues}
    issues = [i for i in step_of if f"term_{i}" in negotiated and negotiated[f"term_{i}"].notna().any()]
    if negotiated.empty or not issues:
        return []
    cells = _Cells(runs, x, y, None)
    fig, axes = _grid(len(issues))
    image = None
    for ax, issue in zip(axes, issues, strict=True):
        def term(part: pd.DataFrame, column: str = f"term_{issue}") -> tuple[float, float, float, int]:
            return mean_interval(part[column].where(part["kind"].isin(["settlement", "ceasefire"])))

        grid = cells.grid(None, term)
        values = np.array([[g[0] if g else np.nan for g in row] for row in grid], dtype=float)
        texts = [[_term_text(g) for g in row] for row in grid]
        image = _draw_cells(ax, cells, values, texts, "RdBu", 0.0, 1.0)
        ax.set_title(f"{issue} (step {step_of[issue]})")
    fig.colorbar(image, ax=axes, shrink=0.6, label="term: 0 Russia's demand … 1 Ukraine's")
    missing = [i for i in step_of if i not in issues]
    lines = [
        f"{title}: the terms of negotiated ends, per issue (each cell: mean, 95% t interval, n ends that agreed it)",
        _note(runs, [c for c in store.factor_columns(runs) if c not in (x, y)]),
        f"not shown, no negotiated end agreed: {', '.join(missing)}" if missing else "",
    ]
    fig.suptitle("\n".join(filter(None, lines)))
    return _save(fig, path)


def _term_text(g: tuple[float, float, float, int] | None) -> str:
    if not g or g[3] == 0:
        return ""
    mean, lo, hi, n = g
    # a term lies in [0, 1]: the t interval of a few ends can reach past it
    lo, hi = max(lo, 0.0), min(hi, 1.0)
    return f"{mean:.2f}\n{_interval(lo, hi, '{:.2f}')}\nn={n}" if n > 1 else f"{mean:.2f}\nn=1"


# ----------------------------------------------------------------------
# Survival curves
# ----------------------------------------------------------------------
def _groups(runs: pd.DataFrame, group: str | None) -> list[tuple[str, pd.DataFrame]]:
    if group is None:
        return [("all runs", runs)]
    return [(f"{group} = {_value(level)}", part) for level, part in runs.groupby(group, sort=True)]


def _km_panel(
    runs: pd.DataFrame,
    group: str | None,
    subjects: Callable[[pd.DataFrame], tuple[np.ndarray, np.ndarray]],
    incidence: bool,
) -> tuple[Any, Any] | None:
    """One axis of Kaplan-Meier curves (per group), 95% bands, censoring ticks and at-risk counts; ``None`` if no event."""
    from lifelines.plotting import add_at_risk_counts

    fitters, levels = [], []
    for label, part in _groups(runs, group):
        times, events = subjects(part)
        if times.size:
            level = label.split(" = ")[-1]
            fitters.append(kaplan_meier(times, events, label=f"{level} (n={times.size})" if group else f"{label} (n={times.size})"))
            levels.append(level)
    if not fitters or not any(f.event_observed.any() for f in fitters):
        return None
    fig, ax = plt.subplots(figsize=(PANEL_WIDTH, 2.9 + 0.11 * len(fitters)), layout="constrained")
    ticks = {"marker": "|", "ms": 4, "mew": 0.8}
    for fitter in fitters:
        draw = fitter.plot_cumulative_density if incidence else fitter.plot_survival_function
        draw(ax=ax, ci_show=True, ci_alpha=0.2, show_censors=True, censor_styles=ticks, lw=1)
    ax.set_ylim(0, 1.02)
    ax.set_xlim(left=0)
    ax.legend(loc="best", frameon=False,
              title=axis_label(group, wrap=30) if group else None, title_fontsize=6, alignment="left")
    add_at_risk_counts(*fitters, ax=ax, rows_to_show=["At risk"], labels=levels, ypos=-0.5)
    return fig, ax


def km_negotiated_end(runs: pd.DataFrame, group: str | None, path: Path, title: str) -> list[Path]:
    """Kaplan-Meier share of runs with a first negotiated end by round t, per group, with bands, ticks and counts.

    A run won before any negotiated end stays in the risk set to its horizon
    (it never has one), so the curve is the share of runs with a negotiated
    end by round ``t``: the Aalen-Johansen incidence of
    :func:`cumulative_incidence_plot`. The counts under the axis ("at risk")
    are the runs still without one.

    Args:
        runs: Successful runs.
        group: The factor whose levels get one curve each (``None``: one curve).
        path: Where to write the PNG (the PDF goes beside it).
        title: The figure's title.

    Returns:
        The files written (none if no run reached a negotiated end).
    """
    drawn = _km_panel(runs, group, negotiated_end_times, incidence=True)
    if drawn is None:
        return []
    fig, ax = drawn
    ax.set_xlabel(f"{_WEEKS}; at risk: runs with none yet")
    ax.set_ylabel("share with a negotiated end")
    ax.set_title(
        f"{title}: time to the first negotiated end\n(a ceasefire, or a settlement without one)\n"
        "Kaplan-Meier, 95% band; | censored; a won run never negotiates"
    )
    return _save(fig, path)


def km_ceasefire_survival(runs: pd.DataFrame, group: str | None, path: Path, title: str) -> list[Path]:
    """Kaplan-Meier survival of the first ceasefire (rounds until breakdown), per group, with bands, ticks and counts.

    Args:
        runs: Successful runs.
        group: The factor whose levels get one curve each (``None``: one curve).
        path: Where to write the PNG (the PDF goes beside it).
        title: The figure's title.

    Returns:
        The files written (none if no first ceasefire broke down, or none formed).
    """
    drawn = _km_panel(runs, group, ceasefire_durations, incidence=False)
    if drawn is None:
        return []
    fig, ax = drawn
    ax.set_xlabel("weeks since the first ceasefire; at risk: still holding")
    ax.set_ylabel("share of first ceasefires holding")
    ax.set_title(
        f"{title}: how long the first ceasefire holds\nKaplan-Meier, 95% band; | censored at the run's end\n"
        "(still holding at the horizon, or settled)"
    )
    return _save(fig, path)


def cumulative_incidence_plot(runs: pd.DataFrame, group: str | None, path: Path, title: str) -> list[Path]:
    """Competing ends: the Aalen-Johansen incidence of a negotiated end and of each side's victory, per group level.

    Drawn only where some run was won before any negotiated end: otherwise
    nothing competes with a negotiated end, and :func:`km_negotiated_end`
    says it all. One panel per level of ``group``, each with a curve and a
    95% band per cause that occurs in the experiment.

    Args:
        runs: Successful runs.
        group: The factor whose levels get a panel each (``None``: one panel).
        path: Where to write the PNG (the PDF goes beside it).
        title: The figure's title.

    Returns:
        The files written (none where no run was won).
    """
    if runs.empty:
        return []
    _, causes = end_events(runs)
    present = [c for c in _CAUSES if (causes == c[0]).any()]
    if not any(c[0] != EndCause.NEGOTIATED for c in present):
        return []
    groups: list[tuple[str, pd.DataFrame]] = []
    quiet: list[tuple[str, pd.DataFrame]] = []
    for label, part in _groups(runs, group):
        (groups if (end_events(part)[1] != EndCause.CENSORED).any() else quiet).append((label, part))
    fig, axes = _grid(len(groups), height=2.4)
    horizon = float(runs["max_rounds"].max())
    for ax, (label, part) in zip(axes, groups, strict=True):
        times, part_causes = end_events(part)
        for cause, name, colour in present:
            if not (part_causes == cause).any():
                ax.plot([0, horizon], [0, 0], color=colour, lw=1, label=f"{name} (none)")
                continue
            fitter = cumulative_incidence(times, part_causes, cause, label=name)
            fitter.plot_cumulative_density(ax=ax, ci_show=True, ci_alpha=0.2, color=colour, lw=1)
        ax.set_xlim(0, horizon)
        ax.set_ylim(0, 1.02)
        ax.set_xlabel(_WEEKS)
        ax.set_ylabel("cumulative incidence")
        ax.set_title(f"{label} (n={len(part)})" if group else f"all runs (n={len(part)})")
        ax.legend(loc="best", frameon=False)
    heading = [
        f"{title}: competing ends, which comes first (Aalen-Johansen, 95% bands)",
        "a negotiated end: the first ceasefire, or a settlement without one; a victory before any",
    ]
    if group and len(groups) + len(quiet) > 1:
        heading.append(f"panels by {axis_label(group)}")
    if quiet:
        heading.append(f"not shown, no end of any kind by the horizon: {', '.join(label for label, _ in quiet)}")
    fig.suptitle("\n".join(heading))
    return _save(fig, path)


# ----------------------------------------------------------------------
# Sensitivity
# ----------------------------------------------------------------------
def _design_note(experiment: Experiment) -> str:
    parts = [f"{experiment.method.title()} design", f"N = {experiment.samples}" if experiment.samples else "",
             f"{experiment.replicates} replicates a point"]
    return ", ".join(filter(None, parts))


def sensitivity_plot(indices: pd.DataFrame, path: Path, title: str, note: str = "") -> list[Path]:
    """Sobol S1 and ST (or Morris mu*) per parameter and outcome, with 95% intervals and the noise floor.

    Args:
        indices: From :func:`experiments.analysis.sensitivity`.
        path: Where to write the PNG (the PDF goes beside it).
        title: The figure's title.
        note: The design's size, for the title.

    Returns:
        The files written.
    """
    outcomes = list(dict.fromkeys(indices["outcome"]))
    sobol = "S1" in indices
    height = 0.2 * indices["parameter"].nunique() + 1.2
    fig, axes = _grid(len(outcomes), columns=2, height=height)
    for ax, outcome in zip(axes, outcomes, strict=True):
        part = indices[indices["outcome"] == outcome]
        y = np.arange(len(part))
        if sobol:
            ax.barh(y - 0.2, part["S1"], height=0.4, xerr=part["S1_conf"], label="first order S1", capsize=1.5,
                    error_kw={"lw": 0.7})
            ax.barh(y + 0.2, part["ST"], height=0.4, xerr=part["ST_conf"], label="total ST", capsize=1.5,
                    error_kw={"lw": 0.7})
            if "noise" in part and float(part["noise"].iloc[0]) > 0:
                # replicate noise inflates every total index by about this much
                noise = float(part["noise"].iloc[0])
                ax.axvline(noise, color="black", ls="--", lw=0.8, label="replicate-noise share")
            ax.set_xlabel("Sobol index (share of variance; 95% bootstrap interval)")
        else:
            ax.barh(y, part["mu_star"], xerr=part["mu_star_conf"], label="mu*", capsize=1.5)
            ax.set_xlabel("Morris mu* (outcome's units; 95% interval)")
        ax.set_yticks(y, list(part["parameter"]))
        ax.invert_yaxis()
        ax.axvline(0, color="grey", lw=0.5)
        heading = f"{outcome}: {_OUTCOME_TITLES[outcome]}" if outcome in _OUTCOME_TITLES else outcome
        if sobol and "noise" in part:
            heading += f"\nreplicate-noise share {float(part['noise'].iloc[0]):.2f}"
        ax.set_title(heading)
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncols=3, frameon=False)
    method = "Sobol indices" if sobol else "Morris elementary effects"
    fig.suptitle(f"{title}: {method} per outcome" + (f"\n({note})" if note else ""))
    return _save(fig, path)
