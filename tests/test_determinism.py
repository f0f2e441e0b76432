"""Same scenario, overrides and seed: same outcome, in this process or a fresh one. Other seeds differ."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np

from model import WarTerminationModel

SCRIPT = """
import json
from model import WarTerminationModel
m = WarTerminationModel(scenario="italian_plan_2022", rng=11, max_rounds=60, protocol="{protocol}")
o = m.run()
t = m.datacollector.get_model_vars_dataframe()
print(json.dumps({{"outcome": o.to_dict(), "front": t["front"].tolist(), "belief": t["belief_russia"].tolist()}}))
"""


def _here(protocol: str) -> dict:
    m = WarTerminationModel(scenario="italian_plan_2022", rng=11, max_rounds=60, protocol=protocol)
    o = m.run()
    t = m.datacollector.get_model_vars_dataframe()
    # through JSON, as the other process hands it over
    return json.loads(json.dumps({"outcome": o.to_dict(), "front": t["front"].tolist(), "belief": t["belief_russia"].tolist()}))


def test_same_seed_same_outcome_in_a_fresh_process() -> None:
    for protocol in ("ifg_sequential", "bilateral"):
        done = subprocess.run(
            [sys.executable, "-c", SCRIPT.format(protocol=protocol)], capture_output=True, text=True, check=True, timeout=120
        )
        there = json.loads(done.stdout.strip().splitlines()[-1])
        assert there == _here(protocol)


def test_same_seed_same_run_twice_in_one_process() -> None:
    assert _here("package") == _here("package")


def test_a_generator_seeds_like_its_int() -> None:
    a = WarTerminationModel(scenario="italian_plan_2022", rng=np.random.default_rng(5), max_rounds=20).run()
    b = WarTerminationModel(scenario="italian_plan_2022", rng=np.random.default_rng(5), max_rounds=20).run()
    assert a.to_dict() == b.to_dict()


def test_different_seeds_differ() -> None:
    fronts = set()
    for seed in range(5):
        m = WarTerminationModel(scenario="italian_plan_2022", rng=seed, max_rounds=30, protocol="none")
        m.run()
        fronts.add(tuple(m.datacollector.get_model_vars_dataframe()["front"]))
    assert len(fronts) == 5
