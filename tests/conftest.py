"""Shared helpers for the test suite: building and running models, Hypothesis settings."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest
from hypothesis import HealthCheck, settings

from model import WarTerminationModel

# model runs vary in length, so Hypothesis' per-example deadline would only add noise
settings.register_profile(
    "project",
    deadline=None,
    max_examples=30,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
settings.load_profile("project")


def run_model(scenario: str = "italian_plan_2022", seed: int = 0, **overrides: Any) -> WarTerminationModel:
    """Build a model, run it to the end and return it (its outcome is ``model.outcome``)."""
    model = WarTerminationModel(scenario=scenario, rng=seed, **overrides)
    model.run()
    return model


def record(model: WarTerminationModel) -> pd.DataFrame:
    """The per-round record of a model."""
    return model.datacollector.get_model_vars_dataframe()


@pytest.fixture
def run() -> Any:
    """The :func:`run_model` helper, as a fixture."""
    return run_model
