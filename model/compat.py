"""Workarounds for differences between the supported Mesa versions (3.3.1 on Python 3.11, the newest on 3.12+)."""

from __future__ import annotations

from typing import Any

import mesa


def forget_agent_counter(model: mesa.Model) -> None:
    """Drop Mesa's class-level reference to ``model`` once every agent exists.

    Mesa 3.3.1 numbers agents from ``Agent._ids``, a class-level dict keyed
    by the model, so every model that ever created an agent stays alive for
    the life of the process (fixed in later releases). The model creates all
    its agents in ``__init__``, so the counter can go afterwards and a run's
    model can be freed.
    """
    counters = getattr(mesa.Agent, "_ids", None)
    if isinstance(counters, dict):
        counters.pop(model, None)


class RoundRecorder(mesa.DataCollector):
    """Mesa's DataCollector, with a faster path for the model's per-round scalars.

    Every model reporter here returns an immutable scalar, so the defensive
    deep copy Mesa makes of each value is not needed; it cost about half of
    a run's time. Agent reporters and tables behave as in Mesa, and so does
    the list of collection times that Mesa 3.4+ keeps (``batch_run`` reads
    its rows through it; Mesa 3.3.1 has none).
    """

    model_reporters: dict[str, Any]

    def collect(self, model: mesa.Model) -> None:
        """Record one row of the model reporters (and anything else Mesa records)."""
        times = getattr(self, "_collection_steps", None)
        if times is not None:
            times.append(model.time)
        for var, reporter in self.model_reporters.items():
            self.model_vars[var].append(reporter(model))
        if self.agent_reporters or self.agenttype_reporters:
            reporters = self.model_reporters
            self.model_reporters = {}
            try:
                super().collect(model)
            finally:
                self.model_reporters = reporters
