"""Shared test settings."""

from __future__ import annotations

import os

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
