"""The ``sweep`` and ``report`` sub-commands of ``war-termination``.

``model.cli`` builds the parser and calls :func:`register`; handlers return
the exit code and raise :class:`~experiments.spec.ExperimentError` (an
:class:`~model.errors.InputError`) for bad input, which ``model.cli`` prints
as one line and turns into exit code 2.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import pandas as pd

from experiments import store
from experiments.analysis import report
from experiments.backends import BACKENDS
from experiments.runner import MAX_WORKERS, SweepError, default_out_dir, run_experiment
from experiments.spec import MAX_RUNS, ExperimentError, list_experiments, load_experiment
from model.commandline import positive_int

FAILED_RUN = 1
"""Exit code of a sweep stopped by ``--fail-fast``, or by a worker that died or could not be started."""


def register(subparsers: Any) -> None:
    """Add the ``sweep`` and ``report`` sub-commands.

    Args:
        subparsers: The ``add_subparsers()`` object of the main parser.
    """
    sweep = subparsers.add_parser(
        "sweep",
        help="run a batch experiment in parallel and summarise it",
        description="Run a batch experiment (a bundled name or a .toml file): every design point times its "
        "replicates, each with its own seed spawned from the master seed. Runs stream to OUT/runs/ as Parquet "
        "parts; a killed sweep restarted with the same command runs only what is missing. Writes OUT/summary.csv "
        "and figures. Bundled experiments: " + ", ".join(list_experiments()) + ".",
    )
    sweep.add_argument("experiment", metavar="EXPERIMENT", help="bundled experiment name or path to a .toml file")
    sweep.add_argument("--workers", type=positive_int, default=None, help="worker processes (default: all cores)")
    sweep.add_argument(
        "--backend", choices=BACKENDS, default="processes", help="where runs execute (default: processes)"
    )
    sweep.add_argument("--scheduler", metavar="ADDR", default=None, help="Dask scheduler address, e.g. tcp://127.0.0.1:8786")
    sweep.add_argument("--out", metavar="DIR", default=None, help="results folder (default: results/EXPERIMENT)")
    group = sweep.add_mutually_exclusive_group()
    group.add_argument("--resume", dest="resume", action="store_true", default=True, help="keep saved runs (default)")
    group.add_argument(
        "--fresh", dest="resume", action="store_false", help="delete the sweep's saved files (only its own) and start over"
    )
    sweep.add_argument("--quick", action="store_true", help="run the experiment's small [quick] size")
    sweep.add_argument("--fail-fast", action="store_true", help="stop at the first run that raises")
    sweep.add_argument("--no-progress", dest="progress", action="store_false", help="no progress bar")
    sweep.add_argument("--scenario", default=None, help="run on this scenario instead of the experiment's")
    sweep.add_argument(
        "--allow-large",
        action="store_true",
        help=f"run more than {MAX_RUNS:,} runs (design points x replicates) or more than {MAX_WORKERS} workers",
    )
    sweep.set_defaults(handler=sweep_command)

    rep = subparsers.add_parser(
        "report",
        help="redraw the summary and figures of a sweep from its saved runs",
        description="Rewrite DIR/summary.csv (and sensitivity.csv) and redraw the figures from the runs saved in "
        "DIR/runs/, without running anything.",
    )
    rep.add_argument("out", metavar="DIR", help="a results folder written by 'sweep'")
    rep.set_defaults(handler=report_command)


def sweep_command(args: argparse.Namespace) -> int:
    """Run ``war-termination sweep``.

    Args:
        args: Parsed arguments.

    Returns:
        0 on success, 1 if the sweep stopped (``--fail-fast``, a worker that died or could not start).

    Raises:
        ExperimentError: For a bad experiment, option or results folder (one another sweep
            is working on, one the runner did not write, a bad manifest or part).
        OSError: If a file of the results folder cannot be written (its path named).
    """
    if args.scheduler is not None and args.backend != "dask":
        raise ExperimentError(f"--scheduler: only --backend dask uses a scheduler, got --backend {args.backend}")
    # the path as given (an empty one is refused by the runner, not turned into the current folder by Path)
    given = args.out if args.out is not None else default_out_dir(load_experiment(args.experiment, allow_large=args.allow_large))
    try:
        summary = run_experiment(
            args.experiment,
            out_dir=given,
            workers=args.workers,
            backend=args.backend,
            scheduler=args.scheduler,
            resume=args.resume,
            quick=args.quick,
            fail_fast=args.fail_fast,
            progress=args.progress,
            scenario=args.scenario,
            allow_large=args.allow_large,
        )
    except SweepError as exc:
        print(f"war-termination sweep: stopped: {' '.join(str(exc).split())}", file=sys.stderr)
        return FAILED_RUN
    n = int(summary["n"].sum())
    errors = int(summary["errors"].sum())
    negotiated = float((summary["p_negotiated"] * summary["n"]).sum() / n) if n else float("nan")
    print(f"{len(summary)} design points, {n} runs ({errors} failed); P(negotiated end) over all runs {negotiated:.3f}")
    print(written(Path(given)))
    return 0


def written(out: Path) -> str:
    """Where a sweep or a report left its tables and figures, for the user to open.

    Args:
        out: The results folder.

    Returns:
        Lines naming the summary table, the sensitivity indices (if any) and the figures drawn (their PNGs;
        the PDF beside each is said once), with their folder.
    """
    lines = [f"summary: {out / store.SUMMARY}"]
    if (out / store.SENSITIVITY).is_file():
        lines.append(f"sensitivity indices: {out / store.SENSITIVITY}{_widest(out / store.SENSITIVITY)}")
    figures = [name for name in store.FIGURES if name.endswith(".png") and (out / name).is_file()]
    lines.append(f"figures in {out}: {', '.join(figures) if figures else 'none'}")
    if any((out / name).with_suffix(".pdf").is_file() for name in figures):
        lines.append("each also as a PDF of the same name, to print")
    return "\n".join(lines)


def _widest(path: Path) -> str:
    """The widest 95% half-width among a Sobol table's indices, said beside it (nothing for a Morris table)."""
    indices = pd.read_csv(path)
    widths = [(float(indices[f"{name}_conf"].max()), name) for name in ("S1", "ST") if f"{name}_conf" in indices]
    if not widths or indices.empty:
        return ""
    width, name = max(widths)
    at = int(indices[f"{name}_conf"].to_numpy().argmax())
    parameter, outcome = indices["parameter"].iloc[at], indices["outcome"].iloc[at]
    return f" (widest 95% half-width {width:.3f}: {name} of {parameter} on {outcome})"


def report_command(args: argparse.Namespace) -> int:
    """Run ``war-termination report``.

    Args:
        args: Parsed arguments.

    Returns:
        0.

    Raises:
        ExperimentError: If DIR is not a results folder with saved runs, a sweep is working on it,
            or its manifest or a part does not fit (see :func:`experiments.analysis.report`).
    """
    summary = report(args.out)
    print(f"{len(summary)} design points, {int(summary['n'].sum())} runs: summary and figures rewritten")
    print(written(Path(args.out)))
    return 0
