"""The agents' table (Mesa's agent reporters) and the agent set: only the third parties that take part are agents."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from conftest import UNCALIBRATED

from model import WarTerminationModel
from model.agents import Belligerent, Mediator, ThirdParty
from model.record import AGENT_COLUMNS, AGENT_REPORTERS, agent_row


@pytest.fixture(scope="module")
def run() -> WarTerminationModel:
    model = WarTerminationModel("italian_plan_2022", rng=3, max_rounds=40, **UNCALIBRATED)
    model.run()
    return model


def test_the_agents_table_is_a_frame_of_every_agent_every_round(run: WarTerminationModel) -> None:
    table = run.datacollector.get_agent_vars_dataframe()
    assert list(table.columns) == list(AGENT_COLUMNS)
    assert table.index.names == ["Step", "AgentID"]
    assert len(table) == (run.steps + 1) * len(run.agents)
    first = table.loc[0]
    assert first["role"].tolist() == ["belligerent"] * 2 + ["third_party"] * len(run.third_parties) + ["mediator"]
    assert first["name"].tolist() == ["russia", "ukraine", *(tp.code for tp in run.third_parties), "ifg"]


@pytest.mark.parametrize("side", ["russia", "ukraine"])
def test_a_belligerent_s_rows_are_the_per_round_table_s_columns(run: WarTerminationModel, side: str) -> None:
    agents = run.datacollector.get_agent_vars_dataframe().reset_index()
    rows = agents[agents["name"] == side].set_index("Step")
    rounds = run.datacollector.get_model_vars_dataframe().set_index("round")
    assert [int(step) for step in rows.index] == rounds.index.tolist()  # Mesa 3.4+ keys rows by model.time, a float
    rows, rounds = rows.reset_index(drop=True), rounds.reset_index(drop=True)
    for column, per_round in [("belief", "belief"), ("war_value", "war_value"), ("reservation", "reservation"),
                              ("proposal_value", "proposal_value"), ("cost", "cost"), ("aid", "aid"),
                              ("political_pressure", "political_pressure")]:
        pd.testing.assert_series_equal(rows[column].astype(float), rounds[f"{per_round}_{side}"].astype(float), check_names=False)


def test_accepts_is_each_side_s_answer_to_the_proposal_tabled(run: WarTerminationModel) -> None:
    agents = run.datacollector.get_agent_vars_dataframe().reset_index()
    rounds = run.datacollector.get_model_vars_dataframe().set_index("round")
    answers = agents[agents["role"] == "belligerent"].pivot(index="Step", columns="name", values="accepts")
    answers.index = answers.index.astype(int)  # Mesa 3.4+ keys rows by model.time, a float
    tabled = rounds["proposal_value_russia"].notna()
    assert tabled.any() and (~tabled).any()
    assert answers[~tabled].isna().all().all()  # nothing tabled: no answer
    assert answers[tabled].map(lambda x: isinstance(x, bool)).all().all()
    # a round whose proposal made an agreement: both sides said yes
    agreed = rounds["steps_agreed"].diff().fillna(rounds["steps_agreed"]) > 0
    assert agreed.any()
    assert answers[agreed].all().all()


def test_third_parties_report_what_they_give_and_want(run: WarTerminationModel) -> None:
    agents = run.datacollector.get_agent_vars_dataframe().reset_index()
    scale = float(run.war_scenario.values["aid_scale"])
    for party in run.third_parties:
        rows = agents[agents["name"] == party.code]
        assert len(rows) == run.steps + 1
        v = run.war_scenario.values
        aid = float(v[f"aid_{party.code}"]) * scale if v[f"patron_{party.code}"] != "none" else 0.0
        assert rows["aid"].tolist() == pytest.approx([aid] * len(rows))
        assert set(rows["stance"]) == {v[f"stance_{party.code}"]}
        assert set(rows["patron"]) == {v[f"patron_{party.code}"]}
        assert set(rows["lean"]) == {v[f"lean_{party.code}"]}
        assert set(rows["guarantee"]) == {v[f"guarantee_{party.code}"]}
    # the aid a belligerent receives is what its patrons give
    first = agents[agents["Step"] == 1]
    given = first[(first["role"] == "third_party") & (first["patron"] == "ukraine")]["aid"].sum()
    assert first[first["name"] == "ukraine"]["aid"].item() == pytest.approx(given)


def test_the_mediator_reports_its_estimate(run: WarTerminationModel) -> None:
    agents = run.datacollector.get_agent_vars_dataframe().reset_index()
    rows = agents[agents["role"] == "mediator"].set_index("Step")
    rounds = run.datacollector.get_model_vars_dataframe()
    rows = rows.reset_index(drop=True)
    pd.testing.assert_series_equal(rows["belief"].astype(float), rounds["mediator_estimate"].astype(float), check_names=False)
    assert set(rows["lean"]) == {run.mediator.lean}


def test_the_reporters_and_the_fast_rows_agree(run: WarTerminationModel) -> None:
    for agent in run.agents:
        row = agent_row(agent)
        assert len(row) == len(AGENT_COLUMNS)
        for i, (name, reporter) in enumerate(AGENT_REPORTERS.items()):
            value = reporter(agent)
            assert value == row[i] or (isinstance(value, float) and math.isnan(value) and math.isnan(row[i])), name


def test_without_the_agents_table_the_run_is_the_same() -> None:
    kept = WarTerminationModel("italian_plan_2022", rng=9, max_rounds=50)
    off = WarTerminationModel("italian_plan_2022", rng=9, max_rounds=50, record_agents=False)
    assert kept.run().to_dict() == off.run().to_dict()
    pd.testing.assert_frame_equal(kept.datacollector.get_model_vars_dataframe(), off.datacollector.get_model_vars_dataframe())
    with pytest.raises(UserWarning, match="No agent reporters"):
        off.datacollector.get_agent_vars_dataframe()


@pytest.mark.parametrize("parties", ["us,uk,fr,de,it,tr,cn,pl,ca,un", "us,uk", "tr", ""])
def test_only_the_third_parties_that_take_part_are_agents(parties: str) -> None:
    model = WarTerminationModel("italian_plan_2022", rng=1, max_rounds=5, third_parties=parties)
    active = [code for code in parties.split(",") if code]
    kinds = [type(agent) for agent in model.agents]
    assert kinds == [Belligerent, Belligerent, *[ThirdParty] * len(active), Mediator]
    assert [agent.code for agent in model.agents if isinstance(agent, ThirdParty)] == active
    assert [party.code for party in model.third_parties] == active
    assert len(model.agents_by_type.get(ThirdParty, [])) == len(active)
    model.run()
    names = set(model.datacollector.get_agent_vars_dataframe()["name"])
    assert names == {"russia", "ukraine", "ifg", *active}
