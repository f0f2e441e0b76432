"""The battlefield on its own: cells, the trend's drift, engagements, violations and the edges."""

from __future__ import annotations

import numpy as np
import pytest

from model.battlefield import Battlefield
from model.outcome import Side


def battlefield(**kw: float) -> Battlefield:
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
    return Battlefield(**{k: (int(v) if k == "shock_round" else float(v)) for k, v in values.items()})  # type: ignore[arg-type]


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
    assert field.balance(0.0) == pytest.approx(0.5)
    assert field.balance(2.0) == pytest.approx(1.0 / (1.0 + np.exp(1.0)))  # log-odds 0 - 0.5 * 2


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
