"""``mesa.batch_run`` runs the model unchanged, with seeds in the parameter grid."""

from __future__ import annotations

import mesa
import pandas as pd

from model import WarTerminationModel


def test_batch_run_with_seeds_in_the_grid_matches_direct_runs() -> None:
    results = mesa.batch_run(
        WarTerminationModel,
        parameters={"scenario": "italian_plan_2022", "rng": [1, 2, 3], "max_rounds": 12, "protocol": ["package", "none"]},
        iterations=1,
        number_processes=1,
        data_collection_period=-1,
        display_progress=False,
    )
    table = pd.DataFrame(results)
    assert len(table) == 6
    assert sorted(zip(table["rng"], table["protocol"])) == sorted((s, p) for s in (1, 2, 3) for p in ("package", "none"))
    for row in table.itertuples():
        direct = WarTerminationModel(scenario="italian_plan_2022", rng=row.rng, max_rounds=12, protocol=row.protocol)
        direct.run()
        record = direct.datacollector.get_model_vars_dataframe()
        # Mesa 3.3.1's batch_run reads its last row at index steps - 1, and this model (like Mesa's
        # own examples) records round 0 at creation: the row is round steps - 1 of the direct run
        assert row.Step == direct.steps - 1
        same_round = record.loc[row.Step]
        assert row.round == row.Step
        assert row.front == same_round["front"]
        assert row.belief_russia == same_round["belief_russia"]
        assert row.cost_russia == same_round["cost_russia"]
        assert row.status == same_round["status"]
    # different seeds give different runs
    assert table[table["protocol"] == "none"]["belief_russia"].nunique() == 3


def test_batch_run_collects_every_round() -> None:
    results = mesa.batch_run(
        WarTerminationModel,
        parameters={"scenario": "theory_random_walk", "rng": [5], "max_rounds": 8},
        iterations=1,
        number_processes=1,
        data_collection_period=1,
        display_progress=False,
    )
    steps = [r["Step"] for r in results]
    assert steps == list(range(0, 8))
    assert [r["round"] for r in results] == steps
