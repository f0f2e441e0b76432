"""Regenerate the reference results in ``results/``: every shipped experiment, one command.

Usage (from the repository root)::

    python -m experiments.reference                  # full sizes, all cores, from scratch
    python -m experiments.reference --quick          # the quick sizes
    python -m experiments.reference --only sensitivity --workers 2
    python -m experiments.reference --resume         # finish an interrupted regeneration

Each experiment is run as ``war-termination sweep NAME --fresh`` would, into
``results/NAME/``: a reference result must come from one code version, so
saved runs are deleted first unless ``--resume`` is given (and resuming
refuses runs made by other model code). The raw runs under
``results/*/runs/`` are not committed, the summaries and figures are.
Bad arguments print one line on stderr and exit with status 2.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from experiments.runner import SweepError, run_experiment
from experiments.spec import list_experiments
from model.commandline import USAGE_ERROR, Parser, one_line, positive_int
from model.errors import InputError

PROG = "python -m experiments.reference"


def _parser() -> argparse.ArgumentParser:
    parser = Parser(prog=PROG, description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="run the quick sizes")
    parser.add_argument("--workers", type=positive_int, default=None, help="worker processes (default: all cores)")
    parser.add_argument("--only", nargs="*", choices=list_experiments(), default=None, help="run only these")
    parser.add_argument("--results", default="results", help="parent folder of the results (default: results)")
    group = parser.add_mutually_exclusive_group()
    group.add_argument(
        "--fresh", dest="resume", action="store_false", default=False, help="delete saved runs first (default)"
    )
    group.add_argument(
        "--resume", dest="resume", action="store_true", help="keep saved runs made by this model code, run the rest"
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the shipped experiments and print each one's size and time.

    Args:
        argv: Command-line arguments (``None``: ``sys.argv``).

    Returns:
        The exit code: 0 on success, 2 on bad input, 1 if a sweep stopped (a dead worker, a file it could not write).
    """
    try:
        args = _parser().parse_args(argv)
        for name in args.only or list_experiments():
            started = time.perf_counter()
            summary = run_experiment(
                name, out_dir=Path(args.results) / name, workers=args.workers, quick=args.quick, resume=args.resume
            )
            print(f"{name}: {len(summary)} points, {int(summary['n'].sum())} runs in {time.perf_counter() - started:.1f} s")
    except SystemExit as exc:  # --help exits through argparse
        return exc.code if isinstance(exc.code, int) else 0
    except InputError as exc:  # a bad option (UsageError), experiment or results folder: one line, exit 2
        print(f"{PROG}: error: {one_line(exc)}", file=sys.stderr)
        return USAGE_ERROR
    except (SweepError, OSError) as exc:  # a worker that died or could not start, a file that could not be written: exit 1
        print(f"{PROG}: error: {one_line(exc)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
