"""The per-round record: the model reporters of the DataCollector, one column each.

The browser page, ``war-termination run --out`` and the notebooks read these
columns; each is a scalar of the round's end (after the negotiation and the
check for the end of the war).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from model.outcome import Side

REPORTERS: dict[str, Callable[[Any], Any]] = {
    "round": lambda m: m.steps,
    "front": lambda m: m.battlefield.share,
    "balance": lambda m: m.true_balance,
    "belief_russia": lambda m: m.russia.believed_balance,
    "belief_ukraine": lambda m: m.ukraine.believed_balance,
    "belief_sd_russia": lambda m: m.russia.belief_sd,
    "belief_sd_ukraine": lambda m: m.ukraine.belief_sd,
    "mediator_estimate": lambda m: m.mediator.estimate,
    "war_value_russia": lambda m: m.russia.war_value,
    "war_value_ukraine": lambda m: m.ukraine.war_value,
    "reservation_russia": lambda m: m.reservations[Side.RUSSIA],
    "reservation_ukraine": lambda m: m.reservations[Side.UKRAINE],
    "proposal_value_russia": lambda m: m.proposal_values[Side.RUSSIA],
    "proposal_value_ukraine": lambda m: m.proposal_values[Side.UKRAINE],
    "bargaining_range": lambda m: m.range_exists,
    "open_step": lambda m: int(m.open_step),
    "steps_agreed": lambda m: len(m.agreed),
    "confidence": lambda m: m.confidence,
    "ceasefire": lambda m: m.ceasefire,
    "violations": lambda m: m.violations_this_round,
    "violations_total": lambda m: m.violations_detected,
    "breakdowns": lambda m: m.breakdowns,
    "aid_ukraine": lambda m: m.ukraine.aid,
    "aid_russia": lambda m: m.russia.aid,
    "political_pressure_russia": lambda m: m.russia.political_pressure,
    "political_pressure_ukraine": lambda m: m.ukraine.political_pressure,
    "cost_russia": lambda m: m.russia.cumulative_cost,
    "cost_ukraine": lambda m: m.ukraine.cumulative_cost,
    "status": lambda m: m.status,
}
"""Column name to reporter (a function of the model), in the order of the per-round table."""
