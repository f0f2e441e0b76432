"""Summaries of saved runs: the summary table, Sobol and Morris indices, and writing a results folder's analysis.

Everything here reads the saved runs (:func:`experiments.store.read_runs`),
so a report can be redrawn from a results folder without running anything.
The estimators (Wilson intervals, Kaplan-Meier, restricted means, competing
ends, replicate noise) are in :mod:`experiments.statistics`, which says what
each run's times are censored at; the figures are in :mod:`experiments.figures`.

- Each design point's shares carry Wilson 95% intervals; its rounds to the
  first ceasefire and to the first negotiated end Kaplan-Meier quartiles (NaN
  when fewer than that share of runs ever reach one), the latter with the
  median's 95% interval and the restricted mean up to the horizon.
- Sampled designs: each point's response is its mean outcome over its
  replicates, or for ``rmst_negotiated_end`` the restricted mean of the
  Kaplan-Meier curve of its replicates; SALib computes its Sobol indices
  (Saltelli et al. 2010; bootstrap intervals) or Morris elementary effects
  (Campolongo et al. 2007).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from experiments import store
from experiments.design import Design, build_design
from experiments.spec import CENSORED_OUTCOMES, Experiment, ExperimentError, experiment_from_text
from experiments.statistics import (
    NEGOTIATED_END_COLUMNS,
    EndCause,
    ceasefire_times,
    end_events,
    kaplan_meier,
    km_quantile,
    negotiated_end_summary,
    negotiated_end_times,
    noise_share,
    restricted_mean,
    restricted_times,
    wilson_interval,
)

PROPORTIONS: tuple[str, ...] = ("settlement", "ceasefire", "victory_russia", "victory_ukraine", "war", "negotiated")
"""Outcome shares reported per design point, each with a Wilson 95% interval."""

TIMING_OUTCOMES: tuple[str, ...] = ("time_to_negotiated_end", "rmst_negotiated_end")
"""Outcomes summarised by Kaplan-Meier (the columns of
:data:`experiments.statistics.NEGOTIATED_END_COLUMNS`, in every summary), not by a per-run mean."""


# ----------------------------------------------------------------------
# Per-run outcomes
# ----------------------------------------------------------------------
def outcome_values(runs: pd.DataFrame, name: str) -> pd.Series:
    """One outcome (see :data:`experiments.spec.OUTCOMES`) per run, as numbers.

    ``time_to_negotiated_end`` and ``rmst_negotiated_end`` give each run's
    time to its first negotiated end restricted to the horizon, ``min(T,
    tau)`` (:func:`experiments.statistics.restricted_times`): their mean
    over a point is the point's restricted mean when every run is followed
    to the horizon; the summary and the sensitivity indices take that from
    the Kaplan-Meier curve instead (:func:`point_response`).

    Args:
        runs: Saved run rows.
        name: The outcome.

    Returns:
        A float series aligned with ``runs`` (NaN for runs that raised).
    """
    ok = runs["error"].isna()
    kind = runs["kind"]
    if name in TIMING_OUTCOMES:
        values = pd.Series(restricted_times(runs, horizon(runs)), index=runs.index)
    elif name == "negotiated":
        values = kind.isin(["settlement", "ceasefire"]).astype(float)
    elif name in ("settlement", "ceasefire", "war"):
        values = (kind == name).astype(float)
    elif name.startswith("victory_"):
        values = ((kind == "victory") & (runs["winner"] == name.split("_", 1)[1])).astype(float)
    elif name == "time_to_ceasefire":
        values = runs["first_ceasefire_round"].astype(float).fillna(runs["max_rounds"].astype(float))
    else:
        values = runs[name].astype(float)
    return values.where(ok)


def horizon(runs: pd.DataFrame) -> float:
    """The horizon ``tau`` of restricted means: the shortest horizon among the successful runs (1 if none).

    Args:
        runs: Saved run rows.

    Returns:
        Rounds.
    """
    ok = runs["error"].isna()
    shortest = runs.loc[ok, "max_rounds"].astype(float).min() if ok.any() else float("nan")
    return float(shortest) if np.isfinite(shortest) else 1.0


MAX_TIMING_POINTS = 5_000
"""Most design points whose summary rows get Kaplan-Meier timing columns (quartiles, medians, restricted means).

Two Kaplan-Meier fits a point cost a few milliseconds; a Sobol design of
8,192 base samples has 90,112 points of ten runs each, where they would take
most of an hour and say little (ten runs make a wide interval). Such a
design's summary leaves those columns empty; its timing is the restricted
mean per point that its sensitivity indices use (:func:`point_response`),
and the pooled curves of its figures.
"""


def point_response(runs: pd.DataFrame, name: str) -> pd.Series:
    """One outcome per design point: the mean over its successful runs, or the Kaplan-Meier restricted mean.

    Args:
        runs: Saved run rows.
        name: The outcome; ``rmst_negotiated_end`` is each point's restricted
            mean time to the first negotiated end up to :func:`horizon`.

    Returns:
        A float series indexed by ``point_id`` (points with no successful run are missing).

    Raises:
        ExperimentError: For a censored time with no mean (see :data:`experiments.spec.CENSORED_OUTCOMES`).
    """
    if name in CENSORED_OUTCOMES:
        raise ExperimentError(f"{name}: a censored time has no mean per design point; its restricted mean is rmst_negotiated_end")
    if name == "rmst_negotiated_end":
        ok = runs[runs["error"].isna()]
        tau = horizon(runs)
        times, events = negotiated_end_times(ok)
        if not np.any(~events & (times < tau)):
            # nobody is censored before tau, so the Kaplan-Meier curve is the empirical one and its
            # restricted mean is the mean of min(T, tau) (Royston and Parmar 2013): exact, without a fit per point
            restricted = pd.Series(restricted_times(ok, tau), index=ok.index)
            return restricted.groupby(ok["point_id"], sort=True).mean().rename_axis("point_id")
        rmst = {
            point: restricted_mean(kaplan_meier(*negotiated_end_times(part)), tau)[0]
            for point, part in ok.groupby("point_id", sort=True)
        }
        return pd.Series(rmst, dtype=float).rename_axis("point_id")
    return outcome_values(runs, name).groupby(runs["point_id"], sort=True).mean().dropna()


# ----------------------------------------------------------------------
# The summary table
# ----------------------------------------------------------------------
def summarise(runs: pd.DataFrame, design_points: pd.DataFrame | None = None, outcomes: Sequence[str] = ()) -> pd.DataFrame:
    """The summary table: one row per design point.

    Columns: the varied parameters; ``n`` (runs without error) and ``errors``;
    for each of :data:`PROPORTIONS`, ``p_<name>`` with ``p_<name>_lo`` and
    ``p_<name>_hi`` (Wilson 95%); ``p_any_ceasefire`` (a ceasefire at some
    point) and ``p_any_negotiated_end`` (a ceasefire or a settlement at some
    point) with ``_lo`` and ``_hi`` likewise; ``ceasefire_round_q25``,
    ``_median``, ``_q75`` (Kaplan-Meier, censored at the horizon); the
    timing of the first negotiated end,
    :data:`experiments.statistics.NEGOTIATED_END_COLUMNS` (Kaplan-Meier
    quartiles, the median's 95% interval, and the restricted mean up to
    :func:`horizon` with its 95% interval); ``mean_rounds``, ``mean_breakdowns``,
    ``mean_cost_<side>``, ``mean_term_<issue>`` (over negotiated ends where
    the issue was agreed) and ``mean_<outcome>`` for each requested outcome
    but those of :data:`TIMING_OUTCOMES`, which the timing columns report.

    Args:
        runs: Saved run rows.
        design_points: The design (index ``point_id``); points without runs get ``n = 0``.
        outcomes: Extra outcomes whose mean to report.

    Returns:
        The table, sorted by ``point_id``.
    """
    ok = runs["error"].isna()
    frame, means = _per_run(runs, ok, outcomes)
    grouped = frame.groupby("point_id", sort=True)
    sums = grouped[[c for c in frame.columns if c.startswith("k_") or c in ("ok", "errors")]].sum()
    table = _shares(sums)
    if len(table) <= MAX_TIMING_POINTS:
        quartiles = _ceasefire_quartiles(runs[ok], table.index)
        timing = _negotiated_end_timing(runs[ok], table.index, horizon(runs))
    else:  # too many points to fit two Kaplan-Meier curves at each (see MAX_TIMING_POINTS)
        quartiles = np.full((len(table), 3), np.nan)
        timing = pd.DataFrame(np.nan, index=table.index, columns=list(NEGOTIATED_END_COLUMNS))
    table["ceasefire_round_q25"], table["ceasefire_round_median"], table["ceasefire_round_q75"] = quartiles.T
    table = table.join(timing)
    table = table.join(grouped[means].mean())
    if design_points is not None:
        table = design_points.join(table, how="left")
        table["n"] = table["n"].fillna(0).astype(int)
        table["errors"] = table["errors"].fillna(0).astype(int)
    else:
        first = runs.groupby("point_id", sort=True)[store.factor_columns(runs)].first()
        table = first.join(table)
    table.index.name = "point_id"
    return table.reset_index()


def _per_run(runs: pd.DataFrame, ok: pd.Series, outcomes: Sequence[str]) -> tuple[pd.DataFrame, list[str]]:
    """Per run: its point, whether it ran, a 0/1 column ``k_<name>`` per share, and the values to average.

    Returns:
        The frame, and the names of its columns to average per point.
    """
    frame = pd.DataFrame({"point_id": runs["point_id"], "ok": ok.astype(int), "errors": (~ok).astype(int)})
    for name in PROPORTIONS:
        frame[f"k_{name}"] = outcome_values(runs, name).fillna(0.0)
    frame["k_any_ceasefire"] = (runs["first_ceasefire_round"].notna() & ok).astype(float)
    negotiated_end = pd.Series(end_events(runs)[1] == EndCause.NEGOTIATED, index=runs.index)
    frame["k_any_negotiated_end"] = (negotiated_end & ok).astype(float)
    means = {
        "mean_rounds": runs["rounds"],
        "mean_breakdowns": runs["breakdowns"],
        "mean_cost_russia": runs["cost_russia"],
        "mean_cost_ukraine": runs["cost_ukraine"],
    }
    negotiated = runs["kind"].isin(["settlement", "ceasefire"])
    for col in runs.columns:
        if col.startswith("term_"):
            # the terms of negotiated ends only: a victory imposes the winner's ideal, which says nothing of bargaining
            means[f"mean_{col}"] = runs[col].where(negotiated)
    for name in outcomes:
        if name not in TIMING_OUTCOMES:
            means.setdefault(f"mean_{name}", outcome_values(runs, name))
    for col, values in means.items():
        frame[col] = values.astype(float).where(ok)
    return frame, list(means)


def _shares(sums: pd.DataFrame) -> pd.DataFrame:
    """``n``, ``errors`` and each share with its Wilson interval, from the per-point sums of :func:`_per_run`."""
    table = pd.DataFrame(index=sums.index)
    table["n"] = sums["ok"].astype(int)
    table["errors"] = sums["errors"].astype(int)
    n = table["n"].to_numpy(dtype=float)
    for name in (*PROPORTIONS, "any_ceasefire", "any_negotiated_end"):
        k = sums[f"k_{name}"].to_numpy()
        lo, hi = wilson_interval(k, n)
        with np.errstate(divide="ignore", invalid="ignore"):
            table[f"p_{name}"] = np.where(n > 0, k / n, np.nan)
        table[f"p_{name}_lo"], table[f"p_{name}_hi"] = lo, hi
    return table


def _ceasefire_quartiles(valid: pd.DataFrame, point_ids: pd.Index) -> np.ndarray:
    """Kaplan-Meier quartiles of the rounds to the first ceasefire at each point (one row per point)."""
    parts = dict(tuple(valid.groupby("point_id", sort=False)))
    quartiles = []
    for point_id in point_ids:
        if point_id not in parts:
            quartiles.append([np.nan] * 3)
            continue
        fitter = kaplan_meier(*ceasefire_times(parts[point_id]))
        quartiles.append([km_quantile(fitter, q) for q in (0.25, 0.5, 0.75)])
    return np.array(quartiles, dtype=float).reshape(-1, 3)


def _negotiated_end_timing(valid: pd.DataFrame, point_ids: pd.Index, tau: float) -> pd.DataFrame:
    """:func:`experiments.statistics.negotiated_end_summary` of each point (one row per point)."""
    parts = dict(tuple(valid.groupby("point_id", sort=False)))
    empty = valid.iloc[:0]
    rows = [negotiated_end_summary(parts.get(point_id, empty), tau) for point_id in point_ids]
    return pd.DataFrame(rows, index=point_ids, columns=list(NEGOTIATED_END_COLUMNS), dtype=float)


# ----------------------------------------------------------------------
# Sensitivity indices
# ----------------------------------------------------------------------
def sensitivity(runs: pd.DataFrame, experiment: Experiment) -> pd.DataFrame:
    """Sobol or Morris indices of each requested outcome's response per design point (:func:`point_response`).

    Args:
        runs: Saved run rows of a ``sobol`` or ``morris`` experiment.
        experiment: The experiment (its design is rebuilt from it).

    Returns:
        For Sobol: ``outcome, parameter, S1, S1_conf, ST, ST_conf`` (95%
        bootstrap half-widths) and ``noise``, the replicate-noise share of the
        outcome (see :func:`experiments.statistics.noise_share`): every total
        index is inflated by about that much, so a total index below it is
        indistinguishable from noise. For Morris: ``outcome, parameter, mu,
        mu_star, mu_star_conf, sigma``. Empty for other designs.

    Raises:
        ExperimentError: If some design point has no successful run.
    """
    if experiment.method not in ("sobol", "morris"):
        return pd.DataFrame()
    design = build_design(experiment)
    rows: list[dict[str, Any]] = []
    for name in experiment.outcomes:
        values = outcome_values(runs, name)
        y = point_response(runs, name).reindex(range(len(design))).to_numpy(dtype=float)
        if np.isnan(y).any():
            missing = int(np.isnan(y).sum())
            raise ExperimentError(f"{experiment.name}: {missing} design points have no successful run; run the sweep to the end")
        rows += _indices(experiment, design, name, y, values, runs["point_id"])
    return pd.DataFrame(rows)


_SOBOL_COLUMNS: tuple[str, ...] = ("S1", "S1_conf", "ST", "ST_conf")
_MORRIS_COLUMNS: tuple[str, ...] = ("mu", "mu_star", "mu_star_conf", "sigma")


def _indices(
    experiment: Experiment, design: Design, outcome: str, y: np.ndarray, values: pd.Series, point_ids: pd.Series
) -> list[dict[str, Any]]:
    """SALib's indices of one outcome's response ``y`` (a mean per design point), one row per parameter."""
    from SALib.analyze import morris, sobol  # an optional dependency: only a sampled design's analysis needs it

    assert design.problem is not None and design.sample is not None
    seed = experiment.master_seed % 2**32
    extra: dict[str, float] = {}
    if experiment.method == "sobol":
        res = sobol.analyze(design.problem, y, calc_second_order=experiment.second_order, conf_level=0.95, seed=seed)
        columns = _SOBOL_COLUMNS
        extra["noise"] = noise_share(values, point_ids)
    else:
        res = morris.analyze(design.problem, design.sample, y, conf_level=0.95, num_levels=experiment.morris_levels, seed=seed)
        columns = _MORRIS_COLUMNS
    return [
        {"outcome": outcome, "parameter": param, **{c: res[c][j] for c in columns}, **extra}
        for j, param in enumerate(design.problem["names"])
    ]


# ----------------------------------------------------------------------
# Writing the analysis of a results folder
# ----------------------------------------------------------------------
_SUMMARY_COLUMNS: tuple[str, ...] = (
    "point_id",
    "error",
    "kind",
    "winner",
    "rounds",
    "max_rounds",
    "first_ceasefire_round",
    "first_breakdown_round",
    "breakdowns",
    "cost_russia",
    "cost_ukraine",
)


def analysis_columns(experiment: Experiment) -> list[str]:
    """The run columns the summary, the sensitivity indices and the figures read.

    Everything else (the seed, the scenario, the JSON of overrides, the final
    balance, ...) stays on disk, so the memory of a report grows with the
    number of runs times a few numbers, not with every column of every run.

    Args:
        experiment: The experiment whose runs are analysed.

    Returns:
        Column names of :func:`experiments.store.run_schema`, without repeats.
    """
    outcome_names = [f.name for f in store.OUTCOME_FIELDS]
    terms = [name for name in outcome_names if name.startswith("term_")]
    extra = [name for name in experiment.outcomes if name in outcome_names]  # e.g. step_reached, final_front
    return list(dict.fromkeys([*_SUMMARY_COLUMNS, *terms, *extra, *experiment.factor_names]))


def write_analysis(out_dir: str | Path, experiment: Experiment, figures: bool = True) -> pd.DataFrame:
    """Write ``summary.csv`` (and ``sensitivity.csv``, figures) for a results folder.

    Args:
        out_dir: The results folder.
        experiment: The experiment whose runs it holds.
        figures: Also draw the figures.

    Returns:
        The summary table.
    """
    out = Path(out_dir)
    runs = store.read_runs(out, columns=analysis_columns(experiment))  # only what the summary needs
    design = build_design(experiment)
    summary = summarise(runs, design.points, experiment.outcomes)
    store.write_csv(out / "summary.csv", summary)
    indices = pd.DataFrame()
    complete = len(runs) >= len(design) * experiment.replicates
    if complete and experiment.method in ("sobol", "morris"):
        indices = sensitivity(runs, experiment)
        store.write_csv(out / "sensitivity.csv", indices)
    if figures:
        # matplotlib is imported only to draw: worker processes import this package, and never draw
        from experiments.figures import draw_all

        draw_all(out, experiment, runs, summary, indices)
    return summary


def report(out_dir: str | Path, figures: bool = True) -> pd.DataFrame:
    """Redraw the summary and figures of a results folder from its saved runs, running nothing.

    The folder's lock is held while it is read and written, so a report
    never reads a folder a sweep is writing. Before anything is drawn, the
    manifest is checked against what it records and the parts against the
    manifest: the experiment it records must have the fingerprint it
    records, and every saved run must be a run of that experiment (run id
    in range and saved once, its point and varied values the design's),
    so an edited manifest or a stray part is refused, not summarised.

    Args:
        out_dir: A folder written by :func:`experiments.run_experiment`.
        figures: Also draw the figures.

    Returns:
        The summary table.

    Raises:
        ExperimentError: If the folder has no manifest or no saved runs, a
            sweep is working on it, or its manifest or a part does not fit
            (:class:`experiments.store.FolderError`, naming the file).
    """
    out = store.check_out_dir(out_dir, option="the results folder")
    if not out.is_dir():
        raise store.FolderError(f"{out}: no such results folder")
    with store.locked(out, "report"):
        manifest = store.read_manifest(out)
        if not manifest.get("experiment_text"):
            raise ExperimentError(f"{out}: not a results folder (no {store.MANIFEST} with the experiment)")
        if not store.part_files(out):
            raise ExperimentError(f"{out}: no saved runs in {store.RUNS_DIR}/ (raw runs are not committed; run the sweep)")
        where = f"{out / store.MANIFEST}"
        experiment = experiment_from_text(
            manifest["experiment_text"],
            where=where,
            quick=bool(manifest.get("quick")),
            scenario=manifest.get("scenario"),
            allow_large=bool(manifest.get("allow_large")),
        )
        design = build_design(experiment)
        _check_manifest(manifest, experiment, design, where)
        store.check_parts(out, len(design) * experiment.replicates, experiment.replicates, design.points)
        return write_analysis(out, experiment, figures=figures)


def _check_manifest(manifest: dict[str, Any], experiment: Experiment, design: Design, where: str) -> None:
    """The manifest's recorded fingerprint and sizes must be those of the experiment it records."""
    recorded = manifest.get("fingerprint")
    actual = store.fingerprint(experiment, design)
    if recorded is not None and recorded != actual:
        raise store.FolderError(
            f"{where}: records fingerprint {recorded} but the experiment it records "
            f"({'quick' if experiment.quick else 'full'} size, scenario {experiment.scenario!r}) has {actual}: "
            "the manifest was edited, or the scenario changed since the sweep"
        )
    sizes = {"design_points": len(design), "replicates": experiment.replicates, "runs": len(design) * experiment.replicates}
    for key, value in sizes.items():
        if key in manifest and manifest[key] != value:
            raise store.FolderError(f"{where}: {key}: records {manifest[key]!r} but the experiment it records has {value}")
