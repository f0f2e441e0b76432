"""The protocol registry: every declared name has a class, every class runs."""

from __future__ import annotations

import pytest

from model import PROTOCOLS, WarTerminationModel
from model.issues import Step
from model.parameters import PARAMETERS, PROTOCOL_NAMES
from model.protocols import Protocol, TableState


def test_registry_and_parameter_choices_agree() -> None:
    assert set(PROTOCOLS) == set(PROTOCOL_NAMES)
    assert PARAMETERS["protocol"].choices == PROTOCOL_NAMES


@pytest.mark.parametrize("name", sorted(PROTOCOLS))
def test_each_protocol_is_a_named_described_protocol(name: str) -> None:
    cls = PROTOCOLS[name]
    assert issubclass(cls, Protocol)
    assert cls.name == name
    assert cls.description.strip()
    assert isinstance(cls.mediated, bool)


@pytest.mark.parametrize("name", sorted(PROTOCOLS))
def test_each_protocol_runs_the_model(name: str) -> None:
    model = WarTerminationModel(scenario="italian_plan_2022", rng=3, protocol=name, max_rounds=15)
    outcome = model.run()
    assert type(model.protocol) is PROTOCOLS[name]
    assert 0 <= outcome.rounds <= 15  # an agreement may come in the talks before the first engagement (round 0)
    table = model.datacollector.get_model_vars_dataframe()
    assert len(table) == outcome.rounds + 1
    if name == "none":
        assert table["steps_agreed"].eq(0).all()
        assert table["proposal_value_russia"].isna().all()
    else:
        # every talking protocol tables a proposal in round 1 (nothing is agreed before it)
        assert not table["proposal_value_russia"].iloc[1:2].isna().any()


def _state(**kw: object) -> TableState:
    base = dict(round=1, open_step=Step.CEASEFIRE, ceasefire=False, confidence=0.0, confidence_threshold=0.5, mediator_lean=0.7)
    base.update(kw)
    return TableState(**base)  # type: ignore[arg-type]


def test_ifg_sequential_opens_one_step_at_a_time_once_confidence_is_built() -> None:
    p = PROTOCOLS["ifg_sequential"]()
    assert p.agenda(_state()) == (Step.CEASEFIRE,)
    assert p.agenda(_state(open_step=Step.STATUS, ceasefire=True, confidence=0.3)) == ()
    assert p.agenda(_state(open_step=Step.STATUS, ceasefire=True, confidence=0.5)) == (Step.STATUS,)
    assert p.weight_ukraine(_state()) == 0.7
    assert p.mediated


def test_package_puts_everything_on_the_table() -> None:
    p = PROTOCOLS["package"]()
    assert p.agenda(_state()) == tuple(Step)
    assert p.weight_ukraine(_state(mediator_lean=0.2)) == 0.2


def test_bilateral_alternates_the_proposer() -> None:
    p = PROTOCOLS["bilateral"]()
    assert not p.mediated
    assert p.agenda(_state()) == tuple(Step)
    assert p.weight_ukraine(_state(round=1)) == 0.0  # Russia proposes
    assert p.weight_ukraine(_state(round=2)) == 1.0  # Ukraine proposes


def test_no_talks_has_no_agenda() -> None:
    p = PROTOCOLS["none"]()
    assert p.agenda(_state()) == ()
    assert not p.mediated
