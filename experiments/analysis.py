"""Summaries of saved runs: proportions with Wilson intervals, Kaplan-Meier, Sobol and Morris indices.

Everything here reads the saved runs (:func:`experiments.store.read_runs`),
so a report can be redrawn from a results folder without running anything.

- Proportions carry Wilson score intervals (Wilson 1927; Brown, Cai and
  DasGupta 2001), which stay inside [0, 1] and behave at 0 and n.
- Time to the first ceasefire is right-censored at the horizon: a run with
  no ceasefire by then (whether the war went on or ended in victory) is
  censored at ``max_rounds``, so ``1 - S(t)`` is the share of runs with a
  ceasefire by round ``t``. Quantiles are Kaplan-Meier quantiles (Kaplan and
  Meier 1958): NaN when fewer than that share of runs ever reach a ceasefire.
- A first ceasefire's survival is the rounds until it broke down; it is
  censored when the run ended with it still holding (at the horizon, or
  because it became a settlement).
- Sampled designs: each point's mean outcome over its replicates is the
  response whose Sobol indices (Saltelli et al. 2010; bootstrap intervals)
  or Morris elementary effects (Campolongo et al. 2007) SALib computes.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from experiments import store
from experiments.design import build_design
from experiments.spec import Experiment, ExperimentError, experiment_from_text

Z95 = 1.959963984540054
"""The standard normal quantile of a two-sided 95% interval."""

PROPORTIONS: tuple[str, ...] = ("settlement", "ceasefire", "victory_russia", "victory_ukraine", "war", "negotiated")
"""Outcome shares reported per design point, each with a Wilson 95% interval."""


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


# ----------------------------------------------------------------------
# Per-run outcomes
# ----------------------------------------------------------------------
def outcome_values(runs: pd.DataFrame, name: str) -> pd.Series:
    """One outcome (see :data:`experiments.spec.OUTCOMES`) per run, as numbers.

    Args:
        runs: Saved run rows.
        name: The outcome.

    Returns:
        A float series aligned with ``runs`` (NaN for runs that raised).
    """
    ok = runs["error"].isna()
    kind = runs["kind"]
    if name == "negotiated":
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


def _ceasefire_times(runs: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """(time, event) of the first ceasefire, censored at the horizon."""
    first = runs["first_ceasefire_round"].astype(float)
    events = first.notna().to_numpy()
    times = first.fillna(runs["max_rounds"].astype(float)).to_numpy()
    return times, events


def _ceasefire_durations(runs: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """(duration, broke down) of each first ceasefire; runs without one are left out."""
    had = runs[runs["first_ceasefire_round"].notna()]
    start = had["first_ceasefire_round"].astype(float)
    broke = had["first_breakdown_round"].notna().to_numpy()
    end = had["first_breakdown_round"].astype(float).fillna(had["rounds"].astype(float))
    return (end - start).to_numpy(), broke


# ----------------------------------------------------------------------
# The summary table
# ----------------------------------------------------------------------
def summarise(runs: pd.DataFrame, design_points: pd.DataFrame | None = None, outcomes: Sequence[str] = ()) -> pd.DataFrame:
    """The summary table: one row per design point.

    Columns: the varied parameters; ``n`` (runs without error) and ``errors``;
    for each of :data:`PROPORTIONS`, ``p_<name>`` with ``p_<name>_lo`` and
    ``p_<name>_hi`` (Wilson 95%); ``p_any_ceasefire`` (a ceasefire at some
    point) with ``_lo`` and ``_hi`` likewise; ``ceasefire_round_q25``,
    ``_median``, ``_q75`` (Kaplan-Meier, censored at the horizon); ``mean_rounds``, ``mean_breakdowns``,
    ``mean_cost_<side>``, ``mean_term_<issue>`` (over negotiated ends where
    the issue was agreed) and ``mean_<outcome>`` for each requested outcome.

    Args:
        runs: Saved run rows.
        design_points: The design (index ``point_id``); points without runs get ``n = 0``.
        outcomes: Extra outcomes whose mean to report.

    Returns:
        The table, sorted by ``point_id``.
    """
    ok = runs["error"].isna()
    frame = pd.DataFrame({"point_id": runs["point_id"], "ok": ok.astype(int), "errors": (~ok).astype(int)})
    for name in PROPORTIONS:
        frame[f"k_{name}"] = outcome_values(runs, name).fillna(0.0)
    frame["k_any_ceasefire"] = (runs["first_ceasefire_round"].notna() & ok).astype(float)
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
        means.setdefault(f"mean_{name}", outcome_values(runs, name))
    for col, values in means.items():
        frame[col] = values.astype(float).where(ok)
    grouped = frame.groupby("point_id", sort=True)
    sums = grouped[[c for c in frame.columns if c.startswith("k_") or c in ("ok", "errors")]].sum()
    averages = grouped[list(means)].mean()

    table = pd.DataFrame(index=sums.index)
    table["n"] = sums["ok"].astype(int)
    table["errors"] = sums["errors"].astype(int)
    n = table["n"].to_numpy(dtype=float)
    for name in (*PROPORTIONS, "any_ceasefire"):
        k = sums[f"k_{name}"].to_numpy()
        lo, hi = wilson_interval(k, n)
        with np.errstate(divide="ignore", invalid="ignore"):
            table[f"p_{name}"] = np.where(n > 0, k / n, np.nan)
        table[f"p_{name}_lo"], table[f"p_{name}_hi"] = lo, hi

    quartiles = []
    valid = runs[ok]
    for point_id in table.index:
        group = valid[valid["point_id"] == point_id]
        times, events = _ceasefire_times(group)
        t, s = kaplan_meier(times, events)
        quartiles.append([km_quantile(t, s, q) for q in (0.25, 0.5, 0.75)])
    q = np.array(quartiles, dtype=float).reshape(-1, 3)
    table["ceasefire_round_q25"], table["ceasefire_round_median"], table["ceasefire_round_q75"] = q.T
    table = table.join(averages)

    if design_points is not None:
        table = design_points.join(table, how="left")
        table["n"] = table["n"].fillna(0).astype(int)
        table["errors"] = table["errors"].fillna(0).astype(int)
    else:
        factors = [c for c in runs.columns if c not in _RUN_COLUMNS]
        first = runs.groupby("point_id", sort=True)[factors].first()
        table = first.join(table)
    table.index.name = "point_id"
    return table.reset_index()


_RUN_COLUMNS = {f.name for f in (*store.ID_FIELDS, *store.OUTCOME_FIELDS)} | {"replicate"}


# ----------------------------------------------------------------------
# Sensitivity indices
# ----------------------------------------------------------------------
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


def sensitivity(runs: pd.DataFrame, experiment: Experiment) -> pd.DataFrame:
    """Sobol or Morris indices of each requested outcome's mean per design point.

    Args:
        runs: Saved run rows of a ``sobol`` or ``morris`` experiment.
        experiment: The experiment (its design is rebuilt from it).

    Returns:
        For Sobol: ``outcome, parameter, S1, S1_conf, ST, ST_conf`` (95%
        bootstrap half-widths) and ``noise``, the replicate-noise share of the
        outcome (see :func:`noise_share`): every total index is inflated by
        about that much, so a total index below it is indistinguishable
        from noise. For Morris: ``outcome, parameter, mu, mu_star,
        mu_star_conf, sigma``. Empty for other designs.

    Raises:
        ExperimentError: If some design point has no successful run.
    """
    if experiment.method not in ("sobol", "morris"):
        return pd.DataFrame()
    from SALib.analyze import morris, sobol

    design = build_design(experiment)
    assert design.problem is not None and design.sample is not None
    seed = experiment.master_seed % 2**32
    rows: list[dict[str, Any]] = []
    for name in experiment.outcomes:
        values = outcome_values(runs, name)
        per_point = values.groupby(runs["point_id"]).mean()
        y = per_point.reindex(range(len(design))).to_numpy(dtype=float)
        if np.isnan(y).any():
            missing = int(np.isnan(y).sum())
            raise ExperimentError(f"{experiment.name}: {missing} design points have no successful run; run the sweep to the end")
        names = design.problem["names"]
        if experiment.method == "sobol":
            res = sobol.analyze(
                design.problem, y, calc_second_order=experiment.second_order, conf_level=0.95, seed=seed
            )
            noise = noise_share(values, runs["point_id"])
            for j, param in enumerate(names):
                rows.append(
                    {
                        "outcome": name,
                        "parameter": param,
                        "S1": res["S1"][j],
                        "S1_conf": res["S1_conf"][j],
                        "ST": res["ST"][j],
                        "ST_conf": res["ST_conf"][j],
                        "noise": noise,
                    }
                )
        else:
            res = morris.analyze(
                design.problem, design.sample, y, conf_level=0.95, num_levels=experiment.morris_levels, seed=seed
            )
            for j, param in enumerate(names):
                rows.append(
                    {
                        "outcome": name,
                        "parameter": param,
                        "mu": res["mu"][j],
                        "mu_star": res["mu_star"][j],
                        "mu_star_conf": res["mu_star_conf"][j],
                        "sigma": res["sigma"][j],
                    }
                )
    return pd.DataFrame(rows)


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
        from experiments.figures import draw_all

        draw_all(out, experiment, runs, summary, indices)
    return summary


def report(out_dir: str | Path, figures: bool = True) -> pd.DataFrame:
    """Redraw the summary and figures of a results folder from its saved runs, running nothing.

    Args:
        out_dir: A folder written by :func:`experiments.run_experiment`.
        figures: Also draw the figures.

    Returns:
        The summary table.

    Raises:
        ExperimentError: If the folder has no manifest or no saved runs.
    """
    out = Path(out_dir)
    manifest = store.read_manifest(out)
    if not manifest.get("experiment_text"):
        raise ExperimentError(f"{out}: not a results folder (no {store.MANIFEST} with the experiment)")
    if not store.part_files(out):
        raise ExperimentError(f"{out}: no saved runs in {store.RUNS_DIR}/ (raw runs are not committed; run the sweep)")
    experiment = experiment_from_text(
        manifest["experiment_text"],
        where=f"{out / store.MANIFEST}",
        quick=bool(manifest.get("quick")),
        scenario=manifest.get("scenario"),
    )
    return write_analysis(out, experiment, figures=figures)
