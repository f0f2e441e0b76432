"""The three named scenarios: each changes only what its story needs, with sources, and tells that story."""

from __future__ import annotations

import math
import statistics
from functools import cache

import pytest
from conftest import UNCALIBRATED

from model import WarTerminationModel, load_scenario
from model.outcome import OutcomeKind, Side

BASE = "italian_plan_2022"
CHANGES = {
    "severodonetsk": {
        "initial_advantage", "momentum", "shock_round", "shock_size", "war_cost_russia", "operation1_round", "operation2_round"
    },
    "stalemate": {"initial_advantage", "momentum", "shock_round", "shock_size", "operation1_round", "operation2_round"},
    "counteroffensive": {"momentum", "shock_round", "shock_size", "operation1_round"},
}
SEEDS = range(40)
UNTRENDED = {k: v for k, v in UNCALIBRATED.items() if k not in ("initial_advantage", "momentum")}
"""The uncalibrated values but the trend, which each trend scenario sets itself."""


@pytest.mark.parametrize("name", sorted(CHANGES))
def test_changes_only_its_story_and_gives_sources(name: str) -> None:
    base, scenario = load_scenario(BASE), load_scenario(name)
    changed = {k for k, v in scenario.values.items() if base.values[k] != v}
    assert changed == CHANGES[name]
    for key in CHANGES[name]:
        assert scenario.sources[key] != base.sources.get(key), key
        assert scenario.sources[key].startswith(("seed 00", "assumption", "public record")), key
    # everything it keeps, it keeps with the base's source
    kept = {k: s for k, s in scenario.sources.items() if k not in CHANGES[name]}
    assert kept == {k: s for k, s in base.sources.items() if k not in CHANGES[name]}
    assert scenario.description and BASE in scenario.description


@cache
def _runs(name: str) -> tuple[tuple[float, ...], tuple[OutcomeKind, ...], tuple[Side | None, ...], tuple[float, ...], tuple[float, ...]]:
    fronts, kinds, winners, cost_r, cost_u = [], [], [], [], []
    for seed in SEEDS:
        outcome = WarTerminationModel(name, rng=seed).run()
        fronts.append(outcome.final_front)
        kinds.append(outcome.kind)
        winners.append(outcome.winner)
        cost_r.append(outcome.costs["russia"])
        cost_u.append(outcome.costs["ukraine"])
    return tuple(fronts), tuple(kinds), tuple(winners), tuple(cost_r), tuple(cost_u)


def _mean_and_se(values: tuple[float, ...]) -> tuple[float, float]:
    return statistics.fmean(values), statistics.stdev(values) / math.sqrt(len(values))


def test_severodonetsk_russia_advances_at_a_high_cost() -> None:
    start = float(load_scenario("severodonetsk").values["initial_front"])
    fronts, _, winners, cost_r, cost_u = _runs("severodonetsk")
    mean, se = _mean_and_se(fronts)
    assert mean - 3 * se > start  # the front moves west, beyond Monte-Carlo error
    assert Side.UKRAINE not in winners
    diff = tuple(r - u for r, u in zip(cost_r, cost_u))
    mean_diff, se_diff = _mean_and_se(diff)
    assert mean_diff - 3 * se_diff > 0  # and Russia pays more than Ukraine
    model = WarTerminationModel("severodonetsk", rng=0)
    assert model.true_balance > 0.55  # Russia wins more engagements than it loses


def test_counteroffensive_ukraine_gains() -> None:
    start = float(load_scenario("counteroffensive").values["initial_front"])
    fronts, kinds, winners, _, _ = _runs("counteroffensive")
    mean, se = _mean_and_se(fronts)
    assert mean + 3 * se < start  # the front moves east, beyond Monte-Carlo error
    assert Side.RUSSIA not in winners
    # the shock comes early and turns the balance Ukraine's way
    model = WarTerminationModel("counteroffensive", rng=0, protocol="none")
    shock = int(model.war_scenario.values["shock_round"])
    assert shock <= 8
    before = model.true_balance
    for _ in range(shock):
        model.step()
    assert before > 0.5 > model.true_balance


def test_stalemate_is_even_and_does_not_drift() -> None:
    model = WarTerminationModel("stalemate", rng=0, protocol="none")
    balances = []
    while model.running:
        model.step()
        balances.append(model.true_balance)
    assert model.datacollector.get_model_vars_dataframe()["balance"].iloc[0] == pytest.approx(0.5, abs=1e-3)
    assert max(balances) - min(balances) == pytest.approx(0.0, abs=1e-9)


def test_the_three_trends_order_the_front() -> None:
    means = {name: _mean_and_se(_runs(name)[0]) for name in CHANGES}
    (co, co_se), (st, st_se), (sv, sv_se) = means["counteroffensive"], means["stalemate"], means["severodonetsk"]
    assert co + 3 * co_se < st - 3 * st_se
    assert st + 3 * st_se < sv - 3 * sv_se


def test_a_stalemate_opens_more_room_for_talks_than_a_turning_trend() -> None:
    # a mutually hurting stalemate brings ceasefires more often than a trend turning against the side
    # that leads (Zartman's ripeness); a slow Russian advance (severodonetsk) brings them about as often
    # as the stalemate here, so it is not compared
    def ceasefire_share(name: str) -> tuple[float, float]:
        # before calibration, where ceasefires are frequent enough to compare; under the calibrated scenario the
        # commitment problem keeps them rare under every trend (30% stalemate, 35% counteroffensive, 40 seeds)
        runs = [WarTerminationModel(name, rng=seed, **UNTRENDED).run() for seed in SEEDS]
        p = sum(o.first_ceasefire_round is not None for o in runs) / len(SEEDS)
        return p, (max(p * (1 - p), 1 / len(SEEDS)) / len(SEEDS)) ** 0.5

    (st, st_se), (co, co_se) = ceasefire_share("stalemate"), ceasefire_share("counteroffensive")
    assert st - co > 3 * (st_se**2 + co_se**2) ** 0.5
    kinds = {name: [WarTerminationModel(name, rng=seed, **UNTRENDED).run().kind for seed in SEEDS]
             for name in ("stalemate", "counteroffensive")}
    assert kinds["stalemate"].count(OutcomeKind.CEASEFIRE) > kinds["counteroffensive"].count(OutcomeKind.CEASEFIRE)


def test_the_default_scenario_keeps_to_the_record_of_2022_to_2024() -> None:
    # what is known of the two years after 26 May 2022 (docs/ODD.md, section 1; docs/calibration.md):
    # no ceasefire and no agreed step, neither army won, and the front fell to about 17% of Ukraine
    # with the counteroffensives of autumn 2022 and barely moved after. The calibrated scenario makes
    # that a typical draw: most runs have no negotiated end (64-66% in 600-1,000 runs), none is won.
    fronts, kinds, winners, _, _ = _runs("italian_plan_2022")
    assert set(winners) == {None}
    outcomes = [WarTerminationModel("italian_plan_2022", rng=seed).run() for seed in SEEDS]
    none = sum(o.first_ceasefire_round is None and o.kind is not OutcomeKind.SETTLEMENT for o in outcomes) / len(SEEDS)
    assert none > 0.5 - 3 * (0.25 / len(SEEDS)) ** 0.5  # the record is not a rare draw
    settled = [o.rounds for o in outcomes if o.kind is OutcomeKind.SETTLEMENT]
    assert all(r > 52 for r in settled)  # no settlement within the first year
    assert all(0.1 < f < 0.3 for f in fronts)
    assert 0.16 < statistics.median(fronts) < 0.20  # about 17-18% at the horizon, as in the record
    firsts = [o.first_ceasefire_round for o in outcomes]
    shock = int(load_scenario("italian_plan_2022").values["shock_round"])
    assert all(r is None or r >= shock for r in firsts)  # none before the Kharkiv counteroffensive
