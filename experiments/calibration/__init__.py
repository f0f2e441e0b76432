"""Calibration of a scenario to the record of what happened: target files, ABC-SMC, posterior and checks.

The names below load on first use: :mod:`experiments.spec` reads posterior
files through :mod:`experiments.calibration.draws`, and importing the whole
package from there would import the runner's modules while they load.
"""

from __future__ import annotations

import importlib
from typing import Any

_WHERE = {
    "Calibration": "calibrate",
    "calibrate": "calibrate",
    "TargetError": "targets",
    "Targets": "targets",
    "load_targets": "targets",
    "checks": "posterior",
    "point_estimate": "posterior",
    "predictive": "posterior",
    "Posterior": "draws",
    "load_posterior": "draws",
    "posterior_path": "draws",
}

__all__ = [
    "Calibration",
    "Posterior",
    "TargetError",
    "Targets",
    "calibrate",
    "checks",
    "load_posterior",
    "load_targets",
    "point_estimate",
    "posterior_path",
    "predictive",
]


def __getattr__(name: str) -> Any:
    """Import a public name from its module on first use."""
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_WHERE[name]}"), name)
