"""The battlefield: cells, the trend's drift, engagements, operations, aid at the front, violations and the war aims."""

from __future__ import annotations

import math

import numpy as np
import pytest

from model import WarTerminationModel
from model.battlefield import Battlefield, Operation
from model.errors import InputError
from model.outcome import OutcomeKind, Side
from model.parameters import PARAMETERS


def battlefield(**kw: object) -> Battlefield:
    values = {
        "initial_advantage": 0.5,
        "volatility": 0.1,
        "initial_front": 0.5,
        "momentum": 0.0,
        "shock_round": 0,
        "shock_size": 0.0,
        "rearmament": 0.0,
        "aid_effect": 0.0,
        **kw,
    }
    return Battlefield(**values)  # type: ignore[arg-type]


def test_the_front_is_cut_into_one_engagement_cells() -> None:
    field = battlefield(volatility=0.1, initial_front=0.3)
    assert (field.cells, field.position, field.share) == (10, 3, pytest.approx(0.3))


def test_the_trend_drifts_by_momentum_the_shock_and_rearmament_in_a_ceasefire() -> None:
    field = battlefield(momentum=0.01, shock_round=3, shock_size=-0.5, rearmament=0.02)
    assert field.drift(1, ceasefire=False) == pytest.approx(0.01)
    assert field.drift(2, ceasefire=True) == pytest.approx(0.03)
    assert field.drift(3, ceasefire=False) == pytest.approx(-0.49)
    assert field.trend_logit == pytest.approx(0.01 + 0.03 - 0.49)


def test_aid_to_ukraine_lowers_russias_chances() -> None:
    field = battlefield(aid_effect=0.5)
    assert field.balance() == pytest.approx(0.5)
    field.ship(2.0, 0.0)
    assert field.balance() == pytest.approx(1.0 / (1.0 + np.exp(1.0)))  # log-odds 0 - 0.5 * 2


def test_an_engagement_moves_the_front_one_cell_toward_its_winner() -> None:
    field = battlefield()
    assert field.engage(np.random.default_rng(0), 1.0) and field.position == 6
    assert not field.engage(np.random.default_rng(0), 0.0) and field.position == 5


def test_an_undetected_violation_gains_a_cell_but_never_the_edge() -> None:
    field = battlefield(volatility=0.5)  # two cells, Russia holds one
    field.nudge(Side.RUSSIA)
    field.nudge(Side.UKRAINE)
    assert field.position == 1 and field.winner is None


def test_the_side_that_holds_everything_has_won() -> None:
    field = battlefield(volatility=0.5)
    field.engage(np.random.default_rng(0), 1.0)
    assert field.winner is Side.RUSSIA
    field.position = 0
    assert field.winner is Side.UKRAINE


# --------------------------------------------------------------------------
# Offensive operations
# --------------------------------------------------------------------------


def test_an_operation_spreads_its_cells_over_its_weeks_surplus_first() -> None:
    op = Operation(start=5, cells=-5, weeks=2, edge=1.0)
    assert [op.cells_in(r) for r in range(4, 8)] == [0, 3, 2, 0]
    assert op.attacker is Side.UKRAINE and Operation(5, 3, 1, 0.0).attacker is Side.RUSSIA


def test_an_operation_at_an_overwhelming_edge_moves_the_front_by_its_size() -> None:
    field = battlefield(volatility=0.01, initial_front=0.2, operations=(Operation(start=3, cells=-4, weeks=2, edge=30.0),))
    rng = np.random.default_rng(0)
    assert [field.operate(rng, r) for r in range(1, 6)] == [0, 0, -2, -2, 0]
    assert field.position == 16


def test_an_operation_at_no_edge_against_the_odds_gains_nothing_and_loses_nothing() -> None:
    field = battlefield(volatility=0.01, initial_front=0.2, initial_advantage=0.99, operations=(Operation(3, -10, 1, 0.0),))
    field.operate(np.random.default_rng(0), 3)
    assert 19 <= field.position <= 20  # Ukraine attacks at 1%: a cell at most, never a Russian gain


def test_an_operation_stops_at_the_war_aim() -> None:
    field = battlefield(volatility=0.01, initial_front=0.2, aim_ukraine=0.18, operations=(Operation(1, -10, 1, 30.0),))
    assert field.operate(np.random.default_rng(0), 1) == -2
    assert field.winner is Side.UKRAINE


def test_the_model_moves_the_front_by_the_operation_in_its_rounds() -> None:
    kw = dict(protocol="none", max_rounds=20, volatility=0.005,  # cells of 0.5%: the operation is two a round
              operation1_round=10, operation1_size=-0.02, operation1_weeks=2, operation1_edge=10.0)
    model = WarTerminationModel("stalemate", rng=3, **kw)
    fronts = []
    while model.running:
        before = model.battlefield.position
        model.step()
        fronts.append(model.battlefield.position - before)
    # one engagement of attrition a round (a cell either way), two cells of the offensive in rounds 10 and 11
    assert all(abs(move) == 1 for r, move in enumerate(fronts, start=1) if r not in (10, 11))
    assert fronts[9] in (-3, -1) and fronts[10] in (-3, -1)
    assert fronts[9] + fronts[10] <= -2


def test_an_operation_beyond_the_horizon_leaves_the_run_unchanged() -> None:
    plain = WarTerminationModel("italian_plan_2022", rng=7, max_rounds=30, operation1_round=0, operation2_round=0).run().to_dict()
    later = WarTerminationModel(
        "italian_plan_2022", rng=7, max_rounds=30, operation1_round=31, operation1_size=-0.1, operation2_round=0
    ).run().to_dict()
    assert later == plain


# --------------------------------------------------------------------------
# Aid at the front: lag and diminishing returns
# --------------------------------------------------------------------------


def _aid_shift(scale: float, **kw: object) -> float:
    """Log-odds the aid at the front takes from Russia's chances, in the model's true balance."""
    with_aid = WarTerminationModel("stalemate", rng=0, protocol="none", aid_scale=scale, **kw)
    without = WarTerminationModel("stalemate", rng=0, protocol="none", aid_scale=0.0, **kw)
    return math.log(without.true_balance / (1 - without.true_balance)) - math.log(with_aid.true_balance / (1 - with_aid.true_balance))


def test_linear_aid_by_default_shifts_the_balance_in_proportion() -> None:
    assert _aid_shift(10.0, aid_saturation=0.0, aid_lag=0) == pytest.approx(10.0 * _aid_shift(1.0, aid_saturation=0.0, aid_lag=0))


def test_aid_saturates_in_the_true_balance() -> None:
    kw = dict(aid_effect=0.3, aid_saturation=0.5, aid_lag=0)
    one, ten = _aid_shift(1.0, **kw), _aid_shift(10.0, **kw)
    assert 0 < one < ten < 10.0 * one
    assert ten < 0.3 * 0.5  # never more than aid_effect * aid_saturation
    assert one == pytest.approx(0.3 * 0.5 * (1 - math.exp(-0.42 / 0.5)))  # italian_plan_2022's aid: 0.42 $bn a week at 0.3


def test_a_delivery_lag_delays_aids_effect_by_exactly_the_lag() -> None:
    lag = 4

    def balances(**kw: object) -> list[float]:
        model = WarTerminationModel("stalemate", rng=0, protocol="none", max_rounds=12, **kw)
        model.run()
        return [float(x) for x in model.datacollector.get_model_vars_dataframe()["balance"]]

    lagged = balances(aid_scale=3.0, aid_lag=lag)
    now, before = balances(aid_scale=3.0, aid_lag=0), balances(aid_scale=1.0, aid_lag=0)
    assert lagged[:lag] == pytest.approx(before[:lag])  # what is under way at round 0 is the unscaled aid
    assert lagged[lag:] == pytest.approx(now[: len(now) - lag])
    assert lagged[lag - 1] != pytest.approx(now[lag - 1])


# --------------------------------------------------------------------------
# War aims
# --------------------------------------------------------------------------


def test_reaching_a_war_aim_ends_the_run_with_a_victory_there_not_at_the_edge() -> None:
    outcome = WarTerminationModel("stalemate", rng=1, protocol="none", volatility=0.005, initial_advantage=0.95, aim_russia=0.25).run()
    assert outcome.kind is OutcomeKind.VICTORY and outcome.winner is Side.RUSSIA
    assert outcome.final_front == pytest.approx(0.25)
    outcome = WarTerminationModel("stalemate", rng=1, protocol="none", volatility=0.005, initial_advantage=0.05, aim_ukraine=0.15).run()
    assert outcome.winner is Side.UKRAINE and outcome.final_front == pytest.approx(0.15)


def test_a_violation_gains_a_cell_but_never_the_war_aim() -> None:
    field = battlefield(volatility=0.1, initial_front=0.3, aim_russia=0.4, aim_ukraine=0.2)
    field.nudge(Side.RUSSIA)
    field.nudge(Side.RUSSIA)
    assert field.position == 3
    field.nudge(Side.UKRAINE)
    assert field.position == 3 and field.winner is None


@pytest.mark.parametrize(("aim_ukraine", "aim_russia"), [(0.2, 1.0), (0.0, 0.2), (0.3, 0.1)])
def test_war_aims_must_lie_on_either_side_of_the_front(aim_ukraine: float, aim_russia: float) -> None:
    with pytest.raises(InputError, match="aim_ukraine, aim_russia"):
        WarTerminationModel("italian_plan_2022", aim_ukraine=aim_ukraine, aim_russia=aim_russia)


def test_the_new_mechanisms_generic_defaults_switch_them_off() -> None:
    assert PARAMETERS["aid_saturation"].default == 0.0 and PARAMETERS["aid_lag"].default == 0
    assert (PARAMETERS["aim_russia"].default, PARAMETERS["aim_ukraine"].default) == (1.0, 0.0)
    assert all(p.default == 0 for name, p in PARAMETERS.items() if name.endswith(("_round", "_size")) and p.group == "operations")


def test_with_no_offensive_scheduled_the_front_is_the_attritional_walk() -> None:
    # operations off: every round of war moves the front exactly one cell, and a ceasefire round at most one
    off = {name: p.default for name, p in PARAMETERS.items() if p.group == "operations"}
    for seed in range(10):
        model = WarTerminationModel("italian_plan_2022", rng=seed, **off)
        while model.running:
            before, at_war = model.battlefield.position, not model.ceasefire
            model.step()
            moved = abs(model.battlefield.position - before)
            if at_war and not model.ceasefire:
                assert moved == 1
            else:
                assert moved <= 1
