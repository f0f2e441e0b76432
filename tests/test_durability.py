"""How long ceasefires last, in the model's own runs: the zone, the monitors, incidents that spiral, rearmament's pace.

Shares of runs are compared with a margin of three Monte-Carlo standard
errors (binomial, at least that of one run in the sample).
"""

from __future__ import annotations

import math
import statistics

import pytest
from conftest import UNCALIBRATED

from model import WarTerminationModel, load_scenario
from model.issues import DEMILITARISED_ZONE

SCENARIO = "italian_plan_2022"
SEEDS = range(60)


def _se(p: float, n: int) -> float:
    return math.sqrt(max(p * (1 - p), 1 / n) / n)


def _formed_and_broken(**overrides: object) -> tuple[float, float, int]:
    """Share of runs with a ceasefire; share of those whose first ceasefire broke within the horizon; runs with one."""
    # the scenario before calibration, whose ceasefires form often enough for the response to be seen
    outcomes = [WarTerminationModel(SCENARIO, rng=seed, **{**UNCALIBRATED, **overrides}).run() for seed in SEEDS]
    formed = [o for o in outcomes if o.first_ceasefire_round is not None]
    broken = sum(o.breakdowns > 0 for o in formed)
    return len(formed) / len(outcomes), broken / max(len(formed), 1), len(formed)


def test_ceasefires_form_less_often_as_rearmament_quickens_by_degrees_not_at_a_threshold() -> None:
    # each run prices its own known rate (Powell 2006); the rate's spread across runs grades the response
    slow, middle, fast = (_formed_and_broken(rearmament=r)[0] for r in (0.01, 0.02, 0.03))
    n = len(SEEDS)
    assert slow - fast > 3 * math.hypot(_se(slow, n), _se(fast, n))
    assert 0.1 < middle < 0.9
    assert slow + 2 * _se(slow, n) >= middle >= fast - 2 * _se(fast, n)


def test_with_one_known_rate_the_response_is_powells_threshold() -> None:
    # the textbook case: without the spread, one rate forms ceasefires and a slightly faster one none
    formed = [_formed_and_broken(rearmament=r, rearmament_spread=0.0)[0] for r in (0.015, 0.025)]
    assert formed[0] > 0.3 and formed[1] == 0.0


def test_first_ceasefires_break_within_two_years_about_as_often_as_interstate_ceasefires_do() -> None:
    # a band of 10-35% for the first two years (Fortna 2004: almost half fail eventually, most early)
    _, broken, formed = _formed_and_broken()
    assert formed >= 20
    margin = 2 * _se(broken, formed)
    assert 0.10 - margin < broken < 0.35 + margin


def test_incidents_that_nobody_catches_spiral_into_war() -> None:
    # every week each side violates and no monitor catches it: where incidents spiral, far more first
    # ceasefires break than where the zone and restraint contain them all
    spiralling = {"violation_rate_russia": 1.0, "violation_rate_ukraine": 1.0, "monitor_strength": 0.0}
    _, spiral, n_spiral = _formed_and_broken(**spiralling, escalation_risk=1.0)
    _, contained, n_contained = _formed_and_broken(**spiralling, escalation_risk=0.0)
    assert min(n_spiral, n_contained) >= 20
    assert spiral - contained > 3 * math.hypot(_se(spiral, n_spiral), _se(contained, n_contained))


def test_rearmament_behind_a_demilitarised_zone_shifts_the_balance_less() -> None:
    values = load_scenario(SCENARIO).values
    for seed in SEEDS:
        model = WarTerminationModel(SCENARIO, rng=seed)
        while model.running and not model.ceasefire:
            model.step()
        if not model.ceasefire or model.steps == int(values["shock_round"]) - 1:
            continue
        zone = model.current_terms()[DEMILITARISED_ZONE]
        before = model.battlefield.trend_logit
        model.step()
        if model.ceasefire and model.steps != int(values["shock_round"]):
            rate = model.battlefield.rearmament * (1 - float(values["buffer_effect"]) * zone)
            assert model.battlefield.trend_logit - before == pytest.approx(float(values["momentum"]) + rate)
            return
    raise AssertionError("no run held a ceasefire for two rounds")


def test_each_run_draws_its_rate_of_rearmament_about_the_scenarios_mean() -> None:
    mean = float(load_scenario(SCENARIO).values["rearmament"])
    rates = [WarTerminationModel(SCENARIO, rng=seed).battlefield.rearmament for seed in range(400)]
    assert WarTerminationModel(SCENARIO, rng=3).battlefield.rearmament == rates[3]  # reproducible
    assert statistics.fmean(rates) == pytest.approx(mean, abs=3 * statistics.stdev(rates) / math.sqrt(len(rates)))
    assert WarTerminationModel(SCENARIO, rng=3, rearmament_spread=0.0).battlefield.rearmament == mean


def test_undetected_violations_move_the_front_little_while_a_ceasefire_holds() -> None:
    # violations the monitors miss gain ground only where no zone keeps the forces apart
    moves = []
    for seed in range(40):
        model = WarTerminationModel(SCENARIO, rng=seed)
        start: float | None = None
        while model.running:
            model.step()
            if model.ceasefire:
                start = model.battlefield.share if start is None else start
                moves.append(abs(model.battlefield.share - start))
            else:
                start = None
    assert moves and max(moves) <= 0.05
