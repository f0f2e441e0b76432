"""Hand-computed cases for the bargaining functions of ``model.negotiation``.

Every expected number below was worked out by hand (the working is in the
comments), not by calling the function under test another way.
"""

from __future__ import annotations

import pytest

from model import negotiation
from model.negotiation import IssueSide

approx = pytest.approx


def test_issue_side_value_subtracts_the_audience_cost() -> None:
    stake = IssueSide(ideal=1.0, weight=0.5, red_line=0.8, audience_rate=2.0)
    # 0.5 * (1 - 0.5) - 2 * 0.3 = 0.25 - 0.6
    assert stake.value(0.5, ukraine=True) == approx(-0.35)
    assert IssueSide(1.0, 0.5).value(0.5, ukraine=True) == approx(0.25)


# --------------------------------------------------------------------------
# Frontier, bargaining range, Nash bargaining solution
# --------------------------------------------------------------------------

# one issue, equal salience: Russia's utility 1 - x, Ukraine's x
ONE_R = [IssueSide(0.0, 1.0)]
ONE_U = [IssueSide(1.0, 1.0)]

# two issues, opposite saliences: Russia (0.75, 0.25), Ukraine (0.25, 0.75)
TWO_R = [IssueSide(0.0, 0.75), IssueSide(0.0, 0.25)]
TWO_U = [IssueSide(1.0, 0.25), IssueSide(1.0, 0.75)]


def test_frontier_one_issue() -> None:
    f = negotiation.build_frontier([0], ONE_R, ONE_U)
    assert f.pieces == ((0, 0.0, 1.0),)
    assert f.gains == approx((1.0,))
    assert f.losses == approx((1.0,))
    assert f.total_gain == approx(1.0)
    assert f.loss_at(0.3) == approx(0.3)
    assert f.gain_at_loss(0.4) == approx(0.4)


def test_frontier_two_issues_concedes_the_cheap_issue_first() -> None:
    # issue 1 gives Ukraine 0.75 for 0.25 of Russia's (rate 3), issue 0 0.25 for 0.75 (rate 1/3)
    f = negotiation.build_frontier([0, 1], TWO_R, TWO_U)
    assert f.pieces == ((1, 0.0, 1.0), (0, 0.0, 1.0))
    assert f.gains == approx((0.75, 1.0))
    assert f.losses == approx((0.25, 1.0))
    assert f.loss_at(0.75) == approx(0.25)
    # second segment: slope 3; 0.8 -> 0.25 + 3 * 0.05
    assert f.loss_at(0.8) == approx(0.4)
    assert f.gain_at_loss(0.5) == approx(0.75 + 0.25 / 3.0)


def test_frontier_red_line_puts_a_kink_in_an_issue() -> None:
    # Ukraine's floor at 0.5 costs 1 per unit below: from 0 to 0.5 Ukraine gains
    # (0.5) - (0 - 0.5) = 1 for Russia's 0.5; from 0.5 to 1 it gains 0.5 for 0.5
    f = negotiation.build_frontier([0], ONE_R, [IssueSide(1.0, 1.0, red_line=0.5, audience_rate=1.0)])
    assert f.pieces == ((0, 0.0, 0.5), (0, 0.5, 1.0))
    assert f.gains == approx((1.0, 1.5))
    assert f.losses == approx((0.5, 1.0))


def test_frontier_skips_an_issue_on_which_the_ideals_coincide() -> None:
    f = negotiation.build_frontier([0, 1], [IssueSide(0.3, 0.5), IssueSide(0.0, 0.5)], [IssueSide(0.3, 0.5), IssueSide(1.0, 0.5)])
    assert [piece[0] for piece in f.pieces] == [1]
    assert f.start == {0: 0.3, 1: 0.0}


def test_terms_for_gain() -> None:
    f = negotiation.build_frontier([0, 1], TWO_R, TWO_U)
    assert negotiation.terms_for_gain(f, 0.0) == approx({0: 0.0, 1: 0.0})
    assert negotiation.terms_for_gain(f, 0.3) == approx({0: 0.0, 1: 0.4})
    assert negotiation.terms_for_gain(f, 0.75) == approx({0: 0.0, 1: 1.0})
    assert negotiation.terms_for_gain(f, 0.8) == approx({0: 0.2, 1: 1.0})
    assert negotiation.terms_for_gain(f, 1.0) == approx({0: 1.0, 1: 1.0})


def test_bargaining_range_one_issue() -> None:
    f = negotiation.build_frontier([0], ONE_R, ONE_U)
    # Ukraine needs x >= 0.2, Russia 1 - x >= 0.6
    assert negotiation.bargaining_range(f, 1.0, 0.0, 0.6, 0.2) == approx((0.2, 0.4))


def test_bargaining_range_none_when_demands_are_incompatible() -> None:
    f = negotiation.build_frontier([0], ONE_R, ONE_U)
    # Ukraine needs x >= 0.4, Russia x <= 0.3
    assert negotiation.bargaining_range(f, 1.0, 0.0, 0.7, 0.4) is None
    assert negotiation.nash_bargaining_gain(f, 1.0, 0.0, 0.7, 0.4) is None
    # Russia's reservation above its ideal: nothing satisfies it
    assert negotiation.bargaining_range(f, 1.0, 0.0, 1.1, 0.0) is None
    # Ukraine's reservation above its ideal
    assert negotiation.bargaining_range(f, 1.0, 0.0, 0.0, 1.1) is None


def test_nash_bargaining_one_issue() -> None:
    f = negotiation.build_frontier([0], ONE_R, ONE_U)
    args = (f, 1.0, 0.0, 0.6, 0.2)
    # max (x - 0.2)(0.4 - x): the midpoint
    assert negotiation.nash_bargaining_gain(*args) == approx(0.3)
    # max 0.25 ln(x - 0.2) + 0.75 ln(0.4 - x): 0.25 (0.4 - x) = 0.75 (x - 0.2), x = 0.25
    assert negotiation.nash_bargaining_gain(*args, weight_ukraine=0.25) == approx(0.25)
    assert negotiation.nash_bargaining_gain(*args, weight_ukraine=1.0) == approx(0.4)
    assert negotiation.nash_bargaining_gain(*args, weight_ukraine=0.0) == approx(0.2)


def test_nash_bargaining_two_issues_at_the_kink() -> None:
    f = negotiation.build_frontier([0, 1], TWO_R, TWO_U)
    # d_R = 0.5, d_U = 0.3. Segment 1 (L = g/3): FOC 0.5 - g/3 = (g - 0.3)/3 gives g = 0.9 > 0.75;
    # segment 2 (L = 3g - 2): FOC 2.5 - 3g = 3 (g - 0.3) gives g = 0.567 < 0.75: the kink
    assert negotiation.bargaining_range(f, 1.0, 0.0, 0.5, 0.3) == approx((0.3, 0.75 + 0.25 / 3.0))
    gain = negotiation.nash_bargaining_gain(f, 1.0, 0.0, 0.5, 0.3)
    assert gain == approx(0.75)
    assert negotiation.terms_for_gain(f, gain) == approx({0: 0.0, 1: 1.0})


def test_nash_bargaining_two_issues_inside_a_segment() -> None:
    f = negotiation.build_frontier([0, 1], TWO_R, TWO_U)
    # d_R = 0.8, d_U = 0.3: range (0.3, 0.6) on segment 1; FOC 0.2 - g/3 = (g - 0.3)/3 gives g = 0.45
    assert negotiation.bargaining_range(f, 1.0, 0.0, 0.8, 0.3) == approx((0.3, 0.6))
    gain = negotiation.nash_bargaining_gain(f, 1.0, 0.0, 0.8, 0.3)
    assert gain == approx(0.45)
    assert negotiation.terms_for_gain(f, gain) == approx({0: 0.0, 1: 0.6})
    assert negotiation.nash_bargaining_gain(f, 1.0, 0.0, 0.8, 0.3, weight_ukraine=1.0) == approx(0.6)
    assert negotiation.nash_bargaining_gain(f, 1.0, 0.0, 0.8, 0.3, weight_ukraine=0.0) == approx(0.3)


def test_nash_bargaining_with_a_base_that_is_not_russias_ideal() -> None:
    # the other issues give Russia 0.5 and Ukraine 0.25 on top: shift both reservations by the same
    f = negotiation.build_frontier([0], ONE_R, ONE_U)
    assert negotiation.nash_bargaining_gain(f, 1.5, 0.25, 1.1, 0.45) == approx(0.3)


def test_compromise_gain_splits_the_shortfall() -> None:
    f = negotiation.build_frontier([0], ONE_R, ONE_U)
    # (x - 0.4) = (1 - x - 0.7): x = 0.35, both 0.05 short
    assert negotiation.compromise_gain(f, 1.0, 0.0, 0.7, 0.4) == approx(0.35, abs=1e-9)
    # Ukraine already better off than Russia at x = 0: the start
    assert negotiation.compromise_gain(f, 1.0, 0.0, 0.0, -2.0) == 0.0
    # Russia far better off everywhere: the end
    assert negotiation.compromise_gain(f, 1.0, 0.0, -5.0, 0.9) == approx(1.0)


def test_compromise_gain_on_two_issues() -> None:
    f = negotiation.build_frontier([0, 1], TWO_R, TWO_U)
    # d_R = 0.9, d_U = 0.5 (no range). On segment 1 the gap is g - 0.5 - (0.1 - g/3) = 4g/3 - 0.6: g = 0.45
    assert negotiation.compromise_gain(f, 1.0, 0.0, 0.9, 0.5) == approx(0.45, abs=1e-9)


def test_frontier_keeps_an_issues_pieces_in_order_when_their_rates_tie() -> None:
    # a red line with a vanishing audience cost cuts the issue into two pieces of the same rate
    # (w_U / w_R per unit); rounding once sorted the second piece first, and terms_for_gain then
    # overwrote the issue's value with one short of the frontier point
    hi, w_u, w_r = 0.5180985414089793, 0.8226067272402589, 0.9171177984138357
    f = negotiation.build_frontier([0], [IssueSide(0.0, w_r)], [IssueSide(hi, w_u, red_line=0.5, audience_rate=1e-300)])
    assert [(a, b) for _, a, b in f.pieces] == [(0.0, 0.5), (0.5, hi)]
    # gains are linear along the issue: a quarter of them is a quarter of the way
    assert negotiation.terms_for_gain(f, f.total_gain / 4)[0] == approx(hi / 4)
    assert negotiation.terms_for_gain(f, f.total_gain * 0.99)[0] == approx(hi * 0.99)


# --------------------------------------------------------------------------
# The proposal
# --------------------------------------------------------------------------


def test_propose_tables_the_nash_point_between_the_floors() -> None:
    # issue 0 alone: Russia 1 - x >= 0.5, Ukraine x >= 0.3: range [0.3, 0.5], Nash point 0.4;
    # the other issue keeps its value as it stands
    f = negotiation.build_frontier([0], [IssueSide(0.0, 1.0), IssueSide(0.0, 0.0)], [IssueSide(1.0, 1.0), IssueSide(1.0, 0.0)])
    start = negotiation.frontier_start(f, [0.7, 0.9])
    assert start == [0.0, 0.9]
    proposal = negotiation.propose(f, start, 1.0, 0.0, 0.5, 0.3, 0.5)
    assert proposal.in_range
    assert proposal.terms == [approx(0.4), 0.9]


def test_propose_without_a_range_tables_the_compromise() -> None:
    # Russia needs x <= 0.3, Ukraine x >= 0.5: the shortfalls are equal at x = 0.4
    f = negotiation.build_frontier([0], ONE_R, ONE_U)
    proposal = negotiation.propose(f, [0.0], 1.0, 0.0, 0.7, 0.5, 0.5)
    assert not proposal.in_range
    assert proposal.terms == [approx(0.4)]


@pytest.mark.parametrize(("weight", "expected"), [(0.0, 0.3), (1.0, 0.5)])
def test_propose_with_all_the_weight_on_one_side_gives_it_its_best_point_in_the_range(weight: float, expected: float) -> None:
    f = negotiation.build_frontier([0], ONE_R, ONE_U)
    assert negotiation.propose(f, [0.0], 1.0, 0.0, 0.5, 0.3, weight).terms == [approx(expected)]


def test_risk_averse_sides_split_one_issue_in_the_middle() -> None:
    # Russia 1 - x^2, Ukraine 1 - (1 - x)^2, floors at 0: the Nash point is x = 0.5 by symmetry,
    # where linear utilities leave the whole range's product flat along the frontier's one segment
    russia, ukraine = [IssueSide(0.0, 1.0, curvature=1.0)], [IssueSide(1.0, 1.0, curvature=1.0)]
    f = negotiation.build_frontier([0], russia, ukraine)
    assert len(f.pieces) == negotiation.CURVED_PIECES
    proposal = negotiation.propose(f, [0.0], 1.0, 0.0, 0.0, 0.0, 0.5)
    assert proposal.terms == [approx(0.5)]


def test_risk_averse_sides_trade_two_issues_to_an_interior_point() -> None:
    # opposite saliences (0.75, 0.25): with linear loss the logroll gives each side its issue whole;
    # with quadratic loss the efficient point leaves both issues strictly inside
    def proposal(curvature: float) -> list[float]:
        russia = [IssueSide(0.0, 0.75, curvature=curvature), IssueSide(0.0, 0.25, curvature=curvature)]
        ukraine = [IssueSide(1.0, 0.25, curvature=curvature), IssueSide(1.0, 0.75, curvature=curvature)]
        f = negotiation.build_frontier([0, 1], russia, ukraine)
        return negotiation.propose(f, [0.0, 0.0], 1.0, 0.0, 0.0, 0.0, 0.5).terms

    assert proposal(0.0) == [approx(0.0), approx(1.0)]
    interior = proposal(1.0)
    assert 0.0 < interior[0] < 0.5 < interior[1] < 1.0
