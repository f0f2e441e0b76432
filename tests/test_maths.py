"""Hand-computed cases for the pure functions of ``model.maths``.

Every expected number below was worked out by hand (the working is in the
comments), not by calling the function under test another way.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pytest

from model import maths

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


def direct_solve(n: int, k: int, d: float, p: float, flow: Callable[[float], float], vu: float, vr: float) -> float:
    """An independent method: the recurrence solved as a linear system, (1 - d) h(k)."""
    a = np.eye(n + 1)
    rhs = np.zeros(n + 1)
    rhs[0], rhs[n] = vu / (1 - d), vr / (1 - d)
    for i in range(1, n):
        a[i, i + 1] -= d * p
        a[i, i - 1] -= d * (1.0 - p)
        rhs[i] = flow(i / n)
    return float((1 - d) * np.linalg.solve(a, rhs)[k])


def test_value_of_war_matches_a_direct_linear_solve() -> None:
    n, k, d, p = 20, 7, 0.97, 0.43
    base, slope, vu, vr = -0.05, 0.6, 0.9, 0.1
    expected = direct_solve(n, k, d, p, lambda s: base + slope * s, vu, vr)
    value = _vow(p=p, position=k, cells=n, discount=d, flow_base=base, flow_slope=slope, value_if_ukraine_wins=vu, value_if_russia_wins=vr)
    assert value == approx(expected, rel=1e-9)


@pytest.mark.parametrize(("n", "k", "p"), [(20, 7, 0.43), (50, 31, 0.58), (9, 1, 0.5)])
def test_value_of_war_with_a_quadratic_flow_matches_a_direct_linear_solve(n: int, k: int, p: float) -> None:
    # the flow a concave utility gives: base + slope s + curvature s^2
    d, base, slope, curvature, vu, vr = 0.98, -0.05, 0.9, -0.4, 0.95, 0.2
    expected = direct_solve(n, k, d, p, lambda s: base + slope * s + curvature * s * s, vu, vr)
    value = _vow(
        p=p, position=k, cells=n, discount=d, flow_base=base, flow_slope=slope,
        value_if_ukraine_wins=vu, value_if_russia_wins=vr, flow_curvature=curvature,
    )
    assert value == approx(expected, rel=1e-9)


def direct_solve_between(
    n: int, lower: int, upper: int, k: int, d: float, p: float, flow: Callable[[float], float], vu: float, vr: float
) -> float:
    """The recurrence on ``lower..upper`` solved as a linear system; the flow a function of Russia's share ``i / n``."""
    m = upper - lower
    a = np.eye(m + 1)
    rhs = np.zeros(m + 1)
    rhs[0], rhs[m] = vu / (1 - d), vr / (1 - d)
    for j in range(1, m):
        a[j, j + 1] -= d * p
        a[j, j - 1] -= d * (1.0 - p)
        rhs[j] = flow((lower + j) / n)
    return float((1 - d) * np.linalg.solve(a, rhs)[k - lower])


@pytest.mark.parametrize(("lower", "upper", "k", "p"), [(4, 45, 40, 0.55), (0, 30, 12, 0.43), (10, 50, 11, 0.5)])
def test_value_of_war_between_war_aims_matches_a_direct_linear_solve(lower: int, upper: int, k: int, p: float) -> None:
    # war aims absorb the walk before the edges; the flow still follows Russia's share of the whole territory
    n, d, base, slope, curvature, vu, vr = 50, 0.98, -0.05, 0.9, -0.4, 0.95, 0.2
    expected = direct_solve_between(n, lower, upper, k, d, p, lambda s: base + slope * s + curvature * s * s, vu, vr)
    value = _vow(
        p=p, position=k, cells=n, discount=d, flow_base=base, flow_slope=slope,
        value_if_ukraine_wins=vu, value_if_russia_wins=vr, flow_curvature=curvature, ends=(lower, upper),
    )
    assert value == approx(expected, rel=1e-9)


def test_value_of_war_with_aims_at_the_edges_is_the_plain_walk_exactly() -> None:
    kw = dict(
        p=0.43, position=7, cells=20, discount=0.97, flow_base=-0.05, flow_slope=0.6, value_if_ukraine_wins=0.9, value_if_russia_wins=0.1
    )
    assert _vow(**kw, ends=(0, 20)) == _vow(**kw)


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


def test_issue_loss_runs_from_linear_to_quadratic() -> None:
    assert maths.issue_loss(0.4, 0.0) == approx(0.4)
    assert maths.issue_loss(0.4, 1.0) == approx(0.16)
    assert maths.issue_loss(0.4, 0.5) == approx(0.5 * 0.4 + 0.5 * 0.16)
    assert maths.issue_loss(1.0, 0.7) == approx(1.0) and maths.issue_loss(0.0, 0.7) == 0.0


def test_a_concave_utility_prefers_the_sure_compromise_to_the_even_gamble() -> None:
    # one issue, ideal 1: the compromise 0.5 against an even gamble between 0 and 1 (expected utility 0.5)
    linear = maths.utility([0.5], [1.0], [1.0])
    quadratic = maths.utility([0.5], [1.0], [1.0], curvature=1.0)
    assert linear == approx(0.5)
    assert quadratic == approx(0.75)  # 1 - 0.5^2: risk-averse


def test_red_line_penalty_for_ukraine_is_a_floor() -> None:
    assert maths.red_line_penalty(0.5, 0.8, 2.0, ukraine=True) == approx(0.6)
    assert maths.red_line_penalty(0.9, 0.8, 2.0, ukraine=True) == 0.0
    assert maths.red_line_penalty(0.8, 0.8, 2.0, ukraine=True) == 0.0


def test_red_line_penalty_for_russia_is_a_ceiling() -> None:
    assert maths.red_line_penalty(0.5, 0.35, 1.0, ukraine=False) == approx(0.15)
    assert maths.red_line_penalty(0.2, 0.35, 1.0, ukraine=False) == 0.0


# --------------------------------------------------------------------------
# The front's cells; agreements and floors
# --------------------------------------------------------------------------


@pytest.mark.parametrize(("volatility", "cells"), [(0.02, 50), (0.005, 200), (0.3, 3), (0.5, 2), (0.9, 2), (1.0, 2)])
def test_front_cells_are_one_engagement_each_and_at_least_two(volatility: float, cells: int) -> None:
    assert maths.front_cells(volatility) == cells


def test_unresolved_hazard_is_linear_in_the_steps_left_open() -> None:
    # 0.3 with all three later steps open; 0.3 * 2 / 3 = 0.2; 0 once settled
    assert maths.unresolved_hazard(0.3, 3) == approx(0.3)
    assert maths.unresolved_hazard(0.3, 2) == approx(0.2)
    assert maths.unresolved_hazard(0.3, 0) == 0.0


def test_agreement_value_of_a_settlement_is_its_flow_and_the_inducement() -> None:
    # no ceasefire cost and no risk once nothing is open: 0.6 + 0.1
    assert maths.agreement_value(0.6, 0.1, 0, 0.5, 0.2, -3.0) == approx(0.7)


def test_agreement_value_of_a_ceasefire_is_a_lottery_over_holding_and_collapse() -> None:
    # (1 - 0.25) * (0.6 + 0.1 - 0.2) + 0.25 * 0.3 = 0.375 + 0.075
    assert maths.agreement_value(0.6, 0.1, 2, 0.25, 0.2, 0.3) == approx(0.45)


def test_acceptance_floor_is_the_flow_that_makes_the_agreement_worth_the_reservation() -> None:
    # (0.45 - 0.25 * 0.3) / 0.75 + 0.2 - 0.1 = 0.5 + 0.1 = 0.6: the flow of the previous case
    assert maths.acceptance_floor(0.45, 0.25, 0.3, 0.2, 0.1) == approx(0.6)
    # a settlement: d - I
    assert maths.acceptance_floor(0.45, 0.0, 0.0, 0.0, 0.1) == approx(0.35)


def test_self_enforcing_floor_is_the_value_of_resuming_plus_what_the_ceasefire_costs() -> None:
    # keep >= resume: u + 0.1 - 0.2 >= 0.5, so u >= 0.6
    assert maths.self_enforcing_floor(0.5, 0.2, 0.1) == approx(0.6)
