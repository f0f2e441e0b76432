"""The mediator against scripted belligerents with known values of war (like Axelrod's MockPlayer).

Each side cares about one issue only (Donbas), so Russia's utility of terms
is ``1 - x`` and Ukraine's ``x``; its value of war is a fixed, scripted
number. Every expected proposal below is solved by hand from those numbers.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from model import WarTerminationModel
from model.engine import jit, whole_run
from model.issues import ISSUES
from model.outcome import Side

ONLY_DONBAS = {f"salience_{side}_{issue}": (1.0 if issue == "donbas" else 0.0) for side in ("russia", "ukraine") for issue in ISSUES}


_SCRIPTS: dict[int, tuple[float, float]] = {}
"""Each scripted model's values of war (Russia's, Ukraine's), by the id of its state's first list."""
_PENDING: list[tuple[float, float]] = []
"""The values of war of a model being built (its round 0 is played before its state is known here)."""


@pytest.fixture(autouse=True)
def _scripted_values_of_war() -> Iterator[None]:
    """Let a scripted model's values of war be fixed: the engine's every valuation of war goes through ``_side_war_value``.

    The Mesa model plays the engine's rounds interpreted, so the stand-in
    goes into the namespace its interpreted kernels run in; models not
    scripted are valued as ever.
    """
    namespace = jit.interpreted(whole_run.play_round).__globals__
    original = namespace["_side_war_value"]

    def fixed(sc: Any, side: Any, belief: Any, money: Any, st: Any, s: int, deterrence: float, shift: float) -> float:
        values = _SCRIPTS.get(id(st)) or (_PENDING[-1] if _PENDING else None)
        if values is None:
            return float(original(sc, side, belief, money, st, s, deterrence, shift))
        return values[s]

    namespace["_side_war_value"] = fixed
    try:
        yield
    finally:
        namespace["_side_war_value"] = original
        _SCRIPTS.clear()
        _PENDING.clear()


def scripted(
    war_russia: float,
    war_ukraine: float,
    *,
    protocol: str = "package",
    lean: float = 0.5,
    bias: bool = False,
    leverage: bool = False,
    leverage_size: float = 0.0,
    seed: int = 0,
    **overrides: Any,
) -> WarTerminationModel:
    """A model whose belligerents value war at fixed numbers, mediated by the UN alone (from the talks before round 1 on)."""
    _PENDING.append((war_russia, war_ukraine))
    try:
        model = WarTerminationModel(
            scenario="theory_null_mediator",
            rng=seed,
            protocol=protocol,
            third_parties="un",
            lean_un=lean,
            stance_un=1.0,
            mediator_bias=bias,
            mediator_leverage=leverage,
            leverage_size=leverage_size,
            **{**ONLY_DONBAS, **overrides},
        )
    finally:
        _PENDING.pop()
    script(model, war_russia, war_ukraine)
    return model


def script(model: WarTerminationModel, war_russia: float, war_ukraine: float) -> None:
    """Fix each side's value of war from now on (whatever its belief, the front or any deterrence)."""
    _SCRIPTS[id(model._state[0])] = (war_russia, war_ukraine)


def test_scripted_values_reach_the_record() -> None:
    model = scripted(0.8, 0.9)
    model.step()
    assert model.war_values == {Side.RUSSIA: 0.8, Side.UKRAINE: 0.9}


def test_unbiased_mediator_proposes_the_symmetric_nash_bargaining_solution() -> None:
    # Russia needs 1 - x >= 0.5, Ukraine x >= 0.3: range [0.3, 0.5]; max (x - 0.3)(0.5 - x) at 0.4
    model = scripted(0.5, 0.3)
    assert model.range_exists
    assert model.proposal["donbas"] == pytest.approx(0.4)
    assert model.proposal_values[Side.RUSSIA] == pytest.approx(0.6)
    assert model.proposal_values[Side.UKRAINE] == pytest.approx(0.4)
    outcome = model.outcome
    assert outcome is not None and outcome.kind.value == "settlement" and outcome.rounds == 0  # before the first engagement
    assert outcome.terms["donbas"] == pytest.approx(0.4)


def test_symmetric_solution_splits_an_asymmetric_range_in_the_middle() -> None:
    # range [0.1, 0.7]: midpoint 0.4 again, but the surplus is 0.3 each
    model = scripted(0.3, 0.1)
    assert model.proposal["donbas"] == pytest.approx(0.4)
    assert model.proposal_values[Side.RUSSIA] - 0.3 == pytest.approx(model.proposal_values[Side.UKRAINE] - 0.1)


@pytest.mark.parametrize(("lean", "expected"), [(0.75, 0.45), (0.25, 0.35), (1.0, 0.5), (0.0, 0.3)])
def test_biased_mediator_leans_as_its_members_do(lean: float, expected: float) -> None:
    # max lean ln(x - 0.3) + (1 - lean) ln(0.5 - x): x = 0.3 + 0.2 lean
    model = scripted(0.5, 0.3, lean=lean, bias=True)
    assert model.mediator.lean == lean
    assert model.proposal["donbas"] == pytest.approx(expected)
    assert model.outcome is not None and model.outcome.kind.value == "settlement"


def test_bias_switched_off_ignores_the_members_lean() -> None:
    model = scripted(0.5, 0.3, lean=0.9, bias=False)
    assert model.mediator.lean == 0.5
    assert model.proposal["donbas"] == pytest.approx(0.4)


def test_no_agreement_without_a_range() -> None:
    # Russia needs x <= 0.3, Ukraine x >= 0.5
    model = scripted(0.7, 0.5)
    for _ in range(5):
        model.step()
    assert model.running
    table = model.datacollector.get_model_vars_dataframe()
    assert not table["bargaining_range"].any()
    assert table["steps_agreed"].eq(0).all()
    # the tabled compromise leaves both equally short: (x - 0.5) = (1 - x - 0.7), x = 0.4
    assert model.proposal["donbas"] == pytest.approx(0.4, abs=1e-9)
    assert model.proposal_values[Side.RUSSIA] < 0.7
    assert model.proposal_values[Side.UKRAINE] < 0.5


def test_agreement_as_soon_as_a_range_opens() -> None:
    model = scripted(0.7, 0.5)
    model.step()
    model.step()
    assert len(model.agreed) == 0
    script(model, 0.55, 0.35)
    model.step()
    assert model.outcome is not None and model.outcome.kind.value == "settlement"
    assert model.outcome.rounds == 3
    assert model.proposal["donbas"] == pytest.approx(0.4)


def test_leverage_opens_a_range_with_inducements() -> None:
    # an inducement of 0.15 to each (UN stance +1): Russia needs 1 - x + 0.15 >= 0.7, Ukraine x + 0.15 >= 0.5
    # range [0.35, 0.45], midpoint 0.4
    model = scripted(0.7, 0.5, leverage=True, leverage_size=0.15)
    assert model.mediator.inducement == pytest.approx(0.15)
    assert model.range_exists
    assert model.proposal["donbas"] == pytest.approx(0.4)
    assert model.proposal_values[Side.RUSSIA] == pytest.approx(0.6 + 0.15)
    assert model.outcome is not None and model.outcome.kind.value == "settlement"


def test_leverage_counts_only_when_the_mediator_proposes() -> None:
    # bilateral talks have no mediator, so its inducements do not apply
    model = scripted(0.7, 0.5, protocol="bilateral", leverage=True, leverage_size=0.15)
    assert not model.range_exists
    assert len(model.agreed) == 0


def test_bilateral_proposer_keeps_the_surplus() -> None:
    # round 0 (even): Ukraine proposes Russia's reservation, 1 - x = 0.5
    model = scripted(0.5, 0.3, protocol="bilateral")
    assert model.proposal["donbas"] == pytest.approx(0.5)
    assert model.outcome is not None and model.outcome.kind.value == "settlement" and model.outcome.rounds == 0
    # round 1 (odd): Russia proposes Ukraine's reservation, x = 0.3
    model = scripted(0.7, 0.5, protocol="bilateral")
    script(model, 0.5, 0.3)
    model.step()
    assert model.proposal["donbas"] == pytest.approx(0.3)
    assert model.outcome is not None and model.outcome.rounds == 1


def test_sequential_mediator_proposes_inside_the_range() -> None:
    # the plan's first step: both sides' recorded value of the proposal beats their reservation
    model = scripted(0.5, 0.3, protocol="ifg_sequential", **{"salience_russia_monitors": 1.0, "salience_ukraine_monitors": 1.0})
    assert model.range_exists
    assert len(model.agreed) == 1 and model.ceasefire
    for side in Side:
        assert model.proposal_values[side] >= model.reservations[side] - 1e-9
    # by hand: weights 1/2 on Donbas (at 0.5 while unresolved) and 1/2 on monitors (m); later steps open,
    # so a ceasefire is worth 0.7 (flow - 0.002) + 0.3 war. Russia: 0.25 + 0.5 (1 - m) >= 0.5 + 0.002,
    # m <= 0.496; Ukraine: 0.25 + 0.5 m >= 0.3 + 0.002, m >= 0.104; the symmetric solution is the midpoint
    assert model.proposal["monitors"] == pytest.approx(0.3)


# --------------------------------------------------------------------------
# The mediator's information (Kydd 2003)
# --------------------------------------------------------------------------


def informed(lean: float) -> WarTerminationModel:
    return WarTerminationModel(
        scenario="theory_null_mediator",
        rng=0,
        third_parties="un",
        lean_un=lean,
        mediator_bias=True,
        mediator_information=True,
        information_weight=0.5,
        initial_advantage=0.5,
        mediator_intelligence=1e6,
        prior_mean_russia=0.7,
        prior_mean_ukraine=0.3,
    )


def test_advice_to_concede_is_believed_from_a_mediator_biased_toward_the_hearer() -> None:
    model = informed(lean=0.8)
    estimate = model.mediator.estimate
    assert estimate == pytest.approx(0.5, abs=1e-3)
    # Ukraine (0.3) is told Russia is stronger than it thinks: advice to concede from a pro-Ukraine IFG
    assert model.mediator.credibility_toward(model.ukraine) == pytest.approx(0.8)
    # Russia (0.7) is told it is weaker: advice to concede from a mediator leaning against it
    assert model.mediator.credibility_toward(model.russia) == pytest.approx(0.2)
    model.mediator.share_information(model.belligerents)
    # Ukraine moves 0.5 * 0.8 of the way from 0.3 to 0.5; Russia 0.5 * 0.2 of the way from 0.7
    assert model.ukraine.believed_balance == pytest.approx(0.3 + 0.4 * (estimate - 0.3))
    assert model.russia.believed_balance == pytest.approx(0.7 + 0.1 * (estimate - 0.7))


def test_an_unbiased_mediator_is_half_believed_by_both() -> None:
    model = informed(lean=0.8)
    model.mediator.lean = 0.5
    assert model.mediator.credibility_toward(model.ukraine) == pytest.approx(0.5)
    assert model.mediator.credibility_toward(model.russia) == pytest.approx(0.5)


def test_information_switched_off_leaves_beliefs_alone() -> None:
    model = WarTerminationModel(scenario="theory_null_mediator", rng=0, prior_mean_russia=0.7)
    before = (model.russia.belief_a, model.russia.belief_b)
    model.mediator.share_information(model.belligerents)
    assert (model.russia.belief_a, model.russia.belief_b) == before
