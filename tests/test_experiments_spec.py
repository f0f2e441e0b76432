"""Experiment files: the shipped ones load, bad ones are rejected with one clear message."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from experiments import ExperimentError, list_experiments, load_experiment
from experiments.design import build_design

SHIPPED = ("severodonetsk_trend", "mediation_design", "commitment_problem", "third_party_aid", "sensitivity")

GOOD = """
name = "tiny"
scenario = "italian_plan_2022"
master_seed = 1
replicates = 2
[fixed]
max_rounds = 10
[parameters.initial_advantage]
values = [0.5, 0.6]
[parameters.momentum]
low = -0.01
high = 0.01
levels = 3
[quick]
replicates = 1
"""


def write(tmp_path: Path, text: str, name: str = "exp.toml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_every_shipped_experiment_is_listed() -> None:
    assert set(SHIPPED) <= set(list_experiments())


@pytest.mark.parametrize("name", SHIPPED)
def test_shipped_quick_sizes_stay_small(name: str) -> None:
    exp = load_experiment(name)
    quick = load_experiment(name, quick=True)
    n_quick = len(build_design(quick)) * quick.replicates
    assert quick.quick and not exp.quick
    assert 0 < n_quick <= 200
    assert len(build_design(exp)) * exp.replicates > n_quick


def test_severodonetsk_trend_is_large_and_names_its_scenario() -> None:
    exp = load_experiment("severodonetsk_trend")
    assert exp.scenario == "severodonetsk"
    assert {"initial_advantage", "momentum", "volatility"} == set(exp.factor_names)
    assert len(build_design(exp)) * exp.replicates >= 5000


def test_mediation_design_crosses_every_protocol() -> None:
    exp = load_experiment("mediation_design")
    protocol = next(f for f in exp.factors if f.name == "protocol")
    assert set(protocol.values or ()) == {"ifg_sequential", "package", "bilateral", "none"}


def test_grid_is_the_full_product(tmp_path: Path) -> None:
    exp = load_experiment(write(tmp_path, GOOD))
    points = build_design(exp).points
    assert len(points) == 6
    assert sorted(points["momentum"].unique()) == [-0.01, 0.0, 0.01]
    assert load_experiment(write(tmp_path, GOOD), quick=True).replicates == 1


def test_scenario_can_be_swapped(tmp_path: Path) -> None:
    exp = load_experiment(write(tmp_path, GOOD), scenario="stalemate")
    assert exp.scenario == "stalemate"


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        (("master_seed = 1", "master_seed = -1"), "master_seed: expected an integer"),
        (("replicates = 2", "replicates = 0"), "replicates: expected a positive integer"),
        (('scenario = "italian_plan_2022"', 'scenario = "atlantis"'), "scenario: unknown scenario 'atlantis'"),
        (("[parameters.initial_advantage]", "[parameters.initial_advantags]"), "[parameters] initial_advantags: unknown parameter"),
        (("values = [0.5, 0.6]", "values = [0.5, 1.6]"), "initial_advantage: expected a number in [0.01, 0.99], got 1.6"),
        (("values = [0.5, 0.6]", "values = [0.5, 0.5]"), "expected distinct values"),
        (("values = [0.5, 0.6]", "values = []"), "values: expected a non-empty list"),
        (("low = -0.01", "low = 0.02"), "expected low < high"),
        (("levels = 3", "levels = 1"), "levels: expected an integer >= 2"),
        (("levels = 3", ""), "levels (a grid over a range needs it): expected a positive integer"),
        (("max_rounds = 10", "max_rounds = 0"), "[fixed]: max_rounds: expected an integer in [1, 5000]"),
        (("max_rounds = 10", "colour = 3"), "[fixed]: unknown parameter 'colour'"),
        (("replicates = 2", "replicates = 2\nmood = 1"), "mood: unknown key; allowed:"),
        (("replicates = 2", 'replicates = 2\noutcomes = ["happiness"]'), "outcomes: expected a non-empty list drawn from"),
        (("[quick]\nreplicates = 1", "[quick]\nreplicates = 0"), "replicates: expected a positive integer"),
        (("[quick]\nreplicates = 1", "[quick.parameters.volatility]\nlevels = 2"), "[quick.parameters] volatility: not a varied"),
        (("[fixed]", '[design]\nmethod = "magic"\n[fixed]'), "method: expected one of grid, lhs, sobol, morris"),
        (("levels = 3\n[quick]", '[quick]'), "levels (a grid over a range needs it)"),
        (("[fixed]", "[design]\nsamples = 10\n[fixed]"), "samples: not used by a grid"),
        (("max_rounds = 10", "max_rounds = 10\nmomentum = 0.0"), "momentum: both fixed and varied"),
        (("[quick]", '[report]\nheatmap = ["momentum", "volatility"]\n[quick]'), "[report] heatmap: expected two of"),
    ],
)
def test_bad_files_are_rejected_naming_file_and_field(tmp_path: Path, change: tuple[str, str], fragment: str) -> None:
    old, new = change
    assert old in GOOD
    path = write(tmp_path, GOOD.replace(old, new, 1), name="broken.toml")
    with pytest.raises(ExperimentError) as info:
        load_experiment(path)
    message = str(info.value)
    assert str(path) in message
    assert fragment in message
    assert "\n" not in message


def test_sobol_size_must_be_a_power_of_two(tmp_path: Path) -> None:
    text = GOOD.replace("[fixed]", '[design]\nmethod = "sobol"\nsamples = 10\n[fixed]').replace("levels = 3\n", "")
    with pytest.raises(ExperimentError, match="samples: a Sobol design needs a power of two, got 10"):
        load_experiment(write(tmp_path, text))


def test_a_censored_time_is_no_sobol_response(tmp_path: Path) -> None:
    text = GOOD.replace("[fixed]", '[design]\nmethod = "sobol"\nsamples = 4\n[fixed]').replace("levels = 3\n", "")
    text = text.replace("replicates = 2", 'replicates = 2\noutcomes = ["negotiated", "time_to_negotiated_end"]')
    with pytest.raises(ExperimentError, match="time_to_negotiated_end is a censored time .* analyses its restricted mean"):
        load_experiment(write(tmp_path, text))
    assert load_experiment(write(tmp_path, text.replace('"time_to_negotiated_end"', '"rmst_negotiated_end"'))).outcomes == (
        "negotiated",
        "rmst_negotiated_end",
    )


def test_sobol_needs_numeric_ranges_or_values(tmp_path: Path) -> None:
    text = GOOD.replace("[fixed]", '[design]\nmethod = "sobol"\nsamples = 4\n[fixed]').replace("levels = 3\n", "")
    exp = load_experiment(write(tmp_path, text))
    points = build_design(exp).points
    assert len(points) == 4 * (2 + 2)
    assert set(points["initial_advantage"]) <= {0.5, 0.6}
    assert points["momentum"].between(-0.01, 0.01).all()


def test_not_toml_and_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ExperimentError, match="not valid TOML"):
        load_experiment(write(tmp_path, "name = = 3"))
    with pytest.raises(ExperimentError, match="no such experiment file"):
        load_experiment(tmp_path / "absent.toml")
    with pytest.raises(ExperimentError, match="unknown experiment 'absent': expected one of"):
        load_experiment("absent")


def test_every_design_point_is_checked_as_a_whole(tmp_path: Path) -> None:
    # each value is allowed alone, but a front of 4 cells (volatility 0.25) cannot start at 0.1
    text = GOOD.replace("[parameters.momentum]\nlow = -0.01\nhigh = 0.01\nlevels = 3",
                        "[parameters.volatility]\nvalues = [0.02, 0.25]\n[parameters.initial_front]\nvalues = [0.1, 0.5]")
    with pytest.raises(ExperimentError, match=r"design point \d+ .*initial_front: expected a share strictly inside"):
        load_experiment(write(tmp_path, text))


@pytest.mark.parametrize("name", ["../../escaped", "a/b", "with space", "dots.too", "", "ümlaut"])
def test_name_cannot_escape_the_results_folder(tmp_path: Path, name: str) -> None:
    path = write(tmp_path, GOOD.replace('name = "tiny"', f"name = {name!r}".replace("'", '"')), name="named.toml")
    with pytest.raises(ExperimentError) as info:
        load_experiment(path)
    message = str(info.value)
    assert message.startswith(f"{path}: name: ")
    assert "letters, digits, '_' or '-'" in message or "expected a string" in message


def test_name_defaults_to_the_file_name_and_is_checked_too(tmp_path: Path) -> None:
    assert load_experiment(write(tmp_path, GOOD.replace('name = "tiny"\n', ""), name="my-exp_2.toml")).name == "my-exp_2"
    with pytest.raises(ExperimentError, match=r"name: expected letters, digits"):
        load_experiment(write(tmp_path, GOOD.replace('name = "tiny"\n', ""), name="my exp.toml"))


def test_a_full_design_problem_is_not_reported_as_quick(tmp_path: Path) -> None:
    # the full design is checked first: its Sobol size and its design points are its own problems
    sobol = GOOD.replace("[fixed]", '[design]\nmethod = "sobol"\nsamples = 10\n[fixed]').replace("levels = 3\n", "")
    with pytest.raises(ExperimentError) as info:
        load_experiment(write(tmp_path, sobol))
    assert "[quick]" not in str(info.value) and "samples: a Sobol design needs a power of two" in str(info.value)
    clash = GOOD.replace("[parameters.momentum]\nlow = -0.01\nhigh = 0.01\nlevels = 3",
                         "[parameters.volatility]\nvalues = [0.02, 0.25]\n[parameters.initial_front]\nvalues = [0.1, 0.5]")
    with pytest.raises(ExperimentError) as info:
        load_experiment(write(tmp_path, clash))
    assert "[quick]" not in str(info.value) and "design point" in str(info.value)
    # a problem of the quick size alone is still reported as [quick]
    quick_only = GOOD.replace("[quick]\nreplicates = 1", '[quick]\nreplicates = 1\nsamples = 8')
    with pytest.raises(ExperimentError, match=r"\[quick\]: \[design\] samples: not used by a grid"):
        load_experiment(write(tmp_path, quick_only))


def test_resized_is_validated_and_its_text_says_the_new_size(tmp_path: Path) -> None:
    import tomllib

    path = write(tmp_path, GOOD)
    exp = load_experiment(path, replicates=7)
    assert exp.replicates == 7 and len(build_design(exp)) == 6
    assert tomllib.loads(exp.text)["replicates"] == 7 and exp.text.startswith("# tiny: resized (replicates = 7)")
    assert load_experiment(path).resized(replicates=7) == exp
    assert exp.resized() is exp
    quick = load_experiment(path, quick=True, replicates=3)
    assert quick.quick and quick.replicates == 3 and len(build_design(quick)) == 6
    with pytest.raises(ExperimentError, match=r"replicates: expected a positive integer, got 0"):
        exp.resized(replicates=0)
    with pytest.raises(ExperimentError, match=r"replicates: expected a positive integer, got 2.5"):
        exp.resized(replicates=2.5)  # type: ignore[arg-type]
    with pytest.raises(ExperimentError, match=r"samples: not used by a grid"):
        load_experiment(path, samples=8)
    sobol = GOOD.replace("[fixed]", '[design]\nmethod = "sobol"\nsamples = 4\n[fixed]').replace("levels = 3\n", "")
    sobol_exp = load_experiment(write(tmp_path, sobol, name="sobol.toml"))
    assert len(build_design(sobol_exp.resized(samples=8))) == 8 * (2 + 2)
    with pytest.raises(ExperimentError, match=r"samples: a Sobol design needs a power of two, got 6"):
        sobol_exp.resized(samples=6)


@pytest.mark.parametrize("name", SHIPPED)
def test_resized_shipped_experiments_round_trip_through_their_text(name: str) -> None:
    from experiments.spec import experiment_from_text, size_mismatch

    exp = load_experiment(name)
    smaller = exp.resized(replicates=2, samples=8 if exp.method != "grid" else None)
    again = experiment_from_text(smaller.text, where="manifest")
    assert (again.replicates, again.samples, again.factors, again.fixed) == (2, smaller.samples, exp.factors, exp.fixed)
    assert size_mismatch(smaller) is None
