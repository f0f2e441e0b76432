"""Territory in the model's own runs: salience-weighted audience costs, a de facto status quo that costs, autonomy, deferral.

Each test runs the Italian-plan scenario over the same seeds with one
mechanism switched or moved, and compares shares of runs with a margin of
three Monte-Carlo standard errors of the difference (binomial, at least
that of one run in the sample).
"""

from __future__ import annotations

import math
from collections.abc import Callable

from conftest import UNCALIBRATED

from model import Outcome, WarTerminationModel
from model.issues import ISSUE_INDEX, TerritorialForm, withdrawal_limit

SEEDS = range(40)
SCENARIO = "italian_plan_2022"


def _share(condition: Callable[[Outcome], bool], **overrides: object) -> tuple[float, float]:
    """Share of the seeds' runs meeting ``condition``, and its standard error."""
    # the scenario before calibration, whose talks reach the territory often enough to compare forms
    hits = sum(condition(WarTerminationModel(SCENARIO, rng=seed, **{**UNCALIBRATED, **overrides}).run()) for seed in SEEDS)
    p = hits / len(SEEDS)
    return p, math.sqrt(max(p * (1 - p), 1 / len(SEEDS)) / len(SEEDS))


def _apart(high: tuple[float, float], low: tuple[float, float]) -> bool:
    """True if ``high`` exceeds ``low`` by three standard errors of the difference."""
    return high[0] - low[0] > 3 * math.hypot(high[1], low[1])


def _territory_agreed(outcome: Outcome) -> bool:
    return outcome.step_reached >= 3


def _settled(outcome: Outcome) -> bool:
    return outcome.kind.value == "settlement"


def test_the_audience_cost_moves_territory_from_signed_terms_to_deferral_by_degrees() -> None:
    # weighted by salience, the audience cost trades against the land's own value: as it rises, fewer runs
    # agree step 3 and fewer of those sign terms on Crimea, and a cost between two others gives shares between theirs
    def signed(outcome: Outcome) -> bool:
        return outcome.forms.get("crimea") == "sovereignty"

    agreed = [_share(_territory_agreed, audience_cost_ukraine=a) for a in (0.0, 1.0, 2.0)]
    signs = [_share(signed, audience_cost_ukraine=a) for a in (0.0, 1.0, 2.0)]
    for free, middle, bound in (agreed, signs):
        assert _apart(free, bound)
        assert free[0] + 2 * free[1] >= middle[0] >= bound[0] - 2 * bound[1]


def test_step_3_has_a_bargaining_range_at_the_scenarios_values() -> None:
    # an unweighted audience cost on signed land only left step 3 without a range in every run: the
    # land an unsigned status quo leaves beyond a red line now costs too, so some runs agree step 3
    agreed = _share(_territory_agreed)
    assert agreed[0] > 2 * agreed[1]


def test_leaving_land_unresolved_costs_more_the_more_a_leader_is_blamed_for_it_and_signing_costs_the_same() -> None:
    crimea = ISSUE_INDEX["crimea"]
    values: list[tuple[float, float]] = []
    for share in (0.0, 0.5, 1.0):
        model = WarTerminationModel(SCENARIO, rng=0, unsigned_audience_share=share, war_weariness_ukraine=0.0)
        ukraine, terms = model.ukraine, model.current_terms()
        both = {crimea: TerritorialForm.SOVEREIGNTY, ISSUE_INDEX["donbas"]: TerritorialForm.SOVEREIGNTY}
        values.append((ukraine.terms_flow(terms, {}), ukraine.terms_flow(terms, both)))
    unresolved = [u for u, _ in values]
    signed = [s for _, s in values]
    assert unresolved[0] > unresolved[1] > unresolved[2]
    assert signed[0] == signed[1] == signed[2]
    assert unresolved[0] > signed[0] and unresolved[2] == signed[2]  # with the whole blame, signing the status quo costs nothing more


def test_deferral_settles_territory_that_neither_side_will_sign() -> None:
    # with no autonomy on offer and no rearmament to wait for, the IFG's deferral is what gets step 3 agreed
    base = {"mediator_autonomy": False, "rearmament": 0.0}
    with_deferral = _share(_territory_agreed, mediator_deferral=True, **base)
    without = _share(_territory_agreed, mediator_deferral=False, **base)
    assert _apart(with_deferral, without)
    for seed in SEEDS:
        outcome = WarTerminationModel(SCENARIO, rng=seed, mediator_deferral=True, **base).run()
        if outcome.step_reached >= 3 and outcome.kind.value == "settlement":
            assert "deferred" in outcome.forms.values()
            deferred = [issue for issue, form in outcome.forms.items() if form == "deferred"]
            assert all(outcome.terms[issue] is None for issue in deferred)  # recorded as unresolved
            break
    else:
        raise AssertionError("no run settled with a deferred issue")


def test_autonomy_within_ukraine_is_on_the_table_only_where_the_mediator_offers_it() -> None:
    base = {"mediator_deferral": False, "rearmament": 0.0}
    offered = _share(lambda o: "autonomy" in o.forms.values(), mediator_autonomy=True, **base)
    assert offered[0] > 3 * offered[1]
    assert _share(lambda o: "autonomy" in o.forms.values(), mediator_autonomy=False, **base)[0] == 0.0
    # without a mediator at the table nobody proposes it
    assert _share(lambda o: "autonomy" in o.forms.values(), protocol="bilateral", **base)[0] == 0.0


def test_an_autonomous_area_has_the_scenarios_autonomy_term() -> None:
    for seed in SEEDS:
        outcome = WarTerminationModel(SCENARIO, rng=seed, mediator_deferral=False, rearmament=0.0, autonomy_term=0.4).run()
        autonomous = [issue for issue, form in outcome.forms.items() if form == "autonomy"]
        if autonomous:
            assert all(outcome.terms[issue] == 0.4 for issue in autonomous)
            return
    raise AssertionError("no run agreed autonomy")


def test_no_agreement_returns_land_the_territorial_terms_leave_russia() -> None:
    # every proposal tabled, under the package and under the plan: the withdrawal stops where Crimea's and
    # Donbas's terms leave Russia land (an autonomy is Ukraine's); some proposals are held back by it
    held_back = 0
    for protocol in ("package", "ifg_sequential"):
        for seed in range(15):
            model = WarTerminationModel(SCENARIO, rng=seed, protocol=protocol)
            while model.running:
                model.step()
                if "withdrawal" not in model.proposal:
                    continue
                terms = model.current_terms()
                for issue, value in model.proposal.items():
                    terms[ISSUE_INDEX[issue]] = value
                autonomous = [ISSUE_INDEX[i] for i, form in model.proposal_forms.items() if form is TerritorialForm.AUTONOMY]
                autonomous += [j for j, form in model.forms.items() if form is TerritorialForm.AUTONOMY]
                limit = withdrawal_limit(terms, autonomous)
                assert model.proposal["withdrawal"] <= limit + 1e-9
                held_back += limit < 1.0 - 1e-9 and model.proposal["withdrawal"] >= limit - 1e-9
    assert held_back > 0
