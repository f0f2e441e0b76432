"""The agents on their own: a belligerent's values, floors and answers, a third party's aid, the IFG.

Each belligerent is built in a bare Mesa model from a scenario's settings,
with round numbers for its costs; where a value of war is needed it is
scripted (a fixed number, like Axelrod's MockPlayer), so every expected
number below is worked out by hand.
"""

from __future__ import annotations

import dataclasses

import mesa
import pytest

from model import load_scenario
from model.agents import Belligerent, BelligerentSettings, Mediator, MediatorSettings, Standing, Talks, ThirdParty, ThirdPartySettings
from model.battlefield import Battlefield
from model.issues import ISSUES, TerritorialForm
from model.outcome import Side

VALUES = load_scenario("theory_null_mediator").values
STATUS_QUO = [0.5] * len(ISSUES)
BATTLEFIELD = Battlefield.from_values(VALUES)


def belligerent(side: Side, war_value: float | None = None, **settings: float) -> Belligerent:
    """A belligerent with war cost 0.1 a round (0.05 in a ceasefire), no aid relief, and optionally a scripted war value."""
    base = BelligerentSettings.from_values(VALUES, side)
    chosen = dataclasses.replace(base, **{"war_cost": 0.1, "ceasefire_cost_share": 0.5, "aid_relief": 0.0, **settings})
    other = BelligerentSettings.from_values(VALUES, side.other)
    agent = Belligerent(mesa.Model(rng=0), chosen, STATUS_QUO, other.ideal)
    if war_value is not None:
        agent.value_of_war = lambda battlefield, deterrence=0.0, shift=0.0: war_value - deterrence  # type: ignore[method-assign]
        agent.update_war_value(BATTLEFIELD)
    return agent


def talks(open_steps: int, hazard: float = 0.2, inducement: float = 0.1, deterrence: float = 0.0) -> Talks:
    return Talks(Standing(open_steps, hazard, inducement, {}), anticipated_shift=0.0, deterrence_now=deterrence)


def test_costs_are_relieved_by_aid_and_shared_in_a_ceasefire() -> None:
    ukraine = belligerent(Side.UKRAINE, aid_relief=2.0)
    ukraine.receive(0.5, 0.0)
    # 0.1 / (1 + 2 * 0.5) = 0.05 at war; half of it in a ceasefire
    assert ukraine.cost_of_round(False) == pytest.approx(0.05)
    assert ukraine.cost_of_round(True) == pytest.approx(0.025)


def test_a_side_collapses_once_its_costs_pass_its_capacity() -> None:
    russia = belligerent(Side.RUSSIA, capacity=0.25)
    for _ in range(2):
        russia.pay(ceasefire=False)
    assert not russia.collapsed  # 0.2
    russia.pay(ceasefire=False)
    assert russia.collapsed  # 0.3 > 0.25


def test_a_settlements_floor_is_the_reservation_less_the_inducement() -> None:
    floor, future = belligerent(Side.UKRAINE, 0.4).floor(0.4, talks(0, hazard=0.0), BATTLEFIELD)
    assert floor == pytest.approx(0.3) and future == 0.0


def test_a_ceasefires_floor_makes_it_worth_the_reservation() -> None:
    # (0.5 - 0.2 * 0.4) / 0.8 + 0.05 - 0.1 = 0.475; self-enforcing: 0.4 + 0.05 - 0.1 = 0.35
    floor, future = belligerent(Side.UKRAINE, 0.4).floor(0.5, talks(2), BATTLEFIELD)
    assert floor == pytest.approx(0.475) and future == pytest.approx(0.4)


def test_a_side_refuses_terms_it_would_itself_break() -> None:
    # worth the reservation from (0.3 - 0.08) / 0.8 - 0.05 = 0.225, but keeping it needs 0.35 (Powell 2006)
    floor, _ = belligerent(Side.UKRAINE, 0.4).floor(0.3, talks(2), BATTLEFIELD)
    assert floor == pytest.approx(0.35)


def test_guarantees_lower_russias_self_enforcing_floor_and_not_ukraines() -> None:
    # Russia's war restarted against guarantors is worth 0.4 - 0.2: floor 0.2 + 0.05 - 0.1
    russia_floor, _ = belligerent(Side.RUSSIA, 0.4).floor(0.0, talks(2, deterrence=0.2), BATTLEFIELD)
    ukraine_floor, _ = belligerent(Side.UKRAINE, 0.4).floor(0.0, talks(2, deterrence=0.2), BATTLEFIELD)
    assert russia_floor == pytest.approx(0.15)
    assert ukraine_floor == pytest.approx(0.35)


def test_an_answer_values_the_proposal_and_accepts_what_reaches_the_floor() -> None:
    ukraine = belligerent(Side.UKRAINE, 0.4)
    terms = [1.0] * len(ISSUES)  # Ukraine's ideal everywhere in this scenario: flow 1
    assert ukraine.flow(terms) == pytest.approx(1.0)
    value, accepted = ukraine.answer(terms, talks(2), floor=0.99, future_war=0.4)
    # (1 - 0.2) * (1 + 0.1 - 0.05) + 0.2 * 0.4 = 0.84 + 0.08
    assert value == pytest.approx(0.92) and accepted
    assert not ukraine.answer(terms, talks(2), floor=1.01, future_war=0.4)[1]


def test_a_side_defects_when_resuming_beats_keeping() -> None:
    ukraine = belligerent(Side.UKRAINE, 0.4)
    standing = Standing(2, 0.2, 0.1, {})
    worst = [0.0] * len(ISSUES)  # flow 0: keeping is worth 0.8 * (0 + 0.1 - 0.05) + 0.2 * 0.4 = 0.12 < 0.4
    best = [1.0] * len(ISSUES)  # 0.92 > 0.4
    assert ukraine.defects(worst, standing, BATTLEFIELD, deterrence=0.0)
    assert not ukraine.defects(best, standing, BATTLEFIELD, deterrence=0.0)


def test_audience_costs_weigh_the_land_beyond_the_red_line_by_salience_and_by_how_it_was_given_up() -> None:
    ukraine = belligerent(Side.UKRAINE, red_line=0.8, audience_cost=2.0, war_weariness=0.0, unsigned_audience_share=0.25)
    crimea = ISSUES.index("crimea")
    weight = ukraine.settings.weights[crimea]  # 1/11: the theory scenario's saliences are equal
    terms = [1.0] * len(ISSUES)
    terms[crimea] = 0.5
    free = ukraine.flow(terms)
    # 0.3 beyond the red line at 2 a unit of salience: the whole cost when signed, a quarter when it stands de facto
    signed = 2.0 * weight * 0.3
    assert free - ukraine.terms_flow(terms, {crimea: TerritorialForm.SOVEREIGNTY}) == pytest.approx(signed)
    assert free - ukraine.terms_flow(terms, {}) == pytest.approx(0.25 * signed)
    assert free - ukraine.terms_flow(terms, {crimea: TerritorialForm.DEFERRED}) == pytest.approx(0.25 * signed)
    # autonomy keeps Ukraine's sovereignty: its leaders bear none of it, Russia's the whole of theirs
    assert ukraine.terms_flow(terms, {crimea: TerritorialForm.AUTONOMY}) == pytest.approx(free)
    russia = belligerent(Side.RUSSIA, red_line=0.35, audience_cost=1.0, war_weariness=0.0, unsigned_audience_share=0.0)
    plain = russia.flow(terms)
    assert plain - russia.terms_flow(terms, {crimea: TerritorialForm.AUTONOMY}) == pytest.approx(russia.settings.weights[crimea] * 0.15)


def test_a_war_beyond_the_red_line_costs_its_unsigned_share_of_the_audience_cost() -> None:
    calm = belligerent(Side.UKRAINE, red_line=0.8, audience_cost=0.0)
    bound = belligerent(Side.UKRAINE, red_line=0.8, audience_cost=2.0, war_weariness=0.0, unsigned_audience_share=0.5)
    assert bound.value_of_war(BATTLEFIELD) < calm.value_of_war(BATTLEFIELD)
    free = belligerent(Side.UKRAINE, red_line=0.8, audience_cost=2.0, war_weariness=0.0, unsigned_audience_share=0.0)
    assert free.value_of_war(BATTLEFIELD) == pytest.approx(calm.value_of_war(BATTLEFIELD))


def test_patrons_pressure_lowers_the_value_of_war_of_the_side_pushed_to_talk() -> None:
    ukraine = belligerent(Side.UKRAINE, pressure_effect=0.5)
    before = ukraine.value_of_war(BATTLEFIELD)
    ukraine.receive(1.0, 1.0)
    ukraine.receive(3.0, 0.0)
    # the aid-weighted stance: (1 * 1 + 3 * 0) / 4 = 0.25; 0.5 * 0.25 off the value of war
    assert ukraine.pressure == pytest.approx(0.25)
    assert before - ukraine.value_of_war(BATTLEFIELD) == pytest.approx(0.125)  # no aid relief here: pressure alone


def test_a_third_party_aids_its_patron_and_nobody_else() -> None:
    model = mesa.Model(rng=0)
    sides = {side: Belligerent(model, BelligerentSettings.from_values(VALUES, side), STATUS_QUO, STATUS_QUO) for side in Side}
    settings = dataclasses.replace(ThirdPartySettings.from_values(VALUES, "un"), patron=Side.UKRAINE, aid=0.7, stance=-1.0)
    ThirdParty(model, settings).act(sides)
    assert sides[Side.UKRAINE].aid == pytest.approx(0.7) and sides[Side.RUSSIA].aid == 0.0
    assert sides[Side.UKRAINE].pressure == pytest.approx(-1.0)
    unaligned = dataclasses.replace(settings, patron=None)
    sides[Side.UKRAINE].clear_support()
    ThirdParty(model, unaligned).act(sides)
    assert sides[Side.UKRAINE].aid == 0.0


def test_the_ifg_takes_its_lean_guarantee_and_inducement_from_its_members() -> None:
    model = mesa.Model(rng=0)
    un = ThirdPartySettings.from_values(VALUES, "un")
    members = [
        ThirdParty(model, dataclasses.replace(un, lean=0.2, guarantee=0.3, stance=1.0)),
        ThirdParty(model, dataclasses.replace(un, lean=0.6, guarantee=0.9, stance=0.0)),
    ]
    settings = dataclasses.replace(MediatorSettings.from_values(VALUES), bias=True, guarantees=True, leverage=True, leverage_size=0.2)
    ifg = Mediator(model, settings, members, true_balance=0.5)
    assert ifg.lean == pytest.approx(0.4)  # the members' mean lean
    assert ifg.guarantee_credibility == pytest.approx(0.9)  # its strongest member's
    assert ifg.inducement == pytest.approx(0.2 * 0.75)  # support (1 + stance) / 2: 1 and 0.5
    neutral = Mediator(model, dataclasses.replace(settings, bias=False, guarantees=False, leverage=False), members, 0.5)
    assert (neutral.lean, neutral.guarantee_credibility, neutral.inducement) == (0.5, 0.0, 0.0)
