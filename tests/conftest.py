"""Shared test settings."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

# model runs vary in length, so Hypothesis' per-example deadline would only add noise;
# 30 examples keep the default suite fast; HYPOTHESIS_PROFILE=thorough runs 1,000
settings.register_profile(
    "project",
    deadline=None,
    max_examples=30,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
settings.register_profile("thorough", parent=settings.get_profile("project"), max_examples=1000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "project"))


def pytest_sessionstart(session: object) -> None:
    """Compile the compiled path once, before any test (about a minute on a fresh machine, a second once cached).

    Tests with a time bound (the fuzzers', the sweeps' in subprocesses) then
    measure the model, not numba compiling it in whichever test came first.
    """
    from experiments.worker import warm_up

    warm_up()


@pytest.fixture
def fail_runs_where(monkeypatch: pytest.MonkeyPatch) -> Callable[[Callable[[Mapping[str, Any]], bool]], None]:
    """Make the worker's runs raise ``RuntimeError("engine trouble")`` where the values their inputs were packed from pass a test."""
    from experiments import worker

    def install(failing: Callable[[Mapping[str, Any]], bool]) -> None:
        real_run, real_pack = worker.run_one, worker.pack
        packed_from: dict[int, Mapping[str, Any]] = {}  # each point's inputs, by id, to the values packed

        def remembering(values: Mapping[str, Any]) -> Any:
            inputs = real_pack(values)
            packed_from[id(inputs)] = values
            return inputs

        def flaky(inputs: Any, seed: int) -> Any:
            if failing(packed_from[id(inputs)]):
                raise RuntimeError("engine trouble")
            return real_run(inputs, seed)

        monkeypatch.setattr(worker, "pack", remembering)
        monkeypatch.setattr(worker, "run_one", flaky)

    return install


UNCALIBRATED = {
    "initial_advantage": 0.58,
    "momentum": -0.001,
    "volatility": 0.005,
    "prior_mean_russia": 0.67,
    "prior_mean_ukraine": 0.35,
    "audience_cost_ukraine": 1.0,
    "rearmament": 0.01,
}
"""italian_plan_2022's seven calibrated values as they were set by assumption before the calibration.

The calibrated scenario reproduces the record: in most of its runs no ceasefire comes, and talks seldom
reach their later steps. Tests of a mechanism that needs talks to progress (the plan's steps on the page,
territorial forms, Powell's threshold) run the scenario with these values, where they do.
"""
