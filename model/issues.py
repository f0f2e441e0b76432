"""The negotiated issues and the four steps of the Italian plan that group them.

Every issue is a number in [0, 1] oriented the same way: 0 is Russia's maximal
demand, 1 is Ukraine's (docs/ODD.md, section 2, Issues). The steps follow the plan
handed to the UN Secretary-General in May 2022 (seed 000; seed 001, the two
articles named in docs/ODD.md, section 6 Input data): a ceasefire, then Ukraine's
international status, then Crimea and Donbas, then European security.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from enum import IntEnum, StrEnum

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
ceasefire freezes it where the front stands (docs/ODD.md, section 2, Issues)."""

TERRITORY_ISSUES: tuple[str, ...] = ("crimea", "donbas")
"""Issues that the belligerents' red lines (and so their audience costs) bind."""


class TerritorialForm(StrEnum):
    """How an agreement settles a territorial issue (step 3 of the plan).

    An issue that no agreement covers stands *de facto*: where the war left
    it, signed by nobody.
    """

    SOVEREIGNTY = "sovereignty"
    """A term on the issue's scale, signed: who holds the area and how (0 Russian, 1 Ukrainian)."""
    AUTONOMY = "autonomy"
    """Part of Ukraine and essentially autonomous, the plan's step 3 (seed 001): Ukraine keeps
    sovereignty, the area governs itself. Its term is the scenario's ``autonomy_term``."""
    DEFERRED = "deferred"
    """Left to later talks, with no force used meanwhile, as Ukraine's delegation proposed for
    Crimea at Istanbul (fifteen years of bilateral talks on its status, troops not used to settle
    it: Ukrainska Pravda, 29 March 2022): the area stays as it stands, and nobody signs it away."""

FRONT_INDICES: tuple[int, ...] = tuple(ISSUE_INDEX[i] for i in FRONT_ISSUES)
TERRITORY_INDICES: tuple[int, ...] = tuple(ISSUE_INDEX[i] for i in TERRITORY_ISSUES)
CEASEFIRE_LINE = ISSUE_INDEX["ceasefire_line"]
MONITORS = ISSUE_INDEX["monitors"]
DEMILITARISED_ZONE = ISSUE_INDEX["demilitarised_zone"]
WITHDRAWAL = ISSUE_INDEX["withdrawal"]

LAND_SHARES: dict[str, float] = {"crimea": 26_945 / 603_550, "donbas": 53_201 / 603_550}
"""Each territorial issue's area as a share of Ukraine within its 1991 borders (603,550 km2):
Crimea with Sevastopol 26,945 km2, the Donetsk and Luhansk regions 53,201 km2 (public record:
State Statistics Service of Ukraine, areas of the regions)."""


def withdrawal_limit(terms: Sequence[float], autonomous: Iterable[int] = ()) -> float:
    """The furthest withdrawal coherent with the territorial terms: Russia cannot withdraw from land they leave it.

    The withdrawal term is the share of the contested territory Russian
    forces leave to Ukraine (1: back to the 1991 borders). Crimea or Donbas
    at term ``x`` leaves Russia ``1 - x`` of the area, so the withdrawal can
    return at most ``1 - sum_j a_j (1 - x_j)`` of the territory, ``a_j`` the
    area's share (:data:`LAND_SHARES`). An area left part of Ukraine as an
    autonomy (``autonomous``) is Ukraine's to the last metre (seed 001). The
    linear reading of the terms as shares of each area is an assumption.

    Args:
        terms: Every issue's value (the territorial terms as agreed or proposed).
        autonomous: Indices of the territorial issues settled as autonomy.

    Returns:
        The highest withdrawal term coherent with them, in [0, 1].
    """
    kept = set(autonomous)
    return 1.0 - sum(
        share * (1.0 - terms[ISSUE_INDEX[issue]]) for issue, share in LAND_SHARES.items() if ISSUE_INDEX[issue] not in kept
    )
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
