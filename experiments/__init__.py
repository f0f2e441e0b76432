"""Batch experiments: declared as TOML files, run in parallel, streamed to disk, summarised.

The public API::

    from experiments import load_experiment, run_experiment

    exp = load_experiment("severodonetsk_trend")          # a bundled name or a path
    small = exp.resized(replicates=12)                    # another size, validated (or load_experiment(..., replicates=12))
    summary = run_experiment(exp, out_dir="results/severodonetsk_trend", workers=2)

See ``docs/experiments.md`` (its "Layout of experiments/" says which module does what).
"""

from experiments.analysis import report
from experiments.backends import BACKENDS
from experiments.runner import SweepError, replay_command, run_experiment
from experiments.spec import METHODS, OUTCOMES, Experiment, ExperimentError, list_experiments, load_experiment
from experiments.store import read_manifest, read_runs

__all__ = [
    "BACKENDS",
    "METHODS",
    "OUTCOMES",
    "Experiment",
    "ExperimentError",
    "SweepError",
    "list_experiments",
    "load_experiment",
    "read_manifest",
    "read_runs",
    "replay_command",
    "report",
    "run_experiment",
]
