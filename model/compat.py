"""Workarounds for differences between the supported Mesa versions (3.3.1 on Python 3.11, the newest on 3.12+)."""

from __future__ import annotations

from collections.abc import Callable
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
    """Mesa's DataCollector, with a faster path for the model's per-round scalars and its agents' rows.

    Every model reporter here returns an immutable scalar, so the defensive
    deep copy Mesa makes of each value is not needed; it cost about half of
    a run's time. The agents' rows are built with one call an agent
    (``agent_row``) rather than one call a column, and stored where and as
    Mesa stores them (keyed by ``model.steps`` in Mesa 3.3.1, ``model.time``
    from 3.4), so ``get_agent_vars_dataframe`` and ``batch_run`` read them as
    their own (the agents are read once: the model creates them all before
    its first row and removes none). Tables and agent-type reporters behave as in Mesa, and so
    does the list of collection times that Mesa 3.4+ keeps (``batch_run``
    reads its rows through it; Mesa 3.3.1 has none).

    Args:
        model_reporters: Column name to a function of the model.
        agent_reporters: Column name to a function of an agent (``None``: no agents' table).
        agent_row: A function of an agent giving all its columns at once, in the order of ``agent_reporters``.
    """

    model_reporters: dict[str, Any]
    agent_reporters: dict[str, Any]

    def __init__(
        self,
        model_reporters: dict[str, Any],
        agent_reporters: dict[str, Any] | None = None,
        agent_row: Callable[[Any], tuple[Any, ...]] | None = None,
    ) -> None:
        """Mesa's DataCollector with the model's reporters and, if given, its agents' rows."""
        super().__init__(model_reporters=model_reporters, agent_reporters=agent_reporters)
        self._agent_row = agent_row
        self._agents: tuple[mesa.Agent, ...] | None = None

    def collect(self, model: mesa.Model) -> None:
        """Record one row of the model reporters, the agents' rows (and anything else Mesa records)."""
        times = getattr(self, "_collection_steps", None)
        if times is not None:
            times.append(model.time)
        for var, reporter in self.model_reporters.items():
            self.model_vars[var].append(reporter(model))
        if self.agent_reporters and self._agent_row is not None:
            when = model.time if times is not None else model.steps
            row = self._agent_row
            if self._agents is None:  # the model creates every agent in __init__ and removes none
                self._agents = tuple(model.agents)
            self._agent_records[when] = [(when, agent.unique_id, *row(agent)) for agent in self._agents]
        elif self.agent_reporters or self.agenttype_reporters:
            self._mesa_collect(model, keep_agents=True)
        if self.agenttype_reporters:
            self._mesa_collect(model, keep_agents=False)

    def _mesa_collect(self, model: mesa.Model, keep_agents: bool) -> None:
        """Mesa's own collection, the model reporters (recorded already) left out, and the agents' unless ``keep_agents``."""
        reporters, agents = self.model_reporters, self.agent_reporters
        self.model_reporters = {}
        if not keep_agents:
            self.agent_reporters = {}
        try:
            super().collect(model)
        finally:
            self.model_reporters, self.agent_reporters = reporters, agents

    def add_run_columns(self, values: dict[str, Any]) -> None:
        """Add columns that hold one value for the whole run, repeated in every row recorded so far.

        Not reporters: nothing is recorded for them in later rows (the model
        adds them when its run is over, after its last row).

        Args:
            values: Column name to the run's value.
        """
        rows = len(next(iter(self.model_vars.values()), []))
        for name, value in values.items():
            self.model_vars[name] = [value] * rows
