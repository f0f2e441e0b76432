"""What the proposer tables: the terms on the frontier, and how the territory on the table is settled.

The IFG (or, under ``bilateral``, the side whose turn it is) tables one
proposal a round on the issues the protocol put on the table. Terms on the
frontier are always open to it (:mod:`model.negotiation`). A mediator may
also settle Crimea or Donbas as autonomy within Ukraine or defer them
(:class:`~model.issues.TerritorialForm`), as the scenario allows, and every
proposal keeps the withdrawal coherent with the territorial terms
(:func:`~model.issues.withdrawal_limit`). The floors are the sides' own
(:meth:`model.agents.Belligerent.floor`); nothing here draws at random or
changes any state.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace

from model import negotiation
from model.agents import Belligerent, Talks
from model.issues import TERRITORY_INDICES, WITHDRAWAL, TerritorialForm, withdrawal_limit
from model.negotiation import IssueSide

__all__ = ["Proposer"]


@dataclass(frozen=True)
class Proposer:
    """A proposer and the ways it may settle the territory.

    Attributes:
        forms: The forms it may table for a territorial issue, terms on the
            frontier (``SOVEREIGNTY``) first.
        autonomy_term: The term of an area left part of Ukraine as an autonomy.
    """

    forms: tuple[TerritorialForm, ...] = (TerritorialForm.SOVEREIGNTY,)
    autonomy_term: float = 0.5

    def table(
        self,
        russia: Belligerent,
        ukraine: Belligerent,
        agenda: Sequence[int],
        now: Sequence[float],
        talks: Talks,
        floors: tuple[float, float],
        weight_ukraine: float,
    ) -> tuple[negotiation.Proposal, Talks]:
        """The proposal tabled on ``agenda``, and the talks as its territorial settlement makes them.

        For every way of settling the territorial issues on the table, the
        Nash point on the frontier of the issues left to bargain; the
        proposer tables, among the settlements in the bargaining range, the
        one with the highest asymmetric Nash product, the criterion of its
        proposals on the frontier (Nash 1950; Kalai 1977), preferring terms
        on the frontier on a tie. With none in the range it tables the
        compromise on the frontier.

        Args:
            russia: Russia, whose stakes and flows the proposer knows.
            ukraine: Ukraine, likewise.
            agenda: Indices of the issues on the table (the ceasefire line excepted).
            now: Every issue's value as it stands.
            talks: The round's talks, with the forms of the territory already agreed.
            floors: Russia's and Ukraine's floors.
            weight_ukraine: Ukraine's weight in the Nash product (the protocol's).

        Returns:
            ``(proposal, talks)``: the talks' ``after.forms`` say how the proposal settles the territory.
        """
        floor_russia, floor_ukraine = floors
        stakes = (russia.stakes(), ukraine.stakes())  # the same for every settlement: compute them once
        best: tuple[tuple[bool, float, int], negotiation.Proposal, Talks] | None = None
        for forms in self._settlements(agenda, talks.after.forms):
            fixed = {
                j: self.autonomy_term if form is TerritorialForm.AUTONOMY else now[j]
                for j, form in forms.items()
                if j in agenda and form is not TerritorialForm.SOVEREIGNTY
            }
            proposal = _coherent_proposal(russia, ukraine, stakes, agenda, fixed, forms, now, floors, weight_ukraine)
            score = 0.0
            if proposal.in_range:
                score = negotiation.nash_objective(
                    ukraine.terms_flow(proposal.terms, forms) - floor_ukraine,
                    russia.terms_flow(proposal.terms, forms) - floor_russia,
                    weight_ukraine,
                )
            key = (proposal.in_range, score, -len(fixed))
            if best is None or key > best[0]:
                best = (key, proposal, replace(talks, after=replace(talks.after, forms=forms)))
        assert best is not None
        return best[1], best[2]

    def _settlements(self, agenda: Sequence[int], agreed: Mapping[int, TerritorialForm]) -> Iterator[dict[int, TerritorialForm]]:
        """Every way of settling the territorial issues on ``agenda``, terms on the frontier first."""
        territory = [j for j in TERRITORY_INDICES if j in agenda]
        for choice in itertools.product(self.forms, repeat=len(territory)):
            yield {**agreed, **dict(zip(territory, choice))}


def _coherent_proposal(
    russia: Belligerent,
    ukraine: Belligerent,
    stakes: tuple[Sequence[IssueSide], Sequence[IssueSide]],
    agenda: Sequence[int],
    fixed: Mapping[int, float],
    forms: Mapping[int, TerritorialForm],
    now: Sequence[float],
    floors: tuple[float, float],
    weight_ukraine: float,
) -> negotiation.Proposal:
    """The Nash point on the frontier of ``agenda`` less ``fixed``, with a withdrawal the territory allows.

    The withdrawal cannot return land the territorial terms leave Russia
    (:func:`~model.issues.withdrawal_limit`). When the proposal's own
    territorial terms set the limit (both on the table), the frontier is
    built again within the limit of the first proposal's terms, and the
    withdrawal is held to the final terms' limit.
    """
    issues = [j for j in agenda if j not in fixed]
    autonomous = [j for j, form in forms.items() if form is TerritorialForm.AUTONOMY]
    limits: dict[int, float] = {}
    for _ in range(2):
        frontier = negotiation.build_frontier(issues, *stakes, limits)
        start = negotiation.frontier_start(frontier, now)
        for j, x in fixed.items():
            start[j] = x
        proposal = negotiation.propose(
            frontier, start, russia.terms_flow(start, forms), ukraine.terms_flow(start, forms), *floors, weight_ukraine
        )
        if WITHDRAWAL not in issues:
            return proposal
        limit = withdrawal_limit(proposal.terms, autonomous)
        if proposal.terms[WITHDRAWAL] <= limit + 1e-12:
            return proposal
        limits = {WITHDRAWAL: limit}
    proposal.terms[WITHDRAWAL] = min(proposal.terms[WITHDRAWAL], withdrawal_limit(proposal.terms, autonomous))
    return proposal
