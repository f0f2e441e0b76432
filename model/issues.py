"""The negotiated issues and the four steps of the Italian plan that group them.

Every issue is a number in [0, 1] oriented the same way: 0 is Russia's maximal
demand, 1 is Ukraine's (DESIGN section 3). The steps follow the plan handed to
the UN Secretary-General in May 2022 (seed 000; seed 001): a ceasefire, then
Ukraine's international status, then Crimea and Donbas, then European security.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from enum import IntEnum

ISSUES: tuple[str, ...] = (
    "ceasefire_line",
    "demilitarised_zone",
    "monitors",
    "alignment",
    "eu_membership",
    "security_guarantees",
    "crimea",
    "donbas",
    "withdrawal",
    "arms_control",
    "sanctions",
)
"""All issues, in the plan's order. Indices into this tuple are used throughout."""

ISSUE_INDEX: dict[str, int] = {name: i for i, name in enumerate(ISSUES)}


class Step(IntEnum):
    """The four steps of the plan, in the order the mediator opens them."""

    CEASEFIRE = 1
    STATUS = 2
    TERRITORY = 3
    EUROPEAN_SECURITY = 4


STEP_ISSUES: dict[Step, tuple[str, ...]] = {
    Step.CEASEFIRE: ("ceasefire_line", "demilitarised_zone", "monitors"),
    Step.STATUS: ("alignment", "eu_membership", "security_guarantees"),
    Step.TERRITORY: ("crimea", "donbas"),
    Step.EUROPEAN_SECURITY: ("withdrawal", "arms_control", "sanctions"),
}

FRONT_ISSUES: tuple[str, ...] = ("ceasefire_line", "withdrawal")
"""Issues whose de facto value follows the front (the share Ukraine holds)
until an agreement fixes them. The ceasefire line is never bargained: an agreed
ceasefire freezes it where the front stands (DESIGN section 3)."""

TERRITORY_ISSUES: tuple[str, ...] = ("crimea", "donbas")
"""Issues that the belligerents' red lines (and so their audience costs) bind."""

FRONT_INDICES: tuple[int, ...] = tuple(ISSUE_INDEX[i] for i in FRONT_ISSUES)
TERRITORY_INDICES: tuple[int, ...] = tuple(ISSUE_INDEX[i] for i in TERRITORY_ISSUES)
CEASEFIRE_LINE = ISSUE_INDEX["ceasefire_line"]
MONITORS = ISSUE_INDEX["monitors"]
SECURITY_GUARANTEES = ISSUE_INDEX["security_guarantees"]


def de_facto_terms(status_quo: Sequence[float], russian_share: float) -> list[float]:
    """Terms as they stand in a war: the front issues follow the front, the rest sit at the status quo.

    Args:
        status_quo: Every issue's value before any agreement.
        russian_share: Russia's share of the contested territory.

    Returns:
        Every issue's value (the front issues at the share Ukraine holds).
    """
    terms = list(status_quo)
    for j in FRONT_INDICES:
        terms[j] = 1.0 - russian_share
    return terms


def issues_of(steps: Iterable[Step]) -> list[int]:
    """Indices of the issues the given steps put on the table, the ceasefire line excepted (it follows the front)."""
    return [ISSUE_INDEX[i] for s in steps for i in STEP_ISSUES[s] if ISSUE_INDEX[i] != CEASEFIRE_LINE]
