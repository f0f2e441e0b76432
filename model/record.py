"""What a run records: the per-round table (the model reporters), the agents' table and the run's outcome.

The browser page, ``war-termination run --out`` and the notebooks read the
per-round columns; each is a scalar of the round's end (after the
negotiation and the check for the end of the war). ``mesa.batch_run`` reads
the same table, so the run's outcome record joins it, as run-level columns
(:func:`outcome_columns`), when the run ends. The agents' table
(``datacollector.get_agent_vars_dataframe()``) holds one row per agent per
round (:data:`AGENT_REPORTERS`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from model.agents import Belligerent, Mediator, ThirdParty
from model.outcome import Outcome, Side

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

OUTCOME_PREFIX = "outcome_"


def outcome_columns(outcome: Outcome) -> dict[str, Any]:
    """The run's outcome record as run-level columns of the per-round table: ``outcome_`` and each field.

    Every field of :meth:`model.Outcome.to_dict` (``outcome_kind``,
    ``outcome_winner``, ``outcome_term_crimea``, ...) and ``outcome_negotiated``.
    The prefix keeps them apart from the per-round columns of the same name
    (``breakdowns`` so far, ``cost_russia`` this round).

    Args:
        outcome: The finished run's outcome.

    Returns:
        Column name to value.
    """
    record = {"negotiated": outcome.negotiated, **outcome.to_dict()}
    return {OUTCOME_PREFIX + name: value for name, value in record.items()}


AGENT_COLUMNS: tuple[str, ...] = (
    "role",
    "name",
    "belief",
    "war_value",
    "reservation",
    "proposal_value",
    "accepts",
    "cost",
    "aid",
    "pressure",
    "political_pressure",
    "stance",
    "patron",
    "lean",
    "guarantee",
)
"""The columns of the agents' table, one row per agent per round; ``None`` where a column is not the agent's.

- ``role``: ``belligerent``, ``third_party`` or ``mediator``; ``name``: ``russia``,
  ``ukraine``, a third party's code (``us``, ``uk``, ...) or ``ifg``.
- ``belief``: a belligerent's mean belief that Russia wins an engagement; the
  IFG's own estimate.
- A belligerent's ``war_value`` (this round's value of fighting on),
  ``reservation`` and ``proposal_value`` (its no-agreement value and its value
  of the proposal tabled, NaN if none), ``accepts`` (its own answer to the
  proposal; ``None`` if none was tabled), ``cost`` (borne so far), ``aid``
  (received this round, $bn), ``pressure`` (its backers' aid-weighted stance)
  and ``political_pressure`` (their voices' push on its acceptance).
- A third party's ``aid`` (given to its patron this round, $bn), ``stance`` on
  talks, ``patron``, ``lean`` (ideal point) and ``guarantee`` (commitment as a
  guarantor); the IFG's ``lean`` and ``guarantee`` (its guarantee's credibility).
"""


def agent_row(agent: Any) -> tuple[Any, ...]:
    """One agent's row of the agents' table, in the order of :data:`AGENT_COLUMNS`.

    One function per kind of agent, so a round's rows cost one call an agent
    (the recorder's fast path, :class:`model.compat.RoundRecorder`).

    Args:
        agent: A belligerent, a third party or the mediator.

    Returns:
        The values.
    """
    if isinstance(agent, Belligerent):
        m, side = agent.model, agent.side
        return (
            "belligerent", side.value, agent.believed_balance, agent.war_value, m.reservations[side],
            m.proposal_values[side], m.answers[side], agent.cumulative_cost, agent.aid, agent.pressure,
            agent.political_pressure, None, None, None, None,
        )  # fmt: skip
    if isinstance(agent, ThirdParty):
        s = agent.settings
        aid = s.aid if s.patron is not None else 0.0  # what act() delivers each round
        patron = s.patron.value if s.patron is not None else "none"
        return ("third_party", agent.code, None, None, None, None, None, None, aid, None, None, s.stance, patron, s.lean, s.guarantee)
    if isinstance(agent, Mediator):
        return ("mediator", "ifg", agent.estimate, *(None,) * 10, agent.lean, agent.guarantee_credibility)
    raise TypeError(f"not an agent of this model: {agent!r}")


def _column(index: int) -> Callable[[Any], Any]:
    return lambda agent: agent_row(agent)[index]


AGENT_REPORTERS: dict[str, Callable[[Any], Any]] = {name: _column(i) for i, name in enumerate(AGENT_COLUMNS)}
"""Column of the agents' table to reporter (a function of an agent), as Mesa's DataCollector takes them.

The recorder builds a round's rows with :func:`agent_row` instead, one call
an agent; these give the same values one column at a time.
"""
