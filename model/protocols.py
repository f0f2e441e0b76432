"""Negotiation protocols: one small class each, in one registry.

A protocol decides what is on the table in a round and whose interests the
proposal leans toward. Everything else (values, ranges, acceptance) is the
same for every protocol. Its rule is a branch of two kernels,
:func:`model.engine.mechanics.agenda_range` and
:func:`~model.engine.mechanics.proposer_weight`, which the round's schedule
calls; a class here names the protocol, describes it and gives its code
(``layout.PROTOCOL_CODES``), so a new protocol is a class with ``@register``,
a code and its branch of the two kernels (docs/development.md).
"""

from __future__ import annotations

from abc import ABC
from dataclasses import dataclass
from typing import ClassVar

from model.engine import mechanics
from model.engine.jit import for_single_runs
from model.engine.layout import PROTOCOL_CODES
from model.issues import Step

__all__ = ["PROTOCOLS", "Protocol", "TableState", "register"]

_AGENDA_RANGE = for_single_runs(mechanics.agenda_range)
_PROPOSER_WEIGHT = for_single_runs(mechanics.proposer_weight)


@dataclass(frozen=True)
class TableState:
    """What a protocol may look at when it sets the agenda.

    Attributes:
        round: The current round (1-based).
        open_step: The step the plan would negotiate next.
        ceasefire: True while a ceasefire holds.
        confidence: Confidence built since the last agreed step.
        confidence_threshold: Confidence a later step needs before it opens.
        mediator_lean: The mediator's lean toward Ukraine, in [0, 1].
    """

    round: int
    open_step: Step
    ceasefire: bool
    confidence: float
    confidence_threshold: float
    mediator_lean: float


class Protocol(ABC):
    """A negotiation protocol.

    Attributes:
        name: The registry name used by scenarios and the CLI.
        mediated: True if the IFG tables the proposals (and its leverage applies).
        description: One line for the docs and the CLI.
    """

    name: ClassVar[str]
    mediated: ClassVar[bool]
    description: ClassVar[str]

    @property
    def code(self) -> int:
        """The protocol's code in the kernels (``layout.PROTOCOL_CODES``).

        Raises:
            NotImplementedError: For a protocol registered without one.
        """
        if self.name not in PROTOCOL_CODES:
            raise NotImplementedError(f"protocol {self.name!r} has no code: add it to layout.PROTOCOL_CODES and its rule to the kernels")
        return PROTOCOL_CODES[self.name]

    def agenda(self, state: TableState) -> tuple[Step, ...]:
        """The steps whose issues are on the table this round (empty: no talks): :func:`model.engine.mechanics.agenda_range`."""
        first, last = _AGENDA_RANGE(self.code, int(state.open_step), state.confidence, state.confidence_threshold)
        return tuple(Step(k) for k in range(first, last + 1))

    def weight_ukraine(self, state: TableState) -> float:
        """Ukraine's weight in the asymmetric Nash bargaining solution proposed: :func:`model.engine.mechanics.proposer_weight`."""
        return float(_PROPOSER_WEIGHT(self.code, state.round, state.mediator_lean))


PROTOCOLS: dict[str, type[Protocol]] = {}


def register(cls: type[Protocol]) -> type[Protocol]:
    """Class decorator that adds a protocol to :data:`PROTOCOLS`."""
    PROTOCOLS[cls.name] = cls
    return cls


@register
class IfgSequential(Protocol):
    """The Italian plan: four steps in order, each opened once confidence is built."""

    name = "ifg_sequential"
    mediated = True
    description = "IFG mediates the four steps in sequence; a step opens once confidence reaches the threshold"


@register
class Package(Protocol):
    """The IFG proposes every issue at once; agreement is a settlement."""

    name = "package"
    mediated = True
    description = "IFG proposes all issues at once; agreement is a full settlement"


@register
class Bilateral(Protocol):
    """No mediator: the belligerents alternate take-it-or-leave-it offers on every issue.

    Each round one side proposes and the other accepts any terms at least as
    good as its no-agreement value (war, or the ceasefire in force). The
    proposer therefore offers the point of the range best for itself and keeps
    the whole surplus: the subgame-perfect offer of the one-shot ultimatum game
    (Guth, Schmittberger and Schwarze 1982), made afresh each round by the side
    whose turn it is. This is not Rubinstein's (1982) alternating-offers
    equilibrium, in which the responder also counts its own turn to propose
    next round: there the proposer's share of the surplus is
    ``(1 - delta) / (1 - delta**2) = 1 / (1 + delta)`` for a per-round discount
    factor ``delta``, close to an even split at weekly discount factors
    (0.501 at ``delta = 0.995``). The model's responders are myopic.
    """

    name = "bilateral"
    mediated = False
    description = "no mediator; Russia (odd rounds) and Ukraine (even rounds) alternate offers on all issues"


@register
class NoTalks(Protocol):
    """No negotiation: the war runs to a victory or to the round limit."""

    name = "none"
    mediated = False
    description = "no negotiation; the war runs to victory or the round limit"
