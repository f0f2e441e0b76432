"""The ``calibrate`` sub-command of ``war-termination``.

``model.cli`` builds the parser and calls :func:`register` (an entry point of
``war_termination.commands``); bad input raises an
:class:`~model.errors.InputError`, which ``model.cli`` prints as one line and
turns into exit code 2.
"""

from __future__ import annotations

import argparse
from typing import Any

from experiments.calibration.calibrate import PREDICTIVE_RUNS, calibrate, summary_line
from experiments.calibration.smc import BACKENDS
from experiments.calibration.targets import TargetError
from model.commandline import positive_int


def register(subparsers: Any) -> None:
    """Add the ``calibrate`` sub-command.

    Args:
        subparsers: The ``add_subparsers()`` object of the main parser.
    """
    command = subparsers.add_parser(
        "calibrate",
        help="estimate a scenario's uncertain values from a record of what happened (ABC-SMC)",
        description="Approximate Bayesian computation (sequential Monte Carlo, pyabc) of the parameters a target "
        "file gives priors for, against the statistics it records. Writes the posterior, diagnostics, predictive "
        "checks, figures and a calibrated scenario file to OUT; a stopped calibration restarted with the same "
        "command goes on from its last generation. Bundled target file: record_2022_2024.",
    )
    command.add_argument("scenario", metavar="SCENARIO", help="bundled scenario name or path to a .toml file")
    command.add_argument("--targets", required=True, metavar="FILE", help="target file (bundled name or path)")
    command.add_argument("--out", metavar="DIR", default=None, help="results folder (default: results/calibration/SCENARIO)")
    command.add_argument("--backend", choices=BACKENDS, default="processes",
                         help="where runs execute (default: processes; serial reproduces bit for bit)")
    command.add_argument("--workers", type=positive_int, default=2, help="worker processes (default: 2)")
    command.add_argument("--scheduler", metavar="ADDR", default=None, help="Dask scheduler address")
    command.add_argument("--population", type=positive_int, default=None, help="particles per generation (default: the target file's)")
    command.add_argument("--generations", type=positive_int, default=None, help="generations (default: the target file's)")
    command.add_argument("--predictive-runs", type=positive_int, default=PREDICTIVE_RUNS,
                         help=f"runs for the predictive checks (default: {PREDICTIVE_RUNS})")
    group = command.add_mutually_exclusive_group()
    group.add_argument("--resume", dest="resume", action="store_true", default=True, help="go on from a saved calibration (default)")
    group.add_argument("--fresh", dest="resume", action="store_false", help="start over")
    command.add_argument("--no-progress", dest="progress", action="store_false", help="no log of each generation")
    command.set_defaults(handler=calibrate_command)


def calibrate_command(args: argparse.Namespace) -> int:
    """Run ``war-termination calibrate``.

    Returns:
        0.

    Raises:
        TargetError: For a bad target file, option or folder (an input error: exit 2).
    """
    if args.predictive_runs < 10:
        raise TargetError(f"--predictive-runs: at least 10, got {args.predictive_runs}")
    result = calibrate(
        args.scenario, args.targets, args.out, backend=args.backend, workers=args.workers, scheduler=args.scheduler,
        resume=args.resume, progress=args.progress, predictive_runs=args.predictive_runs,
        population=args.population, generations=args.generations,
    )
    print(summary_line(result))
    return 0
