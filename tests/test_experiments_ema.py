"""The model as an EMA workbench ``Model`` (experiments.ema): declared from the parameter table, seeded, faithful."""

from __future__ import annotations

import math
import pickle
import warnings

import numpy as np
import pandas as pd
import pytest

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # the workbench warns at import that ipyparallel is missing: harmless here
    ema_workbench = pytest.importorskip("ema_workbench")

from experiments.analysis import outcome_values
from experiments.ema import (
    DEFAULT_LEVERS,
    DEFAULT_UNCERTAINTIES,
    OUTCOMES,
    SEED,
    EMAError,
    ema_model,
    outcome_record,
    perform_experiments,
    run_experiment,
    sample_policies,
    sample_scenarios,
)
from model import WarTerminationModel
from model.parameters import PARAMETERS

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning", "ignore::FutureWarning")

SMALL = {"max_rounds": (20, 40)}  # short runs keep the test in seconds
QUICK_OUTCOMES = ["negotiated", "kind", "winner", "rounds", "step_reached", "first_ceasefire_round", "term_crimea", "form_crimea"]


def small_model(**kwargs: object) -> object:
    options: dict[str, object] = {
        "uncertainties": {"initial_advantage": (0.45, 0.7), "momentum": (-0.01, 0.01), **SMALL},
        "levers": {"protocol": None, "guarantee_effect": (0.0, 4.0)},
    }
    options.update(kwargs)
    return ema_model("italian_plan_2022", **options)  # type: ignore[arg-type]


def test_defaults_come_from_the_parameter_table() -> None:
    model = ema_model()
    uncertainties = {p.name: p for p in model.uncertainties}
    levers = {p.name: p for p in model.levers}
    assert list(uncertainties) == [*DEFAULT_UNCERTAINTIES, SEED]
    assert list(levers) == list(DEFAULT_LEVERS)
    assert [o.name for o in model.outcomes] == list(OUTCOMES)
    # the ranges the sensitivity experiment declares; a lever it does not vary takes every allowed value
    assert (uncertainties["initial_advantage"].lower_bound, uncertainties["initial_advantage"].upper_bound) == (0.45, 0.70)
    assert [c.value for c in levers["protocol"].categories] == list(PARAMETERS["protocol"].choices or ())
    assert isinstance(levers["mediator_guarantees"], ema_workbench.BooleanParameter)
    # a name alone takes the whole allowed range
    whole = ema_model(uncertainties=["initial_advantage", "max_rounds"], levers=[])
    ranges = {p.name: (p.lower_bound, p.upper_bound) for p in whole.uncertainties}
    assert ranges["initial_advantage"] == (PARAMETERS["initial_advantage"].low, PARAMETERS["initial_advantage"].high)
    assert isinstance(whole.uncertainties["max_rounds"], ema_workbench.IntegerParameter)
    assert list(whole.levers) == []


def test_the_same_call_gives_the_same_experiments_and_outcomes() -> None:
    model = small_model(outcomes=QUICK_OUTCOMES)
    first = perform_experiments(model, scenarios=4, policies=2, seed=7)
    again = perform_experiments(model, scenarios=4, policies=2, seed=7)
    other = perform_experiments(model, scenarios=4, policies=2, seed=8)
    pd.testing.assert_frame_equal(first[0], again[0])
    for name in QUICK_OUTCOMES:
        np.testing.assert_array_equal(first[1][name], again[1][name])
    assert len(first[0]) == 8
    assert first[0][SEED].nunique() == 4  # one seed per scenario, shared by its policies (common random numbers)
    assert not first[0][SEED].isin(other[0][SEED]).any()
    assert not np.array_equal(first[0]["initial_advantage"], other[0]["initial_advantage"])


def test_outcomes_are_the_model_s_own_run() -> None:
    model = small_model()
    experiments, outcomes = perform_experiments(model, scenarios=3, policies=2, seed=3)
    varied = [p.name for p in (*model.uncertainties, *model.levers) if p.name != SEED]
    for i, row in experiments.iterrows():
        values = {name: row[name].item() if isinstance(row[name], np.generic) else row[name] for name in varied}
        direct = WarTerminationModel("italian_plan_2022", rng=int(row[SEED]), **values)
        record = outcome_record(direct.run(), direct.max_rounds)
        for name in OUTCOMES:
            got, want = outcomes[name][i], record[name]
            if isinstance(want, float) and math.isnan(want):
                assert math.isnan(got), name
            else:
                assert got == want, (name, got, want)


def test_flags_agree_with_the_batch_runner_s_outcomes() -> None:
    rows, records = [], []
    for seed, protocol in [(1, "package"), (2, "none"), (3, "ifg_sequential"), (4, "package")]:
        model = WarTerminationModel("italian_plan_2022", rng=seed, protocol=protocol, max_rounds=60)
        outcome = model.run()
        rows.append({**outcome.to_dict(), "max_rounds": 60, "error": None})
        records.append(outcome_record(outcome, 60))
    runs = pd.DataFrame(rows)
    for name in ("negotiated", "settlement", "ceasefire", "war", "victory_russia", "victory_ukraine", "time_to_ceasefire"):
        assert outcome_values(runs, name).tolist() == [float(r[name]) for r in records], name
    assert {r["kind"] for r in records} >= {"settlement"}  # a package settled in one go ...
    settled = next(r for r in records if r["kind"] == "settlement" and math.isnan(r["first_ceasefire_round"]))
    assert settled["first_agreement_round"] == settled["rounds"]  # ... is its first negotiated end


def test_text_outcomes_keep_their_whole_value() -> None:
    model = small_model(outcomes=["kind"], uncertainties={"max_rounds": (1, 60)})
    _, outcomes = perform_experiments(model, scenarios=6, seed=2)
    assert outcomes["kind"].dtype == object
    assert set(outcomes["kind"]) <= {"settlement", "ceasefire", "victory", "war"}


def test_no_policies_leaves_the_levers_at_the_scenario_s_values() -> None:
    model = small_model(outcomes=["rounds"])
    experiments, outcomes = perform_experiments(model, scenarios=2, seed=5)
    assert len(experiments) == 2
    for i, row in experiments.iterrows():
        direct = WarTerminationModel(
            "italian_plan_2022", rng=int(row[SEED]), initial_advantage=float(row["initial_advantage"]),
            momentum=float(row["momentum"]), max_rounds=int(row["max_rounds"]),
        )
        assert direct.run().rounds == outcomes["rounds"][i]


def test_a_multiprocessing_evaluator_gives_the_sequential_results() -> None:
    model = small_model(outcomes=QUICK_OUTCOMES)
    pickle.loads(pickle.dumps(model))  # what the workers are sent
    sequential = perform_experiments(model, scenarios=3, policies=2, seed=11)
    with ema_workbench.MultiprocessingEvaluator(model, n_processes=2) as evaluator:
        parallel = perform_experiments(model, scenarios=3, policies=2, seed=11, evaluator=evaluator)
    pd.testing.assert_frame_equal(sequential[0], parallel[0])
    for name in QUICK_OUTCOMES:
        np.testing.assert_array_equal(sequential[1][name], parallel[1][name])


def test_the_seeded_design_covers_each_range() -> None:
    model = small_model()
    scenarios = sample_scenarios(model, 5, seed=1)
    policies = sample_policies(model, 4, seed=1)
    advantage = sorted(s["initial_advantage"] for s in scenarios)
    # a Latin hypercube: one point in each fifth of the range
    assert [int((a - 0.45) / 0.05) for a in advantage] == [0, 1, 2, 3, 4]
    assert all(20 <= s["max_rounds"] <= 40 and isinstance(s["max_rounds"], int) for s in scenarios)
    assert all(p["protocol"] in PARAMETERS["protocol"].choices for p in policies)
    assert all(0.0 <= p["guarantee_effect"] <= 4.0 for p in policies)


def test_run_experiment_takes_the_workbench_s_numpy_values() -> None:
    record = run_experiment("italian_plan_2022", np.int64(4), max_rounds=np.int64(10), momentum=np.float64(0.001),
                            mediator_guarantees=np.bool_(False))
    direct = WarTerminationModel("italian_plan_2022", rng=4, max_rounds=10, momentum=0.001, mediator_guarantees=False)
    assert record == outcome_record(direct.run(), 10)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"uncertainties": ["initial_advantge"]}, "uncertainties: initial_advantge: unknown parameter (did you mean"),
        ({"uncertainties": ["nonsense"]}, "nonsense: unknown parameter; 'war-termination params' lists them all"),
        ({"levers": ["protocol", "protocol"]}, "levers: protocol named more than once"),
        ({"uncertainties": ["momentum"], "levers": ["momentum"]}, "momentum: named as an uncertainty and as a lever"),
        ({"uncertainties": ["seed"]}, "uncertainties: seed: reserved"),
        ({"uncertainties": {"momentum": (-2.0, 0.1)}}, "uncertainties: momentum: expected a number in [-0.5, 0.5], got -2.0"),
        ({"uncertainties": {"momentum": (0.1, -0.1)}}, "momentum: expected low < high"),
        ({"levers": {"protocol": ["package", "talks"]}}, "levers: protocol: expected one of: ifg_sequential"),
        ({"levers": {"protocol": ["package"]}}, "protocol: expected at least two distinct values"),
        ({"levers": ["third_parties"]}, "third_parties: a set of us, uk"),
        ({"uncertainties": "momentum"}, "uncertainties: expected a list of parameter names"),
        ({"outcomes": ["negotiated", "durable"]}, "outcomes: unknown 'durable'; expected some of negotiated, kind"),
        ({"outcomes": []}, "outcomes: expected distinct names, at least one"),
        ({"name": "italian_plan"}, "name: the workbench takes letters and digits only"),
        ({"uncertainties": {"initial_front": (0.0, 0.5)}}, "initial_front: expected a share strictly inside (0, 1)"),
    ],
    ids=["typo", "unknown", "repeated", "both", "seed", "out-of-range", "reversed", "bad-choice", "one-value", "multi",
         "text", "outcome", "no-outcome", "model-name", "corner"],
)
def test_bad_names_and_ranges_are_refused_clearly(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(EMAError) as caught:
        ema_model("italian_plan_2022", **kwargs)  # type: ignore[arg-type]
    assert message in str(caught.value)


def test_bad_design_sizes_are_refused() -> None:
    model = small_model(levers=[])
    with pytest.raises(EMAError, match="scenarios: expected at least one"):
        sample_scenarios(model, 0, seed=1)
    with pytest.raises(EMAError, match="the model has no levers"):
        sample_policies(model, 2, seed=1)
