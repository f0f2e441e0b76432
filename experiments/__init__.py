"""Batch experiments: declared as TOML files, run in parallel, streamed to disk, summarised.

The public API::

    from experiments import load_experiment, run_experiment

    exp = load_experiment("severodonetsk_trend")          # a bundled name or a path
    small = exp.resized(replicates=12)                    # another size, validated (or load_experiment(..., replicates=12))
    summary = run_experiment(exp, out_dir="results/severodonetsk_trend", workers=2)

Scenario discovery over a table of runs (PRIM and CART, through the EMA workbench)::

    from experiments import prim, prim_trajectory, choose_box, box_limits, cart_boxes

    box = prim(runs[inputs], runs["kind"] == "settlement")   # peeled, then pasted
    limits = box_limits(box, choose_box(box, min_density=0.5))

and the model as an EMA workbench ``Model`` (:func:`experiments.ema.ema_model`; ``docs/interoperability.md``).

See ``docs/experiments.md`` (its "Layout of experiments/" says which module does what).
"""

from experiments.analysis import report
from experiments.backends import BACKENDS
from experiments.discovery import box_limits, cart_boxes, choose_box, prim, prim_trajectory
from experiments.ema import ema_model
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
    "box_limits",
    "cart_boxes",
    "choose_box",
    "ema_model",
    "list_experiments",
    "load_experiment",
    "prim",
    "prim_trajectory",
    "read_manifest",
    "read_runs",
    "replay_command",
    "report",
    "run_experiment",
]
