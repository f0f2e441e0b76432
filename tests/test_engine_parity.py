"""One truth: the compiled path and the Mesa model give the same run, float for float.

Thousands of runs (every bundled scenario, every protocol, random valid
overrides of every parameter the scenario table declares) go through both
paths with the same seed; their outcome records, their first breakdowns
and every per-round column both keep must be identical, not close. The
runs must include every kind of end, ceasefires that are violated and that
break down, and every territorial form, or the comparison proves little.
The Mesa model steps the schedule interpreted, a round at a time, so this
compares the compiled kernels with the interpreted ones and the Mesa model's
record with the engine's; a sample also runs whole runs interpreted.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import numpy as np
import pytest
from conftest import UNCALIBRATED

from model import ScenarioError, WarTerminationModel, describe_parameters, list_scenarios, load_scenario
from model.engine import layout as L
from model.engine.run import EngineRun, run_values
from model.parameters import PROTOCOL_NAMES, THIRD_PARTY_CODES, Parameter

RANDOM_RUNS = 2500
SEEDS_PER_CASE = 6
TABLE = {p.name: p for p in describe_parameters()}
_NOT_DRAWN = {"protocol", "max_rounds", "third_parties"}


def _random_value(p: Parameter, rng: np.random.Generator) -> Any:
    if p.multi:
        assert p.choices is not None
        chosen = [c for c in p.choices if rng.random() < 0.5]
        return ",".join(chosen)
    if p.choices is not None:
        return p.choices[int(rng.integers(len(p.choices)))]
    if p.kind is bool:
        return bool(rng.random() < 0.5)
    assert p.low is not None and p.high is not None
    if p.kind is int:
        return int(rng.integers(int(p.low), int(min(p.high, 130)) + 1))
    return float(rng.uniform(p.low, p.high))


def _random_overrides(rng: np.random.Generator) -> dict[str, Any]:
    """A handful of parameters at random values in their declared ranges, the protocol and the horizon too."""
    names = [n for n in TABLE if n not in _NOT_DRAWN]
    drawn = {n: _random_value(TABLE[n], rng) for n in rng.choice(names, size=int(rng.integers(1, 16)), replace=False)}
    drawn["protocol"] = PROTOCOL_NAMES[int(rng.integers(len(PROTOCOL_NAMES)))]
    drawn["max_rounds"] = int(rng.integers(10, 105))
    if rng.random() < 0.3:
        drawn["third_parties"] = ",".join(c for c in THIRD_PARTY_CODES if rng.random() < 0.5)
    if rng.random() < 0.5:
        drawn = {**UNCALIBRATED, **drawn}  # where talks progress
    return drawn


def _both(scenario: str, seed: int, overrides: dict[str, Any]) -> tuple[WarTerminationModel, EngineRun] | None:
    try:
        loaded = load_scenario(scenario).with_overrides(overrides)
    except ScenarioError:
        return None  # a cross-parameter rule refused the draw (an initial front beyond a war aim, say)
    model = WarTerminationModel(loaded, rng=seed, record_agents=False)
    model.run()
    return model, run_values(loaded.values, seed, record=True)


def _assert_same(model: WarTerminationModel, engine: EngineRun, label: str) -> None:
    assert engine.outcome == model.outcome, label
    record = model.datacollector.model_vars
    breakdowns = record["breakdowns"]
    first = next((r for r, count in zip(record["round"], breakdowns, strict=True) if count), None)
    assert engine.first_breakdown_round == first, label
    assert engine.trace is not None
    rows = len(record["round"])
    for c, column in enumerate(L.TRACE_COLUMNS):
        mesa = np.array([float(x) for x in record[column]])
        assert np.array_equal(engine.trace[:rows, c], mesa, equal_nan=True), f"{label}: column {column}"


@pytest.fixture(scope="module")
def tally() -> Counter[str]:
    return Counter()


@pytest.mark.parametrize("protocol", PROTOCOL_NAMES)
@pytest.mark.parametrize("scenario", list_scenarios())
def test_every_bundled_scenario_and_protocol_runs_alike_on_both_paths(scenario: str, protocol: str, tally: Counter[str]) -> None:
    for seed in range(SEEDS_PER_CASE):
        for overrides in (
            {"protocol": protocol},
            {**UNCALIBRATED, "protocol": protocol, "mediator_autonomy": True, "mediator_deferral": True},
        ):
            pair = _both(scenario, seed, overrides)
            if pair is None:
                continue
            _assert_same(*pair, f"{scenario} seed {seed} {overrides}")
            _count(pair[0], tally)


def test_random_valid_overrides_run_alike_on_both_paths(tally: Counter[str]) -> None:
    rng = np.random.default_rng(20221)
    scenarios = list_scenarios()
    compared = 0
    while compared < RANDOM_RUNS:
        scenario = scenarios[int(rng.integers(len(scenarios)))]
        overrides = _random_overrides(rng)
        seed = int(rng.integers(2**31))
        pair = _both(scenario, seed, overrides)
        if pair is None:
            continue
        _assert_same(*pair, f"{scenario} seed {seed} {overrides}")
        _count(pair[0], tally)
        compared += 1


def test_the_runs_compared_cover_every_way_a_run_goes(tally: Counter[str]) -> None:
    """Runs of every kind of end, violated and broken ceasefires, every territorial form, every protocol."""
    for what in ("kind settlement", "kind ceasefire", "kind victory", "kind war", "breakdown", "violation",
                 "form sovereignty", "form autonomy", "form deferred", "operation", "rearmament drawn"):  # fmt: skip
        assert tally[what] >= 3, (what, tally)


def test_the_interpreted_kernels_give_the_same_runs() -> None:
    """The kernels interpreted (over lists, as where numba is missing) give the compiled path's runs."""
    rng = np.random.default_rng(7)
    scenarios = list_scenarios()
    for seed in range(150):
        while True:
            try:
                scenario = load_scenario(scenarios[seed % len(scenarios)])
                values = scenario.with_overrides({**UNCALIBRATED, **_random_overrides(rng)}).values
                break
            except ScenarioError:
                continue  # a cross-parameter rule refused the draw
        compiled = run_values(values, seed, record=True)
        interpreted = run_values(values, seed, record=True, compiled=False)
        assert interpreted.outcome == compiled.outcome
        assert compiled.trace is not None and interpreted.trace is not None
        assert np.array_equal(interpreted.trace, compiled.trace, equal_nan=True)


def _count(model: WarTerminationModel, tally: Counter[str]) -> None:
    outcome = model.outcome
    assert outcome is not None
    tally[f"kind {outcome.kind.value}"] += 1
    tally["breakdown"] += outcome.breakdowns > 0
    tally["violation"] += outcome.violations_detected > 0
    for form in outcome.forms.values():
        if form is not None:
            tally[f"form {form}"] += 1
    tally["operation"] += bool(model.battlefield.operations)
    spread = float(model.war_scenario.values["rearmament_spread"])
    tally["rearmament drawn"] += bool(spread and model.battlefield.rearmament)
