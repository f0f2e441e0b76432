"""Bargaining over the issues on the table: pure functions of numbers, used by every protocol.

The proposer (the IFG, or under ``bilateral`` the side whose turn it is)
builds the Pareto frontier of the issues on the table (:func:`build_frontier`),
finds the bargaining range between the sides' floors (:func:`bargaining_range`,
Fearon 1995), and tables the asymmetric Nash bargaining solution
(:func:`nash_bargaining_gain`, Nash 1950; Kalai 1977) or, with no range, the
compromise that leaves both equally short (:func:`compromise_gain`).
:func:`propose` does all of it. The floors themselves are the sides' own
(:func:`model.maths.acceptance_floor`, :func:`model.maths.self_enforcing_floor`).

A point on the frontier is Ukraine's *gain*: how far its utility has risen
from the frontier's start, where every issue on the table is at Russia's
ideal. No model, agent or random draw is involved.

These are the Python faces of the kernels of :mod:`model.engine.bargain`,
which compute every number (the round's schedule calls the kernels directly):
stakes come as :class:`IssueSide` sequences, a frontier as a
:class:`Frontier`, and no range as ``None``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from model.engine import bargain
from model.engine.jit import for_single_runs

__all__ = [
    "Frontier",
    "IssueSide",
    "Proposal",
    "bargaining_range",
    "build_frontier",
    "compromise_gain",
    "frontier_start",
    "nash_bargaining_gain",
    "nash_objective",
    "propose",
    "terms_for_gain",
]

CURVED_PIECES = bargain.CURVED_PIECES
"""Pieces a curved (concave) issue is cut into on the frontier: its chords stand for the curve."""

_ISSUE_VALUE = for_single_runs(bargain.issue_value)
_BUILD_FRONTIER = for_single_runs(bargain.build_frontier)
_LOSS_AT = for_single_runs(bargain.loss_at)
_GAIN_AT_LOSS = for_single_runs(bargain.gain_at_loss)
_TERMS_FOR_GAIN = for_single_runs(bargain.terms_for_gain)
_BARGAINING_RANGE = for_single_runs(bargain.bargaining_range)
_NASH_GAIN = for_single_runs(bargain.nash_bargaining_gain)
_NASH_OBJECTIVE = for_single_runs(bargain.nash_objective)
_COMPROMISE_GAIN = for_single_runs(bargain.compromise_gain)
_PROPOSE = for_single_runs(bargain.propose)


@dataclass(frozen=True)
class IssueSide:
    """One side's stake in one issue: ideal point, salience, red line and the loss's curvature."""

    ideal: float
    weight: float
    red_line: float | None = None
    audience_rate: float = 0.0
    curvature: float = 0.0

    def value(self, term: float, ukraine: bool) -> float:
        """Utility of ``term`` on this issue, less any audience cost (:func:`model.engine.bargain.issue_value`)."""
        red_line = 0.0 if self.red_line is None else self.red_line
        value = _ISSUE_VALUE(
            term, self.ideal, self.weight, self.curvature, red_line, self.audience_rate, ukraine, self.red_line is not None
        )
        return float(value)

    def row(self) -> list[float]:
        """The stake as the kernels hold it (``model.engine.bargain``'s stake fields); no red line costs nothing."""
        cost = 0.0 if self.red_line is None else self.audience_rate
        return [self.ideal, self.weight, 0.0 if self.red_line is None else self.red_line, cost, self.curvature]


@dataclass(frozen=True)
class Frontier:
    """The Pareto frontier of the issues on the table, for Russia and Ukraine.

    On each issue, moving the term from Russia's ideal toward Ukraine's
    trades Russia's utility for Ukraine's. An efficient agreement concedes
    the stretches with the best exchange rate first (the logroll), so the
    frontier is piecewise linear and concave. Red lines put kinks in an
    issue, and a concave (risk-averse) utility curves it, which the
    frontier follows in :data:`CURVED_PIECES` chords; either way an issue is
    split into pieces whose rates fall along the way, so the order of one
    issue's pieces is kept (:func:`model.engine.bargain.build_frontier`).

    Attributes:
        pieces: ``(issue, from, to)`` for each stretch, in the order conceded.
        gains: Ukraine's cumulative gain at the end of each piece.
        losses: Russia's cumulative loss at the end of each piece.
        start: Each covered issue's value at the frontier's start (Russia's ideal).
    """

    pieces: tuple[tuple[int, float, float], ...]
    gains: tuple[float, ...]
    losses: tuple[float, ...]
    start: dict[int, float]
    arrays: tuple[Any, Any] = field(repr=False, compare=False, default=(np.zeros(0, dtype=np.int64), np.zeros((5, 0))))
    """The kernels' frontier: each piece's issue, and the rows of its ends, cumulative gains and losses."""

    @property
    def total_gain(self) -> float:
        """Ukraine's gain when every covered issue is at its ideal."""
        return self.gains[-1] if self.gains else 0.0

    def loss_at(self, gain: float) -> float:
        """Russia's loss on the frontier where Ukraine has gained ``gain``."""
        return float(_LOSS_AT(*self._curve(), gain))

    def gain_at_loss(self, loss: float) -> float:
        """Largest gain for Ukraine that costs Russia at most ``loss``."""
        return float(_GAIN_AT_LOSS(*self._curve(), loss))

    def _curve(self) -> tuple[Any, Any, int]:
        """The kernels' arguments for the frontier's curve: cumulative gains, cumulative losses, pieces."""
        pieces = self.arrays[1]
        return pieces[bargain.PIECE_GAIN], pieces[bargain.PIECE_LOSS], len(self.gains)


def build_frontier(
    issues: Sequence[int],
    russia: Sequence[IssueSide],
    ukraine: Sequence[IssueSide],
    limits: Mapping[int, float] | None = None,
) -> Frontier:
    """Pareto frontier of the given issues (see :class:`Frontier`).

    Only the stretch between the two ideal points is efficient; an issue on
    which the ideals coincide is fixed there and carries no piece. An issue
    in ``limits`` cannot go past its limit toward Ukraine's ideal (terms
    that must stay coherent with others, :func:`model.issues.withdrawal_limit`).

    Args:
        issues: Indices of the issues on the table.
        russia: Russia's stake in every issue (indexed like the issue vector).
        ukraine: Ukraine's stake in every issue.
        limits: The furthest term toward Ukraine's ideal of an issue, where there is one.

    Returns:
        The frontier.
    """
    size = len(russia)
    stakes = np.array([list(zip(*(s.row() for s in side))) for side in (russia, ukraine)], dtype=np.float64)
    limit_row = np.array([(limits or {}).get(j, math.nan) for j in range(size)])
    start = np.zeros(size)
    piece_issue = np.zeros(size * (bargain.MAX_POINTS - 1), dtype=np.int64)
    pieces = np.zeros((bargain.PIECE_ROWS, len(piece_issue)))
    points = np.zeros((bargain.POINT_ROWS, bargain.MAX_POINTS))
    chosen = np.array(issues, dtype=np.int64)
    count = int(_BUILD_FRONTIER(chosen, len(chosen), stakes, limit_row, start, piece_issue, pieces, points))
    a_row, b_row = pieces[bargain.PIECE_FROM], pieces[bargain.PIECE_TO]
    return Frontier(
        pieces=tuple((int(piece_issue[k]), float(a_row[k]), float(b_row[k])) for k in range(count)),
        gains=tuple(float(g) for g in pieces[bargain.PIECE_GAIN][:count]),
        losses=tuple(float(loss) for loss in pieces[bargain.PIECE_LOSS][:count]),
        start={j: float(start[j]) for j in issues},
        arrays=(piece_issue, pieces),
    )


def terms_for_gain(frontier: Frontier, gain: float) -> dict[int, float]:
    """The issue values at the frontier point where Ukraine has gained ``gain``.

    Args:
        frontier: The frontier of the issues on the table.
        gain: Ukraine's gain over Russia's ideal, in [0, total_gain].

    Returns:
        A mapping from each covered issue's index to its value.
    """
    terms = np.zeros(max(frontier.start, default=-1) + 1)  # every piece's issue is one the frontier starts
    for j, x in frontier.start.items():
        terms[j] = x
    piece_issue, pieces = frontier.arrays
    _TERMS_FOR_GAIN(piece_issue, pieces, len(frontier.gains), gain, terms)
    return {j: float(terms[j]) for j in frontier.start}


def bargaining_range(
    frontier: Frontier,
    base_russia: float,
    base_ukraine: float,
    reservation_russia: float,
    reservation_ukraine: float,
) -> tuple[float, float] | None:
    """Fearon's (1995) bargaining range on a multi-issue frontier.

    The range is the set of frontier points that both sides weakly prefer to
    their reservation (no-agreement) values. ``base_*`` are the sides'
    utilities at the frontier's start (every issue on the table at Russia's
    ideal, the others as they stand).

    Args:
        frontier: The frontier of the issues on the table.
        base_russia: Russia's utility at the frontier's start.
        base_ukraine: Ukraine's utility at the frontier's start.
        reservation_russia: Russia's no-agreement value.
        reservation_ukraine: Ukraine's no-agreement value.

    Returns:
        ``(lowest, highest)`` gain for Ukraine inside the range, or ``None``
        when no agreement beats both reservation values.
    """
    exists, low, high = _BARGAINING_RANGE(*frontier._curve(), base_russia, base_ukraine, reservation_russia, reservation_ukraine)
    return (float(low), float(high)) if exists else None


def nash_bargaining_gain(
    frontier: Frontier,
    base_russia: float,
    base_ukraine: float,
    reservation_russia: float,
    reservation_ukraine: float,
    weight_ukraine: float = 0.5,
) -> float | None:
    """Asymmetric Nash bargaining solution on the frontier.

    Maximises ``(u_U - d_U)**w * (u_R - d_R)**(1 - w)`` over the bargaining
    range (Nash 1950; the asymmetric form of Kalai 1977, whose weight ``w``
    stands for a biased mediator or a proposer's power). With ``w = 1`` it is
    Ukraine's best point in the range, with ``w = 0`` Russia's. The objective
    is concave along a concave frontier, so the best point of each linear
    segment, clipped to the range, is checked in turn.

    Args:
        frontier: The frontier of the issues on the table.
        base_russia: Russia's utility at the frontier's start.
        base_ukraine: Ukraine's utility at the frontier's start.
        reservation_russia: Russia's no-agreement value ``d_R``.
        reservation_ukraine: Ukraine's no-agreement value ``d_U``.
        weight_ukraine: Bargaining weight ``w`` of Ukraine, in [0, 1].

    Returns:
        Ukraine's gain at the solution, or ``None`` if there is no range.
    """
    curve = frontier._curve()
    exists, gain = _NASH_GAIN(*curve, base_russia, base_ukraine, reservation_russia, reservation_ukraine, weight_ukraine)
    return float(gain) if exists else None


def nash_objective(surplus_ukraine: float, surplus_russia: float, weight_ukraine: float) -> float:
    """The log of the asymmetric Nash product ``su**w * sr**(1 - w)`` (Nash 1950; Kalai 1977).

    Args:
        surplus_ukraine: Ukraine's utility over its floor.
        surplus_russia: Russia's utility over its floor.
        weight_ukraine: Ukraine's weight ``w``, in [0, 1]; a side of weight 0 does not count.

    Returns:
        ``w log su + (1 - w) log sr``; minus infinity if a side that counts has no surplus.
    """
    return float(_NASH_OBJECTIVE(surplus_ukraine, surplus_russia, weight_ukraine))


def compromise_gain(
    frontier: Frontier,
    base_russia: float,
    base_ukraine: float,
    reservation_russia: float,
    reservation_ukraine: float,
) -> float:
    """The frontier point that leaves both sides equally short of (or above) their reservation values.

    A mediator tables this when there is no bargaining range, so that the
    record always holds a proposal and each side's value of it.

    Args:
        frontier: The frontier of the issues on the table.
        base_russia: Russia's utility at the frontier's start.
        base_ukraine: Ukraine's utility at the frontier's start.
        reservation_russia: Russia's no-agreement value.
        reservation_ukraine: Ukraine's no-agreement value.

    Returns:
        Ukraine's gain at that point, in [0, total_gain].
    """
    return float(_COMPROMISE_GAIN(*frontier._curve(), base_russia, base_ukraine, reservation_russia, reservation_ukraine))


@dataclass(frozen=True)
class Proposal:
    """The terms a proposer tables.

    Attributes:
        terms: Every issue's value (the issues on the table set, the others as they stand).
        in_range: True if the terms lie in the bargaining range (the Nash point);
            False for the compromise tabled when there is no range.
    """

    terms: list[float]
    in_range: bool


def propose(
    frontier: Frontier,
    start: Sequence[float],
    base_russia: float,
    base_ukraine: float,
    floor_russia: float,
    floor_ukraine: float,
    weight_ukraine: float,
) -> Proposal:
    """The proposal on the frontier: the Nash point between the floors, or the compromise.

    Args:
        frontier: The frontier of the issues on the table.
        start: Every issue's value at the frontier's start (the issues on the
            table at Russia's ideal, the others as they stand).
        base_russia: Russia's flow of ``start``.
        base_ukraine: Ukraine's flow of ``start``.
        floor_russia: The least flow Russia accepts.
        floor_ukraine: The least flow Ukraine accepts.
        weight_ukraine: Ukraine's weight in the asymmetric Nash solution (the protocol's).

    Returns:
        The proposal.
    """
    terms = np.array(frontier_start(frontier, start), dtype=np.float64)
    piece_issue, pieces = frontier.arrays
    args = (base_russia, base_ukraine, floor_russia, floor_ukraine, weight_ukraine)
    in_range = _PROPOSE(piece_issue, pieces, len(frontier.gains), terms, *args)
    return Proposal([float(x) for x in terms], bool(in_range))


def frontier_start(frontier: Frontier, terms: Sequence[float]) -> list[float]:
    """``terms`` with every issue the frontier covers set to its start (Russia's ideal)."""
    start = list(terms)
    for j, x in frontier.start.items():
        start[j] = x
    return start
