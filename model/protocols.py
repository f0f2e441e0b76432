"""Negotiation protocols: one small class each, in one registry.

A protocol decides what is on the table in a round and whose interests the
proposal leans toward. Everything else (values, ranges, acceptance) is the
same for every protocol, so a new protocol is one class with ``@register``.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import ClassVar

from model.issues import Step

__all__ = ["PROTOCOLS", "Protocol", "TableState", "register"]


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

    @abstractmethod
    def agenda(self, state: TableState) -> tuple[Step, ...]:
        """The steps whose issues are on the table this round (empty: no talks)."""

    @abstractmethod
    def weight_ukraine(self, state: TableState) -> float:
        """Ukraine's weight in the (asymmetric) Nash bargaining solution proposed."""


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

    def agenda(self, state: TableState) -> tuple[Step, ...]:  # noqa: D102
        if state.open_step is Step.CEASEFIRE or state.confidence >= state.confidence_threshold:
            return (state.open_step,)
        return ()

    def weight_ukraine(self, state: TableState) -> float:  # noqa: D102
        return state.mediator_lean


@register
class Package(Protocol):
    """The IFG proposes every issue at once; agreement is a settlement."""

    name = "package"
    mediated = True
    description = "IFG proposes all issues at once; agreement is a full settlement"

    def agenda(self, state: TableState) -> tuple[Step, ...]:  # noqa: D102
        return tuple(Step)

    def weight_ukraine(self, state: TableState) -> float:  # noqa: D102
        return state.mediator_lean


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

    def agenda(self, state: TableState) -> tuple[Step, ...]:  # noqa: D102
        return tuple(Step)

    def weight_ukraine(self, state: TableState) -> float:  # noqa: D102
        # the proposer keeps the whole surplus: a take-it-or-leave-it (ultimatum) offer, not Rubinstein's split
        return 1.0 if state.round % 2 == 0 else 0.0


@register
class NoTalks(Protocol):
    """No negotiation: the war runs to a victory or to the round limit."""

    name = "none"
    mediated = False
    description = "no negotiation; the war runs to victory or the round limit"

    def agenda(self, state: TableState) -> tuple[Step, ...]:  # noqa: D102
        return ()

    def weight_ukraine(self, state: TableState) -> float:  # noqa: D102
        return 0.5
