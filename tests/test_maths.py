"""Hand-computed cases for the pure functions of ``model.maths``.

Every expected number below was worked out by hand (the working is in the
comments), not by calling the function under test another way.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from model import maths
from model.maths import IssueSide

approx = pytest.approx


# --------------------------------------------------------------------------
# Beta beliefs
# --------------------------------------------------------------------------


def test_beta_from_mean_splits_the_pseudo_count() -> None:
    # mean 1/4 of 8 engagements: 2 wins and 6 losses
    assert maths.beta_from_mean(0.25, 8.0) == approx((2.0, 6.0))


def test_beta_update_adds_wins_and_losses() -> None:
    assert maths.beta_update(2.0, 3.0, 1, 0) == approx((3.0, 3.0))
    assert maths.beta_update(2.0, 3.0, 0, 1) == approx((2.0, 4.0))
    assert maths.beta_update(2.0, 3.0, 2, 5) == approx((4.0, 8.0))


def test_beta_update_with_memory_discounts_old_counts_first() -> None:
    # 0.5 * 2 + 1 = 2 and 0.5 * 3 + 0 = 1.5
    assert maths.beta_update(2.0, 3.0, 1, 0, memory=0.5) == approx((2.0, 1.5))


def test_beta_mean_and_sd() -> None:
    assert maths.beta_mean(3.0, 1.0) == approx(0.75)
    # Beta(1, 1) is uniform: variance 1/12
    assert maths.beta_sd(1.0, 1.0) == approx(math.sqrt(1.0 / 12.0))
    # Beta(2, 2): ab / ((a+b)^2 (a+b+1)) = 4 / (16 * 5) = 1/20
    assert maths.beta_sd(2.0, 2.0) == approx(math.sqrt(1.0 / 20.0))


def test_shift_beta_moves_the_mean_on_the_log_odds_scale_and_keeps_the_strength() -> None:
    # mean 1/2 has log-odds 0; + ln 3 gives odds 3, mean 3/4; strength 4 stays
    assert maths.shift_beta(2.0, 2.0, math.log(3.0)) == approx((3.0, 1.0))
    # mean 3/4 (odds 3) - ln 3 gives odds 1
    assert maths.shift_beta(6.0, 2.0, -math.log(3.0)) == approx((4.0, 4.0))
    assert maths.shift_beta(1.5, 2.5, 0.0) == (1.5, 2.5)


def test_logit_and_sigmoid() -> None:
    assert maths.logit(0.75) == approx(math.log(3.0))
    assert maths.sigmoid(math.log(3.0)) == approx(0.75)
    assert maths.sigmoid(-math.log(3.0)) == approx(0.25)
    assert maths.sigmoid(-1000.0) == 0.0
    assert maths.sigmoid(1000.0) == 1.0
    assert math.isfinite(maths.logit(0.0)) and math.isfinite(maths.logit(1.0))


# --------------------------------------------------------------------------
# Gambler's ruin
# --------------------------------------------------------------------------


def test_gamblers_ruin_fair_walk() -> None:
    # p = q: P(top) = k/N = 1/3, E[T] = k (N - k) = 2
    assert maths.gamblers_ruin(0.5, 1, 3) == approx((1.0 / 3.0, 2.0))


def test_gamblers_ruin_two_cells_is_one_step() -> None:
    # from the middle of 0..2 one step absorbs: P(top) = p, T = 1
    assert maths.gamblers_ruin(2.0 / 3.0, 1, 2) == approx((2.0 / 3.0, 1.0))


def test_gamblers_ruin_three_cells_by_first_step_analysis() -> None:
    # P1 = p P2, P2 = p + q P1  =>  P1 = p^2 / (1 - pq) = (4/9) / (7/9) = 4/7
    # D1 = 1 + p D2, D2 = 1 + q D1  =>  D1 = (1 + p) / (1 - pq) = (5/3) / (7/9) = 15/7
    assert maths.gamblers_ruin(2.0 / 3.0, 1, 3) == approx((4.0 / 7.0, 15.0 / 7.0))
    # by symmetry, from k = 2 with p = 1/3 Russia reaches the top with 1 - 4/7
    assert maths.gamblers_ruin(1.0 / 3.0, 2, 3) == approx((3.0 / 7.0, 15.0 / 7.0))


def test_gamblers_ruin_at_the_edges() -> None:
    assert maths.gamblers_ruin(0.3, 0, 5) == (0.0, 0.0)
    assert maths.gamblers_ruin(0.3, 5, 5) == (1.0, 0.0)


def test_gamblers_ruin_stays_finite_for_a_long_front() -> None:
    win, duration = maths.gamblers_ruin(0.6, 500, 1000)
    # drift 0.2 a step upward: almost surely up, in about (N - k) / (p - q) = 2500 steps
    assert win == approx(1.0)
    assert duration == approx(2500.0, rel=1e-6)


# --------------------------------------------------------------------------
# Value of war
# --------------------------------------------------------------------------


def _vow(**kw: float) -> float:
    args = dict(
        p=0.5, position=1, cells=2, discount=0.9, flow_base=0.0, flow_slope=0.0, value_if_ukraine_wins=0.0, value_if_russia_wins=0.0
    )
    args.update(kw)
    return maths.value_of_war(**args)  # type: ignore[arg-type]


def test_value_of_war_two_cells() -> None:
    # N = 2, k = 1: h1 = phi1 + d (p h2 + q h0), h0 = vU/(1-d), h2 = vR/(1-d)
    # (1-d) h1 = (1-d) phi1 + d (p vR + q vU); phi1 = 0.2 + 0.4 / 2 = 0.4
    # = 0.1 * 0.4 + 0.9 * (0.3 * 0 + 0.7 * 1) = 0.04 + 0.63 = 0.67
    value = _vow(p=0.3, discount=0.9, flow_base=0.2, flow_slope=0.4, value_if_ukraine_wins=1.0, value_if_russia_wins=0.0)
    assert value == approx(0.67)


def test_value_of_war_three_cells() -> None:
    # N = 3, k = 1, d = p = q = 1/2, phi(k) = 0.1 k, vU = 0, vR = 1 (H0 = 0, H3 = 2)
    # h1 = phi1 + d q H0 + d p (phi2 + d p H3 + d q h1)
    # h1 (1 - d^2 p q) = 0.1 + 0 + 0.25 * 0.2 + 0.0625 * 2 = 0.275;  h1 = 0.275 / 0.9375
    value = _vow(
        p=0.5, position=1, cells=3, discount=0.5, flow_base=0.0, flow_slope=0.3, value_if_ukraine_wins=0.0, value_if_russia_wins=1.0
    )
    assert value == approx(0.5 * 0.275 / 0.9375)


def test_value_of_war_matches_a_direct_linear_solve() -> None:
    # an independent method: solve the recurrence as a linear system for N = 20
    n, k, d, p = 20, 7, 0.97, 0.43
    base, slope, vu, vr = -0.05, 0.6, 0.9, 0.1
    q = 1.0 - p
    a = np.eye(n + 1)
    rhs = np.zeros(n + 1)
    rhs[0], rhs[n] = vu / (1 - d), vr / (1 - d)
    for i in range(1, n):
        a[i, i + 1] -= d * p
        a[i, i - 1] -= d * q
        rhs[i] = base + slope * i / n
    h = np.linalg.solve(a, rhs)
    value = _vow(p=p, position=k, cells=n, discount=d, flow_base=base, flow_slope=slope, value_if_ukraine_wins=vu, value_if_russia_wins=vr)
    assert value == approx((1 - d) * h[k], rel=1e-9)


def test_value_of_war_at_the_absorbing_edges() -> None:
    kw = dict(p=0.4, cells=10, discount=0.9, flow_base=0.3, flow_slope=0.2, value_if_ukraine_wins=0.8, value_if_russia_wins=0.1)
    assert _vow(position=0, **kw) == 0.8
    assert _vow(position=10, **kw) == 0.1


def test_value_of_war_when_russia_always_loses() -> None:
    # p ~ 0: from k = 2 the front falls straight to 0
    # (1-d) (phi2 + d phi1) + d^2 vU, phi(k) = 0.1 + 0.2 k / 4
    d = 0.9
    phi1, phi2 = 0.1 + 0.2 / 4, 0.1 + 0.4 / 4
    expected = (1 - d) * (phi2 + d * phi1) + d * d * 0.7
    value = _vow(
        p=1e-12, position=2, cells=4, discount=d, flow_base=0.1, flow_slope=0.2, value_if_ukraine_wins=0.7, value_if_russia_wins=0.0
    )
    assert value == approx(expected, abs=1e-8)


def test_value_of_war_when_russia_always_wins() -> None:
    # p ~ 1: from k = 2 of 4 the front climbs to 4: (1-d) (phi2 + d phi3) + d^2 vR
    d = 0.8
    phi2, phi3 = 0.1 + 0.2 * 2 / 4, 0.1 + 0.2 * 3 / 4
    expected = (1 - d) * (phi2 + d * phi3) + d * d * 0.6
    value = _vow(
        p=1.0 - 1e-12, position=2, cells=4, discount=d, flow_base=0.1, flow_slope=0.2, value_if_ukraine_wins=0.0, value_if_russia_wins=0.6
    )
    assert value == approx(expected, abs=1e-8)


def test_value_of_war_of_a_constant_stream_is_that_constant() -> None:
    # the same flow while fighting and after either victory: V = c whatever p, k, N
    for p, k, n in [(0.5, 3, 7), (0.2, 50, 100), (0.9, 1, 1000)]:
        value = _vow(
            p=p, position=k, cells=n, discount=0.99, flow_base=0.37, flow_slope=0.0, value_if_ukraine_wins=0.37, value_if_russia_wins=0.37
        )
        assert value == approx(0.37, rel=1e-9)


def test_value_of_war_rises_with_the_believed_balance_for_the_side_that_gains_from_it() -> None:
    # Russia's view: its victory is worth 1, Ukraine's 0, fighting costs 0.05 a round
    kw = dict(position=50, cells=100, discount=0.99, flow_base=-0.05, flow_slope=0.5, value_if_ukraine_wins=0.0, value_if_russia_wins=1.0)
    values = [_vow(p=p, **kw) for p in (0.3, 0.5, 0.7)]
    assert values[0] < values[1] < values[2]
    assert all(math.isfinite(v) for v in values)


# --------------------------------------------------------------------------
# Utility and audience costs
# --------------------------------------------------------------------------


def test_utility_is_salience_weighted_closeness() -> None:
    # 0.25 * (1 - 0.2) + 0.75 * (1 - 0) = 0.95
    assert maths.utility([0.2, 1.0], [0.0, 1.0], [0.25, 0.75]) == approx(0.95)
    assert maths.utility([1.0, 0.0], [0.0, 1.0], [0.5, 0.5]) == approx(0.0)
    assert maths.utility([0.3, 0.6], [0.3, 0.6], [0.4, 0.6]) == approx(1.0)


def test_red_line_penalty_for_ukraine_is_a_floor() -> None:
    assert maths.red_line_penalty(0.5, 0.8, 2.0, ukraine=True) == approx(0.6)
    assert maths.red_line_penalty(0.9, 0.8, 2.0, ukraine=True) == 0.0
    assert maths.red_line_penalty(0.8, 0.8, 2.0, ukraine=True) == 0.0


def test_red_line_penalty_for_russia_is_a_ceiling() -> None:
    assert maths.red_line_penalty(0.5, 0.35, 1.0, ukraine=False) == approx(0.15)
    assert maths.red_line_penalty(0.2, 0.35, 1.0, ukraine=False) == 0.0


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
    f = maths.build_frontier([0], ONE_R, ONE_U)
    assert f.pieces == ((0, 0.0, 1.0),)
    assert f.gains == approx((1.0,))
    assert f.losses == approx((1.0,))
    assert f.total_gain == approx(1.0)
    assert f.loss_at(0.3) == approx(0.3)
    assert f.gain_at_loss(0.4) == approx(0.4)


def test_frontier_two_issues_concedes_the_cheap_issue_first() -> None:
    # issue 1 gives Ukraine 0.75 for 0.25 of Russia's (rate 3), issue 0 0.25 for 0.75 (rate 1/3)
    f = maths.build_frontier([0, 1], TWO_R, TWO_U)
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
    f = maths.build_frontier([0], ONE_R, [IssueSide(1.0, 1.0, red_line=0.5, audience_rate=1.0)])
    assert f.pieces == ((0, 0.0, 0.5), (0, 0.5, 1.0))
    assert f.gains == approx((1.0, 1.5))
    assert f.losses == approx((0.5, 1.0))


def test_frontier_skips_an_issue_on_which_the_ideals_coincide() -> None:
    f = maths.build_frontier([0, 1], [IssueSide(0.3, 0.5), IssueSide(0.0, 0.5)], [IssueSide(0.3, 0.5), IssueSide(1.0, 0.5)])
    assert [piece[0] for piece in f.pieces] == [1]
    assert f.start == {0: 0.3, 1: 0.0}


def test_terms_for_gain() -> None:
    f = maths.build_frontier([0, 1], TWO_R, TWO_U)
    assert maths.terms_for_gain(f, 0.0) == approx({0: 0.0, 1: 0.0})
    assert maths.terms_for_gain(f, 0.3) == approx({0: 0.0, 1: 0.4})
    assert maths.terms_for_gain(f, 0.75) == approx({0: 0.0, 1: 1.0})
    assert maths.terms_for_gain(f, 0.8) == approx({0: 0.2, 1: 1.0})
    assert maths.terms_for_gain(f, 1.0) == approx({0: 1.0, 1: 1.0})


def test_bargaining_range_one_issue() -> None:
    f = maths.build_frontier([0], ONE_R, ONE_U)
    # Ukraine needs x >= 0.2, Russia 1 - x >= 0.6
    assert maths.bargaining_range(f, 1.0, 0.0, 0.6, 0.2) == approx((0.2, 0.4))


def test_bargaining_range_none_when_demands_are_incompatible() -> None:
    f = maths.build_frontier([0], ONE_R, ONE_U)
    # Ukraine needs x >= 0.4, Russia x <= 0.3
    assert maths.bargaining_range(f, 1.0, 0.0, 0.7, 0.4) is None
    assert maths.nash_bargaining_gain(f, 1.0, 0.0, 0.7, 0.4) is None
    # Russia's reservation above its ideal: nothing satisfies it
    assert maths.bargaining_range(f, 1.0, 0.0, 1.1, 0.0) is None
    # Ukraine's reservation above its ideal
    assert maths.bargaining_range(f, 1.0, 0.0, 0.0, 1.1) is None


def test_nash_bargaining_one_issue() -> None:
    f = maths.build_frontier([0], ONE_R, ONE_U)
    args = (f, 1.0, 0.0, 0.6, 0.2)
    # max (x - 0.2)(0.4 - x): the midpoint
    assert maths.nash_bargaining_gain(*args) == approx(0.3)
    # max 0.25 ln(x - 0.2) + 0.75 ln(0.4 - x): 0.25 (0.4 - x) = 0.75 (x - 0.2), x = 0.25
    assert maths.nash_bargaining_gain(*args, weight_ukraine=0.25) == approx(0.25)
    assert maths.nash_bargaining_gain(*args, weight_ukraine=1.0) == approx(0.4)
    assert maths.nash_bargaining_gain(*args, weight_ukraine=0.0) == approx(0.2)


def test_nash_bargaining_two_issues_at_the_kink() -> None:
    f = maths.build_frontier([0, 1], TWO_R, TWO_U)
    # d_R = 0.5, d_U = 0.3. Segment 1 (L = g/3): FOC 0.5 - g/3 = (g - 0.3)/3 gives g = 0.9 > 0.75;
    # segment 2 (L = 3g - 2): FOC 2.5 - 3g = 3 (g - 0.3) gives g = 0.567 < 0.75: the kink
    assert maths.bargaining_range(f, 1.0, 0.0, 0.5, 0.3) == approx((0.3, 0.75 + 0.25 / 3.0))
    gain = maths.nash_bargaining_gain(f, 1.0, 0.0, 0.5, 0.3)
    assert gain == approx(0.75)
    assert maths.terms_for_gain(f, gain) == approx({0: 0.0, 1: 1.0})


def test_nash_bargaining_two_issues_inside_a_segment() -> None:
    f = maths.build_frontier([0, 1], TWO_R, TWO_U)
    # d_R = 0.8, d_U = 0.3: range (0.3, 0.6) on segment 1; FOC 0.2 - g/3 = (g - 0.3)/3 gives g = 0.45
    assert maths.bargaining_range(f, 1.0, 0.0, 0.8, 0.3) == approx((0.3, 0.6))
    gain = maths.nash_bargaining_gain(f, 1.0, 0.0, 0.8, 0.3)
    assert gain == approx(0.45)
    assert maths.terms_for_gain(f, gain) == approx({0: 0.0, 1: 0.6})
    assert maths.nash_bargaining_gain(f, 1.0, 0.0, 0.8, 0.3, weight_ukraine=1.0) == approx(0.6)
    assert maths.nash_bargaining_gain(f, 1.0, 0.0, 0.8, 0.3, weight_ukraine=0.0) == approx(0.3)


def test_nash_bargaining_with_a_base_that_is_not_russias_ideal() -> None:
    # the other issues give Russia 0.5 and Ukraine 0.25 on top: shift both reservations by the same
    f = maths.build_frontier([0], ONE_R, ONE_U)
    assert maths.nash_bargaining_gain(f, 1.5, 0.25, 1.1, 0.45) == approx(0.3)


def test_compromise_gain_splits_the_shortfall() -> None:
    f = maths.build_frontier([0], ONE_R, ONE_U)
    # (x - 0.4) = (1 - x - 0.7): x = 0.35, both 0.05 short
    assert maths.compromise_gain(f, 1.0, 0.0, 0.7, 0.4) == approx(0.35, abs=1e-9)
    # Ukraine already better off than Russia at x = 0: the start
    assert maths.compromise_gain(f, 1.0, 0.0, 0.0, -2.0) == 0.0
    # Russia far better off everywhere: the end
    assert maths.compromise_gain(f, 1.0, 0.0, -5.0, 0.9) == approx(1.0)


def test_compromise_gain_on_two_issues() -> None:
    f = maths.build_frontier([0, 1], TWO_R, TWO_U)
    # d_R = 0.9, d_U = 0.5 (no range). On segment 1 the gap is g - 0.5 - (0.1 - g/3) = 4g/3 - 0.6: g = 0.45
    assert maths.compromise_gain(f, 1.0, 0.0, 0.9, 0.5) == approx(0.45, abs=1e-9)


def test_frontier_keeps_an_issues_pieces_in_order_when_their_rates_tie() -> None:
    # a red line with a vanishing audience cost cuts the issue into two pieces of the same rate
    # (w_U / w_R per unit); rounding once sorted the second piece first, and terms_for_gain then
    # overwrote the issue's value with one short of the frontier point
    hi, w_u, w_r = 0.5180985414089793, 0.8226067272402589, 0.9171177984138357
    f = maths.build_frontier([0], [IssueSide(0.0, w_r)], [IssueSide(hi, w_u, red_line=0.5, audience_rate=1e-300)])
    assert [(a, b) for _, a, b in f.pieces] == [(0.0, 0.5), (0.5, hi)]
    # gains are linear along the issue: a quarter of them is a quarter of the way
    assert maths.terms_for_gain(f, f.total_gain / 4)[0] == approx(hi / 4)
    assert maths.terms_for_gain(f, f.total_gain * 0.99)[0] == approx(hi * 0.99)
