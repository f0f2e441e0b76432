"""What the page records each round beyond the model's own record: who gives what, and the pressure it makes.

The model's per-round record (:data:`model.record.REPORTERS`) holds the aid
each belligerent received (``aid_ukraine``, ``aid_russia``) but not each
third party's aid and stance, nor the pressure on each side. The page's
model (:class:`model.app.PageModel`) collects them here after every round,
read from the agents, so the third-party view draws them over time. Today a
party's aid and stance are fixed (:class:`model.agents.ThirdPartySettings`);
:func:`party_support` is the one place that reads them, so that when they
vary per round the record follows.
"""

from __future__ import annotations

from typing import Any

from model.agents import ThirdParty
from model.model import WarTerminationModel
from model.outcome import Side


def party_support(party: ThirdParty) -> tuple[float, float]:
    """What a third party gives this round: its aid to its patron ($bn) and its stance on talks (-1 to +1).

    A party with no patron gives no aid (the model delivers none).

    Args:
        party: The third party.

    Returns:
        ``(aid, stance)``.
    """
    settings = party.settings
    # read per round, as the model acts: aid and stance are fixed per party today, but need not stay so
    aid = float(getattr(party, "aid", settings.aid)) if settings.patron is not None else 0.0
    return aid, float(getattr(party, "stance", settings.stance))


def support_row(model: WarTerminationModel) -> dict[str, Any]:
    """This round's row: the round, the pressure on each side, each active party's aid and stance.

    Args:
        model: The model, after a round (or at round 0).

    Returns:
        ``round``, ``pressure_russia``, ``pressure_ukraine`` (the aid-weighted stances),
        ``political_pressure_russia``, ``political_pressure_ukraine`` (the voices' push on acceptance),
        and ``aid_CODE``, ``stance_CODE`` per party.
    """
    row: dict[str, Any] = {"round": model.steps}
    for side, belligerent in ((Side.RUSSIA, model.russia), (Side.UKRAINE, model.ukraine)):
        row[f"pressure_{side.value}"] = float(belligerent.pressure)
        row[f"political_pressure_{side.value}"] = float(belligerent.political_pressure)
    for party in model.third_parties:
        row[f"aid_{party.code}"], row[f"stance_{party.code}"] = party_support(party)
    return row


class SupportRecord:
    """The rows of :func:`support_row`, one per round, as columns (like the model's DataCollector)."""

    def __init__(self) -> None:
        """Start an empty record."""
        self.columns: dict[str, list[Any]] = {}

    def collect(self, model: WarTerminationModel) -> None:
        """Add the model's current round (once: a round already recorded is not added again).

        Args:
            model: The model.
        """
        rounds = self.columns.get("round", [])
        if rounds and rounds[-1] == model.steps:
            return
        for name, value in support_row(model).items():
            self.columns.setdefault(name, []).append(value)


def support_record(model: WarTerminationModel) -> dict[str, list[Any]]:
    """The record of third-party support: the page's model's, or the present round alone for any other model.

    Args:
        model: The model.

    Returns:
        Columns as :class:`SupportRecord` holds them.
    """
    kept = getattr(model, "support", None)
    if isinstance(kept, SupportRecord) and kept.columns:
        return kept.columns
    return {name: [value] for name, value in support_row(model).items()}
