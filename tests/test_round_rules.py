"""The order of a round's checks and what ends what, shown by the model itself.

Collapse ends only a war, and it is checked while the war is fought, before
the round's talks; talks may open before the first engagement; a breakdown
is followed by renewed fighting before talks reopen; the IFG's guarantees
back only what the IFG brokers; the IFG's estimate forgets as the sides'
beliefs do. Each test is written so that the rule it checks can fail.
"""

from __future__ import annotations

import pandas as pd
import pytest

from model import WarTerminationModel
from model.outcome import OutcomeKind, Side

SEEDS = range(20)


def table(model: WarTerminationModel) -> pd.DataFrame:
    return model.datacollector.get_model_vars_dataframe()


def test_a_settlement_is_a_settlement_even_when_ceasefire_costs_passed_a_capacity() -> None:
    # the plan settles all four steps over some thirty ceasefire weeks; Russia's ceasefire costs
    # (0.002 a week) pass its capacity of 0.03 before the settlement, which must still be one
    for seed in SEEDS:
        model = WarTerminationModel("theory_commitment", rng=seed, rearmament=0.0, capacity_russia=0.03)
        outcome = model.run()
        assert outcome.costs["russia"] > 0.03
        assert outcome.kind is OutcomeKind.SETTLEMENT and outcome.winner is None and outcome.step_reached == 4


def test_a_side_past_its_capacity_at_war_collapses_that_round_before_any_talks() -> None:
    # under the plan, mutual optimism delays the first ceasefire by some weeks of war. With Ukraine's
    # capacity set to run out in exactly that week, its forces collapse then: the ceasefire agreed the
    # same week must not rescue it (collapse is checked while the war is fought, before the talks)
    exercised = 0
    for seed in SEEDS:
        free = WarTerminationModel("theory_mutual_optimism", rng=seed, protocol="ifg_sequential")
        agreed = free.run().first_ceasefire_round
        if agreed is None or agreed < 2:
            continue
        weekly = table(free)["cost_ukraine"].iloc[1]
        capacity = (agreed - 0.5) * weekly  # passed in the week of the agreement, not before
        outcome = WarTerminationModel("theory_mutual_optimism", rng=seed, protocol="ifg_sequential", capacity_ukraine=capacity).run()
        assert outcome.kind is OutcomeKind.VICTORY and outcome.winner is Side.RUSSIA, seed
        assert outcome.rounds == agreed and outcome.first_ceasefire_round is None
        exercised += 1
    assert exercised >= len(SEEDS) // 2


def test_talks_open_before_the_first_engagement() -> None:
    # complete information and a package on the table: the sides settle before a shot is fired (Fearon 1995)
    for seed in SEEDS:
        model = WarTerminationModel("theory_complete_information", rng=seed)
        outcome = model.run()
        assert outcome.kind is OutcomeKind.SETTLEMENT and outcome.rounds == 0
        assert outcome.costs == {"russia": 0.0, "ukraine": 0.0}
        assert len(table(model)) == 1 and bool(table(model)["bargaining_range"].iloc[0])


@pytest.mark.parametrize("cooling_off", [0, 3, 8])
def test_after_a_breakdown_the_war_resumes_for_the_cooling_off_before_talks_reopen(cooling_off: int) -> None:
    # an unanticipated jump toward Russia in round 5 breaks the ceasefire agreed before the war began
    breakdowns = 0
    for seed in SEEDS:
        model = WarTerminationModel("theory_commitment", rng=seed, rearmament=0.0, shock_round=5, shock_size=0.3, cooling_off=cooling_off)
        model.run()
        rows = table(model)
        broke = rows.index[rows["breakdowns"].diff() > 0]
        for r in broke:
            breakdowns += 1
            quiet = rows.loc[r : r + cooling_off]
            assert not quiet["ceasefire"].any(), (seed, r)
            assert quiet["proposal_value_russia"].isna().all()  # nothing on the table
            later = rows.loc[r + cooling_off + 1 :]
            if len(later) and later["ceasefire"].any():
                assert later.index[later["ceasefire"].to_numpy()][0] > r + cooling_off
    assert breakdowns >= len(SEEDS)  # every run broke at least once


def test_guarantees_back_only_what_the_ifg_brokers() -> None:
    # a guarantor with a decisive deterrent changes the plan's outcomes, and nothing in bilateral talks
    strong = {"guarantee_un": 1.0, "guarantee_effect": 10.0, "interim_guarantee": 1.0, "rearmament": 0.05}

    def runs(protocol: str, guarantees: bool) -> list[tuple[object, ...]]:
        out = []
        for seed in SEEDS:
            o = WarTerminationModel("theory_commitment", rng=seed, protocol=protocol, mediator_guarantees=guarantees, **strong).run()
            out.append((o.kind, o.rounds, o.first_ceasefire_round, o.breakdowns, o.final_front, tuple(o.terms.items())))
        return out

    assert runs("bilateral", True) == runs("bilateral", False)
    assert runs("ifg_sequential", True) != runs("ifg_sequential", False)
    for protocol, backed in (("bilateral", False), ("none", False), ("ifg_sequential", True), ("package", True)):
        model = WarTerminationModel("theory_commitment", rng=0, protocol=protocol, **strong)
        assert (model.deterrence() > 0.0) is backed, protocol


def test_the_ifgs_estimate_forgets_as_the_sides_beliefs_do() -> None:
    # with memory 0.9 a Beta's pseudo-count settles near 1 / (1 - 0.9) = 10 engagements, whatever it started at
    model = WarTerminationModel("theory_random_walk", rng=0, belief_memory=0.9, mediator_intelligence=50.0, volatility=0.01)
    for _ in range(60):
        model.step()
    strength = model.mediator.belief_a + model.mediator.belief_b
    assert strength == pytest.approx(10.0, abs=0.5)
    assert model.russia.belief_a + model.russia.belief_b == pytest.approx(10.0, abs=0.5)
