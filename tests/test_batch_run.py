"""``mesa.batch_run`` runs the model unchanged, seeded as each Mesa release expects.

Mesa 3.3.1's ``batch_run`` has no seed argument: the seeds go in the parameter
grid (``"rng": [...]``). Mesa 3.4+ takes them as its own ``rng=`` argument and
overwrites any ``rng`` in the grid with it (``None`` under the deprecated
``iterations=``), so a seed left in the grid would give unseeded runs there.

Rows carry the run's outcome (``outcome_*`` columns). With the agents' table
(the default) there is one row per agent of each round read, Mesa's
convention; ``record_agents=False`` in the grid gives one row per round.
"""

from __future__ import annotations

import inspect
from typing import Any

import mesa
import pandas as pd
import pytest
from conftest import UNCALIBRATED

from model import WarTerminationModel
from model.record import AGENT_COLUMNS, OUTCOME_PREFIX

BATCH_RUN_TAKES_RNG = "rng" in inspect.signature(mesa.batch_run).parameters


def seeded_batch_run(parameters: dict[str, Any], seeds: list[int], data_collection_period: int) -> list[dict[str, Any]]:
    """``mesa.batch_run`` over ``parameters`` once per seed, in the spelling of the installed Mesa."""
    options: dict[str, Any] = {"number_processes": 1, "data_collection_period": data_collection_period, "display_progress": False}
    if BATCH_RUN_TAKES_RNG:
        return mesa.batch_run(WarTerminationModel, parameters=parameters, rng=seeds, **options)
    return mesa.batch_run(WarTerminationModel, parameters={**parameters, "rng": seeds}, iterations=1, **options)


def test_batch_run_with_seeds_matches_direct_runs() -> None:
    results = seeded_batch_run(
        {"scenario": "italian_plan_2022", "max_rounds": 12, "protocol": ["package", "none"], "record_agents": False, **UNCALIBRATED},
        seeds=[1, 2, 3], data_collection_period=-1,
    )
    table = pd.DataFrame(results)
    assert len(table) == 6
    assert sorted(zip(table["rng"], table["protocol"])) == sorted((s, p) for s in (1, 2, 3) for p in ("package", "none"))
    for row in table.itertuples():
        direct = WarTerminationModel(scenario="italian_plan_2022", rng=row.rng, max_rounds=12, protocol=row.protocol, **UNCALIBRATED)
        direct.run()
        record = direct.datacollector.get_model_vars_dataframe().set_index("round")
        # The model records round 0 at creation and each round at its end. Mesa 3.4+ reports the
        # last round recorded; Mesa 3.3.1 reads its row at index steps - 1, one round earlier.
        assert row.Step in (direct.steps, direct.steps - 1)
        assert row.round == row.Step
        same_round = record.loc[row.Step]
        assert row.front == same_round["front"]
        assert row.belief_russia == same_round["belief_russia"]
        assert row.cost_russia == same_round["cost_russia"]
        assert row.status == same_round["status"]
    # different seeds give different runs
    assert table[table["protocol"] == "none"]["belief_russia"].nunique() == 3


def test_batch_run_collects_every_round() -> None:
    results = seeded_batch_run(
        {"scenario": "theory_random_walk", "max_rounds": 8, "record_agents": False}, seeds=[5], data_collection_period=1
    )
    steps = [r["Step"] for r in results]
    # round 0 at creation, then every round played; Mesa 3.3.1 leaves out the last one
    assert steps in (list(range(0, 9)), list(range(0, 8)))
    assert [r["round"] for r in results] == steps
    direct = WarTerminationModel(scenario="theory_random_walk", rng=5, max_rounds=8)
    direct.run()
    fronts = direct.datacollector.get_model_vars_dataframe()["front"].tolist()
    assert [r["front"] for r in results] == fronts[: len(results)]


def _outcome_of(row: dict[str, Any]) -> dict[str, Any]:
    return {k.removeprefix(OUTCOME_PREFIX): v for k, v in row.items() if k.startswith(OUTCOME_PREFIX)}


@pytest.mark.parametrize("record_agents", [True, False])
def test_batch_run_rows_carry_the_outcome_record(record_agents: bool) -> None:
    results = seeded_batch_run(
        {"scenario": "italian_plan_2022", "max_rounds": 30, "protocol": ["package", "ifg_sequential"], "record_agents": record_agents},
        seeds=[1, 4], data_collection_period=-1,
    )
    kinds = set()
    for row in results:
        direct = WarTerminationModel("italian_plan_2022", rng=row["rng"], max_rounds=30, protocol=row["protocol"])
        outcome = direct.run()
        assert _outcome_of(row) == {"negotiated": outcome.negotiated, **outcome.to_dict()}
        kinds.add(row["outcome_kind"])
    assert len(kinds) > 1  # the runs end in more than one way


def test_every_row_of_a_run_carries_its_outcome_once_it_is_over() -> None:
    model = WarTerminationModel("italian_plan_2022", rng=2, max_rounds=6)
    assert not any(name.startswith(OUTCOME_PREFIX) for name in model.datacollector.model_vars)  # not while it runs
    outcome = model.run()
    table = model.datacollector.get_model_vars_dataframe()
    assert len(table) == outcome.rounds + 1
    for name, value in {"negotiated": outcome.negotiated, **outcome.to_dict()}.items():
        assert table[OUTCOME_PREFIX + name].tolist() == [value] * len(table), name


def _nulls_as_none(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.astype(object)
    return frame.where(frame.notna(), None)


def test_batch_run_rows_with_the_agents_table_are_one_per_agent() -> None:
    results = seeded_batch_run({"scenario": "italian_plan_2022", "max_rounds": 10, "third_parties": ["us,uk", ""]},
                               seeds=[3], data_collection_period=-1)
    table = pd.DataFrame(results)
    for parties, rows in table.groupby("third_parties"):
        direct = WarTerminationModel("italian_plan_2022", rng=3, max_rounds=10, third_parties=parties)
        direct.run()
        agents = direct.datacollector.get_agent_vars_dataframe()
        step = rows["Step"].iloc[0]
        names = ["russia", "ukraine", *filter(None, str(parties).split(",")), "ifg"]
        assert rows["name"].tolist() == names
        assert rows["AgentID"].tolist() == agents.loc[step].index.tolist()
        expected = _nulls_as_none(agents.loc[step].reset_index(drop=True))
        got = _nulls_as_none(rows[list(AGENT_COLUMNS)].reset_index(drop=True))
        pd.testing.assert_frame_equal(got, expected)
        assert (rows["round"] == step).all() and rows["outcome_rounds"].nunique() == 1
