"""Regenerate the reference results in ``results/``: every shipped experiment, one command.

Usage (from the repository root)::

    python -m experiments.reference                  # full sizes, all cores
    python -m experiments.reference --quick          # the quick sizes
    python -m experiments.reference --only sensitivity --workers 2

Each experiment is run as ``war-termination sweep NAME`` would, into
``results/NAME/`` (resuming what is already saved there); the raw runs under
``results/*/runs/`` are not committed, the summaries and figures are.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from experiments.runner import run_experiment
from experiments.spec import list_experiments


def main(argv: list[str] | None = None) -> int:
    """Run the shipped experiments and print each one's size and time.

    Args:
        argv: Command-line arguments (``None``: ``sys.argv``).

    Returns:
        The exit code.
    """
    parser = argparse.ArgumentParser(prog="python -m experiments.reference", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="run the quick sizes")
    parser.add_argument("--workers", type=int, default=None, help="worker processes (default: all cores)")
    parser.add_argument("--only", nargs="*", choices=list_experiments(), default=None, help="run only these")
    parser.add_argument("--results", default="results", help="parent folder of the results (default: results)")
    parser.add_argument("--fresh", action="store_true", help="delete saved runs first")
    args = parser.parse_args(argv)
    for name in args.only or list_experiments():
        started = time.perf_counter()
        summary = run_experiment(
            name, out_dir=Path(args.results) / name, workers=args.workers, quick=args.quick, resume=not args.fresh
        )
        print(f"{name}: {len(summary)} points, {int(summary['n'].sum())} runs in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
