"""How a run ended: the outcome record (docs/ODD.md, section 4.11 Observation)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from model.issues import ISSUES, TERRITORY_ISSUES


class OutcomeKind(StrEnum):
    """The four ways a run can end."""

    SETTLEMENT = "settlement"
    CEASEFIRE = "ceasefire"
    VICTORY = "victory"
    WAR = "war"


class Side(StrEnum):
    """The two belligerents."""

    RUSSIA = "russia"
    UKRAINE = "ukraine"

    @property
    def other(self) -> Side:
        """The opposing side."""
        return Side.UKRAINE if self is Side.RUSSIA else Side.RUSSIA


@dataclass(frozen=True)
class Outcome:
    """The record of one finished run.

    Attributes:
        kind: How it ended.
        winner: The victor, for a victory; ``None`` otherwise.
        rounds: Rounds played.
        step_reached: The highest step of the plan agreed at any time (0 if none).
        first_ceasefire_round: Round of the first ceasefire, if any.
        breakdowns: Ceasefires that broke down.
        violations_detected: Ceasefire violations the monitors detected.
        terms: Each issue's value at the end; ``None`` if unresolved (or deferred).
        forms: How each territorial issue was settled (a
            :class:`~model.issues.TerritorialForm` value); ``None`` if no agreement covers it.
        costs: Cumulative costs per side (utility units).
        final_front: Russia's share of the contested territory at the end.
        final_balance: True probability that Russia wins an engagement at the end.
    """

    kind: OutcomeKind
    winner: Side | None
    rounds: int
    step_reached: int
    first_ceasefire_round: int | None
    breakdowns: int
    violations_detected: int
    terms: dict[str, float | None] = field(default_factory=dict)
    forms: dict[str, str | None] = field(default_factory=dict)
    costs: dict[str, float] = field(default_factory=dict)
    final_front: float = 0.0
    final_balance: float = 0.0

    @property
    def negotiated(self) -> bool:
        """True if the run ended in a settlement or a ceasefire that holds."""
        return self.kind in (OutcomeKind.SETTLEMENT, OutcomeKind.CEASEFIRE)

    def to_dict(self) -> dict[str, Any]:
        """A flat record with plain types, one column per field, term and cost."""
        record: dict[str, Any] = {
            "kind": self.kind.value,
            "winner": self.winner.value if self.winner else None,
            "rounds": self.rounds,
            "step_reached": self.step_reached,
            "first_ceasefire_round": self.first_ceasefire_round,
            "breakdowns": self.breakdowns,
            "violations_detected": self.violations_detected,
            "final_front": self.final_front,
            "final_balance": self.final_balance,
        }
        for issue in ISSUES:
            record[f"term_{issue}"] = self.terms.get(issue)
        for issue in TERRITORY_ISSUES:
            record[f"form_{issue}"] = self.forms.get(issue)
        for side in Side:
            record[f"cost_{side.value}"] = self.costs.get(side.value, 0.0)
        return record
