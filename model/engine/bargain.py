"""Bargaining as kernels: the Pareto frontier, the bargaining range, the Nash point, the proposer's table.

The one implementation of :mod:`model.negotiation` (whose Python faces
call these kernels) and of the round's talks, which the schedule
(:func:`model.engine.whole_run.play_round`) tables through
:func:`table_with_workspace`: a proposer
builds the Pareto frontier of the issues on the table
(:func:`build_frontier`), finds the bargaining range between the sides'
floors (:func:`bargaining_range`, Fearon 1995, "Rationalist Explanations
for War", *International Organization* 49(3)), and tables the asymmetric
Nash bargaining solution (:func:`nash_bargaining_gain`, Nash 1950, "The
Bargaining Problem", *Econometrica* 18(2); Kalai 1977, "Nonsymmetric Nash
Solutions and Replications of 2-Person Bargaining", *International Journal
of Game Theory* 6(3)) or, with no range, the compromise that leaves both
equally short (:func:`compromise_gain`). :func:`table` tries every way of
settling the territory on the table and keeps the best.

Everything is numbers and arrays, written in the subset of Python numba
compiles (:mod:`model.engine.jit`). Arrays are indexed one axis at a time
(``a[i][j]``), so that the interpreted path may pass tuples and lists of
Python floats, which plain Python reads faster than NumPy arrays.

Layouts (row 0 Russia, row 1 Ukraine, :mod:`model.engine.codes`):

* ``stakes[side][field][j]``: a side's stake in issue ``j``, fields
  :data:`IDEAL`, :data:`WEIGHT`, :data:`RED_LINE`, :data:`ISSUE_RATE`
  (audience cost per unit beyond the red line; 0 where the issue has no red
  line) and :data:`CURVATURE`, the fields of :class:`model.negotiation.IssueSide`.
* A frontier of ``count`` pieces: ``piece_issue[k]`` and the rows of
  ``pieces`` (:data:`PIECE_FROM`, :data:`PIECE_TO`, :data:`PIECE_GAIN`,
  :data:`PIECE_LOSS`: Ukraine's cumulative gain and Russia's cumulative loss
  at the end of piece ``k``), in the order conceded.
* ``side_scalars[side]``: :data:`SIDE_CURVATURE`, :data:`SIDE_RED_LINE`,
  :data:`SIDE_RATE` (the side's audience rate now) and :data:`SIDE_UNSIGNED`
  (its unsigned audience share).
"""

from __future__ import annotations

import math

import numpy as np

from model.engine.codes import FORM_AUTONOMY, FORM_SOVEREIGNTY, RUSSIA, UKRAINE
from model.engine.exact import exact_sum
from model.engine.jit import interpreted, kernel, leaf, owns_arrays
from model.issues import ISSUE_INDEX, ISSUES, LAND_SHARES, TERRITORY_INDICES, WITHDRAWAL

__all__ = [
    "CURVED_PIECES",
    "audience_share",
    "bargaining_range",
    "build_frontier",
    "compromise_gain",
    "gain_at_loss",
    "issue_value",
    "loss_at",
    "nash_bargaining_gain",
    "nash_objective",
    "propose",
    "table",
    "table_with_workspace",
    "terms_flow",
    "terms_for_gain",
    "workspace",
]

EPS = 1e-12
CURVED_PIECES = 8
"""Pieces a curved (concave) issue is cut into on the frontier: its chords stand for the curve."""

ISSUE_COUNT = len(ISSUES)
MAX_POINTS = CURVED_PIECES + 3
"""Cuts of one issue at most: its two ends, the curve's inner cuts, two red lines."""
MAX_PIECES = ISSUE_COUNT * (MAX_POINTS - 1)

IDEAL, WEIGHT, RED_LINE, ISSUE_RATE, CURVATURE = range(5)
STAKE_FIELDS = 5
PIECE_FROM, PIECE_TO, PIECE_GAIN, PIECE_LOSS, PIECE_RATE = range(5)
PIECE_ROWS = 5
_X, _U, _R, _GAIN, _LOSS, _RATE = range(6)
POINT_ROWS = 6
SIDE_CURVATURE, SIDE_RED_LINE, SIDE_RATE, SIDE_UNSIGNED = range(4)
_MEMO_PER_ISSUE = 2 + 2 * STAKE_FIELDS  # the issue, its limit, both sides' stakes in it
_MEMO_KEY = 1 + ISSUE_COUNT * _MEMO_PER_ISSUE

CRIMEA, DONBAS = TERRITORY_INDICES
_SHARE_CRIMEA = LAND_SHARES["crimea"]
_SHARE_DONBAS = LAND_SHARES["donbas"]
assert (ISSUE_INDEX["crimea"], ISSUE_INDEX["donbas"]) == (CRIMEA, DONBAS)


# --------------------------------------------------------------------------
# Python's min and max of two floats, to the bit (which of two equal zeros they return)
# --------------------------------------------------------------------------


@leaf
def _min(a: float, b: float) -> float:
    """``min(a, b)`` as Python computes it: ``a`` unless ``b`` is smaller."""
    return b if b < a else a


@leaf
def _max(a: float, b: float) -> float:
    """``max(a, b)`` as Python computes it: ``a`` unless ``b`` is larger."""
    return b if b > a else a


# --------------------------------------------------------------------------
# Values of terms
# --------------------------------------------------------------------------


@leaf
def issue_value(
    term: float, ideal: float, weight: float, curvature: float, red_line: float, issue_rate: float, ukraine: bool, has_red_line: bool
) -> float:
    """One side's utility of ``term`` on one issue, less any audience cost (:class:`model.negotiation.IssueSide`).

    The loss is ``(1 - c) d + c d**2`` at distance ``d`` from the ideal
    (:func:`model.maths.issue_loss`); beyond a red line the side pays
    ``issue_rate`` per unit (:func:`model.maths.red_line_penalty`, Fearon 1994).
    """
    if curvature != 0.0:
        distance = abs(term - ideal)
        value = weight * (1.0 - ((1.0 - curvature) * distance + curvature * distance * distance))
    else:
        value = weight * (1.0 - abs(term - ideal))
    if has_red_line and issue_rate > 0.0:
        beyond = red_line - term if ukraine else term - red_line
        value -= issue_rate * beyond if beyond > 0.0 else 0.0
    return value


@leaf
def audience_share(form: int, ukraine: bool, unsigned_share: float) -> float:
    """The share of the audience cost a leader bears for a territorial issue settled in ``form`` (a form code).

    Signing terms beyond the red line costs the whole audience cost
    (Fearon 1994). An area lost de facto (``FORM_NONE``) or deferred costs
    ``unsigned_share`` of it (Tomz 2007). Autonomy within Ukraine keeps
    Ukraine's sovereignty, so Ukraine's leaders bear none of it; Russia's
    bear all of it, as for terms (:meth:`model.agents.Belligerent.audience_share`).
    """
    if form == FORM_SOVEREIGNTY:
        return 1.0
    if form == FORM_AUTONOMY:
        return 0.0 if ukraine else 1.0
    return unsigned_share


@leaf
def _terms_flow(
    terms: np.ndarray,
    form_crimea: int,
    form_donbas: int,
    ideal: np.ndarray,
    weight: np.ndarray,
    curvature: float,
    red_line: float,
    rate: float,
    unsigned_share: float,
    ukraine: bool,
    values: np.ndarray,
) -> float:
    """:func:`terms_flow` with the forms as two codes and ``values`` as scratch (at least one slot an issue)."""
    count = len(terms)
    # the exactly rounded sum of maths.utility, its terms in the same expression
    if curvature == 0.0:
        for j in range(count):
            values[j] = weight[j] * (1.0 - abs(terms[j] - ideal[j]))
    else:
        for j in range(count):
            distance = abs(terms[j] - ideal[j])
            values[j] = weight[j] * (1.0 - ((1.0 - curvature) * distance + curvature * distance * distance))
    flow = exact_sum(values, count)
    if rate > 0.0:
        for k in range(2):
            j = CRIMEA if k == 0 else DONBAS
            share = audience_share(form_crimea if k == 0 else form_donbas, ukraine, unsigned_share)
            if share > 0.0:
                beyond = red_line - terms[j] if ukraine else terms[j] - red_line
                flow -= share * (rate * weight[j] * beyond if beyond > 0.0 else 0.0)
    return flow


@owns_arrays
def terms_flow(
    terms: np.ndarray,
    forms: np.ndarray,
    ideal: np.ndarray,
    weight: np.ndarray,
    curvature: float,
    red_line: float,
    rate: float,
    unsigned_share: float,
    ukraine: bool,
) -> float:
    """A side's per-round utility of ``terms``, less the audience costs of the territory as ``forms`` settles it.

    :meth:`model.agents.Belligerent.terms_flow`: the salience-weighted
    spatial utility (:func:`model.maths.utility`), less, on each territorial
    issue beyond the side's red line, the audience cost ``rate * weight``
    per unit (Fearon 1994, "Domestic Political Audiences and the Escalation
    of International Disputes", *APSR* 88(3)) in the share the issue's form
    gives (Tomz 2007).

    Args:
        terms: Every issue's value.
        forms: The form codes of Crimea and Donbas (:data:`model.engine.codes.FORM_NONE` where none is agreed).
        ideal: The side's ideal point on every issue.
        weight: The side's normalised salience of every issue.
        curvature: The side's risk aversion (the loss's curvature).
        red_line: The side's red line on the territorial issues.
        rate: The side's audience rate now.
        unsigned_share: The share of the audience cost of territory lost unsigned or deferred.
        ukraine: True for Ukraine (whose red line is a floor), False for Russia (a ceiling).

    Returns:
        The flow.
    """
    values = np.empty(len(terms))
    return _terms_flow(terms, forms[0], forms[1], ideal, weight, curvature, red_line, rate, unsigned_share, ukraine, values)


# --------------------------------------------------------------------------
# The frontier
# --------------------------------------------------------------------------


@kernel
def _cuts(lo: float, hi: float, russia: np.ndarray, ukraine: np.ndarray, j: int, xs: np.ndarray) -> int:
    """The points that cut issue ``j`` between ``lo`` and ``hi`` into ``xs``, in order from ``lo``; their number."""
    xs[0] = lo
    xs[1] = hi
    count = 2
    if russia[CURVATURE][j] != 0.0 or ukraine[CURVATURE][j] != 0.0:
        # a concave utility's frontier is curved: its chords over equal pieces stand for it, and
        # each side gets at least the chord's value at the terms (the curve lies above its chords)
        for i in range(1, CURVED_PIECES):
            count = _add_point(xs, count, lo + (hi - lo) * i / CURVED_PIECES)
    bottom, top = _min(lo, hi), _max(lo, hi)
    for side in range(2):
        stake = russia if side == RUSSIA else ukraine
        red_line = stake[RED_LINE][j]
        if stake[ISSUE_RATE][j] > 0.0 and bottom < red_line < top:
            count = _add_point(xs, count, red_line)
    # insertion sort, ascending; descending when Ukraine's ideal lies below Russia's
    for i in range(1, count):
        x = xs[i]
        k = i - 1
        while k >= 0 and xs[k] > x:
            xs[k + 1] = xs[k]
            k -= 1
        xs[k + 1] = x
    if lo > hi:
        for i in range(count // 2):
            xs[i], xs[count - 1 - i] = xs[count - 1 - i], xs[i]
    return count


@leaf
def _add_point(xs: np.ndarray, count: int, x: float) -> int:
    """Add ``x`` to the ``count`` points in ``xs`` unless it is one of them (a set of cuts)."""
    for i in range(count):
        if xs[i] == x:
            return count
    xs[count] = x
    return count + 1


@kernel
def _issue_pieces(j: int, lo: float, hi: float, russia: np.ndarray, ukraine: np.ndarray, points: np.ndarray) -> int:
    """Issue ``j``'s pieces between ``lo`` and ``hi`` into the rows of ``points``, in the order conceded; their number."""
    xs, u_values, r_values = points[_X], points[_U], points[_R]
    count = _cuts(lo, hi, russia, ukraine, j, xs)
    u_ideal, u_weight, u_curvature, u_red_line, u_rate = (
        ukraine[IDEAL][j],
        ukraine[WEIGHT][j],
        ukraine[CURVATURE][j],
        ukraine[RED_LINE][j],
        ukraine[ISSUE_RATE][j],
    )
    r_ideal, r_weight, r_curvature, r_red_line, r_rate = (
        russia[IDEAL][j],
        russia[WEIGHT][j],
        russia[CURVATURE][j],
        russia[RED_LINE][j],
        russia[ISSUE_RATE][j],
    )
    # each point's value once: every interior point ends one piece and starts the next
    for i in range(count):
        x = xs[i]
        u_values[i] = issue_value(x, u_ideal, u_weight, u_curvature, u_red_line, u_rate, True, True)
        r_values[i] = issue_value(x, r_ideal, r_weight, r_curvature, r_red_line, r_rate, False, True)
    gains, losses, rates = points[_GAIN], points[_LOSS], points[_RATE]
    previous = math.inf
    for n in range(count - 1):
        gain = u_values[n + 1] - u_values[n]
        loss = r_values[n] - r_values[n + 1]
        # rates fall along an issue; rounding must not let a later piece sort before an earlier one
        previous = _min(previous, math.inf if loss <= EPS else gain / loss)
        gains[n] = gain
        losses[n] = loss
        rates[n] = -previous
    return count - 1


@kernel
def _merge_pieces(j: int, run: int, points: np.ndarray, count: int, piece_issue: np.ndarray, pieces: np.ndarray) -> int:
    """Merge issue ``j``'s ``run`` pieces (in ``points``) into the frontier's ``count``; the new count.

    The frontier's order is by rate, best first, ties broken by issue and
    then by piece. An issue's pieces come in that order already, so
    merging from the back places each in one pass.
    """
    xs, gains, losses, rates = points[_X], points[_GAIN], points[_LOSS], points[_RATE]
    a_row, b_row, g_row, l_row, r_row = pieces[PIECE_FROM], pieces[PIECE_TO], pieces[PIECE_GAIN], pieces[PIECE_LOSS], pieces[PIECE_RATE]
    old = count - 1
    new = run - 1
    slot = count + run - 1
    while new >= 0:
        rate = rates[new]
        if old >= 0 and (r_row[old] > rate or (r_row[old] == rate and piece_issue[old] > j)):
            piece_issue[slot] = piece_issue[old]
            a_row[slot], b_row[slot], g_row[slot], l_row[slot], r_row[slot] = a_row[old], b_row[old], g_row[old], l_row[old], r_row[old]
            old -= 1
        else:
            piece_issue[slot] = j
            a_row[slot], b_row[slot], g_row[slot], l_row[slot], r_row[slot] = xs[new], xs[new + 1], gains[new], losses[new], rate
            new -= 1
        slot -= 1
    return count + run


@kernel
def build_frontier(
    issues: np.ndarray,
    issue_count: int,
    stakes: np.ndarray,
    limits: np.ndarray,
    start: np.ndarray,
    piece_issue: np.ndarray,
    pieces: np.ndarray,
    points: np.ndarray,
) -> int:
    """The Pareto frontier of ``issues[:issue_count]`` for Russia and Ukraine; its number of pieces.

    On each issue, moving the term from Russia's ideal toward Ukraine's
    trades Russia's utility for Ukraine's. An efficient agreement concedes
    the stretches with the best exchange rate first (the logroll), so the
    frontier is piecewise linear and concave. Red lines put kinks in an
    issue, and a concave (risk-averse) utility curves it, which the
    frontier follows in :data:`CURVED_PIECES` chords; either way an issue is
    split into pieces whose rates fall along the way, so the order of one
    issue's pieces is kept. Only the stretch between the two ideal points is
    efficient; an issue on which the ideals coincide carries no piece. An
    issue cannot go past its limit toward Ukraine's ideal (``limits[j]``,
    NaN for none: terms that must stay coherent with others,
    :func:`model.issues.withdrawal_limit`).

    Args:
        issues: Indices of the issues on the table (the first ``issue_count``).
        issue_count: How many.
        stakes: Both sides' stakes in every issue (module docstring).
        limits: The furthest term toward Ukraine's ideal of each issue, NaN for none.
        start: Set to the frontier's start (Russia's ideal) on every issue covered; the rest untouched.
        piece_issue: Filled with each piece's issue, in the order conceded.
        pieces: Filled with each piece's ends and cumulative gain and loss.
        points: Scratch, ``POINT_ROWS`` rows of ``MAX_POINTS``.

    Returns:
        The number of pieces.
    """
    russia, ukraine = stakes[RUSSIA], stakes[UKRAINE]
    count = 0
    for k in range(issue_count):
        j = issues[k]
        lo, hi = russia[IDEAL][j], ukraine[IDEAL][j]
        limit = limits[j]
        if not math.isnan(limit):
            hi = _min(hi, _max(lo, limit)) if hi > lo else _max(hi, _min(lo, limit))
        start[j] = lo
        if lo == hi:
            continue
        run = _issue_pieces(j, lo, hi, russia, ukraine, points)
        count = _merge_pieces(j, run, points, count, piece_issue, pieces)
    gains, losses = pieces[PIECE_GAIN], pieces[PIECE_LOSS]
    gain = loss = 0.0
    for k in range(count):
        gain += gains[k]
        loss += losses[k]
        gains[k] = gain
        losses[k] = loss
    return count


@kernel
def loss_at(gains: np.ndarray, losses: np.ndarray, count: int, gain: float) -> float:
    """Russia's loss on the frontier where Ukraine has gained ``gain``."""
    prev_g, prev_l = 0.0, 0.0
    for k in range(count):
        g, loss = gains[k], losses[k]
        if gain <= g + EPS:
            if g - prev_g <= EPS:
                return loss
            return prev_l + (loss - prev_l) * (gain - prev_g) / (g - prev_g)
        prev_g, prev_l = g, loss
    return prev_l


@kernel
def gain_at_loss(gains: np.ndarray, losses: np.ndarray, count: int, loss: float) -> float:
    """Largest gain for Ukraine on the frontier that costs Russia at most ``loss``."""
    prev_g, prev_l = 0.0, 0.0
    for k in range(count):
        g, seg_loss = gains[k], losses[k]
        if loss < seg_loss - EPS:
            if seg_loss - prev_l <= EPS:
                return prev_g
            return prev_g + (g - prev_g) * (loss - prev_l) / (seg_loss - prev_l)
        prev_g, prev_l = g, seg_loss
    return prev_g


@kernel
def terms_for_gain(piece_issue: np.ndarray, pieces: np.ndarray, count: int, gain: float, terms: np.ndarray) -> None:
    """Set ``terms`` to the frontier point where Ukraine has gained ``gain`` (``terms`` holding the frontier's start).

    Pieces are conceded in order: those whose end the gain reaches whole,
    the next in proportion, the rest not at all.
    """
    a_row, b_row, gains = pieces[PIECE_FROM], pieces[PIECE_TO], pieces[PIECE_GAIN]
    prev_g = 0.0
    for k in range(count):
        g = gains[k]
        if gain >= g - EPS:
            terms[piece_issue[k]] = b_row[k]
        elif gain > prev_g + EPS and g - prev_g > EPS:
            a, b = a_row[k], b_row[k]
            terms[piece_issue[k]] = a + (b - a) * (gain - prev_g) / (g - prev_g)
            break
        else:
            break
        prev_g = g


# --------------------------------------------------------------------------
# The bargaining range and the points on it
# --------------------------------------------------------------------------


@kernel
def bargaining_range(
    gains: np.ndarray,
    losses: np.ndarray,
    count: int,
    base_russia: float,
    base_ukraine: float,
    reservation_russia: float,
    reservation_ukraine: float,
) -> tuple[bool, float, float]:
    """Fearon's (1995) bargaining range on a multi-issue frontier: ``(exists, lowest, highest)`` gain for Ukraine.

    The range is the set of frontier points that both sides weakly prefer to
    their reservation (no-agreement) values; ``base_*`` are the sides'
    utilities at the frontier's start. ``exists`` is False (and the bounds
    0) when no agreement beats both reservation values.
    """
    low = _max(0.0, reservation_ukraine - base_ukraine)
    slack = base_russia - reservation_russia
    total_gain = gains[count - 1] if count > 0 else 0.0
    if slack < -EPS or low > total_gain + EPS:
        return False, 0.0, 0.0
    high = gain_at_loss(gains, losses, count, _max(slack, 0.0))
    if low > high + 1e-9:
        return False, 0.0, 0.0
    return True, low, _max(low, high)


@kernel
def nash_objective(surplus_ukraine: float, surplus_russia: float, weight_ukraine: float) -> float:
    """The log of the asymmetric Nash product ``su**w * sr**(1 - w)`` (Nash 1950; Kalai 1977).

    ``w log su + (1 - w) log sr``; minus infinity if a side that counts (of
    weight above 0) has no surplus.
    """
    weight_russia = 1.0 - weight_ukraine
    value = 0.0
    if weight_ukraine > 0.0:
        if surplus_ukraine <= 0.0:
            return -math.inf
        value += weight_ukraine * math.log(surplus_ukraine)
    if weight_russia > 0.0:
        if surplus_russia <= 0.0:
            return -math.inf
        value += weight_russia * math.log(surplus_russia)
    return value


@kernel
def nash_bargaining_gain(
    gains: np.ndarray,
    losses: np.ndarray,
    count: int,
    base_russia: float,
    base_ukraine: float,
    reservation_russia: float,
    reservation_ukraine: float,
    weight_ukraine: float,
) -> tuple[bool, float]:
    """The asymmetric Nash bargaining solution on the frontier: ``(exists, Ukraine's gain)``.

    Maximises ``(u_U - d_U)**w * (u_R - d_R)**(1 - w)`` over the bargaining
    range (Nash 1950; the asymmetric form of Kalai 1977, whose weight ``w``
    stands for a biased mediator or a proposer's power). With ``w = 1`` it is
    Ukraine's best point in the range, with ``w = 0`` Russia's. The objective
    is concave along a concave frontier, so the best point of each linear
    segment, clipped to the range, is checked in turn; the first of equal
    bests wins. ``exists`` is False when there is no range.
    """
    exists, low, high = bargaining_range(gains, losses, count, base_russia, base_ukraine, reservation_russia, reservation_ukraine)
    if not exists:
        return False, 0.0
    w = weight_ukraine
    if high - low <= EPS or w >= 1.0:
        return True, high
    if w <= 0.0:
        return True, low
    surplus_u0 = base_ukraine - reservation_ukraine
    surplus_r0 = base_russia - reservation_russia
    best = low
    best_value = nash_objective(surplus_u0 + low, surplus_r0 - loss_at(gains, losses, count, low), w)
    value = nash_objective(surplus_u0 + high, surplus_r0 - loss_at(gains, losses, count, high), w)
    if value > best_value:
        best, best_value = high, value
    prev_g, prev_l = 0.0, 0.0
    before = -math.inf  # the largest gain of the pieces before the previous one
    for k in range(count):
        g, loss = gains[k], losses[k]
        seg_lo, seg_hi = _max(prev_g, low), _min(g, high)
        if seg_hi > seg_lo and g - prev_g > EPS:
            slope = (loss - prev_l) / (g - prev_g)
            if slope <= EPS:
                candidate = seg_hi
            else:
                # first-order condition on this segment, solved for the gain
                r_at_prev = surplus_r0 - prev_l + slope * prev_g
                star = (w * r_at_prev - (1.0 - w) * slope * surplus_u0) / slope
                candidate = _min(_max(star, seg_lo), seg_hi)
            if candidate > _max(before, prev_g) + EPS:
                # loss_at's walk passes every piece before this one and stops at it: its answer, without the walk
                at = prev_l + (loss - prev_l) * (candidate - prev_g) / (g - prev_g)
            else:
                at = loss_at(gains, losses, count, candidate)
            value = nash_objective(surplus_u0 + candidate, surplus_r0 - at, w)
            if value > best_value:
                best, best_value = candidate, value
        before = _max(before, prev_g)
        prev_g, prev_l = g, loss
    return True, best


@kernel
def compromise_gain(
    gains: np.ndarray,
    losses: np.ndarray,
    count: int,
    base_russia: float,
    base_ukraine: float,
    reservation_russia: float,
    reservation_ukraine: float,
) -> float:
    """The frontier point that leaves both sides equally short of (or above) their reservation values.

    A mediator tables this when there is no bargaining range, so that the
    record always holds a proposal and each side's value of it.
    """
    # the gap is piecewise linear and increasing along the frontier: find the piece where it changes
    # sign and solve that piece exactly
    offset = (base_ukraine - reservation_ukraine) - (base_russia - reservation_russia)
    if offset >= 0.0:
        return 0.0
    prev_g, prev_gap = 0.0, offset
    for k in range(count):
        g = gains[k]
        gap = offset + g + losses[k]
        if gap >= 0.0:
            if gap - prev_gap <= EPS:
                return g
            return prev_g + (g - prev_g) * (-prev_gap) / (gap - prev_gap)
        prev_g, prev_gap = g, gap
    return gains[count - 1] if count > 0 else 0.0


@kernel
def propose(
    piece_issue: np.ndarray,
    pieces: np.ndarray,
    count: int,
    terms: np.ndarray,
    base_russia: float,
    base_ukraine: float,
    floor_russia: float,
    floor_ukraine: float,
    weight_ukraine: float,
) -> bool:
    """Set ``terms`` (holding the frontier's start) to the proposal: the Nash point between the floors, or the compromise.

    Returns:
        True if the terms lie in the bargaining range (the Nash point);
        False for the compromise tabled when there is no range.
    """
    gains, losses = pieces[PIECE_GAIN], pieces[PIECE_LOSS]
    in_range, gain = nash_bargaining_gain(gains, losses, count, base_russia, base_ukraine, floor_russia, floor_ukraine, weight_ukraine)
    if not in_range:
        gain = compromise_gain(gains, losses, count, base_russia, base_ukraine, floor_russia, floor_ukraine)
    terms_for_gain(piece_issue, pieces, count, gain, terms)
    return in_range


# --------------------------------------------------------------------------
# The proposer's table
# --------------------------------------------------------------------------


@owns_arrays
def _allocate() -> tuple:
    """A fresh :func:`workspace` of NumPy arrays."""
    return (
        np.zeros((2, STAKE_FIELDS, ISSUE_COUNT)),
        np.full(ISSUE_COUNT, np.nan),
        np.zeros((PIECE_ROWS, MAX_PIECES)),
        np.zeros(MAX_PIECES, dtype=np.int64),
        np.zeros((POINT_ROWS, MAX_POINTS)),
        np.zeros(ISSUE_COUNT, dtype=np.int64),
        np.zeros(ISSUE_COUNT),
        np.zeros(ISSUE_COUNT),
        np.full(_MEMO_KEY, np.nan),
        np.full(1, -1, dtype=np.int64),
    )


def workspace(plain: bool = False) -> tuple:
    """Scratch space for :func:`table_with_workspace`, allocated once and reused by every call.

    Args:
        plain: Lists of Python floats for the interpreted kernels (which read
            them faster than arrays); NumPy arrays for the compiled ones.

    Returns:
        ``(stakes, limits, pieces, piece_issue, points, issues, trial, values)``, then what the
        last frontier was built from and its number of pieces (:func:`_frontier`).
    """
    arrays = interpreted(_allocate)()
    return tuple(a.tolist() for a in arrays) if plain else arrays


@kernel
def _fill_stakes(stakes: np.ndarray, ideal: np.ndarray, weight: np.ndarray, side_scalars: np.ndarray, agenda: np.ndarray) -> None:
    """Both sides' stakes in the issues of ``agenda`` from their settings: red lines and their audience cost on the territorial issues only.

    The frontiers of a table read the stakes of the issues on it alone, so
    the others are left as they are.
    """
    for side in range(2):
        stake = stakes[side]
        scalars = side_scalars[side]
        rate = scalars[SIDE_RATE]
        for k in range(len(agenda)):
            j = agenda[k]
            stake[IDEAL][j] = ideal[side][j]
            stake[WEIGHT][j] = weight[side][j]
            stake[CURVATURE][j] = scalars[SIDE_CURVATURE]
            stake[RED_LINE][j] = scalars[SIDE_RED_LINE]
            stake[ISSUE_RATE][j] = rate * weight[side][j] if j == CRIMEA or j == DONBAS else 0.0


@leaf
def _withdrawal_limit(terms: np.ndarray, crimea_autonomous: bool, donbas_autonomous: bool) -> float:
    """The furthest withdrawal the territorial terms allow (:func:`model.issues.withdrawal_limit`)."""
    kept = 0.0
    if not crimea_autonomous:
        kept += _SHARE_CRIMEA * (1.0 - terms[CRIMEA])
    if not donbas_autonomous:
        kept += _SHARE_DONBAS * (1.0 - terms[DONBAS])
    return 1.0 - kept


@leaf
def _side_flow(
    terms: np.ndarray,
    form_crimea: int,
    form_donbas: int,
    side: int,
    ideal: np.ndarray,
    weight: np.ndarray,
    side_scalars: np.ndarray,
    values: np.ndarray,
) -> float:
    """One side's :func:`terms_flow` of ``terms`` from its row of the table's inputs."""
    scalars = side_scalars[side]
    return _terms_flow(
        terms,
        form_crimea,
        form_donbas,
        ideal[side],
        weight[side],
        scalars[SIDE_CURVATURE],
        scalars[SIDE_RED_LINE],
        scalars[SIDE_RATE],
        scalars[SIDE_UNSIGNED],
        side == UKRAINE,
        values,
    )


@kernel
def _frontier(
    issues: np.ndarray, issue_count: int, stakes: np.ndarray, limits: np.ndarray, start: np.ndarray, work: tuple
) -> int:
    """:func:`build_frontier` into the workspace, reusing the last frontier when it was built from the same numbers.

    A frontier is a function of the issues on the table, both sides' stakes
    in them and their limits alone: the step-1 frontier of a run, say, is
    the same every round while the audience rates that move do not bear on
    it. The comparison is exact (a limit's NaN matches NaN), so a reused
    frontier is the one :func:`build_frontier` would build, to the bit.
    Only :func:`build_frontier` writes the workspace's pieces, so they hold
    the last frontier built: reusing it is returning its number of pieces.
    """
    pieces, piece_issue, points = work[2], work[3], work[4]
    key, kept = work[8], work[9]
    same = kept[0] >= 0 and key[0] == issue_count
    k = 1
    for n in range(issue_count):
        j = issues[n]
        values_match = key[k] == j and (key[k + 1] == limits[j] or (math.isnan(key[k + 1]) and math.isnan(limits[j])))
        key[k], key[k + 1] = j, limits[j]
        k += 2
        for side in range(2):
            stake = stakes[side]
            for field in range(STAKE_FIELDS):
                x = stake[field][j]
                values_match = values_match and key[k] == x
                key[k] = x
                k += 1
        same = same and values_match
    key[0] = issue_count
    if same:
        for n in range(issue_count):
            start[issues[n]] = stakes[RUSSIA][IDEAL][issues[n]]
        return kept[0]
    count = build_frontier(issues, issue_count, stakes, limits, start, piece_issue, pieces, points)
    kept[0] = count
    return count


@kernel
def _coherent_proposal(
    issues: np.ndarray,
    issue_count: int,
    now: np.ndarray,
    form_crimea: int,
    form_donbas: int,
    fixed_crimea: float,
    fixed_donbas: float,
    ideal: np.ndarray,
    weight: np.ndarray,
    side_scalars: np.ndarray,
    floor_russia: float,
    floor_ukraine: float,
    weight_ukraine: float,
    work: tuple,
) -> bool:
    """The Nash point on the frontier of ``issues``, with a withdrawal the territory allows, into the workspace's trial terms.

    The withdrawal cannot return land the territorial terms leave Russia
    (:func:`model.issues.withdrawal_limit`). When the proposal's own
    territorial terms set the limit (both on the table), the frontier is
    built again within the limit of the first proposal's terms, and the
    withdrawal is held to the final terms' limit. ``fixed_*`` is the term
    of a territorial issue the settlement fixes, NaN where it does not.
    """
    stakes, limits, pieces, piece_issue, trial, values = work[0], work[1], work[2], work[3], work[6], work[7]
    withdrawal_on = False
    for k in range(issue_count):
        if issues[k] == WITHDRAWAL:
            withdrawal_on = True
    crimea_autonomous, donbas_autonomous = form_crimea == FORM_AUTONOMY, form_donbas == FORM_AUTONOMY
    limits[WITHDRAWAL] = math.nan
    in_range = False
    for _attempt in range(2):
        for j in range(len(now)):
            trial[j] = now[j]
        count = _frontier(issues, issue_count, stakes, limits, trial, work)
        if not math.isnan(fixed_crimea):
            trial[CRIMEA] = fixed_crimea
        if not math.isnan(fixed_donbas):
            trial[DONBAS] = fixed_donbas
        base_russia = _side_flow(trial, form_crimea, form_donbas, RUSSIA, ideal, weight, side_scalars, values)
        base_ukraine = _side_flow(trial, form_crimea, form_donbas, UKRAINE, ideal, weight, side_scalars, values)
        in_range = propose(piece_issue, pieces, count, trial, base_russia, base_ukraine, floor_russia, floor_ukraine, weight_ukraine)
        if not withdrawal_on:
            return in_range
        limit = _withdrawal_limit(trial, crimea_autonomous, donbas_autonomous)
        if trial[WITHDRAWAL] <= limit + 1e-12:
            return in_range
        limits[WITHDRAWAL] = limit
    trial[WITHDRAWAL] = _min(trial[WITHDRAWAL], _withdrawal_limit(trial, crimea_autonomous, donbas_autonomous))
    return in_range


@kernel
def table_with_workspace(
    agenda: np.ndarray,
    now: np.ndarray,
    agreed_forms: np.ndarray,
    allowed_forms: np.ndarray,
    autonomy_term: float,
    ideal: np.ndarray,
    weight: np.ndarray,
    side_scalars: np.ndarray,
    floor_russia: float,
    floor_ukraine: float,
    weight_ukraine: float,
    out_terms: np.ndarray,
    out_forms: np.ndarray,
    work: tuple,
) -> bool:
    """The proposal tabled on ``agenda`` and how it settles the territory (called by the schedule's talks, :mod:`model.engine.whole_run`).

    For every way of settling the territorial issues on the table (each in
    every form of ``allowed_forms``, Crimea's form varying slowest), the
    Nash point on the frontier of the issues left to bargain: an area left
    autonomous is fixed at ``autonomy_term``, one deferred where it stands.
    The proposer tables, among the settlements in the bargaining range, the
    one with the highest asymmetric Nash product, the criterion of its
    proposals on the frontier (Nash 1950; Kalai 1977), preferring fewer
    issues fixed on a tie and then the first settlement. With none in the
    range it tables the compromise on the frontier.

    Args:
        agenda: Indices of the issues on the table (the ceasefire line excepted).
        now: Every issue's value as it stands.
        agreed_forms: The forms of Crimea and Donbas already agreed (``FORM_NONE`` where none).
        allowed_forms: The forms the proposer may table, ``FORM_SOVEREIGNTY`` first.
        autonomy_term: The term of an area left part of Ukraine as an autonomy.
        ideal: Both sides' ideal points, ``[side][issue]``.
        weight: Both sides' normalised saliences, ``[side][issue]``.
        side_scalars: Both sides' curvature, red line, audience rate and unsigned share (module docstring).
        floor_russia: The least flow Russia accepts.
        floor_ukraine: The least flow Ukraine accepts.
        weight_ukraine: Ukraine's weight in the Nash product (the protocol's).
        out_terms: Set to the proposal's terms (every issue).
        out_forms: Set to the forms of Crimea and Donbas as the proposal leaves them.
        work: Scratch from :func:`workspace` (reused: a caller tabling often allocates it once).

    Returns:
        True if the proposal lies in the bargaining range.
    """
    stakes, issues, trial, values = work[0], work[5], work[6], work[7]
    _fill_stakes(stakes, ideal, weight, side_scalars, agenda)
    crimea_on = donbas_on = False
    for k in range(len(agenda)):
        crimea_on = crimea_on or agenda[k] == CRIMEA
        donbas_on = donbas_on or agenda[k] == DONBAS
    forms = len(allowed_forms)
    settlements = (forms if crimea_on else 1) * (forms if donbas_on else 1)
    best_in_range, best_score, best_fixed = False, 0.0, 0
    for s in range(settlements):
        # itertools.product's order: the first territorial issue on the table varies slowest
        form_crimea, form_donbas = agreed_forms[0], agreed_forms[1]
        if crimea_on and donbas_on:
            form_crimea, form_donbas = allowed_forms[s // forms], allowed_forms[s % forms]
        elif crimea_on:
            form_crimea = allowed_forms[s]
        elif donbas_on:
            form_donbas = allowed_forms[s]
        fixed_crimea = fixed_donbas = math.nan
        fixed = 0
        if crimea_on and form_crimea != FORM_SOVEREIGNTY:
            fixed_crimea = autonomy_term if form_crimea == FORM_AUTONOMY else now[CRIMEA]
            fixed += 1
        if donbas_on and form_donbas != FORM_SOVEREIGNTY:
            fixed_donbas = autonomy_term if form_donbas == FORM_AUTONOMY else now[DONBAS]
            fixed += 1
        issue_count = 0
        for k in range(len(agenda)):
            j = agenda[k]
            if not ((j == CRIMEA and not math.isnan(fixed_crimea)) or (j == DONBAS and not math.isnan(fixed_donbas))):
                issues[issue_count] = j
                issue_count += 1
        in_range = _coherent_proposal(
            issues,
            issue_count,
            now,
            form_crimea,
            form_donbas,
            fixed_crimea,
            fixed_donbas,
            ideal,
            weight,
            side_scalars,
            floor_russia,
            floor_ukraine,
            weight_ukraine,
            work,
        )
        score = 0.0
        if in_range and settlements > 1:  # one settlement is tabled whatever its score
            score = nash_objective(
                _side_flow(trial, form_crimea, form_donbas, UKRAINE, ideal, weight, side_scalars, values) - floor_ukraine,
                _side_flow(trial, form_crimea, form_donbas, RUSSIA, ideal, weight, side_scalars, values) - floor_russia,
                weight_ukraine,
            )
        # the key (in range, score, fewer issues fixed), strictly better: the first best wins
        if s == 0 or in_range != best_in_range:
            better = s == 0 or in_range
        elif score != best_score:
            better = score > best_score
        else:
            better = fixed < best_fixed
        if better:
            best_in_range, best_score, best_fixed = in_range, score, fixed
            for j in range(len(trial)):
                out_terms[j] = trial[j]
            out_forms[0], out_forms[1] = form_crimea, form_donbas
    return best_in_range


@owns_arrays
def table(
    agenda: np.ndarray,
    now: np.ndarray,
    agreed_forms: np.ndarray,
    allowed_forms: np.ndarray,
    autonomy_term: float,
    ideal: np.ndarray,
    weight: np.ndarray,
    side_scalars: np.ndarray,
    floor_russia: float,
    floor_ukraine: float,
    weight_ukraine: float,
    out_terms: np.ndarray,
    out_forms: np.ndarray,
) -> bool:
    """:func:`table_with_workspace` in a workspace of its own (the compiled runner's call: allocating is cheap there)."""
    return table_with_workspace(
        agenda,
        now,
        agreed_forms,
        allowed_forms,
        autonomy_term,
        ideal,
        weight,
        side_scalars,
        floor_russia,
        floor_ukraine,
        weight_ukraine,
        out_terms,
        out_forms,
        _allocate(),
    )
